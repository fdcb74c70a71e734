"""Hand-built ReviewResults for the formatter tests, so each format is checked on exact values
independent of which rules exist: the design example (findings with and without a trace), a clean
result, suppressed findings and inputs that could not be reviewed."""
from __future__ import annotations

from secreview.result import ReviewResult
from secreview.findings import Diagnostic, Finding, Level, TraceStep
from secreview.inputs.changes import Change, ChangedFile

NETCFG = '''import logging, subprocess
from flask import Flask, request
from oslo_concurrency import lockutils

app = Flask(__name__)
LOG = logging.getLogger(__name__)

@app.route("/iface")
def add_address():
    name = request.args["name"]
    cidr = request.args.get("cidr", "")
    with lockutils.lock("iface-" + name):
        cmd = "ip addr add %s dev %s" % (cidr, name)
        subprocess.run(cmd, shell=True, check=True)
    LOG.info("configured %s with password %s", name, app.config["ADMIN_PASSWORD"])
    return "ok"
'''.splitlines()


def line_of(number: int) -> str:
    return NETCFG[number - 1]


def finding(rule_id, title, cwe, severity, confidence, line, flagged, message, solution,
            trace=(), path="netcfg.py", suppressed_by=None, fingerprint="0" * 32) -> Finding:
    """A finding on ``line`` whose columns span the text ``flagged`` on that line."""
    col = line_of(line).index(flagged)
    end_col = col + len(flagged)
    return Finding(
        rule_id=rule_id, title=title, cwe=cwe, severity=severity, confidence=confidence, path=path,
        line=line, col=col, end_line=line, end_col=end_col, message=message,
        solution=solution, code=line_of(line).strip(), trace=list(trace), fingerprint=fingerprint,
        suppressed_by=suppressed_by,
    )


def step(line: int, note: str, path: str = "netcfg.py") -> TraceStep:
    code = line_of(line).strip()
    return TraceStep(path, line, len(line_of(line)) - len(line_of(line).lstrip()), code, note)


def command_injection() -> Finding:
    return finding(
        "sample-shell-injection", "OS command injection", 78, Level.HIGH, Level.HIGH, 14,
        "subprocess.run(cmd, shell=True, check=True)",
        "`cmd` is built from `cidr` and `name`, both read from the HTTP query string, and is run through a shell.",
        "pass an argument list without a shell.",
        trace=[step(10, "untrusted (HTTP query parameter)"), step(11, "untrusted"),
               step(13, "both formatted into `cmd`"), step(14, "executed by a shell")],
        fingerprint="1" * 32,
    )


def lock_name() -> Finding:
    return finding(
        "sample-lock-name", "Externally controlled lock name", 400, Level.LOW, Level.MEDIUM, 12,
        'lockutils.lock("iface-" + name)',
        "the lock name includes `name` from the request (line 10).",
        "validate `name` before use, or lock on a fixed name.", fingerprint="2" * 32,
    )


def secret_logged() -> Finding:
    return finding(
        "sample-secret-log", "Secret written to log", 532, Level.MEDIUM, Level.MEDIUM, 15,
        'LOG.info("configured %s with password %s", name, app.config["ADMIN_PASSWORD"])',
        '`app.config["ADMIN_PASSWORD"]` is logged at INFO level.',
        "remove the secret from the message.", fingerprint="3" * 32,
    )


def excerpt(*lines: int) -> dict[int, str]:
    return {n: line_of(n) for n in lines}


def netcfg_result() -> ReviewResult:
    """The design example: three findings in one file, the first with a data-flow trace."""
    result = ReviewResult(files=["netcfg.py"], lines=16, checks=142, rules=60)
    result.findings = [lock_name(), command_injection(), secret_logged()]
    result.findings.sort(key=Finding.sort_key)
    result.excerpts = {"netcfg.py": excerpt(*range(10, 17))}
    return result


def clean_result() -> ReviewResult:
    return ReviewResult(files=["netcfg.py"], lines=16, checks=142, rules=60)


def suppressed_result() -> ReviewResult:
    """No reported finding, one suppressed inline, one file that could not be parsed."""
    result = clean_result()
    hidden = lock_name()
    hidden.suppressed_by = "secreview: ignore (line 12): names come from an allow-list"
    result.suppressed = [hidden]
    result.diagnostics = [Diagnostic("broken.py", "syntax-error", "invalid Python syntax: invalid syntax", 3)]
    return result


def several_files_result() -> ReviewResult:
    """Findings in two files, one trace step in another file, a missing path and a binary file."""
    result = ReviewResult(files=["pkg/a.py", "pkg/b.py"], lines=40, checks=90, rules=60)
    cross = finding("sample-shell-injection", "OS command injection", 78, Level.HIGH, Level.MEDIUM, 14, "subprocess.run",
                    "`cmd` reaches a shell.", "use a list.", path="pkg/b.py",
                    trace=[step(10, "untrusted", path="pkg/a.py"), step(14, "executed by a shell", path="pkg/b.py")],
                    fingerprint="4" * 32)
    result.findings = [secret_logged(), cross]
    result.findings[0].path = "pkg/a.py"
    result.diagnostics = [Diagnostic("gone.py", "missing-path", "no such file or directory"),
                          Diagnostic("pkg/blob.py", "binary", "file contains NUL bytes; it is not Python source and was not reviewed")]
    return result


def partly_reviewed_result() -> ReviewResult:
    """A file reviewed with a caveat: it is in ``files`` and has a diagnostic."""
    result = clean_result()
    result.diagnostics = [Diagnostic("netcfg.py", "budget", "data-flow budget exceeded: some functions were reviewed by pattern rules only")]
    return result


def change_result() -> ReviewResult:
    """--diff HEAD~1: one finding on a changed line, two in unchanged code left out."""
    change = Change(kind="diff", title="HEAD~1 (1a2b3c4)..working tree", base="HEAD~1",
                    files={"netcfg.py": ChangedFile("netcfg.py", "modified", frozenset({13, 14}))},
                    subjects=["1a2b3c4 Configure addresses through a shell"],
                    reviewed_files=["netcfg.py"], changed_lines=2, findings_outside=2)
    result = netcfg_result()
    result.findings = [command_injection()]
    result.change = change
    return result
