"""Django URL confs: what a route tells a view's parameters.

``path("articles/<int:year>/<slug:slug>/", views.article_detail)`` calls ``article_detail(request,
year=..., slug=...)`` with ``year`` an int and ``slug`` made of letters, digits, "_" and "-": not
the free text a view's parameter is otherwise taken to be. The routes are in one file, the views
in another (which the URL conf imports, so it is usually analysed first). So:

- a URL conf (a file importing ``path``/``re_path``/``url`` from Django) exports, among its own
  summaries, an entry ``<view>.<routes>`` for each view it routes to (a function, or the class of
  ``View.as_view()``): the parameters that *every* route of the file to that view converts, each
  with the weaknesses its value still allows (see models.sources.ROUTE_VALUE_OPEN_CWES);
- a view's analysis asks the project for those entries (``FileFlow.route_conversions``); the
  project table combines every URL conf's (``combined``): a parameter is converted only when each
  route, in every file, converts it. That is a question like any other the analysis asks
  (linking.Dependencies), so a views file analysed before its URL conf is analysed again, its
  review alone, once the URL conf is known -- and a cached one when a URL conf changes.

A route whose pattern is not a constant, a parameter a route does not name (it may come from an
``include()``'s prefix), ``<str:...>``, ``<path:...>`` and converters a project registers itself
leave the parameter untrusted. Other ways to reach a view (a dotted string, a view stored in a
variable, a Django REST framework router) are not seen: only the routes written with these calls
count.
"""
from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING, Iterable

from secreview.dataflow.analyzer import NOTHING, FunctionSummary, _may_begin_with, _pattern_characters, fold
from secreview.models.sanitizers import PATTERN_LEADING_OPEN_CHARACTERS
from secreview.models.sources import (
    DJANGO_CONVERTING_CONVERTERS, DJANGO_INCLUDE_FUNCTIONS, DJANGO_PATTERN_CONVERTERS, DJANGO_ROUTE_FUNCTIONS,
    ROUTE_VALUE_CHARACTERS, ROUTE_VALUE_OPEN_CWES,
)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

ROUTES_ENTRY = "<routes>"  # ``app.views.article_detail.<routes>``: a URL conf's summary entry
FAMILY_SEPARATOR = " "  # between the views of one question (a class-based view and its subclasses)
# What a view's routes convert: (parameter, the CWEs its value still allows), sorted; () when none.
Conversions = tuple[tuple[str, tuple[int, ...]], ...]

# What a URL conf imports to call them: ``from django.urls import path``, ``from django import urls``
# (or ``import django.urls``).
_ROUTE_MODULES = frozenset({"django.urls", "django.urls.conf", "django.conf.urls"})
_ROUTE_IMPORTS = frozenset(DJANGO_ROUTE_FUNCTIONS) | _ROUTE_MODULES
_ROUTE_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in DJANGO_ROUTE_FUNCTIONS)
_PATH_VARIABLE = re.compile(r"<(?:([^>:]+):)?([^>]+)>")  # (Django's own syntax for path() routes)
_ASCII = frozenset(map(chr, range(128)))
_UNTRUSTED = None


# ---- the URL conf's side --------------------------------------------------------------------
def route_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<view>.<routes>`` summary entries of a URL conf; nothing for any other file (the
    cheap test first: most files import no route function)."""
    imports = unit.facts.imports
    if _ROUTE_IMPORTS.isdisjoint(imports.aliases.values()) and not (
            imports.aliases.get("django") == "django" and not _ROUTE_MODULES.isdisjoint(imports.imported_modules)):
        return {}
    routed: dict[str, dict[str, frozenset[int]]] = {}
    for node, _ in unit.facts.nodes:
        if node.__class__ is not ast.Call:
            continue
        func = node.func
        last = func.id if func.__class__ is ast.Name else func.attr if func.__class__ is ast.Attribute else None
        if last not in _ROUTE_NAMES:
            continue
        kind = DJANGO_ROUTE_FUNCTIONS.get(unit.qualname(func) or "")
        if kind is None:
            continue
        pattern, view, kwargs = _route_arguments(node)
        views = _views(unit, view) if view is not None else set()
        if not views:
            continue
        values = _route_values(unit, kind, pattern)
        values.update(_constant_keywords(kwargs))
        for name in views:
            routed[name] = values if name not in routed else _both(routed[name], values)
    return {f"{view}.{ROUTES_ENTRY}": FunctionSummary(f"{view}.{ROUTES_ENTRY}", _encoded(values))
            for view, values in sorted(routed.items())}


def _route_arguments(call: ast.Call) -> tuple[ast.expr | None, ast.expr | None, ast.expr | None]:
    """``path(route, view, kwargs=None, name=None)`` (``re_path``/``url``: ``regex`` for ``route``)."""
    found: list[ast.expr | None] = [*call.args[:3], *[None] * max(0, 3 - len(call.args))]
    for keyword in call.keywords:
        position = {"route": 0, "regex": 0, "view": 1, "kwargs": 2}.get(keyword.arg or "")
        if position is not None:
            found[position] = keyword.value
    return found[0], found[1], found[2]


def _views(unit: "FileFlow", view: ast.expr) -> set[str]:
    """The project names a route's view argument refers to: ``views.detail``, the class of
    ``views.Detail.as_view(...)``, and what a wrapper is given (``login_required(views.detail)``:
    the wrapper's name too, which no view has). An ``include()`` routes to no view of its own."""
    if view.__class__ is ast.Call and unit.qualname(view.func) in DJANGO_INCLUDE_FUNCTIONS:
        return set()
    imports = unit.facts.imports
    found: set[str] = set()
    stack = [view]
    while stack:
        node = stack.pop()
        if node.__class__ is ast.Name or node.__class__ is ast.Attribute:
            root = node
            while root.__class__ is ast.Attribute:
                root = root.value
            if root.__class__ is ast.Name:
                if root.id in imports.aliases or root.id in imports.local_defs:  # (not a local: ``self.index``, ``view``)
                    found.add(unit.qualname(node).removesuffix(".as_view"))  # type: ignore[union-attr]
                continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _route_values(unit: "FileFlow", kind: str, pattern: ast.expr | None) -> dict[str, frozenset[int]]:
    """The parameters a route converts, each with the CWEs its value still allows."""
    route = fold(pattern, {}, unit.module_constants) if pattern is not None else NOTHING
    if not isinstance(route, str):
        return {}  # built at run time: not known
    return _path_values(route) if kind == "path" else dict(_regex_values(route))


def _path_values(route: str) -> dict[str, frozenset[int]]:
    values: dict[str, frozenset[int] | None] = {}
    for converter, name in _PATH_VARIABLE.findall(route):
        if converter in DJANGO_CONVERTING_CONVERTERS:
            value: frozenset[int] | None = frozenset()
        elif converter in DJANGO_PATTERN_CONVERTERS:
            value = _pattern_value(DJANGO_PATTERN_CONVERTERS[converter])
        else:
            value = _UNTRUSTED  # ``<str:name>``, ``<name>``, ``<path:p>``, a converter of the project's
        values[name] = value if name not in values else _UNTRUSTED  # (Django refuses a name used twice)
    return {name: value for name, value in values.items() if value is not None}


@functools.lru_cache(maxsize=256)
def _regex_values(route: str) -> tuple[tuple[str, frozenset[int]], ...]:
    """The named groups of a ``re_path`` pattern whose value is made of safe characters. (Django
    passes the named groups as keyword arguments; without any, the groups go by position, which
    is not followed.)"""
    try:
        from re import _parser  # (Python >= 3.11)

        tree = _parser.parse(route)
        bodies: dict[int, list] = {}
        if not _group_bodies(list(tree), bodies):
            return ()  # a back-reference: a group's value may be another's
        found = []
        for name, group in sorted(tree.state.groupdict.items()):
            value = _characters_value(bodies[group]) if group in bodies else _UNTRUSTED
            if value is not None:
                found.append((name, value))
        return tuple(found)
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: nothing known
        return ()


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


def _constant_keywords(kwargs: ast.expr | None) -> dict[str, frozenset[int]]:
    """``path("", views.archive, {"year": 2024})``: the route's extra keyword arguments, which
    override the URL's values: set by the URL conf, not by the client."""
    if kwargs.__class__ is not ast.Dict:
        return {}
    return {key.value: frozenset() for key in kwargs.keys if key.__class__ is ast.Constant and isinstance(key.value, str)}


def _both(first: dict[str, frozenset[int]], second: dict[str, frozenset[int]]) -> dict[str, frozenset[int]]:
    """What two routes to one view both convert (each value allowing what either allows)."""
    return {name: first[name] | second[name] for name in first.keys() & second.keys()}


def _encoded(values: dict[str, frozenset[int]]) -> list[str]:
    """A summary entry's ``params``: ``"year:"``, ``"slug:88 918"``."""
    return [f"{name}:{' '.join(map(str, sorted(cwes)))}" for name, cwes in sorted(values.items())]


def _decoded(entry: FunctionSummary) -> dict[str, frozenset[int]]:
    values = {}
    for item in entry.params:
        name, _, cwes = item.partition(":")
        values[name] = frozenset(int(cwe) for cwe in cwes.split())
    return values


# ---- the project's side ---------------------------------------------------------------------
def entry_name(view: str) -> str:
    return f"{view}.{ROUTES_ENTRY}"


def combined(entries: Iterable[FunctionSummary]) -> Conversions:
    """What every route of these entries (of one or several URL confs) converts."""
    values: dict[str, frozenset[int]] | None = None
    for entry in entries:
        decoded = _decoded(entry)
        values = decoded if values is None else _both(values, decoded)
        if not values:
            return ()
    return tuple((name, tuple(sorted(cwes))) for name, cwes in sorted(values.items())) if values else ()
