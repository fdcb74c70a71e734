"""Django REST framework routers beyond ``register(prefix, ViewSet)`` (see dataflow/routes.py):
an @action's url_path capturing arguments, routers of path() routes (``use_regex_path=False``)
and the viewset's lookup_value_converter, drf-nested-routers' parent lookup arguments. The
project fixture tests/fixtures/projects/kennel checks the findings; here, how the pieces are
read, and that the answer does not depend on the jobs or the order of the files (a nested
router's parent viewset is in another file than the nested viewset)."""
import ast
import os
import shutil
import time
from pathlib import Path

import pytest

from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.routes import action_items, answer, conversions_of, lookup_item

from project_helpers import review_tree

pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

ARGUMENT, HOST = 88, 918  # what a value of letters, digits, "_" and "-" still allows
KENNEL = Path(__file__).parent / "fixtures" / "projects" / "kennel"


@pytest.mark.parametrize("body, expected", [
    ("lookup_value_converter = 'int'", "<lookup>pk=!="),  # free text on a regex router, an int on path()
    ("lookup_value_converter = 'uuid'\n    lookup_value_regex = '[0-9]+'", "<lookup>pk=="),
    ("lookup_value_converter = 'slug'", f"<lookup>pk=!={ARGUMENT},{HOST}"),
    ("lookup_value_converter = 'str'\n    lookup_value_regex = '[0-9]+'", "<lookup>pk="),  # str wins on path()
    ("lookup_value_converter = 'path'", "<lookup>pk=!"),
    ("lookup_value_regex = 'int'", f"<lookup>pk={HOST}="),  # (DRF takes the pattern as the converter's name)
    ("lookup_value_regex = '[0-9]+'", "<lookup>pk="),  # a pattern is no converter: free text on path()
])
def test_the_lookup_item_tells_what_the_converter_gives_on_path_routes(body, expected):
    tree = ast.parse(f"class Items:\n    {body}\n")
    assert lookup_item([tree.body[0]]) == expected


ACTIONS = '''
FILES = r"files/(?P<name>[^/.]+)"


class Base:
    @action(detail=True, url_path=r"pages/(?P<page>[0-9]+)")
    def page(self, request, pk, page):
        pass

    @action(detail=True, url_path=r"notes/(?P<note>[0-9]+)")
    def note(self, request, pk, note):
        pass


class Folder(Base):
    CODE = r"codes/(?P<code>[a-z]+)"

    @action(detail=True, url_path=FILES)
    def file(self, request, pk, name):
        pass

    @action(detail=False, url_path=CODE)
    def code(self, request, code):
        pass

    @action(detail=True, url_path="parts/<int:number>/<str:label>")
    def part(self, request, pk, number, label):
        pass

    @action(detail=True, url_path="archive")
    def archive(self, request, pk):
        pass

    @action(detail=True, url_path=PATTERN)
    def unknown(self, request, pk, value):
        pass

    def note(self, request, pk, note):  # (not an action here: the base's url_path no longer counts)
        pass
'''


def test_action_items_read_the_url_path_groups_of_the_class_and_its_bases():
    tree = ast.parse(ACTIONS)
    base, folder = tree.body[1], tree.body[2]
    assert action_items([folder, base], {"FILES": r"files/(?P<name>[^/.]+)"}) == [
        f"<action>code=code:{HOST}=code!",  # (a class constant; path(): "<code>" of "(?P<code>...)", free text)
        "<action>file=name!=name!",  # (a module constant; path(): "<name>" of "(?P<name>...)", free text)
        "<action>page=page:=page!",  # (the base's)
        "<action>part==label!,number:",  # (a regex router captures nothing of "<int:number>")
    ]


def entries_of(entries):
    return lambda name: entries.get(name, [])


def told(views, entries):
    return {name: frozenset(cwes) for name, cwes in answer(views, entries_of(entries))}


def test_an_action_url_path_gives_that_action_its_own_route():
    entries = {"v.Folder.<routes>": [FunctionSummary("e", ["<lookup>:", "version:", "@a.urls"])]}
    question = "v.Folder <lookup>pk= <action>file=name!=name: <action>page=page:=page! <included>"
    routes = told(question, entries)
    assert conversions_of(routes, "page", True) == {"page": frozenset(), "pk": frozenset(), "version": frozenset()}
    assert conversions_of(routes, "file", True) == {"pk": frozenset(), "version": frozenset()}  # name: free text
    assert conversions_of(routes, "retrieve", True) == {"pk": frozenset(), "version": frozenset()}
    assert conversions_of(routes, "get_object", False) == {"pk": frozenset(), "version": frozenset()}
    # A router of path() routes reads the url_path as a path() route: <str:page> there.
    path_router = {"v.Folder.<routes>": [FunctionSummary("e", ["<lookup>path:", "@a.urls"])]}
    routes = told("v.Folder <lookup>pk=!= <action>file=name!=name: <action>page=page:=page! <included>", path_router)
    assert conversions_of(routes, "file", True) == {"name": frozenset(), "pk": frozenset()}
    assert conversions_of(routes, "page", True) == {"pk": frozenset()}
    # A router whose kind is not known: nothing of the url_path nor the lookup value.
    unknown = {"v.Folder.<routes>": [FunctionSummary("e", ["<lookup>!", "version:", "@a.urls"])]}
    routes = told(question, unknown)
    assert [conversions_of(routes, method, True) for method in ("file", "page", "retrieve")] == [{"version": frozenset()}] * 3


def test_a_route_dispatching_an_action_with_a_url_path_tells_it_too():
    entries = {"v.Folder.<routes>": [FunctionSummary("e", ["<lookup>:", "@a.urls"]),
                                     FunctionSummary("e", ["=page", "page!", "pk:", "@b.urls"])]}
    routes = told("v.Folder <lookup>pk= <action>page=page:= <included>", entries)
    assert conversions_of(routes, "page", True) == {"pk": frozenset()}  # (b's <str:page>)
    assert conversions_of(routes, "retrieve", True) == {"pk": frozenset()}


def test_a_nested_router_names_the_parent_lookup_argument_after_the_parent_viewset():
    item = ["<parent>re=shop_=v.Shop:", "<lookup>:", "@a.urls"]
    parent = {"v.Shop.<lookup>": [FunctionSummary("v.Shop.<lookup>", ["<lookup>code=88,918"])]}
    entries = {"v.Item.<routes>": [FunctionSummary("e", item)], **parent}
    assert told("v.Item <included>", entries) == {"shop_code": frozenset({ARGUMENT, HOST})}
    # The parent viewset's file not known (or naming no lookup argument): shop_pk, free text.
    assert told("v.Item <included>", {"v.Item.<routes>": [FunctionSummary("e", item)]}) == {}
    # A parent router of path() routes: the parent's converter.
    by_path = {"v.Item.<routes>": [FunctionSummary("e", ["<parent>path=shop_=v.Shop:", "<lookup>path:", "@a.urls"])],
               "v.Shop.<lookup>": [FunctionSummary("v.Shop.<lookup>", ["<lookup>pk=!="])]}
    assert told("v.Item <lookup>pk=!= <included>", by_path) == {"pk": frozenset(), "shop_pk": frozenset()}
    # A parent router whose kind is not known.
    unknown = {**by_path, "v.Item.<routes>": [FunctionSummary("e", ["<parent>?=shop_=v.Shop!", "<lookup>path:", "@a.urls"])]}
    assert told("v.Item <lookup>pk=!= <included>", unknown) == {"pk": frozenset()}


def shell_and_sql(result) -> list[tuple[str, int, str]]:
    return sorted((Path(f.path).name, f.line, f.rule_id) for f in result.findings)


def review(tree: Path, reverse: bool = False, **options):
    return review_tree(tree, reverse, **options)[0]


def test_the_kennel_project_is_told_the_same_whatever_the_jobs_and_the_order(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    tree = tmp_path / "kennel"
    shutil.copytree(KENNEL, tree)
    for number in range(12):  # (enough files for two worker processes)
        (tree / "src" / "kennel" / f"m{number:02}.py").write_text(f"def f{number}(x):\n    return x + {number}\n")
    one = shell_and_sql(review(tree, jobs=1))
    assert one == shell_and_sql(review(tree, jobs=2)) == shell_and_sql(review(tree, reverse=True, jobs=1))
    assert ("views.py", 70, "shell-command-injection") not in one  # (shop_pk: shops.py's ShopViewSet's [0-9]+)
    assert ("views.py", 75, "shell-command-injection") in one


def test_a_cached_nested_viewset_follows_an_edited_parent_viewset(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    tree = tmp_path / "kennel"
    shutil.copytree(KENNEL, tree)
    cache = tmp_path / "cache"
    shop_pk = ("views.py", 70, "shell-command-injection")
    assert shop_pk not in shell_and_sql(review(tree, jobs=1, cache_dir=cache))
    shops = tree / "src" / "kennel" / "shops.py"
    shops.write_text(shops.read_text().replace('lookup_value_regex = "[0-9]+"', 'lookup_value_regex = "[^/]+"'))
    os.utime(shops, (time.time() + 5, time.time() + 5))
    assert shop_pk in shell_and_sql(review(tree, jobs=1, cache_dir=cache))
