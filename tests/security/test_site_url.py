"""One public address (PORTAL_SITE_URL) for every link the portal sends or writes, whatever host
or port the request or the worker happened to use."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from matchmaking.introductions import services
from projects.models import ReportExport
from projects.services import report_export_notify
from tests.factories import UserFactory
from tests.matchmaking.introduction_data import make_world
from tests.security.test_deploy_settings import ROOT, check_deploy, run_manage

SITE = "https://portal.example.org:8443"


@pytest.fixture
def site(settings):
    settings.PORTAL_SITE_URL = SITE
    settings.LANGUAGE_CODE = "en"
    return SITE


@pytest.mark.django_db
def test_an_introduction_email_links_to_the_public_address(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        introduction = services.introduction_request(
            match=world.match, user=world.sme_member, message="May we test?"
        )
    body = next(m.body for m in mailoutbox if m.to == ["mette@odense.example"])
    assert f"{SITE}{introduction.get_absolute_url()}" in body
    assert "127.0.0.1" not in body
    assert "testserver" not in body


@pytest.mark.django_db
def test_allauths_password_reset_email_links_to_the_public_address(site, client, mailoutbox):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mailoutbox
    assert f"{SITE}/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.body


@pytest.mark.django_db
def test_the_report_ready_email_links_to_the_public_address(site, mailoutbox):
    export = ReportExport.objects.create(
        requested_by=UserFactory(), start=date(2026, 1, 1), end=date(2026, 6, 30), format="xlsx"
    )
    report_export_notify(export=export)
    (message,) = mailoutbox
    assert f"{SITE}{export.get_absolute_url()}" in message.body


def _site_url_setting(**env) -> str:
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.PORTAL_SITE_URL)", **env
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_old_name_is_still_read_and_the_new_one_wins():
    assert _site_url_setting(SITE_URL="https://old.example.org/") == "https://old.example.org"
    both = _site_url_setting(
        SITE_URL="https://old.example.org", PORTAL_SITE_URL="https://new.example.org"
    )
    assert both == "https://new.example.org"


@pytest.mark.parametrize(
    "value", [None, "http://portal.example.org", "https://localhost:8000", "https://127.0.0.1"]
)
def test_check_deploy_requires_a_public_https_address(value):
    result = check_deploy(PORTAL_SITE_URL=value)
    assert result.returncode != 0
    assert "network.E003" in result.stdout + result.stderr


def test_make_run_sets_the_address_from_host_and_port():
    commands = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.2", "PORT=9001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "PORTAL_SITE_URL=${PORTAL_SITE_URL-http://127.0.0.2:9001}" in commands
