"""The review command end to end: stdin snippets, exit codes, help, output to a closed pipe."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from secreview.cli import main

TAINTED = "import sys\nresult = eval(sys.argv[1])\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["review", *map(str, args)], input=input)


def test_stdin_snippet_lines_match_the_origin():
    snippet = "        arg = input()\n        return eval(arg)\n"
    result = run("-", "--first-line", "310", "-f", "json", input=snippet)
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert (finding["path"], finding["line"], finding["column"]) == ("<stdin>", 311, 16)
    assert finding["code"] == "return eval(arg)"


def test_stdin_filename_names_the_snippet():
    result = run("-", "--stdin-filename", "app/views.py", "-f", "json", input=TAINTED)
    assert [f["path"] for f in json.loads(result.output)["findings"]] == ["app/views.py"]


def test_stdin_and_files_together(tmp_path):
    (tmp_path / "a.py").write_text(TAINTED)
    result = run(tmp_path / "a.py", "-", "-", "-f", "json", input=TAINTED)
    paths = [f["path"] for f in json.loads(result.output)["findings"]]
    assert sorted(paths) == sorted(["<stdin>", str(tmp_path / "a.py")])


def test_exit_codes(tmp_path):
    clean = tmp_path / "clean.py"
    clean.write_text("x = 1\n")
    broken = tmp_path / "broken.py"
    broken.write_text("def (\n")
    dirty = tmp_path / "dirty.py"
    dirty.write_text(TAINTED)
    assert run(clean).exit_code == 0
    assert run(dirty).exit_code == 1
    assert run(dirty, broken).exit_code == 1  # findings win over unreviewed input
    assert run(clean, broken).exit_code == 3
    assert run(dirty, "--fail-on", "high").exit_code == 1
    assert run(clean, "--no-such").exit_code == 2


def test_help_documents_exit_codes_and_snippets():
    text = CliRunner().invoke(main, ["review", "--help"]).output
    for expected in ("0  no finding at or above --fail-on", "1  findings at or above --fail-on",
                     "2  usage or configuration error", "3  no finding at or above --fail-on, but some input",
                     "--first-line N", "--stdin-filename", "--force-exclude", ".gitignore"):
        assert expected in text


def test_no_paths_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_a_closed_output_pipe_keeps_the_exit_code_and_shows_no_traceback(tmp_path):
    (tmp_path / "clean.py").write_text("x = 1\n")
    (tmp_path / "dirty.py").write_text(TAINTED)
    for name, expected in (("clean.py", 0), ("dirty.py", 1)):
        process = subprocess.Popen([sys.executable, "-m", "secreview", "review", str(tmp_path / name)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.stdout.close()  # the reader is gone before anything is written, like `| head -0`
        stderr = process.stderr.read().decode()
        process.stderr.close()
        assert process.wait(timeout=60) == expected, stderr
        assert "Traceback" not in stderr and "Error" not in stderr


@pytest.mark.parametrize("fmt, said", [
    ("text", "note: No Python file was found to review."),
    ("review", "No Python file was found to review."),
    ("json", '"kind": "no-python-files"'),
    ("sarif", '"id": "no-python-files"'),
    ("github", "No Python file was found to review."),
])
def test_a_folder_without_python_files_says_so_in_every_format(tmp_path, fmt, said):
    (tmp_path / "readme.txt").write_text("hi\n")
    result = run(tmp_path, "-f", fmt, "--no-cache")
    assert result.exit_code == 0  # nothing to review is not an error (README, exit codes)
    assert said in result.output


def test_the_report_cannot_overwrite_a_reviewed_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "v2.py").write_text(TAINTED)
    (tmp_path / "link.py").symlink_to("v2.py")
    for args in (["v2.py", "-o", "v2.py"], [".", "-o", "./link.py"], ["-", "--stdin-filename", "v2.py", ".", "-o", "v2.py"]):
        result = run(*args, "--no-cache", input=TAINTED)
        assert result.exit_code == 2, args
        assert "is a file being reviewed; writing the report there would overwrite it" in result.output
        assert (tmp_path / "v2.py").read_text() == TAINTED
    refused = run("v2.py", "--write-baseline", "v2.py", "--no-cache")
    assert refused.exit_code == 2 and "--write-baseline v2.py is a file being reviewed" in refused.output
    assert (tmp_path / "v2.py").read_text() == TAINTED
    assert run("v2.py", "-o", "report.txt", "--no-cache").exit_code == 1  # another file is fine
    assert "eval-used" in (tmp_path / "report.txt").read_text()
