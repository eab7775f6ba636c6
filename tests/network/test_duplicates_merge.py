"""Merging a duplicate organisation: every row moves to the kept one, nothing is lost, the
funding report does not change, history stays, and impossible merges are refused."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from clusters.models import Membership
from matchmaking.models import Match
from matchmaking.models_introductions import Feedback, Introduction
from network.merge import MergeError, merge_plan, organisation_merge, organisation_relations
from network.models import Affiliation, Organisation, OrganisationMerge
from projects.models import ActivityParticipant, Contribution, ProjectPartner
from projects.reports import build_report
from tests.clusters.factories import active_membership, application, valid_orgnr
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
from tests.projects.factories import (
    ActivityFactory,
    ContributionFactory,
    ParticipantFactory,
    PartnerFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
PERIOD = {"start": date(2025, 1, 1), "end": date(2026, 12, 31)}


def _introduction(match, target):
    return Introduction.objects.create(
        match=match,
        source=match.source,
        target_organisation=target,
        message="Vi vil gerne vise jer vores sensor.",
        expires_at=timezone.now() + timedelta(days=14),
    )


def _figures():
    return {key: figure.number for key, figure in build_report(**PERIOD).figures.items()}


def _rows_pointing_at(pk):
    left = {}
    for relation in organisation_relations():
        n = relation.model._base_manager.filter(**{relation.field.attname: pk}).count()
        if n:
            left[relation.key] = n
    return left


@pytest.fixture
def pair():
    odense = municipality("Odense")
    kept = OrganisationFactory(name="Faldsikker ApS", municipality=odense, website="")
    removed = OrganisationFactory(
        name="Faldsikker A/S", municipality=odense, cvr="", website="https://faldsikker.example"
    )
    return kept, removed


def test_a_merge_moves_every_row_and_keeps_the_report_figures(pair):
    kept, removed = pair
    cluster = ClusterFactory()
    active_membership(cluster, organisation=kept)
    applied = application(cluster, organisation=removed)
    other_cluster = ClusterFactory()
    moved_membership = application(other_cluster, organisation=removed)
    kommune = OrganisationFactory(kind="municipality", cvr="")
    match = MatchFactory(source=removed, need=NeedFactory(owner=kommune))
    introduction = _introduction(match, kommune)
    project = ProjectFactory(lead_cluster=cluster, origin_introduction=introduction)
    PartnerFactory(project=project, organisation=removed, role="lead")
    PartnerFactory(project=project, organisation=kommune)
    contribution = ContributionFactory(project=project, organisation=removed, cash=5000)
    activity = ActivityFactory(cluster=cluster)
    ParticipantFactory(activity=activity, organisation=removed, people=2)
    ContributionFactory(project=None, activity=activity, organisation=removed)
    removed.focus_areas.set([focus_area("health-data")])
    removed.tags.set([TagFactory(slug="sensor", name="sensor")])
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=removed, role="admin")
    staff_user = UserFactory(is_network_admin=True)
    history_before = Membership.history.count()
    before = _figures()

    record = organisation_merge(kept=kept, removed=removed, user=staff_user)

    assert not Organisation.objects.filter(pk=removed.pk).exists()
    assert _rows_pointing_at(removed.pk) == {}
    assert _figures() == before
    # Everything is the kept organisation's now.
    assert Membership.objects.get(pk=moved_membership.pk).organisation == kept
    assert Match.objects.get(pk=match.pk).source == kept
    assert Introduction.objects.get(pk=introduction.pk).source == kept
    assert ProjectPartner.objects.get(project=project, organisation=kept).role == "lead"
    assert Contribution.objects.get(pk=contribution.pk).organisation == kept
    assert ActivityParticipant.objects.get(activity=activity).organisation == kept
    assert list(kept.focus_areas.values_list("slug", flat=True)) == ["health-data"]
    assert list(kept.tags.values_list("slug", flat=True)) == ["sensor"]
    assert Affiliation.objects.get(person=person).organisation == kept
    # The kept organisation's active membership stays; the application's history is kept.
    (membership,) = Membership.objects.filter(organisation=kept, cluster=cluster)
    assert membership.status == "active"
    assert Membership.history.filter(id=membership.pk, status="applied").exists()
    assert Membership.history.count() >= history_before
    assert not Membership.history.filter(organisation_id=removed.pk).exists()
    assert not Membership.objects.filter(pk=applied.pk).exists()
    # Empty fields were filled from the removed profile; the merge is on record.
    kept.refresh_from_db()
    assert kept.website == "https://faldsikker.example"
    assert record == OrganisationMerge.objects.get()
    assert (record.kept, record.removed_name, record.merged_by) == (
        kept,
        "Faldsikker A/S",
        staff_user,
    )
    assert record.moved["projects.Contribution.organisation"] == 2
    assert record.moved["clusters.Membership combined"] == 1


def test_both_at_one_activity_keeps_the_people_and_counts_the_sme_once(pair):
    kept, removed = pair
    activity = ActivityFactory(cluster=ClusterFactory())
    ParticipantFactory(activity=activity, organisation=removed, people=2)
    ParticipantFactory(activity=activity, organisation=kept, people=3)
    before = _figures()

    organisation_merge(kept=kept, removed=removed, user=None)

    assert ActivityParticipant.objects.get(activity=activity).people == 5
    after = _figures()
    assert after["participants"] == before["participants"] == 5
    # The one figure that changes: the same SME had been counted twice.
    assert (before["smes_engaged"], after["smes_engaged"]) == (2, 1)
    assert {k: v for k, v in after.items() if k != "smes_engaged"} == {
        k: v for k, v in before.items() if k != "smes_engaged"
    }


def test_the_removed_identifier_is_kept_when_the_kept_organisation_has_none():
    odense = municipality("Odense")
    kept = OrganisationFactory(name="Faldsikker", municipality=odense, cvr="")
    removed = OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    number = removed.cvr

    record = organisation_merge(kept=kept, removed=removed, user=None)

    kept.refresh_from_db()
    assert kept.cvr == number
    assert record.removed_identifier == number


def test_two_matches_for_one_target_keep_the_higher_score_and_the_introductions(pair):
    kept, removed = pair
    kommune = OrganisationFactory(kind="municipality", cvr="")
    need = NeedFactory(owner=kommune)
    mine = MatchFactory(source=kept, need=need, score=0.4, status="suggested")
    theirs = MatchFactory(source=removed, need=need, score=0.7, status="suggested")
    introduction = _introduction(mine, kommune)
    Match.objects.filter(pk=mine.pk).update(status="requested")

    organisation_merge(kept=kept, removed=removed, user=None)

    (match,) = Match.objects.filter(source=kept)
    assert match.pk == theirs.pk
    assert match.score == 0.7
    assert match.status == "requested"
    assert Introduction.objects.get(pk=introduction.pk).match == match


def test_an_active_membership_wins_over_the_kept_organisations_application(pair):
    kept, removed = pair
    cluster = ClusterFactory()
    application(cluster, organisation=kept)
    active = active_membership(cluster, organisation=removed)

    organisation_merge(kept=kept, removed=removed, user=None)

    (membership,) = Membership.objects.filter(organisation=kept)
    assert membership.pk == active.pk
    assert membership.status == "active"
    assert Membership.history.filter(id=active.pk, status="applied").exists()


def test_organisations_in_different_countries_cannot_be_merged():
    danish = OrganisationFactory(name="Helse ApS")
    norwegian = OrganisationFactory(
        name="Helse AS", country="NO", cvr="", orgnr=valid_orgnr(1), municipality=None
    )
    # The reason is read in English, whatever language an earlier test left active.
    with translation.override("en"), pytest.raises(MergeError, match="different countries"):
        merge_plan(kept=danish, removed=norwegian)
    with translation.override("en"), pytest.raises(MergeError, match="different countries"):
        organisation_merge(kept=danish, removed=norwegian, user=None)
    assert Organisation.objects.filter(pk=norwegian.pk).exists()


def test_an_organisation_cannot_be_merged_into_itself(pair):
    kept, _removed = pair
    with pytest.raises(MergeError):
        organisation_merge(kept=kept, removed=kept, user=None)


def test_an_introduction_between_the_two_refuses_the_merge_and_changes_nothing(pair):
    kept, removed = pair
    kept.kind = "municipality"
    kept.save()
    match = MatchFactory(source=removed, need=NeedFactory(owner=kept))
    _introduction(match, kept)
    cluster = ClusterFactory()
    moved = application(cluster, organisation=removed)

    with translation.override("en"), pytest.raises(MergeError, match="introduction"):
        organisation_merge(kept=kept, removed=removed, user=None)

    assert Membership.objects.get(pk=moved.pk).organisation == removed
    assert not OrganisationMerge.objects.exists()


def test_the_plan_lists_what_will_move_and_what_is_combined(pair):
    kept, removed = pair
    cluster = ClusterFactory()
    active_membership(cluster, organisation=kept)
    application(cluster, organisation=removed)
    application(ClusterFactory(), organisation=removed)
    ContributionFactory(organisation=removed)

    with translation.override("en"):
        lines = merge_plan(kept=kept, removed=removed)
    plan = {label: (rows, shared) for label, rows, shared in lines}

    assert plan["memberships"] == (2, 1)
    assert plan["contributions"] == (1, 0)


def test_shared_focus_areas_people_and_ratings_are_combined_not_duplicated(pair):
    kept, removed = pair
    kept.focus_areas.set([focus_area("health-data")])
    removed.focus_areas.set([focus_area("health-data"), focus_area("prevention-predictive-health")])
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=kept, role="member")
    AffiliationFactory(person=person, organisation=removed, role="admin", is_primary_contact=True)
    need = NeedFactory()
    older = Feedback.objects.create(
        source=kept, target_type="need", target_id=need.pk, organisation=kept, kind="useful"
    )
    newer = Feedback.objects.create(
        source=removed,
        target_type="need",
        target_id=need.pk,
        organisation=removed,
        kind="not_relevant",
    )
    NeedFactory(owner=kept, reference="J-1")
    renamed = NeedFactory(owner=removed, reference="J-1")

    organisation_merge(kept=kept, removed=removed, user=None)

    assert sorted(kept.focus_areas.values_list("slug", flat=True)) == [
        "health-data",
        "prevention-predictive-health",
    ]
    (affiliation,) = Affiliation.objects.filter(person=person)
    assert (affiliation.organisation, affiliation.role, affiliation.is_primary_contact) == (
        kept,
        "admin",
        True,
    )
    assert list(Feedback.objects.values_list("pk", flat=True)) == [newer.pk]
    assert not Feedback.objects.filter(pk=older.pk).exists()
    renamed.refresh_from_db()
    assert (renamed.owner, renamed.reference) == (kept, f"J-1-{renamed.pk}")


def test_introduction_history_follows_the_kept_organisation(pair):
    kept, removed = pair
    kommune = OrganisationFactory(kind="municipality", cvr="")
    introduction = _introduction(
        MatchFactory(source=removed, need=NeedFactory(owner=kommune)), kommune
    )
    introduction.status = "accepted"
    introduction.save()
    assert introduction.history.count() == 2

    organisation_merge(kept=kept, removed=removed, user=None)

    assert introduction.history.count() == 2
    assert set(introduction.history.values_list("source_id", flat=True)) == {kept.pk}


def test_the_removed_profiles_address_leads_to_the_kept_one(client, pair):
    kept, removed = pair
    old_url = removed.get_absolute_url()

    organisation_merge(kept=kept, removed=removed, user=None)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()
    assert client.get("/organisations/never-existed/").status_code == 404


def test_the_old_address_of_a_private_profile_stays_not_found(client, pair):
    kept, removed = pair
    Organisation.objects.filter(pk=kept.pk).update(is_public=False)
    old_url = removed.get_absolute_url()

    organisation_merge(kept=kept, removed=removed, user=None)

    assert client.get(old_url).status_code == 404


def test_both_partners_in_one_project_leave_one_partner_with_the_lead_role(pair):
    kept, removed = pair
    project = ProjectFactory()
    PartnerFactory(project=project, organisation=kept, role="partner")
    PartnerFactory(project=project, organisation=removed, role="lead")

    organisation_merge(kept=kept, removed=removed, user=None)

    (partner,) = ProjectPartner.objects.filter(project=project)
    assert (partner.organisation, partner.role) == (kept, "lead")


def test_a_collision_no_rule_knows_refuses_the_merge_instead_of_losing_a_row(pair, monkeypatch):
    from network import hooks

    kept, removed = pair
    rules = {k: v for k, v in hooks.merge_rules.items() if k != "projects.ProjectPartner"}
    monkeypatch.setattr(hooks, "merge_rules", rules)
    project = ProjectFactory()
    PartnerFactory(project=project, organisation=kept)
    PartnerFactory(project=project, organisation=removed)

    with pytest.raises(MergeError):
        organisation_merge(kept=kept, removed=removed, user=None)

    assert ProjectPartner.objects.filter(project=project).count() == 2
    assert Organisation.objects.filter(pk=removed.pk).exists()


@pytest.mark.parametrize("module", ["merge.py", "duplicates.py", "hooks.py"])
def test_the_merge_in_network_imports_none_of_the_apps_above_it(module):
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[2] / "network" / module).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"clusters", "matchmaking", "projects"}
