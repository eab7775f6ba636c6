"""Duplicate organisations: pairs staff dismissed, and the record of every merge."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models.organisations import Organisation


class DuplicateDismissal(models.Model):
    """Two organisations staff judged not to be duplicates: the pair is not suggested again.

    Stored with the lower id first, so one pair has one row whichever way round it was seen.
    """

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed duplicate")
        verbose_name_plural = _("dismissed duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="dismissal_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="dismissal_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


class OrganisationMerge(models.Model):
    """One merge: which organisation was kept, what the removed one was, and what moved."""

    kept = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("kept organisation"),
    )
    kept_name = models.CharField(_("kept name"), max_length=200)
    removed_id = models.PositiveBigIntegerField(_("removed id"))
    removed_name = models.CharField(_("removed name"), max_length=200)
    removed_identifier = models.CharField(_("removed CVR/organisation number"), max_length=9)
    removed_slug = models.CharField(max_length=220, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    moved = models.JSONField(_("what moved"), default=dict)
    # What the undo needs: {"rows": {relation key: [ids moved]}, "shared": {M2M relation key:
    # [ids of the other side whose row was dropped as already shared]}, "filled": {field of the
    # kept organisation filled from the removed one: value}, "dismissed": [organisation ids]}.
    undo_data = models.JSONField(default=dict, editable=False)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("organisation merge")
        verbose_name_plural = _("organisation merges")

    def __str__(self):
        return f"{self.removed_name} → {self.kept_name}"
