"""The pagination partial: in place only where the page names the list it replaces."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def _render(**context) -> str:
    page = Paginator(list(range(50)), 10).page(2)
    return render_to_string("includes/pagination.html", {"page": page, **context})


def test_without_a_results_element_the_links_are_plain_links():
    """With htmx, a link with hx-get and no target would put the next page into itself."""
    html = _render()
    assert 'href="?page=3"' in html
    assert "hx-get" not in html
    assert "hx-target" not in html


def test_with_a_results_element_a_page_replaces_it_in_place():
    html = _render(results="#results", query_string="q=sensor")
    assert 'hx-target="#results"' in html
    assert 'hx-get="?q=sensor&amp;page=3"' in html
    assert 'href="?q=sensor&amp;page=1"' in html
