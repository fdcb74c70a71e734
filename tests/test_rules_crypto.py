"""Crypto, deserialization, XML, transport and ML rules: behaviour that a single fixture file cannot
show (file-wide mitigations, confidence at the default threshold, evidence), and the rules' own
documentation (each example fires its rule, each fixed version does not)."""
import re
import textwrap
from pathlib import Path

import pytest

from conftest import review_text
from secreview.findings import Level
from secreview.rules import all_rules

FAMILIES = {"crypto", "deserialization", "xml_parsing", "transport", "ml"}
RULES = sorted((r for r in all_rules().values() if r.family in FAMILIES), key=lambda r: r.id)
PARITY = Path(__file__).parent.parent / "docs" / "bandit-parity.md"

# Imports that rule examples take for granted (examples are fragments, as in documentation).
PRELUDE = """\
import base64, hashlib, http.client, json, os, pickle, random, secrets, ssl, string, telnetlib, ftplib
import xml.etree.ElementTree, urllib.parse, urllib.request, wsgiref.handlers
import paramiko, requests, torch, yaml
from Crypto.Cipher import DES
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree
from pyghmi.ipmi.command import Command
from pysnmp.hlapi import CommunityData, UsmUserData
from ruamel.yaml import YAML
from transformers import AutoModel
from xmlrpc.server import SimpleXMLRPCServer
"""


def findings(code: str, **options):
    return review_text(textwrap.dedent(code), **options).findings


def rule_ids(code: str, **options) -> list[str]:
    return [f.rule_id for f in findings(code, **options)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_documentation_is_complete_and_its_example_fires(rule):
    assert rule.description and rule.solution and rule.example and rule.fixed
    assert rule.id in rule_ids(PRELUDE + rule.example), rule.example
    assert rule.id not in rule_ids(PRELUDE + rule.fixed), rule.fixed


def test_every_bandit_id_of_these_rules_has_a_parity_row():
    section = PARITY.read_text().split("## Crypto, deserialization, XML, TLS", 1)[1]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| (B\d{3}) \|[^|]*\|([^|]*)\|", section, re.M)}
    for rule in RULES:
        for bandit_id in rule.bandit:
            assert bandit_id in rows, f"{bandit_id} ({rule.id}) has no row"
            assert f"`{rule.id}`" in rows[bandit_id], f"{bandit_id} row does not name {rule.id}"


# --- precision --------------------------------------------------------------------------------------
def test_weak_hash_for_a_cache_key_is_hidden_at_the_default_confidence():
    code = """
        import hashlib
        def cache_key(url):
            return hashlib.md5(url.encode()).hexdigest()
        def store(user, token):
            user.digest = hashlib.md5(token.encode()).hexdigest()
    """
    shown = findings(code, min_confidence=Level.MEDIUM)
    assert [(f.rule_id, f.line, f.confidence) for f in shown] == [("weak-hash", 6, Level.HIGH)]
    assert "token" in shown[0].message


def test_weak_hash_object_fed_a_password_is_high_confidence():
    code = """
        import hashlib
        def digest(password):
            h = hashlib.sha1()
            h.update(password.encode())
            return h.hexdigest()
    """
    (finding,) = findings(code)
    assert finding.confidence == Level.HIGH


def test_random_is_silent_without_a_security_use():
    code = """
        import random
        def simulate(players):
            random.shuffle(players)
            roll = random.randint(1, 6)
            return roll, random.choice(players)
    """
    assert rule_ids(code) == []


def test_defuse_stdlib_silences_stdlib_xml_parsers():
    code = """
        import defusedxml
        import xml.etree.ElementTree as ET
        defusedxml.defuse_stdlib()
        def read(data):
            return ET.fromstring(data)
    """
    assert "xml-entity-expansion" not in rule_ids(code)
    assert "xml-entity-expansion" in rule_ids(code.replace("defusedxml.defuse_stdlib()", ""))


def test_xmlrpc_monkey_patch_silences_the_server_rule():
    code = """
        from xmlrpc.server import SimpleXMLRPCServer
        import defusedxml.xmlrpc
        defusedxml.xmlrpc.monkey_patch()
        server = SimpleXMLRPCServer(("127.0.0.1", 8000))
    """
    assert rule_ids(code) == []


def test_removing_http_proxy_silences_httpoxy():
    code = """
        import os
        from wsgiref.handlers import CGIHandler
        os.environ.pop("HTTP_PROXY", None)
        CGIHandler().run(app)
    """
    assert rule_ids(code) == []
    assert rule_ids(code.replace('os.environ.pop("HTTP_PROXY", None)', "")) == ["httpoxy-cgi"]


def test_stdlib_xml_is_hidden_at_the_default_confidence_but_lxml_resolve_entities_is_not():
    code = """
        import xml.etree.ElementTree as ET
        from lxml import etree
        def parse(data):
            ET.fromstring(data)
            return etree.fromstring(data, etree.XMLParser(resolve_entities=True))
    """
    shown = findings(code, min_confidence=Level.MEDIUM)
    assert [(f.rule_id, f.cwe, f.severity) for f in shown] == [("xml-external-entities", 611, Level.HIGH)]


# --- evidence from the data-flow engine -------------------------------------------------------------------
def test_pickle_of_request_data_carries_the_trace():
    code = """
        import pickle
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/restore", methods=["POST"])
        def restore():
            blob = request.get_data()
            return str(pickle.loads(blob))
    """
    (finding,) = [f for f in findings(code) if f.rule_id == "unsafe-deserialization"]
    assert finding.line == 9
    assert [step.line for step in finding.trace][-1] == 9
    assert finding.trace[0].line == 8
    assert finding.confidence >= Level.MEDIUM


def test_yaml_of_a_constant_document_is_silent_even_with_the_unsafe_loader():
    code = """
        import yaml
        DEFAULTS = '''
        retries: 3
        '''
        settings = yaml.load(DEFAULTS, Loader=yaml.Loader)
    """
    assert rule_ids(code) == []


def test_turning_checks_off_under_a_condition_or_temporarily_is_less_certain():
    code = """
        import ssl, requests
        def fetch(args, url):
            context = ssl.create_default_context()
            if args.insecure:
                requests.get("https://example.com", verify=False, timeout=5)
            saved = context.check_hostname
            context.check_hostname = False
            context.check_hostname = saved
            context.verify_mode = ssl.CERT_NONE
    """
    confidences = {(f.rule_id, f.line): f.confidence for f in findings(code)}
    assert confidences == {
        ("tls-verification-disabled", 6): Level.MEDIUM,
        ("tls-context-verification-off", 8): Level.LOW,
        ("tls-context-verification-off", 10): Level.HIGH,
    }


def test_a_weak_hash_in_a_table_keyed_by_identifiers_is_not_a_use():
    code = """
        from cryptography.hazmat.primitives import hashes
        SIGNATURE_HASHES = {"rsa-md5": hashes.MD5()}
        LEGACY_SIGNATURE_OIDS = {OIDS.RSA_WITH_SHA1: hashes.SHA1()}
    """
    assert [(f.line, f.confidence) for f in findings(code)] == [(3, Level.HIGH), (4, Level.LOW)]


def test_weak_hash_over_request_data_has_evidence_ending_at_the_hash():
    from conftest import review_text
    code = (
        "import hashlib\n"
        "from flask import request\n"
        "def etag():\n"
        "    body = request.get_data()\n"
        "    return hashlib.md5(body).hexdigest()\n"
    )
    [finding] = [f for f in review_text(code).findings if f.cwe == 328]
    assert [step.line for step in finding.trace] == [4, 5]
    assert finding.trace[-1].note == "hashed with MD5"


WEAK_HASH_PURPOSES = Path(__file__).parent / "fixtures" / "flows" / "weak_hash_purposes.py"


def test_weak_hashes_shown_not_to_be_security_uses_stay_low_findings():
    # The near misses of the fixture marked `# safe: low` are hidden at the default confidence,
    # not dropped: each is a low finding saying why (Bandit's B303/B324 parity at low confidence).
    text = WEAK_HASH_PURPOSES.read_text()
    marked = {number for number, line in enumerate(text.splitlines(), start=1) if "# safe: low" in line}
    found = [f for f in review_text(text, path=WEAK_HASH_PURPOSES.name).findings if f.cwe in (328, 916)]
    low = {f.line: f.message for f in found if f.confidence == Level.LOW}
    assert set(low) == marked
    assert "`salt`" not in low[24] and "security purpose" in low[24]
    assert "HMAC" in low[61] and "RFC" not in low[61] and "TOTP" in low[61]
    assert "`hmac_hash`" in low[77]
    assert "fingerprint of `cert`" in low[84]
    assert "MySQL's native password format" in low[94]
    assert "network data (socket)" in low[111] and "checksum" in low[111]


def test_a_hash_object_fed_a_salt_and_a_password_names_the_password():
    code = """
        import hashlib, os
        def encrypt(passwd):
            m = hashlib.sha1()
            salt = os.urandom(8).hex().encode()
            m.update(to_bytes(passwd) + salt)
            return salt + m.hexdigest()
    """
    [finding] = [f for f in findings(code) if f.rule_id == "weak-hash"]
    assert (finding.confidence, "(`passwd`)" in finding.message) == (Level.HIGH, True)


TLS_VERSION_CHOICES = Path(__file__).parent / "fixtures" / "flows" / "tls_version_choices.py"


def test_old_tls_versions_offered_to_the_operator_stay_low_findings():
    # The near misses marked `# safe: low` (a table from version names, a function translating
    # configured options into one of several versions) are hidden at the default confidence, not
    # dropped: each is a low finding saying it is the operator's choice.
    text = TLS_VERSION_CHOICES.read_text()
    marked = {number for number, line in enumerate(text.splitlines(), start=1) if "# safe: low" in line}
    found = [f for f in review_text(text, path=TLS_VERSION_CHOICES.name).findings if f.rule_id == "insecure-tls-version"]
    low = {f.line: f.message for f in found if f.confidence == Level.LOW}
    assert set(low) == marked
    assert all("the operator's choice" in message for message in low.values())
    assert "`floor_for()` translates its arguments" in low[23]
