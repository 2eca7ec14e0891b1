"""kb.text: how typed text is compared and what the full-text index reads."""

from __future__ import annotations

from kb.text import fold, search_text, strip_accents


def test_fold_ignores_case_accents_ligatures_and_spacing() -> None:
    assert fold("  Lôuise   SIMARD ") == fold("louise simard") == "louise simard"
    assert fold("Œuvre des Aînés") == "oeuvre des aines"
    assert fold("ＡＢＣ") == "abc"  # full-width letters are letters


def test_strip_accents_keeps_case_and_punctuation() -> None:
    assert strip_accents("L’Été, l'âge du maïs") == "L’Ete, l'age du mais"


def test_search_text_is_the_stripped_fields_then_the_accented_words_as_written() -> None:
    text = search_text(["Le maïs des aînés.", None, "", "p. 3"])
    assert text == "Le mais des aines.\np. 3\nmaïs aînés"
    assert search_text(["Plain text"]) == "Plain text"
    assert search_text([None, ""]) is None
