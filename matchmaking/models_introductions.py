"""Introductions (double opt-in) and feedback on matches and meetings.

Status changes go through matchmaking.introductions.services, which checks the life cycle
(matchmaking.introductions.transitions); the history of every change is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from network.models import Organisation


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    MET = "met", _("Met")


OPEN_STATUSES = (IntroductionStatus.REQUESTED, IntroductionStatus.ACCEPTED, IntroductionStatus.MET)
# Both sides said yes: contact people are shown to each other.
AGREED_STATUSES = (IntroductionStatus.ACCEPTED, IntroductionStatus.MET)


class IntroductionQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related(
            "match",
            "source",
            "target_organisation",
            "requested_by",
            "match__need",
            "match__test_site__owner",
            "match__knowledge_offer__owner",
            "match__run",
        )

    def waiting(self):
        return self.filter(status=IntroductionStatus.REQUESTED)

    def agreed(self):
        return self.filter(status__in=AGREED_STATUSES)

    def visible_to(self, user):
        """Introductions of the user's organisations (either side), of members of the clusters
        they staff, or all of them for network admins."""
        from matchmaking.introductions.permissions import involved_organisations, is_network_admin

        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        organisations = involved_organisations(user)
        return self.filter(
            Q(source__in=organisations)
            | Q(target_organisation__in=organisations)
            | Q(joined_organisations__in=organisations)  # a shared need's other owners
        ).distinct()

    def incoming_for(self, user):
        """Requests to organisations the user belongs to (to answer): asked by a company, or
        invitations from a target's owner to the user's company."""
        if user is None or not user.is_authenticated:
            return self.none()
        own = Organisation.objects.filter(affiliations__person__user=user).values("pk")
        return self.filter(
            Q(target_organisation__in=own, invited_by_target=False)
            | Q(source__in=own, invited_by_target=True)
        )

    def outgoing_for(self, user):
        """Requests of organisations the user belongs to (to follow)."""
        if user is None or not user.is_authenticated:
            return self.none()
        own = Organisation.objects.filter(affiliations__person__user=user).values("pk")
        return self.filter(
            Q(source__in=own, invited_by_target=False)
            | Q(target_organisation__in=own, invited_by_target=True)
        )

    def involving_members_of(self, cluster):
        """Introductions where either side is an active member of `cluster`."""
        members = cluster.memberships.filter(status="active").values("organisation_id")
        return self.filter(Q(source__in=members) | Q(target_organisation__in=members))

    def due_for_expiry(self, now=None):
        return self.waiting().filter(expires_at__lte=now or timezone.now())

    def due_for_reminder(self, *, now=None, reminder_days: int):
        now = now or timezone.now()
        return self.waiting().filter(
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timezone.timedelta(days=reminder_days),
        )


class Introduction(models.Model):
    """A request from an SME to meet the owner of a match's target, and the answer."""

    match = models.ForeignKey(
        "matchmaking.Match",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("match"),
    )
    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="introductions_requested",
        verbose_name=_("company"),
    )
    target_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="introductions_received",
        verbose_name=_("asked organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    on_behalf = models.BooleanField(
        _("asked by cluster staff on the company's behalf"), default=False
    )
    # The target's owner invited the company (the company answers); otherwise the company
    # asked (the target's owner answers). Contacts are shown only once the other side accepts.
    invited_by_target = models.BooleanField(_("invited by the target's owner"), default=False)
    # For a shared need: the organisations that joined it and were included in the
    # introduction beside its owner (matchmaking.sharing). They hear of it and follow it.
    joined_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="introductions_joined",
        verbose_name=_("organisations that share the need"),
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IntroductionStatus.choices,
        default=IntroductionStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    last_nudged_at = models.DateTimeField(_("last nudged"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            # One live introduction per match; after a decline or expiry one may ask again.
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(status__in=["requested", "accepted", "met"]),
                name="introduction_one_open_per_match",
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target_organisation")),
                name="introduction_two_organisations",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="introduction_status_expiry"),
            models.Index(fields=["target_organisation", "status"], name="introduction_target"),
            models.Index(fields=["source", "status"], name="introduction_source"),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_organisation_id} ({self.status})"

    def get_absolute_url(self):
        return reverse("matchmaking:introduction_detail", kwargs={"pk": self.pk})

    @cached_property
    def joined_list(self) -> list:
        """The included organisations of a shared need, by name; no query for other targets
        (only an introduction about a need can include any)."""
        if self.match.target_type != "need":
            return []
        return list(self.joined_organisations.order_by("name"))

    @property
    def is_agreed(self) -> bool:
        return self.status in AGREED_STATUSES

    @property
    def asking_id(self) -> int:
        """The organisation that asked: the company, or the target's owner that invited it."""
        return self.target_organisation_id if self.invited_by_target else self.source_id

    @property
    def answering_id(self) -> int:
        """The organisation whose people accept or decline."""
        return self.source_id if self.invited_by_target else self.target_organisation_id

    @property
    def asking_organisation(self):
        return self.target_organisation if self.invited_by_target else self.source

    @property
    def answering_organisation(self):
        return self.source if self.invited_by_target else self.target_organisation

    def age_days(self, now=None) -> int:
        return ((now or timezone.now()) - self.requested_at).days


class FeedbackKind(models.TextChoices):
    USEFUL = "useful", _("Useful")
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    MEETING = "meeting", _("Meeting held")


class MeetingOutcome(models.TextChoices):
    PROMISING = "promising", _("Promising: we will work together")
    MAYBE = "maybe", _("Maybe later")
    NO_FIT = "no_fit", _("Not a fit")


class VetoReason(models.TextChoices):
    """Why a match is not relevant. "Not our field" is about the subject: targets (or
    companies) much like the vetoed one sink in the next run too (matchmaking.feedback)."""

    NOT_OUR_FIELD = "not_our_field", _("Not our field")
    WRONG_STAGE = "wrong_stage", _("Wrong readiness level or timing")
    WRONG_PLACE = "wrong_place", _("Too far away or the wrong place")
    ALREADY_KNOWN = "already_known", _("We already know each other")
    OTHER = "other", _("Other (say why)")


# Reasons about the subject: the next run lowers what resembles the vetoed partner.
TOPIC_REASONS = (VetoReason.NOT_OUR_FIELD,)


class Feedback(models.Model):
    """What a person thought of a match, or of the meeting an introduction led to.

    One rating per organisation and pair (rating again replaces it), one meeting report per
    organisation and introduction. The engine reads them (matchmaking.feedback).
    """

    # The pair is kept on the feedback itself: a match that drops out of the lists is deleted
    # by the next run, and the feedback must outlive it (or the target would come back).
    match = models.ForeignKey(
        "matchmaking.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    target_type = models.CharField(_("target type"), max_length=20)
    target_id = models.PositiveBigIntegerField(_("target id"))
    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("rating"), max_length=14, choices=FeedbackKind.choices)
    outcome = models.CharField(
        _("how did it go?"), max_length=10, choices=MeetingOutcome.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    reason_code = models.CharField(
        _("why not relevant"), max_length=20, choices=VetoReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_type", "target_id", "organisation"],
                condition=Q(kind__in=["useful", "not_relevant"]),
                name="feedback_one_rating_per_pair",
            ),
            models.UniqueConstraint(
                fields=["introduction", "organisation"],
                condition=Q(kind="meeting"),
                name="feedback_one_meeting_report",
            ),
            models.CheckConstraint(
                condition=Q(kind="meeting", introduction__isnull=False) | ~Q(kind="meeting"),
                name="feedback_meeting_has_introduction",
            ),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_type}:{self.target_id}: {self.kind}"


class ShortlistEntry(models.Model):
    """A match one side keeps for later (a need's owner shortlists companies; a company may
    shortlist targets). Keyed by the pair, like Feedback, so it outlives a match row that a run
    removed and counts again when the pair comes back."""

    match = models.ForeignKey(
        "matchmaking.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shortlist_entries",
    )
    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    target_type = models.CharField(_("target type"), max_length=20)
    target_id = models.PositiveBigIntegerField(_("target id"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shortlisted match")
        verbose_name_plural = _("shortlisted matches")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_type", "target_id", "organisation"],
                name="shortlist_one_per_pair_and_side",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}: {self.source_id} → {self.target_type}:{self.target_id}"
