"""What can be found, kind by kind: its words, who may see it, where it leads.

A source is a small object per kind. network's own (organisations, test sites, knowledge
offers) are below; apps above network name theirs in settings.SEARCH_SOURCES (dotted paths, the
way settings name apps), so network never imports them. Who may see an item is the model's own
`visible_to(user)`, the rule the directory, lists and API use: a search joins it, never a copy.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import Prefetch
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from network.models import KnowledgeOffer, Organisation, Tag, TestSite
from network.search.keys import facet_key


@dataclass
class Document:
    """One item's text for the index, split by how much a match there counts."""

    object_id: int
    title: str
    lead: str  # tags, type, place, owner
    body: str
    facets: tuple  # facet tokens (network.search.keys.facet_key)
    updated_at: object = None


class Source:
    kind = ""
    label = ""
    model = None
    order = 0

    def objects(self):
        """Every item of the kind, findable or not: visibility is decided at query time."""
        return self.model._default_manager.all()

    def visible_ids(self, user):
        return self.model._default_manager.visible_to(user).values("pk")

    def documents(self, ids) -> list[Document]:
        raise NotImplementedError

    def load(self, ids, user) -> dict:
        """The items on a result page that `user` may see now, by id, with what a hit shows."""
        return self.visible(user).in_bulk(ids)

    def visible(self, user):
        return self.model._default_manager.visible_to(user)

    def subtitle(self, item) -> str:
        return ""


def _names(items) -> str:
    return " ".join(item.name for item in items)


def _facets(item, region=None) -> tuple:
    found = [facet_key("f", area.slug) for area in item.focus_areas.all()]
    if region is not None:
        found.append(facet_key("r", region.slug))
    return tuple(found)


TAGS = Prefetch("tags", Tag.objects.only("name"))


class Organisations(Source):
    kind = "organisation"
    label = _("Organisations")
    model = Organisation
    order = 1

    def documents(self, ids):
        rows = (
            Organisation.objects.filter(pk__in=ids)
            .select_related("municipality", "region")
            .prefetch_related("focus_areas", TAGS)
        )
        return [
            Document(
                object_id=row.pk,
                title=row.name,
                lead=" ".join(
                    [
                        _names(row.tags.all()),
                        str(row.get_kind_display()),
                        row.town,
                        row.municipality.name if row.municipality else "",
                    ]
                ),
                body=" ".join([row.description, _names(row.focus_areas.all())]),
                facets=_facets(row, row.region),
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def load(self, ids, user):
        return self.visible(user).select_related("municipality").in_bulk(ids)

    def subtitle(self, item):
        place = item.municipality.name if item.municipality else item.town
        return " · ".join(part for part in [str(item.get_kind_display()), place] if part)


class TestSites(Source):
    kind = "test_site"
    label = _("Test sites")
    model = TestSite
    order = 3

    def documents(self, ids):
        rows = (
            TestSite.objects.filter(pk__in=ids)
            .select_related("owner", "municipality__region")
            .prefetch_related("focus_areas", TAGS)
        )
        return [
            Document(
                object_id=row.pk,
                title=row.name,
                lead=" ".join(
                    [
                        _names(row.tags.all()),
                        str(row.get_site_type_display()),
                        row.owner.name,
                        row.municipality.name if row.municipality else "",
                    ]
                ),
                body=" ".join([row.description, row.capabilities, _names(row.focus_areas.all())]),
                facets=_facets(row, row.municipality.region if row.municipality else None),
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def load(self, ids, user):
        return self.visible(user).select_related("owner", "municipality").in_bulk(ids)

    def subtitle(self, item):
        return " · ".join([str(item.get_site_type_display()), item.owner.name])


class KnowledgeOffers(Source):
    kind = "knowledge_offer"
    label = _("Knowledge offers")
    model = KnowledgeOffer
    order = 4

    def documents(self, ids):
        rows = (
            KnowledgeOffer.objects.filter(pk__in=ids)
            .select_related("owner__region")
            .prefetch_related("focus_areas", TAGS)
        )
        return [
            Document(
                object_id=row.pk,
                title=row.title,
                lead=" ".join(
                    [_names(row.tags.all()), str(row.get_method_display()), row.owner.name]
                ),
                body=" ".join([row.competence, row.description, _names(row.focus_areas.all())]),
                facets=_facets(row, row.owner.region),
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def load(self, ids, user):
        return self.visible(user).select_related("owner").in_bulk(ids)

    def subtitle(self, item):
        return " · ".join([str(item.get_method_display()), item.owner.name])


def offer_url(offer) -> str:
    return offer.owner.get_absolute_url() + f"#offer-{offer.pk}"


KnowledgeOffers.url = staticmethod(offer_url)

NETWORK_SOURCES = (
    "network.search.sources.Organisations",
    "network.search.sources.TestSites",
    "network.search.sources.KnowledgeOffers",
)


@cache
def _load(paths: tuple) -> dict:
    found = {}
    for path in paths:
        source = import_string(path)()
        found[source.kind] = source
    return dict(sorted(found.items(), key=lambda item: item[1].order))


def sources() -> dict:
    """kind -> source, in the order kinds are shown."""
    return _load(tuple(getattr(settings, "SEARCH_SOURCES", NETWORK_SOURCES)))


def url_of(source, item) -> str:
    url = getattr(source, "url", None)
    return url(item) if url else item.get_absolute_url()
