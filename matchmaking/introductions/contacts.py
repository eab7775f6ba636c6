"""Which contact details of an introduction's people a viewer may see.

The rule (design.md, section 3): a person's email and phone are shown to the other party only
once both sides have said yes (accepted, then met), or when the person made them public.
Hidden details never leave this module: the cards carry empty strings, so no template, export
or email can show them by mistake.
"""

from dataclasses import dataclass

from django.db.models import Q

from matchmaking.models_introductions import Introduction
from network.models import Person


@dataclass(frozen=True)
class ContactCard:
    name: str
    job_title: str
    organisation: str
    side: str  # "company" or "partner"
    email: str = ""
    phone: str = ""

    @property
    def has_details(self) -> bool:
        return bool(self.email or self.phone)


def _people(introduction: Introduction, organisation_id: int, actor_id: int | None):
    """The side's contact people: the person who asked or answered for it, and the
    organisation's primary contacts; its admins if there are neither."""
    wanted = Q(affiliations__organisation_id=organisation_id, affiliations__is_primary_contact=True)
    if actor_id:
        wanted |= Q(affiliations__organisation_id=organisation_id, user_id=actor_id)
    chosen = list(Person.objects.filter(wanted).distinct().order_by("last_name", "first_name"))
    if not chosen:
        chosen = list(
            Person.objects.filter(
                affiliations__organisation_id=organisation_id, affiliations__role="admin"
            ).order_by("last_name", "first_name")[:3]
        )
    return chosen


def _joined_sides(introduction: Introduction) -> list[tuple]:
    """For a shared need: each included organisation's contact person (the one it named when
    it joined the need, else its primary contacts, else up to three admins), on the partner's
    side. Two queries however many organisations are included."""
    from matchmaking.models_sharing import NeedShare
    from network.models import Affiliation

    joined = introduction.joined_list
    if not joined:
        return []
    people = {
        share.organisation_id: [share.contact]
        for share in NeedShare.objects.filter(
            need_id=introduction.match.need_id, organisation__in=joined, contact__isnull=False
        ).select_related("contact")
    }
    rest = [organisation.pk for organisation in joined if organisation.pk not in people]
    if rest:
        primary, admins = {}, {}
        rows = (
            Affiliation.objects.filter(organisation__in=rest)
            .filter(Q(is_primary_contact=True) | Q(role="admin"))
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        for row in rows:
            if row.is_primary_contact:
                primary.setdefault(row.organisation_id, []).append(row.person)
            if row.role == "admin":
                admins.setdefault(row.organisation_id, []).append(row.person)
        for pk in rest:
            people[pk] = primary.get(pk) or admins.get(pk, [])[:3]
    return [("partner", organisation, people[organisation.pk]) for organisation in joined]


def details_shared(introduction: Introduction) -> bool:
    return introduction.is_agreed


def contact_people(introduction: Introduction) -> list[tuple]:
    """(side, organisation, people) of both sides and, for a shared need, of each included
    organisation: whom the cards are about, the same for every viewer."""
    asker, answerer = introduction.requested_by_id, introduction.responded_by_id
    if introduction.invited_by_target:
        asker, answerer = answerer, asker
    sides = [
        ("company", introduction.source, asker),
        ("partner", introduction.target_organisation, answerer),
    ]
    return [
        (side, organisation, _people(introduction, organisation.pk, actor_id))
        for side, organisation, actor_id in sides
    ] + _joined_sides(introduction)


def contacts_visible_to(*, user, introduction: Introduction, people=None) -> list[ContactCard]:
    """Contact cards of both sides as `user` may see them.

    Callers fetch the introduction through `get_introduction_for_user` (or visible_to), so the
    viewer is a party, staff of a party's cluster or a network admin. A viewer always sees
    their own side's details; the other side's only after both said yes or if made public.
    `people`: contact_people(introduction) when already read (a notification to many).
    """
    from network.models import Affiliation

    shared = details_shared(introduction)
    # The viewer's organisations, read once however many organisations take part.
    mine = (
        set(Affiliation.objects.filter(person__user=user).values_list("organisation_id", flat=True))
        if user is not None and user.is_authenticated
        else set()
    )
    if people is None:
        people = contact_people(introduction)
    cards = []
    for side, organisation, persons in people:
        own_side = organisation.pk in mine
        for person in persons:
            visible = shared or own_side or person.contact_public
            cards.append(
                ContactCard(
                    name=person.full_name,
                    job_title=person.job_title,
                    organisation=organisation.name,
                    side=side,
                    email=person.email if visible else "",
                    phone=person.phone if visible else "",
                )
            )
    return cards
