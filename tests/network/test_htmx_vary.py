"""A list page answers htmx with its results alone and anything else with the whole page, at
one URL: both answers say they vary by HX-Request, so no cache hands the part out as the page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_page_and_its_htmx_part_both_vary_by_hx_request(client):
    url = reverse("matchmaking:need_list")
    page = client.get(url)
    part = client.get(url, headers={"HX-Request": "true"})
    assert "<html" in page.content.decode()
    assert "<html" not in part.content.decode()
    for response in (page, part):
        assert "HX-Request" in response["Vary"]
        assert "Cookie" in response["Vary"]  # the language still counts too


def test_answers_that_are_not_pages_do_not_vary_by_it(client):
    response = client.get(reverse("healthz"))
    assert not response["Content-Type"].startswith("text/html")
    assert "HX-Request" not in response.get("Vary", "")
