"""Bad input: each gives a diagnostic naming the file in every format, the run goes on, the exit
code says so (3 when nothing else is wrong), and there is never a traceback."""
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from secreview import engine
from secreview.cli import main
from secreview.report import formatters

GOOD = "import sys\nresult = eval(sys.argv[1])\n"

BAD_FILES = {
    "syntax.py": (b"def broken(:\n    pass\n", "syntax-error"),
    "cookie.py": (b"# -*- coding: no-such-codec -*-\nx = 1\n", "decode-error"),
    "latin.py": (b"x = 1\ny = '\xe9t\xe9'\n", "decode-error"),
    "nul.py": (b"x = 1\x00\ny = 2\n", "nul-byte"),
    "image.py": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)), "binary"),
    "parens.py": (b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n", "syntax-error"),
    "chain.py": (b"x = " + b"a + " * 100_000 + b"a\n", "too-complex"),
}


def run(*args, input=None):
    return CliRunner().invoke(main, ["review", *map(str, args)], input=input)


def assert_clean_exit(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_a_diagnostic_and_the_good_file_is_still_reviewed(project, name):
    data, kind = BAD_FILES[name]
    (project / name).write_bytes(data)
    document = json.loads(run(".", "-f", "json").output)
    assert [(d["path"], d["kind"]) for d in document["diagnostics"]] == [(name, kind)]
    assert [f["path"] for f in document["findings"]] == ["good.py"]
    only_bad = run(name)
    assert_clean_exit(only_bad)
    assert only_bad.exit_code == 3


@pytest.mark.parametrize("fmt", sorted(formatters()))
def test_every_format_names_the_file_that_was_not_reviewed(project, fmt):
    (project / "syntax.py").write_bytes(BAD_FILES["syntax.py"][0])
    result = run(".", "-f", fmt)
    assert_clean_exit(result)
    assert result.exit_code == 1  # good.py has a finding
    assert "syntax.py" in result.output
    if fmt == "sarif":
        notifications = json.loads(result.output)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert any("syntax.py" in json.dumps(n) for n in notifications)


def test_the_error_line_is_given(project):
    (project / "late.py").write_text("x = 1\n\ny = (\n")
    [diagnostic] = json.loads(run("late.py", "-f", "json").output)["diagnostics"]
    assert diagnostic["line"] == 3


def test_unreadable_file(project, monkeypatch):
    (project / "secret.py").write_text(GOOD)
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # tests run as root, which chmod 000 does not stop
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    document = json.loads(run(".", "-f", "json").output)
    assert [(d["path"], d["kind"]) for d in document["diagnostics"]] == [("secret.py", "unreadable")]
    assert [f["path"] for f in document["findings"]] == ["good.py"]


def test_missing_paths_and_symlink_loops(project):
    (project / "loop_a.py").symlink_to("loop_b.py")
    (project / "loop_b.py").symlink_to("loop_a.py")
    (project / "sub").mkdir()
    (project / "sub" / "again").symlink_to("..")
    result = run("missing.py", "loop_a.py", ".", "-f", "json")
    assert_clean_exit(result)
    document = json.loads(result.output)
    assert sorted((d["path"], d["kind"]) for d in document["diagnostics"]) == [
        ("loop_a.py", "symlink-loop"), ("loop_a.py", "symlink-loop"), ("loop_b.py", "symlink-loop"),
        ("missing.py", "missing-path")]
    assert [f["path"] for f in document["findings"]] == ["good.py"]
    assert result.exit_code == 1


def test_a_directory_named_like_a_python_file(project):
    (project / "weird.py").mkdir()
    (project / "weird.py" / "inside.py").write_text(GOOD)
    result = run("weird.py", "-f", "json")
    assert_clean_exit(result)
    assert [f["path"] for f in json.loads(result.output)["findings"]] == ["weird.py/inside.py"]


def test_a_10_mb_file_is_reviewed_in_reasonable_time(project):
    # 10 MB, mostly one long string and comments: the reading, decoding, tokenizing and parsing
    # path, without multiplying the (separately measured) cost of the rules.
    filler = "# " + "x" * 98 + "\n"
    text = GOOD + "BLOB = '" + "y" * 5_000_000 + "'\n" + filler * 50_000 + "eval(input())\n"
    (project / "big.py").write_text(text)
    assert len(text) > 10_000_000
    start = time.monotonic()
    result = run("big.py", "-f", "json")
    elapsed = time.monotonic() - start
    document = json.loads(result.output)
    assert document["diagnostics"] == []
    assert [f["line"] for f in document["findings"]] == [2, 50_004]
    assert elapsed < 60, elapsed


def test_an_internal_error_on_one_file_is_a_diagnostic_and_the_run_goes_on(project, monkeypatch):
    (project / "trigger.py").write_text("x = 1\n")
    real_check = engine.Reviewer.check_parsed

    def check_parsed(self, parsed, *args, **kwargs):
        if parsed.path == "trigger.py":
            raise KeyError("boom")
        return real_check(self, parsed, *args, **kwargs)

    monkeypatch.setattr(engine.Reviewer, "check_parsed", check_parsed)
    monkeypatch.delenv("SECREVIEW_DEBUG", raising=False)
    result = run(".", "-f", "json")
    assert_clean_exit(result)
    document = json.loads(result.output)
    [diagnostic] = document["diagnostics"]
    assert (diagnostic["path"], diagnostic["kind"]) == ("trigger.py", "internal-error")
    assert "KeyError" in diagnostic["message"] and "report" in diagnostic["message"]
    assert [f["path"] for f in document["findings"]] == ["good.py"]
    assert result.exit_code == 1
    assert run("trigger.py").exit_code == 3


@pytest.mark.parametrize("args, message", [
    (["--no-such-option"], "No such option '--no-such-option'"),
    (["-f", "yaml"], "unknown format 'yaml' (choose from"),
    (["--fail-on", "critical"], "Invalid value for '--fail-on'"),
    (["--min-confidence", "0.5"], "Invalid value for '--min-confidence'"),
    (["--first-line", "0", "-"], "Invalid value for '--first-line'"),
    (["--first-line", "10"], "--first-line only applies to a snippet read from stdin"),
])
def test_bad_options_are_usage_errors(project, args, message):
    result = run("good.py", *args, input="")
    assert result.exit_code == 2
    assert message in result.output
    assert_clean_exit(result)


def test_stdin_that_is_not_text(project):
    result = run("-", "-f", "json", input=b"\xff\xfe\x00\x01binary")
    assert_clean_exit(result)
    assert [(d["path"], d["kind"]) for d in json.loads(result.output)["diagnostics"]] == [("<stdin>", "binary")]
    assert result.exit_code == 3


def test_syntax_error_says_the_column():
    from secreview.parse import parse_bytes

    diagnostic = parse_bytes("broken.py", b"x = 1\ndef broken(:\n    pass\n")
    assert (diagnostic.kind, diagnostic.line) == ("syntax-error", 2)
    assert diagnostic.message == "invalid Python syntax: invalid syntax (column 12)"


# --- file names that are not valid UTF-8 --------------------------------------------------------------
LATIN1_NAME = b"r\xe9sum\xe9.py"  # "résumé.py" written in Latin-1: not valid UTF-8
SHOWN_NAME = "u8/r\\xe9sum\\xe9.py"  # how reports show it


def strict_strings(value) -> None:
    """Every string of a parsed JSON document is valid Unicode (no lone surrogate, which strict
    JSON parsers reject and Python's json.loads lets through)."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            strict_strings(key)
            strict_strings(item)
    elif isinstance(value, list):
        for item in value:
            strict_strings(item)


@pytest.fixture
def latin1_names(project):
    folder = Path(os.fsdecode(os.path.join(os.fsencode(project), b"u8")))
    folder.mkdir()
    (folder / os.fsdecode(LATIN1_NAME)).write_bytes(GOOD.encode())
    (folder / os.fsdecode(b"br\xf6ken.py")).write_bytes(BAD_FILES["syntax.py"][0])
    return folder


@pytest.mark.parametrize("fmt", sorted(formatters()))
def test_a_file_name_that_is_not_utf8_is_reviewed_and_shown_escaped_in_every_format(latin1_names, fmt):
    result = run("u8", "-f", fmt, "--no-cache")
    assert_clean_exit(result)
    assert result.exit_code == 1
    text = result.stdout_bytes.decode("utf-8")  # strict: no lone surrogate reached the output
    if fmt == "sarif":
        assert '"uri": "u8/r%E9sum%E9.py"' in text and '"uri": "u8/br%F6ken.py"' in text
    else:
        assert "r\\xe9sum\\xe9.py" in text.replace("\\\\", "\\")
    if fmt in ("json", "sarif", "gerrit", "github-review"):
        strict_strings(json.loads(text))


def test_json_maps_an_escaped_name_to_its_bytes_and_fingerprints_use_them(latin1_names, tmp_path):
    document = json.loads(run("u8", "-f", "json", "--no-cache").output)
    assert [f["path"] for f in document["findings"]] == [SHOWN_NAME]
    assert document["path_bytes"] == {SHOWN_NAME: "u8/r%E9sum%E9.py", "u8/br\\xf6ken.py": "u8/br%F6ken.py"}
    from urllib.parse import unquote_to_bytes

    assert unquote_to_bytes(document["path_bytes"][SHOWN_NAME]) == b"u8/" + LATIN1_NAME
    # The same name in UTF-8 is another file: its fingerprint differs.
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf8" / "résumé.py").write_text(GOOD)
    other = json.loads(run("utf8", "-f", "json", "--no-cache").output)
    assert other["path_bytes"] == {}
    assert other["findings"][0]["fingerprint"] != document["findings"][0]["fingerprint"]


def test_a_file_name_that_is_not_utf8_goes_through_the_cache_and_the_output_file(latin1_names, project):
    for _ in range(2):  # the second run answers from the cache
        result = run("u8", "--cache-dir", str(project / "cache"), "-o", "report.txt")
        assert_clean_exit(result)
        assert result.exit_code == 1
        assert SHOWN_NAME in (project / "report.txt").read_text(encoding="utf-8")


def test_a_baseline_with_a_name_that_is_not_utf8_is_strict_json_and_still_matches(latin1_names, project):
    assert run("u8", "--no-cache", "--write-baseline", "base.json").exit_code == 3  # (the broken file)
    strict_strings(json.loads((project / "base.json").read_text(encoding="utf-8")))
    result = run("u8", "--no-cache", "--baseline", "base.json", "-f", "json")
    assert json.loads(result.output)["summary"]["findings"] == 0
