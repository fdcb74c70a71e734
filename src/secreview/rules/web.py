"""Web responses: reflected XSS in response bodies, open redirects, header injection, trust
boundary violations (untrusted data stored in the session) and cookies without security flags."""
from __future__ import annotations

import ast

from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import RuleContext
from secreview.rules.templates import MARK_SAFE_CALLS, MARKUP_CALLS

HTML_RESPONSES = (
    "flask.make_response", "flask.Response", "werkzeug.wrappers.Response", "django.http.HttpResponse",
    "django.http.HttpResponseBadRequest", "django.http.HttpResponseNotFound", "django.http.response.HttpResponse",
    "starlette.responses.HTMLResponse", "fastapi.responses.HTMLResponse",
)


def _tainted_only(hit):
    return hit if hit is not None and hit.trace else None


@rule(
    id="reflected-xss",
    title="Cross-site scripting (reflected)",
    cwe=79,
    severity=HIGH,
    confidence=MEDIUM,
    calls=HTML_RESPONSES,
    nodes=[ast.Return],
    description="""An HTML response body contains data from the request without HTML escaping.
        A link with script in the parameter runs that script in the victim's browser, in the
        site's origin (session theft, actions on the user's behalf).""",
    solution="""Render through a template with autoescaping (render_template / Django templates),
        or escape the value with markupsafe.escape() / html.escape() before inserting it; return
        JSON with jsonify/JsonResponse for data.""",
    example="""
        @app.route("/hello")
        def hello():
            return "<h1>Hello " + request.args["name"] + "</h1>"
    """,
    fixed="""
        @app.route("/hello")
        def hello():
            return render_template("hello.html", name=request.args["name"])
    """,
)
def check_xss(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Return):
        function = ctx.function
        if node.value is None or function is None or not _is_view(function, ctx):
            return None
        value = node.value
        if isinstance(value, (ast.Tuple,)) and value.elts:
            value = value.elts[0]
        if isinstance(value, _JSON_BODIES):
            return None  # Flask serializes dicts and lists to JSON
        if isinstance(value, ast.Call) and _builds_response(value, ctx):
            return None  # responses built by calls are checked at the call
        if _returns_json_by_default(function, ctx):
            return None
        target = node
    else:
        value = ctx.argument(node, 0, "content") or ctx.argument(node, 0, "response")
        target = node
        if isinstance(value, ast.Call) and ctx.call_name(value) in (*MARK_SAFE_CALLS, *MARKUP_CALLS):
            return None  # HTML marked safe: reported once, by the mark-safe/Markup rules, at that call
        mimetype = ctx.literal(ctx.keyword(node, "mimetype") or ctx.keyword(node, "content_type") or ctx.keyword(node, "media_type"), None)
        if isinstance(mimetype, str) and "html" not in mimetype:
            return None
    return _tainted_only(dynamic_value_hit(
        ctx, target, value,
        tainted="The HTML response includes {source} without escaping: a crafted link runs script in the victim's browser.",
        dynamic="The HTML response includes a non-constant value.",
        sink_note="written into the HTML response",
    ))


_JSON_BODIES = (ast.Dict, ast.List, ast.DictComp, ast.ListComp)
_RESPONSE_BUILDERS = frozenset({
    "jsonify", "render_template", "render", "redirect", "make_response", "send_file", "send_from_directory",
    "abort", "url_for", "stream_with_context", "render_to_response", "JSONResponse", "JsonResponse",
})


def _builds_response(call: ast.Call, ctx: RuleContext) -> bool:
    """A call that makes the response itself (checked at that call, or safe by construction),
    as opposed to one that makes the HTML body (``"".join(parts)``, ``PAGE.format(x)``)."""
    name = ctx.call_name(call) or ""
    last = name.rsplit(".", 1)[-1] if name else getattr(call.func, "attr", "")
    return name in HTML_RESPONSES or last in _RESPONSE_BUILDERS or last.endswith("Response")


def _returns_json_by_default(function: ast.AST, ctx: RuleContext) -> bool:
    """FastAPI routes serialize what they return to JSON unless the route says HTMLResponse."""
    if not ctx.facts.imports.imports_module("fastapi"):
        return False
    for decorator in getattr(function, "decorator_list", []):
        if isinstance(decorator, ast.Call):
            response_class = ctx.keyword(decorator, "response_class")
            if response_class is not None and "HTML" in ctx.source(response_class):
                return False
    return True


def _is_view(function: ast.AST, ctx: RuleContext) -> bool:
    for decorator in getattr(function, "decorator_list", []):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ("route", "get", "post", "put", "patch", "delete"):
            return True
    return False


@rule(
    id="open-redirect",
    title="Open redirect",
    cwe=601,
    severity=MEDIUM,
    confidence=MEDIUM,
    calls=["flask.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect",
           "django.http.HttpResponsePermanentRedirect", "starlette.responses.RedirectResponse",
           "fastapi.responses.RedirectResponse"],
    description="""The redirect target comes from the request. Attackers send links on your
        domain that bounce victims to a phishing site, and can leak tokens in the URL.""",
    solution="""Redirect only to internal routes (url_for / reverse), or check the target with
        django.utils.http.url_has_allowed_host_and_scheme / an allow-list of hosts; reject
        absolute and scheme-relative (//host) URLs.""",
    example="""
        return redirect(request.args["next"])
    """,
    fixed="""
        target = request.args.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):
            target = url_for("index")
        return redirect(target)
    """,
)
def check_redirect(call: ast.Call, ctx: RuleContext):
    return _tainted_only(dynamic_value_hit(
        ctx, call, ctx.argument(call, 0, "location") or ctx.argument(call, 0, "to") or ctx.argument(call, 0, "url") or ctx.argument(call, 0, "redirect_to"),
        tainted="The redirect target comes from {source}: a link on this site can send users to any other site.",
        dynamic="The redirect target is not a constant.",
        sink_note="used as the redirect target",
    ))


@rule(
    id="header-injection",
    title="HTTP response header injection",
    cwe=113,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=["headers[]"],  # (response.headers[name] = value)
    methods=["set_header", "add_header"],
    description="""A response header value comes from the request. CR/LF characters in it split
        the response: injected headers (cookies, redirects) or a forged body.""",
    solution="""Reject or strip CR and LF (value.replace("\\r", "").replace("\\n", "")), or
        better, validate the value against what the header may contain.""",
    example="""
        response.headers["X-Name"] = request.args["name"]
    """,
    fixed="""
        name = request.args["name"]
        if not name.isalnum():
            abort(400)
        response.headers["X-Name"] = name
    """,
)
def check_header(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) and target.value.attr == "headers":
                return _tainted_only(dynamic_value_hit(
                    ctx, node, node.value,
                    tainted="A response header is set from {source}; CR/LF in it injects headers or splits the response.",
                    dynamic="A response header is set from a non-constant value.", sink_note="written into a response header",
                ))
        return None
    value = ctx.argument(node, 1, "value")
    return _tainted_only(dynamic_value_hit(
        ctx, node, value,
        tainted="A response header is set from {source}; CR/LF in it injects headers or splits the response.",
        dynamic="A response header is set from a non-constant value.", sink_note="written into a response header",
    ))


@rule(
    id="trust-boundary-violation",
    title="Trust boundary violation",
    cwe=501,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    methods=["__setitem__"],
    description="""Data from the request is stored in the server-side session (or flask.g) that
        the rest of the application treats as trusted. Later code reads it back as if it had been
        validated.""",
    solution="""Validate the value (type, format, allow-list) before storing it in the session,
        and store the validated form.""",
    example="""
        session["role"] = request.form["role"]
    """,
    fixed="""
        role = request.form["role"]
        if role not in ALLOWED_ROLES:
            abort(400)
        session["role"] = role
    """,
)
def check_trust_boundary(node: ast.AST, ctx: RuleContext):
    if not isinstance(node, ast.Assign):
        return None
    for target in node.targets:
        store = None
        # (the cheap test first: a store has a name ending in "session" or "g")
        if isinstance(target, ast.Subscript) and ctx.may_resolve_to(target.value, ("session", "g")):
            store = ctx.qualname(target.value)
            if store is None and isinstance(target.value, ast.Attribute) and target.value.attr == "session":
                store = "request.session"
        elif isinstance(target, ast.Attribute) and ctx.may_resolve_to(target.value, ("g",)) \
                and ctx.qualname(target.value) == "flask.g":
            store = "flask.g"
        if store in ("flask.session", "request.session", "flask.g") or (store or "").endswith(".session"):
            return _tainted_only(dynamic_value_hit(
                ctx, node, node.value,
                tainted="Untrusted data ({source}) is stored in the session unvalidated; code that reads the session trusts it.",
                dynamic="A non-constant value is stored in the session.", sink_note="stored in the trusted session",
            ))
    return None


@rule(
    id="insecure-cookie",
    title="Cookie without Secure / HttpOnly flags",
    cwe=614,
    severity=MEDIUM,
    confidence=HIGH,
    methods=["set_cookie"],
    description="""A cookie is set without the Secure flag (it is sent over plain HTTP, where it
        can be read on the network) or without HttpOnly (script injected into the page can read
        it).""",
    solution="""Pass secure=True, httponly=True and samesite="Lax" (or "Strict") to set_cookie.""",
    example="""
        response.set_cookie("session_id", token)
    """,
    fixed="""
        response.set_cookie("session_id", token, secure=True, httponly=True, samesite="Lax")
    """,
)
def check_cookie(call: ast.Call, ctx: RuleContext):
    if any(k.arg is None for k in call.keywords):
        return None  # **options: flags unknown
    receiver = call.func.value  # type: ignore[union-attr]
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        return None  # a response class's own helpers forward their caller's flags
    if len(call.args) == 1 and not call.keywords:
        return None  # http.cookiejar's CookieJar.set_cookie(cookie): a client storing a Cookie object
    secure = ctx.keyword(call, "secure")
    httponly = ctx.keyword(call, "httponly")
    missing = []
    if secure is None or ctx.literal(secure, True) is False:
        missing.append("Secure")
    if httponly is None or ctx.literal(httponly, True) is False:
        missing.append("HttpOnly")
    if not missing:
        return None
    if missing == ["HttpOnly"]:
        return Hit(call, cwe=1004, severity=LOW,
                   message="The cookie is set without HttpOnly: script injected into the page can read it.")
    return Hit(call, message=f"The cookie is set without {' and '.join(missing)}: it can be read "
               + ("on the network over plain HTTP." if "Secure" in missing else "by script in the page."))
