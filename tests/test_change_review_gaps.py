"""Change review: a check removed before a same-file helper, baselines and stronger sources,
suppression comments a change adds, unused suppression comments, and patch series that change one
file several times. Real git repositories in temporary folders; each test has its near miss."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from diff_helpers import GitRepo, reported, run_cli
from secreview.inputs.changes import change_from_patch

SCHEMA = json.loads((resources.files("secreview") / "data" / "report.schema.json").read_text(encoding="utf-8"))

MEDIA = """\
import os
import re

from flask import Blueprint, abort, request, send_file

bp = Blueprint("media", __name__)
MEDIA_DIR = "/srv/media"
_NAME = re.compile(r"^[a-z0-9_-]+\\.(png|jpg)$")


def _lookup(name):
    return os.path.join(MEDIA_DIR, name)


@bp.route("/media")
def media():
    name = request.args.get("n", "")
    if not _NAME.match(name):
        abort(400)
    path = _lookup(name)
    return send_file(path)


@bp.route("/thumb")
def thumb():
    name = request.args.get("n", "")
    path = _lookup(name)
    return send_file(path)
"""
CHECK = "    if not _NAME.match(name):\n        abort(400)\n"


def edit(repo: GitRepo, path: str, old: str, new: str) -> None:
    text = (repo.root / path).read_text()
    assert text.count(old) == 1, old
    (repo.root / path).write_text(text.replace(old, new))


def line_of(text: str, needle: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line and i > after)


def review(repo: GitRepo, monkeypatch, *args: str):
    return run_cli(["review", "--no-cache", *args], repo.root, monkeypatch)


def document(result) -> dict:
    return json.loads(result.stdout)


# --- 2. a check removed between the source and a same-file helper ------------------------------------

@pytest.fixture
def media_repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/__init__.py", "")
    repo.write("app/media.py", MEDIA)
    repo.commit("Media views")
    return repo


def media_sink() -> tuple[str, int, str]:
    return ("app/media.py", line_of(MEDIA, "return send_file(path)"), "path-traversal")


def test_check_removed_before_a_same_file_helper_is_reported(media_repo, monkeypatch):
    edit(media_repo, "app/media.py", CHECK, "")
    sink = ("app/media.py", media_sink()[1] - 2, "path-traversal")  # (two lines removed above it)
    result = review(media_repo, monkeypatch, "--diff", "HEAD", "-f", "json")
    assert reported(result) == [sink], result.output
    (media_repo.root / "change.diff").write_text(media_repo.git("diff"))
    result = review(media_repo, monkeypatch, "--patch", "change.diff", "-f", "json")
    assert reported(result) == [sink], result.output
    # The review comment sits where the check was (the line after the removal).
    comments = document(review(media_repo, monkeypatch, "--diff", "HEAD", "-f", "github-review"))["comments"]
    assert [(c["path"], c["line"]) for c in comments] == [("app/media.py", line_of(MEDIA, "path = _lookup(name)") - 2)]


@pytest.mark.parametrize("old, new", [
    # the other view (already unchecked) is edited after its sink, and the check stays
    ("    path = _lookup(name)\n    return send_file(path)\n\n\n@bp.route(\"/thumb\")",
     "    path = _lookup(name)\n    return send_file(path)\n\n\n@bp.route(\"/thumb\", methods=[\"GET\"])"),
    # a module constant added
    ("MEDIA_DIR = \"/srv/media\"\n", "MEDIA_DIR = \"/srv/media\"\nTHUMBS = 4\n"),
])
def test_edits_off_the_unchecked_flow_do_not_report_it(media_repo, monkeypatch, old, new):
    edit(media_repo, "app/media.py", old, new)
    result = review(media_repo, monkeypatch, "--diff", "HEAD", "-f", "json")
    assert reported(result) == [], result.output
    assert document(result)["change"]["findings_outside"] == 1  # /thumb's: there, not the change's


# --- 3. a baseline does not hide a stronger source reaching an accepted sink ------------------------

BACKUP = """\
import os
import sys


def run_backup(dest):
    os.system("rsync -a /var/lib/shop/ " + dest)


if __name__ == "__main__":
    run_backup(sys.argv[1])
"""

VIEW = """\
from flask import Flask, request

from app.backup import run_backup

app = Flask(__name__)


@app.route("/backup", methods=["POST"])
def backup():
    run_backup(request.form["dest"])
    return "ok"
"""


@pytest.fixture
def backup_repo(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/__init__.py", "")
    repo.write("app/backup.py", BACKUP)
    repo.commit("Backup script")
    result = review(repo, monkeypatch, ".", "--write-baseline", "bl.json", "-f", "json")
    assert reported(result) == [("app/backup.py", 6, "shell-command-injection")]
    repo.commit("Baseline")
    return repo


def test_baselined_sink_reached_from_the_web_is_reported_again(backup_repo, monkeypatch):
    assert json.loads((backup_repo.root / "bl.json").read_text())["findings"][0]["confidence"] == "medium"
    backup_repo.write("app/views.py", VIEW)
    for args in ((".",), ("--diff", "HEAD")):
        result = review(backup_repo, monkeypatch, *args, "--baseline", "bl.json", "-f", "json")
        assert result.exit_code == 1
        [finding] = document(result)["findings"]
        assert (finding["path"], finding["line"], finding["confidence"]) == ("app/backup.py", 6, "high")
        assert "accepted it with confidence medium" in finding["message"]


def test_baselined_sink_stays_accepted_while_its_source_is_the_same(backup_repo, monkeypatch):
    edit(backup_repo, "app/backup.py", "import os\n", "import os  # shell tools\nimport shutil\n")
    result = review(backup_repo, monkeypatch, ".", "--baseline", "bl.json", "-f", "json")
    assert result.exit_code == 0 and reported(result) == []
    assert [f["suppressed_by"] for f in document(result)["suppressed"]] == ["baseline bl.json"]


def test_a_baseline_without_confidences_still_accepts_its_findings(backup_repo, monkeypatch):
    baseline = json.loads((backup_repo.root / "bl.json").read_text())
    baseline["version"] = 1  # (as written by earlier versions: no confidence, no sources)
    for entry in baseline["findings"]:
        del entry["confidence"], entry["sources"]
    (backup_repo.root / "bl.json").write_text(json.dumps(baseline))
    backup_repo.write("app/views.py", VIEW)
    result = review(backup_repo, monkeypatch, ".", "--baseline", "bl.json", "-f", "json")
    assert reported(result) == []
    assert "bl.json is a version 1 baseline" in result.stderr and "write it again with --write-baseline" in result.stderr


def test_a_bad_confidence_in_a_baseline_is_a_clear_error(backup_repo, monkeypatch):
    baseline = json.loads((backup_repo.root / "bl.json").read_text())
    baseline["findings"][0]["confidence"] = "sure"
    (backup_repo.root / "bl.json").write_text(json.dumps(baseline))
    result = review(backup_repo, monkeypatch, ".", "--baseline", "bl.json")
    assert result.exit_code == 2 and "must be low, medium or high" in result.stderr


# --- 4. suppression comments a change adds ----------------------------------------------------------

FILES = """\
import os

from flask import Flask, request

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.route("/legacy")
def legacy():
    name = request.args.get("f", "")
    return open(os.path.join(UPLOAD_DIR, name)).read()


@app.route("/old")
def old():
    name = request.args.get("f", "")
    return open(os.path.join(UPLOAD_DIR, name)).read()  # nosec tracked in SHOP-12
"""
LEGACY_SINK = line_of(FILES, "return open(")
OLD_SINK = line_of(FILES, "return open(", LEGACY_SINK)


@pytest.fixture
def files_repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("app.py", FILES)
    repo.commit("Files")
    return repo


def silence_legacy(repo: GitRepo) -> None:
    line = "    return open(os.path.join(UPLOAD_DIR, name)).read()\n\n\n@app.route(\"/old\")"
    edit(repo, "app.py", line, line.replace(".read()\n", ".read()  # nosec\n", 1))


def test_a_suppression_added_by_the_change_is_shown_in_every_format(files_repo, monkeypatch):
    silence_legacy(files_repo)
    result = review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "json")
    assert result.exit_code == 0  # (a suppression is the author's call; the reviewer sees it)
    data = document(result)
    assert data["findings"] == []
    assert [(f["line"], f["rule_id"]) for f in data["suppressed"]] == [(LEGACY_SINK, "path-traversal")]
    [note] = data["notices"]
    assert (note["kind"], note["path"], note["line"]) == ("suppression-added", "app.py", LEGACY_SINK)
    assert "silences a high-severity finding" in note["message"] and "Path traversal" in note["message"]
    jsonschema.validate(data, SCHEMA)

    text = review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "text").stdout
    assert f"app.py:{LEGACY_SINK}: note (suppression-added)" in text
    markdown = review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "review").stdout
    assert "### Notes on suppressions" in markdown and "The change adds 1 suppression comment" in markdown
    gerrit = document(review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "gerrit"))
    assert [c["line"] for c in gerrit["robot_comments"]["app.py"]] == [LEGACY_SINK]
    assert "silences" in gerrit["message"]
    github = document(review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "github-review"))
    assert [(c["path"], c["line"]) for c in github["comments"]] == [("app.py", LEGACY_SINK)]
    annotations = review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "github").stdout
    assert f"::notice file=app.py,line={LEGACY_SINK},title=secreview%3A suppression-added::" in annotations
    sarif = document(review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "sarif", "--show-suppressed"))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["suppression-added"]
    assert [r["suppressions"][0]["kind"] for r in sarif["runs"][0]["results"]] == ["inSource"]


def test_a_suppression_added_is_shown_with_patch_too(files_repo, monkeypatch):
    silence_legacy(files_repo)
    (files_repo.root / "change.diff").write_text(files_repo.git("diff"))
    files_repo.git("checkout", "--", ".")  # (the old file on disk: the patch is applied in memory)
    data = document(review(files_repo, monkeypatch, "--patch", "change.diff", "-f", "json"))
    assert [(n["kind"], n["line"]) for n in data["notices"]] == [("suppression-added", LEGACY_SINK)]


def test_an_old_suppression_is_not_blamed_on_a_change_elsewhere(files_repo, monkeypatch):
    edit(files_repo, "app.py", 'UPLOAD_DIR = "/srv/uploads"\n', 'UPLOAD_DIR = "/srv/uploads"\nMAX = 10\n')
    data = document(review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "json"))
    assert data["notices"] == [] and data["suppressed"] == []
    assert data["change"]["findings_outside"] == 1  # /legacy


# --- 5. unused suppression comments -----------------------------------------------------------------

UNUSED = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/n")
def n():
    name = request.args.get("n", "")  # nosec B108 -- validated below
    size = len(name)  # nosec not secreview's: Bandit's blanket form
    name = name.strip()  # nosec eval-used -- a secreview rule id, so judged
    name = name.lower()  # secreview: ignore -- every rule
    subprocess.run(  # nosec B602 reviewed
        "ls " + name,
        shell=True)  # secreview: ignore[subprocess-shell-injection] reviewed too
    eval(name)  # secreview: ignore[eval-used] admin-only endpoint
    assert name  # nosec B101 asserts are fine here
    print(name)  # nosec B999 for some other tool
    return {"len": len(name)}  # secreview: ignore[path-traversal] stale, the code was fixed
"""


def test_unused_suppressions_are_notes_and_used_ones_are_not(tmp_path, monkeypatch):
    (tmp_path / "m.py").write_text(UNUSED)
    result = run_cli(["review", "--no-cache", "m.py", "-f", "json"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output  # notes do not fail the review
    data = document(result)
    assert data["findings"] == [] and data["summary"]["warnings"] == 0
    notes = [(n["kind"], n["line"]) for n in data["notices"]]
    # Used: the multi-line call's comments on its first and last lines, eval's, the assert's (a low
    # finding below the reporting floor still uses it). Not judged: Bandit's own comments (a bare
    # nosec, nosec B108, nosec B999): a project running Bandit needs them where Bandit flags.
    # Judged: secreview's comments and a nosec naming a secreview rule id.
    assert notes == [("unused-suppression", line_of(UNUSED, "a secreview rule id")),
                     ("unused-suppression", line_of(UNUSED, "every rule")),
                     ("unused-suppression", line_of(UNUSED, "stale"))]
    assert "suppresses nothing" in data["notices"][0]["message"]
    text = run_cli(["review", "--no-cache", "m.py"], tmp_path, monkeypatch).stdout
    assert f"m.py:{line_of(UNUSED, 'stale')}: note (unused-suppression)" in text and "3 notes" in text


def test_a_suppression_used_by_a_flow_through_a_helper_is_not_unused(tmp_path, monkeypatch):
    (tmp_path / "store.py").write_text('import os\n\nBASE = "/srv"\n\n\ndef _read(name):\n'
                                       '    return open(os.path.join(BASE, name)).read()  # secreview: ignore reviewed\n')
    (tmp_path / "web.py").write_text('from flask import Flask, request\n\nfrom store import _read\n\napp = Flask(__name__)\n\n\n'
                                     '@app.route("/r")\ndef r():\n    return _read(request.args["n"])\n')
    data = document(run_cli(["review", "--no-cache", ".", "-f", "json"], tmp_path, monkeypatch))
    assert [(f["path"], f["line"]) for f in data["suppressed"]] == [("store.py", 7)]
    assert data["notices"] == []
    (tmp_path / "web.py").write_text("")  # without the caller, nothing reaches it (a private function)
    data = document(run_cli(["review", "--no-cache", ".", "-f", "json"], tmp_path, monkeypatch))
    assert [(n["kind"], n["path"], n["line"]) for n in data["notices"]] == [("unused-suppression", "store.py", 7)]


def test_diff_review_notes_only_the_unused_suppressions_the_change_writes(files_repo, monkeypatch):
    files_repo.write("app.py", FILES + "\n\nLIMIT = 3  # secreview: ignore\n")
    files_repo.commit("An old stale comment")
    edit(files_repo, "app.py", "app = Flask(__name__)\n", "app = Flask(__name__)  # secreview: ignore[eval-used]\n")
    data = document(review(files_repo, monkeypatch, "--diff", "HEAD", "-f", "json"))
    assert [(n["kind"], n["line"]) for n in data["notices"]] == [("unused-suppression", 5)]
    data = document(review(files_repo, monkeypatch, ".", "-f", "json"))  # a whole review lists both
    assert [n["line"] for n in data["notices"]] == [5, FILES.count("\n") + 3]


# --- 6. a patch series that changes one file several times ------------------------------------------

DB = """\
import sqlite3


def connect():
    return sqlite3.connect("shop.db")


def by_id(order_id):
    return connect().execute("SELECT * FROM orders WHERE id = %s" % order_id)
"""


@pytest.fixture
def series_repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("db.py", DB)
    repo.commit("Database")
    repo.git("checkout", "-q", "-b", "topic")
    (repo.root / "db.py").write_text(DB + '\n\ndef by_status(status):\n'
                                     '    return connect().execute("SELECT id FROM orders WHERE status = %s" % status)\n')
    repo.commit("By status")
    edit(repo, "db.py", "import sqlite3\n", "import sqlite3\n\nTIMEOUT = 5\n")
    edit(repo, "db.py", "def by_status(status):\n", "def by_status(status, limit):\n")
    repo.commit("Timeout, limit")
    (repo.root / "series.patch").write_text(repo.git("format-patch", "main", "--stdout"))
    return repo


@pytest.mark.parametrize("on_disk", ["topic", "main"])
def test_a_series_changing_one_file_twice_is_reviewed_as_one_change(series_repo, monkeypatch, on_disk):
    series_repo.git("checkout", "-q", on_disk)
    result = review(series_repo, monkeypatch, "--patch", "series.patch", "-f", "json", "--min-confidence", "low")
    assert result.exit_code == 1, result.output
    data = document(result)
    # The new function's query is reported (written by the first patch, its def line rewritten by
    # the second); by_id's is not: the series does not touch it.
    assert reported(result) == [("db.py", 15, "sql-injection")]
    assert data["change"]["changed_lines"] == 3  # TIMEOUT = 5, the def (written twice) and its return
    assert data["change"]["findings_outside"] == 1


def test_a_series_renaming_then_editing_a_file_is_followed(tmp_path):
    (tmp_path / "new.py").write_text("import os\nA = 1\nos.system(input())\n")
    rename_and_edit = "--- a/old.py\n+++ b/new.py\n@@ -1 +1,2 @@\n import os\n+A = 1\n"
    edit_new_name = "--- a/new.py\n+++ b/new.py\n@@ -2,0 +3 @@ A = 1\n+os.system(input())\n"
    change = change_from_patch(rename_and_edit + edit_new_name, "series", tmp_path)
    assert change.files["new.py"].lines == frozenset({2, 3}) and change.files["new.py"].old_path == "old.py"


@pytest.mark.parametrize("on_disk", ["before", "after"])
def test_a_series_removing_then_adding_a_file_again_is_one_change(tmp_path, on_disk):
    before, after = "import os\nA = 1\n", "import os\nA = 1\nos.system(input())\n"
    (tmp_path / "m.py").write_text(before if on_disk == "before" else after)
    remove = "--- a/m.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-import os\n-A = 1\n"
    add = "--- /dev/null\n+++ b/m.py\n@@ -0,0 +1,3 @@\n+import os\n+A = 1\n+os.system(input())\n"
    change = change_from_patch(remove + add, "series", tmp_path)
    assert change.files["m.py"].lines == frozenset({3}) and change.deleted == []
    assert change.overrides == ({"m.py": after.encode()} if on_disk == "before" else {})


def test_a_series_that_matches_no_version_on_disk_says_so(series_repo, monkeypatch):
    (series_repo.root / "db.py").write_text(DB.replace("sqlite3.connect", "sqlite3.connect  "))
    result = review(series_repo, monkeypatch, "--patch", "series.patch")
    assert result.exit_code == 2
    assert "db.py is changed by 2 patches of series.patch, and the file on disk is neither the version before" in result.stderr


# --- a .gitignore line the change adds does not hide a file git tracks ---------------------------------

def test_a_change_listing_the_file_it_edits_in_gitignore_is_still_reviewed(media_repo, monkeypatch):
    edit(media_repo, "app/media.py", CHECK, "")
    media_repo.write(".gitignore", "app/media.py\n__pycache__/\n")
    media_repo.commit("Thumbnails without the name check")
    sink = ("app/media.py", media_sink()[1] - 2, "path-traversal")
    assert reported(review(media_repo, monkeypatch, "--diff", "HEAD~1", "-f", "json")) == [sink]
    # Near miss: an untracked file the pattern matches stays out of the review (git ignores it too).
    media_repo.write("app/scratch.py", "import os\nos.system(input())\n")
    (media_repo.root / ".gitignore").write_text("app/media.py\napp/scratch.py\n")
    files = document(review(media_repo, monkeypatch, ".", "-f", "json"))["files"]
    assert sorted(files) == ["app/__init__.py", "app/media.py"]
