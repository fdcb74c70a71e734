"""A library function handed to a deferring call is that function called, there, with what it was
handed: ``pool.submit(os.system, cmd)`` is ``os.system(cmd)`` at the line of ``submit``.

The data flow already follows a *project* function handed over (``add_task(send, email)``: see
models/deferred.py and ``FunctionAnalysis.deferred_call``); a library one has no body to follow:
its sink is the rules' business. This module builds, from the same table rows, the call the
deferring call stands for (an ``ast.Call`` that is not in the tree: the function node handed
over, the argument nodes handed over, at the place of the deferring call), and the dispatcher
runs on it the rules that asked for that function, exactly as on a direct call of it. The
argument nodes are the tree's own, so the data flow's answers for them hold (a map's element is
a stand-in node whose value the data flow is told: see ``FileFlow.stand_in_for_element``).

A partial called at once (``partial(subprocess.run, shell=True)(cmd)``) is one call of its
function with both sets of arguments; a partial kept in a name is checked where it is made, and
where the name is called with more arguments (the dispatcher keeps track of those names).

Not built: Celery's task methods (the receiver is the task: a project function), and a row whose
function or arguments cannot be placed (after a ``*args``, or an iterable given by keyword).
"""
from __future__ import annotations

import ast

from secreview.models import DEFERRED_CALLS, DEFERRED_METHODS, Deferred
from secreview.rules._naming import last_name

# The deferring rows by the last name of the deferring call (``submit``, ``Thread``, ``map``): the
# qualified name the row needs (None: a method, whatever its receiver) and the row.
_ROWS_BY_LAST_NAME: dict[str, list[tuple[str | None, Deferred]]] = {}
for _name, _row in DEFERRED_CALLS.items():
    _ROWS_BY_LAST_NAME.setdefault(_name.rsplit(".", 1)[-1], []).append((_name, _row))
for _name, _row in DEFERRED_METHODS.items():
    _ROWS_BY_LAST_NAME.setdefault(_name, []).append((None, _row))
LAST_NAMES = frozenset(_ROWS_BY_LAST_NAME)

HANDED_BY = "secreview_handed_by"  # attribute of a built call: the API that calls it later (its note)


def candidate_rows(call: ast.Call) -> list[tuple[str | None, Deferred]]:
    """The rows ``call`` may be by its syntax alone (a method row only for ``x.name(...)``)."""
    func = call.func
    rows = _ROWS_BY_LAST_NAME.get(last_name(func) or "")
    if not rows:
        return []
    if func.__class__ is ast.Attribute:
        return rows
    return [(name, row) for name, row in rows if name is not None]


def function_of(call: ast.Call, row: Deferred) -> ast.expr | None:
    """The function ``call`` hands over under ``row`` (a name or an attribute), else None."""
    if row.function is None:
        return None  # a Celery task method: the receiver is a project function
    target = placed(call, row.function)
    return target if target is not None and target.__class__ in (ast.Name, ast.Attribute) else None


def is_own_method(function: ast.expr, ancestors) -> bool:
    """``self.execute`` in a class that defines ``execute``: the project's method, which the data
    flow follows into (its body is checked, and its sinks reached through it): not also checked
    as a call of a library method named so."""
    if function.__class__ is not ast.Attribute or function.value.__class__ is not ast.Name or function.value.id not in ("self", "cls"):  # type: ignore[attr-defined]
        return False
    owner = next((node for node in reversed(ancestors) if node.__class__ is ast.ClassDef), None)
    return owner is not None and any(
        node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and node.name == function.attr  # type: ignore[attr-defined]
        for node in owner.body)  # type: ignore[attr-defined]


def hands_over(call: ast.Call, ctx) -> bool:
    """Whether ``call`` hands a function over (``pool.submit(f, cmd, shell=True)``): the keyword
    arguments it is given are then that function's, not its own."""
    for name, row in candidate_rows(call):
        if function_of(call, row) is not None and (name is None or ctx.qualname(call.func) == name):
            return True
    return False


def placed(call: ast.Call, place: tuple[int | None, str | None]) -> ast.expr | None:
    """The argument of ``call`` at ``place`` (a position, else a keyword): not one after a
    ``*args`` (its position is unknown). (As the data flow reads the rows.)"""
    position, keyword = place
    if position is not None and position < len(call.args):
        if any(argument.__class__ is ast.Starred for argument in call.args[:position + 1]):
            return None
        return call.args[position]
    if keyword is not None:
        for given in call.keywords:
            if given.arg == keyword:
                return given.value
    return None


def equivalent_call(call: ast.Call, row: Deferred, target: ast.expr, api: str, flow=None) -> ast.Call | None:
    """The call of ``target`` that ``call`` (a deferring call of ``row``) stands for. A map calls
    it once per element: the argument is a stand-in for an element of the iterable (of which
    ``flow``, the file's data flow if any, is told)."""
    positional: list[ast.expr] = list(call.args[row.rest:]) if row.rest is not None else []
    keywords: list[ast.keyword] = []
    if row.keywords:
        places = {place[1] for place in (row.function, row.args, row.kwargs) if place is not None and place[1]}
        keywords = [given for given in call.keywords if given.arg not in places]  # (``**options`` too)
    if row.args is not None:
        packed = placed(call, row.args)
        if packed is not None:
            positional = _unpacked(packed)
    if row.kwargs is not None:
        packed = placed(call, row.kwargs)
        if packed is not None:
            keywords = [*keywords, *_unpacked_keywords(packed)]
    if row.each is not None:
        iterables = call.args[row.each:]
        if not iterables or any(iterable.__class__ is ast.Starred for iterable in iterables):
            return None
        positional = [_element_of(iterable, flow) for iterable in iterables]
    if row.each_args is not None:
        packed = placed(call, row.each_args)
        if packed is None:
            return None
        positional = [ast.copy_location(ast.Starred(value=_element_of(packed, flow), ctx=ast.Load()), packed)]
    return _built(call, target, positional, keywords, api)


def called_at_once(call: ast.Call, handed: ast.Call) -> ast.Call:
    """``partial(subprocess.run, shell=True)(cmd)``: the call ``handed`` (what the partial holds)
    with what ``call`` adds, at ``call``."""
    return _built(call, handed.func, [*handed.args, *call.args], [*handed.keywords, *call.keywords],
                  getattr(handed, HANDED_BY))


def _built(place: ast.Call, target: ast.expr, positional: list[ast.expr], keywords: list[ast.keyword], api: str) -> ast.Call:
    built = ast.Call(func=target, args=positional, keywords=keywords)
    ast.copy_location(built, place)
    setattr(built, HANDED_BY, api)
    return built


def _unpacked(packed: ast.expr) -> list[ast.expr]:
    """The positional arguments an argument tuple gives: ``args=(cmd,)`` -> ``cmd``; one of
    unknown length -> ``*args``."""
    if packed.__class__ in (ast.List, ast.Tuple):
        return list(packed.elts)  # type: ignore[attr-defined]
    return [ast.copy_location(ast.Starred(value=packed, ctx=ast.Load()), packed)]


def _unpacked_keywords(packed: ast.expr) -> list[ast.keyword]:
    """The keyword arguments a dict gives: ``kwargs={"shell": True}`` -> ``shell=True``; one of
    unknown keys -> ``**kwargs``."""
    if packed.__class__ is not ast.Dict:
        return [_keyword(None, packed)]
    found = []
    for key, value in zip(packed.keys, packed.values):  # type: ignore[attr-defined]
        if key is None:
            found.append(_keyword(None, value))  # ``{**options}``
        elif key.__class__ is ast.Constant and isinstance(key.value, str):  # type: ignore[attr-defined]
            found.append(_keyword(key.value, value))  # type: ignore[attr-defined]
    return found


def _keyword(name: str | None, value: ast.expr) -> ast.keyword:
    return ast.copy_location(ast.keyword(arg=name, value=value), value)


def _element_of(iterable: ast.expr, flow) -> ast.expr:
    """A node standing for one element of ``iterable`` (``names[0]``, at the place of ``names``:
    its source reads ``names``); constant when ``iterable`` is, and holding what an element of it
    holds for the data flow."""
    stand_in = ast.copy_location(ast.Subscript(value=iterable, slice=ast.Constant(0), ctx=ast.Load()), iterable)
    if flow is not None:
        flow.stand_in_for_element(stand_in, iterable)
    return stand_in
