import pytest
from django.urls import reverse

from network.models import NetworkFigures
from network.services import organisation_save
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_fails_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


def test_saving_a_profile_refreshes_figures_after_commit(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory.build(slug="", name="Ny Virksomhed ApS")
    organisation.municipality.save()  # already stored; build() keeps the reference
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation_save(organisation=organisation, focus_areas=[], tags=[])
    assert callbacks  # nothing ran inside the transaction; the figures came after commit
    figures = NetworkFigures.objects.get(key="network").figures
    assert figures["smes"] == 1
    assert organisation.slug == "ny-virksomhed-aps"


def test_nothing_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                organisation = OrganisationFactory.build(slug="", name="Fortrudt ApS")
                organisation_save(organisation=organisation, focus_areas=[], tags=[])
                raise RuntimeError("user cancelled")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not NetworkFigures.objects.exists()


def test_robots_txt_keeps_crawlers_out_of_signed_in_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /clusters/" in body
    assert "Disallow: /directory/" not in body


def test_every_task_of_the_portal_can_be_sent():
    """Beat and the views send tasks with apply_async, which Celery refuses when the task's soft
    time limit (the settings' one unless the task sets its own) is above its hard one: such a
    task would never run, with only an error in beat's log or a failed request."""
    from django.conf import settings

    from network.celery import app

    app.loader.import_default_modules()
    ours = ("network.", "clusters.", "matchmaking.", "projects.")
    tasks = [task for name, task in app.tasks.items() if name.startswith(ours)]
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= {
        task.name for task in tasks
    }
    for task in tasks:
        assert not (
            task.soft_time_limit and task.time_limit and task.soft_time_limit > task.time_limit
        ), task.name
