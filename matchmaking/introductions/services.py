"""Every write of an introduction, and who hears about it.

Each function checks the life cycle (transitions.check), saves with full_clean() in one
transaction (history kept by simple_history), moves the match's status along, and tells the
people concerned through network.notifications: an inbox entry in their language, and an email
at once or in the weekly digest, as each of them chose.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.introductions.contacts import contact_people, contacts_visible_to
from matchmaking.introductions.transitions import Action, IntroductionError, check
from matchmaking.models import Match, MatchStatus
from matchmaking.models_introductions import (
    OPEN_STATUSES,
    Feedback,
    FeedbackKind,
    Introduction,
    IntroductionStatus,
)
from network import deliveries, notifications

NUDGE_INTERVAL = timedelta(days=1)

# The match follows its introduction (Match's own life cycle, design.md section 4).
MATCH_STATUS = {
    IntroductionStatus.REQUESTED: MatchStatus.REQUESTED,
    IntroductionStatus.ACCEPTED: MatchStatus.ACCEPTED,
    IntroductionStatus.DECLINED: MatchStatus.DECLINED,
    # Nothing came of it. Not "suggested" again: runs delete suggested matches that leave the
    # lists, and the introduction's record must stay. Asking again is allowed all the same.
    IntroductionStatus.EXPIRED: MatchStatus.DECLINED,
    IntroductionStatus.MET: MatchStatus.INTRODUCED,
}


def expiry_days() -> int:
    return max(1, int(settings.INTRODUCTION_EXPIRY_DAYS))


def reminder_days() -> int:
    return max(0, min(int(settings.INTRODUCTION_REMINDER_DAYS), expiry_days() - 1))


def target_owner(match: Match):
    target = match.target
    return target.owner if target is not None else None


def target_name(match: Match) -> str:
    target = match.target
    if target is None:
        return ""
    return getattr(target, "title", "") or getattr(target, "name", "")


people_of = notifications.logins_of  # whom an introduction's news goes to


def _link(introduction: Introduction) -> str:
    return introduction.get_absolute_url()


def _notify(
    users, *, kind: str, template: str, introduction: Introduction, deadline=None, **extra
) -> int:
    sent = 0
    people = None  # whom the contact cards are about: read for the first recipient only
    for user in users:
        context = {
            "introduction": introduction,
            "target_name": target_name(introduction.match),
            "url": notifications.site_url(_link(introduction)),
            "recipient": user,
            "asker": introduction.asking_organisation,
            "answerer": introduction.answering_organisation,
            **extra,
        }
        if "contacts" in extra:
            # Each recipient gets the cards as they may see them.
            if people is None:
                people = contact_people(introduction)
            context["contacts"] = contacts_visible_to(
                user=user, introduction=introduction, people=people
            )
        if notifications.notification_send(
            user=user,
            kind=kind,
            template=f"emails/matchmaking/{template}.txt",
            context=context,
            url=_link(introduction),
            deadline=deadline,
        ):
            sent += 1
    return sent


def _set_match_status(introduction: Introduction) -> None:
    Match.objects.filter(pk=introduction.match_id).update(
        status=MATCH_STATUS[introduction.status], updated_at=timezone.now()
    )


def _save(introduction: Introduction, fields: list[str]) -> Introduction:
    # The request's message is not checked again: answers never change it, and erasure blanks
    # it when the person who asked deletes their account (network.gdpr), which must not stop
    # the other side from answering.
    introduction.full_clean(exclude=["message"])
    introduction.save(update_fields=[*fields, "updated_at"])
    _set_match_status(introduction)
    return introduction


# --- Request -------------------------------------------------------------------------------
def _open(
    *, match: Match, user, message: str, now=None, include_joined: bool = True, **fields
) -> Introduction:
    """Create an open introduction for `match` (whichever side asks), once: checks that the
    target still exists and is not the company itself, and that none is open for the match.
    For a shared need, the organisations that joined it are included unless `include_joined`
    is False (matchmaking.sharing), and hear of it."""
    now = now or timezone.now()
    owner = target_owner(match)
    if owner is None:
        raise IntroductionError(_("This match's target no longer exists."), code="gone")
    if owner.pk == match.source_id:
        raise IntroductionError(_("An organisation cannot ask itself for an introduction."))
    match = Match.objects.select_for_update().get(pk=match.pk)
    already = _("An introduction for this match has already been requested.")
    if Introduction.objects.filter(match=match, status__in=OPEN_STATUSES).exists():
        raise IntroductionError(already, code="exists")
    introduction = Introduction(
        match=match,
        source_id=match.source_id,
        target_organisation=owner,
        requested_by=user,
        message=(message or "").strip(),
        requested_at=now,
        expires_at=deliveries.same_time_days_later(now, expiry_days()),
        **fields,
    )
    introduction.full_clean()
    try:
        with transaction.atomic():
            introduction.save()
    except IntegrityError as exc:  # a second request won the race
        raise IntroductionError(already, code="exists") from exc
    if include_joined and match.need_id:
        from matchmaking.models_sharing import NeedShare

        joined = NeedShare.objects.filter(need_id=match.need_id).exclude(
            organisation_id__in=[match.source_id, owner.pk]
        )
        introduction.joined_organisations.set(joined.values_list("organisation_id", flat=True))
    _set_match_status(introduction)
    _notify_joined(introduction)
    return introduction


def _notify_joined(introduction: Introduction, *, exclude=None) -> int:
    """The organisations of a shared need included in the introduction hear of each step."""
    joined = [organisation.pk for organisation in introduction.joined_list]
    if not joined:
        return 0
    return _notify(
        people_of(*joined, exclude=exclude),
        kind="introduction_shared",
        template="introduction_shared",
        introduction=introduction,
        status=introduction.get_status_display(),
        owner=introduction.target_organisation,
    )


@transaction.atomic
def introduction_request(
    *, match: Match, user, message: str, now=None, include_joined: bool = True
) -> Introduction:
    """Ask the owner of the match's target to meet the company (and, for a shared need, the
    organisations that joined it, unless `include_joined` is False)."""
    from matchmaking.introductions.permissions import belongs_to

    introduction = _open(
        match=match,
        user=user,
        message=message,
        now=now,
        include_joined=include_joined,
        on_behalf=not belongs_to(user, match.source_id),
    )
    _notify(
        people_of(introduction.target_organisation_id),
        kind="introduction_requested",
        template="introduction_requested",
        introduction=introduction,
        deadline=introduction.expires_at,  # at once if it expires before their next digest
    )
    if introduction.on_behalf:
        _notify(
            people_of(match.source_id),
            kind="introduction_requested_on_behalf",
            template="introduction_requested_on_behalf",
            introduction=introduction,
        )
    return introduction


@transaction.atomic
def introduction_invite(
    *, match: Match, user, message: str, now=None, include_joined: bool = True
) -> Introduction:
    """The target's owner invites the company to an introduction; the company answers. Double
    opt-in as before: contact details are shown only once the company accepts."""
    introduction = _open(
        match=match,
        user=user,
        message=message,
        now=now,
        include_joined=include_joined,
        invited_by_target=True,
    )
    _notify(
        people_of(match.source_id),
        kind="introduction_requested",
        template="introduction_invited",
        introduction=introduction,
        deadline=introduction.expires_at,
    )
    return introduction


# --- Answers -------------------------------------------------------------------------------
def _locked(introduction: Introduction) -> Introduction:
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    for name in ("match", "source", "target_organisation"):
        setattr(locked, name, getattr(introduction, name))
    return locked


@transaction.atomic
def introduction_accept(*, introduction: Introduction, user, now=None) -> Introduction:
    """The asked organisation says yes: both sides now see each other's contact people."""
    introduction = _locked(introduction)
    check(introduction.status, Action.ACCEPT)
    introduction.status = IntroductionStatus.ACCEPTED
    introduction.responded_at = now or timezone.now()
    introduction.responded_by = user
    _save(introduction, ["status", "responded_at", "responded_by"])
    _notify(
        people_of(introduction.asking_id),
        kind="introduction_accepted",
        template="introduction_accepted",
        introduction=introduction,
        contacts=True,
    )
    _notify(
        people_of(introduction.answering_id, exclude=user),
        kind="introduction_accepted",
        template="introduction_accepted_colleagues",
        introduction=introduction,
        contacts=True,
    )
    _notify_joined(introduction)
    return introduction


@transaction.atomic
def introduction_decline(*, introduction: Introduction, user, reason: str, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise IntroductionError(_("Please give the company a reason."), code="reason")
    introduction = _locked(introduction)
    check(introduction.status, Action.DECLINE)
    introduction.status = IntroductionStatus.DECLINED
    introduction.responded_at = now or timezone.now()
    introduction.responded_by = user
    introduction.decline_reason = reason
    _save(introduction, ["status", "responded_at", "responded_by", "decline_reason"])
    _notify(
        people_of(introduction.asking_id),
        kind="introduction_declined",
        template="introduction_declined",
        introduction=introduction,
    )
    _notify_joined(introduction)
    return introduction


@transaction.atomic
def introduction_expire(*, introduction: Introduction, now=None) -> Introduction:
    """Nobody answered in time: the company, the asked organisation and the company's cluster
    staff (in their summary) hear of it."""
    introduction = _locked(introduction)
    check(introduction.status, Action.EXPIRE)
    introduction.status = IntroductionStatus.EXPIRED
    _save(introduction, ["status"])
    _notify(
        people_of(introduction.asking_id),
        kind="introduction_expired",
        template="introduction_expired",
        introduction=introduction,
    )
    _notify(
        people_of(introduction.answering_id),
        kind="introduction_expired_asked",
        template="introduction_expired_asked",
        introduction=introduction,
    )
    _notify_joined(introduction)
    for cluster_id, staff in _cluster_staff_of(introduction.source_id).items():
        # The kind names the cluster, so each cluster's summary lists its own members' requests.
        _notify(
            staff,
            kind=f"staff_digest_{cluster_id}_introduction_expired",
            template="introduction_expired_staff",
            introduction=introduction,
        )
    return introduction


def _cluster_staff_of(organisation_id: int) -> dict[int, list]:
    """{cluster id: its active staff users} for the clusters the organisation is a member of."""
    from clusters.models import ClusterStaff, MembershipStatus

    staff: dict[int, list] = {}
    rows = (
        ClusterStaff.objects.filter(
            cluster__memberships__organisation_id=organisation_id,
            cluster__memberships__status=MembershipStatus.ACTIVE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("cluster_id", "user_id")
    )
    for row in rows:
        staff.setdefault(row.cluster_id, []).append(row.user)
    return staff


@transaction.atomic
def introduction_remind(*, introduction: Introduction, now=None) -> Introduction:
    """Before a request expires, remind the asked organisation once, naming the date."""
    now = now or timezone.now()
    updated = Introduction.objects.filter(
        pk=introduction.pk, status=IntroductionStatus.REQUESTED, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now, updated_at=now)
    if not updated:
        return introduction  # done already (another worker, or answered meanwhile)
    introduction.reminder_sent_at = now
    _notify(
        people_of(introduction.answering_id),
        kind="introduction_reminder",
        template="introduction_reminder",
        introduction=introduction,
        # Calendar days in the portal's time zone: "tomorrow" is the next date, not 24 hours.
        days_left=max(
            deliveries.days_until(
                deliveries.local_day(introduction.expires_at), today=deliveries.local_day(now)
            ),
            0,
        ),
        expires_at=introduction.expires_at,
        deadline=introduction.expires_at,
    )
    return introduction


def introductions_expire_and_remind(*, now=None) -> dict:
    """Hourly (beat): expire unanswered requests, remind those about to expire."""
    now = now or timezone.now()
    expired = reminded = 0
    for introduction in Introduction.objects.due_for_expiry(now).with_related().iterator():
        try:
            introduction_expire(introduction=introduction, now=now)
            expired += 1
        except IntroductionError:
            continue  # answered meanwhile
    due = Introduction.objects.due_for_reminder(now=now, reminder_days=reminder_days())
    for introduction in due.with_related().iterator():
        introduction_remind(introduction=introduction, now=now)
        reminded += 1
    return {"expired": expired, "reminded": reminded}


# --- After the introduction ------------------------------------------------------------------
def _organisation_of(user, introduction: Introduction) -> int:
    from matchmaking.introductions.permissions import belongs_to

    if belongs_to(user, introduction.source_id):
        return introduction.source_id
    return introduction.target_organisation_id


@transaction.atomic
def introduction_mark_met(
    *, introduction: Introduction, user, outcome: str = "", comment: str = "", now=None
) -> Introduction:
    """Either side reports the first meeting took place, optionally with how it went."""
    introduction = _locked(introduction)
    check(introduction.status, Action.MEET)
    introduction.status = IntroductionStatus.MET
    introduction.met_at = now or timezone.now()
    _save(introduction, ["status", "met_at"])
    _notify_joined(introduction, exclude=user)
    if outcome or comment:
        meeting_feedback_record(
            introduction=introduction, user=user, outcome=outcome, comment=comment
        )
    from matchmaking.services import match_run_for_changes

    match_run_for_changes(changes=[("sme", introduction.source_id)])
    return introduction


@transaction.atomic
def meeting_feedback_record(*, introduction: Introduction, user, outcome: str, comment: str = ""):
    if introduction.status != IntroductionStatus.MET:
        raise IntroductionError(_("Tell us about the meeting once it has taken place."))
    organisation_id = _organisation_of(user, introduction)
    feedback = Feedback.objects.filter(
        introduction=introduction, organisation_id=organisation_id, kind=FeedbackKind.MEETING
    ).first() or Feedback(
        introduction=introduction,
        match_id=introduction.match_id,
        source_id=introduction.source_id,
        target_type=introduction.match.target_type,
        target_id=introduction.match.target_id,
        organisation_id=organisation_id,
        kind=FeedbackKind.MEETING,
    )
    feedback.user = user
    feedback.outcome = outcome
    feedback.reason = (comment or "").strip()
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    return feedback


@transaction.atomic
def introduction_nudge(*, introduction: Introduction, user, now=None) -> int:
    """Cluster staff follow up: a waiting request reminds the asked organisation; an accepted
    one asks both sides whether they have met. At most once a day."""
    now = now or timezone.now()
    if introduction.status not in (IntroductionStatus.REQUESTED, IntroductionStatus.ACCEPTED):
        raise IntroductionError(_("There is nothing to follow up on this introduction."))
    claimed = (
        Introduction.objects.filter(pk=introduction.pk)
        .exclude(last_nudged_at__gt=now - NUDGE_INTERVAL)
        .update(last_nudged_at=now, updated_at=now)
    )
    if not claimed:
        raise IntroductionError(_("Someone followed up on this introduction today already."))
    if introduction.status == IntroductionStatus.REQUESTED:
        users = people_of(introduction.answering_id)
    else:
        users = people_of(introduction.source_id, introduction.target_organisation_id)
    return _notify(
        users,
        kind="introduction_nudge",
        template="introduction_nudge",
        introduction=introduction,
        nudged_by=user,
    )


# --- Ratings of matches ----------------------------------------------------------------------
@transaction.atomic
def match_feedback_record(*, match: Match, user, organisation_id: int, kind: str, reason: str = ""):
    """A rating of a match ("useful" / "not relevant" with a reason) for one organisation;
    rating again replaces it. The company's matches are recomputed with it."""
    if kind not in (FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT):
        raise IntroductionError(_("Choose useful or not relevant."))
    reason = (reason or "").strip()
    if kind == FeedbackKind.NOT_RELEVANT and not reason:
        raise IntroductionError(_("Please tell us why it is not relevant."), code="reason")
    pair = {
        "source_id": match.source_id,
        "target_type": match.target_type,
        "target_id": match.target_id,
    }
    feedback = Feedback.objects.filter(
        **pair,
        organisation_id=organisation_id,
        kind__in=[FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT],
    ).first() or Feedback(**pair, organisation_id=organisation_id)
    feedback.match = match
    feedback.kind = kind
    feedback.user = user
    feedback.reason = reason
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    from matchmaking.services import match_run_for_changes

    match_run_for_changes(changes=[("sme", match.source_id)])
    return feedback


# --- What came of it ---------------------------------------------------------------------------
@transaction.atomic
def introduction_project_started(*, introduction: Introduction) -> bool:
    """A project was started from this introduction: its match moves to "project started".

    Only an introduction both sides agreed to can lead to a project; returns False (and changes
    nothing) for any other. Called by the projects app when it records such a project."""
    if introduction.status not in (IntroductionStatus.ACCEPTED, IntroductionStatus.MET):
        return False
    return bool(
        Match.objects.filter(pk=introduction.match_id).update(
            status=MatchStatus.PROJECT_STARTED, updated_at=timezone.now()
        )
    )
