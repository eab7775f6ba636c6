from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from network.models import Person


class AccountAdapter(DefaultAccountAdapter):
    """Every new login gets a Person (the profile the portal works with) in the user's language."""

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
