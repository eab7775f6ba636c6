import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils.text import slugify

from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier, Network
from network.identifiers import cvr_check_digit_fix
from network.models import (
    Affiliation,
    FocusArea,
    KnowledgeOffer,
    Municipality,
    Organisation,
    Person,
    Tag,
    TestSite,
    User,
)


def enrol_totp(user) -> None:
    """Give `user` a TOTP authenticator, as staff and admins must have (clusters.middleware)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def _valid_cvr(n: int) -> str:
    """Distinct valid CVR numbers: seven digits from n, the check digit computed."""
    first_seven = 3000000 + n * 2
    return cvr_check_digit_fix(str(first_seven)) or cvr_check_digit_fix(str(first_seven + 1))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        # Admins come enrolled unless a test asks for one without (totp=False).
        wanted = extracted if extracted is not None else (obj.is_network_admin or obj.is_superuser)
        if create and wanted:
            enrol_totp(obj)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = factory.Sequence(lambda n: f"+45 20 00 {n % 100:02d} {n % 97:02d}")


def municipality(name="Odense"):
    return Municipality.objects.get(country="DK", name=name)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sundhedstech {n} ApS")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = "sme"
    country = "DK"
    cvr = factory.Sequence(_valid_cvr)
    description = "Vi udvikler sensorer til faldforebyggelse i hjemmeplejen."
    municipality = factory.LazyFunction(municipality)
    is_public = True
    is_published = True
    review_status = "published"

    @factory.post_generation
    def focus_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.focus_areas.set(extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"


class TestSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestSite

    owner = factory.SubFactory(OrganisationFactory, kind="municipality", cvr="")
    name = factory.Sequence(lambda n: f"Testhjem {n}")
    site_type = "nursing_home"
    description = "Plejecenter med 60 boliger, der tester velfærdsteknologi."
    trl_min = 4
    trl_max = 8
    is_published = True
    review_status = "published"


class KnowledgeOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeOffer

    owner = factory.SubFactory(OrganisationFactory, kind="university", cvr="")
    title = factory.Sequence(lambda n: f"Brugertest {n}")
    competence = "Usability-test af digitale sundhedsløsninger."
    method = "usability"
    is_published = True
    review_status = "published"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = "Danish Healthtech"
    slug = "danish-healthtech"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Klynge {n}")
    short_name = factory.Sequence(lambda n: f"K{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = "DK"


class ClusterStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterStaff

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = "manager"

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        # Staff come enrolled unless a test asks for one without (totp=False).
        if create and extracted is not False:
            enrol_totp(obj.user)


class MembershipTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipTier

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    annual_fee = 5000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    status = "active"


def focus_area(slug="health-data") -> FocusArea:
    return FocusArea.objects.get(slug=slug)
