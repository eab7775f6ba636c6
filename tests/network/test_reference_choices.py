"""The region and municipality facets read their options once, and follow an admin's edit."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import FocusArea, Municipality, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _municipality_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    return response.content.decode(), sum('FROM "network_municipality"' in s for s in sql)


def test_the_facets_are_read_once_and_then_served_from_the_cache(client):
    url = reverse("matchmaking:need_list")
    first, first_reads = _municipality_queries(client, url)
    second, second_reads = _municipality_queries(client, url)
    name = Municipality.objects.order_by("name").first().name
    assert name in first
    assert name in second
    assert first_reads >= 1
    assert second_reads == 0


def test_a_renamed_municipality_and_region_show_at_once(client):
    url = reverse("matchmaking:need_list")
    municipality = Municipality.objects.order_by("name").first()
    region = Region.objects.order_by("pk").first()
    client.get(url)
    municipality.name = "Nyby Kommune"
    municipality.save()
    region.name = "Region Nyland"
    region.save()
    page = client.get(url).content.decode()
    assert "Nyby Kommune" in page
    assert "Region Nyland" in page


def test_a_filter_by_municipality_still_checks_the_value(client):
    municipality = Municipality.objects.order_by("name").first()
    url = reverse("matchmaking:need_list")
    chosen = client.get(url, {"municipality": municipality.slug}).content.decode()
    wrong = client.get(url, {"municipality": "no-such-place"})
    assert f'<option value="{municipality.slug}" selected>' in chosen
    assert wrong.status_code == 200
    assert "no-such-place" not in wrong.content.decode().split("<select")[0][-200:]


def test_a_renamed_focus_area_shows_at_once_and_filters_still_work(client):
    url = reverse("matchmaking:need_list")
    area = FocusArea.objects.order_by("position").first()
    client.get(url)
    area.name_da = "Nyt fokusområde"
    area.save()
    page = client.get(url).content.decode()
    assert "Nyt fokusområde" in page
    filtered = client.get(url, {"focus_area": area.slug})
    assert filtered.status_code == 200
    assert f'value="{area.slug}"' in filtered.content.decode()
    shown = filtered.context["page"].object_list
    assert all(area in need.focus_areas.all() for need in shown)
