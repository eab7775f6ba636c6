"""Reference data: regions, municipalities, focus areas and tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    DENMARK = "DK", _("Denmark")
    NORWAY = "NO", _("Norway")


class Region(models.Model):
    """A Danish region (codes 1081-1085) or a Norwegian county (fylke)."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("official code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_unique_code"),
        ]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("official code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    towns = models.JSONField(default=list, blank=True, help_text="[{postcode, town}]")
    # Official names besides the Norwegian one (Sami, Kven), which import and forms also accept.
    alternative_names = models.JSONField(
        _("other official names"),
        default=list,
        blank=True,
        help_text=_("Official names in Sami or Kven, besides the name above."),
    )

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_unique_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def all_names(self) -> list[str]:
        """The name and every official spelling in another language (Guovdageaidnu, Kautokeino)."""
        return [self.name, *self.alternative_names]

    @property
    def label(self) -> str:
        """The name with its other official names, as a choice shows it: 'Kautokeino
        (Guovdageaidnu)', so a Sami speaker finds it under either."""
        if not self.alternative_names:
            return self.name
        return f"{self.name} ({' / '.join(self.alternative_names)})"


class FocusArea(models.Model):
    """One of the network's strategic focus areas; staff may add more."""

    slug = models.SlugField(unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Words that describe the area, used in matching.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return self.name

    @property
    def name(self):
        from django.utils.translation import get_language

        language = (get_language() or "da")[:2]
        return {"nb": self.name_nb, "en": self.name_en}.get(language, self.name_da)


class Tag(models.Model):
    """A free keyword (technology, target group, setting), shared across languages."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class NetworkFigures(models.Model):
    """The home page's live figures, recomputed by a Celery task rather than on every visit."""

    key = models.CharField(max_length=40, unique=True, default="network")
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("network figures")
        verbose_name_plural = _("network figures")

    def __str__(self):
        return f"{self.key} @ {self.computed_at}"
