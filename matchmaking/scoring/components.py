"""The score's components: each a value in [0, 1] with a reason in words.

Every function here takes numpy arrays that broadcast, so the same formula scores one pair
(the explanation, the unit tests), a row, or a block of a thousand sources by all targets.

How the hard rules work (documented here, shown to admins on the runs page):

* Readiness: a target accepts a range of technology readiness levels (TRL). Inside the range
  counts 1; one level outside 0.5; two levels outside 0.2; three or more levels outside is a
  hard filter (no match). A profile without a TRL counts 0.5 ("not stated").
* Availability: a need whose deadline has passed, or a test site whose availability has ended,
  is not matched at all (hard filter); drafts and closed needs are never loaded. Otherwise it
  is a penalty: a need due within two weeks counts from 0.5 up to 1; a test site that is fully
  booked counts 0.3, one opening within a month 0.8, within three months 0.6, later 0.4, and
  one closing within a month 0.7. Knowledge offers are always available (1).
* Common ground: a pair sharing no focus area, no tag and no term is not a match, however
  close they are on the map.
* Shared needs: a need other municipalities, regions or hospitals joined ("we have this need
  too") gets SHARED_BONUS_EACH per organisation on top of the weighted sum, at most
  SHARED_BONUS_MAX, with the reason "a shared need"; a need nobody joined scores as before.
  Its geography is that of the closest of its places: its own (or its owner's) and those of
  the organisations that joined it.
* Feedback: a hook for a later issue; until then every pair counts a neutral 0.5 with the
  reason "no feedback yet" (and its default weight is 0).
"""

from dataclasses import asdict, dataclass

import numpy as np

COMPONENTS = ("focus", "tags", "text", "geography", "readiness", "availability", "feedback")

# Geography: how close the two are. Levels index GEOGRAPHY_VALUES.
GEO_ELSEWHERE, GEO_COUNTRY, GEO_REGION, GEO_MUNICIPALITY = 0, 1, 2, 3
GEOGRAPHY_VALUES = np.array([0.0, 0.3, 0.6, 1.0], dtype=np.float32)

# Readiness: value by distance (in levels) outside the accepted range; beyond: filtered out.
READINESS_VALUES = np.array([1.0, 0.5, 0.2], dtype=np.float32)
READINESS_UNKNOWN = 0.5
READINESS_FILTER = len(READINESS_VALUES)  # this many levels outside: no match

# Text: a cosine of TEXT_FULL or more counts as full similarity (two short profiles about the
# same thing rarely share more than half their weighted vocabulary).
TEXT_FULL = 0.5

# Availability.
URGENT_DAYS = 14
FULLY_BOOKED = 0.3
CLOSING_SOON_DAYS, CLOSING_SOON = 30, 0.7
OPENS_WITHIN = ((30, 0.8), (90, 0.6))
OPENS_LATER = 0.4

FEEDBACK_NEUTRAL = 0.5

# A shared need (matchmaking.sharing): each other municipality, region or hospital that has the
# same need adds to the score of every company that fits it, up to a cap. Not a weighted
# component (the weights stay as admins set them, and a need nobody joined scores exactly as
# before): a bonus on top, named among the reasons.
SHARED_BONUS_EACH = 0.02
SHARED_BONUS_MAX = 0.06


def shared_bonus(shared) -> np.ndarray:
    """The bonus of a need that `shared` other organisations joined (0 for other targets)."""
    shared = np.asarray(shared, dtype=np.float32)
    return np.minimum(shared * np.float32(SHARED_BONUS_EACH), np.float32(SHARED_BONUS_MAX))


# Availability reason codes (stored as small integers in arrays, named in reasons).
AV_NO_DEADLINE, AV_DEADLINE, AV_ROOM, AV_FULL, AV_OPENS, AV_CLOSES, AV_OFFER = range(7)
AVAILABILITY_CODES = (
    "no_deadline",
    "deadline",
    "room",
    "fully_booked",
    "opens",
    "closes",
    "open_offer",
)

TYPE_NEED, TYPE_TEST_SITE, TYPE_OFFER = 1, 2, 3


@dataclass(frozen=True)
class Weights:
    """Relative weights; the score divides by their sum, so it stays in [0, 1].

    Chosen by measurement (benchmarks/match_quality.py --tune, nDCG@10 on the judged set):
    what the texts are about decides; the four broad focus areas and the place only break
    ties (with focus and geography at a quarter of the score each, unrelated local companies
    outranked the obvious fit from the neighbouring country).
    """

    focus: float = 0.05
    tags: float = 0.10
    text: float = 0.80
    geography: float = 0.02
    readiness: float = 0.05
    availability: float = 0.05
    feedback: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def normalised(self) -> np.ndarray:
        values = np.array([getattr(self, name) for name in COMPONENTS], dtype=np.float64)
        if (values < 0).any() or values.sum() <= 0:
            raise ValueError("Weights must be non-negative with a positive sum.")
        return (values / values.sum()).astype(np.float32)

    @classmethod
    def from_dict(cls, data: dict) -> "Weights":
        return cls(**{name: float(data.get(name, getattr(cls, name))) for name in COMPONENTS})


def overlap(dot) -> np.ndarray:
    """Focus areas and tags: rows are binary vectors scaled to unit length, so their dot product
    is |A ∩ B| / sqrt(|A| |B|) (the Ochiai coefficient): 1 for identical sets, 0 for none."""
    return np.clip(np.asarray(dot, dtype=np.float32), 0.0, 1.0)


def text_value(cosine) -> np.ndarray:
    return np.minimum(np.asarray(cosine, dtype=np.float32) / TEXT_FULL, 1.0)


def geography(s_municipality, s_region, s_country, t_municipality, t_region, t_country):
    """Level and value of closeness.

    The tiers nest (a municipality lies in one region, a region in one country), so the level
    is the number of tiers the two share. Callers encode "not given" so that it never equals
    anything: ids on the source side as -1, on the target side as -2 (see `encode_places`).
    """
    level = np.equal(s_country, t_country).view(np.int8)
    level = level + np.equal(s_region, t_region).view(np.int8)
    level += np.equal(s_municipality, t_municipality).view(np.int8)
    return level, GEOGRAPHY_VALUES[level]


def encode_places(values, missing: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.int64)
    return np.where(values > 0, values, missing)


READINESS_TABLE = np.append(READINESS_VALUES, np.float32(0.0))


def readiness(trl, trl_min, trl_max):
    """Distance in levels outside the accepted range (capped at READINESS_FILTER) and value.

    A TRL of 0 means "not stated": distance 0, value READINESS_UNKNOWN.
    """
    trl = np.asarray(trl, dtype=np.int8)
    distance = np.maximum(np.asarray(trl_min, np.int8) - trl, trl - np.asarray(trl_max, np.int8))
    np.maximum(distance, 0, out=distance)
    np.minimum(distance, READINESS_FILTER, out=distance)
    value = READINESS_TABLE[distance]
    unknown = trl == 0
    if unknown.any():
        distance = np.where(unknown, np.int8(0), distance)
        value = np.where(unknown, np.float32(READINESS_UNKNOWN), value)
    return distance, value


def readiness_allowed(distance) -> np.ndarray:
    return distance < READINESS_FILTER


def availability(types, deadline, available_from, available_until, capacity, running, today):
    """Per target: (active, value, code, days). Dates are proleptic ordinals, 0 = none.

    `days` is the number of days the reason speaks of (to the deadline, until the site opens
    or closes) or, for test sites with room, how many tests more the site can take.
    """
    types = np.asarray(types)
    n = types.shape[0]
    value = np.ones(n, dtype=np.float32)
    code = np.full(n, AV_OFFER, dtype=np.int8)
    days = np.zeros(n, dtype=np.int32)
    active = np.ones(n, dtype=bool)

    need = types == TYPE_NEED
    has_deadline = need & (deadline > 0)
    to_deadline = deadline.astype(np.int64) - today
    active &= ~(has_deadline & (to_deadline < 0))
    code[need] = AV_NO_DEADLINE
    code[has_deadline] = AV_DEADLINE
    days[has_deadline] = to_deadline[has_deadline]
    urgency = 0.5 + 0.5 * np.clip(to_deadline, 0, URGENT_DAYS) / URGENT_DAYS
    value[has_deadline] = urgency[has_deadline]

    site = types == TYPE_TEST_SITE
    until = site & (available_until > 0)
    to_close = available_until.astype(np.int64) - today
    active &= ~(until & (to_close < 0))
    opens = site & (available_from > today)
    to_open = available_from.astype(np.int64) - today
    full = site & (capacity >= 0) & (running >= capacity)
    closing = until & (to_close < CLOSING_SOON_DAYS)

    code[site] = AV_ROOM
    days[site] = np.maximum(capacity - running, 0)[site]
    candidates = [
        (closing, CLOSING_SOON, AV_CLOSES, to_close),
        (opens, _opening_value(to_open), AV_OPENS, to_open),
        (full, FULLY_BOOKED, AV_FULL, running),
    ]
    for mask, candidate_value, candidate_code, candidate_days in candidates:
        candidate_value = np.broadcast_to(np.asarray(candidate_value, np.float32), (n,))
        worse = mask & (candidate_value < value)
        value[worse] = candidate_value[worse]
        code[worse] = candidate_code
        days[worse] = candidate_days[worse]
    return active, value, code, days


def _opening_value(days_to_open):
    value = np.full(days_to_open.shape, OPENS_LATER, dtype=np.float32)
    for limit, limit_value in reversed(OPENS_WITHIN):
        value[days_to_open <= limit] = limit_value
    return value


def combine(weights: np.ndarray, *values) -> np.ndarray:
    """Weighted sum of the components (weights already normalised to sum 1)."""
    total = None
    for weight, value in zip(weights, values, strict=True):
        if weight == 0:
            continue
        term = np.float32(weight) * value
        total = term if total is None else total + term
    return np.clip(total, 0.0, 1.0)
