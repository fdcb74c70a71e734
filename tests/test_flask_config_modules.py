"""flask-insecure-cookie on the top-level settings of a module: only when a Flask application of
the project loads the module as its configuration (dataflow/flask_configs.py) -- whatever the
order the files are analysed in, with several jobs, and after an edit of the loading file with
the cache on."""
from pathlib import Path

from conftest import review_text
from project_helpers import package_with_fillers, review_tree, write
from secreview.findings import Level

APP = """from flask import Flask

app = Flask(__name__)
app.config.from_object("shop.settings")
"""
SETTINGS = "SESSION_COOKIE_SECURE = False\n"


def cookie_findings(result) -> list[tuple[str, int, str]]:
    return sorted((Path(f.path).name, f.line, f.rule_id) for f in result.findings if f.cwe == 614)


def test_loaded_module_is_reported_whatever_the_order_and_jobs(tmp_path):
    tree = package_with_fillers(tmp_path, "shop", {"app.py": APP, "settings.py": SETTINGS}, fillers=6)
    expected = [("settings.py", 1, "flask-insecure-cookie")]
    for options in ({"jobs": 1}, {"jobs": 1, "reverse": True}, {"jobs": 2}):
        result, _ = review_tree(tree, **options)
        assert cookie_findings(result) == expected, options


def test_dropping_the_loader_silences_the_cached_module(tmp_path):
    tree = package_with_fillers(tmp_path, "shop", {"app.py": APP, "settings.py": SETTINGS})
    cache = tmp_path / "cache"
    before, _ = review_tree(tree, jobs=1, cache_dir=cache)
    assert cookie_findings(before) == [("settings.py", 1, "flask-insecure-cookie")]
    write(tree, {"app.py": APP.replace('app.config.from_object("shop.settings")', 'app.config["DEBUG"] = False')})
    after, _ = review_tree(tree, jobs=1, cache_dir=cache)
    assert cookie_findings(after) == []
    write(tree, {"app.py": APP})
    again, _ = review_tree(tree, jobs=1, cache_dir=cache)
    assert cookie_findings(again) == [("settings.py", 1, "flask-insecure-cookie")]


def test_module_loading_itself(tmp_path):
    code = "from flask import Flask\n\nSESSION_COOKIE_SAMESITE = None\napp = Flask(__name__)\napp.config.from_object(__name__)\n"
    found = [(f.line, f.rule_id, f.cwe) for f in review_text(code, path="webapp.py").findings]
    assert (3, "flask-insecure-cookie", 1275) in found


def test_config_module_alone_is_not_flask_configuration():
    found = [f.rule_id for f in review_text(SETTINGS, path="config.py", min_confidence=Level.LOW).findings]
    assert "flask-insecure-cookie" not in found


def test_django_settings_named_config_are_reported_once():
    code = "INSTALLED_APPS = ['shop']\nSESSION_COOKIE_SECURE = False\n"
    found = [f.rule_id for f in review_text(code, path="config.py", min_confidence=Level.LOW).findings]
    assert found == ["django-insecure-cookie"]
