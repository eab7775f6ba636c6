"""Deploy checks of the project's own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


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


@register(Tags.security, deploy=True)
def encryption_keys_from_environment(app_configs, **kwargs):
    """Secrets at rest (TOTP seeds) need a key kept apart from the database and its backups:
    in production from the environment, never the one an embedded portal generates under var/."""
    if settings.DEBUG:
        return []
    if not settings.PORTAL_ENCRYPTION_KEYS_FROM_ENV:
        return [
            Error(
                "PORTAL_ENCRYPTION_KEYS is not set: TOTP secrets would be encrypted with a key "
                "generated under var/, beside the database.",
                hint="Set PORTAL_ENCRYPTION_KEYS (or PORTAL_ENCRYPTION_KEYS_FILE) to one or more "
                "comma-separated Fernet keys; see .env.example.",
                id="network.E001",
            )
        ]
    from network import encryption

    try:
        encryption.encrypt("check")
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="network.E002")]
    return []


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 (names, not a bind)


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Every email and file links to PORTAL_SITE_URL: in production it must be the public https
    address, or links would point at a developer's machine or be sent in the clear."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.PORTAL_SITE_URL)
    host = (url.hostname or "").lower()
    if (
        not settings.PORTAL_SITE_URL_FROM_ENV
        or url.scheme != "https"
        or host in LOCAL_HOSTS
        or host.endswith(".localhost")
        or host.startswith("127.")
    ):
        return [
            Error(
                f"PORTAL_SITE_URL is {settings.PORTAL_SITE_URL!r}: links in emails and files "
                "need the site's public https address.",
                hint="Set PORTAL_SITE_URL, e.g. https://portal.example.org (the old name "
                "SITE_URL is read too).",
                id="network.E003",
            )
        ]
    return []
