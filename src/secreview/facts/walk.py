"""Fast iteration over a syntax tree: the one walk every file gets.

``ast.walk``/``ast.iter_child_nodes`` go through two generator layers per node and also yield the
``Load``/``Store``/``Del`` context objects of every name; on a large tree that costs more than the
parse itself. Here each node class's child-bearing fields are computed once, contexts are skipped
(they carry no information a rule uses), and the loop is explicit (deep nesting cannot overflow
the stack).
"""
from __future__ import annotations

import ast
import typing
from dataclasses import dataclass
from typing import Iterable, Iterator

_AST = ast.AST
_REVERSED_FIELDS: dict[type, tuple[str, ...]] = {}

AncestorsNode = tuple[ast.AST, tuple[ast.AST, ...]]


def _may_hold_nodes(annotation: object) -> bool:
    """Can a field annotated ``annotation`` (``ast.expr | None``, ``list[ast.stmt]``, ``str``...)
    hold a node?"""
    if isinstance(annotation, type):
        return issubclass(annotation, _AST)
    return any(_may_hold_nodes(argument) for argument in typing.get_args(annotation))


def _reversed_fields(cls: type) -> tuple[str, ...]:
    fields = _REVERSED_FIELDS.get(cls)
    if fields is None:
        # Python >= 3.13 says what each field holds: fields that never hold a node (``Name.id``,
        # ``Constant.value``, ``alias.name``...) are left out, so leaves such as names and
        # constants have no fields at all and the walks skip them at once. (``Constant.value`` is
        # typed ``object`` but ast.parse only puts Python constants there.) Without the
        # annotations, every field but the context is looked into.
        types = getattr(cls, "_field_types", None) or {}
        fields = _REVERSED_FIELDS[cls] = tuple(
            name for name in reversed(cls._fields)
            if name != "ctx" and (name not in types or _may_hold_nodes(types[name])))
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


@dataclass(frozen=True)
class NamedNodes:
    """A wanted kind of node for ``collect``: the ``Name`` nodes whose ``id``, and the
    ``Attribute`` nodes whose ``attr``, is one of ``names``. Names and attributes are about half of
    all nodes; a rule that looks for a few identifiers should not be handed every one of them."""

    names: frozenset[str]


def collect(root: ast.AST, wanted: Iterable[type], names: frozenset[str] = frozenset(),
            aside: dict[type, list[AncestorsNode]] | None = None) -> list[AncestorsNode]:
    """The nodes of the ``wanted`` classes (and names/attributes named one of ``names``, see
    ``NamedNodes``), in preorder, each with its ancestors (outermost first, the node itself
    excluded). One walk serves imports, scopes and rule dispatch together: the nodes of the
    classes keyed in ``aside`` are appended to their list there instead (also in preorder)."""
    wanted = frozenset(wanted) | frozenset(aside or ())
    return _collect(root, wanted, _REVERSED_FIELDS, _reversed_fields, names or None, aside or None)


_EXIT = object()  # marker on the walk's stack: all children of the innermost ancestor are done


def _collect(root, wanted: frozenset, fields_of: dict, compute_fields, names: frozenset[str] | None = None,
             aside: dict[type, list[AncestorsNode]] | None = None) -> list[AncestorsNode]:
    """The walk behind ``collect`` and ``collect_statements``: ``fields_of`` (filled lazily by
    ``compute_fields``) says which fields of a node class to descend into."""
    found: list[AncestorsNode] = []
    ancestors: list[ast.AST] = []
    # Nodes found under the same parent share one ancestors tuple: it is made when first needed
    # and dropped (``shared = None``) whenever ``ancestors`` changes.
    shared: tuple[ast.AST, ...] | None = None
    stack: list = [root]
    pop, push = stack.pop, stack.append
    exit_marker, name_class, attribute_class = _EXIT, ast.Name, ast.Attribute
    while stack:
        node = pop()
        if node is exit_marker:
            ancestors.pop()
            shared = None
            continue
        cls = node.__class__
        if cls in wanted or (names is not None and (
                (cls is name_class and node.id in names) or (cls is attribute_class and node.attr in names))):
            if shared is None:
                shared = tuple(ancestors)
            if aside is not None and cls in aside:
                aside[cls].append((node, shared))
            else:
                found.append((node, shared))
        fields = fields_of.get(cls)
        if fields is None:
            fields = compute_fields(cls)
        if not fields:
            continue
        push(exit_marker)  # popped after the children pushed below
        ancestors.append(node)
        shared = None
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for child in reversed(value):
                    if isinstance(child, _AST):
                        push(child)
            elif isinstance(value, _AST):
                push(value)
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
