from django.urls import path

from network import my_views, stale_views

urlpatterns = [
    path("", my_views.my_organisations, name="my_organisations"),
    path("<slug:slug>/edit/", my_views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/confirm/", stale_views.organisation_confirm, name="organisation_confirm"),
    path("<slug:slug>/test-sites/new/", my_views.test_site_edit, name="test_site_create"),
    path("<slug:slug>/test-sites/<int:pk>/", my_views.test_site_edit, name="test_site_edit"),
    path(
        "<slug:slug>/test-sites/<int:pk>/delete/",
        my_views.test_site_delete,
        name="test_site_delete",
    ),
    path(
        "<slug:slug>/test-sites/<int:pk>/restore/",
        my_views.test_site_restore,
        name="test_site_restore",
    ),
    path("<slug:slug>/offers/new/", my_views.offer_edit, name="offer_create"),
    path("<slug:slug>/offers/<int:pk>/", my_views.offer_edit, name="offer_edit"),
    path("<slug:slug>/offers/<int:pk>/delete/", my_views.offer_delete, name="offer_delete"),
    path("<slug:slug>/offers/<int:pk>/restore/", my_views.offer_restore, name="offer_restore"),
    # After the slug patterns, whose second parts (test-sites, offers) are no kind's name.
    path("review/<str:kind>/<int:pk>/", my_views.review_action, name="review_action"),
]
