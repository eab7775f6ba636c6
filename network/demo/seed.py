"""Runs the builders in order. `small` is the demo; `large` adds bulk data for benchmarks."""

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from clusters.models import Cluster, Membership, MembershipTier, Network
from network.demo.companies import SMALL_COUNT, sme_specs
from network.demo.core import build_networks_and_clusters, build_tags, institution_specs
from network.demo.offers import write_knowledge_offers, write_test_sites
from network.demo.people import write_memberships, write_people
from network.demo.users import DemoLogin, ensure_demo_users
from network.demo.util import Reference, save_organisations
from network.figures import network_figures_refresh
from network.models import Affiliation, KnowledgeOffer, Organisation, Person, Tag, TestSite, User

# Totals per size; `large` contains `small`, so it can run on top of it (or on its own).
# `large` is the benchmarks' network: 10,000 SMEs and about 3,000 targets in all (test sites
# here, knowledge offers here, needs in matchmaking/demo.py), as the matching targets assume.
SIZES = {
    "small": {"smes": SMALL_COUNT, "test_sites": 120, "knowledge_offers": 60},
    "large": {
        "smes": SMALL_COUNT + 10_000,
        "test_sites": 120 + 1_200,
        "knowledge_offers": 60 + 1_200,
    },
}


@dataclass
class SeedResult:
    size: str
    logins: list[DemoLogin] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)
    seconds: float = 0.0


def seed(size: str, progress=None, *, demo_passwords: bool = True) -> SeedResult:
    """Create whatever of the `size` demo is missing. Safe to run again. Without
    `demo_passwords` the demo logins get unusable passwords (network.demo.users)."""
    counts = SIZES[size]
    result = SeedResult(size=size)
    started = last = time.monotonic()
    today = timezone.localdate()

    def step(label: str) -> None:
        nonlocal last
        now = time.monotonic()
        result.steps.append((label, now - last))
        if progress:
            progress(f"{label}: {now - last:.1f} s")
        last = now

    with transaction.atomic():
        reference = Reference()
        clusters = build_networks_and_clusters(reference)
        build_tags(reference)
        institutions = institution_specs(reference)
        org_ids, _ = save_organisations(institutions, reference)
    step("networks, clusters, tags and institutions")

    smes = sme_specs(reference, counts["smes"], taken_slugs={s.slug for s in institutions})
    with transaction.atomic():
        sme_ids, _ = save_organisations(smes, reference)
        org_ids.update(sme_ids)
    step(f"companies ({len(smes)})")

    with transaction.atomic():
        specs = institutions + smes
        contacts = write_people(specs, org_ids)
        write_memberships(specs, org_ids, contacts, reference, today)
    step("people and memberships")

    with transaction.atomic():
        write_test_sites(institutions, org_ids, reference, counts["test_sites"], today)
        write_knowledge_offers(
            institutions, org_ids, contacts, reference, counts["knowledge_offers"]
        )
    step("test sites and knowledge offers")

    with transaction.atomic():
        result.logins = ensure_demo_users(clusters, demo_passwords=demo_passwords)
    step("demo logins")

    network_figures_refresh()
    step("home-page figures")
    result.seconds = time.monotonic() - started
    return result


def database_counts() -> list[tuple[str, int]]:
    """What exists now (demo or not), for the command's summary."""
    rows = [
        ("Networks", Network.objects.count()),
        ("Clusters", Cluster.objects.count()),
        ("Membership tiers", MembershipTier.objects.count()),
    ]
    by_kind = dict(Organisation.objects.order_by().values_list("kind").annotate(n=Count("id")))
    rows.append(("Organisations", sum(by_kind.values())))
    rows += [(f"  {kind}", n) for kind, n in sorted(by_kind.items())]
    by_status = dict(Membership.objects.order_by().values_list("status").annotate(n=Count("id")))
    rows.append(("Memberships", sum(by_status.values())))
    rows += [(f"  {status}", n) for status, n in sorted(by_status.items())]
    rows += [
        ("People", Person.objects.count()),
        ("Affiliations", Affiliation.objects.count()),
        ("Test sites", TestSite.objects.count()),
        ("Knowledge offers", KnowledgeOffer.objects.count()),
        ("Tags", Tag.objects.count()),
        ("Users", User.objects.count()),
    ]
    return rows
