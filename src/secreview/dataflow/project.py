"""Project-level resolution of sinks reached through helper functions (and across files).

Each file's analysis yields ``SinkRecord``s (a parameter of F reaches a sink inside F) and
``CallSite``s (F is called with these argument taints). Propagating records up the call graph to a
fixpoint finds: untrusted data passed to a helper that wraps a sink (a finding at the sink, whose
trace starts at the caller's source), and callers that forward their own parameter to such a helper
(they become sink wrappers in turn: ``utils.execute``-style functions).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Callable, Iterator, Sequence

from secreview.cache import Packed
from secreview.dataflow import SinkRecord
from secreview.dataflow.analyzer import CallSite
from secreview.dataflow.values import (ATTRIBUTE, INPUT, HelperSteps, Taint, described, expand_steps, ordered, reported_origin, root_of,
                                       via_order)
from secreview.findings import Finding, FlowSource, HelperRef, Level, TraceStep, flow_sources
from secreview.models import OPERATOR_CHOSEN_PROGRAM_SOURCES
from secreview.models.sources import SOURCE_LOW_FOR

# Rounds of the project pass: each extends to their callers the records the last one found (see
# resolve). A bound against pathological code, not a depth the analysis stops at: chains of helpers
# settle well before. Bounded, the report is still the same whatever the order of the files (what
# a round finds depends on the rounds before it alone).
MAX_ROUNDS = 40
MAX_ALIASES = 6  # re-exports of re-exports followed to the function (see _summary_named)

# A wrapper that runs its ``*args`` as an argument list (``def execute(*cmd): subprocess.run(cmd)``)
# has a program-injection sink for ``cmd``; a caller whose untrusted values all come after the
# first element (``execute("ip", "link", "show", name)``) injects arguments, not the program.
TAIL_ELEMENT_RULES = {"process-program-injection": ("process-argument-injection", 88)}


@dataclass
class FlowFinding:
    """An interprocedural finding: a record (the sink) reached with untrusted data."""

    record: SinkRecord
    description: str
    confidence: Level
    # The evidence: ``steps`` with those inside helpers of other files, one per line (made only
    # for the flows reported, or compared with ``prefer``: see _evidence).
    trace: list[TraceStep] | None
    # Where every flow found into the sink starts, not only this one (see findings.FlowSource).
    sources: tuple[FlowSource, ...] = ()
    origin_steps: tuple[TraceStep, ...] = ()  # the steps of the value in the caller, for ``root``
    caller: str | None = None  # the function calling towards the sink with it
    steps: tuple[TraceStep, ...] = ()  # as found: from the caller's source to the sink

    @property
    def root(self) -> tuple:
        """Where the value comes from (values.root_of): one defect, one finding."""
        return root_of(self.origin_steps, self.caller)


def resolve(records: list[SinkRecord], calls: list[CallSite | Packed], param_names: dict[str, list[str]],
            prefer: Callable[[list[TraceStep]], bool] | None = None,
            helpers: HelperSteps | None = None) -> list[FlowFinding]:
    """One finding per sink: the most confident flow, or with ``prefer`` (reviewing a change: does
    the trace pass through a changed line?) first a preferred one, so a new caller of an old sink
    is the flow reported; of flows alike, the shortest, then the earliest (see _better_flow).
    ``calls``: call sites, or a cached file's call sites packed (the names they call as index:
    decoded only when one of them has a sink). ``helpers``: the steps of the helpers of other
    files on the traces (see ``helper_steps``).

    Every choice is by a fixed order, never by which came first: the order the call sites come
    in depends on the order of the files, and on how their results were handed over (``--jobs``,
    the cache), and the report must not."""
    # (function, parameter) -> sink (rule, path, line) -> the best record of the parameter reaching
    # it (see _better_record).
    best: dict[tuple[str, int], dict[tuple, SinkRecord]] = {}
    # The records found better in this round: the next round extends those, and those only, to
    # their functions' callers (the others were extended in the round after they were found). So
    # what a round finds depends on the last round alone, not on the order within it; and a
    # better record extended by a call makes a better record, so the rounds settle on the best of
    # every sink.
    fresh: dict[tuple[str, int], dict[tuple, SinkRecord]] = {}

    def add(record: SinkRecord) -> None:
        function = (record.function, record.param)
        known_records = best.get(function)
        if known_records is None:
            known_records = best[function] = {}
        sink = (record.rule_id, record.path, record.line)
        known = known_records.get(sink)
        if known is not None and not _better_record(record, known):
            return
        known_records[sink] = record
        fresh_records = fresh.get(function)
        if fresh_records is None:
            fresh_records = fresh[function] = {}
        fresh_records[sink] = record

    for record in records:
        add(record)
    findings: dict[tuple, FlowFinding] = {}
    starts: dict[tuple, list[tuple[TraceStep, Level]]] = {}  # the sources of every flow into each sink
    calls_of = _CallsOf(calls)
    for _ in range(MAX_ROUNDS):
        if not fresh:
            break
        extended, fresh = fresh, {}
        for call in calls_of({function for function, _ in extended}):
            for key, argument in call.arguments.items():
                index = key if isinstance(key, int) else _index_of(param_names.get(call.callee, []), key)
                if index is None:
                    continue
                callee_records = extended.get((call.callee, index))
                if callee_records is None:
                    continue
                for record in callee_records.values():
                    if index in call.tail_only and record.rule_id in TAIL_ELEMENT_RULES:
                        rule_id, cwe = TAIL_ELEMENT_RULES[record.rule_id]
                        record = replace(record, rule_id=rule_id, cwe=cwe, operator_may_choose=False)
                    for origin in ordered(argument.origins):
                        if (origin.kind != INPUT and origin.kind != ATTRIBUTE) or not origin.reaches(record.cwe):
                            continue
                        if origin.sanitized or origin.description in SOURCE_LOW_FOR:  # (see values.as_reported)
                            origin = reported_origin(origin, record.cwe)
                        if record.operator_may_choose and origin.description in OPERATOR_CHOSEN_PROGRAM_SOURCES:
                            continue  # the program a process starts, chosen by who runs this one
                        steps = (*origin.steps, call.step, *record.steps)
                        # (what the caller passes found the value: its flows are low at most too)
                        reached = replace(record, looked_up=True) if origin.looked_up and not record.looked_up else record
                        if origin.kind == ATTRIBUTE:
                            # A constructor's parameter kept on the instance (``self.cmd``) and passed
                            # on to a function here: the sink is one of that constructor's too (see
                            # values.ATTRIBUTE). Not when passed to another constructor: objects kept
                            # by objects kept by objects (a form in the admin's helpers) lose track
                            # of what is text and what is an object holding some.
                            if not call.callee.endswith(".__init__"):
                                add(replace(reached, function=origin.description, param=origin.param, steps=steps))
                            continue
                        if origin.param is not None:
                            add(replace(reached, function=call.caller, param=origin.param, steps=steps))
                        if origin.reportable:
                            identity = (record.rule_id, record.path, record.line, record.col)
                            found = findings.get(identity)
                            confidence = min(origin.confidence, Level.MEDIUM) if reached.backslash_open else origin.confidence
                            if reached.looked_up:
                                confidence = min(confidence, Level.LOW)
                            if reached.at_most is not None:
                                confidence = min(confidence, reached.at_most)
                            starts.setdefault(identity, []).append((origin.steps[0] if origin.steps else call.step, confidence))
                            candidate = FlowFinding(reached, described(origin, reached.looked_up), confidence, None,
                                                    origin_steps=origin.steps, caller=call.caller, steps=steps)
                            if found is None or _better_flow(candidate, found, prefer, helpers):
                                findings[identity] = candidate
    flows = []
    for identity in sorted(findings):  # (in a fixed order too)
        flow = findings[identity]
        _evidence(flow, helpers)
        flow.sources = flow_sources(starts[identity])
        flows.append(flow)
    return flows


class _CallsOf:
    """The call sites of some functions (those with records to extend). A packed group of call
    sites is decoded only when it calls one of them not asked for before, and then only their
    calls are kept: few (functions with a sink), and a large project's groups are not all held
    decoded (see cache.Packed)."""

    def __init__(self, calls: list[CallSite | Packed]) -> None:
        self.by_callee: dict[str, list[CallSite]] = {}
        self.packed: list[Packed] = []
        for call in calls:
            if call.__class__ is Packed:
                self.packed.append(call)
            else:
                self.by_callee.setdefault(call.callee, []).append(call)
        self.asked: set[str] = set()  # the functions whose packed calls are in by_callee

    def __call__(self, functions: set[str]) -> Iterator[CallSite]:
        if self.packed:
            self._unpack(functions - self.asked)
        by_callee = self.by_callee
        for function in functions:
            calls = by_callee.get(function)
            if calls is not None:
                yield from calls

    def _unpack(self, functions: set[str]) -> None:
        if not functions:
            return
        self.asked |= functions
        by_callee = self.by_callee
        for group in self.packed:
            if functions.isdisjoint(group.index):
                continue
            for site in group.value():
                if site.callee in functions:
                    by_callee.setdefault(site.callee, []).append(site)


_STEP_ORDER = attrgetter("path", "line", "col", "note")


def _better_record(record: SinkRecord, known: SinkRecord) -> bool:
    """Is ``record`` a better flow than ``known`` from a function's parameter into one sink: one
    without the caps on the confidence of the flows through it (a value the parameter only finds
    an object by, a same-host check a backslash gets through, the rule's own limit on a sink of
    the line), then shorter, then earlier (see _compare_steps), then the leftmost sink on the line."""
    if record.looked_up != known.looked_up:
        return known.looked_up
    if record.backslash_open != known.backslash_open:
        return known.backslash_open
    if record.at_most != known.at_most:
        return known.at_most is not None and (record.at_most is None or record.at_most > known.at_most)
    order = _compare_steps(record.steps, known.steps)
    if order:
        return order < 0
    return (record.col, record.end_line, record.end_col) < (known.col, known.end_line, known.end_col)


def _better_flow(candidate: FlowFinding, found: FlowFinding, prefer: Callable[[list[TraceStep]], bool] | None,
                 helpers: HelperSteps | None) -> bool:
    """Is ``candidate`` the flow to report into its sink rather than ``found``: preferred, more
    confident, or as confident with a shorter evidence, then one that comes first (see
    _compare_steps). The evidence is made only when it decides."""
    if prefer is not None:
        preferred = prefer(_evidence(candidate, helpers))
        if preferred != prefer(_evidence(found, helpers)):
            return preferred
    if candidate.confidence != found.confidence:
        return candidate.confidence > found.confidence
    order = _compare_steps(_evidence(candidate, helpers), _evidence(found, helpers)) or \
        _compare_steps(candidate.steps, found.steps)
    if order:
        return order < 0
    return (candidate.description, len(candidate.origin_steps), candidate.caller or "") < \
        (found.description, len(found.origin_steps), found.caller or "")


def _compare_steps(steps: Sequence[TraceStep], others: Sequence[TraceStep]) -> int:
    """The order of two flows into a sink (negative: ``steps`` first): the fewest steps, then
    the first to take a step earlier in the project (by path, line, column, note), then by the
    helpers' steps they went through. (Shorter and earlier stay so with the same steps before
    them: a caller extends the best flow of its callee.)"""
    if len(steps) != len(others):
        return len(steps) - len(others)
    if steps == others:  # (the same steps, or equal ones: the usual case when a record is found again)
        return _compare_keys(tuple(map(via_order, steps)), tuple(map(via_order, others)))
    return _compare_keys(tuple(map(_STEP_ORDER, steps)), tuple(map(_STEP_ORDER, others))) or \
        _compare_keys(tuple(map(via_order, steps)), tuple(map(via_order, others)))


def _compare_keys(a: tuple, b: tuple) -> int:
    return -1 if a < b else (1 if a > b else 0)


def _evidence(flow: FlowFinding, helpers: HelperSteps | None) -> list[TraceStep]:
    """The flow's evidence: its steps with those inside helpers of other files, one per line."""
    if flow.trace is None:
        flow.trace = _ordered(expand_steps(flow.steps, helpers))
    return flow.trace


def _index_of(params: list[str], name: str) -> int | None:
    return params.index(name) if name in params else None


def _ordered(steps) -> list[TraceStep]:
    seen: dict[tuple[str, int], TraceStep] = {}
    for step in steps:
        seen.setdefault((step.path, step.line), step)
    return list(seen.values())


def helper_steps(summaries) -> HelperSteps:
    """The steps of a helper of another file (findings.HelperRef), from the project's summaries
    (by name): those of what it returns of that parameter, preferring a flow no sanitizer
    touched (the one a finding went through: sanitized for its CWE, it would not reach the
    sink). None when the helper is not known (its steps are then left out of the evidence)."""
    known: dict[HelperRef, tuple[TraceStep, ...] | None] = {}

    def steps_of(ref: HelperRef) -> tuple[TraceStep, ...] | None:
        if ref not in known:
            known[ref] = _returned_steps(_summary_named(summaries, ref.qualname), ref.param)
        return known[ref]
    return steps_of


def _summary_named(summaries, name: str):
    summary = summaries.get(name)
    for _ in range(MAX_ALIASES):  # (a re-export of a re-export: see FunctionSummary.alias_of)
        if summary is None or summary.alias_of is None:
            break
        summary = summaries.get(summary.alias_of)
    return summary


def _returned_steps(summary, param: int) -> tuple[TraceStep, ...] | None:
    if summary is None:
        return None
    candidates = [origin for origin in _origins_of(summary.returns) if origin.param == param and origin.steps]
    if not candidates:
        return None
    return min(candidates, key=lambda origin: (bool(origin.sanitized), origin.order_key)).steps


def _origins_of(value: Taint):
    yield from value.origins
    for _, item in value.items or ():
        yield from _origins_of(item)


def with_helper_steps(findings: list[Finding], helpers: HelperSteps) -> None:
    """Every finding's trace with the steps of the helpers of other files it went through
    (made in each file's analysis, they name those helpers: see findings.TraceStep.via)."""
    for finding in findings:
        if any(step.via for step in finding.trace):
            finding.trace = _ordered(expand_steps(finding.trace, helpers))
