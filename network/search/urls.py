from django.urls import path

from network.search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("saved/", views.saved_searches, name="saved_searches"),
    path("saved/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path(
        "saved/unsubscribe/<str:token>/",
        views.saved_search_unsubscribe,
        name="saved_search_unsubscribe",
    ),
]
