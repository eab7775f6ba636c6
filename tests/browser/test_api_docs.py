"""The API's Swagger UI page renders in a real browser under the portal's CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto("/api/v1/docs/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/clusters/{slug}/members/").first.wait_for()
    page.get_by_text("Healthtech Network Portal API").first.wait_for()
    assert violations == []
