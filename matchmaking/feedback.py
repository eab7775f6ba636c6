"""Past feedback as the engine's feedback component (see scoring.engine.NoFeedback).

What people said turns into a value per pair, 0.5 meaning "nothing known":

* a pair either side rated "not relevant" counts 0 (the target drops in the SME's list and
  the reason says the feedback was negative); rated "useful" counts 1;
* an SME that met partners through introductions gets the kind of target that led to those
  meetings (need, test site, knowledge offer) lifted to 0.75, more with more meetings
  (0.75 for one, 0.85 for two or more); a meeting reported as "not a fit" does not count;
* a pair's own rating wins over the lift.

`PastFeedback` is pure numpy over a corpus; `provider_for(corpus)` reads the rows (the
factory the runner calls, registered in MatchmakingConfig.ready()).
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from matchmaking.scoring.components import FEEDBACK_NEUTRAL
from matchmaking.scoring.corpus import TYPE_CODES, Corpus

NOT_RELEVANT = 0.0
USEFUL = 1.0
KIND_LIFT = {1: 0.75, 2: 0.85}  # meetings -> value; two or more count as two


def lift_for(meetings: int) -> float:
    if meetings <= 0:
        return FEEDBACK_NEUTRAL
    return KIND_LIFT[min(meetings, max(KIND_LIFT))]


@dataclass
class PastFeedback:
    """Feedback of one corpus: pair ratings and per-SME lifts of target kinds, by rows."""

    corpus: Corpus
    pairs_value: dict = field(default_factory=dict)  # (source row, target row) -> value
    kind_value: dict = field(default_factory=dict)  # source row -> {type code: value}
    by_source: dict = field(default_factory=dict)  # source row -> {target row: value}

    def __post_init__(self):
        for (s_row, t_row), value in self.pairs_value.items():
            self.by_source.setdefault(s_row, {})[t_row] = value

    @classmethod
    def build(cls, corpus: Corpus, *, ratings, meetings) -> "PastFeedback":
        """`ratings`: (source id, target type, target id, value); `meetings`: (source id,
        target type, count)."""
        s_index = {pk: row for (_kind, pk), row in corpus.sources.index().items()}
        t_index = corpus.targets.index()
        pairs_value = {}
        for source_id, target_type, target_id, value in ratings:
            s_row = s_index.get(source_id)
            t_row = t_index.get((target_type, target_id))
            if s_row is None or t_row is None:
                continue
            key = (s_row, t_row)
            # "not relevant" from either side wins over "useful" from the other
            pairs_value[key] = min(value, pairs_value.get(key, USEFUL))
        kind_value = {}
        for source_id, target_type, count in meetings:
            s_row = s_index.get(source_id)
            if s_row is None or target_type not in TYPE_CODES:
                continue
            kind_value.setdefault(s_row, {})[TYPE_CODES[target_type]] = lift_for(count)
        return cls(corpus, pairs_value, kind_value)

    def block(self, source_rows: np.ndarray, target_rows: np.ndarray) -> np.ndarray | np.float32:
        source_rows = np.asarray(source_rows)
        target_rows = np.asarray(target_rows)
        rows = source_rows.tolist()
        lifted = [i for i, row in enumerate(rows) if row in self.kind_value]
        rated = [i for i, row in enumerate(rows) if row in self.by_source]
        if not lifted and not rated:
            return np.float32(FEEDBACK_NEUTRAL)
        out = np.full((source_rows.size, target_rows.size), FEEDBACK_NEUTRAL, dtype=np.float32)
        types = self.corpus.targets.types[target_rows]
        for i in lifted:
            for type_code, value in self.kind_value[rows[i]].items():
                out[i, types == type_code] = value
        if rated:
            t_pos = {row: j for j, row in enumerate(target_rows.tolist())}
            for i in rated:
                for t_row, value in self.by_source[rows[i]].items():
                    j = t_pos.get(t_row)
                    if j is not None:
                        out[i, j] = value
        return out

    def pairs(self, source_rows: np.ndarray, target_rows: np.ndarray) -> np.ndarray:
        out = np.full(np.asarray(source_rows).shape, FEEDBACK_NEUTRAL, dtype=np.float32)
        if not self.kind_value and not self.pairs_value:
            return out
        types = self.corpus.targets.types
        for n, (s_row, t_row) in enumerate(
            zip(np.asarray(source_rows).tolist(), np.asarray(target_rows).tolist(), strict=True)
        ):
            value = self.pairs_value.get((s_row, t_row))
            if value is None:
                value = self.kind_value.get(s_row, {}).get(int(types[t_row]), FEEDBACK_NEUTRAL)
            out[n] = value
        return out


def load_ratings():
    """(source id, target type, target id, value) of every match rating."""
    from matchmaking.models_introductions import Feedback, FeedbackKind

    rows = Feedback.objects.filter(
        kind__in=[FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT]
    ).values_list("source_id", "target_type", "target_id", "kind")
    for source_id, target_type, target_id, kind in rows.iterator():
        value = NOT_RELEVANT if kind == FeedbackKind.NOT_RELEVANT else USEFUL
        yield source_id, target_type, target_id, value


def load_meetings():
    """(source id, target type, meetings) of introductions that led to a meeting, except those
    reported as not a fit."""
    from matchmaking.models_introductions import (
        Feedback,
        FeedbackKind,
        Introduction,
        IntroductionStatus,
        MeetingOutcome,
    )

    no_fit = Feedback.objects.filter(
        kind=FeedbackKind.MEETING, outcome=MeetingOutcome.NO_FIT
    ).values("introduction_id")
    counts = Counter(
        Introduction.objects.filter(status=IntroductionStatus.MET)
        .exclude(pk__in=no_fit)
        .values_list("source_id", "match__target_type")
        .iterator()
    )
    for (source_id, target_type), count in counts.items():
        yield source_id, target_type, count


def provider_for(corpus: Corpus) -> PastFeedback:
    return PastFeedback.build(corpus, ratings=load_ratings(), meetings=load_meetings())


def reason_sentence(reason: dict) -> str | None:
    """The feedback component's reason in words (the codes come from scoring.explain)."""
    code = (reason or {}).get("code")
    if code == "positive":
        return _(
            "Ranked higher by past feedback: rated useful, or introductions to this kind of "
            "partner led to meetings"
        )
    if code == "negative":
        return _("Ranked lower by past feedback: marked as not relevant")
    return None
