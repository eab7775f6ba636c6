"""The staff dashboard: SVG charts with a table alternative, scoped like the report."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import charts
from tests.factories import ClusterStaffFactory
from tests.projects import report_data


def test_bar_chart_geometry_stacks_and_scales():
    chart = charts.bar_chart("t", ["a", "b"], [("x", [1, 3]), ("y", [1, Decimal(1)])])
    assert charts.nice_max(4) == 5
    assert charts.nice_max(0) == 1
    assert charts.nice_max(1_195_000) == 2_000_000
    b_bars = [bar for bar in chart.bars if bar.category == "b"]
    # Stacked: the second bar sits on the first, and 4 of 5 fill 80 % of the plot's height.
    assert b_bars[1].y + b_bars[1].height == pytest.approx(b_bars[0].y, abs=0.2)
    plot = chart.baseline - charts.TOP
    assert sum(bar.height for bar in b_bars) == pytest.approx(plot * 4 / 5, abs=0.3)
    assert chart.rows() == [("a", [1, 1]), ("b", [3, Decimal(1)])]
    side = charts.bar_chart("t", ["a"], [("x", [2]), ("y", [1])], stacked=False)
    assert side.bars[0].x < side.bars[1].x
    assert side.bars[0].height == pytest.approx(2 * side.bars[1].height, abs=0.2)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 12, 31, 12, tzinfo=datetime.UTC), tick=False)
def test_dashboard_for_staff_and_admins(client, outsider, network_admin):
    world = report_data.build()
    url = reverse("projects:dashboard")
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    staff = ClusterStaffFactory(cluster=world.a, role="coordinator").user
    client.force_login(staff)
    assert client.get(url, {"cluster": world.b.slug}).status_code == 404
    assert client.post(url).status_code == 405
    page = client.get(url)
    assert page.context["cluster"] == world.a
    body = page.content.decode()
    # Members, funnel, activities, one money chart per currency (A is Danish: DKK only) and the
    # matchmaking events.
    assert body.count('data-testid="chart"') == 5
    assert body.count("<svg viewBox") == 5
    assert " style=" not in body
    members, funnel, activities, money = page.context["charts"]
    # December 2025: org1 (SME) and org2 (municipality) are members of A.
    assert [values[-1] for _name, values in members.series] == [1, 1]
    # Suggested, requested, accepted, met, project started: dated events in the last 12 months,
    # drawn as a percentage of the step before, with the counts beside them in the table.
    assert funnel.table_extra[0][1] == [1, 1, 2, 1, 1]
    assert [values[0] for _c, values in funnel.rows()] == [100, 100, 200, 50, 100]
    assert [values for _c, values in funnel.table_rows()][2] == [2, 200]
    assert body.count('data-testid="chart-table"') == 5  # a table beside every chart
    # Events: participants, meetings requested, held, leading to an introduction, a project.
    assert page.context["event_chart"].series[0][1] == [3, 3, 1, 1, 0]
    assert "<details>" not in body
    assert dict(activities.rows())["04/25"] == [1, 17]
    budget = dict(money.rows())
    assert budget[str(_label("private"))] == [Decimal(365000), Decimal(23000)]
    assert "(DKK)" in money.title
    client.force_login(network_admin)
    page = client.get(url)
    assert page.context["cluster"] is None
    # The whole network: a money chart per currency, never DKK and NOK in one.
    titles = [chart.title for chart in page.context["charts"][3:]]
    assert len(titles) == 2
    assert "(DKK)" in titles[0]
    assert "(NOK)" in titles[1]


def _label(value):
    from projects.models import FundingSource

    return FundingSource(value).label


def test_percent_of_previous_step_and_a_palette_that_tells_every_category_apart():
    assert charts.percent_of_previous([9537, 32, 32, 4, 1]) == [
        Decimal(100),
        Decimal("0.3"),
        Decimal(100),
        Decimal("12.5"),
        Decimal(25),
    ]
    assert charts.percent_of_previous([0, 0]) == [None, None]
    from network.models.organisations import OrganisationKind

    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= len(OrganisationKind.choices)
    series = [(str(label), [1]) for _value, label in OrganisationKind.choices]
    chart = charts.bar_chart("t", ["a"], series)
    assert len({bar.fill for bar in chart.bars}) == len(series)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 12, 31, 12, tzinfo=datetime.UTC), tick=False)
def test_dashboard_period_picker(client, network_admin):
    report_data.build()
    client.force_login(network_admin)
    url = reverse("projects:dashboard")
    page = client.get(url, {"start": "2025-04-01", "end": "2025-06-30"})
    assert 'data-testid="period-picker"' in page.content.decode()
    scope = page.context["scope"]
    assert (scope.start, scope.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    members = page.context["charts"][0]
    assert members.categories == ["04/25", "05/25", "06/25"]
    # Backwards or nonsense: the last twelve months, with the form's message.
    page = client.get(url, {"start": "2025-06-30", "end": "2025-04-01"})
    assert page.context["scope"].end == datetime.date(2025, 12, 31)
    assert page.context["form"].errors
