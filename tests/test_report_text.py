"""--format text: code frames, plain without a terminal, colored with --color."""
import re

from conftest import review_text
from report_samples import (change_result, clean_result, netcfg_result, partly_reviewed_result, several_files_result,
                            suppressed_result)

from secreview.report import text

ANSI = re.compile(r"\x1b\[[0-9;]*m")

EXPECTED_INJECTION = '''netcfg.py:14:9: high OS command injection (CWE-78) [sample-shell-injection] confidence high
  `cmd` is built from `cidr` and `name`, both read from the HTTP query string, and is run through a shell.
    12 |     with lockutils.lock("iface-" + name):
    13 |         cmd = "ip addr add %s dev %s" % (cidr, name)
  > 14 |         subprocess.run(cmd, shell=True, check=True)
       |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    15 |     LOG.info("configured %s with password %s", name, app.config["ADMIN_PASSWORD"])
    16 |     return "ok"
  evidence:
    line 10: name = request.args["name"] — untrusted (HTTP query parameter)
    line 11: cidr = request.args.get("cidr", "") — untrusted
    line 13: cmd = "ip addr add %s dev %s" % (cidr, name) — both formatted into `cmd`
    line 14: subprocess.run(cmd, shell=True, check=True) — executed by a shell
  fix: pass an argument list without a shell.
'''


def test_finding_with_trace_has_a_code_frame_and_evidence():
    output = text.render(netcfg_result())
    assert EXPECTED_INJECTION in output
    assert not ANSI.search(output)


def test_finding_without_trace_has_no_evidence_section():
    output = text.render(netcfg_result())
    block = output.split("\n\n")[0]
    assert block.startswith("netcfg.py:12:10: low Externally controlled lock name (CWE-400) [sample-lock-name]")
    assert "  > 12 |     with lockutils.lock(\"iface-\" + name):\n       |          " + "^" * 31 + "\n" in block
    assert "evidence:" not in block


def test_summary_line_counts_everything():
    assert text.render(netcfg_result()).endswith(
        "\n3 findings (1 high, 1 medium, 1 low); 1 file, 16 lines, 60 rules, 142 rule checks\n")
    assert text.render(clean_result()) == "0 findings; 1 file, 16 lines, 60 rules, 142 rule checks\n"


def test_suppressed_findings_and_diagnostics():
    assert text.render(suppressed_result()) == (
        "broken.py:3: not reviewed (syntax-error) invalid Python syntax: invalid syntax\n"
        "0 findings; 1 file, 16 lines, 60 rules, 142 rule checks; 1 suppressed (--show-suppressed lists them);"
        " 1 file not reviewed\n")
    shown = text.render(suppressed_result(), show_suppressed=True)
    assert shown.startswith("netcfg.py:12:10: suppressed Externally controlled lock name (CWE-400) [sample-lock-name]"
                            " — secreview: ignore (line 12): names come from an allow-list\n")


def test_without_excerpt_the_flagged_code_is_shown_and_foreign_trace_steps_named():
    output = text.render(several_files_result())
    assert "  >   14 | subprocess.run(cmd, shell=True, check=True)\n" in output
    assert "    pkg/a.py:10: name = request.args[\"name\"] — untrusted\n" in output
    assert "gone.py: not reviewed (missing-path) no such file or directory\n" in output


def test_color_output_uses_ansi_and_keeps_the_same_text():
    colored = text.render(netcfg_result(), color=True)
    assert ANSI.search(colored)
    assert ANSI.sub("", colored) == text.render(netcfg_result())


def test_real_review_frames_multi_line_calls_and_non_ascii_columns():
    code = 'def f(data, more):\n    s = "été"; eval(data)\n    return eval(\n        more,\n    )\n'
    output = text.render(review_text(code))
    # columns count characters, so the caret sits under eval even after non-ASCII text
    assert '  > 2 |     s = "été"; eval(data)\n      |                ^^^^^^^^^^\n' in output
    assert "snippet.py:2:16:" in output
    assert "  > 3 |     return eval(\n      |            ^^^^^\n  > 4 |         more,\n  > 5 |     )\n" in output


def test_reviewed_code_cannot_inject_terminal_escapes():
    code = 'eval(x)  # \x1b[2J\u202e\n'
    output = text.render(review_text(code), color=True)
    assert "\x1b[2J" not in output and "\u202e" not in output
    assert "\\u001b[2J\\u202e" in output


def test_summary_tells_partly_reviewed_and_change_left_outs():
    assert text.render(partly_reviewed_result()).endswith("; 1 file partly reviewed\n")
    assert text.render(change_result()).endswith(
        "1 finding (1 high); 1 file, 16 lines, 60 rules, 142 rule checks; 2 in unchanged code not reported\n")
