"""Every API URL, asked with every kind of token, answers as the rules say.

The API's own permission matrix (tests/security/test_permission_matrix.py skips the `api/`
prefix and points here): one row per URL, the expected status per kind of token in KINDS order:

    none      no Authorization header                         401
    bad       a key the portal never made                     401
    revoked   the right cluster's token, revoked              401
    expired   the right cluster's token, expired              401
    dir       the right cluster's token, directory:read only
    members   the right cluster's token, members:read only
    stats     the right cluster's token, stats:read only
    xmembers  another cluster's token with every scope
    org       an organisation's token with directory and stats scopes

`test_every_api_url_has_a_row` fails when an API URL is added without a row.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.api.factories import ALL_SCOPES, api_key, expired_key, get, revoked_key
from tests.clusters.factories import active_membership
from tests.factories import ClusterFactory, KnowledgeOfferFactory, OrganisationFactory
from tests.factories import TestSiteFactory as SiteFactory
from tests.matchmaking.factories import NeedFactory

KINDS = ("none", "bad", "revoked", "expired", "dir", "members", "stats", "xmembers", "org")
DIRECTORY = "401 401 401 401 200 403 403 200 200"
PUBLIC = "200 200 200 200 200 200 200 200 200"

ROWS = [
    ("api-schema", (), PUBLIC),
    ("api-docs", (), PUBLIC),
    ("api-organisation-list", (), DIRECTORY),
    ("api-organisation-detail", ("organisation",), DIRECTORY),
    ("api-test-site-list", (), DIRECTORY),
    ("api-test-site-detail", ("test_site",), DIRECTORY),
    ("api-knowledge-offer-list", (), DIRECTORY),
    ("api-knowledge-offer-detail", ("offer",), DIRECTORY),
    ("api-need-list", (), DIRECTORY),
    ("api-need-detail", ("need",), DIRECTORY),
    ("api-cluster-list", (), DIRECTORY),
    ("api-cluster-detail", ("right",), DIRECTORY),
    # Members: the right cluster's own token only; another cluster's is told there is none.
    ("api-cluster-members", ("right",), "401 401 401 401 403 200 403 404 403"),
    # Anonymised figures: any token with the statistics scope, for any cluster.
    ("api-cluster-statistics", ("right",), "401 401 401 401 403 403 200 200 200"),
]


def _api_url_names():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and prefix.startswith("api/"):
                yield pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_api_url_has_a_row():
    missing = sorted(_api_url_names() - {name for name, _args, _codes in ROWS})
    assert not missing, f"API URLs without rows in tests/api/test_urls.py: {missing}"


@pytest.fixture
def world(db):
    right = ClusterFactory(slug="right")
    other = ClusterFactory(slug="other")
    municipality = OrganisationFactory(kind="municipality", cvr="", slug="kommune")
    active_membership(right, organisation=municipality)
    objects = {
        "right": "right",
        "organisation": "kommune",
        "test_site": SiteFactory(owner=municipality).pk,
        "offer": KnowledgeOfferFactory(owner=OrganisationFactory(kind="university", cvr="")).pk,
        "need": NeedFactory(owner=municipality).pk,
    }
    keys = {
        "none": None,
        "bad": "hnp_not-a-key-the-portal-made",
        "revoked": revoked_key(cluster=right, scopes=ALL_SCOPES),
        "expired": expired_key(cluster=right, scopes=ALL_SCOPES),
        "dir": api_key(cluster=right, scopes=["directory:read"]),
        "members": api_key(cluster=right, scopes=["members:read"]),
        "stats": api_key(cluster=right, scopes=["stats:read"]),
        "xmembers": api_key(cluster=other, scopes=ALL_SCOPES),
        "org": api_key(
            organisation=OrganisationFactory(kind="region", cvr=""),
            scopes=["directory:read", "stats:read"],
        ),
    }
    return objects, keys


@pytest.mark.parametrize(
    ("name", "args", "codes", "kind"),
    [
        pytest.param(name, args, codes, kind, id=f"{name}-{kind}")
        for name, args, codes in ROWS
        for kind in KINDS
    ],
)
def test_api_permission_matrix(client, world, name, args, codes, kind):
    objects, keys = world
    url = reverse(name, args=[objects[arg] for arg in args])
    response = get(client, url, keys[kind])
    expected = int(codes.split()[KINDS.index(kind)])
    assert response.status_code == expected, f"{url} with {kind}: {response.status_code}"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_api_refuses_to_change_anything(client, world):
    _objects, keys = world
    response = client.post(
        reverse("api-organisation-list"),
        {"name": "Ny"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {keys['dir']}"},
    )
    assert response.status_code == 405


def test_a_session_is_not_a_token(client, world, network_admin):
    client.force_login(network_admin)
    assert client.get(reverse("api-organisation-list")).status_code == 401
