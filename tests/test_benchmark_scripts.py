"""The benchmark scripts are not run by the suite (they need the downloaded corpus and minutes),
but they wrap functions of the pipeline by name: renaming one must not leave them broken."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_stages_times_every_stage_of_a_small_review():
    output = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"), str(ROOT / "examples")],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    assert output.startswith("1 files, ")
    for label in ("parse", "facts walk", "data flow", "rules", "reading", "import order", "the rest"):
        assert f"  {label} " in output
