"""Every allowed and every forbidden status change, as a table and through the services."""

from datetime import date, timedelta

import pytest
from django.core import mail

from clusters import services
from clusters.models import Membership, MembershipStatus
from clusters.transitions import (
    TRANSITIONS,
    Action,
    Status,
    TransitionError,
    allowed_actions,
    check,
    is_allowed,
)
from tests.clusters.factories import MembershipFactory, org_admin, staff

ALLOWED = {
    (Status.APPLIED, Action.APPROVE): Status.ACTIVE,
    (Status.APPLIED, Action.REJECT): Status.REJECTED,
    (Status.APPLIED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.ACTIVE, Action.RENEW): Status.ACTIVE,
    (Status.ACTIVE, Action.LAPSE): Status.LAPSED,
    (Status.ACTIVE, Action.CANCEL): Status.CANCELLED,
    (Status.LAPSED, Action.RENEW): Status.ACTIVE,
    (Status.LAPSED, Action.CANCEL): Status.CANCELLED,
    (Status.LAPSED, Action.REAPPLY): Status.APPLIED,
    (Status.REJECTED, Action.REAPPLY): Status.APPLIED,
    (Status.WITHDRAWN, Action.REAPPLY): Status.APPLIED,
    (Status.CANCELLED, Action.REAPPLY): Status.APPLIED,
}
ALL_PAIRS = [(status, action) for status in Status for action in Action]
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def test_the_model_and_the_table_know_the_same_statuses():
    assert {s.value for s in Status} == set(MembershipStatus.values)


def test_the_table_is_exactly_the_life_cycle():
    table = {
        (status, action): t.target for action, t in TRANSITIONS.items() for status in t.sources
    }
    assert table == ALLOWED


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_allowed(status, action):
    assert is_allowed(status, action)
    assert check(status, action).target == ALLOWED[(status, action)]
    assert action in allowed_actions(status)


@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_forbidden(status, action):
    assert not is_allowed(status, action)
    with pytest.raises(TransitionError) as error:
        check(status, action)
    assert error.value.code == "not_allowed"


# --- Through the services, against the database -----------------------------------------------
def _membership(cluster, status):
    today = date.today()
    period = {
        Status.ACTIVE: (today - timedelta(days=330), today + timedelta(days=34)),
        Status.LAPSED: (today - timedelta(days=800), today - timedelta(days=436)),
    }.get(status, (None, None))
    return MembershipFactory(
        cluster=cluster, status=status, period_start=period[0], period_end=period[1]
    )


def _run(action, membership, actor):
    if action == Action.WITHDRAW:
        return services.membership_withdraw(membership=membership, actor=actor)
    if action == Action.REAPPLY:
        result = services.membership_apply(
            organisation=membership.organisation,
            clusters=[membership.cluster],
            motivation="Igen",
            actor=actor,
        )
        if not result.applied:
            raise TransitionError(result.skipped[0][1], code="not_allowed")
        return result.applied[0]
    return services.membership_take_action(
        membership=membership, action=action, actor=actor, reason="Begrundelse"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_allowed_through_services_records_who_and_emails(
    status, action, cluster, basic, django_capture_on_commit_callbacks
):
    manager = staff(cluster)
    membership = _membership(cluster, status)
    org_admin(membership.organisation, email="boss@member.example", language="en")
    before = membership.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        _run(action, membership, manager)
    membership.refresh_from_db()
    assert membership.status == ALLOWED[(status, action)]
    record = membership.history.order_by("-history_id").first()
    assert membership.history.count() == before + 1
    assert record.history_user == manager
    assert record.status == membership.status
    assert any("boss@member.example" in m.to for m in mail.outbox)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_forbidden_through_services_changes_nothing(
    status, action, cluster, basic, django_capture_on_commit_callbacks
):
    manager = staff(cluster)
    membership = _membership(cluster, status)
    before = membership.history.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        _run(action, membership, manager)
    after = Membership.objects.get(pk=membership.pk)
    assert after.status == status
    assert membership.history.count() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_reject_needs_a_reason(cluster):
    membership = _membership(cluster, Status.APPLIED)
    with pytest.raises(TransitionError) as error:
        services.membership_reject(membership=membership, actor=staff(cluster), reason="  ")
    assert error.value.code == "reason_required"
    assert Membership.objects.get(pk=membership.pk).status == "applied"


@pytest.mark.django_db
def test_an_active_membership_is_renewed_only_when_due(cluster, basic):
    membership = _membership(cluster, Status.ACTIVE)
    manager = staff(cluster)
    services.membership_renew(membership=membership, actor=manager)
    membership.refresh_from_db()
    first_end = membership.period_end
    assert first_end > date.today() + timedelta(days=360)
    with pytest.raises(TransitionError) as error:
        services.membership_renew(membership=membership, actor=manager)
    assert error.value.code == "not_due"
    membership.refresh_from_db()
    assert membership.period_end == first_end


@pytest.mark.django_db
def test_renewal_continues_the_period_and_takes_the_current_fee(cluster, basic):
    membership = _membership(cluster, Status.ACTIVE)
    membership.tier = basic
    membership.annual_fee = 1000
    membership.save()
    old_end = membership.period_end
    services.membership_renew(membership=membership, actor=staff(cluster))
    membership.refresh_from_db()
    assert membership.period_start == old_end + timedelta(days=1)
    assert membership.annual_fee == basic.annual_fee


@pytest.mark.django_db
def test_approval_sets_a_one_year_period_and_the_tier_fee(cluster, basic, premium):
    membership = _membership(cluster, Status.APPLIED)
    services.membership_approve(
        membership=membership, actor=staff(cluster), tier=premium, period_start=date(2025, 3, 1)
    )
    membership.refresh_from_db()
    assert (membership.period_start, membership.period_end) == (
        date(2025, 3, 1),
        date(2026, 2, 28),
    )
    assert membership.tier == premium
    assert membership.annual_fee == premium.annual_fee


@pytest.mark.django_db
def test_a_tier_of_another_cluster_is_refused(cluster, other_cluster):
    from tests.clusters.factories import MembershipTierFactory

    foreign = MembershipTierFactory(cluster=other_cluster)
    membership = _membership(cluster, Status.APPLIED)
    with pytest.raises(TransitionError):
        services.membership_approve(membership=membership, actor=staff(cluster), tier=foreign)
    assert Membership.objects.get(pk=membership.pk).status == "applied"
