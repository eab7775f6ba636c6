"""The inbox, the email preferences and the one-click unsubscribe (no sign-in needed)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import notifications
from network.models import Notification
from network.models.notifications import (
    EmailOptOutVia,
    NotificationCategory,
    NotificationFrequency,
)
from network.redirects import safe_path

PAGE_SIZE = 25


class PreferenceForm(forms.Form):
    """The preference centre: how often, for each kind of email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in NotificationCategory:
            choices = NotificationFrequency.choices
            if category == NotificationCategory.DIGESTS:
                choices = [c for c in choices if c[0] in notifications.DIGEST_CHOICES]
            self.fields[category.value] = forms.ChoiceField(
                label=category.label, choices=choices, widget=forms.RadioSelect
            )


@login_required
@require_GET
def inbox(request):
    notes = Notification.objects.for_user(request.user).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at"
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/notifications/inbox.html",
        {"page": page, "notifications": page.object_list},
    )


def _ids(request) -> list[int] | None:
    raw = request.POST.getlist("notification")
    if not raw:
        return None
    try:
        return [int(value) for value in raw]
    except ValueError as exc:
        raise Http404 from exc


@login_required
@require_POST
def mark_read(request):
    count = notifications.notifications_mark_read(user=request.user, ids=_ids(request))
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("notification_inbox")


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark one as read and go to what it is about (only the person's own notifications)."""
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notifications.notifications_mark_read(user=request.user, ids=[pk])
    return redirect(safe_path(notification.url, default=reverse("notification_inbox")))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    from network import optouts

    if request.method == "POST" and request.POST.get("action") == "resume_address":
        # Their address asked for no emails at all (a link in an email before they had a
        # login, or cluster staff at their request): lifting it is theirs to do, signed in.
        if optouts.resume(
            address=request.user.email, via=EmailOptOutVia.ACCOUNT, actor=request.user
        ):
            messages.success(request, _("The portal emails you again as you choose below."))
        return redirect("notification_preferences")
    form = PreferenceForm(request.POST or None, initial=notifications.frequencies_of(request.user))
    if request.method == "POST" and form.is_valid():
        notifications.preference_set(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Your choice was saved."))
        return redirect("notification_preferences")
    from network.models import SavedSearch

    return render(
        request,
        "network/notifications/preferences.html",
        {
            "form": form,
            "address_opt_out": optouts.opt_out_of(request.user.email),
            # Their alerts are emails too: shown here with how often each comes.
            "saved_searches": SavedSearch.objects.filter(user=request.user).order_by("query"),
        },
    )


@csrf_exempt  # the signed token is the authority; mail clients post RFC 8058 one-click here
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (mail scanners open links), POST does it; no sign-in needed."""
    user = notifications.user_for_token(token)
    if user is None:
        return render(request, "network/notifications/unsubscribe_invalid.html", status=404)
    category = notifications.category_for_token(token)
    context = {
        "token": token,
        "email": user.email,
        "category": NotificationCategory(category).label if category else "",
    }
    if request.method == "POST":
        notifications.unsubscribe(token=token)
        return render(request, "network/notifications/unsubscribed.html", context)
    return render(request, "network/notifications/unsubscribe.html", context)


@csrf_exempt  # the signed token is the authority; mail clients post RFC 8058 one-click here
@require_http_methods(["GET", "POST"])
def email_opt_out(request, token: str):
    """Stop (or resume) every email to an address without a login; no sign-in needed.

    GET asks (mail scanners open links); POST acts: `action=resume` emails the address again,
    anything else, including a mail program's one-click "List-Unsubscribe=One-Click", stops it.
    """
    from network import optouts

    address = optouts.address_for_token(token)
    if address is None:
        return render(request, "network/notifications/unsubscribe_invalid.html", status=404)
    changed = None
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            optouts.resume(address=address, via=EmailOptOutVia.EMAIL_LINK)
            changed = "resumed"
        else:
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            via = EmailOptOutVia.ONE_CLICK if one_click else EmailOptOutVia.EMAIL_LINK
            optouts.opt_out(address=address, via=via)
            changed = "stopped"
    return render(
        request,
        "network/notifications/email_opt_out.html",
        {
            "token": token,
            "email": address,
            "opted_out": optouts.opt_out_of(address),
            "changed": changed,
        },
    )
