"""The JavaScript `kb view` inlines is exactly what tools/vendor_js.py fetched and checked.

The lock records, per npm package, the version, the registry's integrity of its tarball and
the sha256 of every file taken from it; a vendored file edited by hand, or a pin changed
without re-vendoring, fails here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _vendor_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_js", ROOT / "tools" / "vendor_js.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _lock() -> dict[str, Any]:
    text = files("kb").joinpath("resources/vendor/vendor.lock.json").read_text("utf-8")
    lock: dict[str, Any] = json.loads(text)
    return lock


def test_every_vendored_file_has_the_sha256_the_lock_records() -> None:
    vendor = files("kb").joinpath("resources/vendor")
    checked = 0
    for package in _lock()["packages"]:
        for name, entry in package["files"].items():
            data = vendor.joinpath(name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
            checked += 1
    assert checked == 4  # two builds, two licences


def test_the_lock_is_the_pins_of_the_vendoring_script() -> None:
    tool = _vendor_tool()
    pinned = {(p.name, p.version, p.integrity) for p in tool.PINS}
    locked = {(p["name"], p["version"], p["integrity"]) for p in _lock()["packages"]}
    assert locked == pinned
    assert {p[0] for p in pinned} == {"sigma", "graphology"}
    assert next(p[1] for p in pinned if p[0] == "sigma").startswith("3.")


def test_the_check_finds_an_edited_file(tmp_path: Path) -> None:
    tool = _vendor_tool()
    for name in ("vendor.lock.json", "sigma.min.js", "sigma.LICENSE.txt"):
        (tmp_path / name).write_bytes(files("kb").joinpath(f"resources/vendor/{name}").read_bytes())
    (tmp_path / "graphology.umd.min.js").write_text("/* edited */", encoding="utf-8")
    assert tool.check(tmp_path) == [
        "graphology.LICENSE.txt (graphology) is missing",
        "graphology.umd.min.js (graphology) differs from the lock",
    ]


def test_the_builds_are_browser_globals_and_can_sit_in_a_script_element() -> None:
    vendor = files("kb").joinpath("resources/vendor")
    sigma = vendor.joinpath("sigma.min.js").read_text("utf-8")
    graphology = vendor.joinpath("graphology.umd.min.js").read_text("utf-8")
    assert ".Sigma=" in sigma[:400] and ".graphology=" in graphology[:400]  # UMD globals
    assert "</script" not in sigma.lower() and "</script" not in graphology.lower()
    assert "MIT" in vendor.joinpath("sigma.LICENSE.txt").read_text("utf-8") or "Permission" in (
        vendor.joinpath("sigma.LICENSE.txt").read_text("utf-8")
    )
