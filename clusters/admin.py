from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier, Network


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
