"""Demo data: budgets as the network is funded, projects from agreed introductions."""

from decimal import Decimal
from io import StringIO

import pytest

from matchmaking.models import Match
from projects import demo
from projects.models import Activity, Budget, Contribution, Project
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory
from tests.matchmaking.factories import MatchFactory

pytestmark = pytest.mark.django_db


def test_seed_is_believable_and_idempotent():
    clusters = [
        ClusterFactory(country="DK", slug="welfare-tech"),
        ClusterFactory(country="DK", slug="copenhagen-healthtech-cluster"),
    ]
    # A cluster created in the demo (not one of the demo's own) gets no demo data.
    theirs = ClusterFactory(country="DK", slug="staff-own-cluster")
    for cluster in clusters:
        for _n in range(3):
            MembershipFactory(cluster=cluster, organisation=OrganisationFactory())
        MembershipFactory(
            cluster=cluster, organisation=OrganisationFactory(kind="municipality", cvr="")
        )
    source = clusters[0].memberships.filter(organisation__kind="sme").first().organisation
    match = MatchFactory(source=source)
    out = StringIO()
    added = demo.seed(size="small", stdout=out)
    assert "budget lines" in out.getvalue()
    totals = {
        source: sum(Budget.objects.filter(funding_source=source).values_list("amount", flat=True))
        for source in ("ministry", "region", "private")
    }
    assert totals == {
        "ministry": Decimal(14_000_000),
        "region": Decimal(2_800_000),
        "private": Decimal(11_200_000),
    }
    assert Match.objects.get(pk=match.pk).status == "project_started"
    project = Project.objects.get(origin_introduction__match=match)
    assert project.partners.count() == 2
    assert added["projects"] == Project.objects.count() > 1
    assert Activity.objects.filter(participants__isnull=False).exists()
    assert Contribution.objects.exists()
    assert not Budget.objects.filter(cluster=theirs).exists()
    assert not Activity.objects.filter(cluster=theirs).exists()
    again = demo.seed(size="small")
    assert again == {"budgets": 0, "projects": 0, "activities": 0, "contributions": 0}
