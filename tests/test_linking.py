"""The review analyses files in dependency order, tells each the summaries known so far, re-analyses
only the functions whose answers changed and reviews again at the end a file told less than the
complete table (dataflow/linking.py, runner.py). Its report must be exactly the one of the plain
two-phase definition: every file analysed alone for its own summaries, then every file analysed
with all of them -- whatever the order of the files and the number of jobs. This test computes
that definition directly and compares, on every flow fixture and cross-file project together."""
import random

import pytest

from conftest import FIXTURES
from secreview import runner
from secreview.config import Config
from secreview.dataflow.linking import ProjectTable
from secreview.engine import ReviewResult, Reviewer
from secreview.findings import Level
from secreview.inputs import SourceFile
from secreview.inputs.files import discover

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")


def two_phase(reviewer: Reviewer, sources: list[SourceFile]) -> ReviewResult:
    """The definition: own summaries of every file first, then each file with all of them."""
    table = ProjectTable()
    for index, source in enumerate(sources):
        table.add(index, source.path, "", reviewer.analyse(source).summaries)
    result = ReviewResult(rules=len(reviewer.rules))
    for source in sources:
        review, _ = reviewer.reanalyse(source, table)
        result.merge(review)
    reviewer.add_interprocedural_findings(result, sources)
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
    # reviewed again at the end (the request data goes a.relay -> b.run -> a shell).
    cycle = root / "cyclepkg"
    cycle.mkdir()
    (cycle / "__init__.py").write_text("")
    (cycle / "a.py").write_text(
        "from flask import request\nfrom cyclepkg import b\n\n\ndef relay(value):\n    return b.run(value)\n\n\n"
        "def view():\n    return relay(request.args['host'])\n")
    (cycle / "b.py").write_text(
        "import subprocess\nfrom cyclepkg import a\n\n\ndef run(command):\n    return subprocess.check_output(command, shell=True)\n"
        "\n\ndef again(value):\n    return a.relay(value)\n" + "# padding\n" * 30)
    sources, diagnostics = discover([str(root)])
    assert len(sources) > 40 and not diagnostics
    return sources


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_review_is_exactly_the_two_phase_definition(corpus, jobs):
    config = Config(min_confidence=Level.LOW)
    expected = report(two_phase(Reviewer(config), corpus))
    assert any(len(finding[-1]) > 2 and len({step[0] for step in finding[-1]}) > 1 for finding in expected)  # cross-file flows
    stats = runner.RunStats()
    assert report(runner.run_review(corpus, config, jobs=jobs, stats=stats)) == expected
    assert stats.reanalysed >= 1  # the import cycle: a file reviewed again at the end


def test_shuffled_input_gives_the_same_review(corpus):
    config = Config(min_confidence=Level.LOW)
    expected = report(runner.run_review(corpus, config, jobs=1))
    shuffled = list(corpus)
    random.Random(5).shuffle(shuffled)
    assert report(runner.run_review(shuffled, config, jobs=1)) == expected
    assert report(runner.run_review(list(reversed(corpus)), config, jobs=2)) == expected
