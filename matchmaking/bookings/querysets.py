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
        """Requests the site's people did not answer by their deadline."""
        return self.filter(status="requested", expires_at__lte=now)

    def due_for_reminder(self, *, now, days: int):
        """Unanswered requests that expire within `days` and whose site was not reminded yet."""
        return self.filter(
            status="requested",
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=days),
        )

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
