"""Calls on HTTP client objects made in the file resolve to ``Class.method`` for the rules
(``client.get`` after ``client = httpx.Client()`` is ``httpx.Client.get``), and only when every
binding of the receiver says so."""
import ast
import textwrap

import pytest

from conftest import review_text
from secreview.facts import FileFacts
from secreview.findings import Level
from secreview.parse import parse_text
from secreview.rules.context import RuleContext


def call_names(code: str) -> dict[int, str | None]:
    """Line -> ``ctx.call_name`` of the last call on that line whose function is ``X.get``."""
    parsed = parse_text("snippet.py", textwrap.dedent(code))
    facts = FileFacts.build(parsed.tree, collect={ast.Call})
    ctx = RuleContext(parsed, facts)
    names = {}
    for node, outer in facts.nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            ctx.enter(outer, node)
            names[node.lineno] = ctx.call_name(node)
    return names


def test_constructed_entered_module_level_and_attribute_receivers():
    names = call_names('''
        import httpx, requests, urllib3
        from requests import Session
        from aiohttp import ClientSession
        http = requests.Session()
        def plain():
            client = httpx.Client()
            client.get("u")
            http.get("u")
        async def entered():
            async with httpx.AsyncClient() as client, ClientSession() as session:
                await client.get("u")
                session.get("u")
            with Session() as s:
                s.get("u")
            requests.session().get("u")
        class Api:
            def __init__(self):
                self.pool = urllib3.PoolManager()
            def fetch(self):
                def inner():
                    return self.pool.get("u")
                return self.pool.get("u")
    ''')
    assert names == {
        8: "httpx.Client.get", 9: "requests.Session.get", 12: "httpx.AsyncClient.get",
        13: "aiohttp.ClientSession.get", 15: "requests.Session.get", 16: "requests.Session.get",
        22: "urllib3.PoolManager.get", 23: "urllib3.PoolManager.get",
    }


def test_no_guessing():
    names = call_names('''
        import httpx, requests
        from myapp import Client
        def rebound(make):
            client = httpx.Client()
            client = make()
            client.get("u")
        def two_classes(flag):
            if flag:
                client = httpx.Client()
            else:
                client = requests.Session()
            client.get("u")
        def parameter(client):
            client.get("u")
        def loop(clients):
            for client in clients:
                client.get("u")
        def entered_file(path):
            with open(path) as client:
                client.get("u")
        def a_local_class():
            client = Client()
            client.get("u")
        def entered_and_assigned(make):
            client = make()
            with httpx.Client() as client:
                client.get("u")
        shared = httpx.Client()
        def uses_global():
            global shared
            shared.get("u")
        class Swapped:
            def __init__(self, other):
                self.client = httpx.Client()
                if other:
                    self.client = other
            def fetch(self):
                return self.client.get("u")
            @staticmethod
            def static(self):
                return self.client.get("u")
        class Elsewhere:
            def fetch(self):
                return self.client.get("u")
        def not_a_method(self):
            return self.client.get("u")
    ''')
    assert set(names.values()) == {None}, names


def test_without_a_client_library_import_nothing_is_looked_up():
    names = call_names('''
        from myapp import httpx
        client = httpx.Client()
        client.get("u")
    ''')
    assert names == {4: None}


def test_dict_get_is_untouched():
    assert call_names('''
        import requests
        def f(d):
            cache = {}
            return cache.get("k"), d.get("k")
    ''') == {5: None}


@pytest.mark.parametrize("receiver, confidence", [
    ("httpx.Client()", Level.HIGH),
    ("requests.Session()", Level.HIGH),
    ("make_client()", Level.MEDIUM),
])
def test_verify_false_on_a_known_client_is_high_confidence(receiver, confidence):
    code = f"import httpx, requests\nsession = {receiver}\nsession.get('https://x.example', verify=False, timeout=5)\n"
    findings = [f for f in review_text(code).findings if f.rule_id == "tls-verification-disabled"]
    assert [(f.line, f.confidence) for f in findings] == [(3, confidence)]


def test_session_verify_assignment_in_a_with_block_is_high_confidence():
    code = "import requests\nwith requests.Session() as s:\n    s.verify = False\n"
    findings = [f for f in review_text(code).findings if f.rule_id == "tls-verification-disabled"]
    assert [(f.line, f.confidence) for f in findings] == [(3, Level.HIGH)]
