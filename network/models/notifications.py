"""The in-portal inbox and how often each person wants to hear from the portal by email.

Notifications are written in the recipient's language when they are created (like an email),
so the inbox shows what was sent. Other apps create them through network.notifications.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once, one email per event")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NEVER = "never", _("Never by email (only here in the portal)")


class NotificationCategory(models.TextChoices):
    """The kinds of email a person chooses a frequency for (the preference centre)."""

    MEMBERSHIP = "membership", _("Your organisation's memberships")
    INTRODUCTIONS = "introductions", _("Introductions and requests")
    MATCHES = "matches", _("New matches")
    REVIEWS = "reviews", _("Reviews and profile upkeep")
    DIGESTS = "digests", _("Summaries for cluster staff")


class NotificationPreference(models.Model):
    """A person's choice of emails. No row means the default: at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    frequency = models.CharField(
        _("emails from the portal"),
        max_length=12,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATELY,
    )
    # {category: frequency} where a person chose differently from `frequency` for one kind.
    frequencies = models.JSONField(_("emails by kind"), default=dict, blank=True)
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} ({self.frequency})"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a person's inbox, with a link to what it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationDelivery(models.Model):
    """A digest or reminder that went out: at most one per recipient, kind and period/object.

    Written in the same transaction that queues the email, so a second run (at the same moment,
    concurrently, or late) finds the row and sends nothing. `recipient` is "user:<id>" for a
    login and the lower-case address for a contact without one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_deliveries",
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("period or object"), max_length=200)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="notification_delivery_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "kind", "-sent_at"], name="notification_delivery_last"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} -> {self.recipient}"


def normalise_address(address: str) -> str:
    """The form an address is kept and looked up in: trimmed and lower-case."""
    return (address or "").strip().lower()


class EmailOptOut(models.Model):
    """An address that asked for no more emails from the portal (issue 24).

    For people without a login (a membership's contact person), who have no preference centre:
    the link in each email they get stops every email to the address, without signing in. It is
    kept by address, not by person, so a re-import of the same person, a new contact row with the
    same address or an erased and re-created person is still not emailed. A row exists while the
    address is opted out; every change is in EmailOptOutEvent.
    """

    address = models.CharField(_("email address"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("opted out"))

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")

    def __str__(self):
        return self.address

    def save(self, *args, **kwargs):
        self.address = normalise_address(self.address)
        super().save(*args, **kwargs)


class EmailOptOutAction(models.TextChoices):
    OPTED_OUT = "opted_out", _("Emails stopped")
    RESUMED = "resumed", _("Emails resumed")


class EmailOptOutVia(models.TextChoices):
    EMAIL_LINK = "email_link", _("by the person, from the link in an email")
    ONE_CLICK = "one_click", _("by the person, with their mail program's unsubscribe button")
    STAFF = "staff", _("by cluster staff, at the person's request")
    ACCOUNT = "account", _("by the person, signed in")


class EmailOptOutEvent(models.Model):
    """Who stopped or resumed emails to an address, when, how and why: the audit trail that
    shows the portal honours the person's objection (GDPR art. 21) and who lifted it."""

    address = models.CharField(_("email address"), max_length=254, db_index=True)
    action = models.CharField(_("what"), max_length=12, choices=EmailOptOutAction.choices)
    via = models.CharField(_("how"), max_length=12, choices=EmailOptOutVia.choices)
    # The staff member or signed-in person; empty when the address's holder used a link.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("email opt-out event")
        verbose_name_plural = _("email opt-out events")

    def __str__(self):
        return f"{self.address}: {self.action} ({self.via})"
