"""pathlib paths in the code: which expressions are one, from a file's facts alone -- for the
rules that judge file paths (see rules/_pathlib.py) and for the data flow (``path.open()`` gives
the file's contents only on a pathlib path).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

from secreview.facts.scopes import ScopeNode

if TYPE_CHECKING:
    from secreview.facts import FileFacts

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


def is_pathlib_path(expr: ast.expr, facts: FileFacts, chain: list[ScopeNode], function: ast.AST | None,
                    qualname: Callable[[ast.AST], str | None], depth: int = 0) -> bool:
    """``is_path_expression`` for any caller (the rules' context, the data-flow analysis): the
    file's facts, the scopes enclosing ``expr`` (outermost first), the innermost function and the
    caller's import-resolved names."""
    if depth > 8:
        return False
    if isinstance(expr, ast.Call):
        func = expr.func
        name = qualname(func)
        if name in PATH_CONSTRUCTORS or name in PATH_FACTORIES:
            return True
        if isinstance(func, ast.Attribute):
            return func.attr in DERIVED_PATHS and is_pathlib_path(func.value, facts, chain, function, qualname, depth + 1)
        return isinstance(func, ast.Name) and _returns_path(func.id, facts, chain, qualname)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return (is_pathlib_path(expr.left, facts, chain, function, qualname, depth + 1)
                or is_pathlib_path(expr.right, facts, chain, function, qualname, depth + 1))
    if isinstance(expr, ast.Attribute) and expr.attr in DERIVED_PATHS:
        return is_pathlib_path(expr.value, facts, chain, function, qualname, depth + 1)
    if isinstance(expr, ast.Name):
        if _annotated_as_path(expr.id, function, qualname):
            return True
        bindings = facts.scopes.bindings_of(expr.id, chain) or []
        values = [b for b in bindings if isinstance(b, ast.expr) and b is not expr]
        return bool(values) and len(values) == len(bindings) and all(
            is_pathlib_path(value, facts, chain, function, qualname, depth + 1) for value in values)
    return False


def _annotated_as_path(name: str, function: ast.AST | None, qualname: Callable[[ast.AST], str | None]) -> bool:
    return annotated_as(name, function, qualname, PATH_CONSTRUCTORS)


def annotated_as(name: str, function: ast.AST | None, qualname: Callable[[ast.AST], str | None],
                 classes: frozenset[str]) -> bool:
    """Is ``name`` a parameter of ``function`` annotated with one of ``classes`` (see
    ``_is_path_annotation``)?"""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    arguments = function.args
    for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if argument.arg == name and argument.annotation is not None:
            return _is_path_annotation(argument.annotation, qualname, classes=classes)
    return False


def _is_path_annotation(annotation: ast.expr, qualname: Callable[[ast.AST], str | None], quoted: bool = False,
                        classes: frozenset[str] = PATH_CONSTRUCTORS) -> bool:
    """``Path``, ``pathlib.Path``, also inside ``Optional[...]``/``Annotated[...]``/``Path | None``
    (the value, when there is one, is a path), also quoted (``"Path | None"``); or another of
    ``classes``."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) and not quoted:
        try:  # (parsed, never evaluated)
            parsed = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return False
        return _is_path_annotation(parsed, qualname, quoted=True, classes=classes)
    if isinstance(annotation, ast.Subscript):  # Optional[Path], Annotated[Path, "..."], Union[Path, None]
        wrapper = (qualname(annotation.value) or "").rsplit(".", 1)[-1]
        inner = annotation.slice
        members = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        if wrapper == "Annotated" and members:
            members = members[:1]
        elif wrapper not in ("Optional", "Union"):
            return False  # list[Path], dict[str, Path]...: not a path
    elif isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):  # Path | None
        members = [annotation.left, annotation.right]
    else:
        members = [annotation]
    kept = [member for member in members if not (isinstance(member, ast.Constant) and member.value is None)]
    if len(kept) != 1:
        return False
    annotation = kept[0]
    return qualname(annotation) in classes


def _returns_path(name: str, facts: FileFacts, chain: list[ScopeNode], qualname: Callable[[ast.AST], str | None]) -> bool:
    """``get_cache_file(mode)``: a function defined once at the top of this file, annotated as
    returning a Path (and not bound to anything else in the scopes that see the call)."""
    tree = facts.scopes.tree
    bindings = facts.scopes.bindings_of(name, chain)
    if bindings is None or len(bindings) != 1 or facts.scopes.binder(name, chain) is not facts.scopes.collector(tree):
        return False
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            return statement.returns is not None and _is_path_annotation(statement.returns, qualname)
    return False
