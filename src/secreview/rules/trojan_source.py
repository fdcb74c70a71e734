"""Trojan source (CVE-2021-42574): Unicode bidirectional control characters in the source text."""
from __future__ import annotations

import ast
import re

from secreview.rules.base import HIGH, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

# Embeddings, overrides and isolates reorder how a line is displayed; the marks (LRM/RLM/ALM)
# only affect neutral characters and are common in right-to-left text, so they are not reported.
OPENERS = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
}
CLOSERS = {"\u202c": "POP DIRECTIONAL FORMATTING", "\u2069": "POP DIRECTIONAL ISOLATE"}
BIDI_CONTROLS = {**OPENERS, **CLOSERS}
_ANY_CONTROL = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


@rule(
    id="trojan-source",
    title="Bidirectional control character in source",
    cwe=838,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B613"],
    nodes=[ast.Module],
    description="""The line contains a Unicode bidirectional control character (embedding,
        override or isolate). Editors and review tools reorder the text around it, so the code a
        reviewer reads differs from the code Python runs: a comment can appear to end early, a
        string can appear to close, a check can appear to be there (Trojan Source,
        CVE-2021-42574; the encoding shown is inappropriate for the context, CWE-838).
        Unterminated controls (more openers than PDF/PDI on the line) are the attack's signature
        and get high confidence.""",
    solution="""Remove the control characters from code and comments. Right-to-left text that
        really needs them belongs in translation files, or in strings written with escapes
        ("\\u2067...\\u2069") so the source stays visible as is.""",
    example="""
        access_level = "user"
        if access_level != "user<U+202E> <U+2066>// Check if admin<U+2069> <U+2066>":
            grant_admin()
    """,
    fixed="""
        access_level = "user"
        if access_level != "user":  # no invisible controls
            grant_admin()
    """,
)
def check_bidi(module: ast.Module, ctx: RuleContext):
    for number, line in enumerate(ctx.parsed.lines, start=1):
        # Fast path for nearly every line: the controls are not ASCII, and a regex finds them in C.
        if line.isascii() or not _ANY_CONTROL.search(line):
            continue
        found = [(index, char) for index, char in enumerate(line) if char in BIDI_CONTROLS]
        if not found:
            continue
        openers = sum(1 for _, char in found if char in OPENERS)
        closers = len(found) - openers
        index, char = found[0]
        column = len(line[:index].encode("utf-8"))
        names = ", ".join(sorted({f"U+{ord(c):04X} {BIDI_CONTROLS[c]}" for _, c in found}))
        marker = ast.Constant(value=char, lineno=number, col_offset=column, end_lineno=number,
                              end_col_offset=column + len(char.encode("utf-8")))
        unterminated = openers > closers
        yield Hit(marker, confidence=HIGH if unterminated else MEDIUM,
                  message=f"Line {number} contains {names}"
                          + (" left unterminated" if unterminated else "")
                          + ": the displayed code differs from what Python executes.")
