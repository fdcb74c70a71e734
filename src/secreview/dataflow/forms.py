"""Django forms and DRF serializers: what a class's declared fields and validators tell
``form.cleaned_data`` / ``serializer.validated_data``.

``count = forms.IntegerField()`` makes ``form.cleaned_data["count"]`` an int once the form is
valid (``cleaned_data`` holds only the fields that passed), and ``fmt = forms.ChoiceField(choices=...)``
one of the server's choices: neither carries the request's text, which a ``CharField`` does. A
Django REST framework serializer is read the same way: ``warehouse_id = serializers.IntegerField()``
makes ``serializer.validated_data["warehouse_id"]`` an int (DRF fills ``validated_data`` only with
what passed: before ``is_valid()`` reading it raises, after a failed one it is empty). What each
field class gives is a table of models/sources.py (DJANGO_*_FORM_FIELDS, DRF_*_SERIALIZER_FIELDS).
A field's value is also checked by:

- its ``validators=[RegexValidator(r"^[a-z0-9_-]+$")]`` (a ``re.search`` of the pattern: proves
  what an anchored pattern of safe characters proves, as ``re.search`` in a guard would), its
  pattern (``RegexField(r"...")``), Django's ``validate_slug``...; the value passed all of them;
- the class's validating method of the field, whose result is what the field then holds: a
  serializer's ``validate_<field>(self, value)`` (what its summary returns for ``value``: a value
  that passed ``if not re.fullmatch(P, value): raise ValidationError(...)`` is proven, one only
  logged is not), a form's ``clean_<field>(self)``, which reads ``self.cleaned_data["<field>"]``:
  read as a copy of the method in which that value is a parameter (see validators.py's readings).

A form or serializer is usually declared in ``forms.py`` / ``serializers.py`` and used in
``views.py``, so:

- a file importing ``django.forms`` or ``rest_framework`` exports, among its own summaries, an
  entry ``<Class>.<form fields>`` for each module-level class declaring such fields or
  validating methods, or deriving from a class of the project (only the syntax: a ``ModelForm``'s
  or ``ModelSerializer``'s generated fields are not known, their validating methods are): the
  fields converted or matched against a pattern, each with the weaknesses its value still allows,
  as routes.py encodes a route's parameters (``name:88 918``, ``name!``: untrusted); the
  validating method of a field (``name>app.forms.F.clean_name<clean>``); the class's bases of
  the project (``^app.forms.BaseForm``), whose entries tell the fields the class does not
  declare again;
- the analysis of a view asks the project for the entry of the form's class (an ordinary
  question, so the view's review depends on the forms file as on any function it calls) and for
  its validating methods' summaries: the form is ``form = ContactForm(request.POST)`` /
  ``ser = JobSerializer(data=request.data)`` in the function, or the ``form_class`` of the form
  view whose ``form_valid(self, form)`` is analysed.
"""
from __future__ import annotations

import ast
import copy
import sys
from typing import TYPE_CHECKING

from secreview.dataflow.analyzer import _NOT_A_CHECK, FunctionSummary, _pattern_proves, _rule_cwes, fold
from secreview.dataflow.routes import _encoded, _pattern_value
from secreview.dataflow.validators import _READINGS, _model_copy, reading_entries, run_validators
from secreview.dataflow.values import PROVEN, Taint
from secreview.models.sources import (DJANGO_CONVERTING_FORM_FIELDS, DJANGO_PATTERN_FORM_FIELDS, DRF_CHILD_FIELDS,
                                      DRF_CONVERTING_SERIALIZER_FIELDS, DRF_PATTERN_SERIALIZER_FIELDS,
                                      PATTERN_ARGUMENT_FIELDS, PATTERN_VALIDATORS, REGEX_VALIDATOR_CLASSES)

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

FORM_FIELDS_ENTRY = "<form fields>"  # ``app.forms.ContactForm.<form fields>``
CLEAN_READING = "<clean>"  # ``app.forms.ContactForm.clean_name<clean>``: a form's clean_<field>, read
_FORMS_MODULE = "django.forms."
_DRF_MODULE = "rest_framework."
# Each framework's field classes by the module prefix of their qualified name: (converting, pattern).
_FRAMEWORK_FIELDS = {
    _FORMS_MODULE: (DJANGO_CONVERTING_FORM_FIELDS, DJANGO_PATTERN_FORM_FIELDS),
    _DRF_MODULE: (DRF_CONVERTING_SERIALIZER_FIELDS, DRF_PATTERN_SERIALIZER_FIELDS),
}
_FIELD_NAMES = (DJANGO_CONVERTING_FORM_FIELDS | frozenset(DJANGO_PATTERN_FORM_FIELDS) | DRF_CONVERTING_SERIALIZER_FIELDS
                | frozenset(DRF_PATTERN_SERIALIZER_FIELDS) | DRF_CHILD_FIELDS | PATTERN_ARGUMENT_FIELDS)
_LIBRARY_PREFIXES = ("django.", "rest_framework.")  # (bases that are no project class; the standard library's neither)
_MAX_BASES = 5  # a class's bases followed this deep
_UNTRUSTED = None  # a field's value: the request's text
_ALL = "*"  # a class attribute that is no field; a field the class does not declare

Allowed = frozenset[int] | None  # the CWEs a field's value still allows (empty: none); None: untrusted


# ---- the declaring module's side ----------------------------------------------------------------
def form_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<Class>.<form fields>`` entries of the module-level classes of a file importing
    ``django.forms`` or ``rest_framework``; nothing for any other file (the cheap test first)."""
    if not _imports_framework(unit):
        return {}
    entries = {}
    classes = frozenset(node.name for node in unit.parsed.tree.body if node.__class__ is ast.ClassDef)
    hooks = _hooks(unit)
    for node in unit.parsed.tree.body:
        if node.__class__ is not ast.ClassDef:
            continue
        items = _class_items(unit, node, classes, hooks)
        if items:
            name = entry_name(f"{unit.module_name}.{node.name}")
            entries[name] = FunctionSummary(name, items)
    return entries


def _imports_framework(unit: "FileFlow") -> bool:
    return "rest_framework" in unit.imported_packages or _imports_forms(unit)


def _imports_forms(unit: "FileFlow") -> bool:
    imports = unit.facts.imports
    modules = imports.imported_modules  # (``from django import forms``: "django", and an alias)
    if "django.forms" in modules:
        return True
    return ("django" in modules and "django.forms" in imports.aliases.values()) or any(m.startswith(_FORMS_MODULE) for m in modules)


def _class_items(unit: "FileFlow", node: ast.ClassDef, classes: frozenset[str], hooks: tuple[bool, bool]) -> list[str]:
    """A class's entry ``params``: its bases of the project, its fields, its validating methods
    (``hooks``: which kinds, see _validated_field)."""
    fields: dict[str, Allowed | str] = {}
    validators: dict[str, str] = {}
    prefix = f"{unit.module_name}.{node.name}"
    for statement in node.body:
        cls = statement.__class__
        if cls is ast.Assign and len(statement.targets) == 1 and statement.targets[0].__class__ is ast.Name:
            fields[statement.targets[0].id] = _field_value(unit, statement.value)  # (declared twice: the last)
        elif cls is ast.FunctionDef:
            field = _validated_field(statement, hooks)
            if field is not None:
                validators[field] = f"{prefix}.{statement.name}{CLEAN_READING if statement.name[:6] == 'clean_' else ''}"
    bases = [f"^{base}" for base in _project_bases(unit, node, classes)]
    known = {name: value for name, value in fields.items() if value is not _ALL}
    if not validators and not bases and all(value is _UNTRUSTED for value in known.values()):
        return []  # (nothing the request's text loses)
    return [*bases, *_encoded(known), *(f"{field}>{name}" for field, name in sorted(validators.items()))]


def _project_bases(unit: "FileFlow", node: ast.ClassDef, classes: frozenset[str]) -> list[str]:
    """The qualified names of the bases of a class that may be the project's: a class of the
    module, a class imported from a module that is no library's of _LIBRARY_PREFIXES."""
    found = []
    for base in node.bases:
        name = unit.qualname(base)
        if name is None:
            continue
        if "." not in name:
            if name in classes:
                found.append(f"{unit.module_name}.{name}")
        elif not name.startswith(_LIBRARY_PREFIXES) and name.partition(".")[0] not in sys.stdlib_module_names:
            found.append(name)
    return found


def _hooks(unit: "FileFlow") -> tuple[bool, bool]:
    """Which validating methods the classes of the file may have: (a serializer's, a form's)."""
    return "rest_framework" in unit.imported_packages, _imports_forms(unit)


def _validated_field(function: ast.FunctionDef, hooks: tuple[bool, bool]) -> str | None:
    """The field a method validates: a serializer's ``validate_<field>(self, value)``, a form's
    ``clean_<field>(self)`` (``hooks``: which of them the file's classes may have)."""
    name, count = function.name, len(function.args.args)
    if name[:9] == "validate_" and count == 2 and len(name) > 9 and hooks[0]:
        return name[9:]
    if name[:6] == "clean_" and count == 1 and len(name) > 6 and hooks[1]:
        return name[6:]
    return None


def _field_value(unit: "FileFlow", value: ast.expr) -> Allowed | str:
    """What a class attribute bound to ``value`` tells its field: the CWEs its validated value
    still allows (empty: none; None: untrusted); ``_ALL`` when it is no field (a constant, a
    call of no ``...Field`` class)."""
    if value.__class__ is not ast.Call:
        return _ALL
    func = value.func
    last = func.attr if func.__class__ is ast.Attribute else func.id if func.__class__ is ast.Name else None
    if last is None or (last[-5:] != "Field" and last[-10:] != "Serializer" and last not in _FIELD_NAMES):
        return _ALL  # (no field class, no nested serializer: ``Media(...)``, ``_("...")``)
    qualname = unit.qualname(func) or ""
    framework = next((module for module in _FRAMEWORK_FIELDS if qualname.startswith(module)), None)
    if framework is None:
        return _UNTRUSTED  # (a field class of the project's, of another library: not known)
    converting, patterns = _FRAMEWORK_FIELDS[framework]
    if last in converting:
        return frozenset()
    allowed: Allowed = _pattern_value(patterns[last]) if last in patterns else _UNTRUSTED
    if last in DRF_CHILD_FIELDS and framework == _DRF_MODULE:
        child = _keyword(value, "child")
        allowed = _field_value(unit, child) if child is not None else _UNTRUSTED  # type: ignore[assignment]
        allowed = _UNTRUSTED if allowed is _ALL else allowed
    elif last in PATTERN_ARGUMENT_FIELDS:
        pattern = value.args[0] if value.args else _keyword(value, "regex")
        allowed = _searched(unit, pattern, None) if pattern is not None else _UNTRUSTED
    for validator in _listed(_keyword(value, "validators")):
        allowed = _both(allowed, _validator_value(unit, validator))
    return allowed


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _listed(node: ast.expr | None) -> list[ast.expr]:
    return node.elts if node.__class__ in (ast.List, ast.Tuple) else []  # type: ignore[union-attr]


def _both(first: Allowed, second: Allowed) -> Allowed:
    """A value that passed both checks still allows only what both allow."""
    return second if first is _UNTRUSTED else first if second is _UNTRUSTED else first & second


def _validator_value(unit: "FileFlow", validator: ast.expr) -> Allowed:
    """What a value that passed ``validator`` still allows: a ``RegexValidator(P, flags=...)`` (not
    ``inverse_match``), a validator of a fixed pattern (``validate_slug``); else untrusted."""
    if validator.__class__ is not ast.Call:
        name = unit.qualname(validator)
        if name in PATTERN_VALIDATORS:
            return _searched(unit, ast.Constant(PATTERN_VALIDATORS[name]), None)
        bound = _bound_call(unit, validator)  # (``slug_only = RegexValidator(...)`` of the module)
        return _validator_value(unit, bound) if bound is not None else _UNTRUSTED
    if unit.qualname(validator.func) not in REGEX_VALIDATOR_CLASSES:  # type: ignore[attr-defined]
        return _UNTRUSTED
    inverse = validator.args[3] if len(validator.args) > 3 else _keyword(validator, "inverse_match")  # type: ignore[attr-defined, arg-type]
    if inverse is not None and not (inverse.__class__ is ast.Constant and not inverse.value):  # type: ignore[attr-defined]
        return _UNTRUSTED
    pattern = validator.args[0] if validator.args else _keyword(validator, "regex")  # type: ignore[attr-defined, arg-type]
    flags = validator.args[4] if len(validator.args) > 4 else _keyword(validator, "flags")  # type: ignore[attr-defined, arg-type]
    return _searched(unit, pattern, flags) if pattern is not None else _UNTRUSTED


def _searched(unit: "FileFlow", pattern: ast.expr, flags: ast.expr | None) -> Allowed:
    """What a value in which ``re.search`` found ``pattern`` (a string, or ``re.compile`` of one)
    still allows: what a guard's check proves (anchored at both ends, of safe characters)."""
    pattern = _bound_call(unit, pattern) or pattern  # (``SLUG = re.compile(...)`` of the module)
    if pattern.__class__ is ast.Call and unit.qualname(pattern.func) in ("re.compile", "regex.compile") and pattern.args:  # type: ignore[attr-defined]
        flags = pattern.args[1] if len(pattern.args) > 1 else _keyword(pattern, "flags")  # type: ignore[attr-defined, arg-type]
        pattern = pattern.args[0]  # type: ignore[attr-defined]
    text = fold(pattern, {}, unit.module_constants)
    number = _flags(unit, flags)
    if not isinstance(text, str) or number is None:
        return _UNTRUSTED
    proved = _pattern_proves(text, number, "search")
    if proved is _NOT_A_CHECK:
        return _UNTRUSTED
    return _rule_cwes() - proved if proved else frozenset()


def _bound_call(unit: "FileFlow", node: ast.expr) -> ast.Call | None:
    """The call a name is bound to, when the module binds it once, to that call."""
    if node.__class__ is not ast.Name:
        return None
    bound = unit.facts.scopes.collector(unit.parsed.tree).bindings.get(node.id)  # type: ignore[attr-defined]
    return bound[0] if bound and len(bound) == 1 and bound[0].__class__ is ast.Call else None  # type: ignore[return-value]


def _flags(unit: "FileFlow", node: ast.expr | None) -> int | None:
    """A flags argument's value (``re.I | re.A``, ``0``); None when not known."""
    import re

    if node is None:
        return 0
    if node.__class__ is ast.BinOp and node.op.__class__ is ast.BitOr:  # type: ignore[attr-defined]
        left, right = _flags(unit, node.left), _flags(unit, node.right)  # type: ignore[attr-defined]
        return None if left is None or right is None else left | right
    name = unit.qualname(node) or ""
    module, _, flag = name.rpartition(".")
    value = getattr(re, flag, None) if module in ("re", "regex") else fold(node, {}, unit.module_constants)
    return int(value) if isinstance(value, int) else None


def clean_readings(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The summaries of the readings of the module's ``clean_<field>`` methods its entries name
    (what each returns for the field's value), exported for the views of other modules."""
    names = [item.partition(">")[2] for entry in unit.forms_given.values() for item in entry.params
             if item[0] != "^" and item.endswith(CLEAN_READING)]
    if not names:
        return {}
    _register_readings(unit)
    return reading_entries(unit, names)


def _register_readings(unit: "FileFlow") -> None:
    """Make the module's ``clean_<field>`` methods readings (validators.py's, which ``run_validators``
    analyses when asked): a copy of the method in which ``self.cleaned_data["<field>"]`` (also
    ``.get("<field>")``, a local name bound to it) is its first parameter, the rest of
    ``self.cleaned_data`` its second (the form's other fields)."""
    if unit.__dict__.get("_clean_readings_registered"):
        return
    unit.__dict__["_clean_readings_registered"] = True
    readings = unit.__dict__.setdefault(_READINGS, {})
    for node in unit.parsed.tree.body:
        if node.__class__ is not ast.ClassDef:
            continue
        for statement in node.body:
            if statement.__class__ is ast.FunctionDef and statement.name[:6] == "clean_" and _validated_field(statement, (False, True)):
                name = f"{unit.module_name}.{node.name}.{statement.name}{CLEAN_READING}"
                holder = f"{statement.args.args[0].arg}.cleaned_data"
                function = _CleanedData(statement.args.args[0].arg, holder).visit(copy.deepcopy(statement))
                readings[name] = (_model_copy(function, holder, statement.name[6:], False), statement, {1: f"`{holder}`"})


class _CleanedData(ast.NodeTransformer):
    """``self.cleaned_data`` -> one name (``self.cleaned_data``), the holder of a reading."""

    def __init__(self, self_name: str, holder: str) -> None:
        self.self_name, self.holder = self_name, holder

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if node.attr == "cleaned_data" and node.value.__class__ is ast.Name and node.value.id == self.self_name:  # type: ignore[attr-defined]
            return ast.copy_location(ast.Name(id=self.holder, ctx=node.ctx), node)
        return self.generic_visit(node)


# ---- the view's side ------------------------------------------------------------------------------
def entry_name(form_class: str) -> str:
    return f"{form_class}.{FORM_FIELDS_ENTRY}"


def decoded(entry: FunctionSummary | None) -> tuple[list[str], dict[str, Allowed], dict[str, str]]:
    """An entry's (bases, fields, validating methods by field)."""
    bases: list[str] = []
    fields: dict[str, Allowed] = {}
    validators: dict[str, str] = {}
    for item in entry.params if entry is not None else ():
        if item[0] == "^":
            bases.append(item[1:])
        elif item[-1] == "!":
            fields[item[:-1]] = _UNTRUSTED
        elif ">" in item:
            field, _, name = item.partition(">")
            validators[field] = name
        else:
            field, _, cwes = item.partition(":")
            fields[field] = frozenset(int(cwe) for cwe in cwes.split())
    return bases, fields, validators


def validated_value(unit: "FileFlow", form_class: str, field: str, value: Taint) -> Taint:
    """``value``, the request's value of ``field`` of an instance of ``form_class``, once the
    form (serializer) validated it: converted or checked by its field class, then what its
    validating method returns for it."""
    allowed, validator = _field_of(unit, form_class, field, 0)
    if allowed is not _UNTRUSTED and allowed is not _ALL:
        value = value.proved(_rule_cwes() - allowed) if allowed else PROVEN  # type: ignore[operator]
    if validator is not None:
        if validator.endswith(CLEAN_READING) and validator.startswith(f"{unit.module_name}."):
            _register_readings(unit)  # (a form of this module: its reading, analysed when asked)
        value = run_validators(unit, value, [validator])
    return value


def _field_of(unit: "FileFlow", form_class: str, field: str, depth: int) -> tuple[Allowed | str, str | None]:
    """(what the class's ``field`` still allows, the method validating it), from its entry and
    those of its bases (a field or method of the class replaces its bases')."""
    bases, fields, validators = unit.form_fields(form_class)
    allowed: Allowed | str = fields.get(field, _ALL)
    validator = validators.get(field)
    for base in bases if depth < _MAX_BASES and (allowed is _ALL or validator is None) else ():
        inherited, method = _field_of(unit, base, field, depth + 1)
        allowed = inherited if allowed is _ALL else allowed
        validator = method if validator is None else validator
    return allowed, validator
