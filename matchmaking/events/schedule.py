"""Celery beat entries for matchmaking events, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Every afternoon: tomorrow's participants get their agenda (once per event and day).
    "events-reminders": {
        "task": "matchmaking.events.tasks.send_event_reminders",
        "schedule": crontab(hour=15, minute=0),
    },
}
