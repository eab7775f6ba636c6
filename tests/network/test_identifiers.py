import pytest
from django.core.exceptions import ValidationError

from network.identifiers import is_valid_cvr, is_valid_orgnr, normalise
from tests.factories import OrganisationFactory

# Real registered numbers: Novo Nordisk A/S, LEGO A/S, Region Syddanmark (CVR);
# Equinor ASA, DNB Bank ASA, Oslo kommune's registry number (organisasjonsnummer).
REAL_CVRS = ["24256790", "54562519", "29190941"]
REAL_ORGNRS = ["923609016", "984851006", "958935420"]


@pytest.mark.parametrize("cvr", REAL_CVRS)
def test_real_cvr_numbers_are_valid(cvr):
    assert is_valid_cvr(cvr)


@pytest.mark.parametrize(
    "cvr",
    ["24256791", "2425679", "242567900", "04256790", "ABCDEFGH", "", "12345678"],
)
def test_invalid_cvr_numbers_are_rejected(cvr):
    assert not is_valid_cvr(cvr)


@pytest.mark.parametrize("orgnr", REAL_ORGNRS)
def test_real_organisation_numbers_are_valid(orgnr):
    assert is_valid_orgnr(orgnr)


@pytest.mark.parametrize(
    "orgnr",
    ["923609017", "92360901", "123456789", "723609016", "", "98485100X"],
)
def test_invalid_organisation_numbers_are_rejected(orgnr):
    assert not is_valid_orgnr(orgnr)


def test_normalise_strips_what_people_type():
    assert normalise(" DK-24 25 67 90 ") == "24256790"
    assert normalise("NO 923 609 016 MVA") == "923609016"


@pytest.mark.django_db
def test_organisation_rejects_bad_cvr_with_a_clear_message():
    organisation = OrganisationFactory.build(cvr="24256791", slug="x")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "24256791" in str(error.value.message_dict["cvr"])


@pytest.mark.django_db
def test_norwegian_number_on_danish_organisation_is_rejected():
    organisation = OrganisationFactory.build(cvr="", orgnr="923609016", country="DK", slug="x")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "orgnr" in error.value.message_dict


@pytest.mark.django_db
def test_cvr_is_unique():
    OrganisationFactory(cvr="24256790")
    duplicate = OrganisationFactory.build(cvr="24256790", slug="other")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "cvr" in str(error.value).lower() or "__all__" in error.value.message_dict
