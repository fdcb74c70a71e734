"""What a rule is: its metadata (id, CWE, severity, text) kept next to its check function.

A rule module declares rules with the ``@rule(...)`` decorator. The check receives one AST node and
the ``RuleContext`` and returns (or yields) ``Hit``s; the engine turns hits into findings with the
rule's metadata. Rules say which nodes they want so one AST pass can dispatch to all of them:
``calls`` (import-resolved qualified names such as ``subprocess.run``), ``methods`` (attribute name
of any call such as ``execute``) or ``nodes`` (AST node types; for names and attributes, ``names``
narrows them to a few identifiers; for calls, ``keywords`` to those passing one of a few keyword
arguments; for assignments, ``targets`` to those storing into a few names).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Iterable

from secreview.findings import FlowSource, Level, TraceStep
from secreview.rules.handed import HANDED_BY

HIGH, MEDIUM, LOW = Level.HIGH, Level.MEDIUM, Level.LOW


@dataclass
class Hit:
    """One occurrence reported by a rule's check."""

    node: ast.AST
    message: str = ""
    severity: Level | None = None
    confidence: Level | None = None
    trace: list[TraceStep] = field(default_factory=list)
    solution: str = ""
    cwe: int | None = None  # a rule may refine its CWE per occurrence (e.g. eval of input: 95)
    sources: tuple[FlowSource, ...] = ()  # where every flow found into the sink starts (TaintReport.sources)
    # Where the untrusted value comes from (dataflow.values.root_of): the findings of a rule that
    # one unchecked value reaches at several sinks are one defect (see secreview/root_causes.py).
    root: tuple = ()
    # The flows found through this sink from the callers of its function (dataflow/project.py):
    # at this confidence at most, with this caveat after their message (a sink whose danger
    # depends on what the rule saw there, not on the data: SQL literals escaped for some dialects).
    flows_at_most: Level | None = None
    flows_caveat: str = ""
    # No finding of its own (the value here is no untrusted data the rule reports by itself): the
    # hit only carries ``flows_at_most``/``flows_caveat`` to the flows reaching the sink from callers.
    limits_only: bool = False


CheckFn = Callable[[ast.AST, "RuleContext"], "Hit | Iterable[Hit] | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    cwe: int
    severity: Level
    confidence: Level
    description: str  # what the defect is and why it matters (rule documentation)
    solution: str  # how to fix it, concretely
    check: CheckFn = field(repr=False, compare=False)
    message: str = ""  # default occurrence message; may use {name} for the called name
    bandit: tuple[str, ...] = ()
    example: str = ""  # vulnerable code, for `secreview rules ID`
    fixed: str = ""  # the same code fixed
    calls: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    nodes: tuple[type, ...] = ()
    # With ast.Name/ast.Attribute in ``nodes``: only the names/attributes whose identifier is one of
    # these are handed to the check (the dispatcher then never sees the others).
    names: frozenset[str] = frozenset()
    # With ast.Call in ``nodes``: only the calls passing a keyword argument named one of these
    # (``shell=``, ``run_as_root=``) are handed to the check.
    keywords: frozenset[str] = frozenset()
    # With ast.Assign in ``nodes``: only the assignments with a target named one of these (``NAME``
    # for ``NAME = ...`` and ``x.NAME = ...``, ``NAME[]`` for ``NAME[k] = ...`` and ``x.NAME[k] = ...``).
    targets: frozenset[str] = frozenset()
    family: str = ""
    # The most confidence any finding of this rule may have, however sure the data flow is (e.g.
    # log injection: the impact depends on the log handler, which the code does not show).
    max_confidence: Level = Level.HIGH
    # The least confident source a finding of this rule may come from, in the file and through
    # helpers (e.g. lookup names: a library function's parameter naming a field is its API).
    min_source_confidence: Level = Level.LOW
    # The id of a broader rule whose finding at the same place (same call) says all this one's
    # would, with a fix that covers it: this rule's finding there is dropped when that one is
    # reported (or suppressed) at least as confidently (see engine.drop_yielded). E.g. urllib's
    # file: scheme (CWE-73) yields to SSRF (CWE-918), whose scheme allow-list closes both.
    yields_to: str = ""
    # Whether the findings of this rule that one unchecked value reaches at several calls are one
    # defect, reported once with the other calls listed (see secreview/root_causes.py): the value is
    # what to check, once (a path, a URL, a command). False where the defect is each call itself,
    # whatever the data (a weak hash over request data, a token decoded without its signature).
    groups_sinks_by_source: bool = True

    def confidence_of(self, found: Level | None) -> Level:
        return min(found or self.confidence, self.max_confidence)

    def run(self, node: ast.AST, ctx: "RuleContext") -> list[Hit]:
        result = self.check(node, ctx)
        if result is None:
            return []
        if isinstance(result, Hit):
            return [result]
        return list(result)


REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    id: str,
    title: str,
    cwe: int,
    severity: Level,
    confidence: Level,
    description: str,
    solution: str,
    message: str = "",
    bandit: Iterable[str] = (),
    example: str = "",
    fixed: str = "",
    calls: Iterable[str] = (),
    methods: Iterable[str] = (),
    nodes: Iterable[type] = (),
    names: Iterable[str] = (),
    keywords: Iterable[str] = (),
    targets: Iterable[str] = (),
    max_confidence: Level = Level.HIGH,
    min_source_confidence: Level = Level.LOW,
    yields_to: str = "",
    groups_sinks_by_source: bool = True,
) -> Callable[[CheckFn], CheckFn]:
    """Register a rule; its check function is the decorated function."""

    def register(check: CheckFn) -> CheckFn:
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        module = check.__module__.rsplit(".", 1)[-1]
        REGISTRY[id] = Rule(
            id=id, title=title, cwe=cwe, severity=severity, confidence=confidence,
            description=_clean(description), solution=_clean(solution), check=check,
            message=message, bandit=tuple(bandit), example=_clean_code(example),
            fixed=_clean_code(fixed), calls=tuple(calls), methods=tuple(methods),
            nodes=tuple(nodes), names=frozenset(names), keywords=frozenset(keywords),
            targets=frozenset(targets), family=module, max_confidence=max_confidence,
            min_source_confidence=min_source_confidence, yields_to=yields_to,
            groups_sinks_by_source=groups_sinks_by_source,
        )
        return check

    return register


def _clean(text: str) -> str:
    return " ".join(text.split())


def _clean_code(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n")


def trace_to_sink(ctx: "RuleContext", node: ast.AST, trace: list[TraceStep], sink_note: str) -> list[TraceStep]:
    """The evidence of a flow: its steps, then the sink's line with ``sink_note`` (merged with the
    last step when that is on the same line: one evidence line per source line)."""
    line = getattr(node, "lineno", 0)
    trace = list(trace)
    via = ()
    if trace and trace[-1].line == line and trace[-1].path == ctx.path:
        merged = trace.pop()
        sink_note, via = f"{merged.note}; {sink_note}", merged.via
    sink = TraceStep(ctx.path, line, getattr(node, "col_offset", 0), ctx.parsed.source_line(line).strip(), sink_note)
    if via:  # (the steps inside a helper of another file the value went through on this line)
        sink = sink.with_via(via)
    return [*trace, sink]


def dynamic_value_hit(
    ctx: "RuleContext",
    node: ast.AST,
    value: ast.expr | None,
    *,
    tainted: str,
    dynamic: str,
    tainted_severity: Level | None = None,
    dynamic_severity: Level | None = None,
    sink_note: str = "untrusted value used here",
    operator_may_choose: bool = False,
    proofs: bool = True,
) -> Hit | None:
    """The standard decision for injection-type sinks, shared by every such rule:

    - ``value`` is constant (literal, or bound only to literals): no finding;
    - untrusted data reaches it (data-flow engine): a finding with the source's confidence, the
      trace as evidence, and the ``tainted`` message (``{source}`` is replaced by the source);
    - the data flow proved it safe for the rule's CWE on every path (a conversion, an
      allow-list check, a converted route parameter, a sanitizer for that CWE; unless
      ``proofs`` is False: the sink undoes what made it safe): no finding;
    - otherwise it is dynamic with unknown origin: a finding with the ``dynamic`` message, at
      medium confidence without the data-flow engine, low with it (it found no untrusted source).
    """
    if value is None or ctx.is_constant(value):
        return None
    taint = ctx.taint(value, operator_may_choose)
    if taint is not None:
        handed_by = getattr(node, HANDED_BY, None)
        if handed_by is not None:  # ``pool.submit(os.system, cmd)``: see rules/handed.py
            sink_note = f"passed to `{ctx.source(node.func)}()` through `{handed_by}`; {sink_note}"  # type: ignore[attr-defined]
        return Hit(node, message=_with_source(tainted, taint.description), confidence=taint.confidence,
                   trace=trace_to_sink(ctx, node, taint.trace, sink_note), severity=tainted_severity, sources=taint.sources,
                   root=taint.root)
    if ctx.flow is None:
        confidence = MEDIUM
    elif proofs and ctx.proven_safe(value):
        return None
    else:
        confidence = LOW
    return Hit(node, message=dynamic, confidence=confidence, severity=dynamic_severity)


def _with_source(message: str, source: str) -> str:
    """``message`` (a format string: reviewed code in it has its braces doubled) with ``{source}``
    filled in. Reviewed code put in unescaped (``"{shell} -c {cmd}".format``) must not break the
    review of the file: its braces are then kept as they are."""
    try:
        return message.format(source=source)
    except (KeyError, IndexError, ValueError, AttributeError):
        return message.replace("{source}", source)


# Imported late to avoid a cycle: the context needs Hit, rules need the context type only.
from secreview.rules.context import RuleContext  # noqa: E402
