"""Scheduling a large matchmaking event: time, quality against the optimum, stability.

    .venv/bin/python benchmarks/event_schedule.py [--participants 400] [--requests 3000]
        [--slots 16] [--tables 60] [--unavailable 0.1] [--changes 50] [--seed 7] [--solver cp-sat]

Random but reproducible data: participants, accepted meeting requests between distinct pairs
(some people far more asked for than others), and availability (each person misses each slot
with probability --unavailable). It runs the same pure function the Celery task calls
(matchmaking.events.scheduling.schedule) and checks

1. the first schedule: no clash (no person or table twice in a slot, nobody in a slot they
   cannot make), its time, the meetings placed, the solver's proven upper bound and the gap
   to it (0 when the solver proves its schedule optimal);
2. a re-run after --changes changes (a third cancelled meetings, a third newly accepted
   requests, a third people who can no longer make a slot): again no clash, and every meeting
   the changes did not touch is where it was.

The last line printed is:

    first_s=<s> placed=<n> bound=<n> gap_pct=<%> optimal=<bool> rerun_s=<s> moved_unaffected=<n>
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaking.events.scheduling import Meeting, clashes, schedule


def make_data(args, rng):
    people = list(range(args.participants))
    weights = [rng.paretovariate(1.5) for _ in people]
    pairs = set()
    while len(pairs) < args.requests:
        a, b = rng.choices(people, weights=weights, k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    meetings = [Meeting(id=i, a=a, b=b) for i, (a, b) in enumerate(sorted(pairs))]
    slots = list(range(args.slots))
    tables = list(range(args.tables))
    unavailable = {p: {s for s in slots if rng.random() < args.unavailable} for p in people}
    return people, pairs, meetings, slots, tables, unavailable


def check(result, meetings, slots, tables, unavailable):
    people = {m.id: (m.a, m.b) for m in meetings}
    problems = clashes(result.placed, people, unavailable, slots, tables)
    assert not problems, problems[:10]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--unavailable", type=float, default=0.1)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--solver", default="cp-sat", choices=["cp-sat", "greedy"])
    parser.add_argument("--time-limit", type=float, default=15.0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    people, pairs, meetings, slots, tables, unavailable = make_data(args, rng)

    first = schedule(
        meetings, slots, tables, unavailable, time_limit=args.time_limit, solver=args.solver
    )
    check(first, meetings, slots, tables, unavailable)
    print(
        f"first run: {first.seconds:.2f} s, {len(first.placed)} of {len(meetings)} placed, "
        f"upper bound {first.upper_bound}, gap {first.gap:.2%}, optimal {first.optimal}, "
        f"solver {first.solver}"
    )

    # The changes.
    third = args.changes // 3
    placed_ids = sorted(first.placed)
    cancelled = set(rng.sample(placed_ids, third))
    next_id = len(meetings)
    added = []
    while len(added) < third:
        a, b = rng.sample(people, 2)
        pair = (min(a, b), max(a, b))
        if pair not in pairs:
            pairs.add(pair)
            added.append(Meeting(id=next_id, a=pair[0], b=pair[1]))
            next_id += 1
    touched_people = set()
    for _ in range(args.changes - 2 * third):
        meeting_id = rng.choice(placed_ids)
        slot, _table = first.placed[meeting_id]
        person = meetings[meeting_id].a
        unavailable[person].add(slot)
        touched_people.add((person, slot))
    second_meetings = [
        Meeting(id=m.id, a=m.a, b=m.b, slot=first.placed.get(m.id, (None, None))[0],
                table=first.placed.get(m.id, (None, None))[1])
        for m in meetings
        if m.id not in cancelled
    ] + added  # fmt: skip
    second = schedule(
        second_meetings, slots, tables, unavailable, time_limit=args.time_limit,
        solver=args.solver,
    )  # fmt: skip
    check(second, second_meetings, slots, tables, unavailable)
    affected = {
        m.id
        for m in second_meetings
        if m.slot is not None and {(m.a, m.slot), (m.b, m.slot)} & touched_people
    }
    moved = [
        m.id
        for m in second_meetings
        if m.slot is not None
        and m.id not in affected
        and second.placed.get(m.id) != (m.slot, m.table)
    ]
    print(
        f"re-run after {args.changes} changes ({len(cancelled)} cancelled, {len(added)} added, "
        f"{len(touched_people)} availability): {second.seconds:.2f} s, {len(second.placed)} "
        f"placed, {len(affected)} affected meetings, {len(moved)} unaffected moved, "
        f"gap {second.gap:.2%}, optimal {second.optimal}"
    )
    print(
        f"first_s={first.seconds:.2f} placed={len(first.placed)} bound={first.upper_bound} "
        f"gap_pct={first.gap * 100:.2f} optimal={first.optimal} rerun_s={second.seconds:.2f} "
        f"moved_unaffected={len(moved)}"
    )
    return 0 if not moved and first.seconds < 20 and first.gap <= 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
