"""--format json: stable keys, validated against the shipped JSON Schema."""
import json
from importlib import resources

import jsonschema
import pytest
from conftest import review_text
from report_samples import (change_result, clean_result, netcfg_result, partly_reviewed_result, several_files_result,
                            suppressed_result)

from secreview import __version__
from secreview.report import json_format

SCHEMA = json.loads((resources.files("secreview") / "data" / "report.schema.json").read_text(encoding="utf-8"))
SAMPLES = [netcfg_result, clean_result, suppressed_result, several_files_result, partly_reviewed_result, change_result]


def document(result):
    return json.loads(json_format.render(result))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.__name__)
def test_every_sample_validates_against_the_schema(sample):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document(sample()), SCHEMA, cls=jsonschema.Draft202012Validator)


def test_real_review_validates_against_the_schema():
    result = review_text("def f(d):\n    eval(d)\n    exec(d)  # nosec\n")
    data = document(result)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert [f["rule_id"] for f in data["findings"]] == ["eval-used"]
    assert data["suppressed"][0]["suppressed_by"] == "nosec (line 3): no reason given"


def test_top_level_and_summary():
    data = document(netcfg_result())
    assert list(data) == ["schema_version", "tool", "summary", "change", "files", "findings", "suppressed", "diagnostics",
                          "notices", "path_bytes"]
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "secreview", "version": __version__}
    assert data["summary"] == {"files": 1, "lines": 16, "checks": 142, "rules": 60, "findings": 3,
                               "by_severity": {"high": 1, "medium": 1, "low": 1}, "suppressed": 0, "below_threshold": 0, "not_reviewed": 0, "partly_reviewed": 0,
                               "warnings": 0}
    assert data["change"] is None
    assert data["files"] == ["netcfg.py"]


def test_finding_with_trace():
    finding = document(netcfg_result())["findings"][1]
    assert finding == {
        "rule_id": "sample-shell-injection", "title": "OS command injection", "cwe": 78,
        "severity": "high", "confidence": "high", "path": "netcfg.py",
        "line": 14, "column": 9, "end_line": 14, "end_column": 52,
        "message": "`cmd` is built from `cidr` and `name`, both read from the HTTP query string, and is run through a shell.",
        "solution": "pass an argument list without a shell.",
        "code": "subprocess.run(cmd, shell=True, check=True)",
        "trace": [
            {"path": "netcfg.py", "line": 10, "column": 5, "code": 'name = request.args["name"]', "note": "untrusted (HTTP query parameter)"},
            {"path": "netcfg.py", "line": 11, "column": 5, "code": 'cidr = request.args.get("cidr", "")', "note": "untrusted"},
            {"path": "netcfg.py", "line": 13, "column": 9, "code": 'cmd = "ip addr add %s dev %s" % (cidr, name)', "note": "both formatted into `cmd`"},
            {"path": "netcfg.py", "line": 14, "column": 9, "code": "subprocess.run(cmd, shell=True, check=True)", "note": "executed by a shell"},
        ],
        "bandit": [], "fingerprint": "1" * 32, "suppressed_by": None, "also_reaches": [],
    }


def test_finding_without_trace_has_an_empty_trace():
    finding = document(netcfg_result())["findings"][0]
    assert (finding["rule_id"], finding["trace"], finding["line"], finding["column"]) == ("sample-lock-name", [], 12, 10)


def test_clean_result():
    data = document(clean_result())
    assert (data["findings"], data["suppressed"], data["diagnostics"]) == ([], [], [])
    assert data["summary"]["findings"] == 0


def test_suppressed_are_always_listed_and_diagnostics_have_null_line_when_unknown():
    data = document(suppressed_result())
    assert data["summary"]["suppressed"] == 1
    assert data["suppressed"][0]["suppressed_by"] == "secreview: ignore (line 12): names come from an allow-list"
    assert data["diagnostics"] == [{"path": "broken.py", "kind": "syntax-error",
                                    "message": "invalid Python syntax: invalid syntax", "line": 3}]
    several = document(several_files_result())
    assert several["diagnostics"][0] == {"path": "gone.py", "kind": "missing-path",
                                         "message": "no such file or directory", "line": None}
    assert several["summary"]["not_reviewed"] == 2


def test_schema_rejects_what_it_does_not_document():
    data = document(netcfg_result())
    data["findings"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    data = document(suppressed_result())
    data["findings"].append(data["suppressed"][0])  # a reported finding cannot carry suppressed_by
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_partly_reviewed_file_is_not_counted_as_not_reviewed():
    summary = document(partly_reviewed_result())["summary"]
    assert (summary["files"], summary["not_reviewed"], summary["partly_reviewed"]) == (1, 0, 1)


def test_change_review_says_which_change():
    data = document(change_result())
    assert data["change"] == {"kind": "diff", "title": "HEAD~1 (1a2b3c4)..working tree", "base": "HEAD~1",
                              "subjects": ["1a2b3c4 Configure addresses through a shell"], "more_commits": 0,
                              "files": ["netcfg.py"], "deleted": [], "changed_lines": 2, "findings_outside": 2}


# --- columns count characters, in the evidence as in the finding ---------------------------------------
NON_ASCII_FLOWS = '''\
import os
from flask import request


def same_line():
    label = "→→→"; host = request.args["host"]
    os.system("ping " + host)


def helper(x):
    é = "→"; os.system("ping " + x)


def caller():
    helper(request.args["z"])
'''
LIB = 'import os\n\n\ndef run(cmd):\n    é = "→"; os.system("ping " + cmd)\n'
APP = 'from flask import request\nfrom lib import run\n\n\ndef view():\n    label = "→→"; run(request.args["q"])\n'


def columns_of(path, *files):
    from click.testing import CliRunner

    from secreview.cli import main

    output = CliRunner().invoke(main, ["review", *map(str, files), "-f", "json", "--no-cache"]).stdout
    return [(f["line"], f["column"], [(s["path"].rsplit("/", 1)[-1], s["line"], s["column"]) for s in f["trace"]])
            for f in json.loads(output)["findings"]]


def test_trace_columns_count_characters_like_the_finding(tmp_path):
    (tmp_path / "flows.py").write_text(NON_ASCII_FLOWS, encoding="utf-8")
    # `request.args` starts at character 27 (byte 33); `os.system` after `é = "→"; ` at character 14 (byte 17).
    assert columns_of(tmp_path, tmp_path / "flows.py") == [
        (7, 5, [("flows.py", 6, 27), ("flows.py", 7, 5)]),
        (11, 14, [("flows.py", 15, 12), ("flows.py", 10, 12), ("flows.py", 11, 14)]),
    ]


def test_columns_of_a_flow_through_another_file_count_characters(tmp_path):
    (tmp_path / "lib.py").write_text(LIB, encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    assert columns_of(tmp_path, tmp_path) == [(5, 14, [("app.py", 6, 23), ("lib.py", 4, 9), ("lib.py", 5, 14)])]


def test_sarif_code_flows_use_the_same_columns(tmp_path):
    from click.testing import CliRunner

    from secreview.cli import main

    (tmp_path / "flows.py").write_text(NON_ASCII_FLOWS, encoding="utf-8")
    log = json.loads(CliRunner().invoke(main, ["review", str(tmp_path / "flows.py"), "-f", "sarif", "--no-cache"]).stdout)
    steps = log["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startColumn"] for s in steps] == [27, 5]


def test_columns_of_a_helper_of_another_file_on_the_evidence_count_characters(tmp_path):
    (tmp_path / "lib.py").write_text('from flask import request\n\n\ndef get():\n    é = "→"; v = request.args["x"]\n'
                                     '    return v\n', encoding="utf-8")
    (tmp_path / "app.py").write_text('import os\nfrom lib import get\n\n\ndef view():\n    os.system("ping " + get())\n')
    assert columns_of(tmp_path, tmp_path) == [(6, 5, [("lib.py", 5, 18), ("lib.py", 6, 5), ("app.py", 6, 5)])]
