"""The proof lattice of the data flow (dataflow/values.py): a value proven safe (a constant, a
conversion, an allow-listed value, a sanitizer's result for some CWEs) stays proven only while
every path into it is; a value of unknown origin (CLEAN) takes the proof away."""
import pickle

from secreview import cache
from secreview import runner  # noqa: F401 - registers the result types with the cache
from secreview.dataflow.values import CLEAN, PROVEN, Proven, Taint, join, join_all, proven_for, source, whole_proof_only
from secreview.findings import Level, TraceStep

STEP = TraceStep("x.py", 3, 0, "q = request.args['q']", "HTTP query parameter (untrusted)")
QUERY = source("HTTP query parameter", Level.HIGH, STEP)
SHELL = frozenset({78, 88})


def test_a_proof_is_kept_only_by_proven_values():
    assert join(PROVEN, PROVEN) is PROVEN and join_all([PROVEN, PROVEN]) is PROVEN
    assert join(PROVEN, CLEAN) is CLEAN and join(CLEAN, PROVEN) is CLEAN  # unknown origin wins
    assert join(PROVEN, QUERY) is QUERY and join(QUERY, PROVEN) is QUERY  # the taint wins
    assert not proven_for(CLEAN, 89) and not proven_for(QUERY, 89) and proven_for(PROVEN, 89)


def test_a_sanitizer_proves_its_own_weaknesses_only():
    quoted = QUERY.proved(SHELL)
    assert proven_for(quoted, 78) and not proven_for(quoted, 89)
    assert quoted.reportable_for(78) == [] and quoted.reportable_for(89)  # still SQL injection
    assert proven_for(join(quoted, PROVEN), 78)  # ``"ls " + shlex.quote(q)``
    assert not proven_for(join(quoted, CLEAN), 78)  # ``shlex.quote(q) + settings.flags``
    assert not proven_for(join(quoted, QUERY.proved(frozenset({89}))), 78)  # proven for nothing in common
    assert not proven_for(whole_proof_only(quoted), 78)  # ``shlex.quote(q)[1:]``
    assert whole_proof_only(PROVEN) is PROVEN  # a part of a constant is constant
    assert PROVEN.proved(SHELL) is PROVEN  # ``shlex.quote("-l")``: still fixed text


def test_proven_and_unknown_values_differ_so_loops_run_until_proofs_settle():
    assert PROVEN != CLEAN and CLEAN != PROVEN
    assert Proven(frozenset(), None, SHELL) == Proven(frozenset(), None, SHELL) != PROVEN
    assert {"x": PROVEN} != {"x": CLEAN}


def test_a_table_of_constants_is_proven_as_a_whole_and_by_key():
    table = Taint(frozenset(), (("a", PROVEN), ("b", PROVEN)))
    assert table.whole() is PROVEN and table.item("a") is PROVEN
    assert Taint(frozenset(), (("a", PROVEN), ("b", CLEAN))).whole() is not PROVEN


def test_proofs_survive_worker_processes_and_the_cache():
    quoted = QUERY.proved(SHELL)
    assert pickle.loads(pickle.dumps(PROVEN)) is PROVEN
    assert pickle.loads(pickle.dumps(quoted)) == quoted
    restored = cache.unpack(cache.pack([PROVEN, quoted, CLEAN]))
    assert restored[0] is PROVEN and restored[1] == quoted and restored[2] == CLEAN
    assert restored[2].__class__ is Taint
    assert cache.unpack(cache.canonical_pack([PROVEN, quoted]))[0] is PROVEN  # (a file's summaries)
