"""Encryption with a fixed IV or nonce: CWE-323 (nonce reuse) and CWE-329 (predictable IV).

A nonce (AES-GCM, ChaCha20-Poly1305, CTR) must never repeat under one key, and a CBC/CFB/OFB IV
must be unpredictable. A constant (a literal, a name bound only to literals, ``bytes(16)``,
``b"\\0" * 16``, ``bytes.fromhex("...")``) written in the call repeats for every message. Values
drawn at run time (``os.urandom(12)``, ``secrets.token_bytes(16)``), parameters and ``None``
(PyCryptodome then draws a random one) are not reported.
"""
from __future__ import annotations

import ast

from secreview.rules._naming import in_test_code
from secreview.rules.base import HIGH, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

_PYCRYPTO = ("Crypto", "Cryptodome")
_AEAD = "cryptography.hazmat.primitives.ciphers.aead"
_MODES = "cryptography.hazmat.primitives.ciphers.modes"
_ALGORITHMS = "cryptography.hazmat.primitives.ciphers.algorithms"

# AEAD classes whose ``encrypt(nonce, data, aad)`` takes the nonce first (AESSIV has none;
# AESGCMSIV is built to survive a repeated nonce).
_AEAD_CLASSES = frozenset(f"{_AEAD}.{name}" for name in ("AESGCM", "ChaCha20Poly1305", "AESCCM", "AESOCB3"))
# PyNaCl boxes: ``encrypt(plaintext, nonce)``.
_NACL_BOXES = frozenset({"nacl.secret.SecretBox", "nacl.public.Box", "nacl.secret.Aead"})
# cryptography modes: name -> (what the value is, CWE).
_MODE_IVS = {
    f"{_MODES}.CBC": ("IV", 329), f"{_MODES}.CFB": ("IV", 329), f"{_MODES}.CFB8": ("IV", 329),
    f"{_MODES}.OFB": ("IV", 329), f"{_MODES}.CTR": ("nonce", 323), f"{_MODES}.GCM": ("nonce", 323),
    f"{_ALGORITHMS}.ChaCha20": ("nonce", 323),
}
_PYCRYPTO_NEW = frozenset(
    f"{ns}.Cipher.{algo}.new" for ns in _PYCRYPTO
    for algo in ("AES", "DES", "DES3", "ARC2", "Blowfish", "CAST", "ChaCha20", "ChaCha20_Poly1305", "Salsa20"))
# PyCryptodome modes whose third positional argument is an IV.
_PYCRYPTO_IV_MODES = frozenset({"MODE_CBC", "MODE_CFB", "MODE_OFB", "MODE_OPENPGP"})
_PYCRYPTO_IV_MODE_VALUES = frozenset({2, 3, 5, 7})  # the same as numbers (PyCrypto and PyCryptodome)
# Calls that make fixed bytes out of constant text.
_DECODED_CONSTANTS = frozenset({"bytes.fromhex", "bytearray.fromhex", "bytearray", "binascii.unhexlify",
                                "binascii.a2b_hex", "base64.b64decode"})


@rule(
    id="static-iv-or-nonce",
    title="Encryption with a fixed IV or nonce",
    cwe=323,
    severity=HIGH,
    confidence=HIGH,
    calls=[*_MODE_IVS, *_PYCRYPTO_NEW],
    methods=["encrypt"],
    description="""The IV or nonce of a cipher is a constant written in the code, so every message
        encrypted under the key uses the same one. For nonces (AES-GCM, ChaCha20-Poly1305, AES-CCM,
        CTR mode, ChaCha20, Salsa20, PyNaCl boxes: CWE-323, high severity) a repeated nonce
        repeats the key stream: XORing two ciphertexts gives the XOR of their plaintexts, and
        with GCM it also reveals the authentication key, so ciphertexts can be forged. For
        CBC/CFB/OFB IVs (CWE-329, medium severity) equal plaintext prefixes give equal
        ciphertexts and chosen-plaintext attacks become possible. Covers cryptography's AEAD
        classes and modes, PyCryptodome's new(key, mode, iv=..., nonce=...) and PyNaCl.
        A constant is a literal, a name bound only to literals, bytes(16), b"\\0" * 16 or
        bytes.fromhex("..."); random values, parameters and None (PyCryptodome then draws one)
        are not reported, and a constant IV given to a decryptor (a GCM tag, .decryptor()) has
        medium confidence (the encryption side is where it was chosen); in test code (known test
        vectors), low confidence.""",
    solution="""Draw a fresh random nonce or IV for every message (os.urandom(12) for AES-GCM and
        ChaCha20-Poly1305, os.urandom(16) for CBC) and store it next to the ciphertext; or use
        Fernet, which does this for you.""",
    example="""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        NONCE = b"\\x00" * 12
        def seal(key, data):
            return AESGCM(key).encrypt(NONCE, data, None)
    """,
    fixed="""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            nonce = os.urandom(12)
            return nonce + AESGCM(key).encrypt(nonce, data, None)
    """,
)
def check_static_nonce(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call)
    if name in _MODE_IVS:
        kind, cwe = _MODE_IVS[name]
        if name.endswith(".ChaCha20"):
            value = ctx.argument(call, 1, "nonce")  # ChaCha20(key, nonce)
        else:
            value = ctx.argument(call, 0, "nonce" if name.endswith(".CTR") else "initialization_vector")
        decrypting = ctx.argument(call, 1, "tag") is not None if name.endswith(".GCM") else False
        return _fixed_hit(ctx, call, value, kind, cwe, decrypting or _decryptor(ctx, call))
    if name in _PYCRYPTO_NEW:
        if name.endswith(".Salsa20.new") and len(call.args) >= 2:
            return _fixed_hit(ctx, call, call.args[1], "nonce", 323, False)  # ``Salsa20.new(key, nonce)``
        return _pycrypto_hit(ctx, call)
    if isinstance(call.func, ast.Attribute) and call.func.attr == "encrypt":
        box = _encrypting_class(ctx, call.func.value)
        if box is None:
            return None
        value = ctx.argument(call, 0, "nonce") if box in _AEAD_CLASSES else ctx.argument(call, 1, "nonce")
        return _fixed_hit(ctx, call, value, "nonce", 323, False)
    return None


def _pycrypto_hit(ctx: RuleContext, call: ast.Call) -> Hit | None:
    for keyword, kind, cwe in (("nonce", "nonce", 323), ("iv", "IV", 329), ("IV", "IV", 329)):
        value = ctx.keyword(call, keyword)
        if value is not None:
            return _fixed_hit(ctx, call, value, kind, cwe, False)
    if len(call.args) >= 3 and _pycrypto_iv_mode(ctx, call.args[1]):
        return _fixed_hit(ctx, call, call.args[2], "IV", 329, False)  # ``AES.new(key, AES.MODE_CBC, iv)``
    return None


def _pycrypto_iv_mode(ctx: RuleContext, mode: ast.expr) -> bool:
    if isinstance(mode, ast.Attribute) and mode.attr in _PYCRYPTO_IV_MODES:
        return True
    return ctx.literal(mode, None) in _PYCRYPTO_IV_MODE_VALUES


def _fixed_hit(ctx: RuleContext, call: ast.Call, value: ast.expr | None, kind: str, cwe: int, decrypting: bool):
    if value is None or not _fixed_bytes(ctx, value):
        return None
    severity = HIGH if cwe == 323 else MEDIUM
    confidence = MEDIUM if decrypting else HIGH
    if cwe == 323:
        message = (f"The {kind} `{ctx.source(value)}` is fixed: every message under this key reuses it, "
                   "which repeats the key stream (and with GCM lets ciphertexts be forged).")
    else:
        message = (f"The {kind} `{ctx.source(value)}` is fixed: equal plaintext prefixes give equal "
                   "ciphertexts, and the IV is known in advance.")
    # (test code encrypts known vectors with fixed IVs on purpose: low confidence there)
    return in_test_code(ctx, Hit(call, message=message, severity=severity, confidence=confidence, cwe=cwe))


def _fixed_bytes(ctx: RuleContext, value: ast.expr, depth: int = 0) -> bool:
    """A constant IV: literal bytes or text (also through names bound only to such), ``bytes(16)``,
    ``b"\\0" * 16``, ``bytes.fromhex("...")``, ``bytearray(16)``; not None."""
    if isinstance(value, ast.Constant):
        return value.value is not None and not isinstance(value.value, bool)
    if isinstance(value, ast.Name) and depth < 5:
        bindings = ctx.facts.scopes.bindings_of(value.id, ctx.scope_chain)
        return bool(bindings) and all(b is not None and _fixed_bytes(ctx, b, depth + 1) for b in bindings)
    if not isinstance(value, (ast.Call, ast.BinOp)):
        return False
    if ctx.is_constant(value):  # ``bytes(16)``, ``b"\0" * 16``, ``"...".encode()``
        return True
    if isinstance(value, ast.Call) and value.args and not value.keywords and all(ctx.is_constant(a) for a in value.args):
        return (ctx.qualname(value.func) or "") in _DECODED_CONSTANTS
    if isinstance(value, ast.BinOp) and depth < 5:
        return _fixed_bytes(ctx, value.left, depth + 1) and _fixed_bytes(ctx, value.right, depth + 1)
    return False


def _encrypting_class(ctx: RuleContext, receiver: ast.expr) -> str | None:
    """The AEAD or PyNaCl class ``receiver`` was made by: ``AESGCM(key)`` itself, or a name
    every binding of which is such a call."""
    if isinstance(receiver, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(receiver.id, ctx.scope_chain)
        if not bindings or len(bindings) != 1 or bindings[0] is None:
            return None
        receiver = bindings[0]
    if not isinstance(receiver, ast.Call):
        return None
    made = ctx.qualname(receiver.func)
    return made if made in _AEAD_CLASSES or made in _NACL_BOXES else None


def _decryptor(ctx: RuleContext, mode_call: ast.Call) -> bool:
    """``Cipher(algorithm, modes.CBC(iv)).decryptor()``: the mode is made to decrypt."""
    ancestors = ctx.ancestors
    for index in range(len(ancestors) - 2, 0, -1):
        node = ancestors[index]
        if isinstance(node, ast.Attribute):
            return node.attr == "decryptor"
        if not isinstance(node, (ast.Call, ast.keyword)):
            return False
    return False
