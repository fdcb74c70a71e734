"""Web responses: reflected XSS in response bodies, open redirects, header injection, trust
boundary violations (untrusted data stored in the session), cookies without security flags and
Django views exempted from CSRF protection."""
from __future__ import annotations

import ast
import re
import sys
from http import HTTPStatus

from secreview.dataflow.jinja_templates import JINJA_RENDER_METHODS, printed_unescaped
from secreview.dataflow.responses import (
    JSON_TEXT, NOT_KNOWN, RESPONSE, TEXT, TYPED, body_kind, builds_response, container_values, content_type_value,
    declaration, declaration_along, response_instance_test, tuple_body,
)
from secreview.facts import instances
from secreview.rules._jinja import unescaped_variables
from secreview.rules._naming import SECRET, credential_kind, in_test_code, last_name, name_words, reference_name
from secreview.rules._strings import compose, sequence_elements
from secreview.models.sanitizers import BACKSLASH_OPEN_NOTE
from secreview.models.sources import REFERER_HEADER, REQUEST_PARAMETER_NAMES
from secreview.models.responses import (  # noqa: F401 - (the tables of responses, also for other rules)
    ATTACHMENT_DISPOSITION, ATTACHMENT_HEADER_CALLS, DECLARED_TYPE_RESPONSES, HTML_RESPONSES, NOT_HTML_RESPONSES,
)
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import RuleContext
from secreview.rules.exceptions import security_check_strength
from secreview.rules.flows import outgoing_request_object
from secreview.rules.templates import MARK_SAFE_CALLS, MARKUP_CALLS

# Litestar's MediaType members (``media_type=MediaType.HTML``): the types they name.
_MEDIA_TYPE_MEMBERS = {"HTML": "text/html", "TEXT": "text/plain", "JSON": "application/json",
                       "MESSAGEPACK": "application/x-msgpack", "CSS": "text/css", "XML": "application/xml"}
# aiohttp's redirections (exceptions, raised or returned): location= is the target.
AIOHTTP_REDIRECTS = tuple(
    f"aiohttp.{module}.{name}" for module in ("web", "web_exceptions")
    for name in ("HTTPMultipleChoices", "HTTPMovedPermanently", "HTTPFound", "HTTPSeeOther", "HTTPUseProxy",
                 "HTTPTemporaryRedirect", "HTTPPermanentRedirect"))
# Redirections of other frameworks: target first (also ``location=``, ``to=``, ``url=``, ``path=``,
# ``urls=``). Pyramid/WebOb's and Falcon's are exceptions, raised or returned; CherryPy's is raised.
_HTTP_REDIRECT_NAMES = ("HTTPMovedPermanently", "HTTPFound", "HTTPSeeOther", "HTTPTemporaryRedirect",
                        "HTTPPermanentRedirect")
FRAMEWORK_REDIRECTS = (
    "bottle.redirect", "sanic.redirect", "sanic.response.redirect", "quart.redirect", "quart.helpers.redirect",
    *(f"{module}.{name}" for module in ("pyramid.httpexceptions", "webob.exc")
      for name in ("HTTPMultipleChoices", "HTTPUseProxy", *_HTTP_REDIRECT_NAMES)),
    *(f"{module}.{name}" for module in ("falcon", "falcon.redirects") for name in _HTTP_REDIRECT_NAMES),
    "cherrypy.HTTPRedirect", "cherrypy._cperror.HTTPRedirect",
    "litestar.response.Redirect", "litestar.response.redirect.Redirect",
)
TORNADO_HANDLERS = frozenset({"tornado.web.RequestHandler"})
# Flask's rendering of a template given as text (autoescaped): the values of the variables a
# constant template prints unescaped (``{{ bio|safe }}``, ``{% autoescape false %}``) are HTML.
TEMPLATE_STRING_RENDERERS = ("flask.render_template_string", "flask.templating.render_template_string",
                             "quart.render_template_string")


def _tainted_only(hit):
    return hit if hit is not None and hit.trace else None


@rule(
    id="reflected-xss",
    title="Cross-site scripting (reflected)",
    cwe=79,
    severity=HIGH,
    confidence=MEDIUM,
    calls=[*HTML_RESPONSES, *TEMPLATE_STRING_RENDERERS],
    methods=["write", "finish", "response_class"],  # (Tornado's RequestHandler; Flask's ``current_app.response_class(...)``)
    nodes=[ast.Return],
    description="""An HTML response body contains data from the request without HTML escaping.
        A link with script in the parameter runs that script in the victim's browser, in the
        site's origin (session theft, actions on the user's behalf). Also a constant template
        rendered by flask.render_template_string() that prints a variable unescaped
        ({{ bio|safe }}, or inside {% autoescape false %}) given request data, and the text of a
        jinja2.Template / Environment().from_string() template made without autoescape (jinja2's
        default) rendering request data, returned by a view. Not reported:
        bodies Flask serializes to JSON (a dict or list, also a local only ever assigned one or
        assigned one last before the return, jsonify()), and responses whose
        constant Content-Type or mimetype is not HTML (text/plain, application/json), given
        when the response is made or set on it by the statements right after; a Starlette/FastAPI
        Response or an aiohttp web.Response is HTML only when its media_type / content_type (or
        a Content-Type header) says so (aiohttp's text= is text/plain); aiohttp's json_response()
        and redirections (web.HTTPFound...: see open-redirect). Other frameworks: the bodies of
        Sanic's html() and Pyramid/WebOb's Response() (text/html by default), CherryPy's
        serve_fileobj() unless its content_type= is another type (serve_file() and
        serve_download() send files from disk), a Litestar
        Response whose media_type is HTML, the str a Tornado RequestHandler writes with
        self.write()/self.finish() (a dict is written as JSON), what a Bottle route, a CherryPy
        exposed method, a Klein route or a Twisted Web resource's render_GET (render_<METHOD>)
        returns, and what a Twisted resource's method writes with request.write(); not a body the
        function declares of another type first, in the same block or an enclosing one
        (response.content_type = "text/plain", set_header("Content-Type", ...),
        request.setHeader(b"content-type", ...)), nor, in a Tornado handler that declares none,
        a body its class or a base (of any file) sends with another type in a hook run for every
        response: prepare(), set_default_headers(), an override of finish() setting it before
        super().finish(), or setting the type a method of the handler returns
        (self.get_content_type(): the constant it returns as the handler's class defines or
        inherits it) -- an API base class sending JSON (a finish() given the keyword that
        changes the type is judged by the value given, and a handler that flush()es first sends
        its headers before finish() runs), Sanic's text(),
        json(), empty(), raw() and file() responses, Bottle's static_file() and template(),
        Bottle's HTTPError() (its default error page escapes the body), what a FastAPI or Django
        Ninja route returns (serialized as JSON; not an HttpResponse it builds, nor a Ninja API
        given a renderer of its own), what a Flask-RESTful/RESTX Resource's method returns
        (its Api sends it as JSON, strings too, unless the file registers an HTML
        representation), a value only formatted as a number ("%d", a Bottle <n:int>
        route value). A view returning a helper's result (or a Tornado handler writing it) is
        judged by what the helper returns, as its summary says, in any file: a response object
        (Response(...), current_app.response_class(...), jsonify(), redirect(), a rendered
        template, a function annotated -> Response) or a dict or list is not an HTML body of the
        view's (a body the helper builds is checked where it is built); neither is a body whose
        Content-Type the helper declares first as another type. A function the review cannot
        see (a library's, a helper a registry hands out at run time: CKAN's h.redirect_to()) is
        judged by its name: redirect_to() and the *_response() makers (storage.as_response())
        make a response, any other (html_response(), h.render_title()) text. JSON text made by json.dumps()
        and returned as a str is still HTML to Flask (text/html: a browser opening the URL
        renders it) but meant for script: medium confidence at most. A Content-Type set to a
        value that is not a constant (self.set_header("Content-Type", self.content_type), by
        the handler or the helper), or response headers made elsewhere (a callback's, an upstream
        response's), leave the type unknown: low confidence. Both limits hold too for the flows
        reaching such a body in a helper from its callers (def streamed(chunks, mimetype): return
        Response(chunks, mimetype=mimetype)). make_response((body, status, headers)) is read as
        make_response(body, status, headers). A name returned in the branch where
        isinstance(name, Response) holds (a response class of Flask/Werkzeug, Django, Starlette;
        or a tuple of them with dict/list) is that object, not text, in a view or a helper. A returned tuple's body is its first element, or
        its second after a status code (return 201, result: status-first REST dispatchers); a
        helper's tuple whose body is a constant sends no request data as HTML (it is in the
        status or the headers).""",
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
        if value.__class__ is ast.Await:
            value = value.value  # type: ignore[attr-defined]  # (Quart, Sanic: ``return await file(path)``)
        if isinstance(value, (ast.Tuple,)) and value.elts:
            # ``(body, status)``, ``(body, headers)``, ``(body, status, headers)``; ``(status, body)``
            body = tuple_body(value.elts)
            if len(value.elts) > body + 1 and not _html_content_type(_content_type(value.elts[-1], ctx)):
                return None  # ``"<p>" + q, 200, {"Content-Type": "text/plain"}``: not HTML
            value = value.elts[body]
        if _json_body(value, ctx):
            return None  # Flask serializes dicts and lists to JSON
        if value.__class__ is ast.Name and _tested_response(node, value.id, ctx):
            return None  # ``if isinstance(rv, Response): return rv``: a response object, checked where made
        if isinstance(value, ast.Call) and _builds_response(value, ctx) and not _renders_unescaped(value, ctx):
            return None  # responses built by calls are checked at the call
        if _returns_json_by_default(function, ctx):
            return None
        kind = _returned_kind(value, ctx)
        if kind == RESPONSE:
            return None  # ``return status_of(uuid)``: a helper returning a dict, a Response object
        return _xss_hit(ctx, node, value, function, kind)
    elif node.func.__class__ is ast.Attribute and node.func.attr in _TORNADO_WRITES:  # type: ignore[attr-defined]
        return _check_tornado_write(node, ctx)
    elif ctx.call_name(node) in TEMPLATE_STRING_RENDERERS:
        return _check_template_string(node, ctx)
    else:
        value = ctx.argument(node, 0, "content") or ctx.argument(node, 0, "response")
        target = node
        positional = _make_response_arguments(node, ctx)
        if positional is not node.args:
            value = positional[0]  # ``make_response((body, status, headers))``
        if isinstance(value, ast.Call) and ctx.call_name(value) in (*MARK_SAFE_CALLS, *MARKUP_CALLS):
            return None  # HTML marked safe: reported once, by the mark-safe/Markup rules, at that call
        if value is not None and ctx.call_name(node) == "flask.make_response" and _json_body(value, ctx):
            return None  # ``make_response({"q": q})``: Flask serializes it to JSON (HttpResponse(dict) does not)
        if value is None:
            value = ctx.keyword(node, "text") or ctx.keyword(node, "body")  # (aiohttp's Response)
        if ctx.call_name(node) in DECLARED_TYPE_RESPONSES and not _declares_html(node, ctx):
            return None  # ``Response(content=x)``, ``web.Response(text=x)``: not HTML
        typed = ctx.keyword(node, "mimetype") or ctx.keyword(node, "content_type") or ctx.keyword(node, "media_type")
        mimetype = _content_type_of(typed, ctx) if typed is not None else None
        if not _html_content_type(mimetype):
            return None
        headers = ctx.keyword(node, "headers")
        if headers is None and ctx.call_name(node) == "flask.make_response" and len(positional) > 1:
            headers = positional[-1]  # ``make_response(body, status, headers)``, ``(body, headers)``
        declared = _headers_content_type(headers, ctx, len(positional) > 2 or ctx.keyword(node, "headers") is not None) \
            if headers is not None else None
        if not _html_content_type(declared):
            return None
        set_next, expression = _content_type_set_next(node, ctx)
        if not _html_content_type(set_next):
            return None  # ``resp = make_response(body)`` then ``resp.mimetype = "text/plain"``
        if mimetype is NOT_KNOWN or set_next is NOT_KNOWN:
            shown = ctx.source(typed if mimetype is NOT_KNOWN else expression)  # type: ignore[arg-type]
            return _xss_hit(ctx, target, value, None, TYPED, f"the Content-Type is set to `{shown}`, not known here")
        if declared is _HEADERS_FROM_ELSEWHERE:
            return _xss_hit(ctx, target, value, None, TYPED,
                            f"the response's headers (`{ctx.source(headers)}`) come from elsewhere and may set its Content-Type")  # type: ignore[arg-type]
    return _xss_hit(ctx, target, value, None)


def _make_response_arguments(call: ast.Call, ctx: RuleContext) -> list[ast.expr]:
    """What Flask's ``make_response`` makes the response of, in order (body, then status and/or
    headers): its arguments, or the elements of the view-return tuple it is given as its one
    argument (``make_response((body, 400, headers))``, as a view would return them). Any other
    call: its arguments as they are."""
    arguments = call.args
    if (len(arguments) == 1 and arguments[0].__class__ is ast.Tuple and arguments[0].elts  # type: ignore[attr-defined]
            and ctx.call_name(call) == "flask.make_response"):
        return arguments[0].elts  # type: ignore[attr-defined]
    return arguments


def _content_type_of(value: ast.expr, ctx: RuleContext):
    """The Content-Type ``value`` gives (see dataflow.responses.content_type_value), a local
    name read through what it is bound to."""
    member = ctx.qualname(value) if value.__class__ is ast.Attribute else None
    if member is not None and member.rsplit(".", 2)[-2:-1] == ["MediaType"]:  # (Litestar's ``MediaType.HTML``)
        return _MEDIA_TYPE_MEMBERS.get(member.rsplit(".", 1)[-1], NOT_KNOWN)
    facts, chain = ctx.facts, ctx.scope_chain
    return content_type_value(value, ctx.literal, lambda name: container_values(facts.scopes.binder(name, chain), name))


def _xss_hit(ctx: RuleContext, target: ast.AST, value: ast.expr | None, function, kind: str = TEXT,
             typed_by: str = "") -> Hit | None:
    """The finding for request data in the HTML ``value``: none when only numbers are inserted
    (``"%d items" % n``, a Bottle ``<n:int>`` value), or when ``function`` (returning or writing
    the body) first declares a Content-Type that is not HTML. ``kind`` (dataflow/responses.py):
    JSON text (``json.dumps``) is reported at medium confidence at most, a body whose declared
    Content-Type is not known here (TYPED: ``typed_by`` says what sets it) at low. (Asked only
    of tainted values: the composition is not worked out for the others.)"""
    if value is None:
        return None
    if function is not None:  # (before the data flow is asked: a body of another type is no sink at all)
        declared, expression = _declared_content_type_before(function, target, ctx)
        if not _html_content_type(declared):
            return None  # ``response.content_type = "text/plain"`` then ``return "you said " + q``
        if declared is NOT_KNOWN and kind in (TEXT, JSON_TEXT):
            kind, typed_by = TYPED, f"the Content-Type is set first to `{ctx.source(expression)}`, not known here"  # type: ignore[arg-type]
    hit = dynamic_value_hit(
        ctx, target, value,
        tainted="The HTML response includes {source} without escaping: a crafted link runs script in the victim's browser.",
        dynamic="The HTML response includes a non-constant value.",
        sink_note="written into the HTML response",
    )
    if hit is None:
        return None
    if kind == TYPED and not typed_by:
        typed_by = (f"`{ctx.source(value.func)}()` sets the Content-Type to a value not known here"  # type: ignore[attr-defined]
                    if value.__class__ is ast.Call else "the function that makes the body sets the Content-Type to a value not known here")
    _limit_flows(hit, kind, typed_by)
    if not hit.trace:  # (no request data here: only what the body's kind says of the callers' flows)
        hit.limits_only = True
        return hit if hit.flows_at_most is not None else None
    dynamic = compose(ctx, value).dynamic
    if all(_numeric_route_value(piece, function or ctx.function, ctx) for piece in dynamic):
        return None  # only numbers inserted: ``"<p>%d items</p>" % n`` (%d of a str raises TypeError)
    hit.solution = _xss_solution(ctx, target, value, dynamic)
    if kind == JSON_TEXT:
        hit.confidence = min(hit.confidence or MEDIUM, MEDIUM)
        hit.message = hit.message.replace("The HTML response includes ", (
            "The response is JSON text (json.dumps), which the framework sends as text/html, and includes "), 1).replace(
            "a crafted link runs script", "opened as a page, markup in it runs script", 1)
        hit.solution = ("Return the data as JSON (jsonify() or a dict in Flask, JsonResponse in Django), not as a "
                        "json.dumps() string: it is then sent as application/json, which browsers do not render as HTML.")
    elif kind == TYPED:
        hit.confidence = LOW
        hit.message = hit.message.replace(": a crafted link runs script", (
            f"; {typed_by}: if it is text/html, a crafted link runs script"), 1)
    return hit


def _limit_flows(hit: Hit, kind: str, typed_by: str) -> None:
    """The confidence a body of this ``kind`` allows the flows reaching it from the callers of its
    function (a helper given the request data: ``def streamed(data, mimetype): return
    Response(data, mimetype=mimetype)``), as for the data found here: medium at most for JSON
    text, low for a Content-Type not known here; with the reason after their message."""
    if kind == JSON_TEXT:
        hit.flows_at_most = MEDIUM
        hit.flows_caveat = ", JSON text (json.dumps), which the framework sends as text/html: opened as a page, markup in it runs script"
    elif kind == TYPED:
        hit.flows_at_most = LOW
        hit.flows_caveat = f"; {typed_by}: only if it is text/html does markup in it run script"


def _tested_response(statement: ast.stmt, name: str, ctx: RuleContext) -> bool:
    """Is ``statement`` in the branch of an ``if`` (of its function) whose test proves ``name`` a
    response object (``isinstance(name, Response)``, or the ``else`` of ``not isinstance(...)``)?"""
    chain = [*ctx.ancestors, statement]
    for position in range(len(chain) - 2, -1, -1):
        enclosing = chain[position]
        if enclosing.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            return False
        if enclosing.__class__ is ast.If:
            tested = response_instance_test(enclosing.test, ctx.qualname)  # type: ignore[attr-defined]
            if tested is not None and tested[0] == name:
                taken = any(child is chain[position + 1] for child in enclosing.body)  # type: ignore[attr-defined]
                if tested[1] is taken:
                    return True
    return False


def _returned_kind(value: ast.expr, ctx: RuleContext) -> str:
    """What a view's returned (or written) ``value`` is as a body (dataflow/responses.py): a
    helper's dict or Response object (RESPONSE), JSON text, a body of a type its helper declares
    (TYPED), or TEXT."""
    flow = ctx.flow
    facts = ctx.facts
    chain = ctx.scope_chain

    def call_kind(call: ast.Call) -> str:
        return flow.response_kind(call, chain) if flow is not None else TEXT

    def bound_values(name: str):
        return container_values(facts.scopes.binder(name, chain), name)

    return body_kind(value, ctx.qualname, call_kind, bound_values)


_HEADERS_FROM_ELSEWHERE = object()  # (_headers_content_type: headers made elsewhere, which may set the type)


def _headers_content_type(headers: ast.expr, ctx: RuleContext, surely_headers: bool = True):
    """The Content-Type response ``headers`` set (see _content_type): a display's, or that of the
    displays a local name is bound to; _HEADERS_FROM_ELSEWHERE for headers made elsewhere (a
    parameter, a callback's result, another response's ``headers.items()``) or filled item by item,
    which may set it (a proxy forwarding the upstream's type, an adapter passing its handler's).
    ``surely_headers`` False: the argument may be the status instead (``make_response(body, x)``),
    and only a display is read as headers."""
    if headers.__class__ is ast.Constant:
        return None  # (``None``, a status code)
    if headers.__class__ in (ast.Dict, ast.List, ast.Tuple):
        return _content_type(headers, ctx)
    if not surely_headers:
        return _NOT_KNOWN
    if headers.__class__ is ast.Name:
        binder = ctx.facts.scopes.binder(headers.id, ctx.scope_chain)  # type: ignore[attr-defined]
        values = binder.bindings.get(headers.id) if binder is not None and headers.id not in binder.escaped else None  # type: ignore[attr-defined]
        if values and all(v.__class__ in (ast.Dict, ast.List, ast.Tuple) and id(v) not in binder.contents for v in values):  # type: ignore[union-attr]
            found = [_content_type(v, ctx) for v in values]  # type: ignore[arg-type]
            return next((t for t in found if _html_content_type(t)), found[0])
    return _HEADERS_FROM_ELSEWHERE


# How each framework renders HTML with escaping, and sends data as JSON (the fix's second half).
_XSS_FRAMEWORK_FIXES = (
    ("fastapi", "or render a Jinja2Templates template (autoescaped for .html files); return a dict for data "
                "(FastAPI sends it as JSON)"),
    ("starlette", "or render a Jinja2Templates template (autoescaped for .html files); return a JSONResponse "
                  "for data"),
    ("flask", "or render a template with render_template() (autoescaped); return jsonify() for data"),
    ("django", "or render a template (autoescaped), or build the HTML with django.utils.html.format_html(), "
               "which escapes its arguments; return a JsonResponse for data"),
)
_XSS_GENERIC_FIX = "or render a template with autoescaping; return JSON for data"


def _xss_solution(ctx: RuleContext, target: ast.AST, value: ast.expr, dynamic: list[ast.AST]) -> str:
    """The fix in this code's terms: the body with each variable piece escaped, when the pieces
    are all written in the returned expression itself, then the framework's way of rendering."""
    sink = ctx.call_name(target) if target.__class__ is ast.Call else None
    framework = next((fix for module, fix in _XSS_FRAMEWORK_FIXES if sink is not None and sink.startswith(module + ".")),
                     None) or next((fix for module, fix in _XSS_FRAMEWORK_FIXES if ctx.facts.imports.imports_module(module)),
                                   _XSS_GENERIC_FIX)
    escaped = _escaped_body(ctx, value, dynamic)
    if escaped is None:
        return f"Escape every request value with html.escape() (or markupsafe.escape()) where it is inserted, {framework}."
    return (f"Escape each inserted value — `{escaped}` (html.escape also escapes quotes, for attribute values) — "
            f"{framework}.")


def _escaped_body(ctx: RuleContext, value: ast.expr, dynamic: list[ast.AST]) -> str | None:
    """``value``'s source with each of the ``dynamic`` pieces wrapped in html.escape(), as written
    (its quotes and spacing kept), or None when ``value`` spans several lines, or a piece is not
    part of it (built in an earlier statement), or there is none."""
    line = value.lineno
    if not dynamic or value.__class__ is ast.Name or getattr(value, "end_lineno", None) != line:
        return None
    inside = {id(node) for node in ast.walk(value)}
    if any(id(piece) not in inside for piece in dynamic):
        return None
    if any(node.__class__ is ast.Call and getattr(node.func, "attr", None) == "join" for node in ast.walk(value)):  # type: ignore[attr-defined]
        return None  # ``"".join(parts)``: each element is to be escaped, not the list
    raw = ctx.parsed.source_line(line).encode("utf-8")  # (AST columns are UTF-8 byte offsets)
    start, end = value.col_offset, value.end_col_offset
    text = raw[start:end]
    # Replaced from the last piece back, so that the offsets of the earlier ones still hold.
    for piece in sorted(dynamic, key=lambda node: node.col_offset, reverse=True):  # type: ignore[attr-defined]
        first, last = piece.col_offset - start, piece.end_col_offset - start  # type: ignore[attr-defined]
        text = text[:first] + b"html.escape(" + text[first:last] + b")" + text[last:]
    return text.decode("utf-8", "replace")


_TORNADO_WRITES = frozenset({"write", "finish"})


def _check_tornado_write(call: ast.Call, ctx: RuleContext):
    """``self.write(chunk)`` / ``self.finish(chunk)`` in a Tornado RequestHandler: a str is sent
    as text/html (the handler's default Content-Type), a dict as JSON. (``request.write(data)``
    in a Twisted Web resource: see _check_twisted_write.)"""
    receiver = call.func.value  # type: ignore[attr-defined]
    if receiver.__class__ is ast.Name and receiver.id != "self" and call.func.attr == "write":  # type: ignore[attr-defined]
        return _check_twisted_write(call, receiver, ctx)
    if receiver.__class__ is not ast.Name or receiver.id != "self" or not ctx.facts.imports.imports_module("tornado"):
        return None
    value = ctx.argument(call, 0, "chunk")
    if value is None or _json_body(value, ctx):
        return None  # (a dict is written as JSON)
    if value.__class__ is ast.Call and getattr(value.func, "attr", None) == "generate":  # type: ignore[attr-defined]
        return None  # a tornado template's output (autoescaped); a template source from the request is template-injection's
    function = ctx.function
    if function is None or not in_handler_class(ctx, TORNADO_HANDLERS):
        return None
    kind = _returned_kind(value, ctx)
    if kind == RESPONSE:
        return None  # ``self.write(self.serialize(data))``: a helper that declares JSON first
    if kind in (TEXT, JSON_TEXT) and _declared_content_type_before(function, call, ctx)[0] is None:
        hooked, expression = _hook_content_type(call, function, ctx)
        if not _html_content_type(hooked):
            return None  # an API base class's ``finish`` (or ``prepare``...) sends it as JSON
        if hooked is NOT_KNOWN:
            return _xss_hit(ctx, call, value, function, TYPED, f"the Content-Type is set to `{ctx.source(expression)}`, not known here")
    return _xss_hit(ctx, call, value, function, kind)


def _hook_content_type(call: ast.Call, function: ast.AST, ctx: RuleContext):
    """The Content-Type the handler's response hooks (dataflow/responses.py: an override of
    ``finish``, ``prepare``, ``set_default_headers``, its class's or inherited) set for a body the
    handler method writes with ``call`` and declares no type of: the last of them to run that
    sets one (None: none does); with the expression of ``call`` that chooses it, when ``finish``
    is given it (``self.finish(body, set_content_type=mimetype)``)."""
    if ctx.flow is None:
        return None, None
    for hook in ctx.flow.response_hooks(function):
        content_type = hook.sets_content_type or _asked_content_type(hook, function, ctx)
        if not content_type:
            continue
        if hook.qualname.endswith(".finish"):
            if _flushes(function):
                continue  # (the headers are sent at the first flush, before finish sets its type)
            given = ctx.keyword(call, hook.content_type_keyword) if hook.content_type_keyword and call.func.attr == "finish" else None  # type: ignore[attr-defined]
            if given is not None:
                return _content_type_of(given, ctx), given
        return content_type, None
    return None, None


def _asked_content_type(hook, function: ast.AST, ctx: RuleContext) -> str:
    """The type a hook takes from a method of the handler (``self.get_content_type()``) that
    returns a constant, as the class of the handler method ``function`` defines or inherits it
    (an API base class's override returning "application/json"); "" when not known."""
    if not hook.content_type_method:
        return ""
    asked = ctx.flow.method_of_class(function, hook.content_type_method)  # type: ignore[union-attr]
    return asked.returns_text if asked is not None else ""


def _flushes(function: ast.AST) -> bool:
    """``self.flush()`` in ``function``: the body so far (and the headers) are sent then."""
    return any(node.__class__ is ast.Call and getattr(node.func, "attr", None) == "flush"  # type: ignore[attr-defined]
               for node in ast.walk(function))


def _check_twisted_write(call: ast.Call, receiver: ast.Name, ctx: RuleContext):
    """``request.write(data)`` in a method of a Twisted Web resource, ``request`` being its
    parameter: the body, text/html unless a Content-Type is set first."""
    function = ctx.function
    flow = ctx.flow
    if function is None or flow is None or id(function) not in flow.twisted_resource_methods:
        return None
    if receiver.id not in REQUEST_PARAMETER_NAMES or not any(arg.arg == receiver.id for arg in function.args.args):
        return None
    value = ctx.argument(call, 0, "data")
    if value is None:
        return None
    kind = _returned_kind(value, ctx)
    if kind == RESPONSE:
        return None
    return _xss_hit(ctx, call, value, function, kind)


def in_handler_class(ctx: RuleContext, bases: frozenset[str]) -> bool:
    """The function being checked is a method of a class derived from one of ``bases`` (through
    classes of this file), or, in a file importing Tornado, from a class imported from elsewhere
    whose name ends in Handler (an application's own BaseHandler)."""
    ancestors = ctx.ancestors
    function = ctx.function
    position = next((index for index in range(len(ancestors) - 1, -1, -1) if ancestors[index] is function), 0)
    owner = ancestors[position - 1] if position else None
    return owner.__class__ is ast.ClassDef and _derives_from(owner, bases, ctx, 0)  # type: ignore[arg-type]


def _derives_from(cls: ast.ClassDef, bases: frozenset[str], ctx: RuleContext, depth: int) -> bool:
    for base in cls.bases:
        name = ctx.qualname(base)
        if name in bases:
            return True
        if depth < 5 and base.__class__ is ast.Name:
            local = next((s for s in ctx.parsed.tree.body if s.__class__ is ast.ClassDef and s.name == base.id), None)  # type: ignore[attr-defined]
            if local is not None:
                if _derives_from(local, bases, ctx, depth + 1):  # type: ignore[arg-type]
                    return True
                continue
        if name is not None and name.endswith("Handler") and not name.startswith("<local>.") \
                and name.split(".", 1)[0] not in sys.stdlib_module_names:
            return True  # (``from .base import BaseHandler``: the application's own handler base; not logging.Handler)
    return False


def _declared_content_type_before(function: ast.AST, node: ast.AST, ctx: RuleContext):
    """The Content-Type ``function`` declares before ``node`` (the node checked), in its block or
    an enclosing one (see dataflow.responses.declaration_along): a constant, NOT_KNOWN, or None;
    with the expression that sets it."""
    ancestors = ctx.ancestors
    facts, chain = ctx.facts, ctx.scope_chain

    def bound_values(name: str):
        return container_values(facts.scopes.binder(name, chain), name)

    start = next((index for index in range(len(ancestors) - 1, -1, -1) if ancestors[index] is function), None)
    if start is None or not ancestors or ancestors[-1] is not node:
        return declaration(function, node, ctx.literal, bound_values)
    return declaration_along(ancestors[start:], ctx.literal, bound_values)


_BOTTLE_WILDCARD = re.compile(r"<(\w+)(?::(\w*))?(?::[^>]*)?>")
_BOTTLE_NUMERIC_FILTERS = frozenset({"int", "float"})


def _numeric_route_value(node: ast.AST, function, ctx: RuleContext) -> bool:
    """``n``, a parameter of a Bottle route whose every rule naming it filters it as a number
    (``@app.get("/n/<n:int>")``), not bound again."""
    if node.__class__ is not ast.Name or function is None or not ctx.facts.imports.imports_module("bottle"):
        return False
    name = node.id  # type: ignore[attr-defined]
    if ctx.facts.scopes.bindings_of(name, ctx.scope_chain) != [None] or not any(
            arg.arg == name for arg in function.args.args):
        return False
    filters = []
    for decorator in function.decorator_list:
        if decorator.__class__ is ast.Call and decorator.args:
            route = ctx.literal(decorator.args[0], None)
            if isinstance(route, str):
                filters += [kind for variable, kind in _BOTTLE_WILDCARD.findall(route) if variable == name]
    return bool(filters) and all(kind in _BOTTLE_NUMERIC_FILTERS for kind in filters)


def _check_template_string(call: ast.Call, ctx: RuleContext):
    """``render_template_string("<p>{{ bio|safe }}</p>", bio=request.args["bio"])``: the
    variables a constant template prints unescaped (see _jinja.py), given untrusted data. (A
    template that is not a constant is the template-injection rule's.)"""
    template = ctx.literal(ctx.argument(call, 0, "source"), None)
    if not isinstance(template, str):
        return None
    unescaped = unescaped_variables(template)
    if not unescaped:
        return None
    for keyword in call.keywords:
        if keyword.arg in unescaped:
            hit = _tainted_only(dynamic_value_hit(
                ctx, call, keyword.value,
                tainted=f"The template prints `{keyword.arg}` without escaping, and `{keyword.arg}` comes from {{source}}: a crafted link runs script in the victim's browser.",
                dynamic="The template prints a non-constant value without escaping.",
                sink_note=f"printed unescaped by the template as `{keyword.arg}`",
            ))
            if hit is not None:
                hit.solution = (f"Let the template escape `{keyword.arg}`: drop `|safe` (and `{{% autoescape false %}}`), "
                                "or sanitize the HTML first (bleach.clean / nh3.clean) if markup must be kept.")
                return hit
    return None


_JSON_BODIES = (ast.Dict, ast.List, ast.DictComp, ast.ListComp)
_NOT_KNOWN = object()


def _json_body(value: ast.expr, ctx: RuleContext) -> bool:
    """A dict or list (a display, ``dict(...)``/``list(...)``, a conditional choosing between
    such), or a local name only ever assigned such (``data = {"q": q}; data["n"] = n; return
    data``), or assigned such last before the return (``result = item.save(); result = {"id": id,
    "saved": result}; return 200, result``): a body Flask serializes to JSON."""
    if value.__class__ is ast.Name:
        if _json_name(value.id, ctx):  # type: ignore[attr-defined]
            return True
        last = _assigned_just_before(value.id, ctx)  # type: ignore[attr-defined]
        return bool(last) and all(_json_value(assigned, ctx) for assigned in last)  # type: ignore[union-attr]
    return _json_value(value, ctx)


_NOT_BOUND = object()  # (_last_assigned: no statement of the block binds the name)


def _assigned_just_before(name: str, ctx: RuleContext) -> list[ast.expr] | None:
    """What ``name`` holds at the current statement, from the statements before it in its own
    block: the value of the last ``name = <value>``, or of each branch's last one when that is
    an ``if`` assigning it in every branch. None when another binding (an unpacking, ``+=``, a
    loop, a ``try``) or none at all comes last."""
    chain = ctx.ancestors
    if len(chain) < 2 or not isinstance(chain[-1], ast.stmt):
        return None
    statement, parent = chain[-1], chain[-2]
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if block.__class__ is list:
            index = next((i for i, item in enumerate(block) if item is statement), None)
            if index is not None:
                found = _last_assigned(block[:index], name)
                return None if found is _NOT_BOUND else found  # type: ignore[return-value]
    return None


def _last_assigned(block: list[ast.stmt], name: str):
    """The values ``name`` may hold after ``block`` (see _assigned_just_before): a list, None
    (not known), or _NOT_BOUND."""
    for index in range(len(block) - 1, -1, -1):
        statement = block[index]
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == name):
            return [statement.value]
        if not _binds(statement, name):
            continue
        if not isinstance(statement, ast.If):
            return None
        branches = [_last_assigned(statement.body, name), _last_assigned(statement.orelse, name)]
        if any(branch is None for branch in branches):
            return None
        if any(branch is _NOT_BOUND for branch in branches):  # (a branch keeps what came before)
            branches.append(_last_assigned(block[:index], name))
            if any(branch is None or branch is _NOT_BOUND for branch in branches[2:]):
                return None
        return [value for branch in branches if branch is not _NOT_BOUND for value in branch]  # type: ignore[union-attr]
    return _NOT_BOUND


def _binds(statement: ast.stmt, name: str) -> bool:
    """``statement`` (or a statement in it) binds or deletes ``name`` (``data["k"] = v`` does not)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
    return False


def _json_value(value: ast.expr, ctx: RuleContext) -> bool:
    if isinstance(value, _JSON_BODIES):
        return True
    if isinstance(value, ast.IfExp):
        return _json_value(value.body, ctx) and _json_value(value.orelse, ctx)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and ctx.qualname(value.func) in ("dict", "list")


def _json_name(name: str, ctx: RuleContext) -> bool:
    """Every assignment of the function's local ``name`` is of a dict or list (adding items to
    it, ``data["k"] = v``, ``items.append(v)``, ``+=``/``|=``, keeps it one); no other binding
    (a parameter, a loop, ``with``, an unpacking, ``:=``) and no ``global``."""
    function = ctx.function
    scopes = ctx.facts.scopes
    binder = scopes.binder(name, ctx.scope_chain)
    if function is None or binder is None or binder is not scopes.collector(function) or name in binder.escaped:
        return False
    if any(bound is None for bound in binder.bindings[name]):
        return False  # (a parameter, a loop target, a ``with`` item, an import...)
    assigned = False
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name) and target.id == name:
                    if node.value is None or not _json_value(node.value, ctx):
                        return False
                    assigned = True
                elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)) and any(
                        isinstance(inner, ast.Name) and inner.id == name for inner in ast.walk(target)):
                    return False
        elif isinstance(node, ast.NamedExpr) and node.target.id == name:
            return False
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name \
                and not isinstance(node.op, (ast.Add, ast.BitOr)):
            return False
    return assigned


def _content_type(headers: ast.expr, ctx: RuleContext):
    """The constant Content-Type of response headers given as a dict display (``{"Content-Type":
    "text/plain"}``) or a list of pairs; None when they set none, _NOT_KNOWN when it is not a
    constant (or the headers are not a display: a status code, a variable)."""
    if isinstance(headers, ast.Dict):
        pairs = list(zip(headers.keys, headers.values))
    elif isinstance(headers, (ast.List, ast.Tuple)) and all(
            isinstance(e, (ast.Tuple, ast.List)) and len(e.elts) == 2 for e in headers.elts):
        pairs = [(e.elts[0], e.elts[1]) for e in headers.elts]  # type: ignore[attr-defined]
    else:
        return _NOT_KNOWN
    found = None
    for key, value in pairs:
        name = ctx.literal(key, _NOT_KNOWN) if key is not None else _NOT_KNOWN
        if name is _NOT_KNOWN:
            return _NOT_KNOWN  # (``**other``, a variable key: maybe Content-Type)
        if isinstance(name, str) and name.lower() == "content-type":
            found = ctx.literal(value, _NOT_KNOWN)
    return found


_CONTENT_TYPE_ATTRIBUTES = frozenset({"mimetype", "content_type"})


def _content_type_set_next(call: ast.Call, ctx: RuleContext):
    """``resp = make_response(body)`` followed, in the same block and before any statement that
    may return or raise, by ``resp.headers["Content-Type"] = C`` (Django: ``resp["Content-Type"]
    = C``), ``resp.mimetype = C`` or ``resp.content_type = C``: the Content-Type C gives (see
    _content_type_of: NOT_KNOWN when not known here), with C; (None, None) when no such statement
    follows. A ``Content-Disposition: attachment`` set there too makes it a download
    (_DOWNLOADED), whatever its type."""
    statement = ctx.statement
    if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return None, None
    name = statement.targets[0].id
    block = _enclosing_block(statement, ctx)
    if block is None:
        return None, None
    declared = (None, None)
    for following in block[block.index(statement) + 1:]:
        if isinstance(following, ast.Assign) and len(following.targets) == 1:
            target = following.targets[0]
            header = _header_set(target, name, ctx)
            if header == "content-disposition" and _attachment(following.value, ctx):
                return _DOWNLOADED, following.value
            if declared[1] is None and (header == "content-type" or (
                    isinstance(target, ast.Attribute) and target.attr in _CONTENT_TYPE_ATTRIBUTES and _is_name(target.value, name))):
                declared = (_content_type_of(following.value, ctx), following.value)
                if not _html_content_type(declared[0]):
                    return declared
                continue  # (HTML or not known: a Content-Disposition may still follow)
        if any(isinstance(inner, (ast.Return, ast.Raise, ast.Yield, ast.YieldFrom, ast.Await)) for inner in ast.walk(following)):
            return declared  # (the response may leave before its type is set)
        if _changes_only(following, name):
            continue  # ``resp.headers["Cache-Control"] = ...``, ``resp.set_cookie(...)``
        if any(isinstance(inner, ast.Name) and inner.id == name for inner in ast.walk(following)):
            return declared  # (handed on or rebound before its type is set)
    return declared


# What _content_type_set_next gives for a response sent as an attachment: a type not rendered.
_DOWNLOADED = "application/octet-stream"


def _header_set(target: ast.expr, name: str, ctx: RuleContext) -> str | None:
    """The header (lowercase) an assignment to ``target`` sets on the response ``name``:
    ``name.headers["X"]`` or, Django's, ``name["X"]``; None for anything else."""
    if not isinstance(target, ast.Subscript):
        return None
    owner = target.value
    if isinstance(owner, ast.Attribute) and owner.attr == "headers":
        owner = owner.value
    if not _is_name(owner, name):
        return None
    header = ctx.literal(target.slice, "")
    return header.lower() if isinstance(header, str) else None


def _attachment(value: ast.expr, ctx: RuleContext) -> bool:
    """Is the Content-Disposition ``value`` "attachment"? Text starting with the word
    (``"attachment; filename=" + name``, an f-string, ``"...".format(...)``, ``%``), or
    ``content_disposition_header(True, name)``."""
    if isinstance(value, ast.Call) and ctx.call_name(value) in ATTACHMENT_HEADER_CALLS:
        first = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "as_attachment"), None)
        return first is not None and ctx.literal(first, None) is True
    while True:
        if isinstance(value, ast.Constant):
            text = value.value.decode("latin-1") if isinstance(value.value, bytes) else value.value
            return isinstance(text, str) and text.lstrip().lower().startswith(ATTACHMENT_DISPOSITION)
        if isinstance(value, ast.JoinedStr) and value.values:
            value = value.values[0]
        elif isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Mod)):
            value = value.left
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "format":
            value = value.func.value
        else:
            return False


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _changes_only(statement: ast.stmt, name: str) -> bool:
    """A statement that sets a part of the response ``name`` (``name.x[k] = v``) or calls one of
    its methods (``name.set_cookie(...)``), without handing the response on."""
    if isinstance(statement, ast.Assign):
        places = statement.targets
        uses = [statement.value]
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and isinstance(statement.value.func, ast.Attribute):
        places = [statement.value.func]
        uses = [*statement.value.args, *(k.value for k in statement.value.keywords)]
    else:
        return False
    for place in places:
        root = place
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if root is place or not _is_name(root, name):
            return False
    return not any(isinstance(inner, ast.Name) and inner.id == name for use in uses for inner in ast.walk(use))


def _enclosing_block(statement: ast.stmt, ctx: RuleContext) -> list[ast.stmt] | None:
    """The statement list ``statement`` is in (a body, an else branch...)."""
    ancestors = ctx.ancestors
    position = next((index for index in range(len(ancestors) - 1, -1, -1) if ancestors[index] is statement), None)
    if not position:
        return None
    parent = ancestors[position - 1]
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(item is statement for item in block):
            return block
    return None


def _declares_html(call: ast.Call, ctx: RuleContext) -> bool:
    """A response whose type is only HTML when declared (DECLARED_TYPE_RESPONSES) declares it:
    ``media_type=`` / ``content_type=`` (Starlette's fourth positional argument) is not a
    constant naming another type (nor a Litestar MediaType member other than HTML), or its
    headers display sets an HTML Content-Type."""
    declared = ctx.keyword(call, "content_type") or ctx.argument(call, 3, "media_type")
    if declared is not None:
        member = ctx.qualname(declared) if declared.__class__ is ast.Attribute else None
        if member is not None and member.rsplit(".", 2)[-2:-1] == ["MediaType"]:
            return _html_content_type(_MEDIA_TYPE_MEMBERS.get(member.rsplit(".", 1)[-1], _NOT_KNOWN))
        return _html_content_type(ctx.literal(declared, _NOT_KNOWN))
    headers = ctx.argument(call, 2, "headers")
    content_type = _content_type(headers, ctx) if headers is not None else None
    return isinstance(content_type, str) and _html_content_type(content_type)


def _html_content_type(content_type) -> bool:
    """Whether a response with this Content-Type (see _content_type) may be rendered as HTML:
    a constant naming another type (text/plain, application/json...) is not."""
    return not isinstance(content_type, str) or "html" in content_type.lower()


def _renders_unescaped(call: ast.Call, ctx: RuleContext) -> bool:
    """``jinja2.Template(src).render(q=q)``: a template made with autoescaping off (jinja2's
    default) printing a variable unescaped: its text is the body, not a response made by a call
    (see dataflow/jinja_templates.py)."""
    if not (call.func.__class__ is ast.Attribute and call.func.attr in JINJA_RENDER_METHODS
            and ctx.facts.imports.imports_module("jinja2")):
        return False

    def bound_once(name: ast.Name) -> ast.expr | None:
        bound = ctx.facts.scopes.bindings_of(name.id, ctx.scope_chain)
        return bound[0] if bound is not None and len(bound) == 1 else None

    printed = printed_unescaped(call, ctx.qualname, bound_once, lambda value: ctx.literal(value, None))
    return printed is None or bool(printed)


def _builds_response(call: ast.Call, ctx: RuleContext) -> bool:
    """A call that makes the response itself (checked at that call, or safe by construction),
    as opposed to one that makes the HTML body (``"".join(parts)``, ``PAGE.format(x)``)."""
    return builds_response(ctx.call_name(call), call.func)


def _returns_json_by_default(function: ast.AST, ctx: RuleContext) -> bool:
    """FastAPI routes serialize what they return to JSON unless the route says HTMLResponse;
    Django Ninja routes too (``return schemas``, ``return 201, obj``, ``return Status(201, obj)``)
    unless their API has a ``renderer=`` of its own. (An ``HttpResponse(html)`` they return is
    checked at that call.)"""
    if ctx.flow is not None and (ctx.flow.ninja_route(function) or ctx.flow.rest_resource_returns_json(function)):
        return True  # (also Flask-RESTful/RESTX resources' methods: the Api serializes what they return)
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
        if last_name(target) == "expose" and ctx.qualname(target) == "cherrypy.expose":
            return True  # a CherryPy handler: what it returns is the body, text/html by default
    # A Flask class-based view's method, a function routed by ``add_url_rule``, a Twisted Web
    # resource's ``render_GET`` (the data flow knows)
    return ctx.flow is not None and (ctx.flow.is_flask_view(function) or id(function) in ctx.flow.twisted_renderers)


_REDIRECT_CALLS = frozenset({
    "flask.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect",
    "django.http.HttpResponsePermanentRedirect", "starlette.responses.RedirectResponse",
    "fastapi.responses.RedirectResponse", *AIOHTTP_REDIRECTS, *FRAMEWORK_REDIRECTS,
})


WSGI_START_RESPONSE = "<local>.start_response"  # (the WSGI application's parameter)
# A Location header set by hand: ``response.headers["Location"] = url`` (Werkzeug, Starlette,
# aiohttp, Django >= 3.2), Django's ``response["Location"] = url``.
_LOCATION_HEADER_OWNERS = frozenset({"headers[]", "response[]"})
_STATUS_ATTRIBUTES = ("status_code", "status", "status_int")


def _location_header_value(node: ast.AST, ctx: RuleContext) -> ast.expr | None:
    """The value a Location header is set to by ``node`` -- an assignment to ``x.headers["Location"]``
    or ``response["Location"]``, Tornado's ``self.set_header("Location", url)``, a WSGI
    ``start_response(status, [("Location", url)])`` -- on a response whose status may be a
    redirection; else None."""
    if node.__class__ is ast.Assign:
        target = node.targets[0] if len(node.targets) == 1 else None  # type: ignore[attr-defined]
        if target.__class__ is not ast.Subscript or not _is_location(ctx, target.slice):  # type: ignore[union-attr]
            return None
        owner = target.value  # type: ignore[union-attr]
        if owner.__class__ is ast.Attribute and owner.attr == "headers":  # type: ignore[attr-defined]
            owner = owner.value  # type: ignore[attr-defined]
            if _outgoing(ctx, owner):
                return None  # (the headers of a request to send)
        return None if _not_a_redirection(ctx, owner) else node.value  # type: ignore[attr-defined]
    call: ast.Call = node  # type: ignore[assignment]
    if call.func.__class__ is ast.Attribute:  # ``self.set_header("Location", url)``
        if not _is_location(ctx, ctx.argument(call, 0, "name")) or _not_a_redirection(ctx, call.func.value):  # type: ignore[attr-defined]
            return None
        return ctx.argument(call, 1, "value")
    status = ctx.literal(ctx.argument(call, 0, "status"), None)
    if isinstance(status, str) and not status.startswith("3"):
        return None  # ``start_response("201 Created", ...)``
    return wsgi_header(ctx, call, "location")


def wsgi_header(ctx: RuleContext, call: ast.Call, name: str) -> ast.expr | None:
    """The value a WSGI ``start_response(status, [(name, value), ...])`` gives the header ``name``
    (lower-case; the list's names compared in any case, str or bytes), or None."""
    for header in sequence_elements(ctx, ctx.argument(call, 1, "headers")) or ():
        if isinstance(header, ast.Tuple) and len(header.elts) == 2 and header_name(ctx, header.elts[0]) == name:
            return header.elts[1]
    return None


def header_name(ctx: RuleContext, key: ast.expr | None) -> str | None:
    """A header's name given as the constant ``key`` (str or bytes), lower-case; None otherwise."""
    name = ctx.literal(key, None) if key is not None else None
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return name.lower() if isinstance(name, str) else None


def _is_location(ctx: RuleContext, key: ast.expr | None) -> bool:
    return header_name(ctx, key) == "location"


def _not_a_redirection(ctx: RuleContext, owner: ast.expr) -> bool:
    """The function gives the response ``owner`` only constant statuses, none of them a redirection
    (3xx): where it is made (``make_response(body, 201)``, ``HttpResponse(status=201)``) or later
    (``owner.status_code = 201``, Tornado's ``self.set_status(201)``). Browsers follow Location
    only on a redirection (201 Created points at the resource made)."""
    function = ctx.function
    if function is None:
        return False
    owner_text = ctx.source(owner)
    statuses = []
    for node in ast.walk(function):
        if node.__class__ is ast.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                if target.__class__ is ast.Attribute and target.attr in _STATUS_ATTRIBUTES \
                        and ctx.source(target.value) == owner_text:
                    statuses.append(_status_number(ctx, node.value))  # type: ignore[attr-defined]
                elif target.__class__ is ast.Name and target.id == owner_text and node.value.__class__ is ast.Call:  # type: ignore[attr-defined]
                    made = _status_given(ctx, node.value)  # type: ignore[attr-defined]
                    if made is not None:
                        statuses.append(_status_number(ctx, made))
        elif (node.__class__ is ast.Call and node.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
              and node.func.attr == "set_status" and ctx.source(node.func.value) == owner_text):  # type: ignore[attr-defined]
            statuses.append(_status_number(ctx, ctx.argument(node, 0, "status_code")))  # type: ignore[arg-type]
    return bool(statuses) and all(status is not None and not 300 <= status < 400 for status in statuses)


def _status_given(ctx: RuleContext, made: ast.Call) -> ast.expr | None:
    """The status a response is made with: ``status=``/``status_code=``, or Flask's
    ``make_response(body, status)``."""
    given = ctx.keyword(made, "status") or ctx.keyword(made, "status_code")
    if given is None and last_name(made.func) == "make_response" and len(made.args) >= 2:
        given = made.args[1]
    return given


def _status_number(ctx: RuleContext, status: ast.expr | None) -> int | None:
    """``201``, ``"201 Created"``, ``HTTPStatus.CREATED`` / ``http.client.CREATED`` as a number."""
    value = ctx.literal(status, None) if status is not None else None
    if isinstance(value, str) and value[:3].isdigit():
        return int(value[:3])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    named = last_name(status) if status is not None and status.__class__ is ast.Attribute else None
    member = getattr(HTTPStatus, named, None) if named and named.isupper() else None
    return int(member) if isinstance(member, HTTPStatus) else None


_FROM_REFERER = f"The redirect target comes from {REFERER_HEADER}:"
_REFERER_MESSAGE = (
    "The redirect target is the Referer header, the page the browser came from: a page on another site that links "
    "here gets its visitors sent back to it through this site. That page chooses the target, not a link an attacker "
    "sends, so the risk is low; redirect to a page of this site (url_for) or check the Referer's host first.")
_REFERER_BACKSLASH = (" Its check is a same-host test that a backslash gets through (`/\\evil.example` is "
                      "`//evil.example` to a browser).")


@rule(
    id="open-redirect",
    title="Open redirect",
    cwe=601,
    severity=MEDIUM,
    confidence=MEDIUM,
    calls=[*sorted(_REDIRECT_CALLS), WSGI_START_RESPONSE],
    methods=["redirect", "set_header"],  # (Tornado's RequestHandler.redirect and set_header)
    nodes=[ast.Assign],
    targets=sorted(_LOCATION_HEADER_OWNERS),
    description="""The redirect target comes from the request. Attackers send links on your
        domain that bounce victims to a phishing site, and can leak tokens in the URL. Also a
        Location header set by hand (response.headers["Location"] = ..., Django's
        response["Location"], Tornado's self.set_header("Location", ...), a WSGI
        start_response(status, [("Location", ...)])), unless the response's status, set in the
        same function as a constant, is not a redirection (201 Created names the new resource;
        browsers follow Location only on a 3xx). Also
        aiohttp's redirections (web.HTTPFound, HTTPSeeOther, HTTPMovedPermanently,
        HTTPTemporaryRedirect, HTTPPermanentRedirect...), raised or returned, Bottle's, Quart's
        and Sanic's redirect(), Pyramid/WebOb's and Falcon's redirection exceptions
        (HTTPFound(location=...)...), CherryPy's HTTPRedirect, Litestar's Redirect(path=...) and
        self.redirect() in a Tornado RequestHandler. A target that passed only a same-host
        check made on the URL joined to the site's own (the usual Flask is_safe_url:
        urlparse(urljoin(request.host_url, target)).netloc == ...) is still reported, at medium
        confidence at most: "/\\evil.example" passes it and browsers read it as "//evil.example".
        Such a check that first turns backslashes into slashes (target.replace("\\\\", "/")) is
        not. The Referer header as the target (redirect(request.referrer), "back to the previous
        page") is reported at low confidence: the page that linked here chose it, not a link an
        attacker sends, and the user goes back to a site they were just on. A Django model
        object made from the request (form.save(), Note.objects.create(...)) given to redirect()
        is not reported: Django sends the browser to its get_absolute_url(), a route of the
        site; its fields (redirect(note.link)) are.""",
    solution="""Redirect only to internal routes (url_for / reverse), or check the target with
        django.utils.http.url_has_allowed_host_and_scheme / an allow-list of hosts; reject
        absolute and scheme-relative (//host) URLs, and backslashes (browsers read "/\\evil.example"
        as "//evil.example").""",
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
def check_redirect(node: ast.AST, ctx: RuleContext):
    if node.__class__ is ast.Assign or not _redirect_call(node, ctx):  # type: ignore[arg-type]
        target = _location_header_value(node, ctx)
        if target is None:
            return None
        return _redirect_hit(ctx, node, target)
    call: ast.Call = node  # type: ignore[assignment]
    target = (ctx.argument(call, 0, "location") or ctx.keyword(call, "to") or ctx.keyword(call, "url")
              or ctx.keyword(call, "redirect_to") or ctx.keyword(call, "path") or ctx.keyword(call, "urls"))
    return _redirect_hit(ctx, call, target)


def _redirect_call(call: ast.Call, ctx: RuleContext) -> bool:
    """A redirection made by a framework call: redirect(), RedirectResponse(...), Tornado's
    self.redirect() (not another object's ``redirect`` method, nor a header set by hand)."""
    if call.func.__class__ is ast.Attribute and call.func.attr == "set_header":  # type: ignore[attr-defined]
        return False
    if ctx.call_name(call) == WSGI_START_RESPONSE:
        return False
    if call.func.__class__ is ast.Attribute and call.func.attr == "redirect" and ctx.call_name(call) not in _REDIRECT_CALLS:  # type: ignore[attr-defined]
        receiver = call.func.value  # type: ignore[attr-defined]
        if not (receiver.__class__ is ast.Name and receiver.id == "self" and ctx.facts.imports.imports_module("tornado")
                and ctx.function is not None and in_handler_class(ctx, TORNADO_HANDLERS)):
            return False  # (``x.redirect(...)`` of something else)
    return True


def _redirect_hit(ctx: RuleContext, node: ast.AST, target: ast.expr | None) -> Hit | None:
    hit = _tainted_only(dynamic_value_hit(
        ctx, node, target,
        tainted="The redirect target comes from {source}: a link on this site can send users to any other site.",
        dynamic="The redirect target is not a constant.",
        sink_note="used as the redirect target",
    ))
    if hit is None:
        return None
    backslash_open = any(BACKSLASH_OPEN_NOTE in step.note for step in hit.trace)  # (also merged with the sink's note)
    if hit.message.startswith(_FROM_REFERER):
        hit.message = _REFERER_MESSAGE + (_REFERER_BACKSLASH if backslash_open else "")
    elif backslash_open:
        hit.message = hit.message.replace(": a link on this site", (
            ", checked by a same-host test that a backslash gets through (`/\\evil.example` is "
            "`//evil.example` to a browser): a link on this site"), 1)
    return hit


# Frameworks whose response headers reject CR and LF in a value: Django's ResponseHeaders raises
# BadHeaderError (``response["X"] = v`` and ``response.headers["X"] = v`` alike), Werkzeug's
# Headers ValueError (Flask, Quart), Tornado's set_header/add_header ValueError ("Unsafe header
# value"), aiohttp when it writes the headers, Bottle's response (its _hval() raises ValueError).
# There a line break fails the request; it cannot
# split the response.
HEADER_CHECKING_FRAMEWORKS = ("django", "rest_framework", "flask", "werkzeug", "quart", "tornado", "aiohttp", "bottle")
# Frameworks not known to check header values (Starlette's MutableHeaders stores them as they
# are; only the server, if any, may check them): their responses stay reported.
HEADER_PASSING_FRAMEWORKS = (
    "starlette", "fastapi", "litestar", "falcon", "pyramid", "webob", "sanic", "cherrypy", "wsgiref",
)
_CHECKED, _PASSED = "checked", "passed"
# Raw sinks: the header values go on the wire as they are. http.server's send_header formats
# "name: value\r\n"; a WSGI start_response(status, [(name, value), ...]) leaves them to the server.
RAW_HEADER_METHODS = ("send_header",)
_HEADER_MESSAGES = {
    "tainted": "A response header is set from {source}; CR/LF in it injects headers or splits the response.",
    "dynamic": "A response header is set from a non-constant value.",
    "sink_note": "written into a response header",
}


@rule(
    id="header-injection",
    title="HTTP response header injection",
    cwe=113,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=["headers[]"],  # (response.headers[name] = value)
    methods=["set_header", "add_header", *RAW_HEADER_METHODS],
    calls=[WSGI_START_RESPONSE],
    description="""A response header value comes from the request and goes out as it is: set on
        the headers of a response whose framework does not check them (Starlette/FastAPI
        and frameworks not known to check them), sent by http.server's send_header(), or listed in a WSGI
        start_response() call. CR/LF characters in it split the response: injected headers
        (cookies, redirects) or a forged body. Not reported: responses of Django (its headers
        raise BadHeaderError on CR/LF), of Werkzeug (Flask, Quart: ValueError), Tornado's
        set_header/add_header, aiohttp and Bottle, which all reject a line break in a header
        value; nor headers of outgoing requests (a requests/httpx/aiohttp session or client, a
        urllib Request): they go to another server, and the HTTP clients refuse a line break in
        a header value before sending.""",
    solution="""Reject or strip CR and LF (value.replace("\\r", "").replace("\\n", "")), or
        better, validate the value against what the header may contain.""",
    example="""
        from fastapi import FastAPI, Response
        api = FastAPI()

        @api.get("/download")
        def download(name: str, response: Response):
            response.headers["Content-Disposition"] = "attachment; filename=" + name
    """,
    fixed="""
        from fastapi import FastAPI, HTTPException, Response
        api = FastAPI()

        @api.get("/download")
        def download(name: str, response: Response):
            if not name.isalnum():
                raise HTTPException(status_code=400)
            response.headers["Content-Disposition"] = "attachment; filename=" + name
    """,
)
def check_header(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) and target.value.attr == "headers":
                if _headers_checked(ctx, target.value.value) or _outgoing(ctx, target.value.value):
                    return None  # the framework rejects CR/LF: see HEADER_CHECKING_FRAMEWORKS
                return _tainted_only(dynamic_value_hit(ctx, node, node.value, **_HEADER_MESSAGES))
        return None
    func = node.func  # type: ignore[attr-defined]
    if func.__class__ is ast.Attribute:
        if func.attr not in RAW_HEADER_METHODS and (_headers_checked(ctx, func.value) or _outgoing(ctx, func.value)):
            return None  # Tornado's RequestHandler.set_header/add_header; urllib's Request.add_header
        return _tainted_only(dynamic_value_hit(ctx, node, ctx.argument(node, 1, "value"), **_HEADER_MESSAGES))
    for header in sequence_elements(ctx, ctx.argument(node, 1, "headers")) or ():  # start_response(status, headers)
        if isinstance(header, ast.Tuple) and len(header.elts) == 2:
            hit = _tainted_only(dynamic_value_hit(ctx, node, header.elts[1], **_HEADER_MESSAGES))
            if hit is not None:
                return hit
    return None


# Outgoing requests are no response: their headers go to another server, and the clients refuse a
# line break in a header value before anything is sent (http.client's putheader -- under urllib,
# requests and urllib3 -- raises ValueError "Invalid header value", requests checks them itself
# first: InvalidHeader; httpx/h11 raise LocalProtocolError, aiohttp ValueError). A value from
# the request there cannot split anything. Receivers named like clients (``self.session``,
# ``api_client``) count in a file that imports an HTTP client library, where a response is not
# named so.
HTTP_CLIENT_MODULES = ("requests", "httpx", "aiohttp", "urllib3", "urllib.request", "http.client")
_CLIENT_NAME_ENDINGS = ("session", "client")


def _outgoing(ctx: RuleContext, owner: ast.expr) -> bool:
    """Whether ``owner`` (whose headers are set) sends requests or is a request to send."""
    imports = ctx.facts.imports
    if not any(imports.imports_module(module) for module in HTTP_CLIENT_MODULES):
        return False
    if outgoing_request_object(ctx, owner):
        return True
    name = owner.attr if owner.__class__ is ast.Attribute else owner.id if owner.__class__ is ast.Name else ""  # type: ignore[attr-defined]
    return name.lower().endswith(_CLIENT_NAME_ENDINGS)


def _headers_checked(ctx: RuleContext, owner: ast.expr) -> bool:
    """Whether the headers of ``owner`` (a response, or a handler setting them) reject CR and
    LF: it is made by a framework of HEADER_CHECKING_FRAMEWORKS (``response = HttpResponse()``,
    ``make_response()``...), or, made where the file does not show (a parameter: Flask's
    ``after_request(response)``, a Django middleware's ``process_response``; Tornado's ``self``),
    the file uses such a framework and none that passes header values on."""
    made = instances.class_of(ctx.facts.scopes, owner, ctx.scope_chain, lambda value: _response_framework(ctx, value))
    if made is not None:
        return made == _CHECKED
    imports = ctx.facts.imports
    return (any(imports.imports_module(module) for module in HEADER_CHECKING_FRAMEWORKS)
            and not any(imports.imports_module(module) for module in HEADER_PASSING_FRAMEWORKS))


def _response_framework(ctx: RuleContext, value: ast.expr) -> str | None:
    if value.__class__ is ast.Await:
        value = value.value  # type: ignore[attr-defined]
    if value.__class__ is not ast.Call:
        return None
    module = (ctx.call_name(value) or "").split(".", 1)[0]  # type: ignore[arg-type]
    if module in HEADER_CHECKING_FRAMEWORKS:
        return _CHECKED
    return _PASSED if module in HEADER_PASSING_FRAMEWORKS else None


# Stores that outlive the request: Flask's session, Django's request.session, and other
# ``*.session`` mappings. Not ``flask.g``: it lives for one request (or one CLI app context), so a
# value put there is read back by the same request that could have read it from the request
# itself; nothing crosses from one request to the next.
@rule(
    id="trust-boundary-violation",
    title="Trust boundary violation",
    cwe=501,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    methods=["__setitem__"],
    description="""Data from the request is stored in the server-side session that the rest of
        the application treats as trusted. Later requests read it back as if it had been
        validated. Not reported: flask.g (it lasts one request, not a session); values the
        request cannot choose freely: the request's own URL or path (the page to come back to
        after logging in), a payload whose signature was verified with the server's key
        (itsdangerous' loads()/unsign(), django.core.signing.loads()); the primary key of a
        row (``row.pk``, the ``id`` of a row the function inserts: the database's, or that of
        a row found) and values read from a form
        after its validation passed (``form.is_valid()``, also kept in a flag or an attribute:
        ``self.valid = self.form.is_valid()``, or of a form another method of the view made;
        the form a form view's ``form_valid(self, form)`` is given), which is what the session may keep; and values
        from the command line, the environment or a prompt (the operator's, not a client's).""",
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
        # (the cheap test first: a store has a name ending in "session")
        if not (isinstance(target, ast.Subscript) and ctx.may_resolve_to(target.value, ("session",))):
            continue
        store = ctx.qualname(target.value)
        if store is None and isinstance(target.value, ast.Attribute) and target.value.attr == "session":
            store = "request.session"
        if (store or "").endswith(".session"):
            if _row_key(node.value, ctx):
                return None
            return _tainted_only(dynamic_value_hit(
                ctx, node, node.value,
                tainted="Untrusted data ({source}) is stored in the session unvalidated; code that reads the session trusts it.",
                dynamic="A non-constant value is stored in the session.", sink_note="stored in the trusted session",
            ))
    return None


def _row_key(value: ast.expr, ctx: RuleContext) -> bool:
    """The primary key of a model's row, which the database gave the row when it was inserted
    (or which a row the program found has): the row's, not text of the client's, whatever
    fields of the row came from the request. ``entry.pk`` (Django's, peewee's name for it); the
    ``id`` of a row the function inserts (``db.session.add(user)``, ``user.save()``,
    ``user = User.objects.create(...)``, ``user = form.save()``). Not any ``.id``: a request body parsed into an object,
    ``Item(**payload).id``, has one the client chose."""
    if value.__class__ is not ast.Attribute:
        return False
    if value.attr == "pk":  # type: ignore[attr-defined]
        return True
    row = value.value  # type: ignore[attr-defined]
    function = ctx.function
    if value.attr != "id" or row.__class__ is not ast.Name or function is None:  # type: ignore[attr-defined]
        return False
    return any(_inserts_row(node, row.id) for node in ast.walk(function))


def _inserts_row(node: ast.AST, row: str) -> bool:
    """``session.add(row)`` (SQLAlchemy), ``row.save()`` (Django, peewee), ``row =
    Model.objects.create(...)`` (or ``await ....acreate(...)``), ``row = form.save()`` (a
    ModelForm's, a serializer's: the saved row): the row named ``row`` is inserted."""
    if node.__class__ is ast.Assign:
        made = node.value.value if node.value.__class__ is ast.Await else node.value  # type: ignore[attr-defined]
        if not (any(target.__class__ is ast.Name and target.id == row for target in node.targets)  # type: ignore[attr-defined]
                and made.__class__ is ast.Call and made.func.__class__ is ast.Attribute):
            return False
        inserting = made.func.attr
        return inserting == "save" or (inserting in ("create", "acreate") and last_name(made.func.value) == "objects")
    if node.__class__ is not ast.Call or node.func.__class__ is not ast.Attribute:  # type: ignore[attr-defined]
        return False
    func = node.func  # type: ignore[attr-defined]
    if func.attr == "save":
        return func.value.__class__ is ast.Name and func.value.id == row
    return (func.attr == "add" and len(node.args) == 1 and node.args[0].__class__ is ast.Name  # type: ignore[attr-defined]
            and node.args[0].id == row and "session" in (last_name(func.value) or "").lower())  # type: ignore[attr-defined]


# Cookie names (their words) that read as a session or credential cookie: always reported as such.
SESSION_COOKIE_WORDS = frozenset({
    "session", "sess", "sessionid", "sid", "auth", "authentication", "token", "jwt", "login", "logged", "remember",
    "csrf", "xsrf", "csrftoken", "identity", "credential", "credentials", "secret", "password", "key", "user",
    "userid", "uid", "account", "access", "refresh", "bearer", "sso", "saml", "oauth", "oidc", "ticket",
})
# Cookie names made only of these words read as a display preference: nothing to steal.
PREFERENCE_COOKIE_WORDS = frozenset({
    "sort", "sorting", "order", "orderby", "by", "dir", "direction", "theme", "dark", "light", "mode", "css",
    "lang", "language", "locale", "tz", "timezone", "view", "layout", "page", "size", "per", "pagesize",
    "perpage", "limit", "currency", "font", "tab", "sidebar", "collapsed", "expanded", "density", "columns",
    "display", "zoom", "scheme", "color", "colour", "ui", "pref", "prefs", "preference", "preferences",
    "consent", "dismissed", "banner", "notice", "seen", "tour", "intro", "welcome", "region", "country",
})


@rule(
    id="insecure-cookie",
    title="Cookie without Secure / HttpOnly flags",
    cwe=614,
    severity=MEDIUM,
    confidence=HIGH,
    methods=["set_cookie"],
    description="""A cookie is set without the Secure flag (it is sent over plain HTTP, where it
        can be read on the network) or without HttpOnly (script injected into the page can read
        it). Low confidence for a cookie that holds nothing to steal: a constant value (a marker
        such as "done" or "1" that script waits for) or a name that reads as a display preference
        (sort, order, theme, lang...) -- unless its name reads as a session or credential cookie
        (session, sid, auth, token, remember...) or its value as a secret.""",
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
    if _clears_cookie(call, ctx):
        return None  # an empty value that expires at once: nothing is left to read
    secure = ctx.keyword(call, "secure")
    httponly = ctx.keyword(call, "httponly")
    missing = []
    if secure is None or ctx.literal(secure, True) is False:
        missing.append("Secure")
    if httponly is None or ctx.literal(httponly, True) is False:
        missing.append("HttpOnly")
    if not missing:
        return None
    harmless = _harmless_cookie(call, ctx)
    confidence = LOW if harmless else None
    note = f" (Low confidence: {harmless}.)" if harmless else ""
    if missing == ["HttpOnly"]:
        return Hit(call, cwe=1004, severity=LOW, confidence=confidence,
                   message=f"The cookie is set without HttpOnly: script injected into the page can read it.{note}")
    return Hit(call, confidence=confidence, message=f"The cookie is set without {' and '.join(missing)}: it can be read "
               + ("on the network over plain HTTP." if "Secure" in missing else "by script in the page.") + note)


def _harmless_cookie(call: ast.Call, ctx: RuleContext) -> str | None:
    """Why the cookie ``call`` sets holds nothing worth stealing (a constant value, a display
    preference), or None -- always None when its name reads as a session or credential cookie
    or its value as a secret (see _cookie_words)."""
    name = ctx.argument(call, 0, "key")
    value = ctx.argument(call, 1, "value")
    named = ctx.literal(name, None) if name is not None else None
    if not isinstance(named, str):
        named = None  # (a name made at run time, ``set_cookie(download_id, "done")``: its value decides)
    words = set(_cookie_words(named)) if named else set()
    if words & SESSION_COOKIE_WORDS or (named and credential_kind(named)):
        return None  # ``set_cookie("session_id", ...)``, ``set_cookie("auth_token", ...)``
    if value is not None and _secret_value(value, ctx):
        return None  # ``set_cookie("x", access_token)``, ``set_cookie("x", secrets.token_hex())``: a secret
    shown = f"`{named}`" if named else "this cookie"
    if value is not None and ctx.is_constant(value):
        return f"{shown} holds a constant (`{ctx.source(value)}`), no secret to read"
    if words and words <= PREFERENCE_COOKIE_WORDS:
        return f"{shown} reads as a display preference, not a session or credential"
    return None


# Calls whose result is a secret (a random token, a signed or encoded credential).
_SECRET_MAKERS = frozenset({"uuid.uuid4", "os.urandom", "jwt.encode"})


def _secret_value(value: ast.expr, ctx: RuleContext) -> bool:
    """A value that reads as a secret: a name or attribute named like one (``access_token``), or
    made by a call of ``secrets``, a random UUID, ``jwt.encode``, or a call named like a maker
    of one (``create_access_token(...)``, ``make_session_token(...)``)."""
    if value.__class__ is ast.Call:
        name = ctx.qualname(value.func) or ""  # type: ignore[attr-defined]
        return name.startswith("secrets.") or name in _SECRET_MAKERS or bool(credential_kind(last_name(value.func)))  # type: ignore[attr-defined]
    return value.__class__ is not ast.Constant and bool(credential_kind(reference_name(value)))


def _cookie_words(name: str) -> list[str]:
    """``css_dark_mode`` -> ["css", "dark", "mode"]; ``sortOrder`` -> ["sort", "order"]."""
    return [word for word in name_words(name.replace("-", "_")) if word]


_EPOCH_DATES = ("thu, 01 jan 1970", "thu, 01-jan-1970", "1970-01-01")


def _clears_cookie(call: ast.Call, ctx: RuleContext) -> bool:
    """``set_cookie("session", "", expires=0)`` / ``max_age=0``: how Flask, Django and Starlette
    code deletes a cookie (delete_cookie does the same); the value is empty (or left out)."""
    value = ctx.argument(call, 1, "value")
    if value is not None and ctx.literal(value, None) not in ("", b"", None):
        return False
    if value is None and len(call.args) > 1:
        return False  # (a starred argument: the value is not known)
    max_age = ctx.literal(ctx.argument(call, 2, "max_age"), None)
    if isinstance(max_age, int) and not isinstance(max_age, bool) and max_age <= 0:
        return True
    expires = ctx.literal(ctx.argument(call, 3, "expires"), None)
    if isinstance(expires, (int, float)) and not isinstance(expires, bool) and expires <= 0:
        return True
    return isinstance(expires, str) and expires.strip().lower().startswith(_EPOCH_DATES)


# --- CSRF exemptions -------------------------------------------------------------------------------

CSRF_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt"})
METHOD_DECORATOR = frozenset({"django.utils.decorators.method_decorator"})
# Decorators that restrict a view to GET/HEAD (CSRF protection only ever applies to other methods).
READ_ONLY_DECORATORS = frozenset({
    "django.views.decorators.http.require_GET", "django.views.decorators.http.require_safe",
})
REQUIRE_HTTP_METHODS = frozenset({"django.views.decorators.http.require_http_methods"})
SAFE_HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Class-based view methods that handle state-changing requests.
UNSAFE_HANDLERS = frozenset({"post", "put", "patch", "delete"})
# Base classes that add no handler for those methods.
READ_ONLY_VIEW_BASES = frozenset(
    f"django.views.{module}{name}" for module in ("", "generic.", "generic.base.", "generic.list.", "generic.detail.")
    for name in ("View", "TemplateView", "ListView", "DetailView"))
# Checks that authenticate a request by something the browser does not add on its own (a signature,
# a token): calls whose name says so, besides the security checks exceptions.py knows.
_REQUEST_AUTHENTICATION_CALLS = frozenset({
    "construct_event", "verify_header", "validate_webhook",
    # oauthlib's endpoints (and django-oauth-toolkit's mixin of the same names) authenticate the
    # client by its credentials or a bearer token in the request, not by the browser's cookies.
    "create_token_response", "create_revocation_response", "create_introspect_response",
    "create_userinfo_response", "create_device_authorization_response", "verify_request",
})
# What a forged cross-site request carries from the victim's browser: the session cookie and the
# user Django loads from it (request.user, request.auser(), request.session, request.COOKIES).
_AMBIENT_CREDENTIALS = frozenset({"user", "auser", "session", "COOKIES"})
LOGIN_NOT_REQUIRED = frozenset({"django.contrib.auth.decorators.login_not_required"})
# Class-based views whose own code is all there is: View adds no handler that reads the session.
_PLAIN_VIEW_BASES = frozenset({"django.views.View", "django.views.generic.View", "django.views.generic.base.View"})
# Security checks that rely on the session's user (permissions), which a forged request carries.
_SESSION_USER_CHECK = re.compile(r"^(has_perms?|has_permissions?|check_\w*perm\w*|authori[sz]e\w*|login)$")


@rule(
    id="django-csrf-exempt",
    title="Django view exempted from CSRF protection",
    cwe=352,
    severity=MEDIUM,
    confidence=MEDIUM,
    calls=[*CSRF_EXEMPT, *METHOD_DECORATOR],
    nodes=[ast.FunctionDef, ast.AsyncFunctionDef],
    description="""A Django view is decorated with @csrf_exempt (also through
        method_decorator(csrf_exempt, name="dispatch") on a class-based view, or
        csrf_exempt(view) in a URL conf), so CsrfViewMiddleware no longer checks its POST, PUT,
        PATCH and DELETE requests: any site the user visits can submit them with the user's
        session cookie and act in the user's name. Webhooks and APIs that authenticate each
        request by other means are the legitimate use, so a view that visibly checks a signature
        or token (hmac.compare_digest, hmac.new, verify_*/check_signature calls, a comparison with
        a secret-, token- or API-key-named value (not a password: a password change form compares
        two of them), stripe's construct_event, oauthlib's endpoints such as
        create_token_response or create_revocation_response, which authenticate the client) is not
        reported; permission checks on request.user do not count (a forged request carries the
        session). Nor is a view that uses nothing a forged request brings along: it reads neither
        request.user, request.session nor request.COOKIES, hands the request itself to no other
        code, has no login decorator and (a class) inherits no handlers but View's. A view marked
        @login_not_required that does read the session is reported with low confidence. Read-only
        views (require_GET/require_safe/require_http_methods with only GET/HEAD, class-based
        views with no post/put/patch/delete handler on View/TemplateView/ListView/DetailView) are
        not reported either: CSRF protection never applies to GET. csrf_exempt(view) on a view
        that is not in the file is reported with low confidence.""",
    solution="""Remove @csrf_exempt and send the CSRF token with the request (the {% csrf_token %}
        form tag, or the X-CSRFToken header from JavaScript). For a webhook, keep the exemption
        but verify the sender's signature over the raw body with hmac.compare_digest before
        acting; for an API, authenticate with a token header rather than the session cookie.""",
    example="""
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def update_email(request):
            request.user.email = request.POST["email"]
            request.user.save()
            return HttpResponse("ok")
    """,
    fixed="""
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        @require_POST
        def payment_webhook(request):
            expected = hmac.new(WEBHOOK_KEY, request.body, "sha256").hexdigest()
            if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
                return HttpResponseForbidden()
            record_payment(json.loads(request.body))
            return HttpResponse("ok")
    """,
)
def check_csrf_exempt(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Call):
        exempt, found = _exempted_by_call(node, ctx)
    else:  # a function's decorators: ``@csrf_exempt`` (any import alias)
        decorators = node.decorator_list  # type: ignore[attr-defined]
        if not decorators:
            return None  # most functions: this rule runs on every one
        exempt = next((d for d in decorators if _may_be_csrf_exempt(d, ctx) and ctx.qualname(d) in CSRF_EXEMPT), None)
        found = _view_of_decorated(node, ctx.ancestors[:-1]) if exempt is not None else None
    if found is None:
        return None  # not applied to a view (or applied where it has no effect)
    view, name = found
    if view is None:
        return in_test_code(ctx, Hit(exempt, confidence=LOW, message=(
            f"csrf_exempt turns off CSRF protection for `{name}` (defined elsewhere: check that it "
            "authenticates each request by a signature or token).")))
    if _is_read_only_view(view, ctx) or _authenticates_request(view, ctx):
        return None
    if not _uses_ambient_credentials(view, ctx):
        return None  # a forged request carries nothing the view uses: no session, no user
    if _marked_login_not_required(view, ctx):
        return in_test_code(ctx, Hit(exempt, confidence=LOW, message=(
            f"csrf_exempt turns off CSRF protection for `{view.name}`, a public view "
            "(@login_not_required) that still reads the session or request.user: another site can "
            "submit requests to it with the user's session.")))
    return in_test_code(ctx, Hit(exempt, message=(
        f"csrf_exempt turns off CSRF protection for `{view.name}`, which checks no signature or "
        "token: another site can submit requests to it with the user's session.")))


def _may_be_csrf_exempt(decorator: ast.expr, ctx: RuleContext) -> bool:
    """Cheap test before resolving the name: ``x.csrf_exempt``, or a name imported (or assigned)
    as csrf_exempt."""
    cls = decorator.__class__
    if cls is ast.Attribute:
        return decorator.attr == "csrf_exempt"  # type: ignore[attr-defined]
    return cls is ast.Name and ctx.facts.imports.aliases.get(decorator.id) in CSRF_EXEMPT  # type: ignore[attr-defined]


def _exempted_by_call(call: ast.Call, ctx: RuleContext):
    """For ``csrf_exempt(view)`` and ``method_decorator(csrf_exempt, ...)`` used as a decorator:
    (the csrf_exempt expression, (view, name)); the view is the function or class it exempts, or
    None (with its source) for a view defined elsewhere; (None, None) when nothing is exempted (a
    method other than dispatch, a decorator list kept for later)."""
    qualified = ctx.call_name(call)
    if qualified in CSRF_EXEMPT:
        return (call, _view_named(call.args[0], ctx)) if call.args else (None, None)
    first = call.args[0] if call.args else None
    candidates = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first] if first is not None else []
    exempt = next((c for c in candidates if ctx.qualname(c) in CSRF_EXEMPT), None)
    ancestors = ctx.ancestors
    decorated = ancestors[-2] if exempt is not None and len(ancestors) > 1 else None
    if decorated is None or call not in getattr(decorated, "decorator_list", ()):
        return None, None
    if isinstance(decorated, ast.ClassDef):
        dispatch = ctx.literal(ctx.keyword(call, "name"), None) == "dispatch"
        return exempt, ((decorated, decorated.name) if dispatch else None)
    return exempt, _view_of_decorated(decorated, ancestors[:-2])


def _view_of_decorated(function, outer):
    """A decorated function is the view, or, for a class's dispatch method, its class (as_view()
    copies dispatch's csrf_exempt mark); exempting another method has no effect."""
    owner = outer[-1] if outer else None
    if isinstance(owner, ast.ClassDef):
        return (owner, owner.name) if function.name == "dispatch" else None
    return function, function.name


def _view_named(expr: ast.expr, ctx: RuleContext):
    """The module's function ``expr`` names (``csrf_exempt(hook)``) or class it calls as_view()
    on; (None, source) when it is not defined in this file."""
    name = expr.id if isinstance(expr, ast.Name) else None
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_view"
            and isinstance(expr.func.value, ast.Name)):
        name = expr.func.value.id
    if name is not None:
        for statement in ctx.parsed.tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.name == name:
                return statement, name
    return None, ctx.source(expr)


def _is_read_only_view(view, ctx: RuleContext) -> bool:
    if isinstance(view, ast.ClassDef):
        handlers = {s.name for s in view.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return (not handlers & UNSAFE_HANDLERS and bool(view.bases)
                and all(ctx.qualname(base) in READ_ONLY_VIEW_BASES for base in view.bases))
    for decorator in view.decorator_list:
        if ctx.qualname(decorator) in READ_ONLY_DECORATORS:
            return True
        if isinstance(decorator, ast.Call) and ctx.qualname(decorator.func) in REQUIRE_HTTP_METHODS:
            methods = ctx.literal(ctx.argument(decorator, 0, "request_method_list"), None)
            if isinstance(methods, (list, tuple, set)) and methods \
                    and all(isinstance(m, str) and m.upper() in SAFE_HTTP_METHODS for m in methods):
                return True
    return False


def _authenticates_request(view, ctx: RuleContext) -> bool:
    """The view checks a signature or token sent with the request (what a forged cross-site
    request cannot carry): a security check (exceptions.security_check_strength) that is not about
    the session's user, or a comparison with a secret/token-named value."""
    for node in ast.walk(view):
        if isinstance(node, ast.Call):
            name = last_name(node.func) or ""
            if name in _REQUEST_AUTHENTICATION_CALLS:
                return True
            if security_check_strength(node, ctx) is HIGH and not _SESSION_USER_CHECK.match(name.lower()):
                return True
        elif isinstance(node, ast.Compare):
            # a token/secret/API key; not a password (a change-password form compares two fields)
            if any(credential_kind(reference_name(operand)) == SECRET for operand in (node.left, *node.comparators)):
                return True
    return False


def _uses_ambient_credentials(view, ctx: RuleContext) -> bool:
    """The view may act on what the victim's browser sends on its own: it reads request.user,
    request.session or request.COOKIES (also through self.request), hands the request itself to
    other code (login(request, user), a helper, super().dispatch(request): they may read them), is
    wrapped by a decorator or inherits from a base (other than View) whose code is not visible
    here. Only then is a forged cross-site request worth anything."""
    if isinstance(view, ast.ClassDef):
        if any(ctx.qualname(base) not in _PLAIN_VIEW_BASES for base in view.bases):
            return True  # a mixin or generic view: handlers (and their session use) are inherited
        names = {m.args.args[1].arg for m in view.body
                 if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and len(m.args.args) > 1}
    else:
        if any(_is_login_decorator(d) for d in view.decorator_list):
            return True
        names = {view.args.args[0].arg} if view.args.args else set()
    for parent in ast.walk(view):
        for child in ast.iter_child_nodes(parent):
            if not _is_request(child, names) or isinstance(parent, (ast.arguments, ast.arg)):
                continue
            if isinstance(parent, ast.Attribute) and parent.value is child:
                if parent.attr in _AMBIENT_CREDENTIALS:
                    return True
                continue  # request.body, request.POST, request.headers, request.build_absolute_uri()
            return True  # the request itself handed on or stored: its user and session go with it
    return False


def _is_request(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    return (isinstance(node, ast.Attribute) and node.attr == "request"
            and isinstance(node.value, ast.Name) and node.value.id == "self")


# Decorators that make a view depend on the logged-in user.
_LOGIN_DECORATORS = re.compile(r"^(login_required|permission_required|user_passes_test|staff_member_required)$")


def _is_login_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return bool(_LOGIN_DECORATORS.match(last_name(target) or ""))


def _marked_login_not_required(view, ctx: RuleContext) -> bool:
    """@login_not_required (Django 5.1's LoginRequiredMiddleware opt-out), also through
    method_decorator on a class."""
    for decorator in getattr(view, "decorator_list", ()):
        if ctx.qualname(decorator) in LOGIN_NOT_REQUIRED:
            return True
        if isinstance(decorator, ast.Call) and decorator.args and ctx.qualname(decorator.args[0]) in LOGIN_NOT_REQUIRED:
            return True
    return False
