"""The formats through the command line: default, --output for every format, --color."""
import json

import pytest
from click.testing import CliRunner

from secreview.cli import main

CODE = "import sys\n\ndef f():\n    return eval(sys.argv[1])\n"


@pytest.fixture
def code_file(tmp_path):
    path = tmp_path / "calc.py"
    path.write_text(CODE)
    return path


def run(*args):
    return CliRunner().invoke(main, ["review", *map(str, args)])


@pytest.mark.parametrize("fmt, marker", [
    ("text", "calc.py:4:12: high Code injection through eval"),
    ("review", "### 1. Code injection through eval (CWE-95) — line 4"),
    ("json", '"schema_version": 1'),
    ("sarif", '"version": "2.1.0"'),
])
def test_output_file_works_with_every_format(tmp_path, code_file, fmt, marker):
    out = tmp_path / f"report.{fmt}"
    result = run(code_file, "--format", fmt, "--output", out)
    assert result.exit_code == 1, result.output
    assert result.output == ""
    written = out.read_text(encoding="utf-8")
    assert marker in written
    assert "\x1b[" not in written
    if fmt in ("json", "sarif"):
        json.loads(written)


def test_default_format_off_a_terminal_is_plain_text(code_file):
    result = run(code_file)
    assert "calc.py:4:12: high Code injection through eval (CWE-95) [eval-used]" in result.output
    assert "  > 4 |     return eval(sys.argv[1])\n" in result.output
    assert "\x1b[" not in result.output


def test_color_can_be_forced(code_file):
    assert "\x1b[" in run(code_file, "--color").output


def test_review_format_on_stdin_snippet():
    result = CliRunner().invoke(main, ["review", "-", "--format", "review", "--first-line", "40"], input="import sys\neval(sys.argv[1])\n")
    assert result.exit_code == 1
    assert result.output.startswith("## Security review of `<stdin>`\n\n### 1. Code injection through eval (CWE-95) — line 41")


def test_format_name_is_case_insensitive_and_checked(code_file):
    assert run(code_file, "--format", "SARIF").exit_code == 1
    bad = run(code_file, "--format", "html")
    assert bad.exit_code == 2
    assert "unknown format 'html' (choose from " in bad.output and "review, sarif, text)" in bad.output
