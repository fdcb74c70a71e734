"""Snippets from stdin: placed at their original line numbers; fragments are dedented or wrapped."""
from __future__ import annotations

import ast

from secreview.findings import Diagnostic
from secreview.parse import ParsedFile, decode_source, parse_text


def parse_snippet(path: str, data: bytes, first_line: int = 1) -> ParsedFile | Diagnostic:
    text = decode_source(path, data)
    if isinstance(text, Diagnostic):
        return text
    padding = "\n" * (first_line - 1)  # so tree line numbers are the origin's line numbers
    parsed = parse_text(path, padding + text)
    return parsed
