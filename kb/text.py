"""Text as people type it: compared without case, accents or ligatures.

Researchers type ``Louise Simard`` for ``Louise Simard``, ``aines`` for ``aînés``, and
``oeuvre`` for ``œuvre``; kb compares such text through `fold`. The full-text index stores
the same folding of each evidence item's text (`search_text`), so that the analyzer sees
no accent on either side (kb.schema).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Ligatures that Unicode does not decompose (NFKD keeps them): typed as two letters.
# A word as Lucene's standard tokenizer sees one: letters and digits, apostrophes inside.
_WORD = re.compile(r"\w+(?:['’]\w+)*")
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
    per line, then its accented words as written; None when it has no text.

    The stripped text makes ``aines`` find ``aînés``. The words as written are there for
    the few whose stripped form is a stop word the analyzer drops (``maïs`` is ``mais``,
    ``sûr`` is ``sur``, ``où`` is ``ou``): a query with accents also looks for them
    (kb.analyses.evidence).
    """
    present = [part for part in parts if part]
    if not present:
        return None
    text = "\n".join(present)
    stripped = strip_accents(text)
    accented = dict.fromkeys(w for w in _WORD.findall(text) if strip_accents(w) != w)
    return stripped + ("\n" + " ".join(accented) if accented else "")
