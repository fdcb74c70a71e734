"""The evidence of a flow through helpers of other files: their steps are listed, and they are
those of the helpers as they are now, while a caller's cached result names the helper rather than
holding a copy of its lines (an edit inside a helper does not make its callers' callers be
analysed again: see findings.TraceStep.via)."""
from pathlib import Path

import pytest

from project_helpers import age_files, review_tree, write
from secreview import cache as cache_store
from secreview.dataflow.project import helper_steps
from secreview.dataflow.values import Origin, distinct, expand_steps
from secreview.findings import HelperRef, Level, TraceStep

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/clean.py": (
        "def tidy(value):\n"
        "    text = value.strip()\n"
        "    return text\n"
    ),
    "pkg/wrap.py": (
        "from pkg.clean import tidy\n"
        "\n"
        "\n"
        "def prepared(value):\n"
        "    return tidy(value)\n"
    ),
    "pkg/app.py": (
        "import os\n"
        "\n"
        "from flask import Flask, request\n"
        "\n"
        "from pkg.wrap import prepared\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        "\n"
        '@app.route("/run")\n'
        "def run():\n"
        '    name = request.args["name"]\n'
        '    os.system("echo " + prepared(name))\n'
    ),
}


def evidence(result) -> list[tuple[str, int]]:
    [finding] = [f for f in result.findings if f.cwe == 78]
    assert (Path(finding.path).name, finding.line) == ("app.py", 13)
    return [(Path(step.path).name, step.line) for step in finding.trace]


def test_the_evidence_goes_through_both_helpers_of_other_files(tmp_path):
    write(tmp_path, PROJECT)
    result, _ = review_tree(tmp_path / "pkg", cache_dir=None)
    assert evidence(result) == [("app.py", 12), ("wrap.py", 4), ("clean.py", 1), ("clean.py", 2), ("clean.py", 3),
                                ("wrap.py", 5), ("app.py", 13)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_edit_inside_a_helper_analyses_its_callers_but_not_theirs_and_the_evidence_is_current(tmp_path, jobs):
    write(tmp_path, PROJECT)
    cache = tmp_path / "cache"
    review_tree(tmp_path / "pkg", cache_dir=cache, jobs=jobs)
    clean = tmp_path / "pkg" / "clean.py"
    clean.write_text("def tidy(value):\n    # Surrounding blanks are never meant.\n\n    text = value.strip()\n    return text\n")
    age_files(tmp_path)
    result, stats = review_tree(tmp_path / "pkg", cache_dir=cache, jobs=jobs)
    # clean.py (edited) and wrap.py (told tidy's summary, whose lines moved); app.py was told
    # prepared's, which names tidy and did not change.
    assert stats.analysed == 2
    moved = [("app.py", 12), ("wrap.py", 4), ("clean.py", 1), ("clean.py", 4), ("clean.py", 5), ("wrap.py", 5), ("app.py", 13)]
    assert evidence(result) == moved
    uncached, _ = review_tree(tmp_path / "pkg", cache_dir=None)
    assert evidence(uncached) == moved


def test_a_helper_no_longer_known_leaves_its_steps_out_of_the_evidence():
    call = TraceStep("app.py", 13, 4, 'os.system("echo " + prepared(name))', "passed through `prepared()`")
    step = call.with_via((HelperRef("pkg.wrap.prepared", 0),))
    # A file's analysis keeps the reference on the step; the report drops it when it is unknown.
    [kept] = expand_steps([step])
    assert kept == call and kept.via == (HelperRef("pkg.wrap.prepared", 0),)
    [reported] = expand_steps([step], helper_steps({}))
    assert reported == call and not reported.via


def test_a_steps_helper_reference_survives_the_cache_and_a_forged_one_is_rejected():
    ref = HelperRef("pkg.wrap.prepared", 1)
    step = TraceStep("app.py", 13, 4, "prepared(name)", "passed through `prepared()`").with_via((ref,))
    [restored] = cache_store.unpack(cache_store.pack([step]))
    assert restored.via == (ref,)
    packed = cache_store.pack([step])
    for forged in (packed.replace('"pkg.wrap.prepared"', '["x"]'), packed.replace(",1]", ',"1"]')):
        assert forged != packed
        with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
            cache_store.unpack(forged)


PATHS = '''import os

from flask import Flask, request

app = Flask(__name__)


def pick(value, flag):
    if flag:
        first = value.strip()
        return first
    elif flag is None:
        second = value.lower()
        return second
    third = value.upper()
    return third


@app.route("/run")
def run():
    os.system("echo " + pick(request.args["v"], request.args.get("f")))
'''


def test_the_evidence_through_a_helper_of_several_paths_is_the_same_in_every_run(tmp_path):
    # Three paths bring the parameter back; the evidence shows one of them, the same whatever
    # the order of the sets the analysis holds them in (it varies with Python's hash seed).
    import json
    import os
    import subprocess
    import sys

    app = tmp_path / "app.py"
    app.write_text(PATHS)
    traces = set()
    for seed in range(1, 7):
        done = subprocess.run([sys.executable, "-m", "secreview", "review", str(app), "--no-cache", "-f", "json"],
                              capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": str(seed)})
        [finding] = json.loads(done.stdout)["findings"]
        traces.add(tuple(step["line"] for step in finding["trace"]))
    assert len(traces) == 1, traces
    [trace] = traces
    assert trace[:2] == (21, 8) and trace[-1] == 21 and len(trace) == 5


TWO_ROUTES = {
    "relay/__init__.py": "",
    "relay/helpers.py": (
        "def combine(first,\n"
        "            second):\n"
        "    head = first.strip()\n"
        "    tail = second.strip()\n"
        "    return head + tail\n"
    ),
    "relay/views.py": (
        "import logging\n"
        "\n"
        "from flask import Flask, request\n"
        "\n"
        "from relay.helpers import combine\n"
        "\n"
        "app = Flask(__name__)\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "\n"
        '@app.route("/relay")\n'
        "def relay():\n"
        '    name = request.args["name"]\n'  # 13
        "    value = name.strip()\n"
        '    left = value + "<"\n'  # 15: a step of one route only,
        '    right = value + ">"\n'  # 16: of the other
        "    both = combine(left, right)\n"  # 17: through the helper's `first` or its `second`
        + "".join(f'    s{n} = {"both" if n == 1 else f"s{n - 1}"} + "{n}"\n' for n in range(1, 12))  # 18-28
        + '    log.warning("relayed %s", s11)\n'  # 29
        '    return "ok"\n'
    ),
}


def test_the_evidence_of_routes_made_alike_by_the_cap_on_steps_is_the_same_in_every_run(tmp_path):
    # One value reaches the helper by both its parameters (through lines 15 and 16). The routes'
    # steps, cut to the most recent (values.MAX_STEPS), no longer tell them apart, but for the
    # helper's steps on the call's (`first`'s or `second`'s, different on lines 1-4): the one
    # kept is the first by those, not the first in the order of a set (it varies with the seed).
    import json
    import os
    import subprocess
    import sys

    write(tmp_path, TWO_ROUTES)
    traces = set()
    for seed in range(1, 9):
        done = subprocess.run([sys.executable, "-m", "secreview", "review", str(tmp_path / "relay"), "--no-cache",
                               "-f", "json", "--min-confidence", "low"],
                              capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": str(seed)})
        [finding] = json.loads(done.stdout)["findings"]
        traces.add(tuple((Path(step["path"]).name, step["line"]) for step in finding["trace"]))
    assert len(traces) == 1, traces
    [trace] = traces
    assert trace[:5] == (("views.py", 13), ("views.py", 14), ("helpers.py", 1), ("helpers.py", 3), ("helpers.py", 5))
    assert trace[5:] == tuple(("views.py", line) for line in range(17, 30))


def test_origins_made_equal_keep_the_first_by_their_evidence_in_either_order():
    source = TraceStep("views.py", 13, 4, 'name = request.args["name"]', "HTTP query parameter")
    call = TraceStep("views.py", 17, 4, "both = combine(left, right)", "passed through `combine()`")
    by_first = Origin("HTTP query parameter", Level.HIGH, (source, call.with_via((HelperRef("relay.helpers.combine", 0),))))
    by_second = Origin("HTTP query parameter", Level.HIGH, (source, call.with_via((HelperRef("relay.helpers.combine", 1),))))
    assert by_first == by_second  # (the helpers' steps are evidence, not identity)
    for made in ([by_first, by_second], [by_second, by_first]):
        [kept] = distinct(made)
        assert kept.steps[-1].via == (HelperRef("relay.helpers.combine", 0),)
    other = Origin("HTTP form field", Level.HIGH, (source,))
    assert distinct([by_second, other]) == frozenset({by_second, other})
