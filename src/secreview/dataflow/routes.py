"""Django URL confs: what a route tells a view's parameters.

``path("articles/<int:year>/<slug:slug>/", views.article_detail)`` calls ``article_detail(request,
year=..., slug=...)`` with ``year`` an int and ``slug`` made of letters, digits, "_" and "-": not
the free text a view's parameter is otherwise taken to be. The routes are in one file, the views
in another (which the URL conf imports, so it is usually analysed first). So:

- a URL conf (a file importing ``path``/``re_path``/``url`` from Django, or a Django REST framework
  router) exports, among its own summaries, an entry ``<view>.<routes>`` for each view it routes
  to (a function, the class of ``View.as_view()``, a viewset a router registers): what *every*
  route of the file to that view gives each parameter it names -- converted, with the weaknesses
  its value still allows (see models.sources.ROUTE_VALUE_OPEN_CWES), or free text;
- a route whose view is an ``include()`` gives the included routes the keyword arguments its own
  pattern captures (and its constant ``kwargs``), unless an included route names them again
  (Django lets the innermost one win). An ``include([...])`` of routes of the same file (a list, a
  ``(patterns, app_name)`` tuple, a module-level list, a router's ``urls``) is followed in the
  file; an ``include("shop.urls")`` of another URL conf is in the file's entry ``<included>.<routes>``,
  which the project table lays under that conf's routes (and under what includes the including conf);
- a router's ``register(prefix, ViewSet)`` routes the prefix's named groups and the viewset's
  lookup keyword argument (``pk``, or its ``lookup_url_kwarg``/``lookup_field``), whose value is
  free text unless the viewset's ``lookup_value_regex`` restricts it: the URL conf cannot see those
  attributes, so the view's question names them (``lookup_item``) and the table fills them in;
  a router whose ``urls`` its own file does not read is the URL conf ``<module>.<router>.urls``,
  which another file includes (``from app.routers import router``, ``include(router.urls)``);
  on a router of path() routes (``use_regex_path=False``) the lookup value is judged by the
  viewset's ``lookup_value_converter`` instead (LOOKUP_PATH); an ``@action`` whose ``url_path``
  captures arguments has a route of its own, which the question tells too (ACTION); a nested
  router of drf-nested-routers adds its parent's prefix and the parent viewset's lookup argument,
  which the parent's file exports (PARENT, lookup_entries);
- a viewset's ``as_view({"get": "retrieve"})`` dispatches the actions it names only: its routes
  are a group of the view's entry (``=retrieve``), and the answer tells each action what the
  routes dispatching it convert (see ACTION_SEPARATOR; ``conversions_of`` picks a method's);
- a view's analysis asks the project for those entries (``FileFlow.route_conversions``); the
  project table combines every URL conf's (``answer``): a parameter is converted only when each
  route, in every file, converts it. That is a question like any other the analysis asks
  (linking.Dependencies), so a views file analysed before its URL conf is analysed again, its
  review alone, once the URL conf is known -- and a cached one when a URL conf changes.

A route whose pattern is not a constant, a parameter no route names (nor an ``include()``'s
prefix the table knows), ``<str:...>``, ``<path:...>`` and converters a project registers itself
leave the parameter untrusted. Other ways to reach a view (a dotted string, a view stored in a
variable, a router of another library) are not seen: only the routes written with these calls
count.
"""
from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, Optional

from secreview.dataflow.flask_rules import ELSEWHERE as FLASK_ELSEWHERE
from secreview.dataflow.flask_rules import answer as flask_answer
from secreview.dataflow.web_handlers import TORNADO_ELSEWHERE
from secreview.dataflow.parameters import LITESTAR_DEPENDENCIES
from secreview.dataflow.analyzer import NOTHING, FunctionSummary, _may_begin_with, _pattern_characters, fold
from secreview.models.sanitizers import PATTERN_LEADING_OPEN_CHARACTERS
from secreview.models.sources import (
    DJANGO_CONVERTING_CONVERTERS, DJANGO_INCLUDE_FUNCTIONS, DJANGO_PATTERN_CONVERTERS, DJANGO_ROUTE_FUNCTIONS,
    DRF_ACTION_DECORATORS, DRF_DEFAULT_LOOKUP, DRF_LOOKUP_ATTRIBUTES, DRF_NESTED_ROUTER_CLASSES, DRF_ROUTER_CLASSES,
    ROUTE_VALUE_CHARACTERS, ROUTE_VALUE_OPEN_CWES,
)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

ROUTES_ENTRY = "<routes>"  # ``app.views.article_detail.<routes>``: a URL conf's summary entry
# A URL conf's ``include()`` of other URL confs: one entry per including file, ``<included>.<routes>``,
# listing each included conf with what the including routes give it (``shop.urls>shop_id:``).
# Every question names it too (its last item), so that a views file asked before a URL conf
# including its own is told again when that conf is done (the runner follows ``.<routes>`` names).
INCLUDES = "<included>"
_INCLUDED_SEPARATOR = ">"
FAMILY_SEPARATOR = " "  # between the views of one question (a class-based view and its subclasses)
# A router's detail routes capture the viewset's lookup keyword argument, which only the viewset
# names: in an entry, its place (free text when the router ignores ``lookup_value_regex``, else
# judged by it); in a question, after a viewset's name, ``<lookup>code=`` (the
# argument and the CWEs its value still allows, "!": free text) -- see lookup_item.
LOOKUP = "<lookup>"
# The same place on a router of path() routes (``use_regex_path=False``): judged by the viewset's
# lookup_value_converter. (A router whose kind is not known: LOOKUP, free text.)
LOOKUP_PATH = "<lookup>path"
# A nested router's routes (drf-nested-routers) capture the parent viewset's lookup argument too,
# which only that viewset's file names: in an entry, ``<parent>re=shop_=app.views.ShopViewSet``
# (the parent router's kind, "re", "path" or "?"; the prefix ``lookup`` + "_"; the parent viewset),
# resolved by the entry ``app.views.ShopViewSet.<lookup>`` its file exports (lookup_entries).
PARENT = "<parent>"
LOOKUP_ENTRY = "<lookup>"
# An ``@action(url_path=r"files/(?P<name>[^/.]+)")`` of a viewset: in a question, after the viewset's
# name, ``<action>files=name!=`` (the method, what the url_path's groups give on a router of regular
# expressions, then on one of path() routes: ``name:88.918``, ``name!`` free text; see action_items).
ACTION = "<action>"
ANY = "*"  # in route values: any name not listed is captured as free text (a pattern not known)
# What a view's routes convert: (parameter, the CWEs its value still allows), sorted; () when none.
Conversions = tuple[tuple[str, tuple[int, ...]], ...]
# The actions of a DRF viewset a route dispatches (``as_view({"get": "retrieve"})``), None: any.
Actions = Optional[frozenset[str]]
_ACTIONS = "="  # in a view's entry: the actions the next routes dispatch (see _encoded_groups)
# In an answer (Conversions) when some routes dispatch only some actions: ``retrieve>pk``, what
# the routes dispatching ``retrieve`` convert; ``retrieve>``, that such routes exist; ``*>pk``,
# what the routes dispatching any action convert (for the other actions); ``*>``: the mark of
# such an answer. A name without ">": what every route converts (methods that are not actions).
ACTION_SEPARATOR = ">"
OTHER_ACTIONS = "*"
ACTIONS_MARK = f"{OTHER_ACTIONS}{ACTION_SEPARATOR}"
# DRF's viewset actions (a method ``@action`` decorates is one too): a route dispatching others
# does not call them; any other method (``get``, ``get_object``, ``initial``) may be.
VIEWSET_ACTIONS = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})
# What routes give: parameter -> the CWEs its value still allows (converted), or None (free text);
# a parameter not named is given by the routes around them (an include's prefix), if any.
Values = dict[str, "frozenset[int] | None"]

# What a URL conf imports to call them: ``from django.urls import path``, ``from django import urls``
# (or ``import django.urls``), a DRF router.
_ROUTE_MODULES = frozenset({"django.urls", "django.urls.conf", "django.conf.urls"})
_ROUTE_IMPORTS = frozenset(DJANGO_ROUTE_FUNCTIONS) | _ROUTE_MODULES | DRF_ROUTER_CLASSES | {"rest_framework.routers"}
_ROUTE_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in DJANGO_ROUTE_FUNCTIONS)
_PATH_VARIABLE = re.compile(r"<(?:([^>:]+):)?([^>]+)>")  # (Django's own syntax for path() routes)
_ASCII = frozenset(map(chr, range(128)))
_UNTRUSTED = None
_NOT_NAMED = frozenset({-1})  # (_both_given: a parameter a route does not name)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class _Router(NamedTuple):
    """A DRF router of the URL conf (``router = DefaultRouter()``)."""
    regex: bool | None  # its patterns are regular expressions (False: path() routes; None: not known)
    parent: str | None = None  # a nested router: its parent router's name ("": not a router of this file)
    parent_prefix: object = None  # the prefix of the parent it nests under (a str, else not known)
    nest: str = ""  # the prefix of the parent's lookup argument: ``lookup`` + "_"
    depth: int = 0  # (drf-nested-routers' nest_count: the default ``lookup`` is nested_<depth>)


# ---- the URL conf's side --------------------------------------------------------------------
def route_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<view>.<routes>`` and ``<conf>.<included>`` summary entries of a URL conf; nothing for
    any other file (the cheap test first: most files import no route function)."""
    imports = unit.facts.imports
    if _ROUTE_IMPORTS.isdisjoint(imports.aliases.values()) and not (
            imports.aliases.get("django") == "django" and not _ROUTE_MODULES.isdisjoint(imports.imported_modules)):
        return {}
    return _UrlConf(unit).entries()


class _UrlConf:
    """One URL conf's routes, each with what the routes enclosing it give (an ``include()``)."""

    def __init__(self, unit: "FileFlow") -> None:
        self.unit = unit
        self._ancestors: dict[ast.AST, tuple[ast.AST, ...]] = {}  # a route call -> its ancestors (outermost first)
        self._reads: dict[str, list[tuple[ast.AST, tuple[ast.AST, ...]]]] | None = None  # see reads()
        self._outers: dict[ast.AST, Values] = {}
        self._levels: dict[ast.AST, Values] = {}
        self._routers: dict[str, _Router] | None = None
        self._registered: list[tuple[ast.Call, str]] = []  # (the ``register`` calls of the routers)
        self._nestings: dict[str, Values] = {}
        # The URL confs each view's routes are in (see _register): this file's, or a router's.
        self._confs: dict[str, set[str]] = {}

    def entries(self) -> dict[str, FunctionSummary]:
        unit = self.unit
        routed: dict[str, dict[Actions, Values]] = {}  # view -> the actions its routes dispatch -> what they give
        included: dict[str, Values] = {}
        registers: list[tuple[ast.Call, str]] = []
        for node, ancestors in unit.facts.nodes:
            if node.__class__ is not ast.Call:
                continue
            func = node.func
            last = func.id if func.__class__ is ast.Name else func.attr if func.__class__ is ast.Attribute else None
            if (last == "register" and func.__class__ is ast.Attribute and func.value.__class__ is ast.Name
                    and func.value.id in self.routers()):
                registers.append((node, func.value.id))
                continue
            if last not in _ROUTE_NAMES:
                continue
            kind = DJANGO_ROUTE_FUNCTIONS.get(unit.qualname(func) or "")
            if kind is None:
                continue
            view = _route_arguments(node)[1]
            if view is None:
                continue
            self._ancestors[node] = ancestors
            if view.__class__ is ast.Call and unit.qualname(view.func) in DJANGO_INCLUDE_FUNCTIONS:
                module = self._included_module(view)
                if module is not None:
                    _add(included, module, self.values(node))
                continue  # (the routes of an included list are met on their own)
            views = _views(unit, view)
            if views:
                values = self.values(node)
                for name, actions in views.items():
                    _add(routed.setdefault(name, {}), actions, values)
                    self._confs.setdefault(name, set()).add(unit.facts.module_name)
        self._registered = registers
        for node, router in registers:
            self._register(node, router, routed)
        conf = [f"@{unit.facts.module_name}"] if unit.facts.module_name else []
        found = {f"{view}.{ROUTES_ENTRY}": FunctionSummary(f"{view}.{ROUTES_ENTRY}", _encoded_groups(groups) + self._conf(view, conf))
                 for view, groups in sorted(routed.items())}
        if included:
            name = entry_name(INCLUDES)
            found[name] = FunctionSummary(name, [*conf, *(
                f"{module}{_INCLUDED_SEPARATOR}{item}" for module, values in sorted(included.items())
                for item in _encoded(values) or [""])])
        return found

    def _conf(self, view: str, conf: list[str]) -> list[str]:
        """The URL conf a view's entry names: a router's (``app.routers.router.urls``) when only
        routers whose ``urls`` this file does not read route to it, else this file's."""
        confs = self._confs.get(view, set())
        return [f"@{next(iter(confs))}"] if len(confs) == 1 and conf and "" not in confs else conf

    def values(self, route: ast.Call) -> Values:
        """What the route ``path(...)`` gives: its own pattern over what encloses it."""
        return _overlaid(self._outer(route, self._ancestors[route]), self._level(route))

    def _level(self, route: ast.Call) -> Values:
        """What the route's own pattern and constant ``kwargs`` give."""
        known = self._levels.get(route)
        if known is None:
            pattern, _, kwargs = _route_arguments(route)
            kind = DJANGO_ROUTE_FUNCTIONS.get(self.unit.qualname(route.func) or "", "path")
            known = self._levels[route] = {**_route_values(self.unit, kind, pattern), **_constant_keywords(kwargs)}
        return known

    def _outer(self, node: ast.AST, ancestors: tuple[ast.AST, ...]) -> Values:
        """What the routes enclosing ``node`` (under ``ancestors``) in this file give it: those
        whose ``include()`` it is in (through a module-level list or a router's ``urls`` read
        there); {} at the top (what the routes including this file give: the table's business)."""
        known = self._outers.get(node)
        if known is None:
            self._outers[node] = {}  # (a list included in itself: nothing more)
            known = self._outers[node] = self._enclosing(node, ancestors)
        return known

    def _enclosing(self, node: ast.AST, ancestors: tuple[ast.AST, ...]) -> Values:
        child = node
        for position in range(len(ancestors) - 1, -1, -1):
            parent = ancestors[position]
            kind = parent.__class__
            if kind is ast.Call and child is not parent.func and self.unit.qualname(parent.func) in DJANGO_INCLUDE_FUNCTIONS:
                route = ancestors[position - 1] if position else None
                if route.__class__ is ast.Call and _route_arguments(route)[1] is parent and (
                        DJANGO_ROUTE_FUNCTIONS.get(self.unit.qualname(route.func) or "")):
                    self._ancestors.setdefault(route, ancestors[:position - 1])
                    return self.values(route)
                return {}
            if kind in _FUNCTIONS:
                return {}
            if kind is ast.Assign and child is parent.value and position == 1:  # (a module-level list of routes)
                names = [target.id for target in parent.targets if target.__class__ is ast.Name]
                uses = self.reads().get(names[0], []) if len(names) == 1 and names[0] != "urlpatterns" else []
                return _met(self._outer(use, where) for use, where in uses) if uses else {}
            child = parent
        return {}

    def reads(self) -> dict[str, list[tuple[ast.AST, tuple[ast.AST, ...]]]]:
        """Where each name is read, with the ancestors there (``router.urls``: under
        ``"router.urls"``): one walk of the file, only when a module-level list of routes or a
        router needs it."""
        if self._reads is None:
            self._reads = {}
            stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(self.unit.parsed.tree, ())]
            while stack:
                node, ancestors = stack.pop()
                kind = node.__class__
                if kind is ast.Name and node.ctx.__class__ is ast.Load:
                    self._reads.setdefault(node.id, []).append((node, ancestors))
                elif kind is ast.Attribute and node.attr == "urls" and node.value.__class__ is ast.Name:
                    self._reads.setdefault(f"{node.value.id}.urls", []).append((node, ancestors))
                below = (*ancestors, node)
                stack.extend((child, below) for child in ast.iter_child_nodes(node))
        return self._reads

    def routers(self) -> dict[str, _Router]:
        """The module-level names bound to a DRF router (``router = DefaultRouter()``), each with
        whether its patterns are regular expressions (DRF >= 3.15's ``use_regex_path=False``: the
        prefix is a path() route, and the lookup value matches the viewset's
        ``lookup_value_converter``), and, for a nested router of drf-nested-routers, its parent."""
        if self._routers is None:
            self._routers = {}
            for statement in self.unit.parsed.tree.body:
                if (statement.__class__ is ast.Assign and len(statement.targets) == 1
                        and statement.targets[0].__class__ is ast.Name and statement.value.__class__ is ast.Call):
                    kind = self.unit.qualname(statement.value.func)
                    if kind in DRF_ROUTER_CLASSES:
                        self._routers[statement.targets[0].id] = _Router(_uses_regex_path(statement.value))
                    elif kind in DRF_NESTED_ROUTER_CLASSES:
                        self._routers[statement.targets[0].id] = self._nested_router(statement.value)
        return self._routers

    def _nested_router(self, call: ast.Call) -> _Router:
        """``NestedSimpleRouter(router, r"shops", lookup="shop")``: nested under the parent's
        routes to the viewset it registers with that prefix (drf-nested-routers)."""
        parent, prefix = _arguments(call, ("parent_router", "parent_prefix"))
        known = self._routers or {}
        parent_name = parent.id if parent.__class__ is ast.Name and parent.id in known else ""
        depth = known[parent_name].depth + 1 if parent_name else 1
        lookup = next((keyword.value for keyword in call.keywords if keyword.arg == "lookup"), None)
        nest = fold(lookup, {}, self.unit.module_constants) if lookup is not None else f"nested_{depth}"
        folded = fold(prefix, {}, self.unit.module_constants) if prefix is not None else NOTHING
        return _Router(_uses_regex_path(call), parent_name, folded if isinstance(folded, str) else None,
                       f"{nest}_" if isinstance(nest, str) and nest.isidentifier() else "", depth)

    def _register(self, call: ast.Call, router: str, routed: dict[str, dict[Actions, Values]]) -> None:
        """``router.register(r"users/(?P<team>[0-9]+)", UserViewSet, basename="user")``: the
        prefix's named groups and the lookup argument (see LOOKUP) -- under a nested router's
        parent routes --, under the routes its ``urls`` are included by."""
        prefix, viewset = _arguments(call, ("prefix", "viewset"))
        views = _views(self.unit, viewset) if viewset is not None else {}
        if not views:
            return
        uses = self.reads().get(f"{router}.urls", [])
        outer = _met(self._outer(use, where) for use, where in uses) if uses else {}
        kind = self.routers()[router]
        own = {**_route_values(self.unit, "regex" if kind.regex else "path", prefix), **_lookup_place(kind.regex)}
        if kind.parent is not None:
            own = {**self._nesting(router), **own}
        values = _overlaid(outer, own)
        # A router whose ``urls`` another file includes (``from app.routers import router``,
        # ``include(router.urls)``: the URL conf ``app.routers.router.urls`` there) is that conf.
        module = self.unit.facts.module_name
        conf = module if uses or not module else f"{module}.{router}.urls"
        for name in views:
            _add(routed.setdefault(name, {}), None, values)  # (a router dispatches every action)
            self._confs.setdefault(name, set()).add(conf)

    def _nesting(self, router: str) -> Values:
        """What the parent routes of the nested router ``router`` give: its parent's prefix and
        the parent viewset's lookup argument (see PARENT), under the parent's own parents; any
        name free text when the parent is not known."""
        known = self._nestings.get(router)
        if known is not None:
            return known
        self._nestings[router] = {ANY: _UNTRUSTED}  # (a router nested in itself)
        routers = self.routers()
        kind = routers[router]
        parent = routers.get(kind.parent or "")
        viewset = self._registered_viewset(kind.parent, kind.parent_prefix) if parent is not None else None
        if parent is None or viewset is None or not kind.nest or not isinstance(kind.parent_prefix, str):
            return self._nestings[router]
        found = dict(self._nesting(kind.parent)) if parent.parent is not None else {}
        found.update(_path_values(kind.parent_prefix) if kind.regex is False else _regex_values(kind.parent_prefix))
        mode = "?" if parent.regex is None else "re" if parent.regex else "path"
        found[f"{PARENT}{mode}={kind.nest}={viewset}"] = _UNTRUSTED if parent.regex is None else frozenset()
        self._nestings[router] = found
        return found

    def _registered_viewset(self, router: str | None, prefix: object) -> str | None:
        """The viewset ``router`` registers first with the prefix ``prefix`` (as drf-nested-routers
        finds its parent), if it is one name."""
        for call, name in self._registered:
            if name != router:
                continue
            given, viewset = _arguments(call, ("prefix", "viewset"))
            if given is not None and fold(given, {}, self.unit.module_constants) == prefix:
                views = _views(self.unit, viewset) if viewset is not None else {}
                return next(iter(views)) if len(views) == 1 else None
        return None

    def _included_module(self, include: ast.Call) -> str | None:
        """The URL conf ``include("shop.urls")`` (``include(("shop.urls", "shop"))``,
        ``include(shop_urls)`` of an imported module) includes; None for routes of this file."""
        argument = include.args[0] if include.args else next((k.value for k in include.keywords if k.arg == "arg"), None)
        if argument.__class__ is ast.Tuple and argument.elts:
            argument = argument.elts[0]
        if argument.__class__ is ast.Constant:
            return argument.value if isinstance(argument.value, str) and argument.value else None
        root = argument
        while root.__class__ is ast.Attribute:
            root = root.value
        if root.__class__ is ast.Name and root.id in self.unit.facts.imports.aliases:
            return self.unit.qualname(argument)
        return None


def _uses_regex_path(router: ast.Call) -> bool | None:
    """``DefaultRouter()``, ``SimpleRouter(use_regex_path=True)``: the router's patterns are
    regular expressions; ``use_regex_path=False``: path() routes; None: not known."""
    given = next((keyword.value for keyword in router.keywords if keyword.arg == "use_regex_path"), None)
    if given is None:
        return True
    return given.value if given.__class__ is ast.Constant and isinstance(given.value, bool) else None


def _lookup_place(regex: bool | None) -> Values:
    """The place of a router's lookup argument (see LOOKUP, LOOKUP_PATH)."""
    if regex is None:
        return {LOOKUP: _UNTRUSTED}
    return {LOOKUP: frozenset()} if regex else {LOOKUP_PATH: frozenset()}


def _arguments(call: ast.Call, names: tuple[str, str]) -> tuple[ast.expr | None, ast.expr | None]:
    """The first two arguments of ``call``, given by position or by these keywords."""
    found: list[ast.expr | None] = [*call.args[:2], *[None] * max(0, 2 - len(call.args))]
    for keyword in call.keywords:
        if keyword.arg in names:
            found[names.index(keyword.arg)] = keyword.value
    return found[0], found[1]


def _add(found: dict, name, values: Values) -> None:
    found[name] = values if name not in found else _both_given(found[name], values)


def _route_arguments(call: ast.Call) -> tuple[ast.expr | None, ast.expr | None, ast.expr | None]:
    """``path(route, view, kwargs=None, name=None)`` (``re_path``/``url``: ``regex`` for ``route``)."""
    found: list[ast.expr | None] = [*call.args[:3], *[None] * max(0, 3 - len(call.args))]
    for keyword in call.keywords:
        position = {"route": 0, "regex": 0, "view": 1, "kwargs": 2}.get(keyword.arg or "")
        if position is not None:
            found[position] = keyword.value
    return found[0], found[1], found[2]


def _views(unit: "FileFlow", view: ast.expr) -> dict[str, Actions]:
    """The project names a route's view argument refers to: ``views.detail``, the class of
    ``views.Detail.as_view(...)``, and what a wrapper is given (``login_required(views.detail)``:
    the wrapper's name too, which no view has), each with the actions a DRF viewset's
    ``as_view({"get": "retrieve"})`` dispatches (None: any). An ``include()`` routes to no view
    of its own."""
    if view.__class__ is ast.Call and unit.qualname(view.func) in DJANGO_INCLUDE_FUNCTIONS:
        return {}
    imports = unit.facts.imports
    found: dict[str, Actions] = {}
    stack: list[tuple[ast.AST, Actions]] = [(view, None)]
    while stack:
        node, actions = stack.pop()
        if node.__class__ is ast.Name or node.__class__ is ast.Attribute:
            root = node
            while root.__class__ is ast.Attribute:
                root = root.value
            if root.__class__ is ast.Name:
                if root.id in imports.aliases or root.id in imports.local_defs:  # (not a local: ``self.index``, ``view``)
                    name = unit.qualname(node).removesuffix(".as_view")  # type: ignore[union-attr]
                    known = found.get(name, actions)
                    found[name] = None if known is None or actions is None else known | actions
                continue
        if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr == "as_view":
            stack.append((node.func, _dispatched_actions(unit, node)))
            stack.extend((child, actions) for child in (*node.args, *node.keywords))
            continue
        stack.extend((child, actions) for child in ast.iter_child_nodes(node))
    return found


def _dispatched_actions(unit: "FileFlow", call: ast.Call) -> Actions:
    """``ViewSet.as_view({"get": "retrieve", "delete": "destroy"})`` (DRF's ``actions``): the
    viewset's actions the view dispatches; None for any other ``as_view()``."""
    argument = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "actions"), None)
    if argument is None:
        return None
    mapping = fold(argument, {}, unit.module_constants)
    if not isinstance(mapping, dict) or not mapping or not all(
            isinstance(action, str) and action.isidentifier() for action in mapping.values()):
        return None
    return frozenset(mapping.values())


def _route_values(unit: "FileFlow", kind: str, pattern: ast.expr | None) -> Values:
    """What a route's pattern gives the parameters it names (see Values)."""
    route = fold(pattern, {}, unit.module_constants) if pattern is not None else NOTHING
    if not isinstance(route, str):
        return {ANY: _UNTRUSTED}  # built at run time: any name, any value
    return _path_values(route) if kind == "path" else dict(_regex_values(route))


def _path_values(route: str) -> Values:
    values: Values = {}
    for converter, name in _PATH_VARIABLE.findall(route):
        if converter in DJANGO_CONVERTING_CONVERTERS:
            value: frozenset[int] | None = frozenset()
        elif converter in DJANGO_PATTERN_CONVERTERS:
            value = _pattern_value(DJANGO_PATTERN_CONVERTERS[converter])
        else:
            value = _UNTRUSTED  # ``<str:name>``, ``<name>``, ``<path:p>``, a converter of the project's
        values[name] = value if name not in values else _UNTRUSTED  # (Django refuses a name used twice)
    return values


@functools.lru_cache(maxsize=256)
def _regex_values(route: str) -> tuple[tuple[str, frozenset[int] | None], ...]:
    """The named groups of a ``re_path`` pattern, each with the CWEs its value still allows, or
    None (free text). (Django passes the named groups as keyword arguments; without any, the
    groups go by position, which is not followed.)"""
    try:
        from re import _parser  # (Python >= 3.11)

        tree = _parser.parse(route)
        bodies: dict[int, list] = {}
        if not _group_bodies(list(tree), bodies):
            return ((ANY, _UNTRUSTED),)  # a back-reference: a group's value may be another's
        return tuple((name, _characters_value(bodies[group]) if group in bodies else _UNTRUSTED)
                     for name, group in sorted(tree.state.groupdict.items()))
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: nothing known
        return ((ANY, _UNTRUSTED),)


def _group_bodies(items: list, bodies: dict[int, list]) -> bool:
    """Fill ``bodies`` (group number -> its parsed body); False when the pattern refers back to a
    group (``(?P=name)``, ``(?(1)...)``)."""
    for op, argument in items:
        op = op.name
        if op == "SUBPATTERN":
            group, body = argument[0], list(argument[-1])
            if group is not None:
                bodies[group] = body
            if not _group_bodies(body, bodies):
                return False
        elif op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if not _group_bodies(list(argument[2]), bodies):
                return False
        elif op == "BRANCH":
            if not all(_group_bodies(list(alternative), bodies) for alternative in argument[1]):
                return False
        elif op == "ATOMIC_GROUP":
            if not _group_bodies(list(argument), bodies):
                return False
        elif op in ("ASSERT", "ASSERT_NOT"):
            if not _group_bodies(list(argument[1]), bodies):
                return False
        elif op in ("GROUPREF", "GROUPREF_EXISTS"):
            return False
    return True


@functools.cache
def _pattern_value(pattern: str) -> frozenset[int] | None:
    from re import _parser

    return _characters_value(list(_parser.parse(pattern)))


def _characters_value(body: list) -> frozenset[int] | None:
    """The CWEs a value matched by ``body`` still allows (empty: none), or None (untrusted)."""
    try:
        admitted, any_character, _ = _pattern_characters(body, _ASCII)
    except ValueError:  # (a construct the characters are not read from)
        return _UNTRUSTED
    if any_character or not admitted <= ROUTE_VALUE_CHARACTERS:
        return _UNTRUSTED
    allowed = frozenset().union(*(cwes for characters, cwes in ROUTE_VALUE_OPEN_CWES if admitted & set(characters)))
    leading = (cwes for cwes, characters in PATTERN_LEADING_OPEN_CHARACTERS.items()
               if any(_may_begin_with(body, ord(character))[0] for character in characters))
    return allowed.union(*leading)


def _constant_keywords(kwargs: ast.expr | None) -> Values:
    """``path("", views.archive, {"year": 2024})``: the route's extra keyword arguments, which
    override the URL's values: set by the URL conf, not by the client."""
    if kwargs.__class__ is not ast.Dict:
        return {}
    return {key.value: frozenset() for key in kwargs.keys if key.__class__ is ast.Constant and isinstance(key.value, str)}


def _overlaid(outer: Values, inner: Values) -> Values:
    """What an inner route gives, over what encloses it gives (Django: the inner one wins)."""
    return inner if ANY in inner else {**outer, **inner}


def _both_given(first: Values, second: Values) -> Values:
    """What two routes to one view (or two includes of one URL conf) both give: a parameter
    converted by both allows what either allows; one named by neither is left to what encloses
    them; any other (free text in one, or named by one only) is free text."""
    found: Values = {}
    first_default = _UNTRUSTED if ANY in first else _NOT_NAMED
    second_default = _UNTRUSTED if ANY in second else _NOT_NAMED
    for name in first.keys() | second.keys():
        one, other = first.get(name, first_default), second.get(name, second_default)
        if one is _NOT_NAMED or other is _NOT_NAMED or one is None or other is None:
            found[name] = _UNTRUSTED
        else:
            found[name] = one | other
    return found


def _met(all_values: Iterable[Values]) -> Values:
    found: Values | None = None
    for values in all_values:
        found = values if found is None else _both_given(found, values)
    return found or {}


def _both(first: dict[str, frozenset[int]], second: dict[str, frozenset[int]]) -> dict[str, frozenset[int]]:
    """What two routes to one view both convert (each value allowing what either allows)."""
    return {name: first[name] | second[name] for name in first.keys() & second.keys()}


def _encoded_groups(groups: dict[Actions, Values]) -> list[str]:
    """A view's entry ``params``: what its routes give (see _encoded); when some dispatch only
    some actions, each group of routes after its marker ``=retrieve,destroy`` (``=``: any action)."""
    if list(groups) == [None]:
        return _encoded(groups[None])
    return [item for actions, values in sorted(groups.items(), key=lambda group: sorted(group[0] or ()))
            for item in (f"{_ACTIONS}{','.join(sorted(actions or ()))}", *_encoded(values))]


def _entry_groups(entry: FunctionSummary) -> tuple[list[tuple[Actions, Values]], str]:
    """A view's entry (see _encoded_groups): each group of routes with the actions they dispatch,
    and the URL conf that wrote it."""
    if not any(item[:1] == _ACTIONS for item in entry.params):
        values, conf = _entry_values(entry)
        return [(None, values)], conf
    groups: list[tuple[Actions, list[str]]] = []
    conf_items: list[str] = []
    for item in entry.params:
        if item[:1] == _ACTIONS:
            groups.append((frozenset(item[1:].split(",")) if item[1:] else None, []))
        elif item[:1] == "@" or not groups:
            conf_items.append(item)
        else:
            groups[-1][1].append(item)
    conf = _entry_values(FunctionSummary(entry.qualname, conf_items))[1]
    return [(actions, _entry_values(FunctionSummary(entry.qualname, items))[0]) for actions, items in groups], conf


def _encoded(values: Values) -> list[str]:
    """A summary entry's ``params``: ``"year:"``, ``"slug:88 918"``, ``"name!"`` (free text)."""
    return [f"{name}!" if cwes is None else f"{name}:{' '.join(map(str, sorted(cwes)))}"
            for name, cwes in sorted(values.items())]


def _decoded(entry: FunctionSummary) -> Values:
    """An entry's values (forms.py's entries are written as a route's)."""
    return _entry_values(entry)[0]


def _entry_values(entry: FunctionSummary) -> tuple[Values, str]:
    """An entry's values, and the URL conf that wrote it ("" if not known)."""
    values: Values = {}
    conf = ""
    for item in entry.params:
        if item[0] == "@":
            conf = item[1:]
        elif item[-1] == "!":
            values[item[:-1]] = _UNTRUSTED
        else:
            name, _, cwes = item.partition(":")
            values[name] = frozenset(int(cwe) for cwe in cwes.split())
    return values, conf


# ---- the project's side ---------------------------------------------------------------------
def entry_name(view: str) -> str:
    return f"{view}.{ROUTES_ENTRY}"


def question(views: list[str]) -> str:
    """The question naming ``views`` (each maybe followed by its lookup_item) that
    ``FileFlow.route_conversions`` asks."""
    return FAMILY_SEPARATOR.join([*views, INCLUDES])


_ELSEWHERE = (FLASK_ELSEWHERE, TORNADO_ELSEWHERE, LITESTAR_DEPENDENCIES)


def answer(views: str, entries_of: Callable[[str], list[FunctionSummary]]) -> Conversions:
    """What every route to these views (a question: see ``question``) converts, from the URL
    confs' entries (``entries_of(name)``: every entry of that name, one per file). (A question
    of Flask's registrations in other files is answered by flask_rules.answer.)"""
    if views.endswith(_ELSEWHERE):  # (registrations in other files: every entry's items)
        return flask_answer(views, entries_of)
    # Each route: the actions it dispatches (None: any), those it does not among them (a router's
    # route to a viewset whose @action has a url_path of its own: that action's route is another),
    # what it converts.
    routes: list[tuple[Actions, frozenset[str], dict[str, frozenset[int]]]] = []
    includes: list[tuple[str, dict[str, Values]]] | None = None
    outers: dict[str, dict[str, frozenset[int]]] = {}
    for view, lookup, actions_given in _question_views(views):
        for entry in entries_of(entry_name(view)):
            groups, conf = _entry_groups(entry)
            for actions, leaf in groups:
                own: dict[str, Values] = {}  # (actions with a url_path of their own -> their route)
                if LOOKUP in leaf or LOOKUP_PATH in leaf:
                    leaf, own = _router_leaf(leaf, lookup, actions_given if actions is None else {}, entries_of)
                if ANY not in leaf and conf:
                    if includes is None:
                        includes = [_included(entry) for entry in entries_of(entry_name(INCLUDES))]
                    outer = _outer(conf, includes, outers, ())
                    leaf = {**outer, **leaf}
                    own = {action: {**outer, **values} for action, values in own.items()}
                route = _converted(leaf)
                if not own and actions is None and not route:
                    return ()  # (every method is reached by this route, which converts nothing)
                routes.append((actions, frozenset(own), route))
                routes.extend((frozenset({action}), frozenset(), _converted(values)) for action, values in own.items())
    if not routes:
        return ()
    return _by_action(routes)


def _listed(values: dict[str, frozenset[int]], prefix: str = "") -> Conversions:
    return tuple((f"{prefix}{name}", tuple(sorted(cwes))) for name, cwes in sorted(values.items()))


def _by_action(routes: list[tuple[Actions, frozenset[str], dict[str, frozenset[int]]]]) -> Conversions:
    """The answer: what every route converts; when some routes dispatch only some actions (see
    ACTION_SEPARATOR), what those dispatching each action convert, and what those dispatching
    any convert (for the other actions)."""
    everything = functools.reduce(_both, [route for _, _, route in routes])
    named = frozenset().union(*(actions | excluded if actions is not None else excluded for actions, excluded, _ in routes))
    if not named:
        return _listed(everything)
    mark = ACTIONS_MARK
    found = [*_listed(everything), (mark, ())]
    unrestricted = [route for actions, _, route in routes if actions is None]
    if unrestricted:
        found += _listed(functools.reduce(_both, unrestricted), mark)
    for action in sorted(named):
        met = functools.reduce(_both, [route for actions, excluded, route in routes
                                       if (action in actions if actions is not None else action not in excluded)])
        found += [(f"{action}{ACTION_SEPARATOR}", ()), *_listed(met, f"{action}{ACTION_SEPARATOR}")]
    return tuple(sorted(found))


def _question_views(views: str) -> list[tuple[str, str, dict[str, tuple[Values, Values]]]]:
    """The views a question names, each with its lookup item ("" if none) and what the url_path
    of each of its actions gives (on a router of regular expressions, on one of path() routes)."""
    found: list[tuple[str, str, dict[str, tuple[Values, Values]]]] = []
    for item in views.split(FAMILY_SEPARATOR):
        if item[:1] != "<":
            found.append((item, "", {}))
        elif item.startswith(LOOKUP) and found:
            found[-1] = (found[-1][0], item, found[-1][2])
        elif item.startswith(ACTION) and found:
            method, _, rest = item[len(ACTION):].partition("=")
            regex, _, path = rest.partition("=")
            found[-1][2][method] = (_action_values(regex), _action_values(path))
    return found


def _router_leaf(leaf: Values, lookup: str, actions_given: dict[str, tuple[Values, Values]],
                 entries_of: Callable[[str], list[FunctionSummary]]) -> tuple[Values, dict[str, Values]]:
    """A router's route with the viewset's lookup argument (``lookup``, as lookup_item writes it)
    and the parent viewsets' (see PARENT) in their places; and the route of each action whose
    url_path captures arguments of its own (``actions_given``)."""
    regex = leaf.get(LOOKUP) is not None  # (None: a router whose kind is not known)
    path = leaf.get(LOOKUP_PATH) is not None
    name, regex_value, converter_value = _parsed_lookup(lookup)
    found = {key: value for key, value in leaf.items() if key[:1] != "<"}
    found[name] = regex_value if regex else converter_value if path else _UNTRUSTED
    for key, value in leaf.items():
        if key.startswith(PARENT):
            mode, _, rest = key[len(PARENT):].partition("=")
            nest, _, viewset = rest.partition("=")
            items = [item for entry in entries_of(f"{viewset}.{LOOKUP_ENTRY}") for item in entry.params]
            name, regex_value, converter_value = _parsed_lookup(items[0] if len(items) == 1 else "")
            found[f"{nest}{name}"] = (_UNTRUSTED if value is None else regex_value if mode == "re"
                                      else converter_value if mode == "path" else _UNTRUSTED)
    own: dict[str, Values] = {}
    for action, (by_regex, by_path) in actions_given.items():
        given = by_regex if regex else by_path if path else dict.fromkeys([*by_regex, *by_path], _UNTRUSTED)
        if given:
            own[action] = {**found, **given}
    return found, own


def _parsed_lookup(item: str) -> tuple[str, frozenset[int] | None, frozenset[int] | None]:
    """A lookup item (see lookup_item): the lookup argument, what its value still allows on a
    router of regular expressions, then on one of path() routes (None: free text). "": DRF's
    defaults (``pk``, free text)."""
    name, _, rest = item[len(LOOKUP):].partition("=")
    regex, judged, converter = rest.partition("=")
    return (name or DRF_DEFAULT_LOOKUP, _lookup_cwes(regex) if name else _UNTRUSTED,
            _lookup_cwes(converter) if name and judged else _UNTRUSTED)


def _lookup_cwes(text: str) -> frozenset[int] | None:
    return _UNTRUSTED if text == "!" else frozenset(int(cwe) for cwe in text.split(",") if cwe)


def _action_values(text: str) -> Values:
    """``name!,num:`` (see ACTION) as Values."""
    values: Values = {}
    for item in text.split(","):
        if item.endswith("!"):
            values[item[:-1]] = _UNTRUSTED
        elif item:
            name, _, cwes = item.partition(":")
            values[name] = frozenset(int(cwe) for cwe in cwes.split(".") if cwe)
    return values


def conversions_of(answer: dict[str, frozenset[int]], method: str, is_action: bool) -> dict[str, frozenset[int]]:
    """What an answer (see ACTION_SEPARATOR) tells the method ``method`` of a view (``is_action``:
    a viewset's action, which a route dispatching others does not call)."""
    mark = ACTIONS_MARK
    if mark not in answer:
        return answer
    if is_action:
        prefix = f"{method}{ACTION_SEPARATOR}" if f"{method}{ACTION_SEPARATOR}" in answer else mark
        return {name[len(prefix):]: cwes for name, cwes in answer.items() if name.startswith(prefix) and name != prefix}
    return {name: cwes for name, cwes in answer.items() if ACTION_SEPARATOR not in name}


def _converted(values: Values) -> dict[str, frozenset[int]]:
    return {name: cwes for name, cwes in values.items() if cwes is not None and name != ANY}


def _included(entry: FunctionSummary) -> tuple[str, dict[str, Values]]:
    """An ``<included>.<routes>`` entry: the including URL conf, and what it gives each conf it
    includes."""
    conf = ""
    found: dict[str, list[str]] = {}
    for item in entry.params:
        if item[0] == "@":
            conf = item[1:]
        else:
            module, _, value = item.partition(_INCLUDED_SEPARATOR)
            found.setdefault(module, [])
            if value:
                found[module].append(value)
    return conf, {module: _entry_values(FunctionSummary(INCLUDES, items))[0] for module, items in found.items()}


def _outer(conf: str, includes: list[tuple[str, dict[str, Values]]], known: dict[str, dict[str, frozenset[int]]],
           including: tuple[str, ...]) -> dict[str, frozenset[int]]:
    """What every route including the URL conf ``conf`` converts ({}: none, or not included by
    a URL conf the table knows -- the root URL conf)."""
    if conf in including:
        return {}
    found = known.get(conf)
    if found is not None:
        return found
    met: dict[str, frozenset[int]] | None = None
    for includer, given in includes:
        level = given.get(conf)
        if level is None:
            continue
        if ANY not in level and includer:
            level = {**_outer(includer, includes, known, (*including, conf)), **level}
        values = _converted(level)
        met = values if met is None else _both(met, values)
        if not met:
            break
    found = known[conf] = met or {}
    return found


def lookup_item(classes: list[ast.ClassDef], module_constants: dict | None = None) -> str | None:
    """The question's item telling the lookup argument of a viewset (``classes``: it, then the
    bases this file defines) that sets ``lookup_field``, ``lookup_url_kwarg``,
    ``lookup_value_regex`` or ``lookup_value_converter`` as constants (a literal, or a name bound
    once to one in the class body or, ``module_constants``, at module level); None when none does
    (DRF's default). ``<lookup>pk=`` : the argument, what its value still allows on a router of
    regular expressions ("!": free text), then, when it is not free text, on a router of path()
    routes (``<lookup>pk=!=``: ``lookup_value_converter = "int"``)."""
    attributes: dict[str, str] = {}
    for node in reversed(classes):  # (a class's own over its bases')
        for statement in node.body:
            if (statement.__class__ is ast.Assign and len(statement.targets) == 1
                    and statement.targets[0].__class__ is ast.Name and statement.targets[0].id in DRF_LOOKUP_ATTRIBUTES):
                value = statement.value
                folded = value.value if value.__class__ is ast.Constant else _class_constant(node, value, module_constants or {})
                if isinstance(folded, str):
                    attributes[statement.targets[0].id] = folded
    if not attributes:
        return None
    name = attributes.get("lookup_url_kwarg") or attributes.get("lookup_field") or DRF_DEFAULT_LOOKUP
    pattern = attributes.get("lookup_value_regex")
    value = _lookup_pattern_value(pattern) if pattern else _UNTRUSTED
    if FAMILY_SEPARATOR in name or "=" in name:
        return None
    # (DRF's path() routes: ``<converter:pk>`` of lookup_value_converter, else of lookup_value_regex
    # taken as a converter's name -- an unknown one fails --, else of "str")
    converter = attributes.get("lookup_value_converter") or pattern
    converted = _path_values(f"<{converter}:{name}>").get(name) if converter and ">" not in converter else _UNTRUSTED
    return f"{LOOKUP}{name}={_cwes_text(value)}" + ("" if converted is None else f"={_cwes_text(converted)}")


def _cwes_text(value: frozenset[int] | None) -> str:
    return "!" if value is None else ",".join(map(str, sorted(value)))


def viewset_items(classes: list[ast.ClassDef], module_constants: dict | None = None) -> list[str]:
    """The question's items after the name of a view class (``classes``: it, then the bases this
    file defines): its lookup item, if any, and its action items (see action_items)."""
    lookup = lookup_item(classes, module_constants)
    return [*([lookup] if lookup else []), *action_items(classes, module_constants)]


def action_items(classes: list[ast.ClassDef], module_constants: dict | None = None) -> list[str]:
    """The items (see ACTION) of a viewset's actions whose ``url_path`` (a constant) captures
    keyword arguments: ``@action(detail=True, url_path=r"files/(?P<name>[0-9]+)")``. Only the
    class bodies' ``def`` statements are read (an @action is one)."""
    seen: set[str] = set()
    found: list[str] = []
    for node in classes:  # (a class's own method over its bases')
        for statement in node.body:
            if statement.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef) or statement.name in seen:
                continue
            seen.add(statement.name)
            url_path = _action_url_path(statement)
            if url_path is None:
                continue
            text = url_path.value if url_path.__class__ is ast.Constant else _class_constant(node, url_path, module_constants or {})
            if isinstance(text, str) and "<" in text:
                item = _action_item(statement.name, text)
                if item:
                    found.append(item)
    return sorted(found)


def _action_url_path(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The ``url_path`` of a method's ``@action(...)`` (``detail_route``, ``list_route``), if any."""
    for decorator in function.decorator_list:
        if decorator.__class__ is ast.Call:
            target = decorator.func
            if (target.id if target.__class__ is ast.Name else getattr(target, "attr", None)) in DRF_ACTION_DECORATORS:
                return next((keyword.value for keyword in decorator.keywords if keyword.arg == "url_path"), None)
    return None


def _action_item(method: str, url_path: str) -> str:
    """``<action>files=name!=`` (see ACTION): what the groups of ``url_path`` give, read as the
    part of a router's regular expression, then of a path() route; "" when it captures nothing."""
    by_regex = {name: value for name, value in _regex_values(url_path) if name.isidentifier()}
    by_path = {name: value for name, value in _path_values(url_path).items() if name.isidentifier()}
    if not by_regex and not by_path:
        return ""
    return f"{ACTION}{method}={_action_text(by_regex)}={_action_text(by_path)}"


def _action_text(values: Values) -> str:
    return ",".join(f"{name}!" if cwes is None else f"{name}:{'.'.join(map(str, sorted(cwes)))}"
                    for name, cwes in sorted(values.items()))


def lookup_entries(unit: "FileFlow", classes: Iterable[str], chain: Callable[[str], list[ast.ClassDef]]) -> dict[str, FunctionSummary]:
    """A DRF views file's entries ``app.views.ShopViewSet.<lookup>`` (its lookup item), for the
    classes among ``classes`` (``chain(name)``: the class, then its bases in this file) that name
    their lookup argument: a nested router's routes capture it (see PARENT)."""
    found: dict[str, FunctionSummary] = {}
    for name in classes:
        item = lookup_item(chain(name), unit.module_constants)
        if item is not None:
            found[f"{name}.{LOOKUP_ENTRY}"] = FunctionSummary(f"{name}.{LOOKUP_ENTRY}", [item])
    return found


def _class_constant(node: ast.ClassDef, value: ast.expr, module_constants: dict):
    """The value of ``value`` in the body of the class ``node``: built of literals and names bound
    once there to literals, else (a name the class body does not bind) to module constants
    (``lookup_value_regex = NUMERIC``); NOTHING when not a constant. (Only met for a lookup
    attribute that is not a literal: rare, and one class body.)"""
    bound: dict[str, list[ast.expr | None]] = {}
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if child.__class__ in _FUNCTIONS:
            if child.__class__ is not ast.Lambda:
                bound.setdefault(child.name, []).append(None)  # type: ignore[attr-defined]
            continue  # (its own scope)
        if child.__class__ is ast.Assign and len(child.targets) == 1 and child.targets[0].__class__ is ast.Name:
            bound.setdefault(child.targets[0].id, []).append(child.value)
            stack.append(child.value)
            continue
        if child.__class__ is ast.Name and child.ctx.__class__ is not ast.Load:
            bound.setdefault(child.id, []).append(None)  # (any other binding: not a constant)
        elif child.__class__ in (ast.Import, ast.ImportFrom):
            for alias in child.names:
                bound.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
        stack.extend(ast.iter_child_nodes(child))
    consts: dict = {}
    for name, values in bound.items():
        if len(values) == 1 and values[0] is not None:
            folded = fold(values[0], {}, {})
            if folded is not NOTHING:
                consts[name] = folded
    outer = {name: folded for name, folded in module_constants.items() if name not in bound}
    return fold(value, consts, outer)


def _lookup_pattern_value(pattern: str) -> frozenset[int] | None:
    try:
        return _pattern_value(pattern)
    except Exception:  # noqa: BLE001 - an invalid pattern: nothing known
        return _UNTRUSTED
