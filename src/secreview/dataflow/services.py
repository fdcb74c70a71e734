"""Service objects: the class of an object a function did not build itself, when its code says it.

``archiver.pack(name)`` calls ``Archiver.pack`` (its sinks are reached, its summary applies) when
the analysis knows ``archiver`` is an ``Archiver``. Besides a local or module-level name bound to
``Archiver(...)`` (FunctionAnalysis.note_instance), that is:

- a parameter annotated with the class (``svc: Archiver``; inside ``Optional[...]``,
  ``... | None``, ``Annotated[Archiver, ...]``), or a FastAPI dependency whose factory of this
  module returns one (``archiver = Depends(get_archiver)`` with ``def get_archiver() -> Archiver``,
  or ``return Archiver()`` / ``yield Archiver()``): the factory wins over an annotation, which may
  name a base class;
- an attribute of ``self`` its class's ``__init__`` binds to one (``self.runner = Runner()``,
  ``self.repo = repo`` from a parameter annotated ``repo: Repo``, ``self.repo: Repo = make()``),
  when every other assignment of that attribute in the class (facts/instances.py) agrees.

Only the class's name is found here (syntax of this file): whether it is the project's, and which
of its methods exist, the analysis asks the project as for any other receiver.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.dataflow.parameters import dependency
from secreview.facts.instances import self_parameter

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow
    from secreview.dataflow.analyzer import FunctionAnalysis

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_WRAPPERS = frozenset({"Optional", "typing.Optional", "Annotated", "typing.Annotated", "typing_extensions.Annotated"})
# A generator dependency's annotation names what it yields first (``Iterator[Archiver]``).
_GENERATORS = frozenset(f"{module}{name}" for module in ("", "typing.", "collections.abc.") for name in (
    "Iterator", "Generator", "AsyncIterator", "AsyncGenerator", "Iterable", "AsyncIterable"))


def parameter_classes(analysis: "FunctionAnalysis") -> dict[str, str]:
    """The parameters of the function analysed whose class its signature tells, by name."""
    node = analysis.node
    if node.__class__ not in _FUNCTIONS:
        return {}
    args = node.args  # type: ignore[attr-defined]
    found = {}
    for index, arg in enumerate((*args.posonlyargs, *args.args, *args.kwonlyargs)):
        if index == 0 and arg.arg == analysis.self_name:
            continue
        owner = None
        if analysis.unit.imports_fastapi:
            target = dependency(analysis.unit, node, arg)  # ``Depends(get_archiver)``
            if target is not None:
                owner = factory_class(analysis.unit, target, analysis.resolved_name)
        if owner is None and arg.annotation is not None:
            owner = annotated_class(arg.annotation, analysis.resolved_name)
        if owner is not None:
            found[arg.arg] = owner
    return found


def annotated_class(annotation: ast.expr | None, resolve) -> str | None:
    """The qualified name of the class an annotation names (``Archiver``, ``svc.Archiver``,
    ``Optional[Archiver]``, ``Archiver | None``, ``Annotated[Archiver, ...]``); None for a
    builtin (``str``) or anything else."""
    while annotation is not None:
        cls = annotation.__class__
        if cls is ast.Subscript and resolve(annotation.value) in _WRAPPERS:  # type: ignore[union-attr]
            inner = annotation.slice  # type: ignore[union-attr]
            annotation = inner.elts[0] if inner.__class__ is ast.Tuple and inner.elts else inner  # type: ignore[attr-defined]
        elif cls is ast.BinOp and annotation.op.__class__ is ast.BitOr:  # type: ignore[union-attr]
            left, right = annotation.left, annotation.right  # type: ignore[union-attr]
            annotation = left if _is_none(right) else right if _is_none(left) else None
        elif cls is ast.Name or cls is ast.Attribute:
            name = resolve(annotation)
            return name if name is not None and "." in name else None
        else:
            return None
    return None


def factory_class(unit: "FileFlow", target: ast.expr, resolve) -> str | None:
    """The class a FastAPI dependency ``target`` gives: a function of this module's (its return
    annotation, else the class every ``return``/``yield`` of it constructs), or ``target`` itself
    when named as a class (``Depends(Archiver)``)."""
    function = _module_function(unit, target.id) if target.__class__ is ast.Name else None  # type: ignore[attr-defined]
    if function is None:  # (``Depends(Archiver)``, ``Depends(services.Archiver)``: named as a class)
        name = resolve(target) if target.__class__ in (ast.Name, ast.Attribute) else None
        return name if name is not None and "." in name and name.rpartition(".")[2][:1].isupper() else None
    returns = function.returns  # type: ignore[attr-defined]
    if returns is not None:
        if returns.__class__ is ast.Subscript and resolve(returns.value) in _GENERATORS:  # type: ignore[attr-defined]
            inner = returns.slice  # type: ignore[attr-defined]
            returns = inner.elts[0] if inner.__class__ is ast.Tuple and inner.elts else inner
        found = annotated_class(returns, resolve)
        if found is not None:
            return found
    return _constructed_by_every_return(function, resolve)


def attribute_class(analysis: "FunctionAnalysis", receiver: ast.Attribute) -> str | None:
    """``self.runner`` in a method: the class its class's ``__init__`` binds the attribute to,
    when the class's other assignments of it (if any) construct that class too."""
    unit = analysis.unit
    class_name = unit.class_of_method.get(id(analysis.node))
    classdef = unit.class_node(class_name) if class_name is not None else None
    if classdef is None:
        return None
    declared = _constructor_classes(unit, classdef, analysis.resolved_name)
    found = declared.get(receiver.attr)
    if found is None:
        return None
    owner, bound = found
    for value in _assigned_attributes(unit, classdef).get(receiver.attr, ()):
        if value is not bound and (value.__class__ is not ast.Call or analysis.resolved_name(value.func) != owner):  # type: ignore[union-attr]
            return None  # (bound to something else too: ``self.runner = None`` in ``close()``)
    return owner


def _constructor_classes(unit: "FileFlow", classdef: ast.ClassDef, resolve) -> dict[str, tuple[str, ast.expr]]:
    """What the class's own ``__init__`` binds attributes of ``self`` to, when a class: attribute
    -> (the class's qualified name, the value bound). Computed once per class (and tree)."""
    memo = unit.facts.scopes.memo.setdefault("services.constructor", {})
    known = memo.get(id(classdef))
    if known is not None and known[0] is classdef:
        return known[1]
    found: dict[str, tuple[str, ast.expr]] = {}
    init = next((node for node in classdef.body if node.__class__ in _FUNCTIONS and node.name == "__init__"), None)  # type: ignore[attr-defined]
    positional = [*init.args.posonlyargs, *init.args.args] if init is not None else []  # type: ignore[attr-defined]
    if positional:
        own = positional[0].arg
        parameters = {arg.arg: arg for arg in (*positional[1:], *init.args.kwonlyargs)}  # type: ignore[union-attr]
        for statement in _statements(init.body):  # type: ignore[union-attr]
            if statement.__class__ is ast.Assign and len(statement.targets) == 1:  # type: ignore[attr-defined]
                target, value, annotation = statement.targets[0], statement.value, None  # type: ignore[attr-defined]
            elif statement.__class__ is ast.AnnAssign and statement.value is not None:  # type: ignore[attr-defined]
                target, value, annotation = statement.target, statement.value, statement.annotation  # type: ignore[attr-defined]
            else:
                continue
            if target.__class__ is not ast.Attribute or target.value.__class__ is not ast.Name or target.value.id != own:
                continue
            owner = annotated_class(annotation, resolve) if annotation is not None else None
            if owner is None and value.__class__ is ast.Call:
                owner = resolve(value.func)  # ``self.runner = Runner()``
            elif owner is None and value.__class__ is ast.Name and value.id in parameters:  # ``self.repo = repo`` (``repo: Repo``)
                owner = annotated_class(parameters[value.id].annotation, resolve)
                if owner is not None and unit.facts.scopes.collector(init).bindings.get(value.id) != [None]:
                    owner = None  # (``repo = repo or Repo()``: not only the parameter)
            if owner is not None and "." in owner:
                found[target.attr] = (owner, value)
    memo[id(classdef)] = (classdef, found)
    return found


def _assigned_attributes(unit: "FileFlow", classdef: ast.ClassDef) -> dict[str, list[ast.expr | None]]:
    """Attribute name -> every value the class gives it (None: one not seen), as
    facts.instances.attribute_values finds them -- class-body assignments, and ``self.NAME = ...``,
    ``with ... as self.NAME``, ``for self.NAME in``, ``self.NAME += ...`` in its methods and the
    functions nested in them -- from their statements alone (assignments to an attribute are
    statements: the expressions, most of the nodes, are not walked). Once per class (and tree)."""
    memo = unit.facts.scopes.memo.setdefault("services.assigned", {})
    known = memo.get(id(classdef))
    if known is not None and known[0] is classdef:
        return known[1]
    values: dict[str, list[ast.expr | None]] = {}
    for statement in classdef.body:
        if statement.__class__ in (ast.Assign, ast.AnnAssign) and statement.value is not None:  # type: ignore[attr-defined]
            targets = statement.targets if statement.__class__ is ast.Assign else [statement.target]  # type: ignore[attr-defined]
            for target in targets:
                if target.__class__ is ast.Name:
                    values.setdefault(target.id, []).append(statement.value)  # type: ignore[attr-defined]
        elif statement.__class__ in _FUNCTIONS:
            owner = self_parameter(statement)  # type: ignore[arg-type]
            if owner is not None:
                _collect_assigned(statement.body, owner, values)  # type: ignore[attr-defined]
    memo[id(classdef)] = (classdef, values)
    return values


def _collect_assigned(body: list[ast.stmt], owner: str, values: dict[str, list[ast.expr | None]]) -> None:
    def add(target: ast.expr, value: ast.expr | None) -> None:
        if target.__class__ is ast.Attribute and target.value.__class__ is ast.Name and target.value.id == owner:  # type: ignore[attr-defined]
            values.setdefault(target.attr, []).append(value)  # type: ignore[attr-defined]
        elif target.__class__ in (ast.Tuple, ast.List):
            elements = target.elts  # type: ignore[attr-defined]
            same_shape = value.__class__ in (ast.Tuple, ast.List) and len(value.elts) == len(elements)  # type: ignore[union-attr]
            for position, element in enumerate(elements):
                add(element, value.elts[position] if same_shape else None)  # type: ignore[union-attr]
        elif target.__class__ is ast.Starred:
            add(target.value, None)  # type: ignore[attr-defined]

    for statement in _statements(body, into_functions=True):
        cls = statement.__class__
        if cls is ast.Assign:
            for target in statement.targets:  # type: ignore[attr-defined]
                add(target, statement.value)  # type: ignore[attr-defined]
        elif cls is ast.AnnAssign:
            if statement.value is not None:  # type: ignore[attr-defined]
                add(statement.target, statement.value)  # type: ignore[attr-defined]
        elif cls in (ast.AugAssign, ast.For, ast.AsyncFor):
            add(statement.target, None)  # type: ignore[attr-defined]
        elif cls in (ast.With, ast.AsyncWith):
            for item in statement.items:  # type: ignore[attr-defined]
                if item.optional_vars is not None:
                    add(item.optional_vars, item.context_expr)


def _statements(body: list[ast.stmt], into_functions: bool = False):
    """The statements of a body and of the blocks in it (not of nested classes, nor of nested
    functions unless ``into_functions``)."""
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        cls = statement.__class__
        blocks = _BLOCKS.get(cls)
        if blocks is None or (cls in _FUNCTIONS and not into_functions):
            continue
        for name in blocks:
            stack.extend(reversed(getattr(statement, name)))
        if cls in _TRY_STATEMENTS:
            for handler in statement.handlers:  # type: ignore[attr-defined]
                stack.extend(reversed(handler.body))
        elif cls is ast.Match:
            for case in statement.cases:  # type: ignore[attr-defined]
                stack.extend(reversed(case.body))


# The statement classes holding statements: the fields holding them (last first; ``handlers``
# and ``cases`` aside).
_BLOCKS: dict[type, tuple[str, ...]] = {
    ast.If: ("orelse", "body"), ast.For: ("orelse", "body"), ast.AsyncFor: ("orelse", "body"),
    ast.While: ("orelse", "body"), ast.With: ("body",), ast.AsyncWith: ("body",),
    ast.Try: ("finalbody", "orelse", "body"), ast.TryStar: ("finalbody", "orelse", "body"), ast.Match: (),
    ast.FunctionDef: ("body",), ast.AsyncFunctionDef: ("body",),
}
_TRY_STATEMENTS = (ast.Try, ast.TryStar)


def _module_function(unit: "FileFlow", name: str) -> ast.AST | None:
    """The module-level function ``name`` is bound to, and only to."""
    bound = unit.facts.scopes.collector(unit.parsed.tree).bindings.get(name)
    if bound != [None]:
        return None
    return next((node for node in unit.parsed.tree.body if node.__class__ in _FUNCTIONS and node.name == name), None)  # type: ignore[attr-defined]


def _constructed_by_every_return(function: ast.AST, resolve) -> str | None:
    """The class every ``return X(...)`` / ``yield X(...)`` of ``function`` constructs, if one."""
    found = None
    for statement in _statements(function.body):  # type: ignore[attr-defined]
        if statement.__class__ is ast.Return:
            value = statement.value  # type: ignore[attr-defined]
        elif statement.__class__ is ast.Expr and statement.value.__class__ is ast.Yield:  # type: ignore[attr-defined]
            value = statement.value.value  # type: ignore[attr-defined]
        else:
            continue
        made = resolve(value.func) if value.__class__ is ast.Call else None  # type: ignore[union-attr]
        if made is None or (found is not None and made != found):
            return None
        found = made
    return found


def _is_none(node: ast.expr) -> bool:
    return node.__class__ is ast.Constant and node.value is None  # type: ignore[attr-defined]
