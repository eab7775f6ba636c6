import pytest

from network.models import FocusArea, Municipality, Region

pytestmark = pytest.mark.django_db


def test_danish_regions_have_their_official_codes():
    regions = dict(Region.objects.filter(country="DK").values_list("code", "name"))
    assert regions == {
        "1081": "Region Nordjylland",
        "1082": "Region Midtjylland",
        "1083": "Region Syddanmark",
        "1084": "Region Hovedstaden",
        "1085": "Region Sjælland",
    }


def test_all_98_danish_municipalities_with_codes_and_regions():
    danish = Municipality.objects.filter(country="DK").select_related("region")
    assert danish.count() == 98
    by_code = {m.code: m for m in danish}
    assert by_code["0101"].name == "København"
    assert by_code["0101"].region.code == "1084"
    assert by_code["0461"].name == "Odense"
    assert by_code["0461"].region.code == "1083"
    assert by_code["0751"].name == "Aarhus"
    assert by_code["0851"].region.code == "1081"
    assert by_code["0400"].name == "Bornholm"
    assert by_code["0330"].region.code == "1085"  # Slagelse
    per_region = {
        code: danish.filter(region__code=code).count()
        for code in ("1081", "1082", "1083", "1084", "1085")
    }
    assert per_region == {"1081": 11, "1082": 19, "1083": 22, "1084": 29, "1085": 17}


def test_norways_fifteen_counties_from_2024():
    counties = set(Region.objects.filter(country="NO").values_list("code", flat=True))
    assert counties == {
        "03",
        "11",
        "15",
        "18",
        "31",
        "32",
        "33",
        "34",
        "39",
        "40",
        "42",
        "46",
        "50",
        "55",
        "56",
    }
    assert Municipality.objects.get(country="NO", code="0301").name == "Oslo"
    assert Municipality.objects.get(country="NO", code="4601").region.code == "46"


def test_the_four_charter_focus_areas_exist():
    assert FocusArea.objects.count() >= 4
    assert FocusArea.objects.get(slug="health-data").name_da == "Bedre brug af sundhedsdata"
