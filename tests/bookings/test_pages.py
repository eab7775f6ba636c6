"""Booking pages through the test client: who sees and does what, bad input, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matchmaking.bookings.models import Booking, CalendarFeed, Evaluation
from network.models import TestSite
from tests.bookings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _post_request(client, world, **extra):
    start = timezone.localdate() + timedelta(days=10)
    data = {
        "organisation": world.sme.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(days=6)).isoformat(),
        "what_is_tested": "Faldsensor",
        "trl": 6,
        "citizens": 10,
        "patients": 0,
        "staff": 2,
        "needs_data_agreement": "on",
        **extra,
    }
    return client.post(reverse("bookings:request", args=[world.site.pk]), data)


def test_request_page_sends_a_request(client, world):
    _login(client, world.sme_member)
    assert client.get(reverse("bookings:request", args=[world.site.pk])).status_code == 200
    response = _post_request(client, world)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == booking.get_absolute_url()
    assert booking.requested_by == world.sme_member
    assert booking.needs_data_agreement


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"end": "2020-01-01"}, "The test cannot end before it starts."),
        ({"trl": 12}, ""),
        ({"start": "2020-01-01", "end": "2020-01-05"}, "The test cannot start in the past."),
    ],
)
def test_bad_input_shows_an_error_and_changes_nothing(client, world, extra, message):
    _login(client, world.sme_member)
    response = _post_request(client, world, **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_outside_window_and_capacity_zero_on_the_page(client, world):
    today = timezone.localdate()
    TestSite.objects.filter(pk=world.site.pk).update(available_until=today + timedelta(days=12))
    _login(client, world.sme_member)
    response = _post_request(client, world)
    assert response.status_code == 200
    assert "The site is open for tests until" in response.content.decode()
    TestSite.objects.filter(pk=world.site.pk).update(available_until=None, capacity=0)
    response = _post_request(client, world)
    assert "capacity is 0" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_sites_people_cannot_request_for_the_company(client, world):
    _login(client, world.site_admin)
    assert client.get(reverse("bookings:request", args=[world.site.pk])).status_code == 403
    # Naming a company they are not in is refused by the form's choices.
    _login(client, world.outsider)
    response = _post_request(client, world)
    assert response.status_code == 200
    assert not Booking.objects.exists()


@pytest.mark.parametrize("who", ["site_admin", "site_member", "sme_admin", "sme_member"])
def test_both_sides_see_the_booking(client, world, who):
    booking = BookingFactory(site=world.site, organisation=world.sme)
    _login(client, getattr(world, who))
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 200
    assert "Faldsensor" in response.content.decode()


def test_nobody_else_sees_a_booking(client, world, network_admin):
    booking = BookingFactory(site=world.site, organisation=world.sme)
    assert client.get(booking.get_absolute_url()).status_code == 302  # to sign in
    for user in (world.outsider, network_admin):
        _login(client, user)
        assert client.get(booking.get_absolute_url()).status_code == 404
        assert client.post(reverse("bookings:accept", args=[booking.pk])).status_code == 404
        assert client.post(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
        listing = client.get(reverse("bookings:list")).content.decode()
        assert booking.get_absolute_url() not in listing
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_another_organisations_booking_id_is_not_found(client, world):
    """An SME's people try the id of a booking between two other parties."""
    other = make_world_pair()
    _login(client, world.sme_admin)
    for name in ("bookings:detail", "bookings:accept_proposal", "bookings:cancel"):
        method = client.get if name == "bookings:detail" else client.post
        assert method(reverse(name, args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "requested"


def make_world_pair():
    from tests.factories import OrganisationFactory, TestSiteFactory

    return BookingFactory(
        site=TestSiteFactory(owner=OrganisationFactory(kind="region", cvr="")),
        organisation=OrganisationFactory(kind="sme"),
    )


def test_only_the_sites_people_answer(client, world):
    booking = BookingFactory(site=world.site, organisation=world.sme)
    _login(client, world.sme_admin)
    for name in ("bookings:accept", "bookings:decline", "bookings:propose"):
        assert client.post(reverse(name, args=[booking.pk])).status_code == 403
    assert client.get(reverse("bookings:accept", args=[booking.pk])).status_code == 405
    booking.refresh_from_db()
    assert booking.status == "requested"
    _login(client, world.site_member)
    response = client.post(reverse("bookings:decline", args=[booking.pk]), {"answer": ""})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "requested"  # a reason is needed
    client.post(reverse("bookings:decline", args=[booking.pk]), {"answer": "Ingen plads"})
    booking.refresh_from_db()
    assert (booking.status, booking.answer) == ("declined", "Ingen plads")


def test_accept_and_overbooking_message(client, world):
    world.site.capacity = 1
    world.site.save(update_fields=["capacity"])
    first = BookingFactory(site=world.site, organisation=world.sme)
    second = BookingFactory(site=world.site, organisation=world.sme, start=first.start)
    _login(client, world.site_member)
    client.post(reverse("bookings:accept", args=[first.pk]))
    response = client.post(reverse("bookings:accept", args=[second.pk]), follow=True)
    assert "fully booked" in response.content.decode()
    assert Booking.objects.filter(status="accepted").count() == 1


def test_propose_and_accept_on_the_pages(client, world):
    booking = BookingFactory(site=world.site, organisation=world.sme)
    start = booking.start + timedelta(days=40)
    _login(client, world.site_admin)
    client.post(
        reverse("bookings:propose", args=[booking.pk]),
        {"start": start.isoformat(), "end": (start + timedelta(days=3)).isoformat()},
    )
    booking.refresh_from_db()
    assert booking.status == "proposed"
    assert client.post(reverse("bookings:accept_proposal", args=[booking.pk])).status_code == 403
    _login(client, world.sme_member)
    client.post(reverse("bookings:accept_proposal", args=[booking.pk]))
    booking.refresh_from_db()
    assert (booking.status, booking.start) == ("accepted", start)


def _ended(world):
    today = timezone.localdate()
    return BookingFactory(
        site=world.site,
        organisation=world.sme,
        status="accepted",
        start=today - timedelta(days=30),
        end=today - timedelta(days=2),
    )


def test_evaluation_is_private_until_a_summary_is_published(client, world):
    booking = _ended(world)
    _login(client, world.site_member)
    url = reverse("bookings:evaluation", args=[booking.pk, "site"])
    assert client.get(url).status_code == 200
    pdf = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url,
        {
            "rating_safety": "4",
            "text_safety": "Ingen hændelser i testperioden.",
            "files": [pdf],
            "submit": "1",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(booking=booking, side="site")
    assert evaluation.submitted_at is not None
    assert evaluation.answers.get(domain="safety").rating == 4
    attachment = evaluation.attachments.get()
    # The company sees it; the file downloads for both sides only.
    _login(client, world.sme_member)
    assert "Ingen hændelser" in client.get(booking.get_absolute_url()).content.decode()
    download = reverse("bookings:attachment", args=[booking.pk, attachment.pk])
    assert client.get(download).status_code == 200
    # Outsiders see nothing: not the booking, not the file, not on the public list.
    tests_url = reverse("bookings:organisation_tests", args=[world.sme.slug])
    _login(client, world.outsider)
    assert client.get(booking.get_absolute_url()).status_code == 404
    assert client.get(download).status_code == 404
    assert "Ingen hændelser" not in client.get(tests_url).content.decode()
    # The site's people cannot publish for the company; the company can.
    summary = {"summary": "Faldsensoren halverede natlige fald."}
    _login(client, world.site_admin)
    assert (
        client.post(reverse("bookings:summary_publish", args=[booking.pk]), summary).status_code
        == 403
    )
    _login(client, world.sme_member)
    client.post(reverse("bookings:summary_publish", args=[booking.pk]), summary)
    client.logout()
    public = client.get(tests_url).content.decode()
    assert "halverede natlige fald" in public
    assert "Ingen hændelser" not in public  # the evaluation itself stays private


def test_evaluation_refuses_a_file_that_is_not_what_it_says(client, world):
    booking = _ended(world)
    _login(client, world.sme_admin)
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        reverse("bookings:evaluation", args=[booking.pk, "company"]), {"files": [fake]}
    )
    assert response.status_code == 200
    assert "is not the kind of file its name says" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_evaluation_before_the_end_or_by_the_wrong_side(client, world):
    booking = BookingFactory(site=world.site, organisation=world.sme, status="accepted")
    _login(client, world.sme_admin)
    url = reverse("bookings:evaluation", args=[booking.pk, "company"])
    assert client.post(url, {"rating_safety": "3"}).status_code == 302
    assert not Evaluation.objects.exists()
    ended = _ended(world)
    assert client.get(reverse("bookings:evaluation", args=[ended.pk, "site"])).status_code == 403


def test_calendar_shows_capacity_to_all_and_bookings_to_their_sides(client, world):
    booking = BookingFactory(site=world.site, organisation=world.sme, status="accepted")
    url = reverse("bookings:site_calendar", args=[world.site.pk])
    month = f"?month={booking.start:%Y-%m}"
    _login(client, world.site_member)
    assert "Faldsikker ApS" in client.get(url + month).content.decode()
    _login(client, world.outsider)
    page = client.get(url + month).content.decode()
    assert "Faldsikker ApS" not in page
    assert "1 free" in page or "1 ledig" in page
    client.logout()
    assert client.get(url + month).status_code == 200
    htmx = client.get(url + month, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<div id="calendar"')


def test_a_years_calendar_with_500_bookings_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    TestSite.objects.filter(pk=world.site.pk).update(capacity=50)
    first = timezone.localdate().replace(day=1) + timedelta(days=40)
    first = first.replace(day=1)
    Booking.objects.bulk_create(
        Booking(
            site=world.site,
            organisation=world.sme,
            status="accepted",
            start=first + timedelta(days=(n * 7) % 340),
            end=first + timedelta(days=(n * 7) % 340 + n % 20),
            what_is_tested="Sensor",
            trl=5,
        )
        for n in range(500)
    )
    _login(client, world.site_member)
    url = reverse("bookings:site_calendar", args=[world.site.pk])
    query = {"month": f"{first:%Y-%m}", "view": "year"}
    with django_assert_max_num_queries(12):
        response = client.get(url, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="month-') == 12
    assert page.count("Faldsikker ApS") > 500  # each booking on each of its days
    # The same number of queries for 500 bookings as for 5.
    with CaptureQueriesContext(connection) as many:
        client.get(url, query)
    Booking.objects.exclude(pk__in=Booking.objects.order_by("pk")[:5].values("pk")).delete()
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    assert len(many) == len(few)


def test_booking_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    BookingFactory.create_batch(30, site=world.site, organisation=world.sme)
    _login(client, world.sme_member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bookings:list"))
    assert response.content.decode().count("Plejecenter Solhaven") >= 30


def test_feeds_at_private_addresses(client, world):
    booking = BookingFactory(site=world.site, organisation=world.sme, status="accepted")
    _login(client, world.site_member)
    # Members cannot make a new address; admins can.
    regenerate = reverse("bookings:site_feed_regenerate", args=[world.site.pk])
    assert client.post(regenerate).status_code == 403
    _login(client, world.site_admin)
    client.post(regenerate)
    feed = CalendarFeed.objects.get(site=world.site)
    client.logout()
    body = client.get(reverse("bookings:feed", args=[feed.token]))
    assert body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert "BEGIN:VEVENT" in text
    assert f"booking-{booking.pk}@" in text
    assert f"DTSTART;VALUE=DATE:{booking.start:%Y%m%d}" in text
    old = feed.token
    _login(client, world.site_admin)
    client.post(regenerate)
    client.logout()
    assert client.get(reverse("bookings:feed", args=[old])).status_code == 404
    # The company's organisation feed lists it too.
    _login(client, world.sme_admin)
    client.post(reverse("bookings:organisation_feed_regenerate", args=[world.sme.slug]))
    org_feed = CalendarFeed.objects.get(organisation=world.sme)
    client.logout()
    assert f"booking-{booking.pk}@" in client.get(org_feed.get_absolute_url()).content.decode()
    _login(client, world.outsider)
    assert (
        client.post(
            reverse("bookings:organisation_feed_regenerate", args=[world.sme.slug])
        ).status_code
        == 404
    )


def test_pages_speak_danish_by_default(client, world, settings):
    from tests.language import danish

    settings.LANGUAGE_CODE = "da"
    client.cookies.clear()
    booking = BookingFactory(site=world.site, organisation=world.sme)
    _login(client, world.site_admin)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert danish("Accept the dates") in page
    assert danish("Propose other dates") in page
    calendar_page = client.get(reverse("bookings:site_calendar", args=[world.site.pk]))
    assert danish("Calendar subscription") in calendar_page.content.decode()


def test_the_profile_links_to_the_calendar_and_owners_no_longer_type_the_running_count(
    client, world
):
    from network.forms import TestSiteForm

    assert "tests_running" not in TestSiteForm.base_fields
    page = client.get(reverse("organisation_detail", args=[world.municipality.slug]))
    assert reverse("bookings:site_calendar", args=[world.site.pk]) in page.content.decode()
    sme_page = client.get(reverse("organisation_detail", args=[world.sme.slug])).content.decode()
    assert reverse("bookings:organisation_tests", args=[world.sme.slug]) in sme_page


def test_site_owners_cannot_edit_away_accepted_bookings(client, world):
    """Lowering the capacity below the accepted tests running at once, or closing the window
    on them, is refused on the site's form; capacity to spare is fine."""
    from network.models import FocusArea

    today = timezone.localdate()
    TestSite.objects.filter(pk=world.site.pk).update(capacity=3)
    for offset in (0, 2):
        BookingFactory(
            site=world.site,
            organisation=world.sme,
            status="accepted",
            start=today + timedelta(days=10 + offset),
            end=today + timedelta(days=20),
        )
    url = reverse("test_site_edit", args=[world.municipality.slug, world.site.pk])
    data = {
        "name": world.site.name,
        "site_type": "nursing_home",
        "description": "Plejecenter",
        "capacity": 1,
        "available_from": "",
        "available_until": "",
        "trl_min": 4,
        "trl_max": 8,
        "focus_areas": [FocusArea.objects.first().pk],
        "language": "da",
        "is_public": "on",
        "tag_names": "",
    }
    _login(client, world.site_admin)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2 accepted tests run at the same time on" in response.content.decode()
    until = (today + timedelta(days=15)).isoformat()
    response = client.post(url, {**data, "capacity": 2, "available_until": until})
    assert "Accepted tests run after this day" in response.content.decode()
    assert TestSite.objects.get(pk=world.site.pk).capacity == 3
    response = client.post(url, {**data, "capacity": 2})
    assert response.status_code == 302
    assert TestSite.objects.get(pk=world.site.pk).capacity == 2


def test_the_cancel_form_shows_only_while_the_booking_may_be_cancelled(client, world):
    """The page offers what the service allows: a standing booking that has not ended."""
    from matchmaking.bookings import services
    from matchmaking.bookings.services import BookingError

    standing = BookingFactory(site=world.site, organisation=world.sme)
    declined = BookingFactory(site=world.site, organisation=world.sme, status="declined")
    ended = _ended(world)
    _login(client, world.sme_admin)
    for booking, offered in ((standing, True), (declined, False), (ended, False)):
        page = client.get(booking.get_absolute_url()).content.decode()
        assert (reverse("bookings:cancel", args=[booking.pk]) in page) is offered
        if not offered:
            with pytest.raises(BookingError):
                services.booking_cancel(booking=booking, user=world.sme_admin)
