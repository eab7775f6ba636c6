"""Membership flows reconcile for every scope and breakdown, over random membership histories.

members at the start + new - left = members at the end, for the whole network, every cluster,
every kind of organisation and every region; and each set is the one the written definitions
name (checked against a plain Python reading of the same histories).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import Cluster, Membership, Network
from network.models import Organisation, Region
from projects import reports

pytestmark = pytest.mark.django_db

BASE = datetime.date(2025, 1, 1)
KINDS = ["sme", "sme", "municipality", "hospital", "university", "sme", "region", "investor"]
STATUSES = ["active", "lapsed", "cancelled", "applied", "rejected"]
ENDED = {"lapsed", "cancelled"}
MEMBER = {"active", "lapsed", "cancelled"}
FLOWS = ("members_start", "members_new", "members_lapsed", "members_end")


@dataclass(frozen=True)
class History:
    organisation: int
    cluster: int
    status: str
    joined: int | None  # days after BASE
    left_after: int  # days after joining it lapsed or was cancelled (ended statuses only)
    renewed: bool  # the period start moved on a year later; the history keeps the first


histories = st.lists(
    st.builds(
        History,
        organisation=st.integers(0, len(KINDS) - 1),
        cluster=st.integers(0, 2),
        status=st.sampled_from(STATUSES),
        # A short timeline, so that joining and leaving often fall on a period's first or last
        # day, or the day before it: where definitions differ.
        joined=st.one_of(st.none(), st.integers(-10, 40)),
        left_after=st.integers(-3, 30),
        renewed=st.booleans(),
    ),
    max_size=14,
    unique_by=lambda h: (h.organisation, h.cluster),
)
periods = st.tuples(st.integers(-5, 25), st.integers(0, 20))


def _day(offset: int) -> datetime.date:
    return BASE + datetime.timedelta(days=offset)


def _build(items: list[History]):
    network = Network.objects.create(name="Flows", slug="flows")
    clusters = [
        Cluster.objects.create(
            network=network, name=f"C{i}", short_name=f"C{i}", slug=f"c{i}", country=country
        )
        for i, country in enumerate(("DK", "DK", "NO"))
    ]
    regions = list(Region.objects.filter(country="DK").order_by("code")[:3])
    organisations = [
        Organisation.objects.create(
            name=f"O{i}", slug=f"o{i}", kind=kind, country="DK", region=regions[i % len(regions)]
        )
        for i, kind in enumerate(KINDS)
    ]
    for item in items:
        joined = _day(item.joined) if item.joined is not None else None
        membership = Membership.objects.create(
            organisation=organisations[item.organisation],
            cluster=clusters[item.cluster],
            status=item.status,
            period_start=joined,
        )
        if item.renewed and joined is not None and item.status == "active":
            membership.period_start = joined + datetime.timedelta(days=365)
            membership.save()
        if item.status in ENDED and joined is not None:
            left = joined + datetime.timedelta(days=item.left_after)
            Membership.objects.filter(pk=membership.pk).update(
                status_changed_at=timezone.make_aware(
                    datetime.datetime.combine(left, datetime.time(12))
                )
            )
    return clusters, organisations


def _member_on(item: History, day: datetime.date) -> bool:
    """The written definition, read plainly: approved, joined on or before the day, and not
    lapsed or cancelled on or before it."""
    if item.status not in MEMBER or item.joined is None:
        return False
    joined = _day(item.joined)
    if item.status in ENDED:
        left = joined + datetime.timedelta(days=item.left_after)
        return joined <= day < left
    return joined <= day


def _expected(items, start, end) -> dict[str, set[int]]:
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    before = start - datetime.timedelta(days=1)
    orgs = {item.organisation for item in items}

    def member(org, day):
        return any(_member_on(i, day) for i in items if i.organisation == org)

    at_start = {o for o in orgs if member(o, before)}
    during = {o for o in orgs if any(member(o, d) for d in days)}
    at_end = {o for o in orgs if member(o, end)}
    return {
        "members_start": at_start,
        "members_new": during - at_start,
        "members_lapsed": (at_start | during) - at_end,
        "members_end": at_end,
    }


def _check_scope(items, scope, organisations):
    figures = {key: reports.figure(key, scope) for key in FLOWS}
    start, new, left, end = (figures[key] for key in FLOWS)
    # The total reconciles.
    assert start.number + new.number - left.number == end.number
    # So does every kind, and every region.
    for kind in set(KINDS):
        by_kind = {
            k: next((g.number for g in f.groups if g.value == kind), 0) for k, f in figures.items()
        }
        assert (
            by_kind["members_start"] + by_kind["members_new"] - by_kind["members_lapsed"]
            == by_kind["members_end"]
        ), kind
    regions = {key: reports.by_region(f) for key, f in figures.items()}
    for region in {r for counts in regions.values() for r in counts}:
        n = {key: regions[key].get(region, 0) for key in FLOWS}
        assert n["members_start"] + n["members_new"] - n["members_lapsed"] == n["members_end"]
    # And each figure lists exactly the organisations its definition names.
    expected = _expected(items, scope.start, scope.end)
    index = {o.pk: i for i, o in enumerate(organisations)}
    for key in FLOWS:
        listed = {index[pk] for pk in figures[key].rows.values_list("pk", flat=True)}
        assert listed == expected[key], key
        assert figures[key].number == len(listed)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=histories, period=periods)
def test_member_flows_reconcile_for_every_scope_kind_and_region(items, period):
    start = _day(period[0])
    end = start + datetime.timedelta(days=period[1])
    with transaction.atomic():
        clusters, organisations = _build(items)
        _check_scope(items, reports.Scope(start=start, end=end), organisations)
        for index, cluster in enumerate(clusters):
            mine = [item for item in items if item.cluster == index]
            _check_scope(mine, reports.Scope(start=start, end=end, cluster=cluster), organisations)
        transaction.set_rollback(True)


def test_a_member_from_the_first_day_is_new_not_at_the_start():
    """The case the old report counted twice: a membership that began on 1 January."""
    items = [History(0, 0, "active", 0, 0, False)]
    with transaction.atomic():
        _build(items)
        scope = reports.Scope(start=BASE, end=datetime.date(2025, 12, 31))
        numbers = {key: reports.figure(key, scope).number for key in FLOWS}
        assert numbers == {
            "members_start": 0,
            "members_new": 1,
            "members_lapsed": 0,
            "members_end": 1,
        }
        transaction.set_rollback(True)
