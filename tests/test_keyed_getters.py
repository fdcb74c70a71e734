"""Getters by key the review knows nothing of (``ds.get_database(route=x)``): what the key carries
goes on at low confidence, named as what found the object, with a step saying so. The fixtures
(flows/keyed_getters.py, projects/keyed_lookups) fix which lines fire at the default confidence;
here: how sure each finding is, and what it says."""
import pytest

from conftest import FIXTURES, review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs.files import discover

FIXTURE = FIXTURES / "flows" / "keyed_getters.py"
LOOKUP_NOTE = "an object `get_database()` finds by `route=` (the program's own, not this value)"


def findings_on(text: str, rule_id: str):
    source = FIXTURE.read_text()
    lines = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    assert len(lines) == 1, f"{text!r} must be on exactly one line of the fixture"
    return [f for f in review_text(source, path="app/views.py").findings if f.line == lines[0] and f.rule_id == rule_id]


@pytest.mark.parametrize("text, rule_id, confidence", [
    # found by a key: low, still reported
    ('db.execute(f"select * from {db.name}")  # lowered: the program', "sql-injection", Level.LOW),
    ('subprocess.run("id " + user.login', "subprocess-shell-injection", Level.LOW),
    ('"select count(*) from " + table.qualified', "sql-injection", Level.LOW),
    ("os.path.join(BASE, account.home)", "path-traversal", Level.LOW),
    ('db.execute(f"select * from {db.name}")  # lowered: the helper', "sql-injection", Level.LOW),
    ('return db.execute(f"select count(*) from {db.name}")', "sql-injection", Level.LOW),
    # the key itself, or a transformer's result: as sure as the source
    ('db.execute("drop table " + table)', "sql-injection", Level.HIGH),
    ('cursor().execute("select * from " + name)', "sql-injection", Level.HIGH),
    ("format_sql(request.args", "sql-injection", Level.HIGH),
    ("quote_plus(request.args", "path-traversal", Level.HIGH),
    ("open(path).read()", "path-traversal", Level.HIGH),
    ("os.path.join(BASE, stored)", "path-traversal", Level.HIGH),
    ('"select * from " + context["name"]', "sql-injection", Level.HIGH),
    ('db.execute(f"select * from {db.name}")  # expect', "sql-injection", Level.HIGH),
    ('"select * from items order by " + column', "sql-injection", Level.HIGH),
    ("get_table(name=request.args", "sql-injection", Level.HIGH),
])
def test_confidence(text, rule_id, confidence):
    assert [f.confidence for f in findings_on(text, rule_id)] == [confidence]


def test_a_found_object_is_named_so_with_the_getter_in_the_evidence():
    (finding,) = findings_on('db.execute(f"select * from {db.name}")  # lowered: the program', "sql-injection")
    assert "built from an object found by HTTP query parameter" in finding.message
    assert [step.note for step in finding.trace if step.line == finding.line - 1] == [
        f"HTTP query parameter (untrusted); {LOOKUP_NOTE}"]
    (inside,) = findings_on('return db.execute(f"select count(*) from {db.name}")', "sql-injection")
    assert inside.message.startswith("Untrusted data (an object found by HTTP query parameter) is passed to `count_rows()`")
    assert LOOKUP_NOTE in [step.note for step in inside.trace]


def test_across_files_the_helpers_lookup_lowers_its_callers_flows(monkeypatch):
    monkeypatch.chdir(FIXTURES / "projects")
    sources, diagnostics = discover(["keyed_lookups"])
    result = Reviewer(Config(min_confidence=Level.LOW)).review(sources, diagnostics)
    found = {(f.path.rsplit("/", 1)[-1], f.line): f for f in result.findings if f.rule_id == "sql-injection"}
    assert {key: f.confidence for key, f in found.items()} == {
        ("views.py", 11): Level.LOW,  # db found by stores.database_for(request.args["db"])
        ("stores.py", 12): Level.LOW,  # count_rows(request.args["db"]): its own getter found db
        ("views.py", 18): Level.HIGH,  # stores.get_table(name=...) returns the key: followed
    }
    assert found[("views.py", 11)].message.startswith("`db.execute` gets SQL text built from an object found by HTTP query parameter")
    assert LOOKUP_NOTE in [step.note for step in found[("views.py", 11)].trace]
