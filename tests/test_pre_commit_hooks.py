"""The hooks in .pre-commit-hooks.yaml run as pre-commit runs them: entry + staged file names."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from diff_helpers import GitRepo, run_cli

HOOKS = Path(__file__).parent.parent / ".pre-commit-hooks.yaml"


def hook_entries() -> dict[str, list[str]]:
    text = HOOKS.read_text()
    ids = re.findall(r"^- id: (\S+)$", text, re.M)
    entries = re.findall(r"^  entry: (.+)$", text, re.M)
    assert len(ids) == len(entries) == 2
    assert all(re.search(r"^  language: python$", block, re.M) for block in text.split("\n- id: ")[1:])
    return {hook: shlex.split(entry) for hook, entry in zip(ids, entries)}


def test_hooks_on_staged_files(tmp_path, monkeypatch):
    entries = hook_entries()
    repo = GitRepo(tmp_path / "repo")
    repo.write("old.py", "import sys\nA = eval(sys.argv[1])\n")
    repo.commit("Old code")
    repo.write("old.py", "import sys\nA = eval(sys.argv[1])\nB = 2\n")
    repo.git("add", "old.py")
    for hook, argv in entries.items():
        assert argv[:2] == ["secreview", "review"]
    whole = run_cli([*entries["secreview"][1:], "old.py"], repo.root, monkeypatch)
    assert whole.exit_code == 1  # the old eval is in the staged file
    changes = run_cli([*entries["secreview-changes"][1:], "old.py"], repo.root, monkeypatch)
    assert changes.exit_code == 0, changes.output  # the staged change adds nothing dangerous
    repo.write("old.py", "import sys\nA = eval(sys.argv[1])\nB = eval(sys.argv[2])\n")
    repo.git("add", "old.py")
    assert run_cli([*entries["secreview-changes"][1:], "old.py"], repo.root, monkeypatch).exit_code == 1
