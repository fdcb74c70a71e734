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
