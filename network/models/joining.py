"""How people get into an organisation: they ask to join it, or its admins invite them.

The rules live in network/joining/; these rows only remember who asked whom, and when.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models.organisations import AffiliationRole, Organisation, Person


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=JoinRequestStatus.PENDING, expires_at__gt=timezone.now())


class JoinRequest(models.Model):
    """A person asks to work in an organisation's name in the portal."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the organisation"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    role = models.CharField(
        _("role given"), max_length=10, choices=AffiliationRole.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.person} -> {self.organisation} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == JoinRequestStatus.PENDING and self.expires_at > timezone.now()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An emailed, single-use link to join an organisation with a given role.

    The link carries a random key signed with the site's secret; only its hash is stored, so a
    copy of the database accepts nothing.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=10, choices=AffiliationRole.choices, default=AffiliationRole.MEMBER
    )
    # A contact person staff added or imported: accepting links the account to this record.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True, max_length=1000)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self):
        return f"{self.email} -> {self.organisation}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class RegisterExtract(models.Model):
    """What the public business register said about an organisation when it was registered,
    kept for the staff who approve its applications."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="register_extract"
    )
    number = models.CharField(_("number"), max_length=9)
    number_valid = models.BooleanField(_("check digit correct"))
    status = models.CharField(_("register answer"), max_length=12)
    source = models.CharField(_("register"), max_length=120, blank=True)
    data = models.JSONField(_("register data"), default=dict, blank=True)
    # Which fields the person changed from what the register said: {field: [register, typed]}.
    differences = models.JSONField(default=dict, blank=True)
    fetched_at = models.DateTimeField(_("looked up"), default=timezone.now)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")

    def __str__(self):
        return f"{self.number} ({self.status})"
