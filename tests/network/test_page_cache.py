"""Rendered list rows kept in the cache (network/page_cache.py): a page never shows data older
than the last write, whichever way the write reached the database; one viewer's rows never reach
another; the forms in a kept fragment carry the viewer's own CSRF token."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from network import page_cache
from network.models import Organisation, Tag
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory

URL = reverse("directory")


def names(client) -> str:
    return client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "network_organisation" ("name") VALUES (%s)', "network_organisation"),
        ('UPDATE "network_tag" SET "name" = %s', "network_tag"),
        ('DELETE FROM "clusters_membership" WHERE id = 1', "clusters_membership"),
        ("update network_person set email = ''", "network_person"),
        ("TRUNCATE matchmaking_stage", "matchmaking_stage"),
        ("COPY matchmaking_stage (a, b) FROM STDIN", "matchmaking_stage"),
        ("WITH moved AS (UPDATE x SET a = 1 RETURNING id) SELECT * FROM moved", "*"),
        ("ALTER TABLE network_tag ADD COLUMN x int", "*"),
        ('SELECT "network_tag"."id" FROM "network_tag" FOR UPDATE', None),
        ("WITH t AS (SELECT 1) SELECT * FROM t", None),
        ("SAVEPOINT s1", None),
    ],
)
def test_the_written_table_is_read_from_the_statement(sql, table):
    assert page_cache.written_table(sql) == table


@pytest.mark.django_db
def test_a_page_shows_every_kind_of_write_at_once(client):
    organisation = OrganisationFactory(name="Faldsikker ApS")
    assert "Faldsikker ApS" in names(client)
    assert "Faldsikker ApS" in names(client)  # now from the cache

    organisation.name = "Gemt Navn ApS"
    organisation.save()
    assert "Gemt Navn ApS" in names(client)

    Organisation.objects.filter(pk=organisation.pk).update(name="Opdateret ApS")
    assert "Opdateret ApS" in names(client)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE network_organisation SET name = %s WHERE id = %s",
            ["Rå SQL ApS", organisation.pk],
        )
    assert "Rå SQL ApS" in names(client)

    organisation.tags.add(Tag.objects.create(name="søvnapnø"))
    assert "søvnapnø" in names(client)

    OrganisationFactory(name="Ny Virksomhed ApS", slug="ny-1")
    OrganisationFactory(name="Ny Virksomhed ApS", slug="ny-2")
    response = client.get(URL)
    assert response.content.decode().count("Ny Virksomhed ApS") == 2
    assert response.context["page"].paginator.count == 3

    Organisation.objects.filter(pk=organisation.pk).delete()
    assert "Rå SQL ApS" not in names(client)


@pytest.mark.django_db
def test_a_repeated_visit_asks_the_database_less(client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(25)
    client.get(URL, {"page": 2})
    with django_assert_max_num_queries(0):
        client.get(URL, {"page": 2})


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_after_the_commit_and_not_for_a_rollback(settings):
    settings.PAGE_CACHE_BUMP_AT_ONCE = False
    before = page_cache.data_version()
    with transaction.atomic():
        OrganisationFactory(name="Ikke endnu ApS")
        # Before the commit this thread renders without the cache (its rows are newer than
        # any version), and nobody else sees a new version yet.
        assert not page_cache.usable()
        assert page_cache.data_version() == before
    after_commit = page_cache.data_version()
    assert after_commit != before
    assert page_cache.usable()

    def rolled_back():
        with transaction.atomic():
            OrganisationFactory(name="Rulles tilbage ApS")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert page_cache.data_version() == after_commit


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_rolled_back_savepoint_still_counts_for_the_outer_commit(settings):
    settings.PAGE_CACHE_BUMP_AT_ONCE = False
    before = page_cache.data_version()

    def inner():
        with transaction.atomic():
            OrganisationFactory(name="Indre ApS")
            raise RuntimeError

    with transaction.atomic():
        with pytest.raises(RuntimeError):
            inner()
        OrganisationFactory(name="Ydre ApS")
    assert page_cache.data_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_version_once_however_many_savepoints_wrote(settings):
    settings.PAGE_CACHE_BUMP_AT_ONCE = False
    before = int(page_cache.data_version())
    with transaction.atomic():
        for n in range(5):  # each row in its own savepoint, as an import keeps them apart
            with transaction.atomic():
                OrganisationFactory(name=f"Række {n} ApS", slug=f"raekke-{n}")
    assert int(page_cache.data_version()) == before + 1


@pytest.mark.django_db
def test_a_fragment_the_view_asked_about_is_read_from_the_cache_once(client, monkeypatch):
    asked = []
    real = page_cache.cache

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def get(self, key, *args, **kwargs):
            asked.append(key)
            return real.get(key, *args, **kwargs)

    monkeypatch.setattr(page_cache, "cache", Counting())
    for _visit in ("rendered", "kept"):
        asked.clear()
        assert client.get(reverse("search"), {"q": "sensor"}).status_code == 200
        assert sum(key.startswith("page-cache:search-results:") for key in asked) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("refusal", [Http404, PermissionDenied])
def test_an_access_refusal_is_kept_until_the_data_changes(refusal):
    calls = []

    def lookup():
        calls.append(1)
        raise refusal

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for _visit in range(2):
        with pytest.raises(refusal):
            page_cache.remember_access(request, "probe", 1, lookup=lookup)
    assert len(calls) == 1
    OrganisationFactory()
    assert page_cache.remember_access(request, "probe", 1, lookup=lambda: "found") == "found"


@pytest.mark.django_db
def test_each_viewer_gets_their_own_rows(client):
    OrganisationFactory(name="Synlig ApS")
    private = OrganisationFactory(name="Skjult ApS", is_public=False)
    member = Client()
    member.force_login(person_with_login(private, "member", "skjult@example.com"))
    assert "Skjult ApS" in names(member)
    assert "Skjult ApS" not in names(client)
    assert "Skjult ApS" in names(member)
