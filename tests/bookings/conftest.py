import pytest

from tests.bookings.factories import make_world


@pytest.fixture
def world(db):
    return make_world()
