"""Where a computed value goes within its function: into a request to another service, or kept
(stored on an object, compared). A client of a remote login API hashes the password the way the
server dictates (``"md5Pass": md5(password).hexdigest()`` in the login request): the digest is
sent, not stored, and the client cannot choose a slower scheme.

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast

from secreview.rules._naming import last_name, name_words
from secreview.rules.context import RuleContext
from secreview.rules.flows import HTTP_CLIENT_CALLS

_HTTP_CALLS = frozenset(HTTP_CLIENT_CALLS)
# Calls that pass a value on unchanged in substance (serialized, encoded, hashed again): what
# they return goes where the value went.
_PASSING_CALLS = frozenset({
    "json.dumps", "urllib.parse.urlencode", "urllib.parse.quote", "urllib.parse.quote_plus", "str", "bytes",
    "dict", "base64.b64encode", "base64.urlsafe_b64encode", "binascii.hexlify",
})
# Methods of a digest or a string that keep it what it is.
_PASSING_METHODS = frozenset({"hexdigest", "digest", "encode", "decode", "upper", "lower", "strip"})
# Last words of a name holding a URL (``API_URL``, ``login_uri``, ``token_endpoint``).
_URL_WORDS = frozenset({"url", "uri", "endpoint"})
_CONTAINERS = (ast.Dict, ast.Tuple, ast.List, ast.Set, ast.JoinedStr, ast.FormattedValue, ast.BinOp)
# The end of the message of a password digest made for a remote login.
SENT_TO_REMOTE_LOGIN = ("for a request to another service: its login API dictates the scheme, the digest is sent, "
                        "not stored here (a password-equivalent on the wire; use the service's stronger login if it has one).")
_MAX_STEPS = 60  # uses followed per value: a login payload is built in a few statements


def sent_in_request(ctx: RuleContext, call: ast.Call) -> bool:
    """The value of ``call`` goes, in its function, into a request to another service (an
    argument of an HTTP client call, of a call given a URL first, or of a call named for a
    request: ``api_request("login", pass_md5=...)``), through names, dict entries and
    serialization; and no use of it keeps it (assigned to an object's attribute, compared)."""
    function = ctx.function
    if function is None:
        return False
    parents = {id(child): parent for parent in ast.walk(function) for child in ast.iter_child_nodes(parent)}
    pending: list[ast.AST] = [call]
    seen: set[int] = set()
    sent = False
    while pending and len(seen) < _MAX_STEPS:
        value = pending.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        use = _use_of(ctx, value, parents, function)
        if use == "kept":
            return False
        if use == "sent":
            sent = True
        elif isinstance(use, list):
            pending.extend(use)
    return sent


def _use_of(ctx: RuleContext, value: ast.AST, parents: dict[int, ast.AST], function: ast.AST):
    """What happens to ``value`` at its parent: "sent", "kept", the expressions that now hold it
    (to follow further), or None (a use that says nothing: logged, returned, handed to a helper)."""
    parent = parents.get(id(value))
    if isinstance(parent, ast.keyword):
        parent = parents.get(id(parent))
    if isinstance(parent, ast.Attribute):  # ``md5(...).hexdigest()``: the method's result, when called
        called = parents.get(id(parent))
        return [called] if isinstance(called, ast.Call) and called.func is parent and parent.attr in _PASSING_METHODS else None
    if isinstance(parent, ast.Call) and parent.func is not value:
        if _sends_request(ctx, parent):
            return "sent"
        name = ctx.call_name(parent) or ""
        return [parent] if name in _PASSING_CALLS or name.startswith("hashlib.") else None
    if isinstance(parent, _CONTAINERS) and not (isinstance(parent, ast.Dict) and value in parent.keys):
        return [parent]
    if isinstance(parent, ast.Compare):
        return "kept"  # checked against a stored value: a local login
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if any(isinstance(target, ast.Attribute) for target in targets):
            return "kept"  # ``user.password_hash = ...``, ``self.digest = ...``: stored on an object
        return [read for target in targets for read in _reads_of(target, function, parents)]
    return None


def _reads_of(target: ast.expr, function: ast.AST, parents: dict[int, ast.AST]) -> list[ast.expr]:
    """Where the function reads back what it assigned to ``target``: a name's loads; for
    ``payload["pass"]``, the loads of ``payload["pass"]`` and of the whole ``payload``."""
    if isinstance(target, ast.Name):
        return [node for node in ast.walk(function)
                if isinstance(node, ast.Name) and node.id == target.id and isinstance(node.ctx, ast.Load)]
    if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
            and isinstance(target.slice, ast.Constant)):
        return []
    holder, key = target.value.id, target.slice.value
    reads: list[ast.expr] = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == holder and isinstance(node.ctx, ast.Load)):
            continue
        item = parents.get(id(node))
        if isinstance(item, ast.Subscript) and item.value is node:
            if isinstance(item.slice, ast.Constant) and item.slice.value == key and isinstance(item.ctx, ast.Load):
                reads.append(item)
        else:
            reads.append(node)
    return reads


def _sends_request(ctx: RuleContext, call: ast.Call) -> bool:
    """An HTTP client call, a call given a URL first (``self.load(API_URL + "login", post=...)``,
    whatever library it goes through), or a call named for a request (``api_request``)."""
    if (ctx.call_name(call) or "") in _HTTP_CALLS:
        return True
    if call.args and _is_url(call.args[0]):
        return True
    name = last_name(call.func)
    return bool(name) and name_words(name)[-1:] == ["request"]


def _is_url(expr: ast.expr) -> bool:
    """``"https://api.example.com/login"``, ``API_URL``, ``self.base_url + path``, ``f"{API_URL}/login"``."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str) and expr.value.startswith(("https://", "http://"))
    if isinstance(expr, (ast.Name, ast.Attribute)):
        words = name_words(expr.id if isinstance(expr, ast.Name) else expr.attr)
        return bool(words) and words[-1] in _URL_WORDS
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _is_url(expr.left)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        return _is_url(first.value if isinstance(first, ast.FormattedValue) else first)
    return False
