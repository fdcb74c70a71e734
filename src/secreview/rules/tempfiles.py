"""Temporary files with predictable names: fixed paths in shared temporary directories and the
name-only temp-file APIs (tempfile.mktemp, os.tempnam, os.tmpnam)."""
from __future__ import annotations

import ast

from secreview.rules._naming import in_test_code
from secreview.rules.hardening import constant_mode
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

SHARED_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/usr/tmp")
TEMPDIR_CALLS = frozenset({"tempfile.gettempdir", "tempfile.gettempdirb"})
_GETTEMPDIR_MARK = "/tmp"  # what tempfile.gettempdir() returns on a typical POSIX host

# Functions that create, open or write a path: qualified name -> (position, keyword) of the path.
PATH_SINKS: dict[str, tuple[int, str]] = {
    "open": (0, "file"), "builtins.open": (0, "file"), "io.open": (0, "file"),
    "codecs.open": (0, "filename"), "os.open": (0, "path"), "os.mkdir": (0, "path"),
    "os.makedirs": (0, "name"), "os.mkfifo": (0, "path"), "os.mknod": (0, "path"),
    "os.symlink": (1, "dst"), "os.link": (1, "dst"),
    "shutil.copy": (1, "dst"), "shutil.copy2": (1, "dst"), "shutil.copyfile": (1, "dst"),
    "shutil.copytree": (1, "dst"), "shutil.move": (1, "dst"),
    "logging.FileHandler": (0, "filename"), "logging.handlers.RotatingFileHandler": (0, "filename"),
    "logging.handlers.TimedRotatingFileHandler": (0, "filename"),
    "logging.handlers.WatchedFileHandler": (0, "filename"), "logging.basicConfig": (-1, "filename"),
    "sqlite3.connect": (0, "database"), "shelve.open": (0, "filename"), "dbm.open": (0, "file"),
    "zipfile.ZipFile": (0, "file"), "tarfile.open": (0, "name"),
}
# pathlib.Path methods that create, open or write the path they are called on.
PATH_METHODS = frozenset({"open", "write_text", "write_bytes", "touch", "mkdir", "symlink_to", "hardlink_to"})
_JOINS = frozenset({"os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath",
                    "pathlib.PosixPath", "pathlib.PurePosixPath"})


def leading_text(expr: ast.expr | None, ctx: RuleContext, depth: int = 0) -> str | None:
    """The fixed beginning of a path expression (``"/tmp/app-"`` for ``f"/tmp/app-{uid}"``)."""
    if expr is None or depth > 10:
        return None
    match expr:
        case ast.Constant(value=str() as text):
            return text
        case ast.Constant(value=bytes() as data):
            return data.decode("latin-1")
        case ast.JoinedStr(values=[ast.Constant(value=str() as text), *_]):
            return text
        case ast.BinOp(op=ast.Add() | ast.Mod() | ast.Div(), left=left):
            prefix = leading_text(left, ctx, depth + 1)
            if prefix is not None and isinstance(expr.op, ast.Div):
                return prefix.rstrip("/") + "/"  # Path("/tmp") / name
            return prefix
        case ast.Name(id=name):
            bindings = ctx.facts.scopes.bindings_of(name, ctx.scope_chain)
            if bindings and len(bindings) == 1 and bindings[0] is not None:
                return leading_text(bindings[0], ctx, depth + 1)
        case ast.Call(func=func, args=args):
            name = ctx.call_name(expr)
            if name in TEMPDIR_CALLS:
                return _GETTEMPDIR_MARK
            if isinstance(func, ast.Attribute) and func.attr == "format":
                return leading_text(func.value, ctx, depth + 1)
            if name in _JOINS and args:
                prefix = leading_text(args[0], ctx, depth + 1)
                if prefix is not None and len(args) > 1:
                    return prefix.rstrip("/") + "/"
                return prefix
    return None


def shared_temp_dir(path: str) -> str | None:
    for directory in SHARED_TEMP_DIRS:
        if path.startswith(directory + "/"):  # something inside it (a join yields "/tmp/")
            return directory
    return None


@rule(
    id="hardcoded-temp-path",
    title="Fixed file name in a shared temporary directory",
    cwe=377,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B108"],
    calls=sorted(PATH_SINKS),
    methods=sorted(PATH_METHODS),
    description="""A file or directory with a predictable name is created or opened in a
        world-writable temporary directory (/tmp, /var/tmp, /dev/shm, or tempfile.gettempdir()).
        Another local user can create it first, or plant a symlink with that name, and so read
        the data, feed the program their own content, or make it overwrite a file of their
        choice. Only paths passed to calls that open or create files are reported, not every
        string that mentions /tmp. A directory created with an owner-only mode (0o700) and then
        checked with os.lstat to be owned by this user (st_uid == os.getuid()) before use is not
        reported; checked with os.stat, which follows a planted symlink, low confidence.""",
    solution="""Let tempfile pick an unpredictable name and create it atomically:
        tempfile.NamedTemporaryFile(), tempfile.mkstemp() or tempfile.TemporaryDirectory(); or
        use a private directory of the application (e.g. under $XDG_RUNTIME_DIR, mode 0700).""",
    example="""
        with open("/tmp/report.csv", "w") as out:
            out.write(data)
    """,
    fixed="""
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
            out.write(data)
    """,
)
def check_temp_path(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call)
    if name in PATH_SINKS:
        position, keyword = PATH_SINKS[name]
        path = ctx.argument(call, position if position >= 0 else None, keyword)
    elif isinstance(call.func, ast.Attribute) and call.func.attr in PATH_METHODS:
        path = call.func.value  # Path("/tmp/x").write_text(...)
    else:
        return None
    prefix = leading_text(path, ctx)
    if prefix is None:
        return None
    directory = shared_temp_dir(prefix)
    if directory is None:
        return None
    verified = _verified_private_directory(call, path, ctx)
    if verified == _OWNER_CHECKED:
        return None  # created 0700 and checked to be this user's own directory (not a link) before use
    where = "tempfile.gettempdir()" if _uses_gettempdir(path, ctx) else directory
    if verified == _OWNER_CHECKED_FOLLOWING_LINKS:
        return in_test_code(ctx, Hit(call, confidence=LOW, message=(
            f"`{ctx.source(path)}` is a predictable name in a shared temporary directory ({where}); its owner is "
            "checked with os.stat, which follows a symlink planted there: use os.lstat.")))
    return in_test_code(ctx, Hit(call, message=f"`{ctx.source(path)}` is a predictable name in a shared temporary "
                                               f"directory ({where}); another local user can create it or a symlink first."))


# --- a private directory created and verified before use -----------------------------------------
_OWNER_CHECKED, _OWNER_CHECKED_FOLLOWING_LINKS = "lstat", "stat"
_DIRECTORY_MAKERS = {"os.mkdir": 1, "os.makedirs": 1}
_USER_IDS = frozenset({"os.getuid", "os.geteuid"})
_GROUP_OR_OTHER = 0o077


def _verified_private_directory(call: ast.Call, path: ast.expr, ctx: RuleContext) -> str | None:
    """``os.mkdir(path, 0o700)`` then ``st = os.lstat(path)`` and ``st.st_uid != os.getuid()``
    (raising) in the same function: a directory someone else planted first, or a symlink, is
    refused, so the fixed name is safe (the per-user cache directory idiom). _OWNER_CHECKED with
    lstat (or stat(..., follow_symlinks=False)), _OWNER_CHECKED_FOLLOWING_LINKS with a plain
    stat; else None."""
    name = ctx.call_name(call)
    if name in _DIRECTORY_MAKERS:
        mode = ctx.argument(call, _DIRECTORY_MAKERS[name], "mode")
    elif isinstance(call.func, ast.Attribute) and call.func.attr == "mkdir":
        mode = ctx.argument(call, 0, "mode")
    else:
        return None
    mode_value = constant_mode(mode, ctx) if mode is not None else None
    if mode_value is None or mode_value & _GROUP_OR_OTHER:
        return None
    scope = ctx.function or ctx.facts.scopes.tree
    target = ast.dump(path)
    stats = {}  # id of a stat call of the path -> it does not follow links
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and node.lineno >= call.lineno:
            lstat = _stat_of(node, target, ctx)
            if lstat is not None:
                stats[id(node)] = lstat
    if not stats:
        return None
    found = None
    for node in ast.walk(scope):
        if not (isinstance(node, ast.Compare) and node.lineno >= call.lineno):
            continue
        parts = list(ast.walk(node))
        if not any(isinstance(part, ast.Call) and ctx.call_name(part) in _USER_IDS for part in parts):
            continue
        for part in parts:
            if isinstance(part, ast.Attribute) and part.attr == "st_uid":
                for made in _values_of(part.value, ctx):
                    if id(made) in stats:
                        if stats[id(made)]:
                            return _OWNER_CHECKED
                        found = _OWNER_CHECKED_FOLLOWING_LINKS
    return found


def _stat_of(node: ast.Call, target: str, ctx: RuleContext) -> bool | None:
    """For a stat of the path dumped as ``target`` (``os.lstat(path)``, ``path.lstat()``,
    ``os.stat(path)``): whether it does not follow a symlink; None for any other call."""
    name = ctx.call_name(node)
    if name in ("os.lstat", "os.stat"):
        argument = ctx.argument(node, 0, "path")
    elif isinstance(node.func, ast.Attribute) and node.func.attr in ("lstat", "stat"):
        argument, name = node.func.value, node.func.attr
    else:
        return None
    if argument is None or ast.dump(argument) != target:
        return None
    follow = ctx.keyword(node, "follow_symlinks")
    return name.endswith("lstat") or (follow is not None and ctx.literal(follow, None) is False)


def _values_of(expr: ast.expr, ctx: RuleContext) -> list[ast.expr]:
    """``expr`` itself, or what the name ``expr`` is bound to in scope."""
    if isinstance(expr, ast.Name):
        return [b for b in ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain) or [] if b is not None]
    return [expr]


def _uses_gettempdir(expr: ast.expr, ctx: RuleContext) -> bool:
    return any(isinstance(n, ast.Call) and ctx.call_name(n) in TEMPDIR_CALLS for n in ast.walk(expr))


@rule(
    id="insecure-temp-file-name",
    title="Temporary file name created without the file",
    cwe=377,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B306", "B325"],
    calls=["tempfile.mktemp", "os.tempnam", "os.tmpnam"],
    message="`{name}` returns a file name that does not exist yet; another process can create it before this one does.",
    description="""tempfile.mktemp() (and the old os.tempnam/os.tmpnam) only return a name. Between
        choosing the name and creating the file another local user can create it, or a symlink
        with that name, and hijack or redirect what the program writes (a race condition).""",
    solution="""Create the file and its name in one atomic step: tempfile.NamedTemporaryFile(),
        tempfile.mkstemp(), or tempfile.mkdtemp()/TemporaryDirectory() for a private directory.""",
    example="""
        path = tempfile.mktemp(suffix=".json")
        with open(path, "w") as out:
            json.dump(state, out)
    """,
    fixed="""
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
            json.dump(state, out)
    """,
)
def check_mktemp(call: ast.Call, ctx: RuleContext):
    return in_test_code(ctx, Hit(call))

