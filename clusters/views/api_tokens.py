"""Managers (and network admins) make and revoke their cluster's API tokens."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clusters import services
from clusters.forms import DateInput
from clusters.models_api import APIScope, APIToken
from clusters.permissions import CONFIGURE, capabilities, get_cluster_for_user
from network.confirm import confirm_page, is_confirmed


class APITokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use the token, e.g. 'Our CRM'."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What the token may read"),
        choices=APIScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("The last day the token works. Empty: until it is revoked."),
    )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on and expires_on < timezone.localdate():
            raise ValidationError(_("The date has passed."))
        return expires_on

    def expires_at(self):
        expires_on = self.cleaned_data.get("expires_on")
        if not expires_on:
            return None
        end_of_day = datetime.datetime.combine(expires_on, datetime.time.max)
        return timezone.make_aware(end_of_day)


NEW_KEY_SESSION = "api_token_new_key"


@never_cache
@login_required
def api_tokens(request, slug):
    """The cluster's tokens and a form for a new one. A new key goes through the session to the
    page after the redirect and is shown there once (a reload neither shows it again nor makes
    another token)."""
    cluster = get_cluster_for_user(request, slug, CONFIGURE)
    form = APITokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                cluster=cluster,
                created_by=request.user,
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_KEY_SESSION] = {"token": token.pk, "key": key}
            return redirect("clusters:api_tokens", slug=cluster.slug)
    new_key = request.session.pop(NEW_KEY_SESSION, None)
    tokens = APIToken.objects.filter(cluster=cluster).select_related("created_by", "revoked_by")
    if new_key and not any(token.pk == new_key["token"] for token in tokens):
        new_key = None  # made for another cluster's page
    return render(
        request,
        "clusters/api_tokens.html",
        {
            "cluster": cluster,
            "form": form,
            "tokens": tokens,
            "new_key": new_key["key"] if new_key else None,
            "now": timezone.now(),
            "can": capabilities(request.user, cluster),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, slug, pk):
    cluster = get_cluster_for_user(request, slug, CONFIGURE)
    token = get_object_or_404(APIToken, pk=pk, cluster=cluster)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Revoke the token %(name)s?") % {"name": token.name},
            question=_(
                "Programs using it are refused from now on; a revoked token cannot be restored."
            ),
            confirm_label=_("Revoke"),
            cancel_url=reverse("clusters:api_tokens", args=[cluster.slug]),
        )
    if services.api_token_revoke(token=token, user=request.user):
        messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("clusters:api_tokens", slug=cluster.slug)
