"""One demo login per role, each with a verified primary email so it can sign in at once."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from clusters.models import ClusterStaff
from network.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from network.demo.catalogue import SHOWCASE_SME
from network.demo.names import demo_slug
from network.models import Affiliation, Organisation, Person, User


@dataclass(frozen=True)
class DemoLogin:
    local: str
    role: str
    first_name: str
    last_name: str
    job_title: str
    language: str = "da"
    network_admin: bool = False
    cluster: str = ""  # cluster slug, for cluster staff
    staff_role: str = ""
    organisation: str = ""  # organisation slug, for organisation admins and members
    affiliation: str = ""

    @property
    def email(self) -> str:
        return f"{self.local}@{DEMO_EMAIL_DOMAIN}"


SME = demo_slug(SHOWCASE_SME["name"])
DEMO_LOGINS = [
    DemoLogin(
        "admin", "Network admin", "Birgitte", "Overgaard", "Netværkskoordinator", network_admin=True
    ),
    DemoLogin(
        "manager.welfaretech",
        "Cluster manager, Welfare Tech",
        "Rasmus",
        "Winther",
        "Klyngechef",
        cluster="welfare-tech",
        staff_role="manager",
    ),
    DemoLogin(
        "coordinator.nht",
        "Cluster coordinator, Norway Health Tech",
        "Ingvild",
        "Sandvik",
        "Klyngekoordinator",
        language="nb",
        cluster="norway-health-tech",
        staff_role="coordinator",
    ),
    DemoLogin(
        "sme.admin",
        f"Organisation admin, {SHOWCASE_SME['name']} (SME)",
        "Katrine",
        "Bisgaard",
        "Administrerende direktør",
        organisation=SME,
        affiliation="admin",
    ),
    DemoLogin(
        "sme.member",
        f"Organisation member, {SHOWCASE_SME['name']} (SME)",
        "Emil",
        "Thygesen",
        "Udviklingsingeniør",
        organisation=SME,
        affiliation="member",
    ),
    DemoLogin(
        "odense",
        "Organisation admin, Odense Kommune (municipality)",
        "Nanna",
        "Krogh",
        "Velfærdsteknologisk konsulent",
        organisation="odense-kommune",
        affiliation="admin",
    ),
    DemoLogin(
        "hospital",
        "Organisation admin, Odense Universitetshospital (hospital)",
        "Asger",
        "Ravn",
        "Innovationschef",
        organisation="odense-universitetshospital",
        affiliation="admin",
    ),
]


def ensure_demo_users(clusters: dict, *, demo_passwords: bool = True) -> list[DemoLogin]:
    """Create or repair the demo logins; return them for the command to print.

    Without `demo_passwords` (a database that is not a local demo) no login gets the published
    password: new ones get an unusable password, and one that has it loses it."""
    for login in DEMO_LOGINS:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            user = User(email=login.email)
            user.set_unusable_password()
        if user.check_password(DEMO_PASSWORD) != demo_passwords:
            if demo_passwords:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
        user.first_name, user.last_name = login.first_name, login.last_name
        user.language = login.language
        user.is_active = True
        user.is_network_admin = login.network_admin
        user.is_staff = login.network_admin
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email=login.email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=login.email, defaults={"verified": True, "primary": True}
        )
        person, _ = Person.objects.update_or_create(
            user=user,
            defaults={
                "first_name": login.first_name,
                "last_name": login.last_name,
                "email": login.email,
                "job_title": login.job_title,
                "directory_consent": True,
            },
        )
        if login.cluster:
            ClusterStaff.objects.update_or_create(
                user=user, cluster=clusters[login.cluster], defaults={"role": login.staff_role}
            )
        if login.organisation:
            organisation = Organisation.objects.get(slug=login.organisation)
            Affiliation.objects.update_or_create(
                person=person, organisation=organisation, defaults={"role": login.affiliation}
            )
    return DEMO_LOGINS
