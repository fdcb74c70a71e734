"""--format review: the markdown review of shared/design/review-example.md."""
from conftest import review_text
from report_samples import (change_result, clean_result, netcfg_result, partly_reviewed_result, several_files_result,
                            suppressed_result)

from secreview.report import review

EXPECTED_NETCFG = '''## Security review of `netcfg.py`

### 1. Externally controlled lock name (CWE-400) — line 12 · severity low · confidence medium

**Description:** the lock name includes `name` from the request (line 10).

**Solution:** validate `name` before use, or lock on a fixed name.

### 2. OS command injection (CWE-78) — line 14 · severity high · confidence high

**Description:** `cmd` is built from `cidr` and `name`, both read from the HTTP query string, and is run through a shell.

**Evidence:**
  - line 10: `name = request.args["name"]` — untrusted (HTTP query parameter)
  - line 11: `cidr = request.args.get("cidr", "")` — untrusted
  - line 13: `cmd = "ip addr add %s dev %s" % (cidr, name)` — both formatted into `cmd`
  - line 14: `subprocess.run(cmd, shell=True, check=True)` — executed by a shell

**Solution:** pass an argument list without a shell.

### 3. Secret written to log (CWE-532) — line 15 · severity medium · confidence medium

**Description:** `app.config["ADMIN_PASSWORD"]` is logged at INFO level.

**Solution:** remove the secret from the message.

### Conclusion

3 security defects (1 high, 1 medium, 1 low) in 1 file, 16 lines reviewed with 60 rules (142 checks of code they apply to).
'''


def test_findings_with_and_without_trace_render_as_the_design_example():
    assert review.render(netcfg_result()) == EXPECTED_NETCFG


def test_clean_review_says_so_and_what_was_reviewed():
    assert review.render(clean_result()) == (
        "## Security review of `netcfg.py`\n\n"
        "No security defects are detected in the code.\n\n"
        "Reviewed 1 file, 16 lines, with 60 rules (142 checks of code they apply to).\n"
    )


def test_suppressed_findings_are_counted_and_listed_only_on_request():
    hidden = review.render(suppressed_result())
    assert review.CLEAN in hidden
    assert "1 finding was suppressed and not counted (run with `--show-suppressed` to list them)." in hidden
    assert "### Suppressed findings" not in hidden
    assert "sample-lock-name" not in hidden

    shown = review.render(suppressed_result(), show_suppressed=True)
    assert "### Suppressed findings\n\n- `netcfg.py` line 12: Externally controlled lock name (CWE-400, `sample-lock-name`)" \
        " — suppressed by secreview: ignore (line 12): names come from an allow-list\n" in shown
    assert "(listed under “Suppressed findings”)" in shown


def test_inputs_not_reviewed_are_listed_with_file_and_reason():
    text = review.render(suppressed_result())
    assert text.startswith("## Security review of 2 files\n")
    assert "1 file could not be reviewed (listed under “Not reviewed”)." in text
    assert "### Not reviewed\n\n- `broken.py` line 3: invalid Python syntax: invalid syntax (syntax-error)\n" in text


def test_several_files_name_the_file_of_each_finding_and_of_foreign_trace_steps():
    text = review.render(several_files_result())
    assert text.startswith("## Security review of 4 files\n")
    assert "### 1. Secret written to log (CWE-532) — `pkg/a.py` line 15 · severity medium" in text
    assert "  - `pkg/a.py` line 10: `name = request.args[\"name\"]` — untrusted\n" in text
    assert "  - line 14: `subprocess.run(cmd, shell=True, check=True)` — executed by a shell\n" in text
    assert "- `gone.py`: no such file or directory (missing-path)\n" in text
    assert text.endswith("### Conclusion\n\n2 security defects (1 high, 1 medium) in 2 files, 40 lines reviewed"
                         " with 60 rules (90 checks of code they apply to).\n2 files could not be reviewed (listed under “Not reviewed”).\n")


def test_nothing_reviewed_is_not_called_clean():
    result = suppressed_result()
    result.files, result.suppressed, result.lines = [], [], 0
    text = review.render(result)
    assert review.CLEAN not in text
    assert "No file could be reviewed, so nothing is concluded about the code." in text


def test_multi_line_findings_show_their_line_range():
    result = netcfg_result()
    result.findings[0].end_line = 13
    assert "— lines 12-13 · severity low" in review.render(result)


def test_code_spans_survive_backticks_and_control_characters():
    assert review.code("a`b") == "``a`b``"
    assert review.code("`x`") == "`` `x` ``"
    assert review.code("x = '\u202e'  # \x1b[31m") == "`x = '\\u202e'  # \\u001b[31m`"


def test_review_of_real_code():
    result = review_text("import os\n\ndef f(data):\n    return eval(data)\n", path="calc.py")
    text = review.render(result)
    assert "### 1. Code injection through eval (CWE-95) — line 4 · severity high" in text
    assert "1 security defect (1 high) in 1 file, 4 lines reviewed with" in text


def test_partly_reviewed_file_is_still_reviewed():
    text = review.render(partly_reviewed_result())
    assert text.startswith("## Security review of `netcfg.py`\n\nNo security defects are detected in the code.\n")
    assert "1 file was only partly reviewed (listed under “Not reviewed”).\n" in text
    assert "could not be reviewed" not in text
    assert "- `netcfg.py`: data-flow budget exceeded: some functions were reviewed by pattern rules only (budget)\n" in text


def test_change_review_names_the_change_and_what_was_left_out():
    text = review.render(change_result())
    assert text.startswith("## Security review of HEAD~1 (1a2b3c4)..working tree\n\n"
                           "2 changed lines in 1 file reviewed.\n\nCommits:\n- 1a2b3c4 Configure addresses through a shell\n\n"
                           "### 1. OS command injection (CWE-78) — line 14 ·")
    assert text.endswith("### Conclusion\n\n1 security defect (1 high) in the changed code; 1 file, 16 lines analysed"
                         " with 60 rules (142 checks of code they apply to).\n2 findings in unchanged code were not reported"
                         " (review without `--diff`/`--patch` to see them).\n")
    clean = change_result()
    clean.findings = []
    assert "No security defects are detected in the changed code.\n\nReviewed the changed code; 1 file, 16 lines analysed" \
        in review.render(clean)
