"""Pages for getting into an organisation and for its admins' people management."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import registers
from network.confirm import confirm_page, is_confirmed
from network.joining import forms, rules, services
from network.joining.services import JoiningError
from network.models import (
    Affiliation,
    Invitation,
    JoinRequest,
    Organisation,
    Person,
    User,
)
from network.models.organisations import AffiliationRole
from network.redirects import next_path

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _people_page(request, slug: str) -> Organisation:
    """An organisation whose people the user manages: 404 for those who may not see it, 403
    for those who see it but do not manage its people."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    if not rules.may_manage_people(request.user, organisation):
        raise PermissionDenied
    return organisation


# --- Getting in ---------------------------------------------------------------------------------
@login_required
def start(request):
    person = Person.objects.filter(user=request.user).first()
    join_requests = (
        JoinRequest.objects.filter(person=person).select_related("organisation")[:20]
        if person
        else []
    )
    return render(
        request,
        "network/joining/start.html",
        {"join_requests": join_requests, "search_form": forms.JoinSearchForm()},
    )


@login_required
def register(request):
    """Register an organisation in two steps: the number (checked at once, looked up in the
    public register), then the details, filled from the register where it answered."""
    step = request.POST.get("step", "number") if request.method == "POST" else "number"
    context = {"existing": None, "result": None}
    if step == "number":
        form = forms.NumberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            country, number = form.cleaned_data["country"], form.cleaned_data["number"]
            existing = services.existing_with_number(country, number)
            if existing is not None:
                context["existing"] = existing
            else:
                result = registers.lookup(country, number)
                context["result"] = result
                form = forms.RegistrationForm(initial=_initial(country, number, result))
                step = "details"
    else:
        form = forms.RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            result = registers.lookup(data["country"], data["number"])  # cached
            try:
                organisation = services.organisation_register(
                    user=request.user, registration=form.registration(), register_result=result
                )
            except JoiningError as error:
                form.add_error(None, error.message)
                context["existing"] = error.existing
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is registered and sent for review. Apply to a cluster to "
                        "become a member; the cluster's staff review the profile too."
                    )
                    % {"name": organisation.name},
                )
                return redirect(f"{reverse('clusters:apply')}?organisation={organisation.slug}")
    return render(request, "network/joining/register.html", {"form": form, "step": step, **context})


def _initial(country: str, number: str, result) -> dict:
    initial = {"country": country, "number": number, "language": "nb" if country == "NO" else "da"}
    if result is not None and result.status == "found":
        initial |= {
            "name": result.name,
            "street": result.street,
            "postcode": result.postcode,
            "town": result.town,
            "industry_code": result.industry_code,
            "municipality": registers.municipality_for(result),
        }
    return initial


@login_required
def search(request):
    form = forms.JoinSearchForm(request.GET or None)
    text = form.data.get("q", "") if form.is_bound else ""
    results = list(forms.organisations_to_join(text)[:30])
    template = "network/joining/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "results": results, "q": text})


@login_required
def ask(request, slug):
    organisation = _organisation(slug)
    # Every field is optional: an empty POST still asks.
    form = forms.JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                user=request.user, organisation=organisation, message=form.cleaned_data["message"]
            )
        except JoiningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your request to join %(name)s was sent. You will get an email with the answer.")
                % {"name": organisation.name},
            )
        return redirect("joining:start")
    return render(request, "network/joining/ask.html", {"form": form, "organisation": organisation})


@login_required
def municipality(request):
    form = forms.MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.organisation()
        try:
            services.join_request_create(
                user=request.user, organisation=organisation, message=form.cleaned_data["message"]
            )
        except JoiningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(name)s was sent to the staff who look after it. "
                    "You will get an email with the answer."
                )
                % {"name": organisation.name},
            )
        return redirect("joining:start")
    return render(request, "network/joining/municipality.html", {"form": form})


@login_required
@require_POST
def withdraw(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk, person__user=request.user)
    try:
        services.join_request_withdraw(join_request=join_request, user=request.user)
    except JoiningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("joining:start")


# --- Answering join requests --------------------------------------------------------------------
def _answerable(request, slug) -> Organisation:
    organisation = _organisation(slug)
    if not rules.may_answer_join_requests(request.user, organisation):
        if not Organisation.objects.visible_to(request.user).filter(pk=organisation.pk).exists():
            raise Http404
        raise PermissionDenied
    return organisation


@login_required
def requests(request, slug):
    organisation = _answerable(request, slug)
    pending = JoinRequest.objects.pending().filter(organisation=organisation)
    return render(
        request,
        "network/joining/requests.html",
        {
            "organisation": organisation,
            "join_requests": pending.select_related("person__user").order_by("created_at"),
            "role_form": forms.RoleForm(),
            "decline_form": forms.DeclineForm(),
        },
    )


@login_required
@require_POST
def answer(request, slug, pk, action):
    organisation = _answerable(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=pk, organisation=organisation)
    form = (forms.RoleForm if action == "approve" else forms.DeclineForm)(request.POST)
    if action not in ("approve", "decline"):
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Choose the role the person gets."))
        return redirect("joining:requests", slug=slug)
    try:
        if action == "approve":
            services.join_request_approve(
                join_request=join_request, actor=request.user, role=form.cleaned_data["role"]
            )
            messages.success(
                request,
                _("%(name)s now works for %(organisation)s in the portal.")
                % {"name": join_request.person.full_name, "organisation": organisation.name},
            )
        else:
            services.join_request_decline(
                join_request=join_request, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The request was declined."))
    except JoiningError as error:
        messages.error(request, error.message)
    return redirect("joining:requests", slug=slug)


# --- People and invitations ---------------------------------------------------------------------
@login_required
def people(request, slug):
    organisation = _people_page(request, slug)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except JoiningError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("joining:people", slug=slug)
    affiliations = (
        Affiliation.objects.filter(organisation=organisation)
        .select_related("person__user")
        .order_by("role", "person__last_name", "person__first_name")
    )
    return render(
        request,
        "network/joining/people.html",
        {
            "organisation": organisation,
            "affiliations": affiliations,
            "invitations": organisation.invitations.open().select_related("invited_by"),
            "pending_requests": JoinRequest.objects.pending()
            .filter(organisation=organisation)
            .count(),
            "form": form,
            "roles": AffiliationRole.choices,
        },
    )


@login_required
@require_POST
def person_action(request, slug, pk, action):
    organisation = _organisation(slug)
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person"), pk=pk, organisation=organisation
    )
    leaving = affiliation.person.user_id == request.user.pk and action == "remove"
    if not leaving:
        organisation = _people_page(request, slug)
    try:
        if action == "role":
            form = forms.RoleForm(request.POST)
            if not form.is_valid():
                raise JoiningError(_("Choose the role the person gets."))
            services.affiliation_role_set(affiliation=affiliation, role=form.cleaned_data["role"])
            messages.success(request, _("The role was changed."))
        elif action == "remove":
            if not is_confirmed(request):
                return _confirm_removal(request, organisation, affiliation, leaving=leaving)
            services.affiliation_remove(affiliation=affiliation)
            messages.success(
                request,
                _("You left %(name)s.") % {"name": organisation.name}
                if leaving
                else _("%(name)s was removed.") % {"name": affiliation.person.full_name},
            )
            if leaving:
                return redirect("my_organisations")
        elif action == "invite":
            _invite_contact(request, organisation, affiliation)
        else:
            raise Http404
    except JoiningError as error:
        messages.error(request, error.message)
    return redirect(_back(request, organisation))


def _invite_contact(request, organisation: Organisation, affiliation: Affiliation) -> None:
    """Staff (or the organisation's admins) invite a contact person who has no account yet."""
    person = affiliation.person
    if person.user_id is not None:
        raise JoiningError(_("%(name)s already has an account.") % {"name": person.full_name})
    if not person.email:
        raise JoiningError(
            _("%(name)s has no email address to send the invitation to.")
            % {"name": person.full_name}
        )
    from network import optouts

    if optouts.is_opted_out(person.email):
        raise JoiningError(
            _("%(email)s asked for no emails from the portal, so no invitation was sent.")
            % {"email": person.email}
        )
    services.invitation_create(
        organisation=organisation,
        email=person.email,
        role=affiliation.role,
        person=person,
        actor=request.user,
    )
    messages.success(request, _("An invitation was sent to %(email)s.") % {"email": person.email})


def _confirm_removal(request, organisation, affiliation, *, leaving):
    names = {"name": affiliation.person.full_name, "organisation": organisation.name}
    return confirm_page(
        request,
        title=_("Leave %(organisation)s?") % names
        if leaving
        else _("Remove %(name)s from %(organisation)s?") % names,
        question=_("You lose access to %(organisation)s's pages at once.") % names
        if leaving
        else _("%(name)s loses access to %(organisation)s's pages at once.") % names,
        confirm_label=_("Leave the organisation") if leaving else _("Remove"),
        cancel_url=_back(request, organisation),
    )


def _back(request, organisation: Organisation) -> str:
    return next_path(request, default=reverse("joining:people", kwargs={"slug": organisation.slug}))


@login_required
@require_POST
def contact_invite(request, slug, pk):
    """Staff invite a contact person they added or imported (from a member's page)."""
    organisation = _organisation(slug)
    if not rules.may_invite_contacts(request.user, organisation):
        raise PermissionDenied
    affiliation = get_object_or_404(Affiliation, pk=pk, organisation=organisation)
    try:
        _invite_contact(request, organisation, affiliation)
    except JoiningError as error:
        messages.error(request, error.message)
    return redirect(next_path(request, default=organisation.get_absolute_url()))


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    organisation = _people_page(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    if services.invitation_revoke(invitation=invitation):
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return redirect("joining:people", slug=slug)


# --- Accepting an invitation --------------------------------------------------------------------
def invitation(request, token):
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(
            request, "network/joining/invitation_invalid.html", {"problem": problem}, status=410
        )
    existing_account = User.objects.filter(email__iexact=invitation.email).first()
    signup_form = None
    if not request.user.is_authenticated and existing_account is None:
        signup_form = forms.InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        if request.user.is_authenticated:
            return _accept(request, invitation, request.user)
        if signup_form is not None and signup_form.is_valid():
            user = _account_for_invitation(invitation, signup_form.cleaned_data)
            login(request, user, backend=ALLAUTH_BACKEND)
            return _accept(request, invitation, user)
    return render(
        request,
        "network/joining/invitation.html",
        {
            "invitation": invitation,
            "signup_form": signup_form,
            "existing_account": existing_account,
            "other_account": request.user.is_authenticated
            and request.user.email.casefold() != invitation.email.casefold(),
        },
    )


def _accept(request, invitation: Invitation, user):
    try:
        services.invitation_accept(invitation=invitation, user=user)
    except JoiningError as error:
        messages.error(request, error.message)
        return redirect("joining:start")
    messages.success(
        request,
        _("Welcome to %(name)s in the portal.") % {"name": invitation.organisation.name},
    )
    return redirect("my_organisations")


@transaction.atomic
def _account_for_invitation(invitation: Invitation, data: dict) -> User:
    """The invited address is proven by the link that reached it: the account starts verified."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=invitation.email,
        password=data["password1"],
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        language=services.notifications.language_of(invitation.invited_by),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
