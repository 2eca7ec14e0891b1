"""The page `kb view` writes, without a browser: the same data gives the same bytes, case
text cannot end the data's script element, a tie's frames are those the library computed,
and the layout keeps actors in place."""

from __future__ import annotations

import json
import re
from datetime import date

from kb.analyses.network import Network, Tie
from kb.analyses.view import CaseView, Frame, change_dates
from kb.presentation.view import anchored_layout, page_data, render_view, script_json

HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


def _tie(tie_id: str, a: str, b: str, start: date | None, end: date | None) -> Tie:
    return Tie(tie_id, a, b, "COLLABORATION", False, None, start, end)


def _view() -> CaseView:
    ties = [
        _tie("t-1", "a", "b", None, date(2016, 3, 31)),
        _tie("t-2", "b", "c", date(2016, 1, 1), None),
        _tie("t-3", "a", "c", date(2016, 2, 1), date(2016, 2, 29)),
    ]
    network = Network(
        nodes=["a", "b", "c", "d"],
        names={"a": HOSTILE, "b": "Béa", "c": "Carl", "d": "Dora"},
        groups={},
        ties=ties,
    )
    days = change_dates(ties)
    frames = [Frame(None, ["t-1"], {})] + [
        Frame(d, sorted(t.id for t in ties if (t.start or d) <= d <= (t.end or d)), {})
        for d in days
    ]
    evidence = {"t-1": [{"id": "ev-1", "kind": "interview", "quote": HOSTILE, "source": ""}]}
    return CaseView(network, {n: {"kind": "person"} for n in network.nodes}, frames, evidence)


def test_change_dates_are_starts_and_the_days_after_ends() -> None:
    assert change_dates(_view().network.ties) == [
        date(2016, 1, 1),
        date(2016, 2, 1),
        date(2016, 3, 1),
        date(2016, 4, 1),
    ]


def test_the_same_view_gives_the_same_bytes() -> None:
    assert render_view(_view(), title="x") == render_view(_view(), title="x")


def test_case_text_never_appears_as_markup_in_the_page() -> None:
    page = render_view(_view(), title=HOSTILE)
    assert HOSTILE not in page
    assert "alert(1)" in page  # present, but as escaped text
    data = re.search(r'id="kb-view-data">(.*?)</script>', page, re.S)
    assert data is not None and "<" not in data.group(1)
    assert json.loads(data.group(1))["actors"][0]["name"] == HOSTILE
    assert json.loads(script_json({"q": "\u2028</script>"})) == {"q": "\u2028</script>"}


def test_each_tie_is_shown_in_the_frames_the_library_selected_it_in() -> None:
    view = _view()
    data = page_data(view, title="x")
    for k, frame in enumerate(view.frames):
        shown = sorted(
            t["id"]
            for t in data["ties"]
            if any(a <= k and (b is None or k < b) for a, b in t["frames"])
        )
        assert shown == frame.ties, k


def test_the_layout_is_deterministic_and_covers_isolates() -> None:
    nodes = ["a", "b", "c", "d"]
    first = anchored_layout(nodes, [("a", "b"), ("b", "c")])
    assert first == anchored_layout(nodes, [("a", "b"), ("b", "c")])
    assert set(first) == set(nodes)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())
    assert anchored_layout([], []) == {}


def test_the_measures_decode_to_the_value_of_every_frame() -> None:
    view = _view()
    degrees = []
    for frame in view.frames:
        counted = dict.fromkeys(view.network.nodes, 0.0)
        for tie in view.network.ties:
            if tie.id in frame.ties:
                counted[tie.source] += 1
                counted[tie.target] += 1
        degrees.append(counted)
    for frame, counted in zip(view.frames, degrees, strict=True):
        frame.measures["degree"] = counted
    pairs = page_data(view, title="x")["measures"]["degree"]
    for index, node in enumerate(view.network.nodes):
        changes = dict(zip(pairs[index][::2], pairs[index][1::2], strict=True))
        value = 0.0
        for k, counted in enumerate(degrees):
            value = changes.get(k, value)
            assert value == counted[node], (node, k)
    assert len(pairs[3]) == 2  # d has no tie: one pair, from frame 0
