"""Effective configuration: defaults, then the configuration file, then the command line.

The file is ``[tool.secreview]`` of the nearest ``pyproject.toml`` that has that table, found by
walking up from the first reviewed path (the current directory for stdin), or the file given with
``--config``: a ``pyproject.toml`` (its ``[tool.secreview]`` table) or any other TOML file, e.g.
``secreview.toml``, with the same keys at top level. Globs (``exclude``, ``per-path-ignores``) are
gitignore-style and relative to the directory of that file. Every bad key or value is a
``ConfigError`` naming the file and the key.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from secreview.findings import Level


class ConfigError(Exception):
    """A bad configuration value; the message names the key and the file."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)  # empty: all rules
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # gitignore-style globs
    min_severity: Level = Level.LOW
    min_confidence: Level = Level.MEDIUM
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> rule ids
    fail_on: Level = Level.LOW
    source: str = ""  # the file the configuration came from, for messages
    root: str = ""  # directory the globs are relative to ("" = the current directory)

    def rule_enabled(self, rule_id: str, bandit_ids: tuple[str, ...] = ()) -> bool:
        ids = {rule_id, *bandit_ids}
        if self.select and not ids & set(self.select):
            return False
        return not ids & set(self.ignore)

    # --- path globs ------------------------------------------------------------------------
    def _relative(self, path: str) -> str | None:
        root = os.path.abspath(self.root or os.getcwd())
        absolute = os.path.abspath(path)
        if not absolute.startswith(root.rstrip(os.sep) + os.sep):
            return None
        return absolute[len(root.rstrip(os.sep)) + 1:].replace(os.sep, "/")

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        """Whether an ``exclude`` glob matches ``path`` (a path outside the root never matches)."""
        if not self.exclude:
            return False
        relative = self._relative(path)
        if relative is None:
            return False
        return _spec(tuple(self.exclude)).match_file(relative + "/" if is_dir else relative)

    def per_path_ignore(self, path: str, rule_id: str, bandit_ids: tuple[str, ...] = ()) -> str | None:
        """The ``per-path-ignores`` glob that silences ``rule_id`` in ``path``, if any."""
        if not self.per_path_ignores:
            return None
        relative = self._relative(path)
        if relative is None:
            return None
        ids = {rule_id, *bandit_ids}
        for glob, rule_ids in self.per_path_ignores.items():
            if ids & set(rule_ids) and _spec((glob,)).match_file(relative):
                return glob
        return None


_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    if patterns not in _SPECS:
        _SPECS[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
    return _SPECS[patterns]


# --- finding and reading the file --------------------------------------------------------------

def _has_secreview_table(pyproject: Path, overrides: Overrides | None = None) -> bool:
    import tomllib

    try:
        text = _read(pyproject, overrides)
    except UnicodeDecodeError:
        text = _read_bytes(pyproject, overrides).decode("utf-8", errors="replace")
    except OSError:
        return False
    if text is None:
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # A broken pyproject.toml that mentions secreview is still ours: report the problem.
        return "tool.secreview" in text
    tool = data.get("tool")
    return isinstance(tool, dict) and "secreview" in tool


# Files as a change reviewed with ``--patch`` leaves them, when the disk still holds the files
# before it (the patch is applied in memory, see inputs/changes.py): absolute path -> content, or
# None for a file the patch removes. The review uses the configuration after the change.
Overrides = dict[str, "bytes | None"]


def _read(file: Path, overrides: Overrides | None) -> str | None:
    """The text of ``file`` (as ``overrides`` has it, if it does); None when it does not exist."""
    key = os.path.abspath(file)
    if overrides is not None and key in overrides:
        content = overrides[key]
        return None if content is None else content.decode("utf-8")
    if not file.is_file():
        return None
    return file.read_text(encoding="utf-8")


def _read_bytes(file: Path, overrides: Overrides | None) -> bytes:
    key = os.path.abspath(file)
    if overrides is not None and key in overrides:
        return overrides[key] or b""
    try:
        return file.read_bytes()
    except OSError:
        return b""


def find_pyproject(start: str, overrides: Overrides | None = None) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that has a [tool.secreview] table."""
    path = Path(os.path.abspath(start))
    if not path.is_dir():
        path = path.parent
    for directory in (path, *path.parents):
        candidate = directory / "pyproject.toml"
        if _has_secreview_table(candidate, overrides):
            return candidate
    return None


def load_config(paths: list[str], config_file: str | None = None, overrides: Overrides | None = None) -> Config:
    """Read the configuration for a run; raises ConfigError with a clear message. ``overrides``:
    the files as a patch applied in memory leaves them (see ``Overrides``)."""
    if config_file:
        file = Path(config_file)
    else:
        named = [p for p in paths if p != "-"]
        file = find_pyproject(named[0] if named else ".", overrides)
        if file is None:
            return Config()
    patched = overrides is not None and os.path.abspath(file) in overrides
    where = f"{file} (as the patch leaves it)" if patched else str(file)
    try:
        text = _read(file, overrides)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read configuration: {exc}") from None
    if text is None:
        raise ConfigError(f"{where}: configuration file not found")
    return config_from_text(text, str(file), explicit=bool(config_file), where=where)


def config_from_text(text: str, file: str, explicit: bool = False, where: str | None = None) -> Config:
    """The configuration a file's ``text`` holds: a pyproject.toml's [tool.secreview] table (none:
    the defaults, unless the file was named with --config: ``explicit``), or another TOML file's
    top level. ``where`` names the file in messages (default ``file``)."""
    import tomllib

    where = where or file
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    if isinstance(tool, dict) and "secreview" in tool:
        return config_from_table(tool["secreview"], file, "[tool.secreview]", shown=where)
    if os.path.basename(file) == "pyproject.toml":
        if explicit:
            raise ConfigError(f"{where}: has no [tool.secreview] table")
        return Config()
    return config_from_table(data, file, "top level", shown=where)


# --- validation ----------------------------------------------------------------------------

_LIST_KEYS = ("select", "ignore", "exclude")
_LEVEL_KEYS = {"min-severity": "min_severity", "min-confidence": "min_confidence", "fail-on": "fail_on"}
KNOWN_KEYS = sorted([*_LIST_KEYS, *_LEVEL_KEYS, "per-path-ignores"])


def known_rule_ids() -> dict[str, str]:
    """Every id a configuration may name, upper-cased Bandit ids included: id -> canonical id."""
    from secreview.rules import all_rules

    ids: dict[str, str] = {}
    for rule in all_rules().values():
        ids[rule.id] = rule.id
        for bandit in rule.bandit:
            ids[bandit] = bandit
            ids[bandit.lower()] = bandit
    return ids


def check_rule_ids(values: list[str], where: str) -> list[str]:
    """Canonical ids for ``values``; a ConfigError naming ``where`` for the first unknown one."""
    known = known_rule_ids()
    canonical = []
    for value in values:
        if value not in known:
            close = difflib.get_close_matches(value, sorted(set(known.values())), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown rule id {value!r}{hint} (see 'secreview rules')")
        canonical.append(known[value])
    return canonical


def check_globs(globs: list[str], where: str) -> list[str]:
    for glob in globs:
        try:
            pathspec.GitIgnoreSpec.from_lines([glob])
        except ValueError as exc:
            raise ConfigError(f"{where}: invalid glob {glob!r} ({exc})") from None
    return list(globs)


def config_from_table(table: object, source: str, where: str = "[tool.secreview]", shown: str | None = None) -> Config:
    """``shown``: the file as messages name it (default ``source``)."""
    shown = shown or source
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: {where} must be a table")
    config = Config(source=source, root=os.path.dirname(os.path.abspath(source)))
    for key, value in table.items():
        at = f"{shown}: {key}" if where == "top level" else f"{shown}: {where} {key}"
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{at}: expected a list of strings, got {value!r}")
            setattr(config, key, check_globs(value, at) if key == "exclude" else check_rule_ids(value, at))
        elif key in _LEVEL_KEYS:
            if not isinstance(value, str):
                raise ConfigError(f"{at}: expected one of low, medium, high; got {value!r}")
            try:
                setattr(config, _LEVEL_KEYS[key], Level.parse(value))
            except ValueError as exc:
                raise ConfigError(f"{at}: {exc}") from None
        elif key == "per-path-ignores":
            config.per_path_ignores = _per_path_ignores(value, at)
        else:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{at}: unknown key ({hint}known keys: {', '.join(KNOWN_KEYS)})")
    return config


def _per_path_ignores(value: object, at: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f'{at}: expected a table of "glob" = [rule ids], got {value!r}')
    result = {}
    for glob, ids in value.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ConfigError(f'{at}: "{glob}": expected a list of rule ids, got {ids!r}')
        check_globs([glob], at)
        result[glob] = check_rule_ids(ids, f'{at} "{glob}"')
    return result
