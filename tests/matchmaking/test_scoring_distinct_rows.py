"""The distinct reason keys of an explanation chunk (matchmaking/scoring/explain.py), found by
packing columns into one integer: the same rows as comparing them whole, also when the columns'
ranges are too wide to pack together. Without the database."""

import numpy as np
import pytest

from matchmaking.scoring.explain import _distinct_rows


@pytest.mark.parametrize(
    "high",
    [
        [3, 5, 2, 7],  # all columns packed into one integer
        [2**40, 2**40, 9, 2**30],  # renumbered between columns
    ],
)
def test_distinct_rows_are_those_of_comparing_whole_rows(high):
    rng = np.random.default_rng(7)
    base = rng.integers(0, 6, size=(500, len(high)))
    keys = np.stack(
        [np.where(base[:, i] % 2 == 0, base[:, i], high[i] - base[:, i]) for i in range(len(high))],
        axis=1,
    ).astype(np.int64)
    first, ids = _distinct_rows(keys)
    _unique, expected = np.unique(keys, axis=0, return_inverse=True)
    expected = expected.reshape(-1)
    # Same partition of the rows into groups.
    assert len(first) == expected.max() + 1
    for group in range(len(first)):
        members = np.flatnonzero(ids == group)
        assert len(set(expected[members].tolist())) == 1
        assert first[group] == members.min()
        assert (keys[members] == keys[first[group]]).all()
    assert len(set(zip(ids.tolist(), expected.tolist(), strict=True))) == len(first)
