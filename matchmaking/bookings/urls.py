from django.urls import path

from matchmaking.bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.booking_list, name="list"),
    path("<int:pk>/", views.booking_detail, name="detail"),
    path("<int:pk>/accept/", views.booking_accept, name="accept"),
    path("<int:pk>/propose/", views.booking_propose, name="propose"),
    path("<int:pk>/decline/", views.booking_decline, name="decline"),
    path("<int:pk>/accept-dates/", views.booking_accept_proposal, name="accept_proposal"),
    path("<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("<int:pk>/evaluation/<str:side>/", views.evaluation_edit, name="evaluation"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/summary/", views.summary_publish, name="summary_publish"),
    path("<int:pk>/summary/withdraw/", views.summary_unpublish, name="summary_unpublish"),
    path("sites/<int:site_pk>/request/", views.booking_request, name="request"),
    path("sites/<int:site_pk>/calendar/", views.site_calendar, name="site_calendar"),
    path(
        "sites/<int:site_pk>/calendar/new-address/",
        views.site_feed_regenerate,
        name="site_feed_regenerate",
    ),
    path("organisations/<slug:slug>/tests/", views.organisation_tests, name="organisation_tests"),
    path(
        "organisations/<slug:slug>/calendar/new-address/",
        views.organisation_feed_regenerate,
        name="organisation_feed_regenerate",
    ),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
