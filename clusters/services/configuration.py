"""A cluster's own settings: its profile, and its tiers and fees."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from clusters.models import Cluster, MembershipTier
from clusters.transitions import ServiceError


@transaction.atomic
def cluster_save(*, cluster: Cluster, regions, focus_areas) -> Cluster:
    cluster.full_clean()
    cluster.save()
    cluster.regions.set(regions)
    cluster.focus_areas.set(focus_areas)
    return cluster


@transaction.atomic
def tier_save(*, tier: MembershipTier) -> MembershipTier:
    """Save a tier. Existing memberships keep their fee until they are renewed."""
    tier.full_clean()
    tier.save()
    return tier


@transaction.atomic
def tier_delete(*, tier: MembershipTier) -> None:
    try:
        tier.delete()
    except ProtectedError as error:
        raise ServiceError(
            _("Members are in this tier; move them to another tier first."), code="tier_in_use"
        ) from error
