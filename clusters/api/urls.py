from django.urls import path
from rest_framework.routers import SimpleRouter

from clusters.api import views

router = SimpleRouter()
router.register("clusters", views.ClusterResource, basename="api-cluster")

urlpatterns = [
    *router.urls,
    path("clusters/<slug:slug>/members/", views.MemberList.as_view(), name="api-cluster-members"),
]
