"""A sink several equally confident flows reach reports the same one whatever the order the
project pass meets them in: the input order of the files, and whether their call sites come from
this process or packed by worker processes (--jobs). The most confident flow, then the shortest,
then the one whose evidence starts earliest (tests/fixtures/projects/tiebreak: two flows from
`publish` to one `open()`, one through a longer chain of helpers; two routes calling it alike; a
shorter flow, less confident, from a public function's parameter)."""
from pathlib import Path

import pytest

from conftest import FIXTURES
from project_helpers import package_with_fillers, review_tree
from secreview import runner
from secreview.config import Config
from secreview.dataflow.project import resolve
from secreview.findings import Level
from secreview.inputs import SourceFile

PUBLISHING = FIXTURES / "projects" / "tiebreak" / "publishing"

# pytest-xdist workers run threads; the review forks its worker processes.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

# feeds.py (the earlier of the two routes) -> publish -> export -> save_blob's open()
SHORTEST = [("feeds.py", 10), ("publish.py", 14), ("publish.py", 16), ("exporter.py", 4), ("exporter.py", 5),
            ("storage.py", 1), ("storage.py", 2)]


def evidence(result) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """The path-traversal findings: file name, message, evidence (file name, line)."""
    return [(Path(f.path).name, f.message, [(Path(s.path).name, s.line) for s in f.trace])
            for f in result.findings if f.cwe == 22]


def test_the_shortest_flow_is_reported_whatever_the_order_of_the_files(tmp_path):
    tree = package_with_fillers(tmp_path, "publishing", _fixture_files(), fillers=16)
    forward, _ = review_tree(tree, jobs=1)
    backward, _ = review_tree(tree, reverse=True, jobs=1)
    in_workers, stats = review_tree(tree, jobs=2)
    assert stats.jobs == 2
    [(name, message, trace)] = evidence(forward)
    assert name == "storage.py" and trace == SHORTEST and "`export()`" in message
    assert evidence(backward) == evidence(in_workers) == evidence(forward)


def test_the_project_pass_reports_the_same_flow_from_packed_call_sites():
    # One worker process hands its files' call sites on packed, by file; in one process they
    # come one by one. The project pass reads a packed file's calls of the functions that have a
    # sink when it comes to that file: `_via_mirror` gains one from the file's own first call.
    reviewer = runner.Reviewer(Config(min_confidence=Level.LOW))
    table = runner.ProjectTable()
    files = [SourceFile(f"{name}.py", data=(PUBLISHING / f"{name}.py").read_bytes(), module_name=f"publishing.{name}")
             for name in ("storage", "archive", "exporter", "mirror", "publish", "feeds", "views")]  # (imports first)
    outcomes = [reviewer.analyse(source, table, index) for index, source in enumerate(files)]
    records = [record for outcome in outcomes for record in outcome.result.sink_records]
    scan = runner.ImportScan(frozenset(), frozenset(), 0)
    calls = [call for outcome in outcomes for call in outcome.result.call_sites]
    packed = [part for outcome in outcomes for part in runner._as_stored(outcome, scan, None).result.call_sites]
    parameters = {name: params for outcome in outcomes for name, params in outcome.result.parameters.items()}

    def flows(found):
        return [(f.record.function, f.description, [(s.path, s.line) for s in f.trace]) for f in found]

    found = resolve(records, calls, parameters)
    assert flows(found) == flows(resolve(records, packed, parameters)) == flows(resolve(records, calls[::-1], parameters))
    [(function, description, trace)] = flows(found)
    assert function == "publishing.publish.publish" and description == "HTTP query parameter"
    assert trace == SHORTEST[:-1]  # (the sink's own line is added to the finding's evidence)
    # The shorter flow from export_raw's parameter was found, and is less confident.
    starts = [(source.step.path, source.step.line, source.confidence) for source in found[0].sources]
    assert ("exporter.py", 10, Level.LOW) in starts and ("feeds.py", 10, Level.HIGH) in starts


def _fixture_files() -> dict[str, str]:
    return {path.name: path.read_text() for path in PUBLISHING.glob("*.py")}
