"""A Celery worker killed in the middle of a full match run: restarted, it finishes the run with
no match lost and none duplicated.

The worker is SIGKILLed (no chance to ack, roll forward or clean up) while the run writes: the
test holds writes to the matches table, so the worker has staged every pair and waits at its
first write to the table when it dies, however fast the machine. Its message stays
unacknowledged in Redis; a new worker restores it once the visibility timeout has passed
(shortened here through CELERY_VISIBILITY_TIMEOUT) and takes over the run once its heartbeat is
stale (five minutes in production; the test ages it instead of waiting). The result must equal
a clean run over the same data.
"""

import random
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking import services
from matchmaking.models import Match, MatchRun
from network.models import FocusArea, Municipality, Organisation, TestSite
from tests.fault.processes import (
    RedisServer,
    client_app,
    kill_worker,
    start_worker,
    stop_worker,
    wait_for,
    writer_waiting_on,
    writes_held,
)

pytestmark = pytest.mark.broker

MATCHES = Match._meta.db_table

WORDS = [
    "fald",
    "sensor",
    "nat",
    "hjemmepleje",
    "borger",
    "diabetes",
    "insulin",
    "app",
    "data",
    "kol",
    "lunge",
    "ilt",
    "puls",
    "rehabilitering",
    "træning",
    "genoptræning",
    "demens",
    "robot",
    "medicin",
    "dosering",
    "telemedicin",
    "video",
    "hospital",
    "ambulant",
    "akut",
    "sår",
    "kamera",
    "søvn",
    "ernæring",
    "vægt",
    "hjerte",
    "blodtryk",
    "alarm",
    "tryghed",
]


def _text(rng, n=30):
    # A few words per text: matching drops words that most texts of the corpus share, so texts
    # drawn from all of WORDS alike would share nothing that scores, and nothing be written.
    words = rng.sample(WORDS, 4)
    return " ".join(rng.choice(words) for _ in range(n))


PUBLISHED = {"is_published": True, "review_status": "published"}  # reviewed: matchable


def _network(smes: int, sites: int) -> None:
    """Many companies and test sites, bulk-created: enough for a run that takes a few seconds."""
    rng = random.Random(7)
    places = list(Municipality.objects.filter(country="DK"))
    areas = list(FocusArea.objects.all())
    owner = Organisation.objects.create(
        name="Testkommune", slug="testkommune", kind="municipality", country="DK",
        municipality=places[0], region=places[0].region, **PUBLISHED,
    )  # fmt: skip
    companies = Organisation.objects.bulk_create(
        Organisation(
            name=f"Virksomhed {i} ApS", slug=f"virksomhed-{i}", kind="sme", country="DK",
            language="da", description=_text(rng), readiness_level=rng.randint(3, 8),
            municipality=(place := rng.choice(places)), region=place.region, **PUBLISHED,
        )
        for i in range(smes)
    )  # fmt: skip
    test_sites = TestSite.objects.bulk_create(
        TestSite(
            owner=owner, name=f"Testsite {i}", site_type="home_care",
            description=_text(rng), capabilities=_text(rng, 10), capacity=3,
            municipality=rng.choice(places), **PUBLISHED,
        )
        for i in range(sites)
    )  # fmt: skip
    Organisation.focus_areas.through.objects.bulk_create(
        Organisation.focus_areas.through(organisation_id=c.pk, focusarea_id=rng.choice(areas).pk)
        for c in companies
    )
    TestSite.focus_areas.through.objects.bulk_create(
        TestSite.focus_areas.through(testsite_id=s.pk, focusarea_id=rng.choice(areas).pk)
        for s in test_sites
    )


def _pairs():
    return set(Match.objects.values_list("source_id", "target_type", "target_id", "score"))


def _wait(run, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if predicate(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk}: status={run.status} phase={run.phase} {run.error}")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_full_run_survives_a_killed_worker(transactional_db, redis_server, monkeypatch):
    _network(smes=2500, sites=600)
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    results = redis_server.url.replace("/0", "/1")
    client = client_app(redis_server.url, results)
    monkeypatch.setattr(
        services,
        "_enqueue",
        lambda run: client.send_task(
            "matchmaking.tasks.full_match_run", args=[run.pk], queue=queue
        ),
    )
    worker = start_worker(broker_url=redis_server.url, result_backend=results, queue=queue)
    try:
        with writes_held(MATCHES):
            run = services.match_run_request()  # enqueued on commit (autocommit here)
            wait_for(lambda: writer_waiting_on(MATCHES), 180, "the worker to write the matches")
            kill_worker(worker)
        run.refresh_from_db()
        assert (run.status, run.phase) == ("running", "writing")  # left behind by the dead worker
        assert Match.objects.count() == 0  # its writes were not committed

        # Time passes: the dead worker's heartbeat goes stale.
        MatchRun.objects.filter(pk=run.pk).update(
            heartbeat_at=timezone.now() - timedelta(minutes=10)
        )
        worker = start_worker(
            broker_url=redis_server.url,
            result_backend=results,
            queue=queue,
            CELERY_VISIBILITY_TIMEOUT="3",
        )
        run = _wait(run, lambda r: r.status in ("succeeded", "failed"), 300)
        assert run.status == "succeeded", run.error
        assert run.attempts == 2
        assert (run.sources_count, run.targets_count) == (2500, 600)
    finally:
        stop_worker(worker)

    recovered = _pairs()
    assert len(recovered) == Match.objects.count() > 0  # no pair twice
    # A clean run over the same data, in this process, finds exactly the same matches.
    Match.objects.all().delete()
    services.match_run_full_now()
    assert _pairs() == recovered
