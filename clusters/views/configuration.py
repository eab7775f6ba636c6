"""Managers keep their cluster's profile, tiers and fees current."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import services
from clusters.forms import LOGO_MAX_BYTES, ClusterForm, TierForm
from clusters.models import MembershipTier
from clusters.permissions import CONFIGURE, capabilities, get_cluster_for_user
from clusters.transitions import ServiceError
from network.body_limits import FORM_OVERHEAD, request_body_limit
from network.confirm import confirm_page, is_confirmed


def _tiers(cluster):
    return MembershipTier.objects.filter(cluster=cluster).annotate(member_count=Count("membership"))


@request_body_limit(LOGO_MAX_BYTES + FORM_OVERHEAD)
@login_required
def cluster_settings(request, slug):
    cluster = get_cluster_for_user(request, slug, CONFIGURE)
    form = ClusterForm(request.POST or None, request.FILES or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_save(
                cluster=form.instance,
                regions=form.cleaned_data["regions"],
                focus_areas=form.cleaned_data["focus_areas"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cluster's settings were saved."))
            return redirect("clusters:settings", slug=cluster.slug)
    return render(
        request,
        "clusters/settings.html",
        {
            "cluster": cluster,
            "form": form,
            "tiers": _tiers(cluster),
            "can": capabilities(request.user, cluster),
        },
    )


@login_required
def tier_edit(request, slug, pk=None):
    cluster = get_cluster_for_user(request, slug, CONFIGURE)
    tier = get_object_or_404(MembershipTier, pk=pk, cluster=cluster) if pk else None
    form = TierForm(request.POST or None, instance=tier, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            services.tier_save(tier=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The tier was saved."))
            return redirect("clusters:settings", slug=cluster.slug)
    return render(
        request,
        "clusters/tier_form.html",
        {
            "cluster": cluster,
            "form": form,
            "tier": tier,
            "can": capabilities(request.user, cluster),
        },
    )


@login_required
@require_POST
def tier_delete(request, slug, pk):
    cluster = get_cluster_for_user(request, slug, CONFIGURE)
    tier = get_object_or_404(MembershipTier, pk=pk, cluster=cluster)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Delete the tier %(name)s?") % {"name": tier.name},
            question=_("No membership uses it; a deleted tier cannot be restored."),
            confirm_label=_("Delete"),
            cancel_url=reverse("clusters:settings", args=[cluster.slug]),
        )
    try:
        services.tier_delete(tier=tier)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The tier was deleted."))
    return redirect("clusters:settings", slug=cluster.slug)
