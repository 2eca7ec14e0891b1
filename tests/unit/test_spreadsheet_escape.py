"""The spreadsheet escape of `kb export csv` and the import's unescape are inverses."""

from __future__ import annotations

import itertools

from kb.exports.files import FORMULA_STARTS, spreadsheet_safe
from kb.imports.sources import unescape_formula
from tests.safety.payloads import PAYLOADS


def test_every_short_text_over_the_special_characters_round_trips() -> None:
    alphabet = ["=", "+", "-", "@", "'", "\t", "\r", "a", "1", " "]
    for size in range(4):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            safe = spreadsheet_safe(text)
            assert not safe.startswith(FORMULA_STARTS), repr(text)
            assert unescape_formula(safe) == text, repr(text)


def test_payloads_round_trip_and_plain_text_is_untouched() -> None:
    for text in PAYLOADS:
        assert unescape_formula(spreadsheet_safe(text)) == text
    for text in ("Popote", "l'autre", "'quoted'", "5-3", ""):
        assert spreadsheet_safe(text) == text
        assert unescape_formula(text) == text
