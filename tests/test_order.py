"""The analysis order: files after the modules they import (a scan of the text, never a parse
or an import of the reviewed code). The order only affects speed; test_runner.py checks that
results do not depend on it."""
from secreview.dataflow.order import analysis_order, imported_modules


def test_module_level_imports_absolute_relative_and_parenthesized():
    code = b"""import os, pkg.util as u
from . import sibling
from ..base import (
    Thing,
    other,
)
from .models import Model  # comment
from .star import *

def f():
    from pkg.lazy import helper  # inside a function: not followed
"""
    found, nested = imported_modules(code, "pkg.sub.views", is_package=False)
    assert {"os", "pkg.util", "pkg.sub", "pkg.sub.sibling", "pkg.base", "pkg.base.Thing", "pkg.sub.models",
            "pkg.sub.models.Model", "pkg.sub.star"} <= found
    assert "pkg.lazy" not in found and "pkg.sub.star.*" not in found
    assert nested == {"pkg.lazy", "pkg.lazy.helper"}


def test_relative_import_from_a_package_init_is_relative_to_the_package_itself():
    assert "pkg.sub.models" in imported_modules(b"from .models import X\n", "pkg.sub", is_package=True)[0]


def test_imported_files_come_first_and_a_cycle_is_broken_at_its_smallest_file():
    modules = [
        ("app.views", False, b"from app.forms import F\nfrom app.models import M\n"),
        ("app.forms", False, b"from app.models import M\n"),
        ("app.models", False, b"import os\n\ndef f():\n    from app.views import v\n"),
        ("app.a", False, b"from app.b import x\n" + b"# padding\n" * 20),
        ("app.b", False, b"from app.a import y\n"),
    ]
    order, imports = analysis_order(modules)
    assert sorted(order) == [0, 1, 2, 3, 4]
    # models imports views only inside a function: that edge gives way, the others hold.
    assert order.index(2) < order.index(1) < order.index(0)
    assert order.index(4) < order.index(3)  # a module-level cycle: the smaller file first
    assert imports[0] == [1, 2] and imports[2] == [0]


def test_nested_imports_are_found_separately():
    code = b"import os\n\ndef f():\n    from pkg.lazy import helper\n"
    assert imported_modules(code, "pkg.m", False) == ({"os"}, {"pkg.lazy", "pkg.lazy.helper"})


def test_a_long_import_chain_does_not_recurse():
    count = 5000
    modules = [(f"m{i}", False, f"import m{i + 1}\n".encode()) for i in range(count)]
    order, _ = analysis_order(modules)
    assert order == list(reversed(range(count)))


def test_a_file_that_uses_a_cycle_comes_after_the_whole_cycle():
    # json.tool imports json, which is in a cycle with json.decoder; tool is the smallest file but
    # is not part of the cycle, so it waits for both.
    modules = [
        ("json", True, b"from .decoder import JSONDecoder\n" + b"# padding\n" * 50),
        ("json.decoder", False, b"from json import scanner\n" + b"# padding\n" * 20),
        ("json.scanner", False, b"import re\n"),
        ("json.tool", False, b"import json\n"),
    ]
    order, _ = analysis_order(modules)
    assert order.index(3) > order.index(0) and order.index(3) > order.index(1)
    assert order.index(2) < order.index(1)
