"""Base classes for the API's resources, and the schema and its documentation page."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.permissions import AllowAny


class ReadOnlyResource(viewsets.ReadOnlyModelViewSet):
    """List and detail of one resource; subclasses set `required_scope` and `queryset`."""

    required_scope = None


class SlugResource(ReadOnlyResource):
    """Looked up by slug; the URL (and so the schema) accepts only slug characters."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files (served by the portal itself) and its
    start-up script as a separate file (`?script=`), so the page works under the portal's
    Content-Security-Policy without 'unsafe-inline' and without an exemption."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    template_name = "api/swagger_ui.html"
    url_name = "api-schema"
