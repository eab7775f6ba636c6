"""Real processes for the fault-tolerance tests: a Redis server and Celery workers to kill."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from celery import Celery
from django.db import connection

from tests.conftest import missing_service


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server persisting to an append-only file, as production runs it."""

    def __init__(self, directory: Path):
        if not shutil.which("redis-server"):
            missing_service("redis-server is not installed")
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """A clean shutdown (SIGTERM): Redis flushes its append-only file and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)


def test_database_url() -> str:
    if connection.vendor != "postgresql":
        missing_service("The worker must share the test database: set DATABASE_URL to PostgreSQL.")
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def client_app(broker_url: str, result_backend: str) -> Celery:
    """A bare Celery client on the given broker, for sending tasks by name and pinging workers.

    Not configured from the Django settings: their CELERY_BROKER_URL would win over ours (and
    so would that environment variable: tests/fault/conftest.py removes it). Never the current
    app either, or every later `.delay()` in the session would go to this test's Redis.
    """
    return Celery(
        "fault-client",
        broker=broker_url,
        backend=result_backend,
        broker_connection_retry_on_startup=True,
        set_as_current=False,
    )


def start_worker(*, broker_url: str, result_backend: str, queue: str, **env) -> subprocess.Popen:
    """A `celery worker` (prefork, one child) on the test database; wait until it answers."""
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "network", "worker",
            "--pool=prefork", "--concurrency=1", "-Q", queue, "--loglevel=INFO",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        env={
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "DJANGO_SETTINGS_MODULE": "network.settings",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": result_backend,
            "CELERY_QUEUE": queue,
            "DATABASE_CONN_MAX_AGE": "0",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    app = client_app(broker_url, result_backend)
    deadline = time.monotonic() + 180  # a loaded CI machine can take a while to import Django
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited: {process.stdout.read()}")
        if any(app.control.ping(timeout=1.0)):
            return process
    process.kill()
    raise RuntimeError(f"celery worker did not answer a ping within 180 s: {process.stdout.read()}")


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children: no chance to ack, requeue or clean up."""
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in [process.pid, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=20)


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_worker(process)


@contextlib.contextmanager
def writes_held(table: str):
    """Hold every write to `table` from a connection of our own (SHARE lock: reads go on).

    A worker writing to the table waits at that statement, with its transaction open and its
    earlier writes done, until the block ends: the kill lands mid-write on every machine,
    however fast the work before it ran.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    holder.set_autocommit(False)
    try:
        with holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        yield
    finally:
        holder.rollback()
        holder.close()


def writer_waiting_on(table: str) -> bool:
    """Whether another session of the test database waits for a lock to write to `table` (bulk
    inserts go by COPY on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            " AND query ~* %s",
            [rf'^\s*(insert into|update|delete from|copy)\s+"?{table}\M'],
        )
        return cursor.fetchone()[0] > 0


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
