"""Project figures: started, running (ongoing or ended), ongoing at the end, partners."""

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext_lazy as _

from network.models.organisations import OrganisationKind
from projects.models import ProjectPartner
from projects.reports import records
from projects.reports.base import Figure, Scope, grouped
from projects.reports.records import STARTED_PROJECT

ONGOING, ENDED = "ongoing", "ended"
PROJECT_PHASES = [
    (ONGOING, _("Ongoing at the end of the period")),
    (ENDED, _("Ended in the period")),
]


def projects_started(scope: Scope) -> Figure:
    rows = (
        records.projects(scope)
        .filter(status__in=STARTED_PROJECT, start__gte=scope.start, start__lte=scope.end)
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_started",
        section="projects",
        label=_("Projects started"),
        definition=_("Projects whose start date is in the period."),
        number=rows.count(),
        rows=rows,
    )


def projects_running(scope: Scope) -> Figure:
    rows = (
        records.running(scope)
        .annotate(
            phase=Case(
                When(records.ongoing_at(scope.end), then=Value(ONGOING)),
                default=Value(ENDED),
                output_field=CharField(),
            )
        )
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_running",
        section="projects",
        label=_("Projects running"),
        definition=_(
            "Projects that ran for at least one day of the period: those still ongoing at its "
            "end, and those that ended in it."
        ),
        rows=rows,
        **grouped(rows, "phase", PROJECT_PHASES),
    )


def projects_ongoing(scope: Scope) -> Figure:
    rows = (
        records.projects(scope)
        .filter(records.ongoing_at(scope.end))
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_ongoing",
        section="projects",
        label=_("Projects ongoing at the end of the period"),
        definition=_(
            "Started projects not completed on the period's last day: no end date yet (and "
            "still running), or an end date after the period."
        ),
        number=rows.count(),
        rows=rows,
    )


def partners_by_kind(scope: Scope) -> Figure:
    rows = (
        ProjectPartner.objects.filter(project__in=records.running(scope))
        .select_related("project", "organisation")
        .order_by("project__title", "organisation__name", "pk")
    )
    return Figure(
        key="partners",
        section="projects",
        label=_("Project partners"),
        definition=_("Partners in projects running in the period, by kind of organisation."),
        rows=rows,
        region_field="organisation__region__name",
        **grouped(rows, "organisation__kind", OrganisationKind.choices),
    )
