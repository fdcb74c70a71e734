"""Handlers of web frameworks that route to classes and plain methods rather than to decorated
functions with typed parameters (models/sources.py has the tables):

- Tornado: the methods of a ``RequestHandler`` subclass read the request with
  ``self.get_argument("q")``...; its HTTP-verb methods receive the URL pattern's groups.
- Falcon: a resource's responders ``on_get(self, req, resp, item_id)`` receive the URI
  template's fields (``/items/{item_id}``), unless its converter converts them (``{id:int}``).
- CherryPy: the parameters of an exposed method or function are the request's parameters.
- Twisted Web: a ``Resource`` subclass's ``render_GET(self, request)`` returns the body;
  ``getChild(self, path, request)`` receives the next URL path segment.

Each gives, for a handler, what its parameters hold: name -> source description, or CONVERTED
(the framework converted it). The file asks only when it imports the framework (Tornado's reads:
also in a file deriving from a ``...Handler`` of another module, see ``tornado_reads_only``).
"""
from __future__ import annotations

import ast
import functools
import json
import re
import sys
from typing import TYPE_CHECKING

from secreview.models.sources import (
    CHERRYPY_EXPOSE, CHERRYPY_EXPOSED_CLASS_METHODS, CHERRYPY_MODULES, DATASETTE_HOOK_MARKER, DATASETTE_ROUTE_HOOKS, FALCON_CONVERTING_FIELDS, FALCON_FIXED_PARAMETERS,
    FALCON_MODULES, FALCON_RESPONDER_VERBS, FALCON_ROUTE_METHODS, TORNADO_HANDLER_CLASSES, TORNADO_HANDLER_SUFFIX,
    TORNADO_ADDING_METHODS, TORNADO_MESSAGE_METHODS, TORNADO_MODULES, TORNADO_PATH_MATCHERS, TORNADO_PATH_METHODS,
    TORNADO_ROUTE_CALLS, TORNADO_ROUTER_KEYWORDS, TORNADO_ROUTERS, WEB_FRAMEWORK_MODULES, WEBSOCKET_MESSAGE,
    TWISTED_CHILD_METHODS, TWISTED_MODULES, TWISTED_RENDER_METHODS, TWISTED_RENDER_PREFIX, TWISTED_RESOURCE_CLASSES,
    TWISTED_RESOURCE_SUFFIX, TWISTED_SERVER_MODULES,
)
from secreview.dataflow.flask_rules import imported_name
from secreview.dataflow.parameters import CONVERTED

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

TORNADO, FALCON, CHERRYPY, TWISTED = "tornado", "falcon", "cherrypy", "twisted"
_FRAMEWORK_MODULES = ((TORNADO, TORNADO_MODULES), (FALCON, FALCON_MODULES), (CHERRYPY, CHERRYPY_MODULES),
                      (TWISTED, TWISTED_MODULES))
_FALCON_FIELD = r"\{(\w+)(?::(\w+))?(?:\([^)}]*\))?\}"  # (compiled by ``re`` when first used: not at import)
URL_PATH_PARAMETER = "URL path parameter"
REQUEST_PARAMETER = "HTTP request parameter"
# name -> source description, CONVERTED, or (description, the CWEs the value still allows)
Parameters = dict[str, "str | tuple[str, frozenset[int]]"]


def handler_frameworks(unit: "FileFlow") -> frozenset[str]:
    """The frameworks of this module the file imports (the cheap test before any class's)."""
    imports = unit.facts.imports
    return frozenset(name for name, modules in _FRAMEWORK_MODULES if any(imports.imports_module(m) for m in modules))


def is_tornado_handler(unit: "FileFlow", node: ast.ClassDef) -> bool:
    """A ``RequestHandler`` subclass: a base is one of TORNADO_HANDLER_CLASSES, a handler class of
    this file met before (``unit.tornado_handler_names``, which this fills), or -- the file
    importing tornado -- a class named ``...Handler`` of another module (``BaseHandler``), or a
    class a Tornado route of this file names (``(r"/files/(.*)", Files)``)."""
    for base in node.bases:
        name = unit.qualname(base)
        if ((base.__class__ is ast.Name and base.id in unit.tornado_handler_names) or name in TORNADO_HANDLER_CLASSES
                or (name is not None and name.endswith(TORNADO_HANDLER_SUFFIX) and "." in name and not _library(name))):
            unit.tornado_handler_names.add(node.name)
            return True
    if node.name in tornado_routes(unit) or _told_routes(unit, node.name):  # (a class a Tornado route names: a handler, whatever its bases)
        unit.tornado_handler_names.add(node.name)
        return True
    return False


def tornado_reads_only(unit: "FileFlow", node: ast.ClassDef) -> bool:
    """In a file that does not import tornado: a class deriving from a ``...Handler`` imported from
    a module of the project (``from app.base import BaseHandler``), maybe a Tornado handler:
    ``self.get_argument(...)`` (Tornado's own name) is read as one reads it."""
    for base in node.bases:
        last = base.id if base.__class__ is ast.Name else getattr(base, "attr", "")  # type: ignore[attr-defined]
        if not last.endswith(TORNADO_HANDLER_SUFFIX):  # (most bases: no name to resolve)
            continue
        name = unit.qualname(base)
        if name is not None and "." in name and name.endswith(TORNADO_HANDLER_SUFFIX) and not _library(name):
            return True
    return False


def _library(name: str) -> bool:
    """A class of the standard library or of another web framework (``logging.Handler``,
    ``django.core.handlers.base.BaseHandler``): not a Tornado handler."""
    package = name.partition(".")[0]
    return package in sys.stdlib_module_names or package in WEB_FRAMEWORK_MODULES


def tornado_parameters(unit: "FileFlow", node: ast.ClassDef, method: ast.AST) -> Parameters | None:
    """A Tornado handler's method: the URL pattern's groups of a verb method (strings, narrowed
    by what every route of this file to the class gives them: see ``_tornado_given``), the
    message of ``on_message``; None for another method."""
    name = getattr(method, "name", "")
    if name in TORNADO_PATH_METHODS:
        routes = tornado_class_routes(unit, node.name)
        return {arg.arg: _tornado_given(method, arg, routes) if routes else URL_PATH_PARAMETER for arg in _after(method, 1)}
    if name in TORNADO_MESSAGE_METHODS:
        return {arg.arg: WEBSOCKET_MESSAGE[0] for arg in _after(method, 1)}
    return None


# What a Tornado route passes a handler's verb method: its pattern's groups, by position when it
# names none (``(?P<name>...)``), else the named ones by keyword; each group's value with the CWEs
# it still allows (models.sources.ROUTE_VALUE_OPEN_CWES: empty for ``([0-9]+)``) or None (free
# text). A route whose pattern is not a constant: None.
TornadoRoute = tuple[bool, tuple[tuple[str, "frozenset[int] | None"], ...]] | None
_NOT_GIVEN = frozenset({-1})  # (a parameter a route does not pass: its default is used)


def _tornado_given(method: ast.AST, arg: ast.arg, routes: list[TornadoRoute]) -> str | tuple[str, frozenset[int]]:
    """What the routes of a handler class give ``arg`` of its verb method ``method``: free text
    (URL_PATH_PARAMETER) when one route gives it free text (or is not known), CONVERTED when none
    gives it more than digits (or none gives it at all: its default is used), else the URL path
    parameter with the CWEs its values still allow. (The value is percent-decoded after the match:
    a group that cannot match "%" cannot hold what decoding would add.)"""
    args = method.args  # type: ignore[attr-defined]
    positional = [a.arg for a in (*args.posonlyargs, *args.args)][1:]
    allowed: set[int] = set()
    for route in routes:
        if route is None:
            return URL_PATH_PARAMETER
        named, groups = route
        if named:
            values = [value for name, value in groups if name == arg.arg or arg is args.kwarg]
        elif arg is args.vararg:
            values = [value for _, value in groups[len(positional):]]
        else:
            index = positional.index(arg.arg) if arg.arg in positional else len(groups)
            values = [groups[index][1]] if index < len(groups) else []
        for value in values:
            if value is None:
                return URL_PATH_PARAMETER
            allowed |= value
    return (URL_PATH_PARAMETER, frozenset(allowed)) if allowed else CONVERTED


def tornado_class_routes(unit: "FileFlow", class_name: str) -> list[TornadoRoute]:
    """The routes to the handler class ``class_name`` or to one of its subclasses this file
    defines (which run its methods): this file's, and those other files of the review give them
    (see TORNADO_ELSEWHERE); empty when there is none (nothing known)."""
    routes = tornado_routes(unit)
    bases = _module_class_bases(unit)
    family = [name for name in bases if _derives(name, class_name, bases)]
    found = [route for name, listed in routes.items() if name in family for route in listed]
    for name in family:
        found += _told_routes(unit, name)
    return found


def _derives(name: str, ancestor: str, bases: dict[str, list[str]]) -> bool:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current == ancestor:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(bases.get(current, ()))
    return False


def _module_class_bases(unit: "FileFlow") -> dict[str, list[str]]:
    """Each class of the module's top level -> the names of its bases that are plain names."""
    return {node.name: [b.id for b in node.bases if b.__class__ is ast.Name]  # type: ignore[attr-defined]
            for node in unit.parsed.tree.body if node.__class__ is ast.ClassDef}


def tornado_routes(unit: "FileFlow") -> dict[str, list[TornadoRoute]]:
    """The Tornado routes of this file (see models TORNADO_ROUTE_*): handler class name (a plain
    name) -> its routes. Routes are the rules of the lists an ``Application(...)``/``RuleRouter``
    is given (also through a module-level name bound once to the list) or ``add_handlers``/
    ``add_rules`` adds, and every ``url(...)``/``URLSpec(...)``/``Rule(PathMatches(...), ...)``."""
    memo = unit.facts.scopes.memo.setdefault("web_handlers.tornado", {})
    if "routes" in memo:
        return memo["routes"]
    routes: dict[str, list[TornadoRoute]] = {}
    bindings = unit.facts.scopes.collector(unit.parsed.tree).bindings
    seen: set[int] = set()
    for call in unit.facts.calls():
        name = unit.qualname(call.func)
        if name in TORNADO_ROUTE_CALLS:  # ``url(r"/x/(\d+)", Handler)``, ``Rule(PathMatches(...), Handler)``
            _add_tornado_rule(unit, call, routes, seen)
            continue
        if name in TORNADO_ROUTERS:
            rules = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in TORNADO_ROUTER_KEYWORDS), None)
        elif call.func.__class__ is ast.Attribute and call.func.attr in TORNADO_ADDING_METHODS and call.args:  # type: ignore[attr-defined]
            rules = call.args[-1]
        else:
            continue
        # (a module-level name: the list it is bound to, and the rules appended to it)
        for value in bindings.get(rules.id, ()) if rules.__class__ is ast.Name else (rules,):  # type: ignore[union-attr]
            if value.__class__ in (ast.List, ast.Tuple) and value.elts and value.elts[0].__class__ in (ast.Tuple, ast.List, ast.Call):  # type: ignore[attr-defined]
                for rule in value.elts:  # type: ignore[attr-defined]
                    _add_tornado_rule(unit, rule, routes, seen)
            else:
                _add_tornado_rule(unit, value, routes, seen)
    if routes:  # (a rule met elsewhere -- ``HANDLERS.append((r"/x/(.*)", H))``, a list concatenated --: a route not known)
        for node in ast.walk(unit.parsed.tree):
            if (node.__class__ in (ast.Tuple, ast.List) and id(node) not in seen and len(node.elts) > 1  # type: ignore[attr-defined]
                    and node.elts[1].__class__ is ast.Name and node.elts[1].id in routes  # type: ignore[attr-defined]
                    and node.elts[0].__class__ in (ast.Constant, ast.Name, ast.Call, ast.JoinedStr, ast.BinOp)):  # type: ignore[attr-defined]
                routes[node.elts[1].id].append(None)  # type: ignore[attr-defined]
    memo["routes"] = routes
    return routes


def _add_tornado_rule(unit: "FileFlow", rule: ast.expr, routes: dict[str, list[TornadoRoute]], seen: set[int]) -> None:
    """One rule: ``(pattern, Handler, ...)`` or a route call (each counted once)."""
    if id(rule) in seen:
        return
    seen.add(id(rule))
    if rule.__class__ in (ast.Tuple, ast.List):
        parts = rule.elts  # type: ignore[attr-defined]
    elif rule.__class__ is ast.Call and unit.qualname(rule.func) in TORNADO_ROUTE_CALLS:  # type: ignore[attr-defined]
        parts = rule.args  # type: ignore[attr-defined]
    else:
        return
    if len(parts) < 2 or parts[1].__class__ not in (ast.Name, ast.Attribute):
        return  # (not named)
    handler = imported_name(unit, parts[1])  # (a class of another module: ``handlers.Item``, ``from .handlers import Item``)
    if handler is not None:
        handler = _IMPORTED + handler
    elif parts[1].__class__ is ast.Name:
        handler = parts[1].id  # type: ignore[attr-defined]
    else:
        return
    pattern = parts[0]
    if pattern.__class__ is ast.Call and unit.qualname(pattern.func) in TORNADO_PATH_MATCHERS and pattern.args:  # type: ignore[attr-defined]
        pattern = pattern.args[0]  # type: ignore[attr-defined]
    text = unit_literal(unit, pattern)
    routes.setdefault(handler, []).append(_tornado_groups(text) if text is not None else None)


# ---- handlers routed by another file -----------------------------------------------------
# A file routing to a handler class of another module (``Application([(r"/items/(\d+)",
# handlers.ItemHandler)])``) exports the routes as an entry of its summaries,
# ``app.handlers.ItemHandler.<tornado>.<routes>``; the module of the handler asks the question
# ``app.handlers.ItemHandler.<tornado>`` for each of its classes (a question of the routes to a
# view, as Flask's registrations elsewhere: see flask_rules.ELSEWHERE), when it imports tornado.
TORNADO_ELSEWHERE = ".<tornado>"
_ROUTES_SUFFIX = ".<routes>"  # (routes.ROUTES_ENTRY: what the runner follows)
_IMPORTED = "."  # (a key of tornado_routes: the qualified name of another module's class, after it)
_UNKNOWN_ROUTE = "?"


def tornado_route_entries(unit: "FileFlow") -> dict:
    """The ``<handler>.<tornado>.<routes>`` entries of a file routing to handler classes of other
    modules; nothing for any other file."""
    from secreview.dataflow.analyzer import FunctionSummary

    found = {}
    for key, listed in sorted(tornado_routes(unit).items()):
        if key.startswith(_IMPORTED):
            name = f"{key[1:]}{TORNADO_ELSEWHERE}{_ROUTES_SUFFIX}"
            found[name] = FunctionSummary(name, sorted({_encoded_route(route) for route in listed}))
    return found


def _told_routes(unit: "FileFlow", class_name: str) -> list[TornadoRoute]:
    """The routes other files give the module-level class ``class_name`` of this file (one
    importing tornado): the project's answer, a dependency of the file's review."""
    if not unit.module_name:
        return []
    question = f"{unit.module_name}.{class_name}{TORNADO_ELSEWHERE}"
    unit.tornado_questions.add(question)
    told = unit.told_routes(question)
    return [_decoded_route(item) for item, _ in told]


def _encoded_route(route: TornadoRoute) -> str:
    """``[false, [["", null], ["", [78]]]]``: whether the groups are named, and each group's name
    and the CWEs its values allow (null: free text); "?" for a route not known."""
    if route is None:
        return _UNKNOWN_ROUTE
    named, groups = route
    return json.dumps([named, [[name, None if value is None else sorted(value)] for name, value in groups]])


def _decoded_route(item: str) -> TornadoRoute:
    if item == _UNKNOWN_ROUTE:
        return None
    named, groups = json.loads(item)
    return named, tuple((name, None if value is None else frozenset(value)) for name, value in groups)


@functools.cache
def _tornado_groups(pattern: str) -> TornadoRoute:
    """What a route's pattern passes (see TornadoRoute); None when it does not parse."""
    from re import _parser  # (Python >= 3.11)

    from secreview.dataflow.routes import _group_bodies  # (routes.py imports the analyzer)

    try:
        tree = _parser.parse(pattern)
        bodies: dict[int, list] = {}
        if not _group_bodies(list(tree), bodies):
            return None  # a back-reference: a group's value may be another's
        named = tree.state.groupdict
        if named:
            return True, tuple((name, _group_value(bodies, group)) for name, group in sorted(named.items()))
        return False, tuple(("", _group_value(bodies, group)) for group in range(1, tree.state.groups))
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: nothing known
        return None


def _group_value(bodies: dict[int, list], group: int) -> frozenset[int] | None:
    from secreview.dataflow.routes import _characters_value

    return _characters_value(bodies[group]) if group in bodies else None


def twisted_server(imports) -> bool:
    """Does the file import a server-side module of Twisted Web (``from twisted.web import
    resource, server``, ``twisted.web.static``) or Klein? (Not only its HTTP client.) Its
    ``request`` parameters are then requests the server received."""
    if not any(imports.imports_module(module) for module in TWISTED_MODULES):
        return False  # (the cheap test first: most files import neither)
    names = (*imports.imported_modules, *imports.aliases.values())
    return any(name == module or name.startswith(module + ".") for name in names for module in TWISTED_SERVER_MODULES)


def is_twisted_resource(unit: "FileFlow", node: ast.ClassDef) -> bool:
    """A ``twisted.web.resource.Resource`` subclass: a base is one of TWISTED_RESOURCE_CLASSES, a
    resource class of this file met before (``unit.twisted_resource_names``, which this fills), or
    -- the file being a Twisted server's -- a class named ``...Resource`` of another module of the
    project (``from myapp.www.resource import Resource``)."""
    for base in node.bases:
        name = unit.qualname(base)
        if ((base.__class__ is ast.Name and base.id in unit.twisted_resource_names) or name in TWISTED_RESOURCE_CLASSES
                or (name is not None and name.endswith(TWISTED_RESOURCE_SUFFIX) and "." in name and not _library(name)
                    and unit.twisted_server)):
            unit.twisted_resource_names.add(node.name)
            return True
    return False


def is_twisted_renderer(method: ast.AST) -> bool:
    """``render(self, request)``, ``render_GET(self, request)``: returns the response body."""
    name = getattr(method, "name", "")
    return name in TWISTED_RENDER_METHODS or (name.startswith(TWISTED_RENDER_PREFIX) and name[len(TWISTED_RENDER_PREFIX):].isupper())


def twisted_parameters(method: ast.AST) -> Parameters | None:
    """``getChild(self, path, request)``: the URL path segment; None for another method (a
    renderer's ``request`` is read as any request object's)."""
    if getattr(method, "name", "") not in TWISTED_CHILD_METHODS:
        return None
    segment = _after(method, 1)[:1]
    return {arg.arg: URL_PATH_PARAMETER for arg in segment}


def falcon_parameters(unit: "FileFlow", node: ast.ClassDef, method: ast.AST) -> Parameters | None:
    """A responder of a Falcon resource: its URI template fields (after ``self, req, resp``), each
    CONVERTED when every route of this file to the resource (for the responder's suffix) converts
    it; None for a method that is not a responder."""
    name = getattr(method, "name", "")
    verb, _, suffix = name[3:].partition("_")
    if not name.startswith("on_") or verb not in FALCON_RESPONDER_VERBS:
        return None
    templates = [template for template, routed_suffix in falcon_routes(unit).get(node.name, ()) if routed_suffix == suffix]
    found: Parameters = {}
    for arg in _after(method, 1 + FALCON_FIXED_PARAMETERS):
        converters = [converter for template in templates if template is not None
                      for field, converter in re.findall(_FALCON_FIELD, template) if field == arg.arg]
        converted = (converters and None not in templates and all(c in FALCON_CONVERTING_FIELDS for c in converters))
        found[arg.arg] = CONVERTED if converted else URL_PATH_PARAMETER
    return found


def falcon_routes(unit: "FileFlow") -> dict[str, list[tuple[str | None, str]]]:
    """``app.add_route("/items/{id:int}", Items())`` (also a module-level name bound once to
    ``Items()``, ``suffix="collection"``): class name -> its (template or None when not a constant,
    suffix) routes of this file."""
    memo = unit.facts.scopes.memo.setdefault("web_handlers.falcon", {})
    if "routes" in memo:
        return memo["routes"]
    bindings = unit.facts.scopes.collector(unit.parsed.tree).bindings
    routes: dict[str, list[tuple[str | None, str]]] = {}
    for call in unit.facts.calls():
        if not (call.func.__class__ is ast.Attribute and call.func.attr in FALCON_ROUTE_METHODS and len(call.args) > 1):  # type: ignore[attr-defined]
            continue
        resource = call.args[1]
        if resource.__class__ is ast.Name:
            bound = bindings.get(resource.id)  # type: ignore[attr-defined]
            resource = bound[0] if bound and len(bound) == 1 else resource
        if not (resource.__class__ is ast.Call and resource.func.__class__ is ast.Name):  # type: ignore[attr-defined]
            continue
        template = unit_literal(unit, call.args[0])
        suffix = next((unit_literal(unit, k.value) for k in call.keywords if k.arg == "suffix"), "") or ""
        routes.setdefault(resource.func.id, []).append((template, suffix))  # type: ignore[attr-defined]
    memo["routes"] = routes
    return routes


def unit_literal(unit: "FileFlow", node: ast.expr) -> str | None:
    """A constant string, or a module-level name bound to one."""
    if node.__class__ is ast.Constant and isinstance(node.value, str):  # type: ignore[attr-defined]
        return node.value  # type: ignore[attr-defined]
    if node.__class__ is ast.Name:
        value = unit.module_constants.get(node.id)  # type: ignore[attr-defined]
        return value if isinstance(value, str) else None
    return None


def is_cherrypy_exposed(unit: "FileFlow", node: ast.AST) -> bool:
    """``@cherrypy.expose`` (also called: ``@cherrypy.expose(alias=...)``, or ``expose`` imported)."""
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if decorator.__class__ is ast.Call else decorator
        if unit.qualname(target) in CHERRYPY_EXPOSE:
            return True
    return False


def cherrypy_exposed_class(unit: "FileFlow", node: ast.ClassDef) -> bool:
    """A class exposed as a whole: ``exposed = True`` in its body, or ``@cherrypy.expose`` on it."""
    if is_cherrypy_exposed(unit, node):
        return True
    return any(s.__class__ is ast.Assign and any(t.__class__ is ast.Name and t.id == "exposed" for t in s.targets)  # type: ignore[attr-defined]
               and s.value.__class__ is ast.Constant and s.value.value is True for s in node.body)  # type: ignore[attr-defined]


def cherrypy_parameters(unit: "FileFlow", method: ast.AST, is_method: bool, exposed_class: bool = False) -> Parameters | None:
    """An exposed method or function of CherryPy: every parameter (after ``self``) is a request
    parameter; None when it is not exposed."""
    if not (is_cherrypy_exposed(unit, method) or (exposed_class and getattr(method, "name", "") in CHERRYPY_EXPOSED_CLASS_METHODS)):
        return None
    return {arg.arg: REQUEST_PARAMETER for arg in _after(method, 1 if is_method else 0)}


def _after(function: ast.AST, skipped: int) -> list[ast.arg]:
    """The parameters of ``function`` after its first ``skipped`` positional ones (``*args``,
    keyword-only ones and ``**kwargs`` included)."""
    args = function.args  # type: ignore[attr-defined]
    positional = [*args.posonlyargs, *args.args]
    return [*positional[skipped:], *([args.vararg] if args.vararg else []), *args.kwonlyargs, *([args.kwarg] if args.kwarg else [])]


def datasette_plugin(tree: ast.Module) -> bool:
    """A Datasette plugin that does not import datasette (its ``hookimpl`` made by pluggy): a
    module-level ``register_routes`` decorated by a ``hookimpl`` (see models DATASETTE_ROUTE_HOOKS).
    (Files importing datasette are web files already: see models WEB_FRAMEWORK_MODULES.)"""
    for node in tree.body:
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and node.name in DATASETTE_ROUTE_HOOKS:  # type: ignore[attr-defined]
            for decorator in node.decorator_list:  # type: ignore[attr-defined]
                target = decorator.func if decorator.__class__ is ast.Call else decorator  # type: ignore[attr-defined]
                if (target.id if target.__class__ is ast.Name else getattr(target, "attr", None)) == DATASETTE_HOOK_MARKER:  # type: ignore[attr-defined]
                    return True
    return False
