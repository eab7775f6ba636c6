"""Needs in the network's one search (network.search): named in settings.SEARCH_SOURCES."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Need
from network.models import Tag
from network.search.keys import facet_key
from network.search.sources import Document, Source


class Needs(Source):
    kind = "need"
    label = _("Needs")
    model = Need
    order = 2

    def documents(self, ids):
        rows = (
            Need.objects.filter(pk__in=ids)
            .select_related("owner", "municipality", "region")
            .prefetch_related("focus_areas", Prefetch("tags", Tag.objects.only("name")))
        )
        return [
            Document(
                object_id=row.pk,
                title=row.title,
                lead=" ".join(
                    [
                        " ".join(tag.name for tag in row.tags.all()),
                        row.owner.name,
                        row.municipality.name if row.municipality else "",
                    ]
                ),
                body=" ".join(
                    [
                        row.description,
                        row.test_setting,
                        " ".join(area.name for area in row.focus_areas.all()),
                    ]
                ),
                facets=tuple(
                    [facet_key("f", area.slug) for area in row.focus_areas.all()]
                    + ([facet_key("r", row.region.slug)] if row.region else [])
                ),
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def visible(self, user):
        # A need merged into another is found as the one it became.
        return Need.objects.visible_to(user).not_merged()

    def visible_ids(self, user):
        return self.visible(user).values("pk")

    def load(self, ids, user):
        return self.visible(user).select_related("owner").in_bulk(ids)

    def subtitle(self, item):
        deadline = item.deadline.isoformat() if item.deadline else ""
        return " · ".join(part for part in [item.owner.name, deadline] if part)
