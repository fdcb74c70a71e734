"""Django model objects made from the request (models/sanitizers.py has the tables).

``article = form.save(); return redirect(article)`` sends the browser to
``article.get_absolute_url()``, a path of the site's own routes: not the text the client typed
into the form, though the object was made from it. Such an object is marked (MODEL_OBJECT) and
safe as a redirect target (CWE-601); everything else it carries stays as it was. What is read from
it -- a field (``article.website``), a method's result (``article.link()``) -- is the client's text
again: the mark and its proof are dropped there (``read_from_model_object``).

Only in a file that imports Django (or DRF): elsewhere ``x.save()`` says nothing of the kind.
"""
from __future__ import annotations

import ast
from dataclasses import replace

from secreview.dataflow.values import Taint, distinct
from secreview.models.sanitizers import (
    MANAGER_CREATING_METHODS, MODEL_MANAGER_ATTRIBUTE, MODEL_OBJECT, MODEL_OBJECT_CWES, MODEL_SAVING_METHODS, MODEL_URL_CWES,
    MODEL_URL_METHODS,
)

MODEL_OBJECT_METHODS = MODEL_SAVING_METHODS | MANAGER_CREATING_METHODS | MODEL_URL_METHODS  # (the one test on the hot path)


def model_object_call(func: ast.expr, method: str, positional: list, made: Taint) -> Taint | None:
    """What an unknown call of ``method`` (one of MODEL_OBJECT_METHODS) gives, ``made`` being what
    it would carry as any unknown call: a saved or created model object (marked), an object's URL
    (a path of the site), or None when the call is neither."""
    if method in MODEL_URL_METHODS:
        return made.proved(MODEL_URL_CWES)
    if method in MODEL_SAVING_METHODS:
        is_object = not positional  # (``storage.save(name, content)``: the name it saved under)
    else:  # (``Article.objects.create(...)``, not another receiver's ``create``)
        manager = func.value  # type: ignore[attr-defined]
        is_object = manager.__class__ is ast.Attribute and manager.attr == MODEL_MANAGER_ATTRIBUTE
    if not is_object:
        return None
    return model_object(made)


def model_object(value: Taint) -> Taint:
    """``value`` as a model object made from what it carries (marked MODEL_OBJECT)."""
    return value.sanitize(MODEL_OBJECT_CWES) if value.origins else value


def read_from_model_object(value: Taint) -> Taint:
    """A field or a method's result read from ``value``, a marked model object (the caller tested
    it): the client's data it was made from again, without the mark and the CWE-601 proof it gave."""
    origins = value.origins
    if value.__class__ is not Taint:
        return value
    return Taint(distinct([replace(o, sanitized=o.sanitized - MODEL_OBJECT_CWES) if MODEL_OBJECT in o.sanitized else o
                           for o in origins]))
