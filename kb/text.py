"""Text as people type it: compared without case, accents or ligatures.

Researchers type ``Louise Simard`` for ``Louise Simard``, ``aines`` for ``aînés``, and
``oeuvre`` for ``œuvre``; kb compares such text through `fold`. The full-text index stores
the same folding of each evidence item's text (`search_text`), so that the analyzer sees
no accent on either side (kb.schema).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Ligatures that Unicode does not decompose (NFKD keeps them): typed as two letters.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def strip_accents(text: str) -> str:
    """``text`` without accents and ligatures, case kept: ``Aînés, œuvre`` -> ``Aines, oeuvre``.

    Compatibility decomposition (NFKD) splits a letter from its accents, which are then
    dropped; it also turns full-width letters and the like into plain ones.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """``text`` for comparison: no accents, no ligatures, no case, single spaces."""
    return " ".join(strip_accents(text).casefold().split())


def search_text(parts: Iterable[str | None]) -> str | None:
    """What the full-text index reads of a record: its text fields, accents stripped, one
    per line; None when it has none."""
    present = [strip_accents(part) for part in parts if part]
    return "\n".join(present) or None
