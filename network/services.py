"""Writes to the directory that touch several rows or have side effects."""

from django.db import transaction

from network import stale
from network.hooks import profile_changed_on_commit
from network.models import KnowledgeOffer, Organisation, TestSite
from network.slugs import slugify
from network.tasks import schedule_figures_refresh


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = 200) -> str:
    base = slugify(text)[: max_length - 8] or "org"
    slug, counter = base, 2
    # _base_manager: tombstones of merged organisations keep their slugs (their old address).
    while model._base_manager.filter(slug=slug).exclude(pk=instance_pk).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


@transaction.atomic
def organisation_save(*, organisation: Organisation, focus_areas, tags) -> Organisation:
    """Validate and save a profile with its focus areas and tags; refresh search on commit."""
    if not organisation.slug:
        organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    stale.touch(organisation, notify=False)  # a save by the owners confirms the profile
    organisation.focus_areas.set(focus_areas)
    organisation.tags.set(tags)
    schedule_figures_refresh()
    profile_changed_on_commit("organisation", organisation.pk)
    return organisation


@transaction.atomic
def offer_save(*, offer: TestSite | KnowledgeOffer, focus_areas, tags):
    """Save a test site or knowledge offer of an organisation the caller manages."""
    offer.full_clean()
    offer.save()
    stale.touch(offer.owner)
    offer.focus_areas.set(focus_areas)
    offer.tags.set(tags)
    schedule_figures_refresh()
    profile_changed_on_commit(_offer_kind(offer), offer.pk)
    return offer


@transaction.atomic
def offer_delete(*, offer: TestSite | KnowledgeOffer) -> None:
    kind, pk = _offer_kind(offer), offer.pk
    offer.delete()
    schedule_figures_refresh()
    profile_changed_on_commit(kind, pk)


def _offer_kind(offer: TestSite | KnowledgeOffer) -> str:
    return "test_site" if isinstance(offer, TestSite) else "knowledge_offer"
