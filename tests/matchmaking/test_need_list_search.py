"""The need list's search box finds what a person means, through the network's one search."""

import pytest
from django.urls import reverse

from network.search import index
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs():
    elderly = NeedFactory(
        title="Træning for ældre på plejecentre",
        description="Vi søger en løsning til træning af ældre beboere.",
    )
    other = NeedFactory(title="Digital vagtplan", description="Planlægning af vagter.")
    draft = NeedFactory(
        title="Ældre hemmeligt udkast", description="Et udkast om ældre.", status="draft"
    )
    index.sync()
    return elderly, other, draft


@pytest.mark.parametrize("query", ["Ældre", "ældre", "aeldre", "AELDRE", "aeldr", "plejecentr"])
def test_spellings_find_the_need_and_nothing_unrelated(client, needs, query):
    elderly, other, draft = needs
    response = client.get(reverse("matchmaking:need_list"), {"q": query})
    shown = list(response.context["page"].object_list)
    assert elderly in shown
    assert other not in shown
    assert draft not in shown  # a draft is nobody's result but its owner's


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", ")", "OR", "AND NOT", "%", "\\", "x" * 5000])
def test_hostile_queries_answer_without_an_error(client, needs, query):
    response = client.get(reverse("matchmaking:need_list"), {"q": query})
    assert response.status_code == 200
