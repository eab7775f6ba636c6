"""A municipality acts on the companies that fit its need: marks one not relevant with a
reason, brings it back, shortlists another and invites it; while a run for the need is under
way the list says so and, with htmx, updates itself when the run is done. In a real browser."""

import pytest

from matchmaking.models import MatchRun
from tests.browser.conftest import screenshot
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import MatchFactory, MatchRunFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in(page, email) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def test_municipality_vetoes_brings_back_shortlists_and_invites(page, live_server):
    odense = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    mette = person_with_login(odense, "member", "mette@odense.example")
    mette.language = "en"
    mette.save()
    need = NeedFactory(owner=odense, title="Sensorer der opdager fald om natten")
    falls = OrganisationFactory(name="Faldvagt ApS")
    wounds = OrganisationFactory(name="Sårpleje ApS")
    MatchFactory(source=falls, need=need, score=0.8)
    MatchFactory(source=wounds, need=need, score=0.7)
    MatchRunFactory()  # a finished run: the list is not "never computed"

    sign_in(page, mette.email)
    page.goto(f"/matches/needs/{need.pk}/companies/")
    cards = page.get_by_test_id("match")
    assert cards.count() == 2

    # Not relevant, with a reason from the list and words.
    wound_card = cards.filter(has_text="Sårpleje ApS")
    wound_card.locator("summary").click()
    wound_card.get_by_label("Not our field").check()
    wound_card.get_by_label("In your own words").fill("We need fall sensors, not wound care.")
    screenshot(page, "match-actions-1-veto")
    wound_card.get_by_role("button", name="Mark as not relevant").click()
    page.get_by_text("Marked as not relevant and hidden from your list.").wait_for()
    assert page.get_by_test_id("match").count() == 1
    assert "Sårpleje ApS" not in page.get_by_test_id("match").inner_text()

    # Brought back from the list of what was marked.
    page.get_by_test_id("vetoed-link").click()
    page.get_by_text("We need fall sensors, not wound care.").wait_for()
    page.get_by_role("button", name="Bring back").click()
    page.get_by_text("The match is back in your list.").wait_for()
    page.goto(f"/matches/needs/{need.pk}/companies/")
    assert page.get_by_test_id("match").count() == 2

    # Shortlisted, then invited.
    falls_card = page.get_by_test_id("match").filter(has_text="Faldvagt ApS")
    falls_card.get_by_role("button", name="Add to shortlist").click()
    page.get_by_text("Added to your shortlist.").wait_for()
    falls_card = page.get_by_test_id("match").filter(has_text="Faldvagt ApS")
    assert falls_card.get_by_test_id("shortlisted").is_visible()
    falls_card.get_by_role("link", name="Invite to an introduction").click()
    page.get_by_label("Your message").fill("Would you test your sensors in our homes?")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Your invitation was sent to Faldvagt ApS.").wait_for()
    assert "Faldvagt ApS" in page.get_by_test_id("introduction-match").inner_text()
    screenshot(page, "match-actions-2-invited")


def test_the_list_says_a_run_is_under_way_and_updates_itself(page, live_server):
    odense = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    mette = person_with_login(odense, "member", "mette@odense.example")
    mette.language = "en"
    mette.save()
    need = NeedFactory(owner=odense, title="Sensorer der opdager fald om natten")
    MatchRunFactory()
    run = MatchRunFactory(
        kind="incremental", status="running", phase="scoring", progress=40,
        changes=[["need", need.pk]],
    )  # fmt: skip

    sign_in(page, mette.email)
    page.goto(f"/matches/needs/{need.pk}/companies/")
    page.get_by_test_id("matching-progress").wait_for()
    assert "40 % done" in page.get_by_test_id("matching-progress").inner_text()
    screenshot(page, "match-actions-3-running")
    # The run finishes with a match; the page polls and shows it without a reload.
    MatchFactory(source=OrganisationFactory(name="Faldvagt ApS"), need=need, score=0.8)
    MatchRun.objects.filter(pk=run.pk).update(status="succeeded", phase="done", progress=100)
    page.get_by_test_id("match").first.wait_for(timeout=15_000)
    assert page.get_by_test_id("matching-progress").count() == 0
    assert "1 company fits" in page.get_by_test_id("result-count").inner_text()
