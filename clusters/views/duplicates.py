"""Duplicate organisations: the list of likely pairs, the merge (with a confirm step), and
dismissing a pair. Network admins see every pair; cluster staff the pairs where at least one
organisation is a member of, or applicant to, a cluster they staff.

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
from clusters.permissions import duplicate_anchor_ids, get_duplicate_pair_for_user
from network.duplicates import (
    Candidate,
    dismiss_pair,
    find_candidates,
    identifier_pairs,
    is_dismissed,
    name_pairs,
)
from network.merge import MergeError, merge_plan, organisation_merge, related_counts
from network.models import Organisation, OrganisationMerge

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
    merges = OrganisationMerge.objects.select_related("kept", "merged_by")
    if anchors is not None:
        merges = merges.filter(merged_by=request.user)
    return render(
        request,
        "clusters/duplicate_list.html",
        {
            "pairs": pairs,
            "page": page,
            "total": len(candidates),
            "merges": merges[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_merge(request, keep: int, remove: int):
    kept, removed = get_duplicate_pair_for_user(request, keep, remove)
    if request.method == "POST":
        try:
            record = organisation_merge(kept=kept, removed=removed, user=request.user)
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
    refused, plan = None, []
    try:
        plan = merge_plan(kept=kept, removed=removed)
    except MergeError as error:
        refused = str(error)
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
