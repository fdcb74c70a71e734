"""The fast tree walk and the statement-only binding search give the same answers as the plain
``ast`` walks they replace."""
import ast
from pathlib import Path

from secreview.facts import FileFacts, walk
from secreview.facts.imports import build_import_map
from secreview.facts.scopes import ScopeIndex

SOURCES = sorted((Path(__file__).parents[1] / "src" / "secreview").rglob("*.py"))
TRICKY = '''
import os as o
def f(a, *b, c=1, **d):
    x, (y, *z) = 1, (2, 3)
    for i in range(3):
        with open(a) as (h, g):
            pass
    try:
        pass
    except OSError as err:
        pass
    match a:
        case {"k": v, **rest}:
            pass
        case [p, *q] | [p, q]:
            pass
        case Point(x=px) as whole:
            pass
    global G
    lam = lambda u: u + 1
    comp = [w for w in b]
    @decorate
    class K:
        attr: int = 3
    async def g():
        async for m in n:
            pass
    total = 0
    total += 1
    from os.path import join as j
    import a.b.c
'''


def _walk_nodes(tree):
    return [n for n in ast.walk(tree) if not isinstance(n, ast.expr_context)]


def test_preorder_visits_what_ast_walk_visits():
    for path in SOURCES[:20]:
        tree = ast.parse(path.read_text())
        assert sorted(map(id, walk.preorder(tree))) == sorted(map(id, _walk_nodes(tree)))


def test_preorder_order_is_parent_first_source_order():
    tree = ast.parse("a(b, c)\nd = e")
    names = [n.id for n in walk.preorder(tree) if isinstance(n, ast.Name)]
    assert names == ["a", "b", "c", "d", "e"]


def test_collect_gives_ancestors():
    tree = ast.parse("def f():\n    if x:\n        g()\n")
    [(call, ancestors)] = walk.collect(tree, {ast.Call})
    assert [type(a).__name__ for a in ancestors] == ["Module", "FunctionDef", "If", "Expr"]


def test_collect_survives_deep_nesting():
    tree = ast.parse("x = " + "(" * 150 + "1" + ")" * 150 + "\ny = " + "[" * 150 + "]" * 150)
    assert len(walk.collect(tree, {ast.List})) == 150


def _scopes(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))]


def _bindings(index, scope):
    collected = index.collector(scope)
    return {name: sorted(map(ast.dump, filter(None, values))) + [v for v in values if v is None] for name, values in collected.bindings.items()}, collected.escaped


def test_statement_only_binding_search_matches_full_search():
    for text in [TRICKY, *(p.read_text() for p in SOURCES)]:
        tree = ast.parse(text)
        if any(isinstance(n, ast.NamedExpr) for n in ast.walk(tree)):
            continue
        full, fast = ScopeIndex(tree, expressions_bind=True), ScopeIndex(tree, expressions_bind=False)
        for scope in _scopes(tree):
            assert _bindings(full, scope) == _bindings(fast, scope)


def test_walrus_in_file_keeps_full_binding_search():
    tree = ast.parse("def f():\n    if (n := g()):\n        pass\n")
    facts = FileFacts.build(tree, collect={ast.Call})
    assert facts.scopes.expressions_bind
    assert facts.scopes.bindings_of("n", [tree, tree.body[0]]) == [tree.body[0].body[0].test.value]


def test_import_map_from_collected_nodes_matches_own_walk():
    text = "def f():\n    import b as x\nimport a as x\nfrom c import d as x\n"
    tree = ast.parse(text)
    # a later binding wins in breadth-first order: module-level imports before nested ones
    assert build_import_map(tree).aliases["x"] == "b"
    facts = FileFacts.build(tree, collect={ast.Call})
    assert facts.imports.aliases == build_import_map(tree).aliases


def test_statement_walk_finds_statements_like_the_full_walk():
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        wanted = {ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Return, ast.ExceptHandler}
        assert walk.collect_statements(tree, wanted) == walk.collect(tree, wanted)


def test_facts_without_collected_nodes_still_see_walrus_bindings():
    tree = ast.parse("import os as o\ndef f():\n    if (n := g()):\n        pass\n")
    facts = FileFacts.build(tree)
    assert facts.imports.aliases["o"] == "os" and facts.scopes.expressions_bind is None
    assert facts.scopes.bindings_of("n", [tree, tree.body[1]]) == [tree.body[1].body[0].test.value]


def _plain_collect(tree, wanted, names=frozenset()):
    """What ``walk.collect`` must return, from a recursive walk over ``ast.iter_child_nodes``."""
    found = []

    def visit(node, ancestors):
        identifier = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if type(node) in wanted or identifier in names:
            found.append((node, tuple(ancestors)))
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr_context):
                visit(child, [*ancestors, node])

    visit(tree, [])
    return found


def test_collect_with_names_matches_a_plain_walk():
    wanted = {ast.Call, ast.Assign, ast.Import, ast.ImportFrom, ast.JoinedStr}
    for path in SOURCES[:40]:
        tree = ast.parse(path.read_text())
        names = frozenset({"ast", "append", "node", "self"})
        assert walk.collect(tree, wanted, names) == _plain_collect(tree, wanted, names)


def test_facts_gather_imports_aside_without_changing_the_rules_nodes():
    tree = ast.parse("import os\ndef f():\n    from a import b\n    (n := g())\n    os.system(b)\n")
    facts = FileFacts.build(tree, collect={ast.Call, walk.NamedNodes(frozenset({"system"}))})
    assert [type(n).__name__ for n, _ in facts.nodes] == ["Call", "Call", "Attribute"]
    assert facts.imports.aliases == {"os": "os", "b": "a.b"} and facts.scopes.expressions_bind


def test_dispatcher_hands_names_only_to_rules_that_want_them():
    from secreview.rules.base import MEDIUM, Rule
    from secreview.rules.context import RuleContext
    from secreview.rules.dispatch import Dispatcher
    from secreview.parse import parse_text

    seen = []
    named = Rule(id="t-named", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                 check=lambda node, ctx: seen.append(("named", ast.unparse(node))), nodes=(ast.Name, ast.Attribute),
                 names=frozenset({"PROTOCOL_TLSv1"}))
    every = Rule(id="t-every", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                 check=lambda node, ctx: seen.append(("every", ast.unparse(node))), nodes=(ast.Attribute,))
    parsed = parse_text("x.py", "import ssl\nssl.wrap(ssl.PROTOCOL_TLSv1, PROTOCOL_TLSv1, PROTOCOL_TLS)\n")
    dispatcher = Dispatcher([named, every])
    for collect in (dispatcher.wanted, ()):  # nodes from the facts walk, or walked by the dispatcher
        seen.clear()
        facts = FileFacts.build(parsed.tree, collect=collect)
        dispatcher.run(parsed.tree, RuleContext(parsed, facts))
        assert seen == [("every", "ssl.wrap"), ("named", "ssl.PROTOCOL_TLSv1"), ("every", "ssl.PROTOCOL_TLSv1"),
                        ("named", "PROTOCOL_TLSv1")]


def test_dispatcher_hands_calls_to_keyword_rules_only_when_they_pass_the_keyword():
    from secreview.rules.base import MEDIUM, Rule
    from secreview.rules.context import RuleContext
    from secreview.rules.dispatch import Dispatcher
    from secreview.parse import parse_text

    seen = []

    def recorder(label):
        return lambda node, ctx: seen.append((label, ast.unparse(node.func)))

    first = Rule(id="t-every-first", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="",
                 solution="", check=recorder("every"), nodes=(ast.Call,))
    keyed = Rule(id="t-keyed", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                 check=recorder("keyed"), nodes=(ast.Call,), keywords=frozenset({"shell"}))
    last = Rule(id="t-method", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                check=recorder("method"), methods=("run",))
    parsed = parse_text("x.py", "a(shell=True)\nb(cwd=x)\nc.run(shell=x)\n")
    dispatcher = Dispatcher([first, keyed, last])
    facts = FileFacts.build(parsed.tree, collect=dispatcher.wanted)
    dispatcher.run(parsed.tree, RuleContext(parsed, facts))
    # registration order kept for each call; only calls passing shell= reach the keyed rule
    assert seen == [("every", "a"), ("keyed", "a"), ("every", "b"), ("every", "c.run"), ("keyed", "c.run"),
                    ("method", "c.run")]


def test_dispatcher_hands_assignments_to_target_rules_only_when_they_store_into_the_target():
    from secreview.rules.base import MEDIUM, Rule
    from secreview.rules.context import RuleContext
    from secreview.rules.dispatch import Dispatcher
    from secreview.parse import parse_text

    seen = []

    def recorder(label):
        return lambda node, ctx: seen.append((label, node.lineno))

    every = Rule(id="t-every", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                 check=recorder("every"), nodes=(ast.Assign,))
    debug = Rule(id="t-debug", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="", solution="",
                 check=recorder("debug"), nodes=(ast.Assign,), targets=frozenset({"DEBUG"}))
    headers = Rule(id="t-headers", title="", cwe=1, severity=MEDIUM, confidence=MEDIUM, description="",
                   solution="", check=recorder("headers"), nodes=(ast.Assign,), targets=frozenset({"headers[]"}))
    parsed = parse_text("x.py", "DEBUG = True\nx = 1\nr.headers['a'] = v\nsettings.DEBUG = b = 2\nheaders = {}\n")
    dispatcher = Dispatcher([headers, every, debug])
    facts = FileFacts.build(parsed.tree, collect=dispatcher.wanted)
    dispatcher.run(parsed.tree, RuleContext(parsed, facts))
    # registration order kept; ``headers = {}`` is not a store into headers[...]
    assert seen == [("every", 1), ("debug", 1), ("every", 2), ("headers", 3), ("every", 3), ("every", 4),
                    ("debug", 4), ("every", 5)]
