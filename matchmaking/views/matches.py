"""Matches: a company's ranked targets, and the companies that fit a need, test site or offer."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from matchmaking import actions
from matchmaking.cards import prepare_cards
from matchmaking.filters import CompanyMatchFilter, MatchFilter
from matchmaking.models import Match, MatchStatus
from matchmaking.models_introductions import OPEN_STATUSES, Introduction, VetoReason
from matchmaking.permissions import get_target_for_user, is_network_admin, sme_organisations
from matchmaking.progress import matching_state
from matchmaking.services import target_key
from matchmaking.templatetags.matchmaking_tags import focus_area_names
from network import page_cache
from network.models import Organisation
from network.models.organisations import OrganisationKind
from network.pagination import CachedCountPaginator, list_cache_key, viewer_scope

PAGE_SIZE = 20
VETOED_URLS = {
    "need": "matchmaking:need_vetoed",
    "test_site": "matchmaking:test_site_vetoed",
    "knowledge_offer": "matchmaking:offer_vetoed",
}


def _veto_reasons() -> list[tuple[str, str]]:
    """The reasons for "not relevant", translated once per list (not once per card)."""
    return [(value, str(label)) for value, label in VetoReason.choices]


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _paginate(queryset, request, name, state, organisation_id, *scope):
    """A page of a match list. Its total (the costliest query: every row's visibility is
    checked) is the same list's total of the last minute for this viewer and these filters,
    as long as no run has finished since and the organisation has not acted on a match (a
    veto, an undo, the shortlist): a list is counted afresh as soon as a run that may have
    changed it is done, so a need just approved never shows a cached "0". The rows are read
    fresh."""
    key = list_cache_key(
        name,
        request,
        viewer_scope(request.user),
        *scope,
        state.last_finished,
        actions.list_version(organisation_id),
    )
    paginator = CachedCountPaginator(queryset, PAGE_SIZE, cache_key=key)
    return paginator.get_page(request.GET.get("page"))


def _matching_state(request, key):
    """matching_state(key), kept until the data changes."""
    return page_cache.remember(request, "matching-state", *key, compute=lambda: matching_state(key))


def _company_for_user(request):
    """The SME whose matches to show: the one chosen (?organisation=slug) among the user's
    SMEs, or their first (None: the user is in no company). Network admins may open any
    company's matches; anyone else asking for another company's gets 403."""
    slug = request.GET.get("organisation")
    own = page_cache.remember(
        request, "sme-organisations", compute=lambda: list(sme_organisations(request.user))
    )
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
    # The filter's form is the facets; its rows are chosen only when the cards are not kept.
    match_filter = MatchFilter(
        request.GET, queryset=Match.objects.none(), request=request, company=company
    )
    state = _matching_state(request, ("sme", company.pk))
    # Only the company's own people act on its matches (network admins look on).
    may_act = company in companies

    def cards():
        # What the company marked not relevant never shows again (until undone), also after a
        # full run wrote the pair anew: the veto is kept by pair, not by match row.
        match_filter.queryset = (
            Match.objects.visible_to(request.user)
            .filter(source=company)
            .filter(Q(in_source_top=True) | ~Q(status=MatchStatus.SUGGESTED))
            .filter(~actions.vetoed_by(company.pk))
            .for_cards(source=False)
            .order_by("-score", "target_type", "target_id")
        )
        page = _paginate(match_filter.qs, request, "matches", state, company.pk, company.pk)
        prepare_cards(page, focus_area_names(), actions=may_act)
        return page

    # The cards come rendered from the page cache until the data changes.
    page = page_cache.unless_kept(request, "match-results", company.pk, may_act, compute=cards)
    context = {
        "company": company,
        "companies": companies,
        "filter": match_filter,
        "page": page,
        "query_string": _query_string(request),
        "matching": state,
        "may_act": may_act,
        "veto_reasons": _veto_reasons(),
    }
    template = "matchmaking/my_matches.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def target_matches(request, target_type, pk):
    """The companies that fit a need, test site or offer, for its owner's people: they mark a
    company not relevant (hidden from this list until undone), shortlist it and invite it to an
    introduction. While a run that computes this list is queued or running, the page says so
    and shows its progress (matchmaking.progress)."""
    # Who may see the list is decided anew whenever the data changes.
    target = page_cache.remember_access(
        request,
        "match-target",
        target_type,
        pk,
        lookup=lambda: get_target_for_user(request, target_type, pk),
    )
    owner_id = target.owner_id
    # The filter's form is the facets; its rows are chosen only when the cards are not kept.
    match_filter = CompanyMatchFilter(request.GET, queryset=Match.objects.none(), request=request)
    state = _matching_state(request, target_key(target))

    def cards():
        open_introduction = Introduction.objects.filter(
            match=OuterRef("pk"), status__in=OPEN_STATUSES
        ).values("pk")[:1]
        match_filter.queryset = (
            Match.objects.visible_to(request.user)
            .for_target(target)
            .filter(Q(in_target_top=True) | ~Q(status=MatchStatus.SUGGESTED))
            .filter(~actions.vetoed_by(owner_id))
            .annotate(
                shortlisted=actions.shortlisted_by(owner_id),
                introduction_pk=Subquery(open_introduction),
            )
            .for_cards()
            .order_by("-score", "source__name")
        )
        page = _paginate(
            match_filter.qs, request, "target-matches", state, owner_id, target_type, pk
        )
        # The organisations that joined a shared need follow its companies; its owner acts.
        acts = target.viewer_owns
        prepare_cards(page, focus_area_names(), targets=False, actions=False, target_actions=acts)
        return page

    # The cards come rendered from the page cache until the data changes.
    page = page_cache.unless_kept(request, "target-results", target_type, target.pk, compute=cards)
    context = {
        "target": target,
        "target_type": target_type,
        "filter": match_filter,
        "page": page,
        "query_string": _query_string(request),
        "matching": state,
        "vetoed_url": reverse(VETOED_URLS[target_type], args=[pk]),
        "veto_reasons": _veto_reasons(),
    }
    template = "matchmaking/target_matches.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
