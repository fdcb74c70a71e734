"""Confidence levels the rule fixtures cannot check (they fix lines, rules and CWEs; and their files
count as test code, whose findings are all low): reviewed here as application code."""
import textwrap

from conftest import review_text
from secreview.findings import Level


def confidences(code: str, rule_id: str) -> dict[int, Level]:
    result = review_text(textwrap.dedent(code), path="app/tool.py")
    return {f.line: f.confidence for f in result.findings if f.rule_id == rule_id}


def test_jinja_environment_loading_only_code_templates_is_low():
    found = confidences("""
        import jinja2

        def generate(spec):
            codegen = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
            return codegen.get_template("module.py.j2").render(spec=spec)

        def pages(spec):
            env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
            return env.get_template("index.html.j2").render(spec=spec)

        def handed(spec):
            env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
            return render_with(env, "module.py.j2")
    """, "jinja2-autoescape-off")
    assert found == {5: Level.LOW, 9: Level.HIGH, 13: Level.HIGH}


def test_short_slice_of_a_key_in_a_log_is_low():
    found = confidences("""
        import logging
        log = logging.getLogger(__name__)

        def connect(api_key):
            log.info("key %s...", api_key[:8])
            log.info("key %s", api_key)
    """, "secret-in-log")
    assert found == {6: Level.LOW, 7: Level.MEDIUM}


def test_known_token_format_is_high_and_archive_member_names_medium():
    assert confidences('GH = "ghp_Zk3Xq9Lm2Wv8Rt5Yp1Bn7Cd4Fg6Hj0Ks3Lq9"\n', "hardcoded-secret") == {1: Level.HIGH}
    found = confidences("""
        import os, sys, zipfile

        with zipfile.ZipFile(sys.argv[1]) as zf:
            for info in zf.infolist():
                with open(os.path.join("out", info.filename), "wb") as out:
                    out.write(zf.read(info))
    """, "path-traversal")
    assert found == {6: Level.MEDIUM}
