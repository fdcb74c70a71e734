"""Change review of a flow through a helper: a sanitizer removed (or a check weakened) inside a
function the untrusted value goes through is a defect the change introduces, though no line of the
view changed. Real git repositories; ``--diff`` and ``--patch``, and near misses."""
from __future__ import annotations

import json

import pytest

from diff_helpers import GitRepo, reported, run_cli

CLEAN = """\
import re
import shlex

from .util import quote_arg

HOST = re.compile(r"[a-z0-9.-]+")


def clean_host(h):
    return shlex.quote(h)


def quoted_host(h):
    h = shlex.quote(h)
    return h


def checked_host(h):
    if not HOST.fullmatch(h):
        raise ValueError("bad host")
    return h


def two_hops(h):
    return quote_arg(h)


class Cleaner:
    def host(self, h):
        return shlex.quote(h)


def unrelated(value):
    return value.upper()
"""

UTIL = """\
import shlex


def quote_arg(value):
    return shlex.quote(value)
"""

NET = """\
import os
from flask import Flask, request
from .clean import Cleaner, checked_host, clean_host, quoted_host, two_hops
app = Flask(__name__)


@app.route("/direct")
def direct():
    host = clean_host(request.args["host"])
    os.system("ping -c 1 " + host)
    return "ok"


@app.route("/quoted")
def quoted():
    host = quoted_host(request.args["host"])
    os.system("ping -c 2 " + host)
    return "ok"


@app.route("/checked")
def checked():
    host = checked_host(request.args["host"])
    os.system("ping -c 3 " + host)
    return "ok"


@app.route("/hops")
def hops():
    host = two_hops(request.args["host"])
    os.system("ping -c 4 " + host)
    return "ok"


@app.route("/method")
def method():
    host = Cleaner().host(request.args["host"])
    os.system("ping -c 5 " + host)
    return "ok"


@app.route("/local")
def local():
    host = request.args["host"]
    host = clean_host(host)
    os.system("ping -c 6 " + host)
    return "ok"
"""

SINK = "shell-command-injection"


def sink_line(number: int) -> tuple[str, int, str]:
    """The finding at the ``ping -c {number}`` sink of NET."""
    line = next(i for i, text in enumerate(NET.splitlines(), start=1) if f'"ping -c {number} "' in text)
    return ("svc/net.py", line, SINK)


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("svc/__init__.py", "")
    repo.write("svc/clean.py", CLEAN)
    repo.write("svc/util.py", UTIL)
    repo.write("svc/net.py", NET)
    repo.commit("Ping service")
    return repo


def edit(repo, path: str, old: str, new: str) -> None:
    text = (repo.root / path).read_text()
    assert text.count(old) == 1, old
    (repo.root / path).write_text(text.replace(old, new))


def review_diff(repo, monkeypatch):
    return run_cli(["review", "--diff", "HEAD", "--no-cache", "-f", "json"], repo.root, monkeypatch)


def review_patch(repo, monkeypatch, *, applied: bool):
    """``--patch`` with the change on disk (applied) or with the old files on disk (the patch is
    applied in memory)."""
    (repo.root / "change.diff").write_text(repo.git("diff"))
    if not applied:
        repo.git("checkout", "--", ".")
    return run_cli(["review", "--patch", "change.diff", "--no-cache", "-f", "json"], repo.root, monkeypatch)


def test_nothing_changed_nothing_reported(repo, monkeypatch):
    result = review_diff(repo, monkeypatch)
    assert result.exit_code == 0, result.output
    assert reported(result) == []


# (path, the code before, after, the sinks whose value loses its protection)
WEAKENED = {
    "sanitizer-replaced": ("svc/clean.py", "    return shlex.quote(h)\n\n\ndef quoted", "    return h.strip()\n\n\ndef quoted", (1, 6)),
    "sanitizer-line-deleted": ("svc/clean.py", "    h = shlex.quote(h)\n", "", (2,)),
    "check-weakened": ("svc/clean.py", "    if not HOST.fullmatch(h):", "    if not h:", (3,)),
    "two-hops-away": ("svc/util.py", "return shlex.quote(value)", "return value", (4,)),
    "method": ("svc/clean.py", "        return shlex.quote(h)", "        return h", (5,)),
}


@pytest.mark.parametrize("name", WEAKENED)
def test_protection_removed_inside_a_helper_is_reported_with_diff(repo, monkeypatch, name):
    path, old, new, sinks = WEAKENED[name]
    edit(repo, path, old, new)
    result = review_diff(repo, monkeypatch)
    assert reported(result) == [sink_line(sink) for sink in sinks], result.output
    # The helper's own steps are in the evidence, in the file that changed.
    trace = json.loads(result.stdout)["findings"][0]["trace"]
    assert any(step["path"] == path for step in trace), trace


@pytest.mark.parametrize("applied", [True, False], ids=["change-on-disk", "applied-in-memory"])
@pytest.mark.parametrize("name", ["sanitizer-replaced", "sanitizer-line-deleted", "check-weakened"])
def test_protection_removed_inside_a_helper_is_reported_with_patch(repo, monkeypatch, name, applied):
    path, old, new, sinks = WEAKENED[name]
    edit(repo, path, old, new)
    result = review_patch(repo, monkeypatch, applied=applied)
    assert reported(result) == [sink_line(sink) for sink in sinks], result.output


def test_the_reported_trace_goes_through_the_helper_in_order(repo, monkeypatch):
    edit(repo, "svc/clean.py", "    return shlex.quote(h)\n\n\ndef quoted", "    return h.strip()\n\n\ndef quoted")
    trace = json.loads(review_diff(repo, monkeypatch).stdout)["findings"][0]["trace"]
    assert [(step["path"], step["line"]) for step in trace] == [
        ("svc/net.py", 9), ("svc/clean.py", 9), ("svc/clean.py", 10), ("svc/net.py", 10)]
    assert trace[2]["note"] == "returned from `clean_host()`"


def test_sanitizer_deleted_in_the_view_itself_is_reported(repo, monkeypatch):
    # A removal leaves no changed line; the flow goes over it between two of its steps.
    edit(repo, "svc/net.py", "    host = clean_host(host)\n", "")
    path, line, rule = sink_line(6)
    assert reported(review_diff(repo, monkeypatch)) == [(path, line - 1, rule)]


def test_github_review_comment_lands_on_the_diff(repo, monkeypatch):
    edit(repo, "svc/clean.py", "    h = shlex.quote(h)\n", "")
    result = run_cli(["review", "--diff", "HEAD", "--no-cache", "-f", "github-review"], repo.root, monkeypatch)
    comments = json.loads(result.stdout)["comments"]
    # The line that the removed sanitizer sat just before: `return h` of quoted_host().
    assert [(c["path"], c["line"]) for c in comments] == [("svc/clean.py", 14)]
    assert "svc/net.py:17" in comments[0]["body"]


@pytest.fixture
def unsafe_repo(repo):
    """The helper already lets the value through: its finding is pre-existing."""
    edit(repo, "svc/clean.py", "    return shlex.quote(h)\n\n\ndef quoted", "    return h\n\n\ndef quoted")
    repo.commit("Stop quoting")
    return repo


# Edits that do not introduce the existing finding: no edit between two steps of its flow.
NEAR_MISSES = {
    "comment-in-the-helper": ("def clean_host(h):\n", "def clean_host(h):\n    # hosts come from the form\n"),
    "docstring-in-the-helper": ("def clean_host(h):\n", 'def clean_host(h):\n    """The host, ready for a shell."""\n'),
    "other-function-of-the-file": ("    return value.upper()", "    return value.lower()"),
    "new-function-in-the-file": ("class Cleaner:", "def more(value):\n    return value * 2\n\n\nclass Cleaner:"),
    "import-of-the-file": ("import re\n", "import re\nimport os\n"),
}


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_edit_beside_the_flow_does_not_report_the_old_finding(unsafe_repo, monkeypatch, name):
    old, new = NEAR_MISSES[name]
    edit(unsafe_repo, "svc/clean.py", old, new)
    for result in (review_diff(unsafe_repo, monkeypatch), review_patch(unsafe_repo, monkeypatch, applied=True)):
        assert reported(result) == [], result.output
        assert json.loads(result.stdout)["change"]["findings_outside"] >= 1  # it is there, counted


def test_other_view_changed_does_not_report_the_old_finding(unsafe_repo, monkeypatch):
    edit(unsafe_repo, "svc/net.py", '"ping -c 4 "', '"ping -c 40 "')  # (a view whose value is quoted)
    result = review_diff(unsafe_repo, monkeypatch)
    assert reported(result) == []
    assert json.loads(result.stdout)["change"]["findings_outside"] == 2  # /direct and /local
