"""``--format json``: stable, versioned schema documented in docs/json-schema.md."""
from __future__ import annotations

import json

from secreview import __version__
from secreview.engine import ReviewResult

SCHEMA_VERSION = 1


def to_document(result: ReviewResult) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "summary": {
            "files": len(result.files),
            "lines": result.lines,
            "checks": result.checks,
            "rules": result.rules,
            "findings": len(result.findings),
            "suppressed": len(result.suppressed),
            "diagnostics": len(result.diagnostics),
        },
        "findings": [f.to_dict() for f in result.findings],
        "suppressed": [f.to_dict() for f in result.suppressed],
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


def render(result: ReviewResult, **_options) -> str:
    return json.dumps(to_document(result), indent=2) + "\n"
