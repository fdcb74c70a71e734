"""Snippets from stdin (``secreview review -``): code pasted from the middle of a file.

A snippet may be a fragment: an indented method body, methods cut out of a class, statements that
only make sense inside a function (``return x``, ``yield``, ``await``, ``nonlocal``, ``self.x``).
It is parsed as it is first: Python's parser accepts the function-only statements anywhere (the
compiler, which secreview never runs, is what rejects them), so those need no wrapping. An
indented fragment is then parsed inside blocks: ``if True:`` lines put above it, one per
indentation level it uses, accept its indentation without changing a character of the snippet
(unlike dedenting, which would shift columns and alter multi-line strings). A fragment that starts
at a clause (``else:``, ``elif x:``, ``except E:``, ``finally:``) gets the head of its statement put
above it (``if __fragment__: pass``, ``try: pass``), whose lines are never reported. The tree is then
unwrapped and moved so that every line and column is the one the user sees in the origin
(``--first-line``).

A snippet that does not parse (a colon missing, a line cut in the middle) is reviewed without the
offending lines: each line a syntax error names is replaced (``pass`` at its indentation; a block's
head whose body follows, by a block head of our own, so that the body is still reviewed; a line
indented where no block opens, by an empty line) and the parse retried, a few times at most. The
lines of the snippet keep their numbers, and the review says the snippet was only partly reviewed,
with the first syntax error's line and message (``recovered_error``). Only snippets: a file on disk
that does not parse is a file no tool can run, and is reported as not reviewed. If nothing parses,
the diagnostic names the line of the syntax error in the origin's numbering.

A view pasted without its imports uses the names of its web framework unbound (``return
redirect(request.args["next"])``): see ``assume_framework``.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from secreview.findings import Diagnostic, Finding, Level, new_step
from secreview.models.snippet_names import (
    DB_SESSION_METHODS, DJANGO_REQUEST_ATTRIBUTES, FASTAPI_ROUTE_METHODS, FASTAPI_ROUTER_NAMES, FLASK_APP_ATTRIBUTES, FLASK_APP_NAME,
    SNIPPET_FRAMEWORK_MODULES, SNIPPET_FRAMEWORK_OF_REQUEST, SNIPPET_FRAMEWORKS, SNIPPET_HELPER_NAMES,
)
from secreview.models.sources import REQUEST_ATTRIBUTES, SNIPPET_REQUEST_ATTRIBUTES, SNIPPET_REQUEST_CONFIDENCE
from secreview.parse import source_lines, ParsedFile, decode_source, syntax_error_message

@dataclass
class SnippetFile(ParsedFile):
    """A parsed snippet: ``lines`` are padded with empty lines before ``first_line`` so tree line
    numbers index them directly; ``line_count`` counts the snippet's own lines only."""

    first_line: int = 1
    # The framework whose request object the snippet's free ``request`` is taken as ("": none; see
    # ``assumed_request``); the data flow reads it as a source of SNIPPET_REQUEST_CONFIDENCE.
    assumed_request: str = ""
    # The web framework the snippet's unbound names were taken from ("": none) and those names, in
    # the order the snippet first uses them (see ``assume_framework``).
    assumed_framework: str = ""
    assumed_names: tuple[str, ...] = ()
    # The syntax error the snippet was reviewed past, without the lines it names (None: it parsed).
    recovered_error: Diagnostic | None = None

    @property
    def line_count(self) -> int:
        return len(self.lines) - (self.first_line - 1)

    def assumption_note(self) -> Diagnostic | None:
        """What the review must say it assumed (None: nothing)."""
        if not self.assumed_framework:
            return None
        if not self.assumed_names:
            return Diagnostic(self.path, ASSUMED_NAMES, f"the snippet was taken as {self.assumed_framework} code", self.first_line)
        names = ", ".join(self.assumed_names)
        return Diagnostic(self.path, ASSUMED_NAMES, f"names used without imports were taken as {self.assumed_framework}'s: {names}",
                          self.first_line)

    def qualified(self, findings: list[Finding]) -> list[Finding]:
        """The findings, those that rest on a name taken as the framework's at most at
        SNIPPET_REQUEST_CONFIDENCE (the file the snippet came from may bind the name to something
        else): the flagged code or a step of the evidence uses the name, or the evidence starts at
        a read of the request when ``request`` is one of them (that step says so, as the data
        flow's own reading of an assumed ``request`` does)."""
        if not self.assumed_names:
            return findings
        pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, self.assumed_names)))
        request = "request" in self.assumed_names
        for finding in findings:
            told = [self._told_request(step) for step in finding.trace] if request else finding.trace
            rests = told != finding.trace or pattern.search(finding.code) or any(pattern.search(step.code) for step in told)
            finding.trace = told
            if rests and finding.confidence > SNIPPET_REQUEST_CONFIDENCE:
                finding.confidence = SNIPPET_REQUEST_CONFIDENCE
        return findings

    def _told_request(self, step):
        if not step.note.startswith(_REQUEST_NOTES):
            return step
        note = step.note.replace("(untrusted)", f"(untrusted: the snippet's `request` taken as {self.assumed_framework}'s)", 1)
        told = new_step(step.path, step.line, step.col, step.code, note)
        return told.with_via(step.via) if step.via else told


# How the data flow notes a read of the request object (``{description} (untrusted)``).
_REQUEST_NOTES = tuple(sorted({f"{description} (untrusted)" for description in REQUEST_ATTRIBUTES.values()}))


def parse_snippet(path: str, data: bytes, first_line: int = 1) -> ParsedFile | Diagnostic:
    text = decode_source(path, data)
    if isinstance(text, Diagnostic):
        return text
    if text.startswith("\ufeff"):
        text = text[1:]
    tree, error = _parse_recovering(path, text)
    if tree is None:
        return _diagnostic(path, error, first_line)
    recovered = None
    if error is not None:  # reviewed without the lines named
        recovered = _diagnostic(path, error[0], first_line)
        skipped = ", ".join(str(line + first_line - 1) for line in error[1])
        recovered = Diagnostic(path, recovered.kind, f"{recovered.message}; the rest of the snippet was reviewed"
                               f" without line{'s' if len(error[1]) > 1 else ''} {skipped}", recovered.line)
    request = assumed_request(tree)
    framework, names = assume_framework(tree, request)
    if first_line > 1:
        ast.increment_lineno(tree, first_line - 1)
    lines = [""] * (first_line - 1) + source_lines(text)
    return SnippetFile(path=path, tree=tree, lines=lines, first_line=first_line, assumed_request=request,
                       assumed_framework=framework, assumed_names=names, recovered_error=recovered)


ASSUMED_NAMES = "assumed-names"  # the kind of ``assumption_note``


def assumed_request(tree: ast.Module) -> str:
    """The framework a snippet's ``request`` is the request object of, when the snippet never binds
    nor imports the name (a view body pasted without its imports) and reads it with attributes of
    SNIPPET_REQUEST_ATTRIBUTES that some one framework has all of (``request.form[...]``,
    ``request.args.get(...)``, ``request.GET[...]``); "" otherwise (``request = build()``, ``from
    urllib import request``, a parameter ``request``, ``request(...)`` called, mixed frameworks)."""
    candidates: list[str] | None = None
    for node in ast.walk(tree):
        if _binds(node, "request"):
            return ""
        if node.__class__ is ast.Call and node.func.__class__ is ast.Name and node.func.id == "request":
            return ""  # (a function, not a request object)
        if node.__class__ is ast.Attribute and node.value.__class__ is ast.Name and node.value.id == "request":
            having = SNIPPET_REQUEST_ATTRIBUTES.get(node.attr)
            if having is not None:
                candidates = list(having) if candidates is None else [c for c in candidates if c in having]
    return candidates[0] if candidates else ""


def assume_framework(tree: ast.Module, request: str) -> tuple[str, tuple[str, ...]]:
    """(framework, names): the web framework a snippet is taken to be a view of, and the names of
    its table (models/snippet_names.py) the snippet uses without binding or importing them, which
    imports put at the top of the tree (not on any line of its own) now bind as the framework's
    would. ("", ()) when no framework is evident or nothing is to be resolved (the snippet's own
    imports, definitions and assignments are never resolved again; a star import may bind any
    name: then nothing is). The framework is the first evident of: the one the free ``request``
    is taken as (``assumed_request``); the one the snippet imports from; ``@router.get(...)`` or
    ``@app.post(...)`` in a snippet without imports (FastAPI); ``app`` used as a Flask
    application (``@app.route``, ``app.run``, ``app.config``); a ``request`` parameter read as
    Django's (``request.GET``, ``request.FILES``); the names only one framework's table has."""
    uses = _NameUses()
    uses.visit(tree)
    if uses.star:
        return "", ()
    framework = _evident_framework(uses, request)
    if not framework:
        return "", ()
    table, module = SNIPPET_FRAMEWORKS[framework]
    table = {**SNIPPET_HELPER_NAMES, **table}
    names = [name for name in uses.free if (name in table or name == "request" and request) and name not in uses.bound
             and not (name == "request" and uses.request_called)  # (``request(...)``: a function)
             and not (name == "session" and uses.database_session)]
    if framework == "Flask" and FLASK_APP_NAME in uses.free and uses.app_attributes and FLASK_APP_NAME not in uses.bound:
        names.append(FLASK_APP_NAME)  # (the application: what the snippet does with it is what matters)
    names.sort(key=list(uses.free).index)
    resolved = {name: table.get(name, "flask.current_app" if name == FLASK_APP_NAME else "") for name in names}
    resolved = {name: qualified for name, qualified in resolved.items() if qualified}  # (Django's ``request``: none)
    marker = module if module not in uses.modules and module not in uses.bound else ""
    if not names and not marker:
        return "", ()  # (the snippet imports the framework and uses nothing of it unbound)
    _put_imports(tree, resolved, marker)
    return framework, tuple(names)


def _evident_framework(uses: "_NameUses", request: str) -> str:
    request = SNIPPET_FRAMEWORK_OF_REQUEST.get(request, request)
    if request:
        return request if request in SNIPPET_FRAMEWORKS else ""
    imported = {SNIPPET_FRAMEWORK_MODULES[m] for m in uses.modules if m in SNIPPET_FRAMEWORK_MODULES}
    if imported:
        return imported.pop() if len(imported) == 1 else ""
    if uses.fastapi_routes:
        return "FastAPI"
    if FLASK_APP_NAME not in uses.bound and uses.app_attributes & FLASK_APP_ATTRIBUTES:
        return "Flask"
    if uses.django_request:
        return "Django"
    only = {framework for framework, (table, _) in SNIPPET_FRAMEWORKS.items()
            if any(name in table and name not in uses.bound and name != "request" and _only_in(name, framework)
                   for name in uses.free)}  # (``request``: only as ``assumed_request`` takes it)
    return only.pop() if len(only) == 1 else ""


def _only_in(name: str, framework: str) -> bool:
    return all(name not in table for other, (table, _) in SNIPPET_FRAMEWORKS.items() if other != framework)


class _NameUses(ast.NodeVisitor):
    """What ``assume_framework`` looks at, in one walk: the names the snippet binds, those it reads
    (in the order of their first use), the top-level modules it imports, how it uses ``app``."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.free: dict[str, None] = {}  # (ordered: read, and not known to be bound yet)
        self.modules: set[str] = set()
        self.star = False
        self.app_attributes: set[str] = set()
        self.fastapi_routes = False
        self.django_request = False
        self.request_called = False
        self.database_session = False

    def generic_visit(self, node: ast.AST) -> None:
        cls = node.__class__
        if cls is ast.Name:
            if node.ctx.__class__ is ast.Load:
                self.free.setdefault(node.id, None)
            else:
                self.bound.add(node.id)
        elif cls is ast.Attribute and node.value.__class__ is ast.Name:
            owner = node.value.id
            if owner == FLASK_APP_NAME:
                self.app_attributes.add(node.attr)
            elif owner == "session" and node.attr in DB_SESSION_METHODS:
                self.database_session = True
            elif owner == "request" and node.attr in DJANGO_REQUEST_ATTRIBUTES:
                self.django_request = self.django_request or "request" in self.bound
        elif cls is ast.Call and node.func.__class__ is ast.Name and node.func.id == "request":
            self.request_called = True
        elif cls is ast.Import:
            for alias in node.names:
                self.modules.add(alias.name.split(".")[0])
                self.bound.add(alias.asname or alias.name.split(".")[0])
        elif cls is ast.ImportFrom:
            if node.level == 0 and node.module:
                self.modules.add(node.module.split(".")[0])
            for alias in node.names:
                self.star = self.star or alias.name == "*"
                self.bound.add(alias.asname or alias.name)
        elif cls in (ast.FunctionDef, ast.AsyncFunctionDef):
            self.bound.add(node.name)
            arguments = node.args
            self.bound.update(a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs))
            self.bound.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
            for decorator in node.decorator_list:
                func = decorator.func if decorator.__class__ is ast.Call else decorator
                if (func.__class__ is ast.Attribute and func.value.__class__ is ast.Name
                        and func.value.id in FASTAPI_ROUTER_NAMES and func.attr in FASTAPI_ROUTE_METHODS):
                    self.fastapi_routes = True
        elif cls is ast.Lambda:
            arguments = node.args
            self.bound.update(a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs))
        elif cls is ast.ClassDef:
            self.bound.add(node.name)
        elif cls is ast.ExceptHandler or cls is ast.MatchAs or cls is ast.MatchStar:
            if node.name:
                self.bound.add(node.name)
        elif cls is ast.MatchMapping:
            if node.rest:
                self.bound.add(node.rest)
        elif cls is ast.Global or cls is ast.Nonlocal:
            self.bound.update(node.names)
        super().generic_visit(node)


def _put_imports(tree: ast.Module, resolved: dict[str, str], marker: str) -> None:
    """Imports binding each name to its qualified name (and ``import <marker>``), put first in the
    tree at the start of its first statement: they stand on no line of their own."""
    first = tree.body[0] if tree.body else None
    statements: list[ast.stmt] = []
    if marker:
        statements.append(ast.Import(names=[ast.alias(name=marker)]))
    for name, qualified in resolved.items():
        module, _, attribute = qualified.rpartition(".")
        statements.append(ast.ImportFrom(module=module, names=[ast.alias(name=attribute, asname=None if attribute == name else name)],
                                         level=0))
    for statement in statements:
        for node in ast.walk(statement):
            if first is not None:
                _place(node, first, end=True)
            else:
                node.lineno = node.end_lineno = 1
                node.col_offset = node.end_col_offset = 0
    tree.body[:0] = statements


def _binds(node: ast.AST, name: str) -> bool:
    """Does ``node`` bind ``name`` (assignment, parameter, import, definition, ``except ... as``,
    ``global``...)?"""
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.arg):
        return node.arg == name
    if isinstance(node, ast.Import):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return any((alias.asname or alias.name) in (name, "*") for alias in node.names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return getattr(node, "name", None) == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    return False


def _parse(path: str, text: str) -> ast.Module:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. invalid escape sequences: the snippet's business
        return ast.parse(text, filename=path)


MAX_RECOVERIES = 5  # lines replaced at most before a snippet is given up as unparsable


def _parse_recovering(path: str, text: str) -> tuple[ast.Module | None, "tuple[BaseException, list[int]] | BaseException | None"]:
    """(tree, None); or (tree, (the first syntax error, the lines replaced)) for a snippet parsed
    once the lines its syntax errors named were replaced (see the module's docstring); or (None,
    the error) when it does not parse even so. Line numbers are the snippet's own."""
    tree, error = _parse_fragment(path, text)
    if tree is not None or not isinstance(error, SyntaxError):
        return tree, error
    first, replaced = error, []
    lines = text.splitlines(keepends=True)
    for _ in range(MAX_RECOVERIES):
        line = error.lineno or 0
        if not 1 <= line <= len(lines) or not isinstance(error, SyntaxError):
            break
        replacement = _replacement(lines, line, error, line in replaced)
        if replacement == lines[line - 1]:
            break
        lines[line - 1] = replacement
        if line not in replaced:
            replaced.append(line)
        tree, error = _parse_fragment(path, "".join(lines))
        if tree is not None:
            return tree, (first, sorted(replaced))
    return None, first


def _replacement(lines: list[str], line: int, error: SyntaxError, again: bool) -> str:
    """What replaces the snippet's ``line`` that a syntax error names: a block head of our own when
    lines indented deeper follow (the head is what is broken: ``if row is None`` without its
    colon), else ``pass`` at its indentation (it may be a block's only statement); an empty line
    for a line indented where no block opens, or one replaced already that still fails."""
    text = lines[line - 1]
    end = text[len(text.rstrip("\r\n")):] or "\n"
    indent = text[: len(text) - len(text.lstrip(" \t\f"))]
    if again or (isinstance(error, IndentationError) and "unexpected indent" in (error.msg or "")):
        return end
    following = next(((i, code) for i, code in _code_lines("".join(lines[line:]))), None)
    if following is not None and len(following[0]) > len(indent) and following[0].startswith(indent):
        return f"{indent}if {_FRAGMENT_TEST}:{end}"
    return f"{indent}pass{end}"


def _parse_fragment(path: str, text: str) -> tuple[ast.Module | None, BaseException | None]:
    """(tree in the snippet's own numbering, None) or (None, the most informative error)."""
    try:
        return _parse(path, text), None
    except SyntaxError as exc:
        error = exc
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc  # not a fragment problem: wrapping cannot help
    headers = _block_headers(text)
    if not headers:
        return None, error
    try:
        return _unwrap(_parse(path, "".join(h.text for h in headers) + text), headers), None
    except SyntaxError as exc:
        # Report the error found furthest into the snippet: the earlier one is often just
        # "unexpected indent" on the first line, which the block form got past.
        if (exc.lineno or 0) - len(headers) > (error.lineno or 0):
            exc.lineno = (exc.lineno or 1) - len(headers)
            error = exc
        return None, error
    except (RecursionError, MemoryError, ValueError) as exc:
        return None, exc


# The test of the blocks put around a fragment: a name, not ``True``, so that the data flow (which
# prunes branches a constant test never takes) analyses a fragment's own ``else:`` clause.
_FRAGMENT_TEST = "__fragment__"
# Clauses that continue a compound statement: a selection may start at one (``else:``...), or go
# back to one at a lower indentation (``except E:`` after the ``try`` body it started in).
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_HANDLER_CLAUSE = re.compile(r"(?:except|finally)\b")


@dataclass(frozen=True)
class _Header:
    """A line put above a fragment: a block (``if``/``try``) holding the lines indented deeper than
    ``indent``, or the head of the statement whose clause the fragment starts with (``dangling``:
    ``if __fragment__: pass`` before ``else:``, ``try: pass`` before ``except E:``)."""

    indent: str
    keyword: str  # "if" or "try"
    dangling: bool = False

    @property
    def text(self) -> str:
        head = f"if {_FRAGMENT_TEST}:" if self.keyword == "if" else "try:"
        return f"{self.indent}{head}{' pass' if self.dangling else ''}\n"


def _code_lines(text: str) -> list[tuple[str, str]]:
    """(leading whitespace, the rest) of each line holding code (not blank, not only a comment)."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip(" \t\f")
        if stripped and not stripped.startswith("#"):
            lines.append((line[: len(line) - len(stripped)], stripped))
    return lines


def _block_headers(text: str) -> list[_Header]:
    """Lines to put above a fragment, outermost first: a block per indentation level that the
    fragment's later lines go back to (a selection may start deep inside a block) -- ``try:`` when
    the fragment goes back to it with ``except``/``finally``, else ``if __fragment__:`` -- and, when
    the fragment starts with a clause (``else:``, ``elif x:``, ``except E:``, ``finally:``), the
    head of its statement. Empty when the fragment is neither indented nor starts with a clause."""
    lines = _code_lines(text)
    if not lines:
        return []
    first, first_code = lines[0]
    headers = []
    if first:
        levels = sorted({i for i, _ in lines if len(i) < len(first) and first.startswith(i)} | {""}, key=len)
        for level in levels:
            back = next((code for indent, code in lines if indent == level), "")
            headers.append(_Header(level, "try" if _HANDLER_CLAUSE.match(back) else "if"))
    if _CLAUSE.match(first_code):
        headers.append(_Header(first, "try" if _HANDLER_CLAUSE.match(first_code) else "if", dangling=True))
    return headers


def _unwrap(wrapped: ast.Module, headers: list[_Header]) -> ast.Module:
    """The snippet's statements as a module, at the snippet's own lines (columns are unchanged:
    the snippet's text was not modified). Statements after a block (lines less indented than the
    snippet's first) are kept, in order. A block the fragment goes back to with a clause of its own
    (``else:``, ``except E:``) is kept, around the statements it holds."""
    depth = len(headers)

    def statements(body: list[ast.stmt], level: int) -> list[ast.stmt]:
        if level == depth:
            return body
        block, rest = body[0], body[1:]
        assert isinstance(block, (ast.If, ast.Try, ast.TryStar))
        if headers[level].dangling:  # the fragment starts at one of this statement's clauses
            if isinstance(block, ast.If):
                return [*block.orelse, *rest]  # (``elif c:`` is the ``if c:`` there)
            _place(block.body[0], block.handlers[0] if block.handlers else block.finalbody[0], end=True)
            _place(block, block.body[0])
            return [block, *rest]
        inner = statements(block.body, level + 1)
        if isinstance(block, ast.If) and not block.orelse:
            return [*inner, *rest]
        block.body = inner
        _place(block, inner[0])
        if isinstance(block, ast.If):
            _place(block.test, inner[0], end=True)
        return [block, *rest]

    ast.increment_lineno(wrapped, -depth)
    return ast.Module(body=statements(wrapped.body, 0), type_ignores=[])


def _place(node: ast.AST, where: ast.AST, end: bool = False) -> None:
    """Give a synthetic node (a block put around the fragment, its ``pass``, its test) the start of
    the fragment's ``where``, so that it never stands at a line of its own (it has none in the
    snippet). ``end``: it ends there too (a block keeps the end of its last clause)."""
    node.lineno, node.col_offset = where.lineno, where.col_offset
    if end:
        node.end_lineno, node.end_col_offset = where.lineno, where.col_offset


def _diagnostic(path: str, error: BaseException | None, first_line: int) -> Diagnostic:
    if isinstance(error, SyntaxError):
        line = (error.lineno or 1) + first_line - 1
        return Diagnostic(path, "syntax-error", syntax_error_message(error), line)  # (columns are the snippet's own)
    if isinstance(error, (RecursionError, MemoryError)):
        return Diagnostic(path, "too-complex", "the code is nested too deeply to be parsed; it was not reviewed")
    return Diagnostic(path, "syntax-error", f"cannot parse: {error}")
