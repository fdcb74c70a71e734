import re
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#.*?\bexpect:\s*(?P<items>[^#]*)")


def review_text(code: str, path: str = "snippet.py", **config_values):
    """Review ``code`` given as text; returns the ReviewResult. Defaults: all confidences."""
    config_values.setdefault("min_confidence", Level.LOW)
    config = Config(**config_values)
    return Reviewer(config).review([SourceFile(path, data=code.encode())])


def expectations(path: Path) -> set[tuple[int, str, int]]:
    """(line, rule id, cwe) from ``# expect: rule-id CWE-N; other-id CWE-M`` comments."""
    return {(line, rule_id, cwe) for line, rule_id, cwe, _ in expectations_with_traces(path)}


def expectations_with_traces(path: Path) -> list[tuple[int, str, int, tuple[int, ...] | None]]:
    """Like ``expectations`` plus the evidence lines when given: ``# expect: rule CWE-N trace=3,5,9``."""
    expected = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for item in match.group("items").split(";"):
                rule_id, cwe, *rest = item.split()
                trace = None
                for extra in rest:
                    if extra.startswith("trace="):
                        trace = tuple(int(n) for n in extra.removeprefix("trace=").split(","))
                expected.append((number, rule_id, int(cwe.removeprefix("CWE-")), trace))
    return expected


def also_of(path: Path) -> dict[tuple[int, str, int], tuple[str, int]]:
    """The sinks expected as another sink of one finding (one unchecked value reaching several
    calls: secreview/root_causes.py), from ``# expect: rule CWE-N also-of=12`` (the finding is at
    line 12 of the same file) or ``also-of=views.py:34`` (of that file): (line, rule id, cwe) ->
    (file name, line of the finding). Every other expected sink is a finding of its own."""
    found = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for item in match.group("items").split(";"):
                rule_id, cwe, *rest = item.split()
                for extra in rest:
                    if extra.startswith("also-of="):
                        file, _, primary = extra.removeprefix("also-of=").rpartition(":")
                        found[(number, rule_id, int(cwe.removeprefix("CWE-")))] = (file or path.name, int(primary))
    return found


def grouped_sinks(findings) -> dict[tuple[str, int, str, int], tuple[str, int]]:
    """What ``also_of`` expects, found: (file name, line, rule id, cwe) of each sink a finding lists
    -> (file name, line) of the finding."""
    return {(Path(sink.path).name, sink.line, sink.rule_id, sink.cwe): (Path(finding.path).name, finding.line)
            for finding in findings for sink in finding.also}


def fixture_options(path: Path) -> dict:
    """``# fixture: min-confidence=medium`` on the first lines sets review options."""
    options = {}
    for line in path.read_text().splitlines()[:3]:
        if line.startswith("# fixture:"):
            for pair in line.removeprefix("# fixture:").split():
                key, value = pair.split("=")
                if key == "min-confidence":
                    options["min_confidence"] = Level.parse(value)
    return options


@pytest.fixture
def review():
    return review_text
