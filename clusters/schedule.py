"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Nightly: memberships past their period plus the cluster's grace period lapse.
    "clusters-lapse-overdue-memberships": {
        "task": "clusters.tasks.lapse_overdue_memberships",
        "schedule": crontab(hour=2, minute=15),
    },
    # Mondays at 07:00: each cluster's staff get the renewals due.
    "clusters-renewal-digest": {
        "task": "clusters.tasks.send_renewal_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
}
