"""Transport security: cleartext protocols (CWE-319), TLS without certificate or host name checks
(CWE-295/297), obsolete TLS versions (CWE-327), urllib's file: scheme (CWE-73), SSH host keys,
SNMP v1/v2c and weak SNMPv3, IPMI, and httpoxy under CGI (CWE-454).

Importing telnetlib, ftplib or pyghmi is not a finding: the rules flag the call that opens the
connection. Settings are read from literals and names bound once to them; a setting taken from
configuration (``verify=settings.VERIFY_TLS``) is not reported.
"""
from __future__ import annotations

import ast
import re

from secreview.rules._security_use import is_literal_false, is_literal_true, refers_to, single_binding
from secreview.rules._unpacked import unpacked_keyword
from secreview.findings import Level
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import RuleContext


# --- cleartext protocols ------------------------------------------------------------------------------
@rule(
    id="cleartext-telnet",
    title="Telnet sends credentials and data in cleartext",
    cwe=319,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B312", "B401"],
    calls=["telnetlib.Telnet", "telnetlib3.open_connection", "telnetlib3.TelnetClient"],
    message="`{name}` opens a Telnet session: logins and data cross the network unencrypted.",
    description="""Telnet has no encryption and no server authentication: anyone on the path reads
        the login and every command, and can inject their own. (telnetlib was removed in Python
        3.13.) Importing the module is not reported; opening a session is.""",
    solution="""Use SSH (paramiko, asyncssh, fabric) with host key verification, or the device's
        HTTPS/NETCONF-over-SSH API.""",
    example="""
        session = telnetlib.Telnet(switch_host)
        session.write(password.encode() + b"\\n")
    """,
    fixed="""
        client = paramiko.SSHClient()
        client.load_system_host_keys()
        client.connect(switch_host, username=user, password=password)
    """,
)
def check_telnet(call: ast.Call, ctx: RuleContext):
    return Hit(call)


@rule(
    id="cleartext-ftp",
    title="FTP sends credentials and files in cleartext",
    cwe=319,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B321", "B402"],
    calls=["ftplib.FTP"],
    message="`{name}` uses plain FTP: the password and the files cross the network unencrypted.",
    description="""Plain FTP sends the user name, the password and the file contents in cleartext
        and cannot authenticate the server. ftplib.FTP_TLS is not reported. Importing ftplib is not
        reported; connecting is.""",
    solution="""Use SFTP (paramiko's SFTPClient) or FTPS: ftplib.FTP_TLS(host) then .login() and
        .prot_p() so the data channel is encrypted too.""",
    example="""
        ftp = ftplib.FTP(host, user, password)
    """,
    fixed="""
        ftp = ftplib.FTP_TLS(host, user, password)
        ftp.prot_p()
    """,
)
def check_ftp(call: ast.Call, ctx: RuleContext):
    return Hit(call)


# --- TLS verification ------------------------------------------------------------------------------------
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send")
_HTTP_LIBRARIES = ("requests", "requests.api", "httpx", "aiohttp", "urllib3")
_VERIFY_CALLS = [
    *(f"{library}.{verb}" for library in ("requests", "requests.api", "httpx") for verb in _VERBS),
    "requests.Session", "requests.session",
    "httpx.Client", "httpx.AsyncClient", "httpx.HTTPTransport", "httpx.AsyncHTTPTransport",
    "aiohttp.request", "aiohttp.TCPConnector", "aiohttp.ClientSession",
    "urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url", "urllib3.connectionpool.HTTPSConnectionPool",
    "urllib3.poolmanager.PoolManager",
]
_CERT_NONE = ("ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE")


def _disables_verification(ctx: RuleContext, call: ast.Call) -> tuple[str, int] | None:
    """(the argument that turns certificate checks off, its CWE) or None. Also read in a dict
    written in the source that the call unpacks (``**{"verify": False}``, ``**REQUEST_KWARGS``)."""
    for keyword in ("verify", "ssl", "verify_ssl"):
        value = ctx.keyword(call, keyword)
        if value is not None and is_literal_false(ctx, value) and ctx.literal(value) is not None:
            return f"{keyword}={ctx.source(value)}", 295
    cert_reqs = ctx.keyword(call, "cert_reqs")
    if cert_reqs is not None and (ctx.literal(cert_reqs, None) in ("CERT_NONE", "NONE")
                                  or refers_to(ctx, cert_reqs, _CERT_NONE)):
        return f"cert_reqs={ctx.source(cert_reqs)}", 295
    assert_hostname = ctx.keyword(call, "assert_hostname")
    if assert_hostname is not None and is_literal_false(ctx, assert_hostname) and ctx.literal(assert_hostname) is not None:
        return f"assert_hostname={ctx.source(assert_hostname)}", 297
    for keyword in call.keywords:
        if keyword.arg is None:  # ``**mapping``: (rare) read it
            return _disabled_in_unpacked(ctx, call)
    return None


def _disabled_in_unpacked(ctx: RuleContext, call: ast.Call) -> tuple[str, int] | None:
    for keyword in ("verify", "ssl", "verify_ssl", "assert_hostname"):
        if ctx.keyword(call, keyword) is not None:
            continue  # (given as a keyword too: judged above)
        value = unpacked_keyword(ctx, call, keyword)
        if value is not None and is_literal_false(ctx, value) and ctx.literal(value) is not None:
            return f"{keyword}={ctx.source(value)} (passed in a ** dict)", 297 if keyword == "assert_hostname" else 295
    return None


@rule(
    id="tls-verification-disabled",
    title="HTTPS request without certificate verification",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B501"],
    calls=_VERIFY_CALLS,
    methods=[*_VERBS, "ws_connect"],
    nodes=[ast.Assign],
    targets=["verify"],  # (session.verify = False)
    description="""verify=False (requests, httpx), ssl=False (aiohttp), cert_reqs="CERT_NONE"
        (urllib3) or session.verify = False accept any certificate: anyone on the network path can
        impersonate the server, read the traffic (credentials, tokens) and alter it.
        assert_hostname=False accepts a valid certificate for the wrong host (CWE-297). A setting
        from configuration (not a literal) is not reported; a literal False passed to a method of
        an object whose type is unknown is medium confidence, and one level lower inside a
        non-constant condition (an explicit opt-in such as --insecure).""",
    solution="""Remove verify=False. For a private CA pass its bundle: verify="/etc/ssl/private-ca.pem"
        (requests/httpx) or ssl=ssl.create_default_context(cafile=...) (aiohttp).""",
    example="""
        response = requests.get(url, verify=False, timeout=10)
    """,
    fixed="""
        response = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)
    """,
)
def check_verify_disabled(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Assign):
        return _session_verify_assignment(node, ctx)
    assert isinstance(node, ast.Call)
    found = _disables_verification(ctx, node)
    if found is None:
        return None
    argument, cwe = found
    name = ctx.call_name(node) or ""
    known = name.split(".")[0] in {library.split(".")[0] for library in _HTTP_LIBRARIES}
    what = "the host name is not checked against the certificate" if cwe == 297 else \
        "any certificate is accepted, so the connection can be intercepted"
    return Hit(node, cwe=cwe, confidence=_lowered_under_condition(ctx, HIGH if known else MEDIUM),
               message=f"`{ctx.source(node.func)}` with {argument}: {what}.")


_SESSION_FACTORIES = ("requests.Session", "requests.session", "requests.sessions.Session")


def _lowered_under_condition(ctx: RuleContext, confidence):
    """One level lower inside a non-constant condition: often an explicit opt-in (--insecure)."""
    return Level(max(LOW, confidence - 1)) if under_condition(ctx) else confidence


def _session_verify_assignment(node: ast.Assign, ctx: RuleContext):
    targets = [t for t in node.targets if isinstance(t, ast.Attribute) and t.attr == "verify"]
    if not targets or not is_literal_false(ctx, node.value) or ctx.literal(node.value) is None:
        return None
    known = any(refers_to(ctx, t.value, _SESSION_FACTORIES) or ctx.instance_class(t.value) == "requests.Session"
                for t in targets)
    return Hit(node, confidence=_lowered_under_condition(ctx, HIGH if known else MEDIUM), message=(
        "`.verify = False` turns off certificate verification for every request of this session."))


_UNVERIFIED_FACTORIES = ("ssl._create_unverified_context", "ssl._create_stdlib_context")


@rule(
    id="unverified-ssl-context",
    title="TLS context that does not verify certificates",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B323", "B309"],
    calls=list(_UNVERIFIED_FACTORIES),
    nodes=[ast.Assign],
    description="""ssl._create_unverified_context() (and _create_stdlib_context) builds a context
        with CERT_NONE and no host name check; replacing ssl._create_default_https_context with it
        turns verification off for every urllib/http.client connection of the process.
        http.client.HTTPSConnection without an explicit context is not reported: since Python
        3.4.3 it verifies certificates by default (Bandit's B309 is covered by flagging the
        unverified context actually passed to it).""",
    solution="""Use ssl.create_default_context() (with cafile= for a private CA).""",
    example="""
        conn = http.client.HTTPSConnection(host, context=ssl._create_unverified_context())
    """,
    fixed="""
        conn = http.client.HTTPSConnection(host, context=ssl.create_default_context())
    """,
)
def check_unverified_context(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Assign):
        # (most assignment targets are plain local names: the cheap test first)
        if any(ctx.may_resolve_to(t, ("_create_default_https_context",)) and ctx.qualname(t) == "ssl._create_default_https_context"
               for t in node.targets) and refers_to(ctx, node.value, _UNVERIFIED_FACTORIES):
            return Hit(node, message=(
                "Every HTTPS connection made through urllib/http.client in this process stops verifying certificates."))
        return None
    assert isinstance(node, ast.Call)
    return Hit(node, message=f"`{ctx.source(node.func)}()` builds a TLS context that accepts any certificate.")


def _is_server_context(ctx: RuleContext, receiver: ast.expr) -> bool:
    """A context made for the server side, where not asking clients for certificates is normal."""
    made = single_binding(ctx, receiver) if isinstance(receiver, ast.Name) else None
    if not isinstance(made, ast.Call):
        return False
    name = ctx.call_name(made)
    if name == "ssl.SSLContext":
        return refers_to(ctx, ctx.argument(made, 0, "protocol"), ["ssl.PROTOCOL_TLS_SERVER"]) is not None
    if name == "ssl.create_default_context":
        return refers_to(ctx, ctx.argument(made, 0, "purpose"), ["ssl.Purpose.CLIENT_AUTH"]) is not None
    return False


@rule(
    id="tls-context-verification-off",
    title="TLS context with certificate or host name checks turned off",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B501"],
    nodes=[ast.Assign],
    targets=["verify_mode", "check_hostname"],
    methods=["set_verify"],
    description="""Setting verify_mode = ssl.CERT_NONE (or pyOpenSSL's VERIFY_NONE) on a client
        context accepts any certificate (CWE-295); check_hostname = False accepts a valid
        certificate issued for another host (CWE-297). Either lets an attacker on the path
        intercept the connection. Server-side contexts (PROTOCOL_TLS_SERVER, Purpose.CLIENT_AUTH),
        where CERT_NONE only means "no client certificates", are not reported. Confidence is medium
        under a non-constant condition and low on ``self`` (a wrapper's initial state), when the
        function gives the same setting another value too (saved and restored, or a choice), or
        when it only fetches the server's certificate with the context (sockets it wraps are only
        read with getpeercert(True), nothing sent or received, the context handed to nothing else:
        an expiry check, as ssl.get_server_certificate() does).""",
    solution="""Keep the defaults of ssl.create_default_context() (CERT_REQUIRED, check_hostname
        True); for a private CA use load_verify_locations(cafile).""",
    example="""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    """,
    fixed="""
        context = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
    """,
)
def check_context_verification(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Call):
        if refers_to(ctx, ctx.argument(node, 0, "mode"), ["OpenSSL.SSL.VERIFY_NONE"]):
            return Hit(node, confidence=_setting_confidence(ctx, node, None),
                       message="`set_verify(VERIFY_NONE)` accepts any peer certificate.")
        return None
    assert isinstance(node, ast.Assign)
    for target in node.targets:
        # (the attribute first: finding out whether the receiver is a server context costs more)
        if not isinstance(target, ast.Attribute) or target.attr not in ("verify_mode", "check_hostname") \
                or _is_server_context(ctx, target.value):
            continue
        if target.attr == "verify_mode" and refers_to(ctx, node.value, _CERT_NONE):
            return _certificate_fetch_or(ctx, target.value, Hit(
                node, confidence=_setting_confidence(ctx, node, target),
                message="`verify_mode = CERT_NONE` accepts any certificate."))
        if target.attr == "check_hostname" and is_literal_false(ctx, node.value) and ctx.literal(node.value) is not None:
            return _certificate_fetch_or(ctx, target.value, Hit(
                node, cwe=297, confidence=_setting_confidence(ctx, node, target),
                message="`check_hostname = False` accepts a certificate issued for any other host."))
    return None


# What a socket only used to fetch the server's certificate does with it, besides getpeercert().
_CERTIFICATE_FETCH_METHODS = frozenset({
    "getpeercert", "close", "settimeout", "cipher", "version", "shared_ciphers", "selected_alpn_protocol",
    "do_handshake", "getpeername", "unwrap",
})
_CERTIFICATE_FETCH_NOTE = (" (Low confidence: the connection is only used to read the certificate the server sends, "
                           "as ssl.get_server_certificate() does, to inspect it; nothing is sent or received over it.)")


def _certificate_fetch_or(ctx: RuleContext, context: ast.expr, hit: Hit) -> Hit:
    """``hit``, at low confidence when the context only wraps sockets that read the server's
    certificate (see _only_fetches_certificate)."""
    if isinstance(context, ast.Name) and _only_fetches_certificate(ctx, context.id):
        hit.confidence = LOW
        hit.message += _CERTIFICATE_FETCH_NOTE
    return hit


def _only_fetches_certificate(ctx: RuleContext, context: str) -> bool:
    """Whether the function uses the TLS context named ``context`` only to wrap sockets from which
    it reads the peer's certificate in binary form (``getpeercert(True)``, the only form a
    context that does not verify returns) and sends and receives nothing: a certificate fetch
    (an expiry check, the certificate a host serves), where there is nothing to intercept. The
    context itself is only configured, never handed to other code."""
    function = ctx.function
    if function is None:
        return False
    parents = {id(child): node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    sockets: set[str] = set()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == context and isinstance(node.ctx, ast.Load)):
            continue
        attribute = parents.get(id(node))
        if not (isinstance(attribute, ast.Attribute) and attribute.value is node):
            return False  # (handed on: ``urlopen(url, context=context)``)
        call = parents.get(id(attribute))
        if attribute.attr != "wrap_socket" or not (isinstance(call, ast.Call) and call.func is attribute):
            continue  # (a setting: ``context.check_hostname = False``, ``context.load_verify_locations(...)``)
        bound = _bound_name(call, parents)
        if bound is None:
            return False
        sockets.add(bound)
    return bool(sockets) and _sockets_only_read_certificate(function, sockets, parents, ctx)


def _bound_name(call: ast.Call, parents: dict[int, ast.AST]) -> str | None:
    """The name the wrapped socket ``call`` makes is bound to: ``sock = context.wrap_socket(...)``,
    ``with context.wrap_socket(...) as sock``."""
    parent = parents.get(id(call))
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    return None


def _sockets_only_read_certificate(function: ast.AST, sockets: set[str], parents: dict[int, ast.AST],
                                   ctx: RuleContext) -> bool:
    binary_read = False
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id in sockets and isinstance(node.ctx, ast.Load)):
            continue
        attribute = parents.get(id(node))
        call = parents.get(id(attribute))
        if not (isinstance(attribute, ast.Attribute) and attribute.attr in _CERTIFICATE_FETCH_METHODS
                and isinstance(call, ast.Call) and call.func is attribute):
            return False  # (``sock.sendall(...)``, ``sock.recv()``, ``makefile()``, handed on or returned)
        if attribute.attr == "getpeercert":
            if not is_literal_true(ctx, ctx.argument(call, 0, "binary_form")):
                return False  # (the parsed form: empty without verification, so it was meant to verify)
            binary_read = True
    return binary_read


# ``ssl.SSLContext(protocol)`` with these protocols (or none: PROTOCOL_TLS) starts with
# verify_mode CERT_NONE and check_hostname False; only PROTOCOL_TLS_CLIENT (and
# create_default_context()) start verifying. (The obsolete versions have their own rule.)
_UNVERIFIED_PROTOCOLS = frozenset({"ssl.PROTOCOL_TLS", "ssl.PROTOCOL_SSLv23", "ssl.PROTOCOL_TLSv1_2"})
# Keywords handing a TLS context to a client connection (http.client, urllib, smtplib, imaplib,
# ftplib, poplib: ``context=``; asyncio/aiohttp: ``ssl=``; httpx: ``verify=``), and the calls
# where they make a server instead. (``ssl_context=`` is mostly a server's: Flask's ``app.run``,
# aiohttp's ``run_app``: not counted.)
_CONTEXT_KEYWORDS = frozenset({"context", "ssl", "verify"})
_SERVER_CALLS = ("start_server", "create_server", "start_unix_server", "create_unix_server", "serve", "run_app",
                 "run_simple", "run")
_CLIENT_WRAPPERS = frozenset({"wrap_socket", "wrap_bio"})


@rule(
    id="ssl-context-unverified-default",
    title="TLS client context that verifies nothing (SSLContext defaults)",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    calls=["ssl.SSLContext"],
    description="""ssl.SSLContext() without a protocol, or with PROTOCOL_TLS / PROTOCOL_SSLv23 /
        PROTOCOL_TLSv1_2, starts with verify_mode = CERT_NONE and check_hostname = False, unlike
        ssl.create_default_context() and SSLContext(PROTOCOL_TLS_CLIENT). Used for a client
        connection (``wrap_socket``/``wrap_bio`` without server_side=True, or passed as
        ``context=``/``ssl=``/``verify=`` to http.client, urllib, smtplib, asyncio, httpx...), it accepts any
        certificate: anyone on the path can intercept the connection. Reported where the context
        is made, when the same function uses it as a client and sets neither ``check_hostname =
        True`` (which also requires certificates) nor ``verify_mode`` on it (``verify_mode =
        CERT_REQUIRED`` alone still accepts a certificate of any other host: CWE-297). Server-side
        contexts (PROTOCOL_TLS_SERVER, ``wrap_socket(server_side=True)``, contexts only given a
        certificate chain) are not reported, nor a context whose use the function does not show;
        a context only used to fetch the server's certificate (getpeercert(True), nothing sent or
        received) is low confidence.""",
    solution="""Use ssl.create_default_context() (cafile= for a private CA), or
        SSLContext(ssl.PROTOCOL_TLS_CLIENT) with load_verify_locations()/load_default_certs().""",
    example="""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS)
        conn = http.client.HTTPSConnection(host, context=context)
    """,
    fixed="""
        context = ssl.create_default_context()
        conn = http.client.HTTPSConnection(host, context=context)
    """,
)
def check_default_context_unverified(node: ast.Call, ctx: RuleContext):
    protocol = ctx.argument(node, 0, "protocol")
    if protocol is not None and refers_to(ctx, protocol, _UNVERIFIED_PROTOCOLS) is None:
        return None
    use = _client_use_of(node, ctx)
    if use is None:
        return None
    use_node, settings = use
    if "check_hostname" in settings:
        return None  # ``check_hostname = True`` (or False: tls-context-verification-off's business)
    line = f" (line {use_node.lineno})" if use_node.lineno != node.lineno else ""
    if "verify_mode" in settings:
        if not settings["verify_mode"]:
            return None  # CERT_NONE (the other rule) or a value of unknown meaning
        return Hit(node, cwe=297, message=(
            f"This context requires certificates but never checks the host name before its client use{line}: "
            "a valid certificate of any other host is accepted."))
    hit = Hit(node, message=(
        f"`{ctx.source(node)}` verifies neither certificates nor host names, and is used for a client connection{line}."))
    name = ctx.assigned_once_to(node)
    return hit if name is None else _certificate_fetch_or(ctx, ast.Name(id=name, ctx=ast.Load()), hit)


def _client_use_of(made: ast.Call, ctx: RuleContext) -> tuple[ast.AST, dict[str, bool]] | None:
    """(the client use of the context ``made`` builds, {setting: required?} for the
    ``verify_mode``/``check_hostname`` assignments the function makes on it), or None when no
    client use shows: ``made`` given inline to a client (``urlopen(url, context=SSLContext())``), or
    assigned to a local name bound once that the function uses so."""
    chain = ctx.ancestors
    parent = chain[-2] if len(chain) >= 2 and chain[-1] is made else None
    if isinstance(parent, ast.keyword):
        caller = chain[-3] if len(chain) >= 3 else None
        if isinstance(caller, ast.Call) and _hands_client_context(parent, caller, ctx):
            return caller, {}
        return None
    if isinstance(parent, ast.Attribute) and parent.attr in _CLIENT_WRAPPERS:
        caller = chain[-3] if len(chain) >= 3 else None
        if isinstance(caller, ast.Call) and caller.func is parent and not _server_side(caller, ctx):
            return caller, {}
        return None
    name = ctx.assigned_once_to(made)
    if name is None:
        return None
    scope = ctx.function or ctx.facts.scopes.tree
    use: ast.AST | None = None
    settings: dict[str, bool] = {}
    for other in ast.walk(scope):
        if isinstance(other, ast.Call):
            if use is None and _uses_as_client(other, name, ctx):
                use = other
        elif isinstance(other, ast.Assign):
            for target in other.targets:
                if isinstance(target, ast.Attribute) and target.attr in ("verify_mode", "check_hostname") \
                        and isinstance(target.value, ast.Name) and target.value.id == name:
                    if target.attr == "check_hostname":
                        settings["check_hostname"] = is_literal_true(ctx, other.value)
                    else:
                        settings["verify_mode"] = refers_to(ctx, other.value, ("ssl.CERT_REQUIRED",)) is not None
    return (use, settings) if use is not None else None


def _uses_as_client(call: ast.Call, name: str, ctx: RuleContext) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _CLIENT_WRAPPERS and isinstance(func.value, ast.Name) \
            and func.value.id == name:
        return not _server_side(call, ctx)
    return any(keyword.arg in _CONTEXT_KEYWORDS and isinstance(keyword.value, ast.Name) and keyword.value.id == name
               and _hands_client_context(keyword, call, ctx) for keyword in call.keywords)


def _hands_client_context(keyword: ast.keyword, call: ast.Call, ctx: RuleContext) -> bool:
    if keyword.arg not in _CONTEXT_KEYWORDS:
        return False
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return not called.endswith(_SERVER_CALLS)


def _server_side(call: ast.Call, ctx: RuleContext) -> bool:
    """``wrap_socket(sock, server_side=True)``, ``wrap_bio(i, o, True)`` (or a value not known to
    be false, or ``**options``: not known to be a client)."""
    if any(keyword.arg is None for keyword in call.keywords):
        return True
    value = ctx.argument(call, 1 if call.func.attr == "wrap_socket" else 2, "server_side")  # type: ignore[union-attr]
    return value is not None and not is_literal_false(ctx, value)


def _setting_confidence(ctx: RuleContext, node: ast.AST, target: ast.Attribute | None):
    """How sure we are that turning a check off here is the program's behaviour, not a library's
    internal step: low when the object is ``self`` (a wrapper's initial state) or when the same
    setting gets another value elsewhere in the function (saved and restored, or one branch of a
    choice); medium under a condition (an opt-in such as --insecure); high otherwise."""
    if target is not None:
        if isinstance(target.value, ast.Name) and target.value.id == "self":
            return LOW
        if _assigned_elsewhere(ctx, node, target):
            return LOW
    return MEDIUM if under_condition(ctx) else HIGH


def _assigned_elsewhere(ctx: RuleContext, node: ast.AST, target: ast.Attribute) -> bool:
    scope = ctx.function
    if scope is None:
        return False
    receiver = ctx.source(target.value)
    for other in ast.walk(scope):
        if isinstance(other, ast.Assign) and other is not node:
            for other_target in other.targets:
                if isinstance(other_target, ast.Attribute) and other_target.attr == target.attr \
                        and ctx.source(other_target.value) == receiver:
                    return True
    return False


def under_condition(ctx: RuleContext) -> bool:
    """True when the current node only runs under a condition that is not a constant."""
    for ancestor in reversed(ctx.ancestors):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp, ast.While)) and not ctx.is_constant(ancestor.test):
            return True
    return False


_OLD_VERSIONS = {
    **{f"ssl.PROTOCOL_{v}": v for v in ("SSLv2", "SSLv3", "TLSv1", "TLSv1_1")},
    **{f"ssl.TLSVersion.{v}": v for v in ("SSLv3", "TLSv1", "TLSv1_1")},
    **{f"OpenSSL.SSL.{v}_METHOD": v for v in ("SSLv2", "SSLv3", "TLSv1", "TLSv1_1")},
}
_OLD_VERSION_LAST_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _OLD_VERSIONS)


def _configures_a_version(ctx: RuleContext, node: ast.AST) -> bool:
    """True where the constant selects a version (argument, keyword, default, assigned setting,
    options dict entry); false in comparisons and in tables that map versions to other things
    (dict keys, subscripts, ``table[v] = ...``, tuples/lists/sets of versions)."""
    chain = ctx.ancestors
    parent = chain[-2] if len(chain) >= 2 and chain[-1] is node else None
    match parent:
        case ast.Compare() | ast.Subscript() | ast.Tuple() | ast.List() | ast.Set():
            return False
        case ast.Dict(keys=keys, values=values):
            return any(value is node and isinstance(key, ast.Constant) and isinstance(key.value, str)
                       for key, value in zip(keys, values))
        case ast.Assign(targets=targets):
            return not all(isinstance(target, ast.Subscript) for target in targets)
    return True


@rule(
    id="insecure-tls-version",
    title="Obsolete SSL/TLS protocol version",
    cwe=327,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B502", "B503"],
    nodes=[ast.Attribute, ast.Name],
    names=_OLD_VERSION_LAST_NAMES,  # only these can resolve to an old version (see the check)
    description="""SSLv2, SSLv3, TLS 1.0 and TLS 1.1 are broken or deprecated (POODLE, BEAST,
        RFC 8996): a connection pinned to them, or allowing them as minimum version, can be
        downgraded and decrypted. Any use of the constants is reported (as argument, as
        minimum_version/maximum_version, as an options-dict entry, as a function's default
        value); comparisons and tables mapping versions to other values (dict keys, subscripts,
        tuples of versions) are not. PROTOCOL_TLS/SSLv23_METHOD negotiate the best version and are not reported.
        Low confidence where the program offers the operator a choice of versions rather than
        making one: a table from version names to constants ({"TLSv1": ssl.TLSVersion.TLSv1,
        ...}), and a function translating its arguments (configured options, a version name)
        into one of several versions it returns (each old one is what the configuration asked
        for). The configuration's own default stays reported.""",
    solution="""Use ssl.create_default_context() (or PROTOCOL_TLS_CLIENT / PROTOCOL_TLS_SERVER) and
        set context.minimum_version = ssl.TLSVersion.TLSv1_2; with pyOpenSSL use TLS_METHOD and
        set_min_proto_version(TLS1_2_VERSION).""",
    example="""
        context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    """,
    fixed="""
        context = ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
    """,
)
def check_tls_version(node: ast.AST, ctx: RuleContext):
    last = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    if last not in _OLD_VERSION_LAST_NAMES or not isinstance(getattr(node, "ctx", None), ast.Load):
        return None
    version = _OLD_VERSIONS.get(ctx.qualname(node) or "")
    if version is None:
        return None
    if not _configures_a_version(ctx, node):
        return None
    label = version.replace("_", ".").replace("TLSv1.1", "TLS 1.1").replace("TLSv1", "TLS 1.0")
    message = f"`{ctx.source(node)}` allows {label}, a broken protocol version."
    offered = _offered_choice(ctx, node)
    return Hit(node, severity=HIGH if version.startswith("SSL") else MEDIUM, confidence=LOW if offered else None,
               message=f"{message} (Low confidence: {offered}.)" if offered else message)


# A configuration key naming a protocol version ("TLSv1", "tlsv1_1", "SSLv3", "1.2"): the table it
# is a key of maps the operator's words to the library's constants.
_VERSION_NAME = re.compile(r"(?:ssl|tls)?[ _-]?v?[ _-]?\d(?:[._]\d)?", re.IGNORECASE)
_VERSION_LAST_NAMES = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1_1", "TLSv1_2", "TLSv1_3"})


def _offered_choice(ctx: RuleContext, node: ast.AST) -> str | None:
    """Why the old version at ``node`` is one the operator may choose, not the program's own
    setting, or None: it is the value of a version name in a table ({"TLSv1": ...}), or what a
    function returns for some of its arguments, the function returning several versions (a
    ladder raising the minimum for each protocol the configured options disable; a match on a
    configured name). A default of the program's (a keyword's default, a settings table's
    value, a context's minimum_version set outright) has no such alternatives."""
    chain = ctx.ancestors
    parent = chain[-2] if len(chain) >= 2 and chain[-1] is node else None
    if isinstance(parent, ast.Dict):
        key = next((k for k, v in zip(parent.keys, parent.values) if v is node), None)
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and _VERSION_NAME.fullmatch(key.value.strip()):
            return "a table from version names to versions, the operator's choice"
        return None
    function = ctx.function
    if function is None or not (function.args.args or function.args.kwonlyargs or function.args.posonlyargs):
        return None  # (nothing to translate: the function's own choice)
    if isinstance(parent, ast.Return):
        returned = {_version_name(ctx, r.value) for r in _returns(function)}
    elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        name = parent.targets[0].id
        if not any(isinstance(r.value, ast.Name) and r.value.id == name for r in _returns(function)):
            return None
        returned = {_version_name(ctx, a.value) for a in ast.walk(function) if isinstance(a, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == name for t in a.targets)}
    else:
        return None
    returned.discard(None)
    if len(returned) < 2:
        return None
    return f"`{function.name}()` translates its arguments into one of several versions, the operator's choice"


def _returns(function: ast.AST):
    return (node for node in ast.walk(function) if isinstance(node, ast.Return) and node.value is not None)


def _version_name(ctx: RuleContext, value: ast.expr | None) -> str | None:
    """``ssl.TLSVersion.TLSv1_2`` (any version constant of ssl or pyOpenSSL): its name, else None."""
    last = value.attr if isinstance(value, ast.Attribute) else value.id if isinstance(value, ast.Name) else ""
    if not (last.startswith("PROTOCOL_") or last.endswith("_METHOD") or last in _VERSION_LAST_NAMES):
        return None
    name = ctx.qualname(value) or ""  # type: ignore[arg-type]
    return name if name.startswith(("ssl.", "OpenSSL.SSL.")) else None


@rule(
    id="ssl-wrap-socket-unverified",
    title="ssl.wrap_socket without certificate verification",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B504"],
    calls=["ssl.wrap_socket"],
    description="""ssl.wrap_socket() defaults to cert_reqs=CERT_NONE and never checks the host
        name, so a client socket wrapped with it accepts any server. (It was removed in Python
        3.12.) Its default protocol, PROTOCOL_TLS, negotiates the best version, so a missing
        ssl_version alone is not a defect; an obsolete version is reported by
        insecure-tls-version. Server-side sockets are not reported.""",
    solution="""Build a context and wrap with it: ssl.create_default_context().wrap_socket(sock,
        server_hostname=host).""",
    example="""
        tls = ssl.wrap_socket(sock)
    """,
    fixed="""
        tls = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    """,
)
def check_wrap_socket(call: ast.Call, ctx: RuleContext):
    if is_literal_true(ctx, ctx.argument(call, 3, "server_side")):
        return None
    if any(keyword.arg is None for keyword in call.keywords):
        return None  # cert_reqs may come in **kwargs
    cert_reqs = ctx.argument(call, 4, "cert_reqs")
    if cert_reqs is None:
        return Hit(call, message="`ssl.wrap_socket` without cert_reqs accepts any certificate (CERT_NONE is its default).")
    if refers_to(ctx, cert_reqs, _CERT_NONE):
        return Hit(call, message="`ssl.wrap_socket` with CERT_NONE accepts any certificate.")
    return None


# --- urllib schemes --------------------------------------------------------------------------------------
_URLOPEN_CALLS = [
    *(f"{module}.{function}" for module in ("urllib.request", "six.moves.urllib.request")
      for function in ("urlopen", "Request", "urlretrieve")),
    "urllib.urlopen", "urllib.urlretrieve", "urllib2.urlopen", "urllib2.Request",
]
_FIXED_ORIGIN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#{}%]+[/?#]")
_FIXED_SCHEME_PREFIX_DEPTH = 5


def _leading_text(ctx: RuleContext, expr: ast.expr, depth: int = 0) -> str | None:
    """The constant text a string expression starts with: f"https://h/{x}", "https://h/" + x,
    "https://h/{}".format(x), "https://h/%s" % x, or a name bound once to one of these."""
    if depth > _FIXED_SCHEME_PREFIX_DEPTH:
        return None
    match expr:
        case ast.Constant(value=str() as text):
            return text
        case ast.JoinedStr(values=[ast.Constant(value=str() as text), *_]):
            return text
        case ast.BinOp(op=ast.Add(), left=left) | ast.BinOp(op=ast.Mod(), left=left):
            return _leading_text(ctx, left, depth + 1)
        case ast.Call(func=ast.Attribute(attr="format", value=template)):
            return _leading_text(ctx, template, depth + 1)
        case ast.Name():
            bound = single_binding(ctx, expr)
            return _leading_text(ctx, bound, depth + 1) if bound is not None else None
    return None


_URL_PARSERS = ("urllib.parse.urlsplit", "urllib.parse.urlparse", "urlparse.urlparse", "urlparse.urlsplit")


def _scheme_checked_before(ctx: RuleContext, call: ast.Call, name: str) -> bool:
    """True when, earlier in the same function, the scheme of ``name`` is compared with something
    (``urlsplit(name).scheme in {...}``, ``parts.scheme != "https"``) or ``name.startswith(...)`` is
    tested: the program decides which schemes it opens."""
    scope = ctx.function or ctx.parsed.tree
    for node in ast.walk(scope):
        if getattr(node, "lineno", call.lineno) >= call.lineno:
            continue
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and side.attr == "scheme" and _parses_url(ctx, side.value, name):
                    return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            return True
    return False


def _parses_url(ctx: RuleContext, expr: ast.expr, name: str) -> bool:
    if isinstance(expr, ast.Name):
        bound = single_binding(ctx, expr)
        return bound is not None and bound is not expr and _parses_url(ctx, bound, name)
    return (isinstance(expr, ast.Call) and ctx.call_name(expr) in _URL_PARSERS and bool(expr.args)
            and isinstance(expr.args[0], ast.Name) and expr.args[0].id == name)


# Sources whose text never starts with a scheme: the path of this request always starts with "/".
_SCHEMELESS_SOURCES = frozenset({"HTTP request path"})


def _built_by_request(ctx: RuleContext, value: ast.expr) -> bool:
    candidate = single_binding(ctx, value) if isinstance(value, ast.Name) else value
    return isinstance(candidate, ast.Call) and (ctx.call_name(candidate) or "").endswith(".Request")


@rule(
    id="urlopen-unchecked-scheme",
    title="urllib opens a URL whose scheme is not fixed (file: reads local files)",
    cwe=73,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B310"],
    calls=_URLOPEN_CALLS,
    yields_to="ssrf",
    description="""urllib.request.urlopen/Request/urlretrieve handle file:, ftp: and data: URLs as
        well as http(s). When the URL is not fixed by the program, whoever controls it can make
        the program read local files (file:///etc/passwd, credentials, keys) instead of fetching
        a web page. CWE-73 (external control of a file name) is the defect specific to urllib.
        A URL that the ssrf rule (CWE-918) reports at the same call, as confidently, is reported
        once, by that rule (its scheme and host allow-list closes both); this rule reports the
        others: URLs of unknown origin, urlretrieve, and sources that are not SSRF (a URL given
        on the command line, in the environment or in a configuration file: low confidence, a
        file: URL there reads files of whoever runs the program). Constant URLs and URLs whose scheme and host are fixed by a constant
        prefix (f"https://api.example.com/{path}") are not reported, nor are URLs whose scheme the
        function checks first (urlsplit(url).scheme compared, url.startswith(...)).""",
    solution="""Check the scheme before opening: urllib.parse.urlsplit(url).scheme in {"http",
        "https"} (and the host against an allow-list when the URL comes from a user), or use
        requests/httpx, which do not open file: URLs.""",
    example="""
        data = urllib.request.urlopen(feed_url).read()
    """,
    fixed="""
        if urllib.parse.urlsplit(feed_url).scheme not in ("http", "https"):
            raise ValueError("only http(s) feeds are allowed")
        data = urllib.request.urlopen(feed_url, timeout=10).read()
    """,
)
def check_urlopen(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    url = ctx.argument(call, 0, "url")
    if url is None or (not name.endswith(".Request") and _built_by_request(ctx, url)):
        return None  # urlopen(Request(...)): the URL is judged where the Request is built
    prefix = _leading_text(ctx, url)
    if prefix is not None and not ctx.is_constant(url) and _FIXED_ORIGIN.match(prefix):
        return None
    if isinstance(url, ast.Name) and _scheme_checked_before(ctx, call, url.id):
        return None
    function = ctx.source(call.func).replace("{", "{{").replace("}", "}}")
    taint = ctx.taint(url)
    if taint is not None and taint.description in _SCHEMELESS_SOURCES:
        return None  # "/a/b": urllib opens no URL without a scheme
    # Where the data-flow rule ssrf (CWE-918) reports the same URL as confidently, this finding is
    # dropped (Rule.yields_to): its fix (scheme and host allow-list) also closes the file: scheme.
    return dynamic_value_hit(
        ctx, call, url,
        tainted=f"`{function}` gets a URL from {{source}} and does not check its scheme: a file: URL reads local files.",
        sink_note="opened by urllib, which also opens file: URLs",
        dynamic=f"`{function}` gets a URL that is not a constant and whose scheme is not checked: a file: URL reads local files.",
    )


# --- SSH ------------------------------------------------------------------------------------------------------
_ACCEPT_ANY_HOST_KEY = [f"paramiko.{m}{p}" for m in ("", "client.") for p in ("AutoAddPolicy", "WarningPolicy")]


@rule(
    id="ssh-host-key-not-verified",
    title="SSH connection accepts unknown host keys",
    cwe=295,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B507"],
    methods=["set_missing_host_key_policy"],
    calls=["asyncssh.connect", "asyncssh.connect_reverse", "asyncssh.SSHClientConnectionOptions"],
    description="""paramiko's AutoAddPolicy and WarningPolicy (and asyncssh's known_hosts=None)
        accept whatever host key the server presents: a machine in the middle impersonates the
        server and receives the password or agent-forwarded keys. RejectPolicy and a known_hosts
        file are not reported.""",
    solution="""Load known host keys (client.load_system_host_keys() or load_host_keys(path)) and
        keep the default RejectPolicy; with asyncssh pass known_hosts=path.""",
    example="""
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    """,
    fixed="""
        client.load_host_keys("/etc/myapp/known_hosts")
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
    """,
)
def check_ssh_host_key(call: ast.Call, ctx: RuleContext):
    if isinstance(call.func, ast.Attribute) and call.func.attr == "set_missing_host_key_policy":
        policy = refers_to(ctx, ctx.argument(call, 0, "policy"), _ACCEPT_ANY_HOST_KEY)
        if policy is None:
            return None
        return Hit(call, message=f"`{policy.rsplit('.', 1)[-1]}` accepts any unknown host key.")
    known_hosts = ctx.keyword(call, "known_hosts")
    if known_hosts is not None and isinstance(known_hosts, ast.Constant) and known_hosts.value is None:
        return Hit(call, message="`known_hosts=None` turns off host key verification.")
    return None


# --- SNMP ------------------------------------------------------------------------------------------------------
_SNMP_MODULES = (
    "pysnmp.hlapi", "pysnmp.hlapi.asyncio", "pysnmp.hlapi.asyncore", "pysnmp.hlapi.auth",
    "pysnmp.hlapi.v1arch", "pysnmp.hlapi.v1arch.asyncio", "pysnmp.hlapi.v3arch",
    "pysnmp.hlapi.v3arch.asyncio", "pysnmp.hlapi.v3arch.asyncore", "pysnmp.hlapi.v3arch.auth",
    "pysnmp.entity.rfc3413.oneliner.cmdgen", "pysnmp.entity.rfc3413.oneliner.auth",
)


def _snmp_constant(ctx: RuleContext, expr: ast.expr | None) -> str | None:
    """The last name of a pysnmp protocol constant (``usmDESPrivProtocol``), if ``expr`` is one."""
    if expr is None:
        return None
    qualified = ctx.qualname(expr) or ""
    last = qualified.rsplit(".", 1)[-1]
    return last if last.startswith(("usm", "USM")) else None


@rule(
    id="snmp-cleartext-community",
    title="SNMP v1/v2c community string sent in cleartext",
    cwe=319,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B508"],
    calls=[f"{module}.CommunityData" for module in _SNMP_MODULES],
    methods=["CommunityData"],
    description="""CommunityData selects SNMPv1 (mpModel=0) or SNMPv2c (mpModel=1, the default):
        the community string is the only credential and travels in cleartext, and nothing is
        encrypted. Anyone on the path can read it and then query or reconfigure the device.
        Bandit only reports an explicit mpModel; the default is just as exposed.""",
    solution="""Use SNMPv3 with authentication and privacy: UsmUserData(user, auth_key, priv_key,
        authProtocol=usmHMAC192SHA256AuthProtocol, privProtocol=usmAesCfb128Protocol).""",
    example="""
        auth = CommunityData("public", mpModel=0)
    """,
    fixed="""
        auth = UsmUserData("monitor", auth_key, priv_key,
                           authProtocol=usmHMAC192SHA256AuthProtocol, privProtocol=usmAesCfb128Protocol)
    """,
)
def check_snmp_community(call: ast.Call, ctx: RuleContext):
    model = ctx.literal(ctx.keyword(call, "mpModel"), 1)
    version = {0: "SNMPv1", 1: "SNMPv2c"}.get(model) if isinstance(model, int) else "SNMPv1/v2c"
    if version is None:
        return None
    return Hit(call, message=f"{version}: the community string and all data travel in cleartext.")


_WEAK_SNMP_PRIVACY = {"usmDESPrivProtocol": "DES", "usm3DESEDEPrivProtocol": "Triple DES"}
_WEAK_SNMP_AUTH = {"usmHMACMD5AuthProtocol": "HMAC-MD5"}


def _snmp_usm_problem(ctx: RuleContext, call: ast.Call) -> tuple[int, str] | None:
    auth_key = ctx.argument(call, 1, "authKey")
    priv_key = ctx.argument(call, 2, "privKey")
    auth_protocol = _snmp_constant(ctx, ctx.keyword(call, "authProtocol"))
    priv_protocol = _snmp_constant(ctx, ctx.keyword(call, "privProtocol"))
    no_auth = (auth_key is None and auth_protocol is None) or auth_protocol == "usmNoAuthProtocol"
    no_priv = (priv_key is None and priv_protocol is None) or priv_protocol == "usmNoPrivProtocol"
    if no_auth:
        return 319, "SNMPv3 noAuthNoPriv: requests are neither authenticated nor encrypted."
    if no_priv:
        return 319, "SNMPv3 authNoPriv: the data travels unencrypted."
    if priv_protocol is None:
        return 327, "privacy defaults to DES (56-bit keys) when privProtocol is not given."
    if priv_protocol in _WEAK_SNMP_PRIVACY:
        return 327, f"privacy uses {_WEAK_SNMP_PRIVACY[priv_protocol]}, a broken cipher."
    if auth_protocol is None or auth_protocol in _WEAK_SNMP_AUTH:
        return 327, "authentication uses HMAC-MD5 (the default when authProtocol is not given)."
    return None


@rule(
    id="snmp-weak-security",
    title="SNMPv3 without encryption or with weak algorithms",
    cwe=319,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B509"],
    calls=[f"{module}.UsmUserData" for module in _SNMP_MODULES],
    methods=["UsmUserData"],
    description="""UsmUserData without an authentication key is noAuthNoPriv, and without a privacy
        key authNoPriv: the data (and with noAuth anything else) is in cleartext (CWE-319). With
        keys but no explicit protocols pysnmp falls back to HMAC-MD5 and DES, which are broken
        (CWE-327); explicit DES/3DES privacy is reported the same way.""",
    solution="""Give both keys and strong protocols: authProtocol=usmHMAC192SHA256AuthProtocol (or
        SHA-384/512) and privProtocol=usmAesCfb128Protocol (or AES-256).""",
    example="""
        user = UsmUserData("monitor", auth_key, priv_key)
    """,
    fixed="""
        user = UsmUserData("monitor", auth_key, priv_key,
                           authProtocol=usmHMAC192SHA256AuthProtocol, privProtocol=usmAesCfb128Protocol)
    """,
)
def check_snmp_usm(call: ast.Call, ctx: RuleContext):
    problem = _snmp_usm_problem(ctx, call)
    if problem is None:
        return None
    cwe, message = problem
    return Hit(call, cwe=cwe, message=message, severity=LOW if "HMAC-MD5" in message else None)


# --- IPMI ---------------------------------------------------------------------------------------------------------
@rule(
    id="ipmi-used",
    title="IPMI exposes credentials to the network",
    cwe=319,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B415"],
    calls=["pyghmi.ipmi.command.Command", "pyghmi.ipmi.console.Console", "pyghmi.ipmi.private.session.Session"],
    message="`{name}` opens an IPMI session: IPMI 2.0 hands out password hashes and is often unencrypted.",
    description="""IPMI 2.0's RAKP handshake gives any client a salted hash of a user's password
        before authentication (offline cracking), and many BMCs accept weak cipher suites or
        cipher 0. Importing pyghmi is not reported; opening a session is.""",
    solution="""Prefer the BMC's Redfish API over HTTPS with verified certificates; if IPMI is
        unavoidable, keep BMCs on an isolated management network with long random passwords.""",
    example="""
        bmc = Command(bmc=address, userid=user, password=password)
    """,
    fixed="""
        session = redfish.redfish_client(base_url=f"https://{address}", username=user, password=password)
    """,
)
def check_ipmi(call: ast.Call, ctx: RuleContext):
    return Hit(call)


# --- httpoxy --------------------------------------------------------------------------------------------------------
@rule(
    id="httpoxy-cgi",
    title="CGI handler lets a request header set HTTP_PROXY (httpoxy)",
    cwe=454,
    severity=MEDIUM,
    confidence=LOW,
    bandit=["B412"],
    calls=["wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"],
    message="`{name}` runs under CGI, where a client's `Proxy:` header becomes the HTTP_PROXY variable.",
    description="""Under CGI every request header becomes an HTTP_* environment variable, so a
        client's "Proxy:" header sets HTTP_PROXY, which HTTP libraries trust as their proxy
        configuration (CWE-454, external initialization of trusted data): outgoing requests go to
        the attacker. Python's urllib (and requests, which uses it) ignore HTTP_PROXY under CGI
        since 3.5.2, hence the low confidence; other clients may not.""",
    solution="""Serve the application with a WSGI server instead of CGI, or remove HTTP_PROXY from
        the environment before any outgoing request (os.environ.pop("HTTP_PROXY", None)).""",
    example="""
        wsgiref.handlers.CGIHandler().run(app)
    """,
    fixed="""
        os.environ.pop("HTTP_PROXY", None)
        wsgiref.handlers.CGIHandler().run(app)
    """,
)
def check_httpoxy(call: ast.Call, ctx: RuleContext):
    if _removes_http_proxy(ctx):
        return None
    return Hit(call)


def _removes_http_proxy(ctx: RuleContext) -> bool:
    """True when the file drops HTTP_PROXY from os.environ (pop or del), the httpoxy mitigation."""
    for node in ast.walk(ctx.parsed.tree):
        if isinstance(node, ast.Call) and ctx.facts.imports.qualname(node.func) == "os.environ.pop" \
                and node.args and ctx.literal(node.args[0], None) == "HTTP_PROXY":
            return True
        if isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and ctx.facts.imports.qualname(target.value) == "os.environ" \
                        and ctx.literal(target.slice, None) == "HTTP_PROXY":
                    return True
    return False

