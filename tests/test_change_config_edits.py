"""Change review: a change that edits secreview's configuration so that it hides findings says so,
like a suppression comment it adds: a `per-path-ignores` entry (with the findings it silences), an
`exclude` glob (with the files it leaves out), rules turned off, levels raised; at the line of the
configuration, in every format, without failing the review. Edits that hide nothing new stay quiet.
Real git repositories in temporary folders."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from diff_helpers import GitRepo, run_cli

SCHEMA = json.loads((resources.files("secreview") / "data" / "report.schema.json").read_text(encoding="utf-8"))

FILES = """\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/f")
def f():
    name = request.args.get("f", "")
    return open(os.path.join("/srv", name)).read()
"""
SINK_LINE = 11

REPORTS = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/r")
def r():
    subprocess.run("report " + request.args["q"], shell=True)
    return eval(request.args["expr"])
"""

PYPROJECT = """\
[project]
name = "shop"

[tool.black]
line-length = 100

[tool.secreview]
min-confidence = "medium"
ignore = ["assert-used"]

[tool.secreview.per-path-ignores]
"tests/**" = [
    "eval-used",
]
"""


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("pyproject.toml", PYPROJECT)
    repo.write("app/__init__.py", "")
    repo.write("app/files.py", FILES)
    repo.write("app/reports.py", REPORTS)
    repo.write("legacy/old_files.py", FILES)
    repo.commit("Shop")
    return repo


def edit(repo: GitRepo, old: str, new: str) -> None:
    text = (repo.root / "pyproject.toml").read_text()
    assert text.count(old) == 1, old
    (repo.root / "pyproject.toml").write_text(text.replace(old, new))


def line_of(repo: GitRepo, needle: str) -> int:
    return next(i for i, line in enumerate((repo.root / "pyproject.toml").read_text().splitlines(), start=1) if needle in line)


def review(repo: GitRepo, monkeypatch, *args: str, fmt: str = "json"):
    return run_cli(["review", "--no-cache", "--diff", "HEAD", "-f", fmt, *args], repo.root, monkeypatch)


def notes(result) -> list[tuple[str, int, str]]:
    return [(n["path"], n["line"], n["message"]) for n in json.loads(result.stdout)["notices"]
            if n["kind"] == "config-suppression-added"]


# --- per-path-ignores ---------------------------------------------------------------------------------

def test_a_per_path_ignores_entry_the_change_adds_is_shown_with_what_it_silences(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    result = review(repo, monkeypatch)
    assert result.exit_code == 0, result.output  # (the author's call, as with a comment)
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["findings"] == []
    # The finding it silences is in unchanged code, and still listed with the suppressed ones.
    assert [(f["path"], f["line"], f["rule_id"], f["suppressed_by"]) for f in data["suppressed"]] == [
        ("app/files.py", SINK_LINE, "path-traversal", "config: per-path-ignores app/files.py")]
    [(path, line, message)] = notes(result)
    assert (path, line) == ("pyproject.toml", line_of(repo, '"app/files.py"'))
    assert message.startswith('this change adds `per-path-ignores` `"app/files.py" = ["path-traversal"]`, which silences '
                              "a high-severity finding: Path traversal (CWE-22, `path-traversal`, confidence high) "
                              f"at app/files.py:{SINK_LINE}")


def test_every_format_shows_the_note(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    line = line_of(repo, '"app/files.py"')
    assert f"pyproject.toml:{line}: note (config-suppression-added) this change adds" in review(repo, monkeypatch, fmt="text").stdout
    markdown = review(repo, monkeypatch, fmt="review").stdout
    assert "### Notes on suppressions" in markdown and "The change makes 1 edit of the configuration that hides" in markdown
    gerrit = json.loads(review(repo, monkeypatch, fmt="gerrit").stdout)
    [comment] = gerrit["robot_comments"]["pyproject.toml"]
    assert comment["line"] == line and comment["message"].startswith("**Configuration edit that hides findings**")
    github = json.loads(review(repo, monkeypatch, fmt="github-review").stdout)
    assert [(c["path"], c["line"]) for c in github["comments"]] == [("pyproject.toml", line)]
    assert f"::notice file=pyproject.toml,line={line},title=secreview%3A config-suppression-added::" in \
        review(repo, monkeypatch, fmt="github").stdout
    sarif = json.loads(review(repo, monkeypatch, fmt="sarif").stdout)
    notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["region"]["startLine"] for n in notifications
            if n["descriptor"]["id"] == "config-suppression-added"] == [line]


def test_a_rule_added_to_an_existing_entry_is_shown_at_its_line(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n    "eval-used",\n', '"app/**" = [\n    "eval-used",\n    "subprocess-shell-injection",\n')
    [(_, line, message)] = notes(review(repo, monkeypatch))
    assert line == line_of(repo, '"subprocess-shell-injection"')  # (the line the change wrote)
    assert "which silences 2 findings (2 high severity): " in message
    assert "at app/reports.py:10" in message and "at app/reports.py:11" in message


@pytest.mark.parametrize("on_disk", ["before", "after"])
def test_a_patch_that_adds_an_entry_is_reviewed_with_it_and_shows_it(repo, monkeypatch, on_disk):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    (repo.root / "change.diff").write_text(repo.git("diff"))
    line = line_of(repo, '"app/files.py"')
    if on_disk == "before":
        repo.git("checkout", "--", "pyproject.toml")  # (applied in memory: the configuration after it is used)
    result = run_cli(["review", "--no-cache", "--patch", "change.diff", "-f", "json"], repo.root, monkeypatch)
    data = json.loads(result.stdout)
    assert [f["suppressed_by"] for f in data["suppressed"]] == ["config: per-path-ignores app/files.py"]
    assert [(path, at) for path, at, _ in notes(result)] == [("pyproject.toml", line)]


def test_the_configuration_is_noted_when_the_review_is_limited_to_other_paths(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    assert len(notes(review(repo, monkeypatch, "app"))) == 1


# --- exclude, rules, levels ---------------------------------------------------------------------------

def test_an_exclude_glob_the_change_adds_names_the_files_it_leaves_out(repo, monkeypatch):
    edit(repo, 'min-confidence = "medium"\n', 'min-confidence = "medium"\nexclude = ["legacy/", "vendor/"]\n')
    result = review(repo, monkeypatch)
    assert "legacy/old_files.py" not in json.loads(result.stdout)["files"]
    # ("vendor/" leaves nothing out: no note of its own.)
    assert notes(result) == [("pyproject.toml", line_of(repo, "exclude"),
                              "this change adds the `exclude` glob `legacy/`, which leaves 1 Python file out of the "
                              "review (not analysed, so nothing in it is reported): legacy/old_files.py")]


def test_rules_turned_off_by_the_change_are_named(repo, monkeypatch):
    edit(repo, 'ignore = ["assert-used"]\n', 'ignore = ["assert-used", "B307", "path-traversal"]\n')
    [(_, line, message)] = notes(review(repo, monkeypatch))
    assert line == line_of(repo, "ignore =")
    assert message.startswith("this change turns off 2 rules (`ignore`), which no longer run anywhere")
    assert message.endswith("`eval-used`, `path-traversal`")


def test_raised_levels_are_named(repo, monkeypatch):
    edit(repo, 'min-confidence = "medium"\n', 'min-confidence = "high"\nfail-on = "high"\n')
    assert [message.split(":")[0] for _, _, message in notes(review(repo, monkeypatch))] == [
        "this change raises `min-confidence` from medium to high", "this change raises `fail-on` from low to high"]


# --- edits that hide nothing new stay quiet ----------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    # another tool's table
    ("line-length = 100\n", "line-length = 120\n"),
    # the same configuration written another way
    ('"tests/**" = [\n    "eval-used",\n]\n', "'tests/**' = [\"eval-used\"]\n"),
    # an entry whose glob matches no finding, a glob that excludes no file
    ('"tests/**" = [\n', '"docs/**" = ["path-traversal"]\n"tests/**" = [\n'),
    ('min-confidence = "medium"\n', 'min-confidence = "medium"\nexclude = ["build-tools/"]\n'),
    # levels lowered: more is shown, not less
    ('min-confidence = "medium"\n', 'min-confidence = "low"\nmin-severity = "low"\n'),
    # a rule already ignored, named again by its Bandit id
    ('ignore = ["assert-used"]\n', 'ignore = ["assert-used", "B101"]\n'),
])
def test_edits_that_hide_nothing_new_make_no_note(repo, monkeypatch, old, new):
    edit(repo, old, new)
    result = review(repo, monkeypatch)
    assert notes(result) == [] and json.loads(result.stdout)["suppressed"] == []


def test_an_entry_that_was_there_before_is_not_the_changes(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    repo.commit("Accept the file reader")
    edit(repo, "line-length = 100\n", "line-length = 120\n")
    (repo.root / "app/__init__.py").write_text('"""The shop."""\n')
    data = json.loads(review(repo, monkeypatch).stdout)
    assert data["notices"] == [] and data["suppressed"] == []


def test_a_whole_review_makes_no_such_note(repo, monkeypatch):
    edit(repo, '"tests/**" = [\n', '"app/files.py" = ["path-traversal"]\n"tests/**" = [\n')
    data = json.loads(run_cli(["review", "--no-cache", ".", "-f", "json"], repo.root, monkeypatch).stdout)
    assert data["notices"] == [] and len(data["suppressed"]) == 1


def test_a_patch_that_breaks_the_configuration_is_a_clear_error(repo, monkeypatch):
    edit(repo, 'min-confidence = "medium"\n', 'min-confidence = "sure"\n')
    (repo.root / "change.diff").write_text(repo.git("diff"))
    repo.git("checkout", "--", "pyproject.toml")  # (the configuration on disk is fine; the patch's is not)
    result = run_cli(["review", "--no-cache", "--patch", "change.diff"], repo.root, monkeypatch)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pyproject.toml (as the patch leaves it): [tool.secreview] min-confidence: expected one of low, medium, high" in result.stderr
