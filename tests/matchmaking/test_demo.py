"""The demo's needs and matches: the demo SME login sees matches with reasons."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchmaking import demo
from matchmaking.models import Match, MatchRun, Need
from network.demo.users import DEMO_LOGINS
from network.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_demo_needs_matches_and_a_re_run():
    """One test, because seeding the demo takes a while."""
    out = StringIO()
    with override_settings(DEBUG=True):  # a local demo, as `make run` seeds it
        call_command("seed_demo", size="small", stdout=out)
    seeded = out.getvalue()
    _needs_are_believable_and_varied(seeded)
    _the_demo_sme_login_sees_ranked_explained_matches()
    _seeding_again_adds_no_needs_and_no_run()


def _needs_are_believable_and_varied(seeded):
    needs = Need.objects.select_related("owner")
    assert needs.count() == demo.COUNTS["small"]
    assert {need.owner.kind for need in needs} <= {"municipality", "hospital", "region"}
    assert {need.status for need in needs} == {"draft", "open", "closed"}
    assert {need.visibility for need in needs} == {"public", "network", "private"}
    assert {need.language for need in needs} == {"da", "nb", "en"}
    for need in needs:
        assert need.trl_min <= need.trl_max
        if need.owner.country == "NO" and need.language != "en":
            assert need.language == "nb"
        if need.status != "draft":
            assert need.published_at
    assert Need.objects.filter(focus_areas__isnull=False).distinct().count() == needs.count()
    assert "Needs: 90 new" in seeded


def _the_demo_sme_login_sees_ranked_explained_matches():
    sme_login = next(login for login in DEMO_LOGINS if login.email.startswith("sme.admin"))
    user = User.objects.get(email=sme_login.email)
    company = Organisation.objects.get(affiliations__person__user=user, kind="sme")

    matches = list(Match.objects.visible_to(user).filter(source=company, in_source_top=True))

    assert len(matches) >= 10
    assert {match.target_type for match in matches} == {"need", "test_site", "knowledge_offer"}
    best = max(matches, key=lambda match: match.score)
    assert best.score > 0.6
    assert best.reasons["focus"]["code"] == "shared"
    assert MatchRun.objects.get().trigger == "demo"


def _seeding_again_adds_no_needs_and_no_run():
    needs, runs, matches = Need.objects.count(), MatchRun.objects.count(), Match.objects.count()
    # Staff added municipalities since: the demo picks owners by position, which now shift.
    place = Organisation.objects.filter(kind="municipality").exclude(region=None).first()
    for number in range(3):
        Organisation.objects.create(
            name=f"Aaby Kommune {number}",
            slug=f"aaby-kommune-{number}",
            kind="municipality",
            country="DK",
            region=place.region,
        )
    demo.seed(size="small", stdout=StringIO())
    assert (Need.objects.count(), MatchRun.objects.count()) == (needs, runs)
    assert Match.objects.count() == matches
