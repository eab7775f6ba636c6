"""Demo test bookings; `seed_demo` calls `seed()` after matchmaking's needs.

Demo companies ask for test periods at the demo test sites: most accepted (never beyond a
site's capacity on any day), some waiting for an answer, some with other dates proposed, a few
declined. Tests that have ended carry evaluations along the MAST domains, and some companies
have published a summary. Idempotent: each demo booking is known by its mark in `message`
("DEMO-BOOKING-<n>"); a re-run adds only the missing ones and changes none.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from matchmaking.bookings import calendar
from matchmaking.bookings.models import (
    Booking,
    BookingStatus,
    Domain,
    Evaluation,
    EvaluationAnswer,
    Side,
    proposal_deadline,
)
from matchmaking.bookings.services import site_tests_running_refresh
from network.demo.util import rng_for
from network.models import Organisation, TestSite

COUNTS = {"small": 80, "large": 400}
MARK = "DEMO-BOOKING-{:05d}"
WHAT = [
    "Faldsensor under madrassen, der varsler nattevagten.",
    "Digital medicinhuskeren med påmindelser til borgeren og pårørende.",
    "Videokonsultation mellem hjemmesygeplejen og egen læge.",
    "Sensorbaseret måling af væskeindtag på plejecentret.",
    "Hjemmemonitorering af KOL-patienter med tablet og pulsoximeter.",
    "Treningsapp for rehabilitering etter hofteoperasjon.",
]
FINDINGS = {
    Domain.HEALTH_PROBLEM: "Løsningen rammer et kendt problem hos målgruppen.",
    Domain.SAFETY: "Ingen utilsigtede hændelser i testperioden.",
    Domain.CLINICAL: "Færre fald om natten end i samme periode sidste år.",
    Domain.PATIENTS: "Borgerne følte sig trygge; enkelte fandt lyden forstyrrende.",
    Domain.ECONOMY: "Sparede nattevagtens runder svarende til cirka to timer pr. nat.",
    Domain.ORGANISATION: "Kræver en fast procedure for alarmer og opladning.",
    Domain.SOCIO_CULTURAL: "Samtykke indhentet; data behandlet efter databehandleraftalen.",
}


def seed(*, size: str, stdout=None) -> None:
    existing = set(
        Booking.objects.filter(message__startswith="DEMO-BOOKING-").values_list(
            "message", flat=True
        )
    )
    sites = list(TestSite.objects.filter(is_published=True, capacity__gt=0).order_by("pk")[:60])
    companies = list(Organisation.objects.filter(kind="sme").order_by("pk")[:300])
    if not sites or not companies:
        return
    today = timezone.localdate()
    accepted = {site.pk: [] for site in sites}
    for site_id, start, end in Booking.objects.accepted().values_list("site_id", "start", "end"):
        accepted.setdefault(site_id, []).append((start, end))
    added = 0
    with transaction.atomic():
        for index in range(COUNTS.get(size, COUNTS["small"])):
            mark = MARK.format(index)
            if mark in existing:
                continue
            rng = rng_for("booking", index)
            site = sites[rng.randrange(len(sites))]
            company = companies[rng.randrange(len(companies))]
            if company.pk == site.owner_id:
                continue
            start = today + timedelta(days=rng.randint(-150, 150))
            end = start + timedelta(days=rng.randint(7, 60))
            status = rng.choices(
                [BookingStatus.ACCEPTED, BookingStatus.REQUESTED, BookingStatus.PROPOSED,
                 BookingStatus.DECLINED],
                weights=[6, 2, 1, 1],
            )[0]  # fmt: skip
            if status == BookingStatus.ACCEPTED and calendar.full_days(
                accepted[site.pk], start, end, site.capacity
            ):
                status = BookingStatus.DECLINED
            if status in (BookingStatus.REQUESTED, BookingStatus.PROPOSED) and start < today:
                status = BookingStatus.DECLINED
            booking = Booking.objects.create(
                site=site,
                organisation=company,
                status=status,
                start=start,
                end=end,
                what_is_tested=WHAT[index % len(WHAT)],
                trl=rng.randint(max(site.trl_min, 4), max(site.trl_max, 4)),
                citizens=rng.choice([0, 10, 25, 60]),
                patients=rng.choice([0, 0, 15, 40]),
                staff=rng.randint(2, 12),
                needs_ethics_approval=rng.random() < 0.2,
                needs_data_agreement=rng.random() < 0.6,
                message=mark,
                proposed_start=start + timedelta(days=30) if status == "proposed" else None,
                proposed_end=end + timedelta(days=30) if status == "proposed" else None,
                # Proposed dates wait for the company, with a proposal's deadline.
                **({"expires_at": proposal_deadline()} if status == "proposed" else {}),
                answer="Vi har ikke plads i perioden." if status == "declined" else "",
            )
            added += 1
            if status == BookingStatus.ACCEPTED:
                accepted[site.pk].append((start, end))
                if end < today:
                    _evaluate(booking, rng)
    site_tests_running_refresh()
    if stdout is not None and added:
        stdout.write(f"Demo test bookings: {added} added.")


def _evaluate(booking: Booking, rng) -> None:
    for side in (Side.SITE, Side.COMPANY):
        if rng.random() < 0.25:
            continue  # this side has not evaluated yet
        evaluation = Evaluation.objects.create(
            booking=booking, side=side, submitted_at=timezone.now()
        )
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(
                evaluation=evaluation, domain=domain, rating=rng.randint(2, 5), text=text
            )
            for domain, text in FINDINGS.items()
        )
    if rng.random() < 0.4:
        Booking.objects.filter(pk=booking.pk).update(
            summary="Testen viste færre fald om natten og tryggere borgere; løsningen kræver "
            "en fast procedure for alarmer.",
            summary_published_at=timezone.now(),
        )
