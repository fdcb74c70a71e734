"""Sources of untrusted data, by framework. Confidence reflects how surely an attacker controls
the value: HTTP request data (high) > command line, network reads (medium) > environment and
parameters of public library functions (low: *possible* input)."""
from secreview.findings import Level

HIGH, MEDIUM, LOW = Level.HIGH, Level.MEDIUM, Level.LOW

# Import-resolved attribute chains that are untrusted wherever they are read (prefix match:
# ``flask.request.args`` covers ``flask.request.args.get(...)`` and ``flask.request.args["x"]``).
SOURCE_ATTRIBUTES: dict[str, tuple[str, Level]] = {
    # Flask / Werkzeug request proxy
    "flask.request.args": ("HTTP query parameter", HIGH),
    "flask.request.form": ("HTTP form field", HIGH),
    "flask.request.values": ("HTTP request parameter", HIGH),
    "flask.request.json": ("HTTP JSON body", HIGH),
    "flask.request.data": ("HTTP request body", HIGH),
    "flask.request.cookies": ("HTTP cookie", HIGH),
    "flask.request.headers": ("HTTP header", HIGH),
    "flask.request.files": ("uploaded file", HIGH),
    "flask.request.view_args": ("URL path parameter", HIGH),
    "flask.request.stream": ("HTTP request body", HIGH),
    "flask.request.path": ("HTTP request path", HIGH),
    "flask.request.full_path": ("HTTP request path", HIGH),
    "flask.request.url": ("HTTP request URL", HIGH),
    "flask.request.query_string": ("HTTP query string", HIGH),
    "flask.request.environ": ("WSGI environment", HIGH),
    "flask.request.referrer": ("HTTP Referer header", HIGH),
    "flask.request.user_agent": ("HTTP User-Agent header", HIGH),
    "flask.request.authorization": ("HTTP Authorization header", HIGH),  # (.username, .password, .token)
    "flask.request.get_json": ("HTTP JSON body", HIGH),
    "flask.request.get_data": ("HTTP request body", HIGH),
    "bottle.request": ("HTTP request data", HIGH),
    # Quart: Flask's API, asynchronous (``await request.form``, ``await request.get_data()``)
    **{f"quart.request.{attribute}": (description, HIGH) for attribute, description in {
        "args": "HTTP query parameter", "form": "HTTP form field", "values": "HTTP request parameter",
        "json": "HTTP JSON body", "data": "HTTP request body", "body": "HTTP request body", "cookies": "HTTP cookie",
        "headers": "HTTP header", "files": "uploaded file", "view_args": "URL path parameter", "path": "HTTP request path",
        "full_path": "HTTP request path", "url": "HTTP request URL", "query_string": "HTTP query string",
        "referrer": "HTTP Referer header", "user_agent": "HTTP User-Agent header",
        "authorization": "HTTP Authorization header", "get_json": "HTTP JSON body", "get_data": "HTTP request body",
    }.items()},
    # CherryPy's request (thread-local): ``params`` (query and form), the body (``body.read()``,
    # ``json`` with the json_in tool), headers, cookies, the query string and path.
    **{f"cherrypy.request.{attribute}": (description, HIGH) for attribute, description in {
        "params": "HTTP request parameter", "body": "HTTP request body", "body_params": "HTTP form field",
        "json": "HTTP JSON body", "headers": "HTTP header", "header_list": "HTTP header", "cookie": "HTTP cookie",
        "query_string": "HTTP query string", "path_info": "HTTP request path", "request_line": "HTTP request line",
    }.items()},
    # Command line and environment
    "sys.argv": ("command-line argument", MEDIUM),
    "os.environ": ("environment variable", LOW),
    "os.environb": ("environment variable", LOW),
    "sys.stdin": ("standard input", MEDIUM),
}

# A file object carries the file's contents (not the path it was opened with): possible input of
# low confidence -- most files a program reads are its own.
FILE_CONTENTS: tuple[str, Level] = ("file contents", LOW)

# Calls whose return value is untrusted.
SOURCE_CALLS: dict[str, tuple[str, Level]] = {
    **{name: FILE_CONTENTS for name in ("open", "builtins.open", "io.open", "codecs.open")},
    # A ConfigParser holds what the files it reads say (``cp.read(path)``, then ``cp.get(section,
    # option)``, ``cp[section][option]``): file contents, as ``tomllib.load(open(...))``'s values.
    **{f"configparser.{name}": FILE_CONTENTS for name in ("ConfigParser", "RawConfigParser", "SafeConfigParser")},
    "input": ("interactive input", MEDIUM),
    "raw_input": ("interactive input", MEDIUM),
    "click.prompt": ("interactive input", MEDIUM),
    "typer.prompt": ("interactive input", MEDIUM),
    "os.getenv": ("environment variable", LOW),
    "os.getenvb": ("environment variable", LOW),
    "os.environ.get": ("environment variable", LOW),
    # An HTTP response from a URL the program chose is controlled by that service, not by the
    # client: possible input (low), unlike a socket a server reads client data from (medium).
    "urllib.request.urlopen": ("network response", LOW),
    "requests.get": ("network response", LOW),
    "requests.post": ("network response", LOW),
    "httpx.get": ("network response", LOW),
    "flask.request.get_json": ("HTTP JSON body", HIGH),
    "flask.request.get_data": ("HTTP request body", HIGH),
    "flask.request.args.get": ("HTTP query parameter", HIGH),
    "flask.request.form.get": ("HTTP form field", HIGH),
    "flask.request.cookies.get": ("HTTP cookie", HIGH),
    "flask.request.headers.get": ("HTTP header", HIGH),
    "quart.request.get_json": ("HTTP JSON body", HIGH),
    "quart.request.get_data": ("HTTP request body", HIGH),
    "quart.request.args.get": ("HTTP query parameter", HIGH),
    "quart.request.cookies.get": ("HTTP cookie", HIGH),
    "quart.request.headers.get": ("HTTP header", HIGH),
    "cherrypy.request.params.get": ("HTTP request parameter", HIGH),
    "cherrypy.request.headers.get": ("HTTP header", HIGH),
    # The URL of the request a WSGI environment describes, rebuilt from it (its Host header, its
    # path): as ``request.url`` is (the site's own address, not a place a link chooses).
    "wsgiref.util.application_uri": ("HTTP request URL", HIGH),
    "wsgiref.util.request_uri": ("HTTP request URL", HIGH),
}

# Prompts that convert the answer as a click parameter would: ``click.prompt("port", type=int)``
# returns an int (click asks again until it is one); ``type=click.Choice([...])`` one of the choices.
CONVERTING_PROMPTS = frozenset({"click.prompt", "typer.prompt"})

# Any call of these methods, whatever the receiver, returns untrusted data (sockets, argparse).
SOURCE_METHODS: dict[str, tuple[str, Level]] = {
    "recv": ("network data (socket)", MEDIUM),
    "recvfrom": ("network data (socket)", MEDIUM),
    "recv_bytes": ("network data (connection)", MEDIUM),
    # argparse / optparse: the parsed command line, as untrusted as sys.argv
    "parse_args": ("command-line argument", MEDIUM),
    "parse_known_args": ("command-line argument", MEDIUM),
    # pathlib's reads (also zipfile.Path's, importlib.resources' and anyio's paths): the file's
    # contents, as ``open()``'s -- not the path they are called on, whose origin is the path
    # rules' business (``Path(argv[1]).read_text()`` is a file the operator names, not
    # command-line text).
    "read_text": FILE_CONTENTS,
    "read_bytes": FILE_CONTENTS,
}
# Messages a FastAPI/Starlette WebSocket receives from the client (``await ws.receive_text()``,
# ``async for message in ws.iter_json()``; ``receive()`` gives the ASGI message holding them): as
# untrusted as an HTTP request's body (high). Only on a parameter annotated with one of
# WEBSOCKET_CLASSES (a bare ``WebSocket`` when the name resolves to nothing else), which is how
# FastAPI gives a websocket route its connection (see dataflow/received.py).
WEBSOCKET_MESSAGE: tuple[str, Level] = ("WebSocket message", HIGH)
WEBSOCKET_RECEIVE_METHODS = frozenset({
    "receive", "receive_text", "receive_bytes", "receive_json", "iter_text", "iter_bytes", "iter_json",
})
WEBSOCKET_CLASSES = frozenset({
    "fastapi.WebSocket", "fastapi.websockets.WebSocket", "starlette.websockets.WebSocket", "WebSocket",
})
# asyncio's stream servers call the handler they are given (``asyncio.start_server(handle, host,
# port)``, or ``client_connected_cb=handle``) with a StreamReader of the client's connection
# first: what it reads (``await reader.readline()``, ``read(n)``, ``readexactly(n)``,
# ``readuntil(b"\n")``, ``async for line in reader``) is network data, as a socket's ``recv``
# (medium). Handlers of the same file, by name (a function, or ``self.handle``: the file's
# methods of that name).
STREAM_DATA: tuple[str, Level] = ("network data (stream)", MEDIUM)
STREAM_READ_METHODS = frozenset({"read", "readline", "readexactly", "readuntil"})
STREAM_SERVERS = frozenset({
    "asyncio.start_server", "asyncio.start_unix_server", "asyncio.streams.start_server",
    "asyncio.streams.start_unix_server",
})
# Methods that give the file's contents only when called on a pathlib path (``Path(p).open()``,
# ``(base / name).open("rb")``, a parameter annotated ``Path``; see rules/_pathlib.py): the same
# name on another object is something else (``ZipFile.open(member)``, a storage's ``open(name)``,
# ``webbrowser.open(url)``), whose result keeps carrying what it was given.
PATH_SOURCE_METHODS: dict[str, tuple[str, Level]] = {
    "open": FILE_CONTENTS,
}
# werkzeug's uploaded files (``FileStorage``: the values of Flask's ``request.files``), for the
# methods that touch the file system only on one (``upload.save(dst)`` writes the file at ``dst``;
# a Django model's ``save()`` or PIL's ``Image.save(path)`` is something else; see
# facts/uploads.py and rules/paths.py). An expression is one when it reads a value of one of these
# multi-dicts (``files["f"]``, ``files.get("f")``), iterates over their values
# (``for f in files.getlist("f")``, ``files.values()``), or is a parameter annotated with one of
# these classes (also in ``Optional[...]``, ``... | None``).
UPLOADED_FILE_CONTAINERS = frozenset({"flask.request.files"})
UPLOADED_FILE_READS = frozenset({"get"})
UPLOADED_FILE_LISTS = frozenset({"getlist", "values"})
# Pairs whose second item is an uploaded file: ``for name, f in request.files.items()``.
UPLOADED_FILE_PAIRS = frozenset({"items"})
UPLOADED_FILE_CLASSES = frozenset({
    "werkzeug.datastructures.FileStorage", "werkzeug.datastructures.file_storage.FileStorage", "werkzeug.FileStorage",
})
# The modules a file must import for any of its expressions to be one (the cheap test first).
UPLOADED_FILE_MODULES = ("flask", "werkzeug")

# Archives (see facts/archives.py): the names of their members are chosen by whoever built the
# archive, not by the program extracting it -- nor by the operator naming the archive on the
# command line: a downloaded package, an uploaded bundle, a backup from another host. A member
# named ``../../etc/cron.d/x`` or ``/etc/passwd`` written with ``open(os.path.join(dest, name))``
# escapes ``dest`` ("zip slip", CWE-22). Medium confidence, as a socket's data: most archives a
# program unpacks come from elsewhere, some are its own. An expression is an archive when it is a
# call of one of ARCHIVE_OPENERS, or a name every binding of which is one (``with ... as zf``
# included), or a parameter annotated with one of ARCHIVE_CLASSES.
ARCHIVE_MEMBER_NAME: tuple[str, Level] = ("archive member name", MEDIUM)
ARCHIVE_OPENERS: dict[str, str] = {
    "zipfile.ZipFile": "zipfile.ZipFile", "zipfile.PyZipFile": "zipfile.ZipFile",
    "tarfile.open": "tarfile.TarFile", "tarfile.TarFile": "tarfile.TarFile", "tarfile.TarFile.open": "tarfile.TarFile",
    "tarfile.TarFile.gzopen": "tarfile.TarFile", "tarfile.TarFile.bz2open": "tarfile.TarFile",
    "tarfile.TarFile.xzopen": "tarfile.TarFile", "tarfile.TarFile.taropen": "tarfile.TarFile",
}
ARCHIVE_CLASSES = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile", "tarfile.TarFile"})
ARCHIVE_MODULES = ("zipfile", "tarfile")
# Methods of an archive giving its members (names, ZipInfo/TarInfo objects whose ``filename``/
# ``name``/``linkname`` are the names): archive member names. Iterating over a TarFile (``for m in
# tf``) gives its members too.
ARCHIVE_MEMBER_METHODS = frozenset({"namelist", "infolist", "getnames", "getmembers", "next"})
# Methods of an archive giving a member's contents or a file object reading them (``zf.read(info)``,
# ``zf.open(name)``, ``tf.extractfile(m)``): not the member's name. The result carries what the
# archive object and the arguments carry, less the member names.
ARCHIVE_CONTENT_METHODS = frozenset({"read", "open", "extractfile"})
# (``getinfo(name)``/``getmember(name)`` give the member named so: it carries the name asked for.)

# A function parameter with one of these names is an HTTP request object (Django, DRF,
# Starlette/FastAPI, aiohttp, Pyramid, Tornado handlers' self.request...). Reading one of the
# attributes below from it yields untrusted data.
# Only in a module that imports a web framework: elsewhere (an HTTP client such as requests, a
# test helper) a ``request`` parameter is not an incoming HTTP request.
WEB_FRAMEWORK_MODULES = (
    "django", "rest_framework", "ninja", "flask", "quart", "werkzeug", "starlette", "fastapi", "litestar",
    "aiohttp", "tornado", "pyramid", "falcon", "bottle", "sanic", "cherrypy", "webob", "channels",
    "datasette",  # (its views and plugins' routes get a ``request``: datasette.utils.asgi.Request)
    "klein",  # (Twisted's routing: ``@app.route`` handlers get the twisted.web request first)
)
# A Datasette plugin may take its ``hookimpl`` from pluggy (``HookimplMarker("datasette")``) rather
# than import datasette: a module-level function of one of these hook names, decorated by a
# ``hookimpl``, makes the file a Datasette one (the views its ``register_routes`` returns get a
# Request in ``request``; the regex's named groups are in ``request.url_vars``, not parameters).
DATASETTE_ROUTE_HOOKS = frozenset({"register_routes"})
DATASETTE_HOOK_MARKER = "hookimpl"
# Attributes only web frameworks' request objects have (Django's ``request.GET``, DRF's
# ``query_params``...): a source even in a helper module that imports no framework.
FRAMEWORK_ONLY_REQUEST_ATTRIBUTES = frozenset({
    "GET", "POST", "COOKIES", "META", "FILES", "query_params", "path_params", "match_info", "matchdict",
    "view_args", "get_json", "raw_post_data", "get_full_path", "get_argument", "get_query_argument",
    "get_body_argument", "body_arguments", "query_arguments", "json_body", "get_param", "get_param_as_list",
    # Twisted's request (twisted.web.server.Request): its camel-case readers
    "getHeader", "getCookie", "getAllHeaders", "requestHeaders", "received_cookies", "postpath",
})
REQUEST_PARAMETER_NAMES = frozenset({"request", "req", "http_request"})
REQUEST_ATTRIBUTES: dict[str, str] = {
    "GET": "HTTP query parameter", "POST": "HTTP form field", "COOKIES": "HTTP cookie",
    "META": "HTTP header", "body": "HTTP request body", "FILES": "uploaded file",
    "headers": "HTTP header", "data": "HTTP request body", "query_params": "HTTP query parameter",
    "path_params": "URL path parameter", "cookies": "HTTP cookie", "args": "HTTP query parameter",
    "form": "HTTP form field", "json": "HTTP JSON body", "values": "HTTP request parameter",
    "query": "HTTP query parameter", "match_info": "URL path parameter", "content": "HTTP request body",
    "raw_post_data": "HTTP request body", "path": "HTTP request path", "path_info": "HTTP request path",
    "get_full_path": "HTTP request path", "get_json": "HTTP JSON body", "get_data": "HTTP request body",
    "post": "HTTP form field", "text": "HTTP request body", "read": "HTTP request body",
    "params": "HTTP request parameter", "url": "HTTP request URL", "query_string": "HTTP query string",
    "arguments": "HTTP request parameter", "get_argument": "HTTP request parameter",
    "get_query_argument": "HTTP query parameter", "get_body_argument": "HTTP form field",
    "environ": "WSGI environment", "referrer": "HTTP Referer header", "stream": "HTTP request body",
    "view_args": "URL path parameter", "matchdict": "URL path parameter", "body_arguments": "HTTP form field",
    "rel_url": "HTTP request URL",  # (aiohttp: the path and query string)
    # Tornado's ``self.request`` (an HTTPServerRequest): the query's and the body's arguments
    # apart, the URI (path and query), the uploaded files.
    "query_arguments": "HTTP query parameter", "uri": "HTTP request URL", "files": "uploaded file",
    # Pyramid (WebOb): the body parsed as JSON.
    "json_body": "HTTP JSON body",
    # Falcon's ``req``: parameters (``get_param_as_int`` and the like convert: not here), headers,
    # the parsed body (``req.media``, ``await req.get_media()``) and its streams, the URI.
    "get_param": "HTTP request parameter", "get_param_as_list": "HTTP request parameter",
    "get_header": "HTTP header", "get_cookie_values": "HTTP cookie", "media": "HTTP request body",
    "get_media": "HTTP request body", "bounded_stream": "HTTP request body", "relative_uri": "HTTP request URL",
    "get_cookie": "HTTP cookie",  # (Bottle's ``request.get_cookie``; Tornado's handler method, see TORNADO_HANDLER_READS)
    # Datasette's Request: the route regex's named groups, the parsed form body (``await
    # request.post_vars()``) and the raw one (``await request.post_body()``).
    "url_vars": "URL path parameter", "post_vars": "HTTP form field", "post_body": "HTTP request body",
    # Twisted's request (twisted.web.server.Request, also Klein's): ``args`` (query and form),
    # ``content`` (the body, a file), ``uri``/``path`` as above; headers and cookies by name, the
    # path segments not consumed yet, HTTP basic authentication's user and password.
    "getHeader": "HTTP header", "getAllHeaders": "HTTP header", "requestHeaders": "HTTP header",
    "getCookie": "HTTP cookie", "received_cookies": "HTTP cookie", "postpath": "URL path parameter",
    "prepath": "HTTP request path", "getUser": "HTTP Authorization header", "getPassword": "HTTP Authorization header",
}
# The request's URL objects (Starlette's ``request.url``, aiohttp's ``request.url`` and
# ``request.rel_url``): their query (``request.rel_url.query["q"]``, a multi-dict in aiohttp, the
# query string in Starlette) holds the query parameters, as ``request.query`` does.
REQUEST_URL_ATTRIBUTES = frozenset({"url", "rel_url"})
REQUEST_URL_PARTS: dict[str, str] = {"query": "HTTP query parameter", "query_string": "HTTP query string"}

# Snippets only (``secreview review -``, never files): a view body pasted without its imports reads
# a free name ``request`` -- one the snippet neither binds nor imports. Read with one of these
# attributes (and none that points to another framework), it is taken as the web framework's
# request object: a likely source, not a certain one (the file it came from may bind ``request``
# to something else), so medium confidence. Attribute -> the frameworks whose request object has it
# (the first is named on the trace). The descriptions are REQUEST_ATTRIBUTES'.
SNIPPET_REQUEST_CONFIDENCE = MEDIUM
SNIPPET_REQUEST_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "form": ("Flask",), "args": ("Flask",), "values": ("Flask", "Pyramid"), "json": ("Flask", "Pyramid"),
    "get_json": ("Flask",), "get_data": ("Flask",), "data": ("Flask", "Django REST framework"), "files": ("Flask",),
    "cookies": ("Flask", "Pyramid"), "headers": ("Flask", "Pyramid"), "view_args": ("Flask",),
    "GET": ("Django", "Pyramid"), "POST": ("Django", "Pyramid"), "COOKIES": ("Django",), "META": ("Django",),
    "body": ("Django", "Pyramid"), "query_params": ("Django REST framework",), "matchdict": ("Pyramid",),
}

# Decorators that make a function an HTTP route: ``@app.route``, ``@bp.get``, ``@router.post``...
# Its parameters (other than request objects and injected dependencies) come from the URL/query.
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "websocket", "view_config"})
NOT_USER_PARAMETERS = frozenset({"self", "cls", "request", "req", "db", "session", "background_tasks", "response"})
# A handler parameter whose default (or ``Annotated`` metadata) is one of these calls is a dependency
# the framework computes (``db: Session = Depends(get_db)``), not a request value.
DEPENDENCY_MARKERS = frozenset({"Depends", "Security"})
# Objects the framework injects by their annotation (qualified names, then bare names for an
# annotation that cannot be resolved: the whole name must match, so ``BackupRequest`` is data).
FRAMEWORK_OBJECT_TYPES = frozenset({
    "fastapi.Request", "starlette.requests.Request", "fastapi.Response", "starlette.responses.Response",
    "fastapi.BackgroundTasks", "starlette.background.BackgroundTasks", "fastapi.WebSocket",
    "starlette.websockets.WebSocket", "starlette.requests.HTTPConnection", "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session", "sqlalchemy.ext.asyncio.AsyncSession", "fastapi.security.SecurityScopes",
})
FRAMEWORK_OBJECT_NAMES = frozenset({"Request", "Response", "BackgroundTasks", "WebSocket", "HTTPConnection", "Session",
                                    "AsyncSession", "SecurityScopes"})
# Classes whose ``__init__`` is generated from the fields they declare (``q: str = ""``): a
# dependency class FastAPI calls (``f: Filters = Depends()``) fills those fields from the request.
# By decorator (qualified names), or by base class (qualified names; a subclass of the module's
# own such class is one too).
FIELD_CLASS_DECORATORS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})
FIELD_CLASS_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel", "sqlmodel.SQLModel", "ninja.Schema",
                               "ninja.schema.Schema", "msgspec.Struct"})  # (Django Ninja's Schema is a pydantic model)
FIELD_CLASS_MODULES = frozenset(name.split(".")[0] for name in FIELD_CLASS_DECORATORS | FIELD_CLASS_BASES)
# Modules whose classes may be FastAPI dependency classes of another module's routes (see
# dataflow/dependencies.py): a module importing one of these tells what FastAPI gives them.
DEPENDENCY_CLASS_MODULES = ("fastapi", "pydantic", "sqlmodel", "ninja")
# Markers that make a parameter annotated with a dataclass or pydantic model a *parameter model*
# (``Annotated[Filters, Query()]``): FastAPI fills each field from that part of the request.
PARAMETER_MODEL_MARKERS = frozenset({"Query", "Header", "Cookie", "Form"})
# A route parameter annotated with one of these classes and no marker (or ``Body()``) is the JSON
# request body (``def create(item: Item)``): FastAPI has pydantic validate each field, so each is
# read as its annotation says (an ``int`` field carries nothing, a ``str`` one is body text).
BODY_MODEL_KIND = "HTTP request body"
# The frameworks reading a parameter so annotated from the body: FastAPI, and Django Ninja (a
# ``Schema`` parameter of ``@api.post(...)``).
BODY_MODEL_FRAMEWORKS = {"fastapi": "FastAPI", "ninja": "Django Ninja", "litestar": "Litestar"}
# Django Ninja: the objects routes are declared on (``router = Router()``, ``api = NinjaAPI()``) and
# their route decorators (``@router.get("/sites/{id}")``). A Ninja route's parameters are read as
# FastAPI's (the path's, else query parameters, a Schema the JSON body), and what it returns is
# serialized to JSON by the API's renderer (unless given ``renderer=``).
NINJA_ROUTERS = frozenset({"ninja.Router", "ninja.router.Router", "ninja.NinjaAPI", "ninja.main.NinjaAPI"})
NINJA_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "api_operation"})
# pydantic's declarations of a pattern a string field must match (``Field(pattern=...)``,
# ``Annotated[str, StringConstraints(pattern=...)]``; by last name), read like ``Query(pattern=...)``;
# and the constrained-type functions taking one (``constr(pattern=...)``).
PATTERN_FIELD_MARKERS = frozenset({"Field", "StringConstraints"})
PATTERN_TYPES = frozenset({"constr"})
# pydantic validators (see dataflow/validators.py): the decorators naming the fields a method
# validates (``@field_validator("name")``, pydantic 1's ``@validator("name")``), and the
# ``Annotated`` metadata running a function on the value (``AfterValidator(check)``). pydantic keeps
# what they return. ``WrapValidator`` (and ``mode="wrap"``) hands the value to pydantic's own
# handler, read as giving it back (``return handler(v)``). The decorators of a model's validators
# (``@model_validator(mode=...)``, pydantic 1's ``@root_validator``), which check or change the
# fields of the whole model (``self.name``, ``data["name"]``).
VALIDATOR_DECORATORS = frozenset({"field_validator", "validator"})
VALIDATOR_MARKERS = frozenset({"AfterValidator", "BeforeValidator", "PlainValidator"})
WRAP_VALIDATOR_MARKERS = frozenset({"WrapValidator"})
MODEL_VALIDATOR_DECORATORS = frozenset({"model_validator", "root_validator"})
# pydantic's constrained numbers and dates (``conint(gt=0)``...): converted, as ``int`` is.
CONSTRAINED_SCALAR_TYPES = frozenset({"conint", "confloat", "condecimal", "condate"})
# Annotations of a class's attributes that its generated ``__init__`` does not take.
NOT_FIELD_ANNOTATIONS = frozenset({"ClassVar", "typing.ClassVar"})
# FastAPI's parameter markers and the part of the request each reads.
PARAMETER_KIND_MARKERS = {
    "Query": "HTTP query parameter", "Path": "URL path parameter", "Header": "HTTP header",
    "Cookie": "HTTP cookie", "Body": "HTTP request body", "Form": "HTTP form field", "File": "uploaded file",
}
# Annotations of values the framework converts before the handler runs (FastAPI/pydantic): a
# number, a date, a UUID... carries no text an injection could use.
SCALAR_ANNOTATIONS = frozenset({
    "int", "float", "bool", "UUID", "uuid.UUID", "Decimal", "decimal.Decimal", "date", "datetime",
    "datetime.date", "datetime.datetime", "time", "datetime.time", "timedelta", "datetime.timedelta",
    "PositiveInt", "NegativeInt", "NonNegativeInt", "StrictInt", "StrictFloat", "StrictBool", "UUID4",
    "NonPositiveInt", "PositiveFloat", "NegativeFloat", "NonNegativeFloat", "NonPositiveFloat", "FiniteFloat",
    "UUID1", "UUID3", "UUID5", "PastDate", "FutureDate", "PastDatetime", "FutureDatetime", "AwareDatetime",
    "NaiveDatetime",
})

# Weaknesses a source cannot cause, by source description. A path or URL given on the command
# line is the operator's own choice (not traversal/SSRF), and so is a pattern (``--filter REGEX``);
# the request *path* is a path on this
# site (redirecting to it is not an open redirect), and so is the request's own URL (Flask's
# ``redirect(request.url)`` after a failed form: a victim's browser sends this site's host; a
# server fetching it is another matter, the Host header is the client's).
# Trust boundaries (CWE-501): a value of the operator's (command line, environment, prompt, a
# file the server reads) crosses none when a program keeps it in a session (``g.user =
# find_user(username)`` in a CLI command); nor does the request's own URL or path, kept as the
# page to come back to after logging in (``session["next"] = request.url``): it names a page of
# this site, one a redirect may send the user back to (as above).
_OPERATOR_CHOICE = frozenset({22, 23, 36, 73, 918, 601, 1333, 730})  # paths, URLs, patterns
_OPERATOR_VALUES = _OPERATOR_CHOICE | {501}
SOURCE_NOT_FOR: dict[str, frozenset[int]] = {
    "command-line argument": _OPERATOR_VALUES,
    "environment variable": _OPERATOR_VALUES,
    "interactive input": _OPERATOR_VALUES,
    "standard input": _OPERATOR_VALUES,
    "file contents": _OPERATOR_VALUES,
    "HTTP request path": frozenset({601, 918, 501}),
    "HTTP request URL": frozenset({601, 501}),
}
# The Referer header as the browser sends it: the page the user came from. As a redirect target
# (``redirect(request.referrer)``, "back to where you were") it is the address of a page that
# linked here, chosen by that page and not by a link an attacker sends: the user is sent back to
# a site they were just on. Still a redirect to another site, as scanners report it: low
# confidence, the finding says why (other weaknesses: any client sets the header as it likes).
REFERER_HEADER = "HTTP Referer header"
SOURCE_LOW_FOR: dict[str, frozenset[int]] = {REFERER_HEADER: frozenset({601})}
LOW_SOURCES_BY_CWE: dict[int, frozenset[str]] = {
    cwe: frozenset(source for source, cwes in SOURCE_LOW_FOR.items() if cwe in cwes)
    for cwe in frozenset().union(*SOURCE_LOW_FOR.values())
}
# The entries of a request's headers (any case: Werkzeug's, Django's and Starlette's lookups
# ignore it) and of its WSGI environment (``request.META``, ``request.environ``) that hold it.
REFERER_ENTRIES: dict[str, frozenset[str]] = {
    "headers": frozenset({"Referer", "referer", "REFERER"}),
    "META": frozenset({"HTTP_REFERER"}),
    "environ": frozenset({"HTTP_REFERER"}),
}
REFERER_KEYS = frozenset().union(*REFERER_ENTRIES.values())

# Sources whose value may name the program an argument list starts (``subprocess.run([editor,
# path])``, a program re-running itself with ``[sys.executable, *sys.argv]``, ``--python PATH``):
# whoever types the command line, sets the environment or answers the prompt can already run any
# program, so choosing it is no injection. Finer than SOURCE_NOT_FOR (by CWE): the same values in
# a shell command line (CWE-78 too) are still reported, metacharacters split them into commands.
OPERATOR_CHOSEN_PROGRAM_SOURCES = frozenset({"command-line argument", "environment variable", "interactive input"})

# Modules or decorators that make ``def f(request, slug)`` a Django view (its other parameters
# come from the URL). A package or module named for views (``shop/views/orders.py``,
# ``shop/views.py``) holds views; ``api``/``endpoints`` name views only as the module itself
# (``shop/api.py``): an ``api`` package also holds helpers, clients and serializers
# (``shop/api/helpers.py``). Either way, a function its own file calls by name (``return
# redirect_to(request, "/home/")``) is a helper of the views, not one Django routes to
# (unless a view decorator marks it): its parameters hold what its callers pass.
DJANGO_VIEW_MODULE_PARTS = frozenset({"views", "viewsets"})
DJANGO_VIEW_MODULE_LEAVES = frozenset({"api", "endpoints"})
DJANGO_VIEW_DECORATORS = frozenset({
    "require_http_methods", "require_GET", "require_POST", "require_safe", "login_required",
    "permission_required", "csrf_exempt", "api_view", "never_cache", "cache_page",
})
# Django class-based views (and Django REST framework's): a class whose base's name ends so is a
# view; its ``self.kwargs``/``self.args`` are the URL's parameters.
DJANGO_VIEW_BASE_SUFFIXES = ("View", "ViewSet")
# Management commands: ``handle(self, *args, **options)`` receives the parsed command line.
DJANGO_COMMAND_BASES = frozenset({"BaseCommand", "LabelCommand", "AppCommand"})
# Form views call ``form_valid(self, form)`` with a form bound to the request's POST data and files.
DJANGO_FORM_VIEW_BASES = frozenset({
    "FormView", "CreateView", "UpdateView", "FormMixin", "ModelFormMixin", "ProcessFormView", "BaseFormView",
    "BaseCreateView", "BaseUpdateView",
})
FORM_HANDLER_METHODS = frozenset({"form_valid", "form_invalid"})
CLASS_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "list", "create", "retrieve", "update", "partial_update", "destroy"})

# Non-cryptographic random generators: their values can be predicted from earlier outputs. Not
# untrusted input -- a separate kind of origin that only "secret from a predictable value" checks
# follow (into cookies, sessions, tokens).
PREDICTABLE_CALLS = frozenset(
    f"random.{name}" for name in (
        "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "uniform",
        "randbytes", "shuffle", "triangular", "gauss",
    )
) | frozenset({"numpy.random.rand", "numpy.random.randint", "numpy.random.random", "uuid.uuid1"})

# Keys of the WSGI environment (Django's request.META, Flask's request.environ) whose values the
# client sends. Other keys (REMOTE_ADDR, SERVER_NAME, CSRF_COOKIE set by middleware...) are set by
# the server and carry no injected text.
# "wsgi.input" is the request body's stream. Judged server-set: REQUEST_METHOD (a token the server
# parsed -- most check its characters, wsgiref does not -- that code compares to constants rather
# than writes anywhere), SERVER_NAME/SERVER_PORT/
# SERVER_PROTOCOL, SCRIPT_NAME (the mount point), REMOTE_ADDR/REMOTE_HOST, the other wsgi.* entries.
# (HTTP_HOST, a header, is the client's.)
CLIENT_ENVIRON_KEYS = frozenset({
    "QUERY_STRING", "PATH_INFO", "CONTENT_TYPE", "CONTENT_LENGTH", "REQUEST_URI", "RAW_URI", "wsgi.input",
})
ENVIRON_ATTRIBUTES = frozenset({"META", "environ"})
# A function handed a WSGI application's environment (``get_environments(environ)``) under PEP
# 3333's name for it, ``environ``: keys the server sets there carry nothing of the client either.
# As that parameter may be the process environment passed on under the same name (``PATH``,
# ``EDITOR``: environment variables), only the keys that no process environment holds are known
# to be the server's: those CGI and WSGI have the server set, and dotted keys (PEP 3333's
# extensions, put by servers, middleware and the deployment: ``wsgi.url_scheme``,
# ``beaker.session``, ``trac.env_parent_dir``), but ``wsgi.input``, the request body.
HANDED_ENVIRON_PARAMETER = "environ"
SERVER_SET_CGI_KEYS = frozenset({
    "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "SCRIPT_NAME", "GATEWAY_INTERFACE",
    "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT", "REQUEST_METHOD", "DOCUMENT_ROOT", "HTTPS",
})

# Django URL confs (see dataflow/routes.py): the calls that route a URL pattern to a view, by kind
# of pattern ("path": ``<converter:name>`` variables; "regex": named groups of a regular expression).
DJANGO_ROUTE_FUNCTIONS = {
    "django.urls.path": "path", "django.urls.conf.path": "path",
    "django.urls.re_path": "regex", "django.urls.conf.re_path": "regex", "django.conf.urls.url": "regex",
}
DJANGO_INCLUDE_FUNCTIONS = frozenset({"django.urls.include", "django.urls.conf.include", "django.conf.urls.include"})
# Django REST framework's routers: ``router.register(prefix, ViewSet)`` routes ``^prefix/$`` (list
# and create) and ``^prefix/(?P<pk>[^/.]+)/$`` (retrieve, update, destroy, ``@action(detail=True)``)
# to the viewset; the prefix is a regular expression (its named groups are keyword arguments too).
DRF_ROUTER_CLASSES = frozenset({"rest_framework.routers.DefaultRouter", "rest_framework.routers.SimpleRouter"})
# drf-nested-routers: ``NestedSimpleRouter(parent_router, "shops", lookup="shop")`` nests the routes
# of the viewsets it registers under the parent's ``^shops/(?P<shop_pk>...)/`` (the parent
# viewset's lookup argument, prefixed by ``lookup`` + "_", matching its lookup_value_regex).
DRF_NESTED_ROUTER_CLASSES = frozenset({
    "rest_framework_nested.routers.NestedSimpleRouter", "rest_framework_nested.routers.NestedDefaultRouter",
})
# The viewset's class attributes naming the detail routes' keyword argument (``lookup_url_kwarg``,
# else ``lookup_field``, else "pk") and the pattern its value must match (``lookup_value_regex``,
# judged like a re_path group's; by default DRF's "[^/.]+", free text); on a router of path()
# routes (DRF >= 3.15, ``use_regex_path=False``), the converter of ``<converter:pk>``:
# ``lookup_value_converter``, else ``lookup_value_regex`` (taken as a converter's name), else "str".
DRF_LOOKUP_ATTRIBUTES = ("lookup_url_kwarg", "lookup_field", "lookup_value_regex", "lookup_value_converter")
DRF_DEFAULT_LOOKUP = "pk"
# Decorators of a viewset's extra actions (``@action(detail=True, methods=["post"])``; the older
# ``detail_route``/``list_route``): views, whose parameters come from the URL as those of
# ``retrieve``'s do.
DRF_ACTION_DECORATORS = frozenset({"action", "detail_route", "list_route"})
# path() converters whose value is converted: an ``int``, a ``uuid.UUID``. Those matched against a
# pattern (their ``regex`` in django.urls.converters) are judged like a re_path group's pattern.
# "str", "path" (any text) and converters a project registers itself leave the value untrusted.
DJANGO_CONVERTING_CONVERTERS = frozenset({"int", "uuid"})
DJANGO_PATTERN_CONVERTERS = {"slug": "[-a-zA-Z0-9_]+"}
# Django form fields (``django.forms``) whose cleaned value is converted -- a number, a date, a
# UUID, a model instance -- or one of the server's own choices: ``form.cleaned_data["count"]`` of
# an ``IntegerField`` carries nothing of the request (see dataflow/forms.py). Those whose value is
# validated against a pattern are judged like a route's (a ``SlugField`` still allows a leading
# "-", CWE-88). A ``CharField``, an ``EmailField`` (quotes in the local part), a ``URLField`` (any
# host), a ``RegexField``, a ``FileField``... leave the value untrusted.
DJANGO_CONVERTING_FORM_FIELDS = frozenset({
    "IntegerField", "FloatField", "DecimalField", "BooleanField", "NullBooleanField", "DateField", "DateTimeField",
    "TimeField", "DurationField", "SplitDateTimeField", "UUIDField", "GenericIPAddressField", "ChoiceField",
    "TypedChoiceField", "MultipleChoiceField", "TypedMultipleChoiceField", "ModelChoiceField",
    "ModelMultipleChoiceField",
})
DJANGO_PATTERN_FORM_FIELDS = {"SlugField": "[-a-zA-Z0-9_]+"}
# Django REST framework serializer fields (``rest_framework.serializers``, ``.fields``,
# ``.relations``) whose validated value is converted or one of the server's choices:
# ``serializer.validated_data["count"]`` of an ``IntegerField`` is an int (see dataflow/forms.py,
# which reads serializers as it reads forms). A ``ListField(child=IntegerField())`` holds what its
# child holds. A ``CharField``, an ``EmailField``, a ``URLField``, a ``JSONField``, a ``DictField``
# (its keys are the client's), a ``FileField``, a nested serializer... leave the value untrusted.
DRF_CONVERTING_SERIALIZER_FIELDS = frozenset({
    "IntegerField", "FloatField", "DecimalField", "BooleanField", "NullBooleanField", "DateField", "DateTimeField",
    "TimeField", "DurationField", "UUIDField", "IPAddressField", "ChoiceField", "MultipleChoiceField",
    "PrimaryKeyRelatedField", "SlugRelatedField", "HyperlinkedRelatedField",
})
DRF_PATTERN_SERIALIZER_FIELDS = {"SlugField": "[-a-zA-Z0-9_]+"}
DRF_CHILD_FIELDS = frozenset({"ListField"})  # ``ListField(child=IntegerField())``: a list of what the child holds
# Fields of both frameworks validated with a ``RegexValidator`` of their pattern argument
# (``RegexField(r"^[a-z0-9-]+$")``, ``regex=``): judged as a ``re.search`` check of that pattern.
PATTERN_ARGUMENT_FIELDS = frozenset({"RegexField"})
# ``validators=[...]`` of a field (both frameworks): Django's ``RegexValidator(regex, flags=...)``
# (a ``re.search``, unless ``inverse_match``) and its validators of a fixed pattern; the value
# passed every one.
REGEX_VALIDATOR_CLASSES = frozenset({"django.core.validators.RegexValidator"})
PATTERN_VALIDATORS = {
    "django.core.validators.validate_slug": r"^[-a-zA-Z0-9_]+\Z",
    "django.core.validators.validate_integer": r"^-?\d+\Z",
}
# A URL value matched against a pattern that admits only ASCII letters, digits, "_" and "-" (a
# slug, ``(?P<year>[0-9]{4})``) cannot leave an SQL string, a shell word, a path segment, markup, a
# header or a log line. What it still allows: beginning with a "-" it may be read as an option by
# the program it is passed to (CWE-88, see models.sanitizers.PATTERN_LEADING_OPEN_CHARACTERS); with
# letters it may name a host (CWE-918). A pattern that admits any other character leaves the value
# untrusted.
ROUTE_VALUE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
ROUTE_VALUE_OPEN_CWES: tuple[tuple[str, frozenset[int]], ...] = (
    ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", frozenset({918})),
)

# The standard library's HTTP server (see dataflow/raw_servers.py): in the methods of a subclass of
# one of these classes (also through a subclass of the same file), these attributes of ``self``
# are the request as the client sent it -- as untrusted as Flask's request (high): ``self.path``
# (path and query string), ``self.headers`` (``self.headers["X"]``, ``.get("X")``), ``self.rfile``
# (the body: ``self.rfile.read(n)``, ``readline()``), the request line and its method.
HTTP_SERVER_HANDLER_CLASSES = frozenset({
    "http.server.BaseHTTPRequestHandler", "http.server.SimpleHTTPRequestHandler", "http.server.CGIHTTPRequestHandler",
    "BaseHTTPServer.BaseHTTPRequestHandler", "SimpleHTTPServer.SimpleHTTPRequestHandler",
})
HTTP_SERVER_MODULES = ("http", "BaseHTTPServer", "SimpleHTTPServer")
HTTP_SERVER_REQUEST_ATTRIBUTES: dict[str, str] = {
    "path": "HTTP request path", "headers": "HTTP header", "rfile": "HTTP request body",
    "requestline": "HTTP request line", "raw_requestline": "HTTP request line", "command": "HTTP request method",
}
# WSGI applications (see dataflow/raw_servers.py): a function whose positional parameters (after
# ``self``) are ``(environ, start_response)`` -- the second named so, as PEP 3333 writes it -- or
# one this file gives ``wsgiref.simple_server.make_server(host, port, app)``: its first parameter
# is the WSGI environment, HTTP request data (high) except for the server-set keys (see
# CLIENT_ENVIRON_KEYS).
WSGI_RESPONDER_PARAMETER = "start_response"
WSGI_SERVER_FACTORIES = frozenset({"wsgiref.simple_server.make_server"})
WSGI_ENVIRONMENT: tuple[str, Level] = ("WSGI environment", HIGH)
# Django REST framework: a generic view's ``create()``/``update()`` validate the serializer
# (``is_valid(raise_exception=True)``) and pass it to ``perform_create(self, serializer)`` /
# ``perform_update``: its ``validated_data`` is what the view's ``serializer_class`` makes of the
# request (see dataflow/forms.py), its ``initial_data`` the request's data as sent.
DRF_SERIALIZER_HANDLER_METHODS = frozenset({"perform_create", "perform_update"})

# Web frameworks whose handlers are classes or plain methods rather than decorated functions (see
# dataflow/web_handlers.py). Their handlers' parameters are request data, strings as the client
# sent them (none of these frameworks converts by annotation), unless a route converts them.
#
# Tornado: methods of a ``RequestHandler`` subclass (also through a subclass of the same file, or a
# base named ``...Handler`` in a file importing tornado). ``self.get_argument("q")`` and the like
# are request data; the HTTP-verb methods (and a WebSocketHandler's ``open``) receive the URL
# pattern's groups as strings; a WebSocketHandler's ``on_message`` receives the client's message.
# ``self.get_secure_cookie`` / ``get_signed_cookie`` are not sources: the value is signed with the
# application's ``cookie_secret`` (HMAC), so a client cannot forge it -- it is a value this server
# set (whatever it once held, it is traced where the server set it, not here).
# A class deriving from a ``...Handler`` of another module in a file that does not import tornado
# gets the reads only (``self.get_argument`` is Tornado's own name), not the path arguments.
TORNADO_MODULES = ("tornado",)
TORNADO_HANDLER_CLASSES = frozenset({
    "tornado.web.RequestHandler", "tornado.websocket.WebSocketHandler", "tornado.web.StaticFileHandler",
})
TORNADO_HANDLER_SUFFIX = "Handler"
TORNADO_HANDLER_READS: dict[str, str] = {
    "get_argument": "HTTP request parameter", "get_arguments": "HTTP request parameter",
    "get_body_argument": "HTTP form field", "get_body_arguments": "HTTP form field",
    "get_query_argument": "HTTP query parameter", "get_query_arguments": "HTTP query parameter",
    "get_cookie": "HTTP cookie", "path_args": "URL path parameter", "path_kwargs": "URL path parameter",
}
TORNADO_PATH_METHODS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "open"})
# Tornado's routes: ``Application([(r"/files/(.*)", FileHandler), url(r"/n/(?P<slug>[^/]+)", H)])``
# (also ``handlers=``, a ``RuleRouter``, ``app.add_handlers(host, [...])``, ``add_rules([...])``,
# ``Rule(PathMatches(r"..."), H)``). The pattern's groups go to the verb methods by position, or
# by keyword when it names groups (then only the named ones), as strings (Tornado converts
# nothing; it percent-decodes them after matching). A class a route of the file names is a
# handler, whatever its bases; a group that can only match digits (``([0-9]+)``, ``(\d{4})``)
# holds nothing an injection could use (see ROUTE_VALUE_CHARACTERS for other narrow patterns) --
# when every route to the class (or to a subclass of the file) says so: those of its file, and
# those of other files of the review (see web_handlers.TORNADO_ELSEWHERE).
TORNADO_ROUTERS = frozenset({
    "tornado.web.Application", "tornado.routing.RuleRouter", "tornado.routing.ReversibleRuleRouter",
})
TORNADO_ROUTER_KEYWORDS = frozenset({"handlers", "rules"})
TORNADO_ADDING_METHODS = frozenset({"add_handlers", "add_rules"})
TORNADO_ROUTE_CALLS = frozenset({
    "tornado.web.url", "tornado.web.URLSpec", "tornado.routing.URLSpec", "tornado.routing.Rule",
})
TORNADO_PATH_MATCHERS = frozenset({"tornado.routing.PathMatches"})
TORNADO_MESSAGE_METHODS = frozenset({"on_message"})
# Falcon: a resource's responders ``on_get(self, req, resp, **fields)`` (``on_<verb>`` and
# ``on_<verb>_<suffix>`` for ``add_route(..., suffix=...)``) receive the URI template's fields
# (``/items/{item_id}``) as keyword arguments: strings, unless the template's converter converts
# them (``{item_id:int}``, ``uuid``, ``float``, ``dt``) on every route of the file to the resource.
FALCON_MODULES = ("falcon",)
FALCON_RESPONDER_VERBS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "websocket"})
FALCON_ROUTE_METHODS = frozenset({"add_route"})
FALCON_CONVERTING_FIELDS = frozenset({"int", "float", "uuid", "dt"})
FALCON_FIXED_PARAMETERS = 2  # (``req``, ``resp`` after ``self``: the framework's objects)
# CherryPy: the parameters of an exposed method (``@cherrypy.expose``) or function are the
# request's query and form parameters (strings, lists of strings for repeated names). A class
# exposed as a whole (``exposed = True`` in its body, or ``@cherrypy.expose`` on it) is a handler
# itself: CherryPy calls its ``__call__``, and the MethodDispatcher its HTTP-verb methods -- its
# other methods are exposed only when they are themselves (the dispatcher reads the method's own
# ``exposed``).
CHERRYPY_MODULES = ("cherrypy",)
# Twisted Web: a ``twisted.web.resource.Resource`` subclass renders a request with ``render(self,
# request)`` / ``render_GET(self, request)`` (``render_<METHOD>``), whose return value (bytes) is the
# response body, text/html unless a Content-Type is set (``request.setHeader(b"content-type", ...)``);
# ``getChild(self, path, request)`` gets the next URL path segment. The request object's readers
# are REQUEST_ATTRIBUTES (a ``request`` parameter in a file of a Twisted server). A file is one when
# it imports a server-side module of twisted.web (not only its HTTP client) or klein.
TWISTED_MODULES = ("twisted.web", "klein")
TWISTED_SERVER_MODULES = ("twisted.web.resource", "twisted.web.server", "twisted.web.static", "twisted.web.util", "klein")
TWISTED_RESOURCE_CLASSES = frozenset({
    "twisted.web.resource.Resource", "twisted.web.static.File", "twisted.web.static.Data",
    "twisted.web.util.DeferredResource", "twisted.web.resource.NoResource", "twisted.web.resource.ErrorPage",
})
TWISTED_RESOURCE_SUFFIX = "Resource"  # (a base of another module of the project so named: ``from .base import Resource``)
TWISTED_RENDER_PREFIX = "render_"  # (``render_GET``: then the method, upper case)
TWISTED_RENDER_METHODS = frozenset({"render"})
TWISTED_CHILD_METHODS = frozenset({"getChild", "getChildWithDefault"})
CHERRYPY_EXPOSE = frozenset({"cherrypy.expose"})
CHERRYPY_EXPOSED_CLASS_METHODS = frozenset({"__call__", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
# Flask-Admin (and Flask-AppBuilder, which copied it): ``@expose("/download/<path:name>")`` on a
# method of a ``BaseView`` subclass adds a Flask URL rule (Werkzeug's syntax, under the view's own
# URL) that calls the method with the rule's variables, converted by their converters as a route's
# are (``<int:id>``); a parameter the rule does not name keeps its default. The decorator only
# means this on such a view's methods, so its qualified name is the mark.
FLASK_ADMIN_EXPOSE = frozenset({
    "flask_admin.expose", "flask_admin.base.expose", "flask_appbuilder.expose", "flask_appbuilder.baseviews.expose",
})
FLASK_ADMIN_EXPOSE_NAME = "expose"  # (the last name of those: the cheap test before resolving one)
# Litestar: ``@get("/items/{item_id:int}")`` (bare decorators imported from litestar, or a
# Controller's) route a function whose parameters are query or path parameters, converted by their
# annotations as FastAPI's are (see dataflow/parameters.py). Reserved names are other parts of the
# request, or the framework's objects.
LITESTAR_MODULES = ("litestar",)
LITESTAR_ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "route", "websocket"})
LITESTAR_RESERVED_PARAMETERS: dict[str, str] = {
    "data": "HTTP request body", "body": "HTTP request body", "headers": "HTTP header", "cookies": "HTTP cookie",
    "query": "HTTP query parameter",
}
LITESTAR_INJECTED_PARAMETERS = frozenset({"state", "scope", "socket", "request"})
# Litestar's dependencies: ``dependencies={"repo": Provide(get_repo)}`` on a handler's decorator, a
# Controller's body (``dependencies = {...}``), a Router or the application. A parameter so named
# receives what the provider returns (request data only when it reads some: the provider's own
# parameters are filled from the request as a handler's), not a request value.
LITESTAR_PROVIDE = frozenset({"litestar.di.Provide", "litestar.Provide"})
LITESTAR_ROUTERS = frozenset({"litestar.Litestar", "litestar.app.Litestar", "litestar.Router", "litestar.router.Router"})
