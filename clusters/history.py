"""A membership's history for people: who changed what, when, and why."""

from django.utils.translation import gettext_lazy as _

from clusters.models import Membership, MembershipStatus, MembershipTier
from clusters.reasons import reason_text
from network.models import Person

IGNORED = [
    "updated_at",
    "status_changed_at",
    "applied_at",
    "status_reason",
    "status_reason_code",
    "status_reason_params",
]
REASONS = {
    "apply": _("Applied"),
    "reapply": _("Applied again"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "withdraw": _("Withdrawn by the organisation"),
    "renew": _("Renewed"),
    "lapse": _("Marked lapsed"),
    "lapse: grace period over": _("Lapsed automatically after the grace period"),
    "cancel": _("Cancelled"),
    "undo_cancel": _("Cancellation undone"),
    "edit": _("Edited"),
    "contact": _("New primary contact"),
}


def _reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    if reason.startswith("import: "):
        return str(_("Imported from %(file)s")) % {"file": reason.removeprefix("import: ")}
    label = REASONS.get(reason)
    return str(label) if label else reason


def history_entries(membership: Membership) -> list[dict]:
    """Newest first. Each entry: when, who, what happened, and the fields that changed."""
    records = list(
        membership.history.select_related("history_user").order_by("history_date", "history_id")
    )
    tier_ids = {r.tier_id for r in records if r.tier_id}
    person_ids = {r.primary_contact_id for r in records if r.primary_contact_id}
    tiers = {t.pk: t.name for t in MembershipTier.objects.filter(pk__in=tier_ids)}
    people = {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)}
    statuses = dict(MembershipStatus.choices)
    labels = {f.name: f.verbose_name for f in Membership._meta.fields}

    def show(field: str, value) -> str:
        if value in (None, ""):
            return "—"
        if field == "tier":
            return tiers.get(value, str(value))
        if field == "primary_contact":
            return people.get(value, str(value))
        if field == "status":
            return str(statuses.get(value, value))
        return str(value)

    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=IGNORED)
            for change in delta.changes:
                changes.append(
                    {
                        "field": labels.get(change.field, change.field),
                        "old": show(change.field, change.old),
                        "new": show(change.field, change.new),
                    }
                )
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "created": record.history_type == "+",
                "what": _reason_label(record.history_change_reason),
                "status": str(statuses.get(record.status, record.status)),
                "status_reason": reason_text(record)
                if previous is None or record.status != previous.status
                else "",
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries
