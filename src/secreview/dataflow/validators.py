"""pydantic validators: functions pydantic runs on a field's value while it builds the model, whose
result is what the field holds.

- ``@field_validator("name", ...)`` (pydantic 2) and ``@validator("name", ...)`` (pydantic 1)
  methods of the model or of a base class of the module (``"*"``: every field);
- ``Annotated[str, AfterValidator(check)]`` (also ``BeforeValidator``, ``PlainValidator``; also
  through a module-level alias ``Slug = Annotated[...]``) on the field; such an alias imported
  from another module (``from .types import Slug``; ``Optional[Slug]``, ``Slug | None``,
  ``Annotated[Slug, Field(...)]`` too): the alias's module exports an entry
  ``<module>.Slug.<validators>`` naming its validator functions (``alias_entries``; asked for
  by the field's module as any project name, see dependencies.py), which run in their turn.

Which functions validate a field is read from the syntax (``validator_names``, when the model's
generated ``__init__`` is made: parameters.generated_constructor keeps them on the field); what the
field then holds is what the function's summary says it returns for the value it is given
(``run_validators``), as any call of it would: a value that passed an allow-list or a regex check
before ``return v`` is proven safe (``if not re.fullmatch(P, v): raise ValueError``), a
conversion (``return int(v)``) or a sanitizer (``return os.path.basename(v)``) too, while a
validator that only logs or checks the length returns the value as it was. A validator that
``mode="wrap"`` makes (``WrapValidator``) returns what pydantic's handler makes of the value: not
modelled, the value stays as it was. A validator's ``info`` (``info.data``) or pydantic 1
``values`` parameter holds the model's other fields: what it returns of them is the body's text
(``_data_parameters``).
"""
from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from secreview.dataflow.values import CLEAN, Origin, Proven, Taint, join
from secreview.models.sources import VALIDATOR_DECORATORS, VALIDATOR_MARKERS

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

EVERY_FIELD = "*"
ALIAS_ENTRY = "<validators>"  # ``api.types.Slug.<validators>``: its ``params`` are the validators' qualified names
_MAX_BASES = 5
_MAX_ALIASES = 3  # an alias of an alias... followed this deep
_NOT_ALIASES = frozenset({"pydantic", "ninja", "typing", "typing_extensions", "datetime", "decimal", "uuid", "enum", "pathlib"})
_ANNOTATED = frozenset({"Annotated", "typing.Annotated", "typing_extensions.Annotated"})
_OPTIONAL = frozenset({"Optional", "typing.Optional"})
_VALIDATING_PACKAGES = frozenset({"pydantic", "ninja"})  # module classes followed for inherited validators


def class_validators(unit: "FileFlow", node: ast.ClassDef, depth: int = 0) -> dict[str, list[str]]:
    """field -> the qualified names of the methods validating it (``EVERY_FIELD``: all fields), of
    ``node`` and of its bases of the module (a method of the class replaces a base's of its name)."""
    found: dict[str, list[str]] = {}
    if depth < _MAX_BASES:
        for base in node.bases:
            if base.__class__ is ast.Name:
                defined = next((s for s in unit.parsed.tree.body if s.__class__ is ast.ClassDef and s.name == base.id and s is not node), None)  # type: ignore[attr-defined]
                if defined is not None:
                    for field, names in class_validators(unit, defined, depth + 1).items():  # type: ignore[arg-type]
                        found.setdefault(field, []).extend(names)
    prefix = f"{unit.qualname_prefix(node)}.{node.name}"
    for statement in node.body:
        if statement.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
            continue
        for decorator in statement.decorator_list:  # type: ignore[attr-defined]
            if decorator.__class__ is ast.Call and _last_name(unit, decorator.func) in VALIDATOR_DECORATORS:  # type: ignore[attr-defined]
                name = f"{prefix}.{statement.name}"  # type: ignore[attr-defined]
                for names in found.values():  # (overridden)
                    names[:] = [known for known in names if known.rsplit(".", 1)[-1] != statement.name]  # type: ignore[attr-defined]
                for field in decorator.args:  # type: ignore[attr-defined]
                    if isinstance(field, ast.Constant) and isinstance(field.value, str):
                        found.setdefault(field.value, []).append(name)
    return found


def validator_names(unit: "FileFlow", annotation: ast.expr | None, field: str, declared: dict[str, list[str]]) -> list[str]:
    """The functions validating the field ``field`` (annotated ``annotation``), in the order pydantic
    runs them: those of its ``Annotated`` metadata (an imported alias's entry standing for its
    own, see ``alias_entries``), then the class's validator methods."""
    return [*_annotated_validators(unit, annotation, 0), *declared.get(EVERY_FIELD, ()), *declared.get(field, ())]


def _annotated_validators(unit: "FileFlow", annotation: ast.expr | None, depth: int) -> list[str]:
    """``Annotated[T, AfterValidator(f), ...]``: those of ``T`` (pydantic flattens nested
    ``Annotated``), then ``f``...; ``Optional[T]``, ``T | None``: those of ``T``; a name the module
    binds once to a subscript (a local alias): those of that subscript; a name imported from
    another module: the entry of that module telling its validators, if it is an alias."""
    if annotation is None or depth > _MAX_ALIASES:
        return []
    cls = annotation.__class__
    if cls is ast.Subscript:
        wrapper = unit.qualname(annotation.value)  # type: ignore[attr-defined]
        inner = annotation.slice  # type: ignore[attr-defined]
        if wrapper in _OPTIONAL:
            return _annotated_validators(unit, inner, depth + 1)
        if wrapper not in _ANNOTATED or inner.__class__ is not ast.Tuple:
            return []
        names = _annotated_validators(unit, inner.elts[0], depth + 1)
        for element in inner.elts[1:]:
            if element.__class__ is ast.Call and element.args and _last_name(unit, element.func) in VALIDATOR_MARKERS:  # type: ignore[attr-defined]
                name = unit.qualname(element.args[0])  # type: ignore[attr-defined]
                if name is not None:
                    names.append(name)
        return names
    if cls is ast.BinOp and annotation.op.__class__ is ast.BitOr:  # type: ignore[attr-defined]
        left, right = annotation.left, annotation.right  # type: ignore[attr-defined]
        return _annotated_validators(unit, left if _is_none(right) else right if _is_none(left) else None, depth + 1)
    if cls is ast.Name:
        bound = unit.facts.scopes.collector(unit.parsed.tree).bindings.get(annotation.id)  # type: ignore[attr-defined]
        if bound is not None and len(bound) == 1 and bound[0].__class__ is ast.Subscript:
            return _annotated_validators(unit, bound[0], depth + 1)
    if cls in (ast.Name, ast.Attribute):
        name = unit.qualname(annotation)
        if (name is not None and "." in name and not name.startswith(f"{unit.module_name}.")
                and name.partition(".")[0] not in _NOT_ALIASES):
            return [alias_entry_name(name)]  # (maybe an alias of another module: run_validators asks)
    return []


def _is_none(node: ast.expr) -> bool:
    return node.__class__ is ast.Constant and node.value is None  # type: ignore[attr-defined]


def alias_entry_name(alias: str) -> str:
    return f"{alias}.{ALIAS_ENTRY}"


def alias_entries(unit: "FileFlow") -> dict[str, list[str]]:
    """The ``<module>.<Alias>.<validators>`` entries of a module importing pydantic (each, the
    qualified names of its validators; dependencies.py exports them as summaries): one for each
    name it binds once, at module level, to an ``Annotated[...]`` running validators (``Slug =
    Annotated[str, AfterValidator(_slug)]``, also ``Slug: TypeAlias = ...``), naming them, so
    that a model of another module importing the alias runs them on its field. (From the
    syntax alone: which entries a file has depends on its content only.)"""
    if not may_validate(unit):
        return {}
    bindings = unit.facts.scopes.collector(unit.parsed.tree).bindings
    entries = {}
    for statement in unit.parsed.tree.body:
        cls = statement.__class__
        target = statement.targets[0] if cls is ast.Assign and len(statement.targets) == 1 else statement.target if cls is ast.AnnAssign else None  # type: ignore[attr-defined]
        value = statement.value if target is not None else None  # type: ignore[attr-defined]
        if target.__class__ is not ast.Name or value.__class__ is not ast.Subscript or len(bindings.get(target.id, ())) != 1:  # type: ignore[union-attr]
            continue
        names = _annotated_validators(unit, value, 0)
        if names:
            name = alias_entry_name(f"{unit.module_name}.{target.id}")  # type: ignore[union-attr]
            entries[name] = names
    return entries


def run_validators(unit: "FileFlow", value: Taint, names: list[str], depth: int = 0, raw: Taint | None = None) -> Taint:
    """``value`` once the validators ``names`` have run on it: what each one's summary returns for
    it (a validator not known, or returning nothing of its value, leaves it as it was; an alias's
    entry, those it names in their turn). (``raw``: the field's value as the request gives it,
    whose kind the model's other fields have.)"""
    raw = value if raw is None else raw
    table = unit.summaries
    quiet, table.quiet = table.quiet, False  # (what it returns matters, not only its sources)
    try:
        for name in names:
            summary = table.get(name)
            if summary is None:
                continue
            if name.endswith(ALIAS_ENTRY):
                if depth < _MAX_ALIASES:
                    value = run_validators(unit, value, summary.params, depth + 1, raw)
            else:
                index = 1 if summary.is_method else 0
                value = _returned_for(value, summary.returns.whole(), index, _data_parameters(summary.params, index), raw)
    finally:
        table.quiet = quiet
    return value


def _data_parameters(params: list[str], index: int) -> dict[int, str]:
    """The parameters of a validator (its value at ``index``) that hold the model's other fields,
    by index: pydantic 2's ``info`` (the parameter after the value: a ``ValidationInfo``, whose
    ``.data`` holds the fields validated before this one) and pydantic 1's ``values`` (by name:
    pydantic 1 passes ``values``, ``config``, ``field`` by name). (``info.field_name`` and
    ``info.context`` are read as its data too: a validator rarely returns them.)"""
    found = {position: name for position, name in enumerate(params) if name == "values" and position > index}
    if index + 1 < len(params) and params[index + 1] not in _NOT_DATA_PARAMETERS:
        found[index + 1] = params[index + 1]
    return found


_NOT_DATA_PARAMETERS = frozenset({"config", "field", "handler"})  # (pydantic 1's; ``mode="wrap"``'s handler)


def _returned_for(value: Taint, returned: Taint, index: int, data: dict[int, str], raw: Taint) -> Taint:
    """What a function returning ``returned`` (its parameter ``index`` standing for its argument;
    those of ``data``, for the model's other fields: request values of ``raw``'s kind) returns
    for ``value``."""
    if not returned.origins:
        return returned if returned.__class__ is Proven else value  # (proven: a check, a conversion, a constant)
    result = None
    for origin in returned.origins:
        if origin.param is None:
            result = join(result, Taint(frozenset((origin,))))  # (data of its own)
        elif origin.param == index:
            passed = value.sanitize(origin.sanitized) if origin.sanitized else value
            if len(origin.steps) > 1:  # (the validator's ``return v``: the evidence shows the value went through it)
                passed = passed.with_step(origin.steps[-1])
            result = join(result, passed)
        elif origin.param in data:
            result = join(result, _other_fields(raw, origin, data[origin.param]))
    if result is None:
        return value  # (only other parameters: ``info.field_name``, ``config``...)
    return result.proved(returned.cwes) if returned.__class__ is Proven else result  # type: ignore[attr-defined]


def _other_fields(raw: Taint, origin: Origin, name: str) -> Taint:
    """The model's other fields, as the validator's parameter ``name`` (``origin``: its way to
    the validator's return) holds them: request values of the kind of ``raw``'s (the body's),
    unchecked, at the parameter's line."""
    found = set()
    first = origin.steps[0] if origin.steps else None
    for own in raw.whole().origins:
        if own.param is not None or first is None:
            continue
        what = "`info.data`" if name != "values" else "`values`"
        step = replace(first, note=f"parameter `{name}`: the model's other fields ({what}): {own.description} (untrusted)")
        found.add(Origin(own.description, own.confidence, (step, *origin.steps[1:]), kind=own.kind))
    return Taint(frozenset(found)) if found else CLEAN


def may_validate(unit: "FileFlow") -> bool:
    """Does the file import pydantic (or Django Ninja, whose schemas are pydantic models)?"""
    return not unit.imported_packages.isdisjoint(_VALIDATING_PACKAGES)


def validator_functions(unit: "FileFlow") -> list[tuple[str | None, str]]:
    """The module's validators as (class qualified name or None, function name): methods with a
    validator decorator, functions named in ``AfterValidator(...)``. Analysed before the other
    functions (FileFlow._callees_first): a body model's field holds what they return."""
    known = unit.__dict__.get("_validator_functions")
    if known is not None:
        return known
    found: list[tuple[str | None, str]] = []
    if may_validate(unit):
        for node, _ in unit.facts.nodes:
            if node.__class__ is ast.Call and node.args and node.args[0].__class__ is ast.Name and _last_name(unit, node.func) in VALIDATOR_MARKERS:  # type: ignore[attr-defined]
                found.append((None, node.args[0].id))  # type: ignore[attr-defined]
            elif node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and any(
                    d.__class__ is ast.Call and _last_name(unit, d.func) in VALIDATOR_DECORATORS for d in node.decorator_list):  # type: ignore[attr-defined]
                found.append((unit.class_of_method.get(id(node)), node.name))  # type: ignore[attr-defined]
    unit.__dict__["_validator_functions"] = found
    return found


def _last_name(unit: "FileFlow", func: ast.expr) -> str | None:
    name = unit.qualname(func)
    return name.rsplit(".", 1)[-1] if name is not None else None
