"""Deleting a membership tier asks first (issue 20): a post without confirm=yes shows the
confirm page and deletes nothing; the settings page's button opens DKFDS's modal."""

import pytest
from django.urls import reverse

from clusters.models import MembershipTier

pytestmark = pytest.mark.django_db


def test_deleting_a_tier_asks_first_and_then_deletes(client, cluster, basic, manager):
    client.force_login(manager)
    settings_page = client.get(reverse("clusters:settings", args=[cluster.slug])).content.decode()
    assert f'data-target="confirm-delete-tier-{basic.pk}"' in settings_page
    url = reverse("clusters:tier_delete", args=[cluster.slug, basic.pk])
    page = client.post(url)
    assert page.status_code == 200
    assert "Delete the tier Basis?" in page.content.decode()
    assert MembershipTier.objects.filter(pk=basic.pk).exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not MembershipTier.objects.filter(pk=basic.pk).exists()
