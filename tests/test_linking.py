"""The review analyses files in dependency order, tells each the summaries known so far, re-analyses
only the functions whose answers changed, and analyses again at the end a file told less than the
complete table (dataflow/linking.py, runner.py). Its report must be exactly the one of the plain
definition: each file's own summaries from an analysis told those of the files it imports,
directly or not, that come before it in the order; then each file analysed with every file's
summaries -- whatever the order the files are given in and the number of jobs. This test computes
that definition directly and compares, on every flow fixture and cross-file project together."""
import random
import tempfile

import pytest

from conftest import FIXTURES
from secreview import cache as cache_store, runner, snapshot
from secreview.config import Config
from secreview.dataflow.linking import ProjectTable
from secreview.dataflow.order import analysis_order
from secreview.dataflow.project import helper_steps, with_helper_steps
from secreview.engine import FileOutcome, ReviewResult, Reviewer, is_package
from secreview.facts import FileFacts
from secreview.findings import Level
from secreview.inputs import SourceFile, load_source, read_bytes
from secreview.inputs.files import discover

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")


def analysed_once(reviewer: Reviewer, source: SourceFile, table: ProjectTable) -> tuple[ReviewResult, dict]:
    """One analysis of a file told ``table``: its review and its own summaries."""
    parsed = load_source(source)
    facts = FileFacts.build(parsed.tree, source.module_name, collect=reviewer.dispatcher.wanted, is_package=is_package(source))
    flow = Reviewer.flow(parsed, facts, table)
    return reviewer.checked(parsed, facts, flow), dict(flow.local_summaries)


def definition(reviewer: Reviewer, sources: list[SourceFile]) -> ReviewResult:
    modules = [(s.module_name, s.file.name == "__init__.py", read_bytes(s)) for s in sources]
    order, imports = analysis_order(modules)
    position = {index: number for number, index in enumerate(order)}

    def visible(index: int, seen: set[int]) -> set[int]:
        for target in imports[index]:
            if position[target] < position[index] and target not in seen:
                seen.add(target)
                visible(target, seen)
        return seen

    summaries: dict[int, dict] = {}
    for index in order:
        table = ProjectTable()
        for other in sorted(visible(index, set())):
            table.add(other, sources[other].path, "", summaries[other])
        summaries[index] = analysed_once(reviewer, sources[index], table)[1]
    table = ProjectTable()
    for index in range(len(sources)):
        table.add(index, sources[index].path, "", summaries[index])
    result = ReviewResult(rules=len(reviewer.rules))
    for source in sources:
        result.merge(analysed_once(reviewer, source, table)[0])
    helpers = helper_steps(table.summaries)  # (the evidence of helpers of other files: their summaries' steps)
    with_helper_steps(result.findings, helpers)
    with_helper_steps(result.suppressed, helpers)
    reviewer.add_interprocedural_findings(result, sources, helpers)
    return result.finalize()


def report(result: ReviewResult) -> list[tuple]:
    return [(f.path, f.line, f.col, f.rule_id, f.cwe, f.confidence, f.message, f.solution,
             tuple((s.path, s.line, s.note) for s in f.trace)) for f in result.findings]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The flow fixtures and the cross-file projects, as one tree (several packages)."""
    root = tmp_path_factory.mktemp("corpus")
    for fixture in sorted((FIXTURES / "flows").glob("*.py")):
        (root / fixture.name).write_bytes(fixture.read_bytes())
    for project in sorted((FIXTURES / "projects").iterdir()):
        for file in project.rglob("*.py"):
            target = root / file.relative_to(FIXTURES / "projects")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    # Two modules that import each other: one of them is analysed before the other and must be
    # reviewed again once the other is done (the request data goes a.relay -> b.run -> a shell).
    cycle = root / "cyclepkg"
    cycle.mkdir()
    (cycle / "__init__.py").write_text("")
    (cycle / "a.py").write_text(
        "from flask import request\nfrom cyclepkg import b\n\n\ndef relay(value):\n    return b.run(value)\n\n\n"
        "def view():\n    return relay(request.args['host'])\n")
    (cycle / "b.py").write_text(
        "import subprocess\nfrom cyclepkg import a\n\n\ndef run(command):\n    return subprocess.check_output(command, shell=True)\n"
        "\n\ndef again(value):\n    return a.relay(value)\n" + "# padding\n" * 30)
    # Untrusted data returned through two helpers in two other modules: found only with summaries
    # computed with the summaries of the functions they call.
    chain = root / "chainpkg"
    chain.mkdir()
    (chain / "__init__.py").write_text("")
    # (user_host() returns what a function defined further down returns: analysed first, so
    # user_host()'s own summary knows it.)
    (chain / "source.py").write_text("from flask import request\n\n\ndef user_host():\n    return _read('host')\n\n\n"
                                     "def _read(name):\n    return request.args[name]\n")
    (chain / "middle.py").write_text("from chainpkg.source import user_host\n\n\ndef host():\n    return user_host().strip()\n")
    (chain / "use.py").write_text("import subprocess\n\nfrom chainpkg.middle import host\n\n\n"
                                  "def ping():\n    return subprocess.run('ping -c 1 ' + host(), shell=True)\n")
    sources, diagnostics = discover([str(root)])
    assert len(sources) > 40 and not diagnostics
    return sources


@pytest.fixture(scope="module")
def defined(corpus):
    return definition(Reviewer(Config(min_confidence=Level.LOW)), corpus)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_review_is_exactly_the_definition(corpus, defined, jobs):
    expected = report(defined)
    assert any(len(finding[-1]) > 2 and len({step[0] for step in finding[-1]}) > 1 for finding in expected)  # cross-file flows
    stats = runner.RunStats()
    assert report(runner.run_review(corpus, Config(min_confidence=Level.LOW), jobs=jobs, stats=stats)) == expected
    assert stats.reanalysed >= 1  # the import cycle: a file analysed again
    # It is reviewed again as soon as the rest of its cycle is done, not in a round at the end.
    assert stats.rounds == 0


def test_the_review_filling_and_reading_the_cache_with_workers_is_the_definition(corpus, defined, tmp_path, monkeypatch):
    # Workers hand on what they store in the cache as stored (summaries and call sites packed):
    # the parent keeps it, tells it to the other worker, and the project pass reads it.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "key"))
    expected = report(defined)
    config = Config(min_confidence=Level.LOW)
    cold = runner.RunStats()
    assert report(runner.run_review(corpus, config, jobs=2, cache_dir=tmp_path / "cache", stats=cold)) == expected
    warm = runner.RunStats()
    assert report(runner.run_review(corpus, config, jobs=2, cache_dir=tmp_path / "cache", stats=warm)) == expected
    assert cold.analysed == len(corpus) and warm.analysed == 0


def _outcomes_the_parent_holds(monkeypatch) -> list[FileOutcome]:
    """A list that receives, during the next review, every file's outcome as the parent holds it
    once the files are analysed."""
    held: list[FileOutcome] = []
    until_stable = runner._analyse_until_stable

    def keep_an_eye(scheduler, outcomes, *args):
        held.extend(o for o in outcomes if isinstance(o, FileOutcome))
        return until_stable(scheduler, outcomes, *args)

    monkeypatch.setattr(runner, "_analyse_until_stable", keep_an_eye)
    return held


@pytest.mark.parametrize("cached", [False, True])
def test_the_review_on_a_memory_budget_is_the_definition(corpus, defined, tmp_path, monkeypatch, cached):
    # No file's bytes kept from the first read (each is read again when analysed), and a decoded
    # summary or call site dropped as soon as another is decoded: every part spilled by the
    # workers is read back from disk each time it is used -- the same review.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "key"))
    monkeypatch.setattr(runner, "KEPT_SOURCE_BYTES", 0)
    monkeypatch.setattr(runner, "SPILL_ABOVE_BYTES", 0)
    monkeypatch.setattr(cache_store, "DECODED_KEPT_BYTES", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    decoded = []
    original = cache_store.unpack
    monkeypatch.setattr(cache_store, "unpack", lambda text: decoded.append(len(text)) or original(text))
    # What the parent keeps of each file once analysed: where its parts are, not their text.
    held = _outcomes_the_parent_holds(monkeypatch)
    config = Config(min_confidence=Level.LOW)
    cache_dir = tmp_path / "cache" if cached else None
    assert report(runner.run_review(corpus, config, jobs=2, cache_dir=cache_dir)) == report(defined)
    parts = [o.summaries for o in held if o.summaries] + [c for o in held for c in o.result.call_sites]
    assert len(held) > 40 and parts
    assert all(isinstance(part, cache_store.Packed) and part.place is not None and part._text is None for part in parts)
    assert decoded  # (the project pass read spilled call sites back)
    if cached:  # every cached entry loaded (not the snapshot), its packed parts spilled
        monkeypatch.setattr(runner, "KEPT_PACKED_BYTES", 0)
        monkeypatch.setattr(snapshot.Snapshot, "_key", lambda tree: None)
        spilled = []
        original_spill = cache_store.Packed.spill
        monkeypatch.setattr(cache_store.Packed, "spill", lambda part, *args, **kw: spilled.append(part) or original_spill(part, *args, **kw))
        stats = runner.RunStats()
        assert report(runner.run_review(corpus, config, jobs=2, cache_dir=cache_dir, stats=stats)) == report(defined)
        assert stats.analysed == 0 and spilled and all(part.place is not None for part in spilled)
    assert not list(tmp_path.glob("secreview-spill-*"))  # the spill folder goes with the review
    assert not cache_store._DECODED


def test_data_returned_through_helpers_in_two_modules_is_found(defined):
    [finding] = [f for f in defined.findings if f.path.endswith("chainpkg/use.py") and f.cwe == 78]
    assert (finding.line, finding.rule_id) == (7, "subprocess-shell-injection")
    files = [step.path.rsplit("/", 1)[-1] for step in finding.trace]
    assert files[0] == "source.py" and "middle.py" in files and files[-1] == "use.py"
    assert [step.line for step in finding.trace if step.path.endswith("source.py")] == [9, 5]


def test_shuffled_input_gives_the_same_review(corpus):
    config = Config(min_confidence=Level.LOW)
    expected = report(runner.run_review(corpus, config, jobs=1))
    shuffled = list(corpus)
    random.Random(5).shuffle(shuffled)
    assert report(runner.run_review(shuffled, config, jobs=1)) == expected
    assert report(runner.run_review(list(reversed(corpus)), config, jobs=2)) == expected


def two_modules_summaries():
    """utils.host() returning request data, utils.host() returning nothing, and a method of a
    class utils.Client returning a file's content."""
    from secreview.dataflow.analyzer import FunctionSummary
    from secreview.dataflow.values import Origin, Taint
    from secreview.findings import TraceStep

    step = TraceStep("scripts/utils.py", 5, 11, "return request.args['h']", "HTTP query parameter")
    data = FunctionSummary("utils.host", [], Taint(frozenset({Origin("HTTP query parameter", Level.HIGH, (step,))})))
    clean = FunctionSummary("utils.host", [])
    method = FunctionSummary("utils.Client.fetch", ["self"], Taint(frozenset({Origin("a file", Level.MEDIUM, (step,))})),
                             is_method=True)
    return data, clean, method


def test_a_view_tells_the_same_whatever_other_files_the_table_knows_already():
    # Two files with the same module name (scripts/utils.py, tools/utils.py) both define
    # utils.host(); a file that sees only the first must be told the first's summary, whether
    # or not the table has learned the second (a worker may have, by then, or not).
    data, clean, method = two_modules_summaries()
    first_only = 1 << 0
    for order in ([0, 1], [1, 0], [0]):
        table = ProjectTable()
        for index in order:
            table.add(index, ("scripts/utils.py", "tools/utils.py")[index], "", {"utils.host": (data, clean)[index]}
                      | ({"utils.Client.fetch": method} if index == 0 else {}))
        view = table.view(first_only)
        assert view.summaries.get("utils.host") is data and view.answer("utils.host") == ("scripts/utils.py", "")
        assert "utils.host" in view.returning_data
        assert "utils.Client" in view.classes and "utils.Client" in view.classes_returning_data
        assert view.class_answer("utils.Client") == ("scripts/utils.py", "")
        if len(order) == 2:  # the whole table: the file that comes last in the input
            assert table.summaries["utils.host"] is clean and table.answer("utils.host") == ("tools/utils.py", "")
    assert table.view(1 << 1).summaries.get("utils.host") is None  # (only the first was added)


def test_summaries_packed_in_a_cached_entry_answer_alike_and_are_decoded_when_looked_up():
    from secreview.cache import Packed
    from secreview.dataflow.linking import summaries_index

    data, clean, method = two_modules_summaries()
    files = [{"utils.host": data, "utils.Client.fetch": method}, {"utils.host": clean}]

    def stored(summaries):  # as loaded from the cache: nothing decoded yet
        packed = Packed.of(summaries, summaries_index(summaries))
        return Packed(packed.text, packed.index)

    for order in ([0, 1], [1, 0]):
        plain, packed = ProjectTable(), ProjectTable()
        for index in order:
            plain.add(index, f"f{index}.py", "", files[index])
            packed.add(index, f"f{index}.py", "", stored(files[index]))
        for visible in (None, 1 << 0, 1 << 1):
            a, b = plain.view(visible), packed.view(visible)
            for name in ("utils.host", "utils.Client.fetch", "utils.other"):
                assert a.answer(name) == b.answer(name)
                assert (name in a.returning_data) == (name in b.returning_data)
                assert a.summaries.get(name) == b.summaries.get(name)
                assert (name in a.summaries) == (name in b.summaries)
            assert ("utils.Client" in a.classes) == ("utils.Client" in b.classes)
            assert ("utils.Client" in a.classes_returning_data) == ("utils.Client" in b.classes_returning_data)
        assert plain.summaries["utils.host"] == packed.summaries["utils.host"]
        assert plain.returning_data == packed.returning_data and plain.classes == packed.classes

    # A file's packed summaries are decoded only when one of them is looked up.
    table = ProjectTable()
    table.add(0, "f0.py", "", Packed("not decodable", summaries_index(files[0])))
    assert table.answer("utils.host") == ("f0.py", "") and "utils.host" in table.returning_data
    assert "utils.Client" in table.classes and "utils.host" in table.summaries
    with pytest.raises(ValueError):
        table.summaries.get("utils.host")


def test_workers_hand_on_what_they_found_pickled_apart_and_the_parent_decodes_only_what_it_reads(corpus, defined, monkeypatch):
    # Without the cache (and below the size where outcomes are spilled), a worker hands on its
    # summaries and call sites pickled apart: the parent keeps the bytes, tells them as they are,
    # and decodes only the call sites of functions with sinks (and the URL confs' routes).
    held = _outcomes_the_parent_holds(monkeypatch)
    decoded = []
    real_pickle = cache_store.pickle

    class CountingPickle:
        HIGHEST_PROTOCOL = real_pickle.HIGHEST_PROTOCOL
        dumps = staticmethod(real_pickle.dumps)

        @staticmethod
        def loads(data):
            decoded.append(len(data))
            return real_pickle.loads(data)

    monkeypatch.setattr(cache_store, "pickle", CountingPickle)
    assert report(runner.run_review(corpus, Config(min_confidence=Level.LOW), jobs=2, cache_dir=None)) == report(defined)
    parts = [o.summaries for o in held if o.summaries] + [c for o in held for c in o.result.call_sites]
    assert len(held) > 40 and all(isinstance(part, cache_store.Packed) and part._pickled is not None for part in parts)
    assert 0 < len(decoded) < len(parts) / 2
