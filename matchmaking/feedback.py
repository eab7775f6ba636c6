"""Past feedback as the engine's feedback component (see scoring.engine.NoFeedback).

What people said turns into a value per pair, 0.5 meaning "nothing known":

* a pair either side rated "not relevant" counts 0 (the reason says the feedback was
  negative; the side that vetoed it no longer keeps it at all, scoring.engine.Vetoes, so it
  sinks only in the other side's list); rated "useful" counts 1;
* an SME that met partners through introductions gets the kind of target that led to those
  meetings (need, test site, knowledge offer) lifted to 0.75, more with more meetings
  (0.75 for one, 0.85 for two or more); a meeting reported as "not a fit" does not count;
* a pair's own rating wins over the lift;
* a veto for a reason about the subject ("not our field", models_introductions.TOPIC_REASONS)
  also sinks what resembles the vetoed partner for the side that vetoed: a company's other
  targets whose text is like the vetoed target's, or, when the target's owner vetoed, other
  companies like the vetoed company for that target. The value falls with the likeness
  (cosine of the text vectors): 0.5 * (1 - likeness), from a likeness of SIMILAR up.

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
SIMILAR = 0.2  # text likeness from which a subject veto sinks the look-alikes


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
    source_sink: dict = field(default_factory=dict)  # source row -> value per target row
    target_sink: dict = field(default_factory=dict)  # target row -> value per source row

    def __post_init__(self):
        for (s_row, t_row), value in self.pairs_value.items():
            self.by_source.setdefault(s_row, {})[t_row] = value

    @classmethod
    def build(cls, corpus: Corpus, *, ratings, meetings, topic_vetoes=()) -> "PastFeedback":
        """`ratings`: (source id, target type, target id, value); `meetings`: (source id,
        target type, count); `topic_vetoes`: (source id, target type, target id, by_target)
        for vetoes about the subject, `by_target` True when the target's owner vetoed."""
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
        source_sink, target_sink = _sinks(corpus, s_index, t_index, topic_vetoes)
        return cls(
            corpus, pairs_value, kind_value, source_sink=source_sink, target_sink=target_sink
        )

    def block(self, source_rows: np.ndarray, target_rows: np.ndarray) -> np.ndarray | np.float32:
        source_rows = np.asarray(source_rows)
        target_rows = np.asarray(target_rows)
        rows = source_rows.tolist()
        lifted = [i for i, row in enumerate(rows) if row in self.kind_value]
        rated = [i for i, row in enumerate(rows) if row in self.by_source]
        sunk = [i for i, row in enumerate(rows) if row in self.source_sink]
        if not lifted and not rated and not sunk and not self.target_sink:
            return np.float32(FEEDBACK_NEUTRAL)
        out = np.full((source_rows.size, target_rows.size), FEEDBACK_NEUTRAL, dtype=np.float32)
        types = self.corpus.targets.types[target_rows]
        for i in lifted:
            for type_code, value in self.kind_value[rows[i]].items():
                out[i, types == type_code] = value
        for i in sunk:
            np.minimum(out[i], self.source_sink[rows[i]][target_rows], out=out[i])
        if self.target_sink:
            columns = target_rows.tolist()
            for j, t_row in enumerate(columns):
                sink = self.target_sink.get(t_row)
                if sink is not None:
                    out[:, j] = np.minimum(out[:, j], sink[source_rows])
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
        if not (self.kind_value or self.pairs_value or self.source_sink or self.target_sink):
            return out
        types = self.corpus.targets.types
        for n, (s_row, t_row) in enumerate(
            zip(np.asarray(source_rows).tolist(), np.asarray(target_rows).tolist(), strict=True)
        ):
            value = self.pairs_value.get((s_row, t_row))
            if value is None:
                value = self.kind_value.get(s_row, {}).get(int(types[t_row]), FEEDBACK_NEUTRAL)
                if s_row in self.source_sink:
                    value = min(value, float(self.source_sink[s_row][t_row]))
                if t_row in self.target_sink:
                    value = min(value, float(self.target_sink[t_row][s_row]))
            out[n] = value
        return out


def _likeness_value(matrix, rows: list[int]) -> np.ndarray:
    """Per row of `matrix`: the feedback value its likeness to the closest of `rows` earns
    (text rows are unit vectors, so the product is the cosine)."""
    likeness = (matrix @ matrix[rows].T).toarray().max(axis=1)
    value = np.float32(FEEDBACK_NEUTRAL) * (1 - np.clip(likeness, 0, 1)).astype(np.float32)
    value[likeness < SIMILAR] = FEEDBACK_NEUTRAL
    return value.astype(np.float32)


def _sinks(corpus: Corpus, s_index: dict, t_index: dict, topic_vetoes) -> tuple[dict, dict]:
    by_source: dict = {}
    by_target: dict = {}
    for source_id, target_type, target_id, by_target_side in topic_vetoes:
        s_row = s_index.get(source_id)
        t_row = t_index.get((target_type, target_id))
        if s_row is None or t_row is None:
            continue
        if by_target_side:
            by_target.setdefault(t_row, []).append(s_row)
        else:
            by_source.setdefault(s_row, []).append(t_row)
    source_sink = {
        s_row: _likeness_value(corpus.targets.text, rows) for s_row, rows in by_source.items()
    }
    target_sink = {
        t_row: _likeness_value(corpus.sources.text, rows) for t_row, rows in by_target.items()
    }
    return source_sink, target_sink


def load_ratings():
    """(source id, target type, target id, value) of every match rating."""
    from matchmaking.models_introductions import Feedback, FeedbackKind

    rows = Feedback.objects.filter(
        kind__in=[FeedbackKind.USEFUL, FeedbackKind.NOT_RELEVANT]
    ).values_list("source_id", "target_type", "target_id", "kind")
    for source_id, target_type, target_id, kind in rows.iterator():
        value = NOT_RELEVANT if kind == FeedbackKind.NOT_RELEVANT else USEFUL
        yield source_id, target_type, target_id, value


def load_topic_vetoes():
    """(source id, target type, target id, by the target's side) of vetoes about the subject."""
    from matchmaking.models_introductions import TOPIC_REASONS, Feedback, FeedbackKind

    rows = Feedback.objects.filter(
        kind=FeedbackKind.NOT_RELEVANT, reason_code__in=TOPIC_REASONS
    ).values_list("source_id", "target_type", "target_id", "organisation_id")
    for source_id, target_type, target_id, organisation_id in rows.iterator():
        yield source_id, target_type, target_id, organisation_id != source_id


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
    return PastFeedback.build(
        corpus,
        ratings=load_ratings(),
        meetings=load_meetings(),
        topic_vetoes=load_topic_vetoes(),
    )


def reason_sentence(reason: dict) -> str | None:
    """The feedback component's reason in words (the codes come from scoring.explain)."""
    code = (reason or {}).get("code")
    if code == "positive":
        return _(
            "Ranked higher by past feedback: rated useful, or introductions to this kind of "
            "partner led to meetings"
        )
    if code == "negative":
        return _(
            "Ranked lower by past feedback: it, or something like it, was marked as not relevant"
        )
    return None
