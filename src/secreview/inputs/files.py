"""Discover the Python files under the paths the user named.

Rules (also in the README, "Usage"):
- A named file is always reviewed, whatever its name or extension, even when ``.gitignore`` or
  ``exclude`` match it (you asked for it), unless ``force_exclude`` is set (for pre-commit hooks
  and editors that pass every changed file). A named directory is always entered.
- Inside a named directory: ``*.py`` and ``*.pyw`` files, recursively, in sorted order, skipping
  what ``.gitignore`` files ignore, what the ``exclude`` globs of the configuration match, and by
  default: version-control and tool caches (``.git``, ``__pycache__``, ``.tox``...),
  ``site-packages``, virtual environments (any directory holding ``pyvenv.cfg`` or
  ``conda-meta``) and build output (``build``, ``dist``, ``_build`` unless it is a package).
  ``.pyi`` stubs are not reviewed: they are never executed.
- ``.gitignore`` files inside the named directory always count; those above it count only up to
  the root of the git repository that contains it (none outside a repository). Git's rules apply:
  deeper files override shallower ones, ``!pattern`` re-includes, an ignored directory is not
  entered. ``.git/info/exclude`` counts too. As in git, ignore patterns apply to untracked files
  only: a file git tracks is reviewed even where a pattern matches it (asked of ``git ls-files``
  when the walk skipped something by a pattern), so a change cannot hide a file it edits by
  listing it in a ``.gitignore``.
- Symbolic links: linked files are reviewed (once: a file reached by several paths is reviewed
  under the first, preferring a real path over a link); linked directories are not followed, so
  link loops cannot hang the walk. A broken link or a link loop named ``*.py`` is a diagnostic.
- Anything that cannot be reviewed (missing path, unreadable directory, FIFO named ``x.py``...)
  becomes a ``Diagnostic``; nothing is skipped silently.
"""
from __future__ import annotations

import errno
import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from secreview.findings import Diagnostic
from secreview.inputs import SourceFile

PYTHON_SUFFIXES = (".py", ".pyw")

# Directories never entered (unless named on the command line): tool state, not project code.
DEFAULT_SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "__pycache__", "__pypackages__",
    "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".pytype", ".eggs",
    "site-packages", ".secreview_cache", ".ipynb_checkpoints", ".direnv",
})
# Build output: skipped unless the directory is itself a Python package (``mypkg/build/__init__.py``).
BUILD_DIRS = frozenset({"build", "dist", "_build", "buck-out"})
# A directory holding one of these is a virtual environment (venv, virtualenv, conda).
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")


def display_path(path: str | Path, cwd: str | None = None) -> str:
    """How a path is shown: relative to the current directory when it is below it, else as given."""
    text = os.path.normpath(str(path))
    cwd = cwd if cwd is not None else os.getcwd()
    absolute = os.path.normpath(os.path.join(cwd, text)) if not os.path.isabs(text) else text
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, cwd)
    return text


def module_name_for(path: Path, packages: dict[str, str] | None = None) -> str:
    """Dotted module name of ``path``: its stem, prefixed by every enclosing package (a directory
    with ``__init__.py``), so relative imports resolve as Python would. ``packages`` remembers
    the answer per directory across the files of one discovery (the walk up is the same)."""
    absolute = os.path.abspath(path)
    prefix = _package_name(os.path.dirname(absolute), {} if packages is None else packages)
    stem = os.path.splitext(os.path.basename(absolute))[0]
    if stem == "__init__":
        return prefix
    return f"{prefix}.{stem}" if prefix else stem


def _package_name(directory: str, packages: dict[str, str]) -> str:
    """Dotted name of the package ``directory`` is, with its enclosing packages; '' if none."""
    known = packages.get(directory)
    if known is None:
        name = os.path.basename(directory)
        if os.path.isfile(os.path.join(directory, "__init__.py")) and name:
            parent = _package_name(os.path.dirname(directory), packages)
            known = f"{parent}.{name}" if parent else name
        else:
            known = ""
        packages[directory] = known
    return known


# --- ignore rules ----------------------------------------------------------------------------

@dataclass
class _IgnoreFile:
    base: str  # absolute directory the patterns are relative to
    spec: pathspec.GitIgnoreSpec


def _read_ignore_file(file: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None  # an unreadable .gitignore only means fewer files are skipped
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:  # pathspec's pattern errors; git skips a line it cannot read: so do we
        spec = pathspec.GitIgnoreSpec.from_lines([line for line in lines if _valid_pattern(line)])
    return spec if len(spec) else None


def _valid_pattern(line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _relative(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` with '/' separators, or None when not below it."""
    if path == base:
        return None
    prefix = base.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix):].replace(os.sep, "/")


def find_git_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git`` (a directory, or a file
    for worktrees and submodules)."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def ancestor_ignore_files(root: str) -> list[_IgnoreFile]:
    """The ``.gitignore`` files above ``root`` (exclusive) up to its git repository's root, plus
    ``.git/info/exclude``; outermost first. Outside a git repository: none."""
    git_root = find_git_root(root)
    if git_root is None:
        return []
    found: list[_IgnoreFile] = []
    exclude = _read_ignore_file(os.path.join(git_root, ".git", "info", "exclude"))
    if exclude is not None:
        found.append(_IgnoreFile(git_root, exclude))
    directories = []
    current = os.path.dirname(root) if root != git_root else None
    while current is not None and (current == git_root or current.startswith(git_root.rstrip(os.sep) + os.sep)):
        directories.append(current)
        if current == git_root:
            break
        current = os.path.dirname(current)
    for directory in reversed(directories):
        spec = _read_ignore_file(os.path.join(directory, ".gitignore"))
        if spec is not None:
            found.append(_IgnoreFile(directory, spec))
    return found


def _inside_ignored(directory: str, ignore_files: list[_IgnoreFile]) -> bool:
    """Whether ``directory`` or one of its ancestors (below the outermost ignore file) is ignored."""
    if not ignore_files:
        return False
    top = ignore_files[0].base
    current = directory
    while current != top and current.startswith(top.rstrip(os.sep) + os.sep):
        if gitignored(current, True, ignore_files):
            return True
        current = os.path.dirname(current)
    return False


def gitignored(path: str, is_dir: bool, ignore_files: list[_IgnoreFile]) -> bool:
    """Git's verdict for ``path`` (absolute): the deepest ignore file with a matching pattern
    decides, and within a file the last matching pattern (``!pattern`` re-includes)."""
    for ignore in reversed(ignore_files):
        relative = _relative(path, ignore.base)
        if relative is None:
            continue
        verdict = ignore.spec.check_file(relative + "/" if is_dir else relative).include
        if verdict is not None:
            return verdict
    return False


# --- the walk --------------------------------------------------------------------------------

@dataclass
class Discovery:
    """What discovery found: files to review (in order) and inputs that cannot be reviewed."""

    sources: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seen: set[tuple[int, int]] = field(default_factory=set)  # (device, inode) of files taken
    packages: dict[str, str] = field(default_factory=dict)  # directory -> package name (module_name_for)
    cwd: str = field(default_factory=os.getcwd)  # asked once: paths are shown relative to it

    def add(self, path: str, key: tuple[int, int]) -> None:
        if key in self.seen:
            return
        self.seen.add(key)
        shown = display_path(path, self.cwd)
        self.sources.append(SourceFile(shown, file=Path(path), module_name=module_name_for(path, self.packages)))

    def problem(self, path: str, kind: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(display_path(path, self.cwd), kind, message))


def discover(paths: list[str], config=None, force_exclude: bool = False) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Files to review under ``paths`` (see the module docstring), and a Diagnostic for each input
    that cannot be reviewed. ``config`` (a secreview.config.Config) supplies ``exclude`` globs."""
    found = Discovery()
    for name in paths:
        try:
            _discover_path(name, found, config, force_exclude)
        except Exception as exc:  # noqa: BLE001 - a bug here must not hide the other paths
            found.problem(name, "internal-error", f"secreview failed while listing this path "
                          f"({type(exc).__name__}: {exc}); this is a bug in secreview, please report it")
    return found.sources, found.diagnostics


def _discover_path(name: str, found: Discovery, config, force_exclude: bool) -> None:
    try:
        info = os.stat(name)
    except OSError as error:
        found.problem(name, *_stat_problem(name, error))
        return
    absolute = os.path.abspath(name)
    if stat.S_ISDIR(info.st_mode):
        _walk(name, found, config)
    elif force_exclude and (_excluded_by_config(absolute, False, config)
                            or gitignored(absolute, False, ancestor_ignore_files(absolute))):
        return  # the hook or editor passed every file; the project's excludes decide
    elif stat.S_ISREG(info.st_mode):
        found.add(name, (info.st_dev, info.st_ino))
    else:
        found.problem(name, "unreadable", "not a regular file (a FIFO, socket or device)")


def _stat_problem(name: str, error: OSError) -> tuple[str, str]:
    if error.errno == errno.ELOOP:
        return "symlink-loop", "symbolic link loop: the link never reaches a file"
    if error.errno == errno.ENOENT and os.path.islink(name):
        return "missing-path", "broken symbolic link: its target does not exist"
    if error.errno == errno.ENOENT:
        return "missing-path", "no such file or directory"
    if isinstance(error, PermissionError):
        return "unreadable", "permission denied"
    return "unreadable", f"cannot access: {error.strerror or error}"


def _excluded_by_config(path: str, is_dir: bool, config) -> bool:
    return config is not None and config.excluded(path, is_dir)


def _is_default_skipped(directory: str, name: str) -> bool:
    """Is the directory ``directory`` (named ``name``) one a review skips unless named: tool and
    build folders, virtual environments."""
    return _skipped_by_name(directory, name) or any(os.path.exists(os.path.join(directory, marker)) for marker in VENV_MARKERS)


def _skipped_by_name(directory: str, name: str) -> bool:
    """``_is_default_skipped`` but for the virtual environment check (which the walk makes when
    it lists the directory: a stat per directory less)."""
    if name in DEFAULT_SKIP_DIRS or name.endswith(".egg-info"):
        return True
    return name in BUILD_DIRS and not os.path.isfile(os.path.join(directory, "__init__.py"))


def _walk(root: str, found: Discovery, config) -> None:
    """Depth-first, sorted, without following directory links (so link loops cannot hang)."""
    absolute_root = os.path.abspath(root)
    inherited = ancestor_ignore_files(absolute_root)
    if _inside_ignored(absolute_root, inherited) or _excluded_by_config(absolute_root, True, config):
        # The user named a directory that would be skipped: review it, with only the ignore
        # files inside it (an ancestor's "build/" would otherwise skip everything below).
        inherited, config = [], None
    files: list[tuple[str, os.DirEntry]] = []
    # Each stack item: (directory as shown/joined from ``root``, its absolute path, ignore files).
    stack: list[tuple[str, str, list[_IgnoreFile]]] = [(root, absolute_root, inherited)]
    skipped_by_pattern = False  # (then git is asked which of the skipped files it tracks)
    while stack:
        directory, absolute, ignore_files = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            found.problem(directory, "unreadable", f"cannot list directory: {error.strerror or error}")
            continue
        names = {entry.name for entry in entries}
        if absolute != absolute_root and not names.isdisjoint(VENV_MARKERS):
            continue  # a virtual environment (the directory named by the user is reviewed)
        own = _read_ignore_file(os.path.join(directory, ".gitignore")) if ".gitignore" in names else None
        if own is not None:
            ignore_files = [*ignore_files, _IgnoreFile(absolute, own)]
        subdirectories = []
        for entry in entries:
            is_directory = _is_directory(entry)
            if not is_directory and not entry.name.endswith(PYTHON_SUFFIXES):
                continue
            entry_absolute = os.path.join(absolute, entry.name)
            if is_directory:
                if entry.is_symlink() or _skipped_by_name(entry.path, entry.name) or _excluded_by_config(entry_absolute, True, config):
                    continue
                if gitignored(entry_absolute, True, ignore_files):
                    skipped_by_pattern = True
                    continue
                subdirectories.append((entry.path, entry_absolute, ignore_files))
            else:
                if _excluded_by_config(entry_absolute, False, config):
                    continue
                if gitignored(entry_absolute, False, ignore_files):
                    skipped_by_pattern = True
                    continue
                files.append((entry.path, entry))
        stack.extend(reversed(subdirectories))
    if skipped_by_pattern:
        files += _tracked_yet_ignored(root, absolute_root, {path for path, _ in files}, config)
    _take_files(sorted(files, key=lambda item: item[0]), found)


class _TrackedFile:
    """A file git tracks that a pattern skipped, in the shape of the os.DirEntry _take_files reads."""

    def __init__(self, path: str):
        self.path = path

    def is_symlink(self) -> bool:
        return os.path.islink(self.path)

    def stat(self) -> os.stat_result:
        return os.stat(self.path)


def _tracked_yet_ignored(root: str, absolute_root: str, taken: set[str], config) -> list[tuple[str, _TrackedFile]]:
    """The Python files under ``root`` that git tracks although an ignore pattern matches them
    (git ignores untracked files only), minus what ``exclude`` or the default skips leave out.
    None when git is missing or says no (not a repository, a dubious owner): the patterns decide."""
    git_root = find_git_root(absolute_root)
    if git_root is None:
        return []
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--ignored", "--exclude-standard", "--",
                                 os.path.relpath(absolute_root, git_root)],
                                cwd=git_root, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    if listed.returncode != 0:
        return []
    tracked = []
    for name in listed.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        absolute = os.path.normpath(os.path.join(git_root, name))
        relative = _relative(absolute, absolute_root)
        if not name.endswith(PYTHON_SUFFIXES) or relative is None or not os.path.isfile(absolute):
            continue
        path = os.path.join(root, *relative.split("/"))
        if path not in taken and not _left_out_below(absolute_root, relative, config):
            tracked.append((path, _TrackedFile(path)))
    return tracked


def _left_out_below(absolute_root: str, relative: str, config) -> bool:
    """Whether something other than an ignore pattern leaves ``relative`` (below ``absolute_root``)
    out: the ``exclude`` globs, or a directory on the way the walk never enters (.tox, a venv...)."""
    current = absolute_root
    parts = relative.split("/")
    for part in parts[:-1]:
        current = os.path.join(current, part)
        if _is_default_skipped(current, part) or os.path.islink(current) or _excluded_by_config(current, True, config):
            return True
    return _excluded_by_config(os.path.join(current, parts[-1]), False, config)


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _take_files(files: list[tuple[str, os.DirEntry]], found: Discovery) -> None:
    """Add the walked files in path order; a file reachable through a link and directly is taken
    under its real path."""
    chosen: dict[tuple[int, int], str] = {}
    for prefer_links in (False, True):
        for path, entry in files:
            if entry.is_symlink() != prefer_links:
                continue
            try:
                info = entry.stat()  # follows links
            except OSError as error:
                found.problem(path, *_stat_problem(path, error))
                continue
            if not stat.S_ISREG(info.st_mode):
                found.problem(path, "unreadable", "not a regular file (a FIFO, socket or device)")
                continue
            chosen.setdefault((info.st_dev, info.st_ino), path)
    for key, path in sorted(chosen.items(), key=lambda item: item[1]):
        found.add(path, key)
