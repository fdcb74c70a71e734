"""Injection sinks that only matter when untrusted data reaches them: SSRF, LDAP and XPath
injection, regular-expression injection and log injection. A dynamic value of unknown origin is
normal code here, so these rules report only flows from a source (with their trace)."""
from __future__ import annotations

import ast
import re

from secreview.facts import instances
from secreview.rules.base import HIGH, LOW, MEDIUM, dynamic_value_hit, rule
from secreview.rules.context import INSTANCE_CLASS_NAMES, RuleContext

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
# Methods of client objects (``client.get`` after ``client = httpx.Client()``, ``with
# requests.Session() as client``: RuleContext.call_name knows them as ``httpx.Client.get``).
_CLIENT_METHODS = {
    "requests.Session": (*_VERBS, "request"),
    "httpx.Client": (*_VERBS, "request", "stream", "build_request"),
    "httpx.AsyncClient": (*_VERBS, "request", "stream", "build_request"),
    "aiohttp.ClientSession": (*_VERBS, "request", "ws_connect"),
    "urllib3.PoolManager": ("request", "urlopen"),
    "urllib3.ProxyManager": ("request", "urlopen"),
}
# Constructors whose base URL (keyword, or the position given) every request of the client goes to.
_BASE_URL = {"httpx.Client": None, "httpx.AsyncClient": None, "aiohttp.ClientSession": 0}
# Calls whose URL comes after the HTTP method: request("GET", url), stream("GET", url), ...
_METHOD_FIRST = ("request", "stream", "build_request")
_POOL_URLOPEN = ("urllib3.PoolManager.urlopen", "urllib3.ProxyManager.urlopen")  # (urllib's urlopen: the URL first)
# Request objects, sent later (``urlopen(req)``, ``session.send(req.prepare())``): the URL is
# checked where the object is made. Class -> the position of its URL (the keyword is ``url``).
# (The data-flow model of these constructors keeps only the URL's taint: SELECTED_FROM_ARGUMENTS.)
REQUEST_OBJECTS = {
    "urllib.request.Request": 0, "requests.Request": 1, "requests.models.Request": 1, "httpx.Request": 1,
}
# Connections to one host, given as the first argument (keyword ``host``); the paths requested on
# them later stay on that host (http.client sends them as they are; urllib3's pools refuse a URL
# of another host: HostChangedError).
HOST_CONNECTIONS = (
    "http.client.HTTPConnection", "http.client.HTTPSConnection",
    "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
    "urllib3.connectionpool.HTTPConnectionPool", "urllib3.connectionpool.HTTPSConnectionPool",
)
# Objects whose attribute, once assigned, is where a urllib Request goes (``req.full_url = x``).
_REQUEST_DESTINATIONS = ("full_url", "host")
HTTP_CLIENT_CALLS = (
    *(f"{module}.{verb}" for module in ("requests", "requests.api", "httpx") for verb in (*_VERBS, "request")),
    "httpx.stream",
    *(f"{cls}.{method}" for cls, methods in _CLIENT_METHODS.items() for method in methods),
    *_BASE_URL,
    *REQUEST_OBJECTS,
    *HOST_CONNECTIONS,
    "urllib.request.urlopen", "urllib3.request", "urllib3.connection_from_url", "aiohttp.request",
)


def flow_only(ctx: RuleContext, node: ast.AST, value: ast.expr | None, tainted: str, sink_note: str):
    hit = dynamic_value_hit(ctx, node, value, tainted=tainted, dynamic="", sink_note=sink_note)
    return hit if hit is not None and hit.trace else None


@rule(
    id="ssrf",
    title="Server-side request forgery",
    cwe=918,
    severity=HIGH,
    confidence=MEDIUM,
    calls=HTTP_CLIENT_CALLS,
    methods=["urlopen"],
    nodes=[ast.Assign],
    targets=_REQUEST_DESTINATIONS,
    description="""The server fetches a URL that comes from the request. Attackers make it reach
        internal services (cloud metadata at 169.254.169.254, admin ports, localhost-only APIs).
        Requests sent through a client object (requests.Session, httpx.Client/AsyncClient,
        aiohttp.ClientSession, urllib3.PoolManager) count when the file shows the object being
        made (assigned, entered with `with`, or set on self); a client whose base_url comes from
        the request is reported where it is made, a request object (urllib's Request,
        requests.Request, httpx.Request) where it gets its URL, a connection (http.client's
        HTTPConnection, urllib3's connection pools) where it gets its host. Only the destination
        counts: a request body, headers, query parameters (params=) or a JSON payload from the
        request go to the host the code chose. Nor is a URL whose constant beginning fixes the
        scheme and host (`"https://api.example.com/items/" + item`), or a path requested on a
        connection to a fixed host, reported: the value can change the path on that host, not
        the host (path traversal on an internal API is a narrower matter, left to review); a value
        converted to a number or UUID (int(), a parameter annotated `int`) cannot name a host.
        (urljoin(BASE, value) is no fixed beginning: an absolute value replaces the base.)""",
    solution="""Do not fetch client-supplied URLs; if you must, parse the URL, allow only https
        and an allow-list of hosts, resolve the host and refuse private, loopback and link-local
        addresses, and disable redirects.""",
    example="""
        requests.get(request.args["url"], timeout=5)
    """,
    fixed="""
        url = urllib.parse.urlsplit(request.args["url"])
        if url.scheme != "https" or url.hostname not in ALLOWED_HOSTS:
            abort(400)
        requests.get(url.geturl(), timeout=5, allow_redirects=False)
    """,
)
def check_ssrf(call: ast.Call, ctx: RuleContext):
    if call.__class__ is ast.Assign:
        return _request_destination_assigned(call, ctx)  # type: ignore[arg-type]
    name = ctx.call_name(call) or ""
    if name in HOST_CONNECTIONS:
        value = ctx.argument(call, 0, "host")
        return flow_only(ctx, call, value, "The host connected to comes from {source}: the server can be made to call internal services.", "the host connected to")
    if name in REQUEST_OBJECTS:
        value = ctx.argument(call, REQUEST_OBJECTS[name], "url")
        return flow_only(ctx, call, value, "The URL of this request comes from {source}: the server can be made to call internal services.", "the URL requested")
    if name in _BASE_URL:
        # The client's base URL decides where its requests with a relative URL go: untrusted data
        # in it is reported here, where the client is made (and where the fix goes), not at each
        # request (which would repeat the finding, and is often out of sight: a client kept on
        # ``self`` or returned by a factory).
        value = ctx.argument(call, _BASE_URL[name], "base_url")
        return flow_only(ctx, call, value, "The base URL of this HTTP client comes from {source}: every request it sends can be made to call internal services.", "the client's base URL")
    method_first = name.rsplit(".", 1)[-1] in _METHOD_FIRST or name in _POOL_URLOPEN
    value = ctx.argument(call, 1 if method_first else 0, "url")
    if not method_first and value is not None and request_object(ctx, value):
        return None  # ``urlopen(Request(url, data=body))``: reported where the Request gets its URL
    return flow_only(ctx, call, value, "The URL fetched comes from {source}: the server can be made to call internal services.", "fetched by the server")


def _request_made(ctx: RuleContext, value: ast.expr) -> str | None:
    """The request class ``value`` constructs (REQUEST_OBJECTS), or None."""
    if value.__class__ is not ast.Call:
        return None
    name = ctx.qualname(value.func)  # type: ignore[attr-defined]
    return name if name in REQUEST_OBJECTS else None


def request_object(ctx: RuleContext, value: ast.expr) -> bool:
    """Is ``value`` a request object made in view: a call of a REQUEST_OBJECTS class, or a name
    (``self.NAME``) every binding of which is one?"""
    return instances.class_of(ctx.facts.scopes, value, ctx.scope_chain, lambda made: _request_made(ctx, made)) is not None


def outgoing_request_object(ctx: RuleContext, value: ast.expr) -> bool:
    """Is ``value`` something that sends requests (an HTTP client, session or pool) or a request
    to send, made in view? (Their headers go out to another server, not back to the browser.)"""
    return ctx.instance_class(value) in INSTANCE_CLASS_NAMES or request_object(ctx, value)


def _request_destination_assigned(node: ast.Assign, ctx: RuleContext):
    """``req.full_url = url`` / ``req.host = host`` on a urllib Request made in view: where it goes."""
    for target in node.targets:
        if target.__class__ is ast.Attribute and target.attr in _REQUEST_DESTINATIONS:  # type: ignore[attr-defined]
            if request_object(ctx, target.value):  # type: ignore[attr-defined]
                return flow_only(ctx, node, node.value, "The URL of this request comes from {source}: the server can be made to call internal services.", "where the request goes")
    return None


@rule(
    id="ldap-injection",
    title="LDAP injection",
    cwe=90,
    severity=HIGH,
    confidence=MEDIUM,
    methods=["search", "search_s", "search_st", "search_ext", "search_ext_s", "search_subtree_s"],
    description="""An LDAP search filter is built from request data without escaping. Filter
        metacharacters (`*`, `(`, `)`, `|`) change the query: authentication bypass or directory
        data disclosure.""",
    solution="""Escape values with ldap.filter.escape_filter_chars (python-ldap) or
        ldap3.utils.conv.escape_filter_chars before inserting them into a filter.""",
    example="""
        conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + request.args["user"] + ")")
    """,
    fixed="""
        user = ldap.filter.escape_filter_chars(request.args["user"])
        conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={user})")
    """,
)
def check_ldap(call: ast.Call, ctx: RuleContext):
    method = call.func.attr  # type: ignore[union-attr]
    if method == "search":  # ldap3: Connection.search(search_base, search_filter, ...)
        value = ctx.argument(call, 1, "search_filter")
    else:  # python-ldap: search_s(base, scope, filterstr, ...)
        value = ctx.argument(call, 2, "filterstr")
    if value is None or not _ldap_module(ctx):
        return None
    return flow_only(ctx, call, value, "The LDAP filter is built from {source} without escaping.", "used as an LDAP search filter")


def _ldap_module(ctx: RuleContext) -> bool:
    return ctx.facts.imports.imports_module("ldap") or ctx.facts.imports.imports_module("ldap3")


@rule(
    id="xpath-injection",
    title="XPath injection",
    cwe=643,
    severity=HIGH,
    confidence=MEDIUM,
    methods=["xpath", "XPath", "evaluate"],
    calls=["lxml.etree.XPath", "lxml.etree.XPathEvaluator", "elementpath.select", "elementpath.iter_select"],
    description="""An XPath expression is built from request data. Quotes and predicates in the
        value change the query: reading nodes the user should not see or bypassing a login
        check.""",
    solution="""Use XPath variables instead of string building:
        tree.xpath("//user[@name=$name]", name=value).""",
    example="""
        tree.xpath("//user[@name='" + request.args["name"] + "']")
    """,
    fixed="""
        tree.xpath("//user[@name=$name]", name=request.args["name"])
    """,
)
def check_xpath(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    value = ctx.argument(call, 1, "path") if name.startswith("elementpath.") else ctx.argument(call, 0, "_path")
    if isinstance(call.func, ast.Attribute) and call.func.attr == "evaluate" and not ctx.facts.imports.imports_module("lxml"):
        return None
    return flow_only(ctx, call, value, "The XPath expression is built from {source}.", "evaluated as XPath")


# The functions of the third-party ``regex`` module taking a pattern first (each also takes a timeout=).
_REGEX_MODULE_FUNCTIONS = ("compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split")


@rule(
    id="regex-injection",
    title="Regular expression built from untrusted data",
    cwe=1333,
    severity=MEDIUM,
    confidence=MEDIUM,
    calls=["re.compile", "re.match", "re.search", "re.fullmatch", "re.findall", "re.finditer", "re.sub", "re.subn", "re.split",
           *(f"regex.{name}" for name in _REGEX_MODULE_FUNCTIONS)],
    description="""A regular expression pattern comes from the request. A crafted pattern with
        nested quantifiers takes exponential time (ReDoS) and ties up the worker. Not reported:
        the third-party regex module's matching given a timeout (regex.search(p, s,
        timeout=0.5)), and a pattern it compiles that the function only ever matches with one
        (pattern = regex.compile(p); pattern.sub(r, s, timeout=t)): the match stops with
        TimeoutError.""",
    solution="""Escape the value with re.escape() when it is meant literally, or match with plain
        string operations; never compile client-supplied patterns.""",
    example="""
        re.search(request.args["q"], text)
    """,
    fixed="""
        re.search(re.escape(request.args["q"]), text)
    """,
)
def check_regex(call: ast.Call, ctx: RuleContext):
    if _matched_with_timeout(call, ctx):
        return None
    return flow_only(ctx, call, ctx.argument(call, 0, "pattern"), "The regular expression comes from {source}: a crafted pattern can take exponential time.", "compiled as a regular expression")


def _matched_with_timeout(call: ast.Call, ctx: RuleContext) -> bool:
    """A call of the ``regex`` module whose matching is bounded in time: a match given a
    ``timeout=`` (not None), or ``name = regex.compile(p)`` whose every use in the function is a
    call of a method of it given one (used otherwise -- returned, passed on, a call without a
    timeout -- it may run unbounded)."""
    name = ctx.call_name(call) or ""
    if not name.startswith("regex."):
        return False
    if name != "regex.compile":
        return _gives_timeout(call)
    ancestors = ctx.ancestors
    statement = ancestors[-2] if len(ancestors) >= 2 and ancestors[-1] is call else None
    if statement.__class__ is not ast.Assign or statement.value is not call or len(statement.targets) != 1 \
            or statement.targets[0].__class__ is not ast.Name:  # type: ignore[attr-defined]
        return False
    pattern = statement.targets[0].id  # type: ignore[attr-defined]
    scope = ctx.function or (ancestors[0] if ancestors else None)
    if scope is None:
        return False
    bounded_calls: set[int] = set()
    uses = 0
    for node in ast.walk(scope):
        if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and _is_load_of(node.func.value, pattern):  # type: ignore[attr-defined]
            if _gives_timeout(node):  # type: ignore[arg-type]
                bounded_calls.add(id(node.func.value))  # type: ignore[attr-defined]
        elif _is_load_of(node, pattern):
            uses += 1
    return uses == len(bounded_calls) > 0


def _gives_timeout(call: ast.Call) -> bool:
    return any(k.arg == "timeout" and not (k.value.__class__ is ast.Constant and k.value.value is None)  # type: ignore[attr-defined]
               for k in call.keywords)


def _is_load_of(node: ast.AST, name: str) -> bool:
    return node.__class__ is ast.Name and node.id == name and node.ctx.__class__ is ast.Load  # type: ignore[attr-defined]


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")


def _conversions(message: ast.expr) -> list[str]:
    """The %-conversions of a constant log message, in order (``%%`` excluded)."""
    if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
        return []
    return [c for c in _CONVERSION.findall(message.value) if c != "%"]


LOG_METHODS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")


@rule(
    id="log-injection",
    title="Log injection",
    cwe=117,
    severity=LOW,
    confidence=MEDIUM,
    # Whether CR/LF forge entries depends on the handler's format (JSON handlers escape them),
    # which the code does not show: never more than low confidence, also through helpers.
    max_confidence=LOW,
    methods=LOG_METHODS,
    description="""Request data is written to the log unneutralized. CR/LF in it forges log
        entries (hiding an attack or framing someone) and control sequences can attack log
        viewers.""",
    solution="""Strip CR/LF from the value (value.replace("\\r", "").replace("\\n", "")) or log
        it with repr(), and prefer structured logging fields.""",
    example="""
        LOG.info("login failed for " + request.form["user"])
    """,
    fixed="""
        LOG.info("login failed for %r", request.form["user"])
    """,
)
def check_log(call: ast.Call, ctx: RuleContext):
    receiver = call.func.value  # type: ignore[union-attr]
    receiver_name = (ctx.source(receiver) or "").lower()
    if not any(word in receiver_name for word in ("log", "logger", "logging")):
        return None
    arguments = call.args[1 if call.func.attr == "log" else 0:]  # type: ignore[union-attr]
    conversions = _conversions(arguments[0]) if arguments else []
    for index, argument in enumerate(arguments):
        if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name) and argument.func.id == "repr":
            continue
        if index > 0 and index - 1 < len(conversions) and conversions[index - 1] in "rad":
            continue  # "%r" (repr) escapes CR/LF; "%d" and "%a" cannot carry them either
        hit = flow_only(ctx, call, argument, "Untrusted data ({source}) is written to the log as is; CR/LF in it forges log entries.", "written to the log")
        if hit is not None:
            return hit
    return None
