"""The single AST pass over a file: each node is handed to the rules that asked for it."""
from __future__ import annotations

import ast
from collections import defaultdict
from typing import Iterable

from secreview.facts import walk
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
        self.wanted: frozenset[type] = frozenset(self.by_type) | (
            {ast.Call} if self.by_call or self.by_method else frozenset())

    def rules_for(self, node: ast.AST, ctx: RuleContext, outer: tuple[ast.AST, ...] | None = None) -> list[Rule]:
        """The rules to run on ``node``; its ancestors are ``outer``, or ``ctx.ancestors`` when
        ``outer`` is None."""
        wanted = self.by_type.get(type(node), [])
        if isinstance(node, ast.Call):
            extra: list[Rule] = []
            if self._may_match_call(node.func, ctx):
                if outer is not None:
                    ctx.ancestors = list(outer)  # the call's scope decides what its name means
                name = ctx.call_name(node)
                if name is not None and name in self.by_call:
                    extra.extend(self.by_call[name])
            if isinstance(node.func, ast.Attribute) and node.func.attr in self.by_method:
                extra.extend(r for r in self.by_method[node.func.attr] if r not in extra)
            if extra:
                return [*wanted, *(r for r in extra if r not in wanted)]
        return wanted

    def _may_match_call(self, func: ast.expr, ctx: RuleContext) -> bool:
        """Cheap necessary condition for ``ctx.call_name`` to be one of ``by_call``, without
        looking at scopes. The scope-aware name differs from the import-resolved one only by
        being None, or ``<local>.NAME`` for a plain name bound in the enclosing scopes."""
        if func.__class__ is ast.Name:
            if f"<local>.{func.id}" in self.by_call:
                return True
        elif func.__class__ is not ast.Attribute:
            return False  # calls on calls/subscripts have no qualified name
        return ctx.facts.imports.qualname(func) in self.by_call

    def run(self, tree: ast.Module, ctx: RuleContext) -> tuple[list[tuple[Rule, Hit, list[ast.AST]]], int]:
        """Visit the wanted nodes in preorder (gathered by the facts walk when it was asked to,
        else by one walk here) and run their rules.

        Returns the hits with the ancestors of their node (for statement ranges) and the number of
        checks run.
        """
        hits: list[tuple[Rule, Hit, list[ast.AST]]] = []
        checks = 0
        facts = ctx.facts
        if facts.collected >= self.wanted and facts.nodes is not None:
            nodes = facts.nodes
            if facts.collected != self.wanted:
                nodes = [item for item in nodes if item[0].__class__ in self.wanted]
        else:
            nodes = walk.collect(tree, self.wanted)
        by_type = self.by_type
        for node, outer in nodes:
            if node.__class__ is not ast.Call and node.__class__ not in by_type:
                continue
            rules = self.rules_for(node, ctx, outer)
            if not rules:
                continue
            ancestors = ctx.ancestors = [*outer, node]  # the node is the innermost "ancestor" for checks
            for rule in rules:
                checks += 1
                ctx.rule = rule  # lets the data-flow engine apply the rule's sanitizers
                result = rule.check(node, ctx)  # Rule.run inlined: this runs for most nodes
                if result is None:
                    continue
                for hit in (result,) if isinstance(result, Hit) else result:
                    hits.append((rule, hit, list(ancestors)))
        ctx.ancestors = []
        return hits, checks
