"""CORS that lets any origin make credentialed requests (CWE-942).

Browsers refuse ``Access-Control-Allow-Origin: *`` with credentials, so the CORS libraries answer
such a configuration by echoing the request's Origin back: Starlette/FastAPI's CORSMiddleware,
flask-cors and django-cors-headers all do. Every web site a logged-in user visits can then send
requests with the user's cookies and read the answers.
"""
from __future__ import annotations

import ast
import re

from secreview.rules.base import HIGH, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext
from secreview.rules.hardening import _in_production_settings, _module_level_assignment_to
from secreview.rules.web import WSGI_START_RESPONSE, header_name, wsgi_header

_STARLETTE_CORS = frozenset({"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"})
_MIDDLEWARE_WRAPPERS = frozenset({"starlette.middleware.Middleware", "fastapi.middleware.Middleware"})
_FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.extension.CORS", "flask_cors.cross_origin",
                         "flask_cors.decorator.cross_origin"})
# django-cors-headers: settings that allow every origin, and the one that sends credentials.
_DJANGO_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
_DJANGO_REGEXES = ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")
_DJANGO_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"
# An origin no configuration means to allow: a pattern that matches it matches every site.
_FOREIGN_ORIGINS = ("https://attacker.example", "http://evil.test:8080")

# CORS headers set by hand: on a response's headers (``response.headers[name] = value``, Werkzeug's
# ``headers.add/set(name, value)``), Django's ``response[name] = value``, Tornado's
# ``self.set_header(name, value)``, a WSGI ``start_response(status, [(name, value)])``.
_HEADER_OWNERS = ("headers[]", "response[]")
_HEADER_SETTERS = ("set_header", "add_header", "add", "set")
_ALLOW_ORIGIN = "access-control-allow-origin"
_ALLOW_CREDENTIALS = "access-control-allow-credentials"
_ECHO_MESSAGE = ("Access-Control-Allow-Origin is set from {source} together with Access-Control-Allow-Credentials: "
                 "true: any web site can send requests with the user's cookies and read the answers.")

_MESSAGE = ("{what} with credentials: any web site can send requests with the user's cookies and "
            "read the answers (the library echoes the request's Origin).")


@rule(
    id="cors-any-origin-with-credentials",
    title="CORS allows any origin with credentials",
    cwe=942,
    severity=HIGH,
    confidence=HIGH,
    calls=[*_STARLETTE_CORS, *_MIDDLEWARE_WRAPPERS, *_FLASK_CORS, WSGI_START_RESPONSE],
    methods=["add_middleware", *_HEADER_SETTERS],
    nodes=[ast.Assign],
    targets=[*_DJANGO_ALLOW_ALL, *_DJANGO_REGEXES, *_HEADER_OWNERS],
    description="""Cross-origin requests are allowed from every origin ("*", or a regular
        expression such as ".*") together with credentials. Browsers do not accept "*" with
        credentials, so Starlette/FastAPI's CORSMiddleware (allow_origins=["*"] or
        allow_origin_regex=".*" with allow_credentials=True), flask-cors (CORS(app,
        supports_credentials=True) whose origins are "*", their default) and django-cors-headers
        (CORS_ALLOW_ALL_ORIGINS = True with CORS_ALLOW_CREDENTIALS = True in a settings module not
        named for development) echo the request's Origin instead: any web site the user visits
        can call the API with the user's cookies and read the answers (account data, CSRF
        tokens). The same done by hand is reported too: a function that sets
        Access-Control-Allow-Origin to a value from the request (the Origin header echoed back,
        response.headers[...] = ..., Django's response[...], Tornado's set_header, Werkzeug's
        headers.add/set, a WSGI start_response) and Access-Control-Allow-Credentials to "true".
        A list of origins with credentials, an echoed Origin checked against an allow-list first,
        and any origin without credentials, are not reported.""",
    solution="""List the origins that may call the API with credentials
        (allow_origins=["https://app.example.com"], CORS_ALLOWED_ORIGINS = [...]); keep "*" only
        for public, cookie-less endpoints (without credentials).""",
    example="""
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        api = FastAPI()
        api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    """,
    fixed="""
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        api = FastAPI()
        api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    """,
)
def check_cors_any_origin(node: ast.AST, ctx: RuleContext):
    header = _header_set(node, ctx)
    if header is not None:
        return _echoed_origin(node, header[1], ctx) if header[0] == _ALLOW_ORIGIN else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _HEADER_SETTERS:
        return None  # (another header, or ``seen.add(x)``)
    if isinstance(node, ast.Assign):
        return _django_settings(node, ctx)
    call: ast.Call = node  # type: ignore[assignment]
    name = ctx.call_name(call) or ""
    if name in _FLASK_CORS:
        return _flask_cors(call, ctx)
    if name in _STARLETTE_CORS:
        return _starlette(call, ctx)
    if name in _MIDDLEWARE_WRAPPERS or (isinstance(call.func, ast.Attribute) and call.func.attr == "add_middleware"):
        middleware = ctx.argument(call, 0, "middleware_class") or ctx.argument(call, 0, "cls")
        if middleware is not None and ctx.qualname(middleware) in _STARLETTE_CORS:
            return _starlette(call, ctx)
    return None


def _starlette(call: ast.Call, ctx: RuleContext) -> Hit | None:
    if ctx.literal(ctx.keyword(call, "allow_credentials"), None) is not True:
        return None  # (False by default)
    origins = ctx.literal(ctx.keyword(call, "allow_origins"), None)
    if isinstance(origins, (list, tuple, set)) and "*" in origins:
        return Hit(call, message=_MESSAGE.format(what='allow_origins=["*"]'))
    pattern = ctx.literal(ctx.keyword(call, "allow_origin_regex"), None)
    if isinstance(pattern, str) and _matches_any_site(pattern, re.fullmatch):
        return Hit(call, message=_MESSAGE.format(what=f"allow_origin_regex={pattern!r} matches every origin"))
    return None


def _flask_cors(call: ast.Call, ctx: RuleContext) -> Hit | None:
    if any(k.arg is None for k in call.keywords):
        return None  # ``**options`` may set anything
    credentials = ctx.literal(ctx.keyword(call, "supports_credentials"), None) is True
    resources = ctx.keyword(call, "resources")
    if resources is not None:
        for options in _resource_options(ctx, resources):
            resource_credentials = ctx.literal(options.get("supports_credentials"), None)
            allowed = credentials if "supports_credentials" not in options else resource_credentials is True
            if allowed and _flask_origins_any(ctx, options.get("origins", ctx.keyword(call, "origins"))):
                return Hit(call, message=_MESSAGE.format(what="flask-cors allows every origin for a resource"))
        return None
    if credentials and _flask_origins_any(ctx, ctx.keyword(call, "origins")):
        return Hit(call, message=_MESSAGE.format(what="flask-cors allows every origin"))
    return None


def _resource_options(ctx: RuleContext, resources: ast.expr) -> list[dict[str, ast.expr]]:
    """The options of each resource of ``resources={r"/api/*": {"origins": "*"}}`` written as
    dict displays; a resource given as a plain pattern has the call's own options."""
    if isinstance(resources, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(resources.id, ctx.scope_chain)
        resources = bindings[0] if bindings and len(bindings) == 1 and bindings[0] is not None else resources
    if not isinstance(resources, ast.Dict):
        return [{}] if ctx.is_constant(resources) else []
    found = []
    for value in resources.values:
        if isinstance(value, ast.Dict):
            found.append({k.value: v for k, v in zip(value.keys, value.values)
                          if isinstance(k, ast.Constant) and isinstance(k.value, str)})
    return found


def _flask_origins_any(ctx: RuleContext, origins: ast.expr | None) -> bool:
    """flask-cors's origins: "*" when not given; a string or a list of strings, each "*", a
    regular expression (matched with re.match) or an exact origin."""
    if origins is None:
        return True
    value = ctx.literal(origins, None)
    values = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple, set)) else []
    return any(isinstance(v, str) and (v == "*" or _matches_any_site(v, re.match)) for v in values)


def _django_settings(node: ast.Assign, ctx: RuleContext) -> Hit | None:
    setting = _module_level_assignment_to(node, ctx, (*_DJANGO_ALLOW_ALL, *_DJANGO_REGEXES))
    if setting is None:
        return None
    value = ctx.literal(node.value, None)
    if setting in _DJANGO_ALLOW_ALL:
        if value is not True:
            return None
        what = f"{setting} = True"
    else:
        patterns = value if isinstance(value, (list, tuple)) else []
        if not any(isinstance(p, str) and _matches_any_site(p, re.match) for p in patterns):
            return None
        what = f"{setting} matches every origin"
    if not _credentials_allowed(ctx) or not _in_production_settings(ctx):
        return None
    return Hit(node, confidence=MEDIUM if setting in _DJANGO_REGEXES else HIGH,
               message=_MESSAGE.format(what=what))


def _credentials_allowed(ctx: RuleContext) -> bool:
    """The settings module sets CORS_ALLOW_CREDENTIALS = True (its only value there)."""
    bindings = ctx.facts.scopes.collector(ctx.parsed.tree).bindings.get(_DJANGO_CREDENTIALS)
    return bool(bindings) and all(b is not None and ctx.literal(b, None) is True for b in bindings)


_NESTED_QUANTIFIER = re.compile(r"\([^)]*[*+}][^)]*\)[*+{]")  # ``(a+)+``: matching could take exponential time


def _matches_any_site(pattern: str, match) -> bool:
    """Does ``pattern`` match origins of unrelated sites? (The reviewed code is hostile: long
    patterns and nested quantifiers are not tried.)"""
    if len(pattern) > 80 or _NESTED_QUANTIFIER.search(pattern):
        return False
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return all(match(compiled, origin) for origin in _FOREIGN_ORIGINS)


def _echoed_origin(node: ast.AST, value: ast.expr, ctx: RuleContext) -> Hit | None:
    """Access-Control-Allow-Origin set to ``value`` by ``node``: reported when request data
    reaches it (not proved safe by an allow-list check) and the same function allows credentials."""
    if ctx.is_constant(value) or not _allows_credentials(ctx) or _origin_checked(node, value, ctx):
        return None
    taint = ctx.taint(value)
    if taint is None:
        return None
    return Hit(node, message=_ECHO_MESSAGE.format(source=taint.description), confidence=taint.confidence,
               trace=taint.trace, sources=taint.sources, root=taint.root)


def _origin_checked(node: ast.AST, value: ast.expr, ctx: RuleContext) -> bool:
    """Whether the function tests the echoed value before the header is set: an ``if`` around it,
    or one before it that returns or raises, whose test calls something with the value or compares
    it (``origin.endswith(".example.com")``, ``is_allowed(origin)``, ``PATTERN.fullmatch(origin)``).
    An echoed origin is meant to be checked; how well is beyond this rule (the data flow already
    clears a membership test in a constant allow-list). A test of presence (``if origin:``,
    ``origin is not None``) is no check."""
    function = ctx.function
    if function is None:
        return False
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    text = ctx.source(value)
    for statement in ast.walk(function):
        if not isinstance(statement, ast.If) or not _tests_value(statement.test, names, text, ctx):
            continue
        if any(ancestor is statement for ancestor in ctx.ancestors):
            return True
        if statement.lineno < node.lineno and statement.body and isinstance(statement.body[-1], (ast.Return, ast.Raise)):  # type: ignore[attr-defined]
            return True
    return False


def _tests_value(test: ast.expr, names: set[str], text: str, ctx: RuleContext) -> bool:
    for part in ast.walk(test):
        if isinstance(part, ast.Call):
            operands = [*part.args, part.func.value] if isinstance(part.func, ast.Attribute) else list(part.args)
        elif isinstance(part, ast.Compare) and not all(isinstance(op, (ast.Is, ast.IsNot)) for op in part.ops):
            operands = [part.left, *part.comparators]
        else:
            continue
        if any((isinstance(o, ast.Name) and o.id in names) or ctx.source(o) == text for o in operands):
            return True
    return False


def _header_set(node: ast.AST, ctx: RuleContext) -> tuple[str, ast.expr] | None:
    """(lower-case name, value) of the response header ``node`` sets by hand, for a constant name."""
    if isinstance(node, ast.Assign):
        target = node.targets[0] if len(node.targets) == 1 else None
        if not isinstance(target, ast.Subscript):
            return None
        return _named(ctx, target.slice, node.value)
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _HEADER_SETTERS:
        if func.attr in ("add", "set") and not (isinstance(func.value, ast.Attribute) and func.value.attr == "headers"):
            return None  # (``seen.add(x)``: not a response's headers)
        value = ctx.argument(node, 1, "value") or ctx.argument(node, 1, "_value")
        return _named(ctx, ctx.argument(node, 0, "name") or ctx.argument(node, 0, "_key"), value)
    if not isinstance(func, ast.Name) or ctx.call_name(node) != WSGI_START_RESPONSE:
        return None
    value = wsgi_header(ctx, node, _ALLOW_ORIGIN)
    return (_ALLOW_ORIGIN, value) if value is not None else None


def _named(ctx: RuleContext, key: ast.expr | None, value: ast.expr | None) -> tuple[str, ast.expr] | None:
    name = header_name(ctx, key)
    return (name, value) if name is not None and value is not None else None


def _allows_credentials(ctx: RuleContext) -> bool:
    """The function (or the WSGI call's header list) sets Access-Control-Allow-Credentials to "true"."""
    function = ctx.function
    if function is None:
        return False
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.Call)):
            header = _credentials_header(node, ctx)
            if header is not None and str(ctx.literal(header, None)).lower() == "true":
                return True
    return False


def _credentials_header(node: ast.AST, ctx: RuleContext) -> ast.expr | None:
    """The value ``node`` gives Access-Control-Allow-Credentials, if it sets that header."""
    if isinstance(node, ast.Call) and ctx.call_name(node) == WSGI_START_RESPONSE:
        return wsgi_header(ctx, node, _ALLOW_CREDENTIALS)
    if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute) and node.func.attr in _HEADER_SETTERS):
        return None
    header = _header_set(node, ctx)
    return header[1] if header is not None and header[0] == _ALLOW_CREDENTIALS else None
