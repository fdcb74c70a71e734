"""Flask (and Flask-Login) cookie flags turned off in the application's configuration: the same
settings, CWEs and exceptions as Django's ``django-insecure-cookie`` (rules/hardening.py), for
``app.config[...]``, ``app.config.update(...)``/``from_mapping(...)``, config classes and the
modules an application loads as its configuration (see dataflow/flask_configs.py)."""
from __future__ import annotations

import ast
import re
from pathlib import PurePath

from secreview.rules._naming import in_test_code
from secreview.rules.base import Hit, MEDIUM, rule
from secreview.rules.context import RuleContext
from secreview.rules.hardening import _DEVELOPMENT_SETTINGS, _cookie_flag_off, _in_production_settings

# Setting -> CWE of turning it off (Secure: 614, HttpOnly: 1004, SameSite=None: 1275).
FLASK_COOKIE_FLAGS = {
    f"{cookie}_COOKIE_{flag}": cwe
    for cookie in ("SESSION", "REMEMBER")  # (REMEMBER_*: Flask-Login's remember-me cookie)
    for flag, cwe in (("SECURE", 614), ("HTTPONLY", 1004), ("SAMESITE", 1275))
}
_DEV_WORDS = frozenset({"debug", "dev", "develop", "development", "local", "test", "tests", "testing", "ci"})
_PRODUCTION_WORDS = frozenset({"prod", "production"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@rule(
    id="flask-insecure-cookie",
    title="Flask cookie security flag turned off",
    cwe=614,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=["config[]", *FLASK_COOKIE_FLAGS],
    methods=["update", "from_mapping"],
    description="""A Flask application's configuration explicitly sets SESSION_COOKIE_SECURE (or
        Flask-Login's REMEMBER_COOKIE_SECURE) to False (CWE-614: the browser also sends the
        session cookie over plain HTTP, where anyone on the network reads it),
        SESSION_COOKIE_HTTPONLY / REMEMBER_COOKIE_HTTPONLY to False (CWE-1004: the page's scripts,
        and so any XSS, read it), or SESSION_COOKIE_SAMESITE / REMEMBER_COOKIE_SAMESITE to None
        (CWE-1275: the browser sends it with requests other sites make). Covers
        app.config["..."] = ..., app.config.update(...) / from_mapping(...), attributes of
        config classes (class ProductionConfig) and the top-level settings of a module the
        project's Flask application loads (app.config.from_object("config"), from_object(config),
        from_pyfile("config.py")). As for Django's settings, only explicit values
        are reported, and not in modules or classes named for development (dev, local, test...)
        nor under a development-only condition (if app.debug:, if os.environ["FLASK_ENV"] ==
        "development":).""",
    solution="""Serve the application over HTTPS and set SESSION_COOKIE_SECURE = True,
        SESSION_COOKIE_HTTPONLY = True (Flask's default) and SESSION_COOKIE_SAMESITE = "Lax";
        turn Secure off only in a development configuration.""",
    example="""
        from flask import Flask
        web = Flask(__name__)
        web.config.update(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_HTTPONLY=False)
    """,
    fixed="""
        from flask import Flask
        web = Flask(__name__)
        web.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")
    """,
)
def check_flask_insecure_cookie(node: ast.AST, ctx: RuleContext):
    settings = list(_settings(node, ctx))
    found = [(name, value, FLASK_COOKIE_FLAGS[name]) for name, value in settings
             if name in FLASK_COOKIE_FLAGS and _cookie_flag_off(value, FLASK_COOKIE_FLAGS[name])]
    if not found or _for_development(ctx):
        return
    for setting, value, cwe in found:
        if cwe == 1275:
            message = f"{setting} = None: browsers send the cookie with requests other sites make (cross-site request forgery)."
        elif cwe == 1004:
            message = f"{setting} = False lets the page's scripts (and any XSS) read the cookie."
        else:
            message = f"{setting} = False: browsers also send the cookie over plain HTTP, readable on the network."
        yield in_test_code(ctx, Hit(node if isinstance(node, ast.Assign) else value, cwe=cwe, message=message))


def _settings(node: ast.AST, ctx: RuleContext):
    """(setting name, value) pairs that ``node`` writes into a Flask configuration."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _is_config(target.value):
                key = target.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value, node.value
            elif isinstance(target, ast.Name) and (_in_config_class(ctx) or _in_config_module(ctx)):
                yield target.id, node.value
        return
    call: ast.Call = node  # type: ignore[assignment]
    if not (isinstance(call.func, ast.Attribute) and _is_config(call.func.value)):
        return
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield keyword.arg, keyword.value
    mapping = call.args[0] if call.args else None
    if isinstance(mapping, ast.Dict):
        for key, value in zip(mapping.keys, mapping.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, value


def _is_config(receiver: ast.expr) -> bool:
    """``app.config``, ``current_app.config``, ``self.app.config``."""
    return isinstance(receiver, ast.Attribute) and receiver.attr == "config"


def _in_config_class(ctx: RuleContext) -> bool:
    """A class-level attribute of a class named for configuration (``class ProductionConfig``)."""
    ancestors = ctx.ancestors
    return (len(ancestors) >= 3 and isinstance(ancestors[-2], ast.ClassDef)
            and any(word in ancestors[-2].name.lower() for word in ("config", "settings")))


def _in_config_module(ctx: RuleContext) -> bool:
    """A top-level setting of a module a Flask application of the project loads as its
    configuration (``app.config.from_object("config")``, ``from_object(config)``,
    ``from_pyfile("config.py")``: see dataflow/flask_configs.py). Not a Django project's
    config.py, nor a library's module nothing loads into Flask; a Django settings module is
    django-insecure-cookie's."""
    return (len(ctx.ancestors) == 2 and getattr(ctx.flow, "loaded_as_flask_config", False)
            and not _in_production_settings(ctx))


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


def _for_development(ctx: RuleContext) -> bool:
    """In a module or config class named for development, or under an ``if`` that only holds in
    development (``if app.debug:``; the ``else:`` of ``if ENV == "production":``)."""
    if _DEVELOPMENT_SETTINGS.search(PurePath(ctx.path.replace("\\", "/")).stem.lower()):
        return True
    ancestors = ctx.ancestors
    for index, node in enumerate(ancestors):
        if isinstance(node, ast.ClassDef) and _words(node.name) & _DEV_WORDS:
            return True
        if isinstance(node, ast.If) and index + 1 < len(ancestors):
            inner = ancestors[index + 1]
            negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
            words = _test_words(node.test)
            in_body = any(inner is statement for statement in node.body)
            if in_body and not negated and words & _DEV_WORDS:
                return True
            if not in_body and (words & _PRODUCTION_WORDS or (negated and words & _DEV_WORDS)):
                return True
    return False


def _test_words(test: ast.expr) -> set[str]:
    words: set[str] = set()
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            words |= _words(node.id)
        elif isinstance(node, ast.Attribute):
            words |= _words(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40:
            words |= _words(node.value)
    return words
