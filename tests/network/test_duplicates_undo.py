"""A merge keeps the removed organisation as a hidden tombstone and can be undone for 30 days:
every row moves back in one transaction, or the undo is refused with what it cannot restore."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clusters.models import Membership
from matchmaking.models import Match
from network.duplicates import dismiss_pair, find_candidates
from network.merge import MergeError, organisation_merge, organisation_merge_undo, undo_refusal
from network.models import Affiliation, DuplicateDismissal, Organisation, OrganisationMerge
from projects.models import Contribution
from projects.reports import build_report
from tests.clusters.factories import active_membership, application
from tests.factories import (
    AffiliationFactory,
    ClusterFactory,
    OrganisationFactory,
    PersonFactory,
    TagFactory,
    UserFactory,
    focus_area,
    municipality,
)
from tests.matchmaking.factories import MatchFactory, NeedFactory
from tests.projects.factories import ContributionFactory, ProjectFactory

pytestmark = pytest.mark.django_db
PERIOD = {"start": date(2025, 1, 1), "end": date(2026, 12, 31)}


def _figures():
    return {key: figure.number for key, figure in build_report(**PERIOD).figures.items()}


@pytest.fixture
def pair():
    odense = municipality("Odense")
    kept = OrganisationFactory(name="Faldsikker ApS", municipality=odense, website="", cvr="")
    removed = OrganisationFactory(
        name="Faldsikker A/S", municipality=odense, website="https://faldsikker.example"
    )
    return kept, removed


@pytest.fixture
def netadm():
    return UserFactory(is_network_admin=True)


def test_the_removed_organisation_stays_as_a_tombstone_hidden_from_every_list(client, pair, netadm):
    kept, removed = pair
    removed_slug, number = removed.slug, removed.cvr

    organisation_merge(kept=kept, removed=removed, user=netadm)

    tombstone = Organisation.with_tombstones.get(pk=removed.pk)
    assert (tombstone.merged_into, tombstone.slug, tombstone.cvr) == (kept, removed_slug, "")
    assert tombstone.merged_at is not None
    assert not Organisation.objects.filter(pk=removed.pk).exists()
    assert Organisation.objects.get(pk=kept.pk).cvr == number
    directory = client.get(reverse("directory"), {"q": "Faldsikker"})
    assert "Faldsikker A/S" not in directory.content.decode()
    assert all(removed.pk not in (c.first_id, c.second_id) for c in find_candidates())
    client.force_login(netadm)
    assert client.get(f"/organisations/{removed_slug}/").status_code == 301


def test_undo_moves_every_row_back_and_the_report_figures_with_them(pair, netadm):
    kept, removed = pair
    number = removed.cvr
    cluster = ClusterFactory()
    membership = application(cluster, organisation=removed)
    kommune = OrganisationFactory(kind="municipality", cvr="")
    match = MatchFactory(source=removed, need=NeedFactory(owner=kommune))
    contribution = ContributionFactory(project=ProjectFactory(), organisation=removed, cash=5000)
    shared_area = focus_area("health-data")
    removed.focus_areas.set([shared_area])
    kept.focus_areas.set([shared_area])
    removed.tags.set([TagFactory(slug="sensor", name="sensor")])
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=removed, role="admin")
    other = OrganisationFactory(name="Noget andet")
    dismiss_pair(first=removed, second=other, user=netadm)
    before = _figures()
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)
    assert Membership.objects.get(pk=membership.pk).organisation == kept

    restored = organisation_merge_undo(merge=merge, user=netadm)

    assert restored.pk == removed.pk
    removed = Organisation.objects.get(pk=removed.pk)  # listed again
    assert (removed.merged_into, removed.merged_at, removed.cvr) == (None, None, number)
    assert Membership.objects.get(pk=membership.pk).organisation == removed
    assert Match.objects.get(pk=match.pk).source == removed
    assert Contribution.objects.get(pk=contribution.pk).organisation == removed
    assert Affiliation.objects.get(person=person).organisation == removed
    assert list(removed.focus_areas.all()) == [shared_area]
    assert list(kept.focus_areas.all()) == [shared_area]
    assert list(removed.tags.values_list("slug", flat=True)) == ["sensor"]
    assert not kept.tags.exists()
    # What the merge filled into the kept profile goes back, the number too.
    kept.refresh_from_db()
    assert (kept.website, kept.cvr) == ("", "")
    assert DuplicateDismissal.objects.filter(first_id=min(removed.pk, other.pk)).exists()
    assert _figures() == before
    merge.refresh_from_db()
    assert merge.undone_by == netadm
    assert merge.undone_at is not None
    with translation.override("en"):
        assert undo_refusal(merge) == "This merge has already been undone."


def test_a_field_changed_after_the_merge_is_not_blanked_by_the_undo(pair, netadm):
    kept, removed = pair
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)
    Organisation.objects.filter(pk=kept.pk).update(website="https://ny.example")

    organisation_merge_undo(merge=merge, user=netadm)

    kept.refresh_from_db()
    assert kept.website == "https://ny.example"


def test_undo_is_refused_after_thirty_days(pair, netadm):
    kept, removed = pair
    ContributionFactory(organisation=removed)
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)
    OrganisationMerge.objects.filter(pk=merge.pk).update(
        merged_at=timezone.now() - timedelta(days=31)
    )
    merge.refresh_from_db()

    with translation.override("en"), pytest.raises(MergeError, match="30 days"):
        organisation_merge_undo(merge=merge, user=netadm)

    assert Contribution.objects.get().organisation == kept
    assert not Organisation.objects.filter(pk=removed.pk).exists()


def test_undo_is_refused_with_what_the_merge_combined(pair, netadm):
    kept, removed = pair
    cluster = ClusterFactory()
    active_membership(cluster, organisation=kept)
    application(cluster, organisation=removed)
    contribution = ContributionFactory(organisation=removed)
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)

    with translation.override("en"), pytest.raises(MergeError) as refused:
        organisation_merge_undo(merge=merge, user=netadm)

    assert "cannot be separated again: memberships (1)" in str(refused.value)
    assert Contribution.objects.get(pk=contribution.pk).organisation == kept
    assert Organisation.with_tombstones.get(pk=removed.pk).merged_into == kept


def test_undo_is_refused_when_a_moved_row_was_deleted_since(pair, netadm):
    kept, removed = pair
    membership = application(ClusterFactory(), organisation=removed)
    contribution = ContributionFactory(organisation=removed)
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)
    Membership.objects.filter(pk=membership.pk).delete()

    with translation.override("en"), pytest.raises(MergeError) as refused:
        organisation_merge_undo(merge=merge, user=netadm)

    assert "deleted or moved on since" in str(refused.value)
    assert "memberships (1)" in str(refused.value)
    assert Contribution.objects.get(pk=contribution.pk).organisation == kept


def test_undo_is_refused_when_the_kept_organisation_was_merged_on(pair, netadm):
    kept, removed = pair
    third = OrganisationFactory(name="Faldsikker Holding", cvr="")
    first = organisation_merge(kept=kept, removed=removed, user=netadm)
    organisation_merge(kept=third, removed=kept, user=netadm)

    first.refresh_from_db()
    with translation.override("en"):
        assert "undo that merge first" in undo_refusal(first)


def test_a_merge_from_before_tombstones_cannot_be_undone(pair, netadm):
    kept, removed = pair
    merge = organisation_merge(kept=kept, removed=removed, user=netadm)
    OrganisationMerge.objects.filter(pk=merge.pk).update(undo_data={})
    merge.refresh_from_db()

    with translation.override("en"):
        assert "cannot be restored" in undo_refusal(merge)


def test_a_pair_dismissed_as_not_duplicates_needs_a_second_confirmation(pair, netadm):
    kept, removed = pair
    dismiss_pair(first=kept, second=removed, user=netadm)

    with translation.override("en"), pytest.raises(MergeError, match="not duplicates"):
        organisation_merge(kept=kept, removed=removed, user=netadm)
    assert Organisation.objects.filter(pk=removed.pk).exists()

    organisation_merge(kept=kept, removed=removed, user=netadm, confirm_dismissed=True)
    assert not Organisation.objects.filter(pk=removed.pk).exists()
