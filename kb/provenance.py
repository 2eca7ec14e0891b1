"""Provenance: where every output of kb came from, stamped in the output itself.

A `Provenance` says which kb (``kb_version``), which schema (``schema_version``), which state
of the case (``data_version``: the journal's sequence number, `kb.journal.head`; and the
case's content ``fingerprint``, `kb.fingerprint`), which command with its parameters and
seed, and when (``generated_at``, UTC). The command that produces an output declares itself
once (`running`, which the CLI does for every command); `stamp` reads the journal's head and
builds the provenance every writer of that command then uses (`current`).

The fingerprint costs a read of the whole case when it is not yet kept for the data
version, so `stamp` leaves it to the first output that needs it (`current`): ``kb status``
and a command that prints only a table never read the case for it. Under ``--known-at`` it
is computed at once, in the rebuilt state, before that state is rolled back. A command that
writes the case records the version it began from, and a fingerprint only if it was known
then (``""`` otherwise: the state it began from can no longer be read).

Each format carries it in its own place (docs/output.md, docs/exports.md): JSON a top-level
``provenance`` object (a list is wrapped as ``{"records": [...], "provenance": {...}}``),
a CSV folder a sidecar ``<folder>.provenance.json``, PNG a ``tEXt`` chunk, SVG a
``<metadata id="kb-provenance">``, GEXF its ``<meta>`` description, GraphML a graph-level
``<data>``, HTML a ``<script type="application/json" id="kb-provenance">`` block.
`read_provenance` reads it back from any of them; `without_provenance` gives the content the
provenance is about, which `kb verify` compares.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, overload

from kb.errors import ExitCode, KBError

KEY = "kb-provenance"  # the name of the block, chunk or key in every format
RECORDS = "records"  # where a JSON list goes once it carries its provenance
SIDECAR_SUFFIX = ".provenance.json"
GRAPHML_KEY = "kb_provenance"
GEXF_MARK = "kb-provenance: "


class NoProvenanceError(KBError):
    """A file kb did not write, or wrote without provenance."""

    exit_code = ExitCode.INVALID_INPUT


@dataclass(frozen=True)
class Command:
    """The command an output comes from: its words as given (connection options left out:
    they hold no part of the answer and may hold credentials), its parameters as resolved
    (defaults written out) and the seed of its random draws (drawn when none was given)."""

    argv: tuple[str, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None

    def data(self) -> dict[str, Any]:
        return {
            "argv": list(self.argv),
            "parameters": _plain(dict(self.parameters)),
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Provenance:
    """Where an output came from (docs/output.md)."""

    kb_version: str
    schema_version: int
    data_version: int
    fingerprint: str
    command: dict[str, Any]
    generated_at: str

    def data(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        """The provenance as compact JSON (what every file format embeds)."""
        return json.dumps(self.data(), ensure_ascii=False, sort_keys=True)

    def words(self) -> str:
        """One line for people (the report's footer)."""
        argv = " ".join(self.command.get("argv") or [])
        return (
            f"kb {self.kb_version}, schema {self.schema_version}, data version "
            f"{self.data_version} (fingerprint {self.fingerprint or 'none'}), "
            f"generated {self.generated_at}" + (f" by: kb {argv}" if argv else "")
        )

    @classmethod
    def from_data(cls, data: Any, *, where: str = "the provenance") -> Provenance:
        """Raises NoProvenanceError: ``data`` is not a provenance object."""
        try:
            return cls(
                kb_version=str(data["kb_version"]),
                schema_version=int(data["schema_version"]),
                data_version=int(data["data_version"]),
                fingerprint=str(data["fingerprint"]),
                command=dict(data["command"]),
                generated_at=str(data["generated_at"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise NoProvenanceError(f"{where} is not kb's provenance ({error}).") from None


@dataclass
class _Pending:
    """The fingerprint of the running command's provenance, to compute at first need: from
    ``db`` while the command holds it open, else from a connection opened again."""

    chain: str  # the journal's chain hash at the stamp: the version to fingerprint
    db: Any = None
    reopen: Callable[[], AbstractContextManager[Any]] | None = None

    def resolve(self) -> str:
        from kb.fingerprint import of_case

        if self.reopen is not None:
            with self.reopen() as db:
                return of_case(db, chain=self.chain)
        return of_case(self.db, chain=self.chain)


_COMMAND: ContextVar[Command | None] = ContextVar("kb_command", default=None)
_CURRENT: ContextVar[Provenance | None] = ContextVar("kb_provenance", default=None)
_PENDING: ContextVar[_Pending | None] = ContextVar("kb_fingerprint", default=None)


@contextmanager
def running(command: Command) -> Iterator[None]:
    """Declare the command whose outputs are written while the block runs."""
    command_token = _COMMAND.set(command)
    current_token = _CURRENT.set(None)
    pending_token = _PENDING.set(None)
    try:
        yield
    finally:
        _PENDING.reset(pending_token)
        _CURRENT.reset(current_token)
        _COMMAND.reset(command_token)


def reopen_with(reopen: Callable[[], AbstractContextManager[Any]]) -> None:
    """The running command closes its connection: a fingerprint still to compute will
    open one with ``reopen`` (a context manager giving a knowledge base)."""
    pending = _PENDING.get()
    if pending is not None:
        pending.reopen = reopen
        pending.db = None


def leave_fingerprint() -> None:
    """The running command's outputs do not compute the fingerprint (``kb status``, which
    must answer at once): they carry it only if it was already known."""
    _PENDING.set(None)


def mask_command(mask: Callable[[str], str]) -> None:
    """From now until the running command ends, its outputs carry its words and parameters
    passed through ``mask`` (a pseudonymised output: the words typed may hold a person's id
    or name, ``--ego p-…``, ``--title "…"``, a path). The seed and the data version stay."""
    command = _COMMAND.get()
    if command is not None:
        _COMMAND.set(
            Command(
                argv=tuple(mask(word) for word in command.argv),
                parameters=_masked(_plain(dict(command.parameters)), mask),
                seed=command.seed,
            )
        )
    now = _CURRENT.get()
    if now is not None:
        _CURRENT.set(replace(now, command=_masked(now.command, mask)))


def _masked(value: Any, mask: Callable[[str], str]) -> Any:
    """Every text in ``value`` (JSON values; keys too) through ``mask``."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {_masked(k, mask): _masked(v, mask) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v, mask) for v in value]
    return value


def stamp(db: Any, command: Command | None = None) -> Provenance:
    """The provenance of what is computed now from ``db``: one read of the journal's head,
    the fingerprint left to the first output that needs it (`current`) unless kept for this
    version or under ``--known-at``. It becomes `current` for the running command."""
    provenance = made(db, command, lazy=True)
    _CURRENT.set(provenance)
    return provenance


def for_output(db: Any) -> Provenance:
    """The provenance a writer stamps: the running command's, else (a library call, from
    a notebook) one made now with an empty command line."""
    return current() or made(db)


def made(db: Any, command: Command | None = None, *, lazy: bool = False) -> Provenance:
    """A provenance of what is computed now from ``db`` by ``command`` (default: the
    running command, else a library call: no command line).

    Args:
        lazy: leave a fingerprint not yet kept for this version to `current` (`stamp`).
    """
    from kb import __version__
    from kb.fingerprint import cached, of_case
    from kb.journal import head
    from kb.schema import SCHEMA_VERSION

    now = head(db)
    if getattr(db, "_held", None) is not None or not lazy:
        fingerprint = of_case(db, chain=now.chain)  # --known-at: of the rebuilt state
    else:
        fingerprint = cached(db) or ""
        _PENDING.set(None if fingerprint else _Pending(chain=now.chain, db=db))
    used = command or _COMMAND.get() or Command(argv=())
    recorded = used.data()
    consent = getattr(db, "consent_policy", None)
    if consent is not None:
        # The words typed may name an actor whose consent hides them (their id, their
        # name): the output records them as every output shows that actor.
        recorded = consent().apply([recorded])[0]
    provenance = Provenance(
        kb_version=__version__,
        schema_version=SCHEMA_VERSION,
        data_version=now.data_version,
        fingerprint=fingerprint,
        command=recorded,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )
    return provenance


def current() -> Provenance | None:
    """The provenance of the running command's outputs (None before `stamp`), its
    fingerprint computed now if it was left for later (`stamp`)."""
    now = _CURRENT.get()
    pending = _PENDING.get()
    if now is not None and pending is not None:
        _PENDING.set(None)
        now = replace(now, fingerprint=pending.resolve())
        _CURRENT.set(now)
    return now


def _plain(value: Any) -> Any:
    """``value`` as JSON values (paths, enums and dates as text)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return value.value
    return str(value)


# JSON -------------------------------------------------------------------------------------


def with_provenance(data: Any, provenance: Provenance | None) -> Any:
    """A command's JSON result with its provenance: an object gains a top-level
    ``provenance``; a list becomes ``{"records": [...], "provenance": {...}}``."""
    if provenance is None:
        return data
    if isinstance(data, Mapping):
        return {**data, "provenance": provenance.data()}
    return {RECORDS: data, "provenance": provenance.data()}


def json_result(document: Any) -> Any:
    """The result a JSON output carries, without its provenance (a list unwrapped)."""
    if isinstance(document, dict) and "provenance" in document:
        rest = {k: v for k, v in document.items() if k != "provenance"}
        return rest[RECORDS] if set(rest) == {RECORDS} else rest
    return document


# Files ------------------------------------------------------------------------------------


def sidecar(folder: str | Path) -> Path:
    """The provenance file of a folder of files (CSV exports, waves): beside it."""
    folder = Path(folder).absolute()  # `.` or `..` has no name of its own
    if folder.name in ("", ".", ".."):
        folder = folder.resolve()
    if not folder.name:
        raise KBError(f"cannot use {str(folder)!r}: the root folder has no place beside it.")
    return folder.with_name(folder.name + SIDECAR_SUFFIX)


def write_sidecar(folder: str | Path, db: Any) -> Path:
    """Write the provenance (`for_output`) beside a folder of files read from ``db``."""
    from kb.case_files import write_case_file

    provenance = for_output(db)
    path = sidecar(folder)
    write_case_file(path, json.dumps(provenance.data(), ensure_ascii=False, indent=2) + "\n")
    return path


def stamp_meta(gexf: Any, db: Any) -> None:
    """Append the provenance (`for_output`) to a GEXF document's ``<meta>`` description
    (the one free text GEXF 1.3 has there; Gephi shows it)."""
    provenance = for_output(db)
    description = gexf.find("meta/description")
    if description is None:
        return
    description.text = f"{description.text or ''} {GEXF_MARK}{provenance.text()}"


@overload
def stamped(data: str, kind: str, provenance: Provenance | None) -> str: ...
@overload
def stamped(data: bytes, kind: str, provenance: Provenance | None) -> bytes: ...
@overload
def stamped(data: bytes | str, kind: str, provenance: Provenance | None) -> bytes | str: ...
def stamped(data: bytes | str, kind: str, provenance: Provenance | None) -> bytes | str:
    """``data`` (a picture or page of kind ``png``, ``svg`` or ``html``) carrying
    ``provenance`` in its format's own place."""
    if provenance is None:
        return data
    if kind == "png":
        raw = data if isinstance(data, bytes) else data.encode()
        return _png_with(raw, provenance.text())
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if kind == "svg":
        element = f'<metadata id="{KEY}">{html.escape(provenance.text(), quote=False)}</metadata>'
        opening = re.search(r"<svg\b[^>]*>", text)
        if opening is None:
            raise ValueError("not an SVG document")
        text = text[: opening.end()] + "\n" + element + text[opening.end() :]
    elif kind == "html":
        text = _html_with(text, provenance)
    return text if isinstance(data, str) else text.encode("utf-8")


def html_block(provenance: Provenance) -> str:
    """The provenance of a page: a footer line and the JSON block machines read."""
    # "</" would end the script element early; JSON reads "<\/" as "</".
    machine = provenance.text().replace("</", "<\\/")
    return (
        f'<footer class="kb-provenance"><p>{html.escape(provenance.words())}</p></footer>\n'
        f'<script type="application/json" id="{KEY}">{machine}</script>\n'
    )


def _html_with(text: str, provenance: Provenance) -> str:
    end = text.rfind("</body>")
    if end < 0:
        return text + html_block(provenance)
    return text[:end] + html_block(provenance) + text[end:]


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(type, content, whole chunk) of each chunk of a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise NoProvenanceError("the file is not a PNG picture.")
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        yield kind, data[at + 8 : at + 8 + length], data[at : at + 12 + length]
        at += 12 + length


def _png_with(data: bytes, text: str) -> bytes:
    body = b"iTXt" + KEY.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    end = data.rfind(b"IEND") - 4  # the IEND chunk's length field
    return data[:end] + chunk + data[end:]


def _png_provenance(data: bytes) -> str | None:
    for kind, content, _ in _png_chunks(data):
        if kind == b"iTXt" and content.startswith(KEY.encode("latin-1") + b"\x00"):
            # keyword NUL, compression flag and method, language NUL, translated NUL, text
            rest = content[len(KEY) + 3 :]
            _, _, rest = rest.partition(b"\x00")
            _, _, text = rest.partition(b"\x00")
            return text.decode("utf-8")
    return None


_SVG_BLOCK = re.compile(rf'\n?<metadata id="{KEY}">(.*?)</metadata>', re.S)
_HTML_BLOCK = re.compile(
    rf'<footer class="kb-provenance">.*?</footer>\n?<script type="application/json" '
    rf'id="{KEY}">(.*?)</script>\n?',
    re.S,
)


def _graphml_key(text: str) -> str | None:
    """The id GraphML gave the provenance's key (networkx numbers keys: ``d0``, ``d1``...)."""
    for declaration in re.findall(r"<key\b[^>]*>", text):
        if f'attr.name="{GRAPHML_KEY}"' in declaration and 'for="graph"' in declaration:
            found = re.search(r'\bid="([^"]*)"', declaration)
            return found.group(1) if found else None
    return None


def read_provenance(path: str | Path) -> Provenance:
    """The provenance of a kb output, whatever its format.

    Raises:
        NoProvenanceError: the file has none (not written by kb, or by a kb before it).
        KBError: the file cannot be read.
    """
    path = Path(path)
    text = _provenance_text(path)
    if text is None:
        raise NoProvenanceError(
            f"{path} carries no kb provenance: only outputs of kb (JSON of a command, "
            "exports, waves, pictures, the report, the view) have one."
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NoProvenanceError(f"the provenance of {path} is not JSON ({error}).") from None
    return Provenance.from_data(data, where=f"the provenance of {path}")


def _provenance_text(path: Path) -> str | None:
    if path.is_dir():
        path = sidecar(path)
        if not path.exists():
            return None
    if not path.exists():
        raise KBError(f"cannot use {str(path)!r}: no such file or folder.")
    raw = path.read_bytes()
    if raw.startswith(b"\x89PNG"):
        return _png_provenance(raw)
    text = raw.decode("utf-8", errors="replace")
    if path.name.endswith(SIDECAR_SUFFIX) or text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            return None
        found = document.get("provenance") if isinstance(document, dict) else None
        if path.name.endswith(SIDECAR_SUFFIX):
            found = document
        return json.dumps(found) if found is not None else None
    for pattern in (_SVG_BLOCK, _HTML_BLOCK):
        match = pattern.search(text)
        if match:
            return html.unescape(match.group(1)).replace("<\\/", "</")
    key = _graphml_key(text)
    match = re.search(rf'<data key="{key}">(.*?)</data>', text, re.S) if key else None
    if match:
        return html.unescape(match.group(1))
    match = re.search(r"<description>(.*?)</description>", text, re.S)
    if match and GEXF_MARK in html.unescape(match.group(1)):
        return html.unescape(match.group(1)).split(GEXF_MARK, 1)[1]
    return None


def without_provenance(path: str | Path) -> Any:
    """What a kb output says apart from its provenance, as `kb verify` compares it: a JSON
    output's result; a folder's files (name to text); a PNG's chunks; a text file's lines
    (SVG, GEXF, GraphML, HTML) with the provenance block removed."""
    path = Path(path)
    if path.is_dir():
        return {
            str(p.relative_to(path)): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(path.rglob("*"))
            if p.is_file()
        }
    raw = path.read_bytes()
    if raw.startswith(b"\x89PNG"):
        import hashlib

        # A picture's chunks by their order and type: pixels cannot be shown, only that
        # they differ (their size and digest).
        kept = [
            (kind, content)
            for kind, content, _ in _png_chunks(raw)
            if not (kind == b"iTXt" and content.startswith(KEY.encode("latin-1") + b"\x00"))
        ]
        return {
            f"chunk {i} ({kind.decode('latin-1')})": f"{len(content)} bytes, sha256 "
            + hashlib.sha256(content).hexdigest()[:16]
            for i, (kind, content) in enumerate(kept)
        }
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        try:
            return json_result(json.loads(text))
        except json.JSONDecodeError:
            pass
    text = _SVG_BLOCK.sub("", text)
    text = _HTML_BLOCK.sub("", text)
    key = _graphml_key(text)
    if key:
        text = re.sub(rf'<data key="{key}">.*?</data>\s*', "", text, flags=re.S)
        text = re.sub(rf'<key id="{key}"[^>]*/>\s*', "", text)
    text = re.sub(rf"\s*{re.escape(GEXF_MARK)}[^<]*", "", text)
    return text.splitlines()


def differences(recorded: Any, again: Any, where: str = "") -> list[str]:
    """Where two outputs (as `without_provenance` gives them) say different things, one
    line per value: ``where: recorded -> again``."""
    if isinstance(recorded, dict) and isinstance(again, dict):
        found: list[str] = []
        for key in list(recorded) + [k for k in again if k not in recorded]:
            at = f"{where}.{key}" if where else str(key)
            if key not in again:
                found.append(f"{at}: {_shown(recorded[key])} -> (absent)")
            elif key not in recorded:
                found.append(f"{at}: (absent) -> {_shown(again[key])}")
            elif isinstance(recorded[key], str) and isinstance(again[key], str):
                found += _text_differences(recorded[key], again[key], at)
            else:
                found += differences(recorded[key], again[key], at)
        return found
    if isinstance(recorded, list) and isinstance(again, list):
        if all(isinstance(x, str) for x in recorded + again):
            return _line_differences(recorded, again, where)
        key = _record_key(recorded, again)
        if key is not None:
            return _keyed_differences(recorded, again, key, where)
        found = (
            [f"{where}: {len(recorded)} items -> {len(again)}"]
            if len(recorded) != len(again)
            else []
        )
        for i, (old, new) in enumerate(zip(recorded, again, strict=False)):
            found += differences(old, new, f"{where}[{i}]")
        return found
    if recorded != again:
        return [f"{where or 'value'}: {_shown(recorded)} -> {_shown(again)}"]
    return []


# The fields that name a record in kb's outputs, most specific first.
_RECORD_KEYS = ("id", "tie", "unit", "actor", "evidence", "seq", "name", "type", "stage")


def _record_key(recorded: list[Any], again: list[Any]) -> str | None:
    """The field naming each record of two lists of records, when one names every record
    once on both sides: the records are then matched by it, not by position (a tie that
    gains an item moves in a sorted table; it has not changed into its neighbour)."""
    if not recorded or not again:
        return None
    if not all(isinstance(item, dict) for item in recorded + again):
        return None
    for key in _RECORD_KEYS:
        for side in (recorded, again):
            names = [item.get(key) for item in side]
            if any(not isinstance(n, str | int) or isinstance(n, bool) for n in names):
                break
            if len(set(names)) != len(names):
                break
        else:
            return key
    return None


def _keyed_differences(
    recorded: list[dict[str, Any]], again: list[dict[str, Any]], key: str, where: str
) -> list[str]:
    old = {item[key]: item for item in recorded}
    new = {item[key]: item for item in again}
    found: list[str] = []
    for name, item in old.items():
        at = f"{where}[{key}={name}]"
        if name not in new:
            found.append(f"{at}: {_shown(item)} -> (absent)")
        else:
            found += differences(item, new[name], at)
    found += [
        f"{where}[{key}={name}]: (absent) -> {_shown(item)}"
        for name, item in new.items()
        if name not in old
    ]
    if not found and list(old) != list(new):
        found.append(f"{where or 'value'}: the same records in another order")
    return found


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def _text_differences(old: str, new: str, where: str) -> list[str]:
    if old == new:
        return []
    if "\n" in old or "\n" in new:
        return _line_differences(old.splitlines(), new.splitlines(), where)
    return [f"{where}: {_shown(old)} -> {_shown(new)}"]


def _line_differences(old: list[str], new: list[str], where: str) -> list[str]:
    """The lines that differ (a file's text, a folder's table), as ``where line N``."""
    import difflib

    found = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        label = f"{where} line {i1 + 1}" if where else f"line {i1 + 1}"
        before = " | ".join(old[i1:i2]) or "(absent)"
        after = " | ".join(new[j1:j2]) or "(absent)"
        found.append(f"{label}: {_around(before, after)}")
    return found


def _around(old: str, new: str, room: int = 60) -> str:
    """``old -> new`` cut to where they differ (a long line: a GEXF written on one)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    first = max(0, start - room)

    def part(text: str) -> str:
        last = min(len(text), len(text) - end + room)
        return ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")

    return f"{part(old)} -> {part(new)}"
