"""The rows behind a figure as table rows (drill-down page, workbook), and what the
workbook and the CSV share."""

from datetime import datetime
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import Membership
from matchmaking.models import Match
from matchmaking.models_introductions import Introduction
from network.models import Organisation
from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    Project,
    ProjectPartner,
)
from projects.reports import (
    COUNT,
    HOURS,
    MONEY,
    PERCENT,
    Figure,
    Report,
    prorate,
)

# The version of the figures' definitions: a funder can tell two reports made by different
# definitions apart. Raise it whenever a definition in projects/reports/ changes.
REPORT_VERSION = "2.0 (2026-12)"

COLUMNS = {
    "id": (_("Id"), 8),
    "name": (_("Name"), 44),
    "kind": (_("Kind or status"), 22),
    "date": (_("Date"), 12),
    "cluster": (_("Cluster"), 22),
    "organisation": (_("Organisation"), 30),
    "region": (_("Region"), 20),
    "people": (_("People"), 8),
    "hours": (_("Hours"), 10),
    "value": (_("Amount"), 14),
    "cash": (_("Cash"), 14),
    "currency": (_("Currency"), 9),
}
# The columns of a figure's rows, by the kind of row.
MODEL_COLUMNS = {
    Organisation: ["id", "name", "kind", "region"],
    Membership: ["id", "organisation", "cluster", "kind", "date", "region", "value", "currency"],
    Match: ["id", "name", "kind", "date", "organisation", "region"],
    Introduction: ["id", "name", "kind", "date", "organisation", "region"],
    Project: ["id", "name", "kind", "date", "cluster"],
    ProjectPartner: ["id", "name", "kind", "organisation", "region"],
    Activity: ["id", "name", "kind", "date", "cluster"],
    ActivityParticipant: ["id", "name", "kind", "date", "organisation", "region", "people"],
    Contribution: [
        "id",
        "name",
        "kind",
        "date",
        "organisation",
        "region",
        "hours",
        "value",
        "cash",
        "currency",
    ],
    Budget: ["id", "name", "kind", "date", "cluster", "cash", "value", "currency"],
}
MODEL_RECORDS = {
    Organisation: _("organisations (with their memberships)"),
    Membership: _("memberships"),
    Match: _("matches"),
    Introduction: _("introductions"),
    Project: _("projects"),
    ProjectPartner: _("project partners"),
    Activity: _("activities"),
    ActivityParticipant: _("activity participants"),
    Contribution: _("contributions"),
    Budget: _("budget lines"),
}
UNIT_LABELS = {COUNT: _("number"), HOURS: _("hours"), MONEY: _("amount"), PERCENT: _("percent")}


def _day(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


@lru_cache(maxsize=4096)
def _choice_label(model, field_name: str, value, language: str) -> str:
    field = model._meta.get_field(field_name)
    return str(dict(field.flatchoices).get(value, value))


def _display(obj, field_name: str) -> str:
    """get_FOO_display(), remembered per value and language (rows repeat the same few)."""
    return _choice_label(
        type(obj), field_name, getattr(obj, field_name), translation.get_language()
    )


def _region(organisation) -> str:
    return organisation.region.name if organisation and organisation.region_id else ""


# What each kind of row reads: only the columns its sheet shows (a row sheet lists thousands of
# rows; every deferred datetime is a conversion saved), with the related rows it names.
ROW_FIELDS = {
    Organisation: (["region"], ["id", "name", "kind", "region__name"]),
    Membership: (
        ["organisation__region", "cluster"],
        [
            "id",
            "status",
            "period_start",
            "annual_fee",
            "currency",
            "organisation__name",
            "organisation__region__name",
            "cluster__name",
        ],
    ),
    Match: (
        ["source__region"],
        [
            "id",
            "status",
            "created_at",
            "target_type",
            "target_id",
            "source__name",
            "source__region__name",
        ],
    ),
    Introduction: (
        ["source__region", "target_organisation"],
        [
            "id",
            "status",
            "requested_at",
            "source__name",
            "source__region__name",
            "target_organisation__name",
        ],
    ),
    Project: (["lead_cluster"], ["id", "title", "status", "start", "lead_cluster__name"]),
    ProjectPartner: (
        ["project", "organisation__region"],
        [
            "id",
            "project__title",
            "organisation__name",
            "organisation__kind",
            "organisation__region__name",
        ],
    ),
    Activity: (["cluster"], ["id", "title", "kind", "date", "cluster__name"]),
    ActivityParticipant: (
        ["activity", "organisation__region"],
        [
            "id",
            "kind",
            "people",
            "activity__title",
            "activity__date",
            "organisation__name",
            "organisation__region__name",
        ],
    ),
    Contribution: (
        ["project", "activity", "organisation__region"],
        [
            "id",
            "date",
            "hours",
            "hourly_rate",
            "cash",
            "currency",
            "funding_source",
            "organisation__name",
            "organisation__region__name",
            "project__title",
            "activity__title",
        ],
    ),
    Budget: (["cluster"], None),
}


def prepare_rows(rows):
    """The rows of a figure with what their table row needs, in a constant number of queries."""
    related, fields = ROW_FIELDS.get(rows.model, ([], None))
    rows = rows.select_related(*related) if related else rows
    return rows.only(*fields) if fields else rows


def source_values(obj, scope=None) -> dict:
    """One row behind a figure, as typed values keyed by COLUMNS."""
    if isinstance(obj, Organisation):
        return {"name": obj.name, "kind": _display(obj, "kind"), "region": _region(obj)}
    if isinstance(obj, Membership):
        return {
            "organisation": obj.organisation.name,
            "cluster": obj.cluster.name,
            "kind": _display(obj, "status"),
            "date": getattr(obj, "joined", None) or obj.period_start,
            "region": _region(obj.organisation),
            "value": obj.annual_fee,
            "currency": getattr(obj, "fee_currency", None) or obj.currency,
        }
    if isinstance(obj, Match):
        return {
            "name": f"{obj.source.name} → {_display(obj, 'target_type')} {obj.target_id}",
            "kind": _display(obj, "status"),
            "date": _day(obj.created_at),
            "organisation": obj.source.name,
            "region": _region(obj.source),
        }
    if isinstance(obj, Introduction):
        return {
            "name": f"{obj.source.name} → {obj.target_organisation.name}",
            "kind": _display(obj, "status"),
            "date": _day(obj.requested_at),
            "organisation": obj.source.name,
            "region": _region(obj.source),
        }
    if isinstance(obj, Project):
        return {
            "name": obj.title,
            "kind": _display(obj, "status"),
            "date": obj.start,
            "cluster": obj.lead_cluster.name,
        }
    if isinstance(obj, ProjectPartner):
        return {
            "name": obj.project.title,
            "kind": _display(obj.organisation, "kind"),
            "organisation": obj.organisation.name,
            "region": _region(obj.organisation),
        }
    if isinstance(obj, Activity):
        return {
            "name": obj.title,
            "kind": _display(obj, "kind"),
            "date": obj.date,
            "cluster": obj.cluster.name,
        }
    if isinstance(obj, ActivityParticipant):
        return {
            "name": obj.activity.title,
            "kind": _display(obj, "kind"),
            "date": obj.activity.date,
            "organisation": obj.organisation.name if obj.organisation else "",
            "region": _region(obj.organisation),
            "people": obj.people,
        }
    if isinstance(obj, Contribution):
        target = obj.project or obj.activity
        return {
            "name": target.title,
            "kind": _display(obj, "funding_source"),
            "date": obj.date,
            "organisation": obj.organisation.name,
            "region": _region(obj.organisation),
            "hours": obj.hours,
            "value": obj.hours * obj.hourly_rate,
            "cash": obj.cash,
            "currency": obj.currency,
        }
    if isinstance(obj, Budget):
        values = {
            "name": f"{obj.period_start:%Y-%m-%d} – {obj.period_end:%Y-%m-%d}",
            "kind": _display(obj, "funding_source"),
            "date": obj.period_start,
            "cluster": obj.cluster.name,
            "cash": obj.amount,
            "currency": obj.currency,
        }
        if scope is not None:
            values["value"] = prorate(
                obj.amount,
                start=obj.period_start,
                end=obj.period_end,
                within_start=scope.start,
                within_end=scope.end,
            )
        return values
    raise TypeError(type(obj))


def columns_for(model) -> list[str]:
    return MODEL_COLUMNS[model]


def source_row(obj, scope=None, columns=None) -> list:
    values = source_values(obj, scope)
    values.setdefault("id", obj.pk)
    return [
        str(values[key]) if isinstance(values.get(key), Promise) else values.get(key)
        for key in columns or columns_for(type(obj))
    ]


def source_header(model) -> list[str]:
    return [str(COLUMNS[key][0]) for key in columns_for(model)]


def figure_lines(figure: Figure) -> list[tuple[str, str, object]]:
    """(label, breakdown label, number) for a figure: its total first, then each group."""
    lines = [(str(figure.label), str(_("Total")), figure.number)]
    for group in figure.groups:
        lines.append((str(figure.label), group.label, group.number))
    return lines


def scope_name(report: Report) -> str:
    cluster = report.scope.cluster
    return cluster.name if cluster else str(_("The whole network"))


def _user_name(user) -> str:
    if user is None:
        return str(_("the portal (scheduled run)"))
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} <{user.email}>" if name else user.email
