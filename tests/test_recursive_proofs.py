"""Proofs of recursive helpers (tests/fixtures/flows/proven_recursion.py, projects/recursive_limits)
and Celery task classes deriving from another module's task base (projects/celery_task_bases):
the same findings with one job or two and from the cache; an edit that breaks the proof, or makes
the base no task, is followed by the callers' cached results."""
from pathlib import Path

import pytest

from conftest import FIXTURES, review_text
from project_helpers import copied, findings_of, write
from secreview.dataflow import _cycles
from secreview.dataflow.analyzer import assumption_holds
from secreview.dataflow.values import CLEAN, PROVEN, Proven, Taint, new_origin
from secreview.findings import Level, TraceStep

PROJECTS = FIXTURES / "projects"
LIMITS = [("api.py", 18, 78), ("api.py", 19, 22), ("api.py", 21, 89)]  # (projects/recursive_limits' expect lines)
TASKS = [("export.py", 12, 78), ("export.py", 22, 78)]  # (projects/celery_task_bases')


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def findings(tree: Path, confidence: Level = Level.LOW, **options) -> list[tuple[str, int, int]]:
    return findings_of(tree, (22, 78, 89), confidence, **options)


def copy(tmp_path: Path, project: str, package: str) -> Path:
    return copied(PROJECTS / project / package, tmp_path)


@pytest.mark.parametrize("project, package, confidence, expected", [
    ("recursive_limits", "limits", Level.LOW, LIMITS), ("celery_task_bases", "exports", Level.MEDIUM, TASKS)])
def test_the_same_findings_with_jobs_and_the_cache(tmp_path, project, package, confidence, expected):
    tree = copy(tmp_path, project, package)
    cache = tmp_path / "cache"
    assert findings(tree, confidence, jobs=1) == expected
    assert findings(tree, confidence, jobs=2) == expected
    assert findings(tree, confidence, jobs=2, cache_dir=cache) == expected
    assert findings(tree, confidence, jobs=1, cache_dir=cache) == expected  # (from the cache)


def test_a_recursive_helper_that_loses_its_proof_is_followed_from_the_cache(tmp_path):
    tree = copy(tmp_path, "recursive_limits", "limits")
    cache = tmp_path / "cache"
    assert findings(tree, jobs=2, cache_dir=cache) == LIMITS
    numbers = (tree / "numbers.py").read_text()
    # ``clamp`` returns the raw text on a path now: its recursion proves nothing
    edited_text = numbers.replace("def clamp(value):\n", "def clamp(value):\n    if value.startswith('+'):\n        return value\n")
    assert edited_text != numbers
    write(tmp_path, {"limits/numbers.py": edited_text})
    edited = sorted([*LIMITS, ("api.py", 16, 89)])
    assert findings(tree, jobs=2, cache_dir=cache) == edited == findings(tree, jobs=1)


def test_a_task_base_that_is_no_task_any_more_is_followed_from_the_cache(tmp_path):
    tree = copy(tmp_path, "celery_task_bases", "exports")
    cache = tmp_path / "cache"
    assert findings(tree, Level.MEDIUM, jobs=1, cache_dir=cache) == TASKS
    base = (tree / "base.py").read_text()
    write(tmp_path, {"exports/base.py": base.replace("class BaseTask(Task):", "class BaseTask:")})
    assert findings(tree, Level.MEDIUM, jobs=1, cache_dir=cache) == [] == findings(tree, Level.MEDIUM, jobs=2)


def test_a_mutually_recursive_pair_is_proven_only_when_both_are():
    code = '''
import os
from flask import request

def ping(value):
    return int(value) if value.isdigit() else pong(value[1:])

def pong(value):
    return ping(value) if value.startswith("-") else {tail}

def view():
    os.system("/usr/bin/echo " + str(ping(request.args["v"])))
'''
    def lines(tail: str) -> list[int]:
        return [f.line for f in review_text(code.format(tail=tail)).findings if f.cwe == 78]
    assert lines("0") == []
    assert lines("value") == [12]


STEP = TraceStep("x.py", 2, 0, "def f(x):", "parameter `x`")
PARAMETER = Taint(frozenset({new_origin("parameter `x`", Level.LOW, (STEP,), param=0)}))


def test_an_assumption_holds_only_for_a_proof_at_least_as_strong_without_other_origins():
    shell = PARAMETER.proved(frozenset({78, 88}))
    assert assumption_holds(PROVEN, PROVEN)
    assert assumption_holds(PROVEN, shell)
    assert assumption_holds(shell, shell)
    assert not assumption_holds(shell, PROVEN)  # (weaker: a shell proof is no proof for everything)
    assert not assumption_holds(PARAMETER, PROVEN) and not assumption_holds(CLEAN, PROVEN)
    assert not assumption_holds(Proven(frozenset(), None, frozenset({78})), Proven(frozenset(), None, frozenset({78, 88})))
    # A parameter origin the assumption did not have (it came back through the recursion)
    assert not assumption_holds(shell, Proven(frozenset(), None, frozenset({78, 88})))


def test_cycles_are_the_groups_that_reach_themselves():
    assert _cycles({0: [0]}) == [[0]]
    assert _cycles({0: [1], 1: [2]}) == []
    assert sorted(_cycles({0: [1], 1: [0, 2], 2: [3], 3: [2], 4: [0]})) == [[0, 1], [2, 3]]


def test_a_file_added_again_no_longer_defines_the_names_it_dropped():
    from secreview.dataflow.analyzer import FunctionSummary
    from secreview.dataflow.linking import ProjectTable

    table = ProjectTable()
    task = FunctionSummary("m.Export.<task>", [], alias_of="m.Export.run")
    run = FunctionSummary("m.Export.run", ["self", "path"], is_method=True)
    table.add(0, "m.py", "1", {"m.Export.<task>": task, "m.Export.run": run, "m.shared": FunctionSummary("m.shared", [])})
    table.add(1, "n.py", "1", {"m.shared": FunctionSummary("m.shared", ["x"])})
    table.add(0, "m.py", "2", {"m.Export.run": run})  # (computed again: its base is no task any more)
    assert table.answer("m.Export.<task>") is None and table.answer("m.Export.run") == ("m.py", "2")
    assert table.answer("m.shared") == ("n.py", "1") and table.view(0b11).answer("m.shared") == ("n.py", "1")
    assert "m.Export" in table.classes
    table.add(0, "m.py", "3", {})
    assert "m.Export" not in table.classes and table.class_answer("m.Export") is None and table.answer("m.Export.run") is None


@pytest.mark.parametrize("binding, fires", [
    ("", False), ("from pickers import max\n", True), ("max = pickers.last\n", True), ("def max(*values):\n    return values[-1]\n", True)])
def test_max_proves_only_as_the_builtin(binding, fires):
    code = f'''import os
import pickers
from flask import request
{binding}
def view():
    os.system("/usr/bin/echo " + str(max(int(request.args["n"]), 1)))
'''
    lines = [f.line for f in review_text(code).findings if f.cwe == 78]
    assert lines == ([code.splitlines().index('    os.system("/usr/bin/echo " + str(max(int(request.args["n"]), 1)))') + 1] if fires else [])
