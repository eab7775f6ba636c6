"""Pages work under the Content-Security-Policy: nothing inline is blocked in a real browser."""

import pytest

from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violations_on_home_directory_and_login(page):
    OrganisationFactory(name="Sikker ApS")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in ["/", "/directory/?kind=sme", "/accounts/login/"]:
        response = page.goto(path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
    page.goto("/directory/")
    page.get_by_label("SMV").check()  # an htmx swap under the policy
    page.get_by_text("1 organisation fundet").wait_for()
    assert violations == []
