"""Reminders and summaries people can rely on (issue 24), on a frozen calendar: each task run
twice at the same moment and again an hour later sends one email; members hear before their
period ends; lapse reasons read in each reader's language; membership emails follow the
person's choices and carry a working one-click unsubscribe."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clusters import tasks
from clusters.models import Membership
from clusters.reasons import reason_text
from network import notifications
from network.models import Notification
from tests.clusters.factories import active_membership, org_admin, valid_cvr
from tests.email_dates import en_date
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int = 7, minute: int = 0):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH), tick=False
    )


def twice_and_an_hour_later(task, day: date, hour: int, callbacks, **kwargs) -> list:
    """Run `task` twice at the same moment and once an hour later; what each run returned."""
    results = []
    for minute_offset in (0, 0, 60):
        with at(day, hour + minute_offset // 60), callbacks(execute=True):
            results.append(task.delay(**kwargs).get())
    return results


def member(cluster, n, *, start, tier=None, **fields):
    organisation = OrganisationFactory(name=f"Medlem {n} ApS", cvr=valid_cvr(n))
    return active_membership(cluster, organisation=organisation, tier=tier, start=start, **fields)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


# --- Finding 2: the staff digest once per Monday ------------------------------------------------
def test_the_staff_digest_goes_once_however_often_the_task_runs(
    cluster, basic, manager, django_capture_on_commit_callbacks
):
    member(cluster, 1, start=date(2025, 4, 1), tier=basic)  # ends 2026-03-31: due
    results = twice_and_an_hour_later(
        tasks.send_renewal_digests, MONDAY, 7, django_capture_on_commit_callbacks
    )
    assert results == [1, 0, 0]
    assert len(to(manager.email)) == 1
    # A late run on Tuesday is still this week's: nothing more. Next Monday: the next one.
    with at(date(2026, 3, 3)), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_digests.delay().get() == 0
    with at(date(2026, 3, 9)), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_digests.delay().get() == 1
    assert len(to(manager.email)) == 2


def test_staff_who_chose_daily_get_overnight_lapses_the_next_morning(
    cluster, basic, manager, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=manager, frequencies={"digests": "daily"})
    cluster.grace_days = 0
    cluster.save()
    member(cluster, 1, start=date(2025, 3, 4), tier=basic)  # ended 2026-03-03, lapses the 4th
    with at(date(2026, 3, 4), 2, 15), django_capture_on_commit_callbacks(execute=True):
        assert tasks.lapse_overdue_memberships.delay().get() == 1
    results = twice_and_an_hour_later(
        tasks.send_renewal_digests,
        date(2026, 3, 4),
        7,
        django_capture_on_commit_callbacks,
        frequency="daily",
    )
    assert results == [1, 0, 0]
    [digest] = to(manager.email)
    assert "Lapsed since the last summary:" in digest.body
    assert "Medlem 1 ApS" in digest.body
    # The weekly run does not send it again to a person who chose daily.
    with at(date(2026, 3, 9)), django_capture_on_commit_callbacks(execute=True):
        tasks.send_renewal_digests.delay().get()
    assert len(to(manager.email)) == 1


def test_staff_hear_of_members_profiles_about_to_go_stale(
    cluster, basic, manager, django_capture_on_commit_callbacks
):
    membership = member(cluster, 1, start=date(2025, 12, 1), tier=basic)  # nothing due
    from network.models import Organisation

    Organisation.objects.filter(pk=membership.organisation_id).update(
        confirmed_at=datetime(2025, 2, 1, tzinfo=CPH),
        stale_reminded_at=datetime(2026, 2, 20, 8, tzinfo=CPH),
    )
    with at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_digests.delay().get() == 1
    [digest] = to(manager.email)
    assert "leave matching unless their owners update or confirm them" in digest.body
    assert f"Medlem 1 ApS: by {en_date(date(2026, 3, 22))}" in digest.body  # 20 February + 30 days


def test_no_staff_digest_for_staff_who_chose_none(
    cluster, basic, manager, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=manager, frequencies={"digests": "never"})
    member(cluster, 1, start=date(2025, 4, 1), tier=basic)
    with at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        tasks.send_renewal_digests.delay().get()
    assert to(manager.email) == []


# --- Reminders to members ----------------------------------------------------------------------
@pytest.fixture
def ending(cluster, basic):
    """Period 2025-06-01 .. 2026-05-31, 30 days of grace; an admin with a login (English)."""
    cluster.grace_days = 30
    cluster.email = "kontakt@welfaretech.example"
    cluster.save()
    membership = member(cluster, 1, start=date(2025, 6, 1), tier=basic)
    org_admin(membership.organisation, email="admin@medlem.example", language="en")
    return membership


@pytest.mark.parametrize(
    ("day", "subject"),
    [
        (date(2026, 4, 1), f"Welfare Tech ends on {en_date(date(2026, 5, 31))}"),  # 60 days
        (date(2026, 5, 17), f"Welfare Tech ends on {en_date(date(2026, 5, 31))}"),  # 14 days
        (
            date(2026, 6, 1),
            f"Welfare Tech lapses on {en_date(date(2026, 7, 1))} unless it is renewed",
        ),
    ],
)
def test_members_are_reminded_before_the_end_and_in_grace_once(
    ending, day, subject, django_capture_on_commit_callbacks
):
    results = twice_and_an_hour_later(
        tasks.send_membership_reminders, day, 6, django_capture_on_commit_callbacks
    )
    assert results == [1, 0, 0]
    [email] = to("admin@medlem.example")
    assert email.subject == f"Your membership of {subject}"
    assert "List-Unsubscribe" in email.extra_headers


def test_each_stage_once_and_none_before_or_after(ending, django_capture_on_commit_callbacks):
    sent = []
    for day in (
        date(2026, 3, 31),  # 61 days before: nothing yet
        date(2026, 4, 1),  # 60 days
        date(2026, 4, 2),
        date(2026, 5, 17),  # 14 days
        date(2026, 5, 31),  # the last day
        date(2026, 6, 1),  # grace
        date(2026, 6, 30),  # the last day of grace
    ):
        with at(day, 6, 30), django_capture_on_commit_callbacks(execute=True):
            sent.append(tasks.send_membership_reminders.delay().get())
    assert sent == [0, 1, 0, 1, 0, 1, 0]
    with at(date(2026, 7, 1), 2, 15), django_capture_on_commit_callbacks(execute=True):
        assert tasks.lapse_overdue_memberships.delay().get() == 1
    with at(date(2026, 7, 1), 6, 30), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_membership_reminders.delay().get() == 0  # lapsed: no reminder


def test_a_contact_without_a_login_is_reminded_in_the_profiles_language(
    ending, django_capture_on_commit_callbacks
):
    ending.organisation.language = "en"
    ending.organisation.save()
    ending.primary_contact = PersonFactory(email="kontakt@medlem.example", first_name="Kim")
    ending.save()
    results = twice_and_an_hour_later(
        tasks.send_membership_reminders, date(2026, 5, 17), 6, django_capture_on_commit_callbacks
    )
    assert results == [2, 0, 0]
    [email] = to("kontakt@medlem.example")
    assert f"ends on {en_date(date(2026, 5, 31))}" in email.body
    assert "as the contact person your organisation gave the cluster" in email.body
    assert "/stop-emails/" in email.body


def test_a_renewed_membership_is_reminded_of_its_new_period_only(
    ending, manager, django_capture_on_commit_callbacks
):
    from clusters import services

    with at(date(2026, 4, 1), 6, 30), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_membership_reminders.delay().get() == 1
    with at(date(2026, 4, 10), 10), django_capture_on_commit_callbacks(execute=True):
        services.membership_renew(membership=ending, actor=manager)
    with at(date(2026, 5, 17), 6, 30), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_membership_reminders.delay().get() == 0


# --- Finding 4: the lapse reason in the reader's language ---------------------------------------
def test_one_stored_lapse_reason_reads_in_danish_norwegian_and_english(
    cluster, basic, django_capture_on_commit_callbacks
):
    membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
    for language in ("da", "nb", "en"):
        org_admin(membership.organisation, email=f"{language}@medlem.example", language=language)
    with at(date(2026, 3, 2), 2, 15), django_capture_on_commit_callbacks(execute=True):
        assert tasks.lapse_overdue_memberships.delay().get() == 1
    membership = Membership.objects.get(pk=membership.pk)
    expected = {}
    for language in ("da", "nb", "en"):
        with translation.override(language):
            expected[language] = reason_text(membership)
    assert expected["en"] == (
        f"The period ended on {en_date(date(2025, 12, 31))} and the membership was not renewed."
    )
    assert expected["da"] == (
        "Perioden sluttede den 31. december 2025, og medlemskabet blev ikke fornyet."
    )
    assert expected["nb"] == (
        "Perioden sluttet 31. desember 2025, og medlemskapet ble ikke fornyet."
    )
    for language in ("da", "nb", "en"):
        [email] = to(f"{language}@medlem.example")
        assert expected[language] in email.body
        assert "2025-12-31" not in email.body


def test_the_history_shows_the_reason_in_the_viewers_language_and_old_text_stays(
    client, cluster, basic, manager
):
    old = member(cluster, 2, start=date(2024, 1, 1), tier=basic)
    Membership.objects.filter(pk=old.pk).update(status_reason="Skrevet før: gammel tekst.")
    assert reason_text(Membership.objects.get(pk=old.pk)) == "Skrevet før: gammel tekst."
    membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
    with at(date(2026, 3, 2), 2, 15):
        tasks.lapse_overdue_memberships.delay().get()
    client.force_login(manager)
    client.cookies["django_language"] = "nb"
    url = reverse("clusters:membership_detail", args=[cluster.slug, membership.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Perioden sluttet 31. desember 2025" in page
    # The member's own page, in English: the same stored reason in English words and format.
    admin = org_admin(membership.organisation, email="admin@medlem.example", language="en")
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("clusters:my_applications")).content.decode()
    assert f"The period ended on {en_date(date(2025, 12, 31))}" in page


# --- Finding 5: membership emails follow the person's choice ------------------------------------
@pytest.mark.parametrize(("frequency", "emails"), [("immediately", 1), ("never", 0)])
def test_membership_emails_follow_the_persons_choice(
    cluster, basic, frequency, emails, django_capture_on_commit_callbacks
):
    membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
    admin = org_admin(membership.organisation, email="admin@medlem.example", language="en")
    notifications.preference_set(user=admin, frequency=frequency)
    with at(date(2026, 3, 2), 2, 15), django_capture_on_commit_callbacks(execute=True):
        tasks.lapse_overdue_memberships.delay().get()
    assert len(to("admin@medlem.example")) == emails
    assert Notification.objects.filter(user=admin, kind="membership_lapsed").count() == 1


def test_the_membership_kind_alone_can_be_turned_off(
    cluster, basic, django_capture_on_commit_callbacks
):
    membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
    admin = org_admin(membership.organisation, email="admin@medlem.example", language="en")
    notifications.preference_set(user=admin, frequencies={"membership": "never"})
    with at(date(2026, 3, 2), 2, 15), django_capture_on_commit_callbacks(execute=True):
        tasks.lapse_overdue_memberships.delay().get()
    assert to("admin@medlem.example") == []


def test_a_membership_email_unsubscribes_in_one_click_without_a_session(
    cluster, basic, django_capture_on_commit_callbacks
):
    membership = member(cluster, 1, start=date(2025, 1, 1), tier=basic)
    admin = org_admin(membership.organisation, email="admin@medlem.example", language="en")
    with at(date(2026, 3, 2), 2, 15), django_capture_on_commit_callbacks(execute=True):
        tasks.lapse_overdue_memberships.delay().get()
    [email] = to("admin@medlem.example")
    header = email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in email.body
    path = url.removeprefix(notifications.site_url(""))
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert notifications.frequency_of(admin, "membership") == "never"
    assert notifications.frequency_of(admin, "introductions") == "immediately"  # only this kind


def test_staff_hear_of_an_application_once_with_an_unsubscribe_link(
    cluster, manager, django_capture_on_commit_callbacks
):
    from tests.clusters.factories import application

    applicant = application(cluster)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # a retried or redelivered task
            tasks.send_staff_application_email.delay(applicant.pk, "applied").get()
    [email] = to(manager.email)
    assert email.subject.startswith("New application to Welfare Tech from")
    assert "List-Unsubscribe" in email.extra_headers
    assert Notification.objects.filter(user=manager).count() == 1


def test_the_beat_schedule_runs_the_reminders_and_both_summaries(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    reminders = schedule["clusters-membership-reminders"]
    assert reminders["task"] == "clusters.tasks.send_membership_reminders"
    assert reminders["schedule"].day_of_week == set(range(7))
    daily = schedule["clusters-staff-digest-daily"]
    assert daily["task"] == "clusters.tasks.send_renewal_digests"
    assert daily["kwargs"] == {"frequency": "daily"}
    digest = schedule["matchmaking-daily-digest"]
    assert digest["task"] == "matchmaking.introductions.tasks.send_daily_digests"
