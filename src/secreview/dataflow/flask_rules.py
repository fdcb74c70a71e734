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
  (``get``/``post``... of a MethodView, ``dispatch_request`` of a View);
- for Flask-RESTful/RESTX resources (MethodViews): ``api.add_resource(Item, *urls)`` and a
  ``@ns.route(rule)`` decorating the class;
- Flask-Admin's ``@expose(rule)`` on a method of a ``BaseView`` subclass (models
  FLASK_ADMIN_EXPOSE): a Flask rule under the admin view's URL, calling the method with its variables;
- under the ``url_prefix`` of a blueprint (``bp = Blueprint(..., url_prefix="/<lang>")`` at
  module level), or the ones this file's ``register_blueprint(bp, url_prefix=...)`` give it.
- the registrations of another file (``from . import views; app.add_url_rule(rule,
  view_func=views.show)``, ``from .views import Item; api.add_resource(Item, rule)``): that file
  exports them as entries of its summaries, which this file's views ask the project table for
  (see ELSEWHERE), when this file imports Flask.

A rule or prefix that is not a constant (or a name bound once to one), ``defaults=`` that is not a
dict display, or ``**options`` make what the view is given unknown: its parameters stay request
data. Not seen: a blueprint registered with a ``url_prefix`` in another file, a view stored in a
container, a parent blueprint's or a REST ``Api``/``Namespace``'s own prefix.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.models.sources import FLASK_ADMIN_EXPOSE, FLASK_ADMIN_EXPOSE_NAME

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

# Decorators that route a function (last name of a call's function: ``app.route``, ``bp.get``).
FLASK_ROUTE_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch"})
# The modules whose import makes the file's registrations worth reading (Flask, and the REST
# extensions whose ``Resource`` classes are MethodViews: ``api.add_resource(Item, "/item/<int:id>")``).
FLASK_MODULES = ("flask", "flask_restful", "flask_restx", "flask_restplus", "quart",  # (Quart: Flask's API, Werkzeug's rules)
                 "flask_admin", "flask_appbuilder")  # (``@expose(rule)``: see models FLASK_ADMIN_EXPOSE)
BLUEPRINT_CLASSES = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint", "quart.Blueprint", "quart.blueprints.Blueprint"})
_REGISTRATION = "add_url_rule"
_RESOURCE_REGISTRATION = "add_resource"  # (Flask-RESTful/RESTX: ``add_resource(Resource, *urls)``)
_BLUEPRINT_REGISTRATION = "register_blueprint"
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
    class's route decorators (Flask-RESTX's ``@ns.route(...)``) and the file's ``add_url_rule``
    (``add_resource``) registrations of it. A blueprint's routes are under its ``url_prefix``."""
    found = _decorator_rules(unit, function, FLASK_ROUTE_METHODS)
    if getattr(function, "decorator_list", None):
        found.extend(FlaskRule(_constant_text(unit, rule), frozenset()) for rule in exposed_rules(unit, function))
    registered = registered_views(unit)
    if registered or id(function) in unit.flask_view_methods:
        name = _registered_name(unit, function)
        if name is not None:
            # (a method is reached by the routes to its class and to the subclasses of this file)
            method = id(function) in unit.flask_view_methods
            for member in _family(unit, name) if method else [name]:
                owner = unit.class_node(f"{unit.module_name}.{member}") if method else None
                if owner is not None:  # (Flask-RESTX: ``@ns.route(rule)`` on the class)
                    found.extend(_decorator_rules(unit, owner, frozenset({"route"})))
                found.extend(registered.get(member, ()))
    found.extend(rules_elsewhere(unit, function))
    return found


def exposed_rules(unit: FileFlow, function: ast.AST) -> list[ast.expr | None]:
    """The rules of the Flask-Admin ``@expose(rule)`` decorators of ``function`` (see models
    FLASK_ADMIN_EXPOSE; the rule positional or ``url=``, None when missing); empty for none."""
    found: list[ast.expr | None] = []
    for decorator in getattr(function, "decorator_list", ()):
        if decorator.__class__ is not ast.Call:
            continue
        target = decorator.func
        last = target.id if target.__class__ is ast.Name else getattr(target, "attr", None)
        if last == FLASK_ADMIN_EXPOSE_NAME and unit.qualname(target) in FLASK_ADMIN_EXPOSE:
            found.append(decorator.args[0] if decorator.args else next((k.value for k in decorator.keywords if k.arg == "url"), None))
    return found


def _family(unit: FileFlow, name: str) -> list[str]:
    """The module-level class ``name`` and the module-level classes deriving from it (by name)."""
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {}).setdefault("families", {})
    known = memo.get(name)
    if known is None:
        bases = {statement.name: {base.id for base in statement.bases if base.__class__ is ast.Name}  # type: ignore[attr-defined]
                 for statement in unit.parsed.tree.body if statement.__class__ is ast.ClassDef}
        known = [name]
        for member in known:
            known += [child for child, parents in bases.items() if member in parents and child not in known]
        memo[name] = known
    return known


def _decorator_rules(unit: FileFlow, node: ast.AST, names: frozenset[str]) -> list[FlaskRule]:
    found = []
    for decorator in getattr(node, "decorator_list", ()):
        if decorator.__class__ is ast.Call and decorator.func.__class__ is ast.Attribute and decorator.func.attr in names:
            found.extend(_rules_of_call(unit, decorator, [decorator.args[0] if decorator.args else None]))
    return found
def is_registered_view(unit: FileFlow, function: ast.AST) -> bool:
    """A module-level function (or a Flask class-based view's dispatched method) that an
    ``add_url_rule`` of this file, or of another file of the project, routes to."""
    registered = registered_views(unit)
    if registered:
        name = _registered_name(unit, function)
        if name is not None:
            names = _family(unit, name) if id(function) in unit.flask_view_methods else [name]
            if any(member in registered for member in names):
                return True
    return bool(rules_elsewhere(unit, function))


def rules_elsewhere(unit: FileFlow, function: ast.AST) -> list[FlaskRule]:
    """The rules the registrations of other files give ``function`` (a module-level function of
    a file importing Flask, or a method Flask dispatches to of a module-level class: its class's
    and its subclasses' of this file): the project table's answer to the question
    ``<module>.<name>.<flask>`` (see ELSEWHERE), asked for each -- an answer the file's review
    depends on, as on a Django URL conf's."""
    if not unit.module_name or not imports_flask(unit):
        return []
    name = _registered_name(unit, function)
    if name is None:
        return []
    found: list[FlaskRule] = []
    for member in _family(unit, name) if id(function) in unit.flask_view_methods else [name]:
        found.extend(_told_rules(unit, unit.told_routes(f"{unit.module_name}.{member}{ELSEWHERE}")))
    return found


def _told_rules(unit: FileFlow, told: tuple) -> list[FlaskRule]:
    if not told:
        return []
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {}).setdefault("told", {})
    known = memo.get(told)
    if known is None:
        known = memo[told] = [_decoded_rule(item) for item, _ in told]
    return known


def _registered_name(unit: FileFlow, function: ast.AST) -> str | None:
    """The name a registration names ``function`` by: its own (a module-level function) or its
    class's (a method Flask dispatches to, of a module-level class); None for anything else."""
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {}).setdefault("names", {})
    key = id(function)
    if key not in memo:
        memo[key] = _name_registered_by(unit, function)
    return memo[key]


def _name_registered_by(unit: FileFlow, function: ast.AST) -> str | None:
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
    """The file's ``add_url_rule`` (``add_resource``) registrations: the name of the module's
    function or class they route to -> their rules (computed once per file; nothing without an
    import of Flask or its REST extensions)."""
    return _all_registrations(unit)[0]


def exported_views(unit: FileFlow) -> dict[str, list[FlaskRule]]:
    """The file's registrations of views of other modules (``view_func=views.show``, ``from
    .views import Item``, ``Item.as_view("item")``, ``add_resource(Item, ...)``): their qualified
    names -> their rules."""
    return _all_registrations(unit)[1]


def imports_flask(unit: FileFlow) -> bool:
    """Does the file import Flask or one of its REST extensions? (Nothing else is read.)"""
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {})
    known = memo.get("flask")
    if known is None:
        imports = unit.facts.imports
        known = memo["flask"] = any(imports.imports_module(m) for m in FLASK_MODULES)
    return known


def _all_registrations(unit: FileFlow) -> tuple[dict[str, list[FlaskRule]], dict[str, list[FlaskRule]]]:
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {})
    known = memo.get("views")
    if known is None:
        known = memo["views"] = _registrations(unit) if imports_flask(unit) else ({}, {})
    return known


def _registrations(unit: FileFlow) -> tuple[dict[str, list[FlaskRule]], dict[str, list[FlaskRule]]]:
    found: dict[str, list[FlaskRule]] = {}
    elsewhere: dict[str, list[FlaskRule]] = {}
    for node, _ in unit.facts.nodes:
        if node.__class__ is not ast.Call:
            continue
        func = node.func  # type: ignore[attr-defined]
        if func.__class__ is not ast.Attribute or func.attr not in (_REGISTRATION, _RESOURCE_REGISTRATION):
            continue
        call: ast.Call = node  # type: ignore[assignment]
        if func.attr == _RESOURCE_REGISTRATION:  # ``api.add_resource(Item, "/item/<int:id>", "/items/<int:id>")``
            view = call.args[0] if call.args else None
            rules: list[ast.expr | None] = [None if a.__class__ is ast.Starred else a for a in call.args[1:]]
        else:
            view = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "view_func"), None)
            rules = [call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "rule"), None)]
        name = _view_name(unit, view, 0) if view is not None else None
        if name is not None:
            local = name[0] != _IMPORTED
            (found if local else elsewhere).setdefault(name if local else name[1:], []).extend(
                _rules_of_call(unit, call, rules or [None]))
    return found, elsewhere


_IMPORTED = "."  # (_view_name: the qualified name of another module's function or class, after it)


def _view_name(unit: FileFlow, view: ast.expr, depth: int) -> str | None:
    """``show``, ``ItemView.as_view("item")``, ``login_required(show)``, a module-level name bound
    once to one of these: the name of the module's function or class it routes to; for an
    imported one (``views.show``, ``from .views import show``), "." and its qualified name."""
    if depth > _MAX_WRAPPERS:
        return None
    if view.__class__ is ast.Name or view.__class__ is ast.Attribute:
        if view.__class__ is ast.Name:
            bindings = unit.facts.scopes.bindings_of(view.id, [unit.parsed.tree])  # type: ignore[attr-defined]
            if bindings is not None and len(bindings) == 1 and bindings[0] is not None:
                return _view_name(unit, bindings[0], depth + 1)  # ``item_view = ItemView.as_view("item")``
        imported = imported_name(unit, view)
        if imported is not None:
            return _IMPORTED + imported
        return view.id if view.__class__ is ast.Name else None  # type: ignore[attr-defined]
    if view.__class__ is ast.Call:
        func = view.func  # type: ignore[attr-defined]
        if func.__class__ is ast.Attribute and func.attr == "as_view":
            imported = imported_name(unit, func.value)
            if imported is not None:
                return _IMPORTED + imported
            return func.value.id if func.value.__class__ is ast.Name else None
        arguments = view.args  # type: ignore[attr-defined]
        if len(arguments) == 1 and not view.keywords:  # type: ignore[attr-defined]
            return _view_name(unit, arguments[0], depth + 1)  # ``login_required(show)``
    return None


def imported_name(unit: FileFlow, view: ast.expr) -> str | None:
    """The qualified name of an imported function or class (``views.show``, ``show`` after ``from
    .views import show``), if ``view`` names one."""
    root = view
    while root.__class__ is ast.Attribute:
        root = root.value  # type: ignore[attr-defined]
    imports = unit.facts.imports
    if root.__class__ is not ast.Name or root.id not in imports.aliases or root.id in imports.local_defs:  # type: ignore[attr-defined]
        return None
    name = unit.qualname(view)
    return name if name is not None and "." in name else None


# ---- views routed by another file's registrations -------------------------------------------
# A file's registrations of views of other modules are entries of its own summaries,
# ``app.views.show.<flask>.<routes>``, listing the rules (see _encoded_rule); the module of the
# view asks the question ``app.views.show.<flask>`` (an ordinary question of the routes to a
# view: the runner tells the files that asked it again when a file with such an entry is done,
# and a cached review follows an edited registration), which the project table answers with the
# rules of every file's entry (``answer``).
ELSEWHERE = ".<flask>"
_ROUTES_SUFFIX = ".<routes>"  # (routes.ROUTES_ENTRY: what the runner follows)


def route_entries(unit: FileFlow) -> dict:
    """The ``<view>.<flask>.<routes>`` entries of a file registering views of other modules;
    nothing for any other file."""
    exported = exported_views(unit)
    if not exported:
        return {}
    from secreview.dataflow.analyzer import FunctionSummary

    found = {}
    for view, rules in sorted(exported.items()):
        name = f"{view}{ELSEWHERE}{_ROUTES_SUFFIX}"
        found[name] = FunctionSummary(name, sorted({_encoded_rule(rule) for rule in rules}))
    return found


def answer(question: str, entries_of) -> tuple:
    """The rules every file's entry gives the view of ``question`` (``app.views.show.<flask>``),
    as the routes' answers are written: ((encoded rule, ()), ...), sorted; () when none."""
    items = {item for entry in entries_of(f"{question}{_ROUTES_SUFFIX}") for item in entry.params}
    return tuple((item, ()) for item in sorted(items))


def _encoded_rule(rule: FlaskRule) -> str:
    """``id,lang|=/item/<int:id>``: the keys of its ``defaults=`` ("*": not known), "|", then
    "=" and the rule's text (nothing: not known)."""
    defaults = "*" if rule.defaults is None else ",".join(sorted(rule.defaults))
    return f"{defaults}|" + ("" if rule.rule is None else f"={rule.rule}")


def _decoded_rule(item: str) -> FlaskRule:
    defaults, _, text = item.partition("|")
    return FlaskRule(text[1:] if text else None,
                     None if defaults == "*" else frozenset(name for name in defaults.split(",") if name))


def _rules_of_call(unit: FileFlow, call: ast.Call, rules: list[ast.expr | None]) -> list[FlaskRule]:
    """The rules a route decorator or registration ``call`` (``receiver.method(...)``) adds, under
    each URL prefix of its receiver (a blueprint's)."""
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
    prefixes = _url_prefixes(unit, call.func.value)  # type: ignore[attr-defined]
    found = []
    for rule in rules:
        text = _constant_text(unit, rule)
        for prefix in prefixes:
            found.append(FlaskRule(None if text is None or prefix is None else prefix + text, defaults))
    return found


def _constant_text(unit: FileFlow, value: ast.expr | None) -> str | None:
    """A string literal, or a module-level name bound once to one; None for anything else."""
    if value is not None and value.__class__ is ast.Constant and isinstance(value.value, str):  # type: ignore[attr-defined]
        return value.value  # type: ignore[attr-defined]
    if value is not None and value.__class__ is ast.Name and isinstance(unit.module_constants.get(value.id), str):  # type: ignore[attr-defined]
        return unit.module_constants[value.id]  # type: ignore[attr-defined]
    return None


def _url_prefixes(unit: FileFlow, receiver: ast.expr) -> list[str | None]:
    """The URL prefixes the routes of ``receiver`` are under: a blueprint's (a module-level name
    bound once to ``Blueprint(..., url_prefix=...)``), or those the file's
    ``register_blueprint(bp, url_prefix=...)`` calls give it instead; [""] for anything else.
    None: a prefix that is not a constant (its variables are not known)."""
    if receiver.__class__ is not ast.Name:
        return [""]
    memo = unit.facts.scopes.memo.setdefault(_MEMO, {}).setdefault("prefixes", {})
    name = receiver.id  # type: ignore[attr-defined]
    known = memo.get(name)
    if known is None:
        known = memo[name] = _blueprint_prefixes(unit, name)
    return known


def _blueprint_prefixes(unit: FileFlow, name: str) -> list[str | None]:
    bindings = unit.facts.scopes.bindings_of(name, [unit.parsed.tree])
    made = bindings[0] if bindings is not None and len(bindings) == 1 else None
    if made is None or made.__class__ is not ast.Call or unit.qualname(made.func) not in BLUEPRINT_CLASSES:  # type: ignore[attr-defined]
        return [""]
    own = next((k.value for k in made.keywords if k.arg == "url_prefix"), None)  # type: ignore[attr-defined]
    own_prefix = "" if own is None or (own.__class__ is ast.Constant and own.value is None) else _constant_text(unit, own)  # type: ignore[attr-defined]
    given: list[str | None] = []
    unprefixed = False  # (a registration without url_prefix keeps the blueprint's own)
    for node, _ in unit.facts.nodes:
        if (node.__class__ is ast.Call and node.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
                and node.func.attr == _BLUEPRINT_REGISTRATION and node.args  # type: ignore[attr-defined]
                and node.args[0].__class__ is ast.Name and node.args[0].id == name):  # type: ignore[attr-defined]
            prefix = next((k.value for k in node.keywords if k.arg == "url_prefix"), None)  # type: ignore[attr-defined]
            if prefix is None:
                unprefixed = True
            else:
                given.append(_constant_text(unit, prefix))
            if any(k.arg is None for k in node.keywords):  # type: ignore[attr-defined]
                given.append(None)  # (``**options``: maybe a url_prefix)
    if not given:
        return [own_prefix]
    return given + ([own_prefix] if unprefixed else [])
