"""Business rules of matchmaking events. Views and tasks call these; each checks its input
and raises ValidationError (with a message for the person) before it changes anything."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterStaff, Membership
from matchmaking.events import scheduling
from matchmaking.events.models import (
    Access,
    Event,
    EventInvitation,
    EventSlot,
    EventTable,
    MeetingFeedback,
    MeetingRequest,
    Outcome,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Usefulness,
    meetings_held,
)
from matchmaking.events.suggestions import matches_between
from network.models import Affiliation
from network.notifications import notification_send, site_url

MAX_SLOTS = 100
MAX_TABLES = 500


def _notify(*, user, kind: str, template: str, context: dict, path: str, deadline=None):
    """One notification (inbox, and email by the person's choice), with the page's link."""
    return notification_send(
        user=user,
        kind=kind,
        template=template,
        context={**context, "recipient": user, "link": site_url(path)},
        url=path,
        deadline=deadline,
    )


# --- Events, slots, tables, invitations -------------------------------------------------------
@transaction.atomic
def event_save(*, event: Event, user=None) -> Event:
    """Create or update an event (the form filled its fields)."""
    if event.pk is None:
        event.created_by = user
    event.full_clean()
    event.save()
    return event


def _slot_times(event: Event) -> list[tuple[datetime, datetime]]:
    """The event's slots as (start, end), read once under the event's lock (at most
    MAX_SLOTS rows)."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    return list(event.slots.values_list("starts_at", "ends_at"))


def _overlaps(slots, starts_at: datetime, ends_at: datetime) -> bool:
    return any(start < ends_at and starts_at < end for start, end in slots)


def _check_slot(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("A slot must end after it starts."))
    first = timezone.make_aware(datetime.combine(event.start_date, datetime.min.time()))
    last = timezone.make_aware(
        datetime.combine(event.end_date + timedelta(days=1), datetime.min.time())
    )
    if starts_at < first or ends_at > last:
        raise ValidationError(_("A slot must lie within the event's days."))


@transaction.atomic
def slot_add(*, event: Event, starts_at: datetime, ends_at: datetime) -> EventSlot:
    _check_slot(event, starts_at, ends_at)
    existing = _slot_times(event)
    if _overlaps(existing, starts_at, ends_at):
        raise ValidationError(_("This slot overlaps another slot of the event."))
    if len(existing) >= MAX_SLOTS:
        raise ValidationError(_("An event has at most %(n)s slots.") % {"n": MAX_SLOTS})
    slot = EventSlot(event=event, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def slots_generate(
    *,
    event: Event,
    first_start: datetime,
    minutes: int,
    count: int,
    break_minutes: int = 0,
    pause_after: int = 0,
    pause_minutes: int = 0,
) -> list[EventSlot]:
    """`count` slots of `minutes`, `break_minutes` apart, with a longer pause after every
    `pause_after` slots (lunch). All or nothing: one overlap and no slot is made."""
    if minutes <= 0 or count <= 0 or break_minutes < 0 or pause_minutes < 0:
        raise ValidationError(_("Lengths and counts must be positive."))
    existing = _slot_times(event)
    if count + len(existing) > MAX_SLOTS:
        raise ValidationError(_("An event has at most %(n)s slots.") % {"n": MAX_SLOTS})
    made, start = [], first_start
    for index in range(count):
        end = start + timedelta(minutes=minutes)
        _check_slot(event, start, end)
        if _overlaps(existing, start, end):
            raise ValidationError(_("These slots overlap slots the event already has."))
        made.append(EventSlot(event=event, starts_at=start, ends_at=end))
        start = end + timedelta(minutes=break_minutes)
        if pause_after and (index + 1) % pause_after == 0:
            start += timedelta(minutes=pause_minutes)
    return EventSlot.objects.bulk_create(made)


@transaction.atomic
def slot_delete(*, slot: EventSlot) -> None:
    if slot.meetings.exists():
        raise ValidationError(_("Meetings are placed in this slot; move them first."))
    slot.delete()


@transaction.atomic
def tables_set(*, event: Event, count: int, online: bool = False) -> int:
    """Make the event have at least `count` tables (or online rooms), named 1, 2, ..."""
    if not 0 < count <= MAX_TABLES:
        raise ValidationError(_("Give between 1 and %(n)s tables.") % {"n": MAX_TABLES})
    existing = set(event.tables.values_list("name", flat=True))
    label = _("Room") if online else _("Table")
    new = [
        EventTable(event=event, name=f"{label} {n}")
        for n in range(1, count + 1)
        if f"{label} {n}" not in existing
    ][: max(0, count - len(existing))]
    EventTable.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def invitation_add(*, event: Event, organisation) -> EventInvitation:
    invitation, _created = EventInvitation.objects.get_or_create(
        event=event, organisation=organisation
    )
    return invitation


# --- Registration -----------------------------------------------------------------------------
def registration_refusal(event: Event, organisation, user, now=None) -> str | None:
    """Why `user` may not register `organisation` for `event` (None when they may)."""
    now = now or timezone.now()
    if not event.is_published:
        return _("The event is not open for registration.")
    if now < event.registration_opens:
        return _("Registration has not opened yet.")
    if now >= event.registration_closes:
        return _("Registration has closed.")
    if not Affiliation.objects.filter(organisation=organisation, person__user=user).exists():
        return _("You can only register an organisation you belong to.")
    if event.access == Access.MEMBERS:
        if (
            not Membership.objects.active()
            .filter(cluster_id=event.cluster_id, organisation=organisation)
            .exists()
        ):
            return _("Only members of %(cluster)s can register.") % {"cluster": event.cluster}
    elif not event.invitations.filter(organisation=organisation).exists():
        return _("This event is by invitation; your organisation has not been invited.")
    if event.registrations.filter(organisation=organisation).exists():
        return _("Your organisation is registered already.")
    return None


@transaction.atomic
def registration_create(
    *, event: Event, organisation, user, offer: str, looking_for: str, now=None
) -> Registration:
    refusal = registration_refusal(event, organisation, user, now)
    if refusal:
        raise ValidationError(refusal)
    registration = Registration(
        event=event,
        organisation=organisation,
        user=user,
        offer=offer,
        looking_for=looking_for,
        status=RegistrationStatus.PENDING
        if event.requires_approval
        else RegistrationStatus.APPROVED,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # registered by a colleague a moment ago
        raise ValidationError(_("Your organisation is registered already.")) from None
    if registration.status == RegistrationStatus.PENDING:
        for staff in ClusterStaff.objects.filter(cluster_id=event.cluster_id).select_related(
            "user"
        ):
            _notify(
                user=staff.user,
                kind="event_registration_pending",
                template="emails/events/registration_pending.txt",
                context={"registration": registration, "event": event},
                path=reverse("events:manage", args=[event.pk]),
            )
    return registration


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != RegistrationStatus.PENDING:
        raise ValidationError(_("This registration has been decided already."))
    locked.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    locked.save(update_fields=["status"])
    _notify(
        user=locked.user,
        kind="event_registration",
        template="emails/events/registration_decided.txt",
        context={"registration": locked, "event": locked.event, "approved": approve},
        path=reverse("events:detail", args=[locked.event_id]),
    )
    return locked


def _event_slot_ids(event: Event, slot_ids) -> set[int]:
    try:
        wanted = {int(s) for s in slot_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("Unknown slot.")) from None
    known = set(event.slots.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ValidationError(_("One of the slots is not this event's."))
    return known


@transaction.atomic
def availability_set(*, registration: Registration, unavailable_slot_ids) -> list[int]:
    """The slots the participant cannot make. Meetings placed in them lose their place (and
    the schedule is run again if it ran before). Returns the ids of the meetings unplaced."""
    event = registration.event
    slot_ids = _event_slot_ids(event, unavailable_slot_ids)
    registration.unavailable_slots.set(slot_ids)
    affected = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration), slot_id__in=slot_ids
    )
    ids = list(affected.values_list("pk", flat=True))
    if ids:
        MeetingRequest.objects.filter(pk__in=ids).update(slot=None, table=None, pinned=False)
        if event.schedule_ran_at:
            from matchmaking.events.tasks import schedule_event

            transaction.on_commit(lambda: schedule_event.delay(event.pk))
    return ids


# --- Meeting requests -------------------------------------------------------------------------
@transaction.atomic
def meeting_request_create(
    *, requester: Registration, recipient_id, message: str = ""
) -> MeetingRequest:
    event = requester.event
    if requester.status != RegistrationStatus.APPROVED:
        raise ValidationError(_("Only approved participants can ask for meetings."))
    try:
        recipient_id = int(recipient_id)
    except (TypeError, ValueError):
        raise ValidationError(_("Unknown participant.")) from None
    if recipient_id == requester.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."))
    recipient = Registration.objects.approved().filter(event=event, pk=recipient_id).first()
    if recipient is None:
        raise ValidationError(_("This participant is not at this event."))
    if recipient.organisation_id == requester.organisation_id:
        raise ValidationError(_("You cannot ask yourself for a meeting."))
    if MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester)
    ).exists():
        raise ValidationError(_("There is a request between you and them already."))
    meeting = MeetingRequest(event=event, requester=requester, recipient=recipient, message=message)
    meeting.full_clean()
    meeting.save()
    _notify(
        user=recipient.user,
        kind="event_request",
        template="emails/events/request_received.txt",
        context={"meeting": meeting, "event": event, "requester": requester.organisation},
        path=reverse("events:agenda", args=[event.pk]),
    )
    return meeting


@transaction.atomic
def meeting_request_answer(
    *, meeting: MeetingRequest, registration: Registration, accept: bool, reason: str = ""
) -> MeetingRequest:
    locked = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    if locked.recipient_id != registration.pk:
        raise ValidationError(_("Only the participant asked can answer this request."))
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has been answered already."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Say why you decline."))
    locked.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    locked.decline_reason = "" if accept else reason
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "decline_reason", "answered_at"])
    _notify(
        user=locked.requester.user,
        kind="event_request_answered",
        template="emails/events/request_answered.txt",
        context={"meeting": locked, "event": locked.event, "accepted": accept},
        path=reverse("events:agenda", args=[locked.event_id]),
    )
    return locked


# --- The schedule -----------------------------------------------------------------------------
def _problem(event: Event):
    slots = list(event.slots.values_list("pk", flat=True))
    tables = list(event.tables.values_list("pk", flat=True))
    unavailable = defaultdict(set)
    for registration_id, slot_id in Registration.unavailable_slots.through.objects.filter(
        registration__event=event
    ).values_list("registration_id", "eventslot_id"):
        unavailable[registration_id].add(slot_id)
    rows = MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED).values_list(
        "pk", "requester_id", "recipient_id", "slot_id", "table_id", "pinned"
    )
    meetings = [
        scheduling.Meeting(id=pk, a=a, b=b, slot=slot, table=table, pinned=pinned)
        for pk, a, b, slot, table, pinned in rows.order_by("pk")
    ]
    return meetings, slots, tables, unavailable


def schedule_problems(event: Event) -> list[str]:
    """What is wrong with the event's current schedule, in words (empty when nothing is)."""
    meetings, slots, tables, unavailable = _problem(event)
    placed = {m.id: (m.slot, m.table) for m in meetings if m.slot is not None}
    people = {m.id: (m.a, m.b) for m in meetings}
    texts = {
        "table": _("Meeting %(id)s shares its table with another meeting in the same slot."),
        "person": _("Meeting %(id)s: a participant has another meeting in the same slot."),
        "unavailable": _("Meeting %(id)s: a participant cannot make this slot."),
        "slot": _("Meeting %(id)s is in a slot that is not the event's."),
        "table_unknown": _("Meeting %(id)s is at a table that is not the event's."),
    }
    return [
        texts[rule] % {"id": mid}
        for rule, mid in scheduling.clashes(placed, people, unavailable, slots, tables)
    ]


def _notify_changes(event: Event, before: dict, after: dict) -> int:
    """Tell each participant whose meetings moved, appeared or went."""
    changed = {mid for mid in set(before) | set(after) if before.get(mid) != after.get(mid)}
    if not changed:
        return 0
    registrations = set()
    for requester_id, recipient_id in MeetingRequest.objects.filter(pk__in=changed).values_list(
        "requester_id", "recipient_id"
    ):
        registrations.update((requester_id, recipient_id))
    for registration in Registration.objects.filter(pk__in=registrations).select_related("user"):
        _notify(
            user=registration.user,
            kind="event_agenda_changed",
            template="emails/events/agenda_changed.txt",
            context={"event": event},
            path=reverse("events:agenda", args=[event.pk]),
        )
    return len(registrations)


def event_schedule(*, event_id: int, time_limit: float = 20.0, notify: bool = True) -> dict:
    """Place the event's accepted meetings (scheduling.schedule), keep what can stay, write
    the result and tell the people whose agenda changed (unless `notify` is off: the demo
    data's first schedule)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        meetings, slots, tables, unavailable = _problem(event)
        before = {m.id: (m.slot, m.table) for m in meetings if m.slot is not None}
        result = scheduling.schedule(
            meetings, slots, tables, unavailable, time_limit=time_limit, workers=2
        )
        changed = [
            mid for mid in {*before, *result.placed} if before.get(mid) != result.placed.get(mid)
        ]
        # Clear first so the (slot, table) constraint holds during the updates.
        MeetingRequest.objects.filter(pk__in=changed).update(slot=None, table=None)
        rows = []
        for mid in changed:
            slot, table = result.placed.get(mid, (None, None))
            if slot is not None:
                rows.append(MeetingRequest(pk=mid, slot_id=slot, table_id=table))
        MeetingRequest.objects.bulk_update(rows, ["slot", "table"], batch_size=500)
        MeetingRequest.objects.filter(pk__in=result.dropped).update(pinned=False)
        summary = {
            "placed": len(result.placed),
            "unplaced": len(result.unplaced),
            "kept": result.kept,
            "moved": len(changed),
            "optimal": result.optimal,
            "upper_bound": result.upper_bound,
            "seconds": round(result.seconds, 2),
        }
        event.schedule_ran_at = timezone.now()
        event.schedule_summary = summary
        event.save(update_fields=["schedule_ran_at", "schedule_summary"])
        if notify:
            _notify_changes(event, before, result.placed)
    return summary


def slots_not_suiting(meeting: MeetingRequest) -> tuple[set[int], set[int]]:
    """The slots in which one of the meeting's two has another meeting, and the slots one of
    them cannot make: what a move by hand must avoid."""
    people = (meeting.requester_id, meeting.recipient_id)
    busy = set(
        MeetingRequest.objects.filter(event_id=meeting.event_id, slot__isnull=False)
        .filter(Q(requester_id__in=people) | Q(recipient_id__in=people))
        .exclude(pk=meeting.pk)
        .values_list("slot_id", flat=True)
    )
    unavailable = set(
        Registration.unavailable_slots.through.objects.filter(
            registration_id__in=people
        ).values_list("eventslot_id", flat=True)
    )
    return busy, unavailable


@transaction.atomic
def meeting_move(*, meeting: MeetingRequest, slot_id, table_id) -> MeetingRequest:
    """Staff place a meeting by hand; it stays there when the schedule runs again. A place that
    would clash is refused with the reason."""
    event = meeting.event
    Event.objects.select_for_update().filter(pk=event.pk).first()
    meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Only accepted meetings can be placed."))
    slot = event.slots.filter(pk=slot_id).first() if str(slot_id).isdigit() else None
    table = event.tables.filter(pk=table_id).first() if str(table_id).isdigit() else None
    if slot is None or table is None:
        raise ValidationError(_("Choose one of this event's slots and tables."))
    if MeetingRequest.objects.filter(slot=slot, table=table).exclude(pk=meeting.pk).exists():
        raise ValidationError(_("Another meeting is at this table in this slot."))
    busy, unavailable = slots_not_suiting(meeting)
    if slot.pk in busy:
        raise ValidationError(_("One of the two has another meeting in this slot."))
    if slot.pk in unavailable:
        raise ValidationError(_("One of the two cannot make this slot."))
    before = {meeting.pk: (meeting.slot_id, meeting.table_id)}
    meeting.slot, meeting.table, meeting.pinned = slot, table, True
    meeting.save(update_fields=["slot", "table", "pinned"])
    problems = schedule_problems(event)
    if problems:  # checked again as a whole; nothing is saved when anything clashes
        raise ValidationError(problems)
    _notify_changes(event, before, {meeting.pk: (slot.pk, table.pk)})
    return meeting


# --- Reminders --------------------------------------------------------------------------------
def event_reminders_send(*, today=None) -> int:
    """The day before an event, each participant gets their agenda; once per event (claimed
    by a conditional update, so two workers do not both send)."""
    today = today or timezone.localdate()
    sent = 0
    for event in Event.objects.published().filter(start_date=today + timedelta(days=1)):
        with transaction.atomic():
            claimed = (
                Event.objects.filter(pk=event.pk)
                .exclude(reminders_sent_on=today)
                .update(reminders_sent_on=today)
            )
            if not claimed:
                continue
            agendas = agendas_of(event)
            for registration in event.registrations.approved().select_related("user"):
                meetings = agendas.get(registration.pk, [])
                _notify(
                    user=registration.user,
                    kind="event_reminder",
                    template="emails/events/reminder.txt",
                    context={"event": event, "meetings": meetings, "registration": registration},
                    path=reverse("events:agenda", args=[event.pk]),
                    deadline=event.start_date,
                )
                sent += 1
    return sent


def _agenda_rows(meetings):
    return (
        meetings.filter(status=RequestStatus.ACCEPTED)
        .select_related("slot", "table", "requester__organisation", "recipient__organisation")
        .order_by("slot__starts_at", "pk")
    )


def agenda_of(registration: Registration):
    """The participant's accepted meetings with their places, in time order."""
    return list(
        _agenda_rows(
            MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration))
        )
    )


def agendas_of(event: Event) -> dict[int, list[MeetingRequest]]:
    """Every participant's agenda_of(), by registration id, in one query."""
    agendas = defaultdict(list)
    for meeting in _agenda_rows(MeetingRequest.objects.filter(event=event)):
        agendas[meeting.requester_id].append(meeting)
        agendas[meeting.recipient_id].append(meeting)
    return agendas


# --- After the event --------------------------------------------------------------------------
@transaction.atomic
def meeting_feedback_give(
    *,
    meeting: MeetingRequest,
    registration: Registration,
    took_place: bool,
    usefulness=None,
    outcome: str = Outcome.NONE,
    user=None,
    today=None,
) -> MeetingFeedback:
    if registration.pk not in (meeting.requester_id, meeting.recipient_id):
        raise ValidationError(_("Only the two participants can say how the meeting went."))
    if meeting.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Only accepted meetings can be rated."))
    if not meeting.event.feedback_open(today):
        raise ValidationError(_("You can say how the meeting went once the event has begun."))
    if usefulness not in (None, "") and int(usefulness) not in Usefulness.values:
        raise ValidationError(_("Unknown usefulness."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    feedback, _created = MeetingFeedback.objects.update_or_create(
        meeting=meeting,
        registration=registration,
        defaults={
            "took_place": took_place,
            "usefulness": int(usefulness) if took_place and usefulness not in (None, "") else None,
            "outcome": outcome if took_place else Outcome.NONE,
        },
    )
    if took_place and feedback.usefulness and feedback.usefulness >= Usefulness.USEFUL:
        _rate_match_useful(meeting, registration, user)
    return feedback


def _rate_match_useful(meeting, registration, user) -> None:
    """A useful meeting between two organisations that matching paired counts as a "useful"
    rating of that match (the engine reads these: matchmaking.feedback), unless the side
    rated the pair already."""
    from matchmaking.models_introductions import Feedback, FeedbackKind

    mine = registration.organisation_id
    other = meeting.other_side(registration.pk).organisation_id
    for match in matches_between(mine, [other])[:5]:
        Feedback.objects.get_or_create(
            source_id=match.source_id,
            target_type=match.target_type,
            target_id=match.target_id,
            organisation_id=mine,
            kind__in=[FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT],
            defaults={"match": match, "kind": FeedbackKind.USEFUL, "user": user},
        )


# --- Figures ----------------------------------------------------------------------------------
def event_figures(events) -> dict:
    """Participants by kind, meetings requested, accepted, held, and those that led to an
    introduction or a project, over `events` (a queryset)."""
    registrations = Registration.objects.approved().filter(event__in=events)
    by_kind = dict(
        registrations.values_list("organisation__kind").annotate(n=Count("pk")).order_by()
    )
    requests = MeetingRequest.objects.filter(event__in=events)
    counts = requests.aggregate(
        requested=Count("pk"),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        scheduled=Count("pk", filter=Q(slot__isnull=False)),
        held=Count("pk", filter=meetings_held()),
        introduction=Count("pk", filter=meetings_held(Outcome.INTRODUCTION)),
        project=Count("pk", filter=meetings_held(Outcome.PROJECT)),
    )
    return {"participants": sum(by_kind.values()), "by_kind": by_kind, **counts}
