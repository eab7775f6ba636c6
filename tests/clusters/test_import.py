"""Upload -> preview -> commit, through the pages, with good rows and every kind of bad row."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from clusters.models import ImportBatch, ImportRow, Membership
from clusters.services import importing
from network.models import Affiliation, Organisation, Person
from tests.clusters.factories import (
    OrganisationFactory,
    active_membership,
    application,
    csv_upload,
    valid_cvr,
    valid_orgnr,
    xlsx_upload,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NEW_CVR, KNOWN_CVR, MEMBER_CVR = valid_cvr(1), valid_cvr(2), valid_cvr(3)


@pytest.fixture
def directory(cluster, basic, premium):
    known = OrganisationFactory(name="Kendt Firma ApS", cvr=KNOWN_CVR)
    member = OrganisationFactory(name="Medlem ApS", cvr=MEMBER_CVR)
    active_membership(cluster, tier=basic, organisation=member, start=date(2025, 1, 1))
    return {"known": known, "member": member}


GOOD_ROWS = [
    [
        NEW_CVR,
        "Ny Sundhed ApS",
        "SMV",
        "Odense",
        "Jens Hansen",
        "jens@ny.example",
        "+45 11",
        "Basis",
        "2025-01-01",
    ],
    [KNOWN_CVR, "Kendt Firma ApS", "sme", "Aarhus Kommune", "", "", "", "Basis", "01-01-2025"],
    [
        MEMBER_CVR,
        "Medlem ApS",
        "SMV",
        "Odense",
        "Mette Berg",
        "mette@medlem.example",
        "",
        "Premium",
        "2025-01-01",
    ],
]
BAD_ROWS = [
    ["12345675", "Forkert CVR ApS", "SMV", "Odense", "", "", "", "Basis", "2025-01-01"],
    [valid_cvr(4), "Atlantis ApS", "SMV", "Atlantis", "", "", "", "Basis", "2025-01-01"],
    [NEW_CVR, "Ny Sundhed ApS (igen)", "SMV", "Odense", "", "", "", "Basis", "2025-01-01"],
    [valid_cvr(5), "", "SMV", "Odense", "", "", "", "Basis", "2025-01-01"],
]


def upload(client, cluster, file, *, follow=True):
    return client.post(
        reverse("clusters:import_upload", args=[cluster.slug]), {"file": file}, follow=follow
    )


def commit(client, batch, follow=True):
    return client.post(
        reverse("clusters:import_commit", args=[batch.cluster.slug, batch.pk]), follow=follow
    )


def snapshot():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Affiliation.objects.count(),
        sorted(
            Membership.objects.values_list(
                "organisation_id", "status", "tier_id", "period_start", "primary_contact_id"
            )
        ),
        Membership.history.count(),
    )


def test_mixed_file_previews_every_row_and_writes_nothing(client, cluster, directory, manager):
    client.force_login(manager)
    before = snapshot()
    response = upload(client, cluster, csv_upload(GOOD_ROWS + BAD_ROWS))
    batch = ImportBatch.objects.get()
    assert batch.status == "preview"
    assert batch.counts | {"warning": 0} == {
        "new": 2,
        "update": 1,
        "unchanged": 0,
        "error": 4,
        "warning": 0,
    }
    rows = {row.line: row for row in ImportRow.objects.filter(batch=batch)}
    assert [rows[n].outcome for n in range(2, 9)] == [
        "new",
        "new",
        "update",
        "error",
        "error",
        "error",
        "error",
    ]
    assert [m["code"] for m in rows[5].messages] == ["bad_cvr"]
    assert [m["code"] for m in rows[6].messages] == ["unknown_municipality"]
    assert [m["code"] for m in rows[7].messages] == ["duplicate"]
    assert [m["code"] for m in rows[8].messages] == ["missing"]
    assert {c["field"] for c in rows[4].changes} >= {"tier", "primary_contact"}
    body = response.content.decode()  # the preview shows every row, the errors first
    assert "is not a valid CVR number" in body
    assert "Unknown municipality: Atlantis." in body
    assert "Duplicate: the same organisation is on line 2." in body
    assert "Name is missing." in body
    assert body.count('data-outcome="') == 7
    assert body.index('data-outcome="error"') < body.index('data-outcome="new"')
    assert "Import 3 rows without errors" in body
    # Confirming without choosing to leave the errors out is refused; nothing was written.
    response = commit(client, batch)
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.status == "preview"


def test_errors_report_lists_the_bad_rows(client, cluster, directory, manager):
    client.force_login(manager)
    upload(client, cluster, csv_upload(GOOD_ROWS + BAD_ROWS))
    batch = ImportBatch.objects.get()
    response = client.get(reverse("clusters:import_errors", args=[cluster.slug, batch.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 5
    assert "Atlantis" in text
    assert "Unknown municipality" in text


def test_corrected_file_commits_in_one_go_and_reimport_changes_nothing(
    client, cluster, directory, manager, basic, premium
):
    client.force_login(manager)
    upload(client, cluster, csv_upload(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    assert batch.counts["error"] == 0
    assert batch.can_commit
    response = commit(client, batch)
    assert "The member list was imported." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert batch.committed_by == manager
    assert (batch.counts["written_new"], batch.counts["written_update"]) == (2, 1)

    new = Organisation.objects.get(cvr=NEW_CVR)
    assert (new.name, new.kind, new.municipality.name, new.region.code) == (
        "Ny Sundhed ApS",
        "sme",
        "Odense",
        "1083",
    )
    membership = Membership.objects.get(organisation=new, cluster=cluster)
    assert (membership.status, membership.tier, membership.annual_fee) == (
        "active",
        basic,
        basic.annual_fee,
    )
    assert (membership.period_start, membership.period_end) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert membership.primary_contact.full_name == "Jens Hansen"
    assert membership.primary_contact.email == "jens@ny.example"
    assert new.people.filter(pk=membership.primary_contact.pk).exists()
    record = membership.history.get()
    assert record.history_user == manager
    assert record.history_change_reason == "import: members.csv"

    updated = Membership.objects.get(organisation=directory["member"])
    assert (updated.tier, updated.annual_fee) == (premium, premium.annual_fee)
    assert updated.primary_contact.email == "mette@medlem.example"
    assert updated.history.order_by("-history_id").first().history_user == manager
    known = Membership.objects.get(organisation=directory["known"])
    assert known.status == "active"

    # The same file again: every row is unchanged, and nothing is written.
    before = snapshot()
    response = upload(client, cluster, csv_upload(GOOD_ROWS))
    second = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert second.counts["unchanged"] == 3
    assert second.counts["new"] == second.counts["update"] == second.counts["error"] == 0
    body = response.content.decode()
    assert "Nothing to import: every row matches the member list." in body
    assert "The same file was imported on" in body
    commit(client, second)
    assert snapshot() == before
    second.refresh_from_db()
    assert second.status == "preview"


def test_xlsx_with_date_cells_and_a_norwegian_organisation(client, cluster, manager, basic):
    norwegian = valid_orgnr(1)
    header = ["Organisasjonsnummer", "Navn", "Type", "Kommune", "Startdato"]
    rows = [
        [norwegian, "Fjord Helse AS", "SMB", "Bergen", datetime(2025, 3, 1)],
        [int(NEW_CVR), "Ny Sundhed ApS", "SMV", "Odense", datetime(2025, 3, 1)],
    ]
    client.force_login(manager)
    upload(client, cluster, xlsx_upload(rows, header))
    batch = ImportBatch.objects.get()
    assert batch.counts["new"] == 2, list(batch.rows.values("messages"))
    commit(client, batch)
    fjord = Organisation.objects.get(orgnr=norwegian)
    assert (fjord.country, fjord.municipality.name) == ("NO", "Bergen")
    membership = fjord.memberships.get()
    assert (membership.period_start, membership.tier) == (date(2025, 3, 1), basic)


def test_norwegian_municipalities_by_number_or_any_official_name(client, cluster, manager, basic):
    header = ["Organisasjonsnummer", "Navn", "Type", "Kommune", "Startdato"]
    start = datetime(2025, 3, 1)
    rows = [
        [valid_orgnr(11), "Vidda Helse AS", "SMB", 5612, start],  # a number cell
        [valid_orgnr(12), "Deatnu Omsorg AS", "SMB", "deatnu", start],
        [valid_orgnr(13), "Kárášjohka Tech AS", "SMB", "KÁRÁŠJOHKA kommune", start],
        [valid_orgnr(14), "Snåase Velferd AS", "SMB", "Snåase", start],
        [valid_orgnr(15), "Sentrum Helse AS", "SMB", "301", start],  # Oslo, its zero lost
    ]
    client.force_login(manager)
    upload(client, cluster, xlsx_upload(rows, header))
    batch = ImportBatch.objects.get()
    assert batch.counts["new"] == 5, list(batch.rows.values("messages"))
    commit(client, batch)
    placed = dict(
        Organisation.objects.filter(country="NO").values_list("name", "municipality__code")
    )
    assert placed == {
        "Vidda Helse AS": "5612",
        "Deatnu Omsorg AS": "5628",
        "Kárášjohka Tech AS": "5610",
        "Snåase Velferd AS": "5041",
        "Sentrum Helse AS": "0301",
    }
    assert Organisation.objects.get(name="Vidda Helse AS").region.code == "56"  # Finnmark


def test_a_name_two_norwegian_municipalities_share_is_not_guessed(client, cluster, manager, basic):
    header = ["Organisasjonsnummer", "Navn", "Type", "Kommune", "Startdato"]
    rows = [
        [valid_orgnr(16), "Våler Helse AS", "SMB", "Våler", datetime(2025, 3, 1)],
        [valid_orgnr(17), "Solør Helse AS", "SMB", "Våler (Innlandet)", datetime(2025, 3, 1)],
    ]
    client.force_login(manager)
    response = upload(client, cluster, xlsx_upload(rows, header))
    batch = ImportBatch.objects.get()
    messages = {row.line: [m["code"] for m in row.messages] for row in batch.rows.all()}
    assert "unknown_municipality" in messages[2]
    assert "unknown_municipality" not in messages[3]
    assert "Unknown municipality: Våler." in response.content.decode()


def test_an_application_in_the_file_is_approved_and_a_closed_one_is_an_error(
    client, cluster, manager, basic
):
    applicant = application(cluster, organisation=OrganisationFactory(cvr=valid_cvr(7)))
    from tests.clusters.factories import MembershipFactory

    closed = MembershipFactory(
        cluster=cluster, status="cancelled", organisation=OrganisationFactory(cvr=valid_cvr(8))
    )
    rows = [
        [
            valid_cvr(7),
            applicant.organisation.name,
            "SMV",
            "Odense",
            "",
            "",
            "",
            "Basis",
            "2025-01-01",
        ],
        [
            valid_cvr(8),
            closed.organisation.name,
            "SMV",
            "Odense",
            "",
            "",
            "",
            "Basis",
            "2025-01-01",
        ],
    ]
    client.force_login(manager)
    upload(client, cluster, csv_upload(rows))
    batch = ImportBatch.objects.get()
    outcomes = dict(batch.rows.values_list("line", "outcome"))
    assert outcomes == {2: "update", 3: "error"}
    upload(client, cluster, csv_upload(rows[:1]))
    second = ImportBatch.objects.latest("pk")
    commit(client, second)
    applicant.refresh_from_db()
    assert (applicant.status, applicant.period_start) == ("active", date(2025, 1, 1))
    assert applicant.history.order_by("-history_id").first().history_user == manager


def test_contacts_with_a_login_keep_their_own_details(client, cluster, manager, basic):
    from tests.clusters.factories import org_admin

    organisation = OrganisationFactory(cvr=valid_cvr(9), name="Egen ApS")
    user = org_admin(organisation, email="ejer@egen.example")
    person = user.person
    person.phone = "+45 99"
    person.save()
    rows = [
        [
            valid_cvr(9),
            "Egen ApS",
            "SMV",
            "Odense",
            "Et Andet Navn",
            "ejer@egen.example",
            "+45 00",
            "Basis",
            "2025-01-01",
        ]
    ]
    client.force_login(manager)
    upload(client, cluster, csv_upload(rows))
    batch = ImportBatch.objects.get()
    row = batch.rows.get()
    assert "contact_kept" in [m["code"] for m in row.messages]
    commit(client, batch)
    person.refresh_from_db()
    assert person.phone == "+45 99"
    assert Membership.objects.get(organisation=organisation).primary_contact == person


def test_large_file_is_read_and_written_by_celery_with_progress(
    client, cluster, manager, basic, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "INLINE_MAX_BYTES", 10)
    monkeypatch.setattr(importing, "INLINE_MAX_ROWS", 5)
    rows = [
        [valid_cvr(100 + n), f"Firma {n} ApS", "SMV", "Odense", "", "", "", "Basis", "2025-01-01"]
        for n in range(40)
    ]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, cluster, csv_upload(rows), follow=False)
    batch = ImportBatch.objects.get()
    assert batch.status == "uploaded"  # queued, not read yet
    url = reverse("clusters:import_detail", args=[cluster.slug, batch.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    for callback in callbacks:
        callback()  # the worker runs (eagerly, in tests)
    batch.refresh_from_db()
    assert (batch.status, batch.total_rows, batch.processed_rows) == ("preview", 40, 40)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        commit(client, batch, follow=False)
    batch.refresh_from_db()
    assert batch.status == "committing"
    assert "Importing the rows" in client.get(url).content.decode()
    for callback in callbacks:
        callback()
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Membership.objects.filter(cluster=cluster).count() == 40


def test_a_second_confirm_does_not_import_twice(client, cluster, manager, basic):
    client.force_login(manager)
    upload(client, cluster, csv_upload(GOOD_ROWS[:1]))
    batch = ImportBatch.objects.get()
    commit(client, batch)
    before = snapshot()
    commit(client, batch)
    assert snapshot() == before


def test_changes_between_preview_and_commit_send_it_back_to_review(client, cluster, manager, basic):
    organisation = OrganisationFactory(cvr=valid_cvr(11))
    rows = [[valid_cvr(11), organisation.name, "SMV", "Odense", "", "", "", "Basis", "2025-01-01"]]
    client.force_login(manager)
    upload(client, cluster, csv_upload(rows))
    batch = ImportBatch.objects.get()
    from tests.clusters.factories import MembershipFactory

    MembershipFactory(cluster=cluster, organisation=organisation, status="rejected")
    before = snapshot()
    response = commit(client, batch)
    assert "changed since the preview" in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.counts["error"]) == ("preview", 1)
    assert snapshot() == before


def test_a_file_without_the_required_columns_fails_clearly(client, cluster, manager):
    client.force_login(manager)
    response = upload(client, cluster, csv_upload([["x", "y"]], header=["Navn", "Kommune"]))
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    assert "The file has no column for" in response.content.decode()


def test_only_csv_and_xlsx_are_accepted(client, cluster, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    response = upload(client, cluster, SimpleUploadedFile("a.pdf", b"%PDF"))
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_discard(client, cluster, manager, basic):
    client.force_login(manager)
    upload(client, cluster, csv_upload(GOOD_ROWS[:1]))
    batch = ImportBatch.objects.get()
    url = reverse("clusters:import_discard", args=[cluster.slug, batch.pk])
    asked = client.post(url)  # one click only asks (the modal, or this page without JavaScript)
    assert asked.status_code == 200
    assert 'data-testid="confirm-question"' in asked.content.decode()
    assert '<input type="hidden" name="confirm" value="yes">' in asked.content.decode()
    batch.refresh_from_db()
    assert batch.status != "discarded"
    assert batch.rows.exists()
    client.post(url, {"confirm": "yes"})
    batch.refresh_from_db()
    assert batch.status == "discarded"
    assert not batch.rows.exists()
    assert commit(client, batch).status_code == 200
    assert not Membership.objects.exists()


def test_template_download(client, cluster, manager):
    client.force_login(manager)
    response = client.get(reverse("clusters:import_template", args=[cluster.slug]))
    text = response.content.decode("utf-8")
    assert text.startswith("CVR / organisation number,Name,Kind,Municipality")


def test_person_matching_by_name_without_email_is_idempotent(client, cluster, manager, basic):
    organisation = OrganisationFactory(cvr=valid_cvr(12))
    rows = [
        [
            valid_cvr(12),
            organisation.name,
            "SMV",
            "Odense",
            "Kim Lind",
            "",
            "",
            "Basis",
            "2025-01-01",
        ]
    ]
    client.force_login(manager)
    upload(client, cluster, csv_upload(rows))
    commit(client, ImportBatch.objects.get())
    assert organisation.people.get().full_name == "Kim Lind"
    upload(client, cluster, csv_upload(rows))
    assert ImportBatch.objects.latest("pk").counts["unchanged"] == 1
    assert PersonFactory._meta.model.objects.filter(first_name="Kim").count() == 1


def _member_rows(first: int, count: int) -> list[list[str]]:
    """`count` members from number `first` on, each with a municipality and a contact."""
    return [
        [
            valid_cvr(first + n),
            f"Firma {first + n} ApS",
            "SMV",
            ["Odense", "Aarhus Kommune"][n % 2],
            f"Kontakt {first + n}",
            f"kontakt{first + n}@firma.example",
            "",
            "Basis",
            "2025-01-01",
        ]
        for n in range(count)
    ]


def _commit_queries(cluster, manager, first: int, count: int) -> tuple[int, int]:
    """Queries to preview and to commit `count` new members, each with a municipality and a
    new contact person (the service calls the upload and confirm pages make)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    upload = csv_upload(_member_rows(first, count))
    file = SimpleUploadedFile(upload.name, upload.read(), "text/csv")
    with CaptureQueriesContext(connection) as preview:
        batch = importing.import_batch_create(cluster=cluster, actor=manager, uploaded_file=file)
    batch.refresh_from_db()
    with CaptureQueriesContext(connection) as written:
        assert importing.import_batch_start_commit(batch=batch, actor=manager)
    batch.refresh_from_db()
    assert batch.status == "committed"
    return len(preview), len(written)


def test_preview_and_commit_make_as_many_queries_for_many_rows_as_for_few(cluster, manager, basic):
    few = _commit_queries(cluster, manager, 300, 3)
    many = _commit_queries(cluster, manager, 400, 30)
    assert many == few
    assert Membership.objects.filter(cluster=cluster).count() == 33


def _reupload_queries(cluster, manager, first: int, count: int) -> int:
    """Queries to preview a file again once its `count` members are in."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _commit_queries(cluster, manager, first, count)
    upload = csv_upload(_member_rows(first, count))
    file = SimpleUploadedFile(upload.name, upload.read(), "text/csv")
    with CaptureQueriesContext(connection) as preview:
        batch = importing.import_batch_create(cluster=cluster, actor=manager, uploaded_file=file)
    batch.refresh_from_db()
    assert batch.counts["unchanged"] == count, batch.counts
    return len(preview)


def test_a_file_read_again_makes_as_many_queries_for_many_known_members_as_for_few(
    cluster, manager, basic
):
    assert _reupload_queries(cluster, manager, 500, 30) == _reupload_queries(
        cluster, manager, 600, 3
    )


def test_a_contact_who_left_the_organisation_is_named_in_the_change(
    client, cluster, manager, basic
):
    organisation = OrganisationFactory(cvr=valid_cvr(13), name="Skift ApS")
    membership = active_membership(
        cluster, tier=basic, organisation=organisation, start=date(2025, 1, 1)
    )
    former = PersonFactory(first_name="Tidligere", last_name="Kontakt", email="")
    membership.primary_contact = former
    membership.save()
    assert not Affiliation.objects.filter(person=former, organisation=organisation).exists()
    rows = [
        [
            valid_cvr(13),
            "Skift ApS",
            "SMV",
            "Odense",
            "Ny Kontakt",
            "ny@skift.example",
            "",
            "Basis",
            "2025-01-01",
        ]
    ]
    client.force_login(manager)
    upload(client, cluster, csv_upload(rows))
    row = ImportBatch.objects.get().rows.get()
    assert {"field": "primary_contact", "old": "Tidligere Kontakt", "new": "Ny Kontakt"} in (
        row.changes
    )
