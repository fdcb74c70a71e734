"""``--format sarif``: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps...).

What GitHub reads is filled in: rules with ``security`` and ``external/cwe/cwe-N`` tags, a numeric
``security-severity`` string and ``precision``; results with a relative URI (in a git repository: relative to the repository top, with
``uriBaseId`` %SRCROOT% declared in the run's ``originalUriBaseIds``, whatever folder secreview ran
in, like the paths of the github and gerrit formats), a region and a
line-independent partial fingerprint; the data-flow trace as a code flow. Inputs that could not be
reviewed become ``toolExecutionNotifications`` so a clean-looking log is never a silent gap.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath

from secreview import __version__
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, Level, TraceStep
from secreview.report.common import dump_json, notices, not_reviewed, partly_reviewed, percent_encoded
from secreview.suppress import INLINE_FORMS

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "secreview/v1"
LEVEL = {Level.HIGH: "error", Level.MEDIUM: "warning", Level.LOW: "note"}
# GitHub maps security-severity to critical (>= 9.0), high (>= 7.0), medium (>= 4.0), low (> 0).
SECURITY_SEVERITY = {Level.HIGH: "8.0", Level.MEDIUM: "5.0", Level.LOW: "2.0"}
PRECISION = {Level.HIGH: "high", Level.MEDIUM: "medium", Level.LOW: "low"}


def render(result: ReviewResult, show_suppressed: bool = False, **_options) -> str:
    return dump_json(to_log(result, show_suppressed), indent=2)


SOURCE_ROOT_ID = "%SRCROOT%"


@dataclass(frozen=True)
class SourceRoot:
    """The git repository the review ran in: ``top`` (absolute) and the current directory within
    it (``prefix``, "" or "src/"). Displayed paths are relative to the current directory."""

    top: Path
    prefix: str


def find_source_root(cwd: Path | None = None) -> SourceRoot | None:
    """The repository holding the current directory, or None (not in one, or no git)."""
    from secreview.inputs.changes import ChangeError, Repository

    try:
        repo = Repository.find(cwd or Path("."))
    except ChangeError:
        return None
    return SourceRoot(repo.top.resolve(), repo.prefix)


def to_log(result: ReviewResult, show_suppressed: bool = False, root: SourceRoot | None | bool = True) -> dict:
    """The SARIF log; ``root``: True finds the repository of the current directory, None writes
    URIs relative to the current directory (the convention outside a repository)."""
    if root is True:
        root = find_source_root()
    locate = Locator(root or None)
    reported = result.findings + (result.suppressed if show_suppressed else [])
    reported.sort(key=Finding.sort_key)
    rule_ids = sorted({f.rule_id for f in reported})
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    run = {
        "tool": {"driver": driver([rule_descriptor(rule_id, reported) for rule_id in rule_ids])},
        "invocations": [invocation(result, locate)],
    }
    if locate.root is not None:
        run["originalUriBaseIds"] = {SOURCE_ROOT_ID: {"uri": PurePath(locate.root.top).as_uri().rstrip("/") + "/"}}
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = [sarif_result(f, rule_index[f.rule_id], locate) for f in reported]
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    if result.change is not None:  # --diff/--patch: say which change the results are limited to
        log["runs"][0]["properties"] = {"change": result.change.to_dict()}
    return log


def driver(rules: list[dict]) -> dict:
    tool = {"name": "secreview", "version": __version__, "semanticVersion": __version__}
    uri = information_uri()
    if uri:
        tool["informationUri"] = uri
    tool["rules"] = rules
    return tool


def information_uri() -> str | None:
    """The project's home page as declared in the package metadata (none is invented)."""
    try:
        meta = metadata.metadata("secreview")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "source", "repository"):
            return url.strip()
    return meta.get("Home-page") or None


def rule_descriptor(rule_id: str, reported: list[Finding]) -> dict:
    from secreview.rules import all_rules

    examples = [f for f in reported if f.rule_id == rule_id]
    rule = all_rules().get(rule_id)
    if rule is None:  # a finding from a rule that is not registered: describe it from the finding
        first = examples[0]
        title, cwe, severity, confidence = first.title, first.cwe, first.severity, first.confidence
        description, solution, example, fixed = first.message, first.solution, "", ""
    else:
        title, cwe, severity, confidence = rule.title, rule.cwe, rule.severity, rule.confidence
        description, solution, example, fixed = rule.description, rule.solution, rule.example, rule.fixed
    # A rule may refine the CWE per occurrence (eval of request data: CWE-95): tag each one seen.
    cwes = sorted({cwe} | {f.cwe for f in examples})
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": f"{description}\n\nFix: {solution}", "markdown": help_markdown(description, solution, example, fixed)},
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {
            "tags": ["security", *(f"external/cwe/cwe-{n}" for n in cwes)],
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": PRECISION[confidence],
        },
    }


def help_markdown(description: str, solution: str, example: str, fixed: str) -> str:
    parts = [description, f"**Fix:** {solution}"]
    if example:
        parts.append(f"Vulnerable:\n\n```python\n{example}\n```")
    if fixed:
        parts.append(f"Fixed:\n\n```python\n{fixed}\n```")
    return "\n\n".join(parts)


def sarif_result(finding: Finding, rule_index: int, locate: "Locator | None" = None) -> dict:
    locate = locate or Locator(None)
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": locate(finding.path, region(finding))}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "severity": finding.severity.label,
            "confidence": finding.confidence.label,
            "cwe": f"CWE-{finding.cwe}",
        },
    }
    if finding.trace:
        result["codeFlows"] = [code_flow(finding, locate)]
    if finding.also:
        also_reaches(result, finding, locate)
    if finding.suppressed_by:
        result["suppressions"] = [suppression(finding.suppressed_by)]
    return result


def code_flow(finding: Finding, locate: "Locator") -> dict:
    return {"threadFlows": [{"locations": [thread_flow_location(s, locate) for s in finding.trace]}]}


def also_reaches(result: dict, finding: Finding, locate: "Locator") -> None:
    """The other sinks of one defect (see root_causes.py): ``relatedLocations`` (each with its own
    fingerprint), linked from the message as SARIF viewers show them, and a code flow each."""
    related, links = [], []
    for number, sink in enumerate(finding.also, start=1):
        where = f"line {sink.line}" if sink.path == finding.path else f"{sink.path}:{sink.line}"
        related.append({"id": number, "physicalLocation": locate(sink.path, region(sink)),
                        "message": {"text": f"also reaches: {sink.code}"}, "properties": {"fingerprint": sink.fingerprint}})
        links.append(f"[{where}]({number})")
    result["relatedLocations"] = related
    result["message"]["text"] += f" The same unchecked value also reaches {', '.join(links)}."
    result.setdefault("codeFlows", []).extend(code_flow(sink, locate) for sink in finding.also if sink.trace)


def region(finding: Finding) -> dict:
    area = {"startLine": finding.line, "startColumn": finding.col + 1, "endLine": max(finding.end_line, finding.line)}
    if finding.end_col > 0 and (finding.end_line > finding.line or finding.end_col > finding.col):
        area["endColumn"] = finding.end_col + 1  # SARIF's endColumn is exclusive, like ast's
    return area


def thread_flow_location(step: TraceStep, locate: "Locator | None" = None) -> dict:
    locate = locate or Locator(None)
    location = {"physicalLocation": locate(step.path, {"startLine": step.line, "startColumn": step.col + 1})}
    if step.note:
        location["message"] = {"text": f"{step.code} — {step.note}" if step.code else step.note}
    return {"location": location}


def suppression(reason: str) -> dict:
    # Comments in the reviewed file are "inSource"; anything else (configuration) is "external".
    in_source = reason.startswith(INLINE_FORMS)
    return {"kind": "inSource" if in_source else "external", "justification": reason}


def invocation(result: ReviewResult, locate: "Locator | None" = None) -> dict:
    # An input that could not be reviewed at all makes the review partial: not fully successful.
    # A file reviewed with a caveat (e.g. data-flow budget exceeded) is a warning.
    partial = set(partly_reviewed(result))
    return {
        "executionSuccessful": not not_reviewed(result),
        "toolExecutionNotifications": [notification(d, d.path in partial, locate) for d in result.diagnostics]
        + [{"level": "note", "message": {"text": message}, "descriptor": {"id": kind}} for kind, message in notices(result)]
        + [note_notification(note, locate) for note in result.notes + result.assumptions],
    }


def notification(diagnostic: Diagnostic, reviewed: bool = False, locate: "Locator | None" = None) -> dict:
    locate = locate or Locator(None)
    area = {"startLine": diagnostic.line} if diagnostic.line else None
    status = "warning" if diagnostic.is_warning else "partly reviewed" if reviewed else "not reviewed"
    return {
        "level": "warning" if reviewed or diagnostic.is_warning else "error",
        "message": {"text": f"{diagnostic.path}: {status}: {diagnostic.message}"},
        "descriptor": {"id": diagnostic.kind},
        "locations": [{"physicalLocation": locate(diagnostic.path, area)}],
    }


def note_notification(note: Diagnostic, locate: "Locator | None" = None) -> dict:
    """A note on a suppression comment (unused; added by the change over a finding), or on what a
    snippet was reviewed assuming, at its line."""
    locate = locate or Locator(None)
    return {
        "level": "note",
        "message": {"text": f"{note.path}: {note.message}"},
        "descriptor": {"id": note.kind},
        "locations": [{"physicalLocation": locate(note.path, {"startLine": note.line})}],
    }


class Locator:
    """Physical locations of displayed paths: relative to the repository top with uriBaseId
    %SRCROOT% when in a repository (GitHub code scanning resolves URIs against the repository
    root, so a run from a subdirectory must not write paths relative to it); a path outside the
    repository becomes a file: URI; without a repository, URIs are relative to the current
    directory. Names that are not files (``<stdin>``) stay as they are."""

    def __init__(self, root: SourceRoot | None) -> None:
        self.root = root

    def __call__(self, path: str, area: dict | None) -> dict:
        if self.root is None or path.startswith("<"):
            return physical_location(path, area)
        from secreview.inputs.changes import repository_path

        if os.path.isabs(path):
            inside = os.path.relpath(path, self.root.top)
        else:
            inside = repository_path(path, self.root.prefix)
        if inside == ".." or inside.startswith("../") or os.path.isabs(inside):
            return physical_location(os.path.abspath(path), area)
        location: dict = {"artifactLocation": {"uri": artifact_uri(inside), "uriBaseId": SOURCE_ROOT_ID}}
        if area:
            location["region"] = area
        return location


def physical_location(path: str, area: dict | None) -> dict:
    location: dict = {"artifactLocation": {"uri": artifact_uri(path)}}
    if area:
        location["region"] = area
    return location


def artifact_uri(path: str) -> str:
    """Relative paths stay relative (with forward slashes) so services resolve them against the
    repository root; absolute ones become file: URIs."""
    if os.path.isabs(path):
        return PurePath(path).as_uri()  # (percent-encodes the name's bytes, as below)
    return percent_encoded(path.replace(os.sep, "/"))
