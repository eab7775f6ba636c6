import pytest

from tests.bookings.factories import make_world
from tests.language import _english, client  # noqa: F401 - the pages read in English


@pytest.fixture
def world(db):
    return make_world()
