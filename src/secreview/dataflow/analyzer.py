"""Flow-sensitive taint analysis of one function (or a module body).

The analysis interprets the statements in order over an abstract state (name -> Taint), joining
states where branches meet and iterating loops to a fixpoint. Every expression it evaluates gets
its taint recorded (by node identity) so rules can ask "what reaches this argument here?".

Precision features: constant folding decides dead branches (``if 7 * 6 > 100:``), names bound to
literals stay clean, overwriting a name replaces its taint, literal containers with constant keys
keep per-element taint, allow-list checks (``if x not in ALLOWED: return``) clean the checked name,
and calls are summarized (parameter -> return) across functions and files.
"""
from __future__ import annotations

import ast
import builtins
import functools
import operator
import re
import string
from collections.abc import Mapping, Set as AbstractSet
from types import MappingProxyType
from dataclasses import dataclass, field, replace
from typing import Any, Callable, NamedTuple

from secreview.dataflow.values import ATTRIBUTE, CLEAN, INPUT, OTHER_KEYS, PASSED_THROUGH, PREDICTABLE, PROVEN, Origin, Proven, Taint, join, join_all, new_origin, ordered, whole_proof_only
from secreview.dataflow.validators import run_validators, validated_inherited
from secreview.dataflow.values import source as _source
from secreview.models.sources import REFERER_ENTRIES, REFERER_HEADER, REFERER_KEYS


def source(description: str, confidence: Level, step: TraceStep) -> Taint:
    """A new untrusted value, already safe for what this kind of source cannot cause."""
    taint = _source(description, confidence, step)
    not_for = SOURCE_NOT_FOR.get(description)
    return taint.sanitize(not_for) if not_for else taint
from secreview.dataflow.jinja_templates import JINJA_RENDER_METHODS, printed_unescaped
from secreview.dataflow.responses import (
    JSON_TEXT, NOT_KNOWN as _TYPE_NOT_KNOWN, RESPONSE, TEXT, TYPED, body_kind, container_values,
    declared_content_type, html_content_type, join_kinds, response_instance_test, summary_kind, unseen_call_kind,
)
from secreview.dataflow.parameters import (
    CONVERTED, EXTRA_FIELDS, allows_extra_fields, annotated_validators, body_model, click_parameters, converting_declaration, declared_pattern,
    dependency, dependency_target, field_class_annotation, litestar_dependencies, parameter_kind, provider_kinds, told_provider, LITESTAR_PARAMETERS, CONVERTED_KIND, parameter_model, typer_parameters, task_parameters,
)
from secreview.findings import HelperRef, Level, TraceStep, new_step
from secreview.facts import instances
from secreview.dataflow.displays import LOGGED_METHODS, logged_names
from secreview.rules._naming import credential_kind
from secreview.models.library_objects import LIBRARY_OBJECT_METHODS, LIBRARY_OBJECT_RESULTS
from secreview.models import (
    DEFERRED_CALLS, DEFERRED_METHODS, DEFERRED_TASK_METHODS, Deferred,
    ALL_CWES, CONVERSION_CHECKS, FRAMEWORK_ONLY_REQUEST_ATTRIBUTES, HTML_SAFE_STRINGS, LINE_BREAK_CWES, NO_RETURN_CALLS, NO_RETURN_METHODS, NOT_USER_PARAMETERS, REQUEST_ATTRIBUTES, REQUEST_PARAMETER_NAMES,
    DECODERS, ROUTE_DECORATORS, SANITIZERS, SANITIZING_METHODS, SOURCE_ATTRIBUTES, SOURCE_CALLS, SOURCE_METHODS,
    SOURCE_NOT_FOR, PREDICTABLE_CALLS, CLIENT_ENVIRON_KEYS, ENVIRON_ATTRIBUTES, VALIDATORS, LOOKUP_METHODS, LOOKUP_FUNCTIONS, QUERY_METHODS,
    PATH_CWES, RESOLVING_CALLS, RESOLVING_METHODS, CONTAINMENT_METHODS, RAISING_CONTAINMENT_METHODS, COMMON_PATH_CALLS, SELECTED_FROM_ARGUMENTS, QUERY_ADDING_CALLS,
    SNIPPET_REQUEST_ATTRIBUTES, SNIPPET_REQUEST_CONFIDENCE, RESULT_IGNORES_KEYWORDS,
    KEYED_GETTER_PREFIXES, KEYED_GETTER_QUALIFIERS, KEYED_GETTER_NAMES, KEY_KEYWORDS, KEYED_MADE_THINGS, KEYED_STORES,
)
from secreview.models.sanitizers import (
    ADDRESS_TEXT_ATTRIBUTES, BACKSLASH_OPEN_NOTE, BACKSLASH_OPEN_REDIRECT, BASE_NAME_ATTRIBUTES, IN_MEMORY_FILE,
    IN_MEMORY_FILE_CWES, IN_MEMORY_FILE_READS, PATH_SEPARATORS, PATTERN_LEADING_OPEN_CHARACTERS, PATTERN_OPEN_CHARACTERS,
    REDIRECT_CWES, SAME_SITE_PATH, URL_ENCODED, RELATIVE_MARKS, RELATIVE_NO_BACKSLASH, RELATIVE_NO_DOUBLE_SLASH, RELATIVE_NO_HOST, RELATIVE_NO_SCHEME,
    RELATIVE_LEADING_SLASH, RELATIVE_NO_TRIPLE_SLASH, RELATIVE_PATHS, RELATIVE_SHAPE_MARKS,
    RELATIVE_PATH_MARKS, MODEL_INSTANCE_ATTRIBUTES, MODEL_OBJECT, PATH_NOT_ABSOLUTE, PATH_NO_PARENT, RELATIVE_NAME_MARKS,
    ROUTE_NAME_METHODS, ROUTE_URL_BUILDERS, ROUTE_URL_CWES, ROUTE_URL_HOST_KEYWORDS,
)
from secreview.dataflow.model_objects import MODEL_OBJECT_METHODS, model_object, model_object_call, read_from_model_object
from secreview.models.sql_statements import (
    SQL_STATEMENT, SQL_STATEMENT_CHAINED_METHODS, SQL_STATEMENT_CWES, SQL_STATEMENT_MAKING_METHODS, SQL_STATEMENT_METHODS,
    SQL_STATEMENT_MODULES, SQL_STRING_ESCAPES, SQL_TEXT_MAKERS,
)
from secreview.dataflow.url_normalization import normalized_before, normalized_name, self_normalized
from secreview.models.sources import (
    CONVERTING_PROMPTS, ARCHIVE_CONTENT_METHODS, ARCHIVE_MEMBER_METHODS, ARCHIVE_MEMBER_NAME, BODY_MODEL_KIND, PATH_SOURCE_METHODS,
    REQUEST_URL_ATTRIBUTES, REQUEST_URL_PARTS, STREAM_DATA, WSGI_ENVIRONMENT, WSGI_RESPONDER_PARAMETER,
)
from secreview.dataflow.received import RECEIVING_METHODS, received, stream_reader
from secreview.dataflow.raw_servers import handed_server_set_key, handler_attribute, server_set_key, wsgi_environ
from secreview.dataflow.services import attribute_class, parameter_classes
from secreview.models.state import STORING_METHODS as _MODULE_STATE_METHODS
from secreview.facts.pathlib_paths import is_pathlib_path
from secreview.facts.archives import archive_class
from secreview.facts import walk

State = dict[str, Taint]
NOTHING: Any = object()  # "not a compile-time constant"
_FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
MAX_LOOP_ITERATIONS = 4
MAX_DEPENDENCY_DEPTH = 3  # dependency classes whose constructors take dependency classes, followed
# Statements one function's analysis may evaluate. Nested loops iterate to a fixpoint, which can
# multiply work by the nesting depth; past this budget loops get a single pass (linear time) and
# the file is reported as partly analysed.
FUNCTION_BUDGET = 5_000  # the largest Django function needs about 1,000
MODULE_LEVEL: dict = {}  # the defining state of a module-level function or class (see defining_state): never written

# Calls whose result never carries their arguments (beyond SANITIZERS).
CLEAN_METHODS = frozenset({
    "isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier", "startswith",
    "endswith", "count", "find", "index", "rfind", "__len__", "exists", "is_file", "is_dir",
    "hexdigest", "digest", "keys",
    "getint", "getfloat", "getboolean",  # (ConfigParser's: a number or a truth value)
})


HTML_ESCAPED = frozenset({79, 80})

# Methods that change a container in place (its literal value no longer holds).
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort", "update", "setdefault",
    "add", "discard", "appendleft", "extendleft", "popitem",
})


@dataclass
class FunctionSummary:
    """What a function does with its parameters, for its callers."""

    qualname: str
    params: list[str]
    returns: Taint = CLEAN  # parameter origins stand for "the caller's argument"
    is_method: bool = False
    vararg: int | None = None  # index of ``*args`` in ``params``: it takes every positional argument from there on
    # A package's re-export (``from .shell import run_cmd`` in ``app/util/__init__.py``): the entry
    # ``app.util.run_cmd`` names the function it stands for (see SummaryTable, which follows it).
    alias_of: str | None = None
    # Parameters the function checks on every path that returns (``def ensure_allowed(url): if
    # urlparse(url).hostname not in HOSTS: raise ...``): (index in ``params``, the CWEs the check
    # proves; ALL_CWES: all). After a call that returned, the caller's argument is checked too
    # (see FunctionAnalysis.apply_guards).
    guards: tuple[tuple[int, frozenset[int]], ...] = ()
    # Parameters the function calls (``def run_later(callback, arg): return callback(arg)``): (index
    # of the called parameter, for each positional argument of that call the indexes of the
    # parameters whose data it carries). A caller passing one of its functions there calls that
    # function with those arguments (see FunctionAnalysis.call_callbacks).
    callbacks: tuple[tuple[int, tuple[frozenset[int], ...]], ...] = ()
    # Parameters the function's result checks (``def is_safe_redirect(target): return target in
    # SAFE``, ``return urlparse(url).hostname in HOSTS``): (index in ``params``, the CWEs proven)
    # for those proven wherever it returns a true value. Where a call of it is true (``if
    # is_safe_redirect(x):``, ``if not ...: abort(403)``), the caller's argument is checked too
    # (see ``_summary_check``). A parameter of ``guards`` is not repeated here.
    checks: tuple[tuple[int, frozenset[int]], ...] = ()
    # The same for the first item of the tuple it returns on every path that returns (``def
    # check(url): ... return False, "blocked"`` / ``return True, ""``): where that item is true
    # (``ok, reason = check(url); if not ok: return ...``), the caller's argument is checked (see
    # FunctionAnalysis.note_first_checks). A tuple is always true: these are no ``checks``.
    first_checks: tuple[tuple[int, frozenset[int]], ...] = ()
    # A method: may its result carry what the instance holds (``return self.name``, ``return self``)?
    # A caller of it on an instance built here is then given what the constructor was given (see
    # ``FunctionAnalysis.project_call``); False for one returning only a test or a number of it
    # (``return self.name == "a"``, ``return requests.get(self.url).status_code``) or nothing.
    returns_instance: bool = True
    # A method read as an attribute (``@property``, ``cached_property``): ``rd.host`` calls it.
    is_property: bool = False
    # The class its return annotation names (``def get_adapter(request) -> DefaultAccountAdapter``),
    # qualified: ``get_adapter(request).is_safe_url(url)`` calls that class's method when it is a
    # project class (see FunctionAnalysis.receiver_class). None: not annotated with a class.
    returns_class: str | None = None
    # What it returns, as a web response body (dataflow/responses.py): RESPONSE when every value
    # it returns that carries data is a response object or a dict/list (``return jsonify(x)``,
    # ``return {"name": name}``), TYPED / JSON_TEXT for a body of a declared (not constant) type /
    # JSON text, TEXT ("") otherwise. A view returning such a helper's result returns no HTML text.
    returns_kind: str = ""
    # A Tornado handler's response hook (``finish``, ``prepare``, ``set_default_headers``: see
    # dataflow/responses.py): the constant Content-Type it sets for every response ("": none), and
    # the keyword argument of ``finish`` that replaces it ("": none), as an API base class's
    # ``finish`` that sends JSON unless told ``set_content_type=...``; or the method of the handler
    # it takes the type from (``self.set_header("Content-Type", self.get_content_type())``: "",
    # none), which the handler's class or a base between it and the hook's may override.
    sets_content_type: str = ""
    content_type_keyword: str = ""
    content_type_method: str = ""
    # A method whose body is only ``return "<text>"``: that text ("": another body), as the
    # Content-Type a hook's ``content_type_method`` gives.
    returns_text: str = ""
    # A ``__str__``/``__repr__`` that may write a credential (``return f"<Token {self.key}>"``):
    # a logged instance shows it (see dataflow/displays.py).
    reveals_credential: bool = False


# The summary entry of what the instances of a class hold (see FileFlow._summarize_classes):
# ``Class.<instances>``, its return value's items keyed (STORED, attribute) for what the methods
# of the class and its bases store on ``self``, (CONSTRUCTED, attribute) for what its constructor
# leaves there; the entry is named after that constructor.
INSTANCES_ENTRY = "<instances>"
# A Celery task class's entry (``Ingest.<task>``, see FileFlow._summarize_tasks): it stands for the
# class's ``run`` method, which ``Ingest().delay(x)`` calls in a worker.
TASK_ENTRY = "<task>"
# The bases of a class without methods (``FastRunner.<bases>``, see FileFlow._note_class; a class
# with methods tells them in its ``<instances>`` entry): its ``params`` are the qualified names of
# the classes it derives from, in order, so that a call of an inherited method on an instance
# (``FastRunner().run(x)``) is resolved in another file too (see inherited_method). A Django
# model's manager has one as well (``Product.objects.<bases>``: its manager's and queryset's
# classes), as if it were a class of its own.
BASES_ENTRY = "<bases>"
# A module's star imports (``app.utils.<star>``, see FileFlow._summarize_star_imports): its
# ``params`` are the modules it star-imports (``from .validators import *``), in import order; a
# module's literal ``__all__`` (``app.utils.validators.<all>``): its ``params`` are those names,
# the only ones a star import of it binds (else its public names: see FunctionAnalysis.star_name).
STAR_ENTRY = "<star>"
ALL_ENTRY = "<all>"
# The properties a class defines (``RequestData.<properties>``, see FileFlow._summarize_properties):
# its ``params`` are their names. (A read ``rd.host`` asks it once per class, not once per name.)
PROPERTIES_ENTRY = "<properties>"
MAX_STAR_DEPTH = 4  # star imports of star imports followed to the function
MAX_ANCESTORS_FOLLOWED = 20  # classes looked at for an inherited method
# A queryset's methods that give a queryset of the same kind (its custom methods too).
QUERYSET_CHAIN_METHODS = frozenset({
    "all", "filter", "exclude", "order_by", "distinct", "select_related", "prefetch_related", "annotate", "alias",
    "using", "defer", "only", "none", "reverse", "select_for_update",
})
STORED, CONSTRUCTED = "stored", "constructed"


@dataclass
class CallSite:
    """A call of a project function, kept to resolve sinks reached through helpers."""

    callee: str
    arguments: dict[int | str, Taint]  # positional index or keyword name -> taint
    step: TraceStep
    caller: str
    # ``*args`` parameters whose untrusted values all came after their first element
    # (``execute("ip", "link", name)``): not the program, if they make an argument list.
    tail_only: frozenset[int] = frozenset()


_NO_PATHS: Mapping = MappingProxyType({})
_NO_ROOTS: AbstractSet[str] = frozenset()


class FunctionAnalysis:
    """Analyse one function body; results in ``values`` (taint per expression node id)."""


    def __init__(
        self,
        unit: "FileFlow",
        node: ast.AST,
        qualname: str,
        globals_state: State | None = None,
        public: bool = False,
    ) -> None:
        self.unit = unit
        self.node = node
        self.qualname = qualname
        self.globals_state = globals_state or {}
        self.public = public
        self.values: dict[int, Taint] = {}  # this analysis's; FileFlow merges them (and may replay them)
        self.consts: dict[str, Any] = {}
        self.work = 0  # statements evaluated (see FUNCTION_BUDGET)
        self.checks: dict[str, tuple[str, frozenset[int]]] = {}  # bool name -> (checked name, CWEs)
        self.resolved_paths: set[str] = set()  # names last assigned an absolute path without ``..`` (realpath, resolve())
        self.returns: Taint | None = None  # (None: returns nothing yet; a constant returned stays proven)
        # What it is assumed to return while its recursive calls are assumed to (see FileFlow._analyze_recursive)
        self.assumed: Taint | None = unit.assumed_returns.get(qualname) if unit.assumed_returns else None
        # Parameters (name -> index) that may be guards (see FunctionSummary.guards), and what each
        # holds joined over the returns met so far (None: no return yet).
        self.guard_candidates: dict[str, int] = {}
        self.at_returns: dict[str, Taint] | None = None
        self.guard_calls: dict[int, FunctionSummary] = {}  # id(call) -> its summary with guards
        # What the guard candidates hold where the function returns a value that may be true,
        # refined by that value as a test (see ``note_true_return``); None: no such return yet.
        self.at_true_returns: dict[str, Taint] | None = None
        self.check_calls: dict[int, FunctionSummary] = {}  # id(call) -> its summary with checks
        # The same for the first item of a returned tuple (see FunctionSummary.first_checks);
        # None: no tuple returned yet.
        self.at_true_firsts: dict[str, Taint] | None = None
        self.first_check_calls: dict[int, FunctionSummary] = {}  # id(call) -> its summary with first_checks
        self.instance_returned = False  # (a method: see FunctionSummary.returns_instance)
        self.returned_kind: str | None = None  # (see FunctionSummary.returns_kind; None: nothing carried out yet)
        self.host_names: set[str] = set()  # names assigned a URL's host (``host = parts.hostname``)
        self.params: list[str] = []
        self.param_calls: list[tuple[int, tuple[frozenset[int], ...]]] = []  # see FunctionSummary.callbacks
        self.saved_files: Mapping[str, Taint] = _NO_PATHS  # names of paths an untrusted value was saved to -> it
        self.vararg: int | None = None
        self.instances: dict[str, str | None] = {}  # local name -> project class it was built from
        self.cleaned_data_names: set[str] = set()  # ``data = form.cleaned_data`` (see form_field)
        self.local_functions: dict[str, ast.AST] = {}  # local name -> the nested ``def`` or lambda bound to it
        self.declared_globals: set[str] = set()  # ``global name`` met so far (see note_module_store)
        self.self_name: str | None = None
        self.namespace_name: str | None = None  # an argparse dispatch handler's parameter (see parameter_state)
        # a method of an http.server request handler (see parameter_state, raw_servers.py) or of a
        # Tornado handler (web_handlers.py): the attributes of ``self`` that are the request
        self.http_handler: dict[str, str] | None = None
        self.environ_name: str | None = None  # a WSGI application's environ parameter (see wsgi_application)
        # Proven attribute paths (see prove_path): made for the analyses that prove one (a few in a
        # thousand), read-only empty ones for the rest.
        self.opened_paths: Mapping[str, Taint] = _NO_PATHS  # paths an ``if`` test proves -> their value before
        self.path_roots: AbstractSet[str] = _NO_ROOTS  # names some proven path starts with (forget_paths)
        self.path_before: Mapping[str, Taint] = _NO_PATHS  # proven path -> what it held before its check
        # Attributes of ``self`` this method assigns (name -> every value assigned, joined) and
        # what they hold where it returns (see ``record_attributes``).
        self.stored: dict[str, Taint] = {}
        self.stored_at_exit: dict[str, Taint] = {}
        self.exits = 0
        self.response_names: frozenset[str] = frozenset()  # names an ``isinstance`` test proved response objects here
        # Per-node memos: loops are evaluated up to MAX_LOOP_ITERATIONS times and several checks
        # resolve the same call's name, so the same answers were computed again and again.
        self._names: dict[ast.AST, str | None] = unit.qualnames  # node -> import-resolved name (static per file)
        self._steps: dict[tuple[int, int, str], TraceStep] = {}  # (line, col, note) -> step
        self._sources: dict[ast.AST, Taint | None] = {}  # node -> attribute_source() (static per function)
        self._source_roots = unit.source_roots
        # Origins extended by a step, by (origin, step): loops and branches take the same values
        # through the same statements again (about half of all extensions in Django).
        self._stepped: dict = {}
        self.loop_jumps: list[tuple[list[State], list[State]]] = []  # per loop being analysed (see ``loop``)
        self._helper_refs: dict[tuple[str, int], tuple[HelperRef]] = {}
        self._table = unit.summaries
        self._refinements: dict[tuple[ast.expr, bool], tuple] = {}  # (test, branch) -> what ``refine`` finds from the test alone
        self._has_summary: dict[tuple[str, bool], bool] = {}
        self._project_class: dict[tuple[str, bool], bool] = {}
        self._summary_for: dict[tuple, FunctionSummary | None] = {}
        self._bases: dict[str, list[str]] = {}  # another file's class -> its bases (see bases_of)
        self._archives: dict[ast.expr, str | None] = {}  # receiver -> its archive class (see archive_class)
        self._pathlib_paths: dict[ast.expr, bool] = {}  # receiver of ``.open()`` -> is it a pathlib path
        self._star_names: dict[tuple[str | None, str], str | None] = {}  # (module, name) -> see star_name
        self._property_calls: dict[ast.Attribute, ast.Call] = {}  # ``rd.host`` -> the call it stands for (see property_read)

    # ---- entry ------------------------------------------------------------------------------
    def run(self) -> "FunctionAnalysis":
        state: State = {}
        node = self.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            state = self.parameter_state(node)
            body = [ast.Return(value=node.body)] if isinstance(node, ast.Lambda) else node.body
        else:
            body = node.body
        end = self.block(body, state)
        if end is not None and self.guard_candidates and self.at_returns != {}:
            self.note_return(end)
        if self.stored:
            if end is not None:
                self.note_exit(end)
            self.record_attributes()
        return self

    def note_exit(self, state: State) -> None:
        """The method returns with ``state``: what the attributes it assigned so far hold then."""
        self.exits += 1
        prefix = f"{self.self_name}."
        for attribute in self.stored:
            value = state.get(prefix + attribute)
            if value is not None:
                self.stored_at_exit[attribute] = join(self.stored_at_exit.get(attribute), value)

    def record_attributes(self) -> None:
        """What the method leaves in the attributes it assigns, for the other methods of its class:
        their values where it returns (``self.name = name`` then ``self.name = "default"`` leaves
        the constant), or every value assigned when it never returns (a ``while True:`` loop)."""
        for attribute, assigned in self.stored.items():
            value = self.stored_at_exit.get(attribute) if self.exits else assigned
            if value is not None:
                self.unit.record_attribute(self.node, attribute, value)

    def run_module(self) -> State:
        """Analyse a module body; its final state is what functions see as globals."""
        return self.block(self.node.body, {}) or {}

    def parameter_state(self, node) -> State:
        args = node.args
        params = [*args.posonlyargs, *args.args]
        all_params = [*params, *([args.vararg] if args.vararg else []), *args.kwonlyargs, *([args.kwarg] if args.kwarg else [])]
        self.params = [a.arg for a in all_params]
        self.vararg = len(params) if args.vararg else None
        is_method = self.unit.is_method(node)
        if is_method and params:
            self.self_name = params[0].arg
            if self.unit.http_handler_methods:
                self.http_handler = self.unit.http_handler_methods.get(id(node))
        route = not isinstance(node, ast.Lambda) and (self.unit.is_route(node) or id(node) in self.unit.dependency_functions)
        django_view = not isinstance(node, ast.Lambda) and self.unit.is_django_view(node, is_method)
        state: State = {}
        name = getattr(node, "name", "lambda")
        command_line = click_parameters(self.unit, node) if getattr(node, "decorator_list", None) else {}
        if params and self.unit.imports_argparse:
            if not is_method and name in self.unit.dispatch_handler_names:
                self.namespace_name = params[0].arg  # ``def cmd_prune(args)`` of ``set_defaults(func=cmd_prune)``: argparse's namespace
            else:  # ``def run(args: argparse.Namespace)``
                self.namespace_name = next((a.arg for a in all_params if a.annotation is not None
                                            and self.resolved_name(a.annotation) == "argparse.Namespace"), None)
        if not command_line and id(node) in self.unit.typer_commands:
            command_line = typer_parameters(self.unit, node)
        if not command_line and (tasks := self.unit.task_commands) and id(node) in tasks:
            command_line = task_parameters(self.unit, node, tasks[id(node)])  # ``@task def deploy(c, branch)``
        routed = self.unit.route_conversions(node) if django_view else None  # (what its Django routes convert)
        # A Tornado, Falcon or CherryPy handler: what the framework gives its parameters
        handled = self.unit.framework_parameters(node, is_method) if self.unit.handler_frameworks or self.unit.framework_handlers else None
        for index, arg in enumerate(all_params):
            if is_method and index == 0:
                continue
            step = TraceStep(self.unit.path, arg.lineno, arg.col_offset, self.unit.code(arg.lineno), f"parameter `{arg.arg}`")
            kind = parameter_kind(self.unit, node, arg, django_view) if route or django_view else None
            if arg.arg in command_line:  # ``@click.argument("pattern")``
                state[arg.arg] = PROVEN if command_line[arg.arg] else source(
                    "command-line argument", Level.MEDIUM, replace(step, note=f"parameter `{arg.arg}`: command-line argument (untrusted)"))
                continue
            if id(node) in self.unit.command_handlers:  # ``handle(self, *args, **options)``
                state[arg.arg] = source("command-line argument", Level.MEDIUM, replace(step, note=f"parameter `{arg.arg}`: command-line argument (untrusted)"))
                continue
            if handled is not None and arg.arg in handled:
                given, still_open = handled[arg.arg], None
                if given.__class__ is tuple:  # (a Tornado route's narrow group: what its characters allow)
                    given, still_open = given
                state[arg.arg] = PROVEN if given == CONVERTED else source(
                    given, Level.HIGH, replace(step, note=f"parameter `{arg.arg}`: {given} (untrusted)"))
                if still_open is not None:
                    state[arg.arg] = _converted_value(state[arg.arg], still_open)
                continue
            if kind == CONVERTED:
                state[arg.arg] = PROVEN  # ``item_id: int``, ``<int:item_id>``, an Enum: the framework converted it
                continue
            if kind is not None:
                modelled = self.parameter_model_instance(node, arg, step, state) if route else None
                if modelled is not None:  # ``Annotated[Filters, Query()]``: field by field
                    state[arg.arg] = modelled
                    continue
                state[arg.arg] = source(kind, Level.HIGH, replace(step, note=f"parameter `{arg.arg}`: {kind} (untrusted)"))
                pattern = declared_pattern(self.unit, node, arg) if route else None
                if pattern is not None:  # ``Query(pattern=...)``: checked as a regex check would be
                    state[arg.arg] = _checked_by_pattern(state[arg.arg], pattern)
                if route and arg.annotation is not None and self.unit.imports_fastapi:  # ``Annotated[str, AfterValidator(f)]``
                    names = annotated_validators(self.unit, arg)
                    if names:
                        state[arg.arg] = run_validators(self.unit, state[arg.arg], names)
                if routed:
                    state[arg.arg] = _routed(state[arg.arg], routed, arg is args.kwarg, arg.arg)
                continue
            if route:
                computed = self.dependency_value(node, arg, step)
                if computed is None:
                    computed = self.dependency_instance(node, arg, step, state)
                if computed is None and self.unit.imports_litestar and arg.arg in litestar_dependencies(self.unit, node):
                    computed = CLEAN  # (Litestar provides it: a provider not known reads no request, as far as seen)
                if computed is not None:
                    state[arg.arg] = computed
                    continue
            origin = new_origin(f"parameter `{arg.arg}` of public function `{name}()` (possible input)",
                                Level.LOW, (step,), index, self.public)
            state[arg.arg] = Taint(frozenset({origin}))
            if index < len(params) and node.__class__ is not ast.Lambda:
                self.guard_candidates[arg.arg] = index  # (the caller's argument as it is: see FunctionSummary.guards)
        if 1 < len(params) < 4 and (params[-1].arg == WSGI_RESPONDER_PARAMETER or self.unit.wsgi_served) and node.__class__ is not ast.Lambda:
            self.wsgi_application(node, params, is_method, state)
        return state

    def wsgi_application(self, node: ast.AST, params: list[ast.arg], is_method: bool, state: State) -> None:
        """``def app(environ, start_response)``: ``environ`` is the request (see raw_servers.py)."""
        environ = wsgi_environ(self.unit, node, params, is_method)
        if environ is None or environ not in state:
            return
        arg = next(a for a in params if a.arg == environ)
        description, confidence = WSGI_ENVIRONMENT
        note = f"parameter `{environ}`: {description} of a WSGI application (untrusted)"
        state[environ] = source(description, confidence, TraceStep(self.unit.path, arg.lineno, arg.col_offset, self.unit.code(arg.lineno), note))
        self.guard_candidates.pop(environ, None)
        self.environ_name = environ

    def dependency_value(self, function: ast.AST, arg: ast.arg, step: TraceStep) -> Taint | None:
        """``user: str = Depends(current_user)``: what the project's ``current_user`` returns of
        its own (request data it read: a header, a query parameter); CLEAN when it returns none
        (a session, settings, a constant, a converted or checked value). None: not a dependency
        of the project's (its value is the parameter's, as for any function)."""
        target = dependency(self.unit, function, arg)
        if target is not None:
            name = self.resolved_name(target)
        else:
            name = told_provider(self.unit, function, arg)  # (a provider another file names: see parameters.LITESTAR_DEPENDENCIES)
            if name is None:
                return None
        summary = self.summary_for(name, target, name is not None and self.has_summary(name))
        if summary is None:
            return None
        returns = summary.returns
        data = frozenset(origin for origin in returns.whole().origins if origin.param is None)
        if self.unit.imports_litestar and returns.origins and summary.qualname not in self.unit.local_summaries:
            data |= self.provider_parameters(summary, returns)
        if not data:  # (proven when it returns a proven value on every path: ``return int(size)``)
            return Proven(frozenset(), None, returns.cwes) if returns.__class__ is Proven else CLEAN
        note = f"parameter `{arg.arg}`: the value of dependency `{summary.qualname.rsplit('.', 1)[-1]}()`"
        value = Taint(data).with_step(replace(step, note=note), self._stepped)
        return value.proved(returns.cwes) if returns.__class__ is Proven else value

    def provider_parameters(self, summary: FunctionSummary, returns: Taint) -> frozenset[Origin]:
        """What a Litestar provider of another module returns of its parameters, which Litestar
        fills as a handler's (its module's ``<litestar-parameters>`` entry says with what: see
        parameters.LITESTAR_PARAMETERS): the request values, as sanitized as the provider
        leaves them (a parameter it converts: nothing)."""
        entry = self._table.get(f"{summary.qualname}{LITESTAR_PARAMETERS}")
        if entry is None:
            return frozenset()
        kinds = provider_kinds(entry)
        found = set()
        for origin in returns.whole().origins:
            if origin.param is None or origin.param >= len(summary.params):
                continue
            name = summary.params[origin.param]
            kind = kinds.get(name)
            if kind is None or kind == CONVERTED_KIND:
                continue
            note = f"parameter `{name}` of provider `{summary.qualname.rsplit('.', 1)[-1]}()`: {kind} (untrusted)"
            given = source(kind, Level.HIGH, TraceStep(origin.steps[0].path, origin.steps[0].line, origin.steps[0].col, origin.steps[0].code, note)
                           if origin.steps else self.step(self.node, note))
            found.update(o.sanitize(origin.sanitized) if origin.sanitized else o for o in given.origins)
        return frozenset(found)

    def parameter_model_instance(self, function: ast.AST, arg: ast.arg, step: TraceStep, state: State) -> Taint | None:
        """``filters: Annotated[Filters, Query()]`` (a parameter model): as a dependency class's
        instance (see ``dependency_instance``), its fields filled from the marker's part of the
        request (query parameters, headers, cookies, form fields) unless they say otherwise.
        ``item: Item`` (a body model: a pydantic model or dataclass without a marker, or with
        ``Body()``): the same, its fields from the JSON body, a field that is a model itself
        (``address: Address``) read field by field in turn."""
        found = parameter_model(self.unit, function, arg) if self.unit.imports_fastapi else None
        if found is None:
            annotation = body_model(self.unit, function, arg) if self.unit.body_model_framework else None
            if annotation is None:
                return None
            found = annotation, BODY_MODEL_KIND
        annotation, kind = found
        return self.dependency_instance(function, arg, step, state, annotation, kind)

    def dependency_instance(self, function: ast.AST, arg: ast.arg, step: TraceStep, state: State,
                            target: ast.expr | None = None, unmarked: str | None = None) -> Taint | None:
        """``f: Filters = Depends()``, ``Annotated[Filters, Depends(Filters)]``: FastAPI constructs
        the project's class ``Filters``, filling the parameters of its ``__init__`` (the fields of
        a dataclass or pydantic model) as a route's: the instance holds those values in the
        attributes the constructor stores them in. Each attribute the constructor sets gets an
        entry ``f.<attribute>`` in ``state``: ``self.q = q`` the query parameter ``q``,
        ``self.limit = 50`` nothing. The result is the instance as a whole (every attribute).
        None: not a class whose constructor is known (see ``dependency_attributes``). (``target``,
        ``unmarked``: a parameter model's class and the kind of its fields, see
        ``parameter_model_instance``.)"""
        if target is None:
            target = dependency_target(self.unit, function, arg)
        class_name = self.resolved_name(target) if target is not None else None
        if class_name is None or (unmarked is not None and not self.unit.is_field_class(class_name)):
            return None
        attributes = self.dependency_attributes(class_name, function, arg, 0, unmarked)
        if attributes is None:
            return None
        self.instances[arg.arg] = class_name  # (``f.method()``: the class's method)
        short = class_name.rsplit(".", 1)[-1]
        if unmarked == BODY_MODEL_KIND:
            built = replace(step, note=f"parameter `{arg.arg}`: `{short}` built by {self.unit.body_model_framework} from the JSON body")
        else:
            built = replace(step, note=f"parameter `{arg.arg}`: `{short}` built by FastAPI from the request")
        whole = CLEAN
        for attribute, value in attributes.items():
            value = value.with_step(built, self._stepped)
            state[f"{arg.arg}.{attribute}"] = value
            whole = join(whole, value)
        return whole

    def dependency_attributes(self, class_name: str, route: ast.AST, where: ast.AST, depth: int,
                              unmarked: str | None = None) -> dict[str, Taint] | None:
        """What the attributes of an instance of ``class_name`` hold when FastAPI builds it for
        ``route``: the request values it gives the constructor's parameters, in place of the
        parameters the constructor stores (``values.ATTRIBUTE`` origins, as ``super().__init__(x)``
        replaces them with ``x``); sources the constructor reads itself stay. The constructor's
        sinks and those of the class's methods are reached through a call of it for the project
        pass (as ``Filters(q)`` would be, at ``where``). A class of another module: as its
        module's entry tells (see dependencies.py). None: unknown."""
        if class_name in self.unit.class_bases:
            init, fields = self.unit.dependency_constructor(class_name)
            if init is None:
                return None
            args = init.args
            parameters = [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs,
                          *([args.kwarg] if args.kwarg else [])]
            given = {arg.arg: self.request_value(init, arg, route, fields, depth, unmarked)
                     for index, arg in enumerate(parameters) if fields or index > 0}
            inherited = self.unit.inherited_model_entry(class_name) if fields else None
            if inherited is not None:  # (``class Order(BaseOrder)``, the base of another module: its fields first)
                given = {**validated_inherited(self.unit, self.unit.class_node(class_name), {  # (and its own validators on them)
                    name: self.for_route(value, route, name, unmarked) for name, value in inherited[0].items()
                    if unmarked is not None or name != EXTRA_FIELDS}), **given}
            attributes = self.unit.class_level_values(class_name)  # (unless the instance has its own)
            constructor = None if fields else self.unit.function_qualname(init)
            names = [arg.arg for arg in parameters]
            nested = self.nested_model_fields(parameters) if fields and unmarked == BODY_MODEL_KIND else {}
            if inherited is not None and unmarked == BODY_MODEL_KIND:
                nested = {**inherited[4], **nested}
            declared = self.unit.class_node(class_name)
            if fields and unmarked is not None and declared is not None and allows_extra_fields(self.unit, declared):
                given[EXTRA_FIELDS] = extra_fields_value(self.unit, declared, unmarked)  # (``extra="allow"``)
        else:
            entry = self.unit.dependency_entry(class_name)
            if entry is None:
                return None
            given, attributes, constructor, names, nested = entry
            fields = constructor is None
            given = {name: self.for_route(value, route, name, unmarked) for name, value in given.items()
                     if unmarked is not None or name != EXTRA_FIELDS}  # (FastAPI calls a dependency class with its fields only)
        if depth == 0:  # (what the constructor and the class's methods do with what it is given)
            self.construct(class_name, where, [], {name: value for name, value in given.items() if not value.is_clean and name != EXTRA_FIELDS})
        if fields:  # (a field is its own attribute)
            attributes = {**attributes, **given}
            if nested and unmarked == BODY_MODEL_KIND and depth < MAX_DEPENDENCY_DEPTH:
                self.read_nested_models(attributes, nested, route, where, depth)
            return attributes
        for attribute, held in self.unit.constructed_for(self.node, class_name).items():
            value = CLEAN
            for origin in held.whole().origins:
                if origin.kind != ATTRIBUTE:
                    value = join(value, Taint(frozenset((origin,))))  # (read by the constructor itself)
                elif origin.description == constructor and origin.param is not None and origin.param < len(names):
                    passed = given.get(names[origin.param], CLEAN)
                    if passed.is_clean:
                        continue
                    passed = passed.sanitize(origin.sanitized) if origin.sanitized else passed
                    for stored in origin.steps:  # (from the parameter to the attribute, in ``__init__``)
                        passed = passed.with_step(stored, self._stepped)
                    value = join(value, passed)
            attributes[attribute] = value
        return attributes

    def nested_model_fields(self, fields: list[ast.arg]) -> dict[str, str]:
        """The fields annotated with a class (maybe a model: ``address: Address``), by name, with
        the class's qualified name."""
        found = {}
        for arg in fields:
            annotation = field_class_annotation(self.unit, arg)
            name = self.resolved_name(annotation) if annotation is not None else None
            if name is not None:
                found[arg.arg] = name
        return found

    def read_nested_models(self, attributes: dict[str, Taint], nested: dict[str, str], route: ast.AST, where: ast.AST,
                           depth: int) -> None:
        """A body model's fields that are models themselves (``address: Address``), read field by
        field: ``address.city`` holds what pydantic gives ``Address.city`` (a step at the field
        ``address``), ``address`` all of them. A field whose class is no model keeps its value."""
        for name, class_name in nested.items():
            if not self.unit.is_field_class(class_name):
                continue
            inner = self.dependency_attributes(class_name, route, where, depth + 1, BODY_MODEL_KIND)
            if inner is None:
                continue
            held = attributes.get(name, CLEAN)  # (the field as a whole: a body value at its line)
            first = next((origin.steps[0] for origin in held.origins if origin.steps), None)
            step = replace(first, note=f"field `{name}`: `{class_name.rsplit('.', 1)[-1]}` read from the JSON body") if first else None
            for key, value in inner.items():
                attributes[f"{name}.{key}"] = value.with_step(step, self._stepped) if step else value
            attributes[name] = join_all(attributes[f"{name}.{key}"] for key in inner if "." not in key)

    def request_value(self, init: ast.AST, arg: ast.arg, route: ast.AST, field: bool, depth: int,
                      unmarked: str | None = None) -> Taint:
        """What FastAPI gives the parameter ``arg`` of a dependency class's constructor ``init``
        (a field, for a generated one) as it fills ``route``'s: a request value of its kind, or
        nothing (converted, a framework object); a dependency's value (a function's, or a
        class's instance, a few levels deep)."""
        value = fastapi_parameter_value(self.unit, init, arg, route, field, unmarked)
        if value is not None:
            return value
        what = "field" if field else "parameter"
        step = TraceStep(self.unit.path, arg.lineno, arg.col_offset, self.unit.code(arg.lineno), f"{what} `{arg.arg}`")
        computed = self.dependency_value(init, arg, step)
        if computed is not None:
            return computed
        target = dependency_target(self.unit, init, arg) if depth < MAX_DEPENDENCY_DEPTH else None
        class_name = self.resolved_name(target) if target is not None else None
        if class_name is not None:
            attributes = self.dependency_attributes(class_name, route, arg, depth + 1)
            if attributes:
                return join_all(attributes.values()).with_step(replace(step, note=f"{what} `{arg.arg}`: a dependency"), self._stepped)
        return CLEAN  # (a framework object: ``request: Request`` is read as a request where it is used)

    def for_route(self, value: Taint, route: ast.AST, name: str, unmarked: str | None = None) -> Taint:
        """A request value another module's dependency class declares without a marker (see
        dependencies.py): a path parameter if ``route``'s path names it, else a query parameter
        (``unmarked``: a parameter model's kind)."""
        if not any(origin.description == UNPLACED for origin in value.origins):
            return value
        kind = unmarked or self.unit.route_parameter_kind(route, name)
        placed = []
        for origin in value.origins:
            if origin.description == UNPLACED:
                first = origin.steps[0]
                note = first.note.replace(UNPLACED, kind)
                origin = replace(origin, description=kind, steps=(replace(first, note=note), *origin.steps[1:]))
            placed.append(origin)
        if value.__class__ is Proven:  # (checked in its module: a pattern, a validator)
            return Proven(frozenset(placed), None, value.cwes)  # type: ignore[attr-defined]
        return Taint(frozenset(placed))

    # ---- statements -------------------------------------------------------------------------
    def block(self, body: list[ast.stmt], state: State | None) -> State | None:
        handlers = _STATEMENT_HANDLERS
        for statement in body:
            if state is None:
                return None  # unreachable after return/raise
            # (``self.statement(statement, state)`` written out: one call less per statement)
            handler = handlers.get(type(statement))
            if handler is None:
                state = self.statement(statement, state)
            else:
                self.work += 1
                state = handler(self, statement, state)
        return state

    def statement(self, node: ast.stmt, state: State) -> State | None:
        self.work += 1
        handler = _STATEMENT_HANDLERS.get(type(node))
        if handler is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return state
        return handler(self, node, state)

    def stmt_Expr(self, node: ast.Expr, state: State) -> State | None:
        self.expr(node.value, state)
        if isinstance(node.value, ast.Call) and (self.resolved_name(node.value.func) in NO_RETURN_CALLS or (
                node.value.func.__class__ is ast.Attribute and node.value.func.attr in _NO_RETURN_METHOD_NAMES
                and _exits_through_instance(node.value, self))):
            return None  # ``abort(404)``, ``sys.exit(1)``, ``parser.error(...)``: like raise, the branch ends here
        self.note_conversion_check(node.value, state)
        self.note_raising_containment(node.value, state)
        if self.guard_calls:
            self.apply_guards(node.value, state)
        return state

    def note_raising_containment(self, value: ast.expr, state: State) -> bool:
        """After ``path.relative_to(base)`` returned (it raises ValueError otherwise), ``path`` is
        inside ``base`` on this path (see RAISING_CONTAINMENT_METHODS). (The handler of the ``try``
        it is in starts from the state before the body too: a handler that goes on has not proven it.)
        True when that proves the paths safe (then what the call returned, a path below ``base``
        without ``..``, is too)."""
        if (value.__class__ is ast.Call and value.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
                and value.func.attr in RAISING_CONTAINMENT_METHODS and len(value.args) == 1 and not value.keywords):  # type: ignore[attr-defined]
            return self.prove_contained(_contained_in(value.func.value, value.args[0], self), state)  # type: ignore[attr-defined]
        return False

    def note_conversion_check(self, value: ast.expr, state: State) -> None:
        """After ``int(x)`` ran without raising, ``x`` is a numeric string on this path."""
        if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Name):
            if self.resolved_name(value.func) in CONVERSION_CHECKS and value.args[0].id in state:
                state[value.args[0].id] = PROVEN

    def stmt_Assign(self, node: ast.Assign, state: State) -> State:
        value = self.expr(node.value, state)
        kind = type(node.value)  # (``self.fold``'s commonest answers, without its calls)
        constant = node.value.value if kind is _CONSTANT else self.fold(node.value) if kind in _FOLDABLE else NOTHING
        resolved = kind is ast.Call and _resolves_path(node.value, self)
        for target in node.targets:
            if type(target) is _NAME:  # (``self.assign``'s commonest case, written out)
                name = target.id
                if name in self.path_roots:
                    self.forget_paths(name, state, value)
                state[name] = value.with_step(self.step(node, f"assigned to `{name}`"), self._stepped) if _carries(value) else value
                if self.declared_globals and name in self.declared_globals and _carries(value):
                    self.note_module_store(name, value, node)
                if constant is NOTHING:
                    self.consts.pop(name, None)
                else:
                    self.consts[name] = constant
                if resolved:
                    self.resolved_paths.add(name)
                else:
                    self.resolved_paths.discard(name)
                self.note_instance(name, node.value)
                if kind is ast.Attribute and node.value.attr in _HOST_ATTRIBUTES:
                    self.host_names.add(name)  # (``host = urlparse(url).hostname``: see _allow_listed_host)
                if kind is ast.Lambda:
                    self.local_functions[name] = node.value  # ``run = lambda c: ...``
                elif self.local_functions:
                    self.local_functions.pop(name, None)
            else:
                self.assign(target, value, state, node, constant)
        self.note_conversion_check(node.value, state)
        if self.checks:
            self.forget_checks(node.targets)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            checked = _validator_argument(node.value, self)
            if checked is None and node.value.__class__ is ast.BoolOp and node.value.op.__class__ is ast.And:
                # ``ok = url and is_safe(url)``: true only where every operand is
                checked = next(filter(None, (_validator_argument(operand, self) for operand in node.value.values)), None)
            if checked is not None:
                self.checks[node.targets[0].id] = checked  # ``ok = is_safe(x)``: ``if ok`` validates x
        elif len(node.targets) == 1 and node.targets[0].__class__ is ast.Attribute and _form_validation(node.value):
            checked, kept = _validator_argument(node.value, self), _dotted(node.targets[0])
            if checked is not None and kept is not None:
                self.checks[kept] = checked  # ``self.valid = self.form.is_valid()``: ``if self.valid`` validates the form
        elif self.first_check_calls and len(node.targets) == 1 and node.targets[0].__class__ in (ast.Tuple, ast.List):
            first = node.targets[0].elts[0] if node.targets[0].elts else None  # type: ignore[attr-defined]
            call = node.value.value if node.value.__class__ is ast.Await else node.value  # type: ignore[attr-defined]
            if first.__class__ is _NAME and call.__class__ is ast.Call and id(call) in self.first_check_calls:
                checked = _summary_check(call, self, self.first_check_calls[id(call)].first_checks)  # type: ignore[arg-type]
                if checked is not None:
                    self.checks[first.id] = checked  # ``ok, reason = check(url)``: ``if ok`` validates url
        if kind is ast.Call and self.note_raising_containment(node.value, state):
            for target in node.targets:  # ``rel = path.relative_to(base)``: below base, without ``..``
                if target.__class__ is _NAME and target.id in state:
                    state[target.id] = state[target.id].proved(PATH_CWES)
        if self.guard_calls:
            self.apply_guards(node.value, state)
        return state

    def forget_checks(self, targets: list[ast.expr]) -> None:
        """Names bound again: a check result kept in one is gone (``ok = ...``), and so is one of
        a check of one (``ok = is_safe(url)``, then ``url = other``: ``if ok`` says nothing of it)."""
        for target in targets:
            for bound in ([target] if target.__class__ is _NAME else ast.walk(target)):
                name = bound.id if bound.__class__ is _NAME else _dotted(bound) if bound.__class__ is ast.Attribute else None
                if name is not None:
                    self.checks.pop(name, None)
                    for kept in [k for k, (checked, _) in self.checks.items() if checked == name]:
                        del self.checks[kept]

    def stmt_AnnAssign(self, node: ast.AnnAssign, state: State) -> State:
        if node.value is not None:
            self.assign(node.target, self.expr(node.value, state), state, node, self.fold(node.value))
            if node.value.__class__ is ast.Attribute and node.value.attr in _HOST_ATTRIBUTES and node.target.__class__ is _NAME:
                self.host_names.add(node.target.id)
        return state

    def stmt_AugAssign(self, node: ast.AugAssign, state: State) -> State:
        value = self.expr(node.value, state)
        current = self.expr(node.target, state) if not isinstance(node.target, ast.Name) else self.read_name(node.target.id, state)
        combined = join(current.whole(), value)
        folded = NOTHING
        if isinstance(node.target, ast.Name) and node.target.id in self.consts:
            folded = self.fold(ast.BinOp(left=ast.Constant(self.consts[node.target.id]), op=node.op, right=node.value))
        self.assign(node.target, combined, state, node, folded)
        return state

    def stmt_Return(self, node: ast.Return, state: State) -> None:
        if node.value is not None:
            value = self.expr(node.value, state)
            if self.self_name is not None and not self.instance_returned and value is not PROVEN \
                    and node.value.__class__ not in _TESTS:
                self.instance_returned = _holds_attribute_origin(value) or not self.instance_free(node.value, state)
            carries = _carries(value)
            # (Once some return is text, the function's is; a return carrying nothing, no data
            # into a body whatever its kind -- most of them: asking their kind costs.)
            if carries and self.returned_kind != TEXT and node.value.__class__ is not _CONSTANT:
                self.returned_kind = join_kinds(self.returned_kind, self.return_kind(node))
            if carries:
                value = value.with_step(self.step(node, f"returned from `{self.short_name}()`"), self._stepped)
            self.returns = join(self.returns, value)
            if self.assumed is not None and self.returns.__class__ is not Proven:
                raise Unproven
        if self.stored:
            self.note_exit(state)
        if self.guard_candidates:
            if self.at_returns != {}:  # (once nothing is proven at a return, no guard)
                self.note_return(state)
            if self.at_true_returns != {}:
                if node.value is None:
                    pass  # (None: never true)
                elif node.value.__class__ in _CHECK_RESULTS and self.may_be_check(node.value):
                    self.note_true_return(node.value, state)
                else:  # (``return x``, ``return render(...)``: may be true, checking nothing)
                    self.at_true_returns = {}
            if self.at_true_firsts != {}:
                self.note_first_return(node.value, state)
        return None

    def return_kind(self, node: ast.Return) -> str:
        """What ``return value`` gives out as a web response body (see dataflow/responses.py): a
        response object or a dict/list, JSON text, or text -- of a type the function declares
        first when it sets a Content-Type (a Tornado handler's ``self.set_header(...)``)."""
        if node.value.__class__ is _NAME and node.value.id in self.response_names:  # type: ignore[union-attr]
            return RESPONSE  # (an ``isinstance`` test around it said so)
        kind = body_kind(node.value, self.resolved_name, self.call_kind, self.local_values)  # type: ignore[arg-type]
        if kind in (TEXT, JSON_TEXT) and self.unit.declares_content_types and self.node.__class__ in _FUNCTION_DEFS:
            declared = declared_content_type(self.node, node, self.literal_value, self.local_values)
            if declared is _TYPE_NOT_KNOWN:
                return TYPED
            if declared is not None and not html_content_type(declared):
                return RESPONSE
        return kind

    def call_kind(self, call: ast.Call) -> str:
        """What a call returns as a web response body: the called project function's summary says
        -- the one its evaluation found (see ``summary_for``'s memo): nothing more is asked of the
        project (a question changes what the file depends on); without one, what its name says
        (``h.redirect_to(...)``: see unseen_call_kind)."""
        func = call.func
        name = self.resolved_name(func)
        own = func.attr if type(func) is ast.Attribute and type(func.value) is _NAME and func.value.id in ("self", "cls") else None
        memo = self._summary_for
        summary = memo.get((name, own, False)) or memo.get((name, own, True))
        return summary_kind(summary.returns_kind, summary.returns_class) if summary is not None else unseen_call_kind(func)

    def local_values(self, name: str) -> list[ast.expr] | None:
        """What this function (or the module) binds ``name`` to, not counting a container's contents."""
        return container_values(self.unit.facts.scopes.binder(name, self._own_scopes[0]), name)

    def literal_value(self, node: ast.expr, default: Any) -> Any:
        value = fold(node, {}, self.unit.module_constants)
        return default if value is NOTHING else value

    def note_first_return(self, value: ast.expr | None, state: State) -> None:
        """The function returns ``value``: for ``first_checks``, a tuple whose first item is a
        test (``return False, "blocked"``, ``return host in HOSTS, ""``) refines as a returned
        test does; None (``return``, falling off the end) cannot be unpacked by a caller (it
        raises there); anything else may hold any first item."""
        if value is None or (value.__class__ is _CONSTANT and value.value is None):
            return
        first = value.elts[0] if value.__class__ is ast.Tuple and value.elts else None
        if first is None or first.__class__ not in _CHECK_RESULTS or first.__class__ is ast.Starred or not self.may_be_check(first):
            self.at_true_firsts = {}
            return
        returns, self.at_true_returns = self.at_true_returns, self.at_true_firsts
        try:
            self.note_true_return(first, state)
            self.at_true_firsts = self.at_true_returns
        finally:
            self.at_true_returns = returns

    def true_first_checks(self) -> tuple[tuple[int, frozenset[int]], ...]:
        """The summary's ``first_checks`` (see ``true_checks``)."""
        if not self.at_true_firsts:
            return ()
        return tuple(sorted((self.guard_candidates[name], cwes) for name, cwes in self.caller_proofs(self.at_true_firsts)))

    def note_return(self, state: State) -> None:
        """The function returns with ``state``: which guard candidates are still proven."""
        known = self.at_returns
        if known is None:
            self.at_returns = {name: state[name] for name in self.guard_candidates if state.get(name).__class__ is Proven}
            return
        _keep_still_proven(known, state)

    def instance_free(self, node: ast.expr, state: State) -> bool:
        """Does ``node`` (returned by a method) give nothing of the instance but what the analysis
        tracks? (A test -- a comparison, ``not``: a bool -- is not asked: see _TESTS.) It may read the
        instance only through attributes whose values are tracked (``self.name``, stored by a
        method of the class) -- not the instance itself (``self``, ``vars(self)``), an attribute
        nothing here stores, a method's result (``self.describe()``), or a local (what it was
        bound to is not looked at: ``data = vars(self); return data``)."""
        me = self.self_name
        stack = [node]
        pop, extend = stack.pop, stack.extend
        visited = 0
        while stack:
            node = pop()
            visited += 1
            if visited > _MAX_INSTANCE_NODES:
                return False  # (a large expression: taken as giving the instance, as before)
            kind = node.__class__
            if kind is _NAME:
                name = node.id
                if name == me or (name in state and name not in self.params):
                    return False
            elif kind is ast.Attribute and node.value.__class__ is _NAME and node.value.id == me:
                if f"{me}.{node.attr}" not in state and self.unit.class_attribute(self.node, node.attr) is None:
                    return False
            elif kind is ast.Call and node.func.__class__ is ast.Attribute and node.func.value.__class__ is _NAME \
                    and node.func.value.id == me:
                return False
            elif kind is not _CONSTANT:
                extend(walk.children(node))
        return True

    def may_be_check(self, value: ast.expr) -> bool:
        """Can ``value``, returned, be a test ``refine`` takes as a check (see ``note_true_return``)?
        A call: of a check function (FunctionSummary.checks, or of this file: ``_checking_helpers``),
        a string test (``x.isdigit()``), a regex match; a name: one a check's result was kept in."""
        kind = value.__class__
        if kind is ast.Call:
            func = value.func
            if func.__class__ is ast.Attribute:
                return func.attr in _RETURNED_CHECK_METHODS or id(value) in self.check_calls or self.resolved_name(func) in VALIDATORS
            return id(value) in self.check_calls or (func.__class__ is _NAME and (
                func.id in _checking_helpers(self.unit) or self.resolved_name(func) in VALIDATORS))
        if kind is _NAME:
            return value.id in self.checks
        return True

    def note_true_return(self, value: ast.expr, state: State) -> None:
        """The function returns ``value`` (a test: a comparison, ``not``, ``and``/``or``, a call, a
        constant) with ``state``: which guard candidates are proven where it is true. A false
        constant proves nothing and takes nothing away (that return never makes a call true)."""
        if value.__class__ is _CONSTANT:
            if not value.value:
                return
            refined = state
        else:
            refined = self.refine(value, {name: state[name] for name in self.guard_candidates if name in state}, True)
        known = self.at_true_returns
        if known is None:
            self.at_true_returns = {name: refined[name] for name in self.guard_candidates if refined.get(name).__class__ is Proven}
            return
        _keep_still_proven(known, refined)

    def true_checks(self, guards: tuple[tuple[int, frozenset[int]], ...]) -> tuple[tuple[int, frozenset[int]], ...]:
        """The summary's ``checks``: the candidates proven wherever a value that may be true is
        returned (falling off the end returns None: false), but those of ``guards``."""
        if not self.at_true_returns:
            return ()
        guarded = {index for index, _ in guards}
        return tuple(sorted((self.guard_candidates[name], cwes) for name, cwes in self.caller_proofs(self.at_true_returns)
                            if self.guard_candidates[name] not in guarded))

    def guards(self) -> tuple[tuple[int, frozenset[int]], ...]:
        """The summary's ``guards``: the candidates proven at every return (not for a function
        that never returns: that is no check)."""
        if not self.at_returns:
            return ()
        return tuple(sorted((self.guard_candidates[name], cwes) for name, cwes in self.caller_proofs(self.at_returns)))

    def caller_proofs(self, proven: dict[str, Taint]) -> list[tuple[str, frozenset[int]]]:
        """The parameters ``proven`` (at the returns), with what that proves of the caller's
        argument: what was proven, for a parameter bound once; for one the function only
        normalizes (``target = target.strip()``: url_normalization.py), that it is safe as a
        redirect target, when proven so. (A parameter rebound otherwise: what is proven may be
        another value, ``if x not in ALLOWED: x = "id"``.)"""
        bindings = self.unit.facts.scopes.collector(self.node).bindings
        found = []
        for name, value in proven.items():
            if len(bindings.get(name, ())) == 1:
                found.append((name, value.cwes))
            elif self_normalized(name, self):
                redirect = _redirect_part(value.cwes)
                if redirect:
                    found.append((name, redirect))
        return found

    def apply_guards(self, call: ast.expr, state: State) -> None:
        """After ``ensure_allowed(url)`` returned (a call statement, or an assignment of its result),
        ``url`` passed the check the function makes of that parameter."""
        if call.__class__ is ast.Await:
            call = call.value
        summary = self.guard_calls.get(id(call))
        if summary is None:
            return
        offset = 1 if summary.is_method and call.func.__class__ is ast.Attribute else 0
        for index, cwes in summary.guards:
            argument = _placed(call, (index - offset if index >= offset else None, summary.params[index]))
            if argument.__class__ is _NAME and argument.id in state:
                state[argument.id] = self.checked(state[argument.id], cwes, call)

    def stmt_Raise(self, node: ast.Raise, state: State) -> None:
        for child in (node.exc, node.cause):
            if child is not None:
                self.expr(child, state)
        return None

    def stmt_If(self, node: ast.If, state: State) -> State | None:
        self.expr(node.test, state)
        decided = self.truth(node.test)
        if decided is True:
            return self.block(node.body, dict(state))
        if decided is False:
            return self.block(node.orelse, dict(state))
        if self.opened_paths:
            self.opened_paths.clear()  # type: ignore[attr-defined]
        then_state = self.refine(node.test, dict(state), True)
        else_state = self.refine(node.test, dict(state), False)
        opened = self.opened_paths  # (made by the first proof: see prove_path)
        if opened:
            for path, before in opened.items():
                then_state.setdefault(path, before)
                else_state.setdefault(path, before)
        consts = self.consts
        self.consts = dict(consts) if consts else {}
        # (``if isinstance(rv, Response): return rv``: a response object in that branch, see return_kind)
        narrowed = response_instance_test(node.test, self.resolved_name) if node.test.__class__ in _INSTANCE_TESTS else None
        then_end = self.block(node.body, then_state) if narrowed is None else self.branch(node.body, then_state, narrowed, True)
        then_consts, self.consts = self.consts, consts
        else_end = self.block(node.orelse, else_state) if narrowed is None else self.branch(node.orelse, else_state, narrowed, False)
        self.consts = _consts_after(then_consts, self.consts)
        return merge_into(then_end, else_end)

    def branch(self, body: list[ast.stmt], state: State, narrowed: tuple[str, bool], taken: bool) -> State | None:
        """One branch of an ``if`` (``taken``: the one its test holds in); ``narrowed``: the name
        its test proves a response object, and in which branch (see response_instance_test)."""
        if narrowed[1] is not taken:
            return self.block(body, state)
        before = self.response_names
        self.response_names = before | {narrowed[0]}
        try:
            return self.block(body, state)
        finally:
            self.response_names = before

    def stmt_While(self, node: ast.While, state: State) -> State | None:
        decided = self.truth(node.test)
        if decided is False:
            return self.block(node.orelse, state)
        result = self.loop(node, state, lambda s: self.expr(node.test, s))
        if decided is True and not _has_break(node):
            return None
        return merge_into(result, self.block(node.orelse, dict(result or state)))

    def stmt_For(self, node: ast.For, state: State) -> State | None:
        iterable = self.expr(node.iter, state)
        if iterable.proves_any_of(_IN_MEMORY_FILE_MARK):
            iterable = iterable.proof_undone(IN_MEMORY_FILE_CWES)  # ``for line in io.StringIO(text)``: its lines
        element = self.numbered(node.iter, whole_proof_only(iterable.whole()))
        if self.unit.may_hold_archives and self.archive_class(node.iter) == "tarfile.TarFile":
            element = self.archive_members(node.iter)  # ``for member in tf``: its members
        if node.iter.__class__ is _NAME and self.unit.stream_handlers and node.iter.id == stream_reader(self):
            description, confidence = STREAM_DATA  # ``async for line in reader``: its lines
            element = source(description, confidence, self.step(node.iter, f"{description} (untrusted)"))

        def enter(loop_state: State) -> None:
            value = element.with_step(self.step(node, "loop variable"), self._stepped) if _carries(element) else element
            self.assign(node.target, value, loop_state, node, NOTHING)

        result = self.loop(node, state, enter)
        return merge_into(result, self.block(node.orelse, dict(result or state)))

    stmt_AsyncFor = stmt_For

    def numbered(self, iterable: ast.expr, element: Taint) -> Taint:
        """An element of ``iterable``, ``element`` as an unknown call's would be, but a pair of a
        count and that element when ``iterable`` is the builtin ``enumerate(items)`` (a ``start``
        too: a number, or TypeError): ``for i, pk in enumerate(pks)`` gives a number in ``i``,
        whatever ``pks`` holds."""
        if (iterable.__class__ is not ast.Call or iterable.func.__class__ is not _NAME or iterable.func.id != "enumerate"
                or not 1 <= len(iterable.args) <= 2 or iterable.args[0].__class__ is ast.Starred or not self.is_builtin("enumerate")):
            return element
        return Taint(frozenset(), ((0, PROVEN), (1, element)))

    def loop(self, node, state: State, enter: Callable[[State], Any]) -> State | None:
        """The state after the loop: at its head once nothing changes from one pass to the next
        (the states of the passes that ``continue`` go back there too), joined with the states
        that ``break`` out of it."""
        current = dict(state)
        broken = None
        # Names the body binds to constants hold them from that binding on in one pass, but not
        # in the next pass, nor after the loop: a pass that changes one forgets it, and makes
        # another pass (``first = True; for x in xs: if first: first = False; continue``).
        consts_before = dict(self.consts)
        varying: set[str] = set()
        for _ in range(MAX_LOOP_ITERATIONS if self.work < FUNCTION_BUDGET else 1):
            for name in varying:
                self.consts.pop(name, None)
            body_state = dict(current)
            enter(body_state)
            jumps: tuple[list[State], list[State]] = ([], [])  # (states at a ``continue``, at a ``break``)
            self.loop_jumps.append(jumps)
            try:
                after = self.block(node.body, body_state)
            finally:
                self.loop_jumps.pop()
            for continued in jumps[0]:
                after = merge_into(after, continued)
            for left in jumps[1]:
                broken = merge_into(broken, left)
            merged = merge(current, after)
            changed = _changed_consts(consts_before, self.consts) - varying
            varying |= changed
            if merged == current and not changed:
                break
            current = merged
            if self.work >= FUNCTION_BUDGET:
                self.unit.budget_exceeded = True  # no fixpoint: flows through later iterations may be missed
                break
        for name in varying:
            self.consts.pop(name, None)
        return current if broken is None else merge_into(current, broken)

    def stmt_With(self, node: ast.With, state: State) -> State | None:
        for item in node.items:
            value = self.expr(item.context_expr, state)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value, state, node, NOTHING)
        return self.block(node.body, state)

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, node: ast.Try, state: State) -> State | None:
        before = dict(state)
        consts_before = dict(self.consts)
        after_body = self.block(node.body, dict(state))
        handler_entry = merge(before, after_body) or before
        outcomes = [self.block(node.orelse, dict(after_body)) if after_body is not None else None]
        handler_consts = _consts_after(consts_before, self.consts)  # (raised anywhere in the body)
        joined_consts = self.consts
        for handler in node.handlers:
            self.consts = dict(handler_consts)
            handler_state = dict(handler_entry)
            if handler.type is not None:
                self.expr(handler.type, handler_state)
            if handler.name:
                handler_state[handler.name] = CLEAN
            outcomes.append(self.block(handler.body, handler_state))
            joined_consts = _consts_after(joined_consts, self.consts)
        self.consts = joined_consts
        result = None
        for outcome in outcomes:
            result = merge_into(result, outcome)
        if node.finalbody:
            final_entry = result if result is not None else dict(handler_entry)
            final_state = self.block(node.finalbody, dict(final_entry))
            return final_state if result is not None else None
        return result

    stmt_TryStar = stmt_Try

    def stmt_Match(self, node: ast.Match, state: State) -> State | None:
        subject = self.expr(node.subject, state)
        result = None
        irrefutable = False
        for case in node.cases:
            case_state = dict(state)
            for child in ast.walk(case.pattern):
                name = getattr(child, "name", None) or getattr(child, "rest", None)
                if isinstance(name, str):
                    case_state[name] = subject.whole().with_step(self.step(case.pattern, f"matched as `{name}`"), self._stepped)
            if isinstance(node.subject, ast.Name) and _literal_pattern(case.pattern):
                case_state[node.subject.id] = PROVEN  # ``case "a" | "b":`` is an allow-list check
            if case.guard is not None:
                self.expr(case.guard, case_state)
            if isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None and case.guard is None:
                irrefutable = True
            result = merge_into(result, self.block(case.body, case_state))
        return result if irrefutable else merge(result, state)

    def stmt_FunctionDef(self, node, state: State) -> State:
        for decorator in node.decorator_list:
            self.expr(decorator, state)
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.expr(default, state)
        state[node.name] = CLEAN
        self.unit.defined_in[id(node)] = self.qualname
        self.unit.nested.append((node, self.defining_state(state)))
        if isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.local_functions[node.name] = node  # (a module's or a class's: by its qualified name)
        return state

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def defining_state(self, state: State) -> State:
        """What a function or class defined here sees of the names around it (over the module's
        final state: see FileFlow.analyze). At module level, nothing more: a module function
        reads the module's names when it runs, and a copy of the module's state per ``def``
        made a module of thousands of functions quadratic in memory (2,500: 250 MB)."""
        return MODULE_LEVEL if self.node.__class__ is ast.Module else dict(state)

    def stmt_ClassDef(self, node: ast.ClassDef, state: State) -> State:
        for child in [*node.bases, *node.decorator_list, *(k.value for k in node.keywords)]:
            self.expr(child, state)
        state[node.name] = CLEAN
        self.unit.defined_in[id(node)] = self.qualname
        self.unit.nested.append((node, self.defining_state(state)))
        return state

    def stmt_Delete(self, node: ast.Delete, state: State) -> State:
        for target in node.targets:
            if isinstance(target, ast.Name):
                state.pop(target.id, None)
                self.consts.pop(target.id, None)
                if target.id in self.path_roots:
                    self.forget_paths(target.id, state, CLEAN)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                container = self.read_name(target.value.id, state)
                key = self.fold(target.slice)
                if container.items is not None and isinstance(key, int):
                    state[target.value.id] = _list_delete(container, key)
                else:
                    self.expr(target, state)
        return state

    def stmt_Import(self, node, state: State) -> State:
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            state[name] = CLEAN
            self.consts.pop(name, None)
        return state

    stmt_ImportFrom = stmt_Import

    def stmt_Global(self, node, state: State) -> State:
        if self.node.__class__ is not ast.Module:  # (Python wants it before the name's uses)
            self.declared_globals.update(node.names)
        return state

    def stmt_Pass(self, node, state: State) -> State:
        return state

    stmt_Nonlocal = stmt_Pass

    def stmt_Continue(self, node, state: State) -> State | None:
        """The rest of the loop's body is not run on this path (``if bad(x): continue`` guards
        what follows): its state goes back to the loop's head."""
        if not self.loop_jumps:
            return state
        self.loop_jumps[-1][0].append(state)
        return None

    def stmt_Break(self, node, state: State) -> State | None:
        """This path leaves the loop: its state goes on after the loop (see ``loop``)."""
        if not self.loop_jumps:
            return state
        self.loop_jumps[-1][1].append(state)
        return None

    # ---- assignment ---------------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Taint, state: State, statement: ast.AST, constant: Any) -> None:
        if isinstance(target, ast.Name):
            if target.id in self.path_roots:
                self.forget_paths(target.id, state, value)
            state[target.id] = value.with_step(self.step(statement, f"assigned to `{target.id}`"), self._stepped) if _carries(value) else value
            if self.declared_globals and target.id in self.declared_globals and _carries(value):
                self.note_module_store(target.id, value, statement)
            self.resolved_paths.discard(target.id)
            if constant is NOTHING:
                self.consts.pop(target.id, None)
            else:
                self.consts[target.id] = constant
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.assign(element.value, value.whole(), state, statement, NOTHING)
                else:
                    part = value.item(index) if value.items is not None else value.whole()
                    element_constant = constant[index] if isinstance(constant, (tuple, list)) and index < len(constant) else NOTHING
                    self.assign(element, part, state, statement, element_constant)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value.whole(), state, statement, NOTHING)
        elif isinstance(target, ast.Subscript):
            self.expr(target.slice, state)
            base = target.value
            key = self.fold(target.slice)
            if isinstance(base, ast.Name):
                self.consts.pop(base.id, None)  # ``items[0] = x``: no longer the literal it was bound to
                container = self.read_name(base.id, state)
                if _carries(value):
                    self.note_module_store(base.id, value, statement)
                stepped = value.with_step(self.step(statement, f"stored in `{base.id}`"), self._stepped) if _carries(value) else value
                state[base.id] = container.set_item(key, stepped) if key is not NOTHING and _hashable(key) else join(container.whole(), stepped.whole())
            else:
                self.expr(base, state)
                root = _state_root(base) if _carries(value) else None
                if root is not None:  # ``BY_USER[user][0] = x``
                    self.note_module_store(root, value, statement)
            self.values[id(target)] = value
        elif isinstance(target, ast.Attribute):
            self.expr(target.value, state)
            dotted = _dotted(target)
            if dotted and _carries(value):
                self.note_module_store(dotted.split(".", 1)[0], value, statement)  # ``STATE.path = x``
            if dotted:
                if self.path_roots and dotted.split(".", 1)[0] in self.path_roots:
                    self.forget_paths(dotted, state, value)  # ``args.opts = other``: ``args.opts.host`` is no longer proven
                state[dotted] = value.with_step(self.step(statement, f"assigned to `{dotted}`"), self._stepped) if _carries(value) else value
                if self.self_name and dotted.startswith(self.self_name + "."):
                    attribute = dotted.split(".", 1)[1]  # (recorded for the class when the method is done)
                    self.stored[attribute] = join(self.stored.get(attribute), state[dotted])
            self.values[id(target)] = value

    def note_module_store(self, name: str, value: Taint, statement: ast.AST) -> None:
        """``value`` is stored in ``name``: when that is the module's name (see module_state.py),
        the file's other functions read it there."""
        unit = self.unit
        if name not in unit.module_state_names or self.node.__class__ is ast.Module:
            return
        if name not in self.declared_globals and (id(self.node) not in unit.module_level_functions or name in unit.local_names(self.node)):
            return
        unit.store_in_module_state(name, value, self.step(statement, f"stored in module state `{name}`"), self.qualname)

    def hand_to_storing_function(self, summary: FunctionSummary, stores: dict, positional: list[Taint], keywords: dict, node: ast.Call) -> None:
        """``remember(x)`` where ``def remember(job): JOBS.append(job)`` (a function of this file
        storing its parameter in module state): what the argument carries is stored there."""
        offset = 1 if summary.is_method and isinstance(node.func, ast.Attribute) else 0
        step = self.step(node, f"passed to `{summary.qualname.rsplit('.', 1)[-1]}()`")
        for (name, param), stored in stores.items():
            index = param - offset
            if param == summary.vararg:
                argument = join_all(p.whole() for p in positional[max(index, 0):])
            else:
                argument = positional[index] if 0 <= index < len(positional) else (
                    keywords.get(summary.params[param]) if param < len(summary.params) else None)
            if argument is not None and _carries(argument):
                self.unit.store_handed_value(name, argument, step, stored, self.qualname)

    # ---- expressions --------------------------------------------------------------------------
    def expr(self, node: ast.expr, state: State) -> Taint:
        kind = type(node)
        # Names and constants are half of all expressions: no handler call for them.
        if kind is _NAME and node.id not in self._source_roots:
            name = node.id
            value = state[name] if name in state else self.globals_state.get(name, CLEAN)  # (read_name)
            self.values[id(node)] = value
            return value
        if kind is _CONSTANT:
            self.values[id(node)] = PROVEN
            return PROVEN
        handler = _EXPRESSION_HANDLERS.get(kind)
        if handler is None:
            value = join_all(self.expr(child, state).whole() for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
        else:
            value = handler(self, node, state)
        self.values[id(node)] = value
        return value

    def expr_Constant(self, node, state: State) -> Taint:
        return PROVEN

    def expr_UnaryOp(self, node: ast.UnaryOp, state: State) -> Taint:
        return self.expr(node.operand, state).whole()  # (as for any other node: its parts, whole)

    def expr_Name(self, node: ast.Name, state: State) -> Taint:
        if node.id in self.unit.source_roots:  # (else attribute_source() is None for a name)
            source_taint = self.attribute_source(node)
            if source_taint is not None:
                return source_taint
        return self.read_name(node.id, state)

    def read_name(self, name: str, state: State) -> Taint:
        if name in state:
            return state[name]
        return self.globals_state.get(name, CLEAN)

    def expr_Attribute(self, node: ast.Attribute, state: State) -> Taint:
        found = self._sources[node] if node in self._sources else self.attribute_source(node)
        if found is not None:
            self.expr(node.value, state)
            if node.value.__class__ is _NAME and node.value.id == self.self_name:  # ``self.path`` as a test refined it
                return state.get(f"{self.self_name}.{node.attr}", found)
            return found
        dotted = _dotted(node)
        if dotted and dotted in state:
            return state[dotted]
        receiver = self.expr(node.value, state)
        if dotted and self.self_name and dotted.startswith(self.self_name + "."):
            attribute = self.unit.class_attribute(self.node, dotted.split(".", 1)[1])
            if attribute is not None:
                # (code outside the class, or a subclass, may store something else there: no proof)
                return (Taint(attribute.origins) if attribute.origins else CLEAN) if attribute.__class__ is Proven else attribute
        if node.value.__class__ in _INSTANCE_EXPRESSIONS and self.node.__class__ is not ast.Module:
            read = self.property_read(node, receiver, state)
            if read is not None:
                return read
        value = receiver if receiver.items is None else receiver.whole()
        if value.__class__ is Proven:  # (an attribute of a converted value, ``choice.owner.name``, is stored data: unknown)
            if node.attr in ADDRESS_TEXT_ATTRIBUTES:
                return value  # ``ip_address(x).exploded``: the parsed address's text, as ``str()`` of it
            if value is PROVEN and node.attr in _ENUM_MEMBER_ATTRIBUTES and node.value.__class__ is ast.Call and self.resolved_name(node.value.func) in self.unit.enum_classes:
                return PROVEN  # ``Tier(v).value``: a member's constant value
            value = Taint(value.origins) if value.origins else CLEAN
        if value.origins and (all(o.description == COMMAND_LINE for o in value.origins) or (
                self.namespace_name is not None and node.value.__class__ is _NAME and node.value.id == self.namespace_name)) \
                and node.attr in self.unit.converted_options:
            return PROVEN  # ``args.port`` after ``add_argument("--port", type=int)``: argparse converted it
        if node.attr == "name" and value.origins and self.unit.imports_django and all(o.description == UPLOADED_FILE for o in value.origins):
            return value.proved(PATH_CWES)  # Django's UploadedFile.name is a base name, and never "." or ".."
        if node.attr in BASE_NAME_ATTRIBUTES and value.origins and node.value.__class__ in _PATH_EXPRESSIONS and self.is_pathlib_path(node.value):
            return value.proved(PATH_CWES)  # ``Path(x).name``, ``(ROOT / x).name``: a base name, as ``os.path.basename(x)``
        if value.origins and self.unit.imports_django:
            if node.attr in MODEL_INSTANCE_ATTRIBUTES:
                return model_object(value)  # ``form.instance``: the object the form edits
            for origin in value.origins:
                if MODEL_OBJECT in origin.sanitized:  # ``article.website``: a field's text again
                    return read_from_model_object(value)
        return value

    def star_imported(self, local: str, name: str) -> str | None:
        """The project function or class a call of the name ``local`` (resolved to ``name``) stands
        for through a star import, if any: ``local`` bound nowhere in the file, which star-imports
        a module defining it (``from .helpers import *``); or imported from a package of the
        project that star-imports the module defining it (``from .utils import safe_join`` with
        ``from .validators import *`` in ``utils/__init__.py``: asked of a function's name only,
        as re-exports are, see FileFlow._summarize_reexports)."""
        if "." not in name:
            return self.star_name(None, name) if self.is_builtin(local) else None
        if local not in self.unit.facts.imports.aliases or not local[:1].islower() or local.isupper():
            return None
        module, _, attribute = name.rpartition(".")
        if module.partition(".")[0] != self.unit.module_name.partition(".")[0]:
            return None  # (only a package of the project itself re-exports its modules' names)
        return self.star_name(module, attribute)

    @staticmethod
    def query_added(url_argument: tuple[int, str], positional: list[Taint], keywords: dict[str, Taint]) -> Taint:
        """``url_concat(url, params)`` (see QUERY_ADDING_CALLS): the URL's data as it was, the
        parameters' percent-encoded into its query."""
        position, keyword = url_argument
        url = positional[position] if position < len(positional) else keywords.get(keyword, CLEAN)
        params = join_all([*(t for i, t in enumerate(positional) if i != position),
                           *(t for k, t in keywords.items() if k != keyword)])
        return join(url, params.whole().proved(_URL_ENCODED_CWES))

    def star_name(self, module: str | None, name: str, depth: int = 0) -> str | None:
        """The entry (a function's, or a class of the project) that ``name`` stands for through the
        star imports of ``module`` (None: of this file): of the star-imported modules, the last
        one binding it (as Python binds it: the last import wins) -- a module that lists it in
        its literal ``__all__``, else one whose public name it is (no leading underscore) --
        that defines it or star-imports a module that does. Every entry asked on the way is a
        dependency of the analysis (an edit of one of those modules re-analyses this file)."""
        key = (module, name)
        known = self._star_names.get(key, NOTHING)
        if known is not NOTHING:
            return known
        found = None
        modules = self.unit.star_modules if module is None else self.star_entry(module, STAR_ENTRY)
        for star in reversed(modules or ()):
            exported = self.star_entry(star, ALL_ENTRY)
            if (name not in exported) if exported is not None else name[:1] == "_":
                continue
            candidate = f"{star}.{name}"
            if self.has_summary(candidate) or self.is_project_class(candidate):
                found = candidate
                break
            if depth < MAX_STAR_DEPTH:
                found = self.star_name(star, name, depth + 1)
                if found is not None:
                    break
        self._star_names[key] = found
        return found

    def star_entry(self, module: str, entry: str) -> list[str] | None:
        """The names of ``module``'s STAR_ENTRY or ALL_ENTRY (a class's PROPERTIES_ENTRY), if it has one (asked as a call
        given untrusted data asks: the whole entry is the answer, see SummaryTable)."""
        return self.unit.star_entry(module, entry)

    def property_read(self, node: ast.Attribute, receiver: Taint, state: State) -> Taint | None:
        """``rd.host`` where ``rd = RequestData()`` (or ``RequestData().host``) and ``host`` is a
        property that project class defines (see FunctionSummary.is_property; not one it
        inherits): what a call of it gives. None: not one. (Only for a class spelled as one,
        ``RequestData``, a local bound to it or called by its name: an instance of something
        else is not asked about; nor at module level, analysed before the file's classes.)"""
        value = node.value
        if value.__class__ is _NAME:
            owner = self.instances.get(value.id)  # (bound in this function to a call: ``rd = RequestData()``)
        else:
            owner = self.resolved_name(value.func) if value.func.__class__ is _NAME else None
        if owner is None or not owner.rpartition(".")[2][:1].isupper():
            return None
        if "." not in owner and self.unit.star_modules and self.is_builtin(owner):
            owner = self.star_name(None, owner) or owner
        # (The class's own property only, asked through its PROPERTIES_ENTRY: asking whether
        # ``owner`` is a project class, or its bases, or a method of each name read, made files of
        # import cycles analysed again and dependencies many times larger.)
        declared = self.unit.class_node(owner)
        if declared is not None:
            if not any(item.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and item.name == node.attr and self.unit.is_property(item)
                       for item in declared.body):
                return None  # (a class of this file: its body tells, before its methods are analysed)
        else:
            entry = self.star_entry(owner, PROPERTIES_ENTRY)
            if entry is None or node.attr not in entry:
                return None
        method = f"{owner}.{node.attr}"
        summary = self.summary_for(method, node, True) if self.has_summary(method) else None
        if summary is None or not summary.is_property:
            return None
        call = self._property_calls.get(node)
        if call is None:
            call = self._property_calls[node] = ast.copy_location(ast.Call(func=node, args=[], keywords=[]), node)
            call.end_lineno, call.end_col_offset = node.end_lineno, node.end_col_offset
        # (No call site is recorded: a property has no parameter but ``self``, and what it does
        # with the instance's attributes is its class's constructor's, see values.ATTRIBUTE.)
        result = self.apply_summary(summary, [], {}, call)
        if not summary.returns_instance:
            return result
        instance_state = receiver.whole()
        if result.__class__ is Proven:  # (what the instance holds is proven too)
            instance_state = instance_state.proved(result.cwes)
        return join(result, instance_state)

    def attribute_source(self, node: ast.expr) -> Taint | None:
        """Taint when ``node`` names an untrusted value (``flask.request.args``, ``request.GET``)."""
        # The answer only depends on the node, the file's imports and this function's parameters.
        try:
            return self._sources[node]
        except KeyError:
            found = self._sources[node] = self._attribute_source(node)
            return found

    def _attribute_source(self, node: ast.expr) -> Taint | None:
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        if root.id in self.unit.source_roots:
            name = self.resolved_name(node)
            if name:
                parts = name.split(".")
                for end in range(len(parts), 0, -1):
                    found = SOURCE_ATTRIBUTES.get(".".join(parts[:end]))
                    if found is not None:
                        description, confidence = found
                        return source(description, confidence, self.step(node, f"{description} (untrusted)"))
        if isinstance(node, ast.Attribute) and node.attr in REQUEST_ATTRIBUTES:
            value = node.value
            if isinstance(value, ast.Name):
                # (a parameter shadows flask's import)
                request_object = value.id in REQUEST_PARAMETER_NAMES and (
                    self.unit.is_request_name(value.id, value.id in self.params)
                    or node.attr in FRAMEWORK_ONLY_REQUEST_ATTRIBUTES)  # ``request.GET`` in a helper module
            else:  # Tornado / class-based handlers: self.request.body, self.request.arguments
                request_object = isinstance(value, ast.Attribute) and value.attr == "request" and self.unit.imports_web
                if not request_object and node.attr in REQUEST_URL_PARTS and self.is_request_url(value):
                    description = REQUEST_URL_PARTS[node.attr]  # ``request.rel_url.query["q"]``
                    return source(description, Level.HIGH, self.step(node, f"{description} (untrusted)"))
            if request_object:
                description = REQUEST_ATTRIBUTES[node.attr]
                return source(description, Level.HIGH, self.step(node, f"{description} (untrusted)"))
            if self.unit.assumed_request and value.__class__ is ast.Name and value.id == "request" and node.attr in SNIPPET_REQUEST_ATTRIBUTES:
                # A snippet's free ``request`` (see inputs/snippet.assumed_request): likely, not certain.
                description = REQUEST_ATTRIBUTES[node.attr]
                note = f"{description} (untrusted: the snippet's `request` taken as {self.unit.assumed_request}'s)"
                return source(description, SNIPPET_REQUEST_CONFIDENCE, self.step(node, note))
        if self.http_handler and node.__class__ is ast.Attribute:
            found = self.http_handler_source(node)
            if found is not None:
                return found
        if node.__class__ is ast.Attribute and node.attr in _FRAMEWORK_HELD_ATTRIBUTES and node.value.__class__ is ast.Name:
            if node.attr in ("kwargs", "args") and node.value.id == self.self_name and id(self.node) in self.unit.django_view_methods:
                found = source("URL path parameter", Level.HIGH, self.step(node, "URL path parameter (untrusted)"))
                routed = self.unit.route_conversions(self.node) if node.attr == "kwargs" else None
                return _routed(found, routed, True) if routed else found
            # ``form_valid(self, form)``: the form is bound to the request; what it holds of it
            # (not the form object: ``form.get_user()`` is a user the form authenticated).
            if (node.attr in FORM_DATA_ATTRIBUTES and id(self.node) in self.unit.form_handlers
                    and len(self.params) > 1 and node.value.id == self.params[1]):
                found = source("HTTP form field", Level.HIGH, self.step(node, "HTTP form field (untrusted)"))
                if node.attr in VALIDATED_DATA_ATTRIBUTES and self.node.name not in _UNVALIDATED_FORM_HANDLERS:  # type: ignore[union-attr]
                    # (Django calls ``form_valid`` only once ``form.is_valid()`` returned true; DRF's
                    # ``perform_create`` after ``is_valid(raise_exception=True)``: as that check)
                    return found.proved(_FORM_VALIDATED_CWES)
                return found
        return None

    def http_handler_source(self, node: ast.Attribute) -> Taint | None:
        """``self.path``, ``self.headers``, ``self.rfile`` in a method of an http.server request
        handler: the request as the client sent it (see raw_servers.py)."""
        description = handler_attribute(node, self.self_name, self.http_handler)
        if description is None:
            return None
        return source(description, Level.HIGH, self.step(node, f"{description} (untrusted)"))

    def is_request_url(self, node: ast.expr) -> bool:
        """``request.url``, ``request.rel_url`` (aiohttp): a request object's URL."""
        return (node.__class__ is ast.Attribute and node.attr in REQUEST_URL_ATTRIBUTES and node.value.__class__ is _NAME
                and node.value.id in REQUEST_PARAMETER_NAMES and self.unit.is_request_name(node.value.id, node.value.id in self.params))

    def server_set_environ_key(self, container: ast.expr, key: Any) -> bool:
        """``container[key]`` (or ``.get(key)``) reads a key of a WSGI environment that the server
        sets: ``request.META["REMOTE_ADDR"]``, a WSGI application's ``environ["SERVER_NAME"]``, or
        ``environ.get("trac.env_parent_dir")`` in a function handed the environment."""
        return (_server_set_environ(container, key, self.unit)
                or (self.environ_name is not None and server_set_key(container, key, self.environ_name))
                or handed_server_set_key(container, key, self.params))

    def expr_Subscript(self, node: ast.Subscript, state: State) -> Taint:
        if self.path_roots and node.value.__class__ is ast.Attribute:
            checked = self.checked_read(node, state)
            if checked is not None:
                return checked
        container = whole_proof_only(self.expr(node.value, state))
        self.expr(node.slice, state)
        key = self.fold(node.slice)
        if isinstance(node.slice, ast.Slice):
            bounds = [None if part is None else self.fold(part) for part in (node.slice.lower, node.slice.upper, node.slice.step)]
            sliced = _slice_items(container, bounds)
            return sliced if sliced is not None else container.whole()
        if self.server_set_environ_key(node.value, key):
            return CLEAN
        if key is not NOTHING and _hashable(key):
            if key in REFERER_KEYS and container.origins:
                referer = self.referer_read(node, node.value, key, container)  # ``request.environ["HTTP_REFERER"]``
                if referer is not None:
                    return referer
            if key == 0 and key.__class__ is int and container.origins and self.resolved_name(node.value) == "sys.argv":
                return CLEAN  # ``sys.argv[0]``: the program's own path, not an argument
            if key.__class__ is str and node.value.__class__ is ast.Attribute and node.value.attr in VALIDATED_DATA_ATTRIBUTES:
                return self.form_field(node.value, key, container.item(key))
            if key.__class__ is str and node.value.__class__ is _NAME and node.value.id in self.cleaned_data_names:
                data = self.cleaned_data_alias(node.value.id)
                if data is not None:
                    return self.form_field(data, key, container.item(key))
            return container.item(key)
        return _any_element(container)

    def checked_read(self, node: ast.Call | ast.Subscript, state: State) -> Taint | None:
        """``request.GET.get("next")`` (or ``[...]``) read again after a validator checked that read
        (see prove_read): the checked value; None when no check of it holds here."""
        read = _request_read(node, self)
        if read is None or read not in state:
            return None
        self.expr(node.func.value if node.__class__ is ast.Call else node.value, state)  # type: ignore[union-attr]
        return state[read]

    def expr_Call(self, node: ast.Call, state: State) -> Taint:
        func = node.func
        name = self.resolved_name(func)
        receiver = CLEAN
        method = func.attr if isinstance(func, ast.Attribute) else None
        if method == "get" and self.path_roots:
            checked = self.checked_read(node, state)
            if checked is not None:
                return checked
        if isinstance(func, ast.Attribute):
            receiver = self.expr(func.value, state)
        elif not isinstance(func, ast.Name):
            self.expr(func, state)
        positional = [self.expr(a.value if isinstance(a, ast.Starred) else a, state) for a in node.args]
        keywords = {k.arg: self.expr(k.value, state) for k in node.keywords}
        if self.path_roots:
            self.forget_changed_paths(node, method, state)
        if method == "save" and receiver.origins and node.args and node.args[0].__class__ is _NAME:
            # ``upload.save(path)`` (an uploaded file, an image opened from one): the file at
            # ``path`` now holds that data, which ``open(path)`` reads back (see ``saved_contents``).
            if self.saved_files is _NO_PATHS:
                self.saved_files = {}
            self.saved_files[node.args[0].id] = receiver.whole().with_step(self.step(node, f"saved to `{node.args[0].id}`"), self._stepped)
        if method in LOGGED_METHODS and node.args:
            self.note_logged_objects(node)
        if name in _SELECTING_BUILTINS and func.__class__ is _NAME and self.is_builtin(func.id):
            return _selected_by_builtin(name, node, positional, keywords)
        arguments = CLEAN  # (join_all of every argument's whole value, without the generators)
        accounted = True  # (False: an argument of unknown origin, which ``arguments`` leaves out)
        settings = RESULT_IGNORES_KEYWORDS.get(name) if keywords else None  # (``Popen(cmd, env=env)``)
        for value in (*positional, *(keywords.values() if settings is None else (v for k, v in keywords.items() if k not in settings))):
            if value.items is not None:
                value = value.whole()
            if value.origins:  # (joining a value without origins, or with CLEAN, changes nothing)
                arguments = join(arguments, value) if arguments.origins else value
            elif value is not PROVEN:
                accounted = False
        if not accounted and arguments.__class__ is Proven:
            arguments = Taint(arguments.origins)
        if arguments.origins:  # ``add_task(send, email)``: a call of ``send`` later (only data handed on matters)
            if name in self.unit.enum_classes:  # ``Tier(v)``: one of the class's members, or ValueError
                return PROVEN
            deferred = _DEFERRED_CALLS.get(name) or _DEFERRED_METHODS.get(method)
            if deferred is not None:
                self.deferred_call(node, deferred, name if name in _DEFERRED_CALLS else method, positional, keywords)
            if method in _DEFERRED_TASK_METHODS:  # ``send_report.delay(email)``: the receiver is the function
                self.deferred_call(node, _DEFERRED_TASK_METHODS[method], method, positional, keywords)
            if (method is not None and receiver.origins and self.unit.imports_argparse and self.unit.may_dispatch
                    and method in self.unit.dispatch_handlers and any(o.description == COMMAND_LINE for o in receiver.origins)):
                self.dispatch_call(node, method, positional, keywords)
            if func.__class__ is ast.Subscript and func.value.__class__ is _NAME:
                self.table_call(node, func.value, positional, keywords)
            elif func.__class__ is ast.Call and func.func.__class__ is ast.Attribute and func.func.attr == "get" and func.func.value.__class__ is _NAME:
                self.table_call(node, func.func.value, positional, keywords)  # ``ACTIONS.get(name)(x)``
            if func.__class__ is _NAME:
                if func.id in self.params:
                    if not keywords:
                        self.note_parameter_call(func.id, positional)
                elif func.id in state and func.id not in self.local_functions:  # (a local name: maybe taken from a table)
                    self.handler_call(node, func, positional, keywords)

        if method in _CONVERTING_READS and (node.keywords or len(node.args) > _CONVERTING_READS[method]):
            converted = self.converting_read(node, method, receiver, positional, keywords)
            if converted is not None:
                return converted
        if method in _ARCHIVE_METHODS and self.unit.may_hold_archives and self.archive_class(func.value) is not None:
            if method in ARCHIVE_MEMBER_METHODS:  # ``zf.namelist()``, ``tf.getmembers()``: names the archive's maker chose
                return self.archive_members(node)
            # ``zf.read(info)``: the member's contents, which carry nothing of its name (what else
            # the receiver and the arguments carry, as any call's result)
            given = join(receiver.whole(), arguments)
            kept = frozenset(o for o in given.origins if o.description != ARCHIVE_MEMBER_NAME[0])
            return Taint(kept) if kept else CLEAN
        if method in LIBRARY_OBJECT_METHODS and not self.unit.imported_packages.isdisjoint(LIBRARY_OBJECT_METHODS[method]):
            safe_for = self.library_object_result(func)  # ``fs.get(file_id)`` of GridFS: a file object, no path
            if safe_for is not None:
                return join(receiver.whole(), arguments).proved(safe_for)
        if method in _ROOT_STRIPPING_METHODS and func.value.__class__ is ast.Call and _relative_normalized(node, self):
            return receiver.proved(PATH_CWES)  # ``posixpath.normpath("/" + path).lstrip("/")``
        if method == "replace" and receiver.origins and len(node.args) == 2:
            without = self.backslashes_replaced(node, receiver)  # ``url.replace("\\", "%5C")``
            if without is not None:
                return without
        if method in _STATEMENT_METHOD_NAMES or (self.unit.imports_sql_statements and name is not None
                                                 and name.startswith(SQL_STATEMENT_MODULES)):
            statement = self.sql_statement(func, name, method, receiver, arguments)
            if statement is not None:
                return statement
        if (method == "sub" or name in _SUBSTITUTION_CALLS) and arguments.origins:
            kept = _kept_by_substitution(node, self)  # ``re.sub(r"[^a-z0-9_-]+", "", x)``: only those are left
            if kept is not None:
                return PROVEN if not kept else join(whole_proof_only(receiver.whole()), arguments).proved(kept)
        if method in IN_MEMORY_FILE_READS and receiver.proves_any_of(_IN_MEMORY_FILE_MARK):
            return join(receiver.proof_undone(IN_MEMORY_FILE_CWES), arguments)  # ``io.StringIO(x).read()``: x
        if (method == "join" and arguments.origins and not receiver.origins and len(node.args) == 1 and not keywords
                and node.args[0].__class__ in (ast.List, ast.Tuple) and positional[0].items is not None):
            joined = self.joined_destinations(func.value, node.args[0].elts, positional[0])  # (str.join only)
            if joined is not None:
                return joined
        if arguments.origins and (method or getattr(func, "id", None)) in ROUTE_URL_BUILDERS and name not in SANITIZERS:
            route_url = self.route_url(node, method or func.id, receiver, keywords, arguments)
            if route_url is not None:  # ``url("repo_home", repo=name)``: a URL of one of the site's routes
                # (the project's builder still runs: what it does with the values inside is its own)
                self.call_of_project(node, name, method, receiver, positional, keywords, arguments, state)
                return route_url
        if method not in _MODELLED_METHODS and name not in _MODELLED_CALLS:
            if method in RECEIVING_METHODS:  # ``await websocket.receive_text()``, ``await reader.readline()``
                message = self.received(node)
                if message is not None:
                    return message
            return self.call_of_project(node, name, method, receiver, positional, keywords, arguments, state)
        if method in PATH_SOURCE_METHODS and self.is_pathlib_path(func.value):  # ``Path(p).open()``: as ``open(p)``
            description, confidence = PATH_SOURCE_METHODS[method]
            return source(description, confidence, self.step(node, f"{description} (untrusted)"))
        if method in _LIBRARY_METHOD_NAMES:
            # ``repo.find(x)``, ``self.get(x)``: the project's own method, not str.find or dict.get.
            # (Asked as quietly as the call itself would be: see ``call_of_project``.)
            self.unit.summaries.quiet = (not arguments.origins and receiver.items is None and not receiver.origins
                                         and method not in MUTATING_METHODS)
            try:
                project_method = self.is_project_method(func, name, method)
            finally:
                self.unit.summaries.quiet = False
            if project_method:
                return self.call_of_project(node, name, method, receiver, positional, keywords, arguments, state)
        if name in SELECTED_FROM_ARGUMENTS:
            result = CLEAN
            for position in SELECTED_FROM_ARGUMENTS[name]:
                if position.__class__ is str:  # (by keyword)
                    if position in keywords:
                        result = join(result, keywords[position])
                elif position < len(positional):
                    result = join(result, positional[position])
            return result
        if name in QUERY_ADDING_CALLS:
            return self.query_added(QUERY_ADDING_CALLS[name], positional, keywords)
        if name in SOURCE_CALLS:
            if name in CONVERTING_PROMPTS and node.keywords and converting_declaration(self.unit, node):
                return PROVEN  # ``click.prompt("port", type=int)``
            description, confidence = SOURCE_CALLS[name]
            if description == "HTTP header" and node.args and node.args[0].__class__ is ast.Constant and node.args[0].value in REFERER_ENTRIES["headers"]:
                description = REFERER_HEADER  # ``request.headers.get("Referer")``: as ``request.referrer``
            read = source(description, confidence, self.step(node, f"{description} (untrusted)"))
            if self.saved_files and node.args and node.args[0].__class__ is _NAME and node.args[0].id in self.saved_files:
                return join(read, self.saved_files[node.args[0].id])  # (the data saved there in this function)
            return read
        if method in SOURCE_METHODS and name not in SANITIZERS:
            description, confidence = SOURCE_METHODS[method]
            return source(description, confidence, self.step(node, f"{description} (untrusted)"))
        if method in _REQUEST_READ_METHODS:
            request_source = self.attribute_source(func)
            if request_source is not None:
                return request_source
            if method in RECEIVING_METHODS:  # ``await reader.read(n)``
                message = self.received(node)
                if message is not None:
                    return message
        if name in PREDICTABLE_CALLS:
            step = self.step(node, f"predictable value from `{name}()`")
            return Taint(frozenset({Origin(f"a predictable value from `{name}()`", Level.HIGH, (step,), kind=PREDICTABLE)}))
        if name in DECODERS:  # ``b64decode(b64encode(x))``: x as it was
            return arguments.unsanitized()
        if name in SANITIZERS:
            cwes = SANITIZERS[name]
            if cwes is ALL_CWES:  # a number, a hash...: safe as a whole; only still as guessable as it was
                predictable = join(receiver, arguments).predictable()
                return predictable if predictable.origins else PROVEN
            if BACKSLASH_OPEN_REDIRECT in cwes:  # (a redirect check a backslash gets through: a step says so)
                return self.checked(arguments, cwes, node)
            return arguments.proved(cwes)
        if method in CLEAN_METHODS:
            predictable = receiver.predictable()
            # A truth value, a count, a position, a digest of a string or hash the flow knows (not of
            # a library's object, whose ``count()`` may be anything; not a mapping's keys: a
            # client's own names).
            known = receiver.origins or receiver.__class__ is Proven
            return predictable if predictable.origins or method == "keys" or not known else PROVEN
        if method == "format" and len(positional) == 1 and _proves_quotable(positional[0]):
            template = self.fold(func.value)
            if template.__class__ is str and _quoted_identifier_template(template, "{}", "{0}"):
                return positional[0].whole().proved(SQL_IDENTIFIER_CWES)  # ``'"{}"'.format(escaped)``
        if method == "format" and self.html_safe_string(func.value):
            return join(receiver.whole(), arguments.sanitize(HTML_ESCAPED))  # Markup.format escapes
        if method == "format" and arguments.origins and not receiver.origins:
            template = self.fold(func.value)
            # (Only a template with a path, query or fragment can fix a destination: most are messages.)
            if template.__class__ is str and ("/" in template or "?" in template or "#" in template):
                formatted = self.formatted_destinations(node, template, positional, keywords)
                if formatted is not None:
                    return formatted
        if method in JINJA_RENDER_METHODS and "jinja2" in self.unit.imported_packages:
            printed = self.jinja_printed(node, positional, keywords)
            if printed is not None:  # ``jinja2.Template(src).render(q=q)``: escapes nothing
                return printed
        if method in SANITIZING_METHODS:
            return join(receiver.whole(), arguments).proved(SANITIZING_METHODS[method])
        if method == "replace" and _strips_line_breaks(node):
            return receiver.proved(LINE_BREAK_CWES)
        if method == "replace" and receiver.origins:
            quotable = _identifier_quote_escaped(node)
            if quotable is not None:  # ``name.replace('"', '""')``: fit to go between that quote pair
                return receiver.proved(quotable)
        if method == "replace":
            escaped = _sql_string_escaped(node)
            if escaped is not None:  # ``text.replace("'", "''")``: see models/sql_statements.py
                return receiver.proved(escaped)
            if (positional[0].origins if positional else False) and _plain_replace(node) and not self.is_project_method(func, name, method):
                # ``request.path.replace(legacy_id, slug)``: str.replace; the text it takes out is
                # not in the result, only the receiver's and the text put in
                put_in = positional[1].whole()
                kept = [PROVEN, put_in, *positional[2:]]
                return self.call_of_project(node, name, method, receiver, kept, keywords, put_in if put_in.origins else CLEAN, state)

        if method == "get" and positional:
            key = self.fold(node.args[0])
            if func.value.__class__ is ast.Attribute and func.value.attr in VALIDATED_DATA_ATTRIBUTES and key.__class__ is str:
                default = positional[1].whole() if len(positional) > 1 else PROVEN  # (None)
                return join(self.form_field(func.value, key, receiver.whole()), default)  # ``form.cleaned_data.get("count", 1)``
            if self.server_set_environ_key(func.value, key):
                return positional[1].whole() if len(positional) > 1 else CLEAN
            if key.__class__ is str and key in REFERER_KEYS and receiver.origins:
                referer = self.referer_read(node, func.value, key, receiver)  # ``request.headers.get("Referer")``
                if referer is not None:
                    return join(referer, positional[1].whole()) if len(positional) > 1 else referer
        if name in LOOKUP_FUNCTIONS:
            return CLEAN
        if method in QUERY_METHODS:  # rows of the database, not the query's values
            stored = receiver.whole()
            return Taint(stored.origins) if stored.origins else CLEAN
        if method in LOOKUP_METHODS and (receiver.items is None or method != "get"):
            default = positional[1].whole() if method == "get" and len(positional) > 1 else CLEAN
            if receiver.is_clean:
                return default
            if method in _RECEIVER_LOOKUPS and isinstance(func.value, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
                return join(receiver.whole(), default)
        return self.call_of_project(node, name, method, receiver, positional, keywords, arguments, state)

    def sql_statement(self, func: ast.expr, name: str | None, method: str | None, receiver: Taint,
                      arguments: Taint) -> Taint | None:
        """What a call building an SQL statement returns (models/sql_statements.py): the statement,
        proven safe for SQL whatever its receiver and arguments carry (they are bound parameters);
        still carrying them for other weaknesses. None when the call is no such builder: a
        function of another module (``numpy.where``), ``text()``, a project class's own method,
        ``values``/``join`` on something that is no statement."""
        if name is not None and name.startswith(SQL_STATEMENT_MODULES):
            if name.rsplit(".", 1)[-1] in SQL_TEXT_MAKERS:
                return None
            return join(receiver.whole(), arguments).proved(SQL_STATEMENT_CWES)
        on_statement = receiver.__class__ is Proven and SQL_STATEMENT in receiver.cwes  # type: ignore[attr-defined]
        if not on_statement:
            if method in SQL_STATEMENT_CHAINED_METHODS:
                made = func.value  # type: ignore[attr-defined]
                if not (made.__class__ is ast.Call and made.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
                        and made.func.attr in SQL_STATEMENT_MAKING_METHODS):  # type: ignore[attr-defined]
                    return None  # (``table.insert().values(...)``, ``db.queries.update(T).values(...)``)
            elif name is not None and name.rpartition(".")[0] in self.unit.facts.imports.imported_modules:
                return None  # a module's function (``np.where(c, a, b)``), not a statement's method
            self.unit.summaries.quiet = not arguments.origins and not receiver.origins
            try:
                if self.is_project_method(func, name, method):  # type: ignore[arg-type]
                    return None  # (a query builder of the project's own: what it does is followed)
            finally:
                self.unit.summaries.quiet = False
        if method in LOOKUP_METHODS and receiver.is_clean:
            return CLEAN.proved(SQL_STATEMENT_CWES)  # (``User.query.filter_by(name=x)``: rows found by ``x``, not ``x``)
        return join(receiver.whole(), arguments).proved(SQL_STATEMENT_CWES)

    def referer_read(self, node: ast.expr, holder: ast.expr, key: str, held: Taint) -> Taint | None:
        """The Referer header read from a request's headers or WSGI environment (``holder``, whose
        value is ``held``) by ``key``: a source of its own, REFERER_HEADER, as ``request.referrer``
        is (see models/sources.py); None for another entry or holder (``os.environ``)."""
        if holder.__class__ is not ast.Attribute or key not in REFERER_ENTRIES.get(holder.attr, ()):  # type: ignore[attr-defined]
            return None
        if self.resolved_name(holder) in ("os.environ", "os.environb"):
            return None
        confidence = max(origin.confidence for origin in held.whole().origins)
        return source(REFERER_HEADER, confidence, self.step(node, f"{REFERER_HEADER} (untrusted)"))

    def received(self, node: ast.Call) -> Taint | None:
        """``websocket.receive_text()``, ``reader.readline()``: what a WebSocket or a stream
        server's reader receives from the client (see received.py); None for another receiver."""
        receiver = node.func.value  # type: ignore[attr-defined]
        if receiver.__class__ is not _NAME:
            return None
        found = received(self, receiver.id, node.func.attr)  # type: ignore[attr-defined]
        if found is None:
            return None
        description, confidence = found
        return source(description, confidence, self.step(node, f"{description} (untrusted)"))

    def converting_read(self, node: ast.Call, method: str, receiver: Taint, positional: list[Taint], keywords: dict) -> Taint | None:
        """Werkzeug's ``request.args.get("id", type=int)`` (also ``get("id", 0, int)``, ``getlist("ids",
        type=int)``, on any MultiDict or Headers): ``type`` runs on the value and a ValueError gives
        the default instead, so the result is a converted value or the default. None when ``type``
        is not a known sanitizer (``type=str``, a function of the project) or absent."""
        place = _CONVERTING_READS[method]
        converter = _placed(node, (place, "type"))
        cwes = SANITIZERS.get(self.resolved_name(converter)) if converter is not None else None
        if not cwes:
            return None
        if cwes is ALL_CWES:
            converted = PROVEN
        else:  # (``type=secure_filename``: what was read, safe for the sanitizer's weaknesses)
            converted = receiver.whole().proved(cwes)
        if method != "get":
            return converted
        default = _placed_value(node, (1, "default"), positional, keywords)
        return join(converted, default.whole()) if default is not None else converted

    def route_url(self, node: ast.Call, callee: str, receiver: Taint, keywords: dict[str | None, Taint],
                  arguments: Taint) -> Taint | None:
        """The URL a route URL builder makes of the values given (models/sanitizers.py
        ROUTE_URL_BUILDERS): on the site for all of them but the host keywords' (and a ``**mapping``
        that may hold one). None: not such a call (no route name first; a receiver of untrusted
        data, which a ``url()`` method may build from)."""
        first = node.args[0] if node.args else None
        if first is None or first.__class__ is ast.Starred:
            return None
        if callee not in ROUTE_NAME_METHODS:
            if receiver.origins or not _is_route_name(first):
                return None
        if sum(1 for keyword in node.keywords if keyword.arg is None) > 1:
            return None  # (``keywords`` keeps one ``**mapping`` only)
        built = arguments.proved(ROUTE_URL_CWES)
        for keyword, value in keywords.items():
            if keyword in ROUTE_URL_HOST_KEYWORDS or (keyword is None and not _route_placeholders(value)):
                built = join(built, value.whole())
        return built

    def call_of_project(self, node: ast.Call, name: str | None, method: str | None, receiver: Taint,
                        positional: list[Taint], keywords: dict, arguments: Taint, state: State) -> Taint:
        # Which project functions this call resolves to matters little when nothing flows in and
        # nothing is changed in place: only a function that returns untrusted data of its own
        # would change its value (the file's first analysis relies on this, see SummaryTable).
        # (``arguments`` is a plain value: clean exactly when it has no origins)
        self.unit.summaries.quiet = (not arguments.origins and receiver.items is None and not receiver.origins
                                     and method not in MUTATING_METHODS)
        try:
            return self.project_call(node, name, method, receiver, positional, keywords, arguments, state)
        finally:
            self.unit.summaries.quiet = False

    def is_builtin(self, name: str) -> bool:
        """Is ``name`` (not imported nor defined at module level: see its qualified name) the
        builtin, bound by no assignment of the module or of this function (a parameter ``max``)?"""
        return self.unit.facts.scopes.binder(name, self._own_scopes[0]) is None

    @functools.cached_property
    def _own_scopes(self) -> tuple[list[ast.AST], ast.AST | None]:
        """The scopes a name is looked up in from here, this function's and the module's (not
        enclosing functions'), and the function (None at module level)."""
        scopes = self.unit.facts.scopes
        node = self.node
        chain = [scopes.tree] if node is scopes.tree else [scopes.tree, node]
        return chain, node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None

    def is_pathlib_path(self, receiver: ast.expr) -> bool:
        """Is ``receiver`` a pathlib path (see rules/_pathlib.py)? Names are looked up in this
        function and the module (not in enclosing functions)."""
        known = self._pathlib_paths.get(receiver)
        if known is None:
            chain, function = self._own_scopes
            known = self._pathlib_paths[receiver] = is_pathlib_path(receiver, self.unit.facts, chain, function, self.resolved_name)
        return known

    def archive_class(self, receiver: ast.expr) -> str | None:
        """The archive class (see facts/archives.py) ``receiver`` is an instance of, or None.
        Names are looked up in this function and the module (as ``is_pathlib_path``)."""
        known = self._archives.get(receiver, NOTHING)
        if known is NOTHING:
            chain, function = self._own_scopes
            known = self._archives[receiver] = archive_class(receiver, self.unit.facts, chain, function, self.resolved_name)
        return known

    def library_object_result(self, func: ast.Attribute) -> frozenset[int] | None:
        """The CWEs the result of ``func`` (``receiver.method``) is safe for when the receiver is
        an object of a class of LIBRARY_OBJECT_RESULTS (every binding of its name in this function
        or the module constructs it); None otherwise."""
        def constructed(value: ast.expr) -> str | None:
            made = self.resolved_name(value.func) if value.__class__ is ast.Call else None  # type: ignore[attr-defined]
            return made if made in LIBRARY_OBJECT_RESULTS else None

        made = instances.class_of(self.unit.facts.scopes, func.value, self._own_scopes[0], constructed)
        return LIBRARY_OBJECT_RESULTS[made].get(func.attr) if made is not None else None

    def archive_members(self, node: ast.AST) -> Taint:
        description, confidence = ARCHIVE_MEMBER_NAME
        return source(description, confidence, self.step(node, f"{description} (untrusted)"))

    def note_logged_objects(self, node: ast.Call) -> None:
        """The credential-named names a logging call writes whose class is a project class (see
        dataflow/displays.py): the unit asks how that class shows itself."""
        for name, methods in logged_names(node):
            if name.id != "self" and credential_kind(name.id):
                owner = self.receiver_class(name)
                if owner is not None:
                    self.unit.note_logged_object(name, owner, methods)

    def is_project_method(self, func: ast.Attribute, name: str | None, method: str) -> bool:
        """Does ``func`` (``receiver.method``) call a method of the project's own classes: on
        ``self``/``cls`` in a class that defines it, or on an instance built from such a class?"""
        receiver = func.value
        if type(receiver) is _NAME and receiver.id in ("self", "cls"):
            return self.summary_for(name, func, name is not None and self.has_summary(name)) is not None
        if name is not None and method in QUERY_METHODS and self.has_summary(name):
            return True  # ``processutils.execute(cmd)``: the project's own function, through its module
        owner = self.receiver_class(receiver, method)
        return owner is not None and self.class_method(owner, method) is not None

    def project_call(self, node: ast.Call, name: str | None, method: str | None, receiver: Taint,
                     positional: list[Taint], keywords: dict, arguments: Taint, state: State) -> Taint:
        """The rest of ``expr_Call``: calls of the reviewed code's own functions, then the rest."""
        func = node.func
        # (A call given nothing but parameters stored on instances constructs nothing the project
        # pass follows -- see project.resolve --: whether ``name`` is a project class is not asked.)
        if name is not None and (not arguments.origins or not _only_stored(arguments)) and self.is_project_class(name):
            self.construct(name, node, positional, keywords)
        instance_state = None
        summarized = name is not None and self.has_summary(name)
        if not summarized and func.__class__ is _NAME and name is not None and (self.unit.star_modules or "." in name):
            starred = self.star_imported(func.id, name)
            if starred is not None:  # ``get_param(...)`` after ``from .helpers import *``
                name, summarized = starred, self.has_summary(starred)
                if not summarized and self.is_project_class(name):
                    self.construct(name, node, positional, keywords)
        if method and not summarized:
            owner = self.receiver_class(func.value, method)
            found = self.class_method(owner, method) if owner is not None else None
            if found is not None:
                name = found  # ``Worker().run(x)`` / ``w = Worker(); w.run(x)`` (its own ``run`` or its base's)
                summarized = True
                # What the constructor was given may be stored in the instance and returned.
                instance_state = receiver.whole()
        summary = self.summary_for(name, func, summarized)
        if summary is None and func.__class__ is _NAME and not summarized and func.id not in _BUILTIN_NAMES:
            self.note_closure_check(node, func.id)  # (``len(x)``, ``str(x)``: not a sibling check, most such calls)
        if summary is not None and method is not None:
            self.unit.note_project_method_call(node)
        if instance_state is not None and summary is not None and not summary.returns_instance:
            instance_state = None  # (``Item(x).is_known()``: a test of what it holds, not what it holds)
        if summary is None and type(func) is _NAME and func.id in self.local_functions:
            self.call_local_function(self.local_functions[func.id], node, positional, keywords)
        if summary is None and self.self_name is not None and method is not None and _on_super(func):
            if method == "__init__":
                self.construct_through_super(node, positional, keywords, state)
                return CLEAN
            summary = self.unit.base_method(self.node, method)  # ``super().save(x)``
        if summary is not None:  # (recorded under its own name: not a re-export's, see FunctionSummary.alias_of)
            self.unit.record_call(summary.qualname, positional, keywords, node, self)
            if summary.callbacks:
                self.call_callbacks(summary, node, positional, keywords)
            if summary.guards:
                self.guard_calls[id(node)] = summary
            if summary.checks:
                self.check_calls[id(node)] = summary
            if summary.first_checks:
                self.first_check_calls[id(node)] = summary
            stores = self.unit.parameter_stores.get(summary.qualname) if self.unit.parameter_stores else None
            if stores:
                self.hand_to_storing_function(summary, stores, positional, keywords, node)
            result = self.apply_summary(summary, positional, keywords, node)
            if instance_state is not None and result.__class__ is Proven:  # (what the instance holds is proven too)
                instance_state = instance_state.proved(result.cwes)
            return join(result, instance_state)
        if summarized:  # (``unit.is_project_function(name)``)
            self.unit.record_call(name, positional, keywords, node, self)

        if method in _MODULE_STATE_METHODS and arguments.origins:
            root = func.value.id if func.value.__class__ is _NAME else _state_root(func.value)
            if root is not None:  # ``JOBS.append(x)``, ``BY_USER.setdefault(user, []).append(x)``
                self.note_module_store(root, arguments, node)
        if method in MUTATING_METHODS and isinstance(func.value, ast.Name):
            self.consts.pop(func.value.id, None)  # ``parts.append(x)``: no longer the literal it was bound to
        if method in _LIST_METHODS and isinstance(func.value, ast.Name) and receiver.items is not None:
            added = [p.with_step(self.step(node, f"added to `{func.value.id}`"), self._stepped) for p in positional]
            updated = _container_method(receiver, method, added, self.fold(node.args[0]) if node.args else NOTHING,
                                        in_loop=bool(self.loop_jumps))
            if updated is not None:
                new_container, result = updated
                state[func.value.id] = new_container
                return result
        if method in ("append", "extend", "add", "update", "insert", "setdefault", "appendleft", "write", "writelines") and isinstance(func.value, ast.Name):
            # Mutating a container with untracked shape (or writing into a buffer / response):
            # it carries the new data as a whole.
            if not arguments.is_clean:
                state[func.value.id] = join(receiver.whole(), arguments.with_step(self.step(node, f"added to `{func.value.id}`"), self._stepped))
            return CLEAN
        if method == "get" and positional:
            key = self.fold(node.args[0])
            default = positional[1].whole() if len(positional) > 1 else PROVEN  # (None)
            if receiver.items is not None and key is not NOTHING and _hashable(key):
                return join(receiver.item(key), default)
            if receiver.items is not None:
                return join(_any_element(receiver), default)  # one of the stored values, whatever the key
        # Unknown call: the result carries whatever went in (receiver and arguments).
        whole_receiver = receiver if receiver.items is None else receiver.whole()
        if arguments.origins and arguments.__class__ is not Proven:
            # (most unknown calls are no getter: told apart by one test before anything is looked at)
            callee = method or (name.rpartition(".")[2] if name else "")
            if callee.startswith(_KEYED_GETTER_STARTS) or callee in KEYED_GETTER_NAMES:
                found = self.found_by_keys(node, callee, name, method, positional, keywords)
                if found is not None:  # ``ds.get_database(route=x)``: an object of the program's
                    return join(whole_proof_only(whole_receiver), found)
        if method is not None and whole_receiver.origins and self.unit.imports_django:
            for origin in whole_receiver.origins:  # (a loop, not any(): asked for most unknown calls)
                if MODEL_OBJECT in origin.sanitized:  # ``article.link()``: a field's text again
                    whole_receiver = read_from_model_object(whole_receiver)
                    break
        if method in MODEL_OBJECT_METHODS and self.unit.imports_django:
            made = model_object_call(func, method, positional, join(whole_receiver, arguments))  # type: ignore[arg-type]
            if made is not None:  # ``form.save()``, ``Article.objects.create(...)``, ``obj.get_absolute_url()``
                return made
        if whole_receiver.__class__ is Proven or (name == "str" and positional):
            return _proven_call_result(whole_receiver, name, method, positional, keywords, arguments)
        return join(whole_receiver, arguments)

    def found_by_keys(self, node: ast.Call, callee: str, name: str | None, method: str | None, positional: list[Taint],
                      keywords: dict) -> Taint | None:
        """What an unknown getter by key returns (``ds.get_database(route=x)``, ``find_user(id=x)``,
        ``store.get_run(run_id)``; see KEYED_GETTER_PREFIXES): the keys' data found the object,
        passed on at low confidence (``Taint.found_by``), the other arguments' as they are. None
        when the call is no such getter, or no key it is given carries data. (``callee``: the
        function's or method's own name.)"""
        getter = _keyed_getter(callee)
        if getter is None:
            return None
        thing, by_key = getter
        ignored = RESULT_IGNORES_KEYWORDS.get(name, ()) if name else ()
        keys, others = CLEAN, CLEAN
        used = None
        for keyword, value in keywords.items():
            value = value.whole()
            if not value.origins or keyword in ignored:
                continue
            if keyword is not None and _is_key_word(keyword, thing):
                keys = join(keys, value)
                used = used or f"`{keyword}=`"
            else:
                others = join(others, value)
        of_store = method is not None and _names_a_store(node.func.value)  # type: ignore[attr-defined]
        for position, value in enumerate(positional):
            value = value.whole()
            if not value.origins:
                continue
            key = _positional_key(node.args[position], position, thing, by_key, of_store)
            if key is not None:
                keys = join(keys, value)
                used = used or key
            else:
                others = join(others, value)
        if used is None:
            return None
        step = self.step(node, f"an object `{callee}()` finds by {used} (the program's own, not this value)")
        return join(others, keys.found_by(step))

    def deferred_call(self, node: ast.Call, deferred: Deferred, api: str, positional: list[Taint], keywords: dict) -> None:
        """``background_tasks.add_task(send, email)``, ``Thread(target=work, args=(path,))``,
        ``executor.submit(work, path)``, ``partial(work, path)``: a call of the function handed
        over, with the arguments handed over for it (the table's row says where each is), when
        that function is one of the project's: for the project pass, which finds its sinks.
        Also ``executor.map(work, paths)`` (each element given to ``work``) and Celery's
        ``send_report.delay(email)`` (the task is the receiver)."""
        target = node.func.value if deferred.function is None else _placed(node, deferred.function)
        if target is None:
            return
        given: list[Taint] = positional[deferred.rest:] if deferred.rest is not None else []
        if deferred.each is not None:
            given = [_element(iterable) for iterable in positional[deferred.each:]]
        if deferred.each_args is not None:
            packed = _placed_value(node, deferred.each_args, positional, keywords)
            if packed is not None:
                given = _unpacked_positional(_element(packed))
        given_keywords: dict = {}
        if deferred.keywords:
            places = {place[1] for place in (deferred.function, deferred.args, deferred.kwargs) if place is not None}
            given_keywords = {key: value for key, value in keywords.items() if key is not None and key not in places}
        if deferred.args is not None:
            packed = _placed_value(node, deferred.args, positional, keywords)
            if packed is not None:
                given = _unpacked_positional(packed)
        if deferred.kwargs is not None:
            packed = _placed_value(node, deferred.kwargs, positional, keywords)
            if packed is not None and packed.items is not None:
                given_keywords.update((key, packed.item(key)) for key, _ in packed.items if isinstance(key, str))
        if not any(value.origins or value.items is not None for value in (*given, *given_keywords.values())):
            return
        self.call_later(target, node, given, given_keywords, api, task=deferred.function is None)

    def note_parameter_call(self, parameter: str, positional: list[Taint]) -> None:
        """``callback(arg)`` where ``callback`` is a parameter of this function (see
        FunctionSummary.callbacks): which parameters' data each argument carries."""
        carried = tuple(frozenset(o.param for o in value.whole().origins if o.param is not None and o.kind == INPUT)
                        for value in positional)
        if any(carried):
            entry = (self.params.index(parameter), carried)
            if entry not in self.param_calls:
                self.param_calls.append(entry)

    def call_callbacks(self, summary: FunctionSummary, node: ast.Call, positional: list[Taint], keywords: dict) -> None:
        """``run_later(ping, host)`` where ``run_later`` calls its first parameter with its second
        (FunctionSummary.callbacks): a call of ``ping`` with ``host`` (a project function, for the
        project pass)."""
        offset = 1 if summary.is_method and node.func.__class__ is ast.Attribute else 0  # (``self`` not among the arguments)

        def argument(index: int) -> tuple[ast.expr | None, Taint]:
            position = index - offset
            if 0 <= position < len(node.args) and node.args[position].__class__ is not ast.Starred:
                return node.args[position], positional[position]
            name = summary.params[index] if index < len(summary.params) else None
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.arg == name:
                    return keyword.value, keywords[name]
            return None, CLEAN

        for called, carried in summary.callbacks:
            target = argument(called)[0]
            if target is None or target.__class__ not in (_NAME, ast.Attribute):
                continue
            given = [join_all([argument(index)[1] for index in params]) if params else CLEAN for params in carried]
            if any(value.origins for value in given):
                self.call_later(target, node, given, {}, f"{summary.qualname.rsplit('.', 1)[-1]}()", later=False)

    def call_later(self, target: ast.expr, node: ast.Call, positional: list[Taint], keywords: dict, api: str,
                   task: bool = False, later: bool = True) -> None:
        """A call of ``target`` (``send``, ``self.handle``, ``tasks.send``, ``worker.run``) with
        these arguments, made later by ``api`` (its step is the line of ``node``), if ``target``
        is a project function: resolved as ``project_call`` resolves a call's function.
        ``task``: called by Celery, which gives a ``bind=True`` task itself first (the
        function's first parameter then is ``self``)."""
        name = self.resolved_name(target)
        summarized = name is not None and self.has_summary(name)
        if not summarized and type(target) is ast.Attribute:
            owner = self.receiver_class(target.value)
            found = self.class_method(owner, target.attr) if owner is not None else None
            if found is not None:
                name, summarized = found, True
        summary = self.summary_for(name, target, summarized)
        if summary is None and task:  # ``Ingest().delay(x)``, ``ingest.delay(x)``: an instance of a task class
            owner = (self.resolved_name(target.func) if type(target) is ast.Call else
                     (self.unit.task_classes[1].get(target.id) or self.receiver_class(target)) if type(target) is _NAME else None)
            if owner is not None:
                entry = self.unit.task_classes[0].get(owner) or f"{owner}.{TASK_ENTRY}"
                summary = self.summary_for(entry, target, self.has_summary(entry))
        if summary is not None:
            # (``self.handle``, ``worker.run``: bound methods; ``Worker.run``: the instance is an argument)
            if task:  # (a task class's ``run(self, ...)``; a ``bind=True`` task function's ``self``)
                bound = summary.is_method or summary.params[:1] == ["self"]
            else:
                bound = summary.is_method and type(target) is ast.Attribute and not self._is_class_reference(target.value)
            note = f"passed to `{summary.qualname.rsplit('.', 1)[-1]}()` through `{api}`{' (called later)' if later else ''}"
            self.unit.record_call(summary.qualname, positional, keywords, node, self, bound=bound, note=note)
        elif type(target) is _NAME and target.id in self.local_functions:
            self.call_local_function(self.local_functions[target.id], node, positional, keywords,
                                     note=f"passed to `{target.id}()` through `{api}`{' (called later)' if later else ''}")
        elif summarized:
            self.unit.record_call(name, positional, keywords, node, self, bound=False,
                                  note=f"passed to `{name.rsplit('.', 1)[-1]}()` through `{api}`{' (called later)' if later else ''}")

    def dispatch_call(self, node: ast.Call, method: str, positional: list[Taint], keywords: dict) -> None:
        """``args.func(args)`` after ``sub.set_defaults(func=cmd_backup)`` in this file: a call of
        each function registered under that keyword (of this file, or imported into it)."""
        for handler in self.unit.dispatch_handlers[method]:
            name = self.resolved_name(handler)
            summary = self.summary_for(name, handler, name is not None and self.has_summary(name))
            if summary is not None:
                note = f"passed to `{summary.qualname.rsplit('.', 1)[-1]}()` through `set_defaults({method}=...)`"
                self.unit.record_call(summary.qualname, positional, keywords, node, self, bound=False, note=note)

    def table_call(self, node: ast.Call, table: ast.Name, positional: list[Taint], keywords: dict) -> None:
        """``HANDLERS[args.command](args)`` (``ACTIONS.get(name)(x)``) with ``HANDLERS`` a dict (or
        a list, a tuple) of functions (see ``held_functions``): a call of each function it holds,
        for the project pass (its sinks are reached with what the call passes)."""
        self.call_handlers(node, self.held_functions(table.id, True), f"`{table.id}[...]`", positional, keywords)

    def handler_call(self, node: ast.Call, func: ast.Name, positional: list[Taint], keywords: dict) -> None:
        """``h(x)`` with ``h`` taken from a table of functions (see ``held_functions``): every
        binding of ``h`` in the function is a loop over one -- ``for h in HANDLERS``, ``for h in
        (save, run)``, ``for h in ACTIONS.values()``, ``for name, h in ACTIONS.items()``, ``for
        name, h in [("save", save), ...]`` -- or a lookup in one (``h = ACTIONS[name]``, ``h =
        ACTIONS.get(name)``): a call of each function the table holds."""
        collector = self.unit.facts.scopes.collector(self.node)
        bindings = collector.bindings.get(func.id)
        if not bindings:
            return  # (a name of the module or a builtin: not a handler taken from a table)
        handlers: list[ast.expr] = []
        through = None
        loops = collector.loops.get(func.id, ())
        pairs = collector.pair_loops.get(func.id, ())
        unknown = sum(1 for value in bindings if value is None)
        if unknown != len(loops) + len(pairs):
            return  # (a parameter, an import, a ``with ... as h``...)
        for loop in loops:
            found = self.iterated_functions(loop.iter, None)
            if found is None:
                return
            handlers += found
            through = loop.iter
        for loop, position in pairs:
            found = self.iterated_functions(loop.iter, position)
            if found is None:
                return
            handlers += found
            through = loop.iter
        for value in bindings:
            if value is None:
                continue
            table = value.value if value.__class__ is ast.Subscript else (
                value.func.value if value.__class__ is ast.Call and value.func.__class__ is ast.Attribute and value.func.attr == "get" else None)
            if table.__class__ is not _NAME:
                return  # (bound to something else too)
            handlers += self.held_functions(table.id, True)
            through = table
        if handlers and through is not None:
            self.call_handlers(node, handlers, f"`{ast.unparse(through) if through.__class__ is not _NAME else through.id}`",
                               positional, keywords)

    def iterated_functions(self, iterable: ast.expr, position: int | None) -> list[ast.expr] | None:
        """The functions a loop over ``iterable`` gives its target (``position``: the target is
        that element of a pair); None when not known to be a table of functions."""
        if iterable.__class__ in (ast.List, ast.Tuple, ast.Set):
            elements = iterable.elts
            if position is None:
                return elements
            return [element.elts[position] for element in elements
                    if element.__class__ in (ast.Tuple, ast.List) and len(element.elts) == 2]
        if iterable.__class__ is _NAME:
            elements = self.held_functions(iterable.id, False, position)
            return elements or None
        if iterable.__class__ is ast.Call and iterable.func.__class__ is ast.Attribute and iterable.func.value.__class__ is _NAME:
            method = iterable.func.attr
            if (method == "values" and position is None) or (method == "items" and position == 1):
                return self.held_functions(iterable.func.value.id, True) or None  # ``ACTIONS.values()``, ``.items()``
        if (iterable.__class__ is ast.Call and iterable.func.__class__ is _NAME and iterable.func.id == "enumerate"
                and position == 1 and iterable.args and iterable.args[0].__class__ is _NAME):
            return self.held_functions(iterable.args[0].id, False) or None
        return None

    def held_functions(self, name: str, values: bool, position: int | None = None) -> list[ast.expr]:
        """The functions (names, attributes) the table ``name`` holds, when every binding of it
        (here or in the module) is a display of them or adds one (``HANDLERS = [save, run]``,
        ``HANDLERS.append(run)``): a dict's values when ``values`` (a dict iterated gives its
        keys: none), a list's, tuple's or set's elements; of pairs, the element at ``position``.
        Nothing when a binding is anything else."""
        bound = self.unit.facts.scopes.bindings_of(name, self._own_scopes[0])
        found: list[ast.expr] = []
        for value in bound or ():
            if value.__class__ is ast.Dict:
                elements = value.values if values else []
            elif value.__class__ in (ast.List, ast.Tuple, ast.Set):
                elements = value.elts
            elif value.__class__ in (_NAME, ast.Attribute):  # (``HANDLERS.append(run)``, ``ACTIONS["run"] = run``)
                elements = [value]
            else:
                return []
            if position is not None:
                elements = [element.elts[position] for element in elements
                            if element.__class__ in (ast.Tuple, ast.List) and len(element.elts) == 2]
            found += elements
        return found

    def call_handlers(self, node: ast.Call, handlers: list[ast.expr], through: str, positional: list[Taint], keywords: dict) -> None:
        """A call of each project function of ``handlers``, with what ``node`` passes."""
        seen: set[str] = set()
        for handler in handlers:
            if handler.__class__ is not _NAME and handler.__class__ is not ast.Attribute:
                continue
            name = self.resolved_name(handler)
            summary = self.summary_for(name, handler, name is not None and self.has_summary(name))
            if summary is not None and summary.qualname not in seen:
                seen.add(summary.qualname)
                note = f"passed to `{summary.qualname.rsplit('.', 1)[-1]}()` through {through}"
                self.unit.record_call(summary.qualname, positional, keywords, node, self, bound=False, note=note)

    def _is_class_reference(self, node: ast.expr) -> bool:
        """``Worker`` in ``Worker.run`` (not ``self``, a parameter or a local instance)."""
        if type(node) is not _NAME or node.id in ("self", "cls") or node.id in self.instances or node.id in self.params:
            return False
        name = self.resolved_name(node)
        return name is not None and self.is_project_class(name)

    def call_local_function(self, function: ast.AST, node: ast.Call, positional: list[Taint], keywords: dict,
                            note: str | None = None) -> None:
        """``run(x)`` after ``def run(c):`` (or ``run = lambda c: ...``) in this function: a call of
        that function for the project pass (its sinks are reached). It is analysed after this one,
        so its summary is not asked for (a second analysis of the file for each such call): its
        parameters are read from its definition, and its result is what went in, as for a call
        of an unknown function."""
        args = function.args
        params = [a.arg for a in (*args.posonlyargs, *args.args)]
        vararg = len(params) if args.vararg else None
        params += [a.arg for a in ([args.vararg] if args.vararg else [])] + [a.arg for a in args.kwonlyargs]
        self.unit.record_call(self.unit.function_qualname(function), positional, keywords, node, self, bound=False,
                              params=params, vararg=vararg, note=note)

    def construct(self, class_name: str, node: ast.Call, positional: list[Taint], keywords: dict) -> None:
        """``Runner(x)`` calls ``Runner.__init__(self, x)``, its own or the one it inherits (named
        after the class all the same: the methods of ``Runner`` reading what it stored record their
        sinks under that name, see ``FileFlow.constructor_key``). Sinks in the constructor count."""
        if self.has_summary(f"{class_name}.__init__"):
            self.unit.record_call(f"{class_name}.__init__", [CLEAN, *positional], keywords, node, self, bound=False)
            return
        constructor = self.unit.constructor_summary(class_name)  # (inherited)
        if constructor is not None:
            self.unit.record_call(f"{class_name}.__init__", [CLEAN, *positional], keywords, node, self, bound=False,
                                  params=constructor.params)

    def construct_through_super(self, node: ast.Call, positional: list[Taint], keywords: dict, state: State) -> None:
        """``super().__init__(target)`` in a constructor: a call of the next class's constructor
        (as ``Base(target)`` would be), which stores what it is given here in the attributes, as
        if assigned at this line."""
        base, constructor = self.unit.super_constructor(self.node)
        if constructor is None:
            return
        self.unit.record_call(f"{base}.__init__", [CLEAN, *positional], keywords, node, self, bound=False, params=constructor.params)
        step = self.step(node, f"stored by `{constructor.qualname.rsplit('.', 2)[-2]}.__init__()`")
        for attribute, value in self.unit.through_super(self.node, constructor, positional, keywords, step).items():
            state[f"{self.self_name}.{attribute}"] = value
            self.stored[attribute] = join(self.stored.get(attribute), value)

    # The project's answers do not change while one function is analysed (the file's own
    # summaries grow between analyses), and asking again only repeats what the first question
    # recorded (see SummaryTable): each (name, quiet) is asked of the tables once per analysis.
    def has_summary(self, name: str) -> bool:
        """``name in unit.summaries``."""
        key = (name, self._table.quiet)
        known = self._has_summary.get(key)
        if known is None:
            known = self._has_summary[key] = name in self._table
        return known

    def is_project_class(self, name: str) -> bool:
        """``unit.is_project_class(name)``."""
        key = (name, self._table.quiet)
        known = self._project_class.get(key)
        if known is None:
            known = self._project_class[key] = self.unit.is_project_class(name)
        return known

    def note_closure_check(self, call: ast.Call, name: str) -> None:
        """``is_safe_url(target)`` in a function nested in another (a view an app factory defines)
        where ``is_safe_url`` is a sibling: a function the enclosing one defines (``def
        is_safe_url(target): return _is_safe_url(target, app)``). Its checks and guards prove the
        caller's argument as a module function's do. (Only those: what it returns and where its
        parameters go are followed as for an unknown call, as before.)"""
        function = self.enclosing_definition(name)
        summary = self.unit.summaries.get(self.unit.function_qualname(function)) if function is not None else None
        if summary is not None:
            if summary.guards:
                self.guard_calls[id(call)] = summary
            if summary.checks:
                self.check_calls[id(call)] = summary
            if summary.first_checks:
                self.first_check_calls[id(call)] = summary

    def enclosing_definition(self, name: str) -> ast.AST | None:
        """The ``def name`` of the nearest enclosing function binding ``name``, if that is its only
        binding there (and this function does not bind it)."""
        scopes = self.unit.facts.scopes
        node = self.node
        unit = self.unit
        if node.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef) or id(node) in unit.class_of_method \
                or unit.defined_in.get(id(node), unit.module_name) == unit.module_name:
            return None  # (a module function or a method, most: no enclosing function to ask, cheaply)
        if name in scopes.collector(node).bindings:
            return None
        for outer in _enclosing_functions(self.unit, node):
            collected = scopes.collector(outer)
            if name in collected.escaped:
                return None
            bound = collected.bindings.get(name)
            if bound is not None:
                found = [d for d in _functions_of(self.unit).get(id(outer), ()) if d.name == name]
                return found[0] if len(bound) == 1 and len(found) == 1 else None
        return None

    def summary_for(self, name: str | None, func: ast.expr, summarized: bool) -> FunctionSummary | None:
        """``unit.summary_for(name, func)`` (which depends on ``func`` only for ``self.f()`` /
        ``cls.f()``: through ``f``); ``summarized``: whether ``has_summary(name)``."""
        own = func.attr if type(func) is ast.Attribute and type(func.value) is _NAME and func.value.id in ("self", "cls") else None
        if own is None and not summarized:
            return None  # (the unit would only look ``name`` up again, and not find it)
        key = (name, own, self._table.quiet)
        try:
            return self._summary_for[key]
        except KeyError:
            pass
        owner = self.unit.class_of_method.get(id(self.node)) if own is not None and not summarized else None
        if owner is not None:
            method = self.self_method(owner, own)
            found = self.unit.summaries.get(method) if method is not None else None
        else:
            found = self.unit.summary_for(name, func)
        self._summary_for[key] = found
        return found

    def self_method(self, owner: str, method: str) -> str | None:
        """The entry of ``self.method`` in a method of the class ``owner``: the class's own or the
        nearest ancestor's that defines it (of this file or of others); else, for a mixin calling a
        method it leaves to the classes combining it, the first class of this file deriving from
        ``owner`` that defines it. Not a method of some other class of the file that happens to
        have that name."""
        for name in self.unit._class_and_bases(owner):
            if self.has_summary(f"{name}.{method}"):
                return f"{name}.{method}"
        found = self.inherited_method(owner, method)  # (at a quiet call too: ``self.term()`` returning the request's data)
        if found is not None:
            return found
        for name in sorted(self.unit.class_bases):
            if name != owner and owner in self.unit._class_and_bases(name) and self.has_summary(f"{name}.{method}"):
                return f"{name}.{method}"
        return None

    def note_instance(self, name: str, value: ast.expr) -> None:
        """Remember ``name = SomeClass(...)`` so ``name.method(x)`` uses that method's summary when
        the class is the project's (asked when the method is called; a name bound to two
        different classes in one function is not resolved)."""
        if value.__class__ is ast.Attribute and value.attr in VALIDATED_DATA_ATTRIBUTES:
            self.cleaned_data_names.add(name)
        owner = self.resolved_name(value.func) if isinstance(value, ast.Call) else None
        if owner is None:
            self.instances[name] = None  # also hides a module-level instance of that name
            return
        known = self.instances.get(name, owner)
        self.instances[name] = owner if known == owner else None

    def receiver_class(self, receiver: ast.expr, method: str | None = None) -> str | None:
        """The project class ``receiver`` was built from, if known. At a quiet call of its
        ``method``, also a class not known (yet) to return data of its own when that method
        is known: what it returns may be proven (asked by the method's own name, not through
        the class, whose quiet answer is about data only: most classes have a method returning
        a constant)."""
        owner = None
        kind = receiver.__class__
        if kind is ast.Call:
            func = receiver.func
            if func.__class__ is ast.Attribute and func.attr in QUERYSET_CHAIN_METHODS:
                owner = self.manager_of(receiver)  # ``Product.objects.filter(...).search(x)``
            else:
                owner = self.resolved_name(func)
        elif kind is _NAME:
            if receiver.id in self.instances:
                owner = self.instances[receiver.id]
            elif receiver.id not in self.params:
                owner = self.unit.module_instances.get(receiver.id)
            else:  # ``svc: Archiver``, ``archiver = Depends(get_archiver)``
                owner = self.parameter_classes.get(receiver.id)
        elif receiver.__class__ is ast.Attribute and receiver.value.__class__ is _NAME and receiver.value.id == self.self_name:
            owner = attribute_class(self, receiver)  # ``self.runner`` after ``self.runner = Runner()`` in ``__init__``
        elif kind is ast.Attribute and receiver.value.__class__ is _NAME and receiver.value.id[:1].isupper():
            owner = self.resolved_name(receiver)  # ``Product.objects.search(x)`` (see ``manager_of``)
        if owner is None:
            return None
        if self.unit.star_modules and "." not in owner and owner[:1].isupper() and self.is_builtin(owner):
            owner = self.star_name(None, owner) or owner  # ``RequestData()`` after ``from .data import *``
        if self.is_project_class(owner):
            return owner
        if kind is not ast.Attribute and not self._table.quiet:
            made = self.factory_class(owner, receiver.func if kind is ast.Call else receiver)  # type: ignore[attr-defined]
            if made is not None:
                return made
        if method is not None and self._table.quiet and owner.rpartition(".")[2][:1].isupper() and self.has_summary(f"{owner}.{method}"):
            return owner
        return None

    def factory_class(self, name: str, func: ast.expr) -> str | None:
        """``get_adapter(request).is_safe_url(url)``, ``adapter = get_adapter(); adapter.f(x)``: the
        project class the project function ``name`` (called through ``func``) says it returns, by
        its return annotation (FunctionSummary.returns_class). (An instance of a subclass that
        overrides the method may be returned: the annotation is taken at its word, as a
        parameter's is.)"""
        if not self.has_summary(name):
            return None
        summary = self.summary_for(name, func, True)
        made = summary.returns_class if summary is not None else None
        return made if made is not None and self.is_project_class(made) else None

    @functools.cached_property
    def parameter_classes(self) -> dict[str, str]:
        """The parameters whose class the signature tells (see services.py), by name."""
        return parameter_classes(self)

    def manager_of(self, receiver: ast.expr) -> str | None:
        """``Product.objects`` (a model's manager, which FileFlow._note_class makes a class of its
        own when the model declares it: ``Product.objects.<bases>``), also the querysets it makes
        (``Product.objects.filter(...).exclude(...)``): the manager's qualified name. (Only a
        class's attribute: spelled ``Name.attribute`` with a capitalized name.)"""
        while receiver.__class__ is ast.Call and receiver.func.__class__ is ast.Attribute and receiver.func.attr in QUERYSET_CHAIN_METHODS:
            receiver = receiver.func.value
        if receiver.__class__ is ast.Attribute and receiver.value.__class__ is _NAME and receiver.value.id[:1].isupper():
            return self.resolved_name(receiver)
        return None

    def class_method(self, owner: str, method: str) -> str | None:
        """The entry of the method ``owner.method`` resolves to: the class's own, else the one it
        inherits from the nearest of its bases that has one (see ``inherited_method``)."""
        name = f"{owner}.{method}"
        if self.has_summary(name):
            return name
        if self._table.quiet:  # (a quiet call: only a class's own method is looked for, see receiver_class)
            return None
        return self.inherited_method(owner, method)

    def inherited_method(self, owner: str, method: str) -> str | None:
        """``FastRunner().run(x)`` where ``class FastRunner(Runner)`` defines no ``run``: the entry
        of the ``run`` of the first of its ancestors that defines one, in the order of a depth
        first walk of the bases, left to right (Python's order for single inheritance; with
        several bases, a base two of them share is looked at under the first, not last as its
        C3 order would). The bases of a class of this file are its own; another file's are its
        ``<bases>`` entry (see analyzer.BASES_ENTRY)."""
        pending = list(reversed(self.bases_of(owner)))
        seen = {owner}
        while pending and len(seen) <= MAX_ANCESTORS_FOLLOWED:
            base = pending.pop()
            if base in seen:
                continue
            seen.add(base)
            name = f"{base}.{method}"
            if self.has_summary(name):
                return name
            pending += reversed(self.bases_of(base))
        return None

    def bases_of(self, class_name: str) -> list[str]:
        """``unit.bases_of(class_name)`` (asked of the project once per analysis)."""
        bases = self._bases.get(class_name)
        if bases is None:
            bases = self._bases[class_name] = self.unit.bases_of(class_name)
        return bases

    def cleaned_data_alias(self, name: str) -> ast.Attribute | None:
        """``form.cleaned_data`` (``serializer.validated_data``) when the function binds ``name`` to it
        and to nothing else."""
        bindings = self.unit.facts.scopes.collector(self.node).bindings.get(name)
        if bindings and len(bindings) == 1 and bindings[0].__class__ is ast.Attribute and bindings[0].attr in VALIDATED_DATA_ATTRIBUTES:
            return bindings[0]
        return None

    def form_field(self, data: ast.Attribute, field: str, value: Taint) -> Taint:
        """``form.cleaned_data[field]`` (``serializer.validated_data[field]``) holding ``value``:
        converted when the form's class declares ``field`` as a field Django converts, checked by
        its validators (see forms.py). The form is ``form = SomeForm(...)`` in this function, or
        the ``form_class`` of the view whose ``form_valid(self, form)`` this is."""
        if value.is_clean or data.value.__class__ is not _NAME:
            return value
        name = data.value.id
        form_class = self.instances.get(name)
        if form_class is None and len(self.params) > 1 and name == self.params[1]:
            form_class = self.unit.form_classes.get(id(self.node))
        if form_class is not None and self.unit.serializer_classes and form_class == f"{self.self_name}.get_serializer":
            form_class = self.unit.serializer_classes.get(id(self.node))  # (a DRF view's ``serializer_class``)
        if form_class is None:
            return value
        return self.unit.validated_value(form_class, field, value)

    def html_safe_string(self, node: ast.expr) -> bool:
        """``Markup("...")``: a string whose % and format() escape what goes in."""
        return isinstance(node, ast.Call) and self.resolved_name(node.func) in HTML_SAFE_STRINGS

    def apply_summary(self, summary: FunctionSummary, positional: list[Taint], keywords: dict, node: ast.Call) -> Taint:
        returns = summary.returns
        if returns.__class__ is Proven and not self.proof_applies(summary, node.func):
            returns = Taint(returns.origins) if returns.origins else CLEAN
        if returns.items is not None and not any(_proven_or_sanitized(item) for _, item in returns.items) and not _pair_with_nothing(returns):
            # Element by element only when an element is proven (or sanitized throughout: ``return
            # f"... {quote(name)}", params``), or in a short tuple carries nothing (``return
            # Loader(BASE), sys.argv[1]``: the loader is not the argument): it costs where
            # containers go.
            returns = returns.whole()
        if returns.items is None and not returns.origins:  # (most functions: nothing to pass through, no step to build)
            return returns if returns.__class__ is Proven else CLEAN  # (a proof: whatever went in)
        step = self.step(node, f"{PASSED_THROUGH}{summary.qualname.rsplit('.', 1)[-1]}()`")
        offset = 1 if summary.is_method and isinstance(node.func, ast.Attribute) else 0
        return self._passed_back(returns, summary, positional, keywords, offset, step)

    def _passed_back(self, returned: Taint, summary: FunctionSummary, positional: list[Taint], keywords: dict,
                     offset: int, step: TraceStep) -> Taint:
        """What the call gives of ``returned`` (what the function returns, or an element of the
        tuple or list it returns when one is proven: ``return int(raw["page"]), raw["sort"]``
        gives a proven page and an untrusted sort): its own sources, and the arguments its
        parameters' origins stand for; a proof kept."""
        if returned.items is not None and returned.__class__ is not Proven:
            own = self._passed_back(Taint(returned.origins), summary, positional, keywords, offset, step) if returned.origins else CLEAN
            items = tuple((key, self._passed_back(item, summary, positional, keywords, offset, step)) for key, item in returned.items)
            return Taint(own.whole().origins, items)
        origins = returned.whole().origins
        if not origins:
            return returned.whole() if returned.__class__ is Proven else CLEAN
        result = CLEAN
        real = frozenset(o for o in origins if o.param is None)
        if real:
            result = Taint(real).with_step(step, self._stepped)
        # Several of the function's paths may bring one parameter back: the first taken (in a fixed
        # order, not the set's, which varies from run to run) gives the evidence its steps.
        for origin in ordered(origins) if len(origins) > 1 else origins:
            if origin.param is None:
                continue
            index = origin.param - offset
            if origin.param == summary.vararg:
                argument = join_all(p.whole() for p in positional[max(index, 0):])
            else:
                argument = positional[index] if 0 <= index < len(positional) else keywords.get(summary.params[origin.param] if origin.param < len(summary.params) else None)
            if argument is None:
                continue
            passed = argument.whole()
            if origin.sanitized:  # (also: found by the parameter, ``return ds.get_database(route=route)``)
                passed = passed.sanitize(origin.sanitized)
            # The steps taken inside the function (its parameter, ..., its return) go with the
            # call's: the evidence shows what the helper did with the value, and a change review
            # sees a change made there. Those of a function of another file as a reference to it
            # (see findings.TraceStep.via).
            steps = origin.steps
            if steps and steps[0].path != self.unit.path:
                steps = self.helper_ref(summary.qualname, origin.param)
            result = join(result, passed.with_call(step, steps, self._stepped))
        # Proven on every path of the function (``return shlex.quote(x)``): so is the call's value.
        return result.proved(returned.cwes) if returned.__class__ is Proven else result

    def proof_applies(self, summary: FunctionSummary, func: ast.expr) -> bool:
        """Does the proof of what ``summary``'s function returns hold at this call? Not for
        ``self.f()`` told the ``f`` of another class of the file (see FileFlow.summary_for)."""
        if type(func) is not ast.Attribute or type(func.value) is not _NAME or func.value.id not in ("self", "cls"):
            return True
        return self.unit.method_of_own_class(self.node, summary.qualname)

    def expr_JoinedStr(self, node: ast.JoinedStr, state: State) -> Taint:
        parts = []
        text_before = ""
        folded = False  # (a constant name's value is looked up only when untrusted data follows it)
        on_site = False  # (after a path of the site's own and a separator: see _on_site_path)
        under_base = False  # (after a base URL and a slash: see under_base_url)
        for position, value in enumerate(node.values):
            taint = self.expr(value, state).whole()
            if isinstance(value, ast.Constant):
                text_before += str(value.value)
            else:
                if taint.__class__ is Proven and _proves_quotable(taint):
                    taint = _quoted_piece(node, value, taint)
                if taint.origins and "{}" in text_before and not folded:
                    text_before, folded = self.folded_prefix(node, value), True
                if on_site:
                    taint = taint.proved(_ON_SITE_CWES)  # (whatever it is: it cannot take the URL off the site)
                elif under_base:
                    taint = taint.sanitize(_SSRF_CWES)
                elif position == 0 and _on_site_path(node, taint):
                    on_site = True  # ``f"{url_for('x')}&{params}"``: what follows stays on the site
                elif position == 0 and self.under_base_url(node):
                    under_base = True  # ``f"{settings.GATEWAY}/{path}"``: the request goes to the base's host
                if taint.origins and "<" in text_before and _all_marked(taint, URL_ENCODED) and _url_encoded_fits(text_before):
                    # ``f'<a href="{url_for("x", q=q)}">'`` (in markup only: ``f"{url}"`` alone may
                    # be put in a ``'``-quoted attribute later, where the mark is looked at again)
                    taint = taint.sanitize(HTML_ESCAPED)
                parts.append(_fixed_destination(taint, text_before))
                text_before += "{}"
        return join_all(parts)

    def under_base_url(self, node: ast.JoinedStr) -> bool:
        """Does ``node`` begin with a value that is not a constant, then a slash
        (``f"{target_uri}/{path}"``)? Whatever follows is then in the path (or the query) of the
        URL that value begins: a request made to it goes to the host the value names (its own
        finding if it comes from a source). For SSRF only: a base that is empty leaves ``/`` +
        ``/evil.example``, which HTTP clients refuse (no scheme) and browsers follow."""
        values = node.values
        first = values[0]
        if len(values) < 3 or first.conversion != -1 or first.format_spec is not None:  # type: ignore[attr-defined]
            return False
        after = values[1]
        return (after.__class__ is _CONSTANT and isinstance(after.value, str) and after.value.startswith("/")  # type: ignore[attr-defined]
                and self.fold(first.value) is NOTHING)  # type: ignore[attr-defined]

    def folded_prefix(self, node: ast.JoinedStr, upto: ast.expr) -> str:
        """The text of ``node`` before ``upto``, with the constants its names are bound to
        (``f"{API}/items/{x}"``: API's URL fixes where ``x`` goes); ``{}`` for any other value."""
        text = ""
        earlier: list[ast.expr] = []
        for value in node.values:
            if value is upto:
                break
            if isinstance(value, ast.Constant):
                text += str(value.value)
                continue
            plain = value.conversion == -1 and value.format_spec is None  # type: ignore[attr-defined]
            text += self.piece_text(value.value, earlier) if plain else "{}"  # type: ignore[attr-defined]
            earlier.append(value.value)  # type: ignore[attr-defined]
        return text

    def pieces_text(self, pieces: list[ast.expr]) -> str:
        """The text of ``pieces`` put one after the other (see ``piece_text``)."""
        return "".join(self.piece_text(piece, pieces[:index]) for index, piece in enumerate(pieces))

    def piece_text(self, piece: ast.expr, before: list[ast.expr]) -> str:
        """The text ``piece`` puts in a URL after the pieces ``before``: a constant's; "?" for the
        separator that starts or goes on with a query (``"&" if "?" in url else "?"`` after
        ``url``: there is a "?" before what follows, either way); ``{}`` for anything else."""
        value = self.fold(piece)
        if value.__class__ is str:
            return value
        if piece.__class__ is _NAME and self.node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef):
            # A name bound once, here: ``sep = "&" if "?" in url else "?"``, ``base = f"{url}?page="``
            bound = self.unit.facts.scopes.collector(self.node).bindings.get(piece.id, ())
            if len(bound) == 1 and bound[0].__class__ in (ast.JoinedStr, ast.BinOp):
                return _template_text(bound[0])  # type: ignore[arg-type]
            piece = bound[0] if len(bound) == 1 and bound[0].__class__ is ast.IfExp else piece  # type: ignore[assignment]
        return "?" if piece.__class__ is ast.IfExp and _query_separator(piece, before) else "{}"

    def joined_destinations(self, separator: ast.expr, elements: list[ast.expr], joined: Taint) -> Taint | None:
        """``"/".join([base, "files", x])``, ``sep.join([url, query])``: each element after the
        text of those before it and the separator (a constant beginning there fixes where the
        element goes, as in an f-string). None: not a string's join (a separator of unknown
        text, a starred element)."""
        if self.piece_text(separator, elements[:1]) == "{}" or any(e.__class__ is ast.Starred for e in elements):
            return None
        parts = []
        for index in range(len(elements)):
            item = joined.item(index).whole()
            if item.origins:
                before = elements[:index]
                text = "".join(self.piece_text(piece, before[:k]) + self.piece_text(separator, before[:k + 1])
                               for k, piece in enumerate(before))
                item = _fixed_destination(item, text)
            parts.append(item)
        return join_all(parts)

    def percent_prefix(self, pieces: list[str], elements: list[ast.expr], index: int) -> str:
        """The text of a ``%`` template (split at ``%``) before its ``index``-th conversion, with
        the constant strings given to the ``%s`` before it (``"%s/items/%s" % (API, x)``)."""
        text = pieces[0]
        for position in range(index):
            piece = pieces[position + 1]
            value = self.fold(elements[position]) if piece.startswith("s") and "" not in pieces[1:] else NOTHING  # (no ``%%``)
            text += value + piece[1:] if value.__class__ is str else "%" + piece
        return text

    def formatted_destinations(self, node: ast.Call, template: str, positional: list[Taint], keywords: dict) -> Taint | None:
        """``"https://api.example.com/items/{}".format(x)``: each argument as the template puts it
        in, after the text before it (a constant URL there fixes where the value goes, as in an
        f-string); None when the template or the arguments are not plain (``*args``, ``**kw``)."""
        if any(a.__class__ is ast.Starred for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        try:
            fields = list(string.Formatter().parse(template))
        except ValueError:
            return None
        parts = []
        text = ""
        automatic = 0
        for literal, field, spec, conversion in fields:
            text += literal
            if field is None:
                continue
            key = re.split(r"[.\[]", field, maxsplit=1)[0]
            if key == "":
                key, automatic = automatic, automatic + 1
            elif key.isdigit():
                key = int(key)
            if key.__class__ is int:
                if key >= len(positional):
                    return None
                value, given = positional[key].whole(), node.args[key]
            elif key in keywords:
                value, given = keywords[key].whole(), next(k.value for k in node.keywords if k.arg == key)
            else:
                return None
            parts.append(_fixed_destination(value, text))
            plain = not spec and conversion is None and (field == "" or field.isdigit() or field.isidentifier())
            constant = self.fold(given) if plain else NOTHING  # (``{0.attr}``, ``{:>9}``: not the value as it is)
            text += constant if constant.__class__ is str and not value.origins else "{}"
        return join_all(parts)

    def expr_FormattedValue(self, node: ast.FormattedValue, state: State) -> Taint:
        if node.format_spec is not None:
            self.expr(node.format_spec, state)
        return self.expr(node.value, state)

    def expr_BinOp(self, node: ast.BinOp, state: State) -> Taint:
        left = self.expr(node.left, state)
        right = self.expr(node.right, state)
        if node.op.__class__ in _NUMBER_OPERATORS and (_is_number(node.left) or _is_number(node.right)):
            return PROVEN  # ``offset + 1``: a number (a string or a list there raises TypeError)
        if isinstance(node.op, ast.Mod) and self.html_safe_string(node.left):
            return join(left.whole(), right.whole().sanitize(HTML_ESCAPED))  # Markup % x escapes x
        if node.op.__class__ is ast.Mod and right.__class__ is Proven and _proves_quotable(right) and node.left.__class__ is ast.Constant:
            if _quoted_identifier_template(node.left.value, "%s"):  # ``'"%s"' % escaped``
                return right.proved(SQL_IDENTIFIER_CWES)
        if (node.op.__class__ is ast.Add and left.__class__ is Proven and _proves_quotable(left)
                and node.right.__class__ is ast.Constant and node.left.__class__ is ast.BinOp):
            closed = _closes_quoted_identifier(node.left, node.right, left)  # ``'"' + escaped + '"'``
            if closed is not None:
                return closed
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            if isinstance(node.right, ast.Tuple) and right.items is not None:
                # Each argument is safe as a URL destination when text before it fixes the
                # destination ("/path?%s", "https://host/%s", "%s?%s" for the second one).
                pieces = node.left.value.split("%")
                items = [right.item(i).whole() for i in range(len(node.right.elts))]
                parts = [_fixed_destination(item, self.percent_prefix(pieces, node.right.elts, i) if item.origins else "")
                         for i, item in enumerate(items)]
                return join_all(parts)
            return _fixed_destination(right.whole(), node.left.value.split("%", 1)[0])
        if isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            if node.left.value in _SLASHES_BEFORE_STRIPPED and right.origins and _slashes_stripped(node.right):
                return right.whole().proof_undone(RELATIVE_SHAPE_MARKS).sanitize(_SLASHES_BEFORE_STRIPPED[node.left.value])
            return _fixed_destination(right.whole(), node.left.value)
        if node.op.__class__ is ast.Add and right.origins and left.items is None:
            prefix = self.fold(node.left)  # ``API + "/" + x``, API a constant URL: fixed as a literal would
            if prefix.__class__ is not str:  # ``base + "/files/" + x``, ``url + ("&" if "?" in url else "?") + x``
                prefix = self.pieces_text(_added_pieces(node.left))
            added = _fixed_destination(right.whole(), prefix)
            return join(left, added) if left.origins else added  # (what the beginning carries, on its own)
        if isinstance(node.op, (ast.Add, ast.Mult)) and left.items is not None and right.items is not None and isinstance(node.op, ast.Add):
            length = len(left.items)
            return Taint(left.origins | right.origins, left.items + tuple((length + k, v) for k, v in right.items if isinstance(k, int)))
        return join(left.whole(), right.whole())

    def expr_Compare(self, node: ast.Compare, state: State) -> Taint:
        self.expr(node.left, state)
        for comparator in node.comparators:
            self.expr(comparator, state)
        return CLEAN  # a boolean carries nothing injectable

    def expr_BoolOp(self, node: ast.BoolOp, state: State) -> Taint:
        return join_all(self.expr(v, state) for v in node.values)

    def expr_IfExp(self, node: ast.IfExp, state: State) -> Taint:
        self.expr(node.test, state)
        decided = self.truth(node.test)
        if decided is True:
            return self.expr(node.body, state)
        if decided is False:
            return self.expr(node.orelse, state)
        body = self.expr(node.body, self.refine(node.test, dict(state), True))
        return join(body, self.expr(node.orelse, self.refine(node.test, dict(state), False)))

    def expr_NamedExpr(self, node: ast.NamedExpr, state: State) -> Taint:
        value = self.expr(node.value, state)
        self.assign(node.target, value, state, node, self.fold(node.value))
        return value

    def _sequence(self, node, state: State) -> Taint:
        values = []
        tracked = True
        for element in node.elts:
            if isinstance(element, ast.Starred):
                tracked = False
                values.append(self.expr(element.value, state).whole())
            else:
                values.append(self.expr(element, state))
        if tracked and not isinstance(node, ast.Set):
            return Taint(frozenset(), tuple(enumerate(values)))
        return join_all(v.whole() for v in values)

    expr_Tuple = expr_List = expr_Set = _sequence

    def expr_Dict(self, node: ast.Dict, state: State) -> Taint:
        items = []
        loose = None  # (what the values under keys not known here hold)
        for key, value in zip(node.keys, node.values):
            taint = self.expr(value, state)
            if key is None:
                loose = join(loose, taint.whole())
                continue
            self.expr(key, state)
            folded = self.fold(key)
            if folded is NOTHING or not _hashable(folded):
                loose = join(loose, taint.whole())
            else:
                items.append((folded, taint))
        if loose is None:
            return Taint(frozenset(), tuple(items))
        if not loose.origins and loose is not PROVEN:
            items.append((OTHER_KEYS, CLEAN))  # (values of unknown origin: the table is not all proven)
        return Taint(loose.origins, tuple(items))

    def _comprehension(self, node, state: State) -> Taint:
        inner = dict(state)
        for generator in node.generators:
            iterable = self.expr(generator.iter, inner)
            self.assign(generator.target, self.numbered(generator.iter, whole_proof_only(iterable.whole())), inner, node, NOTHING)
            for condition in generator.ifs:
                self.expr(condition, inner)
                inner = self.refine(condition, inner, True)  # ``[v for v in xs if v.isdigit()]``
        if isinstance(node, ast.DictComp):
            return join(self.expr(node.key, inner).whole(), self.expr(node.value, inner).whole())
        return self.expr(node.elt, inner).whole()

    expr_ListComp = expr_SetComp = expr_GeneratorExp = expr_DictComp = _comprehension

    def expr_Lambda(self, node: ast.Lambda, state: State) -> Taint:
        self.unit.nested.append((node, dict(state)))
        return CLEAN

    def expr_Yield(self, node: ast.Yield, state: State) -> Taint:
        """``yield x``: what iterating the generator gives, as a function's return value is what
        calling it gives (``for cmd in commands():``). Its own value is what ``send()`` passes."""
        if node.value is not None:
            self._yielded(node, state)
        return CLEAN

    def expr_YieldFrom(self, node: ast.YieldFrom, state: State) -> Taint:
        """``yield from items``: the elements of ``items``, as for ``yield``."""
        self._yielded(node, state)
        return CLEAN

    def _yielded(self, node: ast.Yield | ast.YieldFrom, state: State) -> None:
        """What the generator gives out at ``node`` joins its "return" value."""
        value = self.expr(node.value, state).whole()
        if _carries(value):
            self.returned_kind = TEXT  # (a generator: streamed as the body)
            value = value.with_step(self.step(node, f"yielded by `{self.short_name}()`"), self._stepped)
        self.returns = join(self.returns, value)
        if self.assumed is not None and self.returns.__class__ is not Proven:
            raise Unproven

    def expr_Await(self, node: ast.Await, state: State) -> Taint:
        return self.expr(node.value, state)

    def expr_Starred(self, node: ast.Starred, state: State) -> Taint:
        return self.expr(node.value, state).whole()

    # ---- constants and conditions -------------------------------------------------------------
    def jinja_printed(self, node: ast.Call, positional: list[Taint], keywords: dict[str | None, Taint]) -> Taint | None:
        """What ``<template>.render(...)`` of a jinja2 template made here with autoescaping off
        returns: the values of the variables it prints unescaped (see jinja_templates.py); None
        for any other template's ``render()`` (HTML safe)."""
        scopes = self.unit.facts.scopes
        chain = self._own_scopes[0]

        def bound_once(name: ast.Name) -> ast.expr | None:
            bound = scopes.bindings_of(name.id, chain)
            return bound[0] if bound is not None and len(bound) == 1 else None

        printed = printed_unescaped(node, self.resolved_name, bound_once, lambda value: fold(value, {}, self.unit.module_constants))
        if printed is not None and not printed:
            return None
        found = CLEAN
        for name, value in keywords.items():  # (``**context``: any variable)
            if printed is None or name is None or name in printed:
                found = join(found, value.whole())
        for value in positional:  # (``render(context)``: a dict of the variables)
            found = join(found, value.whole())
        if not found.origins:
            return PROVEN if found.__class__ is Proven else CLEAN
        return found.with_step(self.step(node, "printed unescaped by a jinja2 template (autoescape off)"), self._stepped)

    def backslashes_replaced(self, call: ast.Call, receiver: Taint) -> Taint | None:
        """``url.replace("\\", R)``, ``R`` a constant without a backslash: a text without one
        (RELATIVE_NO_BACKSLASH). What an earlier check proved of its beginning is undone when ``R``
        may make one (``"/\\evil.example"`` becomes ``"//evil.example"`` with ``"/"`` or ``""``); not
        with ``"%5C"``, which no browser reads as a slash. Else None."""
        if call.keywords or self.fold(call.args[0]) != "\\":
            return None
        replacement = self.fold(call.args[1])
        if replacement.__class__ is not str or "\\" in replacement:
            return None
        value = receiver.whole()
        if replacement == "" or "/" in replacement:
            value = value.proof_undone(_SHAPE_AND_BACKSLASH_OPEN)  # (a check a backslash got through: now a slash)
        return value.sanitize(_NO_BACKSLASH)  # (a mark of its flows, no proof: see RELATIVE_MARKS)

    def fold(self, node: ast.expr | None) -> Any:
        """The compile-time value of ``node`` (literals, arithmetic on them, names bound to
        them in this flow), or NOTHING."""
        return fold(node, self.consts, self.unit.module_constants)

    def truth(self, test: ast.expr) -> bool | None:
        value = self.fold(test)
        if value is NOTHING:
            return None
        try:
            return bool(value)
        except Exception:  # noqa: BLE001 - a folded value whose truth we cannot take
            return None

    def refine(self, test: ast.expr, state: State, branch: bool) -> State:
        """Allow-list checks: in the branch where ``x in ALLOWED`` (or ``x.isdigit()``,
        ``re.fullmatch(P, x)``: see ``_regex_check``) holds, ``x`` is clean."""
        cls = test.__class__  # (class tests, not isinstance: refine runs for every branch of every analysis)
        if cls is ast.UnaryOp:
            if test.op.__class__ is ast.Not:
                return self.refine(test.operand, state, not branch)
        elif cls is ast.Compare:
            if (test.left.__class__ is ast.Constant and test.left.value in _IDENTIFIER_CLOSERS and len(test.ops) == 1
                    and test.comparators[0].__class__ is _NAME and test.comparators[0].id in state):
                # ``if "]" not in name:`` / the else of ``if "]" in name``: fit to go between [ and ]
                name = test.comparators[0].id
                if (test.ops[0].__class__ is ast.NotIn) == branch and test.ops[0].__class__ in (ast.In, ast.NotIn) and state[name].origins:
                    state[name] = state[name].proved(_IDENTIFIER_CLOSERS[test.left.value])
                return state
            if len(test.ops) == 1 and test.ops[0].__class__ is (ast.Eq if branch else ast.NotEq):
                left, right = test.left, test.comparators[0]
                if left.__class__ is _NAME and right.__class__ is _NAME:
                    self.refine_equal(left.id, right.id, state)  # ``if escaped == name:``
                elif left.__class__ is _NAME and right.__class__ is ast.Call:
                    self.refine_equal_to(left.id, right, state)  # ``if name != os.path.basename(name): raise``
                elif right.__class__ is _NAME and left.__class__ is ast.Call:
                    self.refine_equal_to(right.id, left, state)
            if (len(test.ops) == 1 and test.ops[0].__class__ in (ast.Is, ast.IsNot)
                    and test.comparators[0].__class__ is ast.Constant and test.comparators[0].value is None
                    and _may_be_match(test.left, self)):
                # ``if P.fullmatch(x) is None: abort(400)``: a match object is never None and always true
                return self.refine(test.left, state, branch != (test.ops[0].__class__ is ast.Is))
        elif cls is ast.BoolOp:
            if (test.op.__class__ is ast.And) == branch:  # ``and`` true, ``or`` false: every operand is
                for value in test.values:
                    state = self.refine(value, state, branch)
                return state
            return self.refine_alternatives(test, state, branch)
        if cls is _NAME and not branch and test.id in state and not state[test.id].is_clean:
            # ``if query: query = "?" + query`` -- where ``query`` is false it is "", None, 0 or an
            # empty container: it holds no data. (Not so for an object that is false while holding
            # data, an XML element without children: not request data.)
            state[test.id] = PROVEN
        # What the test proves by its form alone, once per analysis (loops refine again and again).
        static = self._refinements.get((test, branch))
        if static is None:
            checked = _validated_name(test, self.unit, branch, self)
            static = self._refinements[(test, branch)] = (
                checked, _validator_argument(test, self), _allow_listed_host(test, self, branch),
                _contained_paths(test, self, branch), _membership(test, branch, self) if checked is None else None,
                _relative_name_part(test, self, branch))
        checked, validated, host, contained, member, name_part = static
        if name_part is not None and name_part[0] in state and not state[name_part[0]].is_clean:
            # ``if os.path.isabs(name): abort(400)``, then (here or before) ``if ".." in name: abort(400)``
            state[name_part[0]] = _relative_name_checked(state[name_part[0]].proved(name_part[1]))
        if cls is not ast.Name:
            relative = self._refinements.get((test, branch, RELATIVE_MARKS), NOTHING)
            if relative is NOTHING:
                relative = self._refinements[(test, branch, RELATIVE_MARKS)] = _relative_url_part(test, self, branch)
            if relative is not None:
                self.mark_relative(relative[0], relative[1], state, test)
        if member is not None and self.server_collection(member[1]):
            checked = member[0]  # ``if locale in language_codes`` (the app's own list): as an allow-list
        if checked is not None:
            if checked in state:
                state[checked] = PROVEN
            elif checked.__class__ is tuple or "." in checked:
                self.prove_path(test, checked, state)
        if contained:
            self.prove_contained(contained, state)
        if validated is None and self.checks and cls in (ast.Name, ast.Attribute):
            validated = self.checks.get(test.id if cls is ast.Name else _dotted(test))  # type: ignore[attr-defined,arg-type]
        if not branch:
            validated = None  # a validator proves something only when it returned true
        if validated is not None and validated[0] in state:
            name, cwes = validated
            state[name] = self.checked(state[name], cwes, test)
            self.prove_normalized_source(name, cwes, state, test)
        elif validated is not None and validated[0].__class__ is str:
            if validated[0].endswith("]"):
                self.prove_read(test, validated[0], validated[1], state)  # ``if is_safe(request.GET.get("next")):``
            elif validated[1] is _FORM_VALIDATED_CWES and "." in validated[0]:
                # ``elif self.form.is_valid():`` with the form made in another method (``dispatch``)
                self.prove_path(test, validated[0], state, validated[1])
        if host is not None:
            if host.hosts is None:  # compared with the request's own host: no redirect elsewhere (a request still may be)
                cwes = _OWN_HOST_CWES
            elif self.values.get(id(host.hosts), CLEAN).is_clean:  # (not a set of hosts from the request)
                cwes = _DESTINATION_CWES
            else:
                cwes = None
            if cwes is not None:
                for name in host.names:
                    if name in state:
                        state[name] = state[name].proved(cwes)
                        self.prove_normalized_source(name, cwes, state, test)
                url = host.url
                if url is not None:
                    if url.name in state:
                        state[url.name] = self.checked(state[url.name], url.cwes(cwes), test)
                    self.prove_normalized_source(url.name, url.cwes(cwes), state, test)  # (``stripped = url.strip()`` parsed)
        if cls is ast.Call and not branch:
            option = _option_guarded(test)
            if option is not None:  # ``if name.startswith("-"): raise SystemExit(...)``
                if option in state:
                    state[option] = state[option].proved(_OPTION_CWES)
                elif option.__class__ is tuple or "." in option:
                    self.prove_path(test, option, state, _OPTION_CWES)
        return state

    def prove_contained(self, contained: tuple, state: State) -> bool:
        """A containment check holds (see ``_contained_paths``): the resolved paths it names are
        inside the directory -- safe for paths, unless the directory itself is untrusted. True
        when every path it names was proven so."""
        if not contained:
            return False
        base = [state[name] for name in contained[1] if name in state and not state[name].is_clean]
        proven = not base
        for name, resolved_in_test in contained[0]:
            if name in state and (resolved_in_test or name in self.resolved_paths):
                state[name] = state[name].proved(PATH_CWES) if not base else _contained_in_untrusted_base(state[name], base)
            else:
                proven = False
        return proven

    def mark_relative(self, names: tuple[str, ...], marks: frozenset[int], state: State, test: ast.expr) -> None:
        """A part of a relative-URL check holds for the URLs ``names`` (see RELATIVE_MARKS in
        models.sanitizers), and for what each was cleaned from (``stripped = url.strip()``, see
        ``prove_normalized_source``): marked so, and proven a redirect target once every part is."""
        for name in names:
            if name in state:
                state[name] = self.relative_checked(state[name].proved(marks), test)
            source = self.normalized_source(name, state)
            if source is not None:
                state[source] = self.relative_checked(state[source].proved(marks), test)

    def relative_checked(self, value: Taint, test: ast.expr) -> Taint:
        """``value`` once every part of a relative-URL check holds for it: a same-site path, safe
        as a redirect target -- but for a backslash when none was ruled out (BACKSLASH_OPEN_REDIRECT:
        medium confidence, with a step at ``test``)."""
        origins = value.whole().origins
        if origins and all(BACKSLASH_OPEN_REDIRECT in origin.sanitized for origin in origins) and _backslash_ruled_out(value.whole()):
            return value.proved(REDIRECT_CWES)  # a same-host check, then no backslash: the check holds
        # (a flow already safe as a redirect target needs no part: the query after ``"?"``)
        origins = [origin for origin in origins if 601 not in origin.sanitized]
        if not origins or not all(_relative_path(origin.sanitized) for origin in origins):
            return value
        if value.__class__ is Proven and 601 in value.cwes:  # type: ignore[attr-defined]
            return value
        if all(RELATIVE_NO_BACKSLASH in origin.sanitized for origin in origins):
            return value.proved(REDIRECT_CWES)
        return self.checked(value, _BACKSLASH_OPEN, test) if any(BACKSLASH_OPEN_REDIRECT not in o.sanitized for o in origins) else value

    def normalized_source(self, name: str, state: State) -> str | None:
        """The URL ``name`` (bound once) is a cleaning of, when that is bound once too (see
        ``prove_normalized_source``)."""
        if self.node.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
            return None
        bindings = self.unit.facts.scopes.collector(self.node).bindings
        bound = bindings.get(name, ())
        if len(bound) != 1 or bound[0].__class__ is not ast.Call:
            return None
        found = normalized_name(bound[0], self)
        if found is None or found.name not in state or (len(bindings.get(found.name, ())) != 1 and not self_normalized(found.name, self)):
            return None
        return found.name

    def server_collection(self, collection: ast.expr) -> bool:
        """Is ``collection`` (tested with ``in`` here) the server's own -- nothing of it comes
        from a source, the request or any other (a parameter of the function too): the keys or
        values of a module's table (``PREFIXES.values()``), an attribute (``app.config["LANGS"]``,
        ``User.__table__.columns.keys()``), what a call returns (``os.listdir(d)``), a local of an
        enclosing function? A value found in it is one of the server's, as in a literal allow-list.
        (Its value, not its form: the same test in a loop may see it tainted on a later pass.)"""
        value = self.values.get(id(collection))
        return value is not None and not value.whole().origins

    def checked(self, value: Taint, cwes: frozenset[int], test: ast.expr) -> Taint:
        """``value`` where the check ``test`` proves it safe for ``cwes`` (empty: for every
        weakness). BACKSLASH_OPEN_REDIRECT among them: a same-host check a backslash gets through;
        the value stays an open redirect, with a step at the check saying so (not again at a
        second such check), reported at medium confidence at most (see values.as_reported)."""
        if not cwes:
            return PROVEN
        if BACKSLASH_OPEN_REDIRECT in cwes:
            whole = value.whole()
            if _backslash_ruled_out(whole):  # (``if "\\" in url: return False`` came before)
                cwes = (cwes - _BACKSLASH_OPEN) | REDIRECT_CWES
            elif any(BACKSLASH_OPEN_REDIRECT not in o.sanitized for o in whole.origins):
                value = whole.with_step(self.step(test, BACKSLASH_OPEN_NOTE), self._stepped)
        if not RELATIVE_NAME_MARKS.isdisjoint(cwes):  # (a helper's test of the name, the other one made here)
            return _relative_name_checked(value.proved(cwes))
        return value.proved(cwes)

    def prove_normalized_source(self, name: str, cwes: frozenset[int], state: State, test: ast.expr) -> None:
        """``clean = url.strip()`` (bound once, and ``url`` too) checked for ``cwes``: ``url`` as a
        redirect target too (see url_normalization.py)."""
        if self.node.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
            return
        bindings = self.unit.facts.scopes.collector(self.node).bindings
        bound = bindings.get(name, ())
        if len(bound) != 1 or bound[0].__class__ is not ast.Call:
            return
        found = normalized_name(bound[0], self)
        if found is None or found.name not in state or len(bindings.get(found.name, ())) != 1:
            return
        redirect = _redirect_part(cwes)
        if redirect:
            state[found.name] = self.checked(state[found.name], redirect, test)

    def refine_equal(self, left: str, right: str, state: State) -> None:
        """Where the names ``left`` and ``right`` are equal, the one that holds untrusted data holds
        the other's text: as safe as that, when it is proven or clean (``escaped = quote(name)``
        then ``if escaped == name:``, name needed no quoting)."""
        if left not in state or right not in state:
            return
        first, second = state[left], state[right]
        if _safe_or_proven(second) and not _safe_or_proven(first):
            state[left] = second
        elif _safe_or_proven(first) and not _safe_or_proven(second):
            state[right] = first

    def refine_equal_to(self, name: str, call: ast.Call, state: State) -> None:
        """Where the name ``name`` equals the result of ``call`` (as the test evaluated it), it
        holds that text: as safe as that when it is proven (``os.path.basename(name) == name``: a
        base name; ``secure_filename(name) == name``)."""
        if name not in state or _safe_or_proven(state[name]):
            return
        result = self.values.get(id(call))
        if result is not None and result.__class__ is Proven:
            state[name] = result

    def refine_alternatives(self, test: ast.BoolOp, state: State, branch: bool) -> State:
        """``x and not check(x)`` false, ``not x or check(x)`` true: one of the operands has the
        test's value, those before it the other -- x is falsy, or x passed the check. What every
        such alternative proves (a falsy name holds nothing: "", None, 0) holds after the test.
        (Each alternative refines a layer over ``state``: asked of every ``else`` of an ``and``.)"""
        other = not branch
        values = test.values
        joined: dict | None = None
        for index, value in enumerate(values):
            alternative = _Alternative(state)
            for before in values[:index]:
                alternative = self.refine(before, alternative, other)
            alternative = self.refine(value, alternative, branch)
            falsy = _falsy_name(value, branch)
            if falsy is not None and falsy in alternative:
                dict.__setitem__(alternative, falsy, PROVEN)
            if joined is None:
                joined = {key: known for key, known in dict.items(alternative) if known.__class__ is Proven}
            else:
                for key, known in list(joined.items()):
                    now = dict.get(alternative, key) or state.get(key)
                    proven = join(known, now) if now is not None else None
                    if proven.__class__ is Proven:
                        joined[key] = proven
                    else:
                        del joined[key]  # (a path proven on one side only: as it was, see stmt_If)
            if not joined:  # (most tests: the first alternative proves nothing)
                return state
        state.update(joined)  # type: ignore[arg-type]
        return state

    def prove_path(self, test: ast.expr, checked: str | tuple, state: State, cwes: frozenset[int] | None = None) -> None:
        """``if args.host in ALLOWED`` / ``if data["host"] in ALLOWED`` (see ``_validated_name``):
        the attribute path (a dotted state entry, read before the receiver) or the constant key of
        a name's container is proven, until the name, the path or a prefix of it is bound again
        (``forget_paths``). The branch that proves nothing gets the path as read before the test
        (``stmt_If``): a dotted entry on one side only would outlive the merge."""
        if checked.__class__ is tuple:
            name, key = checked
            container = self.read_name(name, state)
            state[name] = container.set_item(key, container.item(key).proved(cwes) if cwes else PROVEN)
            return
        node = _checked_node(test)
        before = self.values.get(id(node)) if node is not None else None
        if before is None or before is PROVEN or (self._sources.get(node) is not None and not (
                node.value.__class__ is _NAME and node.value.id == self.self_name)):  # type: ignore[union-attr]
            # (nothing to prove; a source attribute, ``request.method``, is read as the source
            # whatever the state -- but for an http.server handler's ``self.path``: see expr_Attribute)
            return
        if self.path_roots is _NO_ROOTS:
            self.opened_paths, self.path_roots, self.path_before = {}, set(), {}
        self.opened_paths[checked] = before  # type: ignore[index]
        self.path_roots.add(checked.split(".", 1)[0])  # type: ignore[attr-defined]
        self.path_before[checked] = join(self.path_before.get(checked), before)  # type: ignore[index]
        state[checked] = before.proved(cwes) if cwes else PROVEN

    def prove_read(self, test: ast.expr, read: str, cwes: frozenset[int], state: State) -> None:
        """The validator call ``test`` checked ``read``, a key of the request's data read in the
        call itself (``url_has_allowed_host_and_scheme(self.request.GET.get("next"), ...)``, see
        ``_request_read``): the same read after it (``redirect(self.request.GET.get("next"))``)
        gives the checked value, as an attribute path a test proves (prove_path). (A flag kept
        from such a check, ``ok = is_safe(request.GET.get("next"))``, proves nothing of it.)"""
        argument = _read_argument(test, read, self)
        before = self.values.get(id(argument)) if argument is not None else None
        if before is None or not before.origins:
            return
        if self.path_roots is _NO_ROOTS:
            self.opened_paths, self.path_roots, self.path_before = {}, set(), {}
        self.opened_paths[read] = before  # type: ignore[index]
        self.path_roots.add(read.split(".", 1)[0])  # type: ignore[attr-defined]
        self.path_before[read] = join(self.path_before.get(read), before)  # type: ignore[index]
        state[read] = self.checked(before, cwes, test)

    def forget_paths(self, name: str, state: State, value: Taint | None = None, itself: bool = False) -> None:
        """``name`` (a local, or a dotted path) is bound again to ``value``, or (None) may be changed
        by a call: what was proven of its attributes (``prove_path``; ``itself``: of ``name`` too)
        no longer holds. The paths get that value, or what they held before their check (not
        removed: a path on one side of a merge only would keep the other side's proof)."""
        prefix = name + "."
        for key, before in self.path_before.items():
            if key in state and (key.startswith(prefix) or (itself and key == name)):
                if key.endswith("]"):  # a read of the request's data (prove_read): never stored to
                    if value is not None:
                        state[key] = before  # (another request, read as any: the check was of the first)
                    continue  # (a call given the request does not change its parameters)
                state[key] = join(state[key], before) if value is None else value.whole()  # (with what was stored there since)

    def forget_changed_paths(self, node: ast.Call, method: str | None, state: State) -> None:
        """A call given an object some proven path starts from (``update(args)``, ``self.reload()``,
        ``setattr(args, "host", x)``) may change its attributes; a changing method of the path itself
        (``args.hosts.append(x)``) changes it. (A string passed on, ``print(args.host)``, is unchanged.)"""
        roots = self.path_roots
        func = node.func
        if func.__class__ is ast.Attribute and _root_name(func.value) in roots:
            receiver = _checked_path(func.value)
            if receiver.__class__ is str:
                self.forget_paths(receiver, state, itself=method in MUTATING_METHODS)
        for argument in (*node.args, *(k.value for k in node.keywords)):
            if argument.__class__ is ast.Starred:
                argument = argument.value
            if argument.__class__ in (_NAME, ast.Attribute) and _root_name(argument) in roots:
                self.forget_paths(_checked_path(argument), state)

    def helper_ref(self, qualname: str, param: int) -> tuple[HelperRef]:
        """The steps of a helper of another file, by reference (one tuple per helper and
        parameter: ``Taint.with_call`` memoises by its identity)."""
        key = (qualname, param)
        found = self._helper_refs.get(key)
        if found is None:
            found = self._helper_refs[key] = (HelperRef(qualname, param),)
        return found

    def step(self, node: ast.AST, note: str) -> TraceStep:
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0)
        key = (line, col, note)
        found = self._steps.get(key)
        if found is None:
            found = self._steps[key] = new_step(self.unit.path, line, col, self.unit.code(line), note)
        return found

    def resolved_name(self, node: ast.AST) -> str | None:
        """``unit.qualname(node)`` (import-resolved dotted name), memoized per node."""
        try:
            return self._names[node]
        except KeyError:
            name = self._names[node] = self.unit.qualname(node)
            return name

    @property
    def short_name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


UNPLACED = "HTTP route parameter"  # (what ``parameter_kind`` says of a parameter outside a route)


def fastapi_parameter_value(unit: "FileFlow", init: ast.AST, arg: ast.arg, route: ast.AST | None, field: bool,
                            unmarked: str | None = None) -> Taint | None:
    """What FastAPI gives the parameter ``arg`` of a dependency class's constructor ``init`` (a
    field, for a generated one) from the request alone, filling ``route``: a request value of the
    kind its marker or annotation says (checked against a ``Query(pattern=...)``), nothing when it
    converts it. None: no request value (a dependency, a framework object). Without ``route``,
    an unmarked parameter is UNPLACED (the path names it or not); ``unmarked``: its kind."""
    what = "field" if field else "parameter"
    kind = parameter_kind(unit, init, arg, False, route=route, unmarked=unmarked, field=field)
    if kind == CONVERTED:
        return PROVEN
    if kind is None:
        return None
    step = TraceStep(unit.path, arg.lineno, arg.col_offset, unit.code(arg.lineno), f"{what} `{arg.arg}`: {kind} (untrusted)")
    value = source(kind, Level.HIGH, step)
    pattern = declared_pattern(unit, init, arg)
    if pattern is not None:
        value = _checked_by_pattern(value, pattern)
    names = getattr(arg, "validators", None)  # (a pydantic model's field: see validators.py)
    return run_validators(unit, value, names) if names else value


def extra_fields_value(unit: "FileFlow", node: ast.ClassDef, kind: str) -> Taint:
    """What a model allowing undeclared fields keeps of them (see parameters.allows_extra_fields):
    request values of ``kind``, at the class's line."""
    step = TraceStep(unit.path, node.lineno, node.col_offset, unit.code(node.lineno),
                     f'undeclared fields kept (extra="allow"): {kind} (untrusted)')
    return source(kind, Level.HIGH, step)


def _handlers(prefix: str) -> dict[type, Callable]:
    """Node type -> the ``FunctionAnalysis`` method for it (``stmt_If``, ``expr_Call``...).
    Built once: looking the method up by name for each of the ~650k nodes of a large project
    (``getattr(self, f"expr_{...}")``) cost more than some of the handlers themselves."""
    table = {}
    for name, node_type in vars(ast).items():
        handler = getattr(FunctionAnalysis, prefix + name, None)
        if isinstance(node_type, type) and issubclass(node_type, ast.AST) and handler is not None:
            table[node_type] = handler
    return table


_STATEMENT_HANDLERS = _handlers("stmt_")
_EXPRESSION_HANDLERS = _handlers("expr_")


_NAME, _CONSTANT = ast.Name, ast.Constant
_MAX_INSTANCE_NODES = 16  # nodes of a returned expression looked at (see instance_free)
# Returned values that are a bool whatever they test: nothing of the instance (see instance_free).
_TESTS = frozenset({ast.Compare, _CONSTANT})
_INSTANCE_TESTS = (ast.Call, ast.UnaryOp)  # (``isinstance(x, C)``, ``not isinstance(x, C)``: see stmt_If)


def _holds_attribute_origin(value: Taint) -> bool:
    """Does ``value`` (or an element of it) hold an ATTRIBUTE origin? (Without ``whole()``'s join.)"""
    if any(origin.kind == ATTRIBUTE for origin in value.origins):
        return True
    return value.items is not None and any(_holds_attribute_origin(item) for _, item in value.items)


_INSTANCE_EXPRESSIONS = frozenset({_NAME, ast.Call})  # receivers of a property read (see property_read)
# Returned values taken as tests for FunctionSummary.checks (a name: ``ok = is_safe(x); return ok``).
_CHECK_RESULTS = frozenset({ast.Compare, ast.UnaryOp, ast.BoolOp, ast.Call, _CONSTANT, _NAME})
_ENUM_MEMBER_ATTRIBUTES = frozenset({"value", "name"})
_FIXED_DESTINATION_CWES = frozenset({601, 918})
# Arithmetic that gives a number when one operand is a number written in the source: not ``*``
# (``text * 2`` repeats the text) nor ``%`` (``template % 1`` formats it).
_NUMBER_OPERATORS = frozenset({ast.Add, ast.Sub, ast.Div, ast.FloorDiv, ast.Pow, ast.LShift, ast.RShift,
                               ast.BitAnd, ast.BitOr, ast.BitXor})


def _template_text(node: ast.JoinedStr | ast.BinOp) -> str:
    """The text of an f-string or a ``+`` chain with ``{}`` for each part not written in it."""
    pieces = node.values if node.__class__ is ast.JoinedStr else _added_pieces(node)  # type: ignore[union-attr]
    return "".join(piece.value if piece.__class__ is _CONSTANT and isinstance(piece.value, str) else "{}"  # type: ignore[attr-defined]
                   for piece in pieces)


def _added_pieces(node: ast.expr) -> list[ast.expr]:
    """The operands of a ``+`` chain (``a + b + c``), in order."""
    if node.__class__ is ast.BinOp and node.op.__class__ is ast.Add:  # type: ignore[attr-defined]
        return _added_pieces(node.left) + _added_pieces(node.right)  # type: ignore[attr-defined]
    return [node]


def _query_separator(choice: ast.IfExp, before: list[ast.expr]) -> bool:
    """``"&" if "?" in url else "?"`` (or ``"?" if "?" not in url else "&"``), ``url`` one of the
    pieces ``before`` it: a constant either way, the one chosen when ``url`` has no "?" holding
    one. Whichever it is, a "?" comes before what follows: the query."""
    test = choice.test
    if not (test.__class__ is ast.Compare and len(test.ops) == 1 and test.ops[0].__class__ in (ast.In, ast.NotIn)
            and test.left.__class__ is _CONSTANT and test.left.value == "?"):
        return False
    without = choice.orelse if test.ops[0].__class__ is ast.In else choice.body  # (when ``url`` has no "?")
    within = choice.body if without is choice.orelse else choice.orelse
    if not (without.__class__ is _CONSTANT and isinstance(without.value, str) and "?" in without.value
            and within.__class__ is _CONSTANT and isinstance(within.value, str)):
        return False
    url = ast.dump(test.comparators[0])
    return any(ast.dump(piece) == url for piece in before)


def _proven_or_sanitized(value: Taint) -> bool:
    """Is ``value`` proven, or is each of its origins sanitized for something?"""
    return value.__class__ is Proven or (bool(value.origins) and all(origin.sanitized for origin in value.origins))


def _safe_or_proven(value: Taint) -> bool:
    return value.__class__ is Proven or value.is_clean


def _is_number(node: ast.expr) -> bool:
    """Is ``node`` a number written in the source (``1``, ``2.5``; not ``True``)?"""
    return node.__class__ is _CONSTANT and node.value.__class__ in (int, float)  # type: ignore[attr-defined]
_IN_MEMORY_FILE_MARK = frozenset({IN_MEMORY_FILE})  # (a value that is, or holds, an in-memory file)


def _fixed_destination(value: Taint, prefix: str | None) -> Taint:
    """A URL whose constant beginning fixes where it goes (``"/search?q=" + x``,
    ``f"https://api.example.com/{x}"``) cannot redirect or send a request elsewhere."""
    if value.is_clean or not isinstance(prefix, str):
        return value
    # "/" alone fixes nothing: "/" + "/evil.example" or "/" + "\\evil.example" leaves the site.
    # (As fixes_destination, inline: this runs for every piece of every string built from data.)
    local = len(prefix) > 1 and prefix[0] == "/" and prefix[1] not in "/\\"
    absolute = "://" in prefix and "/" in prefix.split("://", 1)[1]
    in_query = "?" in prefix or "#" in prefix
    fixed = local or absolute or in_query or _closed_after_value(prefix)
    return value.sanitize(_FIXED_DESTINATION_CWES) if fixed else value


# A constant path segment closed by a slash (after any slashes), with no colon (a scheme).
_CLOSED_SEGMENT = re.compile(r"[/\\]*[^/\\:{}%]+[/\\]")


def _closed_after_value(prefix: str) -> bool:
    """Does ``prefix`` end with a value the text does not know (``{}``/``%s``: a base path or URL
    of the server's) and then a constant segment closed by a slash (``f"{base}/tree/{x}"``,
    ``base + "files/" + x``)? Whatever that value is ("", "/base", "https://host"), what follows
    stays in the path under it: it cannot name another host. Not so a bare slash ("" + "/" +
    "/evil.example"), a segment left open ("https://host" + "files" + ".evil.example/": the host
    goes on), nor one with a colon ("https:/" + "/evil.example")."""
    end = max(prefix.rfind("{}"), prefix.rfind("%s"))
    return end >= 0 and _CLOSED_SEGMENT.match(prefix, end + 2) is not None


_ON_SITE_CWES = frozenset({601, 918, SAME_SITE_PATH})
_SSRF_CWES = frozenset({918})
_SCRIPT_ELEMENTS = ("<script", "<style")


_ROUTE_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_URL_PATH_PARAMETER = "URL path parameter"


def _is_route_name(node: ast.expr) -> bool:
    """``"repo_home"``, ``"admin:users.edit"``: a constant that names a route (not a path nor a URL:
    no "/")."""
    return node.__class__ is _CONSTANT and node.value.__class__ is str and _ROUTE_NAME.fullmatch(node.value) is not None


def _route_placeholders(mapping: Taint) -> bool:
    """Is every untrusted part of ``mapping`` (given as ``**mapping`` to a route URL builder) a URL
    path parameter, whose key is a placeholder of the matched route (Pyramid's ``matchdict``), not
    a name the client chose (``_app_url``)?"""
    return all(origin.description == _URL_PATH_PARAMETER for origin in mapping.whole().origins)


def _plain_replace(node: ast.Call) -> bool:
    """``text.replace(old, new)`` or ``(old, new, count)``: str.replace's arguments (a project's
    ``replace(a=...)``, a date's ``replace(year=...)`` take keywords)."""
    return 2 <= len(node.args) <= 3 and not node.keywords and not any(a.__class__ is ast.Starred for a in node.args)


def _all_marked(value: Taint, mark: int) -> bool:
    """Does every part of ``value`` carry ``mark`` (in its origins' ``sanitized``, and, proven,
    in what it is proven for)?"""
    if value.__class__ is Proven and mark not in value.cwes:  # type: ignore[attr-defined]
        return False
    return (bool(value.origins) or value.__class__ is Proven) and all(mark in o.sanitized for o in value.origins)


def _on_site_path(node: ast.JoinedStr, first: Taint) -> bool:
    """Does ``node`` begin with a path of the site's own (SAME_SITE_PATH: ``url_for(...)``'s)
    followed by text that does not begin with a slash or a backslash (``f"{url}&{params}"``)?"""
    values = node.values
    if len(values) < 2 or values[0].conversion != -1 or values[0].format_spec is not None:  # type: ignore[attr-defined]
        return False
    after = values[1]
    return (after.__class__ is _CONSTANT and isinstance(after.value, str) and after.value[:1] not in ("", "/", "\\")  # type: ignore[attr-defined]
            and _all_marked(first, SAME_SITE_PATH))


def _url_encoded_fits(html_before: str) -> bool:
    """May a percent-encoded URL (URL_ENCODED: no space, ``"``, ``<``, ``>``; a ``'`` may be in
    it) go after ``html_before`` (the HTML so far) without closing what it is in: in text, or in
    a ``"``-quoted or unquoted attribute value -- not a ``'``-quoted one, not in a script or a
    style (an element, an ``on...``/``style`` attribute), not in a comment?"""
    lowered = html_before.lower()
    if any(element in lowered and lowered.rfind(element) > lowered.rfind("</" + element[1:]) for element in _SCRIPT_ELEMENTS):
        return False
    if lowered.rfind("<!--") > lowered.rfind("-->"):
        return False
    quote, tag = None, False  # (inside a ``'``/``"`` attribute value; inside a tag)
    attribute = ""
    for index, character in enumerate(lowered):
        if quote is not None:
            if character == quote:
                quote = None
        elif tag:
            if character == ">":
                tag = False
            elif character in "'\"" and lowered[:index].rstrip().endswith("="):
                quote = character
                attribute = _attribute_name(lowered[:index])
        elif character == "<":
            tag = True
    if quote == "'":
        return False
    if quote == '"':
        return not _script_attribute(attribute)
    if tag:  # an unquoted value (``href={url}``), or between attributes
        stripped = lowered.rstrip()
        return stripped.endswith("=") and not _script_attribute(_attribute_name(stripped))
    return True


def _attribute_name(before_value: str) -> str:
    """The name of the attribute whose ``=`` ``before_value`` ends with."""
    head = before_value.rstrip()[:-1].rstrip()
    return re.split(r"[\s/<'\"]", head)[-1]


def _script_attribute(name: str) -> bool:
    return name.startswith("on") or name == "style"


def fixes_destination(prefix: str) -> bool:
    """Does a URL beginning with ``prefix`` go to a fixed place whatever follows?"""
    local = len(prefix) > 1 and prefix[0] == "/" and prefix[1] not in "/\\"
    absolute = "://" in prefix and "/" in prefix.split("://", 1)[1]
    return local or absolute or "?" in prefix or "#" in prefix


def _consts_after(then_consts: dict, else_consts: dict) -> dict:
    """The names bound to constants after two paths join (an ``if``'s branches, a ``try``'s
    body and handlers): those both agree on. (Also when one path returns, or breaks out of a
    loop, where what it bound still goes on.)"""
    if then_consts is else_consts or then_consts == else_consts:  # (most: no constant bound in either)
        return else_consts
    return {name: value for name, value in then_consts.items()
            if name in else_consts and _same_constant(value, else_consts[name])}


def _changed_consts(before: dict, after: dict) -> set[str]:
    """The names bound to other constants (or no longer, or newly) in ``after``."""
    if before == after:
        return set()
    return {name for name in before.keys() | after.keys()
            if name not in before or name not in after or not _same_constant(before[name], after[name])}


def _same_constant(a: Any, b: Any) -> bool:
    try:
        return a.__class__ is b.__class__ and bool(a == b)
    except Exception:  # noqa: BLE001 - a folded value that cannot be compared
        return False


def merge(a: State | None, b: State | None) -> State | None:
    if a is None:
        return None if b is None else dict(b)
    if b is None:
        return dict(a)
    return merge_into(dict(a), b)


def merge_into(a: State | None, b: State | None) -> State | None:
    """``merge(a, b)``, in ``a`` itself: for a state no one else holds (a branch's own copy)."""
    if a is None:
        return None if b is None else dict(b)
    if b is None:
        return a
    get = a.get
    # (most names are the very same value on both sides; states hold no None)
    for name, value in [(name, value) for name, value in b.items() if get(name) is not value]:
        current = get(name)
        a[name] = value if current is None else join(current, value)
    return a


def _dotted(node: ast.expr) -> str | None:
    value = node.value if type(node) is ast.Attribute else None
    if type(value) is _NAME:  # ``a.b``, the common case
        return f"{value.id}.{node.attr}"
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


# Reads of werkzeug's MultiDict / Headers that convert the value with a ``type`` callable: the
# method -> the position of ``type`` (``get(key, default=None, type=None)``, ``getlist(key, type=None)``).
_CONVERTING_READS = {"get": 2, "getlist": 1}

_REQUEST_READ_METHODS = frozenset({
    "get_json", "get_data", "get_full_path", "post", "json", "text", "read", "get_argument", "get_query_argument",
    "get_body_argument", "body", "form", "stream",  # (Starlette: ``await request.body()``, ``request.form()``)
    # Tornado's handler methods (``self.get_arguments("tag")``), Falcon's request's
    # (``req.get_param("q")``, ``await req.get_media()``), Bottle's ``request.get_cookie``.
    "get_arguments", "get_query_arguments", "get_body_arguments", "get_cookie", "get_param", "get_param_as_list",
    "get_header", "get_media", "get_cookie_values",
    "post_vars", "post_body",  # (Datasette's Request: ``await request.post_vars()``)
    # Twisted's request: ``request.getHeader(b"x")``, ``request.getCookie(b"sid")``, the basic-auth user
    "getHeader", "getAllHeaders", "getCookie", "getUser", "getPassword",
})


def _placed(node: ast.Call, place: tuple[int | None, str | None]) -> ast.expr | None:
    """The argument of ``node`` at ``place`` (a position, else a keyword; see models/deferred.py):
    not one after a ``*args`` (its position is unknown)."""
    position, keyword = place
    if position is not None and position < len(node.args):
        if any(type(argument) is ast.Starred for argument in node.args[:position + 1]):
            return None
        return node.args[position]
    for given in node.keywords:
        if given.arg is not None and given.arg == keyword:
            return given.value
    return None


def _placed_value(node: ast.Call, place: tuple[int | None, str | None], positional: list[Taint], keywords: dict) -> Taint | None:
    """What the argument at ``place`` holds (``positional``/``keywords``: the call's values)."""
    argument = _placed(node, place)
    if argument is None:
        return None
    if place[0] is not None and place[0] < len(node.args):
        return positional[place[0]]
    return keywords.get(place[1])


# An argument tuple whose elements are not known one by one (``args=params``): what it holds may
# be any of the function's positional arguments (this many at most are given it).
UNKNOWN_ARGUMENTS = 8


# String methods that put their receiver and arguments together as they are (proofs for some
# CWEs hold for the result), and those that transform them (only proofs for all: a constant's or
# a number's upper() is still fixed text; an escaped value's replace() may undo the escaping).
_CONCATENATING_METHODS = frozenset({"format", "join"})
_STR_METHODS = frozenset({
    "upper", "lower", "title", "capitalize", "casefold", "swapcase", "strip", "lstrip", "rstrip",
    "replace", "zfill", "center", "ljust", "rjust", "removeprefix", "removesuffix", "encode", "decode",
    "split", "rsplit", "splitlines", "partition", "rpartition", "expandtabs", "format_map",
})


def _proven_call_result(receiver: Taint, name: str | None, method: str | None, positional: list[Taint],
                        keywords: dict, arguments: Taint) -> Taint:
    """An unknown call's result when its receiver is proven safe (or ``str(x)``): proven when the
    call only puts proven strings together (``"... {}".format(n)``, ``",".join(ids)``, ``str(n)``),
    or transforms values proven for everything (``ORDER.upper()``). Anything else (a method of a
    converted model instance, ``choice.describe()``) returns data of unknown origin."""
    values = [value.whole() for value in (*positional, *keywords.values())]
    if not all(value.origins or value is PROVEN for value in values):
        return join(whole_proof_only(receiver), arguments) if receiver.__class__ is Proven else join(receiver, arguments)
    if name == "str" and method is None:
        return values[0] if len(values) == 1 else join(receiver, arguments)
    if method in _CONCATENATING_METHODS:
        return join(receiver, arguments if arguments.origins else PROVEN)
    if method in _STR_METHODS and receiver is PROVEN and not arguments.origins:
        return PROVEN
    plain = Taint(receiver.origins) if receiver.origins else CLEAN
    return join(plain, arguments)


_RECEIVER_LOOKUPS = frozenset({"get", "aget"})  # (a row found in what the receiver holds, or the mapping's own value)
_KEYED_GETTER_STARTS = KEYED_GETTER_PREFIXES + KEYED_GETTER_QUALIFIERS  # (what any getter's name starts with)


def _keyed_getter(callee: str) -> tuple[str, str] | None:
    """For a getter by key, the last word of what it gets and what it says it gets it by
    (``get_database`` -> ``("database", "")``, ``find_user_by_email`` -> ``("user", "email")``,
    ``find_by_id`` -> ``("", "id")``, ``lookup`` -> ``("", "")``); None for any other call, and for
    a getter of text or a mapping made from its arguments (``get_path``, ``get_valid_name``,
    ``get_context``: KEYED_MADE_THINGS)."""
    if callee in KEYED_GETTER_NAMES:
        return "", ""
    if callee.startswith(KEYED_GETTER_QUALIFIERS):
        callee = callee.split("_", 1)[1]  # (``batch_get_traces``)
    if not callee.startswith(KEYED_GETTER_PREFIXES):
        return None
    rest = callee.split("_", 1)[1]
    if rest.startswith("by_"):
        return ("", rest[3:]) if rest[3:] else None
    thing, _, by_key = rest.partition("_by_")
    last = thing.split("_or_", 1)[0].rsplit("_", 1)[-1]
    return (last, by_key) if last and last not in KEYED_MADE_THINGS else None


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def _last_word(name: str) -> str:
    """The last word of a name, lower case: ``run_id`` -> ``id``, ``bookId`` -> ``id``,
    ``DatasetDAO`` -> ``dao``, ``_get_tracking_store`` -> ``store``."""
    words = _WORDS.findall(name)
    return words[-1].lower() if words else ""


def _is_key_word(name: str, thing: str) -> bool:
    """Is ``name`` (a keyword, an argument's name) named as a key (``route``, ``pk``, ``user_id``,
    ``table_name``, ``pks``) for getting something else than that key's kind (``get_route(route=x)``
    may give the route back)?"""
    last = _last_word(name)
    if last not in KEY_KEYWORDS and last.endswith("s") and last[:-1] in KEY_KEYWORDS:
        last = last[:-1]  # (``get_books(book_ids)``: several keys)
    return last in KEY_KEYWORDS and last != thing


_ITEM_READS = frozenset({"get", "getlist", "getone", "getall"})  # (a mapping's, a MultiDict's)


def _argument_name(argument: ast.expr) -> str | None:
    """The name an argument goes by: a variable's or attribute's (``run_id``, ``book.id``), the
    key of an item read with a constant key (``request.args["uid"]``, ``args.get("uid")``,
    ``args.getlist("pks")``)."""
    kind = argument.__class__
    if kind is _NAME:
        return argument.id  # type: ignore[attr-defined]
    if kind is ast.Attribute:
        return argument.attr  # type: ignore[attr-defined]
    if kind is ast.Subscript:
        key = argument.slice  # type: ignore[attr-defined]
        return key.value if key.__class__ is ast.Constant and key.value.__class__ is str else None
    if kind is ast.Call:
        func, args = argument.func, argument.args  # type: ignore[attr-defined]
        if (func.__class__ is ast.Attribute and func.attr in _ITEM_READS and args and args[0].__class__ is ast.Constant
                and args[0].value.__class__ is str):
            return args[0].value
    return None


def _positional_key(argument: ast.expr, position: int, thing: str, by_key: str, of_store: bool) -> str | None:
    """How the evidence names a getter's argument given by position, when it is a key (see
    KEYED_GETTER_PREFIXES): named as one, the first of a getter ``..._by_<key>``, any given to a
    store's getter. None for another argument (nothing says it is not what is returned)."""
    named = _argument_name(argument)
    if named is not None and _is_key_word(named, thing):
        return f"`{named}`"
    if position == 0 and by_key:
        return f"its {by_key.replace('_', ' ')}"  # (``find_by_id(x)``: "finds by its id")
    if of_store:
        return f"`{named}`" if named else "its argument"
    return None


def _names_a_store(receiver: ast.expr) -> bool:
    """Is ``receiver`` named as a store of records (KEYED_STORES): ``calibre_db``,
    ``self.tracking_store``, ``DatasetDAO``, ``_get_tracking_store()``?"""
    if receiver.__class__ is ast.Call:
        receiver = receiver.func  # type: ignore[attr-defined]
    if receiver.__class__ is _NAME:
        name = receiver.id  # type: ignore[attr-defined]
    elif receiver.__class__ is ast.Attribute:
        name = receiver.attr  # type: ignore[attr-defined]
    else:
        return False
    return _last_word(name) in KEYED_STORES


def assumption_holds(returned: Taint, assumed: Taint) -> bool:
    """Does what a recursive function returned, its recursive calls assumed to return
    ``assumed``, bear the assumption out: proven for every CWE assumed, and no origin of a shape
    (parameter, sanitizing, kind, source) the assumption lacks?"""
    if returned.__class__ is not Proven:
        return False
    cwes, wanted = returned.cwes, assumed.cwes  # type: ignore[attr-defined]
    if 0 not in cwes and (0 in wanted or not wanted <= cwes):
        return False
    return _shapes(returned) <= _shapes(assumed)


def _shapes(value: Taint) -> set[tuple]:
    """The origins of ``value`` without the steps they took (a source: where it is read)."""
    return {(origin.param, origin.sanitized, origin.kind, origin.description, origin.steps[:1] if origin.param is None else ())
            for origin in value.origins}


def _pair_with_nothing(returned: Taint) -> bool:
    """Is ``returned`` a tuple of at most MAX_UNPACKED elements (by position) one of which
    carries nothing?"""
    items = returned.items
    return (len(items) <= MAX_UNPACKED and any(not item.origins for _, item in items)
            and all(key.__class__ is int for key, _ in items))


MAX_UNPACKED = 3


class Unproven(Exception):
    """A recursive function analysed with an assumed proof returned a value proven for nothing
    (see FileFlow._analyze_recursive): no assumption can hold, the analysis stops there."""


# Builtins whose value is one of the values they are given (min, max) or their sum: proven when
# each of those is (``min(int(n), 100)``; ``min(text, "z")`` is the text). ``abs`` and ``round``
# always give a number: SANITIZERS.
_SELECTING_BUILTINS = frozenset({"min", "max", "sum"})
_BUILTIN_NAMES = frozenset(dir(builtins))


def _selected_by_builtin(name: str, node: ast.Call, positional: list[Taint], keywords: dict) -> Taint:
    """The value of ``min``/``max``/``sum`` (``name``) called with these arguments: any argument
    (an element of a single iterable argument, or its ``default``), or an element of the iterable
    added to ``start``; the join of what it may be (a proof only if each is proven)."""
    if name == "sum":
        values = [_element(positional[0])] if positional else []
        start = positional[1] if len(positional) > 1 else keywords.get("start")
    else:
        if len(node.args) == 1 and node.args[0].__class__ is not ast.Starred:
            values = [_element(positional[0])]
        else:
            values = [_element(value) if argument.__class__ is ast.Starred else value.whole()
                      for argument, value in zip(node.args, positional)]
        start = keywords.get("default")
    if start is not None:
        values.append(start.whole())
    return join_all(values)


def _element(iterable: Taint) -> Taint:
    """What one element of ``iterable`` may hold: any of a literal's elements (a tuple literal's
    own elements kept apart: ``[(path, mode)]``), else the iterable's whole value."""
    if iterable.items is None:
        return whole_proof_only(iterable)
    elements = join_all(value for _, value in iterable.items)
    return join(elements, Taint(iterable.origins)) if iterable.origins else elements


def _unpacked_positional(packed: Taint) -> list[Taint]:
    """The positional arguments an argument tuple (``args=(path, mode)``) gives a function."""
    if packed.items is None:
        return [packed] * UNKNOWN_ARGUMENTS if packed.origins else []
    indexes = [key for key, _ in packed.items if type(key) is int]
    return [packed.item(index) for index in range(max(indexes) + 1)] if indexes else []


def _state_root(receiver: ast.expr) -> str | None:
    """The name a container reached through items or ``setdefault``/``get`` belongs to
    (``BY_USER[user]``, ``BY_USER.setdefault(user, [])``: ``BY_USER``), if any."""
    for _ in range(4):
        if receiver.__class__ is ast.Subscript:
            receiver = receiver.value
        elif (receiver.__class__ is ast.Call and receiver.func.__class__ is ast.Attribute
              and receiver.func.attr in _STATE_ITEM_METHODS):
            receiver = receiver.func.value
        else:
            break
        if receiver.__class__ is _NAME:
            return receiver.id
    return None


_STATE_ITEM_METHODS = frozenset({"setdefault", "get"})


def _on_super(func: ast.expr) -> bool:
    """``super().name`` (also ``super(Class, self).name``)."""
    receiver = func.value if type(func) is ast.Attribute else None
    return type(receiver) is ast.Call and type(receiver.func) is _NAME and receiver.func.id == "super"


def _only_stored(value: Taint) -> bool:
    """Does ``value`` (a plain value) carry origins, all of them parameters stored on an instance?"""
    return bool(value.origins) and all(origin.kind == ATTRIBUTE for origin in value.origins)


def _any_element(container: Taint) -> Taint:
    """What a key the flow does not know reads from ``container``: any of its elements; nothing
    known of an empty literal (``SETTINGS = {}``: filled elsewhere), not a proof."""
    if container.items == ():
        return Taint(container.origins) if container.origins else CLEAN
    return container.whole()


def _carries(value: Taint) -> bool:
    """Whether ``value.with_step(...)`` could add anything: a plain value without origins is clean
    and stays as it is, so the step (and its note) need not even be built."""
    return value.items is not None or bool(value.origins)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _literal_pattern(pattern: ast.pattern) -> bool:
    """A pattern that only matches literal values (``"a" | "b"``, ``None``, ``42``)."""
    if isinstance(pattern, ast.MatchOr):
        return all(_literal_pattern(p) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, ast.Constant) or (
            isinstance(pattern.value, ast.UnaryOp) and isinstance(pattern.value.operand, ast.Constant))
    return isinstance(pattern, ast.MatchSingleton)


def _has_break(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Break):
            return True
    return False


# SQL identifiers quoted by the project (``"[" + name + "]"`` after ``"]" not in name``, ``'"' +
# name.replace('"', '""') + '"'``): what the flow knows of a value on its way to such quotes is a
# proof for a pseudo-CWE, one per closing quote (never a sink's), turned into one for SQL when
# the value is put between the quote pair.
SQL_IDENTIFIER_CWES = frozenset({89})
_DOUBLE_QUOTABLE, _BRACKET_QUOTABLE, _BACKTICK_QUOTABLE = frozenset({-34}), frozenset({-93}), frozenset({-96})
_IDENTIFIER_CLOSERS = {'"': _DOUBLE_QUOTABLE, "]": _BRACKET_QUOTABLE, "`": _BACKTICK_QUOTABLE}
_IDENTIFIER_OPENERS = {'"': '"', "]": "[", "`": "`"}
_QUOTABLE_MARKS = (-34, -93, -96)


def _proves_quotable(value: Taint) -> bool:
    """Whether ``value`` is proven fit to go between some identifier quote pair (or for SQL,
    or for everything: a constant)."""
    if value.__class__ is not Proven:
        return False
    cwes = value.cwes  # type: ignore[attr-defined]
    return any(mark in cwes for mark in _QUOTABLE_MARKS)


def _fits_between(value: Taint, opener: str, closer: str) -> bool:
    cwes = value.cwes  # type: ignore[attr-defined]
    return _IDENTIFIER_OPENERS.get(closer) == opener and next(iter(_IDENTIFIER_CLOSERS[closer])) in cwes


def _quoted_identifier_template(template: object, *fields: str) -> bool:
    """``'"{}"'``, ``"[%s]"``: a template with one field, between an identifier quote pair."""
    if template.__class__ is not str:
        return False
    for field in fields:
        if template.count(field) == 1 and template.count(field[0]) == 1:  # (one field, nothing else to fill)
            before, after = template.split(field)
            if before and after and _IDENTIFIER_OPENERS.get(after[0]) == before[-1]:
                return True
    return False


def _quoted_piece(node: ast.JoinedStr, value: ast.expr, taint: Taint) -> Taint:
    """An f-string's piece proven fit for the quote pair around it is proven for SQL."""
    values = node.values
    index = values.index(value)
    if 0 < index < len(values) - 1 and value.conversion == -1 and value.format_spec is None:  # type: ignore[attr-defined]
        before, after = values[index - 1], values[index + 1]
        if (before.__class__ is ast.Constant and after.__class__ is ast.Constant and before.value and after.value
                and _fits_between(taint, before.value[-1], after.value[0])):
            return taint.proved(SQL_IDENTIFIER_CWES)
    return taint


def _closes_quoted_identifier(opened: ast.BinOp, closer: ast.Constant, value: Taint) -> Taint | None:
    """``opener + escaped + closer`` (``opened`` is ``opener + escaped``, made of constants and
    the escaped value alone, else not proven): proven for SQL when the quotes pair up."""
    if opened.op.__class__ is not ast.Add or closer.value.__class__ is not str or not closer.value:
        return None
    before = opened.left.right if opened.left.__class__ is ast.BinOp else opened.left
    if before.__class__ is ast.Constant and before.value.__class__ is str and before.value and _fits_between(value, before.value[-1], closer.value[0]):
        return value.proved(SQL_IDENTIFIER_CWES)
    return None


def _identifier_quote_escaped(call: ast.Call) -> frozenset[int] | None:
    """``x.replace('"', '""')`` (doubled: the SQL escape) or ``x.replace("]", "")`` (removed):
    the quotable mark of that closing quote; None for anything else (``'\\"'`` is no SQL escape)."""
    args = call.args
    if len(args) != 2 or args[0].__class__ is not ast.Constant or args[1].__class__ is not ast.Constant:
        return None
    old, new = args[0].value, args[1].value
    if old not in _IDENTIFIER_CLOSERS or new not in ("", old + old):
        return None
    return _IDENTIFIER_CLOSERS[old]


def _sql_string_escaped(call: ast.Call) -> frozenset[int] | None:
    """``x.replace("'", "''")`` / ``x.replace("\\", "\\\\")``: the mark of that SQL string
    escape (SQL_STRING_ESCAPES), else None."""
    args = call.args
    if len(args) != 2 or args[0].__class__ is not ast.Constant or args[1].__class__ is not ast.Constant:
        return None
    key = (args[0].value, args[1].value)
    return SQL_STRING_ESCAPES.get(key) if key[0].__class__ is str else None  # type: ignore[call-overload]


def _strips_line_breaks(call: ast.Call) -> bool:
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value in ("\n", "\r", "\r\n")


def _list_delete(container: Taint, index: int) -> Taint:
    items = [(k, v) for k, v in container.items if isinstance(k, int)]
    length = len(items)
    if index < 0:
        index += length
    kept = [v for k, v in sorted(items, key=lambda kv: kv[0]) if k != index]
    return Taint(container.origins, tuple(enumerate(kept)))


def _slice_items(container: Taint, bounds: list) -> Taint | None:
    """``items[:2]`` of a tracked literal list with constant bounds: the elements it keeps."""
    items = container.items
    if items is None or any(b is NOTHING or not (b is None or isinstance(b, int)) for b in bounds):
        return None
    ordered = sorted(items, key=lambda kv: kv[0] if isinstance(kv[0], int) else -1)
    if [k for k, _ in ordered] != list(range(len(ordered))):
        return None  # not a list shape (a dict with other keys): unknown
    try:
        kept = [v for _, v in ordered][slice(*bounds)]
    except ValueError:  # step 0
        return None
    return Taint(container.origins, tuple(enumerate(kept)))


_LIST_METHODS = frozenset({"append", "extend", "pop", "insert", "reverse"})
UPLOADED_FILE = "uploaded file"  # (request.FILES' values)
COMMAND_LINE = "command-line argument"  # (the description of parse_args()' values, see models/sources.py)
# A bound Django form's copies of the request; a DRF serializer's (``perform_create(self, serializer)``).
FORM_DATA_ATTRIBUTES = frozenset({"cleaned_data", "data", "files", "validated_data", "initial_data"})
VALIDATED_DATA_ATTRIBUTES = frozenset({"cleaned_data", "validated_data"})  # a form's, a DRF serializer's (see forms.py)
_FRAMEWORK_HELD_ATTRIBUTES = FORM_DATA_ATTRIBUTES | {"kwargs", "args"}
# Method names the analysis knows from libraries (sources, sanitizers, clean results, lookups): a
# project class may define its own (``Repository.find``, ``Service.get``), which then runs instead.
_DEFERRED_CALLS, _DEFERRED_METHODS, _DEFERRED_TASK_METHODS = DEFERRED_CALLS, DEFERRED_METHODS, DEFERRED_TASK_METHODS
_LIBRARY_METHOD_NAMES = CLEAN_METHODS | frozenset(SANITIZING_METHODS) | LOOKUP_METHODS | QUERY_METHODS | frozenset(SOURCE_METHODS) | _REQUEST_READ_METHODS  # the ones _container_method knows
# What ``expr_Call`` looks up before the project's functions: a call of none of these (most calls)
# goes straight to ``call_of_project``.
_ARCHIVE_METHODS = ARCHIVE_MEMBER_METHODS | ARCHIVE_CONTENT_METHODS
_STATEMENT_METHOD_NAMES = SQL_STATEMENT_METHODS | SQL_STATEMENT_CHAINED_METHODS
_MODELLED_METHODS = _LIBRARY_METHOD_NAMES | frozenset({"format", "replace", "get"}) | frozenset(PATH_SOURCE_METHODS)
_URL_ENCODED_CWES = SANITIZERS["urllib.parse.urlencode"]  # (what a query urlencode() made is safe for)
_MODELLED_CALLS = (frozenset(SELECTED_FROM_ARGUMENTS) | frozenset(QUERY_ADDING_CALLS) | frozenset(SOURCE_CALLS) | frozenset(PREDICTABLE_CALLS)
                   | frozenset(SANITIZERS) | frozenset(LOOKUP_FUNCTIONS) | DECODERS)


def _container_method(container: Taint, method: str, arguments: list[Taint], first_constant: Any, in_loop: bool = False):
    """List operations on a tracked literal list: (new container, result) or None (unknown).
    Elements added in a loop (``in_loop``), or after such elements, go to an unknown tail (kept
    under OTHER_KEYS): their positions depend on the passes made, and tracking them one by one
    would add a position at every pass of the analysis, so the loop would never settle."""
    items = container.items or ()
    tail = [v for k, v in items if k is OTHER_KEYS]
    if not all(isinstance(k, int) for k, _ in items if k is not OTHER_KEYS):
        return None
    if method in _GROWING_LIST_METHODS and (in_loop or tail):
        added = _added_elements(method, arguments)
        if added is None:
            return None
        known = tuple((k, v) for k, v in items if k is not OTHER_KEYS)
        return Taint(container.origins, (*known, (OTHER_KEYS, join_all([*tail, *added])))), CLEAN
    if tail:
        return None
    ordered = [v for _, v in sorted(items, key=lambda kv: kv[0])]
    if method == "append" and len(arguments) == 1:
        ordered.append(arguments[0])
        return Taint(container.origins, tuple(enumerate(ordered))), CLEAN
    if method == "extend" and len(arguments) == 1:
        # ``argv.extend(["-subj", "/CN=" + host])``: a literal list's elements, each with its own
        # taint, at the end; anything else (a list of unknown length) is joined as a whole.
        added = arguments[0]
        if added.items is None or added.origins or not all(isinstance(k, int) for k, _ in added.items):
            return None
        ordered.extend(v for _, v in sorted(added.items, key=lambda kv: kv[0]))
        return Taint(container.origins, tuple(enumerate(ordered))), CLEAN
    if method == "pop":
        index = -1 if not arguments else first_constant
        if not isinstance(index, int) or not ordered or not -len(ordered) <= index < len(ordered):
            return None
        value = ordered.pop(index)
        return Taint(container.origins, tuple(enumerate(ordered))), value
    if method == "insert" and len(arguments) == 2 and isinstance(first_constant, int):
        ordered.insert(first_constant, arguments[1])
        return Taint(container.origins, tuple(enumerate(ordered))), CLEAN
    if method == "reverse":
        ordered.reverse()
        return Taint(container.origins, tuple(enumerate(ordered))), CLEAN
    return None


_GROWING_LIST_METHODS = frozenset({"append", "extend", "insert"})


def _added_elements(method: str, arguments: list[Taint]) -> list[Taint] | None:
    """The values ``method`` adds to a list (an ``extend``'s: its argument's elements)."""
    if method == "append" and len(arguments) == 1:
        return arguments
    if method == "extend" and len(arguments) == 1:
        return [arguments[0].whole()]
    if method == "insert" and len(arguments) == 2:
        return [arguments[1]]
    return None


_VALIDATING_METHODS = frozenset({"isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier"})
# Methods whose call, returned, may be a check (a string test, a regex match, a form's validation:
# see FunctionAnalysis.may_be_check).
_RETURNED_CHECK_METHODS = _VALIDATING_METHODS | {"fullmatch", "match", "search", "is_valid", "validate_on_submit"}
# ``form.is_valid()`` (Django) / ``form.validate_on_submit()`` (Flask-WTF): the form's fields passed
# their validators. A valid CharField is still any text (SQL, markup...): the check only makes the
# data fit to keep in the session (not a trust boundary violation), nothing else.
_FORM_VALIDATION_METHODS = frozenset({"is_valid", "validate_on_submit"})
_FORM_VALIDATED_CWES = frozenset({501})
# The form handler a view calls with a form whose validation failed (see FORM_HANDLER_METHODS).
_UNVALIDATED_FORM_HANDLERS = frozenset({"form_invalid"})


def _validated_name(test: ast.expr, unit: "FileFlow", branch: bool, analysis: FunctionAnalysis | None = None) -> str | tuple | None:
    """The name that ``test`` proves safe when it evaluates to ``branch`` (or the dotted name,
    ``args.host``, of an attribute path; or ``(name, key)`` for ``data["key"]``: see
    FunctionAnalysis.prove_path). ``analysis``: that of the function the test is in (its locals
    bound once to a literal are allow-lists)."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, (ast.Name, ast.Attribute, ast.Subscript)):
        op = test.ops[0]
        comparator = test.comparators[0]
        checked = _checked_path(test.left)
        if checked is None:
            return None
        constant_set = _is_allow_list(comparator, unit, analysis)
        if isinstance(op, ast.In) and branch and constant_set:
            return checked
        if isinstance(op, ast.NotIn) and not branch and constant_set:
            return checked
        if isinstance(op, ast.Eq) and branch and isinstance(comparator, ast.Constant):
            return checked
        if isinstance(op, ast.NotEq) and not branch and isinstance(comparator, ast.Constant):
            return checked
    if isinstance(test, ast.Call) and branch:
        func = test.func
        if isinstance(func, ast.Attribute) and func.attr in _VALIDATING_METHODS:
            return _checked_path(func.value)  # ``x.isdigit()``
    return None


_URL_PART_MARKS = {"scheme": RELATIVE_NO_SCHEME, "netloc": RELATIVE_NO_HOST}


def _relative_url_part(test: ast.expr, analysis: FunctionAnalysis, branch: bool) -> tuple[tuple[str, ...], frozenset[int]] | None:
    """A part of a relative-URL check (see RELATIVE_MARKS) that ``test`` proves where it is
    ``branch``: (the URLs it holds for, the marks). ``parsed.scheme`` / ``urlparse(url).netloc``
    false (or ``== ""``): no scheme / no host, for the URL parsed (not one joined to a base: that
    has both), and no backslash when they were turned into slashes before it was parsed;
    ``url.startswith("//")`` false (also among a tuple of prefixes): no ``//`` at the start;
    ``"\\" in url`` false: no backslash."""
    kind = test.__class__
    if kind is ast.Compare and len(test.ops) == 1:
        op, left, right = test.ops[0].__class__, test.left, test.comparators[0]
        if left.__class__ is _CONSTANT and left.value == "\\" and op is (ast.NotIn if branch else ast.In):
            checked = _checked_path(right)
            return ((checked,), frozenset({RELATIVE_NO_BACKSLASH})) if checked.__class__ is str else None
        if right.__class__ is _CONSTANT and right.value == "" and op is (ast.Eq if branch else ast.NotEq):
            test, kind, branch = left, left.__class__, False  # ``parsed.scheme == ""``: as ``not parsed.scheme``
    if kind is ast.Call and test.func.__class__ is ast.Attribute and test.func.attr == "startswith" and len(test.args) == 1:
        return _url_prefix_part(test, analysis, branch)
    if branch:
        return None
    if kind is ast.Attribute and test.attr in _URL_PART_MARKS and test.value.__class__ in (_NAME, ast.Call):
        found = _host_checked_names(test, analysis)
        url = found[1] if found is not None else None
        if url is None or url.joined:
            return None
        marks = {_URL_PART_MARKS[test.attr]} | ({RELATIVE_NO_BACKSLASH} if url.backslashes else set())
        return (url.name,), frozenset(marks)
    return None


_LEADING_SLASH_MARKS = frozenset({RELATIVE_LEADING_SLASH, RELATIVE_NO_SCHEME})


def _url_prefix_part(test: ast.Call, analysis: FunctionAnalysis, branch: bool) -> tuple[tuple[str, ...], frozenset[int]] | None:
    """``url.startswith(P)`` (P a constant or a tuple of them) as a part of a relative-URL check:
    false with ``"//"`` among P, no ``//`` (nor ``///``) at the start; false with ``"///"``, no
    ``///``; true with every P beginning with ``/``, a ``/`` at the start (so no scheme)."""
    checked = _checked_path(test.func.value)  # type: ignore[attr-defined]
    if checked.__class__ is not str:
        return None
    prefixes = analysis.fold(test.args[0])
    prefixes = (prefixes,) if prefixes.__class__ is str else prefixes
    if prefixes.__class__ is not tuple or not prefixes:
        return None
    if branch:
        if all(prefix.__class__ is str and prefix.startswith("/") for prefix in prefixes):
            return (checked,), _LEADING_SLASH_MARKS
        return None
    if "//" in prefixes:
        return (checked,), frozenset({RELATIVE_NO_DOUBLE_SLASH, RELATIVE_NO_TRIPLE_SLASH})
    if "///" in prefixes:
        return (checked,), frozenset({RELATIVE_NO_TRIPLE_SLASH})
    return None


def _relative_path(marks: frozenset[int]) -> bool:
    """Do the parts of a relative-URL check ``marks`` holds make a same-site path (RELATIVE_PATHS)?"""
    return any(path <= marks for path in RELATIVE_PATHS)


def _enclosing_functions(unit: "FileFlow", node: ast.AST) -> list[ast.AST]:
    """The functions ``node`` (a function) is nested in, innermost first (not through a class:
    a method does not see its class's names, nor what encloses the class)."""
    found = []
    outer = _outer_functions(unit).get(id(node))
    while outer is not None:
        found.append(outer)
        outer = _outer_functions(unit).get(id(outer))
    return found


def _outer_functions(unit: "FileFlow") -> dict[int, ast.AST]:
    """id(function) -> the function it is defined in, directly (in its body, not in a class)."""
    return _function_nesting(unit)[0]


def _functions_of(unit: "FileFlow") -> dict[int, list[ast.AST]]:
    """id(function) -> the functions defined directly in it."""
    return _function_nesting(unit)[1]


def _function_nesting(unit: "FileFlow") -> tuple[dict, dict]:
    memo = unit.facts.scopes.memo
    found = memo.get("dataflow: function nesting")
    if found is None:
        outer: dict[int, ast.AST] = {}
        inner: dict[int, list[ast.AST]] = {}
        for function, ancestors in walk.collect_statements(unit.facts.scopes.tree, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parent = next((a for a in reversed(ancestors) if a.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)), None)
            if parent is not None and parent.__class__ is not ast.ClassDef:
                outer[id(function)] = parent
                inner.setdefault(id(parent), []).append(function)
        found = memo["dataflow: function nesting"] = (outer, inner)
    return found


def _membership(test: ast.expr, branch: bool, analysis: FunctionAnalysis) -> tuple[str | tuple, ast.expr] | None:
    """``x in C`` (true) / ``x not in C`` (false): (what it checks, ``C``) when ``C`` may be an
    allow-list of the server's, which its value tells (FunctionAnalysis.server_collection). Not
    when ``C`` is reached through the instance (``self.allowed``, ``self.hosts()``) or a class of
    this file (``PingView.allowed``): what the class's methods add to it is not followed, and
    ``_class_allow_list`` judges such attributes by their binding."""
    if test.__class__ is not ast.Compare or len(test.ops) != 1 or test.ops[0].__class__ is not (ast.In if branch else ast.NotIn):
        return None
    checked = _checked_path(test.left)
    if checked is None:
        return None
    collection = test.comparators[0]
    root, first = collection, None
    while root.__class__ in (ast.Attribute, ast.Subscript, ast.Call):
        if root.__class__ is ast.Attribute:
            first = root.attr
        root = root.func if root.__class__ is ast.Call else root.value  # type: ignore[attr-defined]
    if root.__class__ is _NAME:
        unit = analysis.unit
        if root.id in ("self", "cls", analysis.self_name):
            owner = unit.class_of_method.get(id(analysis.node))
        else:
            owner = analysis.resolved_name(root)
            owner = owner if owner is None or "." in owner else f"{unit.module_name}.{owner}"
            owner = owner if owner is not None and unit.class_node(owner) is not None else None
            if owner is None:
                return checked, collection
        if owner is None or first is None or _family_attribute(owner, first, analysis):
            return None
    return checked, collection


def _family_attribute(owner: str, attribute: str, analysis: FunctionAnalysis) -> bool:
    """May ``attribute`` of an instance of the class ``owner`` (of this file) be one its classes
    make: bound in the body of the class, of a base or of a subclass here, or changed by one of
    their methods (``self.allowed.add(x)``, ``self.allowed = ...``)? Or may a base of the project in
    another file (whose body is not seen here) make it? (Not: an attribute a library base makes,
    ``self.appbuilder`` of a Flask-AppBuilder view, or one SQLAlchemy makes, ``User.__table__``.)"""
    unit = analysis.unit
    family = {name for name in unit.class_bases if owner in unit._class_and_bases(name)} | set(unit._class_and_bases(owner))
    for name in family:
        bound = _class_body_bindings(unit.class_node(name), attribute)
        if bound or (bound is None and analysis.is_project_class(name)):
            return True
    lines = unit.parsed.lines
    nodes = [unit.class_node(name) for name in sorted(family)]
    return _changes("\n".join("\n".join(lines[n.lineno - 1:n.end_lineno]) for n in nodes if n is not None), attribute)


def _checked_path(node: ast.expr) -> str | tuple | None:
    """What a check of ``node`` can prove: a name, an attribute path of one (``args.host``) or a
    string key of one (``data["host"]``, as ``("data", "host")``)."""
    kind = node.__class__
    if kind is ast.Name:
        return node.id
    if kind is ast.Attribute:
        return _dotted(node)
    if (kind is ast.Subscript and node.value.__class__ is ast.Name and node.slice.__class__ is ast.Constant
            and node.slice.value.__class__ is str):
        return (node.value.id, node.slice.value)
    return None


_NO_RETURN_METHOD_NAMES = frozenset().union(*NO_RETURN_METHODS.values())


def _exits_through_instance(call: ast.Call, analysis: FunctionAnalysis) -> bool:
    """``parser.error("...")`` where ``parser`` is bound (in this function, else in the module)
    only to calls of a class whose method never returns (NO_RETURN_METHODS)."""
    func = call.func
    if (func.__class__ is not ast.Attribute or func.attr not in _NO_RETURN_METHOD_NAMES or func.value.__class__ is not ast.Name
            or not analysis.unit.imports_parsers):
        return False
    scopes = analysis.unit.facts.scopes
    collected = scopes.binder(func.value.id, [scopes.tree] if analysis.node is scopes.tree else [scopes.tree, analysis.node])
    if collected is None or func.value.id in collected.escaped:
        return False
    bindings = collected.bindings[func.value.id]
    return all(b.__class__ is ast.Call and func.attr in NO_RETURN_METHODS.get(analysis.resolved_name(b.func), ()) for b in bindings)


_OPTION_CWES = frozenset({88})


def _option_guarded(test: ast.Call) -> str | tuple | None:
    """``x.startswith("-")`` (also with a tuple of prefixes holding "-"): where it is false, ``x``
    (a name, an attribute path or a constant key: see ``_checked_path``) does not begin with "-",
    so it is no option (CWE-88) -- and nothing more. (``startswith("--")`` lets "-x" through.)"""
    func = test.func
    if func.__class__ is not ast.Attribute or func.attr != "startswith" or len(test.args) != 1 or test.keywords:
        return None
    prefix = test.args[0]
    prefixes = prefix.elts if prefix.__class__ is ast.Tuple else (prefix,)
    if not any(p.__class__ is ast.Constant and p.value == "-" for p in prefixes):
        return None
    return _checked_path(func.value)


def _root_name(node: ast.expr) -> str | None:
    """``args`` of ``args.opts.host``."""
    while node.__class__ is ast.Attribute:
        node = node.value
    return node.id if node.__class__ is _NAME else None


def _checked_node(test: ast.expr) -> ast.expr | None:
    """The expression ``_validated_name`` found checked in ``test``."""
    if test.__class__ is ast.Compare:
        return test.left
    if test.__class__ is ast.Call and test.func.__class__ is ast.Attribute:
        return test.func.value
    return None


def _helper_check(test: ast.Call, analysis: FunctionAnalysis) -> tuple[str, frozenset[int]] | None:
    """``if not is_known(name): abort(400)`` with the file's own ``def is_known(user): return user in
    ALLOWED`` (a single return of such a check on a parameter): the argument given for it."""
    func = test.func
    if not isinstance(func, ast.Name) or test.keywords:
        return None
    position = _checking_helpers(analysis.unit).get(func.id)
    if position is None or position >= len(test.args) or not isinstance(test.args[position], ast.Name):
        return None
    scopes = analysis.unit.facts.scopes
    if analysis.node is not scopes.tree and func.id in scopes.collector(analysis.node).bindings:
        return None  # a local of that name
    return test.args[position].id, frozenset()


def _summary_check(test: ast.Call, analysis: FunctionAnalysis,
                   checks: tuple[tuple[int, frozenset[int]], ...] | None = None) -> tuple[str, frozenset[int]] | None:
    """``if is_safe_redirect(target):`` where the function called (of this file or another, see
    FunctionSummary.checks) returns a check of its parameter: the argument given for it, a name,
    and the CWEs the check proves (the first such parameter's). ``checks``: those of another
    part of the result (``first_checks``) instead."""
    summary = analysis.check_calls.get(id(test)) if checks is None else analysis.first_check_calls.get(id(test))
    if summary is None:
        return None
    offset = 1 if summary.is_method and test.func.__class__ is ast.Attribute else 0
    for index, cwes in summary.checks if checks is None else checks:
        argument = _placed(test, (index - offset if index >= offset else None, summary.params[index]))
        if argument.__class__ is _NAME:
            return argument.id, cwes
        read = _request_read(argument, analysis) if argument.__class__ in (ast.Call, ast.Subscript) else None
        if read is not None:  # ``if is_safe_redirect(request.args.get("next")):``
            return read, cwes
        found = _normalized_argument(argument, cwes, analysis) if argument.__class__ is ast.Call else None
        if found is not None:
            return found
    return None


def _normalized_argument(argument: ast.Call, cwes: frozenset[int], analysis: FunctionAnalysis) -> tuple[str, frozenset[int]] | None:
    """``is_safe_url(target.strip())`` true: ``target`` is safe as a redirect target (see
    url_normalization.py) if the check proves that much."""
    found = normalized_name(argument, analysis)
    redirect = _redirect_part(cwes) if found is not None else None
    return (found.name, redirect) if redirect else None  # type: ignore[union-attr]


def _checking_helpers(unit: "FileFlow") -> dict[str, int]:
    """Module-level functions of the file (bound once, undecorated) whose body returns an allow-list
    check of a parameter: name -> that parameter's position."""
    scopes = unit.facts.scopes
    found = scopes.memo.get("dataflow: checking helpers")
    if found is None:
        found = scopes.memo["dataflow: checking helpers"] = {}
        bindings = scopes.collector(scopes.tree).bindings
        for node in scopes.tree.body:
            if not isinstance(node, ast.FunctionDef) or node.decorator_list or len(bindings.get(node.name, ())) != 1:
                continue
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
                continue
            checked = _validated_name(body[0].value, unit, True)
            parameters = [arg.arg for arg in (*node.args.posonlyargs, *node.args.args)]
            if checked in parameters:
                found[node.name] = parameters.index(checked)
    return found


def _routed(value: Taint, routed: dict[str, frozenset[int]], keywords: bool, name: str = "") -> Taint:
    """A Django view's parameter ``name`` (or, ``keywords``, its ``**kwargs``/``self.kwargs``)
    given what its routes convert (see routes.py): a number is clean; a slug or a value of a
    pattern of word characters is still untrusted for what its characters allow; a parameter a
    route does not convert stays ``value``."""
    if not keywords:
        return _converted_value(value, routed[name]) if name in routed else value
    items = [(key, _converted_value(value, routed[key])) for key in sorted(routed)]
    return Taint(frozenset(), (*items, (OTHER_KEYS, value)))


def _converted_value(value: Taint, allowed: frozenset[int]) -> Taint:
    return value.proved(_rule_cwes() - allowed) if allowed else PROVEN


def _checked_by_pattern(value: Taint, pattern: str) -> Taint:
    """A framework parameter checked against ``pattern`` (search semantics) before the handler
    runs: what a regex check with that pattern proves (see ``_pattern_proves``)."""
    proved = _pattern_proves(pattern, 0, "search")
    if proved is _NOT_A_CHECK:
        return value
    return value.proved(proved) if proved else PROVEN


# ---- substitutions that keep only a class of characters ---------------------------------------
_SUBSTITUTION_CALLS = frozenset({"re.sub", "regex.sub"})


def _kept_by_substitution(call: ast.Call, analysis: FunctionAnalysis) -> Any:
    """``re.sub(r"[^a-z0-9_-]+", "", x)`` (also ``PATTERN.sub(R, x)``, PATTERN bound once to
    ``re.compile(P)``): every character outside the class is replaced, so the result holds only
    the class's characters and the replacement's: the CWEs that makes it safe for (see
    ``_characters_prove``; empty: all), or None -- not such a substitution (a pattern that is not a
    single negated class, a replacement that is not a constant string, a ``count`` that leaves
    characters in place, a class that keeps ``/`` and ``.``, which can make ``../``...)."""
    func = call.func
    if analysis.resolved_name(func) in _SUBSTITUTION_CALLS:
        pattern_node, replacement, subject, count = _call_arguments(call, ("pattern", "repl", "string", "count"))
        flags_node = next((k.value for k in call.keywords if k.arg == "flags"), call.args[4] if len(call.args) > 4 else None)
        pattern = analysis.fold(pattern_node) if pattern_node is not None else NOTHING
        flags = _regex_flags(flags_node, analysis)
    elif func.__class__ is ast.Attribute:
        replacement, subject, count, _ = _call_arguments(call, ("repl", "string", "count"))
        pattern, flags = _compiled_pattern(func.value, analysis)
    else:
        return None
    if subject is None or (count is not None and analysis.fold(count) != 0):
        return None  # (``count=1``: only the first run of other characters goes)
    repl = analysis.fold(replacement) if replacement is not None else NOTHING
    if pattern.__class__ is bytes and repl.__class__ is bytes:
        pattern, repl = pattern.decode("latin-1"), repl.decode("latin-1")
    if pattern.__class__ is not str or repl.__class__ is not str or "\\" in repl or flags is NOTHING:
        return None  # (a group reference puts matched text back)
    kept = _negated_class_kept(pattern, flags)
    if kept is None:
        return None
    admitted = frozenset(c for c in _PROBES if c in kept[0] or c in repl)
    leading = frozenset(c for c in _LEADING_PROBES if c in admitted)
    proved = _characters_prove(admitted, kept[1], "." in admitted, leading=leading)
    return None if proved is _NOT_A_CHECK else proved


@functools.lru_cache(maxsize=256)
def _negated_class_kept(pattern: str, flags: int) -> tuple[frozenset[str], bool] | None:
    """(the probe characters a pattern that is one negated class -- ``[^...]``, repeated or not,
    in a group or not -- leaves in place, whether it leaves any character), or None for another
    pattern."""
    try:
        from re import _parser  # (Python >= 3.11)

        items = list(_parser.parse(pattern, flags))
        while len(items) == 1 and items[0][0].name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT", "SUBPATTERN"):
            op, argument = items[0]
            if op.name != "SUBPATTERN" and argument[0] < 1:
                return None  # (``[^a-z]*`` also matches the empty string between characters: harmless, but unusual)
            items = list(argument[-1])
        if len(items) != 1 or items[0][0].name != "IN":
            return None
        members = list(items[0][1])
        if not members or members[0][0].name != "NEGATE":
            return None
        state = {"any": False, "probes": _PROBES}
        kept = _class_admits(members[1:], state)  # (a ``\S`` or ``\W`` in it keeps nearly anything: ``any``)
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: not known
        return None
    return frozenset(kept), state["any"]


# ---- regular-expression checks (see PATTERN_OPEN_CHARACTERS) ----------------------------------
_MATCH_FUNCTIONS = frozenset({"fullmatch", "match", "search"})
_REGEX_MODULES = frozenset({"re", "regex"})
_NOT_A_CHECK: Any = object()  # a match that proves nothing


def _regex_check(test: ast.expr, analysis: FunctionAnalysis) -> tuple[str, frozenset[int]] | None:
    """``re.fullmatch(P, x)``, ``re.match(P, x)`` / ``re.search(P, x)`` with P anchored at its ends,
    ``PATTERN.fullmatch(x)`` (PATTERN bound once to ``re.compile(P)``): (x, the CWEs a match makes x
    safe for; empty: all) when true, None when it proves nothing. A ``fullmatch`` whose pattern is
    not known is taken as a full check (it usually is one); ``match``/``search`` only with a known
    pattern (they may match a prefix)."""
    if not isinstance(test, ast.Call):
        return None
    func = test.func
    kind = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if kind not in _MATCH_FUNCTIONS:
        return None
    name = analysis.resolved_name(func)
    module = name.rsplit(".", 1)[0] if name and "." in name else None
    if module in _REGEX_MODULES:  # ``re.match(P, x, flags)``
        pattern_node, subject, flags_node, _ = _call_arguments(test, ("pattern", "string", "flags"))
        pattern = analysis.fold(pattern_node) if pattern_node is not None else NOTHING
        flags = _regex_flags(flags_node, analysis)
    elif isinstance(func, ast.Attribute):  # ``PATTERN.match(x)``
        subject, pos, endpos, _ = _call_arguments(test, ("string", "pos", "endpos"))
        if pos is not None or endpos is not None:
            return None  # ``P.match(x, 2)``: part of x is not checked
        pattern, flags = _compiled_pattern(func.value, analysis)
    else:
        return None
    if not isinstance(subject, ast.Name):
        return None
    if isinstance(pattern, bytes):
        pattern = pattern.decode("latin-1")
    if not isinstance(pattern, str) or flags is NOTHING:
        return (subject.id, frozenset()) if kind == "fullmatch" else None
    proved = _pattern_proves(pattern, flags, kind)
    return None if proved is _NOT_A_CHECK else (subject.id, proved)


def _call_arguments(call: ast.Call, names: tuple[str, ...]) -> list:
    """The call's arguments in the order of ``names`` (positional, then by keyword; None when
    missing)."""
    found = list(call.args[: len(names)]) + [None] * max(0, len(names) - len(call.args))
    for keyword in call.keywords:
        if keyword.arg in names:
            found[names.index(keyword.arg)] = keyword.value
    return found + [None] * (4 - len(found))


def _regex_flags(node: ast.expr | None, analysis: FunctionAnalysis) -> Any:
    """The value of a flags argument (``re.I | re.M``, ``0``); NOTHING when not known."""
    if node is None:
        return 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _regex_flags(node.left, analysis), _regex_flags(node.right, analysis)
        return NOTHING if left is NOTHING or right is NOTHING else left | right
    name = analysis.resolved_name(node)
    if name and name.rsplit(".", 1)[0] in _REGEX_MODULES:
        value = getattr(re, name.rsplit(".", 1)[1], None)
        return int(value) if isinstance(value, re.RegexFlag) else NOTHING
    value = analysis.fold(node)
    return value if isinstance(value, int) else NOTHING


def _compiled_pattern(receiver: ast.expr, analysis: FunctionAnalysis) -> tuple[Any, Any]:
    """(pattern, flags) of a name bound once, in this function or the module, to
    ``re.compile(P, flags)``; NOTHING when not known."""
    if not isinstance(receiver, ast.Name):
        return NOTHING, NOTHING
    scopes = analysis.unit.facts.scopes
    chain = [scopes.tree] if analysis.node is scopes.tree else [scopes.tree, analysis.node]
    bound = scopes.bindings_of(receiver.id, chain)
    if not bound or len(bound) != 1 or not isinstance(bound[0], ast.Call):
        return NOTHING, NOTHING
    call = bound[0]
    name = analysis.resolved_name(call.func)
    if name not in ("re.compile", "regex.compile"):
        return NOTHING, NOTHING
    pattern_node, flags_node, _, _ = _call_arguments(call, ("pattern", "flags"))
    pattern = fold(pattern_node, {}, analysis.unit.module_constants) if pattern_node is not None else NOTHING
    return pattern, _regex_flags(flags_node, analysis)


def _pattern_proves(pattern: str, flags: int, kind: str) -> Any:
    """What a match of ``pattern`` (by ``re.<kind>``) proves: the CWEs it makes the subject safe
    for (empty: all), or _NOT_A_CHECK."""
    facts = _pattern_facts(pattern, flags)
    if facts is None:  # a pattern we cannot read: a fullmatch counts as a check, as before
        return frozenset() if kind == "fullmatch" else _NOT_A_CHECK
    starts, ends, characters, leading = facts
    if kind != "fullmatch" and (not ends or (kind == "search" and not starts)):
        return _NOT_A_CHECK  # only a prefix (or any part) of the value was matched
    # (``$`` also matches before a final line break: harmless, nothing can follow it.)
    return _characters_prove(*characters, leading=leading)


def _characters_prove(admitted: frozenset[str], any_character: bool, repeated_dot: bool,
                      leading: frozenset[str] = frozenset()) -> Any:
    """What a value made only of these characters (and beginning with one of ``leading``, among
    PATTERN_LEADING_OPEN_CHARACTERS' characters) is safe for (see PATTERN_OPEN_CHARACTERS)."""
    if any_character:
        return _NOT_A_CHECK  # ``.{1,200}``: a length check
    open_cwes = frozenset().union(*(cwes for cwes, characters in PATTERN_OPEN_CHARACTERS.items() if admitted & set(characters)))
    open_cwes |= frozenset().union(*(cwes for cwes, characters in PATTERN_LEADING_OPEN_CHARACTERS.items() if leading & set(characters)))
    if repeated_dot and admitted & set(PATH_SEPARATORS):
        open_cwes |= PATH_CWES
    if not open_cwes:
        return frozenset()
    return (_rule_cwes() - open_cwes) or _NOT_A_CHECK


@functools.cache
def _rule_cwes() -> frozenset[int]:
    """The CWEs the rules ask the engine about: what "safe for all but these" is made of."""
    from secreview.rules import all_rules  # (lazily: the rules import the engine)

    return frozenset(rule.cwe for rule in all_rules().values() if rule.cwe)


@functools.lru_cache(maxsize=512)
def _pattern_facts(pattern: str, flags: int) -> tuple | None:
    """(anchored at the start, anchored at the end, ``_pattern_characters``, the leading probes
    a match may begin with); None when the pattern cannot be read. Read with the re module's own
    parser."""
    try:
        from re import _parser  # (Python >= 3.11)

        tree = _parser.parse(pattern, flags)
        parsed, multiline = list(tree), bool(tree.state.flags & re.MULTILINE)
        characters = _pattern_characters(parsed)
        leading = frozenset(c for c in _LEADING_PROBES if _may_begin_with(parsed, ord(c))[0])
    except Exception:  # noqa: BLE001 - an invalid or unusual pattern: not known
        return None
    return _anchored(parsed, 0, multiline), _anchored(parsed, -1, multiline), characters, leading


_LEADING_PROBES = frozenset("".join(PATTERN_LEADING_OPEN_CHARACTERS.values()))


def _may_begin_with(items: list, code: int) -> tuple[bool, bool]:
    """(may a match of ``items`` begin with the character ``code``, may it be empty). When not
    sure (a back reference, an unusual construct): it may."""
    for op, argument in items:
        op = op.name
        if op in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # (anchors and lookarounds consume nothing)
        if op == "LITERAL":
            return argument == code, False
        if op == "NOT_LITERAL":
            return argument != code, False
        if op == "ANY":
            return True, False
        if op == "IN":
            negated = bool(argument) and argument[0][0].name == "NEGATE"  # ``[^-]``: all but what it lists
            state = {"any": False, "probes": frozenset({chr(code)})}
            listed = bool(_class_admits(argument[1:] if negated else argument, state))
            return (not listed if negated and not state["any"] else listed or state["any"]), False
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, _, body = argument
            begins, empty = _may_begin_with(list(body), code)
            if begins:
                return True, False
            if least > 0 and not empty:
                return False, False
        elif op in ("SUBPATTERN", "ATOMIC_GROUP"):
            begins, empty = _may_begin_with(list(argument[-1] if op == "SUBPATTERN" else argument), code)
            if begins:
                return True, False
            if not empty:
                return False, False
        elif op == "BRANCH":
            results = [_may_begin_with(list(alternative), code) for alternative in argument[1]]
            if any(begins for begins, _ in results):
                return True, False
            if not any(empty for _, empty in results):
                return False, False
        else:
            return True, False
    return False, True


def _anchored(items: list, position: int, multiline: bool) -> bool:
    r"""Is the pattern anchored at its start (position 0: ``\A``, ``^`` without MULTILINE) or end
    (-1: ``\Z``, ``$`` without MULTILINE)?"""
    if not items:
        return False
    op, argument = items[position]
    op = op.name
    if op == "AT":
        at = argument.name
        edges = ("AT_BEGINNING_STRING", "AT_BEGINNING") if position == 0 else ("AT_END_STRING", "AT_END")
        return at == edges[0] or (at == edges[1] and not multiline)
    if op == "SUBPATTERN":
        return _anchored(list(argument[-1]), position, multiline)
    if op == "BRANCH":
        return all(_anchored(list(alternative), position, multiline) for alternative in argument[1])
    return False


# The characters PATTERN_OPEN_CHARACTERS and PATH_SEPARATORS care about, and ``.``.
_PROBES = frozenset("".join(PATTERN_OPEN_CHARACTERS.values()) + PATH_SEPARATORS + ".")
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s", "CATEGORY_LINEBREAK": "\n"}


def _pattern_characters(parsed: list, probes: frozenset[str] = _PROBES) -> tuple[frozenset[str], bool, bool]:
    """(the ``probes`` the pattern admits somewhere, whether it admits any character, whether a
    repeated single character admits ``.``)."""
    admitted: set[str] = set()
    state = {"any": False, "repeated_dot": False, "probes": probes}
    _admit(parsed, admitted, state)
    return frozenset(admitted), state["any"], state["repeated_dot"]


def _admit(items: list, admitted: set[str], state: dict) -> None:
    for op, argument in items:
        op = op.name
        if op in ("ANY", "NOT_LITERAL"):
            state["any"] = True
        elif op == "LITERAL":
            admitted.update(c for c in state["probes"] if ord(c) == argument)
        elif op == "IN":
            admitted.update(_class_admits(argument, state))
        elif op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _, most, body = argument
            inner: set[str] = set()
            _admit(list(body), inner, state)
            if most > 1 and len(body) == 1 and "." in inner:
                state["repeated_dot"] = True  # ``[\w.]+`` matches ``..``
            admitted |= inner
        elif op == "SUBPATTERN":
            _admit(list(argument[-1]), admitted, state)
        elif op == "ATOMIC_GROUP":
            _admit(list(argument), admitted, state)
        elif op == "BRANCH":
            for alternative in argument[1]:
                _admit(list(alternative), admitted, state)
        elif op == "GROUPREF_EXISTS":
            for alternative in argument[1:]:
                if alternative is not None:
                    _admit(list(alternative), admitted, state)
        elif op not in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF"):  # (lookarounds consume nothing)
            raise ValueError(op)


def _class_admits(items: list, state: dict) -> set[str]:
    r"""The probe characters a ``[...]`` class admits (all, for a negated class or ``\S``)."""
    admitted: set[str] = set()
    for op, argument in items:
        op = op.name
        if op == "NEGATE" or (op == "CATEGORY" and "NOT" in argument.name):
            state["any"] = True
        elif op == "LITERAL":
            admitted.update(c for c in state["probes"] if ord(c) == argument)
        elif op == "RANGE":
            admitted.update(c for c in state["probes"] if argument[0] <= ord(c) <= argument[1])
        elif op == "CATEGORY":
            category = _CATEGORIES[argument.name]
            admitted.update(c for c in state["probes"] if re.fullmatch(category, c))
        else:
            raise ValueError(op)
    return admitted


def _may_be_match(node: ast.expr, analysis: FunctionAnalysis) -> bool:
    """A regular-expression match (a match object or None): a match call, or a name bound to one
    that ``refine`` knows as a check."""
    if isinstance(node, ast.Name):
        return node.id in analysis.checks
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, (ast.Attribute, ast.Name)) and (func.attr if isinstance(func, ast.Attribute) else func.id) in _MATCH_FUNCTIONS


def _resolves_path(value: ast.Call, analysis: FunctionAnalysis) -> bool:
    """Is ``value`` (a call) an absolute path without ``..`` (``os.path.realpath(p)``,
    ``Path(p).resolve()``, also as ``str(...)``)? (Asked of every assignment of a call.)"""
    func = value.func
    if func.__class__ is ast.Attribute and func.attr in RESOLVING_METHODS:
        return True
    name = analysis.resolved_name(func)
    if name in RESOLVING_CALLS:
        return True
    if name in _PATH_TEXT_CALLS and len(value.args) == 1 and value.args[0].__class__ is ast.Call:
        return _resolves_path(value.args[0], analysis)
    return False


_PATH_TEXT_CALLS = frozenset({"str", "os.fspath"})


def _contained_paths(test: ast.expr, analysis: FunctionAnalysis, branch: bool) -> tuple:
    """What ``test`` proves inside a directory when it is ``branch``: the names, each with whether the test
    resolves the path itself (``(BASE / name).resolve().is_relative_to(BASE)``: ``name``) or the
    name must hold a resolved path (``path.is_relative_to(BASE)``, ``path.startswith(BASE)``,
    ``os.path.commonpath([BASE, path]) == BASE``, or ``!=`` false; pathlib's ancestors: ``BASE in
    path.parents``, ``path.parent == BASE``); and the names the directory is made of (it
    proves nothing when they are untrusted). () when it is no such check."""
    cls = test.__class__
    if cls is ast.Call:
        func = test.func
        if not (branch and func.__class__ is ast.Attribute and func.attr in CONTAINMENT_METHODS and test.args):
            return ()
        paths, base = [func.value], test.args[0]
    elif cls is ast.Compare:
        if len(test.ops) != 1:
            return ()
        found = _common_path_check(test, analysis, branch) or _ancestor_check(test, branch)
        if found is None:
            return ()
        paths, base = found
    else:
        return ()
    return _contained_in(paths, base, analysis)


def _contained_in(paths: list[ast.expr] | ast.expr, base: ast.expr, analysis: FunctionAnalysis) -> tuple:
    """``_contained_paths`` of a check that ``paths`` (one or more expressions) are inside ``base``."""
    if _root_directory(base, analysis):
        return ()  # every absolute path starts with "/", has it among its parents: that proves nothing
    if not isinstance(paths, list):
        paths = [paths]
    names = tuple(found for path in paths for found in _contained_paths_in(path, analysis))
    return (names, tuple(node.id for node in ast.walk(base) if isinstance(node, ast.Name))) if names else ()


def _common_path_check(test: ast.Compare, analysis: FunctionAnalysis, branch: bool) -> tuple[list[ast.expr], ast.expr] | None:
    """``os.path.commonpath([BASE, path]) == BASE`` (``!=`` false): (the paths, the directory)."""
    left = test.left
    if (left.__class__ is ast.Call and test.ops[0].__class__ is (ast.Eq if branch else ast.NotEq)
            and len(left.args) == 1 and left.args[0].__class__ in (ast.List, ast.Tuple)
            and analysis.resolved_name(left.func) in COMMON_PATH_CALLS):
        return left.args[0].elts, test.comparators[0]
    return None


def _ancestor_check(test: ast.Compare, branch: bool) -> tuple[list[ast.expr], ast.expr] | None:
    """``BASE in path.parents`` (``not in`` false), ``path.parent == BASE`` (either side; ``!=``
    false): (the paths, the directory). pathlib computes ancestors from the text, so
    ``Path("/srv/media/../../etc").parents`` holds ``/srv/media``: proof only of a resolved path."""
    op, left, right = test.ops[0].__class__, test.left, test.comparators[0]
    if op is (ast.In if branch else ast.NotIn):
        if right.__class__ is ast.Attribute and right.attr == "parents":
            return [right.value], left
    elif op is (ast.Eq if branch else ast.NotEq):
        if left.__class__ is ast.Attribute and left.attr == "parent":
            return [left.value], right
        if right.__class__ is ast.Attribute and right.attr == "parent":
            return [right.value], left
    return None


def _root_directory(base: ast.expr, analysis: FunctionAnalysis) -> bool:
    """Is ``base`` the file system's root (``"/"``, ``Path("/")``) or empty?"""
    if base.__class__ is ast.Call and len(base.args) == 1 and not base.keywords and analysis.resolved_name(base.func) in _PATH_CLASSES:
        base = base.args[0]
    return isinstance(base, ast.Constant) and base.value in ("", "/", "\\", b"", b"/")


def _relative_name_checked(value: Taint) -> Taint:
    """``value`` once both parts of a relative-name check hold for every flow of it: a name that
    stays inside the directory it is joined to (see RELATIVE_NAME_MARKS)."""
    origins = value.whole().origins
    if not origins or not all(RELATIVE_NAME_MARKS <= origin.sanitized for origin in origins):
        return value
    return value.proved(PATH_CWES)


def _keep_still_proven(known: dict[str, Taint], now: Mapping[str, Taint]) -> None:
    """Keep in ``known`` (names proven at the returns seen so far) those still proven joined with
    their value at one more return, ``now``."""
    for name, proven in list(known.items()):
        joined = join(proven, now.get(name))
        if joined.__class__ is Proven:
            known[name] = joined
        else:
            del known[name]


def _relative_name_part(test: ast.expr, analysis: FunctionAnalysis, branch: bool) -> tuple[str, frozenset[int]] | None:
    """A part of a relative-name check (see RELATIVE_NAME_MARKS in models.sanitizers) that
    ``test`` proves where it is ``branch``: (the name it holds for, the mark). Not absolute:
    ``os.path.isabs(name)``, ``name.startswith("/")``, ``Path(name).is_absolute()`` or ``"/" in
    name`` false. No ``..`` component: ``".." in name`` (``in name.split("/")``, ``in
    Path(name).parts``) false, or ``any(part == ".." for part in name.split("/"))`` (``part in
    ("", "..")``) false."""
    kind = test.__class__
    if kind is ast.Compare:
        if len(test.ops) != 1 or test.ops[0].__class__ is not (ast.NotIn if branch else ast.In) or test.left.__class__ is not _CONSTANT:
            return None
        if test.left.value == "/":
            checked = test.comparators[0]
            return (checked.id, _NOT_ABSOLUTE) if checked.__class__ is _NAME else None
        name = _parents_checked(test, analysis)
        return (name, _NO_PARENT) if name is not None else None
    if kind is not ast.Call or branch:
        return None
    name = _absolute_checked(test, analysis)
    if name is not None:
        return name, _NOT_ABSOLUTE
    name = _parent_part_found(test, analysis)
    return (name, _NO_PARENT) if name is not None else None


_NOT_ABSOLUTE, _NO_PARENT = frozenset({PATH_NOT_ABSOLUTE}), frozenset({PATH_NO_PARENT})


def _parent_part_found(call: ast.Call, analysis: FunctionAnalysis) -> str | None:
    """``x`` of ``any(part == ".." for part in x.split("/"))`` (``".." == part``, ``part in
    ("", ".", "..")``; over ``x.parts``, ``Path(x).parts``): false, no component of ``x`` is ``..``."""
    if not (call.func.__class__ is _NAME and call.func.id == "any" and len(call.args) == 1 and not call.keywords
            and call.args[0].__class__ is ast.GeneratorExp and analysis.resolved_name(call.func) == "any"):
        return None
    generator = call.args[0]
    if len(generator.generators) != 1:
        return None
    loop = generator.generators[0]
    if loop.ifs or loop.is_async or loop.target.__class__ is not _NAME:
        return None
    part, test = loop.target.id, generator.elt
    if not (test.__class__ is ast.Compare and len(test.ops) == 1):
        return None
    op, left, right = test.ops[0].__class__, test.left, test.comparators[0]
    if op is ast.Eq:
        if not ((_named_part(left, part) and _constant_parent(right)) or (_named_part(right, part) and _constant_parent(left))):
            return None
    elif op is ast.In:
        if not (_named_part(left, part) and right.__class__ in (ast.Tuple, ast.List, ast.Set)
                and any(_constant_parent(element) for element in right.elts)):
            return None
    else:
        return None
    return _parts_of(loop.iter, analysis)


def _named_part(node: ast.expr, part: str) -> bool:
    return node.__class__ is _NAME and node.id == part


def _constant_parent(node: ast.expr) -> bool:
    return node.__class__ is _CONSTANT and node.value == ".."


_ROOT_STRIPPING_METHODS = frozenset({"lstrip", "strip"})
_NORMALIZING_CALLS = frozenset({"os.path.normpath", "posixpath.normpath"})
_PATH_JOIN_CALLS = frozenset({"os.path.join", "posixpath.join"})


def _relative_normalized(call: ast.Call, analysis: FunctionAnalysis) -> bool:
    """``posixpath.normpath("/" + path).lstrip("/")``: normalising a path that begins at "/"
    removes every ``..`` (there is nothing above the root to climb to), and taking the leading
    slashes away leaves a relative path: joined to a directory, it stays inside (POSIX paths).
    (The normalised path alone is absolute: ``os.path.join(root, "/etc/passwd")`` leaves root.)"""
    if len(call.args) != 1 or call.keywords:
        return False
    chars = analysis.fold(call.args[0])
    if chars.__class__ is not str or "/" not in chars:
        return False
    normalized = call.func.value  # type: ignore[attr-defined]
    if len(normalized.args) != 1 or normalized.keywords or analysis.resolved_name(normalized.func) not in _NORMALIZING_CALLS:
        return False
    return _rooted(normalized.args[0], analysis)


def _rooted(path: ast.expr, analysis: FunctionAnalysis) -> bool:
    """Does ``path`` surely begin with "/": ``"/" + x``, ``f"/{x}"``, ``"/%s" % x``,
    ``os.path.join("/", x)`` (a constant beginning with "/" first)?"""
    kind = path.__class__
    if kind is ast.BinOp and path.op.__class__ in (ast.Add, ast.Mod):
        first = path.left
        if path.op.__class__ is ast.Add:
            while first.__class__ is ast.BinOp and first.op.__class__ is ast.Add:
                first = first.left
        return _rooted(first, analysis)
    if kind is ast.JoinedStr:
        return bool(path.values) and _rooted(path.values[0], analysis)
    if kind is ast.Call:
        return (bool(path.args) and not path.keywords and analysis.resolved_name(path.func) in _PATH_JOIN_CALLS
                and _rooted(path.args[0], analysis))
    value = analysis.fold(path)
    return value.__class__ is str and value.startswith("/")


class _Alternative(dict):
    """A state for one alternative of a test (see refine_alternatives): what the refinement sets,
    over the state it reads through."""

    __slots__ = ("base",)

    def __init__(self, base: State) -> None:
        dict.__init__(self)
        self.base = base

    def __missing__(self, key):
        return self.base[key]

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key, default=None):
        return dict.get(self, key) or self.base.get(key, default)


def _falsy_name(test: ast.expr, branch: bool) -> str | None:
    """The name ``test`` being ``branch`` shows falsy (or None): ``x`` false, ``not x`` true,
    ``x is None`` true, ``x is not None`` false."""
    while test.__class__ is ast.UnaryOp and test.op.__class__ is ast.Not:
        test, branch = test.operand, not branch
    if test.__class__ is _NAME:
        return None if branch else test.id
    if (test.__class__ is ast.Compare and len(test.ops) == 1 and test.left.__class__ is _NAME
            and test.ops[0].__class__ is (ast.Is if branch else ast.IsNot)
            and test.comparators[0].__class__ is _CONSTANT and test.comparators[0].value is None):
        return test.left.id
    return None


def _parents_checked(test: ast.Compare, analysis: FunctionAnalysis) -> str | None:
    """``x`` of ``".." in x``, ``".." in x.split("/")``, ``".." in Path(x).parts`` (``not in`` too)."""
    left = test.left
    if not (left.__class__ is ast.Constant and left.value == ".."):
        return None
    return _parts_of(test.comparators[0], analysis, whole=True)


def _parts_of(container: ast.expr, analysis: FunctionAnalysis, whole: bool = False) -> str | None:
    """``x`` of ``x.split("/")``, ``x.parts``, ``Path(x).parts`` (and of ``x`` itself when
    ``whole``: ``".." in x``, a substring): what holds ``x``'s components. (``x.split()`` splits
    at blanks: ``a/../b`` is one piece.)"""
    if container.__class__ is ast.Call and container.func.__class__ is ast.Attribute and container.func.attr == "split":
        if not (len(container.args) == 1 and not container.keywords and analysis.fold(container.args[0]) == "/"):
            return None
        container = container.func.value
        whole = True
    elif container.__class__ is ast.Attribute and container.attr == "parts":
        container = container.value
        if container.__class__ is ast.Call and len(container.args) == 1 and analysis.resolved_name(container.func) in _PATH_CLASSES:
            container = container.args[0]
        whole = True
    return container.id if whole and container.__class__ is _NAME else None


_PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.PosixPath"})


def _absolute_checked(test: ast.Call, analysis: FunctionAnalysis) -> str | None:
    """``x`` of ``os.path.isabs(x)``, ``x.startswith("/")`` (or a tuple with "/"),
    ``Path(x).is_absolute()``."""
    func = test.func
    if len(test.args) == 1 and analysis.resolved_name(func) in ("os.path.isabs", "posixpath.isabs"):
        checked = test.args[0]
    elif func.__class__ is ast.Attribute and func.attr == "startswith" and len(test.args) == 1:
        prefix = test.args[0]
        prefixes = prefix.elts if prefix.__class__ is ast.Tuple else [prefix]
        if not any(p.__class__ is ast.Constant and p.value == "/" for p in prefixes):
            return None
        checked = func.value
    elif func.__class__ is ast.Attribute and func.attr == "is_absolute" and not test.args:
        checked = func.value
        if checked.__class__ is ast.Call and len(checked.args) == 1 and analysis.resolved_name(checked.func) in _PATH_CLASSES:
            checked = checked.args[0]
    else:
        return None
    return checked.id if checked.__class__ is _NAME else None


def _contained_in_untrusted_base(path: Taint, base: list[Taint]) -> Taint:
    """A resolved path checked to stay inside a directory that is itself untrusted
    (``dest = os.path.abspath(to_path)``; ``if not path.startswith(dest): raise``): what else the
    path is made of (an archive member's name, a file name from the request) cannot leave that
    directory any more, but whoever chose the directory still chose where the path points. The
    origins the directory carries (the same sources) stay as they were; the others are safe for
    paths."""
    chosen = {_source_of(origin) for value in base for origin in value.whole().origins}
    whole = path.whole()
    origins = frozenset(origin if _source_of(origin) in chosen else origin.sanitize(PATH_CWES) for origin in whole.origins)
    return Taint(origins) if origins else whole


def _source_of(origin: Origin) -> tuple:
    """Where an origin started (its kind of source, parameter and first step): the same source
    seen through different statements."""
    return (origin.description, origin.param, origin.kind, origin.steps[0] if origin.steps else None)


# Calls that give the path they are given, as text or as a pathlib path (``Path(real)``: a checked
# ``Path(real).relative_to(BASE)`` is a check of ``real``).
_SAME_PATH_CALLS = _PATH_TEXT_CALLS | {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"}


def _contained_paths_in(checked: ast.expr, analysis: FunctionAnalysis) -> list[tuple[str, bool]]:
    while (isinstance(checked, ast.Call) and len(checked.args) == 1 and not checked.keywords
           and analysis.resolved_name(checked.func) in _SAME_PATH_CALLS):
        checked = checked.args[0]
    if isinstance(checked, ast.Name):
        return [(checked.id, False)]
    if checked.__class__ is ast.Call and _resolves_path(checked, analysis):  # the names the resolved path is made of
        call = checked
        parts = call.args if not isinstance(call.func, ast.Attribute) or call.func.attr not in RESOLVING_METHODS else [call.func.value]
        return [(node.id, True) for part in parts for node in ast.walk(part) if isinstance(node, ast.Name)]
    return []


def _is_allow_list(node: ast.expr, unit: "FileFlow", analysis: FunctionAnalysis | None = None) -> bool:
    """A literal collection, a module constant, a name spelled as a constant (ALLOWED_ROLES,
    typically imported from settings), a local of the function ``analysis`` analyses, bound
    once to a literal collection and never added to (see ``_local_allow_list``), or such a class
    attribute (``self.allowed``, see ``_class_allow_list``)."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return True
    if isinstance(node, ast.Attribute):
        if node.value.__class__ is _NAME and (_class_allow_list(node, unit, analysis) or _imported_class_attribute(node, unit)):
            return True
        node = ast.Name(id=node.attr)  # settings.ALLOWED_HOSTS
    if unit.is_constant_name(node) or (isinstance(node, ast.Name) and node.id.isupper() and len(node.id) > 1):
        return True
    # (a local holding a literal now is in ``consts``: the bindings are looked at only then)
    return (analysis is not None and node.__class__ is ast.Name and node.id in analysis.consts
            and _local_allow_list(node.id, unit, analysis.node))


def _imported_class_attribute(node: ast.Attribute, unit: "FileFlow") -> bool:
    """``Article.api_filter_fields`` where ``Article`` is a class imported from another module
    (``from myapp.models import Article``, bound by nothing else here): an attribute of the class
    itself, which its body sets (its value is not seen here), as a module's constant is -- not
    data of the request. (A class of this file is looked at: ``_class_allow_list``.)"""
    name = node.value.id  # type: ignore[attr-defined]
    qualified = unit.facts.imports.aliases.get(name)
    if qualified is None or not name[:1].isupper() or name.isupper() or not qualified.rpartition(".")[2][:1].isupper():
        return False
    return unit.facts.scopes.bindings_of(name, [unit.facts.scopes.tree]) == [None]


def _local_allow_list(name: str, unit: "FileFlow", scope: ast.AST) -> bool:
    """``allowed = {"title", "created"}`` in the function ``scope``: its only binding, a literal
    collection of constants (or a module constant's), and no call in the function changes it in
    place (``allowed.add(x)``; a rebinding, ``allowed |= ...`` or ``allowed[k] = v`` is a binding)."""
    if scope.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
        return False  # (a module's names: module constants)
    collector = unit.facts.scopes.collector(scope)
    bound = collector.bindings.get(name, ())
    if len(bound) != 1 or bound[0].__class__ not in _COLLECTION_NODES or name in collector.escaped:
        return False
    if not isinstance(fold(bound[0], {}, unit.module_constants), (frozenset, tuple, list, dict)):
        return False
    return name not in _mutated_names(scope, unit)


_COLLECTION_NODES = (ast.Set, ast.List, ast.Tuple, ast.Dict, ast.Name)


def _class_allow_list(node: ast.Attribute, unit: "FileFlow", analysis: FunctionAnalysis | None) -> bool:
    """``self.allowed`` / ``cls.allowed`` in a method of a class of this file, or
    ``PingView.allowed``, where the nearest class of the chain that binds ``allowed`` in its body
    (one of this file: nothing is known of another's) binds it once, to a literal collection of
    constants (``frozenset({...})`` too), and no subclass here binds it to anything else; and the
    classes sharing that binding never change an attribute of that name (``self.allowed = ...``,
    ``x.allowed |= ...``, ``x.allowed[k] = v``, ``x.allowed.add(v)``, ``setattr(x, "allowed", v)``:
    see ``_changed_attributes``)."""
    receiver = node.value.id
    if analysis is not None and receiver in ("self", "cls", analysis.self_name):
        owner = unit.class_of_method.get(id(analysis.node))
    else:
        owner = unit.qualname(node.value)
        if owner is not None and "." not in owner:
            owner = f"{unit.module_name}.{owner}"
    if owner is None or owner not in unit.class_bases:
        return False
    memo = unit.__dict__.setdefault("_class_allow_lists", {})
    key = (owner, node.attr)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _class_binds_allow_list(owner, node.attr, unit)
    return found


def _class_binds_allow_list(owner: str, attribute: str, unit: "FileFlow") -> bool:
    """``_class_allow_list`` of the attribute ``attribute`` of the class ``owner`` of this file."""
    for name in unit._class_and_bases(owner):
        found = _class_body_bindings(unit.class_node(name), attribute)
        if found is None:
            return False  # (another file's class: what its body binds is not known here)
        if found:
            break
    else:
        return False
    if len(found) != 1 or not _literal_collection(found[0], unit):
        return False
    # The classes sharing that binding: the class that binds it and those deriving from it here.
    family = {other for other in unit.class_bases if name in unit._class_and_bases(other)}
    if _changes(_family_text(unit, name, family), attribute):
        return False
    for other in family:  # a subclass binding it to something else (``self`` may be one's)
        if other != owner and owner in unit._class_and_bases(other):
            bound = _class_body_bindings(unit.class_node(other), attribute) or ()
            if not all(_literal_collection(value, unit) for value in bound):
                return False
    return True


def _class_body_bindings(node: ast.ClassDef | None, attribute: str) -> list[ast.expr] | None:
    """The values the body of the class ``node`` binds ``attribute`` to (None: no class of this
    file; an annotation without a value or a ``def`` of that name: an unknown value)."""
    if node is None:
        return None
    found: list = []
    for statement in node.body:
        kind = statement.__class__
        if kind is ast.Assign:
            for target in statement.targets:
                if target.__class__ is _NAME:
                    if target.id == attribute:
                        found.append(statement.value)
                elif any(n.__class__ is _NAME and n.id == attribute for n in ast.walk(target)):
                    found.append(None)  # (``a, allowed = ...``)
        elif kind in (ast.AnnAssign, ast.AugAssign) and statement.target.__class__ is _NAME and statement.target.id == attribute:
            found.append(statement.value if kind is ast.AnnAssign else None)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and statement.name == attribute:
            found.append(None)
    return found


def _literal_collection(value: ast.expr | None, unit: "FileFlow") -> bool:
    """A literal set, tuple, list or dict of constants, or ``frozenset(...)`` / ``set(...)`` /
    ``tuple(...)`` of one."""
    if value.__class__ is ast.Call and value.func.__class__ is _NAME and value.func.id in ("frozenset", "set", "tuple") \
            and len(value.args) == 1 and not value.keywords:
        value = value.args[0]
    if value.__class__ not in _COLLECTION_NODES:
        return False
    return isinstance(fold(value, {}, unit.module_constants), (frozenset, tuple, list, dict))


def _family_text(unit: "FileFlow", binder: str, family: set[str]) -> str:
    """The text of the classes of ``family`` (those deriving from ``binder`` in this file, itself
    too), where ``_changes`` looks for changes of an attribute. (The rest of the file is not
    looked at: a change of a class's allow-list from outside its classes is rare.)"""
    memo = unit.__dict__.setdefault("_family_texts", {})
    found = memo.get(binder)
    if found is None:
        lines = unit.parsed.lines
        spans = [unit.class_node(name) for name in sorted(family)]
        found = memo[binder] = "\n".join("\n".join(lines[node.lineno - 1:node.end_lineno]) for node in spans)
    return found


_ASSIGNING = r"(?:[-+*/%&|^@]|//|<<|>>|\*\*)?=(?!=)"  # ``=``, ``+=``, ``|=``... (not ``==``)
_TARGETS = r"[\w. \t,*\[\]]*"  # (what a target list may hold around one target, on its line)


@functools.cache  # (compiled when first needed: most reviews never ask)
def _change_pattern() -> re.Pattern:
    """What changes an attribute (the group holding its name) on a line naming it."""
    mutating = "|".join(sorted(MUTATING_METHODS))
    return re.compile("|".join((
        # ``self.allowed = v``, ``self.allowed |= v``, ``self.allowed[k] = v``, ``self.allowed.add(v)``
        rf"\.(\w+)[ \t]*(?:{_ASSIGNING}|\[[^\]\n]*\][ \t]*{_ASSIGNING}|\.(?:{mutating})[ \t]*\()",
        rf"^[ \t]*{_TARGETS}\.(\w+)[ \t]*,{_TARGETS}{_ASSIGNING}",  # ``self.allowed, rest = v``
        r"\bdel\b[ \t]+[\w.]*\.(\w+)",  # ``del self.allowed``, ``del self.allowed[k]``
        r"setattr\([^\n]*?['\"](\w+)['\"]",  # ``setattr(self, "allowed", v)``
    )), re.MULTILINE)


def _changes(text: str, attribute: str) -> bool:
    """Does ``text`` change the attribute ``attribute`` of some object: assign it (``self.allowed =
    v``, ``+=``, in a target list, ``del``), store an item in it (``self.allowed[k] = v``), change
    it in place (``self.allowed.add(v)``) or set it with ``setattr(self, "allowed", v)``? (A text
    search of the lines naming it, far cheaper than a walk of the classes' trees; a mention in a
    comment counts.)"""
    for needle in (f".{attribute}", "setattr("):
        start = text.find(needle)
        while start >= 0:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            if any(attribute in match.groups() for match in _change_pattern().finditer(text, line_start, line_end)):
                return True
            start = text.find(needle, line_end)
    return False


def _mutated_names(scope: ast.AST, unit: "FileFlow") -> frozenset[str]:
    """The names a method changing a container in place is called on, anywhere in ``scope``
    (nested functions too): ``allowed.add(x)``, ``[allowed.update(x) for x in ...]``."""
    memo = unit.facts.scopes.memo.setdefault("dataflow: mutated names", {})  # id(scope) -> names
    found = memo.get(id(scope))
    if found is None:
        found = memo[id(scope)] = frozenset(
            node.func.value.id for node in ast.walk(scope)
            if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr in MUTATING_METHODS
            and node.func.value.__class__ is ast.Name)
    return found


_HOST_ATTRIBUTES = frozenset({"hostname", "netloc", "host"})
_PATH_EXPRESSIONS = frozenset({ast.Call, ast.BinOp})  # (whose ``.name`` may be a pathlib path's: not a name's, the commonest)
_HOST_COLLECTION_NODES = frozenset({ast.Tuple, ast.List, ast.Set, ast.Name, ast.Attribute})
_DESTINATION_CWES = frozenset({601, 918})


_URL_PARSE_CALLS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse.urlsplit"})


class _ParsedURL(NamedTuple):
    """The URL a checked host was parsed from (``urlparse(url)``, ``urlparse(urljoin(base, url))``,
    ``urlparse(url.strip())``): a check of the host proves it too, for what ``cwes`` says."""

    name: str
    joined: bool  # parsed joined to a base (``urljoin(request.host_url, url)``): "/\\evil.example" stays on it
    normalized: bool  # a normalization of it was parsed (url_normalization.py): a redirect target only
    backslashes: bool  # its backslashes were turned into slashes before (inline, or by the function)

    def cwes(self, checked: frozenset[int]) -> frozenset[int]:
        """What a check proving the host for ``checked`` proves the URL for: a normalized copy's
        check, open redirects only; a check of a URL joined to a base, which a backslash gets
        through (browsers read "/\\evil.example" as "//evil.example"), BACKSLASH_OPEN_REDIRECT instead
        of CWE-601 (reported, at medium confidence at most: see FunctionAnalysis.checked)."""
        if self.normalized:
            checked = checked & REDIRECT_CWES
        if self.joined and not self.backslashes and 601 in checked:
            checked = (checked - REDIRECT_CWES) | _BACKSLASH_OPEN
        return checked


class _HostCheck(NamedTuple):
    """What a test of a URL's host proves (see ``_allow_listed_host``)."""

    names: tuple[str, ...]  # checked as they are: the host, the parsed URL
    hosts: ast.expr | None  # the collection (or constant) of hosts; None: the request's own host
    url: _ParsedURL | None = None  # the URL the host was parsed from, if known


_BACKSLASH_OPEN = frozenset({BACKSLASH_OPEN_REDIRECT})
_NO_BACKSLASH = frozenset({RELATIVE_NO_BACKSLASH})
_SHAPE_AND_BACKSLASH_OPEN = RELATIVE_SHAPE_MARKS | _BACKSLASH_OPEN
# ``"/" + url.lstrip("/")``: a path (one slash, then no slash); ``"//" + url.lstrip("/")`` (the
# browsers' reading of ``///evil.example`` made explicit): no ``///`` at the start. What was
# proven of the beginning before is undone.
_SLASHES_BEFORE_STRIPPED = {
    "/": frozenset({RELATIVE_LEADING_SLASH, RELATIVE_NO_SCHEME, RELATIVE_NO_DOUBLE_SLASH, RELATIVE_NO_TRIPLE_SLASH}),
    "//": frozenset({RELATIVE_NO_TRIPLE_SLASH}),
}


def _slashes_stripped(node: ast.expr) -> bool:
    """``x.lstrip("/")``: a text that does not begin with a slash."""
    return (node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr == "lstrip"  # type: ignore[attr-defined]
            and len(node.args) == 1 and not node.keywords and node.args[0].__class__ is ast.Constant  # type: ignore[attr-defined]
            and node.args[0].value == "/")  # type: ignore[attr-defined]


def _backslash_ruled_out(value: Taint) -> bool:
    """Is every origin of ``value`` known to hold no backslash (``"\\" in url`` false, or its
    backslashes turned into slashes: RELATIVE_NO_BACKSLASH)? Then a same-host check of it joined
    to a base (``urljoin(request.host_url, url)``) is whole: "/\\evil.example" was what got
    through it, and that is ruled out."""
    origins = value.origins
    return bool(origins) and all(RELATIVE_NO_BACKSLASH in origin.sanitized for origin in origins)


def _redirect_part(cwes: frozenset[int]) -> frozenset[int]:
    """What a check proving a normalized copy of a URL safe for ``cwes`` (empty: everything)
    proves of the URL itself: that it is safe as a redirect target (see url_normalization.py)."""
    if not cwes or ALL_CWES <= cwes:
        return REDIRECT_CWES
    return cwes & (REDIRECT_CWES | _BACKSLASH_OPEN | RELATIVE_MARKS)


def _allow_listed_host(test: ast.expr, analysis: FunctionAnalysis, branch: bool) -> _HostCheck | None:
    """``url.hostname in ALLOWED_HOSTS`` (true) / ``not in`` (false): the parsed URL goes only to
    allowed hosts -- safe as a redirect target or a request URL; so does the string it was parsed
    from (``parsed = urlparse(url)`` in this function, or ``urlparse(url).hostname``). (The names,
    the collection of hosts: it proves nothing when that is untrusted.) Also ``url.hostname ==
    "api.example.com"`` (true) / ``!=`` (false), and ``url.startswith("https://api.example.com/")``
    (true): a constant beginning that fixes the destination (see ``_fixed_destination``)."""
    if test.__class__ is ast.Call:  # (``startswith`` checked here: most tests are other calls)
        func = test.func
        return _destination_prefix_checked(test, analysis) if branch and func.__class__ is ast.Attribute and func.attr == "startswith" else None  # type: ignore[attr-defined]
    if test.__class__ is not ast.Compare or len(test.ops) != 1:
        return None
    op = test.ops[0].__class__
    left = test.left
    comparator = test.comparators[0]
    if (left.__class__ is ast.Call and not left.args and not left.keywords and left.func.__class__ is ast.Attribute
            and left.func.attr == "lower" and left.func.value.__class__ is ast.Attribute and left.func.value.attr in _HOST_ATTRIBUTES):
        left = left.func.value  # ``parsed.netloc.lower() in HOSTS``: host names are read without case
    if op is (ast.Eq if branch else ast.NotEq):  # ``parsed.hostname == "api.example.com"``
        if not ((left.__class__ is _NAME and left.id in analysis.host_names)  # (most comparisons: no host)
                or (left.__class__ is ast.Attribute and left.attr in _HOST_ATTRIBUTES)):
            return _own_host_compared(comparator, left, analysis)
        if (comparator.__class__ is ast.Attribute and comparator.attr in _HOST_ATTRIBUTES) or comparator.__class__ is ast.Call:
            return _own_host_compared(left, comparator, analysis) or _own_host_compared(comparator, left, analysis)
        host = analysis.fold(comparator)
        if host.__class__ is not str or not host:
            return None
    elif op is not (ast.In if branch else ast.NotIn) or comparator.__class__ not in _HOST_COLLECTION_NODES:
        return None
    if left.__class__ is _NAME:  # ``host = urlparse(url).hostname`` (bound once), then ``host in HOSTS``
        host = _host_bound_to(left.id, analysis) if left.id in analysis.host_names else None
        if host is None:
            return None
        found = _host_checked_names(host, analysis, bound_once=True)
        return _HostCheck((left.id, *found[0]), comparator, found[1]) if found else None
    if left.__class__ is not ast.Attribute or left.attr not in _HOST_ATTRIBUTES:
        return None
    found = _host_checked_names(left, analysis)
    return _HostCheck(found[0], comparator, found[1]) if found else None


_OWN_HOST_CWES = frozenset({601})
_OWN_URL_ATTRIBUTES = frozenset({"host_url", "url_root", "base_url", "url", "host", "root_url"})
_OWN_URL_METHODS = frozenset({"get_host", "build_absolute_uri"})
_URL_JOIN_CALLS = frozenset({"urllib.parse.urljoin", "urlparse.urljoin"})


def _own_host_compared(target: ast.expr, own: ast.expr, analysis: FunctionAnalysis) -> _HostCheck | None:
    """``urlparse(urljoin(request.host_url, t)).netloc == urlparse(request.host_url).netloc`` (the
    Flask ``is_safe_url`` recipe; also with ``request.host``, ``request.get_host()``): the URL
    ``target`` was parsed from goes to this site's own host -- no open redirect (CWE-601 only: a
    request to the server itself may still be one an attacker wants). With ``urljoin`` and no
    backslash turned into a slash first, "/\\evil.example" passes it (see ``_ParsedURL.cwes``)."""
    if not _is_own_host(own, analysis):
        return None
    if target.__class__ is _NAME:
        host = _host_bound_to(target.id, analysis) if target.id in analysis.host_names else None
        if host is None or _is_own_host(host, analysis):
            return None
        found = _host_checked_names(host, analysis, bound_once=True)
        return _HostCheck((target.id, *found[0]), None, found[1]) if found else None
    if target.__class__ is not ast.Attribute or target.attr not in _HOST_ATTRIBUTES or _is_own_host(target, analysis):
        return None
    found = _host_checked_names(target, analysis)
    return _HostCheck(found[0], None, found[1]) if found else None


def _is_own_host(node: ast.expr, analysis: FunctionAnalysis) -> bool:
    """The host the request was sent to: ``request.host``, ``request.get_host()``, the host of
    ``urlparse(request.host_url)`` (or of a name bound once to that)."""
    if node.__class__ is _NAME:
        if node.id not in analysis.host_names:
            return False
        node = _host_bound_to(node.id, analysis)
        if node is None:
            return False
    if node.__class__ is ast.Call:
        return _is_own_url(node)
    if node.__class__ is not ast.Attribute:
        return False
    if node.attr == "host" and _is_request(node.value):
        return True
    if node.attr not in _HOST_ATTRIBUTES:
        return False
    parsed = node.value
    if parsed.__class__ is _NAME:
        bound = analysis.unit.facts.scopes.collector(analysis.node).bindings.get(parsed.id, ())
        if len(bound) != 1:
            return False
        parsed = bound[0]
    return (parsed.__class__ is ast.Call and analysis.resolved_name(parsed.func) in _URL_PARSE_CALLS and len(parsed.args) == 1
            and _is_own_url(parsed.args[0]))


def _is_own_url(node: ast.expr) -> bool:
    """``request.host_url``, ``request.url_root``, ``request.build_absolute_uri()``, ``request.get_host()``."""
    if node.__class__ is ast.Attribute:
        return node.attr in _OWN_URL_ATTRIBUTES and _is_request(node.value)
    return (node.__class__ is ast.Call and not node.args and node.func.__class__ is ast.Attribute
            and node.func.attr in _OWN_URL_METHODS and _is_request(node.func.value))


def _is_request(node: ast.expr) -> bool:
    """``request``, ``self.request``, ``req``: the request being served."""
    if node.__class__ is ast.Attribute:
        return node.attr == "request"
    return node.__class__ is _NAME and node.id in ("request", "req")


def _destination_prefix_checked(test: ast.Call, analysis: FunctionAnalysis) -> _HostCheck | None:
    """``url.startswith(PREFIX)`` (or a tuple of prefixes), each a constant that fixes where a URL
    beginning with it goes: ``url`` (a name) is safe as a redirect target or request URL."""
    func = test.func
    if (func.__class__ is not ast.Attribute or func.attr != "startswith" or len(test.args) != 1 or test.keywords  # type: ignore[attr-defined]
            or func.value.__class__ is not _NAME):  # type: ignore[attr-defined]
        return None
    prefixes = analysis.fold(test.args[0])
    if prefixes.__class__ is str:
        prefixes = (prefixes,)
    if prefixes.__class__ is not tuple or not prefixes or not all(p.__class__ is str and fixes_destination(p) for p in prefixes):
        return None
    return _HostCheck((func.value.id,), test.args[0])  # type: ignore[attr-defined]


def _host_checked_names(host: ast.Attribute, analysis: FunctionAnalysis, bound_once: bool = False) -> tuple[tuple[str, ...], _ParsedURL | None] | None:
    """``parsed.hostname`` / ``urlparse(url).netloc``: (the names a check of it clears as they are
    -- the parsed URL --, the string it was parsed from) when each is bound once (a parameter the
    function only normalizes, ``target = target.strip()`` before it is parsed, counts as bound
    once: url_normalization.py). ``bound_once``: the host was taken earlier (into a name), so the
    URL must be the one it was taken from, bound once too."""
    if isinstance(host.value, ast.Name):
        parsed = host.value.id
        source = _parsed_from(parsed, analysis)
        if source is None and not bound_once:
            source = _parsed_again_from(parsed, host, analysis)
        if bound_once and len(analysis.unit.facts.scopes.collector(analysis.node).bindings.get(parsed, ())) != 1:
            return None
        return (parsed,), source
    if isinstance(host.value, ast.Call):
        source = _url_parse_argument(host.value, analysis, bound_once)
        return ((), source) if source is not None else None
    return None


def _host_bound_to(name: str, analysis: FunctionAnalysis) -> ast.Attribute | None:
    """The host attribute ``name`` is bound to, when that is its only binding in the function."""
    if analysis.node.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
        return None
    bound = analysis.unit.facts.scopes.collector(analysis.node).bindings.get(name, ())
    if len(bound) == 1 and bound[0].__class__ is ast.Attribute and bound[0].attr in _HOST_ATTRIBUTES:
        return bound[0]
    return None


def _parsed_from(parsed: str, analysis: FunctionAnalysis) -> _ParsedURL | None:
    """The URL ``parsed`` was parsed from: ``parsed = urlparse(url)``, each name bound once in this
    function (so the check of ``parsed`` is a check of ``url`` as it is)."""
    bound = analysis.unit.facts.scopes.collector(analysis.node).bindings.get(parsed, ())
    if len(bound) != 1 or not isinstance(bound[0], ast.Call):
        return None
    return _url_parse_argument(bound[0], analysis, True)


def _parsed_again_from(parsed: str, host: ast.Attribute, analysis: FunctionAnalysis) -> _ParsedURL | None:
    """The URL ``parsed`` was parsed from where its ``host`` is read, when the function binds them
    again: every binding of ``parsed`` is ``urlparse(url)`` (the same name), and the URL is parsed
    again after each binding of ``url`` that comes before, on every way on (a later statement of
    its block or of a block around it), none in a loop: ``url = url.replace("\\", "%5C")``,
    ``parsed = urlparse(url)``, ``if ...: url = "/" + parsed.path.lstrip("/"); parsed =
    urlparse(url)``, then ``if parsed.netloc: url = ""``."""
    function = analysis.node
    if function.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
        return None
    bindings = analysis.unit.facts.scopes.collector(function).bindings
    parses = bindings.get(parsed, ())
    url = None
    for value in parses:
        if (value is None or value.__class__ is not ast.Call or len(value.args) != 1 or value.keywords  # type: ignore[attr-defined]
                or value.args[0].__class__ is not _NAME or analysis.resolved_name(value.func) not in _URL_PARSE_CALLS):  # type: ignore[attr-defined]
            return None
        if url not in (None, value.args[0].id):  # type: ignore[attr-defined]
            return None
        url = value.args[0].id  # type: ignore[attr-defined]
    if url is None:
        return None
    read_at = (host.lineno, host.col_offset)
    if _in_loop(function, read_at):
        return None
    parse_ids = {id(value) for value in parses}
    for binding in bindings.get(url, ()):
        if binding is not None and (binding.lineno, binding.col_offset) < read_at and not _parsed_later(function, binding, parse_ids, read_at):
            return None
    return _ParsedURL(url, False, False, False)


_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def _blocks_around(function: ast.AST, position: tuple[int, int]) -> list[tuple[list, int]]:
    """The statement blocks holding ``position`` (a node's line and column), outermost first:
    (the block, the index of the statement in it that holds the position)."""
    chain: list[tuple[list, int]] = []
    blocks = [function.body]  # type: ignore[attr-defined]
    while blocks:
        block, blocks = blocks[0], blocks[1:]
        for index, statement in enumerate(block):
            if (statement.lineno, statement.col_offset) <= position <= (statement.end_lineno, statement.end_col_offset):
                chain.append((block, index))
                blocks = [getattr(statement, field) for field in ("body", "orelse", "finalbody") if getattr(statement, field, None)]
                blocks += [handler.body for handler in getattr(statement, "handlers", ())]
                blocks += [case.body for case in getattr(statement, "cases", ())]
                break
    return chain


def _in_loop(function: ast.AST, position: tuple[int, int]) -> bool:
    return any(block[index].__class__ in _LOOPS for block, index in _blocks_around(function, position))


def _parsed_later(function: ast.AST, binding: ast.expr, parses: set[int], limit: tuple[int, int]) -> bool:
    """Is a statement after the one binding ``binding`` (in its block or a block around it),
    before ``limit``, an assignment of one of ``parses``?"""
    for block, index in reversed(_blocks_around(function, (binding.lineno, binding.col_offset))):
        for statement in block[index + 1:]:
            if (statement.lineno, statement.col_offset) >= limit:
                return False
            if statement.__class__ is ast.Assign and id(statement.value) in parses:  # type: ignore[attr-defined]
                return True
    return False


def _url_parse_argument(call: ast.Call, analysis: FunctionAnalysis, bound_once: bool) -> _ParsedURL | None:
    """``urlparse(url)`` / ``urlsplit(url)``: ``url`` (a name); also ``urlparse(urljoin(base, url))``
    (a relative ``url`` goes where ``base`` does, an absolute one where it says) and
    ``urlparse(url.strip())`` (a normalization of ``url``, see url_normalization.py). ``bound_once``:
    the URL must be bound once in the function (or be a parameter normalized before ``call``
    only)."""
    if analysis.resolved_name(call.func) not in _URL_PARSE_CALLS or len(call.args) != 1:
        return None
    argument = call.args[0]
    joined = False
    if (argument.__class__ is ast.Call and len(argument.args) == 2 and not argument.keywords
            and analysis.resolved_name(argument.func) in _URL_JOIN_CALLS):
        argument, joined = argument.args[1], True
    if argument.__class__ is _NAME:
        name, normalized, backslashes = argument.id, False, False
    else:
        found = normalized_name(argument, analysis) if argument.__class__ is ast.Call else None
        if found is None:
            return None
        name, normalized, backslashes = found.name, True, found.backslashes
    if len(analysis.unit.facts.scopes.collector(analysis.node).bindings.get(name, ())) > 1:
        before, replaced = normalized_before(name, call, analysis) if self_normalized(name, analysis) else (False, False)
        if bound_once and not before:
            return None
        backslashes = backslashes or replaced
    return _ParsedURL(name, joined, normalized, backslashes)


def _server_set_environ(container: ast.expr, key: Any, unit: "FileFlow") -> bool:
    """``request.META["REMOTE_ADDR"]``: an entry of a request's WSGI environment set by the server,
    not the client (client-sent ones are the HTTP_* headers and the request line's parts)."""
    return (isinstance(container, ast.Attribute) and container.attr in ENVIRON_ATTRIBUTES and isinstance(key, str)
            and unit.qualname(container) not in ("os.environ", "os.environb")  # the process's own environment
            and not key.startswith("HTTP_") and key not in CLIENT_ENVIRON_KEYS)


def _form_validation(value: ast.expr) -> bool:
    """``form.is_valid()``, ``self.form.validate_on_submit()`` (see _FORM_VALIDATION_METHODS)."""
    return (value.__class__ is ast.Call and value.func.__class__ is ast.Attribute  # type: ignore[attr-defined]
            and value.func.attr in _FORM_VALIDATION_METHODS)  # type: ignore[attr-defined]


def _validator_argument(test: ast.expr, analysis: FunctionAnalysis) -> tuple[str, frozenset[int]] | None:
    """``url_has_allowed_host_and_scheme(url=x, ...)``: (x, CWEs it is safe for) when true."""
    if not isinstance(test, ast.Call):
        return None
    func = test.func
    if func.__class__ is ast.Attribute and func.attr in _FORM_VALIDATION_METHODS and not test.args:
        form = _dotted(func.value) if func.value.__class__ is ast.Attribute else getattr(func.value, "id", None)
        if form is not None:  # ``form.is_valid()``, ``self.form.is_valid()``
            return form, _FORM_VALIDATED_CWES
    checked = _regex_check(test, analysis) or _helper_check(test, analysis)
    if checked is not None:
        return checked
    if analysis.check_calls:
        checked = _summary_check(test, analysis)
        if checked is not None:
            return checked
    name = analysis.resolved_name(test.func)
    if name not in VALIDATORS:
        return None
    argument = test.args[0] if test.args else next((k.value for k in test.keywords if k.arg in ("url", "path")), None)
    if isinstance(argument, ast.Name):
        return argument.id, VALIDATORS[name]
    if argument.__class__ in (ast.Call, ast.Subscript):
        read = _request_read(argument, analysis)
        if read is not None:  # ``url_has_allowed_host_and_scheme(request.GET.get("next"), ...)``
            return read, VALIDATORS[name]
    if argument.__class__ is ast.Call:  # ``url_has_allowed_host_and_scheme(url.strip(), ...)``
        return _normalized_argument(argument, VALIDATORS[name], analysis)  # type: ignore[arg-type]
    return None


def _request_read(node: ast.expr, analysis: FunctionAnalysis) -> str | None:
    """``request.GET.get("next")``, ``self.request.GET["next"]``, ``request.args.get("next", "")``:
    a constant key read from a container of request data, as the state entry a check of it proves
    (``request.GET["next"]``: see FunctionAnalysis.prove_read); None for any other expression.
    The request's parameters do not change while it is handled: the same key read again after the
    check is the value checked (until the name the container is reached from is bound again)."""
    if node.__class__ is ast.Call:
        func = node.func
        if (func.__class__ is not ast.Attribute or func.attr != "get" or not node.args or node.keywords
                or (len(node.args) == 2 and node.args[1].__class__ is not ast.Constant) or len(node.args) > 2):
            return None  # (a default of another value, ``.get("next", request.POST.get("next"))``, is not the read checked)
        container, key = func.value, node.args[0]
    elif node.__class__ is ast.Subscript:
        container, key = node.value, node.slice
    else:
        return None
    if (key.__class__ is not ast.Constant or key.value.__class__ is not str  # type: ignore[attr-defined]
            or container.__class__ is not ast.Attribute or analysis.attribute_source(container) is None):
        return None
    dotted = _dotted(container)
    return f"{dotted}[{key.value!r}]" if dotted is not None else None  # type: ignore[attr-defined]


def _read_argument(test: ast.expr, read: str, analysis: FunctionAnalysis) -> ast.expr | None:
    """The argument of the check call ``test`` that is the request read ``read`` (see _request_read)."""
    if test.__class__ is not ast.Call:
        return None
    for argument in (*test.args, *(k.value for k in test.keywords)):  # type: ignore[attr-defined]
        if argument.__class__ in (ast.Call, ast.Subscript) and _request_read(argument, analysis) == read:
            return argument
    return None


_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod, ast.Div: operator.truediv, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}


def fold(node: ast.expr | None, consts: dict[str, Any], module_constants: dict[str, Any]) -> Any:
    """Evaluate literals and arithmetic on them without running any reviewed code."""
    kind = type(node)
    if kind is _CONSTANT:  # (the commonest answers, without the calls below)
        return node.value
    if kind not in _FOLDABLE:  # (also None)
        return NOTHING
    try:
        return _fold(node, consts, module_constants, 0)
    except Exception:  # noqa: BLE001 - division by zero, type errors...: not a constant
        return NOTHING


_FOLDABLE = frozenset({
    ast.Constant, ast.Name, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.Dict, ast.Set, ast.Tuple, ast.List,
    ast.Subscript,
})


def _fold(node: ast.expr, consts, module_constants, depth: int) -> Any:
    if depth > 50 or type(node) not in _FOLDABLE:  # (calls, attributes...: skip the match below)
        return NOTHING
    match node:
        case ast.Constant(value=value):
            return value
        case ast.Name(id=name):
            if name in consts:
                return consts[name]
            return module_constants.get(name, NOTHING)
        case ast.UnaryOp(op=op, operand=operand):
            value = _fold(operand, consts, module_constants, depth + 1)
            if value is NOTHING:
                return NOTHING
            if isinstance(op, ast.Not):
                return not value
            if isinstance(op, ast.USub):
                return -value
            if isinstance(op, ast.UAdd):
                return +value
            return ~value
        case ast.BinOp(left=left, op=op, right=right):
            a = _fold(left, consts, module_constants, depth + 1)
            b = _fold(right, consts, module_constants, depth + 1)
            if a is NOTHING or b is NOTHING or type(op) not in _BINARY:
                return NOTHING
            if isinstance(op, (ast.Mult, ast.LShift)) and (_big(a) or _big(b)):
                return NOTHING  # never build huge values at analysis time
            return _BINARY[type(op)](a, b)
        case ast.BoolOp(op=op, values=values):
            result = NOTHING
            for value_node in values:
                result = _fold(value_node, consts, module_constants, depth + 1)
                if result is NOTHING:
                    return NOTHING
                if isinstance(op, ast.And) and not result:
                    return result
                if isinstance(op, ast.Or) and result:
                    return result
            return result
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            a = _fold(left, consts, module_constants, depth + 1)
            if a is NOTHING:
                return NOTHING
            for op, comparator in zip(ops, comparators):
                b = _fold(comparator, consts, module_constants, depth + 1)
                if b is NOTHING or not _COMPARE[type(op)](a, b):
                    return NOTHING if b is NOTHING else False
                a = b
            return True
        case ast.Dict(keys=keys, values=values) if None not in keys:
            folded_keys = [_fold(k, consts, module_constants, depth + 1) for k in keys]
            folded_values = [_fold(v, consts, module_constants, depth + 1) for v in values]
            if any(v is NOTHING for v in (*folded_keys, *folded_values)):
                return NOTHING
            return dict(zip(folded_keys, folded_values))
        case ast.Set(elts=elts):
            values = [_fold(e, consts, module_constants, depth + 1) for e in elts]
            return NOTHING if any(v is NOTHING for v in values) else frozenset(values)
        case ast.Tuple(elts=elts) | ast.List(elts=elts):
            values = [_fold(e, consts, module_constants, depth + 1) for e in elts]
            if any(v is NOTHING for v in values):
                return NOTHING
            return tuple(values) if isinstance(node, ast.Tuple) else values
        case ast.Subscript(value=value, slice=index):
            container = _fold(value, consts, module_constants, depth + 1)
            key = _fold(index, consts, module_constants, depth + 1)
            if container is NOTHING or key is NOTHING:
                return NOTHING
            return container[key]
    return NOTHING


def _big(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return abs(value) > 10**6
    if isinstance(value, (str, bytes, list, tuple)):
        return len(value) > 10**4
    return False
