"""Route parameters say where they come from: the URL path (named in the route's template) or, for
FastAPI-style routes, the query string."""
from conftest import review_text

CODE = '''
import os
from fastapi import FastAPI

app = FastAPI()


@app.get("/run/{script}")
def run_script(script: str):
    os.system("/srv/scripts/" + script)


@app.get("/run")
def run_query(script: str):
    os.system("/srv/scripts/" + script)
'''


def test_path_and_query_parameters_are_told_apart_in_the_evidence():
    notes = {f.line: f.trace[0].note for f in review_text(CODE).findings if f.rule_id == "shell-command-injection"}
    assert notes == {
        10: "parameter `script`: URL path parameter (untrusted)",
        15: "parameter `script`: HTTP query parameter (untrusted)",
    }
