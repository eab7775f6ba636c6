"""A company's matches and the companies that fit a target: who sees what, reasons in words,
filters, and a query count that does not grow with the list."""

import pytest
from django.urls import reverse

from matchmaking.models import Match
from matchmaking.services import match_run_full_now
from network.models import Municipality, Region
from tests.conftest import person_with_login
from tests.factories import (
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
    focus_area,
    municipality,
)
from tests.matchmaking.factories import MatchFactory, MatchRunFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def matched(small_network):
    """The small network after a full run, with a login for the falls company and one for the
    municipality that posted the falls need."""
    run = match_run_full_now()
    assert run.status == "succeeded", run.error
    falls_need = small_network["falls_need"]
    return {
        **small_network,
        "sme_user": person_with_login(small_network["falls_sme"], "member", "m@faldvagt.example"),
        "kommune_user": person_with_login(falls_need.owner, "member", "m@odense.example"),
    }


def reasons_of(match):
    return {
        "focus": {"code": "shared", "areas": [focus_area("prevention-predictive-health").pk]},
        "tags": {"code": "shared", "tags": ["fall detection", "night-time sensors"]},
        "text": {"code": "terms", "terms": ["fald", "sensor"]},
        "geography": {"code": "region", "name": "Region Syddanmark"},
        "readiness": {"code": "fits", "trl": 6, "min": 5, "max": 7},
        "availability": {"code": "no_deadline"},
        "feedback": {"code": "none"},
    }


COMPONENTS = {
    "focus": 1.0,
    "tags": 0.5,
    "text": 0.4,
    "geography": 0.6,
    "readiness": 1.0,
    "availability": 1.0,
    "feedback": 0.5,
}


def a_match(source, target, score, **kwargs):
    field = {"Need": "need", "TestSite": "test_site", "KnowledgeOffer": "knowledge_offer"}[
        target.__class__.__name__
    ]
    kwargs.setdefault("reasons", reasons_of(None))
    kwargs.setdefault("components", COMPONENTS)
    kwargs.setdefault("target_region", getattr(target, "region", None))
    links = {"need": None, field: target}
    return MatchFactory(
        source=source,
        **links,
        target_type=field,
        target_id=target.pk,
        score=score,
        **kwargs,
    )


# -- my matches ---------------------------------------------------------------------------------
def test_my_matches_anonymous_redirected(client):
    url = reverse("matchmaking:my_matches")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_my_matches_without_a_company_explains(client, matched):
    client.force_login(matched["kommune_user"])
    response = client.get(reverse("matchmaking:my_matches"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="matches-for-companies"' in body
    assert "Companies that fit" in body
    assert matched["falls_need"].title not in body


def test_my_matches_forbidden_for_another_company(client, matched, owner):
    # `owner` is an admin of another SME; they may not open the falls company's matches.
    client.force_login(owner)
    url = reverse("matchmaking:my_matches")
    assert client.get(url, {"organisation": matched["falls_sme"].slug}).status_code == 403


def test_my_matches_wrong_method(client, matched):
    client.force_login(matched["sme_user"])
    assert client.post(reverse("matchmaking:my_matches")).status_code == 405


def test_my_matches_ranked_with_reasons_in_words(client, matched):
    client.force_login(matched["sme_user"])
    response = client.get(reverse("matchmaking:my_matches"))
    assert response.status_code == 200
    matches = list(response.context["page"])
    assert matches, "the falls company should have matches"
    assert matches[0].need == matched["falls_need"]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    body = response.content.decode()
    assert matched["falls_need"].title in body
    assert f"{matches[0].percent} %" in body
    assert "<meter" in body
    assert f"Score: {matches[0].percent} per cent" in body
    assert "Both work on prevention and predictive health" in body
    assert "Same municipality: Odense" in body
    assert "Accepts readiness level 5–8; the company is at 6" in body
    assert "Deadline in 12 days" in body


def test_my_matches_reasons_in_danish(client, matched, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(matched["sme_user"])
    body = client.get(reverse("matchmaking:my_matches")).content.decode()
    # The reason is rendered when the page is, in the reader's language: the focus area's
    # Danish name appears, not an id or an English name.
    name = focus_area("prevention-predictive-health").name_da
    assert name[0].lower() + name[1:] in body


def test_my_matches_filters(client, organisation, owner):
    need = NeedFactory(municipality=municipality("Odense"))
    site = TestSiteFactory(municipality=municipality("Aarhus"))
    offer = KnowledgeOfferFactory()
    a_match(organisation, need, 0.9, target_region=need.region)
    a_match(organisation, site, 0.6, target_region=site.municipality.region)
    a_match(organisation, offer, 0.3)
    client.force_login(owner)
    url = reverse("matchmaking:my_matches")

    def targets(**params):
        return [m.target for m in client.get(url, params).context["page"]]

    assert targets() == [need, site, offer]
    assert targets(target_type="test_site") == [site]
    assert targets(target_type="knowledge_offer") == [offer]
    assert targets(region=need.region.slug) == [need]
    assert targets(min_score="50") == [need, site]
    # Where: the company's own preference for geography (it is in Odense, Region Syddanmark).
    organisation.municipality = municipality("Odense")
    organisation.save()
    assert targets(place="region") == [need]
    assert targets(place="country") == [need, site]
    norwegian = TestSiteFactory(municipality=Municipality.objects.get(country="NO", name="Bergen"))
    a_match(organisation, norwegian, 0.5, target_region=norwegian.municipality.region)
    assert norwegian in targets()
    assert norwegian not in targets(place="country")
    assert targets(min_score="95") == []
    response = client.get(url, {"min_score": "500"})
    assert response.context["filter"].form.errors["min_score"]
    response = client.get(url, {"target_type": "need"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert 'id="results"' in response.content.decode()


def test_my_matches_choose_among_own_companies(client, organisation, owner):
    from tests.factories import AffiliationFactory

    second = OrganisationFactory(name="Second ApS")
    AffiliationFactory(person=owner.person, organisation=second, role="member")
    need = NeedFactory()
    a_match(organisation, need, 0.8)
    other_need = NeedFactory(title="For the second company")
    a_match(second, other_need, 0.7)
    client.force_login(owner)
    url = reverse("matchmaking:my_matches")
    response = client.get(url)
    assert response.context["company"] == organisation  # the first by name
    response = client.get(url, {"organisation": organisation.slug})
    assert [m.target for m in response.context["page"]] == [need]
    response = client.get(url, {"organisation": second.slug})
    assert [m.target for m in response.context["page"]] == [other_need]
    assert 'name="organisation"' in response.content.decode()


def test_my_matches_never_shows_private_needs_of_others(client, organisation, owner):
    private = NeedFactory(title="Private pilot on ward 7", visibility="private")
    draft = NeedFactory(title="Draft pilot", status="draft")
    public = NeedFactory(title="Public pilot")
    hidden_site = TestSiteFactory(name="Hidden lab", is_public=False)
    for target in (private, draft, public, hidden_site):
        a_match(organisation, target, 0.8)
    client.force_login(owner)
    response = client.get(reverse("matchmaking:my_matches"))
    assert [m.target for m in response.context["page"]] == [public]
    body = response.content.decode()
    assert "Private pilot" not in body
    assert "Draft pilot" not in body
    assert "Hidden lab" not in body


def test_my_matches_leaves_out_matches_outside_the_top(client, organisation, owner):
    kept = NeedFactory(title="Kept")
    dropped = NeedFactory(title="Dropped")
    acted_on = NeedFactory(title="Asked for an introduction")
    a_match(organisation, kept, 0.5)
    a_match(organisation, dropped, 0.6, in_source_top=False)
    a_match(organisation, acted_on, 0.4, in_source_top=False, status="requested")
    client.force_login(owner)
    response = client.get(reverse("matchmaking:my_matches"))
    assert [m.target.title for m in response.context["page"]] == [
        "Kept",
        "Asked for an introduction",
    ]


def test_network_admin_opens_a_company_s_matches(client, organisation, network_admin):
    need = NeedFactory(visibility="private")
    a_match(organisation, need, 0.8)
    client.force_login(network_admin)
    url = reverse("matchmaking:my_matches")
    response = client.get(url)  # no company of their own, none chosen
    assert 'data-testid="matches-for-companies"' in response.content.decode()
    response = client.get(url, {"organisation": organisation.slug})
    assert response.status_code == 200
    assert [m.target for m in response.context["page"]] == [need]


@pytest.mark.parametrize("count", [5, 50])
def test_my_matches_query_count_constant(
    client, organisation, owner, count, django_assert_max_num_queries
):
    region = Region.objects.get(slug=municipality("Odense").region.slug)
    run = MatchRunFactory(weights=dict.fromkeys(COMPONENTS, 0.1))
    for n in range(count):
        kind = n % 3
        if kind == 0:
            target = NeedFactory(municipality=municipality("Odense"))
        elif kind == 1:
            target = TestSiteFactory(municipality=municipality("Odense"))
        else:
            target = KnowledgeOfferFactory()
        a_match(organisation, target, 0.2 + n / 100, run=run, target_region=region)
    client.force_login(owner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("matchmaking:my_matches"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 20)
    assert response.content.decode().count('data-testid="match"') == min(count, 20)


def test_my_matches_total_is_reused_for_a_minute_per_viewer_and_filter(client, organisation, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = MatchRunFactory(weights=dict.fromkeys(COMPONENTS, 0.1))
    for n in range(25):
        a_match(organisation, TestSiteFactory(), 0.305 + n / 100, run=run)
    other = OrganisationFactory(name="Anden ApS")
    a_match(other, TestSiteFactory(), 0.5, run=run)
    url = reverse("matchmaking:my_matches")
    client.force_login(owner)
    client.get(reverse("home"))  # the session and user are loaded like on any later page
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.context["page"].paginator.count == 25
    with CaptureQueriesContext(connection) as again:
        response = client.get(url, {"page": 2})  # the same list: its total is not counted again
    assert response.context["page"].paginator.count == 25
    assert len(response.context["page"]) == 5
    assert len(again) < len(first)
    counts = 'COUNT(*) AS "__count" FROM "matchmaking_match"'
    assert any(counts in query["sql"] for query in first.captured_queries)
    assert not any(counts in query["sql"] for query in again.captured_queries)
    assert client.get(url, {"min_score": 50}).context["page"].paginator.count == 5
    # Another company's list has its own total.
    client.force_login(person_with_login(other, "admin", "anden@example.com"))
    assert client.get(url).context["page"].paginator.count == 1


# -- who fits my need / test site / offer -------------------------------------------------------
def test_target_side_ranked_companies_with_reasons(client, matched):
    need = matched["falls_need"]
    client.force_login(matched["kommune_user"])
    response = client.get(reverse("matchmaking:need_matches", args=[need.pk]))
    assert response.status_code == 200
    matches = list(response.context["page"])
    assert matches[0].source == matched["falls_sme"]
    body = response.content.decode()
    assert "Faldvagt ApS" in body
    assert "Same municipality: Odense" in body
    assert all(m.target_id == need.pk and m.target_type == "need" for m in matches)


def test_target_side_for_test_site_and_offer(client, matched):
    site = matched["diabetes_site"]
    user = person_with_login(site.owner, "admin", "a@auh.example")
    client.force_login(user)
    response = client.get(reverse("matchmaking:test_site_matches", args=[site.pk]))
    assert response.status_code == 200
    assert response.context["page"][0].source == matched["diabetes_sme"]
    offer = matched["copd_offer"]
    user = person_with_login(offer.owner, "member", "m@uib.example")
    client.force_login(user)
    response = client.get(reverse("matchmaking:offer_matches", args=[offer.pk]))
    assert response.status_code == 200
    assert response.context["page"][0].source == matched["copd_sme"]


def test_target_side_permissions(client, matched, outsider, owner):
    need = matched["falls_need"]
    url = reverse("matchmaking:need_matches", args=[need.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(outsider)  # sees the public need, does not belong to its owner
    assert client.get(url).status_code == 404
    client.force_login(matched["sme_user"])  # the matched company itself
    assert client.get(url).status_code == 404
    client.force_login(matched["kommune_user"])
    assert client.post(url).status_code == 405


def test_target_side_private_need_is_404_for_others(client, outsider, organisation):
    need = NeedFactory(visibility="private")
    a_match(organisation, need, 0.7)
    client.force_login(outsider)
    assert client.get(reverse("matchmaking:need_matches", args=[need.pk])).status_code == 404


def test_target_side_hides_companies_the_user_may_not_see(client, organisation):
    need = NeedFactory()
    hidden = OrganisationFactory(name="Stealth ApS", is_public=False)
    a_match(organisation, need, 0.7)
    a_match(hidden, need, 0.9)
    user = person_with_login(need.owner, "member", "m@kommune.example")
    client.force_login(user)
    response = client.get(reverse("matchmaking:need_matches", args=[need.pk]))
    assert [m.source for m in response.context["page"]] == [organisation]
    assert "Stealth ApS" not in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_target_side_query_count_constant(client, count, django_assert_max_num_queries):
    need = NeedFactory()
    for n in range(count):
        a_match(OrganisationFactory(), need, 0.2 + n / 100)
    user = person_with_login(need.owner, "admin", "a@kommune.example")
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("matchmaking:need_matches", args=[need.pk]))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 20)


def test_need_detail_links_owner_to_its_matches(client, matched):
    need = matched["falls_need"]
    client.force_login(matched["kommune_user"])
    body = client.get(need.get_absolute_url()).content.decode()
    assert reverse("matchmaking:need_matches", args=[need.pk]) in body
    assert Match.objects.filter(need=need).exists()


def test_profile_editor_links_test_sites_and_offers_to_who_fits(client):
    university = OrganisationFactory(name="SDU", kind="university", cvr="")
    site = TestSiteFactory(owner=university)
    offer = KnowledgeOfferFactory(owner=university)
    client.force_login(person_with_login(university, "admin", "a@sdu.example"))
    body = client.get(reverse("organisation_edit", args=[university.slug])).content.decode()
    assert reverse("matchmaking:test_site_matches", args=[site.pk]) in body
    assert reverse("matchmaking:offer_matches", args=[offer.pk]) in body


def test_company_profile_links_network_admins_to_its_matches(
    client, organisation, network_admin, owner
):
    url = reverse("organisation_detail", args=[organisation.slug])
    client.force_login(owner)
    assert 'data-testid="company-matches"' not in client.get(url).content.decode()
    client.force_login(network_admin)
    body = client.get(url).content.decode()
    assert f"{reverse('matchmaking:my_matches')}?organisation={organisation.slug}" in body


def test_reasons_of_unknown_shape_are_left_out(client, organisation, owner):
    need = NeedFactory(title="Robust need")
    a_match(
        organisation,
        need,
        0.5,
        reasons={
            "focus": {"code": "something_new", "areas": [1]},
            "novelty": {"code": "shared"},
            "tags": "not a dict",
            "geography": {"code": "municipality", "name": "Odense"},
        },
        components={"geography": 1.0},
    )
    client.force_login(owner)
    response = client.get(reverse("matchmaking:my_matches"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Same municipality: Odense" in body
    assert "something_new" not in body


def test_match_of_a_deleted_target_disappears(client, organisation, owner, network_admin):
    site = TestSiteFactory(name="Closing lab")
    a_match(organisation, site, 0.7)
    site.delete()  # the match's link turns NULL until the next run removes it
    client.force_login(owner)
    assert list(client.get(reverse("matchmaking:my_matches")).context["page"]) == []
    client.force_login(network_admin)
    url = reverse("matchmaking:my_matches")
    assert list(client.get(url, {"organisation": organisation.slug}).context["page"]) == []


def test_target_side_filters(client):
    need = NeedFactory()
    near = OrganisationFactory(name="Near ApS", municipality=municipality("Odense"))
    far = OrganisationFactory(name="Far ApS", municipality=municipality("Aarhus"))
    a_match(near, need, 0.4)
    a_match(far, need, 0.8)
    client.force_login(person_with_login(need.owner, "member", "m@kommune.example"))
    url = reverse("matchmaking:need_matches", args=[need.pk])

    def sources(**params):
        return [m.source for m in client.get(url, params).context["page"]]

    assert sources() == [far, near]
    assert sources(region=near.region.slug) == [near]
    assert sources(min_score="50") == [far]
    response = client.get(url, {"min_score": "50"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "Far ApS" in response.content.decode()
