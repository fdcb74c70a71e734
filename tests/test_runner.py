"""The runner: parallel review gives the same report as one process; the cache answers for
unchanged files, re-analyses what changed, rebuilds what is corrupt and never trusts a foreign
entry; progress stays off the output; no syntax tree outlives its file's review."""
import ast
import gc
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from secreview import cache as cache_store, spill
from secreview import runner
from secreview.cli import main
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs.files import discover

from project_helpers import age_files

HELPER = '''
import subprocess
import tempfile


def run_it(command):
    subprocess.call(command, shell=True)
'''
CALLER = '''
from flask import request
from pkg.helper import run_it


def view():
    run_it(request.args["cmd"])
'''


def module(number: int) -> str:
    return f'''
import hashlib
import pickle


def handler_{number}(data, name):
    digest = hashlib.md5(data).hexdigest()
    value = eval(name)
    return pickle.loads(data), digest, value


LIMIT = {number}
'''


# pytest-xdist workers run threads; the CLI is single-threaded when it forks its worker processes.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def make_tree(root: Path, count: int = 24) -> Path:
    package = root / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text(HELPER)
    (package / "views.py").write_text(CALLER)
    for number in range(count):
        (package / f"m{number:02}.py").write_text(module(number))
    (package / "broken.py").write_text("def broken(:\n")
    age_files(package)
    return package


def review(tree: Path, **options):
    sources, diagnostics = discover([str(tree)])
    stats = runner.RunStats()
    config = Config(min_confidence=Level.LOW)
    result = runner.run_review(sources, config, diagnostics, stats=stats, **options)
    return result, stats


def report(result) -> str:
    from secreview.report import formatters

    return formatters()["json"](result, color=False, show_suppressed=True)


def test_jobs_do_not_change_the_report(tmp_path):
    tree = make_tree(tmp_path)
    one, stats_one = review(tree, jobs=1)
    two, stats_two = review(tree, jobs=2)
    assert stats_one.jobs == 1 and stats_two.jobs == 2
    assert report(one) == report(two)
    assert any(f.rule_id == "eval-used" for f in one.findings)
    assert any(f.path.endswith("views.py") or f.path.endswith("helper.py") for f in one.findings if f.trace)
    assert [d.kind for d in one.diagnostics] == ["syntax-error"]


def test_runner_agrees_with_the_engine(tmp_path):
    tree = make_tree(tmp_path, count=3)
    sources, diagnostics = discover([str(tree)])
    engine = Reviewer(Config(min_confidence=Level.LOW)).review(sources, diagnostics)
    ours, _ = review(tree, jobs=1)
    assert report(engine) == report(ours)


def test_warm_review_reads_nothing_and_reports_the_same(tmp_path):
    tree = make_tree(tmp_path)
    cache = tmp_path / "cache"
    cold, cold_stats = review(tree, jobs=2, cache_dir=cache)
    assert cold_stats.analysed == cold_stats.files
    warm, warm_stats = review(tree, jobs=2, cache_dir=cache)
    assert warm_stats.analysed == 0 and warm_stats.cached == warm_stats.files
    assert report(warm) == report(cold)
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"


def test_editing_one_file_reanalyses_only_that_file(tmp_path):
    tree = make_tree(tmp_path)
    cache = tmp_path / "cache"
    review(tree, jobs=1, cache_dir=cache)
    edited = tree / "m03.py"
    edited.write_text(module(3).replace("LIMIT = 3", "LIMIT = 33"))
    age_files(tree)
    result, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.analysed == 1
    fresh, _ = review(tree, jobs=1)
    assert report(result) == report(fresh)


def test_editing_a_helper_reanalyses_its_callers(tmp_path):
    tree = make_tree(tmp_path, count=2)
    (tree / "helper.py").write_text("def run_it(command):\n    return command\n")
    age_files(tree)
    cache = tmp_path / "cache"
    before, _ = review(tree, jobs=1, cache_dir=cache)
    (tree / "helper.py").write_text(HELPER)  # now the parameter reaches a shell
    age_files(tree)
    after, stats = review(tree, jobs=1, cache_dir=cache)
    fresh, _ = review(tree, jobs=1)
    assert report(after) == report(fresh)
    assert report(after) != report(before)
    assert stats.analysed == 2  # the helper and its one caller (views.py), no other file


def test_an_edit_reaches_the_users_of_the_users_of_a_helper(tmp_path):
    # use.py calls middle.host(), which returns what source.user_host() returns: once
    # user_host() returns request data, middle's own summaries change, and so does use.py's review.
    tree = tmp_path / "chain"
    tree.mkdir()
    (tree / "source.py").write_text("def user_host():\n    return 'localhost'\n")
    (tree / "middle.py").write_text("from source import user_host\n\n\ndef host():\n    return user_host().strip()\n")
    (tree / "use.py").write_text("import subprocess\n\nfrom middle import host\n\n\n"
                                 "def ping():\n    return subprocess.run('ping ' + host(), shell=True)\n")
    (tree / "other.py").write_text("def unrelated():\n    return 1\n")
    age_files(tree)
    cache = tmp_path / "cache"
    before, _ = review(tree, jobs=1, cache_dir=cache)
    assert not [f for f in before.findings if f.cwe == 78 and f.trace]  # (only "a command built at run time")
    (tree / "source.py").write_text("from flask import request\n\n\ndef user_host():\n    return request.args['host']\n")
    age_files(tree)
    after, stats = review(tree, jobs=1, cache_dir=cache)
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.trace[0].path.rsplit("/", 1)[-1]) for f in after.findings
            if f.cwe == 78 and f.trace] == [("use.py", 7, "source.py")]
    assert stats.analysed == 3 and stats.rounds == 1  # source.py; then middle.py and use.py -- not other.py
    fresh, _ = review(tree, jobs=1)
    assert report(after) == report(fresh)


def test_cached_and_edited_files_of_an_import_cycle_give_the_fresh_review(tmp_path):
    # Two workers analyse the edited files while the other files of the cycle come from the cache.
    tree = tmp_path / "cyc"
    tree.mkdir()
    (tree / "hub.py").write_text("import subprocess\n\nimport spoke00\n\n\ndef run(command):\n"
                                 "    return subprocess.run(command, shell=True)\n\n\n"
                                 "def relay(value):\n    return spoke00.forward(value)\n")
    for n in range(20):
        (tree / f"spoke{n:02}.py").write_text(
            f"import hub\nfrom flask import request\n\n\ndef forward(value):\n    return hub.run(value)\n\n\n"
            f"def view{n}():\n    return hub.relay(request.args['q{n}'])\n")
    age_files(tree)
    cache = tmp_path / "cache"
    review(tree, jobs=2, cache_dir=cache)
    for n in range(2, 20):  # hub.py and spoke00/spoke01 stay cached
        path = tree / f"spoke{n:02}.py"
        path.write_text(path.read_text() + "# edited\n")
    age_files(tree)
    after, stats = review(tree, jobs=2, cache_dir=cache)
    assert stats.jobs == 2 and stats.analysed >= 18
    fresh, _ = review(tree, jobs=1)
    assert report(after) == report(fresh)
    [shell] = [f for f in after.findings if f.cwe == 78 and f.trace]  # one finding at the sink, in hub.run()
    assert shell.path.endswith("hub.py") and shell.trace[0].path.rsplit("/", 1)[-1].startswith("spoke")


def test_an_edit_that_keeps_a_helpers_summaries_reanalyses_only_the_helper(tmp_path):
    tree = make_tree(tmp_path, count=2)
    cache = tmp_path / "cache"
    before, _ = review(tree, jobs=1, cache_dir=cache)
    (tree / "helper.py").write_text(HELPER + "\n# a comment: what the function does is unchanged\n")
    age_files(tree)
    after, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.analysed == 1 and stats.reanalysed == 0
    fresh, _ = review(tree, jobs=1)
    assert report(after) == report(fresh)
    assert [(f.rule_id, f.path, f.line) for f in after.findings] == [(f.rule_id, f.path, f.line) for f in before.findings]


def test_input_order_does_not_change_the_report(tmp_path):
    # Reversed, the caller (views.py) comes before the helper it uses; the report is the same.
    tree = make_tree(tmp_path, count=3)
    sources, diagnostics = discover([str(tree)])
    config = Config(min_confidence=Level.LOW)
    forward = runner.run_review(sources, config, diagnostics, jobs=1)
    backward = runner.run_review(list(reversed(sources)), config, diagnostics, jobs=1)
    assert report(forward) == report(backward)
    assert any(f.path.endswith("helper.py") and f.trace for f in forward.findings)


def test_a_caller_analysed_before_its_helper_is_analysed_again(tmp_path):
    # The two modules import each other: the cycle is broken at the smaller file, the caller,
    # which is analysed before the helper and again once the helper's summary is known -- the
    # flow through the helper is found either way.
    package = _cycle_with_a_caller_first(tmp_path, padding_modules=0)
    result, stats = review(package, jobs=1)
    assert stats.reanalysed == 1
    [finding] = [f for f in result.findings if f.cwe == 78]
    assert finding.path.endswith("helper.py") and any(step.path.endswith("caller.py") for step in finding.trace)


def test_a_worker_that_dies_costs_one_file_not_the_review(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=24)
    (tree / "m05.py").write_text(module(5) + "\n# secreview-test: die here\n")
    real_analyse = Reviewer.analyse

    def analyse(self, source, *args, **kwargs):
        if source.data and b"secreview-test: die here" in source.data:
            os._exit(17)  # as a crash of the interpreter would: no exception, no reply
        return real_analyse(self, source, *args, **kwargs)

    monkeypatch.setattr(Reviewer, "analyse", analyse)  # workers are forked: they see it
    result, stats = review(tree, jobs=2)
    assert stats.jobs == 2
    died = [d for d in result.diagnostics if d.kind == "internal-error"]
    assert [d.path.endswith("m05.py") for d in died] == [True]
    assert any(f.path.endswith("m06.py") for f in result.findings)


def test_corrupt_and_foreign_entries_are_rebuilt_not_trusted(tmp_path):
    tree = make_tree(tmp_path, count=4)
    cache = tmp_path / "cache"
    good, _ = review(tree, jobs=1, cache_dir=cache)
    entries = sorted((cache / "v1").glob("results-*/*/*"))
    entries = [e for e in entries if e.is_file()]
    assert entries
    entries[0].write_bytes(entries[0].read_bytes()[:-7])  # truncated
    entries[1].write_bytes(b"garbage")
    # A well-formed entry signed with another key (planted in the repository): rejected.
    planted = json.dumps({"key": entries[2].name, "value": {"$c": "ReviewResult", "v": []}}).encode()
    entries[2].write_bytes(cache_store._MAGIC + b"0" * 64 + b"\n" + planted)
    age_files(tree)  # new identities: the whole-tree entry misses, each file's entry is looked up
    result, stats = review(tree, jobs=1, cache_dir=cache)
    assert report(result) == report(good)
    assert stats.analysed >= 2  # at least two of the three bad entries were per-file outcomes: redone
    again, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.analysed == 0 and report(again) == report(good)


def test_entry_signed_under_another_users_key_is_ignored(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=2)
    cache = tmp_path / "cache"
    review(tree, jobs=1, cache_dir=cache)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    _, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.cached == 0 and stats.analysed == stats.files


def test_changed_configuration_or_version_misses(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=2)
    cache = tmp_path / "cache"
    review(tree, jobs=1, cache_dir=cache)
    monkeypatch.setattr("secreview.__version__", "999.0")
    _, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.cached == 0


def test_result_sets_of_old_configurations_are_pruned(tmp_path):
    tree = make_tree(tmp_path, count=1)
    cache = tmp_path / "cache"
    configs = [Config(min_severity=Level.LOW), Config(min_severity=Level.MEDIUM), Config(min_severity=Level.HIGH),
               Config(min_confidence=Level.HIGH)]
    for config in configs:
        sources, diagnostics = discover([str(tree)])
        runner.run_review(sources, config, diagnostics, jobs=1, cache_dir=cache)
        time.sleep(0.01)
    assert len(list((cache / "v1").glob("results-*"))) == cache_store.KEEP_RESULT_SETS


def chain_of_helpers(tree: Path, count: int, last: str) -> None:
    """m0 ... m{count-1}: each ``step<i>`` passes its value on to the next module's; ``run<i>``
    runs it in a shell; cli.py calls run0 with a command-line argument; ``last`` is the last step."""
    tree.mkdir()
    for i in range(count):
        (tree / f"m{i}.py").write_text(f"import subprocess\nfrom m{i + 1} import step{i + 1}\n\n\n"
                                       f"def step{i}(value):\n    return step{i + 1}(value.strip())\n\n\n"
                                       f"def run{i}(arg):\n    subprocess.run('tool ' + step{i}(arg), shell=True)\n")
    (tree / f"m{count}.py").write_text(f"import shlex\n\n\ndef step{count}(value):\n    return {last}\n")
    (tree / "cli.py").write_text("import sys\nfrom m0 import run0\n\nrun0(sys.argv[1])\n")
    age_files(tree)


def test_an_edit_at_the_bottom_of_a_chain_longer_than_the_rounds_reaches_its_top(tmp_path):
    # Each module's summaries change only once the next one's have: the files whose summaries
    # change are analysed again in the same round as the file they import (not one round per
    # module, which a chain longer than MAX_ROUNDS would exhaust), with the cache and without.
    tree = tmp_path / "chain"
    count = runner.MAX_ROUNDS + 5
    chain_of_helpers(tree, count, "shlex.quote(value)")
    cache = tmp_path / "cache"
    for jobs in (1, 2):
        before, _ = review(tree, jobs=jobs, cache_dir=cache)
        assert not [f for f in before.findings if f.cwe == 78 and f.confidence >= Level.MEDIUM]
        (tree / f"m{count}.py").write_text(f"def step{count}(value):\n    return value + '-x'\n")
        age_files(tree)
        after, stats = review(tree, jobs=jobs, cache_dir=cache)
        assert not after.diagnostics and stats.rounds <= 2
        assert [(f.path.rsplit("/", 1)[-1], f.line) for f in after.findings if f.cwe == 78 and f.confidence >= Level.MEDIUM] == [("m0.py", 10)]
        assert report(after) == report(review(tree, jobs=jobs)[0])
        (tree / f"m{count}.py").write_text(f"import shlex\n\n\ndef step{count}(value):\n    return shlex.quote(value)\n")
        age_files(tree)
        restored, stats = review(tree, jobs=jobs, cache_dir=cache)
        assert not restored.diagnostics and stats.rounds <= 2
        assert report(restored) == report(before)


def test_codec_round_trips_results():
    from secreview.dataflow.values import Origin, Taint
    from secreview.findings import TraceStep

    step = TraceStep("a.py", 3, 0, "x = y", "note")
    value = {"t": Taint(frozenset({Origin("HTTP", Level.HIGH, (step,), sanitized=frozenset({78}))})),
             "m": {1: "one", "k": ("tuple", None, 2.5, True)}, "$c": ["a dict key that looks like a tag"],
             "s": {frozenset({1, 2}), ("x", 3)}, "l": [[], {}, Level.LOW]}
    assert cache_store.unpack(cache_store.pack(value)) == value
    assert cache_store.value_digest(value) == cache_store.value_digest(cache_store.unpack(cache_store.pack(value)))
    # A part packed for its digest is stored as that (canonical) text.
    memo: dict = {}
    assert cache_store.value_digest(value["t"], memo) == cache_store.value_digest(value["t"])
    packed = cache_store.Packed.of(value["t"], None, memo)
    assert packed.text == memo[id(value["t"])] and cache_store.unpack(packed.text) == value["t"]
    assert cache_store.unpack(cache_store.canonical_pack(value)) == value
    with pytest.raises(cache_store.NotCacheable):
        cache_store.pack(object())


def test_codec_writes_a_shared_value_once_and_restores_the_sharing():
    from secreview.findings import TraceStep

    steps = [TraceStep("a.py", line, 0, "code " * 20, "note") for line in range(3)]
    value = {"first": (steps[0], steps[1]), "again": [steps[1], steps[0], steps[2], steps[1]]}
    text = cache_store.pack(value)
    assert text.count("code ") == 3 * 20  # each step written once
    restored = cache_store.unpack(text)
    assert restored == value
    assert restored["again"][0] is restored["first"][1] and restored["again"][3] is restored["first"][1]
    assert restored["again"][1] is restored["first"][0]
    # Met inside the rarer kinds (a set, a dict with other keys).
    from typing import NamedTuple

    class Pair(NamedTuple):  # (a tuple of another class: restored as a tuple)
        left: object
        right: object

    mixed = {"by_line": {3: steps[0]}, "set": {steps[2]}, "first": value["first"], "pair": Pair(steps[1], Level.LOW),
             "after": [steps[0], steps[2], steps[1]]}
    restored = cache_store.unpack(cache_store.pack(mixed))
    assert restored == {**mixed, "pair": (steps[1], Level.LOW)}
    assert restored["after"][0] is restored["by_line"][3] and restored["after"][1] in restored["set"]
    assert restored["after"][2] is restored["first"][1]


@pytest.mark.parametrize("text", [
    '{"$c": "Popen", "v": []}',  # only registered types are ever built
    '{"$c": "TraceStep", "v": ["a.py", 1]}',  # fields missing
    '{"$c": "TraceStep", "v": {"path": "a.py"}}',
    '{"$r": 0}',  # a reference to nothing
    '[{"$c": "Level", "v": []}, {"$r": -1}]',
    '{"$r": "0"}',
    '{"$x": 1}',  # an unknown tag
    '{"$e": "Level", "v": 99}',  # not a value of the enum
])
def test_codec_rejects_what_it_did_not_write(text):
    with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
        cache_store.unpack(text)


def test_summary_digests_do_not_depend_on_the_hash_seed():
    # Sets iterate in an order that depends on the process's hash seed; a digest must not (it
    # identifies a file's summaries to the cached results of other runs).
    script = (
        "import secreview.runner\n"
        "from secreview import cache\n"
        "from secreview.dataflow.values import Origin, Taint\n"
        "from secreview.findings import Level, TraceStep\n"
        "steps = [TraceStep('a.py', n, 0, 'x = y', f'step {n}') for n in range(8)]\n"
        "origins = frozenset(Origin(f'source {n % 3}', Level.HIGH, tuple(steps[:n + 1]), param=n % 2 or None,\n"
        "                           sanitized=frozenset({78, 89, n})) for n in range(8))\n"
        "print(cache.value_digest({'f': Taint(origins), 's': {'b', 'a', 'c'}}))\n")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1 and len(digests.pop().strip()) == 64


def test_cli_no_cache_writes_nothing_and_quiet_stderr(tmp_path):
    tree = make_tree(tmp_path, count=2)
    (tmp_path / "pyproject.toml").write_text("")
    result = CliRunner().invoke(main, ["review", str(tree), "--no-cache", "-f", "json", "--min-confidence", "low"])
    assert result.exit_code == 1, result.output
    assert not (tmp_path / ".secreview_cache").exists()
    result = CliRunner().invoke(main, ["review", str(tree), "-f", "json", "--jobs", "2"])
    assert (tmp_path / ".secreview_cache" / ".gitignore").exists()
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_cli_cache_dir_from_environment(tmp_path):
    tree = make_tree(tmp_path, count=2)
    target = tmp_path / "elsewhere"
    CliRunner().invoke(main, ["review", str(tree)], env={"SECREVIEW_CACHE_DIR": str(target)})
    assert (target / "v1" / "index").exists()


def test_concurrent_runs_share_a_cache_safely(tmp_path):
    tree = make_tree(tmp_path, count=8)
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "secreview", "review", str(tree), "-f", "json", "--cache-dir", str(cache), "-j", "1"]
    env = dict(os.environ, PYTHONHASHSEED="0", XDG_CACHE_HOME=str(tmp_path / "user-cache"))
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env) for _ in range(3)]
    outputs = [process.communicate()[0] for process in runs]
    assert len(set(outputs)) == 1
    again = subprocess.run(command, stdout=subprocess.PIPE, env=env).stdout
    assert again == outputs[0]
    assert not list(cache.rglob(".tmp-*"))


def test_progress_bar_only_when_enabled_and_long(monkeypatch):
    shown = []
    monkeypatch.setattr(runner, "PROGRESS_DELAY_SECONDS", 0)

    class FakeProgress:
        def __init__(self, *columns, **options):
            shown.append(options)

        def add_task(self, *args, **kwargs):
            return 1

        def start(self):
            pass

        def update(self, task, completed):
            shown.append(completed)

        def stop(self):
            shown.append("stopped")

    monkeypatch.setattr("rich.progress.Progress", FakeProgress)
    with runner._Progress(runner.PROGRESS_MIN_FILES, enabled=False) as bar:
        bar.advance()
    with runner._Progress(runner.PROGRESS_MIN_FILES - 1, enabled=True) as bar:
        bar.advance()
    assert shown == []
    with runner._Progress(runner.PROGRESS_MIN_FILES, enabled=True) as bar:
        bar.advance()
        bar.advance()
    assert shown[-3:] == [1, 2, "stopped"]


def test_no_syntax_tree_outlives_the_review(tmp_path):
    tree = make_tree(tmp_path, count=4)
    gc.collect()
    before = sum(1 for o in gc.get_objects() if isinstance(o, ast.Module))
    result, _ = review(tree, jobs=1)
    gc.collect()
    after = sum(1 for o in gc.get_objects() if isinstance(o, ast.Module))
    assert result.findings and after == before


def test_the_collector_is_left_as_it_was_found(tmp_path):
    # The review tunes the cycle collector while it runs (frozen start-up objects, large
    # thresholds) and must hand it back: nothing left frozen, the caller's thresholds.
    tree = make_tree(tmp_path, count=4)
    thresholds = gc.get_threshold()
    gc.set_threshold(1000, 15, 15)
    try:
        review(tree, jobs=1)
        assert gc.get_threshold() == (1000, 15, 15)
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*thresholds)


def test_ctrl_c_exits_130_without_a_traceback(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=2)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_review", interrupted)
    result = CliRunner().invoke(main, ["review", str(tree), "--no-cache"])
    assert result.exit_code == 130
    assert "interrupted" in result.output and "Traceback" not in result.output


def test_an_interrupted_review_stops_its_workers_at_once(tmp_path):
    reviewer = Reviewer(Config())
    with pytest.raises(KeyboardInterrupt):
        with runner._Scheduler(reviewer, None, 2, 100, False, runner.RunStats()) as scheduler:
            workers = list(scheduler.workers)
            assert len(workers) == 2 and all(w.process.is_alive() for w in workers)
            started = time.monotonic()
            raise KeyboardInterrupt
    assert not any(w.process.is_alive() for w in workers)
    assert time.monotonic() - started < 3


def test_ready_queue_hands_out_the_largest_file_whose_imports_are_done():
    task = lambda index, size: runner._Task("analyse", index, None, size, None)
    # 0 and 1 import nothing; 2 imports 0; 3 imports 1 and 2 (files outside the tasks: not waited for).
    imports = [[], [7], [0], [1, 2]]
    queue = runner._ReadyQueue([task(0, 10), task(1, 50), task(2, 99), task(3, 5)], imports)
    assert queue.pop().index == 1  # the largest ready one
    assert queue.pop().index == 0
    assert queue.pop() is None and queue  # 2 and 3 wait for files under way
    queue.done(1)
    assert queue.pop() is None  # 3 still waits for 2, which waits for 0
    queue.done(0)
    assert queue.pop().index == 2
    queue.add([task(1, 1)])  # a file to review again: it waits for nothing
    assert queue.pop().index == 1 and queue.pop() is None
    queue.done(2)
    assert queue.pop().index == 3 and not queue


class _Pair(NamedTuple):
    left: object
    right: object


@pytest.mark.parametrize("seed", range(40))
def test_codec_round_trips_random_values_with_shared_parts(seed):
    # References are numbered in the order the decoder finishes objects: any mix of containers,
    # shared objects and parts encoded first for a digest (with the same memo) must come back equal.
    import random

    from secreview.dataflow.values import Origin, Taint
    from secreview.findings import TraceStep

    rng = random.Random(seed)
    pool: list = []
    made_so_far = iter(range(1, 10**6))  # (every object made differs: a wrong reference shows)

    def scalar():
        return rng.choice([None, True, False, rng.randint(-5, 5), 2.5, "", "x" * rng.randint(1, 5), "$c", "é\n\""])

    def hashable(depth):
        kind = rng.randrange(4)
        if kind == 0 or depth > 2:
            return scalar()
        if kind == 1:
            return tuple(hashable(depth + 1) for _ in range(rng.randrange(3)))
        if kind == 2:
            return frozenset(hashable(depth + 1) for _ in range(rng.randrange(3)))
        return TraceStep("p.py", next(made_so_far), 0, "code", rng.choice(["a", "b"]))

    def value(depth):
        if pool and rng.random() < 0.3:
            return rng.choice(pool)  # the same object again
        kind = rng.randrange(10) if depth < 4 else 0
        if kind == 0:
            made = scalar()
        elif kind == 1:
            made = [value(depth + 1) for _ in range(rng.randrange(4))]
        elif kind == 2:
            made = tuple(value(depth + 1) for _ in range(rng.randrange(4)))
        elif kind == 3:
            made = {rng.choice(["k", "$d", "key", "$r"]) + str(i): value(depth + 1) for i in range(rng.randrange(3))}
        elif kind == 4:
            made = {hashable(depth): value(depth + 1) for _ in range(rng.randrange(3))}
        elif kind == 5:
            made = {hashable(depth) for _ in range(rng.randrange(3))}
        elif kind == 6:
            steps = tuple(rng.choice(pool) if pool and isinstance(rng.choice(pool), TraceStep) and rng.random() < 0.5
                          else TraceStep("q.py", next(made_so_far), 1, "c", "n") for _ in range(rng.randrange(1, 3)))
            steps = tuple(s if isinstance(s, TraceStep) else TraceStep("q.py", 1, 1, "c", "n") for s in steps)
            made = Origin(f"HTTP {next(made_so_far)}", rng.choice(list(Level)), steps, rng.choice([None, 0, 1]))
        elif kind == 7:
            origins = [o for o in pool if isinstance(o, Origin)][:3]
            made = Taint(frozenset(origins), ((next(made_so_far), Taint()), ("k", Taint(frozenset(origins[:1])))))
        elif kind == 8:
            made = _Pair(value(depth + 1), value(depth + 1))  # a tuple of another class: comes back a tuple
        else:
            made = rng.choice(list(Level))
        if rng.random() < 0.5:
            pool.append(made)
        return made

    def plain(value):  # what a value comes back as
        if isinstance(value, tuple):
            return tuple(plain(item) for item in value)
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {plain(key): plain(item) for key, item in value.items()}
        return value

    for _ in range(20):
        original = [value(1) for _ in range(3)]
        assert cache_store.unpack(cache_store.pack(original)) == plain(original)
        assert cache_store.unpack(cache_store.canonical_pack(original)) == plain(original)  # (a file's summaries)


def test_a_cached_file_whose_calls_reach_no_sink_is_not_decoded_for_the_project_pass():
    from secreview.dataflow.project import resolve

    from secreview.inputs import SourceFile

    helper = SourceFile("helper.py", data=HELPER.encode(), module_name="pkg.helper")
    caller = SourceFile("views.py", data=CALLER.encode(), module_name="pkg.views")
    result = runner.run_review([helper, caller], Config(min_confidence=Level.LOW), jobs=1, cache_dir=None)
    assert any(f.rule_id == "subprocess-shell-injection" and f.path == "helper.py" and f.confidence == Level.HIGH
               for f in result.findings)  # the request's data, through the helper
    reviewer = runner.Reviewer(Config(min_confidence=Level.LOW))
    table = runner.ProjectTable()
    records = reviewer.analyse(helper, table, 0).result.sink_records
    outcome = reviewer.analyse(caller, table, 1)
    calls = outcome.result.call_sites
    assert calls and records
    packed = runner._as_stored(outcome, runner.ImportScan(frozenset(), frozenset(), 0), None).result.call_sites
    never = cache_store.Packed("not the text of anything", ["pkg.nothing.here"])  # decoding it would fail
    parameters = {"pkg.helper.run_it": ["command"]}
    found = resolve(records, [never, *packed], parameters)
    assert [f.record.function for f in found] == ["pkg.helper.run_it"] == [f.record.function for f in resolve(records, calls, parameters)]
    with pytest.raises(ValueError):
        resolve(records, [cache_store.Packed("not the text of anything", ["pkg.helper.run_it"])], parameters)


def test_the_project_pass_decodes_a_packed_group_again_only_when_a_function_it_calls_gains_a_sink(monkeypatch):
    # request -> views.show -> middle.relay -> helper.run_it -> a shell: the second round finds
    # relay a sink wrapper; middle's group (which calls only run_it) is not decoded again, and
    # no decoded value is kept (a large project's groups would not fit in memory).
    from secreview.dataflow.project import resolve
    from secreview.inputs import SourceFile

    middle = "from pkg.helper import run_it\n\n\ndef relay(cmd):\n    return run_it(cmd)\n"
    views = "from flask import request\nfrom pkg.middle import relay\n\n\ndef show():\n    return relay(request.args['c'])\n"
    files = [SourceFile("helper.py", data=HELPER.encode(), module_name="pkg.helper"),
             SourceFile("middle.py", data=middle.encode(), module_name="pkg.middle"),
             SourceFile("views.py", data=views.encode(), module_name="pkg.views")]
    reviewer = runner.Reviewer(Config(min_confidence=Level.LOW))
    table = runner.ProjectTable()
    outcomes = [reviewer.analyse(source, table, index) for index, source in enumerate(files)]
    records = [record for outcome in outcomes for record in outcome.result.sink_records]
    scan = runner.ImportScan(frozenset(), frozenset(), 0)
    groups = [part for outcome in outcomes[1:] for part in runner._as_stored(outcome, scan, None).result.call_sites]
    parameters = {"pkg.helper.run_it": ["command"], "pkg.middle.relay": ["cmd"]}
    decoded = []
    monkeypatch.setattr(cache_store.Packed, "value", lambda part: decoded.append(part.index) or cache_store.unpack(part.text))
    found = resolve(records, [cache_store.Packed(part.text, part.index) for part in groups], parameters)
    assert [(f.record.function, f.description) for f in found] == [("pkg.middle.relay", "HTTP query parameter")]
    assert sorted(decoded) == [["pkg.helper.run_it"], ["pkg.middle.relay"]]


def test_files_unchanged_since_the_last_review_are_not_read_again(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=4)
    cache = tmp_path / "cache"
    review(tree, jobs=1, cache_dir=cache)
    edited = tree / "m01.py"
    edited.write_text(module(1) + "\n# edited\n")
    os.utime(edited, (time.time() - 1800, time.time() - 1800))  # (not racy)
    read: list[str] = []
    real = runner.read_bytes
    monkeypatch.setattr(runner, "read_bytes", lambda source: (read.append(Path(source.path).name), real(source))[1])
    again, stats = review(tree, jobs=1, cache_dir=cache)
    assert read == ["m01.py"] and stats.analysed == 1  # the others' imports came with their results
    monkeypatch.setattr(runner, "read_bytes", real)
    fresh, _ = review(tree, jobs=1)
    assert report(again) == report(fresh)


def test_an_unchanged_file_whose_cached_result_is_corrupt_is_read_and_analysed(tmp_path):
    tree = make_tree(tmp_path, count=3)
    cache = tmp_path / "cache"
    good, _ = review(tree, jobs=1, cache_dir=cache)
    for entry in (cache / "v1").glob("results-*/*/*"):
        entry.write_bytes(entry.read_bytes()[:-9])  # every result (and the whole-tree entry) truncated
    again, stats = review(tree, jobs=1, cache_dir=cache)
    assert stats.cached == 0 and report(again) == report(good)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crash_in_the_rules_of_a_file_others_use_ends_the_review(tmp_path, monkeypatch, jobs):
    # The file's data flow succeeds and the files importing it are told its summaries; then a rule
    # crashes on it. Those summaries must stay part of the project, or the files told them are
    # seen as told something wrong after every round of re-analysis, and the review never ends.
    tree = make_tree(tmp_path, count=24)
    real_checked = Reviewer.checked

    def checked(self, parsed, *args, **kwargs):
        if parsed.path.endswith("helper.py"):
            raise KeyError("boom")
        return real_checked(self, parsed, *args, **kwargs)

    monkeypatch.setattr(Reviewer, "checked", checked)  # workers are forked: they see it
    monkeypatch.delenv("SECREVIEW_DEBUG", raising=False)
    result, stats = review(tree, jobs=jobs)
    crashed = [d for d in result.diagnostics if d.kind == "internal-error"]
    assert [d.path.endswith("helper.py") for d in crashed] == [True]
    assert "KeyError" in crashed[0].message
    assert stats.rounds <= 1
    assert any(f.path.endswith("m06.py") for f in result.findings)
    assert not any(f.path.endswith("helper.py") for f in result.findings)  # (not reviewed: said so)


def test_a_review_that_does_not_settle_ends_with_a_diagnostic(tmp_path, monkeypatch):
    # A safety net: were a bug to keep answers changing between rounds, the review must end.
    tree = make_tree(tmp_path, count=4)
    real_outdated = runner._outdated

    def never_settled(outcomes, visible, table):
        found = real_outdated(outcomes, visible, table)
        index = next(i for i, o in enumerate(outcomes) if isinstance(o, runner.FileOutcome) and o.path.endswith("views.py"))
        return found | {index: outcomes[index]}

    monkeypatch.setattr(runner, "_outdated", never_settled)
    result, stats = review(tree, jobs=1)
    assert stats.rounds == runner.MAX_ROUNDS
    [unsettled] = [d for d in result.diagnostics if d.kind == "internal-error"]
    assert unsettled.path.endswith("views.py") and "did not settle" in unsettled.message


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crash_when_a_file_of_a_cycle_is_analysed_again_keeps_its_summaries(tmp_path, monkeypatch, jobs):
    # caller.py (smaller, analysed first) gives source_of(), which helper.py is told; caller.py is
    # analysed again once helper's run_it() is known, and that crashes. Its summaries must stay.
    tree = make_tree(tmp_path, count=12)
    (tree / "helper.py").write_text("import subprocess\nfrom pkg.caller import source_of\n\n\ndef run_it(command):\n"
                                    "    subprocess.call(command, shell=True)\n\n\ndef local():\n"
                                    "    run_it(source_of())\n" + "# padding\n" * 20)
    (tree / "caller.py").write_text("from flask import request\nfrom pkg.helper import run_it\n\n\n"
                                    "def source_of():\n    return request.args['cmd']\n\n\n"
                                    "run_it(request.args['cmd'])\n")
    age_files(tree)
    real_reanalyse = Reviewer.reanalyse

    def reanalyse(self, source, *args, **kwargs):
        if source.path.endswith("caller.py"):
            raise KeyError("boom")
        return real_reanalyse(self, source, *args, **kwargs)

    monkeypatch.setattr(Reviewer, "reanalyse", reanalyse)
    monkeypatch.delenv("SECREVIEW_DEBUG", raising=False)
    result, stats = review(tree, jobs=jobs)
    assert stats.rounds <= 2
    [crashed] = [d for d in result.diagnostics if d.kind == "internal-error"]
    assert crashed.path.endswith("caller.py")
    # helper.py was told what source_of() returns: its own call of run_it() is reported.
    assert any(f.path.endswith("helper.py") and f.cwe == 78 and f.line == 6 for f in result.findings)


def test_summaries_holding_keys_of_an_unknown_dict_are_cached(tmp_path):
    # ``params = dict(...); params["mode"] = "fast"`` keeps what the other keys hold under the
    # values module's OTHER_KEYS sentinel: the cache must store it, and restore the same object.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "options.py").write_text("def options(given):\n    params = dict(given)\n    params['mode'] = 'fast'\n"
                                        "    return params\n")
    (package / "views.py").write_text("import os\nfrom flask import request\nfrom pkg.options import options\n\n\n"
                                      "def view():\n    chosen = options(request.args)\n    os.system('run ' + chosen['mode'])\n"
                                      "    os.system('run ' + chosen['other'])\n")
    age_files(package)
    cold, _ = review(package, jobs=1, cache_dir=tmp_path / "cache")
    warm, stats = review(package, jobs=1, cache_dir=tmp_path / "cache")
    fresh, _ = review(package, jobs=1)
    assert not cold.diagnostics and stats.cached == 3
    assert report(cold) == report(warm) == report(fresh)
    from secreview.dataflow.values import OTHER_KEYS
    assert cache_store.unpack(cache_store.pack((OTHER_KEYS, 1)))[0] is OTHER_KEYS


def test_a_result_the_cache_cannot_hold_is_not_stored_and_costs_nothing_else(tmp_path, monkeypatch):
    tree = make_tree(tmp_path, count=4)

    def refuse(*args, **kwargs):
        raise cache_store.NotCacheable("SomethingNew")

    monkeypatch.setattr(runner, "_as_stored", refuse)
    result, stats = review(tree, jobs=1, cache_dir=tmp_path / "cache")
    assert not [d for d in result.diagnostics if d.kind == "internal-error"]
    assert report(result) == report(review(tree, jobs=1)[0])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_whose_bytes_were_not_kept_is_read_again_as_it_is_then(tmp_path, monkeypatch, jobs):
    # Beyond KEPT_SOURCE_BYTES a file is read again when analysed: what is reviewed is what it
    # holds then (as when a file changes while a review runs), and nothing is lost.
    tree = make_tree(tmp_path, count=20)
    late = tree / "late.py"
    late.write_text("print('nothing yet')\n")
    monkeypatch.setattr(runner, "KEPT_SOURCE_BYTES", 0)
    original = runner._read_all

    def read_then_edit(sources, store):
        reads = original(sources, store)
        late.write_text("import os\n\nos.system(input())\n")
        return reads

    monkeypatch.setattr(runner, "_read_all", read_then_edit)
    result, stats = review(tree, jobs=jobs, cache_dir=None)
    assert stats.jobs == jobs
    assert [(f.line, f.cwe) for f in result.findings if f.path.endswith("late.py")] == [(3, 78)]
    assert [d.kind for d in result.diagnostics] == ["syntax-error"]


def test_a_spilled_part_is_read_back_and_only_the_parts_used_last_stay_decoded(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_store, "DECODED_KEPT_BYTES", 60)
    into = spill.SpillFile(str(tmp_path))
    values = [{"name": f"value {number}", "items": list(range(number))} for number in range(4)]
    parts = [cache_store.Packed.of(value, number) for number, value in enumerate(values)]
    try:
        for part in parts:
            text = part.text
            part.spill(into)
            assert part.text == text and part._text is None  # on disk now
        # As a worker hands it on: the place, not the text.
        received = [pickle.loads(pickle.dumps(part)) for part in parts]
        assert all(part.place is not None and part._text is None for part in received)
        assert [part.value() for part in received] == values
        kept = [part for part in received if part._value is not None]
        assert 0 < len(kept) < len(received) and kept[-1] is received[-1]  # the last used
        assert received[0].value() == values[0]  # dropped, read back
    finally:
        into.close()
        cache_store.forget_decoded()
        spill.close_readers()


def test_without_a_usable_temporary_folder_the_parts_stay_in_memory(tmp_path, monkeypatch):
    # Spilling is a saving, never a condition: a temporary folder that cannot be made (or a spill
    # file that cannot be written) leaves the parts in memory, and the review is the same.
    tree = make_tree(tmp_path / "tree", count=20)
    expected = report(review(tree, jobs=2, cache_dir=None)[0])
    monkeypatch.setattr(runner, "SPILL_ABOVE_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    result, stats = review(tree, jobs=2, cache_dir=None)
    assert stats.jobs == 2 and report(result) == expected
    assert not [d for d in result.diagnostics if d.kind == "internal-error"]

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(spill.SpillFile, "write", full)
    result, stats = review(tree, jobs=2, cache_dir=None)
    assert stats.jobs == 2 and report(result) == expected


def test_a_file_told_nothing_of_a_project_function_is_reviewed_again_when_its_file_is_done():
    # (An import through a package of an import cycle: the file need not wait for the module
    # that defines the function.) Reviewed again while the other files are analysed, not in a
    # round at the end; a library name it was told nothing of is never waited for.
    from secreview.dataflow.analyzer import FunctionSummary
    from secreview.dataflow.linking import Dependencies
    from secreview.engine import FileOutcome, ReviewResult
    from secreview.inputs import SourceFile

    sources = [SourceFile(f"app/{name}.py", data=b"", module_name=f"app.{name}") for name in ("user", "impl", "late", "other")]
    follow_up = runner._ReviewAgain({}, [0, 0, 0, 0], sources, [])

    def outcome(path: str, asked: dict, defines: tuple = ()) -> FileOutcome:
        summaries = {name: FunctionSummary(name, ["value"]) for name in defines}
        return FileOutcome(ReviewResult(), summaries, Dependencies(functions=asked), path=path)

    def done(index: int, finished: FileOutcome) -> list[tuple[int, FileOutcome]]:
        tasks = follow_up.after(runner._Task("analyse", index, None, 1, 0), finished)
        return [(task.index, task.previous) for task in tasks if task.kind == "reanalyse"]

    user = outcome("app/user.py", {"app.impl.run": None, "os.system": None})
    assert done(0, user) == [] and set(follow_up.unknown) == {"app.impl.run"}
    assert done(1, outcome("app/impl.py", {}, ("app.impl.run",))) == [(0, user)]
    assert not follow_up.unknown
    # Defined by a file done while this one was analysed: reviewed again at once.
    late = outcome("app/late.py", {"app.impl.run": None})
    assert done(2, late) == [(2, late)]
    # Told what the table says now: nothing to do.
    assert done(3, outcome("app/other.py", {"app.impl.run": ("app/impl.py", "")})) == []


def _cycle_with_a_caller_first(tmp_path: Path, padding_modules: int) -> Path:
    """helper.py and caller.py import each other; caller.py (smaller) is analysed first, before
    run_it() is known, and reviewed again once helper.py is done."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text("import subprocess\nfrom pkg import caller\n\n\ndef run_it(command):\n"
                                       "    subprocess.call(command, shell=True)\n" + "# padding\n" * 20)
    (package / "caller.py").write_text("from flask import request\nfrom pkg.helper import run_it\n\n\n"
                                       "def view():\n    run_it(request.args['cmd'])\n")
    for number in range(padding_modules):
        (package / f"m{number:02}.py").write_text(module(number))
    age_files(package)
    return package


def _count_parses(monkeypatch, log: Path) -> None:
    """Append the path of every file parsed to ``log`` (from worker processes too)."""
    from secreview import engine

    real = engine.load_source

    def load_source(source):
        with open(log, "a") as out:
            out.write(source.path.rsplit("/", 1)[-1] + "\n")
        return real(source)

    monkeypatch.setattr(engine, "load_source", load_source)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_reviewed_again_reuses_its_first_analysis(tmp_path, monkeypatch, jobs):
    package = _cycle_with_a_caller_first(tmp_path, padding_modules=16)
    log = tmp_path / "parsed.log"
    _count_parses(monkeypatch, log)
    result, stats = review(package, jobs=jobs)
    assert stats.jobs == jobs and stats.reanalysed == 1
    assert log.read_text().split().count("caller.py") == 1  # reviewed again on the tree of its analysis
    # The same review as analysing it again from its bytes.
    log.unlink()
    monkeypatch.setattr(runner, "KEPT_ANALYSES_BYTES", 0)
    again, _ = review(package, jobs=jobs)
    assert log.read_text().split().count("caller.py") == 2
    assert report(result) == report(again)
    [finding] = [f for f in result.findings if f.cwe == 78]
    assert finding.path.endswith("helper.py") and any(step.path.endswith("caller.py") for step in finding.trace)


def test_kept_analyses_stay_within_their_budget_the_oldest_dropped_first():
    def read(size: int):
        return runner._Read(None, scan=runner.ImportScan(frozenset(), frozenset(), size))

    kept = runner._KeptAnalyses(100)
    kept.add(0, read(40), "first")
    kept.add(1, read(40), "second")
    kept.add(2, read(500), "too large to keep")
    assert kept.take(2) is None and kept.size == 80
    kept.add(3, read(30), "third")  # 110 bytes: the oldest goes
    assert kept.take(0) is None
    assert kept.take(1)[1] == "second" and kept.take(1) is None  # taken: no longer kept
    assert kept.size == 30


def test_an_analysis_is_kept_when_it_asked_for_a_name_a_later_module_of_its_cycle_may_define():
    Dependencies = runner.Dependencies
    later = frozenset({"pkg.helper"})
    assert runner._may_be_told_more(Dependencies(functions={"pkg.helper.run_it": None}), later)
    assert runner._may_be_told_more(Dependencies(functions={"pkg.helper.Runner.start": None}), later)  # a method
    assert runner._may_be_told_more(Dependencies(classes={"pkg.helper.Runner": None}), later)
    assert not runner._may_be_told_more(Dependencies(functions={"pkg.helper.run_it": ("pkg/helper.py", "")}), later)  # told
    assert not runner._may_be_told_more(Dependencies(functions={"pkg.other.run_it": None}), later)  # not of the cycle
    assert not runner._may_be_told_more(Dependencies(functions_quietly={"pkg.helper.run_it": False}), later)


def test_ready_queue_leaves_a_review_again_to_the_worker_that_kept_the_analysis():
    holder, other = object(), object()
    task = lambda index, size, holder=None: runner._Task("reanalyse", index, None, size, None, holder=holder)
    queue = runner._ReadyQueue([task(0, 99, holder), task(1, 5)], None)
    assert queue.pop(other).index == 1
    assert queue.pop(other) is None and queue.holds_for_another(other)
    assert queue.pop(holder).index == 0 and not queue
    queue.add([task(2, 1, holder)])
    queue.release(holder)  # it died: anyone may take what it held, and what comes for it later
    queue.add([task(3, 1, holder)])
    assert not queue.holds_for_another(other)
    assert {queue.pop(other).index, queue.pop(other).index} == {2, 3}


def test_summary_digests_ignore_the_order_dicts_and_sets_were_filled_in():
    first = {"a": 1, "b": frozenset({"x", "y", "z"}), "c": {3, 1, 2}}
    second = {"c": {2, 3, 1}, "b": frozenset({"z", "y", "x"}), "a": 1}
    assert cache_store.value_digest(first) == cache_store.value_digest(second)
    assert cache_store.value_digest(first) != cache_store.value_digest({**first, "a": 2})


def test_entries_hold_their_packed_parts_verbatim_after_the_json():
    from secreview.findings import TraceStep

    step = TraceStep("a.py", 3, 0, 'x = "quoted"', "note")
    parts = [cache_store.Packed.of({"f": (step, step)}, ["f"]), cache_store.Packed.of([step], ["g"])]
    entry = cache_store.pack_entry({"key": "k", "value": (parts, step)})
    for part in parts:
        assert part.raw() in entry  # (not escaped as a JSON string)
    restored_parts, restored_step = cache_store.unpack_entry(entry)["value"]
    assert restored_step == step and [part.index for part in restored_parts] == [["f"], ["g"]]
    assert [part.value() for part in restored_parts] == [{"f": (step, step)}, [step]]
    envelope = entry.partition(b"\n")[0]
    for bad in (envelope,  # the parts cut off
                envelope.replace(b'{"$p":[0,', b'{"$p":[-1,', 1) + entry[len(envelope):],
                entry[:-1]):  # a part shorter than its place says
        with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
            cache_store.unpack_entry(bad)


def test_dependencies_are_stored_with_each_answer_once():
    from secreview.dataflow.linking import Dependencies

    version = "f" * 64
    asked = {f"pkg.helpers.f{n}": ("pkg/helpers.py", version) for n in range(20)}
    dependencies = Dependencies({**asked, "pkg.gone": None}, {"pkg.quiet": 3}, {"pkg.models.Item": ("pkg/models.py", version)},
                                {"pkg.models.Item": True}, {"pkg.views.show": (("pk", (1,)),)})
    entry = cache_store.pack_entry({"key": "k", "value": dependencies})
    assert entry.count(version.encode()) == 2  # (one per file that answered)
    assert cache_store.unpack_entry(entry)["value"] == dependencies
    for forged in (entry.replace(b'"pkg.gone":-1', b'"pkg.gone":99'), entry.replace(b'"pkg.gone":-1', b'"pkg.gone":"0"'),
                   entry.replace(b'["pkg/models.py",', b'["pkg/models.py",1,')):
        assert forged != entry
        with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
            cache_store.unpack_entry(forged)


def test_a_steps_helper_steps_survive_the_cache_and_worker_processes():
    from secreview.findings import TraceStep

    inside = (TraceStep("clean.py", 3, 4, "def clean_host(h):", "parameter `h`"),
              TraceStep("clean.py", 4, 4, "return h.strip()", "returned from `clean_host()`"))
    call = TraceStep("net.py", 8, 4, "host = clean_host(x)", "passed through `clean_host()`").with_via(inside)
    assert call == TraceStep("net.py", 8, 4, "host = clean_host(x)", "passed through `clean_host()`")  # (not its identity)
    for restored in (cache_store.unpack(cache_store.pack([call])), cache_store.unpack(cache_store.canonical_pack([call])),
                     pickle.loads(pickle.dumps([call]))):
        assert restored == [call] and restored[0].via == inside
    with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
        cache_store.unpack(cache_store.pack([call]).replace('"$t":[{"$c":"TraceStep"', '"$t":[1,{"$c":"TraceStep"', 1))


WARM_CLI = '''
import sys
from secreview.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    loaded = sorted(name for name in sys.modules if name.startswith(("secreview.runner", "secreview.dataflow", "secreview.engine")))
    print("LOADED", ",".join(loaded), "EXIT", exit.code, file=sys.stderr)
'''


def test_an_unchanged_tree_is_reported_from_the_cache_without_the_analysis_modules(tmp_path):
    # The snapshot (snapshot.py) answers before the runner is imported: a warm review's time is
    # mostly imports otherwise. Its report is the cold one's, this run's input problems included.
    tree = make_tree(tmp_path, count=3)
    args = ["review", str(tree), str(tmp_path / "missing.py"), "--cache-dir", str(tmp_path / "cache"), "-f", "json"]

    def run() -> tuple[dict, str]:
        done = subprocess.run([sys.executable, "-c", WARM_CLI, *args], capture_output=True, text=True, cwd=tmp_path)
        return json.loads(done.stdout), done.stderr.strip().splitlines()[-1]

    cold, cold_loaded = run()
    warm, warm_loaded = run()
    assert "secreview.runner" in cold_loaded and cold_loaded.endswith("EXIT 1")
    assert warm_loaded == "LOADED  EXIT 1"  # nothing of the analysis imported, the same exit code
    assert warm == cold
    # this run's (the path named) and the files' (make_tree writes a file with a syntax error)
    assert sorted(d["kind"] for d in warm["diagnostics"]) == ["missing-path", "syntax-error"] and warm["findings"]
