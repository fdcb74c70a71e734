"""Scopes and constant-awareness.

A value is *constant* when it is a literal or is computed only from literals: names bound only to
constant values in their scope (all bindings, wherever they are), string formatting, concatenation
and pure helpers such as ``os.path.join`` of constants. Rules use this to stay silent on commands,
queries and paths that no caller can influence. The data-flow engine refines it flow-sensitively.
"""
from __future__ import annotations

import ast
from typing import Iterable

from secreview.facts import walk

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef

UNKNOWN = None  # a binding whose value is not an analysable expression (parameter, loop target...)

# Calls whose result is constant when all their arguments (and receiver) are constant.
PURE_FUNCTIONS = frozenset({
    "str", "int", "float", "bool", "bytes", "len", "repr", "format", "tuple", "list", "sorted",
    "min", "max", "abs", "round", "chr", "ord", "hex", "oct",
    "os.path.join", "os.path.basename", "os.path.dirname", "os.path.normpath", "os.path.abspath",
    "posixpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath", "shlex.quote",
    "shlex.join", "textwrap.dedent",
})
PURE_METHODS = frozenset({
    "format", "join", "strip", "lstrip", "rstrip", "lower", "upper", "replace", "encode", "decode",
    "split", "rsplit", "title", "capitalize", "casefold", "center", "ljust", "rjust", "zfill",
    "removeprefix", "removesuffix", "splitlines", "expandtabs", "format_map", "partition",
})


class _BindingCollector:
    """Collect name -> [value expressions] for one scope, not descending into nested scopes.

    An explicit loop rather than an ``ast.NodeVisitor``: this runs over most of every file, and
    the visitor's recursive ``generic_visit`` was a hot spot. Each ``visit_X`` binds what the node
    binds and returns the child nodes to look into (``_ALL`` for all of them)."""

    def __init__(self, expressions_bind: bool = True) -> None:
        self.bindings: dict[str, list[ast.expr | None]] = {}
        self.escaped: set[str] = set()  # global/nonlocal: value comes from elsewhere
        # The ``for NAME in ...`` statements of the scope, by NAME (their binding is UNKNOWN; rules
        # look at what they iterate over).
        self.loops: dict[str, list[ast.For | ast.AsyncFor]] = {}
        # ``for key, NAME in ...``: the loops unpacking pairs into NAME, with NAME's place in the
        # pair (0 or 1) -- facts.uploads looks at ``request.files.items()``, ``enumerate(...)``.
        self.pair_loops: dict[str, list[tuple[ast.For | ast.AsyncFor, int]]] = {}
        # The ``with EXPR as NAME`` items of the scope, by NAME (their binding is UNKNOWN: NAME is
        # what ``EXPR.__enter__()`` returns; facts.instances looks at EXPR).
        self.entered: dict[str, list[ast.withitem]] = {}
        # The values bound as a container's contents rather than as the container itself (``d["k"]
        # = v``, ``items.append(v)``), by id: what the container *is* does not change
        # (dataflow/responses.py: a dict filled item by item is still a dict).
        self.contents: set[int] = set()
        # Without walrus operators in the file, no expression binds a name: only statements (and
        # match patterns) are searched, a fraction of the nodes. (The field names of each node
        # class are cached in a dict, filled by a function on a miss.)
        self.fields_of = walk.reversed_fields if expressions_bind else _binding_fields
        self._known_fields, self._compute_fields = (
            (walk._REVERSED_FIELDS, walk._reversed_fields) if expressions_bind else (_BINDING_FIELDS, _binding_fields))

    def bind(self, name: str, value: ast.expr | None) -> None:
        self.bindings.setdefault(name, []).append(value)

    def bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts) else None
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.bind_target(element.value, UNKNOWN)
                else:
                    self.bind_target(element, values[index] if values else UNKNOWN)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, UNKNOWN)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.bind(target.value.id, value)  # ``d["k"] = v``: d now also holds v
            self.contents.add(id(value))
        # Attribute targets bind no local name.

    def collect(self, scope: ScopeNode) -> "_BindingCollector":
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = scope.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None:
                    self.bind(arg.arg, UNKNOWN)
            body = [scope.body] if isinstance(scope, ast.Lambda) else scope.body
        else:
            body = scope.body
        self._visit_all(body)
        return self

    def _visit_all(self, nodes: list[ast.AST]) -> None:
        stack = list(reversed(nodes))
        pop, push, extend = stack.pop, stack.append, stack.extend
        visitors = _VISITORS
        expressions = self.fields_of is not _binding_fields
        known_fields, compute_fields = self._known_fields, self._compute_fields
        node_type = ast.AST
        while stack:
            node = pop()
            cls = node.__class__
            visitor = visitors.get(cls)
            if visitor is not None:
                inner = visitor(self, node)
                if inner is not _ALL:
                    if inner and expressions:  # (decorators: expressions)
                        extend(reversed(inner))
                    continue
            fields = known_fields.get(cls)
            if fields is None:
                fields = compute_fields(cls)
            for name in fields:  # children, last first (walk.children inlined)
                value = getattr(node, name, None)
                if value.__class__ is list:
                    for child in reversed(value):
                        if isinstance(child, node_type):
                            push(child)
                elif isinstance(value, node_type):
                    push(value)

    # Nested scopes: bind their name, do not enter them.
    def visit_FunctionDef(self, node: ast.FunctionDef):
        self.bind(node.name, UNKNOWN)
        return node.decorator_list

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef):
        self.bind(node.name, UNKNOWN)
        return node.decorator_list

    def visit_Lambda(self, node: ast.Lambda):
        return None

    def _visit_comprehension(self, node: ast.AST):
        # Comprehension targets are local to the comprehension; a walrus inside leaks out.
        for child in walk.preorder(node):
            if isinstance(child, ast.NamedExpr) and isinstance(child.target, ast.Name):
                self.bind(child.target.id, UNKNOWN)
        return None

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def visit_Global(self, node: ast.Global):
        self.escaped.update(node.names)
        return None

    visit_Nonlocal = visit_Global

    def visit_Assign(self, node: ast.Assign):
        for target in node.targets:
            self.bind_target(target, node.value)
        return _ALL

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is not None:
            self.bind_target(node.target, node.value)
        return _ALL

    def visit_AugAssign(self, node: ast.AugAssign):
        if isinstance(node.target, ast.Name):
            combined = ast.BinOp(left=ast.Name(id=node.target.id, ctx=ast.Load()), op=node.op, right=node.value)
            self.bind(node.target.id, combined)
        return _ALL

    def visit_Expr(self, node: ast.Expr):
        # ``items.append(x)``: the container now also holds x, so it is constant only if x is.
        call = node.value
        if call.__class__ is ast.Call and call.func.__class__ is ast.Attribute and call.func.attr in _ADDING_METHODS:
            container = call.func.value
            if container.__class__ is ast.Name:
                for argument in [*call.args, *(k.value for k in call.keywords)]:
                    value = argument.value if isinstance(argument, ast.Starred) else argument
                    self.bind(container.id, value)
                    self.contents.add(id(value))
        return _ALL

    def visit_NamedExpr(self, node: ast.NamedExpr):
        self.bind_target(node.target, node.value)
        return _ALL

    def visit_For(self, node: ast.For):
        self.bind_target(node.target, UNKNOWN)
        target = node.target
        if target.__class__ is ast.Name:
            self.loops.setdefault(target.id, []).append(node)
        elif target.__class__ is ast.Tuple and len(target.elts) == 2:
            for position, element in enumerate(target.elts):
                if element.__class__ is ast.Name:
                    self.pair_loops.setdefault(element.id, []).append((node, position))
        return _ALL

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem):
        if node.optional_vars is not None:
            self.bind_target(node.optional_vars, UNKNOWN)
            if node.optional_vars.__class__ is ast.Name:
                self.entered.setdefault(node.optional_vars.id, []).append(node)
        return _ALL

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        if node.name:
            self.bind(node.name, UNKNOWN)
        return _ALL

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self.bind(alias.asname or alias.name.split(".")[0], UNKNOWN)
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom):
        for alias in node.names:
            self.bind(alias.asname or alias.name, UNKNOWN)
        return None

    def visit_MatchAs(self, node: ast.MatchAs):
        if node.name:
            self.bind(node.name, UNKNOWN)
        return _ALL

    def visit_MatchStar(self, node: ast.MatchStar):
        if node.name:
            self.bind(node.name, UNKNOWN)
        return None

    def visit_MatchMapping(self, node: ast.MatchMapping):
        if node.rest:
            self.bind(node.rest, UNKNOWN)
        return _ALL


# Methods that put their arguments into the container they are called on.
_ADDING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"})
_STATEMENT_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "items", "cases", "pattern", "patterns", "kwd_patterns"})
_BINDING_FIELDS: dict[type, tuple[str, ...]] = {}


def _binding_fields(cls: type) -> tuple[str, ...]:
    """Fields of ``cls`` that can hold a name-binding node when no expression binds (last first)."""
    fields = _BINDING_FIELDS.get(cls)
    if fields is None:
        if issubclass(cls, ast.expr) or not issubclass(cls, (ast.stmt, ast.excepthandler, ast.match_case, ast.pattern)):
            fields = ()  # expressions; withitem (bound by its visitor); arguments, keywords...
        else:
            fields = tuple(name for name in walk.reversed_fields(cls) if name in _STATEMENT_FIELDS)
        _BINDING_FIELDS[cls] = fields
    return fields


_ALL: list = []  # sentinel returned by a visitor: look into every child (compared by identity)
_VISITORS = {
    getattr(ast, name.removeprefix("visit_")): function
    for name, function in vars(_BindingCollector).items()
    if name.startswith("visit_") and hasattr(ast, name.removeprefix("visit_"))
}


class ScopeIndex:
    """Lazily computed bindings per scope, and the constant test built on them."""

    def __init__(self, tree: ast.Module, expressions_bind: bool | None = True) -> None:
        """``expressions_bind=False`` promises the file has no ``:=`` (the facts walk knows): then
        only statements (and match patterns) can bind names, and expressions are not searched.
        None: not known; each scope's expressions are searched (a walk of that scope only)."""
        self.tree = tree
        self.expressions_bind = expressions_bind
        self._collected: dict[int, _BindingCollector] = {}
        self.memo: dict[str, dict] = {}  # per-file facts that rules derive from scopes, by purpose

    def collector(self, scope: ScopeNode) -> _BindingCollector:
        key = id(scope)
        found = self._collected.get(key)
        if found is None:
            # Not known (None): search the scope's expressions too, as for a file with walruses.
            found = self._collected[key] = _BindingCollector(self.expressions_bind is not False).collect(scope)
        return found

    def bindings_of(self, name: str, chain: list[ScopeNode]) -> list[ast.expr | None] | None:
        """Bindings of ``name`` in the innermost scope of ``chain`` that binds it (LEGB, skipping
        class bodies for names used inside methods). None when no scope binds it."""
        collected = self.binder(name, chain)
        if collected is None:
            return None
        return [UNKNOWN] if name in collected.escaped else collected.bindings[name]

    def binder(self, name: str, chain: list[ScopeNode]) -> _BindingCollector | None:
        """The bindings of the scope that ``bindings_of`` takes ``name``'s from (its ``escaped``
        has ``name`` when a global/nonlocal statement makes it come from elsewhere); None when no
        scope binds it."""
        innermost = chain[-1] if chain else self.tree
        for position in range(len(chain) - 1, -1, -1):
            scope = chain[position]
            if isinstance(scope, ast.ClassDef) and scope is not innermost:
                continue
            collected = self.collector(scope)
            if name in collected.escaped or name in collected.bindings:
                return collected
        if not chain or chain[0] is not self.tree:
            collected = self.collector(self.tree)
            if name in collected.bindings:
                return collected
        return None

    def is_constant(self, expr: ast.expr | None, chain: list[ScopeNode], qualname=None) -> bool:
        return _ConstantEvaluator(self, chain, qualname).is_constant(expr)


class _ConstantEvaluator:
    def __init__(self, index: ScopeIndex, chain: list[ScopeNode], qualname) -> None:
        self.index = index
        self.chain = chain
        self.qualname = qualname or (lambda node: None)
        self.in_progress: set[str] = set()

    def all_constant(self, exprs: Iterable[ast.expr | None]) -> bool:
        return all(self.is_constant(e) for e in exprs)

    def is_constant(self, expr: ast.expr | None) -> bool:
        if expr is None:
            return False
        match expr:
            case ast.Constant():
                return True
            case ast.JoinedStr(values=values):
                return self.all_constant(values)
            case ast.FormattedValue(value=value, format_spec=spec):
                return self.is_constant(value) and (spec is None or self.is_constant(spec))
            case ast.BinOp(left=left, right=right):
                return self.is_constant(left) and self.is_constant(right)
            case ast.UnaryOp(operand=operand):
                return self.is_constant(operand)
            case ast.BoolOp(values=values):
                return self.all_constant(values)
            case ast.Compare(left=left, comparators=rest):
                return self.is_constant(left) and self.all_constant(rest)
            case ast.IfExp(body=body, orelse=orelse):
                return self.is_constant(body) and self.is_constant(orelse)
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                return self.all_constant(e.value if isinstance(e, ast.Starred) else e for e in elts)
            case ast.Dict(keys=keys, values=values):
                return self.all_constant(k for k in keys if k is not None) and self.all_constant(values)
            case ast.Subscript(value=value):
                # An element of a constant container is one of its constants, whatever the key:
                # ``TOOLS[name]`` with a constant TOOLS is an allow-list lookup.
                return self.is_constant(value)
            case ast.Slice(lower=lower, upper=upper, step=step):
                return self.all_constant(p for p in (lower, upper, step) if p is not None)
            case ast.Name(id=name):
                return self.name_is_constant(name)
            case ast.Call():
                return self.call_is_constant(expr)
        return False

    def name_is_constant(self, name: str) -> bool:
        if name in self.in_progress:
            return True  # greatest fixpoint: `x = "a"; x += "b"` stays constant
        bindings = self.index.bindings_of(name, self.chain)
        if not bindings:
            return False
        self.in_progress.add(name)
        try:
            return self.all_constant(bindings)
        finally:
            self.in_progress.discard(name)

    def call_is_constant(self, call: ast.Call) -> bool:
        arguments = [*call.args, *(k.value for k in call.keywords)]
        arguments = [a.value if isinstance(a, ast.Starred) else a for a in arguments]
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in PURE_METHODS and self.is_constant(func.value):
            return self.all_constant(arguments)
        name = self.qualname(func)
        if name in PURE_FUNCTIONS:
            return self.all_constant(arguments)
        return False
