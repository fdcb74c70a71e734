"""How a string handed to a shell, a database or an HTML page was assembled, piece by piece.

Injection rules need more than "is this value constant?": a shell command built only from literals
and ``shlex.quote()`` results is safe, a query whose only variable part is ``%d`` of a number is
safe, and the SQL rule wants the literal text to decide whether a string is SQL at all. ``compose``
flattens an expression (f-strings, ``%``, ``.format``, ``+``, ``str.join``, names bound once in
scope) into ``Piece``s:

- ``TEXT``: fixed in the source (``text`` is its value when known, None when constant but unknown);
- ``SAFE``: variable but harmless for this sink: the result of one of the caller's ``sanitizers``
  (shlex.quote for a shell, html.escape for HTML...) or a number (int(), len(), ``%d``, ``{:d}``);
- ``DYNAMIC``: anything else (``node`` is the expression to report and to ask the data-flow engine
  about).

This module is not a rule module (leading underscore): it registers nothing.
"""
from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from secreview.facts import walk
from secreview.findings import Level, merged_sources
from secreview.rules._pathlib import PATH_CONSTRUCTORS, is_path_expression
from secreview.rules.base import LOW, Hit, dynamic_value_hit
from secreview.rules.context import RuleContext

TEXT, SAFE, DYNAMIC = "text", "safe", "dynamic"

# Values that can only render as a number (or a fixed vocabulary): harmless in a shell command, a
# query or HTML. int() of input is the standard validation for ids.
NUMERIC_CALLS = frozenset({
    "int", "float", "bool", "len", "abs", "round", "hash", "id", "ord",
    "uuid.UUID", "uuid.uuid4", "uuid.uuid1", "decimal.Decimal", "os.getpid", "os.getppid", "os.getuid",
    "os.geteuid", "os.getgid", "os.getegid", "os.cpu_count",
    # IPv4 only: IPv6 values (and ip_address() & co., which accept them) keep a scope id of any
    # characters but "%" and "/" ("fe80::1%;id"): see models/sanitizers.py.
    "ipaddress.IPv4Address", "ipaddress.IPv4Network", "ipaddress.IPv4Interface",
})
# printf-style conversions that only ever produce digits, signs, dots and exponents.
_NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")
_PERCENT_FIELD = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[a-zA-Z%])")
# str methods that keep the nature of their receiver (a quoted value stays quoted, input stays input).
_PASS_THROUGH_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold", "encode", "decode"})
_MAX_DEPTH = 40
_MAX_WORK = 5_000  # beyond this an expression is treated as variable (never slow on odd code)
# Names met this near the start of a composition (depth and work) have their pieces memoised:
# what they are worked out to then is what they would be from any start (see _Composer.name).
_MEMO_DEPTH = 8
_MEMO_WORK = 64
_NAME_PIECES = "string pieces of a name"  # (the key of that memo, in ScopeIndex.memo)


@dataclass(frozen=True)
class Piece:
    kind: str
    text: str | None = None  # TEXT: the literal text when known
    node: ast.AST | None = None  # SAFE/DYNAMIC: the expression
    how: str = ""  # SAFE: "sanitized" or "numeric"
    # DYNAMIC pieces reported as a name: the expressions the name's value was built from
    # (``cmd = "... %s %s" % (a, b)`` -> a, b; through names within names, the innermost ones),
    # for rebuilding the command in a fix.
    origins: tuple[ast.AST, ...] = ()
    # The names, outermost first, whose only value this piece is part of: in ``f"-f {out}"`` with
    # ``out = f"/tmp/export.{fmt}"`` both "/tmp/export." and ``fmt`` are within (out,). A fix may
    # write such a run of pieces as the name again.
    within: tuple[ast.AST, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.kind == TEXT


@dataclass
class Composition:
    pieces: list[Piece] = field(default_factory=list)
    built: bool = False  # assembled by formatting/concatenation/join (not just an opaque value)

    @property
    def dynamic(self) -> list[ast.AST]:
        return [p.node for p in self.pieces if p.kind == DYNAMIC and p.node is not None]

    @property
    def is_safe(self) -> bool:
        return not any(p.kind == DYNAMIC for p in self.pieces)

    def text(self, placeholder: str = "\x00") -> str:
        """The literal text, with ``placeholder`` where a variable piece goes."""
        return "".join(p.text if p.kind == TEXT and p.text is not None else ("" if p.kind == TEXT else placeholder)
                       for p in self.pieces)


@dataclass(frozen=True)
class Sanitizers:
    """What neutralises data for one kind of sink: qualified call names and method names."""

    calls: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()


NO_SANITIZERS = Sanitizers()


def _read_here(piece: Piece, first: ast.AST, here: ast.AST) -> Piece:
    """A memoised piece of the name read at ``first``, for the same name read at ``here``."""
    within = piece.within
    if piece.node is not first and not (within and within[0] is first):
        return piece
    return Piece(piece.kind, piece.text, here if piece.node is first else piece.node, piece.how, piece.origins,
                 (here, *within[1:]) if within and within[0] is first else within)


def value_expressions(pieces: list[Piece], index: int, whole: ast.AST | None = None) -> tuple[ast.AST | None, ...]:
    """What the variable piece ``pieces[index]`` stands for, as code to write in a fix or a message:
    the variable whose whole value it is (``n`` in ``clause = "name = '" + n + "'"``; not ``whole``,
    the expression composed), else the expressions it was made of (the text around it is in
    ``pieces``)."""
    piece = pieces[index]
    before = pieces[index - 1].within if index else ()
    after = pieces[index + 1].within if index + 1 < len(pieces) else ()
    for depth, name in enumerate(piece.within):
        if name is whole:
            continue
        if not (len(before) > depth and before[depth] is name) and not (len(after) > depth and after[depth] is name):
            return (name,)
    return piece.origins or (piece.node,)


def compose(ctx: RuleContext, expr: ast.expr | None, sanitizers: Sanitizers = NO_SANITIZERS) -> Composition:
    """Flatten ``expr`` into pieces (see the module docstring)."""
    composer = _Composer(ctx, sanitizers)
    if expr is None:
        return Composition([])
    pieces = composer.pieces(expr)
    return Composition(pieces, composer.built)


def sequence_elements(ctx: RuleContext, expr: ast.expr | None, depth: int = 0) -> list[ast.expr] | None:
    """The elements of a list/tuple literal, also through a name bound once to one (following
    ``.append/.extend/.insert`` calls and ``+=`` on it in the same scope), else None."""
    if expr is None:
        return None
    if isinstance(expr, (ast.List, ast.Tuple)):
        return list(expr.elts)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = sequence_elements(ctx, expr.left, depth + 1), sequence_elements(ctx, expr.right, depth + 1)
        if left is not None and right is not None:
            return left + right
        if left is not None:
            return left + [ast.Starred(value=expr.right, ctx=ast.Load())]
        return None
    if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
        return [ast.Starred(value=expr, ctx=ast.Load())]  # elements unknown, but a list
    if isinstance(expr, ast.Name) and depth < _MAX_DEPTH:
        bindings = ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain) or []
        base = [b for b in bindings if not _is_augmented(b, expr.id)]
        if len(base) > 1:
            # (``NAME.append(x)`` binds ``x`` too, for the constant test: not a base value of the
            # list, it is added by _apply_mutations. Looked for only then: most names have one.)
            added = _mutation_arguments(ctx, expr.id)
            base = [b for b in base if id(b) not in added]
        augmented = [b for b in bindings if _is_augmented(b, expr.id)]
        if len(base) != 1 or base[0] is None:
            return None
        first = sequence_elements(ctx, base[0], depth + 1)
        if first is None:
            return None
        elements = list(first)
        for added in augmented:
            more = sequence_elements(ctx, added.right)
            elements += more if more is not None else [ast.Starred(value=added.right, ctx=ast.Load())]
        return _apply_mutations(ctx, expr.id, elements)
    return None


def _is_augmented(binding: ast.expr | None, name: str) -> bool:
    # AugAssign bindings are recorded as BinOp(Name(name) <op> value) by the scope index.
    return (isinstance(binding, ast.BinOp) and isinstance(binding.op, ast.Add)
            and isinstance(binding.left, ast.Name) and binding.left.id == name)


_ADDING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"})


def _mutation_arguments(ctx: RuleContext, name: str) -> set[int]:
    """The ids of the arguments of ``name.append(...)``-like calls in the current scope (the
    scope index records them as bindings of ``name``)."""
    scope = ctx.scope_chain[-1] if ctx.scope_chain else ctx.facts.scopes.tree
    found: set[int] = set()
    for node in _scope_index(ctx, scope).method_calls.get(name, ()):
        if node.func.attr in _ADDING_METHODS:  # type: ignore[attr-defined]
            for argument in (*node.args, *(k.value for k in node.keywords)):
                found.add(id(argument.value if argument.__class__ is ast.Starred else argument))  # type: ignore[attr-defined]
    return found


def _apply_mutations(ctx: RuleContext, name: str, elements: list[ast.expr]) -> list[ast.expr]:
    """``args.append(x)`` is not a binding, but it changes what ``args`` holds: add what is added."""
    scope = ctx.scope_chain[-1] if ctx.scope_chain else ctx.facts.scopes.tree
    for node in _scope_index(ctx, scope).method_calls.get(name, ()):
        method, args = node.func.attr, node.args  # type: ignore[attr-defined]
        if method == "append" and args:
            elements.append(args[0])
        elif method == "extend" and args:
            more = sequence_elements(ctx, args[0])
            elements += more if more is not None else [ast.Starred(value=args[0], ctx=ast.Load())]
        elif method == "insert" and len(args) == 2:
            position = ctx.literal(args[0], None)
            elements.insert(position if isinstance(position, int) and position >= 0 else len(elements), args[1])
    return elements


@dataclass
class _ScopeIndex:
    """What ``_apply_mutations`` looks for in a scope, found in one walk of it (it used to walk the
    scope on each question), in ``_walk_scope`` order."""

    method_calls: dict[str, list[ast.Call]] = field(default_factory=dict)  # ``NAME.method(...)``


def _scope_index(ctx: RuleContext, scope: ast.AST) -> _ScopeIndex:
    memo = ctx.facts.scopes.memo.setdefault("string_scope_index", {})
    known = memo.get(id(scope))
    if known is not None and known[0] is scope:
        return known[1]
    index = _ScopeIndex()
    for node in _walk_scope(scope):
        if node.__class__ is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if func.__class__ is ast.Attribute and func.value.__class__ is ast.Name:
                index.method_calls.setdefault(func.value.id, []).append(node)  # type: ignore[arg-type]
    memo[id(scope)] = (scope, index)  # (the scope is kept: its id cannot be reused meanwhile)
    return index


def _walk_scope(scope: ast.AST) -> Iterable[ast.AST]:
    """Nodes of one scope, not descending into nested functions, lambdas or classes."""
    todo = walk.children(scope)  # (as ast.iter_child_nodes, without Load/Store contexts)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(walk.children(node))


def _binding_scope(ctx: RuleContext, name: str) -> ast.AST | None:
    chain = ctx.scope_chain
    for scope in reversed(chain):
        if name in ctx.facts.scopes.collector(scope).bindings:
            return scope
    tree = ctx.facts.scopes.tree
    return tree if name in ctx.facts.scopes.collector(tree).bindings else None


def constant_loop_bindings(ctx: RuleContext, name: str) -> int:
    """How many bindings of ``name`` are ``for name in <constant>`` loops in its scope: such a loop
    variable only takes fixed values (``for table in ("users", "groups")``)."""
    scope = _binding_scope(ctx, name)
    if scope is None:
        return 0
    memo = ctx.facts.scopes.memo.setdefault("constant_loop_bindings", {})
    key = (id(scope), name)
    if key not in memo:
        memo[key] = _count_constant_loops(ctx, scope, name)
    return memo[key]


def _count_constant_loops(ctx: RuleContext, scope: ast.AST, name: str) -> int:
    # The scope's binding collector met every ``for`` statement of the scope (statements only nest
    # in statements): the same loops a walk of the scope finds.
    loops = ctx.facts.scopes.collector(scope).loops.get(name, ())  # type: ignore[arg-type]
    return sum(1 for node in loops if ctx.is_constant(node.iter))


class _Composer:
    def __init__(self, ctx: RuleContext, sanitizers: Sanitizers) -> None:
        self.ctx = ctx
        self.sanitizers = sanitizers
        self.built = False
        self.in_progress: set[str] = set()
        self.overrides: dict[str, list[Piece]] = {}  # comprehension variables
        self.depth = 0
        self.work = 0  # expressions flattened; names with several bindings branch, so bounded

    def pieces(self, expr: ast.AST) -> list[Piece]:
        self.work += 1
        if self.depth > _MAX_DEPTH or self.work > _MAX_WORK:
            return [Piece(DYNAMIC, node=expr)]
        self.depth += 1
        try:
            return self._pieces(expr)
        finally:
            self.depth -= 1

    def _pieces(self, expr: ast.AST) -> list[Piece]:
        ctx = self.ctx
        match expr:
            case ast.Constant(value=str() as value):
                return [Piece(TEXT, text=value)]
            case ast.Constant(value=bytes() as value):
                return [Piece(TEXT, text=value.decode("latin-1"))]
            case ast.Constant(value=value):
                return [Piece(TEXT, text=str(value))]
            case ast.JoinedStr(values=values):
                self.built = True
                return [piece for value in values for piece in self.pieces(value)]
            case ast.FormattedValue(value=value, format_spec=spec):
                if spec is not None and _numeric_spec(ctx, spec):
                    return [Piece(SAFE, node=value, how="numeric")]
                return self.pieces(value)
            case ast.BinOp(op=ast.Add(), left=left, right=right) if _is_list_expression(left) or _is_list_expression(right):
                # list concatenation, not string building: one value
                return [Piece(TEXT)] if ctx.is_constant(expr) else [Piece(DYNAMIC, node=expr)]  # type: ignore[arg-type]
            case ast.BinOp(op=ast.Add(), left=left, right=right):
                self.built = True
                return self.pieces(left) + self.pieces(right)
            case ast.BinOp(op=ast.Mod(), left=left, right=right):
                return self.percent_format(expr, left, right)
            case ast.BinOp(op=ast.Mult(), left=left, right=right) if ctx.is_constant(left) or ctx.is_constant(right):
                # "?" * len(ids), ["%s"] * n: repeats fixed text a number of times.
                other = right if ctx.is_constant(left) else left
                if ctx.is_constant(other) or self.is_numeric_call(other):
                    return [Piece(TEXT)]
                return [Piece(DYNAMIC, node=other)]
            case ast.BinOp(op=ast.Div(), left=left, right=right) if is_path_expression(expr, ctx):  # type: ignore[arg-type]
                return self.path_join([left, right])
            case ast.IfExp(body=body, orelse=orelse):
                return self.alternatives([body, orelse], expr)
            case ast.Name(id=name):
                return self.name(expr, name)
            case ast.Call():
                return self.call(expr)
            case ast.Starred(value=value):
                return self.pieces(value)
        if ctx.is_constant(expr):  # type: ignore[arg-type]
            value = ctx.literal(expr, None)  # type: ignore[arg-type]
            return [Piece(TEXT, text=value if isinstance(value, str) else None)]
        return [Piece(DYNAMIC, node=expr)]

    def alternatives(self, options: list[ast.AST], whole: ast.AST) -> list[Piece]:
        """One of several values: keep the text when there is just one, else summarize."""
        results = [self.pieces(option) for option in options]
        dynamic = [p for result in results for p in result if p.kind == DYNAMIC]
        if dynamic:
            return dynamic
        if all(p.is_text for result in results for p in result):
            texts = {"".join(p.text or "" for p in result) for result in results}
            return [Piece(TEXT, text=texts.pop() if len(texts) == 1 else None)]
        return [Piece(SAFE, node=whole, how="sanitized")]

    def name(self, expr: ast.Name, name: str) -> list[Piece]:
        if name in self.overrides:
            return self.overrides[name]
        if name in self.in_progress:
            return [Piece(TEXT)]  # recursive binding (x = x + "..."): the other bindings decide
        if self.in_progress or self.overrides or self.depth > _MEMO_DEPTH or self.work > _MEMO_WORK:
            return self._name(expr, name)
        # A name's value, as its scope's bindings give it, is the same wherever it is read in the
        # scope: worked out once per file and sanitizers (a name built by a chain of 1,000
        # ``elif`` branches, ``v = v + "..."``, read at each: quadratic without this).
        key = (_NAME_PIECES, name, id(self.ctx.scope_chain[-1]) if self.ctx.scope_chain else 0, self.sanitizers)
        memo = self.ctx.facts.scopes.memo
        known = memo.get(key)
        if known is None:
            built, self.built = self.built, False
            pieces = self._name(expr, name)
            memo[key] = (expr, pieces, self.built)
            self.built = built or self.built
            return pieces
        first, pieces, built = known
        self.built = self.built or built
        # The pieces that stand for the name read there stand for it read here (the data flow is
        # asked about this read).
        return [_read_here(piece, first, expr) for piece in pieces]

    def _name(self, expr: ast.Name, name: str) -> list[Piece]:
        bindings = self.ctx.facts.scopes.bindings_of(name, self.ctx.scope_chain)
        if not bindings:
            return [Piece(DYNAMIC, node=expr)]
        unknown = sum(1 for b in bindings if b is None)
        if unknown and unknown > constant_loop_bindings(self.ctx, name):
            return [Piece(DYNAMIC, node=expr)]
        known = [b for b in bindings if b is not None]
        self.in_progress.add(name)
        try:
            if len(known) == 1 and not unknown:
                return self.inlined(expr, self.pieces(known[0]))
            result = self.alternatives(known, expr) if known else [Piece(TEXT)]
        finally:
            self.in_progress.discard(name)
        # Several assignments: report the name itself (its value depends on the path taken).
        return [Piece(DYNAMIC, node=expr)] if any(p.kind == DYNAMIC for p in result) else result

    def inlined(self, name: ast.Name, pieces: list[Piece]) -> list[Piece]:
        """The pieces of a name's only value, with its variable pieces reported as the name itself:
        the name at the sink is what the data-flow engine is asked about (it knows what happened
        to the value between the assignment and here: checks, reassignments)."""
        result: list[Piece] = []
        for piece in pieces:
            within = (name, *piece.within)
            if piece.kind == DYNAMIC:
                # (a name's piece within this one's value: what that name was built from)
                sources = piece.origins or ((piece.node,) if piece.node is not None else ())
                previous = result[-1] if result else None
                if previous is not None and previous.kind == DYNAMIC and previous.node is name and previous.within == within:
                    result[-1] = Piece(DYNAMIC, node=name, origins=previous.origins + sources, within=within)
                    continue
                piece = Piece(DYNAMIC, node=name, origins=sources, within=within)
            else:
                piece = Piece(piece.kind, piece.text, piece.node, piece.how, piece.origins, within)
            result.append(piece)
        return result

    def percent_format(self, expr: ast.BinOp, left: ast.expr, right: ast.expr) -> list[Piece]:
        template = self.ctx.literal(left, None)
        if not isinstance(template, str):
            if self.ctx.is_constant(expr):
                return [Piece(TEXT)]
            self.built = True
            return self.pieces(left) + self.pieces(right)
        self.built = True
        elements = sequence_elements(self.ctx, right) if not isinstance(right, ast.Dict) else None
        mapping = _constant_key_dict(self.ctx, right)
        result: list[Piece] = []
        position, index = 0, 0
        for match in _PERCENT_FIELD.finditer(template):
            result.append(Piece(TEXT, text=template[position:match.start()]))
            position = match.end()
            conversion, key = match.group("conv"), match.group("key")
            if conversion == "%":
                result.append(Piece(TEXT, text="%"))
                continue
            if key is not None:
                value = mapping.get(key) if mapping is not None else None
            elif elements is not None:
                value = elements[index] if index < len(elements) else None
            else:
                value = right if index == 0 else None
            index += 1
            if conversion in _NUMERIC_CONVERSIONS:
                result.append(Piece(SAFE, node=value or right, how="numeric"))
            elif value is None:
                result.append(Piece(DYNAMIC, node=right) if not self.ctx.is_constant(right) else Piece(TEXT))
            elif conversion in ("r", "a"):
                result.append(Piece(TEXT) if self.ctx.is_constant(value) else Piece(DYNAMIC, node=value))
            else:
                result.extend(self.pieces(value))
        result.append(Piece(TEXT, text=template[position:]))
        return result

    def call(self, call: ast.Call) -> list[Piece]:
        ctx = self.ctx
        func = call.func
        name = ctx.call_name(call)
        if name in self.sanitizers.calls or (isinstance(func, ast.Attribute) and func.attr in self.sanitizers.methods):
            return [Piece(SAFE, node=call, how="sanitized")]
        if name in NUMERIC_CALLS:  # (is_numeric_call, with the name known)
            return [Piece(SAFE, node=call, how="numeric")]
        if name in ("str", "builtins.str") and len(call.args) == 1 and not call.keywords:
            return self.pieces(call.args[0])
        if isinstance(func, ast.Attribute):
            receiver = ctx.literal(func.value, None)
            if func.attr == "format" and isinstance(receiver, str):
                return self.str_format(call, receiver)
            if func.attr == "join" and isinstance(receiver, str) and len(call.args) == 1:
                return self.str_join(receiver, call.args[0])
            if func.attr in _PASS_THROUGH_METHODS and not call.args:
                return self.pieces(func.value)
        if name in PATH_CONSTRUCTORS and not call.keywords and not any(isinstance(a, ast.Starred) for a in call.args):
            return self.path_join(call.args) if call.args else [Piece(TEXT, text=".")]
        if isinstance(func, ast.Attribute) and func.attr == "joinpath" and not call.keywords \
                and not any(isinstance(a, ast.Starred) for a in call.args) and is_path_expression(func.value, ctx):
            return self.path_join([func.value, *call.args])
        if name == "os.fspath" and len(call.args) == 1 and not call.keywords:
            return self.pieces(call.args[0])
        if name in ("os.path.join", "posixpath.join") and call.args:
            self.built = True
            result: list[Piece] = []
            for number, argument in enumerate(call.args):
                if number:
                    result.append(Piece(TEXT, text="/"))
                result.extend(self.pieces(argument))
            return result
        if ctx.is_constant(call):
            value = ctx.literal(call, None)
            return [Piece(TEXT, text=value if isinstance(value, str) else None)]
        return [Piece(DYNAMIC, node=call)]

    def path_join(self, parts: list[ast.expr]) -> list[Piece]:
        """``Path(a, b)``, ``a / b``, ``a.joinpath(b)`` as pathlib joins them: constant parts are
        normalised (``Path("./data")`` is "data", ``Path(".") / name`` is just ``name``), and an
        absolute constant part starts the path anew."""
        self.built = True
        result: list[Piece] = []
        for part in parts:
            pieces = _normal_path_start(self.pieces(part))
            head = pieces[0] if pieces else None
            if head is not None and head.kind == TEXT and head.text is not None and head.text.startswith("/"):
                result = []
            elif result:
                if all(p.kind == TEXT and p.text == "." for p in result):
                    result = []  # pathlib drops "." components
                else:
                    result.append(Piece(TEXT, text="/"))
            result.extend(pieces)
        return result

    def is_numeric_call(self, expr: ast.AST) -> bool:
        return isinstance(expr, ast.Call) and self.ctx.call_name(expr) in NUMERIC_CALLS

    def str_format(self, call: ast.Call, template: str) -> list[Piece]:
        self.built = True
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            if self.ctx.is_constant(call):
                return [Piece(TEXT)]
            return [Piece(TEXT, text=template.split("{")[0])] + [Piece(DYNAMIC, node=call)]
        keywords = {k.arg: k.value for k in call.keywords}
        result: list[Piece] = []
        automatic = 0
        try:
            fields = list(string.Formatter().parse(template))
        except ValueError:
            return [Piece(DYNAMIC, node=call)]
        for literal, field_name, spec, conversion in fields:
            if literal:
                result.append(Piece(TEXT, text=literal))
            if field_name is None:
                continue
            head = re.split(r"[.\[]", field_name, maxsplit=1)[0]
            if head == "":
                value = call.args[automatic] if automatic < len(call.args) else None
                automatic += 1
            elif head.isdigit():
                value = call.args[int(head)] if int(head) < len(call.args) else None
            else:
                value = keywords.get(head)
            if value is None:
                result.append(Piece(DYNAMIC, node=call))
            elif spec and spec[-1:] in _NUMERIC_CONVERSIONS and spec[-1:] not in "sr":
                result.append(Piece(SAFE, node=value, how="numeric"))
            elif conversion in ("r", "a") or head != field_name:
                result.append(Piece(TEXT) if self.ctx.is_constant(value) else Piece(DYNAMIC, node=value))
            else:
                result.extend(self.pieces(value))
        return result

    def str_join(self, separator: str, iterable: ast.expr) -> list[Piece]:
        self.built = True
        if isinstance(iterable, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            return self.comprehension(iterable)
        elements = sequence_elements(self.ctx, iterable)
        if elements is not None:
            result: list[Piece] = []
            for number, element in enumerate(elements):
                if number:
                    result.append(Piece(TEXT, text=separator))
                result.extend(self.pieces(element))
            return result
        if isinstance(iterable, ast.Call) and self.ctx.call_name(iterable) == "map" and len(iterable.args) == 2:
            mapped = self.ctx.qualname(iterable.args[0])
            if mapped in self.sanitizers.calls or mapped in NUMERIC_CALLS:
                return [Piece(SAFE, node=iterable, how="sanitized")]
        return self.pieces(iterable) if not isinstance(iterable, ast.Name) else self.joined_name(iterable)

    def joined_name(self, name: ast.Name) -> list[Piece]:
        if self.ctx.is_constant(name):
            return [Piece(TEXT)]
        return [Piece(DYNAMIC, node=name)]

    def comprehension(self, node: ast.GeneratorExp | ast.ListComp | ast.SetComp) -> list[Piece]:
        """``", ".join(f"{c} = ?" for c in COLUMNS)``: the element, with each loop variable standing
        for what it iterates over (fixed text when the iterable is constant)."""
        saved = dict(self.overrides)
        try:
            for generator in node.generators:
                iterated = [Piece(TEXT)] if self.ctx.is_constant(generator.iter) else [Piece(DYNAMIC, node=generator.iter)]
                for target in ast.walk(generator.target):
                    if isinstance(target, ast.Name):
                        self.overrides[target.id] = iterated
            return self.pieces(node.elt)
        finally:
            self.overrides = saved


def _is_list_expression(node: ast.AST) -> bool:
    return isinstance(node, (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp))


def _normal_path_start(pieces: list[Piece]) -> list[Piece]:
    """The pieces of one part of a pathlib path, its constant beginning as pathlib keeps it: a
    constant part normalised ("./data/" -> "data", "" -> "."), and the "./" before a variable
    piece dropped (``Path(f"./{name}")`` is ``name``, which may start with "-")."""
    head = pieces[0] if pieces else None
    if head is None or head.kind != TEXT or head.text is None:
        return pieces
    if len(pieces) == 1:
        return [Piece(TEXT, text=str(PurePosixPath(head.text)))]
    text = re.sub(r"^(\./+)+", "", re.sub(r"/{2,}", "/", head.text)) if not head.text.startswith("/") else head.text
    return [Piece(TEXT, text=text), *pieces[1:]] if text not in ("", ".") else pieces[1:]


def _numeric_spec(ctx: RuleContext, spec: ast.expr) -> bool:
    if isinstance(spec, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in spec.values):
        text = "".join(str(v.value) for v in spec.values)  # type: ignore[attr-defined]
        return text[-1:] in _NUMERIC_CONVERSIONS
    return False


def _constant_key_dict(ctx: RuleContext, expr: ast.expr) -> dict[str, ast.expr] | None:
    if isinstance(expr, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in expr.keys):
        return {k.value: v for k, v in zip(expr.keys, expr.values)}  # type: ignore[union-attr]
    if isinstance(expr, ast.Call) and ctx.call_name(expr) == "dict" and not expr.args:
        return {k.arg: k.value for k in expr.keywords if k.arg}
    return None


def code(ctx: RuleContext, node: ast.AST) -> str:
    """``node``'s source for a message (braces doubled: messages go through str.format)."""
    text = ctx.source(node)
    if len(text) > 60:
        text = text[:57] + "..."
    return text.replace("{", "{{").replace("}", "}}")


def injection_hit(
    ctx: RuleContext,
    node: ast.AST,
    culprits: list[ast.AST],
    *,
    tainted: str,
    dynamic: str,
    dynamic_confidence: Level | None = None,
    cwe: int | None = None,
    whole: ast.expr | None = None,
    sink_note: str = "untrusted value used here",
    operator_may_choose: bool = False,
    proofs: bool = True,
) -> Hit | None:
    """The finding for a sink whose value has variable ``culprits`` (pieces that are neither fixed
    nor sanitized). The decision itself is ``dynamic_value_hit``'s: the culprit untrusted data
    reaches is preferred (its trace is the evidence), else the first one the data flow did not
    prove safe (none: no finding). ``{code}`` in the messages is replaced by the culprit's source.
    ``dynamic_confidence`` caps the confidence of findings that are only "not constant" (no
    untrusted source known). ``proofs``: False when the sink undoes what made a culprit safe (a
    shlex.quote() result put back inside quotes)."""
    if not culprits:
        return None
    chosen = None
    best = None  # the chosen culprit's source
    # (Each culprit is asked: in a helper, each parameter that reaches the sink makes it a sink for
    # the callers, ``run(["ping", "-c", str(count), host])`` is reached by ``host`` too, even when
    # ``count`` comes first and the callers pass a number.)
    sources = [ctx.taint(culprit, operator_may_choose) for culprit in culprits]  # type: ignore[arg-type]
    for culprit, found in zip(culprits, sources):
        # The most confident source among the culprits (the first of equals, the data itself before
        # an object it only found): a request value after a parameter (``"send " + channel + " " +
        # user``), a table name after the column a getter found by it, is the finding's.
        if found is not None and (best is None or found.confidence > best.confidence or (
                found.confidence == best.confidence and best.looked_up and not found.looked_up)):
            chosen, best = culprit, found
    is_tainted = chosen is not None
    if chosen is None and proofs:
        chosen = next((culprit for culprit in culprits if not ctx.proven_safe(culprit)), None)  # type: ignore[arg-type]
        if chosen is None and ctx.flow is not None:
            return None  # every variable piece proven safe for this weakness
    chosen = chosen or culprits[0]
    shown = code(ctx, chosen)
    if is_tainted and "(`{code}`)" in tainted:
        # Every piece the same source reaches is named (``... LIKE '%{q}%' ORDER BY {order}``:
        # "(`q`, `order`)"), the first being the one whose path is the evidence.
        same = [code(ctx, culprit) for culprit, found in zip(culprits, sources)
                if found is not None and culprit is not chosen and found.description == best.description]
        shown = "`, `".join(dict.fromkeys([shown, *same]))
    hit = dynamic_value_hit(ctx, node, chosen, sink_note=sink_note, operator_may_choose=operator_may_choose,  # type: ignore[arg-type]
                            proofs=proofs, tainted=tainted.replace("{code}", shown), dynamic=dynamic.replace("{code}", shown).replace("{{", "{").replace("}}", "}"))
    if hit is None:
        return None
    if not is_tainted and dynamic_confidence is not None:
        hit.confidence = min(hit.confidence or dynamic_confidence, dynamic_confidence)
    if cwe is not None:
        hit.cwe = cwe
    if is_tainted and whole is not None and whole is not chosen:
        # The evidence of the whole value shows every untrusted piece and how they were put
        # together (``cmd = "... %s ... %s" % (a, b)``), not just the first culprit's path.
        complete = dynamic_value_hit(ctx, node, whole, tainted="{source}", dynamic="", sink_note=sink_note,
                                     operator_may_choose=operator_may_choose)
        if complete is not None and len(complete.trace) > len(hit.trace):
            hit.trace = complete.trace
    for found in sources:  # (where the flows into every piece start, not only the chosen one's)
        if found is not None and found is not best:
            hit.sources = merged_sources(hit.sources, found.sources)
    return hit


__all__ = [
    "TEXT", "SAFE", "DYNAMIC", "Piece", "Composition", "Sanitizers", "NO_SANITIZERS", "compose",
    "sequence_elements", "constant_loop_bindings", "injection_hit", "code", "LOW", "value_expressions",
]
