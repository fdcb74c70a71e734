"""Behaviour of the general pattern rules that fixtures cannot show: file names, the review
example, confidence levels."""
from pathlib import Path

from conftest import review_text
from secreview.findings import Level

EXAMPLE = Path(__file__).parent.parent / "examples" / "netcfg.py"


def found(result):
    return {(f.line, f.rule_id, f.cwe) for f in result.findings}


def test_review_example_reports_the_lock_and_the_logged_password():
    result = review_text(EXAMPLE.read_text(), path="netcfg.py")
    assert (12, "dynamic-lock-name", 400) in found(result)
    assert (15, "secret-in-log", 532) in found(result)
    lock = next(f for f in result.findings if f.rule_id == "dynamic-lock-name")
    assert (lock.severity, lock.confidence) == (Level.LOW, Level.MEDIUM)
    log = next(f for f in result.findings if f.rule_id == "secret-in-log")
    assert (log.severity, log.confidence) == (Level.MEDIUM, Level.MEDIUM)
    assert "ADMIN_PASSWORD" in log.message


def test_asserts_in_test_files_are_not_reported():
    code = "def check(user):\n    assert user.is_admin\n"
    assert found(review_text(code, path="app/views.py")) == {(2, "assert-used", 703)}
    for path in ("tests/helpers.py", "test_views.py", "views_test.py", "conftest.py"):
        assert found(review_text(code, path=path)) == set(), path


def test_security_looking_assert_is_medium_others_low():
    code = "def f(user, items):\n    assert user.is_admin\n    assert len(items) < 10\n"
    levels = {f.line: (f.severity, f.confidence) for f in review_text(code).findings}
    assert levels == {2: (Level.MEDIUM, Level.MEDIUM), 3: (Level.LOW, Level.LOW)}


def test_credentials_in_test_code_get_low_confidence():
    code = 'def test_login(client):\n    client.login(username="u", password="Sup3r-S3cret")\n'
    (finding,) = review_text(code, path="test_auth.py").findings
    assert (finding.rule_id, finding.confidence) == ("hardcoded-password", Level.LOW)
    (finding,) = review_text(code.replace("def test_login", "def login"), path="auth.py").findings
    assert finding.confidence == Level.MEDIUM


def test_django_debug_only_in_production_settings():
    code = 'INSTALLED_APPS = ["shop"]\nDEBUG = True\n'
    assert found(review_text(code, path="shop/settings.py")) == {(2, "django-debug-enabled", 489)}
    for path in ("shop/settings_dev.py", "shop/settings/local.py", "shop/test_settings.py"):
        assert found(review_text(code, path=path)) == set(), path
    assert found(review_text("DEBUG = True\n", path="config.py")) == set()  # not a Django settings module


def test_django_cookie_and_session_settings_only_in_production_settings():
    code = ('INSTALLED_APPS = ["shop"]\nSESSION_COOKIE_SECURE = False\n'
            'SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"\n')
    expected = {(2, "django-insecure-cookie", 614), (3, "django-session-pickle-serializer", 502)}
    assert found(review_text(code, path="shop/settings/production.py")) == expected
    for path in ("shop/settings/dev.py", "shop/local_settings.py", "shop/settings_ci.py",
                 "django/conf/global_settings.py"):  # Django's own defaults: what projects override
        assert found(review_text(code, path=path)) == set(), path


def test_csrf_exempt_on_a_view_elsewhere_is_low_confidence():
    code = ("from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\n"
            "from shop import views\nurlpatterns = [path('hook/', csrf_exempt(views.OrderView.as_view()))]\n")
    (finding,) = review_text(code, path="shop/urls.py").findings
    assert (finding.rule_id, finding.line, finding.confidence) == ("django-csrf-exempt", 4, Level.LOW)
    assert review_text(code, path="shop/urls.py", min_confidence=Level.MEDIUM).findings == []


def test_bidi_controls_on_separate_lines_each_reported_once():
    code = 'a = "\u202e"\nb = 1\nc = "\u2067x\u2069"  # \u2066\n'
    result = review_text(code)
    assert [(f.line, f.rule_id) for f in result.findings] == [(1, "trojan-source"), (3, "trojan-source")]
    assert result.findings[0].confidence == Level.HIGH  # unterminated override
    assert result.findings[1].confidence == Level.HIGH  # one isolate left open


def test_secret_findings_can_be_suppressed_with_bandit_ids():
    code = 'PASSWORD_HASH_SALT = 1\nDB_PASSWORD = "Tr0ub4dor&3"  # nosec B105\n'
    result = review_text(code)
    assert result.findings == [] and [f.rule_id for f in result.suppressed] == ["hardcoded-password"]


def test_short_or_parser_like_credentials_get_low_confidence():
    code = 'def f(token, user_pass):\n    token = "EOF"\n    return user_pass == "git"\n'
    assert {(f.line, f.confidence) for f in review_text(code).findings} == {(2, Level.LOW), (3, Level.LOW)}
    (compared,) = review_text('def f(password):\n    return password == "letmein99"\n').findings
    assert compared.confidence == Level.HIGH


def test_swallowed_exceptions_are_low_unless_the_code_is_security_related():
    code = (
        "def f(cache, conn, key):\n"
        "    try:\n        cache.refresh()\n    except Exception:\n        pass\n"
        "    try:\n        conn.load_cert_chain(key)\n    except Exception:\n        pass\n"
    )
    levels = {f.line: f.confidence for f in review_text(code).findings}
    assert levels == {4: Level.LOW, 8: Level.MEDIUM}


def test_hardening_findings_in_tests_get_low_confidence():
    code = 'import os\n\ndef test_mode():\n    os.chmod("build/out", 0o777)\n'
    (finding,) = review_text(code, path="test_mode.py").findings
    assert (finding.rule_id, finding.confidence) == ("permissive-file-permissions", Level.LOW)
    (finding,) = review_text(code.replace("test_mode", "set_mode"), path="mode.py").findings
    assert finding.confidence == Level.HIGH


def test_asserts_on_the_shape_of_security_data_are_low():
    # Presence, fields and backend capabilities of security-named values: invariants of the
    # program's own data, not permission checks.
    code = (
        "def store(auth, login, secret, connection, rows):\n"
        "    assert sorted(auth.keys()) == ['kind', 'value']\n"
        "    assert (login is None) == (secret is None)\n"
        "    assert not (rows and connection.features.can_return_ids)\n"
        "    assert secret is not None and login.is_admin\n"
        "    assert auth['kind'] == 'basic'\n"
        "    assert login.can_delete(rows)\n"
        "    assert connection.user.has_permission('write')\n"
    )
    levels = {f.line: f.confidence for f in review_text(code, path="app/store.py").findings}
    assert levels == {2: Level.LOW, 3: Level.LOW, 4: Level.LOW,
                      5: Level.MEDIUM, 6: Level.MEDIUM, 7: Level.MEDIUM, 8: Level.MEDIUM}


def test_a_logged_count_of_tokens_is_silent_and_a_key_list_is_not():
    from conftest import FIXTURES, review_text
    fixture = FIXTURES / "rules" / "secrets_names_not_values.py"
    found = {f.line: f.confidence for f in review_text(fixture.read_text(), path=fixture.name).findings
             if f.rule_id == "secret-in-log"}
    assert found == {23: Level.MEDIUM}


def test_tokens_not_saying_which_credential_are_low_and_named_ones_medium():
    from conftest import FIXTURES, review_text
    fixture = FIXTURES / "rules" / "secrets_log_counts_lexemes.py"
    found = {f.line: f.confidence for f in review_text(fixture.read_text(), path=fixture.name).findings
             if f.rule_id == "secret-in-log"}
    assert found == {35: Level.LOW, 36: Level.LOW, 42: Level.MEDIUM, 46: Level.MEDIUM}
