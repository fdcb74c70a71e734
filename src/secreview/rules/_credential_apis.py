"""Data for the hard-coded credential rules (rules/secrets.py): the library APIs that take a password
where its name does not say so (positionally, or under a keyword such as ``cred``), the keywords
that take a ``(user, password)`` pair, and the configuration lookups whose default is the value
used when the setting is missing.

Not a rule module (the leading underscore keeps the rule loader from importing it as one). Plain
dicts keyed by the called name's last part: secrets.py asks them for nearly every call, so a miss
must cost one lookup.
"""
from __future__ import annotations

# --- passwords passed to well-known APIs ---------------------------------------------------------

# A function or class taking a password: qualified name -> (position of the password, its
# keyword when that keyword is not credential-named: ``password=``/``passwd=`` are judged as any
# credential-named keyword is).
PASSWORD_CALLS: dict[str, tuple[int, str | None]] = {
    # DB drivers whose old signature is (host, user, password, database)
    "pymysql.connect": (2, None), "pymysql.Connect": (2, None), "pymysql.Connection": (2, None),
    "pymysql.connections.Connection": (2, None),
    "MySQLdb.connect": (2, None), "MySQLdb.Connect": (2, None), "MySQLdb.Connection": (2, None),
    "MySQLdb.connections.Connection": (2, None),
    "redis.Redis": (3, None), "redis.StrictRedis": (3, None), "redis.client.Redis": (3, None),
    # LDAP: Connection(server, user, password)
    "ldap3.Connection": (2, None),
    # FTP(host, user, passwd): logs in at once
    "ftplib.FTP": (2, None), "ftplib.FTP_TLS": (2, None),
    # HTTP authentication objects: (user name, password)
    "requests.auth.HTTPBasicAuth": (1, None), "requests.auth.HTTPDigestAuth": (1, None),
    "requests.auth.HTTPProxyAuth": (1, None), "requests.HTTPBasicAuth": (1, None),
    "httpx.BasicAuth": (1, None), "httpx.DigestAuth": (1, None),
    "aiohttp.BasicAuth": (1, None), "aiohttp.helpers.BasicAuth": (1, None),
}

_SMTP = ("smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP")
_IMAP = ("imaplib.IMAP4", "imaplib.IMAP4_SSL", "imaplib.IMAP4_stream")
_FTP = ("ftplib.FTP", "ftplib.FTP_TLS")
_POP = ("poplib.POP3", "poplib.POP3_SSL")
_LDAP = ("ldap.initialize", "ldap.ldapobject.LDAPObject", "ldap.ldapobject.SimpleLDAPObject",
         "ldap.ldapobject.ReconnectLDAPObject")
_SSH = ("paramiko.SSHClient", "paramiko.client.SSHClient")

# A method taking a password: method name -> (the constructors that make its receiver (qualified
# names), position of the password, its keyword when not credential-named). The receiver must be
# known to be made by one of them: ``login`` or ``bind`` of anything else is not this API.
PASSWORD_METHODS: dict[str, tuple[frozenset[str], int, str | None]] = {
    "login": (frozenset(_SMTP + _IMAP + _FTP), 1, None),  # login(user, password)
    "login_cram_md5": (frozenset(_IMAP), 1, None),
    "pass_": (frozenset(_POP), 0, "pswd"),  # POP3: user(name), then pass_(password)
    "apop": (frozenset(_POP), 1, None),
    "simple_bind_s": (frozenset(_LDAP), 1, "cred"),  # simple_bind_s(who, cred)
    "simple_bind": (frozenset(_LDAP), 1, "cred"),
    "bind_s": (frozenset(_LDAP), 1, "cred"),
    "bind": (frozenset(_LDAP), 1, "cred"),
    "rebind": (frozenset({"ldap3.Connection"}), 1, None),  # rebind(user, password)
    "connect": (frozenset(_SSH), 3, None),  # connect(hostname, port, username, password)
}
# (for messages: the class an object made by a factory function is)
CLASS_OF_CONSTRUCTOR = {"ldap.initialize": "ldap.ldapobject.LDAPObject"}

# Keywords taking a (user, password) pair: requests/httpx ``auth=("svc", "pw")``, Elasticsearch
# ``http_auth=``/``basic_auth=``, logging's SMTPHandler ``credentials=``.
AUTH_PAIR_KEYWORDS = frozenset({"auth", "http_auth", "basic_auth", "credentials"})

# --- configuration lookups with a fallback -------------------------------------------------------

# A lookup of a setting by name: method or function name -> position of the default (its keyword
# is ``default``). The first argument is the setting's name; its default is what production runs
# with when the setting is missing.
LOOKUP_DEFAULTS: dict[str, int | None] = {
    "get": 1, "getenv": 1, "setdefault": 1,  # os.environ.get / os.getenv / os.environ.setdefault
    "config": 1,  # python-decouple config("SECRET_KEY", default=...)
    "env": 2,  # django-environ env("X", cast, default)
    "str": 1, "bytes": 1,  # django-environ env.str("X", default)
    "get_value": 2,  # django-environ env.get_value("X", cast, default)
    "Validator": None,  # dynaconf Validator("SECRET_KEY", default=...)
}
# Lookups known by their qualified name, whatever the receiver is called.
LOOKUP_FUNCTIONS = frozenset({
    "os.environ.get", "os.getenv", "os.environ.setdefault", "os.environb.get", "os.getenvb",
    "decouple.config", "dynaconf.Validator", "dynaconf.validator.Validator",
})
# Receivers (their last name) and called names that are a configuration: ``env.str(...)``,
# ``app.config.get(...)``, ``settings.get(...)``, ``config(...)``, ``env(...)``.
CONFIG_NAMES = frozenset({"environ", "env", "config", "settings", "conf", "cfg", "configuration"})
# The keyword of the default in a lookup.
DEFAULT_KEYWORD = "default"

# The cheap test for a call without keywords: the smallest position at which a call of this
# last name may pass a credential positionally (it must have more arguments than that), by the
# kind of callee: a method (``smtp.login``, ``os.environ.get``) or a plain name (``getenv``,
# ``HTTPBasicAuth``; not ``str``, which is nearly always the builtin).
POSITIONAL_METHODS: dict[str, int] = {}
for _name, (_position, _) in PASSWORD_CALLS.items():
    _last = _name.rsplit(".", 1)[-1]
    POSITIONAL_METHODS[_last] = min(_position, POSITIONAL_METHODS.get(_last, _position))
for _name, (_, _position, _) in PASSWORD_METHODS.items():
    POSITIONAL_METHODS[_name] = min(_position, POSITIONAL_METHODS.get(_name, _position))
for _name, _position in LOOKUP_DEFAULTS.items():
    if _position is not None:
        POSITIONAL_METHODS[_name] = min(_position, POSITIONAL_METHODS.get(_name, _position))
# (the last names of PASSWORD_CALLS, with the smallest position of the password)
PASSWORD_CALL_POSITIONS: dict[str, int] = {}
for _name, (_position, _) in PASSWORD_CALLS.items():
    _last = _name.rsplit(".", 1)[-1]
    PASSWORD_CALL_POSITIONS[_last] = min(_position, PASSWORD_CALL_POSITIONS.get(_last, _position))
POSITIONAL_FUNCTIONS: dict[str, int] = {
    name: position for name, position in POSITIONAL_METHODS.items()
    if name in {n.rsplit(".", 1)[-1] for n in PASSWORD_CALLS} or name in ("getenv", "config", "env")}

# pydantic ``Field(...)`` / dataclasses ``field(default=...)``: the field's default.
FIELD_FACTORIES = frozenset({"Field", "field"})
del _name, _position, _last
