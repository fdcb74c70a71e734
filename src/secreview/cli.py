"""Command line: ``secreview review PATH...|-`` and ``secreview rules [ID]``.

Exit codes (review): 0 no findings at or above --fail-on (or nothing to review); 1 findings at or above --fail-on;
2 usage or configuration error; 3 no such findings, but some input could not be reviewed;
130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import os
import sys

import click

from secreview import __version__
from secreview.config import Config, ConfigError, check_rule_ids, load_config
from secreview.findings import Level

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_NOT_REVIEWED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it (128 + SIGINT)
MAX_FIRST_LINE = 1_000_000  # a snippet's lines are placed at their line numbers: keep that bounded
LEVELS = click.Choice(["low", "medium", "high"], case_sensitive=False)


class ConfigFileError(click.ClickException):
    """A bad configuration file: "Error: <file>: <key>: <problem>", exit code 2 (no usage line:
    the command line is fine)."""

    exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="secreview")
def main() -> None:
    """secreview: a security code reviewer for Python."""


@main.command()
@click.argument("paths", nargs=-1, required=False)
@click.option("-f", "--format", "output_format", default=None,
              help="Output format: text (default; colored on a terminal), review (markdown), json, sarif, gerrit, github, github-review.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--config", "config_file", type=str, metavar="FILE",
              help="Configuration file: a pyproject.toml ([tool.secreview]) or a TOML file with the same "
                   "keys at top level (default: the nearest pyproject.toml with [tool.secreview] above "
                   "the first PATH).")
@click.option("--select", multiple=True, help="Only run these rules: rule ids or Bandit ids (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Do not run these rules: rule ids or Bandit ids (repeatable, comma-separated).")
@click.option("--min-severity", type=LEVELS, help="Report only findings of at least this severity.")
@click.option("--min-confidence", type=LEVELS, help="Report only findings of at least this confidence (default: medium).")
@click.option("--fail-on", type=LEVELS, help="Exit 1 when a finding of at least this severity is reported (default: low).")
@click.option("--first-line", type=click.IntRange(1, MAX_FIRST_LINE), default=None, metavar="N",
              help="With '-': the line number of the snippet's first line in its file, so reported lines match it.")
@click.option("--stdin-filename", metavar="PATH",
              help="With '-': the path to report for the snippet (and to match per-path-ignores); default <stdin>.")
@click.option("--show-suppressed", is_flag=True, help="List suppressed findings too (they are always counted).")
@click.option("--force-exclude", is_flag=True,
              help="Apply exclude and .gitignore to files named on the command line too (for pre-commit hooks).")
@click.option("--color/--no-color", default=None, help="Force colors on or off (default: on for a terminal).")
# --- Reviewing a change (issue 4): see changes_filter.py, inputs/changes.py, baseline.py ---------------
@click.option("--diff", "diff_rev", metavar="REV",
              help="Report only what the change from git revision REV to the working tree introduces "
                   "(PATHS, default '.', are still analysed whole). When REV is not an ancestor of HEAD "
                   "(a base branch that moved on), the change is counted from the merge-base of REV and "
                   "HEAD, as `git diff REV...HEAD`, plus uncommitted changes.")
@click.option("--patch", "patch_file", metavar="FILE|-",
              help="Report only what a unified diff introduces ('-': read it from stdin); the files on "
                   "disk may hold the old or the new version. A series (git format-patch) changing a "
                   "file several times is reviewed as one combined change.")
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="Do not report findings recorded in this baseline file (they count as suppressed), "
                   "unless now found with a higher confidence than recorded (e.g. a more dangerous source) "
                   "or reached by a flow from a source the file does not record (e.g. a new caller).")
@click.option("--write-baseline", "write_baseline_file", metavar="FILE",
              help="Record the reported findings in FILE as the baseline and exit 0 (3 if some input "
                   "could not be reviewed).")
# --- end of change review options ------------------------------------------------------------------
# --- speed options (parallel review, cache, progress: see runner.py) -----------------------------
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Review with N processes (default: the available cores).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="SECREVIEW_CACHE_DIR",
              help="Cache folder (env SECREVIEW_CACHE_DIR; default: .secreview_cache in the project root).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
# --- end of speed options -------------------------------------------------------------------------
def review(paths, output_format, output, config_file, select, ignore, min_severity, min_confidence,
           fail_on, first_line, stdin_filename, show_suppressed, force_exclude, color,
           jobs, cache_dir, no_cache, quiet, **change_options) -> None:
    """Review PATHS (files or directories; '-' reads a snippet from stdin), or a change with --diff
    or --patch.

    Directories are searched for *.py files, honouring .gitignore and the exclude globs of the
    configuration and skipping virtualenvs, .git, build output and caches. Named files are always
    reviewed (unless --force-exclude). A snippet may be a fragment (an indented method body,
    'return x'...): it is reviewed as it stands in its file.

    \b
    Exit codes:
      0  no finding at or above --fail-on (or nothing to review: the report says so)
      1  findings at or above --fail-on
      2  usage or configuration error
      3  no finding at or above --fail-on, but some input could not be reviewed
         (missing, unreadable, not valid Python...; see the errors in the report)
      130  interrupted (Ctrl-C): nothing is reported
    """
    from secreview.report import formatters

    config = _load_config(paths, config_file, stdin_filename)
    _apply_options(config, select, ignore, min_severity, min_confidence, fail_on)
    if "-" not in paths:
        for option, value in (("--first-line", first_line), ("--stdin-filename", stdin_filename)):
            if value is not None:
                raise click.UsageError(f"{option} only applies to a snippet read from stdin (the PATH '-').")

    available = formatters()
    interactive = output is None and sys.stdout.isatty()
    # text reads well both on a terminal (colored, code frames) and in a pipe or file (plain, one
    # "path:line:col:" header per finding for grep and editors), so it is the default everywhere.
    output_format = (output_format or "text").lower()
    if output_format not in available:
        raise click.UsageError(f"unknown format {output_format!r} (choose from {', '.join(sorted(available))})")

    change = _load_change(paths, **change_options)  # change review (issue 4)
    if change is not None and change.overrides:  # (a patch applied in memory: the configuration after it)
        config = _load_config(paths, config_file, stdin_filename, change.overrides)
        _apply_options(config, select, ignore, min_severity, min_confidence, fail_on)
    paths = paths or ((".",) if change else ())
    sources, diagnostics = _collect_inputs(paths, config, force_exclude, first_line, stdin_filename)
    if change is not None:
        _note_config_edit(change, config, paths, force_exclude, sources)
    for option, written in (("--output", output), ("--write-baseline", change_options.get("write_baseline_file"))):
        _refuse_overwriting_inputs(option, written, sources, change_options.get("patch_file"))
    if change is not None:
        from secreview.changes_filter import apply_overrides

        sources = apply_overrides(sources, change)
    try:
        result = _run_review(paths, sources, diagnostics, config, change, jobs, cache_dir, no_cache, quiet)
    except KeyboardInterrupt:
        click.echo("secreview: interrupted; nothing was reported", err=True)
        sys.exit(EXIT_INTERRUPTED)
    result = _limit_to_change(result, change, config, **change_options)  # change review (issue 4)
    text = available[output_format](result, color=interactive if color is None else color, show_suppressed=show_suppressed)
    _write(text, output)
    if change_options.get("write_baseline_file"):  # the findings are accepted into the baseline
        sys.exit(EXIT_NOT_REVIEWED if any(not d.is_warning for d in result.diagnostics) else EXIT_CLEAN)
    sys.exit(exit_code(result, config))


# --- Reviewing a change (issue 4) ---------------------------------------------------------------------
def _load_change(paths, diff_rev, patch_file, **_options):
    """The change to limit the report to (--diff/--patch), or None; usage errors exit 2."""
    if diff_rev is None and patch_file is None:
        if not paths:
            raise click.UsageError("Missing argument 'PATHS...' (or use --diff REV / --patch FILE).")
        return None
    from secreview.inputs.changes import ChangeError, change_from_git, change_from_patch, read_patch  # (a change only)

    if diff_rev is not None and patch_file is not None:
        raise click.UsageError("--diff and --patch cannot be used together.")
    if patch_file == "-" and "-" in paths:
        raise click.UsageError("--patch - and the PATH '-' cannot both read standard input.")
    try:
        if diff_rev is not None:
            return change_from_git(diff_rev, [p for p in paths if p != "-"])
        text, origin = read_patch(patch_file, sys.stdin.buffer)
        return change_from_patch(text, origin)
    except ChangeError as exc:
        raise click.UsageError(str(exc)) from None


def _note_config_edit(change, config, paths, force_exclude, sources) -> None:
    """What the change edits in the configuration the review uses, when it hides something (see
    config_changes.py): with new ``exclude`` globs, which files the review had before them."""
    from secreview.config_changes import config_edit
    from secreview.inputs.files import discover

    edit = change.config_edit = config_edit(change, config.source)
    if edit is not None and edit.adds_exclude:
        before, _diagnostics = discover([p for p in paths if p != "-"], edit.before_discovery(config), force_exclude)
        reviewed = {source.path for source in sources}
        edit.newly_excluded = sorted(source.path for source in before if source.path not in reviewed)


def _limit_to_change(result, change, config, baseline_file, write_baseline_file, **_options):
    """Restrict the report to the change, then write and/or apply the baseline."""
    if change is not None:
        from secreview.changes_filter import restrict_to_change

        result = restrict_to_change(result, change)
    if not baseline_file and not write_baseline_file:
        return result
    from secreview.baseline import BaselineError, apply_baseline, load_baseline, write_baseline

    try:
        baseline = load_baseline(baseline_file) if baseline_file else None  # read before it is rewritten
        if write_baseline_file:
            write_baseline(result.findings, write_baseline_file)
            click.echo(f"secreview: recorded {len(result.findings)} findings in {write_baseline_file}", err=True)
        if baseline is not None:
            if not baseline.records_sources and baseline_file != write_baseline_file:
                click.echo(f"secreview: {baseline_file} is a version 1 baseline, which does not record where the flows into "
                           "its sinks start: a new flow into a recorded sink is not reported; write it again with "
                           "--write-baseline to record them", err=True)
            result = apply_baseline(result, baseline, baseline_file, config.min_confidence)
    except BaselineError as exc:
        raise click.UsageError(str(exc)) from None
    return result
# --- end of change review ----------------------------------------------------------------------------


def _load_config(paths, config_file: str | None, stdin_filename: str | None, overrides=None) -> Config:
    """--config FILE, else the nearest [tool.secreview] above the first PATH (or --stdin-filename,
    or the current directory); a bad file exits 2 with a message naming the file and the key.
    ``overrides``: the files as a patch applied in memory leaves them (by path)."""
    if overrides:
        overrides = {os.path.abspath(path): content for path, content in overrides.items()}
    try:
        start = [p for p in paths if p != "-"] + ([stdin_filename] if stdin_filename else [])
        return load_config(start, config_file, overrides)
    except ConfigError as exc:
        raise ConfigFileError(str(exc)) from None


def _collect_inputs(paths, config: Config, force_exclude: bool, first_line: int | None, stdin_filename: str | None):
    """The files under PATHS (see inputs/files.py) and the stdin snippet for '-' (read once, even
    if '-' is given twice); plus a Diagnostic for each input that cannot be reviewed."""
    from secreview.inputs import SourceFile
    from secreview.inputs.files import discover

    sources, diagnostics = discover([p for p in paths if p != "-"], config, force_exclude)
    if "-" in paths:
        if sys.stdin.isatty():
            click.echo("secreview: reading the snippet to review from standard input (end it with Ctrl-D)", err=True)
        sources.insert(0, SourceFile(stdin_filename or "<stdin>", data=sys.stdin.buffer.read(),
                                     first_line=first_line or 1, snippet=True))
    return sources, diagnostics


# --- speed (runner.py) ----------------------------------------------------------------------------
def _run_review(paths, sources, diagnostics, config, change, jobs, cache_dir, no_cache, quiet):
    """The runner reviews in parallel, answers unchanged files from the cache and shows progress
    on a terminal. An unchanged tree is answered by the cache alone, before the runner and the
    analysis modules are even imported (see snapshot.py)."""
    from secreview import snapshot

    folder = None if no_cache else (cache_dir or snapshot.default_cache_dir(paths))
    stats = snapshot.RunStats()
    tree = snapshot.ask_snapshot(sources, config, folder, change, stats)
    result = tree.recall(diagnostics, stats)
    if result is None:
        from secreview import runner

        progress = not quiet and sys.stderr.isatty()
        result = runner.run_review(sources, config, diagnostics, jobs=jobs, cache_dir=folder, progress=progress,
                                   stats=stats, change=change, snapshot=tree)
    if stats.cache_note and cache_dir and not quiet:  # the default cache is best effort
        click.echo(f"secreview: cache not used: {stats.cache_note}", err=True)
    return result
# --- end of speed -----------------------------------------------------------------------------------


def _split(values) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _apply_options(config: Config, select, ignore, min_severity, min_confidence, fail_on) -> None:
    """Command-line options over the configuration file: --select replaces its list, --ignore
    adds to it, levels replace."""
    try:
        selected = check_rule_ids(_split(select), "--select") if select else []
        ignored = check_rule_ids(_split(ignore), "--ignore") if ignore else []
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if selected:
        config.select = selected
    config.ignore = [*config.ignore, *ignored]
    if min_severity:
        config.min_severity = Level.parse(min_severity)
    if min_confidence:
        config.min_confidence = Level.parse(min_confidence)
    if fail_on:
        config.fail_on = Level.parse(fail_on)


def _refuse_overwriting_inputs(option: str, output: str | None, sources, patch_file: str | None) -> None:
    """``-o FILE`` (or ``--write-baseline FILE``) naming a reviewed file, or the patch read, would
    replace the code with the report: refuse before anything is written (exit 2)."""
    if output is None:
        return
    try:
        target = os.stat(output)
    except OSError:
        return  # a new file cannot be one of the inputs
    inputs = [str(source.file) for source in sources if source.file is not None]
    if patch_file not in (None, "-"):
        inputs.append(patch_file)
    for name in inputs:
        try:
            same = os.path.samestat(target, os.stat(name))
        except OSError:
            continue
        if same:
            raise click.UsageError(f"{option} {output} is {'the patch' if name == patch_file else 'a file'} being "
                                   "reviewed; writing the report there would overwrite it. Choose another file.")


def _write(text: str, output: str | None) -> None:
    if output is None:
        # The formatter already chose colors (terminal or --color): click must not strip them.
        try:
            click.echo(text, nl=False, color=True)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (``secreview review . | head``): not an error, and the exit code
            # must still tell the result. Point stdout at devnull so the final flush cannot fail.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror}") from None


def exit_code(result, config: Config) -> int:
    if any(f.severity >= config.fail_on for f in result.findings):
        return EXIT_FINDINGS
    if any(not d.is_warning for d in result.diagnostics):  # (warnings: the file was reviewed in full)
        return EXIT_NOT_REVIEWED
    return EXIT_CLEAN


@main.command()
@click.argument("rule_id", required=False)
def rules(rule_id: str | None) -> None:
    """List every rule, or print the documentation of RULE_ID."""
    from secreview.rules import all_rules

    registry = all_rules()
    if rule_id is None:
        for rule in registry.values():
            bandit = ",".join(rule.bandit) or "-"
            click.echo(f"{rule.id:<32} CWE-{rule.cwe:<5} {rule.severity.label:<7} {bandit:<14} {rule.title}")
        click.echo(f"{len(registry)} rules")
        return
    matches = [r for r in registry.values() if r.id == rule_id or rule_id.upper() in r.bandit]
    if not matches:
        raise click.UsageError(f"unknown rule id {rule_id!r} (see 'secreview rules')")
    for rule in matches:
        click.echo(f"{rule.id}: {rule.title}")
        click.echo(f"CWE-{rule.cwe} · severity {rule.severity.label} · confidence {rule.confidence.label}"
                   + (f" · Bandit {', '.join(rule.bandit)}" if rule.bandit else ""))
        click.echo(f"\nWhat and why: {rule.description}")
        if rule.example:
            click.echo(f"\nExample:\n{_indent(rule.example)}")
        click.echo(f"\nFix: {rule.solution}")
        if rule.fixed:
            click.echo(f"\nFixed:\n{_indent(rule.fixed)}")


def _indent(code: str) -> str:
    return "\n".join("    " + line for line in code.splitlines())
