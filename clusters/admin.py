from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier, Network
from clusters.models_api import APIScope, APIToken
from clusters.services.api_tokens import api_token_revoke
from network.api.keys import display_prefix, hash_key, new_key


class TierInline(admin.TabularInline):
    model = MembershipTier
    extra = 0


class StaffInline(admin.TabularInline):
    model = ClusterStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "network"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TierInline, StaffInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "cluster", "status", "period_start", "period_end"]
    list_filter = ["cluster", "status"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "primary_contact"]


admin.site.register(Network)


# --- API tokens ---------------------------------------------------------------------------------
class APITokenAdminForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=APIScope.choices, widget=forms.CheckboxSelectMultiple, label=_("scopes")
    )

    class Meta:
        model = APIToken
        fields = ["name", "cluster", "organisation", "scopes", "rate_limit", "expires_at"]


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Network admins make tokens for clusters and organisations here; the key is shown once."""

    form = APITokenAdminForm
    list_display = ["name", "prefix", "cluster", "organisation", "created_at", "last_used_at"]
    list_filter = ["cluster", "revoked_at"]
    search_fields = ["name", "prefix", "organisation__name"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key = new_key()
        obj.prefix, obj.key_hash, obj.created_by = display_prefix(key), hash_key(key), request.user
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("The token's key (copy it now, it is not shown again): %(key)s") % {"key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, user=request.user)
