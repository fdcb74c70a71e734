"""Templates and HTML: cross-site scripting through values marked safe or templates that do not
escape (CWE-79), and server-side template injection (CWE-1336).

Values are taken apart with ``compose`` (see ``_strings``): literals, numbers and the results of
HTML escapers are safe pieces; what stays variable goes to ``dynamic_value_hit`` (through
``injection_hit``), where the data-flow engine decides whether input reaches it.
"""
from __future__ import annotations

import ast

from secreview.rules._security_use import single_binding
from secreview.rules._strings import NO_SANITIZERS, Sanitizers, compose, injection_hit, sequence_elements
from secreview.rules._template_output import COMPILE_ONLY, Uses, environment_uses, file_shows_html
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
SANDBOXED_ENVIRONMENTS = ("jinja2.sandbox.SandboxedEnvironment", "jinja2.sandbox.ImmutableSandboxedEnvironment")
JINJA_ENVIRONMENTS = ("jinja2.Environment", "jinja2.environment.Environment", *SANDBOXED_ENVIRONMENTS)
MAKO_TEMPLATES = ("mako.template.Template",)
MAKO_CALLS = (*MAKO_TEMPLATES, "mako.lookup.TemplateLookup")
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
        parts (escape(), Markup.escape()), Markup("<b>%s</b>") % value, which escapes value,
        and Markup(value).unescape() / .striptags(), which give back a plain str (not marked
        safe: a template escapes it).""",
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
    if _plain_text_taken(call, ctx):
        return None  # ``Markup(x).unescape()``: a plain str with the entities decoded; nothing is marked safe
    return _html_hit(ctx, call, ctx.argument(call, 0, "base") or ctx.keyword(call, "object"), "wraps as safe HTML a string built from")


# Markup's methods that return a plain str (entities decoded, tags stripped): the Markup object made
# to call them marks nothing safe that outlives the call.
MARKUP_TO_TEXT_METHODS = frozenset({"unescape", "striptags"})


def _plain_text_taken(call: ast.Call, ctx: RuleContext) -> bool:
    """``Markup(x).unescape()``, ``Markup(x).striptags()``: only the plain text is kept."""
    ancestors = ctx.ancestors
    if len(ancestors) < 3 or ancestors[-1] is not call:
        return False
    method, outer = ancestors[-2], ancestors[-3]
    return (method.__class__ is ast.Attribute and method.attr in MARKUP_TO_TEXT_METHODS  # type: ignore[attr-defined]
            and method.value is call and outer.__class__ is ast.Call and outer.func is method)  # type: ignore[attr-defined]


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
        is reported with low confidence. Where the environment renders text, escaping for HTML
        would be wrong, so the finding is high confidence only where the file shows HTML: the
        environment loads HTML templates (``get_template("index.html")``, ``"page.html.j2"``) or
        compiles markup (``from_string("<p>{{ q }}</p>")``), or else the file imports a web
        framework or holds HTML template names or markup in its strings. It is low confidence
        where the environment loads templates named for text (``"setup.py.j2"``, ``"schema.sql"``,
        ``f"{name}.txt"``), compiles a value named for text (``from_string(sql)``, ``query``,
        ``yaml``...), only evaluates expressions (``compile_expression``), or where nothing in the
        file shows HTML (configuration and code generators). Uses are followed through a name
        bound once or a ``self.<attribute>`` (in the class). An environment only used to parse,
        lex or extract translations from templates, or to compile one only to check its syntax
        (``env.from_string(text)`` as a statement), renders nothing and is not reported.""",
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
        return _judged_by_use(call, ctx, Hit(call, message=(
            f"`{called}` is created without autoescape, which is off by default: values rendered into HTML are not escaped.")))
    literal = ctx.literal(value)
    if literal is MISSING:
        if isinstance(value, (ast.Call, ast.Lambda)) or ctx.qualname(value) in ("jinja2.select_autoescape",):
            return None  # select_autoescape(...) or a callable deciding per template
        return Hit(call, confidence=LOW, message=f"`{called}` gets autoescape=`{ctx.source(value)}`, which may be false: values rendered into HTML may not be escaped.")
    if not literal:
        return _judged_by_use(call, ctx, Hit(call, message=(
            f"`{called}` is created with autoescape disabled: values rendered into HTML are not escaped.")))
    return None


# What may be done with an environment besides rendering: setting it up.
_ENVIRONMENT_SETUP = frozenset({"filters", "globals", "tests", "policies", "add_extension", "extend"})
# Uses of an environment that render nothing: parsing a template into its syntax tree, lexing it,
# extracting translatable strings (babel, i18n tools), compiling it only to check its syntax
# (``env.from_string(text)`` as a statement). ``compile_expression`` evaluates an expression to
# a Python value, not to HTML; the value may still reach a page: low confidence.
_PARSING_ONLY = frozenset({"parse", "lex", "preprocess", "extract_translations", "iter_extensions", COMPILE_ONLY})
_EVALUATING = frozenset({"compile_expression"})
_NO_HTML_SHOWN = (" (Nothing in this file shows that it renders HTML: no HTML template or markup, no web framework. "
                  "If it renders text, code or configuration, say so and suppress this.)")


def _judged_by_output(ctx: RuleContext, hit: Hit, uses: Uses) -> Hit:
    """``hit`` as it is where the environment renders HTML (its templates or text say so, or
    its file is a web one), at low confidence where it renders text (code, SQL, configuration:
    escaping for HTML would corrupt it) or where nothing in the file shows HTML."""
    if uses.html:
        return hit
    if uses.text:
        hit.confidence = LOW
        hit.message += (f" (Here it renders {', '.join(uses.text[:3])}, not HTML: "
                        "if it never renders a page, say so and suppress this.)")
        return hit
    if file_shows_html(ctx):
        return hit
    hit.confidence = LOW
    hit.message += _NO_HTML_SHOWN
    return hit


def _judged_by_use(call: ast.Call, ctx: RuleContext, hit: Hit) -> Hit | None:
    """``hit`` judged by what the file does with the environment ``call`` makes: None when it
    only parses templates (``env.parse(source)``, nothing is rendered), low when it only
    evaluates expressions, else as ``_judged_by_output`` says from what it renders."""
    uses = environment_uses(ctx, call)
    only = uses.attributes if uses.complete else None  # (every use, when all are known)
    if only and only <= _PARSING_ONLY | _ENVIRONMENT_SETUP:
        return None
    if only and only & _EVALUATING and only <= _PARSING_ONLY | _ENVIRONMENT_SETUP | _EVALUATING:
        hit.confidence = LOW
        hit.message += (" (It only evaluates expressions here (`compile_expression`), which renders no template: "
                        "if their values never reach a page, say so and suppress this.)")
        return hit
    return _judged_by_output(ctx, hit, uses)


# Mako's filters that escape every character that could open markup or end a quoted attribute
# (& < > " '): "h" (HTML) and "x" (XML, what an Atom or RSS feed is written with).
_MAKO_ESCAPING_FILTERS = frozenset({"h", "x"})


def _mako_escapes(ctx: RuleContext, call: ast.Call) -> bool:
    """default_filters=[..., "h"] (or "x") escapes every ${expression}."""
    filters = ctx.keyword(call, "default_filters")
    elements = sequence_elements(ctx, filters)
    if elements is None:
        return filters is not None and not ctx.is_constant(filters)  # decided elsewhere: give the benefit
    return any(ctx.literal(e, None) in _MAKO_ESCAPING_FILTERS for e in elements)


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
        created with default_filters=["h"] (or including "h", or "x": XML escaping, which escapes
        the same characters, as feeds use) are not reported. As for Jinja2
        (jinja2-autoescape-off), the finding is low confidence where the templates are named for
        text (``Template(filename="script.py.mako")``, ``lookup.get_template("env.sls")``), or
        where nothing in the file shows HTML (no HTML template name or markup, no web framework).""",
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
    hit = Hit(call, message=f"`{ctx.source(call.func)}` is created without the \"h\" default filter: ${{...}} expressions are inserted into HTML unescaped.")
    uses = environment_uses(ctx, call)  # (a lookup's ``get_template(...)`` calls)
    filename = ctx.literal(ctx.keyword(call, "filename"), None)
    if isinstance(filename, str):
        uses.add_name(filename)
    if ctx.call_name(call) in MAKO_TEMPLATES:
        uses.add_source(ctx, ctx.argument(call, 0, "text"))
    return _judged_by_output(ctx, hit, uses)


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
        not reported. A template compiled by a jinja2 SandboxedEnvironment or
        ImmutableSandboxedEnvironment (made there, through a name bound once, a self.<attribute>
        the class sets to one, or a function of the file returning one) is low confidence, as are
        the flows into it from callers: the sandbox is Jinja's documented defence for templates
        users write, and what remains is the risk of a sandbox escape. A from_string() called on a
        class (cls, a class of the file, an imported CapWords name of a library that is no
        template engine: ``UserID.from_string(text)``, ``Version.from_string(s)``) is an
        alternative constructor, not Jinja's or Django's method of an environment instance: not
        reported. Nor is the project's own from_string(), on a class or an instance: a template it
        compiles is reported in its body.""",
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
    if source is None or (name not in TEMPLATE_SOURCE_CALLS and _compiles_no_template(ctx, call)):
        return None
    known_library = name in TEMPLATE_SOURCE_CALLS or any(ctx.facts.imports.imports_module(m) for m in TEMPLATE_LIBRARIES)
    called = ctx.source(call.func)
    sandbox = _sandbox(ctx, call.func.value) if name not in TEMPLATE_SOURCE_CALLS and isinstance(call.func, ast.Attribute) else None
    if sandbox is not None:
        return _sandboxed_hit(ctx, call, source, called, sandbox)
    return injection_hit(
        ctx, call, compose(ctx, source, NO_SANITIZERS).dynamic,
        dynamic_confidence=None if known_library else LOW,
        tainted=f"`{called}` compiles a template built from {{source}} (`{{code}}`); template syntax in it runs on the server.",
        dynamic=f"`{called}` compiles a template built from `{{code}}`, which is not a constant; if it can carry outside data, template syntax in it runs on the server.",
    )


def _compiles_no_template(ctx: RuleContext, call: ast.Call) -> bool:
    """``UserID.from_string(text)``: a ``from_string`` that is no template engine's. Jinja's and
    Django's ``from_string`` are methods of an environment (an engine) *instance*; called on a
    class, a ``from_string`` is an alternative constructor that parses its argument. So is the
    project's own ``from_string``, on a class or an instance: the analysis follows it into its
    body, and a template it compiles there is judged there (as the project's own ``execute`` is
    for SQL)."""
    if ctx.flow is not None and ctx.flow.calls_project_method(call):
        return True
    return isinstance(call.func, ast.Attribute) and _names_a_class(ctx, call.func.value)


# Modules whose classes compile templates: a ``from_string`` on one of theirs stays a sink.
_TEMPLATE_MODULES = (*TEMPLATE_LIBRARIES, "tornado", "bottle")


def _names_a_class(ctx: RuleContext, receiver: ast.expr) -> bool:
    """``receiver`` is a class, not an instance: ``cls``, a class this module defines, or a name
    imported from a library that is no template engine and spelled as classes are (``Version``,
    ``UserID``; not ``ENV`` nor ``env``, the names of instances)."""
    if isinstance(receiver, ast.Name) and receiver.id == "cls":
        return True
    if not isinstance(receiver, (ast.Name, ast.Attribute)):
        return False  # ``Environment().from_string``, ``engines["django"].from_string``
    last = receiver.id if isinstance(receiver, ast.Name) else receiver.attr
    if not (last[:1].isupper() and not last.isupper()):
        return False
    if isinstance(receiver, ast.Name) and last in ctx.facts.imports.local_defs:
        return any(isinstance(statement, ast.ClassDef) and statement.name == last for statement in ctx.parsed.tree.body)
    root = receiver
    while isinstance(root, ast.Attribute):
        root = root.value
    qualified = ctx.qualname(receiver) if isinstance(root, ast.Name) and root.id in ctx.facts.imports.aliases else None
    return qualified is not None and qualified.split(".")[0] not in _TEMPLATE_MODULES


def _sandboxed_hit(ctx: RuleContext, call: ast.Call, source: ast.expr, called: str, sandbox: str) -> Hit | None:
    """A template compiled in a Jinja sandbox, the documented way to render templates users write:
    low confidence, for this sink and for the flows reaching it from callers."""
    caveat = (f", in a Jinja sandbox (`{sandbox}`), Jinja's defence for templates users write: what remains is "
              "the risk of a sandbox escape (keep Jinja up to date) and what the template's context exposes")
    hit = injection_hit(
        ctx, call, compose(ctx, source, NO_SANITIZERS).dynamic,
        tainted=f"`{called}` compiles a template built from {{source}} (`{{code}}`){caveat}.",
        dynamic=f"`{called}` compiles a template built from `{{code}}`, which is not a constant{caveat}.",
    )
    if hit is not None:
        hit.confidence = hit.flows_at_most = LOW
        hit.flows_caveat = caveat
    return hit


def _sandbox(ctx: RuleContext, receiver: ast.expr, depth: int = 0) -> str | None:
    """The sandboxed environment class (``ImmutableSandboxedEnvironment``) whose instance
    ``receiver`` is: a call of it, a name bound once to one, a ``self.<attribute>`` that every
    assignment in the class binds to one, or a call of a function of this file returning one (so
    its return annotation says, or each of its returns is one); else None."""
    if depth > 3:
        return None
    if isinstance(receiver, ast.Call):
        made = _sandbox_call(ctx, receiver)
        if made is not None:
            return made
        function = _module_function(ctx, receiver.func)
        return _returned_sandbox(ctx, function) if function is not None else None
    if isinstance(receiver, ast.Name):
        bound = single_binding(ctx, receiver)
        return _sandbox(ctx, bound, depth + 1) if bound is not None and bound is not receiver else None
    if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and receiver.value.id == "self":
        cls = next((node for node in reversed(ctx.ancestors) if isinstance(node, ast.ClassDef)), None)
        values = [value for owner in _class_and_bases(ctx, cls) for value in _assigned_values(
            owner, lambda target: (isinstance(target, ast.Attribute) and target.attr == receiver.attr
                                   and isinstance(target.value, ast.Name) and target.value.id == "self"))]
        return _all_sandbox_calls(ctx, values)
    return None


def _class_and_bases(ctx: RuleContext, cls: ast.ClassDef | None) -> list[ast.ClassDef]:
    """``cls`` and its base classes defined at the top of this file, and theirs (a subclass reads
    the ``self.env`` its base's ``__init__`` set)."""
    classes = {node.name: node for node in ctx.parsed.tree.body if isinstance(node, ast.ClassDef)}
    found: list[ast.ClassDef] = []
    pending = [cls] if cls is not None else []
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        pending += [classes[base.id] for base in current.bases if isinstance(base, ast.Name) and base.id in classes]
    return found


def _sandbox_call(ctx: RuleContext, expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Call):
        qualified = ctx.qualname(expr.func)
        if qualified in SANDBOXED_ENVIRONMENTS:
            return qualified.rsplit(".", 1)[-1]
    return None


def _all_sandbox_calls(ctx: RuleContext, values: list[ast.expr]) -> str | None:
    made = [_sandbox_call(ctx, value) for value in values]
    return made[0] if made and None not in made else None


def _assigned_values(scope: ast.AST | None, is_target) -> list[ast.expr]:
    """The values of the assignments in ``scope`` to a target ``is_target`` accepts."""
    values = []
    for node in ast.walk(scope) if scope is not None else ():
        if isinstance(node, ast.Assign) and any(is_target(target) for target in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and is_target(node.target):
            values.append(node.value if node.value is not None else node.target)
    return values


def _module_function(ctx: RuleContext, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function of this module that ``func`` names (``create_env`` in ``create_env()``)."""
    if not isinstance(func, ast.Name) or func.id not in ctx.facts.imports.local_defs:
        return None
    return next((statement for statement in ctx.parsed.tree.body
                 if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == func.id), None)


def _returned_sandbox(ctx: RuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The sandboxed environment class ``function`` returns an instance of: its return annotation,
    or each value it returns (a call of it, or a name the function binds only to such calls)."""
    if function.returns is not None:
        annotated = ctx.qualname(function.returns)
        if annotated in SANDBOXED_ENVIRONMENTS:
            return annotated.rsplit(".", 1)[-1]
    returned = [node.value for node in ast.walk(function) if isinstance(node, ast.Return) and node.value is not None]
    values = []
    for value in returned:
        if isinstance(value, ast.Name):
            values += _assigned_values(function, lambda target: isinstance(target, ast.Name) and target.id == value.id) or [value]
        else:
            values.append(value)
    return _all_sandbox_calls(ctx, values)


__all__ = ["HTML_SANITIZERS", "HIGH"]
