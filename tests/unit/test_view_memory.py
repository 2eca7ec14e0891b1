"""`kb view`'s data over the in-memory reader (tests/memory_reader.py) and the example case:
each frame holds the ties `--at` its date selects, its measures are those of `kb
centrality --at` that date, and each tie's evidence is what `kb why` gives. No server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kb.analyses import centrality, provenance, reforms
from kb.analyses.selection import Selection
from kb.analyses.view import CaseView, case_view, change_dates
from kb.errors import ValidationError
from tests.memory_reader import MemoryReader


@pytest.fixture(scope="module")
def view(db: MemoryReader) -> CaseView:
    return case_view(db)


def _at(db: MemoryReader, day: date, **selection: object) -> list[str]:
    ids: list[str] = db.read_one("network/ties", at_first=day, at_last=day, **selection)["ids"]
    return sorted(ids)


def test_every_frame_holds_the_ties_at_its_date_selects(db: MemoryReader, view: CaseView) -> None:
    assert len(view.dates) > 20
    for frame in view.frames[1:]:
        assert frame.day is not None
        assert frame.ties == _at(db, frame.day), frame.day
        # the day before a change date shows something else (else it is no change)
        before = frame.day - timedelta(days=1)
        assert view.frame_at(before).ties == _at(db, before) != frame.ties
    first = view.dates[0]
    assert view.frames[0].ties == _at(db, first - timedelta(days=1))
    assert view.frame_at(date(1900, 1, 1)) is view.frames[0]


def test_a_day_between_change_dates_shows_the_earlier_ones_network(
    db: MemoryReader, view: CaseView
) -> None:
    for day in (date(2015, 4, 15), date(2016, 2, 29), date(2018, 7, 1)):
        assert view.frame_at(day).ties == _at(db, day)
    # kb answers --at only inside the observation; the view's dates stay inside it too
    assert view.observed is not None
    assert view.observed[0] <= view.dates[0] and view.dates[-1] <= view.observed[1]


def test_the_measures_of_a_frame_are_those_of_kb_centrality_at_its_date(
    db: MemoryReader, view: CaseView
) -> None:
    for frame in view.frames[1::15]:
        assert frame.day is not None
        result = centrality.centrality(db, Selection.build(at=frame.day.isoformat()))
        for actor in result["actors"]:
            assert frame.measures["degree"][actor["id"]] == actor["degree"]
            assert frame.measures["betweenness"][actor["id"]] == pytest.approx(
                actor["betweenness"], abs=1e-6
            )
        assert sum(frame.measures["brokerage"].values()) >= 0


def test_the_evidence_of_each_tie_is_what_kb_why_gives(db: MemoryReader, view: CaseView) -> None:
    ties = view.network.ties
    assert set(view.evidence) == {t.id for t in ties}
    for tie in ties[::11]:
        listed = next(t for t in provenance.why(db, tie.source, tie.target) if t["tie"] == tie.id)
        assert [i["id"] for i in view.evidence[tie.id]] == [i["id"] for i in listed["evidence"]]
        for shown, given in zip(view.evidence[tie.id], listed["evidence"], strict=True):
            assert {k: shown[k] for k in ("quote", "kind", "date", "coder")} == {
                k: given[k] for k in ("quote", "kind", "date", "coder")
            }
            assert shown["source"].startswith(given["document_title"] or given["document"] or "")


def test_the_selection_thins_every_frame(db: MemoryReader) -> None:
    chosen = case_view(db, Selection.build(types="collaboration", min_evidence=2))
    assert chosen.selection == {
        "types": ["COLLABORATION"],
        "min_evidence": 2,
        "triangulated": False,
        "coders": None,
    }
    for frame in chosen.frames[1::5]:
        assert frame.day is not None
        assert frame.ties == _at(db, frame.day, types=["COLLABORATION"], min_evidence=2)
    assert change_dates(chosen.network.ties) == chosen.dates


def test_reforms_and_stages_are_marked(view: CaseView) -> None:
    assert [r["id"] for r in view.reforms] == ["bill-10", "bill-20"]
    assert view.reforms[0]["day"] == "2015-04-01"
    assert any(o["effect"] == "abolished" for o in view.reforms[0]["organizations"])
    assert [s["id"] for s in view.stages] == ["problem-definition", "mobilization"]


def test_each_reform_carries_the_ties_kb_reforms_broken_ties_gives(
    db: MemoryReader, view: CaseView
) -> None:
    for reform in view.reforms:
        expected = {t["tie"] for t in reforms.broken_ties(db, reform=reform["id"])}
        assert reform["broken"] == sorted(expected)
    assert view.reforms[0]["broken"]  # Bill 10 broke ties in the example


def test_an_unknown_tie_type_is_an_error_naming_those_that_exist(db: MemoryReader) -> None:
    with pytest.raises(ValidationError, match="COLLABORATION"):
        case_view(db, Selection.build(types="friendship"))


def test_the_slider_marks_every_change_reform_and_stage_boundary(view: CaseView) -> None:
    from kb.presentation.view import page_data

    marks = page_data(view, title="x")["marks"]
    by_kind = {
        kind: {m["date"] for m in marks if m["kind"] == kind} for kind in {m["kind"] for m in marks}
    }
    assert by_kind["change"] == {d.isoformat() for d in view.dates}
    assert by_kind["reform"] == {r["day"] for r in view.reforms}
    assert by_kind["stage"] == {s[k] for s in view.stages for k in ("first", "last")}
    assert [m["date"] for m in marks] == sorted(m["date"] for m in marks)
