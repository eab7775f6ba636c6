"""Factories of the matchmaking app (needs, runs, matches)."""

import factory

from matchmaking.models import Match, MatchRun, Need
from tests.factories import OrganisationFactory


class NeedFactory(factory.django.DjangoModelFactory):
    """An open, public need of a Danish municipality."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    owner = factory.SubFactory(OrganisationFactory, kind="municipality", cvr="")
    title = factory.Sequence(lambda n: f"Behov {n}")
    description = "Vi søger sensorer, der opdager fald om natten hos borgere i eget hjem."
    status = "open"
    visibility = "public"
    language = "da"
    # Posted before review or approved: drafts were never published.
    is_published = factory.LazyAttribute(lambda need: need.status != "draft")
    review_status = factory.LazyAttribute(
        lambda need: "draft" if need.status == "draft" else "published"
    )

    @factory.post_generation
    def focus_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.focus_areas.set(extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    kind = "full"
    trigger = "admin"
    status = "succeeded"
    phase = "done"
    progress = 100


class MatchFactory(factory.django.DjangoModelFactory):
    """A suggested match of an SME and a need (set `need`; target id follows)."""

    class Meta:
        model = Match

    source = factory.SubFactory(OrganisationFactory)
    need = factory.SubFactory(NeedFactory)
    target_type = "need"
    target_id = factory.LazyAttribute(lambda o: o.need.pk)
    score = 0.5
    components = factory.LazyFunction(dict)
    reasons = factory.LazyFunction(dict)
    in_source_top = True
    in_target_top = True
