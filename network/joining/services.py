"""Getting people into organisations: registering one, asking to join, invitations, roles.

Every function validates, writes in one transaction and tells the people concerned; a refusal is
a JoiningError whose message is for the person who tried, and nothing is written.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network import identifiers, moderation, notifications
from network.joining import rules
from network.models import (
    Affiliation,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Municipality,
    Organisation,
    Person,
    Region,
    RegisterExtract,
    ReviewStatus,
    User,
)
from network.models.organisations import AffiliationRole, OrganisationKind
from network.models.reference import Country
from network.services import organisation_save, unique_slug

JOIN_REQUEST_DAYS = 30
INVITATION_DAYS = 14
INVITATION_SALT = "network.joining.invitation"


class JoiningError(Exception):
    """A step that is not allowed; the message says why, for the person who tried."""

    def __init__(self, message, *, existing: Organisation | None = None):
        super().__init__(message)
        self.message = str(message)
        self.existing = existing


def person_of(user) -> Person:
    """The user's Person, made on first need (accounts made before the adapter had none)."""
    person, _created = Person.objects.get_or_create(
        user=user,
        defaults={
            "first_name": user.first_name or user.email.split("@")[0],
            "last_name": user.last_name,
            "email": user.email,
        },
    )
    return person


def _affiliated(person: Person, organisation: Organisation) -> bool:
    return Affiliation.objects.filter(person=person, organisation=organisation).exists()


def _users(ids) -> list[User]:
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _tell(users, *, kind: str, template: str, context: dict, url: str) -> None:
    for user in users:
        notifications.notification_send(
            user=user,
            kind=kind,
            template=template,
            context={**context, "recipient": user, "url": notifications.site_url(url)},
            url=url,
        )


# --- Registering an organisation ----------------------------------------------------------------
def number_error(country: str, number: str) -> str | None:
    """Why `number` cannot be the registry number of an organisation in `country`, or None."""
    number = identifiers.normalise(number)
    if country == Country.DENMARK:
        if len(number) == 9 and identifiers.is_valid_orgnr(number):
            return _("%(value)s is a Norwegian organisation number, not a Danish CVR number.") % {
                "value": number
            }
        if not identifiers.is_valid_cvr(number):
            return _(
                "%(value)s is not a valid CVR number (8 digits with a correct check digit)."
            ) % {"value": number}
    elif country == Country.NORWAY:
        if len(number) == 8 and identifiers.is_valid_cvr(number):
            return _("%(value)s is a Danish CVR number, not a Norwegian organisation number.") % {
                "value": number
            }
        if not identifiers.is_valid_orgnr(number):
            return _(
                "%(value)s is not a valid Norwegian organisation number "
                "(9 digits with a correct check digit)."
            ) % {"value": number}
    else:
        return _("Choose Denmark or Norway.")
    return None


def existing_with_number(country: str, number: str) -> Organisation | None:
    number = identifiers.normalise(number)
    field = "cvr" if country == Country.DENMARK else "orgnr"
    return Organisation.objects.filter(**{field: number}).first()


@dataclass
class Registration:
    country: str
    number: str
    name: str
    kind: str
    street: str = ""
    postcode: str = ""
    town: str = ""
    municipality: Municipality | None = None
    industry_code: str = ""
    website: str = ""
    description: str = ""
    language: str = "da"
    focus_areas: list = field(default_factory=list)


@transaction.atomic
def organisation_register(*, user, registration: Registration, register_result=None):
    """A person registers their organisation: a draft profile sent for review, with them as
    its admin. Refused for numbers already here (ask to join instead) and for public bodies
    (they come from the reference data)."""
    country, number = registration.country, identifiers.normalise(registration.number)
    error = number_error(country, number)
    if error:
        raise JoiningError(error)
    if registration.kind not in rules.SELF_REGISTERED_KINDS:
        raise JoiningError(
            _(
                "Municipalities, regions and hospitals are already in the portal: ask to join "
                "yours instead of registering it."
            )
        )
    existing = existing_with_number(country, number)
    if existing is not None:
        raise JoiningError(
            _("%(name)s is already registered with this number. Ask to join it instead.")
            % {"name": existing.name},
            existing=existing,
        )
    organisation = Organisation(
        name=registration.name.strip(),
        kind=registration.kind,
        country=country,
        cvr=number if country == Country.DENMARK else "",
        orgnr=number if country == Country.NORWAY else "",
        street=registration.street.strip(),
        postcode=registration.postcode.strip(),
        town=registration.town.strip(),
        municipality=registration.municipality,
        industry_code=registration.industry_code.strip(),
        website=registration.website.strip(),
        description=registration.description.strip(),
        language=registration.language,
        is_public=True,
    )
    try:
        with transaction.atomic():
            organisation_save(
                organisation=organisation, focus_areas=registration.focus_areas, tags=[]
            )
    except IntegrityError as exc:  # the same number registered a moment ago
        existing = existing_with_number(country, number)
        raise JoiningError(
            _("This number was registered a moment ago. Ask to join the organisation instead."),
            existing=existing,
        ) from exc
    person = person_of(user)
    Affiliation.objects.create(person=person, organisation=organisation, role=AffiliationRole.ADMIN)
    RegisterExtract.objects.create(
        organisation=organisation,
        number=number,
        number_valid=True,
        status=getattr(register_result, "status", "not_asked"),
        source=getattr(register_result, "source", "") or "",
        data=_register_data(register_result),
        differences=_differences(register_result, organisation),
    )
    return moderation.submit(organisation, actor=user)


def _register_data(result) -> dict:
    if result is None or getattr(result, "status", "") != "found":
        return {}
    return {
        "name": result.name,
        "street": result.street,
        "postcode": result.postcode,
        "town": result.town,
        "municipality_code": result.municipality_code,
        "industry_code": result.industry_code,
        "industry_text": result.industry_text,
        "legal_form": result.legal_form,
        "is_active": result.is_active,
    }


def _differences(result, organisation: Organisation) -> dict:
    """Fields the person typed differently from the register's answer, for the staff."""
    data = _register_data(result)
    typed = {
        "name": organisation.name,
        "street": organisation.street,
        "postcode": organisation.postcode,
        "town": organisation.town,
        "industry_code": organisation.industry_code,
    }
    return {
        field: [data[field], value]
        for field, value in typed.items()
        if data.get(field) and data[field].strip().casefold() != value.strip().casefold()
    }


# --- Public bodies ------------------------------------------------------------------------------
def municipality_organisation_name(municipality: Municipality) -> str:
    """'Odense Kommune', 'Københavns Kommune', 'Bergen kommune'."""
    if municipality.country == Country.NORWAY:
        return f"{municipality.name} kommune"
    special = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}
    return special.get(municipality.name, f"{municipality.name} Kommune")


@transaction.atomic
def municipality_organisation(municipality: Municipality) -> Organisation:
    """The municipality's own organisation: the one in the directory, or a new one made from
    the reference data (never a second one)."""
    existing = (
        Organisation.objects.select_for_update()
        .filter(kind=OrganisationKind.MUNICIPALITY, municipality=municipality)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    name = municipality_organisation_name(municipality)
    organisation = Organisation(
        name=name,
        slug=unique_slug(Organisation, f"{name}-{municipality.country}"),
        kind=OrganisationKind.MUNICIPALITY,
        country=municipality.country,
        municipality=municipality,
        language="nb" if municipality.country == Country.NORWAY else "da",
        # From the reference data, not from whoever asks: nothing to review.
        is_published=True,
        review_status=ReviewStatus.PUBLISHED,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def region_organisation_name(region: Region) -> str:
    """'Region Syddanmark' as it is; a Norwegian county's own body is its fylkeskommune."""
    if region.country == Country.NORWAY:
        return f"{region.name} fylkeskommune"
    return region.name


@transaction.atomic
def region_organisation(region: Region) -> Organisation:
    """The region's (county's) own organisation, as municipality_organisation does it."""
    existing = (
        Organisation.objects.select_for_update()
        .filter(kind=OrganisationKind.REGION, region=region)
        .order_by(F("municipality").asc(nulls_first=True), "pk")  # the region's seat, if any
        .first()
    )
    if existing is not None:
        return existing
    name = region_organisation_name(region)
    organisation = Organisation(
        name=name,
        slug=unique_slug(Organisation, f"{name}-{region.country}"),
        kind=OrganisationKind.REGION,
        country=region.country,
        region=region,
        language="nb" if region.country == Country.NORWAY else "da",
        is_published=True,
        review_status=ReviewStatus.PUBLISHED,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


# --- Join requests ------------------------------------------------------------------------------
@transaction.atomic
def join_request_create(*, user, organisation: Organisation, message: str = "") -> JoinRequest:
    person = person_of(user)
    if _affiliated(person, organisation):
        raise JoiningError(_("You already work for %(name)s here.") % {"name": organisation.name})
    if JoinRequest.objects.pending().filter(person=person, organisation=organisation).exists():
        raise JoiningError(
            _("You have already asked to join %(name)s; the answer is on its way.")
            % {"name": organisation.name}
        )
    # An old pending request past its date is closed first, so the new one may be made.
    JoinRequest.objects.filter(
        person=person, organisation=organisation, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.EXPIRED)
    join_request = JoinRequest(
        person=person,
        organisation=organisation,
        message=(message or "").strip(),
        expires_at=timezone.now() + timedelta(days=JOIN_REQUEST_DAYS),
    )
    join_request.full_clean()
    join_request.save()
    _tell(
        _users(rules.approver_ids(organisation)),
        kind="join_requested",
        template="emails/network/join_requested.txt",
        context={"join_request": join_request, "organisation": organisation, "person": person},
        url=reverse("joining:requests", kwargs={"slug": organisation.slug}),
    )
    return join_request


def _locked_open_request(join_request: JoinRequest, *, answerer=None) -> JoinRequest:
    locked = (
        JoinRequest.objects.select_for_update()
        .select_related("person", "organisation")
        .get(pk=join_request.pk)
    )
    if not locked.is_open:
        raise JoiningError(_("This request has already been answered, withdrawn or expired."))
    if answerer is not None and locked.person.user_id == answerer.pk:
        # Staff who look after a public body must not let themselves in.
        raise JoiningError(_("Someone else must answer your own request."))
    return locked


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, actor, role: str) -> Affiliation:
    join_request = _locked_open_request(join_request, answerer=actor)
    if role not in AffiliationRole.values:
        raise JoiningError(_("Choose the role the person gets."))
    affiliation, _created = Affiliation.objects.get_or_create(
        person=join_request.person,
        organisation=join_request.organisation,
        defaults={"role": role},
    )
    join_request.status = JoinRequestStatus.APPROVED
    join_request.role = role
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "role", "decided_by", "decided_at"])
    _tell_requester(join_request, "join_approved")
    return affiliation


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor, reason: str = "") -> JoinRequest:
    join_request = _locked_open_request(join_request, answerer=actor)
    join_request.status = JoinRequestStatus.DECLINED
    join_request.reason = (reason or "").strip()
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _tell_requester(join_request, "join_declined")
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user) -> JoinRequest:
    join_request = _locked_open_request(join_request)
    if join_request.person.user_id != user.pk:
        raise JoiningError(_("Only the person who asked can withdraw the request."))
    join_request.status = JoinRequestStatus.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request


def _tell_requester(join_request: JoinRequest, kind: str) -> None:
    user = join_request.person.user
    if user is None:
        return
    _tell(
        [user],
        kind=kind,
        template=f"emails/network/{kind}.txt",
        context={"join_request": join_request, "organisation": join_request.organisation},
        url=reverse("my_organisations"),
    )


def join_requests_expire(*, now=None) -> int:
    """Close requests nobody answered within their time, and tell the people who asked."""
    now = now or timezone.now()
    expired = 0
    for pk in JoinRequest.objects.filter(
        status=JoinRequestStatus.PENDING, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = JoinRequest.objects.filter(
                pk=pk, status=JoinRequestStatus.PENDING, expires_at__lte=now
            ).update(status=JoinRequestStatus.EXPIRED)
            if claimed:
                expired += 1
                _tell_requester(
                    JoinRequest.objects.select_related("person__user", "organisation").get(pk=pk),
                    "join_expired",
                )
    return expired


# --- Invitations --------------------------------------------------------------------------------
def invitation_link(key: str) -> str:
    token = signing.dumps(key, salt=INVITATION_SALT, compress=True)
    return reverse("joining:invitation", kwargs={"token": token})


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link was made for, whatever its state; None for a forged link."""
    try:
        key = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(key, str):
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by", "person")
        .filter(key_hash=Invitation.hash_key(key))
        .first()
    )


def _member_with_email(organisation: Organisation, email: str) -> bool:
    return Affiliation.objects.filter(
        organisation=organisation, person__user__email__iexact=email
    ).exists()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    actor,
    person: Person | None = None,
    message: str = "",
) -> Invitation:
    """Invite someone by email. An open invitation to the same address is replaced (its link
    stops working), so 'send again' is the same call."""
    email = (email or "").strip()
    if not email:
        raise JoiningError(_("Give the email address to send the invitation to."))
    if role not in AffiliationRole.values:
        raise JoiningError(_("Choose the role the person gets."))
    if _member_with_email(organisation, email):
        raise JoiningError(
            _("%(email)s already has an account in %(name)s.")
            % {"email": email, "name": organisation.name}
        )
    Invitation.objects.open().filter(organisation=organisation, email__iexact=email).update(
        revoked_at=timezone.now()
    )
    key = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        person=person,
        invited_by=actor,
        message=(message or "").strip(),
        key_hash=Invitation.hash_key(key),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation, key)
    return invitation


def _send_invitation(invitation: Invitation, key: str) -> None:
    from network.joining.tasks import deliver_invitation_email

    language = notifications.language_of(invitation.invited_by)
    rendered = notifications.render_message(
        "emails/network/invitation.txt",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "url": notifications.site_url(invitation_link(key)),
        },
        language,
    )
    pk, subject, body = invitation.pk, rendered.subject, rendered.body
    transaction.on_commit(
        lambda: notifications._enqueue(deliver_invitation_email, pk, subject, body)
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.open().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why the link cannot be used, in words for the person holding it; None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied the whole link.")
    state = invitation.state
    if state == "accepted":
        return _("This invitation has already been used.")
    if state == "revoked":
        return _("This invitation was withdrawn or replaced by a newer one.")
    if state == "expired":
        return _("This invitation expired on %(date)s. Ask %(name)s for a new one.") % {
            "date": timezone.localdate(invitation.expires_at).isoformat(),
            "name": invitation.organisation.name,
        }
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Affiliation:
    """Join the organisation with the invited role, once. A contact person staff added for the
    same address becomes the account's person (no second record of the same person)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise JoiningError(problem)
    person = _person_for_invitation(invitation, user)
    affiliation, created = Affiliation.objects.get_or_create(
        person=person, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == AffiliationRole.ADMIN:
        affiliation.role = AffiliationRole.ADMIN
        affiliation.save(update_fields=["role"])
    invitation.person = person  # the contact record may have been absorbed into it
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["person", "accepted_at", "accepted_by"])
    # Join requests to the same organisation are answered by this.
    JoinRequest.objects.filter(
        person=person, organisation=invitation.organisation, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.APPROVED, role=affiliation.role, decided_at=timezone.now())
    if invitation.invited_by_id:
        _tell(
            _users([invitation.invited_by_id]),
            kind="invitation_accepted",
            template="emails/network/invitation_accepted.txt",
            context={"invitation": invitation, "organisation": invitation.organisation},
            url=reverse("joining:people", kwargs={"slug": invitation.organisation.slug}),
        )
    return affiliation


def _person_for_invitation(invitation: Invitation, user) -> Person:
    contact = invitation.person
    if contact is None and invitation.email.casefold() == user.email.casefold():
        contact = (
            Person.objects.filter(
                user__isnull=True, email__iexact=user.email, organisations=invitation.organisation
            )
            .order_by("pk")
            .first()
        )
    own = Person.objects.filter(user=user).first()
    if contact is None or contact.user_id == user.pk:
        return own or person_of(user)
    if contact.user_id is not None:  # the contact is someone else's account: leave it be
        return own or person_of(user)
    if own is None:
        contact.user = user
        contact.email = contact.email or user.email
        contact.save(update_fields=["user", "email", "updated_at"])
        return contact
    _absorb(contact, into=own)
    return own


def _absorb(contact: Person, *, into: Person) -> None:
    """Move what points at a contact-only record to the account's person, then remove it."""
    for affiliation in contact.affiliations.all():
        if not Affiliation.objects.filter(
            person=into, organisation_id=affiliation.organisation_id
        ).exists():
            affiliation.person = into
            affiliation.save(update_fields=["person"])
    for relation in Person._meta.related_objects:
        if relation.one_to_many and relation.related_model is not Affiliation:
            relation.related_model._base_manager.filter(**{relation.field.name: contact}).update(
                **{relation.field.name: into}
            )
    contact.delete()


# --- People of an organisation ------------------------------------------------------------------
def _other_admins(affiliation: Affiliation) -> bool:
    return (
        Affiliation.objects.filter(
            organisation_id=affiliation.organisation_id,
            role=AffiliationRole.ADMIN,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .exclude(pk=affiliation.pk)
        .exists()
    )


def _is_last_admin(affiliation: Affiliation) -> bool:
    return affiliation.role == AffiliationRole.ADMIN and not _other_admins(affiliation)


@transaction.atomic
def affiliation_role_set(*, affiliation: Affiliation, role: str) -> Affiliation:
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if role not in AffiliationRole.values:
        raise JoiningError(_("Choose the role the person gets."))
    if role != AffiliationRole.ADMIN and _is_last_admin(affiliation):
        raise JoiningError(
            _("%(name)s is the last admin. Make someone else admin first.")
            % {"name": affiliation.person.full_name}
        )
    if role == AffiliationRole.ADMIN and affiliation.person.user_id is None:
        raise JoiningError(_("Only a person with an account can be an admin; invite them first."))
    affiliation.role = role
    affiliation.save(update_fields=["role"])
    return affiliation


@transaction.atomic
def affiliation_remove(*, affiliation: Affiliation) -> None:
    """Remove a person from the organisation (or leave it). The last admin must hand over."""
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if _is_last_admin(affiliation):
        raise JoiningError(
            _(
                "%(name)s is the last admin of %(organisation)s. Make someone else admin "
                "before leaving, so the organisation is not left without one."
            )
            % {"name": affiliation.person.full_name, "organisation": affiliation.organisation}
        )
    affiliation.delete()
