"""The search page: a plain GET form that works without JavaScript; with htmx the results
swap in as one types (debounced) and the URL follows."""

from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from network.search.engine import search
from network.search.forms import SearchForm
from network.search.sources import sources


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None)
    focus_area = form.value("focus_area", None)
    region = form.value("region", None)
    kind = form.value("kind")
    results = search(
        request.user,
        form.value("q").replace("\x00", " "),
        kind=kind,
        order=form.value("order", "relevance"),
        page=_page(request),
        focus_area=focus_area.slug if focus_area else "",
        region=region.slug if region else "",
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("kind", None)
    kinds = [
        {
            "kind": key,
            "label": source.label,
            "count": results.counts.get(key, 0),
            "url": _with(query, kind=key),
            "current": key == kind,
        }
        for key, source in sources().items()
    ]
    context = {
        "form": form,
        "results": results,
        "kind": kind,
        "kinds": kinds,
        "all_url": _with(query),
        "page_url": _with(request.GET, page=None),
    }
    template = "network/search/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _with(query: QueryDict, **values) -> str:
    query = query.copy()
    for name, value in values.items():
        query.pop(name, None)
        if value:
            query[name] = value
    return query.urlencode()
