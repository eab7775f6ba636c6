from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "matchmaking.bookings"
    label = "bookings"
    verbose_name = _("Test bookings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from matchmaking.bookings import merge_rules

        merge_rules.register()

        from matchmaking.bookings.services import site_commitments_check
        from network import hooks

        hooks.register_site_commitment_check(site_commitments_check)
