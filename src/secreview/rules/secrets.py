"""Credentials in the source (hard-coded passwords and secrets, unmasked config options) and
credentials written to logs.

Names decide what a value is (see ``_naming.credential_kind``: the *last* word of the name), the
value decides whether it can be a real credential: empty strings, template markers
(``"<password>"``, ``"${DB_PASS}"``, ``"{{ token }}"``), values with whitespace (labels, prompts),
paths/URLs and names of other variables (``"GITHUB_TOKEN"``) are not credentials and stay silent.
Whatever its name, a URL's password (``"postgresql://app:S3cret@db/app"``), the credential of an
``Authorization`` header value (``"Bearer 9f8e..."``) and a string in the format of a well-known
token (``KNOWN_TOKENS``: ``"ghp_..."``, ``"AKIA..."``) are secrets too; an option's ``default=`` is
kept under the option's name (``add_argument("--password", default=...)``), and the default of a
configuration lookup under the setting's name (``os.getenv("DB_PASSWORD", "...")``). APIs taking a
password under another name or position (``smtp.login(user, "pw")``, ``auth=("svc", "pw")``) are
listed in ``_credential_apis``.
Well-known placeholder values (``"changeme"``, ``"example"``) are still reported, at low
confidence: a default credential that nobody changed is a real defect, but usually it is a sample.
Test code gets low confidence (fake credentials are the norm there).
Not credentials either: a password after an action (``update_password = "always"``, an option), a
value spelling its key's words (``_ATTR_TOKEN = "attribute"``, ``{"new_credentials":
"NewCredentials"}``), a ``Literal[...]``-typed tag, and a comparison of a local name the code only
ever binds to its own literals (``token = "name" if ... else "op"; token == "#bygroup"``: a lexer's
token kind). One lower-case word as a token or key (``"relationship"``) is low confidence.
"""
from __future__ import annotations

import ast
import re
import string
import urllib.parse

from secreview.rules._naming import (
    PASSWORD, SECRET, TOKEN_KINDS, credential_kind, is_test_code, last_name, name_words, reference_name,
)
from secreview.facts import instances
from secreview.facts.scopes import PURE_FUNCTIONS, PURE_METHODS
from secreview.rules import _credential_apis as apis
from secreview.findings import Level
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

_TEMPLATE = re.compile(
    r"""^(<[^<>]*>|\$\{.*\}|\$[A-Za-z_]\w*|\{\{.*\}\}|\{%.*%\}|%\(\w+\)s|\{\w*\}|(.)\2{2,}|\.\.\.|
    [A-Z][A-Z0-9]*(_[A-Z0-9]+)+)$""",
    re.VERBOSE,
)
_LOCATION = re.compile(r"^(/|\./|\.\./|~/|[A-Za-z]:\\|file:|https?://(?![^/@]*:[^/@]*@))")
PLACEHOLDER_WORDS = ("changeme", "change_me", "change-me", "changeit", "example", "dummy", "placeholder",
                     "your_", "your-", "yourpass", "fake", "sample", "redacted", "notsecret", "not_secret",
                     "fixme", "todo", "xxx")
WEAK_DEFAULTS = frozenset({"secret", "admin", "default", "test", "guest", "root", "none", "null", "pass"})
TOKEN_TYPES = frozenset({"bearer", "basic", "mac", "jwt", "digest", "hawk", "negotiate"})
# A regular expression describing tokens (lexers, parsers), not a token.
_PATTERN = re.compile(r"\\[wdsWDSbBAZ]|\[\^|\(\?|\.\*|\.\+|\[\w-\w")
# A rate limit ("5/m", "20/m/ip,5/m/key", "100/hour;1000/day", "10/5min"): a count per period,
# optionally per scope, in a list; what django-ratelimit, allauth, slowapi and DRF throttles read
# (ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,5/m/key"}). A number, a unit, no secret.
_RATE = r"\d+\s*/\s*\d*\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|months?|y|years?)(?:/[a-z_]+)*"
_RATE_LIMIT = re.compile(rf"{_RATE}(?:\s*[,;]\s*{_RATE})*", re.I)


def string_value(expr: ast.expr | None, ctx: RuleContext) -> str | None:
    """The text of a string (or bytes) literal, or of a name bound once to one -- unless that name
    is itself credential-named (then the literal is reported where it is written)."""
    if expr is None:
        return None
    if isinstance(expr, ast.Name):
        if credential_kind(expr.id):
            return None
        value = ctx.literal(expr, None)
    elif isinstance(expr, ast.Constant):
        value = expr.value
    else:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


# Lower-case words that stand for no credential or an unauthenticated one, never for a secret.
_SENTINEL_WORDS = frozenset({
    "undefined", "null", "none", "nil", "nan", "anonymous", "anon", "guest", "unknown", "empty", "missing",
    "invalid", "unset", "false", "true", "disabled", "expired", "revoked", "public",
})
_WORDS_NAME = re.compile(r"_?[a-z]+(?:[-_.][a-z]+)+|_[a-z]+")
_SENTINEL = re.compile(r"[A-Z]+(?:_[A-Z]+)*")


def credential_confidence(name: str, kind: str, value: str, compared: bool = False) -> Level | None:
    """How likely ``value`` stored under (or compared with) ``name`` is a real credential; None:
    it is not one."""
    text = value.strip()
    if not text or any(c.isspace() for c in text):
        return None  # empty, or a label / prompt / message
    if not any(c.isalnum() for c in text) or "***" in text or "\u2022\u2022" in text:
        return None  # punctuation, a symbol, or a masked value (":****")
    if _TEMPLATE.match(text) or _LOCATION.match(text) or _PATTERN.search(text):
        return None  # a template marker, an environment variable's name, a path, URL or regex
    if text[0].isdigit() and _RATE_LIMIT.fullmatch(text):
        return None  # a rate limit: "reset_password": "20/m/ip,5/m/key"
    if text.lower() in TOKEN_TYPES:
        return None  # default_token="Bearer" names a token type
    lowered = text.lower()
    if lowered.replace("-", "_") in {name.lower(), "_".join(name_words(name))}:
        return None  # the key's own name: PASSWORD = "password"
    if text.isidentifier() and text.islower() and credential_kind(text):
        return None  # a field or key name: LOGIN_FIELD = "password", TOKEN_PARAM = "access_token"
    if text in _SENTINEL_WORDS and (compared or kind == SECRET):
        # ``token == "undefined"``, ``API_TOKEN = "null"``: a marker for no token (a password
        # set to "guest" is still a weak default credential, below).
        return None
    if kind == SECRET and _names_the_key(name, text):
        # _ATTR_TOKEN = "attribute", {"new_credentials": "NewCredentials"}: a label or an enum's
        # value spelled like its key, not a key
        return None
    if any(word in lowered for word in PLACEHOLDER_WORDS) or lowered in WEAK_DEFAULTS:
        return LOW
    if kind == SECRET and (_WORDS_NAME.fullmatch(text) or (compared and _SENTINEL.fullmatch(text))):
        # SESSION_KEY = "_auth_user_id", url_token = "set-password", token == "NOTPROVIDED": words
        # naming a slot, a route or a sentinel. Tokens and keys are random-looking, not words.
        return None
    if kind == SECRET and _HEADER_NAME.fullmatch(text):
        return None  # _HEADER_GITLAB_TOKEN = b"X-Gitlab-Token": the name of the header carrying one
    if kind == SECRET and _CAMEL_WORDS.fullmatch(text):
        # {"input_token": "NextToken"}, {"limit_key": "MaxResults"}: a field or parameter name in
        # an API's spelling. Generated secrets are not dictionary words in camel case; a made-up
        # one ("SuperSecretKey") is still shown at low confidence.
        return LOW
    if kind == SECRET and len(text) < 8:
        # `token = "EOF"` in a parser; real API secrets are long. `if token == "("` is parsing.
        return None if compared else LOW
    if kind == SECRET and text.isalpha() and text.islower() and not _SECRET_FRAGMENTS.search(text):
        # `token == "relationship"`, `_KIND_TOKEN = "attribute"`: one lower-case word is a token
        # kind or a keyword; generated secrets mix cases and digits ("mysecretkey" says what it is).
        return LOW
    if compared:
        return HIGH if len(text) >= 6 else LOW  # `user_pass == "git"` compares a user name
    return MEDIUM


_SECRET_FRAGMENTS = re.compile(r"secret|key|pass|pwd|token|auth|admin")
# An HTTP header's name: capitalised words joined by hyphens ("X-Gitlab-Token", "X-API-Key").
_HEADER_NAME = re.compile(r"[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+")
# Two or more capitalised words run together, letters only ("NextToken", "nextToken", "MaxResults").
_CAMEL_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[A-Z][a-z]+)+")


def _names_the_key(name: str, text: str) -> bool:
    """Every word of ``text`` is a word of ``name`` or begins with one (an abbreviation: ``attr``
    for "attribute"): the value spells its own key."""
    if len(text) > 40 or not text.replace("_", "").replace("-", "").isalpha():
        return False
    keys = name_words(name)
    words = name_words(text)
    return bool(words) and all(any(word == key or (len(key) >= 3 and word.startswith(key)) for key in keys)
                               for word in words)


_LITERAL_HOLDERS = (ast.Constant, ast.Name)
# An assignment's value that may be a credential literal: ``x = os.getenv("X") or "fallback"`` too.
_ASSIGNED_HOLDERS = (ast.Constant, ast.Name, ast.BoolOp)


_CONSTANT = ast.Constant
_ATTRIBUTE, _NAME = ast.Attribute, ast.Name
_POSITIONAL_METHODS, _POSITIONAL_FUNCTIONS = apis.POSITIONAL_METHODS, apis.POSITIONAL_FUNCTIONS
_NEVER = 1 << 30  # (more arguments than any call has)


def credential_literals(node: ast.AST, ctx: RuleContext) -> list[tuple[str, str, ast.expr, Level, str]]:
    """(kind, name, literal node, confidence, where) for each hard-coded credential in ``node``.

    Both hardcoded-* rules ask this for the same node one after the other: the last answer is kept
    (per file, for that node only)."""
    # Cheap exits first: this runs twice for most nodes and nearly always finds nothing. Only a
    # constant or a name can hold a credential literal (``string_value``), and a call stores a
    # value under a name only through a keyword argument.
    cls = node.__class__
    if cls is ast.Call:
        if not node.keywords:  # (a token passed positionally: a string constant, most calls have none)
            # (``type(x)``, not ``x.__class__``: specialised by the interpreter, measurably cheaper
            # on these nodes of many classes)
            argument = None
            for argument in node.args:  # type: ignore[attr-defined]
                if type(argument) is _CONSTANT:  # (_may_be_token inlined)
                    text = argument.value
                    if type(text) is str and len(text) >= _MIN_TOKEN_LENGTH and text[:4] in _TOKEN_HEADS:
                        break
            else:
                # ... or a password or a setting's default passed positionally to an API of
                # _credential_apis (``smtp.login(user, "pw")``, ``os.getenv("X", "default")``):
                # then the last argument is a string constant (nearly always, it is not)
                if type(argument) is not _CONSTANT or type(argument.value) is not str:  # type: ignore[attr-defined]
                    return []
                func = node.func  # type: ignore[attr-defined]
                if type(func) is _ATTRIBUTE:
                    position = _POSITIONAL_METHODS.get(func.attr, _NEVER)
                elif type(func) is _NAME:
                    position = _POSITIONAL_FUNCTIONS.get(func.id, _NEVER)
                else:
                    return []
                if len(node.args) <= position:  # type: ignore[attr-defined]
                    return []
    elif cls is ast.Assign:
        held = type(node.value)  # type: ignore[attr-defined]
        if held not in _ASSIGNED_HOLDERS and (held is not _TUPLE or not _assigns_auth_pair(node)):  # type: ignore[arg-type]
            return []
    memo = ctx.facts.scopes.memo
    last = memo.get("credential_literals")
    if last is not None and last[0] is node:
        return last[1]
    found = _credential_literals(node, ctx)
    memo["credential_literals"] = (node, found)
    return found


def _credential_literals(node: ast.AST, ctx: RuleContext) -> list[tuple[str, str, ast.expr, Level, str]]:
    found = []
    named = _NAMED_VALUES.get(node.__class__)  # (_named_values inlined: this runs for most nodes)
    for name, value, where in named(node) if named is not None else ():
        kind = credential_kind(name)
        header = kind is None and _is_authorization_name(name)
        if kind is None and not header:
            token = _known_token(value)
            if token is not None:  # ``GH = "ghp_..."``: the format says what it is, whatever the name
                found.append((SECRET, name, value, LOW if is_test_code(ctx) else HIGH, f"{where}{_TOKEN_KIND}{token}"))
            continue  # nearly always: the name is not a credential's
        if value.__class__ is ast.BoolOp:  # ``os.getenv("JWT_SECRET") or "f8a9..."``: the fallback
            value, where = _fallback_literal(value), _FALLBACK if where is _FALLBACK else _FALLBACK_ASSIGNED
            if value is None:
                continue
        text = string_value(value, ctx)
        if text is None:
            continue
        if header:  # "Bearer 9f8e...": the scheme is public, the rest is the credential
            kind, text = SECRET, _authorization_credential(text)
            if text is None:
                continue
        compared = where == "compared with"
        confidence = credential_confidence(name, kind, text, compared=compared)
        if confidence is None or (compared and (_rejected_when_equal(node, ctx) or _holds_literals_only(node, value, ctx))):
            continue
        if confidence is LOW and where in _FALLBACK_PLACES:
            continue  # (a fallback "changeme" or "dev" says: set me; the setting is meant to be set)
        if confidence is MEDIUM and kind == SECRET and _is_aws_secret_access_key(name, text):
            confidence, where = HIGH, f"{where}{_TOKEN_KIND}AWS secret access key"  # (as sure as its key id)
        if is_test_code(ctx):
            confidence = LOW
        found.append((kind, name, value, confidence, where))
    if node.__class__ is ast.Call:
        _api_credentials(node, ctx, found)  # type: ignore[arg-type]
    elif node.__class__ is ast.Assign and node.value.__class__ is _TUPLE and _assigns_auth_pair(node):  # type: ignore[attr-defined]
        # ``session.auth = ("svc", "pw")``: requests/httpx send it with every request
        pair = [(PASSWORD, f"{ctx.source(node.targets[0])}", node.value.elts[1], "the password assigned to")]  # type: ignore[attr-defined]
        _add_credentials(pair, ctx, found)
    return found


_TUPLE = ast.Tuple


def _assigns_auth_pair(node: ast.Assign) -> bool:
    """``session.auth = (user, password)``: a pair assigned to an attribute named like an auth
    pair keyword (``auth``)."""
    target = node.targets[0]
    return target.__class__ is _ATTRIBUTE and target.attr in apis.AUTH_PAIR_KEYWORDS \
        and len(node.value.elts) == 2  # type: ignore[attr-defined]


# --- credentials passed to well-known APIs and the defaults of configuration lookups ------------
# (the tables are in _credential_apis). Only a real value is reported: placeholders ("changeme"),
# weak words and short secrets, which the rule otherwise reports at low confidence, say that the
# value is meant to be given (a fallback) or are no real credential (a sample login).

_FALLBACK = "the fallback when the configuration lacks"
_FALLBACK_ASSIGNED = "the fallback assigned to"
_FIELD_DEFAULT = "the default of the setting"
_FALLBACK_PLACES = frozenset({_FALLBACK, _FALLBACK_ASSIGNED, _FIELD_DEFAULT})
_PASSED = "passed as the password to"


def _fallback_literal(value: ast.BoolOp) -> ast.expr | None:
    """The last operand of ``a or b or "literal"`` (what is used when all the others are empty)."""
    return value.values[-1] if value.op.__class__ is ast.Or else None


def _api_credentials(call: ast.Call, ctx: RuleContext, found: list) -> None:
    """Add to ``found`` the setting's default of a configuration lookup (``os.getenv("DB_PASSWORD",
    "Pr0d...")``), the password passed to an API of the tables (``smtp.login(user, "pw")``,
    ``HTTPBasicAuth("svc", "pw")``) and the password of a ``(user, password)`` pair (``auth=``)."""
    func = call.func
    cls = func.__class__
    last = func.attr if cls is _ATTRIBUTE else func.id if cls is _NAME else None  # type: ignore[attr-defined]
    candidates = []  # (kind, name, value, where)
    if last in apis.LOOKUP_DEFAULTS:
        lookup = _lookup_default(call, ctx, last)
        if lookup is not None:
            candidates.append(lookup)
    if last in _POSITIONAL_METHODS:
        passed = _api_password(call, ctx, last)
        if passed is not None:
            candidates.append(passed)
    for keyword in call.keywords:
        if keyword.arg in apis.AUTH_PAIR_KEYWORDS and keyword.value.__class__ is ast.Tuple \
                and len(keyword.value.elts) == 2:  # type: ignore[attr-defined]
            callee = f"{_short_source(ctx, func)}({keyword.arg}=...)"
            candidates.append((PASSWORD, callee, keyword.value.elts[1], _PASSED))  # type: ignore[attr-defined]
    if candidates:
        _add_credentials(candidates, ctx, found)


def _add_credentials(candidates: list, ctx: RuleContext, found: list) -> None:
    """Add to ``found`` each (kind, name, value, where) of ``candidates`` whose value is a real
    credential literal (no placeholder, no weak word, not too short)."""
    reported = {id(value) for _, _, value, _, _ in found}  # (a known token passed positionally)
    for kind, name, value, where in candidates:
        if id(value) in reported:
            continue
        text = string_value(value, ctx)
        if text is None:
            continue
        confidence = credential_confidence(name if where is _FALLBACK else "password", kind, text)
        if confidence is None or confidence is LOW:
            continue
        found.append((kind, name, value, LOW if is_test_code(ctx) else confidence, where))


def _lookup_default(call: ast.Call, ctx: RuleContext, last: str):
    """(kind, setting, default, where) for a configuration lookup of a credential-named setting
    with a default; else None."""
    args = call.args
    key = args[0] if args else None
    if key is None or key.__class__ is not _CONSTANT or key.value.__class__ is not str:  # type: ignore[attr-defined]
        return None
    kind = credential_kind(key.value)  # type: ignore[attr-defined]
    if kind is None:
        return None  # nearly always: os.getenv("LOG_LEVEL", "INFO"), d.get("name", "")
    position = apis.LOOKUP_DEFAULTS[last]
    default = ctx.argument(call, position, apis.DEFAULT_KEYWORD)
    if default is None or not _is_config_lookup(call, ctx):
        return None
    return kind, key.value, default, _FALLBACK  # type: ignore[attr-defined]


def _is_config_lookup(call: ast.Call, ctx: RuleContext) -> bool:
    """``os.environ.get``, ``os.getenv``, ``decouple.config``, or a lookup in something named as a
    configuration (``env.str``, ``app.config.get``, ``settings.get``, ``env(...)``)."""
    func = call.func
    if func.__class__ is _ATTRIBUTE:
        receiver = last_name(func.value)  # type: ignore[attr-defined]
        if receiver is not None and receiver.lower() in apis.CONFIG_NAMES:
            return True
    elif func.__class__ is _NAME and func.id in apis.CONFIG_NAMES:  # type: ignore[attr-defined]
        return True
    return ctx.qualname(func) in apis.LOOKUP_FUNCTIONS


def _api_password(call: ast.Call, ctx: RuleContext, last: str):
    """(PASSWORD, API, password argument, where) for a call of an API of the tables; else None.
    (The argument is looked at first: the receiver's class and the qualified name cost scope
    lookups, and ``connect``, ``get`` or ``bind`` of other objects are frequent.)"""
    method = apis.PASSWORD_METHODS.get(last) if call.func.__class__ is _ATTRIBUTE else None
    if method is not None:
        receivers, position, keyword = method
        argument = ctx.argument(call, position, keyword)
        imports = ctx.facts.imports
        if argument is not None and argument.__class__ in _LITERAL_HOLDERS \
                and any(imports.imports_module(module) for module in _METHOD_MODULES[last]):
            made = instances.class_of(ctx.facts.scopes, call.func.value, ctx.scope_chain,  # type: ignore[attr-defined]
                                      lambda value: _constructor(value, ctx, receivers))
            if made is not None:
                api = f"{apis.CLASS_OF_CONSTRUCTOR.get(made, made)}.{last}"
                return PASSWORD, api, argument, _PASSED
    # (``connect`` is also pymysql's function: both tables)
    position = apis.PASSWORD_CALL_POSITIONS.get(last)
    if position is None or not any(a.__class__ in _LITERAL_HOLDERS for a in call.args[position:]):
        return None  # (a password passed by keyword is judged by its credential-named keyword)
    name = ctx.qualname(call.func)
    known = apis.PASSWORD_CALLS.get(name) if name else None
    if known is None:
        return None
    position, keyword = known
    argument = ctx.argument(call, position, keyword)
    return (PASSWORD, name, argument, _PASSED) if argument is not None else None


# The modules that must be imported for a method of PASSWORD_METHODS to be theirs (else its
# receiver's class is not looked for).
_METHOD_MODULES = {name: tuple(sorted({cls.split(".")[0] for cls in receivers}))
                   for name, (receivers, _, _) in apis.PASSWORD_METHODS.items()}


def _short_source(ctx: RuleContext, expr: ast.expr) -> str:
    text = ctx.source(expr)
    return text if len(text) <= 40 and "\n" not in text else (last_name(expr) or "the call")


def _constructor(value: ast.expr, ctx: RuleContext, classes: frozenset[str]) -> str | None:
    """The qualified name of the imported constructor called by ``value`` when it is one of
    ``classes`` (``smtplib.SMTP("host")``, ``ldap.initialize(uri)``); else None."""
    if value.__class__ is not ast.Call:
        return None
    name = ctx.facts.imports.qualname(value.func)  # type: ignore[attr-defined]
    return name if name in classes else None


# An AWS secret access key: 40 characters of base64, under a name that says so (the value alone
# has no prefix to recognise it by, unlike its key id "AKIA...").
_AWS_SECRET_KEY = re.compile(r"[A-Za-z0-9/+]{40}")


def _is_aws_secret_access_key(name: str, text: str) -> bool:
    return "secret_access_key" in name.lower() and _AWS_SECRET_KEY.fullmatch(text.strip()) is not None


# Credentials whose format names them, whatever the variable holding them is called: (what it
# is, the exact shape of a real one). The shapes fix the length and alphabet, so "sk_live_xxx" or
# "ghp_..." in documentation do not match; a value naming a placeholder ("AKIAIOSFODNN7EXAMPLE")
# or with too few distinct characters ("ghp_" + "x" * 36) is not one either.
KNOWN_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("GitHub token", r"gh[pousr]_[A-Za-z0-9]{36}"),
    ("GitHub fine-grained token", r"github_pat_[A-Za-z0-9_]{82}"),
    ("GitLab token", r"glpat-[A-Za-z0-9_\-]{20}"),
    ("AWS access key id", r"(?:AKIA|ASIA)[A-Z2-7]{16}"),
    ("Stripe secret key", r"(?:sk|rk)_live_[A-Za-z0-9]{24,}"),
    ("Slack token", r"xox[abposr]-[0-9]{8,}-[A-Za-z0-9-]{8,}"),
    ("Google API key", r"AIza[0-9A-Za-z_\-]{35}"),
    ("npm token", r"npm_[A-Za-z0-9]{36}"),
    ("PyPI token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
    ("OpenAI API key", r"sk-(?:proj-)?[A-Za-z0-9_\-]{40,}"),
))
_TOKEN_HEADS = frozenset({"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "gith", "glpa", "AKIA", "ASIA", "sk_l", "rk_l",
                          "xoxa", "xoxb", "xoxp", "xoxo", "xoxs", "xoxr", "AIza", "npm_", "pypi", "sk-p", "sk-a"}
                         | {f"sk-{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"})
_TOKEN_KIND = "|"  # (between the place and the kind of token, in credential_literals' ``where``)
_MIN_TOKEN_LENGTH = 20
_MIN_DISTINCT_CHARACTERS = 10


def _may_be_token(value: ast.expr) -> bool:
    """The cheap test: a string constant long enough, starting like one of KNOWN_TOKENS."""
    if value.__class__ is not ast.Constant:
        return False
    text = value.value  # type: ignore[attr-defined]
    return text.__class__ is str and len(text) >= _MIN_TOKEN_LENGTH and text[:4] in _TOKEN_HEADS


def _known_token(value: ast.expr) -> str | None:
    """What KNOWN_TOKENS says the string constant ``value`` is, or None."""
    if not _may_be_token(value):
        return None
    text = value.value.strip()  # type: ignore[attr-defined]
    lowered = text.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return None
    for kind, pattern in KNOWN_TOKENS:
        if pattern.fullmatch(text):
            body = text.split("_", 1)[-1] if "_" in text[:11] else text[4:]
            return kind if len(set(body)) >= _MIN_DISTINCT_CHARACTERS else None
    return None


# "Authorization", "Proxy-Authorization", META's "HTTP_AUTHORIZATION": a header whose value is
# "<scheme> <credential>" (or a bare token for some APIs).
_AUTHORIZATION = "authorization"


def _is_authorization_name(name: str) -> bool:
    return len(name) >= 13 and name[-13:].lower() == _AUTHORIZATION and (len(name) == 13 or name[-14] in "-_")


def _authorization_credential(value: str) -> str | None:
    """The credential in an Authorization header value ("Bearer abc" -> "abc"); None when there is
    none (a scheme alone, or a scheme followed by a placeholder is judged by the caller)."""
    parts = value.split(None, 1)
    if len(parts) == 2:
        scheme, credential = parts
        if scheme.lower() in TOKEN_TYPES or scheme.lower() in _AUTHORIZATION_SCHEMES:
            return credential.strip() or None
        return None  # words: a label or a message
    return parts[0] if parts and parts[0].lower() not in TOKEN_TYPES | _AUTHORIZATION_SCHEMES else None


_AUTHORIZATION_SCHEMES = frozenset({"token", "apikey", "api-key", "key", "sso-key", "ghp", "bot", "otp"})


def _named_values(node: ast.AST, ctx: RuleContext) -> list[tuple[str, ast.expr, str]]:
    """(name, value expression, kind of place) for each value ``node`` stores under a name.
    (Lists, one function per node class: this runs for most nodes and nearly always finds nothing.)"""
    named = _NAMED_VALUES.get(node.__class__)
    return named(node) if named is not None else []


def _call_values(node: ast.Call) -> list[tuple[str, ast.expr, str]]:
    found = [(keyword.arg, keyword.value, "passed as the argument") for keyword in node.keywords if keyword.arg]
    callee = last_name(node.func) or "the call"
    found += [(callee, argument, "passed to") for argument in node.args if _may_be_token(argument)]
    if any(keyword.arg == "default" for keyword in node.keywords) and (last_name(node.func) or "") in _OPTION_DECLARATIONS:
        option = _option_name(node)
        if option:  # ``add_argument("--password", default="...")``: the option's default is its value
            found = [(option, value, "the default of the option") if name == "default" else (name, value, where)
                     for name, value, where in found]
    return found


# Declarations of a command-line option: argparse's ``add_argument``, optparse's ``add_option``,
# click's ``@click.option``, Typer's ``typer.Option``. Their ``default=`` is the option's value
# when it is not given: a credential there is written in the source.
_OPTION_DECLARATIONS = frozenset({"add_argument", "add_option", "option", "Option"})


def _option_name(call: ast.Call) -> str | None:
    """The name an option's value is kept under: ``dest=``, else its first long flag
    (``--api-key`` -> ``api_key``), else a plain name among the flags (click's ``"api_key"``)."""
    for keyword in call.keywords:
        if keyword.arg == "dest" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    for flag in flags:
        if flag.startswith("--") and len(flag) > 2:
            return flag[2:].replace("-", "_")
    return next((flag for flag in flags if flag.isidentifier()), None)


def _assigned_values(node: ast.Assign) -> list[tuple[str, ast.expr, str]]:
    value = node.value
    found = [(name, value, "assigned to") for name in map(reference_name, node.targets) if name]
    if value.__class__ is ast.BoolOp and not any(credential_kind(name) for name, _, _ in found):
        # ``KEY = os.getenv("JWT_SECRET") or "f8a9..."``: the looked-up setting names the value
        first = value.values[0]  # type: ignore[attr-defined]
        if first.__class__ is ast.Call and first.args and (last_name(first.func) or "") in apis.LOOKUP_DEFAULTS:
            key = first.args[0]
            if key.__class__ is _CONSTANT and isinstance(key.value, str):  # type: ignore[attr-defined]
                found = [(key.value, value, _FALLBACK)]  # type: ignore[attr-defined]
    return found


def _annotated_values(node: ast.AnnAssign) -> list[tuple[str, ast.expr, str]]:
    name = reference_name(node.target) if node.value is not None else None
    if not name:
        return []
    if node.annotation.__class__ is ast.Subscript and _literal_type(node.annotation):
        return []  # ``KIND: Final[Literal["relationship"]] = "relationship"``: a type's tag, an enum
    value = node.value
    if value.__class__ is ast.Call and last_name(value.func) in apis.FIELD_FACTORIES:  # type: ignore[union-attr]
        # ``secret_key: str = Field("...")`` in a pydantic settings class: the field's default
        default = RuleContext.argument(value, 0, apis.DEFAULT_KEYWORD)  # type: ignore[arg-type]
        return [(name, default, _FIELD_DEFAULT)] if default is not None else []
    return [(name, value, "assigned to")]  # type: ignore[list-item]


def _literal_type(annotation: ast.expr) -> bool:
    """The annotation is (or wraps) ``Literal[...]``: the value is one of an enumerated set."""
    for node in ast.walk(annotation):
        if node.__class__ is ast.Subscript and last_name(node.value) == "Literal":  # type: ignore[attr-defined]
            return True
    return False


def _dict_values(node: ast.Dict) -> list[tuple[str, ast.expr, str]]:
    return [(key.value, value, "stored under the key") for key, value in zip(node.keys, node.values)
            if isinstance(key, ast.Constant) and isinstance(key.value, str)]


def _parameter_defaults(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, ast.expr, str]]:
    args = node.args
    found = []
    positional = [*args.posonlyargs, *args.args]
    for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
        found.append((arg.arg, default, "the default of the parameter"))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        if default is not None:
            found.append((arg.arg, default, "the default of the parameter"))
    return found


def _compared_values(node: ast.Compare) -> list[tuple[str, ast.expr, str]]:
    # `if password == "s3cret"`: the program authenticates against a fixed password.
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)) or len(node.comparators) != 1:
        return []
    left, right = node.left, node.comparators[0]
    found = []
    for stored, literal in ((left, right), (right, left)):
        name = reference_name(stored)
        if name and not isinstance(stored, ast.Constant):
            found.append((name, literal, "compared with"))
    return found


def _holds_literals_only(compare: ast.Compare, literal: ast.expr, ctx: RuleContext) -> bool:
    """``token = "number" if ... else "op"; if token == "#bygroup"``: the other side of the
    comparison is a local name the code only ever binds to its own literals (a lexer's token
    kind, a mode), so no one outside supplies what is compared: nothing is authenticated."""
    other = compare.left if compare.comparators[0] is literal else compare.comparators[0]
    return other.__class__ is _NAME and ctx.is_constant(other)


_REJECTING_CALLS = frozenset({"abort", "exit", "deny", "reject", "forbid", "unauthorized", "forbidden", "fail"})
_ERROR_STATUS = 400


def _rejected_when_equal(compare: ast.Compare, ctx: RuleContext) -> bool:
    """``if not token or token == "undefined": abort(401)``: the branch taken when the value
    equals the literal turns the request away, so the literal is a sentinel the client sends
    instead of a credential, not one the code accepts (``if token != "s3cret": abort(401)`` is)."""
    equal = isinstance(compare.ops[0], ast.Eq)
    child: ast.AST = compare
    for parent in reversed(ctx.ancestors[:-1] if ctx.ancestors and ctx.ancestors[-1] is compare else ctx.ancestors):
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            equal = not equal
        elif isinstance(parent, ast.If) and parent.test is child:
            return _rejects(parent.body if equal else parent.orelse)
        elif not isinstance(parent, ast.BoolOp):
            return False
        child = parent
    return False


def _rejects(body: list[ast.stmt]) -> bool:
    """A branch that raises, aborts or returns an error (a 4xx status, an error response; not a
    bare None or False, which a parser returns as readily)."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        name = last_name(last.value.func) or ""
        return name.lower() in _REJECTING_CALLS
    if isinstance(last, ast.Return):
        return _is_error_value(last.value)
    return False


def _is_error_value(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Tuple) and value.elts:  # ``return jsonify(error=...), 401``
        status = value.elts[-1] if len(value.elts) > 1 else None
        return isinstance(status, ast.Constant) and isinstance(status.value, int) and status.value >= _ERROR_STATUS
    if isinstance(value, ast.Call):
        name = last_name(value.func) or ""
        if name.lower() in _REJECTING_CALLS or name.endswith(("Forbidden", "Unauthorized", "BadRequest", "NotFound", "Error")):
            return True
        return any(keyword.arg in ("status", "status_code") and isinstance(keyword.value, ast.Constant)
                   and isinstance(keyword.value.value, int) and keyword.value.value >= _ERROR_STATUS
                   for keyword in value.keywords)
    return False


_NAMED_VALUES = {
    ast.Call: _call_values, ast.Assign: _assigned_values, ast.AnnAssign: _annotated_values,
    ast.Dict: _dict_values, ast.FunctionDef: _parameter_defaults, ast.AsyncFunctionDef: _parameter_defaults,
    ast.Compare: _compared_values,
}


_CREDENTIAL_NODES = [ast.Assign, ast.AnnAssign, ast.Dict, ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.Compare]


def _credential_hits(found: list[tuple[str, str, ast.expr, Level, str]], wanted: str, noun: str) -> list[Hit] | None:
    hits = []
    for kind, name, value, confidence, where in found:
        if kind != wanted:
            continue
        where, _, token = where.partition(_TOKEN_KIND)
        what = f"{noun} ({token})" if token else noun  # (per hit: the next one may be of another kind)
        if where == "compared with":
            message = f"`{name}` is compared with a hard-coded {what}: whoever knows it from the code is accepted."
        else:
            message = f"A hard-coded {what} is {where} `{name}`."
        hits.append(Hit(value, confidence=confidence, message=message))
    return hits or None


@rule(
    id="hardcoded-password",
    title="Hard-coded password",
    cwe=259,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B105", "B106", "B107"],
    nodes=_CREDENTIAL_NODES,
    description="""A password is written in the source: assigned to a password-named variable,
        attribute or key, passed as a password argument, used as a parameter default or as the
        default of a password option (argparse ``add_argument("--password", default=...)``, click
        ``@click.option``), or compared with (a fixed password accepted at login); passed to a
        well-known API that takes one whatever the argument is called (``smtp.login(user, "pw")``
        of smtplib/imaplib/ftplib, poplib ``pass_``, LDAP ``simple_bind_s``, ``ldap3.Connection``,
        ``pymysql.connect(host, user, "pw", db)``, paramiko ``connect``, ``HTTPBasicAuth``,
        ``auth=("svc", "pw")``); or the fallback of a configuration lookup
        (``os.getenv("DB_PASSWORD", "...")``, ``config("X_PASSWORD", default=...)``,
        ``os.getenv("X_PASSWORD") or "..."``): production runs with it whenever the setting is
        missing. Everyone who can read the code, its history or
        the installed package knows it, and it cannot be changed without a release. A name about
        an action on a password (``update_password = "always"``, ``require_password``) holds an
        option, not a password, and is not reported; nor is a value shaped like a rate limit
        (``"reset_password": "20/m/ip,5/m/key"``: counts per period and scope).""",
    solution="""Read the password at run time from the environment, a secrets manager or a
        configuration file kept out of version control (os.environ["DB_PASSWORD"]); for login
        checks compare against a stored salted hash, never a literal.""",
    example="""
        conn = psycopg.connect(host="db", user="app", password="Tr0ub4dor&3")
    """,
    fixed="""
        conn = psycopg.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])
    """,
)
def check_hardcoded_password(node: ast.AST, ctx: RuleContext):
    found = credential_literals(node, ctx)
    return _credential_hits(found, PASSWORD, "password") if found else None  # (nearly always empty)


@rule(
    id="hardcoded-secret",
    title="Hard-coded secret or token",
    cwe=798,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B105", "B106", "B107"],
    nodes=_CREDENTIAL_NODES,
    description="""A secret credential (API key, token, signing or private key, client secret) is
        written in the source: under a credential's name, as the value of an Authorization header
        ("Bearer ...", "Basic ...", "Token ..."), or as the password inside a URL
        (scheme://user:password@host), or as the default of such an option, or as the fallback of
        a configuration lookup of such a setting (``os.environ.get("DJANGO_SECRET_KEY", "...")``,
        django-environ ``env.str("API_TOKEN", default=...)``, a pydantic settings field's
        default; an empty or placeholder fallback is not reported); and, whatever the
        name, a string in the exact format of a well-known credential (GitHub ghp_..., AWS AKIA...,
        Stripe sk_live_..., Slack xoxb-..., Google AIza..., GitLab, npm, PyPI and OpenAI keys: the
        full length and alphabet, not a documentation example). Anyone with the code can use it, and rotating it needs a
        release. Placeholders (user:password@, ${DB_PASS}, <password>, xxx), values spelling their
        key's words (an enum's labels, ``_ATTR_TOKEN = "attribute"``), Literal-typed tags and
        comparisons of a name holding only the code's own literals (a lexer's token kind) are not
        reported; one lower-case word as a token gets low confidence.""",
    solution="""Load the secret at run time from the environment or a secrets manager
        (os.environ["API_TOKEN"]), keep it out of version control, and rotate the exposed one.""",
    example="""
        SECRET_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    """,
    fixed="""
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    """,
)
def check_hardcoded_secret(node: ast.AST, ctx: RuleContext):
    found = credential_literals(node, ctx)
    hits = _credential_hits(found, SECRET, "secret") if found else None  # (nearly always empty)
    # (written out, not a function: the rule is asked about ~90 nodes of every file)
    may_hold = ctx.parsed.__dict__.get(_URL_MARKS)
    if may_hold is None:
        may_hold = _may_hold_url_password(ctx.parsed)
    in_urls = _url_password_hits(node, ctx, found) if may_hold else None
    return [*(hits or ()), *in_urls] if in_urls else hits


_URL_MARKS = "_may_hold_url_password"


def _may_hold_url_password(parsed) -> bool:
    """Does the file's text hold both "://" and "@" (any URL literal with a password does, also
    split over implicit concatenation)? Most files do not: the answer is kept on the parsed file."""
    known = any("://" in line for line in parsed.lines) and any("@" in line for line in parsed.lines)
    parsed.__dict__[_URL_MARKS] = known
    return known


# --- passwords inside URLs ------------------------------------------------------------------------
# scheme://user:password@host... ; the user part cannot hold "/", so "https://host:8080/a@b" (a
# port, then a path) is not read as one, nor can the password (percent-encode "/" in passwords).
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://(?P<user>[^:/?#@\s]*):(?P<password>[^@/?#\s]+)@\S*")
_FORMAT_FIELD = re.compile(r"%[sdr]|\{[^{}]*\}")


def _url_values(node: ast.AST) -> list[ast.expr]:
    """The values ``node`` writes that may be a URL literal (the ones credential_literals sees,
    positional arguments included: ``create_engine("postgresql://...")``)."""
    cls = node.__class__
    if cls is ast.Assign or cls is ast.AnnAssign:
        return [node.value] if node.value is not None else []  # type: ignore[attr-defined]
    if cls is ast.Call:
        return [*node.args, *(keyword.value for keyword in node.keywords)]  # type: ignore[attr-defined]
    if cls is ast.Dict:
        return list(node.values)  # type: ignore[attr-defined]
    if cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
        return [d for d in (*node.args.defaults, *node.args.kw_defaults) if d is not None]  # type: ignore[attr-defined]
    return []


def _url_text(value: ast.expr) -> str | None:
    """A string constant, or the constant beginning of an f-string (f"postgresql://app:pw@{host}")."""
    if value.__class__ is ast.JoinedStr and value.values:  # type: ignore[attr-defined]
        value = value.values[0]  # type: ignore[attr-defined]
    if value.__class__ is ast.Constant and isinstance(value.value, str):  # type: ignore[attr-defined]
        return value.value  # type: ignore[attr-defined]
    return None


def _url_password_hits(node: ast.AST, ctx: RuleContext, named: list) -> list[Hit]:
    hits = []
    reported = {id(value) for _, _, value, _, _ in named}
    for value in _url_values(node):
        text = _url_text(value)
        if text is None or "@" not in text or "://" not in text or id(value) in reported:
            continue  # (nearly always; a credential-named value is reported as such already)
        confidence = _url_password_confidence(text)
        if confidence is None:
            continue
        if is_test_code(ctx):
            confidence = LOW
        hits.append(Hit(value, confidence=confidence, message=(
            "A hard-coded password is written inside this URL: anyone with the code can log in with it.")))
    return hits


def _url_password_confidence(text: str) -> Level | None:
    match = _URL_PASSWORD.fullmatch(text.strip())
    if match is None:
        return None
    password = urllib.parse.unquote(match["password"])
    if _FORMAT_FIELD.search(password):
        return None  # "postgresql://%s:%s@%s/db", "{user}:{password}@": filled in at run time
    confidence = credential_confidence("password", PASSWORD, password)
    if confidence is not None and password == urllib.parse.unquote(match["user"]):
        return LOW  # guest:guest, postgres:postgres: a development default
    return confidence


# --- oslo.config options -----------------------------------------------------------------------

OSLO_OPTIONS = [f"{package}.cfg.{kind}" for package in ("oslo_config", "oslo.config") for kind in ("StrOpt", "Opt")]


@rule(
    id="config-password-not-secret",
    title="Password option not marked secret",
    cwe=532,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B109"],
    calls=OSLO_OPTIONS,
    message="The option defined by `{name}` holds a credential but is not declared with secret=True.",
    description="""An oslo.config option whose name says it holds a password or secret is not
        declared secret=True. oslo.config logs all option values at start-up (log_opt_values) and
        in debug output; only secret options are masked, so this credential ends up in log files.""",
    solution="""Declare the option with secret=True: cfg.StrOpt("admin_password", secret=True).""",
    example="""
        opts = [cfg.StrOpt("admin_password", help="Password of the admin user")]
    """,
    fixed="""
        opts = [cfg.StrOpt("admin_password", secret=True, help="Password of the admin user")]
    """,
)
def check_oslo_secret_option(call: ast.Call, ctx: RuleContext):
    name = ctx.literal(ctx.argument(call, 0, "name"), None)
    if not isinstance(name, str) or credential_kind(name.replace("-", "_")) is None:
        return None
    secret = ctx.keyword(call, "secret")
    if secret is not None and ctx.is_true(secret):
        return None
    return Hit(call, message=f"Option `{name}` holds a credential but is not declared secret=True; "
                             "oslo.config logs its value unmasked.")


# --- secrets written to logs ---------------------------------------------------------------------

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"})
_LOGGER_NAME = re.compile(r"(^|_)(log|logger|logging)$", re.IGNORECASE)
_LOGGER_FACTORIES = ("getLogger", "get_logger", "LoggerAdapter", "KeywordArgumentAdapter", "getChild")
_NOT_MESSAGE_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel"})
# Calls that return their (formatted) argument: the credential passes through them.
_FORMATTERS = (PURE_FUNCTIONS - {"len", "bool", "int", "float", "abs", "round", "min", "max", "ord", "hex", "oct"}) | {
    # serializers: the text they return holds the values given (``json.dumps(secrets)``)
    "json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps", "pprint.pformat", "yaml.dump", "yaml.safe_dump",
    "reprlib.repr", "builtins.str", "builtins.repr",
}
_RETURNING_METHODS = PURE_METHODS - {"split", "rsplit", "splitlines", "partition"}
_GETTERS = frozenset({"get", "getenv", "pop", "setdefault", "get_secret"})


@rule(
    id="secret-in-log",
    title="Secret written to log",
    cwe=532,
    severity=MEDIUM,
    confidence=MEDIUM,
    methods=sorted(LOG_METHODS),
    calls=["print", "builtins.print", *(f"logging.{m}" for m in sorted(LOG_METHODS - {"msg", "fatal"}))],
    description="""A password, token, key or other credential is passed to a logging call (or
        printed). Log files are kept long, shipped to central systems and read by many more people
        than the secret was meant for, so the credential leaks. Also a name bound in the same
        scope to a dict or string holding one (``headers = {"Authorization": f"Bearer {key}"}``,
        ``headers["X-Api-Key"] = key``). A slice of at most 4 characters (``key[:4]``,
        ``key[-4:]``) tells keys apart without revealing them and is not reported; up to 8, at
        low confidence. Counts and cursors are not credentials: counts of tokens (``max_tokens``,
        ``prompt_tokens``), pagination and sync cursors (``next_page_token``, ``since_token``),
        values formatted with ``%d``/``{:d}``, parameters annotated ``int`` and names the
        function counts with
        (``total + tokens``, ``tokens > limit``) are not reported, nor a parser's token compared
        with punctuation (``token == "@"``), nor a field of a credential's record that says which
        one it is (``credential["id"]``, ``token["expires_at"]``, as ``credential.id``). A list of ``tokens`` that does not say which
        credential (``grant_tokens``, unlike ``access_tokens``) is low confidence. Nor is a
        credential masked out of the message (``message.replace(password, "******")``: what
        ``replace`` takes out does not reach the log; the message itself is still judged). Nor is
        an object of one of the project's classes (any file: ``token = Token(...)``, a project
        function annotated ``-> Token``, a parameter annotated ``Token``) whose display, as the
        call formats it, writes no credential: ``%r``/``{token!r}`` run its class's (or nearest
        project base's) ``__repr__``, ``%s``/``{token}``/a bare message its ``__str__``, else its
        ``__repr__``; one that reads a credential-named attribute (``self.key``), the whole object
        (``vars(self)``, ``self.__dict__``) or a base's display (``super()``) still is, and so is an
        object of a library class (DRF's ``Token.__str__`` is the key), of a class met with a
        library base before its display method, or of a class defining neither (a dataclass's
        generated repr shows every field).""",
    solution="""Remove the secret from the log call; if the event matters, log that a credential
        was used (its name, or a masked form such as oslo_utils.strutils.mask_password()), never
        its value.""",
    example="""
        LOG.info("connecting as %s with password %s", user, app.config["DB_PASSWORD"])
    """,
    fixed="""
        LOG.info("connecting as %s", user)
    """,
)
def check_secret_in_log(call: ast.Call, ctx: RuleContext):
    is_print = ctx.call_name(call) in ("print", "builtins.print")
    if not is_print and not _is_logging_call(call, ctx):
        return None
    numbers = () if is_print else _numeric_arguments(call)
    values = [*(a for i, a in enumerate(call.args) if i not in numbers),
              *(k.value for k in call.keywords if k.arg not in _NOT_MESSAGE_KEYWORDS)]
    for value in values:
        found = _credential_reference(value, ctx) or _holder_of_credential(value, ctx)
        if found is not None:
            where = "printed" if is_print else "logged"
            held = ""
            if isinstance(found, tuple):  # (a name bound to a dict or string holding one)
                holder, found = found
                held = f" (`{ctx.source(holder)}` holds it, line {found.lineno})"
            low = is_print or (isinstance(found, ast.Subscript) and isinstance(found.slice, ast.Slice)) \
                or _only_says_tokens(found)
            return Hit(call, confidence=LOW if low else None,
                       message=f"`{ctx.source(found)}` holds a credential and is {where} by `{ctx.source(call.func)}`{held}.")
    return None


def _only_says_tokens(found: ast.expr) -> bool:
    """``tokens`` is more often a count (LLM usage) or a lexer's list than credentials, and so are
    ``grant_tokens`` (a parser's) and ``eauth_tokens`` (a setting naming a token store): the name
    says too little for more than low confidence unless it says which credential
    (``api_tokens``, ``access_tokens``); ``token`` keeps its confidence."""
    name = reference_name(found)
    words = name_words(name) if name else []
    return bool(words) and words[-1] == "tokens" and TOKEN_KINDS.isdisjoint(words)


def _used_as_count_or_lexeme(name: str, ctx: RuleContext) -> bool:
    """Where it is bound, ``name`` is used as a number (``total + tokens``, ``tokens > limit``) or
    compared with punctuation (``token == "@"``, a parser's): a count or a piece of parsed text,
    not a credential."""
    scope = ctx.function or (ctx.ancestors[0] if ctx.ancestors else None)
    if scope is None:
        return False
    for node in ast.walk(scope):
        cls = node.__class__
        if cls is ast.BinOp:
            if _counts_with(node, name):  # type: ignore[arg-type]
                return True
        elif cls is ast.AugAssign:
            if _augmented_as_count(node, name):  # type: ignore[arg-type]
                return True
        elif cls is ast.Compare:
            if _compared_as_count_or_lexeme(node, name):  # type: ignore[arg-type]
                return True
    return False


# Operators only numbers take (``-``, ``/``...; not ``+``, ``*`` or ``%``, which strings take too).
_NUMERIC_OPERATORS = frozenset({ast.Sub, ast.Div, ast.FloorDiv, ast.Pow})
_ORDERED = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_NUMBER_FUNCTIONS = frozenset({"len", "int", "float", "sum", "round", "abs"})


def _is_name(expr: ast.expr, name: str) -> bool:
    return expr.__class__ is ast.Name and expr.id == name  # type: ignore[attr-defined]


def _counts_with(node: ast.BinOp, name: str) -> bool:
    """``tokens - 1``, ``(used or 0) + tokens``: ``name`` is an operand of arithmetic on numbers."""
    if _is_name(node.left, name):
        other = node.right
    elif _is_name(node.right, name):
        other = node.left
    else:
        return False
    return node.op.__class__ in _NUMERIC_OPERATORS or (node.op.__class__ in (ast.Add, ast.Mult) and _numeric(other))


def _augmented_as_count(node: ast.AugAssign, name: str) -> bool:
    """``tokens += 1``, ``tokens -= used``, ``left -= tokens``: counting."""
    operator = node.op.__class__
    if _is_name(node.target, name):
        return operator in _NUMERIC_OPERATORS or _numeric(node.value)
    return _is_name(node.value, name) and operator in _NUMERIC_OPERATORS


def _numeric(expr: ast.expr) -> bool:
    """An expression that is a number: a numeric literal, ``len(...)``, ``usage.get("total", 0)``,
    ``used or 0``, arithmetic on numbers."""
    match expr:
        case ast.Constant(value=value):
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        case ast.UnaryOp(operand=operand):
            return _numeric(operand)
        case ast.BoolOp(values=values):
            return any(_numeric(value) for value in values)
        case ast.IfExp(body=body, orelse=orelse):
            return _numeric(body) or _numeric(orelse)
        case ast.BinOp(op=op, left=left, right=right):
            return op.__class__ in _NUMERIC_OPERATORS or _numeric(left) or _numeric(right)
        case ast.Call(func=func, args=args):
            called = last_name(func) or ""
            return called in _NUMBER_FUNCTIONS or (called == "get" and len(args) == 2 and _numeric(args[1]))
    return False


def _compared_as_count_or_lexeme(node: ast.Compare, name: str) -> bool:
    """``tokens > limit`` (ordered: a number), ``token == "@"`` or ``token in (",", ";")`` (equal to
    punctuation: a parser's token)."""
    operands = [node.left, *node.comparators]
    for index, operator in enumerate(node.ops):
        left, right = operands[index], operands[index + 1]
        if not (_is_name(left, name) or _is_name(right, name)):
            continue
        if isinstance(operator, _ORDERED):
            return True
        other = right if _is_name(left, name) else left
        if isinstance(operator, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) and _punctuation(other):
            return True
    return False


def _punctuation(expr: ast.expr) -> bool:
    """A string literal of punctuation only (``"@"``, ``"::"``), or a tuple/list/set of them."""
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return bool(expr.elts) and all(_punctuation(element) for element in expr.elts)
    return isinstance(expr, ast.Constant) and isinstance(expr.value, str) and bool(expr.value) \
        and not any(character.isalnum() for character in expr.value)


# %-conversions and format-spec types that only format numbers: a credential cannot be one.
_PERCENT_FIELD = re.compile(r"%(\(\w+\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[hlL]?(.)")
_NUMBER_CONVERSIONS = frozenset("diouxXeEfFgG")
_NUMBER_SPEC = re.compile(r"[bdoxXneEfFgG%]$")
_NUMBER_TYPES = frozenset({"int", "float"})


def _numeric_arguments(call: ast.Call) -> frozenset[int] | tuple:
    """Indexes of the arguments of a logging call that its constant %-format message formats as
    numbers (``log.info("used %d tokens", prompt_tokens)``): they are counts, not credentials."""
    position = 1 if isinstance(call.func, ast.Attribute) and call.func.attr == "log" else 0
    if len(call.args) <= position + 1:
        return ()
    message = call.args[position]
    if not (isinstance(message, ast.Constant) and isinstance(message.value, str)) or "%" not in message.value:
        return ()
    numbers, index = set(), position + 1
    for field in _PERCENT_FIELD.finditer(message.value):
        if field.group(5) == "%":
            continue
        if field.group(1) or "*" in (field.group(2) or "") + (field.group(4) or ""):
            return ()  # a mapping key or a * width: arguments do not line up with fields
        if field.group(5) in _NUMBER_CONVERSIONS:
            numbers.add(index)
        index += 1
    return frozenset(numbers)


def _formats_number(value: ast.FormattedValue) -> bool:
    """``f"{count:d}"``/``f"{ratio:.2f}"``: the value is formatted as a number."""
    spec = value.format_spec
    return (isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(spec.values[0], ast.Constant)
            and bool(_NUMBER_SPEC.search(spec.values[0].value)))


def _annotated_number(name: str, ctx: RuleContext) -> bool:
    """``name`` is a parameter of the enclosing function annotated ``int``/``float``."""
    function = ctx.function
    if function is None:
        return False
    arguments = function.args
    for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if argument.arg == name:
            annotation = argument.annotation
            return isinstance(annotation, ast.Name) and annotation.id in _NUMBER_TYPES
    return False


def _format_numbers(call: ast.Call) -> tuple[set[int], set[str]] | None:
    """Positional indexes and keyword names that ``"...{:d}".format(...)`` formats as numbers."""
    template = call.func.value  # type: ignore[attr-defined]
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)) or "{" not in template.value:
        return None
    positions, names, automatic = set(), set(), 0
    try:
        fields = list(string.Formatter().parse(template.value))
    except ValueError:
        return None
    for _, field, spec, _ in fields:
        if field is None:
            continue
        if field == "":
            field, automatic = str(automatic), automatic + 1
        if spec and _NUMBER_SPEC.search(spec):
            if field.isdigit():
                positions.add(int(field))
            elif field.isidentifier():
                names.add(field)
    return positions, names


# A slice of a credential this short (``api_key[:4]``, ``token[-4:]``) is the usual way of telling
# keys apart in logs without revealing them: not reported; up to _SHORT_SLICE_REPORTED characters,
# at low confidence (a short secret, a PIN, is half revealed).
_MASKING_SLICE = 4
_SHORT_SLICE_REPORTED = 8
# Keys of a mapping (HTTP headers, mostly) whose value is a credential, whatever its variable is
# called: ``{"Authorization": f"Bearer {token}"}``.
_CREDENTIAL_KEYS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def _slice_length(index: ast.Slice) -> int | None:
    """How many characters a slice with constant bounds keeps at most (``[:4]``, ``[-4:]``,
    ``[2:6]``); None when unknown or unbounded."""
    def bound(part: ast.expr | None) -> int | None | bool:
        if part is None:
            return None
        if isinstance(part, ast.Constant) and type(part.value) is int:
            return part.value
        if isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.USub) and isinstance(part.operand, ast.Constant) \
                and type(part.operand.value) is int:
            return -part.operand.value
        return False  # (not a constant)
    lower, upper = bound(index.lower), bound(index.upper)
    if lower is False or upper is False or index.step is not None:
        return None
    if upper is None:
        return -lower if isinstance(lower, int) and lower < 0 else None  # ``[-4:]``
    if lower is None:
        lower = 0
    if lower >= 0 and upper >= 0:
        return max(0, upper - lower)
    return None


def _holder_of_credential(expr: ast.expr, ctx: RuleContext, depth: int = 0):
    """(a name, the credential in what it was bound to) for a name bound in this scope to a dict
    or a string holding a credential (``headers = {"Authorization": f"Bearer {api_key}"}``), or
    to which such an item is assigned (``headers["Authorization"] = ...``); else None."""
    if not isinstance(expr, ast.Name) or depth > 2 or expr.id in ctx.facts.imports.aliases:
        return None
    for bound in ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain) or []:
        if isinstance(bound, (ast.Dict, ast.JoinedStr, ast.BinOp, ast.Call)):
            found = _credential_reference(bound, ctx) or _credential_item(bound, ctx)
            if found is not None:
                return expr, found
    scope = ctx.function or ctx.facts.scopes.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == expr.id
                and _names_credential_key(t.slice) for t in node.targets) and not ctx.is_constant(node.value):
            return expr, node.value
    return None


def _credential_item(mapping: ast.expr, ctx: RuleContext) -> ast.expr | None:
    """The non-constant value of a credential key of a dict literal (``"Authorization": auth``)."""
    if not isinstance(mapping, ast.Dict):
        return None
    for key, value in zip(mapping.keys, mapping.values):
        if key is not None and _names_credential_key(key) and not ctx.is_constant(value):
            return value
    return None


def _names_credential_key(key: ast.expr) -> bool:
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and (
        key.value.lower() in _CREDENTIAL_KEYS or credential_kind(key.value.replace("-", "_")) is not None)


def _is_logging_call(call: ast.Call, ctx: RuleContext) -> bool:
    name = ctx.call_name(call)
    if name and name.startswith("logging.") and name.count(".") == 1:
        return True
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    return _is_logger(func.value, ctx)


def _is_logger(receiver: ast.expr, ctx: RuleContext) -> bool:
    if isinstance(receiver, ast.Call):  # logging.getLogger(__name__).info(...)
        return (last_name(receiver.func) or "") in _LOGGER_FACTORIES
    if isinstance(receiver, ast.Attribute):
        return bool(_LOGGER_NAME.search(receiver.attr))
    if isinstance(receiver, ast.Name):
        if _LOGGER_NAME.search(receiver.id):
            return True
        bindings = ctx.facts.scopes.bindings_of(receiver.id, ctx.scope_chain) or []
        return any(isinstance(b, ast.Call) and (last_name(b.func) or "") in _LOGGER_FACTORIES for b in bindings)
    return False


def _credential_reference(expr: ast.expr, ctx: RuleContext) -> ast.expr | None:
    """The first sub-expression of ``expr`` that holds a credential and whose value reaches the
    result (so ``len(password)``, ``password is None`` and ``mask(password)`` do not count)."""
    match expr:
        case ast.Name(id=name) if name in ctx.facts.imports.aliases:
            return None  # a module (`secrets`) or an imported function
        case ast.Name(id=name) | ast.Attribute(attr=name):
            if credential_kind(name) and not (expr.__class__ is ast.Name and (
                    _annotated_number(name, ctx) or _used_as_count_or_lexeme(name, ctx) or _shows_no_credential(expr, ctx))):
                return expr
            return None
        case ast.Subscript(value=container, slice=key):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                if credential_kind(key.value):
                    return expr
                if _identifying_field(key.value):
                    return None  # ``credential["id"]``: the record's identifier, as ``credential.id``
            if isinstance(key, ast.Slice):
                length = _slice_length(key)
                if length is not None and length <= _SHORT_SLICE_REPORTED:
                    found = _credential_reference(container, ctx)
                    return None if found is None or length <= _MASKING_SLICE else expr
            return _credential_reference(container, ctx)
        case ast.JoinedStr(values=parts) | ast.BoolOp(values=parts) | ast.Tuple(elts=parts) | ast.List(elts=parts) | ast.Set(elts=parts):
            return _first_reference(parts, ctx)
        case ast.FormattedValue(value=value) if _formats_number(expr):
            return None
        case ast.FormattedValue(value=value) | ast.Starred(value=value):
            return _credential_reference(value, ctx)
        case ast.BinOp(left=left, right=right):
            return _first_reference([left, right], ctx)
        case ast.IfExp(body=body, orelse=orelse):
            return _first_reference([body, orelse], ctx)
        case ast.Dict(values=values):
            return _first_reference(values, ctx)
        case ast.Call():
            return _call_reference(expr, ctx)
    return None


# The last words of the keys of a credential's record that tell which one it is, or when it was
# made, not its value: ``credential["id"]``, ``token["user_id"]``, ``api_key["name"]``,
# ``token["expires_at"]`` (read as an attribute, ``credential.id``, a name that is no credential's
# is not one either). A key naming an entry of a store (``api_keys["github"]``) is still the credential.
_IDENTIFYING_WORDS = frozenset({
    "id", "ids", "uuid", "guid", "name", "type", "kind", "at", "created", "updated", "expires", "expiry",
    "expiration", "scope", "scopes", "status", "description", "label", "owner", "user", "username",
})


def _shows_no_credential(name: ast.Name, ctx: RuleContext) -> bool:
    """``name`` holds an object of a project class (``token = Token.load(...)`` annotated
    ``-> Token``, ``token: Token``) whose ``__str__``/``__repr__``, as the call formats it, writes no
    credential (dataflow/displays.py); and ``name`` is bound nowhere else in its scope than by calls
    or as a parameter (the analysis keeps one class per name: a loop or a second binding may give
    it a plain string)."""
    if ctx.flow is None or not ctx.flow.displays_no_credential(name):
        return False
    bindings = ctx.facts.scopes.bindings_of(name.id, ctx.scope_chain) or []
    return all(bound.__class__ is ast.Call for bound in bindings) or (
        len(bindings) == 1 and bindings[0] is None and _is_parameter(name.id, ctx))


def _is_parameter(name: str, ctx: RuleContext) -> bool:
    function = ctx.function
    if function is None:
        return False
    arguments = function.args
    return any(argument.arg == name for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs))


def _identifying_field(key: str) -> bool:
    words = name_words(key)
    return bool(words) and words[-1] in _IDENTIFYING_WORDS


def _first_reference(parts: list, ctx: RuleContext) -> ast.expr | None:
    for part in parts:
        found = _credential_reference(part, ctx)
        if found is not None:
            return found
    return None


def _call_reference(call: ast.Call, ctx: RuleContext) -> ast.expr | None:
    func = call.func
    arguments = [*call.args, *(k.value for k in call.keywords)]
    # config.get("password"), os.getenv("API_TOKEN"): reading a credential by name.
    if (last_name(func) or "") in _GETTERS and call.args:
        key = call.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and credential_kind(key.value):
            return call
    if ctx.call_name(call) in _FORMATTERS:
        return _first_reference(arguments, ctx)
    if isinstance(func, ast.Attribute) and func.attr == "format":
        numbers = _format_numbers(call)
        if numbers is not None:  # "{:d} tokens".format(prompt_tokens)
            positions, names = numbers
            arguments = [*(a for i, a in enumerate(call.args) if i not in positions),
                         *(k.value for k in call.keywords if k.arg not in names)]
    if isinstance(func, ast.Attribute) and func.attr == "replace" and call.args:
        # ``message.replace(password, "******")``: what is replaced is taken out, not put in
        return _first_reference([func.value, *call.args[1:], *(k.value for k in call.keywords)], ctx)
    if isinstance(func, ast.Attribute) and func.attr in _RETURNING_METHODS:
        return _first_reference([func.value, *arguments], ctx)
    return None  # any other call (len, hash, mask_password...) is assumed not to return the secret
