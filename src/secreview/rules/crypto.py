"""Weak cryptography: broken hashes (CWE-328), broken ciphers and ECB mode (CWE-327), short keys
(CWE-326) and a predictable generator for secrets (CWE-338).

Precision over Bandit: a weak hash is high confidence only where its value protects something
(names such as password, token, signature, hmac, secret around it, once resolved: the salt
package is no salt) and low confidence elsewhere (cache keys, ETags, content fingerprints, the
hash inside an HMAC, certificate fingerprints); ``usedforsecurity=False`` is honoured. The random
module is reported only where its value is used as a secret, never for shuffling or sampling.
Key sizes are decoded from constants (``KEY_BITS = 1024``, ``512 * 2``).
"""
from __future__ import annotations

import ast

from secreview.rules._naming import name_words
from secreview.rules._security_use import constant_int, constant_str, is_literal_false, is_security_name, \
    mentioned_names, most_secret, names_public_material, names_secret_alphabet, names_secret_collection, refers_to, \
    security_purpose
from secreview.rules._naming import is_test_code
from secreview.rules._sent_values import SENT_TO_REMOTE_LOGIN, sent_in_request
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule, trace_to_sink
from secreview.rules.context import RuleContext

_PYCRYPTO = ("Crypto", "Cryptodome")  # pycrypto / pycryptodome and pycryptodomex namespaces
_HAZMAT = "cryptography.hazmat.primitives"

# --- weak hashes ---------------------------------------------------------------------------------
_WEAK_HASH_NAMES = frozenset({"md2", "md4", "md5", "sha", "sha1", "sha-1", "md5-sha1", "md5_sha1", "ripemd", "mdc2"})
_HASHLIB_WEAK = {"hashlib.md5": "MD5", "hashlib.sha1": "SHA-1", "_hashlib.openssl_md5": "MD5", "_hashlib.openssl_sha1": "SHA-1"}
_LIBRARY_WEAK_HASHES = {
    **{f"{ns}.Hash.{algo}.new": label for ns in _PYCRYPTO
       for algo, label in (("MD2", "MD2"), ("MD4", "MD4"), ("MD5", "MD5"), ("SHA", "SHA-1"), ("SHA1", "SHA-1"))},
    **{f"{_HAZMAT}.hashes.{algo}": label for algo, label in (("MD5", "MD5"), ("SHA1", "SHA-1"))},
}


def _weak_hash_algorithm(ctx: RuleContext, call: ast.Call, name: str) -> str | None:
    if name in _HASHLIB_WEAK:
        return _HASHLIB_WEAK[name]
    if name in _LIBRARY_WEAK_HASHES:
        return _LIBRARY_WEAK_HASHES[name]
    if name == "hashlib.new":
        algorithm = constant_str(ctx, ctx.argument(call, 0, "name"))
        if algorithm is not None and algorithm.lower() in _WEAK_HASH_NAMES:
            return algorithm.upper()
    return None


def _hash_object_purpose(ctx: RuleContext, call: ast.Call) -> str | None:
    """The security name among the arguments of ``h.update(...)`` for ``h = hashlib.md5()`` in the
    same scope (the password rather than its salt), not counting public material."""
    names = mentioned_names(_hash_object_updates(ctx, call), ctx)
    return most_secret([name for name in names if is_security_name(name) and not names_public_material(name)])


def _hash_object_updates(ctx: RuleContext, call: ast.Call) -> list[ast.expr]:
    """The arguments of ``h.update(...)`` for ``h = hashlib.md5()`` in the same scope."""
    statement = ctx.statement
    if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return []
    variable = statement.targets[0].id
    scope = ctx.function or ctx.parsed.tree
    arguments: list[ast.expr] = []
    for node in ast.walk(scope):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == variable):
            arguments.extend(node.args)
    return arguments


@rule(
    id="weak-hash",
    title="Broken hash algorithm (MD5/SHA-1)",
    cwe=328,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B303", "B324"],
    calls=[*_HASHLIB_WEAK, *_LIBRARY_WEAK_HASHES, "hashlib.new"],
    yields_to="weak-password-hasher",  # (MD5 of a password: CWE-916 is the more specific weakness)
    groups_sinks_by_source=False,  # (each MD5 call is the defect, whatever the data hashed)
    description="""MD5, MD4, MD2 and SHA-1 have practical collision attacks and are fast to brute
        force: a digest made with them does not protect passwords, signatures, tokens or integrity
        checks against an attacker. Confidence is high when the digest is used for security (the
        data or the names around it are a password, token, secret, signature, HMAC, session,
        credential...), medium when it is computed over a client's request (whoever sends it can
        craft collisions), and low otherwise (cache keys, ETags, de-duplication, a checksum of
        data the program fetches or reads from standard input), where the algorithm is harmless.
        Names are resolved first: an imported module (the salt package), inspect.signature and
        markers handed out in the open (a version or page token) are no security value, and a
        certificate or public key is public material. Low too: a hash given to an HMAC
        construction (cryptography's HMAC, TOTP, HOTP, PBKDF2HMAC, HKDF, PKCS#12's hmac_hash:
        HMAC-SHA-1 is not broken, and RFCs 4226/6238 specify it), a certificate's or key's
        fingerprint(), SHA-1 in a function named for MySQL's native password format (the
        server's own), and a digest of a password that the function sends in a request to another
        service and neither compares nor stores (a remote login API's scheme: see
        weak-password-hasher). hashlib calls with usedforsecurity=False are not reported, nor a wrapper
        that forwards its own usedforsecurity parameter (its callers decide), nor a digest
        reduced to a bucket index (int(md5(session_id).hexdigest(), 16) % SHARDS picks a shard)
        unless that number is itself kept as a secret (an OTP), nor a hash object made only to read
        the algorithm's digest_size, block_size or name (os.urandom(sha1().digest_size)).""",
    solution="""For integrity and signatures use SHA-256 or better (hashlib.sha256, hashes.SHA256);
        for passwords use a password hash (hashlib.scrypt, argon2-cffi, bcrypt); for tokens use
        secrets.token_urlsafe. When MD5/SHA-1 is required by a non-security protocol, say so with
        hashlib.md5(data, usedforsecurity=False).""",
    example="""
        signature = hashlib.md5(secret_key + payload).hexdigest()
    """,
    fixed="""
        signature = hmac.new(secret_key, payload, hashlib.sha256).hexdigest()
    """,
)
def check_weak_hash(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    algorithm = _weak_hash_algorithm(ctx, call, name)
    if algorithm is None:
        return None
    used_for_security = ctx.keyword(call, "usedforsecurity")
    if used_for_security is not None and is_literal_false(ctx, used_for_security):
        return None
    if used_for_security is not None and _forwarded_parameter(ctx, used_for_security):
        # ``def safe_md5(data, usedforsecurity=True): return md5(data, usedforsecurity=...)``:
        # a wrapper whose callers decide; those passing False are not using it for security.
        return None
    if _reads_property_only(ctx, call):
        return None  # ``os.urandom(sha1().digest_size)``: a size or a name, no digest is computed or used
    standard_use = _hmac_construction(ctx, call) or _fingerprint(ctx, call)
    if standard_use is not None:
        return Hit(call, confidence=LOW, message=standard_use.format(algorithm=algorithm))
    bucketed = _reduced_to_bucket(ctx, call)
    # Hashed to pick a bucket (``int(md5(session_id).hexdigest(), 16) % len(SHARDS)``): what goes
    # in says nothing, only where the small number goes (``otp = ... % 10**6`` is a secret).
    purpose = security_purpose(ctx, call, include_arguments=not bucketed, public=False)
    if purpose is None and not bucketed:
        purpose = _hash_object_purpose(ctx, call)
    if purpose is None and bucketed:
        return None  # a shard or bucket index: no digest is kept, nothing to collide or brute force
    if purpose is not None and in_mysql_password_function(ctx) and algorithm == "SHA-1":
        return Hit(call, confidence=LOW, message=f"{algorithm} {MYSQL_NATIVE_PASSWORD}")
    if purpose is not None and _names_password(purpose) and sent_in_request(ctx, call):
        return Hit(call, confidence=LOW, message=f"{algorithm} of `{purpose}` is computed {SENT_TO_REMOTE_LOGIN}")
    if purpose is not None:
        return Hit(call, confidence=HIGH, message=(
            f"{algorithm} is used for a security value (`{purpose}`): it is broken for collisions and "
            "fast to brute force."))
    return _over_untrusted_data(ctx, call, algorithm) or Hit(call, confidence=LOW, message=(
        f"{algorithm} is broken for security use; nothing here shows a security purpose (if it is a "
        "cache key or checksum, mark it with usedforsecurity=False)."))


_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase"})


def _names_password(name: str) -> bool:
    return not _PASSWORD_WORDS.isdisjoint(name_words(name))


def _over_untrusted_data(ctx: RuleContext, call: ast.Call, algorithm: str) -> Hit | None:
    """The hit for a digest without a security purpose computed over data from a source: one
    level less sure than the source. A client's request makes it medium: collisions are the
    client's to craft, and two inputs with one digest defeat whatever the digest identifies. Data
    the program reads from a socket, a fetched page or standard input makes it low: most such
    digests are checksums (did the page change?) or unique file names."""
    hashed = [*call.args, *(k.value for k in call.keywords if k.arg in ("data", "string")), *_hash_object_updates(ctx, call)]
    for data in hashed:
        taint = ctx.taint(data)
        if taint is not None and taint.confidence >= MEDIUM:  # a real source, not a mere parameter
            trace = trace_to_sink(ctx, call, taint.trace, f"hashed with {algorithm}")
            if taint.confidence >= HIGH:
                return Hit(call, confidence=MEDIUM, trace=trace, sources=taint.sources, message=(
                    f"{algorithm} is computed over {taint.description}: whoever sends it can craft "
                    "colliding inputs (mark non-security uses with usedforsecurity=False)."))
            return Hit(call, confidence=LOW, trace=trace, sources=taint.sources, message=(
                f"{algorithm} is computed over {taint.description}; nothing here shows a security purpose "
                "(a checksum to detect changes or a unique file name is none: mark it with usedforsecurity=False)."))
    return None


# Constructions whose hash argument is used inside HMAC (the cryptography package): HMAC-SHA-1
# (and HMAC-MD5) rest on the hash's pseudo-randomness, not on collision resistance, and are not
# broken. TOTP and HOTP use HMAC-SHA-1 by their RFCs (6238, 4226; authenticator apps expect it);
# PKCS#12's legacy MAC is HMAC-SHA-1 (``encryption_builder().hmac_hash(hashes.SHA1())``).
_PRIMITIVES = "cryptography.hazmat.primitives"
HMAC_CONSTRUCTIONS = frozenset({
    f"{_PRIMITIVES}.hmac.HMAC", f"{_PRIMITIVES}.twofactor.hotp.HOTP", f"{_PRIMITIVES}.twofactor.totp.TOTP",
    f"{_PRIMITIVES}.kdf.pbkdf2.PBKDF2HMAC", f"{_PRIMITIVES}.kdf.hkdf.HKDF", f"{_PRIMITIVES}.kdf.hkdf.HKDFExpand",
    f"{_PRIMITIVES}.kdf.kbkdf.KBKDFHMAC", f"{_PRIMITIVES}.kdf.concatkdf.ConcatKDFHMAC",
})
HMAC_METHODS = frozenset({"hmac_hash"})


def _receiving_call(ctx: RuleContext, call: ast.Call) -> ast.Call | None:
    """The call ``call`` is an argument of (positional or keyword), else None."""
    chain = ctx.ancestors
    if len(chain) < 2 or chain[-1] is not call:
        return None
    parent = chain[-2]
    if parent.__class__ is ast.keyword and len(chain) >= 3:
        parent = chain[-3]
    if parent.__class__ is ast.Call and parent.func is not call:  # type: ignore[attr-defined]
        return parent  # type: ignore[return-value]
    return None


def _hmac_construction(ctx: RuleContext, call: ast.Call) -> str | None:
    """The message for a hash given to an HMAC construction (``TOTP(key, 6, SHA1(), 30)``), else None."""
    receiver = _receiving_call(ctx, call)
    if receiver is None:
        return None
    func = receiver.func
    is_method = func.__class__ is ast.Attribute and func.attr in HMAC_METHODS  # type: ignore[attr-defined]
    if not is_method and ctx.qualname(func) not in HMAC_CONSTRUCTIONS:
        return None
    called = func.attr if func.__class__ is ast.Attribute else ctx.source(func)  # type: ignore[attr-defined]
    return ("{algorithm} is the hash of an HMAC here (`" + called + "`): HMAC does not rest on the hash's collision "
            "resistance and HMAC-{algorithm} is not broken (TOTP, HOTP and PKCS#12 use HMAC-SHA-1 by their "
            "standards); prefer SHA-256 where the other side accepts it.")


def _fingerprint(ctx: RuleContext, call: ast.Call) -> str | None:
    """The message for a hash given to a ``fingerprint()`` method (``cert.fingerprint(hashes.SHA1())``,
    cryptography's certificates and keys), else None."""
    receiver = _receiving_call(ctx, call)
    if receiver is None or receiver.func.__class__ is not ast.Attribute or receiver.func.attr != "fingerprint":  # type: ignore[attr-defined]
        return None
    owner = ctx.source(receiver.func.value)  # type: ignore[attr-defined]
    return ("{algorithm} makes a fingerprint of `" + owner + "` here, an identifier of public data: only a second "
            "preimage would forge one, which {algorithm} still resists. Prefer SHA-256 for fingerprints that decide "
            "trust (pinning).")


# MySQL's native password format (mysql_native_password, MariaDB's too): ``*`` and the hex of
# SHA1(SHA1(password)). The server defines it; a client computes it to compare with or to set
# the server's value (``CREATE USER ... IDENTIFIED BY PASSWORD '*...'``).
_MYSQL_WORDS = frozenset({"mysql", "mariadb", "mysql41"})
MYSQL_NATIVE_PASSWORD = (
    "makes MySQL's native password format here (SHA1(SHA1(password)), which the server defines): it is "
    "computed to compare with or to set the server's own value, not to store this application's passwords. "
    "Where the server allows, use caching_sha2_password.")


def in_mysql_password_function(ctx: RuleContext) -> bool:
    """In a function named for MySQL's password format (``__mysql_hash_password``,
    ``scramble_native_password``)."""
    function = ctx.function
    if function is None:
        return False
    words = set(name_words(function.name))
    return bool(words & _MYSQL_WORDS) or {"native", "password"} <= words


def _forwarded_parameter(ctx: RuleContext, value: ast.expr) -> bool:
    """``value`` is a parameter of the enclosing function, never reassigned in it: its callers
    choose it."""
    function = ctx.function
    if not isinstance(value, ast.Name) or function is None:
        return False
    arguments = function.args
    parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    if value.id not in parameters:
        return False
    return not any(isinstance(node, ast.Name) and node.id == value.id and isinstance(node.ctx, ast.Store)
                   for node in ast.walk(function))


_DIGEST_METHODS = frozenset({"hexdigest", "digest"})
_HASH_PROPERTIES = frozenset({"digest_size", "block_size", "name"})


def _reads_property_only(ctx: RuleContext, call: ast.Call) -> bool:
    """``sha1().digest_size``, ``md5().block_size``, ``hashlib.new("sha1").name``: the hash object
    is made only to read a constant of the algorithm (the assignment's name, ``salt``, is about
    what is sized, not about what is hashed)."""
    chain = ctx.ancestors
    if len(chain) < 2 or chain[-1] is not call:
        return False
    parent = chain[-2]
    return parent.__class__ is ast.Attribute and parent.value is call and parent.attr in _HASH_PROPERTIES  # type: ignore[attr-defined]


def _reduced_to_bucket(ctx: RuleContext, call: ast.Call) -> bool:
    """``int(md5(x).hexdigest(), 16) % n`` / ``int.from_bytes(md5(x).digest(), "big") % n``: the
    digest only becomes an index into ``n`` buckets (sharding, sampling)."""
    chain = ctx.ancestors
    if not chain or chain[-1] is not call:
        return False
    path = list(reversed(chain[:-1]))
    # md5(x).hexdigest: Attribute, then its Call, then int(...)/int.from_bytes(...), then ``% n``
    if len(path) < 4:
        return False
    attribute, digest_call, converted, reduced = path[:4]
    return (isinstance(attribute, ast.Attribute) and attribute.attr in _DIGEST_METHODS
            and isinstance(digest_call, ast.Call) and digest_call.func is attribute
            and isinstance(converted, ast.Call) and ctx.call_name(converted) in ("int", "int.from_bytes")
            and bool(converted.args) and converted.args[0] is digest_call
            and isinstance(reduced, ast.BinOp) and isinstance(reduced.op, ast.Mod) and reduced.left is converted)


# --- weak ciphers ---------------------------------------------------------------------------------
_WEAK_CIPHER_LABELS = {
    "ARC2": "RC2", "ARC4": "RC4", "Blowfish": "Blowfish", "DES": "DES", "DES3": "Triple DES",
    "TripleDES": "Triple DES", "IDEA": "IDEA", "CAST": "CAST5", "CAST5": "CAST5", "SEED": "SEED",
    "XOR": "XOR", "RC2": "RC2",
}
_WEAK_CIPHER_CALLS = {
    **{f"{ns}.Cipher.{algo}.new": _WEAK_CIPHER_LABELS[algo] for ns in _PYCRYPTO
       for algo in ("ARC2", "ARC4", "Blowfish", "DES", "DES3", "CAST", "XOR")},
    **{f"{module}.{algo}": _WEAK_CIPHER_LABELS[algo]
       for module in (f"{_HAZMAT}.ciphers.algorithms", "cryptography.hazmat.decrepit.ciphers.algorithms")
       for algo in ("ARC4", "Blowfish", "CAST5", "IDEA", "SEED", "TripleDES", "RC2")},
    "pyDes.des": "DES", "pyDes.triple_des": "Triple DES",
}


@rule(
    id="weak-cipher",
    title="Broken or weak cipher",
    cwe=327,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B304", "B413"],
    calls=list(_WEAK_CIPHER_CALLS),
    description="""RC2, RC4, DES, Triple DES, Blowfish, IDEA, CAST5, SEED and XOR "ciphers" have
        practical attacks (biased key streams, 56-bit keys, 64-bit blocks open to Sweet32-style
        collisions): data they encrypt can be recovered. Covers the cryptography package (including
        its decrepit module), PyCrypto/PyCryptodome (Crypto.* and Cryptodome.*) and pyDes.""",
    solution="""Use an authenticated modern cipher: AES-GCM or ChaCha20-Poly1305
        (cryptography.hazmat.primitives.ciphers.aead), or Fernet for simple symmetric encryption.
        PyCrypto is unmaintained: move to cryptography or PyCryptodome.""",
    example="""
        cipher = DES.new(key, DES.MODE_CBC, iv)
    """,
    fixed="""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        ciphertext = AESGCM(key).encrypt(nonce, data, None)
    """,
)
def check_weak_cipher(call: ast.Call, ctx: RuleContext):
    algorithm = _WEAK_CIPHER_CALLS[ctx.call_name(call) or ""]
    return Hit(call, message=f"{algorithm} is a broken or weak cipher: data encrypted with it can be recovered.")


# --- ECB mode ---------------------------------------------------------------------------------------
_PYCRYPTO_BLOCK_CIPHERS = ("AES", "DES", "DES3", "ARC2", "Blowfish", "CAST")
_PYCRYPTO_NEW = [f"{ns}.Cipher.{algo}.new" for ns in _PYCRYPTO for algo in _PYCRYPTO_BLOCK_CIPHERS]
_ECB_MODE_VALUE = 1  # MODE_ECB in PyCrypto and PyCryptodome


@rule(
    id="ecb-mode",
    title="Block cipher in ECB mode",
    cwe=327,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B305", "B413"],
    calls=[f"{_HAZMAT}.ciphers.modes.ECB", *_PYCRYPTO_NEW],
    description="""ECB encrypts each block independently: equal plaintext blocks give equal
        ciphertext blocks, so patterns (and repeated records) show through and blocks can be cut
        and pasted between messages. It has no integrity either.""",
    solution="""Use an authenticated mode: AES-GCM (modes.GCM / AES.MODE_GCM, or AESGCM from
        cryptography's aead module) with a fresh nonce per message.""",
    example="""
        cipher = Cipher(algorithms.AES(key), modes.ECB())
    """,
    fixed="""
        cipher = Cipher(algorithms.AES(key), modes.GCM(os.urandom(12)))
    """,
)
def check_ecb(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    if name.endswith(".modes.ECB"):
        return Hit(call, message="ECB mode leaks equal plaintext blocks and allows block reordering.")
    mode = ctx.argument(call, 1, "mode")
    if mode is None:
        return None  # PyCryptodome requires a mode; PyCrypto's implicit default is reported as a weak cipher use
    qualified = ctx.qualname(mode) or ""
    if qualified.endswith(".MODE_ECB") or ctx.literal(mode, None) == _ECB_MODE_VALUE:
        return Hit(call, message="ECB mode leaks equal plaintext blocks and allows block reordering.")
    return None


# --- weak keys ----------------------------------------------------------------------------------------
_RSA_DSA_MINIMUM = 2048
_EC_MINIMUM = 224
_ASYMMETRIC = f"{_HAZMAT}.asymmetric"
# call -> (algorithm, position of key size, keyword of key size)
_KEY_SIZE_CALLS: dict[str, tuple[str, int, str]] = {
    f"{_ASYMMETRIC}.rsa.generate_private_key": ("RSA", 1, "key_size"),
    f"{_ASYMMETRIC}.dsa.generate_private_key": ("DSA", 0, "key_size"),
    f"{_ASYMMETRIC}.dsa.generate_parameters": ("DSA", 0, "key_size"),
    f"{_ASYMMETRIC}.dh.generate_parameters": ("DH", 1, "key_size"),
    **{f"{ns}.PublicKey.RSA.generate": ("RSA", 0, "bits") for ns in _PYCRYPTO},
    **{f"{ns}.PublicKey.DSA.generate": ("DSA", 0, "bits") for ns in _PYCRYPTO},
    **{f"{ns}.PublicKey.ElGamal.generate": ("ElGamal", 0, "bits") for ns in _PYCRYPTO},
}
# Curves under 224 bits, by their names in cryptography (classes) and PyCryptodome (strings).
_WEAK_CURVES = {
    **{f"{_ASYMMETRIC}.ec.{curve}": bits for curve, bits in (
        ("SECP192R1", 192), ("SECT163K1", 163), ("SECT163R2", 163), ("SECP160R1", 160))},
    **{name: 192 for name in ("p192", "p-192", "nist p-192", "prime192v1", "secp192r1")},
}
_EC_CALLS = {
    f"{_ASYMMETRIC}.ec.generate_private_key": (0, "curve"),
    f"{_ASYMMETRIC}.ec.derive_private_key": (1, "curve"),
    **{f"{ns}.PublicKey.ECC.generate": (None, "curve") for ns in _PYCRYPTO},
}


def _weak_curve(ctx: RuleContext, curve: ast.expr | None) -> tuple[str, int] | None:
    if curve is None:
        return None
    text = constant_str(ctx, curve)
    if text is not None:
        bits = _WEAK_CURVES.get(text.lower())
        return (text, bits) if bits else None
    found = refers_to(ctx, curve, [name for name in _WEAK_CURVES if "." in name])
    if found is not None:
        return found.rsplit(".", 1)[-1], _WEAK_CURVES[found]
    return None


@rule(
    id="weak-key-size",
    title="Cryptographic key too short",
    cwe=326,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B505"],
    calls=[*_KEY_SIZE_CALLS, *_EC_CALLS],
    description="""RSA, DSA, DH and ElGamal keys under 2048 bits and elliptic curves under 224 bits
        are within reach of well-funded attackers (512-bit RSA is factored in hours; NIST
        disallowed 1024-bit keys after 2013). Key sizes are decoded from constants, including
        names and simple arithmetic; sizes that are not constant are not reported. Under 1024 bits
        (or 160-bit curves) the severity is high.""",
    solution="""Generate RSA keys of at least 3072 bits (2048 as a minimum), or use Ed25519 /
        X25519 or a curve of 256 bits or more (SECP256R1, P-256).""",
    example="""
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    """,
    fixed="""
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    """,
)
def check_key_size(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    if name in _EC_CALLS:
        position, keyword = _EC_CALLS[name]
        weak = _weak_curve(ctx, ctx.argument(call, position, keyword))
        if weak is None:
            return None
        curve, bits = weak
        return Hit(call, severity=HIGH if bits < 160 else MEDIUM, message=(
            f"Elliptic curve {curve} has {bits}-bit keys, under the {_EC_MINIMUM}-bit minimum."))
    algorithm, position, keyword = _KEY_SIZE_CALLS[name]
    size = constant_int(ctx, ctx.argument(call, position, keyword))
    if size is None or size >= _RSA_DSA_MINIMUM:
        return None
    return Hit(call, severity=HIGH if size < 1024 else MEDIUM, message=(
        f"{algorithm} key of {size} bits, under the {_RSA_DSA_MINIMUM}-bit minimum."))


# --- weak randomness -------------------------------------------------------------------------------------
_RANDOM_FUNCTIONS = ("random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
                     "randbytes", "uniform", "shuffle", "triangular", "betavariate", "gauss")


def _also_imported_from_secrets(ctx: RuleContext, func: ast.expr) -> bool:
    """``try: from secrets import randbits / except ImportError: from random import getrandbits as
    randbits``: the name is the secure function where secrets exists (the import map keeps one)."""
    if not isinstance(func, ast.Name):
        return False
    cache: dict[str, bool] = ctx.__dict__.setdefault("_crypto_secrets_names", {})
    if func.id not in cache:
        cache[func.id] = any(
            isinstance(node, ast.ImportFrom) and node.module == "secrets"
            and any((alias.asname or alias.name) == func.id for alias in node.names)
            for node in ast.walk(ctx.parsed.tree)
        )
    return cache[func.id]


@rule(
    id="weak-random-for-security",
    title="Predictable random numbers used for a secret",
    cwe=338,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B311"],
    calls=[f"{module}.{f}" for module in ("random", "random.Random") for f in _RANDOM_FUNCTIONS],
    description="""The random module is a Mersenne Twister: after 624 outputs its whole state is
        known, and it is seeded predictably. Tokens, passwords, session ids, nonces, salts, OTPs,
        CSRF tokens or keys drawn from it can be predicted. Reported only where the value is used
        as such a secret (assigned to or returned from a name like token/password/secret/nonce/
        salt/otp/session/csrf/api_key, passed as such a keyword, or drawn from such an alphabet);
        the last word of the name decides, so password_length or token_refresh_delay are not
        secrets. The methods of a random.Random() object are the same generator. Values that
        cannot be secrets are not reported: a comparison (``random.random() < 0.01``), one
        choice among literals written in the code, a small count (``randint(1, 5)``). random used
        for simulations, jitter, shuffling, picking from existing tokens or test data (test files
        and functions) is not reported, nor are secrets and random.SystemRandom (also when a name
        is imported from secrets with a random fallback).""",
    solution="""Use the secrets module: secrets.token_urlsafe(32), secrets.token_hex(),
        secrets.choice(alphabet), secrets.randbelow(n) (or random.SystemRandom()).""",
    example="""
        reset_token = "".join(random.choice(string.ascii_letters) for _ in range(32))
    """,
    fixed="""
        reset_token = secrets.token_urlsafe(32)
    """,
)
def check_weak_random(call: ast.Call, ctx: RuleContext):
    if is_test_code(ctx) or _also_imported_from_secrets(ctx, call.func):
        return None
    name = ctx.call_name(call) or ""
    if name.endswith(".shuffle"):
        return None  # reorders a list in place: it makes no new value
    if _cannot_be_secret(ctx, call, name.rsplit(".", 1)[-1]):
        return None
    purpose = security_purpose(ctx, call, include_arguments=False) or _secret_alphabet(ctx, call)
    if purpose is None:
        return None
    return Hit(call, message=(
        f"`{ctx.source(call.func)}` is predictable but its value is used as a secret (`{purpose}`)."))


def _secret_alphabet(ctx: RuleContext, call: ast.Call) -> str | None:
    """A name in the arguments saying they are an alphabet for secrets (``PASSWORD_CHARS``), not a
    collection of existing ones (``random.choice(tokens)`` picks one that exists already)."""
    return next((name for name in mentioned_names([*call.args, *call.keywords])
                 if names_secret_alphabet(name) or (is_security_name(name) and not names_secret_collection(name))), None)


# Where a value is kept as it is (not built into something larger): the statement, an argument
# passed by keyword, a dictionary or tuple entry.
_KEPT_AS_IS = (ast.Assign, ast.AnnAssign, ast.Return, ast.keyword, ast.Dict, ast.Tuple, ast.NamedExpr)
_SMALL_COUNT = 100  # ``randint(1, 5)``: at most this many values is a count, never a secret


def _cannot_be_secret(ctx: RuleContext, call: ast.Call, function: str) -> bool:
    """Values a secret cannot be, whatever their name: a comparison's truth (``random.random() <
    0.01`` samples), one pick among literals written in the code (``random.choice((-1, 1))``),
    a small count (``tokens = random.randint(1, 5)`` refills a rate limiter's bucket)."""
    chain = ctx.ancestors
    outer = list(reversed(chain[:-1] if chain and chain[-1] is call else chain))
    for parent in outer:
        if isinstance(parent, ast.Compare) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            return True  # the value becomes True or False
        if isinstance(parent, ast.stmt):
            break
    if not outer or not isinstance(outer[0], _KEPT_AS_IS):
        return False  # built into something larger: ``random.choice("ab") * 12``, "".join(...)
    if function == "choice":
        return _literal_collection(ctx, ctx.argument(call, 0, "seq"))
    if function in ("randint", "randrange"):
        bounds = [constant_int(ctx, argument) for argument in call.args[:2]]
        return bool(bounds) and None not in bounds and max(bounds) <= _SMALL_COUNT
    return False


def _literal_collection(ctx: RuleContext, expr: ast.expr | None) -> bool:
    """A list, tuple or set of literals, written there or in a name bound once to one (not a
    string: its characters are an alphabet)."""
    value = ctx.literal(expr, None)
    return isinstance(value, (list, tuple, set, frozenset)) and len(value) > 0

