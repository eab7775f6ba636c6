from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("National directory")

    def ready(self):
        from network import (
            checks,  # noqa: F401  (registers the deploy checks)
            lookups,  # noqa: F401  (registers field__any)
            page_cache,
            reference_choices,
        )
        from network.joining import gdpr as joining_gdpr
        from network.notifications import register_personal_data

        register_personal_data()
        reference_choices.connect_signals()
        page_cache.connect_signals()
        joining_gdpr.register_personal_data()

        from network import hooks
        from network.search import index as search_index

        hooks.register_profile_changed(search_index.on_item_changed)
        # The documents carry the thesaurus's concept keys: an admin's edit re-indexes them.
        from django.db.models.signals import post_delete, post_save

        from network.models import Concept
        from network.tasks import thesaurus_changed

        post_save.connect(thesaurus_changed, sender=Concept, dispatch_uid="search-concept-save")
        post_delete.connect(thesaurus_changed, sender=Concept, dispatch_uid="search-concept-del")
        hooks.register_profiles_changed(search_index.on_items_changed)
