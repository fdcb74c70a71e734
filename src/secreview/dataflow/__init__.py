"""Stage: data flow. Taint from untrusted sources to the sinks rules check, with traces.

Per file, ``FileFlow`` analyses the module body, every class body and every function
(flow-sensitively, see analyzer.py) and records the taint of each expression. Rules ask
``ctx.taint(expr)`` at a sink. Across functions and files, ``FunctionSummary`` tables say which
parameters reach a function's return value, and ``SinkRecord``s say which parameters reach a
sink inside it, so a helper wrapping ``subprocess.run(shell=True)`` is a sink for its callers
(resolved project-wide in project.py).
"""
from __future__ import annotations

import ast
import builtins
import functools
import re
from collections import ChainMap
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from secreview.dataflow.validators import validator_functions
from secreview.dataflow.flask_rules import is_registered_view as is_registered_flask_view
from secreview.dataflow.flask_rules import exposed_rules, imports_flask
from secreview.dataflow.flask_rules import route_entries as flask_route_entries
from secreview.dataflow.flask_rules import rules_of as flask_rules_of
from secreview.dataflow.parameters import (
    converted_options, dependency_class_names, dispatch_handlers, typer_commands, task_commands, dependency_functions, generated_constructor, imported_bases, local_enums,
    litestar_entries,
)
from secreview.dataflow.routes import ACTIONS_MARK, VIEWSET_ACTIONS, Conversions, lookup_entries, route_entries, viewset_items
from secreview.dataflow.routes import conversions_of as route_conversions_of
from secreview.dataflow.routes import question as route_question
from secreview.dataflow.displays import DISPLAY_METHODS, REPR, STR, reveals_credential
from secreview.dataflow import dependencies, flask_configs, forms, module_state, raw_servers, received, web_handlers
from secreview.dataflow.web_handlers import datasette_plugin
from secreview.dataflow.order import components_dependencies_first
from secreview.dataflow.analyzer import ALL_ENTRY, BASES_ENTRY, MAX_ANCESTORS_FOLLOWED, PROPERTIES_ENTRY, STAR_ENTRY, CONSTRUCTED, INSTANCES_ENTRY, NOTHING, STORED, TASK_ENTRY, CallSite, FunctionAnalysis, FunctionSummary, MODULE_LEVEL, Unproven, assumption_holds, fold
from secreview.dataflow.analyzer import _element as element_of
from secreview.dataflow.services import annotated_class
from secreview.dataflow.values import (
    ATTRIBUTE, CLEAN, INPUT, PROVEN, Origin, Proven, Taint, as_reported, described, expand_steps, join, new_origin, ordered, proven_for, root_of,
)
from secreview.facts import FileFacts
from secreview.facts.archives import may_hold_archives
from secreview.findings import FlowSource, Level, TraceStep, flow_sources
from secreview.models import (
    DEFERRED_LAST_NAMES, DEFERRED_TASK_METHODS,
    CLASS_VIEW_METHODS, DJANGO_COMMAND_BASES, DJANGO_FORM_VIEW_BASES, DJANGO_VIEW_BASE_SUFFIXES, DJANGO_VIEW_DECORATORS,
    DJANGO_VIEW_MODULE_LEAVES, DJANGO_VIEW_MODULE_PARTS, FORM_HANDLER_METHODS, OPERATOR_CHOSEN_PROGRAM_SOURCES, SOURCE_ATTRIBUTES, WEB_FRAMEWORK_MODULES,
)
from secreview.models.sanitizers import BACKSLASH_OPEN_REDIRECT
from secreview.models.sql_statements import SQL_STATEMENT_PACKAGES
from secreview.models.responses import CONTENT_TYPE_DECLARING_MODULES, REST_REPRESENTATION, REST_RESOURCE_CLASSES
from secreview.dataflow.responses import (
    RESPONSE_HOOKS, TEXT, hook_content_type, html_content_type, returned_text, summary_kind, unseen_call_kind,
)
from secreview.models.sources import BODY_MODEL_FRAMEWORKS, DRF_ACTION_DECORATORS, DRF_SERIALIZER_HANDLER_METHODS, FIELD_CLASS_MODULES
from secreview.models.sources import FLASK_ADMIN_EXPOSE_NAME, HTTP_SERVER_REQUEST_ATTRIBUTES, LITESTAR_MODULES, LITESTAR_ROUTE_DECORATORS, TORNADO_HANDLER_READS
from secreview.models.sources import NINJA_ROUTE_METHODS, NINJA_ROUTERS
from secreview.parse import ParsedFile
from secreview.rules.context import node_source

MAX_FUNCTIONS_PER_FILE = 5000  # budget: beyond this, remaining functions are not analysed
# Methods whose parameters stored on ``self`` are followed (as ATTRIBUTE origins): the constructor.
# (Setters too would add a stored parameter to attributes that methods analysed earlier already
# read, each time: on Django, a fifth more data-flow work for the re-analyses.)
STORING_METHODS = frozenset({"__init__"})
# Decorators making a method an attribute read (see FunctionSummary.is_property).
PROPERTY_DECORATORS = frozenset({"property", "functools.cached_property", "django.utils.functional.cached_property"})
MAX_ATTRIBUTE_ROUNDS = 2  # re-analyses of the methods whose class attributes changed after they read them
MAX_ANCESTORS = 20  # base classes followed for a class's attributes
MAX_REEXPORTS = 4  # packages re-exporting a re-export, followed to the function
MAX_PROOF_ROUNDS = 3  # analyses of a recursive group with assumed proofs before one without (see _analyze_recursive)
_ASK = object()  # (record_call: what the callee's summary says)


@dataclass
class TaintReport:
    """The answer to "does untrusted data reach this expression?" for a rule."""

    description: str
    confidence: Level
    trace: list[TraceStep]
    # Where each flow that reaches the expression starts, the less confident ones too (the trace
    # shows the most confident): see findings.FlowSource.
    sources: tuple[FlowSource, ...] = ()
    origin_steps: tuple[TraceStep, ...] = ()  # the reported origin's steps, for ``root``
    holder: str | None = None  # the function the value is in at the expression
    looked_up: bool = False  # the reported data only found the value (values.Origin.looked_up)

    @property
    def root(self) -> tuple:
        """Where the value comes from, for one finding per defect (values.root_of): asked only
        of the reports a rule makes a finding of."""
        return root_of(self.origin_steps, self.holder)


@dataclass
class SinkRecord:
    """A parameter of ``function`` reaches a sink checked by ``rule_id`` inside it."""

    function: str
    param: int
    rule_id: str
    cwe: int
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    steps: tuple[TraceStep, ...]  # from the parameter to the sink, inside the function
    sink_step: TraceStep | None = None
    statement_lines: tuple[int, int] = (0, 0)
    snippet: str = ""  # the sink expression itself (its first line), for messages
    # The sink is the program a process starts: the operator's own choices do not reach it
    # (models.OPERATOR_CHOSEN_PROGRAM_SOURCES).
    operator_may_choose: bool = False
    # The rule's fix for this sink when it made one from the code (an argument list rebuilt from
    # the command): the fix of the flows found through it from callers too (engine.py).
    solution: str = ""
    # An open redirect whose parameter passed, inside the function, a same-host check a backslash
    # gets through (see values.as_reported): its flows are reported at medium confidence at most.
    backslash_open: bool = False
    # The parameter reaches the sink only through what a getter found by it (values.Origin's
    # ``looked_up``): the flows from callers are reported at low confidence at most.
    looked_up: bool = False
    # The rule's limits on the flows through this sink (rules/base.Hit.flows_at_most, flows_caveat).
    at_most: Level | None = None
    caveat: str = ""


class SummaryTable(ChainMap):
    """The function summaries one file's analysis sees: the file's own (the front map, filled as
    its functions are analysed) over the project's.

    It records every name the analysis asked for that the file's own functions had not answered
    (yet): the file's results depend on the project's answers for exactly those names. A review
    uses this to analyse most files once: a first analysis with an empty project table is final
    unless the project turns out to know one of the names it asked for (see engine.py). While a
    function is analysed, ``log`` also keeps every answer it was given (see FileFlow's replay)."""

    def __init__(self, project: dict[str, FunctionSummary] | None = None) -> None:
        super().__init__({}, project if project is not None else {})
        self.asked: set[str] = set()
        # Names asked while ``quiet``: at a call nothing untrusted flows into and that changes
        # nothing in place, where only a function returning untrusted data of its own (a source
        # inside it) would make a difference.
        self.asked_quietly: set[str] = set()
        self.quiet = False
        self.log: dict | None = None  # (name, quiet) -> answer, for the function being analysed
        self.log_asked: list | None = None  # (name, quiet) asked of the project by that function

    def answer(self, name, quiet: bool):
        """What a lookup of ``name`` tells the analysis: the summary (None: unknown); at a quiet
        call only the untrusted data it returns of its own matters."""
        summary = self.maps[0].get(name)
        if summary is None:
            summary = self.maps[1].get(name)
        return returned_data(summary) if quiet else summary

    def _ask(self, name) -> None:
        if name is None:
            return
        (self.asked_quietly if self.quiet else self.asked).add(name)
        if self.log_asked is not None:
            self.log_asked.append((name, self.quiet))

    def _note(self, name) -> None:
        if self.log is not None and name is not None and (name, self.quiet) not in self.log:
            self.log[(name, self.quiet)] = self.answer(name, self.quiet)

    def __contains__(self, name) -> bool:
        # (``_note`` and ``_ask`` written out: the commonest question of the analysis)
        log = self.log
        if log is not None and name is not None and (name, self.quiet) not in log:
            log[(name, self.quiet)] = self.answer(name, self.quiet)
        if name in self.maps[0]:
            return True
        if name is not None:
            (self.asked_quietly if self.quiet else self.asked).add(name)
            if self.log_asked is not None:
                self.log_asked.append((name, self.quiet))
        return name in self.maps[1]

    def get(self, name, default=None):
        # (``_lookup`` written out: the commonest question after ``in``)
        log = self.log
        if log is not None and name is not None and (name, self.quiet) not in log:
            log[(name, self.quiet)] = self.answer(name, self.quiet)
        found = self.maps[0].get(name)
        if found is None:
            self._ask(name)
            found = self.maps[1].get(name)
        if found is not None and found.alias_of is not None:
            found = self._reexported(found)
        return default if found is None else found

    def _lookup(self, name) -> FunctionSummary | None:
        # (ChainMap's asks ``in`` then ``[]``: each looks the name up, notes and asks it again)
        self._note(name)
        found = self.maps[0].get(name)
        if found is None:
            self._ask(name)
            found = self.maps[1].get(name)
        return found

    def __getitem__(self, name) -> FunctionSummary:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def _reexported(self, marker: FunctionSummary) -> FunctionSummary | None:
        """The summary a package's re-export stands for (asked as any name is), if known; a
        re-export of a re-export too, a few at most. (Only ``get`` follows them; ``name in table``
        is true for the re-export itself.)"""
        for _ in range(MAX_REEXPORTS):
            found = self._lookup(marker.alias_of)
            if found is None or found.alias_of is None:
                return found
            marker = found
        return None


def returned_data(summary: FunctionSummary | None) -> frozenset[Origin] | tuple | None:
    """What a quiet call is told of a function: the origins its return value has of its own (a
    source inside it), if any, and with them the CWEs it is proven safe for, if it is."""
    if summary is None:
        return None
    returns = summary.returns
    data = frozenset(origin for origin in returns.whole().origins if origin.param is None)
    if summary.guards or summary.checks or summary.first_checks:  # (``ensure_allowed(url)`` proves a url of unknown origin too)
        return data, returns.cwes if returns.__class__ is Proven else None, summary.guards, summary.checks, summary.first_checks
    if returns.__class__ is Proven:  # (``return int(raw)``: proven whatever it is given)
        return data, returns.cwes
    return data or None


def returns_own_data(summary: FunctionSummary) -> bool:
    """Does the function's return value have origins of its own (a source inside it)?"""
    return any(origin.param is None for origin in summary.returns.whole().origins)


@dataclass
class _Record:
    """What one analysis of a function did and depended on, so that a later analysis of the same
    file can reuse it when its inputs and every answer it was given are unchanged."""

    inputs: dict
    lookups: dict = field(default_factory=dict)  # (name, quiet) / ("class", name, quiet) / ("attribute", class, name) / ("constructed", class) -> answer
    asked: list = field(default_factory=list)  # (name, quiet) asked of the project
    asked_classes: list = field(default_factory=list)  # (name, quiet)
    asked_routes: list = field(default_factory=list)  # views (see FileFlow.route_conversions)
    values: dict = field(default_factory=dict)
    call_sites: list = field(default_factory=list)
    nested: list = field(default_factory=list)
    attributes: list = field(default_factory=list)  # (class, attribute, taint, by the constructor) recorded
    module_stores: list = field(default_factory=list)  # (module-level name, taint) stored (see module_state.py)
    parameter_stores: list = field(default_factory=list)  # (function, name, parameter, origin) stored
    project_method_calls: list = field(default_factory=list)  # call node ids (see FileFlow.calls_project_method)
    silent_displays: list = field(default_factory=list)  # name node ids (see FileFlow.displays_no_credential)
    budget_exceeded: bool = False
    summary: FunctionSummary | None = None


def _seen_from(globals_state: dict, defining_state: dict) -> dict:
    """What a function (or class body) sees of the names around it: the module's final state,
    under the state where it is defined (a function's or a class's: see
    FunctionAnalysis.defining_state). A module-level one is given the module's state itself, not
    a copy: records keep it (see _Record.inputs), and a copy per function made a module of
    thousands of functions quadratic in memory."""
    return globals_state if defining_state is MODULE_LEVEL else {**globals_state, **defining_state}


@dataclass
class FileFlow:
    parsed: ParsedFile
    facts: FileFacts
    summaries: SummaryTable = field(default_factory=SummaryTable)
    values: dict[int, Taint] = field(default_factory=dict)
    nested: list[tuple[ast.AST, dict]] = field(default_factory=list)
    sink_records: list[SinkRecord] = field(default_factory=list)
    call_sites: list[CallSite] = field(default_factory=list)
    budget_exceeded: bool = False
    assumed_returns = None  # (not a field) qualname -> its assumed proof, while a recursive group is checked (see _analyze_recursive)
    # Classes with method summaries in the whole project; computed once per project by the caller
    # (see ``project_classes``) -- recomputing it per file costs files x functions.
    project_classes: frozenset[str] | None = None
    # ...and those with a method that returns untrusted data of its own.
    project_classes_returning_data: frozenset[str] = frozenset()
    # An earlier analysis of the same file (same tree) whose function analyses can be reused
    # where nothing they depended on changed; ``recording`` keeps what each analysis did for that.
    previous: "FileFlow | None" = None
    recording: bool = False
    # What the project's URL confs convert of a view's parameters (ProjectTable.routes); None: nothing.
    routes: "Callable[[str], Conversions] | None" = None

    def __post_init__(self) -> None:
        self.path = self.parsed.path
        self.module_name = self.facts.module_name or "<module>"
        self.module_constants = _module_constants(self.facts)
        self.defined_in: dict[int, str] = {}  # function/class node id -> qualname of its scope
        # Local names through which a source attribute can be reached (``request`` after
        # ``from flask import request``, ``sys``, ``os``...): a cheap filter before resolving.
        roots = _SOURCE_ROOTS
        self.source_roots = {local for local, target in self.facts.imports.aliases.items() if target.split(".")[0] in roots}
        self.function_names: dict[int, str] = {}  # function node id -> qualified name
        self.class_of_method: dict[int, str] = {}  # method node id -> class qualname
        self.class_attributes: dict[str, dict[str, Taint]] = {}  # class -> what its methods but ``__init__`` store
        self.class_bases: dict[str, list[str]] = {}  # each class of the file -> its bases' qualified names
        self.derived_from: dict[str, list[str]] = {}  # a class with methods -> its bases but the builtins (see bases_of)
        self.classes_with_methods: set[str] = set()  # ... that define functions
        self.classes_with_constructor: set[str] = set()  # ... that define ``__init__``
        self.class_constructed: dict[str, dict[str, Taint]] = {}  # what each one's ``__init__`` leaves in the attributes
        self.generated_constructors: dict[str, ast.FunctionDef] = {}  # dataclasses, pydantic models (see _note_fields)
        self._chains: dict[str, list[str]] = {}  # class -> itself and its ancestors (see _class_and_bases)
        self._subclass_index: tuple[int, dict[str, list[str]]] = (0, {})  # (see _subclasses)
        self._class_nodes: dict[str, ast.ClassDef] = {}
        self._attribute_reads: dict[int, dict] = {}  # function node id -> {("attribute", class, name): taint read}
        # Bumped whenever an attribute of a class of this file changes; a function whose reads
        # were all made since (``_read_since``) cannot have been told too little.
        self._attributes_version = 0
        self._read_since: dict[int, int] = {}
        self._exported_memo: dict[str, dict[str, dict[str, Taint]]] = {}  # class -> part -> attribute -> taint
        self._attribute_memo: dict[tuple[str, str], tuple[int, Taint | None]] = {}  # (class, attribute) -> (version, attribute_of)
        self.local_summaries: dict[str, FunctionSummary] = {}
        self.module_instances: dict[str, str | None] = {}
        if self.project_classes is None:
            self.project_classes = project_classes(self.summaries.maps[1])
        self.local_classes: set[str] = set()  # classes of this file met during the analysis
        self.local_classes_returning_data: set[str] = set()
        self.records: dict[tuple[int, int], _Record] = {}  # (function node id, nth analysis of it) -> record
        self._analyses_of: dict[int, int] = {}
        self._units_analysed = 0  # functions and class bodies (see MAX_FUNCTIONS_PER_FILE)
        self._record: _Record | None = None  # of the function being analysed
        self.reused = 0  # function analyses taken from ``previous``
        self.project_method_calls: set[int] = set()  # ``obj.method(...)`` calls the analysis followed into the project's method
        self.silent_displays: set[int] = set()  # logged names of objects whose display shows no credential
        self.asked_classes: set[str] = set()  # class names asked for that the file did not define (yet)
        self.asked_classes_quietly: set[str] = set()  # ... at quiet calls (see SummaryTable)
        self.asked_routes: set[str] = set()  # views whose routes were asked for (see route_conversions)
        self._route_answers: dict[str, dict[str, frozenset[int]]] = {}  # views -> what their routes convert
        self._told_routes: dict[str, Conversions] = {}  # views -> the project's answer
        self._view_families: dict[str, str] = {}  # class -> it and its subclasses here (see route_conversions)
        self.flask_view_methods: set[int] = set()  # method node ids of flask.views.View subclasses
        self.rest_resource_methods: set[int] = set()  # ... of Flask-RESTful/RESTX resources (their returns are JSON)
        self.rest_resource_names: set[str] = set()  # (the names of those classes in this file)
        self.django_view_methods: set[int] = set()  # ... of Django class-based views (and DRF views)
        self.command_handlers: set[int] = set()  # ``handle`` of Django management commands
        self.form_handlers: set[int] = set()  # ``form_valid``/``form_invalid`` of Django form views
        self.form_classes: dict[int, str] = {}  # form handler node id -> its view's ``form_class``
        self.serializer_classes: dict[int, str] = {}  # DRF view method node id -> its view's ``serializer_class``
        # methods of http.server request handlers (see raw_servers.py) and Tornado's (web_handlers.py):
        # node id -> the attributes of ``self`` that are the request
        self.http_handler_methods: dict[int, dict[str, str]] = {}
        self.http_handler_names: set[str] = set()  # ... and the names of their classes
        self.tornado_handler_names: set[str] = set()
        self.twisted_resource_names: set[str] = set()  # Twisted Web resource classes of this file (see web_handlers.py)
        self.twisted_resource_methods: set[int] = set()  # ... their methods' node ids
        self.twisted_renderers: set[int] = set()  # ... their ``render``/``render_GET`` methods (they return the body)
        # The questions of the routes other files give this file's classes (see web_handlers.TORNADO_ELSEWHERE)
        self.tornado_questions: set[str] = set()
        # Handlers of Tornado, Falcon, CherryPy (see web_handlers.py): node id -> what the framework
        # passes their parameters (name -> source description, or CONVERTED)
        self.framework_handlers: dict[int, dict[str, str]] = {}
        self._imports_django = self.facts.imports.imports_module("django") or self.facts.imports.imports_module("rest_framework")
        self.imports_django = self._imports_django
        self.may_hold_archives = may_hold_archives(self.facts)  # (zipfile/tarfile imported: see facts/archives.py)
        self._request_imported = "request" in self.facts.imports.aliases
        # A stdin snippet's free ``request``, taken as this framework's request object ("": none).
        self.assumed_request: str = getattr(self.parsed, "assumed_request", "")
        self.imports_web = (any(self.facts.imports.imports_module(module) for module in WEB_FRAMEWORK_MODULES)
                            or datasette_plugin(self.parsed.tree) or self.twisted_server)
        # node -> ``qualname(node)``, for every analysis of this tree (it only depends on the
        # file's imports): shared with the earlier analysis of the same file, if any.
        same_file = self.previous is not None and self.previous.facts is self.facts
        self.qualnames: dict[ast.AST, str | None] = self.previous.qualnames if same_file else {}
        self._stand_ins: list[ast.expr] = []  # see stand_in_for_element
        self.module_stores: dict[str, Taint] = {}  # module-level name -> untrusted data functions store in it
        # function -> {(module-level name, parameter index): the parameter's origin as stored}
        self.parameter_stores: dict[str, dict[tuple[str, int], Origin]] = {}
        self._local_names: dict[int, frozenset[str]] = {}  # function node id -> module_state.local_names

    @functools.cached_property
    def imports_fastapi(self) -> bool:
        return self.facts.imports.imports_module("fastapi")

    @functools.cached_property
    def imports_litestar(self) -> bool:
        return any(self.facts.imports.imports_module(module) for module in LITESTAR_MODULES)

    @functools.cached_property
    def ninja_routers(self) -> dict[str, bool]:
        """Module-level names bound only to a Django Ninja router or API (``router = Router()``),
        each with whether what its routes return is known to be serialized as JSON (False for an
        API given a ``renderer=`` of its own)."""
        if not self.facts.imports.imports_module("ninja"):
            return {}
        tree = self.parsed.tree
        found: dict[str, bool] = {}
        for statement in tree.body:
            if (statement.__class__ is ast.Assign and len(statement.targets) == 1 and statement.targets[0].__class__ is ast.Name
                    and statement.value.__class__ is ast.Call and self.qualname(statement.value.func) in NINJA_ROUTERS):
                name = statement.targets[0].id
                if self.facts.scopes.bindings_of(name, [tree]) == [statement.value]:
                    found[name] = not any(keyword.arg == "renderer" for keyword in statement.value.keywords)
        return found

    def ninja_route(self, node: ast.AST) -> bool | None:
        """Is ``node`` a Django Ninja route (``@router.get(...)`` on a router of ``ninja_routers``)?
        None if not; else whether what it returns is serialized as JSON."""
        routers = self.ninja_routers
        if not routers:
            return None
        for decorator in getattr(node, "decorator_list", ()):
            if decorator.__class__ is ast.Call and decorator.func.__class__ is ast.Attribute \
                    and decorator.func.attr in NINJA_ROUTE_METHODS and decorator.func.value.__class__ is ast.Name \
                    and decorator.func.value.id in routers:
                return routers[decorator.func.value.id]
        return None

    @functools.cached_property
    def handler_frameworks(self) -> frozenset[str]:
        """The frameworks of web_handlers.py (Tornado, Falcon, CherryPy) this file imports."""
        return web_handlers.handler_frameworks(self)

    @functools.cached_property
    def enum_classes(self) -> frozenset[str]:
        """The module-level ``Enum`` classes of this file (qualified names): calling one gives a
        member (see parameters.local_enums)."""
        return local_enums(self)

    @functools.cached_property
    def body_model_framework(self) -> str | None:
        """The framework of this file that reads a parameter annotated with a model from the
        body (FastAPI, Django Ninja; models BODY_MODEL_FRAMEWORKS), if any."""
        return next((name for module, name in BODY_MODEL_FRAMEWORKS.items() if self.facts.imports.imports_module(module)), None)

    @functools.cached_property
    def dependency_functions(self) -> frozenset[int]:
        """Functions FastAPI calls as dependencies (node ids; see parameters.py)."""
        return dependency_functions(self)

    @functools.cached_property
    def task_commands(self) -> dict[int, int]:
        """The functions (node ids) Invoke or Fabric runs as tasks, and how many of their first
        parameters the tool fills (parameters.py)."""
        return task_commands(self)

    @functools.cached_property
    def typer_commands(self) -> frozenset[int]:
        """The functions (node ids) Typer runs as commands (parameters.py)."""
        return typer_commands(self)

    @functools.cached_property
    def imports_sql_statements(self) -> bool:
        """Whether the file imports a package whose functions build SQL statements (SQLAlchemy)."""
        return not self.imported_packages.isdisjoint(SQL_STATEMENT_PACKAGES)

    @functools.cached_property
    def imports_argparse(self) -> bool:
        return self.facts.imports.imports_module("argparse")

    @functools.cached_property
    def imports_parsers(self) -> bool:
        """Whether a class of NO_RETURN_METHODS (argparse's, optparse's parser) may be used here."""
        return self.imports_argparse or self.facts.imports.imports_module("optparse")

    @functools.cached_property
    def dispatch_handler_names(self) -> frozenset[str]:
        """The functions of this file named in a ``set_defaults(...)`` of it (argparse's dispatch)."""
        if not self.imports_argparse or not self.may_dispatch:
            return frozenset()
        return frozenset(h.id for handlers in self.dispatch_handlers.values() for h in handlers if h.__class__ is ast.Name)

    @functools.cached_property
    def may_dispatch(self) -> bool:
        """Whether the file's text names ``set_defaults`` (argparse's dispatch; a text search is far
        cheaper than a walk of the tree)."""
        return "set_defaults" in "\n".join(self.parsed.lines)

    @functools.cached_property
    def dispatch_handlers(self) -> dict[str, tuple[ast.expr, ...]]:
        """argparse ``set_defaults(func=handler)`` of this file: keyword -> handlers (parameters.py)."""
        return dispatch_handlers(self)

    @functools.cached_property
    def imports_http_server(self) -> bool:
        """Whether the file may define http.server request handlers (see raw_servers.py)."""
        return raw_servers.imports_http_server(self)

    @functools.cached_property
    def wsgi_served(self) -> frozenset[str]:
        """Functions this file gives ``make_server(host, port, app)`` (see raw_servers.py)."""
        return raw_servers.wsgi_served(self)

    @functools.cached_property
    def stream_handlers(self) -> dict[int, str]:
        """The functions (node ids) this file gives ``asyncio.start_server``, with their reader
        parameter's name (see received.py)."""
        return received.stream_handlers(self)

    @functools.cached_property
    def converted_options(self) -> frozenset[str]:
        """argparse destinations of this file holding only converted values (see parameters.py)."""
        return converted_options(self)

    # ---- driving the analysis ---------------------------------------------------------------
    def analyze(self) -> "FileFlow":
        # A forms module's: what its form classes' fields convert (from the syntax alone: known
        # before any function of the file asks, see forms.py).
        same_file = self.previous is not None and self.previous.facts is self.facts
        self.forms_given = self.previous.forms_given if same_file else forms.form_entries(self)
        self.local_summaries.update(self.forms_given)
        module_analysis = FunctionAnalysis(self, self.parsed.tree, self.module_name)
        module = module_analysis.run_module()
        self.values.update(module_analysis.values)
        self.module_instances = module_analysis.instances  # ``posts = PostRepository(...)`` at module level
        globals_state = module
        found = self._take_nested()
        while found and not self.budget_exceeded:
            # Class bodies first (nested classes too): they make their methods known. Then every
            # function known so far, callees first (module functions and methods together), so
            # that a call is told the summary of the function it calls whenever the calls allow.
            # Functions defined inside those come next, the same way.
            functions = []
            found.reverse()  # (popped from the end: in order)
            while found and not self.budget_exceeded:
                node, defining_state = found.pop()
                if node.__class__ is not ast.ClassDef:
                    functions.append((node, defining_state))  # (counted when analysed, below)
                elif self._within_budget():
                    self._analyze_class_body(node, _seen_from(globals_state, defining_state))
                    found[:0] = reversed(self._take_nested())
            ordered_functions = self._callees_first(functions)
            recursive = self._recursive_groups(ordered_functions)
            for position, (node, defining_state) in enumerate(ordered_functions):
                if not self._within_budget():
                    break
                group = recursive.get(position)
                if group is None:
                    self.analyze_function(node, _seen_from(globals_state, defining_state))
                elif position == group[-1]:  # (at its last member: every other function it calls is known)
                    self._analyze_recursive([ordered_functions[member] for member in group], globals_state)
            found = self._take_nested()
        self.reanalyze_methods_reading_changed_attributes(globals_state)
        if self.module_stores:
            self.reanalyze_functions_reading_module_state(globals_state)
        if self.declares_content_types:
            self._ask_response_hooks()
        self._summarize_classes()
        self.local_summaries.update(dependencies.dependency_entries(self))  # (FastAPI dependency classes)
        if self.forms_given:  # (a form's ``clean_<field>``: what it returns, read, see forms.py)
            self.local_summaries.update(forms.clean_readings(self))
        self._forward_inherited_constructors()
        self._forward_overridden_methods()
        self._summarize_reexports()
        self._summarize_star_imports()
        self._summarize_properties()
        if self.task_classes[0]:
            self._summarize_tasks()
        # A URL conf's: what its routes give each view (the same in every analysis of the tree).
        same_file = self.previous is not None and self.previous.facts is self.facts
        self.routes_given = self.previous.routes_given if same_file else {**route_entries(self), **flask_route_entries(self)}
        self.local_summaries.update(self.routes_given)
        if web_handlers.TORNADO in self.handler_frameworks:  # (routes to handlers of other modules: see web_handlers.py)
            self.local_summaries.update(web_handlers.tornado_route_entries(self))
        if self.imports_litestar:  # (providers and dependencies of other modules: see parameters.py)
            self.local_summaries.update(litestar_entries(self))
        if "rest_framework" in self.imported_packages:  # (a DRF viewset's lookup argument: nested routers ask)
            self.local_summaries.update(lookup_entries(self, sorted(self._class_nodes), self._class_chain))
        # Flask configuration modules: what this file loads as one, and whether one loads it (see flask_configs.py).
        self.local_summaries.update(flask_configs.loader_entries(self))
        self.loaded_as_flask_config = flask_configs.loaded(self)
        return self

    def _summarize_reexports(self) -> None:
        """A package's ``__init__`` that imports names from its own modules (``from .shell import
        run_cmd``) makes them importable from the package (``from app.util import run_cmd``): an
        entry of its own summaries for each, naming what it stands for (FunctionSummary.alias_of).
        Which names these are depends on the file's content alone (see _summarize_classes): those
        spelled as functions are (``run_cmd``, not ``Query`` or ``LOOKUP_SEP``: a class's methods
        are asked for by the class's own name, and the entries of every re-exported name would
        make the files of the package's import cycles analysed again for nothing)."""
        if not self.path.endswith("__init__.py") or not self.facts.module_name:
            return
        module = self.facts.module_name
        top = module.split(".")[0] + "."
        for local, target in sorted(self.facts.imports.aliases.items()):
            name = f"{module}.{local}"
            if (target.startswith(top) and target != name and name not in self.local_summaries
                    and local[:1].islower() and not local.isupper()):
                self.local_summaries[name] = FunctionSummary(name, [], alias_of=target)

    @functools.cached_property
    def star_modules(self) -> list[str]:
        """The modules this file star-imports, in import order."""
        return self.facts.imports.star_modules

    def _summarize_star_imports(self) -> None:
        """What a star import of this module binds, for the modules that star-import it or import
        names from it (see FunctionAnalysis.star_name): the modules it star-imports itself
        (STAR_ENTRY), and the names of its ``__all__`` when that is a literal list or tuple of
        strings, bound by nothing else at module level (ALL_ENTRY). From the content alone."""
        module = self.facts.module_name
        if not module:
            return
        if self.star_modules:
            entry = f"{module}.{STAR_ENTRY}"
            self.local_summaries[entry] = FunctionSummary(entry, list(self.star_modules))
        exported = _literal_all(self.parsed.tree)
        if exported is not None:
            entry = f"{module}.{ALL_ENTRY}"
            self.local_summaries[entry] = FunctionSummary(entry, exported)

    def _summarize_properties(self) -> None:
        """Each class of the file defining properties: their names (analyzer.PROPERTIES_ENTRY), for
        the reads of other files (``rd.host``). From the content alone."""
        for class_name, node in self._class_nodes.items():
            names = [item.name for item in node.body
                     if item.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and self.is_property(item)]
            if names:
                entry = f"{class_name}.{PROPERTIES_ENTRY}"
                self.local_summaries[entry] = FunctionSummary(entry, names)

    @functools.cached_property
    def imported_packages(self) -> frozenset[str]:
        """The top-level packages this file imports (``pydantic`` for ``pydantic.fields``)."""
        return frozenset(module.partition(".")[0] for module in self.facts.imports.imported_modules)

    @functools.cached_property
    def task_classes(self) -> tuple[dict[str, str], dict[str, str]]:
        """The Celery task classes of this module (qualified names): module-level classes deriving
        from a ``Task`` (``celery.Task``, ``app.Task``), from one of these, or from a task class of
        another module (its ``<task>`` entry: see _summarize_tasks), each with the name its worker's
        ``run`` is looked up under (its own ``Class.run``, else its base's); and its module-level
        instances of them (``ingest = app.register_task(Ingest())``, ``cleanup = Cleanup()``):
        name -> class."""
        imports_celery = "celery" in self.imported_packages
        found: dict[str, str] = {}
        instances: dict[str, str] = {}
        for statement in self.parsed.tree.body:
            if statement.__class__ is ast.ClassDef:
                run = self._task_run(statement, found, imports_celery)  # type: ignore[arg-type]
                if run is not None:
                    found[f"{self.module_name}.{statement.name}"] = run  # type: ignore[attr-defined]
            elif imports_celery and statement.__class__ is ast.Assign and len(statement.targets) == 1 and statement.targets[0].__class__ is ast.Name:  # type: ignore[attr-defined]
                value = statement.value  # type: ignore[attr-defined]
                if value.__class__ is ast.Call and value.func.__class__ is ast.Attribute and value.func.attr in _TASK_REGISTRATIONS and value.args:
                    value = value.args[0]  # (registered)
                owner = self.qualname(value.func) if value.__class__ is ast.Call else None
                if owner is not None and owner in found:
                    instances[statement.targets[0].id] = owner  # type: ignore[attr-defined]
        return found, instances

    def _task_run(self, node: ast.ClassDef, found: dict[str, str], imports_celery: bool) -> str | None:
        """If ``node`` is a Celery task class (see task_classes), the name of the ``run`` its
        worker calls: its own, else its task base's."""
        own_run = f"{self.module_name}.{node.name}.run"
        for base in node.bases:
            name = self.qualname(base) or ""
            last = name.rsplit(".", 1)[-1]
            if imports_celery and last == "Task":
                return own_run
            if name in found:  # (a task class of this module)
                return own_run if _defines_run(node) else found[name]
            # Another module's (asked of classes with a run() or a base named like a task only:
            # most classes derive from another module's)
            if ("." in name and not name.startswith(f"{self.module_name}.")
                    and (imports_celery or last.endswith("Task") or _defines_run(node))
                    and f"{name}.{TASK_ENTRY}" in self.summaries):
                return own_run if _defines_run(node) else f"{name}.{TASK_ENTRY}"
        return None

    def _summarize_tasks(self) -> None:
        """Celery task classes: an entry ``Class.<task>`` standing for the ``run`` method their
        instances run in a worker (``Ingest().delay(x)`` in another module; the base's when the
        class defines none), also telling the modules that derive their own task classes from it;
        and one for each module-level instance, named after it: ``from jobs.tasks import ingest;
        ingest.delay(x)`` calls that ``run``."""
        classes, instances = self.task_classes
        for class_name, run in sorted(classes.items()):
            self.local_summaries[f"{class_name}.{TASK_ENTRY}"] = FunctionSummary(f"{class_name}.{TASK_ENTRY}", [], alias_of=run)
        for local, owner in sorted(instances.items()):
            name = f"{self.module_name}.{local}"
            if name not in self.local_summaries:
                self.local_summaries[name] = FunctionSummary(name, [], alias_of=classes[owner])

    def _take_nested(self) -> list[tuple[ast.AST, dict]]:
        """The functions and classes met (with their defining state) since the last call."""
        found = list(self.nested)
        self.nested.clear()
        return found

    def _within_budget(self) -> bool:
        self._units_analysed += 1
        if self._units_analysed > MAX_FUNCTIONS_PER_FILE:
            self.budget_exceeded = True
        return not self.budget_exceeded

    def _analyze_class_body(self, node: ast.ClassDef, state: dict) -> None:
        class_name = f"{self.qualname_prefix(node)}.{node.name}"
        analysis = FunctionAnalysis(self, node, class_name, state)
        analysis.block(node.body, {})
        self.values.update(analysis.values)
        self._note_class(node, class_name)
        flask_view = any(self.qualname(base) in FLASK_VIEW_CLASSES for base in node.bases)
        rest_resource = flask_view and self._rest_resource(node)
        bases = {(self.qualname(base) or "").rsplit(".", 1)[-1] for base in node.bases}
        django_view = self._imports_django and any(base.endswith(DJANGO_VIEW_BASE_SUFFIXES) for base in bases)
        command = bool(bases & DJANGO_COMMAND_BASES)
        form_view = bool(bases & DJANGO_FORM_VIEW_BASES)
        form_class = self._form_class(node) if form_view else None
        serializer_class = self._serializer_class(node) if django_view and "rest_framework" in self.imported_packages else None
        http_handler = self.imports_http_server and raw_servers.is_handler_class(self, node)
        frameworks = self.handler_frameworks
        tornado = web_handlers.TORNADO in frameworks and web_handlers.is_tornado_handler(self, node)
        tornado_reads = tornado or (node.bases and web_handlers.TORNADO not in frameworks and web_handlers.tornado_reads_only(self, node))
        falcon = web_handlers.FALCON in frameworks
        cherrypy = web_handlers.CHERRYPY in frameworks
        exposed_class = cherrypy and web_handlers.cherrypy_exposed_class(self, node)
        twisted = web_handlers.TWISTED in frameworks and web_handlers.is_twisted_resource(self, node)
        for child, _ in self.nested:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.class_of_method[id(child)] = class_name
                if flask_view and child.name in FLASK_VIEW_METHODS:
                    self.flask_view_methods.add(id(child))
                    if rest_resource:
                        self.rest_resource_methods.add(id(child))
                if django_view:
                    self.django_view_methods.add(id(child))  # ``self.kwargs``: the URL's parameters
                if command and child.name == "handle":
                    self.command_handlers.add(id(child))  # ``handle(self, *args, **options)``: the command line
                if form_view and child.name in FORM_HANDLER_METHODS:
                    self.form_handlers.add(id(child))  # ``form_valid(self, form)``: a form bound to the request
                    if form_class is not None:
                        self.form_classes[id(child)] = form_class
                if serializer_class is not None:
                    self.serializer_classes[id(child)] = serializer_class  # ``self.get_serializer(data=...)``
                    if child.name in DRF_SERIALIZER_HANDLER_METHODS:  # ``perform_create(self, serializer)``: validated
                        self.form_handlers.add(id(child))
                        self.form_classes[id(child)] = serializer_class
                if http_handler:
                    self.http_handler_methods[id(child)] = HTTP_SERVER_REQUEST_ATTRIBUTES  # ``self.path``, ``self.headers``: the request
                elif tornado_reads:
                    self.http_handler_methods[id(child)] = TORNADO_HANDLER_READS  # ``self.get_argument("q")``
                if frameworks:
                    self._note_handler(node, child, tornado, falcon, cherrypy, exposed_class)
                if twisted:
                    self._note_twisted_method(child)

    def _note_twisted_method(self, method: ast.AST) -> None:
        """A method of a Twisted Web resource: a renderer returns the body; ``getChild`` gets the
        URL path segment (see web_handlers.py)."""
        self.twisted_resource_methods.add(id(method))
        if web_handlers.is_twisted_renderer(method):
            self.twisted_renderers.add(id(method))
        found = web_handlers.twisted_parameters(method)
        if found is not None:
            self.framework_handlers[id(method)] = found

    def _rest_resource(self, node: ast.ClassDef) -> bool:
        """A Flask-RESTful/RESTX resource: a base is one of REST_RESOURCE_CLASSES or a resource
        class of this file met before."""
        for base in node.bases:
            if self.qualname(base) in REST_RESOURCE_CLASSES or (base.__class__ is ast.Name and base.id in self.rest_resource_names):
                self.rest_resource_names.add(node.name)
                return True
        return False

    def rest_resource_returns_json(self, node: ast.AST) -> bool:
        """An HTTP method of a Flask-RESTful/RESTX resource, whose return value (a str too) the
        Api serializes to JSON -- unless this file registers a representation for HTML
        (``@api.representation("text/html")``, which then renders what the methods return)."""
        return id(node) in self.rest_resource_methods and not self._html_representation

    @functools.cached_property
    def _html_representation(self) -> bool:
        for call in self.facts.calls():
            func = call.func
            if func.__class__ is ast.Attribute and func.attr == REST_REPRESENTATION and call.args:  # type: ignore[attr-defined]
                media_type = call.args[0]
                if not (media_type.__class__ is ast.Constant and isinstance(media_type.value, str)  # type: ignore[attr-defined]
                        and not html_content_type(media_type.value)):  # type: ignore[attr-defined]
                    return True  # (HTML, or not a constant: maybe HTML)
        return False

    @functools.cached_property
    def twisted_server(self) -> bool:
        """Is this a file of a Twisted Web server (see web_handlers.twisted_server)?"""
        return web_handlers.twisted_server(self.facts.imports)

    @functools.cached_property
    def declares_content_types(self) -> bool:
        """Does the file import a framework whose handlers set the response's Content-Type before
        returning or writing the body (Tornado, Bottle, CherryPy, Twisted)? Only there is a
        function's declaration read for its summary (see FunctionAnalysis.return_kind)."""
        return any(self.facts.imports.imports_module(module) for module in CONTENT_TYPE_DECLARING_MODULES)

    def response_kind(self, call: ast.Call, chain: list) -> str:
        """What ``call`` returns as a web response body (dataflow/responses.py), as the called
        function's summary says: a helper an enclosing function defines (``def status_of(uuid)``
        in a blueprint factory), else a project function; when it has none, what its name says
        (``h.redirect_to(...)``: a response; else TEXT)."""
        func = call.func
        definition = _enclosing_definition(func.id, chain) if func.__class__ is ast.Name else None  # type: ignore[attr-defined]
        if definition is not None:
            summary = self.local_summaries.get(self.function_qualname(definition))
        else:
            summary = self.summary_for(self.qualname(func), func)
        return summary_kind(summary.returns_kind, summary.returns_class) if summary is not None else unseen_call_kind(func)

    def _note_handler(self, node: ast.ClassDef, method: ast.AST, tornado: bool, falcon: bool, cherrypy: bool, exposed_class: bool) -> None:
        """What a handler method of Tornado, Falcon or CherryPy is given (see web_handlers.py)."""
        found = None
        if tornado:
            found = web_handlers.tornado_parameters(self, node, method)
        if found is None and falcon:
            found = web_handlers.falcon_parameters(self, node, method)
        if found is None and cherrypy:
            found = web_handlers.cherrypy_parameters(self, method, True, exposed_class)
        if found is not None:
            self.framework_handlers[id(method)] = found

    def framework_parameters(self, node: ast.AST, is_method: bool) -> dict[str, str] | None:
        """What the framework passes the parameters of ``node`` (a Tornado, Falcon or CherryPy
        handler: see web_handlers.py), or None."""
        if is_method:
            for question in sorted(self.tornado_questions):  # (what the answers say of the class, for the method's record)
                self.told_routes(question)
            return self.framework_handlers.get(id(node))
        if web_handlers.CHERRYPY in self.handler_frameworks:  # (an exposed function)
            return web_handlers.cherrypy_parameters(self, node, False)
        return None

    def _serializer_class(self, node: ast.ClassDef) -> str | None:
        """``serializer_class = JobSerializer`` in a DRF view's body, which ``self.get_serializer()``
        instantiates (unless the view chooses its serializer itself)."""
        if any(s.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and s.name in ("get_serializer", "get_serializer_class")
               for s in node.body):
            return None
        return self._form_class(node, "serializer_class")

    def _form_class(self, node: ast.ClassDef, attribute: str = "form_class") -> str | None:
        """``form_class = ContactForm`` in a form view's body: the form's qualified name."""
        for statement in node.body:
            if (statement.__class__ is ast.Assign and len(statement.targets) == 1
                    and statement.targets[0].__class__ is ast.Name and statement.targets[0].id == attribute):
                name = self.qualname(statement.value)
                if name is not None and "." not in name:
                    name = f"{self.qualname_prefix(node)}.{name}"
                return name
        return None

    def form_fields(self, form_class: str) -> tuple[list[str], dict[str, frozenset[int] | None], dict[str, str]]:
        """The project bases of ``form_class`` (a Django form or DRF serializer), its fields Django
        converts (each with the CWEs its value still allows; None: untrusted), and the methods
        validating them (see forms.py): a question to the project like a function's summary."""
        table = self.summaries
        quiet, table.quiet = table.quiet, False  # (what the entry holds matters, not its sources)
        try:
            return forms.decoded(table.get(forms.entry_name(form_class)))
        finally:
            table.quiet = quiet

    def validated_value(self, form_class: str, field: str, value: Taint) -> Taint:
        """``form.cleaned_data[field]`` / ``serializer.validated_data[field]`` of a ``form_class``
        given ``value`` (see forms.py)."""
        return forms.validated_value(self, form_class, field, value)

    def _callees_first(self, items: list[tuple[ast.AST, dict]]) -> list[tuple[ast.AST, dict]]:
        """Functions ordered so that one called by another (``helper()``, ``self.helper()`` in a
        method of the same class, ``Helper()`` for ``Helper.__init__``) is analysed before its
        caller, which is then told its summary in this same analysis. Otherwise source order
        (also for functions calling each other)."""
        keyed: dict[tuple[str | None, str], list[int]] = {}  # (class or None, name) -> positions
        methods: dict[str, list[int]] = {}  # name -> positions of the methods of that name
        for position, (node, _) in enumerate(items):
            if node.__class__ in _FUNCTION_NODES:
                owner = self.class_of_method.get(id(node))
                keyed.setdefault((owner, node.name), []).append(position)
                if owner is not None:
                    methods.setdefault(node.name, []).append(position)
        if len(keyed) < 2:
            return list(items)
        classes = {name.rsplit(".", 1)[-1]: name for name in set(self.class_of_method.values())}
        calls = self._called_names
        fastapi = self.imports_fastapi
        # pydantic validators first: a route's body model holds what they return (validators.py)
        validating = [p for key in validator_functions(self) for p in keyed.get(key, ())]

        def callees(position: int) -> list[int]:
            node = items[position][0]
            owner = self.class_of_method.get(id(node))
            found: list[int] = []
            if owner is not None and node.name != "__init__":
                # What the constructors of its class (and of its bases here) store on ``self``
                # before the method reads it (else it is analysed again, see
                # ``reanalyze_methods_reading_changed_attributes``).
                for ancestor in self._class_and_bases(owner):
                    found += keyed.get((ancestor, "__init__"), ())
            for on_self, name in calls.get(id(node), ()):
                if on_self is SUPER:  # a base class's method (one of this file's, if any)
                    bases = self._class_and_bases(owner)[1:] if owner is not None else ()
                    found += next((keyed[(base, name)] for base in bases if (base, name) in keyed), ())
                elif on_self:  # the class's own method, else one it may inherit
                    found += keyed.get((owner, name)) or methods.get(name, ())
                else:
                    found += keyed.get((None, name), ())
                    if name in classes:  # its constructor, its own or the one it inherits from here
                        found += next((keyed[(base, "__init__")] for base in self._class_and_bases(classes[name])
                                       if (base, "__init__") in keyed), ())
            if validating and position not in validating:
                found += validating
            if fastapi:  # ``f: Filters = Depends()``: what ``Filters.__init__`` stores is read at the start
                for name in dependency_class_names(self, node):
                    if name in classes:
                        found += next((keyed[(base, "__init__")] for base in self._class_and_bases(classes[name])
                                       if (base, "__init__") in keyed), ())
            return found

        order: list[int] = []
        placed = [False] * len(items)
        for start in range(len(items)):
            if placed[start]:
                continue
            placed[start] = True
            work = [(start, iter(callees(start)))]  # depth first: callees, then the function
            while work:
                current, pending = work[-1]
                for callee in pending:
                    if not placed[callee]:
                        placed[callee] = True
                        work.append((callee, iter(callees(callee))))
                        break
                else:
                    work.pop()
                    order.append(current)
        return [items[position] for position in order]

    def _recursive_groups(self, items: list[tuple[ast.AST, dict]]) -> dict[int, list[int]]:
        """The functions of ``items`` (in ``_callees_first`` order) that call themselves, directly
        or through each other (``name()`` of a module-level function, ``self.name()`` of a method
        of the same class): position -> the positions of its group, in order. Each group's
        members come after every other function they call (a cycle of the depth-first order)."""
        calls = self._called_names
        keyed: dict[tuple[str | None, str], int] = {}
        for position, (node, _) in enumerate(items):
            if node.__class__ in _FUNCTION_NODES:
                owner = self.class_of_method.get(id(node))
                if owner is not None or self.qualname_prefix(node) == self.module_name:  # (a nested function's calls of itself are local)
                    keyed[(owner, node.name)] = -1 if (owner, node.name) in keyed else position  # (-1: defined twice)
        names = {name for _, name in keyed}  # (most calls are of other names: one set lookup each)
        edges: dict[int, list[int]] = {}
        for (owner, _), position in keyed.items():
            if position < 0:
                continue
            targets = []
            for on_self, name in calls.get(id(items[position][0]), ()):
                if name in names and (on_self is False or (on_self is True and owner is not None)):
                    target = keyed.get((owner if on_self is True else None, name), -1)
                    if target >= 0:
                        targets.append(target)
            if targets:
                edges[position] = targets
        if not edges:
            return {}
        return {position: group for group in _cycles(edges) for position in group}

    def _analyze_recursive(self, members: list[tuple[ast.AST, dict]], globals_state: dict) -> None:
        """Functions calling themselves (``clamp``, or ``even`` and ``odd``): analysed with their
        recursive calls assumed to return a value proven safe for everything, then again with what
        they returned instead until every assumption holds (each returns, on every path, a value
        proven at least for what was assumed of it, with no origins of another shape): the proof
        holds by induction on the depth of the calls. As soon as one returns a value proven for
        nothing (or after a few rounds), they are analysed as any function, their recursive calls
        of unknown value (the calls and nested functions the rounds before found dropped). Only
        groups whose every function may return a proof are tried (see _may_return_a_proof)."""
        own = self.summaries.maps[0]
        names = [self.function_qualname(node) for node, _ in members]
        assumed: dict[str, Taint] = {name: PROVEN for name in names} if all(_may_return_a_proof(node) for node, _ in members) else {}
        calls, nested, budget_exceeded = len(self.call_sites), len(self.nested), self.budget_exceeded
        for round_number in range(MAX_PROOF_ROUNDS + 1):
            if round_number == MAX_PROOF_ROUNDS:
                assumed = {}
            if round_number:
                del self.call_sites[calls:], self.nested[nested:]
                self.budget_exceeded = budget_exceeded
            for (node, _), name in zip(members, names):
                if name in assumed:
                    own[name] = self._assumed_summary(node, name, assumed[name])
                else:
                    own.pop(name, None)
            self.assumed_returns = assumed
            try:
                for node, defining_state in members:
                    self.analyze_function(node, _seen_from(globals_state, defining_state))
            except Unproven:
                assumed = {}
                continue
            finally:
                self.assumed_returns = None
            if not assumed:
                return
            returned = {name: self.local_summaries[name].returns for name in names}
            if all(assumption_holds(returned[name], assumption) for name, assumption in assumed.items()):
                return
            assumed = {name: returned[name] for name in assumed} if all(returned[name].__class__ is Proven for name in assumed) else {}

    def _assumed_summary(self, node: ast.AST, name: str, returns: Taint) -> FunctionSummary:
        """The summary a recursive function's calls are told while its proof is checked."""
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        params = [a.arg for a in (*positional, *([args.vararg] if args.vararg else []), *args.kwonlyargs, *([args.kwarg] if args.kwarg else []))]
        return FunctionSummary(name, params, returns, is_method=self.is_method(node), vararg=len(positional) if args.vararg else None)

    @property
    def _called_names(self) -> dict[int, list[tuple[bool | object, str]]]:
        """For each function (node id): the calls it makes itself as ``name()`` (False, name),
        ``self.name()`` / ``cls.name()`` (True, name) or ``super().name()`` (SUPER, name), in
        source order (from the calls the facts walk gathered)."""
        known = self.__dict__.get("_called_names_cache")
        if known is not None:
            return known
        found: dict[int, list[tuple[bool, str]]] = {}
        name_class, attribute_class, call_class = ast.Name, ast.Attribute, ast.Call
        for node, ancestors in self.facts.nodes:
            if node.__class__ is not call_class:
                continue
            func = node.func
            # ``Thread(target=work)``, ``tasks.add_task(send, x)``: ``work``, ``send`` are called (later)
            deferring = (func.id if func.__class__ is name_class else func.attr if func.__class__ is attribute_class else None) in DEFERRED_LAST_NAMES
            if func.__class__ is name_class:
                call = (False, func.id)
            elif func.__class__ is attribute_class and func.value.__class__ is name_class and func.value.id in ("self", "cls"):
                call = (True, func.attr)
            elif (func.__class__ is attribute_class and func.value.__class__ is call_class
                  and func.value.func.__class__ is name_class and func.value.func.id == "super"):
                call = (SUPER, func.attr)
            elif deferring:
                call = None
            else:
                continue
            for ancestor in reversed(ancestors):
                if ancestor.__class__ in _FUNCTION_NODES or ancestor.__class__ is ast.Lambda:
                    calls = found.setdefault(id(ancestor), [])
                    if call is not None:
                        calls.append(call)
                    if deferring:
                        calls += _handed_over(node)
                    break
        self.__dict__["_called_names_cache"] = found
        return found

    def analyze_function(self, node: ast.AST, globals_state: dict) -> None:
        qualname = self.function_qualname(node)
        occurrence = (id(node), self._analyses_of.get(id(node), 0))
        self._analyses_of[id(node)] = occurrence[1] + 1
        earlier = self.previous.records.get(occurrence) if self.previous is not None else None
        if earlier is not None and self._still_valid(earlier, globals_state):
            summary = self._replay(earlier)
            reads = {key: answer for key, answer in earlier.lookups.items() if key[0] in ("attribute", "constructed")}
            if reads or id(node) in self._attribute_reads:
                self._attribute_reads[id(node)] = reads
                self._read_since[id(node)] = self._attributes_version  # (the answers were checked just now)
        else:
            if id(node) in self.class_of_method:  # (each method's reads of class attributes, for the re-analysis)
                self._attribute_reads[id(node)] = {}
                self._read_since[id(node)] = self._attributes_version
            summary = self._analyze(node, qualname, globals_state, occurrence)
        self.local_summaries[qualname] = summary
        self.summaries[qualname] = summary
        if summary.is_method:
            class_name = qualname.rsplit(".", 1)[0]
            self.local_classes.add(class_name)
            if returns_own_data(summary):
                self.local_classes_returning_data.add(class_name)
        self._globals_for[id(node)] = globals_state

    def _analyze(self, node: ast.AST, qualname: str, globals_state: dict, occurrence: tuple[int, int]) -> FunctionSummary:
        record = _Record(globals_state) if self.recording else None
        self._record = record
        table = self.summaries
        if record is not None:
            table.log, table.log_asked = record.lookups, record.asked
            calls_before, nested_before, budget_before = len(self.call_sites), len(self.nested), self.budget_exceeded
            self.budget_exceeded = False
        try:
            analysis = FunctionAnalysis(self, node, qualname, globals_state, public=self.is_public(node)).run()
        finally:
            self._record = None
            table.log = table.log_asked = None
        guards = analysis.guards()
        summary = FunctionSummary(qualname, analysis.params, _without_stored(CLEAN if analysis.returns is None else analysis.returns), is_method=self.is_method(node), vararg=analysis.vararg,
                                  guards=guards, callbacks=tuple(analysis.param_calls), checks=analysis.true_checks(guards),
                                  first_checks=analysis.true_first_checks(),
                                  returns_instance=analysis.self_name is None or analysis.instance_returned,
                                  is_property=analysis.self_name is not None and self.is_property(node),
                                  returns_class=_returns_class(node, analysis) if getattr(node, "returns", None) is not None else None,
                                  returns_kind=analysis.returned_kind or TEXT)
        if summary.is_method:
            if self.declares_content_types and getattr(node, "name", None) in RESPONSE_HOOKS:
                summary.sets_content_type, summary.content_type_keyword, summary.content_type_method = \
                    hook_content_type(node, analysis.literal_value)
            summary.returns_text = returned_text(node)  # (a base class's file need not import the framework)
            if getattr(node, "name", None) in DISPLAY_METHODS:
                summary.reveals_credential = reveals_credential(node)
        self.values.update(analysis.values)
        if record is not None:
            record.values = analysis.values
            record.call_sites = self.call_sites[calls_before:]
            record.nested = self.nested[nested_before:]
            record.budget_exceeded = self.budget_exceeded
            self.budget_exceeded = self.budget_exceeded or budget_before
            record.summary = summary
            self.records[occurrence] = record
        return summary

    def _still_valid(self, record: _Record, globals_state: dict) -> bool:
        """Would analysing the function again give what ``record`` holds? Yes when it is given
        the same state and every question it asked gets the same answer now."""
        if record.inputs is not globals_state and record.inputs != globals_state:
            return False
        for key, answer in record.lookups.items():
            if key[0] == "class":
                now = self._class_answer(key[1], key[2])
            elif key[0] in ("attribute", "constructed"):
                now = self._attribute_answer(key)
            elif key[0] == _ROUTES_KEY:
                now = self._routes_answer(key[1])
            else:
                now = self.summaries.answer(key[0], key[1])
            if now is not answer and now != answer:
                return False
        return True

    def _replay(self, record: _Record) -> FunctionSummary:
        """Redo what the recorded analysis did, without analysing."""
        self.reused += 1
        self.values.update(record.values)
        self.call_sites.extend(record.call_sites)
        self.nested.extend(record.nested)
        for node, _ in record.nested:  # (what analysing its ``def``/``class`` statements noted)
            if node.__class__ in _FUNCTION_NODES or node.__class__ is ast.ClassDef:
                self.defined_in[id(node)] = record.summary.qualname
        for class_name, attribute, taint, constructor in record.attributes:
            self._join_attribute(class_name, attribute, taint, constructor)
        for name, taint in record.module_stores:
            self._join_module_store(name, taint)
        for function, name, param, origin in record.parameter_stores:
            self.parameter_stores.setdefault(function, {}).setdefault((name, param), origin)
        self.project_method_calls.update(record.project_method_calls)
        self.silent_displays.update(record.silent_displays)
        self.budget_exceeded = self.budget_exceeded or record.budget_exceeded
        for name, quiet in record.asked:
            (self.summaries.asked_quietly if quiet else self.summaries.asked).add(name)
        for name, quiet in record.asked_classes:
            (self.asked_classes_quietly if quiet else self.asked_classes).add(name)
        self.asked_routes.update(record.asked_routes)
        assert record.summary is not None
        return record.summary

    def reanalyze_methods_reading_changed_attributes(self, globals_state: dict) -> None:
        """A method analysed before another method of its class stored something in an attribute
        it reads (``run`` written above ``__init__``, or a method ``__init__`` calls, hence analysed
        first) was told too little: it is analysed again, in the order of the first analyses. What
        it stores may change what others read in turn: a few rounds at most."""
        for _ in range(MAX_ATTRIBUTE_ROUNDS):
            version = self._attributes_version
            stale = [node_id for node_id, reads in self._attribute_reads.items()
                     if reads and self._read_since[node_id] < version and self._reads_changed(reads)]
            if not stale:
                return
            for node_id in stale:
                node = self._nodes.get(node_id)
                if node is not None:
                    self.analyze_function(node, self._globals_for.get(node_id, globals_state))

    # ---- module-level state (see module_state.py) ----------------------------------------------
    @functools.cached_property
    def module_state_names(self) -> frozenset[str]:
        """Names an assignment at module level binds (computed at the first store of untrusted data)."""
        return module_state.module_bound_names(self.parsed.tree)

    @functools.cached_property
    def module_level_functions(self) -> frozenset[int]:
        return module_state.module_level_functions(self.parsed.tree)

    def local_names(self, function: ast.AST) -> frozenset[str]:
        found = self._local_names.get(id(function))
        if found is None:
            found = self._local_names[id(function)] = module_state.local_names(function)
        return found

    def store_in_module_state(self, name: str, value: Taint, step: TraceStep, function: str) -> None:
        """``function`` stores ``value`` in the module-level ``name`` at ``step``: its sources'
        data for the readers, its parameters for its callers (see store_handed_value)."""
        stored = module_state.stored_value(value, step)
        for origin in module_state.stored_parameters(value, step):
            self._note_parameter_store(function, name, origin)
        if not stored.is_clean:
            self._store(name, stored)

    def store_handed_value(self, name: str, argument: Taint, step: TraceStep, stored: Origin, caller: str) -> None:
        """``argument`` is given at ``step`` to a function that stores that parameter (``stored``:
        its origin as stored) in ``name``."""
        value = module_state.handed_value(argument, step, stored)
        for origin in value.origins:
            if origin.param is not None:  # (the caller's own parameter: a store of the caller's, for its callers)
                self._note_parameter_store(caller, name, origin)
        data = Taint(frozenset(origin for origin in value.origins if origin.param is None))
        if data.origins:
            self._store(name, data)

    def _note_parameter_store(self, function: str, name: str, origin: Origin) -> None:
        known = self.parameter_stores.setdefault(function, {})
        if (name, origin.param) not in known:
            known[(name, origin.param)] = origin
            if self._record is not None:
                self._record.parameter_stores.append((function, name, origin.param, origin))

    def _store(self, name: str, stored: Taint) -> None:
        if self._record is not None:
            self._record.module_stores.append((name, stored))
        self._join_module_store(name, stored)

    def _join_module_store(self, name: str, taint: Taint) -> None:
        self.module_stores[name] = join(self.module_stores.get(name), taint)

    def reads_module_state(self, expr: ast.expr | None, function: ast.AST | None) -> bool:
        """Does ``expr``, in ``function``, read a module-level name the file's functions stored
        untrusted data in? (Its module binding may be a constant, ``PENDING = {}``: the scopes'
        constant test does not know what functions store there.)"""
        if expr is None or function is None or id(function) not in self.module_level_functions:
            return False
        local = self.local_names(function)
        return any(node.__class__ is ast.Name and node.id in self.module_stores and node.id not in local for node in ast.walk(expr))

    def reanalyze_functions_reading_module_state(self, globals_state: dict) -> None:
        """Analyse again the functions (at module level) that read a module-level name the file's
        functions stored untrusted data in, with the name holding it too: in whatever order the
        requests come, the data stored by one may be read by another. What they store in turn is
        read by others in the next round (a few at most)."""
        given: dict[int, dict] = {}  # function node id -> the globals of its first analysis
        applied: dict[str, Taint] = {}
        for _ in range(module_state.MAX_MODULE_STATE_ROUNDS):
            changed = {name for name, taint in self.module_stores.items() if applied.get(name) != taint}
            if not changed or self.budget_exceeded:
                return
            applied = dict(self.module_stores)
            readers = [node_id for node_id in list(self._globals_for) if node_id in self.module_level_functions
                       and not changed.isdisjoint(module_state.names_read(self._nodes[node_id]))]
            for node_id in readers:
                first = given.setdefault(node_id, self._globals_for[node_id])
                state = dict(first)
                for name, taint in applied.items():
                    state[name] = join(first.get(name, globals_state.get(name)), taint)
                self.analyze_function(self._nodes[node_id], state)

    # ---- names ------------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> str | None:
        return self.facts.imports.qualname(node)

    def qualname_prefix(self, node: ast.AST) -> str:
        return self.defined_in.get(id(node), self.module_name)

    def function_qualname(self, node: ast.AST) -> str:
        known = self.function_names.get(id(node))
        if known:
            return known
        class_name = self.class_of_method.get(id(node))
        name = getattr(node, "name", f"<lambda:{getattr(node, 'lineno', 0)}>")
        qualname = f"{class_name or self.qualname_prefix(node)}.{name}"
        self.function_names[id(node)] = qualname
        self._nodes[id(node)] = node
        return qualname

    def summary_for(self, name: str | None, func: ast.expr) -> FunctionSummary | None:
        if name:
            found = self.summaries.get(name)
            if found is not None:
                return found
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            for class_name in self._current_classes():
                candidate = self.summaries.get(f"{class_name}.{func.attr}")
                if candidate is not None:
                    return candidate
        return None

    def _current_classes(self) -> list[str]:
        return sorted(set(self.class_of_method.values()))

    def is_project_class(self, name: str) -> bool:
        """A class of the reviewed code whose methods have summaries."""
        quiet = self.summaries.quiet
        if self._record is not None and ("class", name, quiet) not in self._record.lookups:
            self._record.lookups[("class", name, quiet)] = self._class_answer(name, quiet)
        if name in self.local_classes:
            return True
        (self.asked_classes_quietly if quiet else self.asked_classes).add(name)
        if self._record is not None:
            self._record.asked_classes.append((name, quiet))
        return name in self.project_classes

    def _class_answer(self, name: str, quiet: bool) -> bool:
        """What ``is_project_class`` tells the analysis; at a quiet call only a class with a
        method that returns untrusted data of its own makes a difference."""
        if quiet:
            return name in self.local_classes_returning_data or (name in self.project_classes and name in self.project_classes_returning_data)
        return name in self.local_classes or name in self.project_classes

    def is_project_function(self, name: str) -> bool:
        return name in self.summaries

    def code(self, line: int) -> str:
        return self.parsed.source_line(line).strip()

    def is_constant_name(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id in self.module_constants

    # ---- what kind of function ----------------------------------------------------------------
    def is_method(self, node: ast.AST) -> bool:
        if id(node) not in self.class_of_method:
            return False
        decorators = {getattr(d, "id", getattr(d, "attr", "")) for d in getattr(node, "decorator_list", [])}
        return "staticmethod" not in decorators

    def is_property(self, node: ast.AST) -> bool:
        """A method decorated as a property (``@property``, ``@cached_property``)."""
        decorators = getattr(node, "decorator_list", None)
        return bool(decorators) and any(self.qualname(decorator) in PROPERTY_DECORATORS for decorator in decorators)

    def is_public(self, node: ast.AST) -> bool:
        name = getattr(node, "name", "_")
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            return False
        prefix = self.function_qualname(node)
        return not any(part.startswith("_") and not part.startswith("__") for part in prefix.split(".")[:-1] if part)

    def is_flask_view(self, node: ast.AST) -> bool:
        """A method Flask dispatches to of a class-based view (``class ItemAPI(MethodView): def
        get(self, item_id)``), or a function an ``add_url_rule`` of this file routes to
        (``app.add_url_rule("/doc/<path:name>", "doc", show)``): called with the URL rule's
        variables, like a decorated route."""
        return id(node) in self.flask_view_methods or (self.imports_flask and is_registered_flask_view(self, node))

    @functools.cached_property
    def imports_flask(self) -> bool:
        """Does the file import Flask (or a REST extension)? Only then are its functions views
        that registrations route to (see flask_rules.py)."""
        return imports_flask(self)

    def is_route(self, node: ast.AST) -> bool:
        if self.is_flask_view(node):
            return True
        for decorator in getattr(node, "decorator_list", []):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Attribute) and (target.attr in ROUTE_DECORATOR_NAMES or (
                    target.attr == FLASK_ADMIN_EXPOSE_NAME and exposed_rules(self, node))):
                return True
            if isinstance(target, ast.Name):
                if target.id in ("view_config", "api_view"):
                    return True
                if target.id == FLASK_ADMIN_EXPOSE_NAME and exposed_rules(self, node):
                    return True  # Flask-Admin's ``@expose("/download/<path:name>")``
                if target.id in LITESTAR_ROUTE_DECORATORS and self.imports_litestar and (self.qualname(target) or "").startswith("litestar."):
                    return True  # ``@get("/items")`` of litestar
        return False

    def route_parameter_kind(self, node: ast.AST, name: str) -> str:
        """Where a route's parameter comes from: the path (``"/users/{id}"``, ``"/<int:id>"``) or,
        for FastAPI-style routes, the query string."""
        if self.imports_flask and is_registered_flask_view(self, node):  # (``add_url_rule``, here or in another file: Werkzeug's syntax)
            if any(rule.rule is not None and re.search(r"<(?:[^>:]*:)?" + re.escape(name) + r">", rule.rule)
                   for rule in flask_rules_of(self, node)):
                return "URL path parameter"
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and decorator.args and isinstance(decorator.args[0], ast.Constant):
                template = str(decorator.args[0].value)
                if re.search(r"[{<](?:[^}>:]*:)?" + re.escape(name) + r"[}>:]", template):
                    return "URL path parameter"
                if "{" in template or self.imports_fastapi or self.imports_litestar or self.ninja_route(node) is not None:
                    return "HTTP query parameter"
        return "HTTP route parameter"

    def is_django_view(self, node: ast.AST, is_method: bool) -> bool:
        """``def view(request, slug)`` in a Django module, or ``get(self, request, pk)`` in a
        class-based view: the parameters after ``request`` come from the URL."""
        if not self._imports_django:
            return False
        args = [a.arg for a in node.args.args]
        if is_method:
            args = args[1:]
        # (``get(self, request, *args, **kwargs)``: the URL's parameters arrive in args/kwargs)
        if not (args and args[0] == "request" and (len(args) > 1 or node.args.vararg or node.args.kwarg)):
            return False
        if self.ninja_route(node) is not None:
            return False  # (Ninja reads its parameters as FastAPI does: see route_parameter_kind)
        if is_method:
            return getattr(node, "name", "") in CLASS_VIEW_METHODS or (
                id(node) in self.django_view_methods and _decorated_by(node, DRF_ACTION_DECORATORS))  # ``@action``
        decorators = {getattr(d.func if isinstance(d, ast.Call) else d, "id", None) or getattr(d.func if isinstance(d, ast.Call) else d, "attr", "") for d in node.decorator_list}
        if decorators & DJANGO_VIEW_DECORATORS:
            return True
        parts = self.module_name.split(".")
        in_views_module = bool(set(parts) & DJANGO_VIEW_MODULE_PARTS) or parts[-1] in DJANGO_VIEW_MODULE_LEAVES or self.path.endswith("views.py")
        # (a function its own file calls is a helper of the views: see models DJANGO_VIEW_MODULE_PARTS)
        return in_views_module and not (self._callers_by_name.get(getattr(node, "name", ""), set()) - {id(node)})

    @functools.cached_property
    def _callers_by_name(self) -> dict[str, set[int]]:
        """Each name the file's functions call as a plain name (``redirect_to(request, "/home/")``)
        -> the functions (node ids) calling it."""
        found: dict[str, set[int]] = {}
        for caller, calls in self._called_names.items():
            for on_self, name in calls:
                if on_self is False:
                    found.setdefault(name, set()).add(caller)
        return found

    def route_conversions(self, function: ast.AST) -> dict[str, frozenset[int]]:
        """The parameters of the view ``function`` (a function, or a method of a class-based view)
        that every route to it converts, each with the CWEs its value still allows (see
        routes.py). A method is reached by the routes to its class and to the subclasses this
        file defines (those of other files are not known)."""
        class_name = self.class_of_method.get(id(function))
        if class_name is None:
            views = route_question([self.function_qualname(function)])
        else:
            views = self._view_families.get(class_name)
            if views is None:
                family = [name for name in sorted(self.class_bases) if name != class_name and class_name in self._class_and_bases(name)]
                views = self._view_families[class_name] = route_question(
                    [item for name in [class_name, *family] for item in (name, *self._viewset_items(name))])
        told = self.told_routes(views)
        known = self._route_answers.get(views)
        if known is None:
            known = self._route_answers[views] = {name: frozenset(cwes) for name, cwes in told}
        if class_name is not None and ACTIONS_MARK in known:  # (some routes dispatch only some actions)
            name = getattr(function, "name", "")
            return route_conversions_of(known, name, name in VIEWSET_ACTIONS or _decorated_by(function, DRF_ACTION_DECORATORS))
        return known

    def told_routes(self, views: str) -> Conversions:
        """The project's answer to a question of the routes to views (see routes.question, and
        flask_rules.ELSEWHERE), noted as asked by the file and by the function being analysed."""
        self.asked_routes.add(views)
        record = self._record
        if record is not None and (_ROUTES_KEY, views) not in record.lookups:
            record.lookups[(_ROUTES_KEY, views)] = self._routes_answer(views)
            record.asked_routes.append(views)
        known = self._told_routes.get(views)
        if known is None:
            known = self._told_routes[views] = self._routes_answer(views)
        return known

    def _viewset_items(self, class_name: str) -> list[str]:
        """A DRF viewset's lookup argument, if its class (or a base of this file) names it, and
        the arguments its actions' url_path capture: its routers' routes give them (see
        routes.viewset_items)."""
        return viewset_items(self._class_chain(class_name), self.module_constants)

    def _class_chain(self, class_name: str) -> list[ast.ClassDef]:
        return [self._class_nodes[name] for name in self._class_and_bases(class_name) if name in self._class_nodes]

    def _routes_answer(self, views: str) -> Conversions:
        return self.routes(views) if self.routes is not None else ()

    def is_request_name(self, name: str, parameter: bool = False) -> bool:
        # ``request`` imported from flask is handled as a qualified source; a parameter or local
        # named ``request`` is a request object (Django, Starlette, aiohttp...) -- in a module of
        # a web application, not in an HTTP client library.
        if not self.imports_web:
            return False
        return parameter or not (self._request_imported and name == "request")

    # ---- class attributes ------------------------------------------------------------------
    # What a method stores on ``self`` is what every method of the class reads back (joined over
    # the methods that store it; instances are not told apart). A source is kept as it is; a
    # parameter of the constructor becomes an ATTRIBUTE origin naming it (see values.py), so
    # ``self.target`` set from ``__init__(self, target)`` and run in ``os.system("tar " +
    # self.target)`` makes that sink a sink of ``Backup.__init__``'s parameter:
    # ``Backup(request.form["target"]).run()`` is found by the project pass.
    #
    # Base classes count (``attribute_of``). What a class's ``__init__`` leaves (``constructed``)
    # is kept apart from what its other methods store: a subclass with a constructor of its own
    # runs its base's only through ``super().__init__(...)``, with the arguments it passes there
    # (``through_super``); one without runs the one it inherits, as it is.
    def record_attribute(self, method: ast.AST, attribute: str, value: Taint) -> None:
        class_name = self.class_of_method.get(id(method))
        if class_name is None:
            return
        constructor = getattr(method, "name", None) == "__init__"
        stored = self._stored(method, value)
        if self._record is not None:
            self._record.attributes.append((class_name, attribute, stored, constructor))
        self._join_attribute(class_name, attribute, stored, constructor)

    def _stored(self, method: ast.AST, value: Taint) -> Taint:
        """What an attribute keeps of the value ``method`` stores in it (see above)."""
        origins = value.whole().origins
        if not origins:
            return CLEAN
        kept = []
        method_name = None
        for origin in (origins if len(origins) == 1 else ordered(origins)):
            if origin.param is None or origin.kind == ATTRIBUTE:
                kept.append(origin)
            elif origin.kind == INPUT and getattr(method, "name", None) in STORING_METHODS:
                method_name = method_name or self.function_qualname(method)
                kept.append(replace(origin, kind=ATTRIBUTE, description=method_name))
        return Taint(frozenset(_first_per_parameter(kept))) if kept else CLEAN

    def _join_attribute(self, class_name: str, attribute: str, taint: Taint, constructor: bool) -> None:
        attributes = (self.class_constructed if constructor else self.class_attributes).setdefault(class_name, {})
        known = attributes.get(attribute)
        if known is not None and any(origin.kind == ATTRIBUTE for origin in taint.origins):
            # One path per stored parameter is evidence enough; another path to it (assigned in
            # two branches, or again by a re-analysis) would only make its readers analysed again.
            taint = Taint(frozenset(_first_per_parameter(ordered(known.origins) + ordered(taint.origins))) - known.origins)
        joined = join(known, taint)
        if joined is not known and joined != known:
            attributes[attribute] = joined
            self._attributes_version += 1

    def class_attribute(self, method: ast.AST, attribute: str) -> Taint | None:
        """``self.<attribute>`` read in ``method`` (None: nothing stores it)."""
        class_name = self.class_of_method.get(id(method))
        if class_name is None:
            return None
        key = ("attribute", class_name, attribute)
        known = self._attribute_memo.get((class_name, attribute))
        if known is None or known[0] != self._attributes_version:
            return self._told(method, key)
        found = known[1]  # (the commonest case, ``_told`` written out)
        record = self._record
        if record is not None and key not in record.lookups:
            record.lookups[key] = found
        reads = self._attribute_reads.get(id(method))
        if reads is not None and key not in reads:
            reads[key] = found
        return found

    def _told(self, method: ast.AST, key: tuple):
        """The answer to an attribute question (see ``_attribute_answer``), noted for the replay
        (``_still_valid``) and the re-analysis of the methods told too little."""
        found = self._attribute_answer(key)
        if self._record is not None and key not in self._record.lookups:
            self._record.lookups[key] = found
        reads = self._attribute_reads.get(id(method))
        if reads is not None and key not in reads:
            reads[key] = found
        return found

    def _attribute_answer(self, key: tuple):
        if key[0] == "attribute":
            return self.attribute_of(key[1], key[2])
        return self.constructed_by(key[1])  # ("constructed", class)

    def attribute_of(self, class_name: str, attribute: str) -> Taint | None:
        """What ``attribute`` holds in an instance of ``class_name`` (None: nothing stores it):
        what its constructor leaves there, and what the methods of the class and of its base
        classes store (a base class of another file: as its file exported it, bases and all)."""
        key = (class_name, attribute)
        known = self._attribute_memo.get(key)
        if known is not None and known[0] == self._attributes_version:
            return known[1]
        found = self.constructed_by(class_name).get(attribute)
        for owner in self._class_and_bases(class_name):
            stored = self.class_attributes.get(owner, {}) if owner in self.class_bases else self._exported(owner, STORED)
            value = stored.get(attribute)
            if value is not None:
                found = join(found, value)
        if found is None and self._subclasses(class_name):
            found = self._stored_by_subclasses(class_name, attribute)
        self._attribute_memo[key] = (self._attributes_version, found)
        return found

    def _stored_by_subclasses(self, class_name: str, attribute: str) -> Taint | None:
        """The untrusted data the subclasses of this file store in an attribute that neither
        ``class_name`` nor its bases store (a base's method reading what each subclass sets:
        ``os.system("ping " + self.host)`` in ``Probe.run``, ``self.host = request.args["host"]``
        in ``RequestProbe.__init__``). On an instance of the class itself the method would fail
        there: it runs on one of a subclass, with what that subclass stored. Only the sources
        the subclasses read (not the parameters they keep, nor constants): those would make the
        base's methods, analysed before the subclasses' constructors, analysed again (framework
        class hierarchies are full of them: +0.3% instructions on Django, for no finding)."""
        found = None
        for subclass in self._subclasses(class_name):
            constructed = self.class_constructed.get(subclass) if subclass in self.classes_with_constructor else None
            for stored in (constructed, self.class_attributes.get(subclass)):
                value = stored.get(attribute) if stored else None
                if value is None:
                    continue
                origins = value.whole().origins
                sources = frozenset(origin for origin in origins if origin.param is None)
                if sources:  # (as stored, proofs and all, when it holds nothing else)
                    found = join(found, value if len(sources) == len(origins) else Taint(sources))
        return found

    def _subclasses(self, class_name: str) -> list[str]:
        """The classes of this file deriving from ``class_name`` (remembered while no class is added)."""
        known = self._subclass_index
        if known[0] != len(self.class_bases):
            index: dict[str, list[str]] = {}
            for name in self.class_bases:
                for ancestor in self._class_and_bases(name)[1:]:
                    index.setdefault(ancestor, []).append(name)
            known = self._subclass_index = (len(self.class_bases), index)
        return known[1].get(class_name, [])

    def constructed_by(self, class_name: str) -> dict[str, Taint]:
        """What the constructor ``Class(...)`` runs leaves in the attributes: the class's own
        ``__init__``'s, else the one it inherits."""
        for owner in self._class_and_bases(class_name):
            if owner not in self.class_bases:
                return self._exported(owner, CONSTRUCTED)  # (its file's answer covers its bases)
            if owner in self.classes_with_constructor:
                return self.class_constructed.get(owner, {})
        return {}

    def through_super(self, method: ast.AST, constructor: FunctionSummary, positional: list[Taint], keywords: dict,
                      step: TraceStep) -> dict[str, Taint]:
        """What ``super().__init__(...)`` in ``method`` leaves in the attributes: what the base
        class's constructor leaves, its stored parameters replaced by the arguments given here
        (``super().__init__("/srv/fixed")`` stores a constant)."""
        class_name = self.class_of_method.get(id(method))
        bases = self.class_bases.get(class_name or "", ())
        if not bases:
            return {}
        left = {}
        for attribute, value in self._told(method, ("constructed", bases[0])).items():
            kept = [origin for origin in value.origins if not (origin.kind == ATTRIBUTE and origin.description == constructor.qualname)]
            result = Taint(frozenset(kept)) if kept else CLEAN
            for origin in value.origins:
                if origin.kind == ATTRIBUTE and origin.description == constructor.qualname:
                    index = origin.param - 1  # (``self`` is not among the arguments)
                    name = constructor.params[origin.param] if origin.param < len(constructor.params) else None
                    argument = positional[index] if 0 <= index < len(positional) else keywords.get(name)
                    if argument is not None and not argument.is_clean:  # (not given: the default, a constant)
                        passed = argument.whole().sanitize(origin.sanitized) if origin.sanitized else argument.whole()
                        result = join(result, passed.with_step(step))
            left[attribute] = result
        return left

    def method_of_own_class(self, function: ast.AST, qualname: str) -> bool:
        """Is ``qualname`` a method of the class of the method ``function``, or of one of its
        bases here? (``self.f()`` is looked up among all the file's classes: see summary_for.)"""
        owner = self.class_of_method.get(id(function))
        return owner is not None and qualname.rpartition(".")[0] in self._class_and_bases(owner)

    def _class_and_bases(self, class_name: str) -> list[str]:
        """The class, then its ancestors known in this file, nearest first (a base of another
        file: its file's answers cover its ancestors)."""
        chain = self._chains.get(class_name)
        if chain is None:
            chain = [class_name]
            for owner in chain:
                if len(chain) > MAX_ANCESTORS:
                    break
                chain += [base for base in self.class_bases.get(owner, ()) if base not in chain]
            self._chains[class_name] = chain
        return chain

    def _exported(self, class_name: str, part: str) -> dict[str, Taint]:
        """What another file told of its class (a part of its ``<instances>`` entry: STORED or
        CONSTRUCTED). Asked of the project once per analysis of the file: the answer cannot change
        during it, and a replayed function that read an attribute asks again when its reads are
        checked (``_still_valid``), so the names asked are the same with or without this memo."""
        parts = self._exported_memo.get(class_name)
        if parts is None:
            parts = self._exported_memo[class_name] = {STORED: {}, CONSTRUCTED: {}}
            found = self._instances_entry(class_name)
            for (held_by, attribute), value in (found.returns.items or ()) if found is not None else ():
                parts[held_by][attribute] = value
        return parts[part]

    def _instances_entry(self, class_name: str) -> FunctionSummary | None:
        table = self.summaries
        quiet, table.quiet = table.quiet, False  # (what it holds matters, not only its sources)
        try:
            return table.get(f"{class_name}.{INSTANCES_ENTRY}")
        finally:
            table.quiet = quiet

    def _note_class(self, node: ast.ClassDef, class_name: str) -> None:
        """A class of this file: its bases (qualified names; a class of the same function or
        class body by its name there), and whether it has a constructor of its own. What other
        files are told of its bases (see ``bases_of``): a class without methods, its ``<bases>``
        entry (made now: the calls of this file ask it too); one with, its ``<instances>`` entry."""
        names = []
        derived_from = []  # (the bases but the builtins: ``object``, ``Exception``)
        for base in node.bases:
            found = self._class_reference(base, node)
            if found is not None:
                names.append(found[0])
                if found[1]:
                    derived_from.append(found[0])
        self.class_bases[class_name] = names
        self._class_nodes[class_name] = node
        self._chains.clear()
        if self._may_declare_models:
            for attribute, classes in _managers(node, lambda expr: self._class_reference(expr, node)):
                self._note_bases_entry(f"{class_name}.{attribute}", classes)
        methods = [child.name for child in node.body if child.__class__ in _FUNCTION_NODES]
        if methods:
            self.classes_with_methods.add(class_name)
            if derived_from:
                self.derived_from[class_name] = derived_from
        elif derived_from:
            self._note_bases_entry(class_name, derived_from)
        if "__init__" in methods:
            self.classes_with_constructor.add(class_name)
        elif self._may_declare_fields:
            self._note_fields(node, class_name)

    def _class_reference(self, expr: ast.expr, node: ast.ClassDef) -> tuple[str, bool] | None:
        """The qualified name of the class ``expr`` names in the body around ``node`` (a class of
        the same module, function or class body by its name there), and whether it may be one of
        the project's (not a builtin: ``object``, ``Exception``)."""
        name = self.qualname(expr)
        if name is None:
            return None
        if "." in name:
            return name, True
        return f"{self.qualname_prefix(node)}.{name}", name not in _BUILTIN_NAMES

    def _note_bases_entry(self, class_name: str, bases: list[str]) -> None:
        """``Class.<bases>`` (see analyzer.BASES_ENTRY): what other files, and the calls of this
        one, are told of the classes ``class_name`` (which defines no method) derives from. (A
        method's entry: the class is one of the project's, as a class with methods is.)"""
        entry = f"{class_name}.{BASES_ENTRY}"
        summary = FunctionSummary(entry, bases, is_method=True)
        self.local_summaries[entry] = summary
        self.summaries.maps[0][entry] = summary
        self.local_classes.add(class_name)

    @functools.cached_property
    def _may_declare_models(self) -> bool:
        """Whether the file's classes may be Django models, whose managers ``_managers`` finds: it
        imports ``django.db`` (``from django.db import models``)."""
        return self.facts.imports.imports_module("django.db")

    @functools.cached_property
    def _may_declare_fields(self) -> bool:
        """Does the file import a module whose classes generate ``__init__`` from fields?"""
        return any(self.facts.imports.imports_module(module) for module in FIELD_CLASS_MODULES)

    def _note_fields(self, node: ast.ClassDef, class_name: str) -> None:
        """A dataclass or pydantic model (see parameters.generated_constructor): its generated
        ``Class.__init__(self, *fields)`` stores each field's value in the attribute of its name,
        as a constructor's parameters stored on ``self`` are followed (values.ATTRIBUTE): what
        its methods do with ``self.<field>`` is a sink of that constructor for its callers
        (``Paging(cursor=x).apply(db)``, or FastAPI building it for a route)."""
        init = generated_constructor(self, node)
        if init is None:
            return
        self.generated_constructors[class_name] = init
        self.classes_with_constructor.add(class_name)
        constructor = f"{class_name}.__init__"
        fields = init.args.kwonlyargs
        for index, arg in enumerate(fields, start=1):
            step = TraceStep(self.path, arg.lineno, arg.col_offset, self.code(arg.lineno), f"field `{arg.arg}`")
            stored = Origin(constructor, Level.LOW, (step,), index, False, kind=ATTRIBUTE)
            self._join_attribute(class_name, arg.arg, Taint(frozenset((stored,))), True)
        summary = FunctionSummary(constructor, ["self", *(arg.arg for arg in fields)], is_method=True)
        self.local_summaries[constructor] = summary
        self.summaries[constructor] = summary
        self.local_classes.add(class_name)

    def _summarize_classes(self) -> None:
        """What other files are told of this file's classes: an entry of its own summaries for
        each, ``Class.<instances>`` (see analyzer.INSTANCES_ENTRY): the untrusted data the methods
        of the class and of its bases store, and what its constructor leaves, named after that
        constructor (the class's own ``__init__`` or the one it inherits). Every class that
        defines functions has one, even empty: the names a file defines must depend on its
        content alone (the project's tables keep names, see linking.py). One that defines none
        (an exception type, a ``Meta``) has none: a subclass in another file of such a class does
        not see what its bases store."""
        for class_name in sorted(self.classes_with_methods):
            stored: dict[str, Taint] = {}
            for owner in self._class_and_bases(class_name):
                held = self.class_attributes.get(owner, {}) if owner in self.class_bases else self._exported(owner, STORED)
                for attribute, value in held.items():
                    stored[attribute] = join(stored.get(attribute), value)
            items = [((part, attribute), value) for part, held in ((STORED, stored), (CONSTRUCTED, self.constructed_by(class_name)))
                     for attribute, value in sorted(held.items()) if not value.is_clean]
            name = f"{class_name}.{INSTANCES_ENTRY}"
            self.local_summaries[name] = FunctionSummary(self._constructor_of(class_name) or name, self.derived_from.get(class_name, []),
                                                         Taint(frozenset(), tuple(items)))

    def dependency_constructor(self, class_name: str) -> tuple[ast.AST | None, bool]:
        """What FastAPI calls when a route depends on the class ``class_name`` of this file
        (``f: Filters = Depends()``): the ``__init__`` that a dataclass or pydantic model generates
        from its fields (True; a class without any constructor: one without parameters), else its
        own or the one it inherits from a class of this file (False). (None, False): another
        file's (its annotations, which say what FastAPI converts, are not known here)."""
        memo = self.__dict__.setdefault("_dependency_constructors", {})
        if class_name not in memo:
            generated = self.generated_constructors.get(class_name)
            if generated is not None:
                memo[class_name] = (generated, True)
            elif self.inherited_model_entry(class_name) is not None:  # (of a model of another module: the fields it adds)
                memo[class_name] = (generated_constructor(self, self._class_nodes[class_name], True), True)
            else:
                constructor = self._constructor_of(class_name)
                if constructor is None:
                    memo[class_name] = (generated_constructor(self, None), True)
                else:
                    node = self._class_nodes.get(constructor.removesuffix(".__init__"))
                    init = next((child for child in node.body if child.__class__ in _FUNCTION_NODES and child.name == "__init__"), None) if node else None
                    memo[class_name] = (init, False)
        return memo[class_name]

    def class_node(self, class_name: str) -> ast.ClassDef | None:
        """The statement declaring the class ``class_name`` of this file, if it is one."""
        return self._class_nodes.get(class_name)

    def is_field_class(self, class_name: str) -> bool:
        """A dataclass or pydantic model: of this file (also deriving from another's), or
        another's whose entry says so."""
        if class_name in self.class_bases:
            return class_name in self.generated_constructors or self.inherited_model_entry(class_name) is not None
        entry = self.dependency_entry(class_name)
        return entry is not None and entry[2] is None

    def inherited_model_entry(self, class_name: str) -> tuple | None:
        """For a class of this file without fields of a model's own (nor a constructor) deriving
        from a model of another module (``class Order(BaseOrder)``, see parameters.imported_bases):
        that model's entry, decoded (its fields, as dependencies.py tells them). None otherwise."""
        node = self._class_nodes.get(class_name)
        if node is None or class_name in self.classes_with_constructor:
            return None
        for base in imported_bases(self, node):
            entry = self.dependency_entry(base)
            if entry is not None and entry[2] is None:
                return entry
        return None

    def class_level_values(self, class_name: str) -> dict[str, Taint]:
        """The constants the bodies of ``class_name`` and of its bases in this file bind to plain
        names (``kind = "page"``, ``limit: ClassVar[int] = 50``, a field's constant ``default=``):
        attributes an instance reads from its class, or starts with, carrying nothing. (A name
        bound to anything else is not listed.)"""
        found: dict[str, Taint] = {}
        for owner in reversed(self._class_and_bases(class_name)):
            node = self._class_nodes.get(owner)
            for statement in node.body if node is not None else ():
                if statement.__class__ is ast.Assign:
                    targets, value = statement.targets, statement.value
                elif statement.__class__ is ast.AnnAssign and statement.value is not None:
                    targets, value = [statement.target], statement.value
                else:
                    continue
                if value.__class__ is ast.Call:  # ``field(default="window", init=False)``: the default
                    value = next((keyword.value for keyword in value.keywords if keyword.arg == "default"), value)
                constant = fold(value, {}, self.module_constants) is not NOTHING
                for target in targets:
                    if target.__class__ is ast.Name:
                        if constant:
                            found[target.id] = CLEAN
                        else:
                            found.pop(target.id, None)
        return found

    def dependency_entry(self, class_name: str) -> tuple[dict[str, Taint], dict[str, Taint], str | None, list[str], dict[str, str]] | None:
        """What another module tells of its dependency class (see dependencies.py), decoded."""
        if "." not in class_name:
            return None  # (``str``, ``int``: a builtin, not a class of the project)
        table = self.summaries
        quiet, table.quiet = table.quiet, False  # (what it holds matters, not only its sources)
        try:
            entry = table.get(dependencies.entry_name(class_name))
        finally:
            table.quiet = quiet
        return dependencies.decoded(entry) if entry is not None else None

    def constructed_for(self, function: ast.AST, class_name: str) -> dict[str, Taint]:
        """``constructed_by(class_name)``, as read by ``function`` (noted for its replay)."""
        return self._told(function, ("constructed", class_name))

    def constructor_summary(self, class_name: str) -> FunctionSummary | None:
        """The summary of the ``__init__`` that ``Class(...)`` runs, if known: for a class of this
        file from what this analysis knows of it (not the project's tables, which hold this file's
        entries only after its first analysis)."""
        if class_name in self.class_bases:
            constructor = self._constructor_of(class_name)
            return self.summaries.get(constructor) if constructor is not None else None
        entry = self._instances_entry(class_name)
        if entry is None or not entry.qualname.endswith(".__init__"):
            return None
        return self.summaries.get(entry.qualname)

    def super_constructor(self, method: ast.AST) -> tuple[str | None, FunctionSummary | None]:
        """``super().__init__(...)`` in ``method``: the next class (the first base) and the summary
        of the constructor it runs (its own or the one it inherits), if known."""
        bases = self.class_bases.get(self.class_of_method.get(id(method)) or "", ())
        if not bases:
            return None, None
        return bases[0], self.constructor_summary(bases[0])

    def constructor_key(self, function: ast.AST, stored_by: str) -> str:
        """The function a sink in ``function`` reached by a parameter ``stored_by`` stored on the
        instance is a sink of: the constructor of ``function``'s class, by the class's name when it
        inherits it (``CopyJob.__init__``: only ``CopyJob(x)``, or a subclass's construction, reaches
        a method of ``CopyJob``, not ``StoredJob(x)``; see ``_forward_inherited_constructors``)."""
        class_name = self.class_of_method.get(id(function))
        if class_name is None or class_name in self.classes_with_constructor:
            return stored_by
        return f"{class_name}.__init__"

    def _stored_for(self, function: ast.AST, value: Taint) -> Taint:
        """``value`` passed on from ``function``, its stored parameters named after the
        constructor of ``function``'s class (see ``constructor_key``)."""
        if self.class_of_method.get(id(function)) in self.classes_with_constructor or not any(origin.kind == ATTRIBUTE for origin in value.origins):
            return value  # (its own constructor: the stored parameters are already named after it)
        renamed = set()
        for origin in value.origins:
            if origin.kind == ATTRIBUTE:
                key = self.constructor_key(function, origin.description)
                origin = origin if key == origin.description else replace(origin, description=key)
            renamed.add(origin)
        return Taint(frozenset(renamed))

    def _forward_inherited_constructors(self) -> None:
        """A class without a constructor of its own passes what it is constructed with to the
        next class's (``CopyJob(x)`` runs ``StoredJob.__init__(self, x)``): a call from
        ``CopyJob.__init__`` to ``StoredJob.__init__`` for the project pass, so that the sinks of
        ``StoredJob``'s methods (and its own bases') are reached by ``CopyJob(x)`` too."""
        for class_name in sorted(self.class_bases):
            bases = self.class_bases[class_name]
            if class_name in self.classes_with_constructor or not bases:
                continue
            constructor = self._constructor_of(class_name)
            summary = self.summaries.get(constructor) if constructor is not None else None
            if summary is None:
                continue
            node = self._class_nodes[class_name]
            step = TraceStep(self.path, node.lineno, node.col_offset, self.code(node.lineno),
                             f"constructed by `{constructor.rsplit('.', 2)[-2]}.__init__()`")
            caller = f"{class_name}.__init__"
            arguments = {index: Taint(frozenset({new_origin(f"parameter `{param}` of `{caller}()`", Level.LOW, (step,), index, False)}))
                         for index, param in enumerate(summary.params) if index > 0}
            if arguments:
                self.call_sites.append(CallSite(f"{bases[0]}.__init__", arguments, step, caller))

    def _forward_overridden_methods(self) -> None:
        """A method of a class of this file that overrides one of its bases' (``lookup`` in
        ``class ProductSearch(BaseSearch)``) runs wherever the base's methods call
        ``self.lookup(term)`` on an instance of this class (the template method pattern: a view's
        inherited ``get`` hands the request's data to the subclass's ``lookup``). For the project
        pass, a call from the base's method to the override, passing it the base method's
        parameters by position: the override's sinks become the base method's, which the calls
        on ``self`` in the base reach. (A call on an instance built as the base class itself,
        ``BaseSearch().lookup(x)``, cannot run the override, but is taken as one that may: the
        project pass does not tell a call on ``self`` from one on any instance.)"""
        for class_name in sorted(self.classes_with_methods):
            ancestors = self._ancestors(class_name)
            if not ancestors:
                continue
            for node in self._class_nodes[class_name].body:
                if node.__class__ not in _FUNCTION_NODES or node.name.startswith("__"):
                    continue
                override = self.local_summaries.get(f"{class_name}.{node.name}")
                if override is None:
                    continue
                for ancestor in ancestors:
                    overridden = self.summaries.get(f"{ancestor}.{node.name}")
                    if overridden is not None:
                        self._forward_to_override(overridden, override, node)

    def _ancestors(self, class_name: str) -> list[str]:
        """The classes ``class_name`` derives from, directly or not (of other files too, as they
        tell their bases), nearest first; at most MAX_ANCESTORS."""
        found: list[str] = []
        pending = list(self.bases_of(class_name))
        while pending and len(found) < MAX_ANCESTORS:
            base = pending.pop(0)
            if base not in found and base != class_name:
                found.append(base)
                pending += self.bases_of(base)
        return found

    def _forward_to_override(self, overridden: FunctionSummary, override: FunctionSummary, node: ast.AST) -> None:
        """The call from ``overridden`` (a base's method) to ``override`` (see
        ``_forward_overridden_methods``), its step at the override's ``def``."""
        first = 1 if override.is_method else 0
        shared = min(len(overridden.params), len(override.params))
        if override.vararg is not None:
            shared = min(shared, override.vararg)
        if shared <= first:
            return
        caller = overridden.qualname
        step = TraceStep(self.path, node.lineno, node.col_offset, self.code(node.lineno),
                         f"overrides `{caller.rsplit('.', 2)[-2]}.{node.name}()`: called on `self` there")
        arguments = {index: Taint(frozenset({new_origin(f"parameter `{overridden.params[index]}` of `{caller}()`", Level.LOW, (step,), index, False)}))
                     for index in range(first, shared)}
        self.call_sites.append(CallSite(override.qualname, arguments, step, caller))

    def _constructor_of(self, class_name: str) -> str | None:
        """The qualified name of the ``__init__`` that ``Class(...)`` runs: its own, else the first
        of its bases' (another file's class: as that file named it)."""
        for owner in self._class_and_bases(class_name):
            if owner not in self.class_bases:
                found = self._instances_entry(owner)
                if found is not None and found.qualname.endswith(".__init__"):
                    return found.qualname
                found = self.summaries.get(f"{owner}.__init__")  # (a class of a file not reviewed as a project file has no entry)
                return found.qualname if found is not None else None
            if owner in self.classes_with_constructor:
                return f"{owner}.__init__"
        return None

    def base_method(self, method: ast.AST, name: str) -> FunctionSummary | None:
        """The summary of the method ``super().<name>`` calls in ``method``: the first of the
        class's bases that has one (another file's class: as that file exported it)."""
        class_name = self.class_of_method.get(id(method))
        if class_name is None:
            return None
        for owner in self._class_and_bases(class_name)[1:]:
            found = self.summaries.get(f"{owner}.{name}")
            if found is not None:
                return found
        return None

    def response_hooks(self, method: ast.AST) -> list[FunctionSummary]:
        """The response hooks (responses.RESPONSE_HOOKS, in that order) the class of ``method``
        runs: for each, the definition of the class's own or of the nearest of its ancestors, in
        this file or another (the first of a depth-first walk of the bases, as for an inherited
        method, see FunctionAnalysis.inherited_method)."""
        class_name = self.class_of_method.get(id(method))
        if class_name is None:
            return []
        found = [self._nearest_method(class_name, hook) for hook in RESPONSE_HOOKS]
        return [summary for summary in found if summary is not None]

    def _ask_response_hooks(self) -> None:
        """Look up, for each class of the file, the response hooks it runs and the method they ask
        for the type (see ``response_hooks``, ``method_of_class``: the rules ask them): names of
        another file a handler's methods never call, asked here so that the analysis depends on
        them (told them once every file's summaries are known, along an import cycle too)."""
        for class_name in set(self.class_of_method.values()):
            for hook in RESPONSE_HOOKS:
                summary = self._nearest_method(class_name, hook)
                if summary is not None and summary.content_type_method:
                    self._nearest_method(class_name, summary.content_type_method)

    def method_of_class(self, method: ast.AST, name: str) -> FunctionSummary | None:
        """The method ``name`` as the class of ``method`` has it: its own definition or the nearest
        of its ancestors' (as for ``response_hooks``). A hook's ``self.get_content_type()`` runs
        the handler's override, not the hook's class's."""
        class_name = self.class_of_method.get(id(method))
        return None if class_name is None else self._nearest_method(class_name, name)

    def _nearest_method(self, class_name: str, name: str) -> FunctionSummary | None:
        pending, seen = [class_name], set()
        while pending and len(seen) <= MAX_ANCESTORS_FOLLOWED:
            owner = pending.pop()
            if owner in seen:
                continue
            seen.add(owner)
            summary = self.summaries.get(f"{owner}.{name}")
            if summary is not None:
                return summary
            pending += reversed([self._star_exported_class(base) for base in self.bases_of(owner)])
        return None

    def bases_of(self, class_name: str) -> list[str]:
        """The classes ``class_name`` derives from: a class of this file's own; another file's as
        that file tells them, in its ``<instances>`` entry's ``params`` (a class with methods, see
        _summarize_classes) or its ``<bases>`` entry (one without, see _note_class)."""
        bases = self.class_bases.get(class_name)
        if bases is not None:
            return bases
        entry = self._class_entry(class_name)
        return entry.params if entry is not None else []

    def _class_entry(self, class_name: str) -> FunctionSummary | None:
        """What the project tells of a class of another file: its ``<instances>`` entry, else its
        ``<bases>`` entry (None: not a class of the project)."""
        entry = self._instances_entry(class_name)
        return entry if entry is not None else self.summaries.get(f"{class_name}.{BASES_ENTRY}")

    def _star_exported_class(self, class_name: str) -> str:
        """A class of the project named through the package that star-imports the module defining
        it (``from ..handlers import BaseHandler``, ``handlers/__init__.py`` holding ``from .base
        import *``): the class of the last star-imported module that exports and defines it, as
        Python binds it; else ``class_name`` as given. (Only a package of the project itself; for
        the response hooks of a handler, looked up once per write: the analysis's walks of the
        bases, at every call of a method, do not pay for it.)"""
        module, _, name = class_name.rpartition(".")
        if module.partition(".")[0] != self.module_name.partition(".")[0]:
            return class_name
        stars = self.star_entry(module, STAR_ENTRY)
        if not stars or self._class_entry(class_name) is not None:
            return class_name
        for star in reversed(stars):
            exported = self.star_entry(star, ALL_ENTRY)
            if (name in exported if exported is not None else name[:1] != "_") and self._class_entry(f"{star}.{name}") is not None:
                return f"{star}.{name}"
        return class_name

    def star_entry(self, module: str, entry: str) -> list[str] | None:
        """The names of ``module``'s STAR_ENTRY or ALL_ENTRY (a class's PROPERTIES_ENTRY), if it
        has one (asked as a call given untrusted data asks: the whole entry is the answer, see
        SummaryTable)."""
        table = self.summaries
        quiet, table.quiet = table.quiet, False
        try:
            summary = table.get(f"{module}.{entry}")
        finally:
            table.quiet = quiet
        return summary.params if summary is not None else None

    def _reads_changed(self, reads: dict) -> bool:
        """Would a method that asked these attribute questions (key -> what it was told) be told
        something else now? (An attribute nothing stores is read as the clean ``self``.)"""
        for key, seen in reads.items():
            now = self._attribute_answer(key)
            if now is not seen and (now or CLEAN) != (seen or CLEAN):
                return True
        return False

    # ---- calls between project functions ------------------------------------------------------
    def record_call(self, callee: str, positional: list[Taint], keywords: dict, node: ast.Call, analysis: FunctionAnalysis,
                    bound: bool | None = None, params: list[str] | None = None, vararg: "int | None | object" = _ASK,
                    note: str | None = None) -> None:
        """A call of a project function, for the project pass. ``bound``: whether ``positional``
        lacks the ``self`` the callee receives (None: a method called as ``obj.method(...)``);
        ``params``: the callee's parameter names when the project tables do not hold them under
        ``callee`` (an inherited constructor): keywords are then passed by position; ``vararg``:
        the position of its ``*args`` (by default its summary says); ``note``: the trace step's
        (by default "passed to `callee()`")."""
        arguments: dict[int | str, Taint] = {}
        for key, value in (*enumerate(positional), *keywords.items()):
            if value.items is not None:
                value = value.whole()
            if value.origins and key is not None:  # (a plain value is clean exactly when it has no origins)
                if params is not None and isinstance(key, str):
                    if key not in params:
                        continue
                    key = params.index(key)
                arguments[key] = value
        if not arguments:
            return
        arguments = {key: self._stored_for(analysis.node, value) for key, value in arguments.items()}
        if bound is None:
            bound = isinstance(node.func, ast.Attribute) and self._is_bound_call(callee)
        if bound:
            arguments = {(k + 1 if isinstance(k, int) else k): v for k, v in arguments.items()}
        arguments, tail_only = self._into_varargs(callee, arguments, vararg)
        called = callee.removesuffix(".__init__")  # ``Backup(x)``: passed to `Backup()`
        step = analysis.step(node, note or f"passed to `{called.rsplit('.', 1)[-1]}()`")
        self.call_sites.append(CallSite(callee, arguments, step, analysis.qualname, tail_only))

    def _into_varargs(self, callee: str, arguments: dict[int | str, Taint], vararg: "int | None | object" = _ASK
                      ) -> tuple[dict[int | str, Taint], frozenset[int]]:
        """``execute("ip", "link", name)`` into ``def execute(*cmd)``: every positional argument
        from the ``*cmd`` position on is that one parameter. Also says whether the untrusted ones
        all come after the first element of ``*cmd``."""
        if vararg is _ASK:
            summary = self.summaries.get(callee)
            vararg = summary.vararg if summary is not None else None
        if vararg is None:
            return arguments, frozenset()
        remapped: dict[int | str, Taint] = {}
        for key, value in arguments.items():
            key = vararg if isinstance(key, int) and key > vararg else key
            remapped[key] = join(remapped.get(key), value)
        first_is_clean = vararg not in arguments  # (arguments holds only tainted positions)
        tail_only = frozenset({vararg}) if vararg in remapped and first_is_clean else frozenset()
        return remapped, tail_only

    def _is_bound_call(self, callee: str) -> bool:
        summary = self.summaries.get(callee)
        return bool(summary and summary.is_method)

    # ---- the rule-facing query ------------------------------------------------------------
    def note_project_method_call(self, call: ast.Call) -> None:
        """``call`` (``obj.method(...)``) calls a method of the project's own classes, followed
        by the analysis."""
        self.project_method_calls.add(id(call))
        if self._record is not None:
            self._record.project_method_calls.append(id(call))

    def note_logged_object(self, name: ast.Name, class_name: str, methods: tuple[str, ...]) -> None:
        """``name``, an instance of the project class ``class_name``, is logged through its display
        ``methods`` (see displays.logged_names): remember it when none of them writes a credential."""
        if methods and all(self._display_is_silent(class_name, method) for method in methods):
            self.silent_displays.add(id(name))
            if self._record is not None:
                self._record.silent_displays.append(id(name))

    def _display_is_silent(self, class_name: str, method: str) -> bool:
        """Whether ``str()`` (``method`` STR) or ``repr()`` of an instance of ``class_name`` runs a
        method of the project that writes no credential: the class's own or the nearest base's
        (``__str__`` missing: ``__repr__``, as ``object.__str__`` does). Not when a base that is no
        class of the project (a library's: DRF's ``Token.__str__`` returns the key) comes first,
        nor when no class defines one (a dataclass's or pydantic's generated repr shows every field:
        the class's body is not read for them)."""
        found = self._display_method(class_name, method)
        if found is None and method == STR:
            found = self._display_method(class_name, REPR)
        return found is not None and found is not _UNKNOWN_DISPLAY and not found.reveals_credential  # type: ignore[union-attr]

    def _display_method(self, class_name: str, method: str) -> "FunctionSummary | object | None":
        """The summary of ``method`` as ``class_name`` has it (its own, else a base's, depth first
        as Python's method order mostly is); _UNKNOWN_DISPLAY when a base outside the project is met
        first; None when no class of the project defines it."""
        pending, seen = [class_name], set()
        while pending and len(seen) <= MAX_ANCESTORS_FOLLOWED:
            owner = pending.pop()
            if owner in seen or owner in _NO_DISPLAY_BASES:
                continue
            seen.add(owner)
            if owner not in self.class_bases and self._class_entry(owner) is None:
                return _UNKNOWN_DISPLAY
            summary = self.summaries.get(f"{owner}.{method}")
            if summary is not None:
                return summary
            pending += reversed(self.bases_of(owner))
        return None if not pending else _UNKNOWN_DISPLAY

    def displays_no_credential(self, name: ast.expr) -> bool:
        """Whether the logged name ``name`` holds an object of a project class whose display (as
        the logging call formats it) writes no credential (see note_logged_object)."""
        return id(name) in self.silent_displays

    def calls_project_method(self, call: ast.Call) -> bool:
        """Whether ``call`` is a method of one of the project's classes whose definition the
        analysis sees and follows (``self.executor.execute(ctx, sql)`` with ``self.executor`` a
        ``SqlJsonExecutor`` of the project): what the method does with its arguments is judged
        where it does it, not by the method's name at the call."""
        return id(call) in self.project_method_calls

    def taint_at(self, expr: ast.expr, ctx, operator_may_choose: bool = False) -> TaintReport | None:
        """``operator_may_choose``: the value is one the operator may choose (the program a
        process starts): the command line, environment and prompts do not count."""
        value = self.values.get(id(expr))
        if value is None:
            return None
        rule = getattr(ctx, "rule", None)
        cwe = rule.cwe if rule is not None else None
        self._record_sinks(value, cwe, ctx, operator_may_choose)
        origins = as_reported(value.reportable_for(cwe), cwe)
        if operator_may_choose:
            origins = [o for o in origins if o.description not in OPERATOR_CHOSEN_PROGRAM_SOURCES]
        if not origins:
            return None
        best = origins[0]  # reportable_for lists them in origin_key order: most confident first
        kept = [expand_steps(origin.steps) for origin in origins if origin.confidence >= best.confidence or origin.param is None]
        sources = flow_sources((origin.steps[0], origin.confidence) for origin in origins if origin.steps)
        function = _outermost_function(ctx)
        holder = self.function_qualname(function) if function is not None else None
        return TaintReport(described(best), best.confidence, self._trace(kept, function), sources,
                           origin_steps=best.steps, holder=holder, looked_up=best.looked_up)

    def _trace(self, paths: list[list[TraceStep]], function: ast.AST | None) -> list[TraceStep]:
        """One trace from the steps of several flows to a sink (one step per line). The steps in
        this file are listed by line, except those taken in a helper the value went through on its
        way in the function of the sink (its parameter, its return: after the step before, in the
        order taken). Steps in other files before that are upstream, in a helper that read the
        source: listed first, in the order taken."""
        first, last = _span(function) if function is not None else (0, 1 << 30)
        upstream: list[TraceStep] = []
        by_line: dict[tuple[str, int], TraceStep] = {}
        inside_helpers: dict[tuple[str, int], list[TraceStep]] = {}
        seen: set[tuple[str, int]] = set()
        for steps in paths:
            anchor = None
            for step in steps:
                key = (step.path, step.line)
                in_function = step.path == self.path and first <= step.line <= last
                if in_function:
                    anchor = key
                if key in seen:
                    continue
                seen.add(key)
                if in_function or (anchor is None and step.path == self.path):
                    by_line[key] = step
                elif anchor is None:
                    upstream.append(step)
                else:
                    inside_helpers.setdefault(anchor, []).append(step)
        trace = upstream
        for key in sorted(by_line, key=lambda k: k[1]):
            trace.append(by_line[key])
            trace.extend(inside_helpers.get(key, ()))
        return trace

    def proven_safe_at(self, expr: ast.expr, cwe: int | None) -> bool:
        """Whether the flow proved the value of ``expr`` safe for ``cwe`` on every path to it: a
        constant, a converted or allow-listed value, a sanitizer's result for that CWE (see
        values.Proven). False for a value of unknown origin, or one not analysed."""
        return proven_for(self.values.get(id(expr)), cwe)

    def stand_in_for_element(self, stand_in: ast.expr, iterable: ast.expr) -> None:
        """``stand_in`` (a node that is not in the tree: the argument a map gives the library
        function it is handed, see rules/handed.py) holds what an element of ``iterable`` holds."""
        value = self.values.get(id(iterable))
        if value is not None:
            self._stand_ins.append(stand_in)  # (kept alive: its id must stay its own while it has a value)
            self.values[id(stand_in)] = element_of(value)

    def note_sinks_at(self, expr: ast.expr, ctx, operator_may_choose: bool = False) -> None:
        """``taint_at``'s notes alone (see RuleContext.note_sinks)."""
        value = self.values.get(id(expr))
        if value is not None and value.origins:
            rule = getattr(ctx, "rule", None)
            self._record_sinks(value, rule.cwe if rule is not None else None, ctx, operator_may_choose)

    def predictable_at(self, expr: ast.expr) -> TaintReport | None:
        """A guessable value (non-cryptographic random) that reaches ``expr``, with its trace."""
        value = self.values.get(id(expr))
        if value is None:
            return None
        origins = ordered(value.predictable().origins)
        if not origins:
            return None
        steps: dict[tuple[str, int], TraceStep] = {}
        for origin in origins:
            for step in expand_steps(origin.steps):
                steps.setdefault((step.path, step.line), step)
        sources = flow_sources((origin.steps[0], origin.confidence) for origin in origins if origin.steps)
        return TaintReport(origins[0].description, origins[0].confidence, sorted(steps.values(), key=lambda s: (s.path != self.path, s.line)),
                           sources, origin_steps=origins[0].steps)  # (no holder: a guessable value is used where it is made)

    def _record_sinks(self, value: Taint, cwe: int | None, ctx, operator_may_choose: bool = False) -> None:
        """A sink the function's parameters reach: a sink of the function for its callers. One a
        method's parameter stored on the instance reaches (an ATTRIBUTE origin, read back here
        as ``self.<attribute>``): a sink of that method (``Backup.__init__``) for its callers."""
        rule = getattr(ctx, "rule", None)
        if rule is None or not ctx.ancestors:
            return
        node = ctx.ancestors[-1]
        # The function whose parameters these are: a lambda's own (``run = lambda c: ...``), not
        # the enclosing function's, whose parameters have other positions.
        function = next((n for n in reversed(ctx.ancestors) if n.__class__ in _FUNCTION_NODES or n.__class__ is ast.Lambda), None)
        if function is None:
            return
        qualname = self.function_qualname(function)
        line = getattr(node, "lineno", 0)
        reached = [(qualname, origin) for origin in value.params_for(cwe)]
        reached += [(self.constructor_key(function, origin.description), origin) for origin in value.stored_params_for(cwe)]
        for owner, origin in reached:
            self.sink_records.append(SinkRecord(
                function=owner, param=origin.param, rule_id=rule.id, cwe=cwe or rule.cwe, path=self.path,
                line=line, col=getattr(node, "col_offset", 0), end_line=getattr(node, "end_lineno", line) or line,
                end_col=getattr(node, "end_col_offset", 0) or 0, code=self.code(line), steps=origin.steps,
                snippet=node_source(self.parsed, node), operator_may_choose=operator_may_choose,
                backslash_open=cwe == 601 and BACKSLASH_OPEN_REDIRECT in origin.sanitized,
                looked_up=origin.looked_up,
            ))

    # ---- lazily built indexes -------------------------------------------------------------
    @property
    def _nodes(self) -> dict[int, ast.AST]:
        if not hasattr(self, "_nodes_cache"):
            self._nodes_cache = {}
        return self._nodes_cache

    @property
    def _globals_for(self) -> dict[int, dict]:
        if not hasattr(self, "_globals_cache"):
            self._globals_cache = {}
        return self._globals_cache


_TASK_REGISTRATIONS = frozenset({"register_task", "register"})  # app.register_task(Ingest()), app.tasks.register(...)
_FUNCTION_NODES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})


def _enclosing_definition(name: str, chain: list) -> ast.AST | None:
    """The function named ``name`` that one of the functions of the scope ``chain`` defines in
    its body (the innermost, the last definition), if any."""
    for scope in reversed(chain):
        if scope.__class__ in _FUNCTION_NODES:
            found = None
            for statement in scope.body:  # type: ignore[attr-defined]
                if statement.__class__ in _FUNCTION_NODES and statement.name == name:  # type: ignore[attr-defined]
                    found = statement
            if found is not None:
                return found
    return None


def _defines_run(node: ast.ClassDef) -> bool:
    for child in node.body:
        if child.__class__ in _FUNCTION_NODES and child.name == "run":  # type: ignore[attr-defined]
            return True
    return False


def _may_return_a_proof(function: ast.AST) -> bool:
    """Might ``function`` return a proven value (see _analyze_recursive)? Not when it returns
    nothing (or ``None``), yields, or returns a container it builds (a list, tuple, dict or set
    display or comprehension, or a name it binds to one: ``plan = []; ...; return plan``), which
    is proven only when every element is a constant: whatever else it returns, what it would cost
    to check it is not worth it."""
    # (Statements only, not their expressions: this runs on every recursive function, and most of
    # a function's nodes are expressions. A yield inside an expression is missed: the proof is
    # then checked for nothing, the assumption still verified.)
    returned: list[ast.expr] = []
    built: set[str] = set()
    work = list(function.body)  # type: ignore[attr-defined]
    while work:
        node = work.pop()
        kind = node.__class__
        if kind is ast.Return:
            value = node.value  # type: ignore[attr-defined]
            if value is not None and not (value.__class__ is ast.Constant and value.value is None):
                returned.append(value)
        elif kind is ast.Expr or kind is ast.Assign:
            value = node.value  # type: ignore[attr-defined]
            if value.__class__ is ast.Yield or value.__class__ is ast.YieldFrom:
                return False
            if kind is ast.Assign and value.__class__ in _CONTAINER_NODES:
                built.update(target.id for target in node.targets if target.__class__ is ast.Name)  # type: ignore[attr-defined]
        elif kind in _COMPOUND_NODES:
            for field in _BODY_FIELDS:
                work.extend(getattr(node, field, ()))
    return bool(returned) and not any(value.__class__ in _CONTAINER_NODES or (value.__class__ is ast.Name and value.id in built)
                                      for value in returned)


_CONTAINER_NODES = frozenset({ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp})
# Statements holding statements, and the fields that hold them (an ``except`` clause and a
# ``case`` hold theirs in ``body``).
_COMPOUND_NODES = frozenset({ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
                             ast.Match, ast.ExceptHandler, ast.match_case})
_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _cycles(edges: dict[int, list[int]]) -> list[list[int]]:
    """The groups of positions that reach themselves through ``edges`` (strongly connected
    components with a cycle), each sorted."""
    positions = sorted({*edges, *(target for targets in edges.values() for target in targets)})  # (only those with calls)
    number = {position: n for n, position in enumerate(positions)}
    graph = [[number[target] for target in edges.get(position, ())] for position in positions]
    groups = [[positions[n] for n in group] for group in components_dependencies_first(graph)]
    return [group for group in groups if len(group) > 1 or group[0] in edges.get(group[0], ())]


def _outermost_function(ctx) -> ast.AST | None:
    """The outermost function around the rule's node (a nested function or lambda reads the
    values of the one it is in), None at module or class level."""
    for node in getattr(ctx, "ancestors", ()):
        if node.__class__ in _FUNCTION_NODES or node.__class__ is ast.Lambda:
            return node
    return None


def _span(function: ast.AST) -> tuple[int, int]:
    """The lines of ``function``, its decorators included."""
    first = min([function.lineno, *(d.lineno for d in getattr(function, "decorator_list", ()))])
    return first, getattr(function, "end_lineno", None) or function.lineno


_ROUTES_KEY = "<routes>"  # (a lookup of a function's record: what the routes to a view convert)
SUPER = object()  # a ``super().name()`` call, in ``FileFlow._called_names``
FLASK_VIEW_CLASSES = frozenset({
    "flask.views.MethodView", "flask.views.View",
    # (Flask-RESTful's and Flask-RESTX's resources are MethodViews)
    "flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource",
    "quart.views.MethodView", "quart.views.View",  # (Quart's, Flask's API)
})
# The methods of such a class Flask calls with the URL rule's variables: a MethodView's HTTP
# methods, a View's ``dispatch_request``.
FLASK_VIEW_METHODS = CLASS_VIEW_METHODS | frozenset({"dispatch_request"})
_SOURCE_ROOTS = frozenset(key.split(".")[0] for key in SOURCE_ATTRIBUTES)  # (the packages of SOURCE_ATTRIBUTES)
ROUTE_DECORATOR_NAMES = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "websocket"})


def _decorated_by(function: ast.AST, names: frozenset[str]) -> bool:
    """Is ``function`` decorated with one of ``names`` (last name; called or not)?"""
    for decorator in getattr(function, "decorator_list", ()):
        target = decorator.func if decorator.__class__ is ast.Call else decorator
        if (target.id if target.__class__ is ast.Name else getattr(target, "attr", None)) in names:
            return True
    return False


def _handed_over(call: ast.Call) -> list[tuple[bool, str]]:
    """The functions a call that may defer one (``add_task(send, x)``, ``Thread(target=self.run)``,
    ``send.delay(x)``; see models/deferred.py) hands over, as ``_called_names`` lists calls:
    (False, name) or (True, method of self); by the syntax alone (any argument that names a
    function is taken, and the receiver of a Celery task's method)."""
    handed = []
    func = call.func
    if func.__class__ is ast.Attribute and func.attr in DEFERRED_TASK_METHODS and func.value.__class__ is ast.Name:
        handed.append((False, func.value.id))  # ``send_report.delay(x)``: the task
    for argument in (*call.args[:2], *(keyword.value for keyword in call.keywords)):
        if argument.__class__ is ast.Name:
            handed.append((False, argument.id))
        elif argument.__class__ is ast.Attribute and argument.value.__class__ is ast.Name and argument.value.id in ("self", "cls"):
            handed.append((True, argument.attr))
    return handed


def _first_per_parameter(origins: list[Origin]) -> list[Origin]:
    """``origins`` with one ATTRIBUTE origin (the first) per stored parameter (and sanitization)."""
    seen: set = set()
    kept = []
    for origin in origins:
        if origin.kind == ATTRIBUTE:
            key = (origin.description, origin.param, origin.sanitized)
            if key in seen:
                continue
            seen.add(key)
        kept.append(origin)
    return kept


def _literal_all(tree: ast.Module) -> list[str] | None:
    """The names of the module's ``__all__`` when it is bound once, at module level, to a literal
    list or tuple of strings (else None: what a star import of the module binds is its public
    names)."""
    found = None
    for statement in tree.body:
        targets = statement.targets if statement.__class__ is ast.Assign else (
            [statement.target] if statement.__class__ in (ast.AugAssign, ast.AnnAssign) else ())
        if not any(target.__class__ is ast.Name and target.id == "__all__" for target in targets):
            continue
        value = statement.value
        if (found is not None or statement.__class__ is ast.AugAssign or len(targets) != 1
                or value.__class__ not in (ast.List, ast.Tuple)
                or not all(e.__class__ is ast.Constant and e.value.__class__ is str for e in value.elts)):
            return None
        found = [element.value for element in value.elts]
    return found


# Bases whose display writes nothing of the object's own (``object``'s ``<Token object at 0x...>``).
_NO_DISPLAY_BASES = frozenset({"object", "builtins.object"})
_UNKNOWN_DISPLAY = object()  # (a display method of a class outside the project)


def _returns_class(node: ast.AST, analysis: FunctionAnalysis) -> str | None:
    """The class a function's return annotation names (``-> DefaultAccountAdapter``,
    ``Optional[...]``), qualified; None for another one (see FunctionSummary.returns_class)."""
    return annotated_class(node.returns, analysis.resolved_name)  # type: ignore[attr-defined]


def _without_stored(returns: Taint) -> Taint:
    """A function's return value for its summary, without ATTRIBUTE origins (a parameter of a
    method stored on the instance): its callers get what was given to the instance through the
    instance itself (see ``project_call``), and summaries, what other files and the cache are
    told, stay about the function's own parameters and sources."""
    if not any(origin.kind == ATTRIBUTE for origin in returns.whole().origins):
        return returns
    kept = frozenset(origin for origin in returns.whole().origins if origin.kind != ATTRIBUTE)
    return Proven(kept, None, returns.cwes) if returns.__class__ is Proven else Taint(kept)


_BUILTIN_NAMES = frozenset(dir(builtins))


def _managers(node: ast.ClassDef, class_of: Callable[[ast.expr], tuple[str, bool] | None]) -> list[tuple[str, list[str]]]:
    """A Django model's managers declared in its body, each with the classes whose methods it
    has, nearest first: ``objects = ProductQuerySet.as_manager()`` (the queryset's),
    ``objects = ProductManager.from_queryset(ProductQuerySet)()`` (the manager's, then the
    queryset's), ``legacy = ProductManager()`` (a class named as a manager)."""
    found = []
    for statement in node.body:
        if (statement.__class__ is not ast.Assign or len(statement.targets) != 1 or statement.targets[0].__class__ is not ast.Name
                or statement.value.__class__ is not ast.Call):
            continue
        func = statement.value.func
        if func.__class__ is ast.Attribute and func.attr == "as_manager":
            classes = [func.value]
        elif (func.__class__ is ast.Call and func.func.__class__ is ast.Attribute and func.func.attr == "from_queryset"
              and len(func.args) == 1):
            classes = [func.func.value, func.args[0]]
        elif (func.id if func.__class__ is ast.Name else func.attr if func.__class__ is ast.Attribute else "").endswith("Manager"):
            classes = [func]
        else:
            continue
        names = [class_of(expr) for expr in classes]
        if all(name is not None and name[1] for name in names):
            found.append((statement.targets[0].id, [name[0] for name in names]))
    return found


def project_classes(summaries) -> frozenset[str]:
    """The classes whose methods have summaries (the owners of ``Class.method`` entries)."""
    return frozenset(name.rsplit(".", 1)[0] for name, summary in summaries.items() if summary.is_method)


def _module_constants(facts: FileFacts) -> dict[str, Any]:
    """Module-level names bound exactly once, to a foldable literal value."""
    values: dict[str, Any] = {}
    bindings = facts.scopes.collector(facts.scopes.tree).bindings
    for name, bound in bindings.items():
        if len(bound) == 1 and bound[0] is not None:
            value = fold(bound[0], {}, values)
            if value is not NOTHING:
                values[name] = value
    return values
