"""Test bookings: a period an SME asks for at a test site, and what both sides learnt from it.

A booking's life: requested -> accepted, or declined (with a reason), or proposed (the site
offers other dates, which the SME accepts or leaves) -> accepted, or expired (the side that had
to answer did not by the deadline: the site's people a request, the company proposed dates);
either side may cancel an open or accepted booking.
Accepted bookings fill the site's capacity calendar; the services make sure they never exceed
its capacity on any day (services.py).
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.bookings.querysets import BookingQuerySet, EvaluationQuerySet
from network import deliveries
from network.models import Organisation, TestSite

TRL = [MinValueValidator(1), MaxValueValidator(9)]
RATING = [MinValueValidator(1), MaxValueValidator(5)]


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROPOSED = "proposed", _("Other dates proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (BookingStatus.REQUESTED, BookingStatus.PROPOSED)
# Bookings that still stand: waiting for an answer, or accepted.
LIVE_STATUSES = (*OPEN_STATUSES, BookingStatus.ACCEPTED)


def expiry_days() -> int:
    """Days the site's people have to answer a request (settings.BOOKING_EXPIRY_DAYS)."""
    return max(1, int(settings.BOOKING_EXPIRY_DAYS))


def proposal_expiry_days() -> int:
    """Days the company has to accept dates the site proposed
    (settings.BOOKING_PROPOSAL_EXPIRY_DAYS)."""
    return max(1, int(settings.BOOKING_PROPOSAL_EXPIRY_DAYS))


def reminder_days(period: int | None = None) -> int:
    """Days before the deadline the side that must answer is reminded (0: never), within the
    period (`period` days; a request's by default)."""
    period = expiry_days() if period is None else period
    return max(0, min(int(settings.BOOKING_REMINDER_DAYS), period - 1))


def request_deadline() -> datetime:
    """When a request made now expires unanswered: `expiry_days()` later at the same time of
    day in the portal's time zone."""
    return deliveries.same_time_days_later(timezone.now(), expiry_days())


def proposal_deadline() -> datetime:
    """When dates proposed now expire if the company does not accept them."""
    return deliveries.same_time_days_later(timezone.now(), proposal_expiry_days())


class Booking(models.Model):
    site = models.ForeignKey(
        TestSite, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("test site")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="test_bookings",
        verbose_name=_("company"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    what_is_tested = models.TextField(_("what is tested"))
    trl = models.PositiveSmallIntegerField(
        _("readiness level (TRL)"),
        validators=TRL,
        help_text=_("Technology readiness level of the solution, 1 to 9."),
    )
    citizens = models.PositiveIntegerField(_("citizens"), default=0)
    patients = models.PositiveIntegerField(_("patients"), default=0)
    staff = models.PositiveIntegerField(_("staff"), default=0)
    needs_ethics_approval = models.BooleanField(_("needs ethics approval"), default=False)
    needs_data_agreement = models.BooleanField(
        _("needs a data processing agreement"), default=False
    )
    message = models.TextField(_("message to the site"), blank=True)
    proposed_start = models.DateField(_("proposed first day"), null=True, blank=True)
    proposed_end = models.DateField(_("proposed last day"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The open question's deadline: a request the site's people have not answered, or proposed
    # dates the company has not accepted, by then expires (services.booking_expire); proposing
    # sets a new one (and clears reminder_sent_at, the reminder of whoever must answer now).
    expires_at = models.DateTimeField(_("expires"), default=request_deadline)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    cancelled_by_site = models.BooleanField(default=False)
    summary = models.TextField(_("summary"), blank=True)
    summary_published_at = models.DateTimeField(_("summary published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("test booking")
        verbose_name_plural = _("test bookings")
        indexes = [
            models.Index(fields=["site", "status", "start", "end"]),
            models.Index(fields=["status", "expires_at"], name="booking_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="booking_dates"),
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="booking_trl"),
            models.CheckConstraint(
                condition=Q(proposed_start__isnull=True)
                | Q(proposed_end__gte=models.F("proposed_start")),
                name="booking_proposed_dates",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} @ {self.site} ({self.start}–{self.end})"

    def get_absolute_url(self):
        return reverse("bookings:detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def deadline_passed(self, now) -> bool:
        """Open, and its deadline has come: nobody may answer it any more, even before the
        hourly task marks it expired."""
        return self.is_open and self.expires_at <= now

    @property
    def proposal_expired(self) -> bool:
        """It expired as proposed dates the company did not accept (a request that expires
        never had proposed dates)."""
        return self.status == BookingStatus.EXPIRED and self.proposed_start is not None

    def has_ended(self, today) -> bool:
        return self.status == BookingStatus.ACCEPTED and self.end < today

    def may_be_cancelled(self, today) -> bool:
        """Either side may call off a booking that still stands and has not ended."""
        return self.status in LIVE_STATUSES and self.end >= today

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The test cannot end before it starts.")
        if self.proposed_start and self.proposed_end and self.proposed_end < self.proposed_start:
            errors["proposed_end"] = _("The test cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class Side(models.TextChoices):
    SITE = "site", _("Test site")
    COMPANY = "company", _("Company")


class Domain(models.TextChoices):
    """The seven domains of MAST (Model for ASsessment of Telemedicine)."""

    HEALTH_PROBLEM = "health_problem", _("Health problem and description of the technology")
    SAFETY = "safety", _("Safety")
    CLINICAL = "clinical", _("Clinical effectiveness")
    PATIENTS = "patients", _("Patient perspectives")
    ECONOMY = "economy", _("Economic aspects")
    ORGANISATION = "organisation", _("Organisational aspects")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-cultural, ethical and legal aspects")


class Evaluation(models.Model):
    """One side's evaluation of a test that ended. Private to the two sides."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="evaluations")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["booking", "side"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["booking", "side"], name="evaluation_one_per_side"),
        ]

    def __str__(self):
        return f"{self.booking} – {self.get_side_display()}"


class EvaluationAnswer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, validators=RATING)
    text = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "domain"], name="evaluation_answer_one_per_domain"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="evaluation_answer_rating",
            ),
        ]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.rating or '-'}"


class EvaluationAttachment(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="booking-evaluations/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private address of one site's or one organisation's calendar (iCalendar)."""

    site = models.OneToOneField(
        TestSite, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=True, organisation__isnull=False)
                | Q(site__isnull=False, organisation__isnull=True),
                name="calendar_feed_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.site or self.organisation}"

    def get_absolute_url(self):
        return reverse("bookings:feed", args=[self.token])
