"""Small projects written for a test and reviewed across files (with jobs, the cache, edits)."""
import os
import shutil
import time
from pathlib import Path

from secreview import runner
from secreview.config import Config
from secreview.findings import Level
from secreview.inputs.files import discover


def write(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path -> text) under ``root``, all aged an hour."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    age_files(root)


def package_with_fillers(root: Path, name: str, files: dict[str, str], fillers: int = 0) -> Path:
    """A package ``name`` under ``root`` holding ``files`` (file name -> text) and ``fillers``
    small modules (enough files for two worker processes), its files aged."""
    package = root / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    for file, text in files.items():
        (package / file).write_text(text)
    for number in range(fillers):
        (package / f"m{number:02}.py").write_text(f"def f{number}(x):\n    return x + {number}\n")
    age_files(package)
    return package


def age_files(folder: Path) -> None:
    """Give the files an mtime an hour ago, as files that were not just written have (a file
    modified in the last seconds is re-hashed every time: its stat is not trusted yet)."""
    past = time.time() - 3600
    for file in folder.rglob("*.py"):
        os.utime(file, (past, past))


def review_tree(tree: Path, reverse: bool = False, **options):
    """(result, stats) of a review of ``tree`` at medium confidence (files in reverse order: the
    order given must not matter), which must end with no diagnostic."""
    sources, diagnostics = discover([str(tree)])
    if reverse:
        sources = list(reversed(sources))
    stats = runner.RunStats()
    result = runner.run_review(sources, Config(min_confidence=Level.MEDIUM), diagnostics, stats=stats, **options)
    assert not result.diagnostics
    return result, stats


def flows(tree: Path, **options) -> list[tuple[str, int, tuple[int, ...]]]:
    """The command-injection findings (CWE-78) of a review of ``tree``: file name, line, trace lines."""
    sources, diagnostics = discover([str(tree)])
    result = runner.run_review(sources, Config(min_confidence=Level.MEDIUM), diagnostics, **options)
    assert not result.diagnostics
    return sorted((Path(f.path).name, f.line, tuple(s.line for s in f.trace)) for f in result.findings if f.cwe == 78)


def copied(package: Path, root: Path) -> Path:
    """A copy of the fixture project's ``package`` folder under ``root``, its files aged."""
    shutil.copytree(package, root / package.name)
    age_files(root)
    return root / package.name


def findings_of(tree: Path, cwes: tuple[int, ...], confidence: Level = Level.LOW, **options) -> list[tuple[str, int, int]]:
    """The findings for ``cwes`` (of ``confidence`` or more) of a review of ``tree``: file name, line, CWE."""
    sources, diagnostics = discover([str(tree)])
    result = runner.run_review(sources, Config(min_confidence=confidence), diagnostics, **options)
    assert not result.diagnostics
    return sorted((Path(f.path).name, f.line, f.cwe) for f in result.findings if f.cwe in cwes)
