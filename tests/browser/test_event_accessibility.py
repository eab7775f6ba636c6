"""The matchmaking event pages pass axe-core's WCAG 2.1 A/AA rules, for a participant and for
the organising cluster's staff."""

import pytest
from django.urls import reverse

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import sign_in
from tests.clusters.factories import staff
from tests.events.factories import EventFactory, meeting, participant, slots_for, tables_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_event_pages(page, live_server):
    event = EventFactory(title="Healthtech Matchmaking Day", place="Odense")
    slots = slots_for(event, 3)
    tables = tables_for(event, 2)
    alfa = participant(event, name="Alfa Sensor ApS")
    beta = participant(event, name="Beta Kommune", kind="municipality")
    gamma = participant(event, name="Gamma Hospital", kind="hospital")
    placed = meeting(alfa, beta, slot=slots[0], table=tables[0])
    meeting(gamma, alfa, status="pending", message="Vi vil gerne høre om jeres sensorer.")
    participant(event, name="Delta ApS", status="pending")

    page.goto(reverse("events:list"))
    assert_accessible(page)
    page.goto(reverse("events:detail", args=[event.pk]))
    assert_accessible(page)

    sign_in(page, live_server, alfa.user)
    for name in ("marketplace", "agenda", "availability", "agenda_print"):
        page.goto(reverse(f"events:{name}", args=[event.pk]))
        assert_accessible(page)
    screenshot(page, "a11y-event-agenda-print")

    sign_in(page, live_server, staff(event.cluster, email="staff@events.example"))
    for name in ("manage", "schedule", "edit"):
        page.goto(reverse(f"events:{name}", args=[event.pk]))
        assert_accessible(page)
    screenshot(page, "a11y-event-edit")
    page.goto(reverse("events:meeting_move", args=[event.pk, placed.pk]))
    assert_accessible(page)
