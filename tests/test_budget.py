"""The data-flow analysis is bounded: code whose loops would take a long time to reach a fixpoint
is analysed with single passes past a budget, finishes quickly, and is reported as partly
reviewed (never a hang)."""
import time

from conftest import review_text


def rotating_nested_loops(depth: int) -> str:
    lines = ["import os", "def f(a):", '    x = y = z = w = ""']
    indent = "    "
    for level in range(depth):
        lines.append(f'{indent}while x != "{level}":')
        indent += "    "
        lines.append(f"{indent}x, y, z, w = y, z, w, a + x")
    lines.append(f"{indent}os.system(x)")
    return "\n".join(lines) + "\n"


def test_pathological_loops_finish_and_are_reported_as_partly_analysed():
    started = time.monotonic()
    result = review_text(rotating_nested_loops(10))
    assert time.monotonic() - started < 20
    assert [d.kind for d in result.diagnostics] == ["budget"]
    assert any(f.rule_id == "shell-command-injection" for f in result.findings)  # pattern rules still ran


def test_ordinary_loops_stay_within_the_budget():
    result = review_text(rotating_nested_loops(2))
    assert result.diagnostics == []


def module_of_functions(count: int) -> str:
    """``count`` small module-level functions, then one running its command-line argument."""
    helpers = "".join(f"def f{i}():\n    return {i}\n" for i in range(count))
    return f"import os, sys\n{helpers}def main():\n    os.system('ls ' + sys.argv[1])\n"


def test_each_function_counts_once_against_the_files_budget():
    # 3,000 functions are within the budget of MAX_FUNCTIONS_PER_FILE (5,000): each is analysed,
    # the last one too (they used to count twice: the budget ran out at 2,500).
    from secreview.dataflow import MAX_FUNCTIONS_PER_FILE

    count = 3_000
    assert count < MAX_FUNCTIONS_PER_FILE < 2 * count
    result = review_text(module_of_functions(count))
    assert result.diagnostics == []
    assert [(f.rule_id, f.line) for f in result.findings if f.cwe == 78] == [("shell-command-injection", 2 * count + 3)]


def elif_chain(count: int) -> str:
    """A command built by a chain of ``count`` branches (``v = v + "3"``), then run."""
    branches = "".join(f"    {'if' if i == 0 else 'elif'} k == {i}:\n        v = v + '{i}'\n" for i in range(count))
    return f"import os, sys\ndef f(k):\n    v = sys.argv[1]\n{branches}    os.system(v)\n"


def test_a_name_built_by_a_long_chain_of_branches_is_worked_out_once(monkeypatch):
    # The string rules work out what a name holds from its bindings; read at each of N
    # branches, a name with N bindings was worked out N times (quadratic: 1,000 branches took
    # 30 s). Twice the branches must be about twice the work, not four times.
    from secreview.rules import _strings

    calls = {"n": 0}
    real = _strings._Composer._pieces

    def counted(self, expr):
        calls["n"] += 1
        return real(self, expr)

    monkeypatch.setattr(_strings._Composer, "_pieces", counted)
    work = []
    for count in (150, 300):
        calls["n"] = 0
        result = review_text(elif_chain(count))
        assert [(f.rule_id, f.line) for f in result.findings if f.cwe == 78] == [("shell-command-injection", 2 * count + 4)]
        work.append(calls["n"])
    assert work[1] < 2.5 * work[0]


def appending_nested_loops(depth: int) -> str:
    """``depth`` nested loops, each appending to its own list and to the enclosing loop's."""
    lines = ["import subprocess", "from flask import request", "def collect():", "    found = []",
             '    for word in request.args.getlist("w"):']
    indent = "        "
    outer = "found"
    for level in range(depth):
        lines.append(f"{indent}list_{level} = []")
        lines.append(f"{indent}for word in word.split():")
        indent += "    "
        lines.append(f"{indent}list_{level}.append(word)")
        lines.append(f"{indent}{outer}.append(word)")
        outer = f"list_{level}"
    lines.append('    subprocess.run("echo " + " ".join(found), shell=True)')
    return "\n".join(lines) + "\n"


def test_lists_appended_to_in_nested_loops_settle_within_the_budget():
    # An element appended in a loop goes to the list's unknown tail: tracked by position, each
    # pass of the analysis added one, no loop settled, and the passes multiplied with the depth.
    result = review_text(appending_nested_loops(6))
    assert result.diagnostics == []
    assert [(f.rule_id, f.line) for f in result.findings] == [("subprocess-shell-injection", 30)]
