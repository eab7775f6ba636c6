import pytest


@pytest.fixture(autouse=True)
def _own_broker_only(monkeypatch):
    """Celery lets CELERY_BROKER_URL in the environment win over any broker a client names;
    these tests run their own Redis, so the machine-wide setting must not leak in."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
