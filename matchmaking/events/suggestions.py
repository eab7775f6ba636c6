"""Suggested partners at an event: pairs the matching engine made first (matchmaking.Match,
with its reasons), then participants whose focus areas overlap, or whose offer answers what
the participant looks for."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from matchmaking.models import Match
from matchmaking.templatetags.matchmaking_tags import focus_area_names, reason_sentences


@dataclass
class Suggestion:
    registration: object
    score: float
    reasons: list[str] = field(default_factory=list)
    from_matching: bool = False


def _words(text: str) -> set[str]:
    return {
        w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 4
    }


def _targets_of(organisation_ids) -> Q:
    return (
        Q(need__owner_id__in=organisation_ids)
        | Q(test_site__owner_id__in=organisation_ids)
        | Q(knowledge_offer__owner_id__in=organisation_ids)
    )


def matches_between(organisation_id, others):
    """The matches the engine made between an organisation and any of `others`, either way
    round: the organisation as the company and their need, test site or offer as the
    target, or the other way."""
    return Match.objects.filter(
        (Q(source_id=organisation_id) & _targets_of(others))
        | (Q(source_id__in=others) & _targets_of([organisation_id]))
    )


def suggested_partners(registration, participants, limit: int = 8) -> list[Suggestion]:
    """`participants`: the event's other approved registrations (organisation and its focus
    areas loaded). A constant number of queries whatever their number."""
    by_org = {p.organisation_id: p for p in participants if p.pk != registration.pk}
    if not by_org:
        return []
    mine = registration.organisation_id
    matches = matches_between(mine, list(by_org)).select_related(
        "need", "test_site", "knowledge_offer", "run"
    )[:200]
    focus_names = focus_area_names()
    found: dict[int, Suggestion] = {}
    for match in matches:
        target = match.target
        if target is None:
            continue
        org = target.owner_id if match.source_id == mine else match.source_id
        if org not in by_org:
            continue
        current = found.get(org)
        if current is None or match.score > current.score:
            found[org] = Suggestion(
                by_org[org], match.score, reason_sentences(match, focus_names), True
            )
    my_areas = {a.pk: a.name for a in registration.organisation.focus_areas.all()}
    wanted = _words(registration.looking_for)
    for org, participant in by_org.items():
        if org in found:
            continue
        shared = [
            my_areas[a.pk] for a in participant.organisation.focus_areas.all() if a.pk in my_areas
        ]
        common = sorted(wanted & _words(participant.offer))[:5]
        if not shared and not common:
            continue
        reasons = []
        if shared:
            reasons.append(_("Shared focus areas: %(areas)s") % {"areas": ", ".join(shared)})
        if common:
            reasons.append(
                _("Their offer mentions what you look for: %(words)s")
                % {"words": ", ".join(common)}
            )
        score = 0.5 * len(shared) / max(1, len(my_areas)) + 0.1 * len(common)
        found[org] = Suggestion(participant, min(score, 0.99), reasons)
    ranked = sorted(found.values(), key=lambda s: (not s.from_matching, -s.score))
    return ranked[:limit]
