"""What a template environment renders, judged from its file: HTML (pages, HTML e-mails, XML) or
text (code, SQL, configuration files), for the rules about environments that do not escape
(templates.py: ``jinja2-autoescape-off``, ``mako-templates-no-escape``). Escaping for HTML is
right for the first and would corrupt the second.

The evidence, most specific first:

- the environment's own uses in the file: the names of the templates it loads
  (``get_template("index.html")`` or ``"schema.sql"``; the suffix under a template engine's own
  counts: ``setup.py.j2`` is Python, ``page.html.j2`` a page, ``network.jinja`` says nothing) and
  the text it compiles (``from_string("<p>{{ q }}</p>")`` is markup; a value named ``sql``,
  ``query``, ``yaml``... is not);
- the file: it imports a web framework, or its strings (docstrings aside) name HTML templates or
  hold markup.

It also tells which uses render nothing: parsing or lexing a template, and a ``from_string`` whose
template is dropped (a syntax check).

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from secreview.models import WEB_FRAMEWORK_MODULES
from secreview.rules._naming import name_words
from secreview.rules._security_use import mentioned_names
from secreview.rules.context import RuleContext

# Modules whose import makes a file a web one, besides the frameworks the data flow knows.
_WEB_MODULES = (*WEB_FRAMEWORK_MODULES, "twisted.web", "klein")
# Methods loading templates by name (their first argument: a name, or a list of names).
_LOADING = frozenset({"get_template", "select_template", "get_or_select_template"})
_COMPILING = "from_string"
COMPILE_ONLY = "from_string (template dropped)"  # a use: compiled to check its syntax, never rendered

# Suffixes of template engines, which say nothing of the output; the suffix before them does.
_ENGINE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".mako", ".in")
_MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".svg", ".jinja_html")
_TEXT_SUFFIXES = (
    ".py", ".txt", ".sql", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".json", ".sh", ".md", ".rst", ".conf",
    ".env", ".c", ".h", ".go", ".rs", ".ts", ".js", ".tf", ".dockerfile", ".service", ".tac", ".sls", ".csv",
)
# Words of a value compiled as a template that say it is no markup (``from_string(sql)``).
_TEXT_SOURCE_WORDS = frozenset({"sql", "query", "queries", "yaml", "yml", "json", "toml", "ini", "cfg", "config", "conf",
                                "command", "cmd", "shell", "csv"})
# Markup: an HTML tag or an XML declaration.
_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|div|span|p|a|br|hr|img|table|tr|td|th|ul|ol|li|h[1-6]|script|style|form|input"
    r"|button|label|select|option|textarea|b|i|em|strong|pre|code|section|nav|header|footer|main|article|link"
    r"|meta|title|fieldset|svg)\b|<\?xml", re.IGNORECASE)
_HTML_TEMPLATE_NAME = re.compile(r"[\w./-]+\.(?:x?html?|jinja_html)(?:\.(?:j2|jinja2?|tmpl|tpl))?", re.IGNORECASE)

HTML, TEXT = "html", "text"


@dataclass
class Uses:
    """What the file does with one environment."""

    attributes: set[str] = field(default_factory=set)  # what is read of it (COMPILE_ONLY for a dropped from_string)
    complete: bool = False  # every use is one of those reads (it is not handed over, returned or stored)
    html: list[str] = field(default_factory=list)  # what shows it renders HTML (template names, markup)
    text: list[str] = field(default_factory=list)  # what shows it renders text (names, ``sql``)

    def add_name(self, name: str) -> None:
        """A template loaded by ``name``."""
        self._add(template_name_kind(name), f"`{name}`")

    def add_source(self, ctx: RuleContext, source: ast.expr | None) -> None:
        """A template compiled from ``source``."""
        self._add(*_source_kind(ctx, source))

    def _add(self, kind: str | None, shown: str) -> None:
        if kind == HTML:
            self.html.append(shown)
        elif kind == TEXT and shown not in self.text:
            self.text.append(shown)


def environment_uses(ctx: RuleContext, call: ast.Call) -> Uses:
    """The uses of the environment (or lookup) ``call`` makes: read at once
    (``Environment().get_template(...)``), through the name it is assigned to once, or through
    the ``self.<attribute>`` it is stored in (every use in the class)."""
    sites, complete = _use_sites(ctx, call)
    uses = Uses(complete=complete)
    for attribute, called, holder in sites:
        name = attribute.attr
        if name == _COMPILING and holder.__class__ is ast.Expr:
            name = COMPILE_ONLY
        uses.attributes.add(name)
        if called is None:
            continue
        if name in _LOADING:
            for loaded in _template_names(ctx, ctx.argument(called, 0, "name")):
                uses.add_name(loaded)
        elif name == _COMPILING:
            uses.add_source(ctx, ctx.argument(called, 0, "source"))
    return uses


def template_name_kind(name: str) -> str | None:
    """HTML or TEXT for a template's name (``index.html.j2``, ``schema.sql``), None when the
    name says nothing (``network.jinja``, ``base``)."""
    lowered = name.lower()
    if any(suffix in lowered for suffix in _MARKUP_SUFFIXES):
        return HTML
    while lowered.endswith(_ENGINE_SUFFIXES):
        lowered = lowered.rsplit(".", 1)[0]
    return TEXT if lowered.endswith(_TEXT_SUFFIXES) else None


def _source_kind(ctx: RuleContext, source: ast.expr | None) -> tuple[str | None, str]:
    """HTML or TEXT for the text a template is compiled from (None when nothing tells), and how
    to show that evidence."""
    if source is None:
        return None, ""
    if any(_MARKUP.search(text) for text in _literal_texts(ctx, source)):
        return HTML, "markup"
    named = next((name for name in mentioned_names([source], ctx) if _TEXT_SOURCE_WORDS & set(name_words(name))), None)
    return (TEXT, f"`{named}`") if named is not None else (None, "")


def _literal_texts(ctx: RuleContext, expr: ast.expr) -> list[str]:
    """The string constants in ``expr`` and in what its names are bound to (one level)."""
    texts = []
    for node in ast.walk(expr):
        if node.__class__ is ast.Constant and isinstance(node.value, str):  # type: ignore[attr-defined]
            texts.append(node.value)  # type: ignore[attr-defined]
        elif node.__class__ is ast.Name:
            for binding in ctx.facts.scopes.bindings_of(node.id, ctx.scope_chain) or []:  # type: ignore[attr-defined]
                if binding is not None:
                    texts += [inner.value for inner in ast.walk(binding)
                              if inner.__class__ is ast.Constant and isinstance(inner.value, str)]  # type: ignore[attr-defined]
    return texts


def _template_names(ctx: RuleContext, argument: ast.expr | None) -> list[str]:
    """The known names (or name endings, for the suffix) a template is loaded by: a constant,
    an f-string or ``+`` ending in a constant (``f"rh{version}_eth.jinja"``), a name bound only to
    such values, the elements of a list of them."""
    if argument is None:
        return []
    if isinstance(argument, (ast.List, ast.Tuple)):
        return [name for element in argument.elts for name in _template_names(ctx, element)]
    if isinstance(argument, ast.Constant):
        return [argument.value] if isinstance(argument.value, str) else []
    if isinstance(argument, ast.JoinedStr) and argument.values:
        return _template_names(ctx, argument.values[-1])  # type: ignore[arg-type]
    if isinstance(argument, ast.BinOp) and isinstance(argument.op, ast.Add):
        return _template_names(ctx, argument.right)
    if isinstance(argument, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(argument.id, ctx.scope_chain) or []
        if bindings and all(isinstance(binding, ast.Constant) for binding in bindings):
            return [name for binding in bindings for name in _template_names(ctx, binding)]
    return []


def _use_sites(ctx: RuleContext, call: ast.Call) -> tuple[list[tuple[ast.Attribute, ast.Call | None, ast.AST | None]], bool]:
    """(the attribute read of the environment, the call of it if called, what holds that call)
    for each use, and whether every use is such a read."""
    chain = ctx.ancestors
    if len(chain) >= 2 and chain[-1] is call and chain[-2].__class__ is ast.Attribute:  # ``Environment().parse(s)``
        attribute: ast.Attribute = chain[-2]  # type: ignore[assignment]
        called = chain[-3] if len(chain) >= 3 and chain[-3].__class__ is ast.Call else None
        holder = chain[-4] if called is not None and len(chain) >= 4 else None
        return [(attribute, called if called is not None and called.func is attribute else None, holder)], True  # type: ignore[attr-defined]
    variable = ctx.assigned_once_to(call)
    if variable is not None:
        return _reads(ctx.function or ctx.facts.scopes.tree, lambda node: node.__class__ is ast.Name and node.id == variable)  # type: ignore[attr-defined]
    stored = _stored_on_self(ctx, call)
    if stored is not None:
        cls, attribute = stored
        return _reads(cls, lambda node: (node.__class__ is ast.Attribute and node.attr == attribute  # type: ignore[attr-defined]
                                         and node.value.__class__ is ast.Name and node.value.id == "self"))  # type: ignore[attr-defined]
    return [], False


def _stored_on_self(ctx: RuleContext, call: ast.Call) -> tuple[ast.ClassDef, str] | None:
    """The class and attribute of ``self.<attribute> = call`` (annotated or not) in a method."""
    statement = ctx.statement
    if isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is call:
        target = statement.target
    else:
        return None
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
        return None
    cls = next((node for node in reversed(ctx.ancestors) if isinstance(node, ast.ClassDef)), None)
    return (cls, target.attr) if cls is not None else None


def _reads(scope: ast.AST, is_environment) -> tuple[list[tuple[ast.Attribute, ast.Call | None, ast.AST | None]], bool]:
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    sites = []
    complete = True
    for node in ast.walk(scope):
        if not (is_environment(node) and isinstance(getattr(node, "ctx", None), ast.Load)):
            continue
        attribute = parents.get(id(node))
        if not isinstance(attribute, ast.Attribute):
            complete = False  # handed over, returned, stored: its other uses are not seen
            continue
        called = parents.get(id(attribute))
        if isinstance(called, ast.Call) and called.func is attribute:
            sites.append((attribute, called, parents.get(id(called))))
        else:
            sites.append((attribute, None, called))
    return sites, complete


def file_shows_html(ctx: RuleContext) -> bool:
    """The file imports a web framework, or a string in it (docstrings aside) names an HTML
    template or holds markup. Computed once per file."""
    cache = ctx.__dict__
    if "_template_output_html" not in cache:
        imports = ctx.facts.imports
        cache["_template_output_html"] = any(imports.imports_module(module) for module in _WEB_MODULES) \
            or _has_html_strings(ctx.parsed.tree)
    return cache["_template_output_html"]


def _has_html_strings(tree: ast.AST) -> bool:
    docstrings = set()
    for node in ast.walk(tree):  # (breadth first: a statement before its value)
        if node.__class__ is ast.Expr:
            docstrings.add(id(node.value))  # type: ignore[attr-defined]
        elif node.__class__ is ast.Constant and isinstance(node.value, str) and id(node) not in docstrings:  # type: ignore[attr-defined]
            text = node.value  # type: ignore[attr-defined]
            if _MARKUP.search(text) or _HTML_TEMPLATE_NAME.fullmatch(text):
                return True
    return False
