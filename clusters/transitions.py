"""The membership life cycle as data: which action moves which status where. No ORM here.

    applied  --approve--> active --renew--> active
    applied  --reject---> rejected          active --lapse--> lapsed --renew--> active
    applied  --withdraw-> withdrawn         active/lapsed --cancel--> cancelled
    rejected/withdrawn/cancelled/lapsed --reapply--> applied

Services call `check()` before every status change; everything not listed is forbidden.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    """Mirrors clusters.models.MembershipStatus, without importing the models."""

    APPLIED = "applied"
    ACTIVE = "active"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    RENEW = "renew"
    LAPSE = "lapse"
    CANCEL = "cancel"
    REAPPLY = "reapply"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    label: str
    # Staff affiliated with the organisation may not take this decision about it.
    conflict_sensitive: bool = False
    needs_reason: bool = False


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.APPROVE,
            frozenset({Status.APPLIED}),
            Status.ACTIVE,
            _("Approve"),
            conflict_sensitive=True,
        ),
        Transition(
            Action.REJECT,
            frozenset({Status.APPLIED}),
            Status.REJECTED,
            _("Reject"),
            conflict_sensitive=True,
            needs_reason=True,
        ),
        Transition(Action.WITHDRAW, frozenset({Status.APPLIED}), Status.WITHDRAWN, _("Withdraw")),
        Transition(
            Action.RENEW,
            frozenset({Status.ACTIVE, Status.LAPSED}),
            Status.ACTIVE,
            _("Renew for a year"),
            conflict_sensitive=True,
        ),
        Transition(Action.LAPSE, frozenset({Status.ACTIVE}), Status.LAPSED, _("Mark lapsed")),
        Transition(
            Action.CANCEL,
            frozenset({Status.ACTIVE, Status.LAPSED}),
            Status.CANCELLED,
            _("Cancel membership"),
            needs_reason=True,
        ),
        Transition(
            Action.REAPPLY,
            frozenset({Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED, Status.LAPSED}),
            Status.APPLIED,
            _("Apply again"),
        ),
    ]
}

# What staff may do to many memberships at once from the member list.
BULK_ACTIONS = (Action.APPROVE, Action.RENEW, Action.LAPSE)


class ServiceError(Exception):
    """A write the rules do not allow; `message` is fit to show to the user."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class TransitionError(ServiceError):
    """A status change the life cycle does not allow."""


def is_allowed(status: str, action: str) -> bool:
    transition = TRANSITIONS.get(Action(action))
    return transition is not None and Status(status) in transition.sources


def check(status: str, action: str) -> Transition:
    """The transition for `action` from `status`, or TransitionError when not allowed."""
    transition = TRANSITIONS[Action(action)]
    if Status(status) not in transition.sources:
        raise TransitionError(
            _("A membership that is %(status)s cannot be changed this way (%(action)s).")
            % {"status": STATUS_LABELS[Status(status)], "action": transition.label},
            code="not_allowed",
        )
    return transition


def allowed_actions(status: str) -> list[Action]:
    return [action for action, t in TRANSITIONS.items() if Status(status) in t.sources]


STATUS_LABELS = {
    Status.APPLIED: _("applied"),
    Status.ACTIVE: _("active"),
    Status.LAPSED: _("lapsed"),
    Status.CANCELLED: _("cancelled"),
    Status.REJECTED: _("rejected"),
    Status.WITHDRAWN: _("withdrawn"),
}
