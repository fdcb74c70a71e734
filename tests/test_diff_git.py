"""`secreview review --diff REV`: real git repositories; only what the change introduces is reported."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from diff_helpers import GIT_ENV, GitRepo, reported, run_cli
from secreview.inputs.changes import ChangeError, change_from_git

HELPERS = """\
import sys


def evaluate(expression):
    return eval(expression)


SETTING = eval(sys.argv[1])
"""


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/helpers.py", HELPERS)
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[2])\n")
    repo.commit("Add helpers")
    return repo


def review(repo, monkeypatch, *args, cwd=None):
    return run_cli(["review", *args, "-f", "json"], cwd or repo.root, monkeypatch)


def test_clean_change_reports_nothing_and_exits_0(repo, monkeypatch):
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert reported(result) == []


def test_added_file_is_reported(repo, monkeypatch):
    repo.write("app/loader.py", "import sys\nCONFIG = eval(sys.argv[1])\n")
    repo.commit("Add a loader")
    result = review(repo, monkeypatch, "--diff", "HEAD~1")
    assert result.exit_code == 1
    assert reported(result) == [("app/loader.py", 2, "eval-used")]


def test_modified_line_only_the_new_caller_is_reported(repo, monkeypatch):
    # An unchanged eval stays out of the report; the line the change adds is in it.
    repo.write("app/helpers.py", HELPERS + "\nOVERRIDE = eval(sys.argv[4])\n")
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert reported(result) == [("app/helpers.py", 10, "eval-used")]


def test_modifying_a_flagged_line_reports_it(repo, monkeypatch):
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[3])\n")
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert reported(result) == [("app/other.py", 2, "eval-used")]


def test_deleted_lines_and_files_contribute_nothing(repo, monkeypatch):
    repo.write("app/helpers.py", "import sys\n\n\ndef evaluate(expression):\n    return eval(expression)\n")
    (repo.root / "app/other.py").unlink()
    repo.commit("Remove the setting and the other module")
    result = review(repo, monkeypatch, "--diff", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert reported(result) == []
    monkeypatch.chdir(repo.root)
    assert change_from_git("HEAD~1", []).deleted == ["app/other.py"]


def test_renamed_file_maps_to_its_new_path(repo, monkeypatch):
    repo.git("mv", "app/other.py", "app/renamed.py")
    repo.commit("Rename only")
    assert reported(review(repo, monkeypatch, "--diff", "HEAD~1")) == []  # a pure rename adds nothing
    repo.write("app/renamed.py", "import sys\nVALUE = eval(sys.argv[2])\nMORE = eval(sys.argv[5])\n")
    repo.commit("Use more settings")
    result = review(repo, monkeypatch, "--diff", "HEAD~2")
    assert reported(result) == [("app/renamed.py", 3, "eval-used")]
    change = change_from_git("HEAD~2", [], repo.root)
    renamed = change.files[os.path.relpath(repo.root / "app/renamed.py")]
    assert renamed.status == "renamed" and renamed.old_path.endswith("app/other.py")


def test_comment_only_change_reports_nothing(repo, monkeypatch):
    changed = HELPERS.replace("def evaluate(expression):", "# Evaluates trusted expressions only.\ndef evaluate(expression):")
    changed = changed.replace("return eval(expression)", "return eval(expression)  # see the docs")
    changed = changed.replace('SETTING = eval(sys.argv[1])', 'SETTING = eval(sys.argv[1])  # noqa: S307\n# end')
    repo.write("app/helpers.py", changed)
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert reported(result) == []
    assert change_from_git("HEAD", [], repo.root).files[os.path.relpath(repo.root / "app/helpers.py")].lines == frozenset()


def test_hash_inside_a_string_is_not_a_comment(repo, monkeypatch):
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[2] + '# x')\n")
    repo.commit("Before")
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[2] + '# y')\n")
    assert reported(review(repo, monkeypatch, "--diff", "HEAD")) == [("app/other.py", 2, "eval-used")]


def test_untracked_file_counts_as_added(repo, monkeypatch):
    repo.write("app/scratch.py", "import sys\n\nRESULT = eval(sys.argv[1])\n")
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert reported(result) == [("app/scratch.py", 3, "eval-used")]


def test_paths_limit_the_change(repo, monkeypatch):
    repo.write("app/scratch.py", "import sys\nRESULT = eval(sys.argv[1])\n")
    repo.write("tools/run.py", "import sys\nRESULT = eval(sys.argv[1])\n")
    assert reported(review(repo, monkeypatch, "--diff", "HEAD", "tools")) == [("tools/run.py", 2, "eval-used")]


def test_run_from_a_subdirectory_shows_paths_from_there(repo, monkeypatch):
    repo.write("app/scratch.py", "import sys\nRESULT = eval(sys.argv[1])\n")
    result = review(repo, monkeypatch, "--diff", "HEAD", cwd=repo.root / "app")
    assert reported(result) == [("scratch.py", 2, "eval-used")]
    gerrit = run_cli(["review", "--diff", "HEAD", "-f", "gerrit"], repo.root / "app", monkeypatch)
    assert list(json.loads(gerrit.stdout)["robot_comments"]) == ["app/scratch.py"]  # repository paths


def test_commit_subjects_and_range_in_the_change(repo):
    repo.write("app/a.py", "A = 1\n")
    repo.commit("Add module a")
    repo.write("app/b.py", "import sys\nB = eval(sys.argv[1])\n")
    repo.commit("Add module b")
    change = change_from_git("HEAD~2", [], repo.root)
    assert [s.split(" ", 1)[1] for s in change.subjects] == ["Add module b", "Add module a"]
    base = repo.git("rev-parse", "--short=7", "HEAD~2").strip()
    head = repo.git("rev-parse", "--short=7", "HEAD").strip()
    assert change.title == f"HEAD~2 ({base})..HEAD ({head})"
    repo.write("app/c.py", "C = 3\n")
    assert change_from_git("HEAD~2", [], repo.root).title == f"HEAD~2 ({base})..working tree"


def test_unknown_revision_is_a_clear_error(repo, monkeypatch):
    result = review(repo, monkeypatch, "--diff", "no-such-branch")
    assert result.exit_code == 2
    assert "revision 'no-such-branch' does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_option_like_revision_is_refused(repo, monkeypatch, tmp_path):
    result = review(repo, monkeypatch, "--diff", f"--output={tmp_path / 'x'}")
    assert result.exit_code == 2 and "is not a revision" in result.stderr
    assert not (tmp_path / "x").exists()


def test_outside_a_git_repository_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "plain").mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run_cli(["review", "--diff", "HEAD"], tmp_path / "plain", monkeypatch)
    assert result.exit_code == 2 and "needs a git repository" in result.stderr


def test_shallow_clone_where_the_revision_exists(repo, tmp_path, monkeypatch):
    repo.write("app/a.py", "A = 1\n")
    repo.commit("Second")
    repo.write("app/b.py", "import sys\nB = eval(sys.argv[1])\n")
    repo.commit("Third")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    result = review(repo, monkeypatch, "--diff", "HEAD~1", cwd=clone)
    assert reported(result) == [("app/b.py", 2, "eval-used")]
    missing = review(repo, monkeypatch, "--diff", "HEAD~2", cwd=clone)
    assert missing.exit_code == 2 and "shallow clone" in missing.stderr


def test_change_error_from_the_api(repo):
    with pytest.raises(ChangeError, match="does not exist"):
        change_from_git("HEAD~5", [], repo.root)


UTILS = "def execute(command):\n    return eval(command)\n"
VIEWS = """\
from flask import Flask, request

from app.utils import execute

app = Flask(__name__)


@app.route("/run")
def run():
    execute("1 + 1")
    return "ok"
"""


@pytest.mark.parametrize("old_call", ['execute("1 + 1")', 'execute(request.args["old"])'])
def test_new_caller_of_an_existing_dangerous_helper_is_reported(tmp_path, monkeypatch, old_call):
    # Only views.py changes; the sink is on an unchanged line of utils.py. The flow's trace passes
    # through the new call, so it is reported -- also when an old caller already reaches the sink.
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/__init__.py", "")
    repo.write("app/utils.py", UTILS)
    repo.write("app/views.py", VIEWS.replace('execute("1 + 1")', old_call))
    repo.commit("Views and utils")
    repo.write("app/views.py", VIEWS.replace('execute("1 + 1")', f'{old_call}\n    execute(request.form["new"])'))
    result = run_cli(["review", "--diff", "HEAD", "-f", "json"], repo.root, monkeypatch)
    assert reported(result) == [("app/utils.py", 2, "eval-used")]
    trace = json.loads(result.stdout)["findings"][0]["trace"]
    assert ("app/views.py", 11) in {(step["path"], step["line"]) for step in trace}
    review = json.loads(run_cli(["review", "--diff", "HEAD", "-f", "github-review"], repo.root, monkeypatch).stdout)
    assert [(c["path"], c["line"]) for c in review["comments"]] == [("app/views.py", 11)]  # on the diff


@pytest.mark.parametrize("rev, advice", [
    ("HEAD~1..HEAD", "use --diff HEAD~1"),
    ("main..feature", "`git checkout feature`"),
    ("main...feature", "--diff $(git merge-base main feature)"),
])
def test_a_revision_range_is_refused_with_what_to_use_instead(repo, monkeypatch, rev, advice):
    result = review(repo, monkeypatch, "--diff", rev)
    assert result.exit_code == 2
    assert "takes one revision, not a range" in result.stderr and advice in result.stderr
    assert "does not exist" not in result.stderr


def test_the_text_report_names_the_change(repo, monkeypatch):
    repo.write("app/new.py", "import sys\nX = eval(sys.argv[3])\n")
    result = run_cli(["review", "--diff", "HEAD", "--no-cache"], repo.root, monkeypatch)
    first = result.stdout.splitlines()[0]
    assert first.startswith("change: HEAD (") and first.endswith("..working tree (2 changed lines in 1 file reviewed)")


def test_an_empty_change_says_nothing_was_reviewed(repo, monkeypatch):
    result = run_cli(["review", "--diff", "HEAD", "--no-cache"], repo.root, monkeypatch)
    assert result.exit_code == 0
    assert "note: The change is empty: it changes no file, so nothing was reviewed." in result.stdout


def test_a_name_that_is_not_utf8_in_the_change(repo, monkeypatch):
    name = os.fsdecode(b"app/r\xe9sum\xe9.py")
    (repo.root / name).write_text("import sys\nX = eval(sys.argv[3])\n")
    result = review(repo, monkeypatch, "--diff", "HEAD")
    assert result.exit_code == 1, result.output
    assert reported(result) == [("app/r\\xe9sum\\xe9.py", 2, "eval-used")]


def test_base_branch_that_moved_on_is_compared_from_the_merge_base(repo, monkeypatch):
    # main edits a flagged line after the branch point; the branch touches only app/helpers.py.
    # Against main's tip, the branch's (older) version of that line would look like a change of the
    # branch and be reported. From the merge-base, only the branch's own lines count.
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app/helpers.py", HELPERS + "\nOVERRIDE = eval(sys.argv[4])\n")
    repo.commit("Feature")
    repo.git("checkout", "-q", "main")
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[3])\n")
    repo.commit("Main moves on")
    repo.git("checkout", "-q", "feature")
    repo.write("app/extra.py", "import sys\nEXTRA = eval(sys.argv[7])\n")  # uncommitted, untracked: counts
    result = review(repo, monkeypatch, "--diff", "main")
    assert reported(result) == [("app/extra.py", 2, "eval-used"), ("app/helpers.py", 10, "eval-used")]
    document = json.loads(result.stdout)
    assert document["change"]["title"].startswith("merge-base of main and HEAD (")
    assert document["change"]["files"] == ["app/extra.py", "app/helpers.py"]


def test_ancestor_revision_is_compared_with_as_is(repo, monkeypatch):
    repo.write("app/other.py", "import sys\nVALUE = eval(sys.argv[2])\nLATER = eval(sys.argv[6])\n")
    repo.commit("Second")
    monkeypatch.chdir(repo.root)
    assert change_from_git("HEAD~1", []).title.startswith("HEAD~1 (")
