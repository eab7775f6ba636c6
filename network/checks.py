"""Deploy checks of the project's own settings, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def staff_mfa_enforced(app_configs, **kwargs):
    if settings.STAFF_MFA_REQUIRED or settings.DEBUG:
        return []
    return [
        Warning(
            "PORTAL_STAFF_MFA_REQUIRED is off: network admins and cluster staff could work "
            "without two-factor sign-in.",
            hint="Unset PORTAL_STAFF_MFA_REQUIRED (it defaults to on) outside a local demo.",
            id="network.W001",
        )
    ]
