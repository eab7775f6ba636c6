"""The national network, its clusters, their staff and their members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.querysets import ClusterQuerySet, MembershipQuerySet
from network.models import FocusArea, Organisation, Person, Region
from network.models.reference import Country
from network.money import Currency, currency_for_country


class Network(models.Model):
    """The national innovation network the clusters belong to (e.g. Danish Healthtech)."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.name


class Cluster(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=30)
    slug = models.SlugField(unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="clusters", verbose_name=_("regions")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="clusters", verbose_name=_("focus areas")
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(
        _("secretariat email"),
        blank=True,
        help_text=_("Replies to the membership emails go here."),
    )
    logo = models.FileField(_("logo"), upload_to="cluster-logos/", blank=True)
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=60,
        help_text=_("How long after its period ends a membership stays active before it lapses."),
    )

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory") + f"?cluster={self.slug}"


class StaffRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    COORDINATOR = "coordinator", _("Coordinator")


class ClusterStaff(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=12, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("cluster staff")
        verbose_name_plural = _("cluster staff")
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="clusterstaff_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.cluster} ({self.role})"


class MembershipTier(models.Model):
    """A cluster's membership levels and their annual fee, set by the cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=80)
    annual_fee = models.DecimalField(_("annual fee"), max_digits=10, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.DKK
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cluster", "position", "name"]
        verbose_name = _("membership tier")
        verbose_name_plural = _("membership tiers")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="tier_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.annual_fee:.0f} {self.currency})"


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Membership(models.Model):
    """An organisation's membership of one cluster. Status changes go through services.py."""

    # No index of their own: the unique (organisation, cluster) and the indexes that start
    # with the cluster (Meta) serve every lookup by either, and each index is written on
    # every new member (10,000 in an import).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
        db_index=False,
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("cluster"),
        db_index=False,
    )
    tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tier")
    )
    annual_fee = models.DecimalField(
        _("annual fee"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # The fee's currency; empty rows (written in bulk) read as the cluster's country's currency.
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    primary_contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_for_memberships",
        verbose_name=_("primary contact"),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    # The portal's own reasons (a lapse) as a code with parameters, rendered in each reader's
    # language and date format (clusters.reasons); `status_reason` keeps what a person wrote.
    status_reason_code = models.CharField(_("reason code"), max_length=40, blank=True)
    status_reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True)
    # A default, not auto_now_add, so an import or the demo can say when a member applied.
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster"], name="membership_unique_organisation_cluster"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="membership_period_order",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "status"]),
            # A cluster's member list sorted by name: memberships in organisation order, read
            # from the index alone, merge-join the organisations' (id, name) index instead of
            # hashing every organisation in the directory.
            models.Index(
                fields=["cluster", "organisation"],
                include=["id", "status"],
                name="membership_cluster_org",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.cluster} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self.currency and self.cluster_id:
            self.currency = self.default_currency()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "currency"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clusters:membership_detail", args=[self.cluster.slug, self.pk])

    def default_currency(self) -> str:
        """The tier's currency, else that of the cluster's country."""
        if self.tier_id:
            return self.tier.currency
        return currency_for_country(self.cluster.country)

    def clean(self):
        errors = {}
        if not self.currency and self.cluster_id:
            self.currency = self.default_currency()
        if self.tier_id and self.cluster_id and self.tier.cluster_id != self.cluster_id:
            errors["tier"] = _("The tier belongs to another cluster.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def is_renewal_due(self, today=None) -> bool:
        from django.utils import timezone

        from clusters.periods import renewal_due

        today = today or timezone.localdate()
        return self.status == MembershipStatus.ACTIVE and renewal_due(
            period_end=self.period_end, today=today
        )


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PARSING = "parsing", _("Reading the file")
    PREVIEW = "preview", _("Ready to review")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class ImportBatch(models.Model):
    """One uploaded member list: read into ImportRows for review, written only on confirm.

    Kept in the database (not the session) so that the preview, the commit and the Celery
    task that reads a large file all see the same state, on any web or worker process.
    """

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="imports", verbose_name=_("cluster")
    )
    file = models.FileField(_("file"), upload_to="cluster-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self):
        return f"{self.original_name} ({self.cluster})"

    def get_absolute_url(self):
        return reverse("clusters:import_detail", args=[self.cluster.slug, self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in {
            ImportStatus.UPLOADED,
            ImportStatus.PARSING,
            ImportStatus.COMMITTING,
        }

    @property
    def error_count(self) -> int:
        return int(self.counts.get("error", 0))

    @property
    def change_count(self) -> int:
        return int(self.counts.get("new", 0)) + int(self.counts.get("update", 0))

    @property
    def can_commit(self) -> bool:
        # Rows with errors do not stop the others: staff import those and get the rest back.
        return self.status == ImportStatus.PREVIEW and self.change_count > 0

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class RowOutcome(models.TextChoices):
    NEW = "new", _("New")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("No change")
    ERROR = "error", _("Error")


class ImportRow(models.Model):
    """One line of an uploaded file: what it said, and what importing it would do."""

    # Found through the index that starts with the batch (Meta), not one of its own.
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    line = models.PositiveIntegerField(_("line"))
    raw = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    messages = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        indexes = [models.Index(fields=["batch", "outcome", "line"])]

    def __str__(self):
        return f"{self.batch_id}:{self.line} {self.outcome}"


class MappedField(models.TextChoices):
    KIND = "kind", _("Kind")
    TIER = "tier", _("Tier")
    MUNICIPALITY = "municipality", _("Municipality")


class ImportValueMapping(models.Model):
    """What a cluster's staff said a spelling in their files means ('Basis' is our tier
    'Basic'), remembered so the next import of the same kind of file needs no choice."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="import_mappings", verbose_name=_("cluster")
    )
    field = models.CharField(_("column"), max_length=20, choices=MappedField.choices)
    value = models.CharField(_("value in the file"), max_length=200)  # normalised
    target = models.CharField(_("means"), max_length=50)  # kind code, tier or municipality id
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import value mapping")
        verbose_name_plural = _("import value mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "field", "value"], name="import_mapping_once_per_value"
            )
        ]

    def __str__(self):
        return f"{self.cluster_id}:{self.field}:{self.value}->{self.target}"


# The API tokens live in their own module; importing it here registers the model with the app.
from clusters.models_api import APIToken  # noqa: E402, F401
