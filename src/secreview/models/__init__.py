"""Data tables describing libraries for the data-flow engine: where untrusted data comes from
(sources), what makes it safe for which weakness (sanitizers) and which calls return values that
carry nothing of their arguments. One row per API; adding a library is adding rows.

Sinks live with the rules that report them (each rule's ``calls``/``methods``), so a sink's
metadata, message and fix text stay next to its check.
"""
from secreview.models.sanitizers import (  # noqa: F401
    DECODERS, SANITIZERS, SANITIZING_METHODS, LINE_BREAK_CWES, ALL_CWES, VALIDATORS, LOOKUP_METHODS, LOOKUP_FUNCTIONS, QUERY_METHODS,
    NO_RETURN_CALLS, NO_RETURN_METHODS, HTML_SAFE_STRINGS, CONVERSION_CHECKS, PATH_CWES, RESOLVING_CALLS, RESOLVING_METHODS,
    CONTAINMENT_METHODS, COMMON_PATH_CALLS, SELECTED_FROM_ARGUMENTS,
)
from secreview.models.sources import (  # noqa: F401
    SOURCE_ATTRIBUTES, SOURCE_CALLS, REQUEST_ATTRIBUTES, REQUEST_PARAMETER_NAMES, WEB_FRAMEWORK_MODULES,
    FRAMEWORK_ONLY_REQUEST_ATTRIBUTES, SNIPPET_REQUEST_ATTRIBUTES, SNIPPET_REQUEST_CONFIDENCE,
    SOURCE_METHODS, ROUTE_DECORATORS, NOT_USER_PARAMETERS, SOURCE_NOT_FOR, OPERATOR_CHOSEN_PROGRAM_SOURCES,
    DJANGO_VIEW_MODULE_PARTS, PREDICTABLE_CALLS, CLIENT_ENVIRON_KEYS, ENVIRON_ATTRIBUTES, DJANGO_VIEW_DECORATORS, CLASS_VIEW_METHODS,
    DJANGO_VIEW_BASE_SUFFIXES, DJANGO_COMMAND_BASES, DJANGO_FORM_VIEW_BASES, FORM_HANDLER_METHODS,
)
from secreview.models.deferred import DEFERRED_CALLS, DEFERRED_LAST_NAMES, DEFERRED_METHODS, DEFERRED_TASK_METHODS, Deferred  # noqa: F401
