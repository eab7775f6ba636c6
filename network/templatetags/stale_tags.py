"""For templates/network/_stale_notice.html: when a reminded profile goes stale."""

from django import template

from network import stale

register = template.Library()


@register.filter
def goes_stale_on(organisation):
    return stale.goes_stale_on(organisation)
