"""A library function handed to a deferring call (``pool.submit(os.system, cmd)``) is checked as
the direct call would be, at the deferring call: same rule, CWE, severity and confidence, with
evidence that goes through it (see rules/handed.py; fixtures: flows/deferred_library_functions*.py,
rules/handed_library_functions.py)."""
import pytest

from conftest import review_text
from secreview.config import Config
from secreview.engine import Reviewer
from secreview.findings import Level
from secreview.inputs import SourceFile

FLASK_VIEW = '''\
import os
from concurrent.futures import ThreadPoolExecutor
from flask import Flask, request
app = Flask(__name__)
pool = ThreadPoolExecutor()

@app.route("/run")
def view():
    command = "/usr/bin/make " + request.args["target"]
    {call}
'''

HELPER = '''\
import os
from concurrent.futures import ThreadPoolExecutor
pool = ThreadPoolExecutor()

def rebuild(command):
    {call}
'''

DIRECT = "os.system(command)"
HANDED = ["pool.submit(os.system, command)", "pool.map(os.system, [command])"]


def findings_at(code: str, line: int, **options):
    result = review_text(code, **options)
    assert not result.diagnostics, result.diagnostics
    return [f for f in result.findings if f.line == line]


def signature(finding):
    return finding.rule_id, finding.cwe, finding.severity, finding.confidence


def test_trace_goes_through_the_deferring_call():
    (finding,) = findings_at(FLASK_VIEW.format(call=HANDED[0]), 10)
    assert finding.rule_id == "shell-command-injection" and finding.cwe == 78
    assert [step.line for step in finding.trace] == [9, 10]
    sink = finding.trace[-1]
    assert sink.code == HANDED[0]
    assert "`os.system()`" in sink.note and "`submit`" in sink.note


@pytest.mark.parametrize("handed", HANDED)
def test_same_finding_as_the_direct_call_with_untrusted_data(handed):
    (direct,) = findings_at(FLASK_VIEW.format(call=DIRECT), 10)
    (deferred,) = findings_at(FLASK_VIEW.format(call=handed), 10)
    assert signature(deferred) == signature(direct)
    assert direct.confidence == Level.HIGH


@pytest.mark.parametrize("handed", HANDED)
def test_same_low_confidence_as_the_direct_call_for_a_dynamic_value(handed):
    """A parameter of a helper nothing untrusted is seen to reach: dynamic, low confidence."""
    (direct,) = findings_at(HELPER.format(call=DIRECT), 6)
    (deferred,) = findings_at(HELPER.format(call=handed), 6)
    assert signature(deferred) == signature(direct)
    assert deferred.confidence == Level.LOW


def test_same_as_the_direct_call_without_the_data_flow():
    def review(call):
        config = Config(min_confidence=Level.LOW)
        result = Reviewer(config, dataflow=False).review([SourceFile("x.py", data=HELPER.format(call=call).encode())])
        return [signature(f) for f in result.findings if f.line == 6]
    assert review(HANDED[0]) == review(DIRECT)
    assert review(DIRECT)[0][3] == Level.MEDIUM  # (without the data flow, a dynamic value is medium)


def test_a_helper_that_hands_its_parameter_over_is_a_sink_for_its_callers():
    code = HELPER.format(call="pool.submit(os.system, command)") + '''
from flask import Flask, request
app = Flask(__name__)

@app.route("/run")
def view():
    rebuild(request.args["target"])
'''
    (finding,) = [f for f in review_text(code).findings if f.confidence == Level.HIGH]
    assert (finding.line, finding.rule_id) == (6, "shell-command-injection")
    assert [step.line for step in finding.trace] == [13, 5, 6]


def test_partial_called_at_once_is_one_call():
    code = FLASK_VIEW.format(call="functools.partial(subprocess.run, shell=True)(command)")
    found = findings_at(code.replace("import os\n", "import os, functools, subprocess\n"), 10)
    assert [(f.rule_id, f.confidence) for f in found] == [("subprocess-shell-injection", Level.HIGH)]


def test_shell_true_given_with_the_function_belongs_to_it():
    """``pool.submit(utils.execute, cmd, shell=True)``: the wrapper is called with shell=True (the
    deferring call is not), once."""
    code = FLASK_VIEW.format(call="pool.submit(utils.execute, command, shell=True)").replace(
        "import os\n", "import os\nfrom oslo_concurrency import processutils as utils\n")
    found = findings_at(code, 11)
    assert [f.rule_id for f in found] == ["shell-true-injection"]
    assert "and `utils.execute` with shell=True probably runs it" in found[0].message


def test_inline_suppression_on_the_deferring_call():
    code = FLASK_VIEW.format(call=HANDED[0] + "  # nosec B605")
    result = review_text(code)
    assert [f.line for f in result.findings] == []
    assert [f.rule_id for f in result.suppressed] == ["shell-command-injection"]
