"""`seed_demo` never changes a row that exists (issue 18, item 7): run it, work in the demo as
staff would, run it again, and everything staff did is still there, untouched."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import override_settings
from django.utils import timezone

from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier
from clusters.services import membership_approve, membership_renew
from network.models import Organisation, ReviewStatus, TestSite

pytestmark = pytest.mark.django_db


def seed():
    with override_settings(DEBUG=True):  # a local demo, as `make run` seeds it
        call_command("seed_demo", size="small", stdout=StringIO())


def snapshot():
    def rows(queryset, exclude=()):
        return [
            {k: v for k, v in model_to_dict(obj).items() if k not in exclude} | {"pk": obj.pk}
            for obj in queryset.order_by("pk")
        ]

    return {
        "clusters": rows(Cluster.objects.all()),
        "tiers": rows(MembershipTier.objects.all()),
        "memberships": rows(Membership.objects.all()),
        "history": Membership.history.count(),
        "organisations": list(
            Organisation.with_tombstones.order_by("pk").values_list(
                "pk", "name", "review_status", "pending_changes", "is_published"
            )
        ),
        "test_sites": list(
            TestSite.objects.order_by("pk").values_list("pk", "review_status", "is_published")
        ),
    }


def test_a_second_run_changes_nothing_staff_did():
    seed()
    cluster = Cluster.objects.get(slug="welfare-tech")
    manager = ClusterStaff.objects.filter(cluster=cluster).first().user
    today = timezone.localdate()
    # Staff approve every application, renew the members in their grace period, change a
    # tier's fee, and publish what waited for review.
    applications = list(cluster.memberships.filter(status="applied"))
    assert applications
    for membership in applications:
        membership_approve(membership=membership, actor=manager)
    in_grace = list(cluster.memberships.filter(status="active", period_end__lt=today))
    assert in_grace
    for membership in in_grace:
        membership_renew(membership=membership, actor=manager)
    tier = cluster.tiers.order_by("position").first()
    tier.annual_fee += 1000
    tier.name = "Basis (ny pris)"
    tier.save()
    Organisation.objects.filter(review_status=ReviewStatus.PENDING).update(
        review_status=ReviewStatus.PUBLISHED, pending_changes={}
    )
    TestSite.objects.filter(review_status=ReviewStatus.PENDING).update(
        review_status=ReviewStatus.PUBLISHED, is_published=True
    )
    before = snapshot()
    seed()
    after = snapshot()
    for key in before:
        assert after[key] == before[key], key


def test_seeded_members_applied_on_their_own_days_not_the_day_of_seeding():
    seed()
    today = timezone.localdate()
    applied = {
        status: [timezone.localtime(a).date() for a in dates]
        for status, dates in [
            (status, Membership.objects.filter(status=status).values_list("applied_at", flat=True))
            for status in ("active", "lapsed", "applied")
        ]
    }
    assert applied["active"]
    assert applied["lapsed"]
    assert all(day < today for day in applied["active"] + applied["lapsed"])
    assert len(set(applied["active"])) > 10  # spread out, as real members applied
    assert all((today - day).days <= 70 for day in applied["applied"])
