"""The demo's cluster staff find a membership year in full swing after `seed_demo`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clusters import demo
from clusters.models import ImportBatch, Membership
from network.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

STAFF = {
    "manager.welfaretech": "welfare-tech",
    "coordinator.nht": "norway-health-tech",
}


@pytest.fixture
def staff_client(client, settings):
    settings.STAFF_MFA_REQUIRED = False  # demo logins enrol their authenticator themselves

    def login(local):
        assert client.login(email=f"{local}@{DEMO_EMAIL_DOMAIN}", password=DEMO_PASSWORD)
        return client

    return login


def test_each_staff_login_has_applications_members_renewals_and_history(staff_client):
    with override_settings(DEBUG=True):  # a local demo, as `make run` seeds it
        call_command("seed_demo", size="small", stdout=StringIO())
    today = timezone.localdate()
    for local, slug in STAFF.items():
        client = staff_client(local)
        queue = client.get(reverse("clusters:application_queue", args=[slug]))
        assert queue.status_code == 200
        assert queue.context["page"].paginator.count >= demo.MIN_APPLICATIONS

        members = Membership.objects.filter(cluster__slug=slug)
        assert members.filter(status="active", tier__isnull=False, annual_fee__gt=0).count() > 20
        assert members.filter(status="lapsed").exists()
        in_grace = members.filter(status="active", period_end__lt=today)
        assert in_grace.count() >= demo.MIN_IN_GRACE
        due = client.get(reverse("clusters:member_list", args=[slug]) + "?renewal_due=on")
        assert due.context["page"].paginator.count > in_grace.count()  # upcoming ones too

        membership = members.filter(status="active").first()
        detail = client.get(reverse("clusters:membership_detail", args=[slug, membership.pk]))
        assert detail.context["history"]
        assert not ImportBatch.objects.filter(cluster__slug=slug).exists()
        # Something waits for review: a member's changed profile and a new test site.
        queue = client.get(reverse("clusters:review_queue", args=[slug]))
        assert queue.content.decode().count('data-testid="review-row"') >= 2

    # The showcase company's admin sees an application waiting, and can withdraw it.
    client = staff_client("sme.admin")
    mine = client.get(reverse("clusters:my_applications"))
    assert any(m.status == "applied" and m.can_withdraw for m in mine.context["memberships"])


def test_running_it_again_adds_nothing():
    with override_settings(DEBUG=True):  # a local demo, as `make run` seeds it
        call_command("seed_demo", size="small", stdout=StringIO())
    before = (Membership.objects.count(), Membership.history.count())
    assert demo.seed(size="small") == {
        "applications": 0,
        "in_grace": 0,
        "histories": 0,
        "reviews": 0,
    }
    assert (Membership.objects.count(), Membership.history.count()) == before
