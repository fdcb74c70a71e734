"""Orchestration: run every stage over the inputs and collect one ``ReviewResult``.

inputs -> parse -> facts -> dataflow -> rules -> findings -> suppress -> (report, by the caller)
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from secreview.config import Config
from secreview.facts import FileFacts
from secreview.findings import Diagnostic, Finding, assign_fingerprints
from secreview.inputs import SourceFile, load_source
from secreview.parse import ParsedFile
from secreview.rules import Rule, all_rules
from secreview.rules.base import Hit
from secreview.rules.context import RuleContext, node_source
from secreview.rules.dispatch import Dispatcher
from secreview import suppress

# Deeply nested (but parsable) expressions recurse in the constant evaluator; allow depth, and
# turn what still overflows into a per-file diagnostic.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


@dataclass
class ReviewResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files reviewed (parsed and checked)
    lines: int = 0
    checks: int = 0
    rules: int = 0

    def merge(self, other: "ReviewResult") -> None:
        self.findings.extend(other.findings)
        self.suppressed.extend(other.suppressed)
        self.diagnostics.extend(other.diagnostics)
        self.files.extend(other.files)
        self.lines += other.lines
        self.checks += other.checks

    def finalize(self) -> "ReviewResult":
        assign_fingerprints(self.findings + self.suppressed)
        self.findings.sort(key=Finding.sort_key)
        self.suppressed.sort(key=Finding.sort_key)
        self.diagnostics.sort(key=Diagnostic.sort_key)
        self.files.sort()
        return self


def active_rules(config: Config) -> list[Rule]:
    return [r for r in all_rules().values() if config.rule_enabled(r.id, r.bandit)]


class Reviewer:
    """Reviews files one at a time with a fixed rule set and configuration."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rules = active_rules(config)
        self.dispatcher = Dispatcher(self.rules)

    def review(self, sources: list[SourceFile], diagnostics: list[Diagnostic] | None = None) -> ReviewResult:
        result = ReviewResult(diagnostics=list(diagnostics or []), rules=len(self.rules))
        for source in sources:
            result.merge(self.review_file(source))
        return result.finalize()

    def review_file(self, source: SourceFile) -> ReviewResult:
        result = ReviewResult()
        parsed = load_source(source)
        if isinstance(parsed, Diagnostic):
            result.diagnostics.append(parsed)
            return result
        try:
            findings, checks = self.check_parsed(parsed, source.module_name)
        except RecursionError:
            result.diagnostics.append(Diagnostic(source.path, "too-complex", "the code is nested too deeply to be analysed; it was not reviewed"))
            return result
        kept, suppressed = suppress.apply(findings, parsed, self.config)
        result.findings, result.suppressed = kept, suppressed
        result.files.append(source.path)
        result.lines = parsed.line_count
        result.checks = checks
        return result

    def check_parsed(self, parsed: ParsedFile, module_name: str = "") -> tuple[list[Finding], int]:
        facts = FileFacts.build(parsed.tree, module_name)
        ctx = RuleContext(parsed, facts)
        hits, checks = self.dispatcher.run(parsed.tree, ctx)
        findings = [make_finding(rule, hit, ancestors, parsed) for rule, hit, ancestors in hits]
        return findings, checks


def statement_range(node: ast.AST, ancestors: list[ast.AST]) -> tuple[int, int]:
    """Lines on which an inline suppression for ``node`` may be written: the whole enclosing simple
    statement, or the header of an enclosing compound statement (``with x(...):`` up to its body)."""
    statement = next((a for a in reversed(ancestors) if isinstance(a, ast.stmt)), None)
    if statement is None:
        line = getattr(node, "lineno", 1)
        return line, getattr(node, "end_lineno", line) or line
    start = statement.lineno
    body = getattr(statement, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt) and statement is not node:
        end = max(body[0].lineno - 1, getattr(node, "end_lineno", start) or start)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.decorator_list:
            start = min(d.lineno for d in statement.decorator_list)
        return start, max(end, start)
    if isinstance(body, list) and body and statement is node:
        return start, max(start, body[0].lineno - 1)
    return start, statement.end_lineno or start


def make_finding(rule: Rule, hit: Hit, ancestors: list[ast.AST], parsed: ParsedFile) -> Finding:
    node = hit.node
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", line) or line
    name = node_source(parsed, node.func) if isinstance(node, ast.Call) else ""
    message = hit.message or (rule.message.format(name=name) if rule.message else rule.description)
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        cwe=hit.cwe or rule.cwe,
        severity=hit.severity or rule.severity,
        confidence=hit.confidence or rule.confidence,
        path=parsed.path,
        line=line,
        col=getattr(node, "col_offset", 0),
        end_line=end_line,
        end_col=getattr(node, "end_col_offset", 0) or 0,
        message=message,
        solution=hit.solution or rule.solution,
        code=parsed.source_line(line).strip(),
        statement_lines=statement_range(node, ancestors),
        trace=list(hit.trace),
        bandit=rule.bandit,
    )
