"""Uploaded files of werkzeug (``FileStorage``, the values of Flask's ``request.files``) in the
code: which expressions are one, from a file's facts alone -- for the rules whose sink is one of
their methods (``upload.save(dst)`` writes a file at ``dst``; see rules/paths.py). The tables are
in models/sources.py (UPLOADED_FILE_*).

No guessing: a name is one only when *every* binding of it in its scope is one (a read of
``request.files``, a loop over its values, the file of ``for name, f in request.files.items()``
or of ``for i, f in enumerate(<uploaded files>)``, a parameter annotated ``FileStorage``); anything else
bound to it (another value, a ``with`` item, a ``global`` statement) leaves it unknown, so a
``.save()`` on it is not taken for an upload's.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

from secreview.facts.pathlib_paths import annotated_as
from secreview.facts.scopes import ScopeNode
from secreview.models.sources import (
    UPLOADED_FILE_CLASSES, UPLOADED_FILE_CONTAINERS, UPLOADED_FILE_LISTS, UPLOADED_FILE_MODULES, UPLOADED_FILE_PAIRS,
    UPLOADED_FILE_READS,
)

if TYPE_CHECKING:
    from secreview.facts import FileFacts

Qualname = Callable[[ast.AST], "str | None"]
_MAX_DEPTH = 4


def may_hold_uploaded_files(facts: FileFacts) -> bool:
    """The cheap test first: without an import of Flask or werkzeug no expression is one."""
    imports = facts.imports
    return any(imports.imports_module(module) for module in UPLOADED_FILE_MODULES)


def is_uploaded_file(expr: ast.expr, facts: FileFacts, chain: list[ScopeNode], function: ast.AST | None,
                     qualname: Qualname, depth: int = 0) -> bool:
    """``request.files["f"]``, ``request.files.get("f")``, or a name every binding of which is
    one (an assignment of one, ``for f in request.files.getlist("f")``, a parameter annotated
    ``FileStorage``), seen from the scopes ``chain`` (outermost first) in ``function``."""
    if depth > _MAX_DEPTH:
        return False
    cls = expr.__class__
    if cls is ast.Subscript:
        return qualname(expr.value) in UPLOADED_FILE_CONTAINERS  # type: ignore[attr-defined]
    if cls is ast.Call:
        func = expr.func  # type: ignore[attr-defined]
        return func.__class__ is ast.Attribute and func.attr in UPLOADED_FILE_READS and qualname(func.value) in UPLOADED_FILE_CONTAINERS
    if cls is ast.NamedExpr:
        return is_uploaded_file(expr.value, facts, chain, function, qualname, depth + 1)  # type: ignore[attr-defined]
    if cls is not ast.Name:
        return False
    name = expr.id  # type: ignore[attr-defined]
    binder = facts.scopes.binder(name, chain)
    if binder is None or name in binder.escaped:
        return False
    values = binder.bindings[name]
    unknown = sum(value is None for value in values)  # parameters, loop targets, ``with`` items...
    explained = 0
    for loop in binder.loops.get(name, ()):
        if not _iterates_uploaded_files(loop.iter, facts, chain, qualname, depth + 1):
            return False
        explained += 1
    for loop, position in binder.pair_loops.get(name, ()):  # ``for name, f in request.files.items()``
        if position != 1 or not _pairs_uploaded_files(loop.iter, facts, chain, qualname, depth + 1):
            return False
        explained += 1
    if unknown > explained and function is not None and facts.scopes.collector(function) is binder \
            and annotated_as(name, function, qualname, UPLOADED_FILE_CLASSES):  # type: ignore[arg-type]
        explained += 1
    if unknown != explained:
        return False
    return all(is_uploaded_file(value, facts, chain, function, qualname, depth + 1)
               for value in values if value is not None and value is not expr)


def _pairs_uploaded_files(iterable: ast.expr, facts: FileFacts, chain: list[ScopeNode], qualname: Qualname,
                          depth: int) -> bool:
    """``request.files.items()`` (``items(multi=True)``): (field name, file) pairs; ``enumerate()``
    of uploaded files: (number, file)."""
    if iterable.__class__ is not ast.Call:
        return False
    func = iterable.func  # type: ignore[attr-defined]
    if func.__class__ is ast.Attribute:
        return func.attr in UPLOADED_FILE_PAIRS and qualname(func.value) in UPLOADED_FILE_CONTAINERS
    arguments = iterable.args  # type: ignore[attr-defined]
    return (qualname(func) in _ENUMERATE and len(arguments) >= 1 and arguments[0].__class__ is not ast.Starred
            and _iterates_uploaded_files(arguments[0], facts, chain, qualname, depth))


_ENUMERATE = frozenset({"enumerate", "builtins.enumerate"})


def _iterates_uploaded_files(iterable: ast.expr, facts: FileFacts, chain: list[ScopeNode], qualname: Qualname,
                             depth: int) -> bool:
    """``request.files.getlist("f")``, ``request.files.values()``, or a name bound only to such."""
    if depth > _MAX_DEPTH:
        return False
    if iterable.__class__ is ast.Call:
        func = iterable.func  # type: ignore[attr-defined]
        return func.__class__ is ast.Attribute and func.attr in UPLOADED_FILE_LISTS and qualname(func.value) in UPLOADED_FILE_CONTAINERS
    if iterable.__class__ is ast.Name:
        bindings = facts.scopes.bindings_of(iterable.id, chain)  # type: ignore[attr-defined]
        return bool(bindings) and all(
            value is not None and _iterates_uploaded_files(value, facts, chain, qualname, depth + 1) for value in bindings)  # type: ignore[union-attr]
    return False
