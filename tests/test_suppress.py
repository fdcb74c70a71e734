"""Inline suppressions: where they may sit, what they name, and that each one is counted."""
import json
import textwrap

import pytest
from click.testing import CliRunner

from conftest import review_text
from secreview.cli import main


def review(code: str):
    return review_text(textwrap.dedent(code))


def reported(result):
    return sorted((f.line, f.rule_id) for f in result.findings)


def suppressed(result):
    return sorted((f.line, f.rule_id, f.suppressed_by) for f in result.suppressed)


def test_rule_id_suppression_with_reason():
    result = review("""\
        x = eval(input())  # secreview: ignore[eval-used] admin-only debug console
        y = eval(input())
        """)
    assert reported(result) == [(2, "eval-used")]
    assert suppressed(result) == [(1, "eval-used", "secreview: ignore[eval-used] (line 1): admin-only debug console")]


def test_several_ids_bandit_ids_and_a_blanket_ignore():
    result = review("""\
        a = eval(input())  # secreview: ignore[exec-used, eval-used] -- reviewed
        b = eval(input())  # secreview: ignore[B307]
        c = eval(input())  # secreview: ignore
        d = eval(input())  # secreview: ignore[exec-used] wrong rule: still reported
        """)
    assert reported(result) == [(4, "eval-used")]
    assert [s[2] for s in suppressed(result)] == [
        "secreview: ignore[exec-used, eval-used] (line 1): reviewed",
        "secreview: ignore[B307] (line 2): no reason given",
        "secreview: ignore (line 3): no reason given",
    ]


def test_any_line_of_a_multi_line_statement():
    result = review("""\
        value = eval(
            input(),  # secreview: ignore[eval-used] fixture data
        )
        other = eval(
            input(),
        )  # nosec
        """)
    assert reported(result) == []
    assert [line for line, _, _ in suppressed(result)] == [1, 4]


def test_header_lines_of_a_compound_statement_but_not_its_body():
    result = review("""\
        if eval(input()):  # secreview: ignore[eval-used] header comment
            pass
        with open(eval(
                input())) as handle:  # nosec B307
            data = handle.read()
        if eval(input()):
            x = 1  # secreview: ignore[eval-used] a body line is another statement
        """)
    assert reported(result) == [(6, "eval-used")]
    assert [line for line, _, _ in suppressed(result)] == [1, 3]


def test_decorator_lines_belong_to_the_function_header():
    result = review("""\
        @register(eval(input()))  # secreview: ignore[eval-used] on the decorator line
        def handler(
            request,
        ):
            return request
        """)
    assert reported(result) == []
    assert len(result.suppressed) == 1


def test_except_clause_header_and_not_the_try_body():
    code = """\
        try:
            connect()  # secreview: ignore[exception-swallowed] on the try body: does not count
        except Exception:{comment}
            pass
        """
    assert reported(review(code.format(comment=""))) == [(3, "exception-swallowed")]
    result = review(code.format(comment="  # nosec B110"))
    assert reported(result) == []
    assert suppressed(result) == [(3, "exception-swallowed", "nosec B110 (line 3): no reason given")]


@pytest.mark.parametrize("comment, is_suppressed", [
    ("# nosec", True),
    ("# nosec: B307", True),
    ("# nosec B602, B307", True),
    ("# nosec B602", False),
    ("# nosec eval-used", True),
    ("# nosec exec-used", False),
    ("# nosec because the input is trusted", True),  # no ids: every rule, as in Bandit
    ("# NOSEC", True),
    ("# noqa: S307  # secreview: ignore[eval-used]", True),
    ("# TODO secreview: ignore[eval-used]", False),  # must start the comment
])
def test_nosec_forms(comment, is_suppressed):
    result = review(f"x = eval(input())  {comment}\n")
    assert bool(result.suppressed) == is_suppressed
    assert bool(result.findings) != is_suppressed


def test_comments_inside_strings_do_not_suppress():
    result = review('''\
        x = eval(input() + "  # nosec")
        y = eval(input() + """
        # secreview: ignore
        """)
        ''')
    assert reported(result) == [(1, "eval-used"), (2, "eval-used")]


def test_show_suppressed_lists_them_and_the_summary_counts_them(tmp_path):
    source = tmp_path / "a.py"
    source.write_text("eval(input())  # secreview: ignore[eval-used] test harness\n")
    runner = CliRunner()
    plain = runner.invoke(main, ["review", str(source)])
    assert plain.exit_code == 0
    assert "1 suppressed" in plain.output
    assert "test harness" not in plain.output
    shown = runner.invoke(main, ["review", str(source), "--show-suppressed"])
    assert "test harness" in shown.output
    document = json.loads(runner.invoke(main, ["review", str(source), "-f", "json"]).output)
    assert document["summary"]["suppressed"] == 1


def test_a_flow_through_a_helper_is_suppressed_by_the_sink_statement_and_counted_once():
    result = review("""\
        import sys


        def calc(code):
            value = [
                eval(code),
            ]  # secreview: ignore[eval-used] reviewed: callers pass arithmetic only
            return value


        calc(sys.argv[1])
        """)
    assert result.findings == []
    assert [(f.line, f.rule_id) for f in result.suppressed] == [(6, "eval-used")]


def warnings_of(result):
    return [(d.line, d.kind) for d in result.diagnostics]


@pytest.mark.parametrize("comment, problem", [
    ("# secreview: ignore[eval-used REPL for admins", "no closing `]`"),
    ("# secreview: ignore[]", "is empty"),
    ("# secreview: ignore[ ,]", "is empty"),
    ("# secreview: ignore eval-used admin console", "put rule ids in brackets"),
    ("# secreview: ignore B307", "put rule ids in brackets"),
    ("# secreview ignore[eval-used]", "not a suppression"),
    ("# secreview: ignroe[eval-used]", "not a suppression"),
])
def test_a_malformed_suppression_suppresses_nothing_and_is_reported_at_its_line(comment, problem):
    result = review(f"""\
        import os


        def run(a):
            os.system("ls " + a); eval(a)  {comment}
        """)
    assert reported(result) == [(5, "eval-used"), (5, "process-partial-path"), (5, "shell-command-injection")]
    assert result.suppressed == []
    [diagnostic] = result.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.kind) == ("snippet.py", 5, "bad-suppression")
    assert problem in diagnostic.message and "suppresses nothing" in diagnostic.message
    assert diagnostic.is_warning


def test_a_space_before_the_brackets_is_still_a_targeted_suppression():
    result = review("""\
        import os


        def run(a):
            os.system("ls " + a); eval(a)  # secreview: ignore [eval-used] REPL for admins
        """)
    assert [rule for _, rule in reported(result)] == ["process-partial-path", "shell-command-injection"]
    assert suppressed(result) == [(5, "eval-used", "secreview: ignore[eval-used] (line 5): REPL for admins")]
    assert result.diagnostics == []


def test_unknown_ids_in_brackets_are_warned_about_and_the_known_ones_still_count():
    result = review("""\
        a = eval(input())  # secreview: ignore[eval-use] typo
        b = eval(input())  # secreview: ignore[eval-used, exec-usd] one typo
        c = eval(input())  # secreview: ignore[B999]
        d = eval(input())  # nosec B999 Bandit's own ids are not checked
        """)
    assert reported(result) == [(1, "eval-used"), (3, "eval-used"), (4, "eval-used")]
    assert [line for line, _, _ in suppressed(result)] == [2]
    messages = {d.line: d.message for d in result.diagnostics}
    assert sorted(messages) == [1, 2, 3]
    assert "unknown rule id `eval-use` (did you mean `eval-used`?)" in messages[1]
    assert "unknown rule id `exec-usd` (did you mean `exec-used`?)" in messages[2]
    assert "no secreview rule covers Bandit id `B999`" in messages[3]


def test_well_formed_suppressions_and_prose_give_no_warning():
    result = review("""\
        # secreview reports eval below; see the ticket
        a = eval(input())  # secreview: ignore[eval-used] reviewed
        b = eval(input())  # secreview: ignore: trusted input
        c = "# secreview: ignore[]"  # (a string, not a comment)
        d = eval(input())  # nosec B307, B102
        """)
    assert result.diagnostics == []
    assert len(result.suppressed) == 3


@pytest.mark.parametrize("comment, reason", [
    ("# nosec: trusted admin tool", "nosec (line 1): trusted admin tool"),
    ("# nosec B307 trusted", "nosec B307 (line 1): trusted"),
    ("# nosec B602,B307", "nosec B602, B307 (line 1): no reason given"),
    ("# nosec B602, B307 - admin only", "nosec B602, B307 (line 1): admin only"),
    ("# nosec eval-used: fixture", "nosec eval-used (line 1): fixture"),
    ("# nosec", "nosec (line 1): no reason given"),
    ("# nosec because the input is trusted", "nosec (line 1): because the input is trusted"),
])
def test_nosec_keeps_its_reason(comment, reason):
    result = review(f"x = eval(input())  {comment}\n")
    assert [f.suppressed_by for f in result.suppressed] == [reason]


def test_a_malformed_suppression_is_a_warning_in_every_format(tmp_path):
    source = tmp_path / "a.py"
    source.write_text("def f(a):\n    return len(a)  # secreview: ignore[]\n")
    runner = CliRunner()
    text = runner.invoke(main, ["review", str(source), "--no-cache"])
    assert text.exit_code == 0  # the file was reviewed in full; the warning does not make it "not reviewed"
    assert f"{source}:2: warning (bad-suppression) malformed suppression" in text.output
    assert "1 warning" in text.output and "not reviewed" not in text.output
    document = json.loads(runner.invoke(main, ["review", str(source), "--no-cache", "-f", "json"]).output)
    assert document["summary"]["warnings"] == 1 and document["summary"]["partly_reviewed"] == 0
    assert document["diagnostics"][0]["kind"] == "bad-suppression" and document["diagnostics"][0]["line"] == 2
    sarif = json.loads(runner.invoke(main, ["review", str(source), "--no-cache", "-f", "sarif"]).output)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and ": warning: malformed suppression" in note["message"]["text"]
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True
    markdown = runner.invoke(main, ["review", str(source), "--no-cache", "-f", "review"]).output
    assert "### Warnings" in markdown and "### Not reviewed" not in markdown


@pytest.mark.parametrize("comment, is_suppressed", [
    ("# noqa: S324 cache key, not security", True),     # ruff's flake8-bandit code for Bandit's B324
    ("# noqa: E501,S324", True),
    ("# NOQA:S324", True),
    ("# noqa: E501", False),                             # not a security check
    ("# noqa", False),                                   # ruff's blanket form names no security check
    ("# noqa: S602", False),                             # another check's code
])
def test_ruff_noqa_with_a_flake8_bandit_code_suppresses_its_rules(comment, is_suppressed):
    result = review(f"import hashlib\ndigest = hashlib.md5(b'x' + input().encode()).hexdigest()  {comment}\n")
    assert [f.rule_id for f in result.suppressed] == (["weak-hash"] if is_suppressed else [])
    assert [f.rule_id for f in result.findings] == ([] if is_suppressed else ["weak-hash"])


def test_ruff_noqa_keeps_its_reason_and_is_never_noted_as_unused():
    result = review("""\
        import hashlib
        a = hashlib.md5(input().encode()).hexdigest()  # noqa: S324 cache key
        b = 1  # noqa: S324
        """)
    assert suppressed(result) == [(2, "weak-hash", "noqa: S324 (line 2): cache key")]
    assert not [n for n in result.notes if n.kind == "unused-suppression"]  # (ruff's comment: ruff needs it)
