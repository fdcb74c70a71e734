"""Passwords stored with a hasher that is fast or broken (CWE-916), or in clear text (CWE-256):
passlib's legacy schemes, Django's MD5/SHA-1/crypt hashers chosen in make_password() or first in
PASSWORD_HASHERS. bcrypt, argon2, scrypt and PBKDF2 are not reported, nor weak schemes kept only
to verify old hashes (listed after a strong default, or deprecated)."""
from __future__ import annotations

import ast

from secreview.rules._naming import in_test_code
from secreview.rules.base import HIGH, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext
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


@rule(
    id="weak-password-hasher",
    title="Password stored with a fast or broken hash",
    cwe=916,
    severity=MEDIUM,
    confidence=HIGH,
    calls=[*_PASSLIB_CALLS, *_CRYPT_CONTEXT, *_MAKE_PASSWORD],
    nodes=[ast.Assign],
    targets=["PASSWORD_HASHERS"],
    description="""Passwords are hashed with a scheme that costs an attacker almost nothing per
        guess: passlib's md5_crypt, des_crypt, ldap_md5/ldap_sha1, hex_md5/hex_sha1/hex_sha256,
        mysql41, lmhash, nthash... (called directly, or the default scheme of a CryptContext),
        Django's make_password(raw, hasher="md5" / "unsalted_md5" / "sha1" / "unsalted_sha1" /
        "crypt"), or a PASSWORD_HASHERS setting (in a settings module not named for development)
        whose first hasher, the one new passwords get, is MD5/SHA-1/crypt. A stolen table of such
        hashes is cracked at billions of guesses per second (CWE-916); plaintext schemes keep the
        password itself (CWE-256, high severity). Weak schemes kept only to check old hashes
        (after a strong default, or deprecated) are not reported, nor test settings, where a fast
        hasher is the usual speed-up.""",
    solution="""Use a slow, salted password hash: argon2 (passlib.hash.argon2, argon2-cffi),
        bcrypt or PBKDF2 with many iterations; in Django keep the default PASSWORD_HASHERS
        (PBKDF2) or put Argon2PasswordHasher first. With passlib, CryptContext(schemes=["argon2",
        "md5_crypt"], deprecated="auto") upgrades old hashes as users log in.""",
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
