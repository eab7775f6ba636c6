"""The clusters' part of `manage.py seed_demo`: a membership year in full swing.

The directory's seeding (network.demo) already creates clusters, tiers and memberships. This
makes sure the demo staff logins find work in their clusters: applications waiting in every
staffed cluster, members in their grace period besides those whose renewal is coming up, and a
history on every membership. Import history stays empty (staff try the import themselves).
Safe to run again, and it never changes a row that exists: a cluster is prepared once (its
memberships' first history entries, written with HISTORY_REASON, say it was), so what staff did
in the demo since (approving the applications, renewing the members in grace, reviewing) stays
done.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from clusters import periods
from clusters.models import Cluster, Membership, MembershipStatus
from network.models import Affiliation, Organisation
from network.models.organisations import OrganisationKind

# Enough to show the queue, its count in the menu, and the bulk approval.
MIN_APPLICATIONS = 4
# Active members whose period has ended but who have not lapsed yet.
MIN_IN_GRACE = 2
# The showcase company also has an application waiting, for the organisation side.
SHOWCASE_APPLICATION = ("faldvagt", "medtech-innovation-consortium")
HISTORY_REASON = "demo data"

MOTIVATIONS = {
    "da": (
        "Vi udvikler {topic} og vil gerne møde kommuner og hospitaler i {cluster}, der kan "
        "teste vores løsning i praksis. Vi deltager gerne i netværksmøder og workshops."
    ),
    "nb": (
        "Vi utvikler {topic} og ønsker å møte kommuner og sykehus i {cluster} som kan teste "
        "løsningen vår i praksis. Vi deltar gjerne på nettverksmøter og arbeidsmøter."
    ),
    "en": (
        "We develop {topic} and would like to meet municipalities and hospitals in {cluster} "
        "that can test our solution in practice. We are glad to join network meetings."
    ),
}
TOPICS = {"da": "sundhedsteknologi", "nb": "helseteknologi", "en": "health technology"}


def seed(*, size: str = "small", stdout=None) -> dict:
    """Fill in what the staff logins should see; returns what was added."""
    today = timezone.localdate()
    with transaction.atomic():
        prepared = set(_prepared_clusters())
        clusters = [c for c in _staffed_clusters() if c.pk not in prepared]
        added = {
            "applications": _ensure_applications(clusters, prepared),
            "in_grace": _ensure_in_grace(clusters, today),
        }
        added["histories"] = _ensure_history()
        added["reviews"] = _ensure_reviews(clusters)
    if stdout is not None:
        stdout.write(
            "Clusters: {applications} applications, {in_grace} memberships in their grace "
            "period, {histories} membership histories and {reviews} items waiting for review "
            "added".format(**added)
        )
    return added


def _staffed_clusters():
    """The demo's own clusters that have staff. A cluster created in the demo since is the
    staff's: seeding adds nothing to it and changes none of its memberships."""
    from clusters.models import ClusterStaff
    from network.demo.clusters_data import CLUSTERS_BY_SLUG

    return Cluster.objects.filter(
        Exists(ClusterStaff.objects.filter(cluster=OuterRef("pk"))),
        slug__in=list(CLUSTERS_BY_SLUG),
    ).order_by("slug")


def _prepared_clusters():
    """Clusters this seeding prepared before: their memberships' history starts with it."""
    historical = Membership.history.model
    return (
        historical.objects.filter(history_change_reason=HISTORY_REASON)
        .order_by()
        .values_list("cluster_id", flat=True)
        .distinct()
    )


def _primary_contacts(organisation_ids) -> dict[int, int]:
    contacts = {}
    for organisation_id, person_id in (
        Affiliation.objects.filter(organisation_id__in=organisation_ids)
        .order_by("-is_primary_contact", "pk")
        .values_list("organisation_id", "person_id")
    ):
        contacts.setdefault(organisation_id, person_id)
    return contacts


def _application(organisation, cluster, contact_id) -> Membership:
    language = organisation.language if organisation.language in MOTIVATIONS else "da"
    tier = cluster.tiers.order_by("position", "pk").first()
    membership = Membership(
        organisation=organisation,
        cluster=cluster,
        status=MembershipStatus.APPLIED,
        tier=tier,
        annual_fee=tier.annual_fee if tier else None,
        primary_contact_id=contact_id,
        motivation=MOTIVATIONS[language].format(topic=TOPICS[language], cluster=cluster.name),
    )
    membership.full_clean()
    return membership


def _ensure_applications(clusters, prepared) -> int:
    """Every staffed cluster (and the showcase company) has applications waiting."""
    wanted: list[tuple[Organisation, Cluster]] = []
    for cluster in clusters:
        missing = MIN_APPLICATIONS - cluster.memberships.filter(status="applied").count()
        if missing <= 0:
            continue
        candidates = (
            Organisation.objects.filter(kind=OrganisationKind.SME, country=cluster.country)
            .exclude(memberships__cluster=cluster)
            .order_by("slug")[:missing]
        )
        wanted += [(organisation, cluster) for organisation in candidates]
    slug, cluster_slug = SHOWCASE_APPLICATION
    organisation = Organisation.objects.filter(slug__startswith=slug).order_by("slug").first()
    cluster = Cluster.objects.filter(slug=cluster_slug).exclude(pk__in=prepared).first()
    if (
        organisation
        and cluster
        and not Membership.objects.filter(organisation=organisation, cluster=cluster).exists()
    ):
        wanted.append((organisation, cluster))
    if not wanted:
        return 0
    contacts = _primary_contacts([organisation.pk for organisation, _cluster in wanted])
    created = []
    for n, (organisation, cluster) in enumerate(wanted):
        membership = _application(organisation, cluster, contacts.get(organisation.pk))
        membership.save()
        # Spread over the last weeks, so the queue has an order worth showing.
        Membership.objects.filter(pk=membership.pk).update(
            applied_at=timezone.now() - timedelta(days=2 + 4 * (n % 5), hours=n),
            status_changed_at=timezone.now() - timedelta(days=2 + 4 * (n % 5), hours=n),
        )
        created.append(membership)
    return len(created)


def _ensure_in_grace(clusters, today) -> int:
    """A few active members per staffed cluster whose period ended weeks ago (not lapsed yet);
    they were written by this seeding moments ago and have no history yet."""
    moved = 0
    for cluster in clusters:
        active = cluster.memberships.filter(status=MembershipStatus.ACTIVE)
        have = active.filter(period_end__lt=today).count()
        if have >= MIN_IN_GRACE:
            continue
        notice = today + timedelta(days=periods.renewal_notice_days())
        candidates = list(
            active.filter(period_end__gt=notice).order_by("organisation__slug")[
                : MIN_IN_GRACE - have
            ]
        )
        for n, membership in enumerate(candidates):
            # Ended 1-3 weeks ago: well inside the grace period, so the nightly run keeps it.
            end = today - timedelta(days=7 + 7 * n)
            start = periods.add_years(end + timedelta(days=1), -1)
            Membership.objects.filter(pk=membership.pk).update(period_start=start, period_end=end)
            moved += 1
    return moved


def _ensure_history() -> int:
    """Memberships written in bulk by the seeding get the first entry of their history."""
    historical = Membership.history.model
    without = list(
        Membership.objects.filter(~Exists(historical.objects.filter(id=OuterRef("pk")))).order_by(
            "pk"
        )
    )
    for start in range(0, len(without), 1000):
        chunk = without[start : start + 1000]
        for membership in chunk:
            membership._history_date = membership.applied_at
        Membership.history.bulk_history_create(chunk, default_change_reason=HISTORY_REASON)
    return len(without)


# Text a member adds to its profile, waiting for the cluster's review in the demo.
PROFILE_ADDITION = {
    "da": "Vi har netop afsluttet en afprøvning med to kommuner.",
    "nb": "Vi har nettopp avsluttet en utprøving med to kommuner.",
    "en": "We have just finished a trial with two municipalities.",
}


def _ensure_reviews(clusters) -> int:
    """Each staffed cluster has a member's profile change and a new test site to review."""
    from network.models import ReviewStatus, TestSite

    added = 0
    now = timezone.now()
    for cluster in clusters:
        members = Membership.objects.filter(cluster=cluster, status=MembershipStatus.ACTIVE).values(
            "organisation_id"
        )
        waiting = (
            Organisation.objects.filter(pk__in=members, review_status=ReviewStatus.PENDING).exists()
            or TestSite.objects.filter(
                owner__in=members, review_status=ReviewStatus.PENDING
            ).exists()
        )
        if waiting:
            continue
        profile = (
            Organisation.objects.filter(pk__in=members, review_status=ReviewStatus.PUBLISHED)
            .order_by("slug")
            .first()
        )
        if profile is not None:
            addition = PROFILE_ADDITION.get(profile.language, PROFILE_ADDITION["en"])
            profile.pending_changes = {"description": f"{profile.description}\n\n{addition}"}
            profile.review_status = ReviewStatus.PENDING
            profile.submitted_at = now - timedelta(days=2)
            profile.save(update_fields=["pending_changes", "review_status", "submitted_at"])
            added += 1
        site = (
            TestSite.objects.filter(owner__in=members, review_status=ReviewStatus.PUBLISHED)
            .order_by("-pk")
            .first()
        )
        if site is not None:
            site.is_published = False
            site.review_status = ReviewStatus.PENDING
            site.submitted_at = now - timedelta(days=1)
            site.save(update_fields=["is_published", "review_status", "submitted_at"])
            added += 1
    return added
