"""Servers without a framework: the standard library's ``http.server`` request handlers and WSGI
applications (models/sources.py has the tables).

- A method of a ``BaseHTTPRequestHandler`` subclass (``do_GET`` and the methods it calls on
  ``self``) reads the request from ``self.path``, ``self.headers``, ``self.rfile``...
- A WSGI application ``def app(environ, start_response)`` reads it from ``environ``, whose
  server-set keys (``SERVER_NAME``, ``REMOTE_ADDR``...) carry nothing of the client.

The file marks its handler classes' methods as it analyses their classes (``is_handler_class``);
the analysis of a method asks ``handler_attribute`` for an attribute of ``self``, that of a
function ``wsgi_environ`` for its parameters.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.models.sources import (
    CLIENT_ENVIRON_KEYS, HANDED_ENVIRON_PARAMETER, SERVER_SET_CGI_KEYS, HTTP_SERVER_HANDLER_CLASSES, HTTP_SERVER_MODULES, HTTP_SERVER_REQUEST_ATTRIBUTES, WSGI_RESPONDER_PARAMETER, WSGI_SERVER_FACTORIES,
)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

def imports_http_server(unit: "FileFlow") -> bool:
    """The file imports a module of HTTP_SERVER_HANDLER_CLASSES (the cheap test before any class's)."""
    return any(unit.facts.imports.imports_module(module) for module in HTTP_SERVER_MODULES)


def is_handler_class(unit: "FileFlow", node: ast.ClassDef) -> bool:
    """Is ``node`` an http.server request handler: a base is one of HTTP_SERVER_HANDLER_CLASSES,
    or a handler class of this file met before it (``unit.http_handler_names``, which this fills)."""
    for base in node.bases:
        if (base.__class__ is ast.Name and base.id in unit.http_handler_names) or unit.qualname(base) in HTTP_SERVER_HANDLER_CLASSES:
            unit.http_handler_names.add(node.name)
            return True
    return False


def handler_attribute(node: ast.Attribute, self_name: str | None, attributes: dict[str, str] = HTTP_SERVER_REQUEST_ATTRIBUTES) -> str | None:
    """The description of ``self.path``, ``self.headers``... read in a request handler's method
    (the caller knows it is one; ``attributes``: its class's, a Tornado handler's differ); None
    for another attribute or receiver."""
    if node.value.__class__ is not ast.Name or node.value.id != self_name:  # type: ignore[attr-defined]
        return None
    return attributes.get(node.attr)


def wsgi_environ(unit: "FileFlow", function: ast.AST, positional: list[ast.arg], is_method: bool) -> str | None:
    """The name of the environ parameter when ``function`` is a WSGI application: its positional
    parameters (after ``self``: a middleware's ``__call__``) are ``(environ, start_response)``, or
    this file gives it ``make_server(host, port, app)``; None otherwise."""
    if is_method:
        positional = positional[1:]
    if len(positional) != 2:
        return None
    if positional[1].arg == WSGI_RESPONDER_PARAMETER or getattr(function, "name", None) in unit.wsgi_served:
        return positional[0].arg
    return None


def wsgi_served(unit: "FileFlow") -> frozenset[str]:
    """Names of the functions this file gives ``wsgiref.simple_server.make_server(host, port, app)``."""
    if not unit.facts.imports.imports_module("wsgiref"):
        return frozenset()
    return frozenset(
        call.args[2].id for call in unit.facts.calls()  # type: ignore[attr-defined]
        if len(call.args) > 2 and call.args[2].__class__ is ast.Name and unit.qualname(call.func) in WSGI_SERVER_FACTORIES)


def server_set_key(container: ast.expr, key: object, environ: str) -> bool:
    """``environ["SERVER_NAME"]`` of a WSGI application's ``environ``: a key the server sets."""
    return (container.__class__ is ast.Name and container.id == environ and key.__class__ is str  # type: ignore[attr-defined]
            and not key.startswith("HTTP_") and key not in CLIENT_ENVIRON_KEYS)  # type: ignore[attr-defined]


def handed_server_set_key(container: ast.expr, key: object, params: list[str]) -> bool:
    """``environ.get("trac.env_parent_dir")`` in a function whose parameter ``environ`` (PEP
    3333's name) is a WSGI environment handed on by the application: a key only a server sets
    (see HANDED_ENVIRON_PARAMETER), never the client."""
    return (container.__class__ is ast.Name and container.id == HANDED_ENVIRON_PARAMETER  # type: ignore[attr-defined]
            and key.__class__ is str and HANDED_ENVIRON_PARAMETER in params
            and (key in SERVER_SET_CGI_KEYS or ("." in key and key != "wsgi.input")))  # type: ignore[operator]
