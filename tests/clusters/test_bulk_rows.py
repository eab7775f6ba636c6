"""clusters.services.bulk_rows.insert_rows writes what bulk_create would: every field type the
import's models use (text, choices, foreign keys, dates, times with zone, decimals, JSON, NULLs),
auto_now fields filled, conflicts ignored when asked."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clusters.models import Membership, MembershipStatus
from clusters.services.bulk_rows import insert_rows
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
