"""Stage: changed-lines filter. The whole project is analysed (so imports, helpers and other modules
give the right context), then the report is limited to what a change introduces:

- findings whose primary location (line..end_line) intersects a changed code line;
- findings whose evidence trace passes through a changed line (a new source reaching an old sink,
  or a new caller of an old dangerous helper, is a new defect; a helper the value goes through
  puts its own steps in the trace, so a change there counts too);
- findings whose flow goes over an edit between two of its steps in one function (a sanitizer
  removed, a check rewritten: see ``Change.edit_passed_over``);
- of a finding for several sinks of one unchecked value (root_causes.py), any sink so introduced
  (a new call reached by an old unchecked value is news): the finding is then headed by that sink.

Everything else is counted (``Change.findings_outside``) but not reported.

Suppression comments are part of the change too: a finding silenced by a comment the change wrote
(``# nosec`` added to a flagged line, or a flagged line rewritten under one) is kept with the
suppressed findings wherever it is and gets a ``suppression-added`` note at the comment, which every
format shows, so the reviewer sees what the change silences; it does not change the exit code (the
author may suppress; the reviewer judges the reason). Notes on unused suppression comments are kept
on the lines the change wrote only; a finding whose suppression comment the change removes (or
rewrites to name other rules) is the change's, though no code changed. So are edits of secreview's configuration that hide findings (a
``per-path-ignores`` entry: its findings kept with the suppressed ones; an ``exclude`` glob, a rule
turned off, a level raised): ``config-suppression-added`` notes, see config_changes.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from secreview.config_changes import notes as config_notes, silenced_by_edit
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding
from secreview.inputs import SourceFile
from secreview.inputs.changes import Change
from secreview.root_causes import group as group_by_root
from secreview.root_causes import every_sink, members
from secreview.suppress import SUPPRESSION_ADDED, suppression_line


def in_change(finding: Finding, change: Change) -> bool:
    """Does the change introduce the finding, at one of its sinks (see root_causes.py)?"""
    return any(change.introduces(sink) for sink in members(finding))


def restrict_to_change(result: ReviewResult, change: Change) -> ReviewResult:
    """Keep the findings (and suppressed findings) the change introduces, and the diagnostics of the
    changed files; record in ``change`` how much was reviewed and attach it to the result."""
    kept = [f for f in result.findings if in_change(f, change)]
    change.findings_outside = len(result.findings) - len(kept)
    for finding in every_sink(kept):
        _say_if_uncovered(finding, change)
    if any(finding.also for finding in kept):  # (headed by a sink the change introduces: the news, and where review tools take comments)
        kept = sorted(group_by_root(kept, change), key=Finding.sort_key)
    result.findings = kept
    silenced = [f for f in result.suppressed if _silenced_by_change(f, change)]
    edit = change.config_edit
    configured = [f for f in result.suppressed if edit is not None and silenced_by_edit(f, edit)]
    result.suppressed = [f for f in result.suppressed if in_change(f, change) or f in silenced or f in configured]
    # (Only where they are is kept of the findings held back: those on a changed line count.)
    result.below_threshold = [place for place in result.below_threshold if change.touches(place[1], place[2])]
    result.notes = [n for n in result.notes if change.wrote(n.path, n.line)] + [_silenced_note(f) for f in silenced]
    if edit is not None:
        result.notes += config_notes(edit, configured)
    result.notes.sort(key=Diagnostic.sort_key)
    # A warning (malformed suppression) is the change's business only on a line it changed.
    warned = [d for d in result.diagnostics if d.is_warning and change.touches(d.path, d.line)]
    problems = [d for d in result.diagnostics if not d.is_warning]
    diagnostics = [d for d in problems if _concerns_change(d, change)]
    change.diagnostics_outside = len(problems) - len(diagnostics)
    diagnostics = sorted(diagnostics + warned, key=Diagnostic.sort_key)
    result.diagnostics = diagnostics
    reviewed = set(result.files)
    change.reviewed_files = sorted(path for path in change.files if path in reviewed)
    change.changed_lines = sum(len(change.lines_of(path)) for path in change.reviewed_files)
    result.change = change
    return result


def _say_if_uncovered(finding: Finding, change: Change) -> None:
    """A finding the change brings back by removing its suppression comment (and nothing else of
    the change touches it) says so: the reviewer sees a comment edit, not new code."""
    uncovered = change.uncovers(finding)
    if uncovered is not None and not change.touches(finding.path, finding.line, max(finding.end_line, finding.line)):
        finding.message += f" (This change removes the suppression comment `{uncovered[1]}` that silenced it.)"


def _silenced_by_change(finding: Finding, change: Change) -> bool:
    line = suppression_line(finding.suppressed_by)
    return line is not None and change.wrote(finding.path, line)


def _silenced_note(finding: Finding) -> Diagnostic:
    line = suppression_line(finding.suppressed_by) or finding.line
    comment = (finding.suppressed_by or "").split(" (line ", 1)[0]
    reason = (finding.suppressed_by or "").split("): ", 1)[-1]
    where = "" if line == finding.line else f" at line {finding.line}"
    return Diagnostic(finding.path, SUPPRESSION_ADDED,
                      f"this change adds `# {comment}`, which silences a {finding.severity.label}-severity finding{where}: "
                      f"{finding.title} (CWE-{finding.cwe}, `{finding.rule_id}`, confidence {finding.confidence.label}); "
                      f"its reason: {reason}", line)


def _concerns_change(diagnostic: Diagnostic, change: Change) -> bool:
    # A path the user named that does not exist is always worth saying; an unchanged file that does
    # not parse is not this change's business (it is counted in diagnostics_outside).
    return diagnostic.path in change.files or diagnostic.kind == "missing-path"


def apply_overrides(sources: list[SourceFile], change: Change) -> list[SourceFile]:
    """Patch mode with the old files on disk: review the patched content instead, drop files the
    patch removes, and add the Python files it creates within the reviewed paths."""
    if not change.overrides:
        return sources
    by_path = {source.path: source for source in sources}
    result: list[SourceFile] = []
    for source in sources:
        if source.path in change.overrides:
            content = change.overrides[source.path]
            if content is not None:
                result.append(SourceFile(source.path, data=content, module_name=source.module_name))
        else:
            result.append(source)
    for path, content in change.overrides.items():
        if content is not None and path not in by_path and path.endswith((".py", ".pyi")):
            result.append(SourceFile(path, data=content, module_name=path.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
    return result


@dataclass(frozen=True)
class Anchor:
    """Where to attach a review comment for a finding."""

    path: str
    line: int
    end_line: int
    moved: bool = False  # True when anchored on a trace step instead of the primary location


def anchor(finding: Finding, change: Change | None, *, changed_lines_only: bool) -> Anchor:
    """The location for a line comment. Without a change: the finding's own lines. With one, review
    tools only accept comments on files of the change (Gerrit) or even only on lines of the diff
    (GitHub, ``changed_lines_only``): use the changed lines of the primary location, else the first
    trace step on a changed line."""
    start, end = finding.line, max(finding.end_line, finding.line)
    if change is None:
        return Anchor(finding.path, start, end)
    changed = sorted(n for n in range(start, end + 1) if n in change.lines_of(finding.path))
    if changed:
        if not changed_lines_only or changed == list(range(start, end + 1)):
            return Anchor(finding.path, start, end)
        return Anchor(finding.path, changed[0], changed[0])
    if not changed_lines_only and finding.path in change.files:
        return Anchor(finding.path, start, end)
    for step in finding.trace:
        if change.touches(step.path, step.line):
            return Anchor(step.path, step.line, step.line, moved=True)
    edit = change.edit_passed_over(finding)  # (a sanitizer removed from a helper the flow goes through)
    if edit is not None:
        return Anchor(edit[0], edit[1], edit[1], moved=True)
    uncovered = change.uncovers(finding)  # (its suppression comment removed: that line is on the diff)
    if uncovered is not None:
        return Anchor(finding.path, uncovered[0], uncovered[0])
    return Anchor(finding.path, start, end)
