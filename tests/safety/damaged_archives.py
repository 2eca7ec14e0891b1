"""A generated set of damaged kb backup archives, each with what was done to it.

From one good archive: bytes flipped inside each member's compressed data (at its start,
middle and end), the compression method of each member's headers changed, the archive
cut short at several points, a member removed, and manifests of the wrong shape. Every one
must be refused by ``kb restore`` in one sentence (tests/safety/test_backup_damage.py).
"""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # zip local file header, 30 bytes


def _flip(data: bytearray, offset: int) -> None:
    data[offset] ^= 0xFF


def _members(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as archive:
        return archive.infolist()


def _data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    fields = LOCAL_HEADER.unpack_from(data, info.header_offset)
    name_length, extra_length = int(fields[-2]), int(fields[-1])
    return info.header_offset + LOCAL_HEADER.size + name_length + extra_length


def _central_entry(data: bytes, name: str) -> int:
    """The offset of ``name``'s central directory header."""
    encoded = name.encode()
    offset = data.index(b"PK\x01\x02")
    while True:
        name_length = int.from_bytes(data[offset + 28 : offset + 30], "little")
        if data[offset + 46 : offset + 46 + name_length] == encoded:
            return offset
        extra = int.from_bytes(data[offset + 30 : offset + 32], "little")
        comment = int.from_bytes(data[offset + 32 : offset + 34], "little")
        offset += 46 + name_length + extra + comment


def _rewritten(good: Path, change: Callable[[dict[str, bytes]], None]) -> bytes:
    """The archive with its members changed by ``change`` (name -> content), recompressed."""
    with zipfile.ZipFile(good) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    change(members)
    out = Path(str(good) + ".rewrite")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    data = out.read_bytes()
    out.unlink()
    return data


def _manifest_as(value: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        members["manifest.json"] = json.dumps(value(manifest)).encode()

    return change


def _with(manifest: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**manifest, **fields}


def damaged_archives(good: Path) -> Iterator[tuple[str, bytes]]:
    """(what was done, the damaged archive's bytes) for each kind of damage."""
    original = good.read_bytes()
    for info in _members(good):
        start = _data_start(original, info)
        size = info.compress_size
        for where, offset in (("start", 2), ("middle", size // 2), ("end", size - 3)):
            if size > 4:
                data = bytearray(original)
                _flip(data, start + min(max(offset, 0), size - 1))
                yield f"{info.filename}: a byte flipped at the {where} of its data", bytes(data)
        # The central directory's compression method is the one zipfile reads: 99 (AES)
        # and 1 (shrink) are methods Python cannot decompress.
        entry = _central_entry(original, info.filename)
        for method in (99, 1):
            data = bytearray(original)
            data[entry + 10 : entry + 12] = method.to_bytes(2, "little")
            yield f"{info.filename}: compression method {method} in the directory", bytes(data)
    for share in (0.1, 0.5, 0.9, 0.999):
        yield f"cut at {share:.1%} of its length", original[: int(len(original) * share)]
    yield "empty file", b""
    yield "not a zip at all", b"this is not a backup\n" * 10

    def drop(name: str) -> Callable[[dict[str, bytes]], None]:
        def change(members: dict[str, bytes]) -> None:
            del members[name]

        return change

    for name in ("nodes.jsonl", "schema.json", "manifest.json"):
        yield f"{name} removed", _rewritten(good, drop(name))
    shapes: dict[str, Callable[[dict[str, Any]], Any]] = {
        "manifest is []": lambda m: [],
        "manifest is a string": lambda m: "kb-backup",
        "manifest files is a list": lambda m: _with(m, files=list(m["files"])),
        "manifest files entry is null": lambda m: _with(
            m, files={**m["files"], "nodes.jsonl": None}
        ),
        "manifest size is text": lambda m: _with(
            m, files={**m["files"], "schema.json": {**m["files"]["schema.json"], "bytes": "1"}}
        ),
        "manifest counts missing": lambda m: {k: v for k, v in m.items() if k != "counts"},
        "manifest fingerprint is a number": lambda m: _with(m, fingerprint=1),
        "manifest format_version is a list": lambda m: _with(m, format_version=[1]),
    }
    for what, shape in shapes.items():
        yield what, _rewritten(good, _manifest_as(shape))

    def not_json(members: dict[str, bytes]) -> None:
        members["manifest.json"] = b"{not json"

    def not_utf8(members: dict[str, bytes]) -> None:
        members["manifest.json"] = b"\xff\xfe{}"

    yield "manifest is not JSON", _rewritten(good, not_json)
    yield "manifest is not UTF-8", _rewritten(good, not_utf8)
