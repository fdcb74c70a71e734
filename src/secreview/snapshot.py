"""The cache's answer for a whole review: when every file of a review is unchanged since the last
review of the same files (by its identity alone: nothing is read), the report is one cache entry,
the "tree snapshot".

This module needs none of the analysis modules (data flow, rules, the runner): answering an
unchanged tree imports only what restoring and reporting a result take, which is most of a warm
review's time otherwise (the command line tries the snapshot before importing the runner).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any, Iterable

from secreview import cache as cache_store
from secreview.config import Config
from secreview.findings import (
    HELPER_REF_PARTS, STEP_PARTS, Diagnostic, Finding, FlowSource, HelperRef, Level, TraceStep, helper_ref_cache_parts,
    helper_ref_from_cache_parts, step_cache_parts, step_from_cache_parts,
)
from secreview.inputs import SourceFile
from secreview.result import ReviewResult

# What a review's result is made of (the cache restores only registered types; runner.py
# registers what a file's outcome adds).
for _type in (ReviewResult, Finding, FlowSource, Diagnostic, Level):
    cache_store.register(_type)
cache_store.register(TraceStep, (STEP_PARTS, step_cache_parts, step_from_cache_parts))
cache_store.register(HelperRef, (HELPER_REF_PARTS, helper_ref_cache_parts, helper_ref_from_cache_parts))

CACHE_ENV = "SECREVIEW_CACHE_DIR"
DEFAULT_CACHE_NAME = ".secreview_cache"


@dataclasses.dataclass
class RunStats:
    files: int = 0
    analysed: int = 0  # analysed by the engine in this run (not answered by the cache)
    reanalysed: int = 0  # analysed again once every file's summaries were known
    rounds: int = 0  # rounds of such analyses (more than one only when a cached helper changed)
    cached: int = 0  # answered by the cache alone
    jobs: int = 1
    cache_note: str = ""  # why the cache was not used, when it was asked for


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
    return cache_store.default_key_file().parent / "trees" / hashlib.sha256(os.fsencode(start)).hexdigest()[:24]


def engine_key(config: Config) -> str:
    """What besides a file's content decides its result: the configuration and secreview's code
    (which, with the configuration, decides the rules that run)."""
    data = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
            if f.name not in {"source", "fail_on", "exclude"}}  # these do not change a file's result
    return cache_store.engine_key(data)


def open_cache(cache_dir: str | os.PathLike | None, config: Config, stats: RunStats) -> cache_store.Cache | None:
    """The cache in ``cache_dir`` (None: no cache), or None with the reason in ``stats``."""
    if cache_dir is None:
        return None
    try:
        return cache_store.Cache.open(cache_dir, engine_key(config))
    except cache_store.CacheUnavailable as exc:
        stats.cache_note = str(exc)
        return None


def ask_snapshot(sources: list[SourceFile], config: Config, cache_dir: str | os.PathLike | None, change: Any,
                 stats: RunStats) -> "Snapshot":
    """The whole-review entry for reviewing ``sources`` with the cache in ``cache_dir``."""
    if not any(source.file is not None for source in sources):
        cache_dir = None  # snippets are never cached
    return Snapshot(open_cache(cache_dir, config, stats), sources, change)


@dataclasses.dataclass
class Snapshot:
    """The whole-review entry of a cache for a list of files (not for a change review: its report
    depends on the change, not only on the files)."""

    store: cache_store.Cache | None
    sources: list[SourceFile]
    change: Any = None

    def recall(self, diagnostics: list[Diagnostic] | None, stats: RunStats) -> ReviewResult | None:
        """The review stored when these files were last reviewed unchanged, with this run's
        ``diagnostics`` (inputs that could not be reviewed); None when there is none."""
        key = self._key()
        stored = self.store.load(key) if key is not None else None
        if not isinstance(stored, ReviewResult):
            return None
        stats.files = stats.cached = len(self.sources)
        stored.diagnostics = sorted([*stored.diagnostics, *(diagnostics or [])], key=Diagnostic.sort_key)
        return stored

    def remember(self, result: ReviewResult, diagnostics: list[Diagnostic] | None) -> None:
        """Store ``result`` (finalized) for the next review of these files, without this run's
        ``diagnostics`` (those are found again by listing the inputs)."""
        key = self._key()  # (now that the cache knows every file read)
        if key is None:
            return
        own = {id(diagnostic) for diagnostic in diagnostics or ()}
        self.store.store(key, dataclasses.replace(result, diagnostics=[d for d in result.diagnostics if id(d) not in own]))

    def _key(self) -> str | None:
        """The key of the whole review when every file is known to the cache and unchanged since
        it was read (by its identity alone: nothing is read)."""
        if self.store is None or not self.sources or self.change is not None:
            return None
        parts = []
        for source in self.sources:
            digest = _known_digest(self.store, source)
            if digest is None:
                return None
            parts.append(f"{source.path}\0{source.module_name}\0{digest}")
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        return self.store.result_key(digest, "<tree>", "", "whole review")


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
