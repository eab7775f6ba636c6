"""Production settings pass Django's deployment checklist, and the defaults stay safe."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    # The portal's own settings come only from `env`, never from the shell that runs the tests.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_")) and k != "SITE_URL"
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="network.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_HTTPS": "1",
    "PORTAL_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "PORTAL_SITE_URL": "https://portal.example.org",
}


def check_deploy(**env):
    """`check --deploy` with production settings, `env` changed (None: left unset)."""
    settings = {name: value for name, value in {**PRODUCTION, **env}.items() if value is not None}
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **settings)


def test_check_deploy_passes_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_requires_the_encryption_key_from_the_environment():
    result = check_deploy(PORTAL_ENCRYPTION_KEYS=None)
    assert result.returncode != 0
    assert "network.E001" in result.stdout + result.stderr
    bad = check_deploy(PORTAL_ENCRYPTION_KEYS="not-a-fernet-key")
    assert bad.returncode != 0
    assert "network.E002" in bad.stdout + bad.stderr


def test_debug_is_off_unless_asked_for():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_misspelt_boolean_is_refused_not_guessed():
    result = run_manage("check", DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
