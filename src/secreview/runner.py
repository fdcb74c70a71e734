"""Running a review at scale: cache look-ups, worker processes across files, progress.

This module decides which files need analysing (the cache answers for the others), runs the
engine's per-file work in parallel, and merges the per-file results in input order, so the report
is the same whatever the number of jobs.

When every file of the review is unchanged since the last run (by its identity alone), the whole
report is one cache entry ("tree snapshot", snapshot.py): nothing is read, parsed or merged,
and the command line asks it before importing this module. Otherwise:

    1. read every file (content hash, cache look-up, a scan of its imports: dataflow/order.py),
       but a file the cache knows unchanged by its identity: its result carries its imports;
    2. analyse the files the cache did not answer, the files a file imports first, in worker
       processes; each worker is told the function summaries the others found. A file's own
       summaries are computed with those of the files it imports, directly or not (its visible
       files), and its review with all the summaries known when it is analysed
       (``Reviewer.analyse``);
    3. once every file's summaries are known, analyse again each file whose analysis asked a
       question they now answer differently (dataflow/linking.py): a file of an import cycle
       analysed before another, or a cached result whose helper changed -- in rounds, until no
       answer changes (a helper whose summaries changed changes those of its users);
    4. then once: sinks reached through helpers, project-wide (engine).

Every file's summaries depend only on its content and its visible files, and its review on every
file's summaries: the report is the same whatever the order or the number of jobs; most files are
parsed and analysed once. No syntax tree outlives its file's analysis (keeping every tree would
not fit a large monorepo in memory), and what a file's analysis leaves for the others (its
summaries, its calls of project functions) is kept packed, on disk when the cache is on or the
tree is large (spill.py), decoded only where looked inside; file bytes are kept from their first
read only up to a budget. What stays in memory is an index of names (and what each file asked).

A file's cached outcome records whose summaries it used (the defining file and a digest of its
summaries), so after an edit only the edited file and the files that use its changed functions
are analysed again.
"""
from __future__ import annotations

import dataclasses
import gc
import heapq
import operator
import os
import signal
import sys
import time
from typing import Any, Callable, Iterable, NamedTuple

from secreview import cache as cache_store
from secreview import spill as spill_files
from secreview.config import Config
from secreview.dataflow import SinkRecord
from secreview.dataflow.analyzer import CallSite, FunctionSummary
from secreview.dataflow import linking
from secreview.dataflow.linking import Dependencies, ProjectTable, summaries_index
from secreview.dataflow.project import helper_steps, with_helper_steps
from secreview.dataflow.order import ImportScan, components_dependencies_first, order_of, scan_imports
from secreview.dataflow.routes import FAMILY_SEPARATOR, ROUTES_ENTRY
from secreview.dataflow.values import OTHER_KEYS, Origin, Taint
from secreview.engine import FileOutcome, KeptAnalysis, Reviewer, guarded, helper_columns_in_characters
from secreview.findings import Diagnostic
from secreview.inputs import SourceFile, read_bytes
from secreview.result import ReviewResult
from secreview.snapshot import RunStats, Snapshot, ask_snapshot

# What a file's outcome is made of (the cache restores only registered types).
# (snapshot.py registers what a review's result is made of.)
for _type in (FileOutcome, SinkRecord, CallSite, FunctionSummary, Origin, Taint, ImportScan):
    cache_store.register(_type)
cache_store.register(Dependencies, (linking.CACHE_PARTS, linking.cache_parts, linking.from_cache_parts))
cache_store.order_by(Origin, operator.attrgetter("order_key"))
cache_store.register_constant("OTHER_KEYS", OTHER_KEYS)  # (origins are most of what is sorted)

# The bytes of the files to analyse kept from their first read (for the order: content hash,
# imports) until analysed; beyond this, a file is read again when analysed.
KEPT_SOURCE_BYTES = 32_000_000
# The packed parts of cached outcomes kept in memory (their text); beyond, they are spilled to
# disk (see spill.py).
KEPT_PACKED_BYTES = 32_000_000
# Without the cache, outcomes are packed and spilled to disk (see spill.py) when the files to
# analyse are more than this: packing costs a few percent of the analysis.
SPILL_ABOVE_BYTES = 32_000_000
# A file of an import cycle analysed before the files of the cycle that define names it asked for
# is reviewed again once they are done (see _ReviewAgain): its first analysis is kept for that
# review (see engine.KeptAnalysis), for files of up to this many bytes in all per process (an
# analysis holds about 50 times its file's size); beyond, the oldest kept is dropped.
KEPT_ANALYSES_BYTES = 2_000_000
# Below this many files to analyse, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 8
# Show a progress bar only when at least this many files are analysed...
PROGRESS_MIN_FILES = 50
# ...and only once the review has run this long (short reviews never flash a bar).
PROGRESS_DELAY_SECONDS = 0.5
# Rounds of analysing again the files told something the complete project answers differently.
# Summaries only grow along import cycles, so a few rounds settle the largest trees; more means a
# bug, and the review then ends saying so rather than running on.
MAX_ROUNDS = 25
OUTCOME_SLOT = "outcome"  # the dependency slot of a file's outcome (it validates its own dependencies)


def available_cores() -> int:
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13: honours CPU affinity
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# --- reading ------------------------------------------------------------------------------------
@dataclasses.dataclass
class _Read:
    """A file as read for this review."""

    source: SourceFile  # with its bytes in ``data`` until handed to the analysis (see _read_all)
    content_hash: str = ""
    stat: os.stat_result | None = None
    problem: Diagnostic | None = None  # could not be read
    scan: ImportScan | None = None  # its imports (for the order; kept with its cached result)
    recalled: bool = False  # not read: the cache knows its content by its identity (see _recall)


def _read(source: SourceFile) -> _Read:
    stat = None
    if source.data is None and source.file is not None:
        try:
            stat = os.stat(source.file)
        except OSError:
            stat = None
    data = read_bytes(source)
    if isinstance(data, Diagnostic):
        return _Read(source, problem=data)
    return _Read(dataclasses.replace(source, data=data), cache_store.content_hash(data), stat,
                 scan=scan_imports(data, source.module_name, _is_package(source)))


def _recall(source: SourceFile, store: cache_store.Cache | None) -> _Read:
    """A file unchanged since the cache last saw it (same identity: path, size, times, inode) is
    not read: its content hash comes from the cache's index, its imports with its cached result
    (see _cached_outcomes). Any other file is read."""
    if store is not None and source.data is None and source.file is not None:
        try:
            stat = os.stat(source.file)
        except OSError:
            return _read(source)
        known = store.known_hash(os.path.abspath(source.file), stat)
        if known is not None:
            return _Read(source, known, stat, recalled=True)
    return _read(source)


def _is_package(source: SourceFile) -> bool:
    name = source.file.name if source.file is not None else source.path
    return os.path.basename(str(name)) == "__init__.py"


def _cache_key(store: cache_store.Cache, read: _Read) -> str:
    return store.result_key(read.content_hash, read.source.path, read.source.module_name, OUTCOME_SLOT)


# --- the work of one file (in a worker process, or in this one) ---------------------------------
class _Task(NamedTuple):
    """A file to analyse ("analyse": ``payload`` is its ``_Read``, bytes included), or to analyse
    again ("reanalyse": ``payload`` is its SourceFile; with ``previous``, its outcome whose own
    summaries are still valid, only its review is redone)."""

    kind: str
    index: int
    payload: Any
    size: int  # (bytes or lines: the largest ready file goes first)
    visible: int | None  # the files its own summaries are computed with (see _visible_files)
    previous: FileOutcome | None = None
    # To analyse: the modules of its import cycle analysed after it (its analysis is kept when it
    # asked for one of their names: see KEPT_ANALYSES_BYTES).
    later_modules: frozenset[str] = frozenset()
    holder: "_Worker | None" = None  # to review again: the worker that may have kept its analysis


def _tune_gc() -> None:
    # A syntax tree is hundreds of thousands of acyclic objects freed by reference counting; the
    # default thresholds make the cycle collector scan them over and over while they are built.
    # A file's analysis (its tree, facts and data-flow state) is freed by reference counting when
    # the file is done: with a young generation larger than one file's objects, a collection
    # rarely finds them alive (at 50,000 it scanned them mid-analysis: 3% of a review's CPU on
    # Django; at 500,000, 0.2%, peak memory +4%).
    gc.freeze()
    gc.set_threshold(500_000, 20, 20)


class _Analyst:
    """Analyses files with the summaries it has been told (one per worker process)."""

    def __init__(self, reviewer: Reviewer, store: cache_store.Cache | None, spill_folder: str | None = None,
                 in_worker: bool = False) -> None:
        self.reviewer = reviewer
        self.store = store
        self.table = ProjectTable() if reviewer.dataflow else None
        # An outcome is handed on as the cache stores it, its summaries and call sites packed
        # (their text and a small index), the text spilled to disk (spill.py), when the cache
        # packs them anyway or the review spills: the parent keeps, and tells the other workers,
        # where it is; it is decoded only where an analysis or the project pass looks inside
        # (see cache.Packed) -- less to send, to keep and to decode, and memory that does not
        # grow with the project.
        self.packed_outcomes = store is not None or spill_folder is not None
        # Otherwise, a worker hands them on pickled apart (see cache.Packed.pickled): the parent
        # does not decode them, and the other workers decode only the summaries they look up.
        self.pickled_outcomes = in_worker and not self.packed_outcomes
        self.spill = _spill_file(spill_folder)
        self.kept = _KeptAnalyses(KEPT_ANALYSES_BYTES)

    def learn(self, known: list[tuple[int, str, str, dict]]) -> None:
        if self.table is not None:
            for index, path, version, summaries in known:
                self.table.add(index, path, version, summaries)

    def analyse(self, index: int, read: _Read, visible: int | None,
                later_modules: frozenset[str] = frozenset()) -> FileOutcome | ReviewResult:
        """A FileOutcome, or a ReviewResult with the diagnostic of a crash (never cached). The
        analysis is kept when the file asked for a name of ``later_modules`` (see _KeptAnalyses)."""
        if read.source.data is None:  # (its bytes were not kept: see _read_all)
            read = _read(read.source)
            if read.problem is not None:  # unreadable now
                return ReviewResult(diagnostics=[read.problem])
        source = dataclasses.replace(read.source, file=None)
        # The summaries are packed once: canonically, for their digest, and stored as that text.
        memo: dict | None = {} if self.store is not None else None
        digest = (lambda summaries: cache_store.value_digest(summaries, memo)) if memo is not None else None
        analysis: list[KeptAnalysis] = []
        keep = analysis.append if later_modules else None
        outcome = guarded(source.path, self.reviewer.analyse, source, self.table, index, read.content_hash, digest, visible, keep)
        if not isinstance(outcome, FileOutcome):
            return ReviewResult(diagnostics=[outcome])
        if analysis and _may_be_told_more(outcome.dependencies, later_modules):
            self.kept.add(index, dataclasses.replace(read, source=dataclasses.replace(read.source, data=None)), analysis[0])
        if not _crashed(outcome.result):  # (its summaries are known and kept; the crash may not recur)
            return self._hand_on(index, read, outcome, memo)
        return outcome

    def reanalyse(self, index: int, source: SourceFile, visible: int | None, previous: FileOutcome | None) -> FileOutcome | ReviewResult:
        """The file's outcome with every summary known (this analyst has been told them all):
        its review alone when its own summaries in ``previous`` are still valid, else all of it."""
        kept = self.kept.take(index) if previous is not None else None
        if kept is not None and kept[0].content_hash == previous.content_hash:
            read, analysis = kept  # (the bytes analysed first, reviewed again)
        else:
            read, analysis = _read(source), None
        if read.problem is not None:  # unreadable now
            return ReviewResult(diagnostics=[read.problem])
        if previous is None or read.content_hash != previous.content_hash:  # (changed during the review: what is there now)
            return self.analyse(index, read, visible)
        loaded = dataclasses.replace(read.source, file=None)
        result = guarded(source.path, self.reviewer.reanalyse, loaded, self.table, analysis)
        if not isinstance(result, tuple):  # its summaries stay (other files were told them); it asked nothing
            return dataclasses.replace(previous, result=ReviewResult(diagnostics=[result]), dependencies=Dependencies())
        review, dependencies = result
        outcome = dataclasses.replace(previous, result=review, dependencies=dependencies)
        return self._hand_on(index, read, outcome)

    def run(self, task: "_Task") -> FileOutcome | ReviewResult:
        if task.kind == "analyse":
            return self.analyse(task.index, task.payload, task.visible, task.later_modules)
        return self.reanalyse(task.index, task.payload, task.visible, task.previous)

    def _hand_on(self, index: int, read: _Read, outcome: FileOutcome, memo: dict | None = None) -> FileOutcome:
        """Store ``outcome`` in the cache (if any); the outcome to hand on (see packed_outcomes)."""
        in_cache = self.store is not None and read.source.file is not None
        if self.pickled_outcomes:
            return _with_parts_packed(outcome, cache_store.Packed.pickled)
        if read.scan is None or not (in_cache or self.packed_outcomes):
            return outcome
        try:
            stored = _as_stored(outcome, read.scan, memo)
        except (cache_store.NotCacheable, RecursionError, ValueError):
            return outcome  # (a value the cache cannot hold: the file is analysed again next time)
        if in_cache:
            self.store.store(_cache_key(self.store, read), stored)
        if not self.packed_outcomes:
            return outcome
        if self.spill is not None:
            if stored.summaries.__class__ is cache_store.Packed:
                stored.summaries.spill(self.spill)  # (kept decoded while used: files that import it come next)
            for part in stored.result.call_sites:
                if part.__class__ is cache_store.Packed:
                    part.spill(self.spill, keep_value=False)  # (for the parent's project pass)
        if self.table is not None and isinstance(outcome.summaries, dict) and outcome.summaries:
            # Its own summaries, just computed: kept packed here too, like every other file's.
            self.table.add(index, stored.path, stored.summaries_version, stored.summaries)
        return dataclasses.replace(stored, imports=None)  # (the parent has them: its read's scan)


class _KeptAnalyses:
    """The first analyses kept for a review again (see KEPT_ANALYSES_BYTES), with the read they
    analysed (its bytes dropped: the tree holds the file), the oldest dropped beyond ``budget``
    bytes of files."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.kept: dict[int, tuple[_Read, KeptAnalysis]] = {}  # (in the order kept)
        self.size = 0

    def add(self, index: int, read: _Read, analysis: KeptAnalysis) -> None:
        size = read.scan.size if read.scan is not None else 0
        if size > self.budget:
            return
        self.size += size
        self.kept[index] = (read, analysis)
        while self.size > self.budget:
            oldest = next(iter(self.kept))
            self.size -= self.kept.pop(oldest)[0].scan.size

    def take(self, index: int) -> tuple[_Read, KeptAnalysis] | None:
        """The file's kept analysis, no longer kept (a file is seldom reviewed again twice)."""
        taken = self.kept.pop(index, None)
        if taken is not None:
            self.size -= taken[0].scan.size
        return taken

    def clear(self) -> None:
        self.kept.clear()
        self.size = 0


def _may_be_told_more(dependencies: Dependencies, modules: frozenset[str]) -> bool:
    """Did the analysis ask for a name of one of ``modules`` (a function, a class, a method) and
    was not told it (not defined yet: a review again would be told)? (Names asked at calls nothing
    untrusted flows into are left out: what they are told seldom changes, see Dependencies.)"""
    for questions in (dependencies.functions, dependencies.classes):
        for name, answer in questions.items():
            if answer is None:
                module = name.rpartition(".")[0]
                if module in modules or module.rpartition(".")[0] in modules:
                    return True
    return False


def _spill_file(folder: str | None) -> spill_files.SpillFile | None:
    """This process's spill file in ``folder``; None (parts stay in memory) when there is no
    folder or the file cannot be made (the folder removed, no room)."""
    if folder is None:
        return None
    try:
        return spill_files.SpillFile(folder)
    except OSError:
        return None


def _crashed(result: ReviewResult) -> bool:
    return any(diagnostic.kind == "internal-error" for diagnostic in result.diagnostics)


def _as_stored(outcome: FileOutcome, scan: ImportScan, memo: dict | None) -> FileOutcome:
    """``outcome`` as the cache keeps it: with the file's imports (``scan``), and its summaries and
    its call sites packed apart, decoded when an analysis asks for one of the summaries, or the
    project pass for a call of a function with a sink (see cache.Packed): after an edit, most are
    never decoded."""
    return dataclasses.replace(_with_parts_packed(outcome, lambda value, index: cache_store.Packed.of(value, index, memo)),
                               imports=scan)


def _with_parts_packed(outcome: FileOutcome, pack: Callable[[Any, Any], cache_store.Packed]) -> FileOutcome:
    """``outcome`` with its summaries and its call sites packed apart by ``pack`` (value,
    index), each with the index its users ask before they need the part (see cache.Packed)."""
    summaries, calls = outcome.summaries, outcome.result.call_sites
    if isinstance(summaries, dict) and summaries:
        summaries = pack(summaries, summaries_index(summaries))
    if calls and not any(isinstance(call, cache_store.Packed) for call in calls):
        calls = [pack(calls, sorted({call.callee for call in calls}))]
    return dataclasses.replace(outcome, summaries=summaries, result=dataclasses.replace(outcome.result, call_sites=calls))


def _worker_main(connection, reviewer: Reviewer, cache_args: tuple | None, spill_folder: str | None) -> None:
    """A worker process: ("learn", known), ("forget", indexes) or a ``_Task`` in, ("done",
    index, outcome) out, until ("stop",) or the pipe closes."""
    _tune_gc()
    # Ctrl-C reaches every process of the terminal's group: the parent stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = cache_store.Cache(*cache_args) if cache_args is not None else None
    analyst = _Analyst(reviewer, store, spill_folder, in_worker=True)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "stop":
            return
        if kind == "learn":
            analyst.learn(message[1])
        elif kind == "forget":
            for index in message[1]:
                analyst.kept.take(index)
        else:
            connection.send(("done", message.index, analyst.run(message)))


# --- the run ------------------------------------------------------------------------------------
def run_review(
    sources: list[SourceFile],
    config: Config,
    diagnostics: list[Diagnostic] | None = None,
    *,
    jobs: int | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: bool = False,
    change: Any = None,
    stats: RunStats | None = None,
    reviewer: Reviewer | None = None,
    snapshot: Snapshot | None = None,
) -> ReviewResult:
    """Review ``sources``: cached results where valid, the rest with ``jobs`` processes.
    ``change`` limits the report to a change (see inputs.changes). ``snapshot``: the cache's
    whole-review entry (snapshot.py), when the caller already found it missing (then
    ``cache_dir`` is its cache's)."""
    stats = stats if stats is not None else RunStats()
    if snapshot is None:
        snapshot = ask_snapshot(sources, config, cache_dir, change, stats)
        recalled = snapshot.recall(diagnostics, stats)
        if recalled is not None:  # nothing changed since the last review of these files
            return recalled
    store = snapshot.store
    reviewer = reviewer if reviewer is not None else Reviewer(config)
    jobs = max(1, jobs or available_cores())
    stats.files = len(sources)

    with spill_files.Spill() as spill:
        try:
            reviewed, todo, again = _review(sources, store, reviewer, jobs, progress, change, stats, spill)
        finally:
            cache_store.forget_decoded()
    result = _final(reviewed, diagnostics, reviewer, change)
    if store is not None:
        store.save_index()
        if todo or again:
            store.prune()
        snapshot.remember(result, diagnostics)
    return result


def _review(sources: list[SourceFile], store: cache_store.Cache | None, reviewer: Reviewer, jobs: int, progress: bool,
            change: Any, stats: RunStats, spill: spill_files.Spill) -> tuple[ReviewResult, list[int], set[int]]:
    """The review of ``sources`` (its report part), the files analysed, and those analysed again."""
    reads = _read_all(sources, store)
    outcomes, todo = _cached_outcomes(reads, store, spill)
    order, imports = order_of([read.source.module_name for read in reads], [_scan(read) for read in reads])
    visible = _visible_files(order, imports)
    pending = set(todo)
    # The outcomes handed on are spilled (see spill.py) when the cache packs them anyway, or when
    # the review is large enough for packing them to be worth its cost (a small review without
    # the cache keeps them in memory).
    spilling = store is not None or sum(reads[index].scan.size for index in todo) > SPILL_ABOVE_BYTES
    with _Scheduler(reviewer, store, jobs, len(todo), progress, stats, spill.folder() if spilling else None) as scheduler:
        scheduler.learn([(i, o.path, o.summaries_version, o.summaries) for i, o in enumerate(outcomes) if isinstance(o, FileOutcome)])
        for index, outcome in scheduler.analyse([i for i in order if i in pending], reads, imports, visible, sources):
            outcomes[index] = outcome
        reads.clear()
        again, table = _analyse_until_stable(scheduler, outcomes, sources, reviewer, order, imports, visible, stats)
        again |= scheduler.reviewed_again
    stats.analysed = len(pending | again)
    stats.reanalysed = len(again)
    stats.cached = len(sources) - stats.analysed

    reviewed = ReviewResult(change=change)
    for outcome in outcomes:
        reviewed.merge(outcome.result if isinstance(outcome, FileOutcome) else outcome)
    outcomes.clear()
    if table is not None:
        # The evidence names the helpers of other files its flows went through; their steps are
        # those of the summaries the review settled on (see findings.TraceStep.via).
        helpers = helper_steps(table.summaries)
        with_helper_steps(reviewed.findings, helpers)
        with_helper_steps(reviewed.suppressed, helpers)  # (shown with --show-suppressed)
        helper_columns_in_characters(reviewed.findings + reviewed.suppressed, sources)  # (their steps' columns were ast's)
        problem = guarded("<project>", reviewer.add_interprocedural_findings, reviewed, sources, helpers)
        if isinstance(problem, Diagnostic):
            reviewed.diagnostics.append(problem)
    return _report_part(reviewed), todo, again


def _cached_outcomes(reads: list[_Read], store: cache_store.Cache | None,
                     spill: spill_files.Spill | None = None) -> tuple[list, list[int]]:
    """Every file's outcome known without analysing it (from the cache, or the diagnostic of a file
    that could not be read), and the indexes of the files to analyse. A file recalled (not read)
    whose result is not in the cache is read now (``reads`` is updated). The packed parts of the
    outcomes beyond KEPT_PACKED_BYTES are spilled to ``spill`` (see spill.py)."""
    outcomes: list[FileOutcome | ReviewResult | None] = [None] * len(reads)
    todo: list[int] = []
    kept = 0
    for index, read in enumerate(reads):
        if store is not None and read.problem is None and read.source.file is not None:
            store.remember(os.path.abspath(read.source.file), read.stat, read.content_hash)
            cached = store.load(_cache_key(store, read))
            if isinstance(cached, FileOutcome) and cached.imports is not None:  # (still to be checked: _outdated)
                outcomes[index] = cached
                parts = _packed_parts(cached)
                kept += sum(len(part._text or "") for part in parts)
                into = spill.file() if spill is not None and kept > KEPT_PACKED_BYTES else None
                for part in parts if into is not None else ():
                    part.spill(into, keep_value=False)
                read.scan = cached.imports
                read.source = dataclasses.replace(read.source, data=None)
                continue
        if read.recalled:
            reads[index] = read = _read(read.source)
            if read.problem is None and store is not None:  # (what it holds now, should it differ)
                store.remember(os.path.abspath(read.source.file), read.stat, read.content_hash)
        if read.problem is not None:
            outcomes[index] = ReviewResult(diagnostics=[read.problem])
            continue
        todo.append(index)
    return outcomes, todo


def _read_all(sources: list[SourceFile], store: cache_store.Cache | None) -> list[_Read]:
    """Every file as read (or recalled: see _recall), the bytes of the first KEPT_SOURCE_BYTES
    kept for the analysis; the others are read again when analysed (a tree of any size is not
    held in memory; most trees fit)."""
    reads = []
    kept = 0
    for source in sources:
        read = _recall(source, store)
        data = read.source.data
        if data is not None and read.source.file is not None:  # (a snippet's bytes are all there is)
            kept += len(data)
            if kept > KEPT_SOURCE_BYTES:
                read.source = dataclasses.replace(read.source, data=None)
        reads.append(read)
    return reads


def _packed_parts(outcome: FileOutcome) -> list[cache_store.Packed]:
    parts = [call for call in outcome.result.call_sites if call.__class__ is cache_store.Packed]
    return [outcome.summaries, *parts] if outcome.summaries.__class__ is cache_store.Packed else parts


def _scan(read: _Read) -> ImportScan:
    return read.scan if read.scan is not None else ImportScan(frozenset(), frozenset(), 0)  # (unreadable)


def _visible_files(order: list[int], imports: list[list[int]]) -> list[int]:
    """For each file, the files whose summaries its own summaries are computed with (a bit per
    input index): those it imports, directly or not, that come before it in the order."""
    visible = [0] * len(imports)
    earlier = _earlier_imports(order, imports)
    for index in order:
        mask = 0
        for target in earlier[index]:
            mask |= visible[target] | (1 << target)
        visible[index] = mask
    return visible


def _analyse_until_stable(scheduler: "_Scheduler", outcomes: list, sources: list[SourceFile], reviewer: Reviewer,
                          order: list[int], imports: list[list[int]], visible: list[int],
                          stats: RunStats) -> tuple[set[int], ProjectTable | None]:
    """Analyse again every file told something the complete table answers differently (a file of
    an import cycle analysed before another, or a cached result whose helper changed); when what
    gave its own summaries changed, those are computed again, and the files told them are checked
    in the next round. Returns the files analysed again, and the complete table (every file's
    summaries) they settled on (None without the data flow)."""
    again: set[int] = set()
    if not reviewer.dataflow:
        return again, None
    while True:
        table = scheduler.complete_table if scheduler.complete_table is not None else _complete_table(outcomes)
        outdated = _outdated(outcomes, visible, table)
        scheduler.complete_table = None  # (a later round: the outcomes changed)
        if not outdated:
            return again, table
        if stats.rounds == MAX_ROUNDS:  # a bug: say so, rather than run on without end
            for index in outdated:
                outcomes[index].result.diagnostics.append(_unsettled(outcomes[index].path))
            return again, table
        stats.rounds += 1
        again.update(outdated)
        tasks = [(i, outdated[i]) for i in order if i in outdated]
        for index, outcome in scheduler.reanalyse(tasks, sources, outcomes, imports, visible, table):
            outcomes[index] = outcome
            again.add(index)  # (with the files whose summaries change with those of one it imports)


def _unsettled(path: str) -> Diagnostic:
    return Diagnostic(path, "internal-error", f"the analysis across files did not settle after {MAX_ROUNDS} rounds; "
                      "findings that depend on other files may be missing from this file. This is a bug in "
                      "secreview: please report it (rerun with --jobs 1 for details)")


def _complete_table(outcomes: list) -> ProjectTable:
    """Every file's own summaries, as their outcomes hold them."""
    table = ProjectTable()
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, FileOutcome):
            table.add(index, outcome.path, outcome.summaries_version, outcome.summaries)
    return table


def _outdated(outcomes: list, visible: list[int], table: ProjectTable) -> dict[int, FileOutcome | None]:
    """The files whose analysis was told something the complete table answers differently, each
    with its outcome when its own summaries are still valid (None: they must be computed again)."""
    outdated: dict[int, FileOutcome | None] = {}
    for index, outcome in enumerate(outcomes):
        if not isinstance(outcome, FileOutcome):
            continue
        if outcome.summary_dependencies.answered_by(table.view(visible[index])):
            outdated[index] = None
        elif outcome.dependencies.answered_by(table):
            outdated[index] = outcome
    return outdated


class _Scheduler:
    """Hands files to worker processes (or analyses them here when there are few), and tells
    every worker the summaries the others found before its next file."""

    def __init__(self, reviewer: Reviewer, store, jobs: int, count: int, progress: bool, stats: RunStats,
                 spill_folder: str | None = None) -> None:
        self.reviewer = reviewer
        self.store = store
        self.spill_folder = spill_folder  # where workers spill the outcomes they hand on
        self.workers_wanted = min(jobs, max(1, count // MIN_FILES_PER_WORKER))
        stats.jobs = max(stats.jobs, self.workers_wanted)
        self.progress = progress
        self.known: list[tuple[int, str, str, dict]] = []  # every file's summaries, in the order found
        self.found_by: list[_Worker | None] = []  # the worker that found them (it need not be told)
        self.workers: list[_Worker] = []
        self.analyst: _Analyst | None = None
        self._analysing = False  # the analyst adds what it finds to its own table
        self.reviewed_again: set[int] = set()  # files reviewed again while the others were analysed
        self.complete_table: ProjectTable | None = None  # every file's summaries, once all are known
        self.analysed_by: dict[int, _Worker] = {}  # the worker that analysed each file (it may keep the analysis)
        self._gc_state = None

    def __enter__(self) -> "_Scheduler":
        if self.workers_wanted > 1:
            cache_args = (self.store.folder, self.store.engine_key, self.store.secret) if self.store is not None else None
            self.workers = [_Worker.start(self.reviewer, (cache_args, self.spill_folder)) for _ in range(self.workers_wanted)]
        else:
            self.analyst = _Analyst(self.reviewer, self.store, self.spill_folder)
        # Here too: the outcomes received (or the trees built) are many small acyclic objects.
        self._gc_state = gc.get_threshold()
        _tune_gc()
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        for worker in self.workers:
            worker.stop(now=exc_type is not None)  # interrupted or failed: do not wait for the file at hand
        if self.analyst is not None:
            self.analyst.kept.clear()
        if self._gc_state is not None:
            # The results kept (every file's outcome) are long-lived: straight to the oldest
            # generation, unscanned (freeze then unfreeze), or the default thresholds would scan
            # them all at the next collection, in whatever stage follows.
            gc.freeze()
            gc.unfreeze()
            gc.set_threshold(*self._gc_state)

    def learn(self, known: list[tuple[int, str, str, dict]], found_by: "_Worker | None" = None) -> None:
        """Summaries to tell every worker; ``found_by`` (or this process's analyst) has them."""
        self.known.extend(known)
        self.found_by.extend([found_by] * len(known))
        if self.analyst is not None and found_by is None and not self._analysing:
            self.analyst.learn(known)

    def analyse(self, order: list[int], reads: list[_Read], imports: list[list[int]], visible: list[int],
                sources: list[SourceFile]) -> Iterable[tuple[int, Any]]:
        tasks = []
        later = _later_in_cycle(order, imports)
        for index in order:
            later_modules = frozenset(sources[other].module_name for other in later.get(index, ()))
            tasks.append(_Task("analyse", index, reads[index], reads[index].scan.size, visible[index], later_modules=later_modules))
            reads[index] = None  # (the task has it: its bytes and imports go with it)
        follow_up = _ReviewAgain(later, visible, sources, self.known, self.analyst.table if self.analyst is not None else None)
        yield from self._run(tasks, "reviewing", _earlier_imports(order, imports), follow_up)
        self.reviewed_again |= follow_up.reviewed
        self.complete_table = follow_up.table  # (reviews again change no summary)

    def reanalyse(self, outdated: list[tuple[int, FileOutcome | None]], sources: list[SourceFile], outcomes: list,
                  imports: list[list[int]], visible: list[int], table: ProjectTable) -> Iterable[tuple[int, Any]]:
        """Analyse again the ``outdated`` files (in order; an outcome: only its review). A file
        waits for the files it imports whose summaries are computed again (a review alone changes
        no summary: those files go largest first). The files importing one whose summaries come
        out changed are analysed again in the same round when theirs would change too (see
        _SummariesChanged); ``table`` (the round's complete table) is updated with them."""
        tasks = [_Task("reanalyse", i, sources[i], outcomes[i].result.lines, visible[i], previous,
                       holder=self.analysed_by.get(i) if previous is not None else None) for i, previous in outdated]
        changing = {i: number for number, (i, previous) in enumerate(outdated) if previous is None}
        waits = [[t for t in targets if t in changing and (i not in changing or changing[t] < changing[i])]
                 for i, targets in enumerate(imports)]
        follow_up = _SummariesChanged(table, outcomes, _importers(imports), visible, sources, {i for i, _ in outdated})
        yield from self._run(tasks, "cross-file", waits, follow_up)

    def _run(self, tasks: list["_Task"], label: str, imports: list[list[int]] | None = None,
             follow_up: "_ReviewAgain | _SummariesChanged | None" = None) -> Iterable[tuple[int, Any]]:
        """The outcome of each task, as they come. ``tasks`` is emptied as they are handed out:
        a task holds its file's bytes, which are not kept once it is analysed."""
        if not tasks:
            return
        with _Progress(len(tasks), self.progress, label) as bar:
            outcomes = self._here(tasks, follow_up) if self.analyst is not None else self._in_workers(tasks, imports, follow_up)
            for index, outcome, worker, task in outcomes:
                review_only = task.kind == "reanalyse" and task.previous is not None  # (its summaries are known)
                if not (review_only and follow_up.__class__ is _ReviewAgain):  # (not counted: reviews of files counted)
                    bar.advance()
                if isinstance(outcome, FileOutcome) and outcome.summaries and not review_only:
                    self.learn([(index, outcome.path, outcome.summaries_version, outcome.summaries)], worker)
                yield index, outcome

    def _here(self, tasks: list["_Task"], follow_up: "_ReviewAgain | _SummariesChanged | None" = None) -> Iterable[tuple[int, Any, None, "_Task"]]:
        self._analysing = True
        tasks.reverse()
        try:
            while tasks:
                task = tasks.pop()
                outcome = self.analyst.run(task)
                yield task.index, outcome, None, task
                if follow_up is not None:
                    tasks.extend(reversed(follow_up.after(task, outcome)))  # (next)
                    for index in follow_up.take_settled():
                        self.analyst.kept.take(index)
        finally:
            self._analysing = False

    def _in_workers(self, tasks: list["_Task"], imports: list[list[int]] | None,
                    follow_up: "_ReviewAgain | _SummariesChanged | None" = None) -> Iterable[tuple[int, Any, "_Worker", "_Task"]]:
        from multiprocessing.connection import wait

        pending = _ReadyQueue(tasks, imports)
        tasks.clear()
        busy: dict[Any, tuple[_Worker, tuple]] = {}
        # A file is reviewed again at most once at a time: asked again while under way (two URL
        # confs done one after the other), the new review waits for the one under way, or that
        # one, handed out first and told less, could come back last -- and be the file's outcome
        # and its cache entry.
        waiting_for_itself: dict[int, _Task] = {}

        def hand_out(worker: _Worker) -> None:
            task = pending.pop(worker)
            if task is None:
                if busy or pending.holds_for_another(worker):
                    # Wait for a file under way (analysed now, a file would be told too little),
                    # or leave a review again to the worker that kept its analysis.
                    return
                task = pending.pop_any()
            worker.send_task(task, self.known, self.found_by)
            busy[worker.connection] = (worker, task)

        while pending or busy:
            for worker in self.workers:
                if pending and worker.task is None:
                    hand_out(worker)
            for connection in wait(list(busy)):
                worker, task = busy.pop(connection)
                pending.done(task.index)
                reply = worker.receive()
                if reply is not None and pending:
                    # Its next file first, then what it found is taken in (it knows that already):
                    # the worker does not wait for this process.
                    hand_out(worker)
                if reply is None:  # the process died (killed, out of memory, crashed the interpreter)
                    replacement = _Worker.start(self.reviewer, worker.settings)
                    self.workers[self.workers.index(worker)] = replacement
                    pending.release(worker)  # (what it kept is lost)
                    self.analysed_by = {i: w for i, w in self.analysed_by.items() if w is not worker}
                    if task.index in waiting_for_itself:
                        pending.add([waiting_for_itself.pop(task.index)])
                    path = task.payload.source.path if task.kind == "analyse" else task.payload.path
                    yield task.index, ReviewResult(diagnostics=[Diagnostic(path, "internal-error", "the worker process reviewing this file died; it was not reviewed. This is a bug in secreview: please report it (rerun with --jobs 1 for details)")]), replacement, task
                    continue
                if task.kind == "analyse":
                    self.analysed_by[task.index] = worker
                yield reply[1], reply[2], worker, task
                if follow_up is not None:
                    under_way = {other.index for _, other in busy.values()}
                    again = [waiting_for_itself.pop(task.index)] if task.index in waiting_for_itself else []
                    reviews = follow_up.after(task, reply[2])
                    for settled in follow_up.take_settled():  # (their analyses need no longer be kept)
                        holder = self.analysed_by.get(settled)
                        if holder is not None:
                            holder.forget.append(settled)
                    for review in reviews:
                        review = review._replace(holder=self.analysed_by.get(review.index))
                        if review.index in under_way:
                            waiting_for_itself[review.index] = review
                        else:
                            again.append(review)
                    pending.add(again)  # (ready: they wait for nothing)


class _ReviewAgain:
    """Reviews again, while other files are still analysed, a file analysed before files of its
    import cycle: once those are done, if their summaries answer one of its questions (rather than
    all at the end, when the workers would have nothing else to do). Likewise a Django views file
    once a URL conf (which imports it, so comes after it) changes what the routes to its views
    convert (see dataflow/routes.py). And a file told nothing of a project function it asked for,
    once the file that defines it is done (an import inside a function, or through a package,
    that the order does not follow). In one process too: a file of an import cycle is reviewed
    again on its first analysis, kept until then (see _KeptAnalyses), and that is dropped as soon
    as the rest of its cycle turns out to tell it nothing new."""

    def __init__(self, later: dict[int, set[int]], visible: list[int], sources: list[SourceFile],
                 known: list[tuple[int, str, str, dict]], table: ProjectTable | None = None) -> None:
        self.later = later  # (see _later_in_cycle)
        self.visible = visible
        self.sources = sources
        # The summaries found so far: ``table`` holds ``known`` already (in one process, the
        # analyst's: after an edit in a large tree, adding every cached file's again costs).
        told = table is not None
        self.table = table if told else ProjectTable()
        self.watching: dict[int, tuple[set[int], FileOutcome]] = {}  # file -> (imports not done, its outcome)
        self.watchers: dict[int, list[int]] = {}  # import -> files watching it
        self.done: set[int] = set()
        for index, path, version, summaries in known:  # (the cache's results: done already)
            if not told:
                self.table.add(index, path, version, summaries)
            self.done.add(index)
        self.reviewed: set[int] = set()
        self.settled: list[int] = []  # (see take_settled)
        # Files that asked what the routes to views convert: their outcome, and the answers they
        # were last reviewed with; and for each view, the files that asked.
        self.route_outcomes: dict[int, FileOutcome] = {}
        self.route_answers: dict[int, dict[str, Any]] = {}
        self.route_askers: dict[str, set[int]] = {}
        # Names of the project's modules' functions and classes that files done asked for and
        # were not told of (a name nobody defines yet), with the files that asked.
        self.modules = {source.module_name for source in sources}
        self._project_names: dict[str, bool] = {}
        self.unknown: dict[str, list[tuple[int, FileOutcome]]] = {}

    def after(self, task: "_Task", outcome: Any) -> list["_Task"]:
        """The tasks that review files again now that ``task`` is done."""
        if task.kind != "analyse":
            return []
        index = task.index
        self.done.add(index)
        again = []
        told: list[tuple[int, FileOutcome]] = []
        if isinstance(outcome, FileOutcome):
            self.table.add(index, outcome.path, outcome.summaries_version, outcome.summaries)
            told = self._told_by_routes(index, outcome) + self._told_of_unknown_names(index, outcome)
            waiting = self.later.get(index, set()) - self.done  # (a worker may have finished some first)
            if waiting:
                self.watching[index] = (waiting, outcome)
                for target in waiting:
                    self.watchers.setdefault(target, []).append(index)
            elif index in self.later:
                self._cycle_done(index, outcome, again)
        for watcher in self.watchers.pop(index, ()):
            waiting, watched = self.watching[watcher]
            waiting.discard(index)
            if not waiting:
                del self.watching[watcher]
                self._cycle_done(watcher, watched, again)
        for asker, asker_outcome in told:
            if asker not in self.watching and all(task.index != asker for task in again):
                again.append(self._task(asker, asker_outcome))
        return again

    def _cycle_done(self, index: int, outcome: FileOutcome, again: list["_Task"]) -> None:
        """The files of its import cycle that come after it are done: the file is reviewed
        again if they answer one of its questions; else its first analysis is no longer kept
        for that (see take_settled)."""
        if outcome.dependencies.answered_by(self.table):
            again.append(self._task(index, outcome))
        else:
            self.settled.append(index)

    def take_settled(self) -> list[int]:
        """The files found since the last call not to be reviewed again for their import cycle."""
        settled, self.settled = self.settled, []
        return settled

    def _told_of_unknown_names(self, index: int, outcome: FileOutcome) -> list[tuple[int, FileOutcome]]:
        """Note the project names the file asked for and was not told of; the files (with their
        outcome) that asked for a name this file defines, and whose answers now differ -- the
        file itself among them when a file done while it was analysed defines one."""
        dependencies = outcome.dependencies
        defined_meanwhile = False
        for questions, answer_now in ((dependencies.functions, self.table.answer), (dependencies.classes, self.table.class_answer)):
            for name, answer in questions.items():
                if answer is None and self._of_project_module(name):
                    if answer_now(name) is None:
                        self.unknown.setdefault(name, []).append((index, outcome))
                    else:
                        defined_meanwhile = True
        told = [(index, outcome)] if defined_meanwhile and dependencies.answered_by(self.table) else []
        if not self.unknown:
            return told
        names = outcome.summaries.index if isinstance(outcome.summaries, cache_store.Packed) else outcome.summaries
        askers: dict[int, FileOutcome] = {}
        for name in names:
            for defined in (name, name.rpartition(".")[0]):  # (a method's class too)
                for asker, asker_outcome in self.unknown.pop(defined, ()):
                    if asker != index:
                        askers[asker] = asker_outcome
        return told + [(asker, askers[asker]) for asker in sorted(askers)
                       if askers[asker].dependencies.answered_by(self.table)]

    def _of_project_module(self, name: str) -> bool:
        """Is ``name`` (``module.function``, ``module.Class``, ``module.Class.method``) in one of
        the project's modules? (Remembered: most files ask for the same names.)"""
        known = self._project_names.get(name)
        if known is None:
            module = name.rpartition(".")[0]
            known = self._project_names[name] = module in self.modules or module.rpartition(".")[0] in self.modules
        return known

    def _told_by_routes(self, index: int, outcome: FileOutcome) -> list[tuple[int, FileOutcome]]:
        """Note what the file asked of the routes to views; the files (with their outcome) whose
        views the file's URL routes now tell something new -- the file itself among them when a
        URL conf done while it was analysed already answers otherwise."""
        told = []
        if outcome.dependencies.routes:
            self.route_outcomes[index] = outcome
            self.route_answers[index] = dict(outcome.dependencies.routes)
            for views in outcome.dependencies.routes:
                for view in views.split(FAMILY_SEPARATOR):
                    self.route_askers.setdefault(view, set()).add(index)
            now = {views: self.table.routes(views) for views in self.route_answers[index]}
            if now != self.route_answers[index]:
                self.route_answers[index] = now
                told.append((index, outcome))
        if not self.route_askers:
            return told
        names = outcome.summaries.index if isinstance(outcome.summaries, cache_store.Packed) else outcome.summaries
        suffix = f".{ROUTES_ENTRY}"
        askers = {asker for name in names if name.endswith(suffix)
                  for asker in self.route_askers.get(name[:-len(suffix)], ()) if asker != index}
        for asker in sorted(askers):
            now = {views: self.table.routes(views) for views in self.route_answers[asker]}
            if now != self.route_answers[asker]:
                self.route_answers[asker] = now
                told.append((asker, self.route_outcomes[asker]))
        return told

    def _task(self, index: int, outcome: FileOutcome) -> "_Task":
        self.reviewed.add(index)
        return _Task("reanalyse", index, self.sources[index], outcome.result.lines, self.visible[index], outcome)


class _SummariesChanged:
    """Follows a round of analyses again (see _analyse_until_stable): when a file's own summaries
    were computed again, the files importing it whose own summaries it now answers differently are
    analysed again in this round, not the next. (After an edit at the bottom of a chain of modules
    each passing a value up to the next, the rounds would otherwise be as many as the modules.)
    What they are told of files still under way is checked in the next round, as before."""

    def __init__(self, table: ProjectTable, outcomes: list, importers: list[list[int]], visible: list[int],
                 sources: list[SourceFile], scheduled: set[int]) -> None:
        self.table = table
        self.outcomes = outcomes  # (updated with each outcome before ``after`` is told of it)
        self.importers = importers
        self.visible = visible
        self.sources = sources
        self.scheduled = scheduled  # the files analysed again in this round

    def after(self, task: "_Task", outcome: Any) -> list["_Task"]:
        if task.previous is not None or not isinstance(outcome, FileOutcome):  # (a review alone changes no summary)
            return []
        self.table.add(task.index, outcome.path, outcome.summaries_version, outcome.summaries)
        again = []
        for importer in self.importers[task.index]:
            known = self.outcomes[importer]
            if importer in self.scheduled or not isinstance(known, FileOutcome):
                continue
            if known.summary_dependencies.answered_by(self.table.view(self.visible[importer])):
                self.scheduled.add(importer)
                again.append(_Task("reanalyse", importer, self.sources[importer], known.result.lines, self.visible[importer]))
        return again

    def take_settled(self) -> list[int]:
        return []


def _importers(imports: list[list[int]]) -> list[list[int]]:
    """For each file, the files that import it."""
    importers: list[list[int]] = [[] for _ in imports]
    for index, targets in enumerate(imports):
        for target in targets:
            importers[target].append(index)
    return importers


def _later_in_cycle(order: list[int], imports: list[list[int]]) -> dict[int, set[int]]:
    """The files of each file's import cycle that come after it in ``order`` (each in an import
    cycle imports one of them, directly or not)."""
    position = {index: number for number, index in enumerate(order)}
    later: dict[int, set[int]] = {}
    for component in components_dependencies_first(imports):
        if len(component) > 1:
            for member in component:
                later[member] = {other for other in component if position.get(other, -1) > position.get(member, -1)}
    return later


def _earlier_imports(order: list[int], imports: list[list[int]]) -> list[list[int]]:
    """For each file, the files it waits for: those it imports that come before it in ``order``
    (the order has broken import cycles: an import of a file that comes after it is not waited
    for; a file not in ``order`` is not waited for)."""
    position = {index: number for number, index in enumerate(order)}
    return [[t for t in targets if position.get(t, len(order)) < position.get(i, -1)] for i, targets in enumerate(imports)]


class _ReadyQueue:
    """The tasks not handed out yet; the largest file whose imports are all analysed goes first (it
    will be told their summaries; largest first, so no long file is left for last).
    ``imports``: for each file, the files it waits for (those among the tasks); None: none."""

    def __init__(self, tasks: list["_Task"], imports: list[list[int]] | None) -> None:
        self.remaining: dict[int, _Task] = {}  # index -> task, in the tasks' order
        self.unfinished: dict[int, int] = {}  # index -> how many of the files it waits for are not done
        self.waiting: dict[int, list[int]] = {}  # file -> the tasks waiting for it
        self.ready: list[tuple[int, int, int]] = []  # heap of (-size, order given, index)
        # Ready reviews again, for the worker that holds the file's first analysis (see _Task.holder).
        self.held: dict[Any, list[int]] = {}
        self.released: set[Any] = set()  # workers that died: what they held is anyone's
        self.given: dict[int, int] = {}  # index -> its rank in the order tasks were given
        waited = {task.index for task in tasks} if imports is not None else set()
        for task in tasks:
            targets = {t for t in imports[task.index] if t in waited and t != task.index} if imports is not None else set()
            for target in targets:
                self.waiting.setdefault(target, []).append(task.index)
            self._enter(task, len(targets))

    def _enter(self, task: "_Task", unfinished: int) -> None:
        self.remaining[task.index] = task
        self.unfinished[task.index] = unfinished
        self.given[task.index] = len(self.given)
        if not unfinished:
            self._make_ready(task)

    def _make_ready(self, task: "_Task") -> None:
        if task.holder is not None and task.holder not in self.released:
            self.held.setdefault(task.holder, []).append(task.index)
        else:
            heapq.heappush(self.ready, (-task.size, self.given[task.index], task.index))

    def __bool__(self) -> bool:
        return bool(self.remaining)

    def pop(self, worker: "_Worker | None" = None) -> "_Task | None":
        """A ready task the worker holds the analysis of, else the largest ready task, or None when
        none is ready (a file they wait for is under way; the worker holding it is busy)."""
        held = self.held.get(worker)
        while held:
            task = self.remaining.pop(held.pop(0), None)
            if task is not None:
                return task
        while self.ready:
            _, _, index = heapq.heappop(self.ready)
            task = self.remaining.pop(index, None)
            if task is not None:
                return task
        return None

    def holds_for_another(self, worker: "_Worker") -> bool:
        return any(indexes for holder, indexes in self.held.items() if holder is not worker)

    def pop_any(self) -> "_Task":
        """The first task left (never needed when files come in dependency order: a safeguard)."""
        index = next(iter(self.remaining))
        return self.remaining.pop(index)

    def done(self, index: int) -> None:
        for waiter in self.waiting.pop(index, ()):
            if waiter in self.remaining and self.unfinished[waiter]:
                self.unfinished[waiter] -= 1
                if not self.unfinished[waiter]:
                    self._make_ready(self.remaining[waiter])

    def add(self, tasks: list["_Task"]) -> None:
        """Tasks that wait for nothing."""
        for task in tasks:
            self._enter(task, 0)

    def release(self, worker: "_Worker") -> None:
        """Any worker may now take the tasks held for ``worker`` (it died), and later ones."""
        self.released.add(worker)
        for index in self.held.pop(worker, ()):
            task = self.remaining.get(index)
            if task is not None:
                self.remaining[index] = task = task._replace(holder=None)
                self._make_ready(task)


class _Worker:
    """One worker process and the pipe to it; knows how many summaries it has been told."""

    def __init__(self, process, connection, settings: tuple) -> None:
        self.process = process
        self.connection = connection
        self.settings = settings  # (the cache's arguments, the spill folder): see _worker_main
        self.told = 0
        self.task: _Task | None = None
        self.forget: list[int] = []  # files whose kept analyses it can drop (see _KeptAnalyses)

    @classmethod
    def start(cls, reviewer: Reviewer, settings: tuple) -> "_Worker":
        import multiprocessing

        # fork: workers inherit the imported rules at no cost. Elsewhere (macOS, Windows) fork is
        # unsafe or missing; spawn re-imports secreview in each worker.
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, reviewer, *settings), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours, settings)

    def send_task(self, task: _Task, known: list, found_by: list) -> None:
        """Tell the worker the summaries found since its last task (but its own), then the task."""
        if self.told < len(known):
            news = [entry for entry, finder in zip(known[self.told:], found_by[self.told:]) if finder is not self]
            if news:
                self.connection.send(("learn", news))
            self.told = len(known)
        if self.forget:
            self.connection.send(("forget", self.forget))
            self.forget = []
        self.connection.send(task._replace(holder=None) if task.holder is not None else task)  # (a worker is not sent)
        self.task = task

    def receive(self):
        self.task = None
        try:
            return self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=1)
            return None

    def stop(self, now: bool = False) -> None:
        if now:
            self.process.terminate()
        else:
            try:
                self.connection.send(("stop",))
            except (OSError, ValueError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _final(reviewed: ReviewResult, diagnostics, reviewer: Reviewer, change) -> ReviewResult:
    result = ReviewResult(diagnostics=list(diagnostics or []), rules=len(reviewer.rules), change=change)
    result.merge(_report_part(reviewed))
    return result.finalize()


def _report_part(result: ReviewResult) -> ReviewResult:
    """What a report needs of a review (not the facts kept for the project pass)."""
    return dataclasses.replace(result, sink_records=[], call_sites=[], parameters={}, change=None)


class _Progress:
    """A files-done/total bar on stderr for long reviews; does nothing unless enabled."""

    def __init__(self, total: int, enabled: bool, label: str = "reviewing") -> None:
        self.total = total
        self.label = label
        self.enabled = enabled and total >= PROGRESS_MIN_FILES
        self.done = 0
        self.started = time.monotonic()
        self.bar = None
        self.task = None

    def __enter__(self) -> "_Progress":
        return self

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(f"{self.label:<11}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                                TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True)
            self.task = self.bar.add_task("review", total=self.total, completed=self.done - 1)
            self.bar.start()
        self.bar.update(self.task, completed=self.done)

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.stop()
