"""The event pages through the test client: permissions across events and clusters, bad input,
the iCalendar file, query counts of the lists."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from matchmaking.events.models import MeetingRequest, Registration
from tests.events.factories import EventFactory, meeting, participant, slots_for, tables_for
from tests.factories import ClusterStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    event = EventFactory(title="Sundheds-dag")
    slots = slots_for(event, 3)
    tables = tables_for(event, 2)
    a = participant(event, name="Alfa ApS")
    b = participant(event, name="Beta Kommune", kind="municipality")
    other_event = EventFactory(title="Anden dag")  # another cluster
    stranger = participant(other_event, name="Fremmed ApS")
    return event, slots, tables, a, b, other_event, stranger


def test_participants_see_only_their_event(client, setup):
    event, slots, tables, a, b, other_event, stranger = setup
    m = meeting(a, b, slot=slots[0], table=tables[0])
    client.force_login(a.user)
    page = client.get(reverse("events:marketplace", args=[event.pk]))
    assert page.status_code == 200
    assert b"Beta Kommune" in page.content
    assert b"Fremmed ApS" not in page.content
    assert client.get(reverse("events:marketplace", args=[other_event.pk])).status_code == 403
    assert client.get(reverse("events:agenda", args=[other_event.pk])).status_code == 403
    # Another event's meeting ids through this event's URLs: not found, nothing changes.
    other_meeting = meeting(stranger, participant(other_event))
    response = client.post(
        reverse("events:request_answer", args=[event.pk, other_meeting.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("events:request_create", args=[event.pk]), {"recipient": stranger.pk}
    )
    assert response.status_code == 302
    assert not MeetingRequest.objects.filter(recipient=stranger, requester=a).exists()
    # Staff of the other cluster cannot manage, or move meetings of, this event.
    staff = ClusterStaffFactory(cluster=other_event.cluster).user
    client.force_login(staff)
    assert client.get(reverse("events:manage", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("events:meeting_move", args=[event.pk, m.pk]),
        {"slot": slots[1].pk, "table": tables[1].pk},
    )
    assert response.status_code == 403
    m.refresh_from_db()
    assert m.slot == slots[0]
    # An unpublished event is not there for outsiders.
    draft = EventFactory(is_published=False, cluster=event.cluster)
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404


def test_request_to_oneself_gets_a_clear_error(client, setup):
    event, _slots, _tables, a, *_rest = setup
    client.force_login(a.user)
    response = client.post(
        reverse("events:request_create", args=[event.pk]), {"recipient": a.pk}, follow=True
    )
    assert "You cannot ask yourself for a meeting." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_registration_after_the_window_gets_a_clear_error(client, setup):
    event, *_rest = setup
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import (
        AffiliationFactory,
        MembershipFactory,
        OrganisationFactory,
        PersonFactory,
        UserFactory,
    )

    event.registration_opens = timezone.now() - timedelta(days=3)
    event.registration_closes = timezone.now() - timedelta(days=1)
    event.save()
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, cluster=event.cluster)
    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation)
    client.force_login(user)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"organisation": organisation.pk, "offer": "x", "looking_for": "y"},
    )
    assert response.status_code == 200
    assert "Registration has closed." in response.content.decode()
    assert not Registration.objects.filter(organisation=organisation).exists()


def test_staff_slot_overlap_gets_a_clear_error(client, setup):
    event, *_rest = setup
    staff = ClusterStaffFactory(cluster=event.cluster).user
    client.force_login(staff)
    response = client.post(
        reverse("events:slot_add", args=[event.pk]),
        {"day": event.start_date, "start": "09:10", "end": "09:30"},
        follow=True,
    )
    assert "This slot overlaps another slot of the event." in response.content.decode()
    assert event.slots.count() == 3


def test_ics_file_parses_back(client, setup):
    event, slots, tables, a, b, *_rest = setup
    meeting(a, b, slot=slots[1], table=tables[0])
    meeting(a, participant(event, name="Gamma Hospital"))  # not placed: not in the file
    client.force_login(a.user)
    response = client.get(reverse("events:agenda_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    items = list(calendar.walk("VEVENT"))
    assert len(items) == 1
    item = items[0]
    assert item.decoded("dtstart") == slots[1].starts_at
    assert item.decoded("dtend") == slots[1].ends_at
    assert "Beta Kommune" in str(item["summary"])
    assert "Bord 1" in str(item["location"])
    assert str(item["uid"]).startswith(f"event-{event.pk}-meeting-")


def test_agenda_and_print(client, setup):
    event, slots, tables, a, b, *_rest = setup
    meeting(a, b, slot=slots[0], table=tables[1])
    client.force_login(b.user)
    for name in ("events:agenda", "events:agenda_print"):
        page = client.get(reverse(name, args=[event.pk])).content.decode()
        assert "Alfa ApS" in page
        assert "Bord 2" in page


def test_list_pages_query_counts(client, setup, django_assert_max_num_queries):
    event, _slots, _tables, a, *_rest = setup
    for i in range(15):
        participant(event, name=f"Deltager {i}")
        EventFactory(cluster=event.cluster)
    staff = ClusterStaffFactory(cluster=event.cluster).user
    client.force_login(a.user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("events:marketplace", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("events:list")).status_code == 200
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("events:manage", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("events:schedule", args=[event.pk])).status_code == 200


def test_marketplace_filters_and_htmx_results(client, setup):
    event, _slots, _tables, a, _b, *_rest = setup
    participant(event, name="Gamma Hospital", kind="hospital")
    client.force_login(a.user)
    url = reverse("events:marketplace", args=[event.pk])
    page = client.get(url, {"kind": "hospital"}).content.decode()
    assert "Gamma Hospital" in page
    assert "Beta Kommune" not in page
    page = client.get(url, {"q": "Beta"}, headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="results"')
    assert "Beta Kommune" in page
    assert "Gamma Hospital" not in page


def test_pages_speak_danish_by_default(client, setup, settings):
    from tests.language import danish

    event, _slots, _tables, a, *_rest = setup
    settings.LANGUAGE_CODE = "da"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert danish("Matchmaking events") in client.get(reverse("events:list")).content.decode()
    client.force_login(a.user)
    a.user.language = "da"
    a.user.save()
    page = client.get(reverse("events:agenda", args=[event.pk])).content.decode()
    assert danish("Add to my calendar (.ics)") in page
    page = client.get(reverse("events:marketplace", args=[event.pk])).content.decode()
    assert danish("Ask for a meeting") in page


def test_list_queries_do_not_grow_with_the_rows(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, slots, tables, a, b, *_rest = setup
    staff = ClusterStaffFactory(cluster=event.cluster).user
    pages = [
        (a.user, reverse("events:marketplace", args=[event.pk])),
        (a.user, reverse("events:agenda", args=[event.pk])),
        (staff, reverse("events:manage", args=[event.pk])),
        (staff, reverse("events:schedule", args=[event.pk])),
        (staff, reverse("events:list")),
    ]

    def counts():
        out = []
        for user, url in pages:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    def grow(n):
        for i in range(n):
            other = participant(event, name=f"Ny {n} {i}")
            meeting(a, other)
            placed = {"slot": slots[i], "table": tables[0]} if n == 2 else {}
            meeting(other, b, **placed)
            EventFactory(cluster=event.cluster)

    grow(2)
    counts()  # fills the caches (focus areas, regions) the first requests fill
    few = counts()
    grow(12)
    assert counts() == few


def test_staff_move_a_meeting_from_its_own_page(client, setup):
    event, slots, tables, a, b, other_event, _stranger = setup
    c = participant(event, name="Gamma Hospital", kind="hospital")
    m = meeting(a, b, slot=slots[0], table=tables[0])
    meeting(a, c, slot=slots[1], table=tables[0])
    b.unavailable_slots.add(slots[2])
    url = reverse("events:meeting_move", args=[event.pk, m.pk])
    client.force_login(ClusterStaffFactory(cluster=other_event.cluster).user)
    assert client.get(url).status_code == 403
    client.force_login(ClusterStaffFactory(cluster=event.cluster).user)
    page = client.get(url).content.decode()
    assert page.count("✗") == 2  # a has a meeting in slot 2, b cannot make slot 3
    response = client.post(url, {"slot": slots[1].pk, "table": tables[1].pk}, follow=True)
    assert "One of the two has another meeting in this slot." in response.content.decode()
    client.post(url, {"slot": slots[0].pk, "table": tables[1].pk})
    m.refresh_from_db()
    assert (m.slot, m.table, m.pinned) == (slots[0], tables[1], True)
    schedule = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert url in schedule


def test_event_form_shows_the_date_rules_on_their_fields(client, setup):
    event, *_rest = setup
    closes = event.registration_closes
    client.force_login(ClusterStaffFactory(cluster=event.cluster).user)
    response = client.post(
        reverse("events:edit", args=[event.pk]),
        {
            "title": event.title,
            "start_date": event.start_date,
            "end_date": event.start_date,
            "registration_opens": f"{event.start_date}T10:00",
            "registration_closes": f"{event.start_date}T09:00",
            "access": "members",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["registration_closes"] == ["Registration must close after it opens."]
    event.refresh_from_db()
    assert event.registration_closes == closes


def test_date_fields_carry_iso_dates_in_danish_too(client, setup, settings):
    """A date input takes only yyyy-mm-dd: a Danish 05.03.2026 would show an empty field."""
    event, *_rest = setup
    settings.LANGUAGE_CODE = "da"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    staff = ClusterStaffFactory(cluster=event.cluster).user
    staff.language = "da"
    staff.save()
    client.force_login(staff)
    iso = f'value="{event.start_date.isoformat()}"'
    assert iso in client.get(reverse("events:edit", args=[event.pk])).content.decode()
    assert iso in client.get(reverse("events:manage", args=[event.pk])).content.decode()


def test_marketplace_lists_a_participant_once_for_two_of_its_focus_areas(client, setup):
    from tests.factories import focus_area

    event, _slots, _tables, a, b, *_rest = setup
    areas = [focus_area("health-data"), focus_area("prevention-predictive-health")]
    b.organisation.focus_areas.set(areas)
    client.force_login(a.user)
    page = client.get(
        reverse("events:marketplace", args=[event.pk]),
        {"focus_area": [area.slug for area in areas]},
    ).content.decode()
    assert page.count('<h2 class="h3">Beta Kommune</h2>') == 1


def test_staff_invite_an_organisation_by_its_directory_link(client, setup):
    from tests.factories import OrganisationFactory

    event, *_rest = setup
    event.access = "invited"
    event.save()
    guest = OrganisationFactory(name="Gæst ApS")
    client.force_login(ClusterStaffFactory(cluster=event.cluster).user)
    url = reverse("events:invitation_add", args=[event.pk])
    page = client.post(url, {"organisation": "https://x.example/o/nobody/"}, follow=True)
    assert "No organisation has this address." in page.content.decode()
    link = f"https://portal.example{guest.get_absolute_url()}"
    page = client.post(url, {"organisation": link}, follow=True)
    assert "The organisation is invited." in page.content.decode()
    assert list(event.invitations.values_list("organisation", flat=True)) == [guest.pk]


def test_staff_add_a_series_of_slots_with_a_lunch_break(client, setup):
    from datetime import timedelta

    from tests.events.factories import at

    event, *_rest = setup
    client.force_login(ClusterStaffFactory(cluster=event.cluster).user)
    response = client.post(
        reverse("events:slots_generate", args=[event.pk]),
        {
            "day": event.start_date,
            "first_start": "11:00",
            "minutes": 20,
            "count": 4,
            "break_minutes": 5,
            "pause_after": 2,
            "pause_minutes": 30,
        },
        follow=True,
    )
    assert "The slots were added." in response.content.decode()
    made = list(event.slots.filter(starts_at__gte=at(event, 11)))
    assert [s.starts_at for s in made] == [
        at(event, 11) + timedelta(minutes=m) for m in (0, 25, 80, 105)
    ]


def test_event_list_and_marketplace_go_page_by_page_keeping_the_filters(client, setup, monkeypatch):
    """Both lists show a page at a time; the page links keep the filters; a page costs the
    same number of queries however many events and participants there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaking.events import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    event, _slots, _tables, a, *_rest = setup
    marketplace = reverse("events:marketplace", args=[event.pk])
    pages = [
        (reverse("events:list"), {}),
        (reverse("events:list"), {"page": 2}),
        (marketplace, {"kind": "sme"}),
        (marketplace, {"kind": "sme", "page": 2}),
    ]
    client.force_login(a.user)

    def counts():
        out = []
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            out.append(len(queries))
        return out

    def grow(n):
        for i in range(n):
            participant(event, name=f"Virksomhed {n} {i}", kind="sme")
            participant(event, name=f"Kommune {n} {i}", kind="municipality")
            EventFactory(cluster=event.cluster)

    grow(4)
    counts()  # fills the caches (focus areas, regions) the first requests fill
    few = counts()
    grow(8)
    assert counts() == few

    first = client.get(marketplace, {"kind": "sme"}).content.decode()
    assert "12 participants" in first
    assert 'href="?kind=sme&amp;page=2"' in first
    second = client.get(
        marketplace, {"kind": "sme", "page": 2}, headers={"HX-Request": "true"}
    ).content.decode()
    assert second.lstrip().startswith('<div id="results"')
    assert 'href="?kind=sme&amp;page=1"' in second
    assert 'href="?kind=sme&amp;page=3"' in second
    assert '<h2 class="h3">Kommune' not in second
    shown = [first.count('data-testid="participant"'), second.count('data-testid="participant"')]
    assert shown == [3, 3]
    events = client.get(
        reverse("events:list"), {"page": 5}, headers={"HX-Request": "true"}
    ).content.decode()
    assert events.lstrip().startswith('<div id="results"')
    assert events.count('data-testid="event"') == 2  # 14 events: 3 a page, 2 on the last
    assert 'href="?page=4"' in events
