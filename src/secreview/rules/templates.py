"""Templates and HTML: cross-site scripting through values marked safe or templates that do not
escape (CWE-79), and server-side template injection (CWE-1336).

Values are taken apart with ``compose`` (see ``_strings``): literals, numbers and the results of
HTML escapers are safe pieces; what stays variable goes to ``dynamic_value_hit`` (through
``injection_hit``), where the data-flow engine decides whether input reaches it.
"""
from __future__ import annotations

import ast

from secreview.rules._strings import NO_SANITIZERS, Sanitizers, compose, injection_hit, sequence_elements
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import MISSING, RuleContext

# Their result is HTML-escaped (or sanitized HTML): safe to mark safe or to wrap in Markup.
HTML_SANITIZERS = Sanitizers(
    calls=frozenset({
        "html.escape", "cgi.escape", "markupsafe.escape", "markupsafe.Markup.escape", "flask.escape",
        "jinja2.escape", "jinja2.utils.escape", "werkzeug.utils.escape", "django.utils.html.escape",
        "django.utils.html.conditional_escape", "django.utils.html.format_html",
        "django.utils.html.format_html_join", "django.utils.html.json_script", "django.utils.html.escapejs",
        "bleach.clean", "bleach.linkify", "nh3.clean", "xml.sax.saxutils.escape", "xml.sax.saxutils.quoteattr",
        "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode",
        "flask.url_for", "django.urls.reverse",
    }),
)

MARK_SAFE_CALLS = (
    "django.utils.safestring.mark_safe", "django.utils.safestring.SafeString",
    "django.utils.safestring.SafeText", "django.utils.safestring.SafeUnicode",
)
MARKUP_CALLS = ("markupsafe.Markup", "flask.Markup", "jinja2.Markup", "jinja2.utils.Markup")
JINJA_ENVIRONMENTS = ("jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment")
MAKO_CALLS = ("mako.template.Template", "mako.lookup.TemplateLookup")
# Calls that compile their argument as a template: name -> keyword of the template source.
TEMPLATE_SOURCE_CALLS: dict[str, str] = {
    "jinja2.Template": "source", "jinja2.environment.Template": "source",
    "flask.render_template_string": "source", "flask.templating.render_template_string": "source",
    "mako.template.Template": "text",
    "django.template.Template": "template_string", "django.template.base.Template": "template_string",
    "quart.render_template_string": "source", "tornado.template.Template": "template_string",
    # Bottle compiles a template argument holding "{", "%", "$" or a line break as the template
    # source (else loads the template of that name): from the request, it can be either.
    "bottle.template": "tpl", "bottle.jinja2_template": "tpl", "bottle.mako_template": "tpl",
    "bottle.SimpleTemplate": "source",
}
TEMPLATE_LIBRARIES = ("jinja2", "flask", "django", "mako", "quart")


def _html_hit(ctx: RuleContext, call: ast.Call, value: ast.expr | None, what: str, *, confidence=None) -> Hit | None:
    if value is None:
        return None
    culprits = compose(ctx, value, HTML_SANITIZERS).dynamic
    called = ctx.source(call.func)
    return injection_hit(
        ctx, call, culprits, dynamic_confidence=confidence,
        tainted=f"`{called}` {what} {{source}} (`{{code}}`), unescaped; markup in it runs as script in the browser.",
        dynamic=f"`{called}` {what} `{{code}}`, which is neither a constant nor escaped; if it can carry outside data, markup in it runs as script in the browser.",
    )


@rule(
    id="django-mark-safe",
    title="Cross-site scripting: variable HTML marked safe (Django)",
    cwe=79,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B308", "B703"],
    calls=MARK_SAFE_CALLS,
    description="""mark_safe() (and SafeString) tells Django's templates not to escape a string. When
        the string is built from values that are not constants and not escaped, any markup they
        carry is rendered as is: script injected by whoever controls them runs in the browser.
        Constant strings and strings whose variable parts are escaped (escape(),
        conditional_escape(), format_html()) are not reported.""",
    solution="""Build the HTML with format_html("<b>{}</b>", value), which escapes its arguments, or
        escape each variable part with django.utils.html.escape() before mark_safe().""",
    example="""
        return mark_safe("<b>%s</b>" % user.name)
    """,
    fixed="""
        return format_html("<b>{}</b>", user.name)
    """,
)
def check_mark_safe(call: ast.Call, ctx: RuleContext):
    return _html_hit(ctx, call, ctx.argument(call, 0, "s"), "marks as safe HTML a string built from")


@rule(
    id="django-format-html-dynamic",
    title="Cross-site scripting: format_html() with a variable format string",
    cwe=79,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B703"],
    calls=["django.utils.html.format_html"],
    description="""format_html() escapes its arguments but not its format string, which is treated
        as safe HTML. A format string built with an f-string, % or + from non-constant values puts
        those values into the page unescaped — the very thing format_html is meant to prevent.""",
    solution="""Keep the format string constant and pass the values as arguments:
        format_html("<a href='{}'>{}</a>", url, label).""",
    example="""
        format_html(f"<b>{name}</b>")
    """,
    fixed="""
        format_html("<b>{}</b>", name)
    """,
)
def check_format_html(call: ast.Call, ctx: RuleContext):
    return _html_hit(ctx, call, ctx.argument(call, 0, "format_string"), "gets a format string (never escaped) built from")


@rule(
    id="markup-injection",
    title="Cross-site scripting: variable HTML wrapped in Markup",
    cwe=79,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B704"],
    calls=MARKUP_CALLS,
    description="""markupsafe.Markup (also flask.Markup) marks a string as safe HTML: Jinja2 will not
        escape it. Wrapping a string built from values that are not constants and not escaped
        lets markup in them run as script in the browser. Not reported: constant markup, escaped
        parts (escape(), Markup.escape()), and Markup("<b>%s</b>") % value, which escapes value.""",
    solution="""Keep the markup constant and let Markup escape the values: Markup("<b>{}</b>").format(name)
        or Markup("<b>%s</b>") % name; or escape each part with markupsafe.escape().""",
    example="""
        Markup(f"<b>{name}</b>")
    """,
    fixed="""
        Markup("<b>{}</b>").format(name)
    """,
)
def check_markup(call: ast.Call, ctx: RuleContext):
    return _html_hit(ctx, call, ctx.argument(call, 0, "base") or ctx.keyword(call, "object"), "wraps as safe HTML a string built from")


@rule(
    id="jinja2-autoescape-off",
    title="Cross-site scripting: Jinja2 environment without autoescaping",
    cwe=79,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B701"],
    calls=JINJA_ENVIRONMENTS,
    description="""A jinja2.Environment escapes nothing unless autoescape is enabled: it is off by
        default. Every {{ value }} rendered into HTML from such an environment is inserted as is,
        so markup in data runs as script in the browser. autoescape=True or
        autoescape=select_autoescape(...) is not reported; a value that cannot be determined
        is reported with low confidence, and so is an environment only used, in its file, to load
        templates by constant names that are not HTML (``get_template("setup.py.j2")``,
        ``"report.txt"``, ``"schema.sql"``: code generation, plain text) or to evaluate
        expressions (``compile_expression``). An environment only used in its function to parse,
        lex or extract translations from templates renders nothing and is not reported.""",
    solution="""Pass autoescape=select_autoescape(["html", "htm", "xml"]) (or autoescape=True); for
        environments that render plain text only (config files, e-mails), say so in a comment
        and suppress the finding.""",
    example="""
        env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
    """,
    fixed="""
        env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"),
                                 autoescape=jinja2.select_autoescape())
    """,
)
def check_jinja_autoescape(call: ast.Call, ctx: RuleContext):
    called = ctx.source(call.func)
    value = ctx.keyword(call, "autoescape")
    if value is None:
        if any(k.arg is None for k in call.keywords) or len(call.args) >= 17:
            return None  # **options or the positional autoescape: cannot tell
        return _unless_text_only(call, ctx, Hit(call, message=(
            f"`{called}` is created without autoescape, which is off by default: values rendered into HTML are not escaped.")))
    literal = ctx.literal(value)
    if literal is MISSING:
        if isinstance(value, (ast.Call, ast.Lambda)) or ctx.qualname(value) in ("jinja2.select_autoescape",):
            return None  # select_autoescape(...) or a callable deciding per template
        return Hit(call, confidence=LOW, message=f"`{called}` gets autoescape=`{ctx.source(value)}`, which may be false: values rendered into HTML may not be escaped.")
    if not literal:
        return _unless_text_only(call, ctx, Hit(call, message=(
            f"`{called}` is created with autoescape disabled: values rendered into HTML are not escaped.")))
    return None


# Template names that say the output is not HTML (code generation, configuration, plain text):
# an environment that only ever loads such templates renders no page. ``.j2``/``.jinja`` alone say
# nothing of the output, so they count only without an HTML-like suffix before them
# (``setup.py.j2`` is code, ``index.html.j2`` a page).
_TEXT_TEMPLATE_SUFFIXES = (
    ".py", ".txt", ".sql", ".j2", ".jinja", ".jinja2", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".json", ".sh",
    ".md", ".rst", ".conf", ".env", ".c", ".h", ".go", ".rs", ".ts", ".js", ".tf", ".dockerfile", ".service",
)
_MARKUP_WORDS = (".html", ".htm", ".xml", ".svg", ".xhtml", ".jinja_html")
# What may be done with such an environment besides loading templates by name: setting it up.
_ENVIRONMENT_SETUP = frozenset({"filters", "globals", "tests", "policies", "add_extension", "extend"})


# Uses of an environment that render nothing: parsing a template into its syntax tree, lexing it,
# extracting translatable strings (babel, i18n tools). ``compile_expression`` evaluates an
# expression to a Python value, not to HTML; the value may still reach a page: low confidence.
_PARSING_ONLY = frozenset({"parse", "lex", "preprocess", "extract_translations", "iter_extensions"})
_EVALUATING = frozenset({"compile_expression"})


def _unless_text_only(call: ast.Call, ctx: RuleContext, hit: Hit) -> Hit | None:
    """``hit`` at low confidence when the environment ``call`` makes is only used, in this file,
    to load templates by constant names that are not HTML (``env.get_template("setup.py.j2")``):
    code generation or plain text, where escaping for HTML would be wrong. None when it only
    parses templates (``env.parse(source)``): nothing is rendered."""
    uses = _environment_uses(call, ctx)
    if uses and uses <= _PARSING_ONLY | _ENVIRONMENT_SETUP:
        return None
    if uses and uses <= _PARSING_ONLY | _ENVIRONMENT_SETUP | _EVALUATING and uses & _EVALUATING:
        hit.confidence = LOW
        hit.message += (" (It only evaluates expressions here (`compile_expression`), which renders no template: "
                        "if their values never reach a page, say so and suppress this.)")
        return hit
    names = _template_names(call, ctx)
    if names and all(_is_text_template(name) for name in names):
        hit.confidence = LOW
        hit.message += (f" (It only loads {', '.join(f'`{n}`' for n in sorted(set(names))[:3])} here, which are not HTML: "
                        "if it never renders a page, say so and suppress this.)")
    return hit


def _template_names(call: ast.Call, ctx: RuleContext) -> list[str] | None:
    """The constant names of the templates loaded from the environment ``call`` makes, when every
    use of it is ``.get_template(<constant>)`` or a setting up of the environment; else None."""
    chain = ctx.ancestors
    parent = chain[-2] if len(chain) >= 2 and chain[-1] is call else None
    if isinstance(parent, ast.Attribute):  # ``Environment(...).get_template("x.sql")``
        grand = chain[-3] if len(chain) >= 3 else None
        name = _loaded_name(parent, grand, ctx)
        return [name] if isinstance(name, str) else None
    variable = ctx.assigned_once_to(call)
    if variable is None:
        return None
    scope = ctx.function or ctx.facts.scopes.tree
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    names = []
    for node in ast.walk(scope):
        if not (isinstance(node, ast.Name) and node.id == variable and isinstance(node.ctx, ast.Load)):
            continue
        attribute = parents.get(id(node))
        if not isinstance(attribute, ast.Attribute):
            return None  # handed over, returned, stored: its other uses are not seen
        if attribute.attr in _ENVIRONMENT_SETUP:
            continue
        name = _loaded_name(attribute, parents.get(id(attribute)), ctx)
        if not isinstance(name, str):
            return None
        names.append(name)
    return names


def _environment_uses(call: ast.Call, ctx: RuleContext) -> set[str] | None:
    """The attributes read of the environment ``call`` makes (``{"parse", "extract_translations"}``)
    when every use of it in the scope is an attribute of it; else None (handed over, returned)."""
    chain = ctx.ancestors
    parent = chain[-2] if len(chain) >= 2 and chain[-1] is call else None
    if isinstance(parent, ast.Attribute):  # ``Environment().parse(source)``
        return {parent.attr}
    variable = ctx.assigned_once_to(call)
    if variable is None:
        return None
    scope = ctx.function or ctx.facts.scopes.tree
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    uses = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == variable and isinstance(node.ctx, ast.Load):
            attribute = parents.get(id(node))
            if not isinstance(attribute, ast.Attribute):
                return None
            uses.add(attribute.attr)
    return uses


def _loaded_name(attribute: ast.Attribute, called: ast.AST | None, ctx: RuleContext) -> str | None:
    if attribute.attr != "get_template" or not isinstance(called, ast.Call) or called.func is not attribute:
        return None
    name = ctx.literal(ctx.argument(called, 0, "name"), None)
    return name if isinstance(name, str) else None


def _is_text_template(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(_TEXT_TEMPLATE_SUFFIXES) and not any(word in lowered for word in _MARKUP_WORDS)


def _mako_escapes(ctx: RuleContext, call: ast.Call) -> bool:
    """default_filters=[..., "h"] applies HTML escaping to every ${expression}."""
    filters = ctx.keyword(call, "default_filters")
    elements = sequence_elements(ctx, filters)
    if elements is None:
        return filters is not None and not ctx.is_constant(filters)  # decided elsewhere: give the benefit
    return any(ctx.literal(e, None) == "h" for e in elements)


@rule(
    id="mako-templates-no-escape",
    title="Cross-site scripting: Mako templates without HTML escaping",
    cwe=79,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B702"],
    calls=MAKO_CALLS,
    description="""Mako does not escape ${expressions} by default. Templates created without the "h"
        filter in default_filters insert data into HTML as is, so markup in it runs as script in
        the browser (unless every expression is written ${value | h}). Templates or lookups
        created with default_filters=["h"] (or including "h") are not reported.""",
    solution="""Create templates and lookups with default_filters=["h"] (add "unicode"/"str" as
        needed), or render HTML with an engine that escapes by default.""",
    example="""
        lookup = TemplateLookup(directories=["templates"])
    """,
    fixed="""
        lookup = TemplateLookup(directories=["templates"], default_filters=["h"])
    """,
)
def check_mako(call: ast.Call, ctx: RuleContext):
    if _mako_escapes(ctx, call):
        return None
    return Hit(call, message=f"`{ctx.source(call.func)}` is created without the \"h\" default filter: ${{...}} expressions are inserted into HTML unescaped.")


@rule(
    id="template-injection",
    title="Server-side template injection",
    cwe=1336,
    severity=HIGH,
    confidence=MEDIUM,
    calls=TEMPLATE_SOURCE_CALLS,
    methods=["from_string"],
    description="""The template source itself (not just the values rendered into it) is built from
        values that are not constants: jinja2.Template(), Environment.from_string(),
        flask.render_template_string() (and Quart's), mako Template(text), django Template(),
        tornado.template.Template(), bottle's template() and SimpleTemplate() (a template()
        argument with "{", "%", "$" or a line break in it is compiled as the template). Template syntax
        in such a value is executed on the server: {{ ''.__class__.__mro__ ... }} in Jinja2 or
        ${...} in Mako reaches Python objects and usually arbitrary code. HTML escaping does not
        help (it leaves braces alone). Constant templates rendered with variable values are
        not reported.""",
    solution="""Keep the template constant (a file or a literal) and pass the values as render
        variables: render_template_string("Hello {{ name }}", name=name). If users must write
        templates, use jinja2.sandbox.SandboxedEnvironment and still treat it as risky.""",
    example="""
        return render_template_string("<h1>Hello " + name + "</h1>")
    """,
    fixed="""
        return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    """,
)
def check_template_source(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call)
    if name in TEMPLATE_SOURCE_CALLS:
        source = ctx.argument(call, 0, TEMPLATE_SOURCE_CALLS[name])
    else:
        source = ctx.argument(call, 0, "source")
    if source is None:
        return None
    known_library = name in TEMPLATE_SOURCE_CALLS or any(ctx.facts.imports.imports_module(m) for m in TEMPLATE_LIBRARIES)
    called = ctx.source(call.func)
    return injection_hit(
        ctx, call, compose(ctx, source, NO_SANITIZERS).dynamic,
        dynamic_confidence=None if known_library else LOW,
        tainted=f"`{called}` compiles a template built from {{source}} (`{{code}}`); template syntax in it runs on the server.",
        dynamic=f"`{called}` compiles a template built from `{{code}}`, which is not a constant; if it can carry outside data, template syntax in it runs on the server.",
    )


__all__ = ["HTML_SANITIZERS", "HIGH"]
