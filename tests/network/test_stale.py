"""Stale profiles: reminders and staleness with frozen time, the one-click confirmation, matching.

Times are passed to the steps explicitly where that is clearer; the views and the beat task
read the clock, which time_machine holds still.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import features
from matchmaking import services as matchmaking_services
from network import hooks, services, stale
from network.models import Notification, Organisation
from network.tasks import profile_staleness
from tests.conftest import person_with_login
from tests.email_dates import en_date
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    TestSiteFactory,
    UserFactory,
)
from tests.matchmaking.factories import NeedFactory
from tests.network.test_my_organisation import profile_data

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # when the profiles were last confirmed
DUE = T0 + timedelta(days=366)  # a year and a day later: reminders go out
STALE = DUE + timedelta(days=31)  # the grace period after the reminder has passed


def at(moment):
    return time_machine.travel(moment, tick=False)


def fresh(organisation) -> Organisation:
    return Organisation.objects.get(pk=organisation.pk)


def reminders(user=None):
    notes = Notification.objects.filter(kind="profile_confirm_reminder")
    return notes.filter(user=user) if user else notes


@pytest.fixture
def organisation(db):
    """An SME last confirmed at T0, published (conftest's owner and colleague join it)."""
    return OrganisationFactory(name="Faldsikker ApS", confirmed_at=T0)


@pytest.fixture
def changes(monkeypatch):
    """What matching hears through network.hooks, once transactions commit."""
    heard = []
    monkeypatch.setattr(hooks, "profile_changed", [lambda kind, pk: heard.append((kind, pk))])
    monkeypatch.setattr(
        hooks, "profiles_changed", [lambda kind, pks: heard.extend((kind, pk) for pk in pks)]
    )
    return heard


def remind(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(stale_reminded_at=DUE)


def make_stale(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(stale_reminded_at=DUE, stale_since=STALE)


# --- Reminders --------------------------------------------------------------------------------
def test_no_reminder_within_twelve_months(organisation, owner):
    assert stale.send_reminders(T0 + timedelta(days=364)) == 0
    assert not reminders().exists()
    assert fresh(organisation).stale_reminded_at is None


def test_reminder_after_twelve_months_goes_to_the_admins_only(
    organisation, owner, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert stale.send_reminders(DUE) == 1
    assert fresh(organisation).stale_reminded_at == DUE
    note = reminders(owner).get()
    assert "Faldsikker ApS" in note.title
    assert note.url == reverse("organisation_edit", args=[organisation.slug])
    assert not reminders(colleague).exists()
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert reverse("organisation_edit", args=[organisation.slug]) in mailoutbox[0].body


def test_no_second_reminder(organisation, owner):
    assert stale.send_reminders(DUE) == 1
    assert stale.send_reminders(DUE + timedelta(days=1)) == 0
    assert stale.send_reminders(DUE + timedelta(days=200)) == 0
    assert reminders(owner).count() == 1


def test_inactive_admins_and_unpublished_profiles_get_none(organisation, owner):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    draft = OrganisationFactory(confirmed_at=T0, is_published=False, review_status="draft")
    person_with_login(draft, "admin", "draft-admin@example.org")
    assert stale.send_reminders(DUE) == 1
    assert not reminders().exists()
    assert fresh(organisation).stale_reminded_at == DUE  # reminded all the same: goes stale
    assert fresh(draft).stale_reminded_at is None


def test_a_profile_without_admins_is_marked_reminded_so_it_goes_stale(organisation):
    AffiliationFactory(organisation=organisation, role="member", person=PersonFactory())
    assert stale.send_reminders(DUE) == 1
    assert not reminders().exists()
    assert stale.mark_stale(STALE) == 1
    assert fresh(organisation).stale_since == STALE


def test_a_profile_never_confirmed_is_due(organisation, owner):
    Organisation.objects.filter(pk=organisation.pk).update(confirmed_at=None)
    assert stale.send_reminders(T0) == 1
    assert reminders(owner).count() == 1


def test_the_period_is_a_setting(settings, organisation, owner):
    settings.PORTAL_STALE_AFTER_DAYS = 30
    assert stale.send_reminders(T0 + timedelta(days=29)) == 0
    assert stale.send_reminders(T0 + timedelta(days=31)) == 1
    settings.PORTAL_STALE_GRACE_DAYS = 5
    assert stale.mark_stale(T0 + timedelta(days=35)) == 0
    assert stale.mark_stale(T0 + timedelta(days=37)) == 1


def test_reminders_take_the_same_queries_for_one_profile_or_many():
    def queries_for(count):
        Organisation.objects.update(confirmed_at=DUE)  # the earlier ones are no longer due
        OrganisationFactory.create_batch(count, confirmed_at=T0)
        with CaptureQueriesContext(connection) as captured:
            assert stale.send_reminders(DUE) == count
        return len(captured)

    assert queries_for(1) == queries_for(6)


# --- Going stale ------------------------------------------------------------------------------
def test_stale_after_the_grace_period(
    organisation, owner, colleague, changes, django_capture_on_commit_callbacks
):
    stale.send_reminders(DUE)
    assert stale.mark_stale(DUE + timedelta(days=29)) == 0
    assert fresh(organisation).stale_since is None
    with django_capture_on_commit_callbacks(execute=True):
        assert stale.mark_stale(STALE) == 1
    assert fresh(organisation).stale_since == STALE
    assert changes == [("organisation", organisation.pk)]
    told = Notification.objects.filter(kind="profile_stale")
    assert list(told.values_list("user", flat=True)) == [owner.pk]
    assert stale.mark_stale(STALE + timedelta(days=1)) == 0  # once
    assert stale.send_reminders(STALE + timedelta(days=1)) == 0  # and no new reminder


def test_not_stale_when_confirmed_after_the_reminder(organisation, owner):
    stale.send_reminders(DUE)
    stale.confirm(organisation, owner, now=DUE + timedelta(days=10))
    assert stale.mark_stale(STALE) == 0
    assert fresh(organisation).stale_since is None
    # The next round starts a year after the confirmation.
    assert stale.send_reminders(DUE + timedelta(days=370)) == 0
    assert stale.send_reminders(DUE + timedelta(days=376)) == 1


def test_the_beat_task_reminds_then_marks_stale(organisation, owner, settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("staleness")]
    assert [e["task"] for e in entries] == ["network.tasks.profile_staleness"]
    with at(DUE):
        assert profile_staleness() == {"reminded": 1, "stale": 0}
    with at(STALE):
        assert profile_staleness() == {"reminded": 0, "stale": 1}
    assert fresh(organisation).stale_since == STALE


# --- Confirming -------------------------------------------------------------------------------
def test_confirm_clears_staleness_and_tells_matching(
    organisation, owner, changes, django_capture_on_commit_callbacks
):
    make_stale(organisation)
    later = STALE + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert stale.confirm(fresh(organisation), owner, now=later) is True
    organisation = fresh(organisation)
    assert (organisation.confirmed_at, organisation.stale_reminded_at) == (later, None)
    assert organisation.stale_since is None
    assert changes == [("organisation", organisation.pk)]


def test_confirming_a_fresh_profile_does_not_bother_matching(
    organisation, owner, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert stale.confirm(organisation, owner, now=DUE) is False
    assert fresh(organisation).confirmed_at == DUE
    assert changes == []


def test_only_the_admins_and_network_admins_may_confirm(
    organisation, owner, colleague, outsider, network_admin
):
    make_stale(organisation)
    for user in (colleague, outsider, None):
        with pytest.raises(PermissionDenied):
            stale.confirm(fresh(organisation), user)
        assert fresh(organisation).stale_since == STALE
    assert stale.confirm(fresh(organisation), network_admin) is True
    assert fresh(organisation).stale_since is None


def confirm_url(organisation):
    return reverse("organisation_confirm", args=[organisation.slug])


def test_the_still_correct_button(client, organisation, owner, changes):
    make_stale(organisation)
    client.force_login(owner)
    moment = STALE + timedelta(days=2)
    with at(moment):
        response = client.post(confirm_url(organisation))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_edit", args=[organisation.slug])
    organisation = fresh(organisation)
    assert (organisation.confirmed_at, organisation.stale_since) == (moment, None)


def test_the_button_refuses_everyone_else(
    client, organisation, colleague, outsider, django_user_model
):
    make_stale(organisation)
    assert client.post(confirm_url(organisation)).status_code == 302  # to the login
    client.force_login(colleague)
    assert client.post(confirm_url(organisation)).status_code == 403
    assert client.get(confirm_url(organisation)).status_code == 405
    client.force_login(outsider)  # the admin of another organisation
    assert client.post(confirm_url(organisation)).status_code == 403
    private = OrganisationFactory(name="Privat ApS", is_public=False, confirmed_at=T0)
    make_stale(private)
    assert client.post(confirm_url(private)).status_code == 404
    assert fresh(organisation).stale_since == STALE
    assert fresh(private).stale_since == STALE


def notice(response):
    content = response.content.decode()
    if 'data-testid="stale-notice"' not in content:
        return None
    return content.split('data-stale="', 1)[1].split('"', 1)[0]


def test_the_notice_on_the_edit_page(client, organisation, owner):
    client.force_login(owner)
    edit = reverse("organisation_edit", args=[organisation.slug])
    assert notice(client.get(edit)) is None
    remind(organisation)
    response = client.get(edit)
    assert notice(response) == "reminded"
    assert f'action="{confirm_url(organisation)}"' in response.content.decode()
    make_stale(organisation)
    response = client.get(edit)
    assert notice(response) == "stale"
    assert "alert-warning" in response.content.decode().split('data-testid="stale-notice"')[0]


def test_the_notice_on_the_profile_is_for_the_owners_only(client, organisation, owner, colleague):
    make_stale(organisation)
    page = organisation.get_absolute_url()
    assert notice(client.get(page)) is None
    client.force_login(colleague)
    assert notice(client.get(page)) is None
    client.force_login(owner)
    assert notice(client.get(page)) == "stale"


# --- Saves count as confirmation -------------------------------------------------------------


def test_the_owners_save_on_the_edit_page_confirms(
    client, organisation, owner, changes, django_capture_on_commit_callbacks
):
    make_stale(organisation)
    client.force_login(owner)
    moment = STALE + timedelta(days=5)
    with at(moment), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisation_edit", args=[organisation.slug]),
            profile_data(organisation, description="Nye sensorer til nattevagten."),
        )
    assert response.status_code == 302
    organisation = fresh(organisation)
    assert (organisation.confirmed_at, organisation.stale_reminded_at) == (moment, None)
    assert organisation.stale_since is None
    assert changes == [("organisation", organisation.pk)]  # once, from the save itself


def test_saving_a_test_site_or_a_need_confirms_the_owner(changes):
    site = TestSiteFactory(owner__confirmed_at=T0)
    make_stale(site.owner)
    services.offer_save(offer=site, focus_areas=[], tags=[])
    assert fresh(site.owner).stale_since is None
    assert fresh(site.owner).confirmed_at > T0

    need = NeedFactory(owner__confirmed_at=T0)
    remind(need.owner)
    matchmaking_services.need_save(need=need, focus_areas=[], tags=[])
    assert fresh(need.owner).stale_reminded_at is None
    assert fresh(need.owner).confirmed_at > T0


# --- Matching ---------------------------------------------------------------------------------
def test_a_stale_profile_is_left_out_of_matching_until_confirmed(organisation, owner):
    site = TestSiteFactory(owner__confirmed_at=T0)

    def in_matching():
        sources, targets = features.current_keys()
        loaded = {(document.type, document.id) for document in features.load_sources()}
        return (
            ("sme", organisation.pk) in sources,
            ("sme", organisation.pk) in loaded,
            ("test_site", site.pk) in targets,
        )

    assert in_matching() == (True, True, True)
    stale.send_reminders(DUE)
    assert in_matching() == (True, True, True)  # reminded, not yet stale
    stale.mark_stale(STALE)
    assert in_matching() == (False, False, False)
    stale.confirm(fresh(organisation), owner)
    assert in_matching() == (True, True, False)
    site_owner_admin = UserFactory(is_network_admin=True)
    stale.confirm(fresh(site.owner), site_owner_admin)
    assert in_matching() == (True, True, True)


def test_many_profiles_going_stale_start_one_match_run(db, django_capture_on_commit_callbacks):
    from matchmaking.models import MatchRun
    from tests.matchmaking.factories import MatchRunFactory

    MatchRunFactory()  # a full run has succeeded: changes are brought up to date incrementally
    for n in range(3):
        OrganisationFactory(name=f"Gammel {n} ApS", confirmed_at=T0)
    stale.send_reminders(DUE)
    before = MatchRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert stale.mark_stale(STALE) == 3
    runs = MatchRun.objects.order_by("-pk")[: MatchRun.objects.count() - before]
    assert len(runs) == 1
    assert len([kind for kind, _pk in runs[0].changes if kind == "sme"]) == 3


# --- Deadlines in calendar days (issue 24, finding 3) -------------------------------------------
CPH = ZoneInfo("Europe/Copenhagen")


def _beat_at(day, hour=8, minute=0, second=0):
    """The daily beat task at a moment in Copenhagen time, run twice and again an hour later."""
    results = []
    for moment in (
        datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=CPH),
        datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=CPH),
        datetime(day.year, day.month, day.day, hour + 1, minute, second, tzinfo=CPH),
    ):
        with at(moment):
            results.append(profile_staleness())
    return results


@pytest.mark.parametrize(
    ("reminded", "deadline"),
    [
        # Autumn: reminded in summer time, the deadline in winter time.
        (date(2026, 10, 1), date(2026, 10, 31)),
        # Spring: reminded in winter time, the deadline in summer time.
        (date(2026, 3, 1), date(2026, 3, 31)),
        # No clock change; the beat on the deadline runs a few seconds later than the reminder.
        (date(2026, 1, 11), date(2026, 2, 10)),
    ],
)
def test_the_profile_goes_stale_the_day_after_the_date_in_the_reminder_never_on_it(
    settings,
    organisation,
    owner,
    reminded,
    deadline,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.LANGUAGE_CODE = "en"
    owner.language = "en"
    owner.save(update_fields=["language"])
    Organisation.objects.filter(pk=organisation.pk).update(
        confirmed_at=datetime(2024, 6, 1, tzinfo=CPH)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert [r["reminded"] for r in _beat_at(reminded)] == [1, 0, 0]
    [email] = [m for m in mailoutbox if "still correct" in m.subject]
    assert f"If it is neither confirmed nor updated by {en_date(deadline)}," in email.body
    # On the deadline itself, at the beat's hour and later in the day: not stale.
    assert [r["stale"] for r in _beat_at(deadline, second=30)] == [0, 0, 0]
    assert [r["stale"] for r in _beat_at(deadline, hour=22)] == [0, 0, 0]
    assert fresh(organisation).stale_since is None
    assert stale.goes_stale_on(fresh(organisation)) == deadline  # the notice on the edit page
    # The day after: stale, once.
    assert [r["stale"] for r in _beat_at(deadline + timedelta(days=1))] == [1, 0, 0]
    assert Notification.objects.filter(kind="profile_stale").count() == 1
