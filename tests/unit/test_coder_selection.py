"""--coder in the shared selection, over the example case in memory (tests/memory_reader.py):
which ties a coder's selection keeps, how names resolve (case, accents, aliases of
kb.coders), and robustness by coder's rank correlations and findings on a real case.
No server: runs in `make unit`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kb.analyses.by_coder import MIN_ACTORS, robustness_by_coder
from kb.analyses.network import fetch
from kb.analyses.selection import Selection, resolve_coders
from kb.coders import CoderAliases
from kb.errors import ValidationError
from kb.text import strip_accents
from tests.memory_reader import MemoryReader

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"


def read(name: str) -> list[dict[str, str]]:
    with open(EXAMPLE / name, encoding="utf-8-sig") as stream:
        return list(csv.DictReader(stream))


def coders() -> list[str]:
    return sorted({row["coder"] for row in read("evidence.csv") if row["coder"]})


def test_a_coders_selection_keeps_the_ties_their_items_support(db: MemoryReader) -> None:
    by_item = {row["id"]: row["coder"] for row in read("evidence.csv")}
    assert len(coders()) > 1
    every = {t.id for t in fetch(db).ties}
    union: set[str] = set()
    for coder in coders():
        kept = {t.id for t in fetch(db, Selection(coders=(coder,))).ties}
        expected = {
            row["id"]
            for row in read("ties.csv")
            if any(by_item.get(i) == coder for i in row["evidence"].split(";") if i)
        }
        assert kept == expected & every, coder
        assert kept and kept != every, coder
        union |= kept
    assert {t.id for t in fetch(db, Selection(coders=tuple(coders()))).ties} == union


def test_coder_names_resolve_without_case_accents_or_through_aliases(db: MemoryReader) -> None:
    name = next(c for c in coders() if c != c.encode("ascii", "ignore").decode())  # accented
    plain = strip_accents(name).lower()
    assert resolve_coders(db, Selection(coders=(plain,))).coders == (name,)
    initials = "".join(part[0] for part in name.split())
    aliases = CoderAliases.of([f"{initials}={name}"])
    assert resolve_coders(db, Selection(coders=(initials,)), aliases).coders == (name,)
    with pytest.raises(ValidationError) as error:
        resolve_coders(db, Selection(coders=(initials,)))
    assert all(c in str(error.value) for c in coders())  # lists who exists
    assert "initials" in str(error.value)  # and which one it looks like


def test_robustness_by_coder_on_the_example(db: MemoryReader) -> None:
    result = robustness_by_coder(db, from_group="community", to_group="public")
    assert [row["coder"] for row in result.coders] == coders()
    for row in result.coders:
        for measure in ("brokerage", "betweenness"):
            rho, problem = row[f"{measure}_rho"], row[f"{measure}_problem"]
            assert (rho is None) != (problem is None)
            if rho is not None:
                assert -1 <= rho <= 1 and row["actors"] >= MIN_ACTORS
    for finding in result.findings:
        assert finding["every_coder"] == all(h is True for h in finding["holds"].values())
    assert {f["finding"] for f in result.findings} >= {"top_broker", "reaches"}
