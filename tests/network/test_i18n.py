import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_danish_is_the_default_language(client):
    response = client.get(reverse("directory"))
    assert response.headers["Content-Language"] == "da"
    assert '<html lang="da">' in response.content.decode()
    assert "Søg" in response.content.decode()


def test_an_english_browser_still_gets_danish_until_the_person_chooses(client):
    response = client.get(reverse("directory"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "da"


def test_a_signed_in_users_own_language_applies(client, owner):
    owner.language = "nb"
    owner.save()
    client.force_login(owner)
    assert client.get(reverse("directory")).headers["Content-Language"] == "nb"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Directory"), ("nb", "Katalog"), ("da", "Katalog")],
)
def test_switching_language_changes_the_pages(client, language, heading):
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("directory")}
    )
    assert response.status_code == 302
    page = client.get(reverse("directory"))
    assert page.headers["Content-Language"] == language
    assert f"<h1>{heading}</h1>" in page.content.decode()


def test_focus_areas_are_named_in_the_chosen_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Better use of health data" in body
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert "Bedre bruk av helsedata" in client.get(reverse("home")).content.decode()


def test_switching_language_while_signed_in_remembers_it_for_emails(client, owner):
    client.force_login(owner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"
