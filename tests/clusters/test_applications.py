"""The organisation side: apply to one or more clusters, follow the status, withdraw."""

import pytest
from django.core import mail
from django.urls import reverse

from clusters.models import Membership
from tests.clusters.factories import (
    ClusterFactory,
    MembershipFactory,
    active_membership,
    application,
    staff,
)

pytestmark = pytest.mark.django_db

APPLY = reverse("clusters:apply")
MINE = reverse("clusters:my_applications")


class TestApply:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(APPLY)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_admin_applies_to_two_clusters(
        self,
        client,
        owner,
        organisation,
        cluster,
        other_cluster,
        django_capture_on_commit_callbacks,
    ):
        staff(cluster, email="staff@wt.example", language="en")
        client.force_login(owner)
        page = client.get(APPLY)  # the user's only organisation is chosen
        assert page.status_code == 200
        assert page.context["organisation"] == organisation
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                APPLY,
                {
                    "organisation": organisation.slug,
                    "clusters": [cluster.pk, other_cluster.pk],
                    "motivation": "Vi laver faldsensorer.",
                },
            )
        assert response.status_code == 302
        memberships = Membership.objects.filter(organisation=organisation)
        assert sorted(m.cluster.slug for m in memberships) == ["chc", "welfare-tech"]
        assert {m.status for m in memberships} == {"applied"}
        assert memberships.first().history.first().history_user == owner
        recipients = sorted(m.to[0] for m in mail.outbox)
        assert recipients.count("owner@faldsikker.example") == 2  # a receipt per cluster
        assert "staff@wt.example" in recipients  # the cluster's staff hear of it
        mine = client.get(MINE).content.decode()
        assert "Welfare Tech" in mine
        assert "Withdraw application" in mine

    def test_motivation_and_a_cluster_are_required(self, client, owner, organisation, cluster):
        client.force_login(owner)
        response = client.post(APPLY, {"organisation": organisation.slug, "motivation": ""})
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"clusters", "motivation"}
        assert not Membership.objects.exists()

    def test_clusters_already_joined_are_not_offered(self, client, owner, organisation, cluster):
        active_membership(cluster, organisation=organisation)
        other = ClusterFactory(name="Anden Klynge")
        client.force_login(owner)
        form = client.get(APPLY).context["form"]
        assert list(form.fields["clusters"].queryset) == [other]
        response = client.post(
            APPLY,
            {"organisation": organisation.slug, "clusters": [cluster.pk], "motivation": "x"},
        )
        assert "clusters" in response.context["form"].errors

    def test_a_rejected_organisation_may_apply_again(self, client, owner, organisation, cluster):
        MembershipFactory(organisation=organisation, cluster=cluster, status="rejected")
        client.force_login(owner)
        client.post(
            APPLY,
            {"organisation": organisation.slug, "clusters": [cluster.pk], "motivation": "Igen"},
        )
        membership = Membership.objects.get(organisation=organisation, cluster=cluster)
        assert (membership.status, membership.motivation) == ("applied", "Igen")

    def test_a_member_without_admin_role_is_forbidden(
        self, client, colleague, organisation, cluster
    ):
        client.force_login(colleague)
        assert client.get(APPLY, {"organisation": organisation.slug}).status_code == 403
        response = client.post(
            APPLY,
            {"organisation": organisation.slug, "clusters": [cluster.pk], "motivation": "x"},
        )
        assert response.status_code == 403
        assert not Membership.objects.exists()
        # Without an organisation named, they are told who can apply.
        assert "Only an organisation's admins" in client.get(APPLY).content.decode()

    def test_an_outsider_gets_404(self, client, outsider, organisation, cluster):
        client.force_login(outsider)
        response = client.post(
            APPLY,
            {"organisation": organisation.slug, "clusters": [cluster.pk], "motivation": "x"},
        )
        assert response.status_code == 404
        assert not Membership.objects.exists()

    def test_admin_of_several_organisations_chooses(self, client, owner, organisation):
        from tests.clusters.factories import OrganisationFactory
        from tests.factories import AffiliationFactory

        second = OrganisationFactory(name="Andet ApS")
        AffiliationFactory(person=owner.person, organisation=second, role="admin")
        client.force_login(owner)
        response = client.get(APPLY)
        assert "apply_choose" in response.templates[0].name
        assert client.get(APPLY, {"organisation": second.slug}).context["organisation"] == second

    def test_profile_links_to_apply_for_admins_only(self, client, owner, colleague, organisation):
        url = organisation.get_absolute_url()
        link = f"{APPLY}?organisation={organisation.slug}"
        client.force_login(owner)
        assert link in client.get(url).content.decode()
        client.force_login(colleague)
        assert link not in client.get(url).content.decode()

    def test_my_organisation_page_leads_to_apply_and_status(
        self, client, owner, colleague, organisation
    ):
        url = reverse("my_organisations")
        link = f"{APPLY}?organisation={organisation.slug}"
        client.force_login(owner)
        body = client.get(url).content.decode()
        assert link in body
        assert f'href="{MINE}"' in body
        client.force_login(colleague)  # sees where the applications stand, cannot apply
        body = client.get(url).content.decode()
        assert link not in body
        assert f'href="{MINE}"' in body
        assert client.get(MINE).status_code == 200

    def test_profile_leads_admins_to_the_status_page(self, client, owner, organisation):
        client.force_login(owner)
        assert f'href="{MINE}"' in client.get(organisation.get_absolute_url()).content.decode()


class TestStatusAndWithdraw:
    def test_members_of_the_organisation_see_status_and_reason(
        self, client, colleague, organisation, cluster
    ):
        MembershipFactory(
            organisation=organisation,
            cluster=cluster,
            status="rejected",
            status_reason="Kun virksomheder i Syddanmark.",
        )
        client.force_login(colleague)
        body = client.get(MINE).content.decode()
        assert "Rejected" in body
        assert "Kun virksomheder i Syddanmark." in body
        assert "Withdraw application" not in body

    def test_others_applications_are_not_shown(self, client, outsider, organisation, cluster):
        application(cluster, organisation=organisation)
        client.force_login(outsider)
        assert "Welfare Tech" not in client.get(MINE).content.decode()

    def test_admin_withdraws(self, client, owner, organisation, cluster):
        membership = application(cluster, organisation=organisation)
        client.force_login(owner)
        url = reverse("clusters:application_withdraw", args=[membership.pk])
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 302
        membership.refresh_from_db()
        assert membership.status == "withdrawn"
        assert membership.history.first().history_user == owner
        # Only an application can be withdrawn.
        assert client.post(url).status_code == 403

    def test_colleague_cannot_withdraw_and_outsider_gets_404(
        self, client, colleague, outsider, organisation, cluster
    ):
        membership = application(cluster, organisation=organisation)
        url = reverse("clusters:application_withdraw", args=[membership.pk])
        client.force_login(colleague)
        assert client.post(url).status_code == 403
        client.force_login(outsider)
        assert client.post(url).status_code == 404
        membership.refresh_from_db()
        assert membership.status == "applied"
