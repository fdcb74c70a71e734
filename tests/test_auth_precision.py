"""Names judged by what they denote, and pattern findings in branches that never run."""
import pytest

from conftest import review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs.files import SourceFile
from secreview.rules._security_use import is_security_name


@pytest.mark.parametrize("name", [
    "session_id", "reset_token", "api_key", "API_KEY", "resetPasswordToken", "password_hash", "reset_code",
    "csrftoken", "sessionid", "SIGNING_KEY", "otp", "salt", "nonce", "signature", "credentials",
    "new_api_key", "make_session_id", "api_key_for", "user_password_hash_value", "Authorization",
])
def test_names_that_denote_secrets(name):
    assert is_security_name(name)


@pytest.mark.parametrize("name", [
    "sign", "pick_auth_server", "auth_server", "session_backend", "verification_sample", "oauth_retry_after",
    "signing_region", "session_sampled", "password_length", "token_refresh_delay", "request_id", "cache_key",
    "PASSWORD_CHARS", "sec_websocket_key", "key", "",
])
def test_names_about_secrets_that_are_not_secrets(name):
    assert not is_security_name(name)


DEAD = '''
import requests

DEBUG = False


def fetch():
    if DEBUG:
        requests.get("https://api.example.com/", verify=False, timeout=5)
    requests.get("https://api.example.com/", verify=False, timeout=5)
'''


def _tls_findings(result):
    return sorted((f.line, f.confidence, f.message) for f in result.findings if f.rule_id == "tls-verification-disabled")


def test_dead_branch_finding_is_low_and_says_why():
    (dead_line, dead_level, message), (live_line, live_level, _) = _tls_findings(review_text(DEAD))
    assert (dead_line, dead_level) == (9, Level.LOW)
    assert "never runs: `DEBUG` is always False" in message
    assert (live_line, live_level) == (10, Level.HIGH)


def test_dead_branch_without_the_data_flow():
    result = Reviewer(Config(min_confidence=Level.LOW), dataflow=False).review([SourceFile("dead.py", data=DEAD.encode())])
    assert [(line, level) for line, level, _ in _tls_findings(result)] == [(9, Level.LOW), (10, Level.HIGH)]


def test_secret_in_dead_branch_is_still_reported():
    code = 'DEBUG = False\nif DEBUG:\n    API_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"\n'
    found = [(f.line, f.rule_id, f.confidence) for f in review_text(code).findings]
    assert found == [(3, "hardcoded-secret", Level.MEDIUM)]
