"""The weekly digest: "5 new matches, 2 requests waiting", for people who chose it."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Match
from matchmaking.models_introductions import Introduction
from network import notifications
from network.models import Organisation

WEEK = timedelta(days=7)


def digest_figures(user, *, since, now=None) -> dict:
    """What happened for the user's organisations since `since`."""
    organisations = Organisation.objects.filter(affiliations__person__user=user).values("pk")
    new_matches = (
        Match.objects.live()
        .filter(created_at__gte=since)
        .filter(
            Q(source__in=organisations, in_source_top=True)
            | Q(need__owner__in=organisations, in_target_top=True)
            | Q(test_site__owner__in=organisations, in_target_top=True)
            | Q(knowledge_offer__owner__in=organisations, in_target_top=True)
        )
        .count()
    )
    requests_waiting = Introduction.objects.waiting().incoming_for(user).count()
    unread = notifications.unread_since(user, since)
    return {
        "new_matches": new_matches,
        "requests_waiting": requests_waiting,
        "unread": unread.count(),
        "latest": list(unread.only("title")[:5]),
    }


def digests_send(*, now=None) -> int:
    """Weekly (beat): one email per person who chose the digest and has something new."""
    now = now or timezone.now()
    sent = 0
    for preference in notifications.digest_recipients().iterator():
        user = preference.user
        since = preference.last_digest_at or now - WEEK
        figures = digest_figures(user, since=since, now=now)
        if not (figures["new_matches"] or figures["requests_waiting"] or figures["unread"]):
            continue
        context = {
            **figures,
            "recipient": user,
            "matches_url": notifications.site_url(reverse("matchmaking:my_matches")),
            "introductions_url": notifications.site_url(reverse("matchmaking:introduction_list")),
            "inbox_url": notifications.site_url(reverse("notification_inbox")),
        }
        if notifications.digest_send(
            user=user, template="emails/matchmaking/weekly_digest.txt", context=context, now=now
        ):
            sent += 1
    return sent
