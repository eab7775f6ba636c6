"""The scheduling function alone (no database): no clash, most meetings, fixed ones stay."""

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.events.scheduling import Meeting, clashes, schedule


@st.composite
def problems(draw):
    people = draw(st.integers(2, 12))
    slots = list(range(draw(st.integers(1, 6))))
    tables = [f"t{i}" for i in range(draw(st.integers(1, 4)))]
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, people - 1), st.integers(0, people - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=30,
            unique_by=lambda p: (min(p), max(p)),
        )
    )
    unavailable = {
        p: set(draw(st.lists(st.sampled_from(slots), max_size=len(slots)))) for p in range(people)
    }
    meetings = [Meeting(id=i, a=a, b=b) for i, (a, b) in enumerate(pairs)]
    return meetings, slots, tables, unavailable


def _people(meetings):
    return {m.id: (m.a, m.b) for m in meetings}


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(["cp-sat", "greedy"]))
def test_no_clash_over_random_requests_and_availability(problem, solver):
    meetings, slots, tables, unavailable = problem
    result = schedule(meetings, slots, tables, unavailable, solver=solver, time_limit=5)
    assert clashes(result.placed, _people(meetings), unavailable, slots, tables) == []
    assert set(result.placed) | set(result.unplaced) == {m.id for m in meetings}
    assert len(result.placed) <= result.upper_bound


def _brute_force_optimum(meetings, slots, tables, unavailable):
    best = 0

    def place(i, used, count):
        nonlocal best
        if count + (len(meetings) - i) <= best:
            return
        if i == len(meetings):
            best = max(best, count)
            return
        m = meetings[i]
        for s in slots:
            if (
                s not in unavailable.get(m.a, ())
                and s not in unavailable.get(m.b, ())
                and (s, m.a) not in used
                and (s, m.b) not in used
                and sum(1 for key in used if key[0] == s) // 2 < len(tables)
            ):
                place(i + 1, used | {(s, m.a), (s, m.b)}, count + 1)
        place(i + 1, used, count)

    place(0, frozenset(), 0)
    return best


@settings(max_examples=60, deadline=None)
@given(problems())
def test_cp_sat_places_as_many_as_possible(problem):
    meetings, slots, tables, unavailable = problem
    meetings = meetings[:9]
    result = schedule(meetings, slots, tables, unavailable, time_limit=5)
    assert result.optimal
    assert len(result.placed) == _brute_force_optimum(meetings, slots, tables, unavailable)


@settings(max_examples=80, deadline=None)
@given(problems(), st.data())
def test_fixed_and_earlier_meetings_stay_in_place(problem, data):
    meetings, slots, tables, unavailable = problem
    first = schedule(meetings, slots, tables, unavailable, time_limit=5)
    # Re-run with the first placement, some meetings pinned, one more request.
    again = [
        Meeting(
            id=m.id,
            a=m.a,
            b=m.b,
            slot=first.placed.get(m.id, (None, None))[0],
            table=first.placed.get(m.id, (None, None))[1],
            pinned=data.draw(st.booleans()),
        )
        for m in meetings
    ]
    again.append(Meeting(id="new", a=0, b=1))
    second = schedule(again, slots, tables, unavailable, time_limit=5)
    for meeting_id, place in first.placed.items():
        assert second.placed[meeting_id] == place
    assert clashes(second.placed, _people(again), unavailable, slots, tables) == []


def test_a_place_no_longer_valid_is_given_up_and_the_rest_stays():
    meetings = [
        Meeting(id=1, a="a", b="b", slot=0, table="t1"),
        Meeting(id=2, a="c", b="d", slot=0, table="t2", pinned=True),
        Meeting(id=3, a="a", b="c", slot=1, table="t1"),
    ]
    result = schedule(meetings, [0, 1, 2], ["t1", "t2"], {"a": {0}})
    assert result.dropped == [1]
    assert result.placed[2] == (0, "t2")
    assert result.placed[3] == (1, "t1")
    assert result.placed[1][0] == 2  # moved to the one slot both can make and is free


def test_a_pinned_clash_keeps_the_pinned_meeting():
    meetings = [
        Meeting(id=1, a="a", b="b", slot=0, table="t1"),
        Meeting(id=2, a="a", b="c", slot=0, table="t2", pinned=True),
    ]
    result = schedule(meetings, [0], ["t1", "t2"])
    assert result.placed == {2: (0, "t2")}
    assert result.unplaced == [1]


def test_clashes_names_each_broken_rule():
    placed = {1: (0, "t"), 2: (0, "t"), 3: (5, "x")}
    people = {1: ("a", "b"), 2: ("a", "c"), 3: ("d", "e")}
    rules = {rule for rule, _id in clashes(placed, people, {"d": {5}}, [0], ["t"])}
    assert rules == {"table", "person", "unavailable", "slot", "table_unknown"}
