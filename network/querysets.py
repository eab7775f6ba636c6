"""Who sees what in the directory, and how it is searched. Views use these, never ad-hoc filters."""

from django.db import connection, models

# PostgreSQL's built-in text-search configurations, by profile language.
SEARCH_CONFIGS = {"da": "danish", "nb": "norwegian", "en": "english"}


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Shown to everyone: the owners chose to be listed and a reviewer approved it."""
        return self.filter(is_public=True, is_published=True)

    def matchable(self):
        """Taking part in matching: reviewed, and confirmed within the last year (not stale)."""
        return self.filter(is_published=True, stale_since__isnull=True)

    def visible_to(self, user):
        """Public profiles, plus the user's own organisations; everything for network admins."""
        if _is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.public()
        return self.filter(
            models.Q(is_public=True, is_published=True) | models.Q(affiliations__person__user=user)
        ).distinct()

    def visible_with(self, own_ids):
        """`visible_to` for a signed-in user whose organisations' ids are already known: the
        same rule without its joins, for checks made row by row inside a larger query."""
        return self.filter(models.Q(is_public=True, is_published=True) | models.Q(pk__in=own_ids))

    def managed_by(self, user):
        """Organisations whose profile the user may edit."""
        if _is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(affiliations__person__user=user, affiliations__role="admin")

    def accepting_tests(self):
        return self.filter(
            test_sites__is_public=True,
            test_sites__is_published=True,
            test_sites__deleted_at__isnull=True,
        ).distinct()

    def search(self, text: str):
        """Free text through the network's one search (network.search): the same folding,
        stems, thesaurus, typos and ranking on SQLite and PostgreSQL, ordered by relevance."""
        text = (text or "").strip()
        if not text:
            return self
        from network.search.engine import ranked

        return ranked(self, "organisation", text)


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    """Organisations that exist for everyone: tombstones of merged duplicates left out."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_at__isnull=True)


class PersonQuerySet(models.QuerySet):
    def colleagues_of(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(affiliations__organisation__affiliations__person__user=user).distinct()

    def listed_on_profiles(self):
        """People who consented to being named on their organisation's public profile."""
        return self.filter(directory_consent=True)


# A test site or knowledge offer is public when it and its owner's profile are listed and reviewed.
PUBLIC_OFFER = models.Q(
    is_public=True, is_published=True, owner__is_public=True, owner__is_published=True
)


class OfferQuerySet(models.QuerySet):
    def public(self):
        return self.filter(PUBLIC_OFFER)

    def matchable(self):
        """Reviewed, of a reviewed owner whose profile is not stale."""
        return self.filter(
            is_published=True, owner__is_published=True, owner__stale_since__isnull=True
        )

    def visible_to(self, user):
        if _is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.public()
        return self.filter(
            PUBLIC_OFFER | models.Q(owner__affiliations__person__user=user)
        ).distinct()

    def visible_with(self, own_ids):
        """`visible_to` for a signed-in user whose organisations' ids are already known."""
        return self.filter(PUBLIC_OFFER | models.Q(owner_id__in=own_ids))

    def deleted(self):
        """Deleted by their owners and still within the undo window (or not yet purged)."""
        return self.filter(deleted_at__isnull=False)


class OfferManager(models.Manager.from_queryset(OfferQuerySet)):
    """Test sites and knowledge offers that exist for everyone: deleted ones (which can be
    restored for a while, `network.services.offer_restore`) are left out of every page, list,
    search, API, export and matching run; `all_objects` still sees them."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)
