"""Matchmaking events: a day of short one-to-one meetings that a cluster organises.

An event has slots (times) and tables (or online rooms). Organisations register with what they
offer and look for; once approved they are the event's participants. Participants ask each
other for meetings; an accepted request is a meeting, which the schedule places in a slot at a
table. After the event each side says whether the meeting took place and how useful it was.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from network.models import Organisation


class Access(models.TextChoices):
    MEMBERS = "members", _("Members of the cluster")
    INVITED = "invited", _("Anyone with an invitation")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def managed_by(self, user):
        """Events of the clusters the user staffs (every event for network admins)."""
        return self.filter(cluster__in=Cluster.objects.managed_by(user))

    def visible_to(self, user):
        """Published events, and the ones the user manages."""
        if user is None or not user.is_authenticated:
            return self.published()
        return self.filter(Q(is_published=True) | Q(cluster__in=Cluster.objects.managed_by(user)))


class Event(models.Model):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="events", verbose_name=_("cluster")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    access = models.CharField(
        _("who may register"), max_length=10, choices=Access.choices, default=Access.MEMBERS
    )
    requires_approval = models.BooleanField(_("staff approve registrations"), default=False)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: Danish, English")
    )
    is_published = models.BooleanField(_("published"), default=False)
    schedule_ran_at = models.DateTimeField(null=True, blank=True)
    schedule_summary = models.JSONField(default=dict, blank=True)
    reminders_sent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__gt=F("registration_opens")),
                name="event_registration_window_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def clean(self):
        """The days and the registration window in order, and registration closed (in local
        time) by the event's last day: for the event form and for every service that saves."""
        start, end = self.start_date, self.end_date
        opens, closes = self.registration_opens, self.registration_closes
        errors = {}
        if start and end and end < start:
            errors["end_date"] = [_("The last day cannot be before the first.")]
        closing = []
        if opens and closes and closes <= opens:
            closing.append(_("Registration must close after it opens."))
        if closes and end and timezone.localtime(closes).date() > end:
            closing.append(_("Registration must close before the event ends."))
        if closing:
            errors["registration_closes"] = closing
        if errors:
            raise ValidationError(errors)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens <= now < self.registration_closes

    def feedback_open(self, today=None) -> bool:
        """Participants say how their meetings went once the event has begun."""
        return (today or timezone.localdate()) >= self.start_date


class EventSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_slot_ends_after_start"
            ),
        ]

    def __str__(self):
        local = timezone.localtime
        return f"{local(self.starts_at):%H:%M}–{local(self.ends_at):%H:%M}"


class EventTable(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=100)
    online_url = models.URLField(_("online room"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="event_table_unique_name"),
        ]

    def __str__(self):
        return self.name


class EventInvitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="event_invitation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} @ {self.event_id}"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RegistrationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=RegistrationStatus.APPROVED)

    def with_request_counts(self):
        """`sent` and `received`: the meeting requests of each registration, each counted by
        a subquery of its own (joining both would multiply the one by the other)."""

        def count(side):
            requests = MeetingRequest.objects.filter(**{side: OuterRef("pk")}).order_by()
            return Coalesce(Subquery(requests.values(side).annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(sent=count("requester"), received=count("recipient"))


class Registration(models.Model):
    """An organisation at an event, represented by the person who registered it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="event_registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="event_registrations",
        verbose_name=_("attending"),
    )
    offer = models.TextField(_("what we offer"), max_length=2000)
    looking_for = models.TextField(_("what we look for"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default="pending"
    )
    unavailable_slots = models.ManyToManyField(EventSlot, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="event_registration_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} @ {self.event}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Usefulness(models.IntegerChoices):
    NOT = 1, _("Not useful")
    SOMEWHAT = 2, _("Somewhat useful")
    USEFUL = 3, _("Useful")
    VERY = 4, _("Very useful")


class Outcome(models.TextChoices):
    NONE = "none", _("Nothing yet")
    INTRODUCTION = "introduction", _("An introduction")
    PROJECT = "project", _("A project")


class MeetingRequest(models.Model):
    """A request for a meeting; once accepted, the meeting, with its place in the schedule."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default="pending"
    )
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    slot = models.ForeignKey(
        EventSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    table = models.ForeignKey(
        EventTable, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    pinned = models.BooleanField(_("placed by hand"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="event_request_not_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"], name="event_request_unique_pair"
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False, table__isnull=False),
                name="event_meeting_one_per_table",
            ),
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(status="accepted"),
                name="event_only_accepted_meetings_placed",
            ),
        ]

    def __str__(self):
        return f"{self.requester.organisation} → {self.recipient.organisation}"

    def other_side(self, registration_id):
        return self.recipient if registration_id == self.requester_id else self.requester


class MeetingFeedback(models.Model):
    meeting = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    took_place = models.BooleanField(_("the meeting took place"))
    usefulness = models.PositiveSmallIntegerField(
        _("how useful was it"), choices=Usefulness.choices, null=True, blank=True
    )
    outcome = models.CharField(
        _("it led to"), max_length=15, choices=Outcome.choices, default=Outcome.NONE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="event_feedback_one_per_side"
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} / {self.registration_id}"


def meetings_held(outcome: str | None = None) -> Q:
    """Accepted meetings that at least one side says took place (and, given `outcome`, led to
    it): the rule by which the event's own figures and the funding report both count."""
    said = MeetingFeedback.objects.filter(took_place=True)
    if outcome is not None:
        said = said.filter(outcome=outcome)
    return Q(status=RequestStatus.ACCEPTED, pk__in=said.values("meeting_id"))
