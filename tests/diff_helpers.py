"""Helpers for the change-review tests: real git repositories in temporary folders."""
from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

from click.testing import CliRunner

from secreview.cli import main

# Tests must not depend on the developer's git configuration (prefixes, signing, hooks...).
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
}


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, cwd: Path | None = None) -> str:
        completed = subprocess.run(
            ["git", "-c", "user.name=Test Author", "-c", "user.email=author@example.com",
             "-c", "commit.gpgsign=false", *args],
            cwd=cwd or self.root, capture_output=True, text=True, env={**os.environ, **GIT_ENV},
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout

    def write(self, path: str, code: str) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(code).lstrip("\n"))

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def run_cli(args: list[str], cwd: Path, monkeypatch, stdin: str | bytes | None = None):
    """Run ``secreview`` in ``cwd``; returns click's Result."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def reported(result) -> list[tuple[str, int, str]]:
    """(path, line, rule id) of the findings in a ``--format json`` report."""
    document = json.loads(result.stdout)
    return sorted((f["path"], f["line"], f["rule_id"]) for f in document["findings"])
