"""Hard-coded credentials that no name announces (rules/secrets.py with rules/_credential_apis.py):
the confidence they get, test code, and what stays silent."""
from conftest import review_text
from secreview.findings import Level

CREDENTIAL_RULES = ("hardcoded-password", "hardcoded-secret")


def credentials(code: str, path: str = "app/settings.py") -> list[tuple[int, str, Level, str]]:
    result = review_text(code, path=path)
    return sorted((f.line, f.rule_id, f.confidence, f.message) for f in result.findings if f.rule_id in CREDENTIAL_RULES)


def test_a_lookup_fallback_is_reported_at_medium_confidence_under_the_settings_name():
    code = 'import os\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-9x!k2#q0z8w7e6r5")\n'
    [(line, rule_id, confidence, message)] = credentials(code)
    assert (line, rule_id, confidence) == (2, "hardcoded-secret", Level.MEDIUM)
    assert "`DJANGO_SECRET_KEY`" in message and "fallback" in message


def test_the_name_of_the_setting_decides_password_or_secret():
    code = 'import os\nA = os.getenv("DB_PASSWORD", "Pr0dPassw0rd!")\nB = os.getenv("API_TOKEN", "9d8c7b6a5f4e3d2c1b0a")\n'
    assert [(line, rule_id) for line, rule_id, _, _ in credentials(code)] == [
        (2, "hardcoded-password"), (3, "hardcoded-secret")]


def test_in_test_settings_the_fallback_is_low_confidence_and_hidden_by_default():
    code = 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "f8a9c1e2b7d64a3e9c0b5d2e1f7a8c93")\n'
    assert [c for _, _, c, _ in credentials(code, path="tests/settings.py")] == [Level.LOW]
    assert review_text(code, path="tests/settings.py", min_confidence=Level.MEDIUM).findings == []


def test_placeholders_empty_and_short_fallbacks_stay_silent_even_at_low_confidence():
    code = (
        'import os\n'
        'A_SECRET = os.getenv("A_SECRET", "changeme")\n'
        'B_SECRET = os.getenv("B_SECRET", "")\n'
        'C_SECRET = os.getenv("C_SECRET") or "dev"\n'
        'D_PASSWORD = os.getenv("D_PASSWORD", "admin")\n'
        'LEVEL = os.getenv("LOG_LEVEL", "INFO-DEBUG")\n'
    )
    assert credentials(code) == []


def test_a_known_token_as_a_fallback_is_reported_once_as_the_token():
    code = 'import os\nGH_TOKEN = os.getenv("GH_TOKEN", "ghp_Zk3Xq9Lm2Wv8Rt5Yp1Bn7Cd4Fg6Hj0Ks3Lq9")\n'
    [(_, rule_id, confidence, message)] = credentials(code)
    assert (rule_id, confidence) == ("hardcoded-secret", Level.HIGH) and "GitHub token" in message


def test_a_get_on_something_that_is_no_configuration_is_not_a_lookup():
    code = 'def login(kwargs, headers):\n    return kwargs.get("password", "Hunter22!x"), headers.get("X-Token", "abcdef123456")\n'
    assert credentials(code) == []


def test_an_api_password_is_reported_at_medium_confidence_with_the_api_named():
    code = (
        'import smtplib\n'
        'class Mailer:\n'
        '    def __init__(self):\n'
        '        self.smtp = smtplib.SMTP_SSL("smtp.example.com")\n'
        '    def send(self, msg):\n'
        '        self.smtp.login("alerts", "m4ilP4ssw0rd2024")\n'
    )
    [(line, rule_id, confidence, message)] = credentials(code)
    assert (line, rule_id, confidence) == (6, "hardcoded-password", Level.MEDIUM)
    assert "`smtplib.SMTP_SSL.login`" in message


def test_the_user_name_position_and_unknown_receivers_are_not_passwords():
    code = (
        'import smtplib\n'
        'def send(server, password):\n'
        '    smtplib.SMTP("smtp.example.com").login("alerts@example.com", password)\n'
        '    server.login("admin", "Unknown-Receiver-Pw")\n'
    )
    assert credentials(code) == []


def test_an_auth_pair_password_in_a_test_function_is_low_confidence():
    code = 'import requests\ndef test_api():\n    requests.get("https://api.example.com", auth=("svc", "SvcPassw0rd!"), timeout=5)\n'
    assert [(line, confidence) for line, _, confidence, _ in credentials(code, path="app/client.py")] == [(3, Level.LOW)]
