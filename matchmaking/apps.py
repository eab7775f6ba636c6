from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from matchmaking.services import (
            match_run_for_profile_change,
            match_run_for_profiles_change,
        )
        from network import hooks

        hooks.register_profile_changed(match_run_for_profile_change)
        hooks.register_profiles_changed(match_run_for_profiles_change)

        from matchmaking import feedback, runner
        from matchmaking.introductions import gdpr

        runner.register_feedback(feedback.provider_for)
        gdpr.register_personal_data()

        from matchmaking import merge_rules

        merge_rules.register()

        from matchmaking.models import Need
        from network import moderation

        moderation.register_kind(
            "need",
            Need,
            display_fields=(
                "title", "description", "test_setting", "municipality", "region", "deadline",
                "trl_min", "trl_max", "focus_areas", "language", "visibility",
            ),
        )  # fmt: skip
