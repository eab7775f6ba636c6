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
    # Every morning at 07:00: the same summary for staff who chose it daily (overnight lapses).
    "clusters-staff-digest-daily": {
        "task": "clusters.tasks.send_renewal_digests",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"frequency": "daily"},
    },
    # Every morning at 06:30: members reminded 60 and 14 days before their period ends and
    # once in the grace period (after the 02:15 lapses, so a lapsed one is not reminded).
    "clusters-membership-reminders": {
        "task": "clusters.tasks.send_membership_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
}
