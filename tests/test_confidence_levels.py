"""Confidence levels the rule fixtures cannot check (they fix lines, rules and CWEs; and their files
count as test code, whose findings are all low): reviewed here as application code."""
import textwrap

from conftest import FIXTURES, review_text
from secreview.findings import Level
from secreview.root_causes import every_sink


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


def marked_low(fixture) -> set[int]:
    """The lines of a data-flow fixture whose near miss is a low finding (`# safe: low`)."""
    return {number for number, line in enumerate(fixture.read_text().splitlines(), start=1) if "# safe: low" in line}


def test_environments_rendering_text_or_showing_no_html_are_low_findings():
    fixture = FIXTURES / "flows" / "template_text_output.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    rules = ("jinja2-autoescape-off", "mako-templates-no-escape")
    found = {f.line: f for f in result.findings if f.rule_id in rules}
    assert set(found) == marked_low(fixture)  # (line 50: compiled only to check its syntax, no finding)
    assert {f.confidence for f in found.values()} == {Level.LOW}
    assert "Nothing in this file shows that it renders HTML" in found[16].message
    assert "Here it renders `sql`, not HTML" in found[42].message
    assert "Here it renders `models.py.j2`, `schema.sql`, not HTML" in found[55].message
    assert "`script.py.mako`" in found[68].message


def test_the_same_environments_are_high_where_the_file_shows_html():
    found = confidences("""
        import jinja2

        def make_tac(config):
            env = jinja2.Environment(loader=jinja2.FileSystemLoader("."))
            return env.get_template("buildbot_tac.tmpl").render(config)

        def render_setting(param, username):
            env = jinja2.Environment()
            return env.from_string(param).render(username=username)

        def index(rows):
            env = jinja2.Environment(loader=jinja2.FileSystemLoader("."))
            return env.get_template("index.html").render(rows=rows)
    """, "jinja2-autoescape-off")
    assert found == {5: Level.HIGH, 9: Level.HIGH, 13: Level.HIGH}


def test_templates_compiled_in_a_sandbox_are_low_for_every_flow_into_them():
    fixture = FIXTURES / "flows" / "template_sandboxes.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    sinks = {f.line: f for f in every_sink(result.findings) if f.rule_id == "template-injection"}
    sandboxed = {26, 30, 34, 42, 47}  # (line 30 is marked for jinja2-autoescape-off)
    assert {line: f.confidence for line, f in sinks.items()} == {
        **{line: Level.LOW for line in sandboxed}, 51: Level.HIGH, 59: Level.HIGH}
    for line in sandboxed:  # (the flow from the view is kept as evidence)
        assert sinks[line].trace[0].line == 64 and "HTTP form field" in sinks[line].message
        assert "Jinja sandbox" in sinks[line].message and "sandbox escape" in sinks[line].message
    assert "(`ImmutableSandboxedEnvironment`)" in sinks[26].message
    assert "(`SandboxedEnvironment`)" in sinks[42].message


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


def test_cookie_holding_nothing_to_steal_is_low_and_says_why():
    code = """
        from flask import make_response, request

        def export():
            response = make_response("ok")
            response.set_cookie(request.args["download_id"], "done", max_age=600)
            response.set_cookie("sort", request.args["sort"])
            response.set_cookie("session_id", "anonymous")
            return response
    """
    assert confidences(code, "insecure-cookie") == {6: Level.LOW, 7: Level.LOW, 8: Level.HIGH}
    messages = {f.line: f.message for f in review_text(textwrap.dedent(code), path="app/tool.py").findings}
    assert messages[6].endswith('(Low confidence: this cookie holds a constant (`"done"`), no secret to read.)')
    assert messages[7].endswith("(Low confidence: `sort` reads as a display preference, not a session or credential.)")


def test_tar_extraction_fallback_without_filters_is_low_and_says_when_it_runs():
    code = """
        import tarfile

        def unpack(name, dest):
            with tarfile.open(name) as archive:
                if hasattr(tarfile, "data_filter"):
                    archive.extractall(dest, filter="data")
                else:
                    archive.extractall(dest)
    """
    assert confidences(code, "tarfile-unsafe-extraction") == {9: Level.LOW}
    message = review_text(textwrap.dedent(code), path="app/tool.py").findings[0].message
    assert 'when `hasattr(tarfile, "data_filter")` is false' in message
    assert "before 3.12 and the security releases" in message


def test_redirects_to_the_referer_are_low_and_say_why():
    fixture = FIXTURES / "flows" / "referer_redirects.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    found = {f.line: f for f in result.findings if f.rule_id == "open-redirect"}
    low = {line for line, finding in found.items() if finding.confidence == Level.LOW}
    assert low == marked_low(fixture)
    assert {found[line].confidence for line in set(found) - low} == {Level.HIGH}  # (the query string's)
    for line in low:
        assert found[line].message.startswith("The redirect target is the Referer header, the page the browser came from")
        assert found[line].trace[0].note.startswith("HTTP Referer header (untrusted)")
