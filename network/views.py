"""Public pages of the national directory."""

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from clusters.models import Cluster, Membership
from network.figures import current_network_figures
from network.filters import OrganisationFilter
from network.models import FocusArea, KnowledgeOffer, Organisation, Person, Tag, TestSite
from network.pagination import CachedCountPaginator, list_cache_key, viewer_scope
from network.permissions import can_edit_organisation, get_organisation_for_user, merged_into
from network.settings_helpers import broker_ping


@require_GET
def home(request):
    clusters = Cluster.objects.select_related("network").order_by("country", "name")
    return render(
        request,
        "network/home.html",
        {
            "figures": current_network_figures(),
            "clusters": clusters,
            "focus_areas": FocusArea.objects.all(),
        },
    )


# Crawlers may index the public directory, never the signed-in and staff areas.
ROBOTS_TXT = """User-agent: *
Disallow: /accounts/
Disallow: /account/
Disallow: /my-organisation/
Disallow: /clusters/
Disallow: /matches/
Disallow: /projects/
Disallow: /django-admin/
"""


@require_GET
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and tools still ask for whatever the page's <link rel=icon>
    says (a 404 here is an error in the browser's console): the portal's icon."""
    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
@never_cache
def healthz(request):
    """For container health checks: the database answers, and the broker when configured."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    broker = broker_ping()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


# The columns a directory result shows (the search vector alone is wider than all of them).
DIRECTORY_COLUMNS = ("name", "slug", "kind", "description", "municipality__name", "region__name")


def directory_queryset(user):
    return (
        Organisation.objects.visible_to(user)
        .select_related("municipality", "region")
        .only(*DIRECTORY_COLUMNS)
        .prefetch_related("focus_areas", Prefetch("tags", Tag.objects.only("name")))
    )


@require_GET
def directory(request):
    organisation_filter = OrganisationFilter(
        request.GET, queryset=directory_queryset(request.user), request=request
    )
    paginator = CachedCountPaginator(
        organisation_filter.qs,
        _page_size(),
        cache_key=list_cache_key("directory", request, viewer_scope(request.user)),
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": organisation_filter,
        "page": page,
        "query_string": query.urlencode(),
    }
    template = "network/directory.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _page_size() -> int:
    return settings.DIRECTORY_PAGE_SIZE


@require_GET
def organisation_detail(request, slug):
    try:
        organisation = get_organisation_for_user(request, slug)
    except Http404:
        # A duplicate merged into another: its old address leads to the kept profile.
        kept = merged_into(request.user, slug)
        if kept is None:
            raise
        return redirect(kept, permanent=True)
    organisation = (
        Organisation.objects.select_related("municipality", "region")
        .prefetch_related("focus_areas", "tags")
        .get(pk=organisation.pk)
    )
    test_sites = (
        TestSite.objects.visible_to(request.user)
        .filter(owner=organisation)
        .select_related("municipality")
        .prefetch_related("focus_areas", "tags")
    )
    offers = (
        KnowledgeOffer.objects.visible_to(request.user)
        .filter(owner=organisation)
        .prefetch_related("focus_areas", "tags", Prefetch("contact", Person.objects.all()))
    )
    people = Person.objects.listed_on_profiles().filter(affiliations__organisation=organisation)
    memberships = (
        Membership.objects.active().filter(organisation=organisation).select_related("cluster")
    )
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "test_sites": test_sites,
            "offers": offers,
            "people": people,
            "memberships": memberships,
            "can_edit": can_edit_organisation(request.user, organisation),
        },
    )


@require_POST
def set_language(request):
    """Django's language switch, and the signed-in person's own setting (used for their emails)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
