"""'My organisation': organisation admins keep their profile, test sites and offers current."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import services
from network.forms import KnowledgeOfferForm, OrganisationForm, TestSiteForm, get_or_create_tags
from network.models import KnowledgeOffer, TestSite
from network.models.organisations import KNOWLEDGE_OFFER_OWNER_KINDS, TEST_SITE_OWNER_KINDS
from network.permissions import get_organisation_for_user


@login_required
def my_organisations(request):
    affiliations = (
        request.user.person.affiliations.select_related("organisation").order_by(
            "role", "organisation__name"
        )
        if hasattr(request.user, "person")
        else []
    )
    return render(request, "network/my_organisations.html", {"affiliations": affiliations})


@login_required
def organisation_edit(request, slug):
    organisation = get_organisation_for_user(request, slug, manage=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(
            organisation=form.instance,
            focus_areas=form.cleaned_data["focus_areas"],
            tags=get_or_create_tags(form.cleaned_data["tag_names"]),
        )
        messages.success(request, _("The profile was saved."))
        return redirect(organisation)
    return render(
        request,
        "network/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "test_sites": organisation.test_sites.all(),
            "offers": organisation.knowledge_offers.all(),
            "may_have_test_sites": organisation.kind in TEST_SITE_OWNER_KINDS,
            "may_have_offers": organisation.kind in KNOWLEDGE_OFFER_OWNER_KINDS,
        },
    )


def _offer_edit(request, slug, pk, *, model, form_class, allowed_kinds, template):
    organisation = get_organisation_for_user(request, slug, manage=True)
    if organisation.kind not in allowed_kinds:
        raise PermissionDenied
    instance = (
        get_object_or_404(model, pk=pk, owner=organisation) if pk else model(owner=organisation)
    )
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.offer_save(
            offer=form.instance,
            focus_areas=form.cleaned_data["focus_areas"],
            tags=get_or_create_tags(form.cleaned_data["tag_names"]),
        )
        messages.success(request, _("Saved."))
        return redirect("organisation_edit", slug=organisation.slug)
    return render(
        request, template, {"form": form, "organisation": organisation, "object": instance}
    )


@login_required
def test_site_edit(request, slug, pk=None):
    return _offer_edit(
        request,
        slug,
        pk,
        model=TestSite,
        form_class=TestSiteForm,
        allowed_kinds=TEST_SITE_OWNER_KINDS,
        template="network/test_site_form.html",
    )


@login_required
def offer_edit(request, slug, pk=None):
    return _offer_edit(
        request,
        slug,
        pk,
        model=KnowledgeOffer,
        form_class=KnowledgeOfferForm,
        allowed_kinds=KNOWLEDGE_OFFER_OWNER_KINDS,
        template="network/offer_form.html",
    )


def _offer_delete(request, slug, pk, model):
    organisation = get_organisation_for_user(request, slug, manage=True)
    services.offer_delete(offer=get_object_or_404(model, pk=pk, owner=organisation))
    messages.success(request, _("Deleted."))
    return redirect("organisation_edit", slug=organisation.slug)


@login_required
@require_POST
def test_site_delete(request, slug, pk):
    return _offer_delete(request, slug, pk, TestSite)


@login_required
@require_POST
def offer_delete(request, slug, pk):
    return _offer_delete(request, slug, pk, KnowledgeOffer)
