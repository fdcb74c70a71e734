"""Scopes and constant-awareness.

A value is *constant* when it is a literal or is computed only from literals: names bound only to
constant values in their scope (all bindings, wherever they are), string formatting, concatenation
and pure helpers such as ``os.path.join`` of constants. Rules use this to stay silent on commands,
queries and paths that no caller can influence. The data-flow engine refines it flow-sensitively.
"""
from __future__ import annotations

import ast
from typing import Iterable

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


class _BindingCollector(ast.NodeVisitor):
    """Collect name -> [value expressions] for one scope, not descending into nested scopes."""

    def __init__(self) -> None:
        self.bindings: dict[str, list[ast.expr | None]] = {}
        self.escaped: set[str] = set()  # global/nonlocal: value comes from elsewhere

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
        # Attribute / Subscript targets bind no local name.

    def collect(self, scope: ScopeNode) -> "_BindingCollector":
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = scope.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None:
                    self.bind(arg.arg, UNKNOWN)
            body = [scope.body] if isinstance(scope, ast.Lambda) else scope.body
        else:
            body = scope.body
        for node in body:
            self.visit(node)
        return self

    # Nested scopes: bind their name, do not enter them.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.bind(node.name, UNKNOWN)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.bind(node.name, UNKNOWN)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return

    def _visit_comprehension(self, node: ast.AST) -> None:
        # Comprehension targets are local to the comprehension; a walrus inside leaks out.
        for child in ast.walk(node):
            if isinstance(child, ast.NamedExpr) and isinstance(child.target, ast.Name):
                self.bind(child.target.id, UNKNOWN)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def visit_Global(self, node: ast.Global) -> None:
        self.escaped.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.escaped.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.bind_target(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.bind_target(node.target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            combined = ast.BinOp(left=ast.Name(id=node.target.id, ctx=ast.Load()), op=node.op, right=node.value)
            self.bind(node.target.id, combined)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.bind_target(node.target, node.value)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self.bind_target(node.target, UNKNOWN)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self.bind_target(node.optional_vars, UNKNOWN)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bind(node.name, UNKNOWN)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name.split(".")[0], UNKNOWN)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name, UNKNOWN)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.bind(node.name, UNKNOWN)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.bind(node.name, UNKNOWN)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.bind(node.rest, UNKNOWN)
        self.generic_visit(node)


class ScopeIndex:
    """Lazily computed bindings per scope, and the constant test built on them."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self._collected: dict[int, _BindingCollector] = {}

    def collector(self, scope: ScopeNode) -> _BindingCollector:
        key = id(scope)
        found = self._collected.get(key)
        if found is None:
            found = self._collected[key] = _BindingCollector().collect(scope)
        return found

    def bindings_of(self, name: str, chain: list[ScopeNode]) -> list[ast.expr | None] | None:
        """Bindings of ``name`` in the innermost scope of ``chain`` that binds it (LEGB, skipping
        class bodies for names used inside methods). None when no scope binds it."""
        innermost = chain[-1] if chain else self.tree
        for position in range(len(chain) - 1, -1, -1):
            scope = chain[position]
            if isinstance(scope, ast.ClassDef) and scope is not innermost:
                continue
            collected = self.collector(scope)
            if name in collected.escaped:
                return [UNKNOWN]
            if name in collected.bindings:
                return collected.bindings[name]
        if not chain or chain[0] is not self.tree:
            collected = self.collector(self.tree)
            if name in collected.bindings:
                return collected.bindings[name]
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
            case ast.Subscript(value=value, slice=index):
                return self.is_constant(value) and self.is_constant(index)
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
