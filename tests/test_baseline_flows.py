"""Baselines record the flows into an accepted sink, not only the sink: a flow from a source the
baseline did not record (a new caller, a new request field in the sink's function, a second caller
written the same way) is reported again, whatever its confidence; the flows recorded stay accepted
when code moves. Old (version 1) baselines keep working. Each case has its near miss."""
from __future__ import annotations

import json

import pytest

from diff_helpers import GitRepo, reported, run_cli

BACKUP = """\
import os
import shlex
import sys


def run_backup(dest):
    os.system("rsync -a /var/lib/shop/ " + dest)


if __name__ == "__main__":
    run_backup(sys.argv[1])
"""
SINK = ("app/backup.py", 7, "shell-command-injection")

PING = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    subprocess.run("ping -c 1 " + host, shell=True)
    return "ok"
"""
PING_SINK = ("app/ping.py", 11, "subprocess-shell-injection")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/__init__.py", "")
    repo.write("app/backup.py", BACKUP)
    repo.write("app/ping.py", PING)
    repo.commit("Backup script, ping view")
    # (Written and used at one --min-confidence, as baselines are: at a lower one, the findings and
    # flows below the first are not in it.)
    result = review(repo, monkeypatch, "--write-baseline", "bl.json", "--min-confidence", "low")
    assert [f for f in reported(result) if f[2] != "process-partial-path"] == sorted([SINK, PING_SINK]), result.output
    repo.commit("Baseline")
    return repo


def review(repo: GitRepo, monkeypatch, *args: str):
    return run_cli(["review", "--no-cache", ".", "-f", "json", *args], repo.root, monkeypatch)


def with_baseline(repo: GitRepo, monkeypatch, *args: str):
    return review(repo, monkeypatch, "--baseline", "bl.json", *args)


def findings(result) -> list[dict]:
    """The injection findings reported (the fixtures' partial-path ones are beside the point)."""
    return [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] != "process-partial-path"]


def test_the_baseline_records_where_each_flow_starts(repo):
    entries = {e["rule_id"]: e for e in json.loads((repo.root / "bl.json").read_text())["findings"]}
    # The script's argument and (below the reported confidence, but a flow all the same) the public
    # function's parameter; no line number is part of a source's id.
    assert [(s["path"], s["line"], s["code"]) for s in entries["shell-command-injection"]["sources"]] == [
        ("app/backup.py", 6, "def run_backup(dest):"), ("app/backup.py", 11, "run_backup(sys.argv[1])")]
    assert [s["line"] for s in entries["subprocess-shell-injection"]["sources"]] == [10]
    assert all(len(s["id"]) == 16 for e in entries.values() for s in e["sources"])


# --- a new flow into an accepted sink is reported ----------------------------------------------------

def test_a_new_caller_from_a_source_as_confident_is_reported(repo, monkeypatch):
    repo.write("app/restore.py", "import sys\n\nfrom app.backup import run_backup\n\n\ndef main():\n    run_backup(sys.argv[2])\n")
    result = with_baseline(repo, monkeypatch)
    assert result.exit_code == 1
    [finding] = findings(result)
    assert (finding["path"], finding["line"], finding["rule_id"], finding["cwe"]) == (*SINK[:2], SINK[2], 78)
    assert finding["confidence"] == "medium"
    assert "a flow it did not record reaches it now, from `run_backup(sys.argv[2])` (app/restore.py:7)" in finding["message"]


def test_a_new_caller_from_a_less_confident_source_is_reported_at_its_confidence(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/__init__.py", "")
    repo.write("app/backup.py", BACKUP.replace("    run_backup(sys.argv[1])\n", "    pass\n"))
    repo.write("app/views.py", "from flask import Flask, request\n\nfrom app.backup import run_backup\n\n"
                               "app = Flask(__name__)\n\n\n@app.route('/b', methods=['POST'])\ndef backup():\n"
                               "    run_backup(request.form['dest'])\n    return 'ok'\n")
    assert [f["confidence"] for f in findings(review(repo, monkeypatch, "--write-baseline", "bl.json"))] == ["high"]
    # The command line (medium) now reaches the sink the web (high) reached: not a stronger
    # source, but a flow the baseline did not accept.
    (repo.root / "app/backup.py").write_text(BACKUP)
    [finding] = findings(with_baseline(repo, monkeypatch))
    assert (finding["line"], finding["confidence"]) == (7, "medium")
    assert "from `run_backup(sys.argv[1])` (app/backup.py:11); the evidence shows an older flow" in finding["message"]


def test_a_new_source_in_the_sinks_own_function_is_reported(repo, monkeypatch):
    text = (repo.root / "app/ping.py").read_text()
    (repo.root / "app/ping.py").write_text(text.replace(
        '    host = request.args.get("host", "")\n',
        '    host = request.args.get("host", "")\n    host += " -W " + request.args.get("wait", "1")\n'))
    [finding] = findings(with_baseline(repo, monkeypatch))
    assert (finding["path"], finding["line"], finding["rule_id"], finding["confidence"]) == ("app/ping.py", 12, PING_SINK[2], "high")
    assert '`host += " -W " + request.args.get("wait", "1")` (app/ping.py:11)' in finding["message"]


def test_a_second_caller_written_like_the_first_is_a_new_flow(repo, monkeypatch):
    # Same code, so the same source id: the baseline accepted one such line, not two.
    text = (repo.root / "app/backup.py").read_text()
    (repo.root / "app/backup.py").write_text(text + "\n\ndef again():\n    run_backup(sys.argv[1])\n")
    [finding] = findings(with_baseline(repo, monkeypatch))
    assert (finding["line"], finding["confidence"]) == (7, "medium")
    assert "(app/backup.py:15)" in finding["message"]


def test_a_new_flow_below_the_reported_confidence_is_held_back_like_any(repo, monkeypatch):
    # A public function handing its own parameter to the sink: a low-confidence flow, reported
    # (against the baseline too) only with --min-confidence low.
    repo.write("app/nightly.py", "from app.backup import run_backup\n\n\ndef nightly(target):\n    run_backup(target)\n")
    result = with_baseline(repo, monkeypatch)
    assert result.exit_code == 0 and findings(result) == []
    [finding] = findings(with_baseline(repo, monkeypatch, "--min-confidence", "low"))
    assert (finding["line"], finding["confidence"]) == (7, "low")
    assert "(app/nightly.py:4)" in finding["message"]


def test_a_change_review_with_a_baseline_reports_the_new_flow_too(repo, monkeypatch):
    repo.write("app/restore.py", "import sys\n\nfrom app.backup import run_backup\n\n\ndef main():\n    run_backup(sys.argv[2])\n")
    result = run_cli(["review", "--no-cache", "--diff", "HEAD", "-f", "json", "--baseline", "bl.json"], repo.root, monkeypatch)
    assert reported(result) == [SINK]


# --- the flows recorded stay accepted ----------------------------------------------------------------

def test_recorded_flows_stay_accepted_when_code_moves(repo, monkeypatch):
    for path, added in (("app/backup.py", "import logging\n\nLOG = logging.getLogger(__name__)\n"),
                        ("app/ping.py", '"""Ping a host."""\n')):
        (repo.root / path).write_text(added + (repo.root / path).read_text().replace("\n\n\n", "\n\n\n# moved down\n\n\n"))
    result = with_baseline(repo, monkeypatch, "--min-confidence", "low")
    assert result.exit_code == 0 and findings(result) == [], result.output
    assert json.loads(result.stdout)["summary"]["suppressed"] == 4  # (with the partial paths of rsync and ping)


@pytest.mark.parametrize("caller", [
    "    run_backup('/mnt/backup')\n",  # a constant: no flow
    "    run_backup(shlex.quote(sys.argv[2]))\n",  # quoted for the shell: proven safe for CWE-78
])
def test_a_new_caller_that_brings_no_untrusted_flow_is_accepted(repo, monkeypatch, caller):
    text = (repo.root / "app/backup.py").read_text()
    (repo.root / "app/backup.py").write_text(text + "\n\ndef scheduled():\n" + caller)
    result = with_baseline(repo, monkeypatch, "--min-confidence", "low")
    assert result.exit_code == 0 and findings(result) == [], result.output


def test_a_flow_removed_leaves_the_rest_accepted(repo, monkeypatch):
    text = (repo.root / "app/backup.py").read_text()
    (repo.root / "app/backup.py").write_text(text.replace("    run_backup(sys.argv[1])\n", "    run_backup('/mnt/backup')\n"))
    result = with_baseline(repo, monkeypatch, "--min-confidence", "low")
    assert result.exit_code == 0 and findings(result) == []


def test_a_cached_parallel_review_records_the_same_sources(repo, monkeypatch):
    args = ["review", ".", "-f", "json", "-j", "2", "--min-confidence", "low"]
    cached = run_cli([*args, "--write-baseline", "cached.json"], repo.root, monkeypatch)
    assert cached.exit_code == 0
    again = run_cli([*args, "--baseline", "cached.json"], repo.root, monkeypatch)
    assert findings(again) == []  # (from the cache this time)
    written = [e["sources"] for e in json.loads((repo.root / "cached.json").read_text())["findings"]]
    assert written == [e["sources"] for e in json.loads((repo.root / "bl.json").read_text())["findings"]]


# --- old and unknown baseline files ------------------------------------------------------------------

def test_a_version_1_baseline_accepts_any_flow_into_its_sinks_and_says_so(repo, monkeypatch):
    document = json.loads((repo.root / "bl.json").read_text())
    document["version"] = 1
    for entry in document["findings"]:
        del entry["sources"]
    (repo.root / "bl.json").write_text(json.dumps(document))
    repo.write("app/restore.py", "import sys\n\nfrom app.backup import run_backup\n\n\ndef main():\n    run_backup(sys.argv[2])\n")
    result = with_baseline(repo, monkeypatch)
    assert result.exit_code == 0 and findings(result) == []
    assert "bl.json is a version 1 baseline, which does not record where the flows into its sinks start" in result.stderr


@pytest.mark.parametrize("version, message", [
    (3, "baseline version 3 is not supported: this secreview reads versions 1, 2 (written by a later secreview? upgrade this one)"),
    ("2", "baseline version '2' is not supported: this secreview reads versions 1, 2; or write it again"),
])
def test_an_unknown_baseline_version_is_a_clear_error(repo, monkeypatch, version, message):
    document = json.loads((repo.root / "bl.json").read_text())
    document["version"] = version
    (repo.root / "bl.json").write_text(json.dumps(document))
    result = with_baseline(repo, monkeypatch)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_malformed_sources_are_a_clear_error(repo, monkeypatch):
    document = json.loads((repo.root / "bl.json").read_text())
    document["findings"][0]["sources"] = ["app/backup.py:11"]
    (repo.root / "bl.json").write_text(json.dumps(document))
    result = with_baseline(repo, monkeypatch)
    assert result.exit_code == 2 and '"sources" of finding' in result.stderr and "an \"id\" string" in result.stderr
