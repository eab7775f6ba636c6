"""Who sees which bookings: the company's people and the site owner's people, nobody else."""

from datetime import timedelta

from django.db import models
from django.db.models import Q

from network.models import Affiliation


def organisation_ids_of(user):
    """The organisations `user` belongs to (any role), as a subquery."""
    if user is None or not user.is_authenticated:
        return Affiliation.objects.none().values("organisation_id")
    return Affiliation.objects.filter(person__user=user).values("organisation_id")


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.involving(organisation_ids_of(user))

    def involving(self, organisation_ids):
        """Bookings in which one of the organisations is the company or owns the site."""
        return self.filter(
            Q(organisation_id__in=organisation_ids) | Q(site__owner_id__in=organisation_ids)
        )

    def accepted(self):
        return self.filter(status="accepted")

    def live(self):
        """Bookings that still stand (waiting for an answer, or accepted): those calendars and
        calendar feeds show."""
        from matchmaking.bookings.models import LIVE_STATUSES

        return self.filter(status__in=LIVE_STATUSES)

    def due_for_expiry(self, now):
        """Open bookings nobody answered by their deadline: requests the site's people did not
        answer, dates the site proposed that the company did not accept."""
        return self.filter(status__in=("requested", "proposed"), expires_at__lte=now)

    def due_for_reminder(self, *, now, days: dict):
        """Open bookings not yet reminded of whose deadline is within `days[status]` days
        ({"requested": 3, "proposed": 3}; a status left out or 0 is never reminded)."""
        due = Q()
        for status, within in days.items():
            if within > 0:
                due |= Q(status=status, expires_at__lte=now + timedelta(days=within))
        if not due:
            return self.none()
        return self.filter(due, reminder_sent_at__isnull=True, expires_at__gt=now)

    def overlapping(self, start, end):
        """Bookings with at least one day in [start, end]."""
        return self.filter(start__lte=end, end__gte=start)

    def running_on(self, day):
        return self.accepted().filter(start__lte=day, end__gte=day)


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        ids = organisation_ids_of(user)
        return self.filter(Q(booking__organisation_id__in=ids) | Q(booking__site__owner_id__in=ids))
