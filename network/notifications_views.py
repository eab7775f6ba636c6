"""The inbox, the email preferences and the one-click unsubscribe (no sign-in needed)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import notifications
from network.models import Notification
from network.models.notifications import NotificationFrequency
from network.redirects import safe_path

PAGE_SIZE = 25


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often should the portal email you?"),
        choices=NotificationFrequency.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Whatever you choose, everything also appears in your notifications here in the portal."
        ),
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
    current = notifications.frequency_of(request.user)
    form = PreferenceForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        notifications.preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your choice was saved."))
        return redirect("notification_preferences")
    return render(request, "network/notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the authority; mail clients post RFC 8058 one-click here
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (mail scanners open links), POST does it; no sign-in needed."""
    user = notifications.user_for_token(token)
    if user is None:
        return render(request, "network/notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        notifications.unsubscribe(token=token)
        return render(request, "network/notifications/unsubscribed.html", {"email": user.email})
    return render(
        request, "network/notifications/unsubscribe.html", {"token": token, "email": user.email}
    )
