"""Writes to the directory that touch several rows or have side effects."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


# A deleted test site or knowledge offer can be restored this long after its deletion; after
# that the periodic purge (offers_purge_deleted, network/schedule.py) deletes it for good.
OFFER_UNDO_MINUTES = 10


class OfferRestoreError(Exception):
    """The offer cannot be restored (its undo time is over); nothing was changed."""


def offer_undo_until(offer: TestSite | KnowledgeOffer, *, now=None):
    """Until when a deleted offer can be restored, or None if it is not deleted or too late."""
    if offer.deleted_at is None:
        return None
    until = offer.deleted_at + timedelta(minutes=OFFER_UNDO_MINUTES)
    return until if until > (now or timezone.now()) else None


@transaction.atomic
def offer_delete(*, offer: TestSite | KnowledgeOffer, now=None) -> None:
    """Delete a test site or knowledge offer: from the commit on it is gone from every page,
    search, list, export, API and matching run; `offer_restore` brings it back for
    OFFER_UNDO_MINUTES."""
    kind, pk = _offer_kind(offer), offer.pk
    offer.deleted_at = now or timezone.now()
    type(offer).all_objects.filter(pk=pk, deleted_at__isnull=True).update(
        deleted_at=offer.deleted_at, updated_at=offer.deleted_at
    )
    schedule_figures_refresh()
    profile_changed_on_commit(kind, pk)


@transaction.atomic
def offer_restore(*, offer: TestSite | KnowledgeOffer, now=None) -> TestSite | KnowledgeOffer:
    """Undo `offer_delete` within OFFER_UNDO_MINUTES: the offer is back as it was (its review
    state, matches someone acted on, bookings), and search and matching take it in again."""
    now = now or timezone.now()
    locked = type(offer).all_objects.select_for_update().get(pk=offer.pk)
    if offer_undo_until(locked, now=now) is None:
        raise OfferRestoreError(
            _("%(name)s can no longer be restored (only within %(minutes)d minutes of deleting).")
            % {"name": locked, "minutes": OFFER_UNDO_MINUTES}
        )
    type(offer).all_objects.filter(pk=offer.pk).update(deleted_at=None, updated_at=now)
    locked.deleted_at, locked.updated_at = None, now
    schedule_figures_refresh()
    profile_changed_on_commit(_offer_kind(locked), locked.pk)
    return locked


def offers_purge_deleted(*, now=None) -> int:
    """Delete for good the test sites and knowledge offers whose undo time is over."""
    cutoff = (now or timezone.now()) - timedelta(minutes=OFFER_UNDO_MINUTES)
    purged = 0
    for model in (TestSite, KnowledgeOffer):
        with transaction.atomic():
            _count, by_model = model.all_objects.filter(deleted_at__lt=cutoff).delete()
            purged += by_model.get(model._meta.label, 0)
    return purged


def _offer_kind(offer: TestSite | KnowledgeOffer) -> str:
    return "test_site" if isinstance(offer, TestSite) else "knowledge_offer"
