"""Recurring people: an organisation admin, a colleague with the member role, an outsider."""

import os
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory


def person_with_login(organisation, role, email):
    user = UserFactory(email=email)
    person = PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name)
    AffiliationFactory(person=person, organisation=organisation, role=role)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages keep totals and facet lists in the cache for a while; each test starts without."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests end by flushing every table, which also empties the reference data
    the migrations loaded; put it back for the tests that run after such a flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from network.models import FocusArea, Municipality, Region
    from network.reference_data import load_norwegian_municipalities, load_reference_data

    if not Municipality.objects.exists():
        load_reference_data(Region, Municipality, FocusArea)
        load_norwegian_municipalities(Region, Municipality)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Faldsikker ApS")


@pytest.fixture
def owner(organisation):
    """An admin of `organisation`."""
    return person_with_login(organisation, "admin", "owner@faldsikker.example")


@pytest.fixture
def colleague(organisation):
    """A member of `organisation` without admin rights."""
    return person_with_login(organisation, "member", "colleague@faldsikker.example")


@pytest.fixture
def outsider(db):
    """An admin of another organisation."""
    other = OrganisationFactory(name="Andet Firma ApS")
    return person_with_login(other, "admin", "outsider@andet.example")


@pytest.fixture
def network_admin(db):
    return UserFactory(email="admin@network.example", is_network_admin=True)


def _require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str):
    """In CI a missing service is a failure; on a laptop without it, a skip with the reason."""
    if _require_services():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the configured Redis broker, using the test database.

    Tasks sent during the test go through Redis to this worker and back; the worker listens on
    a queue of its own so no other worker on the machine takes them.
    """
    from django.conf import settings
    from django.db import connection

    from network.celery import app

    if not settings.CELERY_BROKER_URL:
        missing_service("No CELERY_BROKER_URL/REDIS_URL: the broker tests need a real Redis.")
    if connection.vendor != "postgresql":
        missing_service("The worker must share the test database: set DATABASE_URL to PostgreSQL.")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    # The log goes to a file, not a pipe: nobody reads a pipe while the worker runs, and a full
    # one (64 KB of log lines) would stop the worker mid-task.
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed below)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "network.settings",
        "CELERY_QUEUE": queue,
        "DATABASE_CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "network",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0)
            if any(reply for reply in replies):
                break
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"celery worker exited: {log.read()}")
        else:
            pytest.fail("celery worker did not answer a ping within 60 s")
        process.log = log  # a test that waits in vain can show what the worker said
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
