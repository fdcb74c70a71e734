"""GitHub formats.

``--format github``: workflow commands that GitHub Actions turns into annotations,
``::error file=PATH,line=N,endLine=M,title=TITLE::MESSAGE`` (``warning`` for medium severity,
``notice`` for low). Data is escaped as the Actions runner expects: ``%`` ``\\r`` ``\\n`` as
``%25`` ``%0D`` ``%0A``; property values additionally ``:`` and ``,`` as ``%3A`` ``%2C``.

``--format github-review``: the JSON body of "create a review for a pull request"
(``POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews``): ``body``, ``event: COMMENT`` and
``comments`` with ``path``, ``line``, ``side: RIGHT`` and ``body`` (``start_line``/``start_side`` for
several lines). GitHub accepts comments only on lines of the pull request's diff, so with
--diff/--patch each comment sits on changed lines of the finding (or of its trace).
"""
from __future__ import annotations

from secreview.changes_filter import anchor
from secreview.result import ReviewResult
from secreview.findings import Finding
from secreview.report.common import dump_json, shown
from secreview.report.review_comments import comment_body, note_body, summary, tool_path

_COMMAND = {"high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{command} {props}::{escape_data(message)}"


def annotation(finding: Finding, result: ReviewResult) -> str:
    where = anchor(finding, result.change, changed_lines_only=False)
    properties: dict[str, object] = {"file": tool_path(where.path, result.change), "line": where.line}
    if where.end_line > where.line:
        properties["endLine"] = where.end_line
    elif not where.moved:
        properties["col"] = finding.col + 1
        if finding.end_line == finding.line and finding.end_col > finding.col:
            properties["endColumn"] = finding.end_col + 1
    properties["title"] = f"{finding.title} (CWE-{finding.cwe}, {finding.rule_id})"
    message = finding.message
    if where.moved:
        message = f"The defect is at {finding.path}:{finding.line}; the change here is on its data-flow path. {message}"
    if finding.trace:
        message += "\nEvidence:\n" + "\n".join(f"  {s.path}:{s.line}: {s.code} — {s.note}" for s in finding.trace)
    if finding.also:  # (one unchecked value, several sinks: see root_causes.py)
        message += "\nAlso reaches (the same value, unchecked):\n" + "\n".join(f"  {s.path}:{s.line}: {s.code}" for s in finding.also)
    message += f"\nFix: {finding.solution}"
    return workflow_command(_COMMAND[finding.severity.label], properties, message)


def render(result: ReviewResult, **_options) -> str:
    lines = [annotation(f, result) for f in result.findings]
    for diagnostic in result.diagnostics:
        properties: dict[str, object] = {"file": tool_path(diagnostic.path, result.change)}
        if diagnostic.line:
            properties["line"] = diagnostic.line
        status = "warning" if diagnostic.is_warning else "not reviewed"
        properties["title"] = f"secreview: {status} ({diagnostic.kind})"
        lines.append(workflow_command("warning" if diagnostic.is_warning else "error", properties, diagnostic.message))
    for note in result.notes:
        properties = {"file": tool_path(note.path, result.change), "line": note.line, "title": f"secreview: {note.kind}"}
        lines.append(workflow_command("notice", properties, note.message))
    lines.append(summary(result).replace("\n\n", "\n"))
    return shown("\n".join(lines) + "\n")


def review_comment(finding: Finding, result: ReviewResult) -> dict:
    where = anchor(finding, result.change, changed_lines_only=True)
    comment: dict = {"path": tool_path(where.path, result.change)}
    if where.end_line > where.line:
        comment.update(start_line=where.line, start_side="RIGHT")
    comment.update(line=where.end_line, side="RIGHT", body=comment_body(finding, where))
    return comment


def to_review(result: ReviewResult) -> dict:
    return {
        "body": "## " + summary(result),
        "event": "COMMENT",
        "comments": [review_comment(f, result) for f in result.findings]
        + [{"path": tool_path(note.path, result.change), "line": note.line, "side": "RIGHT", "body": note_body(note)}
           for note in result.notes],
    }


def render_review(result: ReviewResult, **_options) -> str:
    return dump_json(to_review(result), indent=2, ensure_ascii=False)
