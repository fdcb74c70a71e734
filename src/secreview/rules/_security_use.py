"""Shared helpers for the crypto, transport, XML and deserialization rules: what a value is used
for (judged from the names around it), constant integers, and "is this expression that API".

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast
import functools
import operator
import re
from typing import Iterable, Iterator

from secreview.rules.context import MISSING, RuleContext

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# What a name denotes is its head noun, the last word: ``reset_token``, ``session_id`` and
# ``api_key`` hold secrets, ``auth_server``, ``session_backend``, ``oauth_retry_after`` and
# ``password_length`` hold something else about one (a host, a setting, a delay). A security word
# before another head only qualifies it; "sign" is a security word only as in signature/signing.
#
# Last words that are a secret (or a proof of identity) by themselves.
SECRET_HEADS = frozenset({
    "password", "passwords", "passwd", "pwd", "pw", "passphrase", "passcode",
    "secret", "secrets", "token", "tokens", "nonce", "nonces", "salt", "otp", "totp", "hotp", "pin", "iv",
    "csrf", "xsrf", "signature", "signatures", "sig", "hmac", "credential", "credentials", "creds",
    "apikey", "auth", "oauth", "authentication", "authorization", "authenticate", "authenticator",
    "session", "sessionid", "sessionkey", "secretkey", "privatekey", "privkey", "signingkey", "accesskey",
    "verifier", "challenge", "cert", "certificate",
})
# Fused last words that end like a secret (``csrftoken``, ``authtoken``, ``dbpassword``).
_SECRET_HEAD_ENDINGS = ("token", "password", "passwd", "secret", "apikey")
# Generic last words that hold a secret when a security word qualifies them: ``session_id``,
# ``reset_code``, ``password_hash``, ``signing_key`` (but ``request_id``, ``cache_key``).
QUALIFIED_HEADS = frozenset({
    "key", "keys", "id", "ids", "code", "codes", "hash", "hashes", "digest", "value", "string", "str",
    "hex", "bytes", "cookie", "phrase", "number", "seed", "fingerprint", "header",
})
# Words that make such a generic head a secret.
SECURITY_WORDS = frozenset({
    "password", "passwords", "passwd", "pwd", "pw", "passphrase", "passcode",
    "secret", "secrets", "token", "tokens", "nonce", "salt", "otp", "totp", "hotp", "pin", "iv",
    "csrf", "xsrf", "signature", "signatures", "sig", "signed", "signing", "hmac",
    "credential", "credentials", "creds", "apikey", "auth", "oauth", "authentication",
    "authorization", "session", "sessionid", "verifier", "challenge", "verification", "activation",
    "cert", "certificate", "privkey", "reset", "confirmation", "confirm", "verify", "recovery", "unlock", "invite",
    "invitation", "login", "mfa", "twofa", "security", "magic", "pairing", "backup",
})
# Tokens that are markers handed out in the open, not secrets: a version or change marker
# (``_generate_version_token``, like an ETag), a pagination or sync cursor (``next_page_token``).
OPEN_TOKEN_QUALIFIERS = frozenset({
    "version", "revision", "change", "page", "next", "prev", "previous", "continuation", "pagination",
    "cursor", "resume", "sync",
})
# "key" alone is usually a dictionary or sort key; it is a secret after one of these words.
KEY_QUALIFIERS = frozenset({
    "api", "private", "access", "signing", "encryption", "master", "shared", "symmetric", "aes",
    "crypto", "cipher", "fernet", "jwt", "ssh", "client", "app", "wrapping", "derived", "kdf",
})
# Last words of an alphabet to draw secrets from (``PASSWORD_CHARS``, ``token_alphabet``).
ALPHABET_HEADS = frozenset({"chars", "characters", "alphabet", "charset", "letters", "symbols", "pool"})
# Plural last words: a collection of existing secrets (picking one or shuffling them makes none).
SECRET_COLLECTION_WORDS = frozenset({
    "tokens", "passwords", "secrets", "signatures", "credentials", "creds", "sessions", "nonces",
    "salts", "keys", "otps", "pins", "certs", "certificates", "challenges", "sessionids",
})
# Functions whose arguments are always secrets being compared.
SECRET_COMPARISONS = frozenset({"hmac.compare_digest", "secrets.compare_digest"})


def name_words(name: str) -> list[str]:
    """``resetPasswordToken2`` -> ["reset", "password", "token", "2"] (lower-cased words)."""
    return [word.lower() for word in _WORD.findall(name)]


@functools.lru_cache(maxsize=1 << 16)  # asked for most assignment targets; few distinct names
def is_security_name(name: str | None) -> bool:
    """True when a variable/attribute/function/keyword name denotes a value kept for security:
    its head noun (last word) is a secret, or a generic head qualified by a security word."""
    if not name or not name.lower().rstrip("0123456789_").endswith(_HEAD_ENDINGS):
        return False  # (a cheap necessary condition: asked for every function's name too)
    words = [word for word in name_words(name) if not word.isdigit()]
    while len(words) > 1 and words[-1] in _TRAILING_PREPOSITIONS:
        words.pop()  # ``api_key_for(user)``, ``token_from(request)``: the noun is before
    return bool(words) and _denotes_secret(words)


_TRAILING_PREPOSITIONS = frozenset({"for", "of", "from", "by", "with"})


def _denotes_secret(words: list[str]) -> bool:
    head = words[-1]
    if head in ("token", "tokens") and len(words) > 1 and words[-2] in OPEN_TOKEN_QUALIFIERS:
        return False  # ``version_token``, ``next_page_token``: a marker handed out in the open
    if head in SECRET_HEADS or head.endswith(_SECRET_HEAD_ENDINGS):
        return True
    if head not in QUALIFIED_HEADS or len(words) < 2:
        return False
    qualifier = words[-2]
    if qualifier in SECURITY_WORDS or (head in ("key", "keys") and qualifier in KEY_QUALIFIERS):
        return True
    return _denotes_secret(words[:-1])  # ``password_hash_value``, ``api_key_id``


# What a security name can end with (``apiKey2`` -> "apikey"): the heads, or a preposition after one.
_HEAD_ENDINGS = tuple(SECRET_HEADS | QUALIFIED_HEADS | _TRAILING_PREPOSITIONS | set(_SECRET_HEAD_ENDINGS))


def names_secret_alphabet(name: str) -> bool:
    """``PASSWORD_CHARS``, ``token_alphabet``: characters to draw new secrets from."""
    words = [word for word in name_words(name) if not word.isdigit()]
    return len(words) > 1 and words[-1] in ALPHABET_HEADS and any(word in SECURITY_WORDS for word in words[:-1])


def names_secret_collection(name: str) -> bool:
    """``tokens``, ``active_sessions``: a collection of existing secrets, not an alphabet to draw
    new ones from (``TOKEN_CHARS``)."""
    words = [word for word in name_words(name) if not word.isdigit()]
    return bool(words) and words[-1] in SECRET_COLLECTION_WORDS


def reference_names(expr: ast.AST | None) -> Iterator[str]:
    """Names a value is stored under: ``x``, ``obj.x``, ``d["x"]`` and the elements of tuples."""
    match expr:
        case ast.Name(id=name):
            yield name
        case ast.Attribute(attr=name):
            yield name
        case ast.Subscript(value=container, slice=index):
            if isinstance(index, ast.Constant) and isinstance(index.value, str):
                yield index.value
            else:
                yield from reference_names(container)
        case ast.Tuple(elts=elements) | ast.List(elts=elements):
            for element in elements:
                yield from reference_names(element)
        case ast.Starred(value=value):
            yield from reference_names(value)


# Library functions named like a secret whose result is none: ``inspect.signature(f)`` describes
# a function's parameters.
NOT_SECRET_FUNCTIONS = frozenset({"inspect.signature", "inspect.Signature", "inspect.Signature.from_callable"})


def is_module_name(ctx: RuleContext, name: ast.Name) -> bool:
    """``name`` is a module the file imports (``import salt.utils``: ``salt``), bound by nothing
    else where it is read (not a parameter or variable of the same name)."""
    imports = ctx.facts.imports
    target = imports.aliases.get(name.id)
    if target is None or not imports.imports_module(target):
        return False
    bindings = ctx.facts.scopes.bindings_of(name.id, ctx.scope_chain)
    if bindings is None or any(binding is not None for binding in bindings):
        return False  # (imports bind no expression; an assignment does)
    function = ctx.function
    if function is None:
        return True
    arguments = function.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    return all(parameter is None or parameter.arg != name.id for parameter in parameters)


def mentioned_names(nodes: Iterable[ast.AST | None], ctx: RuleContext | None = None) -> Iterator[str]:
    """Every identifier, attribute name and constant subscript key inside ``nodes``. With ``ctx``,
    not the names that are no value of the program: an imported module
    (``salt.utils.stringutils.to_bytes(minion_id)`` in Salt names the package, not a salt) and a
    library function named like a secret whose result is none (``signature(f)`` from inspect)."""
    skipped: set[int] = set()  # (ast.walk is breadth-first: a call comes before its function)
    for root in nodes:
        if root is None:
            continue
        for node in ast.walk(root):
            if isinstance(node, ast.Name):
                if ctx is None or (id(node) not in skipped and not is_module_name(ctx, node)):
                    yield node.id
            elif isinstance(node, ast.Attribute):
                if id(node) not in skipped:
                    yield node.attr
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                    and isinstance(node.slice.value, str):
                yield node.slice.value
            elif isinstance(node, ast.keyword) and node.arg:
                yield node.arg
            elif ctx is not None and isinstance(node, ast.Call) and ctx.qualname(node.func) in NOT_SECRET_FUNCTIONS:
                skipped.add(id(node.func))


def security_purpose(ctx: RuleContext, call: ast.Call, *, include_arguments: bool = True,
                     public: bool = True) -> str | None:
    """The name showing that the value of ``call`` serves a security purpose, or None.

    Looked at, from the call outwards up to its statement: the call's own arguments (the data it
    hashes or the alphabet it draws from), the keyword or dictionary key it is passed as, the call
    it is passed to (``user.set_password(...)``, ``hmac.compare_digest(...)``), what it is compared
    with, the names it is assigned to, or the function it is returned from. ``public=False``: names
    of public material (a certificate, a public key) do not count (their digest is a fingerprint).
    """
    candidates: list[str] = []
    if include_arguments:
        candidates.extend(mentioned_names([*call.args, *call.keywords], ctx))
    chain = ctx.ancestors
    child: ast.AST = call
    for parent in reversed(chain[:-1] if chain and chain[-1] is call else chain):
        if _is_table_entry(parent, child):
            break  # an entry of a table keyed by something else (OIDs, enums): not a use
        candidates.extend(_names_from_parent(ctx, parent, child))
        if isinstance(parent, ast.stmt):
            break
        child = parent
    security_names = [name for name in candidates if name == _SECRET_COMPARISON or is_security_name(name)]
    if not public:
        security_names = [name for name in security_names if not names_public_material(name)]
    return most_secret(security_names)


def most_secret(security_names: list[str]) -> str | None:
    """The name a message gives among several security names: ``sha1(salt + password)`` names the
    password, not the salt (which may be public)."""
    if len(security_names) > 1:
        return next((name for name in security_names if not SECRET_WORDS.isdisjoint(name_words(name))),
                    security_names[0])
    return security_names[0] if security_names else None


# Heads of names of public material: a digest of it identifies it (a fingerprint, a key identifier).
_PUBLIC_HEADS = frozenset({"cert", "certs", "certificate", "certificates", "pubkey", "pubkeys", "publickey", "modulus"})


def names_public_material(name: str) -> bool:
    """``cert``, ``client_certificate``, ``cert_fingerprint``, ``public_key``: a certificate or a
    public key, or something identifying one."""
    words = [word for word in name_words(name) if not word.isdigit()]
    if not words:
        return False
    if words[-1] in _PUBLIC_HEADS or words[-2:] == ["public", "key"]:
        return True
    return len(words) > 1 and words[-1] in QUALIFIED_HEADS and names_public_material("_".join(words[:-1]))


_SECRET_COMPARISON = "secret comparison"  # (a candidate that is a security use by itself)
# Words of the values that must stay secret themselves (a salt, nonce or IV protects them but may
# be public): what a message names first when several security names are around.
SECRET_WORDS = frozenset({
    "password", "passwords", "passwd", "pwd", "pw", "passphrase", "passcode", "pin", "secret",
    "secrets", "privkey", "token", "tokens", "apikey", "credential", "credentials", "creds", "otp",
})


def _is_table_entry(parent: ast.AST, child: ast.AST) -> bool:
    if not isinstance(parent, ast.Dict):
        return False
    return any(value is child and not (isinstance(key, ast.Constant) and isinstance(key.value, str))
               for key, value in zip(parent.keys, parent.values))


def _names_from_parent(ctx: RuleContext, parent: ast.AST, child: ast.AST) -> list[str]:
    match parent:
        case ast.keyword(arg=str() as name):
            return [name]
        case ast.Dict(keys=keys, values=values):
            return [key.value for key, value in zip(keys, values)
                    if value is child and isinstance(key, ast.Constant) and isinstance(key.value, str)]
        case ast.Compare(left=left, comparators=rest):
            return list(mentioned_names([left, *rest]))
        case ast.Call(func=func):
            if ctx.qualname(func) in SECRET_COMPARISONS:
                return [_SECRET_COMPARISON]
            if isinstance(func, ast.Attribute):
                return [func.attr, *reference_names(func.value)]
            return list(reference_names(func))
        case ast.Assign(targets=targets):
            return [name for target in targets for name in reference_names(target)]
        case ast.AnnAssign(target=target) | ast.AugAssign(target=target) | ast.NamedExpr(target=target):
            return list(reference_names(target))
        case ast.Return() | ast.Yield() | ast.YieldFrom():
            function = ctx.function
            return [function.name] if function is not None else []
    return []


# --- constant integers -------------------------------------------------------------------------
_INT_OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.LShift: operator.lshift, ast.Pow: operator.pow,
}


def constant_int(ctx: RuleContext, expr: ast.expr | None, depth: int = 0) -> int | None:
    """The integer value of a literal or of simple arithmetic on literals and names bound once to
    them (``1024``, ``KEY_BITS``, ``512 * 2``, ``1 << 10``); None when it is not decidable."""
    if expr is None or depth > 20:
        return None
    if isinstance(expr, ast.BinOp) and type(expr.op) in _INT_OPERATORS:
        left = constant_int(ctx, expr.left, depth + 1)
        right = constant_int(ctx, expr.right, depth + 1)
        if left is None or right is None or (isinstance(expr.op, (ast.Pow, ast.LShift)) and right > 64):
            return None
        if isinstance(expr.op, ast.FloorDiv) and right == 0:
            return None
        return _INT_OPERATORS[type(expr.op)](left, right)
    if isinstance(expr, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain)
        if bindings and len(bindings) == 1 and bindings[0] is not None and bindings[0] is not expr:
            return constant_int(ctx, bindings[0], depth + 1)
        return None
    value = ctx.literal(expr)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def constant_str(ctx: RuleContext, expr: ast.expr | None) -> str | None:
    value = ctx.literal(expr, None)
    return value if isinstance(value, str) else None


# --- what an expression is -----------------------------------------------------------------------
def refers_to(ctx: RuleContext, expr: ast.expr | None, names: Iterable[str]) -> str | None:
    """The qualified name among ``names`` that ``expr`` is (``ssl.CERT_NONE``) or constructs
    (``paramiko.AutoAddPolicy()``), following a local name bound once; else None."""
    if expr is None:
        return None
    wanted = set(names)
    if isinstance(expr, ast.Call):
        expr = expr.func
    qualified = ctx.qualname(expr)
    if qualified in wanted:
        return qualified
    if isinstance(expr, ast.Name):
        bound = single_binding(ctx, expr)
        if bound is not None and bound is not expr:
            return refers_to(ctx, bound, wanted)
    return None


def single_binding(ctx: RuleContext, name: ast.expr) -> ast.expr | None:
    """The one expression a local name is bound to, when it is bound exactly once."""
    if not isinstance(name, ast.Name):
        return None
    bindings = ctx.facts.scopes.bindings_of(name.id, ctx.scope_chain)
    if bindings and len(bindings) == 1:
        return bindings[0]
    return None


def literal_value(ctx: RuleContext, expr: ast.expr | None):
    """The Python value of a literal (or of a name bound once to one); MISSING when unknown."""
    return ctx.literal(expr)


def is_literal_false(ctx: RuleContext, expr: ast.expr | None) -> bool:
    value = ctx.literal(expr)
    return value is not MISSING and not value


def is_literal_true(ctx: RuleContext, expr: ast.expr | None) -> bool:
    value = ctx.literal(expr)
    return value is not MISSING and bool(value)


def file_calls(ctx: RuleContext, qualified_names: Iterable[str]) -> bool:
    """True when the file calls any of ``qualified_names`` anywhere (e.g. ``defuse_stdlib()``).

    Computed once per file and kept on the context (the context lives for one file)."""
    wanted = frozenset(qualified_names)
    cache: dict[frozenset[str], bool] = ctx.__dict__.setdefault("_security_use_file_calls", {})
    if wanted not in cache:
        cache[wanted] = any(
            isinstance(node, ast.Call) and ctx.facts.imports.qualname(node.func) in wanted
            for node in ast.walk(ctx.parsed.tree)
        )
    return cache[wanted]
