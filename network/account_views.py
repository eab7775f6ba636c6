"""A person's own data: consent, contact details, a copy of everything, and deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from network.forms import AccountDeleteForm, PrivacySettingsForm
from network.gdpr import account_erase, personal_data_export
from network.models import Person


@require_GET
def privacy_policy(request):
    return render(request, "network/privacy_policy.html")


def _person_for(user) -> Person:
    person, _created = Person.objects.get_or_create(
        user=user,
        defaults={"first_name": user.first_name or user.email.split("@")[0], "email": user.email},
    )
    return person


@login_required
def privacy_settings(request):
    person = _person_for(request.user)
    had_consent = person.directory_consent or person.contact_public
    form = PrivacySettingsForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        gives_consent = person.directory_consent or person.contact_public
        if gives_consent and not had_consent:
            person.consent_given_at = timezone.now()
        elif not gives_consent:
            person.consent_given_at = None
        person.save()
        messages.success(request, _("Your choices were saved."))
        return redirect("privacy_settings")
    return render(request, "network/privacy_settings.html", {"form": form, "person": person})


@login_required
@require_GET
def personal_data_download(request):
    data = personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_erase(user=user)
        messages.success(request, _("Your account was deleted and your personal data erased."))
        return redirect("home")
    return render(request, "network/account_delete.html", {"form": form})
