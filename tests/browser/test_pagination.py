"""The shared page links (includes/pagination.html) in a real browser: a list that names its
results element (the event list) swaps page 2 in place and puts it in the address; a list that
does not (the inbox) goes to page 2 as an ordinary page. No console errors on either."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Notification
from tests.browser.test_membership_journey import PASSWORD, sign_in
from tests.events.factories import EventFactory
from tests.factories import ClusterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set on the page's window: still there after a click only if the page was not loaded anew.
MARK = "window.__samePage = true"
SAME_PAGE = "() => window.__samePage === true"


def test_event_list_swaps_page_two_in_place(page):
    cluster = ClusterFactory(name="Welfare Tech")
    first = timezone.localdate() + timedelta(days=30)
    # 25 events, newest first on the list: "Event 01" to "Event 20" on page 1, 21 to 25 on 2.
    for n in range(1, 26):
        EventFactory(cluster=cluster, title=f"Event {n:02d}", start_date=first - timedelta(days=n))

    page.goto("/events/")
    events = page.get_by_test_id("event")
    assert events.count() == 20
    assert events.first.inner_text().startswith("Event 01")
    page.evaluate(MARK)

    page.locator("#results a.button-next").click()
    page.wait_for_url("**/events/?page=2")
    page.get_by_role("link", name="Event 21").wait_for()
    assert events.count() == 5
    assert [events.nth(i).locator("h2").inner_text() for i in range(5)] == [
        f"Event {n}" for n in range(21, 26)
    ]
    assert page.get_by_role("link", name="Event 01").count() == 0
    assert page.evaluate(SAME_PAGE), "page 2 was loaded as a new page, not swapped in"
    assert page.locator("#results").count() == 1  # replaced, not nested or doubled
    assert page.locator("h1").count() == 1
    assert page.locator("#results a.button-next").count() == 0
    assert page.locator("#results a.button-previous").count() == 1

    # Back to page 1 in place, with its own links.
    page.locator("#results a.button-previous").click()
    page.wait_for_url("**/events/?page=1")
    page.get_by_role("link", name="Event 01").wait_for()
    assert events.count() == 20
    assert page.evaluate(SAME_PAGE)

    # The browser's Back button, to a page htmx no longer keeps (it keeps the last 10): asked
    # from the server again, it comes back whole, not as the list alone.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    page.wait_for_url("**/events/?page=2")
    page.get_by_role("link", name="Event 21").wait_for()
    assert events.count() == 5
    assert page.locator("h1").count() == 1
    assert page.locator("header").count() >= 1
    assert page.locator("#results").count() == 1


def test_inbox_goes_to_page_two_as_a_new_page(page):
    user = UserFactory(email="reader@example.dk")
    user.set_password(PASSWORD)
    user.save()
    # 30 notifications, newest first: "Besked 30" to "Besked 06" on page 1, 05 to 01 on 2.
    now = timezone.now()
    for n in range(1, 31):
        note = Notification.objects.create(user=user, kind="test", title=f"Besked {n:02d}")
        Notification.objects.filter(pk=note.pk).update(created_at=now - timedelta(minutes=60 - n))

    sign_in(page, user)
    page.goto("/notifications/")
    titles = page.get_by_test_id("notifications").locator("h2")
    assert titles.count() == 25
    assert titles.first.inner_text().endswith("Besked 30")
    page.evaluate(MARK)
    assert page.locator("nav.pagination[hx-target]").count() == 0
    assert page.locator("nav.pagination a[hx-get]").count() == 0

    page.locator("nav.pagination a.button-next").click()
    page.wait_for_url("**/notifications/?page=2")
    page.wait_for_load_state()
    page.get_by_text("Besked 05").wait_for()
    assert not page.evaluate(SAME_PAGE), "the inbox's page 2 should be an ordinary page"
    assert titles.count() == 5
    assert page.get_by_text("Besked 30").count() == 0
    assert page.locator("nav.pagination a.button-previous").count() == 1
