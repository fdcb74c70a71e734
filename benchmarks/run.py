#!/usr/bin/env python3
"""Benchmark: secreview against Bandit on a pinned corpus (Django 5.1.4), in the same run.

Usage:  .venv/bin/python benchmarks/run.py [--rounds 5] [--jobs 2] [--corpus django==5.1.4]

Needs the `bench` extra (`pip install -e .[bench]`, which brings Bandit). The corpus wheel is
downloaded once with `pip download --no-deps` into benchmarks/.corpus/ and unpacked there.
Each round runs, one after the other, secreview cold with --jobs N, secreview cold with --jobs 1,
Bandit, and secreview cold with an empty cache to fill (the command line's default), so machine
load affects all alike; then the warm (cached) review is timed. Prints the
median wall time of each, the cold ratio against Bandit, CPU time, the peak RSS of the largest
single process of each tool, and the number of findings each reports (default settings of each).
Not part of the test suite's pass/fail.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / ".corpus"
BIN = Path(sys.executable).parent


def fetch_corpus(requirement: str) -> Path:
    """Download the wheel of ``requirement`` (pinned, no dependencies) and unpack it once."""
    name, _, version = requirement.partition("==")
    target = CORPUS_DIR / f"{name.lower()}-{version}"
    if (target / ".complete").exists():
        return target
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    "-d", str(CORPUS_DIR), requirement], check=True)
    wheels = [w for w in CORPUS_DIR.glob("*.whl") if w.name.lower().startswith(f"{name.lower()}-{version}-")]
    if not wheels:
        sys.exit(f"no wheel for {requirement} in {CORPUS_DIR}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(target)
    (target / ".complete").write_text(requirement + "\n")
    return target


def package_root(corpus: Path, name: str) -> Path:
    root = corpus / name.lower()
    return root if root.is_dir() else corpus


def measure(command: list[str], env: dict | None = None) -> dict:
    """Run ``command``; wall time, CPU time and peak RSS (largest single process of its tree,
    from wait4: the child and the descendants it waited for, e.g. its worker processes)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "code": process.returncode, "stderr": stderr}


def count_findings(path: Path, key: str) -> int | str:
    try:
        return len(json.loads(path.read_text())[key])
    except (OSError, ValueError, KeyError):
        return "?"


def python_parse_floor(root: Path) -> float:
    """CPU seconds CPython's own ast.parse needs for every file of the tree, on one core."""
    code = ("import ast,sys,time,pathlib,warnings;warnings.simplefilter('ignore');"
            "files=[p.read_bytes() for p in pathlib.Path(sys.argv[1]).rglob('*.py')];"
            "t=time.process_time()\nfor f in files: ast.parse(f)\nprint(time.process_time()-t)")
    return float(subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--jobs", type=int, default=os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count(),
                        help="secreview --jobs for the parallel run (default: available cores)")
    parser.add_argument("--corpus", default="django==5.1.4", help="pinned PyPI requirement (default django==5.1.4)")
    args = parser.parse_args()

    bandit = BIN / "bandit"
    secreview = BIN / "secreview"
    if not bandit.exists():
        sys.exit("Bandit is missing: pip install -e '.[bench]'")
    root = package_root(fetch_corpus(args.corpus), args.corpus.partition("==")[0])
    files = sum(1 for _ in root.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))
    bandit_version = subprocess.run([str(bandit), "--version"], capture_output=True, text=True).stdout.split()[1]
    print(f"corpus: {args.corpus}, {files} files, {lines} lines ({root})")
    print(f"secreview {subprocess.run([str(secreview), '--version'], capture_output=True, text=True).stdout.split()[-1]}"
          f" vs Bandit {bandit_version}; {args.rounds} rounds; {os.cpu_count()} cores; Python {sys.version.split()[0]}")

    work = Path(tempfile.mkdtemp(prefix="secreview-bench-"))
    try:
        outputs = {"sr": work / "secreview.json", "bandit": work / "bandit.json"}
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg"))  # the cache key too stays in the scratch folder
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed for users: bytecode is cached (both tools)
        cold = lambda jobs: [str(secreview), "review", str(root), "--format", "json", "--output", str(outputs["sr"]),
                             "--no-cache", "--quiet", "--jobs", str(jobs)]
        cached_cold = lambda folder: [str(secreview), "review", str(root), "--format", "json", "--output", str(outputs["sr"]),
                                      "--quiet", "--cache-dir", str(folder)]
        runs: dict[str, list[dict]] = {f"secreview cold --jobs {args.jobs}": [], "secreview cold --jobs 1": [], "bandit": [],
                                       "secreview cold, filling the cache": [], "secreview warm (cache hit)": []}
        measure(cold(args.jobs), env)  # warm-up: bytecode written, files in the OS cache (not timed)
        measure([str(bandit), "-r", "-q", "-f", "json", "-o", str(outputs["bandit"]), str(root)], env)
        for round_number in range(args.rounds):
            runs[f"secreview cold --jobs {args.jobs}"].append(measure(cold(args.jobs), env))
            runs["secreview cold --jobs 1"].append(measure(cold(1), env))
            runs["bandit"].append(measure([str(bandit), "-r", "-q", "-f", "json", "-o", str(outputs["bandit"]), str(root)], env))
            # The command line's default: results are written to a (here empty) cache as they come.
            runs["secreview cold, filling the cache"].append(measure(cached_cold(work / f"cache-{round_number}"), env))
            print(f"  round {round_number + 1}/{args.rounds} done", file=sys.stderr)
        cache = work / "cache"
        warm = [str(secreview), "review", str(root), "--format", "json", "--output", str(outputs["sr"]), "--quiet",
                "--cache-dir", str(cache)]
        measure(warm, env)  # fills the cache
        for _ in range(args.rounds):
            runs["secreview warm (cache hit)"].append(measure(warm, env))

        print()
        print(f"{'run':<32} {'median s':>9} {'min s':>7} {'cpu s':>7} {'peak RSS MB':>12}")
        medians = {}
        for name, samples in runs.items():
            walls = [s["wall"] for s in samples]
            medians[name] = statistics.median(walls)
            cpu = statistics.median(s["cpu"] for s in samples)
            rss = max(s["rss_mb"] for s in samples)
            print(f"{name:<32} {medians[name]:>9.2f} {min(walls):>7.2f} {cpu:>7.2f} {rss:>12.0f}")
            failed = [s for s in samples if s["code"] not in (0, 1)]
            if failed:
                print(f"  ! exit code {failed[0]['code']}: {failed[0]['stderr'].strip()[:300]}")
        parallel = medians[f"secreview cold --jobs {args.jobs}"]
        print()
        print(f"cold ratio Bandit / secreview --jobs {args.jobs}: {medians['bandit'] / parallel:.1f}x")
        print(f"cold ratio Bandit / secreview --jobs 1: {medians['bandit'] / medians['secreview cold --jobs 1']:.1f}x")
        print(f"warm review (unchanged tree): {medians['secreview warm (cache hit)']:.2f} s")
        print(f"CPython ast.parse of the tree on one core (the floor for an ast-based tool): {python_parse_floor(root):.2f} s CPU")
        print(f"findings (default settings of each): secreview {count_findings(outputs['sr'], 'findings')}, "
              f"Bandit {count_findings(outputs['bandit'], 'results')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)  # (caches and outputs: about 150 MB)


if __name__ == "__main__":
    main()
