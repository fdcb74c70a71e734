"""pathlib paths for the rules that judge file paths (path traversal) and the string
composition that reads their constant beginning; the judgement itself is a fact of the file
(facts/pathlib_paths.py), shared with the data flow.

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast

from secreview.facts.pathlib_paths import PATH_CONSTRUCTORS, is_pathlib_path
from secreview.rules.context import RuleContext

__all__ = ["PATH_CONSTRUCTORS", "is_path_expression"]


def is_path_expression(expr: ast.expr, ctx: RuleContext) -> bool:
    """A pathlib path: a Path(...) call, a ``/`` join with one, a path derived from one
    (``.joinpath()``, ``.resolve()``, ``.parent``), a call of a function of this file annotated
    ``-> Path``, or a name bound only to such expressions or annotated as a Path."""
    return is_pathlib_path(expr, ctx.facts, ctx.scope_chain, ctx.function, ctx.qualname)
