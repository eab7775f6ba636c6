"""The organisation side: apply to clusters, follow the application, withdraw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusters import services
from clusters.forms import ApplyForm, OrganisationChoiceForm
from clusters.models import Membership, MembershipStatus
from clusters.permissions import (
    get_application_for_user,
    get_applying_organisation,
    organisations_applying_for,
)
from clusters.transitions import ServiceError

STATUS_ORDER = Case(
    When(status=MembershipStatus.APPLIED, then=Value(0)),
    When(status=MembershipStatus.ACTIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@login_required
def apply(request):
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if not slug:
        own = list(organisations_applying_for(request.user).order_by("name")[:50])
        if len(own) == 1:
            slug = own[0].slug
        else:
            return render(
                request,
                "clusters/apply_choose.html",
                {"organisations": own, "form": OrganisationChoiceForm(organisations=own)},
            )
    organisation = get_applying_organisation(request, slug)
    form = ApplyForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.membership_apply(
                organisation=organisation,
                clusters=form.cleaned_data["clusters"],
                motivation=form.cleaned_data["motivation"],
                actor=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            for membership in result.applied:
                messages.success(
                    request,
                    _("Your application to %(cluster)s was sent.")
                    % {"cluster": membership.cluster.name},
                )
            for cluster, reason in result.skipped:
                messages.warning(request, f"{cluster.name}: {reason}")
            return redirect("clusters:my_applications")
    return render(
        request,
        "clusters/apply.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_GET
def my_applications(request):
    memberships = (
        Membership.objects.of_organisations_of(request.user)
        .select_related("organisation", "cluster", "tier")
        .order_by("organisation__name", STATUS_ORDER, "cluster__name")
    )
    admin_of = set(organisations_applying_for(request.user).values_list("pk", flat=True))
    for membership in memberships:
        membership.can_withdraw = (
            membership.organisation_id in admin_of and membership.status == MembershipStatus.APPLIED
        )
    return render(
        request,
        "clusters/my_applications.html",
        {
            "memberships": memberships,
            "can_apply": bool(admin_of),
        },
    )


@login_required
@require_POST
def withdraw(request, pk):
    membership = get_application_for_user(request, pk)
    if membership.status != MembershipStatus.APPLIED:
        raise PermissionDenied
    try:
        services.membership_withdraw(membership=membership, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your application to %(cluster)s was withdrawn.")
            % {"cluster": membership.cluster.name},
        )
    return redirect("clusters:my_applications")
