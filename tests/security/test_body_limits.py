"""A request body larger than its URL accepts is refused by its Content-Length, before it is read
(Django's own limit does not cover files: a 50 MB upload was streamed in full before the form's
20 MB check)."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse

from clusters.services.importing import MAX_UPLOAD_BYTES
from network.body_limits import limit_for
from tests.clusters.factories import staff
from tests.factories import ClusterFactory
from tests.language import danish

MB = 1024 * 1024
pytestmark = pytest.mark.django_db


class CountingBody:
    """wsgi.input that counts what the portal reads of it."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def read(self, n=-1):
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        self.read_bytes += n
        return b"x" * n

    def readline(self, n=-1):
        return self.read(65536 if n is None or n < 0 else n)


def _send(path: str, size: int, cookies: str = ""):
    body = CountingBody(size)
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=grænse",
        CONTENT_LENGTH=str(size),
        HTTP_COOKIE=cookies,
        **{"wsgi.input": body},
    )
    status = []
    chunks = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    return int(status[0].split()[0]), b"".join(chunks).decode(), body


def test_a_50_mb_member_file_is_refused_without_being_read(client):
    cluster = ClusterFactory(slug="syd")
    client.force_login(staff(cluster))
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())

    code, page, body = _send(reverse("clusters:import_upload", args=["syd"]), 50 * MB, cookies)

    assert code == 413
    assert body.read_bytes == 0
    assert danish("The file is too large") in page
    assert "21 MB" in page


def test_the_limit_follows_the_url():
    assert limit_for(reverse("clusters:import_upload", args=["syd"])) == MAX_UPLOAD_BYTES + MB
    assert limit_for(reverse("clusters:settings", args=["syd"])) == 2 * MB
    assert limit_for(reverse("directory")) == 10 * MB  # DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit_for("/no/such/page/") == 10 * MB


def test_an_ordinary_form_with_a_large_body_is_refused_too():
    code, _page, body = _send(reverse("account_login"), 11 * MB)

    assert (code, body.read_bytes) == (413, 0)


def test_a_body_within_the_limit_reaches_the_view(client):
    cluster = ClusterFactory(slug="syd")
    client.force_login(staff(cluster))

    response = client.post(reverse("clusters:import_upload", args=["syd"]), {"file": ""})

    assert response.status_code == 200  # the form, with its error
    assert response.context["form"].errors
