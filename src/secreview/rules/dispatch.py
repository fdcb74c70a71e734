"""The single AST pass over a file: each node is handed to the rules that asked for it."""
from __future__ import annotations

import ast
from collections import defaultdict
from typing import Iterable

from secreview.rules.base import Hit, Rule
from secreview.rules.context import RuleContext


class Dispatcher:
    """Indexes a set of rules by what they want so the pass does one dict lookup per node."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_call: dict[str, list[Rule]] = defaultdict(list)
        self.by_method: dict[str, list[Rule]] = defaultdict(list)
        self.by_type: dict[type, list[Rule]] = defaultdict(list)
        self.rules = list(rules)
        for rule in self.rules:
            for name in rule.calls:
                self.by_call[name].append(rule)
            for name in rule.methods:
                self.by_method[name].append(rule)
            for node_type in rule.nodes:
                self.by_type[node_type].append(rule)

    def rules_for(self, node: ast.AST, ctx: RuleContext) -> list[Rule]:
        wanted = self.by_type.get(type(node), [])
        if isinstance(node, ast.Call):
            extra: list[Rule] = []
            name = ctx.call_name(node)
            if name is not None and name in self.by_call:
                extra.extend(self.by_call[name])
            if isinstance(node.func, ast.Attribute) and node.func.attr in self.by_method:
                extra.extend(r for r in self.by_method[node.func.attr] if r not in extra)
            if extra:
                return [*wanted, *(r for r in extra if r not in wanted)]
        return wanted

    def run(self, tree: ast.Module, ctx: RuleContext) -> tuple[list[tuple[Rule, Hit, list[ast.AST]]], int]:
        """Walk ``tree`` once (iteratively: deep nesting cannot overflow the stack).

        Returns the hits with the ancestors of their node (for statement ranges) and the number of
        checks run.
        """
        hits: list[tuple[Rule, Hit, list[ast.AST]]] = []
        checks = 0
        ancestors = ctx.ancestors
        ancestors.clear()
        todo: list[tuple[ast.AST, int]] = [(tree, 0)]
        while todo:
            node, depth = todo.pop()
            del ancestors[depth:]
            rules = self.rules_for(node, ctx)
            if rules:
                ancestors.append(node)  # the node itself is the innermost "ancestor" for checks
                for rule in rules:
                    checks += 1
                    ctx.rule = rule  # lets the data-flow engine apply the rule's sanitizers
                    for hit in rule.run(node, ctx):
                        hits.append((rule, hit, list(ancestors)))
                ancestors.pop()
            ancestors.append(node)
            children = list(ast.iter_child_nodes(node))
            todo.extend((child, depth + 1) for child in reversed(children))
        return hits, checks
