"""Fast iteration over a syntax tree: the one walk every file gets.

``ast.walk``/``ast.iter_child_nodes`` go through two generator layers per node and also yield the
``Load``/``Store``/``Del`` context objects of every name; on a large tree that costs more than the
parse itself. Here each node class's child-bearing fields are computed once, contexts are skipped
(they carry no information a rule uses), and the loop is explicit (deep nesting cannot overflow
the stack).
"""
from __future__ import annotations

import ast
from typing import Iterable, Iterator

_AST = ast.AST
_REVERSED_FIELDS: dict[type, tuple[str, ...]] = {}

AncestorsNode = tuple[ast.AST, tuple[ast.AST, ...]]


def _reversed_fields(cls: type) -> tuple[str, ...]:
    fields = _REVERSED_FIELDS.get(cls)
    if fields is None:
        fields = _REVERSED_FIELDS[cls] = tuple(name for name in reversed(cls._fields) if name != "ctx")
    return fields


def reversed_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields of node class ``cls`` that may hold child nodes, last first."""
    return _REVERSED_FIELDS.get(cls) or _reversed_fields(cls)


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in field order (like ``ast.iter_child_nodes``, minus contexts)."""
    found: list[ast.AST] = []
    for name in reversed(_REVERSED_FIELDS.get(node.__class__) or _reversed_fields(node.__class__)):
        value = getattr(node, name, None)
        if value.__class__ is list:
            found.extend(child for child in value if isinstance(child, _AST))
        elif isinstance(value, _AST):
            found.append(value)
    return found


def preorder(root: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``root`` (included), parents before children, siblings in source order."""
    stack = [root]
    pop, push = stack.pop, stack.append
    fields_of = _REVERSED_FIELDS
    while stack:
        node = pop()
        yield node
        cls = node.__class__
        for name in fields_of.get(cls) or _reversed_fields(cls):
            value = getattr(node, name, None)
            if value.__class__ is list:
                for child in reversed(value):
                    if isinstance(child, _AST):
                        push(child)
            elif isinstance(value, _AST):
                push(value)


def collect(root: ast.AST, wanted: Iterable[type]) -> list[AncestorsNode]:
    """The nodes of the ``wanted`` classes, in preorder, each with its ancestors (outermost first,
    the node itself excluded). One walk serves imports, scopes and rule dispatch together."""
    return _collect(root, frozenset(wanted), _REVERSED_FIELDS, _reversed_fields)


def _collect(root, wanted: frozenset, fields_of: dict, compute_fields) -> list[AncestorsNode]:
    """The walk behind ``collect`` and ``collect_statements``: ``fields_of`` (filled lazily by
    ``compute_fields``) says which fields of a node class to descend into."""
    found: list[AncestorsNode] = []
    ancestors: list[ast.AST] = []
    stack: list[tuple[ast.AST, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        del ancestors[depth:]
        cls = node.__class__
        if cls in wanted:
            found.append((node, tuple(ancestors)))
        fields = fields_of.get(cls)
        if fields is None:
            fields = compute_fields(cls)
        if not fields:
            continue
        ancestors.append(node)
        depth += 1
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for child in reversed(value):
                    if isinstance(child, _AST):
                        push((child, depth))
            elif isinstance(value, _AST):
                push((value, depth))
    return found


# Fields through which statements nest: a statement's ancestors are all statements (or except
# clauses and match cases), so walking only these finds every statement with the same ancestors.
_STATEMENT_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_STATEMENT_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _statement_fields(cls: type) -> tuple[str, ...]:
    fields = _STATEMENT_CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _STATEMENT_CHILD_FIELDS[cls] = tuple(n for n in _reversed_fields(cls) if n in _STATEMENT_FIELDS)
    return fields


def collect_statements(root: ast.AST, wanted: Iterable[type]) -> list[AncestorsNode]:
    """``collect`` for statement classes only (imports, definitions...): expressions, a large
    majority of the nodes, are not visited. Same order and ancestors as ``collect``."""
    return _collect(root, frozenset(wanted), _STATEMENT_CHILD_FIELDS, _statement_fields)
