"""A site's capacity calendar as plain arithmetic over (start, end) periods: no ORM here.

`occupancy` counts the periods running on each day of a range with a difference array (one
pass over the periods, one over the days), so a year with hundreds of bookings costs the same
as a month; `month_grid` lays days out in Monday-first weeks for a month view.
"""

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, timedelta


def days_between(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def occupancy(periods, first: date, last: date) -> dict[date, int]:
    """{day: number of periods running that day} for every day from `first` to `last`.
    `periods` are (start, end) pairs, both days included."""
    span = (last - first).days + 1
    if span <= 0:
        return {}
    delta = [0] * (span + 1)
    for start, end in periods:
        lo = max((start - first).days, 0)
        hi = min((end - first).days, span - 1)
        if lo > hi:
            continue
        delta[lo] += 1
        delta[hi + 1] -= 1
    counts, running = {}, 0
    for offset in range(span):
        running += delta[offset]
        counts[first + timedelta(days=offset)] = running
    return counts


def full_days(periods, first: date, last: date, capacity: int) -> list[date]:
    """Days in [first, last] on which `periods` already fill `capacity`."""
    return [day for day, count in occupancy(periods, first, last).items() if count >= capacity]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(month_start(day), 1) - timedelta(days=1)


def parse_month(value: str | None, default: date) -> date:
    """'2027-03' -> date(2027, 3, 1); anything else -> the month of `default`."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return month_start(default)


@dataclass
class Day:
    day: date
    in_month: bool
    used: int = 0
    capacity: int = 0
    open: bool = True
    bookings: list = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(self.capacity - self.used, 0) if self.open else 0

    @property
    def full(self) -> bool:
        return self.open and self.used >= self.capacity


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")


def month_grid(
    first: date,
    *,
    capacity: int,
    bookings,
    listed=None,
    opens: date | None = None,
    closes: date | None = None,
) -> Month:
    """The weeks (Monday first) around the month starting `first`. `bookings` are objects with
    `pk`, `start`, `end` and `status`; accepted ones count against `capacity`. Those whose pk
    is in `listed` (all when None) are listed on their days: the viewer sees only theirs."""
    weeks_days = _calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_first, grid_last = weeks_days[0][0], weeks_days[-1][-1]
    accepted = [(b.start, b.end) for b in bookings if b.status == "accepted"]
    used = occupancy(accepted, grid_first, grid_last)
    by_day: dict[date, list] = {}
    for booking in bookings:
        if listed is not None and booking.pk not in listed:
            continue
        for day in days_between(max(booking.start, grid_first), min(booking.end, grid_last)):
            by_day.setdefault(day, []).append(booking)
    weeks = []
    for week in weeks_days:
        weeks.append(
            [
                Day(
                    day=day,
                    in_month=day.month == first.month,
                    used=used.get(day, 0),
                    capacity=capacity,
                    open=(opens is None or day >= opens) and (closes is None or day <= closes),
                    bookings=by_day.get(day, []),
                )
                for day in week
            ]
        )
    return Month(first=first, weeks=weeks)
