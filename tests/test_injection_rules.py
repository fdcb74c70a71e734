"""Command, SQL and template rules beyond the fixtures: evidence from the data-flow engine,
the decision without it, one finding per sink, and rule documentation."""
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs import SourceFile
from secreview.rules import all_rules

FAMILIES = ("commands", "sql", "templates")

VIEW = '''\
import os, shlex, sqlite3, subprocess
from flask import Flask, request
app = Flask(__name__)

def run(cmd):
    return subprocess.run(cmd, shell=True)

@app.route("/a")
def view():
    host = request.args["host"]
    os.system("/bin/ping -c 1 " + host)
    os.system("/bin/ping -c 1 " + shlex.quote(host))
    run("/usr/bin/host " + host)
    choice = request.args["n"]
    if choice not in ("a", "b"):
        return "no"
    os.system("/bin/echo " + choice)
    db = sqlite3.connect("x")
    db.execute("SELECT * FROM t WHERE a = '%s'" % host)
    db.execute("SELECT * FROM t WHERE a = ?", (host,))
    return "ok"
'''


def findings_by_line(code: str, **options):
    return {(f.line, f.rule_id): f for f in review_text(code, **options).findings}


def test_untrusted_data_gives_confident_findings_with_evidence():
    found = findings_by_line(VIEW, min_confidence=Level.MEDIUM)
    assert set(found) == {(11, "shell-command-injection"), (6, "subprocess-shell-injection"),
                          (19, "sql-injection")}
    shell = found[(11, "shell-command-injection")]
    assert shell.confidence == Level.HIGH and shell.cwe == 78
    assert [step.line for step in shell.trace] == [10, 11]
    assert "HTTP query parameter" in shell.message
    assert [step.line for step in found[(6, "subprocess-shell-injection")].trace] == [10, 13, 5, 6]


def test_values_the_flow_proved_safe_are_no_finding_even_at_low_confidence():
    found = findings_by_line(VIEW)
    assert (17, "shell-command-injection") not in found  # allow-listed
    assert (12, "shell-command-injection") not in found  # quoted for the shell


def test_a_value_of_unknown_origin_is_a_low_confidence_dynamic_finding():
    code = "import os\nfrom jobs import current\ndef f():\n    os.system('/bin/echo ' + current().name)\n"
    (finding,) = review_text(code).findings
    assert (finding.rule_id, finding.confidence, finding.trace) == ("shell-command-injection", Level.LOW, [])


def test_without_data_flow_a_dynamic_value_is_medium_confidence():
    code = "import os\ndef f(name):\n    os.system('/bin/ls ' + name)\n"
    config = Config(min_confidence=Level.LOW)
    result = Reviewer(config, dataflow=False).review([SourceFile("x.py", data=code.encode())])
    (finding,) = result.findings
    assert (finding.rule_id, finding.confidence) == ("shell-command-injection", Level.MEDIUM)


@pytest.mark.parametrize("code", [
    'import os\ndef f(d):\n    os.system("/bin/echo " + d["{x}"])\n',
    'import os\nfrom flask import request\ndef f():\n    os.system("/bin/echo %s" % request.args["{0}"])\n',
])
def test_braces_in_the_flagged_code_do_not_break_messages(code):
    (finding,) = review_text(code).findings
    assert "{" in finding.message


@pytest.mark.parametrize("family", FAMILIES)
def test_one_finding_per_rule_and_line_in_fixtures(family):
    path = FIXTURES / "rules" / f"{family}.py"
    result = review_text(path.read_text(), path=path.name)
    counts = Counter((f.line, f.rule_id) for f in result.findings)
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("code", [
    # shlex.quote results are safe pieces; everything else constant
    'import os, shlex\ndef f(a, b):\n    os.system("/bin/cp -- %s %s" % (shlex.quote(a), shlex.quote(b)))\n',
    'import os, shlex\ndef f(a):\n    os.system(" ".join(["/bin/ls"] + [shlex.quote(a)]))\n',
    'import os, shlex\ndef f(items):\n    os.system("/bin/rm -- " + " ".join(map(shlex.quote, items)))\n',
    'import os, shlex\ndef f(items):\n    os.system("/bin/rm -- " + " ".join(shlex.quote(i) for i in items))\n',
])
def test_commands_built_only_from_constants_and_shlex_quote_are_silent(code):
    assert review_text(code).findings == []


def test_quote_that_is_put_back_in_quotes_is_reported():
    code = 'import os, shlex\ndef f(a):\n    os.system(f"/bin/echo \'{shlex.quote(a)}\'")\n'
    (finding,) = review_text(code).findings
    assert "inside quotes again" in finding.message


def test_mutated_argument_list_is_followed():
    code = ('import subprocess\ndef f(name):\n    argv = ["/bin/ls"]\n    argv.insert(0, name)\n'
            '    subprocess.run(argv)\n')
    assert {f.rule_id for f in review_text(code).findings} == {"process-program-injection"}


def test_every_rule_of_these_families_is_documented():
    rules = [r for r in all_rules().values() if r.family in (*FAMILIES, "code_execution")]
    assert len(rules) >= 19
    for rule in rules:
        assert rule.description and rule.solution and rule.example and rule.fixed, rule.id
        assert rule.cwe in (78, 88, 89, 95, 155, 426, 79, 1336), rule.id


def test_bandit_parity_doc_lists_every_bandit_id_of_these_families():
    doc = (Path(__file__).parent.parent / "docs" / "bandit-parity.md").read_text()
    section = doc.split("## Commands, SQL, templates", 1)[1].split("\n## ", 1)[0]
    ids = {b for r in all_rules().values() if r.family in FAMILIES for b in r.bandit}
    for bandit_id in ids:
        assert f"| {bandit_id} " in section, bandit_id


def test_concatenated_argument_lists_are_lists_not_command_strings():
    code = ('import subprocess\nclass Browser:\n    def open(self, url):\n'
            '        cmdline = ["/usr/bin/xdg-open"] + [a.replace("%s", url) for a in self.args]\n'
            '        subprocess.Popen(cmdline)\n')
    assert {f.rule_id for f in review_text(code).findings} == {"process-argument-injection"}


MANY_PIECES = '''\
from flask import request
import sqlite3

def search(db: sqlite3.Connection):
    q = request.args.get("q", "")
    order = request.args.get("sort", "id")
    agent = request.headers.get("User-Agent", "")
    db.execute(f"SELECT id FROM post WHERE title LIKE '%{q}%' ORDER BY {order}")
    db.execute(f"SELECT id FROM visit WHERE agent = '{agent}' AND page = '{q}'")
'''


def test_the_description_names_every_piece_the_same_source_reaches():
    findings = {f.line: f for f in review_text(MANY_PIECES).findings if f.cwe == 89}
    assert "built from HTTP query parameter (`q`, `order`)" in findings[8].message


def test_a_piece_from_another_source_is_not_named_as_if_it_were_the_same():
    message = {f.line: f for f in review_text(MANY_PIECES).findings if f.cwe == 89}[9].message
    assert "(`agent`)" in message or "(`q`)" in message
    assert "`agent`, `q`" not in message and "`q`, `agent`" not in message


def test_reviewed_code_with_braces_in_a_message_does_not_stop_the_review():
    # (the callee's text goes into a message template: its braces once raised KeyError and the
    # file was not reviewed)
    code = 'import sys\nrunners = {}\nrunners["{x}"].execute("ls " + sys.argv[1], shell=True)\n'
    result = review_text(code)
    assert not result.diagnostics
    [finding] = [f for f in result.findings if f.rule_id == "shell-true-injection"]
    assert finding.message.startswith('`runners["{x}"].execute` with shell=True') and "command-line argument" in finding.message
