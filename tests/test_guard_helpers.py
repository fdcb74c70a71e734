"""Guard helpers across modules (tests/fixtures/projects/gatekeeper): a function that raises or
aborts unless its parameter passes a check proves the caller's argument after the call. The same
findings with one job or two and from the cache; an edit of the helper (it only logs now) is
followed by its callers' cached results, also where the argument is of unknown origin (a quiet
call: see linking.quiet_key)."""
from pathlib import Path

import pytest

from conftest import FIXTURES, review_text
from project_helpers import copied, findings_of, write
from secreview.dataflow import FileFlow
from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.linking import quiet_key
from secreview.dataflow.values import CLEAN
from secreview.facts import FileFacts
from secreview.findings import Level
from secreview.parse import parse_text

GATEKEEPER = FIXTURES / "projects" / "gatekeeper"
# Every finding of projects/gatekeeper as it is, at any confidence: the helper that only logs.
EXPECTED = [("views.py", 38, 918)]
# ...and once the helpers only log: their callers with a request value and the one with a value
# of unknown origin (low confidence).
UNGUARDED = sorted([*EXPECTED, ("views.py", 17, 918), ("views.py", 24, 601), ("views.py", 31, 89), ("reports.py", 13, 89)])


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def findings(tree: Path, **options) -> list[tuple[str, int, int]]:
    return findings_of(tree, (89, 601, 918), **options)


def gatekeeper_copy(tmp_path: Path) -> Path:
    return copied(GATEKEEPER / "gatekeeper", tmp_path)


def test_the_same_guards_with_jobs_and_the_cache(tmp_path):
    tree = gatekeeper_copy(tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=1) == EXPECTED
    assert findings(tree, jobs=2) == EXPECTED
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED
    assert findings(tree, jobs=1, cache_dir=cache) == EXPECTED  # (from the cache)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_helper_that_stops_guarding_is_followed_from_the_cache(tmp_path, jobs):
    tree = gatekeeper_copy(tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=jobs, cache_dir=cache) == EXPECTED
    checks = (tree / "checks.py").read_text()
    write(tmp_path, {"gatekeeper/checks.py": unguarded(checks)})
    assert findings(tree, jobs=jobs, cache_dir=cache) == UNGUARDED == findings(tree, jobs=1)


def unguarded(checks: str) -> str:
    return checks.replace('raise ValueError("host not allowed")', 'LOG.info("unknown host")').replace("abort(400)", 'LOG.info("unknown")')


def test_a_helper_that_starts_guarding_is_followed_from_the_cache(tmp_path):
    tree = gatekeeper_copy(tmp_path)
    cache = tmp_path / "cache"
    checks = (tree / "checks.py").read_text()
    write(tmp_path, {"gatekeeper/checks.py": unguarded(checks)})
    assert findings(tree, jobs=2, cache_dir=cache) == UNGUARDED
    write(tmp_path, {"gatekeeper/checks.py": checks})
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED


def test_the_quiet_key_tells_guards_apart():
    plain = FunctionSummary("m.f", ["x", "y"], CLEAN)
    keys = [quiet_key(plain), *(quiet_key(FunctionSummary("m.f", ["x", "y"], CLEAN, guards=guards)) for guards in (
        ((0, frozenset({0})),), ((1, frozenset({0})),), ((0, frozenset({601, 918})),))),
        quiet_key(FunctionSummary("m.f", ["x", "y"], CLEAN, guards=((0, frozenset({918, 601})),)))]
    assert keys[0] == 0 and len(set(keys[1:4])) == 3 and keys[3] == keys[4]


GUARDS = """
import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED = {"a.example"}


def ensure(url, strict=True):
    if url not in ALLOWED:
        abort(400)


def converted(count):
    int(count)


def framework(n: int):
    return n


@app.route("/n/<int:n>")
def route(n):
    return str(n)
"""


def test_what_a_summary_says_of_guards():
    assert not review_text(GUARDS, path="guards.py", min_confidence=Level.LOW).findings
    parsed = parse_text("guards.py", GUARDS)
    summaries = FileFlow(parsed, FileFacts.build(parsed.tree, "guards")).analyze().local_summaries
    assert summaries["guards.ensure"].guards == ((0, frozenset({0})),)  # (``strict`` is not checked)
    assert summaries["guards.converted"].guards == ((0, frozenset({0})),)  # (``int(count)`` ran without raising)
    assert summaries["guards.framework"].guards == ()  # (returns its parameter: no check)
    assert summaries["guards.route"].guards == ()  # (converted by the framework, not checked here)
