"""Stage: rules. Every module in this package (except the framework modules) declares rules with
``@rule``; importing the package registers them all. Add a module, and its rules exist."""
from __future__ import annotations

import importlib
import pkgutil

from secreview.rules.base import REGISTRY, Hit, Rule, rule  # noqa: F401
from secreview.rules.context import RuleContext  # noqa: F401

_FRAMEWORK_MODULES = {"base", "context", "dispatch", "handed"}
_loaded = False


def all_rules() -> dict[str, Rule]:
    """Every registered rule by id (rule modules are imported on first call)."""
    global _loaded
    if not _loaded:
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if module.name not in _FRAMEWORK_MODULES and not module.name.startswith("_"):
                importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return dict(sorted(REGISTRY.items()))
