"""``--format review``: the flagship markdown review (see docs/output-formats.md).

Numbered findings (title, CWE, lines, severity, confidence, description, evidence, solution), then
a conclusion. A clean review says so in one sentence and then says exactly what was reviewed, what
was suppressed and what could not be reviewed, so that silence is never ambiguous.
"""
from __future__ import annotations

import re

from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, TraceStep
from secreview.report.common import (input_problems, line_span, notices, not_reviewed, partly_reviewed, warnings, plural,
                                     reviewed_inputs, severity_counts, visible)
from secreview.report.review_comments import change_header
from secreview.config_changes import CONFIG_SUPPRESSION_ADDED
from secreview.suppress import SUPPRESSION_ADDED

CLEAN = "No security defects are detected in the code."
# A clean review with findings held back by --min-confidence/--min-severity (said in its caveats).
CLEAN_AT_THRESHOLD = "No security defects are detected in the code at the reported confidence and severity."


def render(result: ReviewResult, show_suppressed: bool = False, **_options) -> str:
    several_files = len(reviewed_inputs(result)) > 1
    blocks = [heading(result)]
    if result.findings:
        blocks += [finding_block(n, f, several_files) for n, f in enumerate(result.findings, start=1)]
    else:
        blocks.append(clean_conclusion(result, show_suppressed))
    if show_suppressed and result.suppressed:
        blocks.append(suppressed_block(result.suppressed))
    if problems := input_problems(result):
        blocks.append(not_reviewed_block(problems))
    if noted := warnings(result):
        blocks.append(not_reviewed_block(noted, "Warnings"))
    if result.notes:
        blocks.append(not_reviewed_block(result.notes, "Notes on suppressions"))
    if result.findings:
        blocks.append("### Conclusion\n\n" + conclusion(result, show_suppressed))
    return "\n\n".join(blocks) + "\n"


def heading(result: ReviewResult) -> str:
    if result.change is not None:  # --diff/--patch: name the change, how much of it, its commits
        title, *details = change_header(result.change)
        return "\n".join([f"## {title}", *details])
    inputs = reviewed_inputs(result)
    subject = code(inputs[0]) if len(inputs) == 1 else plural(len(inputs), "file")
    return f"## Security review of {subject}"


def finding_block(number: int, finding: Finding, with_path: bool) -> str:
    where = f"{code(finding.path)} {line_span(finding)}" if with_path else line_span(finding)
    lines = [
        f"### {number}. {finding.title} (CWE-{finding.cwe}) — {where} · severity {finding.severity.label}"
        f" · confidence {finding.confidence.label}",
        "",
        f"**Description:** {visible(finding.message)}",
    ]
    if finding.trace:
        lines += ["", "**Evidence:**"]
        lines += [f"  - {evidence_step(step, finding.path)}" for step in finding.trace]
    if finding.also:  # (one unchecked value, several sinks: see root_causes.py)
        lines += ["", "**Also reaches** (the same value, unchecked):"]
        lines += [f"  - {sink_place(sink, finding.path)}: {code(sink.code)}" for sink in finding.also]
    lines += ["", f"**Solution:** {visible(finding.solution)}"]
    return "\n".join(lines)


def sink_place(sink: Finding, finding_path: str) -> str:
    return line_span(sink) if sink.path == finding_path else f"{code(sink.path)} {line_span(sink)}"


def evidence_step(step: TraceStep, finding_path: str) -> str:
    where = f"line {step.line}" if step.path == finding_path else f"{code(step.path)} line {step.line}"
    text = f"{where}: {code(step.code)}" if step.code else where
    return f"{text} — {visible(step.note)}" if step.note else text


def conclusion(result: ReviewResult, show_suppressed: bool) -> str:
    defects = f"{plural(len(result.findings), 'security defect')} ({severity_counts(result.findings)})"
    if result.change is not None:
        first = f"{defects} in the changed code; {analysed(result)}."
    else:
        files_with_findings = len({f.path for f in result.findings})
        where = plural(files_with_findings, "file")
        if len(result.files) != files_with_findings:
            where = f"{files_with_findings} of {plural(len(result.files), 'file')}"
        first = f"{defects} in {where}, {plural(result.lines, 'line')} reviewed with {checks_and_rules(result)}."
    return "\n".join([first, *caveats(result, show_suppressed)])


def clean_conclusion(result: ReviewResult, show_suppressed: bool) -> str:
    said = [message for _kind, message in notices(result)]
    if said:
        return "\n".join([*said, *caveats(result, show_suppressed)])
    if not result.files:
        first = "No file could be reviewed, so nothing is concluded about the code."
        return "\n".join([first, *caveats(result, show_suppressed)])
    if result.change is not None:
        reviewed = f"Reviewed the changed code; {analysed(result)}."
    else:
        reviewed = (f"Reviewed {plural(len(result.files), 'file')}, {plural(result.lines, 'line')},"
                    f" with {checks_and_rules(result)}.")
    clean = CLEAN_AT_THRESHOLD if result.held_back() else CLEAN
    if result.change is not None:
        clean = clean.replace("in the code", "in the changed code")  # (the rest was analysed, not reviewed)
    return clean + "\n\n" + "\n".join([reviewed, *caveats(result, show_suppressed)])


def analysed(result: ReviewResult) -> str:
    """With a change the whole project is analysed for context, and the report keeps the change."""
    return (f"{plural(len(result.files), 'file')}, {plural(result.lines, 'line')} analysed"
            f" with {checks_and_rules(result)}")


def checks_and_rules(result: ReviewResult) -> str:
    """The rules enabled, and how many times one looked at a piece of code of the kind it applies
    to (a call it knows, a node type): a rule check. Checks may outnumber rules (many calls of one
    function) or be fewer (rules for code the file does not hold)."""
    return f"{plural(result.rules, 'rule')} ({plural(result.checks, 'check')} of code they apply to)"


def caveats(result: ReviewResult, show_suppressed: bool) -> list[str]:
    """What the counts above leave out: suppressed findings, findings outside a change, and inputs
    that were not (fully) reviewed."""
    lines = []
    if result.suppressed:
        listed = "listed under “Suppressed findings”" if show_suppressed else "run with `--show-suppressed` to list them"
        lines.append(f"{plural(len(result.suppressed), 'finding')} {was(len(result.suppressed))} suppressed"
                     f" and not counted ({listed}).")
    if held_back := result.held_back():
        lines.append(f"{plural(held_back, 'finding')} of lower confidence or severity than reported {was(held_back)}"
                     f" left out (lower `--min-confidence` or `--min-severity` to see {'it' if held_back == 1 else 'them'}).")
    change = result.change
    if change is not None and change.findings_outside:
        lines.append(f"{plural(change.findings_outside, 'finding')} in unchanged code {was(change.findings_outside)}"
                     " not reported (review without `--diff`/`--patch` to see them).")
    missing, partial = not_reviewed(result), partly_reviewed(result)
    if missing:
        lines.append(f"{plural(len(missing), 'file')} could not be reviewed (listed under “Not reviewed”).")
    if partial:
        lines.append(f"{plural(len(partial), 'file')} {was(len(partial))} only partly reviewed (listed under “Not reviewed”).")
    if noted := warnings(result):
        lines.append(f"{plural(len(noted), 'suppression comment')} {was(len(noted))} not understood and suppressed nothing"
                     " (listed under “Warnings”).")
    if change is not None and change.diagnostics_outside:
        lines.append(f"{plural(change.diagnostics_outside, 'unchanged file')} could not be analysed.")
    lines += [f"{sentence} (listed under “Notes on suppressions”)." for sentence in note_counts(result)]
    lines += [f"{visible(note.message[:1].upper() + note.message[1:])}." for note in result.assumptions]  # (a snippet's)
    return lines


def note_counts(result: ReviewResult) -> list[str]:
    """What the notes on suppressions say, counted, as sentences without a full stop."""
    added = sum(note.kind == SUPPRESSION_ADDED for note in result.notes)
    configured = sum(note.kind == CONFIG_SUPPRESSION_ADDED for note in result.notes)
    unused = len(result.notes) - added - configured
    said = []
    if added:
        said.append(f"The change adds {plural(added, 'suppression comment')} that silence{'s' if added == 1 else ''}"
                    f" {'a finding' if added == 1 else 'findings'}")
    if configured:
        said.append(f"The change makes {plural(configured, 'edit')} of the configuration that hide{'s' if configured == 1 else ''}"
                    " findings, files or rules")
    if unused:
        said.append(f"{plural(unused, 'suppression comment')} suppress{'es' if unused == 1 else ''} nothing")
    return said


def was(count: int) -> str:
    return "was" if count == 1 else "were"


def suppressed_block(findings: list[Finding]) -> str:
    lines = ["### Suppressed findings", ""]
    for finding in findings:
        lines.append(f"- {code(finding.path)} {line_span(finding)}: {finding.title} (CWE-{finding.cwe},"
                     f" {code(finding.rule_id)}) — suppressed by {visible(finding.suppressed_by or 'configuration')}")
    return "\n".join(lines)


def not_reviewed_block(diagnostics: list[Diagnostic], title: str = "Not reviewed") -> str:
    lines = [f"### {title}", ""]
    for diagnostic in diagnostics:
        where = f"{code(diagnostic.path)} line {diagnostic.line}" if diagnostic.line else code(diagnostic.path)
        lines.append(f"- {where}: {visible(diagnostic.message)} ({diagnostic.kind})")
    return "\n".join(lines)


def code(text: str) -> str:
    """A markdown code span that survives backticks inside the text."""
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
