"""Contact people of the demo organisations, their affiliations, and cluster memberships."""

import zlib
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from clusters.models import Membership, MembershipTier
from network.demo.clusters_data import CLUSTERS_BY_SLUG, home_clusters, tier_for
from network.demo.names import email_local, job_title, person_name
from network.demo.texts import motivation
from network.demo.themes import THEMES_BY_KEY
from network.demo.util import OrgSpec, Reference, ids_by, insert, rng_for
from network.models import Affiliation, Person

CONSENT_FROM = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _people_of(spec: OrgSpec):
    """[(role, Person)] of one organisation: the first is its admin and primary contact."""
    rng = rng_for("people", spec.slug)
    seen, people = set(), []
    for position in range(spec.people):
        first, last = person_name(rng, spec.country)
        local = email_local(first, last)
        if local in seen:
            local = f"{local}{position + 1}"
        seen.add(local)
        consent = rng.random() < 0.6
        people.append(
            (
                "admin" if position == 0 else "member",
                Person(
                    first_name=first,
                    last_name=last,
                    email=f"{local}@{spec.slug}.example",
                    job_title=job_title(rng, spec.language, spec.kind, lead=position == 0),
                    directory_consent=consent,
                    contact_public=consent and rng.random() < 0.35,
                    consent_given_at=CONSENT_FROM + timedelta(days=rng.randint(0, 300))
                    if consent
                    else None,
                ),
            )
        )
    return people


def write_people(specs: list[OrgSpec], org_ids: dict) -> dict:
    """Create the people and affiliations that are missing; return {org slug: admin person id}."""
    planned = [
        (spec, role, person)
        for spec in specs
        if spec.slug in org_ids
        for role, person in _people_of(spec)
    ]
    emails = [person.email for _, _, person in planned]
    existing = ids_by(Person, "email", emails)
    insert(Person, [person for _, _, person in planned if person.email not in existing])
    person_ids = ids_by(Person, "email", emails)
    insert(
        Affiliation,
        [
            Affiliation(
                person_id=person_ids[person.email],
                organisation_id=org_ids[spec.slug],
                role=role,
                is_primary_contact=role == "admin",
            )
            for spec, role, person in planned
        ],
    )
    return {
        spec.slug: person_ids[person.email] for spec, role, person in planned if role == "admin"
    }


# --- Memberships -------------------------------------------------------------------------------
SHARE_APPLIED = 0.05  # of companies: about 15 of the 300 in a small demo
SHARE_LAPSED = 0.02
SHARE_SECOND_CLUSTER = {
    "sme": 0.1,
    "university": 0.6,
    "gts_institute": 0.8,
    "hospital": 0.2,
    "investor": 0.5,
}
SHARE_NOT_MEMBER = {"municipality": 0.12, "patient_organisation": 0.3}
LAPSED_REASON = {
    "da": "Kontingentet blev ikke betalt.",
    "nb": "Kontingenten ble ikke betalt.",
    "en": "The membership fee was not paid.",
}


def _current_period(rng, today: date) -> tuple[date, date]:
    """A one-year period that runs today, starting on the first of a month."""
    month = rng.randint(1, 12)
    start = date(today.year, month, 1)
    if start > today:
        start = date(today.year - 1, month, 1)
    return start, date(start.year + 1, start.month, 1) - timedelta(days=1)


def _memberships_of(spec, reference):
    """[(cluster slug, status)] for one organisation."""
    rng = rng_for("membership", spec.slug)
    if rng.random() < SHARE_NOT_MEMBER.get(spec.kind, 0):
        return rng, []
    region_code = spec.place.region_code if spec.place else reference.region_code(spec.region_id)
    candidates = home_clusters(spec.country, region_code, spec.theme)
    status = "active"
    if spec.kind == "sme":
        draw = rng.random()
        status = (
            "applied"
            if draw < SHARE_APPLIED
            else ("lapsed" if draw < SHARE_APPLIED + SHARE_LAPSED else "active")
        )
    chosen = [(candidates[0], status)]
    if status == "active" and rng.random() < SHARE_SECOND_CLUSTER.get(spec.kind, 0):
        others = [
            slug
            for slug in CLUSTERS_BY_SLUG
            if CLUSTERS_BY_SLUG[slug].country == spec.country and slug != candidates[0]
        ]
        chosen.append((rng.choice(others), "active"))
    return rng, chosen


def _applied_at(slug: str, period_start, today: date):
    """When the demo member applied: some weeks before its first period (an application: in
    the last weeks), the same on every run."""
    days = 7 + zlib.crc32(slug.encode()) % 60
    day = (period_start or today) - timedelta(days=days if period_start else days % 21)
    return timezone.make_aware(datetime.combine(day, time(10)))


def write_memberships(specs, org_ids, contacts, reference: Reference, today: date) -> None:
    """Memberships that do not exist yet; an existing one (any status) is left alone."""
    tiers = {
        (tier.cluster.slug, tier.position): tier
        for tier in MembershipTier.objects.select_related("cluster")
    }
    rows = []
    for spec in specs:
        if spec.slug not in org_ids:
            continue
        rng, chosen = _memberships_of(spec, reference)
        for cluster_slug, status in chosen:
            data = CLUSTERS_BY_SLUG[cluster_slug]
            position, _name, _fee = tier_for(data, spec.kind, spec.fields.get("employees"))
            tier = tiers.get((cluster_slug, position))
            if tier is None:  # staff removed the demo's tier: leave this membership out
                continue
            start, end = _current_period(rng, today)
            membership = Membership(
                organisation_id=org_ids[spec.slug],
                cluster_id=tier.cluster_id,
                tier=tier,
                annual_fee=tier.annual_fee,
                status=status,
                period_start=start,
                period_end=end,
                primary_contact_id=contacts.get(spec.slug),
            )
            if status == "applied":
                membership.period_start = membership.period_end = None
                membership.motivation = motivation(
                    rng,
                    language=spec.language,
                    cluster=data.name,
                    theme=THEMES_BY_KEY.get(spec.theme),
                )
            elif status == "lapsed":
                membership.period_start = date(start.year - 2, start.month, 1)
                membership.period_end = date(start.year - 1, start.month, 1) - timedelta(days=1)
                membership.status_reason = LAPSED_REASON[spec.language]
            membership.applied_at = _applied_at(spec.slug, membership.period_start, today)
            rows.append(membership)
    insert(Membership, rows)
