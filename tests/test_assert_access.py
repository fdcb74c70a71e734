"""assert-used: which asserts count as security checks (medium) and which stay low."""
from conftest import FIXTURES, review_text
from secreview.findings import Level


def test_ownership_and_role_asserts_are_medium_and_shape_asserts_low():
    fixture = FIXTURES / "rules" / "hardening_assert_access.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    medium = {f.line for f in result.findings if f.rule_id == "assert-used" and f.confidence == Level.MEDIUM}
    low = {f.line for f in result.findings if f.rule_id == "assert-used" and f.confidence == Level.LOW}
    assert medium == {14, 23, 24, 31, 33, 39, 48}
    assert low == {16, 32, 34, 40, 45, 47}  # (45, 47: only the types are checked)


def test_access_words_count_where_they_are_tested_and_a_credential_being_there_is_low():
    fixture = FIXTURES / "rules" / "hardening_assert_holders.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "assert-used"}
    assert confidence == {11: Level.LOW, 12: Level.LOW, 13: Level.LOW, 19: Level.LOW,
                          24: Level.MEDIUM, 25: Level.MEDIUM, 26: Level.MEDIUM}
