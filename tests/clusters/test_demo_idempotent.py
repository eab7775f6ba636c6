"""`seed_demo` never changes a row that exists (issue 18, item 7): run it, work in the demo as
staff would, run it again, and everything staff did is still there, untouched: the memberships,
the demo logins (passwords, names, flags, roles, email addresses) and a cluster created since."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import override_settings
from django.utils import timezone

from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier, Network
from clusters.services import membership_approve, membership_renew
from matchmaking.models import Match, Need
from network.demo import DEMO_PASSWORD
from network.demo.users import DEMO_LOGINS
from network.models import Affiliation, Organisation, Person, ReviewStatus, TestSite, User
from projects.models import Activity, Budget, Project
from tests.clusters.factories import active_membership
from tests.factories import ClusterFactory, MembershipTierFactory

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
        "logins": list(
            User.objects.order_by("pk").values_list(
                "pk",
                "email",
                "password",
                "first_name",
                "last_name",
                "language",
                "is_active",
                "is_network_admin",
                "is_staff",
            )
        ),
        "email_addresses": list(
            EmailAddress.objects.order_by("pk").values_list(
                "pk", "user_id", "email", "verified", "primary"
            )
        ),
        "people": list(
            Person.objects.filter(user__isnull=False)
            .order_by("pk")
            .values_list("pk", "user_id", "first_name", "last_name", "email", "job_title")
        ),
        "staff": list(
            ClusterStaff.objects.order_by("pk").values_list("pk", "user_id", "cluster_id", "role")
        ),
        "affiliations": list(
            Affiliation.objects.order_by("pk").values_list(
                "pk", "person_id", "organisation_id", "role", "is_primary_contact"
            )
        ),
        "budgets": list(Budget.objects.order_by("pk").values_list("pk", "cluster_id", "amount")),
        "projects": list(
            Project.objects.order_by("pk").values_list("pk", "lead_cluster_id", "status", "start")
        ),
        "activities": list(Activity.objects.order_by("pk").values_list("pk", "cluster_id")),
        "needs": list(Need.objects.order_by("pk").values_list("pk", "owner_id", "reference")),
        "matches": list(Match.objects.order_by("pk").values_list("pk", "status")),
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


def login(local: str) -> User:
    return User.objects.get(email=next(x.email for x in DEMO_LOGINS if x.local == local))


def test_a_second_run_leaves_the_demo_logins_and_a_cluster_made_since_alone():
    seed()
    today = timezone.localdate()
    # The demo logins are used as people use them: a new password, name and language; a role
    # changed by the network admin; a login switched off; a new primary email address.
    manager = login("manager.welfaretech")
    manager.set_password("et-andet-kodeord-2026")
    manager.first_name, manager.language = "Rasmus Emil", "en"
    manager.save()
    User.objects.filter(pk=login("admin").pk).update(is_staff=False, last_name="Overgaard-Holm")
    User.objects.filter(pk=login("odense").pk).update(is_active=False)
    ClusterStaff.objects.filter(user=login("coordinator.nht")).update(role="manager")
    Affiliation.objects.filter(person__user=login("sme.member")).update(role="admin")
    Person.objects.filter(user=login("hospital")).update(
        job_title="Direktør", last_name="Ravn-Berg"
    )
    sme_admin = login("sme.admin")
    EmailAddress.objects.filter(user=sme_admin).update(primary=False)
    EmailAddress.objects.create(
        user=sme_admin, email="katrine@faldvagt.example", verified=True, primary=True
    )
    # The network admin starts a cluster, with the demo manager as its staff and two members
    # whose periods run well into next year.
    cluster = ClusterFactory(
        network=Network.objects.get(slug="danish-healthtech"),
        name="Sønderjysk Sundhed",
        slug="soenderjysk-sundhed",
        country="DK",
    )
    tier = MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=1000, position=1)
    ClusterStaff.objects.create(user=manager, cluster=cluster, role="manager")
    for organisation in Organisation.objects.filter(kind="sme", country="DK").order_by("pk")[:2]:
        active_membership(
            cluster, organisation=organisation, tier=tier, start=today - timedelta(days=30)
        )

    before = snapshot()
    seed()
    after = snapshot()
    for key in before:
        assert after[key] == before[key], key
    assert not cluster.memberships.filter(status="applied").exists()
    assert not Budget.objects.filter(cluster=cluster).exists()
    manager.refresh_from_db()
    assert manager.check_password("et-andet-kodeord-2026")
    assert not manager.check_password(DEMO_PASSWORD)
