"""Flask URL rules: which functions and class-based views of a file Flask routes, and with which
rules -- what tells a view's parameters (see parameters.py: a variable of the rule is request
data unless its converter converts it; a parameter no rule names keeps its default).

A view gets its rules from

- its route decorators: ``@app.route("/item/<int:id>")``, ``@bp.get(...)`` (stacked: each one);
- ``add_url_rule(rule, endpoint, view_func)`` calls of the same file (an app's or a blueprint's;
  ``view_func`` positional or by keyword): the view is a function of the module
  (``view_func=show``, also wrapped: ``login_required(show)``) or a ``flask.views.View`` /
  ``MethodView`` class of the module (``ItemView.as_view("item")``, also through a module-level
  name bound once to that call), whose methods Flask calls with the rule's variables
  (``get``/``post``... of a MethodView, ``dispatch_request`` of a View).

A rule that is not a constant (or a name bound once to one), ``defaults=`` that is not a dict
display, or ``**options`` make what the view is given unknown: its parameters stay request data.
Not seen: registrations in another file (``app.add_url_rule(..., view_func=views.show)``, whose
view then reads as a plain function), a view stored in a container, and a blueprint's
``url_prefix`` variables.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

# Decorators that route a function (last name of a call's function: ``app.route``, ``bp.get``).
FLASK_ROUTE_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch"})
_REGISTRATION = "add_url_rule"
_MEMO = "flask_rules.registrations"
_MAX_WRAPPERS = 3


@dataclass(frozen=True)
class FlaskRule:
    """One URL rule routing to a view: its text (None: not known) and the keys of its
    ``defaults=`` (None: not known)."""

    rule: str | None
    defaults: frozenset[str] | None


def rules_of(unit: FileFlow, function: ast.AST) -> list[FlaskRule]:
    """Every rule routing to ``function``: its route decorators' and, for a module-level function
    or a method Flask dispatches to (``unit.flask_view_methods``) of a module-level class, the
    file's ``add_url_rule`` registrations of it."""
    found = [_rule_of_call(unit, decorator, decorator.args[0] if decorator.args else None)
             for decorator in getattr(function, "decorator_list", ())
             if decorator.__class__ is ast.Call and decorator.func.__class__ is ast.Attribute
             and decorator.func.attr in FLASK_ROUTE_METHODS]
    registered = registered_views(unit)
    if registered:
        name = _registered_name(unit, function)
        if name is not None:
            found.extend(registered.get(name, ()))
    return found


def is_registered_view(unit: FileFlow, function: ast.AST) -> bool:
    """A module-level function (or a Flask class-based view's dispatched method) that an
    ``add_url_rule`` of this file routes to."""
    registered = registered_views(unit)
    if not registered:
        return False
    name = _registered_name(unit, function)
    return name is not None and name in registered


def _registered_name(unit: FileFlow, function: ast.AST) -> str | None:
    """The name a registration names ``function`` by: its own (a module-level function) or its
    class's (a method Flask dispatches to, of a module-level class); None for anything else."""
    prefix = unit.module_name + "."
    if id(function) in unit.flask_view_methods:
        owner = unit.class_of_method.get(id(function), "")
        short = owner.removeprefix(prefix)
        return short if owner.startswith(prefix) and "." not in short else None
    if id(function) in unit.class_of_method or function.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
        return None
    if unit.function_qualname(function) != prefix + function.name:  # type: ignore[attr-defined]
        return None  # (a nested function)
    bindings = unit.facts.scopes.bindings_of(function.name, [unit.parsed.tree])  # type: ignore[attr-defined]
    return function.name if bindings is not None and len(bindings) == 1 else None  # type: ignore[attr-defined]


def registered_views(unit: FileFlow) -> dict[str, list[FlaskRule]]:
    """The file's ``add_url_rule`` registrations: the name of the module's function or class
    they route to -> their rules (computed once per file; nothing without an import of Flask)."""
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {})
    known = memo.get("views")
    if known is None:
        known = memo["views"] = _registrations(unit) if unit.facts.imports.imports_module("flask") else {}
    return known


def _registrations(unit: FileFlow) -> dict[str, list[FlaskRule]]:
    found: dict[str, list[FlaskRule]] = {}
    for node, _ in unit.facts.nodes:
        if node.__class__ is not ast.Call:
            continue
        func = node.func  # type: ignore[attr-defined]
        if func.__class__ is not ast.Attribute or func.attr != _REGISTRATION:
            continue
        call: ast.Call = node  # type: ignore[assignment]
        view = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "view_func"), None)
        name = _view_name(unit, view, 0) if view is not None else None
        if name is not None:
            rule = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "rule"), None)
            found.setdefault(name, []).append(_rule_of_call(unit, call, rule))
    return found


def _view_name(unit: FileFlow, view: ast.expr, depth: int) -> str | None:
    """``show``, ``ItemView.as_view("item")``, ``login_required(show)``, a module-level name bound
    once to one of these: the name of the module's function or class it routes to."""
    if depth > _MAX_WRAPPERS:
        return None
    if view.__class__ is ast.Name:
        bindings = unit.facts.scopes.bindings_of(view.id, [unit.parsed.tree])  # type: ignore[attr-defined]
        if bindings is not None and len(bindings) == 1 and bindings[0] is not None:
            return _view_name(unit, bindings[0], depth + 1)  # ``item_view = ItemView.as_view("item")``
        return view.id  # type: ignore[attr-defined]
    if view.__class__ is ast.Call:
        func = view.func  # type: ignore[attr-defined]
        if func.__class__ is ast.Attribute and func.attr == "as_view":
            return func.value.id if func.value.__class__ is ast.Name else None
        arguments = view.args  # type: ignore[attr-defined]
        if len(arguments) == 1 and not view.keywords:  # type: ignore[attr-defined]
            return _view_name(unit, arguments[0], depth + 1)  # ``login_required(show)``
    return None


def _rule_of_call(unit: FileFlow, call: ast.Call, rule: ast.expr | None) -> FlaskRule:
    text = None
    if rule is not None and rule.__class__ is ast.Constant and isinstance(rule.value, str):  # type: ignore[attr-defined]
        text = rule.value  # type: ignore[attr-defined]
    elif rule is not None and rule.__class__ is ast.Name and isinstance(unit.module_constants.get(rule.id), str):  # type: ignore[attr-defined]
        text = unit.module_constants[rule.id]  # type: ignore[attr-defined]
    defaults: frozenset[str] | None = frozenset()
    for keyword in call.keywords:
        if keyword.arg is None:  # ``**options``: maybe ``defaults``
            defaults = None
        elif keyword.arg == "defaults":
            value = keyword.value
            if value.__class__ is not ast.Dict or None in value.keys:  # type: ignore[attr-defined]
                defaults = None
            else:
                defaults = frozenset(k.value for k in value.keys  # type: ignore[attr-defined]
                                     if k.__class__ is ast.Constant and isinstance(k.value, str))  # type: ignore[union-attr]
    return FlaskRule(text, defaults)
