"""The OpenAPI schema and its documentation page, under the portal's CSP."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_describes_every_resource_and_the_token(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clusters/{slug}/members/" in schema["paths"]
    assert "/api/v1/needs/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_docs_page_uses_only_the_portals_own_files(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "<style" not in html
    assert "<script>" not in html  # every script has a src
    assert "swagger-ui-bundle.js" in html
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert reverse("api-schema") in script.content.decode()
