"""Celery beat entries for this app, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "matchmaking-nightly-full-run": {
        "task": "matchmaking.tasks.scheduled_full_match_run",
        "schedule": crontab(hour=3, minute=15),
    },
    # Unanswered introduction requests expire; a reminder goes out before (settings).
    "matchmaking-introductions-expire-and-remind": {
        "task": "matchmaking.introductions.tasks.expire_and_remind_introductions",
        "schedule": crontab(minute=5),
    },
    # Mondays at 07:30: the weekly digest for people who chose it.
    "matchmaking-weekly-digest": {
        "task": "matchmaking.introductions.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Every morning at 07:30: the daily digest for people who chose it.
    "matchmaking-daily-digest": {
        "task": "matchmaking.introductions.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    # Just after midnight: tests starting or ending today into each site's count (bookings).
    "bookings-refresh-tests-running": {
        "task": "matchmaking.bookings.tasks.refresh_tests_running",
        "schedule": crontab(hour=0, minute=5),
    },
    # Hourly: test booking requests the site has not answered, and dates it proposed that the
    # company has not accepted, expire; a reminder goes before.
    "bookings-expire-and-remind-requests": {
        "task": "matchmaking.bookings.tasks.expire_and_remind_requests",
        "schedule": crontab(minute=35),
    },
    # Mornings: both sides of a test that has just ended are asked to evaluate it.
    "bookings-evaluation-reminders": {
        "task": "matchmaking.bookings.tasks.send_evaluation_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}
