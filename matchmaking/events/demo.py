"""Demo matchmaking events; `seed_demo` calls `seed()` after the test bookings.

Two of the demo's own clusters hold a matchmaking day, with participants from their members:

- Welfare Tech in Odense in a few weeks: registration open and approved by the staff (two
  registrations still wait for them), requests asked, accepted, declined and waiting, and the
  accepted meetings placed in the schedule. The demo logins of Faldvagt ApS, Odense Kommune and
  Odense Universitetshospital take part: the company has a meeting with the municipality and a
  request from the hospital to answer.
- Norway Health Tech in Oslo some weeks ago: its meetings were held and both sides said how
  they went; some led to an introduction, one to a project (the funding report counts them).

Idempotent like the rest of seed_demo: a demo cluster that has an event already (seeded, or
made by its staff since) is left as it is, so a second run adds and changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from clusters.models import Cluster, Membership
from matchmaking.events import services
from matchmaking.events.models import (
    Event,
    MeetingFeedback,
    MeetingRequest,
    Outcome,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from network.demo.util import rng_for
from network.models import Affiliation

KINDS = ("sme", "municipality", "hospital", "region", "university", "university_college")
SHOWCASE = ("faldvagt-aps", "odense-kommune", "odense-universitetshospital")


@dataclass(frozen=True)
class DemoEvent:
    cluster: str
    language: str
    title: str
    description: str
    place: str
    languages: str
    days_from_today: int  # its day: after today (registration open) or before (held)
    participants: int
    pending: int = 0  # registrations that wait for the staff's approval


EVENTS = (
    DemoEvent(
        cluster="welfare-tech",
        language="da",
        title="Matchmaking-dag: velfærdsteknologi i kommunerne",
        description=(
            "Korte møder på 20 minutter mellem virksomheder, kommuner, hospitaler og "
            "uddannelsesinstitutioner. Kommunerne står for hjemmepleje, genoptræning og "
            "plejecentre i alle 98 danske kommuner, og mange leder efter løsninger, der kan "
            "afprøves i praksis. Beskriv, hvad I tilbyder og søger, bed om møder med de andre "
            "deltagere, og få jeres program dagen før."
        ),
        place="Odense Congress Center",
        languages="Dansk, engelsk",
        days_from_today=24,
        participants=18,
        pending=2,
    ),
    DemoEvent(
        cluster="norway-health-tech",
        language="nb",
        title="Matchmakingdag: helsedata og hjemmeoppfølging",
        description=(
            "Korte møter på 20 minutter mellom bedrifter, kommuner, helseforetak og "
            "forskningsmiljøer. Spesialisthelsetjenesten ledes av de fire regionale "
            "helseforetakene, mens kommunene har ansvaret for hjemmetjenester og sykehjem: "
            "digital hjemmeoppfølging krever at begge er med. Dagen samler dem som vil prøve "
            "ut løsninger sammen."
        ),
        place="Oslo Science Park",
        languages="Norsk, engelsk",
        days_from_today=-40,
        participants=16,
    ),
)

# (offer, looking for) by kind of organisation and language; a participant takes one of them.
TEXTS = {
    "da": {
        "sme": [
            (
                "Sensorer, der opdager fald i borgerens hjem uden kamera og straks giver "
                "hjemmeplejen besked.",
                "Kommuner og plejecentre, der vil afprøve løsningen i tre måneder.",
            ),
            (
                "En app til genoptræning efter hofteoperation med videoøvelser og "
                "opfølgning fra terapeuten.",
                "Et hospital eller en kommune, der vil være med til at måle effekten.",
            ),
            (
                "Hjemmemonitorering af KOL-patienter med tablet og pulsoximeter.",
                "Partnere til en ansøgning om innovationsmidler og et klinisk testmiljø.",
            ),
            (
                "Digital medicinhusker med påmindelser til borgeren og de pårørende.",
                "Hjemmeplejen i en kommune, der vil give feedback på brugervenligheden.",
            ),
        ],
        "municipality": [
            (
                "Testmiljø i hjemmeplejen og på to plejecentre; vi stiller medarbejdere og "
                "borgere til rådighed.",
                "Løsninger, der forebygger fald og indlæggelser hos ældre borgere.",
            ),
            (
                "Erfaringer fra vores velfærdsteknologiske enhed og et værksted for afprøvning.",
                "Velfærdsteknologi, der giver medarbejderne mere tid hos borgeren.",
            ),
        ],
        "hospital": [
            (
                "Klinisk afprøvning og adgang til sundhedsfaglige eksperter.",
                "Løsninger til hjemmemonitorering efter udskrivelse.",
            ),
        ],
        "other": [
            (
                "Evaluering af effekt og økonomi efter MAST-modellen og adgang til studerende.",
                "Virksomheder og kommuner til fælles forsknings- og udviklingsprojekter.",
            ),
        ],
    },
    "nb": {
        "sme": [
            (
                "Digital hjemmeoppfølging med nettbrett og målinger av puls og oksygen.",
                "Kommuner som vil prøve løsningen i hjemmetjenesten i et halvt år.",
            ),
            (
                "Sensorer som varsler når en beboer på sykehjem faller, uten kamera.",
                "Sykehjem som vil dokumentere færre fall om natten.",
            ),
            (
                "Analyse av helsedata som finner pasienter med risiko for reinnleggelse.",
                "Et helseforetak som vil teste modellen på egne data.",
            ),
        ],
        "municipality": [
            (
                "Testarena i hjemmetjenesten og på to sykehjem; ansatte og brukere deltar.",
                "Velferdsteknologi som gjør det tryggere å bo hjemme lenger.",
            ),
        ],
        "hospital": [
            (
                "Klinisk utprøving og tilgang til fagmiljøer i spesialisthelsetjenesten.",
                "Løsninger for oppfølging av pasienter etter utskrivning.",
            ),
        ],
        "other": [
            (
                "Følgeforskning og evaluering av nytte og kostnader.",
                "Bedrifter og kommuner til felles forskningsprosjekter.",
            ),
        ],
    },
}
SHOWCASE_TEXTS = {
    "faldvagt-aps": (
        "En diskret sensor til loftet, der opdager fald uden kamera og straks giver "
        "hjemmeplejen besked. Afprøvet i flere fynske kommuner.",
        "Kommuner og plejecentre, der vil dokumentere effekten på indlæggelser efter fald.",
    ),
    "odense-kommune": (
        "Testmiljø i hjemmeplejen og på kommunens plejecentre, med medarbejdere og borgere.",
        "Løsninger, der forebygger fald hos borgere i eget hjem.",
    ),
    "odense-universitetshospital": (
        "Klinisk afprøvning og adgang til sundhedsfaglige eksperter.",
        "Løsninger til opfølgning i hjemmet efter udskrivelse.",
    ),
}
MESSAGES = {
    "da": (
        "Vi vil gerne høre om jeres erfaringer og fortælle om vores løsning.",
        "Kunne I være interesserede i et fælles testforløb?",
    ),
    "nb": (
        "Vi vil gjerne høre om deres erfaringer og fortelle om løsningen vår.",
        "Kunne dere være interessert i en felles utprøving?",
    ),
}
DECLINE_REASONS = {
    "da": "Vi har netop valgt en leverandør på området.",
    "nb": "Vi har nettopp valgt en leverandør på dette området.",
}


def seed(*, size: str = "small", stdout=None) -> None:
    added = []
    today = timezone.localdate()
    has_event = Exists(Event.objects.filter(cluster=OuterRef("pk")))
    clusters = {
        c.slug: c
        for c in Cluster.objects.filter(slug__in=[e.cluster for e in EVENTS]).exclude(has_event)
    }
    for spec in EVENTS:
        cluster = clusters.get(spec.cluster)
        if cluster is None:
            continue
        with transaction.atomic(), translation.override(spec.language):
            event = _event(spec, cluster, today)
            if event is not None:
                added.append(event.title)
    if stdout is not None and added:
        stdout.write(f"Demo matchmaking events: {len(added)} added.")


def _local(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _event(spec: DemoEvent, cluster: Cluster, today) -> Event | None:
    rng = rng_for("event", spec.cluster)
    day = today + timedelta(days=spec.days_from_today)
    organisations = _participants(cluster, spec, rng)
    if len(organisations) < 4:
        return None
    held = day < today
    event = services.event_save(
        event=Event(
            cluster=cluster,
            title=spec.title,
            description=spec.description,
            start_date=day,
            end_date=day,
            place=spec.place,
            registration_opens=_local(day - timedelta(days=40), 9),
            registration_closes=_local(day - timedelta(days=1), 12),
            requires_approval=spec.pending > 0,
            languages=spec.languages,
            is_published=True,
        )
    )
    slots = services.slots_generate(
        event=event,
        first_start=_local(day, 9),
        minutes=20,
        count=10,
        break_minutes=5,
        pause_after=5,
        pause_minutes=45,
    )
    services.tables_set(event=event, count=8)
    registrations = _register(event, spec, organisations, rng)
    approved = [r for r in registrations if r.status == RegistrationStatus.APPROVED]
    # Somebody cannot stay for the afternoon's last two meetings.
    approved[-1].unavailable_slots.set(slots[-2:])
    _requests(event, spec, approved, rng, answered_at=timezone.now() - timedelta(days=3))
    services.event_schedule(event_id=event.pk, time_limit=5.0, notify=False)
    if held:
        _feedback(event, rng)
    return event


def _participants(cluster: Cluster, spec: DemoEvent, rng) -> list:
    """The showcase organisations (when members), then members of several kinds."""
    members = list(
        Membership.objects.active()
        .filter(cluster=cluster, organisation__kind__in=KINDS)
        .select_related("organisation")
        .order_by("organisation_id")
    )
    first = [m.organisation for m in members if m.organisation.slug in SHOWCASE]
    first.sort(key=lambda o: SHOWCASE.index(o.slug))
    rest = [m.organisation for m in members if m.organisation.slug not in SHOWCASE]
    smes = [o for o in rest if o.kind == "sme"]
    others = [o for o in rest if o.kind != "sme"]
    wanted = spec.participants - len(first)
    chosen = rng.sample(smes, min(len(smes), wanted * 2 // 3))
    chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
    return first + chosen


def _register(event, spec, organisations, rng) -> list[Registration]:
    logins = {}
    for organisation_id, user_id in (
        Affiliation.objects.filter(
            organisation__in=organisations, person__user__isnull=False, person__user__is_active=True
        )
        .order_by("role", "pk")
        .values_list("organisation_id", "person__user_id")
    ):
        logins.setdefault(organisation_id, user_id)
    texts = TEXTS[spec.language]
    registrations = []
    for index, organisation in enumerate(organisations):
        if organisation.slug in SHOWCASE_TEXTS:
            offer, looking_for = SHOWCASE_TEXTS[organisation.slug]
        else:
            kind = organisation.kind if organisation.kind in texts else "other"
            offer, looking_for = rng.choice(texts[kind])
        waiting = index >= len(organisations) - spec.pending
        registrations.append(
            Registration(
                event=event,
                organisation=organisation,
                user_id=logins.get(organisation.pk),
                offer=offer,
                looking_for=looking_for,
                status=RegistrationStatus.PENDING if waiting else RegistrationStatus.APPROVED,
            )
        )
    return Registration.objects.bulk_create(registrations)


def _requests(event, spec, approved, rng, *, answered_at) -> None:
    """Requests between the participants: most accepted, some declined or waiting. The first
    three (the showcase, when they take part) get a meeting, a request to answer and a
    refusal."""
    messages = MESSAGES[spec.language]
    pairs: list[tuple[Registration, Registration, str]] = []
    showcase = [r.organisation.slug for r in approved[:3]] == list(SHOWCASE)
    if showcase and len(approved) > 3:
        company, municipality, hospital = approved[:3]
        pairs += [
            (company, municipality, RequestStatus.ACCEPTED),
            (hospital, company, RequestStatus.PENDING),
            (company, approved[3], RequestStatus.DECLINED),
        ]
    seen = {frozenset((a.pk, b.pk)) for a, b, _status in pairs}
    statuses = [RequestStatus.ACCEPTED, RequestStatus.PENDING, RequestStatus.DECLINED]
    # After the day every request has its answer.
    weights = [8, 0, 1] if event.start_date < timezone.localdate() else [7, 2, 1]
    for _attempt in range(len(approved) * 3):
        a, b = rng.sample(approved, 2)
        if frozenset((a.pk, b.pk)) in seen:
            continue
        seen.add(frozenset((a.pk, b.pk)))
        pairs.append((a, b, rng.choices(statuses, weights=weights)[0]))
    meetings = []
    for requester, recipient, status in pairs:
        meetings.append(
            MeetingRequest(
                event=event,
                requester=requester,
                recipient=recipient,
                message=rng.choice(messages),
                status=status,
                decline_reason=DECLINE_REASONS[spec.language]
                if status == RequestStatus.DECLINED
                else "",
                answered_at=None if status == RequestStatus.PENDING else answered_at,
            )
        )
    MeetingRequest.objects.bulk_create(meetings)


def _feedback(event, rng) -> None:
    """After the day both sides of most placed meetings said how it went: most were held, every
    fourth held meeting led to an introduction and one to a project."""
    rows = []
    placed = MeetingRequest.objects.filter(event=event, slot__isnull=False).order_by("pk")
    held = 0
    for meeting in placed:
        took_place = rng.random() < 0.85
        outcome = Outcome.NONE
        if took_place:
            held += 1
            if held == 3:
                outcome = Outcome.PROJECT
            elif held % 4 == 1:
                outcome = Outcome.INTRODUCTION
        for side, registration_id in enumerate((meeting.requester_id, meeting.recipient_id)):
            if side and rng.random() < 0.25:
                continue  # the other side has not answered
            rows.append(
                MeetingFeedback(
                    meeting=meeting,
                    registration_id=registration_id,
                    took_place=took_place,
                    usefulness=rng.randint(2, 4) if took_place else None,
                    outcome=outcome,
                )
            )
    MeetingFeedback.objects.bulk_create(rows)
