"""Stage: report. One formatter per output format; each takes a ReviewResult and returns text.

Every formatter is called as ``render(result, color=bool, show_suppressed=bool)`` and ignores the
options it has no use for. docs/output-formats.md describes each format.
"""
from __future__ import annotations

from typing import Callable

from secreview.result import ReviewResult

Formatter = Callable[..., str]


# format name -> (module in secreview.report, function): a module is imported only when its format
# is used (the text format alone brings in rich; a cached review is mostly start-up).
_FORMATS = {
    "text": ("text", "render"),
    "review": ("review", "render"),
    "json": ("json_format", "render"),
    "sarif": ("sarif", "render"),
    # code-review tools (issue 4)
    "gerrit": ("gerrit", "render"),
    "github": ("github", "render"),
    "github-review": ("github", "render_review"),
}


def _on_first_use(module: str, function: str) -> Formatter:
    def render(result: ReviewResult, **options) -> str:
        import importlib

        from secreview.report.common import shown

        text = getattr(importlib.import_module(f"secreview.report.{module}"), function)(result, **options)
        return shown(text)  # (a file name that is not UTF-8 the format did not escape: never written raw)

    return render


def formatters() -> dict[str, Formatter]:
    return {name: _on_first_use(module, function) for name, (module, function) in _FORMATS.items()}
