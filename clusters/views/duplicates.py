"""Duplicate organisations: the list of likely pairs, the merge (with a confirm step), and
dismissing a pair. Network admins see every pair; cluster staff the pairs where at least one
organisation is a member of, or applicant to, a cluster they staff. Only managers (and network
admins) merge, and only organisations in no other cluster; a merge can be undone for 30 days.

Detection and the merge itself live in network (network.duplicates, network.merge); these
views live here because who sees which pair, and the memberships shown beside it, are the
clusters' business.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import Membership
from clusters.permissions import (
    can_undo_merge,
    duplicate_anchor_ids,
    get_duplicate_pair_for_user,
    get_merge_for_user,
    merge_refusal,
    require_merge_role,
)
from network.duplicates import (
    Candidate,
    dismiss_pair,
    find_candidates,
    identifier_pairs,
    is_dismissed,
    name_pairs,
)
from network.merge import (
    MergeError,
    merge_plan,
    organisation_merge,
    organisation_merge_undo,
    related_counts,
    undo_refusal,
)
from network.models import DuplicateDismissal, Organisation, OrganisationMerge

PAIRS_PER_PAGE = 25


def _organisations(ids):
    """The organisations with what the page shows of them, in a fixed number of queries."""
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=ids).select_related("municipality", "region")
    }
    for organisation in organisations.values():
        organisation.merge_memberships = []
    for membership in (
        Membership.objects.filter(organisation_id__in=ids)
        .select_related("cluster")
        .order_by("cluster__name")
    ):
        organisations[membership.organisation_id].merge_memberships.append(membership)
    counts = related_counts(list(organisations))
    for pk, organisation in organisations.items():
        organisation.merge_counts = sorted(counts[pk].items())
    return organisations


def _evidence(first: Organisation, second: Organisation) -> Candidate:
    """Why these two look alike (possibly nothing: staff may merge any two they can see)."""
    lo, hi = sorted([first.pk, second.pk])
    by_pk = {first.pk: first, second.pk: second}
    candidate = Candidate(lo, hi)
    rows = [(o.pk, o.cvr, o.orgnr) for o in (by_pk[lo], by_pk[hi])]
    candidate.evidence.extend(identifier_pairs(rows).values())
    names = [(o.pk, o.name, o.municipality_id, o.kind) for o in (by_pk[lo], by_pk[hi])]
    candidate.evidence.extend(name_pairs(names).values())
    return candidate


@login_required
@require_http_methods(["GET"])
def duplicate_list(request):
    anchors = duplicate_anchor_ids(request.user)
    candidates = find_candidates(anchor_ids=anchors)
    page = Paginator(candidates, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    ids = {pk for c in page.object_list for pk in (c.first_id, c.second_id)}
    organisations = _organisations(ids)
    pairs = [
        (c, organisations[c.first_id], organisations[c.second_id])
        for c in page.object_list
        if c.first_id in organisations and c.second_id in organisations
    ]
    merges = list(
        OrganisationMerge.objects.select_related("kept", "merged_by", "undone_by").filter(
            **({} if anchors is None else {"merged_by": request.user})
        )[:10]
    )
    for merge in merges:
        merge.can_undo = can_undo_merge(request.user, merge) and not merge.undone_at
    return render(
        request,
        "clusters/duplicate_list.html",
        {
            "pairs": pairs,
            "page": page,
            "total": len(candidates),
            "merges": merges,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_merge(request, keep: int, remove: int):
    kept, removed = get_duplicate_pair_for_user(request, keep, remove)
    require_merge_role(request.user)
    not_allowed = merge_refusal(request.user, kept, removed)
    if request.method == "POST":
        if not_allowed:
            messages.error(request, not_allowed)
            return redirect("clusters:duplicate_merge", keep=keep, remove=remove)
        try:
            record = organisation_merge(
                kept=kept,
                removed=removed,
                user=request.user,
                confirm_dismissed=request.POST.get("confirm_dismissed") == "yes",
            )
        except MergeError as refused:
            messages.error(request, str(refused))
            return redirect("clusters:duplicate_merge", keep=keep, remove=remove)
        except IntegrityError:  # a rule of the database no merge rule foresaw: nothing changed
            messages.error(
                request,
                _("The two organisations have data that cannot be combined; nothing was changed."),
            )
            return redirect("clusters:duplicate_merge", keep=keep, remove=remove)
        messages.success(
            request,
            _("%(removed)s was merged into %(kept)s.")
            % {"removed": record.removed_name, "kept": kept.name},
        )
        return redirect("clusters:duplicate_list")
    refused, plan = not_allowed, []
    if not refused:
        try:
            plan = merge_plan(kept=kept, removed=removed)
        except MergeError as error:
            refused = str(error)
    lo, hi = sorted([kept.pk, removed.pk])
    dismissal = (
        DuplicateDismissal.objects.select_related("dismissed_by")
        .filter(first_id=lo, second_id=hi)
        .first()
    )
    organisations = _organisations([kept.pk, removed.pk])
    return render(
        request,
        "clusters/duplicate_merge.html",
        {
            "kept": organisations[kept.pk],
            "removed": organisations[removed.pk],
            "candidate": _evidence(kept, removed),
            "plan": plan,
            "refused": refused,
            "dismissal": dismissal,
        },
    )


@login_required
@require_POST
def duplicate_dismiss(request, first: int, second: int):
    one, other = get_duplicate_pair_for_user(request, first, second)
    if not is_dismissed(one.pk, other.pk):
        dismiss_pair(first=one, second=other, user=request.user)
    messages.success(
        request,
        _("%(one)s and %(other)s will not be suggested as duplicates again.")
        % {"one": one.name, "other": other.name},
    )
    return redirect("clusters:duplicate_list")


@login_required
@require_POST
def merge_undo(request, pk: int):
    """Undo a merge: the removed organisation comes back with everything that moved."""
    merge = get_merge_for_user(request, pk)
    refusal = undo_refusal(merge)
    if refusal is None:
        try:
            organisation_merge_undo(merge=merge, user=request.user)
        except MergeError as error:
            refusal = str(error)
        except IntegrityError:
            refusal = _("The rows cannot be moved back without a conflict; nothing was changed.")
    if refusal:
        messages.error(
            request,
            _("The merge of %(removed)s into %(kept)s cannot be undone. %(reason)s")
            % {"removed": merge.removed_name, "kept": merge.kept_name, "reason": refusal},
        )
    else:
        messages.success(
            request,
            _("%(removed)s is back, with everything the merge had moved to %(kept)s.")
            % {"removed": merge.removed_name, "kept": merge.kept_name},
        )
    return redirect("clusters:duplicate_list")
