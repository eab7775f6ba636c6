from django.urls import path

from network import notifications_views as views

urlpatterns = [
    path("", views.inbox, name="notification_inbox"),
    path("read/", views.mark_read, name="notifications_mark_read"),
    path("<int:pk>/open/", views.open_notification, name="notification_open"),
    path("preferences/", views.preferences, name="notification_preferences"),
]
