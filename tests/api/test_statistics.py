"""Anonymised figures per cluster and period: counts only, no organisation named."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models_introductions import Introduction
from tests.api.factories import api_key, get
from tests.clusters.factories import active_membership
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats_key(cluster):
    return api_key(cluster=cluster, scopes=["stats:read"])


def _introduction(match, status):
    return Introduction.objects.create(
        match=match,
        source=match.source,
        target_organisation=match.need.owner,
        message="Hej",
        status=status,
        expires_at=timezone.now() + timedelta(days=14),
    )


def test_counts_of_members_matches_and_introductions(client, cluster, stats_key):
    member = OrganisationFactory(name="Hemmelig Medlem ApS")
    outsider = OrganisationFactory(name="Udenfor ApS")
    active_membership(cluster, organisation=member)
    municipality = OrganisationFactory(name="Kommunen", kind="municipality", cvr="")
    first = MatchFactory(source=member, need=NeedFactory(owner=municipality))
    second = MatchFactory(source=member, need=NeedFactory(owner=municipality), status="accepted")
    MatchFactory(source=outsider, need=NeedFactory(owner=municipality))
    _introduction(first, "requested")
    _introduction(second, "accepted")

    response = get(client, reverse("api-cluster-statistics", args=[cluster.slug]), stats_key)

    assert response.status_code == 200
    figures = response.json()
    assert figures["active_members"] == 1
    assert figures["matches"]["total"] == 2
    assert figures["matches"]["companies"] == 1
    assert figures["matches"]["by_status"]["accepted"] == 1
    assert figures["matches"]["by_target_type"]["need"] == 2
    assert figures["introductions"]["total"] == 2
    assert figures["introductions"]["by_status"] == {
        "requested": 1, "accepted": 1, "declined": 0, "expired": 0, "met": 0,
    }  # fmt: skip
    body = response.content.decode()
    for name in ("Hemmelig Medlem", "Udenfor", "Kommunen", member.slug):
        assert name not in body


def test_the_period_counts_only_what_happened_in_it(client, cluster, stats_key):
    member = OrganisationFactory()
    active_membership(cluster, organisation=member)
    MatchFactory(source=member)
    url = reverse("api-cluster-statistics", args=[cluster.slug])
    last_year = date.today().year - 1

    response = get(client, url, stats_key, start=f"{last_year}-01-01", end=f"{last_year}-12-31")

    assert response.json()["matches"]["total"] == 0
    assert response.json()["start"] == f"{last_year}-01-01"


@pytest.mark.parametrize(
    "period",
    [
        {"start": "2025-12-31", "end": "2025-01-01"},
        {"start": "2015-01-01", "end": "2025-01-01"},
        {"start": "not a date"},
    ],
)
def test_a_wrong_period_is_a_bad_request(client, cluster, stats_key, period):
    url = reverse("api-cluster-statistics", args=[cluster.slug])
    assert get(client, url, stats_key, **period).status_code == 400


def test_an_unknown_cluster_is_not_found(client, stats_key):
    url = reverse("api-cluster-statistics", args=["no-such-cluster"])
    assert get(client, url, stats_key).status_code == 404
