"""Stage: bytes -> syntax tree and source lines, or a Diagnostic. Never raises for bad input.

Reviewed code is only parsed (``ast.parse``), never imported, compiled to bytecode or executed.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass

from secreview.findings import Diagnostic


@dataclass
class ParsedFile:
    path: str
    tree: ast.Module
    lines: list[str]  # source lines, index 0 = line 1; tree line numbers index into it directly

    def source_line(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""

    @property
    def line_count(self) -> int:
        return len(self.lines)


def decode_source(path: str, data: bytes) -> str | Diagnostic:
    """Decode per PEP 263 (coding cookie / BOM, default UTF-8)."""
    if b"\0" in data:
        kind = "binary" if _looks_binary(data) else "nul-byte"
        return Diagnostic(path, kind, "file contains NUL bytes; it is not Python source and was not reviewed")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return Diagnostic(path, "decode-error", f"cannot determine the source encoding: {exc.msg if hasattr(exc, 'msg') else exc}")
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return Diagnostic(path, "decode-error", f"cannot decode as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}", line)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return sample.count(b"\0") > 2 or not sample[:2].isascii()


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# What ``str.splitlines`` ends a line at besides CR and LF (and Python does not).
_OTHER_LINE_BREAKS = ("\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def source_lines(text: str) -> list[str]:
    """Lines as Python numbers them: only CR, LF and CRLF end a line (``str.splitlines`` also
    splits on form feeds and other separators, which would shift every later line)."""
    if not any(separator in text for separator in _OTHER_LINE_BREAKS):
        return text.splitlines()  # (the same lines, a few times faster: most files)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_text(path: str, text: str, data: bytes | None = None) -> ParsedFile | Diagnostic:
    """Parse source text into a tree (snippets from elsewhere: see inputs.snippet). ``data``: the
    bytes ``text`` was decoded from, which the parser reads without encoding ``text`` again."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences etc. are the reviewed code's business, not ours.
            warnings.simplefilter("ignore")
            tree = ast.parse(text if data is None else data, filename=path, type_comments=False)
    except SyntaxError as exc:
        return Diagnostic(path, "syntax-error", syntax_error_message(exc), exc.lineno or 0)
    except (RecursionError, MemoryError):
        return Diagnostic(path, "too-complex", "the code is nested too deeply to be parsed; it was not reviewed")
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        return Diagnostic(path, "syntax-error", f"cannot parse: {exc}")
    return ParsedFile(path=path, tree=tree, lines=source_lines(text))


def syntax_error_message(exc: SyntaxError) -> str:
    """What the parser says, and where on the line (the Diagnostic carries the line):
    "invalid Python syntax: invalid syntax (column 13)"."""
    column = f" (column {exc.offset})" if exc.offset else ""
    return f"invalid Python syntax: {exc.msg}{column}"


def parse_bytes(path: str, data: bytes) -> ParsedFile | Diagnostic:
    text = decode_source(path, data)
    if isinstance(text, Diagnostic):
        return text
    return parse_text(path, text, data)
