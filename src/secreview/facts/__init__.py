"""Stage: facts about one parsed file that every rule needs (imports, qualified names, scopes).

``FileFacts`` is built once per file and shared by all rules and the data-flow engine.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from secreview.facts.imports import ImportMap, build_import_map
from secreview.facts.scopes import ScopeIndex


@dataclass
class FileFacts:
    module_name: str
    imports: ImportMap
    scopes: ScopeIndex = field(repr=False)

    @classmethod
    def build(cls, tree: ast.Module, module_name: str = "") -> "FileFacts":
        imports = build_import_map(tree, module_name)
        return cls(module_name=module_name, imports=imports, scopes=ScopeIndex(tree))
