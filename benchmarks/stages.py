"""Where a review's CPU goes: one-process review (no cache) of a tree, each stage timed.

Usage:  .venv/bin/python benchmarks/stages.py [PATH]   (default: the corpus run.py downloads)

Each stage's function is wrapped in a CPU timer (time.process_time), so the figures include the
wrappers' small cost; "the rest" is the total minus the stages. Not part of the test suite.
"""
from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from secreview import engine, runner
from secreview.config import Config
from secreview.inputs.files import discover

DEFAULT = Path(__file__).parent / ".corpus" / "django-5.1.4" / "django"
STAGES = [  # (object, function name, label)
    (engine, "load_source", "parse"),
    (engine.FileFacts, "build", "facts walk"),
    (engine.Reviewer, "flow", "data flow"),
    (engine.Dispatcher, "run", "rules"),
    (engine.Reviewer, "add_interprocedural_findings", "sinks through helpers"),
    (runner, "_read", "reading"),
    (runner, "order_of", "import order"),
    (runner, "_outdated", "final answers check"),
]


def timed(spent: collections.Counter, function, label: str):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start
    return wrapper


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT)
    spent: collections.Counter = collections.Counter()
    for owner, name, label in STAGES:
        function = getattr(owner, name)
        wrapped = timed(spent, function, label)
        setattr(owner, name, staticmethod(wrapped) if isinstance(owner.__dict__.get(name), staticmethod) else wrapped)
    config = Config()
    sources, diagnostics = discover([root], config)
    start = time.process_time()
    result = runner.run_review(sources, config, diagnostics, jobs=1, cache_dir=None)
    total = time.process_time() - start
    print(f"{len(result.files)} files, {result.lines} lines: {total:.2f} s CPU")
    for label, seconds in spent.most_common():
        print(f"  {label:24} {seconds:6.2f} s")
    print(f"  {'the rest':24} {total - sum(spent.values()):6.2f} s")


if __name__ == "__main__":
    main()
