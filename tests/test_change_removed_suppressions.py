"""Change review: a change that removes (or narrows) the suppression comment of a finding brings the
finding back, though it edits only a comment: the change review reports it, says why, and comments on
the edited line. A comment edit that leaves the finding silenced, or that silenced nothing of it,
stays quiet. Real git repositories in temporary folders."""
from __future__ import annotations

import json

import pytest

from diff_helpers import GitRepo, reported, run_cli

FILES = """\
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/f")
def f():
    name = request.args.get("f", "")
    return open(os.path.join("/srv", name)).read()  # nosec reviewed in SHOP-12


@app.route("/g")
def g():
    name = request.args.get("g", "")
    subprocess.run(
        "grep " + name + " /srv/index",  # TODO: quote it
        shell=True,
    )  # secreview: ignore[subprocess-shell-injection] reviewed in SHOP-13
    return open(os.path.join("/srv", name)).read()  # nosec B602 -- not this finding's
"""
OPEN_F, RUN_G, OPEN_G = 12, 18, 22


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app.py", FILES)
    repo.commit("Files")
    return repo


def edit(repo: GitRepo, old: str, new: str) -> None:
    text = (repo.root / "app.py").read_text()
    assert text.count(old) == 1, old
    (repo.root / "app.py").write_text(text.replace(old, new))


def review(repo: GitRepo, monkeypatch, *args: str):
    return run_cli(["review", "--no-cache", "--diff", "HEAD", *args], repo.root, monkeypatch)


def test_the_whole_review_reports_the_finding_the_last_comment_does_not_cover(repo, monkeypatch):
    # (The premise: `nosec B602` does not cover path traversal, so /g's open is reported already.)
    result = run_cli(["review", "--no-cache", ".", "-f", "json"], repo.root, monkeypatch)
    assert reported(result) == [("app.py", OPEN_G, "path-traversal")]


@pytest.mark.parametrize("old, new", [
    ("  # nosec reviewed in SHOP-12\n", "\n"),  # removed
    ("  # nosec reviewed in SHOP-12\n", "  # secreview: ignore[eval-used] wrong rule\n"),  # narrowed to another rule
])
def test_a_suppression_comment_removed_brings_its_finding_back(repo, monkeypatch, old, new):
    edit(repo, old, new)
    result = review(repo, monkeypatch, "-f", "json")
    assert result.exit_code == 1
    assert reported(result) == [("app.py", OPEN_F, "path-traversal")]
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["message"].endswith("(This change removes the suppression comment `# nosec reviewed in SHOP-12` that silenced it.)")
    assert json.loads(result.stdout)["change"]["changed_lines"] == 0  # (a comment edit, all the same)


def test_the_same_with_a_patch_and_the_old_file_on_disk(repo, monkeypatch):
    edit(repo, "  # nosec reviewed in SHOP-12\n", "\n")
    (repo.root / "change.diff").write_text(repo.git("diff"))
    repo.git("checkout", "--", "app.py")
    result = run_cli(["review", "--no-cache", "--patch", "change.diff", "-f", "json"], repo.root, monkeypatch)
    assert reported(result) == [("app.py", OPEN_F, "path-traversal")]


def test_a_comment_removed_from_the_last_line_of_a_statement_is_commented_on_there(repo, monkeypatch):
    edit(repo, "  # secreview: ignore[subprocess-shell-injection] reviewed in SHOP-13\n", "\n")
    result = review(repo, monkeypatch, "-f", "json")
    assert reported(result) == [("app.py", RUN_G, "subprocess-shell-injection")]
    comments = json.loads(review(repo, monkeypatch, "-f", "github-review").stdout)["comments"]
    assert [(c["path"], c["line"], "start_line" in c) for c in comments] == [("app.py", RUN_G + 3, False)]


@pytest.mark.parametrize("old, new", [
    # the comment reworded: it still silences the finding
    ("  # nosec reviewed in SHOP-12\n", "  # nosec reviewed again in SHOP-40\n"),
    # a comment that is no suppression removed from a suppressed statement: still suppressed
    ("  # TODO: quote it\n", "\n"),
    # a suppression that did not cover the line's finding (a Bandit id of another check), reworded
    # or removed: the finding was reported before the change too
    ("  # nosec B602 -- not this finding's\n", "  # nosec B602 -- reworded\n"),
    ("  # nosec B602 -- not this finding's\n", "\n"),
])
def test_comment_edits_that_bring_nothing_back_stay_quiet(repo, monkeypatch, old, new):
    edit(repo, old, new)
    result = review(repo, monkeypatch, "-f", "json")
    assert result.exit_code == 0 and reported(result) == [], result.output
    assert json.loads(result.stdout)["change"]["findings_outside"] == 1  # (/g's open, reported as before)
