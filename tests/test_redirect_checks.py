"""Redirect checks as projects write them: a check made on a cleaned copy of the URL
(dataflow/url_normalization.py; fixtures flows/validation_normalized_url.py), a check method
called on what a factory returns (FunctionSummary.returns_class; projects/adapterfactory), and the
Flask same-host recipe, which a backslash gets through (FunctionAnalysis.checked,
values.as_reported; projects/samesite): still an open redirect, at medium confidence, saying why."""
import pytest

from conftest import FIXTURES, review_text
from project_helpers import copied, findings_of, write
from secreview.dataflow import url_normalization
from secreview.findings import Level
from secreview.models.sanitizers import BACKSLASH_OPEN_NOTE

PROJECTS = FIXTURES / "projects"


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


RECIPE = '''
from urllib.parse import urljoin, urlparse

import requests
from flask import Flask, abort, redirect, request

app = Flask(__name__)


def is_safe_url(target):
    ref = urlparse(request.host_url)
    test = urlparse(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and ref.netloc == test.netloc


@app.route("/next")
def after():
    target = request.args.get("next", "/")
    if not is_safe_url(target):
        abort(400)
    return redirect(target)


@app.route("/fetch")
def fetch():
    url = request.args.get("url", "")
    if not is_safe_url(url):
        abort(400)
    return requests.get(url, timeout=5).json()
'''


def test_the_flask_recipe_is_an_open_redirect_at_medium_confidence_saying_why():
    result = review_text(RECIPE, path="app.py")
    (finding,) = [f for f in result.findings if f.cwe == 601]
    assert (finding.line, finding.confidence) == (21, Level.MEDIUM)
    assert "a backslash gets through" in finding.message and "`/\\evil.example`" in finding.message
    assert [(step.line, step.note) for step in finding.trace if step.note == BACKSLASH_OPEN_NOTE] == [(19, BACKSLASH_OPEN_NOTE)]


def test_the_recipe_made_strict_is_a_check():
    strict = RECIPE.replace("def is_safe_url(target):\n", 'def is_safe_url(target):\n    target = target.replace("\\\\", "/")\n', 1)
    assert 'target = target.replace("\\\\", "/")' in strict
    assert [f.line for f in review_text(strict, path="app.py").findings if f.cwe == 601] == []


def test_for_another_weakness_the_recipe_proves_nothing_and_its_step_is_not_shown():
    (ssrf,) = [f for f in review_text(RECIPE, path="app.py").findings if f.cwe == 918]
    assert (ssrf.line, ssrf.confidence) == (29, Level.HIGH)
    assert all(step.note != BACKSLASH_OPEN_NOTE for step in ssrf.trace)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_recipe_in_another_module_caps_its_callers_and_its_own_redirects(tmp_path, jobs):
    tree = copied(PROJECTS / "samesite" / "landing", tmp_path)
    cache = tmp_path / "cache"
    expected = [("checks.py", 20, 601), ("views.py", 13, 601)]
    assert findings_of(tree, (601,), confidence=Level.MEDIUM, jobs=jobs, cache_dir=cache) == expected
    assert findings_of(tree, (601,), confidence=Level.HIGH, jobs=jobs, cache_dir=cache) == []  # (medium: not high)
    checks = (tree / "checks.py").read_text()
    write(tmp_path, {"landing/checks.py": checks.replace("def same_site(target):\n", 'def same_site(target):\n    target = target.replace("\\\\", "/")\n', 1)})
    assert findings_of(tree, (601,), confidence=Level.LOW, jobs=jobs, cache_dir=cache) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_factory_annotated_with_the_adapter_class_is_followed_from_the_cache(tmp_path, jobs):
    tree = copied(PROJECTS / "adapterfactory" / "accountkit", tmp_path)
    cache = tmp_path / "cache"
    checked = [("views.py", 36, 601), ("views.py", 43, 601), ("views.py", 50, 601)]
    assert findings_of(tree, (601,), jobs=jobs, cache_dir=cache) == checked
    adapter = (tree / "adapter.py").read_text()
    write(tmp_path, {"accountkit/adapter.py": adapter.replace("def get_adapter(request=None) -> AccountAdapter:", "def get_adapter(request=None):", 1)})
    assert findings_of(tree, (601,), jobs=jobs, cache_dir=cache) == sorted([*checked, ("views.py", 15, 601), ("views.py", 23, 601)])


@pytest.mark.parametrize(("pattern", "removes_blanks"), [
    (r"\s+", True), (r"[\s\x00-\x1f]+", True), (r"[\t\r\n]", True), ("\t", True), (r"[\x7f ]*", True),
    (r"[\w\s]+", False), (r"[^\S]+", False), (r"[\x00-\x7f]+", False), (r"\s+/", False), (r"/+", False), (r"[\s/]", False),
])
def test_a_substitution_removing_blanks(pattern, removes_blanks):
    assert url_normalization._harmless_substitution(pattern, "") is removes_blanks


@pytest.mark.parametrize(("pattern", "group", "skips_slashes"), [
    (r"(^([^/]+:)?//)/*", 1, True), (r"(^//)/+", 1, True), (r"^(//)/*", 1, True),
    (r"(^/)/*", 1, False), (r"(^([^/]+:)?//)/*", 2, False), (r"(^//)[/\\]*", 1, False), (r"(^//)/*x", 1, False),
])
def test_a_substitution_skipping_slashes_after_two(pattern, group, skips_slashes):
    replacement = url_normalization.GroupReference(group)
    assert url_normalization._harmless_substitution(pattern, replacement) is skips_slashes
