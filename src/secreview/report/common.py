"""Helpers shared by the formatters: counts, wording, and making reviewed text safe to show."""
from __future__ import annotations

import unicodedata

from secreview.engine import ReviewResult
from secreview.findings import Diagnostic, Finding

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
    if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"):
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
