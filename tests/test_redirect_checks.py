"""Redirect checks as projects write them: a check method called on what a factory returns
(FunctionSummary.returns_class; projects/adapterfactory)."""
import pytest

from conftest import FIXTURES
from project_helpers import copied, findings_of, write

PROJECTS = FIXTURES / "projects"


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_factory_annotated_with_the_adapter_class_is_followed_from_the_cache(tmp_path, jobs):
    tree = copied(PROJECTS / "adapterfactory" / "accountkit", tmp_path)
    cache = tmp_path / "cache"
    checked = [("views.py", 36, 601), ("views.py", 43, 601), ("views.py", 50, 601)]
    assert findings_of(tree, (601,), jobs=jobs, cache_dir=cache) == checked
    adapter = (tree / "adapter.py").read_text()
    write(tmp_path, {"accountkit/adapter.py": adapter.replace("def get_adapter(request=None) -> AccountAdapter:", "def get_adapter(request=None):", 1)})
    assert findings_of(tree, (601,), jobs=jobs, cache_dir=cache) == sorted([*checked, ("views.py", 15, 601), ("views.py", 23, 601)])
