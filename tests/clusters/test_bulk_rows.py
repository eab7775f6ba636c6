"""clusters.services.bulk_rows.insert_rows writes what bulk_create would: every field type the
import's models use (text, choices, foreign keys, dates, times with zone, decimals, JSON, NULLs),
auto_now fields filled, conflicts ignored when asked."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clusters.models import Membership, MembershipStatus
from clusters.services.bulk_rows import insert_rows, new_row_maker
from network.models import Affiliation, Organisation
from network.models.organisations import AffiliationRole, OrganisationKind
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_bulk_create_writes_them(cluster, basic):
    before = timezone.now()
    organisations = [
        Organisation(
            name=f"Række {n} ApS",
            slug=f"raekke-{n}",
            kind=OrganisationKind.SME,
            country="DK",
            pending_changes={"description": "Ny tekst æøå"},
            is_published=True,
        )
        for n in range(3)
    ]
    insert_rows(Organisation, organisations)
    stored = Organisation.objects.get(slug="raekke-1")
    assert stored.name == "Række 1 ApS"
    assert stored.kind == "sme"
    assert stored.pending_changes == {"description": "Ny tekst æøå"}
    assert stored.is_published is True
    assert stored.submitted_at is None
    assert stored.created_at >= before
    assert stored.updated_at >= before
    assert not organisations[0]._state.adding

    applied = datetime(2025, 1, 31, 23, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    membership = Membership(
        organisation=stored,
        cluster=cluster,
        tier=basic,
        status=MembershipStatus.ACTIVE,
        annual_fee=Decimal("2500.50"),
        currency="DKK",
        period_start=date(2025, 2, 1),
        period_end=date(2026, 1, 31),
        status_reason_params={"n": 1},
        applied_at=applied,
        status_changed_at=applied,
    )
    insert_rows(Membership, [membership])
    stored = Membership.objects.get(organisation__slug="raekke-1")
    assert stored.annual_fee == Decimal("2500.50")
    assert stored.period_start == date(2025, 2, 1)
    assert stored.applied_at == applied
    assert stored.status_reason_params == {"n": 1}
    assert stored.tier == basic
    assert stored.primary_contact is None


def test_conflicts_are_ignored_when_asked():
    organisation = OrganisationFactory()
    person = PersonFactory()
    Affiliation.objects.create(person=person, organisation=organisation, role="admin")
    other = OrganisationFactory()
    insert_rows(
        Affiliation,
        [
            Affiliation(person=person, organisation=organisation, role=AffiliationRole.MEMBER),
            Affiliation(person=person, organisation=other, role=AffiliationRole.MEMBER),
        ],
        ignore_conflicts=True,
    )
    roles = dict(Affiliation.objects.values_list("organisation_id", "role"))
    assert roles == {organisation.pk: "admin", other.pk: "member"}

    # Again in the same transaction (as the import's next chunk does): nothing more is written.
    insert_rows(
        Affiliation,
        [Affiliation(person=person, organisation=other, role=AffiliationRole.ADMIN)],
        ignore_conflicts=True,
    )
    assert dict(Affiliation.objects.values_list("organisation_id", "role")) == roles


def test_keys_come_back_in_order_when_asked():
    from network.models import Person

    # Rows before, the newest of them deleted: the keys still belong to the rows written.
    earlier = PersonFactory.create_batch(3)
    earlier[-1].delete()
    people = [Person(first_name=f"Navn {n}", last_name="Hansen", email="") for n in range(250)]
    insert_rows(Person, people, batch_size=100, return_keys=True)
    assert len({person.pk for person in people}) == 250
    stored = dict(Person.objects.values_list("pk", "first_name"))
    assert all(stored[person.pk] == person.first_name for person in people)
    assert all(not person._state.adding for person in people)


def test_inserted_rows_show_on_a_kept_page_at_once(client):
    """On PostgreSQL the rows go by COPY, which no execute wrapper sees; the page cache must
    still hear of them (network/page_cache.py)."""
    from django.urls import reverse

    directory = reverse("directory")
    client.get(directory)
    client.get(directory)  # kept
    insert_rows(
        Organisation,
        [
            Organisation(
                name="Kopieret ApS",
                slug="kopieret",
                kind=OrganisationKind.SME,
                country="DK",
                is_published=True,
            )
        ],
    )
    assert "Kopieret ApS" in client.get(directory).content.decode()


def test_new_rows_without_model_instances_get_defaults_and_keys(cluster, basic):
    """The import writes NewRows: the model's defaults are filled as an instance would have
    them, the keys come back, and a name that is no field is refused at once."""
    new_organisation = new_row_maker(Organisation)
    rows = [
        new_organisation(name=f"Uden model {n} ApS", slug=f"uden-model-{n}", kind="sme")
        for n in range(3)
    ]
    insert_rows(Organisation, rows, return_keys=True)
    stored = Organisation.objects.get(pk=rows[1].pk)
    assert stored.name == "Uden model 1 ApS"
    assert stored.country == Organisation._meta.get_field("country").get_default()
    assert stored.pending_changes is None
    assert stored.created_at is not None
    assert stored.confirmed_at is not None  # a callable default (now)

    new_membership = new_row_maker(Membership)
    memberships = [
        new_membership(organisation_id=row.pk, cluster_id=cluster.pk, tier_id=basic.pk)
        for row in rows[:2]
    ]
    # Callable defaults are called per row: no two rows share one dict.
    assert memberships[0].status_reason_params == {}
    assert memberships[0].status_reason_params is not memberships[1].status_reason_params
    insert_rows(Membership, memberships, return_keys=True)
    assert Membership.objects.get(pk=memberships[1].pk).tier == basic

    with pytest.raises(TypeError, match="municipality"):
        new_organisation(name="X", municipality=None)  # the key's name is municipality_id


def test_any_lookup_finds_what_in_finds():
    """`field__any` (one array parameter on PostgreSQL) answers as `in` does, for text, keys and
    foreign keys, with None left out and an empty list matching nothing."""
    from network.models import Person

    organisations = OrganisationFactory.create_batch(3)
    person = PersonFactory()
    Affiliation.objects.create(person=person, organisation=organisations[0], role="member")
    slugs = [organisations[0].slug, organisations[2].slug, "ingen-saadan"]
    assert set(Organisation.objects.filter(slug__any=slugs)) == {organisations[0], organisations[2]}
    assert (
        Organisation.objects.filter(pk__any={organisations[1].pk, None}).get() == organisations[1]
    )
    assert (
        Affiliation.objects.filter(organisation_id__any=[o.pk for o in organisations]).count() == 1
    )
    assert Affiliation.objects.filter(organisation__any=organisations[:1]).count() == 1
    assert not Person.objects.filter(email__any=[]).exists()
    # A number no key can be matches nothing (and is no error).
    assert not Organisation.objects.filter(pk__any=[2**70]).exists()
