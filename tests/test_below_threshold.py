"""Findings below --min-confidence/--min-severity are not listed but counted, so that a clean
review never reads as "nothing there" when something was seen (a pasted method building SQL from
its parameter is a low-confidence flow: its callers are unknown)."""
from __future__ import annotations

import json

from diff_helpers import GitRepo, run_cli

from secreview.result import ReviewResult
from secreview.findings import Finding, Level

# A pasted method: ``user_id`` is a parameter, possible input only (low confidence).
PARAMETER_SQL = '''\
def get_user(conn, user_id):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE id = %s" % user_id)
    return cur.fetchone()
'''


def test_clean_review_counts_the_low_confidence_finding_it_left_out(tmp_path, monkeypatch):
    result = run_cli(["review", "-", "-f", "review", "--no-cache"], tmp_path, monkeypatch, stdin=PARAMETER_SQL)
    assert result.exit_code == 0
    assert "No security defects are detected in the code at the reported confidence and severity." in result.stdout
    assert "No security defects are detected in the code.\n" not in result.stdout
    assert ("1 finding of lower confidence or severity than reported was left out"
            " (lower `--min-confidence` or `--min-severity` to see it).") in result.stdout


def test_lowering_the_threshold_lists_it_and_nothing_is_left_out(tmp_path, monkeypatch):
    result = run_cli(["review", "-", "-f", "json", "--no-cache", "--min-confidence", "low"], tmp_path, monkeypatch,
                     stdin=PARAMETER_SQL)
    document = json.loads(result.stdout)
    assert [(f["line"], f["rule_id"], f["cwe"]) for f in document["findings"]] == [(3, "sql-injection", 89)]
    assert document["summary"]["below_threshold"] == 0


def test_json_and_text_count_it(tmp_path, monkeypatch):
    as_json = run_cli(["review", "-", "-f", "json", "--no-cache"], tmp_path, monkeypatch, stdin=PARAMETER_SQL)
    assert json.loads(as_json.stdout)["summary"]["below_threshold"] == 1
    as_text = run_cli(["review", "-", "-f", "text", "--no-cache"], tmp_path, monkeypatch, stdin=PARAMETER_SQL)
    assert "1 below the reported confidence or severity" in as_text.stdout


def test_a_constant_query_leaves_nothing_out(tmp_path, monkeypatch):
    constant = PARAMETER_SQL.replace('"SELECT * FROM users WHERE id = %s" % user_id',
                                     '"SELECT * FROM users WHERE id = %s", (user_id,)')
    result = run_cli(["review", "-", "-f", "review", "--no-cache"], tmp_path, monkeypatch, stdin=constant)
    assert "No security defects are detected in the code.\n" in result.stdout
    assert "left out" not in result.stdout


def test_min_severity_counts_what_it_hides(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("import requests\n\nrequests.get('https://example.com/api')\n")
    shown = run_cli(["review", "app.py", "-f", "json", "--no-cache"], tmp_path, monkeypatch)
    timeouts = [f for f in json.loads(shown.stdout)["findings"] if f["rule_id"] == "request-without-timeout"]
    assert [(f["line"], f["severity"]) for f in timeouts] == [(3, "medium")]
    hidden = run_cli(["review", "app.py", "-f", "json", "--no-cache", "--min-severity", "high"], tmp_path, monkeypatch)
    document = json.loads(hidden.stdout)
    assert document["findings"] == []
    assert document["summary"]["below_threshold"] == len(json.loads(shown.stdout)["findings"])


def _finding(rule_id: str, line: int, confidence: Level = Level.MEDIUM) -> Finding:
    return Finding(rule_id=rule_id, title="t", cwe=78, severity=Level.HIGH, confidence=confidence, path="a.py",
                   line=line, col=4, end_line=line, end_col=9, message="m", solution="s", code="x")


def test_a_place_is_counted_once_and_not_where_a_finding_is_listed():
    result = ReviewResult(findings=[_finding("shell", 3)])
    result.below_threshold = [("shell", "a.py", 3, 4),   # the same rule and place as a listed finding
                              ("eval", "a.py", 7, 4), ("eval", "a.py", 7, 4),   # twice (a flow and a pattern hit)
                              ("shell", "a.py", 9, 4)]
    result.finalize()
    assert result.below_threshold == [("eval", "a.py", 7, 4), ("shell", "a.py", 9, 4)]


def test_a_change_review_counts_only_those_on_changed_lines(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("db.py", PARAMETER_SQL)
    repo.commit("Start")
    repo.write("db.py", PARAMETER_SQL + "\n\ndef count(conn):\n    return conn.cursor().execute('SELECT 1')\n")
    unchanged = run_cli(["review", "--diff", "HEAD", "-f", "json", "--no-cache"], repo.root, monkeypatch)
    assert json.loads(unchanged.stdout)["summary"]["below_threshold"] == 0
    repo.write("db.py", PARAMETER_SQL.replace("id = %s", "uid = %s"))
    changed = run_cli(["review", "--diff", "HEAD", "-f", "json", "--no-cache"], repo.root, monkeypatch)
    assert json.loads(changed.stdout)["summary"]["below_threshold"] == 1
