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


DEPENDENCY_CLASS = '''
import os
from fastapi import Depends, FastAPI, Request

app = FastAPI()


class UserRef:
    def __init__(self, user_id: str, request: Request, verbose: bool = False):
        self.user_id = user_id
        self.request = request
        self.verbose = verbose


@app.get("/users/{user_id}")
def user(ref: UserRef = Depends()):
    os.system("id " + ref.user_id)
    os.system("echo " + ref.request.query_params["name"])
    os.system("echo %s" % ref.verbose)
'''


def test_a_dependency_class_parameter_is_traced_from_its_constructor_to_the_route():
    findings = {f.line: f for f in review_text(DEPENDENCY_CLASS).findings if f.rule_id == "shell-command-injection"}
    assert sorted(findings) == [17, 18, 19]
    assert [(step.line, step.note) for step in findings[17].trace] == [
        (9, "parameter `user_id`: URL path parameter (untrusted)"),
        (10, "assigned to `self.user_id`"),
        (16, "parameter `ref`: `UserRef` built by FastAPI from the request"),
        (17, "executed by a shell"),
    ]
    # The request object it keeps is read as a request; a converted bool carries nothing (only
    # reported as a value that is not a constant, at low confidence).
    assert findings[18].trace[0].note.startswith("HTTP query parameter (untrusted)")
    assert findings[19].confidence.name == "LOW" and not findings[19].trace
