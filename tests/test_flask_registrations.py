"""Flask views registered by another module (``app.add_url_rule(..., view_func=views.show)``,
``api.add_resource(Item, ...)``): the registering file's entries tell the views' module, whatever
the number of jobs and the input order, and a cached views file follows an edited registration
(the project fixture tests/fixtures/projects/docsite checks the findings)."""
from pathlib import Path

import pytest

from secreview.dataflow.flask_rules import FlaskRule, _decoded_rule, _encoded_rule

from project_helpers import age_files, review_tree, package_with_fillers

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

APP = '''
from flask import Flask
from flask_restful import Api

from . import views
from .views import Item

app = Flask(__name__)
api = Api(app)
app.add_url_rule("/orders/<{converter}number>", view_func=views.order)
api.add_resource(Item, "/items/<{converter}item_id>")
'''
VIEWS = '''
import os

from flask_restful import Resource


def order(number):
    os.system("print-order " + number)
    return "ok"


class Item(Resource):
    def get(self, item_id):
        os.system("show-item " + item_id)
        return {}
'''
REPORTED = [("views.py", 8), ("views.py", 14)]


def make_shop(root: Path, converter: str, fillers: int = 0) -> Path:
    return package_with_fillers(root, "shop", {"app.py": APP.format(converter=converter), "views.py": VIEWS}, fillers)


review = review_tree


def shell_findings(result) -> list[tuple[str, int]]:
    return sorted((Path(f.path).name, f.line) for f in result.findings if f.rule_id == "shell-command-injection")


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.mark.parametrize("converter, reported", [("int:", []), ("", REPORTED), ("path:", REPORTED)])
def test_jobs_and_input_order_do_not_change_what_registrations_tell(tmp_path, converter, reported):
    tree = make_shop(tmp_path, converter, fillers=16)
    one, _ = review(tree, jobs=1)
    two, stats = review(tree, jobs=2)
    backward, _ = review(tree, reverse=True, jobs=1)
    assert stats.jobs == 2
    assert shell_findings(one) == shell_findings(two) == shell_findings(backward) == reported
    assert stats.rounds == 0  # (the views file is told as soon as the registering file is done)


def test_views_without_a_registration_are_plain_functions(tmp_path):
    tree = make_shop(tmp_path, "")
    (tree / "app.py").write_text("from flask import Flask\n\nfrom . import views\n\napp = Flask(__name__)\n")
    age_files(tree)
    result, _ = review(tree, jobs=1)
    assert shell_findings(result) == [("views.py", 14)]  # (a Resource's method is a view all the same)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_views_file_follows_an_edited_registration(tmp_path, jobs):
    tree = make_shop(tmp_path, "int:", fillers=16)
    cache = tmp_path / "cache"
    cold, _ = review(tree, jobs=jobs, cache_dir=cache)
    warm, warm_stats = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(cold) == shell_findings(warm) == []
    assert warm_stats.analysed == 0
    (tree / "app.py").write_text(APP.format(converter=""))  # ``<int:number>`` -> ``<number>``
    age_files(tree)
    edited, stats = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(edited) == REPORTED
    assert stats.analysed == 2  # the registering file, and the views file it tells
    (tree / "app.py").write_text(APP.format(converter="int:"))
    age_files(tree)
    back, _ = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(back) == []


@pytest.mark.parametrize("rule", [
    FlaskRule("/doc/<path:name>", frozenset()),
    FlaskRule("/a|b/<int:x>", frozenset({"lang", "page"})),
    FlaskRule(None, None),
    FlaskRule("", frozenset()),
])
def test_a_rule_is_written_in_an_entry_and_read_back(rule):
    assert _decoded_rule(_encoded_rule(rule)) == rule
