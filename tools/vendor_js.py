#!/usr/bin/env python3
"""Vendor the JavaScript `kb view` embeds: sigma.js 3 and graphology, from the npm registry.

Why vendored: the page `kb view` writes must open offline (a USB stick, an e-mail
attachment), so the renderer is inlined into it; nothing is fetched at install time or when
the page opens, and no CDN is involved.

What it does, for each pinned package (``PINS``):

1. asks the npm registry for that exact version's metadata and refuses if its
   ``dist.integrity`` is not the pinned one (a re-published version is an error, not an
   update);
2. downloads the tarball and checks its sha512 against the same pinned integrity;
3. copies the package's minified browser build (a UMD file: it defines a global
   ``Sigma`` / ``graphology`` when loaded by a plain ``<script>`` in a ``file://`` page, so
   no bundler is needed) and its licence into ``kb/resources/vendor/``;
4. writes ``kb/resources/vendor/vendor.lock.json``: versions, tarball URLs, integrities and
   the sha256 of every file written, which ``tests/unit/test_vendored_js.py`` checks.

To update: change a version in ``PINS`` with the integrity the registry gives
(``npm view sigma@3.0.3 dist.integrity``), run this script, run the tests and the browser
tests, and commit the vendor folder.

Example:
    python tools/vendor_js.py            # fetch, verify, write
    python tools/vendor_js.py --check    # verify the files in the package against the lock
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGISTRY = "https://registry.npmjs.org"
VENDOR = Path(__file__).resolve().parent.parent / "kb" / "resources" / "vendor"
LOCK = VENDOR / "vendor.lock.json"


@dataclass(frozen=True)
class Pin:
    """One npm package at one version; ``files`` maps a path in its tarball to a file name
    in ``kb/resources/vendor/``."""

    name: str
    version: str
    integrity: str
    files: dict[str, str]


PINS = (
    Pin(
        name="graphology",
        version="0.26.0",
        integrity="sha512-8SSImzgUUYC89Z042s+0r/vMibY7GX/Emz4LDO5e7jYXhuoWfHISPFJYjpRLUSJGq6UQ6xlenvX1p/hJdfXuXg==",
        files={
            "package/dist/graphology.umd.min.js": "graphology.umd.min.js",
            "package/LICENSE.txt": "graphology.LICENSE.txt",
        },
    ),
    Pin(
        name="sigma",
        version="3.0.3",
        integrity="sha512-5H0zFlx6/NTQpqBg4Rm569ZOpnBOXMaS25UQThIWMU3XyzI5AhmorK/gnl87BvJBLhQd0tW4C0LIp3enWzMoNw==",
        files={
            "package/dist/sigma.min.js": "sigma.min.js",
            "package/LICENSE.txt": "sigma.LICENSE.txt",
        },
    ),
)


class VendorError(Exception):
    """A download or a check failed; nothing is written."""


def sri(data: bytes) -> str:
    """The Subresource-Integrity form npm records: ``sha512-`` and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data: bytes = response.read()
    return data


def fetch(pin: Pin) -> tuple[str, dict[str, bytes]]:
    """The tarball URL and the wanted files of ``pin``, after both integrity checks."""
    meta = json.loads(_get(f"{REGISTRY}/{pin.name}/{pin.version}"))
    dist = meta.get("dist", {})
    if dist.get("integrity") != pin.integrity:
        raise VendorError(
            f"{pin.name}@{pin.version}: the registry gives integrity {dist.get('integrity')!r},"
            f" the pin says {pin.integrity!r}."
        )
    tarball_url = str(dist["tarball"])
    tarball = _get(tarball_url)
    if sri(tarball) != pin.integrity:
        raise VendorError(f"{pin.name}@{pin.version}: the tarball does not match its integrity.")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.name in pin.files and member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                found[member.name] = extracted.read()
    missing = sorted(set(pin.files) - set(found))
    if missing:
        raise VendorError(f"{pin.name}@{pin.version} has no {', '.join(missing)}.")
    return tarball_url, found


def vendor() -> list[dict[str, Any]]:
    """Fetch and check every pin, then write the files and the lock."""
    written: dict[str, bytes] = {}
    packages: list[dict[str, Any]] = []
    for pin in PINS:
        tarball_url, found = fetch(pin)
        files = {}
        for inner, target in sorted(pin.files.items(), key=lambda item: item[1]):
            written[target] = found[inner]
            files[target] = {"from": inner, "sha256": sha256(found[inner])}
        packages.append(
            {
                "name": pin.name,
                "version": pin.version,
                "tarball": tarball_url,
                "integrity": pin.integrity,
                "license": "MIT",
                "files": files,
            }
        )
    lock = {"registry": REGISTRY, "packages": packages}
    VENDOR.mkdir(parents=True, exist_ok=True)
    for target, data in written.items():
        (VENDOR / target).write_bytes(data)
    LOCK.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return packages


def check(folder: Path = VENDOR) -> list[str]:
    """What differs between the vendored files and the lock (empty when they agree)."""
    lock = json.loads((folder / LOCK.name).read_text(encoding="utf-8"))
    problems = []
    for package in lock["packages"]:
        for target, entry in package["files"].items():
            path = folder / target
            if not path.is_file():
                problems.append(f"{target} ({package['name']}) is missing")
            elif sha256(path.read_bytes()) != entry["sha256"]:
                problems.append(f"{target} ({package['name']}) differs from the lock")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify against the lock")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        print("vendored files match the lock" if not problems else "MISMATCH")
        return 1 if problems else 0
    try:
        packages = vendor()
    except (VendorError, OSError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    for package in packages:
        print(f"{package['name']}@{package['version']}: {', '.join(package['files'])}")
    print(f"written to {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
