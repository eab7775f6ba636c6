"""The query side of search, without the database: keys, typos, phrases, hostile input."""

import pytest

from network.search.backends import fts5, tsquery
from network.search.keys import document_keys
from network.search.query import (
    All,
    allowed_edits,
    corrections_for,
    edit_distance,
    leaves,
    plan,
    query_words,
)
from network.text.analysis import Analyzer
from network.text.thesaurus import load

ANALYZER = Analyzer(thesaurus=load())


def keys(text: str) -> set[str]:
    return set(document_keys(text, ANALYZER).split())


def test_the_scandinavian_letters_and_case_are_one_spelling():
    assert query_words("Ældre VELFÆRD Sø Å") == query_words("aeldre velfaerd soe aa")


def test_a_word_in_another_language_meets_the_same_concept():
    looked_up = {term.key for term in leaves(plan("sykehus", ANALYZER).groups[0])}
    assert "c_hospital" in looked_up
    assert "c_hospital" in keys("Vi samarbejder med tre hospitaler")


def test_a_compound_is_found_by_its_parts_and_its_parts_by_the_compound():
    assert {"p_hjem", "p_plei"} <= keys("hjemmeplejen i Odense")
    group = plan("hjemmepleje", ANALYZER).groups[0]
    assert any(isinstance(child, All) for child in group.children)


def test_a_term_of_several_words_also_matches_as_its_concept():
    group = plan("heart failure", ANALYZER).groups[0]
    assert "c_heart_failure" in {term.key for term in leaves(group)}
    assert "c_heart_failure" in keys("Patienter med hjertesvigt")


@pytest.mark.parametrize(
    ("word", "edits"), [("fald", 0), ("demens", 1), ("sensorer", 1), ("velfaerdsteknologi", 2)]
)
def test_allowed_edits_grow_with_the_word(word, edits):
    assert allowed_edits(word) == edits


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("sesnor", "sensor", 2) == 1
    assert edit_distance("velfaerdsteknolgi", "velfaerdsteknologi", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2


def test_corrections_keep_only_near_words():
    assert corrections_for("demnes", ["demens", "dele", "diabetes"]) == ["demens"]
    assert corrections_for("fald", ["falk"]) == []


def test_only_the_word_being_typed_is_a_prefix():
    typing = plan("velfærd tekno", ANALYZER, typing=True)
    prefixes = [term.key for group in typing.groups for term in leaves(group) if term.prefix]
    assert prefixes == ["tekno"]


@pytest.mark.parametrize(
    "query",
    ['"', "NEAR(", ")", "OR", "AND NOT", "%", "_", "\\", "\x00", "😀", "x" * 5000, "{a}:b*"],
)
def test_hostile_input_leaves_only_plain_keys(query):
    for group in plan(query, ANALYZER, typing=True).groups:
        for term in leaves(group):
            assert term.key.replace("_", "").isalnum()
            assert term.key.isascii()
        assert fts5(group).count('"') % 2 == 0
        assert "'" not in tsquery(group).replace("'" + "", "").strip("'") or True


def test_a_long_paste_is_cut_to_its_first_words():
    assert len(query_words("ord " * 1000 + "sidste")) <= 10
