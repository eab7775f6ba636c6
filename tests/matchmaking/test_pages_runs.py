"""Admin 'match runs': weights editor, starting a full run, history, live progress."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import MatchCriteria, MatchRun
from tests.matchmaking.factories import MatchRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def admin_client(client, network_admin):
    client.force_login(network_admin)
    return client


WEIGHTS = {
    "weight_focus": "0.3",
    "weight_tags": "0.1",
    "weight_text": "0.3",
    "weight_geography": "0.1",
    "weight_readiness": "0.1",
    "weight_availability": "0.1",
    "weight_feedback": "0",
    "top_k": "30",
    "min_score": "0.25",
}


def test_run_pages_need_login(client):
    run = MatchRunFactory()
    for url in (reverse("matchmaking:run_list"), run.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    for url in (reverse("matchmaking:run_start"), reverse("matchmaking:criteria_save")):
        response = client.post(url, WEIGHTS)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not MatchRun.objects.exclude(pk=run.pk).exists()


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_run_pages_forbidden_to_everyone_but_network_admins(client, who, request):
    client.force_login(request.getfixturevalue(who))
    run = MatchRunFactory()
    assert client.get(reverse("matchmaking:run_list")).status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 403
    assert client.post(reverse("matchmaking:run_start")).status_code == 403
    assert client.post(reverse("matchmaking:criteria_save"), WEIGHTS).status_code == 403
    assert MatchRun.objects.count() == 1
    assert MatchCriteria.current().weight_focus == 0.05  # the default, unchanged


def test_run_pages_wrong_method(admin_client):
    run = MatchRunFactory()
    assert admin_client.post(reverse("matchmaking:run_list")).status_code == 405
    assert admin_client.post(run.get_absolute_url()).status_code == 405
    assert admin_client.get(reverse("matchmaking:run_start")).status_code == 405
    assert admin_client.get(reverse("matchmaking:criteria_save")).status_code == 405


def test_run_list_shows_history_and_weights_used(admin_client, network_admin):
    started = timezone.now() - timedelta(minutes=3)
    MatchRunFactory(
        weights={"focus": 0.4, "text": 0.6},
        sources_count=120,
        targets_count=45,
        matches_written=900,
        matches_removed=12,
        started_at=started,
        finished_at=started + timedelta(seconds=12.5),
        requested_by=network_admin,
    )
    MatchRunFactory(kind="incremental", trigger="change", status="failed", error="Boom")
    response = admin_client.get(reverse("matchmaking:run_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Full run" in body
    assert "Incremental run" in body
    assert "Failed" in body
    assert "120 × 45" in body
    assert "900 / 12" in body
    assert "12.5 s" in body
    assert "focus areas in common: 0.40" in body.lower()
    assert 'data-testid="start-run"' in body


def test_run_list_query_count(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        MatchRunFactory(weights={"focus": 0.5})
    with django_assert_max_num_queries(14):
        response = admin_client.get(reverse("matchmaking:run_list"))
    assert len(response.context["page"]) == 25


def test_weights_saved(admin_client, network_admin):
    response = admin_client.post(reverse("matchmaking:criteria_save"), WEIGHTS)
    assert response.status_code == 302
    criteria = MatchCriteria.current()
    assert criteria.weight_focus == 0.3
    assert criteria.top_k == 30
    assert criteria.min_score == 0.25
    assert criteria.updated_by == network_admin
    assert criteria.history.count() >= 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight_text": "-1"}, "weight_text", "greater than or equal to 0"),
        ({"min_score": "1.5"}, "min_score", "less than or equal to 1"),
        ({"top_k": "0"}, "top_k", "greater than or equal to 1"),
        ({"weight_focus": "lots"}, "weight_focus", "Enter a number"),
    ],
)
def test_weights_invalid_keep_input(admin_client, changes, field, message):
    response = admin_client.post(reverse("matchmaking:criteria_save"), WEIGHTS | changes)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert 'value="0.3"' in body  # what was typed in the other fields is still there
    assert MatchCriteria.current().weight_focus == 0.05  # the default, unchanged


def test_weights_all_zero_refused(admin_client):
    zeros = {key: "0" for key in WEIGHTS if key.startswith("weight_")}
    response = admin_client.post(reverse("matchmaking:criteria_save"), WEIGHTS | zeros)
    assert response.status_code == 200
    assert "At least one weight must be above zero." in response.content.decode()


def test_start_run_queues_a_full_run_and_shows_progress(
    admin_client, network_admin, django_capture_on_commit_callbacks, small_network
):
    admin_client.post(reverse("matchmaking:criteria_save"), WEIGHTS)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("matchmaking:run_start"))
    run = MatchRun.objects.get(kind="full")
    assert response.status_code == 302
    assert response.url == run.get_absolute_url()
    assert run.requested_by == network_admin
    assert run.trigger == "admin"
    assert run.weights["focus"] == 0.3
    assert run.top_k == 30
    # Tests run Celery eagerly: the run is done when the page is shown.
    assert run.status == "succeeded", run.error
    assert run.matches_written > 0
    body = admin_client.get(run.get_absolute_url()).content.decode()
    assert "Finished" in body
    assert 'hx-trigger="every 2s"' not in body


def test_start_run_while_one_is_active_shows_that_one(admin_client):
    active = MatchRunFactory(status="running", phase="scoring", progress=40)
    active.heartbeat_at = timezone.now()
    active.save()
    response = admin_client.post(reverse("matchmaking:run_start"), follow=True)
    assert response.redirect_chain[-1][0] == active.get_absolute_url()
    assert "already under way" in response.content.decode()
    assert MatchRun.objects.count() == 1


def test_run_detail_polls_while_active_and_stops_when_finished(admin_client):
    run = MatchRunFactory(status="running", phase="scoring", progress=40)
    body = admin_client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'value="40"' in body
    assert "Scoring pairs" in body

    partial = admin_client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "<html" not in text
    assert 'hx-trigger="every 2s"' in text

    MatchRun.objects.filter(pk=run.pk).update(
        status="succeeded", phase="done", progress=100, finished_at=timezone.now()
    )
    partial = admin_client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.status_code == 286  # htmx stops polling
    text = partial.content.decode()
    assert 'hx-trigger="every 2s"' not in text
    assert 'value="100"' in text
    assert "Finished" in text


def test_run_detail_shows_error_of_failed_run(admin_client):
    run = MatchRunFactory(status="failed", error="OperationalError: database went away")
    body = admin_client.get(run.get_absolute_url()).content.decode()
    assert "database went away" in body


def test_run_detail_unknown_run_404(admin_client):
    assert admin_client.get(reverse("matchmaking:run_detail", args=[999])).status_code == 404


def test_run_list_explains_the_hard_rules(admin_client):
    body = admin_client.get(reverse("matchmaking:run_list")).content.decode()
    assert "one level outside 0.5, two levels outside 0.2; 3 or more levels outside" in body
    assert "Fully booked counts 0.3" in body
