"""Archives in the code (``zipfile.ZipFile``, ``tarfile.TarFile``): which expressions are one, from
a file's facts alone (also ``self.NAME`` in a method, when every assignment of it in the class
opens the same kind of archive) -- for the data flow, whose source "archive member name" is what an
archive's ``namelist()``/``infolist()``/``getmembers()``/``getnames()`` give (see models/sources.py,
ARCHIVE_*).

No guessing (as facts/instances.py): a name is one only when *every* binding of it in its scope
opens an archive (an assignment of the call, a ``with ... as`` item) or it is a parameter annotated
with an archive class; anything else bound to it leaves it unknown.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

from secreview.facts import instances
from secreview.facts.pathlib_paths import annotated_as
from secreview.facts.scopes import ScopeNode
from secreview.models.sources import ARCHIVE_CLASSES, ARCHIVE_MODULES, ARCHIVE_OPENERS

if TYPE_CHECKING:
    from secreview.facts import FileFacts

Qualname = Callable[[ast.AST], "str | None"]


def may_hold_archives(facts: FileFacts) -> bool:
    """The cheap test first: without an import of zipfile or tarfile no expression is one."""
    imports = facts.imports
    return any(imports.imports_module(module) for module in ARCHIVE_MODULES)


def archive_class(expr: ast.expr, facts: FileFacts, chain: list[ScopeNode], function: ast.AST | None,
                  qualname: Qualname) -> str | None:
    """"zipfile.ZipFile" or "tarfile.TarFile" when ``expr`` (an opener's call, a name, ``self.NAME``)
    is such an archive, seen from the scopes ``chain`` (outermost first) in ``function``; else None."""
    def constructed(value: ast.expr) -> str | None:
        return ARCHIVE_OPENERS.get(qualname(value.func) or "") if value.__class__ is ast.Call else None  # type: ignore[attr-defined]

    if expr.__class__ is ast.Attribute and function is not None and not any(scope.__class__ is ast.ClassDef for scope in chain):
        classdef = _class_of_method(facts, function)  # ``self._archive``: the chain must hold the class
        if classdef is not None:
            chain = [facts.scopes.tree, classdef, function]
    found = instances.class_of(facts.scopes, expr, chain, constructed)
    if found is not None or expr.__class__ is not ast.Name:
        return found
    name = expr.id  # type: ignore[attr-defined]
    binder = facts.scopes.binder(name, chain)
    if function is None or binder is None or name in binder.escaped or facts.scopes.collector(function) is not binder \
            or binder.bindings[name] != [None]:
        return None  # (a parameter is bound once, to a value we cannot see)
    for cls in sorted(ARCHIVE_CLASSES):
        if annotated_as(name, function, qualname, frozenset({cls})):
            return ARCHIVE_OPENERS[cls]
    return None


def _class_of_method(facts: FileFacts, function: ast.AST) -> ast.ClassDef | None:
    """The class whose body defines ``function`` (None for a function outside any class); the
    file's methods are mapped once."""
    memo = facts.scopes.memo
    methods = memo.get("archives.method_classes")
    if methods is None:
        methods = memo["archives.method_classes"] = {
            id(statement): node for node in ast.walk(facts.scopes.tree) if isinstance(node, ast.ClassDef)
            for statement in node.body if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return methods.get(id(function))
