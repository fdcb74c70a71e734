"""Predictable values used as secrets, found by following them: a number from ``random`` that
travels (through str(), hashing, formatting, helpers) into a cookie, the session, or a variable or
argument named as a secret. The name-based check at the random call itself is
``weak-random-for-security`` (rules/crypto.py); this one finds the uses that check cannot see."""
from __future__ import annotations

import ast
import re

from secreview.findings import TraceStep
from secreview.rules._security_use import is_security_name, reference_names
from secreview.rules.base import HIGH, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext


def _predictable_hit(ctx: RuleContext, node: ast.AST, value: ast.expr | None, where: str) -> Hit | None:
    if value is None or ctx.flow is None:
        return None
    found = ctx.flow.predictable_at(value)
    if found is None:
        return None
    line = getattr(node, "lineno", 0)
    trace = [step for step in found.trace if not (step.path == ctx.path and step.line == line)]
    if not trace:
        return None  # the random call is on this very line: weak-random-for-security judges it
    if any(_named_secret(step) for step in trace):
        return None  # reported where it was first stored under a secret's name

    trace.append(TraceStep(ctx.path, line, getattr(node, "col_offset", 0), ctx.parsed.source_line(line).strip(), f"used as {where}"))
    return Hit(node, trace=trace, message=f"{found.description.capitalize()} is used as {where}; "
               "whoever has seen a few outputs of the generator can compute it.")


@rule(
    id="predictable-secret",
    title="Predictable value used as a secret",
    cwe=330,
    severity=MEDIUM,
    confidence=HIGH,
    nodes=[ast.Assign],
    methods=["set_cookie", "set_signed_cookie"],
    description="""A value from a non-cryptographic generator (random, numpy.random, uuid1) ends up
        in a cookie, the session, or a variable or argument that holds a secret (token, password,
        session id, nonce...). These generators are predictable: from some outputs, or the seed,
        the next values follow, so the secret can be computed by an attacker.""",
    solution="""Draw secrets from the secrets module: secrets.token_urlsafe(32), secrets.token_hex(16),
        secrets.randbelow(n) — converting or hashing a random number does not make it
        unpredictable.""",
    example="""
        number = random.random()
        remember_me = hashlib.sha256(str(number).encode()).hexdigest()
        response.set_cookie("remember", remember_me)
    """,
    fixed="""
        response.set_cookie("remember", secrets.token_urlsafe(32), secure=True, httponly=True)
    """,
)
def check_predictable(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Call):
        return _predictable_hit(ctx, node, ctx.argument(node, 1, "value"), "a cookie value")
    for target in node.targets:  # type: ignore[union-attr]
        if isinstance(target, ast.Subscript) and ctx.may_resolve_to(target.value, ("session",)) \
                and _is_session(target.value, ctx):
            return _predictable_hit(ctx, node, node.value, "a session value")  # type: ignore[union-attr]
        names = (target.id,) if isinstance(target, ast.Name) else reference_names(target)  # (the usual target first)
        if any(is_security_name(name) for name in names):
            return _predictable_hit(ctx, node, node.value, f"the secret `{ctx.source(target)}`")  # type: ignore[union-attr]
    return None


_ASSIGNED_NAME = re.compile(r"^([A-Za-z_][\w.]*)\s*(?::[^=]*)?=(?!=)")


def _named_secret(step: TraceStep) -> bool:
    """Was the value already kept under a secret's name at this step (``token = ...``)? Then it
    is reported there: by weak-random-for-security at the random call, or by this rule."""
    match = _ASSIGNED_NAME.match(step.code)
    return bool(match) and is_security_name(match.group(1).rsplit(".", 1)[-1])


def _is_session(store: ast.expr, ctx: RuleContext) -> bool:
    name = ctx.qualname(store) or ""
    return name == "flask.session" or (isinstance(store, ast.Attribute) and store.attr == "session")
