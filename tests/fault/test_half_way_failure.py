"""A request that fails half-way leaves the database as it was, and sends no email."""

import pytest
from django.core import mail
from django.urls import reverse

from clusters.models import Membership
from clusters.services import memberships as membership_services
from tests.clusters.factories import application, staff
from tests.factories import ClusterFactory, MembershipTierFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_bulk_approval_failing_on_the_third_member_changes_nobody(client, monkeypatch):
    cluster = ClusterFactory()
    MembershipTierFactory(cluster=cluster)
    applications = [application(cluster) for _ in range(4)]
    history_before = Membership.history.count()
    real_approve = membership_services.membership_approve
    calls = []

    def approve_then_fail(**kwargs):
        calls.append(kwargs["membership"].pk)
        if len(calls) == 3:
            raise ConnectionError("database connection lost")  # anything unexpected
        return real_approve(**kwargs)

    monkeypatch.setattr(membership_services, "membership_approve", approve_then_fail)
    client.raise_request_exception = False
    client.force_login(staff(cluster))
    response = client.post(
        reverse("clusters:bulk_action", args=[cluster.slug]),
        {"action": "approve", "selected": [m.pk for m in applications], "confirm": "1"},
    )

    assert response.status_code == 500
    assert len(calls) == 3  # two were approved before the failure ...
    statuses = set(Membership.objects.filter(cluster=cluster).values_list("status", flat=True))
    assert statuses == {"applied"}  # ... and rolled back with it
    assert Membership.history.count() == history_before
    assert mail.outbox == []
