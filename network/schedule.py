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
    # Saved searches: new finds at once (every ten minutes), each morning, each Monday.
    "network-saved-searches-immediately": {
        "task": "network.search.tasks.saved_search_alerts",
        "schedule": 10 * 60,
        "args": ("immediately",),
    },
    "network-saved-searches-daily": {
        "task": "network.search.tasks.saved_search_alerts",
        "schedule": crontab(hour=7, minute=30),
        "args": ("daily",),
    },
    "network-saved-searches-weekly": {
        "task": "network.search.tasks.saved_search_alerts",
        "schedule": crontab(hour=7, minute=45, day_of_week="monday"),
        "args": ("weekly",),
    },
    # Deleted test sites and knowledge offers: for good once their undo time is over.
    "network-purge-deleted-offers": {
        "task": "network.tasks.purge_deleted_offers",
        "schedule": 5 * 60,
    },
}
