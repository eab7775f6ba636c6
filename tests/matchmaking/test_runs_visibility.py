"""Private and draft needs never reach companies that may not see them."""

import pytest

from matchmaking import services
from matchmaking.models import Match
from tests.conftest import person_with_login
from tests.matchmaking.factories import NeedFactory


@pytest.fixture
def needs(small_network):
    falls = small_network["falls_sme"]
    owner = small_network["falls_need"].owner
    common = {
        "owner": owner,
        "description": small_network["falls_need"].description,
        "municipality": small_network["falls_need"].municipality,
        "trl_min": 5,
        "trl_max": 8,
        "focus_areas": list(falls.focus_areas.all()),
        "tags": list(falls.tags.all()),
    }
    return {
        "private": NeedFactory(title="Privat behov om fald", visibility="private", **common),
        "network": NeedFactory(title="Behov for medlemmer", visibility="network", **common),
        "draft": NeedFactory(title="Kladde om fald", status="draft", **common),
        "owner": owner,
        "sme": falls,
    }


def test_private_needs_stay_out_of_company_lists(needs):
    services.match_run_full_now()

    private = Match.objects.filter(need=needs["private"])
    assert not private.filter(in_source_top=True).exists()
    # The owner may still see which companies fit its private need.
    assert private.filter(source=needs["sme"], in_target_top=True).exists()
    assert Match.objects.filter(need=needs["network"], source=needs["sme"], in_source_top=True)


def test_drafts_are_never_matched(needs):
    services.match_run_full_now()
    assert not Match.objects.filter(need=needs["draft"]).exists()


def test_a_company_user_never_sees_another_organisation_s_private_need(needs):
    services.match_run_full_now()
    Match.objects.filter(need=needs["private"]).update(in_source_top=True)  # even if listed
    sme_user = person_with_login(needs["sme"], "admin", "sme@faldvagt.example")
    owner_user = person_with_login(needs["owner"], "admin", "need@odense.example")

    seen_by_sme = Match.objects.visible_to(sme_user)
    seen_by_owner = Match.objects.visible_to(owner_user)

    assert not seen_by_sme.filter(need=needs["private"]).exists()
    assert seen_by_sme.filter(need=needs["network"]).exists()
    assert seen_by_owner.filter(need=needs["private"], source=needs["sme"]).exists()


def test_anonymous_visitors_see_only_public_needs_matches(needs):
    from django.contrib.auth.models import AnonymousUser

    services.match_run_full_now()
    seen = Match.objects.visible_to(AnonymousUser())
    assert not seen.filter(need__in=[needs["private"], needs["network"]]).exists()


def test_a_private_need_that_turns_public_enters_company_lists_on_commit(
    needs, django_capture_on_commit_callbacks
):
    services.match_run_full_now()
    need = needs["private"]
    need.visibility = "public"
    with django_capture_on_commit_callbacks(execute=True):
        services.need_save(need=need, focus_areas=need.focus_areas.all(), tags=need.tags.all())
    assert Match.objects.filter(need=need, source=needs["sme"], in_source_top=True).exists()
