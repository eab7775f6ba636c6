"""Finding likely duplicate organisations: the same number, or similar names in one
municipality; dismissed pairs stay hidden."""

import pytest

from network.duplicates import (
    IDENTIFIER,
    SIMILAR_NAME,
    dismiss_pair,
    find_candidates,
    identifier_pairs,
    name_pairs,
    normalise_name,
    similarity,
)
from tests.factories import OrganisationFactory, UserFactory, municipality


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("Faldsikker ApS", "faldsikker"),
        ("Faldsikker A/S", "faldsikker"),
        ("FALDSIKKER IVS", "faldsikker"),
        ("Norsk Helse AS", "norsk helse"),
        ("Sund & Co. A.M.B.A.", "sund co"),
        ("Aspect Care ApS", "aspect care"),  # "as" inside a word is not a legal form
    ],
)
def test_legal_forms_and_punctuation_are_ignored(name, normal):
    assert normalise_name(name) == normal


def test_similarity_is_one_for_the_same_name_and_low_for_different_names():
    assert similarity("faldsikker", "faldsikker") == 1
    assert similarity("faldsikker", "fald sikker") > 0.5
    assert similarity("faldsikker", "nordic care") < 0.2


def test_same_number_in_different_spellings_is_a_pair():
    # The database keeps a CVR number unique, so the rule catches numbers typed differently
    # (imports that skipped normalisation) -- tested on the rows it reads.
    pairs = identifier_pairs([(1, "29403473", ""), (2, "DK 29 40 34 73", ""), (3, "", "")])
    assert list(pairs) == [(1, 2)]
    assert pairs[(1, 2)].rule == IDENTIFIER
    assert pairs[(1, 2)].detail == "29403473"


def test_names_are_compared_only_within_a_municipality():
    rows = [
        (1, "Faldsikker ApS", 10, "sme"),
        (2, "Faldsikker A/S", 10, "large_company"),
        (3, "Faldsikker", 11, "sme"),
    ]
    pairs = name_pairs(rows)
    assert list(pairs) == [(1, 2)]
    assert pairs[(1, 2)].rule == SIMILAR_NAME
    assert pairs[(1, 2)].score == 1.0


def test_a_hospital_and_a_university_with_alike_names_are_not_a_pair():
    rows = [
        (1, "Aalborg Universitetshospital", 10, "hospital"),
        (2, "Aalborg Universitet", 10, "university"),
    ]
    assert similarity(normalise_name(rows[0][1]), normalise_name(rows[1][1])) > 0.6
    assert name_pairs(rows) == {}


@pytest.mark.django_db
def test_similar_names_in_the_same_municipality_are_found_with_their_similarity():
    odense = municipality("Odense")
    first = OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    second = OrganisationFactory(name="Faldsikker Danmark A/S", municipality=odense, cvr="")
    OrganisationFactory(name="Nordic Sleep ApS", municipality=odense)

    candidates = find_candidates()

    assert [(c.first_id, c.second_id) for c in candidates] == [(first.pk, second.pk)]
    (evidence,) = candidates[0].evidence
    assert evidence.rule == SIMILAR_NAME
    assert 0.5 <= evidence.score < 1


@pytest.mark.django_db
def test_the_same_name_in_another_municipality_is_not_a_pair():
    OrganisationFactory(name="Faldsikker ApS", municipality=municipality("Odense"))
    OrganisationFactory(
        name="Faldsikker ApS", slug="faldsikker-aarhus", municipality=municipality("Aarhus")
    )

    assert find_candidates() == []


@pytest.mark.django_db
def test_a_dismissed_pair_is_not_suggested_again():
    odense = municipality("Odense")
    first = OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    second = OrganisationFactory(name="Faldsikker IVS", municipality=odense)
    assert len(find_candidates()) == 1

    dismiss_pair(first=second, second=first, user=UserFactory())

    assert find_candidates() == []


@pytest.mark.django_db
def test_anchor_ids_keep_only_pairs_with_one_of_them():
    odense = municipality("Odense")
    first = OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    OrganisationFactory(name="Faldsikker IVS", municipality=odense)
    other = OrganisationFactory(name="Sovekvalitet ApS", municipality=odense)
    OrganisationFactory(name="Sovekvalitet A/S", municipality=odense)

    assert len(find_candidates()) == 2
    (only,) = find_candidates(anchor_ids={first.pk})
    assert first.pk in (only.first_id, only.second_id)
    assert other.pk not in (only.first_id, only.second_id)


@pytest.mark.django_db
def test_detection_reads_the_organisations_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    odense = municipality("Odense")
    for n in range(30):
        OrganisationFactory(name=f"Firma {n} ApS", municipality=odense)
        OrganisationFactory(name=f"Firma {n} A/S", municipality=odense, cvr="")
    # The fingerprint, the organisations, the dismissed pairs; then from the cache.
    with django_assert_max_num_queries(3):
        candidates = find_candidates()
    assert len(candidates) >= 30
    with django_assert_max_num_queries(2):
        assert find_candidates() == candidates


@pytest.mark.django_db
def test_a_new_organisation_is_compared_at_once_despite_the_cache():
    odense = municipality("Odense")
    OrganisationFactory(name="Faldsikker ApS", municipality=odense)
    assert find_candidates() == []

    OrganisationFactory(name="Faldsikker IVS", municipality=odense)

    assert len(find_candidates()) == 1
