"""Which class an object held by a name was made from, when the file shows it without doubt.

``client = httpx.Client()``, ``with requests.Session() as s``, a module-level ``http =
urllib3.PoolManager()`` used in functions, ``self.api = httpx.AsyncClient()`` in a method: the rules
then know ``client.get(url)`` as ``httpx.Client.get``. The caller says which calls construct a class
it cares about (``constructed``); this module only looks at bindings.

No guessing, and no flow-sensitivity: a name resolves only when *every* binding of it in its scope
constructs the same class (an assignment of the constructor call, or a ``with``/``async with``
item entering it: these clients return themselves from ``__enter__``). A parameter, a loop
variable, a rebinding to anything else, a ``global`` statement or two different classes leave it
unresolved everywhere in the scope.
"""
from __future__ import annotations

import ast
from typing import Callable

from secreview.facts.scopes import ScopeIndex, ScopeNode

# The class that a value expression constructs (its name as the rules know it), or None.
Constructed = Callable[[ast.expr], "str | None"]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def class_of(index: ScopeIndex, receiver: ast.expr, chain: list[ScopeNode], constructed: Constructed) -> str | None:
    """The class ``receiver`` (a call, a name or ``self.NAME``) was made from, or None."""
    cls = receiver.__class__
    if cls is ast.Call:
        return constructed(receiver)
    if cls is ast.Name:
        return class_of_name(index, receiver.id, chain, constructed)  # type: ignore[attr-defined]
    if cls is ast.Attribute and receiver.value.__class__ is ast.Name:  # type: ignore[attr-defined]
        return class_of_attribute(index, receiver, chain, constructed)  # type: ignore[arg-type]
    return None


def class_of_name(index: ScopeIndex, name: str, chain: list[ScopeNode], constructed: Constructed) -> str | None:
    binder = index.binder(name, chain)
    if binder is None or name in binder.escaped:
        return None
    values = binder.bindings[name]
    entered = binder.entered.get(name, ())
    # Each ``with ... as NAME`` binds NAME once to UNKNOWN: any other UNKNOWN binding (parameter,
    # loop variable, import, except clause...) is a value we cannot see.
    if sum(value is None for value in values) != len(entered):
        return None
    made = [value for value in values if value is not None] + [item.context_expr for item in entered]
    return _one_class(made, constructed)


def class_of_attribute(index: ScopeIndex, receiver: ast.Attribute, chain: list[ScopeNode], constructed: Constructed) -> str | None:
    """``self.NAME`` in a method: the class when every assignment of ``NAME`` in the class (to
    ``self.NAME`` in any of its methods, or in the class body) constructs the same one."""
    owner = receiver.value.id  # type: ignore[attr-defined]
    method, classdef = _method_and_class(index, owner, chain)
    if method is None or classdef is None:
        return None
    assigned = _attribute_values(index, classdef).get(receiver.attr)
    return None if assigned is None else _one_class(assigned, constructed)


def _one_class(values: list[ast.expr | None], constructed: Constructed) -> str | None:
    found = None
    for value in values:
        made = constructed(value) if value is not None else None
        if made is None or (found is not None and made != found):
            return None
        found = made
    return found


def _method_and_class(index: ScopeIndex, owner: str, chain: list[ScopeNode]):
    """(the method whose first parameter ``owner`` is, seen from ``chain``, and its class), or
    (None, None) when ``owner`` is something else (a local, a static method's argument...)."""
    binder = index.binder(owner, chain)
    for position in range(len(chain) - 1, 0, -1):
        scope = chain[position]
        if isinstance(scope, _FUNCTIONS) and index.collector(scope) is binder:
            classdef = chain[position - 1]
            if isinstance(classdef, ast.ClassDef) and _self_parameter(scope) == owner \
                    and binder.bindings[owner] == [None] and owner not in binder.escaped:
                return scope, classdef
            break
    return None, None


def _self_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The name of the instance parameter of a method (None for static and class methods)."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
            return None
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None


def attribute_values(index: ScopeIndex, classdef: ast.ClassDef) -> dict[str, list[ast.expr | None]]:
    """Attribute name -> every value the class gives it (see ``_attribute_values``)."""
    return _attribute_values(index, classdef)


self_parameter = _self_parameter  # (also dataflow/services.py's)


def _attribute_values(index: ScopeIndex, classdef: ast.ClassDef) -> dict[str, list[ast.expr | None]]:
    """Attribute name -> the values the class gives it (None: a value we cannot see), computed once
    per class: class-body assignments, and ``self.NAME = ...`` / ``with ... as self.NAME`` anywhere
    in its methods (nested functions included: they may close over ``self``)."""
    memo = index.memo.setdefault("instances.attributes", {})
    known = memo.get(id(classdef))
    if known is not None and known[0] is classdef:
        return known[1]
    values: dict[str, list[ast.expr | None]] = {}
    for statement in classdef.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            for target in statement.targets if isinstance(statement, ast.Assign) else [statement.target]:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(statement.value)
        elif isinstance(statement, _FUNCTIONS):
            owner = _self_parameter(statement)
            if owner is not None:
                _collect_attribute_values(statement, owner, values)
    memo[id(classdef)] = (classdef, values)
    return values


def _collect_attribute_values(method: ast.AST, owner: str, values: dict[str, list[ast.expr | None]]) -> None:
    def add(target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == owner:
            values.setdefault(target.attr, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            same_shape = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            for position, element in enumerate(target.elts):
                add(element, value.elts[position] if same_shape else None)  # type: ignore[union-attr]
        elif isinstance(target, ast.Starred):
            add(target.value, None)

    for node in ast.walk(method):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                add(node.target, node.value)
        elif isinstance(node, ast.withitem):
            if node.optional_vars is not None:
                add(node.optional_vars, node.context_expr)
        elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):
            add(node.target, None)
