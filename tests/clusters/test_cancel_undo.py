"""Cancelling a membership asks first and can be undone for a few minutes (issue 20): nothing
changes until it is confirmed, the organisation is told only once the undo time is over, and an
undone cancellation leaves the membership exactly as it was, with both steps in its history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clusters import services
from clusters.models import Membership
from clusters.services.memberships import CANCEL_UNDO_MINUTES
from clusters.transitions import TransitionError
from tests.clusters.factories import active_membership, org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(cluster, basic):
    membership = active_membership(cluster, tier=basic, start=date(2026, 1, 1))
    org_admin(membership.organisation, email="admin@medlem.example", language="en")
    return membership


def cancel_url(membership):
    return reverse(
        "clusters:membership_action", args=[membership.cluster.slug, membership.pk, "cancel"]
    )


def undo_url(membership):
    return reverse("clusters:membership_cancel_undo", args=[membership.cluster.slug, membership.pk])


def detail_url(membership):
    return reverse("clusters:membership_detail", args=[membership.cluster.slug, membership.pk])


def test_cancelling_asks_first_on_a_page_that_works_without_javascript(client, member, manager):
    client.force_login(manager)
    page = client.post(cancel_url(member), {"cancel-reason": "Har ikke betalt"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Cancel the membership of {member.organisation.name}?" in text
    assert "Har ikke betalt" in text  # the reason the organisation will read
    assert 'name="confirm" value="yes"' in text
    assert 'name="cancel-reason" value="Har ikke betalt"' in text
    assert Membership.objects.get(pk=member.pk).status == "active"
    assert member.history.count() == 1


def test_the_detail_page_has_the_modal_whose_button_sends_the_form_confirmed(
    client, member, manager
):
    client.force_login(manager)
    page = client.get(detail_url(member)).content.decode()
    assert 'id="cancel-form"' in page
    assert 'data-target="confirm-cancel"' in page
    assert 'form="cancel-form" name="confirm" value="yes"' in page


def test_a_missing_reason_is_asked_for_before_anything_else(client, member, manager):
    client.force_login(manager)
    response = client.post(cancel_url(member), {"cancel-reason": "", "confirm": "yes"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Membership.objects.get(pk=member.pk).status == "active"


def test_a_confirmed_cancellation_can_be_undone_and_the_organisation_hears_nothing(
    client, member, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            cancel_url(member), {"cancel-reason": "Fejl", "confirm": "yes"}, follow=True
        )
    assert Membership.objects.get(pk=member.pk).status == "cancelled"
    text = response.content.decode()
    assert f"You can undo it here for {CANCEL_UNDO_MINUTES} minutes" in text
    assert 'data-testid="cancel-undo-button"' in text
    response = client.post(undo_url(member), follow=True)
    assert "The cancellation was undone" in response.content.decode()
    restored = Membership.objects.get(pk=member.pk)
    assert (restored.status, restored.period_end, restored.tier_id, restored.status_reason) == (
        "active",
        member.period_end,
        member.tier_id,
        "",
    )
    # The email about the cancellation was waiting for the undo time; now it tells nobody.
    for callback in queued:
        callback()
    assert [m for m in mail.outbox if "cancelled" in m.subject] == []
    reasons = list(restored.history.order_by("history_id").values_list("history_change_reason"))
    assert [r for (r,) in reasons][-2:] == ["cancel", "undo_cancel"]
    page = client.get(detail_url(member)).content.decode()
    assert "Cancellation undone" in page
    assert 'data-testid="cancel-undo"' not in page


def test_a_cancellation_not_undone_is_emailed_after_the_undo_time(
    member, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from clusters import tasks

    calls = []
    original = tasks.send_membership_status_email.apply_async

    def spy(args, countdown=None, **kwargs):
        calls.append(countdown)
        return original(args, **kwargs)  # eager in tests: sent at once

    monkeypatch.setattr(tasks.send_membership_status_email, "apply_async", spy)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_cancel(membership=member, actor=manager, reason="Udmeldt")
    assert calls == [CANCEL_UNDO_MINUTES * 60 + 30]
    [email] = [m for m in mail.outbox if m.to == ["admin@medlem.example"]]
    assert "cancelled" in email.subject


def test_after_the_undo_time_it_cannot_be_undone(client, member, manager):
    services.membership_cancel(membership=member, actor=manager, reason="Udmeldt")
    later = timezone.now() + timedelta(minutes=CANCEL_UNDO_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        client.force_login(manager)
        page = client.get(detail_url(member)).content.decode()
        assert 'data-testid="cancel-undo"' not in page
        response = client.post(undo_url(member), follow=True)
    assert "can no longer be undone" in response.content.decode()
    assert Membership.objects.get(pk=member.pk).status == "cancelled"


def test_only_the_latest_change_can_be_undone(member, manager):
    services.membership_cancel(membership=member, actor=manager, reason="Udmeldt")
    Membership.objects.filter(pk=member.pk).update(status="active")  # something else since
    with pytest.raises(TransitionError):
        services.membership_cancel_undo(
            membership=Membership.objects.get(pk=member.pk), actor=manager
        )
    with pytest.raises(TransitionError):  # never cancelled
        services.membership_cancel_undo(membership=member, actor=manager)


def test_a_lapsed_membership_comes_back_lapsed_with_its_reason(member, manager):
    services.membership_lapse(membership=member, actor=manager, reason="Ikke fornyet")
    services.membership_cancel(membership=member, actor=manager, reason="Udmeldt")
    services.membership_cancel_undo(membership=member, actor=manager)
    restored = Membership.objects.get(pk=member.pk)
    assert (restored.status, restored.status_reason) == ("lapsed", "Ikke fornyet")


def test_coordinators_may_neither_cancel_nor_undo(client, member, manager, coordinator):
    services.membership_cancel(membership=member, actor=manager, reason="Udmeldt")
    client.force_login(coordinator)
    page = client.get(detail_url(member)).content.decode()
    assert 'data-testid="cancel-undo"' not in page
    assert client.post(undo_url(member)).status_code == 403
    assert Membership.objects.get(pk=member.pk).status == "cancelled"
