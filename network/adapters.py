from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from network import encryption, notifications
from network.models import Affiliation, Person


def on_site(url: str) -> str:
    """`url` (absolute, or a path) moved onto the site's public address."""
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return url
    return notifications.site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class AccountAdapter(DefaultAccountAdapter):
    """Every new login gets a Person (the profile the portal works with) in the user's language."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Said of the account only: the lock-out is per account (settings.ACCOUNT_RATE_LIMITS),
        # so colleagues behind the same address still sign in. The form offers a reset link.
        "too_many_login_attempts": _(
            "Too many failed login attempts for this account. It is locked for a few minutes; "
            "other people can still sign in. If you have forgotten your password, reset it."
        ),
    }

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (confirmation, password reset) link to the site's public address,
        not to the host the request happened to come in on (settings.PORTAL_SITE_URL)."""
        context = {
            name: on_site(value) if name.endswith("_url") and isinstance(value, str) else value
            for name, value in context.items()
        }
        return super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = (translation.get_language() or "da")[:2]
        user.language = language if language in {"da", "nb", "en"} else "da"
        if commit:
            user.save()
            Person.objects.get_or_create(
                user=user,
                defaults={
                    "first_name": user.first_name or user.email.split("@")[0],
                    "last_name": user.last_name,
                    "email": user.email,
                },
            )
        return user

    def get_login_redirect_url(self, request):
        """A person in no organisation yet starts where they can register or join one."""
        user = request.user
        if (
            user.is_authenticated
            and not (user.is_network_admin or user.is_superuser or user.is_staff)
            and not Affiliation.objects.filter(person__user=user).exists()
            and not user.cluster_roles.exists()
        ):
            return reverse("joining:start")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        """A new account belongs to no organisation yet: start where one is registered or joined."""
        return reverse("joining:start")


class MFAAdapter(DefaultMFAAdapter):
    """TOTP and recovery-code seeds are stored encrypted (network.encryption); existing plain
    ones were encrypted by migration network 0012."""

    def encrypt(self, text: str) -> str:
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return encryption.decrypt(encrypted_text)
