"""Jinja2 templates the program renders itself: ``jinja2.Template(src).render(**ctx)``,
``Environment().from_string(src).render(...)`` (or ``await ....render_async(...)``).

Jinja2's own default is autoescaping *off* (Flask turns it on for the templates it renders; a
``Template`` or ``Environment`` made directly escapes nothing unless told to): every ``{{ x }}``
prints ``x`` as it is, so the rendered text holds the request data given to the variables it
prints -- reflected XSS once it is returned as an HTML response (rules/web.py: a view's return).
A ``render()`` of any other template (Django's, Flask's, an autoescaping environment's) is HTML
safe (models.SANITIZING_METHODS).

Recognised: the template is made by the call itself or by a name bound once, in the function or
the module, to ``jinja2.Template(src, ...)`` or ``<env>.from_string(src)``, where ``<env>`` is
``jinja2.Environment(...)`` (or a sandboxed one), directly or through a name bound once.
Autoescaping is off when ``autoescape=`` is not given or is a constant false; on for a constant
true and for ``select_autoescape(...)`` (whose ``default_for_string`` is true unless given as a
constant false: a template from a string has no file name); anything else is taken as on (not
known: nothing said). A constant template is read (rules/_jinja.py) for the variables it prints
unescaped (``|e``, ``{% autoescape true %}`` escape); any other template may print them all.
"""
from __future__ import annotations

import ast
from typing import Any, Callable

from secreview.rules._jinja import unescaped_variables

# ``render(...)`` and the awaited ``render_async(...)`` of an Environment(enable_async=True): the same text.
JINJA_RENDER_METHODS = frozenset({"render", "render_async"})
TEMPLATE_CLASSES = frozenset({"jinja2.Template", "jinja2.environment.Template"})
ENVIRONMENT_CLASSES = frozenset({
    "jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment",
    "jinja2.sandbox.ImmutableSandboxedEnvironment",
})
SELECT_AUTOESCAPE = frozenset({"jinja2.select_autoescape", "jinja2.utils.select_autoescape"})
EVERY_VARIABLE = None  # (printed_unescaped: a template not known, with escaping off)
ESCAPED = frozenset()  # (printed_unescaped: not a template made here with escaping off)


def printed_unescaped(render: ast.Call, qualname: Callable[[ast.AST], "str | None"],
                      bound_once: Callable[[ast.Name], "ast.expr | None"], fold: Callable[[ast.expr], Any]) -> frozenset[str] | None:
    """For ``<template>.render(...)``: the variables the template prints unescaped (see the
    module's description), EVERY_VARIABLE when the template's text is not known, ESCAPED (empty)
    when it is not a jinja2 template made here with autoescaping off. ``bound_once(name)``: the
    value a name is bound to once in the scope it is read from (None: not so); ``fold(expr)``: a
    constant's value."""
    template = _made(render.func.value, bound_once)  # type: ignore[attr-defined]
    if template is None:
        return ESCAPED
    kind = qualname(template.func)
    if kind in TEMPLATE_CLASSES:
        maker = template
    elif template.func.__class__ is ast.Attribute and template.func.attr == "from_string":  # type: ignore[attr-defined]
        maker = _made(template.func.value, bound_once)  # type: ignore[attr-defined]
        if maker is None or qualname(maker.func) not in ENVIRONMENT_CLASSES:
            return ESCAPED
    else:
        return ESCAPED
    if any(keyword.arg is None for keyword in maker.keywords) or _escapes(_keyword(maker, "autoescape"), qualname):
        return ESCAPED
    source = template.args[0] if template.args else _keyword(template, "source")
    text = fold(source) if source is not None else None
    if not isinstance(text, str):
        return EVERY_VARIABLE
    return unescaped_variables(text, autoescape=False)


def _made(node: ast.expr, bound_once: Callable[[ast.Name], "ast.expr | None"]) -> ast.Call | None:
    """The call that made the object ``node`` is: itself, or the one a name is bound to once."""
    if node.__class__ is ast.Name:
        node = bound_once(node)  # type: ignore[arg-type, assignment]
    return node if node.__class__ is ast.Call else None  # type: ignore[return-value]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _escapes(autoescape: ast.expr | None, qualname: Callable[[ast.AST], "str | None"]) -> bool:
    """Does ``autoescape=`` (None: not given) turn escaping on for a template from a string?"""
    if autoescape is None:
        return False
    if autoescape.__class__ is ast.Constant:
        return bool(autoescape.value)  # type: ignore[attr-defined]
    if autoescape.__class__ is ast.Call and qualname(autoescape.func) in SELECT_AUTOESCAPE:  # type: ignore[attr-defined]
        given = _keyword(autoescape, "default_for_string")  # type: ignore[arg-type]
        if given is None and len(autoescape.args) > 2:  # type: ignore[attr-defined]
            given = autoescape.args[2]  # type: ignore[attr-defined]
        return not (given is not None and given.__class__ is ast.Constant and not given.value)  # type: ignore[attr-defined]
    return True  # (not known: taken as on)
