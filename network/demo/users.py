"""One demo login per role, each with a verified primary email so it can sign in at once."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password

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
    """Create the demo logins that are missing; return them all for the command to print.

    A login is created once, with its verified email, its person, its staff role or its place in
    an organisation. One that exists is left as it is: a password, a name, a language, a role
    changed in the demo stays changed, and a second run changes nothing. The one exception is a
    database that is not a local demo (without `demo_passwords`): there no login keeps the
    published password, so one that still has it gets an unusable password instead."""
    existing = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=[login.email for login in DEMO_LOGINS])
    }
    for login in DEMO_LOGINS:
        user = existing.get(login.email.lower())
        if user is None:
            _create_login(login, clusters, demo_passwords=demo_passwords)
        elif not demo_passwords and check_password(DEMO_PASSWORD, user.password):
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return DEMO_LOGINS


def _create_login(login: DemoLogin, clusters: dict, *, demo_passwords: bool) -> User | None:
    if User.objects.filter(email__iexact=login.email).exists():  # spelt in other letters
        return None
    user = User(
        email=login.email,
        first_name=login.first_name,
        last_name=login.last_name,
        language=login.language,
        is_active=True,
        is_network_admin=login.network_admin,
        is_staff=login.network_admin,
    )
    if demo_passwords:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=login.email, verified=True, primary=True)
    person = Person.objects.create(
        user=user,
        first_name=login.first_name,
        last_name=login.last_name,
        email=login.email,
        job_title=login.job_title,
        directory_consent=True,
    )
    if login.cluster:
        ClusterStaff.objects.create(
            user=user, cluster=clusters[login.cluster], role=login.staff_role
        )
    if login.organisation:
        Affiliation.objects.create(
            person=person,
            organisation=Organisation.objects.get(slug=login.organisation),
            role=login.affiliation,
        )
    return user
