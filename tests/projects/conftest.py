import pytest

from tests.conftest import person_with_login
from tests.factories import ClusterFactory, ClusterStaffFactory, OrganisationFactory
from tests.projects.factories import PartnerFactory, ProjectFactory


@pytest.fixture
def cluster(db):
    return ClusterFactory(name="Welfare Tech", slug="welfare-tech")


@pytest.fixture
def other_cluster(db):
    return ClusterFactory(name="Health Innovation Norway", slug="hin", country="NO")


@pytest.fixture
def staff(cluster):
    return ClusterStaffFactory(cluster=cluster, role="coordinator").user


@pytest.fixture
def manager(cluster):
    return ClusterStaffFactory(cluster=cluster, role="manager").user


@pytest.fixture
def other_staff(other_cluster):
    return ClusterStaffFactory(cluster=other_cluster).user


@pytest.fixture
def project(cluster):
    return ProjectFactory(lead_cluster=cluster, title="Faldsensor i hjemmeplejen")


@pytest.fixture
def partner_user(project):
    """A member of an organisation that is a partner in `project`: reads, never edits."""
    organisation = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    PartnerFactory(project=project, organisation=organisation)
    return person_with_login(organisation, "admin", "mette@odense.example")
