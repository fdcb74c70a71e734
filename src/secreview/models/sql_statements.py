"""SQL statement objects: what SQLAlchemy (Core and ORM) builds is not SQL text.

``select(t).where(t.c.name == name).limit(n)``, ``db.queries.insert(T).values(**data)``,
``session.query(User).filter_by(name=name)``: every value put into such a statement is sent
as a bound parameter, so whatever the values held, the statement cannot be rewritten by them.
The data flow (dataflow/analyzer.py) proves the result of these builders safe for SQL
(CWE-89, and the pseudo-CWE ``SQL_STATEMENT``, which says "a statement object"), whatever
the receiver -- an object the file cannot see, a helper's parameter refined and returned --
so that running it (``session.execute(stmt)``) is no SQL injection. The SQL *text* such a
statement can hold is checked where it is made: ``text(...)``, ``literal_column(...)``,
``exec_driver_sql(...)``, a string built into ``.where("...")`` (rules/sql.py).
"""

# A pseudo-CWE (never a rule's): the value is an SQL statement object. A statement is proven
# safe for SQL and for this mark; the mark lets a method of ambiguous name (``values``,
# ``join``) be told from dict.values() and str.join() by its receiver.
SQL_STATEMENT = -89
SQL_STATEMENT_CWES = frozenset({89, SQL_STATEMENT})

# Methods that refine a statement, whatever the receiver (not a module's function:
# ``numpy.where`` is none). Their names are SQLAlchemy's (Select, Insert/Update/Delete, the
# ORM's Query, the dialects' upserts, compound selects, column operators giving bound
# parameters); Django's QuerySet shares ``filter``/``order_by`` (its values are parameters
# too). A project class defining one of them is followed instead.
SQL_STATEMENT_METHODS = frozenset({
    "where", "filter", "filter_by", "having", "order_by", "group_by", "limit", "offset",
    "returning", "return_defaults", "on_conflict_do_update", "on_conflict_do_nothing", "on_duplicate_key_update",
    "select_from", "join_from", "outerjoin", "outerjoin_from", "with_only_columns", "add_columns",
    "execution_options", "with_for_update", "correlate", "correlate_except", "scalar_subquery", "subquery",
    "cte", "union_all", "except_", "except_all", "intersect_all", "prefix_with", "suffix_with",
    "from_select", "ordered_values", "in_", "not_in", "notin_",
})
# Methods that refine a statement only when their receiver is one (a statement the flow proved,
# or one just made by ``X.insert(...)``/``update``/``delete``/``select``): by other names, a
# dict's values(), a string's join(), a set's union().
SQL_STATEMENT_CHAINED_METHODS = frozenset({
    "values", "join", "union", "intersect", "distinct", "params", "alias", "options", "label", "exists", "lateral",
})
SQL_STATEMENT_MAKING_METHODS = frozenset({"insert", "update", "delete", "select"})  # ``table.insert()``, ``db.queries.insert(T)``

# Functions of these packages build statements and expressions (``select``, ``insert``,
# ``and_``, ``func.count``, ``literal``: bound parameters)...
SQL_STATEMENT_PACKAGES = frozenset({"sqlalchemy", "sqlmodel"})
SQL_STATEMENT_MODULES = tuple(f"{package}." for package in sorted(SQL_STATEMENT_PACKAGES))
# ... except those taking SQL text, whose result holds the text as it was given (checked where
# they are called: rules/sql.py SQL_TEXT_CALLS).
SQL_TEXT_MAKERS = frozenset({"text", "literal_column", "TextClause"})

# Statement methods whose string argument SQLAlchemy before 1.4 (and the ORM's Query.filter)
# pasted into the SQL as text: ``.where("name = '" + name + "'")``. Later versions refuse a
# string (where/filter/having) or read it as a label's name (order_by/group_by).
SQL_TEXT_CLAUSE_METHODS = frozenset({"where", "filter", "having"})
SQL_LABEL_CLAUSE_METHODS = frozenset({"order_by", "group_by"})  # (Django's are field names: SQLAlchemy files only)

# SQL string literals written by the project (``"... '" + value.replace("'", "''") + "'"``):
# pseudo-CWEs (never a rule's) for what the flow knows of a value on its way between single
# quotes. Doubling the quote is the standard SQL escape: enough where a backslash is an
# ordinary character (PostgreSQL's standard strings, SQLite, SQL Server, Oracle), not in MySQL
# and MariaDB without NO_BACKSLASH_ESCAPES, nor in PostgreSQL's E'...' strings, where ``\'``
# is a quote inside the string and the doubled quote after it ends the string. Backslashes
# doubled too make the value fit for every dialect. The sql-injection rule reads them.
QUOTE_DOUBLED = -39  # ``value.replace("'", "''")``
BACKSLASH_DOUBLED = -92  # ``value.replace("\\", "\\\\")``
SQL_STRING_ESCAPES = {("'", "''"): frozenset({QUOTE_DOUBLED}), ("\\", "\\\\"): frozenset({BACKSLASH_DOUBLED})}
