"""What async servers receive from their clients: a FastAPI/Starlette WebSocket's messages and
the data an ``asyncio.start_server`` handler reads from its StreamReader (models/sources.py says
which methods, classes and servers; the analysis asks at each call of one of those methods).

A receiver counts only when it is a parameter the function never rebinds: ``ws: WebSocket`` (its
annotation says what the framework gives it), or the first parameter of a handler this file gives
a stream server (``asyncio.start_server(handle, ...)``: asyncio calls ``handle(reader, writer)``).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Level
from secreview.models.sources import (
    STREAM_DATA, STREAM_READ_METHODS, STREAM_SERVERS, WEBSOCKET_CLASSES, WEBSOCKET_MESSAGE, WEBSOCKET_RECEIVE_METHODS,
)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow
    from secreview.dataflow.analyzer import FunctionAnalysis

RECEIVING_METHODS = WEBSOCKET_RECEIVE_METHODS | STREAM_READ_METHODS
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def received(analysis: "FunctionAnalysis", receiver: str, method: str) -> tuple[str, Level] | None:
    """What ``receiver.method(...)`` gives (a source's description and confidence), when
    ``receiver`` is a WebSocket or a stream server's reader; None for anything else."""
    if receiver not in analysis.params:
        return None
    if method in WEBSOCKET_RECEIVE_METHODS and is_websocket(analysis, receiver):
        found = WEBSOCKET_MESSAGE
    elif method in STREAM_READ_METHODS and stream_reader(analysis) == receiver:
        found = STREAM_DATA
    else:
        return None
    return found if _only_bound_as_parameter(analysis, receiver) else None  # (the cheap tests first)


def is_websocket(analysis: "FunctionAnalysis", name: str) -> bool:
    """Is the parameter ``name`` annotated with a WebSocket class (``Optional``/``Annotated``
    around it too)?"""
    arg = _parameter(analysis.node, name)
    annotation = arg.annotation if arg is not None else None
    while annotation.__class__ is ast.Subscript:  # ``Annotated[WebSocket, ...]``, ``Optional[WebSocket]``
        inner = annotation.slice  # type: ignore[union-attr]
        annotation = inner.elts[0] if inner.__class__ is ast.Tuple and inner.elts else inner  # type: ignore[attr-defined]
    if annotation.__class__ is ast.BinOp:  # ``WebSocket | None``
        annotation = annotation.left  # type: ignore[union-attr]
    if annotation is None or annotation.__class__ not in (ast.Name, ast.Attribute):
        return False
    return analysis.resolved_name(annotation) in WEBSOCKET_CLASSES


def stream_reader(analysis: "FunctionAnalysis") -> str | None:
    """The reader parameter of the function analysed, when this file gives it to a stream server."""
    handlers = analysis.unit.stream_handlers
    return handlers.get(id(analysis.node)) if handlers else None


def stream_handlers(unit: "FileFlow") -> dict[int, str]:
    """The functions (node ids) this file gives ``asyncio.start_server`` and its kin, with the
    name of their reader parameter (the first, after ``self`` for a method)."""
    if not unit.facts.imports.imports_module("asyncio") or "start_" not in "\n".join(unit.parsed.lines):
        return {}
    given: set[str] = set()
    for call in unit.facts.calls():
        if unit.qualname(call.func) in STREAM_SERVERS:
            handler = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "client_connected_cb"), None)
            if handler.__class__ is ast.Name:
                given.add(handler.id)  # type: ignore[union-attr]
            elif handler.__class__ is ast.Attribute:  # ``self.handle``
                given.add(handler.attr)  # type: ignore[union-attr]
    found: dict[int, str] = {}
    if not given:
        return found
    for node in ast.walk(unit.parsed.tree):
        if node.__class__ in _FUNCTIONS and node.name in given:  # type: ignore[attr-defined]
            positional = [*node.args.posonlyargs, *node.args.args]  # type: ignore[attr-defined]
            if unit.is_method(node):
                positional = positional[1:]
            if positional:
                found[id(node)] = positional[0].arg
    return found


def _parameter(function: ast.AST, name: str) -> ast.arg | None:
    args = getattr(function, "args", None)
    if args is None:
        return None
    return next((arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs) if arg.arg == name), None)


def _only_bound_as_parameter(analysis: "FunctionAnalysis", name: str) -> bool:
    """``name`` is the function's parameter and nothing else in it (no assignment rebinds it)."""
    node = analysis.node
    if node.__class__ not in _FUNCTIONS:
        return False
    return analysis.unit.facts.scopes.collector(node).bindings.get(name) == [None]
