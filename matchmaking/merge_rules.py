"""When two organisations merge: their matches, introductions and feedback.

- Two matches for the same target: the higher score stays, with the more advanced status of
  the two; the other's introductions and feedback move to it.
- An introduction between the two organisations themselves cannot survive the merge (an
  organisation cannot be introduced to itself): the merge is refused.
- Two ratings of the same pair, or two meeting reports of one introduction, by what becomes one
  organisation: the newer stays; so does a pair shortlisted twice.
- Two needs with the same reference: the removed one's reference gets a suffix.
- A need both organisations joined is shared once; a share of the merged organisation's own
  need goes.
Registered in network.hooks.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from matchmaking.models import Match, MatchStatus, Need
from matchmaking.models_introductions import Feedback, Introduction, ShortlistEntry
from network.merge import MergeError, repoint

STATUS_ORDER = [
    MatchStatus.SUGGESTED,
    MatchStatus.REQUESTED,
    MatchStatus.DECLINED,
    MatchStatus.ACCEPTED,
    MatchStatus.INTRODUCED,
    MatchStatus.PROJECT_STARTED,
]
OPEN = ["requested", "accepted", "met"]


def _status_rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else -1


def match_merge_rule(*, kept, removed) -> dict[str, int]:
    combined = 0
    theirs = {(m.target_type, m.target_id): m for m in Match.objects.filter(source=removed)}
    mine_all = Match.objects.filter(source=kept)
    for mine in mine_all:
        other = theirs.get((mine.target_type, mine.target_id))
        if other is None:
            continue
        stays, goes = (mine, other) if mine.score >= other.score else (other, mine)
        open_intros = Introduction.objects.filter(match__in=[stays, goes], status__in=OPEN)
        if open_intros.count() > 1:
            raise MergeError(
                _(
                    "Both organisations have an open introduction about %(target)s; finish or "
                    "close one of them first."
                )
                % {"target": stays.target_type}
            )
        match_fold(stays=stays, goes=goes)
        combined += 1
    return {"matchmaking.Match combined": combined} if combined else {}


def match_fold(*, stays: Match, goes: Match) -> None:
    """Fold `goes` into `stays` (two matches that became one pair): `stays` takes the more
    advanced status of the two and every row that referred to `goes`; `goes` is deleted. Also
    used when two needs are merged (matchmaking.sharing)."""
    if _status_rank(goes.status) > _status_rank(stays.status):
        stays.status = goes.status
        stays.save(update_fields=["status", "updated_at"])
    repoint(Match, from_pk=goes.pk, to_pk=stays.pk)
    goes.delete()


def introduction_merge_rule(*, kept, removed) -> dict[str, int]:
    between = Introduction.objects.filter(
        Q(source=kept, target_organisation=removed) | Q(source=removed, target_organisation=kept)
    )
    if between.exists():
        raise MergeError(
            _(
                "The two organisations have an introduction with each other; an organisation "
                "cannot be introduced to itself. Close or delete it first."
            )
        )
    return {}


def feedback_merge_rule(*, kept, removed) -> dict[str, int]:
    def final(pk):
        return kept.pk if pk == removed.pk else pk

    rows = Feedback.objects.filter(
        Q(source__in=[kept, removed]) | Q(organisation__in=[kept, removed])
    ).order_by("-updated_at", "-pk")
    seen, duplicates = set(), []
    for row in rows:
        if row.kind in ("useful", "not_relevant"):
            key = ("rating", final(row.source_id), row.target_type, row.target_id)
        elif row.kind == "meeting":
            key = ("meeting", row.introduction_id)
        else:
            continue
        key = (*key, final(row.organisation_id))
        if key in seen:
            duplicates.append(row.pk)
        else:
            seen.add(key)
    if duplicates:
        Feedback.objects.filter(pk__in=duplicates).delete()
        return {"matchmaking.Feedback replaced by newer": len(duplicates)}
    return {}


def shortlist_merge_rule(*, kept, removed) -> dict[str, int]:
    """A pair both organisations shortlisted (or shortlisted for both) is kept once, the newer."""

    def final(pk):
        return kept.pk if pk == removed.pk else pk

    rows = ShortlistEntry.objects.filter(
        Q(source__in=[kept, removed]) | Q(organisation__in=[kept, removed])
    ).order_by("-created_at", "-pk")
    seen, duplicates = set(), []
    for row in rows:
        key = (final(row.source_id), row.target_type, row.target_id, final(row.organisation_id))
        if key in seen:
            duplicates.append(row.pk)
        else:
            seen.add(key)
    if duplicates:
        ShortlistEntry.objects.filter(pk__in=duplicates).delete()
        return {"matchmaking.ShortlistEntry kept once": len(duplicates)}
    return {}


def need_merge_rule(*, kept, removed) -> dict[str, int]:
    taken = set(Need.objects.filter(owner=kept).exclude(reference="").values_list("reference"))
    renamed = 0
    for need in Need.objects.filter(owner=removed).exclude(reference=""):
        if (need.reference,) in taken:
            need.reference = f"{need.reference[:30]}-{need.pk}"
            need.save(update_fields=["reference"])
            renamed += 1
    return {"matchmaking.Need reference renamed": renamed} if renamed else {}


def need_share_merge_rule(*, kept, removed) -> dict[str, int]:
    """A need both organisations joined is shared once (the kept organisation's row stays); a
    share of a need that the merged organisation itself owns goes (an owner does not join its
    own need)."""
    from matchmaking.models_sharing import NeedShare

    both = NeedShare.objects.filter(
        organisation=removed,
        need__in=NeedShare.objects.filter(organisation=kept).values("need"),
    )
    own = NeedShare.objects.filter(
        Q(organisation=removed, need__owner=kept) | Q(organisation=kept, need__owner=removed)
    )
    dropped = both.delete()[0] + own.delete()[0]
    return {"matchmaking.NeedShare kept once": dropped} if dropped else {}


def register() -> None:
    from network import hooks

    hooks.register_merge_rule("matchmaking.Match", match_merge_rule)
    hooks.register_merge_rule("matchmaking.Introduction", introduction_merge_rule)
    hooks.register_merge_rule("matchmaking.Feedback", feedback_merge_rule)
    hooks.register_merge_rule("matchmaking.ShortlistEntry", shortlist_merge_rule)
    hooks.register_merge_rule("matchmaking.Need", need_merge_rule)
    hooks.register_merge_rule("matchmaking.NeedShare", need_share_merge_rule)
