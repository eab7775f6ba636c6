"""A small network where the right matches are obvious."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Municipality
from tests.factories import (
    KnowledgeOfferFactory,
    OrganisationFactory,
    TagFactory,
    TestSiteFactory,
    focus_area,
)
from tests.matchmaking.factories import NeedFactory


def place(name, country="DK"):
    return Municipality.objects.get(country=country, name=name)


@pytest.fixture
def small_network(db):
    """Two Danish SMEs and a Norwegian one; a need, a test site and an offer for each theme.

    Falls/night sensors (Odense), diabetes apps (Aarhus), COPD follow-up (Bergen): each SME's
    best match is its own theme's targets.
    """
    prevention = focus_area("prevention-predictive-health")
    near = focus_area("equality-near-citizen")
    data = focus_area("health-data")
    personal = focus_area("personalised-treatment")
    fall = TagFactory(name="faldforebyggelse")
    sensors = TagFactory(name="sensorer")
    diabetes = TagFactory(name="diabetes")
    copd = TagFactory(name="KOL")
    odense, aarhus, bergen = place("Odense"), place("Aarhus"), place("Bergen", "NO")
    today = timezone.localdate()

    falls_sme = OrganisationFactory(
        name="Faldvagt ApS",
        description="Vi udvikler faldsensorer til natten, der opdager fald i eget hjem og "
        "alarmerer hjemmeplejen.",
        municipality=odense,
        readiness_level=6,
        focus_areas=[prevention, near],
        tags=[fall, sensors],
    )
    diabetes_sme = OrganisationFactory(
        name="GlucoApp ApS",
        description="We build a diabetes self-care app with insulin dosing support and "
        "glucose data for clinicians.",
        language="en",
        municipality=aarhus,
        readiness_level=4,
        focus_areas=[personal, data],
        tags=[diabetes],
    )
    copd_sme = OrganisationFactory(
        name="Pustrom AS",
        kind="sme",
        country="NO",
        cvr="",
        orgnr="",
        description="Vi lager digital hjemmeoppfølging for kolspasienter med målinger av "
        "oksygenmetning og puls.",
        language="nb",
        municipality=bergen,
        readiness_level=7,
        focus_areas=[near, data],
        tags=[copd],
    )
    falls_need = NeedFactory(
        owner=OrganisationFactory(
            name="Odense Kommune", kind="municipality", cvr="", municipality=odense
        ),
        title="Sensorer der opdager fald om natten",
        description="Ældre borgere falder om natten i eget hjem og ligger længe, før "
        "hjemmeplejen finder dem. Vi søger sensorer, der opdager fald.",
        municipality=odense,
        trl_min=5,
        trl_max=8,
        deadline=today + timedelta(days=12),
        focus_areas=[prevention],
        tags=[fall, sensors],
    )
    diabetes_site = TestSiteFactory(
        owner=OrganisationFactory(
            name="Aarhus Universitetshospital", kind="hospital", cvr="", municipality=aarhus
        ),
        name="Diabetesambulatoriet",
        description="Ambulatorium for patienter med diabetes; tester apps til egenomsorg og "
        "insulindosering.",
        municipality=aarhus,
        trl_min=3,
        trl_max=6,
        capacity=3,
        tests_running=1,
    )
    diabetes_site.focus_areas.set([personal])
    diabetes_site.tags.set([diabetes])
    copd_offer = KnowledgeOfferFactory(
        owner=OrganisationFactory(
            name="Universitetet i Bergen",
            kind="university",
            country="NO",
            cvr="",
            orgnr="",
            municipality=bergen,
        ),
        title="Evaluering av hjemmeoppfølging",
        competence="Vi evaluerer digital hjemmeoppfølging av pasienter med kols.",
        language="nb",
    )
    copd_offer.focus_areas.set([near])
    copd_offer.tags.set([copd])
    return {
        "falls_sme": falls_sme,
        "diabetes_sme": diabetes_sme,
        "copd_sme": copd_sme,
        "falls_need": falls_need,
        "diabetes_site": diabetes_site,
        "copd_offer": copd_offer,
        "tags": {"fall": fall, "sensors": sensors, "diabetes": diabetes, "copd": copd},
    }


@pytest.fixture(autouse=True)
def _fresh_corpus_snapshot():
    """Incremental runs reuse the last full run's corpus from the cache; tests start without."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
