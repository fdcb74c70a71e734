"""Discover the Python files under the paths the user named."""
from __future__ import annotations

import os
from pathlib import Path

from secreview.findings import Diagnostic
from secreview.inputs import SourceFile

DEFAULT_SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "__pycache__",
    "build", "dist", "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs",
    "site-packages", ".secreview_cache",
})


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def module_name_for(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        return path.stem
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover(paths: list[str]) -> tuple[list[SourceFile], list[Diagnostic]]:
    sources: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            diagnostics.append(Diagnostic(name, "missing-path", "no such file or directory"))
        elif path.is_dir():
            for file in sorted(_walk(path, diagnostics)):
                sources.append(SourceFile(display_path(file), file=file, module_name=module_name_for(file, path)))
        else:
            sources.append(SourceFile(display_path(path), file=path, module_name=path.stem))
    return sources, diagnostics


def _walk(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    found: list[Path] = []

    def on_error(error: OSError) -> None:
        diagnostics.append(Diagnostic(display_path(Path(error.filename or root)), "unreadable", f"cannot list directory: {error.strerror}"))

    for directory, subdirs, files in os.walk(root, onerror=on_error):
        subdirs[:] = sorted(d for d in subdirs if d not in DEFAULT_SKIP_DIRS and not d.endswith(".egg-info"))
        for file in files:
            if file.endswith(".py") or file.endswith(".pyi"):
                found.append(Path(directory) / file)
    return found
