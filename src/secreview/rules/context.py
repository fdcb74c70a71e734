"""The view of one file that a rule's check sees while the AST pass is at a node."""
from __future__ import annotations

import ast
from typing import Any

from secreview.facts import FileFacts, instances
from secreview.facts.scopes import ScopeNode
from secreview.parse import ParsedFile

_SCOPE_TYPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
MISSING: Any = object()
# The only node classes ast.literal_eval can evaluate (a constant, a container, ``set()``, a signed
# or complex number; and an Expression or source text, which it unwraps): it rejects any other.
_LITERAL_CLASSES = frozenset({
    ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Call, ast.BinOp, ast.UnaryOp, ast.Expression, str,
})
# Classes whose objects the rules know by their methods: ``client.get(url)``, where ``client`` is
# made by one of these constructors (``client = httpx.Client()``, ``with requests.Session() as
# client``, ``self.client = ...``: see facts.instances), is ``httpx.Client.get`` to ``call_name``.
# The constructor's import-resolved name -> the class's name in the rule tables.
INSTANCE_CLASSES = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.AsyncClient",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.ProxyManager",
    "urllib3.poolmanager.ProxyManager": "urllib3.ProxyManager",
    "random.Random": "random.Random",  # (its methods are the module's predictable generator)
    # fabric's SSH connections and host groups, invoke's context: ``c.run(cmd)`` runs a shell command
    "fabric.Connection": "fabric.Connection",
    "fabric.connection.Connection": "fabric.Connection",
    "fabric.SerialGroup": "fabric.Group",
    "fabric.ThreadingGroup": "fabric.Group",
    "fabric.group.SerialGroup": "fabric.Group",
    "fabric.group.ThreadingGroup": "fabric.Group",
    "invoke.Context": "invoke.Context",
    "invoke.context.Context": "invoke.Context",
}
# Task decorators whose function gets a context object as its first parameter (``@task def
# deploy(c): c.run(...)``): the decorator's import-resolved name -> the class of that parameter. A
# fabric task run with hosts (``fab -H web1 deploy``) gets a Connection to each host.
TASK_CONTEXT_CLASSES = {
    "fabric.task": "fabric.Connection",
    "fabric.tasks.task": "fabric.Connection",
    "invoke.task": "invoke.Context",
    "invoke.tasks.task": "invoke.Context",
}
INSTANCE_CLASS_NAMES = frozenset(INSTANCE_CLASSES.values())
_INSTANCE_MODULES = tuple(sorted({name.split(".")[0] for name in INSTANCE_CLASSES}))


class RuleContext:
    def __init__(self, parsed: ParsedFile, facts: FileFacts, flow: Any = None) -> None:
        self.parsed = parsed
        self.facts = facts
        self.path = parsed.path
        self.ancestors: list[ast.AST] = []  # set by the AST pass: outermost first
        self.rule = None  # the rule being run (set by the dispatcher)
        self._chain_key: tuple[int, int, int] = (0, 0, 0)
        self._chain: list[ScopeNode] = []
        self._entered: tuple[list[ast.AST] | None, tuple[ast.AST, ...]] = (None, ())  # see enter()
        # scope chain of each ancestors tuple of the facts walk, by id (the tuple is kept: its id
        # cannot be reused meanwhile); siblings share one tuple, so most nodes find theirs here
        self._outer_chains: dict[int, tuple[tuple[ast.AST, ...], list[ScopeNode]]] = {}
        self.flow = flow  # data-flow results for this file (taint queries), when available
        self._imports_instance_modules: bool | None = None  # see instances_possible()
        # A deferring call (by id) -> the call of the library function it hands over, as the
        # rules checked it (``pool.submit(cursor.execute, query)``; see rules/handed.py).
        self.handed_calls: dict[int, ast.Call] = {}
        self.handed_reported: dict[int, set[str]] = {}  # deferring call id -> the rules that reported it so
        self.named_partials: dict[str, ast.Call] = {}  # ``run = partial(subprocess.run, ...)``: name -> the partial

    # --- names -----------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> str | None:
        """Import-resolved dotted name; a root name bound locally (``def eval(...)``, a variable)
        and not imported resolves to ``<local>.name`` so it never matches a library API."""
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id not in self.facts.imports.aliases:
            if self.facts.scopes.bindings_of(root.id, self.scope_chain):
                if root is node:
                    return f"<local>.{root.id}"
                return None if root.id not in self.facts.imports.local_defs else self.facts.imports.qualname(node)
        return self.facts.imports.qualname(node)

    def may_resolve_to(self, node: ast.AST, last_names: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        """Cheap necessary condition, without any scope lookup, for ``qualname(node)`` to be one of
        ``last_names`` or to end with ``.NAME`` for one of them: rules ask it first for nodes that
        are nearly never what they look for. The qualified name of ``a.b.NAME`` ends in NAME (or is
        None); that of a plain ``NAME`` is its import alias's target, else ends in NAME (NAME,
        ``<local>.NAME``, ``module.NAME``); anything else has none."""
        if isinstance(node, ast.Attribute):
            return node.attr in last_names
        if isinstance(node, ast.Name):
            return node.id in last_names or node.id in self.facts.imports.aliases
        return False

    def call_name(self, call: ast.Call) -> str | None:
        """``qualname`` of the called function; for a method of an object made by one of
        ``INSTANCE_CLASSES`` (``client.get`` after ``client = httpx.Client()``), ``Class.method``."""
        name = self.qualname(call.func)
        if name is None and call.func.__class__ is ast.Attribute and self.instances_possible():
            made = self.instance_class(call.func.value)  # type: ignore[attr-defined]
            if made is not None:
                return f"{made}.{call.func.attr}"  # type: ignore[attr-defined]
        return name

    def instances_possible(self) -> bool:
        """Whether the file imports a module of ``INSTANCE_CLASSES`` (without, no object can be
        one: the lookups are skipped)."""
        possible = self._imports_instance_modules
        if possible is None:
            imports = self.facts.imports
            possible = self._imports_instance_modules = any(imports.imports_module(m) for m in _INSTANCE_MODULES)
        return possible

    def instance_class(self, receiver: ast.expr) -> str | None:
        """The class of ``INSTANCE_CLASSES`` that ``receiver`` (``requests.Session()``, a name,
        ``self.NAME``) was made from, when every binding of it says so; else None."""
        if not self.instances_possible():
            return None
        chain = self.scope_chain
        made = instances.class_of(self.facts.scopes, receiver, chain, self._constructed_class)
        if made is None and receiver.__class__ is ast.Name:
            return self._task_context_class(receiver.id, chain)  # type: ignore[attr-defined]
        return made

    def _task_context_class(self, name: str, chain: list[ScopeNode]) -> str | None:
        """``c`` in ``@task def deploy(c, ...)`` (fabric or invoke): the class of the context the
        task runner passes as the first parameter, when ``c`` is only that parameter."""
        index = self.facts.scopes
        binder = index.binder(name, chain)
        if binder is None or name in binder.escaped or binder.bindings.get(name) != [None]:
            return None
        for scope in reversed(chain):
            if scope.__class__ is ast.FunctionDef or scope.__class__ is ast.AsyncFunctionDef:
                if index.collector(scope) is not binder:
                    continue
                positional = [*scope.args.posonlyargs, *scope.args.args]  # type: ignore[union-attr]
                if not positional or positional[0].arg != name:
                    return None
                for decorator in scope.decorator_list:  # type: ignore[union-attr]
                    target = decorator.func if decorator.__class__ is ast.Call else decorator  # type: ignore[attr-defined]
                    made = TASK_CONTEXT_CLASSES.get(self.facts.imports.qualname(target) or "")
                    if made is not None:
                        return made
                return None
        return None

    def _constructed_class(self, value: ast.expr) -> str | None:
        if value.__class__ is not ast.Call:
            return None
        func = value.func  # type: ignore[attr-defined]
        root = func
        while root.__class__ is ast.Attribute:
            root = root.value
        if root.__class__ is not ast.Name or root.id not in self.facts.imports.aliases:
            return None  # only an imported class: a local ``Client`` is not httpx's
        return INSTANCE_CLASSES.get(self.facts.imports.qualname(func) or "")

    # --- arguments -------------------------------------------------------------------------
    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        return None

    @staticmethod
    def argument(call: ast.Call, position: int | None, name: str | None = None) -> ast.expr | None:
        """The argument at ``position`` or passed as keyword ``name`` (None when absent)."""
        if position is not None and position < len(call.args):
            candidate = call.args[position]
            if not isinstance(candidate, ast.Starred) and all(
                not isinstance(a, ast.Starred) for a in call.args[:position]
            ):
                return candidate
        if name is not None:
            return RuleContext.keyword(call, name)
        return None

    # --- values ----------------------------------------------------------------------------
    @property
    def scope_chain(self) -> list[ScopeNode]:
        """The enclosing scopes, outermost first (computed once per node: every name query uses it)."""
        ancestors = self.ancestors
        key = (id(ancestors), len(ancestors), id(ancestors[-1]) if ancestors else 0)
        if key != self._chain_key:
            self._chain = self._chain_of(ancestors)
            self._chain_key = key
        return list(self._chain)

    def enter(self, outer: tuple[ast.AST, ...], node: ast.AST) -> list[ast.AST]:
        """Set ``ancestors`` to ``outer`` + ``node`` (the dispatcher, for each node it visits); the
        scope chain, when asked for, is then derived from the one of ``outer``."""
        ancestors = self.ancestors = [*outer, node]
        self._entered = (ancestors, outer)
        return ancestors

    def _chain_of(self, ancestors: list[ast.AST]) -> list[ScopeNode]:
        entered, outer = self._entered
        if entered is not ancestors or len(ancestors) != len(outer) + 1:
            return [node for node in ancestors if isinstance(node, _SCOPE_TYPES)]
        # Entered by the dispatcher: the chain of ``outer`` (shared by siblings) is computed once.
        known = self._outer_chains.get(id(outer))
        if known is None or known[0] is not outer:
            known = self._outer_chains[id(outer)] = (outer, [n for n in outer if isinstance(n, _SCOPE_TYPES)])
        node = ancestors[-1]
        return [*known[1], node] if isinstance(node, _SCOPE_TYPES) else known[1]  # (never mutated)

    def is_constant(self, expr: ast.expr | None) -> bool:
        """True when ``expr`` can only ever be a value fixed in the source (no input reaches it)."""
        if self.flow is not None and self.flow.module_stores and self.flow.reads_module_state(expr, self.function):
            return False  # a module-level name bound to a constant that functions store data in
        return self.facts.scopes.is_constant(expr, self.scope_chain, self.qualname)

    def taint(self, expr: ast.expr | None, operator_may_choose: bool = False):
        """What untrusted data can reach ``expr`` at this point, with its trace, or None.

        Provided by the data-flow engine (``ctx.flow``); None when no engine ran or nothing
        untrusted reaches it. The result has ``.confidence`` (Level), ``.trace`` (TraceStep list)
        and ``.description`` (e.g. "HTTP query parameter"). ``operator_may_choose``: the command
        line, environment and prompts are not untrusted here (the program a process starts).
        """
        if self.flow is None or expr is None:
            return None
        return self.flow.taint_at(expr, self, operator_may_choose)

    def proven_safe(self, expr: ast.expr | None, cwe: int | None = None) -> bool:
        """Whether the data flow proved ``expr`` safe for ``cwe`` (default: the running rule's) on
        every path: a constant, a conversion (``int(x)``, an ``<int:pk>`` route parameter), a
        value checked against an allow-list, a sanitizer for that CWE (``shlex.quote`` for a
        shell). False without the engine, and for a value of unknown origin (an attribute, a
        library's return value, a parameter of a function nobody calls)."""
        if self.flow is None or expr is None:
            return False
        if cwe is None and self.rule is not None:
            cwe = self.rule.cwe
        return self.flow.proven_safe_at(expr, cwe)

    def note_sinks(self, expr: ast.expr | None, operator_may_choose: bool = False) -> None:
        """What ``taint(expr)`` notes without the report: the parameters of the function that
        reach ``expr`` make this sink one of the function's, for its callers (a sink with several
        variable pieces, reported for the first untrusted one, is reached through the others too)."""
        if self.flow is not None and expr is not None:
            self.flow.note_sinks_at(expr, self, operator_may_choose)

    def literal(self, expr: ast.expr | None, default: Any = MISSING) -> Any:
        """The Python value of a literal (or of a name bound once to a literal), else ``default``."""
        if expr is None:
            return default
        if isinstance(expr, ast.Name):
            bindings = self.facts.scopes.bindings_of(expr.id, self.scope_chain)
            if bindings and len(bindings) == 1 and bindings[0] is not None:
                expr = bindings[0]
        if expr.__class__ not in _LITERAL_CLASSES:
            return default  # ast.literal_eval would raise "malformed node" (costly, and common)
        try:
            return ast.literal_eval(expr)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return default

    def is_true(self, expr: ast.expr | None) -> bool:
        """``shell=True`` and friends: a literal truthy value (a non-literal counts as possibly true)."""
        if expr is None:
            return False
        value = self.literal(expr)
        return True if value is MISSING else bool(value)

    # --- where we are ----------------------------------------------------------------------
    @property
    def statement(self) -> ast.stmt | None:
        for node in reversed(self.ancestors):
            if isinstance(node, ast.stmt):
                return node
        return None

    @property
    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for node in reversed(self.ancestors):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def assigned_once_to(self, value: ast.expr) -> str | None:
        """The name the current statement assigns ``value`` to (``ctx = ssl.SSLContext()``), when
        that is the name's only binding in scope (so every use of the name is this value); else
        None."""
        statement = self.statement
        if not (isinstance(statement, ast.Assign) and statement.value is value and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return None
        name = statement.targets[0].id
        bindings = self.facts.scopes.bindings_of(name, self.scope_chain)
        return name if bindings and len(bindings) == 1 else None

    def source(self, node: ast.AST) -> str:
        """The source text of ``node`` (its first line, with an ellipsis, when it spans several)."""
        return node_source(self.parsed, node)


def node_source(parsed: ParsedFile, node: ast.AST) -> str:
    line_number = getattr(node, "lineno", 0)
    # AST columns are UTF-8 byte offsets: slice bytes, not characters.
    raw = parsed.source_line(line_number).encode("utf-8")
    start = getattr(node, "col_offset", 0)
    if getattr(node, "end_lineno", line_number) == line_number:
        end = getattr(node, "end_col_offset", len(raw))
        return raw[start:end].decode("utf-8", "replace")
    return raw[start:].decode("utf-8", "replace").rstrip() + " ..."
