"""Whether a match list is being computed right now, for the pages that show one.

A list is being computed while a full run, or an incremental run whose changes include the
list's company or target, is queued or running. The pages then say so with the run's progress
and poll until it has finished, and the cached total of a list is keyed by the last finished
run, so the first page view after a run counts afresh (no cached "0" after an approval).
"""

from dataclasses import dataclass

from matchmaking.models import MatchRun, RunKind, RunStatus


@dataclass(frozen=True)
class MatchingState:
    run: MatchRun | None  # the run computing this list now, if any
    last_finished: int | None  # pk of the last run that finished (any list)

    @property
    def active(self) -> bool:
        return self.run is not None

    @property
    def never(self) -> bool:
        """No run has finished yet and none is under way: the list cannot be right yet."""
        return self.run is None and self.last_finished is None


def matching_state(key: tuple[str, int]) -> MatchingState:
    """`key`: ("sme", id) for a company's list, (target type, id) for a target's. Two queries."""
    wanted = [key[0], int(key[1])]
    running = None
    active = (
        MatchRun.objects.active()
        .order_by("pk")
        .only("kind", "status", "phase", "progress", "changes", "created_at")
    )
    for run in active[:50]:
        if run.kind == RunKind.FULL or wanted in run.changes:
            running = run
            break
    last = (
        MatchRun.objects.filter(status=RunStatus.SUCCEEDED)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return MatchingState(run=running, last_finished=last)
