"""Who may let whom into an organisation. Predicates only; the writes are in services.py.

- An organisation's admins invite colleagues and answer their join requests.
- An organisation without admins is looked after by the staff of its clusters (members and
  applicants; registered by clusters through network.hooks), then by the network admins.
- Public bodies (municipalities, regions, hospitals) are never self-administered by whoever asks
  first: the staff who look after them answer join requests, and network admins always may.
"""

from network import hooks
from network.models import Affiliation, Organisation, User
from network.models.organisations import AffiliationRole, OrganisationKind

PUBLIC_BODY_KINDS = {
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.REGION,
    OrganisationKind.HOSPITAL,
}
# Kinds a person may register themselves; the rest come from reference data or staff.
SELF_REGISTERED_KINDS = [
    OrganisationKind.SME,
    OrganisationKind.LARGE_COMPANY,
    OrganisationKind.LIVING_LAB,
    OrganisationKind.INVESTOR,
    OrganisationKind.PATIENT_ORGANISATION,
    OrganisationKind.GTS_INSTITUTE,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.UNIVERSITY_COLLEGE,
]


def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


def is_public_body(organisation: Organisation) -> bool:
    return organisation.kind in PUBLIC_BODY_KINDS


def admin_ids(organisation: Organisation) -> set[int]:
    return set(
        Affiliation.objects.filter(
            organisation=organisation,
            role=AffiliationRole.ADMIN,
            person__user__isnull=False,
            person__user__is_active=True,
        ).values_list("person__user_id", flat=True)
    )


def staff_ids(organisation: Organisation) -> set[int]:
    """The cluster staff who look after the organisation (see network.hooks.stewards_of)."""
    return hooks.stewards_of(organisation.pk)


def approver_ids(organisation: Organisation) -> set[int]:
    """Who answers a join request: see the module's rules. Never empty while the network has
    an admin."""
    if is_public_body(organisation):
        ids = staff_ids(organisation)
    else:
        ids = admin_ids(organisation) or staff_ids(organisation)
    if not ids:
        ids = set(
            User.objects.filter(is_network_admin=True, is_active=True).values_list("pk", flat=True)
        )
    return ids


def may_answer_join_requests(user, organisation: Organisation) -> bool:
    if is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.pk in approver_ids(organisation)


def may_manage_people(user, organisation: Organisation) -> bool:
    """Invite, change roles, remove: the organisation's admins (and network admins)."""
    if is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.pk in admin_ids(organisation)


def may_invite_contacts(user, organisation: Organisation) -> bool:
    """Staff who look after an organisation may invite the contact persons they added."""
    return may_manage_people(user, organisation) or (
        user is not None and user.is_authenticated and user.pk in staff_ids(organisation)
    )
