"""rules/_jinja.py: which variables a constant Jinja2 template prints without HTML escaping."""
import pytest

from secreview.rules._jinja import unescaped_variables


@pytest.mark.parametrize("template, expected", [
    ("<p>{{ bio|safe }}</p>", {"bio"}),
    ("<p>{{ bio }}</p>", set()),  # autoescaped
    ("{% autoescape false %}<p>{{ bio }}</p>{% endautoescape %}{{ other }}", {"bio"}),
    ("{% autoescape true %}{{ bio }}{% endautoescape %}", set()),
    ("{% autoescape flag %}{{ q }}{% endautoescape %}", {"q"}),  # may be off
    ("{{ user.bio | safe }} {{ name }}", {"user"}),
    ("{{- bio|safe -}}", {"bio"}),
    ("{{ a ~ b|safe }}", {"b"}),  # the filter binds to b only
    ("{{ (a ~ b)|safe }}", {"a", "b"}),
    ("{{ x|e|safe }} {{ y|safe|e }} {{ z|tojson|safe }} {{ n|int }}", {"y"}),  # escape keeps Markup as it is
    ("{{ x|safe|length }} {{ x|forceescape }}", set()),
    ("{% set b = bio|safe %}{{ b }}", {"bio"}),
    ("{% autoescape false %}{% set b = bio %}{{ b|e }}{{ c|int }}{{ b }}{% endautoescape %}", {"bio"}),
    ("{% for item in items %}{{ item.html|safe }}{% endfor %}", {"items"}),
    ("{% raw %}{{ x|safe }}{% endraw %}{# {{ y|safe }} #}", set()),
    ("{{ x if x is defined else y|safe }}", {"y"}),
    ("{{ x is not none and y|safe }}", {"y"}),
    ("{{ '}}' ~ bio|safe }}", {"bio"}),  # a string holding the closing delimiter
    ("{{ 'literal'|safe }}", set()),
])
def test_unescaped_variables(template, expected):
    assert unescaped_variables(template) == expected


def test_unreadable_templates_are_unknown():
    assert unescaped_variables("{{ bio|safe") is None  # not closed
    assert unescaped_variables("{# comment") is None
    assert unescaped_variables("{{ x|safe }}" * 20_000) is None  # too large to scan


@pytest.mark.parametrize("template, expected", [
    ("<p>{{ name }}</p>{{ n|int }}{{ note|e }}", {"name"}),  # jinja2's own default: nothing escaped
    ("{% autoescape true %}{{ q }}{% endautoescape %}{{ r }}", {"r"}),
])
def test_unescaped_variables_with_autoescape_off(template, expected):
    assert unescaped_variables(template, autoescape=False) == expected
