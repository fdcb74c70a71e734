"""What a function returns, as a web response body (the tables are models/responses.py).

A view returning a helper's result (``return status_of(uuid)``, ``return send_report(path)``)
sends what the helper returns. When that is a response object (``Response(...)``, ``jsonify(...)``,
``redirect(...)``, a rendered template) or a dict or list (which Flask serializes to JSON), the
view returns no HTML text of its own: a response's body is checked where it is made, and JSON is
not HTML. Each function's summary says so (``FunctionSummary.returns_kind``), for the reflected-XSS
rule at the view's ``return`` and for the summaries of the helper's own callers.

The kinds, from the surest to the least sure that no HTML text is returned:

- RESPONSE: every value it returns that carries data is a response object, a dict or list, a
  body whose Content-Type it first declares to be another type than HTML
  (``self.set_header("Content-Type", "application/json")``), or a tuple whose body is a constant
  (``return "saved", 201, {"Location": url}``: its data is in the status or headers).
- TYPED: as RESPONSE, but a Content-Type it declares is not a constant
  (``self.set_header("Content-Type", self.content_type)``): HTML only if that value is text/html.
- JSON_TEXT: JSON text (``json.dumps(...)``, as a str): Flask sends a str as text/html, so a
  browser opening the URL renders it; it is meant for script.
- TEXT: anything else (a str, bytes, what an unknown call returns): the body as it is.
"""
from __future__ import annotations

import ast
from collections.abc import Callable

from secreview.models.responses import (
    HTML_RESPONSES, JSON_TEXT_CALLS, NOT_HTML_RESPONSES, RESPONSE_BUILDERS, RESPONSE_CLASSES,
    OBJECT_RENDER_METHODS, RESPONSE_RETURNING_METHODS, RESPONSE_SUFFIX, UNSEEN_HTML_MAKER_WORD,
    UNSEEN_RESPONSE_MAKER_SUFFIX, UNSEEN_RESPONSE_MAKERS,
)

RESPONSE, TYPED, JSON_TEXT, TEXT = "response", "typed", "json", ""
# From the kind that says the least about HTML (TEXT) to the one that says the most (RESPONSE):
# what several returns give together is the first of theirs in this order.
_ORDER = {TEXT: 0, JSON_TEXT: 1, TYPED: 2, RESPONSE: 3}
_JSON_DISPLAYS = (ast.Dict, ast.List, ast.DictComp, ast.ListComp)
_FRAMEWORK_RENDER_PREFIXES = ("django.", "flask.", "quart.")  # (their module functions named render...: responses)
_MAX_DEPTH = 3  # (names bound to names bound to calls...: a few steps, then TEXT)

# How a call's own kind is found (a project function's summary), and a name's bound values in the
# function (None: a binding that is no expression, a parameter, a loop target...).
CallKind = Callable[[ast.Call], str]
BoundValues = Callable[[str], "list[ast.expr] | None"]


def join_kinds(first: str | None, second: str) -> str:
    """What two returns give together (``first`` None: no return yet)."""
    if first is None:
        return second
    return first if _ORDER[first] <= _ORDER[second] else second


def builds_response(name: str | None, func: ast.expr) -> bool:
    """A call of ``func`` (import-resolved ``name``) that makes the response itself, checked where
    it is made or safe by construction (``jsonify``, ``Response``, ``render_template``,
    ``current_app.response_class``), as opposed to one that makes the HTML body
    (``"".join(parts)``, ``PAGE.format(x)``)."""
    name = name or ""
    last = name.rsplit(".", 1)[-1] if name else getattr(func, "attr", "")
    return (name in HTML_RESPONSES or name in NOT_HTML_RESPONSES or last in RESPONSE_BUILDERS
            or last.endswith(RESPONSE_SUFFIX)
            or (last.startswith("HTTP") and name.startswith("aiohttp.")))  # (``web.HTTPFound(...)``: its own response)


def _object_render(name: str | None, func: ast.expr) -> bool:
    """``template.render(...)``, ``page.render(q=q)``: a template object's text (escaped or not as
    the template says: the data flow and the XSS rule judge it), not a response made by a framework
    function (``render(request, "page.html", ctx)``, ``shortcuts.render(...)``)."""
    return (func.__class__ is ast.Attribute and func.attr in OBJECT_RENDER_METHODS  # type: ignore[attr-defined]
            and not (name or "").startswith(_FRAMEWORK_RENDER_PREFIXES))


# Besides the response classes, what ``isinstance(x, (Response, dict))`` may admit and still be
# no HTML text (Flask serializes a dict or a list to JSON).
_NOT_TEXT_CLASSES = frozenset({"dict", "list"})


def response_instance_test(test: ast.expr, resolve: Callable[[ast.AST], "str | None"]) -> tuple[str, bool] | None:
    """``isinstance(x, Response)`` (a class of RESPONSE_CLASSES, or a tuple of them and dict or
    list): (``x``, True), the branch where it holds returning a response object, not text (``if
    isinstance(rv, Response): return rv``); ``not isinstance(...)``: (``x``, False). None for any
    other test."""
    positive = True
    if test.__class__ is ast.UnaryOp:
        if test.op.__class__ is not ast.Not:  # type: ignore[attr-defined]
            return None
        test, positive = test.operand, False  # type: ignore[attr-defined]
    if (test.__class__ is not ast.Call or test.func.__class__ is not ast.Name or test.func.id != "isinstance"  # type: ignore[attr-defined]
            or len(test.args) != 2 or test.keywords or test.args[0].__class__ is not ast.Name):  # type: ignore[attr-defined]
        return None
    checked, classes = test.args  # type: ignore[attr-defined]
    named = classes.elts if classes.__class__ is ast.Tuple else [classes]
    names = [resolve(element) for element in named]
    if not any(name in RESPONSE_CLASSES for name in names):
        return None
    if not all(name in RESPONSE_CLASSES or name in _NOT_TEXT_CLASSES for name in names):
        return None
    return checked.id, positive


def unseen_call_kind(func: ast.expr) -> str:
    """What a call of a function without a summary (a library's, a helper a registry hands out at
    run time: ``h.redirect_to(...)``) returns as a body, by the name it is called by: a response
    for ``redirect_to`` and the ``*_response`` makers (``storage.as_response(data)``), else TEXT
    (whatever it was given may be in it)."""
    last = func.attr if func.__class__ is ast.Attribute else getattr(func, "id", "")  # type: ignore[attr-defined]
    if last in UNSEEN_RESPONSE_MAKERS:
        return RESPONSE
    if last.endswith(UNSEEN_RESPONSE_MAKER_SUFFIX) and UNSEEN_HTML_MAKER_WORD not in last.lower():
        return RESPONSE
    return TEXT


def summary_kind(returns_kind: str, returns_class: str | None) -> str:
    """A function's kind from its summary: its own, or RESPONSE when its return annotation names
    a response class (``-> Response``)."""
    return RESPONSE if returns_class in RESPONSE_CLASSES else returns_kind


def body_kind(value: ast.expr, resolve: Callable[[ast.AST], "str | None"], call_kind: CallKind,
              bound_values: BoundValues, depth: int = 0) -> str:
    """The kind of the returned expression ``value`` (see the module's docstring)."""
    cls = value.__class__
    if cls in _JSON_DISPLAYS:
        return RESPONSE  # (Flask serializes a dict or a list to JSON)
    if cls is ast.Await:
        return body_kind(value.value, resolve, call_kind, bound_values, depth)  # type: ignore[attr-defined]
    if cls is ast.Tuple:  # ``(body, status)``, ``(body, status, headers)``, ``(status, body)``
        elements = value.elts  # type: ignore[attr-defined]
        if not elements:
            return TEXT
        body = elements[tuple_body(elements)]
        if body.__class__ is ast.Constant:
            return RESPONSE  # (``"saved", 201, {"Location": url}``: the data it carries is not its body)
        return body_kind(body, resolve, call_kind, bound_values, depth)
    if cls is ast.IfExp:
        return join_kinds(body_kind(value.body, resolve, call_kind, bound_values, depth),  # type: ignore[attr-defined]
                          body_kind(value.orelse, resolve, call_kind, bound_values, depth))  # type: ignore[attr-defined]
    if cls is ast.Call:
        func = value.func  # type: ignore[attr-defined]
        name = resolve(func)
        if func.__class__ is ast.Name and name in ("dict", "list"):
            return RESPONSE
        if name in JSON_TEXT_CALLS:
            return JSON_TEXT
        if builds_response(name, func) and not _object_render(name, func):
            return RESPONSE
        return call_kind(value)  # type: ignore[arg-type]
    if cls is ast.Name and depth < _MAX_DEPTH:
        return _name_kind(value.id, resolve, call_kind, bound_values, depth + 1)  # type: ignore[attr-defined]
    return TEXT


def tuple_body(elements: list[ast.expr]) -> int:
    """Which element of a returned tuple is the body: the first (``(body, status)``, ``(body,
    headers)``, ``(body, status, headers)``: Flask, Bottle), or the second when the first is a
    status code -- an int, which no framework sends as a body (``return 201, result``: Django
    Ninja and roundup's REST API put the status first)."""
    first = elements[0]
    if len(elements) > 1 and first.__class__ is ast.Constant and type(first.value) is int:  # type: ignore[attr-defined]
        return 1
    return 0


def _name_kind(name: str, resolve, call_kind: CallKind, bound_values: BoundValues, depth: int) -> str:
    """A local name: the join of what it is bound to, a response method giving the response
    back (``response = response.make_conditional(...)``) keeping what it was."""
    values = bound_values(name)
    if not values:
        return TEXT
    kind = None
    for value in values:
        if (value.__class__ is ast.Call and value.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
                and value.func.attr in RESPONSE_RETURNING_METHODS  # type: ignore[attr-defined]
                and value.func.value.__class__ is ast.Name and value.func.value.id == name):  # type: ignore[attr-defined]
            continue
        kind = join_kinds(kind, body_kind(value, resolve, call_kind, bound_values, depth))
        if kind == TEXT:
            return TEXT
    return TEXT if kind is None else kind


def container_values(binder, name: str) -> "list[ast.expr] | None":
    """What the scope of ``binder`` (a facts.scopes collector) binds ``name`` to, leaving out
    the contents it is given (``d["k"] = v``, ``items.append(v)``: the container stays what it
    is); None when a binding is no expression (a parameter, a loop target, ``global``)."""
    if binder is None or name in binder.escaped:
        return None
    found = []
    for value in binder.bindings.get(name, ()):
        if value is None:
            return None
        if id(value) not in binder.contents:
            found.append(value)
    return found


# ---- a Content-Type declared before the body is returned or written ---------------------------
NOT_KNOWN = object()  # (declared_content_type: a Content-Type that is not a constant)
CONTENT_TYPE_ATTRIBUTES = frozenset({"mimetype", "content_type"})
# ``self.set_header("Content-Type", C)`` (Tornado), ``request.setHeader(b"content-type", C)`` (Twisted).
HEADER_SETTING_METHODS = frozenset({"set_header", "add_header", "setHeader"})
Literal = Callable[[ast.expr, object], object]  # (a constant's value, else the default given)


def declared_content_type(function: ast.AST, node: ast.AST, literal: Literal, bound_values: BoundValues | None = None):
    """The Content-Type ``function`` declares before ``node``: see ``declaration``."""
    return declaration(function, node, literal, bound_values)[0]


def declaration(function: ast.AST, node: ast.AST, literal: Literal,
                bound_values: BoundValues | None = None) -> tuple[object, ast.expr | None]:
    """The Content-Type the statements of ``function``'s body before ``node`` last set
    (``response.content_type = C``, ``response.headers["Content-Type"] = C``,
    ``self.set_header("Content-Type", C)``, ``request.setHeader(b"content-type", C)``): the
    constant C as text, NOT_KNOWN when not a constant, None when none is set. (Bottle's and
    CherryPy's response, Tornado's handler and Twisted's request are set this way before the
    body is returned or written.) With the expression that sets it (None when none is set)."""
    line = getattr(node, "lineno", 0)
    expression = None
    for statement in function.body:  # type: ignore[attr-defined]
        if statement.lineno >= line:
            break
        expression = _declaring(statement, literal) or expression
    return (content_type_value(expression, literal, bound_values) if expression is not None else None), expression


def declaration_along(path: list[ast.AST], literal: Literal,
                      bound_values: BoundValues | None = None) -> tuple[object, ast.expr | None]:
    """As ``declaration``, for the node at the end of ``path`` (the function, then each node down
    to it): the statements before it in its block and in each enclosing block of the function
    (``if fmt == "json": request.setHeader(...); request.write(body)``)."""
    expression = None
    for parent, child in zip(path, path[1:]):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if block.__class__ is list and any(statement is child for statement in block):
                for statement in block:
                    if statement is child:
                        break
                    expression = _declaring(statement, literal) or expression
                break
    return (content_type_value(expression, literal, bound_values) if expression is not None else None), expression


def _declaring(statement: ast.stmt, literal: Literal) -> ast.expr | None:
    """The value a statement sets the Content-Type to, if it sets it."""
    cls = statement.__class__
    if cls is ast.Assign and len(statement.targets) == 1:  # type: ignore[attr-defined]
        target = statement.targets[0]  # type: ignore[attr-defined]
        if (target.__class__ is ast.Attribute and target.attr in CONTENT_TYPE_ATTRIBUTES) or (
                target.__class__ is ast.Subscript and target.value.__class__ is ast.Attribute
                and target.value.attr == "headers" and _header_name(literal(target.slice, "")) == "content-type"):
            return statement.value  # type: ignore[attr-defined]
    elif cls is ast.Expr and statement.value.__class__ is ast.Call:  # type: ignore[attr-defined]
        call = statement.value  # type: ignore[attr-defined]
        if getattr(call.func, "attr", None) in HEADER_SETTING_METHODS and len(call.args) == 2 \
                and _header_name(literal(call.args[0], "")) == "content-type":
            return call.args[1]
    return None


def content_type_value(value: ast.expr, literal: Literal, bound_values: BoundValues | None = None, depth: int = 0):
    """The Content-Type ``value`` gives: a constant (as text); for a choice between values
    (``"text/html" if fmt == "html" else "text/plain"``, a local name bound to several: read
    through ``bound_values``) an HTML one if any is HTML, else NOT_KNOWN if one is not known,
    else the first; NOT_KNOWN for anything else (``self.content_type``, a call)."""
    choices = None
    if value.__class__ is ast.IfExp:
        choices = [value.body, value.orelse]  # type: ignore[attr-defined]
    elif value.__class__ is ast.Name and bound_values is not None and depth < _MAX_DEPTH:
        choices = bound_values(value.id)  # type: ignore[attr-defined]
    if not choices:
        return _text(literal(value, NOT_KNOWN))
    found = [content_type_value(choice, literal, bound_values, depth + 1) for choice in choices]
    html = next((one for one in found if isinstance(one, str) and html_content_type(one)), None)
    if html is not None:
        return html
    return NOT_KNOWN if NOT_KNOWN in found else found[0]


def html_content_type(content_type) -> bool:
    """Whether a response with this Content-Type (a constant, NOT_KNOWN or None) may be rendered
    as HTML: a constant naming another type (text/plain, application/json...) is not."""
    return not isinstance(content_type, str) or "html" in content_type.lower()


def _header_name(value) -> str:
    return str(_text(value)).lower()


def _text(value):
    """Bytes (Twisted's header names and values) as text; anything else as it is."""
    return value.decode("latin-1") if isinstance(value, bytes) else value


# Methods of a Tornado RequestHandler that run for every response the handler sends, last first:
# an override of ``finish`` (a project's API base class), ``prepare`` (before the handler method),
# ``set_default_headers`` (when the handler is made). A Content-Type one of them sets is that of a
# body the handler method writes without declaring one of its own.
RESPONSE_HOOKS = ("finish", "prepare", "set_default_headers")


def hook_content_type(function: ast.AST, literal: Literal) -> tuple[str, str, str]:
    """The constant Content-Type a response hook ``function`` sets on every path (in a statement
    of its body itself; in ``finish``, before it hands the body on to ``super().finish``), and
    the keyword argument of ``finish`` that replaces it: a parameter with a constant default
    (``def finish(self, chunk=None, content_type="application/json")``) or one its ``**kwargs``
    may give (``content_type = kwargs.pop("set_content_type", "application/json")``). Else the
    method of the handler it asks for the type (``self.set_header("Content-Type",
    self.get_content_type())``): a class deriving from the hook's may override it, so the type
    is the text that method returns in the handler's class (see ``returned_text``). ("", "", "")
    when it sets none, or no constant."""
    expression = None
    for statement in function.body:  # type: ignore[attr-defined]
        if getattr(function, "name", "") == "finish" and _calls_super(statement, "finish"):
            break  # (set after: the headers are already sent)
        expression = _declaring(statement, literal) or expression
    if expression is None:
        return "", "", ""
    value = _text(literal(expression, None))
    if isinstance(value, str):
        return value, "", ""
    if expression.__class__ is ast.Name:
        return *_replaceable_default(function, expression.id, literal), ""  # type: ignore[attr-defined]
    return "", "", _own_method_called(expression)


def _own_method_called(expression: ast.expr) -> str:
    """``self.get_content_type()`` (no arguments): the name of the method; else ""."""
    if expression.__class__ is not ast.Call or expression.args or expression.keywords:  # type: ignore[attr-defined]
        return ""
    func = expression.func  # type: ignore[attr-defined]
    if func.__class__ is ast.Attribute and func.value.__class__ is ast.Name and func.value.id == "self":
        return func.attr
    return ""


def returned_text(function: ast.AST) -> str:
    """The text a method returns when its body (after a docstring) is only ``return "<text>"``
    (``def get_content_type(self): return "application/json"``); else ""."""
    body = function.body  # type: ignore[attr-defined]
    if body and body[0].__class__ is ast.Expr and body[0].value.__class__ is ast.Constant:
        body = body[1:]  # (the docstring)
    if len(body) != 1 or body[0].__class__ is not ast.Return or body[0].value.__class__ is not ast.Constant:
        return ""
    value = _text(body[0].value.value)
    return value if isinstance(value, str) else ""


def _replaceable_default(function: ast.AST, name: str, literal: Literal) -> tuple[str, str]:
    """A Content-Type ``name`` holds unless the caller gives another: (default, keyword)."""
    arguments = function.args  # type: ignore[attr-defined]
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(arguments.defaults):]], arguments.defaults))
    defaults.update((a.arg, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None)
    if name in defaults:
        value = _text(literal(defaults[name], None))
        return (value, name) if isinstance(value, str) else ("", "")
    options = arguments.kwarg.arg if arguments.kwarg is not None else None
    bound = [s.value for s in function.body if s.__class__ is ast.Assign  # type: ignore[attr-defined]
             and any(t.__class__ is ast.Name and t.id == name for t in s.targets)]  # type: ignore[attr-defined]
    if options is None or len(bound) != 1 or bound[0].__class__ is not ast.Call:
        return "", ""
    call = bound[0]
    func = call.func  # type: ignore[attr-defined]
    if not (func.__class__ is ast.Attribute and func.attr in ("pop", "get") and func.value.__class__ is ast.Name
            and func.value.id == options and len(call.args) == 2 and not call.keywords):  # type: ignore[attr-defined]
        return "", ""
    keyword, value = literal(call.args[0], None), _text(literal(call.args[1], None))  # type: ignore[attr-defined]
    return (value, keyword) if isinstance(keyword, str) and isinstance(value, str) else ("", "")


def _calls_super(statement: ast.stmt, method: str) -> bool:
    """``super().finish(...)`` (also returned or awaited) in ``statement``."""
    return any(node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr == method  # type: ignore[attr-defined]
               and node.func.value.__class__ is ast.Call and getattr(node.func.value.func, "id", None) == "super"  # type: ignore[attr-defined]
               for node in ast.walk(statement))
