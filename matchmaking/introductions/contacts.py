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
from network.models.organisations import AffiliationRole


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


def _people_of(organisation_ids, actors: dict[int, int]) -> dict[int, list[Person]]:
    """Each organisation's contact people, by name, in one query: the person who asked or
    answered for it (`actors`: organisation id -> user id) and its primary contacts; its admins
    (up to three) if there are neither."""
    from network.models import Affiliation

    wanted = Q(is_primary_contact=True) | Q(role=AffiliationRole.ADMIN)
    for organisation_id, user_id in actors.items():
        wanted |= Q(organisation_id=organisation_id, person__user_id=user_id)
    rows = (
        Affiliation.objects.filter(wanted, organisation_id__in=organisation_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    chosen, admins = {}, {}
    for row in rows:
        actor = actors.get(row.organisation_id)
        if row.is_primary_contact or (actor is not None and row.person.user_id == actor):
            chosen.setdefault(row.organisation_id, []).append(row.person)
        if row.role == AffiliationRole.ADMIN:
            admins.setdefault(row.organisation_id, []).append(row.person)
    return {pk: chosen.get(pk) or admins.get(pk, [])[:3] for pk in organisation_ids}


def _named_for_need(introduction: Introduction, joined) -> dict[int, list[Person]]:
    """For a shared need: the contact person each included organisation named when it joined."""
    from matchmaking.models_sharing import NeedShare

    if not joined:
        return {}
    return {
        share.organisation_id: [share.contact]
        for share in NeedShare.objects.filter(
            need_id=introduction.match.need_id, organisation__in=joined, contact__isnull=False
        ).select_related("contact")
    }


def details_shared(introduction: Introduction) -> bool:
    return introduction.is_agreed


def contact_people(introduction: Introduction) -> list[tuple]:
    """(side, organisation, people) of both sides and, for a shared need, of each included
    organisation (on the partner's side: the contact it named when it joined, else as any
    side's): whom the cards are about, the same for every viewer. One or two queries however
    many organisations take part."""
    asker, answerer = introduction.requested_by_id, introduction.responded_by_id
    if introduction.invited_by_target:
        asker, answerer = answerer, asker
    sides = [
        ("company", introduction.source, asker),
        ("partner", introduction.target_organisation, answerer),
    ]
    joined = introduction.joined_list
    people = _named_for_need(introduction, joined)
    people |= _people_of(
        [organisation.pk for _side, organisation, _actor in sides]
        + [organisation.pk for organisation in joined if organisation.pk not in people],
        actors={organisation.pk: actor for _side, organisation, actor in sides if actor},
    )
    return [(side, organisation, people[organisation.pk]) for side, organisation, _a in sides] + [
        ("partner", organisation, people[organisation.pk]) for organisation in joined
    ]


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
