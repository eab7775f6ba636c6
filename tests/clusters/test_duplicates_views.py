"""The staff pages for duplicate organisations: who sees which pairs, the confirm step, the
merge and dismissing a pair."""

import pytest
from django.urls import reverse

from network.models import DuplicateDismissal, Organisation, OrganisationMerge
from tests.clusters.factories import active_membership, application, staff
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory, municipality
from tests.matchmaking.factories import MatchFactory
from tests.projects.factories import ContributionFactory

pytestmark = pytest.mark.django_db
LIST = reverse("clusters:duplicate_list")


def _merge_url(*, remove, keep):
    return reverse("clusters:duplicate_merge", kwargs={"remove": remove.pk, "keep": keep.pk})


def _dismiss_url(first, second):
    return reverse("clusters:duplicate_dismiss", args=[first.pk, second.pk])


@pytest.fixture
def cluster():
    return ClusterFactory(slug="syd")


@pytest.fixture
def pair(cluster):
    odense = municipality("Odense")
    kept = OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    removed = OrganisationFactory(name="Faldsikker A/S", municipality=odense, cvr="")
    active_membership(cluster, organisation=kept)
    return kept, removed


@pytest.fixture
def netadm():
    return UserFactory(is_network_admin=True)


def test_network_admins_see_every_pair_with_its_evidence(client, pair, netadm):
    odense = municipality("Odense")
    OrganisationFactory(name="Sovekvalitet ApS", municipality=odense)
    OrganisationFactory(name="Sovekvalitet IVS", municipality=odense)
    client.force_login(netadm)

    response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.context["pairs"]) == 2
    page = response.content.decode()
    assert "Faldsikker A/S" in page
    assert "Sovekvalitet IVS" in page


def test_cluster_staff_see_only_pairs_touching_their_cluster(client, pair, cluster):
    odense = municipality("Odense")
    OrganisationFactory(name="Sovekvalitet ApS", municipality=odense)
    OrganisationFactory(name="Sovekvalitet IVS", municipality=odense)
    client.force_login(staff(cluster))

    response = client.get(LIST)

    names = {(first.name, second.name) for _c, first, second in response.context["pairs"]}
    assert names == {("Faldsikker ApS", "Faldsikker A/S")}


def test_staff_of_an_unrelated_cluster_see_no_pair_and_get_404_for_it(client, pair):
    kept, removed = pair
    client.force_login(staff(ClusterFactory(slug="nord")))

    assert client.get(LIST).context["pairs"] == []
    assert client.get(_merge_url(remove=removed, keep=kept)).status_code == 404
    assert client.post(_merge_url(remove=removed, keep=kept)).status_code == 404
    assert client.post(_dismiss_url(kept, removed)).status_code == 404
    assert Organisation.objects.filter(pk=removed.pk).exists()
    assert not DuplicateDismissal.objects.exists()


def test_cluster_staff_cannot_merge_an_unrelated_organisation_into_their_member(
    client, pair, cluster
):
    kept, _removed = pair
    unrelated = OrganisationFactory(name="Aarhus Universitet", kind="university")
    client.force_login(staff(cluster))

    assert client.get(_merge_url(remove=unrelated, keep=kept)).status_code == 404
    assert client.post(_merge_url(remove=unrelated, keep=kept)).status_code == 404
    assert Organisation.objects.filter(pk=unrelated.pk).exists()


def test_cluster_staff_may_merge_two_of_their_own_members_even_if_not_detected(
    client, pair, cluster
):
    kept, _removed = pair
    other = OrganisationFactory(name="Helt Andet Navn ApS")
    application(cluster, organisation=other)
    client.force_login(staff(cluster))

    assert client.get(_merge_url(remove=other, keep=kept)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, pair):
    kept, removed = pair
    for response in (
        client.get(LIST),
        client.get(_merge_url(remove=removed, keep=kept)),
        client.post(_merge_url(remove=removed, keep=kept)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_members_of_the_organisations_may_not_see_or_merge(client, pair):
    from tests.clusters.factories import org_admin

    kept, removed = pair
    client.force_login(org_admin(kept))

    assert client.get(LIST).status_code == 403
    assert client.get(_merge_url(remove=removed, keep=kept)).status_code == 404
    assert client.post(_merge_url(remove=removed, keep=kept)).status_code == 404
    assert Organisation.objects.filter(pk=removed.pk).exists()


def test_the_list_has_a_fixed_number_of_queries(client, netadm, django_assert_max_num_queries):
    odense = municipality("Odense")
    cluster = ClusterFactory()
    for n in range(12):
        first = OrganisationFactory(name=f"Firma nummer {n} ApS", municipality=odense)
        second = OrganisationFactory(name=f"Firma nummer {n} A/S", municipality=odense, cvr="")
        active_membership(cluster, organisation=first)
        application(cluster, organisation=second)
        MatchFactory(source=first)
        ContributionFactory(organisation=second)
    client.force_login(netadm)
    client.get(LIST)  # warm the session and the caches

    # Session and user, the candidates (2), the organisations, their memberships, one count per
    # kind of related row (about 28 kinds, with test bookings, events and shared needs), the
    # recent merges: the same however many pairs.
    with django_assert_max_num_queries(38):
        response = client.get(LIST)
    assert len(response.context["pairs"]) >= 12


def test_the_confirm_page_shows_what_will_move_and_the_merge_happens_on_post(client, pair, cluster):
    kept, removed = pair
    application(ClusterFactory(), organisation=removed)  # another cluster: a network admin's
    application(cluster, organisation=removed)  # the kept one is an active member there
    ContributionFactory(organisation=removed)
    user = UserFactory(is_network_admin=True)
    client.force_login(user)

    confirm = client.get(_merge_url(remove=removed, keep=kept), headers={"accept-language": "en"})
    assert confirm.status_code == 200
    assert confirm.context["refused"] is None
    assert sum(count for _label, count, _shared in confirm.context["plan"]) == 3
    assert "1 of them also at Faldsikker ApS: combined" in confirm.content.decode()
    assert Organisation.objects.filter(pk=removed.pk).exists()

    response = client.post(_merge_url(remove=removed, keep=kept))

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not Organisation.objects.filter(pk=removed.pk).exists()
    assert Organisation.with_tombstones.get(pk=removed.pk).merged_into == kept
    merge = OrganisationMerge.objects.get()
    assert (merge.kept, merge.removed_name, merge.merged_by) == (kept, "Faldsikker A/S", user)


def test_a_cross_country_merge_is_refused_with_a_clear_message(client, cluster, netadm):
    from tests.clusters.factories import valid_orgnr

    danish = OrganisationFactory(name="Helse ApS")
    norwegian = OrganisationFactory(
        name="Helse AS", country="NO", cvr="", orgnr=valid_orgnr(2), municipality=None
    )
    client.force_login(netadm)

    confirm = client.get(_merge_url(remove=norwegian, keep=danish))
    assert confirm.status_code == 200
    assert confirm.context["refused"]
    assert 'data-testid="merge-refused"' in confirm.content.decode()

    response = client.post(_merge_url(remove=norwegian, keep=danish), follow=True)
    assert Organisation.objects.filter(pk=norwegian.pk).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_merging_an_organisation_into_itself_is_not_found(client, pair, netadm):
    kept, _removed = pair
    client.force_login(netadm)
    assert client.get(_merge_url(remove=kept, keep=kept)).status_code == 404


def test_a_dismissed_pair_leaves_the_list(client, pair, cluster):
    kept, removed = pair
    client.force_login(staff(cluster))

    response = client.post(_dismiss_url(removed, kept))

    assert response.status_code == 302
    assert client.get(LIST).context["pairs"] == []
    assert DuplicateDismissal.objects.count() == 1


def test_dismiss_and_merge_refuse_get_and_other_methods(client, pair, netadm):
    kept, removed = pair
    client.force_login(netadm)
    assert client.get(_dismiss_url(kept, removed)).status_code == 405
    assert client.put(_merge_url(remove=removed, keep=kept)).status_code == 405


def test_an_unforeseen_database_conflict_changes_nothing_and_says_so(
    client, pair, netadm, monkeypatch
):
    from django.db import IntegrityError

    from clusters.views import duplicates

    kept, removed = pair

    def failing_merge(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(duplicates, "organisation_merge", failing_merge)
    client.force_login(netadm)

    response = client.post(_merge_url(remove=removed, keep=kept), follow=True)

    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Organisation.objects.filter(pk=removed.pk).exists()


# --- Who may merge, a dismissed pair, and undo ----------------------------------------------------


def _undo_url(merge):
    return reverse("clusters:merge_undo", args=[merge.pk])


def test_coordinators_see_and_dismiss_pairs_but_may_not_merge(client, pair, cluster):
    kept, removed = pair
    application(cluster, organisation=removed)
    client.force_login(staff(cluster, role="coordinator"))

    assert len(client.get(LIST).context["pairs"]) == 1
    assert client.get(_merge_url(remove=removed, keep=kept)).status_code == 403
    assert client.post(_merge_url(remove=removed, keep=kept)).status_code == 403
    assert Organisation.objects.filter(pk=removed.pk).exists()
    assert client.post(_dismiss_url(removed, kept)).status_code == 302


def test_a_merge_touching_another_clusters_member_needs_a_network_admin(
    client, pair, cluster, netadm
):
    kept, removed = pair
    application(cluster, organisation=removed)
    active_membership(ClusterFactory(name="Nord"), organisation=removed)
    client.force_login(staff(cluster))

    confirm = client.get(_merge_url(remove=removed, keep=kept), headers={"accept-language": "en"})
    assert confirm.status_code == 200
    assert "also in Nord, which you do not manage" in confirm.context["refused"]
    response = client.post(_merge_url(remove=removed, keep=kept))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=removed.pk).exists()

    client.force_login(netadm)
    client.post(_merge_url(remove=removed, keep=kept))
    assert not Organisation.objects.filter(pk=removed.pk).exists()


def test_a_dismissed_pair_is_merged_only_after_a_second_confirmation(client, pair, cluster):
    kept, removed = pair
    application(cluster, organisation=removed)
    client.force_login(staff(cluster))
    client.post(_dismiss_url(removed, kept))

    confirm = client.get(_merge_url(remove=removed, keep=kept))
    assert 'data-testid="merge-dismissed"' in confirm.content.decode()
    refused = client.post(_merge_url(remove=removed, keep=kept), follow=True)
    assert any(m.level_tag == "error" for m in refused.context["messages"])
    assert Organisation.objects.filter(pk=removed.pk).exists()

    client.post(_merge_url(remove=removed, keep=kept), {"confirm_dismissed": "yes"})
    assert not Organisation.objects.filter(pk=removed.pk).exists()


def test_the_manager_who_merged_can_undo_it_and_others_cannot(client, pair, cluster, netadm):
    kept, removed = pair
    contribution = ContributionFactory(organisation=removed)
    manager = staff(cluster)
    client.force_login(manager)
    client.post(_merge_url(remove=removed, keep=kept))
    merge = OrganisationMerge.objects.get()
    assert _undo_url(merge) in client.get(LIST).content.decode()

    for someone in (staff(cluster), staff(cluster, role="coordinator"), UserFactory()):
        client.force_login(someone)
        assert client.post(_undo_url(merge)).status_code == 404
    client.logout()
    assert client.post(_undo_url(merge)).status_code == 302  # to sign in
    assert not Organisation.objects.filter(pk=removed.pk).exists()

    client.force_login(manager)
    assert client.get(_undo_url(merge)).status_code == 405
    response = client.post(_undo_url(merge), follow=True)

    assert any(m.level_tag == "success" for m in response.context["messages"])
    assert Organisation.objects.filter(pk=removed.pk).exists()
    contribution.refresh_from_db()
    assert contribution.organisation == removed
    assert _undo_url(merge) not in response.content.decode()


def test_a_refused_undo_says_what_it_cannot_restore(client, pair, cluster, netadm):
    kept, removed = pair
    application(cluster, organisation=removed)  # the kept one is an active member there
    client.force_login(netadm)
    client.post(_merge_url(remove=removed, keep=kept))
    merge = OrganisationMerge.objects.get()

    response = client.post(_undo_url(merge), follow=True, headers={"accept-language": "en"})

    message = [str(m) for m in response.context["messages"]][-1]
    assert "cannot be undone" in message
    assert "memberships (1)" in message
    assert not Organisation.objects.filter(pk=removed.pk).exists()
