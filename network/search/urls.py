from django.urls import path

from network.search import views

urlpatterns = [path("", views.search_page, name="search")]
