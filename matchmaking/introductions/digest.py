"""The daily and weekly digests: "5 new matches, 2 requests waiting", for people who chose
them, with the kinds each chose for that rhythm."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from matchmaking.actions import pair_filter
from matchmaking.models import Match
from matchmaking.models_introductions import Feedback, FeedbackKind, Introduction
from matchmaking.models_sharing import NeedShare
from network import deliveries, notifications
from network.models import Organisation
from network.models.notifications import NotificationCategory, NotificationFrequency


def digest_figures(user, *, since, categories=None, now=None) -> dict:
    """What happened for the user's organisations since `since`, in `categories` (all)."""
    categories = set(NotificationCategory.values if categories is None else categories)
    organisations = Organisation.objects.filter(affiliations__person__user=user).values("pk")
    new_matches = requests_waiting = 0
    if NotificationCategory.MATCHES in categories:
        new_matches = (
            Match.objects.live()
            .filter(created_at__gte=since)
            .filter(
                Q(source__in=organisations, in_source_top=True)
                | Q(need__owner__in=organisations, in_target_top=True)
                # A shared need's matches count for every organisation that joined it.
                | Q(
                    Exists(
                        NeedShare.objects.filter(
                            need=OuterRef("need_id"), organisation__in=organisations
                        )
                    ),
                    in_target_top=True,
                )
                | Q(test_site__owner__in=organisations, in_target_top=True)
                | Q(knowledge_offer__owner__in=organisations, in_target_top=True)
            )
            # Not what the user's organisations marked not relevant (matchmaking.actions).
            .exclude(
                Exists(
                    Feedback.objects.filter(
                        **pair_filter(),
                        organisation__in=organisations,
                        kind=FeedbackKind.NOT_RELEVANT,
                    )
                )
            )
            .count()
        )
    if NotificationCategory.INTRODUCTIONS in categories:
        requests_waiting = Introduction.objects.waiting().incoming_for(user).count()
    unread = notifications.unread_since(user, since, categories)
    return {
        "new_matches": new_matches,
        "requests_waiting": requests_waiting,
        "unread": unread.count(),
        "latest": list(unread.only("title")[:5]),
    }


def digests_send(*, frequency: str = NotificationFrequency.WEEKLY, now=None) -> int:
    """Daily or weekly (beat): one email per person with kinds in this digest and something
    new. Sent at most once per person and period (network.deliveries), so a second run, a
    redelivered task or a late one sends nothing more."""
    now = now or timezone.now()
    sent = 0
    for preference in notifications.digest_recipients(frequency).iterator():
        user = preference.user
        categories = notifications.digest_categories(user, frequency)
        if not categories:
            continue
        since = deliveries.since_last(
            kind=f"digest:{frequency}", frequency=frequency, now=now, user=user
        )
        figures = digest_figures(user, since=since, categories=categories, now=now)
        if not (figures["new_matches"] or figures["requests_waiting"] or figures["unread"]):
            continue
        context = {
            **figures,
            "recipient": user,
            "frequency": frequency,
            "matches_url": notifications.site_url(reverse("matchmaking:my_matches")),
            "introductions_url": notifications.site_url(reverse("matchmaking:introduction_list")),
            "inbox_url": notifications.site_url(reverse("notification_inbox")),
        }
        if notifications.digest_send(
            user=user,
            template="emails/matchmaking/weekly_digest.txt",
            context=context,
            frequency=frequency,
            now=now,
        ):
            sent += 1
    return sent
