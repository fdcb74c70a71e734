"""XML parsing of data from outside: external entities (XXE, CWE-611) and entity expansion
(billion laughs, CWE-776).

What the parsers actually do today decides the CWE, severity and confidence:
- The standard library parsers (xml.etree, xml.dom.minidom/pulldom, xml.sax, expatbuilder,
  xmlrpc) do not resolve external entities (xml.sax's feature_external_ges is off by default since
  Python 3.7.1, the others never fetch them). What remains is entity expansion, and expat 2.4.1+
  (bundled with current Pythons; Debian/Ubuntu system expat too) limits that amplification: the
  defect is real only on an old system expat. So: CWE-776, low severity, low confidence.
- xml.sax with feature_external_ges/pes turned on resolves external entities: CWE-611, high.
- lxml resolved external entities by default before 5.0 (resolve_entities=True); lxml 5.0 made
  it "internal". An explicit resolve_entities=True is CWE-611 at high confidence; relying on the
  default is reported at low confidence.
Constant XML text and constant file paths are not reported (the program chose what it parses);
defusedxml is never reported, and a file that calls defusedxml.defuse_stdlib() is exempt.
"""
from __future__ import annotations

import ast

from secreview.rules._security_use import file_calls, is_literal_false, is_literal_true, single_binding
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import MISSING, RuleContext

# --- standard library parsers ----------------------------------------------------------------------------
_ETREE_FUNCTIONS = ("parse", "fromstring", "XML", "iterparse", "fromstringlist", "XMLID")
_STDLIB_PARSE_CALLS = [
    *(f"xml.etree.{module}.{function}" for module in ("ElementTree", "cElementTree") for function in _ETREE_FUNCTIONS),
    *(f"xml.dom.{module}.{function}" for module in ("minidom", "pulldom", "expatbuilder") for function in ("parse", "parseString")),
    "xml.sax.parse", "xml.sax.parseString",
]
_DEFUSE_STDLIB = ("defusedxml.defuse_stdlib",)


def _parsed_data_hit(ctx: RuleContext, call: ast.Call, value: ast.expr | None, *, tainted: str, dynamic: str,
                     dynamic_confidence=LOW, tainted_cap=MEDIUM) -> Hit | None:
    hit = dynamic_value_hit(ctx, call, value, tainted=tainted, dynamic=dynamic)
    if hit is None:
        return None
    hit.confidence = min(hit.confidence or MEDIUM, tainted_cap) if hit.trace else dynamic_confidence
    return hit


def _escaped_name(ctx: RuleContext, call: ast.Call) -> str:
    return ctx.source(call.func).replace("{", "{{").replace("}", "}}")


@rule(
    id="xml-entity-expansion",
    title="XML entity expansion (billion laughs) with a standard library parser",
    cwe=776,
    severity=LOW,
    confidence=LOW,
    bandit=["B313", "B314", "B316", "B317", "B318", "B319", "B405", "B406", "B407", "B408", "B409"],
    calls=_STDLIB_PARSE_CALLS,
    description="""The standard library XML parsers expand internal entities; a small document of
        nested entities ("billion laughs") or a huge repeated one can exhaust memory and CPU.
        They do not resolve external entities (no XXE) on Python 3.7.1+, and expat 2.4.1+ caps the
        amplification, so this is a defect only where Python uses an older system expat: low
        severity and low confidence (Bandit reports every call at medium). Constant documents and
        files at fixed paths are not reported; defusedxml and files that call
        defusedxml.defuse_stdlib() are not reported.""",
    solution="""Parse data from outside with defusedxml (defusedxml.ElementTree.fromstring, 
        defusedxml.minidom.parseString, ...), which refuses entity declarations, and check
        pyexpat.EXPAT_VERSION >= 2.4.1 where you deploy.""",
    example="""
        root = xml.etree.ElementTree.fromstring(request.data)
    """,
    fixed="""
        import defusedxml.ElementTree
        root = defusedxml.ElementTree.fromstring(request.data)
    """,
)
def check_stdlib_xml(call: ast.Call, ctx: RuleContext):
    if file_calls(ctx, _DEFUSE_STDLIB):
        return None
    name = _escaped_name(ctx, call)
    return _parsed_data_hit(
        ctx, call, ctx.argument(call, 0, None),
        tainted=f"`{name}` parses XML from {{source}}; entity expansion can exhaust memory on an expat older than 2.4.1.",
        dynamic=f"`{name}` parses XML that is not a constant; entity expansion can exhaust memory on an expat older than 2.4.1.",
    )


# --- external entities --------------------------------------------------------------------------------------
_LXML_MODULES = ("lxml.etree", "lxml.objectify")
_LXML_PARSER_FACTORIES = [*(f"{m}.XMLParser" for m in _LXML_MODULES), "lxml.etree.XMLPullParser",
                          "lxml.objectify.makeparser", "lxml.etree.ETCompatXMLParser"]
# parse functions: name -> position of the parser argument
_LXML_PARSE_CALLS = {
    **{f"{m}.{f}": 1 for m in _LXML_MODULES for f in ("parse", "fromstring", "XML", "fromstringlist")},
    "lxml.etree.XMLID": 1, "lxml.etree.XMLDTDID": 1,
}
_LXML_ITERPARSE = "lxml.etree.iterparse"
_SAX_EXTERNAL_FEATURES = {
    "xml.sax.handler.feature_external_ges", "xml.sax.handler.feature_external_pes",
    "http://xml.org/sax/features/external-general-entities",
    "http://xml.org/sax/features/external-parameter-entities",
}
_LXML_DEFAULT = "lxml before 5.0 resolves external entities by default (resolve_entities=True)"


def _lxml_options_problem(ctx: RuleContext, call: ast.Call, *, default_applies: bool):
    """(confidence, message) for an lxml parser configuration that resolves external entities."""
    resolve = ctx.keyword(call, "resolve_entities")
    if resolve is None:
        return (LOW, f"{_LXML_DEFAULT}; pass resolve_entities=False.") if default_applies else None
    value = ctx.literal(resolve)
    if value is MISSING:
        return LOW, "resolve_entities is not a literal: external entities may be resolved."
    if value is True:
        return HIGH, "resolve_entities=True: external entities (local files, URLs) are read into the document."
    no_network = ctx.keyword(call, "no_network")
    if no_network is not None and is_literal_false(ctx, no_network) and (
            is_literal_true(ctx, ctx.keyword(call, "load_dtd")) or is_literal_true(ctx, ctx.keyword(call, "dtd_validation"))):
        return MEDIUM, "no_network=False with DTD loading: the document makes the parser fetch URLs."
    return None


@rule(
    id="xml-external-entities",
    title="XML external entity (XXE) resolution",
    cwe=611,
    severity=HIGH,
    confidence=HIGH,
    bandit=["B320", "B410", "B315", "B317"],
    calls=[*_LXML_PARSER_FACTORIES, *_LXML_PARSE_CALLS, _LXML_ITERPARSE],
    methods=["setFeature"],
    description="""A parser that resolves external entities lets the document read local files
        (file:///etc/passwd) or make the server request URLs (SSRF) and put the result into the
        parsed data. Reported: lxml parsers with resolve_entities=True (high confidence), lxml
        parsing of non-constant data with the default parser or an XMLParser that relies on the
        default (low confidence: only lxml before 5.0 resolves external entities by default),
        no_network=False with DTD loading, and xml.sax parsers with feature_external_ges/pes
        turned on. XMLParser(resolve_entities=False) and defusedxml are not reported.""",
    solution="""Use defusedxml for data from outside, or an lxml parser that refuses entities:
        lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False); never turn
        on xml.sax's external entity features.""",
    example="""
        parser = etree.XMLParser(resolve_entities=True)
        tree = etree.fromstring(upload.read(), parser)
    """,
    fixed="""
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        tree = etree.fromstring(upload.read(), parser)
    """,
)
def check_external_entities(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "setFeature":
        return _sax_feature_hit(call, ctx)
    if name in _LXML_PARSER_FACTORIES:
        problem = _lxml_options_problem(ctx, call, default_applies=True)
        return None if problem is None else Hit(call, confidence=problem[0], message=problem[1])
    if name == _LXML_ITERPARSE:
        problem = _lxml_options_problem(ctx, call, default_applies=False)
        if problem is not None:
            return Hit(call, confidence=problem[0], message=problem[1])
        if ctx.keyword(call, "resolve_entities") is not None:
            return None
        return _parsed_data_hit(ctx, call, ctx.argument(call, 0, "source"),
                                tainted=f"iterparse reads XML from {{source}}; {_LXML_DEFAULT}.",
                                dynamic=f"iterparse reads XML that is not a constant; {_LXML_DEFAULT}.")
    if name in _LXML_PARSE_CALLS:
        if ctx.argument(call, _LXML_PARSE_CALLS[name], "parser") is not None:
            return None  # the parser's configuration is judged where it is built
        function = _escaped_name(ctx, call)
        return _parsed_data_hit(ctx, call, ctx.argument(call, 0, None),
                                tainted=f"`{function}` parses XML from {{source}} with the default parser; {_LXML_DEFAULT}.",
                                dynamic=f"`{function}` parses XML that is not a constant with the default parser; {_LXML_DEFAULT}.")
    return None


def _sax_feature_hit(call: ast.Call, ctx: RuleContext) -> Hit | None:
    feature = ctx.argument(call, 0, "name")
    if feature is None:
        return None
    feature_name = ctx.qualname(feature) or ctx.literal(feature, None)
    if isinstance(feature, ast.Name) and feature_name not in _SAX_EXTERNAL_FEATURES:
        bound = single_binding(ctx, feature)
        feature_name = ctx.literal(bound, None) if bound is not None else feature_name
    if feature_name not in _SAX_EXTERNAL_FEATURES:
        return None
    state = ctx.argument(call, 1, "state")
    if state is None or is_literal_false(ctx, state):
        return None
    confidence = HIGH if is_literal_true(ctx, state) else MEDIUM
    return Hit(call, confidence=confidence, message=(
        "The SAX parser is told to resolve external entities: documents can read local files and fetch URLs."))


# --- XML-RPC ------------------------------------------------------------------------------------------------------
_XMLRPC_SERVERS = [
    *(f"{module}.{cls}" for module in ("xmlrpc.server", "SimpleXMLRPCServer", "DocXMLRPCServer")
      for cls in ("SimpleXMLRPCServer", "DocXMLRPCServer", "MultiPathXMLRPCServer",
                  "CGIXMLRPCRequestHandler", "DocCGIXMLRPCRequestHandler")),
]
_XMLRPC_LOADS = ("xmlrpc.client.loads", "xmlrpclib.loads")
_XMLRPC_DEFUSED = ("defusedxml.xmlrpc.monkey_patch", "defusedxml.defuse_stdlib")


@rule(
    id="xmlrpc-untrusted-xml",
    title="XML-RPC endpoint parses requests with the unprotected stdlib parser",
    cwe=776,
    severity=LOW,
    confidence=LOW,
    bandit=["B411"],
    calls=[*_XMLRPC_SERVERS, *_XMLRPC_LOADS],
    description="""xmlrpc.server parses every request body with expat and accepts gzip-compressed
        bodies: nested entities or a compression bomb cost the server memory and CPU. Current
        expat (2.4.1+) limits entity amplification and xmlrpc caps decompressed size, so this is
        a low-severity, low-confidence finding; a file that calls defusedxml.xmlrpc.monkey_patch()
        is not reported, nor is xmlrpc.client.loads of a constant.""",
    solution="""Call defusedxml.xmlrpc.monkey_patch() at start-up, or serve a JSON API instead.""",
    example="""
        server = SimpleXMLRPCServer(("0.0.0.0", 8000))
    """,
    fixed="""
        import defusedxml.xmlrpc
        defusedxml.xmlrpc.monkey_patch()
        server = SimpleXMLRPCServer(("0.0.0.0", 8000))
    """,
)
def check_xmlrpc(call: ast.Call, ctx: RuleContext):
    if file_calls(ctx, _XMLRPC_DEFUSED):
        return None
    name = ctx.call_name(call) or ""
    if name in _XMLRPC_LOADS:
        return _parsed_data_hit(ctx, call, ctx.argument(call, 0, "data"),
                                tainted="XML-RPC data from {source} is parsed without entity limits.",
                                dynamic="XML-RPC data that is not a constant is parsed without entity limits.")
    return Hit(call, message=f"`{ctx.source(call.func)}` parses untrusted XML-RPC requests with the stdlib parser.")


@rule(
    id="xmlrpc-dotted-names",
    title="XML-RPC server exposes attributes through dotted names",
    cwe=749,
    severity=HIGH,
    confidence=HIGH,
    methods=["register_instance"],
    description="""register_instance(obj, allow_dotted_names=True) lets a client call
        obj.a.b.c: it can walk to module globals and call functions that were never meant to be
        remote, up to running arbitrary code (the Python documentation warns against it).""",
    solution="""Keep allow_dotted_names=False (the default) and register the exact functions to
        expose with register_function.""",
    example="""
        server.register_instance(Service(), allow_dotted_names=True)
    """,
    fixed="""
        server.register_instance(Service())
    """,
)
def check_xmlrpc_dotted(call: ast.Call, ctx: RuleContext):
    allow = ctx.argument(call, 1, "allow_dotted_names")
    if allow is not None and is_literal_true(ctx, allow):
        return Hit(call, message="allow_dotted_names=True lets clients reach module globals and call arbitrary functions.")
    return None
