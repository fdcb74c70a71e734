"""Every rule's documentation is complete and true: its example is reported by the rule, and its
fixed version is not reported at the default confidence (what a user sees without options).

Examples are fragments, as in documentation; PRELUDE gives them the imports and constants they
take for granted. Reviewed code is never run, so these names need not be installed."""
import textwrap

import pytest

from conftest import review_text
from secreview.findings import Level
from secreview.rules import all_rules

PRELUDE = """\
import base64, hashlib, http.client, json, logging, os, pickle, random, re, secrets, shlex, shutil
import socket, sqlite3, ssl, string, subprocess, sys, tarfile, tempfile, telnetlib, ftplib, zipfile
import xml.etree.ElementTree, xml.sax, urllib.parse, urllib.request, wsgiref.handlers
import jinja2, ldap, mako.template, paramiko, requests, torch, werkzeug.utils, yaml
from Crypto.Cipher import DES
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.db.models.expressions import RawSQL
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from flask import Flask, Markup, abort, make_response, redirect, render_template_string, request, session, url_for
from lxml import etree
from mako.lookup import TemplateLookup
from markupsafe import escape
from oslo_concurrency import lockutils
from oslo_config import cfg
from pyghmi.ipmi.command import Command
from pysnmp.hlapi import CommunityData, UsmUserData
from ruamel.yaml import YAML
from transformers import AutoModel
from xmlrpc.server import SimpleXMLRPCServer

app = Flask(__name__)
LOG = logging.getLogger(__name__)
ALLOWED_HOSTS = {"api.example.com"}
ALLOWED_ROLES = ("reader", "editor")
"""


def documented(code: str) -> str:
    # Docs spell invisible characters as <U+202E>; the reviewed example needs the real ones.
    import re

    return PRELUDE + re.sub(r"<U\+([0-9A-Fa-f]{4})>", lambda m: chr(int(m.group(1), 16)), textwrap.dedent(code))


@pytest.mark.parametrize("rule", list(all_rules().values()), ids=lambda r: r.id)
def test_example_fires_and_fixed_version_is_quiet(rule):
    assert rule.description and rule.solution and rule.example and rule.fixed, "documentation incomplete"
    example = [f.rule_id for f in review_text(documented(rule.example)).findings]
    assert rule.id in example, rule.example
    fixed = [f.rule_id for f in review_text(documented(rule.fixed), min_confidence=Level.MEDIUM).findings]
    assert rule.id not in fixed, rule.fixed
