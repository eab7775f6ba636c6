"""Needs: browse (faceted, like the directory), read, post, edit, close, reopen, delete."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchmaking import services, sharing
from matchmaking.actions import pair_filter
from matchmaking.filters import NeedFilter
from matchmaking.forms import NeedForm
from matchmaking.models import Match, Need, NeedStatus
from matchmaking.models_introductions import Feedback, FeedbackKind
from matchmaking.models_sharing import NeedShare
from matchmaking.permissions import (
    can_manage_need,
    can_post_needs,
    get_need_for_user,
    is_network_admin,
    join_choices,
    need_owner_choices,
    sme_organisations,
)
from network import moderation, page_cache
from network.models import Affiliation, Organisation
from network.models.organisations import AffiliationRole


def _page_size() -> int:
    return getattr(settings, "DIRECTORY_PAGE_SIZE", 20)


@require_GET
def need_list(request):
    # The filter's form is the facets; its rows are chosen only when the rows are not kept.
    need_filter = NeedFilter(request.GET, queryset=Need.objects.none(), request=request)

    def rows():
        need_filter.queryset = (
            Need.objects.visible_to(request.user)
            .not_merged()
            .select_related(
                "owner__municipality__region", "owner__region", "municipality__region", "region"
            )
            .prefetch_related(
                "focus_areas",
                "tags",
                Prefetch(
                    "shares",
                    NeedShare.objects.select_related(
                        "organisation__municipality__region", "organisation__region"
                    ).order_by("created_at", "pk"),
                ),
            )
        )
        page = Paginator(need_filter.qs, _page_size()).get_page(request.GET.get("page"))
        for need in page:
            # The list names only joiners listed in the directory and only their places (the
            # same for every reader, as the kept rows are).
            shares = need.shares.all()
            for share in shares:
                share.place_visible = share.organisation.is_public and (
                    share.organisation.is_published
                )
            need.places = sharing.need_places(need, shares)
        return page

    # The rows come rendered from the page cache until the data changes.
    page = page_cache.unless_kept(request, "need-results", compute=rows)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": need_filter,
        "page": page,
        "query_string": query.urlencode(),
        "can_post": page_cache.remember(
            request, "can-post-needs", compute=lambda: can_post_needs(request.user)
        ),
    }
    template = "matchmaking/need_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
def need_detail(request, pk):
    if (
        not request.user.is_authenticated
        and not Need.objects.visible_to(request.user).filter(pk=pk).exists()
    ):
        # Perhaps a need for members only: sign in first (said of any number, so nothing
        # about which needs exist is given away).
        return redirect_to_login(request.get_full_path())
    need = get_need_for_user(request, pk)
    # The places of those who may be seen among the joiners, in the same query as the shares.
    place_visible = Exists(
        Organisation.objects.visible_to(request.user).filter(pk=OuterRef("organisation_id"))
    )
    need = (
        Need.objects.select_related(
            "owner__municipality__region",
            "owner__region",
            "municipality__region",
            "region",
            "merged_into",
        )
        .prefetch_related(
            "focus_areas",
            "tags",
            Prefetch(
                "shares",
                NeedShare.objects.select_related(
                    "organisation__municipality__region", "organisation__region", "contact"
                )
                .annotate(place_visible=place_visible)
                .order_by("created_at", "pk"),
            ),
            Prefetch("merged_needs", Need.objects.only("title", "merged_into").order_by("pk")),
        )
        .get(pk=need.pk)
    )
    # A company's own view of how the need fits it (the user's SMEs that matched it), unless
    # the company marked the need not relevant.
    vetoed = Feedback.objects.filter(
        **pair_filter(), organisation_id=OuterRef("source_id"), kind=FeedbackKind.NOT_RELEVANT
    )
    fits = (
        Match.objects.visible_to(request.user)
        .filter(need=need, source__in=sme_organisations(request.user).values("pk"))
        .filter(~Exists(vetoed))
        .select_related("source", "run")
        .order_by("-score")
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "matchmaking/need_detail.html",
        {
            "need": need,
            "can_manage": can_manage_need(request.user, need),
            "fits": fits,
            **_sharing_context(request.user, need),
        },
    )


def _sharing_context(user, need) -> dict:
    """Who shares the need, their combined scale, and what the user may do about it; a fixed
    number of queries however many organisations joined."""
    shares = list(need.shares.all())
    sharers = {need.owner_id} | {share.organisation_id for share in shares}
    roles = {}
    if user.is_authenticated:
        for organisation_id, role in Affiliation.objects.filter(person__user=user).values_list(
            "organisation_id", "role"
        ):
            roles[organisation_id] = role
    admin = is_network_admin(user)
    is_sharer = admin or bool(sharers & set(roles))
    return {
        "shares": shares,
        "places": sharing.need_places(need, shares),
        "scale": sharing.combined_scale(shares),
        "sees_matches": is_sharer,
        "sees_contacts": is_sharer,
        "can_join": user.is_authenticated
        and sharing.joinable_problem(need) is None
        and join_choices(user, need).exclude(pk__in=sharers).exists(),
        "leavable": [
            share
            for share in shares
            if admin or roles.get(share.organisation_id) == AffiliationRole.ADMIN
        ],
        "can_merge": admin and not need.merged_into_id,
    }


def _save(request, form, *, publish: bool | None) -> str:
    """Save under the review rules; a posted (not draft) need is sent for review."""
    need = form.instance
    if publish is True:
        need.status = NeedStatus.OPEN
    elif publish is False and not need.pk:
        need.status = NeedStatus.DRAFT
    return moderation.save_reviewed(
        form,
        actor=request.user,
        submit=need.status != NeedStatus.DRAFT,
        save=lambda item, focus_areas, tags: services.need_save(
            need=item, focus_areas=focus_areas, tags=tags, user=request.user
        ),
    )


@login_required
def need_create(request):
    owners = need_owner_choices(request.user).order_by("name")
    if not owners:
        raise PermissionDenied
    publish = "publish" in request.POST
    form = NeedForm(request.POST or None, owners=owners, publishing=publish)
    if request.method == "POST" and form.is_valid():
        outcome = _save(request, form, publish=publish)
        if publish:
            messages.success(request, moderation.outcome_message(outcome))
        else:
            messages.success(request, _("The draft was saved. Only your organisation sees it."))
        return redirect(form.instance)
    return render(request, "matchmaking/need_form.html", {"form": form, "need": form.instance})


@login_required
def need_edit(request, pk):
    need = get_need_for_user(request, pk, manage=True)
    publish = True if "publish" in request.POST and need.status == NeedStatus.DRAFT else None
    form = NeedForm(
        request.POST or None,
        instance=need,
        initial=moderation.form_initial(need),
        publishing=bool(publish),
    )
    if request.method == "POST" and form.is_valid():
        outcome = _save(request, form, publish=publish)
        if need.status == NeedStatus.DRAFT:
            messages.success(request, _("The draft was saved. Only your organisation sees it."))
        else:
            messages.success(request, moderation.outcome_message(outcome))
        return redirect(form.instance)
    return render(request, "matchmaking/need_form.html", {"form": form, "need": need})


STATUS_ACTIONS = {
    "publish": (NeedStatus.OPEN, {NeedStatus.DRAFT}),
    "close": (NeedStatus.CLOSED, {NeedStatus.OPEN}),
    "reopen": (NeedStatus.OPEN, {NeedStatus.CLOSED}),
}


@login_required
@require_POST
def need_set_status(request, pk):
    need = get_need_for_user(request, pk, manage=True)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose publish, close or reopen; nothing was changed."))
        return redirect(need)
    status, allowed_from = action
    if need.status not in allowed_from:
        messages.error(
            request,
            _("The need is %(status)s; nothing was changed.")
            % {"status": need.get_status_display().lower()},
        )
        return redirect(need)
    problem = need.publish_problem() if status == NeedStatus.OPEN else None
    if problem:
        messages.error(request, problem)
        return redirect(need)
    need = services.need_set_status(need=need, status=status)
    outcome = (
        moderation.submit_or_publish(need, actor=request.user)
        if status == NeedStatus.OPEN and not need.is_published
        else None
    )
    if outcome == moderation.Outcome.SENT_FOR_REVIEW:
        messages.success(request, moderation.outcome_message(outcome))
        return redirect(need)
    messages.success(
        request,
        {
            NeedStatus.OPEN: _("The need is open: companies can find it."),
            NeedStatus.CLOSED: _(
                "The need is closed. Its matches stay where someone acted on them."
            ),
        }[status],
    )
    return redirect(need)


@login_required
@require_POST
def need_delete(request, pk):
    need = get_need_for_user(request, pk, manage=True)
    if need.status != NeedStatus.DRAFT:
        messages.error(request, _("Only drafts can be deleted. Close a published need instead."))
        return redirect(need)
    services.need_delete(need=need)
    messages.success(request, _("The draft was deleted."))
    return redirect("matchmaking:need_list")
