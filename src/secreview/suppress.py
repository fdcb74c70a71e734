"""Stage: suppression. What the user said must not be reported, and why.

- Inline, on any line of the flagged statement (every line of a multi-line statement; for a
  compound statement, its header lines: decorators and ``def`` line(s), ``with ...:``, ``if ...:``,
  ``except ...:``):
  ``# secreview: ignore[RULE-ID, OTHER] reason`` (rule ids or Bandit ids), ``# secreview: ignore``
  (every rule), ``# nosec`` (every rule) and ``# nosec B602, B607`` (the rules covering those Bandit
  ids; secreview rule ids work there too). Only real comments count, not text inside strings.
- Configuration: ``per-path-ignores`` (glob -> rule ids).
Every suppressed finding is kept, with ``suppressed_by`` saying which comment or glob did it, so
that reports can count and list them. The severity and confidence floors are report filters, not
suppressions: findings below them are dropped.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize

from secreview.config import Config
from secreview.findings import Finding
from secreview.parse import ParsedFile

_SECREVIEW = re.compile(r"#\s*secreview\s*:\s*ignore\b(?:\[(?P<ids>[^\]]*)\])?(?P<reason>[^#]*)", re.I)
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[^#]*)", re.I)
_BANDIT_ID = re.compile(r"^B\d{3}$", re.I)
_REASON_LEADER = " \t:-–—,;"


# Nodes that own a line range for inline suppressions: statements, and ``except ...:`` clauses
# (an ExceptHandler is not an ast.stmt, but a comment on its header must not reach the try body).
_STATEMENT_LIKE = (ast.stmt, ast.ExceptHandler)


def statement_range(node: ast.AST, ancestors: list[ast.AST]) -> tuple[int, int]:
    """Lines on which an inline suppression for ``node`` may be written: the whole enclosing simple
    statement, or the header of an enclosing compound statement (decorators and ``def`` line(s),
    ``with x(...):``, ``except E:``... up to its body)."""
    if isinstance(node, _STATEMENT_LIKE):
        statement = node
    else:
        statement = next((a for a in reversed(ancestors) if isinstance(a, _STATEMENT_LIKE)), None)
    if statement is None:
        line = getattr(node, "lineno", 1)
        return line, getattr(node, "end_lineno", line) or line
    start = statement.lineno
    decorators = getattr(statement, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    body = getattr(statement, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
        node_end = start if statement is node else (getattr(node, "end_lineno", start) or start)
        return start, max(start, statement.lineno, body[0].lineno - 1, node_end)
    return start, statement.end_lineno or start


def statement_range_at(tree: ast.AST, line: int, col: int) -> tuple[int, int]:
    """``statement_range`` of the innermost node at (line, col), for findings made from a position
    (data flow through helpers) rather than during the AST pass."""
    ancestors: list[ast.AST] = []
    node: ast.AST = tree
    while True:
        inner = next((child for child in ast.iter_child_nodes(node) if _contains(child, line, col)), None)
        if inner is None:
            break
        ancestors.append(inner)
        node = inner
    return statement_range(node, ancestors[:-1]) if ancestors else (line, line)


def _contains(node: ast.AST, line: int, col: int) -> bool:
    if not hasattr(node, "lineno") or getattr(node, "end_lineno", None) is None:
        return False
    return (node.lineno, node.col_offset) <= (line, col) <= (node.end_lineno, node.end_col_offset)


def comments_by_line(parsed: ParsedFile) -> dict[int, str]:
    """Real comments only (a ``# nosec`` inside a string literal does not count)."""
    comments = _tokenize_comments("\n".join(parsed.lines))
    if comments is None:
        # A fragment with unusual indentation (stdin snippet): tokenize it inside a block, as the
        # snippet parser did; keep whatever the first pass found if that fails too.
        partial: dict[int, str] = {}
        _tokenize_comments("\n".join(parsed.lines), partial)
        wrapped = _tokenize_comments("if True:\n" + "\n".join(parsed.lines))
        return {line - 1: text for line, text in wrapped.items()} if wrapped is not None else partial
    return comments


def _tokenize_comments(source: str, into: dict[int, str] | None = None) -> dict[int, str] | None:
    comments = into if into is not None else {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return comments


def _ids(text: str) -> set[str]:
    return {part.upper() if _BANDIT_ID.match(part) else part for part in re.split(r"[\s,]+", text) if part}


def _reason(text: str) -> str:
    return text.strip().lstrip(_REASON_LEADER).strip()


def suppression_for(finding: Finding, comments: dict[int, str], rule_ids: set[str] | None = None) -> str | None:
    """Why ``finding`` is suppressed by an inline comment, or None. ``rule_ids``: the registered
    rule ids, to tell ``# nosec eval-used`` (specific) from ``# nosec because ...`` (blanket)."""
    start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
    names = {finding.rule_id, *finding.bandit}
    for line in range(start, end + 1):
        comment = comments.get(line)
        if not comment:
            continue
        match = _SECREVIEW.search(comment)
        if match:
            wanted = _ids(match.group("ids") or "")
            if not wanted or names & wanted:
                what = f"secreview: ignore[{match.group('ids').strip()}]" if wanted else "secreview: ignore"
                reason = _reason(match.group("reason"))
                return f"{what} (line {line}): " + (reason or "no reason given")
        match = _NOSEC.search(comment)
        if match:
            words = _ids(match.group("ids"))
            wanted = {w for w in words if _BANDIT_ID.match(w) or (rule_ids is not None and w in rule_ids)}
            if not wanted or names & wanted:
                return f"nosec (line {line})" + (f": {', '.join(sorted(wanted))}" if wanted else "")
    return None


def _may_have_comment(finding: Finding, parsed: ParsedFile) -> bool:
    """A comment needs a ``#`` on its line: without one on the lines where a suppression of this
    finding may sit, there is nothing to look for."""
    start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
    return any("#" in parsed.source_line(line) for line in range(start, end + 1))


def apply(findings: list[Finding], parsed: ParsedFile, config: Config) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed)."""
    findings = [f for f in findings if f.severity >= config.min_severity and f.confidence >= config.min_confidence]
    if not findings:
        return [], []
    from secreview.rules import all_rules

    comments: dict[int, str] | None = None  # tokenized on first need: tokenizing a file is costly
    rule_ids = set(all_rules())
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if finding.statement_lines == (0, 0):
            finding.statement_lines = statement_range_at(parsed.tree, finding.line, finding.col)
        if comments is None and _may_have_comment(finding, parsed):
            comments = comments_by_line(parsed)
        reason = suppression_for(finding, comments or {}, rule_ids)
        if reason is None and not finding.path.startswith("<"):  # "<stdin>" has no path to match
            glob = config.per_path_ignore(finding.path, finding.rule_id, finding.bandit)
            reason = f"config: per-path-ignores {glob}" if glob is not None else None
        if reason:
            finding.suppressed_by = reason
            suppressed.append(finding)
        else:
            kept.append(finding)
    return kept, suppressed
