"""JSON Web Tokens accepted without checking their signature (CWE-347).

PyJWT and python-jose decode a token and return its claims; with the signature check turned off
(``options={"verify_signature": False}``, PyJWT 1's ``verify=False``), with the "none" algorithm
allowed, or through python-jose's ``get_unverified_claims``, whoever sends the token writes its
claims (user id, roles, expiry). Reading the header before verifying (``kid`` to choose the key)
is how key rotation works and is not reported, nor is an unverified read in a function that also
verifies the same token.
"""
from __future__ import annotations

import ast

from secreview.rules._naming import is_test_code
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule, trace_to_sink
from secreview.rules.context import RuleContext

# Functions that decode and (unless told otherwise) verify: token first, key second.
_DECODE = frozenset({
    "jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete",
    "jwt.api_jws.decode", "jwt.api_jws.decode_complete", "jose.jwt.decode", "jose.jws.verify",
})
# python-jose (and PyJWT's get_unverified_header): read without any verification.
_UNVERIFIED_CLAIMS = frozenset({"jose.jwt.get_unverified_claims", "jose.jws.get_unverified_claims"})
_UNVERIFIED_HEADER = frozenset({
    "jwt.get_unverified_header", "jwt.api_jws.get_unverified_header", "jose.jwt.get_unverified_header",
    "jose.jwt.get_unverified_headers", "jose.jws.get_unverified_header", "jose.jws.get_unverified_headers",
})
# What a header or claims set read before verification is for: choosing the key (kid, x5t, jku),
# the algorithm family or the issuer whose keys verify it.
_KEY_CHOICE_FIELDS = frozenset({"kid", "alg", "typ", "x5t", "x5t#S256", "jku", "iss",
                                "header"})  # (the header part of PyJWT's decode_complete)
_SIGNATURE_OPTIONS = ("verify_signature", "verify")
# The reason given when verification is turned off (a read that may only prepare a verified decode).
_CHECK_OFF = "is told not to verify the signature"


@rule(
    id="jwt-signature-not-verified",
    title="JWT accepted without verifying its signature",
    cwe=347,
    severity=HIGH,  # (medium where the token does not visibly come from a request)
    confidence=HIGH,
    calls=[*_DECODE, *_UNVERIFIED_CLAIMS, *_UNVERIFIED_HEADER],
    groups_sinks_by_source=False,  # (each unverified decode is the defect, wherever the token comes from)
    description="""A JSON Web Token is decoded without checking its signature: PyJWT or
        python-jose jwt.decode() with options={"verify_signature": False} (PyJWT 1's verify=False),
        an algorithms list that allows "none" (an unsigned token then passes) or is taken from
        the token's own unverified header (algorithm confusion), or python-jose's
        get_unverified_claims()/get_unverified_header() whose result is used as such. Whoever sends
        the token then chooses its claims: another user's id, an admin role, an expiry in the far
        future. Severity is high when the token comes from the request (with the data-flow trace),
        medium otherwise. Not reported: reading the header's kid/alg (or the issuer) to choose the
        verification key, an unverified read in a function that also verifies the token, and
        tokens that are literals.""",
    solution="""Verify every token you act on: jwt.decode(token, key, algorithms=["RS256"]) with
        the key for that issuer and an explicit list of the algorithms you issue (never "none");
        read the unverified header only to pick the key (kid), then decode with verification.""",
    example="""
        import jwt
        def current_user(token):
            claims = jwt.decode(token, options={"verify_signature": False})
            return claims["sub"]
    """,
    fixed="""
        import jwt
        def current_user(token):
            claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])
            return claims["sub"]
    """,
)
def check_jwt_unverified(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    token = ctx.argument(call, 0, "token") or ctx.argument(call, 0, "jwt")
    if token is None or ctx.is_constant(token):
        return None
    if name in _DECODE:
        why = _unverified_decode(ctx, call)
        if why is not None and _CHECK_OFF in why and (_only_key_choice(ctx, call) or _verified_nearby(ctx, token)):
            return None  # reads the issuer (or kid) to choose the key, then verifies
        confidence = HIGH
    else:
        if _only_key_choice(ctx, call) or _verified_nearby(ctx, token):
            return None
        kind = "claims" if name in _UNVERIFIED_CLAIMS else "header"
        why = f"`{ctx.source(call.func)}` returns the token's {kind} without checking its signature"
        confidence = MEDIUM
    if why is None:
        return None
    if is_test_code(ctx):
        confidence = LOW
    taint = ctx.taint(token)
    if taint is not None and taint.confidence >= MEDIUM:
        return Hit(call, severity=HIGH, confidence=min(confidence, taint.confidence),
                   trace=trace_to_sink(ctx, call, taint.trace, "the token is decoded here"), sources=taint.sources,
                   message=f"{why}: the token comes from {taint.description}, so its sender chooses the claims.")
    return Hit(call, severity=MEDIUM, confidence=confidence, message=f"{why}: whoever made the token chooses its claims.")


def _unverified_decode(ctx: RuleContext, call: ast.Call) -> str | None:
    """Why this decode does not verify the signature, or None when it does."""
    options = _dict_items(ctx, ctx.keyword(call, "options"))
    for option in _SIGNATURE_OPTIONS:
        if option in options and _is_false(ctx, options[option]):
            return f'`{ctx.source(call.func)}` {_CHECK_OFF} ("{option}": False)'
    verify = ctx.keyword(call, "verify")  # PyJWT 1.x
    if verify is not None and _is_false(ctx, verify):
        return f"`{ctx.source(call.func)}` {_CHECK_OFF} (verify=False)"
    algorithms_expr = ctx.argument(call, 2, "algorithms")
    if algorithms_expr is not None and _from_unverified_header(ctx, algorithms_expr):
        return (f"`{ctx.source(call.func)}` takes the algorithm from the token's own header "
                "(algorithm confusion: an HMAC token signed with the public key, or \"none\")")
    algorithms = ctx.literal(algorithms_expr, None)
    if isinstance(algorithms, str):
        algorithms = [algorithms]
    if isinstance(algorithms, (list, tuple, set)) and any(
            isinstance(a, str) and a.lower() == "none" for a in algorithms):
        return f'`{ctx.source(call.func)}` accepts the "none" algorithm (unsigned tokens)'
    return None


def _from_unverified_header(ctx: RuleContext, expr: ast.expr, depth: int = 0) -> bool:
    """``algorithms=[header["alg"]]`` with ``header = jwt.get_unverified_header(token)`` (or the
    call written in place): the token chooses how it is verified."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and (ctx.qualname(node.func) or "") in _UNVERIFIED_HEADER:
            return True
        if isinstance(node, ast.Name) and depth < 3:
            bindings = ctx.facts.scopes.bindings_of(node.id, ctx.scope_chain) or []
            if any(b is not None and b is not node and _from_unverified_header(ctx, b, depth + 1) for b in bindings):
                return True
    return False


def _dict_items(ctx: RuleContext, value: ast.expr | None) -> dict[str, ast.expr]:
    """The constant keys of a dict display or ``dict(k=v)`` (or of a name bound once to one)."""
    if isinstance(value, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(value.id, ctx.scope_chain)
        value = bindings[0] if bindings and len(bindings) == 1 else None
    if isinstance(value, ast.Dict):
        return {k.value: v for k, v in zip(value.keys, value.values)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        return {k.arg: k.value for k in value.keywords if k.arg is not None}
    return {}


def _is_false(ctx: RuleContext, value: ast.expr) -> bool:
    literal = ctx.literal(value, None)
    return literal is False or (type(literal) is int and literal == 0)


def _only_key_choice(ctx: RuleContext, call: ast.Call) -> bool:
    """``get_unverified_header(token)["kid"]``, or ``header = ...`` whose every use reads one of
    the fields that choose the verification key."""
    ancestors = ctx.ancestors
    if len(ancestors) > 2 and _reads_key_field(call, ancestors[-2], ancestors[-3]):
        return True
    variable = ctx.assigned_once_to(call)
    if variable is None:
        return False
    scope = ctx.function or ctx.parsed.tree
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    uses = [node for node in ast.walk(scope) if isinstance(node, ast.Name) and node.id == variable
            and isinstance(node.ctx, ast.Load)]
    return bool(uses) and all(
        _reads_key_field(use, parents.get(id(use)), parents.get(id(parents.get(id(use)))))
        for use in uses)


def _reads_key_field(value: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None) -> bool:
    """``value["kid"]`` or ``value.get("kid")``."""
    if isinstance(parent, ast.Subscript) and parent.value is value:
        key = parent.slice
    elif (isinstance(parent, ast.Attribute) and parent.value is value and parent.attr == "get"
          and isinstance(grandparent, ast.Call) and grandparent.func is parent and grandparent.args):
        key = grandparent.args[0]
    else:
        return False
    return isinstance(key, ast.Constant) and key.value in _KEY_CHOICE_FIELDS


def _verified_nearby(ctx: RuleContext, token: ast.expr) -> bool:
    """The enclosing function also decodes the same token with verification (the unverified
    read only prepares it: choosing the key, the tenant, the audience)."""
    scope = ctx.function
    if scope is None or not isinstance(token, ast.Name):
        return False
    for node in ast.walk(scope):
        if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)
                and node.args[0].id == token.id and (ctx.qualname(node.func) or "") in _DECODE
                and _unverified_decode(ctx, node) is None):
            return True
    return False
