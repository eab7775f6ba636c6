"""Membership writes. Every status change goes through `_transition`, which checks the life cycle
(clusters.transitions), records who and why in the history, and emails the organisation once
the transaction has committed."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters import periods
from clusters.models import Cluster, Membership, MembershipStatus, MembershipTier
from clusters.permissions import can_take_action, conflict_of_interest
from clusters.transitions import TRANSITIONS, Action, TransitionError, check
from network.models import Affiliation, Organisation, Person
from network.models.organisations import AffiliationRole

MAX_REASON = 2000


# A cancellation can be undone this long after it was made; the organisation is told only
# once that time has passed (and not at all if it was undone).
CANCEL_UNDO_MINUTES = 10


def _notify_organisation(membership: Membership, *, delay_seconds: int = 0) -> None:
    """Queue the organisation's email about the change just saved (after commit)."""
    from clusters.tasks import send_membership_status_email

    history_id = (
        membership.history.order_by("-history_id").values_list("history_id", flat=True).first()
    )
    if history_id is None:
        return
    if delay_seconds:
        transaction.on_commit(
            lambda: send_membership_status_email.apply_async(
                (history_id,), countdown=delay_seconds
            ),
            robust=True,
        )
    else:
        transaction.on_commit(lambda: send_membership_status_email.delay(history_id), robust=True)


def _notify_staff(membership: Membership, event: str) -> None:
    from clusters.tasks import send_staff_application_email

    membership_id = membership.pk
    transaction.on_commit(
        lambda: send_staff_application_email.delay(membership_id, event), robust=True
    )


def default_tier(cluster: Cluster) -> MembershipTier | None:
    return cluster.tiers.order_by("position", "name").first()


@transaction.atomic
def _transition(
    *,
    membership: Membership,
    action: Action,
    actor,
    reason: str = "",
    notify: bool = True,
    change_reason: str = "",
    prepare=None,
    **fields,
) -> Membership:
    """Move `membership` along the life cycle, or raise TransitionError and change nothing.

    `prepare(locked)` may return more fields to set, worked out from the locked row (a
    renewal's next period), or raise TransitionError.
    """
    locked = (
        # Lock the membership row only: the tier is an outer join, which PostgreSQL cannot lock.
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "cluster", "tier")
        .get(pk=membership.pk)
    )
    transition = check(locked.status, action)
    if actor is not None and conflict_of_interest(actor, locked, action):
        raise TransitionError(
            _("You belong to %(organisation)s, so someone else must decide on its membership.")
            % {"organisation": locked.organisation.name},
            code="conflict_of_interest",
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise TransitionError(_("Give a reason."), code="reason_required")
    if len(reason) > MAX_REASON:
        raise TransitionError(
            _("Keep the reason under %(max)d characters.") % {"max": MAX_REASON},
            code="reason_too_long",
        )
    if prepare is not None:
        fields = {**fields, **prepare(locked)}
    locked.status = transition.target
    locked.status_reason = reason
    locked.status_reason_code = ""  # a coded reason comes in `fields` (membership_lapse)
    locked.status_reason_params = {}
    locked.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked._history_user = actor
    locked._change_reason = (change_reason or action)[:100]
    locked.save()
    if notify:
        # A cancellation waits for its undo time to pass before the organisation hears of it.
        wait = CANCEL_UNDO_MINUTES * 60 + 30 if action == Action.CANCEL else 0
        _notify_organisation(locked, delay_seconds=wait)
    # The caller's instance follows, so a view can render it without reloading.
    changed = ["status", "status_reason", "status_reason_code", "status_reason_params"]
    for name in [*changed, "status_changed_at", "updated_at", *fields]:
        setattr(membership, name, getattr(locked, name))
    return locked


def _tier_or_default(membership: Membership, tier: MembershipTier | None):
    tier = tier or membership.tier or default_tier(membership.cluster)
    if tier is not None and tier.cluster_id != membership.cluster_id:
        raise TransitionError(_("That tier belongs to another cluster."), code="wrong_tier")
    return tier


def membership_approve(
    *,
    membership: Membership,
    actor,
    tier: MembershipTier | None = None,
    period_start: date | None = None,
    annual_fee: Decimal | None = None,
) -> Membership:
    """applied -> active, for a year from `period_start` (today by default), in `tier` (the
    one asked for, or the cluster's first)."""

    def prepare(locked):
        chosen = _tier_or_default(locked, tier)
        start, end = periods.period_for(period_start or timezone.localdate())
        fee = annual_fee if annual_fee is not None else (chosen.annual_fee if chosen else None)
        return {"tier": chosen, "annual_fee": fee, "period_start": start, "period_end": end}

    return _transition(membership=membership, action=Action.APPROVE, actor=actor, prepare=prepare)


def membership_reject(*, membership: Membership, actor, reason: str) -> Membership:
    return _transition(membership=membership, action=Action.REJECT, actor=actor, reason=reason)


def membership_withdraw(*, membership: Membership, actor) -> Membership:
    """The organisation takes back its application."""
    updated = _transition(membership=membership, action=Action.WITHDRAW, actor=actor)
    _notify_staff(updated, "withdrawn")
    return updated


def membership_renew(*, membership: Membership, actor, today: date | None = None) -> Membership:
    """active/lapsed -> active for another year, at the tier's current fee.

    An active membership is renewed only once its renewal is due, so a repeated click or a
    second bulk run does not add a second year.
    """
    today = today or timezone.localdate()

    def prepare(locked):
        if locked.status == MembershipStatus.ACTIVE and not periods.renewal_due(
            period_end=locked.period_end, today=today
        ):
            raise TransitionError(
                _("Already renewed: the period runs until %(date)s.")
                % {"date": locked.period_end.isoformat() if locked.period_end else "-"},
                code="not_due",
            )
        start, end = periods.next_period(
            status=locked.status, period_end=locked.period_end, today=today
        )
        fee = locked.tier.annual_fee if locked.tier is not None else locked.annual_fee
        return {"period_start": start, "period_end": end, "annual_fee": fee}

    return _transition(membership=membership, action=Action.RENEW, actor=actor, prepare=prepare)


def membership_lapse(
    *,
    membership: Membership,
    actor,
    reason: str = "",
    change_reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
) -> Membership:
    """active -> lapsed. The portal's own lapse passes a `reason_code` (clusters.reasons),
    rendered in each reader's language; staff type a `reason`."""
    return _transition(
        membership=membership,
        action=Action.LAPSE,
        actor=actor,
        reason=reason,
        change_reason=change_reason,
        status_reason_code=reason_code,
        status_reason_params=reason_params or {},
    )


def membership_cancel(*, membership: Membership, actor, reason: str) -> Membership:
    """active/lapsed -> cancelled. It can be undone for CANCEL_UNDO_MINUTES
    (`membership_cancel_undo`); the organisation is emailed once that time is over."""
    return _transition(membership=membership, action=Action.CANCEL, actor=actor, reason=reason)


UNDO_CANCEL = "undo_cancel"


def cancel_undo_until(membership: Membership, *, last_record=None, now=None):
    """Until when the membership's cancellation can be undone, or None: only a cancellation that
    is still the membership's latest change, made less than CANCEL_UNDO_MINUTES ago."""
    from datetime import timedelta

    if membership.status != MembershipStatus.CANCELLED:
        return None
    record = last_record or membership.history.order_by("-history_id").first()
    if record is None or record.history_change_reason != Action.CANCEL:
        return None
    until = record.history_date + timedelta(minutes=CANCEL_UNDO_MINUTES)
    return until if (now or timezone.now()) < until else None


@transaction.atomic
def membership_cancel_undo(*, membership: Membership, actor, now=None) -> Membership:
    """Put a cancelled membership back as it was just before (active or lapsed, same period,
    tier, fee and reason), within CANCEL_UNDO_MINUTES. The history keeps both the cancellation
    and its undoing; the organisation is not emailed about either."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "cluster")
        .get(pk=membership.pk)
    )
    records = list(locked.history.order_by("-history_id")[:2])
    if len(records) < 2 or cancel_undo_until(locked, last_record=records[0], now=now) is None:
        raise TransitionError(
            _(
                "This cancellation can no longer be undone (only within %(minutes)d minutes, "
                "while it is the latest change)."
            )
            % {"minutes": CANCEL_UNDO_MINUTES},
            code="undo_expired",
        )
    if actor is not None and not can_take_action(actor, locked, Action.CANCEL):
        raise TransitionError(_("You may not cancel memberships."), code="not_allowed")
    before = records[1]
    for name in (
        "status",
        "status_reason",
        "status_reason_code",
        "status_reason_params",
        "status_changed_at",
    ):
        setattr(locked, name, getattr(before, name))
    locked.full_clean()
    locked._history_user = actor
    locked._change_reason = UNDO_CANCEL
    locked.save()
    for name in ("status", "status_reason", "status_reason_code", "status_reason_params"):
        setattr(membership, name, getattr(locked, name))
    return locked


def membership_take_action(
    *, membership: Membership, action: str, actor, reason: str = "", **options
) -> Membership:
    """One entry point for the staff pages' action buttons."""
    action = Action(action)
    if action == Action.APPROVE:
        return membership_approve(membership=membership, actor=actor, **options)
    if action == Action.REJECT:
        return membership_reject(membership=membership, actor=actor, reason=reason)
    if action == Action.RENEW:
        return membership_renew(membership=membership, actor=actor, **options)
    if action == Action.LAPSE:
        return membership_lapse(membership=membership, actor=actor, reason=reason)
    if action == Action.CANCEL:
        return membership_cancel(membership=membership, actor=actor, reason=reason)
    raise TransitionError(_("Staff cannot do that."), code="not_staff_action")


# --- Applications ----------------------------------------------------------------------------
@dataclass
class ApplyResult:
    applied: list[Membership] = field(default_factory=list)
    skipped: list[tuple[Cluster, str]] = field(default_factory=list)


@transaction.atomic
def membership_apply(
    *, organisation: Organisation, clusters, motivation: str, actor
) -> ApplyResult:
    """Apply for membership of each cluster; a closed earlier membership is reopened."""
    result = ApplyResult()
    motivation = (motivation or "").strip()
    for cluster in clusters:
        existing = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, cluster=cluster)
            .first()
        )
        if existing is None:
            membership = Membership(
                organisation=organisation,
                cluster=cluster,
                status=MembershipStatus.APPLIED,
                motivation=motivation,
            )
            membership.full_clean()
            membership._history_user = actor
            membership._change_reason = "apply"
            membership.save()
            _notify_organisation(membership)
        elif existing.status == MembershipStatus.ACTIVE:
            result.skipped.append((cluster, _("Already a member.")))
            continue
        elif existing.status == MembershipStatus.APPLIED:
            result.skipped.append((cluster, _("The application is already being considered.")))
            continue
        else:
            membership = _transition(
                membership=existing,
                action=Action.REAPPLY,
                actor=actor,
                motivation=motivation,
                applied_at=timezone.now(),
            )
        _notify_staff(membership, "applied")
        result.applied.append(membership)
    return result


# --- Editing ----------------------------------------------------------------------------------
@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    actor,
    tier: MembershipTier | None,
    annual_fee: Decimal | None,
    period_start: date | None,
    period_end: date | None,
    primary_contact: Person | None,
) -> Membership:
    """Staff keep the tier, fee, period and contact current. The status is not edited here."""
    if tier is not None and tier.cluster_id != membership.cluster_id:
        raise TransitionError(_("That tier belongs to another cluster."), code="wrong_tier")
    membership.tier = tier
    membership.annual_fee = annual_fee
    membership.period_start = period_start
    membership.period_end = period_end
    membership.primary_contact = primary_contact
    membership.full_clean()
    membership._history_user = actor
    membership._change_reason = "edit"
    membership.save()
    return membership


@transaction.atomic
def membership_contact_add(
    *,
    membership: Membership,
    actor,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
) -> Person:
    """A new contact person at the member organisation, made its primary contact."""
    person = Person(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        job_title=job_title,
    )
    person.full_clean()
    person.save()
    affiliation = Affiliation(
        person=person, organisation=membership.organisation, role=AffiliationRole.MEMBER
    )
    affiliation.full_clean()
    affiliation.save()
    membership.primary_contact = person
    membership._history_user = actor
    membership._change_reason = "contact"
    membership.save(update_fields=["primary_contact", "updated_at"])
    return person


# --- Bulk actions -----------------------------------------------------------------------------
@dataclass
class BulkItem:
    membership: Membership
    ok: bool
    message: str = ""


def _describe(membership: Membership, action: Action, today: date) -> str:
    if action == Action.APPROVE:
        tier = membership.tier or default_tier(membership.cluster)
        start, end = periods.period_for(today)
        return _("Active %(start)s – %(end)s, tier %(tier)s") % {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "tier": tier.name if tier else "-",
        }
    if action == Action.RENEW:
        start, end = periods.next_period(
            status=membership.status, period_end=membership.period_end, today=today
        )
        return _("Renewed %(start)s – %(end)s") % {
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
    return str(TRANSITIONS[action].label)


def memberships_bulk_plan(*, memberships, action: str, actor, today: date | None = None):
    """What a bulk action would do to each membership: the confirm page shows this."""
    action = Action(action)
    today = today or timezone.localdate()
    items = []
    for membership in memberships:
        transition = TRANSITIONS[action]
        if membership.status not in transition.sources:
            items.append(
                BulkItem(
                    membership,
                    False,
                    _("Skipped: the membership is %(status)s.")
                    % {"status": membership.get_status_display().lower()},
                )
            )
        elif not can_take_action(actor, membership, action):
            items.append(
                BulkItem(
                    membership,
                    False,
                    _("Skipped: you belong to this organisation, so someone else must decide."),
                )
            )
        elif (
            action == Action.RENEW
            and membership.status == MembershipStatus.ACTIVE
            and not periods.renewal_due(period_end=membership.period_end, today=today)
        ):
            items.append(
                BulkItem(
                    membership,
                    False,
                    _("Skipped: already renewed until %(date)s.")
                    % {"date": membership.period_end.isoformat()},
                )
            )
        else:
            items.append(BulkItem(membership, True, _describe(membership, action, today)))
    return items


@transaction.atomic
def memberships_bulk_apply(*, memberships, action: str, actor, today: date | None = None):
    """Apply `action` to each membership through the single-membership services. Each one is
    checked again (something may have changed since the confirm page); those that cannot be
    changed are reported, not fatal. Anything unexpected rolls back the whole batch, so staff
    never face a half-applied selection (emails go out only after the commit)."""
    action = Action(action)
    today = today or timezone.localdate()
    results = []
    for membership in memberships:
        try:
            if action == Action.APPROVE:
                membership_approve(membership=membership, actor=actor, period_start=today)
            elif action == Action.RENEW:
                membership_renew(membership=membership, actor=actor, today=today)
            elif action == Action.LAPSE:
                membership_lapse(membership=membership, actor=actor)
            else:
                raise TransitionError(_("Not a bulk action."), code="not_bulk")
        except TransitionError as error:
            results.append(BulkItem(membership, False, str(error.message)))
        else:
            results.append(BulkItem(membership, True, _describe_done(action)))
    return results


def _describe_done(action: Action) -> str:
    return {
        Action.APPROVE: gettext_lazy("Approved"),
        Action.RENEW: gettext_lazy("Renewed"),
        Action.LAPSE: gettext_lazy("Marked lapsed"),
    }[action]
