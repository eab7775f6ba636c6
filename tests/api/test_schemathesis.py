"""Property-based check of the API against its own OpenAPI schema, on a live test server.

schemathesis generates requests for every operation in the schema (a few examples each, so the
module stays well under a minute and a half) with a token that has every scope; no answer may be
a server error, every status code must be documented, and every answer must match the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.factories import ALL_SCOPES, api_key
from tests.clusters.factories import active_membership
from tests.factories import (
    ClusterFactory,
    KnowledgeOfferFactory,
    OrganisationFactory,
    PersonFactory,
    TestSiteFactory,
    focus_area,
)
from tests.matchmaking.factories import MatchFactory, NeedFactory

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def api_world(live_server, settings):
    settings.API_RATE_LIMIT = "100000/hour"
    cluster = ClusterFactory(slug="right")
    municipality = OrganisationFactory(kind="municipality", cvr="", focus_areas=[focus_area()])
    sme = OrganisationFactory()
    active_membership(cluster, organisation=sme, primary_contact=PersonFactory())
    active_membership(cluster, organisation=municipality)
    need = NeedFactory(owner=municipality, focus_areas=[focus_area()])
    MatchFactory(source=sme, need=need)
    TestSiteFactory(owner=municipality)
    KnowledgeOfferFactory(owner=OrganisationFactory(kind="university", cvr=""))
    return api_key(cluster=cluster, scopes=ALL_SCOPES)


def _operations(schema_url):
    schema = schemathesis.openapi.from_url(schema_url)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_conforms_to_its_schema(live_server, api_world):
    # Each operation in turn under plain Hypothesis (schemathesis.pytest.from_fixture does not
    # run under pytest 9). Also the schema and docs operations, which need no token.
    operations = _operations(f"{live_server.url}/api/v1/schema/?format=json")
    assert len(operations) >= 12
    headers = {"Authorization": f"Bearer {api_world}"}
    for operation in operations:
        strategy = operation.as_strategy()
        if operation.path.startswith("/api/v1/clusters/{slug}"):
            # Random slugs find no cluster; also ask about the one the token belongs to.
            strategy |= operation.as_strategy(path_parameters={"slug": "right"})

        @given(case=strategy)
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as error:
            raise AssertionError(f"{operation.label}: {error}") from error
