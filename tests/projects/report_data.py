"""A hand-built network where every funding-report figure for 2025 is known.

Cluster A ("welfare-tech") and cluster B ("hin"). The expected numbers are in EXPECTED (cluster A)
and EXPECTED_NETWORK (both clusters); the comments say why each row counts or does not.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from clusters.models import Membership
from matchmaking.bookings.models import Booking, Evaluation
from matchmaking.events.models import MeetingFeedback, MeetingRequest, Registration
from matchmaking.models import Match
from matchmaking.models_introductions import Introduction
from tests.events.factories import EventFactory
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    TestSiteFactory,
)
from tests.matchmaking.factories import MatchFactory
from tests.projects.factories import (
    ActivityFactory,
    BudgetFactory,
    ContributionFactory,
    ParticipantFactory,
    PartnerFactory,
    ProjectFactory,
)

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


def at(year, month, day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@dataclass
class World:
    a: object
    b: object
    orgs: dict
    projects: dict
    introductions: dict
    matches: dict


def _membership(org, cluster, status, start, left=None, fee=None):
    membership = MembershipFactory(
        organisation=org,
        cluster=cluster,
        status=status,
        period_start=start,
        period_end=start + datetime.timedelta(days=364) if start else None,
        annual_fee=fee,
    )
    if left:
        Membership.objects.filter(pk=membership.pk).update(
            status_changed_at=at(left.year, left.month, left.day)
        )
    return membership


def _match(source, created):
    match = MatchFactory(source=source, status="requested")
    Match.objects.filter(pk=match.pk).update(created_at=created)
    return match


def _introduction(match, target, requested, status, responded=None, met=None):
    return Introduction.objects.create(
        met_at=met,
        match=match,
        source=match.source,
        target_organisation=target,
        message="Hej",
        status=status,
        requested_at=requested,
        responded_at=responded,
        expires_at=requested + datetime.timedelta(days=30),
    )


def build() -> World:
    a = ClusterFactory(name="Welfare Tech", slug="welfare-tech")
    b = ClusterFactory(name="Health Innovation Norway", slug="hin", country="NO")

    def org(name, kind="sme"):
        return OrganisationFactory(name=name, kind=kind, **({} if kind == "sme" else {"cvr": ""}))

    o = {
        "org1": org("Org1 ApS"),
        "org2": org("Org2 Kommune", "municipality"),
        "org3": org("Org3 ApS"),
        "org4": org("Org4 Hospital", "hospital"),
        "org5": org("Org5 ApS"),
        "org7": org("Org7 ApS"),
        "b2": org("B2 Universitet", "university"),
        "x": org("X ApS"),
        "t": org("T Kommune", "municipality"),
        "t2": org("T2 Kommune", "municipality"),
        "u": org("U Universitet", "university"),
        "y": org("Y ApS"),
        "z": org("Z AS"),
        "h": org("H Hospital", "hospital"),
        "w": org("W ApS"),
        "v": org("V AS"),
    }
    # Members of A.
    # Fees (DKK in A, NOK in B) earned in 2025: a year's fee for a whole year, 180 of 365 days
    # for org3 (1 January to 29 June), one day for org2.
    _membership(o["org1"], a, "active", D(2024, 6, 1), fee=7300)  # across both boundaries
    _membership(o["org2"], a, "active", D(2025, 12, 31), fee=365)  # starts on the last day: new
    _membership(o["org3"], a, "lapsed", D(2024, 1, 1), left=D(2025, 6, 30), fee=3650)  # left
    _membership(o["org4"], a, "cancelled", D(2023, 1, 1), left=D(2024, 12, 31))  # gone before
    _membership(o["org5"], a, "applied", None)  # never approved
    _membership(o["org7"], a, "active", D(2026, 1, 1))  # starts after the period
    # Members of B.
    _membership(o["org1"], b, "active", D(2024, 3, 1), fee=10000)  # once network-wide
    _membership(o["b2"], b, "active", D(2025, 3, 1), fee=3650)  # new in B: 306 days

    # Matches and introductions.
    m1 = _match(o["org1"], at(2025, 2, 1))
    m2 = _match(o["org3"], at(2024, 12, 31, 23, 30))  # half an hour before the period
    m3 = _match(o["x"], at(2025, 5, 5))  # x is nobody's member
    i1 = _introduction(m1, o["t"], at(2025, 3, 1), "met", at(2025, 3, 5), met=at(2025, 3, 20))
    i2 = _introduction(m3, o["t2"], at(2025, 12, 31, 23, 59), "requested")
    i3 = _introduction(m2, o["t"], at(2024, 12, 20), "accepted", at(2025, 1, 2))

    # Projects.
    p1 = ProjectFactory(
        lead_cluster=a, status="running", start=D(2025, 12, 31), origin_introduction=i1, title="P1"
    )
    p2 = ProjectFactory(
        lead_cluster=a, status="completed", start=D(2024, 1, 1), end=D(2025, 1, 1), title="P2"
    )
    p3 = ProjectFactory(lead_cluster=a, status="idea", start=None, title="P3")
    p4 = ProjectFactory(lead_cluster=a, status="running", start=D(2026, 1, 1), title="P4")
    p5 = ProjectFactory(lead_cluster=b, status="running", start=D(2025, 6, 1), title="P5")
    PartnerFactory(project=p1, organisation=o["org1"], role="lead")
    PartnerFactory(project=p1, organisation=o["t"])
    PartnerFactory(project=p2, organisation=o["org3"])
    PartnerFactory(project=p2, organisation=o["u"])
    PartnerFactory(project=p3, organisation=o["y"])
    PartnerFactory(project=p4, organisation=o["w"])
    PartnerFactory(project=p5, organisation=o["z"])

    # Activities.
    a1 = ActivityFactory(cluster=a, kind="workshop", date=D(2025, 4, 10))
    ParticipantFactory(activity=a1, organisation=o["org1"], people=2)
    ParticipantFactory(activity=a1, organisation=o["h"], people=3)
    ParticipantFactory(activity=a1, organisation=None, kind="other", people=12)
    a2 = ActivityFactory(cluster=a, kind="event", date=D(2024, 12, 31))
    ParticipantFactory(activity=a2, organisation=o["w"], people=5)
    a3 = ActivityFactory(cluster=b, kind="matchmaking_day", date=D(2025, 12, 31))
    ParticipantFactory(activity=a3, organisation=o["v"], people=4)

    # Contributions.
    def money(**kw):
        return ContributionFactory(**{"cash": Decimal(0), **kw})

    money(
        project=p1,
        organisation=o["org1"],
        date=D(2025, 12, 31),
        hours=10,
        hourly_rate=800,
        funding_source="private",
    )
    money(
        project=p2,
        organisation=o["u"],
        date=D(2025, 1, 1),
        hours=20,
        hourly_rate=500,
        cash=5000,
        funding_source="private",
    )
    money(
        project=None,
        activity=a1,
        organisation=o["h"],
        date=D(2025, 4, 10),
        hours=0,
        hourly_rate=0,
        cash=20000,
        funding_source="region",
    )
    money(
        project=p2,
        organisation=o["org3"],
        date=D(2024, 12, 31),
        hours=100,
        hourly_rate=1000,
        funding_source="private",
    )  # the day before
    money(
        project=p5,
        organisation=o["z"],
        date=D(2025, 7, 1),
        hours=5,
        hourly_rate=600,
        cash=1000,
        funding_source="ministry",
    )

    # Tests at test sites: org1 (A's member) tests at T's site into the period, and had a test
    # that ended the day before it; y (nobody's member) tests at T2's site in June (network
    # only); a declined request is no test. Evaluations count by the day they were finished.
    site_t, site_t2 = TestSiteFactory(owner=o["t"]), TestSiteFactory(owner=o["t2"])

    def booking(site, organisation, start, end, status="accepted"):
        return Booking.objects.create(
            site=site, organisation=organisation, status=status, start=start, end=end,
            what_is_tested="Sensor", trl=5,
        )  # fmt: skip

    b1 = booking(site_t, o["org1"], D(2024, 12, 1), D(2025, 1, 15))
    booking(site_t, o["org1"], D(2024, 6, 1), D(2024, 12, 31))
    b3 = booking(site_t2, o["y"], D(2025, 6, 1), D(2025, 6, 30))
    booking(site_t2, o["org1"], D(2025, 3, 1), D(2025, 3, 5), status="declined")
    Evaluation.objects.create(booking=b1, side="company", submitted_at=at(2025, 1, 20))
    Evaluation.objects.create(booking=b1, side="site", submitted_at=at(2026, 1, 1, 0, 30))
    Evaluation.objects.create(booking=b3, side="site", submitted_at=at(2025, 7, 1))
    Evaluation.objects.create(booking=b3, side="company")  # a draft

    # Matchmaking events: A's event in March 2025 with org1, org2 and u approved (org3 waits
    # for approval: not a participant); org1 met org2 (an introduction came of it), u and org2
    # accepted but did not meet, org1's request to u was declined. A's event in 2024 is out of
    # the period; B's event in 2025 (network only): z met v, which led to a project.
    def event(cluster, day):
        return EventFactory(
            cluster=cluster, start_date=day, end_date=day,
            registration_opens=at(day.year, 1, 1), registration_closes=at(day.year, 2, 1),
        )  # fmt: skip

    def registered(event, organisation, status="approved"):
        return Registration.objects.create(
            event=event, organisation=organisation, offer="x", looking_for="y", status=status
        )

    def meeting(requester, recipient, status="accepted", **feedback):
        request = MeetingRequest.objects.create(
            event=requester.event, requester=requester, recipient=recipient, status=status
        )
        if feedback:
            MeetingFeedback.objects.create(meeting=request, registration=requester, **feedback)
            MeetingFeedback.objects.create(meeting=request, registration=recipient, **feedback)
        return request

    day_a = event(a, D(2025, 3, 10))
    r1, r2, ru = (registered(day_a, o[k]) for k in ("org1", "org2", "u"))
    registered(day_a, o["org3"], status="pending")
    meeting(r1, r2, took_place=True, usefulness=4, outcome="introduction")
    meeting(ru, r2, took_place=False)
    meeting(r1, ru, status="declined")
    old = event(a, D(2024, 3, 10))
    meeting(registered(old, o["org1"]), registered(old, o["org2"]), took_place=True)
    day_b = event(b, D(2025, 9, 1))
    rz, rv = registered(day_b, o["z"]), registered(day_b, o["v"])
    meeting(rz, rv, took_place=True, usefulness=3, outcome="project")

    # Budgets.
    BudgetFactory(
        cluster=a,
        funding_source="private",
        period_start=D(2025, 1, 1),
        period_end=D(2026, 12, 31),
        amount=730000,
    )
    BudgetFactory(
        cluster=a,
        funding_source="ministry",
        period_start=D(2025, 1, 1),
        period_end=D(2026, 12, 31),
        amount=1460000,
    )
    BudgetFactory(
        cluster=a,
        funding_source="region",
        period_start=D(2023, 1, 1),
        period_end=D(2024, 12, 31),
        amount=500000,
    )
    BudgetFactory(
        cluster=b,
        funding_source="private",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        amount=100000,
    )
    return World(
        a=a,
        b=b,
        orgs=o,
        projects={"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5},
        introductions={"i1": i1, "i2": i2, "i3": i3},
        matches={"m1": m1, "m2": m2, "m3": m3},
    )


# figure id -> (number, {group: number}) for cluster A (Danish: DKK), 2025.
EXPECTED = {
    "members_start": (2, {"sme": 2}),
    "members_new": (1, {"municipality": 1}),
    "members_lapsed": (1, {"sme": 1}),
    "members_end": (2, {"sme": 1, "municipality": 1}),
    "fee_income.DKK": (Decimal("9101.00"), {}),
    "smes_engaged": (2, {}),
    "matches_suggested": (1, {}),
    "matches_requested": (1, {}),
    "matches_introduced": (2, {}),
    "matches_met": (1, {}),
    "matches_to_projects": (1, {}),
    "tests_held": (1, {}),
    "tests_evaluated": (1, {}),
    "event_participants": (3, {"sme": 1, "municipality": 1, "university": 1}),
    "event_meetings_requested": (3, {"accepted": 2, "declined": 1}),
    "event_meetings_held": (1, {}),
    "event_meetings_to_introductions": (1, {}),
    "event_meetings_to_projects": (0, {}),
    "projects_started": (1, {}),
    "projects_running": (2, {"ongoing": 1, "ended": 1}),
    "projects_ongoing": (1, {}),
    "partners": (4, {"sme": 2, "municipality": 1, "university": 1}),
    "activities": (1, {"workshop": 1}),
    "participants": (17, {"sme": 2, "hospital": 3, "other": 12}),
    "in_kind_hours": (Decimal(30), {"private": Decimal(30)}),
    "in_kind_value.DKK": (Decimal(18000), {"private": Decimal(18000)}),
    "cash.DKK": (Decimal(25000), {"private": Decimal(5000), "region": Decimal(20000)}),
    "budget.DKK": (Decimal(1095000), {"private": Decimal(365000), "ministry": Decimal(730000)}),
    "co_financing.DKK": (Decimal(23000), {}),
    "co_financing_share.DKK": (Decimal("6.30"), {}),
}

# The whole network: cluster B is Norwegian, so its money is in NOK beside A's DKK.
EXPECTED_NETWORK = {
    "members_start": (2, {"sme": 2}),
    "members_new": (2, {"municipality": 1, "university": 1}),
    "members_lapsed": (1, {"sme": 1}),
    "members_end": (3, {"sme": 1, "municipality": 1, "university": 1}),
    "fee_income.DKK": (Decimal("9101.00"), {}),
    "fee_income.NOK": (Decimal("13060.00"), {}),
    "smes_engaged": (5, {}),
    "matches_suggested": (2, {}),
    "matches_requested": (2, {}),
    "matches_introduced": (2, {}),
    "matches_met": (1, {}),
    "matches_to_projects": (1, {}),
    "tests_held": (2, {}),
    "tests_evaluated": (2, {}),
    "event_participants": (5, {"sme": 3, "municipality": 1, "university": 1}),
    "event_meetings_requested": (4, {"accepted": 3, "declined": 1}),
    "event_meetings_held": (2, {}),
    "event_meetings_to_introductions": (1, {}),
    "event_meetings_to_projects": (1, {}),
    "projects_started": (2, {}),
    "projects_running": (3, {"ongoing": 2, "ended": 1}),
    "projects_ongoing": (2, {}),
    "partners": (5, {"sme": 3, "municipality": 1, "university": 1}),
    "activities": (2, {"workshop": 1, "matchmaking_day": 1}),
    "participants": (21, {"sme": 6, "hospital": 3, "other": 12}),
    "in_kind_hours": (Decimal(35), {"private": Decimal(30), "ministry": Decimal(5)}),
    "in_kind_value.DKK": (Decimal(18000), {"private": Decimal(18000)}),
    "in_kind_value.NOK": (Decimal(3000), {"ministry": Decimal(3000)}),
    "cash.DKK": (Decimal(25000), {"private": Decimal(5000), "region": Decimal(20000)}),
    "cash.NOK": (Decimal(1000), {"ministry": Decimal(1000)}),
    "budget.DKK": (Decimal(1095000), {"private": Decimal(365000), "ministry": Decimal(730000)}),
    "budget.NOK": (Decimal(100000), {"private": Decimal(100000)}),
    "co_financing.DKK": (Decimal(23000), {}),
    "co_financing.NOK": (Decimal(0), {}),
    "co_financing_share.DKK": (Decimal("6.30"), {}),
    "co_financing_share.NOK": (Decimal("0.00"), {}),
}
