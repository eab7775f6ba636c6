from django.urls import path

from network.joining import views

app_name = "joining"
urlpatterns = [
    path("join/", views.start, name="start"),
    path("join/register/", views.register, name="register"),
    path("join/search/", views.search, name="search"),
    path("join/municipality/", views.municipality, name="municipality"),
    path("join/requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("join/invitation/<str:token>/", views.invitation, name="invitation"),
    path("join/<slug:slug>/", views.ask, name="ask"),
    path("my-organisation/<slug:slug>/people/", views.people, name="people"),
    path(
        "my-organisation/<slug:slug>/people/<int:pk>/<str:action>/",
        views.person_action,
        name="person_action",
    ),
    path(
        "my-organisation/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "my-organisation/<slug:slug>/contacts/<int:pk>/invite/",
        views.contact_invite,
        name="contact_invite",
    ),
    path("my-organisation/<slug:slug>/join-requests/", views.requests, name="requests"),
    path(
        "my-organisation/<slug:slug>/join-requests/<int:pk>/<str:action>/",
        views.answer,
        name="answer",
    ),
]
