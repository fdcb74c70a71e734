"""Which variables a constant Jinja2 template prints without HTML escaping, for the rules that see
the template's text (``render_template_string("<p>{{ bio|safe }}</p>", bio=...)``, see web.py).

Flask renders templates with autoescaping on: ``{{ x }}`` is escaped, unless the value is marked
safe (``{{ x|safe }}``) or the block turns escaping off (``{% autoescape false %}...{%
endautoescape %}``). This reads the template's text, never runs it: a small scanner of Jinja's
default syntax (``{{ }}``, ``{% %}``, ``{# #}``, ``{% raw %}``), reading each printed expression
as operands joined by operators, each operand with its filter chain. Where it cannot tell, it
takes the variables as printed unescaped (a non-constant ``{% autoescape expr %}``, a group
``(a ~ b)|safe``, the arguments of a call), so that only the data flow decides.

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import re

# A filter's effect on the printed value: marks it safe HTML as it is, escapes it, or makes a
# value with no markup (a number, JSON for a script block, a percent-encoded string).
_MARKS_SAFE = frozenset({"safe"})
_ESCAPES = frozenset({"e", "escape", "forceescape"})
_NO_MARKUP = frozenset({
    "int", "float", "length", "count", "wordcount", "filesizeformat", "tojson", "urlencode", "abs", "round",
})
# Names in an expression that are no template variables.
_NOT_VARIABLES = frozenset({
    "true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else", "loop",
    "caller", "super", "self", "varargs", "kwargs", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
})
_RAW, _MARKED, _ESCAPED, _CLEAN = "raw", "marked", "escaped", "clean"  # states of a printed operand
_TOKEN = re.compile(r"""\s*(?:('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_]\w*)|(\d[\w.]*)|(\*\*|//|==|!=|<=|>=|.))""", re.S)
_TAG_OPEN = re.compile(r"\{(\{|%|#)-?\+?")
_STRING, _NAME, _NUMBER, _OPERATOR = 1, 2, 3, 4
_OPENING = {"(": ")", "[": "]", "{": "}"}
_MAX_TEMPLATE = 200_000  # characters scanned (a larger template: nothing is known)


def unescaped_variables(template: str, autoescape: bool = True) -> frozenset[str] | None:
    """The names of the variables the template may print unescaped (their root: ``user`` for
    ``{{ user.bio|safe }}``), following ``{% set %}`` and ``{% for %}`` aliases; None when the
    template is too large or cannot be read. ``autoescape``: whether escaping is on outside any
    ``{% autoescape %}`` block (Flask's templates; not jinja2's own ``Template``/``Environment``)."""
    if len(template) > _MAX_TEMPLATE:
        return None
    found: set[str] = set()
    aliases: dict[str, frozenset[str]] = {}
    escaping = [autoescape]  # autoescape, innermost block last (Flask turns it on for its templates)
    position = 0
    while True:
        match = _TAG_OPEN.search(template, position)
        if match is None:
            return frozenset(found)
        kind = match.group(1)
        if kind == "#":
            end = template.find("#}", match.end())
            if end < 0:
                return None
            position = end + 2
            continue
        end = _tag_end(template, match.end(), "}}" if kind == "{" else "%}")
        if end < 0:
            return None
        inside = template[match.end():end].strip().rstrip("-+").strip()
        position = end + 2
        if kind == "{":
            found |= _resolve(_unescaped_operands(_tokens(inside), escaping[-1]), aliases)
            continue
        words = inside.split(None, 1)
        keyword = words[0] if words else ""
        rest = words[1] if len(words) > 1 else ""
        if keyword == "raw":
            close = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(template, position)
            if close is None:
                return None
            position = close.end()
        elif keyword == "autoescape":
            escaping.append(rest.strip() in ("true", "True"))  # (an expression: may be false)
        elif keyword == "endautoescape" and len(escaping) > 1:
            escaping.pop()
        elif keyword == "set" and "=" in rest:
            target, expression = rest.split("=", 1)
            tokens = _tokens(expression)
            found |= _resolve(_unescaped_operands(tokens, True), aliases)  # ``set b = bio|safe``: printed later
            for name in re.findall(r"[A-Za-z_]\w*", target):
                aliases[name] = _resolve(_roots(tokens), aliases)
        elif keyword == "for" and " in " in f" {rest} ":
            targets, _, iterable = rest.partition(" in ")
            roots = _resolve(_roots(_tokens(iterable)), aliases)
            for name in re.findall(r"[A-Za-z_]\w*", targets):
                aliases[name] = roots
        elif keyword in ("if", "elif", "with", "filter", "call", "include", "macro", "block", "extends", "import", "from"):
            continue  # (nothing printed by the tag itself)


def _tag_end(template: str, start: int, closing: str) -> int:
    """Where the tag opened before ``start`` closes (skipping string literals), or -1."""
    index = start
    quote = None
    while index < len(template):
        char = template[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif template.startswith(closing, index):
            return index
        index += 1
    return -1


def _tokens(expression: str) -> list[tuple[int, str]]:
    tokens = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastindex
        if kind is not None:
            tokens.append((kind, match.group(kind)))
    return tokens


def _resolve(names: set[str] | frozenset[str], aliases: dict[str, frozenset[str]]) -> frozenset[str]:
    resolved: set[str] = set()
    for name in names:
        resolved |= aliases.get(name, {name})
    return frozenset(resolved)


def _roots(tokens: list[tuple[int, str]]) -> set[str]:
    """The variables an expression reads (not attribute, filter or test names, nor keywords)."""
    roots = set()
    previous = None
    for kind, text in tokens:
        if kind == _NAME and text not in _NOT_VARIABLES and previous not in (".", "|", "is", "not"):
            roots.add(text)
        previous = text
    return roots


def _unescaped_operands(tokens: list[tuple[int, str]], autoescape: bool) -> set[str]:
    """The variables of the operands of a printed expression whose value is printed unescaped:
    marked safe (and not escaped before) -- or, with autoescape off, not escaped at all."""
    found: set[str] = set()
    index = 0
    while index < len(tokens):
        kind, text = tokens[index]
        if text == "is":  # ``x is not defined``: a test, no variable
            index += 2 if index + 1 < len(tokens) and tokens[index + 1][1] == "not" else 1
            if index < len(tokens) and tokens[index][0] == _NAME:
                index += 1
            continue
        if kind == _NAME and text not in _NOT_VARIABLES or text == "(":
            end = _primary_end(tokens, index)
            roots = _roots(tokens[index:end])
            state, index = _filters(tokens, end)
            if state == _MARKED or (not autoescape and state == _RAW):
                found |= roots
            continue
        index += 1
    return found


def _primary_end(tokens: list[tuple[int, str]], index: int) -> int:
    """The end of the primary starting at ``index``: a name or a parenthesized group, with its
    attribute reads, subscripts and calls."""
    index = _group_end(tokens, index) if tokens[index][1] == "(" else index + 1
    while index < len(tokens):
        text = tokens[index][1]
        if text == "." and index + 1 < len(tokens):
            index += 2
        elif text in ("[", "("):
            index = _group_end(tokens, index)
        else:
            break
    return index


def _group_end(tokens: list[tuple[int, str]], index: int) -> int:
    """Just past the bracket closing the one at ``index`` (the end of the tokens if none)."""
    depth = 0
    while index < len(tokens):
        kind, text = tokens[index]
        if kind == _OPERATOR and text in _OPENING:
            depth += 1
        elif kind == _OPERATOR and text in _OPENING.values():
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _filters(tokens: list[tuple[int, str]], index: int) -> tuple[str, int]:
    """The state of a primary's value after its filter chain (``|safe|upper``) starting at
    ``index``, and the index past the chain."""
    state = _RAW
    while index + 1 < len(tokens) and tokens[index][1] == "|" and tokens[index + 1][0] == _NAME:
        name = tokens[index + 1][1]
        index += 2
        if index < len(tokens) and tokens[index][1] == "(":
            index = _group_end(tokens, index)
        if name in _NO_MARKUP:
            state = _CLEAN
        elif name == "forceescape" or (name in _ESCAPES and state == _RAW):
            state = _ESCAPED  # (``escape`` leaves a value already marked safe as it is)
        elif name in _MARKS_SAFE and state == _RAW:
            state = _MARKED
    return state, index
