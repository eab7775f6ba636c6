"""People and a match for the introduction tests: an SME, a municipality with a test site,
the SME's cluster and its staff, and a match between them."""

from dataclasses import dataclass

from tests.conftest import person_with_login
from tests.factories import (
    ClusterFactory,
    ClusterStaffFactory,
    MembershipFactory,
    OrganisationFactory,
    TestSiteFactory,
    UserFactory,
)
from tests.matchmaking.factories import MatchFactory


@dataclass
class World:
    sme: object
    sme_admin: object
    sme_member: object
    municipality: object
    muni_user: object
    test_site: object
    match: object
    cluster: object
    staff: object
    other_staff: object


def make_world(**match_fields) -> World:
    sme = OrganisationFactory(name="Faldvagt ApS")
    sme_admin = person_with_login(sme, "admin", "anna@faldvagt.example")
    sme_member = person_with_login(sme, "member", "bo@faldvagt.example")
    municipality = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    muni_user = person_with_login(municipality, "member", "mette@odense.example")
    for user, email, phone in (
        (sme_admin, "anna.private@faldvagt.example", "+45 11 22 33 44"),
        (sme_member, "bo.private@faldvagt.example", "+45 55 66 77 88"),
        (muni_user, "mette.private@odense.example", "+45 99 88 77 66"),
    ):
        user.person.email = email
        user.person.phone = phone
        user.person.save()
        user.language = "en"  # emails in the msgids, whatever the catalogues say
        user.save(update_fields=["language"])
    test_site = TestSiteFactory(owner=municipality, name="Plejecenter Ærtebjerghave")
    match = MatchFactory(
        source=sme,
        need=None,
        test_site=test_site,
        target_type="test_site",
        target_id=test_site.pk,
        **match_fields,
    )
    cluster = ClusterFactory(name="Welfare Tech", slug="welfare-tech")
    MembershipFactory(organisation=sme, cluster=cluster, status="active")
    staff = ClusterStaffFactory(
        cluster=cluster, role="coordinator", user=UserFactory(email="staff@welfaretech.example")
    ).user
    other = ClusterFactory(name="Other Cluster", slug="other-cluster")
    other_staff = ClusterStaffFactory(
        cluster=other, user=UserFactory(email="staff@other.example")
    ).user
    return World(
        sme=sme,
        sme_admin=sme_admin,
        sme_member=sme_member,
        municipality=municipality,
        muni_user=muni_user,
        test_site=test_site,
        match=match,
        cluster=cluster,
        staff=staff,
        other_staff=other_staff,
    )


SECRETS = (
    "anna.private@faldvagt.example",
    "+45 11 22 33 44",
    "bo.private@faldvagt.example",
    "mette.private@odense.example",
    "+45 99 88 77 66",
)
SME_SECRETS = SECRETS[:3]
MUNI_SECRETS = SECRETS[3:]
