"""A view pasted into ``secreview review -`` without its imports: the names of its web framework
it uses unbound are taken as the framework's (inputs/snippet.assume_framework), the findings that
rest on them at medium confidence, and every report says what was assumed."""
import json

import pytest
from click.testing import CliRunner

from conftest import review_text
from secreview.cli import main


def review_stdin(code: str, *options: str):
    return CliRunner().invoke(main, ["review", "-", "--no-cache", "--min-confidence", "low", *options], input=code)


def findings(code: str) -> set[tuple[int, str, int]]:
    outcome = review_stdin(code, "-f", "json")
    return {(f["line"], f["rule_id"], f["cwe"]) for f in json.loads(outcome.output)["findings"]}


def assumed(code: str) -> list[str]:
    outcome = review_stdin(code, "-f", "json")
    return [n["message"] for n in json.loads(outcome.output)["notices"] if n["kind"] == "assumed-names"]


@pytest.mark.parametrize("code, expected", [
    # Flask
    ('return redirect(request.args["next"])\n', (1, "open-redirect", 601)),
    ('return render_template_string("<h1>" + request.args["name"])\n', (1, "template-injection", 1336)),
    ('return send_file(os.path.join(BASE, request.args["f"]))\n', (1, "path-traversal", 22)),
    ('f = request.files["file"]\nf.save(os.path.join(DIR, f.filename))\n', (2, "path-traversal", 22)),
    ('@app.route("/up", methods=["POST"])\ndef up():\n    f = request.files["file"]\n'
     '    f.save(os.path.join(app.config["UPLOADS"], f.filename))\n', (4, "path-traversal", 22)),
    ('app.run(debug=True)\n', (1, "flask-debug-enabled", 489)),
    # Django
    ('return HttpResponseRedirect(request.GET["next"])\n', (1, "open-redirect", 601)),
    ('return HttpResponse(mark_safe("<b>" + request.GET["name"]))\n', (1, "django-mark-safe", 79)),
    ('def show(request):\n    return HttpResponse(mark_safe("<b>" + request.GET["name"]))\n', (2, "django-mark-safe", 79)),
    # FastAPI: routes of a snippet without imports
    ('@app.get("/dl")\nasync def dl(name: str):\n    return FileResponse(os.path.join(BASE, name))\n', (3, "path-traversal", 22)),
    ('@router.get("/go")\nasync def go(to: str):\n    return RedirectResponse(to)\n', (3, "open-redirect", 601)),
])
def test_a_frameworks_names_used_without_imports_are_resolved(code, expected):
    assert expected in findings(code)


def test_findings_resting_on_assumed_names_are_medium_and_say_so():
    outcome = review_stdin('nxt = request.args["next"]\nreturn redirect(nxt)\n', "-f", "json")
    document = json.loads(outcome.output)
    [finding] = [f for f in document["findings"] if f["rule_id"] == "open-redirect"]
    assert finding["confidence"] == "medium"
    assert "the snippet's `request` taken as Flask's" in finding["trace"][0]["note"]
    assert [n["message"] for n in document["notices"]] == [
        "names used without imports were taken as Flask's: request, redirect"]


def test_the_review_says_what_was_assumed():
    outcome = review_stdin('return send_file(os.path.join(BASE, request.args["f"]))\n', "-f", "review")
    assert "Names used without imports were taken as Flask's: send_file, request." in outcome.output
    clean = review_stdin('return send_file("static/logo.png")\n', "-f", "review")
    assert "No security defects" in clean.output
    assert "Names used without imports were taken as Flask's: send_file." in clean.output


@pytest.mark.parametrize("code, rule_id", [
    # The snippet binds the name itself: never resolved again.
    ('def redirect(to):\n    return to\nreturn redirect(request.args["next"])\n', "open-redirect"),
    ('from myapp.responses import redirect\nreturn redirect(request.args["next"])\n', "open-redirect"),
    ('redirect = build_redirector()\nreturn redirect(request.args["next"])\n', "open-redirect"),
    ('def send_file(path):\n    return path\nreturn send_file(os.path.join(BASE, request.args["f"]))\n', "path-traversal"),
    ('app = Starter()\napp.run(debug=True)\n', "flask-debug-enabled"),
    ('def mark_safe(text):\n    return escape(text)\nreturn HttpResponse(mark_safe("<b>" + request.GET["n"]))\n',
     "django-mark-safe"),
    # A star import may bind any name: nothing is assumed.
    ('from helpers import *\nreturn redirect(request.args["next"])\n', "open-redirect"),
    # No framework evident: `redirect` is both Flask's and Django's.
    ('return redirect(requests.get(URL).text)\n', "open-redirect"),
    # Sanitized with the framework's own helper, resolved as well.
    ('f = request.files["file"]\nf.save(os.path.join(DIR, secure_filename(f.filename)))\n', "path-traversal"),
    # A Flask view checking its redirect with Django's helper (resolved whatever the framework).
    ('nxt = request.args.get("next", "")\nif not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.host}):\n'
     '    nxt = url_for("index")\nreturn redirect(nxt)\n', "open-redirect"),
    # Django's upload name is a base name: a `request` parameter of a Django-looking view is Django's.
    ('def avatar(request):\n    name = request.FILES["avatar"].name\n'
     '    with open(os.path.join(MEDIA, "avatars", name), "wb") as out:\n        out.write(b"")\n', "path-traversal"),
    ('def avatar(request):\n    name = request.FILES["avatar"].name\n    path = os.path.join(settings.MEDIA_ROOT, name)\n'
     '    with open(path, "wb") as out:\n        out.write(b"")\n    return JsonResponse({"ok": True})\n', "path-traversal"),
])
def test_near_misses_stay_silent(code, rule_id):
    assert rule_id not in {rule for _line, rule, _cwe in findings(code)}


def test_a_django_looking_view_is_said_to_be_taken_as_django():
    code = 'def avatar(request):\n    name = request.FILES["avatar"].name\n    open(os.path.join(MEDIA, name), "wb")\n'
    assert assumed(code) == ["the snippet was taken as Django code"]


def test_a_database_session_is_not_taken_for_flasks():
    code = 'q = request.args["q"]\nrows = session.execute(text("SELECT 1"))\nreturn redirect(q)\n'
    assert assumed(code) == ["names used without imports were taken as Flask's: request, redirect"]
    assert assumed('session["user"] = request.form["user"]\n') == ["names used without imports were taken as Flask's: session, request"]


def test_nothing_is_assumed_of_a_snippet_that_imports_what_it_uses():
    code = 'from flask import redirect, request\nreturn redirect(request.args["next"])\n'
    assert assumed(code) == []
    outcome = review_stdin(code, "-f", "json")
    [finding] = json.loads(outcome.output)["findings"]
    assert finding["confidence"] == "high"


@pytest.mark.parametrize("code", [
    'def go():\n    return redirect(request.args["next"])\n',
    'app.run(debug=True)\n',
    'def show(request):\n    return HttpResponse(mark_safe("<b>" + request.GET["name"]))\n',
])
def test_files_on_disk_are_not_given_assumed_imports(code):
    # A file is the whole module: a name it does not import is not the framework's.
    result = review_text(code, path="views.py")
    assert {f.rule_id for f in result.findings} <= {"eval-used"}


def test_a_flow_through_a_helper_of_the_snippet_is_medium_too():
    code = ('def run(cmd):\n    return subprocess.check_output(cmd, shell=True)\n\n'
            '@app.route("/ping")\ndef ping():\n    return run("ping -c 1 " + request.args["host"])\n')
    outcome = review_stdin(code, "-f", "json")
    [finding] = [f for f in json.loads(outcome.output)["findings"] if f["rule_id"] == "subprocess-shell-injection"]
    assert (finding["line"], finding["cwe"], finding["confidence"]) == (2, 78, "medium")
    assert "the snippet's `request` taken as Flask's" in finding["trace"][0]["note"]
