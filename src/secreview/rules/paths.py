"""Path traversal (CWE-22): file system paths built from untrusted data."""
from __future__ import annotations

import ast

from secreview.rules.base import HIGH, MEDIUM, dynamic_value_hit, rule
from secreview.rules.context import RuleContext

# Calls whose first argument (or the named keyword) is a path that is opened, written or removed.
PATH_CALLS = (
    "open", "builtins.open", "io.open", "codecs.open", "os.open", "os.remove", "os.unlink", "os.rmdir",
    "os.removedirs", "os.rename", "os.replace", "os.makedirs", "os.mkdir", "os.listdir", "os.scandir",
    "os.chmod", "os.chown", "os.truncate", "os.symlink", "os.link", "os.walk", "shutil.rmtree",
    "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
    "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "flask.send_file",
    "django.http.FileResponse", "starlette.responses.FileResponse", "fastapi.responses.FileResponse",
    "aiofiles.open", "tempfile.NamedTemporaryFile",
)


@rule(
    id="path-traversal",
    title="Path traversal",
    cwe=22,
    severity=HIGH,
    confidence=MEDIUM,
    calls=[*PATH_CALLS, "flask.send_from_directory", "werkzeug.utils.send_from_directory"],
    description="""A file path is built from data the client controls. With `../` segments or an
        absolute path the client reads, overwrites or deletes files outside the intended
        directory.""",
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
    # send_from_directory(directory, path): the directory is trusted, the path is checked by
    # werkzeug's safe_join -- only a tainted *directory* is a traversal.
    position = 0
    value = ctx.argument(call, position, "file" if name.endswith("open") else "path")
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
