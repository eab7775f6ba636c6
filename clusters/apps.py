from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Clusters and membership")

    def ready(self):
        from clusters import merge_rules, middleware

        merge_rules.register()
        middleware.connect_signals()

        from clusters.moderation import reviewer_ids, steward_ids
        from network import hooks

        hooks.register_reviewers(reviewer_ids)
        hooks.register_stewards(steward_ids)
        hooks.register_affiliations_moved(middleware.forget_flags_of)
