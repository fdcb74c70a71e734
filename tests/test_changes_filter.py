"""The changed-lines filter and comment anchors, on hand-made changes and findings."""
from __future__ import annotations

import io

import pytest
import unidiff

from secreview.changes_filter import Anchor, anchor, restrict_to_change
from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, Level, TraceStep
from secreview.inputs.changes import ChangedFile, Change, changed_python_file, code_lines


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


HELPER_BEFORE = '''def clean(h):
    """Quote."""
    h = quote(h)
    return h


def other(v):
    return v
'''


def changed_helper(diff: str, after: str) -> ChangedFile:
    (patched,) = unidiff.PatchSet(io.StringIO(diff))
    return changed_python_file("helper.py", "modified", patched, HELPER_BEFORE.encode(), after.encode())


@pytest.mark.parametrize("context", [True, False], ids=["with-context", "without-context"])
def test_removed_code_line_is_an_edit_of_the_flow(context):
    after = HELPER_BEFORE.replace("    h = quote(h)\n", "")
    hunk = ("@@ -1,4 +1,3 @@\n def clean(h):\n     \"\"\"Quote.\"\"\"\n-    h = quote(h)\n     return h\n" if context
            else "@@ -3 +2,0 @@\n-    h = quote(h)\n")
    changed = changed_helper(f"--- a/helper.py\n+++ b/helper.py\n{hunk}", after)
    assert changed.lines == frozenset()  # nothing added: no changed line...
    assert changed.flow_edits == {3}  # ...but the flow of clean() goes over line 3 (`return h`), where it was
    assert changed.function_at(3) == (1, 3) and changed.function_at(6) == (6, 7)


def test_docstring_and_comment_edits_are_no_edit_of_the_flow():
    after = HELPER_BEFORE.replace("Quote.", "Quote it.").replace("h = quote(h)", "h = quote(h)  # always")
    diff = ("--- a/helper.py\n+++ b/helper.py\n@@ -1,4 +1,4 @@\n def clean(h):\n-    \"\"\"Quote.\"\"\"\n"
            "-    h = quote(h)\n+    \"\"\"Quote it.\"\"\"\n+    h = quote(h)  # always\n     return h\n")
    changed = changed_helper(diff, after)
    assert changed.lines == {2} and changed.flow_edits == frozenset()


def test_flow_over_an_edit_between_two_steps_of_one_function():
    def step(line, path="helper.py"):
        return TraceStep(path, line, 4, "", "")
    c = Change(kind="diff", title="t")
    c.files["helper.py"] = ChangedFile("helper.py", "modified", frozenset(), flow_edits=frozenset({3}),
                                       functions=((1, 4), (7, 8)))
    through = finding(path="views.py", line=20, trace=[step(19, "views.py"), step(1), step(4), step(20, "views.py")])
    assert c.introduces(through) and c.edit_passed_over(through) == ("helper.py", 3)
    assert anchor(through, c, changed_lines_only=True) == Anchor("helper.py", 3, 3, moved=True)
    beside = finding(path="views.py", line=20, trace=[step(19, "views.py"), step(7), step(8), step(20, "views.py")])
    assert not c.introduces(beside)  # another function of the file
    across = finding(path="helper.py", line=8, trace=[step(2), step(8)])  # from one function to another
    assert not c.introduces(across)


def test_a_suppression_warning_is_kept_on_a_changed_line_only_and_never_counted_as_not_analysed():
    warnings = [Diagnostic("app/views.py", "bad-suppression", "new", 3), Diagnostic("app/views.py", "bad-suppression", "old", 9),
                Diagnostic("app/old.py", "bad-suppression", "old", 3)]
    result = ReviewResult(files=["app/views.py", "app/old.py"], diagnostics=[Diagnostic("app/old.py", "syntax-error", "y"), *warnings])
    c = change(app__views={3})
    restrict_to_change(result, c)
    assert [(d.path, d.line) for d in result.diagnostics] == [("app/views.py", 3)]
    assert c.diagnostics_outside == 1  # the syntax error only
