"""The yearly rhythm, on a frozen calendar: memberships lapse after their period plus the
cluster's grace period; staff get a weekly digest of the renewals due."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from clusters import tasks
from clusters.models import Membership
from tests.clusters.factories import active_membership, org_admin, staff, valid_cvr
from tests.email_dates import en_date
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def at(day: date, hour: int = 2, minute: int = 15):
    """Travel to a moment in Copenhagen time (the beat schedule's clock)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH))


def member(cluster, n, *, start, tier=None, **fields):
    organisation = OrganisationFactory(name=f"Medlem {n} ApS", cvr=valid_cvr(n))
    return active_membership(cluster, organisation=organisation, tier=tier, start=start, **fields)


def test_the_beat_schedule_runs_both_tasks():
    schedule = settings.CELERY_BEAT_SCHEDULE
    lapse = schedule["clusters-lapse-overdue-memberships"]
    digest = schedule["clusters-renewal-digest"]
    assert lapse["task"] == "clusters.tasks.lapse_overdue_memberships"
    assert digest["task"] == "clusters.tasks.send_renewal_digests"
    assert digest["schedule"].day_of_week == {1}  # Mondays only
    assert lapse["schedule"].day_of_week == set(range(7))  # every night


class TestLapse:
    def test_lapses_the_day_after_the_grace_period(
        self, cluster, basic, django_capture_on_commit_callbacks
    ):
        cluster.grace_days = 60
        cluster.save()
        # Period 2025-01-01 .. 2025-12-31; 60 days of grace run to 1 March 2026.
        membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
        org_admin(membership.organisation, email="admin@medlem.example", language="en")

        with at(date(2026, 1, 15)):
            assert tasks.lapse_overdue_memberships.delay().get() == 0
        with at(date(2026, 3, 1)):
            assert tasks.lapse_overdue_memberships.delay().get() == 0
        membership.refresh_from_db()
        assert membership.status == "active"

        with at(date(2026, 3, 2)), django_capture_on_commit_callbacks(execute=True):
            assert tasks.lapse_overdue_memberships.delay().get() == 1
        membership.refresh_from_db()
        assert membership.status == "lapsed"
        assert membership.status_reason_code == "period_ended"
        assert membership.status_reason_params == {"period_end": "2025-12-31"}
        record = membership.history.order_by("-history_id").first()
        assert record.status == "lapsed"
        assert record.history_user is None  # the portal did it, not a person
        assert record.history_change_reason == "lapse: grace period over"
        assert [m.to for m in mail.outbox] == [["admin@medlem.example"]]
        assert "has lapsed" in mail.outbox[0].subject
        assert f"The period ended on {en_date(date(2025, 12, 31))}" in mail.outbox[0].body

    def test_running_twice_changes_nothing(self, cluster, basic):
        membership = member(cluster, 1, start=date(2024, 1, 1), tier=basic)
        with at(date(2026, 3, 2)):
            assert tasks.lapse_overdue_memberships.delay().get() == 1
            assert tasks.lapse_overdue_memberships.delay().get() == 0
        assert membership.history.count() == 2  # created, lapsed

    def test_each_cluster_has_its_own_grace_period(self, cluster, other_cluster):
        cluster.grace_days = 90
        cluster.save()
        other_cluster.grace_days = 0
        other_cluster.save()
        patient = member(cluster, 1, start=date(2025, 1, 1))
        strict = member(other_cluster, 2, start=date(2025, 1, 1))
        with at(date(2026, 1, 2)):
            assert tasks.lapse_overdue_memberships.delay().get() == 1
        assert Membership.objects.get(pk=patient.pk).status == "active"
        assert Membership.objects.get(pk=strict.pk).status == "lapsed"

    def test_a_renewed_membership_does_not_lapse(self, cluster, basic, manager):
        from clusters import services

        membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
        with at(date(2026, 1, 20), hour=10):
            services.membership_renew(membership=membership, actor=manager)
        with at(date(2026, 3, 2)):
            assert tasks.lapse_overdue_memberships.delay().get() == 0
        membership.refresh_from_db()
        assert (membership.status, membership.period_end) == ("active", date(2026, 12, 31))

    def test_other_statuses_are_left_alone(self, cluster):
        from tests.clusters.factories import MembershipFactory

        for n, status in enumerate(["applied", "lapsed", "cancelled", "rejected"]):
            MembershipFactory(
                cluster=cluster,
                organisation=OrganisationFactory(cvr=valid_cvr(10 + n)),
                status=status,
                period_start=date(2020, 1, 1),
                period_end=date(2020, 12, 31),
            )
        with at(date(2026, 3, 2)):
            assert tasks.lapse_overdue_memberships.delay().get() == 0


class TestDigest:
    MONDAY = date(2026, 3, 2)

    @pytest.fixture
    def due(self, cluster, other_cluster, basic):
        cluster.grace_days = 60
        cluster.save()
        # Ended in the grace period, ends within the notice window, and ends much later.
        member(cluster, 1, start=date(2025, 2, 1), tier=basic)  # ended 2026-01-31
        member(cluster, 2, start=date(2025, 4, 1), tier=basic)  # ends 2026-03-31
        member(cluster, 3, start=date(2025, 12, 1), tier=basic)  # ends 2026-11-30
        member(other_cluster, 4, start=date(2025, 4, 1))  # another cluster's

    def test_staff_get_their_clusters_renewals_due(
        self,
        cluster,
        other_cluster,
        manager,
        coordinator,
        other_manager,
        due,
        django_capture_on_commit_callbacks,
    ):
        with at(self.MONDAY, hour=7, minute=0), django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_renewal_digests.delay().get() == 3
        by_recipient = {m.to[0]: m for m in mail.outbox}
        assert set(by_recipient) == {
            manager.email,
            coordinator.email,
            other_manager.email,
        }
        digest = by_recipient[manager.email]
        assert digest.subject == "Welfare Tech: 2 memberships due for renewal"
        assert "Medlem 1 ApS (Basis): ended" in digest.body
        assert "Medlem 2 ApS (Basis): ends" in digest.body
        assert "Medlem 3 ApS" not in digest.body
        assert "Medlem 4 ApS" not in digest.body
        assert "/clusters/welfare-tech/members/?renewal_due=true" in digest.body
        other = by_recipient[other_manager.email]
        assert "Medlem 4 ApS" in other.body
        assert "Medlem 1 ApS" not in other.body

    def test_the_lapse_date_in_the_digest_is_the_day_it_lapses(
        self, cluster, manager, due, django_capture_on_commit_callbacks
    ):
        from django.utils import formats, translation

        # Period ended 31 January; 60 days of grace; the nightly run lapses it on 2 April.
        lapses_on = date(2026, 4, 2)
        with at(self.MONDAY, hour=7, minute=0), django_capture_on_commit_callbacks(execute=True):
            tasks.send_renewal_digests.delay()
        body = next(m.body for m in mail.outbox if m.to == [manager.email])
        grace_line = next(line for line in body.splitlines() if "Medlem 1 ApS" in line)
        with translation.override("en"):
            assert f"lapses {formats.date_format(lapses_on, 'SHORT_DATE_FORMAT')}" in grace_line
        with at(date(2026, 4, 1)):
            assert tasks.lapse_overdue_memberships.delay().get() == 0
        with at(lapses_on):
            assert tasks.lapse_overdue_memberships.delay().get() == 1

    def test_in_each_recipients_language(self, cluster, due, monkeypatch):
        from network import notifications

        staff(cluster, "manager", email="nb@wt.example", language="nb")
        staff(cluster, "coordinator", email="da@wt.example", language="da")
        languages = {}
        original = notifications.render_message

        def spy(template, context, language):
            languages[context["recipient"].email] = language
            return original(template, context, language)

        monkeypatch.setattr(notifications, "render_message", spy)
        with at(self.MONDAY, hour=7, minute=0):
            tasks.send_renewal_digests.delay()
        assert languages["nb@wt.example"] == "nb"
        assert languages["da@wt.example"] == "da"

    def test_no_digest_when_nothing_is_due(self, cluster, manager, basic):
        member(cluster, 1, start=date(2025, 12, 1), tier=basic)
        with at(self.MONDAY, hour=7, minute=0):
            assert tasks.send_renewal_digests.delay().get() == 0
        assert mail.outbox == []
