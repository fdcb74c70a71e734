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
    config = Config(min_confidence=Level.LOW, **config_values)
    return Reviewer(config).review([SourceFile(path, data=code.encode())])


def expectations(path: Path) -> set[tuple[int, str, int]]:
    """(line, rule id, cwe) from ``# expect: rule-id CWE-N; other-id CWE-M`` comments."""
    expected = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for item in match.group("items").split(";"):
                rule_id, cwe = item.split()
                expected.add((number, rule_id, int(cwe.removeprefix("CWE-"))))
    return expected


@pytest.fixture
def review():
    return review_text
