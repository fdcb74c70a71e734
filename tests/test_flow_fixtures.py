"""Data-flow fixtures: tests/fixtures/flows/*.py (one file each) and tests/fixtures/projects/*/
(several files reviewed together, for calls across modules).

At the default confidence (medium, or the one a `# fixture: min-confidence=...` line on the first
lines of a file sets, for its project), the findings must be exactly the `# expect:` lines; an
expectation with `trace=a,b,c` also fixes the evidence lines (in order; across files they are the
lines in the order the data travels). An expectation with `also-of=N` (or `also-of=file.py:N`) is a
sink that the finding at line N lists (one unchecked value reaching several calls:
secreview/root_causes.py); every other expected line is a finding of its own."""
from pathlib import Path

import pytest

from conftest import FIXTURES, also_of, expectations_with_traces, fixture_options, grouped_sinks
from secreview.root_causes import every_sink
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.inputs.files import discover
from secreview.findings import Level

FLOW_FIXTURES = sorted((FIXTURES / "flows").glob("*.py"))
PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def check(result, files: list[Path]):
    assert not result.diagnostics, result.diagnostics
    expected, expected_groups = {}, {}
    for file in files:
        for line, rule_id, cwe, trace in expectations_with_traces(file):
            expected[(file.name, line, rule_id, cwe)] = trace
        expected_groups.update({(file.name, *sink): primary for sink, primary in also_of(file).items()})
    found = {(Path(f.path).name, f.line, f.rule_id, f.cwe): f for f in every_sink(result.findings)}
    assert set(found) == set(expected), "\n".join(f"{k}: {v.message}" for k, v in found.items())
    assert grouped_sinks(result.findings) == expected_groups
    for key, trace in expected.items():
        if trace is not None:
            assert tuple(step.line for step in found[key].trace) == trace, found[key].trace


@pytest.mark.parametrize("fixture", FLOW_FIXTURES, ids=lambda p: p.stem)
def test_flow_fixture(fixture: Path):
    options = {"min_confidence": Level.MEDIUM, **fixture_options(fixture)}
    from conftest import review_text

    check(review_text(fixture.read_text(), path=fixture.name, **options), [fixture])


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_fixture(project: Path, monkeypatch):
    monkeypatch.chdir(project.parent)
    sources, diagnostics = discover([project.name])
    options = {"min_confidence": Level.MEDIUM}
    for file in sorted(project.rglob("*.py")):  # (``# fixture: ...`` in one of its files: the project's options)
        options.update(fixture_options(file))
    result = Reviewer(Config(**options)).review(sources, diagnostics)
    check(result, sorted(project.rglob("*.py")))
