"""Text shared by the formats that post to code-review tools (gerrit, github, github-review): the
summary of a run (with the change reviewed, when there is one) and the body of one line comment."""
from __future__ import annotations

import hashlib
import re

from secreview.changes_filter import Anchor
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, raw_bytes
from secreview.inputs.changes import Change, repository_path
from secreview.report.common import notices, visible
from secreview.config_changes import CONFIG_SUPPRESSION_ADDED
from secreview.suppress import SUPPRESSION_ADDED


def cwe_url(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"


def tool_path(path: str, change: Change | None) -> str:
    """The path review tools expect: relative to the repository top when known (a change from
    --diff), else as displayed (run secreview from the repository top)."""
    return change.repo_path(path) if change is not None else repository_path(path)


def md_code(text: str) -> str:
    from secreview.report.review import code

    return code(text)


def md_text(text: str) -> str:
    """Text from outside (commit subjects) shown literally in markdown."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", visible(text))  # links need [ ], so ( ) are safe


def change_header(change: Change) -> list[str]:
    """Title, amount reviewed and commit subjects of a change, as markdown lines."""
    files = len(change.reviewed_files)
    lines = [
        f"Security review of {visible(change.title)}",
        "",
        f"{change.changed_lines} changed line{'s' if change.changed_lines != 1 else ''} in "
        f"{files} file{'s' if files != 1 else ''} reviewed"
        + (f"; {len(change.deleted)} deleted file{'s' if len(change.deleted) != 1 else ''}" if change.deleted else "")
        + ".",
    ]
    if change.subjects:
        lines += ["", "Commits:"] + [f"- {md_text(subject)}" for subject in change.subjects]
        if change.more_commits:
            lines.append(f"- ... and {change.more_commits} more")
    return lines


def counts(findings: list[Finding]) -> str:
    by_level = {level: 0 for level in ("high", "medium", "low")}
    for finding in findings:
        by_level[finding.severity.label] += 1
    return ", ".join(f"{n} {level}" for level, n in by_level.items() if n)


def summary(result: ReviewResult) -> str:
    """A short markdown summary of the run, for the review message."""
    change = result.change
    lines = change_header(change) if change else [
        f"Security review of {len(result.files)} file{'s' if len(result.files) != 1 else ''} "
        f"({result.lines} lines)"
    ]
    scope = "the changed code" if change else "the code"
    lines.append("")
    said = [message for _kind, message in notices(result)]
    if said:
        lines += said
    elif result.findings:
        n = len(result.findings)
        lines.append(f"{n} security defect{'s' if n != 1 else ''} ({counts(result.findings)}) in {scope}.")
    else:
        lines.append(f"No security defects are detected in {scope}.")
    notes = []
    if result.suppressed:
        notes.append(f"{len(result.suppressed)} suppressed")
    if held_back := result.held_back():
        notes.append(f"{held_back} below the reported confidence or severity")
    if change and change.findings_outside:
        notes.append(f"{change.findings_outside} in unchanged code not reported")
    problems = [d for d in result.diagnostics if not d.is_warning]
    if len(problems) < len(result.diagnostics):
        noted = len(result.diagnostics) - len(problems)
        notes.append(f"{noted} malformed suppression comment{'s' if noted != 1 else ''} (suppressing nothing)")
    if problems:
        names = ", ".join(sorted({tool_path(d.path, change) for d in problems}))
        notes.append(f"{len(problems)} input problem{'s' if len(problems) != 1 else ''}: "
                     f"{names} could not be reviewed")
    if change and change.diagnostics_outside:
        notes.append(f"{change.diagnostics_outside} unchanged file(s) could not be analysed")
    from secreview.report.review import note_counts

    notes += [sentence[0].lower() + sentence[1:] for sentence in note_counts(result)]
    if notes:
        lines.append("(" + "; ".join(notes) + ")")
    return "\n".join(lines)


def comment_body(finding: Finding, anchor: Anchor) -> str:
    """Description, evidence and solution of one finding, as markdown (plain-text friendly)."""
    lines = [
        f"**{finding.title}** (CWE-{finding.cwe}) · severity {finding.severity.label} · "
        f"confidence {finding.confidence.label} · `{finding.rule_id}`",
        "",
    ]
    if anchor.moved:
        lines += [f"The defect is at {finding.path}:{finding.line} ({md_code(finding.code)}); the change here "
                  "is on the data-flow path to it.", ""]
    lines.append(visible(finding.message))
    if finding.trace:
        lines += ["", "Evidence:"]
        lines += [f"- {step.path}:{step.line}: {md_code(step.code)} — {visible(step.note)}" for step in finding.trace]
    if finding.also:  # (one unchecked value, several sinks: see root_causes.py)
        lines += ["", "Also reaches (the same value, unchecked):"]
        lines += [f"- {sink.path}:{sink.line}: {md_code(sink.code)}" for sink in finding.also]
    lines += ["", f"Solution: {finding.solution}"]
    return "\n".join(lines)


def note_body(note: Diagnostic) -> str:
    """The comment for a note on a suppression comment."""
    title = {SUPPRESSION_ADDED: "Suppression added by this change",
             CONFIG_SUPPRESSION_ADDED: "Configuration edit that hides findings"}.get(note.kind, "Unused suppression")
    return f"**{title}** (secreview note, not a finding)\n\n{visible(note.message)}"


def run_id(result: ReviewResult) -> str:
    """An id for this run that is the same for the same result (deterministic output)."""
    digest = hashlib.sha256()
    digest.update(raw_bytes(result.change.title if result.change else ""))
    for finding in result.findings:
        digest.update(finding.fingerprint.encode())
    return digest.hexdigest()[:16]
