"""Acting on a match from either side: not relevant (with a reason) and its undo, the shortlist,
and the target's owner inviting a company to an introduction.

Each view fetches through matchmaking.permissions.get_match_for_side (404 for outsiders, cluster
staff and another organisation's match, 403 for the other side and for network admins, who only
follow), validates a form, calls one service and redirects back to the list it came from.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking import actions, sharing
from matchmaking.forms import InviteForm, VetoForm
from matchmaking.introductions import services as introductions
from matchmaking.introductions.transitions import IntroductionError
from matchmaking.models import Need
from matchmaking.models_introductions import (
    OPEN_STATUSES,
    Feedback,
    FeedbackKind,
    Introduction,
    VetoReason,
)
from matchmaking.permissions import get_match_for_side, get_target_for_user
from matchmaking.services import target_key
from matchmaking.views.matches import VETOED_URLS, _company_for_user
from network.models import Affiliation, KnowledgeOffer, TestSite
from network.redirects import next_path

PAGE_SIZE = 20


def default_back(match, side: str) -> str:
    """The list a side's actions return to when no `next` is given."""
    if side == actions.COMPANY:
        return reverse("matchmaking:my_matches")
    names = {
        "need": "matchmaking:need_matches",
        "test_site": "matchmaking:test_site_matches",
        "knowledge_offer": "matchmaking:offer_matches",
    }
    return reverse(names[match.target_type], args=[match.target_id])


@login_required
@require_http_methods(["GET", "POST"])
def match_not_relevant(request, match_pk: int, side: str):
    """Mark a match not relevant for the user's side, with a reason; GET shows the form."""
    match, _organisation_id = get_match_for_side(request, match_pk, side)
    back = next_path(request, default=default_back(match, side))
    form = VetoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.match_veto(
                match=match,
                user=request.user,
                side=side,
                reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"],
            )
        except IntroductionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Marked as not relevant and hidden from your list. You can bring it back "
                    "under “Marked not relevant”."
                ),
            )
            return redirect(back)
    return render(
        request,
        "matchmaking/not_relevant.html",
        {
            "match": match,
            "form": form,
            "next": back,
            "side": side,
            "target_name": introductions.target_name(match),
        },
    )


@login_required
@require_POST
def veto_undo(request, pk: int):
    """Bring a vetoed pair back; only the organisation that vetoed it may."""
    own = Affiliation.objects.filter(person__user=request.user).values("organisation_id")
    feedback = get_object_or_404(
        Feedback.objects.filter(organisation__in=own, kind=FeedbackKind.NOT_RELEVANT), pk=pk
    )
    side = actions.COMPANY if feedback.organisation_id == feedback.source_id else actions.TARGET
    if side == actions.COMPANY:
        default = reverse("matchmaking:my_matches")
    else:
        default = reverse(VETOED_URLS[feedback.target_type], args=[feedback.target_id])
    actions.match_veto_undo(feedback=feedback, side=side)
    messages.success(request, _("The match is back in your list."))
    return redirect(next_path(request, default=default))


@login_required
@require_POST
def match_shortlist(request, match_pk: int, side: str):
    match, _organisation_id = get_match_for_side(request, match_pk, side)
    back = next_path(request, default=default_back(match, side))
    try:
        if request.POST.get("remove"):
            actions.match_unshortlist(match=match, side=side)
            messages.success(request, _("Removed from your shortlist."))
        else:
            actions.match_shortlist(match=match, user=request.user, side=side)
            messages.success(request, _("Added to your shortlist."))
    except IntroductionError as error:
        messages.error(request, error.message)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def introduction_invite(request, match_pk: int):
    """The target's owner invites the company to an introduction (the company answers)."""
    match, _organisation_id = get_match_for_side(request, match_pk, actions.TARGET)
    existing = Introduction.objects.filter(match=match, status__in=OPEN_STATUSES).only("pk").first()
    if existing and request.method == "GET":
        messages.info(request, _("An introduction for this match has already been requested."))
        return redirect(existing)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = introductions.introduction_invite(
                match=match,
                user=request.user,
                message=form.cleaned_data["message"],
                include_joined=form.cleaned_data["include_joined"],
            )
        except IntroductionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your invitation was sent to %(organisation)s.")
                % {"organisation": match.source.name},
            )
            return redirect(introduction)
    return render(
        request,
        "matchmaking/introductions/invite.html",
        {
            "match": match,
            "form": form,
            "target_name": introductions.target_name(match),
            "back": default_back(match, actions.TARGET),
            "joined": sharing.joined_with(match),
        },
    )


# -- lists of what a side marked not relevant -----------------------------------------------------
def _target_names(rows) -> dict:
    """{(type, id): (title, url)} of the rows' targets: one query per kind of target."""
    wanted: dict[str, set] = {}
    for row in rows:
        wanted.setdefault(row.target_type, set()).add(row.target_id)
    names = {}
    if wanted.get("need"):
        for need in Need.objects.filter(pk__in=wanted["need"]).only("title"):
            names[("need", need.pk)] = (need.title, need.get_absolute_url())
    if wanted.get("test_site"):
        sites = TestSite.objects.filter(pk__in=wanted["test_site"]).select_related("owner")
        for site in sites.only("name", "owner__slug"):
            url = reverse("organisation_detail", args=[site.owner.slug]) + f"#site-{site.pk}"
            names[("test_site", site.pk)] = (site.name, url)
    if wanted.get("knowledge_offer"):
        offers = KnowledgeOffer.objects.filter(pk__in=wanted["knowledge_offer"]).select_related(
            "owner"
        )
        for offer in offers.only("title", "owner__slug"):
            url = reverse("organisation_detail", args=[offer.owner.slug]) + f"#offer-{offer.pk}"
            names[("knowledge_offer", offer.pk)] = (offer.title, url)
    return names


def vetoed_page(request, *, organisation_id: int, side: str, target=None):
    """A page of the pairs the organisation marked not relevant, newest first: for a company
    its targets, for a target's owner the companies (of `target`). A fixed number of queries."""
    rows = Feedback.objects.filter(
        organisation_id=organisation_id, kind=FeedbackKind.NOT_RELEVANT
    ).select_related("source")
    if side == actions.COMPANY:
        rows = rows.filter(source_id=organisation_id)
    else:
        target_type, target_id = target_key(target)
        rows = rows.filter(target_type=target_type, target_id=target_id)
    page = Paginator(rows.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = dict(VetoReason.choices)
    names = _target_names(page.object_list) if side == actions.COMPANY else {}
    for row in page.object_list:
        row.reason_label = labels.get(row.reason_code, "")
        if side == actions.COMPANY:
            title, url = names.get((row.target_type, row.target_id), ("", ""))
            row.partner_name, row.partner_url = title or _("No longer listed"), url
        else:
            row.partner_name = row.source.name
            row.partner_url = row.source.get_absolute_url()
    return page


@login_required
@require_GET
def my_vetoed(request):
    """What the company marked not relevant, to bring back (?organisation=slug as my_matches).
    Network admins may look; only the company's people undo."""
    company, companies = _company_for_user(request)
    if company is None:
        return redirect("matchmaking:my_matches")
    page = vetoed_page(request, organisation_id=company.pk, side=actions.COMPANY)
    return render(
        request,
        "matchmaking/vetoed.html",
        {
            "page": page,
            "side": actions.COMPANY,
            "company": company,
            "may_act": company in companies,
            "back_url": reverse("matchmaking:my_matches")
            + (f"?organisation={company.slug}" if len(companies) > 1 else ""),
            "query_string": f"organisation={company.slug}" if len(companies) > 1 else "",
        },
    )


@login_required
@require_GET
def target_vetoed(request, target_type: str, pk: int):
    """The companies the target's owner marked not relevant for this target, to bring back."""
    target = get_target_for_user(request, target_type, pk)
    if not target.viewer_owns:
        # The organisations that joined a shared need follow its companies, but which ones its
        # owner marked not relevant, and why, stays the owner's.
        raise Http404
    page = vetoed_page(request, organisation_id=target.owner_id, side=actions.TARGET, target=target)
    names = {
        "need": "matchmaking:need_matches",
        "test_site": "matchmaking:test_site_matches",
        "knowledge_offer": "matchmaking:offer_matches",
    }
    return render(
        request,
        "matchmaking/vetoed.html",
        {
            "page": page,
            "side": actions.TARGET,
            "target": target,
            "target_type": target_type,
            "may_act": True,  # get_target_for_user lets in only the owner's people
            "back_url": reverse(names[target_type], args=[pk]),
            "query_string": "",
        },
    )
