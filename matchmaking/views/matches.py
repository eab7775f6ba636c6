"""Matches: a company's ranked targets, and the companies that fit a need, test site or offer."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from matchmaking.cards import prepare_cards
from matchmaking.filters import CompanyMatchFilter, MatchFilter
from matchmaking.models import Match, MatchStatus
from matchmaking.permissions import get_target_for_user, is_network_admin, sme_organisations
from matchmaking.templatetags.matchmaking_tags import focus_area_names
from network.models import Organisation
from network.models.organisations import OrganisationKind
from network.pagination import CachedCountPaginator, list_cache_key, viewer_scope

PAGE_SIZE = 20


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _paginate(queryset, request, name, *scope):
    """A page of a match list. Its total (the costliest query: every row's visibility is
    checked) is the same list's total of the last minute for this viewer and these filters;
    the rows are read fresh."""
    key = list_cache_key(name, request, viewer_scope(request.user), *scope)
    paginator = CachedCountPaginator(queryset, PAGE_SIZE, cache_key=key)
    return paginator.get_page(request.GET.get("page"))


def _company_for_user(request):
    """The SME whose matches to show: the one chosen (?organisation=slug) among the user's
    SMEs, or their first (None: the user is in no company). Network admins may open any
    company's matches; anyone else asking for another company's gets 403."""
    slug = request.GET.get("organisation")
    own = list(sme_organisations(request.user))
    # The menu asks the same question (is_sme_user); it has just been answered.
    request.user.__dict__["_is_sme_user"] = bool(own)
    if slug:
        for organisation in own:
            if organisation.slug == slug:
                return organisation, own
        if is_network_admin(request.user):
            company = get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.SME)
            return company, own
        raise PermissionDenied
    if not own:
        return None, own
    return own[0], own


@login_required
@require_GET
def my_matches(request):
    company, companies = _company_for_user(request)
    if company is None:
        # Not in a company: say what matches are and where this user's own side is.
        return render(request, "matchmaking/matches_for_companies.html")
    queryset = (
        Match.objects.visible_to(request.user)
        .filter(source=company)
        .filter(Q(in_source_top=True) | ~Q(status=MatchStatus.SUGGESTED))
        .for_cards(source=False)
        .order_by("-score", "target_type", "target_id")
    )
    match_filter = MatchFilter(request.GET, queryset=queryset, request=request, company=company)
    page = _paginate(match_filter.qs, request, "matches", company.pk)
    prepare_cards(page, focus_area_names())
    context = {
        "company": company,
        "companies": companies,
        "filter": match_filter,
        "page": page,
        "query_string": _query_string(request),
    }
    template = "matchmaking/my_matches.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def target_matches(request, target_type, pk):
    target = get_target_for_user(request, target_type, pk)
    queryset = (
        Match.objects.visible_to(request.user)
        .for_target(target)
        .filter(Q(in_target_top=True) | ~Q(status=MatchStatus.SUGGESTED))
        .for_cards()
        .order_by("-score", "source__name")
    )
    match_filter = CompanyMatchFilter(request.GET, queryset=queryset, request=request)
    page = _paginate(match_filter.qs, request, "target-matches", target_type, pk)
    prepare_cards(page, focus_area_names(), targets=False, actions=False)
    context = {
        "target": target,
        "target_type": target_type,
        "filter": match_filter,
        "page": page,
        "query_string": _query_string(request),
    }
    template = "matchmaking/target_matches.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
