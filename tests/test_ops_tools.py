"""DevOps tools: fabric/invoke commands, Kubernetes exec, umask, verify=False in ** dicts and
serialized secrets in logs -- what the findings say (confidence by source, messages, fixes)."""
from conftest import review_text
from secreview.findings import Level

FABRIC_FROM_REQUEST = """\
from fabric import Connection
from flask import Flask, request
app = Flask(__name__)

@app.post("/restart")
def restart():
    svc = request.form["service"]
    Connection("web1").sudo(f"systemctl restart {svc}", hide=True)
    return "ok"
"""

FABRIC_FROM_ARGV = """\
import sys
from fabric import Connection

def main():
    host, svc = sys.argv[1], sys.argv[2]
    Connection(host).run(f"systemctl status {svc}")

main()
"""

K8S = """\
from flask import Flask, request
from kubernetes import client
from kubernetes.stream import stream
app = Flask(__name__)
v1 = client.CoreV1Api()

@app.get("/logs")
def logs():
    path = request.args["path"]
    return stream(v1.connect_get_namespaced_pod_exec, "web-0", "jobs",
                  command=["sh", "-c", "tail -n 100 " + path], stdout=True)
"""


def finding(code: str, rule_id: str):
    return next(f for f in review_text(code, min_confidence=Level.LOW).findings if f.rule_id == rule_id)


def test_fabric_command_from_a_request_is_high_confidence_and_remote():
    found = finding(FABRIC_FROM_REQUEST, "ssh-command-injection")
    assert (found.line, found.cwe, found.confidence) == (8, 78, Level.HIGH)
    assert "runs `reboot` on the remote host" in found.message
    assert "subprocess.run" not in found.solution  # (hide= is fabric's; the command runs elsewhere)


def test_fabric_command_from_the_command_line_is_medium_confidence():
    found = finding(FABRIC_FROM_ARGV, "ssh-command-injection")
    assert (found.line, found.confidence) == (6, Level.MEDIUM)


def test_kubernetes_shell_script_runs_in_the_pod_and_the_fix_is_a_command_list():
    found = finding(K8S, "process-program-injection")
    assert found.cwe == 78 and "starts a shell in the pod" in found.message
    assert '`command=["tail", "-n", "100", path]`' in found.solution
    assert not [f for f in review_text(K8S, min_confidence=Level.LOW).findings if f.cwe == 79]


def test_creation_mode_message_says_the_umask_masks_it():
    code = "import os\nos.umask(0)\nos.mkdir('/srv/spool', 0o777)\n"
    found = finding(code, "permissive-creation-mode")
    assert "masked by the umask" in found.message and "line 2" in found.message
    assert finding(code, "permissive-umask").message.startswith("Umask 0o000")


def test_verify_false_in_a_module_dict_names_where_it_comes_from():
    code = 'import requests\nKW = {"verify": False, "timeout": 5}\nrequests.get("https://x.internal", **KW)\n'
    found = finding(code, "tls-verification-disabled")
    assert "verify=False (passed in a ** dict)" in found.message
    assert not [f for f in review_text(code, min_confidence=Level.LOW).findings if f.rule_id == "request-without-timeout"]


INVOKE_TASK = """\
from invoke import task

@task
def build(c, target="all"):
    c.run("make " + target)
"""


def test_invoke_task_parameter_is_the_command_line_and_the_fix_quotes_for_the_shell():
    found = finding(INVOKE_TASK, "shell-command-injection")
    assert (found.line, found.cwe, found.confidence) == (5, 78, Level.MEDIUM)
    assert [step.line for step in found.trace] == [4, 5]
    assert "always runs its command through a shell" in found.solution
    assert "subprocess.run" not in found.solution  # (invoke has no argument-list form)
