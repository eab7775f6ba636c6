"""A shared need is in all its places: its own (its owner's when it has none) and those of the
organisations that joined it. The need list's region and municipality filters find it in each,
the need page names them all; a joiner whose profile is private keeps its place to itself.
Merged needs stay out of the lists. Query counts do not grow with the list or the joiners."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import sharing
from matchmaking.models import Need
from matchmaking.models_sharing import NeedShare
from network.models import Region
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, municipality
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db

SYDDANMARK = "dk-region-syddanmark"
MIDTJYLLAND = "dk-region-midtjylland"
HOVEDSTADEN = "dk-region-hovedstaden"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SEARCH_SYNC_SECONDS = 0


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def kommune(name, **extra):
    return OrganisationFactory(
        name=f"{name} Kommune",
        kind="municipality",
        cvr="",
        municipality=municipality(name),
        **extra,
    )


@pytest.fixture
def aarhus(db):
    return kommune("Aarhus")


@pytest.fixture
def svendborg(db):
    return kommune("Svendborg")


@pytest.fixture
def svendborg_admin(svendborg):
    return person_with_login(svendborg, "admin", "admin@svendborg.example")


@pytest.fixture
def need(aarhus):
    """Aarhus's need (Region Midtjylland)."""
    return NeedFactory(
        owner=aarhus, title="Night-time fall sensors", municipality=municipality("Aarhus")
    )


def listed(client, **query) -> list[str]:
    response = client.get(reverse("matchmaking:need_list"), query)
    assert response.status_code == 200
    return [row.title for row in response.context["page"]]


def header(client, need) -> str:
    body = client.get(need.get_absolute_url()).content.decode()
    start = body.index('<p class="font-lead">')
    return body[start : body.index("</p>", start)]


# --- the list's place filters -------------------------------------------------------------------
def test_shared_need_is_found_in_the_joiners_region_and_municipality(
    client, need, svendborg, svendborg_admin
):
    NeedFactory(title="Copenhagen's own need", municipality=municipality("København"))
    assert listed(client, region=SYDDANMARK) == []
    sharing.need_join(need=need, organisation=svendborg, user=svendborg_admin)
    assert listed(client, region=SYDDANMARK) == [need.title]
    assert listed(client, region=MIDTJYLLAND) == [need.title]  # its own place still counts
    assert listed(client, region=HOVEDSTADEN) == ["Copenhagen's own need"]
    assert listed(client, municipality="dk-svendborg") == [need.title]
    assert listed(client, municipality="dk-odense") == []
    # Both facets at once: a place of the need in each.
    assert listed(client, region=SYDDANMARK, municipality="dk-aarhus") == [need.title]


def test_leaving_the_need_takes_it_out_of_the_joiners_region(
    client, need, svendborg, svendborg_admin
):
    sharing.need_join(need=need, organisation=svendborg, user=svendborg_admin)
    assert listed(client, region=SYDDANMARK) == [need.title]
    sharing.need_leave(need=need, organisation=svendborg, user=svendborg_admin)
    assert listed(client, region=SYDDANMARK) == []
    assert listed(client, municipality="dk-svendborg") == []
    assert listed(client, region=MIDTJYLLAND) == [need.title]


def test_a_joining_region_counts_by_the_region_it_gave(client, need):
    region = OrganisationFactory(
        name="Region Hovedstaden",
        kind="region",
        cvr="",
        municipality=None,
        region=Region.objects.get(slug=HOVEDSTADEN),
    )
    NeedShare.objects.create(need=need, organisation=region)
    assert listed(client, region=HOVEDSTADEN) == [need.title]
    assert listed(client, region=SYDDANMARK) == []


def test_need_without_a_place_of_its_own_is_where_its_owner_is(client, aarhus, svendborg):
    placeless = NeedFactory(owner=svendborg, title="Placeless")
    placed = NeedFactory(
        owner=svendborg, title="Placed in Aarhus", municipality=municipality("Aarhus")
    )
    assert listed(client, region=SYDDANMARK) == [placeless.title]
    assert listed(client, municipality="dk-svendborg") == [placeless.title]
    assert sorted(listed(client, region=MIDTJYLLAND)) == [placed.title]


def test_a_private_joiners_place_is_only_for_those_who_may_see_it(
    client, need, outsider, network_admin
):
    hidden = kommune("Nyborg", is_public=False)
    hidden_member = person_with_login(hidden, "member", "member@nyborg.example")
    NeedShare.objects.create(need=need, organisation=hidden)
    assert listed(client, region=SYDDANMARK) == []
    assert listed(client, municipality="dk-nyborg") == []
    assert "Nyborg" not in header(client, need)
    client.force_login(outsider)
    assert listed(client, region=SYDDANMARK) == []
    assert "Nyborg" not in header(client, need)
    for reader in (hidden_member, network_admin):
        client.force_login(reader)
        assert listed(client, region=SYDDANMARK) == [need.title]
        assert "Nyborg" in header(client, need)


def test_a_private_joiner_is_counted_but_not_named_for_those_who_may_not_see_it(
    client, need, outsider, svendborg, svendborg_admin
):
    hidden = kommune("Nyborg", is_public=False)
    hidden_member = person_with_login(hidden, "member", "member@nyborg.example")
    NeedShare.objects.create(need=need, organisation=hidden, note="Tre plejecentre om natten")
    sharing.need_join(need=need, organisation=svendborg, user=svendborg_admin)
    listing = reverse("matchmaking:need_list")

    def page() -> str:
        return client.get(need.get_absolute_url()).content.decode()

    for reader in (None, outsider):
        if reader:
            client.force_login(reader)
        body = page()
        assert "2 more organisations have this need" in body
        assert "Svendborg Kommune" in body
        assert "Nyborg Kommune" not in body
        assert "Tre plejecentre om natten" not in body
        assert "An organisation not listed in the directory" in body
        rows = client.get(listing).content.decode()
        assert "Svendborg Kommune" in rows
        assert "Nyborg Kommune" not in rows
    # Its own people, and those who share the need with it, see it.
    for reader in (hidden_member, svendborg_admin):
        client.force_login(reader)
        body = page()
        assert "Nyborg Kommune" in body
        assert "Tre plejecentre om natten" in body


# --- the need page's header ---------------------------------------------------------------------
def test_need_page_names_every_place_of_a_shared_need(client, need, outsider):
    for name in ("Svendborg", "Nyborg"):
        NeedShare.objects.create(need=need, organisation=kommune(name))
    # A hospital in a municipality already named adds no place.
    NeedShare.objects.create(
        need=need, organisation=OrganisationFactory(name="OUH Svendborg", kind="hospital", cvr="",
                                                    municipality=municipality("Svendborg")),
    )  # fmt: skip
    client.force_login(outsider)
    text = header(client, need)
    assert "Aarhus, Svendborg and Nyborg" in text
    assert "Region Midtjylland and Region Syddanmark" in text


def test_need_page_shortens_a_long_list_of_places(client, need):
    names = ["Svendborg", "Nyborg", "Kerteminde", "Middelfart", "Kolding"]
    for name in names:
        NeedShare.objects.create(need=need, organisation=kommune(name))
    text = header(client, need)
    assert "Aarhus, Svendborg, Nyborg and 3 more places" in text
    assert 'title="Aarhus, Svendborg, Nyborg, Kerteminde, Middelfart, Kolding"' in text


def test_need_page_header_in_danish(client, need, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    for name in ("Svendborg", "Nyborg", "Kerteminde", "Middelfart"):
        NeedShare.objects.create(need=need, organisation=kommune(name))
    assert "Aarhus, Svendborg, Nyborg og 2 steder mere" in header(client, need)


def test_unshared_need_page_header_is_its_own_place(client, need):
    text = header(client, need)
    assert "Aarhus Kommune</a> · <span" in text
    assert ">Aarhus</span> · <span" in text
    assert ">Region Midtjylland</span>" in text


# --- merged needs -------------------------------------------------------------------------------
def test_merged_needs_stay_out_of_the_list_and_search(client, need, svendborg, network_admin):
    twin = NeedFactory(owner=svendborg, title="Night-time fall sensors, again")
    sharing.need_merge(kept=need, removed=twin, user=network_admin)
    assert set(Need.objects.not_merged()) == {need}
    for reader in (None, network_admin):
        if reader:
            client.force_login(reader)
        assert listed(client) == [need.title]
        assert listed(client, status="closed") == []
        assert listed(client, region=SYDDANMARK) == [need.title]  # its owner joined the kept one
        response = client.get(reverse("search"), {"q": "fall sensors", "kind": "need"})
        assert [hit.title for hit in response.context["results"].hits] == [need.title]
    # The merged need's own page stays, pointing at the kept one.
    assert 'data-testid="merged-into"' in client.get(twin.get_absolute_url()).content.decode()


# --- query counts ---------------------------------------------------------------------------------
def _list_queries(client, **query) -> tuple[int, CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matchmaking:need_list"), query)
    assert response.status_code == 200
    return len(response.context["page"]), queries


def _shared_needs(owner, joiners, count, start=0):
    for n in range(start, start + count):
        need = NeedFactory(
            owner=owner, title=f"Shared need {n}", municipality=municipality("Aarhus")
        )
        for joiner in joiners:
            NeedShare.objects.create(need=need, organisation=joiner)


@pytest.mark.parametrize("signed_in", [False, True])
def test_filtered_list_queries_do_not_grow_with_the_needs(client, aarhus, outsider, signed_in):
    joiners = [kommune("Svendborg"), kommune("Nyborg"), kommune("Kolding", is_public=False)]
    if signed_in:
        client.force_login(outsider)
    _list_queries(client, region=SYDDANMARK)  # the facets' choices are cached from here on
    # Each count is taken after a write, so that nothing comes from the page cache.
    _shared_needs(aarhus, joiners, 2)
    rows, few = _list_queries(client, region=SYDDANMARK, municipality="dk-nyborg")
    assert rows == 2
    _shared_needs(aarhus, joiners, 23, start=2)
    rows, many = _list_queries(client, region=SYDDANMARK, municipality="dk-nyborg")
    assert rows == 20
    assert len(many.captured_queries) == len(few.captured_queries)
    # The joiners' places are a subquery of the page's own query, not ids read beforehand.
    page = [q["sql"] for q in many.captured_queries if 'FROM "matchmaking_need" ' in q["sql"]]
    assert any("EXISTS" in sql and '"matchmaking_needshare"' in sql for sql in page)


def test_need_page_queries_do_not_grow_with_the_joiners_places(
    client, need, outsider, django_assert_num_queries
):
    names = ["Svendborg", "Nyborg", "Kerteminde", "Middelfart", "Kolding", "Vejle", "Odense",
             "Faaborg-Midtfyn"]  # fmt: skip
    client.force_login(outsider)
    client.get(need.get_absolute_url())
    NeedShare.objects.create(need=need, organisation=kommune(names[0]))
    with CaptureQueriesContext(connection) as one:
        assert "Aarhus and Svendborg" in header(client, need)
    for name in names[1:]:
        NeedShare.objects.create(need=need, organisation=kommune(name, is_public=name != "Nyborg"))
    with django_assert_num_queries(len(one.captured_queries)):
        text = header(client, need)
    assert "Aarhus, Svendborg, Kerteminde and 5 more places" in text


def test_list_rows_name_every_public_place_of_a_need(client, need, svendborg, svendborg_admin):
    hidden = kommune("Nyborg", is_public=False)
    sharing.need_join(need=need, organisation=svendborg, user=svendborg_admin)
    NeedShare.objects.create(need=need, organisation=hidden)
    placeless = NeedFactory(owner=svendborg, title="Placeless")
    body = client.get(reverse("matchmaking:need_list")).content.decode()
    rows = {title: body.index(title) for title in (need.title, placeless.title)}
    shared_row = body[rows[need.title] : body.index("</li>", rows[need.title])]
    assert "Aarhus and Svendborg" in shared_row
    assert "Nyborg" not in shared_row
    # A need without a place of its own is where its owner is, as on its page.
    own_row = body[rows[placeless.title] : body.index("</li>", rows[placeless.title])]
    assert "Svendborg" in own_row
