"""Baselines: recorded findings stay accepted when code moves or other lines change."""
from __future__ import annotations

import json

import pytest

from diff_helpers import reported, run_cli

ORIGINAL = """\
import sys


def load(expression):
    return eval(expression)


def run(source):
    exec(source)


CONFIG = eval(sys.argv[1])
"""

# The same findings after unrelated edits: lines inserted above, code reformatted around them,
# functions reordered, the flagged lines themselves re-indented the same way.
SHIFTED = """\
\"\"\"A docstring added at the top.\"\"\"
import logging
import sys

LOG = logging.getLogger(__name__)


def run(source):
    LOG.debug("running")
    exec(source)


def load(expression):
    # a comment added
    return   eval(expression)


CONFIG = eval(sys.argv[1])
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "mod.py").write_text(ORIGINAL)
    return tmp_path


def review(project, monkeypatch, *args):
    return run_cli(["review", "mod.py", "-f", "json", "--min-confidence", "low", *args], project, monkeypatch)


def test_write_baseline_records_findings_and_exits_0(project, monkeypatch):
    result = review(project, monkeypatch, "--write-baseline", "baseline.json")
    assert result.exit_code == 0
    assert "recorded 3 findings in baseline.json" in result.stderr
    document = json.loads((project / "baseline.json").read_text())
    assert document["version"] == 2
    assert [(e["rule_id"], e["line"]) for e in document["findings"]] == [("eval-used", 5), ("exec-used", 9), ("eval-used", 12)]
    assert all(len(e["fingerprint"]) == 32 for e in document["findings"])


def test_baseline_survives_line_shifts_and_edits_elsewhere(project, monkeypatch):
    review(project, monkeypatch, "--write-baseline", "baseline.json")
    (project / "mod.py").write_text(SHIFTED)
    assert len(reported(review(project, monkeypatch))) == 3  # all three are still there...
    result = review(project, monkeypatch, "--baseline", "baseline.json")
    assert result.exit_code == 0, result.output
    assert reported(result) == []  # ...and none is resurrected
    assert json.loads(result.stdout)["summary"]["suppressed"] == 3


def test_a_new_finding_is_reported_despite_the_baseline(project, monkeypatch):
    review(project, monkeypatch, "--write-baseline", "baseline.json")
    (project / "mod.py").write_text(SHIFTED + "\nEXTRA = eval(sys.argv[2])\n")
    result = review(project, monkeypatch, "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert reported(result) == [("mod.py", 20, "eval-used")]


def test_a_second_identical_statement_is_new(project, monkeypatch):
    review(project, monkeypatch, "--write-baseline", "baseline.json")
    (project / "mod.py").write_text(ORIGINAL + "\nCONFIG = eval(sys.argv[1])\n")
    result = review(project, monkeypatch, "--baseline", "baseline.json")
    assert [line for _, line, _ in reported(result)] == [14]  # occurrence index 1: not in the baseline


def test_baseline_is_read_before_it_is_rewritten(project, monkeypatch):
    review(project, monkeypatch, "--write-baseline", "baseline.json")
    (project / "mod.py").write_text(ORIGINAL + "\nEXTRA = eval(sys.argv[2])\n")
    result = review(project, monkeypatch, "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert reported(result) == [("mod.py", 14, "eval-used")]
    assert len(json.loads((project / "baseline.json").read_text())["findings"]) == 4


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ("{not json", "invalid JSON"),
    ("[]", "expected a JSON object with a \"version\" field"),
    ('{"version": 99, "findings": []}', "baseline version 99 is not supported"),
    ('{"version": 1, "findings": [{"rule_id": "x"}]}', "\"findings\" must be a list of objects"),
])
def test_bad_baseline_files_are_clear_errors(project, monkeypatch, content, message):
    if content is not None:
        (project / "baseline.json").write_text(content)
    result = review(project, monkeypatch, "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert f"baseline.json: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
