"""Module-level state within one file: what the file's functions store in names its module binds,
read back by its other functions (a second-order flow: one request handler queues the data,
another runs it -- or the same handler on a later request).

    PENDING = {}

    @app.post("/queue")
    def queue():
        PENDING[request.form["id"]] = request.form["cmd"]   # stored in module state PENDING

    @app.post("/run")
    def run():
        for cmd in PENDING.values(): subprocess.run(cmd, shell=True)   # CWE-78

The analysis of a function notes each store of untrusted data in a module-level name (see
``FunctionAnalysis.note_module_store``; the storing methods are a table, models/state.py): its
origins, one step further (``stored in module state `PENDING```). When every function of the
file has been analysed, the functions that read a name something was stored in are analysed
again, the name's module value joined with what was stored (``FileFlow.reanalyze_functions_
reading_module_state``): flow-insensitive, as the order of requests is unknown. Files storing
nothing untrusted in module state (nearly all) do no more work than before.

Precision: only names an assignment at module level binds (not imports, functions or classes,
nor names that only a function's ``global`` statement creates); in functions at module level
and methods of classes at module level (a function nested in another sees the enclosing
function's names first: not followed); a function that binds the name itself without a
``global`` statement has a local of that name, not the module's. Only the untrusted data of
sources is kept (not a parameter of the storing function, which means nothing to the reader),
with the CWEs it was made safe for (``shlex.quote``d values stay safe in a shell); converted
values (``int(...)``) carry nothing. A parameter the function stores is noted for it
(``FileFlow.parameter_stores``): a call of it in the file stores what the argument carries
(``handed_value``). Module state imported from another module is not followed.
"""
from __future__ import annotations

import ast

from secreview.findings import Level, TraceStep
from secreview.dataflow.values import ATTRIBUTE, INPUT, MAX_STEPS, Origin, Taint, ordered

# Re-analyses of the functions reading module state: what a re-analysed function stores in turn
# (read from one name, stored in another) may change what others read, a few rounds at most.
MAX_MODULE_STATE_ROUNDS = 2

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def module_bound_names(tree: ast.Module) -> frozenset[str]:
    """Names an assignment at module level binds (in ``if``/``try``/``with`` blocks too)."""
    names: set[str] = set()
    for statement in _module_statements(tree.body):
        if statement.__class__ is ast.Assign:
            targets = statement.targets
        elif statement.__class__ in (ast.AnnAssign, ast.AugAssign):
            targets = [statement.target]
        else:
            continue
        for target in targets:
            for node in ast.walk(target):
                if node.__class__ is ast.Name and node.ctx.__class__ is ast.Store:
                    names.add(node.id)
    return frozenset(names)


def module_level_functions(tree: ast.Module) -> frozenset[int]:
    """Node ids of the functions defined at module level and of the methods of classes defined
    there (nested classes too): those whose free names are the module's."""
    found: set[int] = set()
    pending = list(tree.body)
    while pending:
        statement = pending.pop()
        if statement.__class__ in _FUNCTIONS:
            found.add(id(statement))
        elif statement.__class__ is ast.ClassDef:
            pending.extend(statement.body)
        else:
            pending.extend(_blocks(statement))
    return frozenset(found)


def local_names(function: ast.AST) -> frozenset[str]:
    """The names ``function`` binds in its own scope (parameters, assignments, loop and ``with``
    targets, imports, ``def``s...) except those it declares ``global``/``nonlocal``."""
    args = function.args
    bound = {arg.arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if arg is not None}
    escaped: set[str] = set()
    pending = list(function.body)
    while pending:
        node = pending.pop()
        kind = node.__class__
        if kind is ast.Name:
            if node.ctx.__class__ is not ast.Load:
                bound.add(node.id)
            continue
        if kind in _FUNCTIONS or kind is ast.ClassDef:
            bound.add(node.name)
            pending.extend(node.decorator_list)
            continue
        if kind is ast.Lambda:
            continue
        if kind is ast.Global or kind is ast.Nonlocal:
            escaped.update(node.names)
        elif kind is ast.Import or kind is ast.ImportFrom:
            bound.update((alias.asname or alias.name.split(".")[0]) for alias in node.names)
        elif kind is ast.ExceptHandler and node.name:
            bound.add(node.name)
        elif kind in (ast.MatchAs, ast.MatchStar) and node.name:
            bound.add(node.name)
        elif kind is ast.MatchMapping and node.rest:
            bound.add(node.rest)
        pending.extend(ast.iter_child_nodes(node))
    return frozenset(bound - escaped)


def names_read(function: ast.AST) -> frozenset[str]:
    """Every name ``function`` reads (nested functions' included: a superset is enough)."""
    return frozenset(node.id for node in ast.walk(function) if node.__class__ is ast.Name and node.ctx.__class__ is ast.Load)


def stored_value(value: Taint, step: TraceStep) -> Taint:
    """What module state keeps of ``value`` stored at ``step``: the origins of its sources (not a
    parameter of the storing function, not a method's parameter kept on an instance), each one
    step further. A source on the line of the store shares the step (its note tells both)."""
    kept = [origin for origin in ordered(value.whole().origins) if origin.param is None and origin.kind != ATTRIBUTE]
    if not kept:
        return Taint()
    return Taint(frozenset(_stored_origin(origin, step) for origin in kept))


def stored_parameters(value: Taint, step: TraceStep) -> list[Origin]:
    """The parameters of the storing function that ``value`` carries, each as stored (one step
    further): its callers store what they give it (see ``handed_value``)."""
    return [_stored_origin(origin, step) for origin in ordered(value.whole().origins) if origin.param is not None and origin.kind == INPUT]


def handed_value(argument: Taint, step: TraceStep, stored: Origin) -> Taint:
    """What a call (at ``step``) of a function storing its parameter (``stored``: that parameter's
    origin as stored, with the steps inside the function) stores of ``argument``: each origin's
    steps, the call, then the function's; made safe for what the function made it safe for."""
    origins = []
    for origin in ordered(argument.whole().origins):
        if origin.kind == ATTRIBUTE or (origin.param is not None and origin.kind != INPUT):
            continue
        steps = origin.steps + (step,) + stored.steps
        if len(steps) > MAX_STEPS:
            steps = steps[:2] + steps[-(MAX_STEPS - 2):]
        origins.append(Origin(origin.description, min(origin.confidence, Level.LOW) if stored.looked_up else origin.confidence,
                              steps, origin.param, origin.reportable, origin.sanitized | stored.sanitized, origin.kind))
    return Taint(frozenset(origins))


def _stored_origin(origin: Origin, step: TraceStep) -> Origin:
    steps = origin.steps
    last = steps[-1] if steps else None
    if last is not None and last.path == step.path and last.line == step.line:
        if step.note in last.note:
            return origin
        merged = TraceStep(last.path, last.line, last.col, last.code, f"{last.note}; {step.note}")
        steps = steps[:-1] + (merged.with_via(last.via) if last.via else merged,)
    else:
        steps = steps + (step,)
    if len(steps) > MAX_STEPS:
        steps = steps[:2] + steps[-(MAX_STEPS - 2):]
    return Origin(origin.description, origin.confidence, steps, origin.param, origin.reportable, origin.sanitized, origin.kind)


def _module_statements(body: list[ast.stmt]):
    """The statements run at module level: in blocks, not in functions or classes."""
    pending = list(reversed(body))
    while pending:
        statement = pending.pop()
        yield statement
        if statement.__class__ not in _FUNCTIONS and statement.__class__ is not ast.ClassDef:
            pending.extend(reversed(_blocks(statement)))


def _blocks(statement: ast.AST) -> list:
    """The statements of a compound statement's blocks (``if``, ``try``, ``with``, ``match``...)."""
    found = []
    for name in _BLOCK_FIELDS:
        for child in getattr(statement, name, None) or ():
            if child.__class__ is ast.ExceptHandler or child.__class__ is ast.match_case:
                found.extend(child.body)
            else:
                found.append(child)
    return found
