"""Shared needs: join another organisation's need, change one's part of it, leave it; staff
merge two needs into one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking import sharing
from matchmaking.forms import NeedJoinForm, NeedMergeForm, NeedShareForm
from matchmaking.models_sharing import NeedShare
from matchmaking.permissions import (
    belongs_to,
    get_need_for_user,
    is_network_admin,
    join_choices,
    need_owner_choices,
    require_network_admin,
    shares_need,
)
from network import identifiers
from network.models import Organisation

# A network admin may join a need for any municipality, region or hospital: thousands of them
# and their people, too many for a list. They search for the one by name (or number) instead,
# and see at most this many at a time.
JOIN_SEARCH_LIMIT = 20


@login_required
def need_join(request, pk):
    """Join a need ("we have this need too") for an organisation the user administers. Network
    admins first search for the organisation (`?q=`), then pick one (`?organisation=`); with
    JavaScript the search answers as they type (need_join_organisations)."""
    need = get_need_for_user(request, pk)
    organisations = join_choices(request.user, need).order_by("name")
    searching = is_network_admin(request.user)
    chosen, choice_error = None, ""
    if searching:
        raw = (request.POST if request.method == "POST" else request.GET).get("organisation", "")
        chosen = _chosen_organisation(organisations, raw)
        if raw and chosen is None and request.method != "POST":  # a POST: the form says so
            choice_error = _("That organisation cannot join this need. Search for it again.")
    elif not organisations:
        raise PermissionDenied
    form = NeedJoinForm(
        request.POST or None,
        organisations=organisations,
        chosen=chosen,
        searching=searching,
        initial={"organisation": chosen.pk} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sharing.need_join(
                need=need, organisation=data["organisation"], user=request.user, **form.part()
            )
        except sharing.SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s now shares this need. The owner has been told.")
                % {"organisation": data["organisation"].name},
            )
            return redirect(need)
    problem = sharing.joinable_problem(need)
    context = {
        "need": need,
        "form": form,
        "problem": problem,
        "searching": searching,
        "chosen": chosen,
        "choice_error": choice_error,
    }
    if searching and chosen is None:
        context.update(_organisation_search(organisations, request.GET.get("q", "")))
    return render(request, "matchmaking/need_join.html", context)


@login_required
def need_join_organisations(request, pk):
    """The organisations a network admin may join the need for whose name (or CVR number /
    organisation number) matches `q`: at most JOIN_SEARCH_LIMIT, as the join page's list."""
    need = get_need_for_user(request, pk)
    require_network_admin(request.user)
    organisations = join_choices(request.user, need).order_by("name")
    context = {"need": need, **_organisation_search(organisations, request.GET.get("q", ""))}
    return render(request, "matchmaking/need_join.html#organisations", context)


def _chosen_organisation(organisations, raw: str):
    """The organisation `raw` names among `organisations`, or None (also for a bad number)."""
    raw = (raw or "").strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return organisations.filter(pk=int(raw)).first()


def _organisation_search(organisations, text: str) -> dict:
    """What the join page lists for the search `text`: up to JOIN_SEARCH_LIMIT organisations
    (one query), whether there were more, and a hint when the text cannot be searched."""
    q = " ".join((text or "").split())[:100]
    found, more, hint = [], False, ""
    if len(q) == 1:
        hint = _("Type at least two letters of the name.")
    elif q:
        number = identifiers.normalise(q)
        condition = Q(name__icontains=q)
        if number.isdigit() and len(number) in (8, 9):
            condition |= Q(cvr=number) | Q(orgnr=number)
        found = list(organisations.filter(condition)[: JOIN_SEARCH_LIMIT + 1])
        more = len(found) > JOIN_SEARCH_LIMIT
        found = found[:JOIN_SEARCH_LIMIT]
    return {
        "q": q,
        "found": found,
        "more": more,
        "hint": hint,
        "limit": JOIN_SEARCH_LIMIT,
    }


@login_required
def need_share_edit(request, pk, organisation_id):
    """An organisation that joined the need changes its part (scale, contact person, note);
    only its own admins may (and network admins)."""
    need = get_need_for_user(request, pk)
    organisation = _acting_for(request, organisation_id)
    share = get_object_or_404(NeedShare, need=need, organisation=organisation)
    form = NeedShareForm(request.POST or None, instance=share, organisations=[organisation])
    if request.method == "POST" and form.is_valid():
        try:
            sharing.need_share_update(share=share, user=request.user, **form.part())
        except sharing.SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The need now shows the changes for %(organisation)s.")
                % {"organisation": organisation.name},
            )
            return redirect(need)
    return render(
        request,
        "matchmaking/need_share_edit.html",
        {"need": need, "form": form, "organisation": organisation},
    )


@login_required
@require_POST
def need_leave(request, pk):
    """An organisation that joined the need leaves it; only its own admins may say so."""
    need = get_need_for_user(request, pk)
    organisation = _leaving_organisation(request, need)
    if organisation is None:
        messages.error(request, _("Choose which of your organisations leaves the need."))
        return redirect(need)
    try:
        sharing.need_leave(need=need, organisation=organisation, user=request.user)
    except sharing.SharingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(organisation)s no longer shares this need.") % {"organisation": organisation.name},
        )
    return redirect(need)


def _leaving_organisation(request, need):
    """The organisation named in the form, or without one the only organisation the user acts
    for that joined the need (None when there are several). Someone who may not act for it
    gets 403 when they belong to it, else 404."""
    raw = request.POST.get("organisation", "")
    if raw:
        try:
            organisation_id = int(raw)
        except ValueError:
            raise Http404 from None
        return _acting_for(request, organisation_id)
    joined = list(need_owner_choices(request.user).filter(need_shares__need=need)[:2])
    if len(joined) == 1:
        return joined[0]
    if joined:
        return None
    if shares_need(request.user, need):
        raise PermissionDenied
    raise Http404


def _acting_for(request, organisation_id: int) -> Organisation:
    """The organisation `organisation_id`, which the user acts for in a shared need: one of
    its admins, or a network admin. Its other people get 403, anyone else 404."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not need_owner_choices(request.user).filter(pk=organisation.pk).exists():
        if belongs_to(request.user, organisation.pk):
            raise PermissionDenied
        raise Http404
    return organisation


@login_required
def need_merge(request, pk):
    """Network staff fold another need into this one, when the two turn out to be one."""
    need = get_need_for_user(request, pk)
    require_network_admin(request.user)
    form = NeedMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        try:
            sharing.need_merge(kept=need, removed=other, user=request.user)
        except sharing.SharingError as exc:
            form.add_error("other", str(exc))
        else:
            messages.success(
                request,
                _("“%(other)s” was merged into this need.") % {"other": other.title},
            )
            return redirect(need)
    return render(request, "matchmaking/need_merge.html", {"need": need, "form": form})
