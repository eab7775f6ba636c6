"""Membership periods: one year at a time. Pure date arithmetic, no ORM."""

from datetime import date, timedelta

from django.conf import settings

DEFAULT_RENEWAL_NOTICE_DAYS = 60


def renewal_notice_days() -> int:
    """How long before its period ends a membership counts as 'renewal due'."""
    return getattr(settings, "CLUSTERS_RENEWAL_NOTICE_DAYS", DEFAULT_RENEWAL_NOTICE_DAYS)


def add_years(day: date, years: int = 1) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def period_for(start: date) -> tuple[date, date]:
    """A one-year period beginning on `start`: 1 March 2025 -> 28 February 2026."""
    return start, add_years(start) - timedelta(days=1)


def next_period(*, status: str, period_end: date | None, today: date) -> tuple[date, date]:
    """The period a renewal gives: an active membership continues where it ends; a lapsed one
    (or one without a period) starts again today."""
    if status == "active" and period_end is not None:
        # Also in its grace period the new year follows on from the old one.
        return period_for(period_end + timedelta(days=1))
    return period_for(today)


def renewal_due(*, period_end: date | None, today: date, notice_days: int | None = None) -> bool:
    if period_end is None:
        return False
    days = renewal_notice_days() if notice_days is None else notice_days
    return period_end <= today + timedelta(days=days)


def lapse_cutoff(*, today: date, grace_days: int) -> date:
    """Memberships whose period ended before this day are past their grace period."""
    return today - timedelta(days=grace_days)


def lapses_on(*, period_end: date, grace_days: int) -> date:
    """The first day the nightly run marks a membership with this period end lapsed."""
    return period_end + timedelta(days=grace_days + 1)
