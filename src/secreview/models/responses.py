"""Web responses: the calls that make a response (or a body the framework serializes), the calls
that make JSON text, and the classes a function's return annotation may name for a response.

Read by the reflected-XSS rule (rules/web.py) where a view returns or writes a body, and by the
data flow (dataflow/responses.py) to tell, in a function's summary, whether what it returns is a
response object or JSON rather than HTML text: a view returning ``status_of(uuid)`` (a helper
returning a dict) or ``send_report(path)`` (a helper returning ``Response(...)``) returns no HTML
body of its own.
"""

# Responses that are HTML only when they say so: Starlette's Response sends no Content-Type of
# its own, aiohttp's is text/plain for text= (application/octet-stream for body=), Litestar's is
# JSON unless media_type says otherwise.
DECLARED_TYPE_RESPONSES = (
    "starlette.responses.Response", "fastapi.Response", "fastapi.responses.Response",
    "aiohttp.web.Response", "aiohttp.web_response.Response",
    "litestar.Response", "litestar.response.Response", "litestar.response.base.Response",
)
HTML_RESPONSES = (
    "flask.make_response", "flask.Response", "werkzeug.wrappers.Response", "django.http.HttpResponse",
    "django.http.HttpResponseBadRequest", "django.http.HttpResponseNotFound", "django.http.response.HttpResponse",
    "starlette.responses.HTMLResponse", "fastapi.responses.HTMLResponse", *DECLARED_TYPE_RESPONSES,
    # WebOb's Response (Pyramid's) is text/html unless told otherwise; Sanic's html().
    "pyramid.response.Response", "webob.Response", "webob.response.Response",
    "sanic.html", "sanic.response.html",
    # CherryPy's file object response: the object's bytes, sent as its content_type= says (with
    # none given, CherryPy's default text/html).
    "cherrypy.lib.static.serve_fileobj",
)
# Responses made by calls that are not HTML or not made of the value (checked by their own rules
# when they matter): Sanic's text/json/empty/raw bodies, files (path-traversal) and redirections;
# Bottle's files (confined to their root) and templates (SimpleTemplate escapes {{ }}; a template
# *source* from the request is the template-injection rule's).
NOT_HTML_RESPONSES = frozenset({
    *(f"{module}.{name}" for module in ("sanic", "sanic.response")
      for name in ("text", "json", "empty", "raw", "file", "file_stream", "redirect")),
    "bottle.static_file", "bottle.template", "bottle.jinja2_template", "bottle.mako_template",
    # Bottle's error responses: the default error page prints the body through SimpleTemplate,
    # which escapes it (``HTTPError(404, f"No {name}")``; an app's own @app.error handler is not seen).
    "bottle.HTTPError", "bottle.abort",
    "quart.send_file", "quart.helpers.send_file",
    # CherryPy's files from disk (their path is the path rules'; the type follows the file's name).
    "cherrypy.lib.static.serve_file", "cherrypy.lib.static.serve_download",
})
# Calls that make the response (or an escaped rendering) by their last name, whatever module they
# come from: checked where they are made, or safe by construction. Also any call whose last name
# ends in "Response" (``JSONResponse``, ``FileResponse``...).
RESPONSE_BUILDERS = frozenset({
    "jsonify", "render_template", "render", "redirect", "make_response", "send_file", "send_from_directory",
    "abort", "url_for", "stream_with_context", "render_to_response", "JSONResponse", "JsonResponse",
    "json_response",  # (aiohttp's)
    "render_template_string",  # (autoescaped; checked at the call: see rules/web.py _check_template_string)
    # An application's own response class (``current_app.response_class(body, mimetype=...)``,
    # ``app.response_class``): Flask's Response, checked like one where it is made.
    "response_class",
})
RESPONSE_SUFFIX = "Response"
# Calls of a function this review cannot see (a library's, or one a plugin toolkit hands out at run
# time, ``h.redirect_to(...)`` of CKAN's helper registry) that make a response object by their name,
# never an HTML body of the caller's: a redirection (CKAN's and Pylons' ``redirect_to``) and the
# snake-case ``*_response`` makers (``storage.as_response(data)``, ``to_response()``). A project
# function is judged by its summary instead, whatever its name; a maker naming HTML
# (``html_response(body)``) makes its body from what it is given, so it stays text.
UNSEEN_RESPONSE_MAKERS = frozenset({"redirect_to"})
UNSEEN_RESPONSE_MAKER_SUFFIX = "_response"
UNSEEN_HTML_MAKER_WORD = "html"
# Methods of template objects that give the rendered text (``Template(src).render(q=q)``, a Tornado
# template's ``generate()``): text, whether escaped or not, not a response -- though named like one.
OBJECT_RENDER_METHODS = frozenset({"render", "render_async", "generate"})
# Text that is JSON: a view returning it as a str has Flask send it as text/html (a browser opening
# the URL renders it), so it is still HTML, but it is meant for script (medium confidence at most).
JSON_TEXT_CALLS = frozenset({
    "json.dumps", "simplejson.dumps", "flask.json.dumps", "ujson.dumps", "rapidjson.dumps",
})
# Response classes a function's return annotation may name (``def send(...) -> Response``): what it
# returns is a response object, whose body is checked where it is made.
RESPONSE_CLASSES = frozenset({
    "flask.Response", "flask.wrappers.Response", "werkzeug.Response", "werkzeug.wrappers.Response",
    "werkzeug.wrappers.response.Response", "werkzeug.sansio.response.Response",
    "quart.Response", "quart.wrappers.Response",
    "django.http.HttpResponse", "django.http.response.HttpResponse", "django.http.HttpResponseBase",
    "django.http.response.HttpResponseBase", "django.http.StreamingHttpResponse", "django.http.FileResponse",
    "starlette.responses.Response", "fastapi.Response", "fastapi.responses.Response",
})
# Methods of a response object that return it (``response = response.make_conditional(environ)``):
# the name keeps what it was bound to before.
RESPONSE_RETURNING_METHODS = frozenset({"make_conditional"})
# Flask-RESTful / Flask-RESTX resources: what their HTTP methods return is serialized by the Api
# (JSON by default, strings included), unless the Api registers a representation for HTML
# (``@api.representation("text/html")``). A Response object they return is checked where it is made.
REST_RESOURCE_CLASSES = frozenset({"flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource"})
REST_REPRESENTATION = "representation"
# Frameworks whose handlers set the response's Content-Type before they return or write the body
# (``self.set_header("Content-Type", ...)``, ``response.content_type = ...``,
# ``request.setHeader(b"content-type", ...)``): a helper doing so declares its body's type.
CONTENT_TYPE_DECLARING_MODULES = ("tornado", "bottle", "cherrypy", "twisted.web", "klein")
# A response sent with ``Content-Disposition: attachment`` is saved by the browser, not rendered
# (``resp["Content-Disposition"] = "attachment; filename=..."``): whatever its type, no script in
# it runs. The header's value starts with that word, or is made by one of these calls with its
# first argument (``as_attachment``) true.
ATTACHMENT_DISPOSITION = "attachment"
ATTACHMENT_HEADER_CALLS = frozenset({"django.utils.http.content_disposition_header"})
