"""Duplicate organisations: the list of likely pairs, the merge (with a confirm step), and
dismissing a pair. Network admins see every pair; cluster staff the pairs where at least one
organisation is a member of, or applicant to, a cluster they staff.

Detection and the merge itself live in network (network.duplicates, network.merge); these
views live here because who sees which pair, and the memberships shown beside it, are the
clusters' business.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import Cluster, Membership, MembershipStatus
from clusters.querysets import is_network_admin
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
# Memberships that make an organisation one of "their" cluster's for cluster staff.
CURRENT = [MembershipStatus.APPLIED, MembershipStatus.ACTIVE]


def _staffed_clusters(user):
    """None for network admins (everything); otherwise the ids of the user's clusters (403 if
    there are none)."""
    if is_network_admin(user):
        return None
    ids = list(Cluster.objects.managed_by(user).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


def _anchor_ids(cluster_ids):
    if cluster_ids is None:
        return None
    return set(
        Membership.objects.filter(cluster_id__in=cluster_ids, status__in=CURRENT).values_list(
            "organisation_id", flat=True
        )
    )


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


def get_pair_for_user(request, first_id: int, second_id: int):
    """Two organisations the user may merge: 404 for anyone who may not see the pair."""
    if first_id == second_id:
        raise Http404
    try:
        cluster_ids = _staffed_clusters(request.user)
    except PermissionDenied:
        raise Http404 from None
    pair = list(Organisation.objects.filter(pk__in=[first_id, second_id]))
    if len(pair) != 2:
        raise Http404
    anchors = _anchor_ids(cluster_ids)
    if anchors is not None and not anchors & {first_id, second_id}:
        raise Http404
    by_pk = {o.pk: o for o in pair}
    return by_pk[first_id], by_pk[second_id]


def _evidence(first: Organisation, second: Organisation) -> Candidate:
    """Why these two look alike (possibly nothing: staff may merge any two they can see)."""
    lo, hi = sorted([first.pk, second.pk])
    by_pk = {first.pk: first, second.pk: second}
    candidate = Candidate(lo, hi)
    rows = [(o.pk, o.cvr, o.orgnr) for o in (by_pk[lo], by_pk[hi])]
    candidate.evidence.extend(identifier_pairs(rows).values())
    names = [(o.pk, o.name, o.municipality_id) for o in (by_pk[lo], by_pk[hi])]
    candidate.evidence.extend(name_pairs(names).values())
    return candidate


@login_required
@require_http_methods(["GET"])
def duplicate_list(request):
    cluster_ids = _staffed_clusters(request.user)
    candidates = find_candidates(anchor_ids=_anchor_ids(cluster_ids))
    page = Paginator(candidates, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    ids = {pk for c in page.object_list for pk in (c.first_id, c.second_id)}
    organisations = _organisations(ids)
    pairs = [
        (c, organisations[c.first_id], organisations[c.second_id])
        for c in page.object_list
        if c.first_id in organisations and c.second_id in organisations
    ]
    merges = OrganisationMerge.objects.select_related("kept", "merged_by")
    if cluster_ids is not None:
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
    kept, removed = get_pair_for_user(request, keep, remove)
    if request.method == "POST":
        try:
            record = organisation_merge(kept=kept, removed=removed, user=request.user)
        except MergeError as refused:
            messages.error(request, str(refused))
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
    one, other = get_pair_for_user(request, first, second)
    if not is_dismissed(one.pk, other.pk):
        dismiss_pair(first=one, second=other, user=request.user)
    messages.success(
        request,
        _("%(one)s and %(other)s will not be suggested as duplicates again.")
        % {"one": one.name, "other": other.name},
    )
    return redirect("clusters:duplicate_list")
