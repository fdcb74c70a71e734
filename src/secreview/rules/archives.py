"""Archive extraction: tar members that escape the target directory, zip bombs."""
from __future__ import annotations

import ast

from secreview.rules._naming import in_test_code
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

TAR_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
                         "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen", "tarfile.TarFile.taropen"})
ZIP_OPENERS = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile"})
UNSAFE_FILTERS = frozenset({"fully_trusted", "tarfile.fully_trusted_filter"})
SAFE_FILTERS = frozenset({"tarfile.data_filter", "tarfile.tar_filter"})
SAFE_FILTER_NAMES = frozenset({"data", "tar"})
TAR, ZIP = "tar", "zip"


def archive_origin(receiver: ast.expr, ctx: RuleContext) -> tuple[str | None, ast.Call | None]:
    """(TAR/ZIP/None, the call that opened it when known) for the object ``receiver``."""
    if isinstance(receiver, ast.Call):
        return _opener_kind(receiver, ctx), receiver
    if not isinstance(receiver, ast.Name):
        return None, None
    opened = [(_opener_kind(b, ctx), b) for b in ctx.facts.scopes.bindings_of(receiver.id, ctx.scope_chain) or []
              if isinstance(b, ast.Call) and _opener_kind(b, ctx)]
    if opened:  # `archive = ZipFile(...)` in one branch, `archive = tarfile.open(...)` in another: tar decides
        return max(opened, key=lambda pair: pair[0] == TAR)
    scope = ctx.scope_chain[-1] if ctx.scope_chain else ctx.facts.scopes.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name) \
                and node.optional_vars.id == receiver.id and isinstance(node.context_expr, ast.Call):
            kind = _opener_kind(node.context_expr, ctx)
            if kind:
                return kind, node.context_expr
    # Unknown object: the module the file imports decides (only one of the two).
    uses_tar, uses_zip = ctx.facts.imports.imports_module("tarfile"), ctx.facts.imports.imports_module("zipfile")
    if uses_tar != uses_zip:
        return (TAR if uses_tar else ZIP), None
    return None, None


def _opener_kind(call: ast.Call, ctx: RuleContext) -> str | None:
    name = ctx.call_name(call)
    if name in TAR_OPENERS:
        return TAR
    if name in ZIP_OPENERS:
        return ZIP
    return None


def _sets_safe_extraction_filter(call: ast.Call, ctx: RuleContext) -> bool:
    """A safe default filter set before ``call`` for the archive it extracts from: on the same
    object in the same function (``tar.extraction_filter = tarfile.data_filter``), or for every
    archive (``tarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)``)."""
    for node in ast.walk(ctx.facts.scopes.tree):
        if isinstance(node, ast.Assign) and any(_is_filter_attribute(t) and ctx.qualname(t.value) in TAR_OPENERS
                                                for t in node.targets):
            if _is_safe_default_filter(node.value, ctx):
                return True  # the class attribute: the default of every TarFile in the process
    if not isinstance(call.func, ast.Attribute):
        return False
    receiver, latest = ast.dump(call.func.value), None
    for node in _own_nodes(ctx.function or ctx.facts.scopes.tree):
        if isinstance(node, ast.Assign) and node.lineno <= call.lineno and any(
            _is_filter_attribute(t) and ast.dump(t.value) == receiver for t in node.targets
        ):
            latest = node  # the last one set before the call decides
    return latest is not None and _is_safe_default_filter(latest.value, ctx)


def _is_filter_attribute(target: ast.expr) -> bool:
    return isinstance(target, ast.Attribute) and target.attr == "extraction_filter"


def _own_nodes(scope: ast.AST):
    """The nodes of ``scope`` outside the functions and classes nested in it, in source order."""
    pending = list(reversed(list(ast.iter_child_nodes(scope))))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(reversed(list(ast.iter_child_nodes(node))))


def _is_safe_default_filter(value: ast.expr, ctx: RuleContext) -> bool:
    """tarfile.data_filter / tar_filter (maybe wrapped in staticmethod()), or their names, or a
    filter function of the file that checks members (see _checks_members)."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "staticmethod" \
            and len(value.args) == 1:
        value = value.args[0]
    literal = ctx.literal(value, None)
    if isinstance(literal, str):
        return literal in SAFE_FILTER_NAMES
    if ctx.qualname(value) in SAFE_FILTERS:
        return True
    function = _filter_function_of_file(value, ctx)
    return function is not None and _checks_members(function, ctx)


def _filter_function_of_file(value: ast.expr, ctx: RuleContext) -> ast.FunctionDef | None:
    """The function ``value`` names, defined in the current function or at the module's top level."""
    if not isinstance(value, ast.Name):
        return None
    for scope in (ctx.function, ctx.facts.scopes.tree):
        if scope is None:
            continue
        for node in _own_nodes(scope):
            if isinstance(node, ast.FunctionDef) and node.name == value.id:
                return node
    return None


def _checks_members(function: ast.FunctionDef, ctx: RuleContext) -> bool:
    """A custom filter does something with what it is given: it hands the member to data_filter
    or tar_filter, raises, or returns None (the member is skipped). One that only returns the
    member is fully_trusted_filter under another name."""
    for node in _own_nodes(function):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Return) and (node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)):
            return True
        if isinstance(node, ast.Call) and ctx.qualname(node.func) in SAFE_FILTERS:
            return True
    return False


def _safe_filter(filter_arg: ast.expr | None, ctx: RuleContext) -> bool:
    if filter_arg is None or (isinstance(filter_arg, ast.Constant) and filter_arg.value is None):
        return False
    literal = ctx.literal(filter_arg, None)
    if isinstance(literal, str):
        return literal not in UNSAFE_FILTERS
    return ctx.qualname(filter_arg) not in UNSAFE_FILTERS  # tarfile.data_filter or a custom filter


@rule(
    id="tarfile-unsafe-extraction",
    title="Tar archive extracted without a member filter",
    cwe=22,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B202"],
    methods=["extractall", "extract"],
    calls=["shutil.unpack_archive"],
    description="""tarfile extracts members exactly as the archive names them (before Python 3.14):
        names with "../" or absolute paths, symlinks and hard links pointing outside the target,
        device files and set-uid bits are all honoured. A crafted archive therefore writes or
        overwrites files anywhere the process can (path traversal, CWE-22). Calls that pass a
        filter ("data", "tar", tarfile.data_filter or a custom one) or an explicit members= list
        are not reported, nor archives whose extraction_filter is set to data_filter or tar_filter
        (or to a filter function of the file that calls one of them, raises or skips members)
        beforehand (on the same object in the same function, or as TarFile's default for the whole
        process). ``tar.extract(member, dest)`` in a loop over the members that first refuses
        (raise/continue) a member whose resolved path (realpath, abspath, Path.resolve) is not
        inside the target (is_relative_to, commonpath, startswith) and checks its type
        (isreg(), issym(), .linkname) is not reported; with the path check alone it gets low
        confidence (a link member can still point outside). Archives opened from a constant path
        (shipped with the program) get low confidence, and so does the fallback of the idiom the
        tarfile docs give (if hasattr(tarfile, "data_filter"): tar.extractall(dest,
        filter="data") else: tar.extractall(dest)), which runs only on a Python without the
        filters.""",
    solution="""Pass filter="data" (Python 3.12+, and backported to security releases of 3.8+):
        tar.extractall(dest, filter="data"); on older versions check every member (resolved path
        inside dest, no links or devices) and pass only those as members=.""",
    example="""
        with tarfile.open(upload_path) as tar:
            tar.extractall(dest)
    """,
    fixed="""
        with tarfile.open(upload_path) as tar:
            tar.extractall(dest, filter="data")
    """,
)
def check_tar_extraction(call: ast.Call, ctx: RuleContext):
    if any(keyword.arg is None for keyword in call.keywords):
        return None  # **options may carry filter= or members=
    if ctx.call_name(call) == "shutil.unpack_archive":
        return _check_unpack_archive(call, ctx)
    if not isinstance(call.func, ast.Attribute):
        return None
    kind, opener = archive_origin(call.func.value, ctx)
    if kind != TAR or (opener is None and call.func.attr == "extract"):
        return None  # `.extract` is too common a name (pandas, regex helpers) to guess
    explicit = ctx.keyword(call, "filter")
    if explicit is not None and not (isinstance(explicit, ast.Constant) and explicit.value is None):
        if _safe_filter(explicit, ctx):
            return None  # (an explicit filter= overrides the default one)
    elif _sets_safe_extraction_filter(call, ctx):
        return None
    members = ctx.keyword(call, "members")
    if members is not None and not (isinstance(members, ast.Constant) and members.value is None):
        return None  # the caller chose (presumably checked) the members
    confidence = None
    method = call.func.attr
    checked = _checked_member(call, ctx) if method == "extract" else None
    if checked == _PATH_AND_TYPE:
        return None  # the loop refuses members outside the target and links, devices (by type)
    archive = ctx.argument(opener, 0, "name") if opener is not None else None
    if checked == _PATH_ONLY or (archive is not None and ctx.is_constant(archive)):
        confidence = LOW  # the member's resolved path is checked (links not) / an archive shipped with the program
    unfiltered = "without a filter" if explicit is None or (
        isinstance(explicit, ast.Constant) and explicit.value is None) else \
        f"with filter={ctx.source(explicit)}, which does not restrict the members"
    fallback = _filter_fallback(call, ctx) if checked != _PATH_ONLY else None
    if fallback is not None:
        return in_test_code(ctx, Hit(call, confidence=LOW, message=(
            f"`{ctx.source(call.func)}` extracts tar members {unfiltered} when `{ctx.source(fallback)}` is false, that "
            "is on a Python without tarfile's extraction filters (before 3.12 and the security releases 3.8.17, 3.9.17, "
            "3.10.12, 3.11.4): there a crafted archive can write outside the target directory through ../ names, "
            "absolute paths or links. (Low confidence: every Python that has the filters takes the other branch.)")))
    if checked == _PATH_ONLY:
        return in_test_code(ctx, Hit(call, confidence=confidence,
                   message=f"`{ctx.source(call.func)}` extracts a tar member whose resolved path is checked but "
                           "not its type: a symlink or hard link member can still point outside the target "
                           "directory (and later members be written through it)."))
    return in_test_code(ctx, Hit(call, confidence=confidence,
               message=f"`{ctx.source(call.func)}` extracts tar members {unfiltered}: a crafted archive "
                       f"can {'write' if method == 'extractall' else 'place this member'} outside the target "
                       "directory through ../ names, absolute paths or links."))


# --- the fallback of the idiom the tarfile docs give: ``if hasattr(tarfile, "data_filter"):
# tar.extractall(dest, filter="data") else: tar.extractall(dest)`` ----------------------------
# The names whose presence tells a Python with the extraction filters (3.12+, and the 2023
# security releases of 3.8 to 3.11).
FILTER_FEATURE_NAMES = frozenset({"data_filter", "tar_filter", "fully_trusted_filter", "extraction_filter", "FilterError"})


def _filter_fallback(call: ast.Call, ctx: RuleContext) -> ast.expr | None:
    """The test of an enclosing ``if`` that ``call`` runs only when it is false and that asks
    whether tarfile has its extraction filters (``hasattr(tarfile, "data_filter")``,
    ``getattr(tarfile, "data_filter", None)``, also negated: ``if not hasattr(...)``); None
    when there is none."""
    ancestors = ctx.ancestors
    for position in range(len(ancestors) - 2, -1, -1):
        branch_owner, inner = ancestors[position], ancestors[position + 1]
        if branch_owner.__class__ is not ast.If:
            continue
        test, negated = branch_owner.test, False  # type: ignore[attr-defined]
        while test.__class__ is ast.UnaryOp and test.op.__class__ is ast.Not:  # type: ignore[attr-defined]
            test, negated = test.operand, not negated  # type: ignore[attr-defined]
        if not _asks_for_filters(test, ctx):
            continue
        in_else = any(statement is inner for statement in branch_owner.orelse)  # type: ignore[attr-defined]
        if in_else != negated:
            return branch_owner.test  # type: ignore[attr-defined]
    return None


def _asks_for_filters(test: ast.expr, ctx: RuleContext) -> bool:
    """``hasattr(tarfile, "data_filter")``, ``getattr(tarfile, "data_filter", None)`` (also
    compared ``is not None``)."""
    if test.__class__ is ast.Compare and len(test.ops) == 1 and test.ops[0].__class__ is ast.IsNot \
            and ctx.literal(test.comparators[0], 0) is None:  # type: ignore[attr-defined]
        test = test.left  # type: ignore[attr-defined]
    if test.__class__ is not ast.Call or test.func.__class__ is not ast.Name or len(test.args) < 2:  # type: ignore[attr-defined]
        return False
    if test.func.id not in ("hasattr", "getattr"):  # type: ignore[attr-defined]
        return False
    return ctx.literal(test.args[1], None) in FILTER_FEATURE_NAMES  # type: ignore[attr-defined]


# --- a member checked before tar.extract(member, dest) in a loop over the members ---------------
_PATH_AND_TYPE, _PATH_ONLY = "path and type", "path"
_CONTAINMENT_CALLS = frozenset({"is_relative_to", "relative_to", "commonpath", "startswith"})
_NORMALIZING_CALLS = frozenset({"resolve", "realpath", "abspath", "normpath"})
_TYPE_TESTS = frozenset({"isreg", "isfile", "isdir", "issym", "islnk", "isdev", "ischr", "isblk", "isfifo"})
_TYPE_ATTRIBUTES = frozenset({"type", "linkname"})
_MEMBER_PATH_ATTRIBUTES = frozenset({"name", "path"})
_LEAVING = (ast.Raise, ast.Continue, ast.Return, ast.Break)


def _checked_member(call: ast.Call, ctx: RuleContext) -> str | None:
    """``for member in tar.getmembers(): ... tar.extract(member, dest)``: what the loop checks of
    ``member`` before extracting it -- _PATH_AND_TYPE, _PATH_ONLY or None. A check is the test of
    an ``if`` that leaves the iteration (raise, continue) before the call or that holds the call;
    the path is checked when the test (or a name bound in the loop that it uses) resolves the
    member's name (realpath, abspath, Path.resolve) and tests containment (is_relative_to,
    commonpath, startswith); its type by isreg()/issym()/... or .type/.linkname."""
    member = ctx.argument(call, 0, "member")
    if member is None or member.__class__ is not ast.Name:
        return None
    loop = next((node for node in reversed(ctx.ancestors) if node.__class__ in (ast.For, ast.AsyncFor)
                 and node.target.__class__ is ast.Name and node.target.id == member.id), None)
    if loop is None:
        return None
    bound: dict[str, ast.expr] = {}
    tests: list[ast.expr] = []
    holding = set(map(id, ctx.ancestors))
    for node in _own_nodes(loop):
        if node.__class__ is ast.Assign and len(node.targets) == 1 and node.targets[0].__class__ is ast.Name:
            bound[node.targets[0].id] = node.value
        elif node.__class__ is ast.If and (id(node) in holding or (
                node.lineno < call.lineno and node.body and node.body[-1].__class__ in _LEAVING)):
            tests.append(node.test)
        elif node.__class__ is ast.Call and node.lineno < call.lineno and _last_name(node.func) == "relative_to":
            tests.append(node)  # ``(root / member.name).resolve().relative_to(root)`` raises ValueError
    path = kind = False
    for test in tests:
        parts = list(ast.walk(test))
        parts += [part for node in parts if node.__class__ is ast.Name and node.id in bound
                  for part in ast.walk(bound[node.id])]
        names = {_last_name(node.func) for node in parts if node.__class__ is ast.Call}
        of_member = [node for node in parts if node.__class__ is ast.Attribute
                     and node.value.__class__ is ast.Name and node.value.id == member.id]
        if any(node.attr in _MEMBER_PATH_ATTRIBUTES for node in of_member) \
                and names & _CONTAINMENT_CALLS and names & _NORMALIZING_CALLS:
            path = True
        if any(node.attr in _TYPE_TESTS | _TYPE_ATTRIBUTES for node in of_member):
            kind = True
    if not path:
        return None
    return _PATH_AND_TYPE if kind else _PATH_ONLY


def _last_name(func: ast.expr) -> str | None:
    return func.attr if func.__class__ is ast.Attribute else func.id if func.__class__ is ast.Name else None  # type: ignore[attr-defined]


def _check_unpack_archive(call: ast.Call, ctx: RuleContext):
    if _safe_filter(ctx.keyword(call, "filter"), ctx):
        return None
    archive = ctx.argument(call, 0, "filename")
    if archive is None:
        return None
    fmt = ctx.literal(ctx.argument(call, 2, "format"), None)
    name = ctx.literal(archive, None)
    if fmt == "zip" or (isinstance(name, str) and name.lower().endswith(".zip")):
        return None  # zip members are sanitised by zipfile
    return Hit(call, confidence=LOW if ctx.is_constant(archive) else MEDIUM,
               message="`shutil.unpack_archive` without filter= extracts tar archives unchecked: members can "
                       "escape the target directory.")


@rule(
    id="zipfile-extraction-unbounded",
    title="Zip archive extracted without size limits",
    cwe=409,
    severity=LOW,
    confidence=LOW,
    methods=["extractall"],
    description="""zipfile.extractall() strips "../" and absolute paths from member names, so path
        traversal is not the risk; a small crafted archive can however expand to gigabytes or
        millions of files (a zip bomb) and fill the disk or exhaust inodes. Reported at low
        confidence: it matters only for archives from untrusted sources.""",
    solution="""For untrusted archives, check infolist() before extracting: bound the number of
        members, the total file_size and the compression ratio, and extract member by member.""",
    example="""
        with zipfile.ZipFile(upload) as archive:
            archive.extractall(dest)
    """,
    fixed="""
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > 1000 or sum(m.file_size for m in members) > 100 * 2**20:
                raise ValueError("archive too large")
            archive.extractall(dest)
    """,
)
def check_zip_extraction(call: ast.Call, ctx: RuleContext):
    if not isinstance(call.func, ast.Attribute):
        return None
    kind, opener = archive_origin(call.func.value, ctx)
    if kind != ZIP or any(keyword.arg is None for keyword in call.keywords):
        return None
    members = ctx.argument(call, 1, "members")
    if members is not None and not (isinstance(members, ast.Constant) and members.value is None):
        return None
    archive = ctx.argument(opener, 0, "file") if opener is not None else None
    if archive is not None and ctx.is_constant(archive):
        return None  # an archive shipped with the program
    if _checks_member_sizes(ctx.function or ctx.facts.scopes.tree):
        return None  # the function looks at file_size / the member count before extracting
    return Hit(call, message=f"`{ctx.source(call.func)}` extracts every member with no bound on size or count.")


_MEMBER_WORDS = ("infolist", "namelist", "members", "file_size", "compress_size")


def _checks_member_sizes(scope: ast.AST) -> bool:
    """A comparison in the scope that involves members' ``file_size``/``compress_size`` or the
    number of members (``len(archive.infolist())``): the bound a zip bomb check needs."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Compare):
            for part in ast.walk(node):
                if isinstance(part, ast.Attribute) and part.attr in ("file_size", "compress_size"):
                    return True
                if (isinstance(part, ast.Call) and isinstance(part.func, ast.Name) and part.func.id in ("len", "sum")
                        and part.args and any(word in ast.unparse(part.args[0]) for word in _MEMBER_WORDS)):
                    return True
    return False

