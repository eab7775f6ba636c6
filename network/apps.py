from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("National directory")

    def ready(self):
        from network import (
            checks,  # noqa: F401  (registers the deploy checks)
            reference_choices,
        )
        from network.joining import gdpr as joining_gdpr
        from network.notifications import register_personal_data

        register_personal_data()
        reference_choices.connect_signals()
        joining_gdpr.register_personal_data()

        from network import hooks
        from network.search import index as search_index

        hooks.register_profile_changed(search_index.on_item_changed)
        hooks.register_profiles_changed(search_index.on_items_changed)
