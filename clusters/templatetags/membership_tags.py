from django import template

from clusters.reasons import reason_text

register = template.Library()


@register.filter
def status_reason(obj) -> str:
    """A membership's (or history record's) reason in the reader's language."""
    return reason_text(obj)
