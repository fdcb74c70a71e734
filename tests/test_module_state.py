"""Module-level state within a file (dataflow/module_state.py): data one function stores in a
module-level name is read back by the others, with the store in the evidence."""
import ast
import textwrap

from conftest import review_text
from secreview.dataflow import FileFlow
from secreview.facts import FileFacts
from secreview.findings import Level
from secreview.parse import parse_text

QUEUE = textwrap.dedent('''\
    import os
    from flask import Flask, request

    app = Flask(__name__)
    JOBS = []


    @app.post("/queue")
    def queue():
        script = request.args["script"]
        JOBS.append(script)
        return "ok"


    @app.post("/run")
    def run():
        os.system(JOBS.pop())
        return "ok"
    ''')


def findings(code: str):
    return [(f.line, f.rule_id) for f in review_text(code, path="app.py", min_confidence=Level.MEDIUM).findings]


def flow_of(code: str, previous: FileFlow | None = None) -> FileFlow:
    parsed = previous.parsed if previous is not None else parse_text("app.py", code)
    facts = previous.facts if previous is not None else FileFacts.build(parsed.tree, "app")
    return FileFlow(parsed, facts, previous=previous, recording=True).analyze()


def test_the_trace_shows_where_the_data_was_stored():
    (finding,) = review_text(QUEUE, path="app.py", min_confidence=Level.MEDIUM).findings
    assert finding.line == 17 and finding.cwe == 78
    assert [step.line for step in finding.trace] == [10, 11, 17]
    assert "stored in module state `JOBS`" in finding.trace[1].note
    assert finding.trace[0].note.startswith("HTTP query parameter")


def test_a_store_on_the_source_line_names_both():
    code = QUEUE.replace('script = request.args["script"]\n    JOBS.append(script)', 'JOBS.append(request.args["script"])')
    (finding,) = review_text(code, path="app.py", min_confidence=Level.MEDIUM).findings
    assert [step.line for step in finding.trace] == [10, 16]
    assert finding.trace[0].note == "HTTP query parameter (untrusted); stored in module state `JOBS`"


def test_the_same_handler_on_a_later_request():
    # (read before the store: only a later request can read what this one stores)
    code = QUEUE.replace("def queue():\n", "def queue():\n    os.system(JOBS[0])\n")
    assert (10, "shell-command-injection") in findings(code)


def test_data_read_from_one_name_and_stored_in_another_reaches_a_third_handler():
    code = QUEUE + textwrap.dedent('''\


        LATEST = {}


        @app.post("/promote")
        def promote():
            LATEST["job"] = JOBS[-1]
            return "ok"


        @app.post("/latest")
        def latest():
            os.system(LATEST["job"])
            return "ok"
        ''')
    assert (32, "shell-command-injection") in findings(code)


def test_a_function_storing_its_parameter_stores_what_its_callers_give_it():
    code = QUEUE.replace('script = request.args["script"]\n    JOBS.append(script)', 'remember(request.args["script"])')
    code += "\n\ndef remember(script):\n    JOBS.append(script)\n"
    (finding,) = review_text(code, path="app.py", min_confidence=Level.MEDIUM).findings
    assert finding.line == 16
    # the call (with the source), the helper's parameter and store, the sink
    assert [step.line for step in finding.trace] == [10, 20, 21, 16]
    assert "stored in module state `JOBS`" in finding.trace[2].note


def test_a_function_storing_its_parameter_given_only_constants_stores_nothing():
    code = QUEUE.replace('script = request.args["script"]\n    JOBS.append(script)', 'remember("backup.sh")')
    code += "\n\ndef remember(script):\n    JOBS.append(script)\n"
    assert findings(code) == []


def test_a_function_nested_in_another_is_not_the_module():
    code = QUEUE.replace('    JOBS.append(script)\n', '    def later():\n        JOBS.append(script)\n    later()\n')
    assert findings(code) == []


def test_a_file_without_module_state_is_analysed_once():
    code = QUEUE.replace("JOBS.append(script)", "print(script)")
    flow = flow_of(code)
    assert flow.module_stores == {}
    assert all(count == 1 for count in flow._analyses_of.values())


def test_a_later_analysis_reusing_the_first_keeps_the_stores():
    first = flow_of(QUEUE)
    again = flow_of(QUEUE, previous=first)
    assert again.reused and set(again.module_stores) == {"JOBS"}
    call = next(node for node in ast.walk(again.parsed.tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "system")
    assert not again.values[id(call.args[0])].is_clean
