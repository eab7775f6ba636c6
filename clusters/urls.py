from django.urls import path

from clusters.views import (
    api_tokens,
    configuration,
    duplicates,
    imports,
    organisations,
    reviews,
    staff,
)

app_name = "clusters"
urlpatterns = [
    path("", staff.cluster_index, name="index"),
    # The organisation side (before the cluster slugs, which these words are not).
    path("apply/", organisations.apply, name="apply"),
    path("applications/", organisations.my_applications, name="my_applications"),
    path("applications/<int:pk>/withdraw/", organisations.withdraw, name="application_withdraw"),
    # Review before publication: every queue (network admins) and one item's review.
    path("reviews/", reviews.review_queue_all, name="review_queue_all"),
    path("reviews/<str:kind>/<int:pk>/", reviews.review_detail, name="review_detail"),
    # Duplicate organisations, for network admins and cluster staff.
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path(
        "duplicates/merge/<int:remove>/into/<int:keep>/",
        duplicates.duplicate_merge,
        name="duplicate_merge",
    ),
    path("duplicates/merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
    path(
        "duplicates/<int:first>/<int:second>/dismiss/",
        duplicates.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    # Staff pages of one cluster.
    path("<slug:slug>/", staff.cluster_home, name="cluster_home"),
    path("<slug:slug>/members/", staff.member_list, name="member_list"),
    path(
        "<slug:slug>/members/export.csv",
        staff.member_export,
        {"fmt": "csv"},
        name="member_export_csv",
    ),
    path(
        "<slug:slug>/members/export.xlsx",
        staff.member_export,
        {"fmt": "xlsx"},
        name="member_export_xlsx",
    ),
    path("<slug:slug>/members/bulk/", staff.bulk_action, name="bulk_action"),
    path("<slug:slug>/members/<int:pk>/", staff.membership_detail, name="membership_detail"),
    path("<slug:slug>/members/<int:pk>/edit/", staff.membership_edit, name="membership_edit"),
    path(
        "<slug:slug>/members/<int:pk>/contact/",
        staff.membership_contact_add,
        name="membership_contact_add",
    ),
    path(
        "<slug:slug>/members/<int:pk>/undo-cancel/",
        staff.membership_cancel_undo,
        name="membership_cancel_undo",
    ),
    path(
        "<slug:slug>/members/<int:pk>/contact-emails/",
        staff.membership_contact_emails,
        name="membership_contact_emails",
    ),
    path(
        "<slug:slug>/members/<int:pk>/<str:action>/",
        staff.membership_action,
        name="membership_action",
    ),
    path("<slug:slug>/applications/", staff.application_queue, name="application_queue"),
    path("<slug:slug>/reviews/", reviews.review_queue, name="review_queue"),
    path("<slug:slug>/import/", imports.import_upload, name="import_upload"),
    path("<slug:slug>/import/template.csv", imports.import_template, name="import_template"),
    path("<slug:slug>/import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("<slug:slug>/import/<int:pk>/commit/", imports.import_commit, name="import_commit"),
    path("<slug:slug>/import/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("<slug:slug>/import/<int:pk>/errors/", imports.import_errors, name="import_errors"),
    path("<slug:slug>/import/<int:pk>/map/", imports.import_map_values, name="import_map_values"),
    path(
        "<slug:slug>/import/<int:pk>/rows/<int:row_pk>/",
        imports.import_row_correct,
        name="import_row_correct",
    ),
    path("<slug:slug>/settings/", configuration.cluster_settings, name="settings"),
    path("<slug:slug>/settings/tiers/new/", configuration.tier_edit, name="tier_create"),
    path("<slug:slug>/settings/tiers/<int:pk>/", configuration.tier_edit, name="tier_edit"),
    path(
        "<slug:slug>/settings/tiers/<int:pk>/delete/",
        configuration.tier_delete,
        name="tier_delete",
    ),
    path("<slug:slug>/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "<slug:slug>/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
]
