"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE: dict = {}
