"""Stage: report. One formatter per output format; each takes a ReviewResult and returns text."""
from __future__ import annotations

from typing import Callable

from secreview.engine import ReviewResult

Formatter = Callable[..., str]


def formatters() -> dict[str, Formatter]:
    from secreview.report import gerrit, github, json_format, text

    return {
        "text": text.render,
        "json": json_format.render,
        # code-review tools (issue 4)
        "gerrit": gerrit.render,
        "github": github.render,
        "github-review": github.render_review,
    }
