"""Contributions and budget lines keep their currency: the cluster's country's by default."""

import pytest
from django.urls import reverse

from projects.models import Budget, Contribution
from tests.factories import ClusterStaffFactory
from tests.projects.factories import PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_contribution_takes_the_clusters_currency_unless_another_is_chosen(client, other_cluster):
    staff = ClusterStaffFactory(cluster=other_cluster, role="manager").user
    project = ProjectFactory(lead_cluster=other_cluster)  # Norwegian
    partner = PartnerFactory(project=project).organisation
    client.force_login(staff)
    url = reverse("projects:project_contribution", args=[project.pk])
    base = {"organisation": partner.pk, "date": "2025-05-01", "hours": "10"}
    base |= {"hourly_rate": "750", "cash": "0", "funding_source": "private"}
    client.post(url, base)
    client.post(url, {**base, "currency": "EUR"})
    assert sorted(Contribution.objects.values_list("currency", flat=True)) == ["EUR", "NOK"]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "NOK" in page
    assert "EUR" in page


def test_a_budget_line_takes_the_clusters_currency(client, other_cluster):
    staff = ClusterStaffFactory(cluster=other_cluster, role="manager").user
    client.force_login(staff)
    url = reverse("projects:budget_create", args=[other_cluster.slug])
    client.post(
        url,
        {
            "funding_source": "ministry",
            "period_start": "2025-01-01",
            "period_end": "2026-12-31",
            "amount": "9000000",
        },
    )
    assert Budget.objects.get().currency == "NOK"
    page = client.get(reverse("projects:budget_list", args=[other_cluster.slug])).content.decode()
    assert "NOK" in page
