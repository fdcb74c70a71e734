"""What a web framework passes to a handler's parameter: a request value (and which kind: a query
parameter, a header, the body...), a value it has already converted or validated (an ``int``, a
member of an ``Enum`` or ``Literal``, a path segment matching ``<int:id>``), or an object it
injects (the request object, a dependency). The tables are in models/sources.py; this module reads
a handler's signature and decorators against them, without running anything.
"""
from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from secreview.models.sources import (
    DEPENDENCY_MARKERS, FIELD_CLASS_BASES, FIELD_CLASS_DECORATORS, FRAMEWORK_OBJECT_NAMES, FRAMEWORK_OBJECT_TYPES,
    CONSTRAINED_SCALAR_TYPES, LITESTAR_INJECTED_PARAMETERS, LITESTAR_PROVIDE, LITESTAR_RESERVED_PARAMETERS, LITESTAR_ROUTERS, NOT_FIELD_ANNOTATIONS, NOT_USER_PARAMETERS, PARAMETER_KIND_MARKERS, PARAMETER_MODEL_MARKERS,
    PATTERN_FIELD_MARKERS, PATTERN_TYPES, SCALAR_ANNOTATIONS,
)

from secreview.dataflow.flask_rules import FLASK_MODULES, imported_name, rules_of
from secreview.dataflow.validators import class_validators, may_validate, validator_names

if TYPE_CHECKING:
    from secreview.dataflow import FileFlow

CONVERTED = "converted"  # the framework converted or validated the value: nothing untrusted is left
_FLASK_RULE_VARIABLE = re.compile(r"<(?:([A-Za-z_]\w*)(?:\([^)>]*\))?:)?(\w+)>")
_BOTTLE_RULE_VARIABLE = re.compile(r"<(\w+)(?::(\w*))?(?::[^>]*)?>")
_TEMPLATE_VARIABLE = re.compile(r"\{(\w+)(?::[^}]*)?\}")
# Werkzeug's converters whose value is converted, or one of the rule's own words (``<any(a, b):x>``).
_CONVERTING_RULE_TYPES = frozenset({"int", "float", "uuid", "any"})
_LITERAL = frozenset({"Literal", "typing.Literal", "typing_extensions.Literal"})
_KIND_MARKERS = frozenset(PARAMETER_KIND_MARKERS)
_PATTERN_MARKERS = _KIND_MARKERS | PATTERN_FIELD_MARKERS
_FASTAPI_MARKERS = _KIND_MARKERS | DEPENDENCY_MARKERS
_WRAPPERS = frozenset({"Annotated", "typing.Annotated", "Optional", "typing.Optional"})
_SEQUENCES = frozenset({"list", "set", "frozenset", "tuple", "List", "Set", "FrozenSet", "Tuple", "Sequence",
                        "typing.List", "typing.Set", "typing.FrozenSet", "typing.Tuple", "typing.Sequence"})
_ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})


def parameter_kind(unit: "FileFlow", function: ast.AST, arg: ast.arg, django_view: bool,
                   route: ast.AST | None = None, unmarked: str | None = None, field: bool = False) -> str | None:
    """What the framework passes to ``arg`` of the route or view ``function``: a source
    description ("HTTP query parameter", "HTTP header"...), CONVERTED, or None (not a request
    value: an injected object or dependency). ``route``: the path operation whose path names
    its path parameters, when ``function`` is the ``__init__`` of a dependency class it uses;
    ``unmarked``: the kind of a parameter without a marker of its own, if not the route's (the
    fields of a ``Header()`` parameter model are headers); ``field``: ``arg`` is a field of a
    dataclass or pydantic model (its name says nothing: a body's ``session: str`` is data)."""
    if (arg.arg in NOT_USER_PARAMETERS and not field and not _named_like_request_but_model(unit, function, arg)
            and _marker_kind(unit, function, arg) is None):  # (``session: str = Cookie(...)``: a cookie all the same)
        return None
    if _injected(unit, function, arg):
        return None
    litestar = not field and unit.imports_litestar
    if litestar and (arg.arg in LITESTAR_INJECTED_PARAMETERS or arg.arg in litestar_dependencies(unit, function)):
        return None  # (``state``, ``scope``: Litestar's objects; ``dependencies={"db": Provide(get_db)}``)
    if _converted(unit, function, arg):
        return CONVERTED
    if litestar and arg.arg in LITESTAR_RESERVED_PARAMETERS:
        return LITESTAR_RESERVED_PARAMETERS[arg.arg]  # ``data``: the body, ``headers``...
    if django_view:
        return "URL path parameter"
    rule_variables = _flask_rule_variables(unit, function)
    if rule_variables is not None and arg.arg not in rule_variables:
        if arg is function.args.kwarg and _flask_text_variables(unit, function):  # type: ignore[attr-defined]
            return "URL path parameter"  # ``def view(**kwargs)``: every variable of the rule is in it
        return CONVERTED  # Flask passes only the URL rule's variables: the default (a constant) is used
    marker = _marker_kind(unit, function, arg)
    if marker is not None:
        return marker
    return unmarked or unit.route_parameter_kind(route or function, arg.arg)


def litestar_dependencies(unit: "FileFlow", function: ast.AST) -> dict[str, "ast.expr | str | None"]:
    """The dependencies Litestar computes for a handler (see models LITESTAR_PROVIDE): the keys of
    the ``dependencies={...}`` of its decorators, of its Controller class (and of the classes of
    this file it derives from), of a ``Litestar(...)``/``Router(...)`` of this file, and of one of
    another file registering the handler (or its Controller: see LITESTAR_DEPENDENCIES), each
    with the function (or class) providing it, if named (another file's: by its qualified name);
    parameters so named are not request values."""
    found: dict[str, ast.expr | str | None] = {**_told_litestar_dependencies(unit, function),
                                               **_litestar_file_dependencies(unit).get(id(function), {})}
    for decorator in getattr(function, "decorator_list", ()):
        for keyword in decorator.keywords if decorator.__class__ is ast.Call else ():  # type: ignore[attr-defined]
            if keyword.arg == "dependencies":
                found.update(_provided(unit, keyword.value))
    return found


# ---- Litestar's registrations in other files ----------------------------------------------
# A module-level function of a file importing litestar may be a provider another module names
# (``Provide(deps.get_user)``): Litestar fills its parameters as a handler's. The file exports, for
# each, an entry ``app.deps.get_user.<litestar-parameters>`` listing ``name=kind`` (the request
# value Litestar would give the parameter; CONVERTED_KIND for one it converts, nothing after "="
# for one that is no request value), which a handler of another module depending on it reads
# (see FunctionAnalysis.dependency_value). A ``Litestar(...)``/``Router(...)`` whose
# ``dependencies=`` applies to handlers (or Controllers) of other modules exports, for each, an
# entry ``app.handlers.list_users.<litestar-dependencies>.<routes>`` listing ``key=provider``
# (the provider's qualified name; nothing after "=" when it is not named), which the handler's
# module asks for (a question of the routes to a view, as Flask's registrations elsewhere: see
# flask_rules.ELSEWHERE).
LITESTAR_PARAMETERS = ".<litestar-parameters>"
LITESTAR_DEPENDENCIES = ".<litestar-dependencies>"
CONVERTED_KIND = "<converted>"
_ROUTES_SUFFIX = ".<routes>"  # (routes.ROUTES_ENTRY: what the runner follows)


def litestar_entries(unit: "FileFlow") -> dict:
    """The entries a Litestar file exports for other modules: what its module-level functions
    would be given as providers, and the dependencies it declares for handlers of other modules."""
    from secreview.dataflow.analyzer import FunctionSummary

    entries = {}
    routed = {id(node) for node in unit.parsed.tree.body if unit.is_route(node)} if unit.parsed.tree.body else set()
    for node in unit.parsed.tree.body:
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and id(node) not in routed:
            name = f"{unit.module_name}.{node.name}{LITESTAR_PARAMETERS}"  # type: ignore[attr-defined]
            kinds = []
            for arg in _after_positional(node):
                kind = parameter_kind(unit, node, arg, False)
                kinds.append(f"{arg.arg}={CONVERTED_KIND if kind == CONVERTED else kind or ''}")
            entries[name] = FunctionSummary(name, kinds)
    found: dict[str, set[str]] = {}
    for call in unit.facts.calls():
        name = unit.qualname(call.func)
        if name in LITESTAR_ROUTERS:
            declared = next((k.value for k in call.keywords if k.arg == "dependencies"), None)
            provided = _provided(unit, declared) if declared is not None else {}
            if not provided:
                continue
            items = {f"{key}={_provider_name(unit, provider)}" for key, provider in provided.items()}
            handlers = next((k.value for k in call.keywords if k.arg == "route_handlers"), None)
            if handlers is None and call.args and name.rsplit(".", 1)[-1] == "Litestar":
                handlers = call.args[0]
            for handler in handlers.elts if handlers.__class__ in (ast.List, ast.Tuple) else ():  # type: ignore[union-attr]
                imported = imported_name(unit, handler) if handler.__class__ in (ast.Name, ast.Attribute) else None
                if imported is not None:
                    found.setdefault(f"{imported}{LITESTAR_DEPENDENCIES}{_ROUTES_SUFFIX}", set()).update(items)
    entries.update((name, FunctionSummary(name, sorted(items))) for name, items in sorted(found.items()))
    return entries


def _after_positional(function: ast.AST) -> list[ast.arg]:
    args = function.args  # type: ignore[attr-defined]
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def provider_kinds(entry) -> dict[str, str | None]:
    """A ``<litestar-parameters>`` entry read: parameter -> its kind (CONVERTED_KIND; None: no request value)."""
    found: dict[str, str | None] = {}
    for item in entry.params:
        name, _, kind = item.partition("=")
        found[name] = kind or None
    return found


def _provider_name(unit: "FileFlow", provider: ast.expr | None) -> str:
    """The qualified name of a provider (this module's function: under the module's name)."""
    name = unit.qualname(provider) if provider is not None else None
    if name is None:
        return ""
    return name if "." in name else f"{unit.module_name}.{name}"


def _told_litestar_dependencies(unit: "FileFlow", function: ast.AST) -> dict[str, str | None]:
    """The dependencies another file's ``Litestar(...)``/``Router(...)`` gives the handler
    ``function`` (a module-level function, or a method of a module-level Controller), by
    provider's qualified name (None: not named)."""
    if not unit.module_name:
        return {}
    owner = unit.class_of_method.get(id(function))
    name = owner if owner is not None else unit.function_qualname(function)
    if name.count(".") != unit.module_name.count(".") + 1 or not name.startswith(unit.module_name + "."):
        return {}  # (nested)
    found: dict[str, str | None] = {}
    for item, _ in unit.told_routes(f"{name}{LITESTAR_DEPENDENCIES}"):
        key, _, provider = item.partition("=")
        found[key] = provider or None
    return found


def told_provider(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> str | None:
    """The qualified name of the provider another file's ``Litestar(...)``/``Router(...)`` gives
    the Litestar handler ``function``'s parameter ``arg`` (one its own file does not provide)."""
    provider = litestar_dependencies(unit, function).get(arg.arg) if unit.imports_litestar else None
    return provider if provider.__class__ is str else None


def _litestar_file_dependencies(unit: "FileFlow") -> dict[int, dict[str, ast.expr | None]]:
    """Method node id -> the dependencies its class declares (``dependencies = {...}`` in its body
    or a base class's of this file), and ``FILE_WIDE`` -> those of the file's app and routers."""
    memo = unit.facts.scopes.memo.setdefault("parameters.litestar", {})
    if "dependencies" in memo:
        return memo["dependencies"]
    found: dict[int, dict[str, ast.expr | None]] = {}
    file_wide: dict[str, ast.expr | None] = {}
    for call in unit.facts.calls():
        if unit.qualname(call.func) in LITESTAR_ROUTERS:
            for keyword in call.keywords:
                if keyword.arg == "dependencies":
                    file_wide.update(_provided(unit, keyword.value))
    classes = {node.name: node for node in unit.parsed.tree.body if node.__class__ is ast.ClassDef}
    for node in classes.values():
        declared = dict(file_wide)
        for owner in reversed(_same_file_chain(node, classes)):  # (a subclass's own declarations win)
            for statement in owner.body:
                targets = statement.targets if statement.__class__ is ast.Assign else [statement.target] if statement.__class__ is ast.AnnAssign else []  # type: ignore[attr-defined]
                if any(t.__class__ is ast.Name and t.id == "dependencies" for t in targets) and statement.value is not None:  # type: ignore[attr-defined]
                    declared.update(_provided(unit, statement.value))  # type: ignore[attr-defined]
        for statement in node.body:
            if statement.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
                found[id(statement)] = declared
    for node in unit.parsed.tree.body:
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
            found[id(node)] = file_wide
    memo["dependencies"] = found
    return found


def _same_file_chain(node: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> list[ast.ClassDef]:
    """``node`` and the classes of this file it derives from (by plain name), nearest first."""
    chain = [node]
    for current in chain:
        for base in current.bases:
            if base.__class__ is ast.Name and base.id in classes and classes[base.id] not in chain and len(chain) < 10:  # type: ignore[attr-defined]
                chain.append(classes[base.id])  # type: ignore[attr-defined]
    return chain


def _provided(unit: "FileFlow", value: ast.expr) -> dict[str, ast.expr | None]:
    """``{"db": Provide(get_db), "repo": get_repo}``: key -> the callable providing it (None when
    not a name: a lambda, a value)."""
    if value.__class__ is not ast.Dict:
        return {}
    found: dict[str, ast.expr | None] = {}
    for key, provider in zip(value.keys, value.values):  # type: ignore[attr-defined]
        if key.__class__ is ast.Constant and isinstance(key.value, str):  # type: ignore[union-attr]
            if provider.__class__ is ast.Call and unit.qualname(provider.func) in LITESTAR_PROVIDE:  # type: ignore[attr-defined]
                provider = provider.args[0] if provider.args else next(  # type: ignore[attr-defined]
                    (k.value for k in provider.keywords if k.arg == "dependency"), None)  # type: ignore[attr-defined]
            found[key.value] = provider if provider.__class__ in (ast.Name, ast.Attribute) else None  # type: ignore[union-attr]
    return found


def _named_like_request_but_model(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> bool:
    """``req: ReportRequest`` in a FastAPI (or Ninja) route: a parameter whose name usually holds
    the framework's request object (or a session...), annotated with a pydantic model or
    dataclass: the framework reads it from the body, whatever its name."""
    if unit.body_model_framework is None or arg.annotation is None:
        return False
    annotation = body_model(unit, function, arg)
    name = unit.qualname(annotation) if annotation is not None else None
    return name is not None and "." in name and unit.is_field_class(name)


def parameter_model(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> tuple[ast.expr, str] | None:
    """``filters: Annotated[Filters, Query()]`` (also ``= Header()``...; see models
    PARAMETER_MODEL_MARKERS): the annotation's class, whose fields FastAPI fills from that part
    of the request, and the kind of request value they are. None for any other parameter."""
    declared = _annotation(unit, arg)
    for marker in (_default_of(function, arg), _annotation_metadata(declared, unit, _MODEL_MARKERS) if declared is not None else None):
        if marker is not None and _call_named(marker, unit, _MODEL_MARKERS):
            annotation = _unwrapped(declared, unit)
            name = unit.qualname(marker.func)  # type: ignore[attr-defined]
            if annotation is not None and name is not None:
                return annotation, PARAMETER_KIND_MARKERS[name.rsplit(".", 1)[-1]]
    return None


_MODEL_MARKERS = PARAMETER_MODEL_MARKERS
_BODY_MARKERS = frozenset({"Body"})


def body_model(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> ast.expr | None:
    """``item: Item``, ``item: Item | None = None``, ``Annotated[Item, Body(embed=True)]``: a
    parameter annotated with a class and without a marker (or with ``Body()``): FastAPI reads it
    from the JSON body when the class is a pydantic model or a dataclass (the caller asks). The
    annotation's class, or None for any other parameter."""
    if arg.annotation is None:
        return None
    declared = _annotation(unit, arg)
    default = _default_of(function, arg)
    if isinstance(default, ast.Call) and not _call_named(default, unit, _BODY_MARKERS):
        return None  # (``= Query()``, ``= Depends()``, ``= Field()``...)
    if isinstance(declared, ast.Subscript) and unit.qualname(declared.value) in _ANNOTATED:
        elements = declared.slice.elts if isinstance(declared.slice, ast.Tuple) else []
        if any(isinstance(e, ast.Call) and not _call_named(e, unit, _BODY_MARKERS) for e in elements[1:]):
            return None
    annotation = _unwrapped(declared, unit)
    return annotation if annotation is not None and annotation.__class__ in (ast.Name, ast.Attribute) else None


def field_class_annotation(unit: "FileFlow", arg: ast.arg) -> ast.expr | None:
    """A field's annotation when it names a class (``address: Address``, ``Address | None``,
    ``Annotated[Address, Field(...)]``): maybe a nested model. None for any other annotation."""
    if arg.annotation is None:
        return None
    annotation = _unwrapped(_annotation(unit, arg), unit)
    return annotation if annotation is not None and annotation.__class__ in (ast.Name, ast.Attribute) else None


# ---- injected objects and dependencies -------------------------------------------------------
def _injected(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> bool:
    """``request: Request``, ``db: Session = Depends(get_db)``, ``user = Security(current_user)``,
    ``Annotated[Session, Depends(get_db)]``: the framework's own objects, not the client's data.
    (What a dependency of the project returns may be: see ``dependency``.)"""
    annotation = _annotation(unit, arg)
    if annotation is not None:
        if _annotation_metadata(annotation, unit, DEPENDENCY_MARKERS):
            return True
        base = _unwrapped(annotation, unit)
        name = unit.qualname(base) if base is not None else None
        if name is not None and (name in FRAMEWORK_OBJECT_TYPES or name.rsplit(".", 1)[-1] in FRAMEWORK_OBJECT_NAMES):
            return True
    default = _default_of(function, arg)
    return default is not None and _call_named(default, unit, DEPENDENCY_MARKERS)


def dependency(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> ast.expr | None:
    """The function FastAPI calls for the value of ``arg``: ``current_user`` in ``user: str =
    Depends(current_user)``, ``Security(current_user, scopes=[...])``, ``Annotated[str,
    Depends(current_user)]`` (also through a module-level alias, ``CurrentUser = Annotated[...]``).
    None for anything else (``Depends()`` without a function: a class of the annotation). For a
    Litestar handler: the callable its ``dependencies`` provide ``arg`` with (``Provide(get_db)``)."""
    if unit.imports_litestar:
        provider = litestar_dependencies(unit, function).get(arg.arg)
        if provider is not None:
            return provider if provider.__class__ is not str else None  # (another file's: see told_provider)
    markers = [_default_of(function, arg)]
    annotation = _annotation(unit, arg)
    if annotation is not None:
        markers.append(_annotation_metadata(annotation, unit, DEPENDENCY_MARKERS))
    for marker in markers:
        if marker is not None and _call_named(marker, unit, DEPENDENCY_MARKERS):
            if marker.args:  # type: ignore[attr-defined]
                return marker.args[0]  # type: ignore[attr-defined]
            return next((k.value for k in marker.keywords if k.arg == "dependency"), None)  # type: ignore[attr-defined]
    return None


def dependency_target(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> ast.expr | None:
    """What FastAPI calls for the value of ``arg``, as ``dependency`` finds it, and for a
    ``Depends()``/``Security()`` without one the annotation's class (``f: Filters = Depends()``,
    ``Annotated[Filters, Depends()]``): FastAPI calls the annotation then. None: no dependency."""
    found = dependency(unit, function, arg)
    if found is not None:
        return found
    annotation = _annotation(unit, arg)
    if (annotation is not None and _annotation_metadata(annotation, unit, DEPENDENCY_MARKERS)) or _call_named(
            _default_of(function, arg), unit, DEPENDENCY_MARKERS):
        return _unwrapped(annotation, unit)
    return None


def dependency_class_names(unit: "FileFlow", function: ast.AST) -> list[str]:
    """The names ``function``'s parameters give FastAPI to call (``Depends(Filters)``, the
    annotation of ``Depends()``), when they are plain names: those of the module's classes are
    constructed before ``function`` runs (see FileFlow._callees_first)."""
    args = function.args  # type: ignore[attr-defined]
    found = []
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if arg.annotation is not None or _default_of(function, arg) is not None:
            target = dependency_target(unit, function, arg)
            if target.__class__ is ast.Name:
                found.append(target.id)  # type: ignore[union-attr]
    return found


def generated_constructor(unit: "FileFlow", node: ast.ClassDef | None, inherits_fields: bool = False) -> ast.FunctionDef | None:
    """The ``__init__`` a dataclass or a pydantic model (see models FIELD_CLASS_*) has: one
    keyword-only parameter per field (those of the module's own base classes first), annotated
    and defaulted as the field, at the field's line. None for any other class, and for one that
    defines its own ``__init__`` (which a dataclass keeps). (``node`` None: the ``__init__`` of a
    class without one, which takes nothing. ``inherits_fields``: the class derives from another
    module's model, see ``imported_bases``: the fields it declares itself.)"""
    if node is not None and any(s.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and s.name == "__init__" for s in node.body):  # type: ignore[attr-defined]
        return None
    fields = _declared_fields(unit, node, 0, inherits_fields) if node is not None else []
    if fields is None:
        return None
    parameters, defaults = [], []
    declared = class_validators(unit, node) if node is not None and may_validate(unit) else None
    for field in fields:
        parameter = ast.arg(arg=field.target.id, annotation=field.annotation,  # type: ignore[attr-defined]
                            lineno=field.lineno, col_offset=field.col_offset)
        if declared is not None:  # (pydantic runs them on the value: see validators.py)
            parameter.validators = validator_names(unit, _annotation(unit, parameter), parameter.arg, declared)  # type: ignore[attr-defined]
        parameters.append(parameter)
        defaults.append(field.value)
    signature = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=parameters, kw_defaults=defaults,
                              kwarg=None, defaults=[])
    return ast.FunctionDef(name="__init__", args=signature, body=[], decorator_list=[], returns=None)


_MAX_FIELD_BASES = 5  # module classes followed for inherited fields
EXTRA_FIELDS = "<extra>"  # (what a model allowing undeclared fields keeps of them)


def allows_extra_fields(unit: "FileFlow", node: ast.ClassDef, depth: int = 0) -> bool:
    """A pydantic model that keeps the undeclared keys it is given (``extra="allow"``: in
    ``model_config = ConfigDict(...)`` or a dict, a class keyword, pydantic 1's ``class Config:
    extra = "allow"`` or ``Extra.allow``), itself or through a base class of the module."""
    for keyword in node.keywords:
        if keyword.arg == "extra" and _allows(keyword.value):
            return True
    for statement in node.body:
        if statement.__class__ is ast.Assign and any(t.__class__ is ast.Name and t.id == "model_config" for t in statement.targets):  # type: ignore[attr-defined]
            value = statement.value  # type: ignore[attr-defined]
            pairs = (zip(value.keys, value.values) if value.__class__ is ast.Dict else
                     ((ast.Constant(k.arg), k.value) for k in value.keywords) if value.__class__ is ast.Call else ())
            if any(isinstance(key, ast.Constant) and key.value == "extra" and _allows(item) for key, item in pairs):
                return True
        elif statement.__class__ is ast.ClassDef and statement.name == "Config":  # type: ignore[attr-defined]
            for inner in statement.body:  # type: ignore[attr-defined]
                if inner.__class__ is ast.Assign and any(t.__class__ is ast.Name and t.id == "extra" for t in inner.targets) and _allows(inner.value):  # type: ignore[attr-defined]
                    return True
    if depth < _MAX_FIELD_BASES:
        for base in node.bases:
            if base.__class__ is ast.Name:
                defined = next((s for s in unit.parsed.tree.body if s.__class__ is ast.ClassDef and s.name == base.id and s is not node), None)  # type: ignore[attr-defined]
                if defined is not None and allows_extra_fields(unit, defined, depth + 1):  # type: ignore[arg-type]
                    return True
    return False


def _allows(value: ast.expr) -> bool:
    """``"allow"``, ``Extra.allow``."""
    return (isinstance(value, ast.Constant) and value.value == "allow") or (isinstance(value, ast.Attribute) and value.attr == "allow")


def imported_bases(unit: "FileFlow", node: ast.ClassDef) -> list[str]:
    """The qualified names of ``node``'s bases imported from another module (``class
    Order(BaseOrder)`` after ``from shop.base import BaseOrder``), but pydantic's own: maybe models
    of the project, whose fields it inherits (their module's entry tells, see dependencies.py)."""
    found = []
    for base in node.bases:
        name = unit.qualname(base)
        if name is not None and "." in name and name not in FIELD_CLASS_BASES and not name.startswith(f"{unit.module_name}."):
            found.append(name)
    return found


def _declared_fields(unit: "FileFlow", node: ast.ClassDef, depth: int, declares: bool = False) -> list[ast.AnnAssign] | None:
    """The fields of a field-declaring class (see ``generated_constructor``), else None."""
    local_bases = []
    declares = declares or any(unit.qualname(d.func if isinstance(d, ast.Call) else d) in FIELD_CLASS_DECORATORS for d in node.decorator_list)
    for base in node.bases:
        declares = declares or unit.qualname(base) in FIELD_CLASS_BASES
        if base.__class__ is ast.Name and depth < _MAX_FIELD_BASES:
            defined = next((s for s in unit.parsed.tree.body if s.__class__ is ast.ClassDef and s.name == base.id  # type: ignore[attr-defined]
                            and s is not node), None)
            inherited = _declared_fields(unit, defined, depth + 1) if defined is not None else None
            if inherited is not None:
                declares = True
                local_bases.extend(inherited)
    if not declares:
        return None
    fields = {field.target.id: field for field in local_bases}  # type: ignore[attr-defined]
    for statement in node.body:
        if (statement.__class__ is ast.AnnAssign and statement.target.__class__ is ast.Name and statement.simple  # type: ignore[attr-defined]
                and not statement.target.id.startswith("_") and not _not_a_field(unit, statement)):  # type: ignore[attr-defined]
            fields.pop(statement.target.id, None)  # type: ignore[attr-defined]
            fields[statement.target.id] = statement  # type: ignore[attr-defined]
    return list(fields.values())


def _not_a_field(unit: "FileFlow", statement: ast.AnnAssign) -> bool:
    """``x: ClassVar[int]``, ``x: str = field(init=False)``: an attribute that is not a
    parameter of the generated ``__init__``."""
    annotation = statement.annotation
    container = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if unit.qualname(container) in NOT_FIELD_ANNOTATIONS:
        return True
    value = statement.value
    return isinstance(value, ast.Call) and any(
        keyword.arg == "init" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False for keyword in value.keywords)


def dependency_functions(unit: "FileFlow") -> frozenset[int]:
    """The functions of a FastAPI module (node ids) that FastAPI calls to compute a dependency,
    filling their parameters from the request as it fills a route's: those the module names in
    ``Depends(...)``/``Security(...)``, and those whose parameters are declared with FastAPI's
    markers (``token: str = Header()``, ``Annotated[str, Query()]``, ``= Depends(...)``: only
    FastAPI calls a function so declared -- which is how a dependency of another module is known
    as one)."""
    if unit.imports_litestar:
        return _litestar_providers(unit)
    if not unit.facts.imports.imports_module("fastapi"):
        return frozenset()
    functions = {node.name: node for node in unit.parsed.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not functions:
        return frozenset()
    found = set()
    for node, _ in unit.facts.nodes:
        if node.__class__ is ast.Call and node.args and node.args[0].__class__ is ast.Name and node.args[0].id in functions:
            if _call_named(node, unit, DEPENDENCY_MARKERS):
                found.add(id(functions[node.args[0].id]))
    for function in functions.values():
        if id(function) not in found and _declares_fastapi_parameters(unit, function):
            found.add(id(function))
    return frozenset(found)


def _litestar_providers(unit: "FileFlow") -> frozenset[int]:
    """The functions of a Litestar module that a ``Provide(...)`` of the file names: Litestar
    fills their parameters from the request as a handler's. (Those another file names: see
    LITESTAR_PARAMETERS.)"""
    functions = {node.name: node for node in unit.parsed.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(id(functions[node.args[0].id]) for node in unit.facts.calls()
                     if node.args and node.args[0].__class__ is ast.Name and node.args[0].id in functions  # type: ignore[attr-defined]
                     and unit.qualname(node.func) in LITESTAR_PROVIDE)


def _declares_fastapi_parameters(unit: "FileFlow", function: ast.AST) -> bool:
    args = function.args  # type: ignore[attr-defined]
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        declared = _annotation(unit, arg)
        for marker in (_default_of(function, arg), _annotation_metadata(declared, unit, _FASTAPI_MARKERS) if declared is not None else None):
            if isinstance(marker, ast.Call) and (unit.qualname(marker.func) or "").startswith("fastapi.") and _call_named(marker, unit, _FASTAPI_MARKERS):
                return True
    return False


def _annotation(unit: "FileFlow", arg: ast.arg) -> ast.expr | None:
    """``arg``'s annotation; for a name the module binds once to ``Annotated[...]``
    (``CurrentUser = Annotated[str, Depends(current_user)]``), that subscript."""
    annotation = arg.annotation
    if annotation.__class__ is ast.Name:
        bound = unit.facts.scopes.collector(unit.parsed.tree).bindings.get(annotation.id)  # type: ignore[union-attr]
        if bound is not None and len(bound) == 1 and isinstance(bound[0], ast.Subscript):
            return bound[0]
    return annotation


def _default_of(function: ast.AST, arg: ast.arg) -> ast.expr | None:
    """The default value of ``arg`` (positional or keyword-only), or None."""
    args = function.args  # type: ignore[attr-defined]
    positional = [*args.posonlyargs, *args.args]
    if arg in positional:
        index = positional.index(arg) - (len(positional) - len(args.defaults))
        return args.defaults[index] if index >= 0 else None
    if arg in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(arg)]
    return None


def _call_named(node: ast.expr, unit: "FileFlow", names: frozenset[str]) -> bool:
    """``Depends(...)``, ``fastapi.Depends(...)``: a call whose function's last name is one of ``names``."""
    if not isinstance(node, ast.Call):
        return False
    name = unit.qualname(node.func)
    return name is not None and name.rsplit(".", 1)[-1] in names


_ANNOTATED = frozenset({"Annotated", "typing.Annotated", "typing_extensions.Annotated"})


def _annotation_metadata(annotation: ast.expr, unit: "FileFlow", names: frozenset[str]) -> ast.Call | None:
    """The first ``Annotated[T, Marker(...)]`` metadata call named in ``names``, else None."""
    if isinstance(annotation, ast.Subscript) and unit.qualname(annotation.value) in _ANNOTATED:
        elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        for element in elements[1:]:
            if _call_named(element, unit, names):
                return element  # type: ignore[return-value]
    return None


def _unwrapped(annotation: ast.expr | None, unit: "FileFlow") -> ast.expr | None:
    """``Annotated[T, ...]``, ``Optional[T]``, ``T | None`` -> ``T``."""
    while annotation is not None:
        if isinstance(annotation, ast.Subscript) and unit.qualname(annotation.value) in _WRAPPERS:
            inner = annotation.slice
            annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        elif isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            annotation = annotation.right if _is_none(annotation.left) else annotation.left if _is_none(annotation.right) else None
        else:
            return annotation
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# ---- values the framework converts or validates --------------------------------------------------
def _converted(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> bool:
    """A value the framework has converted to a scalar or checked against a fixed set before the
    handler runs: ``item_id: int`` (also in Optional/Annotated/``| None``), ``list[int]``, an
    ``Enum`` of this file, ``Literal["asc", "desc"]``, or Flask's ``<int:item_id>`` converter.
    (A ``Query(pattern=...)`` value is checked, not converted: see ``declared_pattern``.)"""
    declared = _annotation(unit, arg)
    annotation = _unwrapped(declared, unit)
    if annotation is not None and _converted_type(annotation, unit):
        return True
    return _converted_by_rules(unit, function, arg.arg)


def _converted_by_rules(unit: "FileFlow", function: ast.AST, name: str) -> bool:
    """Every URL rule routing to ``function`` that names the variable ``name`` converts it
    (``<int:id>``), and one does (a rule that does not name it passes the default, if any: see
    ``_flask_rule_variables``); a rule that is not known may name it as text."""
    rules = rules_of(unit, function)
    converters = []
    # Bottle writes the name first (``<id:int>``, ``<path:re:[a-z]+>``), Werkzeug the converter.
    bottle = "bottle" in unit.imported_packages and "flask" not in unit.imported_packages
    for rule in rules:
        if rule.rule is None:
            return False
        if bottle:
            converters.extend(kind for variable, kind in _BOTTLE_RULE_VARIABLE.findall(rule.rule) if variable == name)
        else:
            converters.extend(converter for converter, variable in _FLASK_RULE_VARIABLE.findall(rule.rule) if variable == name)
    return bool(converters) and all(converter in _CONVERTING_RULE_TYPES for converter in converters)


def _converted_type(annotation: ast.expr, unit: "FileFlow") -> bool:
    if annotation.__class__ is ast.Call:  # ``conint(gt=0)``, ``confloat(le=1)``: pydantic's constrained numbers
        name = unit.qualname(annotation.func)  # type: ignore[attr-defined]
        return name is not None and name.rsplit(".", 1)[-1] in CONSTRAINED_SCALAR_TYPES
    if isinstance(annotation, ast.Subscript):
        container = unit.qualname(annotation.value)
        if container in _LITERAL:
            return True
        if container in _SEQUENCES:
            elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            elements = [e for e in elements if not (isinstance(e, ast.Constant) and e.value is Ellipsis)]
            return bool(elements) and all(_converted_type(e, unit) for e in elements)
        return False
    name = unit.qualname(annotation)
    if name is None:
        return False
    return name in SCALAR_ANNOTATIONS or name.rsplit(".", 1)[-1] in SCALAR_ANNOTATIONS or _is_local_enum(annotation, unit)


def _is_local_enum(annotation: ast.expr, unit: "FileFlow") -> bool:
    """A class of this file deriving from ``Enum`` (or IntEnum, StrEnum...)."""
    if not isinstance(annotation, ast.Name):
        return False
    for statement in unit.parsed.tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == annotation.id:
            return any(unit.qualname(base) in _ENUM_BASES for base in statement.bases)
    return False


def annotated_validators(unit: "FileFlow", arg: ast.arg) -> list[str]:
    """``q: Annotated[str, AfterValidator(check)] = Query()``: the functions pydantic runs on a
    route parameter's value (see validators.py)."""
    return validator_names(unit, _annotation(unit, arg), arg.arg, {})


def local_enums(unit: "FileFlow") -> frozenset[str]:
    """The qualified names of the module-level classes of this file deriving from ``Enum``."""
    return frozenset(f"{unit.module_name}.{statement.name}" for statement in unit.parsed.tree.body
                     if statement.__class__ is ast.ClassDef and any(unit.qualname(base) in _ENUM_BASES for base in statement.bases))  # type: ignore[attr-defined]


def declared_pattern(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> str | None:
    """``Query(pattern=r"^[a-z0-9_]+$")`` (also ``regex=``, in ``Annotated``), and pydantic's
    ``Field(pattern=...)``, ``constr(pattern=...)``, ``Annotated[str, StringConstraints(pattern=...)]``
    (see models PATTERN_*): the pattern the framework checks the value against before the
    handler runs (with search semantics, as pydantic does: only a pattern anchored at both ends
    checks the whole value)."""
    declared = _annotation(unit, arg)
    unwrapped = _unwrapped(declared, unit) if declared is not None else None
    typed = unwrapped if isinstance(unwrapped, ast.Call) and _call_named(unwrapped, unit, PATTERN_TYPES) else None
    for marker in (_default_of(function, arg), _annotation_metadata(declared, unit, _PATTERN_MARKERS) if declared is not None else None, typed):
        if isinstance(marker, ast.Call):
            for keyword in marker.keywords:
                if keyword.arg in ("pattern", "regex") and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    return keyword.value.value
    return None


# ---- where the value comes from ---------------------------------------------------------------
def _marker_kind(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> str | None:
    """``x: str = Header(...)``, ``Annotated[str, Cookie()]``, ``file: UploadFile``: the kind of
    request value the marker or the annotation names."""
    markers = [_default_of(function, arg)]
    declared = _annotation(unit, arg)
    if declared is not None:
        markers.append(_annotation_metadata(declared, unit, _KIND_MARKERS))
    for marker in markers:
        if isinstance(marker, ast.Call):
            name = unit.qualname(marker.func)
            kind = PARAMETER_KIND_MARKERS.get(name.rsplit(".", 1)[-1]) if name else None
            if kind is not None:
                return kind
    annotation = _unwrapped(declared, unit)
    name = unit.qualname(annotation) if annotation is not None else None
    if name is not None and name.rsplit(".", 1)[-1] == "UploadFile":
        return "uploaded file"
    if _is_local_model(annotation, unit) and unit.facts.imports.imports_module("fastapi"):
        return "HTTP request body"  # FastAPI reads a parameter typed with a (pydantic) class from the body
    return None


def _is_local_model(annotation: ast.expr | None, unit: "FileFlow") -> bool:
    """A class of this file (not an Enum: those are converted)."""
    if not isinstance(annotation, ast.Name):
        return False
    return any(isinstance(statement, ast.ClassDef) and statement.name == annotation.id for statement in unit.parsed.tree.body)


def _flask_rule_variables(unit: "FileFlow", function: ast.AST) -> set[str] | None:
    """The variables of the Flask (Werkzeug) URL rules routing to ``function`` (see
    flask_rules.py), plus the routes' constant ``defaults=`` keys; None when the handler is not
    a Flask route with constant rules (FastAPI passes query parameters to every other parameter,
    and a rule built at run time is not known)."""
    imports = unit.facts.imports
    if not any(imports.imports_module(module) for module in FLASK_MODULES) or imports.imports_module("fastapi"):
        return None
    rules = rules_of(unit, function)
    if not rules:
        return None
    variables: set[str] = set()  # (every rule of the view: ``@app.route`` may be stacked)
    for rule in rules:
        if rule.rule is None or rule.defaults is None or _TEMPLATE_VARIABLE.search(rule.rule):
            return None  # (``{name}``: not Werkzeug's syntax)
        variables |= {name for _, name in _FLASK_RULE_VARIABLE.findall(rule.rule)} | rule.defaults
    return variables


def _flask_text_variables(unit: "FileFlow", function: ast.AST) -> bool:
    """Does a Flask URL rule routing to ``function`` have a variable its converter leaves text
    (``<name>``, ``<path:p>``; not ``<int:id>``)?"""
    return any(converter.split("(", 1)[0] not in _CONVERTING_RULE_TYPES
               for rule in rules_of(unit, function) if rule.rule is not None
               for converter, _ in _FLASK_RULE_VARIABLE.findall(rule.rule))


# ---- command lines ----------------------------------------------------------------------------
_ARGPARSE_CONVERTING_ACTIONS = frozenset({"store_true", "store_false", "count", "store_const", "append_const", "version", "help"})
_CONVERTING_TYPES = frozenset({"int", "float", "complex", "bool", "click.INT", "click.FLOAT", "click.BOOL", "click.UUID",
                               "uuid.UUID", "decimal.Decimal", "Decimal", "UUID"})
_CONVERTING_TYPE_CALLS = frozenset({"click.Choice", "click.IntRange", "click.FloatRange", "click.DateTime"})
_CLICK_PARAMETERS = frozenset({"click.argument", "click.option"})


# Typer: the functions it runs as commands (``@app.command()``/``@app.callback()`` on ``app =
# typer.Typer()``, ``typer.run(main)``) get their parameters from the command line, converted by
# their annotations as FastAPI's are (``int``, ``float``, ``bool``, ``UUID``, dates, an ``Enum`` of
# the module, ``list[int]``; ``str``, no annotation, ``Path`` stay text) or by a converting
# ``click_type=``/``parser=`` of their ``typer.Option()``/``typer.Argument()``.
_TYPER_APPS = frozenset({"typer.Typer"})
_TYPER_COMMAND_DECORATORS = frozenset({"command", "callback"})
_TYPER_RUNNERS = frozenset({"typer.run"})
_TYPER_MARKERS = frozenset({"typer.Option", "typer.Argument"})
_TYPER_INJECTED = frozenset({"typer.Context", "click.Context"})


def typer_commands(unit: "FileFlow") -> frozenset[int]:
    """The functions of this file (node ids) that Typer runs as commands."""
    if not unit.facts.imports.imports_module("typer"):
        return frozenset()
    tree = unit.parsed.tree
    bindings = unit.facts.scopes.collector(tree).bindings
    apps = {name for name, values in bindings.items()
            if values and all(v.__class__ is ast.Call and unit.qualname(v.func) in _TYPER_APPS for v in values)}
    run: set[str] = set()
    found: set[int] = set()
    for node in ast.walk(tree):
        if node.__class__ is ast.Call:
            if node.args and node.args[0].__class__ is ast.Name and unit.qualname(node.func) in _TYPER_RUNNERS:
                run.add(node.args[0].id)
        elif node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
            if any(d.__class__ is ast.Call and d.func.__class__ is ast.Attribute and d.func.attr in _TYPER_COMMAND_DECORATORS
                   and d.func.value.__class__ is ast.Name and d.func.value.id in apps for d in node.decorator_list):
                found.add(id(node))
    found.update(id(node) for node in tree.body if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and node.name in run)
    return frozenset(found)


# Invoke (and Fabric 2, which re-exports it) runs a ``@task``'s function with the command line's
# values (``invoke deploy --branch x``), after the context it gives the first parameter; Fabric 1's
# tasks (``fab deploy:branch=x``) get them all. A parameter whose default is a bool or a number is
# converted (a flag, ``int()``); the others are text.
_TASK_DECORATORS = {"invoke.task": 1, "invoke.tasks.task": 1, "fabric.task": 1, "fabric.tasks.task": 1,
                    "fabric.api.task": 0, "fabric.decorators.task": 0}


def task_commands(unit: "FileFlow") -> dict[int, int]:
    """The functions of this file (node ids) that Invoke or Fabric runs as tasks: how many of their
    first parameters the tool fills itself (the context)."""
    imports = unit.facts.imports
    if not (imports.imports_module("invoke") or imports.imports_module("fabric")):
        return {}
    found: dict[int, int] = {}
    for node in ast.walk(unit.parsed.tree):
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                skipped = _TASK_DECORATORS.get(unit.qualname(decorator.func if decorator.__class__ is ast.Call else decorator) or "")
                if skipped is not None:
                    found[id(node)] = skipped
    return found


def task_parameters(unit: "FileFlow", function: ast.AST, skipped: int) -> dict[str, bool]:
    """A task's parameters (as ``click_parameters``): name -> whether the tool converts it."""
    args = function.args  # type: ignore[attr-defined]
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip((a.arg for a in positional[len(positional) - len(args.defaults):]), args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    found: dict[str, bool] = {}
    for arg in (*positional[skipped:], *args.kwonlyargs):
        default = defaults.get(arg.arg)
        found[arg.arg] = (default.__class__ is ast.Constant and default.value.__class__ in (bool, int, float))
    return found


def typer_parameters(unit: "FileFlow", function: ast.AST) -> dict[str, bool]:
    """A Typer command's parameters (as ``click_parameters``): name -> whether Typer converts it."""
    args = function.args  # type: ignore[attr-defined]
    found: dict[str, bool] = {}
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        annotation = _unwrapped(_annotation(unit, arg), unit) if arg.annotation is not None else None
        if annotation is not None and unit.qualname(annotation) in _TYPER_INJECTED:
            continue  # ``ctx: typer.Context``
        found[arg.arg] = (annotation is not None and _converted_type(annotation, unit)) or _typer_marker_converts(unit, function, arg)
    return found


def _typer_marker_converts(unit: "FileFlow", function: ast.AST, arg: ast.arg) -> bool:
    """``typer.Option(click_type=click.Choice([...]))``, ``typer.Argument(parser=int)`` (the default,
    or in ``Annotated[str, typer.Option(...)]``)."""
    marker = _default_of(function, arg)
    if not (marker.__class__ is ast.Call and unit.qualname(marker.func) in _TYPER_MARKERS):
        marker = _annotation_metadata(_annotation(unit, arg), unit, frozenset({"Option", "Argument"})) if arg.annotation is not None else None
    if marker is None:
        return False
    for keyword in marker.keywords:
        value = keyword.value
        if keyword.arg == "click_type":
            return (unit.qualname(value.func) in _CONVERTING_TYPE_CALLS if value.__class__ is ast.Call
                    else unit.qualname(value) in _CONVERTING_TYPES)
        if keyword.arg == "parser":
            return unit.qualname(value) in _CONVERTING_TYPES
    return False


def converted_options(unit: "FileFlow") -> frozenset[str]:
    """The argparse destinations of this file that only ever hold converted or chosen values:
    ``add_argument("--port", type=int)``, ``choices=[...]``, ``action="store_true"``. (By name
    across the file: a destination declared twice is converted only if both declarations are.)"""
    converted: dict[str, bool] = {}
    for node in unit.facts.calls():
        if node.func.__class__ is ast.Attribute and node.func.attr == "add_argument":
            destination = _argparse_destination(node)
            if destination is not None:
                converted[destination] = converted.get(destination, True) and _converting_declaration(unit, node)
    return frozenset(name for name, safe in converted.items() if safe)


def dispatch_handlers(unit: "FileFlow") -> dict[str, tuple[ast.expr, ...]]:
    """argparse's sub-command dispatch: ``parser.set_defaults(func=cmd_backup)`` anywhere in the
    file -> ``{"func": (cmd_backup,)}`` (the function expressions, by keyword), so that
    ``args.func(args)`` calls each of them. (Asked only of a file whose text names set_defaults:
    FileFlow.may_dispatch.)"""
    found: dict[str, list[ast.expr]] = {}
    for node in unit.facts.calls():
        if node.func.__class__ is ast.Attribute and node.func.attr == "set_defaults":
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.value.__class__ in (ast.Name, ast.Attribute):
                    found.setdefault(keyword.arg, []).append(keyword.value)
    return {name: tuple(handlers) for name, handlers in found.items()}


def _argparse_destination(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "dest":
            return keyword.value.value if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str) else None
    flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    long = [f for f in flags if f.startswith("--")]
    chosen = long[0][2:] if long else flags[0].lstrip("-") if flags else None
    return chosen.replace("-", "_") if chosen else None


def converting_declaration(unit: "FileFlow", call: ast.Call) -> bool:
    """Does this argparse/click declaration (or ``click.prompt(...)``) leave only a converted or chosen value?"""
    return _converting_declaration(unit, call)


def _converting_declaration(unit: "FileFlow", call: ast.Call) -> bool:
    """Does this argparse/click declaration leave only a converted or chosen value?"""
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg == "choices":
            return True
        if keyword.arg == "action" and isinstance(value, ast.Constant) and value.value in _ARGPARSE_CONVERTING_ACTIONS:
            return True
        if keyword.arg in ("is_flag", "count") and isinstance(value, ast.Constant) and value.value is True:
            return True
        if keyword.arg == "type":
            if isinstance(value, ast.Call):
                return unit.qualname(value.func) in _CONVERTING_TYPE_CALLS
            return unit.qualname(value) in _CONVERTING_TYPES
    return False


def click_parameters(unit: "FileFlow", function: ast.AST) -> dict[str, bool]:
    """The parameters a click command's ``@click.argument``/``@click.option`` decorators fill from
    the command line, each with whether click converts or restricts the value (``type=int``,
    ``click.Choice``, ``is_flag=True``)."""
    found: dict[str, bool] = {}
    for decorator in getattr(function, "decorator_list", []):
        if not (isinstance(decorator, ast.Call) and unit.qualname(decorator.func) in _CLICK_PARAMETERS):
            continue
        names = [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        plain = [n for n in names if not n.startswith("-")]
        long = [n[2:] for n in names if n.startswith("--")]
        name = plain[0] if plain else long[0] if long else names[0].lstrip("-") if names else None
        if name:
            found[name.replace("-", "_").lower()] = _converting_declaration(unit, decorator)
    return found
