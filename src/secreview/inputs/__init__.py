"""Stage: inputs. Turns what the user named (paths, stdin) into ``SourceFile``s to review, plus a
``Diagnostic`` for everything that cannot be reviewed (missing path, unreadable file...)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from secreview.findings import Diagnostic
from secreview.parse import ParsedFile, parse_bytes


@dataclass
class SourceFile:
    path: str  # as shown to the user
    file: Path | None = None  # where to read it; None when ``data`` is given (stdin)
    data: bytes | None = None
    module_name: str = ""  # dotted module name within the reviewed tree, for relative imports
    first_line: int = 1  # snippets: the line number of the snippet's first line in its origin
    snippet: bool = False  # stdin snippets may be fragments (indented bodies, bare statements)


def read_bytes(source: SourceFile) -> bytes | Diagnostic:
    if source.data is not None:
        return source.data
    assert source.file is not None
    try:
        return source.file.read_bytes()
    except FileNotFoundError:
        return Diagnostic(source.path, "missing-path", "file disappeared before it could be read")
    except PermissionError:
        return Diagnostic(source.path, "unreadable", "permission denied: the file could not be read")
    except IsADirectoryError:
        return Diagnostic(source.path, "unreadable", "is a directory, not a file")
    except OSError as exc:
        return Diagnostic(source.path, "unreadable", f"cannot read: {exc.strerror or exc}")


def load_source(source: SourceFile) -> ParsedFile | Diagnostic:
    data = read_bytes(source)
    if isinstance(data, Diagnostic):
        return data
    if source.snippet:
        from secreview.inputs.snippet import parse_snippet

        return parse_snippet(source.path, data, source.first_line)
    return parse_bytes(source.path, data)
