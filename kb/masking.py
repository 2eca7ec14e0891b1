"""Masking people's names inside text: what pseudonymised exports and withdrawals share.

`mask` replaces every occurrence of a name (or alias) by its replacement, comparing without
accents or case (``Inès``, ``INES`` and ``ines`` are one name), and initials (``LS``,
``L.S.``, ``L. S.``) with their case kept, because lower-case initials are ordinary words
(``de``, ``la``, ``le``).

A name is masked only as a whole word: never inside another word (``Ines`` is not masked
in ``Inesperado``, ``Jean`` is not masked in ``Jean-Pierre`` nor ``Neil`` in ``O'Neil``).
French elisions are words of their own, with a straight or curly apostrophe: ``l'Agence``
and ``d’Ines`` become ``l'<replacement>`` and ``d’<replacement>``; so is the English
possessive ``Ines's``. When two names overlap (``Louise Simard`` and ``Louise``), the
longest wins.

    >>> mask("D’après Inès, l'AGENCE a tort.", {"Ines": "P-1", "l'Agence": "O-2"})
    'D’après P-1, O-2 a tort.'
    >>> mask("L.S. et Louise", {"Louise Simard": "P-1", "Louise": "P-1"}, initials={"L.S.": "P-1"})
    'P-1 et P-1'

Build a `Masker` once when masking many texts with the same names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

__all__ = ["Masker", "initials_of", "mask", "masker_for"]

# Apostrophes people and word processors type: all compared as the straight one.
_APOSTROPHES = "'’‘ʼ′"
# Words that French elides before a vowel: ``l'``, ``d'``, ``qu'``, ``jusqu'``...
_ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"})
_ELISIONS |= {"quoiqu", "presqu"}
_WORD_BEFORE = re.compile(r"(\w+)$")
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}


def _fold_char(ch: str, *, keep_case: bool) -> str:
    """One character as compared: accents, ligatures and (unless kept) case dropped."""
    if ch in _APOSTROPHES:
        return "'"
    ch = _LIGATURES.get(ch, ch)
    decomposed = unicodedata.normalize("NFKD", ch)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain if keep_case else plain.casefold()


def _fold(text: str, *, keep_case: bool) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the one it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        part = _fold_char(ch, keep_case=keep_case)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin


def _pattern(name: str, *, keep_case: bool) -> str:
    """The regular expression of one folded name: any run of spaces matches any other."""
    folded, _ = _fold(name.strip(), keep_case=keep_case)
    return r"\s+".join(re.escape(word) for word in folded.split())


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts_a_word(folded: str, start: int) -> bool:
    """Whether a name found at ``start`` begins a word rather than continuing one."""
    if start == 0 or not _is_word(folded[start - 1]) and folded[start - 1] not in "-'":
        return True
    before = folded[start - 1]
    if _is_word(before):
        return False
    joined = start >= 2 and _is_word(folded[start - 2])
    if before == "-":  # Jean-Pierre, Saint-Jérôme: one word
        return not joined
    # An apostrophe: an elision (l'Agence, d'Ines) starts a word; O'Neil is one word.
    word = _WORD_BEFORE.search(folded, 0, start - 1)
    return not joined or (word is not None and word.group(1).casefold() in _ELISIONS)


def _ends_a_word(folded: str, end: int) -> bool:
    """Whether a name found ending at ``end`` ends a word rather than running into one."""
    if end == len(folded):
        return True
    after = folded[end]
    if _is_word(after):
        return False
    joined = end + 1 < len(folded) and _is_word(folded[end + 1])
    if after == "-":
        return not joined
    if after == "'":  # Ines's (a possessive) ends the name; Ines'x does not
        possessive = folded[end + 1 : end + 2].casefold() == "s" and (
            end + 2 == len(folded) or not _is_word(folded[end + 2])
        )
        return not joined or possessive
    return True


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    replacement: str


class Masker:
    """Names and initials with their replacements, compiled once, to mask many texts.

    Args:
        names: name or alias -> replacement; compared without accents or case.
        initials: initials -> replacement; compared without accents, case kept.

    Raises:
        ValueError: a name or initials that is empty once spaces are removed.
    """

    def __init__(self, names: Mapping[str, str], *, initials: Mapping[str, str] | None = None):
        self._names = dict(names)
        self._initials = dict(initials or {})
        for key in [*self._names, *self._initials]:
            if not key.strip():
                raise ValueError("A name to mask is empty.")

    @cached_property
    def _compiled(self) -> list[tuple[re.Pattern[str] | None, dict[str, str], bool]]:
        compiled: list[tuple[re.Pattern[str] | None, dict[str, str], bool]] = []
        for table, keep_case in ((self._names, False), (self._initials, True)):
            lookup: dict[str, str] = {}
            for key, replacement in table.items():
                folded = " ".join(_fold(key, keep_case=keep_case)[0].split())
                lookup.setdefault(folded, replacement)
            # Longest first, so that the alternation prefers ``Louise Simard`` to ``Louise``.
            keys = sorted(table, key=lambda k: len(k.strip()), reverse=True)
            body = "|".join(_pattern(k, keep_case=keep_case) for k in keys)
            # A lookahead finds overlapping candidates; the word checks pick among them.
            regex = re.compile(f"(?=({body}))") if body else None
            compiled.append((regex, lookup, keep_case))
        return compiled

    def _matches(self, text: str) -> list[_Match]:
        found: list[_Match] = []
        for regex, lookup, keep_case in self._compiled:
            if regex is None:
                continue
            folded, origin = _fold(text, keep_case=keep_case)
            for candidate in regex.finditer(folded):
                start, end = candidate.start(1), candidate.end(1)
                if not (_starts_a_word(folded, start) and _ends_a_word(folded, end)):
                    continue
                key = " ".join(candidate.group(1).split())
                first, last = origin[start], origin[end - 1] + 1
                # Accents typed as separate marks (NFD text) belong to the masked letter.
                while last < len(text) and unicodedata.combining(text[last]):
                    last += 1
                found.append(_Match(first, last, lookup[key]))
        return found

    def mask(self, text: str) -> str:
        """``text`` with every name and initials replaced (see the module's rules)."""
        chosen: list[_Match] = []
        # Leftmost first, then longest: overlapping candidates never both apply.
        for match in sorted(self._matches(text), key=lambda m: (m.start, -m.end)):
            if chosen and match.start < chosen[-1].end:
                continue
            chosen.append(match)
        pieces: list[str] = []
        position = 0
        for match in chosen:
            pieces += [text[position : match.start], match.replacement]
            position = match.end
        pieces.append(text[position:])
        return "".join(pieces)

    def finds(self, text: str) -> bool:
        """Whether ``text`` holds any of the names or initials (as `mask` would see them)."""
        return bool(self._matches(text))


def mask(text: str, names: Mapping[str, str], *, initials: Mapping[str, str] | None = None) -> str:
    """``text`` with every name, alias and initials replaced by its replacement.

    Args:
        text: the text to mask (a quote, a note, a title).
        names: name or alias -> replacement; matched as whole words, without accents or case,
            after a French elision too (``d'Ines``).
        initials: initials -> replacement; matched as whole words, without accents but with
            their case (``LS`` masks ``LS``, not ``ls``). `initials_of` gives a name's usual
            spellings.

    Returns:
        The text, each occurrence replaced; the rest untouched, character for character.
    """
    return Masker(names, initials=initials).mask(text)


def initials_of(name: str) -> list[str]:
    """The ways the initials of a name of two words or more are written: ``LS``, ``L.S.``,
    ``L. S.``; each part of a hyphenated name counts (``Jean-Pierre Côté`` is ``JPC``).

    A one-word name has no initials (a single letter would mask too much).

    >>> initials_of("Louise Simard")
    ['LS', 'L.S.', 'L. S.']
    >>> initials_of("Jean-Pierre Côté")
    ['JPC', 'J.P.C.', 'J. P. C.']
    """
    parts = [word for word in re.split(r"[\s\-]+", name.strip()) if word]
    letters = [_first_letter(word) for word in parts]
    initials = [letter.upper() for letter in letters if letter]
    if len(initials) < 2:
        return []
    return [
        "".join(initials),
        "".join(f"{i}." for i in initials),
        " ".join(f"{i}." for i in initials),
    ]


def _first_letter(word: str) -> str:
    for ch in _strip_elision(word):
        if ch.isalpha():
            return ch
    return ""


def _strip_elision(word: str) -> str:
    """``d'Arcy`` -> ``Arcy``: the initial of an elided particle is the name's."""
    for apostrophe in _APOSTROPHES:
        head, sep, tail = word.partition(apostrophe)
        if sep and head.casefold() in _ELISIONS and tail:
            return tail
    return word


def masker_for(entries: Iterable[tuple[Iterable[str], str]]) -> Masker:
    """A `Masker` for people given as (their names and aliases, their replacement): each
    name and alias is masked, and so are the initials of each name of two words or more.

    Args:
        entries: for each person, their name and aliases, and the text that replaces them.
    """
    names: dict[str, str] = {}
    initials: dict[str, str] = {}
    for person_names, replacement in entries:
        for name in person_names:
            if not name or not name.strip():
                continue
            names.setdefault(name, replacement)
            for form in initials_of(name):
                initials.setdefault(form, replacement)
    return Masker(names, initials=initials)
