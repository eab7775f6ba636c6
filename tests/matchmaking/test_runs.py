"""Full and incremental runs: what they write, re-runs, interrupted runs, and the change hook."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from matchmaking import runner, services, store
from matchmaking.models import Match, MatchRun, Need
from network.services import organisation_save
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import MatchFactory, NeedFactory


def snapshot_of_matches():
    return {
        (m.source_id, m.target_type, m.target_id): (
            round(m.score, 6),
            m.components,
            m.reasons,
            m.in_source_top,
            m.in_target_top,
            m.status,
        )
        for m in Match.objects.all()
    }


def best_target(organisation):
    match = Match.objects.filter(source=organisation, in_source_top=True).order_by("-score")[0]
    return match.target


def test_full_run_ranks_each_company_s_own_theme_first(small_network):
    run = services.match_run_full_now()

    assert run.status == "succeeded"
    assert run.phase == "done"
    assert run.progress == 100
    assert run.sources_count == 3
    assert run.targets_count == 3
    assert run.matches_written == Match.objects.count() > 0
    assert run.code_version
    assert run.weights["text"] == pytest.approx(0.80)
    assert best_target(small_network["falls_sme"]) == small_network["falls_need"]
    assert best_target(small_network["diabetes_sme"]) == small_network["diabetes_site"]
    assert best_target(small_network["copd_sme"]) == small_network["copd_offer"]


def test_a_match_explains_itself(small_network):
    services.match_run_full_now()
    match = Match.objects.get(source=small_network["falls_sme"], need=small_network["falls_need"])

    assert match.reasons["geography"] == {"code": "municipality", "name": "Odense"}
    assert match.reasons["tags"]["tags"] == ["faldforebyggelse", "sensorer"]
    assert "fall" in {concept["id"] for concept in match.reasons["text"]["concepts"]}
    assert match.reasons["readiness"] == {"code": "fits", "trl": 6, "min": 5, "max": 8}
    assert match.reasons["availability"]["code"] == "deadline"
    assert match.reasons["availability"]["days"] == 12
    assert all(0 <= value <= 1 for value in match.components.values())
    assert match.target_region_id == small_network["falls_need"].region_id


def _saved_an_hour_ago():
    from network.models import KnowledgeOffer, Organisation, TestSite

    an_hour_ago = timezone.now() - timedelta(hours=1)
    for model in (Organisation, Need, TestSite, KnowledgeOffer):
        model.objects.update(updated_at=an_hour_ago)


def test_a_re_run_gives_identical_results(small_network):
    _saved_an_hour_ago()
    services.match_run_full_now()
    first = snapshot_of_matches()
    pks = set(Match.objects.values_list("pk", flat=True))

    second_run = services.match_run_full_now()

    assert snapshot_of_matches() == first
    assert set(Match.objects.values_list("pk", flat=True)) == pks  # updated, not replaced
    assert second_run.matches_removed == 0
    assert second_run.matches_written == 0  # nothing changed, nothing rewritten


def test_a_run_keeps_the_status_people_gave_a_match(small_network):
    services.match_run_full_now()
    match = Match.objects.get(source=small_network["falls_sme"], need=small_network["falls_need"])
    Match.objects.filter(pk=match.pk).update(status="requested")

    services.match_run_full_now()

    assert Match.objects.get(pk=match.pk).status == "requested"


def test_stale_suggestions_go_and_acted_on_matches_stay_unlisted(small_network):
    services.match_run_full_now()
    falls = small_network["falls_sme"]
    stale = MatchFactory(source=falls, need=NeedFactory(status="closed"), score=0.9)
    acted = MatchFactory(source=falls, need=NeedFactory(status="closed"), status="accepted")

    run = services.match_run_full_now()

    assert not Match.objects.filter(pk=stale.pk).exists()
    acted.refresh_from_db()
    assert acted.status == "accepted"
    assert not acted.in_source_top
    assert not acted.in_target_top
    assert run.matches_removed == 1


class BoomError(Exception):
    pass


def test_a_run_killed_while_writing_leaves_nothing_half_done_and_a_re_run_completes(
    small_network, monkeypatch
):
    services.match_run_full_now()
    before = snapshot_of_matches()
    # The falls need closes and a new need arrives; then the worker dies half-way through writing.
    Need.objects.filter(pk=small_network["falls_need"].pk).update(status="closed")
    NeedFactory(
        title="Natlige faldsensorer",
        description="Sensorer der opdager fald om natten i plejeboliger.",
        focus_areas=[small_network["falls_sme"].focus_areas.first()],
        tags=[small_network["tags"]["fall"]],
    )
    written = []
    real_bulk_upsert = store._bulk_upsert

    def dies_after_the_first_batch(batch):
        if written:
            raise BoomError("worker lost")
        written.append(len(batch))
        return real_bulk_upsert(batch)

    monkeypatch.setattr(store, "BATCH", 1)
    monkeypatch.setattr(store, "_bulk_upsert", dies_after_the_first_batch)
    monkeypatch.setattr(store, "use_copy", lambda: False)
    run = services._new_run(kind="full", trigger="admin")
    with pytest.raises(BoomError):
        services.match_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert "worker lost" in run.error
    assert snapshot_of_matches() == before  # the partial writes were rolled back

    monkeypatch.undo()
    services.match_run_execute(run_id=run.pk)  # the retry takes the same run over
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.attempts == 2

    after = snapshot_of_matches()
    clean = services.match_run_full_now()
    assert snapshot_of_matches() == after  # the same as a run that was never interrupted
    assert clean.matches_removed == 0
    assert not Match.objects.filter(need=small_network["falls_need"]).exists()
    assert Match.objects.filter(target_type="need", need__isnull=True).count() == 0
    pairs = Match.objects.values_list("source", "target_type", "target_id")
    assert len(pairs) == len(set(pairs))


def test_a_run_claimed_by_a_worker_that_died_is_taken_over(small_network):
    run = services._new_run(kind="full", trigger="admin")
    long_ago = timezone.now() - timedelta(minutes=30)
    MatchRun.objects.filter(pk=run.pk).update(
        status="running", started_at=long_ago, heartbeat_at=long_ago, progress=40
    )

    services.match_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.progress == 100
    assert Match.objects.filter(run=run).exists()


def test_a_run_another_worker_is_doing_is_left_alone(small_network):
    run = services._new_run(kind="full", trigger="admin")
    MatchRun.objects.filter(pk=run.pk).update(status="running", heartbeat_at=timezone.now())

    assert services.match_run_execute(run_id=run.pk) is None
    assert not Match.objects.exists()


def test_a_finished_run_delivered_twice_does_nothing_the_second_time(small_network):
    run = services.match_run_full_now()
    assert services.match_run_execute(run_id=run.pk) is None
    assert MatchRun.objects.get(pk=run.pk).attempts == 1


def test_requesting_a_full_run_while_one_is_queued_returns_that_one(
    small_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.match_run_request()
        second = services.match_run_request()
    assert first == second
    assert len(callbacks) == 1


def test_a_full_run_is_enqueued_on_commit_and_done_by_the_task(
    small_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request()
        assert MatchRun.objects.get(pk=run.pk).status == "queued"  # nothing before commit
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert Match.objects.filter(run=run).exists()


# -- incremental runs ---------------------------------------------------------------------------
def _edit_profile(organisation, *, description, focus_areas, tags):
    organisation.description = description
    organisation_save(organisation=organisation, focus_areas=focus_areas, tags=tags)


def test_editing_a_profile_brings_its_matches_up_to_date_on_commit(
    small_network, django_capture_on_commit_callbacks
):
    services.match_run_full_now()
    glucose = small_network["diabetes_sme"]
    falls_need = small_network["falls_need"]
    assert not Match.objects.filter(source=glucose, need=falls_need).exists()

    with django_capture_on_commit_callbacks(execute=True):
        _edit_profile(
            glucose,
            description="Now also fall sensors that detect falls at night in the home.",
            focus_areas=[*glucose.focus_areas.all(), *falls_need.focus_areas.all()],
            tags=[*glucose.tags.all(), small_network["tags"]["fall"]],
        )
        assert not MatchRun.objects.filter(kind="incremental").exists()  # not before commit

    run = MatchRun.objects.get(kind="incremental")
    assert run.status == "succeeded"
    assert run.changes == [["sme", glucose.pk]]
    match = Match.objects.get(source=glucose, need=falls_need)
    assert match.run == run
    assert match.reasons["tags"]["tags"] == ["faldforebyggelse"]


def test_an_edit_that_is_rolled_back_starts_no_run(
    small_network, django_capture_on_commit_callbacks
):
    services.match_run_full_now()
    glucose = small_network["diabetes_sme"]

    def edit_then_fail():
        with transaction.atomic():
            _edit_profile(glucose, description="Noget helt andet", focus_areas=[], tags=[])
            raise BoomError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(BoomError),
    ):
        edit_then_fail()
    assert callbacks == []
    assert not MatchRun.objects.filter(kind="incremental").exists()


def test_before_any_full_run_a_change_starts_a_full_run_not_an_incremental_one(
    small_network, django_capture_on_commit_callbacks
):
    """On a fresh installation there is nothing to bring up to date incrementally: the change
    is covered by one full run, so a profile approved there gets its matches at once."""
    with django_capture_on_commit_callbacks(execute=True):
        _edit_profile(small_network["falls_sme"], description="Ny tekst", focus_areas=[], tags=[])
    assert list(MatchRun.objects.values_list("kind", flat=True)) == ["full"]
    with django_capture_on_commit_callbacks(execute=True):
        _edit_profile(small_network["falls_sme"], description="Mere tekst", focus_areas=[], tags=[])
    kinds = list(MatchRun.objects.values_list("kind", flat=True))
    assert kinds.count("full") == 1, kinds


def ranked_from_scratch():
    """What a full ranking over the current corpus keeps: {pair: (score, in_source, in_target)}.

    An incremental run scores with the vocabulary and IDF of the last full run (the nightly
    run refits them), so it is compared with a from-scratch ranking over that same corpus.
    """
    from matchmaking import snapshot
    from matchmaking.models import MatchCriteria
    from matchmaking.scoring.corpus import TYPE_NAMES
    from matchmaking.scoring.explain import Lookups, explain

    corpus = snapshot.current(set())
    criteria = MatchCriteria.current()
    run = MatchRun(weights=criteria.weights(), top_k=criteria.top_k, min_score=criteria.min_score)
    engine = runner.engine_for(run, corpus)
    ranking = engine.rank_full()
    s, t = corpus.sources, corpus.targets
    out = {}
    flags = zip(ranking.in_source_top.tolist(), ranking.in_target_top.tolist(), strict=True)
    chunks = explain(engine, ranking.source_rows, ranking.target_rows, Lookups())
    scores = [score for chunk in chunks for score in chunk.score.tolist()]
    for si, ti, score, (in_source, in_target) in zip(
        ranking.source_rows.tolist(), ranking.target_rows.tolist(), scores, flags, strict=True
    ):
        key = (int(s.ids[si]), TYPE_NAMES[int(t.types[ti])], int(t.ids[ti]))
        out[key] = (score, in_source, in_target)
    return out


def _incremental_equals_full(django_capture_on_commit_callbacks, change):
    with django_capture_on_commit_callbacks(execute=True):
        change()
    assert MatchRun.objects.filter(kind="incremental", status="succeeded").exists()
    stored = {
        key: (values[0], values[3], values[4])
        for key, values in snapshot_of_matches().items()
        if values[3] or values[4]
    }
    expected = ranked_from_scratch()
    assert set(stored) == set(expected)
    for key, values in expected.items():
        assert stored[key][0] == pytest.approx(values[0], abs=2e-6), key
        assert stored[key][1:] == values[1:], key


@pytest.fixture
def crowded_network(small_network):
    """Enough companies and needs that the lists of K=2 are full and have to give way."""
    from matchmaking.models import MatchCriteria

    MatchCriteria.objects.update_or_create(key="default", defaults={"top_k": 2, "min_score": 0.1})
    falls = small_network["falls_sme"]
    areas, tags = list(falls.focus_areas.all()), list(falls.tags.all())
    for n in range(4):
        OrganisationFactory(
            name=f"Sensor {n} ApS",
            description=f"Sensorer og fald {'natten ' * n}i hjemmet, alarmer {n}.",
            readiness_level=5 + n % 3,
            focus_areas=areas[: 1 + n % 2],
            tags=tags[: 1 + n % 2],
        )
        NeedFactory(
            title=f"Fald {n}",
            description=f"Fald hos ældre {'om natten ' * n}; sensorer {n}.",
            focus_areas=areas[:1],
            tags=tags[n % 2 :],
        )
    services.match_run_full_now()
    return small_network


def test_incremental_run_after_a_profile_edit_equals_a_full_run(
    crowded_network, django_capture_on_commit_callbacks
):
    falls = crowded_network["falls_sme"]

    def change():
        _edit_profile(
            falls,
            description="Diabetes app with insulin dosing",
            focus_areas=[],
            tags=[crowded_network["tags"]["diabetes"]],
        )

    _incremental_equals_full(django_capture_on_commit_callbacks, change)


def test_incremental_run_after_a_need_changes_equals_a_full_run(
    crowded_network, django_capture_on_commit_callbacks
):
    need = crowded_network["falls_need"]

    def change():
        need.description = "Sensorer, fald, natten, natten, natten, alarmer, hjemmet."
        services.need_save(
            need=need, focus_areas=need.focus_areas.all(), tags=list(need.tags.all())
        )

    _incremental_equals_full(django_capture_on_commit_callbacks, change)


def test_closing_a_need_removes_its_suggestions(
    crowded_network, django_capture_on_commit_callbacks
):
    need = crowded_network["falls_need"]
    assert Match.objects.filter(need=need).exists()

    def change():
        services.need_set_status(need=need, status="closed")

    _incremental_equals_full(django_capture_on_commit_callbacks, change)
    assert not Match.objects.filter(need=need).exists()


def test_a_new_company_enters_the_lists_incrementally(
    crowded_network, django_capture_on_commit_callbacks
):
    falls = crowded_network["falls_sme"]

    def change():
        newcomer = OrganisationFactory.build(
            name="Nyt Fald ApS",
            description=falls.description,
            municipality=falls.municipality,
            readiness_level=6,
        )
        organisation_save(
            organisation=newcomer,
            focus_areas=falls.focus_areas.all(),
            tags=falls.tags.all(),
        )

    _incremental_equals_full(django_capture_on_commit_callbacks, change)
    assert Match.objects.filter(source__name="Nyt Fald ApS", in_source_top=True).exists()


def test_feedback_provider_counts_when_registered(small_network):
    import numpy as np

    class AllGood:
        def __init__(self, corpus):
            self.corpus = corpus

        def block(self, source_rows, target_rows):
            return np.float32(1.0)

        def pairs(self, source_rows, target_rows):
            return np.ones(source_rows.shape, dtype=np.float32)

    from matchmaking.models import MatchCriteria

    MatchCriteria.objects.update_or_create(key="default", defaults={"weight_feedback": 0.5})
    previous = runner._feedback_factory
    runner.register_feedback(AllGood)
    try:
        services.match_run_full_now()
    finally:
        runner.register_feedback(previous)
    match = Match.objects.get(source=small_network["falls_sme"], need=small_network["falls_need"])
    assert match.components["feedback"] == 1.0
    assert match.reasons["feedback"] == {"code": "positive"}


def test_the_cached_corpus_notices_documents_deleted_without_a_save(small_network):
    from matchmaking import snapshot

    services.match_run_full_now()
    need = small_network["falls_need"]
    Need.objects.filter(pk=need.pk).delete()

    corpus = snapshot.current(set())

    assert ("need", need.pk) not in corpus.keys("targets")
    assert ("test_site", small_network["diabetes_site"].pk) in corpus.keys("targets")
    assert ("sme", small_network["falls_sme"].pk) in corpus.keys("sources")


def test_a_full_run_that_rewrote_many_matches_queues_a_vacuum_on_commit(
    small_network, monkeypatch, django_capture_on_commit_callbacks
):
    from matchmaking import tasks

    sent = []
    monkeypatch.setattr(services, "VACUUM_AFTER_WRITES", 1)
    monkeypatch.setattr(tasks.vacuum_matches, "delay", lambda: sent.append("vacuum"))
    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_full_now()
        assert sent == []
    assert sent == ["vacuum"]
    assert store.vacuum() is False  # inside the test's transaction (and on SQLite): skipped
