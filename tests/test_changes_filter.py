"""The changed-lines filter and comment anchors, on hand-made changes and findings."""
from __future__ import annotations

import pytest

from secreview.changes_filter import anchor, restrict_to_change
from secreview.engine import ReviewResult
from secreview.findings import Diagnostic, Finding, Level, TraceStep
from secreview.inputs.changes import ChangedFile, Change, code_lines


def finding(path="app/views.py", line=10, end_line=None, trace=()):
    return Finding(
        rule_id="eval-used", title="Code injection through eval", cwe=95, severity=Level.HIGH,
        confidence=Level.HIGH, path=path, line=line, col=4, end_line=end_line or line, end_col=20,
        message="m", solution="s", code="eval(x)", trace=list(trace),
    )


def change(**files: set[int]) -> Change:
    result = Change(kind="diff", title="t")
    for name, lines in files.items():
        path = name.replace("__", "/") + ".py"
        result.files[path] = ChangedFile(path, "modified", frozenset(lines))
    return result


def test_primary_location_intersecting_a_changed_line():
    c = change(app__views={12})
    assert c.introduces(finding(line=12))
    assert c.introduces(finding(line=10, end_line=13))  # a multi-line statement
    assert not c.introduces(finding(line=10, end_line=11))
    assert not c.introduces(finding(path="app/other.py", line=12))


def test_trace_through_a_changed_line():
    # An old sink in an unchanged file, reached from a line the change adds.
    trace = [TraceStep("app/views.py", 7, 4, "execute(request.args['c'])", "HTTP query parameter (untrusted)"),
             TraceStep("app/utils.py", 2, 4, "eval(command)", "reaches the sink")]
    c = change(app__views={7})
    assert c.introduces(finding(path="app/utils.py", line=2, trace=trace))
    assert not change(app__views={8}).introduces(finding(path="app/utils.py", line=2, trace=trace))


def test_restrict_keeps_what_the_change_introduces_and_counts_the_rest():
    trace = [TraceStep("app/views.py", 7, 4, "call()", "source")]
    kept_direct, kept_flow, dropped = finding(line=3), finding(path="app/utils.py", line=2, trace=trace), finding(line=9)
    result = ReviewResult(
        findings=[kept_direct, kept_flow, dropped], files=["app/views.py", "app/utils.py"],
        diagnostics=[Diagnostic("app/views.py", "syntax-error", "x"), Diagnostic("app/old.py", "syntax-error", "y")],
    )
    c = change(app__views={3, 7})
    restrict_to_change(result, c)
    assert result.findings == [kept_direct, kept_flow]
    assert [d.path for d in result.diagnostics] == ["app/views.py"]
    assert (c.findings_outside, c.diagnostics_outside, c.changed_lines, c.reviewed_files) == (1, 1, 2, ["app/views.py"])
    assert result.change is c


def test_anchor_for_tools_that_take_only_diff_lines():
    trace = [TraceStep("app/views.py", 7, 4, "call()", "source")]
    flow = finding(path="app/utils.py", line=2, trace=trace)
    c = change(app__views={7, 12, 13, 14})
    assert anchor(flow, c, changed_lines_only=True) == anchor(flow, c, changed_lines_only=False)
    assert anchor(flow, c, changed_lines_only=True).moved
    assert (anchor(flow, c, changed_lines_only=True).path, anchor(flow, c, changed_lines_only=True).line) == ("app/views.py", 7)
    whole = anchor(finding(line=12, end_line=14), c, changed_lines_only=True)
    assert (whole.line, whole.end_line, whole.moved) == (12, 14, False)
    part = anchor(finding(line=11, end_line=13), c, changed_lines_only=True)
    assert (part.line, part.end_line) == (12, 12)  # GitHub: only lines of the diff
    assert (anchor(finding(line=11, end_line=13), c, changed_lines_only=False).line) == 11  # Gerrit: whole file
    assert anchor(finding(line=3), None, changed_lines_only=True).line == 3


@pytest.mark.parametrize("source, expected", [
    ("x = 1  # note\n", ["x = 1"]),
    ("# only a comment\n\n", ["", ""]),
    ("s = 'a # not a comment'\n", ["s = 'a # not a comment'"]),
    ('"""\ninside # a string\n"""\n', ['"""', "inside # a string", '"""']),
    ("broken = (\n  1  # c\n", ["broken = (", "  1"]),
])
def test_code_lines_strip_real_comments_only(source, expected):
    assert code_lines(source.encode()) == expected
