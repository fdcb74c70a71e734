"""Snippets from stdin: fragments are reviewed, at the lines and columns of their origin."""
import ast
import textwrap

import pytest

from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Diagnostic, Level
from secreview.inputs import SourceFile
from secreview.inputs.snippet import parse_snippet


def review_snippet(code: str, first_line: int = 1):
    config = Config(min_confidence=Level.LOW)
    return Reviewer(config).review([SourceFile("<stdin>", data=code.encode(), first_line=first_line, snippet=True)])


def positions(result, rule_id="eval-used"):
    return [(f.line, f.col) for f in result.findings if f.rule_id == rule_id]


def test_a_whole_snippet_lands_on_its_first_line():
    result = review_snippet("import sys\nx = eval(sys.argv[1])\n", first_line=120)
    assert positions(result) == [(121, 4)]
    assert result.lines == 2


def test_an_indented_method_body_keeps_the_columns_the_user_sees():
    code = "        value = input()\n        return eval(value)\n"
    result = review_snippet(code, first_line=41)
    assert positions(result) == [(42, 15)]
    assert not result.diagnostics
    finding = result.findings[0]
    assert finding.code == "return eval(value)"


@pytest.mark.parametrize("code", [
    "return eval(input())\n",
    "yield eval(input())\n",
    "result = await eval(input())\n",
    "nonlocal counter\ncounter = eval(input())\n",
    "    nonlocal counter\n    return eval(input())\n",
    "    x = await fetch()\n    yield eval(input())\n",
])
def test_statements_that_only_make_sense_in_a_function_are_reviewed(code):
    result = review_snippet(code, first_line=10)
    assert not result.diagnostics
    assert [line for line, _ in positions(result)] == [10 + code.count("\n") - 1]


def test_methods_cut_out_of_a_class_are_reviewed():
    code = textwrap.indent(textwrap.dedent("""\
        def get(self, request):
            return eval(request.GET["q"])

        @property
        def name(self):
            return eval(self.raw)
        """), "    ")
    result = review_snippet(code, first_line=200)
    assert not result.diagnostics
    assert positions(result) == [(201, 15), (205, 15)]
    assert result.files == ["<stdin>"]


def test_self_usage_in_a_top_level_fragment():
    result = review_snippet("cmd = self.request.args['c']\neval(cmd)\n")
    assert not result.diagnostics
    assert positions(result) == [(2, 0)]


def test_a_selection_starting_deep_in_a_block_keeps_every_statement():
    code = b"            x = 1\n    # comment\n        y = eval(input())\n    z = 3\nw = 4\n"
    parsed = parse_snippet("<stdin>", code, first_line=5)
    assert not isinstance(parsed, Diagnostic)
    assert [(s.targets[0].id, s.lineno, s.col_offset) for s in parsed.tree.body] == [
        ("x", 5, 12), ("y", 7, 8), ("z", 8, 4), ("w", 9, 0)]


def test_multi_line_strings_in_fragments_are_unchanged():
    parsed = parse_snippet("<stdin>", b'    q = """\n    SELECT 1\n    """\n')
    value = parsed.tree.body[0].value
    assert isinstance(value, ast.Constant) and value.value == "\n    SELECT 1\n    "


def test_snippet_source_lines_are_addressed_by_origin_line_numbers():
    parsed = parse_snippet("<stdin>", b"    a = 1\n    b = 2\n", first_line=30)
    assert parsed.source_line(31) == "    b = 2"
    assert parsed.line_count == 2


def test_unparsable_snippet_names_the_error_line_in_the_origin():
    result = review_snippet("x = 1\ny = (\nz = 2\n", first_line=50)
    [diagnostic] = result.diagnostics
    assert diagnostic.kind == "syntax-error"
    assert diagnostic.path == "<stdin>"
    assert 51 <= diagnostic.line <= 53


def test_an_indented_unparsable_snippet_reports_the_real_error_not_the_indentation():
    parsed = parse_snippet("<stdin>", b"    a = 1\n    b = = 2\n", first_line=10)
    assert not isinstance(parsed, Diagnostic)  # (reviewed without line 11: see test_snippet_recovery.py)
    assert parsed.recovered_error.line == 11
    assert "indent" not in parsed.recovered_error.message


def test_snippet_with_comments_before_indented_code():
    result = review_snippet("# copied from views.py\n\n    return eval(input())\n", first_line=3)
    assert positions(result) == [(5, 11)]


def test_suppression_comments_work_in_indented_fragments():
    code = "        data = input()\n        return eval(data)  # secreview: ignore[eval-used] trusted admin console\n"
    result = review_snippet(code, first_line=8)
    assert result.findings == []
    assert [(f.line, f.suppressed_by) for f in result.suppressed] == [
        (9, "secreview: ignore[eval-used] (line 9): trusted admin console")]


@pytest.mark.parametrize("code, expected", [
    ("else:\n    return eval(input())\n", [(21, 11)]),
    ("        else:\n            return eval(input())\n", [(21, 19)]),
    ("    elif mode == 'x':\n        return eval(input())\n    else:\n        return eval(input())\n", [(21, 15), (23, 15)]),
    ("except ValueError as error:\n    eval(input())\nelse:\n    eval(input())\nfinally:\n    eval(input())\n",
     [(21, 4), (23, 4), (25, 4)]),
    ("finally:\n    eval(input())\n", [(21, 4)]),
    ("    except* OSError:\n        eval(input())\n", [(21, 8)]),
])
def test_a_selection_starting_at_a_clause_is_reviewed_at_the_users_lines(code, expected):
    result = review_snippet(code, first_line=20)
    assert not result.diagnostics
    assert positions(result) == expected


def test_a_selection_going_back_to_a_clause_of_an_outer_block_keeps_both_branches():
    code = "        x = eval(input())\n    except KeyError:\n        y = eval(input())\n"
    result = review_snippet(code, first_line=5)
    assert not result.diagnostics
    assert positions(result) == [(5, 12), (7, 12)]
    code = "    return eval(input())\nelse:\n    return eval(input())\n"
    assert positions(review_snippet(code, first_line=5)) == [(5, 11), (7, 11)]


def test_the_blocks_put_around_a_clause_fragment_have_no_line_of_their_own():
    parsed = parse_snippet("<stdin>", b"except ValueError:\n    x = 1\n", first_line=30)
    assert not isinstance(parsed, Diagnostic)
    lines = {node.lineno for node in ast.walk(parsed.tree) if hasattr(node, "lineno")}
    assert lines == {30, 31}
    [block] = parsed.tree.body
    assert isinstance(block, ast.Try) and block.handlers[0].lineno == 30


def test_a_clause_inside_a_branch_is_not_dead_code():
    # ``else:`` after a block the snippet went back to: both branches may run (the block's test is
    # unknown, not ``True``, which the data flow would prune).
    code = "    cmd = input()\nelse:\n    cmd = 'ls'\nos.system(cmd)\n"
    fragment = review_snippet(code)
    assert not fragment.diagnostics
    assert [f.rule_id for f in fragment.findings if f.rule_id == "shell-command-injection"]


def test_an_unparsable_clause_fragment_still_names_the_error_line():
    parsed = parse_snippet("<stdin>", b"else:\n    x = = 1\n", first_line=10)
    assert not isinstance(parsed, Diagnostic)
    assert parsed.recovered_error.line == 11


def confidences(result, rule_id="eval-used"):
    return [f.confidence for f in result.findings if f.rule_id == rule_id]


@pytest.mark.parametrize("code", [
    '  return eval(request.form["e"])\n',
    '  return eval(request.args.get("e"))\n',
    '  return eval(request.json["e"])\n',
    'data = request.values\nreturn eval(data["e"])\n',
    'return eval(request.data)\n',
])
def test_a_view_body_pasted_without_its_imports_reads_the_request(code):
    result = review_snippet(code)
    assert confidences(result) == [Level.MEDIUM]
    [step, *_] = result.findings[0].trace
    assert "`request` taken as" in step.note


def test_the_assumed_request_is_reported_at_the_default_level():
    from click.testing import CliRunner

    from secreview.cli import main

    outcome = CliRunner().invoke(main, ["review", "-", "--no-cache", "-f", "json"], input='  return eval(request.form["e"])\n')
    assert outcome.exit_code == 1
    assert "[eval-used]" in outcome.output or '"eval-used"' in outcome.output


@pytest.mark.parametrize("code", [
    'request = build()\nreturn eval(request.form["e"])\n',  # the snippet binds it
    'from urllib import request\nreturn eval(request.form["e"])\n',  # another `request`
    'import request\nreturn eval(request.form["e"])\n',
    'def view(request):\n    return eval(request.form["e"])\n',  # a parameter: the file's imports decide
    'for request in queue:\n    eval(request.form["e"])\n',
    'return eval(request.other["e"])\n',  # not a request attribute
    'request("x")\nreturn eval(request.form["e"])\n',  # called: a function
    'return eval(request.form["e"] + request.body)\n',  # Flask's and Django's: ambiguous
])
def test_a_request_the_snippet_binds_or_uses_otherwise_is_not_assumed(code):
    assert confidences(review_snippet(code)) == [Level.LOW]


def test_a_free_request_in_a_file_is_not_assumed():
    from conftest import review_text

    result = review_text('def view():\n    return eval(request.form["e"])\n')
    assert [f.confidence for f in result.findings if f.rule_id == "eval-used"] == [Level.LOW]


def test_an_imported_request_keeps_its_own_confidence():
    assert confidences(review_snippet('from flask import request\nreturn eval(request.form["e"])\n')) == [Level.HIGH]
