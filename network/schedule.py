"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "refresh-network-figures": {
        "task": "network.tasks.refresh_network_figures",
        "schedule": 15 * 60,
    },
    # Daily at 08:00: reminders to confirm old profiles; unanswered ones leave matching.
    "network-profile-staleness": {
        "task": "network.tasks.profile_staleness",
        "schedule": crontab(hour=8, minute=0),
    },
    # Daily: join requests nobody answered within 30 days close, and the asker is told.
    "network-expire-join-requests": {
        "task": "network.joining.tasks.expire_join_requests",
        "schedule": crontab(hour=6, minute=15),
    },
}
