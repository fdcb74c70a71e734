"""Stage: one defect, one finding.

A value that enters once and is never checked may reach several dangerous calls. cookiecutter's
``unzip()`` names the directory it returns after the archive's first member; that one unchecked
name is then listed, opened, copied and removed by nine calls in five files. A reviewer reports
the unchecked value once and says where it goes; so does secreview: the findings of one rule and
one CWE whose value comes from the same source and landed at the same step of the function that
hands it on (``Finding.root``, see dataflow.values.root_of) are one finding, reported at its
primary sink, which lists the others (``Finding.also``: "also reaches line N").

Kept apart, as different defects: different sources, rules or CWEs; a helper's own source handed
back to two callers (each caller's flow lands at its own call); findings without a data flow; and
those of rules whose defect is each call whatever the data (``Rule.groups_sinks_by_source``).

Every sink stays a finding of its own underneath, with its fingerprint and evidence:

- suppressions are applied to each sink before grouping (suppress.py). A comment on a sink's line
  silences that sink, not the others: ``# secreview: ignore[path-traversal]`` on one call says that
  call is fine, and vouches for nothing about calls elsewhere (maybe in other files, reviewed by
  someone else). So a comment on a secondary sink leaves the finding reported without it, and one
  on the primary's line leaves it reported at the next sink; silencing the defect everywhere
  takes a comment at each sink, or fixing the value where it enters;
- a baseline records every sink of a finding and accepts them one by one (baseline.py): a new
  call reached by an accepted defect's value is reported;
- a change review (changes_filter.py) reports a finding when any of its sinks is introduced, and
  heads it with one that is.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from secreview.findings import Finding

if TYPE_CHECKING:
    from secreview.inputs.changes import Change


def members(finding: Finding) -> list[Finding]:
    """The sinks of a finding: itself, then the other sinks it was reported for."""
    return [finding, *finding.also] if finding.also else [finding]


def every_sink(findings: list[Finding]) -> list[Finding]:
    """The findings, one per sink (the others a finding lists, as findings of their own)."""
    return [member for finding in findings for member in members(finding)]


def group(findings: list[Finding], change: Change | None = None) -> list[Finding]:
    """One finding per defect: the sinks one unchecked value reaches (same rule, CWE and root) as
    one finding, at its primary sink (see ``_primary``), listing the others in ``also``. Findings
    already grouped are grouped again from their sinks (after some were dropped: a baseline)."""
    if not any(finding.root for finding in findings):
        return findings
    same_root: dict[tuple, list[Finding]] = {}
    result: list[Finding] = []
    for finding in every_sink(findings):
        finding.also = []
        if finding.root:
            same_root.setdefault((finding.rule_id, finding.cwe, finding.root), []).append(finding)
        else:
            result.append(finding)
    for sinks in same_root.values():
        primary = min(sinks, key=lambda sink: _primary(sink, change))
        primary.also = sorted((sink for sink in sinks if sink is not primary), key=Finding.sort_key)
        result.append(primary)
    return result


def _primary(sink: Finding, change: Change | None) -> tuple:
    """The order in which a defect's sinks head its finding (least first): one the reviewed change
    introduces (the news, and where review tools take comments), the most confident and severe,
    the fewest calls away from where the value landed (the evidence enters fewest functions: in
    ``proxy()``, ``Request(url)`` before ``urlopen(req)`` inside the ``fetch(req)`` it calls), then
    the first in file order (in one function, the first use)."""
    introduced = change is not None and change.introduces(sink)
    calls = sum(step.note.startswith(ENTERS_FUNCTION) for step in sink.trace)
    return (not introduced, -sink.confidence, -sink.severity, calls, sink.sort_key())


ENTERS_FUNCTION = "parameter `"  # the note of the step where a value enters a function (dataflow/analyzer.py)
