#!/usr/bin/env python3
"""Memory on a tree ten times larger than Django: peak RSS of the parent and of the largest worker.

Usage:  .venv/bin/python benchmarks/memory.py [--copies 10] [--jobs 2]

Builds, in a scratch folder, COPIES copies of Django 5.1.4 (downloaded by benchmarks/run.py),
each its own package (``c3/django3``: every word ``django`` of its files becomes ``django3``, so
the copies import themselves, not each other, and define distinct names, as the packages of a
monorepo do; Django's own framework models then no longer apply to them, so there are fewer
findings than COPIES times Django's). Then reviews, each in a fresh process so that each peak is
its own: Django alone without the cache, the copies without the cache, the copies filling a
fresh cache, and the copies after one file is edited (every other file's outcome loaded from
the cache). Prints each run's wall time, the files analysed, and the peaks (``ru_maxrss`` of the
process, and of its largest child: a worker).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".corpus" / "django-5.1.4" / "django"

# Run in a fresh interpreter: one review, then its statistics and peaks on one line.
ONE_REVIEW = """
import resource, sys, time
from secreview import runner
from secreview.config import Config
from secreview.inputs.files import discover
tree, jobs, cache = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
sources, diagnostics = discover([tree])
stats = runner.RunStats()
start = time.perf_counter()
result = runner.run_review(sources, Config(), diagnostics, jobs=jobs, cache_dir=cache, stats=stats)
wall = time.perf_counter() - start
parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(len(sources), stats.analysed, len(result.findings), f"{wall:.1f}", parent, worker)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}: run benchmarks/run.py once first")
    work = Path(tempfile.mkdtemp(prefix="secreview-memory-"))
    try:
        os.environ["XDG_CACHE_HOME"] = str(work / "xdg")  # the cache's signing key stays in the scratch folder
        copies = work / "copies"
        for number in range(args.copies):
            _copy(number, copies / f"c{number}" / f"django{number}")
        _age(copies)
        cache = work / "cache"
        print(f"{'run':<44} {'files':>6} {'analysed':>8} {'findings':>8} {'wall s':>7} {'parent MB':>9} {'worker MB':>9}")
        _review("Django, --no-cache", CORPUS, args.jobs, None)
        _review(f"{args.copies} copies, --no-cache", copies, args.jobs, None)
        _review(f"{args.copies} copies, filling the cache", copies, args.jobs, cache)
        edited = copies / "c3" / "django3" / "utils" / "text.py"
        edited.write_text(edited.read_text() + "\n# an edit\n")
        _age(edited.parent)
        _review(f"{args.copies} copies, one file edited (cache)", copies, args.jobs, cache)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _copy(number: int, target: Path) -> None:
    """Django as the package ``django<number>``."""
    word = re.compile(rb"\bdjango\b")
    for source in CORPUS.rglob("*.py"):
        destination = target / source.relative_to(CORPUS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(word.sub(f"django{number}".encode(), source.read_bytes()))


def _age(folder: Path) -> None:
    past = time.time() - 3600  # a file written in the last seconds is re-hashed every time (racy stat)
    for file in folder.rglob("*.py"):
        os.utime(file, (past, past))


def _review(label: str, tree: Path, jobs: int, cache: Path | None) -> None:
    done = subprocess.run([sys.executable, "-c", ONE_REVIEW, str(tree), str(jobs), str(cache or "")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{label}: the review failed:\n{done.stderr}")
    files, analysed, findings, wall, parent, worker = done.stdout.split()
    print(f"{label:<44} {files:>6} {analysed:>8} {findings:>8} {wall:>7} {parent:>9} {worker:>9}")


if __name__ == "__main__":
    main()
