"""/favicon.ico, which browsers ask for whatever the page says, leads to the portal's icon (a 404
there is an error in the browser's console, which fails the browser tests)."""

from django.templatetags.static import static


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert client.post("/favicon.ico").status_code == 405
