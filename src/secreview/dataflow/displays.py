"""How a logged object of a project class shows itself (secret-in-log, CWE-532).

``log.warning("deleting %s", token)`` writes ``str(token)``; for an ORM record of a token that is
whatever its class's ``__str__`` (else ``__repr__``) returns, often only an id or a prefix. The
analysis knows the class of a name bound to ``Token(...)``, to a project function annotated
``-> Token``, or of a parameter annotated ``Token`` (FunctionAnalysis.receiver_class); these
helpers say which of the class's display methods a logging call runs and whether such a method
writes a credential (FunctionSummary.reveals_credential).
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from secreview.rules._naming import credential_kind

STR, REPR = "__str__", "__repr__"
DISPLAY_METHODS = (STR, REPR)

# Logging methods whose arguments are written to the log (rules/secrets.py's LOG_METHODS: the
# rules do not import the data flow package).
LOGGED_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"})

# A %-field of a logging message: its conversion is the last group (as rules/secrets.py's).
PERCENT_FIELD = re.compile(r"%(\(\w+\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[hlL]?(.)")
_EITHER = (STR, REPR)  # an argument whose conversion is not known: both methods must be silent

# Calls in a display method that write every attribute of the object (or a base's display,
# which may be a library's): taken as writing a credential.
_WHOLE_OBJECT_CALLS = frozenset({"vars", "super", "asdict", "astuple", "model_dump", "dict", "__dict__"})


def logged_names(call: ast.Call) -> Iterator[tuple[ast.Name, tuple[str, ...]]]:
    """The names a logging call writes whole, each with the display methods it runs: ``%s``, a
    bare message and ``f"{x}"`` run ``__str__``; ``%r`` and ``f"{x!r}"`` run ``__repr__``; an
    argument of a message that is not a constant, either."""
    position = 1 if call.func.__class__ is ast.Attribute and call.func.attr == "log" else 0  # type: ignore[attr-defined]
    conversions = _message_conversions(call.args[position]) if len(call.args) > position else None
    for index, argument in enumerate(call.args):
        if index < position:
            continue
        if index == position:
            yield from _names_in(argument, (STR,))
            continue
        field = index - position - 1
        wanted = _EITHER if conversions is None or field >= len(conversions) else conversions[field]
        yield from _names_in(argument, wanted)
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        yield from _names_in(keyword.value, _EITHER)


def _names_in(argument: ast.expr, wanted: tuple[str, ...]) -> Iterator[tuple[ast.Name, tuple[str, ...]]]:
    if argument.__class__ is ast.Name:
        yield argument, wanted  # type: ignore[misc]
    elif argument.__class__ is ast.JoinedStr:
        for part in argument.values:  # type: ignore[attr-defined]
            if part.__class__ is ast.FormattedValue and part.value.__class__ is ast.Name:  # type: ignore[attr-defined]
                yield part.value, ((REPR,) if part.conversion == ord("r") else (STR,))  # type: ignore[attr-defined]


def _message_conversions(message: ast.expr) -> list[tuple[str, ...]] | None:
    """The display method each %-field of a constant message runs, in order (None: not known)."""
    if not (message.__class__ is ast.Constant and isinstance(message.value, str)):  # type: ignore[attr-defined]
        return None
    found: list[tuple[str, ...]] = []
    for field in PERCENT_FIELD.finditer(message.value):  # type: ignore[attr-defined]
        conversion = field.group(5)
        if conversion == "%":
            continue
        if field.group(1) or "*" in (field.group(2) or "") + (field.group(4) or ""):
            return None  # a mapping key or a * width: arguments do not line up with fields
        found.append((REPR,) if conversion == "r" else (STR,) if conversion == "s" else ())
    return found


def reveals_credential(method: ast.AST) -> bool:
    """Whether a ``__str__``/``__repr__`` may write a credential: it reads a credential-named
    attribute or name (``self.token``, ``self.api_key``), or the whole object (``vars(self)``,
    ``self.__dict__``, ``asdict(self)``, a base's display through ``super()``). Other calls are
    taken not to return the secret, as the rule takes them (``redact(self)``)."""
    for node in ast.walk(method):
        kind = node.__class__
        if kind is ast.Attribute:
            if node.attr == "__dict__" or credential_kind(node.attr):  # type: ignore[attr-defined]
                return True
        elif kind is ast.Name:
            if credential_kind(node.id):  # type: ignore[attr-defined]
                return True
        elif kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            called = func.id if func.__class__ is ast.Name else func.attr if func.__class__ is ast.Attribute else None
            if called in _WHOLE_OBJECT_CALLS:
                return True
    return False
