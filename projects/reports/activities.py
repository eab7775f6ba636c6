"""Activity figures: activities held and their participants."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from projects.models import PARTICIPANT_KINDS, ActivityKind, ActivityParticipant
from projects.reports import records
from projects.reports.base import Figure, Scope, grouped


def activities_held(scope: Scope) -> Figure:
    rows = records.activities(scope).select_related("cluster").order_by("date", "pk")
    return Figure(
        key="activities",
        section="activities",
        label=_("Activities held"),
        definition=_("Events, workshops, user panels, match-making days and meetings."),
        rows=rows,
        **grouped(rows, "kind", ActivityKind.choices),
    )


def participants_by_kind(scope: Scope) -> Figure:
    rows = (
        ActivityParticipant.objects.filter(activity__in=records.activities(scope))
        .select_related("activity", "organisation")
        .order_by("activity__date", "activity_id", "pk")
    )
    return Figure(
        key="participants",
        section="activities",
        label=_("Participants"),
        definition=_(
            "People at the period's activities, by the kind of organisation they came from."
        ),
        rows=rows,
        measure=Sum("people"),
        region_field="organisation__region__name",
        **grouped(rows, "kind", PARTICIPANT_KINDS, total=Sum("people")),
    )
