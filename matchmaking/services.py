"""Writes of the matchmaking app: needs, match criteria and match runs.

Runs are requested here (a MatchRun row, then a task enqueued once the transaction commits)
and executed here (`match_run_execute`, called by the task). Execution claims the run with a
conditional update, so a duplicate delivery does nothing and a run whose worker died (no
heartbeat for a while) is taken over and done again from the start: every write is an upsert
and stale rows go in the same transaction, so a re-run never leaves duplicates or leftovers.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matchmaking import runner
from matchmaking.models import (
    MatchCriteria,
    MatchRun,
    Need,
    NeedStatus,
    RunKind,
    RunPhase,
    RunStatus,
    RunTrigger,
)
from matchmaking.querysets import MatchRunQuerySet
from matchmaking.scoring import code_version
from network.models import KnowledgeOffer, TestSite
from network.stale import touch

logger = logging.getLogger(__name__)


def target_key(target) -> tuple[str, int]:
    if isinstance(target, Need):
        return "need", target.pk
    if isinstance(target, TestSite):
        return "test_site", target.pk
    if isinstance(target, KnowledgeOffer):
        return "knowledge_offer", target.pk
    raise TypeError(f"Not a match target: {target!r}")


# -- needs -----------------------------------------------------------------------------------
@transaction.atomic
def need_save(*, need: Need, focus_areas, tags, user=None) -> Need:
    """Validate and save a need with its focus areas and tags; its matches follow on commit."""
    if need.status == NeedStatus.OPEN and not need.published_at:
        need.published_at = timezone.now()
    if need.status == NeedStatus.CLOSED and not need.closed_at:
        need.closed_at = timezone.now()
    if need.status != NeedStatus.CLOSED:
        need.closed_at = None
    if not need.pk and user is not None and user.is_authenticated:
        need.created_by = user
    need.full_clean()
    need.save()
    touch(need.owner)
    need.focus_areas.set(focus_areas)
    need.tags.set(tags)
    match_run_for_changes(changes=[("need", need.pk)])
    return need


@transaction.atomic
def need_set_status(*, need: Need, status: str) -> Need:
    """Publish (open), close or reopen a need. Opening refuses a deadline in the past."""
    if status == NeedStatus.OPEN and (problem := need.publish_problem()):
        raise ValidationError({"deadline": problem})
    need.status = status
    now = timezone.now()
    if status == NeedStatus.OPEN:
        need.published_at = need.published_at or now
        need.closed_at = None
    elif status == NeedStatus.CLOSED:
        need.closed_at = now
    need.full_clean()
    need.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
    match_run_for_changes(changes=[("need", need.pk)])
    return need


@transaction.atomic
def need_delete(*, need: Need) -> None:
    """Delete a draft; published needs are closed instead, so their history stays."""
    if need.status != NeedStatus.DRAFT:
        raise ValueError("Only drafts can be deleted; close a published need.")
    key = ("need", need.pk)
    need.delete()
    match_run_for_changes(changes=[key])


# -- criteria --------------------------------------------------------------------------------
@transaction.atomic
def match_criteria_save(*, criteria: MatchCriteria, user=None) -> MatchCriteria:
    criteria.updated_by = user if user is not None and user.is_authenticated else None
    criteria.full_clean()
    criteria.save()
    return criteria


# -- runs ------------------------------------------------------------------------------------
def _new_run(*, kind: str, trigger: str, user=None, changes=()) -> MatchRun:
    criteria = MatchCriteria.current()
    return MatchRun.objects.create(
        kind=kind,
        trigger=trigger,
        requested_by=user if user is not None and user.is_authenticated else None,
        changes=[list(change) for change in sorted(set(changes))],
        weights=criteria.weights(),
        top_k=criteria.top_k,
        min_score=criteria.min_score,
        code_version=code_version(),
    )


def _enqueue(run: MatchRun) -> None:
    from matchmaking import tasks

    task = tasks.full_match_run if run.kind == RunKind.FULL else tasks.incremental_match_run

    def send():
        try:
            task.delay(run.pk)
        except Exception:
            # A broker that is down must not undo the user's save; tonight's full run, or the
            # next change, catches up.
            logger.exception("Could not enqueue match run %s", run.pk)

    transaction.on_commit(send)


@transaction.atomic
def match_run_request(*, user=None, trigger: str = RunTrigger.ADMIN) -> MatchRun:
    """Queue a full run, unless one is already queued or running (that one is returned)."""
    MatchRun.objects.stalled().filter(kind=RunKind.FULL).update(
        status=RunStatus.FAILED, error="The worker stopped answering; a new run was started."
    )
    active = MatchRun.objects.full().active().first()
    if active:
        return active
    run = _new_run(kind=RunKind.FULL, trigger=trigger, user=user)
    _enqueue(run)
    return run


@transaction.atomic
def match_run_for_changes(
    *, changes: Iterable[tuple[str, int]], trigger: str = RunTrigger.CHANGE
) -> MatchRun | None:
    """Queue an incremental run for changed documents, once the current transaction commits.

    Changes are (type, id) with type "sme", "need", "test_site" or "knowledge_offer". Until a
    first full run has succeeded there is nothing to bring up to date incrementally: a full run
    covers the change instead (the one queued or running, else a new one), so that a profile
    approved on a fresh installation gets its matches without waiting for the nightly run.
    """
    changes = {(kind, int(pk)) for kind, pk in changes}
    if not changes:
        return None
    if not MatchRun.objects.filter(kind=RunKind.FULL, status=RunStatus.SUCCEEDED).exists():
        return match_run_request(trigger=trigger)
    run = _new_run(kind=RunKind.INCREMENTAL, trigger=trigger, changes=changes)
    _enqueue(run)
    return run


def match_run_for_profile_change(kind: str, pk: int) -> MatchRun | None:
    """The hook network calls after a profile, test site or knowledge offer was saved."""
    return match_run_for_profiles_change(kind, [pk])


def match_run_for_profiles_change(kind: str, pks) -> MatchRun | None:
    """One run for many profiles (or test sites, offers, needs) changed at once."""
    pks = [int(pk) for pk in pks]
    if kind == "organisation":
        from matchmaking.features import targets_of

        changes = {("sme", pk) for pk in pks} | targets_of(pks)
    else:
        changes = {(kind, pk) for pk in pks}
    return match_run_for_changes(changes=changes)


def _claim(run_id: int) -> MatchRun | None:
    now = timezone.now()
    claimable = Q(status__in=[RunStatus.QUEUED, RunStatus.FAILED]) | Q(
        status=RunStatus.RUNNING, heartbeat_at__lt=now - MatchRunQuerySet.STALE_AFTER
    )
    claimed = (
        MatchRun.objects.filter(claimable, pk=run_id)
        .exclude(status=RunStatus.SUCCEEDED)
        .update(
            status=RunStatus.RUNNING,
            phase=RunPhase.LOADING,
            progress=0,
            started_at=now,
            heartbeat_at=now,
            error="",
        )
    )
    if not claimed:
        return None
    run = MatchRun.objects.get(pk=run_id)
    MatchRun.objects.filter(pk=run_id).update(attempts=run.attempts + 1)
    return run


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Do a queued run. Not atomic as a whole: each phase commits its own progress, and the
    writes commit in one transaction at the end."""
    run = _claim(run_id)
    if run is None:
        logger.info("Match run %s is done or being done elsewhere; nothing to do", run_id)
        return None
    try:
        if run.kind == RunKind.FULL:
            outcome = runner.execute_full(run)
        else:
            outcome = runner.execute_incremental(run)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    changed_during_run = outcome.pop("changed_during_run", [])
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        progress=100,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        **outcome,
    )
    if changed_during_run:
        match_run_for_changes(changes=changed_during_run, trigger=RunTrigger.FOLLOW_UP)
    if run.kind == RunKind.FULL and outcome.get("matches_written", 0) >= VACUUM_AFTER_WRITES:
        _vacuum_on_commit()
    run.refresh_from_db()
    return run


VACUUM_AFTER_WRITES = 20_000  # a full run that rewrote this many matches tidies the table


def _vacuum_on_commit() -> None:
    from matchmaking import tasks

    def send():
        try:
            tasks.vacuum_matches.delay()
        except Exception:
            logger.exception("Could not enqueue the matches table's vacuum")

    transaction.on_commit(send)


def match_run_full_now(*, trigger: str = RunTrigger.COMMAND, user=None) -> MatchRun:
    """A full run in this process, without Celery (demo data, benchmarks, commands)."""
    run = _new_run(kind=RunKind.FULL, trigger=trigger, user=user)
    return match_run_execute(run_id=run.pk)
