"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE = {
    "refresh-network-figures": {
        "task": "network.tasks.refresh_network_figures",
        "schedule": 15 * 60,
    },
}
