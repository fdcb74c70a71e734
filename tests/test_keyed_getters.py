"""Getters by key the review knows nothing of (``ds.get_database(route=x)``,
``calibre_db.get_book(book_id)``): what the key carries goes on at low confidence, named as what
found the object, with a step saying so. The fixtures (flows/keyed_getters.py,
flows/record_lookups.py, projects/keyed_lookups) fix which lines fire at the default confidence;
here: how sure each finding is, and what it says."""
import pytest

from conftest import FIXTURES, review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs.files import discover

FIXTURE = FIXTURES / "flows" / "keyed_getters.py"
BY_POSITION = FIXTURES / "flows" / "record_lookups.py"
LOOKUP_NOTE = "an object `get_database()` finds by `route=` (the program's own, not this value)"


def findings_on(text: str, rule_id: str, fixture=FIXTURE):
    source = fixture.read_text()
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


@pytest.mark.parametrize("text, rule_id, confidence", [
    # a record found by a key given by position: low, still reported
    ('book.path, "cover.jpg"', "path-traversal", Level.LOW),  # named as a key: ``book_id``
    ("send_file(trace_info.local_artifact_path)", "path-traversal", Level.LOW),  # ``request_id``
    ("send_file(traces[0].data_path)", "path-traversal", Level.LOW),  # ``batch_get_``: a getter too
    ('"</li><li>".join(titles)', "reflected-xss", Level.LOW),  # any argument of a store's getter
    ("os.path.join(BASE, data.name)", "path-traversal", Level.LOW),  # the store's: both arguments
    ("dataset.metrics[0].expression", "sql-injection", Level.LOW),  # ``find_by_id``: the first
    ('"select * from " + account.table', "sql-injection", Level.LOW),  # ``get_account_by_email``
    ("rows.columns", "sql-injection", Level.LOW),  # ``getlist("pks")``: keys
    ("watch.get_history_snapshot(from_timestamp)", "reflected-xss", Level.LOW),  # a timestamp
    ('"id " + user.login', "subprocess-shell-injection", Level.LOW),  # ``load_user(...get("user_id"))``
    ("{db.name} where id = {record.pk}", "sql-injection", Level.LOW),  # ``fetch_record``, ``registry``
    # the key itself, a getter of text, no key, the project's own getters: as sure as the source
    ("send_file(os.path.join(BASE, book_id))", "path-traversal", Level.HIGH),
    ("return open(path).read()", "path-traversal", Level.HIGH),
    ('"tar xf " + target', "subprocess-shell-injection", Level.HIGH),
    ('data["path"]', "path-traversal", Level.HIGH),
    ("book_store.get_book(request.args", "path-traversal", Level.HIGH),
    ("find_cover(request.args", "path-traversal", Level.HIGH),
])
def test_confidence_of_keys_by_position(text, rule_id, confidence):
    assert [f.confidence for f in findings_on(text, rule_id, BY_POSITION)] == [confidence]


@pytest.mark.parametrize("text, rule_id, note", [
    ('book.path, "cover.jpg"', "path-traversal",
     "an object `get_book()` finds by `book_id` (the program's own, not this value)"),
    ('"</li><li>".join(titles)', "reflected-xss",
     "an object `get_book()` finds by `elem` (the program's own, not this value)"),
    ("dataset.metrics[0].expression", "sql-injection",
     "an object `find_by_id()` finds by its id (the program's own, not this value)"),
    ('"select * from " + account.table', "sql-injection",
     "an object `get_account_by_email()` finds by its email (the program's own, not this value)"),
])
def test_the_evidence_says_which_argument_found_the_record(text, rule_id, note):
    (finding,) = findings_on(text, rule_id, BY_POSITION)
    assert note in [part for step in finding.trace for part in step.note.split("; ")]


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


BOTH_WAYS = '''
import sqlite3

import schema_tools


def check_constraints(table_names):
    cursor = sqlite3.connect("app.db").cursor()
    for table_name in table_names:
        column = schema_tools.get_primary_key_column(cursor, table_name)
        cursor.execute("select %s from %s" % (column, table_name))


def count_rows(table_names):
    cursor = sqlite3.connect("app.db").cursor()
    for table_name in table_names:
        column = schema_tools.get_primary_key_column(cursor, table_name)
        qualified = column + "." + table_name
        cursor.execute("select count(*) from " + qualified)
'''


def test_the_data_itself_is_named_before_what_it_found():
    # ``table_name`` reaches the query itself, and through the column its getter found: both as
    # sure (a public function's parameter), the finding says where the data came from -- of two
    # pieces of the query (``check_constraints``), of two flows into one piece (``count_rows``).
    findings = [f for f in review_text(BOTH_WAYS, path="app/checks.py", min_confidence=Level.LOW).findings
                if f.rule_id == "sql-injection"]
    assert [f.line for f in findings] == [11, 19]
    for finding in findings:
        assert "built from parameter `table_names` of public function" in finding.message
        assert "found by" not in finding.message
