"""Reasons the portal itself gives for a status change, stored as a code with parameters.

A lapse happens in a worker with no reader in mind; storing the sentence would fix it in the
worker's language and an ISO date. The code and its parameters are rendered when read: in the
email recipient's language, or the page viewer's, with their date format. Reasons a person
typed (a rejection, a cancellation) stay as they were written, and so do rows stored before.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

PERIOD_ENDED = "period_ended"


def _period_ended(params: dict) -> str:
    ended = date.fromisoformat(params["period_end"])
    return _("The period ended on %(date)s and the membership was not renewed.") % {
        "date": date_format(ended, "DATE_FORMAT")
    }


RENDERERS = {PERIOD_ENDED: _period_ended}


def reason_text(obj) -> str:
    """The reason of a membership or one of its history records, in the active language."""
    code = getattr(obj, "status_reason_code", "")
    renderer = RENDERERS.get(code)
    if renderer is not None:
        try:
            return renderer(getattr(obj, "status_reason_params", None) or {})
        except (KeyError, TypeError, ValueError):
            pass  # parameters of an older shape: fall back to the stored text
    return getattr(obj, "status_reason", "") or ""
