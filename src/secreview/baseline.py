"""Baselines: accept today's findings, report only new ones.

``--write-baseline FILE`` records the reported findings by fingerprint; ``--baseline FILE`` moves
the findings whose fingerprint is recorded there to the suppressed list (counted, listed with
``--show-suppressed``). The fingerprint (findings.assign_fingerprints) hashes the rule id, the file
path and the whitespace-normalized flagged source line, plus an occurrence index among identical
(rule, path, code) triples: it does not depend on line numbers, so moving code or editing other
lines keeps it. Each entry also records the finding's confidence: a recorded finding found again
with a higher confidence (a data flow now reached from a more dangerous source, e.g. an HTTP form
field where a command-line argument was accepted) is reported again. See docs/baseline.md.
"""
from __future__ import annotations

import json
from pathlib import Path

from secreview import __version__
from secreview.engine import ReviewResult
from secreview.findings import Finding, Level

BASELINE_VERSION = 1
FINGERPRINT_DOC = ("sha256 of rule id, file path, whitespace-normalized flagged line and occurrence index "
                   "(first 32 hex digits); see docs/baseline.md")


class BaselineError(Exception):
    """The baseline file cannot be read or written; the message names the file."""


def to_document(findings: list[Finding]) -> dict:
    entries = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path, "line": f.line, "code": f.code,
         "confidence": f.confidence.label}
        for f in sorted(findings, key=Finding.sort_key)
    ]
    return {
        "version": BASELINE_VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "fingerprint": FINGERPRINT_DOC,
        "findings": entries,
    }


def write_baseline(findings: list[Finding], file: str) -> None:
    from secreview.report.common import dump_json

    text = dump_json(to_document(findings), indent=2)  # (a name that is not UTF-8 shown as \xNN: matching uses the fingerprint)
    try:
        Path(file).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{file}: cannot write the baseline: {exc.strerror or exc}") from None


def load_baseline(file: str) -> dict[str, Level | None]:
    """The fingerprints recorded in a baseline file, each with the confidence it was recorded with
    (None: not recorded, as in files written before secreview recorded it: any confidence matches)."""
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: baseline file not found (create it with --write-baseline {file})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{file}: cannot read the baseline: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}: not a secreview baseline: invalid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or "version" not in data:
        raise BaselineError(f"{file}: not a secreview baseline: expected a JSON object with a \"version\" field")
    if data["version"] != BASELINE_VERSION:
        raise BaselineError(f"{file}: baseline version {data['version']!r} is not supported "
                            f"(this secreview reads version {BASELINE_VERSION}); write it again with --write-baseline")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{file}: \"findings\" must be a list of objects with a \"fingerprint\" string")
    recorded: dict[str, Level | None] = {}
    for entry in entries:
        try:
            confidence = Level.parse(entry["confidence"]) if "confidence" in entry else None
        except (ValueError, AttributeError):
            raise BaselineError(f"{file}: \"confidence\" of finding {entry['fingerprint']} must be low, medium or high") from None
        recorded[entry["fingerprint"]] = confidence
    return recorded


def apply_baseline(result: ReviewResult, fingerprints: dict[str, Level | None], file: str) -> ReviewResult:
    """Move the findings recorded in the baseline to the suppressed list, unless found now with a
    higher confidence than recorded: that is a stronger defect than the one accepted."""
    kept: list[Finding] = []
    for finding in result.findings:
        if finding.fingerprint not in fingerprints:
            kept.append(finding)
            continue
        recorded = fingerprints[finding.fingerprint]
        if recorded is not None and finding.confidence > recorded:
            finding.message += (f" (Reported despite the baseline, which accepted it with confidence {recorded.label}: "
                                f"it is now {finding.confidence.label}, e.g. a more dangerous source reaches it.)")
            kept.append(finding)
        else:
            finding.suppressed_by = f"baseline {file}"
            result.suppressed.append(finding)
    result.findings = kept
    result.suppressed.sort(key=Finding.sort_key)
    return result
