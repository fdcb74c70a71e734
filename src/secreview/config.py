"""Effective configuration: defaults, then ``[tool.secreview]`` in pyproject.toml, then the CLI."""
from __future__ import annotations

from dataclasses import dataclass, field

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

    def rule_enabled(self, rule_id: str, bandit_ids: tuple[str, ...] = ()) -> bool:
        ids = {rule_id, *bandit_ids}
        if self.select and not ids & set(self.select):
            return False
        return not ids & set(self.ignore)


def find_pyproject(start: str) -> "Path | None":
    """The nearest pyproject.toml at or above ``start`` that has a [tool.secreview] table."""
    from pathlib import Path

    path = Path(start).resolve()
    if not path.is_dir():
        path = path.parent
    for directory in (path, *path.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(paths: list[str], config_file: str | None = None) -> Config:
    """Read the configuration for a run; raises ConfigError with a clear message."""
    import tomllib
    from pathlib import Path

    if config_file:
        file = Path(config_file)
        if not file.is_file():
            raise ConfigError(f"{config_file}: configuration file not found")
    else:
        file = find_pyproject(paths[0] if paths and paths[0] != "-" else ".")
        if file is None:
            return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("secreview") if file.name == "pyproject.toml" else data.get("tool", {}).get("secreview", data)
    if table is None:
        return Config()
    return config_from_table(table, str(file))


_LIST_KEYS = {"select", "ignore", "exclude"}
_LEVEL_KEYS = {"min-severity": "min_severity", "min-confidence": "min_confidence", "fail-on": "fail_on"}


def config_from_table(table: dict, source: str) -> Config:
    config = Config(source=source)
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.secreview] must be a table")
    for key, value in table.items():
        where = f"{source}: [tool.secreview] {key}"
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
            setattr(config, key, list(value))
        elif key in _LEVEL_KEYS:
            if not isinstance(value, str):
                raise ConfigError(f"{where}: expected one of low, medium, high; got {value!r}")
            try:
                setattr(config, _LEVEL_KEYS[key], Level.parse(value))
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        elif key == "per-path-ignores":
            if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(i, str) for i in v) for v in value.values()
            ):
                raise ConfigError(f"{where}: expected a table of glob = [rule ids]")
            config.per_path_ignores = {k: list(v) for k, v in value.items()}
        else:
            known = sorted([*_LIST_KEYS, *_LEVEL_KEYS, "per-path-ignores"])
            raise ConfigError(f"{where}: unknown key (known keys: {', '.join(known)})")
    return config
