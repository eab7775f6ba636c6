"""SMEs engaged: asked or asked for, at an activity, or partner in a running project."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.models import Organisation
from network.models.organisations import OrganisationKind
from projects.models import ActivityParticipant, ProjectPartner
from projects.reports import records
from projects.reports.base import Figure, Scope


def smes_engaged(scope: Scope) -> Figure:
    introductions = records.introductions(scope).filter(
        requested_at__gte=scope.start_at, requested_at__lt=scope.end_before
    )
    # Four sets of organisations, each read once (IN), rather than four lookups per SME.
    rows = (
        Organisation.objects.filter(kind=OrganisationKind.SME)
        .filter(
            Q(pk__in=introductions.values("source_id"))
            | Q(pk__in=introductions.values("target_organisation_id"))
            | Q(
                pk__in=ActivityParticipant.objects.filter(
                    activity__in=records.activities(scope), organisation__isnull=False
                ).values("organisation_id")
            )
            | Q(
                pk__in=ProjectPartner.objects.filter(project__in=records.running(scope)).values(
                    "organisation_id"
                )
            )
        )
        .order_by("name", "pk")
    )
    return Figure(
        key="smes_engaged",
        section="engagement",
        label=_("SMEs engaged"),
        definition=_(
            "SMEs that asked for or were asked for an introduction in the period, took part in "
            "an activity in it, or were partners in a project running in it."
        ),
        number=rows.count(),
        rows=rows,
        region_field="region__name",
    )
