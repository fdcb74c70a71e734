r"""URL normalizations a redirect check may be made on (see models.sanitizers.URL_NORMALIZING_METHODS).

A project's own ``is_safe_url`` often cleans the URL before it tests the host::

    def is_safe_url(target):
        target = target.replace("\\", "/")             # browsers read "\" as "/"
        target = _blanks("", target)                    # re.compile(r"[\s\x00-\x1f]+").sub
        target = _extra_slashes(lambda m: m.group(1), target)   # "///evil" -> "//evil"
        test = urlparse(urljoin(request.host_url, target))
        return test.netloc == urlparse(request.host_url).netloc

The check is then of a cleaned copy, not of the value the caller redirects to. It proves that
value as a redirect target all the same when the cleaning cannot make an unsafe URL look safe:
when each step does no more than a browser does when it reads a URL, or only removes blanks (a
browser that goes to another host for ``x`` goes there for the cleaned copy too, which the check
then rejects). The steps read here, alone or chained (``x.strip().lower()``):

- ``x.lower()``; ``x.strip()`` / ``lstrip()`` / ``rstrip()``, with no argument or a string of
  blanks (whitespace and control characters);
- ``x.replace("\\", "/")``; ``x.replace(B, "")`` with ``B`` blanks;
- a regular-expression substitution (``re.sub(P, R, x)``, ``PATTERN.sub(R, x)``, a name bound to
  ``re.compile(P).sub``) that removes blanks (``P`` a class of blanks, ``R`` empty), or that keeps
  the slashes ``//`` a group of ``P`` ends with and drops those that follow (``(^([^/]+:)?//)/*``
  replaced by that group: browsers skip them too).

``x.strip("/")``, ``x.replace("//", "/")``, ``x.lstrip("\\")``... may turn "//evil.example" into
something that looks relative: not read as normalizations. Proven only for open redirects: HTTP
clients do not read URLs as browsers do (models.sanitizers).
"""
from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING, NamedTuple

from secreview.models.sanitizers import URL_BLANKS, URL_NORMALIZING_METHODS

if TYPE_CHECKING:
    from secreview.dataflow.analyzer import FunctionAnalysis

_MAX_CHAIN = 6  # normalizations applied one to the other's result (``x.strip().lower()...``)
_SUBSTITUTIONS = frozenset({"re.sub", "regex.sub"})
_COMPILERS = frozenset({"re.compile", "regex.compile"})


class Normalized(NamedTuple):
    """A URL normalization of the name ``name`` (see the module docstring)."""

    name: str
    backslashes: bool  # does it turn backslashes into slashes (a same-host check then holds)


def normalized_name(node: ast.expr, analysis: "FunctionAnalysis") -> Normalized | None:
    """``x.strip()``, ``x.lower().replace("\\", "/")``, ``re.sub(r"\\s+", "", x)``...: the name
    ``x`` normalized, or None when ``node`` is no such chain of normalizations of a name."""
    backslashes = False
    for _ in range(_MAX_CHAIN):
        if node.__class__ is not ast.Call:
            return None
        step = _normalization_step(node, analysis)  # type: ignore[arg-type]
        if step is None:
            return None
        node, replaces = step
        backslashes = backslashes or replaces
        if node.__class__ is ast.Name:
            return Normalized(node.id, backslashes)  # type: ignore[attr-defined]
    return None


def self_normalized(name: str, analysis: "FunctionAnalysis") -> bool:
    """Is ``name`` a parameter of the function analysed that the function binds again only to
    normalizations of itself (``target = target.replace("\\", "/")``, ``target = target.strip()``)?
    Its value is then always the argument, cleaned by some of them."""
    memo = analysis.unit.facts.scopes.memo.setdefault("url normalization: self-normalized", {})
    key = (id(analysis.node), name)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _only_normalized_again(name, analysis)
    return found


def normalized_before(name: str, node: ast.AST, analysis: "FunctionAnalysis") -> tuple[bool, bool]:
    """For a ``self_normalized`` parameter ``name`` read at ``node`` (where a URL is parsed): (is
    every normalization of it before ``node`` in the text -- the value read there is the one the
    function ends with --, does one of them in the function's own body, not inside an ``if`` or a
    loop, turn backslashes into slashes)."""
    position = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    values = [value for value in analysis.unit.facts.scopes.collector(analysis.node).bindings.get(name, ()) if value is not None]
    if any((value.lineno, value.col_offset) > position for value in values):
        return False, False
    everywhere = {id(statement.value) for statement in analysis.node.body  # type: ignore[attr-defined]
                  if statement.__class__ is ast.Assign and (statement.lineno, statement.col_offset) < position}
    backslashes = any(id(value) in everywhere and _replaces_backslashes(value, analysis) for value in values)
    return True, backslashes


def _replaces_backslashes(value: ast.expr, analysis: "FunctionAnalysis") -> bool:
    found = normalized_name(value, analysis)
    return found is not None and found.backslashes


def _only_normalized_again(name: str, analysis: "FunctionAnalysis") -> bool:
    if name not in analysis.params or analysis.node.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
        return False
    bound = analysis.unit.facts.scopes.collector(analysis.node).bindings.get(name, ())
    if len(bound) < 2 or bound[0] is not None:
        return False  # (bound once: nothing to ask; the parameter's own binding comes first)
    for value in bound[1:]:
        found = normalized_name(value, analysis) if value is not None else None
        if found is None or found.name != name:
            return False  # (``target = None``, ``for target in ...``, ``target = other.strip()``)
    return True


def _normalization_step(call: ast.Call, analysis: "FunctionAnalysis") -> tuple[ast.expr, bool] | None:
    """(the value ``call`` normalizes, does it turn backslashes into slashes), or None."""
    func = call.func
    if func.__class__ is ast.Attribute and func.attr in URL_NORMALIZING_METHODS and not call.keywords:  # type: ignore[attr-defined]
        arguments = [analysis.fold(argument) for argument in call.args]
        if any(_fits(arguments, allowed) for allowed in URL_NORMALIZING_METHODS[func.attr]):  # type: ignore[attr-defined]
            return func.value, func.attr == "replace" and arguments[0] == "\\"  # type: ignore[attr-defined]
        return None
    subject = _substituted(call, analysis)
    return (subject, False) if subject is not None else None


def _fits(arguments: list, allowed: tuple[str, ...]) -> bool:
    """Are the folded ``arguments`` of a method those ``allowed`` (URL_BLANKS: any blanks)?"""
    if len(arguments) != len(allowed):
        return False
    return all(argument == expected or (expected is URL_BLANKS and _blanks(argument))
               for argument, expected in zip(arguments, allowed))


def _blanks(text: object) -> bool:
    """A non-empty string of whitespace and control characters only."""
    return text.__class__ is str and text != "" and all(_blank(ord(c)) for c in text)  # type: ignore[attr-defined]


def _blank(code: int) -> bool:
    return code < 0x20 or code == 0x7F or chr(code).isspace()


# ---- regular-expression substitutions ----------------------------------------------------------
def _substituted(call: ast.Call, analysis: "FunctionAnalysis") -> ast.expr | None:
    """``re.sub(P, R, x)``, ``PATTERN.sub(R, x)`` (``PATTERN`` bound once to ``re.compile(P)``) or
    ``name(R, x)`` (``name`` bound once to ``re.compile(P).sub``) that only removes blanks or skips
    slashes after ``//`` (see the module docstring): ``x``; else None."""
    if call.keywords:
        return None
    func = call.func
    if analysis.resolved_name(func) in _SUBSTITUTIONS:
        if len(call.args) not in (3, 4):  # (pattern, replacement, string[, count]: no flags)
            return None
        pattern, replacement, subject = analysis.fold(call.args[0]), call.args[1], call.args[2]
    elif func.__class__ is ast.Attribute and func.attr == "sub":  # type: ignore[attr-defined]
        pattern, replacement, subject = _compiled(func.value, analysis), *_replacement_and_subject(call)  # type: ignore[attr-defined]
    elif func.__class__ is ast.Name:
        bound = _bound_once(func, analysis)  # ``_blanks = re.compile(r"\s+").sub``
        if bound is None or bound.__class__ is not ast.Attribute or bound.attr != "sub":  # type: ignore[attr-defined]
            return None
        pattern, replacement, subject = _compiled(bound.value, analysis), *_replacement_and_subject(call)  # type: ignore[attr-defined]
    else:
        return None
    if subject is None or pattern.__class__ is not str:
        return None
    return subject if _harmless_substitution(pattern, _replacement(replacement, analysis)) else None


def _replacement_and_subject(call: ast.Call) -> tuple[ast.expr | None, ast.expr | None]:
    """``compiled.sub(R, x[, count])``: (R, x)."""
    return (call.args[0], call.args[1]) if len(call.args) in (2, 3) else (None, None)


def _compiled(node: ast.expr, analysis: "FunctionAnalysis") -> object:
    """The pattern of ``re.compile(P)`` (inline, or a name bound once to it), without flags."""
    if node.__class__ is ast.Name:
        node = _bound_once(node, analysis)  # type: ignore[assignment]
    if (node.__class__ is not ast.Call or len(node.args) != 1 or node.keywords  # type: ignore[attr-defined]
            or analysis.resolved_name(node.func) not in _COMPILERS):  # type: ignore[attr-defined]
        return None
    return analysis.fold(node.args[0])  # type: ignore[attr-defined]


def _bound_once(name: ast.Name, analysis: "FunctionAnalysis") -> ast.expr | None:
    """What ``name`` is bound to, when bound once (in the function analysed, or the module)."""
    scopes = analysis.unit.facts.scopes
    chain = [scopes.tree] if analysis.node is scopes.tree else [scopes.tree, analysis.node]
    bound = scopes.bindings_of(name.id, chain)
    return bound[0] if bound and len(bound) == 1 else None


def _replacement(node: ast.expr | None, analysis: "FunctionAnalysis") -> object:
    """A substitution's replacement: a constant string, or ``GroupReference(n)`` for ``r"\\1"``,
    ``r"\\g<1>"``, ``lambda m: m.group(1)`` (``m[1]``); None when neither."""
    if node is None:
        return None
    if node.__class__ is ast.Lambda:
        args = node.args  # type: ignore[attr-defined]
        if len(args.args) != 1 or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            return None
        match = args.args[0].arg
        body = node.body  # type: ignore[attr-defined]
        if (body.__class__ is ast.Call and body.func.__class__ is ast.Attribute and body.func.attr == "group"
                and body.func.value.__class__ is ast.Name and body.func.value.id == match and len(body.args) == 1 and not body.keywords):
            index = body.args[0]
        elif body.__class__ is ast.Subscript and body.value.__class__ is ast.Name and body.value.id == match:
            index = body.slice
        else:
            return None
        return GroupReference(index.value) if index.__class__ is ast.Constant and index.value.__class__ is int else None
    text = analysis.fold(node)
    if text.__class__ is not str:
        return None
    for spelling in (r"\{}", r"\g<{}>"):
        for group in range(1, 10):
            if text == spelling.format(group):
                return GroupReference(group)
    return text


class GroupReference(NamedTuple):
    group: int


def _harmless_substitution(pattern: str, replacement: object) -> bool:
    if replacement == "":
        return _removes_blanks_only(pattern)
    if replacement.__class__ is GroupReference:
        return _skips_slashes_after(pattern, replacement.group)  # type: ignore[attr-defined]
    return False


@functools.lru_cache(maxsize=64)
def _parsed(pattern: str) -> list | None:
    """The pattern read by the re module's own parser (no reviewed code runs); None if invalid."""
    try:
        from re import _parser  # (Python >= 3.11)

        return list(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: not known
        return None


def _removes_blanks_only(pattern: str) -> bool:
    """Does every match of ``pattern`` consist of blanks only (``[\\s\\x00-\\x1f]+``, ``\\t``)?"""
    items = _parsed(pattern)
    if items is None or len(items) != 1:
        return False
    op, argument = items[0]
    if op.name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        body = list(argument[2])
        if len(body) != 1:
            return False
        op, argument = body[0]
    if op.name == "LITERAL":
        return _blank(argument)
    if op.name != "IN":
        return False
    for member, value in argument:
        member = member.name
        if member == "LITERAL":
            if not _blank(value):
                return False
        elif member == "RANGE":
            low, high = value
            if high - low > 0x80 or not all(_blank(code) for code in range(low, high + 1)):
                return False
        elif member != "CATEGORY" or value.name != "CATEGORY_SPACE":
            return False  # (a negated class, ``\w``...)
    return True


def _skips_slashes_after(pattern: str, group: int) -> bool:
    """Is ``pattern`` a group ending with ``//`` (``group``) followed by slashes only, so that a
    match replaced by that group loses only slashes that follow ``//``?"""
    items = _parsed(pattern)
    if items is None:
        return False
    while items and items[0][0].name == "AT":
        items = items[1:]
    if len(items) != 2:
        return False
    (kept, kept_argument), (repeat, repeat_argument) = items
    if kept.name != "SUBPATTERN" or kept_argument[0] != group or repeat.name not in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return False
    slashes = list(repeat_argument[2])
    if len(slashes) != 1 or slashes[0][0].name != "LITERAL" or slashes[0][1] != ord("/"):
        return False
    inside = list(kept_argument[-1])
    return len(inside) >= 2 and all(op.name == "LITERAL" and value == ord("/") for op, value in inside[-2:])
