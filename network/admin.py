from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from network.models import (
    Affiliation,
    Concept,
    DuplicateDismissal,
    FocusArea,
    KnowledgeOffer,
    Municipality,
    Organisation,
    OrganisationMerge,
    Person,
    Region,
    Tag,
    TestSite,
    User,
)
from network.models.notifications import EmailOptOut, EmailOptOutEvent
from network.municipalities import name_key


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_network_admin", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "language"]}),
        ("Roles", {"fields": ["is_network_admin", "is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "cvr", "orgnr", "municipality", "is_public"]
    list_filter = ["kind", "country", "is_public", "region"]
    search_fields = ["name", "cvr", "orgnr"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality", "tags"]
    filter_horizontal = ["focus_areas"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "user", "contact_public", "directory_consent"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "country"]
    list_filter = ["country", "region"]
    search_fields = ["name", "code"]

    def get_search_results(self, request, queryset, search_term):
        """Also the Sami and Kven names, compared in Python: SQLite keeps JSON's non-ASCII
        letters escaped, so a database lookup would miss 'Unjárga'."""
        filtered = queryset  # as the list filters left it; the other names keep to them too
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = name_key(search_term)
        if key:
            ids = [
                pk
                for pk, others in filtered.values_list("pk", "alternative_names")
                if any(key in name_key(other) for other in others or [])
            ]
            queryset |= filtered.filter(pk__in=ids)
        return queryset, may_have_duplicates


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Concept)
class ConceptAdmin(SimpleHistoryAdmin):
    """The matching thesaurus: add a synonym on a new line, merge a concept by choosing the
    one it is merged into; changes count from the next full match run, with history."""

    list_display = ["slug", "label_da", "label_nb", "label_en", "merged_into", "updated_at"]
    search_fields = ["slug", "terms_da", "terms_nb", "terms_en", "abbreviations"]
    list_filter = [("merged_into", admin.EmptyFieldListFilter)]
    raw_id_fields = ["merged_into"]
    fields = ["slug", "terms_da", "terms_nb", "terms_en", "abbreviations", "merged_into"]

    @admin.display(description=_("Danish"))
    def label_da(self, concept):
        return next(iter(concept.terms("da")), "")

    @admin.display(description=_("Norwegian Bokmål"))
    def label_nb(self, concept):
        return next(iter(concept.terms("nb")), "")

    @admin.display(description=_("English"))
    def label_en(self, concept):
        return next(iter(concept.terms("en")), "")


admin.site.register(Region)
admin.site.register(FocusArea)
admin.site.register(
    TestSite, list_display=["name", "owner", "site_type", "is_public"], raw_id_fields=["owner"]
)
admin.site.register(
    KnowledgeOffer,
    list_display=["title", "owner", "method", "is_public"],
    raw_id_fields=["owner", "contact"],
)


@admin.register(OrganisationMerge)
class OrganisationMergeAdmin(admin.ModelAdmin):
    """The record of merges: read only (merges are made on the staff page)."""

    list_display = ["removed_name", "removed_identifier", "kept_name", "merged_by", "merged_at"]
    search_fields = ["removed_name", "removed_identifier", "kept_name"]
    readonly_fields = [f.name for f in OrganisationMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(
    DuplicateDismissal,
    list_display=["first", "second", "dismissed_by", "dismissed_at"],
    raw_id_fields=["first", "second"],
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed only through network.optouts, which writes the log; the admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmailOptOut)
class EmailOptOutAdmin(ReadOnlyAdmin):
    list_display = ["address", "created_at"]
    search_fields = ["address"]


@admin.register(EmailOptOutEvent)
class EmailOptOutEventAdmin(ReadOnlyAdmin):
    list_display = ["address", "action", "via", "actor", "note", "at"]
    list_filter = ["action", "via"]
    search_fields = ["address"]
    list_select_related = ["actor"]
