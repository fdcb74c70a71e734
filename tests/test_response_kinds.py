"""Reflected XSS (CWE-79) at what a view returns, by the kind of body (dataflow/responses.py): the
confidence and the message, which the fixtures (lines, rules and CWEs) do not fix."""
import textwrap

from conftest import review_text
from secreview.findings import Level


def xss(code: str) -> dict[int, tuple[Level, str]]:
    result = review_text(textwrap.dedent(code), path="app/views.py")
    assert not result.diagnostics, result.diagnostics
    return {f.line: (f.confidence, f.message) for f in result.findings if f.rule_id == "reflected-xss"}


def test_json_text_is_reported_at_medium_with_its_own_message_and_fix():
    code = """
        import json
        from flask import Flask, request

        app = Flask(__name__)

        def listing():
            return json.dumps({"cwd": request.args["path"]})

        @app.route("/direct")
        def direct():
            return json.dumps({"q": request.args["q"]})

        @app.route("/helper")
        def helper():
            return listing()

        @app.route("/page")
        def page():
            return "<p>" + request.args["q"] + "</p>"
    """
    found = xss(code)
    assert {line: level for line, (level, _) in found.items()} == {12: Level.MEDIUM, 16: Level.MEDIUM, 20: Level.HIGH}
    assert found[12][1].startswith("The response is JSON text (json.dumps), which the framework sends as text/html")
    assert "opened as a page, markup in it runs script" in found[16][1]
    result = review_text(textwrap.dedent(code), path="app/views.py")
    fix = next(f.solution for f in result.findings if f.line == 12)
    assert "jsonify()" in fix and "application/json" in fix


def test_headers_from_elsewhere_leave_the_type_unknown_low():
    found = xss("""
        from flask import Flask, Response, make_response, request

        app = Flask(__name__)

        def upstream():
            return {"Content-Type": "application/json"}

        @app.route("/proxy")
        def proxy():
            headers = upstream()
            return Response("<p>" + request.args["q"], headers=headers)

        @app.route("/local")
        def local():
            headers = {"X-Frame-Options": "DENY"}
            return make_response("<p>" + request.args["q"], 200, headers)
    """)
    assert {line: level for line, (level, _) in found.items()} == {12: Level.LOW, 17: Level.HIGH}
    assert "the response's headers (`headers`) come from elsewhere and may set its Content-Type" in found[12][1]


def test_rest_resource_strings_are_html_when_the_api_renders_html():
    found = xss("""
        from flask import request
        from flask_restful import Api, Resource

        api = Api()

        @api.representation("text/html")
        def as_html(data, code, headers=None):
            ...

        class Greeting(Resource):
            def get(self):
                return "<p>" + request.args["name"] + "</p>"

        api.add_resource(Greeting, "/greeting")
    """)
    assert {line: level for line, (level, _) in found.items()} == {13: Level.HIGH}


def test_a_content_type_not_known_here_is_low_and_a_choice_including_html_is_html():
    found = xss("""
        import mimetypes
        from flask import Flask, Response, make_response, request

        app = Flask(__name__)

        @app.route("/file")
        def file():
            kind = mimetypes.guess_type(request.args["name"])[0]
            return Response("<p>" + request.args["q"], mimetype=kind)

        @app.route("/diff")
        def diff():
            if request.args.get("plain"):
                mimetype = "text/plain"
            else:
                mimetype = "text/html" if request.args.get("fmt") == "html" else "text/plain"
            response = make_response("<p>" + request.args["q"], 200)
            response.mimetype = mimetype
            return response

        @app.route("/refused")
        def refused():
            return make_response(request.args["reason"], 400)
    """)
    assert {line: level for line, (level, _) in found.items()} == {10: Level.LOW, 18: Level.HIGH, 24: Level.HIGH}
    assert "the Content-Type is set to `kind`, not known here: if it is text/html" in found[10][1]


def test_a_helpers_body_of_a_type_not_known_or_json_text_limits_the_flows_from_its_callers():
    found = xss("""
        import json
        from flask import Flask, Response, request

        app = Flask(__name__)

        def streamed(chunks, mimetype="application/octet-stream"):
            return Response(iter(chunks), mimetype=mimetype)

        def page(chunks):
            return Response(iter(chunks), mimetype="text/html")

        @app.route("/stream")
        def stream():
            return streamed(["<p>" + request.args["q"]], request.args.get("kind"))

        @app.route("/page")
        def show():
            return page(["<p>" + request.args["q"]])
    """)
    assert {line: level for line, (level, _) in found.items()} == {8: Level.LOW, 11: Level.HIGH}
    assert found[8][1].endswith("`mimetype`, not known here: only if it is text/html does markup in it run script.")
    assert "not known here" not in found[11][1]


def test_a_tornado_helper_writing_json_text_gives_its_callers_flows_medium_at_most():
    found = xss("""
        import json
        import tornado.web

        class RowsHandler(tornado.web.RequestHandler):
            def send_rows(self, rows):
                self.write(json.dumps({"rows": rows}))

            def send_title(self, title):
                self.write("<h1>" + title + "</h1>")

            def get(self):
                self.send_rows([self.get_argument("q")])

            def post(self):
                self.send_title(self.get_argument("title"))
    """)
    assert {line: level for line, (level, _) in found.items()} == {7: Level.MEDIUM, 10: Level.HIGH}
    assert "JSON text (json.dumps), which the framework sends as text/html" in found[7][1]


def test_make_response_given_a_view_tuple_reads_its_body_and_headers():
    found = xss("""
        from flask import Flask, make_response, request

        app = Flask(__name__)

        @app.route("/plain")
        def plain():
            return make_response(("<p>" + request.args["q"], 400, {"Content-Type": "text/plain"}))

        @app.route("/status")
        def status():
            return make_response(("<p>" + request.args["q"], 400))

        def finish(body, status=200, headers=None):
            if headers is None:
                headers = {}
            headers["Content-Type"] = "application/json"
            return make_response((body, status, headers))

        @app.route("/finished")
        def finished():
            return finish(request.args["q"])
    """)
    assert {line: level for line, (level, _) in found.items()} == {12: Level.HIGH, 18: Level.LOW}
    assert "the response's headers (`headers`) come from elsewhere" in found[18][1]
