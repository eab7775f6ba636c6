"""API tokens: how partners' own systems (a cluster's CRM, a regional dashboard) read the API.

Here rather than in `network` because a token may belong to a cluster. The key itself is shown
once, when the token is made; only its hash and first characters are kept.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.api.keys import hash_key
from network.api.permissions import DIRECTORY_READ, MEMBERS_READ, STATS_READ
from network.models import Organisation

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class APIScope(models.TextChoices):
    DIRECTORY = DIRECTORY_READ, _("Directory: organisations, needs, test sites, offers")
    MEMBERS = MEMBERS_READ, _("The cluster's members and their primary contacts")
    STATS = STATS_READ, _("Anonymised match and introduction statistics")


class APITokenQuerySet(models.QuerySet):
    def for_key(self, key: str):
        return self.filter(key_hash=hash_key(key)).select_related("cluster").first()

    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class APIToken(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses the token, e.g. 'Our CRM'.")
    )
    prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("cluster"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    rate_limit = models.CharField(
        _("rate limit"),
        max_length=20,
        blank=True,
        help_text=_("E.g. '100/minute'. Empty: the portal's default."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=False, organisation__isnull=True)
                | Q(cluster__isnull=True, organisation__isnull=False),
                name="apitoken_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def owner(self):
        return self.cluster or self.organisation

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def mark_used(self, now=None):
        """One conditional UPDATE, at most once a minute per token."""
        now = now or timezone.now()
        if self.last_used_at and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def clean(self):
        errors = {}
        unknown = set(self.scopes or []) - set(APIScope.values)
        if unknown:
            errors["scopes"] = _("Unknown scopes: %(scopes)s") % {
                "scopes": ", ".join(sorted(unknown))
            }
        elif not self.scopes:
            errors["scopes"] = _("Choose at least one scope.")
        elif MEMBERS_READ in self.scopes and not self.cluster_id:
            errors["scopes"] = _("Only a cluster's token may read its members.")
        if bool(self.cluster_id) == bool(self.organisation_id):
            errors["cluster"] = _("A token belongs to either a cluster or an organisation.")
        if self.rate_limit:
            from rest_framework.throttling import SimpleRateThrottle

            try:
                SimpleRateThrottle.parse_rate(None, self.rate_limit)
            except (ValueError, KeyError, IndexError):
                errors["rate_limit"] = _("Write the limit as a number, a slash and a period.")
        if errors:
            raise ValidationError(errors)
