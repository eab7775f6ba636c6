"""A company's kept list of matches (network/page_cache.py): its forms carry each session's own
CSRF token, and what the company does shows at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from matchmaking.services import match_run_full_now
from network import page_cache
from tests.conftest import person_with_login

pytestmark = pytest.mark.django_db
URL = reverse("matchmaking:my_matches")
TOKEN = re.compile(
    r'class="match-useful"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
)


@pytest.fixture
def sme_user(small_network):
    assert match_run_full_now().status == "succeeded"
    return person_with_login(small_network["falls_sme"], "admin", "a@faldvagt.example")


def test_a_kept_list_carries_each_sessions_own_csrf_token(sme_user):
    for _session in range(2):  # a new sign-in is a new CSRF secret; the cards are kept
        client = Client(enforce_csrf_checks=True)
        client.force_login(sme_user)
        body = client.get(URL).content.decode()
        assert page_cache.CSRF_PLACEHOLDER not in body
        token = TOKEN.search(body).group(1)
        action = body.split('class="match-useful"')[0].rsplit('action="', 1)[1].split('"')[0]
        answer = client.post(action, {"csrfmiddlewaretoken": token, "kind": "useful"})
        assert answer.status_code in {200, 302}, answer.status_code


def test_a_match_marked_not_relevant_leaves_the_kept_list_at_once(sme_user):
    client = Client()
    client.force_login(sme_user)
    first = client.get(URL).content.decode()
    client.get(URL)  # kept
    vetoed = re.search(r'<form method="post" action="([^"]+)">', first.split("match-feedback")[1])
    title = re.search(r'<h2 class="h3"><a href="[^"]+">([^<]+)</a>', first).group(1)
    answer = client.post(vetoed.group(1), {"reason_code": "not_our_field"})
    assert answer.status_code in {200, 302}
    assert title not in client.get(URL).content.decode()
