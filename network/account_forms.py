"""The sign-in form, as allauth's, knowing when the account is locked (to offer a reset)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.forms.forms import NON_FIELD_ERRORS


class LoginForm(AllauthLoginForm):
    @property
    def locked_out(self) -> bool:
        """Too many wrong passwords for this account (settings.ACCOUNT_RATE_LIMITS)."""
        return self.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")
