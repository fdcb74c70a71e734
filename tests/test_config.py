"""Configuration: where it is found, what it accepts, and clear errors for what it does not."""
import json

import pytest
from click.testing import CliRunner

from secreview.cli import main
from secreview.config import Config, ConfigError, config_from_table, find_pyproject, load_config
from secreview.findings import Level

EVAL = "eval(input())\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["review", *map(str, args)], input=input)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nearest_pyproject_with_a_secreview_table_is_used(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nmin-severity = "high"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "sub"\n')  # no table: keep looking
    write(tmp_path / "sub" / "pkg" / "a.py", EVAL)
    assert find_pyproject(str(tmp_path / "sub" / "pkg" / "a.py")) == tmp_path / "pyproject.toml"
    config = load_config([str(tmp_path / "sub" / "pkg")])
    assert config.min_severity == Level.HIGH
    assert config.source == str(tmp_path / "pyproject.toml")
    assert config.root == str(tmp_path)


def test_no_configuration_gives_the_defaults(tmp_path):
    write(tmp_path / "a.py", EVAL)
    assert load_config([str(tmp_path / "a.py")]) == Config()


def test_every_key_is_read():
    config = config_from_table({
        "select": ["eval-used", "B602"], "ignore": ["b101"], "exclude": ["tests/"],
        "min-severity": "Medium", "min-confidence": "low", "fail-on": "HIGH",
        "per-path-ignores": {"tests/**": ["assert-used", "B105"]},
    }, "pyproject.toml")
    assert config.select == ["eval-used", "B602"]
    assert config.ignore == ["B101"]  # Bandit ids in any case
    assert config.exclude == ["tests/"]
    assert (config.min_severity, config.min_confidence, config.fail_on) == (Level.MEDIUM, Level.LOW, Level.HIGH)
    assert config.per_path_ignores == {"tests/**": ["assert-used", "B105"]}


@pytest.mark.parametrize("table, message", [
    ({"severity": "high"}, "[tool.secreview] severity: unknown key (did you mean 'min-severity'?"),
    ({"ignore": "eval-used"}, "[tool.secreview] ignore: expected a list of strings"),
    ({"select": ["eval-usde"]}, "[tool.secreview] select: unknown rule id 'eval-usde'; did you mean 'eval-used'?"),
    ({"ignore": ["B999"]}, "[tool.secreview] ignore: unknown rule id 'B999'"),
    ({"min-severity": "critical"}, "[tool.secreview] min-severity: expected one of low, medium, high; got 'critical'"),
    ({"fail-on": 3}, "[tool.secreview] fail-on: expected one of low, medium, high; got 3"),
    ({"per-path-ignores": ["tests/"]}, "[tool.secreview] per-path-ignores: expected a table"),
    ({"per-path-ignores": {"tests/": "assert-used"}}, '[tool.secreview] per-path-ignores: "tests/": expected a list of rule ids'),
    ({"per-path-ignores": {"tests/": ["assert-usd"]}}, "unknown rule id 'assert-usd'; did you mean 'assert-used'?"),
])
def test_bad_keys_and_values_name_the_file_and_the_key(table, message):
    with pytest.raises(ConfigError) as error:
        config_from_table(table, "proj/pyproject.toml")
    assert str(error.value).startswith("proj/pyproject.toml: ")
    assert message in str(error.value)


def test_a_bad_configuration_exits_2_with_the_message_and_no_traceback(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nignroe = ["eval-used"]\n')
    write(tmp_path / "a.py", EVAL)
    result = run(tmp_path / "a.py")
    assert result.exit_code == 2
    assert "pyproject.toml: [tool.secreview] ignroe: unknown key (did you mean 'ignore'?" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash


def test_invalid_toml_is_a_clear_error(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nignore = ["eval-used"\n')
    write(tmp_path / "a.py", EVAL)
    result = run(tmp_path / "a.py")
    assert result.exit_code == 2
    assert "pyproject.toml: invalid TOML" in result.output


def test_config_option_reads_a_secreview_toml_with_top_level_keys(tmp_path):
    config_file = write(tmp_path / "ci" / "secreview.toml", 'ignore = ["eval-used"]\n')
    write(tmp_path / "a.py", EVAL)
    assert run(tmp_path / "a.py", "--config", config_file).exit_code == 0
    bad = write(tmp_path / "bad.toml", 'ignore = ["eval-used"]\nmin_severity = "high"\n')
    result = run(tmp_path / "a.py", "--config", bad)
    assert result.exit_code == 2
    assert "bad.toml: min_severity: unknown key (did you mean 'min-severity'?" in result.output


def test_config_option_reads_the_table_of_a_pyproject(tmp_path):
    config_file = write(tmp_path / "other" / "pyproject.toml", '[tool.secreview]\nmin-severity = "high"\n')
    write(tmp_path / "a.py", "import hashlib\nassert True\n")
    config = load_config([str(tmp_path / "a.py")], str(config_file))
    assert config.min_severity == Level.HIGH
    empty = write(tmp_path / "empty" / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match="has no \\[tool.secreview\\] table"):
        load_config([], str(empty))
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config([], str(tmp_path / "missing.toml"))


def test_command_line_select_replaces_and_ignore_adds(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nselect = ["exec-used"]\nignore = ["assert-used"]\n')
    write(tmp_path / "a.py", "eval(input())\nexec(input())\nassert input()\n")
    rule_ids = lambda result: sorted(f["rule_id"] for f in json.loads(result.output)["findings"])  # noqa: E731
    assert rule_ids(run(tmp_path / "a.py", "-f", "json")) == ["exec-used"]
    assert rule_ids(run(tmp_path / "a.py", "-f", "json", "--select", "eval-used,B102")) == ["eval-used", "exec-used"]
    assert rule_ids(run(tmp_path / "a.py", "-f", "json", "--select", "eval-used", "--ignore", "b307")) == []


def test_unknown_rule_ids_on_the_command_line_are_usage_errors(tmp_path):
    write(tmp_path / "a.py", EVAL)
    result = run(tmp_path / "a.py", "--ignore", "evil-used")
    assert result.exit_code == 2
    assert "--ignore: unknown rule id 'evil-used'; did you mean 'eval-used'?" in result.output


def test_exclude_globs_are_relative_to_the_configuration_file(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nexclude = ["/tests/", "*_pb2.py"]\n')
    write(tmp_path / "app.py", EVAL)
    write(tmp_path / "api_pb2.py", EVAL)
    write(tmp_path / "tests" / "test_app.py", EVAL)
    monkeypatch.chdir(tmp_path / "tests")  # the globs do not depend on where secreview runs
    result = run(tmp_path, "-f", "json")
    assert [f["path"] for f in json.loads(result.output)["findings"]] == [str(tmp_path / "app.py")]


def test_per_path_ignores_are_counted_as_suppressed_with_their_glob(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.secreview.per-path-ignores]\n"tests/**" = ["B102", "eval-used"]\n')
    write(tmp_path / "app.py", "exec(input())\n")
    write(tmp_path / "tests" / "unit" / "test_app.py", "exec(input())\neval(input())\nimport os; os.system(input())\n")
    monkeypatch.chdir(tmp_path)
    # (findings in test code are low confidence: shown with --min-confidence low)
    document = json.loads(run(".", "-f", "json", "--min-confidence", "low").output)
    assert sorted((f["path"], f["rule_id"]) for f in document["findings"]) == [
        ("app.py", "exec-used"), ("tests/unit/test_app.py", "shell-command-injection")]
    assert sorted((f["rule_id"], f["suppressed_by"]) for f in document["suppressed"]) == [
        ("eval-used", "config: per-path-ignores tests/**"), ("exec-used", "config: per-path-ignores tests/**")]
    assert document["summary"]["suppressed"] == 2


def test_per_path_ignores_apply_to_a_snippet_given_a_filename(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.secreview.per-path-ignores]\n"tests/*" = ["eval-used"]\n')
    monkeypatch.chdir(tmp_path)
    assert run("-", "--stdin-filename", "tests/t.py", input=EVAL).exit_code == 0
    assert run("-", "--stdin-filename", "app.py", input=EVAL).exit_code == 1
    assert run("-", input=EVAL).exit_code == 1


def test_severity_and_confidence_floors_and_fail_on(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.secreview]\nfail-on = "high"\n')
    write(tmp_path / "a.py", "assert input()\n")  # a low-severity finding
    result = run(tmp_path / "a.py", "--min-confidence", "low")
    assert "assert-used" in result.output
    assert result.exit_code == 0  # reported, but below fail-on
    assert run(tmp_path / "a.py", "--min-confidence", "low", "--fail-on", "low").exit_code == 1
    assert "assert-used" not in run(tmp_path / "a.py", "--min-confidence", "low", "--min-severity", "medium").output


def test_the_readme_configuration_example_is_valid():
    import re
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```toml\n(.*?)```", readme, re.S)
    table = tomllib.loads(example)["tool"]["secreview"]
    config = config_from_table(table, "README.md")
    assert config.exclude and config.per_path_ignores and config.ignore


def test_an_invalid_glob_is_a_configuration_error():
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.secreview\] exclude: invalid glob 'a\\\\'"):
        config_from_table({"exclude": ["a\\"]}, "pyproject.toml")
    with pytest.raises(ConfigError, match="per-path-ignores: invalid glob '!'"):
        config_from_table({"per-path-ignores": {"!": ["eval-used"]}}, "pyproject.toml")
