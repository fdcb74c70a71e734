"""Stage: report. One formatter per output format; each takes a ReviewResult and returns text.

Every formatter is called as ``render(result, color=bool, show_suppressed=bool)`` and ignores the
options it has no use for. docs/output-formats.md describes each format.
"""
from __future__ import annotations

from typing import Callable

from secreview.engine import ReviewResult

Formatter = Callable[..., str]


def formatters() -> dict[str, Formatter]:
    from secreview.report import gerrit, github, json_format, review, sarif, text

    return {
        "text": text.render,
        "review": review.render,
        "json": json_format.render,
        "sarif": sarif.render,
        # code-review tools (issue 4)
        "gerrit": gerrit.render,
        "github": github.render,
        "github-review": github.render_review,
    }
