"""Passwords stored with a hasher that is fast or broken (CWE-916), or in clear text (CWE-256):
passlib's legacy schemes, Django's MD5/SHA-1/crypt hashers chosen in make_password() or first in
PASSWORD_HASHERS, and a password run through one round of a plain hash (hashlib.sha256(password)).
bcrypt, argon2, scrypt and PBKDF2 are not reported, nor weak schemes kept only to verify old hashes
(listed after a strong default, or deprecated)."""
from __future__ import annotations

import ast
import re

from secreview.rules._naming import in_test_code
from secreview.rules._sent_values import SENT_TO_REMOTE_LOGIN, sent_in_request
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext
from secreview.rules.crypto import MYSQL_NATIVE_PASSWORD, _hash_object_updates, in_mysql_password_function
from secreview.rules.hardening import _in_production_settings, _module_level_assignment_to

# passlib schemes: one round of MD5/SHA-1/SHA-2 or DES, LM/NT hashes, database hashes.
_PASSLIB_WEAK = frozenset({
    "md5_crypt", "apr_md5_crypt", "sun_md5_crypt", "des_crypt", "bsdi_crypt", "bigcrypt", "crypt16",
    "ldap_md5", "ldap_sha1", "ldap_salted_md5", "ldap_salted_sha1", "ldap_salted_sha256", "ldap_salted_sha512",
    "ldap_des_crypt", "ldap_bsdi_crypt", "ldap_md5_crypt",
    "hex_md4", "hex_md5", "hex_sha1", "hex_sha256", "hex_sha512", "htdigest", "mysql323", "mysql41",
    "postgres_md5", "oracle10", "oracle11", "lmhash", "nthash", "bsd_nthash", "msdcc", "msdcc2",
    "cisco_pix", "cisco_asa", "cisco_type7", "django_salted_md5", "django_salted_sha1",
    "django_des_crypt", "roundup_plaintext",
})
_PASSLIB_PLAINTEXT = frozenset({"plaintext", "ldap_plaintext"})
_PASSLIB_METHODS = ("hash", "encrypt", "using", "genhash")
_PASSLIB_CALLS = {
    f"passlib.hash.{scheme}.{method}": scheme
    for scheme in (*_PASSLIB_WEAK, *_PASSLIB_PLAINTEXT) for method in _PASSLIB_METHODS
}
_CRYPT_CONTEXT = frozenset({"passlib.context.CryptContext", "passlib.apps.CryptContext"})
# Django: hasher algorithm names (make_password's hasher=, get_hasher()) and classes.
_DJANGO_WEAK = frozenset({"md5", "unsalted_md5", "sha1", "unsalted_sha1", "crypt"})
_DJANGO_WEAK_CLASSES = frozenset({
    "MD5PasswordHasher", "UnsaltedMD5PasswordHasher", "SHA1PasswordHasher", "UnsaltedSHA1PasswordHasher",
    "CryptPasswordHasher",
})
_MAKE_PASSWORD = frozenset({"django.contrib.auth.hashers.make_password"})
# One round of a general-purpose hash (hashlib's constructors, and the names hashlib.new() takes).
_FAST_HASH_LABELS = {
    "md5": "MD5", "sha1": "SHA-1", "sha224": "SHA-224", "sha256": "SHA-256", "sha384": "SHA-384",
    "sha512": "SHA-512", "sha512_224": "SHA-512/224", "sha512_256": "SHA-512/256", "sha3_224": "SHA3-224",
    "sha3_256": "SHA3-256", "sha3_384": "SHA3-384", "sha3_512": "SHA3-512", "blake2b": "BLAKE2b",
    "blake2s": "BLAKE2s",
}
_FAST_HASHES = {f"hashlib.{name}": label for name, label in _FAST_HASH_LABELS.items()}
_HASHLIB_NEW = "hashlib.new"
# Names of a password (their words: ``new_password``, ``rawPassword``, ``pwd``, ``password2``), and
# words that make such a name something else: a reset token, a stored hash, a setting about passwords.
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "pword"})
_NOT_PASSWORD_WORDS = frozenset({
    "token", "reset", "hash", "hashed", "digest", "salt", "length", "len", "field", "policy", "url", "link",
    "hint", "label", "prompt", "file", "path", "name", "expiry", "expires", "rule", "rules", "min", "max",
    "strength", "score", "count", "attempts", "changed", "updated", "date", "time", "id", "key", "version",
})
# What keeps the password's value when it is hashed: encoding, str(), concatenation with a salt.
_KEEPING_METHODS = frozenset({"encode", "strip", "lower", "upper"})
_KEEPING_CALLS = frozenset({"str", "bytes", "bytearray"})


@rule(
    id="weak-password-hasher",
    title="Password stored with a fast or broken hash",
    cwe=916,
    severity=MEDIUM,
    confidence=HIGH,
    calls=[*_PASSLIB_CALLS, *_CRYPT_CONTEXT, *_MAKE_PASSWORD, *_FAST_HASHES, _HASHLIB_NEW],
    nodes=[ast.Assign],
    targets=["PASSWORD_HASHERS"],
    description="""Passwords are hashed with a scheme that costs an attacker almost nothing per
        guess: one round of a general-purpose hash over a password (hashlib.sha256(password.encode()),
        md5, sha1, sha512, blake2b, hashlib.new("sha256", ...), salted or not; the password is a
        value named password/passwd/pwd/passphrase), passlib's md5_crypt, des_crypt,
        ldap_md5/ldap_sha1, hex_md5/hex_sha1/hex_sha256, mysql41, lmhash, nthash... (called
        directly, or the default scheme of a CryptContext), Django's make_password(raw,
        hasher="md5" / "unsalted_md5" / "sha1" / "unsalted_sha1" / "crypt"), or a PASSWORD_HASHERS
        setting (in a settings module not named for development) whose first hasher, the one new
        passwords get, is MD5/SHA-1/crypt. A stolen table of such hashes is cracked at billions of
        guesses per second (CWE-916); plaintext schemes keep the password itself (CWE-256, high
        severity). Not reported: hashes of other data (file contents, a random reset token kept for
        lookup), HMACs, hashlib.pbkdf2_hmac and hashlib.scrypt; weak schemes kept only to check old
        hashes (after a strong default, or deprecated); test settings, where a fast hasher is the
        usual speed-up. SHA-1 in a function named for MySQL's password format (mysql in its name,
        or native_password) is low confidence: SHA1(SHA1(password)) is the format the server
        defines, computed to compare with or set the server's value. Low too: a digest the
        function sends in a request to another service (an argument of an HTTP client call, of a
        call given a URL first, or of a call named for a request such as api_request, directly
        or through names, dict entries and json.dumps) and neither compares nor stores on an
        object: a remote login API's scheme, which its client does not choose.""",
    solution="""Use a slow, salted password hash: argon2 (argon2-cffi's PasswordHasher,
        passlib.hash.argon2), bcrypt, hashlib.scrypt or PBKDF2 with many iterations
        (hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)); werkzeug's
        generate_password_hash and Django's make_password do this. In Django keep the default
        PASSWORD_HASHERS (PBKDF2) or put Argon2PasswordHasher first. With passlib,
        CryptContext(schemes=["argon2", "md5_crypt"], deprecated="auto") upgrades old hashes as
        users log in.""",
    example="""
        from passlib.context import CryptContext
        pwd_context = CryptContext(schemes=["md5_crypt"])
    """,
    fixed="""
        from passlib.context import CryptContext
        pwd_context = CryptContext(schemes=["argon2", "md5_crypt"], deprecated="auto")
    """,
)
def check_weak_password_hasher(node: ast.AST, ctx: RuleContext):
    if isinstance(node, ast.Assign):
        return _password_hashers_setting(node, ctx)
    call: ast.Call = node  # type: ignore[assignment]
    name = ctx.call_name(call) or ""
    if name in _PASSLIB_CALLS:
        return in_test_code(ctx, _scheme_hit(call, _PASSLIB_CALLS[name], f"`{ctx.source(call.func)}`"))
    if name in _CRYPT_CONTEXT:
        scheme = _default_scheme(ctx, call)
        if scheme is None:
            return None
        return in_test_code(ctx, _scheme_hit(call, scheme, "The CryptContext's default scheme"))
    if name in _FAST_HASHES or name == _HASHLIB_NEW:
        return in_test_code(ctx, _fast_password_hash(ctx, call, name))
    hasher = ctx.literal(ctx.argument(call, 2, "hasher"), None)
    if isinstance(hasher, str) and hasher in _DJANGO_WEAK:
        return in_test_code(ctx, Hit(call, message=(
            f'make_password with hasher="{hasher}": a fast hash, cracked at billions of guesses per second '
            "when the password table leaks.")))
    return None


def _scheme_hit(call: ast.Call, scheme: str, what: str) -> Hit | None:
    if scheme in _PASSLIB_PLAINTEXT:
        return Hit(call, cwe=256, severity=HIGH, message=f"{what} stores passwords in clear text ({scheme}).")
    if scheme in _PASSLIB_WEAK:
        return Hit(call, message=(f"{what} hashes passwords with {scheme}, which is fast (or broken): a leaked "
                                  "hash is cracked at billions of guesses per second."))
    return None


def _default_scheme(ctx: RuleContext, call: ast.Call) -> str | None:
    """The scheme new hashes get: ``default=``, else the first of ``schemes`` (a list, or a
    comma-separated string); None when not written as constants."""
    default = ctx.literal(ctx.keyword(call, "default"), None)
    if isinstance(default, str):
        return default.strip()
    schemes = ctx.literal(ctx.argument(call, 0, "schemes"), None)
    if isinstance(schemes, str):
        schemes = [s for s in schemes.replace(" ", ",").split(",") if s]
    if isinstance(schemes, (list, tuple)) and schemes and isinstance(schemes[0], str):
        return schemes[0]
    return None


def _password_hashers_setting(node: ast.Assign, ctx: RuleContext) -> Hit | None:
    if _module_level_assignment_to(node, ctx, ("PASSWORD_HASHERS",)) is None:
        return None
    hashers = ctx.literal(node.value, None)
    if not isinstance(hashers, (list, tuple)) or not hashers or not isinstance(hashers[0], str):
        return None
    first = hashers[0].rsplit(".", 1)[-1]
    if first not in _DJANGO_WEAK_CLASSES or not _in_production_settings(ctx):
        return None
    return Hit(node, message=(
        f"PASSWORD_HASHERS starts with {first}: every new or changed password is stored with a fast "
        "hash, cracked at billions of guesses per second when the table leaks."))


def _fast_password_hash(ctx: RuleContext, call: ast.Call, name: str) -> Hit | None:
    """``hashlib.sha256(password.encode())`` (also ``hashlib.new("sha256", password)``, and
    ``h = hashlib.sha256(); h.update(password)``): a password through one round of a fast hash."""
    if name == _HASHLIB_NEW:
        algorithm = ctx.literal(ctx.argument(call, 0, "name"), None)
        label = _FAST_HASH_LABELS.get(algorithm.lower().replace("-", "")) if isinstance(algorithm, str) else None
        data = ctx.argument(call, 1, "data")
    else:
        label = _FAST_HASHES[name]
        data = ctx.argument(call, 0, "data")
    if label is None:
        return None
    hashed = [data] if data is not None else []
    hashed += [k.value for k in call.keywords if k.arg == "string"]
    hashed += _hash_object_updates(ctx, call)
    password = next((found for value in hashed for found in [_password_in(ctx, value, 0)] if found), None)
    if password is None:
        return None
    if label == "SHA-1" and in_mysql_password_function(ctx):
        return Hit(call, confidence=LOW, message=f"Hashing `{password}` with {label} {MYSQL_NATIVE_PASSWORD}")
    if sent_in_request(ctx, call):
        return Hit(call, confidence=LOW, message=f"`{password}` is hashed with one round of {label} {SENT_TO_REMOTE_LOGIN}")
    return Hit(call, message=(
        f"`{password}` is hashed with one round of {label}, a fast hash: a leaked hash is cracked at billions of "
        "guesses per second."))


def _password_in(ctx: RuleContext, expr: ast.expr, depth: int) -> str | None:
    """The password name in a hashed value (``salt + password.encode()``, ``f"{pepper}{pwd}"``,
    ``request.form["password"]``), else None. A call other than an encoding (``sign(password)``)
    is something else."""
    if depth > 6:
        return None
    cls = expr.__class__
    if cls is ast.Name:
        return expr.id if _is_password_name(expr.id) else None  # type: ignore[attr-defined]
    if cls is ast.Attribute:
        return ctx.source(expr) if _is_password_name(expr.attr) else None  # type: ignore[attr-defined]
    if cls is ast.Subscript:
        key = ctx.literal(expr.slice, None)  # type: ignore[attr-defined]
        return ctx.source(expr) if isinstance(key, str) and _is_password_name(key) else None
    if cls is ast.BinOp:
        return _password_in(ctx, expr.left, depth + 1) or _password_in(ctx, expr.right, depth + 1)  # type: ignore[attr-defined]
    if cls is ast.JoinedStr:
        return next((found for value in expr.values if value.__class__ is ast.FormattedValue  # type: ignore[attr-defined]
                     for found in [_password_in(ctx, value.value, depth + 1)] if found), None)  # type: ignore[attr-defined]
    if cls is ast.Call:
        func = expr.func  # type: ignore[attr-defined]
        if func.__class__ is ast.Attribute and func.attr in _KEEPING_METHODS:
            return _password_in(ctx, func.value, depth + 1)
        if func.__class__ is ast.Attribute and func.attr == "get" and expr.args:  # type: ignore[attr-defined]
            key = ctx.literal(expr.args[0], None)  # type: ignore[attr-defined]
            return ctx.source(expr) if isinstance(key, str) and _is_password_name(key) else None
        if func.__class__ is ast.Name and func.id in _KEEPING_CALLS and len(expr.args) >= 1:  # type: ignore[attr-defined]
            return _password_in(ctx, expr.args[0], depth + 1)  # type: ignore[attr-defined]
    return None


def _is_password_name(name: str) -> bool:
    words = {word.rstrip("0123456789") for word in re.split(r"[_\W]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()) if word}
    return bool(words & _PASSWORD_WORDS) and not words & _NOT_PASSWORD_WORDS
