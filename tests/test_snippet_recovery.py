"""A snippet with a syntax error is reviewed without the offending lines (inputs/snippet.py), at
its own line numbers, and reported as partly reviewed with the error; a file on disk is not."""
import json

from click.testing import CliRunner

from secreview.cli import EXIT_FINDINGS, EXIT_NOT_REVIEWED, main

MISSING_COLON = '''def profile():
    uid = request.args["id"]
    row = db.execute("SELECT * FROM users WHERE id = " + uid).fetchone()
    if row is None
        abort(404)
    return render_template("profile.html", user=row)
'''


def review(args, code):
    return CliRunner().invoke(main, ["review", *args, "--no-cache", "--min-confidence", "low"], input=code)


def document(args, code):
    outcome = review(args, code)
    return outcome, json.loads(outcome.output)


def test_the_rest_of_a_snippet_with_a_syntax_error_is_reviewed():
    outcome, data = document(["-", "-f", "json"], MISSING_COLON)
    assert outcome.exit_code == EXIT_FINDINGS
    assert (3, "sql-injection", 89) in {(f["line"], f["rule_id"], f["cwe"]) for f in data["findings"]}
    [diagnostic] = data["diagnostics"]
    assert (diagnostic["kind"], diagnostic["line"]) == ("syntax-error", 4)
    assert "expected ':'" in diagnostic["message"] and "without line 4" in diagnostic["message"]
    assert data["summary"]["partly_reviewed"] == 1 and data["summary"]["not_reviewed"] == 0


def test_the_review_says_partly_reviewed_with_the_error():
    text = review(["-", "-f", "review"], MISSING_COLON).output
    assert "1 file was only partly reviewed" in text
    assert "`<stdin>` line 4: invalid Python syntax: expected ':'" in text


def test_lines_keep_the_origins_numbers():
    _, data = document(["-", "--first-line", "40", "-f", "json"], MISSING_COLON)
    assert (42, "sql-injection") in {(f["line"], f["rule_id"]) for f in data["findings"]}
    assert data["diagnostics"][0]["line"] == 43


def test_the_body_of_a_broken_block_head_is_still_reviewed():
    code = "if ready\n    eval(input())\n"
    _, data = document(["-", "-f", "json"], code)
    assert [(f["line"], f["rule_id"]) for f in data["findings"]] == [(2, "eval-used")]


def test_a_line_indented_where_no_block_opens_is_left_out():
    code = "x = 1\n        y = 2\neval(input())\n"
    _, data = document(["-", "-f", "json"], code)
    assert [(f["line"], f["rule_id"]) for f in data["findings"]] == [(3, "eval-used")]
    assert data["diagnostics"][0]["line"] == 2


def test_a_clean_snippet_reviewed_in_part_is_not_a_clean_review():
    outcome = review(["-", "-f", "text"], "x = = 1\nprint('hi')\n")
    assert outcome.exit_code == EXIT_NOT_REVIEWED
    assert "1 file partly reviewed" in outcome.output


def test_a_snippet_that_stays_broken_is_not_reviewed():
    code = "".join(f"x{i} = = {i}\n" for i in range(8))  # more broken lines than are ever replaced
    outcome, data = document(["-", "-f", "json"], code)
    assert outcome.exit_code == EXIT_NOT_REVIEWED
    assert data["files"] == [] and data["summary"]["not_reviewed"] == 1
    assert data["diagnostics"][0]["line"] == 1


def test_a_file_on_disk_with_a_syntax_error_is_not_reviewed(tmp_path):
    path = tmp_path / "views.py"
    path.write_text(MISSING_COLON)
    outcome, data = document([str(path), "-f", "json"], None)
    assert outcome.exit_code == EXIT_NOT_REVIEWED
    assert data["findings"] == [] and data["files"] == []
    assert data["diagnostics"][0]["line"] == 4
