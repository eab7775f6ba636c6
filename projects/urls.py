from django.urls import path

from projects.views import dashboard, records, reports

app_name = "projects"
urlpatterns = [
    path("", records.project_list, name="project_list"),
    path("new/", records.project_create, name="project_create"),
    path("<int:pk>/", records.project_detail, name="project_detail"),
    path("<int:pk>/edit/", records.project_edit, name="project_edit"),
    path("<int:pk>/partners/", records.partner_add, name="partner_add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/remove/",
        records.partner_remove,
        name="partner_remove",
    ),
    path("<int:pk>/contributions/new/", records.project_contribution, name="project_contribution"),
    path(
        "<int:pk>/contributions/<int:contribution_pk>/",
        records.project_contribution,
        name="project_contribution_edit",
    ),
    path("contributions/<int:pk>/delete/", records.contribution_delete, name="contribution_delete"),
    path("activities/", records.activity_list, name="activity_list"),
    path("activities/new/", records.activity_create, name="activity_create"),
    path("activities/<int:pk>/", records.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", records.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/participants/", records.participant_add, name="participant_add"),
    path(
        "activities/<int:pk>/participants/import/",
        records.participant_import,
        name="participant_import",
    ),
    path(
        "activities/<int:pk>/participants/<int:participant_pk>/remove/",
        records.participant_remove,
        name="participant_remove",
    ),
    path(
        "activities/<int:pk>/contributions/new/",
        records.activity_contribution,
        name="activity_contribution",
    ),
    path(
        "activities/<int:pk>/contributions/<int:contribution_pk>/",
        records.activity_contribution,
        name="activity_contribution_edit",
    ),
    path("budgets/<slug:slug>/", records.budget_list, name="budget_list"),
    path("budgets/<slug:slug>/new/", records.budget_edit, name="budget_create"),
    path("budgets/<slug:slug>/<int:pk>/", records.budget_edit, name="budget_edit"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("report/", reports.report, name="report"),
    path("report/figures/<slug:key>/", reports.report_figure, name="report_figure"),
    path("report/export.xlsx", reports.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report/export.csv", reports.report_download, {"fmt": "csv"}, name="report_csv"),
    path("report/exports/", reports.report_export_create, name="report_export_create"),
    path("report/exports/<uuid:pk>/", reports.report_export_detail, name="report_export_detail"),
    path(
        "report/exports/<uuid:pk>/download/",
        reports.report_export_file,
        name="report_export_file",
    ),
]
