"""exception-swallowed: the confidence follows whether a session is a login session."""
from conftest import FIXTURES, review_text
from secreview.findings import Level


def test_database_and_client_sessions_are_low_and_login_sessions_medium():
    fixture = FIXTURES / "rules" / "exceptions_sessions.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "exception-swallowed"}
    assert confidence == {8: Level.LOW, 15: Level.LOW, 22: Level.LOW, 29: Level.MEDIUM, 36: Level.MEDIUM}
