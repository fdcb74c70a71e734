"""FastAPI dependency classes declared in another module than the routes using them.

A route's ``f: Filters = Depends()`` makes FastAPI build ``Filters`` from the request: what its
constructor's parameters (a dataclass's or pydantic model's fields) receive depends on their
annotations and markers (``page: int`` is converted, ``x_user: str = Header()`` is a header),
which the route's module does not see when the class is declared in another module
(``dependencies.py``, ``schemas.py``). So:

- a module importing FastAPI or pydantic (models DEPENDENCY_CLASS_MODULES) exports, among its own
  summaries, an entry ``<Class>.<dependency>`` for each of its module-level classes with a
  constructor of its own or fields: what FastAPI gives each parameter from the request alone (a
  request value at the parameter's line, nothing for a converted one or a framework object; a
  value a project function returns for ``Depends(current_user)``), and the attributes the
  constructor assigns and the constants of the class body (those the class's ``<instances>``
  entry does not list hold nothing);
- such a module also exports an entry ``<Alias>.<validators>`` for each ``Annotated`` alias
  running pydantic validators (``Slug = Annotated[str, AfterValidator(_slug)]``): their names,
  which a model of another module importing the alias runs on its field (see validators.py);
- the analysis of a route asks the project for that entry (an ordinary question, so the route's
  review depends on the class's module as on any function it calls) and reads it as it reads a
  class of its own module (see FunctionAnalysis.dependency_attributes).

An entry is a FunctionSummary: named after the constructor (or after itself for a generated
one), with the constructor's parameter names, and a container value: the parameters' values by
name, and the assigned attributes as (ATTRIBUTES, name) keys.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.dataflow.analyzer import UNPLACED, FunctionSummary, extra_fields_value, fastapi_parameter_value
from secreview.dataflow.parameters import EXTRA_FIELDS, allows_extra_fields, dependency, field_class_annotation, generated_constructor
from secreview.dataflow.validators import alias_entries, reading_entries, validated_inherited
from secreview.dataflow.values import CLEAN, Taint
from secreview.findings import TraceStep
from secreview.models.sources import DEPENDENCY_CLASS_MODULES

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

DEPENDENCY_ENTRY = "<dependency>"  # ``app.deps.Filters.<dependency>``
ATTRIBUTES = "<attribute>"
NESTED = "<nested>"  # ((NESTED, field, class), CLEAN): a field annotated with a class (maybe a model)


def entry_name(class_name: str) -> str:
    return f"{class_name}.{DEPENDENCY_ENTRY}"


def dependency_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<Class>.<dependency>`` entries of a module importing FastAPI or pydantic (asked after
    its functions are analysed: a ``Depends(f)`` is told what the project's ``f`` returns);
    nothing for any other module (the cheap test first)."""
    if not any(unit.facts.imports.imports_module(module) for module in DEPENDENCY_CLASS_MODULES):
        return {}
    entries = {}
    for node in unit.parsed.tree.body:
        if node.__class__ is not ast.ClassDef:
            continue
        class_name = f"{unit.module_name}.{node.name}"
        init = generated_constructor(unit, node)
        fields = init is not None
        inherited = None
        if init is None:
            init = next((child for child in node.body if child.__class__ in _FUNCTIONS and child.name == "__init__"), None)
            if init is None:
                inherited = unit.inherited_model_entry(class_name)  # (``class Order(BaseOrder)``, a model of another module)
                if inherited is None:
                    continue
                init, fields = generated_constructor(unit, node, True), True
        args = init.args
        parameters = [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs,
                      *([args.kwarg] if args.kwarg else [])]
        items: list[tuple] = []
        if inherited is not None:  # (its fields first, those the class declares again aside)
            own = {arg.arg for arg in parameters}
            items += validated_inherited(unit, node, {name: value for name, value in inherited[0].items() if name not in own}).items()
            items += [((NESTED, field, nested), CLEAN) for field, nested in inherited[4].items() if field not in own]
        for index, arg in enumerate(parameters):
            if fields or index > 0:
                items.append((arg.arg, _given(unit, init, arg, fields)))
        clean = [*unit.class_level_values(class_name), *(() if fields else _assigned_attributes(init, parameters))]
        items += [((ATTRIBUTES, attribute), CLEAN) for attribute in dict.fromkeys(clean)]
        if fields:
            items += [((NESTED, field, nested), CLEAN) for field, nested in _class_fields(unit, parameters)]
            if allows_extra_fields(unit, node):
                items.append((EXTRA_FIELDS, extra_fields_value(unit, node, UNPLACED)))
        name = entry_name(class_name)
        names = [*(inherited[3] if inherited is not None else ()), *(a.arg for a in parameters)]
        entries[name] = FunctionSummary(name if fields else f"{class_name}.__init__", list(dict.fromkeys(names)),
                                        Taint(frozenset(), tuple(items)))
    for name, validators in alias_entries(unit).items():  # (``Slug = Annotated[str, AfterValidator(f)]``: see validators.py)
        entries[name] = FunctionSummary(name, validators)
        entries.update(reading_entries(unit, validators))  # (``WrapValidator(f)``: what ``f`` returns, read)
    return entries


def decoded(entry: FunctionSummary) -> tuple[dict[str, Taint], dict[str, Taint], str | None, list[str], dict[str, str]]:
    """An entry as (what each parameter is given, the attributes the constructor assigns or the
    class body binds to a constant -- all clean here --, the constructor's name or None for a
    generated one, its parameter names, the qualified names of the classes fields are annotated
    with: maybe models a body model nests)."""
    given: dict[str, Taint] = {}
    attributes: dict[str, Taint] = {}
    nested: dict[str, str] = {}
    for key, value in entry.returns.items or ():
        if isinstance(key, tuple):
            if key[0] == NESTED:
                nested[key[1]] = key[2]
            else:
                attributes[key[1]] = value
        else:
            given[key] = value
    generated = not entry.qualname.endswith(".__init__")
    return given, attributes, None if generated else entry.qualname, entry.params, nested


def _class_fields(unit: "FileFlow", fields: list[ast.arg]) -> list[tuple[str, str]]:
    """The fields annotated with a class (``address: Address``: maybe a nested model, which a
    route's module reads through that class's own entry), with the class's qualified name."""
    local = {node.name for node in unit.parsed.tree.body if node.__class__ is ast.ClassDef}
    found = []
    for arg in fields:
        annotation = field_class_annotation(unit, arg)
        name = unit.qualname(annotation) if annotation is not None else None
        if name is None:
            continue
        if name in local:
            name = f"{unit.module_name}.{name}"
        if "." in name:  # (not ``str``, ``int``: builtins)
            found.append((arg.arg, name))
    return found


def _given(unit: "FileFlow", init: ast.AST, arg: ast.arg, field: bool) -> Taint:
    value = fastapi_parameter_value(unit, init, arg, None, field)
    if value is not None:
        return value
    target = dependency(unit, init, arg)  # ``Depends(current_user)``: a function of the project
    name = unit.qualname(target) if target is not None else None
    summary = unit.summaries.get(name) if name is not None else None
    data = frozenset(origin for origin in summary.returns.whole().origins if origin.param is None) if summary is not None else ()
    if not data:
        return CLEAN  # (a framework object, or a dependency returning nothing of the request's)
    what = "field" if field else "parameter"
    step = TraceStep(unit.path, arg.lineno, arg.col_offset, unit.code(arg.lineno),
                     f"{what} `{arg.arg}`: the value of dependency `{summary.qualname.rsplit('.', 1)[-1]}()`")
    return Taint(data).with_step(step)


def _assigned_attributes(init: ast.AST, parameters: list[ast.arg]) -> list[str]:
    """``self.<name> = ...`` in the constructor's body (nested blocks too)."""
    if not parameters:
        return []
    own = parameters[0].arg
    found = []
    for node in ast.walk(init):
        targets = node.targets if node.__class__ is ast.Assign else [node.target] if node.__class__ in (ast.AnnAssign, ast.AugAssign) else ()
        for target in targets:
            if target.__class__ is ast.Attribute and target.value.__class__ is ast.Name and target.value.id == own and target.attr not in found:
                found.append(target.attr)
    return found


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
