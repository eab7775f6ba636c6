"""The network's headline figures for the home page."""

from django.db.models import Count, Q
from django.utils import timezone

from network.models import KnowledgeOffer, NetworkFigures, Organisation, TestSite


def compute_network_figures() -> dict:
    """Count public organisations by kind, test sites and knowledge offers: one query each."""
    by_kind = Organisation.objects.public().aggregate(
        organisations=Count("id"),
        smes=Count("id", filter=Q(kind="sme")),
        municipalities=Count("id", filter=Q(kind="municipality")),
        hospitals=Count("id", filter=Q(kind="hospital")),
        knowledge_institutions=Count(
            "id", filter=Q(kind__in=["university", "gts_institute", "university_college"])
        ),
    )
    by_kind["test_sites"] = TestSite.objects.public().count()
    by_kind["knowledge_offers"] = KnowledgeOffer.objects.public().count()
    return by_kind


def network_figures_refresh() -> NetworkFigures:
    figures, _ = NetworkFigures.objects.update_or_create(
        key="network",
        defaults={"figures": compute_network_figures(), "computed_at": timezone.now()},
    )
    return figures


def current_network_figures() -> dict:
    """The stored figures; computed on the spot only before the task has ever run."""
    stored = NetworkFigures.objects.filter(key="network").first()
    if stored is None:
        stored = network_figures_refresh()
    return stored.figures
