"""Shared needs: joining another organisation's need, changing one's part of it, leaving it,
staff merging two needs; who may do it, bad input changing nothing, everyone who shares a need
hearing of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking import sharing
from matchmaking.models import Match, Need
from matchmaking.models_introductions import Feedback, Introduction, ShortlistEntry
from matchmaking.models_sharing import NeedShare
from network.models import Notification
from network.notifications import preference_set
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, municipality
from tests.matchmaking.factories import MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def kommune(name):
    return OrganisationFactory(
        name=f"{name} Kommune", kind="municipality", cvr="", municipality=municipality(name)
    )


@pytest.fixture
def odense(db):
    return kommune("Odense")


@pytest.fixture
def vejle(db):
    return kommune("Vejle")


@pytest.fixture
def aarhus(db):
    return kommune("Aarhus")


@pytest.fixture
def odense_admin(odense):
    return person_with_login(odense, "admin", "admin@odense.example")


@pytest.fixture
def vejle_admin(vejle):
    return person_with_login(vejle, "admin", "admin@vejle.example")


@pytest.fixture
def vejle_member(vejle):
    return person_with_login(vejle, "member", "member@vejle.example")


@pytest.fixture
def aarhus_admin(aarhus):
    return person_with_login(aarhus, "admin", "admin@aarhus.example")


@pytest.fixture
def need(odense):
    return NeedFactory(
        owner=odense,
        title="Sensors that detect falls at night",
        municipality=municipality("Odense"),
        deadline=timezone.localdate() + timedelta(days=30),
    )


def join_url(need):
    return reverse("matchmaking:need_join", args=[need.pk])


def leave_url(need):
    return reverse("matchmaking:need_leave", args=[need.pk])


def merge_url(need):
    return reverse("matchmaking:need_merge", args=[need.pk])


def join_data(organisation, **extra):
    return {"organisation": str(organisation.pk), **part_data(**extra)}


def part_data(**extra):
    """An organisation's part of a need, as the join form and the form changing it send it."""
    return {
        "citizens": "1200",
        "sites": "3",
        "budget_min": "100000",
        "budget_max": "250000",
        "currency": "DKK",
        "contact": "",
        "note": "Night shifts in three care homes.",
        **extra,
    }


# --- joining -----------------------------------------------------------------------------------
def test_join_adds_scale_and_tells_the_owner(
    client, need, vejle, vejle_admin, odense_admin, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(vejle_admin)
    assert client.get(join_url(need)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(need), join_data(vejle))
    assert response.status_code == 302
    share = NeedShare.objects.get(need=need)
    assert (share.organisation, share.citizens, share.sites) == (vejle, 1200, 3)
    assert share.joined_by == vejle_admin
    assert share.history.count() == 1
    told = Notification.objects.get(kind="need_joined")
    assert told.user == odense_admin
    assert "Vejle Kommune" in told.title
    assert [m.to for m in mailoutbox] == [["admin@odense.example"]]


def test_need_page_shows_joined_organisations_and_combined_scale(
    client, need, vejle, aarhus, vejle_admin, aarhus_admin, outsider
):
    contact = vejle_admin.person
    contact.email = "contact@vejle.example"
    contact.save()
    sharing.need_join(
        need=need,
        organisation=vejle,
        user=vejle_admin,
        citizens=1000,
        sites=2,
        budget_min=100,
        budget_max=200,
        currency="DKK",
        contact=contact,
    )
    sharing.need_join(
        need=need,
        organisation=aarhus,
        user=aarhus_admin,
        citizens=500,
        sites=1,
        budget_min=50,
        budget_max=100,
        currency="DKK",
    )
    client.force_login(outsider)
    body = client.get(need.get_absolute_url()).content.decode()
    assert "Vejle Kommune" in body
    assert "Aarhus Kommune" in body
    assert ("3 organisations" in body and "1,500 citizens" in body) or "1500 citizens" in body
    assert "3 sites" in body
    assert "150–300 DKK" in body
    # Contact people are for those who share the need, not for anyone reading it.
    assert "contact@vejle.example" not in body
    client.force_login(aarhus_admin)
    assert "contact@vejle.example" in client.get(need.get_absolute_url()).content.decode()


def test_combined_budget_never_adds_currencies(need, vejle, vejle_admin):
    shares = [
        NeedShare(citizens=10, budget_min=100, budget_max=200, currency="DKK"),
        NeedShare(citizens=5, budget_min=1000, budget_max=None, currency="NOK"),
        NeedShare(sites=4),
    ]
    scale = sharing.combined_scale(shares)
    assert (scale.organisations, scale.citizens, scale.sites) == (3, 15, 4)
    assert [(c, int(low), int(high)) for c, low, high in scale.budgets] == [
        ("DKK", 100, 200),
        ("NOK", 1000, 1000),
    ]


def test_joining_ones_own_need_is_refused(client, need, odense, odense_admin):
    # The owner is not even offered: no other organisation to join for.
    client.force_login(odense_admin)
    assert client.get(join_url(need)).status_code == 403
    with pytest.raises(sharing.SharingError, match="own need"):
        sharing.need_join(need=need, organisation=odense, user=odense_admin)
    assert not NeedShare.objects.exists()


def test_joining_twice_is_refused_and_changes_nothing(client, need, vejle, vejle_admin):
    client.force_login(vejle_admin)
    client.post(join_url(need), join_data(vejle))
    response = client.post(join_url(need), join_data(vejle, citizens="5"))
    assert response.status_code == 200
    assert "already joined" in response.content.decode()
    share = NeedShare.objects.get()
    assert share.citizens == 1200


def test_joining_for_another_organisation_is_refused(client, need, vejle_admin, aarhus):
    client.force_login(vejle_admin)
    response = client.post(join_url(need), join_data(aarhus))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not NeedShare.objects.exists()


def test_contact_of_another_organisation_is_refused(need, vejle, vejle_admin, aarhus_admin):
    with pytest.raises(sharing.SharingError, match="contact person"):
        sharing.need_join(
            need=need, organisation=vejle, user=vejle_admin, contact=aarhus_admin.person
        )
    assert not NeedShare.objects.exists()


def test_bad_budget_range_is_refused(client, need, vejle, vejle_admin):
    client.force_login(vejle_admin)
    response = client.post(join_url(need), join_data(vejle, budget_min="500", budget_max="10"))
    assert response.status_code == 200
    assert response.context["form"].errors["budget_max"]
    assert not NeedShare.objects.exists()


def test_bad_budget_range_is_said_once_on_its_upper_end(client, need, vejle, vejle_admin):
    # The model's own check (NeedShare.clean) speaks for the form.
    client.force_login(vejle_admin)
    response = client.post(join_url(need), join_data(vejle, budget_min="500", budget_max="10"))
    form = response.context["form"]
    assert form.errors["budget_max"] == ["The budget's upper end cannot be below its lower end."]
    assert not form.non_field_errors()


def test_member_without_admin_role_cannot_join(client, need, vejle_member, vejle):
    client.force_login(vejle_member)
    assert client.get(join_url(need)).status_code == 403
    assert client.post(join_url(need), join_data(vejle)).status_code == 403
    assert not NeedShare.objects.exists()


def test_companies_cannot_join(need, vejle_admin):
    sme = OrganisationFactory(kind="sme")
    with pytest.raises(sharing.SharingError, match="municipalities, regions and hospitals"):
        sharing.need_join(need=need, organisation=sme, user=vejle_admin)


def test_closed_draft_or_private_needs_cannot_be_joined(client, odense, vejle, vejle_admin):
    client.force_login(vejle_admin)
    closed = NeedFactory(owner=odense, status="closed")
    response = client.get(join_url(closed))
    assert 'data-testid="join-problem"' in response.content.decode()
    assert client.post(join_url(closed), join_data(vejle)).status_code == 200
    draft = NeedFactory(owner=odense, status="draft")
    assert client.post(join_url(draft), join_data(vejle)).status_code == 404
    private = NeedFactory(owner=odense, visibility="private")
    assert client.post(join_url(private), join_data(vejle)).status_code == 404
    assert not NeedShare.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_get_is_not_allowed_for_leave(client, need):
    assert client.post(join_url(need), {}).status_code == 302
    assert client.post(leave_url(need), {}).status_code == 302
    assert not NeedShare.objects.exists()


# --- leaving -----------------------------------------------------------------------------------
def test_leave_removes_the_share_and_tells_the_owner(
    client, need, vejle, vejle_admin, odense_admin
):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin)
    client.force_login(vejle_admin)
    assert client.get(leave_url(need)).status_code == 405
    response = client.post(leave_url(need), {"organisation": vejle.pk})
    assert response.status_code == 302
    assert not NeedShare.objects.exists()
    assert NeedShare.history.count() == 2  # joined, left: the history stays
    assert Notification.objects.filter(kind="need_left", user=odense_admin).exists()


def test_only_the_joining_organisations_admins_may_leave_for_it(
    client, need, vejle, vejle_admin, vejle_member, aarhus_admin, odense_admin
):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin)
    client.force_login(vejle_member)
    assert client.post(leave_url(need), {"organisation": vejle.pk}).status_code == 403
    client.force_login(aarhus_admin)
    assert client.post(leave_url(need), {"organisation": vejle.pk}).status_code == 404
    client.force_login(odense_admin)  # the owner cannot push them out either
    assert client.post(leave_url(need), {"organisation": vejle.pk}).status_code == 404
    assert client.post(leave_url(need), {"organisation": "x"}).status_code == 404
    assert NeedShare.objects.count() == 1


def test_leaving_a_need_not_joined_says_so(client, need, vejle, vejle_admin):
    client.force_login(vejle_admin)
    response = client.post(leave_url(need), {"organisation": vejle.pk}, follow=True)
    assert "has not joined this need" in response.content.decode()
    assert not Notification.objects.exists()


# --- changing one's part ---------------------------------------------------------------------
def edit_url(need, organisation):
    return reverse("matchmaking:need_share_edit", args=[need.pk, organisation.pk])


def test_a_joiner_changes_its_scale_and_contact(client, need, vejle, vejle_admin, vejle_member):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin, citizens=10, sites=1)
    client.force_login(vejle_admin)
    body = client.get(need.get_absolute_url()).content.decode()
    assert 'data-testid="share-edit"' in body
    response = client.get(edit_url(need, vejle))
    assert response.status_code == 200
    assert response.context["form"].initial["citizens"] == 10
    data = part_data(citizens="2400", contact=str(vejle_member.person.pk), note="  Two wards. ")
    response = client.post(edit_url(need, vejle), data, follow=True)
    assert response.redirect_chain == [(need.get_absolute_url(), 302)]
    assert "The need now shows the changes for Vejle Kommune." in response.content.decode()
    share = NeedShare.objects.get()
    assert (share.citizens, share.sites, share.contact, share.note) == (
        2400,
        3,
        vejle_member.person,
        "Two wards.",
    )
    assert (share.budget_min, share.budget_max, share.currency) == (100000, 250000, "DKK")
    assert share.history.count() == 2
    assert share.history.first().history_user == vejle_admin


def test_changing_ones_part_is_checked_as_joining_is(
    client, need, vejle, vejle_admin, aarhus, aarhus_admin
):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin, citizens=10)
    client.force_login(vejle_admin)
    response = client.post(edit_url(need, vejle), part_data(budget_min="500", budget_max="10"))
    assert response.status_code == 200
    assert response.context["form"].errors["budget_max"] == [
        "The budget's upper end cannot be below its lower end."
    ]
    # Only the organisation's own people may be its contact: not offered, and refused.
    response = client.post(edit_url(need, vejle), part_data(contact=str(aarhus_admin.person.pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["contact"]
    share = NeedShare.objects.get()
    with pytest.raises(sharing.SharingError, match="contact person"):
        sharing.need_share_update(share=share, user=vejle_admin, contact=aarhus_admin.person)
    share.refresh_from_db()
    assert (share.citizens, share.budget_max, share.contact) == (10, None, None)


def test_only_the_joining_organisations_admins_may_change_its_part(
    client, need, vejle, vejle_admin, vejle_member, aarhus, aarhus_admin, odense_admin
):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin, citizens=10)
    url = edit_url(need, vejle)
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(vejle_member)
    assert client.get(url).status_code == 403
    assert client.post(url, part_data()).status_code == 403
    for outsider in (odense_admin, aarhus_admin):  # the owner, another organisation
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, part_data()).status_code == 404
        assert (
            'data-testid="share-edit"' not in client.get(need.get_absolute_url()).content.decode()
        )
    # Aarhus's admin, for Aarhus, which has not joined this need.
    assert client.get(edit_url(need, aarhus)).status_code == 404
    assert NeedShare.objects.get().citizens == 10


# --- notifications ----------------------------------------------------------------------------
def test_everyone_who_shares_hears_of_a_new_member_and_opt_outs_are_honoured(
    need,
    vejle,
    aarhus,
    vejle_admin,
    aarhus_admin,
    odense_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin)
    preference_set(user=vejle_admin, frequency="never")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sharing.need_join(need=need, organisation=aarhus, user=aarhus_admin)
    told = set(
        Notification.objects.filter(kind="need_joined").values_list("user__email", flat=True)
    )
    assert told == {"admin@odense.example", "admin@vejle.example"}
    # Vejle chose no emails: in the inbox, not in the mail.
    assert [m.to for m in mailoutbox] == [["admin@odense.example"]]


# --- merging -----------------------------------------------------------------------------------
@pytest.fixture
def twin(vejle):
    return NeedFactory(owner=vejle, title="Fall sensors for the night")


def test_staff_merge_moves_owner_shares_matches_and_keeps_both_histories(
    client, need, twin, vejle, aarhus, aarhus_admin, odense_admin, vejle_admin, network_admin
):
    sharing.need_join(need=twin, organisation=aarhus, user=aarhus_admin, citizens=300)
    only_twin = MatchFactory(need=twin, score=0.4)
    company = OrganisationFactory(kind="sme")
    mine = MatchFactory(need=need, source=company, score=0.5)
    theirs = MatchFactory(need=twin, source=company, score=0.7, status="requested")
    Feedback.objects.create(
        source=company, target_type="need", target_id=twin.pk, organisation=vejle, kind="useful"
    )
    ShortlistEntry.objects.create(
        source=company, target_type="need", target_id=twin.pk, organisation=vejle
    )
    client.force_login(network_admin)
    assert client.get(merge_url(need)).status_code == 200
    response = client.post(merge_url(need), {"other": twin.pk})
    assert response.status_code == 302
    twin.refresh_from_db()
    assert (twin.merged_into, twin.status, twin.merged_by) == (need, "closed", network_admin)
    assert set(NeedShare.objects.filter(need=need).values_list("organisation", flat=True)) == {
        vejle.pk,
        aarhus.pk,
    }
    assert not NeedShare.objects.filter(need=twin).exists()
    only_twin.refresh_from_db()
    assert (only_twin.need_id, only_twin.target_id) == (need.pk, need.pk)
    # The company matched with both keeps one match, with the more advanced status.
    assert not Match.objects.filter(pk=theirs.pk).exists()
    mine.refresh_from_db()
    assert mine.status == "requested"
    assert Feedback.objects.get().target_id == need.pk
    assert ShortlistEntry.objects.get().target_id == need.pk
    # Everyone who shares the kept need hears of it.
    told = set(Notification.objects.filter(kind="need_merged").values_list("user", flat=True))
    assert told == {odense_admin.pk, vejle_admin.pk, aarhus_admin.pk} - {network_admin.pk}
    # The removed need's page points to the kept one; it is out of the list.
    body = client.get(twin.get_absolute_url()).content.decode()
    assert 'data-testid="merged-into"' in body
    titles = [n.title for n in client.get(reverse("matchmaking:need_list")).context["page"]]
    assert twin.title not in titles


def test_only_network_staff_merge(client, need, twin, odense_admin, vejle_admin):
    for user in (odense_admin, vejle_admin):
        client.force_login(user)
        assert client.post(merge_url(need), {"other": twin.pk}).status_code == 403
    client.logout()
    assert client.post(merge_url(need), {"other": twin.pk}).status_code == 302  # sign in
    assert not Need.objects.filter(merged_into__isnull=False).exists()


def test_merging_a_need_into_itself_or_twice_is_refused(client, need, twin, network_admin):
    client.force_login(network_admin)
    response = client.post(merge_url(need), {"other": need.pk})
    assert response.status_code == 200
    assert "cannot be merged into itself" in response.content.decode()
    response = client.post(merge_url(need), {"other": 999999})
    assert "no need with this number" in response.content.decode()
    client.post(merge_url(need), {"other": twin.pk})
    response = client.post(merge_url(need), {"other": twin.pk})
    assert "already merged" in response.content.decode()
    assert Need.objects.filter(merged_into__isnull=False).count() == 1


def test_merge_refused_when_a_company_has_an_open_introduction_about_each(
    need, twin, network_admin
):
    company = OrganisationFactory(kind="sme")
    for target in (need, twin):
        match = MatchFactory(need=target, source=company)
        Introduction.objects.create(
            match=match,
            source=company,
            target_organisation=target.owner,
            message="Hello",
            expires_at=timezone.now() + timedelta(days=14),
        )
    with pytest.raises(sharing.SharingError, match="open introduction"):
        sharing.need_merge(kept=need, removed=twin, user=network_admin)
    twin.refresh_from_db()
    assert twin.merged_into is None
    assert Match.objects.count() == 2


def _merge_queries(kept, removed, user, *, n) -> int:
    """Queries of merging `removed` (n companies matched, rated and shortlisted, n regions
    joined; none also matched with `kept`) into `kept`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(n):
        company = OrganisationFactory(kind="sme", name=f"Company {removed.pk}-{i}")
        MatchFactory(need=removed, source=company)
        Feedback.objects.create(
            source=company, target_type="need", target_id=removed.pk, organisation=removed.owner,
            kind="useful",
        )  # fmt: skip
        ShortlistEntry.objects.create(
            source=company, target_type="need", target_id=removed.pk, organisation=removed.owner
        )
        region = OrganisationFactory(kind="region", cvr="", name=f"Region {removed.pk}-{i}")
        NeedShare.objects.create(need=removed, organisation=region)
    with CaptureQueriesContext(connection) as queries:
        sharing.need_merge(kept=kept, removed=removed, user=user)
    assert Match.objects.filter(need=kept).count() == n
    return len(queries)


def test_merge_queries_do_not_grow_with_matches_ratings_and_shares(odense, vejle, network_admin):
    def merge(n):
        return _merge_queries(
            NeedFactory(owner=odense), NeedFactory(owner=vejle), network_admin, n=n
        )

    merge(0)  # the first asks for a run and sets up the match criteria
    assert merge(8) == merge(1)


# --- query counts -------------------------------------------------------------------------------
@pytest.mark.parametrize("joiners", [1, 8])
def test_need_detail_and_list_queries_do_not_grow_with_joiners(
    client, need, joiners, vejle_admin, django_assert_max_num_queries
):
    for n in range(joiners):
        organisation = OrganisationFactory(kind="region", cvr="", name=f"Region {n}")
        NeedShare.objects.create(need=need, organisation=organisation, citizens=10, sites=1)
    client.force_login(vejle_admin)
    with django_assert_max_num_queries(16):
        response = client.get(need.get_absolute_url())
    assert len(response.context["shares"]) == joiners
    with django_assert_max_num_queries(16):
        response = client.get(reverse("matchmaking:need_list"))
    assert f"Shared by {joiners} more" in response.content.decode()


# --- organisations merged ------------------------------------------------------------------------
def test_merging_two_organisations_that_joined_the_same_need_keeps_one_share(
    need, odense, vejle, vejle_admin, network_admin
):
    from network.merge import organisation_merge

    twin = kommune("Kolding")
    twin_admin = person_with_login(twin, "admin", "admin@kolding.example")
    sharing.need_join(need=need, organisation=vejle, user=vejle_admin, citizens=10)
    sharing.need_join(need=need, organisation=twin, user=twin_admin, citizens=20)
    organisation_merge(kept=vejle, removed=twin, user=network_admin)
    share = NeedShare.objects.get(need=need)
    assert (share.organisation, share.citizens) == (vejle, 10)


def test_merging_a_joiner_into_the_owner_drops_the_share(
    need, odense, vejle, vejle_admin, network_admin
):
    from network.merge import organisation_merge

    sharing.need_join(need=need, organisation=vejle, user=vejle_admin)
    organisation_merge(kept=odense, removed=vejle, user=network_admin)
    assert not NeedShare.objects.exists()


def test_a_merged_need_cannot_be_reopened(client, need, twin, vejle_admin, network_admin):
    sharing.need_merge(kept=need, removed=twin, user=network_admin)
    client.force_login(vejle_admin)
    url = reverse("matchmaking:need_set_status", args=[twin.pk])
    response = client.post(url, {"action": "reopen"}, follow=True)
    assert "merged into another" in response.content.decode()
    twin.refresh_from_db()
    assert twin.status == "closed"


# --- a network admin joins for any municipality, region or hospital: by searching ---------------
def join_organisations_url(need, q):
    return reverse("matchmaking:need_join_organisations", args=[need.pk]) + f"?q={q}"


def hospitals(n):
    """`n` hospitals with two people each: the join page must not list any of them."""
    made = [
        OrganisationFactory(kind="hospital", cvr="", name=f"Hospital {i:03d}") for i in range(n)
    ]
    for i, organisation in enumerate(made):
        person_with_login(organisation, "member", f"a{i}@hospital.example")
        person_with_login(organisation, "member", f"b{i}@hospital.example")
    return made


@pytest.mark.parametrize("n", [3, 30])
def test_network_admins_join_page_searches_and_queries_do_not_grow(
    client, need, n, network_admin, django_assert_max_num_queries
):
    made = hospitals(n)
    client.force_login(network_admin)
    client.get(join_url(need))  # the session and the language settle
    with django_assert_max_num_queries(5):  # the user, the need, the menus
        page = client.get(join_url(need)).content.decode()
    assert 'id="join-q"' in page
    assert "Hospital 000" not in page
    assert "@hospital.example" not in page
    with django_assert_max_num_queries(6):  # and the first 21 found
        found = client.get(join_url(need) + "?q=hospital").content.decode()
    assert found.count("?organisation=") == min(n, 20)
    assert ("Only the first 20 are shown" in found) == (n > 20)
    with django_assert_max_num_queries(3):  # the user, the need, the first 21 found
        live = client.get(join_organisations_url(need, "hospital"), HTTP_HX_REQUEST="true")
    assert live.content.decode().count("?organisation=") == min(n, 20)
    assert "<html" not in live.content.decode()
    with django_assert_max_num_queries(7):  # and the hospital, its people
        chosen = client.get(join_url(need) + f"?organisation={made[-1].pk}")
    assert f"<strong>{made[-1].name}</strong>" in chosen.content.decode()
    # Only the chosen hospital's people are offered as its contact.
    contacts = chosen.context["form"].fields["contact"].queryset
    assert {p.affiliations.get().organisation for p in contacts} == {made[-1]}
    assert len(contacts) == 2


def test_network_admin_joins_for_a_searched_organisation_without_javascript(
    client, need, vejle, vejle_member, network_admin
):
    hospitals(2)
    contact = vejle_member.person
    client.force_login(network_admin)
    found = client.get(join_url(need) + "?q=vej").content.decode()
    link = f"{join_url(need)}?organisation={vejle.pk}"
    assert link in found
    assert "Hospital" not in found
    page = client.get(link)
    assert "Vejle Kommune" in page.content.decode()
    contacts = list(page.context["form"].fields["contact"].queryset)
    assert contacts == [contact]
    response = client.post(link, join_data(vejle, contact=str(contact.pk)))
    assert response.status_code == 302
    share = NeedShare.objects.get(need=need)
    assert (share.organisation, share.contact, share.joined_by) == (vejle, contact, network_admin)


def test_network_admins_bad_choices_are_explained_and_keep_what_was_typed(
    client, need, odense, vejle, network_admin
):
    client.force_login(network_admin)
    assert "at least two letters" in client.get(join_url(need) + "?q=v").content.decode()
    for bad in ("abc", str(odense.pk), "999999"):  # not a number, the owner, no organisation
        page = client.get(join_url(need) + f"?organisation={bad}").content.decode()
        assert "That organisation cannot join this need" in page
        assert 'id="join-q"' in page
    for bad in ("", str(odense.pk), "x"):
        response = client.post(
            join_url(need),
            {**join_data(vejle, note="Three care homes at night"), "organisation": bad},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Search for the organisation that joins the need and choose it." in page
        assert "Three care homes at night" in page
        assert 'value="1200"' in page
    vejle_share = join_data(vejle, contact=str(network_admin.pk + 1000))
    response = client.post(join_url(need), vejle_share)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NeedShare.objects.exists()


def test_only_network_admins_search_organisations_to_join_for(
    client, need, vejle, vejle_admin, network_admin
):
    client.force_login(vejle_admin)
    assert client.get(join_organisations_url(need, "vej")).status_code == 403
    # An organisation's own admin still picks from the few it administers, without searching.
    page = client.get(join_url(need))
    assert 'id="join-q"' not in page.content.decode()
    assert list(page.context["form"].fields["organisation"].queryset) == [vejle]
    client.force_login(network_admin)
    assert "Vejle Kommune" in client.get(join_organisations_url(need, "vej")).content.decode()
