"""Running a review at scale: cache look-ups, a process pool across files, progress.

``engine.Reviewer.review_file(source)`` stays the unit of work; this module decides which files
need it (the cache answers for the others), runs it in parallel, and merges the per-file results
in input order, so the report is the same whatever the number of jobs.

Phases (the hook for project-level passes)
------------------------------------------
When every file of the review is unchanged since the last run (by its identity alone), the whole
report is one cache entry ("tree snapshot"): nothing is read, parsed or merged.

A review is up to three phases::

    1. per file, in parallel:  ProjectPass.summarize(source) -> small picklable facts
    2. once, in this process:  ProjectPass.link(all facts)   -> project facts (call graph, ...)
    3. per file, in parallel:  Reviewer.review_file(source[, project facts])  (the checks)
    then once:                 ProjectPass.finish(project facts, merged result)

Without a project pass (``project=None``) phases 1 and 2 are skipped. A pass implements the
``ProjectPass`` protocol below. Per-file work never keeps a tree: phase 1 returns summaries only
and phase 3 parses again (parsing is cheap next to analysis; keeping every tree would not fit a
large monorepo in memory). Phase-1 summaries are cached by content like results; a phase-3 result
is cached under ``ProjectPass.dependency_key(project, source)`` too, so after an edit only the
edited file and the files whose results depend on its summaries are analysed again.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from secreview import cache as cache_store
from secreview.config import Config
from secreview.dataflow import SinkRecord
from secreview.dataflow.analyzer import CallSite, FunctionSummary
from secreview.dataflow.values import Origin, Taint
from secreview.engine import ReviewResult, Reviewer, guarded
from secreview.findings import Diagnostic, Finding, Level, TraceStep
from secreview.inputs import SourceFile, read_bytes

# What a file's results and summaries are made of (the cache restores only registered types).
for _type in (ReviewResult, Finding, TraceStep, Diagnostic, Level, SinkRecord, CallSite, FunctionSummary, Origin, Taint):
    cache_store.register(_type)

# Below this many files to analyse, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 8
# Show a progress bar only when at least this many files are analysed...
PROGRESS_MIN_FILES = 50
# ...and only once the review has run this long (short reviews never flash a bar).
PROGRESS_DELAY_SECONDS = 0.5
CACHE_ENV = "SECREVIEW_CACHE_DIR"
DEFAULT_CACHE_NAME = ".secreview_cache"


class ProjectPass(Protocol):
    """A project-level analysis run between per-file phases (see the module documentation).

    ``summarize`` and ``review_file`` run in worker processes: the pass object and the project
    facts are handed to them when the pool starts (inherited with fork, pickled with spawn)."""

    def summarize(self, reviewer: Reviewer, source: SourceFile) -> Any:
        """Phase 1, in a worker: this file's facts for the project (small; storable in the cache
        when made of registered dataclasses, see ``cache.register``)."""

    def link(self, summaries: list[Any]) -> Any:
        """Phase 2, once: combine every file's facts (in input order) into the project facts."""

    def dependency_key(self, project: Any, source: SourceFile, summary_digests: list[str]) -> str:
        """A digest of the project facts that this file's results depend on ('' for none);
        ``summary_digests`` are the digests of every file's phase-1 facts, in input order."""

    def review_file(self, reviewer: Reviewer, source: SourceFile, project: Any) -> ReviewResult:
        """Phase 3, in a worker: the file's review given the project facts."""

    def finish(self, reviewer: Reviewer, project: Any, result: ReviewResult, sources: list[SourceFile]) -> None:
        """After phase 3, once: project-wide findings (e.g. flows through helpers)."""


class DataflowPass:
    """The data-flow engine's project pass: function summaries of every file (phase 1), rules and
    data flow per file with all summaries (phase 3), sinks reached through helpers (finish).

    Summaries are computed per file independently of other files, so phase 1 runs in parallel and
    its result does not depend on the order of the files."""

    def summarize(self, reviewer: Reviewer, source: SourceFile) -> Any:
        # A crash here resurfaces (and is reported) when the file itself is reviewed.
        found = guarded(source.path, reviewer.summarize_file, source, {})
        return found if isinstance(found, dict) else {}

    def link(self, summaries: list[Any]) -> Any:
        project: dict = {}
        for summary in summaries:
            project.update(summary or {})
        return project

    def dependency_key(self, project: Any, source: SourceFile, summary_digests: list[str]) -> str:
        # Every file sees every summary: its results depend on all of them (when an edit changes
        # no summary, the other files' results stay valid).
        return _digest_of(summary_digests)

    def review_file(self, reviewer: Reviewer, source: SourceFile, project: Any) -> ReviewResult:
        return reviewer.review_file(source, project)

    def finish(self, reviewer: Reviewer, project: Any, result: ReviewResult, sources: list[SourceFile]) -> None:
        problem = guarded("<project>", reviewer.add_interprocedural_findings, result, sources)
        if isinstance(problem, Diagnostic):
            result.diagnostics.append(problem)


def _digest_of(parts: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def available_cores() -> int:
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13: honours CPU affinity
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_cache_dir(paths: Iterable[str]) -> Path:
    """``$SECREVIEW_CACHE_DIR``, else ``.secreview_cache`` in the project root: the nearest folder
    at or above the first reviewed path holding ``pyproject.toml`` or ``.git``. Outside a project,
    a folder per reviewed path in the user's cache (nothing is left beside loose files)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    first = next((p for p in paths if p != "-"), ".")
    start = Path(first).resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder / DEFAULT_CACHE_NAME
    import hashlib

    return cache_store.default_key_file().parent / "trees" / hashlib.sha256(str(start).encode()).hexdigest()[:24]


def engine_key(config: Config, reviewer: Reviewer) -> str:
    """What besides a file's content decides its result: configuration, rules, secreview code."""
    data = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
            if f.name not in {"source", "fail_on", "exclude"}}  # these do not change a file's result
    return cache_store.engine_key(data, [r.id for r in reviewer.rules])


# --- work done in worker processes (and in this one for small reviews) -------------------------
@dataclasses.dataclass
class _Outcome:
    index: int
    value: Any  # a ReviewResult (review tasks) or a file's phase-1 facts (summary tasks)
    digest: str | None = None  # content hash of what was read (None: not read)
    stat: os.stat_result | None = None  # identity of the file when it was read
    summary_digest: str = ""  # digest of the phase-1 facts as stored


_worker: dict[str, Any] = {}


def _init_worker(config: Config, cache_folder: str | None, key: str, secret: bytes | None, project_pass: Any,
                 project: Any) -> None:
    _tune_gc()
    _worker["reviewer"] = Reviewer(config)
    _worker["cache"] = cache_store.Cache(Path(cache_folder), key, secret) if cache_folder and secret else None
    _worker["pass"] = project_pass
    _worker["project"] = project


def _tune_gc() -> None:
    # A syntax tree is hundreds of thousands of acyclic objects freed by reference counting; the
    # default thresholds make the cycle collector scan them over and over while they are built.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _read(source: SourceFile) -> tuple[SourceFile | Diagnostic, str | None, os.stat_result | None]:
    """The source with its bytes in memory (read once per task), their hash, the file identity."""
    stat = None
    if source.data is None and source.file is not None:
        try:
            stat = os.stat(source.file)
        except OSError:
            stat = None
    data = read_bytes(source)
    if isinstance(data, Diagnostic):
        return data, None, None
    return dataclasses.replace(source, data=data, file=None), cache_store.content_hash(data), stat


def _review_task(task: tuple[int, SourceFile, str]) -> _Outcome:
    index, source, dependencies = task
    loaded, digest, stat = _read(source)
    if isinstance(loaded, Diagnostic):  # unreadable now: report it, cache nothing
        return _Outcome(index, ReviewResult(diagnostics=[loaded]))
    project_pass = _worker.get("pass")
    if project_pass is not None:
        result = guarded(source.path, project_pass.review_file, _worker["reviewer"], loaded, _worker["project"])
    else:
        result = guarded(source.path, _worker["reviewer"].review_file, loaded)
    if not isinstance(result, ReviewResult):  # a crash: reported, never cached
        return _Outcome(index, ReviewResult(diagnostics=[result]))
    store = _worker.get("cache")
    if store is not None and source.file is not None:
        store.store(store.result_key(digest, source.path, source.module_name, dependencies), result)
    return _Outcome(index, result, digest, stat)


def _summarize_task(task: tuple[int, SourceFile]) -> _Outcome:
    index, source = task
    loaded, digest, stat = _read(source)
    if isinstance(loaded, Diagnostic):  # phase 3 reports it
        return _Outcome(index, None, None, None, "unreadable")
    summary = _worker["pass"].summarize(_worker["reviewer"], loaded)
    store = _worker.get("cache")
    summary_digest = None
    if store is not None and source.file is not None:
        summary_digest = store.store(store.result_key(digest, source.path, source.module_name, SUMMARY_SLOT), summary)
    if summary_digest is None:  # only the cache's dependency keys use it
        summary_digest = cache_store.value_digest(summary) if store is not None else ""
    return _Outcome(index, summary, digest, stat, summary_digest)


SUMMARY_SLOT = "phase-1 summary"  # the dependency slot of phase-1 entries (they depend on no file)


# --- the run ------------------------------------------------------------------------------------
@dataclasses.dataclass
class RunStats:
    files: int = 0
    analysed: int = 0  # reviewed by the engine (not answered by the cache)
    cached: int = 0
    summaries_cached: int = 0
    jobs: int = 1
    cache_note: str = ""  # why the cache was not used, when it was asked for


def run_review(
    sources: list[SourceFile],
    config: Config,
    diagnostics: list[Diagnostic] | None = None,
    *,
    jobs: int | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: bool = False,
    project_pass: ProjectPass | None | str = "default",
    change: Any = None,
    stats: RunStats | None = None,
) -> ReviewResult:
    """Review ``sources``: cached results where valid, the rest with ``jobs`` processes.

    ``project_pass``: "default" is the data-flow pass when the reviewer runs data flow; None runs
    per-file work only. ``change`` limits the report to a change (see inputs.changes)."""
    stats = stats if stats is not None else RunStats()
    reviewer = Reviewer(config)
    if not any(source.file is not None for source in sources):
        cache_dir = None  # snippets are never cached
    if project_pass == "default":
        project_pass = DataflowPass() if reviewer.dataflow else None
    jobs = max(1, jobs or available_cores())
    store = _open_cache(cache_dir, config, reviewer, stats)
    stats.files = len(sources)

    snapshot_key = _tree_key(store, sources) if change is None else None
    snapshot = store.load(snapshot_key) if snapshot_key is not None else None
    if isinstance(snapshot, ReviewResult):  # nothing changed since the last review of this tree
        stats.cached = len(sources)
        return _final(snapshot, diagnostics, reviewer, change)

    project = None
    dependencies = [""] * len(sources)
    if project_pass is not None:
        summaries, digests = _phase_one(sources, config, jobs, store, project_pass, progress, stats)
        project = project_pass.link(summaries)
        dependencies = [project_pass.dependency_key(project, s, digests) for s in sources]

    outcomes: list[ReviewResult | None] = [None] * len(sources)
    todo: list[tuple[int, SourceFile, str]] = []
    for index, source in enumerate(sources):
        cached = _lookup(store, source, dependencies[index])
        if isinstance(cached, ReviewResult):
            outcomes[index] = cached
        else:
            todo.append((index, source, dependencies[index]))
    stats.cached = len(sources) - len(todo)
    stats.analysed = len(todo)
    for outcome in _run(_review_task, todo, config, jobs, store, project_pass, project, progress, stats):
        outcomes[outcome.index] = outcome.value

    reviewed = ReviewResult(change=change)
    for outcome in outcomes:
        assert outcome is not None
        reviewed.merge(outcome)
    if project_pass is not None:
        project_pass.finish(reviewer, project, reviewed, sources)
    if store is not None:
        store.save_index()
        if todo:
            store.prune()
        snapshot_key = _tree_key(store, sources) if change is None else None
        if snapshot_key is not None:
            store.store(snapshot_key, _report_part(reviewed))
    return _final(reviewed, diagnostics, reviewer, change)


def _final(reviewed: ReviewResult, diagnostics, reviewer: Reviewer, change) -> ReviewResult:
    result = ReviewResult(diagnostics=list(diagnostics or []), rules=len(reviewer.rules), change=change)
    result.merge(reviewed)
    return result.finalize()


def _report_part(result: ReviewResult) -> ReviewResult:
    """What a report needs of a review (not the facts kept for the project pass)."""
    return dataclasses.replace(result, sink_records=[], call_sites=[], parameters={}, change=None)


def _tree_key(store: cache_store.Cache | None, sources: list[SourceFile]) -> str | None:
    """The key of the whole review of ``sources`` when every file is known to the cache and
    unchanged since it was read (by its identity alone: nothing is read)."""
    if store is None or not sources:
        return None
    parts = []
    for source in sources:
        digest = _known_digest(store, source)
        if digest is None:
            return None
        parts.append(f"{source.path}\0{source.module_name}\0{digest}")
    return store.result_key(_digest_of(parts), "<tree>", "", "whole review")


def _phase_one(sources, config, jobs, store, project_pass, progress, stats) -> tuple[list[Any], list[str]]:
    """Every file's phase-1 facts (from the cache when the file is unchanged) and their digests."""
    summaries: list[Any] = [None] * len(sources)
    digests = [""] * len(sources)
    todo: list[tuple[int, SourceFile]] = []
    for index, source in enumerate(sources):
        found = _lookup(store, source, SUMMARY_SLOT, raw=True)
        if found is not None:
            summaries[index], digests[index] = found
        else:
            todo.append((index, source))
    stats.summaries_cached = len(sources) - len(todo)
    for outcome in _run(_summarize_task, todo, config, jobs, store, project_pass, None, progress, stats):
        summaries[outcome.index], digests[outcome.index] = outcome.value, outcome.summary_digest
    return summaries, digests


def _open_cache(cache_dir, config: Config, reviewer: Reviewer, stats: RunStats) -> cache_store.Cache | None:
    if cache_dir is None:
        return None
    try:
        return cache_store.Cache.open(cache_dir, engine_key(config, reviewer))
    except cache_store.CacheUnavailable as exc:
        stats.cache_note = str(exc)
        return None


def _lookup(store: cache_store.Cache | None, source: SourceFile, dependencies: str, raw: bool = False):
    """The cached entry of an unchanged file, found from its stat alone (no read, no parse).
    With ``raw``: (value, digest of the stored value)."""
    digest = _known_digest(store, source) if store is not None else None
    if digest is None:
        return None
    return store.load(store.result_key(digest, source.path, source.module_name, dependencies), with_digest=raw)


def _known_digest(store: cache_store.Cache, source: SourceFile) -> str | None:
    """The content hash the cache recorded for this file, if its identity (stat) is unchanged:
    known without reading the file. None for stdin snippets and unknown or changed files."""
    if source.file is None or source.snippet:
        return None
    try:
        stat = os.stat(source.file)
    except OSError:
        return None
    return store.known_hash(os.path.abspath(source.file), stat)


def _size(source: SourceFile) -> int:
    if source.data is not None:
        return len(source.data)
    try:
        return os.stat(source.file).st_size if source.file is not None else 0
    except OSError:
        return 0


def _run(function, todo: list, config, jobs, store, project_pass, project, progress, stats) -> Iterable[_Outcome]:
    """Run ``function`` over ``todo`` (in worker processes when there are enough files) and yield
    the outcomes in completion order; records the identity of every file read in the cache."""
    todo = sorted(todo, key=lambda task: -_size(task[1]))  # largest first: no long file left for last
    workers = min(jobs, max(1, len(todo) // MIN_FILES_PER_WORKER))
    stats.jobs = max(stats.jobs, workers)
    folder = str(store.folder) if store is not None else None
    key = store.engine_key if store is not None else ""
    secret = store.secret if store is not None else None
    initargs = (config, folder, key, secret, project_pass, project)
    files = {task[0]: task[1].file for task in todo}
    label = "summarizing" if function is _summarize_task else "reviewing"
    with _Progress(len(todo), progress, label) as bar:
        for outcome in _outcomes(function, todo, workers, initargs):
            bar.advance()
            file = files[outcome.index]
            if store is not None and outcome.digest is not None and file is not None:
                store.remember(os.path.abspath(file), outcome.stat, outcome.digest)
            yield outcome


def _outcomes(function, todo: list, workers: int, initargs: tuple) -> Iterable[_Outcome]:
    if workers <= 1:
        with _in_process(initargs):
            for task in todo:
                yield function(task)
        return
    with _pool(workers, initargs) as pool:
        chunk = max(1, min(8, len(todo) // (workers * 16)))
        yield from pool.imap_unordered(function, todo, chunksize=chunk)


@contextlib.contextmanager
def _in_process(initargs: tuple):
    """Run worker tasks in this process; restore its state (GC settings, worker globals) after."""
    saved, thresholds = dict(_worker), gc.get_threshold()
    _init_worker(*initargs)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        _worker.clear()
        _worker.update(saved)


def _pool(workers: int, initargs: tuple):
    import multiprocessing

    # fork: workers inherit the imported rules at no cost. Elsewhere (macOS, Windows) fork is
    # unsafe or missing; spawn re-imports secreview in each worker.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    return context.Pool(workers, initializer=_init_worker, initargs=initargs)


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
