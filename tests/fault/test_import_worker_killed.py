"""A worker killed while it writes a large member import: nothing half-written, and the
restarted worker imports every row exactly once."""

import uuid

import pytest

from clusters.models import ImportBatch, ImportStatus, Membership
from clusters.services import importing
from network.models import Organisation
from tests.clusters.factories import csv_upload, staff, valid_cvr
from tests.factories import ClusterFactory, MembershipTierFactory
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

MEMBERSHIPS = Membership._meta.db_table

ROWS = 3000


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_import_survives_a_killed_worker(transactional_db, redis_server):
    cluster = ClusterFactory()
    MembershipTierFactory(cluster=cluster, name="Basis")
    manager = staff(cluster)
    rows = [
        [valid_cvr(100 + i), f"Importeret {i} ApS", "SMV", "Odense", f"Kontakt {i}",
         f"kontakt{i}@firma{i}.example", "", "Basis", "2025-01-01"]
        for i in range(ROWS)
    ]  # fmt: skip
    batch = importing.import_batch_create(
        cluster=cluster, actor=manager, uploaded_file=csv_upload(rows)
    )  # read and planned here: tasks run eagerly in the test process
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert batch.counts["new"] == ROWS
    organisations_before = Organisation.objects.count()

    # Staff confirm: the batch is claimed and its commit goes to a real worker.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING)
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    results = redis_server.url.replace("/0", "/1")
    worker = start_worker(broker_url=redis_server.url, result_backend=results, queue=queue)
    try:
        # Organisations and people are written; the worker dies waiting to add memberships.
        with writes_held(MEMBERSHIPS):
            client_app(redis_server.url, results).send_task(
                "clusters.tasks.import_commit", args=[batch.pk, manager.pk], queue=queue
            )
            wait_for(lambda: writer_waiting_on(MEMBERSHIPS), 120, "the worker to add members")
            kill_worker(worker)

        batch.refresh_from_db()
        assert batch.status == ImportStatus.COMMITTING
        assert Membership.objects.filter(cluster=cluster).count() == 0  # rolled back
        assert Organisation.objects.count() == organisations_before

        worker = start_worker(
            broker_url=redis_server.url,
            result_backend=results,
            queue=queue,
            CELERY_VISIBILITY_TIMEOUT="3",
        )
        wait_for(
            lambda: ImportBatch.objects.get(pk=batch.pk).status != ImportStatus.COMMITTING,
            300,
            "the restarted worker to finish the import",
        )
    finally:
        stop_worker(worker)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.error
    memberships = Membership.objects.filter(cluster=cluster)
    assert memberships.count() == ROWS
    assert memberships.values("organisation").distinct().count() == ROWS
    assert Organisation.objects.count() == organisations_before + ROWS
