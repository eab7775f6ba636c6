"""Demo projects, activities, contributions and budgets; `seed_demo` calls `seed()` last.

Projects grow out of the demo's matches: for some matches both sides agreed to an introduction
and started a project (the match then reads "project started"); others were set up by staff.
Activities (workshops, user panels, match-making days) fill two years with participants from
the clusters' members and head counts of citizens. Budgets follow the network's funding: for
the Danish network 14 MDKK from the ministry, 2.8 MDKK regional and 11.2 MDKK private
co-financing over two years, split over its clusters; the Norwegian network in NOK likewise.

Idempotent: only the demo's own clusters are seeded, once; one that has budget lines, projects or
activities already is left as it is, and so is a cluster created in the demo since.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from clusters.models import Cluster, Membership
from matchmaking.models import Match
from matchmaking.models_introductions import Introduction
from network.demo.clusters_data import CLUSTERS_BY_SLUG
from network.demo.util import rng_for
from network.models import Organisation
from projects import services
from projects.models import (
    Activity,
    ActivityKind,
    ActivityParticipant,
    Budget,
    Contribution,
    FundingSource,
    Project,
    ProjectPartner,
    ProjectStatus,
)

COUNTS = {"small": {"projects": 8, "activities": 14}, "large": {"projects": 40, "activities": 60}}
# Per network over two years: (ministry, region, private), in the network's currency.
FUNDING = {
    "DK": (Decimal(14_000_000), Decimal(2_800_000), Decimal(11_200_000)),
    "NO": (Decimal(9_000_000), Decimal(1_800_000), Decimal(7_200_000)),
}
HOURLY_RATE = {"DK": (650, 1100), "NO": (900, 1500)}
SOURCE_OF_KIND = {
    "sme": FundingSource.PRIVATE,
    "large_company": FundingSource.PRIVATE,
    "investor": FundingSource.PRIVATE,
    "municipality": FundingSource.REGION,
    "region": FundingSource.REGION,
    "hospital": FundingSource.REGION,
    "university": FundingSource.MINISTRY,
    "gts_institute": FundingSource.MINISTRY,
    "university_college": FundingSource.MINISTRY,
}
ACTIVITY_TITLES = {
    ActivityKind.WORKSHOP: ("Workshop: sundhedsdata i praksis", "Workshop: helsedata i praksis"),
    ActivityKind.USER_PANEL: (
        "Brugerpanel om faldforebyggelse",
        "Brukerpanel om velferdsteknologi",
    ),
    ActivityKind.MATCHMAKING_DAY: (
        "Matchmaking-dag: virksomheder møder kommuner",
        "Matchmaking-dag: bedrifter møter kommuner",
    ),
    ActivityKind.EVENT: (
        "Netværksmøde om telemedicin",
        "Nettverksmøte om digital hjemmeoppfølging",
    ),
}


def seed(*, size: str = "small", stdout=None) -> dict:
    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)
    end = date(today.year, 12, 31)
    added = {"budgets": 0, "projects": 0, "activities": 0, "contributions": 0}
    for country in ("DK", "NO"):
        # The demo's own clusters, once: not one created in the demo since, nor one that has
        # budgets, projects or activities already (staff's or seeded).
        clusters = list(
            Cluster.objects.filter(country=country, slug__in=list(CLUSTERS_BY_SLUG))
            .exclude(Exists(Budget.objects.filter(cluster=OuterRef("pk"))))
            .exclude(Exists(Project.objects.filter(lead_cluster=OuterRef("pk"))))
            .exclude(Exists(Activity.objects.filter(cluster=OuterRef("pk"))))
            .order_by("slug")
        )
        if not clusters:
            continue
        with transaction.atomic():
            _seed_country(country, clusters, start, end, today, size, added)
    if stdout is not None:
        stdout.write(
            "Projects: {budgets} budget lines, {projects} projects, {activities} activities and "
            "{contributions} contributions added".format(**added)
        )
    return added


def _seed_country(country, clusters, start, end, today, size, added):
    ministry, region, private = FUNDING[country]
    for cluster in clusters:
        for source, total in (
            (FundingSource.MINISTRY, ministry),
            (FundingSource.REGION, region),
            (FundingSource.PRIVATE, private),
        ):
            services.budget_save(
                budget=Budget(
                    cluster=cluster,
                    funding_source=source,
                    period_start=start,
                    period_end=end,
                    amount=(total / len(clusters)).quantize(Decimal("1")),
                    note="Demo",
                )
            )
            added["budgets"] += 1
    counts = COUNTS.get(size, COUNTS["small"])
    for cluster in clusters:
        rng = rng_for("projects", cluster.slug)
        members = list(
            Organisation.objects.filter(
                memberships__cluster=cluster, memberships__status="active"
            ).order_by("pk")[:400]
        )
        if len(members) < 4:
            continue
        public = [m for m in members if m.kind != "sme"] or members
        smes = [m for m in members if m.kind == "sme"] or members
        projects = _projects_from_matches(cluster, rng, counts["projects"] // 2, start, today)
        for n in range(counts["projects"] - len(projects)):
            began = start + timedelta(days=rng.randrange(0, (today - start).days or 1))
            project = services.project_save(
                project=Project(
                    title=f"{rng.choice(smes).name}: pilot {n + 1}",
                    description="Demo",
                    status=rng.choice(
                        [
                            ProjectStatus.RUNNING,
                            ProjectStatus.RUNNING,
                            ProjectStatus.COMPLETED,
                            ProjectStatus.IDEA,
                        ]
                    ),
                    start=began,
                    lead_cluster=cluster,
                )
            )
            if project.status == ProjectStatus.IDEA:
                Project.objects.filter(pk=project.pk).update(start=None)
            elif project.status == ProjectStatus.COMPLETED:
                Project.objects.filter(pk=project.pk).update(
                    end=min(today, began + timedelta(days=240))
                )
            for organisation in {rng.choice(smes), rng.choice(public), rng.choice(members)}:
                ProjectPartner.objects.get_or_create(project=project, organisation=organisation)
            projects.append(project)
        added["projects"] += len(projects)
        low, high = HOURLY_RATE[country]
        for project in Project.objects.filter(pk__in=[p.pk for p in projects]).exclude(start=None):
            for partner in project.partners.select_related("organisation"):
                for _i in range(rng.randint(1, 3)):
                    kind = partner.organisation.kind
                    day = project.start + timedelta(days=rng.randrange(0, 300))
                    if day > today:
                        continue
                    Contribution.objects.create(
                        project=project,
                        organisation=partner.organisation,
                        date=day,
                        hours=Decimal(rng.randrange(10, 250)),
                        hourly_rate=Decimal(rng.randrange(low, high, 50)),
                        cash=Decimal(rng.choice([0, 0, 0, 25_000, 50_000, 100_000])),
                        funding_source=SOURCE_OF_KIND.get(kind, FundingSource.OTHER),
                    )
                    added["contributions"] += 1
        for _n in range(counts["activities"]):
            kind = rng.choice(list(ACTIVITY_TITLES))
            day = start + timedelta(days=rng.randrange(0, (today - start).days or 1))
            activity = services.activity_save(
                activity=Activity(
                    kind=kind,
                    date=day,
                    cluster=cluster,
                    title=ACTIVITY_TITLES[kind][0 if country == "DK" else 1],
                    description="Demo",
                )
            )
            for organisation in set(rng.sample(members, min(len(members), rng.randint(3, 12)))):
                ActivityParticipant.objects.create(
                    activity=activity,
                    organisation=organisation,
                    kind=organisation.kind,
                    people=rng.randint(1, 3),
                )
            if kind == ActivityKind.USER_PANEL:
                ActivityParticipant.objects.create(
                    activity=activity, kind="other", people=rng.randint(6, 20)
                )
            if rng.random() < 0.3:
                host = rng.choice(members)
                Contribution.objects.create(
                    activity=activity,
                    organisation=host,
                    date=day,
                    hours=Decimal(rng.randrange(8, 40)),
                    hourly_rate=Decimal(rng.randrange(low, high, 50)),
                    funding_source=SOURCE_OF_KIND.get(host.kind, FundingSource.OTHER),
                )
                added["contributions"] += 1
            added["activities"] += 1


def _projects_from_matches(cluster, rng, count, start, today):
    """Agreed introductions of members' matches, some of which became projects."""
    members = Membership.objects.filter(cluster=cluster, status="active").values("organisation_id")
    matches = list(
        Match.objects.filter(source__in=members, status="suggested")
        .exclude(introductions__isnull=False)
        .select_related("source", "need__owner", "test_site__owner", "knowledge_offer__owner")
        .order_by("-score")[: count * 3]
    )
    projects = []
    others = []
    for match in matches:
        if len(projects) >= count:
            others.append(match)
            continue
        target = match.target
        owner = getattr(target, "owner", None)
        if owner is None or owner.pk == match.source_id:
            continue
        met = timezone.now() - timedelta(days=rng.randrange(30, 300))
        introduction = Introduction.objects.create(
            match=match,
            source=match.source,
            target_organisation=owner,
            message="Demo: vi vil gerne afprøve vores løsning hos jer.",
            status="met",
            requested_at=met - timedelta(days=14),
            responded_at=met - timedelta(days=10),
            met_at=met,
            expires_at=met + timedelta(days=16),
        )
        Match.objects.filter(pk=match.pk).update(status="introduced")
        began = max(start, min(today, timezone.localtime(met).date() + timedelta(days=21)))
        projects.append(
            services.project_save(
                project=Project(
                    title=f"{match.source.name} × {owner.name}"[:200],
                    description=f"Demo: {getattr(target, 'title', '') or target}",
                    status=ProjectStatus.RUNNING,
                    start=began,
                    lead_cluster=cluster,
                    origin_introduction=introduction,
                )
            )
        )
    _introductions_on_the_way(others, rng, today)
    return projects


# What became of the introductions that did not (yet) lead to a project, so that the funding
# report's funnel narrows the way a real one does: (introduction status, match status, weight).
OUTCOMES = [
    ("requested", "requested", 3),
    ("declined", "declined", 2),
    ("expired", "requested", 1),
    ("accepted", "accepted", 3),
    ("met", "introduced", 2),
]


def _introductions_on_the_way(matches, rng, today):
    """Introductions of other matches: waiting, declined, expired, accepted, or met without a
    project yet, each dated in the past year."""
    outcomes = [outcome for outcome in OUTCOMES for _n in range(outcome[2])]
    for match in matches:
        owner = getattr(match.target, "owner", None)
        if owner is None or owner.pk == match.source_id:
            continue
        status, match_status, _weight = rng.choice(outcomes)
        requested = timezone.now() - timedelta(days=rng.randrange(20, 330))
        answered = requested + timedelta(days=rng.randrange(1, 14))
        Introduction.objects.create(
            match=match,
            source=match.source,
            target_organisation=owner,
            message="Demo: vi vil gerne høre mere om jeres behov.",
            status=status,
            requested_at=requested,
            responded_at=answered if status in ("declined", "accepted", "met") else None,
            met_at=answered + timedelta(days=rng.randrange(5, 30)) if status == "met" else None,
            expires_at=requested + timedelta(days=30),
        )
        Match.objects.filter(pk=match.pk).update(status=match_status)
