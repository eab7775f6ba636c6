"""The introduction life cycle as data. No ORM here.

    requested --accept--> accepted --meet--> met
    requested --decline-> declined
    requested --expire--> expired

Services call `check()` before every status change; everything not listed is forbidden.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    """Mirrors IntroductionStatus, without importing the models."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    MET = "met"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"
    MEET = "meet"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset
    target: Status
    label: str


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(Action.ACCEPT, frozenset({Status.REQUESTED}), Status.ACCEPTED, _("Accept")),
        Transition(Action.DECLINE, frozenset({Status.REQUESTED}), Status.DECLINED, _("Decline")),
        Transition(Action.EXPIRE, frozenset({Status.REQUESTED}), Status.EXPIRED, _("Expire")),
        Transition(Action.MEET, frozenset({Status.ACCEPTED}), Status.MET, _("We met")),
    ]
}

STATUS_LABELS = {
    Status.REQUESTED: _("waiting for an answer"),
    Status.ACCEPTED: _("accepted"),
    Status.DECLINED: _("declined"),
    Status.EXPIRED: _("expired"),
    Status.MET: _("met"),
}


class IntroductionError(Exception):
    """A write the rules do not allow; `message` is fit to show to the user."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def is_allowed(status: str, action: str) -> bool:
    return Status(status) in TRANSITIONS[Action(action)].sources


def check(status: str, action: str) -> Transition:
    transition = TRANSITIONS[Action(action)]
    if Status(status) not in transition.sources:
        raise IntroductionError(
            _("An introduction that is %(status)s cannot be changed this way (%(action)s).")
            % {"status": STATUS_LABELS[Status(status)], "action": transition.label},
            code="not_allowed",
        )
    return transition
