"""Helpers shared by the formatters: counts, wording, and making reviewed text safe to show."""
from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote

from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, path_bytes

SEVERITIES = ("high", "medium", "low")


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def severity_counts(findings: list[Finding]) -> str:
    """'1 high, 2 low' (levels without findings are left out)."""
    counts = {level: 0 for level in SEVERITIES}
    for finding in findings:
        counts[finding.severity.label] += 1
    return ", ".join(f"{n} {level}" for level, n in counts.items() if n)


def line_span(finding: Finding) -> str:
    if finding.end_line > finding.line:
        return f"lines {finding.line}-{finding.end_line}"
    return f"line {finding.line}"


def reviewed_inputs(result: ReviewResult) -> list[str]:
    """Every input the run was about: files reviewed and files that could not be."""
    return sorted(set(result.files) | {d.path for d in result.diagnostics})


def not_reviewed(result: ReviewResult) -> list[str]:
    """Inputs with a diagnostic that were not reviewed at all (unparsable, unreadable, missing...)."""
    reviewed = set(result.files)
    return sorted({d.path for d in result.diagnostics if d.path not in reviewed})


def partly_reviewed(result: ReviewResult) -> list[str]:
    """Reviewed files with a diagnostic all the same (e.g. data-flow budget exceeded in a function)."""
    reviewed = set(result.files)
    return sorted({d.path for d in result.diagnostics if d.path in reviewed and not d.is_warning})


def warnings(result: ReviewResult) -> list[Diagnostic]:
    """Problems in files reviewed in full (a malformed suppression comment): see WARNING_KINDS."""
    return [d for d in result.diagnostics if d.is_warning]


def input_problems(result: ReviewResult) -> list[Diagnostic]:
    """The diagnostics of inputs not reviewed, or reviewed in part (not the warnings)."""
    return [d for d in result.diagnostics if not d.is_warning]


def visible(text: str) -> str:
    """Reviewed code is hostile: control characters (terminal escapes) and invisible format
    characters (bidirectional overrides, as in Trojan Source) are shown as escapes, not obeyed."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_visible_char(ch) for ch in text)


def _visible_char(ch: str) -> str:
    if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        return ch
    if "\udc80" <= ch <= "\udcff":  # a byte that was not valid UTF-8 (see ``shown``)
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


# --- names that are not valid UTF-8 ----------------------------------------------------------------
# A file name is bytes; one that is not valid UTF-8 reaches us with each stray byte as a lone
# surrogate (os.fsdecode, "surrogateescape"), which no UTF-8 output can hold. Reports show such a
# byte as ``\xNN`` (as ``ls -b`` and Python do); SARIF URIs percent-encode the real bytes, and the
# JSON report maps each name shown so to its bytes (``path_bytes``). See docs/output-formats.md.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` with every byte that was not valid UTF-8 written ``\\xNN``: safe for any output."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escape_surrogate, text)


def undecodable(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def percent_encoded(path: str) -> str:
    """The bytes of the file name ``path``, percent-encoded (RFC 3986; '/' kept)."""
    return quote(path_bytes(path), safe="/")


def report_paths(result: ReviewResult) -> set[str]:
    """Every path a report may name: files, findings and their evidence, diagnostics, the change."""
    paths = set(result.files) | {d.path for d in result.diagnostics}
    for finding in (*result.findings, *(sink for f in result.findings for sink in f.also), *result.suppressed):
        paths.add(finding.path)
        paths.update(step.path for step in finding.trace)
    if result.change is not None:
        paths.update(result.change.files)
        paths.update(result.change.deleted)
    return paths


def clean_json(value):
    """``value`` (a JSON document) with every string passed through ``shown``: lone surrogates
    would otherwise be written as ``\\udce9``, which strict JSON parsers reject."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown(key) if isinstance(key, str) else key: clean_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(item) for item in value]
    return value


def dump_json(document, **options) -> str:
    return json.dumps(clean_json(document), **options) + "\n"


# --- an empty report that no diagnostic explains ----------------------------------------------------
MAX_NAMED = 5  # files named in a notice


def notices(result: ReviewResult) -> list[tuple[str, str]]:
    """(kind, message) for a review that reviewed nothing while no input was at fault, so that an
    empty report is never mistaken for a clean one: no Python file under the paths given, or a
    change (--diff/--patch) none of whose files is a Python file that was reviewed. These are not
    errors (the exit code stays 0 without findings): a commit that only edits docs has nothing to
    review. Every format shows them (docs/output-formats.md)."""
    change = result.change
    if change is None:
        if not result.files and not result.diagnostics:
            return [("no-python-files", "No Python file was found to review.")]
        return []
    if change.reviewed_files or any(d.path in change.files for d in result.diagnostics):
        return []  # something of the change was reviewed, or its diagnostics say why not
    if change.files:
        names = sorted(change.files)
        listed = ", ".join(shown(name) for name in names[:MAX_NAMED]) + (", ..." if len(names) > MAX_NAMED else "")
        which = "which is not" if len(names) == 1 else "none of them is"
        if change.config_edit is not None and any(note.path == change.config_edit.path for note in result.notes):
            return [("no-python-change", f"The change touches {plural(len(names), 'file')} ({listed}), {which} a Python "
                     "file that was reviewed: only its edits of secreview's configuration were (see the notes).")]
        return [("no-python-change", f"The change touches {plural(len(names), 'file')} ({listed}), {which} a Python "
                 "file that was reviewed, so nothing in it was reviewed.")]
    if change.deleted:
        return [("no-python-change", f"The change only deletes files ({plural(len(change.deleted), 'file')}): "
                 "there is no new code to review.")]
    return [("empty-change", "The change is empty: it changes no file, so nothing was reviewed.")]
