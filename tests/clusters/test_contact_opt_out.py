"""A contact person without a login stops every email to their address from a link in the email,
without signing in (issue 24): every sender honours it, a re-import of the same person does not
undo it, cluster staff see it with its log and can lift it (or record one) at the person's
request, and the person can lift it again."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from clusters import services, tasks
from clusters.models import Membership
from network import notifications, optouts
from network.models.notifications import EmailOptOut, EmailOptOutEvent
from tests.clusters.factories import active_membership, csv_upload, org_admin, valid_cvr
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
CONTACT = "kontakt@medlem.example"


def at(day: date, hour: int = 6, minute: int = 30):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH), tick=False
    )


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def ending(cluster, basic):
    """Period 2025-06-01 .. 2026-05-31; an admin with a login and a contact without one."""
    cluster.grace_days = 30
    cluster.save()
    organisation = OrganisationFactory(name="Medlem 1 ApS", cvr=valid_cvr(1), language="en")
    contact = PersonFactory(email=CONTACT, first_name="Kim", last_name="Berg")
    membership = active_membership(
        cluster, organisation=organisation, tier=basic, start=date(2025, 6, 1)
    )
    membership.primary_contact = contact
    membership.save()
    org_admin(organisation, email="admin@medlem.example", language="en")
    return membership


def remind(day: date, callbacks) -> int:
    with at(day), callbacks(execute=True):
        return tasks.send_membership_reminders.delay().get()


def detail_url(membership) -> str:
    return reverse("clusters:membership_detail", args=[membership.cluster.slug, membership.pk])


# --- The link in the email ---------------------------------------------------------------------
def test_the_contact_stops_reminders_from_the_link_without_signing_in(
    ending, django_capture_on_commit_callbacks
):
    assert remind(date(2026, 4, 1), django_capture_on_commit_callbacks) == 2
    [email] = to(CONTACT)
    assert "You need no login to stop it." in email.body
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.split("/stop-emails/")[1] in email.body  # the same link in the footer
    path = "/stop-emails/" + url.split("/stop-emails/")[1]

    anonymous = Client()
    page = anonymous.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    assert "Do you want to stop all emails from the portal to kontakt@medlem.example?" in (
        page.content.decode()
    )
    assert not EmailOptOut.objects.exists()
    done = anonymous.post(path, {"action": "stop"})
    assert done.status_code == 200
    assert "The portal sends no emails to kontakt@medlem.example" in done.content.decode()
    [event] = EmailOptOutEvent.objects.all()
    assert (event.address, event.action, event.via, event.actor) == (
        CONTACT,
        "opted_out",
        "email_link",
        None,
    )
    # The 14-day reminder reaches the admin only; a second click changes nothing.
    assert remind(date(2026, 5, 17), django_capture_on_commit_callbacks) == 1
    assert len(to(CONTACT)) == 1
    assert len(to("admin@medlem.example")) == 2
    anonymous.post(path, {"action": "stop"})
    assert EmailOptOutEvent.objects.count() == 1


def test_a_mail_programs_one_click_post_stops_the_emails(
    ending, django_capture_on_commit_callbacks
):
    remind(date(2026, 4, 1), django_capture_on_commit_callbacks)
    [email] = to(CONTACT)
    path = (
        "/stop-emails/"
        + email.extra_headers["List-Unsubscribe"].strip("<>").split("/stop-emails/")[1]
    )
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert optouts.is_opted_out("KONTAKT@medlem.example ")
    assert EmailOptOutEvent.objects.get().via == "one_click"


def test_the_contact_can_have_the_emails_again(ending, django_capture_on_commit_callbacks):
    optouts.opt_out(address=CONTACT, via="email_link")
    path = reverse("email_opt_out", args=[optouts.address_token(CONTACT)])
    page = Client().get(path).content.decode()
    assert "Email me again" in page
    response = Client().post(path, {"action": "resume"})
    assert "The portal emails kontakt@medlem.example again." in response.content.decode()
    assert not optouts.is_opted_out(CONTACT)
    assert [e.action for e in EmailOptOutEvent.objects.order_by("at", "pk")] == [
        "opted_out",
        "resumed",
    ]
    assert remind(date(2026, 4, 1), django_capture_on_commit_callbacks) == 2
    assert len(to(CONTACT)) == 1


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a@b.example",
        "eyJhIjoia29udGFrdEBtZWRsZW0uZXhhbXBsZSJ9:1:forged",
    ],
)
def test_a_made_up_or_altered_link_changes_nothing(ending, token):
    response = Client().post(reverse("email_opt_out", args=[token]), {"action": "stop"})
    assert response.status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_login_unsubscribe_token_is_not_an_address_token(ending):
    admin = ending.organisation.affiliations.get(role="admin").person.user
    token = notifications.unsubscribe_token(admin)
    response = Client().post(reverse("email_opt_out", args=[token]), {"action": "stop"})
    assert response.status_code == 404


# --- Every sender honours it -------------------------------------------------------------------
def test_status_emails_skip_an_opted_out_contact_and_carry_the_link_otherwise(
    ending, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_lapse(membership=ending, actor=manager, reason="Ikke betalt.")
    [email] = to(CONTACT)
    assert "/stop-emails/" in email.body
    assert "List-Unsubscribe" in email.extra_headers
    optouts.opt_out(address=CONTACT, via="email_link")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_renew(membership=ending, actor=manager)
    assert len(to(CONTACT)) == 1
    assert len(to("admin@medlem.example")) == 2


def test_an_email_queued_before_the_opt_out_is_not_sent(ending):
    tasks.deliver_email.delay({"to": CONTACT, "subject": "S", "body": "B", "stop_url": "x"})
    assert len(to(CONTACT)) == 1
    optouts.opt_out(address=CONTACT.upper(), via="email_link")
    tasks.deliver_email.delay({"to": CONTACT, "subject": "S", "body": "B", "stop_url": "x"})
    assert len(to(CONTACT)) == 1


def test_a_login_with_the_address_gets_no_email_until_it_lifts_the_opt_out(ending, client):
    user = org_admin(ending.organisation, email=CONTACT, language="en")
    optouts.opt_out(address=CONTACT, via="email_link")
    note = notifications.Notification.objects.create(user=user, kind="membership_x", title="T")
    assert notifications.notification_email_deliver(notification_id=note.pk) is False
    client.force_login(user)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "the address asked for that with the link in an email" in page
    client.post(reverse("notification_preferences"), {"action": "resume_address"})
    assert not optouts.is_opted_out(CONTACT)
    event = EmailOptOutEvent.objects.get(action="resumed")
    assert (event.via, event.actor) == ("account", user)
    assert notifications.notification_email_deliver(notification_id=note.pk) is True


def test_no_invitation_goes_to_an_opted_out_contact(ending, manager, client):
    optouts.opt_out(address=CONTACT, via="email_link")
    affiliation = ending.organisation.affiliations.create(person=ending.primary_contact)
    client.force_login(manager)
    response = client.post(
        reverse("joining:contact_invite", args=[ending.organisation.slug, affiliation.pk]),
        {"next": detail_url(ending)},
        follow=True,
    )
    assert "asked for no emails from the portal, so no invitation was sent" in (
        response.content.decode()
    )
    assert to(CONTACT) == []


def test_a_re_import_of_the_same_person_keeps_the_opt_out(
    ending, manager, client, django_capture_on_commit_callbacks
):
    optouts.opt_out(address=CONTACT, via="email_link")
    client.force_login(manager)
    row = [
        ending.organisation.cvr,
        ending.organisation.name,
        "SMV",
        "Odense",
        "Kim Berg",
        CONTACT.upper(),  # the same person, written differently
        "",
        "Basis",
        "2025-06-01",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("clusters:import_upload", args=[ending.cluster.slug]),
            {"file": csv_upload([row])},
        )
    batch = ending.cluster.imports.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:import_commit", args=[ending.cluster.slug, batch.pk]))
    assert Membership.objects.get(pk=ending.pk).primary_contact.email.lower() == CONTACT
    assert optouts.is_opted_out(CONTACT)
    assert remind(date(2026, 4, 1), django_capture_on_commit_callbacks) == 1
    assert to(CONTACT) == []


# --- Cluster staff ------------------------------------------------------------------------------
def test_staff_see_the_opt_out_with_its_log_and_lift_it_at_the_persons_request(
    ending, coordinator, client, django_capture_on_commit_callbacks
):
    optouts.opt_out(address=CONTACT, via="email_link")
    client.force_login(coordinator)
    page = client.get(detail_url(ending)).content.decode()
    assert "No emails" in page
    assert "by the person, from the link in an email" in page
    url = reverse("clusters:membership_contact_emails", args=[ending.cluster.slug, ending.pk])
    # A note is required: the page comes back with the error and nothing changes.
    response = client.post(url, {"action": "resume", "note": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert optouts.is_opted_out(CONTACT)
    response = client.post(url, {"action": "resume", "note": "Bad om det i telefonen 3. marts"})
    assert response.status_code == 302
    assert not optouts.is_opted_out(CONTACT)
    event = EmailOptOutEvent.objects.get(action="resumed")
    assert (event.via, event.actor, event.note) == (
        "staff",
        coordinator,
        "Bad om det i telefonen 3. marts",
    )
    page = client.get(detail_url(ending)).content.decode()
    assert "Bad om det i telefonen 3. marts" in page
    assert remind(date(2026, 4, 1), django_capture_on_commit_callbacks) == 2
    # And the other way: recorded for a person who asked by letter.
    client.post(url, {"action": "stop", "note": "Brev 5. april"})
    assert optouts.is_opted_out(CONTACT)
    assert EmailOptOutEvent.objects.filter(via="staff").count() == 2


def test_only_the_clusters_staff_change_a_contacts_emails(ending, other_manager, client):
    url = reverse("clusters:membership_contact_emails", args=[ending.cluster.slug, ending.pk])
    admin = ending.organisation.affiliations.get(role="admin").person.user
    for user, expected in ((other_manager, 404), (admin, 404)):
        client.force_login(user)
        response = client.post(url, {"action": "stop", "note": "x"})
        assert response.status_code in (expected, 403)
    client.logout()
    assert client.post(url, {"action": "stop", "note": "x"}).status_code == 302  # to sign in
    assert not EmailOptOut.objects.exists()
    client.force_login(admin)
    assert client.get(url).status_code == 405


def test_the_membership_page_asks_the_same_number_of_queries_with_a_long_log(
    ending, manager, client, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(detail_url(ending))  # warm the caches
    # A log of one entry; like every write it also empties the page cache (the header), so
    # both measured visits render it anew.
    optouts.opt_out(address=CONTACT, via="staff", actor=manager, note="first")
    with django_assert_max_num_queries(40) as quiet:
        client.get(detail_url(ending))
    for n in range(6):
        optouts.opt_out(address=CONTACT, via="staff", actor=manager, note=f"n{n}")
        optouts.resume(address=CONTACT, via="staff", actor=manager, note=f"r{n}")
    optouts.opt_out(address=CONTACT, via="email_link")
    with django_assert_max_num_queries(len(quiet.captured_queries)):
        page = client.get(detail_url(ending)).content.decode()
    assert "r5" in page


# --- Personal data and the admin -----------------------------------------------------------------
def test_the_opt_out_is_in_the_persons_export_and_outlives_an_erased_account(ending):
    from network import gdpr

    user = org_admin(ending.organisation, email=CONTACT, language="en")
    optouts.opt_out(address=CONTACT, via="email_link")
    section = gdpr.personal_data_export(user)["email_opt_out"]
    assert section["opted_out_since"] is not None
    assert [e["how"] for e in section["events"]] == ["email_link"]
    gdpr.account_erase(user=user)
    assert optouts.is_opted_out(CONTACT)  # the objection stays honoured


def test_network_admins_read_the_log_in_the_admin_but_cannot_change_it(client, ending):
    from tests.factories import UserFactory

    optouts.opt_out(address=CONTACT, via="email_link")
    admin = UserFactory(is_network_admin=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:network_emailoptoutevent_changelist"))
    assert page.status_code == 200
    assert CONTACT in page.content.decode()
    assert client.get(reverse("admin:network_emailoptout_add")).status_code == 403
