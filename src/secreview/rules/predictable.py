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


# The generators weak-random-for-security judges where they are called (``random.*``), by the
# origin's description ("a predictable value from `random.random()`"); the others (uuid1,
# numpy.random) are reported here even when the call and the secret are on one line.
_JUDGED_AT_THE_CALL = "`random."


def _predictable_hit(ctx: RuleContext, node: ast.AST, value: ast.expr | None, where: str) -> Hit | None:
    if value is None or ctx.flow is None or _under_plain_keys(ctx, value):
        return None
    found = ctx.flow.predictable_at(value)
    if found is None:
        return None
    line = getattr(node, "lineno", 0)
    trace = [step for step in found.trace if not (step.path == ctx.path and step.line == line)]
    if not trace:
        if _JUDGED_AT_THE_CALL in found.description:
            return None  # the random call is on this very line: weak-random-for-security judges it
        trace = found.trace[:1]  # ``session_id = uuid.uuid1().hex``: no other rule sees it
    elif any(_named_secret(step) for step in trace):
        return None  # reported where it was first stored under a secret's name

    trace.append(TraceStep(ctx.path, line, getattr(node, "col_offset", 0), ctx.parsed.source_line(line).strip(), f"used as {where}"))
    return Hit(node, trace=trace, sources=found.sources, root=found.root, message=f"{found.description.capitalize()} is used as {where}; "
               "whoever has seen a few outputs of the generator can compute it.")


def _under_plain_keys(ctx: RuleContext, value: ast.expr) -> bool:
    """A record whose guessable values are all under keys that name something else
    (``kwargs["serial_number"] = hex(random.getrandbits(64))``, then ``return kwargs`` from
    ``create_certificate()``): its keys say what they hold, whatever the record is called. (A
    guessable value under a secret's key, ``{"token": ...}``, is still one.)"""
    held = ctx.flow.values.get(id(value))  # type: ignore[union-attr]
    keys = held.predictable_keys() if held is not None else None
    return bool(keys) and all(type(key) is str and not is_security_name(key) for key in keys)  # type: ignore[union-attr]


@rule(
    id="predictable-secret",
    title="Predictable value used as a secret",
    cwe=330,
    severity=MEDIUM,
    confidence=HIGH,
    nodes=[ast.Assign, ast.FunctionDef, ast.AsyncFunctionDef],
    methods=["set_cookie", "set_signed_cookie", "set_password"],
    description="""A value from a non-cryptographic generator (random, numpy.random, uuid1) ends up
        in a cookie, the session, a password set with set_password(), or a variable, argument or
        function result that holds a secret (token, password, session id, nonce...). These generators are predictable: from some outputs, or the seed,
        the next values follow, so the secret can be computed by an attacker. Also a secret
        (a name saying so) computed from the clock (time.time(), datetime.now()) and nothing an
        attacker cannot know -- constants, parameters, request data, hashed or formatted: the
        time is known to within seconds. A value of unknown origin or named as a secret in it
        (SECRET_KEY, os.urandom(...)) keeps it silent. A record (a dict, kwargs) is judged by its
        keys, not its name: the time or a random value kept under a key naming something else
        (start_time, serial_number) is no secret.""",
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
    cls = node.__class__  # (class tests: asked for every function and assignment)
    if cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
        return _returned_secret_hits(node, ctx) if is_security_name(node.name) else None  # type: ignore[attr-defined]
    if cls is ast.Call:
        if node.func.attr == "set_password":  # type: ignore[attr-defined]
            return _predictable_hit(ctx, node, ctx.argument(node, 0, "raw_password"), "a password")  # type: ignore[arg-type]
        return _predictable_hit(ctx, node, ctx.argument(node, 1, "value"), "a cookie value")  # type: ignore[arg-type]
    for target in node.targets:  # type: ignore[union-attr]
        if isinstance(target, ast.Subscript) and ctx.may_resolve_to(target.value, ("session",)) \
                and _is_session(target.value, ctx):
            return _predictable_hit(ctx, node, node.value, "a session value")  # type: ignore[union-attr]
        names = (target.id,) if isinstance(target, ast.Name) else reference_names(target)  # (the usual target first)
        if any(is_security_name(name) for name in names):
            where = f"the secret `{ctx.source(target)}`"
            return _predictable_hit(ctx, node, node.value, where) or _time_derived_hit(ctx, node, node.value, where)  # type: ignore[union-attr]
    return None


def _returned_secret_hits(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: RuleContext):
    """``def new_reset_token(email): return sha256(f"{email}{time.time()}"...)``: the function's
    name says what its result is. (Asked per function, not per return: few names are secrets.)"""
    where = f"the secret returned by `{function.name}()`"
    for node in _own_returns(function.body):
        value = node.value
        if value is None or isinstance(value, (ast.Tuple, ast.List, ast.Dict)):
            continue  # (several values: the function's name is no one's)
        if isinstance(value, ast.Name) and is_security_name(value.id):
            continue  # ``return token``: judged where the secret-named variable was assigned
        hit = _predictable_hit(ctx, node, value, where) or _time_derived_hit(ctx, node, value, where)
        if hit is not None:
            yield hit


def _own_returns(body: list[ast.stmt]):  # (in no order: each is reported on its own line)
    """The return statements of a function body, not of the functions and classes inside it."""
    pending = list(body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, ast.Return):
            yield statement
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            pending.extend(child for child in ast.iter_child_nodes(statement) if not isinstance(child, ast.expr))  # (also handlers, cases)


# A secret made of the clock and values an attacker may know (``reset_token =
# sha256(f"{user}{time.time()}".encode()).hexdigest()``): the time of the request is known to a
# second, so the secret is found by trying the few values around it. Judged on the expression
# alone: it must call one of these clocks, and everything else in it must be a constant, a
# function's parameter or request data (whatever the flow traced to a source: known to who sent
# it), or go through one of the deterministic calls below. Anything of unknown origin (another
# call's result, ``os.urandom(8)``, a module setting) or named as a secret (``SECRET_KEY``, a
# ``salt``) may be unguessable and makes it silent.
_CLOCK_CALLS = frozenset({
    "time.time", "time.time_ns", "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
    "datetime.date.today",
})
_DETERMINISTIC_CALLS = frozenset({
    "str", "repr", "int", "hex", "format", "bytes", "hashlib.md5", "hashlib.sha1", "hashlib.sha224", "hashlib.sha256",
    "hashlib.sha384", "hashlib.sha512", "hashlib.blake2b", "hashlib.blake2s", "hashlib.sha3_256", "hashlib.sha3_512",
    "base64.b64encode", "base64.urlsafe_b64encode", "base64.b32encode", "base64.b16encode",
})
_DETERMINISTIC_METHODS = frozenset({
    "encode", "decode", "hexdigest", "digest", "format", "strftime", "isoformat", "timestamp", "upper", "lower",
})


# A record built in place (``browsersteps_session = {"start_time": time.time()}``) is no value
# computed from the clock: it holds the time under a key of its own, a timestamp, whatever the
# record is called. (Returned several values are skipped likewise: _returned_secret_hits.)
_RECORDS = (ast.Dict, ast.List, ast.Tuple, ast.Set)


def _time_derived_hit(ctx: RuleContext, node: ast.Assign | ast.Return, value: ast.expr, where: str) -> Hit | None:
    if isinstance(value, _RECORDS):
        return None
    clock = _clock_call(value, ctx)
    if clock is None:
        return None
    return Hit(node, confidence=MEDIUM, message=(
        f"A value derived from the clock (`{ctx.source(clock)}`) and data an attacker may know is used as {where}; "
        "the time is known to within seconds, so the secret can be found by trying the values around it."))


def _clock_call(value: ast.expr, ctx: RuleContext) -> ast.Call | None:
    """The clock call in ``value`` when every other part of it is known (see above); else None."""
    flow = ctx.flow
    if flow is None:
        return None
    clock = None
    called = set()
    for part in ast.walk(value):
        if isinstance(part, ast.Call):
            name = ctx.call_name(part)
            if name in _CLOCK_CALLS:
                clock = clock or part
            elif not (name in _DETERMINISTIC_CALLS or (isinstance(part.func, ast.Attribute) and part.func.attr in _DETERMINISTIC_METHODS)):
                return None
            called.add(id(part.func))  # (the function's name is no value to judge)
            if isinstance(part.func, ast.Attribute) and (name in _CLOCK_CALLS or name in _DETERMINISTIC_CALLS):
                called.add(id(part.func.value))  # (nor its module: ``hashlib`` in ``hashlib.sha256``)
        elif isinstance(part, (ast.Name, ast.Attribute)) and isinstance(part.ctx, ast.Load) and id(part) not in called:
            if isinstance(part, ast.Attribute) and id(part.value) in called:
                continue  # (a module's function: ``hashlib.sha256``)
            if any(is_security_name(name) for name in reference_names(part)) or not _known_value(flow, part):
                return None
    return clock


def _known_value(flow, expr: ast.expr) -> bool:
    """A constant, or data traced to a source or a parameter (not a value of unknown origin)."""
    value = flow.values.get(id(expr))
    if value is None:
        return False
    whole = value.whole()
    return whole.__class__.__name__ == "Proven" or bool(whole.origins)


# ``name = ``, ``obj.name = ``, ``record["key"] = `` (the key names it), ``store[key] = `` (a key
# of no fixed name: the store names it, ``session[name] = ...``).
_ASSIGNED_NAME = re.compile(r"^([A-Za-z_][\w.]*)(?:\[(['\"])(\w+)\2\]|\[[\w.]+\])?\s*(?::[^=]*)?=(?!=)")


def _named_secret(step: TraceStep) -> bool:
    """Was the value already kept under a secret's name at this step (``token = ...``,
    ``kwargs["passphrase"] = ...``)? Then it is reported there: by weak-random-for-security at the
    random call, or by this rule."""
    match = _ASSIGNED_NAME.match(step.code)
    return bool(match) and is_security_name(match.group(3) or match.group(1).rsplit(".", 1)[-1])


def _is_session(store: ast.expr, ctx: RuleContext) -> bool:
    name = ctx.qualname(store) or ""
    return name == "flask.session" or (isinstance(store, ast.Attribute) and store.attr == "session")
