"""``--format text``: one block per finding with a code frame; colored on a terminal, plain otherwise.

    netcfg.py:14:9: high OS command injection (CWE-78) [subprocess-shell-injection] confidence high
      cmd is built from request data and run through a shell
         12 |     with lockutils.lock("iface-" + name):
         13 |         cmd = "ip addr add %s dev %s" % (cidr, name)
      >  14 |         subprocess.run(cmd, shell=True, check=True)
            |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
         15 |     LOG.info("configured %s", name)
      evidence:
        line 10: name = request.args["name"] — untrusted (HTTP query parameter)
      fix: pass an argument list without a shell

The first line of each block is ``path:line:column:`` so editors and grep can jump to it.
"""
from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from secreview.result import EXCERPT_MAX_SPAN, EXCERPT_RADIUS, ReviewResult
from secreview.findings import Diagnostic, Finding
from secreview.report.common import notices, not_reviewed, partly_reviewed, plural, severity_counts, visible, warnings

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
TAB_SIZE = 4
INDENT = "  "


def render(result: ReviewResult, color: bool = False, show_suppressed: bool = False, **_options) -> str:
    buffer = io.StringIO()
    # force_terminal=False on a StringIO means no escape codes at all: plain text for pipes/files.
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False,
                      emoji=False, markup=False, width=10_000)
    if result.change is not None:
        console.print(change_line(result), soft_wrap=True)
    for finding in result.findings:
        for line in finding_block(finding, result.excerpts.get(finding.path, {})):
            console.print(line, soft_wrap=True)
        console.print()
    if show_suppressed:
        for finding in result.suppressed:
            console.print(suppressed_line(finding), soft_wrap=True)
    for diagnostic in result.diagnostics:
        console.print(diagnostic_line(diagnostic, partly=diagnostic.path in result.files), soft_wrap=True)
    for _kind, message in notices(result):
        console.print(Text.assemble(("note: ", "bold magenta"), message), soft_wrap=True)
    for note in result.notes + result.assumptions:
        console.print(note_line(note), soft_wrap=True)
    console.print(summary(result, show_suppressed), soft_wrap=True)
    return buffer.getvalue()


def change_line(result: ReviewResult) -> Text:
    """With --diff/--patch, the first line: which change, and how much of it was reviewed."""
    change = result.change
    assert change is not None
    files = len(change.reviewed_files)
    amount = f"{plural(change.changed_lines, 'changed line')} in {plural(files, 'file')} reviewed"
    if change.deleted:
        amount += f"; {plural(len(change.deleted), 'deleted file')}"
    return Text.assemble(("change: ", "bold"), visible(change.title), f" ({amount})")


def finding_block(finding: Finding, excerpt: dict[int, str]) -> list[Text]:
    severity = finding.severity.label
    lines = [
        Text.assemble(
            (f"{visible(finding.path)}:{finding.line}:{finding.col + 1}:", "bold"), " ",
            (severity, SEVERITY_STYLE[severity]), " ",
            (f"{finding.title} (CWE-{finding.cwe})", "bold"), " ",
            (f"[{finding.rule_id}]", "dim"), f" confidence {finding.confidence.label}",
        ),
        Text(INDENT + visible(finding.message)),
    ]
    lines += code_frame(finding, excerpt)
    if finding.trace:
        lines.append(Text(INDENT + "evidence:", "bold"))
        for step in finding.trace:
            where = f"line {step.line}" if step.path == finding.path else f"{visible(step.path)}:{step.line}"
            step_text = Text(INDENT * 2)
            step_text.append(f"{where}: ", "dim")
            step_text.append(visible(step.code))
            if step.note:
                step_text.append(f" — {visible(step.note)}", "dim")
            lines.append(step_text)
    if finding.also:  # (one unchecked value, several sinks: see root_causes.py)
        lines.append(Text(INDENT + "also reaches (the same value, unchecked):", "bold"))
        for sink in finding.also:
            where = f"line {sink.line}" if sink.path == finding.path else f"{visible(sink.path)}:{sink.line}"
            lines.append(Text.assemble(INDENT * 2, (f"{where}: ", "dim"), visible(sink.code)))
    lines.append(Text.assemble((INDENT + "fix: ", "green"), visible(finding.solution)))
    return lines


def code_frame(finding: Finding, excerpt: dict[int, str]) -> list[Text]:
    """The flagged lines with a little context, line numbers, a marker and a caret underline.
    Falls back to the flagged code alone when the result holds no excerpt for the file."""
    if not excerpt:
        if not finding.code:
            return []
        return [Text.assemble((f"{INDENT}> {finding.line:>4} | ", "dim"), visible(finding.code))]
    last_shown = min(finding.end_line, finding.line + EXCERPT_MAX_SPAN)
    numbers = [n for n in range(finding.line - EXCERPT_RADIUS, last_shown + EXCERPT_RADIUS + 1) if n in excerpt]
    if not numbers:
        return []
    width = len(str(numbers[-1]))
    frame = []
    for number in numbers:
        flagged = finding.line <= number <= finding.end_line
        source = visible(excerpt[number].expandtabs(TAB_SIZE))
        gutter = f"{INDENT}{'>' if flagged else ' '} {number:>{width}} | "
        if not source.strip():
            gutter, source = gutter.rstrip(), ""
        frame.append(Text.assemble((gutter, "bold red" if flagged else "dim"), (source, "bold" if flagged else "")))
        if number == finding.line:
            frame.append(caret_line(finding, excerpt[number], width))
        if number == last_shown < finding.end_line:
            frame.append(Text(f"{INDENT}  {'':>{width}} | ... ({plural(finding.end_line - last_shown, 'more line')})", "dim"))
    return frame


def caret_line(finding: Finding, source: str, width: int) -> Text:
    start = len(visible(source[: finding.col].expandtabs(TAB_SIZE)))
    if finding.end_line == finding.line and finding.end_col > finding.col:
        end = len(visible(source[: finding.end_col].expandtabs(TAB_SIZE)))
    else:  # multi-line: underline to the end of the first line
        end = len(visible(source.rstrip().expandtabs(TAB_SIZE)))
    gutter = f"{INDENT}  {'':>{width}} | "
    return Text.assemble((gutter, "dim"), " " * start, ("^" * max(1, end - start), "bold red"))


def suppressed_line(finding: Finding) -> Text:
    return Text.assemble(
        (f"{visible(finding.path)}:{finding.line}:{finding.col + 1}:", "bold"), " ",
        ("suppressed", "dim"), f" {finding.title} (CWE-{finding.cwe}) [{finding.rule_id}] — ",
        (visible(finding.suppressed_by or "configuration"), "dim"),
    )


def diagnostic_line(diagnostic: Diagnostic, partly: bool = False) -> Text:
    where = f"{diagnostic.path}:{diagnostic.line}:" if diagnostic.line else f"{diagnostic.path}:"
    label = "warning" if diagnostic.is_warning else "partly reviewed" if partly else "not reviewed"
    return Text.assemble((visible(where), "bold"), " ", (label, "magenta"),
                         f" ({diagnostic.kind}) {visible(diagnostic.message)}")


def note_line(note: Diagnostic) -> Text:
    """A note on a suppression comment (unused, or added by the change over a finding), or on what
    a snippet was reviewed assuming."""
    return Text.assemble((visible(f"{note.path}:{note.line}:"), "bold"), " ", ("note", "magenta"),
                         f" ({note.kind}) {visible(note.message)}")


def summary(result: ReviewResult, show_suppressed: bool = False) -> Text:
    counts = severity_counts(result.findings)
    parts = [plural(len(result.findings), "finding") + (f" ({counts})" if counts else "")]
    parts.append(f"{plural(len(result.files), 'file')}, {plural(result.lines, 'line')}, {plural(result.rules, 'rule')},"
                 f" {plural(result.checks, 'rule check')}")  # (see report/review.checks_and_rules)
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} suppressed" + ("" if show_suppressed else " (--show-suppressed lists them)"))
    if held_back := result.held_back():
        parts.append(f"{held_back} below the reported confidence or severity (lower --min-confidence/--min-severity to see them)")
    if result.change is not None and result.change.findings_outside:
        parts.append(f"{result.change.findings_outside} in unchanged code not reported")
    missing, partial = not_reviewed(result), partly_reviewed(result)
    if missing:
        parts.append(f"{plural(len(missing), 'file')} not reviewed")
    if partial:
        parts.append(f"{plural(len(partial), 'file')} partly reviewed")
    if noted := warnings(result):
        parts.append(plural(len(noted), "warning"))
    if result.notes:
        parts.append(plural(len(result.notes), "note"))
    style = "bold red" if result.findings else ("bold magenta" if result.diagnostics else "bold green")
    return Text("; ".join(parts), style)
