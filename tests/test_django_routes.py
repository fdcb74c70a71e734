"""Django URL confs tell the views they route to which parameters are converted (int, uuid, slug,
a re_path group of word characters): the project fixture tests/fixtures/projects/newsroom checks
the findings; here, how patterns are judged, and that the answer is the same whatever the number
of jobs, the input order and the cache (the views are analysed before the URL conf that tells
them, and a cached views file must follow an edited URL conf)."""
from pathlib import Path

import pytest

import ast

from secreview.dataflow.routes import _path_values, _regex_values, lookup_item

from project_helpers import age_files, review_tree, package_with_fillers

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

ARGUMENT, HOST = 88, 918  # what a value of letters, digits, "_" and "-" still allows


FREE = None  # a parameter the route names, given free text (no include()'s prefix can convert it)


@pytest.mark.parametrize("route, expected", [
    ("<int:year>/<uuid:pk>/", {"year": frozenset(), "pk": frozenset()}),
    ("<slug:slug>/", {"slug": frozenset({ARGUMENT, HOST})}),
    ("<str:name>/<path:rest>/<tag>/<custom:thing>/", {"name": FREE, "rest": FREE, "tag": FREE, "thing": FREE}),
    ("<int:n>/<str:n>/", {"n": FREE}),  # (a name used twice: Django refuses it; nothing is taken from it)
    ("static/", {}),
])
def test_path_converters(route, expected):
    assert _path_values(route) == expected


@pytest.mark.parametrize("pattern, expected", [
    (r"^(?P<num>[0-9]+)/$", {"num": frozenset()}),
    (r"^(?P<year>\d{4})/(?P<month>\d\d)/$", {"year": frozenset(), "month": frozenset()}),
    (r"^(?P<code>[-\w]+)/$", {"code": frozenset({ARGUMENT, HOST})}),
    (r"^(?P<word>[a-z_]+)$", {"word": frozenset({HOST})}),
    (r"^(?P<id>[0-9a-f-]{36})$", {"id": frozenset({ARGUMENT, HOST})}),
    (r"^(?P<name>[^/]+)/$", {"name": FREE}),  # any character but "/"
    (r"^(?P<file>[\w.]+)$", {"file": FREE}),  # a dot: "..", "a.sh"
    (r"^(?P<any>.+)$", {"any": FREE}),
    (r"^(?P<spaced>[\w ]+)$", {"spaced": FREE}),
    (r"^(?P<a>\d+)/(?P<b>(?P=a))$", {"*": FREE}),  # a back-reference: not judged (any name is free text)
    (r"^(\d+)/$", {}),  # unnamed: passed by position, not followed
    (r"^(?P<broken>[0-9+$", {"*": FREE}),  # invalid
])
def test_re_path_groups(pattern, expected):
    assert dict(_regex_values(pattern)) == expected


@pytest.mark.parametrize("body, expected", [
    ("lookup_value_regex = '[0-9]+'", "<lookup>pk="),
    ("lookup_field = 'code'", "<lookup>code=!"),  # DRF's default pattern: free text
    ("lookup_field = 'slug'\n    lookup_url_kwarg = 'badge'\n    lookup_value_regex = '[-a-z0-9]+'",
     f"<lookup>badge={ARGUMENT},{HOST}"),
    ("lookup_value_regex = '[0-9'", "<lookup>pk=!"),  # invalid: nothing known
    ("lookup_value_regex = PATTERN", None),  # not a constant of the class or the module: DRF's default
    ("DIGITS = '[0-9]+'\n    lookup_value_regex = DIGITS", "<lookup>pk="),  # a class constant
    ("lookup_value_regex = MODULE_DIGITS", "<lookup>pk="),  # a module constant
    ("MODULE_DIGITS = '[^/]+'\n    lookup_value_regex = MODULE_DIGITS", "<lookup>pk=!"),  # the class's own wins
    ("for MODULE_DIGITS in ('a', 'b'):\n        pass\n    lookup_value_regex = MODULE_DIGITS", None),  # rebound
    ("queryset = None", None),
])
def test_a_viewset_names_its_lookup_argument_in_its_route_question(body, expected):
    tree = ast.parse(f"class Base:\n    pass\n\n\nclass Items(Base):\n    {body}\n")
    assert lookup_item([tree.body[1], tree.body[0]], {"MODULE_DIGITS": "[0-9]+"}) == expected


def test_a_subclass_lookup_attribute_wins_over_its_base():
    tree = ast.parse("class Base:\n    lookup_value_regex = '[0-9]+'\n    lookup_field = 'id'\n\n\n"
                     "class Items(Base):\n    lookup_value_regex = '[^/]+'\n")
    assert lookup_item([tree.body[1], tree.body[0]]) == "<lookup>id=!"


URLS = '''
from django.urls import path

from shop import views

urlpatterns = [
    path("orders/<{converter}:number>/", views.order),
    path("receipts/<int:number>/", views.order),
]
'''
VIEWS = '''
import os

from django.http import HttpResponse


def order(request, number):
    os.system("print-order " + number)
    return HttpResponse("ok")
'''


def make_shop(root: Path, converter: str, fillers: int = 0) -> Path:
    return package_with_fillers(root, "shop", {"urls.py": URLS.format(converter=converter), "views.py": VIEWS}, fillers)


review = review_tree


def shell_findings(result) -> list[tuple[str, int]]:
    return [(Path(f.path).name, f.line) for f in result.findings if f.rule_id == "shell-command-injection"]


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.mark.parametrize("converter, reported", [("int", []), ("str", [("views.py", 8)])])
def test_jobs_and_input_order_do_not_change_what_routes_convert(tmp_path, converter, reported):
    stats = _reported_whatever_the_jobs_and_order(make_shop(tmp_path, converter, fillers=16), reported)
    # With workers, the views are reviewed again as soon as their URL conf is done, not at the end.
    assert stats.rounds == 0 and stats.reanalysed == (1 if converter == "int" else 0)


def _reported_whatever_the_jobs_and_order(tree, reported) -> "runner.RunStats":
    """Check the shell findings of ``tree`` are ``reported`` with 1 job, 2 jobs and the files in
    reverse order; the statistics of the review with 2 jobs."""
    one, _ = review(tree, jobs=1)
    two, stats = review(tree, jobs=2)
    backward, _ = review(tree, reverse=True, jobs=1)
    assert stats.jobs == 2
    assert shell_findings(one) == shell_findings(two) == shell_findings(backward) == reported
    return stats


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_views_file_follows_an_edited_url_conf(tmp_path, jobs):
    tree = make_shop(tmp_path, "int", fillers=16)
    cache = tmp_path / "cache"
    cold, _ = review(tree, jobs=jobs, cache_dir=cache)
    warm, warm_stats = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(cold) == shell_findings(warm) == []
    assert warm_stats.analysed == 0
    (tree / "urls.py").write_text(URLS.format(converter="str"))  # now one route gives free text
    age_files(tree)
    edited, stats = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(edited) == [("views.py", 8)]
    assert stats.analysed == 2  # the URL conf, and the views file it tells (its review alone)
    (tree / "urls.py").write_text(URLS.format(converter="int"))
    age_files(tree)
    back, _ = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(back) == []


def test_a_url_conf_that_converts_nothing_costs_no_second_analysis(tmp_path):
    tree = make_shop(tmp_path, "str")
    (tree / "urls.py").write_text(URLS.format(converter="str").replace("<int:number>", "<str:number>"))
    age_files(tree)
    result, stats = review(tree, jobs=1)
    assert shell_findings(result) == [("views.py", 8)]
    assert stats.reanalysed == 0


SITE_URLS = '''
from django.urls import include, path

urlpatterns = [
    path("shops/<{converter}:number>/", include("shop.urls")),
]
'''
INCLUDED_URLS = '''
from django.urls import path

from shop import views

urlpatterns = [
    path("", views.order),
]
'''


def make_site(root: Path, converter: str, fillers: int = 0) -> Path:
    """A views file, the URL conf routing to it without naming ``number``, and the site's URL
    conf including that one under a prefix that captures ``number``."""
    make_shop(root, "int", fillers)
    (root / "shop" / "urls.py").write_text(INCLUDED_URLS)
    (root / "site").mkdir(exist_ok=True)
    (root / "site" / "__init__.py").write_text("")
    (root / "site" / "urls.py").write_text(SITE_URLS.format(converter=converter))
    age_files(root)
    return root


@pytest.mark.parametrize("converter, reported", [("int", []), ("str", [("views.py", 8)]), ("slug", [])])
def test_an_include_prefix_reaches_the_views_of_another_url_conf_whatever_the_order(tmp_path, converter, reported):
    stats = _reported_whatever_the_jobs_and_order(make_site(tmp_path, converter, fillers=16), reported)
    # The views are reviewed again as soon as the including URL conf is done, not at the end.
    assert stats.rounds == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_views_file_follows_an_edited_include_prefix(tmp_path, jobs):
    tree = make_site(tmp_path, "int", fillers=16)
    cache = tmp_path / "cache"
    cold, _ = review(tree, jobs=jobs, cache_dir=cache)
    warm, _ = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(cold) == shell_findings(warm) == []
    (tree / "site" / "urls.py").write_text(SITE_URLS.format(converter="str"))
    age_files(tree)
    edited, _ = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(edited) == [("views.py", 8)]
    (tree / "site" / "urls.py").write_text(SITE_URLS.format(converter="int"))
    age_files(tree)
    back, _ = review(tree, jobs=jobs, cache_dir=cache)
    assert shell_findings(back) == []


def test_routes_dispatching_some_actions_tell_those_actions_only():
    from secreview.dataflow.analyzer import FunctionSummary
    from secreview.dataflow.routes import answer, conversions_of

    entries = {  # (two URL confs: one routes every action, the other as_view({...}) of two actions)
        "v.Ledger.<routes>": [FunctionSummary("e", ["pk:", "@a.urls"]),
                              FunctionSummary("e", ["=close,retrieve", "pk!", "=retrieve", "pk:", "year:", "@b.urls"])],
        "v.Plain.<routes>": [FunctionSummary("e", ["=retrieve", "pk:"])],
    }
    told = {name: frozenset(cwes) for name, cwes in answer("v.Ledger <included>", lambda name: entries.get(name, []))}
    assert conversions_of(told, "destroy", True) == {"pk": frozenset()}  # the first conf's routes only
    assert conversions_of(told, "retrieve", True) == {}  # (the <str:pk> of as_view({...: "close", ...: "retrieve"}))
    assert conversions_of(told, "close", True) == {}
    assert conversions_of(told, "initial", False) == {}  # (not an action: every route reaches it)
    plain = {name: frozenset(cwes) for name, cwes in answer("v.Plain <included>", lambda name: entries.get(name, []))}
    assert conversions_of(plain, "retrieve", True) == {"pk": frozenset()}
    assert conversions_of(plain, "destroy", True) == {}  # (no route dispatches it: nothing known)
    assert conversions_of(plain, "get_queryset", False) == {"pk": frozenset()}
    assert conversions_of({"pk": frozenset()}, "destroy", True) == {"pk": frozenset()}  # (no such routes)


ROUTER_MODULE = '''
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")
'''
ROUTER_URLS = '''
from django.urls import include, path

from shop.routers import router

urlpatterns = [
    path("branches/<{converter}:branch>/", include(router.urls)),
]
'''
VIEWSET = '''
import os

from rest_framework import viewsets
from rest_framework.response import Response


class OrderViewSet(viewsets.ViewSet):
    def list(self, request, branch):
        os.system("print-orders " + branch)
        return Response([])
'''


@pytest.mark.parametrize("converter, reported", [("int", []), ("str", [("views.py", 10)])])
def test_a_router_of_another_module_gets_the_prefix_it_is_included_under(tmp_path, converter, reported):
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "routers.py").write_text(ROUTER_MODULE)
    (package / "urls.py").write_text(ROUTER_URLS.format(converter=converter))
    (package / "views.py").write_text(VIEWSET)
    age_files(package)
    forward, _ = review(tmp_path, jobs=1)
    backward, _ = review(tmp_path, reverse=True, jobs=1)
    assert shell_findings(forward) == shell_findings(backward) == reported
