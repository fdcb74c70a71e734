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
    assert suppressed(result) == [(3, "exception-swallowed", "nosec (line 3): B110")]


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
