"""Every write of a booking, an evaluation or a calendar feed, and who hears about it.

Accepting is the one write that can overbook a site, so it runs in a transaction that first
locks the site's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction takes the
database's write lock as it begins, settings' transaction_mode IMMEDIATE), then counts the
accepted bookings overlapping the period day by day and refuses a day that is full. Two
requests accepting at once therefore run one after the other, and the second sees the first.

The number of tests running today is the calendar's fact, written down into
TestSite.tests_running (which the directory and matching show) on every accept and cancel and
by a daily task, never read upward from network (design.md, section 2).
"""

from contextlib import nullcontext
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.bookings import calendar
from matchmaking.bookings.models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    Booking,
    BookingStatus,
    CalendarFeed,
    Domain,
    Evaluation,
    EvaluationAnswer,
    EvaluationAttachment,
    Side,
    new_feed_token,
    proposal_deadline,
    proposal_expiry_days,
    reminder_days,
)
from matchmaking.bookings.permissions import belongs_to, is_admin_of, sides_of
from matchmaking.introductions.services import people_of
from network import deliveries, hooks, notifications
from network.models import Organisation, TestSite
from network.models.organisations import OrganisationKind

MAX_ATTACHMENTS = 10


class BookingError(Exception):
    """A write the rules do not allow; `message` is fit to show to the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _notify(
    booking: Booking,
    *,
    organisation_id,
    kind: str,
    template: str,
    url: str | None = None,
    once: str | None = None,
    deadline=None,
    **extra,
) -> int:
    """Tell the people of `organisation_id` about `booking`: an inbox entry, and an email as
    each of them chose (at once for a digest reader when `deadline` comes before the digest).
    With `once` (a key), each person at most once for that key: a delivery row claimed in the
    same transaction as the message. Returns how many were told."""
    url = url or booking.get_absolute_url()
    sent = 0
    for user in people_of(organisation_id):
        with transaction.atomic() if once else nullcontext():
            if once and not deliveries.delivery_claim(kind=kind, key=once, user=user):
                continue
            notifications.notification_send(
                user=user,
                kind=kind,
                template=f"emails/bookings/{template}.txt",
                context={
                    "booking": booking,
                    "site": booking.site,
                    "company": booking.organisation,
                    "recipient": user,
                    "url": notifications.site_url(url),
                    **extra,
                },
                url=url,
                deadline=deadline,
            )
            sent += 1
    return sent


# --- Checking a period --------------------------------------------------------------------------
def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def check_period(*, site: TestSite, start, end, today: date | None = None) -> None:
    """Raise BookingError when [start, end] is no period the site can take."""
    today = today or timezone.localdate()
    if start is None or end is None:
        raise BookingError(_("Give the first and the last day of the test."), field="start")
    if end < start:
        raise BookingError(_("The test cannot end before it starts."), field="end")
    if start < today:
        raise BookingError(_("The test cannot start in the past."), field="start")
    if site.capacity == 0:
        raise BookingError(_("This test site takes no tests at the moment (its capacity is 0)."))
    if site.available_from and start < site.available_from:
        raise BookingError(
            _("The site is open for tests from %(day)s.") % {"day": _day(site.available_from)},
            field="start",
        )
    if site.available_until and end > site.available_until:
        raise BookingError(
            _("The site is open for tests until %(day)s.") % {"day": _day(site.available_until)},
            field="end",
        )


def full_days(*, site: TestSite, start, end, exclude_pk=None) -> list[date]:
    periods = (
        Booking.objects.accepted()
        .filter(site_id=site.pk)
        .overlapping(start, end)
        .exclude(pk=exclude_pk)
        .values_list("start", "end")
    )
    return calendar.full_days(list(periods), start, end, site.capacity)


def _require_room(*, site: TestSite, start, end, exclude_pk=None) -> None:
    """Raise BookingError unless the site can take [start, end] (check_period) with a place
    free on every day, not counting the booking `exclude_pk` itself."""
    check_period(site=site, start=start, end=end)
    days = full_days(site=site, start=start, end=end, exclude_pk=exclude_pk)
    if days:
        shown = ", ".join(_day(d) for d in days[:5]) + (" …" if len(days) > 5 else "")
        raise BookingError(
            _("The site is fully booked on %(days)s. Choose other dates.") % {"days": shown}
        )


def _lock_site(site_id) -> TestSite:
    """The site's row, locked until the transaction ends (PostgreSQL); SQLite's immediate
    transactions already hold the database's write lock."""
    sites = TestSite._base_manager.filter(pk=site_id)
    if connection.features.has_select_for_update:
        sites = sites.select_for_update()
    return sites.get()


# --- The booking's life ---------------------------------------------------------------------------
@transaction.atomic
def booking_request(*, site: TestSite, organisation: Organisation, user, **fields) -> Booking:
    """An SME's people ask for a test period at `site`."""
    # Who may ask: companies (the network's SMEs), as matchmaking.permissions.sme_organisations.
    if not belongs_to(user, organisation.pk) or organisation.kind != OrganisationKind.SME:
        raise BookingError(_("Only a company's own people can ask for a test period for it."))
    if organisation.pk == site.owner_id:
        raise BookingError(_("An organisation cannot book its own test site."))
    _require_room(site=site, start=fields.get("start"), end=fields.get("end"))
    booking = Booking(site=site, organisation=organisation, requested_by=user, **fields)
    _full_clean(booking)
    booking.save()
    _notify(
        booking,
        organisation_id=site.owner_id,
        kind="booking_requested",
        template="booking_requested",
        deadline=booking.expires_at,  # at once if it expires before their next digest
    )
    return booking


def _full_clean(booking: Booking) -> None:
    try:
        booking.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BookingError(messages[0], field=None if field == "__all__" else field) from exc


def _require_site(user, booking: Booking) -> None:
    if not belongs_to(user, booking.site.owner_id):
        raise BookingError(_("Only the test site's people can answer this request."))


def _require_company(user, booking: Booking) -> None:
    if not belongs_to(user, booking.organisation_id):
        raise BookingError(_("Only the company's people can do this."))


def _require_waiting(booking: Booking) -> None:
    """Nobody answers a booking whose deadline has come: marked expired, or due to be by the
    next hourly run (booking_expire)."""
    if booking.status == BookingStatus.EXPIRED or booking.deadline_passed(timezone.now()):
        if booking.status == BookingStatus.PROPOSED or booking.proposal_expired:
            raise BookingError(
                _("The proposed dates have expired: the company did not accept them in time.")
            )
        raise BookingError(_("This request has expired: nobody answered it in time."))


def _require_unanswered(booking: Booking, statuses) -> None:
    """The site's people answer only a request in one of `statuses`, before its deadline."""
    _require_waiting(booking)
    if booking.status not in statuses:
        raise BookingError(_("This request has already been answered."))


def _locked(booking: Booking) -> tuple[TestSite, Booking]:
    site = _lock_site(booking.site_id)
    rows = Booking.objects.filter(pk=booking.pk)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update(of=("self",))  # the site's row is locked above
    return site, rows.select_related("site", "organisation").get()


@transaction.atomic
def booking_accept(*, booking: Booking, user) -> Booking:
    """The site's people accept the requested period: it enters the capacity calendar."""
    _require_site(user, booking)
    site, booking = _locked(booking)
    _require_unanswered(booking, (BookingStatus.REQUESTED,))
    # The site's window may have changed, or the first day passed, since the request.
    _require_room(site=site, start=booking.start, end=booking.end, exclude_pk=booking.pk)
    _answer(booking, user, BookingStatus.ACCEPTED)
    site_tests_running_refresh(site_ids=[site.pk])
    _notify(
        booking,
        organisation_id=booking.organisation_id,
        kind="booking_accepted",
        template="booking_accepted",
    )
    return booking


@transaction.atomic
def booking_propose(*, booking: Booking, user, start, end, answer: str = "") -> Booking:
    """The site's people offer other dates; the company accepts them or leaves it."""
    _require_site(user, booking)
    site, booking = _locked(booking)
    _require_unanswered(booking, OPEN_STATUSES)
    _require_room(site=site, start=start, end=end, exclude_pk=booking.pk)
    booking.proposed_start, booking.proposed_end = start, end
    # Now the company must answer: a full period of its own, and its own reminder.
    booking.expires_at = proposal_deadline()
    booking.reminder_sent_at = None
    _answer(booking, user, BookingStatus.PROPOSED, answer=answer)
    _notify(
        booking,
        organisation_id=booking.organisation_id,
        kind="booking_proposed",
        template="booking_proposed",
        deadline=booking.expires_at,  # at once if it expires before their next digest
    )
    return booking


@transaction.atomic
def booking_accept_proposal(*, booking: Booking, user) -> Booking:
    """The company takes the dates the site proposed: the booking is accepted for them."""
    _require_company(user, booking)
    site, booking = _locked(booking)
    _require_waiting(booking)
    if booking.status != BookingStatus.PROPOSED:
        raise BookingError(_("There are no proposed dates to accept."))
    start, end = booking.proposed_start, booking.proposed_end
    _require_room(site=site, start=start, end=end, exclude_pk=booking.pk)
    booking.start, booking.end = start, end
    booking.proposed_start = booking.proposed_end = None
    booking.status = BookingStatus.ACCEPTED
    _full_clean(booking)
    booking.save()
    site_tests_running_refresh(site_ids=[site.pk])
    _notify(
        booking,
        organisation_id=site.owner_id,
        kind="booking_proposal_accepted",
        template="booking_proposal_accepted",
    )
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, user, reason: str) -> Booking:
    _require_site(user, booking)
    if not (reason or "").strip():
        raise BookingError(_("Tell the company why you decline."), field="answer")
    _site, booking = _locked(booking)
    _require_unanswered(booking, OPEN_STATUSES)
    _answer(booking, user, BookingStatus.DECLINED, answer=reason.strip())
    _notify(
        booking,
        organisation_id=booking.organisation_id,
        kind="booking_declined",
        template="booking_declined",
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, user, reason: str = "") -> Booking:
    """Either side calls off an open or accepted booking that has not ended."""
    sides = sides_of(user, booking)
    if not sides:
        raise BookingError(_("Only the two sides of a booking can cancel it."))
    site, booking = _locked(booking)
    if not booking.may_be_cancelled(timezone.localdate()):
        if booking.status in LIVE_STATUSES:
            raise BookingError(_("A test that has ended cannot be cancelled."))
        raise BookingError(_("This booking is no longer open or accepted."))
    by_site = Side.SITE in sides and Side.COMPANY not in sides
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by_site = by_site
    if reason.strip():
        booking.answer = reason.strip()
    booking.save(update_fields=["status", "cancelled_by_site", "answer", "updated_at"])
    site_tests_running_refresh(site_ids=[site.pk])
    _notify(
        booking,
        organisation_id=booking.organisation_id if by_site else site.owner_id,
        kind="booking_cancelled",
        template="booking_cancelled",
    )
    return booking


def _answer(booking: Booking, user, status, *, answer: str | None = None) -> None:
    booking.status = status
    booking.answered_by = user
    booking.answered_at = timezone.now()
    if answer is not None:
        booking.answer = answer
    _full_clean(booking)
    booking.save()


# --- Requests and proposals nobody answers ----------------------------------------------------
# The two open questions have the same shape: one side must answer by the booking's deadline
# (expires_at), is reminded once before it (reminder_sent_at), and both sides are told when it
# expires. What differs is who answers and the words: (side reminded, reminder; expired notices
# as (side, kind and template)) per status.
_WAITING = {
    BookingStatus.REQUESTED: (
        Side.SITE,
        "booking_reminder",
        ((Side.COMPANY, "booking_expired"), (Side.SITE, "booking_expired_site")),
    ),
    BookingStatus.PROPOSED: (
        Side.COMPANY,
        "booking_proposal_reminder",
        ((Side.SITE, "booking_proposal_expired_site"), (Side.COMPANY, "booking_proposal_expired")),
    ),
}


def _side_organisation_id(booking: Booking, side: str):
    return booking.site.owner_id if side == Side.SITE else booking.organisation_id


def _claim_then_notify(booking: Booking, *, where: dict, changes: dict, notices) -> bool:
    """Change the booking's row only if it still is as `where` says (a conditional update) and,
    only when this call changed it, send `notices` ((side, kind, extra)): a run repeated or
    overlapping, or an answer given meanwhile, finds nothing to claim and tells nobody."""
    if not Booking.objects.filter(pk=booking.pk, **where).update(**changes):
        return False
    for field, value in changes.items():
        setattr(booking, field, value)
    for side, kind, extra in notices:
        _notify(
            booking,
            organisation_id=_side_organisation_id(booking, side),
            kind=kind,
            template=kind,
            **extra,
        )
    return True


@transaction.atomic
def booking_expire(*, booking: Booking, now=None) -> bool:
    """An open booking nobody answered by its deadline expires: a request the site's people did
    not answer, or dates the site proposed that the company did not accept. It leaves the
    site's calendar and feeds and can no longer be answered, so its days are open to others (it
    never counted against the capacity; only accepted bookings do). Both sides hear of it.
    Claimed for the status it had when read: a booking answered meanwhile (a request turned
    into a proposal has a new deadline), or expired by another run, is left alone and nobody is
    told twice. Returns whether this call expired it."""
    now = now or timezone.now()
    if booking.status not in _WAITING:
        return False
    _side, _reminder, expired = _WAITING[booking.status]
    return _claim_then_notify(
        booking,
        where={"status": booking.status, "expires_at__lte": now},
        changes={"status": BookingStatus.EXPIRED, "updated_at": now},
        notices=[(side, kind, {}) for side, kind in expired],
    )


@transaction.atomic
def booking_remind(*, booking: Booking, now=None) -> bool:
    """Before an open booking expires, the side that must answer is reminded once, with the
    date: the site's people of a request, the company's people of proposed dates."""
    now = now or timezone.now()
    if booking.status not in _WAITING:
        return False
    side, kind, _expired = _WAITING[booking.status]
    # Calendar days in the portal's time zone: "tomorrow" is the next date, not 24 hours.
    days_left = deliveries.days_until(
        deliveries.local_day(booking.expires_at), today=deliveries.local_day(now)
    )
    extra = {"deadline": booking.expires_at, "days_left": max(days_left, 0)}
    # Done already (another run), or answered meanwhile: a proposal made since the list was
    # read has another deadline and its own reminder to come.
    return _claim_then_notify(
        booking,
        where={
            "status": booking.status,
            "expires_at": booking.expires_at,
            "reminder_sent_at__isnull": True,
        },
        changes={"reminder_sent_at": now, "updated_at": now},
        notices=[(side, kind, extra)],
    )


def bookings_expire_and_remind(*, now=None) -> dict:
    """Hourly (beat): requests and proposed dates nobody answered by their deadline expire; the
    side that must answer is reminded of those that expire within settings.BOOKING_REMINDER_DAYS
    (within each one's period)."""
    now = now or timezone.now()
    bookings = Booking.objects.select_related("site", "organisation")
    # Each list is read whole before its rows change (no cursor left open over the rows the
    # loop updates, which SQLite may then skip), and each row is claimed on its own.
    due = list(bookings.due_for_expiry(now))
    expired = sum(booking_expire(booking=booking, now=now) for booking in due)
    days = {
        BookingStatus.REQUESTED: reminder_days(),
        BookingStatus.PROPOSED: reminder_days(proposal_expiry_days()),
    }
    due = list(bookings.due_for_reminder(now=now, days=days))
    reminded = sum(booking_remind(booking=booking, now=now) for booking in due)
    return {"expired": expired, "reminded": reminded}


# --- The fact written down into network -----------------------------------------------------------
def site_tests_running_refresh(*, site_ids=None, today: date | None = None) -> int:
    """Write the number of accepted bookings running `today` into TestSite.tests_running, for
    `site_ids` (every site when None) in one UPDATE; returns the rows changed."""
    today = today or timezone.localdate()
    running = (
        Booking.objects.running_on(today)
        .filter(site_id=OuterRef("pk"))
        .values("site_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    count = Coalesce(Subquery(running), Value(0))
    sites = TestSite._base_manager.all()
    if site_ids is not None:
        sites = sites.filter(pk__in=list(site_ids))
    stale = sites.annotate(now_running=count).exclude(tests_running=F("now_running"))
    changed = list(stale.values_list("pk", flat=True))
    if not changed:
        return 0
    TestSite._base_manager.filter(pk__in=changed).update(tests_running=count)
    # Matching reads a site's free capacity: one run for the sites whose number changed.
    hooks.profiles_changed_on_commit("test_site", changed)
    return len(changed)


# --- Evaluations ----------------------------------------------------------------------------------
def evaluation_open(booking: Booking, today: date | None = None) -> bool:
    """Evaluations are written once an accepted test has ended."""
    return booking.has_ended(today or timezone.localdate())


@transaction.atomic
def evaluation_save(
    *, booking: Booking, side: str, user, answers: dict, files=(), submit: bool = False
) -> Evaluation:
    """Save `side`'s evaluation: {domain: (rating or None, text)}; `files` are uploads already
    checked by the form. `submit` marks it finished (it stays editable)."""
    if side not in sides_of(user, booking):
        raise BookingError(_("Only the two sides of a test evaluate it."))
    if not evaluation_open(booking):
        raise BookingError(_("A test is evaluated once it has ended."))
    evaluation, _created = Evaluation.objects.get_or_create(booking=booking, side=side)
    existing = {a.domain: a for a in evaluation.answers.all()}
    added, changed = [], []
    for domain in Domain.values:
        rating, text = answers.get(domain, (None, ""))
        answer = existing.get(domain) or EvaluationAnswer(evaluation=evaluation, domain=domain)
        answer.rating, answer.text = rating, (text or "").strip()
        try:
            # The fields' own checks, without a query per answer: the evaluation is the one
            # just fetched, and the database holds the constraints (one answer per domain,
            # rating 1-5).
            answer.full_clean(
                exclude=["evaluation"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise BookingError(_("A rating is a whole number from 1 to 5.")) from exc
        (changed if answer.pk else added).append(answer)
    EvaluationAnswer.objects.bulk_create(added)
    EvaluationAnswer.objects.bulk_update(changed, ["rating", "text"])
    files = list(files)
    if evaluation.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise BookingError(
            _("An evaluation has at most %(count)d attachments.") % {"count": MAX_ATTACHMENTS},
            field="files",
        )
    for upload in files:
        EvaluationAttachment.objects.create(
            evaluation=evaluation,
            file=upload,
            name=(upload.name or "file")[-200:],
            size=upload.size or 0,
            uploaded_by=user,
        )
    if submit and evaluation.submitted_at is None:
        evaluation.submitted_at = timezone.now()
        evaluation.submitted_by = user
    evaluation.save()
    return evaluation


EVALUATION_REMINDER_DAYS = 7


def evaluation_reminders_send(*, today: date | None = None) -> int:
    """Ask both sides of each test that ended in the last week to evaluate it, once per person
    and test (a delivery row per reminder), leaving out a side that has finished its own."""
    today = today or timezone.localdate()
    ended = Booking.objects.accepted().filter(
        end__lt=today, end__gte=today - timedelta(days=EVALUATION_REMINDER_DAYS)
    )
    finished = set(
        Evaluation.objects.filter(booking__in=ended, submitted_at__isnull=False).values_list(
            "booking_id", "side"
        )
    )
    sent = 0
    for booking in ended.select_related("site", "organisation"):
        for side, organisation_id in (
            (Side.SITE, booking.site.owner_id),
            (Side.COMPANY, booking.organisation_id),
        ):
            if (booking.pk, side) in finished:
                continue
            sent += _notify(
                booking,
                organisation_id=organisation_id,
                kind="booking_evaluate",
                template="booking_evaluate",
                url=reverse("bookings:evaluation", args=[booking.pk, side]),
                once=f"{booking.pk}:{side}",
            )
    return sent


@transaction.atomic
def attachment_delete(*, attachment: EvaluationAttachment, user) -> None:
    if attachment.evaluation.side not in sides_of(user, attachment.evaluation.booking):
        raise BookingError(_("Only the side that added a file can remove it."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def summary_publish(*, booking: Booking, user, summary: str) -> Booking:
    """The company publishes what the test showed on its public list of tests."""
    _require_company(user, booking)
    if not evaluation_open(booking):
        raise BookingError(_("A summary is published once the test has ended."))
    if not (summary or "").strip():
        raise BookingError(_("Write the summary to publish."), field="summary")
    booking.summary = summary.strip()
    booking.summary_published_at = timezone.now()
    booking.save(update_fields=["summary", "summary_published_at", "updated_at"])
    return booking


@transaction.atomic
def summary_unpublish(*, booking: Booking, user) -> Booking:
    _require_company(user, booking)
    booking.summary_published_at = None
    booking.save(update_fields=["summary_published_at", "updated_at"])
    return booking


# --- Calendar feeds ------------------------------------------------------------------------------
def feed_for(*, site: TestSite | None = None, organisation: Organisation | None = None):
    """The feed of a site or an organisation, made on first use."""
    if site is not None:
        feed, _created = CalendarFeed.objects.get_or_create(site=site)
    else:
        feed, _created = CalendarFeed.objects.get_or_create(organisation=organisation)
    return feed


@transaction.atomic
def feed_token_regenerate(
    *, user, site: TestSite | None = None, organisation: Organisation | None = None
) -> CalendarFeed:
    """A new private address; the old one stops working at once. Organisation admins only."""
    owner_id = site.owner_id if site is not None else organisation.pk
    if not is_admin_of(user, owner_id):
        raise BookingError(_("Only the organisation's admins can make a new calendar address."))
    feed = feed_for(site=site, organisation=organisation)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed


# --- What a site's owners may not edit away ------------------------------------------------
def site_commitments_check(site_id, *, capacity=None, available_from=None, available_until=None):
    """{field: message} when a site's new capacity or window would break accepted bookings
    that have not ended (registered in network.hooks; the test site form shows them)."""
    today = timezone.localdate()
    periods = list(
        Booking.objects.accepted()
        .filter(site_id=site_id, end__gte=today)
        .values_list("start", "end")
        .order_by("start")
    )
    if not periods:
        return {}
    errors = {}
    if capacity is not None:
        first = max(min(start for start, _end in periods), today)
        last = max(end for _start, end in periods)
        counts = calendar.occupancy(periods, first, last)
        busiest = max(counts, key=lambda day: (counts[day], -day.toordinal()))
        if counts[busiest] > capacity:
            errors["capacity"] = _(
                "%(count)d accepted tests run at the same time on %(day)s; the capacity cannot "
                "be lower. Cancel or move bookings first."
            ) % {"count": counts[busiest], "day": _day(busiest)}
    if available_from and any(start < available_from for start, _end in periods):
        errors["available_from"] = _(
            "Accepted tests start before this day; the site must stay open for them."
        )
    if available_until and any(end > available_until for _start, end in periods):
        errors["available_until"] = _(
            "Accepted tests run after this day; the site must stay open for them."
        )
    return errors
