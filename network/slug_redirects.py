"""Old slugs (made before æ, ø and å were spelled out; network/slugs.py) answer with a permanent
redirect to the new ones: organisation addresses (/organisations/<slug>/, /my-organisation/...,
/join/<slug>/) when they are not found, and the municipality, region and tag facets in any
list's query string (?municipality=dk-r -> ?municipality=dk-aeroe)."""

import re

from django.db.models import Q
from django.http import HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from network.models import Organisation, SlugKind, SlugRedirect

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,220}")
# Query-string parameters that carry a slug, and which kind of slug.
QUERY_SLUGS = {
    "municipality": SlugKind.MUNICIPALITY,
    "region": SlugKind.REGION,
    "tag": SlugKind.TAG,
}
# Routes whose <slug> is an organisation's (clusters' and budgets' slugs are the clusters').
ORGANISATION_ROUTES = ("organisations/", "my-organisation/", "join/")


def query_redirect(request) -> str | None:
    """The same URL with every old facet slug replaced, or None when there is none."""
    # Only what could be a slug is looked up (a NUL byte is refused by PostgreSQL outright).
    asked = [
        (name, value)
        for name in QUERY_SLUGS
        for value in request.GET.getlist(name)
        if SLUG.fullmatch(value)
    ]
    if not asked:
        return None
    wanted = Q(pk__in=[])
    for name, value in asked:
        wanted |= Q(kind=QUERY_SLUGS[name], old_slug=value)
    new = {(r.kind, r.old_slug): r.new_slug for r in SlugRedirect.objects.filter(wanted)}
    if not new:
        return None
    query = request.GET.copy()
    for name in QUERY_SLUGS:
        values = query.getlist(name)
        if values:
            query.setlist(name, [new.get((QUERY_SLUGS[name], v), v) for v in values])
    return f"{request.path}?{query.urlencode()}"


def path_redirect(request) -> str | None:
    """For a not-found organisation address: the address under the organisation's new slug,
    if the organisation exists under it and the user may see it."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    if not slug or not match.route.startswith(ORGANISATION_ROUTES):
        return None
    redirect = SlugRedirect.objects.filter(kind=SlugKind.ORGANISATION, old_slug=slug).first()
    if redirect is None:
        return None
    visible = Organisation.objects.visible_to(getattr(request, "user", None))
    if not visible.filter(slug=redirect.new_slug).exists():
        return None
    try:
        url = reverse(
            match.view_name, args=match.args, kwargs={**match.kwargs, "slug": redirect.new_slug}
        )
    except NoReverseMatch:
        return None
    query = request.META.get("QUERY_STRING")
    return f"{url}?{query}" if query else url


class OldSlugRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            target = query_redirect(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = path_redirect(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
