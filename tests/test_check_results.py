"""Yes/no checks and instance results across modules (tests/fixtures/projects/check_helpers,
projects/instance_results): what a check function proves where it returns true
(FunctionSummary.checks), whether a method's result carries what its instance holds
(returns_instance) and whether it is a property (is_property) are in its summary: the same
findings with one job or two and from the cache, and an edit of the other module is followed."""
from pathlib import Path

import pytest

from conftest import FIXTURES, review_text
from project_helpers import copied, findings_of, write
from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.linking import quiet_key
from secreview.dataflow.values import CLEAN
from secreview.findings import Level

PROJECTS = FIXTURES / "projects"
CHECKS = [("views.py", 63, 601), ("views.py", 71, 601), ("views.py", 79, 601), ("views.py", 87, 601),
          ("views.py", 96, 918), ("views.py", 104, 918)]
# (projects/check_helpers' expect lines; once is_safe_redirect and host_allowed check nothing:)
UNCHECKED = sorted([*CHECKS, ("views.py", 15, 601), ("views.py", 22, 601), ("views.py", 31, 601), ("views.py", 40, 918)])
INSTANCES = [("data.py", 46, 918), ("views.py", 13, 78), ("views.py", 19, 78), ("views.py", 46, 79), ("views.py", 51, 79)]


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def findings(tree: Path, **options) -> list[tuple[str, int, int]]:
    return findings_of(tree, (78, 79, 601, 918), confidence=Level.MEDIUM, **options)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_check_that_stops_checking_is_followed_from_the_cache(tmp_path, jobs):
    tree = copied(PROJECTS / "check_helpers" / "checkpoint", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=jobs, cache_dir=cache) == CHECKS == findings(tree, jobs=1)
    security = (tree / "security.py").read_text()
    loose = (security.replace("return target in SAFE_TARGETS\n", 'return target != ""\n', 1)
             .replace("return urlparse(url).hostname in ALLOWED_HOSTS\n", "return urlparse(url).hostname is not None\n", 1))
    write(tmp_path, {"checkpoint/security.py": loose})
    assert findings(tree, jobs=jobs, cache_dir=cache) == UNCHECKED == findings(tree, jobs=1)
    write(tmp_path, {"checkpoint/security.py": security})
    assert findings(tree, jobs=jobs, cache_dir=cache) == CHECKS


def test_a_check_of_a_value_of_unknown_origin_is_followed_from_the_cache(tmp_path):
    """A call given a parameter (quiet: nothing untrusted flows in) is told the checks too."""
    tree = copied(PROJECTS / "check_helpers" / "checkpoint", tmp_path)
    write(tmp_path, {"checkpoint/relay.py": (
        "from flask import redirect\n\nfrom .security import is_safe_redirect\n\n\n"
        "def go_to(target):\n    if is_safe_redirect(target):\n        return redirect(target)\n    return redirect('/home')\n")})
    cache = tmp_path / "cache"

    def relayed():
        return [f for f in findings_of(tree, (601,), cache_dir=cache) if f[0] == "relay.py"]
    assert relayed() == []
    security = (tree / "security.py").read_text()
    write(tmp_path, {"checkpoint/security.py": security.replace("return target in SAFE_TARGETS\n", 'return target != ""\n', 1)})
    assert relayed() == [("relay.py", 8, 601)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_properties_and_instance_results_are_followed_from_the_cache(tmp_path, jobs):
    tree = copied(PROJECTS / "instance_results" / "holders", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=jobs, cache_dir=cache) == INSTANCES == findings(tree, jobs=1)
    data = (tree / "data.py").read_text()
    # host is a plain method now (``rd.host`` reads it, calls nothing); is_default returns the name.
    edited = data.replace("    @property\n    def host", "    # (a method)\n    def host", 1).replace('return self.name == "a"', "return self.name", 1)
    write(tmp_path, {"holders/data.py": edited})
    changed = sorted([f for f in INSTANCES if f[1] not in (13, 19)] + [("views.py", 34, 79)])
    assert findings(tree, jobs=jobs, cache_dir=cache) == changed == findings(tree, jobs=1)


def test_the_quiet_key_tells_checks_apart():
    def key(**proofs):
        return quiet_key(FunctionSummary("m.f", ["x", "y"], CLEAN, **proofs))
    keys = [key(), key(checks=((0, frozenset({0})),)), key(checks=((1, frozenset({0})),)), key(guards=((0, frozenset({0})),)),
            key(guards=((0, frozenset({0})),), checks=((1, frozenset({601})),))]
    assert keys[0] == 0 and len(set(keys)) == 5


def test_a_check_proves_nothing_on_its_false_side():
    code = (
        "from flask import request, redirect\n"
        "SAFE = {'/a'}\n\n"
        "def is_safe(t):\n    return t in SAFE\n\n"
        "def view():\n    t = request.args['next']\n    if is_safe(t):\n        pass\n    else:\n        return redirect(t)\n"
        "    return redirect(t)\n")
    result = review_text(code)
    assert sorted(f.line for f in result.findings if f.cwe == 601) == [12]
