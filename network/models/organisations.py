"""Organisations in the directory and the people who work in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network import identifiers
from network.models.moderation import Reviewed
from network.models.reference import Country, FocusArea, Municipality, Region, Tag
from network.querysets import OrganisationManager, OrganisationQuerySet, PersonQuerySet


class OrganisationKind(models.TextChoices):
    SME = "sme", _("SME")
    LARGE_COMPANY = "large_company", _("Large company")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    HOSPITAL = "hospital", _("Hospital")
    UNIVERSITY = "university", _("University")
    GTS_INSTITUTE = "gts_institute", _("GTS institute")
    UNIVERSITY_COLLEGE = "university_college", _("University college")
    LIVING_LAB = "living_lab", _("Living lab")
    INVESTOR = "investor", _("Investor")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")


# Who may own what: test sites belong to places where solutions are tried out, knowledge
# offers to the research and technology institutions.
TEST_SITE_OWNER_KINDS = {
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.HOSPITAL,
    OrganisationKind.REGION,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.LIVING_LAB,
    OrganisationKind.UNIVERSITY_COLLEGE,
}
KNOWLEDGE_OFFER_OWNER_KINDS = {
    OrganisationKind.UNIVERSITY,
    OrganisationKind.GTS_INSTITUTE,
    OrganisationKind.UNIVERSITY_COLLEGE,
}


class ProfileLanguage(models.TextChoices):
    DANISH = "da", _("Danish")
    NORWEGIAN = "nb", _("Norwegian Bokmål")
    ENGLISH = "en", _("English")


class Organisation(Reviewed):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.DENMARK
    )
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    orgnr = models.CharField(_("organisation number"), max_length=9, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the profile"),
        max_length=2,
        choices=ProfileLanguage.choices,
        default=ProfileLanguage.DANISH,
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general email"), blank=True)
    phone = models.CharField(_("general phone"), max_length=30, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="organisations", verbose_name=_("focus areas")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="organisations", verbose_name=_("tags")
    )
    readiness_level = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in range(1, 10)],
        help_text=_("TRL 1-9 of the company's main solution."),
    )
    industry_code = models.CharField(
        _("industry code"),
        max_length=10,
        blank=True,
        help_text=_("NACE code from the business register (branchekode / næringskode)."),
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    is_public = models.BooleanField(
        _("shown in the public directory"),
        default=True,
        help_text=_("Untick to keep the profile visible only to your colleagues and staff."),
    )
    # Staleness: owners confirm once a year that the profile is still correct (network/stale.py).
    confirmed_at = models.DateTimeField(
        _("last confirmed"),
        default=timezone.now,
        null=True,
        blank=True,
        help_text=_("When the owners last saved the profile or confirmed it is still correct."),
    )
    stale_reminded_at = models.DateTimeField(_("reminded to confirm"), null=True, blank=True)
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A duplicate merged into another organisation stays for 30 days as a tombstone, so the
    # merge can be undone (network/merge.py); the default manager hides it everywhere.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The first manager is the default: every list, the directory, matching and the API use it.
    objects = OrganisationManager()
    # Tombstones of merged duplicates included: for the merge, its undo and unique slugs.
    with_tombstones = OrganisationQuerySet.as_manager()

    # Apply at once, without review (network/moderation.py).
    unreviewed_fields = ("is_public",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], condition=~models.Q(cvr=""), name="organisation_unique_cvr"
            ),
            models.UniqueConstraint(
                fields=["orgnr"], condition=~models.Q(orgnr=""), name="organisation_unique_orgnr"
            ),
            models.CheckConstraint(
                condition=models.Q(cvr="") | models.Q(country="DK"),
                name="organisation_cvr_only_danish",
            ),
            models.CheckConstraint(
                condition=models.Q(orgnr="") | models.Q(country="NO"),
                name="organisation_orgnr_only_norwegian",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["updated_at"]),
            models.Index(fields=["review_status"], name="organisation_review_status"),
            # The public directory: its pages in name order, and its total (index-only).
            models.Index(
                fields=["name"],
                condition=models.Q(is_public=True, is_published=True),
                name="organisation_public_name",
            ),
            # Lists of other things sorted by their organisation's name (a cluster's members)
            # join and sort without reading the wide organisation rows (index-only).
            models.Index(fields=["id"], include=["name"], name="organisation_id_with_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.municipality_id:
            self.region_id = self.municipality.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisation_detail", kwargs={"slug": self.slug})

    @property
    def registry_number(self) -> str:
        return self.cvr or self.orgnr

    def clean(self):
        errors = {}
        self.cvr = identifiers.normalise(self.cvr)
        self.orgnr = identifiers.normalise(self.orgnr)
        if self.cvr:
            if self.country != Country.DENMARK:
                errors["cvr"] = _("Only Danish organisations have a CVR number.")
            elif not identifiers.is_valid_cvr(self.cvr):
                errors["cvr"] = _(
                    "%(value)s is not a valid CVR number (8 digits with a correct check digit)."
                ) % {"value": self.cvr}
        if self.orgnr:
            if self.country != Country.NORWAY:
                errors["orgnr"] = _("Only Norwegian organisations have an organisation number.")
            elif not identifiers.is_valid_orgnr(self.orgnr):
                errors["orgnr"] = _(
                    "%(value)s is not a valid Norwegian organisation number "
                    "(9 digits with a correct check digit)."
                ) % {"value": self.orgnr}
        if self.municipality_id and self.municipality.country != self.country:
            errors["municipality"] = _("The municipality is not in the organisation's country.")
        if errors:
            raise ValidationError(errors)


class AffiliationRole(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    MEMBER = "member", _("Member")


class Person(models.Model):
    """A person the network knows: a user's profile, or a contact without a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_public = models.BooleanField(
        _("show my contact details to everyone"),
        default=False,
        help_text=_(
            "Otherwise your email and phone are shown only to partners after both sides "
            "have accepted an introduction."
        ),
    )
    directory_consent = models.BooleanField(
        _("show my name on my organisation's public profile"), default=False
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="people"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The member import finds a contact by address in any case.
        indexes = [models.Index(Lower("email"), name="person_email_lower")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Affiliation(models.Model):
    """A person's role in an organisation: admins edit its profile, members read it."""

    # A person's affiliations are found through the unique (person, organisation) index.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=AffiliationRole.choices, default=AffiliationRole.MEMBER
    )
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="affiliation_unique_person_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.organisation} ({self.role})"
