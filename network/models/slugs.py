"""Slugs the portal made before it spelled out æ, ø and å (network/slugs.py): each old slug
leads, with a permanent redirect, to the one that replaced it."""

from django.db import models


class SlugKind(models.TextChoices):
    ORGANISATION = "organisation", "organisation"
    MUNICIPALITY = "municipality", "municipality"
    REGION = "region", "region"
    TAG = "tag", "tag"


class SlugRedirect(models.Model):
    kind = models.CharField(max_length=20, choices=SlugKind.choices)
    old_slug = models.CharField(max_length=220)
    new_slug = models.CharField(max_length=220)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slug_redirect_unique_old")
        ]

    def __str__(self):
        return f"{self.kind}: {self.old_slug} → {self.new_slug}"
