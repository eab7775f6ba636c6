"""Tasks queued while Redis restarts are not lost, and a running worker carries on afterwards."""

import time
import uuid

import pytest

from network.models import NetworkFigures
from tests.factories import OrganisationFactory
from tests.fault.processes import RedisServer, client_app, start_worker, stop_worker

pytestmark = pytest.mark.broker

TASK = "network.tasks.refresh_network_figures"


def wait_for(app, results, timeout=90):
    """Poll the stored results (a fresh connection; no pub/sub that a restart would cut)."""
    deadline = time.monotonic() + timeout
    ids = [result.id for result in results]
    while time.monotonic() < deadline:
        states = [app.AsyncResult(task_id).state for task_id in ids]
        if all(state == "SUCCESS" for state in states):
            return [app.AsyncResult(task_id).result for task_id in ids]
        time.sleep(0.5)
    raise AssertionError(f"not all tasks finished: {states}")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_queued_tasks_survive_a_redis_restart_and_the_worker_reconnects(
    transactional_db, redis_server
):
    OrganisationFactory(name="Første ApS")
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    app = client_app(redis_server.url, redis_server.url.replace("/0", "/1"))

    # Ten tasks wait in Redis with no worker to take them; then Redis restarts.
    before = [app.send_task(TASK, queue=queue) for _ in range(10)]
    redis_server.stop()
    redis_server.start()

    worker = start_worker(
        broker_url=redis_server.url,
        result_backend=redis_server.url.replace("/0", "/1"),
        queue=queue,
    )
    try:
        reader = client_app(redis_server.url, redis_server.url.replace("/0", "/1"))
        assert [figures["smes"] for figures in wait_for(reader, before)] == [1] * 10

        # Redis restarts again under a running worker; what is sent afterwards is done too.
        redis_server.stop()
        redis_server.start()
        after = [app.send_task(TASK, queue=queue) for _ in range(10)]
        reader = client_app(redis_server.url, redis_server.url.replace("/0", "/1"))
        assert [figures["smes"] for figures in wait_for(reader, after)] == [1] * 10
    finally:
        stop_worker(worker)
    assert NetworkFigures.objects.get(key="network").figures["organisations"] == 1
