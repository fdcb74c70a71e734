"""``--format text``: a compact listing, with colors and code frames on a terminal."""
from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from secreview.engine import ReviewResult

_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def render(result: ReviewResult, color: bool = False, sources: dict[str, list[str]] | None = None, **_options) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=100, highlight=False)
    for finding in result.findings:
        style = _SEVERITY_STYLE[finding.severity.label]
        console.print(
            f"[bold]{escape(finding.path)}:{finding.line}:{finding.col + 1}[/]: [{style}]{finding.severity.label}[/] "
            f"[bold]{finding.rule_id}[/] {escape(finding.title)} (CWE-{finding.cwe}, confidence {finding.confidence.label})"
        )
        console.print(f"    {escape(finding.message)}")
        if finding.code:
            console.print(f"    [dim]{finding.line:>5} |[/] {escape(finding.code)}")
        for step in finding.trace:
            console.print(f"    [dim]  line {step.line}:[/] {escape(step.code)} [dim]— {escape(step.note)}[/]")
        console.print(f"    [green]fix:[/] {escape(finding.solution)}")
    for diagnostic in result.diagnostics:
        where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path
        console.print(f"[bold]{escape(where)}[/]: [magenta]error[/] {diagnostic.kind}: {escape(diagnostic.message)}")
    console.print(summary_line(result))
    return buffer.getvalue()


def summary_line(result: ReviewResult) -> str:
    counts = {level: 0 for level in ("high", "medium", "low")}
    for finding in result.findings:
        counts[finding.severity.label] += 1
    parts = [f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"]
    if result.findings:
        parts[0] += " (" + ", ".join(f"{n} {level}" for level, n in counts.items() if n) + ")"
    parts.append(f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}, {result.lines} lines, {result.checks} checks")
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} suppressed")
    if result.diagnostics:
        parts.append(f"{len(result.diagnostics)} not reviewed (see errors above)")
    return "; ".join(parts)
