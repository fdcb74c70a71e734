"""SQL statement objects and SQL text (models/sql_statements.py). The fixtures fix which lines
fire at their confidence (flows/sql_statement_objects.py, flows/sql_quoted_literals.py,
projects/eventdesk); here: how sure each finding is, what it says, and the near-misses that
need another file shape (Django, PySpark)."""
import pytest

from conftest import FIXTURES, review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs.files import discover
from secreview.root_causes import every_sink

LITERALS = FIXTURES / "flows" / "sql_quoted_literals.py"
STATEMENTS = FIXTURES / "flows" / "sql_statement_objects.py"


def findings_on(fixture, text: str):
    source = fixture.read_text()
    lines = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    assert len(lines) == 1, f"{text!r} must be on exactly one line of the fixture"
    return [f for f in review_text(source, path="app/views.py").findings if f.line == lines[0] and f.rule_id == "sql-injection"]


@pytest.mark.parametrize("text, confidence", [
    # quotes doubled, backslashes not: safe in PostgreSQL and SQLite, not in MySQL
    ("""'{payload}'"))  # low only""", Level.LOW),
    ("""["topic"].replace("'", "''") + "'"))""", Level.LOW),
    ("""'%s'" % request.args["name"].replace("'", "''"))""", Level.LOW),
    # the escaped value outside quotes, an unescaped value beside it, other quotes, a backslash escape
    ("WHERE id = {number}", Level.HIGH),
    ("AND b = '{plain}'", Level.HIGH),
    ('''kind = "{quoted}"''', Level.HIGH),
    ("kind = '{slashed}'", Level.HIGH),
])
def test_doubled_quotes_confidence(text, confidence):
    assert [f.confidence for f in findings_on(LITERALS, text)] == [confidence]


def test_doubled_quotes_say_which_databases_they_hold_in():
    (finding,) = findings_on(LITERALS, """'{payload}'"))  # low only""")
    assert "with its quotes doubled" in finding.message
    assert "MySQL" in finding.message and "NO_BACKSLASH_ESCAPES" in finding.message
    assert ".replace(\"\\\\\", \"\\\\\\\\\")" in finding.solution
    assert findings_on(LITERALS, "'{portable}'") == []


def test_a_helpers_doubled_quotes_lower_its_callers_flows(monkeypatch):
    monkeypatch.chdir(FIXTURES / "projects")
    sources, diagnostics = discover(["eventdesk"])
    result = Reviewer(Config(min_confidence=Level.LOW)).review(sources, diagnostics)
    # (one value reaches the three helpers: one finding, each sink a finding of its own underneath)
    by_line = {(f.path.rsplit("/", 1)[-1], f.line): f for f in every_sink(result.findings) if f.rule_id == "sql-injection"}
    announce = by_line[("store.py", 22)]
    assert announce.confidence == Level.LOW
    assert announce.message.startswith("Untrusted data (URL path parameter) is passed to `announce()`")
    assert "with its quotes doubled: safe only where a backslash is an ordinary character" in announce.message
    assert by_line[("store.py", 31)].confidence == Level.HIGH  # the same helper shape, not escaped
    assert ("store.py", 27) not in by_line  # backslashes doubled too
    assert ("store.py", 17) not in by_line and ("api.py", 16) not in by_line  # statements, at any confidence


def test_a_string_given_to_where_is_sql_text_of_older_sqlalchemy():
    (finding,) = findings_on(STATEMENTS, """.where("status = '" + request.args["c"] + "'")""")
    assert finding.confidence == Level.MEDIUM  # (SQLAlchemy 1.4 and later refuse it)
    assert "SQLAlchemy before 1.4 and PySpark paste a string given to `.where()`" in finding.message


PYSPARK = '''
from flask import Flask, request
from pyspark.sql import SparkSession

app = Flask(__name__)
spark = SparkSession.builder.getOrCreate()


@app.route("/people")
def people():
    frame = spark.read.parquet("/data/people")
    return frame.filter("age > " + request.args["age"]).toPandas().to_json()
'''

DJANGO_ORDERING = '''
from django.http import JsonResponse

from shop.models import Product


def products(request):
    field = request.GET["sort"]
    items = Product.objects.filter(name__icontains=request.GET["q"]).order_by(f"-{field}")
    return JsonResponse({"ids": list(items.values_list("id", flat=True))})
'''


def test_a_string_filter_of_pyspark_is_sql_text():
    (finding,) = [f for f in review_text(PYSPARK, path="app/views.py").findings if f.rule_id == "sql-injection"]
    assert finding.line == 12 and finding.confidence == Level.MEDIUM


def test_django_ordering_by_a_field_name_is_no_sql_text():
    # order_by("-name") names a model field (Django checks it): only SQLAlchemy files read it as SQL.
    assert [f for f in review_text(DJANGO_ORDERING, path="shop/views.py").findings if f.rule_id == "sql-injection"] == []
