"""Project validators written as projects write them (fixtures flows/tuple_check_results.py,
relative_redirect_checks.py, reset_redirect_validators.py, server_collection_allow_lists.py, character_class_filters.py,
url_for_results.py; projects/factorychecks): here, what the fixtures' expectations cannot say --
confidences, the evidence, and checks told to other files through their summaries."""
import pytest

from conftest import FIXTURES, review_text
from project_helpers import findings_of, write
from secreview.findings import Level
from secreview.models.sanitizers import BACKSLASH_OPEN_NOTE


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _redirects(path: str) -> dict[int, Level]:
    fixture = FIXTURES / "flows" / path
    result = review_text(fixture.read_text(), path=fixture.name)
    return {f.line: f.confidence for f in result.findings if f.cwe == 601}


def test_a_relative_check_a_backslash_gets_through_leaves_a_medium_open_redirect():
    found = _redirects("relative_redirect_checks.py")
    assert found == {78: Level.MEDIUM, 86: Level.HIGH, 94: Level.HIGH, 103: Level.HIGH, 111: Level.HIGH}


def test_a_validator_resetting_the_target_proves_it_only_with_a_whole_check():
    # leading "/" only, no "///" test: high; a backslash let through: medium; a backslash turned
    # into a slash after the check (a "/\\evil.example" that passed is now "//evil.example"): high
    found = _redirects("reset_redirect_validators.py")
    assert found == {106: Level.HIGH, 111: Level.HIGH, 116: Level.MEDIUM, 121: Level.HIGH, 126: Level.HIGH, 134: Level.HIGH}


def test_the_medium_redirect_says_why_at_the_check():
    fixture = FIXTURES / "flows" / "relative_redirect_checks.py"
    (finding,) = [f for f in review_text(fixture.read_text(), path=fixture.name).findings if f.line == 78]
    assert "a backslash gets through" in finding.message
    assert any(BACKSLASH_OPEN_NOTE in step.note for step in finding.trace)


SUPERSET_LIKE = '''
from urllib.parse import urlparse

from flask import Flask, current_app, redirect, request

app = Flask(__name__)


def base_hosts():
    return {urlparse(current_app.config["BASE_URL"]).netloc.lower()}


def is_internal(url):
    stripped = url.strip()
    if stripped.startswith("//"){backslashes}:
        return False
    parsed = urlparse(stripped)
    if not parsed.scheme and not parsed.netloc:
        return True
    hosts = base_hosts()
    return parsed.netloc.lower() in hosts


@app.route("/out")
def out():
    target = request.args["url"]
    if is_internal(target):
        return redirect(target)
    return "external link"
'''


def test_a_host_check_and_a_relative_check_on_two_paths_prove_what_both_prove():
    # (the host path proves it a redirect target; the relative one, but for a backslash: medium)
    weak = review_text(SUPERSET_LIKE.replace("{backslashes}", ""), path="app.py")
    assert [(f.line, f.confidence) for f in weak.findings if f.cwe == 601] == [(28, Level.MEDIUM)]
    strict = review_text(SUPERSET_LIKE.replace("{backslashes}", ' or "\\\\" in stripped'), path="app.py")
    assert [f.line for f in strict.findings if f.cwe == 601] == []


def test_flask_appbuilders_get_safe_redirect_is_an_open_redirect_at_medium_confidence():
    code = (
        "from flask import Flask, redirect, request\n"
        "from flask_appbuilder.utils.base import get_safe_redirect\n\n"
        "app = Flask(__name__)\n\n\n"
        "@app.route('/lang')\n"
        "def lang():\n"
        "    target = request.args.get('next')\n"
        "    return redirect(get_safe_redirect(target))\n"
    )
    (finding,) = review_text(code, path="app.py").findings
    assert (finding.line, finding.cwe, finding.confidence) == (10, 601, Level.MEDIUM)
    assert "a backslash gets through" in finding.message
    # The Referer (superset's patch_flask_locale): low, as any redirect back to it, and both said.
    (finding,) = review_text(code.replace("request.args.get('next')", "request.headers.get('Referer')"), path="app.py").findings
    assert (finding.line, finding.cwe, finding.confidence) == (10, 601, Level.LOW)
    assert finding.message.startswith("The redirect target is the Referer header")
    assert "a backslash gets through" in finding.message


CHECKS = '''
from urllib.parse import urlparse

HOSTS = {"api.example.com"}


def host_allowed(url):
    if urlparse(url).hostname in HOSTS:
        return True, ""
    return False, "host not allowed"
'''

VIEWS = '''
import requests
from flask import Flask, abort, request

from tuplechecks.checks import host_allowed

app = Flask(__name__)


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    ok, reason = host_allowed(url)
    if not ok:
        abort(400, reason)
    return requests.get(url, timeout=5).text


@app.route("/fetch-anyway")
def fetch_anyway():
    url = request.args["url"]
    ok, reason = host_allowed(url)
    return requests.get(url, timeout=5).text
'''


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_tuple_check_of_another_module_checks_its_callers_argument(tmp_path, jobs):
    fillers = {f"tuplechecks/filler{n}.py": f"def f{n}(x):\n    return x\n" for n in range(4)}
    write(tmp_path, {"tuplechecks/__init__.py": "", "tuplechecks/checks.py": CHECKS, "tuplechecks/views.py": VIEWS, **fillers})
    cache = tmp_path / "cache"
    for _ in range(2):  # (the second review reads the checks' summary from the cache)
        assert findings_of(tmp_path / "tuplechecks", (918,), confidence=Level.MEDIUM, jobs=jobs, cache_dir=cache) == [
            ("views.py", 23, 918)]
