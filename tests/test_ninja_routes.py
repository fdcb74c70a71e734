"""Django Ninja routes in a Django views module: their parameters are read as Ninja reads them
(the path's, else the query string's), not as the URL parameters of a Django view; what they
return is serialized as JSON."""
from conftest import review_text

VIEWS = '''
from django.http import HttpResponse
from ninja import Query, Router, Schema

router = Router()


class Ordering(Schema):
    ordering: str = "id"


@router.get("/sites/{site_id}")
def site(request, site_id: str, q: str, order: Ordering = Query(...)):
    HttpResponse("<p>" + site_id)
    HttpResponse("<p>" + q)
    return HttpResponse("<p>" + order.ordering)


@router.get("/plain/{site_id}")
def plain(request, site_id: str):
    return site_id


def legacy(request, slug):
    return HttpResponse("<p>" + slug)
'''


def _xss_sources(result) -> dict[int, str]:
    """Line of each reflected-xss finding -> the note of its first trace step."""
    return {f.line: f.trace[0].note for f in result.findings if f.rule_id == "reflected-xss"}


def test_ninja_route_parameters_are_path_or_query_parameters_in_a_views_module():
    found = _xss_sources(review_text(VIEWS, path="sites/views.py"))
    assert found[14] == "parameter `site_id`: URL path parameter (untrusted)"
    assert found[15] == "parameter `q`: HTTP query parameter (untrusted)"
    assert found[16] == "parameter `order`: HTTP query parameter (untrusted)"


def test_ninja_route_returning_a_value_is_json_and_a_django_view_stays_html():
    found = _xss_sources(review_text(VIEWS, path="sites/views.py"))
    assert sorted(found) == [14, 15, 16, 25]  # (not 21: ``return site_id`` of a Ninja route is JSON)
    assert found[25] == "parameter `slug`: URL path parameter (untrusted)"  # (a Django view's URL parameter)
