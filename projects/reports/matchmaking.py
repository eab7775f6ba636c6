"""Matchmaking figures from dated events: matches suggested, introductions requested,
accepted and met, and introductions that led to a project."""

from django.utils.translation import gettext_lazy as _

from matchmaking.models import Match
from matchmaking.models_introductions import AGREED_STATUSES
from projects.reports import records
from projects.reports.base import Figure, Scope
from projects.reports.records import STARTED_PROJECT


def matches_suggested(scope: Scope) -> Figure:
    rows = Match.objects.filter(
        created_at__gte=scope.start_at, created_at__lt=scope.end_before
    ).order_by("created_at", "pk")
    if scope.cluster is not None:
        rows = rows.filter(source__in=records.members_of(scope.cluster))
    return Figure(
        key="matches_suggested",
        section="matchmaking",
        label=_("Matches suggested"),
        definition=_(
            "Matches the engine first suggested in the period and still on record (matches "
            "nobody acted on leave the lists when a better one comes along)."
        ),
        number=rows.count(),
        rows=rows,
        region_field="source__region__name",
    )


def _introduction_figure(scope, key, label, definition, at_field, **filters) -> Figure:
    rows = (
        records.introductions(scope)
        .filter(
            **filters,
            **{f"{at_field}__gte": scope.start_at, f"{at_field}__lt": scope.end_before},
        )
        .order_by(at_field, "pk")
    )
    return Figure(
        key=key,
        section="matchmaking",
        label=label,
        definition=definition,
        number=rows.count(),
        rows=rows,
        region_field="source__region__name",
    )


def matches_requested(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_requested",
        _("Introductions requested"),
        _("Introductions a company asked for in the period (by the date it asked)."),
        "requested_at",
    )


def matches_introduced(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_introduced",
        _("Introductions accepted"),
        _(
            "Introductions the asked organisation accepted in the period (by the date of the "
            "answer; contacts exchanged), whenever they were asked for."
        ),
        "responded_at",
        status__in=AGREED_STATUSES,
    )


def matches_met(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_met",
        _("Introductions that led to a meeting"),
        _("Introductions whose two sides recorded a meeting in the period (by its date)."),
        "met_at",
        met_at__isnull=False,
    )


def matches_to_projects(scope: Scope) -> Figure:
    rows = (
        records.projects(scope)
        .filter(origin_introduction__isnull=False, status__in=STARTED_PROJECT)
        .filter(start__gte=scope.start, start__lte=scope.end)
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="matches_to_projects",
        section="matchmaking",
        label=_("Introductions that led to a project"),
        definition=_("Projects started from an introduction, whose start date is in the period."),
        number=rows.count(),
        rows=rows,
    )
