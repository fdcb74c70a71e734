"""Change review: what a change to secreview's configuration hides.

A change can silence findings without a comment in the code, by editing the configuration file the
review uses (``pyproject.toml``'s ``[tool.secreview]``, or the ``--config`` file): a
``per-path-ignores`` entry, an ``exclude`` glob, a rule added to ``ignore`` or left out of
``select``, a higher ``min-severity``, ``min-confidence`` or ``fail-on``. As for a suppression
comment the change writes (changes_filter.py), the review says so: a ``config-suppression-added``
note at the line of the configuration that does it, naming what it hides:

- a ``per-path-ignores`` entry: the findings it silences that the configuration before the change
  did not (kept with the suppressed findings wherever they are, listed by ``--show-suppressed``);
- an ``exclude`` glob: the Python files it leaves out of the review (not analysed at all);
- ``ignore``/``select``: the rules that no longer run;
- a level raised: what is no longer reported, or no longer fails the review.

Notes never change the exit code: the author may configure; the reviewer judges. The configuration
before the change is the same file as the change found it (``--diff``: at the base revision, from
git; ``--patch``: before the patch), read as the review reads one; a file that did not exist, held
no ``[tool.secreview]`` table or did not parse counts as the defaults.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from secreview.config import Config, ConfigError, config_from_text
from secreview.findings import Diagnostic, Finding, Level
from secreview.inputs.changes import Change

CONFIG_SUPPRESSION_ADDED = "config-suppression-added"  # the kind of the notes made here
PER_PATH_IGNORE = "config: per-path-ignores "  # how suppress.apply names a finding's reason
SHOWN = 3  # findings, files or rules named in a note (then "and N more")
_TABLE_HEADER = re.compile(r"^\s*\[")
_SECREVIEW_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*secreview\s*[\].]")


@dataclass
class ConfigEdit:
    """The configuration file the review uses, as the change edits it."""

    path: str  # as reports show paths: relative to the current directory
    before: Config
    after: Config  # as written in the file (the command line's options left out)
    lines: list[str]  # the file after the change
    written: frozenset[int]  # the lines of it the change wrote (added or modified)
    newly_excluded: list[str] = field(default_factory=list)  # Python files the new ``exclude`` globs leave out

    @property
    def adds_exclude(self) -> bool:
        return bool(set(self.after.exclude) - set(self.before.exclude))

    def before_discovery(self, config: Config) -> Config:
        """``config`` (the review's) with the ``exclude`` globs of before the change: which files
        the review would have had."""
        return dataclasses.replace(config, exclude=list(self.before.exclude))

    @property
    def _region(self) -> list[int]:
        """The lines of secreview's tables (a pyproject.toml holds other tools' too); the whole file
        for a file of secreview's own."""
        if os.path.basename(self.path) != "pyproject.toml":
            return list(range(1, len(self.lines) + 1))
        region, inside = [], False
        for number, text in enumerate(self.lines, start=1):
            if _TABLE_HEADER.match(text):
                inside = bool(_SECREVIEW_HEADER.match(text))
            if inside:
                region.append(number)
        return region or list(range(1, len(self.lines) + 1))

    def line_naming(self, *needles: str) -> int:
        """The line that names one of ``needles`` (a glob or rule id, quoted; a key), preferring a
        line the change wrote; else the first line of secreview's table the change wrote."""
        region = self._region
        for wanted in (lambda n: n in self.written, lambda n: True):
            for needle in needles:
                for number in region:
                    if wanted(number) and needle in self.lines[number - 1]:
                        return number
        return next((n for n in region if n in self.written), region[0] if region else 1)


def config_edit(change: Change, source: str) -> ConfigEdit | None:
    """What ``change`` edits in the configuration file ``source`` (the one the review uses; "" for
    none), or None when it does not edit it."""
    if not source:
        return None
    path = os.path.relpath(source)
    edited, before = change.content_before(path)
    if not edited:
        return None
    after = change.overrides.get(path) if path in change.overrides else _read(source)
    if after is None:
        return None
    old_text, new_text = _text(before), _text(after)
    return ConfigEdit(path, _config(old_text, source), _config(new_text, source), new_text.splitlines(),
                      _written(old_text.splitlines(), new_text.splitlines()))


def _read(source: str) -> bytes | None:
    try:
        with open(source, "rb") as file:
            return file.read()
    except OSError:
        return None


def _text(content: bytes | None) -> str:
    return "" if content is None else content.decode("utf-8", errors="replace")


def _config(text: str, source: str) -> Config:
    """The configuration ``text`` holds for the file ``source`` (the defaults when it holds none or
    cannot be read as one: the review of that version would have stopped on it)."""
    try:
        return config_from_text(text, source)
    except ConfigError:
        return Config(source=source, root=os.path.dirname(os.path.abspath(source)))


def _written(old: list[str], new: list[str]) -> frozenset[int]:
    matcher = SequenceMatcher(None, [line.rstrip() for line in old], [line.rstrip() for line in new], autojunk=False)
    return frozenset(number + 1 for tag, _i1, _i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
                     for number in range(j1, j2))


def silenced_by_edit(finding: Finding, edit: ConfigEdit) -> bool:
    """Is ``finding`` suppressed by a ``per-path-ignores`` entry that the configuration before the
    change did not have (no entry of it silenced the finding)?"""
    reason = finding.suppressed_by or ""
    return reason.startswith(PER_PATH_IGNORE) and edit.before.per_path_ignore(finding.path, finding.rule_id, finding.bandit) is None


def notes(edit: ConfigEdit, silenced: list[Finding]) -> list[Diagnostic]:
    """The notes on what the change's configuration hides: ``silenced``, the findings its new
    per-path-ignores entries silence (``silenced_by_edit``), and what ``edit`` says of the rest."""
    made = _per_path_notes(edit, silenced) + _exclude_notes(edit) + _rule_notes(edit) + _level_notes(edit)
    return [Diagnostic(edit.path, CONFIG_SUPPRESSION_ADDED, message, line) for line, message in made]


def _per_path_notes(edit: ConfigEdit, silenced: list[Finding]) -> list[tuple[int, str]]:
    by_glob: dict[str, list[Finding]] = {}
    for finding in silenced:
        by_glob.setdefault((finding.suppressed_by or "").removeprefix(PER_PATH_IGNORE), []).append(finding)
    made = []
    for glob, findings in sorted(by_glob.items()):
        ids = edit.after.per_path_ignores.get(glob, [])
        new_ids = [rule_id for rule_id in ids if rule_id not in edit.before.per_path_ignores.get(glob, [])]
        line = edit.line_naming(*_quoted(*new_ids), *_quoted(glob), "per-path-ignores")
        entry = f'"{glob}" = [{", ".join(_quoted_double(ids))}]'
        findings.sort(key=Finding.sort_key)
        listed = "; ".join(f"{f.title} (CWE-{f.cwe}, `{f.rule_id}`, confidence {f.confidence.label}) at {f.path}:{f.line}"
                           for f in findings[:SHOWN])
        made.append((line, f"this change adds `per-path-ignores` `{entry}`, which silences {_count(findings)}: "
                           f"{listed}{_more(findings)} (listed by --show-suppressed)"))
    return made


def _exclude_notes(edit: ConfigEdit) -> list[tuple[int, str]]:
    if not edit.newly_excluded:
        return []
    made = []
    left = list(edit.newly_excluded)
    for glob in [g for g in edit.after.exclude if g not in edit.before.exclude]:
        matcher = Config(exclude=[glob], root=edit.after.root)
        files = [path for path in left if _excluded_by(matcher, path)]
        if not files:
            continue
        left = [path for path in left if path not in files]
        count = f"{len(files)} Python file{'s' if len(files) != 1 else ''}"
        made.append((edit.line_naming(*_quoted(glob), "exclude"),
                     f"this change adds the `exclude` glob `{glob}`, which leaves {count} out of the review "
                     f"(not analysed, so nothing in {'them' if len(files) != 1 else 'it'} is reported): "
                     f"{', '.join(files[:SHOWN])}{_more(files)}"))
    return made


def _excluded_by(matcher: Config, path: str) -> bool:
    """Does ``matcher``'s one glob exclude ``path``, or a directory above it (as discovery does)?"""
    if matcher.excluded(path):
        return True
    parent = os.path.dirname(path)
    while parent and parent not in (".", os.sep):
        if matcher.excluded(parent, is_dir=True):
            return True
        parent = os.path.dirname(parent)
    return False


def _rule_notes(edit: ConfigEdit) -> list[tuple[int, str]]:
    from secreview.rules import all_rules

    disabled = sorted(rule.id for rule in all_rules().values()
                      if edit.before.rule_enabled(rule.id, rule.bandit) and not edit.after.rule_enabled(rule.id, rule.bandit))
    if not disabled:
        return []
    added = [i for i in edit.after.ignore if i not in edit.before.ignore]
    key, needles = ("ignore", _quoted(*added)) if added else ("select", ())
    rules = f"{len(disabled)} rule{'s' if len(disabled) != 1 else ''}"
    listed = ", ".join(f"`{rule_id}`" for rule_id in disabled[:SHOWN]) + _more(disabled)
    return [(edit.line_naming(*needles, key),
             f"this change turns off {rules} (`{key}`), which no longer run anywhere, so none of their findings is "
             f"reported: {listed}")]


def _level_notes(edit: ConfigEdit) -> list[tuple[int, str]]:
    made = []
    for key, attribute, effect in (
        ("min-severity", "min_severity", "findings of a lower severity are no longer reported (only counted)"),
        ("min-confidence", "min_confidence", "findings of a lower confidence are no longer reported (only counted)"),
        ("fail-on", "fail_on", "findings below it are still reported but no longer fail the review"),
    ):
        before, after = getattr(edit.before, attribute), getattr(edit.after, attribute)
        if after > before:
            made.append((edit.line_naming(key),
                         f"this change raises `{key}` from {before.label} to {after.label}: {effect}"))
    return made


def _quoted(*texts: str) -> tuple[str, ...]:
    """How TOML writes each text as a string (basic or literal), to find the line naming it."""
    return tuple(quoted for text in texts for quoted in (f'"{text}"', f"'{text}'"))


def _quoted_double(texts: list[str]) -> list[str]:
    return [f'"{text}"' for text in texts]


def _count(findings: list[Finding]) -> str:
    levels = [level for level in (Level.HIGH, Level.MEDIUM, Level.LOW) if any(f.severity == level for f in findings)]
    if len(findings) == 1:
        return f"a {findings[0].severity.label}-severity finding"
    split = ", ".join(f"{sum(f.severity == level for f in findings)} {level.label}" for level in levels)
    return f"{len(findings)} findings ({split} severity)"


def _more(items: list) -> str:
    return f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
