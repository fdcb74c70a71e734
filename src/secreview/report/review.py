"""``--format review``: the flagship markdown review (see docs/output-formats.md).

Numbered findings (title, CWE, lines, severity, confidence, description, evidence, solution), then
a conclusion. A clean review says so in one sentence and then says exactly what was reviewed, what
was suppressed and what could not be reviewed, so that silence is never ambiguous.
"""
from __future__ import annotations

import re

from secreview.engine import ReviewResult
from secreview.findings import Diagnostic, Finding, TraceStep
from secreview.report.common import line_span, plural, reviewed_inputs, severity_counts, visible

CLEAN = "No security defects are detected in the code."


def render(result: ReviewResult, show_suppressed: bool = False, **_options) -> str:
    several_files = len(reviewed_inputs(result)) > 1
    blocks = [heading(result)]
    if result.findings:
        blocks += [finding_block(n, f, several_files) for n, f in enumerate(result.findings, start=1)]
    else:
        blocks.append(clean_conclusion(result, show_suppressed))
    if show_suppressed and result.suppressed:
        blocks.append(suppressed_block(result.suppressed))
    if result.diagnostics:
        blocks.append(not_reviewed_block(result.diagnostics))
    if result.findings:
        blocks.append("### Conclusion\n\n" + conclusion(result, show_suppressed))
    return "\n\n".join(blocks) + "\n"


def heading(result: ReviewResult) -> str:
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
    lines += ["", f"**Solution:** {visible(finding.solution)}"]
    return "\n".join(lines)


def evidence_step(step: TraceStep, finding_path: str) -> str:
    where = f"line {step.line}" if step.path == finding_path else f"{code(step.path)} line {step.line}"
    text = f"{where}: {code(step.code)}" if step.code else where
    return f"{text} — {visible(step.note)}" if step.note else text


def conclusion(result: ReviewResult, show_suppressed: bool) -> str:
    files_with_findings = len({f.path for f in result.findings})
    reviewed = len(result.files)
    where = plural(files_with_findings, "file")
    if reviewed != files_with_findings:
        where = f"{files_with_findings} of {plural(reviewed, 'file')}"
    lines = [
        f"{plural(len(result.findings), 'security defect')} ({severity_counts(result.findings)}) in {where},"
        f" {plural(result.lines, 'line')} reviewed with {checks_and_rules(result)}."
    ]
    return "\n".join(lines + caveats(result, show_suppressed))


def clean_conclusion(result: ReviewResult, show_suppressed: bool) -> str:
    if not result.files:
        first = ("No file could be reviewed, so nothing is concluded about the code."
                 if result.diagnostics else "No Python file was found to review.")
        return "\n".join([first, *caveats(result, show_suppressed)])
    reviewed = (f"Reviewed {plural(len(result.files), 'file')}, {plural(result.lines, 'line')},"
                f" with {checks_and_rules(result)}.")
    return CLEAN + "\n\n" + "\n".join([reviewed, *caveats(result, show_suppressed)])


def checks_and_rules(result: ReviewResult) -> str:
    return f"{plural(result.checks, 'check')} of {plural(result.rules, 'rule')}"


def caveats(result: ReviewResult, show_suppressed: bool) -> list[str]:
    """What the counts above leave out: suppressed findings and inputs that were not reviewed."""
    lines = []
    if result.suppressed:
        listed = "listed under “Suppressed findings”" if show_suppressed else "run with `--show-suppressed` to list them"
        count = plural(len(result.suppressed), "finding")
        lines.append(f"{count} {'was' if len(result.suppressed) == 1 else 'were'} suppressed and not counted ({listed}).")
    if result.diagnostics:
        count = len({d.path for d in result.diagnostics})
        lines.append(f"{plural(count, 'file')} could not be reviewed (listed under “Not reviewed”).")
    return lines


def suppressed_block(findings: list[Finding]) -> str:
    lines = ["### Suppressed findings", ""]
    for finding in findings:
        lines.append(f"- {code(finding.path)} {line_span(finding)}: {finding.title} (CWE-{finding.cwe},"
                     f" {code(finding.rule_id)}) — suppressed by {visible(finding.suppressed_by or 'configuration')}")
    return "\n".join(lines)


def not_reviewed_block(diagnostics: list[Diagnostic]) -> str:
    lines = ["### Not reviewed", ""]
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
