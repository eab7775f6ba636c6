"""Placing accepted meetings in slots and at tables: a pure function over plain data.

The problem: each meeting has two people; a person meets at most one partner per slot and not
in slots they cannot make; a slot holds at most as many meetings as there are tables. Tables
are interchangeable, so slots are chosen first (the hard part) and tables handed out per slot
afterwards, each meeting keeping the table it had where it can.

Meetings already in place (pinned by staff, or placed by an earlier run) stay where they are
when their place is still valid: a re-run after changes moves nothing it does not have to. The
rest are placed to maximise the number of meetings held, by OR-Tools' CP-SAT solver, which
reports whether its answer is proven optimal and otherwise the best bound it found (so the gap
to the optimum is always known). Without OR-Tools a greedy placement is used, and the bound is
the simple capacity bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Person = Hashable
Slot = Hashable
Table = Hashable
MeetingId = Hashable


@dataclass(frozen=True)
class Meeting:
    id: MeetingId
    a: Person
    b: Person
    # Where it is now (an earlier run or a person put it there); None when not placed.
    slot: Slot | None = None
    table: Table | None = None
    pinned: bool = False  # placed by hand: never moved by a run


@dataclass
class Schedule:
    placed: dict[MeetingId, tuple[Slot, Table]]
    unplaced: list[MeetingId]
    kept: int  # meetings that stayed in the place they had
    optimal: bool  # proven: no schedule places more meetings
    upper_bound: int  # no schedule places more than this
    seconds: float
    solver: str
    dropped: list[MeetingId] = field(default_factory=list)  # had a place no longer valid

    @property
    def gap(self) -> float:
        """(bound - placed) / bound: 0 when proven optimal."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0, self.upper_bound - len(self.placed)) / self.upper_bound


def clashes(
    placed: Mapping[MeetingId, tuple[Slot, Table]],
    people: Mapping[MeetingId, tuple[Person, Person]],
    unavailable: Mapping[Person, Iterable[Slot]] | None = None,
    slots: Iterable[Slot] | None = None,
    tables: Iterable[Table] | None = None,
) -> list[tuple[str, MeetingId]]:
    """Every rule a placement breaks, as (rule, meeting id): "table" (two meetings at one table
    in one slot), "person" (a person in two meetings in one slot), "unavailable", "slot" or
    "table_unknown" (not one of the event's). Empty for a valid schedule."""
    unavailable = {p: set(s) for p, s in (unavailable or {}).items()}
    slot_set = set(slots) if slots is not None else None
    table_set = set(tables) if tables is not None else None
    problems = []
    seen_table: dict = {}
    seen_person: dict = {}
    for meeting_id, (slot, table) in placed.items():
        if slot_set is not None and slot not in slot_set:
            problems.append(("slot", meeting_id))
        if table_set is not None and table not in table_set:
            problems.append(("table_unknown", meeting_id))
        if (slot, table) in seen_table:
            problems.append(("table", meeting_id))
        seen_table[(slot, table)] = meeting_id
        for person in people[meeting_id]:
            if (slot, person) in seen_person:
                problems.append(("person", meeting_id))
            seen_person[(slot, person)] = meeting_id
            if slot in unavailable.get(person, ()):
                problems.append(("unavailable", meeting_id))
    return problems


def _keep(meetings, slots, tables, unavailable):
    """The meetings that keep their place: pinned ones first, then earlier placements, as long
    as the place is still valid and clashes with nothing kept before it."""
    slot_set, table_set = set(slots), set(tables)
    busy_person: set = set()
    busy_table: set = set()
    kept: dict = {}
    dropped = []
    ordered = sorted(
        (m for m in meetings if m.slot is not None), key=lambda m: (not m.pinned, str(m.id))
    )
    for m in ordered:
        table = m.table
        ok = (
            m.slot in slot_set
            and m.slot not in unavailable.get(m.a, ())
            and m.slot not in unavailable.get(m.b, ())
            and (m.slot, m.a) not in busy_person
            and (m.slot, m.b) not in busy_person
            and (table is None or (table in table_set and (m.slot, table) not in busy_table))
        )
        if not ok:
            dropped.append(m.id)
            continue
        kept[m.id] = (m.slot, table)
        busy_person.update({(m.slot, m.a), (m.slot, m.b)})
        if table is not None:
            busy_table.add((m.slot, table))
    return kept, dropped, busy_person


def _capacity_bound(free, candidates, options):
    """No schedule places more than the free table-slots, nor more than half the sum over
    people of min(their meetings, the slots they could meet in)."""
    degree = defaultdict(int)
    reachable = defaultdict(set)
    for m in candidates:
        for person in (m.a, m.b):
            degree[person] += 1
            reachable[person].update(options[m.id])
    by_people = sum(min(degree[p], len(reachable[p])) for p in degree) // 2
    return min(sum(free.values()), len(candidates), by_people)


def _solve_cp_sat(candidates, options, free, time_limit, hint, workers):
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {}
    by_slot = defaultdict(list)
    by_person_slot = defaultdict(list)
    for m in candidates:
        for slot in options[m.id]:
            var = model.new_bool_var("")
            x[(m.id, slot)] = var
            by_slot[slot].append(var)
            by_person_slot[(m.a, slot)].append(var)
            by_person_slot[(m.b, slot)].append(var)
        if len(options[m.id]) > 1:
            model.add_at_most_one(x[(m.id, s)] for s in options[m.id])
    for slot, variables in by_slot.items():
        if len(variables) > free[slot]:
            model.add(sum(variables) <= free[slot])
    for variables in by_person_slot.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    model.maximize(sum(x.values()))
    for key, var in x.items():
        model.add_hint(var, hint.get(key[0]) == key[1])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, False, None
    chosen = {mid: slot for (mid, slot), var in x.items() if solver.boolean_value(var)}
    return chosen, status == cp_model.OPTIMAL, math.floor(solver.best_objective_bound + 1e-6)


def _greedy(candidates, options, free, busy_person):
    """Most constrained meeting first, into the slot with most room left."""
    free = dict(free)
    busy = set(busy_person)
    chosen = {}
    for m in sorted(candidates, key=lambda m: (len(options[m.id]), str(m.id))):
        best = None
        for slot in options[m.id]:
            fits = free[slot] > 0 and (slot, m.a) not in busy and (slot, m.b) not in busy
            if fits and (best is None or free[slot] > free[best]):
                best = slot
        if best is not None:
            chosen[m.id] = best
            free[best] -= 1
            busy.update({(best, m.a), (best, m.b)})
    return chosen


def schedule(
    meetings: Iterable[Meeting],
    slots: list[Slot],
    tables: list[Table],
    unavailable: Mapping[Person, Iterable[Slot]] | None = None,
    *,
    time_limit: float = 15.0,
    workers: int = 2,
    solver: str = "cp-sat",
) -> Schedule:
    """Place `meetings` in `slots` at `tables`; see the module's docstring."""
    started = time.perf_counter()
    meetings = list(meetings)
    unavailable = {p: set(s) for p, s in (unavailable or {}).items()}
    kept, dropped, busy_person = _keep(meetings, slots, tables, unavailable)
    kept_count = len(kept)

    used_tables = defaultdict(set)
    for slot, table in kept.values():
        if table is not None:
            used_tables[slot].add(table)
    kept_per_slot = defaultdict(int)
    for slot, _table in kept.values():
        kept_per_slot[slot] += 1
    free = {slot: max(0, len(tables) - kept_per_slot[slot]) for slot in slots}

    candidates = [m for m in meetings if m.id not in kept and m.a != m.b]
    options = {
        m.id: [
            s
            for s in slots
            if free[s] > 0
            and s not in unavailable.get(m.a, ())
            and s not in unavailable.get(m.b, ())
            and (s, m.a) not in busy_person
            and (s, m.b) not in busy_person
        ]
        for m in candidates
    }
    candidates = [m for m in candidates if options[m.id]]
    hint = {m.id: m.slot for m in meetings if m.slot is not None}

    # A greedy placement first: when it reaches the capacity bound it is optimal already;
    # otherwise CP-SAT starts from it and proves (or bounds) the optimum.
    bound = _capacity_bound(free, candidates, options) if candidates else 0
    chosen = _greedy(candidates, options, free, busy_person)
    optimal = len(chosen) >= bound
    used = "greedy"
    if not optimal and solver == "cp-sat":
        hint = {**hint, **chosen}
        solved, optimal, solver_bound = _solve_cp_sat(
            candidates, options, free, time_limit, hint, workers
        )
        used = "cp-sat"
        if len(solved) >= len(chosen):
            chosen = solved
        if solver_bound is not None:
            bound = min(bound, solver_bound)
        optimal = optimal or len(chosen) >= bound

    # Tables: kept meetings keep theirs; the rest take free tables, their old one if free.
    placed: dict = {}
    need_table = []
    for mid, (slot, table) in kept.items():
        if table is None:
            need_table.append((mid, slot))
        else:
            placed[mid] = (slot, table)
    previous_table = {m.id: m.table for m in meetings}
    need_table.extend((mid, slot) for mid, slot in sorted(chosen.items(), key=lambda i: str(i[0])))
    for mid, slot in need_table:
        taken = used_tables[slot]
        table = previous_table.get(mid)
        if table is None or table in taken or table not in tables:
            table = next(t for t in tables if t not in taken)
        taken.add(table)
        placed[mid] = (slot, table)

    all_ids = [m.id for m in meetings]
    return Schedule(
        placed=placed,
        unplaced=[mid for mid in all_ids if mid not in placed],
        kept=kept_count,
        optimal=optimal,
        upper_bound=kept_count + bound,
        seconds=time.perf_counter() - started,
        solver=used,
        dropped=dropped,
    )
