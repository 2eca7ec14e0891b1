"""The content fingerprint's canonical form (kb.fingerprint), without a database: the same
records in any order give the same fingerprint, any value or type changed gives another,
derived values are not content."""

from __future__ import annotations

import random
from typing import Any

from neo4j.time import Date, DateTime

from kb import fingerprint
from kb.fingerprint import CHAIN, CONTENT, NONE, PREFIX, combine, kind
from kb.schema import SEARCH_PROPERTY


def node(labels: list[str], **props: Any) -> dict[str, Any]:
    return {"kind": "node", "labels": labels, "props": props, "start": None, "end": None}


def tie(source: str, target: str, /, **props: Any) -> dict[str, Any]:
    ends = [{"labels": ["Actor", "Person"], "id": i, "props": None} for i in (source, target)]
    return {
        "kind": "relationship",
        "labels": ["TIE"],
        "props": props,
        "start": ends[0],
        "end": ends[1],
    }


CASE = [
    node(["Actor", "Person"], id="p-1", name="Aînée", born=Date(1960, 1, 2)),
    node(["Person", "Actor"], id="p-2", name="B", score=1.5, tags=["x", "y"]),
    node(["Evidence"], id="e-1", quote="l'équipe", kb_search="l'equipe"),
    tie("p-1", "p-2", id="t-1", type="INFORMATION", start="2016-01", weight=2),
]


def test_the_same_records_in_any_order_and_key_order_give_one_fingerprint() -> None:
    first = combine(CASE)
    assert first.startswith(PREFIX) and len(first) == len(PREFIX) + 64
    shuffled = [dict(reversed(list(r.items()))) for r in CASE]
    for _ in range(5):
        random.shuffle(shuffled)
        assert combine(shuffled) == first
    # Labels in another order are the same labels.
    assert combine([node(["Person", "Actor"], id="p-1")]) == combine(
        [node(["Actor", "Person"], id="p-1")]
    )


def test_any_single_change_gives_another_fingerprint() -> None:
    first = combine(CASE)
    changed = [
        [node(["Actor", "Person"], id="p-1", name="Ainee", born=Date(1960, 1, 2)), *CASE[1:]],
        [node(["Actor", "Person"], id="p-1", name="Aînée", born=Date(1960, 1, 3)), *CASE[1:]],
        [node(["Actor", "Organization"], id="p-1", name="Aînée", born=Date(1960, 1, 2)), *CASE[1:]],
        [*CASE[:3], tie("p-2", "p-1", id="t-1", type="INFORMATION", start="2016-01", weight=2)],
        [*CASE[:3], tie("p-1", "p-2", id="t-1", type="INFORMATION", start="2016-01", weight=3)],
        CASE[:3],  # a relationship fewer
        [*CASE, CASE[0]],  # a record twice counts twice
    ]
    found = {combine(rows) for rows in changed}
    assert first not in found and len(found) == len(changed)


def test_types_are_part_of_the_value() -> None:
    # A date and the text of that date, an integer and the same float, a list and a text.
    pairs = [
        (Date(2016, 1, 1), "2016-01-01"),
        (1, 1.0),
        (["a"], "a"),
        (DateTime(2016, 1, 1, 12, 0, 0), "2016-01-01T12:00:00"),
        (True, 1),
    ]
    for one, other in pairs:
        assert combine([node(["Stage"], id="s", v=one)]) != combine(
            [node(["Stage"], id="s", v=other)]
        )


def test_derived_values_are_not_content() -> None:
    plain = [node(["Evidence"], id="e-1", quote="l'équipe")]
    derived = [node(["Evidence"], id="e-1", quote="l'équipe", kb_search="anything")]
    assert SEARCH_PROPERTY in fingerprint.DERIVED
    assert combine(plain) == combine(derived)


def test_both_sorts_give_one_order() -> None:
    # Digests that end in zero bytes too: numpy's fixed-length strings must not shorten them.
    parts = [bytes(31) + bytes([b]) for b in (0, 1, 255)] + [bytes([b]) * 32 for b in (0, 7, 200)]
    parts += [random.randbytes(32) for _ in range(200)]
    random.shuffle(parts)
    joined = b"".join(parts)
    small = fingerprint.sorted_digests(joined, compact_from=10**9)
    compact = fingerprint.sorted_digests(joined, compact_from=1)
    assert small == compact == b"".join(sorted(parts))


def test_the_kind_of_a_stamped_fingerprint() -> None:
    assert kind(combine(CASE)) == CONTENT
    assert kind("b2e6def140c270fcf8ed5f2af3990c24") == CHAIN  # what kb stamped before
    assert kind("") == NONE
