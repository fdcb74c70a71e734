"""Project-level resolution of sinks reached through helper functions (and across files).

Each file's analysis yields ``SinkRecord``s (a parameter of F reaches a sink inside F) and
``CallSite``s (F is called with these argument taints). Propagating records up the call graph to a
fixpoint finds: untrusted data passed to a helper that wraps a sink (a finding at the sink, whose
trace starts at the caller's source), and callers that forward their own parameter to such a helper
(they become sink wrappers in turn: ``utils.execute``-style functions).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

from secreview.cache import Packed
from secreview.dataflow import SinkRecord
from secreview.dataflow.analyzer import CallSite
from secreview.dataflow.values import ATTRIBUTE, INPUT, HelperSteps, Taint, described, expand_steps, ordered, reported_origin, root_of
from secreview.findings import Finding, FlowSource, HelperRef, Level, TraceStep, flow_sources
from secreview.models import OPERATOR_CHOSEN_PROGRAM_SOURCES

MAX_ROUNDS = 6

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
    trace: list[TraceStep]
    # Where every flow found into the sink starts, not only this one (see findings.FlowSource).
    sources: tuple[FlowSource, ...] = ()
    origin_steps: tuple[TraceStep, ...] = ()  # the steps of the value in the caller, for ``root``
    caller: str | None = None  # the function calling towards the sink with it

    @property
    def root(self) -> tuple:
        """Where the value comes from (values.root_of): one defect, one finding."""
        return root_of(self.origin_steps, self.caller)


def resolve(records: list[SinkRecord], calls: list[CallSite | Packed], param_names: dict[str, list[str]],
            prefer: Callable[[list[TraceStep]], bool] | None = None,
            helpers: HelperSteps | None = None) -> list[FlowFinding]:
    """One finding per sink: the most confident flow, or with ``prefer`` (reviewing a change: does
    the trace pass through a changed line?) first a preferred one, so a new caller of an old sink
    is the flow reported. ``calls``: call sites, or a cached file's call sites packed (the names
    they call as index: decoded only when one of them has a sink). ``helpers``: the steps of the
    helpers of other files on the traces (see ``helper_steps``)."""
    by_function: dict[tuple[str, int], list[SinkRecord]] = {}
    with_sinks: set[str] = set()  # the functions in by_function

    def add(record: SinkRecord) -> bool:
        key = (record.function, record.param)
        existing = by_function.setdefault(key, [])
        for position, known in enumerate(existing):
            if known.rule_id == record.rule_id and known.path == record.path and known.line == record.line:
                if known.looked_up and not record.looked_up:  # (the parameter itself reaches it too)
                    existing[position] = record
                    return True
                return False
        existing.append(record)
        with_sinks.add(record.function)
        return True

    for record in records:
        add(record)
    findings: dict[tuple, FlowFinding] = {}
    starts: dict[tuple, list[tuple[TraceStep, Level]]] = {}  # the sources of every flow into each sink
    calls_of_functions_with_sinks = _CallsOfFunctionsWithSinks(calls)
    for _ in range(MAX_ROUNDS):
        changed = False
        for call in calls_of_functions_with_sinks(with_sinks):
            for key, argument in call.arguments.items():
                index = key if isinstance(key, int) else _index_of(param_names.get(call.callee, []), key)
                if index is None:
                    continue
                for record in by_function.get((call.callee, index), []):
                    if index in call.tail_only and record.rule_id in TAIL_ELEMENT_RULES:
                        rule_id, cwe = TAIL_ELEMENT_RULES[record.rule_id]
                        record = replace(record, rule_id=rule_id, cwe=cwe, operator_may_choose=False)
                    for origin in ordered(argument.origins):
                        if (origin.kind != INPUT and origin.kind != ATTRIBUTE) or not origin.reaches(record.cwe):
                            continue
                        if origin.sanitized:  # (a same-host check a backslash gets through: see values.as_reported)
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
                                changed |= add(replace(reached, function=origin.description, param=origin.param, steps=steps))
                            continue
                        if origin.param is not None:
                            changed |= add(replace(reached, function=call.caller, param=origin.param, steps=steps))
                        if origin.reportable:
                            identity = (record.rule_id, record.path, record.line, record.col)
                            found = findings.get(identity)
                            confidence = min(origin.confidence, Level.MEDIUM) if reached.backslash_open else origin.confidence
                            if reached.looked_up:
                                confidence = min(confidence, Level.LOW)
                            if reached.at_most is not None:
                                confidence = min(confidence, reached.at_most)
                            starts.setdefault(identity, []).append((origin.steps[0] if origin.steps else call.step, confidence))
                            candidate = FlowFinding(reached, described(origin, reached.looked_up), confidence, _ordered(expand_steps(steps, helpers)),
                                                    origin_steps=origin.steps, caller=call.caller)
                            if found is None or _rank(candidate, prefer) > _rank(found, prefer):
                                findings[identity] = candidate
        if not changed:
            break
    for identity, flow in findings.items():
        flow.sources = flow_sources(starts[identity])
    return list(findings.values())


class _CallsOfFunctionsWithSinks:
    """The call sites in order, but of a packed group only the calls of functions that have a
    sink when the group's turn comes (the others would find no record, and add none; a call of a
    function that gains one later in the round is seen in the next round). A group is decoded
    again only when a function it calls has gained a sink since it was last read: the calls kept
    are few, and a large project's groups are not all held decoded (see cache.Packed)."""

    def __init__(self, calls: list[CallSite | Packed]) -> None:
        self.calls = calls
        self.read: dict[int, tuple[set[str], list[CallSite]]] = {}  # group's position -> (callees wanted, their calls)

    def __call__(self, with_sinks: set[str]) -> Iterator[CallSite]:
        for position, call in enumerate(self.calls):
            if call.__class__ is not Packed:
                yield call
                continue
            if with_sinks.isdisjoint(call.index):
                continue
            wanted = with_sinks.intersection(call.index)
            known = self.read.get(position)
            if known is None or not wanted <= known[0]:
                known = self.read[position] = (wanted, [site for site in call.value() if site.callee in wanted])
            yield from known[1]


def _rank(flow: FlowFinding, prefer: Callable[[list[TraceStep]], bool] | None) -> tuple:
    return (prefer is not None and prefer(flow.trace), flow.confidence)


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
    for _ in range(MAX_ROUNDS):  # (a re-export of a re-export: see FunctionSummary.alias_of)
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
