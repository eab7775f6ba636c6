"""When two organisations merge: their calendar addresses. Bookings simply move to the kept
organisation (network.merge moves every row); each organisation has one calendar address, so
when both had one the kept organisation's stays and the removed one's stops working."""

from matchmaking.bookings.models import CalendarFeed


def calendar_feed_merge_rule(*, kept, removed) -> dict[str, int]:
    if not CalendarFeed.objects.filter(organisation=kept).exists():
        return {}
    dropped, _detail = CalendarFeed.objects.filter(organisation=removed).delete()
    return {"calendar addresses dropped": dropped} if dropped else {}


def register() -> None:
    from network import hooks

    hooks.register_merge_rule("bookings.CalendarFeed", calendar_feed_merge_rule)
