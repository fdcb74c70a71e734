"""Import and alias resolution: turn ``P(...)`` into ``subprocess.Popen`` when ``from subprocess
import Popen as P`` (or ``P = subprocess.Popen``) is in the file.

Imports anywhere in the file count (function-level imports are common in real code); a name that
is also defined locally by ``def``/``class`` at module level is treated as local, not as a builtin.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from secreview.facts import walk


@dataclass
class ImportMap:
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    local_defs: set[str] = field(default_factory=set)  # module-level def/class names
    module_name: str = ""
    imported_modules: set[str] = field(default_factory=set)
    # Modules the file star-imports (``from .helpers import *``), in import order: the names they
    # bind are not known from this file alone (see dataflow: FunctionAnalysis.star_name).
    star_modules: list[str] = field(default_factory=list)
    _imports_module: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def resolve_name(self, name: str) -> str:
        if name in self.aliases:
            return self.aliases[name]
        if name in self.local_defs:
            prefix = self.module_name or "<module>"
            return f"{prefix}.{name}"
        return name

    def qualname(self, node: ast.AST) -> str | None:
        """Dotted, import-resolved name of a Name/Attribute chain, else None.

        ``h.md5`` -> ``hashlib.md5`` after ``import hashlib as h``. A chain rooted in a call or
        subscript (``get().run``) has no qualified name.
        """
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.resolve_name(node.id))
        return ".".join(reversed(parts))

    def imports_module(self, prefix: str) -> bool:
        """Does the file import ``prefix`` or a module of it? (Asked of every file for each
        framework a model knows: memoised, the imports are complete once the map is built.)"""
        known = self._imports_module.get(prefix)
        if known is None:
            known = self._imports_module[prefix] = any(m == prefix or m.startswith(prefix + ".") for m in self.imported_modules)
        return known


def _absolute(module: str | None, level: int, current: str, is_package: bool = False) -> str:
    """``from ..base import x`` in module ``current`` (a package's ``__init__`` when ``is_package``:
    then ``.`` is that package itself, not its parent)."""
    if level == 0:
        return module or ""
    parts = current.split(".") if current else []
    package = parts[: len(parts) - level + 1] if is_package else parts[: -level]
    base = ".".join(package)
    if module:
        return f"{base}.{module}" if base else module
    return base


IMPORT_TYPES = (ast.Import, ast.ImportFrom)


def build_import_map(tree: ast.Module, module_name: str = "", imports: list | None = None, is_package: bool = False) -> ImportMap:
    """``imports``: the file's Import/ImportFrom nodes with their ancestors (from the facts walk),
    so the tree is not walked again; without it, the tree is walked here."""
    result = ImportMap(module_name=module_name)
    if imports is None:
        imports = walk.collect(tree, IMPORT_TYPES)
    # Outer imports first, as a breadth-first walk meets them: a later binding of a name wins.
    for node, _ in sorted(imports, key=lambda item: len(item[1])):
        if isinstance(node, ast.Import):
            for alias in node.names:
                result.imported_modules.add(alias.name)
                if alias.asname:
                    result.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    result.aliases.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node.module, node.level, module_name, is_package)
            result.imported_modules.add(source)
            for alias in node.names:
                if alias.name == "*":
                    if source and source not in result.star_modules:
                        result.star_modules.append(source)
                    continue
                local = alias.asname or alias.name
                result.aliases[local] = f"{source}.{alias.name}" if source else alias.name
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if stmt.name not in result.aliases:
                result.local_defs.add(stmt.name)
    _add_assignment_aliases(tree, result)
    return result


def _add_assignment_aliases(tree: ast.Module, result: ImportMap) -> None:
    """``P = subprocess.Popen`` at module level, bound exactly once, makes ``P`` an alias."""
    counts: dict[str, int] = {}
    candidates: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    if isinstance(stmt.value, (ast.Attribute, ast.Name)):
                        qualified = result.qualname(stmt.value)
                        root = qualified.split(".")[0] if qualified else ""
                        if qualified and "." in qualified and root in {a.split(".")[0] for a in result.aliases.values()}:
                            candidates[target.id] = qualified
    for name, qualified in candidates.items():
        if counts.get(name) == 1 and name not in result.aliases:
            result.aliases[name] = qualified
