"""Django forms: what a form class's declared fields tell ``form.cleaned_data``.

``count = forms.IntegerField()`` makes ``form.cleaned_data["count"]`` an int once the form is
valid (``cleaned_data`` holds only the fields that passed), and ``fmt = forms.ChoiceField(choices=...)``
one of the server's choices: neither carries the request's text, which a ``CharField`` does.
A form is usually declared in ``forms.py`` and used in ``views.py``, so:

- a file declaring form classes exports, among its own summaries, an entry ``<Form>.<form fields>``
  for each class declaring fields of ``django.forms``: the fields Django converts (or validates
  against a pattern), each with the weaknesses its value still allows, as routes.py encodes a
  route's parameters (only the fields the class itself declares: a base class's or a
  ``ModelForm``'s generated ones are not known);
- the analysis of a view asks the project for the entry of the form's class (an ordinary
  question, so the view's review depends on the forms file as on any function it calls): the form
  is ``form = ContactForm(request.POST)`` in the function, or the ``form_class`` of the form view
  whose ``form_valid(self, form)`` is analysed.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.routes import _decoded, _encoded, _pattern_value
from secreview.models.sources import DJANGO_CONVERTING_FORM_FIELDS, DJANGO_PATTERN_FORM_FIELDS

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

FORM_FIELDS_ENTRY = "<form fields>"  # ``app.forms.ContactForm.<form fields>``
_FORMS_MODULE = "django.forms."
_FIELD_NAMES = DJANGO_CONVERTING_FORM_FIELDS | frozenset(DJANGO_PATTERN_FORM_FIELDS)


def form_entries(unit: "FileFlow") -> dict[str, FunctionSummary]:
    """The ``<Form>.<form fields>`` entries of the module-level classes of a file importing
    ``django.forms``; nothing for any other file (the cheap test first)."""
    imports = unit.facts.imports
    modules = imports.imported_modules  # (``from django import forms``: "django", and an alias)
    if "django.forms" not in modules and not ("django" in modules and "django.forms" in imports.aliases.values()) \
            and not any(module.startswith(_FORMS_MODULE) for module in modules):
        return {}
    entries = {}
    for node in unit.parsed.tree.body:
        if node.__class__ is not ast.ClassDef:
            continue
        fields = _declared_fields(unit, node)
        if fields:
            name = f"{unit.module_name}.{node.name}.{FORM_FIELDS_ENTRY}"
            entries[name] = FunctionSummary(name, _encoded(fields))
    return entries


def _declared_fields(unit: "FileFlow", node: ast.ClassDef) -> dict[str, frozenset[int]]:
    """``name = forms.IntegerField(...)`` in the class body: the converted fields and the CWEs
    each still allows (a field declared twice: the last declaration)."""
    fields: dict[str, frozenset[int] | None] = {}
    for statement in node.body:
        if statement.__class__ is not ast.Assign or len(statement.targets) != 1:
            continue
        target, value = statement.targets[0], statement.value
        if target.__class__ is not ast.Name:
            continue
        fields[target.id] = _field_value(unit, value)
    return {name: value for name, value in fields.items() if value is not None}


def _field_value(unit: "FileFlow", value: ast.expr) -> frozenset[int] | None:
    if value.__class__ is not ast.Call:
        return None
    func = value.func
    last = func.attr if func.__class__ is ast.Attribute else func.id if func.__class__ is ast.Name else None
    if last not in _FIELD_NAMES:
        return None
    qualname = unit.qualname(func) or ""
    if not qualname.startswith(_FORMS_MODULE):
        return None
    if last in DJANGO_CONVERTING_FORM_FIELDS:
        return frozenset()
    return _pattern_value(DJANGO_PATTERN_FORM_FIELDS[last])


def entry_name(form_class: str) -> str:
    return f"{form_class}.{FORM_FIELDS_ENTRY}"


def decoded(entry: FunctionSummary | None) -> dict[str, frozenset[int]]:
    return _decoded(entry) if entry is not None else {}
