"""Sanitizers: calls whose result is safe for some weaknesses (by CWE), whatever went in.

Type conversions and hashes are safe for every injection: an int cannot carry a shell
metacharacter. Escapers are safe only for their own context: ``shlex.quote`` protects a shell
command, not an SQL query.
"""
ALL_CWES = frozenset({0})  # marker: safe for every weakness
LINE_BREAK_CWES = frozenset({113, 117, 93})  # header / log injection: CR and LF removed
# What a base64/base32/hex encoding of any bytes is safe for: line breaks (header, log), HTML,
# a shell command, an SQL string.
BINARY_TO_TEXT_CWES = LINE_BREAK_CWES | frozenset({79, 80, 78, 89})

# Marker "CWEs" of what ``url_for(...)`` / ``reverse(...)`` build (a path of one of the site's own
# routes, the values given percent-encoded):
# - SAME_SITE_PATH: a path on this site. Text put after it behind a character other than "/" or
#   "\\" (``f"{url}&{params}"``, ``f"{url}#{anchor}"``) cannot take it elsewhere (the path may be
#   just "/", so ``f"{url}{x}"`` can: "//evil.example");
# - URL_ENCODED: no space, quote ``"``, ``<`` or ``>`` in it (``'``, ``=`` and ``&`` may be): safe in
#   HTML text, in a ``"``-quoted or unquoted attribute value that is not script or style -- not in
#   a ``'``-quoted one, nor in a script (see analyzer._url_encoded_fits).
SAME_SITE_PATH = -621
URL_ENCODED = -622
# A marker "CWE" (no rule has it): the value passed a same-host check that a backslash gets
# through. ``urlparse(urljoin(request.host_url, target)).netloc == request.host`` (the Flask
# "is_safe_url" recipe) holds for "/\evil.example", which browsers read as "//evil.example". Such a
# value is still an open redirect, reported at medium confidence at most with a step saying why.
BACKSLASH_OPEN_REDIRECT = -601
# A marker "CWE": an in-memory file (``io.BytesIO(data)``, ``io.StringIO(text)``), a file object
# holding the data given, never a file system path: ``send_file(io.BytesIO(report), ...)`` sends
# those bytes, whether made in the view or returned by a helper. Still the data for everything
# else (``pickle.load(io.BytesIO(body))`` loads the request's bytes). Reading it back
# (IN_MEMORY_FILE_READS, iterating its lines) gives the data as it was given: a path again.
IN_MEMORY_FILE = -623
IN_MEMORY_FILE_CWES = frozenset({22, 23, 36, IN_MEMORY_FILE})
IN_MEMORY_FILE_READS = frozenset({"read", "read1", "readline", "readlines", "getvalue", "getbuffer"})

SANITIZERS: dict[str, frozenset[int]] = {
    # IPv6 parsers (and the ip_* ones, which accept IPv6) keep a scope id: since Python 3.9
    # str(ip_address("fe80::1%;id")) is "fe80::1%;id". A scope id may hold anything but "%" and
    # "/" (spaces, quotes, ;, $(), <>, line breaks), so the text is no safer than the input for a
    # shell, a split command line (a space makes a new word: CWE-88), SQL, HTML, headers or logs.
    # It never holds "/" and the text starts with a hex digit or ":", so it stays one relative
    # path component that is not "..", and one element of an argument list that is no option (it
    # never starts with "-"): safe for path traversal and, in a list argv, argument injection. (A
    # command line split into words, ``shlex.split(f"ping {addr}")``, would make words of a scope
    # id's spaces: that rare form is not told apart.) IPv4 ones keep nothing.
    **{name: frozenset({22, 23, 36, 88}) for name in (
        "ipaddress.ip_address", "ipaddress.ip_network", "ipaddress.ip_interface",
        "ipaddress.IPv6Address", "ipaddress.IPv6Network", "ipaddress.IPv6Interface")},
    # Conversions and values derived from, but not carrying, the input
    **{name: ALL_CWES for name in (
        "int", "float", "bool", "len", "abs", "round", "hash", "id", "isinstance", "callable",
        "hasattr", "type", "decimal.Decimal", "uuid.UUID", "fractions.Fraction", "complex",
        "ipaddress.IPv4Address", "ipaddress.IPv4Network", "ipaddress.IPv4Interface",
        "datetime.date.fromisoformat",
        "hashlib.sha256", "hashlib.sha512", "hashlib.sha1", "hashlib.md5", "hashlib.sha384",
        "hashlib.blake2b", "hashlib.new", "hmac.new", "hmac.compare_digest", "zlib.crc32",
        "secrets.compare_digest", "os.path.exists", "os.path.isfile", "os.path.isdir",
    )},
    # Dates and other formatted scalars
    "django.utils.http.http_date": ALL_CWES,
    "email.utils.formatdate": ALL_CWES,
    # Template rendering escapes by default (autoescape): safe for HTML
    "flask.render_template": frozenset({79, 80}),
    "django.shortcuts.render": frozenset({79, 80}),
    "django.template.loader.render_to_string": frozenset({79, 80}),
    # In-memory files (see IN_MEMORY_FILE below): never a file system path.
    "io.BytesIO": IN_MEMORY_FILE_CWES,
    "io.StringIO": IN_MEMORY_FILE_CWES,
    # Joins that refuse to leave the base directory
    "django.utils._os.safe_join": frozenset({22, 23, 36}),
    # The default storage's full path of a name is its safe_join with the storage's directory
    # (SuspiciousFileOperation for a name that leaves it).
    "django.core.files.storage.default_storage.path": frozenset({22, 23, 36}),
    "werkzeug.security.safe_join": frozenset({22, 23, 36}),
    "flask.safe_join": frozenset({22, 23, 36}),
    "django.utils.http.url_has_allowed_host_and_scheme": ALL_CWES,
    # Shell
    "shlex.quote": frozenset({78, 88}),
    "pipes.quote": frozenset({78, 88}),
    # HTML
    "html.escape": frozenset({79, 80}),
    "markupsafe.escape": frozenset({79, 80}),
    "markupsafe.Markup.escape": frozenset({79, 80}),
    "flask.Markup.escape": frozenset({79, 80}),
    "jinja2.Markup.escape": frozenset({79, 80}),
    "jinja2.utils.escape": frozenset({79, 80}),
    "werkzeug.utils.escape": frozenset({79, 80}),
    "flask.escape": frozenset({79, 80}),
    "jinja2.escape": frozenset({79, 80}),
    "django.utils.html.escape": frozenset({79, 80}),
    "django.utils.html.conditional_escape": frozenset({79, 80}),
    # format_html("<b>{}</b>", x) escapes its arguments; a variable format string is reported
    # where it is made (django-format-html-dynamic). (strip_tags is no escaper: an unclosed
    # ``<img src=x onerror=alert(1)//`` passes it.)
    "django.utils.html.format_html": frozenset({79, 80}),
    "django.utils.html.format_html_join": frozenset({79, 80}),
    "bleach.clean": frozenset({79, 80}),
    "cgi.escape": frozenset({79, 80}),
    "xml.sax.saxutils.escape": frozenset({79, 80}),
    "xml.sax.saxutils.quoteattr": frozenset({79, 80}),
    # Responses and renderers: an HTML response is checked where it is built (or the template
    # autoescapes); the response object returned afterwards is not a second XSS.
    **{name: frozenset({79, 80}) for name in (
        "flask.make_response", "flask.Response", "werkzeug.wrappers.Response", "flask.render_template",
        # (autoescaped, as every template Flask renders from a string; a template built from
        # input is the template-injection rule's finding)
        "flask.render_template_string", "flask.templating.render_template_string",
        "flask.jsonify", "flask.redirect", "flask.send_file", "flask.send_from_directory",
        "django.http.HttpResponse", "django.http.response.HttpResponse", "django.http.JsonResponse",
        "django.http.HttpResponseBadRequest", "django.http.HttpResponseNotFound",
        "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
        "django.http.FileResponse", "django.shortcuts.render", "django.shortcuts.redirect",
        "django.template.loader.render_to_string", "starlette.responses.HTMLResponse",
        "fastapi.responses.HTMLResponse", "starlette.responses.JSONResponse", "fastapi.responses.JSONResponse",
        "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse",
        "starlette.responses.Response", "fastapi.Response", "fastapi.responses.Response",
        "aiohttp.web.Response", "aiohttp.web_response.Response", "aiohttp.web.json_response",
        "aiohttp.web_response.json_response",
        *(f"aiohttp.{module}.{name}" for module in ("web", "web_exceptions") for name in (
            "HTTPMultipleChoices", "HTTPMovedPermanently", "HTTPFound", "HTTPSeeOther", "HTTPUseProxy",
            "HTTPTemporaryRedirect", "HTTPPermanentRedirect")),
    )},
    # Paths: the base name cannot climb out of a directory
    "os.path.basename": frozenset({22, 23, 36}),
    "posixpath.basename": frozenset({22, 23, 36}),
    "werkzeug.utils.secure_filename": frozenset({22, 23, 36}),
    "django.utils.text.get_valid_filename": frozenset({22, 23, 36}),
    # Regular expressions, LDAP, URLs, redirects
    "re.escape": frozenset({1333, 730, 625}),
    "ldap.filter.escape_filter_chars": frozenset({90}),
    "ldap3.utils.conv.escape_filter_chars": frozenset({90}),
    "ldap.dn.escape_dn_chars": frozenset({90}),
    "urllib.parse.quote": frozenset({113, 117, 93, 79}),
    "urllib.parse.quote_plus": frozenset({113, 117, 93, 79}),
    "urllib.parse.urlencode": frozenset({113, 117, 93, 79, 601, 918}),
    "mimetypes.guess_type": ALL_CWES,
    # A path of the site's own routes, its values percent-encoded (SAME_SITE_PATH, URL_ENCODED).
    **{name: frozenset({601, 918, SAME_SITE_PATH, URL_ENCODED}) for name in (
        "flask.url_for", "flask.helpers.url_for", "django.urls.reverse")},
    "django.shortcuts.resolve_url": frozenset({601}),
    # (Other route URL builders, known by their name: ROUTE_URL_BUILDERS below.)
    # Flask-AppBuilder: the URL if it is relative or goes to an allowed host, else the index; its
    # check lets "/\\evil.example" through (BACKSLASH_OPEN_REDIRECT: medium confidence).
    "flask_appbuilder.utils.base.get_safe_redirect": frozenset({BACKSLASH_OPEN_REDIRECT}),
    "json.dumps": frozenset({113, 117, 93}),
    # A payload whose signature with the server's key was checked (BadSignature otherwise): what
    # the server signed itself, kept in a session without crossing a trust boundary (see
    # models/library_objects.py for the signers' methods).
    "django.core.signing.loads": frozenset({501}),
    # Binary-to-text encodings: base64 (letters, digits, + / =), base32 and hex carry no line
    # break, markup, quote or shell metacharacter (an ``Authorization: Basic`` header built from a
    # user name). Not for paths (base64 has "/"), and the URL-safe alphabet has "-" (an option);
    # base64.encodebytes and binascii.b2a_base64 end lines with "\n", they are not here.
    **{name: BINARY_TO_TEXT_CWES | frozenset({88}) for name in (
        "base64.b64encode", "base64.standard_b64encode", "base64.b32encode", "base64.b32hexencode",
        "base64.b16encode", "binascii.hexlify", "binascii.b2a_hex",
    )},
    "base64.urlsafe_b64encode": BINARY_TO_TEXT_CWES,
}

# Decoders: what they return is what was encoded, as it was -- whatever an encoding above (or a
# check of the encoded text) made safe is undone: ``b64decode(b64encode(x))`` is ``x``.
DECODERS = frozenset({
    "base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode", "base64.b32decode",
    "base64.b32hexdecode", "base64.b16decode", "base64.b85decode", "base64.a85decode", "base64.decodebytes",
    "binascii.a2b_base64", "binascii.unhexlify", "binascii.a2b_hex", "codecs.decode", "quopri.decodestring",
    "json.loads", "html.unescape", "urllib.parse.unquote", "urllib.parse.unquote_plus",
    "urllib.parse.unquote_to_bytes",
})

# Route URL builders, known by their name (the import often cannot be resolved: Pylons code calls
# a wrapper of Routes' ``url`` made by the project). Given the name of one of the application's
# own routes, they build that route's URL; the other values fill its placeholders or its query
# string and cannot choose the host, except the keywords that set it (ROUTE_URL_HOST_KEYWORDS:
# Routes' ``host=``/``protocol=``, Pyramid's ``_app_url=``/``_host=``/``_scheme=``/``_port=``,
# Sanic's ``_server=``). What they build is a path of the site (Routes ``url("repo_home",
# repo=name)``) or a URL of the site's own host (Pyramid ``request.route_url(...)``): a redirect
# to it stays on the site, as one to Flask's url_for (SAME_SITE_PATH: text glued after it with no
# separator still can leave). Not URL_ENCODED: how each encodes a placeholder's value varies.
# - ROUTE_URL_BUILDERS: with a constant route name first (an identifier: no "/", so neither a
#   path nor a URL), as a function or a method (``url("home")``, ``webutils.url("home")``);
# - ROUTE_NAME_METHODS: methods whose first argument is a route name by their API, whatever the
#   expression (``self.request.route_url(self.request.matched_route.name, **matchdict)``).
# A ``**mapping`` of the request's URL path parameters (Pyramid's ``matchdict``) has the route's
# own placeholder names as keys; any other mapping of untrusted data may hold a host keyword.
ROUTE_NAME_METHODS = frozenset({"route_url", "route_path", "reverse_url"})
ROUTE_URL_BUILDERS = frozenset({"url", "url_for"}) | ROUTE_NAME_METHODS
ROUTE_URL_HOST_KEYWORDS = frozenset({"host", "protocol", "_host", "_scheme", "_port", "_app_url", "_server"})
ROUTE_URL_CWES = frozenset({601, 918, SAME_SITE_PATH})

# Methods (any receiver) whose result is safe for some weaknesses: template objects' render()
# (and jinja2's awaited render_async()) autoescapes; QueryDict.urlencode() percent-encodes.
SANITIZING_METHODS: dict[str, frozenset[int]] = {
    "render": frozenset({79, 80}),
    "render_async": frozenset({79, 80}),
    "render_to_string": frozenset({79, 80}),
    "urlencode": frozenset({113, 117, 93, 79, 601, 918}),
}

# Checks whose truth proves their (first / ``url=``) argument safe for the given weaknesses:
# ``if url_has_allowed_host_and_scheme(url, ...)`` or ``ok = is_safe_url(u); if ok: ...``.
VALIDATORS: dict[str, frozenset[int]] = {
    "django.utils.http.url_has_allowed_host_and_scheme": frozenset({601, 918}),
    "django.utils.http.is_safe_url": frozenset({601, 918}),
}

# URL normalizations (dataflow/url_normalization.py). A project's own redirect check often cleans
# the URL before it tests the host. A check of the cleaned copy proves the URL it was made from as
# a redirect target (CWE-601 only) when the cleaning does no more than what a browser does when it
# reads a URL (it ignores leading and trailing blanks and control characters, drops tabs and line
# breaks, reads "\" as "/" in http(s) URLs, skips extra slashes after "//", lowercases the host) or
# only removes blanks: whatever a browser takes to another host, the cleaned copy goes there too,
# and the check rejects it. Not for SSRF: HTTP clients read URLs otherwise (urllib sends
# "http://ok.example\@evil.example" to evil.example, its cleaned copy "http://ok.example/@evil.example"
# to ok.example). Method name -> the constant arguments it may have (``x.strip()``, ``x.lower()``,
# ``x.replace("\\", "/")``; BLANKS: a string of blanks only, ``x.strip(" \t")``, ``x.replace("\t", "")``).
URL_BLANKS = "<blanks>"
URL_NORMALIZING_METHODS: dict[str, tuple[tuple[str, ...], ...]] = {
    "lower": ((),),
    "strip": ((), (URL_BLANKS,)),
    "lstrip": ((), (URL_BLANKS,)),
    "rstrip": ((), (URL_BLANKS,)),
    "replace": (("\\", "/"), (URL_BLANKS, "")),
}
REDIRECT_CWES = frozenset({601})
BACKSLASH_OPEN_NOTE = ("checked by a same-host test that a backslash gets through: browsers read `/\\evil.example` "
                       "as `//evil.example` (reject backslashes, or use url_has_allowed_host_and_scheme)")
# Marker "CWEs" of the parts of a relative-URL check (``if parsed.scheme or parsed.netloc: return
# False``, ``if target.startswith("//"): return False``): no scheme, no host, no ``//`` at the start
# (``///evil.example`` has no host for urlparse, and one for browsers), no backslash (or backslashes
# turned into slashes before the URL was parsed). The first three together make a same-site path:
# safe as a redirect target (CWE-601); without the fourth, "/\evil.example" still gets out
# (BACKSLASH_OPEN_REDIRECT). Each alone proves nothing.
RELATIVE_NO_SCHEME = -611
RELATIVE_NO_HOST = -612
RELATIVE_NO_DOUBLE_SLASH = -613
RELATIVE_NO_BACKSLASH = -614
RELATIVE_PATH_MARKS = frozenset({RELATIVE_NO_SCHEME, RELATIVE_NO_HOST, RELATIVE_NO_DOUBLE_SLASH})
# Two more parts a validator may test instead (``if url and (parsed.netloc or not
# url.startswith("/")): url = ""``): a ``/`` at the start (``url.startswith("/")``), and no ``///``
# at the start (``url.startswith("///")`` false, or the URL rebuilt as ``"//" + url.lstrip("/")``).
# A leading ``/`` and no ``//`` make a path; so do a leading ``/``, no host and no ``///``: past a
# leading ``//`` urlparse finds a host unless a third slash follows (see dataflow RELATIVE_PATHS).
RELATIVE_LEADING_SLASH = -615
RELATIVE_NO_TRIPLE_SLASH = -616
# What a change of the text's beginning undoes (``"/" + url.lstrip("/")``, ``url.replace("\\", "/")``):
# every part but the backslashes'.
RELATIVE_SHAPE_MARKS = RELATIVE_PATH_MARKS | {RELATIVE_LEADING_SLASH, RELATIVE_NO_TRIPLE_SLASH}
RELATIVE_MARKS = RELATIVE_SHAPE_MARKS | {RELATIVE_NO_BACKSLASH}
# The sets of parts that make a same-site path (each alone proves nothing).
RELATIVE_PATHS = (
    RELATIVE_PATH_MARKS,
    frozenset({RELATIVE_LEADING_SLASH, RELATIVE_NO_DOUBLE_SLASH}),
    frozenset({RELATIVE_LEADING_SLASH, RELATIVE_NO_HOST, RELATIVE_NO_TRIPLE_SLASH}),
)

# Django model objects (dataflow/model_objects.py). Django's redirect() and resolve_url() send the
# browser to an object's get_absolute_url(), by Django's convention the path of one of the site's
# own routes (``reverse("article", args=[self.pk])``), whatever the object's fields hold: the object
# a ModelForm or DRF serializer saves from the request is no open redirect (CWE-601), its fields
# still are the client's (``redirect(article.website)``). MODEL_OBJECT marks such an object; a field,
# a method's result or its text read from it drops the mark and the CWE-601 proof with it.
MODEL_OBJECT = -623
MODEL_OBJECT_CWES = frozenset({601, MODEL_OBJECT})
# ``form.save()``, ``serializer.save(owner=user)``, ``form.save(commit=False)``: the saved object.
# Only without positional arguments: ``default_storage.save(name, content)`` returns the name.
MODEL_SAVING_METHODS = frozenset({"save"})
# ``Article.objects.create(title=...)`` (also ``await ... .acreate(...)``): the created object.
MANAGER_CREATING_METHODS = frozenset({"create", "acreate"})
MODEL_MANAGER_ATTRIBUTE = "objects"
# ``form.instance``, ``serializer.instance``: the object a ModelForm or serializer edits.
MODEL_INSTANCE_ATTRIBUTES = frozenset({"instance"})
# ``obj.get_absolute_url()`` of an object of unknown class: the object's path on this site, as a
# path of one of its routes (the project's own method, when the analysis knows the class, is
# followed instead).
MODEL_URL_METHODS = frozenset({"get_absolute_url"})
MODEL_URL_CWES = frozenset({601, SAME_SITE_PATH})

# Regular-expression checks (``re.fullmatch(P, x)``, ``PATTERN.match(x)`` anchored at both ends):
# a match of a constant pattern proves the value is made only of the characters the pattern admits.
# It proves nothing when the pattern admits any character (``.``, ``\S``, ``[^...]``), and it leaves
# a weakness open while the pattern admits one of that weakness's characters below; path traversal
# stays open when a repeated part admits ``.`` and the pattern admits a separator (``[\w./-]+``
# lets ``../../etc/passwd`` through). A lone ``..`` (one level up) is not counted.
PATTERN_OPEN_CHARACTERS: dict[frozenset[int], str] = {
    frozenset({78, 88}): " \t\r\n;&|`$<>()*?[]{}~!#'\"\\",  # shell metacharacters, word splitting
    frozenset({89}): "'\"\\",  # leaving an SQL string literal
    LINE_BREAK_CWES: "\r\n",
}
PATH_SEPARATORS = "/\\"
# ...and the characters a checked value must not start with, for these CWEs: a value that may begin
# with "-" is read as an option by the program it is passed to (``[\w-]+`` lets ``-rf`` through,
# ``[a-z][\w-]*`` does not).
PATTERN_LEADING_OPEN_CHARACTERS: dict[frozenset[int], str] = {
    frozenset({88}): "-",
}

# Path containment. A containment check proves a path stays inside a directory only when the path
# is absolute and free of ``..`` (``Path("/srv/up/../../etc").is_relative_to("/srv/up")`` holds):
# so it counts on a path made by one of these calls or methods, and then clears it for these CWEs.
PATH_CWES = frozenset({22, 23, 36})
# The attributes of a pathlib path that are its base name (``Path(x).name``, ``.stem``): safe for
# paths as ``os.path.basename(x)`` is.
BASE_NAME_ATTRIBUTES = frozenset({"name", "stem"})
# The attributes of an ``ipaddress`` object that are its text (``ip_address(x).exploded``): as safe
# as ``str()`` of it, whatever the parser proved (only those objects have these names).
ADDRESS_TEXT_ATTRIBUTES = frozenset({
    "exploded", "compressed", "with_prefixlen", "with_netmask", "with_hostmask",
})
RESOLVING_CALLS = frozenset({
    "os.path.realpath", "os.path.abspath", "os.path.normpath", "posixpath.realpath", "posixpath.abspath",
    "posixpath.normpath",
})
RESOLVING_METHODS = frozenset({"resolve"})  # pathlib's (``absolute()`` keeps ``..``)
# ``path.is_relative_to(base)``, ``path.startswith(base)`` (also on ``str(path)``), true;
# ``os.path.commonpath([base, path]) == base``.
CONTAINMENT_METHODS = frozenset({"is_relative_to", "startswith"})
# ``path.relative_to(base)`` raises ValueError when the path is not inside ``base``: once the call
# has returned (a statement of a ``try`` whose handler leaves), the path is, as where
# ``path.is_relative_to(base)`` is true.
RAISING_CONTAINMENT_METHODS = frozenset({"relative_to"})
COMMON_PATH_CALLS = frozenset({"os.path.commonpath", "posixpath.commonpath"})
# Marker "CWEs" of the two parts of a relative-name check (``if os.path.isabs(name): abort(400)``,
# ``if "/" in name: return False``; ``if ".." in name: abort(400)``, ``any(part == ".." for part
# in name.split("/"))``): not absolute, no ``..`` component. Both together keep a name joined to a
# directory inside it (POSIX paths), whether the tests are one condition or several; each alone
# proves nothing ("/etc/passwd" has no "..", "../../etc/passwd" is relative).
PATH_NOT_ABSOLUTE = -221
PATH_NO_PARENT = -222
RELATIVE_NAME_MARKS = frozenset({PATH_NOT_ABSOLUTE, PATH_NO_PARENT})

# Calls whose result is one of their arguments' values selected by the others, not built from
# them: ``getattr(obj, name)`` is an attribute of ``obj`` (or the default), whatever ``name`` is;
# ``import_module(name)`` is a module of the installed code. Call name -> argument positions.
# A keyword name is the argument passed by keyword: ``Request(url=x)``.
SELECTED_FROM_ARGUMENTS: dict[str, tuple[int | str, ...]] = {
    "getattr": (0, 2), "builtins.getattr": (0, 2),
    "importlib.import_module": (), "__import__": (), "builtins.__import__": (),
    # Request objects carry where they go, not what they send: ``urlopen(Request(API, data=body))``
    # is no request to a URL from ``body`` (SSRF is about the destination; the body and headers go
    # to the host the URL names). The URL is checked where the object is made (rules/flows.py).
    "urllib.request.Request": (0, "url"),
    **{name: (1, "url") for name in ("requests.Request", "requests.models.Request", "httpx.Request")},
}

# Calls that add parameters to a URL's query, percent-encoded as urlencode() does:
# ``url_concat(url, {"next": x})`` is ``url`` then ``?next=`` and x encoded. The URL argument's data
# goes on as it was; the parameters' only as safe as urlencode()'s result is (they cannot change
# where the URL leads, nor close an HTML attribute). Call name -> the URL argument's position and
# keyword.
QUERY_ADDING_CALLS: dict[str, tuple[int, str]] = {
    "tornado.httputil.url_concat": (0, "url"),
    "oauthlib.common.add_params_to_uri": (0, "uri"),
}

# Lookups: the result is stored data found *by* the arguments, not the arguments themselves
# (``Model.objects.get(pk=x)``, ``cache.get(key)``): it carries only the receiver's taint.
LOOKUP_METHODS = frozenset({
    "get", "filter", "exclude", "first", "last", "all", "get_object_for_this_type", "get_by_natural_key",
    "get_or_create", "values", "values_list", "order_by", "select_related", "prefetch_related", "count",
    "exists", "in_bulk", "aggregate", "annotate",
    # ``Model._meta.get_field(name)``: the model's own Field object (FieldDoesNotExist otherwise)
    "get_field",
    # SQLAlchemy's queries (also Flask-SQLAlchemy's ``Model.query``): ``User.query.filter_by(name=x)``
    # and the rows it gives (``.one()``, ``.first_or_404()``...) are stored rows, not ``x``.
    "filter_by", "one", "one_or_none", "get_or_404", "first_or_404", "one_or_404",
    # Django's async ORM (4.1+): ``await Project.objects.aget(pk=x)`` is the row, as ``get`` is
    "aget", "afirst", "alast", "aget_or_create", "acount", "aexists", "ain_bulk", "aaggregate",
})
LOOKUP_FUNCTIONS = frozenset({
    "django.shortcuts.get_object_or_404", "django.shortcuts.get_list_or_404",
    "django.shortcuts.aget_object_or_404", "django.shortcuts.aget_list_or_404",  # (Django 5.0's async ones)
    # The user (a stored row) whose credentials were given, or None: not the credentials
    "django.contrib.auth.authenticate", "django.contrib.auth.aauthenticate",
    # pandas' query readers: a data frame of the rows the query found
    "pandas.read_sql", "pandas.read_sql_query",
    # Kubernetes' exec into a pod: what the command printed there, not the pod name or command
    # given (a command built from input is the command-injection rules' finding)
    "kubernetes.stream.stream", "kubernetes.stream.stream.stream", "kubernetes.stream.ws_client.stream",
})
# Getters by key that the review has no model or summary of (a library's, or the project's on an
# object of unknown class: ``self.ds.get_database(route=x)``, ``calibre_db.get_book(book_id)``): a
# call named ``get_<thing>``, ``find_<thing>``, ``lookup_<thing>``, ``fetch_<thing>``,
# ``load_<thing>``, ``read_<thing>``, ``query_<thing>`` (also ``..._by_<key>``,
# ``..._or_<fallback>``, ``find_by_<key>``, ``batch_get_<things>``) or ``lookup``, given a key, returns one of the program's
# objects found by that key, not the key transformed. A key is an argument named as one: a keyword
# (these words, or ending ``_<word>``, or their plural: ``route=``, ``user_id=``, ``pks=``); by
# position, an argument whose own name is (``get_run(run_id)``, ``get_book(book.id)``,
# ``get_user(request.args["uid"])``), the first when the getter says what it finds by
# (``find_by_id(x)``, ``get_book_by_uuid(x)``), and any when the receiver is named as a store of
# records (KEYED_STORES: ``calibre_db.get_book(elem)``, ``_get_store().get_trace_info(x)``). What the
# key carries is still passed on (an object whose key equals it: one the program already has), at
# low confidence at most (see docs/data-flow.md). Other arguments carry as for any unknown call (a
# default may be returned; ``schema.load_data(request.json)`` gives the data back).
KEYED_GETTER_PREFIXES = ("get_", "find_", "lookup_", "fetch_", "load_", "read_", "query_")
# Words before the prefix that keep it a getter: ``store.batch_get_traces([trace_id])``.
KEYED_GETTER_QUALIFIERS = ("batch_", "bulk_")
KEYED_GETTER_NAMES = frozenset({"lookup"})
KEY_KEYWORDS = frozenset({
    "id", "pk", "key", "name", "route", "slug", "uuid", "uid", "ident", "identifier",
    # a snapshot, a model version, a revision of a document: selected by it
    "timestamp", "version", "revision",
})
# The last word of a receiver's name that says it is a store of records: what its getters give
# is found by whatever they are given (``calibre_db``, ``tracking_store``, ``DatasetDAO``,
# ``_get_tracking_store()``, ``model_registry``).
KEYED_STORES = frozenset({
    "db", "database", "store", "datastore", "dao", "repo", "repository", "registry", "catalog", "storage", "cache",
})
# What the getter gets, when it is made from its arguments rather than found by the key: text
# (``get_path(name=x)``, ``get_url(key=x)``, ``get_valid_name(name=x)``, ``get_text(key=x)``: a
# message catalogue gives the key back when it has no entry; ``read_file(path)``: the file's
# data, ``fetch_url(url)``: the page at it), a time made from a timestamp, or a mapping of them
# (Django's ``widget.get_context(name=n, value=v, attrs=a)``): the last word of ``<thing>``.
KEYED_MADE_THINGS = frozenset({
    "path", "paths", "dir", "directory", "folder", "file", "filename", "url", "urls", "uri", "link", "href",
    "location", "redirect", "name", "names", "label", "title", "text", "string", "str", "message", "msg", "html",
    "markup", "sql", "query", "command", "cmd", "script", "expression", "pattern", "regex", "header", "headers",
    "context", "kwargs", "args", "params", "parameters", "attrs", "attributes",
    "date", "time", "datetime", "timestamp",
})

# Database queries (any receiver): what ``execute`` returns -- a DB-API cursor, SQLAlchemy's
# ``Result`` -- and what is fetched from it are rows of the database, found *by* the query and its
# parameters, not those values: ``db.execute("... WHERE name = ?", (name,)).fetchone()[0]`` is a
# count, whatever ``name`` held. The result carries only the receiver's taint. (The query itself is
# checked by the SQL rules; a stored value shown back is a second-order flow, not this one.) Not
# here: ``callproc`` (returns its parameters), ``mogrify`` (the query text with them).
QUERY_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "scalar", "scalars",
                           "fetch", "fetchrow", "fetchval"})  # (asyncpg's: rows, a row, a value)

# Calls that never return (they raise or exit): the rest of the branch is dead, so a check
# followed by ``abort(400)`` guards what comes after it like ``raise`` or ``return`` would.
# (Flask-RESTful's, Flask-RESTX's and flask-smorest's ``abort`` call Flask's and re-raise its
# exception with their JSON body attached.)
NO_RETURN_CALLS = frozenset({
    "flask.abort", "werkzeug.exceptions.abort", "sys.exit", "os._exit", "os.abort", "exit", "quit",
    "pytest.fail", "pytest.skip",
    "flask_restful.abort", "flask_restx.abort", "flask_restx.errors.abort", "flask_restplus.abort",
    "flask_restplus.errors.abort", "flask_smorest.abort",
})
# Methods that never return either, on an instance of these classes (a name bound only to a call of
# the class): argparse's ``parser.error(msg)`` prints the usage and exits, as ``parser.exit()``.
NO_RETURN_METHODS: dict[str, frozenset[str]] = {
    "argparse.ArgumentParser": frozenset({"error", "exit"}),
    "optparse.OptionParser": frozenset({"error", "exit"}),
}

# Classes of HTML-safe strings: ``Markup("<b>%s</b>") % x`` and ``Markup("<b>{}</b>").format(x)``
# escape the values put into them (the template itself is checked by the markup rule).
HTML_SAFE_STRINGS = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup", "jinja2.utils.Markup"})

# Conversions that raise on anything but a number / UUID: once ``int(x)`` has run without raising
# (``try: int(x) except ValueError: abort(400)``), ``x`` itself is a numeric string.
CONVERSION_CHECKS = frozenset({"int", "float", "decimal.Decimal", "uuid.UUID"})

# Serialize-then-load round trips: ``pickle.loads(pickle.dumps(obj))`` (a deep copy) loads the bytes
# the program itself has just made from one of its own objects, whatever that object holds: no
# outside data is deserialized, so the loader is not reported. Loader -> the serializers whose
# result it may be given, directly (``loads(dumps(x))``, ``load(io.BytesIO(dumps(x)))``) or through
# a name bound once to that result in the same function (rules/deserialization.py).
_PICKLE_MODULES = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
_PICKLE_DUMPS = frozenset(f"{module}.dumps" for module in _PICKLE_MODULES)  # (all write the pickle format)
_JSONPICKLE_DUMPS = frozenset({"jsonpickle.encode", "jsonpickle.dumps", "jsonpickle.pickler.encode"})
ROUND_TRIP_SERIALIZERS: dict[str, frozenset[str]] = {
    **{f"{module}.{loader}": _PICKLE_DUMPS for module in _PICKLE_MODULES for loader in ("loads", "load", "Unpickler")},
    "marshal.loads": frozenset({"marshal.dumps"}),
    "marshal.load": frozenset({"marshal.dumps"}),
    **{name: _JSONPICKLE_DUMPS for name in ("jsonpickle.decode", "jsonpickle.loads", "jsonpickle.unpickler.decode")},
    **{f"yaml.{loader}": frozenset({"yaml.dump", "yaml.safe_dump"}) for loader in ("load", "unsafe_load", "full_load")},
    **{f"yaml.{loader}": frozenset({"yaml.dump_all", "yaml.safe_dump_all"}) for loader in ("load_all", "unsafe_load_all", "full_load_all")},
}
# In-memory files a loader that reads a file (``pickle.load``) may be given the serialized bytes in.
IN_MEMORY_FILES = frozenset({"io.BytesIO", "io.StringIO"})

# Calls whose result does not carry these keyword arguments: settings of the call, not data it
# returns. A process started with ``env=`` (or ``cwd=``) holding untrusted data writes what the
# program writes, not that data (its command line and ``input=`` still count).
_PROCESS_SETTINGS = frozenset({
    "env", "cwd", "stdin", "stdout", "stderr", "shell", "timeout", "check", "text", "universal_newlines",
    "encoding", "errors", "close_fds", "start_new_session", "process_group", "user", "group", "extra_groups",
    "umask", "bufsize", "pass_fds", "restore_signals", "creationflags", "startupinfo", "capture_output",
})
RESULT_IGNORES_KEYWORDS: dict[str, frozenset[str]] = {
    **{f"subprocess.{name}": _PROCESS_SETTINGS for name in ("Popen", "run", "call", "check_call", "check_output")},
    **{f"asyncio.{name}": _PROCESS_SETTINGS for name in ("create_subprocess_exec", "create_subprocess_shell")},
}
