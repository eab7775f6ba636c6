"""The booking life cycle through its services: who may do what, bad input, capacity."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from matchmaking.bookings import calendar, services
from matchmaking.bookings.models import Booking
from matchmaking.bookings.services import BookingError
from network.models import Notification, TestSite
from tests.bookings.factories import BookingFactory, make_world, request_fields

pytestmark = pytest.mark.django_db


def _request(world, **extra):
    return services.booking_request(
        site=world.site, organisation=world.sme, user=world.sme_member, **request_fields(**extra)
    )


def test_request_accept_fills_calendar_and_tells_both_sides(world):
    booking = _request(world, days_ahead=0)
    assert booking.status == "requested"
    assert Notification.objects.filter(user=world.site_admin, kind="booking_requested").exists()
    assert Notification.objects.filter(user=world.site_member, kind="booking_requested").exists()
    services.booking_accept(booking=booking, user=world.site_member)
    booking.refresh_from_db()
    assert booking.status == "accepted"
    assert booking.answered_by == world.site_member
    assert Notification.objects.filter(user=world.sme_admin, kind="booking_accepted").exists()
    # Running today: the site's count in network says so.
    assert TestSite.objects.get(pk=world.site.pk).tests_running == 1
    services.booking_cancel(booking=booking, user=world.sme_admin, reason="Forsinket")
    assert TestSite.objects.get(pk=world.site.pk).tests_running == 0
    assert Notification.objects.filter(user=world.site_admin, kind="booking_cancelled").exists()


def test_propose_then_company_accepts_the_new_dates(world):
    booking = _request(world)
    new_start = booking.start + timedelta(days=30)
    services.booking_propose(
        booking=booking,
        user=world.site_admin,
        start=new_start,
        end=new_start + timedelta(days=6),
        answer="Vi har plads senere.",
    )
    booking.refresh_from_db()
    assert booking.status == "proposed"
    with pytest.raises(BookingError):  # the site cannot accept on the company's behalf
        services.booking_accept_proposal(booking=booking, user=world.site_admin)
    services.booking_accept_proposal(booking=booking, user=world.sme_member)
    booking.refresh_from_db()
    assert (booking.status, booking.start, booking.end) == (
        "accepted",
        new_start,
        new_start + timedelta(days=6),
    )
    assert booking.proposed_start is None


def test_decline_needs_a_reason(world):
    booking = _request(world)
    with pytest.raises(BookingError):
        services.booking_decline(booking=booking, user=world.site_admin, reason="  ")
    booking.refresh_from_db()
    assert booking.status == "requested"
    services.booking_decline(booking=booking, user=world.site_admin, reason="Ingen plads")
    booking.refresh_from_db()
    assert (booking.status, booking.answer) == ("declined", "Ingen plads")
    with pytest.raises(BookingError):  # answered once
        services.booking_accept(booking=booking, user=world.site_admin)


@pytest.mark.parametrize("who", ["sme_admin", "sme_member", "outsider"])
def test_only_the_sites_people_answer(world, who):
    booking = _request(world)
    user = getattr(world, who)
    for call in (
        lambda: services.booking_accept(booking=booking, user=user),
        lambda: services.booking_decline(booking=booking, user=user, reason="Nej"),
        lambda: services.booking_propose(
            booking=booking, user=user, start=booking.start, end=booking.end
        ),
    ):
        with pytest.raises(BookingError):
            call()
    booking.refresh_from_db()
    assert booking.status == "requested"


@pytest.mark.parametrize("who", ["site_admin", "site_member", "outsider"])
def test_only_the_companys_people_request(world, who):
    with pytest.raises(BookingError):
        services.booking_request(
            site=world.site,
            organisation=world.sme,
            user=getattr(world, who),
            **request_fields(),
        )
    assert not Booking.objects.exists()


def test_outsider_cannot_cancel(world):
    booking = _request(world)
    with pytest.raises(BookingError):
        services.booking_cancel(booking=booking, user=world.outsider)
    booking.refresh_from_db()
    assert booking.status == "requested"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"days_ahead": 10, "length": -3}, "end before it starts"),
        ({"days_ahead": -5}, "in the past"),
    ],
)
def test_bad_dates_are_refused_and_change_nothing(world, extra, message):
    with pytest.raises(BookingError) as error:
        _request(world, **extra)
    assert message in str(error.value)
    assert not Booking.objects.exists()


def test_dates_outside_the_sites_window(world):
    today = timezone.localdate()
    TestSite.objects.filter(pk=world.site.pk).update(
        available_from=today + timedelta(days=20), available_until=today + timedelta(days=60)
    )
    world.site.refresh_from_db()
    with pytest.raises(BookingError, match="open for tests from"):
        _request(world, days_ahead=10)
    with pytest.raises(BookingError, match="open for tests until"):
        _request(world, days_ahead=50, length=20)
    assert not Booking.objects.exists()
    assert _request(world, days_ahead=25, length=10).pk


def test_capacity_zero_refuses_requests_and_accepts(world):
    booking = _request(world)
    TestSite.objects.filter(pk=world.site.pk).update(capacity=0)
    world.site.refresh_from_db()
    with pytest.raises(BookingError, match="capacity is 0"):
        _request(world)
    with pytest.raises(BookingError, match="capacity is 0"):
        services.booking_accept(booking=booking, user=world.site_admin)
    booking.refresh_from_db()
    assert booking.status == "requested"
    assert Booking.objects.count() == 1


def test_accepting_beyond_capacity_is_refused(world):
    # Capacity 2: two accepted overlapping bookings fill the days they share.
    first, second, third = (_request(world, days_ahead=10 + i) for i in range(3))
    services.booking_accept(booking=first, user=world.site_admin)
    services.booking_accept(booking=second, user=world.site_admin)
    with pytest.raises(BookingError, match="fully booked"):
        services.booking_accept(booking=third, user=world.site_admin)
    third.refresh_from_db()
    assert third.status == "requested"
    # A request for full days is refused at once.
    with pytest.raises(BookingError, match="fully booked"):
        _request(world, days_ahead=15, length=2)
    # After the full days, there is room.
    later = _request(world, days_ahead=40)
    services.booking_accept(booking=later, user=world.site_admin)


def test_accepting_checks_the_window_again(world):
    booking = _request(world)
    TestSite.objects.filter(pk=world.site.pk).update(
        available_until=booking.start + timedelta(days=2)
    )
    with pytest.raises(BookingError, match="open for tests until"):
        services.booking_accept(booking=booking, user=world.site_admin)
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_an_organisation_cannot_book_its_own_site(world):
    world.municipality.kind = "sme"
    world.municipality.save(update_fields=["kind"])
    with pytest.raises(BookingError):
        services.booking_request(
            site=world.site,
            organisation=world.municipality,
            user=world.site_admin,
            **request_fields(),
        )


def test_daily_refresh_writes_running_counts(world):
    today = timezone.localdate()
    mine = {"site": world.site, "organisation": world.sme}
    running = BookingFactory(
        **mine, status="accepted", start=today - timedelta(days=2), end=today + timedelta(days=2)
    )
    BookingFactory(
        **mine, status="accepted", start=today + timedelta(days=1), end=today + timedelta(days=3)
    )
    BookingFactory(**mine, status="requested", start=today, end=today)
    TestSite.objects.filter(pk=world.site.pk).update(tests_running=5)
    from matchmaking.bookings.tasks import refresh_tests_running

    assert refresh_tests_running() == 1
    assert TestSite.objects.get(pk=world.site.pk).tests_running == 1
    assert services.site_tests_running_refresh(today=today + timedelta(days=1)) == 1
    assert TestSite.objects.get(pk=world.site.pk).tests_running == 2
    assert services.site_tests_running_refresh(today=today + timedelta(days=1)) == 0
    assert running.pk


def test_occupancy_counts_each_day():
    d = date(2027, 3, 1)
    periods = [(d, d + timedelta(days=2)), (d + timedelta(days=2), d + timedelta(days=4))]
    counts = calendar.occupancy(periods, d, d + timedelta(days=5))
    assert [counts[d + timedelta(days=i)] for i in range(6)] == [1, 1, 2, 1, 1, 0]
    assert calendar.full_days(periods, d, d + timedelta(days=5), 2) == [d + timedelta(days=2)]
    assert calendar.parse_month("2027-13", d) == d
    assert calendar.add_months(date(2027, 12, 1), 1) == date(2028, 1, 1)


def test_merging_two_companies_moves_bookings_and_keeps_one_calendar_address(world):
    from matchmaking.bookings.models import CalendarFeed
    from network.merge import organisation_merge
    from tests.factories import OrganisationFactory, UserFactory

    duplicate = OrganisationFactory(kind="sme", name="Faldsikker A/S", cvr="")
    booking = BookingFactory(site=world.site, organisation=duplicate)
    kept_feed = CalendarFeed.objects.create(organisation=world.sme)
    CalendarFeed.objects.create(organisation=duplicate)
    organisation_merge(kept=world.sme, removed=duplicate, user=UserFactory(is_network_admin=True))
    booking.refresh_from_db()
    assert booking.organisation == world.sme
    assert list(CalendarFeed.objects.filter(organisation__isnull=False)) == [kept_feed]


def test_both_sides_are_asked_once_to_evaluate_a_test_that_ended(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from matchmaking.bookings.models import Evaluation
    from matchmaking.bookings.tasks import send_evaluation_reminders

    today = timezone.localdate()
    ended = BookingFactory(
        site=world.site,
        organisation=world.sme,
        status="accepted",
        start=today - timedelta(days=20),
        end=today - timedelta(days=1),
    )
    BookingFactory(  # ended long ago: nobody is asked any more
        site=world.site,
        organisation=world.sme,
        status="accepted",
        start=today - timedelta(days=60),
        end=today - timedelta(days=30),
    )
    Evaluation.objects.create(booking=ended, side="site", submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        # The company's two people; the site has finished its evaluation.
        assert send_evaluation_reminders() == 2
    assert send_evaluation_reminders() == 0
    asked = set(Notification.objects.filter(kind="booking_evaluate").values_list("user", flat=True))
    assert asked == {world.sme_admin.pk, world.sme_member.pk}
    assert sorted(m.to[0] for m in mailoutbox) == [world.sme_admin.email, world.sme_member.email]
    from tests.language import danish

    subject = danish("Evaluate the test of %(company)s at %(site)s") % {
        "company": "Faldsikker ApS",
        "site": "Plejecenter Solhaven",
    }
    assert mailoutbox[0].subject == subject  # in the recipient's language, Danish by default


def test_an_accepted_test_running_today_tells_matching_the_sites_free_capacity(
    django_capture_on_commit_callbacks,
):
    """The site's free capacity (tests_running) comes from the calendar, and matching hears of
    the change: a run for the site is queued once the acceptance commits."""
    from matchmaking.models import MatchRun

    world = make_world(capacity=1)
    booking = services.booking_request(
        site=world.site,
        organisation=world.sme,
        user=world.sme_admin,
        **request_fields(days_ahead=0),
    )
    before = MatchRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_accept(booking=booking, user=world.site_admin)
    world.site.refresh_from_db()
    assert world.site.tests_running == 1
    assert not world.site.has_capacity
    runs = MatchRun.objects.order_by("pk")[before:]
    # A run for the site (a full one while none has run yet).
    assert any(run.kind == "full" or ["test_site", world.site.pk] in run.changes for run in runs)


def test_saving_an_evaluation_writes_its_answers_in_a_fixed_few_queries(
    world, django_assert_max_num_queries
):
    """All seven MAST domains, first written and then changed: the answers go in together
    (one insert, then one update), not a validation query and a save per domain."""
    from matchmaking.bookings.models import Domain, EvaluationAnswer

    today = timezone.localdate()
    booking = BookingFactory(
        site=world.site,
        organisation=world.sme,
        status="accepted",
        start=today - timedelta(days=20),
        end=today - timedelta(days=1),
    )
    answers = {domain: (3, f"Fund {domain}") for domain in Domain.values}
    for rating in (3, 4):
        answers = {domain: (rating, text) for domain, (_r, text) in answers.items()}
        with django_assert_max_num_queries(12):
            services.evaluation_save(
                booking=booking, side="site", user=world.site_admin, answers=answers
            )
    saved = EvaluationAnswer.objects.filter(evaluation__booking=booking, evaluation__side="site")
    assert sorted(saved.values_list("rating", flat=True)) == [4] * len(Domain.values)
    with pytest.raises(BookingError, match="whole number from 1 to 5"):
        services.evaluation_save(
            booking=booking, side="site", user=world.site_admin, answers={"safety": (7, "")}
        )
    assert saved.get(domain="safety").rating == 4


@pytest.mark.parametrize("name", ["refresh_tests_running", "send_evaluation_reminders"])
def test_the_periodic_tasks_can_be_sent(name):
    """Beat sends them with apply_async: Celery refuses a task whose soft time limit (the
    settings' one unless the task sets its own) is above its hard one."""
    from matchmaking.bookings import tasks

    task = getattr(tasks, name)
    assert task.soft_time_limit < task.time_limit
    assert task.delay().get() == 0
