"""pydantic validators: functions pydantic runs on a field's value while it builds the model, whose
result is what the field holds.

- ``@field_validator("name", ...)`` (pydantic 2) and ``@validator("name", ...)`` (pydantic 1)
  methods of the model or of a base class of the module (``"*"``: every field);
- ``Annotated[str, AfterValidator(check)]`` (also ``BeforeValidator``, ``PlainValidator``; also
  through a module-level alias ``Slug = Annotated[...]``) on the field.

Which functions validate a field is read from the syntax (``validator_names``, when the model's
generated ``__init__`` is made: parameters.generated_constructor keeps them on the field); what the
field then holds is what the function's summary says it returns for the value it is given
(``run_validators``), as any call of it would: a value that passed an allow-list or a regex check
before ``return v`` is proven safe (``if not re.fullmatch(P, v): raise ValueError``), a
conversion (``return int(v)``) or a sanitizer (``return os.path.basename(v)``) too, while a
validator that only logs or checks the length returns the value as it was. A validator that
``mode="wrap"`` makes (``WrapValidator``) returns what pydantic's handler makes of the value: not
modelled, the value stays as it was.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.dataflow.values import Proven, Taint, join
from secreview.models.sources import VALIDATOR_DECORATORS, VALIDATOR_MARKERS

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

EVERY_FIELD = "*"
_MAX_BASES = 5
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
    runs them: those of its ``Annotated`` metadata, then the class's validator methods."""
    names = []
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
        for element in annotation.slice.elts[1:]:
            if element.__class__ is ast.Call and element.args and _last_name(unit, element.func) in VALIDATOR_MARKERS:  # type: ignore[attr-defined]
                name = unit.qualname(element.args[0])  # type: ignore[attr-defined]
                if name is not None:
                    names.append(name)
    return [*names, *declared.get(EVERY_FIELD, ()), *declared.get(field, ())]


def run_validators(unit: "FileFlow", value: Taint, names: list[str]) -> Taint:
    """``value`` once the validators ``names`` have run on it: what each one's summary returns for
    it (a validator not known, or returning nothing of its value, leaves it as it was)."""
    table = unit.summaries
    quiet, table.quiet = table.quiet, False  # (what it returns matters, not only its sources)
    try:
        for name in names:
            summary = table.get(name)
            if summary is not None:
                value = _returned_for(value, summary.returns.whole(), 1 if summary.is_method else 0)
    finally:
        table.quiet = quiet
    return value


def _returned_for(value: Taint, returned: Taint, index: int) -> Taint:
    """What a function returning ``returned`` (its parameter ``index`` standing for its argument)
    returns for ``value``."""
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
    if result is None:
        return value  # (only other parameters: ``info``, ``values``)
    return result.proved(returned.cwes) if returned.__class__ is Proven else result  # type: ignore[attr-defined]


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
