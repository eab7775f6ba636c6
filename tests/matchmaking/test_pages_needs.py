"""Needs pages: browse, read, post, edit, close, reopen, delete; who sees private needs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Need
from network import moderation
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, UserFactory, focus_area, municipality
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def kommune(db):
    return OrganisationFactory(
        name="Odense Kommune", kind="municipality", cvr="", municipality=municipality("Odense")
    )


@pytest.fixture
def kommune_admin(kommune):
    return person_with_login(kommune, "admin", "admin@odense.example")


@pytest.fixture
def kommune_member(kommune):
    return person_with_login(kommune, "member", "member@odense.example")


@pytest.fixture
def need(kommune):
    return NeedFactory(
        owner=kommune,
        title="Sensors that detect falls at night",
        municipality=municipality("Odense"),
        deadline=timezone.localdate() + timedelta(days=12),
        focus_areas=[focus_area("prevention-predictive-health")],
    )


@pytest.fixture
def private_need(kommune):
    return NeedFactory(owner=kommune, title="Secret ward pilot", visibility="private")


@pytest.fixture
def draft(kommune):
    return NeedFactory(owner=kommune, title="Half-written idea", status="draft")


def need_data(**overrides):
    data = {
        "title": "Medication robots in home care",
        "description": "Citizens forget their medicine; we look for dispensers that remind.",
        "test_setting": "Twenty citizens in home care for three months.",
        "focus_areas": [str(focus_area("prevention-predictive-health").pk)],
        "tag_names": "medication, home care",
        "municipality": str(municipality("Odense").pk),
        "region": "",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "trl_min": "5",
        "trl_max": "8",
        "language": "da",
        "visibility": "public",
        "reference": "",
    }
    data.update(overrides)
    return data


def login_url_of(url):
    return f"{reverse('account_login')}?next={url}"


# -- list ---------------------------------------------------------------------------------------
def test_list_anonymous_sees_public_open_needs_only(client, need, private_need, draft):
    network_only = NeedFactory(title="Members-only need", visibility="network")
    response = client.get(reverse("matchmaking:need_list"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == [need.title]
    assert network_only.title not in response.content.decode()
    assert "Post a need" not in response.content.decode()


def test_list_outsider_never_sees_private_or_drafts(client, outsider, need, private_need, draft):
    client.force_login(outsider)
    body = client.get(reverse("matchmaking:need_list")).content.decode()
    assert need.title in body
    assert private_need.title not in body
    assert draft.title not in body


def test_list_own_organisation_sees_private_and_drafts(client, kommune_member, private_need, draft):
    client.force_login(kommune_member)
    body = client.get(reverse("matchmaking:need_list")).content.decode()
    assert private_need.title in body
    assert draft.title in body
    # A member may read them but not post.
    assert "Post a need" not in body


def test_list_admin_of_municipality_gets_post_link(client, kommune_admin):
    client.force_login(kommune_admin)
    response = client.get(reverse("matchmaking:need_list"))
    assert 'data-testid="post-need"' in response.content.decode()


def test_list_facets_and_htmx_partial(client, need, kommune):
    other = NeedFactory(
        title="Diabetes app for young people",
        owner=OrganisationFactory(name="OUH", kind="hospital", cvr=""),
        municipality=municipality("Aarhus"),
    )
    url = reverse("matchmaking:need_list")
    response = client.get(url, {"owner_kind": "hospital"})
    assert [n.title for n in response.context["page"]] == [other.title]
    response = client.get(url, {"municipality": municipality("Odense").slug})
    assert [n.title for n in response.context["page"]] == [need.title]
    response = client.get(url, {"focus_area": "prevention-predictive-health"})
    assert [n.title for n in response.context["page"]] == [need.title]
    response = client.get(url, {"q": "diabetes"})
    assert [n.title for n in response.context["page"]] == [other.title]
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.get(url, {"deadline_after": later})
    assert list(response.context["page"]) == []
    response = client.get(url, {"status": "open"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert "2 needs found" in body


def test_list_filter_by_status_closed(client, kommune):
    NeedFactory(owner=kommune, title="Old need", status="closed")
    NeedFactory(owner=kommune, title="Current need")
    response = client.get(reverse("matchmaking:need_list"), {"status": "closed"})
    assert [n.title for n in response.context["page"]] == ["Old need"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_constant(client, outsider, count, django_assert_max_num_queries):
    for n in range(count):
        NeedFactory(
            title=f"Need {n}", focus_areas=[focus_area("health-data")], municipality=municipality()
        )
    client.force_login(outsider)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("matchmaking:need_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 20)


def test_list_wrong_method(client):
    assert client.post(reverse("matchmaking:need_list")).status_code == 405


# -- detail -------------------------------------------------------------------------------------
def test_detail_public_need_for_anonymous(client, need):
    response = client.get(need.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert need.title in body
    assert "in 12 days" in body
    assert "Edit" not in body
    assert "Companies that fit" not in body


def test_detail_private_need_hidden_from_outsiders_and_anonymous(client, outsider, private_need):
    url = private_need.get_absolute_url()
    response = client.get(url)  # anonymous: asked to sign in, as for a need that does not exist
    assert response.url == login_url_of(url)
    assert client.get(reverse("matchmaking:need_detail", args=[9999])).url.startswith(
        reverse("account_login")
    )
    client.force_login(outsider)
    assert client.get(private_need.get_absolute_url()).status_code == 404


def test_detail_draft_hidden_from_outsider(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_detail_member_reads_private_need_without_manage_buttons(
    client, kommune_member, private_need
):
    client.force_login(kommune_member)
    response = client.get(private_need.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert response.context["sees_matches"] is True


def test_detail_admin_sees_manage_buttons(client, kommune_admin, need):
    client.force_login(kommune_admin)
    body = client.get(need.get_absolute_url()).content.decode()
    assert reverse("matchmaking:need_edit", args=[need.pk]) in body
    assert 'value="close"' in body


def test_detail_wrong_method(client, need):
    assert client.post(need.get_absolute_url()).status_code == 405


# -- create -------------------------------------------------------------------------------------
def test_create_anonymous_redirected_to_login(client):
    url = reverse("matchmaking:need_create")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == login_url_of(url)


def test_create_forbidden_for_sme_admin_and_member(client, owner, kommune_member):
    client.force_login(owner)  # an SME's admin: SMEs do not post needs
    assert client.get(reverse("matchmaking:need_create")).status_code == 403
    client.force_login(kommune_member)  # member, not admin, of a municipality
    assert client.post(reverse("matchmaking:need_create"), need_data()).status_code == 403
    assert not Need.objects.exists()


def test_create_publishes(client, kommune_admin, kommune, django_capture_on_commit_callbacks):
    client.force_login(kommune_admin)
    response = client.get(reverse("matchmaking:need_create"))
    assert response.status_code == 200
    assert 'type="hidden" name="owner"' in response.content.decode()
    response = client.post(
        reverse("matchmaking:need_create"), need_data(owner=str(kommune.pk), publish="1")
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response.url == need.get_absolute_url()
    assert need.owner == kommune
    assert need.status == "open"
    assert need.published_at is not None
    assert need.created_by == kommune_admin
    assert need.region == municipality("Odense").region
    assert sorted(tag.name for tag in need.tags.all()) == ["home care", "medication"]
    assert list(need.focus_areas.values_list("slug", flat=True)) == ["prevention-predictive-health"]


def test_create_draft(client, kommune_admin, kommune):
    client.force_login(kommune_admin)
    client.post(reverse("matchmaking:need_create"), need_data(owner=str(kommune.pk), draft="1"))
    assert Need.objects.get().status == "draft"


def test_create_errors_keep_what_was_typed(client, kommune_admin, kommune):
    client.force_login(kommune_admin)
    response = client.post(
        reverse("matchmaking:need_create"),
        need_data(owner=str(kommune.pk), title="", trl_min="7", trl_max="3", publish="1"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "This field is required." in body
    assert "The highest readiness level cannot be below the lowest." in body
    # What the user typed is still there.
    assert "Citizens forget their medicine" in body
    assert "Twenty citizens in home care" in body
    assert 'value="medication, home care"' in body
    assert not Need.objects.exists()


def test_create_cannot_post_for_another_organisation(client, kommune_admin):
    other = OrganisationFactory(name="Vejle Kommune", kind="municipality", cvr="")
    client.force_login(kommune_admin)
    response = client.post(
        reverse("matchmaking:need_create"), need_data(owner=str(other.pk), publish="1")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not Need.objects.exists()


def test_create_with_several_organisations_offers_a_choice(client, kommune_admin, kommune):
    hospital = OrganisationFactory(name="OUH", kind="hospital", cvr="")
    from tests.factories import AffiliationFactory

    AffiliationFactory(person=kommune_admin.person, organisation=hospital, role="admin")
    client.force_login(kommune_admin)
    body = client.get(reverse("matchmaking:need_create")).content.decode()
    assert "Posted by" in body
    assert "OUH" in body
    client.post(reverse("matchmaking:need_create"), need_data(owner=str(hospital.pk), draft="1"))
    assert Need.objects.get().owner == hospital


def test_create_region_must_hold_municipality(client, kommune_admin, kommune):
    from network.models import Region

    wrong = Region.objects.exclude(pk=municipality("Odense").region_id).first()
    client.force_login(kommune_admin)
    response = client.post(
        reverse("matchmaking:need_create"),
        need_data(owner=str(kommune.pk), region=str(wrong.pk), publish="1"),
    )
    assert response.context["form"].errors["region"]


# -- edit ---------------------------------------------------------------------------------------
def test_edit_anonymous_outsider_member(
    client, need, outsider, kommune_admin, kommune_member, private_need
):
    url = reverse("matchmaking:need_edit", args=[need.pk])
    assert client.get(url).url == login_url_of(url)
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # a public need, but not theirs to edit
    assert client.get(reverse("matchmaking:need_edit", args=[private_need.pk])).status_code == 404
    client.force_login(kommune_member)
    assert client.post(url, need_data()).status_code == 403
    need.refresh_from_db()
    assert need.title == "Sensors that detect falls at night"


def test_edit_saves(client, kommune_admin, need):
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_edit", args=[need.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="owner"' not in response.content.decode()
    response = client.post(url, need_data(title="Falls at night, revised"))
    assert response.status_code == 302
    # The need is published: the new title waits for review, the approved one stays shown.
    need.refresh_from_db()
    assert need.title == "Sensors that detect falls at night"
    assert need.pending_changes["title"] == "Falls at night, revised"
    moderation.approve(need, actor=UserFactory(is_network_admin=True))
    need.refresh_from_db()
    assert need.title == "Falls at night, revised"
    assert need.status == "open"


def test_edit_publishes_a_draft_and_sends_it_for_review(client, kommune_admin, draft):
    client.force_login(kommune_admin)
    client.post(reverse("matchmaking:need_edit", args=[draft.pk]), need_data(publish="1"))
    draft.refresh_from_db()
    assert (draft.status, draft.review_status, draft.is_published) == ("open", "pending", False)


def test_edit_publishes_a_draft(client, kommune_admin, draft):
    client.force_login(kommune_admin)
    client.post(reverse("matchmaking:need_edit", args=[draft.pk]), need_data(publish="1"))
    draft.refresh_from_db()
    assert draft.status == "open"


def test_edit_errors_keep_input(client, kommune_admin, need):
    client.force_login(kommune_admin)
    response = client.post(
        reverse("matchmaking:need_edit", args=[need.pk]),
        need_data(title="New title kept", description=""),
    )
    assert response.status_code == 200
    assert 'value="New title kept"' in response.content.decode()
    need.refresh_from_db()
    assert need.title == "Sensors that detect falls at night"


# -- close / reopen / publish -------------------------------------------------------------------
def test_status_close_and_reopen(client, kommune_admin, need):
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_set_status", args=[need.pk])
    response = client.post(url, {"action": "close"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "closed"
    assert need.closed_at is not None
    client.post(url, {"action": "reopen"})
    need.refresh_from_db()
    assert need.status == "open"
    assert need.closed_at is None


def test_status_publish_draft(client, kommune_admin, draft):
    client.force_login(kommune_admin)
    client.post(reverse("matchmaking:need_set_status", args=[draft.pk]), {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == "open"


def test_status_action_not_allowed_from_current_status(client, kommune_admin, need):
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_set_status", args=[need.pk])
    response = client.post(url, {"action": "reopen"}, follow=True)
    assert "nothing was changed" in response.content.decode()
    response = client.post(url, {"action": "explode"}, follow=True)
    assert "Choose publish, close or reopen; nothing was changed." in response.content.decode()
    need.refresh_from_db()
    assert need.status == "open"


def test_status_permissions(client, need, outsider, kommune_admin, kommune_member, draft):
    url = reverse("matchmaking:need_set_status", args=[need.pk])
    assert client.post(url, {"action": "close"}).url == login_url_of(url)
    client.force_login(outsider)
    assert client.post(url, {"action": "close"}).status_code == 404
    draft_url = reverse("matchmaking:need_set_status", args=[draft.pk])
    assert client.post(draft_url, {"action": "publish"}).status_code == 404
    client.force_login(kommune_member)
    assert client.post(url, {"action": "close"}).status_code == 403
    assert client.get(url).status_code == 405
    need.refresh_from_db()
    assert need.status == "open"


# -- delete -------------------------------------------------------------------------------------
def test_delete_draft(client, kommune_admin, draft):
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_delete", args=[draft.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("matchmaking:need_list")
    assert not Need.objects.filter(pk=draft.pk).exists()


def test_delete_published_need_refused(client, kommune_admin, need):
    client.force_login(kommune_admin)
    response = client.post(reverse("matchmaking:need_delete", args=[need.pk]), follow=True)
    assert "Only drafts can be deleted" in response.content.decode()
    assert Need.objects.filter(pk=need.pk).exists()


def test_delete_permissions(client, outsider, kommune_admin, kommune_member, draft):
    url = reverse("matchmaking:need_delete", args=[draft.pk])
    assert client.post(url).url == login_url_of(url)
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(kommune_member)
    assert client.post(url).status_code == 403
    assert Need.objects.filter(pk=draft.pk).exists()


# -- navigation ---------------------------------------------------------------------------------
def test_navigation_links(client, owner, kommune_admin, network_admin):
    body = client.get(reverse("home")).content.decode()
    assert reverse("matchmaking:need_list") in body
    assert 'data-testid="nav-matches"' not in body
    client.force_login(owner)  # an SME's admin
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-matches"' in body
    assert 'data-testid="nav-runs"' not in body
    client.force_login(kommune_admin)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-matches"' not in body
    client.force_login(network_admin)
    assert 'data-testid="nav-runs"' in client.get(reverse("home")).content.decode()


def test_my_organisation_links_to_post_a_need(client, kommune_admin, owner):
    client.force_login(kommune_admin)
    body = client.get(reverse("my_organisations")).content.decode()
    assert reverse("matchmaking:need_create") in body
    client.force_login(owner)  # an SME
    body = client.get(reverse("my_organisations")).content.decode()
    assert reverse("matchmaking:need_create") not in body


def test_list_only_my_organisation(client, kommune_member, need):
    other = NeedFactory(title="Somebody else's need")
    client.force_login(kommune_member)
    url = reverse("matchmaking:need_list")
    assert {n.title for n in client.get(url).context["page"]} == {need.title, other.title}
    assert [n.title for n in client.get(url, {"mine": "on"}).context["page"]] == [need.title]


def test_detail_shows_how_the_need_fits_the_reader_s_company(client, owner, organisation, need):
    from tests.matchmaking.factories import MatchFactory

    MatchFactory(
        source=organisation,
        need=need,
        score=0.73,
        components={"geography": 1.0},
        reasons={"geography": {"code": "municipality", "name": "Odense"}},
    )
    MatchFactory(source=OrganisationFactory(name="Competitor ApS"), need=need, score=0.9)
    client.force_login(owner)
    body = client.get(need.get_absolute_url()).content.decode()
    assert "How it fits Faldsikker ApS" in body
    assert "73 %" in body
    assert "Same municipality: Odense" in body
    assert "Competitor" not in body
