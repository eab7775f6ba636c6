from django.contrib import admin
from django.urls import include, path

from network import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("directory/", views.directory, name="directory"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("my-organisation/", include("network.my_urls")),
    path("clusters/", include("clusters.urls")),
    path("matches/", include("matchmaking.urls")),
    path("projects/", include("projects.urls")),
    path("django-admin/", admin.site.urls),
]
