"""What a list of match cards shows, worked out in Python once per card.

A page of matches is twenty cards; each used to cost four `{% include %}`s and some forty template
lookups, tags and translations, which made the card list the costliest part of the page. Here
each card's target link, its one-line description, its reasons and its action URLs become plain
attributes of the match, and the list's template only prints them (matchmaking/my_matches.html).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.templatetags.matchmaking_tags import focus_area_names, reason_sentences

_PK = 2147483647  # stands for the primary key in a URL reversed once per list
_SLUG = "slug-placeholder-7f3a"


def _url_maker(name: str, placeholder):
    """`reverse(name, args=[value])` for many values, reversed once: the URL is split at a
    placeholder and the value goes in between."""
    head, tail = reverse(name, args=[placeholder]).split(str(placeholder), 1)
    return lambda value: f"{head}{value}{tail}"


def _target(match, need_url, organisation_url, labels) -> tuple[str, str, str]:
    """The target's link, name and `kind · owner · place` line, as matchmaking/_target.html."""
    if match.target_type == "need":
        target = match.need
        if target is None:
            return "", "", f"{labels['need']} · "
        place = target.municipality or target.region
        parts = [labels["need"], target.owner.name] + ([place.name] if place else [])
        return need_url(target.pk), target.title, " · ".join(parts)
    if match.target_type == "test_site":
        target = match.test_site
        if target is None:
            return "", "", f"{labels['test_site']} · "
        parts = [labels["test_site"], target.owner.name]
        if target.municipality:
            parts.append(target.municipality.name)
        url = f"{organisation_url(target.owner.slug)}#site-{target.pk}"
        return url, target.name, " · ".join(parts)
    target = match.knowledge_offer
    if target is None:
        return "", "", f"{labels['knowledge_offer']} · "
    parts = [labels["knowledge_offer"], target.owner.name]
    if target.owner.region:
        parts.append(target.owner.region.name)
    url = f"{organisation_url(target.owner.slug)}#offer-{target.pk}"
    return url, target.title, " · ".join(parts)


def _side_url_maker(name: str, side: str):
    head, tail = reverse(name, args=[_PK, side]).split(str(_PK), 1)
    return lambda value: f"{head}{value}{tail}"


def prepare_cards(matches, focus_names=None, *, targets=True, actions=True, target_actions=False):
    """Set on each match what its card prints: `card_reasons` (sentences, weightiest first);
    with `targets`, `card_url`, `card_title` and `card_meta`; with `actions` (the company's
    side), `request_url`, `feedback_url` and `not_relevant_url`; with `target_actions` (the
    target owner's side), `not_relevant_url`, `shortlist_url`, `invite_url` and, when an
    introduction is open (the `introduction_pk` annotation), `introduction_url`. Returns the
    matches as a list."""
    matches = list(matches)
    if focus_names is None:
        focus_names = focus_area_names()
    today = timezone.localdate()
    labels = {
        "need": _("Need"),
        "test_site": _("Test site"),
        "knowledge_offer": _("Knowledge offer"),
    }
    need_url = _url_maker("matchmaking:need_detail", _PK)
    organisation_url = _url_maker("organisation_detail", _SLUG)
    request_url = _url_maker("matchmaking:introduction_request", _PK)
    feedback_url = _url_maker("matchmaking:match_feedback", _PK)
    company_veto_url = _side_url_maker("matchmaking:match_not_relevant", "company")
    target_veto_url = _side_url_maker("matchmaking:match_not_relevant", "target")
    shortlist_url = _side_url_maker("matchmaking:match_shortlist", "target")
    invite_url = _url_maker("matchmaking:introduction_invite", _PK)
    introduction_url = _url_maker("matchmaking:introduction_detail", _PK)
    for match in matches:
        match.card_reasons = reason_sentences(match, focus_names, today)
        if targets:
            match.card_url, match.card_title, match.card_meta = _target(
                match, need_url, organisation_url, labels
            )
        if actions:
            match.request_url = request_url(match.pk)
            match.feedback_url = feedback_url(match.pk)
            match.not_relevant_url = company_veto_url(match.pk)
        if target_actions:
            match.not_relevant_url = target_veto_url(match.pk)
            match.shortlist_url = shortlist_url(match.pk)
            match.invite_url = invite_url(match.pk)
            pk = getattr(match, "introduction_pk", None)
            match.introduction_url = introduction_url(pk) if pk else ""
    return matches
