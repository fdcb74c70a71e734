"""``--format json``: a stable, versioned document for programs.

The schema is written down twice, and tests keep the two and this code in step:
docs/output-formats.md (for people) and src/secreview/data/report.schema.json (JSON Schema).
``schema_version`` changes only when a field is removed, renamed or changes meaning; a field may be
added within a version (the schema file of that release lists it).
"""
from __future__ import annotations

from secreview import __version__
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, TraceStep
from secreview.report.common import (SEVERITIES, dump_json, notices, not_reviewed, partly_reviewed, percent_encoded,
                                     report_paths, shown, undecodable, warnings)

SCHEMA_VERSION = 1


def to_document(result: ReviewResult) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "summary": {
            "files": len(result.files),
            "lines": result.lines,
            "checks": result.checks,
            "rules": result.rules,
            "findings": len(result.findings),
            "by_severity": {level: sum(f.severity.label == level for f in result.findings) for level in SEVERITIES},
            "suppressed": len(result.suppressed),
            # Findings below --min-confidence/--min-severity: not listed, counted.
            "below_threshold": result.held_back(),
            "not_reviewed": len(not_reviewed(result)),
            "partly_reviewed": len(partly_reviewed(result)),
            "warnings": len(warnings(result)),
        },
        # --diff/--patch: the change the report is limited to; null for a whole review.
        "change": result.change.to_dict() if result.change is not None else None,
        "files": list(result.files),
        "findings": [finding_json(f) for f in result.findings],
        # Always listed (not only with --show-suppressed): a program should see what was hidden.
        "suppressed": [finding_json(f) for f in result.suppressed],
        "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
        # Why nothing was reviewed, when no input was at fault (no Python file; a change without one).
        # And notes on suppression comments, at their line: one that suppresses nothing
        # (unused-suppression), one the reviewed change adds over a finding (suppression-added). And
        # what a stdin snippet was reviewed assuming (assumed-names).
        "notices": [{"kind": kind, "message": message} for kind, message in notices(result)]
        + [{"kind": note.kind, "message": note.message, "path": note.path, "line": note.line}
           for note in result.notes + result.assumptions],
        # A file name that is not valid UTF-8 is shown with its stray bytes as \xNN; this maps each
        # such name, as shown, to its real bytes, percent-encoded (usually empty).
        "path_bytes": {shown(path): percent_encoded(path) for path in sorted(report_paths(result)) if undecodable(path)},
    }


def finding_json(finding: Finding) -> dict:
    return {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "cwe": finding.cwe,
        "severity": finding.severity.label,
        "confidence": finding.confidence.label,
        **place_json(finding),
        "message": finding.message,
        "solution": finding.solution,
        "code": finding.code,
        "trace": [step_json(step) for step in finding.trace],
        "bandit": list(finding.bandit),
        "fingerprint": finding.fingerprint,
        "suppressed_by": finding.suppressed_by,
        # The other sinks the same unchecked value reaches (one defect: see root_causes.py).
        "also_reaches": [sink_json(sink) for sink in finding.also],
    }


def place_json(finding: Finding) -> dict:
    """Where a finding or a sink it lists is: path, then 1-based lines and columns."""
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.col + 1,
        "end_line": finding.end_line,
        "end_column": finding.end_col + 1,
    }


def sink_json(sink: Finding) -> dict:
    return {
        **place_json(sink),
        "code": sink.code,
        "message": sink.message,
        "trace": [step_json(step) for step in sink.trace],
        "fingerprint": sink.fingerprint,
    }


def step_json(step: TraceStep) -> dict:
    return {"path": step.path, "line": step.line, "column": step.col + 1, "code": step.code, "note": step.note}


def diagnostic_json(diagnostic: Diagnostic) -> dict:
    return {"path": diagnostic.path, "kind": diagnostic.kind, "message": diagnostic.message,
            "line": diagnostic.line or None}


def render(result: ReviewResult, **_options) -> str:
    return dump_json(to_document(result), indent=2)
