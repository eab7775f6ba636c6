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
    # Members, funnel, activities and one money chart per currency (A is Danish: DKK only).
    assert body.count('data-testid="chart"') == 4
    assert body.count("<svg viewBox") == 4
    assert " style=" not in body
    members, funnel, activities, money = page.context["charts"]
    # December 2025: org1 (SME) and org2 (municipality) are members of A.
    assert [values[-1] for _name, values in members.series] == [1, 1]
    # Suggested, requested, accepted, met, project started: dated events in the last 12 months.
    assert [values[0] for _c, values in funnel.rows()] == [1, 1, 2, 1, 1]
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
