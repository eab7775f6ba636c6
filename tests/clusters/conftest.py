import pytest

from tests.clusters.factories import ClusterFactory, MembershipTierFactory, staff
from tests.language import _english, client  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded member lists go to a temporary directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cluster(db):
    return ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")


@pytest.fixture
def other_cluster(db):
    return ClusterFactory(name="Copenhagen Healthtech", short_name="CHC", slug="chc")


@pytest.fixture
def basic(cluster):
    return MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=2500, position=1)


@pytest.fixture
def premium(cluster):
    return MembershipTierFactory(cluster=cluster, name="Premium", annual_fee=12000, position=2)


@pytest.fixture
def manager(cluster):
    return staff(cluster, "manager", email="manager@welfaretech.example", language="en")


@pytest.fixture
def coordinator(cluster):
    return staff(cluster, "coordinator", email="coordinator@welfaretech.example")


@pytest.fixture
def other_manager(other_cluster):
    """A manager of another cluster: an outsider to `cluster`."""
    return staff(other_cluster, "manager", email="manager@chc.example")
