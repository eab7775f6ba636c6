"""What organisations offer SMEs: places to test and knowledge to draw on."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models.moderation import Reviewed
from network.models.organisations import (
    KNOWLEDGE_OFFER_OWNER_KINDS,
    TEST_SITE_OWNER_KINDS,
    Organisation,
    Person,
    ProfileLanguage,
)
from network.models.reference import FocusArea, Municipality, Tag
from network.querysets import OfferManager, OfferQuerySet

TRL = [MinValueValidator(1), MaxValueValidator(9)]


class ReadinessRange(Reviewed):
    """Shared by everything that accepts solutions of a given technology readiness level."""

    trl_min = models.PositiveSmallIntegerField(
        _("lowest readiness level"), default=1, validators=TRL
    )
    trl_max = models.PositiveSmallIntegerField(
        _("highest readiness level"), default=9, validators=TRL
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ProfileLanguage.choices, default=ProfileLanguage.DANISH
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the owners delete it: hidden everywhere at once, restorable for
    # OFFER_UNDO_MINUTES, then purged for good (network.services.offers_purge_deleted).
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = OfferManager()
    all_objects = OfferQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.trl_min and self.trl_max and self.trl_min > self.trl_max:
            raise ValidationError(
                {"trl_max": _("The highest readiness level cannot be below the lowest.")}
            )


class TestSiteType(models.TextChoices):
    HOME_CARE = "home_care", _("Home care")
    NURSING_HOME = "nursing_home", _("Nursing home")
    REHABILITATION = "rehabilitation", _("Rehabilitation centre")
    HOSPITAL_WARD = "hospital_ward", _("Hospital ward")
    OUTPATIENT_CLINIC = "outpatient_clinic", _("Outpatient clinic")
    EMERGENCY = "emergency", _("Emergency department")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    CITIZEN_HOME = "citizen_home", _("Citizens' homes")
    SIMULATION_LAB = "simulation_lab", _("Simulation lab")
    LIVING_LAB = "living_lab", _("Living lab")
    DATA_PLATFORM = "data_platform", _("Data platform")


class TestSite(ReadinessRange):
    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="test_sites", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=200)
    site_type = models.CharField(_("type"), max_length=30, choices=TestSiteType.choices)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.TextField(
        _("what can be tested"), blank=True, help_text=_("Equipment, users, data, staff.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, help_text=_("How many tests the site can host at a time.")
    )
    tests_running = models.PositiveSmallIntegerField(_("tests running now"), default=0)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="test_sites",
        verbose_name=_("municipality"),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="test_sites", verbose_name=_("focus areas")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="test_sites", verbose_name=_("tags")
    )

    # Today's capacity and opening hours change often and need no review.
    unreviewed_fields = (
        "is_public",
        "capacity",
        "tests_running",
        "available_from",
        "available_until",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("test site")
        verbose_name_plural = _("test sites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl_min__lte=models.F("trl_max")),
                name="testsite_trl_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", kwargs={"slug": self.owner.slug}) + f"#site-{self.pk}"

    @property
    def has_capacity(self) -> bool:
        return self.tests_running < self.capacity

    def clean(self):
        super().clean()
        errors = {}
        if self.owner_id and self.owner.kind not in TEST_SITE_OWNER_KINDS:
            errors["owner"] = _(
                "Test sites belong to municipalities, regions, hospitals, universities, "
                "university colleges and living labs."
            )
        if (
            self.available_from
            and self.available_until
            and self.available_from > self.available_until
        ):
            errors["available_until"] = _("The site cannot close before it opens.")
        if errors:
            raise ValidationError(errors)


class KnowledgeMethod(models.TextChoices):
    CLINICAL_STUDY = "clinical_study", _("Clinical study")
    USABILITY = "usability", _("Usability and user research")
    DATA_ANALYSIS = "data_analysis", _("Data analysis and AI")
    HEALTH_ECONOMICS = "health_economics", _("Health economics")
    REGULATORY = "regulatory", _("Regulatory and MDR guidance")
    PROTOTYPING = "prototyping", _("Prototyping and engineering")
    TESTING = "testing", _("Technical testing and certification")
    EDUCATION = "education", _("Students and education")


class KnowledgeOffer(ReadinessRange):
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="knowledge_offers",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=200)
    competence = models.TextField(_("competence"), help_text=_("What the researchers know."))
    method = models.CharField(_("method"), max_length=30, choices=KnowledgeMethod.choices)
    description = models.TextField(_("description"), blank=True)
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_offers",
        verbose_name=_("contact person"),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="knowledge_offers", verbose_name=_("focus areas")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="knowledge_offers", verbose_name=_("tags")
    )

    unreviewed_fields = ("is_public", "contact")

    class Meta:
        ordering = ["title"]
        verbose_name = _("knowledge offer")
        verbose_name_plural = _("knowledge offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl_min__lte=models.F("trl_max")),
                name="knowledgeoffer_trl_range",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.owner_id and self.owner.kind not in KNOWLEDGE_OFFER_OWNER_KINDS:
            raise ValidationError(
                {
                    "owner": _(
                        "Knowledge offers belong to universities, university colleges "
                        "and GTS institutes."
                    )
                }
            )
