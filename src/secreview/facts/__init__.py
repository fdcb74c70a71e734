"""Stage: facts about one parsed file that every rule needs (imports, qualified names, scopes).

``FileFacts`` is built once per file and shared by all rules and the data-flow engine. Building it
walks the tree once (``facts.walk.collect``); the nodes the rule dispatcher wants are gathered in
the same walk (``nodes``), so the rules do not walk the tree again.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from secreview.facts import walk
from secreview.facts.imports import IMPORT_TYPES, ImportMap, build_import_map
from secreview.facts.scopes import ScopeIndex


@dataclass
class FileFacts:
    module_name: str
    imports: ImportMap
    scopes: ScopeIndex = field(repr=False)
    # The nodes of the classes (and ``walk.NamedNodes``) asked for in ``build(collect=...)``, in
    # preorder, with ancestors.
    nodes: list[walk.AncestorsNode] = field(default_factory=list, repr=False)
    collected: frozenset[type] = frozenset()

    def calls(self) -> Iterator[ast.Call]:
        """Every call of the file, in preorder: from the facts walk's nodes when it gathered the
        calls (a rule wants them: nearly always), else by walking the tree."""
        if ast.Call in self.collected:
            return (node for node, _ in self.nodes if node.__class__ is ast.Call)
        return (node for node in ast.walk(self.scopes.tree) if node.__class__ is ast.Call)

    @classmethod
    def build(cls, tree: ast.Module, module_name: str = "", collect: Iterable[type] = (), is_package: bool = False) -> "FileFacts":
        """``is_package``: the file is a package's ``__init__`` (relative imports start there)."""
        collected = frozenset(collect)
        if not collected:
            # Only imports are needed now (they are statements): skip the expressions. Without
            # knowing whether a walrus binds names, scopes search their expressions for one.
            imports = build_import_map(tree, module_name, walk.collect_statements(tree, IMPORT_TYPES), is_package)
            return cls(module_name=module_name, imports=imports, scopes=ScopeIndex(tree, expressions_bind=None))
        types = {kind for kind in collected if isinstance(kind, type)}
        names = frozenset().union(*(kind.names for kind in collected if isinstance(kind, walk.NamedNodes)))
        # What the facts themselves need (imports, walruses) and the rules do not want is gathered
        # aside by the same walk (the imports in one list: their order matters).
        import_items: list[walk.AncestorsNode] = []
        walrus_items: list[walk.AncestorsNode] = []
        aside: dict[type, list[walk.AncestorsNode]] = {}
        if not types & set(IMPORT_TYPES):
            aside.update(dict.fromkeys(IMPORT_TYPES, import_items))
        if ast.NamedExpr not in types:
            aside[ast.NamedExpr] = walrus_items
        nodes = walk.collect(tree, types | {*IMPORT_TYPES, ast.NamedExpr}, names, aside)
        if IMPORT_TYPES[0] not in aside:
            import_items = [item for item in nodes if item[0].__class__ in IMPORT_TYPES]
        imports = build_import_map(tree, module_name, import_items, is_package)
        walrus = bool(walrus_items) or (ast.NamedExpr in types and any(item[0].__class__ is ast.NamedExpr for item in nodes))
        scopes = ScopeIndex(tree, expressions_bind=walrus)
        return cls(module_name=module_name, imports=imports, scopes=scopes, nodes=nodes, collected=collected)
