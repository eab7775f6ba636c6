"""In a real browser, under the Content-Security-Policy: a company filters its matches (htmx
swaps, the filter lands in the URL), and a network admin watches a run finish without
reloading (htmx polling that stops when the run is done)."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from matchmaking.models import MatchRun
from tests.browser.conftest import screenshot
from tests.conftest import person_with_login
from tests.factories import KnowledgeOfferFactory, OrganisationFactory, TestSiteFactory
from tests.matchmaking.factories import MatchFactory, MatchRunFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASONS = {
    "tags": {"code": "shared", "tags": ["fall detection", "night-time sensors"]},
    "geography": {"code": "region", "name": "Region Syddanmark"},
    "readiness": {"code": "fits", "trl": 6, "min": 5, "max": 7},
}
COMPONENTS = {"tags": 0.8, "geography": 0.6, "readiness": 1.0}


def signed_in(page, live_server, user):
    """The browser carries a session of `user` (made by the test client), in English."""
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "domain": host, "path": "/"},
        ]
    )


def csp_violations(page) -> list:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append((message.text, message.location, message.page.url))
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_company_filters_its_matches(page, live_server):
    company = OrganisationFactory(name="Faldvagt ApS")
    user = person_with_login(company, "member", "m@faldvagt.example")
    need = NeedFactory(title="Sensors that detect falls at night")
    site = TestSiteFactory(name="Plejecenter Ærtebjerghave")
    offer = KnowledgeOfferFactory(title="Usability testing with older citizens")
    for target, field, score in ((need, "need", 0.86), (site, "test_site", 0.64)):
        MatchFactory(
            source=company,
            **{"need": None, field: target},
            target_type=field,
            target_id=target.pk,
            score=score,
            reasons=REASONS,
            components=COMPONENTS,
        )
    MatchFactory(
        source=company,
        need=None,
        knowledge_offer=offer,
        target_type="knowledge_offer",
        target_id=offer.pk,
        score=0.41,
        reasons=REASONS,
        components=COMPONENTS,
    )
    violations = csp_violations(page)
    signed_in(page, live_server, user)

    page.goto("/")
    page.get_by_role("link", name="Matches", exact=True).click()
    page.get_by_text("3 matches").wait_for()
    assert page.get_by_text("Shared tags: fall detection, night-time sensors").first.is_visible()
    assert page.locator("meter").first.get_attribute("aria-label") == "Score: 86 per cent"

    page.get_by_label("Type").select_option("test_site")
    page.get_by_text("1 match", exact=True).wait_for()
    assert "target_type=test_site" in page.url  # htmx pushed the filter into the URL
    assert page.get_by_role("link", name="Plejecenter Ærtebjerghave").is_visible()
    assert violations == [], violations
    screenshot(page, "matches-2-filtered")  # after: the screenshot injects a style of its own


def test_admin_watches_a_run_finish(page, live_server, network_admin):
    run = MatchRunFactory(status="running", phase="scoring", progress=30)
    MatchRun.objects.filter(pk=run.pk).update(started_at=timezone.now())
    violations = csp_violations(page)
    signed_in(page, live_server, network_admin)
    polls = []
    page.on(
        "request", lambda request: polls.append(request.url) if "/runs/" in request.url else None
    )

    page.goto(run.get_absolute_url())
    page.get_by_text("Scoring pairs").wait_for()
    MatchRun.objects.filter(pk=run.pk).update(phase="writing", progress=80)
    page.get_by_text("Saving matches").wait_for()
    assert page.locator("progress").get_attribute("value") == "80"
    MatchRun.objects.filter(pk=run.pk).update(
        status="succeeded",
        phase="done",
        progress=100,
        matches_written=1234,
        finished_at=timezone.now(),
    )
    page.get_by_text("1234").wait_for()
    assert page.locator("#run-progress strong").inner_text() == "Finished"
    seen = len(polls)
    time.sleep(4.5)  # two polling intervals: no more requests once the run is done
    assert len(polls) == seen
    assert violations == [], violations
    screenshot(page, "match-run-finished")
