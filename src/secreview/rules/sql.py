"""SQL injection (CWE-89): queries built from non-constant values with %, .format, f-strings or +.

A query is taken apart with ``compose`` (see ``_strings``): literal text, numbers (int(), ``%d``)
and driver escaping are fixed; anything else is a variable piece handed to ``dynamic_value_hit``
(through ``injection_hit``), where the data-flow engine decides whether input reaches it.
Parameterized queries (``execute("... WHERE id = %s", (x,))``) have a constant query and stay
silent. A query that is only an opaque value (a parameter, a prepared statement object) is left
to the data-flow engine: nothing shows it was assembled from pieces.
"""
from __future__ import annotations

import ast
import json
import re

from secreview.facts import instances
from secreview.models.sql_statements import (
    BACKSLASH_DOUBLED, QUOTE_DOUBLED, SQL_LABEL_CLAUSE_METHODS, SQL_STATEMENT_PACKAGES, SQL_TEXT_CLAUSE_METHODS,
)
from secreview.rules._strings import (
    NUMERIC_CALLS, TEXT, Composition, Sanitizers, compose, injection_hit, sequence_elements, value_expressions,
)
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

# Driver escaping functions: their result is quoted for SQL (numbers are handled by compose).
SQL_SANITIZERS = Sanitizers(
    calls=frozenset({
        "pymysql.converters.escape_string", "pymysql.escape_string", "MySQLdb.escape_string",
        "MySQLdb.converters.escape_string", "psycopg2.extensions.quote_ident", "psycopg2.extensions.adapt",
        "psycopg.sql.Identifier", "psycopg.sql.Literal", "psycopg2.sql.Identifier", "psycopg2.sql.Literal",
    }),
    methods=frozenset({"escape_string", "mogrify", "quote_ident"}),
)

# Functions whose first argument is SQL text (``literal_column`` pastes its text into the query
# as it is, unlike ``column``, which quotes a name).
SQL_TEXT_CALLS: dict[str, str] = {
    "sqlalchemy.text": "text", "sqlalchemy.sql.text": "text", "sqlalchemy.sql.expression.text": "text",
    "sqlmodel.text": "text", "sqlalchemy.literal_column": "text", "sqlalchemy.sql.literal_column": "text",
    "sqlalchemy.sql.expression.literal_column": "text",
    "pandas.read_sql": "sql", "pandas.read_sql_query": "sql", "pandas.io.sql.read_sql": "sql",
    "pandas.io.sql.read_sql_query": "sql",
    "psycopg2.sql.SQL": "string", "psycopg.sql.SQL": "string",
}
# Methods whose first argument is SQL text when the receiver is a database object (cursor,
# connection, session, engine, Django manager): receivers are not typed, see is_db_receiver.
SQL_METHODS: dict[str, str] = {
    "execute": "sql", "executemany": "sql", "executescript": "sql_script", "exec_driver_sql": "statement",
    "raw": "raw_query",
    # asyncpg's Connection/Pool: fetch(query, *args), fetchrow(...), fetchval(...)
    "fetch": "query", "fetchrow": "query", "fetchval": "query",
}
# asyncpg's other methods taking the query first; the same names are something else elsewhere
# (a DB-API connection's cursor(name), a cursor's fetchmany(size)): counted in a module importing asyncpg.
ASYNCPG_SQL_METHODS: dict[str, str] = {
    "cursor": "query", "fetchmany": "query", "prepare": "query", "copy_from_query": "query",
}
# Methods whose values are passed after the query as asyncpg's numbered parameters ($1, $2...).
_ASYNCPG_PARAMETERIZED = frozenset({"execute", "fetch", "fetchrow", "fetchval"})
RAWSQL_CALLS = ("django.db.models.expressions.RawSQL", "django.db.models.RawSQL")
_DB_RECEIVER_WORDS = frozenset({
    "cursor", "cur", "curs", "conn", "connection", "con", "cnx", "db", "database", "session", "engine",
    "sql", "sqlite", "sqlite3", "psycopg", "psycopg2", "mysql", "pg", "txn", "transaction", "objects",
})

# Statement shapes. Upper-case keywords are SQL by convention; lower/mixed case must also show
# a second clause, so that "select a file from the list" stays prose.
_SQL_UPPER = re.compile(
    r"\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\b[\s\S]*?\bSET\b|\bDELETE\s+FROM\b"
    r"|\bREPLACE\s+INTO\b|\bMERGE\s+INTO\b|\b(?:DROP|CREATE|ALTER|TRUNCATE)\s+(?:TABLE|INDEX|VIEW|DATABASE)\b"
    r"|\bWHERE\s+[\w.\"`\[\]\x00]+\s*(?:=|<|>|!=|\bLIKE\b|\bIN\b|\bIS\b)"
)
_SQL_ANY_CASE = re.compile(
    r"\bselect\s+(?:\*|[\w.\"`\x00]+(?:\s*,\s*[\w.\"`\x00]+)+|count\(|distinct\b)[\s\S]*?\bfrom\b"
    r"|\bselect\b[\s\S]*?\bfrom\s+[\w.\"`\x00]+\s+(?:where|join|order\s+by|group\s+by|limit)\b"
    r"|\binsert\s+into\s+[\w.\"`\x00]+\s*(?:\(|values\b|select\b)"
    r"|\bupdate\s+[\w.\"`\x00]+\s+set\s+[\w.\"`\x00]+\s*="
    r"|\bdelete\s+from\s+[\w.\"`\x00]+(?:\s+where\b|\s*;|\s*$)"
    r"|\bwhere\s+[\w.\"`\x00]+\s*(?:=|<>|!=|\blike\b|\bin\s*\()",
    re.IGNORECASE,
)


def looks_like_sql(composition: Composition) -> bool:
    text = composition.text("\x00")
    return bool(_SQL_UPPER.search(text) or _SQL_ANY_CASE.search(text))


def _receiver_words(receiver: ast.expr) -> set[str]:
    """Words of the receiver's name: ``self.db_conn`` -> {db, conn}; ``conn.cursor()`` -> {cursor}."""
    if isinstance(receiver, ast.Call):
        receiver = receiver.func
    if isinstance(receiver, ast.Attribute):
        name = receiver.attr
    elif isinstance(receiver, ast.Name):
        name = receiver.id
    else:
        return set()
    spaced = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return {word for word in re.split(r"[_\d]+", spaced) if word}


# Calls that open a database connection, session or engine (import-resolved names), and objects
# that are one: a receiver made by them is a database object whatever its name (``with
# sqlite3.connect(path) as h``; ``c = connections["reports"].cursor()``).
DB_OPENING_CALLS = frozenset({
    "sqlite3.connect", "sqlite3.dbapi2.connect", "psycopg.connect", "psycopg.Connection.connect",
    "psycopg.AsyncConnection.connect", "psycopg2.connect", "pymysql.connect", "pymysql.connections.Connection",
    "MySQLdb.connect", "mysql.connector.connect", "pyodbc.connect", "oracledb.connect", "cx_Oracle.connect",
    "aiosqlite.connect", "asyncpg.connect", "asyncpg.create_pool", "aiomysql.connect", "duckdb.connect",
    "sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session",
})
DB_OBJECTS = frozenset({"django.db.connection"})
DB_CONNECTION_HANDLERS = frozenset({"django.db.connections"})  # (``connections["reports"]`` is a connection)
# Methods that give a database object: ``X.cursor()`` on any receiver (as its name does for
# ``conn.cursor().execute``), the others on a database object (``engine.connect()``).
_CURSOR_METHODS = frozenset({"cursor"})
_OPENING_METHODS = frozenset({"connect", "begin", "acquire", "raw_connection", "chunked_cursor"})
_DATABASE = "database"


def is_db_receiver(call: ast.Call, ctx: RuleContext | None = None) -> bool:
    """Whether ``call`` is a method of a database object: its receiver is named like one
    (``self.db_conn``, ``cursor``), or, given ``ctx``, was made by a database API (a connection,
    cursor or session opened where the file shows it: assigned once, entered with ``with``, set
    on self), whatever its name."""
    if not isinstance(call.func, ast.Attribute):
        return False
    receiver = call.func.value
    return bool(_receiver_words(receiver) & _DB_RECEIVER_WORDS) or (ctx is not None and _is_db_object(ctx, receiver, 0))


def _is_db_object(ctx: RuleContext, receiver: ast.expr, depth: int) -> bool:
    if depth > 3:
        return False
    cls = receiver.__class__
    if cls is ast.Subscript:  # ``connections["reports"]``
        return ctx.qualname(receiver.value) in DB_CONNECTION_HANDLERS  # type: ignore[attr-defined]
    if (cls is ast.Name or cls is ast.Attribute) and ctx.qualname(receiver) in DB_OBJECTS:
        return True
    made = instances.class_of(ctx.facts.scopes, receiver, ctx.scope_chain,
                              lambda value: _opened_database(ctx, value, depth))
    return made is not None


def _opened_database(ctx: RuleContext, value: ast.expr, depth: int) -> str | None:
    """``_DATABASE`` when ``value`` opens a database object (see DB_OPENING_CALLS), else None."""
    if value.__class__ is ast.Await:
        value = value.value  # type: ignore[attr-defined]
    if value.__class__ is not ast.Call:
        return None
    func = value.func  # type: ignore[attr-defined]
    if func.__class__ is ast.Attribute:
        if func.attr in _CURSOR_METHODS:
            return _DATABASE
        if func.attr in _OPENING_METHODS and (
                _receiver_words(func.value) & _DB_RECEIVER_WORDS or _is_db_object(ctx, func.value, depth + 1)):
            return _DATABASE
    return _DATABASE if ctx.call_name(value) in DB_OPENING_CALLS else None  # type: ignore[arg-type]


def _is_composable(ctx: RuleContext, expr: ast.expr) -> bool:
    """psycopg's sql.SQL("...").format(sql.Identifier(x)) quotes what it composes."""
    root = expr
    while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute) and root.func.attr in ("format", "join"):
        root = root.func.value
    return isinstance(root, ast.Call) and ctx.call_name(root) in ("psycopg2.sql.SQL", "psycopg.sql.SQL", "psycopg2.sql.Composed", "psycopg.sql.Composed") and root is not expr


def _is_statement_object(ctx: RuleContext, expr: ast.expr, depth: int = 0) -> bool:
    """A statement object rather than SQL text: text(...), select(...).where(...), sql.SQL(...),
    also through a name bound once to one. Its own construction is checked where it happens."""
    node = expr
    if isinstance(node, ast.Name) and depth < 5:
        bindings = ctx.facts.scopes.bindings_of(node.id, ctx.scope_chain) or []
        return len(bindings) == 1 and bindings[0] is not None and _is_statement_object(ctx, bindings[0], depth + 1)
    while isinstance(node, ast.Call):
        name = ctx.call_name(node) or ""
        if name in SQL_TEXT_CALLS or name.startswith(("sqlalchemy.", "psycopg2.sql.", "psycopg.sql.")):
            return True
        if not isinstance(node.func, ast.Attribute):
            return False
        node = node.func.value
    return False


def wrapped_query(ctx: RuleContext, query: ast.expr) -> ast.expr | None:
    """The one argument of a call of unknown meaning that a query is (``text(sql)`` with ``text``
    unresolved; also through a name bound only to such a call), else None. Known calls are not
    wrappers: SQL builders and statement objects are checked where they are made, escaping and
    numbers are safe."""
    node = query
    if node.__class__ is ast.Name:
        bindings = ctx.facts.scopes.bindings_of(node.id, ctx.scope_chain) or []  # type: ignore[attr-defined]
        if len(bindings) != 1 or bindings[0].__class__ is not ast.Call:
            return None
        node = bindings[0]
    if node.__class__ is not ast.Call or len(node.args) != 1 or node.keywords:  # type: ignore[attr-defined]
        return None
    argument = node.args[0]  # type: ignore[attr-defined]
    if argument.__class__ is ast.Starred or node.func.__class__ not in (ast.Name, ast.Attribute):  # type: ignore[attr-defined]
        return None
    name = ctx.call_name(node) or ""  # type: ignore[arg-type]
    if (name in SQL_TEXT_CALLS or name in SQL_SANITIZERS.calls or name in NUMERIC_CALLS or name in ("str", "builtins.str")
            or _is_statement_object(ctx, node)):
        return None
    return argument


def query_argument(ctx: RuleContext, call: ast.Call) -> tuple[ast.expr | None, bool]:
    """The SQL text a call runs and whether the call is certainly an SQL API (else the query must
    look like SQL or the receiver like a database object)."""
    func = call.func
    if func.__class__ is ast.Attribute and func.attr in ASYNCPG_SQL_METHODS:  # type: ignore[attr-defined]
        if not ctx.facts.imports.imports_module("asyncpg"):
            return None, False
        return ctx.argument(call, 0, ASYNCPG_SQL_METHODS[func.attr]), False  # type: ignore[attr-defined]
    name = ctx.call_name(call)
    if name in SQL_TEXT_CALLS:
        return ctx.argument(call, 0, SQL_TEXT_CALLS[name]), True
    if isinstance(call.func, ast.Attribute) and call.func.attr in SQL_METHODS:
        if ctx.flow is not None and ctx.flow.calls_project_method(call):
            return None, False  # the project's own ``execute``: followed into its body, judged there
        keyword = SQL_METHODS[call.func.attr]
        query = ctx.argument(call, 0, keyword) or ctx.keyword(call, "query") or ctx.keyword(call, "operation")
        return query, False
    return None, False


def sql_hit(ctx: RuleContext, call: ast.Call, query: ast.expr | None, *, certain: bool, called: str,
            cwe: int | None = None) -> Hit | None:
    if query is None or _is_composable(ctx, query):
        return None
    composition = compose(ctx, query, SQL_SANITIZERS)
    wrapped = None
    if not composition.built:
        # ``execute(text(sql))`` with ``text`` not resolved (a snippet without its imports): the SQL
        # text inside is what is checked (once: sql-string-built leaves it to this rule).
        inner = wrapped_query(ctx, query)
        if inner is not None:
            inner_composition = compose(ctx, inner, SQL_SANITIZERS)
            if inner_composition.built and looks_like_sql(inner_composition):
                composition, wrapped = inner_composition, inner
    culprits = composition.dynamic
    if culprits:
        quoted = _quoted_identifiers(ctx, composition)
        culprits = [node for node in culprits if id(node) not in quoted] if quoted else culprits
    literals = _escaped_string_literals(ctx, composition) if culprits else None
    if literals:
        culprits = [node for node in culprits if literals.get(id(node)) is not True]  # (fit for every dialect)
    if not culprits:
        return None
    if not certain and not is_db_receiver(call, ctx) and not (composition.built and looks_like_sql(composition)):
        return None  # `.execute()` of something that is not visibly SQL, on an unknown receiver
    if not composition.built and (_is_statement_object(ctx, query) or ctx.taint(query) is None):
        return None  # an opaque value: only the data-flow engine can tell where it comes from
    if literals:
        # A piece that is no escaped literal is the finding (if any); the literals' safety
        # depends on the database: low confidence.
        others = [node for node in culprits if id(node) not in literals]
        hit = _plain_hit(ctx, call, others, called, cwe, wrapped or query) if others else None
        return hit or _dialect_dependent_hit(ctx, call, [node for node in culprits if id(node) in literals],
                                             called, cwe, wrapped or query)
    hit = _plain_hit(ctx, call, culprits, called, cwe, wrapped or query)
    # (Not through a call of unknown meaning: its parameters, if any, are not the driver's.)
    fixed = parameterized_call(ctx, call, composition, query) if wrapped is None else None
    if hit is not None and fixed is not None:
        hit.solution = (f"Pass the values as query parameters — `{fixed}` — so the driver sends them apart from "
                        "the SQL text and they can never change the query.")
    return hit


def _plain_hit(ctx: RuleContext, call: ast.Call, culprits: list[ast.AST], called: str, cwe: int | None,
               whole: ast.expr) -> Hit | None:
    return injection_hit(
        ctx, call, culprits, cwe=cwe, whole=whole, sink_note="run as SQL",
        tainted=f"`{called}` gets SQL text built from {{source}} (`{{code}}`); it can rewrite the query (SQL injection).",
        dynamic=f"`{called}` gets SQL text built from `{{code}}`, which is not a constant; if it can carry outside data, it can rewrite the query (SQL injection).",
    )


# Identifier quote pairs (opening, closing) and the pseudo-CWE the data flow proves for a value fit
# to go between them (the closing quote doubled or removed, or checked absent: see
# dataflow.analyzer.SQL_IDENTIFIER_CWES).
_IDENTIFIER_QUOTES = {'"': ('"', -34), "[": ("]", -93), "`": ("`", -96)}


def _quoted_identifiers(ctx: RuleContext, composition) -> set[int]:
    """The variable pieces (node ids) written in the query between an identifier quote pair and
    proven fit for it: ``'select * from "' + t.replace('"', '""') + '"'`` names a table, whatever
    ``t`` holds."""
    pieces = composition.pieces
    found: set[int] = set()
    for index in range(1, len(pieces) - 1):
        piece, before, after = pieces[index], pieces[index - 1], pieces[index + 1]
        if piece.is_text or piece.node is None or not (before.is_text and after.is_text) or not before.text or not after.text:
            continue
        quote = _IDENTIFIER_QUOTES.get(before.text[-1])
        if quote is not None and after.text[0] == quote[0] and ctx.proven_safe(piece.node, quote[1]):
            found.add(id(piece.node))
    return found


def _escaped_string_literals(ctx: RuleContext, composition) -> dict[int, bool]:
    """The variable pieces (node ids) written between single quotes with their quotes doubled
    (``"... '" + v.replace("'", "''") + "'"``), each True when its backslashes are doubled too (fit
    for every dialect), False when not (see models/sql_statements.py: a backslash escapes the
    doubled quote in MySQL)."""
    pieces = composition.pieces
    found: dict[int, bool] = {}
    for index in range(1, len(pieces) - 1):
        piece, before, after = pieces[index], pieces[index - 1], pieces[index + 1]
        if piece.is_text or piece.node is None or not (before.is_text and after.is_text) or not before.text or not after.text:
            continue
        if before.text[-1] == "'" and after.text[0] == "'" and ctx.proven_safe(piece.node, QUOTE_DOUBLED):
            found[id(piece.node)] = ctx.proven_safe(piece.node, BACKSLASH_DOUBLED)
    return found


def _dialect_dependent_hit(ctx: RuleContext, call: ast.Call, culprits: list[ast.AST], called: str, cwe: int | None,
                           whole: ast.expr) -> Hit | None:
    """The finding for SQL text whose variable pieces are all string literals escaped by doubling
    their quotes only: safe or not depending on the database, so low confidence at most."""
    dialects = ("inside '...' with its quotes doubled, which holds where a backslash is an ordinary character "
                "(PostgreSQL, SQLite) but not in MySQL or MariaDB without NO_BACKSLASH_ESCAPES, nor in a "
                "PostgreSQL E'...' string: there `\\'` in the value ends the string (SQL injection)")
    hit = injection_hit(
        ctx, call, culprits, cwe=cwe, whole=whole, sink_note="run as SQL",
        tainted=f"`{called}` gets SQL text built from {{source}} (`{{code}}`) {dialects}.",
        dynamic=f"`{called}` gets SQL text built from `{{code}}`, which is not a constant, {dialects}.",
    )
    if hit is not None:
        hit.confidence = hit.flows_at_most = LOW
        hit.flows_caveat = ", inside '...' with its quotes doubled: safe only where a backslash is an ordinary character (not MySQL)"
        hit.solution = ("Pass the value as a query parameter (text(\"... :payload\") with bindparams, or the driver's "
                        "placeholders), or double its backslashes too (.replace(\"\\\\\", \"\\\\\\\\\")).")
    return hit


# Where SQL takes a value (a placeholder may stand there): after a comparison, LIKE, LIMIT/OFFSET, or
# in a VALUES (...) or IN (...) list. Elsewhere a piece is a name (FROM t, DROP DATABASE d, PRAGMA
# f(t)), a keyword (BEGIN IMMEDIATE) or a whole clause, which no parameter can stand for.
_VALUE_CONTEXT = re.compile(
    r"(?:[=<>]|\bI?LIKE|\bLIMIT|\bOFFSET|\b(?:IN|VALUES)\s*\((?:[^()]*,)?)\s*$", re.I)


def parameterized_call(ctx: RuleContext, call: ast.Call, composition, query: ast.expr) -> str | None:
    """The same ``cursor.execute`` call with its variable values passed as parameters:
    ``"... WHERE name = '%s'" % name`` -> ``cursor.execute("... WHERE name = %s", (name,))``.
    None where a value is an identifier (table, column: not parameterizable) or the SQL text is
    not fully known."""
    if not isinstance(call.func, ast.Attribute) or len(call.args) != 1:
        return None
    numbered = call.func.attr in _ASYNCPG_PARAMETERIZED and ctx.facts.imports.imports_module("asyncpg")
    if call.func.attr != "execute" and not numbered:
        return None
    placeholder = "$" if numbered else "?" if ctx.facts.imports.imports_module("sqlite3") else "%s"
    pieces = composition.pieces
    if not any(piece.kind == TEXT and piece.text for piece in pieces):
        return None  # the query is one opaque value (``execute(wrap(sql))``): no text to put placeholders in
    tokens: list[tuple[str, object]] = []  # ("text", str) and ("value", node), in order
    for index, piece in enumerate(pieces):
        if piece.kind == TEXT:
            if piece.text is None:
                return None
            tokens.append(("text", piece.text))
        else:
            for node in value_expressions(pieces, index, query):
                if node is None:
                    return None
                tokens.append(("value", node))
    text, values, drop_quote = "", [], ""
    for index, (kind, item) in enumerate(tokens):
        if kind == "text":
            text += item[1:] if drop_quote and item.startswith(drop_quote) else item
            drop_quote = ""
            continue
        following = tokens[index + 1][1] if index + 1 < len(tokens) and tokens[index + 1][0] == "text" else ""
        if text.endswith(("'", '"')) and following.startswith(text[-1]):
            drop_quote, text = text[-1], text[:-1]  # '%s' -> %s: the driver quotes the value
        elif not _VALUE_CONTEXT.search(text):
            return None  # a table or column name, a keyword, a clause: not a parameter's place
        values.append(ctx.source(item))
        text += f"${len(values)}" if numbered else placeholder
    if not values or (placeholder == "%s" and "%" in text.replace("%s", "")):
        return None  # a literal % would need escaping as %%: leave it to the reader
    sql = json.dumps(text)
    if numbered:  # asyncpg: conn.fetch("... $1 ... $2", a, b)
        return f"{ctx.source(call.func)}({sql}, {', '.join(values)})"
    return f"{ctx.source(call.func)}({sql}, ({', '.join(values)},))"


@rule(
    id="sql-injection",
    title="SQL injection: query built from variable values",
    cwe=89,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B608"],
    calls=SQL_TEXT_CALLS,
    methods=[*SQL_METHODS, *ASYNCPG_SQL_METHODS, *sorted(SQL_TEXT_CLAUSE_METHODS | SQL_LABEL_CLAUSE_METHODS)],
    description="""A query run by cursor.execute/executemany/executescript, SQLAlchemy text(),
        literal_column() and exec_driver_sql(), session/engine/connection execute, asyncpg's
        fetch/fetchrow/fetchval (and cursor, fetchmany, prepare, copy_from_query),
        pandas.read_sql, psycopg sql.SQL() or Django raw() is assembled with %, .format, an
        f-string or + from values that are not constants; so is a string given to a statement's
        .where()/.filter()/.having() (SQLAlchemy before 1.4, PySpark: medium confidence at most).
        Whoever controls such a value can close the quote and change the query: read or modify
        any data, bypass authentication. Not reported: parameterized queries (the values are
        passed separately), SQLAlchemy statements (select(...).where(...), whoever built them:
        their values are bound parameters), constant queries (also built from constant table
        names), numbers (int(), %d) and driver escaping; a value put between single quotes with
        its quotes doubled is reported at low confidence (safe unless the database reads
        backslash escapes: MySQL). A query that is only a parameter is left to the data-flow
        analysis, and so is a call of the project's own method of such a name (a class of the
        reviewed code that defines execute(): what it does with its arguments is judged in its
        body).""",
    solution="""Pass values as query parameters: cursor.execute("SELECT * FROM users WHERE name = %s",
        (name,)) (the placeholder is %s, ?, :name or asyncpg's $1 depending on the driver), text("... :name")
        with bindparams, or the ORM's filters. Identifiers (table/column names) cannot be
        parameters: choose them from a fixed set, or use psycopg's sql.Identifier.""",
    example="""
        cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    """,
    fixed="""
        cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
    """,
)
def check_sql_sink(call: ast.Call, ctx: RuleContext):
    if call.func.__class__ is ast.Attribute and call.func.attr in _CLAUSE_METHODS:  # type: ignore[attr-defined]
        return _clause_text_hit(ctx, call)
    query, certain = query_argument(ctx, call)
    return sql_hit(ctx, call, query, certain=certain, called=ctx.source(call.func))


_CLAUSE_METHODS = SQL_TEXT_CLAUSE_METHODS | SQL_LABEL_CLAUSE_METHODS
_SQLALCHEMY_MODULES = (*sorted(SQL_STATEMENT_PACKAGES), "flask_sqlalchemy")


def clause_text(ctx: RuleContext, call: ast.Call) -> ast.expr | None:
    """The string assembled in place and given to a statement's clause method as SQL text
    (``.where("name = '" + name + "'")``, ``.filter(f"age > {n}")``: see models/sql_statements.py),
    else None: an expression object (``users.c.name == name``) binds its values. ``order_by`` and
    ``group_by`` only in a file using SQLAlchemy (Django's take field names)."""
    method = call.func.attr  # type: ignore[attr-defined]
    if method in SQL_LABEL_CLAUSE_METHODS and not any(ctx.facts.imports.imports_module(m) for m in _SQLALCHEMY_MODULES):
        return None
    for argument in call.args:
        if _is_string_builder(argument):
            return argument
    return None


def _clause_text_hit(ctx: RuleContext, call: ast.Call) -> Hit | None:
    text = clause_text(ctx, call)
    if text is None:
        return None
    method = call.func.attr  # type: ignore[attr-defined]
    hit = sql_hit(ctx, call, text, certain=True, called=ctx.source(call.func))
    if hit is not None:
        # (SQLAlchemy 1.4 and later refuse a string there, or read it as a label's name: a crash
        # rather than an injection; PySpark's where/filter read it as SQL in every version)
        hit.confidence = min(hit.confidence or MEDIUM, MEDIUM)
        pasted_by = "SQLAlchemy before 1.4 pastes" if method in SQL_LABEL_CLAUSE_METHODS else "SQLAlchemy before 1.4 and PySpark paste"
        hit.message = hit.message.replace(
            "it can rewrite the query", f"{pasted_by} a string given to `.{method}()` into the query, where it can rewrite it")
    return hit


# --- SQL strings built where they are not visibly run (B608) ----------------------------------

_BUILDERS = (ast.BinOp, ast.JoinedStr)


def _is_string_builder(node: ast.AST | None) -> bool:
    # (class tests, not isinstance: asked twice for every call, f-string and binary operation)
    cls = node.__class__
    if cls is ast.JoinedStr:
        return True
    if cls is ast.BinOp:
        return node.op.__class__ in (ast.Add, ast.Mod)  # type: ignore[union-attr]
    if cls is not ast.Call:
        return False
    func = node.func  # type: ignore[union-attr]
    return func.__class__ is ast.Attribute and func.attr in ("format", "join") and func.value.__class__ in (ast.Constant, ast.Name)


def _parent(ctx: RuleContext) -> ast.AST | None:
    return ctx.ancestors[-2] if len(ctx.ancestors) >= 2 else None


def _reaches_sql_call(ctx: RuleContext, node: ast.AST) -> bool:
    """Is the string run by an SQL call that ``sql-injection`` checks: directly as its query, or
    through the name it is assigned to in this scope?"""
    child = node
    for ancestor in reversed(ctx.ancestors[:-1]):
        if isinstance(ancestor, (ast.List, ast.Tuple, ast.Dict, ast.keyword)):
            child = ancestor
            continue  # a fragment in extra(where=[...]) or a keyword argument
        if isinstance(ancestor, ast.Call):
            ancestor = ctx.handed_calls.get(id(ancestor), ancestor)  # (``pool.submit(cursor.execute, query)``)
            query, _ = query_argument(ctx, ancestor)
            if query is child or query is node or ctx.call_name(ancestor) in RAWSQL_CALLS:
                return True
            if isinstance(ancestor.func, ast.Attribute) and ancestor.func.attr == "extra":
                return True
            if isinstance(ancestor.func, ast.Attribute) and ancestor.func.attr in _CLAUSE_METHODS and clause_text(ctx, ancestor) is node:
                return True  # (``.where("name = '" + name + "'")``)
        break
    # The string as the one argument of a call of unknown meaning that is run as the query
    # (``execute(text("SELECT ..." + term))``, ``text`` unresolved): sql-injection checks it there.
    wrapper = _parent(ctx)
    if wrapper.__class__ is ast.Call and len(ctx.ancestors) >= 3 and ctx.ancestors[-3].__class__ is ast.Call:
        query, _ = query_argument(ctx, ctx.ancestors[-3])  # type: ignore[arg-type]
        if query is wrapper and wrapped_query(ctx, wrapper) is node:  # type: ignore[arg-type]
            return True
    statement = ctx.statement
    value = statement.value if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)) else None
    if value is not node and not (value is wrapper and value.__class__ is ast.Call and wrapped_query(ctx, value) is node):
        return False  # (``sql = wrap("SELECT ..." + term)``: run as ``execute(sql)``)
    names: set[str] = set()
    if isinstance(statement, ast.Assign):
        names = {t.id for t in statement.targets if isinstance(t, ast.Name)}
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and isinstance(statement.target, ast.Name):
        names = {statement.target.id}
    if not names:
        return False
    scope = ctx.scope_chain[-1] if ctx.scope_chain else ctx.facts.scopes.tree
    for candidate in ast.walk(scope):
        if isinstance(candidate, ast.Call):
            query, _ = query_argument(ctx, candidate)
            if isinstance(query, ast.Name) and query.id in names:
                return True
            if value is node and query.__class__ is ast.Call:  # (``sql = "SELECT ..." + term``; ``execute(text(sql))``)
                inner = wrapped_query(ctx, query)  # type: ignore[arg-type]
                if isinstance(inner, ast.Name) and inner.id in names:
                    return True
    return False


@rule(
    id="sql-string-built",
    title="SQL statement built from variable values",
    cwe=89,
    severity=MEDIUM,
    confidence=LOW,
    bandit=["B608"],
    # The calls that build strings are ``.format()``/``.join()`` ones (``_is_string_builder``):
    # asking for those methods, not for every call, spares a check on nearly all calls.
    nodes=[ast.BinOp, ast.JoinedStr],
    methods=["format", "join"],
    description="""A string that reads as an SQL statement (SELECT ... FROM, INSERT INTO, UPDATE ...
        SET, DELETE FROM, WHERE col = ...) is assembled from values that are not constants, and is
        not visibly run here (it is returned, stored or passed on). If it reaches a database with
        outside data in it, that data can change the query. Low confidence: where the string is
        run by a known SQL call, sql-injection reports it instead. A string that is only compared
        (if sql == f"SELECT count(*) FROM {table}") is not reported: the comparison keeps a truth
        value, not the text.""",
    solution="""Keep values out of the SQL text: build the statement with placeholders and pass
        the values as parameters where it is executed.""",
    example="""
        def find_user_query(name):
            return f"SELECT * FROM users WHERE name = '{name}'"
    """,
    fixed="""
        def find_user_query(name):
            return "SELECT * FROM users WHERE name = %s", (name,)
    """,
)
def check_sql_string(node: ast.AST, ctx: RuleContext):
    if not _is_string_builder(node):
        return None
    parent = _parent(ctx)
    if _is_string_builder(parent):
        return None  # only the outermost piece of an assembly
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.value is node:
        return None  # the receiver of .format()/.join(): the call is the assembly
    if parent.__class__ is ast.Compare:
        return None  # ``if sql == f"select count(*) from {table}"``: a comparison keeps a truth value, not the text
    composition = compose(ctx, node, SQL_SANITIZERS)  # type: ignore[arg-type]
    if composition.is_safe or not looks_like_sql(composition) or _reaches_sql_call(ctx, node):
        return None
    return injection_hit(
        ctx, node, composition.dynamic,
        tainted="An SQL statement is built from {source} (`{code}`); run as is, it can rewrite the query (SQL injection).",
        dynamic="An SQL statement is built from `{code}`, which is not a constant; if it can carry outside data and is run, it can rewrite the query (SQL injection).",
        dynamic_confidence=LOW,
    )


# --- Django --------------------------------------------------------------------------------

_EXTRA_SQL_ARGUMENTS = (("select", 0), ("where", 1), ("tables", 3), ("order_by", 4))


def _extra_fragments(ctx: RuleContext, call: ast.Call) -> list[ast.expr]:
    """The SQL fragments of QuerySet.extra(select={...}, where=[...], tables=[...], order_by=[...])."""
    fragments: list[ast.expr] = []
    for keyword, position in _EXTRA_SQL_ARGUMENTS:
        value = ctx.argument(call, position, keyword)
        if value is None:
            continue
        if isinstance(value, ast.Dict):
            fragments.extend(value.values)
            continue
        elements = sequence_elements(ctx, value)
        fragments.extend(elements if elements is not None else [value])
    return fragments


@rule(
    id="django-extra-injection",
    title="SQL injection through Django QuerySet.extra()",
    cwe=89,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B610"],
    methods=["extra"],
    description="""QuerySet.extra() pastes its select/where/tables/order_by fragments into the SQL
        as they are. A fragment built from values that are not constants lets whoever controls
        them change the query. Constant fragments with params=[...] are not reported.""",
    solution="""Use the ORM (filter(), annotate() with expressions) or keep the fragment constant
        and pass values through params=[...].""",
    example="""
        User.objects.extra(where=[f"name = '{name}'"])
    """,
    fixed="""
        User.objects.extra(where=["name = %s"], params=[name])  # better: User.objects.filter(name=name)
    """,
)
def check_django_extra(call: ast.Call, ctx: RuleContext):
    called = ctx.source(call.func)
    django = ctx.facts.imports.imports_module("django")
    for fragment in _extra_fragments(ctx, call):
        if isinstance(fragment, ast.Starred):
            continue
        composition = compose(ctx, fragment, SQL_SANITIZERS)
        if composition.is_safe or (not composition.built and ctx.taint(fragment) is None):
            continue
        return injection_hit(
            ctx, call, composition.dynamic, dynamic_confidence=None if django else LOW,
            tainted=f"`{called}` pastes an SQL fragment built from {{source}} (`{{code}}`) into the query.",
            dynamic=f"`{called}` pastes an SQL fragment built from `{{code}}`, which is not a constant, into the query.",
        )
    return None


@rule(
    id="django-rawsql-injection",
    title="SQL injection through Django RawSQL()",
    cwe=89,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B611"],
    calls=RAWSQL_CALLS,
    description="""RawSQL(sql, params) inserts its SQL text into the query as is. SQL text built
        from values that are not constants lets whoever controls them change the query.
        Constant SQL with params=[...] is not reported.""",
    solution="""Keep the SQL constant and pass values in params, or use ORM expressions
        (F(), Value(), Func()) instead of RawSQL.""",
    example="""
        queryset.annotate(rank=RawSQL("SELECT rank FROM scores WHERE user = " + user, ()))
    """,
    fixed="""
        queryset.annotate(rank=RawSQL("SELECT rank FROM scores WHERE user = %s", (user,)))
    """,
)
def check_rawsql(call: ast.Call, ctx: RuleContext):
    return sql_hit(ctx, call, ctx.argument(call, 0, "sql"), certain=True, called=ctx.source(call.func))


__all__ = ["looks_like_sql", "is_db_receiver", "sql_hit", "HIGH", "LOW", "MEDIUM"]
