#!/usr/bin/env bash
# One-command set-up: find a Python >= 3.12 on this machine, create .venv, install secreview with
# its test dependencies, then review the bundled example so the user sees a real review.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidates=()
    [ -n "${SECREVIEW_PYTHON:-}" ] && candidates+=("$SECREVIEW_PYTHON")
    candidates+=(python3.13 python3.12 python3)
    if command -v pyenv >/dev/null 2>&1; then
        local root; root=$(pyenv root)
        for dir in "$root"/versions/3.1[3-9]* "$root"/versions/3.12*; do
            [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
        done
    fi
    for dir in "$HOME"/.pyenv/versions/3.1[2-9]*; do
        [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
    done
    for py in "${candidates[@]}"; do
        # A pyenv shim may exist for a version that is not active: actually run it to be sure.
        if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            echo "$py"; return 0
        fi
    done
    return 1
}

PY=$(find_python) || { echo "secreview needs Python >= 3.12; none was found (set SECREVIEW_PYTHON=/path/to/python3.12)" >&2; exit 2; }
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    rm -rf .venv
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# An editable install leaves the bytecode to the first run, which cannot write it where
# PYTHONDONTWRITEBYTECODE is set (then every run compiles secreview again: about 0.1 s).
.venv/bin/python -m compileall -q src/secreview >/dev/null
echo "secreview installed in .venv ($(.venv/bin/python --version)). Reviewing examples/netcfg.py:"
echo
# Exit code 1 means "findings reported", which is what this example is for.
.venv/bin/secreview review examples/netcfg.py --format review || [ $? -eq 1 ]
