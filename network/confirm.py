"""Destructive actions ask first (issue 20).

A destructive button posts its form without a `confirm` field; the view then renders a
confirm page (which works without JavaScript) instead of acting. With JavaScript, the button
opens a DKFDS modal holding the same confirm form (templates/includes/confirm_action.html),
so the page is never left. Only a POST carrying `confirm=yes` acts.
"""

from django.shortcuts import render

# A success message whose extra tags hold `undo:<url>` shows a "Fortryd" button posting there
# (templates/base.html, the `undo_url` filter in network/templatetags/portal.py).
UNDO_PREFIX = "undo:"

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(request, *, title, question, confirm_label, cancel_url, fields=None):
    """The page that asks before a destructive POST is acted on; it posts back to the same URL
    with the same fields (e.g. `action`) and `confirm=yes`."""
    return render(
        request,
        "includes/confirm_page.html",
        {
            "title": title,
            "question": question,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "action_url": request.path,
            "fields": sorted((fields or {}).items()),
        },
    )


def undo_tag(url: str) -> str:
    """The message's extra tags that put an undo button posting to `url` into the message."""
    return UNDO_PREFIX + url


def undo_url(tags: str) -> str:
    """The undo URL carried by a message's extra tags, or ""."""
    for tag in (tags or "").split():
        if tag.startswith(UNDO_PREFIX):
            return tag[len(UNDO_PREFIX) :]
    return ""
