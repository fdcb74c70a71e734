"""`secreview review --patch FILE|-`: a unified diff against the files on disk."""
from __future__ import annotations

import json
import os

import pytest

from diff_helpers import GitRepo, reported, run_cli
from secreview.inputs.changes import ChangeError, change_from_patch

BEFORE = """\
import sys


def evaluate(expression):
    # trusted input only
    return eval(expression)
"""

AFTER = """\
import sys


def evaluate(expression):
    # trusted input only (callers check)
    return eval(expression)


OVERRIDE = eval(sys.argv[4])
"""


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("pkg/mod.py", BEFORE)
    repo.commit("Add mod")
    repo.write("pkg/mod.py", AFTER)
    return repo


def review_patch(repo, monkeypatch, patch: str | None, *args):
    name = "-" if patch is not None else "change.diff"
    return run_cli(["review", "--patch", name, *args, "-f", "json"], repo.root, monkeypatch, stdin=patch)


def test_patch_from_stdin_with_the_change_on_disk(repo, monkeypatch):
    result = review_patch(repo, monkeypatch, repo.git("diff"))
    assert result.exit_code == 1, result.output
    assert reported(result) == [("pkg/mod.py", 9, "eval-used")]


def test_patch_applied_in_memory_when_the_disk_has_the_old_files(repo, monkeypatch):
    (repo.root / "change.diff").write_text(repo.git("diff"))
    repo.git("checkout", "--", "pkg/mod.py")
    result = review_patch(repo, monkeypatch, None)
    assert reported(result) == [("pkg/mod.py", 9, "eval-used")]
    assert (repo.root / "pkg/mod.py").read_text() == BEFORE  # the disk is never written


def test_format_patch_with_a_new_file(repo, monkeypatch):
    repo.commit("Change mod")
    repo.write("pkg/new.py", "import sys\nX = eval(sys.argv[1])\n")
    repo.commit("Add a new module\n\nWith a body.")
    patch = repo.git("format-patch", "-1", "--stdout")
    assert patch.startswith("From ") and "Subject: [PATCH] Add a new module" in patch
    # Only the new file is in that commit, so only its finding is reported.
    assert reported(review_patch(repo, monkeypatch, patch)) == [("pkg/new.py", 2, "eval-used")]
    # The same patch before it is applied: the new file exists only in memory.
    repo.git("reset", "-q", "--hard", "HEAD~1")
    assert not (repo.root / "pkg/new.py").exists()
    assert reported(review_patch(repo, monkeypatch, patch)) == [("pkg/new.py", 2, "eval-used")]


def test_patch_that_does_not_match_names_file_and_hunk(repo, monkeypatch):
    patch = repo.git("diff")
    repo.write("pkg/mod.py", AFTER.replace("return eval(expression)", "return evaluate_safely(expression)"))
    result = review_patch(repo, monkeypatch, patch)
    assert result.exit_code == 2
    assert "pkg/mod.py: hunk 1 (@@ -" in result.stderr and "expects line 6 to read" in result.stderr
    assert "Traceback" not in result.output


def test_patch_for_a_missing_file(repo, monkeypatch):
    patch = repo.git("diff").replace("pkg/mod.py", "pkg/gone.py")
    result = review_patch(repo, monkeypatch, patch)
    assert result.exit_code == 2 and "pkg/gone.py: no such file" in result.stderr


@pytest.mark.parametrize("text", ["", "just some text\n"])
def test_input_that_is_not_a_diff(repo, monkeypatch, text):
    result = review_patch(repo, monkeypatch, text)
    assert result.exit_code == 2 and "no file changes found" in result.stderr


def test_missing_patch_file(repo, monkeypatch):
    result = run_cli(["review", "--patch", "nope.diff"], repo.root, monkeypatch)
    assert result.exit_code == 2 and "nope.diff: patch file not found" in result.stderr


def test_diff_and_patch_together_are_refused(repo, monkeypatch):
    result = run_cli(["review", "--patch", "-", "--diff", "HEAD"], repo.root, monkeypatch, stdin="")
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_plain_diff_without_git_prefixes(tmp_path):
    (tmp_path / "m.py").write_text("import sys\nA = eval(sys.argv[1])\nB = eval(sys.argv[2])\n")
    patch = "--- m.py.orig\t2024-01-01\n+++ m.py\t2024-01-02\n@@ -1,2 +1,3 @@\n import sys\n A = eval(sys.argv[1])\n+B = eval(sys.argv[2])\n"
    change = change_from_patch(patch, "test", tmp_path)
    assert change.files["m.py"].lines == frozenset({3})


def test_several_patches_to_one_file_that_do_not_chain_are_refused(tmp_path):
    (tmp_path / "m.py").write_text("a = 1\n")
    one = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n"  # (twice: the second cannot follow the first)
    with pytest.raises(ChangeError, match="m.py is changed by 2 patches of series, and the file on disk is neither"):
        change_from_patch(one + one, "series", tmp_path)


# --- line endings, quoted names, patches with nothing to review ---------------------------------------

def test_a_patch_with_crlf_line_endings_is_reviewed(repo, monkeypatch):
    crlf = repo.git("diff").replace("\n", "\r\n")
    result = review_patch(repo, monkeypatch, crlf)
    assert result.exit_code == 1, result.output
    assert reported(result) == [("pkg/mod.py", 9, "eval-used")]


def test_a_crlf_patch_without_the_diff_git_line_is_reviewed(repo, monkeypatch):
    plain = "".join(line for line in repo.git("diff").splitlines(keepends=True)
                    if not line.startswith(("diff --git", "index ")))
    (repo.root / "change.diff").write_bytes(plain.replace("\n", "\r\n").encode())
    result = review_patch(repo, monkeypatch, None)
    assert reported(result) == [("pkg/mod.py", 9, "eval-used")]


def test_git_quoted_names_are_unquoted(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("my app/café.py", BEFORE)
    repo.write("my app/r\\x.py", BEFORE)
    repo.commit("Add")
    repo.write("my app/café.py", AFTER)
    repo.write("my app/r\\x.py", AFTER)
    patch = repo.git("-c", "core.quotePath=true", "diff")
    assert '"b/my app/caf\\303\\251.py"' in patch and '"b/my app/r\\\\x.py"' in patch  # git's C quoting
    result = review_patch(repo, monkeypatch, patch)
    assert reported(result) == [("my app/café.py", 9, "eval-used"), ("my app/r\\x.py", 9, "eval-used")]


def test_a_name_that_is_not_utf8_in_a_quoted_patch(tmp_path, monkeypatch):
    from secreview.inputs.changes import unquote_path

    assert unquote_path('"b/r\\351sum\\351.py"') == os.fsdecode(b"b/r\xe9sum\xe9.py")
    assert unquote_path('"a/tab\\there \\"q\\".py"') == 'a/tab\there "q".py'
    assert unquote_path("b/plain.py") == "b/plain.py"


@pytest.mark.parametrize("fmt", ["text", "json", "review", "sarif"])
def test_a_patch_that_touches_no_python_file_says_so(repo, monkeypatch, fmt):
    repo.git("checkout", "--", "pkg/mod.py")
    repo.write("README.md", "new\n")
    patch = "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new\n"
    result = run_cli(["review", "--patch", "-", "-f", fmt], repo.root, monkeypatch, stdin=patch)
    assert result.exit_code == 0, result.output  # nothing to review is not an error (a docs-only change)
    assert "touches 1 file (README.md), which is not a Python file that was reviewed" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "review", "json", "sarif", "gerrit", "github", "github-review"])
def test_a_patch_file_named_in_latin1_is_named_escaped_in_every_format(repo, monkeypatch, fmt):
    name = os.fsdecode(b"fix-\xe9t\xe9.diff")
    (repo.root / name).write_text(repo.git("diff"))
    result = run_cli(["review", "--patch", name, "-f", fmt, "--no-cache"], repo.root, monkeypatch)
    assert result.exit_code == 1, result.output
    text = result.stdout_bytes.decode("utf-8")  # strict: valid UTF-8 whatever the name
    assert "fix-\\xe9t\\xe9.diff" in text.replace("\\\\", "\\")


def test_a_repository_root_relative_patch_from_a_subdirectory(repo, monkeypatch):
    # `git diff` in a subdirectory writes paths from the repository top ("pkg/mod.py"); reviewed
    # from pkg/, the file is found under the top and shown relative to the current directory,
    # while the tool formats still name it from the top.
    repo.write("pkg/new.py", "import sys\nNEW = eval(sys.argv[1])\n")
    repo.git("add", "-N", "pkg/new.py")
    text = repo.git("diff", cwd=repo.root / "pkg")
    assert "b/pkg/mod.py" in text
    result = run_cli(["review", "--patch", "-", "-f", "json", "."], repo.root / "pkg", monkeypatch, stdin=text)
    assert reported(result) == [("mod.py", 9, "eval-used"), ("new.py", 2, "eval-used")], result.output
    review = run_cli(["review", "--patch", "-", "-f", "github-review", "."], repo.root / "pkg", monkeypatch, stdin=text)
    assert sorted(c["path"] for c in json.loads(review.stdout)["comments"]) == ["pkg/mod.py", "pkg/new.py"]


def test_a_directory_relative_patch_from_a_subdirectory_names_files_from_the_top(repo, monkeypatch):
    text = repo.git("diff", "--relative", cwd=repo.root / "pkg")
    assert "b/mod.py" in text
    result = run_cli(["review", "--patch", "-", "-f", "github-review", "."], repo.root / "pkg", monkeypatch, stdin=text)
    assert [c["path"] for c in json.loads(result.stdout)["comments"]] == ["pkg/mod.py"]
