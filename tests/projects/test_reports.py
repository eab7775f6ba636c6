"""Every figure of the funding report on a hand-built network with known answers."""

import datetime
from decimal import Decimal

import pytest

from projects import reports
from tests.projects import report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return report_data.build()


def _groups(figure):
    return {group.value: group.number for group in figure.groups}


def test_every_figure_for_one_cluster(world):
    report = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    assert set(report.figures) == set(report_data.EXPECTED)
    for key, (number, groups) in report_data.EXPECTED.items():
        figure = report.figures[key]
        assert (key, figure.number) == (key, number)
        if groups:
            assert (key, _groups(figure)) == (key, groups)


def test_every_figure_for_the_whole_network(world):
    report = reports.build_report(start=report_data.START, end=report_data.END)
    for key, (number, groups) in report_data.EXPECTED_NETWORK.items():
        figure = report.figures[key]
        assert (key, figure.number) == (key, number)
        if groups:
            assert (key, _groups(figure)) == (key, groups)


def test_drill_down_lists_exactly_the_rows_counted(world):
    o = world.orgs
    scope = reports.Scope(start=report_data.START, end=report_data.END, cluster=world.a)
    names = {
        "members_start": {o["org1"].name, o["org3"].name},
        "members_end": {o["org1"].name, o["org2"].name},
        "members_new": {o["org2"].name},
        "members_lapsed": {o["org3"].name},
        "smes_engaged": {o["org1"].name, o["org3"].name},
    }
    for key, expected in names.items():
        figure = reports.figure(key, scope)
        assert set(figure.rows.values_list("name", flat=True)) == expected, key
        assert figure.rows.count() == figure.number
    running = reports.figure("projects_running", scope)
    assert set(running.rows.values_list("title", flat=True)) == {"P1", "P2"}
    assert list(running.rows_for("completed").values_list("title", flat=True)) == ["P2"]
    started = reports.figure("projects_started", scope)
    assert list(started.rows.values_list("title", flat=True)) == ["P1"]
    introduced = reports.figure("matches_introduced", scope)
    assert set(introduced.rows) == {world.introductions["i1"], world.introductions["i3"]}
    partners = reports.figure("partners", scope)
    assert partners.rows_for("sme").count() == 2
    participants = reports.figure("participants", scope)
    assert sum(p.people for p in participants.rows) == participants.number
    assert sum(p.people for p in participants.rows_for("other")) == 12
    value = reports.figure("in_kind_value", scope)
    assert sum(c.in_kind for c in value.rows) == value.number
    cash = reports.figure("cash", scope)
    assert sum(c.cash for c in cash.rows_for("region")) == Decimal(20000)


def test_period_boundaries(world):
    # A period of exactly one day: the last day of 2025.
    last_day = datetime.date(2025, 12, 31)
    report = reports.build_report(start=last_day, end=last_day, cluster=world.a)
    assert report.figures["projects_started"].number == 1  # P1 starts on the last day
    assert report.figures["members_new"].number == 1  # org2 joins on it
    assert report.figures["in_kind_hours"].number == Decimal(10)
    # The next day: org7 and P4 begin; the period of 2025 never saw them.
    report = reports.build_report(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31), cluster=world.a
    )
    assert report.figures["projects_started"].number == 1
    assert report.figures["members_new"].number == 1
    # A membership active across the boundary counts at both ends.
    report = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    assert world.orgs["org1"] in report.figures["members_start"].rows
    assert world.orgs["org1"] in report.figures["members_end"].rows


def test_prorate_and_share_arithmetic():
    d = datetime.date
    amount = Decimal(730000)
    assert reports.prorate(
        amount,
        start=d(2025, 1, 1),
        end=d(2026, 12, 31),
        within_start=d(2025, 1, 1),
        within_end=d(2025, 12, 31),
    ) == Decimal(365000)
    assert (
        reports.prorate(
            amount,
            start=d(2025, 1, 1),
            end=d(2026, 12, 31),
            within_start=d(2027, 1, 1),
            within_end=d(2027, 2, 1),
        )
        == 0
    )
    assert reports.share(Decimal(1), Decimal(3)) == Decimal("33.3")
    assert reports.share(Decimal(1), Decimal(0)) is None


def test_report_query_count_does_not_grow_with_the_data(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        reports.build_report(start=report_data.START, end=report_data.END)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        reports.build_report(start=report_data.START, end=report_data.END, cluster=world.b)


def test_a_renewed_membership_counts_from_its_first_period(world):
    from tests.factories import MembershipFactory, OrganisationFactory

    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Fornyet ApS"),
        cluster=world.a,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
    )
    membership.period_start, membership.period_end = datetime.date(2025, 6, 1), None
    membership.save()  # renewed: the period start moved on, the history keeps the first
    report = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    assert membership.organisation in report.figures["members_start"].rows
    assert membership.organisation not in report.figures["members_new"].rows
