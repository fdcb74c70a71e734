"""The single AST pass over a file: each node is handed to the rules that asked for it."""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from typing import Iterable

from secreview.facts import walk
from secreview.findings import Level
from secreview.rules import handed
from secreview.rules.base import Hit, Rule
from secreview.rules.context import INSTANCE_CLASS_NAMES, RuleContext

_NAMED_CLASSES = (ast.Name, ast.Attribute)


class Dispatcher:
    """Indexes a set of rules by what they want so the pass does one dict lookup per node."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_call: dict[str, list[Rule]] = defaultdict(list)
        self.by_method: dict[str, list[Rule]] = defaultdict(list)
        self.by_type: dict[type, list[Rule]] = defaultdict(list)
        # (ast.Name or ast.Attribute, identifier) -> rules that want only those (``Rule.names``)
        self.by_identifier: dict[tuple[type, str], list[Rule]] = defaultdict(list)
        # keyword argument name -> rules that want only the calls passing it (``Rule.keywords``)
        self.by_keyword: dict[str, list[Rule]] = defaultdict(list)
        # assignment target name -> rules that want only the assignments to it (``Rule.targets``)
        self.by_target: dict[str, list[Rule]] = defaultdict(list)
        self.rules = list(rules)
        for rule in self.rules:
            for name in rule.calls:
                self.by_call[name].append(rule)
            for name in rule.methods:
                self.by_method[name].append(rule)
            for node_type in rule.nodes:
                if rule.names and node_type in _NAMED_CLASSES:
                    for identifier in rule.names:
                        self.by_identifier[node_type, identifier].append(rule)
                elif rule.keywords and node_type is ast.Call:
                    for keyword in rule.keywords:
                        self.by_keyword[keyword].append(rule)
                elif rule.targets and node_type is ast.Assign:
                    for target in rule.targets:
                        self.by_target[target].append(rule)
                else:
                    self.by_type[node_type].append(rule)
        wanted: set = set(self.by_type)
        if self.by_call or self.by_method or self.by_keyword:
            wanted.add(ast.Call)
        if self.by_target:
            wanted.add(ast.Assign)
        if self.by_identifier:
            wanted.add(walk.NamedNodes(frozenset(identifier for _, identifier in self.by_identifier)))
        self.wanted: frozenset = frozenset(wanted)  # node classes, and a walk.NamedNodes
        # A called ``a.b.NAME`` can only resolve to a qualified name ending in NAME.
        self._call_last_names = frozenset(name.rsplit(".", 1)[-1] for name in self.by_call)
        # Methods wanted on objects of a known class (``httpx.Client.get``: see RuleContext.call_name).
        self._instance_methods = frozenset(
            name.rsplit(".", 1)[-1] for name in self.by_call if name.rsplit(".", 1)[0] in INSTANCE_CLASS_NAMES)
        # Rules for a call, by (qualified name or None, method name or None, wanted keywords
        # passed or None): merged once.
        self._call_rules: dict[tuple[str | None, str | None, tuple[str, ...] | None], list[Rule]] = {}
        self._named_rules: dict[tuple[type, str], list[Rule]] = {}  # rules for a name, merged once
        self._plain_call_rules: list[Rule] = self.by_type.get(ast.Call, [])  # (calls no name/method wants)
        self._assign_rules: dict[tuple[str, ...], list[Rule]] = {}  # by wanted target names, merged once

    def rules_for(self, node: ast.AST, ctx: RuleContext, outer: tuple[ast.AST, ...] | None = None) -> list[Rule]:
        """The rules to run on ``node``; its ancestors are ``outer``, or ``ctx.ancestors`` when
        ``outer`` is None."""
        cls = node.__class__
        if cls is ast.Call:
            return self._rules_for_call(node, ctx, outer)  # type: ignore[arg-type]
        wanted = self.by_type.get(cls, [])
        if self.by_identifier and cls in _NAMED_CLASSES:
            identifier = node.id if cls is ast.Name else node.attr  # type: ignore[attr-defined]
            named = self.by_identifier.get((cls, identifier))
            if named:
                merged = self._named_rules.get((cls, identifier))
                if merged is None:
                    # in registration order, as if each of them wanted every such node
                    position = {id(rule): index for index, rule in enumerate(self.rules)}
                    unique = {id(rule): rule for rule in (*wanted, *named)}.values()
                    merged = self._named_rules[cls, identifier] = sorted(unique, key=lambda rule: position[id(rule)])
                return merged
        return wanted

    def _rules_for_call(self, node: ast.Call, ctx: RuleContext, outer: tuple[ast.AST, ...] | None) -> list[Rule]:
        name = None
        if self._may_match_call(node.func, ctx):
            if outer is not None:
                ctx.ancestors = list(outer)  # the call's scope decides what its name means
            name = ctx.call_name(node)
            if name not in self.by_call:
                name = None
        func = node.func
        method = func.attr if func.__class__ is ast.Attribute and func.attr in self.by_method else None  # type: ignore[attr-defined]
        keywords = self._wanted_keywords(node) if self.by_keyword and node.keywords else None
        if name is None and method is None and keywords is None:
            return self._plain_call_rules  # most calls
        key = (name, method, keywords)
        found = self._call_rules.get(key)
        if found is None:
            wanted = self._plain_call_rules
            if keywords is not None:
                wanted = self._in_order([*wanted, *(r for k in keywords for r in self.by_keyword[k])])
            extra: list[Rule] = list(self.by_call[name]) if name is not None else []
            if method is not None:
                extra.extend(r for r in self.by_method[method] if r not in extra)
            found = self._call_rules[key] = [*wanted, *(r for r in extra if r not in wanted)]
        return found

    def _rules_for_assignment(self, node: ast.Assign) -> list[Rule]:
        plain = self.by_type.get(ast.Assign, [])
        names = tuple(name for name in map(_target_name, node.targets) if name in self.by_target)
        if not names:
            return plain  # most assignments
        found = self._assign_rules.get(names)
        if found is None:
            found = self._assign_rules[names] = self._in_order([*plain, *(r for n in names for r in self.by_target[n])])
        return found

    def _wanted_keywords(self, call: ast.Call) -> tuple[str, ...] | None:
        """The keyword arguments of ``call`` that some rule asked for (``Rule.keywords``), if any."""
        found = tuple(k.arg for k in call.keywords if k.arg in self.by_keyword)
        return found or None

    def _in_order(self, rules: list[Rule]) -> list[Rule]:
        """``rules`` without repeats, in registration order (as if each wanted every such node)."""
        position = {id(rule): index for index, rule in enumerate(self.rules)}
        unique = {id(rule): rule for rule in rules}.values()
        return sorted(unique, key=lambda rule: position[id(rule)])

    def _may_match_call(self, func: ast.expr, ctx: RuleContext) -> bool:
        """Cheap necessary condition for ``ctx.call_name`` to be one of ``by_call``, without
        looking at scopes. The scope-aware name differs from the import-resolved one only by
        being None, ``<local>.NAME`` for a plain name bound in the enclosing scopes, or
        ``Class.NAME`` for a method of an object of a known class (in a file importing its module)."""
        if func.__class__ is ast.Name:
            if f"<local>.{func.id}" in self.by_call:  # type: ignore[attr-defined]
                return True
        elif func.__class__ is not ast.Attribute:
            return False  # calls on calls/subscripts have no qualified name
        elif func.attr not in self._call_last_names:  # type: ignore[attr-defined]
            return False
        elif func.attr in self._instance_methods and ctx.instances_possible():  # type: ignore[attr-defined]
            return True  # ``client.get``: the receiver may be an object of a known class
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
                nodes = [item for item in nodes if self._is_wanted(item[0])]
        else:
            nodes = walk.collect(tree, *self._walk_arguments())
        by_type = self.by_type
        call_class = ast.Call
        named = bool(self.by_identifier)
        rules_for_call = self._rules_for_call
        assign_class = ast.Assign if self.by_target else None
        handing = handed.LAST_NAMES  # (a call named so may hand a library function over)
        named_partials = ctx.named_partials  # (or call a partial of one kept in a name)
        name_class, attribute_class = ast.Name, ast.Attribute
        for node, outer in nodes:
            cls = node.__class__
            if cls is call_class:
                func = node.func  # type: ignore[attr-defined]
                func_class = func.__class__
                called = func.attr if func_class is attribute_class else func.id if func_class is name_class else None
                if called in handing or func_class is call_class or (named_partials and called in named_partials):
                    checks += self._check_handed(node, ctx, outer, hits)  # type: ignore[arg-type]
                rules = rules_for_call(node, ctx, outer)  # type: ignore[arg-type]
            elif cls is assign_class:
                rules = self._rules_for_assignment(node)  # type: ignore[arg-type]
            elif named and cls in _NAMED_CLASSES:
                rules = self.rules_for(node, ctx, outer)
            else:
                rules = by_type.get(cls)
            if not rules:
                continue
            ancestors = ctx.enter(outer, node)  # the node is the innermost "ancestor" for checks
            for rule in rules:
                checks += 1
                ctx.rule = rule  # lets the data-flow engine apply the rule's sanitizers
                result = rule.check(node, ctx)  # Rule.run inlined: this runs for most nodes
                if result is None:
                    continue
                for hit in (result,) if isinstance(result, Hit) else result:
                    hits.append((rule, hit, list(ancestors)))
        ctx.ancestors = []
        if hits:
            lower_in_dead_branches(hits, ctx)
        return hits, checks

    # --- a library function handed to a deferring call (see handed.py) -------------------------
    def _check_handed(self, call: ast.Call, ctx: RuleContext, outer: tuple[ast.AST, ...],
                      hits: list[tuple[Rule, Hit, list[ast.AST]]]) -> int:
        """Run, on the call of a library function that ``call`` hands over (``pool.submit(os.system,
        cmd)``), the rules that asked for that function, as on a direct call of it at ``call``.
        Returns the number of checks run."""
        reported: set[str] = set()  # (rules that reported the partial a later call calls)
        built = self._named_partial_call(call, ctx, outer, reported) if call.func.__class__ is ast.Name else None
        if built is None:
            built = self._handed_call(call, ctx, outer)
        if built is None:
            return 0
        rules = self._rules_for_handed(built, ctx)
        if not rules:
            return 0
        ctx.handed_calls[id(call)] = built
        if call.func.__class__ is ast.Call:
            ctx.handed_calls[id(call.func)] = built  # (``partial(f, query)(...)``: what the partial holds too)
        ancestors = ctx.enter((*outer, call), built)
        fired = ctx.handed_reported.setdefault(id(call), set())
        for rule in rules:
            if rule.id in reported:
                continue  # reported where the partial was made, for what it holds
            ctx.rule = rule
            result = rule.check(built, ctx)
            if result is None:
                continue
            for hit in (result,) if isinstance(result, Hit) else result:
                fired.add(rule.id)
                hits.append((rule, hit, list(ancestors)))
        return len(rules)

    def _named_partial_call(self, call: ast.Call, ctx: RuleContext, outer: tuple[ast.AST, ...],
                            reported: set[str]) -> ast.Call | None:
        """``run(cmd)`` after ``run = partial(subprocess.run, shell=True)`` (its only binding): the
        partial's function given what it holds and ``cmd``. ``reported`` receives the rules that
        reported the partial itself."""
        partial = ctx.named_partials.get(call.func.id)  # type: ignore[attr-defined]
        if partial is None or not (call.args or call.keywords):
            return None  # (called with nothing more: what the partial holds was checked where it was made)
        ctx.enter(outer, call)
        held = ctx.handed_calls.get(id(partial))
        if held is None or ctx.facts.scopes.bindings_of(call.func.id, ctx.scope_chain) != [partial]:  # type: ignore[attr-defined]
            return None
        reported |= ctx.handed_reported.get(id(partial), set())
        return handed.called_at_once(call, held)

    def _handed_call(self, call: ast.Call, ctx: RuleContext, outer: tuple[ast.AST, ...],
                     at_once: bool = False) -> ast.Call | None:
        """The call ``call`` stands for when it hands over a library function some rule asked for;
        ``at_once``: ``call`` is itself called right away (``partial(f, x)(y)``)."""
        func = call.func
        if func.__class__ is ast.Call and not at_once:  # ``partial(subprocess.run, shell=True)(cmd)``
            inner = self._handed_call(func, ctx, (*outer, call), at_once=True)  # type: ignore[arg-type]
            return None if inner is None else handed.called_at_once(call, inner)
        for name, row in handed.candidate_rows(call):
            if at_once and not row.returns_function:
                continue
            target = handed.function_of(call, row)
            if target is None or not (self._may_be_wanted(target, ctx) or self._wanted_keywords(call)):
                continue
            if handed.is_own_method(target, outer):
                return None
            ctx.enter(outer, call)  # (the names are those of the call's scope)
            if name is not None and ctx.qualname(func) != name:
                continue
            if row.returns_function and not at_once and outer:
                parent = outer[-1]
                if parent.__class__ is ast.Call and parent.func is call:  # type: ignore[attr-defined]
                    return None  # called at once: the outer call is the one (see above)
                if parent.__class__ is ast.Assign and len(parent.targets) == 1 and parent.targets[0].__class__ is ast.Name:  # type: ignore[attr-defined]
                    ctx.named_partials[parent.targets[0].id] = call  # type: ignore[attr-defined]
            return handed.equivalent_call(call, row, target, name or func.attr, ctx.flow)  # type: ignore[attr-defined]
        return None

    def _may_be_wanted(self, function: ast.expr, ctx: RuleContext) -> bool:
        """Cheap necessary condition for some rule to ask for a call of ``function``."""
        return self._may_match_call(function, ctx) or (
            function.__class__ is ast.Attribute and function.attr in self.by_method)  # type: ignore[attr-defined]

    def _rules_for_handed(self, built: ast.Call, ctx: RuleContext) -> list[Rule]:
        """The rules that asked for the function ``built`` calls, by name or method, or for the
        keyword arguments it is given (not those that want every call: they see the deferring
        call itself, with the same arguments)."""
        name = ctx.call_name(built) if self._may_match_call(built.func, ctx) else None
        wanted = list(self.by_call.get(name, ())) if name is not None else []
        func = built.func
        if func.__class__ is ast.Attribute:
            wanted += self.by_method.get(func.attr, ())  # type: ignore[attr-defined]
        for keyword in self._wanted_keywords(built) or ():
            wanted += self.by_keyword[keyword]
        return self._in_order(wanted) if wanted else []

    def _walk_arguments(self) -> tuple[set[type], frozenset[str]]:
        types = {kind for kind in self.wanted if isinstance(kind, type)}
        names = frozenset(identifier for _, identifier in self.by_identifier)
        return types, names

    def _is_wanted(self, node: ast.AST) -> bool:
        cls = node.__class__
        if cls in self.wanted:
            return True
        if cls in _NAMED_CLASSES and self.by_identifier:
            identifier = node.id if cls is ast.Name else node.attr  # type: ignore[attr-defined]
            return (cls, identifier) in self.by_identifier
        return False


def _target_name(target: ast.expr) -> str | None:
    """The name ``Rule.targets`` knows an assignment target by: ``NAME`` for ``NAME`` and
    ``x.NAME``, ``NAME[]`` for ``NAME[k]`` and ``x.NAME[k]``; None for other targets."""
    cls = target.__class__
    if cls is ast.Name:
        return target.id  # type: ignore[attr-defined]
    if cls is ast.Attribute:
        return target.attr  # type: ignore[attr-defined]
    if cls is ast.Subscript:
        container = _target_name(target.value)  # type: ignore[attr-defined]
        return None if container is None else container + "[]"
    return None


# --- code that never runs ------------------------------------------------------------------------
# Rules about what the text of the file gives away, whether it runs or not: a credential written in
# a branch that never runs is still in the repository for everyone who reads it.
_TEXT_RULES = frozenset({"hardcoded-password", "hardcoded-secret", "trojan-source"})
_BRANCHING = (ast.If, ast.IfExp, ast.While)
_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def lower_in_dead_branches(hits: list[tuple[Rule, Hit, list[ast.AST]]], ctx: RuleContext) -> None:
    """Low confidence for the hits inside a branch that never runs (``if False:``, ``if DEBUG:``
    after ``DEBUG = False``, the ``else`` of ``if True:``), as the data-flow rules do there (the
    code may be switched on by an edit; it cannot run as written). Asked once per file with hits,
    and only about their ancestors: the pass over the nodes is not slowed."""
    decided: dict[int, bool | None] = {}  # branching node id -> its test's constant truth
    for rule, hit, ancestors in hits:
        if rule.id in _TEXT_RULES:
            continue
        dead = _dead_branch(ancestors, ctx, decided)
        if dead is None:
            continue
        hit.confidence = Level.LOW
        test, truth = dead
        if hit.message:
            hit.message += f" (In a branch that never runs: `{ctx.source(test)}` is always {truth}.)"


def _dead_branch(ancestors: list[ast.AST], ctx: RuleContext, decided: dict[int, bool | None]
                 ) -> tuple[ast.expr, bool] | None:
    """The constant test, and its value, of a branch among ``ancestors`` that is never taken."""
    for index in range(len(ancestors) - 1):
        node = ancestors[index]
        if node.__class__ not in _BRANCHING:
            continue
        child = ancestors[index + 1]
        if child is node.test:  # type: ignore[attr-defined]
            continue
        key = id(node)
        if key not in decided:
            decided[key] = _constant_truth(node.test, ancestors[:index], ctx)  # type: ignore[attr-defined]
        truth = decided[key]
        if truth is None:
            continue
        if node.__class__ is ast.IfExp:
            in_body = child is node.body  # type: ignore[attr-defined]
        else:
            in_body = any(child is statement for statement in node.body)  # type: ignore[attr-defined]
        if in_body != truth and (in_body or node.__class__ is not ast.While):
            return node.test, truth  # type: ignore[attr-defined]
    return None


def _constant_truth(test: ast.expr, outer: list[ast.AST], ctx: RuleContext) -> bool | None:
    """The truth of ``test`` when it is made of literals and module-level names bound once to
    literals (not rebound in a function between: ``DEBUG`` as a parameter is not the module's)."""
    from secreview.dataflow import analyzer  # (only for files with hits in a branch)

    names = {node.id for node in ast.walk(test) if node.__class__ is ast.Name}
    constants: dict = {}
    if names:
        module = ctx.facts.scopes.collector(ctx.facts.scopes.tree)
        chain = [node for node in outer if isinstance(node, _SCOPES)]
        known = ctx.flow.module_constants if ctx.flow is not None else _module_constants(ctx)
        for name in names:
            if name not in known or ctx.facts.scopes.binder(name, chain) is not module or _declared_global(name, ctx):
                return None
            constants[name] = known[name]
    value = analyzer.fold(test, {}, constants)
    if value is analyzer.NOTHING:
        return None
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - a folded value whose truth cannot be taken
        return None


def _declared_global(name: str, ctx: RuleContext) -> bool:
    """``global DEBUG`` in some function: it may rebind the module's name when it runs."""
    return any(line.lstrip().startswith("global") and re.search(rf"\b{re.escape(name)}\b", line)
               for line in ctx.parsed.lines)


def _module_constants(ctx: RuleContext) -> dict:
    """Module-level names bound once to literals, without the data flow (``--no-dataflow``)."""
    from secreview.dataflow import _module_constants as constants_of

    found = ctx.__dict__.get("_dispatch_module_constants")
    if found is None:
        found = ctx.__dict__["_dispatch_module_constants"] = constants_of(ctx.facts)
    return found
