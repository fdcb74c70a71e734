"""Sanitizers: calls whose result is safe for some weaknesses (by CWE), whatever went in.

Type conversions and hashes are safe for every injection: an int cannot carry a shell
metacharacter. Escapers are safe only for their own context: ``shlex.quote`` protects a shell
command, not an SQL query.
"""
ALL_CWES = frozenset({0})  # marker: safe for every weakness
LINE_BREAK_CWES = frozenset({113, 117, 93})  # header / log injection: CR and LF removed

SANITIZERS: dict[str, frozenset[int]] = {
    # Conversions and values derived from, but not carrying, the input
    **{name: ALL_CWES for name in (
        "int", "float", "bool", "len", "abs", "round", "hash", "id", "isinstance", "callable",
        "hasattr", "type", "decimal.Decimal", "uuid.UUID", "fractions.Fraction", "complex",
        "ipaddress.ip_address", "ipaddress.ip_network", "ipaddress.ip_interface",
        "ipaddress.IPv4Address", "ipaddress.IPv6Address", "datetime.date.fromisoformat",
        "hashlib.sha256", "hashlib.sha512", "hashlib.sha1", "hashlib.md5", "hashlib.sha384",
        "hashlib.blake2b", "hashlib.new", "hmac.new", "hmac.compare_digest", "zlib.crc32",
        "secrets.compare_digest", "os.path.exists", "os.path.isfile", "os.path.isdir",
    )},
    # Shell
    "shlex.quote": frozenset({78, 88}),
    "pipes.quote": frozenset({78, 88}),
    # HTML
    "html.escape": frozenset({79, 80}),
    "markupsafe.escape": frozenset({79, 80}),
    "flask.escape": frozenset({79, 80}),
    "jinja2.escape": frozenset({79, 80}),
    "django.utils.html.escape": frozenset({79, 80}),
    "django.utils.html.conditional_escape": frozenset({79, 80}),
    "django.utils.html.strip_tags": frozenset({79, 80}),
    "bleach.clean": frozenset({79, 80}),
    "cgi.escape": frozenset({79, 80}),
    "xml.sax.saxutils.escape": frozenset({79, 80}),
    "xml.sax.saxutils.quoteattr": frozenset({79, 80}),
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
    "urllib.parse.urlencode": frozenset({113, 117, 93, 79}),
    "flask.url_for": frozenset({601, 918}),
    "django.urls.reverse": frozenset({601, 918}),
    "django.shortcuts.resolve_url": frozenset({601}),
    "json.dumps": frozenset({113, 117, 93}),
}
