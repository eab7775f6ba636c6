"""Personal data: what the portal holds about a person, and how it is erased.

Each app registers a section for the export and, where it holds personal data of its own, an
eraser; the account deletion runs them all in one transaction. Organisations' records and the
figures reported to funders stay: people are anonymised, not their organisations' history.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from network.models import Person, User


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[User], object]
    erase: Callable[[User], None] | None = None


SECTIONS: list[Section] = []


def register(name: str, export, erase=None) -> None:
    if not any(section.name == name for section in SECTIONS):
        SECTIONS.append(Section(name, export, erase))


def personal_data_export(user: User) -> dict:
    return {
        "exported_at": timezone.now().isoformat(),
        **{section.name: section.export(user) for section in SECTIONS},
    }


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Anonymise the person and close the login. Rows that other records point to (history,
    memberships, projects) stay, so figures and audit trails remain correct."""
    for section in reversed(SECTIONS):
        if section.erase:
            section.erase(user)
    _end_sessions(user)
    user.email = f"deleted-{user.pk}@invalid.example"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_network_admin = False
    user.set_unusable_password()
    user.save()


def _end_sessions(user: User) -> None:
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


# --- The directory's own sections -------------------------------------------------------------


def _export_account(user: User) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": list(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }


def _erase_account(user: User) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()


def _export_person(user: User) -> dict | None:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return None
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "contact_public": person.contact_public,
        "directory_consent": person.directory_consent,
        "consent_given_at": person.consent_given_at.isoformat()
        if person.consent_given_at
        else None,
        "organisations": [
            {"organisation": a.organisation.name, "role": a.role}
            for a in person.affiliations.select_related("organisation")
        ],
    }


def _erase_person(user: User) -> None:
    for person in Person.objects.filter(user=user):
        person.affiliations.all().delete()
        person.first_name = "—"
        person.last_name = ""
        person.job_title = ""
        person.email = ""
        person.phone = ""
        person.contact_public = False
        person.directory_consent = False
        person.consent_given_at = None
        person.user = None
        person.save()


register("account", _export_account, _erase_account)
register("person", _export_person, _erase_person)
