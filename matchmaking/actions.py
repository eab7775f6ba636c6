"""What either side of a match does with it: mark it not relevant (a veto, with a reason, which
hides the pair from that side and informs the next run), undo that, and keep it on a shortlist.

A side is "company" (the match's source, an SME) or "target" (the owner of the need, test site
or knowledge offer). Each function acts for one organisation, the one of that side; the views
check that the user belongs to it (matchmaking.permissions.get_match_for_side).
Inviting a company to an introduction is matchmaking.introductions.services.introduction_invite.
"""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from matchmaking.introductions.transitions import IntroductionError
from matchmaking.models import Match
from matchmaking.models_introductions import (
    Feedback,
    FeedbackKind,
    ShortlistEntry,
    VetoReason,
)

COMPANY, TARGET = "company", "target"
SIDES = (COMPANY, TARGET)


class ActionError(IntroductionError):
    """Bad input for an action on a match; `message` says what to do instead."""


def side_organisation_id(match: Match, side: str) -> int | None:
    """The organisation that acts for `side` of the match (None: the target is gone)."""
    if side == COMPANY:
        return match.source_id
    target = match.target
    return target.owner_id if target is not None else None


def _pair(match: Match) -> dict:
    return {
        "source_id": match.source_id,
        "target_type": match.target_type,
        "target_id": match.target_id,
    }


def pair_filter(prefix: str = "") -> dict:
    """Columns of a row keyed by the pair (Feedback, ShortlistEntry), matched to a Match."""
    return {
        "source_id": OuterRef(f"{prefix}source_id"),
        "target_type": OuterRef(f"{prefix}target_type"),
        "target_id": OuterRef(f"{prefix}target_id"),
    }


def vetoed_by(organisation_id: int) -> Exists:
    """For a Match queryset: the organisation marked the pair not relevant."""
    return Exists(
        Feedback.objects.filter(
            **pair_filter(), organisation_id=organisation_id, kind=FeedbackKind.NOT_RELEVANT
        )
    )


def shortlisted_by(organisation_id: int) -> Exists:
    return Exists(ShortlistEntry.objects.filter(**pair_filter(), organisation_id=organisation_id))


# -- the lists' cached totals -------------------------------------------------------------------
def list_version(organisation_id: int) -> int:
    """Changes when the organisation acts on a match, so that a cached total of its lists is
    not reused after a veto, an undo or a shortlist change."""
    return cache.get(f"matchmaking:acted:{organisation_id}", 0)


def _acted(organisation_id: int) -> None:
    key = f"matchmaking:acted:{organisation_id}"
    transaction.on_commit(lambda: cache.set(key, list_version(organisation_id) + 1, None))


def _rerun(match_or_feedback, side: str) -> None:
    """The side's list is computed again with the change: the company's, or the target's."""
    from matchmaking.services import match_run_for_changes

    if side == COMPANY:
        changes = [("sme", match_or_feedback.source_id)]
    else:
        changes = [(match_or_feedback.target_type, match_or_feedback.target_id)]
    match_run_for_changes(changes=changes)


# -- veto ---------------------------------------------------------------------------------------
def clean_veto_reason(reason_code: str, reason: str) -> tuple[str, str]:
    reason = (reason or "").strip()
    reason_code = reason_code or ""
    if reason_code and reason_code not in VetoReason.values:
        raise ActionError(_("Choose one of the reasons."), code="reason")
    if not reason_code and not reason:
        raise ActionError(_("Please tell us why it is not relevant."), code="reason")
    if reason_code == VetoReason.OTHER and not reason:
        raise ActionError(_("Please say why in a few words."), code="reason")
    return reason_code, reason


@transaction.atomic
def match_veto(
    *, match: Match, user, side: str, reason_code: str = "", reason: str = ""
) -> Feedback:
    """Mark the match not relevant for `side`: hidden from that side's lists for good (until
    undone), and from the next run on (this one's own, incremental, included) it takes no place
    in that side's top K, so the next best fill the list; the other side may still keep it.
    The next run also ranks it, and for a reason about the subject what resembles it, lower.
    Vetoing again replaces the reason."""
    reason_code, reason = clean_veto_reason(reason_code, reason)
    organisation_id = side_organisation_id(match, side)
    if organisation_id is None:
        raise ActionError(_("This match's target no longer exists."), code="gone")
    feedback = Feedback.objects.filter(
        **_pair(match),
        organisation_id=organisation_id,
        kind__in=[FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT],
    ).first() or Feedback(**_pair(match), organisation_id=organisation_id)
    feedback.match = match
    feedback.kind = FeedbackKind.NOT_RELEVANT
    feedback.user = user
    feedback.reason = reason
    feedback.reason_code = reason_code
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    _acted(organisation_id)
    _rerun(match, side)
    return feedback


@transaction.atomic
def match_veto_undo(*, feedback: Feedback, side: str) -> None:
    """The pair comes back to the side's lists and counts as unrated in the next run."""
    if feedback.kind != FeedbackKind.NOT_RELEVANT:
        raise ActionError(_("This match is not marked as not relevant."))
    feedback.delete()
    _acted(feedback.organisation_id)
    _rerun(feedback, side)


# -- shortlist ----------------------------------------------------------------------------------
@transaction.atomic
def match_shortlist(*, match: Match, user, side: str) -> ShortlistEntry:
    """Keep the match on the side's shortlist (once; shortlisting again changes nothing)."""
    organisation_id = side_organisation_id(match, side)
    if organisation_id is None:
        raise ActionError(_("This match's target no longer exists."), code="gone")
    entry = ShortlistEntry.objects.filter(**_pair(match), organisation_id=organisation_id).first()
    if entry is not None:
        return entry
    entry = ShortlistEntry(
        **_pair(match), match=match, organisation_id=organisation_id, added_by=user
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a colleague shortlisted it at the same moment
        return ShortlistEntry.objects.get(**_pair(match), organisation_id=organisation_id)
    _acted(organisation_id)
    return entry


@transaction.atomic
def match_unshortlist(*, match: Match, side: str) -> int:
    organisation_id = side_organisation_id(match, side)
    removed, _by_model = ShortlistEntry.objects.filter(
        **_pair(match), organisation_id=organisation_id
    ).delete()
    if removed:
        _acted(organisation_id)
    return removed
