"""Review before publication: what profiles, test sites, knowledge offers and needs carry.

The live row always holds the reviewed (published) content. An owner's edit of a published item
waits in `pending_changes` until a reviewer approves it, so the public keeps seeing the last
approved version meanwhile; an item never published is edited in place. The rules live in
network/moderation.py.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    SENT_BACK = "sent_back", _("Sent back")


class Reviewed(models.Model):
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("A reviewed version is shown.")
    )
    review_status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    review_reason = models.TextField(_("reason for sending back"), blank=True)
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Proposed values of a published item's reviewed fields: {field: JSON value}.
    pending_changes = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.pending_changes)


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Sent for review")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")
    DISCARDED = "discarded", _("Changes discarded")
    PUBLISHED_DIRECTLY = "published_directly", _("Published by a reviewer")


class ReviewEvent(models.Model):
    """One step of an item's review, for its history and the network's own accountability."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="review_events"
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"
