"""What another file of the review tells a web framework's handler (the project fixtures
tests/fixtures/projects/tornado_split and litestar_split check the findings):
whatever the number of jobs and the input order, and after an edit of the telling file with the
told file taken from the cache."""
from pathlib import Path

import pytest

from conftest import FIXTURES
from project_helpers import copied, flows, review_tree, write
from secreview.dataflow.web_handlers import _decoded_route, _encoded_route

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

PROJECTS = FIXTURES / "projects"


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def reviews_agree(tree, cache) -> list:
    """The CWE-78 flows of ``tree``, the same with one job, two, files in reverse order and the cache."""
    one = flows(tree, jobs=1)
    assert flows(tree, jobs=2) == one
    backward, _ = review_tree(tree, reverse=True, jobs=1)
    assert sorted((Path(f.path).name, f.line, tuple(s.line for s in f.trace)) for f in backward.findings if f.cwe == 78) == one
    assert flows(tree, jobs=2, cache_dir=cache) == one
    assert flows(tree, jobs=2, cache_dir=cache) == one  # (from the cache)
    return one


def test_tornado_routes_of_another_file_reach_the_handlers(tmp_path):
    tree = copied(PROJECTS / "tornado_split" / "tornsite", tmp_path)
    cache = tmp_path / "cache"
    found = reviews_agree(tree, cache)
    assert [(name, line) for name, line, _ in found] == [
        ("handlers.py", 12), ("handlers.py", 17), ("handlers.py", 23), ("handlers.py", 28), ("handlers.py", 34)]
    # The item route now takes any text: the handler, from the cache, is told so.
    app = (tree / "app.py").read_text()
    write(tmp_path, {"tornsite/app.py": app.replace(r'(r"/items/(\d+)", ItemHandler)', r'(r"/items/(.+)", ItemHandler)')})
    edited = flows(tree, jobs=2, cache_dir=cache)
    assert edited == flows(tree, jobs=1)
    assert ("handlers.py", 11, (10, 11)) in edited


def test_litestar_dependencies_of_another_file_reach_the_handlers(tmp_path):
    tree = copied(PROJECTS / "litestar_split" / "litesite", tmp_path)
    cache = tmp_path / "cache"
    found = reviews_agree(tree, cache)
    assert [(name, line) for name, line, _ in found] == [("handlers.py", 12), ("handlers.py", 25)]
    # app.py now provides ``root`` with the provider of a query parameter.
    app = (tree / "app.py").read_text().replace("provide_agent, provide_root", "provide_agent, provide_host")
    write(tmp_path, {"litesite/app.py": app.replace('"root": Provide(provide_root)', '"root": Provide(provide_host)')})
    edited = flows(tree, jobs=2, cache_dir=cache)
    assert edited == flows(tree, jobs=1)
    assert [(name, line) for name, line, _ in edited] == [("handlers.py", 12), ("handlers.py", 25), ("handlers.py", 26)]


@pytest.mark.parametrize("route", [
    None,  # (not known: a pattern that is not a constant)
    (False, (("", None), ("", frozenset({78, 22})))),
    (True, (("year", frozenset({78})), ("slug", None))),
])
def test_a_tornado_route_told_to_another_file_reads_back_as_written(route):
    assert _decoded_route(_encoded_route(route)) == route
