"""Severity, confidence and evidence of the JWT, nonce, CORS, Flask cookie and password hasher rules
(the fixtures under fixtures/rules check which lines fire)."""
from conftest import FIXTURES, review_text
from secreview.findings import Level


def findings(code: str, rule_id: str, path: str = "app.py"):
    return [f for f in review_text(code, path=path, min_confidence=Level.LOW).findings if f.rule_id == rule_id]


def test_jwt_token_from_the_request_is_high_severity_with_its_trace():
    code = (
        "import jwt\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "@app.route('/me')\n"
        "def me():\n"
        "    token = request.headers['Authorization']\n"
        "    claims = jwt.decode(token, options={'verify_signature': False})\n"
        "    return {'user': claims['sub']}\n"
    )
    [finding] = findings(code, "jwt-signature-not-verified")
    assert (finding.line, finding.severity, finding.cwe) == (7, Level.HIGH, 347)
    assert [step.line for step in finding.trace] == [6, 7]  # from the header read to the decode
    assert finding.trace[-1].note == "the token is decoded here"


def test_jwt_token_of_unknown_origin_is_medium_severity():
    code = "import jwt\ndef claims_of(token):\n    return jwt.decode(token, options={'verify_signature': False})\n"
    [finding] = findings(code, "jwt-signature-not-verified")
    assert (finding.severity, finding.confidence) == (Level.MEDIUM, Level.HIGH)


def test_jwt_unverified_in_test_code_is_low_confidence():
    code = "import jwt\ndef test_claims(token):\n    assert jwt.decode(token, options={'verify_signature': False})\n"
    [finding] = findings(code, "jwt-signature-not-verified", path="tests/test_tokens.py")
    assert finding.confidence is Level.LOW


def test_reused_nonce_is_high_severity_and_fixed_cbc_iv_medium():
    code = (
        "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n"
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
        "def seal(key, data):\n"
        "    return AESGCM(key).encrypt(b'\\x00' * 12, data, None)\n"
        "def wrap(key, data):\n"
        "    return Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor().update(data)\n"
    )
    found = {(f.line, f.cwe, f.severity) for f in findings(code, "static-iv-or-nonce")}
    assert found == {(4, 323, Level.HIGH), (6, 329, Level.MEDIUM)}


def test_fixed_iv_given_to_a_decryptor_is_medium_confidence():
    code = (
        "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n"
        "IV = b'0123456789abcdef'\n"
        "def unwrap(key, blob):\n"
        "    return Cipher(algorithms.AES(key), modes.CBC(IV)).decryptor().update(blob)\n"
    )
    [finding] = findings(code, "static-iv-or-nonce")
    assert finding.confidence is Level.MEDIUM


def test_reassigned_nonce_name_is_not_constant():
    code = (
        "import os\n"
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
        "def seal(key, data, fresh):\n"
        "    nonce = b'\\x00' * 12\n"
        "    if fresh:\n"
        "        nonce = os.urandom(12)\n"
        "    return AESGCM(key).encrypt(nonce, data, None)\n"
    )
    assert findings(code, "static-iv-or-nonce") == []


def test_cors_regex_patterns_that_take_exponential_time_are_not_tried():
    code = (
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napi = FastAPI()\n"
        "api.add_middleware(CORSMiddleware, allow_origin_regex='(.*)*', allow_credentials=True)\n"
    )
    assert findings(code, "cors-any-origin-with-credentials") == []


def test_django_cors_credentials_set_twice_needs_every_value_true():
    code = (
        "INSTALLED_APPS = ['corsheaders']\n"
        "CORS_ALLOW_CREDENTIALS = True\n"
        "CORS_ALLOW_CREDENTIALS = False\n"
        "CORS_ALLOW_ALL_ORIGINS = True\n"
    )
    assert findings(code, "cors-any-origin-with-credentials", path="settings.py") == []


def test_plaintext_password_scheme_is_high_severity():
    code = "from passlib.hash import plaintext\ndef store(raw):\n    return plaintext.hash(raw)\n"
    [finding] = findings(code, "weak-password-hasher")
    assert (finding.cwe, finding.severity) == (256, Level.HIGH)


def test_weak_hasher_in_test_code_is_low_confidence():
    code = "from passlib.hash import md5_crypt\ndef test_login():\n    assert md5_crypt.hash('pw')\n"
    [finding] = findings(code, "weak-password-hasher", path="tests/test_login.py")
    assert finding.confidence is Level.LOW


def test_flask_cookie_flag_in_a_development_module_is_silent():
    code = "from flask import Flask\napp = Flask(__name__)\napp.config['SESSION_COOKIE_SECURE'] = False\n"
    assert findings(code, "flask-insecure-cookie", path="config_dev.py") == []
    assert [f.cwe for f in findings(code, "flask-insecure-cookie", path="config.py")] == [614]


def test_jwt_token_passed_to_a_helper_from_the_request_is_high_severity():
    code = (
        "import jwt\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "def claims_of(token):\n"
        "    return jwt.decode(token, options={'verify_signature': False})\n"
        "@app.route('/me')\n"
        "def me():\n"
        "    return {'user': claims_of(request.headers['Authorization'])['sub']}\n"
    )
    [finding] = findings(code, "jwt-signature-not-verified")
    assert (finding.line, finding.severity) == (5, Level.HIGH)
    assert 8 in [step.line for step in finding.trace]


def test_fixed_nonce_in_test_code_is_low_confidence():
    code = (
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
        "def test_known_vector():\n"
        "    assert AESGCM(bytes(16)).encrypt(bytes(12), b'', None)\n"
    )
    [finding] = findings(code, "static-iv-or-nonce", path="tests/test_vectors.py")
    assert finding.confidence is Level.LOW


def test_password_digest_sent_to_a_remote_login_is_low_and_one_stored_or_compared_stays_high():
    fixture = FIXTURES / "rules" / "password_hashing_remote_login.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {(f.line, f.rule_id): f.confidence for f in result.findings}
    low, high = Level.LOW, Level.HIGH
    assert confidence == {
        (12, "weak-password-hasher"): low,  # dict handed to requests.post(data=...)
        (20, "weak-password-hasher"): low,  # dict serialized, handed to a call given API_URL + method first
        (24, "weak-password-hasher"): low, (24, "weak-hash"): low,  # dict entry read back into api_request(...)
        (28, "weak-password-hasher"): high,  # kept in a dict the caller gave: not seen sent here
        (32, "weak-password-hasher"): high,  # sent, and stored on the account object
        (38, "weak-password-hasher"): high,  # compared with a stored hash (a local login)
        (45, "weak-password-hasher"): high,  # an argument of a database call, not a request
    }
