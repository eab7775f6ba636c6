"""Membership emails: who gets them, in which language, with which words.

Each message is rendered in its recipient's language (the user's chosen language, or the
organisation profile's language for a contact without a login) and handed to a Celery task
that sends it, so a failing mail server is retried without repeating messages already sent.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clusters.models import ClusterStaff, Membership, MembershipStatus
from network import deliveries, notifications, optouts
from network.models import Affiliation
from network.models.organisations import AffiliationRole

LANGUAGES = {"da", "nb", "en"}


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""
    user: object = None  # their login, if they have one: then their email choices apply


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str
    reply_to: str = ""
    # The address's own stop link (a contact without a login): sent as List-Unsubscribe.
    stop_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _language(value: str | None, fallback: str = "da") -> str:
    value = (value or "")[:2]
    return value if value in LANGUAGES else fallback


def organisation_recipients(organisation, primary_contact=None) -> list[Recipient]:
    """The organisation's admins with a login, and the membership's primary contact."""
    found: dict[str, Recipient] = {}
    admins = Affiliation.objects.filter(
        organisation=organisation,
        role=AffiliationRole.ADMIN,
        person__user__is_active=True,
    ).select_related("person__user")
    for affiliation in admins:
        user = affiliation.person.user
        found.setdefault(
            user.email.lower(),
            Recipient(user.email, _language(user.language), affiliation.person.full_name, user),
        )
    if primary_contact is not None and primary_contact.email:
        user = primary_contact.user
        language = _language(user.language if user else organisation.language)
        found.setdefault(
            primary_contact.email.lower(),
            Recipient(
                primary_contact.email,
                language,
                primary_contact.full_name,
                user if user is not None and user.is_active else None,
            ),
        )
    return list(found.values())


def staff_recipients(cluster) -> list[Recipient]:
    staff = ClusterStaff.objects.filter(cluster=cluster, user__is_active=True).select_related(
        "user"
    )
    return [
        Recipient(s.user.email, _language(s.user.language), s.user.get_full_name(), s.user)
        for s in staff
    ]


def _site_url(path: str) -> str:
    return notifications.site_url(path)


STATUS_SUBJECTS = {
    MembershipStatus.APPLIED: lambda: _("We have received your application to %(cluster)s"),
    MembershipStatus.ACTIVE: lambda: _("Your membership of %(cluster)s is active"),
    MembershipStatus.REJECTED: lambda: _("Your application to %(cluster)s"),
    MembershipStatus.WITHDRAWN: lambda: _("Your application to %(cluster)s was withdrawn"),
    MembershipStatus.LAPSED: lambda: _("Your membership of %(cluster)s has lapsed"),
    MembershipStatus.CANCELLED: lambda: _("Your membership of %(cluster)s was cancelled"),
}


def status_emails(record, previous_status: str | None) -> list[OutgoingEmail]:
    """Tell an organisation about one status change (a historical record).

    People with a login get it in their inbox and by email as they chose (the membership
    kind in their preference centre, with its unsubscribe link); a primary contact without a
    login gets the returned email. Each recipient hears of a change once, however often the
    task runs (network.deliveries). The reason is rendered in each recipient's language.
    """
    membership = Membership.objects.select_related(
        "organisation", "cluster", "tier", "primary_contact__user"
    ).get(pk=record.id)
    cluster, organisation = membership.cluster, membership.organisation
    renewed = previous_status in {MembershipStatus.ACTIVE, MembershipStatus.LAPSED} and (
        record.status == MembershipStatus.ACTIVE
    )
    applications_url = _site_url(reverse("clusters:my_applications"))
    messages = []
    for recipient in organisation_recipients(organisation, membership.primary_contact):
        key = f"{record.history_id}"
        with translation.override(recipient.language):
            if renewed:
                subject = _("Your membership of %(cluster)s was renewed")
            else:
                subject = STATUS_SUBJECTS[record.status]()
            context = {
                "recipient": recipient,
                "subject": subject % {"cluster": cluster.name},
                "organisation": organisation,
                "cluster": cluster,
                "record": record,
                "status": record.status,
                "renewed": renewed,
                "tier": membership.tier,
                "applications_url": applications_url,
            }
            if recipient.user is not None:
                if deliveries.delivery_claim(
                    kind="membership_status", key=key, user=recipient.user
                ):
                    notifications.notification_send(
                        user=recipient.user,
                        kind=f"membership_{record.status}",
                        template="emails/clusters/membership_status_notification.txt",
                        context=context,
                        url=reverse("clusters:my_applications"),
                    )
                continue
            if optouts.is_opted_out(recipient.email):
                continue  # the address asked for no emails (the link in an earlier one)
            if not deliveries.delivery_claim(
                kind="membership_status", key=key, address=recipient.email
            ):
                continue
            body = optouts.with_footer(
                render_to_string("emails/clusters/membership_status.txt", context),
                recipient.email,
                recipient.language,
            )
            messages.append(
                OutgoingEmail(
                    recipient.email,
                    context["subject"],
                    body,
                    cluster.email,
                    optouts.stop_url(recipient.email),
                )
            )
    return messages


@transaction.atomic
def staff_emails(membership: Membership, event: str) -> list[OutgoingEmail]:
    """Tell a cluster's staff that an organisation applied or withdrew its application: in
    their inbox, and by email as each chose (the membership kind). Once per person and event,
    however often the task runs. Returns no direct emails (all staff have a login)."""
    cluster, organisation = membership.cluster, membership.organisation
    path = reverse("clusters:membership_detail", args=[cluster.slug, membership.pk])
    key = f"{membership.pk}:{event}:{membership.status_changed_at.isoformat()}"
    for recipient in staff_recipients(cluster):
        if not deliveries.delivery_claim(kind="membership_staff", key=key, user=recipient.user):
            continue
        with translation.override(recipient.language):
            if event == "withdrawn":
                subject = _("%(organisation)s withdrew its application to %(cluster)s")
            else:
                subject = _("New application to %(cluster)s from %(organisation)s")
            subject %= {"cluster": cluster.name, "organisation": organisation.name}
        notifications.notification_send(
            user=recipient.user,
            kind=f"membership_application_{event}",
            template="emails/clusters/staff_application_notification.txt",
            context={
                "subject": subject,
                "recipient": recipient,
                "organisation": organisation,
                "cluster": cluster,
                "membership": membership,
                "event": event,
                "url": _site_url(path),
            },
            url=path,
        )
    return []


@transaction.atomic
def membership_reminder_send(*, membership: Membership, stage: str, now=None) -> int:
    """Remind the organisation's people that the period ends (or has ended and is in grace).

    Each person once per period and stage: the delivery row and the queued email commit
    together. People with a login get it in their inbox and by email as they chose, at once
    when the date falls before their next digest; contacts without a login by email.
    """
    from clusters import periods
    from clusters.tasks import deliver_email

    cluster, organisation = membership.cluster, membership.organisation
    lapses_on = periods.lapses_on(period_end=membership.period_end, grace_days=cluster.grace_days)
    # The last day the membership runs: the period's end, or in grace the day before it lapses.
    last_day = membership.period_end if stage != "grace" else lapses_on - timedelta(days=1)
    context = {
        "organisation": organisation,
        "cluster": cluster,
        "membership": membership,
        "stage": stage,
        "last_day": last_day,
        "lapses_on": lapses_on,
        "applications_url": _site_url(reverse("clusters:my_applications")),
    }
    key = f"{membership.pk}:{membership.period_end.isoformat()}:{stage}"
    sent = 0
    for recipient in organisation_recipients(organisation, membership.primary_contact):
        if recipient.user is None and optouts.is_opted_out(recipient.email):
            continue  # the address asked for no emails (the link in an earlier one)
        claim = {"user": recipient.user} if recipient.user else {"address": recipient.email}
        if not deliveries.delivery_claim(kind="membership_reminder", key=key, now=now, **claim):
            continue
        if recipient.user is not None:
            if notifications.notification_send(
                user=recipient.user,
                kind="membership_reminder",
                template="emails/clusters/membership_reminder.txt",
                context={**context, "recipient": recipient},
                url=reverse("clusters:my_applications"),
                deadline=last_day,
            ):
                sent += 1
            continue
        rendered = notifications.render_message(
            "emails/clusters/membership_reminder.txt",
            {**context, "recipient": recipient, "without_login": True},
            recipient.language,
        )
        message = OutgoingEmail(
            recipient.email,
            rendered.subject,
            optouts.with_footer(rendered.body, recipient.email, recipient.language),
            cluster.email,
            optouts.stop_url(recipient.email),
        )
        transaction.on_commit(lambda message=message: deliver_email.delay(message.as_dict()))
        sent += 1
    return sent
