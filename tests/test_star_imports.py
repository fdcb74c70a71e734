"""Names bound by star imports (tests/fixtures/projects/star_imports): ``from .helpers import *``
binds the module's ``__all__`` (a literal list of strings) or else its public names, the last star
import binding a name winning; a package's ``__init__`` re-exports what it star-imports. The
same findings with one job or two and from the cache, and an edit of a star-imported module (or
of the package star-importing it) is followed by its importers' cached results."""
import ast
from pathlib import Path

import pytest

from conftest import FIXTURES
from project_helpers import copied, findings_of, write
from secreview.dataflow import _literal_all
from secreview.facts.imports import build_import_map

STAR_IMPORTS = FIXTURES / "projects" / "star_imports"
EXPECTED = [("absolute.py", 18, 22), ("sources.py", 17, 78), ("views.py", 20, 78), ("views.py", 44, 78)]


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def findings(tree: Path, **options) -> list[tuple[str, int, int]]:
    from secreview.findings import Level

    return findings_of(tree, (22, 78), confidence=Level.MEDIUM, **options)


def test_the_same_findings_with_jobs_and_the_cache(tmp_path):
    tree = copied(STAR_IMPORTS / "starapp", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=1) == EXPECTED
    assert findings(tree, jobs=2) == EXPECTED
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED
    assert findings(tree, jobs=1, cache_dir=cache) == EXPECTED  # (from the cache)


@pytest.mark.parametrize("jobs", [1, 2])
def test_edits_of_star_imported_modules_are_followed_from_the_cache(tmp_path, jobs):
    tree = copied(STAR_IMPORTS / "starapp", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=jobs, cache_dir=cache) == EXPECTED
    # quoting.py now exports quote_word too: the last star import's, which quotes.
    quoting = (tree / "quoting.py").read_text()
    write(tmp_path, {"starapp/quoting.py": quoting.replace('["quote_arg"]', '["quote_arg", "quote_word"]')})
    without_word = [f for f in EXPECTED if f != ("views.py", 44, 78)]
    assert findings(tree, jobs=jobs, cache_dir=cache) == without_word == findings(tree, jobs=1)
    # get_param no longer reads the request.
    sources = (tree / "sources.py").read_text()
    write(tmp_path, {"starapp/sources.py": sources.replace('return request.args.get(name, "")', 'return "localhost"', 1)})
    constant = [f for f in without_word if f not in (("views.py", 20, 78), ("absolute.py", 18, 22))]
    assert findings(tree, jobs=jobs, cache_dir=cache) == constant == findings(tree, jobs=1)


def test_a_package_that_stops_star_importing_is_followed_from_the_cache(tmp_path):
    tree = copied(STAR_IMPORTS / "starapp", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED
    write(tmp_path, {"starapp/paths/__init__.py": "from .validators import loose_join\n"})
    unchecked = sorted([*EXPECTED, ("views.py", 50, 22), ("absolute.py", 13, 22)])
    assert findings(tree, jobs=2, cache_dir=cache) == unchecked == findings(tree, jobs=1)
    write(tmp_path, {"starapp/paths/__init__.py": "from .validators import *\n"})
    assert findings(tree, jobs=2, cache_dir=cache) == EXPECTED


def test_an_all_that_stops_listing_a_name_is_followed_from_the_cache(tmp_path):
    tree = copied(STAR_IMPORTS / "starapp", tmp_path)
    cache = tmp_path / "cache"
    assert findings(tree, jobs=1, cache_dir=cache) == EXPECTED
    validators = (tree / "paths" / "validators.py").read_text()
    write(tmp_path, {"starapp/paths/validators.py": validators.replace('["safe_join"]', '["loose_join"]')})
    assert findings(tree, jobs=1, cache_dir=cache) == sorted([*EXPECTED, ("views.py", 50, 22), ("absolute.py", 13, 22)])


def test_the_import_map_keeps_star_imports_in_order():
    tree = ast.parse("from .helpers import *\nfrom pkg.mod import *\nfrom . import x\nfrom .helpers import *\n")
    imports = build_import_map(tree, "app.views")
    assert imports.star_modules == ["app.helpers", "pkg.mod"]
    assert "*" not in imports.aliases
    package = build_import_map(ast.parse("from .validators import *\n"), "app.utils", is_package=True)
    assert package.star_modules == ["app.utils.validators"]


@pytest.mark.parametrize(("text", "names"), [
    ('__all__ = ["a", "b"]\n', ["a", "b"]),
    ("__all__ = ('a',)\n", ["a"]),
    ("__all__: list[str] = ['a']\n", ["a"]),
    ("__all__ = base.__all__ + ['a']\n", None),
    ("__all__ = ['a']\n__all__ += ['b']\n", None),
    ("__all__ = ['a', NAME]\n", None),
    ("x = 1\n", None),
])
def test_only_a_literal_all_limits_a_star_import(text, names):
    assert _literal_all(ast.parse(text)) == names
