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
    assert list(running.rows_for("ended").values_list("title", flat=True)) == ["P2"]
    ongoing = reports.figure("projects_ongoing", scope)
    assert list(ongoing.rows.values_list("title", flat=True)) == ["P1"]
    started = reports.figure("projects_started", scope)
    assert list(started.rows.values_list("title", flat=True)) == ["P1"]
    introduced = reports.figure("matches_introduced", scope)
    assert set(introduced.rows) == {world.introductions["i1"], world.introductions["i3"]}
    partners = reports.figure("partners", scope)
    assert partners.rows_for("sme").count() == 2
    participants = reports.figure("participants", scope)
    assert sum(p.people for p in participants.rows) == participants.number
    assert sum(p.people for p in participants.rows_for("other")) == 12
    value = reports.figure("in_kind_value", scope, "DKK")
    assert sum(c.in_kind for c in value.rows) == value.number
    cash = reports.figure("cash", scope, "DKK")
    assert sum(c.cash for c in cash.rows_for("region")) == Decimal(20000)


def test_period_boundaries(world):
    # A period of exactly one day: the last day of 2025.
    last_day = datetime.date(2025, 12, 31)
    report = reports.build_report(start=last_day, end=last_day, cluster=world.a)
    assert report.figures["projects_started"].number == 1  # P1 starts on the last day
    assert report.figures["members_new"].number == 1  # org2 joins on it
    assert report.figures["in_kind_hours"].number == Decimal(10)
    assert report.figures["members_start"].number == 1  # org1 (org3 left in June)
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
    assert reports.share(Decimal(1), Decimal(3)) == Decimal("33.33")
    # From the exact values, rounded once: 132.05 %, not 132.1 shown as 132.10.
    assert reports.share(Decimal("13205"), Decimal("10000")) == Decimal("132.05")
    assert str(reports.share(Decimal("13205"), Decimal("10000"))) == "132.05"
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


def test_money_keeps_its_currency_and_the_network_adds_up_per_currency(world):
    """A Danish cluster in DKK and a Norwegian one in NOK: the network report has a DKK and a
    NOK figure for every amount, never one sum, and each equals its clusters' sum."""
    assert world.b.country == "NO"
    network = reports.build_report(start=report_data.START, end=report_data.END)
    a = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    b = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.b)
    assert network.currencies == ["DKK", "NOK"]
    assert a.currencies == ["DKK"]
    assert b.currencies == ["NOK"]
    money = [f for f in network.figures.values() if f.unit == "money"]
    assert money
    for figure in money:
        assert figure.currency in {"DKK", "NOK"}
        # Every row behind a figure is in the figure's currency.
        currencies = {getattr(row, "currency", None) or row.fee_currency for row in figure.rows}
        assert currencies <= {figure.currency}, figure.id
        clusters_sum = sum(
            (r.figures[figure.id].number for r in (a, b) if figure.id in r.figures), Decimal(0)
        )
        assert figure.number == clusters_sum, figure.id
        for group in figure.groups:
            parts = [
                g.number
                for r in (a, b)
                if figure.id in r.figures
                for g in r.figures[figure.id].groups
                if g.value == group.value
            ]
            assert group.number == sum(parts, Decimal(0)), (figure.id, group.value)
    assert network.figures["cash.NOK"].number == Decimal(1000)
    assert network.figures["cash.DKK"].number == Decimal(25000)
    assert "cash" not in network.figures  # no figure without its currency


def test_money_value_refuses_to_add_two_currencies():
    from network.money import Amounts, CurrencyMismatchError, Money

    assert Money(Decimal(1), "DKK") + Money(Decimal(2), "DKK") == Money(Decimal(3), "DKK")
    assert sum([Money(Decimal(1), "NOK"), Money(Decimal(2), "NOK")]) == Money(Decimal(3), "NOK")
    with pytest.raises(CurrencyMismatchError):
        Money(Decimal(1), "DKK") + Money(Decimal(1), "NOK")
    with pytest.raises(ValueError, match="Unknown currency"):
        Money(Decimal(1), "SEK")
    totals = Amounts()
    totals.add("NOK", 5)
    totals.add("DKK", 2)
    totals.add("DKK", 3)
    assert totals.money() == [Money(Decimal(5), "DKK"), Money(Decimal(5), "NOK")]


def test_new_rows_take_the_currency_of_their_clusters_country(world):
    from tests.projects.factories import BudgetFactory, ContributionFactory, ProjectFactory

    norwegian = ProjectFactory(lead_cluster=world.b)
    assert ContributionFactory(project=norwegian).currency == "NOK"
    assert ContributionFactory(project=world.projects["p1"]).currency == "DKK"
    assert ContributionFactory(project=norwegian, currency="EUR").currency == "EUR"
    assert BudgetFactory(cluster=world.b, funding_source="eu").currency == "NOK"
    membership = world.b.memberships.get(organisation=world.orgs["b2"])
    assert membership.currency == "NOK"


def test_a_contribution_in_another_currency_gets_its_own_figure(world):
    from tests.projects.factories import ContributionFactory

    ContributionFactory(
        project=world.projects["p1"],
        organisation=world.orgs["org1"],
        date=datetime.date(2025, 6, 1),
        hours=0,
        cash=Decimal(100),
        currency="EUR",
        funding_source="private",
    )
    report = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    assert report.currencies == ["DKK", "EUR"]
    assert report.figures["cash.EUR"].number == Decimal(100)
    assert report.figures["cash.DKK"].number == Decimal(25000)  # unchanged
    assert report.figures["co_financing.EUR"].number == Decimal(100)
    assert report.figures["co_financing.DKK"].number == Decimal(23000)
    assert report.figures["co_financing_share.EUR"].number is None  # no EUR budget
    assert report.figures["co_financing_share.DKK"].number == Decimal("6.30")
