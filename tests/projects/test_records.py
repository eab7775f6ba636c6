"""Recording projects, partners, activities, participants, contributions and budgets."""

import datetime

import pytest
from django.urls import reverse

from matchmaking.models import Match
from projects.models import Activity, Budget, Contribution, Project, ProjectPartner
from tests.factories import ClusterStaffFactory, OrganisationFactory
from tests.language import danish
from tests.matchmaking.introduction_data import make_world
from tests.projects.factories import (
    ActivityFactory,
    ContributionFactory,
    ParticipantFactory,
    PartnerFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, project):
    for url in (
        reverse("projects:project_list"),
        reverse("projects:project_detail", args=[project.pk]),
        reverse("projects:project_create"),
        reverse("projects:activity_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_outsiders_and_staff_of_other_clusters_do_not_find_a_project(
    client, project, outsider, other_staff
):
    for user in (outsider, other_staff):
        client.force_login(user)
        assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
        assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 404
        listing = client.get(reverse("projects:project_list"))
        assert project.title not in listing.content.decode()


def test_partners_read_but_do_not_edit(client, project, partner_user):
    client.force_login(partner_user)
    page = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert project.title in page.content.decode()
    assert danish("Edit project") not in page.content.decode()
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 403
    response = client.post(
        reverse("projects:partner_add", args=[project.pk]),
        {"organisation": OrganisationFactory().pk, "role": "partner"},
    )
    assert response.status_code == 403
    assert client.get(reverse("projects:project_create")).status_code == 403


def test_staff_create_a_project_and_see_it_in_the_list(client, cluster, staff):
    client.force_login(staff)
    response = client.post(
        reverse("projects:project_create"),
        {
            "title": "Sensorer mod fald",
            "description": "Pilot i to plejecentre.",
            "lead_cluster": cluster.pk,
            "status": "running",
            "start": "2025-02-01",
            "end": "2026-01-31",
        },
    )
    project = Project.objects.get(title="Sensorer mod fald")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.created_by == staff
    listing = client.get(reverse("projects:project_list"))
    assert "Sensorer mod fald" in listing.content.decode()


def test_bad_project_input_is_explained_and_kept(client, cluster, staff):
    client.force_login(staff)
    response = client.post(
        reverse("projects:project_create"),
        {
            "title": "Sensorer mod fald",
            "lead_cluster": cluster.pk,
            "status": "running",
            "start": "2025-02-01",
            "end": "2024-01-31",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert danish("The project cannot end before it starts.") in body
    assert 'value="Sensorer mod fald"' in body
    assert not Project.objects.exists()


def test_staff_cannot_lead_a_project_from_another_cluster(client, staff, other_cluster):
    client.force_login(staff)
    response = client.post(
        reverse("projects:project_create"),
        {"title": "X", "lead_cluster": other_cluster.pk, "status": "idea"},
    )
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_a_project_from_an_agreed_introduction_moves_the_match_and_adds_partners(client):
    world = make_world(status="accepted")
    from matchmaking.models_introductions import Introduction

    introduction = Introduction.objects.create(
        match=world.match,
        source=world.sme,
        target_organisation=world.municipality,
        message="Vi vil gerne teste hos jer.",
        status="met",
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    client.force_login(world.staff)
    url = reverse("projects:project_create") + f"?introduction={introduction.pk}"
    form_page = client.get(url)
    assert "Faldvagt ApS" in form_page.content.decode()
    response = client.post(
        url,
        {
            "title": "Faldvagt på Ærtebjerghave",
            "lead_cluster": world.cluster.pk,
            "status": "running",
            "start": "2025-06-01",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.origin_introduction == introduction
    assert set(project.partners.values_list("organisation__name", "role")) == {
        ("Faldvagt ApS", "lead"),
        ("Odense Kommune", "partner"),
    }
    assert Match.objects.get(pk=world.match.pk).status == "project_started"


def test_an_unanswered_introduction_cannot_start_a_project(client):
    world = make_world(status="requested")
    from matchmaking.models_introductions import Introduction

    introduction = Introduction.objects.create(
        match=world.match,
        source=world.sme,
        target_organisation=world.municipality,
        message="Hej",
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    client.force_login(world.staff)
    url = reverse("projects:project_create") + f"?introduction={introduction.pk}"
    assert client.get(url).status_code == 404


def test_partner_add_and_remove(client, project, staff):
    client.force_login(staff)
    organisation = OrganisationFactory(name="SDU", kind="university", cvr="")
    url = reverse("projects:partner_add", args=[project.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"organisation": organisation.pk, "role": "knowledge"})
    partner = ProjectPartner.objects.get(project=project, organisation=organisation)
    # The same organisation twice: a message, nothing added.
    response = client.post(url, {"organisation": organisation.pk, "role": "partner"}, follow=True)
    assert danish("This organisation is already a partner.") in response.content.decode()
    assert ProjectPartner.objects.filter(project=project).count() == 1
    # A partner with contributions stays until they are removed.
    ContributionFactory(project=project, organisation=organisation)
    remove = reverse("projects:partner_remove", args=[project.pk, partner.pk])
    response = client.post(remove, follow=True)
    refusal = danish("This partner has recorded contributions; remove those first.")
    assert refusal in response.content.decode()
    Contribution.objects.all().delete()
    client.post(remove)
    assert not ProjectPartner.objects.filter(pk=partner.pk).exists()


def test_contributions_only_from_partners_and_never_negative(client, project, staff):
    client.force_login(staff)
    partner = PartnerFactory(project=project).organisation
    stranger = OrganisationFactory()
    url = reverse("projects:project_contribution", args=[project.pk])
    base = {"date": "2025-05-01", "hours": "10", "hourly_rate": "750", "cash": "0"}
    response = client.post(url, {**base, "organisation": stranger.pk, "funding_source": "private"})
    assert response.status_code == 200
    response = client.post(
        url, {**base, "organisation": partner.pk, "funding_source": "private", "hours": "-1"}
    )
    assert response.status_code == 200
    response = client.post(
        url, {**base, "organisation": partner.pk, "funding_source": "private", "hours": "0"}
    )
    assert danish("Enter in-kind hours, cash or both.") in response.content.decode()
    response = client.post(url, {**base, "organisation": partner.pk, "funding_source": "private"})
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.in_kind_value == 7500
    page = client.get(project.get_absolute_url()).content.decode()
    assert "7500,00" in page  # Danish is the default language


def test_contribution_delete_needs_staff_and_post(client, project, staff, partner_user):
    contribution = ContributionFactory(project=project)
    url = reverse("projects:contribution_delete", args=[contribution.pk])
    client.force_login(partner_user)
    assert client.post(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Contribution.objects.exists()


def test_project_list_filters_and_constant_queries(
    client, cluster, staff, django_assert_max_num_queries
):
    university = OrganisationFactory(kind="university", cvr="")
    with_university = ProjectFactory(lead_cluster=cluster, title="Med universitet")
    PartnerFactory(project=with_university, organisation=university)
    ProjectFactory(lead_cluster=cluster, title="Idé uden partnere", status="idea")
    client.force_login(staff)
    body = client.get(reverse("projects:project_list"), {"partner_kind": "university"})
    assert "Med universitet" in body.content.decode()
    assert "Idé uden partnere" not in body.content.decode()
    body = client.get(reverse("projects:project_list"), {"status": "idea"}).content.decode()
    assert "Idé uden partnere" in body
    assert "Med universitet" not in body

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("projects:project_list")).status_code == 200
        return len(ctx.captured_queries)

    short = count()
    for _n in range(30):
        project = ProjectFactory(lead_cluster=cluster)
        PartnerFactory(project=project)
    with django_assert_max_num_queries(short):
        client.get(reverse("projects:project_list"))


def test_activities_participants_and_contributions(client, cluster, staff, outsider):
    client.force_login(staff)
    response = client.post(
        reverse("projects:activity_create"),
        {
            "title": "Brugerpanel om fald",
            "kind": "user_panel",
            "date": "2025-09-10",
            "cluster": cluster.pk,
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    hospital = OrganisationFactory(name="OUH", kind="hospital", cvr="")
    add = reverse("projects:participant_add", args=[activity.pk])
    client.post(add, {"organisation": hospital.pk, "people": 3})
    client.post(add, {"kind": "other", "people": 12})
    response = client.post(add, {"people": 2}, follow=True)
    explanation = danish("Choose an organisation or the kind of participants.")
    assert explanation in response.content.decode()
    assert sorted(activity.participants.values_list("kind", "people")) == [
        ("hospital", 3),
        ("other", 12),
    ]
    listing = client.get(reverse("projects:activity_list")).content.decode()
    assert "Brugerpanel om fald" in listing
    client.force_login(outsider)
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.post(add, {"kind": "other", "people": 1}).status_code == 404


def test_participants_read_an_activity_but_do_not_edit_it(client, cluster):
    from tests.conftest import person_with_login

    participant = ParticipantFactory(activity=ActivityFactory(cluster=cluster))
    user = person_with_login(participant.organisation, "admin", "p@example.com")
    client.force_login(user)
    assert client.get(participant.activity.get_absolute_url()).status_code == 200
    edit = reverse("projects:activity_edit", args=[participant.activity.pk])
    assert client.get(edit).status_code == 403


def test_activity_list_constant_queries(client, cluster, staff, django_assert_max_num_queries):
    client.force_login(staff)
    ParticipantFactory(activity=ActivityFactory(cluster=cluster))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("projects:activity_list"))
    for _ in range(30):
        ParticipantFactory(activity=ActivityFactory(cluster=cluster), people=4)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(reverse("projects:activity_list"))


def test_budgets_belong_to_managers(client, cluster, staff, manager, other_staff):
    url = reverse("projects:budget_create", args=[cluster.slug])
    data = {
        "funding_source": "ministry",
        "period_start": "2025-01-01",
        "period_end": "2026-12-31",
        "amount": "7000000",
    }
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    client.force_login(staff)  # a coordinator reads budgets, managers set them
    assert client.get(reverse("projects:budget_list", args=[cluster.slug])).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(manager)
    assert client.post(url, {**data, "period_end": "2024-01-01"}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert Budget.objects.get().amount == 7000000


def test_network_admins_edit_any_project(client, project, network_admin):
    client.force_login(network_admin)
    url = reverse("projects:project_edit", args=[project.pk])
    response = client.post(
        url,
        {
            "title": "Nyt navn",
            "lead_cluster": project.lead_cluster.pk,
            "status": "completed",
            "start": "2025-03-01",
            "end": "2025-12-31",
            "outcome": "Indkøbt af to kommuner.",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.status) == ("Nyt navn", "completed")


def test_coordinator_of_lead_cluster_edits(client, project, cluster):
    coordinator = ClusterStaffFactory(cluster=cluster, role="coordinator").user
    client.force_login(coordinator)
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 200
