"""kb.masking: names, aliases and initials masked as whole words, accents and case aside."""

from __future__ import annotations

import doctest
import unicodedata

import pytest

import kb.masking
from kb.masking import Masker, initials_of, mask, masker_for

PEOPLE = {"Inès Tremblay": "P-1", "Inès": "P-1", "Louise Simard": "P-2", "Simard": "P-2"}


def test_the_module_examples_hold() -> None:
    failures, tried = doctest.testmod(kb.masking)
    assert tried >= 3 and failures == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inès Tremblay l'a dit.", "P-1 l'a dit."),
        ("INES TREMBLAY l'a dit.", "P-1 l'a dit."),
        ("ines  tremblay,\nencore", "P-1,\nencore"),  # any run of spaces
        ("inès tremblay", "P-1"),
        ("Mme Simard et Inès.", "Mme P-2 et P-1."),
        ("(Simard)", "(P-2)"),
        ("«Inès»", "«P-1»"),
    ],
)
def test_names_are_found_without_accents_or_case(text: str, expected: str) -> None:
    assert mask(text, PEOPLE) == expected


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ"])
def test_french_elisions_with_any_apostrophe(apostrophe: str) -> None:
    text = f"Le rôle d{apostrophe}Inès et de l{apostrophe}Agence, qu{apostrophe}Inès a vu."
    masked = mask(text, {"Inès": "P-1", "Agence": "O-1"})
    assert masked == (f"Le rôle d{apostrophe}P-1 et de l{apostrophe}O-1, qu{apostrophe}P-1 a vu.")


def test_a_name_written_with_its_elision_is_masked_whole() -> None:
    assert mask("Selon l’Agence régionale.", {"l'Agence régionale": "O-1"}) == "Selon O-1."


def test_jusqu_and_lorsqu_are_elisions_too() -> None:
    assert mask("jusqu'Ines et lorsqu’Ines", {"Ines": "X"}) == "jusqu'X et lorsqu’X"


@pytest.mark.parametrize(
    "text",
    [
        "Inesperado",  # a longer word
        "Aines",  # the name at the end of a word
        "Jean-Pierre",  # a compound name holding another
        "Saint-Jean",
        "O'Neil",  # an apostrophe inside a name is not an elision
        "aujourd'hui",
        "Jean_Pierre",
        "Jean2",
    ],
)
def test_never_inside_another_word(text: str) -> None:
    names = {"Ines": "X", "Jean": "X", "Pierre": "X", "Neil": "X", "hui": "X", "Aines": "Y"}
    masked = mask(text, {k: v for k, v in names.items() if k != text})
    assert masked == text


def test_a_hyphen_between_spaces_is_punctuation() -> None:
    assert mask("Jean - Pierre", {"Jean": "X", "Pierre": "Y"}) == "X - Y"
    assert mask("-Jean-", {"Jean": "X"}) == "-X-"


def test_an_english_possessive_ends_the_name() -> None:
    assert mask("Ines's view, Ines’s view", {"Ines": "X"}) == "X's view, X’s view"
    assert mask("Ines'x", {"Ines": "X"}) == "Ines'x"


def test_the_longest_name_wins_where_names_overlap() -> None:
    names = {"Louise": "A", "Louise Simard": "B", "Simard": "C"}
    assert mask("Louise Simard, puis Louise, puis Simard", names) == "B, puis A, puis C"


def test_initials_keep_their_case_so_that_words_are_left_alone() -> None:
    masker = masker_for([(["Denis Émond"], "P-1"), (["Louise Simard"], "P-2")])
    assert masker.mask("DE a parlé de LS et de L.S. et de L. S.") == (
        "P-1 a parlé de P-2 et de P-2 et de P-2"
    )
    assert masker.mask("de la ls") == "de la ls"
    assert masker.mask("LSD et DEUX") == "LSD et DEUX"  # whole words only


def test_initials_fold_accents() -> None:
    assert masker_for([(["Émile Ébert"], "P")]).mask("ÉÉ et EE") == "P et P"


def test_text_in_decomposed_form_loses_the_accents_of_the_name_too() -> None:
    text = unicodedata.normalize("NFD", "Inès et Inès.")
    assert mask(text, {"Ines": "X"}) == "X et X."


def test_ligatures_and_sharp_s() -> None:
    assert mask("Cœurdeneige et Strauß", {"Coeurdeneige": "X", "Strauss": "Y"}) == "X et Y"


def test_the_rest_of_the_text_is_kept_character_for_character() -> None:
    text = "  D’après\tINÈS :  « tout va » ! "
    assert mask(text, {"Inès": "P-1"}) == "  D’après\tP-1 :  « tout va » ! "
    assert mask(text, {}) == text
    assert mask("", {"Inès": "P-1"}) == ""


def test_regular_expression_characters_in_names_are_literal() -> None:
    names = {"A.B. (Ltd)": "O-1", "C++": "O-2"}
    assert mask("Chez A.B. (Ltd) et AxB. (Ltd), C++.", names) == "Chez O-1 et AxB. (Ltd), O-2."


def test_finds_says_whether_a_name_is_left() -> None:
    masker = Masker({"Inès": "P-1"})
    assert masker.finds("selon d’INES")
    assert not masker.finds("Inesperado")


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Masker({"  ": "X"})


def test_initials_of_names() -> None:
    assert initials_of("Louise Simard") == ["LS", "L.S.", "L. S."]
    assert initials_of("jean-pierre côté") == ["JPC", "J.P.C.", "J. P. C."]
    assert initials_of("Pierre d'Arcy") == ["PA", "P.A.", "P. A."]
    assert initials_of("Inès") == []
    assert initials_of("  ") == []


def test_masker_for_skips_blank_names_and_keeps_the_first_replacement() -> None:
    masker = masker_for([(["Louise Simard", "", "Lou"], "P-1"), (["Lou"], "P-2")])
    assert masker.mask("Lou, LS") == "P-1, P-1"
