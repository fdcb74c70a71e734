"""SQL statement objects and SQL text (models/sql_statements.py). The fixture
(flows/sql_statement_objects.py) fixes which lines fire; here: how sure each finding is, what it
says, and the near-misses that need another file shape (Django, PySpark)."""
from conftest import FIXTURES, review_text
from secreview.findings import Level

STATEMENTS = FIXTURES / "flows" / "sql_statement_objects.py"


def findings_on(fixture, text: str):
    source = fixture.read_text()
    lines = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    assert len(lines) == 1, f"{text!r} must be on exactly one line of the fixture"
    return [f for f in review_text(source, path="app/views.py").findings if f.line == lines[0] and f.rule_id == "sql-injection"]


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
