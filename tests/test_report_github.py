"""``--format github`` (workflow commands) and ``--format github-review`` (pull-request review)."""
from __future__ import annotations

import json
import re

import jsonschema

from diff_helpers import GitRepo, run_cli
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, Level
from secreview.report import formatters
from secreview.report.github import escape_data, escape_property

# GitHub REST "Create a review for a pull request" body; additionalProperties=false catches typos.
REVIEW_COMMENT = {
    "type": "object",
    "required": ["path", "body", "line", "side"],
    "properties": {
        "path": {"type": "string", "pattern": "^[^/.]"},
        "body": {"type": "string", "minLength": 1},
        "line": {"type": "integer", "minimum": 1},
        "side": {"enum": ["LEFT", "RIGHT"]},
        "start_line": {"type": "integer", "minimum": 1},
        "start_side": {"enum": ["LEFT", "RIGHT"]},
        "position": {"type": "integer"},
    },
    "dependentRequired": {"start_line": ["start_side"]},
    "additionalProperties": False,
}
PULL_REQUEST_REVIEW = {
    "type": "object",
    "required": ["body", "event", "comments"],
    "properties": {
        "commit_id": {"type": "string"},
        "body": {"type": "string"},
        "event": {"enum": ["APPROVE", "REQUEST_CHANGES", "COMMENT"]},
        "comments": {"type": "array", "items": REVIEW_COMMENT},
    },
    "additionalProperties": False,
}
# Workflow command: ::NAME key=value,key=value::MESSAGE (one line; data escaped).
COMMAND = re.compile(r"^::(?P<name>error|warning|notice) (?P<props>[^:]*)::(?P<message>[^\r\n]*)$")
PROPERTIES = {"file", "line", "endLine", "col", "endColumn", "title"}


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in output.splitlines():
        if line.startswith("::"):
            match = COMMAND.match(line)
            assert match, line
            props = dict(item.split("=", 1) for item in match["props"].split(","))
            assert set(props) <= PROPERTIES and "file" in props, props
            assert all("," not in v and ":" not in v for v in props.values())
            commands.append((match["name"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])))
    return commands


def tricky_finding(**changes) -> Finding:
    values = dict(
        rule_id="eval-used", title="Eval: 100%, really", cwe=95, severity=Level.HIGH, confidence=Level.HIGH,
        path="pkg/a,b.py", line=3, col=4, end_line=3, end_col=12, message="50% of\r\nlines: bad",
        solution="Fix it, now.", code="eval(x)", fingerprint="0" * 32,
    )
    values.update(changes)
    return Finding(**values)


def test_escaping_rules():
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_workflow_commands_round_trip():
    result = ReviewResult(
        findings=[tricky_finding(), tricky_finding(severity=Level.MEDIUM, line=5, end_line=8),
                  tricky_finding(severity=Level.LOW, line=9, end_line=9)],
        diagnostics=[Diagnostic("pkg/bad.py", "syntax-error", "invalid syntax", 2)],
    )
    commands = parse_commands(formatters()["github"](result))
    assert [name for name, _, _ in commands] == ["error", "warning", "notice", "error"]
    name, props, message = commands[0]
    assert props == {"file": "pkg/a,b.py", "line": "3", "col": "5", "endColumn": "13",
                     "title": "Eval: 100%, really (CWE-95, eval-used)"}
    assert message.startswith("50% of\r\nlines: bad") and "Fix: Fix it, now." in message
    assert commands[1][1]["endLine"] == "8" and "col" not in commands[1][1]
    assert commands[3][1] == {"file": "pkg/bad.py", "line": "2", "title": "secreview: not reviewed (syntax-error)"}


def test_pull_request_review_fields():
    result = ReviewResult(findings=[tricky_finding(), tricky_finding(line=5, end_line=8)], files=["pkg/a,b.py"])
    document = json.loads(formatters()["github-review"](result))
    jsonschema.validate(document, PULL_REQUEST_REVIEW)
    assert document["event"] == "COMMENT"
    single, multi = document["comments"]
    assert (single["line"], single["side"], "start_line" in single) == (3, "RIGHT", False)
    assert (multi["start_line"], multi["start_side"], multi["line"], multi["side"]) == (5, "RIGHT", 8, "RIGHT")
    assert "Fix it, now." in single["body"] and "50% of" in single["body"]


def test_github_formats_on_a_real_change(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("lib/mod.py", "import sys\nA = eval(sys.argv[1])\n")
    repo.commit("Start")
    repo.write("lib/mod.py", "import sys\nA = eval(sys.argv[1])\nB = eval(\n    sys.argv[2]\n)\n")
    repo.commit("Evaluate B")
    review = run_cli(["review", "--diff", "HEAD~1", "-f", "github-review"], repo.root / "lib", monkeypatch)
    document = json.loads(review.stdout)
    jsonschema.validate(document, PULL_REQUEST_REVIEW)
    [comment] = document["comments"]
    assert (comment["path"], comment["start_line"], comment["line"]) == ("lib/mod.py", 3, 5)
    assert "Evaluate B" in document["body"] and "3 changed lines in 1 file reviewed" in document["body"]
    annotations = run_cli(["review", "--diff", "HEAD~1", "-f", "github"], repo.root / "lib", monkeypatch)
    assert annotations.exit_code == 1
    [(name, props, _)] = parse_commands(annotations.stdout)
    assert (name, props["file"], props["line"], props["endLine"]) == ("error", "lib/mod.py", "3", "5")


def test_clean_review_says_so(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("mod.py", "A = 1\n")
    repo.commit("Start")
    repo.write("mod.py", "A = 2  # changed\n")
    document = json.loads(run_cli(["review", "--diff", "HEAD", "-f", "github-review"], repo.root, monkeypatch).stdout)
    jsonschema.validate(document, PULL_REQUEST_REVIEW)
    assert document["comments"] == [] and "No security defects are detected in the changed code." in document["body"]
