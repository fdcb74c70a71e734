"""Stage: inputs, for reviewing a change. Turns a git revision (``--diff REV``: the working tree
against REV, or against the merge-base of REV and HEAD when REV is not an ancestor of HEAD) or a unified diff (``--patch FILE|-``) into the lines the change added or modified,
per file, keyed by the path the rest of the pipeline shows (relative to the current directory).

A changed line is one that carries code: lines whose only change is in a comment or in blank lines
do not count, so a comment-only change reports nothing. Deleted files contribute nothing, renamed
files count under their new path, untracked files (``--diff``) count as wholly added.

git is run as a subprocess with an argument list (never through a shell); a revision is resolved to
a commit id first, and one that looks like an option is refused.
"""
from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import tokenize
from bisect import bisect_right
from dataclasses import dataclass, field
import difflib
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import unidiff

from secreview.findings import Finding, TraceStep
from secreview.parse import ParsedFile, parse_bytes
from secreview.suppress import Suppression, known_ids, parse_comment

if TYPE_CHECKING:
    from secreview.config_changes import ConfigEdit

PYTHON_SUFFIXES = (".py", ".pyi")
MAX_SUBJECTS = 30
DEV_NULL = "/dev/null"


class ChangeError(Exception):
    """The change cannot be read: no such revision, not a git repository, a patch that does not
    match the files on disk... The message says what and where; the CLI exits with status 2."""


@dataclass(frozen=True)
class ChangedFile:
    path: str  # path after the change, relative to the current directory (as findings show it)
    status: str  # "added", "modified", "renamed", "untracked"
    lines: frozenset[int]  # changed code lines, numbered in the file after the change
    old_path: str | None = None  # before the change (renames), None for added files
    # Where the data flow of a function may have changed without a changed line being a step of a
    # flow (a sanitizer or a check removed or rewritten): the changed code lines and the lines that
    # removed code sat just before, docstrings left out (see ``Change.edit_passed_over``)...
    flow_edits: frozenset[int] = frozenset()
    # ... and the (first, last) lines of the file's functions, to tell in which function each is.
    functions: tuple[tuple[int, int], ...] = ()
    # Every line the change wrote, comment-only edits included (where a suppression comment the
    # change adds sits): the ``+`` lines of the diff; every line of an untracked file.
    touched: frozenset[int] = frozenset()
    # The suppression comments the change removes from lines whose code it keeps (``# nosec``
    # deleted, or rewritten to name other rules), as (line after the change, the comment as it
    # was, its suppression): a finding they silenced is the change's (``Change.uncovers``).
    removed_suppressions: tuple[tuple[int, str, Suppression], ...] = ()

    @cached_property
    def _sorted_flow_edits(self) -> list[int]:
        return sorted(self.flow_edits)

    def flow_edits_in(self, first: int, last: int) -> list[int]:
        """The flow edits after line ``first``, up to ``last``."""
        edits = self._sorted_flow_edits
        return edits[bisect_right(edits, first):bisect_right(edits, last)]

    def function_at(self, line: int) -> tuple[int, int] | None:
        """The innermost function holding ``line`` (None: module or class level)."""
        found = None
        for first, last in self.functions:
            if first <= line <= last and (found is None or first >= found[0]):
                found = (first, last)
        return found


@dataclass
class Change:
    """What was changed, and (after the review) how much of it was reviewed."""

    kind: str  # "diff" or "patch"
    title: str  # e.g. "HEAD~1 (1a2b3c4)..working tree" or "patch fix.diff"
    files: dict[str, ChangedFile] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)  # files the change removes
    subjects: list[str] = field(default_factory=list)  # "1a2b3c4 subject" of the commits in the range
    more_commits: int = 0  # commits in the range beyond the listed subjects
    base: str = ""  # the revision as the user gave it (``--diff``)
    repo_prefix: str = ""  # the current directory within the repository ("src/"), for tool formats
    # Patch mode, when the files on disk are still the old version: path -> content after the
    # patch (reviewed instead of the disk), or None for a file the patch removes.
    overrides: dict[str, bytes | None] = field(default_factory=dict)
    # What the change edits in secreview's configuration, when it hides findings, files or rules
    # (see config_changes.py; set by the command line once the configuration is known).
    config_edit: "ConfigEdit | None" = None
    # For the version before the change of a file that is not Python code (the configuration):
    # ``--diff``, the repository top and the commit compared with; ``--patch``, those files' lines
    # before it (None: added by the patch).
    repo_top: str = ""
    base_commit: str = ""
    originals: dict[str, list[str] | None] = field(default_factory=dict)
    # Filled when the report is restricted to the change (changes_filter.restrict_to_change):
    reviewed_files: list[str] = field(default_factory=list)  # changed files that were analysed
    changed_lines: int = 0  # changed code lines in those files
    findings_outside: int = 0  # findings in analysed code outside the change, not reported
    diagnostics_outside: int = 0  # unchanged files that could not be analysed

    def lines_of(self, path: str) -> frozenset[int]:
        changed = self.files.get(path)
        return changed.lines if changed else frozenset()

    def wrote(self, path: str, line: int) -> bool:
        """Did the change write line ``line`` of ``path`` (comment-only edits too)?"""
        changed = self.files.get(path)
        return changed is not None and line in changed.touched

    def touches(self, path: str, first: int, last: int | None = None) -> bool:
        lines = self.lines_of(path)
        return any(line in lines for line in range(first, (last or first) + 1))

    def introduces(self, finding: Finding) -> bool:
        """Is ``finding`` on a changed line, does its evidence trace pass through one, does the
        flow go over an edit between two of its steps in one function (see ``passes_over_edit``),
        or did the change remove the suppression comment that silenced it (``uncovers``)?"""
        if self.touches(finding.path, finding.line, max(finding.end_line, finding.line)):
            return True
        return self.on_flow([*finding.trace, _sink_step(finding)]) or self.uncovers(finding) is not None

    def uncovers(self, finding: Finding) -> tuple[int, str] | None:
        """The suppression comment that the change removed from the statement of ``finding``, or
        rewrote so that it no longer names it, as (its line, the comment as it was); None if none.
        The finding, reported now, was silenced before the change: a comment-only edit, but one
        that reveals a defect."""
        changed = self.files.get(finding.path)
        if changed is None or not changed.removed_suppressions:
            return None
        start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
        names = {finding.rule_id, *finding.bandit}
        return next(((line, shown) for line, shown, suppression in changed.removed_suppressions
                     if start <= line <= end and suppression.covers(names)), None)

    def on_flow(self, steps: list[TraceStep]) -> bool:
        """Is one of the steps of a flow on a changed line, or does it go over an edit between two?"""
        return any(self.touches(step.path, step.line) for step in steps) or self._edit_between(steps) is not None

    def edit_passed_over(self, finding: Finding) -> tuple[str, int] | None:
        """An edit of the change the flow goes over between two of its steps in one function
        (after one step, at or before the next), as (path, line). Removing ``h = shlex.quote(h)``
        from a helper, or rewriting the check that guarded a value, leaves no changed line on the
        new flow's trace: its steps are the helper's parameter and its return, and the edit lies
        between them."""
        return self._edit_between([*finding.trace, _sink_step(finding)])

    def _edit_between(self, steps: list[TraceStep]) -> tuple[str, int] | None:
        """The rule: the flow's steps in each function, in their order on the trace, with the
        steps taken in other functions in between left out (a same-file helper the value detours
        through: ``name = source``, ``path = _lookup(name)``, ``send_file(path)``); an edit of
        that function after one of them and at or before the next is on the flow. So deleting
        ``if not NAME.match(name): abort(400)`` between the source and the call of the helper is
        the change's, as it is without the helper. Edits elsewhere in the function are not."""
        last_in: dict[tuple[str, tuple[int, int] | None], TraceStep] = {}
        for step in steps:
            changed = self.files.get(step.path)
            if changed is None or not changed.flow_edits:
                continue
            function = changed.function_at(step.line)
            before = last_in.get((step.path, function))
            last_in[(step.path, function)] = step
            if before is None or before.line >= step.line:
                continue
            for line in changed.flow_edits_in(before.line, step.line):
                if changed.function_at(line) == function:
                    return step.path, line
        return None

    def content_before(self, path: str) -> tuple[bool, bytes | None]:
        """(whether the change edits ``path``, its content before the change: None when the file
        did not exist), for a file that is not Python code, whatever the paths reviewed (the
        configuration file of a review of ``src/`` is at the top). ``--diff`` asks git."""
        if self.kind == "patch":
            if path not in self.originals:
                return False, None
            before = self.originals[path]
            return True, None if before is None else _encode(before)
        if not self.repo_top or not self.base_commit:
            return False, None
        name = os.path.relpath(os.path.abspath(path), self.repo_top)
        if name.startswith(".."):
            return False, None  # outside the repository: not the change's
        shown = _git(["cat-file", "blob", f"{self.base_commit}:{name.replace(os.sep, '/')}"], Path(self.repo_top), check=False)
        before = shown.stdout if shown.returncode == 0 else None
        return before != _read_or_none(Path(path)), before

    def repo_path(self, path: str) -> str:
        """``path`` (relative to the current directory) relative to the repository top."""
        return repository_path(path, self.repo_prefix)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "base": self.base,
            "subjects": list(self.subjects),
            "more_commits": self.more_commits,
            "files": sorted(self.reviewed_files),
            "deleted": sorted(self.deleted),
            "changed_lines": self.changed_lines,
            "findings_outside": self.findings_outside,
        }


def _sink_step(finding: Finding) -> TraceStep:
    return TraceStep(finding.path, finding.line, finding.col, finding.code, "")


def repository_path(path: str, prefix: str = "") -> str:
    joined = os.path.normpath(os.path.join(prefix, path)) if prefix else os.path.normpath(path)
    return joined.replace(os.sep, "/")


# --- code lines: which lines carry code, with comments stripped ----------------------------------

def code_lines(data: bytes | None) -> list[str] | None:
    """The file's lines with comments and trailing blanks removed (a comment-only or blank line
    becomes ""). Comments are found by tokenizing the whole file, so a ``#`` inside a string is not
    taken for one; where tokenizing stops (broken code), the remaining lines are kept whole."""
    if data is None:
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                row, column = token.start
                if row <= len(lines):
                    lines[row - 1] = lines[row - 1][:column]
    except (tokenize.TokenError, SyntaxError):
        pass
    return [line.rstrip() for line in lines]


def _code_of(code: list[str] | None, number: int | None, raw: str) -> str:
    if code is not None and number is not None and 1 <= number <= len(code):
        return code[number - 1]
    return raw.rstrip("\r\n").rstrip()


def changed_python_file(path: str, status: str, patched: unidiff.PatchedFile, old: bytes | None, new: bytes | None,
                        old_path: str | None = None) -> ChangedFile:
    """The changed code lines of a Python file, and where its functions' data flow may have
    changed (``ChangedFile.flow_edits``, ``functions``)."""
    lines, deleted_at, uncovered = _code_changes(patched, old, new)
    edits = lines | deleted_at
    functions: tuple[tuple[int, int], ...] = ()
    if edits and new is not None:
        parsed = parse_bytes(path, new)
        if isinstance(parsed, ParsedFile):
            functions, docstrings = _function_spans(parsed.tree)
            edits = edits - docstrings
    return ChangedFile(path, status, lines, old_path, frozenset(edits), functions, _added_lines(patched), uncovered)


def _code_changes(patched: unidiff.PatchedFile, old: bytes | None, new: bytes | None
                  ) -> tuple[frozenset[int], frozenset[int], tuple[tuple[int, str, Suppression], ...]]:
    """Added lines (numbered in the new file) that change code: within each block of adjacent
    removed/added lines, lines equal once comments and trailing blanks are stripped are not
    changes, nor are lines left with no code. Also the lines of the new file that removed code
    lines sat just before (a removal leaves no changed line), and the suppression comments removed
    from lines whose code is kept (``ChangedFile.removed_suppressions``)."""
    old_code, new_code = code_lines(old), code_lines(new)
    changed: set[int] = set()
    deleted_at: set[int] = set()
    uncovered: list[tuple[int, str, Suppression]] = []
    for hunk in patched:
        for removed, added, next_line in _change_blocks(hunk):
            before = [(c, ln.value) for ln in removed for c in [_code_of(old_code, ln.source_line_no, ln.value)] if c.strip()]
            after = [(ln.target_line_no, c, ln.value) for ln in added for c in [_code_of(new_code, ln.target_line_no, ln.value)]
                     if c.strip()]
            matcher = SequenceMatcher(None, [c for c, _ in before], [c for _, c, _ in after], autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "delete":
                    deleted_at.add(after[j1][0] if j1 < len(after) else next_line)
                elif tag != "equal":
                    changed.update(number for number, _, _ in after[j1:j2])
                else:
                    uncovered += _removed_suppressions(before[i1:i2], after[j1:j2])
    return frozenset(changed), frozenset(deleted_at), tuple(uncovered)


def _removed_suppressions(before: list[tuple[str, str]], after: list[tuple[int, str, str]]) -> list[tuple[int, str, Suppression]]:
    """Of lines whose code the change keeps (``before``: (code, line as it was); ``after``: (number,
    code, line as it is)), the suppression comments it removes or rewrites, at the new line."""
    found = []
    for (code, old_line), (number, _, new_line) in zip(before, after):
        old_comment = _comment(old_line, code)
        if "#" not in old_comment or old_comment == _comment(new_line, code):
            continue
        suppression = parse_comment(old_comment, known_ids())
        if suppression is not None and not suppression.problem:
            shown = old_comment.strip()
            found.append((number, shown if len(shown) <= 80 else shown[:77] + "...", suppression))
    return found


def _comment(line: str, code: str) -> str:
    """The comment after ``code`` on ``line`` (the line's text, ``code`` its code: see code_lines)."""
    text = line.rstrip("\r\n")
    return text[len(code):].strip() if text.startswith(code) else ""


def _change_blocks(hunk: unidiff.Hunk):
    """Runs of removed/added lines between context lines, as (removed, added, the number in the
    new file of the line after the run)."""
    removed: list = []
    added: list = []
    for line in hunk:
        if line.is_removed:
            removed.append(line)
        elif line.is_added:
            added.append(line)
        elif line.is_context:
            if removed or added:
                yield removed, added, line.target_line_no
            removed, added = [], []
    if removed or added:
        # (an empty new side, ``+3,0`` in a diff without context, names the line before it)
        yield removed, added, hunk.target_start + max(hunk.target_length, 1)


def _function_spans(tree: ast.Module) -> tuple[tuple[tuple[int, int], ...], frozenset[int]]:
    """The (first, last) lines of every function, and the lines of docstrings (text for readers:
    an edit there changes no data flow)."""
    spans: list[tuple[int, int]] = []
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            spans.append((node.lineno, node.end_lineno or node.lineno))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return tuple(sorted(spans)), frozenset(docstrings)


# --- patches --------------------------------------------------------------------------------------

def parse_patch(text: str, origin: str) -> unidiff.PatchSet:
    # A patch saved or mailed with CRLF line endings: unidiff would keep the "\r" in file names
    # ("tool.py\r", which is not a .py file). Content lines lose nothing: they are compared and
    # applied without their line ending (``_plain``), in the line ending of the file on disk.
    text = text.replace("\r\n", "\n")
    try:
        patch = unidiff.PatchSet(io.StringIO(text))
    except unidiff.UnidiffParseError as exc:
        raise ChangeError(f"{origin}: not a valid unified diff: {exc}") from None
    if not len(patch):
        raise ChangeError(f"{origin}: no file changes found (expected a unified diff such as `git diff` output)")
    return patch


def _strip_prefix(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name


_C_ESCAPES = {"a": b"\a", "b": b"\b", "t": b"\t", "n": b"\n", "v": b"\v", "f": b"\f", "r": b"\r",
              '"': b'"', "\\": b"\\"}
_C_ESCAPE = re.compile(r'\\([0-7]{3}|.)', re.DOTALL)


def unquote_path(name: str) -> str:
    """A file name as git writes it in a diff: one with bytes outside printable ASCII (with git's
    default ``core.quotePath``), a ``"``, a backslash or a control character is double-quoted with
    C escapes (``"b/my app/caf\\303\\251.py"``), decoded here to the name's bytes (as a file name
    string: undecodable bytes as lone surrogates, like os.fsdecode). Other names are as written."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name

    def unescape(match: re.Match) -> str:
        code = match.group(1)
        raw = bytes([int(code, 8) & 0xFF]) if len(code) == 3 else _C_ESCAPES.get(code, code.encode("utf-8", "surrogateescape"))
        return raw.decode("latin-1")  # (one char per byte, undone below)

    latin = _C_ESCAPE.sub(unescape, name[1:-1].encode("utf-8", "surrogateescape").decode("latin-1"))
    return latin.encode("latin-1").decode("utf-8", "surrogateescape")


def patch_paths(patched: unidiff.PatchedFile) -> tuple[str | None, str | None]:
    """(old path, new path) as written in the patch (unquoted: see ``unquote_path``), without git's
    a/ b/ prefixes; None for /dev/null (an added or a removed file)."""
    source, target = unquote_path(patched.source_file), unquote_path(patched.target_file)
    git_style = source.startswith(("a/", DEV_NULL)) and target.startswith(("b/", DEV_NULL))
    old = None if source == DEV_NULL or patched.is_added_file else (_strip_prefix(source, "a/") if git_style else source)
    new = None if target == DEV_NULL or patched.is_removed_file else (_strip_prefix(target, "b/") if git_style else target)
    return old, new


def _hunk_name(index: int, hunk: unidiff.Hunk) -> str:
    return f"hunk {index} (@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@)"


def _plain(text: str) -> str:
    return text.rstrip("\r\n")


@dataclass
class _Mismatch:
    hunk: int  # how far the check got: hunk index, then line
    line: int
    message: str


def _check_side(patched: unidiff.PatchedFile, lines: list[str], side: str, path: str) -> _Mismatch | None:
    """Does every line the patch shows on ``side`` ("source": before, "target": after) match the
    file's ``lines``? Returns the first mismatch, or None."""
    for index, hunk in enumerate(patched, start=1):
        for line in hunk:
            if side == "source" and (line.is_context or line.is_removed):
                number = line.source_line_no
            elif side == "target" and (line.is_context or line.is_added):
                number = line.target_line_no
            else:
                continue
            expected = _plain(line.value)
            if number is None or number > len(lines):
                return _Mismatch(index, number or 0, f"{path}: {_hunk_name(index, hunk)} expects line {number} to read "
                                 f"{expected!r}, but the file has only {len(lines)} lines")
            actual = _plain(lines[number - 1])
            if actual != expected:
                return _Mismatch(index, number, f"{path}: {_hunk_name(index, hunk)} expects line {number} to read "
                                 f"{expected!r}, but the file has {actual!r}")
    return None


def apply_hunks(lines: list[str], patched: unidiff.PatchedFile) -> list[str]:
    """The file after the patch, from its lines before (keeping their line endings)."""
    return _replay(lines, patched, reverse=False)


def _replay(lines: list[str], patched: unidiff.PatchedFile, reverse: bool) -> list[str]:
    """Apply ``patched`` to ``lines`` forwards (old -> new) or backwards (new -> old)."""
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    result: list[str] = []
    position = 0
    for hunk in patched:
        start_line, length = (hunk.target_start, hunk.target_length) if reverse else (hunk.source_start, hunk.source_length)
        start = start_line - 1 if length else start_line
        result.extend(lines[position:start])
        position = start
        for line in hunk:
            dropped, inserted = (line.is_added, line.is_removed) if reverse else (line.is_removed, line.is_added)
            if line.is_context:
                result.append(lines[position])
                position += 1
            elif dropped:
                position += 1
            elif inserted:
                result.append(_plain(line.value) + newline)
    result.extend(lines[position:])
    return result


def _read_lines(path: Path) -> list[str] | None:
    try:
        return path.read_bytes().decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ChangeError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _encode(lines: list[str]) -> bytes:
    return "".join(lines).encode("utf-8", errors="surrogateescape")


def change_from_patch(text: str, origin: str, root: Path | None = None) -> Change:
    """The change a unified diff makes, checked against the files on disk (paths in the patch are
    relative to ``root``, default the current directory). The files may already hold the change
    (e.g. ``git diff | secreview review --patch -``) or still be the old version, in which case the
    patch is applied in memory: the disk is never written."""
    root = root or Path(".")
    patch = parse_patch(text, origin)
    repo = _repository_or_none(root)
    named = []
    for chain in _series_chains(patch):
        patched, old, new = chain[0]
        if not patched.is_binary_file:
            named.append((chain, chain[0][1], chain[-1][2]))
    bases = _patch_bases(named, root, repo)
    plans = [_plan_file(chain[0][0], old, new, base, root) if len(chain) == 1 else _plan_series(chain, base, root, origin)
             for (chain, old, new), base in zip(named, bases)]
    modes = {"applied", "apply"}
    for plan in plans:
        modes &= plan.modes
    if not modes:
        done = sorted(p.name for p in plans if p.modes == {"applied"})
        pending = sorted(p.name for p in plans if p.modes == {"apply"})
        raise ChangeError(f"{origin}: the files on disk already hold the change to {', '.join(done)} but not to "
                          f"{', '.join(pending)}; check out one consistent version of the files")
    mode = "applied" if "applied" in modes else "apply"
    change = Change(kind="patch", title=f"patch {origin}", repo_prefix=repo.prefix if repo else "")
    for plan in plans:
        plan.record(change, mode)
    return change


def _series_chains(patch: unidiff.PatchSet) -> list[list[tuple[unidiff.PatchedFile, str | None, str | None]]]:
    """The patch's file changes grouped per file, in order: a series (``git format-patch``, GitHub's
    ``/pull/N.patch``) may change one file in several commits, renames included (a later change
    of the file starts from the name an earlier one gave it). Each chain is [(patched, old, new)]."""
    chains: list[list[tuple[unidiff.PatchedFile, str | None, str | None]]] = []
    current: dict[str, int] = {}  # a file's name after the changes so far -> its chain
    removed: dict[str, int] = {}  # a name a patch removed -> its chain (a later patch may add it again)
    for patched in patch:
        old, new = patch_paths(patched)
        start = old if old is not None else new
        index = current.pop(start or patched.path, None)
        if index is None and old is None and new is not None:
            index = removed.pop(new, None)
        if index is None:
            index = len(chains)
            chains.append([])
        chains[index].append((patched, old, new))
        if new is not None:
            current[new] = index
        elif old is not None:
            removed[old] = index
    return chains


def _plan_series(chain: list[tuple[unidiff.PatchedFile, str | None, str | None]], base: Path, root: Path,
                 origin: str) -> _FilePlan:
    """A file changed by several patches of a series: the versions before the first and after the
    last (the disk holds one of them), and one combined patch between them (``_combined_patch``),
    so the review covers every line of the final version the series changed, as one diff would."""
    first_old, last_new = chain[0][1], chain[-1][2]
    binary = next((new or old for patched, old, new in chain if patched.is_binary_file), None)
    if binary:
        raise ChangeError(f"{origin}: {binary} is changed by several patches of this series, one of them binary; "
                          "review the combined change instead (e.g. `git diff BASE..TIP | secreview review --patch -`)")
    versions: dict[str, tuple[list[str], list[str]]] = {}
    problems: list[str] = []
    disk_new = _read_lines(base / last_new) if last_new else None
    disk_old = _read_lines(base / first_old) if first_old else None
    if (last_new is None and disk_old is None) or disk_new is not None:  # applied: walk back from the last
        replayed = _replay_series(chain, disk_new or [], backwards=True)
        if isinstance(replayed, list):
            versions["applied"] = (replayed, disk_new or [])
        else:
            problems.append(replayed)
    if (first_old is None and disk_new is None) or (disk_old is not None and (first_old == last_new or disk_new is None)):
        replayed = _replay_series(chain, disk_old or [], backwards=False)
        if isinstance(replayed, list):
            versions["apply"] = (disk_old or [], replayed)
        else:
            problems.append(replayed)
    name = last_new or first_old or ""
    if not versions:
        detail = f" ({problems[0]})" if problems else ""
        raise ChangeError(f"the patch does not match the files on disk: {name} is changed by {len(chain)} patches of "
                          f"{origin}, and the file on disk is neither the version before the first of them nor the one "
                          f"after the last{detail}")
    before, after = next(iter(versions.values()))
    return _FilePlan(_combined_patch(first_old, last_new, before, after), first_old, last_new, versions, base, root)


def _replay_series(chain, lines: list[str], backwards: bool) -> list[str] | str:
    """The file after (or, ``backwards``, before) every patch of ``chain``, from ``lines``; or why a
    patch does not apply (as a message)."""
    steps = list(enumerate(chain, start=1))
    for number, (patched, old, new) in (reversed(steps) if backwards else steps):
        side, name = ("target", new) if backwards else ("source", old)
        mismatch = _check_side(patched, lines, side, name or "") if name else None
        if mismatch is not None:
            return f"patch {number} of {len(chain)} for it: {mismatch.message}"
        lines = apply_reverse(lines, patched) if backwards else apply_hunks(lines, patched)
    return lines


def _combined_patch(old: str | None, new: str | None, before: list[str], after: list[str]) -> unidiff.PatchedFile:
    """One patch from ``before`` to ``after`` (without context, as ``git diff -U0``)."""
    def plain(lines: list[str]) -> list[str]:
        return [_plain(line) + "\n" for line in lines]

    source, target = f"a/{old}" if old else DEV_NULL, f"b/{new}" if new else DEV_NULL
    body = "".join(list(difflib.unified_diff(plain(before), plain(after), n=0))[2:])
    if not body:  # the series leaves the file as it was (changes undone by a later patch)
        return unidiff.PatchedFile(None, source, target)
    return unidiff.PatchSet(io.StringIO(f"--- {source}\n+++ {target}\n{body}"))[0]


def _repository_or_none(root: Path) -> "Repository | None":
    try:
        return Repository.find(root)
    except ChangeError:  # not in a git repository, or no git: paths are relative to ``root`` only
        return None


def _patch_bases(named: list, root: Path, repo: "Repository | None") -> list[Path]:
    """The folder each file's paths in the patch are relative to: ``root`` (the current directory),
    or the repository top when the file is not found under ``root`` but is under the top (`git diff`
    run in a subdirectory writes paths from the top). A file found in neither (one the patch adds)
    follows the others: the top if some file was found only there."""
    def exists_under(base: Path, old: str | None, new: str | None) -> bool:
        return any(name and (base / name).exists() for name in (old, new))

    top = repo.top if repo is not None and repo.prefix else None
    found: list[Path | None] = []
    for _patched, old, new in named:
        if exists_under(root, old, new):
            found.append(root)
        elif top is not None and exists_under(top, old, new):
            found.append(top)
        else:
            found.append(None)
    default = top if top is not None and top in found and root not in found else root
    return [base or default for base in found]


@dataclass
class _FilePlan:
    """One file of a patch and the versions it may be in on disk: "applied" (the disk holds the file
    after the change) and/or "apply" (the disk holds it before), each with (before, after) lines."""

    patched: unidiff.PatchedFile
    old: str | None
    new: str | None
    versions: dict[str, tuple[list[str], list[str]]]
    base: Path = Path(".")  # the folder the patch's paths of this file are relative to...
    root: Path = Path(".")  # ... and the one shown paths are relative to (the current directory)

    @property
    def name(self) -> str:
        return self.new or self.old or ""

    def shown(self, name: str) -> str:
        """``name`` from the patch as the pipeline shows it: relative to the current directory."""
        if self.base == self.root:
            return _display(name)
        return _display(os.path.relpath(self.base / name, self.root))

    @property
    def modes(self) -> frozenset[str]:
        return frozenset(self.versions)

    def record(self, change: Change, mode: str) -> None:
        before, after = self.versions[mode]
        if self.new is None:
            change.deleted.append(self.shown(self.old or ""))
            if mode == "apply":
                change.overrides[self.shown(self.old or "")] = None
            return
        path = self.shown(self.new)
        if mode == "apply":
            change.overrides[path] = _encode(after)
            if self.old and self.old != self.new:
                change.overrides[self.shown(self.old)] = None
        status = "added" if self.old is None else ("renamed" if self.old != self.new else "modified")
        old_path = self.shown(self.old) if self.old else None
        if path.endswith(PYTHON_SUFFIXES):
            change.files[path] = changed_python_file(path, status, self.patched, _encode(before), _encode(after), old_path)
        else:
            change.files[path] = ChangedFile(path, status, _added_lines(self.patched), old_path)
            change.originals[path] = before if self.old else None


def _added_lines(patched: unidiff.PatchedFile) -> frozenset[int]:
    return frozenset(line.target_line_no for hunk in patched for line in hunk if line.is_added)


def _plan_file(patched: unidiff.PatchedFile, old: str | None, new: str | None, base: Path, root: Path) -> _FilePlan:
    """Find out whether the disk holds the file after the change, before it, or neither (error).
    The file's paths are relative to ``base``; shown paths to ``root`` (see ``_patch_bases``)."""
    disk_new = _read_lines(base / new) if new else None
    disk_old = _read_lines(base / old) if old else None
    versions: dict[str, tuple[list[str], list[str]]] = {}
    mismatches: list[_Mismatch] = []
    # Applied: the new file is on disk and reads as the patch says (a removed file is gone).
    if new is None:
        if disk_old is None:
            versions["applied"] = ([], [])
    elif disk_new is not None:
        mismatch = _check_side(patched, disk_new, "target", new)
        if mismatch is None:
            versions["applied"] = (apply_reverse(disk_new, patched) if old else [], disk_new)
        else:
            mismatches.append(mismatch)
    # Not applied yet: the old file is on disk and reads as the patch says (an added file is absent).
    if old is None:
        if disk_new is None:
            versions["apply"] = ([], apply_hunks([], patched))
    elif disk_old is not None and (old == new or new is None or disk_new is None):
        mismatch = _check_side(patched, disk_old, "source", old)
        if mismatch is None:
            versions["apply"] = (disk_old, apply_hunks(disk_old, patched) if new else [])
        else:
            mismatches.append(mismatch)
    if versions:
        return _FilePlan(patched, old, new, versions, base, root)
    if mismatches:
        best = max(mismatches, key=lambda m: (m.hunk, m.line))
        raise ChangeError(f"the patch does not match the files on disk: {best.message} "
                          "(neither before nor after the change)")
    raise ChangeError(f"the patch does not match the files on disk: {new or old}: no such file")


def apply_reverse(lines: list[str], patched: unidiff.PatchedFile) -> list[str]:
    """The file before the patch, from its lines after (for telling comment edits from code edits)."""
    return _replay(lines, patched, reverse=True)


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/") if os.sep != "/" else os.path.normpath(path)


def read_patch(name: str, stdin: io.BufferedReader | None = None) -> tuple[str, str]:
    """(text, origin) of ``--patch NAME``; ``-`` reads standard input."""
    if name == "-":
        data = (stdin.read() if stdin is not None else b"")
        origin = "<stdin>"
    else:
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise ChangeError(f"{name}: patch file not found") from None
        except OSError as exc:
            raise ChangeError(f"{name}: cannot read the patch: {exc.strerror or exc}") from None
        origin = name
    return data.decode("utf-8", errors="surrogateescape"), origin


# --- git revisions --------------------------------------------------------------------------------

def _git(args: list[str], cwd: Path | None = None, check: bool = True, input: bytes | None = None) -> subprocess.CompletedProcess:
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        completed = subprocess.run(command, cwd=cwd, capture_output=True, input=input, check=False)
    except FileNotFoundError:
        raise ChangeError("--diff needs git, which is not installed or not on PATH") from None
    if check and completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip() or f"exit status {completed.returncode}"
        raise ChangeError(f"git {args[0]} failed: {message}")
    return completed


def _lines(completed: subprocess.CompletedProcess) -> list[str]:
    return completed.stdout.decode("utf-8", errors="surrogateescape").splitlines()


@dataclass
class Repository:
    top: Path
    prefix: str  # the current directory relative to ``top`` ("" or "src/")
    shallow: bool

    @classmethod
    def find(cls, cwd: Path) -> "Repository":
        completed = _git(["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"], cwd, check=False)
        if completed.returncode != 0:
            raise ChangeError(f"--diff needs a git repository, and {cwd.resolve()} is not inside one "
                              "(to review a diff file, use --patch FILE)")
        top, prefix, shallow = (_lines(completed) + ["", "", ""])[:3]
        return cls(Path(top), prefix, shallow.strip() == "true")

    def resolve(self, rev: str) -> str:
        """The commit id of ``rev``, or a ChangeError saying why there is none."""
        if not rev or rev.startswith("-"):
            raise ChangeError(f"--diff: {rev!r} is not a revision")
        if ".." in rev:
            raise ChangeError(_range_refused(rev))
        completed = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], self.top, check=False)
        if completed.returncode == 0:
            return _lines(completed)[0]
        hint = ("this is a shallow clone, so older commits may be missing: fetch them first (e.g. "
                "`git fetch --deepen=50`, `git fetch --unshallow` or `git fetch origin <branch>`)"
                if self.shallow else "check the name with `git log --oneline` or `git branch -a`")
        raise ChangeError(f"--diff: revision {rev!r} does not exist in this repository; {hint}")


def _range_refused(rev: str) -> str:
    """--diff takes one revision: the files reviewed are those of the working tree, so the change is
    always from a revision to the working tree. Say how to review a range instead."""
    three = "..." in rev
    base, _, tip = rev.partition("..." if three else "..")
    base, tip = base or "HEAD", tip or "HEAD"
    start = f"$(git merge-base {base} {tip})" if three else base
    how = (f"--diff {start} (with a clean working tree: it also reviews uncommitted changes)" if tip == "HEAD" else
           f"`git checkout {tip}` (or `git worktree add`), then --diff {start}; or, with {tip} checked out, "
           f"`git diff {base}{'...' if three else '..'}{tip} | secreview review --patch -`")
    return (f"--diff takes one revision, not a range ({rev!r}): it reviews the change from that revision to the "
            f"working tree, whose files are the ones analysed. To review {rev}, use {how}")


def change_from_git(rev: str, paths: list[str], cwd: Path | None = None) -> Change:
    """The change from revision ``rev`` (or the merge-base of ``rev`` and HEAD, see ``_fork_point``)
    to the working tree (committed, staged and unstaged changes, and untracked files), limited to ``paths`` (default: the current directory)."""
    cwd = cwd or Path(".")
    repo = Repository.find(cwd)
    base, forked = _fork_point(repo, repo.resolve(rev))
    pathspec = ["--", *(paths or ["."])]
    # Paths in git's output are relative to the repository top; run from cwd so pathspecs are too.
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--ignore-submodules", "-M", "-U0",
                 "--src-prefix=a/", "--dst-prefix=b/", base, *pathspec], cwd)
    text = diff.stdout.decode("utf-8", errors="surrogateescape")
    patch = parse_patch(text, "git diff") if text.strip() else []
    untracked = _lines(_git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z", *pathspec], cwd))
    untracked_files = [name for line in untracked for name in line.split("\0") if name]

    head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], repo.top, check=False)
    head_id = _lines(head)[0] if head.returncode == 0 else ""
    dirty = bool(untracked_files) or _git(["diff", "--quiet", "HEAD", *pathspec], cwd, check=False).returncode != 0
    to = "working tree" if dirty or not head_id else f"HEAD ({head_id[:7]})"
    since = f"merge-base of {rev} and HEAD ({base[:7]})" if forked else f"{rev} ({base[:7]})"
    change = Change(kind="diff", title=f"{since}..{to}", base=rev, repo_prefix=repo.prefix, repo_top=str(repo.top),
                    base_commit=base)
    change.subjects, change.more_commits = _subjects(repo, base)

    old_contents = _old_contents(repo, base, [p for p in patch if _wants_old(p)])
    for patched in patch:
        old, new = patch_paths(patched)
        if new is None:
            change.deleted.append(_from_top(repo, old or patched.path))
            continue
        path = _from_top(repo, new)
        status = "added" if old is None else ("renamed" if old != new else "modified")
        old_path = _from_top(repo, old) if old else None
        if new.endswith(PYTHON_SUFFIXES):
            change.files[path] = changed_python_file(path, status, patched, old_contents.get(old or ""),
                                                     _read_or_none(repo.top / new), old_path)
        else:
            change.files[path] = ChangedFile(path, status, _added_lines(patched), old_path)
    for name in untracked_files:
        path = _from_top(repo, name)
        if name.endswith(PYTHON_SUFFIXES):
            code = code_lines(_read_or_none(repo.top / name)) or []
            lines = frozenset(number for number, text in enumerate(code, start=1) if text.strip())
            written = frozenset(range(1, len(code) + 1))
        else:
            lines = written = frozenset()
        change.files[path] = ChangedFile(path, "untracked", lines, touched=written)
    return change


def _fork_point(repo: Repository, commit: str) -> tuple[str, bool]:
    """The commit to compare with: ``commit`` itself when it is an ancestor of HEAD, else the
    merge-base of it and HEAD (as ``git diff REV...HEAD`` does), so that what REV gained after the
    branch point (e.g. a base branch that moved on) is not taken for part of the change. Returns
    (commit, whether it is a merge-base other than ``commit``); without HEAD or a common ancestor,
    ``commit`` is compared with as is."""
    completed = _git(["merge-base", commit, "HEAD"], repo.top, check=False)
    lines = _lines(completed)
    if completed.returncode != 0 or not lines or lines[0] == commit:
        return commit, False
    return lines[0], True


def _from_top(repo: Repository, name: str) -> str:
    """A path relative to the repository top, made relative to the current directory."""
    return os.path.relpath(repo.top / name)


def _wants_old(patched: unidiff.PatchedFile) -> bool:
    old, new = patch_paths(patched)
    return bool(old and new and new.endswith(PYTHON_SUFFIXES) and any(l.is_removed for h in patched for l in h))


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _old_contents(repo: Repository, base: str, files: list[unidiff.PatchedFile]) -> dict[str, bytes]:
    """The content at ``base`` of the files the change modifies, with one `git cat-file --batch`."""
    names = [patch_paths(p)[0] for p in files]
    names = [n for n in names if n and "\n" not in n]
    if not names:
        return {}
    request = "".join(f"{base}:{name}\n" for name in names).encode("utf-8", errors="surrogateescape")
    output = _git(["cat-file", "--batch"], repo.top, input=request).stdout
    contents: dict[str, bytes] = {}
    position = 0
    for name in names:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            contents[name] = output[position:position + size]
            position += size + 1
    return contents


def _subjects(repo: Repository, base: str) -> tuple[list[str], int]:
    completed = _git(["log", "--no-color", "--format=%h %s", f"{base}..HEAD"], repo.top, check=False)
    if completed.returncode != 0:  # e.g. no commit yet
        return [], 0
    subjects = _lines(completed)
    return subjects[:MAX_SUBJECTS], max(0, len(subjects) - MAX_SUBJECTS)

