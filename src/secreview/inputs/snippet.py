"""Snippets from stdin (``secreview review -``): code pasted from the middle of a file.

A snippet may be a fragment: an indented method body, methods cut out of a class, statements that
only make sense inside a function (``return x``, ``yield``, ``await``, ``nonlocal``, ``self.x``).
It is parsed as it is first: Python's parser accepts the function-only statements anywhere (the
compiler, which secreview never runs, is what rejects them), so those need no wrapping. An
indented fragment is then parsed inside blocks: ``if True:`` lines put above it, one per
indentation level it uses, accept its indentation without changing a character of the snippet
(unlike dedenting, which would shift columns and alter multi-line strings). The tree is then
unwrapped and moved so that every line and column is the one the user sees in the origin
(``--first-line``). If nothing parses, the diagnostic names the line of the syntax error in the
origin's numbering.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.findings import Diagnostic
from secreview.parse import source_lines, ParsedFile, decode_source, syntax_error_message

@dataclass
class SnippetFile(ParsedFile):
    """A parsed snippet: ``lines`` are padded with empty lines before ``first_line`` so tree line
    numbers index them directly; ``line_count`` counts the snippet's own lines only."""

    first_line: int = 1

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
    return SnippetFile(path=path, tree=tree, lines=lines, first_line=first_line)


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
        return _unwrap(_parse(path, "".join(headers) + text), len(headers)), None
    except SyntaxError as exc:
        # Report the error found furthest into the snippet: the earlier one is often just
        # "unexpected indent" on the first line, which the block form got past.
        if (exc.lineno or 0) - len(headers) > (error.lineno or 0):
            exc.lineno = (exc.lineno or 1) - len(headers)
            error = exc
        return None, error
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc


def _code_indents(text: str) -> list[str]:
    """The leading whitespace of each line holding code (not blank, not only a comment)."""
    indents = []
    for line in text.splitlines():
        stripped = line.lstrip(" \t\f")
        if stripped and not stripped.startswith("#"):
            indents.append(line[: len(line) - len(stripped)])
    return indents


def _block_headers(text: str) -> list[str]:
    """``if True:`` lines to put above an indented fragment, one per indentation level that the
    fragment's later lines go back to (a selection may start deep inside a block), outermost
    first. Empty when the fragment is not indented."""
    indents = _code_indents(text)
    if not indents or not indents[0]:
        return []
    first = indents[0]
    levels = sorted({i for i in indents if len(i) < len(first) and first.startswith(i)} | {""}, key=len)
    return [f"{level}if True:\n" for level in levels]


def _unwrap(wrapped: ast.Module, depth: int) -> ast.Module:
    """The snippet's statements as a module, at the snippet's own lines (columns are unchanged:
    the snippet's text was not modified). Statements after a block (lines less indented than the
    snippet's first) are kept, in order."""
    def statements(body: list[ast.stmt], level: int) -> list[ast.stmt]:
        if level == 0:
            return body
        block = body[0]
        assert isinstance(block, ast.If)
        return [*statements(block.body, level - 1), *body[1:]]

    module = ast.Module(body=statements(wrapped.body, depth), type_ignores=[])
    ast.increment_lineno(module, -depth)
    return module


def _diagnostic(path: str, error: BaseException | None, first_line: int) -> Diagnostic:
    if isinstance(error, SyntaxError):
        line = (error.lineno or 1) + first_line - 1
        return Diagnostic(path, "syntax-error", syntax_error_message(error), line)  # (columns are the snippet's own)
    if isinstance(error, (RecursionError, MemoryError)):
        return Diagnostic(path, "too-complex", "the code is nested too deeply to be parsed; it was not reviewed")
    return Diagnostic(path, "syntax-error", f"cannot parse: {error}")
