"""The owners' one click on "Still correct" for a profile nobody has updated for a long time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import stale
from network.permissions import get_organisation_for_user


@login_required
@require_POST
def organisation_confirm(request, slug):
    """404 for a profile the user may not see, 403 for one they may see but not manage."""
    organisation = get_organisation_for_user(request, slug, manage=True)
    was_stale = stale.confirm(organisation, request.user)
    messages.success(
        request,
        _("Thank you. The profile is confirmed and takes part in matching again.")
        if was_stale
        else _("Thank you. The profile is confirmed as still correct."),
    )
    return redirect("organisation_edit", slug=organisation.slug)
