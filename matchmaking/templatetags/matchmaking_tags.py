"""A match's reasons in the reader's language.

The runs store each component's reason as a code with parameters (matchmaking.scoring.explain);
here they become sentences, through gettext, when the page is rendered. Focus areas are stored
by id: their names come from `focus_names` in the template context (one query per page), or
from one query here when a page did not provide them.
"""

from datetime import date

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from matchmaking.models import MatchCriteria
from network.models import FocusArea
from network.models.reference import Country

register = template.Library()

# Components in the order of their default weights, used when a run's weights are unknown.
DEFAULT_WEIGHTS = {
    "text": 0.80,
    "tags": 0.10,
    "focus": 0.05,
    "readiness": 0.05,
    "availability": 0.05,
    "geography": 0.02,
    "feedback": 0.0,
}


def focus_area_names() -> dict[int, str]:
    return {area.pk: area.name for area in FocusArea.objects.all()}


def _and(items) -> str:
    return get_text_list([str(item) for item in items], _("and"))


def _lower_first(name: str) -> str:
    """'Prevention and predictive health' reads as part of a sentence."""
    return name[:1].lower() + name[1:]


def _country(code) -> str:
    try:
        return str(Country(code).label)
    except ValueError:
        return str(code or "")


def _date(value: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return ""


def _days_until(value: str, today: date) -> int | None:
    try:
        return (date.fromisoformat(value) - today).days
    except (TypeError, ValueError):
        return None


def _focus(reason, focus_names, today):
    names = [_lower_first(focus_names[pk]) for pk in reason.get("areas", []) if pk in focus_names]
    if reason.get("code") == "shared" and names:
        return _("Both work on %(areas)s") % {"areas": _and(names)}
    return None


def _tags(reason, focus_names, today):
    if reason.get("code") == "shared" and reason.get("tags"):
        return _("Shared tags: %(tags)s") % {"tags": ", ".join(reason["tags"])}
    return None


def _text(reason, focus_names, today):
    if reason.get("code") != "terms":
        return None
    language = (get_language() or "da").split("-")[0]
    concepts = [
        concept.get(language) or concept.get("en") or concept.get("id", "")
        for concept in reason.get("concepts", [])
    ]
    sentences = []
    if concepts:
        sentences.append(_("Both are about %(concepts)s") % {"concepts": _and(concepts)})
    if reason.get("terms"):
        sentences.append(_("Shared terms: %(terms)s") % {"terms": ", ".join(reason["terms"])})
    return "; ".join(sentences) or None


def _geography(reason, focus_names, today):
    code = reason.get("code")
    if code == "municipality":
        return _("Same municipality: %(name)s") % {"name": reason.get("name", "")}
    if code == "region":
        return _("Same region: %(name)s") % {"name": reason.get("name", "")}
    if code == "country":
        return _("Both in %(country)s") % {"country": _country(reason.get("country"))}
    if code == "elsewhere":
        countries = [_country(c) for c in reason.get("countries", [])]
        if len(set(countries)) > 1:
            return _("In different countries: %(countries)s") % {"countries": _and(countries)}
    return None


def _readiness(reason, focus_names, today):
    code = reason.get("code")
    params = {key: reason.get(key) for key in ("trl", "min", "max", "gap")}
    if code == "any":
        return _("Any readiness level is welcome")
    if code == "fits":
        return _("Accepts readiness level %(min)s–%(max)s; the company is at %(trl)s") % params
    if code == "below":
        return (
            _("Asks for readiness level %(min)s–%(max)s; the company is below, at %(trl)s") % params
        )
    if code == "above":
        return (
            _("Asks for readiness level %(min)s–%(max)s; the company is above, at %(trl)s") % params
        )
    if code == "unknown":
        return (
            _("Asks for readiness level %(min)s–%(max)s; the company has not stated its level")
            % params
        )
    return None


def _availability(reason, focus_names, today):
    code = reason.get("code")
    if code == "deadline":
        days = _days_until(reason.get("date"), today)
        when = _date(reason.get("date"))
        if days is None:
            return None
        if days < 0:
            return _("The deadline has passed (%(date)s)") % {"date": when}
        if days == 0:
            return _("Deadline today")
        return ngettext(
            "Deadline in %(days)d day (%(date)s)", "Deadline in %(days)d days (%(date)s)", days
        ) % {"days": days, "date": when}
    if code == "no_deadline":
        return _("No deadline")
    if code == "room":
        free = int(reason.get("free") or 0)
        return ngettext(
            "Room for %(free)d more test now", "Room for %(free)d more tests now", free
        ) % {"free": free}
    if code == "fully_booked":
        return _("Fully booked now: %(running)s of %(capacity)s tests running") % {
            "running": reason.get("running"),
            "capacity": reason.get("capacity"),
        }
    if code == "opens":
        return _("Opens for tests on %(date)s") % {"date": _date(reason.get("date"))}
    if code == "closes":
        return _("Open for tests until %(date)s") % {"date": _date(reason.get("date"))}
    if code == "open_offer":
        return _("Open to requests")
    return None


def _feedback(reason, focus_names, today):
    from matchmaking.feedback import reason_sentence

    return reason_sentence(reason)


def _shared(reason, focus_names, today):
    count = int(reason.get("count") or 0)
    if count < 1:
        return None
    return ngettext(
        "A shared need: %(count)s more municipality, region or hospital has it too",
        "A shared need: %(count)s more municipalities, regions or hospitals have it too",
        count,
    ) % {"count": count}


HIDDEN_WHEN_ZERO = {"geography"}

SENTENCES = {
    "focus": _focus,
    "tags": _tags,
    "text": _text,
    "geography": _geography,
    "readiness": _readiness,
    "availability": _availability,
    "feedback": _feedback,
    "shared": _shared,
}


def reason_sentences(match, focus_names=None, today=None) -> list[str]:
    """The match's reasons as sentences, the weightiest first (weight × value of the
    component, with the weights of the run that made it)."""
    if focus_names is None:
        focus_names = focus_area_names()
    today = today or timezone.localdate()
    reasons = match.reasons or {}
    components = match.components or {}
    # The run's weights only when the run was fetched with the match (no query per row).
    run = match._state.fields_cache.get("run") if hasattr(match, "_state") else None
    weights = (run.weights if run is not None and run.weights else None) or DEFAULT_WEIGHTS
    order = sorted(
        reasons,
        key=lambda name: (
            # The shared need's bonus is added as it is (no weight of its own).
            -(weights.get(name, 1 if name == "shared" else 0) or 0)
            * (components.get(name, 0) or 0),
            list(SENTENCES).index(name) if name in SENTENCES else 99,
        ),
    )
    sentences = []
    for name in order:
        render = SENTENCES.get(name)
        reason = reasons.get(name)
        if render is None or not isinstance(reason, dict):
            continue
        if name in HIDDEN_WHEN_ZERO and not components.get(name):
            continue  # far apart: not a reason why it fits
        sentence = render(reason, focus_names, today)
        if sentence:
            sentences.append(sentence)
    return sentences


@register.simple_tag(takes_context=True)
def match_reasons(context, match):
    """`{% match_reasons match as reasons %}`: the match's reasons as a list of sentences."""
    focus_names = context.get("focus_names")
    if focus_names is None:
        focus_names = context.render_context.get("matchmaking_focus_names")
        if focus_names is None:
            focus_names = context.render_context["matchmaking_focus_names"] = focus_area_names()
    return reason_sentences(match, focus_names)


@register.simple_tag
def component_labels():
    """Labels of the score's components, as on the weights editor."""
    return {
        name: MatchCriteria._meta.get_field(field).verbose_name
        for name, field in MatchCriteria.WEIGHT_FIELDS.items()
    }


@register.simple_tag
def short_list(names, limit: int = 4):
    """ "Odense, Svendborg and Nyborg"; more than `limit` names as the first few and how many
    more, the whole list in the title."""
    names = [str(name) for name in names]
    if len(names) <= limit:
        return _and(names)
    more = len(names) - (limit - 1)
    text = _and(
        [
            *names[: limit - 1],
            ngettext("%(count)s more place", "%(count)s more places", more) % {"count": more},
        ]
    )
    return format_html('<span title="{}">{}</span>', ", ".join(names), text)


@register.simple_tag(name="is_sme_user")
def is_sme_user_tag(user) -> bool:
    """For the menu: does the user belong to an SME (asked once per request)."""
    from matchmaking.permissions import is_sme_user

    return is_sme_user(user)
