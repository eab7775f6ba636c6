"""Demo needs and a first full match run; `seed_demo` calls `seed()` after the directory.

Needs are posted by the demo municipalities, hospitals and regions, in the owner's language
(Danish in Denmark, Norwegian in Norway, now and then English), built from the same health-tech
themes as the companies, so the demo SMEs find believable matches. Most are open and public;
some are drafts, closed, for signed-in members only, or private. The showcase company's home
town gets a fall-prevention need of its own, so the demo SME login sees a good first match.

Idempotent: every demo need carries a reference "DEMO-<n>", known by it alone; a re-run inserts
only the missing ones. A full match run at the end brings the matches up to date (skipped
when nothing was added and a full run has succeeded before).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from matchmaking.models import NEED_OWNER_KINDS, MatchCriteria, MatchRun, Need, RunTrigger
from network.demo.themes import THEMES, THEMES_BY_KEY
from network.demo.util import rng_for
from network.models import FocusArea, Organisation, ReviewStatus, Tag

COUNTS = {"small": 90, "large": 90 + 510}  # large: with network/demo, about 3,000 targets
REFERENCE = "DEMO-{:05d}"
SHOWCASE_TOWN = "Odense"

# (title, description, test setting) per language, filled with a theme's phrases:
# product, users, setting, benefit, topic.
TEMPLATES = {
    "da": [
        (
            "Søger løsninger inden for {topic}",
            "Vi oplever et stigende pres i {setting}, og {users} venter for længe på hjælp. "
            "Vi vil gerne afprøve {product}, så vi kan opnå {benefit}.",
            "Afprøvning i {setting} over tre til seks måneder med inddragelse af personale og "
            "borgere. Vi stiller testpersoner og data til rådighed.",
        ),
        (
            "Udfordring: {topic} i {setting}",
            "Hvordan kan vi hjælpe {users} bedre? Vi leder efter virksomheder med {product}. "
            "Målet er {benefit}.",
            "Pilotforløb i {setting} med løbende evaluering sammen med vores udviklingsenhed.",
        ),
        (
            "Partnerskab om {topic}",
            "Vores medarbejdere bruger meget tid på opgaver, som teknologi kunne løse. Vi søger "
            "{product} til {users}, der kan give {benefit}.",
            "Samarbejde om et testforløb i {setting}; vi har budget til en mindre pilot.",
        ),
    ],
    "nb": [
        (
            "Ser etter løsninger innen {topic}",
            "Vi opplever økende press i {setting}, og {users} venter for lenge på hjelp. Vi "
            "ønsker å prøve ut {product}, slik at vi kan oppnå {benefit}.",
            "Utprøving i {setting} over tre til seks måneder der ansatte og brukere deltar. Vi "
            "stiller testpersoner og data til rådighet.",
        ),
        (
            "Utfordring: {topic} i {setting}",
            "Hvordan kan vi hjelpe {users} bedre? Vi ser etter bedrifter med {product}. Målet "
            "er {benefit}.",
            "Pilot i {setting} med løpende evaluering sammen med vår innovasjonsavdeling.",
        ),
    ],
    "en": [
        (
            "Looking for solutions in {topic}",
            "Demand is growing in {setting}, and {users} wait too long for help. We want to "
            "try {product} to achieve {benefit}.",
            "A three to six month trial in {setting} with staff and citizens taking part.",
        ),
    ],
}
STATUS_WEIGHTS = (("open", 78), ("draft", 10), ("closed", 12))
VISIBILITY_WEIGHTS = (("public", 70), ("network", 20), ("private", 10))


def _owners():
    """Demo need owners, a fixed order: municipalities, hospitals and regions with a place."""
    return list(
        Organisation.objects.filter(kind__in=NEED_OWNER_KINDS)
        .exclude(municipality__isnull=True, region__isnull=True)
        .order_by("country", "kind", "slug")
        .select_related("municipality")
    )


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


def _need(index: int, owner, theme, today, *, showcase=False) -> tuple[Need, list, list]:
    rng = rng_for("need", index)
    language = "da" if owner.country == "DK" else "nb"
    if not showcase and rng.random() < 0.12:
        language = "en"
    title, description, setting = rng.choice(TEMPLATES[language])
    product, users, place, benefit, topic = theme.phrases[language]
    values = {"product": product, "users": users, "setting": place, "benefit": benefit}
    values["topic"] = topic
    status = "open" if showcase else _pick(rng, STATUS_WEIGHTS)
    visibility = "public" if showcase else _pick(rng, VISIBILITY_WEIGHTS)
    low = rng.choice((1, 3, 4, 5, 6))
    deadline = None if rng.random() < 0.15 else today + timedelta(days=rng.randint(6, 150))
    if status == "closed" and deadline:
        deadline = today - timedelta(days=rng.randint(1, 60))
    now = timezone.now()
    need = Need(
        owner_id=owner.pk,
        title=(title.format(**values))[:200],
        description=description.format(**values),
        test_setting=setting.format(**values),
        municipality_id=owner.municipality_id,
        region_id=owner.region_id,
        deadline=deadline,
        trl_min=5 if showcase else low,
        trl_max=8 if showcase else min(9, low + rng.choice((2, 3, 4))),
        language=language,
        status=status,
        visibility=visibility,
        reference=REFERENCE.format(index),
        published_at=None if status == "draft" else now - timedelta(days=rng.randint(1, 90)),
        closed_at=now if status == "closed" else None,
        is_published=status != "draft",
        review_status=ReviewStatus.DRAFT if status == "draft" else ReviewStatus.PUBLISHED,
    )
    tags_language = "en" if language == "en" else language
    tags = list(theme.tags[tags_language])
    if rng.random() < 0.4:
        tags.append(rng.choice(theme.tags["en"]))
    focus = list(theme.focus[:2] if rng.random() < 0.5 else theme.focus[:1])
    return need, focus, tags


def seed(*, size: str, stdout=None) -> None:
    """Create the missing demo needs of `size`, the default criteria, then a full match run."""
    from matchmaking.services import match_run_full_now

    today = timezone.localdate()
    owners = _owners()
    if not owners:
        return
    showcase_owner = next(
        (
            owner
            for owner in owners
            if owner.kind == "municipality" and owner.municipality_id
            and owner.municipality.name == SHOWCASE_TOWN
        ),
        owners[0],
    )  # fmt: skip
    # A demo need is known by its reference alone: owners are picked by position among the
    # municipalities, hospitals and regions, so one staff added since would shift them.
    existing = set(
        Need.objects.filter(reference__startswith="DEMO-").values_list("reference", flat=True)
    )
    focus_ids = dict(FocusArea.objects.values_list("slug", "pk"))
    tag_ids = dict(Tag.objects.values_list("name", "pk"))

    planned = []
    for index in range(COUNTS[size]):
        if index == 0:
            owner, theme, showcase = showcase_owner, THEMES_BY_KEY["fall"], True
        else:
            rng = rng_for("need-owner", index)
            owner, theme, showcase = rng.choice(owners), rng.choice(THEMES), False
        if REFERENCE.format(index) in existing:
            continue
        planned.append(_need(index, owner, theme, today, showcase=showcase))

    with transaction.atomic():
        Need.objects.bulk_create([need for need, _focus, _tags in planned], batch_size=1000)
        created = {
            (owner, reference): pk
            for pk, owner, reference in Need.objects.filter(
                reference__in=[need.reference for need, _f, _t in planned]
            ).values_list("pk", "owner_id", "reference")
        }
        focus_links, tag_links = [], []
        for need, focus, tags in planned:
            pk = created[(need.owner_id, need.reference)]
            focus_links += [
                Need.focus_areas.through(need_id=pk, focusarea_id=focus_ids[slug])
                for slug in dict.fromkeys(focus)
                if slug in focus_ids
            ]
            tag_links += [
                Need.tags.through(need_id=pk, tag_id=tag_ids[name])
                for name in dict.fromkeys(tags)
                if name in tag_ids
            ]
        Need.focus_areas.through.objects.bulk_create(focus_links, batch_size=5000)
        Need.tags.through.objects.bulk_create(tag_links, batch_size=5000)
        MatchCriteria.current()
    if stdout:
        stdout.write(f"Needs: {len(planned)} new, {Need.objects.count()} in all")
    if not planned and MatchRun.objects.filter(kind="full", status="succeeded").exists():
        return  # nothing new: the matches are up to date (and a re-run adds no rows)
    run = match_run_full_now(trigger=RunTrigger.DEMO)
    if stdout and run:
        stdout.write(
            f"Match run #{run.pk}: {run.matches_written} matches of {run.sources_count} "
            f"companies and {run.targets_count} targets"
        )
