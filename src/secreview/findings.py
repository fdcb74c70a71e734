"""The result types every stage shares: findings, trace steps and diagnostics.

Fingerprints are stable across line moves: they hash the rule, the file path and the normalized
source of the flagged statement (plus an occurrence index for identical statements), never the line.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from enum import IntEnum
from typing import ClassVar


class Level(IntEnum):
    """Ordered level used for both severity and confidence."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, text: str) -> "Level":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"expected one of low, medium, high; got {text!r}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


Severity = Level
Confidence = Level


@dataclass(frozen=True)
class TraceStep:
    """One step of the evidence for a finding, e.g. where untrusted data enters."""

    path: str
    line: int
    col: int
    code: str
    note: str
    # The steps taken inside a helper the value went through at this step (its parameter, ...,
    # its return), listed in the evidence next to it (dataflow.values.expand_steps). A helper of
    # the same file is there as its steps; one of another file as a HelperRef, whose steps are
    # listed from its summary when the report is made: a caller's summary and cached result then
    # hold no copy of another file's lines, which an edit there would change (every caller, and
    # theirs, analysed again for new evidence). Not a field: not part of the step's identity (the
    # analysis compares and hashes values by where they went in the function it analyses, as
    # cheaply with helpers as without), and most steps have none, so the constructor does not set
    # it (set by ``with_via``; the cache stores it: see ``step_cache_parts``).
    via: ClassVar[tuple["TraceStep | HelperRef", ...]] = ()

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.col + 1, "code": self.code, "note": self.note}

    def with_via(self, via: "tuple[TraceStep | HelperRef, ...]") -> "TraceStep":
        """This step, holding the steps ``via`` too (after its own)."""
        made = new_step(self.path, self.line, self.col, self.code, self.note)
        object.__setattr__(made, "via", self.via + via)
        return made


@dataclass(frozen=True)
class HelperRef:
    """A helper of another file a value went through: its function (qualified name) and the
    parameter the value went in by. Its steps (that parameter, ..., its return) are those of its
    summary when the report is made (see TraceStep.via)."""

    qualname: str
    param: int


# How the cache stores a HelperRef (see cache.register): checked, since the cache folder may be hostile.
HELPER_REF_PARTS = ("qualname", "param")


def helper_ref_cache_parts(ref: HelperRef) -> tuple:
    return ref.qualname, ref.param


def helper_ref_from_cache_parts(qualname, param) -> HelperRef:
    if qualname.__class__ is not str or param.__class__ is not int:
        raise ValueError("not a helper reference")
    return HelperRef(qualname, param)


def new_step(path: str, line: int, col: int, code: str, note: str) -> TraceStep:
    """``TraceStep(path, line, col, code, note)``, made as the cache's decoder makes it: the data
    flow makes some 60k per pass on a large project, and the frozen dataclass's constructor
    sets each field through object.__setattr__."""
    step = object.__new__(TraceStep)
    step.__dict__.update(path=path, line=line, col=col, code=code, note=note)
    return step


# How the cache stores a step (see cache.register): its fields, then its ``via``.
STEP_PARTS = ("path", "line", "col", "code", "note", "via")


def step_cache_parts(step: TraceStep) -> tuple:
    return step.path, step.line, step.col, step.code, step.note, step.via


def step_from_cache_parts(path, line, col, code, note, via) -> TraceStep:
    step = new_step(path, line, col, code, note)
    if via:
        if via.__class__ is not tuple or not all(inner.__class__ is TraceStep or inner.__class__ is HelperRef for inner in via):
            raise ValueError("not the steps of a helper")
        object.__setattr__(step, "via", via)
    return step


@dataclass(frozen=True)
class FlowSource:
    """Where one flow into a sink starts (the first step of its evidence: a request read, a
    command-line argument, a public function's parameter) and how confident it is. A finding keeps
    those of every flow the data flow found into its sink, not only the one its trace shows, so that
    a baseline accepts the flows it recorded and not every later one (see baseline.py)."""

    step: TraceStep
    confidence: Level


def flow_sources(found) -> tuple[FlowSource, ...]:
    """The sources of ``found`` (pairs of a first step and a confidence), one per source line, the
    most confident there, in file and line order."""
    best: dict[tuple[str, int], FlowSource] = {}
    for step, confidence in found:
        key = (step.path, step.line)
        known = best.get(key)
        if known is None or confidence > known.confidence:
            best[key] = FlowSource(step, confidence)
    return tuple(best[key] for key in sorted(best))


def merged_sources(first: tuple[FlowSource, ...], second: tuple[FlowSource, ...]) -> tuple[FlowSource, ...]:
    """The sources of two findings at one place, as one finding's."""
    if not second or first == second:
        return first
    if not first:
        return second
    return flow_sources((source.step, source.confidence) for source in (*first, *second))


@dataclass
class Finding:
    rule_id: str
    title: str
    cwe: int
    severity: Level
    confidence: Level
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str  # the description of this occurrence
    solution: str
    code: str  # the source line(s) flagged, for code frames and fingerprints
    statement_lines: tuple[int, int] = (0, 0)  # where an inline suppression may sit
    trace: list[TraceStep] = field(default_factory=list)
    bandit: tuple[str, ...] = ()
    fingerprint: str = ""
    suppressed_by: str | None = None  # e.g. "nosec (line 4): reason", "config: per-path-ignores tests/**"
    # Where every flow into the sink found starts (data-flow findings; see FlowSource): what a
    # baseline records of the finding besides its fingerprint. Not in the reports.
    sources: tuple[FlowSource, ...] = ()
    # Where the untrusted value of a data-flow finding comes from (dataflow.values.root_of): its
    # source, the function that hands it to the sink and where it landed there; () for findings of
    # no flow, and of rules whose defect is each call (Rule.groups_sinks_by_source).
    root: tuple = ()
    # The other sinks of the same rule and CWE that the same unchecked value reaches: one defect,
    # reported once, at this finding (see root_causes.py). Each keeps its own fingerprint and evidence.
    also: list["Finding"] = field(default_factory=list)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.rule_id)

    def to_dict(self) -> dict:
        data = {
            "rule_id": self.rule_id,
            "title": self.title,
            "cwe": self.cwe,
            "severity": self.severity.label,
            "confidence": self.confidence.label,
            "path": self.path,
            "line": self.line,
            "column": self.col + 1,
            "end_line": self.end_line,
            "end_column": self.end_col + 1,
            "message": self.message,
            "solution": self.solution,
            "code": self.code,
            "trace": [step.to_dict() for step in self.trace],
            "bandit": list(self.bandit),
            "fingerprint": self.fingerprint,
        }
        if self.suppressed_by:
            data["suppressed_by"] = self.suppressed_by
        return data


# Diagnostics about a file that was reviewed in full, which the user should still fix: a malformed
# suppression comment (it suppresses nothing). Reports show them as warnings, not as inputs "not
# reviewed" or "partly reviewed", and they do not change the exit code.
SUPPRESSION_WARNING = "bad-suppression"
WARNING_KINDS = frozenset({SUPPRESSION_WARNING})


@dataclass(frozen=True)
class Diagnostic:
    """A problem with the input (not a defect in it): unreadable, unparsable, too deep..."""

    path: str
    kind: str  # e.g. "syntax-error", "decode-error", "unreadable", "missing-path", "binary"
    message: str
    line: int = 0

    def to_dict(self) -> dict:
        return {"path": self.path, "kind": self.kind, "message": self.message, "line": self.line}

    @property
    def is_warning(self) -> bool:
        """A problem in a file reviewed in full (see WARNING_KINDS), not an input left unreviewed."""
        return self.kind in WARNING_KINDS

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.kind)


def assign_fingerprints(findings: list[Finding]) -> None:
    """Give each finding a fingerprint independent of its line number.

    Identical (rule, path, code) triples are told apart by their order in the file, so two equal
    calls in one file keep distinct fingerprints while moving code around keeps them stable.
    """
    seen: dict[bytes, int] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        normalized = " ".join(finding.code.split())
        # Over the path's bytes: a file name that is not valid UTF-8 reaches us with its bytes as
        # lone surrogates (os.fsdecode), which str.encode() refuses. Valid names hash as before.
        base = b"\0".join((finding.rule_id.encode(), path_bytes(finding.path), raw_bytes(normalized)))
        index = seen.get(base, 0)
        seen[base] = index + 1
        finding.fingerprint = hashlib.sha256(base + f"\0{index}".encode()).hexdigest()[:32]


def raw_bytes(text: str) -> bytes:
    """``text`` as UTF-8, the bytes it was decoded from with ``surrogateescape`` given back as they
    were (any other lone surrogate is kept as its own code, so this never fails)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def path_bytes(path: str) -> bytes:
    """The bytes of a file name as the operating system has them (``os.fsencode``)."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:
        return raw_bytes(path)


# --- columns: ast counts UTF-8 bytes, reports count characters --------------------------------------

def char_column(text: str, byte_offset: int) -> int:
    """ast columns are UTF-8 byte offsets; reports count characters (code points)."""
    if text.isascii():
        return byte_offset
    return len(text.encode("utf-8", "surrogateescape")[:byte_offset].decode("utf-8", "ignore"))


def steps_in_characters(steps, source_line) -> tuple:
    """``steps`` (TraceSteps and HelperRefs, as a trace or a step's ``via`` holds them) with the
    columns of the steps made from ast (UTF-8 byte offsets) counted in characters, as the finding's
    own column is. ``source_line(path, line)`` gives a line's text, or None when unknown (the step
    is then left as it is). Cheap: a step whose code is ASCII has the same column either way (the
    indentation ``code`` leaves out is ASCII), and is kept as it is, object included."""
    converted = []
    for step in steps:
        if step.__class__ is TraceStep:
            inner = steps_in_characters(step.via, source_line) if step.via else ()
            text = None if step.code.isascii() else source_line(step.path, step.line)
            if text is not None or inner != step.via:
                col = char_column(text, step.col) if text is not None else step.col
                made = new_step(step.path, step.line, col, step.code, step.note)
                if inner:
                    object.__setattr__(made, "via", tuple(inner))
                step = made
        converted.append(step)
    return tuple(converted)
