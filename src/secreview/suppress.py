"""Stage: suppression. What the user said must not be reported, and why.

- Inline, on any line of the flagged statement (every line of a multi-line statement; for a
  compound statement, its header lines: decorators and ``def`` line(s), ``with ...:``, ``if ...:``,
  ``except ...:``):
  ``# secreview: ignore[RULE-ID, OTHER] reason`` (rule ids or Bandit ids), ``# secreview: ignore``
  (every rule), ``# nosec`` (every rule) and ``# nosec B602, B607`` (the rules covering those Bandit
  ids; secreview rule ids work there too). Only real comments count, not text inside strings.
  The reason written after the comment is kept (``nosec B602 reason`` too); none: "no reason given".
  Ruff's ``# noqa: S324`` suppresses the rules of the Bandit ids its flake8-bandit codes name
  (S + Bandit's number); its other codes and a bare ``# noqa`` suppress nothing here.
  A malformed ``secreview`` comment (``ignore[`` without ``]``, ``ignore[]``, ``ignore eval-used``
  without brackets, ``secreview ignore`` without the colon...) suppresses nothing, never every rule:
  ``problems`` reports it as a warning at its line, as it does ids in brackets that name no rule.
- Configuration: ``per-path-ignores`` (glob -> rule ids).
Every suppressed finding is kept, with ``suppressed_by`` saying which comment or glob did it, so
that reports can count and list them. A well-formed comment that suppresses nothing (no finding,
at any confidence, of what it names on its statement) gets an ``unused-suppression`` note
(``unused``): not a finding, not a warning, no effect on the exit code. Only secreview's own
comments are judged: ``secreview: ignore...``, and a ``nosec`` that names secreview rule ids; a
bare ``nosec`` or one naming only Bandit ids is Bandit's, needed wherever Bandit flags. The severity and confidence floors are report filters, not
suppressions: findings below them are dropped.
"""
from __future__ import annotations

import ast
import difflib
import functools
import io
import re
import tokenize
from dataclasses import dataclass

from secreview.config import Config
from secreview.findings import SUPPRESSION_WARNING, Diagnostic, Finding
from secreview.parse import ParsedFile

# A comment that means to talk to secreview: ``# secreview: ...``, ``# secreview ignore...``.
_DIRECTIVE = re.compile(r"#\s*secreview\s*(?::|(?=ignore))", re.I)
# The well-formed suppression: ``ignore[ids] reason`` (a space before the bracket is accepted: it is
# unambiguous) or ``ignore reason`` (every rule).
_IGNORE = re.compile(r"#\s*secreview\s*:\s*ignore\b(?P<rest>[^#]*)", re.I)
_BRACKETS = re.compile(r"\s*\[(?P<ids>[^\]]*)\](?P<reason>.*)", re.S)
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<rest>[^#]*)", re.I)
# Ruff's (flake8-bandit's) form: ``# noqa: S324, E501 reason``; its S codes are Bandit's numbers.
_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)(?P<rest>[^#]*)", re.I)
_RUFF_BANDIT_CODE = re.compile(r"^S(\d{3})$", re.I)
_BANDIT_ID = re.compile(r"^B\d{3}$", re.I)
_ID_LIST = re.compile(r"[\s,]*(?P<id>[\w-]+)[\s,;:]*")
_REASON_LEADER = " \t:-–—,;"


# Nodes that own a line range for inline suppressions: statements, and ``except ...:`` clauses
# (an ExceptHandler is not an ast.stmt, but a comment on its header must not reach the try body).
_STATEMENT_LIKE = (ast.stmt, ast.ExceptHandler)


def statement_range(node: ast.AST, ancestors: list[ast.AST]) -> tuple[int, int]:
    """Lines on which an inline suppression for ``node`` may be written: the whole enclosing simple
    statement, or the header of an enclosing compound statement (decorators and ``def`` line(s),
    ``with x(...):``, ``except E:``... up to its body)."""
    if isinstance(node, _STATEMENT_LIKE):
        statement = node
    else:
        statement = next((a for a in reversed(ancestors) if isinstance(a, _STATEMENT_LIKE)), None)
    if statement is None:
        line = getattr(node, "lineno", 1)
        return line, getattr(node, "end_lineno", line) or line
    start = statement.lineno
    decorators = getattr(statement, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    body = getattr(statement, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
        node_end = start if statement is node else (getattr(node, "end_lineno", start) or start)
        return start, max(start, statement.lineno, body[0].lineno - 1, node_end)
    return start, statement.end_lineno or start


def statement_range_at(tree: ast.AST, line: int, col: int) -> tuple[int, int]:
    """``statement_range`` of the innermost node at (line, col), for findings made from a position
    (data flow through helpers) rather than during the AST pass."""
    ancestors: list[ast.AST] = []
    node: ast.AST = tree
    while True:
        inner = next((child for child in ast.iter_child_nodes(node) if _contains(child, line, col)), None)
        if inner is None:
            break
        ancestors.append(inner)
        node = inner
    return statement_range(node, ancestors[:-1]) if ancestors else (line, line)


def _contains(node: ast.AST, line: int, col: int) -> bool:
    if not hasattr(node, "lineno") or getattr(node, "end_lineno", None) is None:
        return False
    return (node.lineno, node.col_offset) <= (line, col) <= (node.end_lineno, node.end_col_offset)


def comments_by_line(parsed: ParsedFile) -> dict[int, str]:
    """Real comments only (a ``# nosec`` inside a string literal does not count)."""
    comments = _tokenize_comments("\n".join(parsed.lines))
    if comments is None:
        # A fragment with unusual indentation (stdin snippet): tokenize it inside a block, as the
        # snippet parser did; keep whatever the first pass found if that fails too.
        partial: dict[int, str] = {}
        _tokenize_comments("\n".join(parsed.lines), partial)
        wrapped = _tokenize_comments("if True:\n" + "\n".join(parsed.lines))
        return {line - 1: text for line, text in wrapped.items()} if wrapped is not None else partial
    return comments


def _tokenize_comments(source: str, into: dict[int, str] | None = None) -> dict[int, str] | None:
    comments = into if into is not None else {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return comments


def _ids(text: str) -> list[str]:
    """The ids of a list, in order, once each (Bandit ids upper-cased)."""
    found = (part.upper() if _BANDIT_ID.match(part) else part for part in re.split(r"[\s,;:]+", text) if part)
    return list(dict.fromkeys(found))


def _reason(text: str) -> str:
    return text.strip().lstrip(_REASON_LEADER).strip()


@dataclass(frozen=True)
class KnownIds:
    """What a suppression may name: secreview rule ids and the Bandit ids some rule covers."""

    rules: frozenset[str]
    bandit: frozenset[str]

    def is_id(self, word: str) -> bool:
        return word in self.rules or bool(_BANDIT_ID.match(word))

    def unknown(self, word: str) -> str | None:
        """Why ``word`` names no rule, or None when it names one."""
        if _BANDIT_ID.match(word):
            return None if word.upper() in self.bandit else f"no secreview rule covers Bandit id `{word}`"
        if word in self.rules:
            return None
        near = difflib.get_close_matches(word, self.rules, n=1)
        return f"unknown rule id `{word}`" + (f" (did you mean `{near[0]}`?)" if near else "")


@functools.cache
def known_ids() -> KnownIds:
    from secreview.rules import all_rules

    rules = all_rules()
    return KnownIds(frozenset(rules), frozenset(b.upper() for rule in rules.values() for b in rule.bandit))


@dataclass(frozen=True)
class Suppression:
    """One suppression comment. ``what`` is its form as reports show it (``secreview:
    ignore[eval-used]``, ``nosec B602``); ``ids`` the rules or Bandit ids it names (empty: every rule).
    A malformed one (``problem``) suppresses nothing: a typo must never widen it to every rule."""

    what: str
    ids: tuple[str, ...] = ()
    reason: str = ""
    problem: str = ""
    targeted: bool = False  # written with an id list in brackets (whose ids are checked)

    def covers(self, names: set[str]) -> bool:
        return not self.problem and (not self.ids or not names.isdisjoint(self.ids))

    @property
    def is_nosec(self) -> bool:
        """Bandit's form (``# nosec ...``) rather than secreview's own."""
        return self.what.startswith("nosec")

    @property
    def is_ruff(self) -> bool:
        """Ruff's form (``# noqa: S324``): the project's answer to ruff's flake8-bandit check."""
        return self.what.startswith("noqa")

    def describe(self, line: int) -> str:
        return f"{self.what} (line {line}): {self.reason or 'no reason given'}"


def parse_comment(comment: str, known: KnownIds) -> Suppression | None:
    """The suppression a comment holds (possibly malformed), or None when it holds none."""
    match = _IGNORE.search(comment)
    if match:
        return _secreview_ignore(match.group("rest"), known)
    if _DIRECTIVE.search(comment):
        return Suppression("secreview", problem="not a suppression: write `# secreview: ignore[RULE-ID] reason`"
                                                " (or `# secreview: ignore reason` for every rule)")
    match = _NOSEC.search(comment)
    if match:
        return _nosec(match.group("rest"), known)
    match = _NOQA.search(comment)
    if match:
        return _noqa(match.group("codes"), match.group("rest"))
    return None


def _secreview_ignore(rest: str, known: KnownIds) -> Suppression:
    bracket = _BRACKETS.match(rest)
    if bracket:
        listed = bracket.group("ids").strip()
        what = f"secreview: ignore[{listed}]"
        if not _ids(listed):
            return Suppression(what, problem="the rule list `[]` is empty: name the rules to suppress"
                                             " (`# secreview: ignore reason`, without brackets, is every rule)")
        return Suppression(what, tuple(_ids(listed)), _reason(bracket.group("reason")), targeted=True)
    if rest.lstrip().startswith("["):
        return Suppression("secreview: ignore[", problem="the rule list has no closing `]`")
    reason = _reason(rest)
    first = re.match(r"[\w-]+", reason)
    if first and known.is_id(first.group()):
        word = first.group()
        return Suppression("secreview: ignore", problem=f"`{word}` looks like a rule id: put rule ids in brackets,"
                                                        f" `# secreview: ignore[{word}] reason`")
    return Suppression("secreview: ignore", reason=reason)


def _nosec(rest: str, known: KnownIds) -> Suppression:
    """Bandit's form: ``# nosec``, ``# nosec: reason``, ``# nosec B602, B607 reason`` (secreview
    rule ids work too). The ids lead; what follows them is the reason. As in earlier versions, an
    id further in the text still counts (a reason is never read as a wider suppression)."""
    words = _ids(rest)
    ids = tuple(w for w in words if _BANDIT_ID.match(w) or w in known.rules)
    position = 0
    while (match := _ID_LIST.match(rest, position)) and known.is_id(match.group("id")):
        position = match.end()
    return Suppression("nosec" + (f" {', '.join(ids)}" if ids else ""), ids, _reason(rest[position:]))


def _noqa(codes: str, rest: str) -> Suppression | None:
    """Ruff's ``# noqa: S324`` (flake8-bandit's codes: S + Bandit's number) suppresses the rules
    covering those Bandit ids; its other codes (E501...) are not security checks and a bare
    ``# noqa`` names none, so neither suppresses anything here."""
    bandit = tuple(dict.fromkeys(f"B{m.group(1)}" for code in _ids(codes) if (m := _RUFF_BANDIT_CODE.match(code))))
    if not bandit:
        return None
    return Suppression(f"noqa: {', '.join('S' + b[1:] for b in bandit)}", bandit, _reason(rest))


def suppression_for(finding: Finding, comments: dict[int, str], known: KnownIds | None = None) -> str | None:
    """Why ``finding`` is suppressed by an inline comment, or None. ``known``: the registered rule
    ids, to tell ``# nosec eval-used`` (specific) from ``# nosec because ...`` (blanket)."""
    known = known if known is not None else known_ids()
    start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
    names = {finding.rule_id, *finding.bandit}
    for line in range(start, end + 1):
        comment = comments.get(line)
        if not comment:
            continue
        suppression = parse_comment(comment, known)
        if suppression is not None and suppression.covers(names):
            return suppression.describe(line)
    return None


# Where a comment may talk to secreview: files without it need no tokenizing for ``problems``.
_DIRECTIVE_HINT = re.compile(r"secreview\s*(?::|ignore)", re.I)
UNUSED_SUPPRESSION = "unused-suppression"  # the kind of the note ``unused`` makes
SUPPRESSION_ADDED = "suppression-added"  # a reviewed change adds a comment that suppresses a finding
_LINE_OF = re.compile(r"\(line (\d+)\): ")
INLINE_FORMS = ("secreview:", "nosec", "noqa")  # how ``suppressed_by`` begins for an inline comment


def suppression_comments(parsed: ParsedFile, known: KnownIds | None = None) -> dict[int, tuple[str, Suppression]]:
    """The file's suppression comments (malformed ones included) by line, as (the comment as
    reports show it, its suppression); {} at once for a file
    whose text mentions neither ``nosec`` nor ``secreview`` (most files: no tokenizing)."""
    text = "\n".join(parsed.lines)
    # (a plain substring test first: a case-insensitive search of a large file costs ten times more)
    lowered = text.lower()
    directive = "secreview" in lowered and _DIRECTIVE_HINT.search(text) is not None
    if not directive and "nosec" not in lowered and "noqa" not in lowered:
        return {}
    known = known if known is not None else known_ids()
    found = {}
    for line, comment in sorted(comments_by_line(parsed).items()):
        suppression = parse_comment(comment, known)
        if suppression is not None:
            shown = comment.strip() if len(comment.strip()) <= 80 else comment.strip()[:77] + "..."
            found[line] = (shown, suppression)
    return found


def problems(parsed: ParsedFile, known: KnownIds | None = None,
             comments: dict[int, tuple[str, Suppression]] | None = None) -> list[Diagnostic]:
    """Warnings for the file's malformed suppression comments (which suppress nothing) and for ids
    in brackets that name no rule (which suppress nothing of their own), each at its line.
    ``comments``: the file's ``suppression_comments``, when already known."""
    known = known if known is not None else known_ids()
    comments = comments if comments is not None else suppression_comments(parsed, known)
    found = []
    for line, (shown, suppression) in comments.items():
        if suppression.problem:
            found.append(Diagnostic(parsed.path, SUPPRESSION_WARNING,
                                    f"malformed suppression `{shown}`: {suppression.problem}; it suppresses nothing", line))
        elif suppression.targeted:
            for word in suppression.ids:
                why = known.unknown(word)
                if why:
                    found.append(Diagnostic(parsed.path, SUPPRESSION_WARNING,
                                            f"suppression `{shown}`: {why}, so it suppresses nothing", line))
    return found


def unused(parsed: ParsedFile, findings: list[Finding], comments: dict[int, tuple[str, Suppression]], active: frozenset[str],
           known: KnownIds | None = None) -> list[Diagnostic]:
    """Notes for the well-formed suppression comments that suppress none of ``findings`` (every
    finding of the file, below the reporting floors too: a comment for a low-confidence finding is
    still in use). A comment counts as used by a finding when it sits on a line a suppression of
    that finding may sit on (``statement_lines``: any line of a multi-line statement) and names it.
    A comment that names only rules not run (``active``: enabled rule ids and their Bandit ids), or
    a ``nosec`` naming no secreview rule id (there for Bandit), is not judged (``judged``)."""
    known = known if known is not None else known_ids()
    candidates = {line: c for line, c in comments.items() if not c[1].problem and judged(c[1], active, known)}
    if not candidates:
        return []
    for finding in findings:
        if finding.statement_lines == (0, 0):
            finding.statement_lines = statement_range_at(parsed.tree, finding.line, finding.col)
        for line in [line for line in candidates if covers_finding(candidates[line][1], line, finding)]:
            del candidates[line]
        if not candidates:
            return []
    return [unused_note(parsed.path, line, shown, suppression) for line, (shown, suppression) in candidates.items()]


def judged(suppression: Suppression, active: frozenset[str], known: KnownIds) -> bool:
    """Whether an unused ``suppression`` is secreview's to note: a ``secreview: ignore`` comment
    naming no id (every rule) or some id of a rule that ran; a ``nosec`` comment only when it names
    a secreview rule id of a rule that ran. A bare ``nosec``, or one naming only Bandit ids, is
    Bandit's comment: a project running Bandit needs it wherever Bandit flags, which secreview
    cannot tell, so it is not noted (it still suppresses secreview's findings)."""
    if suppression.is_ruff:
        return False  # (ruff's: needed wherever ruff flags, which secreview cannot tell)
    if suppression.is_nosec:
        return any(word in active for word in suppression.ids if word in known.rules)
    if not suppression.ids:
        return True
    return any(word in active for word in suppression.ids if word in known.rules or word.upper() in known.bandit)


def covers_finding(suppression: Suppression, line: int, finding: Finding) -> bool:
    start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
    return start <= line <= end and suppression.covers({finding.rule_id, *finding.bandit})


def unused_note(path: str, line: int, shown: str, suppression: Suppression) -> Diagnostic:
    what = f"of {', '.join(suppression.ids)} " if suppression.ids else ""
    bandit_ids = suppression.is_nosec and any(_BANDIT_ID.match(word) for word in suppression.ids)
    hint = " (if its Bandit ids are there for Bandit, remove only the secreview rule ids)" if bandit_ids else ""
    return Diagnostic(path, UNUSED_SUPPRESSION,
                      f"`{shown}` suppresses nothing: secreview reports no finding {what}on this statement; "
                      f"remove the comment, or move it to the statement it is meant for{hint}", line)


def suppression_line(reason: str | None) -> int | None:
    """The line of the inline comment that suppressed a finding (from ``suppressed_by``), or None
    (configuration, baseline)."""
    match = _LINE_OF.search(reason or "")
    return int(match.group(1)) if match and reason and reason.startswith(INLINE_FORMS) else None


def _may_have_comment(finding: Finding, parsed: ParsedFile) -> bool:
    """A comment needs a ``#`` on its line: without one on the lines where a suppression of this
    finding may sit, there is nothing to look for."""
    start, end = finding.statement_lines if finding.statement_lines != (0, 0) else (finding.line, finding.end_line)
    return any("#" in parsed.source_line(line) for line in range(start, end + 1))


def below_threshold(findings: list[Finding], config: Config) -> list[tuple]:
    """Where the findings below the reported severity or confidence are (rule id, path, line,
    column; then, for a data flow, its confidence, length of evidence, CWE and root: one defect's
    calls are one finding, see root_causes.py): not reported, but counted (see
    ReviewResult.below_threshold and held_back)."""
    return [(f.rule_id, f.path, f.line, f.col, (int(f.confidence), len(f.trace), f.cwe, *f.root)) if f.root
            else (f.rule_id, f.path, f.line, f.col)
            for f in findings if f.severity < config.min_severity or f.confidence < config.min_confidence]


def apply(findings: list[Finding], parsed: ParsedFile, config: Config) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed)."""
    findings = [f for f in findings if f.severity >= config.min_severity and f.confidence >= config.min_confidence]
    if not findings:
        return [], []
    comments: dict[int, str] | None = None  # tokenized on first need: tokenizing a file is costly
    known = known_ids()
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if finding.statement_lines == (0, 0):
            finding.statement_lines = statement_range_at(parsed.tree, finding.line, finding.col)
        if comments is None and _may_have_comment(finding, parsed):
            comments = comments_by_line(parsed)
        reason = suppression_for(finding, comments or {}, known)
        if reason is None and not finding.path.startswith("<"):  # "<stdin>" has no path to match
            glob = config.per_path_ignore(finding.path, finding.rule_id, finding.bandit)
            reason = f"config: per-path-ignores {glob}" if glob is not None else None
        if reason:
            finding.suppressed_by = reason
            suppressed.append(finding)
        else:
            kept.append(finding)
    return kept, suppressed
