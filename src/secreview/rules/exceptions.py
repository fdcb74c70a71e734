"""Exceptions that are caught and dropped, and security checks that fail open because of it.

Two rules, one finding per handler:

- ``security-check-fails-open`` (CWE-636): the ``try`` body performs a security check
  (signature/token verification, MAC computation or comparison, authentication, permission check,
  decryption, TLS handshake, validation of submitted input or a credential) and the handler for a
  broad exception (bare, ``Exception``, ``BaseException``) or for the check's own failure
  (``InvalidSignature``, ``jwt.InvalidTokenError``, ``SSLError``...) returns success, sets a
  success flag, or does nothing/only logs so execution continues exactly as if the check had
  passed. A function that is itself a check (``verify_*``, ``authenticate*``, ``authorize*``,
  security ``check_*``/``is_valid*``) and returns True from a broad handler fails open whatever
  its try body calls.
  So does a check that refuses by raising inside its own try (``if not compare_digest(...):
  raise PermissionError``) when the handler catches that very exception and carries on. The
  guarded call decides what a check is, not names elsewhere: this program logging in to another
  service (``page.authenticate(proxy)``, ``smtp.login(...)``) checks nobody's credential, and
  ``validate_<x>`` of the program's own data (a chart against its dataset) is no security check.
  And the handler's path must reach what the check would have granted: when the try acts on the
  check's result itself (sets the user, installs the key), a failure skips that, unless a name
  the try binds is read after it while holding a value from before the try (the unverified
  default, or the still-encrypted input of ``data = decrypt(data)``).
- ``exception-swallowed`` (CWE-390, Bandit B110/B112): any other broad handler whose body is only
  ``pass``/``continue``/``...``. Low confidence (hidden by default): best-effort code ignores
  errors on purpose all the time; medium when what the ``try`` body guards handles
  authentication, keys, TLS, login sessions or permissions, where a hidden error is more likely a
  hidden security failure: a call (its function, receiver or arguments) or the test of an ``if``
  that refuses says so. Not attributes merely set, log calls, a database or HTTP-client session
  (``db_session.rollback()``, one a call makes: ``get_spark_session()``), nor the test of an
  ``if`` that only guards its own branch (``if user.is_admin: details = ...``: when the test
  raises, the branch is skipped, which fails closed).

Narrow handlers (``except KeyError: pass``, ``except ImportError: pass``) name the failure they
expect and stay silent; so do handlers that return False/None (or a tuple whose first element is
falsy: ``return False, False``), return a literal whose flags differ from what the function returns
on success (``return True, True`` where success returns ``True, False``), raise, or call anything
but a logger. A try body that only binds the checked result (``request.flash =
signer.unsign(cookie)``, or a name with a default other than True) leaves nothing unverified
behind when the check fails: a ``pass`` handler there is silent too. A ``continue`` after a failed check (trying the next key or certificate) and a ``pass``
whose ``try`` body returns/breaks on success are the correct "try each candidate" pattern, not
fail-open.
"""
from __future__ import annotations

import ast
import builtins
import re

from secreview.facts import instances
from secreview.findings import Level
from secreview.rules._credential_apis import PASSWORD_METHODS
from secreview.rules._naming import (
    SECURITY_LAST_WORDS, SECURITY_WORDS, dotted_name, in_test_code, last_name, looks_like_security_check, name_words,
)
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
SECURITY_EXCEPTIONS = frozenset({
    "InvalidSignature", "InvalidSignatureError", "BadSignature", "BadTimeSignature", "BadData",
    "SignatureExpired", "InvalidToken", "InvalidTokenError", "ExpiredSignatureError", "JWTError",
    "PyJWTError", "JWSError", "InvalidAudienceError", "InvalidIssuerError", "SSLError",
    "SSLCertVerificationError", "CertificateError", "PermissionDenied", "AuthenticationError",
    "AuthenticationFailed", "NotAuthenticated", "Unauthorized", "Forbidden", "VerificationError",
    "VerifyMismatchError", "InvalidHash", "SuspiciousOperation", "BadSignatureError",
})
# Calls whose failure (an exception) means "access must be refused". Lower-cased function names.
_STRONG_CHECK = re.compile(
    r"""^(verify|verify_\w+|\w+_verify|authenticate|authenticate_\w+|authori[sz]e|authori[sz]e_\w+|
    check_password|check_\w*(perm|perms|permission|permissions|auth|token|signature|sig|hmac|
    hostname|access|credentials|csrf|otp|totp|cert|certificate)|has_perms?|has_permissions?|
    decrypt|decrypt_\w+|unsign|match_hostname|do_handshake|wrap_socket|getpeercert|login|
    validate_(token|signature|certificate|cert|password|credentials|hmac|jwt|session|csrf|otp|
    api_?key|auth\w*)|is_valid_(token|signature|password|session|csrf))$""",
    re.VERBOSE,
)
# Validation of what a client submitted (a form, a model before it is saved, a request's input) or
# of a credential: failing open on it lets unvalidated input through. ``validate_<anything else>``
# (a chart configuration against its dataset, a format's compatibility) checks the program's own
# data. (_VALIDATED_WORDS, below, says which words of ``validate_<words>`` make it such a check.)
_WEAK_CHECK = re.compile(r"^(validate|full_clean|is_valid|validate_on_submit)$")
_SUBMITTED_WORDS = frozenset({"request", "input", "inputs", "payload", "form", "upload", "params", "submission"})
_STRONG_QUALIFIED_PREFIXES = ("jwt.", "jose.", "authlib.jose.")
# ``page.authenticate(proxy)``, ``smtp.login(user, password)``: this program logging in to another
# service (a browser page's proxy or site credentials, a mail or file server) checks nobody's
# credential; when it fails, nothing is granted, the program stays logged out. Known by the words
# of the receiver's name, or by the constructor of the receiver (smtplib, imaplib, ftplib).
_OUTBOUND_LOGINS = frozenset({"authenticate", "login"})
_CLIENT_WORDS = frozenset({"page", "tab", "browser", "webdriver", "smtp", "imap", "ftp", "sftp", "pop", "mailer", "mail"})
_CLIENT_CONSTRUCTORS = PASSWORD_METHODS["login"][0]
_CLIENT_MODULES = tuple(sorted({name.split(".")[0] for name in _CLIENT_CONSTRUCTORS}))
# Computing or comparing a MAC is a signature check whatever the function around it is called.
_MAC_CALLS = frozenset({
    "hmac.compare_digest", "secrets.compare_digest", "hmac.new", "hmac.HMAC", "hmac.digest",
    "cryptography.hazmat.primitives.hmac.HMAC",
})
# Functions that answer "may this pass?": returning True from a broad handler answers yes to any
# failure. The first ones are always about access; check_*/is_valid* only with a security word.
_ACCESS_FUNCTION = re.compile(r"^_*(verify|authenticate|authori[sz]e)(_\w*)?$")
_CHECK_FUNCTION = re.compile(r"^_*(check_\w+|is_valid\w*)$")
_CLEANUP_CALLS = frozenset({
    "close", "remove", "unlink", "rmdir", "rmtree", "kill", "terminate", "shutdown", "cleanup",
    "disconnect", "release", "stop", "join", "flush", "delete", "cancel", "removedirs", "wait",
    "quit", "logout", "unregister", "detach", "dispose",
})
# Besides authentication/authorization words: code handling keys, TLS, sessions and permissions.
SECURITY_CONTEXT_WORDS = frozenset({
    "ssl", "tls", "cert", "certificate", "crypt", "decrypt", "encrypt", "cipher", "session",
    "chmod", "chown", "setuid", "setgid", "seteuid", "setegid", "umask",
})
# Words that make a check_*/is_valid* function a security check (besides authentication words).
_CHECKED_WORDS = frozenset({
    "token", "sig", "hmac", "mac", "digest", "jwt", "otp", "totp", "cert", "certificate", "credentials",
    "creds", "session", "nonce", "apikey", "origin", "referer", "webhook", "request", "license",
})
_VALIDATED_WORDS = _SUBMITTED_WORDS | _CHECKED_WORDS | SECURITY_WORDS
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"})


def exception_names(handler: ast.ExceptHandler, ctx: RuleContext) -> list[str] | None:
    """Qualified names of the caught types; None for a bare ``except:``."""
    if handler.type is None:
        return None
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [ctx.qualname(t) or ctx.source(t) for t in types]


def is_broad(names: list[str] | None) -> bool:
    return names is None or any(name in BROAD for name in names)


def catches_security_failure(names: list[str] | None) -> bool:
    return names is not None and any(name.rsplit(".", 1)[-1] in SECURITY_EXCEPTIONS for name in names)


def security_check_in(body: list[ast.stmt], ctx: RuleContext) -> tuple[ast.Call, Level] | None:
    """The first security-check call in ``body`` and the severity of failing open on it."""
    weak = None
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call):
                continue
            strength = security_check_strength(node, ctx)
            if strength is HIGH:
                return node, HIGH
            if weak is None and strength is MEDIUM:
                weak = (node, MEDIUM)
    return weak


def security_check_strength(call: ast.Call, ctx: RuleContext) -> Level | None:
    """HIGH when ``call`` is a security check whose failure means "refuse" (verify*, authenticate*,
    a MAC computed or compared, jwt.decode...), MEDIUM for a generic validation (validate,
    is_valid), else None."""
    name = (last_name(call.func) or "").lower()
    if _STRONG_CHECK.match(name) or name == "compare_digest":
        return None if name in _OUTBOUND_LOGINS and _logs_this_program_in(call, ctx) else HIGH
    qualified = ctx.call_name(call) or ""
    if qualified in _MAC_CALLS or (qualified.startswith(_STRONG_QUALIFIED_PREFIXES) and name == "decode"):
        return HIGH
    if _WEAK_CHECK.match(name) or (name.startswith("validate_") and not _VALIDATED_WORDS.isdisjoint(name_words(name))):
        return MEDIUM
    return None


def _logs_this_program_in(call: ast.Call, ctx: RuleContext) -> bool:
    """``self.page.authenticate(self.proxy)``, ``smtp_conn.login(user, password)``, ``server.login``
    after ``server = smtplib.SMTP(host)``: a client of another service logs this program in."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None:
        return False
    name = last_name(receiver) or ""
    if not _CLIENT_WORDS.isdisjoint(name_words(name)):
        return True
    imports = ctx.facts.imports
    if not any(imports.imports_module(module) for module in _CLIENT_MODULES):
        return False
    made = instances.class_of(ctx.facts.scopes, receiver, ctx.scope_chain, lambda value: _constructed_client(value, ctx))
    return made is not None


def _constructed_client(value: ast.expr, ctx: RuleContext) -> str | None:
    if not isinstance(value, ast.Call):
        return None
    name = ctx.facts.imports.qualname(value.func)
    return name if name in _CLIENT_CONSTRUCTORS else None


def _body_statements(handler: ast.ExceptHandler) -> list[ast.stmt]:
    """The handler body without docstring-like string expressions."""
    return [s for s in handler.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str))]


def _is_log_statement(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and (last_name(statement.value.func) or "") in _LOG_METHODS)


def _is_nothing(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Pass) or (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and statement.value.value is Ellipsis
    )


def _grants(expr: ast.expr | None) -> bool:
    """A literal answer meaning "yes, it may pass": truthy, and for a tuple or list (the
    ``(allowed, detail)`` convention) a truthy first element: ``return False, False`` and
    ``return None, "bad token"`` deny."""
    if isinstance(expr, (ast.Tuple, ast.List)):
        return bool(expr.elts) and _truthy_literal(expr.elts[0])
    return _truthy_literal(expr)


_UNKNOWN = object()


def _literal_or_unknown(expr: ast.expr | None) -> object:
    if expr is None:
        return None
    try:
        return ast.literal_eval(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNKNOWN


def _answers_apart_from_success(answer: ast.expr | None, try_node: ast.Try, ctx: RuleContext) -> bool:
    """The handler's literal ``answer`` differs from the literal the function returns when the try
    body succeeds (a return in the try body or its else, or the return right after the try): the
    failure is told apart from success, so it is not answered "as if the check had passed".
    ``return True, True`` (visible, private) after a failed check of the anonymous user, where
    success returns ``True, False``."""
    mine = _literal_or_unknown(answer)
    if mine is _UNKNOWN:
        return False
    returns = [node for statement in (*try_node.body, *try_node.orelse) for node in ast.walk(statement)
               if isinstance(node, ast.Return)]
    if not returns:
        following = _statement_after(try_node, ctx)
        returns = [following] if isinstance(following, ast.Return) else []
    if not returns:
        return False
    success = [_literal_or_unknown(r.value) for r in returns]
    return all(value is not _UNKNOWN and _flags_differ(mine, value) for value in success)


def _flags_differ(failure: object, success: object) -> bool:
    """Two literal answers differ in what they grant: for tuples of one length, in a position that
    holds a flag (True/False/None) in either (``(True, "no permission service")`` against
    ``(True, "")`` grants the same); otherwise as values."""
    if isinstance(failure, tuple) and isinstance(success, tuple) and len(failure) == len(success):
        return any(a != b for a, b in zip(failure, success)
                   if isinstance(a, (bool, type(None))) or isinstance(b, (bool, type(None))))
    return failure != success


def _statement_after(statement: ast.stmt, ctx: RuleContext) -> ast.stmt | None:
    """The statement that follows ``statement`` (the handler's try) in its block, if any."""
    block_owner = ctx.ancestors[-3] if len(ctx.ancestors) >= 3 else None
    for field in ("body", "orelse", "finalbody"):
        block = getattr(block_owner, field, None)
        if isinstance(block, list) and statement in block:
            index = block.index(statement)
            return block[index + 1] if index + 1 < len(block) else None
    return None


def _only_binds_a_result(body: list[ast.stmt], ctx: RuleContext) -> bool:
    """The try body only binds what a call returns to an attribute or item
    (``request.flash = signer.unsign(cookie)``), or to a name given a default before the try
    (``messages = []``): when the call raises, nothing is bound, so nothing unverified is used
    afterwards. Not when that default is ``True`` (``ok = True`` then ``ok = verify(sig)``: the
    flag stays True), nor for a name without a default (``data`` is then used unbound)."""
    if len(body) != 1:
        return False
    statement = body[0]
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    else:
        return False
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call) or not isinstance(target, (ast.Name, ast.Attribute, ast.Subscript)):
        return False
    if isinstance(target, ast.Name):
        if ctx.function is None:
            return False
        defaults = [node for node in ast.walk(ctx.function) if isinstance(node, ast.Assign)
                    and node.lineno < statement.lineno and any(isinstance(t, ast.Name) and t.id == target.id for t in node.targets)]
        return bool(defaults) and not any(
            isinstance(node.value, ast.Constant) and node.value.value is True for node in defaults)
    return True


def _truthy_literal(expr: ast.expr | None) -> bool:
    if expr is None:
        return False
    try:
        return bool(ast.literal_eval(expr))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


def _success_exits(body: list[ast.stmt], caught: list[str] | None) -> bool:
    """The try body leaves on success (return/break/continue, or a raise the handler does not
    catch), so falling through the handler is distinguishable from success. A raise the handler
    catches (``caught``: its qualified type names, None for a bare except) is the failure path."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Return, ast.Break, ast.Continue)):
                return True
            if isinstance(node, ast.Raise) and not handler_catches(caught, raised_type(node)):
                return True
    return False


def raised_type(node: ast.Raise) -> str | None:
    """``PermissionError`` for ``raise PermissionError(...)``/``raise mod.PermissionError``; None
    for a bare ``raise`` or a raised value."""
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if isinstance(exc, ast.Attribute):
        return exc.attr
    return exc.id if isinstance(exc, ast.Name) else None


# Raised types an ``except Exception`` does not catch.
_NOT_EXCEPTIONS = frozenset({"BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseExceptionGroup"})


def handler_catches(caught: list[str] | None, raised: str | None) -> bool:
    """A handler for ``caught`` (None: bare except) catches an exception of type ``raised``: the
    same class, Exception/BaseException, or a builtin base of a builtin exception class."""
    if raised is None:
        return False  # a bare re-raise or a computed exception: unknown
    if caught is None:
        return True
    for name in caught:
        short = name.rsplit(".", 1)[-1]
        if short == raised or short == "BaseException" or (short == "Exception" and raised not in _NOT_EXCEPTIONS):
            return True
        base, subclass = getattr(builtins, short, None), getattr(builtins, raised, None)
        if isinstance(base, type) and isinstance(subclass, type) and issubclass(base, BaseException) \
                and issubclass(subclass, base):
            return True  # (our interpreter's builtin classes: OSError catches PermissionError)
    return False


def fail_open_behaviour(handler: ast.ExceptHandler, try_node: ast.Try, caught: list[str] | None,
                        ctx: RuleContext) -> str | None:
    """How the handler (catching ``caught``) fails open, or None when it does not."""
    body = _body_statements(handler)
    last = body[-1] if body else None
    if isinstance(last, ast.Return) and _grants(last.value) and all(
        _is_log_statement(s) or _is_nothing(s) for s in body[:-1]
    ):
        if _answers_apart_from_success(last.value, try_node, ctx):
            return None
        return f"returns `{ast.unparse(last.value)}` as if the check had passed"
    if body and all(_is_log_statement(s) or _is_nothing(s) or _sets_success_flag(s) for s in body):
        if any(_sets_success_flag(s) for s in body):
            return "sets a success flag"
        if try_node.orelse or _success_exits(try_node.body, caught):
            return None  # success is handled apart from the failure
        if _only_binds_a_result(try_node.body, ctx):
            return None  # ``x = signer.unsign(cookie)`` failed: x holds nothing unverified
        return _IGNORES if all(_is_nothing(s) for s in body) else _ONLY_LOGS
    return None


# What a handler that does nothing, or only logs, fails open by: execution goes on past the try.
_IGNORES = "ignores the failure and execution continues as if the check had passed"
_ONLY_LOGS = "only logs the failure and execution continues as if the check had passed"


def _sets_success_flag(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], (ast.Name, ast.Attribute)) and isinstance(statement.value, ast.Constant)
            and statement.value.value is True)


def _parent_try(ctx: RuleContext) -> ast.Try | None:
    parent = ctx.ancestors[-2] if len(ctx.ancestors) >= 2 else None
    return parent if isinstance(parent, (ast.Try, ast.TryStar)) else None


def security_fail_open(handler: ast.ExceptHandler, ctx: RuleContext) -> Hit | None:
    try_node = _parent_try(ctx)
    if try_node is None:
        return None
    names = exception_names(handler, ctx)
    security_type = catches_security_failure(names)
    if not (is_broad(names) or security_type):
        return None
    behaviour = fail_open_behaviour(handler, try_node, names, ctx)
    if behaviour is None:
        return None
    caught = "`except:`" if handler.type is None else f"`except {ctx.source(handler.type)}`"
    check = security_check_in(try_node.body, ctx)
    refusal = _caught_raise(try_node.body, names)
    if refusal is not None and (check is not None or raised_type(refusal) in _REFUSALS):
        # ``if not compare_digest(...): raise PermissionError`` inside the try: the handler catches
        # the refusal itself.
        severity = check[1] if check is not None else HIGH
        condition = _refusal_condition(try_node.body, refusal)
        when = f" (when `{_short(ctx.source(condition))}`)" if condition is not None else ""
        return Hit(
            handler, severity=severity, confidence=HIGH if security_type else MEDIUM,
            message=f"The refusal `raise {raised_type(refusal)}` on line {refusal.lineno}{when} is caught by its own "
                    f"{caught}, which {behaviour}: the security check fails open.",
        )
    if check is None:
        return _checking_function_fails_open(handler, ctx, caught, behaviour, security_type)
    call, severity = check
    if behaviour in (_IGNORES, _ONLY_LOGS) and _grant_stays_in_try(try_node, call, ctx):
        return None
    return Hit(
        handler, severity=severity, confidence=HIGH if security_type else MEDIUM,
        message=f"If `{ctx.source(call.func)}` (line {call.lineno}) fails, {caught} {behaviour}: "
                "the security check fails open.",
    )


def _grant_stays_in_try(try_node: ast.Try, call: ast.Call, ctx: RuleContext) -> bool:
    """The try body acts on what the check returned (``user_and_token = auth.authenticate(request)``
    then ``if user_and_token: request.user = ...``; ``key = decrypt(blob)`` then installing the
    key): what success grants happens inside the try, and a failure skips it, so the request goes on
    unauthenticated (to the other authentication methods) or without the key. Not when a name the
    try would have bound is read after it while it holds a value from before the try: the handler
    then hands on that unverified value (``load = decrypt(load)`` leaves ``load`` encrypted, or
    the attacker's plain text). A name with no value before the try cannot be read: the read
    raises, which fails closed."""
    bound = _names_bound_to(call, try_node.body)
    if not bound or not _read_after(bound, call, try_node.body):
        return False
    scope = ctx.function or (ctx.ancestors[0] if ctx.ancestors else None)
    if scope is None:
        return False
    stored = {node.id for statement in try_node.body for node in ast.walk(statement)
              if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    return not any(_read_after_try_with_a_prior_value(name, try_node, scope) for name in stored)


def _names_bound_to(call: ast.Call, body: list[ast.stmt]) -> set[str]:
    """The names an assignment in ``body`` binds the result of ``call`` (or of awaiting it) to."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = node.value.value if isinstance(node.value, ast.Await) else node.value
                if value is call:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}
    return set()


def _read_after(names: set[str], call: ast.Call, body: list[ast.stmt]) -> bool:
    """One of ``names`` is read in ``body`` after ``call``."""
    end = (call.end_lineno, call.end_col_offset)
    return any(isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load)
               and (node.lineno, node.col_offset) > end
               for statement in body for node in ast.walk(statement))


def _read_after_try_with_a_prior_value(name: str, try_node: ast.Try, scope: ast.AST) -> bool:
    """After the try, ``name`` is read before it is bound again, and it is a parameter of ``scope``
    or bound before the try to anything but a literal other than True (``user = None``, ``roles =
    []``: nobody, nothing): on failure the read gets the value from before the try."""
    start, end = (try_node.lineno, try_node.col_offset), (try_node.end_lineno, try_node.end_col_offset)
    nothing = {id(target) for node in ast.walk(scope) if isinstance(node, ast.Assign)
               and _grants_nothing(node.value) for target in node.targets}
    prior, first_after = False, None
    for node in ast.walk(scope):
        if isinstance(node, ast.arg) and node.arg == name:
            prior = True
        elif isinstance(node, ast.Name) and node.id == name:
            position = (node.lineno, node.col_offset)
            if position < start and isinstance(node.ctx, ast.Store) and id(node) not in nothing:
                prior = True
            elif position > end and (first_after is None or position < first_after[0]):
                first_after = (position, node)
    if not prior or first_after is None:
        return False
    _, node = first_after
    return isinstance(node.ctx, ast.Load) or _augmented_target(node, scope)


def _grants_nothing(value: ast.expr) -> bool:
    """A literal other than True: ``None``, ``False``, ``[]``, ``""``."""
    literal = _literal_or_unknown(value)
    return literal is not _UNKNOWN and literal is not True


def _augmented_target(name: ast.Name, scope: ast.AST) -> bool:
    """``name`` is the target of ``name += ...``: read before it is bound."""
    return any(isinstance(node, ast.AugAssign) and node.target is name for node in ast.walk(scope))


def _refusal_condition(body: list[ast.stmt], refusal: ast.Raise) -> ast.expr | None:
    """The test of the innermost ``if`` of ``body`` whose branch raises ``refusal``."""
    found = None
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.If) and any(refusal in ast.walk(s) for s in (*node.body, *node.orelse)):
                found = node.test  # (ast.walk goes outside in: the last one is the innermost)
    return found


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


# Exceptions that mean "access refused" when raised by the code itself.
_REFUSALS = SECURITY_EXCEPTIONS | {"PermissionError"}


def _caught_raise(body: list[ast.stmt], caught: list[str] | None) -> ast.Raise | None:
    """The first ``raise`` in the try ``body`` that its own handler (catching ``caught``) catches."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Raise) and handler_catches(caught, raised_type(node)):
                return node
    return None


def _checking_function_fails_open(handler: ast.ExceptHandler, ctx: RuleContext, caught: str, behaviour: str,
                                  security_type: bool) -> Hit | None:
    """``def verify_request(...)`` whose handler returns True: whatever the try body calls, any
    failure in it makes the function answer "valid"."""
    function = ctx.function
    last = _body_statements(handler)[-1]
    if function is None or not (isinstance(last, ast.Return) and _grants(last.value)):
        return None  # only an explicit "yes" answers for the function; doing nothing is judged above
    name = function.name.lower()
    if _ACCESS_FUNCTION.match(name):
        severity, confidence = HIGH, MEDIUM
    elif _CHECK_FUNCTION.match(name):
        about_security = looks_like_security_check(ast.Name(id=function.name), extra_words=_CHECKED_WORDS)
        severity, confidence = (HIGH, MEDIUM) if about_security else (MEDIUM, LOW)
    else:
        return None
    return Hit(
        handler, severity=severity, confidence=HIGH if security_type else confidence,
        message=f"`{function.name}()` answers whether something may pass, and when its check raises, "
                f"{caught} {behaviour}: the check fails open.",
    )


@rule(
    id="security-check-fails-open",
    title="Security check fails open on exception",
    cwe=636,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B110"],
    nodes=[ast.ExceptHandler],
    description="""A security check (signature or token verification, authentication, permission
        check, decryption, TLS handshake, validation) signals failure by raising, and the handler
        catches that exception and then returns success, sets a success flag, or does nothing so
        that execution continues as if the check had passed. A forged token, bad signature or
        missing permission is then accepted. Computing or comparing a MAC (hmac.new,
        compare_digest) counts as such a check, and so does any function named verify_*,
        authenticate*, authorize* (or check_*/is_valid* about tokens, signatures, permissions...)
        whose broad handler returns True. A refusal raised inside the try itself (`if not
        hmac.compare_digest(...): raise PermissionError`) that its own broad handler catches and
        only logs is the same defect: every forged signature is accepted. Not reported: a
        handler returning a denial (False, None, or a tuple led by one: `return False, False`) or
        a literal whose flags differ from the function's answer on success, and a `pass` after a
        try body that only binds the checked result (`request.flash = signer.unsign(cookie)`):
        on failure nothing unverified is bound. Nor a try body that acts on the checked result
        itself (sets the user, installs a decrypted key) when nothing it binds is read after the
        try with a value from before it: a failure skips the grant, and the request goes on
        unauthenticated (to the other authentication methods). This program logging in to
        another service (a browser page's `authenticate(proxy)`, an SMTP/IMAP/FTP `login`) and
        validating its own data (`validate_against_dataset`) are no security checks.""",
    solution="""Fail closed: let the exception propagate, or return False / deny access / re-raise
        in the handler; catch only the specific failure you expect and treat it as a refusal.""",
    example="""
        try:
            jwt.decode(token, key, algorithms=["HS256"])
        except Exception:
            pass
        return grant_access(user)
    """,
    fixed="""
        try:
            jwt.decode(token, key, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            raise PermissionDenied("invalid token")
        return grant_access(user)
    """,
)
def check_security_fail_open(handler: ast.ExceptHandler, ctx: RuleContext):
    return security_fail_open(handler, ctx)


@rule(
    id="exception-swallowed",
    title="Exception silently swallowed",
    cwe=390,
    severity=LOW,
    confidence=LOW,
    bandit=["B110", "B112"],
    nodes=[ast.ExceptHandler],
    description="""A bare `except:` or `except Exception:` (or BaseException) handler does nothing
        but `pass` or `continue`. Every error in the try body, including ones that signal an attack
        or a broken invariant (and, for a bare except, KeyboardInterrupt and SystemExit), vanishes
        without a trace, and the program continues in a state nobody checked. Low confidence
        unless a call of the try body (its name, receiver or arguments) or the test of an if that
        refuses deals with authentication, keys, TLS, a login session or permissions (a
        file-system probe, os.access(path, os.R_OK), is not a permission check of a user; an
        attribute cleared, a logged value, a client's or database session are not either, nor an
        if test that only guards its own branch: when it raises, the branch is skipped); narrow
        handlers (except KeyError: pass) are not reported.""",
    solution="""Catch the specific exception you expect (except FileNotFoundError:), and log or
        handle anything else; if ignoring is really intended, say so with
        contextlib.suppress(SpecificError).""",
    example="""
        try:
            apply_quota(user)
        except Exception:
            pass
    """,
    fixed="""
        try:
            apply_quota(user)
        except QuotaBackendUnavailable:
            LOG.warning("quota backend unavailable; request rejected")
            raise
    """,
)
def check_swallowed(handler: ast.ExceptHandler, ctx: RuleContext):
    names = exception_names(handler, ctx)
    if not is_broad(names):
        return None
    body = _body_statements(handler)
    if not body or not all(_is_nothing(s) or isinstance(s, ast.Continue) for s in body):
        return None
    if security_fail_open(handler, ctx) is not None:
        return None  # reported, more precisely, as security-check-fails-open
    try_node = _parent_try(ctx)
    action = "continue" if any(isinstance(s, ast.Continue) for s in body) else "pass"
    caught = "`except:`" if handler.type is None else f"`except {ctx.source(handler.type)}:`"
    try_body = try_node.body if try_node is not None else []
    if _is_cleanup(try_body):
        return Hit(handler, message=f"{caught} `{action}` ignores every failure of this clean-up code; catch the expected error instead.")
    if _security_related(try_body, ctx):
        return in_test_code(ctx, Hit(
            handler, confidence=MEDIUM,
            message=f"{caught} `{action}` hides every error of security-related code (authentication, keys, TLS, permissions)."))
    return Hit(handler, message=f"{caught} `{action}` hides every error raised in the try body.")


def _is_cleanup(body: list[ast.stmt]) -> bool:
    calls = [n for s in body for n in ast.walk(s) if isinstance(n, ast.Call)]
    return bool(calls) and all(isinstance(s, ast.Expr) for s in body) and all(
        (last_name(c.func) or "") in _CLEANUP_CALLS for c in calls
    )


# A database or HTTP-client session (``db_session.rollback()``, ``http_session.get(url)``) is not
# a login session: words of its name, and methods only such a session has (a login session is a
# mapping: get, pop, clear...).
_OTHER_SESSION_WORDS = frozenset({"db", "database", "sql", "orm", "alchemy", "sqlalchemy", "http", "client", "aiohttp", "requests"})
_CLIENT_SESSION_METHODS = frozenset({
    "rollback", "commit", "flush", "query", "add_all", "expunge", "expunge_all", "begin_nested", "scalars",
    "bulk_save_objects", "bulk_insert_mappings", "execute", "get_bind", "merge", "refresh", "close",
    "post", "put", "patch", "head", "options", "request", "mount", "send", "ws_connect",
})
# Words that make a call security-related: authentication and authorization words, and keys, TLS
# and permissions of files and processes.
_SECURITY_CALL_WORDS = SECURITY_WORDS | (SECURITY_CONTEXT_WORDS - {"session"})
# Functions that answer a question about access (``has_access``, ``is_owner``), by their first word.
_PREDICATE_WORDS = frozenset({"is", "has", "can", "may", "check", "require", "ensure", "verify"})


# Functions whose names hold a security word but that only probe the file system for this process
# (``os.access(cwd, os.R_OK)`` before a chdir): not access control of a user.
_FILE_PROBES = frozenset({"os.access", "posix.access"})


def _security_related(body: list[ast.stmt], ctx: RuleContext) -> bool:
    """What the try body guards handles authentication, keys, TLS, permissions, or a login
    session: one of its calls is a security check, or the names of a call (its function, receiver
    and arguments) or of the test of an ``if`` that refuses (``if not user.is_admin: abort(403)``)
    say so. Names elsewhere (an attribute cleared, ``inst._auth = ""``; the arguments of a log
    call) guard nothing."""
    guarded = _guarded(body, ctx)
    calls = [expr for expr in guarded if isinstance(expr, ast.Call)]
    if any(security_check_strength(call, ctx) is not None for call in calls):
        return True
    client_sessions = {dotted_name(call.func.value) for call in calls
                       if isinstance(call.func, ast.Attribute) and call.func.attr in _CLIENT_SESSION_METHODS}
    for expr in guarded:
        called = expr.func if isinstance(expr, ast.Call) else None
        for node in _names_in(expr):
            name = node.id if isinstance(node, ast.Name) else node.attr
            words = name_words(name)
            if not _SECURITY_CALL_WORDS.isdisjoint(words) or (node is called and _asks_about_access(words)):
                return True
            if "session" in words and _OTHER_SESSION_WORDS.isdisjoint(words) and node is not called \
                    and dotted_name(node) not in client_sessions:
                return True  # a login session (``session.pop("user_id")``), not one a call makes or a client's
    return False


def _guarded(body: list[ast.stmt], ctx: RuleContext) -> list[ast.expr]:
    """The calls of ``body`` whose failure the handler swallows, and the tests of the ``if``s that
    leave (refuse, return) when they hold. Not log calls, file-system probes (``os.access``), nor
    the test of an ``if`` that only guards its own branch (``if current_user.is_admin: details =
    ...``): when that test raises, the branch is skipped as if the answer were no, which fails
    closed."""
    guarded: list[ast.expr] = []
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and not node.orelse:
            if _leaves(node.body):
                guarded.append(node.test)
                pending.append(node.test)  # (and the calls in it)
            pending.extend(node.body)
            continue
        if isinstance(node, ast.Call):
            if (last_name(node.func) or "") in _LOG_METHODS or ctx.qualname(node.func) in _FILE_PROBES:
                continue
            guarded.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return guarded


def _leaves(body: list[ast.stmt]) -> bool:
    return any(isinstance(node, (ast.Return, ast.Raise, ast.Break, ast.Continue))
               for statement in body for node in ast.walk(statement))


def _names_in(expr: ast.expr):
    """The names and attributes of a call's function (``current_user.role_admin``: both) and
    arguments, or of an ``if`` test; not inside other calls (those are guarded on their own)."""
    pending: list[ast.AST] = [expr.func, *expr.args, *(k.value for k in expr.keywords)] \
        if isinstance(expr, ast.Call) else [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Name, ast.Attribute)):
            yield node
        if not isinstance(node, ast.Call):
            pending.extend(ast.iter_child_nodes(node))


def _asks_about_access(words: list[str]) -> bool:
    """``has_access``, ``is_owner``, ``can_edit``: a function answering whether someone may; not
    ``get_owner`` (whose owner it is)."""
    if len(words) < 2 or words[0] not in _PREDICATE_WORDS:
        return False
    return words[0] in ("can", "may") or words[-1] in SECURITY_LAST_WORDS
