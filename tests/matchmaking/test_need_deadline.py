"""A need whose deadline has passed is not published or sent for review; a draft may keep it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Need
from network import moderation
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, UserFactory
from tests.matchmaking.factories import NeedFactory
from tests.matchmaking.test_pages_needs import need_data

pytestmark = pytest.mark.django_db

REASON = "The deadline has passed."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def kommune(db):
    return OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")


@pytest.fixture
def kommune_admin(kommune):
    return person_with_login(kommune, "admin", "admin@odense.example")


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_publishing_a_new_need_with_a_past_deadline_is_refused(client, kommune_admin, kommune):
    client.force_login(kommune_admin)
    data = need_data(owner=str(kommune.pk), deadline=yesterday().isoformat(), publish="1")
    response = client.post(reverse("matchmaking:need_create"), data)
    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert not Need.objects.exists()


def test_a_draft_may_keep_a_past_deadline(client, kommune_admin, kommune):
    client.force_login(kommune_admin)
    data = need_data(owner=str(kommune.pk), deadline=yesterday().isoformat(), draft="1")
    assert client.post(reverse("matchmaking:need_create"), data).status_code == 302
    assert Need.objects.get().status == "draft"


def test_publishing_a_draft_with_a_past_deadline_is_refused(client, kommune_admin, kommune):
    draft = NeedFactory(owner=kommune, status="draft", deadline=yesterday())
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_edit", args=[draft.pk])
    response = client.post(url, need_data(deadline=yesterday().isoformat(), publish="1"))
    assert REASON in response.content.decode()
    status_url = reverse("matchmaking:need_set_status", args=[draft.pk])
    page = client.post(status_url, {"action": "publish"}, follow=True).content.decode()
    assert REASON in page
    draft.refresh_from_db()
    assert (draft.status, draft.review_status, draft.is_published) == ("draft", "draft", False)
    # With a later deadline it goes out.
    later = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(url, need_data(deadline=later, publish="1"))
    draft.refresh_from_db()
    assert (draft.status, draft.review_status) == ("open", "pending")


def test_sending_a_draft_for_review_with_a_past_deadline_is_refused(client, kommune_admin, kommune):
    draft = NeedFactory(owner=kommune, status="draft", deadline=yesterday())
    client.force_login(kommune_admin)
    url = reverse("review_action", args=["need", draft.pk])
    page = client.post(url, {"action": "submit"}, follow=True).content.decode()
    assert REASON in page
    draft.refresh_from_db()
    assert draft.review_status == "draft"


def test_a_reviewer_cannot_approve_a_need_whose_deadline_passed_while_waiting(kommune):
    need = NeedFactory(owner=kommune, status="open", deadline=yesterday())
    Need.objects.filter(pk=need.pk).update(is_published=False, review_status="pending")
    need.refresh_from_db()
    with pytest.raises(moderation.ReviewError, match=REASON):
        moderation.approve(need, actor=UserFactory(is_network_admin=True))
    need.refresh_from_db()
    assert not need.is_published


def test_reopening_a_closed_need_with_a_past_deadline_is_refused(client, kommune_admin, kommune):
    need = NeedFactory(owner=kommune, status="closed", deadline=yesterday())
    client.force_login(kommune_admin)
    url = reverse("matchmaking:need_set_status", args=[need.pk])
    page = client.post(url, {"action": "reopen"}, follow=True).content.decode()
    assert REASON in page
    need.refresh_from_db()
    assert need.status == "closed"


def test_an_open_need_cannot_be_given_a_past_deadline_but_one_that_ran_out_can_be_closed(
    client, kommune_admin, kommune
):
    need = NeedFactory(owner=kommune, status="open", deadline=timezone.localdate())
    client.force_login(kommune_admin)
    edit = reverse("matchmaking:need_edit", args=[need.pk])
    response = client.post(edit, need_data(deadline=yesterday().isoformat()))
    assert REASON in response.content.decode()
    need.refresh_from_db()
    assert need.deadline == timezone.localdate()
    Need.objects.filter(pk=need.pk).update(deadline=yesterday())  # time passes
    status_url = reverse("matchmaking:need_set_status", args=[need.pk])
    client.post(status_url, {"action": "close"})
    need.refresh_from_db()
    assert need.status == "closed"
