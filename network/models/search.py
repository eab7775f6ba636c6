"""The search index: one row per findable item (organisation, need, test site, offer, project).

A row holds the item's words as *keys* made by network.search.keys from the text layer
(folded words, stems, thesaurus concepts, compound parts, facet tokens), so both databases
match the same tokens: SQLite through an FTS5 table over body_keys (migration 0016),
PostgreSQL through a GIN-indexed tsvector of the same keys. Who may see a row is never stored
here: a search joins each kind's own `visible_to(user)` queryset. Saved searches with email
alerts are below.

A later migration that alters these tables must mind what 0016 added outside the models: on
SQLite, Django rebuilds a table it alters and its FTS5 triggers go with it (create them again);
on PostgreSQL, `search_vector` is generated from `body_keys` (drop and add it around a change).
After such a change, `manage.py search_index` builds the index again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    sort_title = models.CharField(max_length=300, db_index=True)
    text = models.TextField(blank=True)  # the words a snippet is cut from, as written
    title_keys = models.TextField(blank=True)  # " key key " (spaces around every key)
    lead_keys = models.TextField(blank=True)  # tags, type, place, owner
    body_keys = models.TextField(blank=True)  # everything, facet tokens included
    source_updated_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchTerm(models.Model):
    """Every folded word the index holds: where a misspelt query word looks for its word."""

    term = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.term


class SearchWatermark(models.Model):
    """Per kind, the newest `updated_at` the index has read (see network.search.index.sync)."""

    kind = models.CharField(max_length=30, unique=True)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.kind} {self.updated_at}"


class SavedSearchFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once, one email per new find")
    DAILY = "daily", _("A daily email")
    WEEKLY = "weekly", _("A weekly email")


class SavedSearch(models.Model):
    """A signed-in person's search, kept so that new needs, test sites and offers it finds are
    sent to them once (network.search.saved). The choices are those of the search page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("search"), max_length=200)
    kind = models.CharField(_("kind of result"), max_length=30, blank=True)
    focus_area = models.CharField(_("focus area"), max_length=100, blank=True)  # slug
    region = models.CharField(_("region"), max_length=100, blank=True)  # slug
    frequency = models.CharField(
        _("email"),
        max_length=12,
        choices=SavedSearchFrequency.choices,
        default=SavedSearchFrequency.DAILY,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return f"{self.user} · {self.query}"


class SavedSearchSent(models.Model):
    """An item a saved search has told its owner of (or found when it was saved): never again."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="sent")
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "kind", "object_id"], name="saved_search_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.saved_search_id}: {self.kind} {self.object_id}"
