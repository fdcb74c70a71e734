"""Flask configuration modules: a module whose module-level names a Flask application loads as
its configuration (``app.config.from_object("config")``, ``from_object(config)``,
``from_object(__name__)``, ``from_pyfile("config.py")``), so that ``SESSION_COOKIE_SECURE = False``
at its top level is the application's setting (rules/flask_config.py), while the same line in a
Django project's config.py, or in a library's module nothing loads into Flask, is not.

The loading and the loaded module are usually two files, analysed in either order: a file
importing Flask that loads a module exports an entry ``<module>.<flask-config>`` among its own
summaries (one per name the call may mean: the dotted name as written, and relative to the
loader's package, where ``from_pyfile`` and a script run from the package look); a module
setting one of Flask's cookie flags at its top level asks for its own entry (``loaded``), a
question like any other the analysis asks (linking.Dependencies): a module analysed before its
loader is analysed again once the loader is known, and a cached result is checked against it.
What is not seen: a module named by a value computed at run time (a constant default of it,
``os.environ.get("APP_CONFIG", "config")``, is read), or loaded by a file of another project.
"""
from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.flask_rules import imports_flask

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

CONFIG_ENTRY = "<flask-config>"
_LOADERS = frozenset({"from_object", "from_pyfile"})
_LOADING_MODULES = ("quart",)  # (Flask's own config API; flask and its extensions: imports_flask)
# The module-level settings that make a module ask (rules/flask_config.py FLASK_COOKIE_FLAGS).
_COOKIE_SETTINGS = frozenset(f"{cookie}_COOKIE_{flag}" for cookie in ("SESSION", "REMEMBER") for flag in ("SECURE", "HTTPONLY", "SAMESITE"))
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\Z")


def loader_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<module>.<flask-config>`` entries of a file importing Flask (or Quart) that loads
    configuration modules; nothing for any other file."""
    if not (imports_flask(unit) or any(unit.facts.imports.imports_module(m) for m in _LOADING_MODULES)):
        return {}
    found: dict[str, FunctionSummary] = {}
    memo = unit.facts.scopes.memo.setdefault("flask_configs", {})
    for call in unit.facts.calls():
        func = call.func
        if (func.__class__ is ast.Attribute and func.attr in _LOADERS and call.args  # type: ignore[attr-defined]
                and func.value.__class__ is ast.Attribute and func.value.attr == "config"):  # type: ignore[attr-defined]
            argument = call.args[0]  # type: ignore[attr-defined]
            if argument.__class__ is ast.Name and argument.id == "__name__":  # type: ignore[attr-defined]
                memo["itself"] = True  # (``from_object(__name__)``: this module's own settings)
            for module in _loaded_modules(unit, argument, func.attr == "from_pyfile"):  # type: ignore[attr-defined]
                name = f"{module}.{CONFIG_ENTRY}"
                found[name] = FunctionSummary(name, [])
    return found


def loaded(unit: "FileFlow") -> bool:
    """Does a Flask application of the project load this module as its configuration? Asked (of
    the project's summaries) only by a module setting one of Flask's cookie flags at its top level."""
    module = unit.facts.module_name
    if not any(target.__class__ is ast.Name and target.id in _COOKIE_SETTINGS  # type: ignore[attr-defined]
               for statement in unit.parsed.tree.body if statement.__class__ is ast.Assign
               for target in statement.targets):  # type: ignore[attr-defined]
        return False
    if unit.facts.scopes.memo.get("flask_configs", {}).get("itself"):  # (loader_entries ran first)
        return True
    return bool(module) and unit.summaries.get(f"{module}.{CONFIG_ENTRY}") is not None


def _loaded_modules(unit: "FileFlow", argument: ast.expr, pyfile: bool) -> set[str]:
    """The modules ``from_object(argument)`` / ``from_pyfile(argument)`` may load."""
    own = unit.facts.module_name or ""
    package = own if unit.path.endswith("__init__.py") else own.rpartition(".")[0]
    if argument.__class__ is ast.Name and argument.id == "__name__":  # type: ignore[attr-defined]
        return {own} if own else set()
    names: set[str] = set()
    if not pyfile and argument.__class__ in (ast.Name, ast.Attribute):
        qualified = unit.qualname(argument)  # ``import config`` / ``from app import config``
        if qualified and not qualified.startswith("<"):
            names.add(qualified)
    for node in ast.walk(argument):  # (a constant, or the constant default of a run-time choice)
        if node.__class__ is ast.Constant and isinstance(node.value, str):  # type: ignore[attr-defined]
            text = node.value  # type: ignore[attr-defined]
            if pyfile:
                stem = text.replace("\\", "/").rsplit("/", 1)[-1]
                text = stem[:-3] if stem.endswith(".py") else ""
            if _DOTTED.match(text):
                names.add(text)
    return names | {f"{package}.{name}" for name in names if package and not name.startswith(f"{package}.")}
