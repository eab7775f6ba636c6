from django.urls import path
from rest_framework.routers import SimpleRouter

from matchmaking.api import views

router = SimpleRouter()
router.register("needs", views.NeedResource, basename="api-need")

urlpatterns = [
    *router.urls,
    path(
        "clusters/<slug:slug>/statistics/",
        views.ClusterStatistics.as_view(),
        name="api-cluster-statistics",
    ),
]
