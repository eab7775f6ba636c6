"""Checks on configured services, for /healthz."""

from django.conf import settings


def broker_ping() -> str | None:
    """'ok' when the configured broker answers, an error text when not, None when none is set."""
    if not settings.CELERY_BROKER_URL:
        return None
    from network.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
