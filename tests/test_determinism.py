"""The report must not depend on the hash seed: origins live in sets, which iterate in an order
that changes between runs, so every choice among them has to follow a fixed order."""
import os
import subprocess
import sys
from pathlib import Path

CODE = '''
import os
from flask import Flask, request

app = Flask(__name__)


def _run(command):
    os.system(command)


@app.route("/many")
def many():
    parts = [request.args["a"], request.form["b"], request.cookies["c"], request.headers["d"],
             request.values["e"], request.args["f"], request.form["g"], request.json["h"]]
    command = " ".join(parts)
    os.system(command)
    _run(request.args["x"] + request.form["y"])
    return "ok"
'''


def review_with_seed(folder: Path, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    completed = subprocess.run(
        [sys.executable, "-m", "secreview", "review", str(folder), "--format", "json", "--no-cache", "--jobs", "1",
         "--min-confidence", "low"],
        capture_output=True, text=True, env=env, cwd=folder,
    )
    assert completed.returncode == 1, completed.stderr
    return completed.stdout


def test_same_report_whatever_the_hash_seed(tmp_path: Path):
    (tmp_path / "app.py").write_text(CODE)
    reports = {review_with_seed(tmp_path, seed) for seed in ("0", "1", "2", "3")}
    assert len(reports) == 1
