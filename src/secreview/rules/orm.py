"""ORM query logic chosen by the client (CWE-943): Django lookups whose *names* come from the request.

``Product.objects.filter(name__icontains=q)`` is safe whatever ``q`` holds: the value is a query
parameter. The keyword's *name* is not a value: ``field__related__lookup`` walks relations and picks
an operator, so a client who chooses the names (``filter(**request.GET.dict())``,
``Q(**{field: value})``) filters on any column of any related model -- ``author__password__startswith``
leaks a password hash one character at a time through the count of rows returned.
"""
from __future__ import annotations

import ast

from secreview.rules.base import HIGH, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import RuleContext

# Calls that read their keyword arguments as lookups (``field__lookup=value``).
LOOKUP_CALLS = (
    "django.db.models.Q", "django.db.models.query_utils.Q",
    "django.shortcuts.get_object_or_404", "django.shortcuts.get_list_or_404",
)
LOOKUP_METHODS = ("filter", "exclude", "get", "get_or_create", "update_or_create")

# A request's data as a mapping: its keys are the client's (``request.GET``, DRF's
# ``request.data``, Flask's ``request.args``...). A form's ``cleaned_data`` is not one: its keys
# are the form's fields.
_CLIENT_MAPPINGS = frozenset({"GET", "POST", "COOKIES", "data", "query_params", "json", "args", "form", "values"})
_MAPPING_COPIES = frozenset({"dict", "copy", "to_dict"})  # QueryDict.dict(), MultiDict.to_dict()...
_PAIR_VIEWS = frozenset({"items", "lists"})  # dict(request.GET.items()), dict(QueryDict.lists()): the same keys
_JSON_CALLS = frozenset({"json.loads", "ujson.loads", "orjson.loads"})
_CLIENT_JSON_METHODS = frozenset({"get_json", "json"})  # Flask request.get_json(), await request.json()


@rule(
    id="django-lookup-injection",
    title="Query lookups chosen by the client (Django ORM)",
    cwe=943,
    severity=HIGH,
    confidence=HIGH,
    calls=list(LOOKUP_CALLS),
    methods=list(LOOKUP_METHODS),
    min_source_confidence=MEDIUM,
    description="""The names of the keyword arguments of filter()/exclude()/get()/Q() are lookups:
        `author__password__startswith` follows relations and chooses an operator. When the
        client chooses the names (`filter(**request.GET.dict())`, a copy such as
        `dict(request.GET.items())` or a comprehension over its items, `Q(**{field: value})`), it
        filters on any field of any related model, and the number of rows returned leaks
        hidden values (password hashes, tokens) one character at a time. The values of the
        lookups are query parameters and are not reported.""",
    solution="""Map the client's choices to lookups through an allow-list
        (`ALLOWED = {"name": "name__icontains", "category": "category"}`), or declare the filters
        (a form, django-filter's FilterSet).""",
    example="""
        products = Product.objects.filter(**request.GET.dict())
    """,
    fixed="""
        FILTERS = {"name": "name__icontains", "category": "category"}
        lookups = {FILTERS[k]: v for k, v in request.GET.items() if k in FILTERS}
        products = Product.objects.filter(**lookups)
    """,
)
def check_lookup_names(call: ast.Call, ctx: RuleContext):
    for keyword in call.keywords:
        if keyword.arg is None:  # ``**mapping``
            hit = _chosen_names(keyword.value, keyword.value, ctx, call, depth=0)
            if hit is not None:
                return hit
    return None


def _chosen_names(operand: ast.expr, shape: ast.expr, ctx: RuleContext, call: ast.Call, depth: int) -> Hit | None:
    """A hit when the client chooses keys of ``operand`` (whose value is built as ``shape``)."""
    if isinstance(shape, ast.Dict):
        for key, value in zip(shape.keys, shape.values):
            if key is None:  # ``{**other}``
                hit = _chosen_names(value, value, ctx, call, depth + 1)
            else:
                hit = _hit(ctx, call, key, ctx.source(key))
            if hit is not None:
                return hit
        return None
    if isinstance(shape, ast.DictComp):
        return _hit(ctx, call, shape.key, ctx.source(shape.key))
    pairs = _dict_of_pairs(shape)
    if pairs is not None:  # ``dict((k, v) for k, v in request.GET.items())``: judged as a comprehension
        return _hit(ctx, call, pairs.elt.elts[0], ctx.source(pairs.elt.elts[0]))  # type: ignore[attr-defined]
    if isinstance(shape, ast.Name) and depth < 3 and shape is operand:
        bound = _single_binding(shape, ctx)
        if bound is not None:
            # (the keys are judged on the bound value; the taint where the mapping is used)
            if isinstance(bound, (ast.Dict, ast.DictComp)) or _dict_of_pairs(bound) is not None:
                return _chosen_names(bound, bound, ctx, call, depth + 1)
            return _hit(ctx, call, operand, ctx.source(operand)) if _client_mapping(bound, ctx) else None
        return None
    return _hit(ctx, call, operand, ctx.source(operand)) if _client_mapping(shape, ctx) else None


def _client_mapping(expr: ast.expr, ctx: RuleContext, depth: int = 0) -> bool:
    """Whether ``expr`` is the request's data as a mapping (keys included), or a copy of it."""
    if depth > 4:
        return False
    if isinstance(expr, ast.Await):
        return _client_mapping(expr.value, ctx, depth + 1)
    if isinstance(expr, ast.Name):
        bound = _single_binding(expr, ctx)
        return bound is not None and _client_mapping(bound, ctx, depth + 1)
    if isinstance(expr, ast.Attribute):
        return expr.attr in _CLIENT_MAPPINGS
    if isinstance(expr, ast.Subscript):  # ``json.loads(request.body)["filters"]``
        return _client_mapping(expr.value, ctx, depth + 1)
    if isinstance(expr, ast.Call):
        func = expr.func
        if ctx.call_name(expr) in _JSON_CALLS:
            return True  # (only a tainted document is reported: the keys of the client's JSON)
        if isinstance(func, ast.Attribute) and not expr.args and not expr.keywords:
            if func.attr in _MAPPING_COPIES:
                return _client_mapping(func.value, ctx, depth + 1)
            return func.attr in _CLIENT_JSON_METHODS
        if isinstance(func, ast.Name) and func.id == "dict" and len(expr.args) == 1 and not expr.keywords:
            copied = expr.args[0]
            if (isinstance(copied, ast.Call) and isinstance(copied.func, ast.Attribute)
                    and copied.func.attr in _PAIR_VIEWS and not copied.args and not copied.keywords):
                copied = copied.func.value  # ``dict(request.GET.items())``: the same keys
            return _client_mapping(copied, ctx, depth + 1)
    return False


def _dict_of_pairs(expr: ast.expr) -> ast.GeneratorExp | None:
    """The generator of ``dict((key, value) for ...)``, a dict comprehension spelled as a call."""
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict"
            and len(expr.args) == 1 and not expr.keywords and isinstance(expr.args[0], ast.GeneratorExp)
            and isinstance(expr.args[0].elt, ast.Tuple) and len(expr.args[0].elt.elts) == 2):
        return expr.args[0]
    return None


def _single_binding(name: ast.Name, ctx: RuleContext) -> ast.expr | None:
    """The value ``name`` is bound to, when its scope binds it once (``lookups = request.GET.dict()``)."""
    bindings = ctx.facts.scopes.bindings_of(name.id, ctx.scope_chain)
    if bindings and len(bindings) == 1 and isinstance(bindings[0], ast.expr):
        return bindings[0]
    return None


def _hit(ctx: RuleContext, call: ast.Call, names: ast.expr, code: str) -> Hit | None:
    taint = ctx.taint(names)
    if taint is None or taint.confidence < MEDIUM:
        # (an unknown mapping is everywhere in ORM code; a library function's parameter naming a
        # field, ``in_bulk(ids, field_name)``, is its API, not the client's choice: see
        # ``min_source_confidence``, which also holds for flows through helpers)
        return None
    called, code = (text.replace("{", "{{").replace("}", "}}") for text in (ctx.source(call.func), code))
    return dynamic_value_hit(
        ctx, call, names,
        tainted=f"`{called}` is given lookup names (`{code}`) from {{source}}: the client filters on any field of any related model.",
        dynamic="",
        sink_note="used as lookup names",
    )
