"""Introductions, under /matches/introductions/ (included from matchmaking/urls.py)."""

from django.urls import path

from matchmaking.introductions import views

urlpatterns = [
    path("", views.introduction_list, name="introduction_list"),
    path("ask/<int:match_pk>/", views.introduction_request, name="introduction_request"),
    path("rate/<int:match_pk>/", views.match_feedback, name="match_feedback"),
    path("cluster/<slug:slug>/", views.cluster_introductions, name="cluster_introductions"),
    path("<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path("<int:pk>/accept/", views.introduction_accept, name="introduction_accept"),
    path("<int:pk>/decline/", views.introduction_decline, name="introduction_decline"),
    path("<int:pk>/met/", views.introduction_met, name="introduction_met"),
    path("<int:pk>/nudge/", views.introduction_nudge, name="introduction_nudge"),
]
