"""The rows behind a figure as table rows (drill-down page, workbook), and what the
workbook and the CSV share."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Membership
from matchmaking.bookings.models import Booking, Evaluation
from matchmaking.events.models import MeetingRequest, Registration
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
REPORT_VERSION = "2.2 (2026-12)"

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
# The columns of a row about one organisation's part in something (_party_row).
PARTY_COLUMNS = ["id", "name", "kind", "date", "organisation", "region"]
# The columns of a figure's rows, by the kind of row.
MODEL_COLUMNS = {
    Organisation: ["id", "name", "kind", "region"],
    Membership: ["id", "organisation", "cluster", "kind", "date", "region", "value", "currency"],
    Match: PARTY_COLUMNS,
    Introduction: PARTY_COLUMNS,
    Booking: PARTY_COLUMNS,
    Evaluation: PARTY_COLUMNS,
    Registration: PARTY_COLUMNS,
    MeetingRequest: PARTY_COLUMNS,
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
    Booking: _("test bookings"),
    Evaluation: _("test evaluations"),
    Registration: _("event participants"),
    MeetingRequest: _("event meeting requests"),
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


def _labels(model, field_name: str) -> dict:
    """{value: label} of a field's choices, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def _label(labels: dict, value) -> str:
    return labels.get(value, value)


# Each kind of row is read as plain values (no model instances: a sheet lists tens of thousands
# of rows), only the columns its table shows and the names of the rows it refers to; `build`
# turns one row's values into typed values keyed by COLUMNS.
def _organisation(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["name"],
        "kind": _label(labels["kind"], v["kind"]),
        "region": v["region__name"] or "",
    }


def _membership(v, labels, scope):
    return {
        "id": v["id"],
        "organisation": v["organisation__name"],
        "cluster": v["cluster__name"],
        "kind": _label(labels["status"], v["status"]),
        "date": v.get("joined") or v["period_start"],
        "region": v["organisation__region__name"] or "",
        "value": v["annual_fee"],
        "currency": v.get("fee_currency") or v["currency"],
    }


def _party_row(v, labels, *, name: str, kind: str, date: str, party: str) -> dict:
    """A row about one organisation's part in something (a match, an introduction, a test, an
    event): `name`, the label of the choice in `kind`, the day of `date`, and the organisation
    at `party` (its path, "source__") with its region."""
    return {
        "id": v["id"],
        "name": name,
        "kind": _label(labels[kind], v[kind]),
        "date": _day(v[date]),
        "organisation": v[f"{party}name"],
        "region": v[f"{party}region__name"] or "",
    }


def _match(v, labels, scope):
    target = _label(labels["target_type"], v["target_type"])
    name = f"{v['source__name']} → {target} {v['target_id']}"
    return _party_row(v, labels, name=name, kind="status", date="created_at", party="source__")


def _introduction(v, labels, scope):
    name = f"{v['source__name']} → {v['target_organisation__name']}"
    return _party_row(v, labels, name=name, kind="status", date="requested_at", party="source__")


def _booking(v, labels, scope):
    name = f"{v['organisation__name']} @ {v['site__name']}"
    return _party_row(v, labels, name=name, kind="status", date="start", party="organisation__")


def _evaluation(v, labels, scope):
    name = f"{v['booking__organisation__name']} @ {v['booking__site__name']}"
    return _party_row(
        v, labels, name=name, kind="side", date="submitted_at", party="booking__organisation__"
    )


def _registration(v, labels, scope):
    name = f"{v['organisation__name']} @ {v['event__title']}"
    return _party_row(
        v,
        labels,
        name=name,
        kind="organisation__kind",
        date="event__start_date",
        party="organisation__",
    )


def _meeting_request(v, labels, scope):
    name = (
        f"{v['requester__organisation__name']} → {v['recipient__organisation__name']} "
        f"@ {v['event__title']}"
    )
    return _party_row(
        v,
        labels,
        name=name,
        kind="status",
        date="event__start_date",
        party="requester__organisation__",
    )


def _project(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["title"],
        "kind": _label(labels["status"], v["status"]),
        "date": v["start"],
        "cluster": v["lead_cluster__name"],
    }


def _partner(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["project__title"],
        "kind": _label(labels["organisation__kind"], v["organisation__kind"]),
        "organisation": v["organisation__name"],
        "region": v["organisation__region__name"] or "",
    }


def _activity(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["title"],
        "kind": _label(labels["kind"], v["kind"]),
        "date": v["date"],
        "cluster": v["cluster__name"],
    }


def _participant(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["activity__title"],
        "kind": _label(labels["kind"], v["kind"]),
        "date": v["activity__date"],
        "organisation": v["organisation__name"] or "",
        "region": v["organisation__region__name"] or "",
        "people": v["people"],
    }


def _contribution(v, labels, scope):
    return {
        "id": v["id"],
        "name": v["project__title"] or v["activity__title"],
        "kind": _label(labels["funding_source"], v["funding_source"]),
        "date": v["date"],
        "organisation": v["organisation__name"],
        "region": v["organisation__region__name"] or "",
        "hours": v["hours"],
        "value": v["hours"] * v["hourly_rate"],
        "cash": v["cash"],
        "currency": v["currency"],
    }


def _budget(v, labels, scope):
    values = {
        "id": v["id"],
        "name": f"{v['period_start']:%Y-%m-%d} – {v['period_end']:%Y-%m-%d}",
        "kind": _label(labels["funding_source"], v["funding_source"]),
        "date": v["period_start"],
        "cluster": v["cluster__name"],
        "cash": v["amount"],
        "currency": v["currency"],
    }
    if scope is not None:
        values["value"] = prorate(
            v["amount"],
            start=v["period_start"],
            end=v["period_end"],
            within_start=scope.start,
            within_end=scope.end,
        )
    return values


@dataclass(frozen=True)
class RowKind:
    fields: tuple[str, ...]
    # {values' key: (model, field)} whose choices' labels a row shows.
    choices: dict
    build: Callable
    # Annotations a queryset of these rows may carry, read when present.
    optional: tuple[str, ...] = ()


ROW_KINDS = {
    Organisation: RowKind(
        ("id", "name", "kind", "region__name"), {"kind": (Organisation, "kind")}, _organisation
    ),
    Membership: RowKind(
        (
            "id",
            "status",
            "period_start",
            "annual_fee",
            "currency",
            "organisation__name",
            "organisation__region__name",
            "cluster__name",
        ),
        {"status": (Membership, "status")},
        _membership,
        optional=("joined", "fee_currency"),
    ),
    Match: RowKind(
        (
            "id",
            "status",
            "created_at",
            "target_type",
            "target_id",
            "source__name",
            "source__region__name",
        ),
        {"status": (Match, "status"), "target_type": (Match, "target_type")},
        _match,
    ),
    Introduction: RowKind(
        (
            "id",
            "status",
            "requested_at",
            "source__name",
            "source__region__name",
            "target_organisation__name",
        ),
        {"status": (Introduction, "status")},
        _introduction,
    ),
    Booking: RowKind(
        (
            "id",
            "status",
            "start",
            "organisation__name",
            "organisation__region__name",
            "site__name",
        ),
        {"status": (Booking, "status")},
        _booking,
    ),
    Evaluation: RowKind(
        (
            "id",
            "side",
            "submitted_at",
            "booking__organisation__name",
            "booking__organisation__region__name",
            "booking__site__name",
        ),
        {"side": (Evaluation, "side")},
        _evaluation,
    ),
    Registration: RowKind(
        (
            "id",
            "event__title",
            "event__start_date",
            "organisation__name",
            "organisation__kind",
            "organisation__region__name",
        ),
        {"organisation__kind": (Organisation, "kind")},
        _registration,
    ),
    MeetingRequest: RowKind(
        (
            "id",
            "status",
            "event__title",
            "event__start_date",
            "requester__organisation__name",
            "requester__organisation__region__name",
            "recipient__organisation__name",
        ),
        {"status": (MeetingRequest, "status")},
        _meeting_request,
    ),
    Project: RowKind(
        ("id", "title", "status", "start", "lead_cluster__name"),
        {"status": (Project, "status")},
        _project,
    ),
    ProjectPartner: RowKind(
        (
            "id",
            "project__title",
            "organisation__name",
            "organisation__kind",
            "organisation__region__name",
        ),
        {"organisation__kind": (Organisation, "kind")},
        _partner,
    ),
    Activity: RowKind(
        ("id", "title", "kind", "date", "cluster__name"), {"kind": (Activity, "kind")}, _activity
    ),
    ActivityParticipant: RowKind(
        (
            "id",
            "kind",
            "people",
            "activity__title",
            "activity__date",
            "organisation__name",
            "organisation__region__name",
        ),
        {"kind": (ActivityParticipant, "kind")},
        _participant,
    ),
    Contribution: RowKind(
        (
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
        ),
        {"funding_source": (Contribution, "funding_source")},
        _contribution,
    ),
    Budget: RowKind(
        (
            "id",
            "funding_source",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "cluster__name",
        ),
        {"funding_source": (Budget, "funding_source")},
        _budget,
    ),
}


class RowTable:
    """The rows behind a figure as a table: `values` is a queryset of plain values (page it, or
    iterate it), `row(values)` one table row in the order of `columns`, in the active language.
    Reads the rows in one query, whatever their number."""

    def __init__(self, rows, scope=None):
        self.model = rows.model
        self.columns = MODEL_COLUMNS[self.model]
        self.scope = scope
        kind = ROW_KINDS[self.model]
        present = [name for name in kind.optional if name in rows.query.annotations]
        self.values = rows.values(*kind.fields, *present)
        self._build = kind.build
        self._labels = {key: _labels(*choice) for key, choice in kind.choices.items()}

    def header(self) -> list[str]:
        return [str(COLUMNS[key][0]) for key in self.columns]

    def row(self, values: dict) -> list:
        typed = self._build(values, self._labels, self.scope)
        return [typed.get(key) for key in self.columns]

    def __iter__(self):
        for values in self.values.iterator(chunk_size=2000):
            yield self.row(values)


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
