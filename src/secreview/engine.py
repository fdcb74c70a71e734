"""Orchestration: run every stage over the inputs and collect one ``ReviewResult``.

inputs -> parse -> facts -> dataflow -> rules -> findings -> suppress -> one finding per defect (root_causes)
-> (report, by the caller)
"""
from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from secreview.cache import Packed
from secreview.config import Config
from secreview.rules._naming import is_test_location, is_test_path, makes_test_data_with_library
from secreview.dataflow import FileFlow, SinkRecord, SummaryTable
from secreview.dataflow.linking import Dependencies, ProjectTable, TableView
from secreview.dataflow.order import ImportScan
from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.project import FlowFinding, resolve
from secreview.dataflow.values import HelperSteps
from secreview.facts import FileFacts
from secreview.findings import Diagnostic, Finding, Level, TraceStep, char_column, steps_in_characters
from secreview.inputs import SourceFile, load_source
from secreview.inputs.snippet import SnippetFile
from secreview.parse import ParsedFile
from secreview.rules import Rule, all_rules
from secreview.rules.base import Hit
from secreview.rules.context import RuleContext, node_source
from secreview.rules.dispatch import Dispatcher
from secreview import suppress
from secreview.result import EXCERPT_MAX_SPAN, EXCERPT_MAX_WIDTH, EXCERPT_RADIUS, ReviewResult

if TYPE_CHECKING:
    from secreview.inputs.changes import Change

# Deeply nested (but parsable) expressions recurse in the constant evaluator; allow depth, and
# turn what still overflows into a per-file diagnostic.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


def _too_complex(path: str) -> Diagnostic:
    return Diagnostic(path, "too-complex", "the code is nested too deeply to be analysed; it was not reviewed")


def guarded(path: str, step, *args):
    """Run one step of the review of ``path``; an unexpected exception (a bug in secreview, not
    in the reviewed code) becomes an "internal-error" Diagnostic so the rest of the run completes.
    SECREVIEW_DEBUG=1 lets the exception through, with its traceback, for debugging."""
    try:
        return step(*args)
    except Exception as exc:  # noqa: BLE001 - the crash guard: every failure becomes a diagnostic
        if os.environ.get("SECREVIEW_DEBUG"):
            raise
        if isinstance(exc, RecursionError):
            return _too_complex(path)
        return Diagnostic(path, "internal-error", f"secreview failed on this file ({type(exc).__name__}: {exc}); "
                          "it was not reviewed. This is a bug in secreview: please report it with this "
                          "message and, if you can, the file (rerun with SECREVIEW_DEBUG=1 for a traceback)")


def active_rules(config: Config) -> list[Rule]:
    return [r for r in all_rules().values() if config.rule_enabled(r.id, r.bandit)]


@dataclass
class FileOutcome:
    """A file's review, its own function summaries (for the other files) and what the analyses
    behind them asked of the project (see dataflow/linking.py)."""

    result: ReviewResult
    summaries: dict[str, FunctionSummary] | Packed = field(default_factory=dict)  # (Packed: from the cache)
    dependencies: Dependencies = field(default_factory=Dependencies)
    content_hash: str = ""
    path: str = ""
    # Identifies ``summaries`` for the cache (their digest), so the files that used them know
    # whether they changed; "" when there is no cache (within one run the path is enough).
    summaries_version: str = ""
    # What the analysis that gave ``summaries`` asked, and was told (by the file's visible files).
    summary_dependencies: Dependencies = field(default_factory=Dependencies)
    imports: "ImportScan | None" = None  # set in the cache (see runner): the order needs no read


@dataclass
class KeptAnalysis:
    """A file's first analysis, kept (by runner) for a review again of the same bytes: it reuses
    the tree, the facts and every function analysis whose answers did not change (see FileFlow's
    replay), rather than parse and analyse the whole file again."""

    parsed: ParsedFile
    facts: FileFacts
    flow: FileFlow  # (recorded: told the file's visible files)


class Reviewer:
    """Reviews files one at a time with a fixed rule set and configuration."""

    def __init__(self, config: Config, dataflow: bool = True) -> None:
        self.config = config
        self.rules = active_rules(config)
        self.active_names = frozenset(name for r in self.rules for name in (r.id, *(b.upper() for b in r.bandit)))
        self.dispatcher = Dispatcher(self.rules)
        self.dataflow = dataflow

    def review(self, sources: list[SourceFile], diagnostics: list[Diagnostic] | None = None,
               change: Change | None = None) -> ReviewResult:
        """Review a project in this process (runner.run_review with one job and no cache): every
        file with the summaries of the files it uses, then sinks reached through helpers."""
        from secreview.runner import run_review

        return run_review(sources, self.config, diagnostics, jobs=1, cache_dir=None, change=change, reviewer=self)

    def analyse(self, source: SourceFile, table: ProjectTable | None = None, index: int = 0, content_hash: str = "",
                digest: Callable[[dict], str] | None = None, visible: int | None = None,
                keep: Callable[[KeptAnalysis], None] | None = None) -> FileOutcome:
        """Review one file. Its own summaries come from an analysis told the summaries of its
        ``visible`` files (a bit per input index; None: all of ``table``); ``table`` then receives
        them under the file's ``index``. The review is that analysis when everything ``table``
        knows now would have told it the same; otherwise (a function defined further down the
        file, a file of its import cycle) the file is analysed again, on the same tree, reusing
        every function analysis whose answers did not change (see dataflow/linking.py). ``digest``
        gives the version of the file's summaries when results are cached; ``keep`` is handed the
        analysis, for a review again (see ``reanalyse``)."""
        parsed = load_source(source)
        if isinstance(parsed, Diagnostic):
            return FileOutcome(ReviewResult(diagnostics=[parsed]), content_hash=content_hash, path=source.path)
        try:
            facts = FileFacts.build(parsed.tree, source.module_name, collect=self.dispatcher.wanted, is_package=is_package(source))  # one walk for both
            if not self.dataflow:
                return FileOutcome(self.checked(parsed, facts, None), content_hash=content_hash, path=source.path)
            table = table if table is not None else ProjectTable()
            told = table.view(visible)
            flow = self.flow(parsed, facts, told)
            if keep is not None:
                keep(KeptAnalysis(parsed, facts, flow))
            own = dict(flow.local_summaries)
            version = digest(own) if digest is not None else ""
            summary_dependencies = dependencies = Dependencies.of(flow, told)
            table.add(index, source.path, version, own)
            # From here on the project holds the file's summaries, and files analysed later are told
            # them: a crash in what is left must keep them in the outcome, or those files would look
            # told something the project does not hold, and be analysed again without end.
            reviewed = guarded(source.path, self._review_told, parsed, facts, flow, dependencies, table)
            if isinstance(reviewed, Diagnostic):
                reviewed = ReviewResult(diagnostics=[reviewed]), summary_dependencies
            result, dependencies = reviewed
            return FileOutcome(result, own, dependencies, content_hash, source.path, version, summary_dependencies)
        except RecursionError:
            return FileOutcome(ReviewResult(diagnostics=[_too_complex(source.path)]), content_hash=content_hash, path=source.path)

    def _review_told(self, parsed: ParsedFile, facts: FileFacts, flow: FileFlow, dependencies: Dependencies,
                     table: ProjectTable) -> tuple[ReviewResult, Dependencies]:
        """The file's review after its own summaries were added to ``table``: the analysis again
        if ``table`` now answers one of its questions differently, then the rules."""
        if dependencies.answered_by(table):
            flow = self.flow(parsed, facts, table, previous=flow, recording=False)
            dependencies = Dependencies.of(flow, table)
        return self.checked(parsed, facts, flow), dependencies

    def reanalyse(self, source: SourceFile, table: ProjectTable, kept: KeptAnalysis | None = None
                  ) -> tuple[ReviewResult, Dependencies]:
        """The file's review told everything ``table`` knows (its own summaries, still valid, included),
        and what its analysis asked. With ``kept`` (its first analysis), the review of the bytes
        analysed then, on their tree, reusing that analysis where its answers are unchanged."""
        parsed = kept.parsed if kept is not None else load_source(source)
        if isinstance(parsed, Diagnostic):
            return ReviewResult(diagnostics=[parsed]), Dependencies()
        try:
            if kept is not None:
                facts, flow = kept.facts, self.flow(parsed, kept.facts, table, previous=kept.flow, recording=False)
            else:
                facts = FileFacts.build(parsed.tree, source.module_name, collect=self.dispatcher.wanted, is_package=is_package(source))
                flow = self.flow(parsed, facts, table, recording=False)
            return self.checked(parsed, facts, flow), Dependencies.of(flow, table)
        except RecursionError:
            return ReviewResult(diagnostics=[_too_complex(source.path)]), Dependencies()

    @staticmethod
    def flow(parsed: ParsedFile, facts: FileFacts, table: "ProjectTable | TableView", previous: FileFlow | None = None,
             recording: bool = True) -> FileFlow:
        """One data-flow analysis of a file told ``table`` (reusing the function analyses of
        ``previous`` whose answers are unchanged; ``recording`` keeps what is needed for that)."""
        return FileFlow(parsed, facts, summaries=SummaryTable(table.summaries), project_classes=table.classes,
                        project_classes_returning_data=table.classes_returning_data, previous=previous,
                        recording=recording, routes=table.routes).analyze()

    def checked(self, parsed: ParsedFile, facts: FileFacts, flow: FileFlow | None) -> ReviewResult:
        """The rules over the file (with its data flow), as a result."""
        findings, checks = self.check_parsed(parsed, facts, flow)
        snippet = parsed if parsed.__class__ is SnippetFile else None
        if snippet is not None:  # (what resting on a name it assumed, its confidence: inputs/snippet.py)
            findings = snippet.qualified(findings)
        result = ReviewResult()
        result.below_threshold = suppress.below_threshold(findings, self.config)
        kept, suppressed = suppress.apply(findings, parsed, self.config)
        result.findings, result.suppressed = kept, suppressed
        if kept or suppressed:
            result.excerpts[parsed.path] = excerpt(parsed, kept + suppressed)
        result.files.append(parsed.path)
        result.lines = parsed.line_count
        result.checks = checks
        if snippet is not None:
            result.assumptions += filter(None, [snippet.assumption_note()])
            result.diagnostics += filter(None, [snippet.recovered_error])  # (reviewed without the lines it names)
        comments = suppress.suppression_comments(parsed)
        if comments:
            result.diagnostics.extend(suppress.problems(parsed, comments=comments))  # malformed ones: warnings
            result.notes = suppress.unused(parsed, findings, comments, self.active_names)
        if flow is not None:
            result.sink_records = flow.sink_records
            result.call_sites = flow.call_sites
            result.parameters = {name: s.params for name, s in flow.local_summaries.items()}
            if flow.budget_exceeded:
                result.diagnostics.append(Diagnostic(parsed.path, "budget", "data-flow budget exceeded (very large or deeply looping code): some functions were analysed only in part, so flows through them may be missed; pattern rules ran in full"))
        return result

    def check_parsed(self, parsed: ParsedFile, facts: FileFacts, flow: FileFlow | None) -> tuple[list[Finding], int]:
        ctx = RuleContext(parsed, facts, flow)
        hits, checks = self.dispatcher.run(parsed.tree, ctx)
        test_data = makes_test_data_with_library(facts)
        findings = [make_finding(rule, hit, ancestors, parsed, test_data) for rule, hit, ancestors in hits if not hit.limits_only]
        if flow is not None and flow.sink_records:
            _carry_solutions(hits, flow.sink_records)
        return findings, checks

    def add_interprocedural_findings(self, result: ReviewResult, sources: list[SourceFile],
                                     helpers: HelperSteps | None = None) -> None:
        """Sinks reached through helpers, project-wide (dataflow/project.py); ``helpers``: the
        steps of the helpers of other files on the traces (project.helper_steps)."""
        if not result.sink_records or not result.call_sites:
            return
        change = result.change
        prefer = change.on_flow if change else None
        flows = resolve(result.sink_records, result.call_sites, result.parameters, prefer, helpers)
        if not flows:
            return
        registry = all_rules()
        by_path = {s.path: s for s in sources}
        new: dict[str, list[Finding]] = {}
        for flow in flows:
            rule = registry.get(flow.record.rule_id)
            if rule is not None and flow.confidence >= rule.min_source_confidence:
                new.setdefault(flow.record.path, []).append(flow_finding(rule, flow))
        config = self.config
        noted = {note.path for note in result.notes} if result.notes else set()
        for path, findings in new.items():
            snippet = by_path.get(path)
            if snippet is not None and snippet.snippet:  # (what rests on a name it assumed: inputs/snippet.py)
                snippet = load_source(snippet)
                findings = snippet.qualified(findings) if snippet.__class__ is SnippetFile else findings
            if path in noted:  # (a suppression comment unused by the file's own findings: rare)
                result.notes = _still_unused(result.notes, path, findings, by_path)
            # Below the reported severity or confidence (most flows from a public function's
            # parameter are low): dropped by suppress.apply anyway, without parsing the file.
            result.below_threshold += suppress.below_threshold(findings, config)
            findings = [f for f in findings if f.severity >= config.min_severity and f.confidence >= config.min_confidence]
            source = by_path.get(path) if findings else None
            parsed = load_source(source) if source is not None else None
            if isinstance(parsed, ParsedFile):
                lines = _project_lines(by_path, parsed)
                for finding in findings:  # (a sink record's columns are ast's: UTF-8 bytes)
                    finding.col = char_column(parsed.source_line(finding.line), finding.col)
                    finding.end_col = char_column(parsed.source_line(finding.end_line), finding.end_col)
                    finding.trace = list(steps_in_characters(finding.trace, lines))
                kept, suppressed = suppress.apply(findings, parsed, self.config)
                result.findings.extend(kept)
                result.suppressed.extend(suppressed)
                if kept or suppressed:
                    result.excerpts.setdefault(path, {}).update(excerpt(parsed, kept + suppressed))


def _still_unused(notes: list[Diagnostic], path: str, findings: list[Finding], by_path: dict[str, SourceFile]) -> list[Diagnostic]:
    """``notes`` without the unused-suppression notes of ``path`` that a flow finding found through
    a helper (``findings``, of that file, below the reporting floors too) turns out to use."""
    source = by_path.get(path)
    parsed = load_source(source) if source is not None else None
    if not isinstance(parsed, ParsedFile):
        return notes
    comments = suppress.suppression_comments(parsed)
    used = set()
    for note in notes:
        if note.path == path and note.kind == suppress.UNUSED_SUPPRESSION and note.line in comments:
            suppression = comments[note.line][1]
            for finding in findings:
                if finding.statement_lines == (0, 0):
                    finding.statement_lines = suppress.statement_range_at(parsed.tree, finding.line, finding.col)
                if suppress.covers_finding(suppression, note.line, finding):
                    used.add(note.line)
                    break
    return [note for note in notes if not (note.path == path and note.line in used and note.kind == suppress.UNUSED_SUPPRESSION)]


def is_package(source: SourceFile) -> bool:
    """Is the file a package's ``__init__.py`` (its relative imports start at the package)?"""
    return os.path.basename(source.path) == "__init__.py"


def _carry_solutions(hits: list, records: list[SinkRecord]) -> None:
    """Give the sinks a rule fixed from the code (``hit.solution``) that fix for the flows found
    through them from callers: ``def ping(host): os.system("ping -c 1 " + host)`` reached from a
    view gets ``subprocess.run(["ping", "-c", "1", host])``, not the rule's generic example. So
    too the rule's limits on those flows (``hit.flows_at_most``, ``hit.flows_caveat``)."""
    fixes = {(rule.id, getattr(hit.node, "lineno", 0), getattr(hit.node, "col_offset", 0)): hit
             for rule, hit, _ in hits if hit.solution or hit.flows_at_most is not None}
    if fixes:
        for record in records:
            hit = fixes.get((record.rule_id, record.line, record.col))
            if hit is not None:
                record.solution = hit.solution or record.solution
                record.at_most, record.caveat = hit.flows_at_most, hit.flows_caveat


def flow_finding(rule: Rule, flow: FlowFinding) -> Finding:
    record = flow.record
    trace = list(flow.trace)
    note = "the untrusted value is used here"
    if trace and trace[-1].path == record.path and trace[-1].line == record.line:
        note = f"{trace.pop().note}; {note}"  # one evidence line per source line
    sink = TraceStep(record.path, record.line, record.col, record.code, note)
    return Finding(
        rule_id=rule.id, title=rule.title, cwe=record.cwe, severity=rule.severity,
        confidence=Level.LOW if is_test_path(record.path) else rule.confidence_of(flow.confidence),
        path=record.path, line=record.line, col=record.col, end_line=record.end_line, end_col=record.end_col,
        message=f"Untrusted data ({flow.description}) is passed to `{_entry_helper(flow, record)}()`, which uses it "
                f"in `{record.snippet or record.code}`{record.caveat}.",
        solution=record.solution or rule.solution, code=record.code, statement_lines=record.statement_lines,  # (0, 0): suppress finds it
        trace=[*trace, sink], bandit=rule.bandit, sources=flow.sources,
        root=flow.root if rule.groups_sinks_by_source else (),
    )


def _entry_helper(flow: FlowFinding, record: SinkRecord) -> str:
    """The first project function the untrusted value is handed to (from the trace's
    "passed to `f()`" steps), which is what the caller sees."""
    for step in flow.trace:
        if step.note.startswith("passed to `"):
            return step.note.removeprefix("passed to `").split("(", 1)[0]
    return record.function.removesuffix(".__init__").rsplit(".", 1)[-1]  # ``Backup(x)``: `Backup()`


def excerpt(parsed: ParsedFile, findings: list[Finding]) -> dict[int, str]:
    """The source lines a report needs to show each finding in context."""
    wanted: set[int] = set()
    for finding in findings:
        last = min(finding.end_line, finding.line + EXCERPT_MAX_SPAN)
        first = getattr(parsed, "first_line", 1)  # a snippet's lines start at --first-line
        wanted.update(range(max(first, finding.line - EXCERPT_RADIUS), last + EXCERPT_RADIUS + 1))
    return {line: parsed.source_line(line)[:EXCERPT_MAX_WIDTH] for line in sorted(wanted) if line <= len(parsed.lines)}


def make_finding(rule: Rule, hit: Hit, ancestors: list[ast.AST], parsed: ParsedFile, test_data: bool = False) -> Finding:
    """``test_data``: the file makes test data with a library for that (see rules._naming)."""
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
        # Tests set up insecure things on purpose (unverified TLS to a local server, /tmp paths,
        # plain FTP): every finding in test code is low confidence, shown with --min-confidence low.
        confidence=Level.LOW if test_data or is_test_location(parsed.path, ancestors) else rule.confidence_of(hit.confidence),
        path=parsed.path,
        line=line,
        col=char_column(parsed.source_line(line), getattr(node, "col_offset", 0)),
        end_line=end_line,
        end_col=char_column(parsed.source_line(end_line), getattr(node, "end_col_offset", 0) or 0),
        message=message,
        solution=hit.solution or rule.solution,
        code=parsed.source_line(line).strip(),
        statement_lines=suppress.statement_range(node, ancestors),
        trace=list(steps_in_characters(hit.trace, _lines_of(parsed))) if hit.trace else [],
        bandit=rule.bandit,
        sources=hit.sources,
        root=hit.root if hit.trace and rule.groups_sinks_by_source else (),
    )


def _lines_of(parsed: ParsedFile) -> Callable[[str, int], str | None]:
    """The source lines of ``parsed`` (None for another file's), to count trace columns in characters."""
    def source_line(path: str, line: int) -> str | None:
        return parsed.source_line(line) if path == parsed.path else None
    return source_line


def helper_columns_in_characters(findings: list[Finding], sources: list[SourceFile]) -> None:
    """The steps of the helpers of other files that runner put on the traces (from their summaries,
    see findings.TraceStep.via) with their columns counted in characters: those of the finding's
    own file were counted by ``make_finding``."""
    by_path = {source.path: source for source in sources}
    lines: Callable[[str, int], str | None] | None = None
    for finding in findings:
        if all(step.path == finding.path or step.code.isascii() for step in finding.trace):
            continue
        if lines is None:
            lines = _project_lines(by_path)
        own = finding.path
        finding.trace = list(steps_in_characters(finding.trace, lambda path, line: None if path == own else lines(path, line)))


def _project_lines(by_path: dict[str, SourceFile], first: ParsedFile | None = None) -> Callable[[str, int], str | None]:
    """The source lines of the files of a review, each parsed when first asked for (only a step
    whose code is not ASCII asks: rare), to count trace columns in characters."""
    parsed_files: dict[str, ParsedFile | None] = {first.path: first} if first is not None else {}

    def source_line(path: str, line: int) -> str | None:
        if path not in parsed_files:
            source = by_path.get(path)
            loaded = load_source(source) if source is not None else None
            parsed_files[path] = loaded if isinstance(loaded, ParsedFile) else None
        parsed = parsed_files[path]
        return parsed.source_line(line) if parsed is not None else None
    return source_line
