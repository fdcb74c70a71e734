"""pydantic validators: functions pydantic runs on a field's value while it builds the model, whose
result is what the field holds.

- ``@field_validator("name", ...)`` (pydantic 2) and ``@validator("name", ...)`` (pydantic 1)
  methods of the model or of a base class of the module (``"*"``: every field); the model
  validators of these classes, for each field they use;
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
validator that only logs or checks the length returns the value as it was. A validator's ``info``
(``info.data``) or pydantic 1 ``values`` parameter holds the model's other fields: what it
returns of them is the body's text (``_data_parameters``).

Validators whose function is not what the field holds are *read* (``_read``): a copy of the
function, rewritten for one field, analysed as any function of the module (see "readings"
below): a wrap validator (``WrapValidator(f)`` of a function of the module, ``@field_validator(...,
mode="wrap")``), whose ``handler(v)`` gives ``v`` back; a model validator
(``@model_validator(mode="after")`` through ``self.name``, ``mode="before"``/``"wrap"`` and
pydantic 1's ``@root_validator`` through the input dict, ``data["name"]``), which runs before or
after the fields' own validators. A model deriving from a model of another module runs its own
validators on the fields it inherits (``validated_inherited``).
"""
from __future__ import annotations

import ast
import copy
from dataclasses import replace
from typing import TYPE_CHECKING

from secreview.dataflow.values import CLEAN, Origin, Proven, Taint, join
from secreview.models.sources import (MODEL_VALIDATOR_DECORATORS, VALIDATOR_DECORATORS, VALIDATOR_MARKERS,
                                      WRAP_VALIDATOR_MARKERS)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

EVERY_FIELD = "*"
BEFORE, AFTER = "<before>", "<after>"  # ``class_validators`` keys (BEFORE, field): a model validator's reading of it
ALIAS_ENTRY = "<validators>"  # ``api.types.Slug.<validators>``: its ``params`` are the validators' qualified names
_MAX_BASES = 5
_MAX_ALIASES = 3  # an alias of an alias... followed this deep
_NOT_ALIASES = frozenset({"pydantic", "ninja", "typing", "typing_extensions", "datetime", "decimal", "uuid", "enum", "pathlib"})
_ANNOTATED = frozenset({"Annotated", "typing.Annotated", "typing_extensions.Annotated"})
_OPTIONAL = frozenset({"Optional", "typing.Optional"})
_VALIDATING_PACKAGES = frozenset({"pydantic", "ninja"})  # module classes followed for inherited validators


def class_validators(unit: "FileFlow", node: ast.ClassDef, depth: int = 0) -> dict:
    """field -> the qualified names of the methods validating it (``EVERY_FIELD``: all fields), of
    ``node`` and of its bases of the module (a method of the class replaces a base's of its name);
    (BEFORE, field), (AFTER, field) -> the readings of the field of the model validators running
    before or after the fields' own (see ``_model_reading``). A ``mode="wrap"`` method is
    named by its reading (``_wrap_reading``), or not at all when it is not read."""
    found: dict = {}
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
            call = decorator.__class__ is ast.Call
            last = _last_name(unit, decorator.func if call else decorator)  # type: ignore[attr-defined]
            if last in VALIDATOR_DECORATORS and call:
                name = f"{prefix}.{statement.name}"  # type: ignore[attr-defined]
                _overridden(found, statement.name)  # type: ignore[attr-defined]
                if _keyword(decorator, "mode") == "wrap":
                    name = _wrap_reading(unit, name, statement, True)  # type: ignore[arg-type]
                    if name is None:
                        break
                for field in decorator.args:  # type: ignore[attr-defined]
                    if isinstance(field, ast.Constant) and isinstance(field.value, str):
                        found.setdefault(field.value, []).append(name)
            elif last in MODEL_VALIDATOR_DECORATORS:
                _overridden(found, statement.name)  # type: ignore[attr-defined]
                for key, name in _model_readings(unit, prefix, statement, decorator if call else None, last):  # type: ignore[arg-type]
                    found.setdefault(key, []).append(name)
    return found


def _overridden(found: dict, method: str) -> None:
    """A method of the class replaces the validators of its name its bases had."""
    for names in found.values():
        names[:] = [known for known in names if known.rsplit(".", 1)[-1].partition("<")[0] != method]


def _keyword(call: ast.Call | None, name: str) -> object:
    """The constant given to a decorator's keyword ``name`` (None: not a constant, or not given)."""
    for keyword in call.keywords if call is not None else ():
        if keyword.arg == name:
            return keyword.value.value if keyword.value.__class__ is ast.Constant else None  # type: ignore[attr-defined]
    return None


def validator_names(unit: "FileFlow", annotation: ast.expr | None, field: str, declared: dict[str, list[str]]) -> list[str]:
    """The functions validating the field ``field`` (annotated ``annotation``), in the order pydantic
    runs them: those of its ``Annotated`` metadata (an imported alias's entry standing for its
    own, see ``alias_entries``), then the class's validator methods."""
    return [*declared.get((BEFORE, field), ()), *_annotated_validators(unit, annotation, 0), *declared.get(EVERY_FIELD, ()),
            *declared.get(field, ()), *declared.get((AFTER, field), ())]


def validated_inherited(unit: "FileFlow", node: ast.ClassDef | None, inherited: dict) -> dict:
    """The fields a model inherits from a model of another module (``inherited``: what that
    module's entry tells they hold, by name), once the validators the model adds run on them
    (``@field_validator("name")`` of the subclass on an inherited ``name``, ``"*"``, a model
    validator reading it)."""
    if node is None or not inherited or not may_validate(unit):
        return inherited
    declared = class_validators(unit, node)
    if not declared:
        return inherited
    validated = {}
    for name, value in inherited.items():
        names = validator_names(unit, None, name, declared) if name[:1] != "<" else None
        validated[name] = run_validators(unit, value, names) if names else value
    return validated


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
            if element.__class__ is not ast.Call or not element.args:
                continue
            marker = _last_name(unit, element.func)  # type: ignore[attr-defined]
            if marker in VALIDATOR_MARKERS:
                name = unit.qualname(element.args[0])  # type: ignore[attr-defined]
                if name is not None:
                    names.append(name)
            elif marker in WRAP_VALIDATOR_MARKERS and element.args[0].__class__ is ast.Name:  # type: ignore[attr-defined]
                function = _module_function(unit, element.args[0].id)  # type: ignore[attr-defined]
                reading = _wrap_reading(unit, f"{unit.module_name}.{function.name}", function, False) if function else None
                if reading is not None:
                    names.append(reading)
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
    entry, those it names in their turn; a reading of the module, what its function returns,
    see ``_read``). (``raw``: the field's value as the request gives it, whose kind the model's
    other fields have.)"""
    raw = value if raw is None else raw
    table = unit.summaries
    readings = unit.__dict__.get(_READINGS)
    quiet, table.quiet = table.quiet, False  # (what it returns matters, not only its sources)
    try:
        for name in names:
            reading = readings.get(name) if readings else None
            if reading is not None:
                value = _read(unit, value, reading, raw)
                continue
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
    by index, each with what it is (for the evidence): pydantic 2's ``info`` (the parameter after
    the value: a ``ValidationInfo``, whose ``.data`` holds the fields validated before this one)
    and pydantic 1's ``values`` (by name: pydantic 1 passes ``values``, ``config``, ``field`` by
    name). (``info.field_name`` and ``info.context`` are read as its data too: a validator rarely
    returns them.)"""
    found = {position: "`values`" for position, name in enumerate(params) if name == "values" and position > index}
    if index + 1 < len(params) and params[index + 1] not in _NOT_DATA_PARAMETERS:
        found[index + 1] = "`values`" if params[index + 1] == "values" else "`info.data`"
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


def _other_fields(raw: Taint, origin: Origin, what: str) -> Taint:
    """The model's other fields, as the validator's parameter holding them (``what`` they are:
    ``info.data``, ``values``, ``self``...; ``origin``: its way to the validator's return)
    holds them: request values of the kind of ``raw``'s (the body's), unchecked, at the
    parameter's line."""
    found = set()
    first = origin.steps[0] if origin.steps else None
    for own in raw.whole().origins:
        if own.param is not None or first is None:
            continue
        name = first.note.partition("`")[2].partition("`")[0] or what
        step = replace(first, note=f"parameter `{name}`: the model's other fields ({what}): {own.description} (untrusted)")
        found.add(Origin(own.description, own.confidence, (step, *origin.steps[1:]), kind=own.kind))
    return Taint(frozenset(found)) if found else CLEAN


# ---- readings: a validator's function rewritten for one field, analysed as any function ----------
#
# A model validator checks or changes the fields through ``self`` (``mode="after"``: ``if self.name
# not in ALLOWED: raise ValueError``) or through the dict of the model's input (``mode="before"``,
# pydantic 1's ``@root_validator``: ``data["name"]``, ``data.get("name")``); a wrap validator
# hands its value to pydantic's ``handler``. What a field holds once it ran is what a copy of its
# function returns in which the field is a parameter of its own (``self.name`` -> ``self.name``,
# one name), the rest of ``self`` (or of the dict) the model's other fields, and ``return self``
# (``return data``) returns the field: the analysis of that copy (``_read``) tells it as a
# validator's summary would (a check, a conversion, another field's text...). A function using
# ``self`` or the dict otherwise (handing it to a function, ``data.pop(...)``, ``data = {...}``,
# ``return {...}``), or the handler otherwise than ``handler(x)``, is not read: the field stays as
# it was (nothing proven). Fall-off: ``mode="after"`` keeps the instance; a dict validator
# returning None has pydantic reject the input.

_READINGS = "_validator_readings"  # ``unit.__dict__`` key: reading name -> (copy, function, data parameters)
_DICT_READS = frozenset({"get", "keys", "values", "items", "copy"})  # methods of the input dict read, not changing it
_DICT_FUNCTIONS = frozenset({"isinstance", "len", "dict", "list", "sorted", "set", "tuple", "bool"})  # nor these


def _model_readings(unit: "FileFlow", prefix: str, function: ast.FunctionDef, decorator: ast.Call | None,
                    last: str) -> list[tuple[tuple[str, str], str]]:
    """The readings of a model validator (``((BEFORE or AFTER, field), reading name)``), one per
    field it uses; none when its function is not read (see above). (``mode="wrap"``: read as a
    dict validator with ``handler(data)`` as ``data``.)"""
    decorators = {_last_name(unit, d.func if d.__class__ is ast.Call else d) for d in function.decorator_list}  # type: ignore[attr-defined]
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if last == "model_validator":  # (``mode="wrap"``: a dict validator whose ``handler(data)`` is read as ``data``)
        mode = _keyword(decorator, "mode")
        when = AFTER if mode == "after" else BEFORE if mode in ("before", "wrap") else None
        on_self = mode == "after"
        if mode == "wrap":
            function = _without_handler(function, params[2] if len(params) > 2 else None)  # type: ignore[assignment]
            if function is None:
                return []
    else:  # pydantic 1: ``@root_validator(pre=True)`` before the fields' validators, else after
        when, on_self = (BEFORE if _keyword(decorator, "pre") is True else AFTER), False
    if when is None:
        return []
    if on_self:
        holder = params[0] if params and "classmethod" not in decorators and "staticmethod" not in decorators else None
    else:
        holder = params[0] if "staticmethod" in decorators and params else params[1] if len(params) > 1 else None
    fields = _fields_read(function, holder, on_self) if holder is not None else None
    found = []
    for field in fields or ():
        name = f"{prefix}.{function.name}<{'self' if on_self else holder}.{field}>"
        readings = unit.__dict__.setdefault(_READINGS, {})
        if name not in readings:
            readings[name] = (_model_copy(function, holder, field, on_self), function, {1: f"`{holder}`"})  # type: ignore[arg-type]
        found.append(((when, field), name))
    return found


def _fields_read(function: ast.FunctionDef, holder: str, on_self: bool) -> list[str] | None:
    """The fields a model validator reads or sets through ``holder`` (``self.name``;
    ``data["name"]``, ``data.get("name")``), in order; None when it uses ``holder`` in another
    way (see above), or a dict validator returns anything but ``holder``."""
    fields: dict[str, None] = {}
    for parent in _walk_body(function):
        if not on_self and parent.__class__ is ast.Return and not (parent.value is not None and _named(parent.value, holder)):  # type: ignore[attr-defined]
            return None
        for child in ast.iter_child_nodes(parent):
            if not _named(child, holder):
                continue
            if child.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                return None  # (bound again)
            field = _field_use(parent, child, on_self)
            if field is None:
                return None
            if field:
                fields[field] = None
        if parent.__class__ is ast.Call:
            func = parent.func  # type: ignore[attr-defined]
            if on_self and func.__class__ is ast.Attribute and _named(func.value, holder):
                return None  # (``self.rename()``: a method may set any field)
            if not on_self and parent.args and _field_get(parent, holder):  # type: ignore[attr-defined]
                fields[parent.args[0].value] = None  # type: ignore[attr-defined]
    return list(fields)


def _named(node: ast.AST, name: str) -> bool:
    return node.__class__ is ast.Name and node.id == name  # type: ignore[attr-defined]


def _field_get(call: ast.Call, holder: str) -> bool:
    """``holder.get("<a field>", ...)``."""
    func = call.func
    return (func.__class__ is ast.Attribute and func.attr == "get" and _named(func.value, holder)  # type: ignore[attr-defined]
            and bool(call.args) and call.args[0].__class__ is ast.Constant and isinstance(call.args[0].value, str))  # type: ignore[attr-defined]


def _field_use(parent: ast.AST, holder: ast.Name, on_self: bool) -> str | None:
    """How ``parent`` uses the model validator's ``holder``: the field it reads or sets, "" for a
    use that neither reads a field nor changes one (``return self``, ``isinstance(data, dict)``,
    ``"name" in data``, ``data[key]``...), None for any other."""
    cls = parent.__class__
    if cls is ast.Return:
        return ""
    if on_self:  # (``self.__dict__``: any field)
        return parent.attr if cls is ast.Attribute and parent.ctx.__class__ is not ast.Del and parent.attr[:2] != "__" else None  # type: ignore[attr-defined]
    if cls is ast.Subscript and parent.value is holder:  # type: ignore[attr-defined]
        key = parent.slice  # type: ignore[attr-defined]
        if key.__class__ is ast.Constant and isinstance(key.value, str) and parent.ctx.__class__ is not ast.Del:  # type: ignore[attr-defined]
            return key.value  # type: ignore[attr-defined]
        return "" if parent.ctx.__class__ is ast.Load else None  # type: ignore[attr-defined]  (``data[key] = ...``: any field)
    if cls is ast.Attribute and parent.attr in _DICT_READS:  # type: ignore[attr-defined]
        return ""  # (``data.get("name")``: a field, see _field_get)
    if cls is ast.Call and parent.func.__class__ is ast.Name and parent.func.id in _DICT_FUNCTIONS:  # type: ignore[attr-defined]
        return ""
    if cls is ast.Compare or (cls in (ast.For, ast.comprehension) and parent.iter is holder):  # type: ignore[attr-defined]
        return ""
    return None


def _walk_body(function: ast.FunctionDef):
    """The nodes of a function's body (its statements and everything in them)."""
    for statement in function.body:
        yield from ast.walk(statement)


def _model_copy(function: ast.FunctionDef, holder: str, field: str, on_self: bool) -> ast.FunctionDef:
    """The model validator ``function`` as a function of the field ``field`` (its first
    parameter) and of the rest of the model (``holder``, its second), see above."""
    name = f"{holder}.{field}" if on_self else f'{holder}["{field}"]'
    rewrite = _DictField(holder, field, name, on_self, _aliases(function, holder, field, on_self))
    body = [rewrite.visit(copy.deepcopy(statement)) for statement in function.body]
    if on_self:
        body.append(ast.copy_location(ast.Return(value=ast.Name(id=name, ctx=ast.Load())), function.body[-1]))  # (the instance kept)
    return _function_copy(function, [name, holder], body)


def _function_copy(function: ast.FunctionDef, params: list[str], body: list[ast.stmt]) -> ast.FunctionDef:
    args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=p, lineno=function.lineno, col_offset=function.col_offset) for p in params],
                         vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    copied = ast.FunctionDef(name=function.name, args=args, body=body, decorator_list=[], returns=None, type_params=[])
    ast.copy_location(copied, function)
    ast.fix_missing_locations(copied)
    return copied


def _aliases(function: ast.FunctionDef, holder: str, field: str, on_self: bool) -> frozenset[str]:
    """The local names standing for the field all along (``region = data.get("region")``, then
    ``if region not in REGIONS: raise``): each bound once in the function, by a statement of its
    body to the field, which the function never sets."""
    def reads_field(node: ast.AST) -> bool:
        if on_self:
            return node.__class__ is ast.Attribute and _named(node.value, holder) and node.attr == field  # type: ignore[attr-defined]
        if node.__class__ is ast.Subscript:
            key = node.slice  # type: ignore[attr-defined]
            return _named(node.value, holder) and key.__class__ is ast.Constant and key.value == field  # type: ignore[attr-defined]
        return node.__class__ is ast.Call and _field_get(node, holder) and node.args[0].value == field  # type: ignore[attr-defined]

    candidates = {statement.targets[0].id for statement in function.body  # type: ignore[attr-defined]
                  if statement.__class__ is ast.Assign and len(statement.targets) == 1  # type: ignore[attr-defined]
                  and statement.targets[0].__class__ is ast.Name and reads_field(statement.value)}  # type: ignore[attr-defined]
    if not candidates:
        return frozenset()
    bound: dict[str, int] = {}
    for node in _walk_body(function):
        cls = node.__class__
        if cls is ast.Name and node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
            bound[node.id] = bound.get(node.id, 0) + 1  # type: ignore[attr-defined]
        elif cls in (ast.Global, ast.Nonlocal):
            candidates -= set(node.names)  # type: ignore[attr-defined]
        elif cls in (ast.ExceptHandler, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom):
            names = [a.asname or a.name for a in node.names] if cls in (ast.Import, ast.ImportFrom) else [node.name]  # type: ignore[attr-defined]
            candidates -= set(names)
        elif cls in (ast.Attribute, ast.Subscript) and node.ctx.__class__ is not ast.Load and reads_field(node):  # type: ignore[attr-defined]
            return frozenset()  # (the field set again: the name keeps what it held before)
    return frozenset(name for name in candidates if bound.get(name) == 1)


class _DictField(ast.NodeTransformer):
    """``self.<field>`` / ``data["<field>"]``, ``data.get("<field>")``, a local name standing for it
    -> the field's own name;
    ``return self`` (every return, after) / ``return data`` -> the field; ``isinstance(data, dict)``
    and ``"<field>" in data`` -> True (the body's JSON object; a field missing from it gets its
    default)."""

    def __init__(self, holder: str, field: str, name: str, on_self: bool, aliases: frozenset[str] = frozenset()) -> None:
        self.holder, self.field, self.name, self.on_self, self.aliases = holder, field, name, on_self, aliases

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.aliases and node.ctx.__class__ is ast.Load:
            return self._field(node, node.ctx)  # (a local name standing for the field, see _aliases)
        return node

    def _is_holder(self, node: ast.AST) -> bool:
        return node.__class__ is ast.Name and node.id == self.holder  # type: ignore[attr-defined]

    def _field(self, node: ast.AST, ctx: ast.expr_context) -> ast.Name:
        return ast.copy_location(ast.Name(id=self.name, ctx=ctx), node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if self.on_self and self._is_holder(node.value) and node.attr == self.field:
            return self._field(node, node.ctx)
        return self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        key = node.slice
        if not self.on_self and self._is_holder(node.value) and key.__class__ is ast.Constant and key.value == self.field:  # type: ignore[attr-defined]
            return self._field(node, node.ctx)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if not self.on_self and _field_get(node, self.holder) and node.args[0].value == self.field:  # type: ignore[attr-defined]
            return self._field(node, ast.Load())
        if (not self.on_self and func.__class__ is ast.Name and func.id == "isinstance" and node.args  # type: ignore[attr-defined]
                and self._is_holder(node.args[0])):
            return ast.copy_location(ast.Constant(value=True), node)
        return self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        if (not self.on_self and len(node.ops) == 1 and node.ops[0].__class__ in (ast.In, ast.NotIn)
                and self._is_holder(node.comparators[0]) and node.left.__class__ is ast.Constant and node.left.value == self.field):  # type: ignore[attr-defined]
            return ast.copy_location(ast.Constant(value=node.ops[0].__class__ is ast.In), node)
        return self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        """``"name" in data and not data["name"].isalnum()``: the test of the field alone."""
        node = self.generic_visit(node)  # type: ignore[assignment]
        if node.op.__class__ is ast.And:
            kept = [value for value in node.values if not (value.__class__ is ast.Constant and value.value is True)]  # type: ignore[attr-defined]
            if len(kept) < len(node.values):
                return kept[0] if len(kept) == 1 else ast.copy_location(ast.Constant(value=True), node) if not kept else ast.copy_location(ast.BoolOp(op=node.op, values=kept), node)
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        if self.on_self or (node.value is not None and self._is_holder(node.value)):
            return ast.copy_location(ast.Return(value=self._field(node, ast.Load())), node)
        return self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.AST) -> ast.AST:
        return node  # (a nested function's body is its own)

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef


def _wrap_reading(unit: "FileFlow", name: str, function: ast.FunctionDef, method: bool) -> str | None:
    """The reading of a wrap validator (``WrapValidator(f)``, ``@field_validator(..., mode="wrap")``):
    its function with ``handler(x)`` read as ``x`` (pydantic's own validation of a ``str`` gives
    it back); None when it uses the handler otherwise (see above)."""
    decorators = {_last_name(unit, d.func if d.__class__ is ast.Call else d) for d in function.decorator_list}  # type: ignore[attr-defined]
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if method and "staticmethod" not in decorators:
        params = params[1:]
    reading = f"{name}<wrap>"
    readings = unit.__dict__.setdefault(_READINGS, {})
    if reading not in readings:
        copied = _without_handler(function, params[1] if len(params) > 1 else None)
        if copied is None:
            return None
        data = {position: "`info.data`" for position, param in enumerate(params) if position > 1 and param not in _NOT_DATA_PARAMETERS}
        readings[reading] = (_function_copy(function, params, copied.body), function, data)
    return reading


def _without_handler(function: ast.FunctionDef, handler: str | None) -> ast.FunctionDef | None:
    """A copy of a wrap validator's ``function`` in which each ``handler(x)`` is ``x``; None when
    it uses ``handler`` otherwise (or has none)."""
    if handler is None:
        return None
    for parent in _walk_body(function):
        for child in ast.iter_child_nodes(parent):
            if _named(child, handler) and not (
                    parent.__class__ is ast.Call and parent.func is child and len(parent.args) == 1 and not parent.keywords):  # type: ignore[attr-defined]
                return None
    copied = copy.copy(function)
    copied.body = [_HandlerCall(handler).visit(copy.deepcopy(statement)) for statement in function.body]
    return copied


class _HandlerCall(ast.NodeTransformer):
    """``handler(x)`` -> ``x``."""

    def __init__(self, handler: str) -> None:
        self.handler = handler

    def visit_Call(self, node: ast.Call) -> ast.AST:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if node.func.__class__ is ast.Name and node.func.id == self.handler and len(node.args) == 1:  # type: ignore[attr-defined]
            return node.args[0]
        return node


def _read(unit: "FileFlow", value: Taint, reading: tuple, raw: Taint) -> Taint:
    """``value`` once a reading's function (see above) ran on it: what the analysis of its copy
    (its first parameter the value) returns. The copy is analysed apart: what it calls is not a
    call of the project, its values are no expression of the file."""
    copied, function, data = reading
    returned = _analysed(unit, copied, function)
    if returned is None:
        return value  # (never returns: rejects every input, or not read)
    return _returned_for(value, returned.whole(), 0, data, raw)


def _analysed(unit: "FileFlow", copied: ast.FunctionDef, function: ast.FunctionDef) -> Taint | None:
    """What the copy ``copied`` of ``function`` returns (None: it never returns)."""
    from secreview.dataflow.analyzer import FunctionAnalysis  # (it imports this module)

    calls, nested = len(unit.call_sites), len(unit.nested)
    try:
        analysis = FunctionAnalysis(unit, copied, unit.function_qualname(function), unit._globals_for.get(id(function), {})).run()
    finally:
        del unit.call_sites[calls:]
        del unit.nested[nested:]
    return analysis.returns


def reading_entries(unit: "FileFlow", names: list[str]) -> dict:
    """The readings among an alias's validators ``names`` (``Kind = Annotated[str,
    WrapValidator(known_kind)]``) as summaries, which a model of another module importing the
    alias runs as any validator's (see run_validators; dependencies.py exports them)."""
    from secreview.dataflow.analyzer import FunctionSummary  # (it imports this module)

    readings = unit.__dict__.get(_READINGS) or {}
    found = {}
    for name in names:
        reading = readings.get(name)
        if reading is not None:
            returned = _analysed(unit, reading[0], reading[1])
            found[name] = FunctionSummary(name, [arg.arg for arg in reading[0].args.args], CLEAN if returned is None else returned)
    return found


def _module_function(unit: "FileFlow", name: str) -> ast.FunctionDef | None:
    """The module-level ``def name`` of the file, if it binds ``name`` once."""
    found = [s for s in unit.parsed.tree.body if s.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and s.name == name]  # type: ignore[attr-defined]
    return found[0] if len(found) == 1 else None  # type: ignore[return-value]


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
            if node.__class__ is ast.Call and node.args and node.args[0].__class__ is ast.Name and _last_name(unit, node.func) in _MARKERS:  # type: ignore[attr-defined]
                found.append((None, node.args[0].id))  # type: ignore[attr-defined]
            elif node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and any(
                    _last_name(unit, d.func if d.__class__ is ast.Call else d) in _DECORATORS for d in node.decorator_list):  # type: ignore[attr-defined]
                found.append((unit.class_of_method.get(id(node)), node.name))  # type: ignore[attr-defined]
    unit.__dict__["_validator_functions"] = found
    return found


_MARKERS = VALIDATOR_MARKERS | WRAP_VALIDATOR_MARKERS
_DECORATORS = VALIDATOR_DECORATORS | MODEL_VALIDATOR_DECORATORS


def _last_name(unit: "FileFlow", func: ast.expr) -> str | None:
    name = unit.qualname(func)
    return name.rsplit(".", 1)[-1] if name is not None else None
