"""Proofs across functions and modules: a project helper that returns a proven value on every path
gives its callers that proof (tests/fixtures/flows/proven_helpers.py, projects/tally). The same
findings with one job or two and from the cache; an edit of the helper (its proof lost, or proven
for another weakness) is followed by its callers' cached results."""
from pathlib import Path

import pytest

from conftest import FIXTURES
from project_helpers import copied, findings_of, write
from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.linking import quiet_key
from secreview.dataflow.values import CLEAN, PROVEN, Proven, Taint, new_origin
from secreview.findings import Level, TraceStep

TALLY = FIXTURES / "projects" / "tally"
# The low findings of projects/tally as it is (its ``# expect:`` lines): the calls of helpers
# proven for something else, or on some paths only.
EXPECTED = [("reports.py", 24, 89), ("reports.py", 25, 89), ("reports.py", 27, 89)]


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def findings(tree: Path, **options) -> list[tuple[str, int, int]]:
    return findings_of(tree, (78, 89), **options)


def tally_copy(tmp_path: Path) -> Path:
    return copied(TALLY / "tally", tmp_path)


def test_the_same_proofs_with_jobs_and_the_cache(tmp_path):
    tree = tally_copy(tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=1) == EXPECTED
    assert findings(tree, jobs=2) == EXPECTED
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED
    assert findings(tree, jobs=1, cache_dir=cache) == EXPECTED  # (from the cache)


def test_a_helper_that_loses_its_proof_is_followed_from_the_cache(tmp_path):
    tree = tally_copy(tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED
    convert = (tree / "convert.py").read_text()
    write(tmp_path, {"tally/convert.py": convert.replace("    return int(text)\n\n\ndef shell_arg", "    return text\n\n\ndef shell_arg")})
    edited = sorted([*EXPECTED, ("reports.py", 20, 89)])  # ``as_count(...)``: no longer converted
    assert findings(tree, jobs=2, cache_dir=cache) == edited == findings(tree, jobs=1)


def test_a_helper_proven_for_another_weakness_is_followed_from_the_cache(tmp_path):
    tree = tally_copy(tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=1, cache_dir=cache) == EXPECTED
    convert = (tree / "convert.py").read_text()
    # ``shell_arg`` escapes for HTML now: still a proof (the callers' quiet answer), of other CWEs.
    write(tmp_path, {"tally/convert.py": convert.replace("import shlex", "import html").replace("shlex.quote(text)", "html.escape(text)")})
    edited = sorted([*EXPECTED, ("reports.py", 23, 78)])
    assert findings(tree, jobs=1, cache_dir=cache) == edited == findings(tree, jobs=2)


STEP = TraceStep("x.py", 2, 0, "def f(x):", "parameter `x`")


def summary(returns: Taint) -> FunctionSummary:
    return FunctionSummary("m.f", ["x"], returns)


def test_the_quiet_key_tells_proofs_apart_by_their_weaknesses():
    parameter = Taint(frozenset({new_origin("parameter `x`", Level.LOW, (STEP,), param=0)}))
    keys = [quiet_key(summary(value)) for value in
            (CLEAN, parameter, PROVEN, parameter.proved(frozenset({78, 88})), parameter.proved(frozenset({79, 80})))]
    assert keys[0] == keys[1] == 0  # nothing a quiet call is told
    assert len(set(keys[2:])) == 3 and all(keys[2:])
    assert quiet_key(summary(Proven(frozenset(), None, frozenset({88, 78})))) == keys[3]  # (the same in any order)


def test_packed_summaries_tell_quiet_calls_the_same_proofs():
    from secreview.cache import Packed
    from secreview.dataflow.linking import ProjectTable, summaries_index

    parameter = Taint(frozenset({new_origin("parameter `x`", Level.LOW, (STEP,), param=0)}))
    summaries = {"m.count": FunctionSummary("m.count", ["x"], PROVEN),
                 "m.quoted": FunctionSummary("m.quoted", ["x"], parameter.proved(frozenset({78, 88}))),
                 "m.Box.size": FunctionSummary("m.Box.size", ["self", "x"], PROVEN, is_method=True),
                 "m.raw": FunctionSummary("m.raw", ["x"], parameter)}
    packed = Packed.of(summaries, summaries_index(summaries))
    plain, stored = ProjectTable(), ProjectTable()
    plain.add(0, "m.py", "", summaries)
    stored.add(0, "m.py", "", Packed(packed.text, packed.index))
    for visible in (None, 1):
        a, b = plain.view(visible), stored.view(visible)
        for name in summaries:
            assert a.quiet_answer(name) == b.quiet_answer(name) == quiet_key(summaries[name])
    assert plain.quiet_answer("m.raw") == 0 and plain.quiet_answer("m.count") != plain.quiet_answer("m.quoted")
    # (a class's quiet answer is about data of its own: a method's proof is asked of the method)
    assert "m.Box" in plain.classes and "m.Box" not in plain.classes_returning_data
