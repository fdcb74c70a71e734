"""exception-swallowed: the confidence follows whether a session is a login session."""
from conftest import FIXTURES, review_text
from secreview.findings import Level


def test_database_and_client_sessions_are_low_and_login_sessions_medium():
    fixture = FIXTURES / "rules" / "exceptions_sessions.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "exception-swallowed"}
    assert confidence == {8: Level.LOW, 15: Level.LOW, 22: Level.LOW, 29: Level.MEDIUM, 36: Level.MEDIUM}


def test_swallowed_exceptions_are_medium_only_where_the_guarded_code_is_about_security():
    fixture = FIXTURES / "rules" / "exceptions_swallowed_guarded.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "exception-swallowed"}
    medium = {line for line, level in confidence.items() if level is Level.MEDIUM}
    low = {line for line, level in confidence.items() if level is Level.LOW}
    assert medium == {13, 20, 27, 35}
    assert low == {45, 53, 61, 68, 77, 86, 94}
