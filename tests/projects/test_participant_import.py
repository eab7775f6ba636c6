"""Participants from a CSV file: preview, per-row errors, confirm, idempotent re-import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import ActivityParticipant
from tests.factories import OrganisationFactory
from tests.language import danish
from tests.projects.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _csv(text: str):
    return SimpleUploadedFile("deltagere.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def activity(cluster):
    return ActivityFactory(cluster=cluster, title="Brugerpanel")


def test_preview_then_confirm_and_re_import_changes_nothing(client, activity, staff):
    hospital = OrganisationFactory(name="OUH", kind="hospital", cvr="")
    sme = OrganisationFactory(name="Faldvagt ApS")
    client.force_login(staff)
    url = reverse("projects:participant_import", args=[activity.pk])
    text = f"organisation;kind;people\nOUH;;3\n{sme.cvr};;2\n;other;12\n"
    preview = client.post(url, {"file": _csv(text)})
    body = preview.content.decode()
    assert 'data-testid="import-preview"' in body
    assert "Faldvagt ApS" in body
    assert not ActivityParticipant.objects.exists()  # nothing before the confirm
    payload = preview.context["payload"]
    response = client.post(url, {"payload": payload})
    assert response.status_code == 302
    assert sorted(activity.participants.values_list("kind", "people")) == [
        ("hospital", 3),
        ("other", 12),
        ("sme", 2),
    ]
    client.post(url, {"payload": payload})
    assert activity.participants.count() == 3
    assert hospital.activity_participations.get().people == 3


def test_every_bad_row_is_named_and_nothing_is_imported(client, activity, staff):
    OrganisationFactory(name="Dobbelt ApS")
    OrganisationFactory(name="Dobbelt ApS", slug="dobbelt-2")
    client.force_login(staff)
    url = reverse("projects:participant_import", args=[activity.pk])
    text = "organisation,kind,people\nFindes Ikke ApS,,1\nDobbelt ApS,,1\n,martians,4\n,other,nul\n"
    preview = client.post(url, {"file": _csv(text)})
    body = preview.content.decode()
    # Each row's reason, in Danish (the default language).
    unknown = "No organisation in the directory is called or numbered “%(name)s”."
    assert danish(unknown) % {"name": "Findes Ikke ApS"} in body
    several = "Several organisations are called “%(name)s”; use the CVR number."
    assert danish(several) % {"name": "Dobbelt ApS"} in body
    assert danish("Unknown kind “%(kind)s”.") % {"kind": "martians"} in body
    not_a_number = "People must be a whole number of at least 1, not “%(value)s”."
    assert danish(not_a_number) % {"value": "nul"} in body
    assert preview.context["error_count"] == 4
    assert "payload" not in preview.context
    assert not ActivityParticipant.objects.exists()


def test_a_file_without_a_header_is_refused(client, activity, staff):
    client.force_login(staff)
    url = reverse("projects:participant_import", args=[activity.pk])
    response = client.post(url, {"file": _csv("OUH;3\n")})
    header = "The first line must name the columns: organisation, kind, people (found: %(found)s)."
    assert danish(header).split("%(found)s")[0] in response.content.decode()


def test_import_permissions(client, activity, staff, outsider):
    url = reverse("projects:participant_import", args=[activity.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    # A tampered payload is refused.
    response = client.post(url, {"payload": "nonsense"})
    assert response.status_code == 302
    assert not ActivityParticipant.objects.exists()
