from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from clusters import services
from clusters.models import Membership
from tests.clusters.factories import active_membership, application, org_admin
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def bulk_url(cluster):
    return reverse("clusters:bulk_action", args=[cluster.slug])


class TestBulk:
    def test_confirm_page_lists_changes_and_skips_and_writes_nothing(
        self, client, cluster, basic, manager
    ):
        applicants = [application(cluster) for _ in range(3)]
        member = active_membership(cluster, tier=basic)
        client.force_login(manager)
        response = client.post(
            bulk_url(cluster),
            {"action": "approve", "selected": [a.pk for a in applicants] + [member.pk]},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "3 memberships will be changed." in body
        assert "Skipped: the membership is active." in body
        assert "tier Basis" in body
        assert Membership.objects.filter(status="applied").count() == 3
        # The confirm form carries only the ones that will change.
        assert body.count('name="selected"') == 3

    def test_confirm_applies_and_reports(
        self, client, cluster, basic, manager, django_capture_on_commit_callbacks
    ):
        applicants = [application(cluster) for _ in range(2)]
        for applicant in applicants:
            org_admin(applicant.organisation, language="en")
        member = active_membership(cluster, tier=basic)
        client.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                bulk_url(cluster),
                {
                    "action": "approve",
                    "selected": [a.pk for a in applicants] + [member.pk],
                    "confirm": "1",
                },
            )
        body = response.content.decode()
        assert "2 memberships were changed." in body
        assert "1 membership was skipped" in body
        for applicant in applicants:
            applicant.refresh_from_db()
            assert applicant.status == "active"
            assert applicant.tier == basic
            assert applicant.period_start == date.today()
            assert applicant.history.first().history_user == manager
        assert len(mail.outbox) == 2

    def test_renew_for_a_year_only_where_due(self, client, cluster, basic, manager):
        today = date.today()
        due = active_membership(cluster, tier=basic, start=today - timedelta(days=350))
        fresh = active_membership(cluster, tier=basic, start=today - timedelta(days=5))
        lapsed = MembershipFactory(
            cluster=cluster,
            status="lapsed",
            tier=basic,
            period_start=today - timedelta(days=800),
            period_end=today - timedelta(days=436),
        )
        client.force_login(manager)
        response = client.post(
            bulk_url(cluster),
            {"action": "renew", "selected": [due.pk, fresh.pk, lapsed.pk], "confirm": "1"},
        )
        assert "2 memberships were changed." in response.content.decode()
        due.refresh_from_db()
        fresh.refresh_from_db()
        lapsed.refresh_from_db()
        assert due.period_start > today
        assert fresh.period_start == today - timedelta(days=5)
        assert (lapsed.status, lapsed.period_start) == ("active", today)
        # A second submission (reload, double click) renews nothing twice.
        client.post(
            bulk_url(cluster),
            {"action": "renew", "selected": [due.pk, lapsed.pk], "confirm": "1"},
        )
        assert Membership.objects.get(pk=due.pk).period_start == due.period_start

    def test_mark_lapsed(self, client, cluster, manager):
        members = [active_membership(cluster) for _ in range(2)]
        client.force_login(manager)
        client.post(
            bulk_url(cluster),
            {"action": "lapse", "selected": [m.pk for m in members], "confirm": "1"},
        )
        assert set(Membership.objects.values_list("status", flat=True)) == {"lapsed"}

    def test_nothing_selected_goes_back_with_a_message(self, client, cluster, manager):
        client.force_login(manager)
        response = client.post(bulk_url(cluster), {"action": "approve"}, follow=True)
        assert "Select at least one member." in response.content.decode()

    def test_cancel_is_not_a_bulk_action(self, client, cluster, manager):
        member = active_membership(cluster)
        client.force_login(manager)
        client.post(
            bulk_url(cluster), {"action": "cancel", "selected": [member.pk], "confirm": "1"}
        )
        member.refresh_from_db()
        assert member.status == "active"

    def test_back_link_keeps_the_filters_but_not_foreign_urls(self, client, cluster, manager):
        member = active_membership(cluster)
        client.force_login(manager)
        back = reverse("clusters:member_list", args=[cluster.slug]) + "?status=active"
        response = client.post(
            bulk_url(cluster), {"action": "lapse", "selected": [member.pk], "back": back}
        )
        assert response.context["back"] == back
        response = client.post(
            bulk_url(cluster),
            {"action": "lapse", "selected": [member.pk], "back": "https://evil.example/"},
        )
        assert response.context["back"] == reverse("clusters:member_list", args=[cluster.slug])


class TestDetail:
    def test_shows_history_with_who_and_what(self, client, cluster, basic, premium, manager):
        applicant = application(cluster)
        services.membership_approve(membership=applicant, actor=manager, tier=basic)
        services.membership_update(
            membership=applicant,
            actor=manager,
            tier=premium,
            annual_fee=premium.annual_fee,
            period_start=applicant.period_start,
            period_end=applicant.period_end,
            primary_contact=None,
        )
        client.force_login(manager)
        response = client.get(applicant.get_absolute_url())
        body = response.content.decode()
        history = response.context["history"]
        assert [entry["what"] for entry in history][:2] == ["Edited", "Approved"]
        assert any(c["new"] == "Premium" for c in history[0]["changes"])
        assert history[0]["user"] == manager
        assert "Basis → Premium" in body
        assert "Vi vil gerne teste" in body  # the motivation

    def test_approve_with_tier_and_start(
        self, client, cluster, basic, premium, manager, django_capture_on_commit_callbacks
    ):
        applicant = application(cluster)
        org_admin(applicant.organisation, email="boss@ansoger.example", language="en")
        client.force_login(manager)
        url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, "approve"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"tier": premium.pk, "period_start": "2025-02-01"})
        assert response.status_code == 302
        applicant.refresh_from_db()
        assert (applicant.status, applicant.tier, applicant.period_end) == (
            "active",
            premium,
            date(2026, 1, 31),
        )
        message = mail.outbox[0]
        assert message.to == ["boss@ansoger.example"]
        assert "is now a member of Welfare Tech" in message.body
        assert "Premium" in message.body

    def test_reject_needs_a_reason_and_tells_the_organisation(
        self, client, cluster, manager, django_capture_on_commit_callbacks
    ):
        applicant = application(cluster)
        org_admin(applicant.organisation, language="da")
        client.force_login(manager)
        url = reverse("clusters:membership_action", args=[cluster.slug, applicant.pk, "reject"])
        response = client.post(url, {"reject-reason": ""})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"reject-reason": "I er ikke i vores region."})
        applicant.refresh_from_db()
        assert (applicant.status, applicant.status_reason) == (
            "rejected",
            "I er ikke i vores region.",
        )
        assert "I er ikke i vores region." in mail.outbox[0].body

    def test_email_is_in_the_recipients_language(
        self, cluster, manager, monkeypatch, django_capture_on_commit_callbacks
    ):
        from django.utils import translation

        from clusters import emails
        from network import notifications

        rendered = []
        original = emails.render_to_string
        original_message = notifications.render_message

        def spy(template, context):
            rendered.append((context["recipient"].email, translation.get_language()))
            return original(template, context)

        def spy_message(template, context, language):  # people with a login: via their inbox
            rendered.append((context["recipient"].email, language))
            return original_message(template, context, language)

        monkeypatch.setattr(emails, "render_to_string", spy)
        monkeypatch.setattr(notifications, "render_message", spy_message)
        applicant = application(cluster)
        applicant.organisation.language = "nb"
        applicant.organisation.save()
        contact = PersonFactory(email="kontakt@x.example")  # no login: the profile's language
        applicant.primary_contact = contact
        applicant.save()
        org_admin(applicant.organisation, email="en@x.example", language="en")
        org_admin(applicant.organisation, email="da@x.example", language="da")
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_reject(membership=applicant, actor=manager, reason="Nej")
        assert sorted(rendered) == [
            ("da@x.example", "da"),
            ("en@x.example", "en"),
            ("kontakt@x.example", "nb"),
        ]
        assert sorted(m.to[0] for m in mail.outbox) == [
            "da@x.example",
            "en@x.example",
            "kontakt@x.example",
        ]
        assert all("Nej" in m.body for m in mail.outbox)

    def test_edit_tier_period_and_contact(self, client, cluster, basic, premium, manager):
        member = active_membership(cluster, tier=basic)
        person = PersonFactory(first_name="Ny", last_name="Kontakt")
        from tests.factories import AffiliationFactory

        AffiliationFactory(person=person, organisation=member.organisation)
        client.force_login(manager)
        url = reverse("clusters:membership_edit", args=[cluster.slug, member.pk])
        response = client.post(
            url,
            {
                "tier": premium.pk,
                "annual_fee": "",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "primary_contact": person.pk,
            },
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.tier, member.annual_fee, member.primary_contact) == (
            premium,
            premium.annual_fee,
            person,
        )
        assert member.status == "active"
        # A person of another organisation is not a choice.
        stranger = PersonFactory()
        response = client.post(
            url,
            {
                "period_start": "2025-01-01",
                "period_end": "2024-12-31",
                "primary_contact": stranger.pk,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors.keys() >= {"primary_contact", "period_end"}

    def test_status_cannot_be_edited_directly(self, client, cluster, manager):
        member = active_membership(cluster)
        client.force_login(manager)
        url = reverse("clusters:membership_edit", args=[cluster.slug, member.pk])
        client.post(url, {"status": "cancelled", "period_start": "", "period_end": ""})
        member.refresh_from_db()
        assert member.status == "active"

    def test_add_a_contact(self, client, cluster, manager):
        member = active_membership(cluster, organisation=OrganisationFactory(name="Kontakt ApS"))
        client.force_login(manager)
        url = reverse("clusters:membership_contact_add", args=[cluster.slug, member.pk])
        response = client.post(
            url, {"first_name": "Sofie", "last_name": "Lund", "email": "sofie@kontakt.example"}
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.primary_contact.full_name == "Sofie Lund"
        assert member.organisation.people.filter(pk=member.primary_contact.pk).exists()
        assert client.post(url, {"first_name": "", "email": "nope"}).status_code == 400


class TestQueue:
    def test_lists_pending_oldest_first(self, client, cluster, manager):
        first = application(cluster, organisation=OrganisationFactory(name="Først ApS"))
        second = application(cluster, organisation=OrganisationFactory(name="Senere ApS"))
        Membership.objects.filter(pk=first.pk).update(
            applied_at=second.applied_at - timedelta(days=3)
        )
        active_membership(cluster)
        client.force_login(manager)
        response = client.get(reverse("clusters:application_queue", args=[cluster.slug]))
        assert [m.organisation.name for m in response.context["page"]] == [
            "Først ApS",
            "Senere ApS",
        ]
        assert "2 applications wait for a decision." in response.content.decode()
