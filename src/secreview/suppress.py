"""Stage: suppression. Inline comments (``# secreview: ignore[RULE] reason``, ``# nosec``) on any
line of the flagged statement, and configuration (severity/confidence floors, per-path ignores)."""
from __future__ import annotations

import io
import re
import tokenize

from secreview.config import Config
from secreview.findings import Finding
from secreview.parse import ParsedFile

_SECREVIEW = re.compile(r"secreview:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?P<reason>.*)", re.I)
_NOSEC = re.compile(r"#\s*nosec\b(?P<ids>(?:[\s:,]+B\d{3})*)", re.I)


def comments_by_line(parsed: ParsedFile) -> dict[int, str]:
    """Real comments only (a ``# nosec`` inside a string literal does not count)."""
    comments: dict[int, str] = {}
    source = "\n".join(parsed.lines)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments


def suppression_for(finding: Finding, comments: dict[int, str]) -> str | None:
    start, end = finding.statement_lines or (finding.line, finding.end_line)
    for line in range(start, end + 1):
        comment = comments.get(line)
        if not comment:
            continue
        match = _SECREVIEW.search(comment)
        if match:
            ids = match.group("ids")
            wanted = {i.strip() for i in ids.split(",")} if ids is not None else set()
            if not wanted or finding.rule_id in wanted:
                reason = match.group("reason").strip()
                return f"secreview: ignore (line {line})" + (f": {reason}" if reason else "")
        match = _NOSEC.search(comment)
        if match:
            ids = set(re.findall(r"B\d{3}", match.group("ids") or "", re.I))
            if not ids or {i.upper() for i in ids} & set(finding.bandit):
                return f"nosec (line {line})"
    return None


def apply(findings: list[Finding], parsed: ParsedFile, config: Config) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed). Findings below the severity/confidence floors are
    dropped silently as they are a report filter, not a suppression."""
    findings = [f for f in findings if f.severity >= config.min_severity and f.confidence >= config.min_confidence]
    if not findings:
        return [], []
    comments = comments_by_line(parsed)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        reason = suppression_for(finding, comments)
        if reason:
            finding.suppressed_by = reason
            suppressed.append(finding)
        else:
            kept.append(finding)
    return kept, suppressed
