from django.contrib import admin
from django.urls import include, path

from network import account_views, notifications_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("privacy/", account_views.privacy_policy, name="privacy_policy"),
    path("account/privacy/", account_views.privacy_settings, name="privacy_settings"),
    path(
        "account/privacy/my-data.json",
        account_views.personal_data_download,
        name="personal_data_download",
    ),
    path("account/delete/", account_views.account_delete, name="account_delete"),
    path("notifications/", include("network.notifications_urls")),
    path("unsubscribe/<str:token>/", notifications_views.unsubscribe, name="unsubscribe"),
    path("stop-emails/<str:token>/", notifications_views.email_opt_out, name="email_opt_out"),
    path("directory/", views.directory, name="directory"),
    path("search/", include("network.search.urls")),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("", include("network.joining.urls")),
    path("my-organisation/", include("network.my_urls")),
    path("clusters/", include("clusters.urls")),
    path("matches/", include("matchmaking.urls")),
    path("events/", include("matchmaking.events.urls")),
    path("test-bookings/", include("matchmaking.bookings.urls")),
    path("projects/", include("projects.urls")),
    path("django-admin/", admin.site.urls),
    # The read-only JSON API (schema and docs in network.api; tests/api/test_urls.py).
    path("api/v1/", include("network.api.urls")),
    path("api/v1/", include("clusters.api.urls")),
    path("api/v1/", include("matchmaking.api.urls")),
]
