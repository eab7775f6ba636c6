"""The search page: a plain GET form that works without JavaScript; with htmx the results
swap in as one types (debounced) and the URL follows. Saved searches: a signed-in person's
list (save, delete), and the one-click unsubscribe from an alert's email (no sign-in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import page_cache
from network.models import SavedSearch
from network.search import saved as saved_service
from network.search.engine import search
from network.search.forms import SavedSearchForm, SearchForm
from network.search.sources import sources

SAVE_PREFIX = "save"


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
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("kind", None)

    def results():
        return search(
            request.user,
            form.value("q").replace("\x00", " "),
            kind=kind,
            order=form.value("order", "relevance"),
            page=_page(request),
            focus_area=focus_area.slug if focus_area else "",
            region=region.slug if region else "",
        )

    # The results come rendered from the page cache until the data changes.
    results = page_cache.unless_kept(request, "search-results", compute=results)

    def kinds():
        return [
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
        "query_text": form.value("q").strip(),
        "kind": kind,
        "kinds": SimpleLazyObject(kinds),
        "all_url": _with(query),
        "page_url": _with(request.GET, page=None),
        "save_form": _save_form(request, form, kind, focus_area, region),
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


def _save_form(request, form, kind, focus_area, region):
    """The form that keeps this search, for a signed-in person who searched for something."""
    query = form.value("q")
    if not request.user.is_authenticated or not query:
        return None
    return SavedSearchForm(
        prefix=SAVE_PREFIX,
        initial={
            "q": query,
            "kind": kind,
            "focus_area": focus_area.slug if focus_area else "",
            "region": region.slug if region else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def saved_searches(request):
    """GET: the person's saved searches. POST: save the search the page sent."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST, prefix=SAVE_PREFIX)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved_service.saved_search_create(
                    user=request.user,
                    query=data["q"],
                    kind=data["kind"],
                    focus_area=data["focus_area"],
                    region=data["region"],
                    frequency=data["frequency"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your search was saved."))
        else:
            messages.error(request, _("The search could not be saved."))
        return redirect("saved_searches")
    rows = [
        {"saved": row, "url": saved_service.search_path(row)}
        for row in SavedSearch.objects.filter(user=request.user)
    ]
    return render(request, "network/search/saved.html", {"rows": rows})


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    try:
        saved_service.saved_search_delete(user=request.user, pk=pk)
    except SavedSearch.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(request, _("The saved search was deleted."))
    return redirect("saved_searches")


@csrf_exempt  # the signed token is the authority; mail clients post RFC 8058 one-click here
@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe(request, token: str):
    """GET asks (mail scanners open links), POST deletes that saved search; no sign-in."""
    saved = saved_service.saved_search_for_token(token)
    if saved is None:
        return render(request, "network/search/saved_unsubscribe.html", {"gone": True}, status=404)
    context = {"token": token, "saved": saved}
    if request.method == "POST":
        saved_service.saved_search_unsubscribe(token=token)
        context["done"] = True
    return render(request, "network/search/saved_unsubscribe.html", context)
