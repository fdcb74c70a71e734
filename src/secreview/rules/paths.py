"""Path traversal (CWE-22): file system paths built from untrusted data."""
from __future__ import annotations

import ast

from secreview.facts.uploads import is_uploaded_file, may_hold_uploaded_files
from secreview.rules._pathlib import is_path_expression
from secreview.rules.base import HIGH, MEDIUM, dynamic_value_hit, rule
from secreview.rules.context import RuleContext

# Calls whose first argument (or the named keyword) is a path that is opened, written or removed.
PATH_CALLS = (
    "open", "builtins.open", "io.open", "codecs.open", "os.open", "os.remove", "os.unlink", "os.rmdir",
    "os.removedirs", "os.rename", "os.replace", "os.makedirs", "os.mkdir", "os.listdir", "os.scandir",
    "os.chmod", "os.chown", "os.truncate", "os.symlink", "os.link", "os.walk", "shutil.rmtree",
    "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
    "flask.send_file",
    # (Starlette's FileResponse opens the path it is given; Django's takes an open file -- the
    # ``open()`` or storage that made it is where a path is used.)
    "starlette.responses.FileResponse", "fastapi.responses.FileResponse",
    "aiofiles.open", "tempfile.NamedTemporaryFile",
    # Async file APIs: anyio's open_file(file, ...), aiofiles.os's wrappers of the os functions
    # above (same arguments), aiohttp's FileResponse(path).
    "anyio.open_file",
    *(f"aiofiles.os.{name}" for name in (
        "remove", "unlink", "rename", "replace", "rmdir", "removedirs", "makedirs", "mkdir", "listdir", "scandir")),
    "aiohttp.web.FileResponse", "aiohttp.web_fileresponse.FileResponse",
    # Sanic's file responses (file(location), file_stream(location)) and Quart's send_file.
    "sanic.file", "sanic.response.file", "sanic.file_stream", "sanic.response.file_stream",
    "quart.send_file", "quart.helpers.send_file",
    # Key-value database files: shelve.open(filename), dbm.open(file) (and dbm's backends).
    "shelve.open", "shelve.DbfilenameShelf", "dbm.open", "dbm.gnu.open", "dbm.ndbm.open", "dbm.dumb.open", "dbm.sqlite3.open",
)
# The keyword of the path argument where it is neither ``file`` (open functions) nor ``path``.
_PATH_KEYWORDS = {"shelve.open": "filename", "shelve.DbfilenameShelf": "filename"}

# pathlib: building a Path touches no file (``Path(upload.filename).suffix`` only inspects a name);
# these methods do, on the path they are called on. Nothing else has methods of these names...
PATH_METHODS = frozenset({
    "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "iterdir",
    "symlink_to", "hardlink_to",
})
# ...while these are also str/file/archive methods ("a".replace, ZipFile.open): counted only on
# an expression that is a path.
AMBIGUOUS_PATH_METHODS = frozenset({"open", "rename", "replace"})
# Methods that move a file to their first argument: a second path that may escape.
_TARGET_METHODS = frozenset({"rename", "replace", "symlink_to", "hardlink_to"})
# Methods of an uploaded file (werkzeug's FileStorage, see facts/uploads.py) that write it at the
# path they are given: method -> (position, keyword) of that argument. (On any other object --
# a Django model, a PIL image -- ``save`` is something else.)
UPLOADED_FILE_PATH_METHODS = {"save": (0, "dst")}


@rule(
    id="path-traversal",
    title="Path traversal",
    cwe=22,
    severity=HIGH,
    confidence=MEDIUM,
    calls=[*PATH_CALLS, "flask.send_from_directory", "werkzeug.utils.send_from_directory"],
    methods=sorted(PATH_METHODS | AMBIGUOUS_PATH_METHODS | set(UPLOADED_FILE_PATH_METHODS)),
    description="""A file path is built from data the client controls. With `../` segments or an
        absolute path the client reads, overwrites or deletes files outside the intended
        directory. Reported where the file is touched: open() and the os/shutil functions,
        their async forms (aiofiles.open, aiofiles.os.*, anyio.open_file), file responses (Flask's and
        Quart's send_file, Starlette's and aiohttp's FileResponse, Sanic's file/file_stream), pathlib's read_text/write_text/read_bytes/write_bytes/open/unlink/
        rmdir/mkdir/touch/iterdir/rename/replace on the path (building a Path touches nothing),
        shelve.open/dbm.open (a database file is opened or created at the path),
        and the save(dst) of an uploaded file (werkzeug's FileStorage: a value of Flask's
        request.files, whose filename is the client's text).""",
    solution="""Reduce the name to a base name (os.path.basename / werkzeug.utils.secure_filename),
        then resolve the full path and check it stays inside the intended directory
        (Path(base, name).resolve().is_relative_to(base)); or map identifiers to files through
        an allow-list.""",
    example="""
        name = request.args["file"]
        return open("/srv/reports/" + name).read()
    """,
    fixed="""
        name = werkzeug.utils.secure_filename(request.args["file"])
        path = (REPORTS / name).resolve()
        if not path.is_relative_to(REPORTS):
            abort(404)
        return path.read_text()
    """,
)
def check_path(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    if name not in _PATH_CALL_NAMES and isinstance(call.func, ast.Attribute):
        return _check_path_method(call, call.func, ctx)
    # send_from_directory(directory, path): the directory is trusted, the path is checked by
    # werkzeug's safe_join -- only a tainted *directory* is a traversal.
    position = 0
    value = ctx.argument(call, position, _PATH_KEYWORDS.get(name) or ("file" if name.endswith(("open", "open_file")) else "path"))
    if value is None and call.args:
        value = call.args[0]
    if value is None:
        return None
    hit = dynamic_value_hit(
        ctx, call, value,
        tainted="The path given to `" + ctx.source(call.func) + "` comes from {source}; `../` or an absolute path escapes the intended directory.",
        dynamic="The path given to `" + ctx.source(call.func) + "` is not a constant.",
        sink_note="used as a file path",
    )
    # Only untrusted data makes a traversal: a merely dynamic path is normal file handling.
    return hit if hit is not None and hit.trace else None


_PATH_CALL_NAMES = frozenset({*PATH_CALLS, "flask.send_from_directory", "werkzeug.utils.send_from_directory"})


def _check_path_method(call: ast.Call, method: ast.Attribute, ctx: RuleContext):
    """``(BASE / name).read_text()``, ``path.unlink()``: the path the method works on is its
    receiver (and, for rename/replace/symlink_to, also its first argument); ``upload.save(dst)``
    of an uploaded file: ``dst``."""
    if method.attr in UPLOADED_FILE_PATH_METHODS:
        return _check_uploaded_file_method(call, method, ctx)
    if method.attr not in PATH_METHODS and not (
            method.attr in AMBIGUOUS_PATH_METHODS and is_path_expression(method.value, ctx)):
        return None
    hit = _traversal_hit(ctx, call, method.value, f"The path `{ctx.source(method.value)}`")
    if hit is None and method.attr in _TARGET_METHODS:
        target = ctx.argument(call, 0, "target")
        if target is not None:
            hit = _traversal_hit(ctx, call, target, f"The target path given to `{ctx.source(method)}`")
    return hit


def _check_uploaded_file_method(call: ast.Call, method: ast.Attribute, ctx: RuleContext):
    if not may_hold_uploaded_files(ctx.facts) or not is_uploaded_file(
            method.value, ctx.facts, ctx.scope_chain, ctx.function, ctx.qualname):
        return None
    position, keyword = UPLOADED_FILE_PATH_METHODS[method.attr]
    destination = ctx.argument(call, position, keyword)
    if destination is None:
        return None
    return _traversal_hit(ctx, call, destination, f"The destination given to `{ctx.source(method)}()`")


def _traversal_hit(ctx: RuleContext, call: ast.Call, path: ast.expr, subject: str):
    hit = dynamic_value_hit(
        ctx, call, path,
        tainted=subject + " comes from {source}; `../` or an absolute path escapes the intended directory.",
        dynamic=subject + " is not a constant.",
        sink_note="used as a file path",
    )
    return hit if hit is not None and hit.trace else None  # only untrusted data makes a traversal
