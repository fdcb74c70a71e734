"""pathlib paths in the code: which expressions are one, for the rules that judge file paths
(path traversal) and the string composition that reads their constant beginning.

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast

from secreview.rules.context import RuleContext

PATH_CONSTRUCTORS = frozenset({
    "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath", "anyio.Path", "trio.Path", "aiopath.AsyncPath", "zipfile.Path",
})
# Calls that give a path without being given one.
PATH_FACTORIES = frozenset({"pathlib.Path.home", "pathlib.Path.cwd", "pathlib.PosixPath.home", "pathlib.PosixPath.cwd"})
# Path methods and attributes that give another path.
DERIVED_PATHS = frozenset({
    "joinpath", "resolve", "absolute", "expanduser", "with_name", "with_suffix", "with_stem", "parent",
    "relative_to",
})


def is_path_expression(expr: ast.expr, ctx: RuleContext, depth: int = 0) -> bool:
    """A pathlib path: a Path(...) call, a ``/`` join with one, a path derived from one
    (``.joinpath()``, ``.resolve()``, ``.parent``), or a name bound only to such expressions or
    annotated as a Path."""
    if depth > 8:
        return False
    if isinstance(expr, ast.Call):
        name = ctx.call_name(expr)
        if name in PATH_CONSTRUCTORS or name in PATH_FACTORIES:
            return True
        return isinstance(expr.func, ast.Attribute) and expr.func.attr in DERIVED_PATHS \
            and is_path_expression(expr.func.value, ctx, depth + 1)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return is_path_expression(expr.left, ctx, depth + 1) or is_path_expression(expr.right, ctx, depth + 1)
    if isinstance(expr, ast.Attribute) and expr.attr in DERIVED_PATHS:
        return is_path_expression(expr.value, ctx, depth + 1)
    if isinstance(expr, ast.Name):
        if _annotated_as_path(expr.id, ctx):
            return True
        bindings = ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain) or []
        values = [b for b in bindings if isinstance(b, ast.expr) and b is not expr]
        return bool(values) and len(values) == len(bindings) and all(
            is_path_expression(value, ctx, depth + 1) for value in values)
    return False


def _annotated_as_path(name: str, ctx: RuleContext) -> bool:
    function = ctx.function
    if function is None:
        return False
    arguments = function.args
    for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if argument.arg == name and argument.annotation is not None:
            annotation = argument.annotation
            if isinstance(annotation, ast.Subscript):
                annotation = annotation.value  # Annotated[Path, ...], Optional[Path]
            return ctx.qualname(annotation) in PATH_CONSTRUCTORS
    return False
