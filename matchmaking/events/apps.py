from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "matchmaking.events"
    label = "events"
    verbose_name = _("Matchmaking events")

    def ready(self):
        from matchmaking.events import gdpr

        gdpr.register_personal_data()
