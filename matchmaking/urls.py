from django.urls import include, path

from matchmaking.views import actions, matches, needs, runs, sharing

app_name = "matchmaking"
urlpatterns = [
    path("", matches.my_matches, name="my_matches"),
    path("not-relevant/", actions.my_vetoed, name="my_vetoed"),
    path("not-relevant/<int:pk>/undo/", actions.veto_undo, name="veto_undo"),
    path(
        "<int:match_pk>/not-relevant/<str:side>/",
        actions.match_not_relevant,
        name="match_not_relevant",
    ),
    path("<int:match_pk>/shortlist/<str:side>/", actions.match_shortlist, name="match_shortlist"),
    path("<int:match_pk>/invite/", actions.introduction_invite, name="introduction_invite"),
    path("introductions/", include("matchmaking.urls_introductions")),
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", needs.need_set_status, name="need_set_status"),
    path("needs/<int:pk>/delete/", needs.need_delete, name="need_delete"),
    path("needs/<int:pk>/join/", sharing.need_join, name="need_join"),
    path(
        "needs/<int:pk>/join/organisations/",
        sharing.need_join_organisations,
        name="need_join_organisations",
    ),
    path("needs/<int:pk>/leave/", sharing.need_leave, name="need_leave"),
    path(
        "needs/<int:pk>/shares/<int:organisation_id>/",
        sharing.need_share_edit,
        name="need_share_edit",
    ),
    path("needs/<int:pk>/merge/", sharing.need_merge, name="need_merge"),
    path(
        "needs/<int:pk>/companies/",
        matches.target_matches,
        {"target_type": "need"},
        name="need_matches",
    ),
    path(
        "test-sites/<int:pk>/companies/",
        matches.target_matches,
        {"target_type": "test_site"},
        name="test_site_matches",
    ),
    path(
        "offers/<int:pk>/companies/",
        matches.target_matches,
        {"target_type": "knowledge_offer"},
        name="offer_matches",
    ),
    path(
        "needs/<int:pk>/companies/not-relevant/",
        actions.target_vetoed,
        {"target_type": "need"},
        name="need_vetoed",
    ),
    path(
        "test-sites/<int:pk>/companies/not-relevant/",
        actions.target_vetoed,
        {"target_type": "test_site"},
        name="test_site_vetoed",
    ),
    path(
        "offers/<int:pk>/companies/not-relevant/",
        actions.target_vetoed,
        {"target_type": "knowledge_offer"},
        name="offer_vetoed",
    ),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/weights/", runs.criteria_save, name="criteria_save"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
]
