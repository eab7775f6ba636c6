"""A small network for the API tests: two clusters, public and hidden organisations, offers."""

import pytest

from tests.api.factories import api_key
from tests.factories import ClusterFactory, focus_area


@pytest.fixture
def cluster(db):
    cluster = ClusterFactory(slug="right", name="Right Cluster")
    cluster.focus_areas.set([focus_area()])
    return cluster


@pytest.fixture
def other_cluster(db):
    return ClusterFactory(slug="other", name="Other Cluster")


@pytest.fixture
def directory_key(cluster):
    return api_key(cluster=cluster)
