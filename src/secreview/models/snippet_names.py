"""Snippets only (``secreview review -``, never files): the well-known names of web frameworks that
a view pasted without its imports uses (``return redirect(request.args["next"])``). When a
snippet's framework is assumed or evident (see inputs/snippet.py), each of these names the snippet
uses without binding or importing it is taken as the framework's: name -> qualified name.
"""
from __future__ import annotations

FLASK_NAMES: dict[str, str] = {
    "request": "flask.request", "redirect": "flask.redirect", "render_template_string": "flask.render_template_string",
    "render_template": "flask.render_template", "send_file": "flask.send_file",
    "send_from_directory": "flask.send_from_directory", "make_response": "flask.make_response",
    "Markup": "markupsafe.Markup", "escape": "markupsafe.escape", "abort": "flask.abort", "url_for": "flask.url_for",
    "session": "flask.session", "jsonify": "flask.jsonify", "Response": "flask.Response", "g": "flask.g",
    "Flask": "flask.Flask", "Blueprint": "flask.Blueprint", "current_app": "flask.current_app",
    "secure_filename": "werkzeug.utils.secure_filename", "safe_join": "werkzeug.security.safe_join",
}

DJANGO_NAMES: dict[str, str] = {
    "HttpResponse": "django.http.HttpResponse", "HttpResponseRedirect": "django.http.HttpResponseRedirect",
    "HttpResponsePermanentRedirect": "django.http.HttpResponsePermanentRedirect",
    "JsonResponse": "django.http.JsonResponse", "FileResponse": "django.http.FileResponse",
    "StreamingHttpResponse": "django.http.StreamingHttpResponse", "Http404": "django.http.Http404",
    "HttpResponseBadRequest": "django.http.HttpResponseBadRequest",
    "HttpResponseForbidden": "django.http.HttpResponseForbidden", "redirect": "django.shortcuts.redirect",
    "render": "django.shortcuts.render", "get_object_or_404": "django.shortcuts.get_object_or_404",
    "mark_safe": "django.utils.safestring.mark_safe", "format_html": "django.utils.html.format_html",
    "escape": "django.utils.html.escape", "render_to_string": "django.template.loader.render_to_string",
    "Template": "django.template.Template", "settings": "django.conf.settings",
    "connection": "django.db.connection", "RawSQL": "django.db.models.expressions.RawSQL",
    "url_has_allowed_host_and_scheme": "django.utils.http.url_has_allowed_host_and_scheme",
    "login_required": "django.contrib.auth.decorators.login_required",
    "csrf_exempt": "django.views.decorators.csrf.csrf_exempt",
}

FASTAPI_NAMES: dict[str, str] = {
    "FileResponse": "fastapi.responses.FileResponse", "RedirectResponse": "fastapi.responses.RedirectResponse",
    "HTMLResponse": "fastapi.responses.HTMLResponse", "JSONResponse": "fastapi.responses.JSONResponse",
    "PlainTextResponse": "fastapi.responses.PlainTextResponse", "Response": "fastapi.Response",
    "Request": "fastapi.Request", "HTTPException": "fastapi.HTTPException", "Depends": "fastapi.Depends",
    "Query": "fastapi.Query", "Path": "fastapi.Path", "Form": "fastapi.Form", "Header": "fastapi.Header",
    "Cookie": "fastapi.Cookie", "Body": "fastapi.Body", "UploadFile": "fastapi.UploadFile", "File": "fastapi.File",
    "FastAPI": "fastapi.FastAPI", "APIRouter": "fastapi.APIRouter",
}

# Checks and sanitizers of one library that web code of any framework imports (a Flask view
# checking its redirect with Django's url_has_allowed_host_and_scheme): resolved in a snippet of
# any assumed framework (a name of the framework's own table wins).
SNIPPET_HELPER_NAMES: dict[str, str] = {
    "url_has_allowed_host_and_scheme": "django.utils.http.url_has_allowed_host_and_scheme",
    "is_safe_url": "django.utils.http.is_safe_url", "secure_filename": "werkzeug.utils.secure_filename",
    "safe_join": "werkzeug.security.safe_join",
}

# Framework -> (its names, the module a snippet of it is taken to import: a marker, so that what
# the models know of the framework's modules -- Django's upload names, Flask's uploads, a request
# parameter of a view -- applies as in a file that imports it).
SNIPPET_FRAMEWORKS: dict[str, tuple[dict[str, str], str]] = {
    "Flask": (FLASK_NAMES, "flask"),
    "Django": (DJANGO_NAMES, "django"),
    "FastAPI": (FASTAPI_NAMES, "fastapi"),
}
# What the snippet's free ``request`` is taken as when the request object's attributes point to
# a framework without a table here (``request.query_params``: DRF, built on Django).
SNIPPET_FRAMEWORK_OF_REQUEST: dict[str, str] = {"Django REST framework": "Django"}
# The modules whose import in a snippet makes its framework evident (top-level names).
SNIPPET_FRAMEWORK_MODULES: dict[str, str] = {
    "flask": "Flask", "werkzeug": "Flask", "django": "Django", "rest_framework": "Django", "fastapi": "FastAPI",
    "starlette": "FastAPI",
}
# The Flask application object a pasted module-level snippet uses without creating it:
# ``@app.route(...)``, ``app.run(...)``, ``app.config[...]`` (read as flask.current_app's).
FLASK_APP_NAME = "app"
FLASK_APP_ATTRIBUTES = frozenset({"route", "run", "config", "secret_key", "logger", "before_request", "after_request",
                                  "errorhandler", "register_blueprint", "debug", "jinja_env", "add_url_rule"})
# A free ``session`` used with one of these is a database session (SQLAlchemy's), not Flask's.
DB_SESSION_METHODS = frozenset({"execute", "query", "add", "add_all", "commit", "rollback", "delete", "flush", "scalars",
                                "scalar", "merge", "refresh", "begin", "get_bind", "exec"})
# ``@app.get(...)``/``@router.post(...)`` in a snippet that imports nothing: FastAPI's routes.
FASTAPI_ROUTE_METHODS = frozenset({"get", "post", "put", "delete", "patch", "api_route", "websocket"})
FASTAPI_ROUTER_NAMES = frozenset({"app", "router", "api"})
# Attributes of a view's ``request`` parameter that are Django's (``def view(request):
# request.FILES[...]``): with them, a snippet of ``def`` views is taken as Django's.
DJANGO_REQUEST_ATTRIBUTES = frozenset({"GET", "POST", "FILES", "META", "COOKIES", "body", "user", "method", "session",
                                       "get_full_path", "build_absolute_uri", "path_info"})
