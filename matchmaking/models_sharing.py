"""Shared needs: other municipalities, regions and hospitals say "we have this need too".

A NeedShare is one organisation joining another's need, with its own scale (citizens, sites,
a budget range in one currency) and its own contact person. The need's owner stays the owner;
the organisations that joined hear of its matches and introductions beside the owner, and a
company that fits several of them sees the need ranked higher. Rows are written only by
matchmaking.sharing (services); their history is kept by simple_history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from network.models import Organisation, Person
from network.money import Currency


class NeedShare(models.Model):
    need = models.ForeignKey(
        "matchmaking.Need",
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("need"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="need_shares",
        verbose_name=_("organisation"),
    )
    citizens = models.PositiveIntegerField(
        _("citizens concerned"),
        null=True,
        blank=True,
        help_text=_("Roughly how many citizens or patients have this need with you."),
    )
    sites = models.PositiveSmallIntegerField(
        _("sites"),
        null=True,
        blank=True,
        help_text=_("Wards, care homes, centres or homes where a solution could be used."),
    )
    budget_min = models.PositiveIntegerField(_("budget from"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("budget up to"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.DKK
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    note = models.TextField(
        _("how the need looks with you"), blank=True, max_length=2000, default=""
    )
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    # The joining organisation's own part of the need, which it gives and may change.
    PART_FIELDS = ("citizens", "sites", "budget_min", "budget_max", "currency", "contact", "note")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("shared need")
        verbose_name_plural = _("shared needs")
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="needshare_once"),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=F("budget_max")),
                name="needshare_budget_range",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="needshare_currency_known"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} → need {self.need_id}"

    def clean(self):
        low, high = self.budget_min, self.budget_max
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"budget_max": _("The budget's upper end cannot be below its lower end.")}
            )
