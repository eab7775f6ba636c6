"""/api/v1/: the schema, its documentation page and the directory's resources. The clusters'
and matchmaking's resources are mounted beside these by the root URLconf."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from network.api import directory, views

router = SimpleRouter()
router.register("organisations", directory.OrganisationResource, basename="api-organisation")
router.register("test-sites", directory.TestSiteResource, basename="api-test-site")
router.register(
    "knowledge-offers", directory.KnowledgeOfferResource, basename="api-knowledge-offer"
)

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(), name="api-docs"),
    *router.urls,
]
