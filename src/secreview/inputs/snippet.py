"""Snippets from stdin (``secreview review -``): code pasted from the middle of a file.

A snippet may be a fragment: an indented method body, methods cut out of a class, statements that
only make sense inside a function (``return x``, ``yield``, ``await``, ``nonlocal``). It is parsed
as it is first; if that fails, inside a block (``if True:`` put above it, which accepts any
consistent indentation without changing a character of the snippet); if that fails, as the body of
``async def __snippet__():`` (indented when needed). The tree is then unwrapped and moved so that
every line and column is the one the user sees in the origin (``--first-line``). If no form
parses, the diagnostic names the line of the syntax error in the origin's numbering.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.findings import Diagnostic
from secreview.parse import ParsedFile, decode_source

# Headers put above a fragment, and whether the fragment must be indented under it: a block
# accepts any indentation but needs some; a function body can be indented for it.
_WRAPPERS = (("if True:\n", False), ("async def __snippet__():\n", True))
_INDENT = 4


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
    lines = [""] * (first_line - 1) + text.splitlines()
    return SnippetFile(path=path, tree=tree, lines=lines, first_line=first_line)


def _parse(path: str, text: str) -> ast.Module:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. invalid escape sequences: the snippet's business
        return ast.parse(text, filename=path)


def _parse_fragment(path: str, text: str) -> tuple[ast.Module | None, BaseException | None]:
    """(tree in the snippet's own numbering, None) or (None, the most informative error)."""
    errors: list[tuple[BaseException, int]] = []  # (error, lines added above the snippet)
    try:
        return _parse(path, text), None
    except SyntaxError as exc:
        errors.append((exc, 0))
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc  # not a fragment problem: wrapping cannot help
    for header, may_indent in _WRAPPERS:
        indent = _INDENT if may_indent and not _starts_indented(text) else 0
        body = _indent(text, indent) if indent else text
        try:
            wrapped = _parse(path, header + body)
        except SyntaxError as exc:
            errors.append((exc, 1))
            continue
        except (RecursionError, MemoryError, ValueError) as exc:
            return None, exc
        return _unwrap(wrapped, indent), None
    # The attempt that got furthest into the snippet says the most about what is wrong.
    error, added = max(errors, key=lambda item: (item[0].lineno or 0) - item[1])
    if error.lineno:
        error.lineno = max(1, error.lineno - added)
    return None, error


def _starts_indented(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return stripped != line
    return False


def _indent(text: str, columns: int) -> str:
    # Every line, continuation lines of strings included, so all columns shift by the same amount.
    return "".join(" " * columns + line for line in text.splitlines(keepends=True))


def _unwrap(wrapped: ast.Module, indent: int) -> ast.Module:
    """The snippet's statements as a module, at the snippet's own lines and columns."""
    container = wrapped.body[0]
    assert isinstance(container, (ast.If, ast.AsyncFunctionDef))
    module = ast.Module(body=container.body, type_ignores=[])
    ast.increment_lineno(module, -1)
    if indent:
        for node in ast.walk(module):
            if hasattr(node, "col_offset"):
                node.col_offset = max(0, node.col_offset - indent)
            if getattr(node, "end_col_offset", None) is not None:
                node.end_col_offset = max(0, node.end_col_offset - indent)
    return module


def _diagnostic(path: str, error: BaseException | None, first_line: int) -> Diagnostic:
    if isinstance(error, SyntaxError):
        line = (error.lineno or 1) + first_line - 1
        return Diagnostic(path, "syntax-error", f"invalid Python syntax: {error.msg} (also tried it as an indented block and as a function body)", line)
    if isinstance(error, (RecursionError, MemoryError)):
        return Diagnostic(path, "too-complex", "the code is nested too deeply to be parsed; it was not reviewed")
    return Diagnostic(path, "syntax-error", f"cannot parse: {error}")
