"""The on-disk result cache: entries belong to one database state."""

from __future__ import annotations

import os
from pathlib import Path

from kb.result_cache import ResultCache, cache_key


def test_value_is_returned_only_for_its_state(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "results")
    key = cache_key("bolt://x", "neo4j", "reach/arc-table", ["INFO"])
    assert cache.get(key, "s1") is None
    cache.put(key, "s1", {"a": [1, 2]})
    assert cache.get(key, "s1") == {"a": [1, 2]}
    assert cache.get(key, "s2") is None
    assert (tmp_path / "results").stat().st_mode & 0o777 == 0o700


def test_keys_differ_by_every_part() -> None:
    base = cache_key("bolt://x", "neo4j", "q", None)
    assert cache_key("bolt://y", "neo4j", "q", None) != base
    assert cache_key("bolt://x", "other", "q", None) != base
    assert cache_key("bolt://x", "neo4j", "q", ["INFO"]) != base
    assert cache_key("bolt://x", "neo4j", "q", None) == base


def test_unreadable_entry_is_a_miss_and_unwritable_folder_is_skipped(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    (tmp_path / "k.pickle").write_bytes(b"not a pickle")
    assert cache.get("k", "s") is None
    blocked = ResultCache(tmp_path / "file")
    (tmp_path / "file").write_text("a file where the folder should be")
    blocked.put("k", "s", 1)  # no error
    assert blocked.get("k", "s") is None


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, keep=3)
    for i in range(5):
        cache.put(f"k{i}", "s", i)
        os.utime(tmp_path / f"k{i}.pickle", (1000 + i, 1000 + i))
    assert sorted(p.stem for p in tmp_path.glob("*.pickle")) == ["k2", "k3", "k4"]
    assert not list(tmp_path.glob("*.tmp"))
