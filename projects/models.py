"""What comes out of the network: projects, activities, contributions and budgets.

Writes go through projects.services; who may see and edit what lives in projects.permissions
and the querysets below; the funding report's figures are in projects.reports.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from network.models import FocusArea, Organisation
from network.models.organisations import OrganisationKind
from network.money import Currency, Money, currency_for_country
from projects.querysets import (
    ActivityQuerySet,
    BudgetQuerySet,
    ContributionQuerySet,
    ProjectQuerySet,
)


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead partner")
    PARTNER = "partner", _("Partner")
    TEST_SITE = "test_site", _("Test site")
    KNOWLEDGE = "knowledge", _("Knowledge partner")
    ADVISER = "adviser", _("Adviser")


class FundingSource(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    REGION = "region", _("Region")
    PRIVATE = "private", _("Private co-financing")
    EU = "eu", _("EU")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    EVENT = "event", _("Event")
    WORKSHOP = "workshop", _("Workshop")
    USER_PANEL = "user_panel", _("User panel")
    MATCHMAKING_DAY = "matchmaking_day", _("Match-making day")
    MEETING = "meeting", _("Meeting")


# Participants are counted by organisation kind; people who came on their own (citizens,
# patients, students) are counted under "other".
PARTICIPANT_OTHER = "other"
PARTICIPANT_KINDS = [*OrganisationKind.choices, (PARTICIPANT_OTHER, _("Other participants"))]


class Project(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="projects", verbose_name=_("focus areas")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What came out of it: product, pilot, order, paper.")
    )
    lead_cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="projects", verbose_name=_("lead cluster")
    )
    origin_introduction = models.ForeignKey(
        "matchmaking.Introduction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("started from introduction"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "title", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="project_period_order",
            ),
        ]
        indexes = [models.Index(fields=["lead_cluster", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The project cannot end before it starts.")})
        if self.status in (ProjectStatus.RUNNING, ProjectStatus.COMPLETED) and not self.start:
            raise ValidationError(
                {"start": _("A running or completed project needs a start date.")}
            )


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="project_partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )

    class Meta:
        ordering = ["project", "organisation__name"]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="projectpartner_unique_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="activities", verbose_name=_("cluster")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["cluster", "date"])]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("projects:activity_detail", args=[self.pk])


class ActivityParticipant(models.Model):
    """An organisation that took part (with how many people), or a head count of a kind."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_participations",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PARTICIPANT_KINDS)
    people = models.PositiveIntegerField(_("people"), default=1)

    class Meta:
        ordering = ["activity", "kind", "organisation__name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"],
                condition=Q(organisation__isnull=False),
                name="participant_unique_organisation",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="participant_people_positive"),
        ]

    def __str__(self):
        return f"{self.organisation or self.get_kind_display()} × {self.people}"

    def clean(self):
        if self.organisation_id:
            self.kind = self.organisation.kind


class Contribution(models.Model):
    """In-kind hours (valued at an hourly rate) and cash one organisation put into a project or
    an activity, and who paid for it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="contributions"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="contributions"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"), help_text=_("When the work was done or the cash paid."))
    hours = models.DecimalField(
        _("in-kind hours"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    cash = models.DecimalField(_("cash"), max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        blank=True,
        help_text=_("Leave empty for the currency of the cluster's country."),
    )
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, activity__isnull=True)
                | Q(project__isnull=True, activity__isnull=False),
                name="contribution_project_or_activity",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hourly_rate__gte=0, cash__gte=0),
                name="contribution_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="contribution_currency_known"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.hours} h, {self.cash} {self.currency}"

    def save(self, *args, **kwargs):
        if not self.currency and (self.project_id or self.activity_id):
            self.currency = self.default_currency()
        super().save(*args, **kwargs)

    @property
    def in_kind_value(self) -> Decimal:
        return (self.hours or 0) * (self.hourly_rate or 0)

    @property
    def in_kind_money(self) -> Money:
        return Money(self.in_kind_value, self.currency)

    @property
    def cash_money(self) -> Money:
        return Money(self.cash, self.currency)

    def default_currency(self) -> str:
        """The currency of the country of the cluster that leads the project or held the
        activity (the cluster reports the contribution)."""
        owner = self.project or self.activity
        cluster = owner.lead_cluster if self.project_id else owner.cluster
        return currency_for_country(cluster.country)

    def clean(self):
        if not self.currency and (self.project_id or self.activity_id):
            self.currency = self.default_currency()
        if bool(self.project_id) == bool(self.activity_id):
            raise ValidationError(_("A contribution belongs to a project or to an activity."))
        if not (self.hours or self.cash):
            raise ValidationError(_("Enter in-kind hours, cash or both."))


class Budget(models.Model):
    """What a cluster expects from one funding source over a period (e.g. two years)."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("cluster")
    )
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        blank=True,
        help_text=_("Leave empty for the currency of the cluster's country."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "period_start", "funding_source"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "funding_source", "period_start"], name="budget_unique_line"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="budget_period_order"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="budget_currency_known"
            ),
        ]

    def __str__(self):
        return f"{self.cluster}: {self.get_funding_source_display()} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        if not self.currency and self.cluster_id:
            self.currency = currency_for_country(self.cluster.country)
        super().save(*args, **kwargs)

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def clean(self):
        if not self.currency and self.cluster_id:
            self.currency = currency_for_country(self.cluster.country)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportExport(models.Model):
    """A funding report written in the background (large periods), kept for download a while.

    The file goes to Django's default storage, so any web process can serve it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    # CSV only: "standard" or "excel-da" (projects.exports.CSV_DIALECTS).
    dialect = models.CharField(max_length=10, default="standard")
    language = models.CharField(max_length=8, default="da")
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="funding-reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reportexport_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.filename or self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("projects:report_export_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
