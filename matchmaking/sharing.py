"""Shared needs: joining another organisation's need, changing one's part of it, leaving it,
and merging two needs.

Municipalities, regions and hospitals often have the same problem each on their own. One of
them posts the need; the others join it ("we have this need too") with their own scale and
contact, which they may change later. Everyone who shares the need hears of its matches and
introductions, and the matching sees the combined need (matchmaking.features reads the places
of all who share it).

When two needs turn out to be one, the network's staff merge them: the removed need stays as a
closed row pointing at the kept one (its review history stays with it), its owner and the
organisations that joined it join the kept need, and its matches, ratings and shortlists move
over (a company matched with both keeps the kept need's match, taking the other's
introductions and the more advanced status).

Every function checks the rules first and raises SharingError (a message for the person) before
changing anything; writes are atomic.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import NEED_OWNER_KINDS, Match, Need, NeedStatus
from matchmaking.models_introductions import (
    OPEN_STATUSES,
    Feedback,
    Introduction,
    ShortlistEntry,
)
from matchmaking.models_sharing import NeedShare
from network import notifications
from network.models import Affiliation, Organisation
from network.money import Amounts


class SharingError(Exception):
    """The join, leave or merge cannot be done; the message says why, for the person asking."""


# --- reading ----------------------------------------------------------------------------------
def sharing_organisation_ids(need: Need) -> list[int]:
    """The owner first, then every organisation that joined the need."""
    joined = NeedShare.objects.filter(need=need).order_by("created_at", "pk")
    return [need.owner_id, *joined.values_list("organisation_id", flat=True)]


def joined_with(match) -> list[str]:
    """Names of the organisations that joined a match's need (none for other targets), as an
    introduction about it would include them."""
    if not match.need_id:
        return []
    owner_id = match.need.owner_id if match.need else None
    return list(
        NeedShare.objects.filter(need_id=match.need_id)
        .exclude(organisation_id__in=[match.source_id, owner_id])
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )


@dataclass(frozen=True)
class CombinedScale:
    organisations: int
    citizens: int
    sites: int
    budget_min: Amounts
    budget_max: Amounts

    @property
    def budgets(self) -> list[tuple]:
        """[(currency, lowest, highest)] per currency, never added across currencies."""
        currencies = sorted(set(self.budget_min) | set(self.budget_max))
        return [
            (c, self.budget_min.get(c, Decimal(0)), self.budget_max.get(c, Decimal(0)))
            for c in currencies
        ]


def combined_scale(shares) -> CombinedScale:
    """The scale of everyone who joined (pure arithmetic over rows already read)."""
    citizens = sites = 0
    low, high = Amounts(), Amounts()
    for share in shares:
        citizens += share.citizens or 0
        sites += share.sites or 0
        if share.budget_min is not None or share.budget_max is not None:
            low.add(share.currency, share.budget_min or 0)
            high.add(share.currency, share.budget_max or share.budget_min or 0)
    return CombinedScale(len(shares), citizens, sites, low, high)


@dataclass(frozen=True)
class NeedPlaces:
    municipalities: tuple[str, ...]
    regions: tuple[str, ...]


def need_places(need: Need, shares) -> NeedPlaces:
    """Where a need is, each municipality and region named once: its own place (its owner's
    when it has none, as matching places it), then those of the organisations that joined it
    in the order they joined, but for a joiner the reader may not see (`place_visible` False
    on its share: a joiner's place is public only if the joiner is). Pure over rows already
    read: the need's municipality with its region, its region and its owner's; each share's
    organisation's."""
    own = need if need.municipality_id or need.region_id else need.owner
    holders = [own, *(s.organisation for s in shares if getattr(s, "place_visible", True))]
    municipalities: dict[int, str] = {}
    regions: dict[int, str] = {}
    for holder in holders:
        municipality = holder.municipality if holder.municipality_id else None
        region = municipality.region if municipality else holder.region
        if municipality is not None:
            municipalities.setdefault(municipality.pk, municipality.name)
        if region is not None:
            regions.setdefault(region.pk, region.name)
    return NeedPlaces(tuple(municipalities.values()), tuple(regions.values()))


def _actor(user):
    """The signed-in user who acted, for the records (None: nobody signed in)."""
    return user if user is not None and user.is_authenticated else None


def _notify(organisation_ids, *, kind, need, exclude=None, **context) -> int:
    """Tell the people of `organisation_ids` (but `exclude`) of `need`; `kind` names the
    notification and its template."""
    sent = 0
    url = need.get_absolute_url()
    for user in notifications.logins_of(*organisation_ids, exclude=exclude):
        if notifications.notification_send(
            user=user,
            kind=kind,
            template=f"emails/matchmaking/{kind}.txt",
            context={
                "need": need,
                "recipient": user,
                "url": notifications.site_url(url),
                **context,
            },
            url=url,
        ):
            sent += 1
    return sent


def _runs_for(*needs: Need) -> None:
    from matchmaking.services import match_run_for_changes

    match_run_for_changes(changes=[("need", need.pk) for need in needs])


# --- joining and leaving ----------------------------------------------------------------------
def joinable_problem(need: Need, organisation: Organisation | None = None) -> str | None:
    """Why `organisation` (any organisation, without one) cannot join `need`, or None."""
    if need.merged_into_id:
        return str(_("This need was merged into another; join that one instead."))
    if need.status != NeedStatus.OPEN or not need.is_published:
        return str(_("Only open, published needs can be joined."))
    if organisation is None:
        return None
    if organisation.kind not in NEED_OWNER_KINDS:
        return str(_("Only municipalities, regions and hospitals can join a need."))
    if organisation.pk == need.owner_id:
        return str(_("This is your organisation's own need."))
    return None


def _set_part(
    share: NeedShare,
    *,
    citizens: int | None = None,
    sites: int | None = None,
    budget_min: int | None = None,
    budget_max: int | None = None,
    currency: str = "DKK",
    contact=None,
    note: str = "",
) -> None:
    """Give `share` its organisation's part (scale, contact person, note), checked: the
    contact must be one of the organisation's people, the fields valid. Writes nothing."""
    if (
        contact is not None
        and not Affiliation.objects.filter(
            person=contact, organisation_id=share.organisation_id
        ).exists()
    ):
        raise SharingError(_("The contact person must be one of your organisation's people."))
    share.citizens, share.sites = citizens, sites
    share.budget_min, share.budget_max, share.currency = budget_min, budget_max, currency
    share.contact = contact
    share.note = (note or "").strip()
    try:
        share.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise SharingError(" ".join(exc.messages)) from exc


@transaction.atomic
def need_join(*, need: Need, organisation: Organisation, user, **part) -> NeedShare:
    """`organisation` says it has `need` too, with its own part: scale and contact person
    (`part`: the fields of NeedShare.PART_FIELDS, none required)."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if problem := joinable_problem(need, organisation):
        raise SharingError(problem)
    if NeedShare.objects.filter(need=need, organisation=organisation).exists():
        raise SharingError(_("Your organisation has already joined this need."))
    share = NeedShare(need=need, organisation=organisation, joined_by=_actor(user))
    _set_part(share, **part)
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError as exc:  # a colleague joined at the same moment
        raise SharingError(_("Your organisation has already joined this need.")) from exc
    others = [pk for pk in sharing_organisation_ids(need) if pk != organisation.pk]
    _notify(others, kind="need_joined", need=need, exclude=user, organisation=organisation)
    _runs_for(need)
    return share


@transaction.atomic
def need_share_update(*, share: NeedShare, user, **part) -> NeedShare:
    """The organisation that joined a need changes its part (`part` replaces it whole, checked
    as when joining). Matching does not read it, so no run is asked for."""
    share = NeedShare.objects.select_for_update().filter(pk=share.pk).first()
    if share is None:  # it left the need a moment ago
        raise SharingError(_("Your organisation has not joined this need."))
    _set_part(share, **part)
    share._history_user = _actor(user)
    share.save(update_fields=[*NeedShare.PART_FIELDS, "updated_at"])
    return share


@transaction.atomic
def need_leave(*, need: Need, organisation: Organisation, user) -> None:
    """`organisation` no longer shares `need`; the owner and the others hear of it."""
    deleted, _rows = NeedShare.objects.filter(need=need, organisation=organisation).delete()
    if not deleted:
        raise SharingError(_("Your organisation has not joined this need."))
    ids = sharing_organisation_ids(need)
    _notify(ids, kind="need_left", need=need, exclude=user, organisation=organisation)
    _runs_for(need)


# --- merging ------------------------------------------------------------------------------------
def merge_problem(kept: Need, removed: Need) -> str | None:
    if kept.pk == removed.pk:
        return str(_("A need cannot be merged into itself."))
    if kept.merged_into_id or removed.merged_into_id:
        return str(_("One of the needs was already merged into another."))
    return None


def _fold_matches(kept: Need, removed: Need) -> None:
    """Move the removed need's matches to the kept one, in one update; a company matched with
    both keeps the kept need's match, which takes the other's introductions and the more
    advanced status (merge_rules.match_fold, pair by pair: only such twins)."""
    from matchmaking.merge_rules import match_fold

    twins = Match.objects.filter(
        need=removed, source__in=Match.objects.filter(need=kept).values("source")
    )
    # A company with an open introduction about each need: one of them must end first.
    blocked = (
        Introduction.objects.filter(
            match__need__in=[kept.pk, removed.pk],
            match__source__in=twins.values("source"),
            status__in=OPEN_STATUSES,
        )
        .values("match__source")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("match__source")
    )
    first = twins.filter(source__in=blocked).select_related("source").order_by("pk").first()
    if first is not None:
        raise SharingError(
            _(
                "%(company)s has an open introduction about each need; finish or close one "
                "of them first."
            )
            % {"company": first.source.name}
        )
    goes = list(twins.order_by("pk"))
    if goes:
        kept_matches = Match.objects.filter(need=kept, source__in=twins.values("source"))
        stays = {match.source_id: match for match in kept_matches}
        for match in goes:
            match_fold(stays=stays[match.source_id], goes=match)
    Match.objects.filter(need=removed).update(need=kept, target_id=kept.pk)


def _feedback_key(row) -> tuple:
    if row.kind == "meeting":
        return ("meeting", row.introduction_id, row.organisation_id)
    return ("rating", row.source_id, row.organisation_id)


def _shortlist_key(row) -> tuple:
    return (row.source_id, row.organisation_id)


def _fold_pairs(model, kept: Need, removed: Need, key) -> None:
    """Feedback and shortlists are keyed by the pair: the removed need's rows take the kept
    need's id, unless the same organisation already has one for the kept need (that one stays).
    Three queries however many rows."""
    rows = model.objects.filter(target_type="need", target_id=removed.pk)
    existing = {key(row) for row in model.objects.filter(target_type="need", target_id=kept.pk)}
    dropped = []
    for row in rows.order_by("pk"):
        if key(row) in existing:
            dropped.append(row.pk)
        existing.add(key(row))
    if dropped:
        model.objects.filter(pk__in=dropped).delete()
    rows.update(target_id=kept.pk)


@transaction.atomic
def need_merge(*, kept: Need, removed: Need, user) -> Need:
    """Fold `removed` into `kept` (staff only; the view checks). Both histories stay: the
    removed need remains, closed, marked as merged into the kept one."""
    locked = Need.objects.select_for_update().select_related("owner").in_bulk([kept.pk, removed.pk])
    kept, removed = locked[kept.pk], locked[removed.pk]
    if problem := merge_problem(kept, removed):
        raise SharingError(problem)
    # The removed need's owner and those who joined it now share the kept need (once each).
    moving = NeedShare.objects.filter(need=removed)
    moving.filter(organisation_id__in=sharing_organisation_ids(kept)).delete()
    moving.update(need=kept)
    if removed.owner_id != kept.owner_id:
        NeedShare.objects.get_or_create(
            need=kept,
            organisation_id=removed.owner_id,
            defaults={"note": removed.title[:2000], "joined_by": _actor(user)},
        )
    _fold_matches(kept, removed)
    _fold_pairs(Feedback, kept, removed, _feedback_key)
    _fold_pairs(ShortlistEntry, kept, removed, _shortlist_key)
    now = timezone.now()
    removed.merged_into = kept
    removed.merged_at = now
    removed.merged_by = _actor(user)
    removed.status = NeedStatus.CLOSED
    removed.closed_at = removed.closed_at or now
    removed.save(
        update_fields=[
            "merged_into",
            "merged_at",
            "merged_by",
            "status",
            "closed_at",
            "updated_at",
        ]
    )
    _notify(
        sharing_organisation_ids(kept), kind="need_merged", need=kept, exclude=user, removed=removed
    )
    _runs_for(kept, removed)
    return kept
