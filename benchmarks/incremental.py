#!/usr/bin/env python3
"""Incremental review: what an edit costs once the cache is filled (a copy of the corpus of run.py).

Usage:  .venv/bin/python benchmarks/incremental.py [--jobs 2]

Reviews a scratch copy of Django 5.1.4 (downloaded by benchmarks/run.py) with a fresh cache, then
again unchanged, then after two edits of django/utils/encoding.py: a comment (its functions do
the same), and a change of what force_str() returns (its callers must be analysed again). Prints,
for each run, the wall time and how many files were analysed or answered by the cache (from the
runner's statistics, so this uses the Python API rather than the command line).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".corpus" / "django-5.1.4" / "django"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}: run benchmarks/run.py once first")
    work = Path(tempfile.mkdtemp(prefix="secreview-incremental-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "xdg")  # the cache's signing key stays in the scratch folder
    tree = work / "django"
    shutil.copytree(CORPUS, tree)

    from secreview import runner
    from secreview.config import Config
    from secreview.inputs.files import discover

    def age(*files: Path) -> None:
        past = time.time() - 3600  # a file written in the last seconds is re-hashed every time (racy stat)
        for file in files:
            os.utime(file, (past, past))

    def review(label: str) -> None:
        sources, diagnostics = discover([str(tree)])
        stats = runner.RunStats()
        start = time.perf_counter()
        result = runner.run_review(sources, Config(), diagnostics, jobs=args.jobs, cache_dir=work / "cache", stats=stats)
        print(f"{label:<48} {time.perf_counter() - start:6.2f} s   analysed {stats.analysed:4} "
              f"(again with every summary {stats.reanalysed}), from the cache {stats.cached:4}, findings {len(result.findings)}")

    encoding = tree / "utils" / "encoding.py"
    age(*tree.rglob("*.py"))
    review("cold, filling the cache")
    review("unchanged")
    encoding.write_text(encoding.read_text() + "\n# a comment: no function changes\n")
    age(encoding)
    review("utils/encoding.py: a comment added")
    signature = 'def force_str(s, encoding="utf-8", strings_only=False, errors="strict"):\n'
    text = encoding.read_text()
    if signature not in text:
        sys.exit("force_str() not found as expected in utils/encoding.py")
    encoding.write_text(text.replace(signature, signature + "    if s == 'x':\n        return errors\n"))
    age(encoding)
    review("utils/encoding.py: force_str() returns more")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
