"""Full runs on PostgreSQL stream their pairs with COPY and write only what differs.

The small network has fewer pairs than the COPY threshold; these tests lower it so the
bulk path is the one exercised, and compare it with the ORM path on the same data.
"""

import pytest
from django.core.cache import cache
from django.db import connection

from matchmaking import runner, services, store
from matchmaking.models import Match
from network.models import Tag
from tests.matchmaking.test_runs import _saved_an_hour_ago, snapshot_of_matches

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is the PostgreSQL bulk path"
)


@pytest.fixture
def bulk(monkeypatch):
    monkeypatch.setattr(runner, "COPY_FROM", 0)


def _complete_rewrite():
    """As after a deployment: the next full run compares every pair with the stored one."""
    cache.delete(store.LOOKUPS_KEY)
    return services.match_run_full_now()


def test_the_bulk_path_writes_what_the_orm_path_writes(small_network, monkeypatch):
    monkeypatch.setattr(store, "use_copy", lambda: False)
    services.match_run_full_now()
    by_orm = snapshot_of_matches()
    Match.objects.all().delete()
    monkeypatch.setattr(store, "use_copy", lambda: True)
    monkeypatch.setattr(runner, "COPY_FROM", 0)

    run = services.match_run_full_now()

    assert snapshot_of_matches() == by_orm
    assert run.matches_written == Match.objects.count() > 0
    assert (
        Match.objects.filter(need__isnull=False).count()
        == Match.objects.filter(target_type="need").count()
    )


def test_a_complete_rewrite_leaves_identical_matches_alone(small_network, bulk):
    _saved_an_hour_ago()
    first_run = services.match_run_full_now()
    before = snapshot_of_matches()
    stamps = dict(Match.objects.values_list("pk", "updated_at"))
    acted = Match.objects.filter(in_source_top=True).first()
    Match.objects.filter(pk=acted.pk).update(status="requested")
    before[(acted.source_id, acted.target_type, acted.target_id)] = (
        *before[(acted.source_id, acted.target_type, acted.target_id)][:5],
        "requested",
    )

    run = _complete_rewrite()

    assert run.matches_written == 0
    assert run.matches_removed == 0
    assert snapshot_of_matches() == before
    assert dict(Match.objects.values_list("pk", "updated_at")) == stamps
    assert set(Match.objects.values_list("run", flat=True)) == {first_run.pk}


def test_a_complete_rewrite_rewrites_what_differs_in_place(small_network, bulk):
    _saved_an_hour_ago()
    services.match_run_full_now()
    expected = snapshot_of_matches()
    damaged = Match.objects.filter(in_source_top=True).order_by("pk").first()
    Match.objects.filter(pk=damaged.pk).update(reasons={}, components={}, status="accepted")
    key = (damaged.source_id, damaged.target_type, damaged.target_id)
    expected[key] = (*expected[key][:5], "accepted")
    pks = set(Match.objects.values_list("pk", flat=True))

    run = _complete_rewrite()

    assert run.matches_written == 1
    assert snapshot_of_matches() == expected  # reasons restored, the status people gave kept
    assert set(Match.objects.values_list("pk", flat=True)) == pks
    assert Match.objects.get(pk=damaged.pk).run_id == run.pk


def test_names_with_quotes_backslashes_and_tabs_survive_the_bulk_path(small_network, bulk):
    services.match_run_full_now()
    name = 'fald "nat"\\dag\tny'
    Tag.objects.filter(pk=small_network["tags"]["fall"].pk).update(name=name)

    run = _complete_rewrite()

    assert run.matches_written > 0
    quoted = [
        match.reasons["tags"]["tags"]
        for match in Match.objects.filter(source=small_network["falls_sme"])
        if match.reasons["tags"].get("code") == "shared"
    ]
    assert any(name in tags for tags in quoted)
