"""Keyword arguments passed through ``**mapping``: ``requests.get(url, **{"verify": False})``, or
``**REQUEST_KWARGS`` where ``REQUEST_KWARGS = {"verify": False, "timeout": 10}`` is a dict written
in the source (a module constant, mostly). Rules that judge a keyword (verify=, timeout=) read it
there too.

No guessing: a mapping counts only when it is a dict literal with constant string keys, a
``dict(key=value, ...)`` call, or a name bound once (in its scope) to one of those that the file
never changes in place (``NAME[key] = ...``, ``del NAME[key]``, ``NAME.update(...)``...).
"""
from __future__ import annotations

import ast

from secreview.rules.context import RuleContext

_CHANGING_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__", "__ior__"})


def unpacked_keywords(ctx: RuleContext, call: ast.Call) -> list[dict[str, ast.expr]] | None:
    """The keywords each ``**mapping`` of ``call`` passes (key -> value expression), in order;
    None when one of the mappings cannot be read from the source. [] without ``**``."""
    found: list[dict[str, ast.expr]] = []
    for keyword in call.keywords:
        if keyword.arg is None:
            items, holder = _written_dict(ctx, keyword.value)
            if items is None or (holder is not None and _changed_in_place(ctx, holder)):
                return None
            found.append(items)
    return found


def unpacked_keyword(ctx: RuleContext, call: ast.Call, name: str) -> ast.expr | None:
    """The value that a readable ``**mapping`` of ``call`` passes for keyword ``name``, else None.
    (The file is searched for changes of a named dict only when it has the key: most ``**``
    mappings never do.)"""
    for keyword in call.keywords:
        if keyword.arg is None:
            items, holder = _written_dict(ctx, keyword.value)
            if items is not None and name in items:
                return None if holder is not None and _changed_in_place(ctx, holder) else items[name]
    return None


def _written_dict(ctx: RuleContext, value: ast.expr, depth: int = 0) -> tuple[dict[str, ast.expr] | None, str | None]:
    """(the items of the dict ``value`` is, the name holding it or None), or (None, None)."""
    if isinstance(value, ast.Dict):
        items: dict[str, ast.expr] = {}
        for key, item in zip(value.keys, value.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None, None  # ``**other`` inside, or a computed key
            items[key.value] = item
        return items, None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" \
            and ctx.qualname(value.func) == "dict" and not value.args:
        if any(k.arg is None for k in value.keywords):
            return None, None
        return {k.arg: k.value for k in value.keywords if k.arg is not None}, None
    if isinstance(value, ast.Name) and depth == 0:
        bindings = ctx.facts.scopes.bindings_of(value.id, ctx.scope_chain)
        if not bindings or len(bindings) != 1 or bindings[0] is None:
            return None, None
        items, _ = _written_dict(ctx, bindings[0], depth + 1)
        return items, value.id
    return None, None


def _changed_in_place(ctx: RuleContext, name: str) -> bool:
    """Whether the file stores into, deletes from or updates the dict held by ``name`` anywhere
    (in any scope: a module constant is changed from functions without being rebound)."""
    cache: dict[str, bool] = ctx.__dict__.setdefault("_unpacked_changed", {})
    known = cache.get(name)
    if known is None:
        known = cache[name] = any(_changes(node, name) for node in ast.walk(ctx.facts.scopes.tree))
    return known


def _changes(node: ast.AST, name: str) -> bool:
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        return any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name for t in targets) \
            or (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CHANGING_METHODS:
        return isinstance(node.func.value, ast.Name) and node.func.value.id == name
    return False
