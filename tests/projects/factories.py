import datetime
from decimal import Decimal

import factory

from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    Project,
    ProjectPartner,
)
from tests.factories import ClusterFactory, OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Faldsensor-pilot {n}")
    status = "running"
    start = datetime.date(2025, 3, 1)
    lead_cluster = factory.SubFactory(ClusterFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "partner"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = "workshop"
    date = datetime.date(2025, 4, 10)
    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Workshop om sundhedsdata {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityParticipant

    activity = factory.SubFactory(ActivityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = factory.LazyAttribute(lambda o: o.organisation.kind if o.organisation else "other")
    people = 1


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    project = factory.SubFactory(ProjectFactory)
    activity = None
    organisation = factory.SubFactory(OrganisationFactory)
    date = datetime.date(2025, 5, 1)
    hours = Decimal("10")
    hourly_rate = Decimal("800")
    cash = Decimal("0")
    funding_source = "private"


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    cluster = factory.SubFactory(ClusterFactory)
    funding_source = "private"
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    amount = Decimal("1000000")
