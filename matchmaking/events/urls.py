from django.urls import path

from matchmaking.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/<slug:slug>/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/manage/", views.event_manage, name="manage"),
    path("<int:pk>/slots/add/", views.slot_add, name="slot_add"),
    path("<int:pk>/slots/generate/", views.slots_generate, name="slots_generate"),
    path("<int:pk>/slots/<int:slot_pk>/delete/", views.slot_delete, name="slot_delete"),
    path("<int:pk>/tables/", views.tables_set, name="tables_set"),
    path("<int:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
    path("<int:pk>/schedule/", views.event_schedule, name="schedule"),
    path("<int:pk>/schedule/run/", views.schedule_run, name="schedule_run"),
    path("<int:pk>/meetings/<int:meeting_pk>/move/", views.meeting_move, name="meeting_move"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/participants/", views.marketplace, name="marketplace"),
    path("<int:pk>/requests/", views.request_create, name="request_create"),
    path("<int:pk>/requests/<int:meeting_pk>/answer/", views.request_answer, name="request_answer"),
    path("<int:pk>/availability/", views.availability, name="availability"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/print/", views.agenda_print, name="agenda_print"),
    path("<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:pk>/meetings/<int:meeting_pk>/feedback/", views.feedback_give, name="feedback"),
]
