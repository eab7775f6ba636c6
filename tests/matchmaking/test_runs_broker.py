"""A full run travels through a real Redis broker to a real worker process (CI)."""

import time

import pytest

from matchmaking import services
from matchmaking.models import Match, MatchRun

pytestmark = pytest.mark.broker


def test_full_run_through_a_real_worker(celery_worker_process, small_network):
    run = services.match_run_request()  # autocommit: enqueued at once

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in {"succeeded", "failed"}:
            break
        time.sleep(0.5)

    assert run.status == "succeeded", run.error
    assert run.attempts == 1
    assert run.progress == 100
    best = Match.objects.filter(source=small_network["falls_sme"]).order_by("-score").first()
    assert best.need == small_network["falls_need"]
    assert MatchRun.objects.count() == 1
