"""The concept thesaurus as rows network admins edit (Django admin), with history.

Loaded from network/text/data/thesaurus.tsv by migration 0015; matching reads it through
network.concepts.current_thesaurus() at the start of every full run, so an edit counts from
the next run. A concept merged into another lends it its terms and is no concept of its own.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TERMS_HELP = _("One term per line; the first is the name shown in this language.")


class Concept(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    terms_da = models.TextField(_("Danish terms"), blank=True, help_text=TERMS_HELP)
    terms_nb = models.TextField(_("Norwegian terms"), blank=True, help_text=TERMS_HELP)
    terms_en = models.TextField(_("English terms"), blank=True, help_text=TERMS_HELP)
    abbreviations = models.TextField(
        _("abbreviations"), blank=True, help_text=_("One per line, e.g. KOL, KOLS, COPD.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self):
        return self.slug

    def terms(self, language: str) -> list[str]:
        return [
            line.strip() for line in getattr(self, f"terms_{language}").splitlines() if line.strip()
        ]

    def clean(self):
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("A concept cannot be merged into itself.")})
        target, seen = self.merged_into, set()
        while target is not None and target.pk not in seen:
            if self.pk and target.merged_into_id == self.pk:
                raise ValidationError(
                    {"merged_into": _("That concept is already merged into this one.")}
                )
            seen.add(target.pk)
            target = target.merged_into
        if not any(getattr(self, f"terms_{lang}").strip() for lang in ("da", "nb", "en")):
            raise ValidationError(_("Give the concept at least one term."))
