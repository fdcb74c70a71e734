"""Snippets from stdin (``secreview review -``): code pasted from the middle of a file.

A snippet may be a fragment: an indented method body, methods cut out of a class, statements that
only make sense inside a function (``return x``, ``yield``, ``await``, ``nonlocal``, ``self.x``).
It is parsed as it is first: Python's parser accepts the function-only statements anywhere (the
compiler, which secreview never runs, is what rejects them), so those need no wrapping. An
indented fragment is then parsed inside blocks: ``if True:`` lines put above it, one per
indentation level it uses, accept its indentation without changing a character of the snippet
(unlike dedenting, which would shift columns and alter multi-line strings). A fragment that starts
at a clause (``else:``, ``elif x:``, ``except E:``, ``finally:``) gets the head of its statement put
above it (``if __fragment__: pass``, ``try: pass``), whose lines are never reported. The tree is then
unwrapped and moved so that every line and column is the one the user sees in the origin
(``--first-line``). If nothing parses, the diagnostic names the line of the syntax error in the
origin's numbering.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from secreview.findings import Diagnostic
from secreview.models.sources import SNIPPET_REQUEST_ATTRIBUTES
from secreview.parse import source_lines, ParsedFile, decode_source, syntax_error_message

@dataclass
class SnippetFile(ParsedFile):
    """A parsed snippet: ``lines`` are padded with empty lines before ``first_line`` so tree line
    numbers index them directly; ``line_count`` counts the snippet's own lines only."""

    first_line: int = 1
    # The framework whose request object the snippet's free ``request`` is taken as ("": none; see
    # ``assumed_request``); the data flow reads it as a source of SNIPPET_REQUEST_CONFIDENCE.
    assumed_request: str = ""

    @property
    def line_count(self) -> int:
        return len(self.lines) - (self.first_line - 1)


def parse_snippet(path: str, data: bytes, first_line: int = 1) -> ParsedFile | Diagnostic:
    text = decode_source(path, data)
    if isinstance(text, Diagnostic):
        return text
    if text.startswith("\ufeff"):
        text = text[1:]
    tree, error = _parse_fragment(path, text)
    if tree is None:
        return _diagnostic(path, error, first_line)
    if first_line > 1:
        ast.increment_lineno(tree, first_line - 1)
    lines = [""] * (first_line - 1) + source_lines(text)
    return SnippetFile(path=path, tree=tree, lines=lines, first_line=first_line, assumed_request=assumed_request(tree))


def assumed_request(tree: ast.Module) -> str:
    """The framework a snippet's ``request`` is the request object of, when the snippet never binds
    nor imports the name (a view body pasted without its imports) and reads it with attributes of
    SNIPPET_REQUEST_ATTRIBUTES that some one framework has all of (``request.form[...]``,
    ``request.args.get(...)``, ``request.GET[...]``); "" otherwise (``request = build()``, ``from
    urllib import request``, a parameter ``request``, ``request(...)`` called, mixed frameworks)."""
    candidates: list[str] | None = None
    for node in ast.walk(tree):
        if _binds(node, "request"):
            return ""
        if node.__class__ is ast.Call and node.func.__class__ is ast.Name and node.func.id == "request":
            return ""  # (a function, not a request object)
        if node.__class__ is ast.Attribute and node.value.__class__ is ast.Name and node.value.id == "request":
            having = SNIPPET_REQUEST_ATTRIBUTES.get(node.attr)
            if having is not None:
                candidates = list(having) if candidates is None else [c for c in candidates if c in having]
    return candidates[0] if candidates else ""


def _binds(node: ast.AST, name: str) -> bool:
    """Does ``node`` bind ``name`` (assignment, parameter, import, definition, ``except ... as``,
    ``global``...)?"""
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.arg):
        return node.arg == name
    if isinstance(node, ast.Import):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return any((alias.asname or alias.name) in (name, "*") for alias in node.names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return getattr(node, "name", None) == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    return False


def _parse(path: str, text: str) -> ast.Module:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. invalid escape sequences: the snippet's business
        return ast.parse(text, filename=path)


def _parse_fragment(path: str, text: str) -> tuple[ast.Module | None, BaseException | None]:
    """(tree in the snippet's own numbering, None) or (None, the most informative error)."""
    try:
        return _parse(path, text), None
    except SyntaxError as exc:
        error = exc
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc  # not a fragment problem: wrapping cannot help
    headers = _block_headers(text)
    if not headers:
        return None, error
    try:
        return _unwrap(_parse(path, "".join(h.text for h in headers) + text), headers), None
    except SyntaxError as exc:
        # Report the error found furthest into the snippet: the earlier one is often just
        # "unexpected indent" on the first line, which the block form got past.
        if (exc.lineno or 0) - len(headers) > (error.lineno or 0):
            exc.lineno = (exc.lineno or 1) - len(headers)
            error = exc
        return None, error
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc


# The test of the blocks put around a fragment: a name, not ``True``, so that the data flow (which
# prunes branches a constant test never takes) analyses a fragment's own ``else:`` clause.
_FRAGMENT_TEST = "__fragment__"
# Clauses that continue a compound statement: a selection may start at one (``else:``...), or go
# back to one at a lower indentation (``except E:`` after the ``try`` body it started in).
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_HANDLER_CLAUSE = re.compile(r"(?:except|finally)\b")


@dataclass(frozen=True)
class _Header:
    """A line put above a fragment: a block (``if``/``try``) holding the lines indented deeper than
    ``indent``, or the head of the statement whose clause the fragment starts with (``dangling``:
    ``if __fragment__: pass`` before ``else:``, ``try: pass`` before ``except E:``)."""

    indent: str
    keyword: str  # "if" or "try"
    dangling: bool = False

    @property
    def text(self) -> str:
        head = f"if {_FRAGMENT_TEST}:" if self.keyword == "if" else "try:"
        return f"{self.indent}{head}{' pass' if self.dangling else ''}\n"


def _code_lines(text: str) -> list[tuple[str, str]]:
    """(leading whitespace, the rest) of each line holding code (not blank, not only a comment)."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip(" \t\f")
        if stripped and not stripped.startswith("#"):
            lines.append((line[: len(line) - len(stripped)], stripped))
    return lines


def _block_headers(text: str) -> list[_Header]:
    """Lines to put above a fragment, outermost first: a block per indentation level that the
    fragment's later lines go back to (a selection may start deep inside a block) -- ``try:`` when
    the fragment goes back to it with ``except``/``finally``, else ``if __fragment__:`` -- and, when
    the fragment starts with a clause (``else:``, ``elif x:``, ``except E:``, ``finally:``), the
    head of its statement. Empty when the fragment is neither indented nor starts with a clause."""
    lines = _code_lines(text)
    if not lines:
        return []
    first, first_code = lines[0]
    headers = []
    if first:
        levels = sorted({i for i, _ in lines if len(i) < len(first) and first.startswith(i)} | {""}, key=len)
        for level in levels:
            back = next((code for indent, code in lines if indent == level), "")
            headers.append(_Header(level, "try" if _HANDLER_CLAUSE.match(back) else "if"))
    if _CLAUSE.match(first_code):
        headers.append(_Header(first, "try" if _HANDLER_CLAUSE.match(first_code) else "if", dangling=True))
    return headers


def _unwrap(wrapped: ast.Module, headers: list[_Header]) -> ast.Module:
    """The snippet's statements as a module, at the snippet's own lines (columns are unchanged:
    the snippet's text was not modified). Statements after a block (lines less indented than the
    snippet's first) are kept, in order. A block the fragment goes back to with a clause of its own
    (``else:``, ``except E:``) is kept, around the statements it holds."""
    depth = len(headers)

    def statements(body: list[ast.stmt], level: int) -> list[ast.stmt]:
        if level == depth:
            return body
        block, rest = body[0], body[1:]
        assert isinstance(block, (ast.If, ast.Try, ast.TryStar))
        if headers[level].dangling:  # the fragment starts at one of this statement's clauses
            if isinstance(block, ast.If):
                return [*block.orelse, *rest]  # (``elif c:`` is the ``if c:`` there)
            _place(block.body[0], block.handlers[0] if block.handlers else block.finalbody[0], end=True)
            _place(block, block.body[0])
            return [block, *rest]
        inner = statements(block.body, level + 1)
        if isinstance(block, ast.If) and not block.orelse:
            return [*inner, *rest]
        block.body = inner
        _place(block, inner[0])
        if isinstance(block, ast.If):
            _place(block.test, inner[0], end=True)
        return [block, *rest]

    ast.increment_lineno(wrapped, -depth)
    return ast.Module(body=statements(wrapped.body, 0), type_ignores=[])


def _place(node: ast.AST, where: ast.AST, end: bool = False) -> None:
    """Give a synthetic node (a block put around the fragment, its ``pass``, its test) the start of
    the fragment's ``where``, so that it never stands at a line of its own (it has none in the
    snippet). ``end``: it ends there too (a block keeps the end of its last clause)."""
    node.lineno, node.col_offset = where.lineno, where.col_offset
    if end:
        node.end_lineno, node.end_col_offset = where.lineno, where.col_offset


def _diagnostic(path: str, error: BaseException | None, first_line: int) -> Diagnostic:
    if isinstance(error, SyntaxError):
        line = (error.lineno or 1) + first_line - 1
        return Diagnostic(path, "syntax-error", syntax_error_message(error), line)  # (columns are the snippet's own)
    if isinstance(error, (RecursionError, MemoryError)):
        return Diagnostic(path, "too-complex", "the code is nested too deeply to be parsed; it was not reviewed")
    return Diagnostic(path, "syntax-error", f"cannot parse: {error}")
