"""Confidence of the findings that precision fixes lowered rather than silenced (the fixture files
assert which lines fire; here: how sure each one is)."""
import pytest

from conftest import FIXTURES, review_text
from secreview.findings import Level

RULES = FIXTURES / "rules"

CASES = [
    # (fixture, text on the line, rule id, confidence)
    ("secrets_names_and_kinds.py", '_SPLIT_TOKEN = "partition"', "hardcoded-secret", Level.LOW),
    ("secrets_names_and_kinds.py", 'FLASK_SECRET_KEY = "mysecretkey"', "hardcoded-secret", Level.MEDIUM),
    ("secrets_names_and_kinds.py", 'return password == "swordfish"', "hardcoded-password", Level.HIGH),
    ("secrets_names_and_kinds.py", 'return token == "@fullline9Zq"', "hardcoded-secret", Level.HIGH),
    ("archives_checked_members.py", "bundle.extract(entry, base)  # expect", "tarfile-unsafe-extraction", Level.LOW),
    ("archives_checked_members.py", 'raise ValueError("escapes")', "tarfile-unsafe-extraction", Level.MEDIUM),
    ("templates_parse_only.py", "def rule_predicate", "jinja2-autoescape-off", Level.LOW),
    ("hardening_assert_roles.py", 'assert role in ("reducer"', "assert-used", Level.LOW),
    ("hardening_assert_roles.py", 'assert role in ("viewer"', "assert-used", Level.MEDIUM),
    ("hardening_assert_roles.py", 'assert node.role == "leader"', "assert-used", Level.LOW),
    ("hardening_assert_roles.py", 'assert request.user.role == "pipeline"', "assert-used", Level.MEDIUM),
    ("tempfiles_private_dirs.py", "os.makedirs(where, mode=0o700", "hardcoded-temp-path", Level.LOW),
    ("tempfiles_private_dirs.py", "os.makedirs(where, 0o755", "hardcoded-temp-path", Level.MEDIUM),
]


@pytest.mark.parametrize("fixture, text, rule_id, confidence", CASES, ids=lambda v: str(v)[:30])
def test_confidence_of_lowered_findings(fixture, text, rule_id, confidence):
    path = RULES / fixture
    source = path.read_text()
    lines = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    assert len(lines) == 1, f"{text!r} must be on exactly one line of {fixture}"
    line = lines[0] + 1 if text.startswith(("def ", "raise ")) else lines[0]  # (the finding is on the next line)
    found = [f for f in review_text(source, path=fixture).findings if f.line == line and f.rule_id == rule_id]
    assert [f.confidence for f in found] == [confidence]


def test_swallowed_file_probe_is_low_and_a_permission_check_medium():
    source = (RULES / "exceptions_file_probes.py").read_text()
    by_line = {f.line: f for f in review_text(source, path="probes.py").findings if f.rule_id == "exception-swallowed"}
    probe, permission, chmod = sorted(by_line)
    assert by_line[probe].confidence is Level.LOW and "security-related" not in by_line[probe].message
    assert by_line[permission].confidence is Level.MEDIUM
    assert by_line[chmod].confidence is Level.MEDIUM


def test_update_password_option_and_lexer_token_are_silent_at_default_confidence():
    code = '''
class Sync:
    def __init__(self, password, update_password="on_create"):
        self.password, self.update_password = password, update_password

    def due(self):
        return self.update_password == "always"


def lex(chunk):
    token = "word" if chunk.isalpha() else "sign"
    if token == "#bygroup":
        token = "group"
    return token


KINDS = {"new_credentials": "NewCredentials"}
'''
    assert review_text(code, path="sync.py", min_confidence=Level.MEDIUM).findings == []
