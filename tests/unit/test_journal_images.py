"""The journal's compact before-images (issue 20 §1): what a bulk chunk keeps of each record
an import batch wrote, without a database."""

from __future__ import annotations

from typing import Any

from kb.journal import diff


def record(ident: str, props: dict[str, Any], **shape: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": shape.get("kind", "node"),
        "labels": shape.get("labels", ["Actor", "Person"]),
        "start": shape.get("start"),
        "end": shape.get("end"),
        "props": props,
        "links": shape.get("links", []),
    }


def test_a_bulk_chunk_keeps_only_what_undoing_needs() -> None:
    before = {
        "p-same": record("p-same", {"id": "p-same", "name": "Same"}),
        "p-renamed": record("p-renamed", {"id": "p-renamed", "name": "Old", "note": "kept"}),
        "p-gone": record("p-gone", {"id": "p-gone", "name": "Gone"}),
    }
    after = {
        "p-same": record("p-same", {"id": "p-same", "name": "Same"}),
        "p-renamed": record("p-renamed", {"id": "p-renamed", "name": "New", "note": "kept"}),
        "p-new": record("p-new", {"id": "p-new", "name": "New"}),
    }
    kept = {c["id"]: c for c in diff(before, after, compact=True)}
    assert set(kept) == {"p-renamed", "p-gone"}, "created: its id only; unchanged: nothing"
    assert kept["p-renamed"]["before"] == {"name": "Old"}, "only what changed"
    assert "after" not in kept["p-renamed"]
    assert kept["p-gone"]["op"] == "deleted"
    assert kept["p-gone"]["before"] == {"id": "p-gone", "name": "Gone"}, "its full image"
    detailed = {c["id"]: c for c in diff(before, after)}
    assert detailed["p-new"]["op"] == "created" and detailed["p-renamed"]["after"] == {
        "name": "New"
    }


def test_links_labels_and_moves_are_changes_too() -> None:
    territory = [{"type": "IN_TERRITORY", "start": "p-a", "end": "rls-1", "props": {}}]
    before = {
        "p-a": record("p-a", {"id": "p-a"}, links=territory),
        "t-1": record("t-1", {"id": "t-1"}, kind="relationship", labels=["TIE"], start="a"),
        "o-1": record("o-1", {"id": "o-1"}, labels=["Actor", "Person"]),
    }
    after = {
        "p-a": record("p-a", {"id": "p-a"}, links=[]),
        "t-1": record("t-1", {"id": "t-1"}, kind="relationship", labels=["TIE"], start="b"),
        "o-1": record("o-1", {"id": "o-1"}, labels=["Actor", "Organization"]),
    }
    kept = {c["id"]: c for c in diff(before, after, compact=True)}
    assert kept["p-a"]["links"] == {"before": territory} and kept["p-a"]["before"] == {}
    assert kept["t-1"]["moved"] == {"start": "a", "end": None}
    assert kept["o-1"]["labels_before"] == ["Actor", "Person"]
