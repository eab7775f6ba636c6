"""The figures task travels through a real Redis broker to a real worker process."""

import pytest

from network.models import NetworkFigures
from network.tasks import refresh_network_figures
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.broker


def test_task_runs_in_a_real_worker_through_redis(celery_worker_process):
    OrganisationFactory(name="Første ApS")
    OrganisationFactory(name="Anden ApS")
    OrganisationFactory(name="Skjult ApS", is_public=False)

    result = refresh_network_figures.delay()
    figures = result.get(timeout=60)

    assert figures["smes"] == 2
    assert NetworkFigures.objects.get(key="network").figures["organisations"] == 2
