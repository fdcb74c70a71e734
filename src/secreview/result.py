"""The result of a review: findings, what was reviewed, what could not be. What reports read,
and what the cache keeps of a whole review (snapshot.py): no analysis module is needed to hold,
restore or report one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secreview.findings import Diagnostic, Finding, assign_fingerprints, merged_sources
from secreview.root_causes import every_sink
from secreview.root_causes import group as group_by_root

if TYPE_CHECKING:
    from secreview.cache import Packed
    from secreview.dataflow import SinkRecord
    from secreview.dataflow.analyzer import CallSite
    from secreview.inputs.changes import Change

EXCERPT_RADIUS = 2  # context lines kept above and below a finding
EXCERPT_MAX_SPAN = 6  # lines of a long multi-line finding kept after its first line
EXCERPT_MAX_WIDTH = 400  # a minified line is cut: a code frame only needs its start


@dataclass
class ReviewResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files reviewed (parsed and checked)
    lines: int = 0
    checks: int = 0
    rules: int = 0
    change: Change | None = None  # set when the report is limited to a change (--diff/--patch)
    # Source lines around each finding, per file ({path: {line: text}}), for code frames. Only a
    # few lines per finding are kept so a large review does not hold every file in memory.
    excerpts: dict[str, dict[int, str]] = field(default_factory=dict)
    # Findings not reported for being below --min-confidence/--min-severity, as (rule id, path,
    # line, column), and for a data flow (confidence, evidence length, CWE, *root) (see
    # suppress.below_threshold): a clean review must not read as "nothing there" when possible
    # defects were held back (the report counts them, see ``held_back``, and says how to see them).
    # Unique and apart from the findings reported at the same place after ``finalize``.
    below_threshold: list[tuple] = field(default_factory=list)
    # Notes on suppression comments (suppress.unused; changes_filter adds those a change adds):
    # neither findings nor input problems, and they do not change the exit code.
    notes: list[Diagnostic] = field(default_factory=list)
    # What a stdin snippet was reviewed assuming (inputs/snippet.py: names used without imports
    # taken as a framework's): said in every report, so the reader knows.
    assumptions: list[Diagnostic] = field(default_factory=list)

    # Data-flow facts for the project-level pass (not part of the report).
    sink_records: list[SinkRecord] = field(default_factory=list, repr=False)
    call_sites: list[CallSite | Packed] = field(default_factory=list, repr=False)  # (Packed: a cached file's, see runner)
    parameters: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def merge(self, other: "ReviewResult") -> None:
        self.sink_records.extend(other.sink_records)
        self.call_sites.extend(other.call_sites)
        self.parameters.update(other.parameters)
        self.findings.extend(other.findings)
        self.suppressed.extend(other.suppressed)
        self.diagnostics.extend(other.diagnostics)
        self.below_threshold.extend(other.below_threshold)
        self.notes.extend(other.notes)
        self.assumptions.extend(other.assumptions)
        self.files.extend(other.files)
        self.lines += other.lines
        self.checks += other.checks
        for path, lines in other.excerpts.items():
            self.excerpts.setdefault(path, {}).update(lines)

    def held_back(self) -> int:
        """The findings --min-confidence/--min-severity held back: as many as lowering them would
        add, so one per place (the flow ``_best_per_location`` would report there), but one for the
        calls one unchecked value reaches (root_causes.py), and none for those that would join a
        finding reported."""
        if not self.below_threshold:
            return 0
        best: dict[tuple, tuple] = {}
        for place in self.below_threshold:
            known = best.get(place[:4])
            if known is None or len(place) > 4 and (len(known) == 4 or place[4][:2] > known[4][:2]):
                best[place[:4]] = place
        defects = {(f.rule_id, f.cwe, *f.root) for f in every_sink(self.findings) if f.root}
        count = 0
        for place in best.values():
            if len(place) > 4:
                defect = (place[0], *place[4][2:])
                if defect in defects:
                    continue
                defects.add(defect)
            count += 1
        return count

    def finalize(self) -> "ReviewResult":
        self.findings = _best_per_location(every_sink(self.findings), self.change)  # (each sink judged on its own)
        self.suppressed = _best_per_location(self.suppressed, self.change)  # one suppression, counted once
        self.findings, self.suppressed, self.below_threshold = drop_yielded(self.findings, self.suppressed, self.below_threshold)
        assign_fingerprints(self.findings + self.suppressed)
        reported = {_place(f) for f in self.findings + self.suppressed}
        self.below_threshold = sorted(place for place in {tuple(place) for place in self.below_threshold}
                                      if place[:4] not in reported)
        self.findings = group_by_root(self.findings, self.change)  # one defect, one finding
        self.findings.sort(key=Finding.sort_key)
        self.suppressed.sort(key=Finding.sort_key)
        self.diagnostics.sort(key=Diagnostic.sort_key)
        self.notes.sort(key=Diagnostic.sort_key)
        self.files.sort()
        return self


def _place(finding: Finding) -> tuple[str, str, int, int]:
    return (finding.rule_id, finding.path, finding.line, finding.col)


def _best_per_location(findings: list[Finding], change: Change | None = None) -> list[Finding]:
    """One finding per rule and location: the most confident (a flow found through a helper
    supersedes the low-confidence "dynamic value" finding at the same sink). When reviewing a change,
    a flow through a changed line goes first (a new caller of an old sink is the news). The one kept
    holds the sources of all (the flows in the sink's function and those through its callers)."""
    best: dict[tuple, Finding] = {}

    def rank(finding: Finding) -> tuple:
        return (change is not None and change.introduces(finding), finding.confidence, len(finding.trace))

    for finding in findings:
        key = _place(finding)
        current = best.get(key)
        if current is None:
            best[key] = finding
            continue
        sources = merged_sources(current.sources, finding.sources)
        if rank(finding) > rank(current):
            best[key] = current = finding
        current.sources = sources
    return list(best.values())


def drop_yielded(findings: list[Finding], suppressed: list[Finding], below: list) -> tuple[list[Finding], list[Finding], list]:
    """Without the findings of a rule that yields to another (Rule.yields_to) where that one is
    reported or suppressed at the same place, at least as confidently: one defect, one finding. A
    place both hold back (below the thresholds) is counted once."""
    from secreview.rules import all_rules  # (the rule modules: not needed to restore a result)

    registry = all_rules()
    yielding = {rule.id: rule.yields_to for rule in registry.values() if rule.yields_to}
    if not yielding or not any(f.rule_id in yielding for f in (*findings, *suppressed)) and \
            not any(place[0] in yielding for place in below):
        return findings, suppressed, below
    broader = {_place(f): f.confidence for f in (*findings, *suppressed) if f.rule_id in yielding.values()}

    def covered(finding: Finding) -> bool:
        to = yielding.get(finding.rule_id)
        if to is None:
            return False
        confidence = broader.get((to, finding.path, finding.line, finding.col))
        return confidence is not None and confidence >= finding.confidence

    held_back = {tuple(place[:4]) for place in below if place[0] in yielding.values()}
    below = [place for place in below
             if place[0] not in yielding or (yielding[place[0]], *place[1:4]) not in held_back]
    return [f for f in findings if not covered(f)], [f for f in suppressed if not covered(f)], below
