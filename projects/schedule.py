"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Nightly: funding report files past their keeping time are deleted.
    "projects-purge-report-exports": {
        "task": "projects.tasks.purge_report_exports",
        "schedule": crontab(hour=3, minute=40),
    },
}
