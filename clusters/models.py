"""The national network, its clusters, their staff and their members."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.querysets import ClusterQuerySet, MembershipQuerySet
from network.models import FocusArea, Organisation, Person, Region
from network.models.reference import Country


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
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
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

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tier")
    )
    annual_fee = models.DecimalField(
        _("annual fee"), max_digits=10, decimal_places=2, null=True, blank=True
    )
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
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
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
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self):
        return f"{self.organisation} — {self.cluster} ({self.get_status_display()})"
