"""Baselines: accept today's findings, report only new ones.

``--write-baseline FILE`` records the reported findings by fingerprint; ``--baseline FILE`` moves
the findings whose fingerprint is recorded there to the suppressed list (counted, listed with
``--show-suppressed``). The fingerprint (findings.assign_fingerprints) hashes the rule id, the file
path and the whitespace-normalized flagged source line, plus an occurrence index among identical
(rule, path, code) triples: it does not depend on line numbers, so moving code or editing other
lines keeps it.

A data-flow finding's fingerprint is its sink's, and a sink may be reached by several flows. So each
entry also records what was accepted of the finding: its confidence, and (since version 2) the
sources of the flows found into the sink (each by path and normalized code, no line number). A
recorded finding is reported again when found with a higher confidence (a more dangerous source), or
when a flow starts at a source the entry does not record (a new caller, a second request field),
whatever its confidence: the baseline accepted the flows it saw, not every later flow into that
sink. See docs/baseline.md.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from secreview import __version__
from secreview.result import ReviewResult
from secreview.findings import Finding, FlowSource, Level, path_bytes, raw_bytes
from secreview.root_causes import every_sink
from secreview.root_causes import group as group_by_root

BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)  # 1: no sources recorded (any flow into a recorded sink is accepted)
FINGERPRINT_DOC = ("sha256 of rule id, file path, whitespace-normalized flagged line and occurrence index "
                   "(first 32 hex digits); a source id: sha256 of file path and whitespace-normalized line "
                   "(first 16); see docs/baseline.md")
SHOWN_SOURCES = 3  # new sources named in a finding's message


@dataclass(frozen=True)
class Accepted:
    """What a baseline entry accepted of a finding: the confidence it had (None: not recorded, any)
    and the ids of the sources of its flows, once per source line (None: not recorded, as in
    version 1 files: any flow)."""

    confidence: Level | None = None
    sources: Counter | None = None


@dataclass(frozen=True)
class Baseline:
    version: int
    accepted: dict[str, Accepted]  # by fingerprint

    @property
    def records_sources(self) -> bool:
        return self.version >= 2


def source_id(source: FlowSource) -> str:
    """A flow's source as a baseline records it: its file and its normalized line, not its line
    number (code inserted above keeps it)."""
    step = source.step
    normalized = " ".join(step.code.split())
    return hashlib.sha256(path_bytes(step.path) + b"\0" + raw_bytes(normalized)).hexdigest()[:16]


class BaselineError(Exception):
    """The baseline file cannot be read or written; the message names the file."""


def to_document(findings: list[Finding]) -> dict:
    entries = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path, "line": f.line, "code": f.code,
         "confidence": f.confidence.label,
         "sources": [{"id": source_id(s), "path": s.step.path, "line": s.step.line, "code": s.step.code} for s in f.sources]}
        for f in sorted(every_sink(findings), key=Finding.sort_key)  # (every sink of a finding: see root_causes.py)
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


def load_baseline(file: str) -> Baseline:
    """What a baseline file accepted."""
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
    version = data["version"]
    if version.__class__ is not int or version not in READABLE_VERSIONS:
        newer = " (written by a later secreview? upgrade this one)" if version.__class__ is int and version > BASELINE_VERSION else ""
        raise BaselineError(f"{file}: baseline version {version!r} is not supported: this secreview reads versions "
                            f"{', '.join(map(str, READABLE_VERSIONS))}{newer}; or write it again with --write-baseline")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{file}: \"findings\" must be a list of objects with a \"fingerprint\" string")
    return Baseline(version, {entry["fingerprint"]: Accepted(_confidence(entry, file), _sources(entry, file, version))
                              for entry in entries})


def _confidence(entry: dict, file: str) -> Level | None:
    try:
        return Level.parse(entry["confidence"]) if "confidence" in entry else None
    except (ValueError, AttributeError):
        raise BaselineError(f"{file}: \"confidence\" of finding {entry['fingerprint']} must be low, medium or high") from None


def _sources(entry: dict, file: str, version: int) -> Counter | None:
    """The source ids an entry records (None: any source; version 1 recorded none)."""
    if version < 2 or "sources" not in entry:
        return None
    sources = entry["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, dict) and isinstance(s.get("id"), str) for s in sources):
        raise BaselineError(f"{file}: \"sources\" of finding {entry['fingerprint']} must be a list of objects with an \"id\" string")
    return Counter(s["id"] for s in sources)


def apply_baseline(result: ReviewResult, baseline: Baseline, file: str, min_confidence: Level = Level.LOW) -> ReviewResult:
    """Move the findings recorded in the baseline to the suppressed list, unless found now with a
    higher confidence than recorded (a stronger defect than the one accepted), or reached by a flow
    from a source the entry does not record (one at ``min_confidence`` at least: the review would
    report that flow on its own). Sink by sink: a finding for several sinks of one unchecked value
    (root_causes.py) is reported for those not accepted (a new call the accepted value reaches is
    news), headed by one of them."""
    kept: list[Finding] = []
    grouped = any(finding.also for finding in result.findings)
    for finding in every_sink(result.findings):
        finding.also = []  # (regrouped below, from the sinks kept)
        entry = baseline.accepted.get(finding.fingerprint)
        if entry is None:
            kept.append(finding)
            continue
        new = _new_sources(finding, entry, min_confidence)
        if entry.confidence is not None and finding.confidence > entry.confidence:
            finding.message += (f" (Reported despite the baseline, which accepted it with confidence {entry.confidence.label}: "
                                f"it is now {finding.confidence.label}, e.g. a more dangerous source reaches it.)")
            if new:
                finding.message += f" (New flows into it: {_named(new)}.)"
            kept.append(finding)
        elif new:
            _report_new_flows(finding, new)
            kept.append(finding)
        else:
            finding.suppressed_by = f"baseline {file}"
            result.suppressed.append(finding)
    if grouped:
        kept = sorted(group_by_root(kept, result.change), key=Finding.sort_key)
    result.findings = kept
    result.suppressed.sort(key=Finding.sort_key)
    return result


def _new_sources(finding: Finding, entry: Accepted, min_confidence: Level) -> list[FlowSource]:
    """The finding's sources the entry does not record (each recorded id accepts as many source
    lines as it was recorded for: a second identical caller is a new flow), as confident as
    ``min_confidence`` at least (the finding's own confidence caps theirs: in test code, all low)."""
    if entry.sources is None or not finding.sources:
        return []
    left = Counter(entry.sources)
    new = []
    for source in finding.sources:
        identity = source_id(source)
        if left[identity] > 0:
            left[identity] -= 1
        elif min(source.confidence, finding.confidence) >= min_confidence:
            new.append(source)
    return new


def _report_new_flows(finding: Finding, new: list[FlowSource]) -> None:
    """Say which flows are new; the finding is as confident as the most confident of them."""
    finding.confidence = min(finding.confidence, max(source.confidence for source in new))
    shown = any((step.path, step.line) == (s.step.path, s.step.line) for s in new for step in finding.trace)
    evidence = "" if shown else "; the evidence shows an older flow into it"
    finding.message += (f" (Reported despite the baseline: it accepted this sink with the flows found then, and a flow it "
                        f"did not record reaches it now, from {_named(new)}{evidence}.)")


def _named(sources: list[FlowSource]) -> str:
    named = ", ".join(f"`{s.step.code}` ({s.step.path}:{s.step.line})" for s in sources[:SHOWN_SOURCES])
    return named + (f" and {len(sources) - SHOWN_SOURCES} more" if len(sources) > SHOWN_SOURCES else "")
