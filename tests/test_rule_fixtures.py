"""Every fixture file under fixtures/rules: the findings are exactly the `# expect:` lines.

Lines marked `# safe:` are near-misses; exact equality asserts they stay silent. An expected line
marked `also-of=N` is a sink the finding at line N lists (one unchecked value reaching several
calls: secreview/root_causes.py); every other is a finding of its own.
"""
from pathlib import Path

import pytest

from conftest import FIXTURES, also_of, expectations, grouped_sinks, review_text
from secreview.root_causes import every_sink
from secreview.rules import all_rules

RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.py"))
# Data-flow fixtures (tests/test_flow_fixtures.py) also count as a rule's firing fixture and near misses.
ALL_FIXTURES = RULE_FIXTURES + sorted((FIXTURES / "flows").glob("*.py")) + sorted((FIXTURES / "projects").rglob("*.py"))


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_fixture_findings_match_expectations(fixture: Path):
    result = review_text(fixture.read_text(), path=fixture.name)
    assert not result.diagnostics, result.diagnostics
    found = {(f.line, f.rule_id, f.cwe) for f in every_sink(result.findings)}
    assert found == expectations(fixture)
    grouped = {(line, rule_id, cwe): primary for (_, line, rule_id, cwe), primary in grouped_sinks(result.findings).items()}
    assert grouped == also_of(fixture)


def test_every_rule_has_a_firing_fixture_and_a_near_miss():
    fired: set[str] = set()
    near_miss: set[str] = set()
    for fixture in ALL_FIXTURES:
        rules_here = {rule_id for _, rule_id, _ in expectations(fixture)}
        fired |= rules_here
        if "# safe:" in fixture.read_text():
            near_miss |= rules_here
    registry = all_rules()
    assert sorted(set(registry) - fired) == [], "rules without a fixture that fires"
    assert sorted(set(registry) - near_miss) == [], "rules whose fixture file has no near-miss"
