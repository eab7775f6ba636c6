"""'My organisation': organisation admins keep their profile, test sites and offers current."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import moderation, services
from network.confirm import confirm_page, is_confirmed, undo_tag
from network.forms import KnowledgeOfferForm, OrganisationForm, TestSiteForm
from network.models import JoinRequestStatus, KnowledgeOffer, TestSite
from network.models.organisations import KNOWLEDGE_OFFER_OWNER_KINDS, TEST_SITE_OWNER_KINDS
from network.permissions import get_organisation_for_user


@login_required
def my_organisations(request):
    affiliations = (
        request.user.person.affiliations.select_related("organisation")
        .annotate(
            waiting_join_requests=Count(
                "organisation__join_requests",
                filter=Q(
                    organisation__join_requests__status=JoinRequestStatus.PENDING,
                    organisation__join_requests__expires_at__gt=timezone.now(),
                ),
            )
        )
        .order_by("role", "organisation__name")
        if hasattr(request.user, "person")
        else []
    )
    return render(request, "network/my_organisations.html", {"affiliations": affiliations})


@login_required
def organisation_edit(request, slug):
    organisation = get_organisation_for_user(request, slug, manage=True)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        initial=moderation.form_initial(organisation),
    )
    if request.method == "POST" and form.is_valid():
        outcome = moderation.save_reviewed(
            form,
            actor=request.user,
            save=lambda item, focus_areas, tags: services.organisation_save(
                organisation=item, focus_areas=focus_areas, tags=tags
            ),
        )
        messages.success(request, moderation.outcome_message(outcome))
        return redirect(form.instance)
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
    form = form_class(
        request.POST or None, instance=instance, initial=moderation.form_initial(instance)
    )
    if request.method == "POST":
        with transaction.atomic():
            if instance.pk:
                # The row stays locked from the check of what apps above promised on its
                # behalf (accepted test periods, network.hooks) until it is saved, as accepting
                # a test period locks it: a capacity cut and an acceptance cannot pass each
                # other and overbook the site.
                _lock(model, instance.pk)
            if form.is_valid():
                outcome = moderation.save_reviewed(
                    form,
                    actor=request.user,
                    save=lambda item, focus_areas, tags: services.offer_save(
                        offer=item, focus_areas=focus_areas, tags=tags
                    ),
                )
                messages.success(request, moderation.outcome_message(outcome))
                return redirect("organisation_edit", slug=organisation.slug)
    return render(
        request,
        template,
        {
            "form": form,
            "organisation": organisation,
            "object": instance,
            "delete_question": _delete_question(instance) if instance.pk else "",
        },
    )


def _lock(model, pk) -> None:
    # Django leaves FOR UPDATE out on SQLite, whose transactions begin IMMEDIATE (settings).
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _delete_question(offer) -> str:
    """What the delete modal and the confirm page ask."""
    return _(
        "%(name)s is no longer shown, found or matched. You can undo it for "
        "%(minutes)d minutes; after that it is deleted for good."
    ) % {"name": offer, "minutes": services.OFFER_UNDO_MINUTES}


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
    offer = get_object_or_404(model, pk=pk, owner=organisation)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Delete %(name)s?") % {"name": offer},
            question=_delete_question(offer),
            confirm_label=_("Delete"),
            cancel_url=reverse(
                "test_site_edit" if model is TestSite else "offer_edit", args=[slug, pk]
            ),
        )
    services.offer_delete(offer=offer)
    undo_url = reverse(
        "test_site_restore" if model is TestSite else "offer_restore", args=[slug, pk]
    )
    messages.success(
        request,
        _("%(name)s was deleted. You can undo it for %(minutes)d minutes.")
        % {"name": offer, "minutes": services.OFFER_UNDO_MINUTES},
        extra_tags=undo_tag(undo_url),
    )
    return redirect("organisation_edit", slug=organisation.slug)


@login_required
@require_POST
def test_site_delete(request, slug, pk):
    return _offer_delete(request, slug, pk, TestSite)


@login_required
@require_POST
def offer_delete(request, slug, pk):
    return _offer_delete(request, slug, pk, KnowledgeOffer)


def _offer_restore(request, slug, pk, model):
    """The "Fortryd" button in the message after a deletion: the offer comes back."""
    organisation = get_organisation_for_user(request, slug, manage=True)
    offer = get_object_or_404(model.all_objects.deleted(), pk=pk, owner=organisation)
    try:
        offer = services.offer_restore(offer=offer)
    except services.OfferRestoreError as error:
        messages.error(request, str(error))
        return redirect("organisation_edit", slug=organisation.slug)
    messages.success(request, _("%(name)s was restored.") % {"name": offer})
    return redirect("test_site_edit" if model is TestSite else "offer_edit", slug, pk)


@login_required
@require_POST
def test_site_restore(request, slug, pk):
    return _offer_restore(request, slug, pk, TestSite)


@login_required
@require_POST
def offer_restore(request, slug, pk):
    return _offer_restore(request, slug, pk, KnowledgeOffer)


REVIEW_ACTIONS = {"submit": moderation.submit, "discard": moderation.discard_changes}


@login_required
@require_POST
def review_action(request, kind, pk):
    """Owners send a draft (or an item sent back) for review, or discard waiting changes."""
    model = moderation.KINDS.get(kind)
    action = REVIEW_ACTIONS.get(request.POST.get("action", ""))
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk)
    owner = moderation.owner_of(item)
    if not moderation.may_manage(request.user, owner):
        # Outsiders learn nothing about unpublished items; others' public ones are 403.
        if not model.objects.visible_to(request.user).filter(pk=item.pk).exists():
            raise Http404
        raise PermissionDenied
    if action is moderation.discard_changes and not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Discard your changes?"),
            question=_(
                "Your changes waiting for review are thrown away; the published version stays."
            ),
            confirm_label=_("Discard my changes"),
            cancel_url=moderation.owner_url(item),
            fields={"action": "discard"},
        )
    if action is None:
        messages.error(request, _("Choose send for review or discard; nothing was changed."))
    else:
        try:
            action(item, actor=request.user)
        except moderation.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Sent for review.")
                if action is moderation.submit
                else _("The changes were discarded; the published version stays."),
            )
    return redirect(moderation.owner_url(item))
