"""A streaming reader of REFI-QDA projects (.qdpx): the codebook, the sources and the coded
passages of their plain text, exactly as the coders saw them.

A ``.qdpx`` is a zip holding ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``,
schema Project.xsd of the REFI-QDA standard 1.5) and the sources under ``Sources/``,
referenced as ``internal://<file>``. This module knows the format only; what the codes mean
to kb is `kb.imports.qda`'s business. It never touches the database.

Memory stays flat with project size: the XML is streamed with ``lxml.etree.iterparse``
(elements are cleared once read), and one source's text is held at a time.

Safety: a ``project.qde`` that declares a DTD is refused (REFI-QDA files have none, and a DTD
is how entity-expansion and external-entity attacks come in); entities are never resolved,
nothing is fetched from the network, and every zip member is read through a size limit, so a
zip bomb stops at the limit instead of filling memory or disk.

Positions. The standard counts Unicode code points of the plain text file from 0, the end
exclusive. Exporters differ: QualCoder writes the text with a UTF-8 byte-order mark and
counts from after it; ATLAS.ti counts a CRLF line break as one character; programs built on
UTF-16 strings count a character outside the Basic Multilingual Plane (an emoji) as two.
For each source the reader picks the counting under which the most selections' ``name``
(QualCoder and others write the selected text there) equals the text at their positions,
falling back to the standard's counting (or ATLAS.ti's, for its files) when names are labels.
"""

from __future__ import annotations

import bisect
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kb.errors import ImportFileError, Issue

if TYPE_CHECKING:
    from lxml.etree import _Element

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
QDE = "project.qde"

# Limits against zip bombs and runaway files (uncompressed sizes, checked while reading).
MAX_QDE_BYTES = 1 << 30  # 1 GiB of XML is ~5 million coded passages
MAX_SOURCE_BYTES = 64 << 20  # one plain-text source: 64 MiB is ~30,000 pages
MAX_MEMBERS = 100_000

_GUID = re.compile(
    r"^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$"
)
_BOM = "\ufeff"


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


TEXT_SOURCE = _tag("TextSource")
PDF_SOURCE = _tag("PDFSource")
REPRESENTATION = _tag("Representation")
SELECTION = _tag("PlainTextSelection")
PLAIN_TEXT = _tag("PlainTextContent")
CODING = _tag("Coding")
CODE_REF = _tag("CodeRef")
CODE = _tag("Code")
CODEBOOK = _tag("CodeBook")
USER = _tag("User")
VARIABLE = _tag("Variable")
VARIABLE_VALUE = _tag("VariableValue")
VARIABLE_REF = _tag("VariableRef")
DESCRIPTION = _tag("Description")
CASE = _tag("Case")
SOURCE_REF = _tag("SourceRef")
PROJECT = _tag("Project")
OTHER_SOURCES = frozenset(_tag(name) for name in ("PictureSource", "AudioSource", "VideoSource"))
VALUE_TAGS = frozenset(
    _tag(name)
    for name in (
        "TextValue",
        "BooleanValue",
        "IntegerValue",
        "FloatValue",
        "DateValue",
        "DateTimeValue",
    )
)


def normalize_guid(value: str | None) -> str | None:
    """A GUID in lower case without braces; None if `value` is not a GUID."""
    if value is None:
        return None
    match = _GUID.match(value.strip())
    return match.group(1).lower() if match else None


# --- what a project holds ------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """A code of the codebook.

    Attributes:
        guid: normalised GUID.
        name: as written.
        path: names from the top-level code down to this one.
        line: line of its element in project.qde.
        children: number of direct sub-codes.
        description: its Description, if any.
    """

    guid: str
    name: str
    path: tuple[str, ...]
    line: int
    children: int = 0
    description: str | None = None


@dataclass
class Source:
    """A text source (a TextSource, or a PDFSource's text Representation).

    Attributes:
        guid: normalised GUID of the source element (the PDFSource's for a PDF).
        name: the source's name.
        line: line of its element in project.qde.
        kind: "text" or "pdf".
        text_path: the plainTextPath (``internal://…``), None for inline text or none.
        variables: variable name (lower case) -> value as text, from the source's own
            VariableValues and, where it has none of that name, from the cases referring
            to it.
        selections: number of coded PlainTextSelections.
        cases: names of the cases referring to it (a case is often the interviewee: kb
            reads it as the informant of the source's passages, kb.imports.qda).
    """

    guid: str
    name: str
    line: int
    kind: str = "text"
    text_path: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    selections: int = 0
    cases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Passage:
    """A coded stretch of a source's text: the selections with the same positions, merged.

    Attributes:
        guid: GUID of the first selection (in file order) covering these positions.
        source: GUID of the source.
        start: first position as written in project.qde.
        end: position after the last, as written.
        quote: the text between them, line breaks as ``\\n``.
        codes: GUIDs of the codes applied, in file order, without repeats.
        coder: name of the user who made the first selection (or coding).
        created: creationDateTime of the first selection, as written.
        note: the Description of the selections, joined.
        line: line of the first selection's element in project.qde.
        guids: every merged selection's GUID.
    """

    guid: str
    source: str
    start: int
    end: int
    quote: str
    codes: tuple[str, ...]
    coder: str | None
    created: str | None
    note: str | None
    line: int
    guids: tuple[str, ...]


@dataclass
class Project:
    """The header of a project: everything but the passages (`read_passages` streams those).

    Attributes:
        path: the .qdpx file.
        name: the Project's name attribute (the file name's stem when absent).
        origin: the program that wrote it (``origin`` attribute), e.g. "ATLAS.ti 23".
        users: GUID -> user name.
        codes: GUID -> code, in codebook order.
        sources: GUID -> text source, in file order.
        issues: problems that stop an import (file, line, message).
        warnings: things left out or read in a non-standard way.
        skipped: codings on sources kb cannot quote (pictures, audio, video), by source name.
    """

    path: Path
    name: str
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def issue(self, line: int | None, message: str, hint: str = "") -> None:
        """Record a problem located in project.qde."""
        self.issues.append(Issue(QDE, line, None, message, hint))


# --- the zip ------------------------------------------------------------------------------


class _Limited:
    """A read-only stream that fails once more than `limit` bytes came out of it."""

    def __init__(self, stream: IO[bytes], limit: int, name: str) -> None:
        self.stream = stream
        self.limit = limit
        self.name = name
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size >= 0 else self.limit + 1 - self.count)
        self.count += len(chunk)
        if self.count > self.limit:
            raise ImportFileError(
                f"{self.name} is larger than {self.limit >> 20} MiB uncompressed; kb does not "
                "read members that large (a damaged or malicious .qdpx?)."
            )
        return chunk


def _key(name: str) -> str:
    return name.replace("\\", "/").lower().lstrip("/")


class Archive:
    """The members of a .qdpx, looked up case-insensitively, read through size limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as e:
            raise ImportFileError(f"Cannot read {path.name} as a .qdpx (zip) file: {e}") from e
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ImportFileError(
                f"{path.name} holds {len(infos)} files; kb reads at most {MAX_MEMBERS}."
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        # Names that differ only by case (Sources/A.txt, Sources/a.txt): kb looks members up
        # case-insensitively, as QDA programs name the folder differently, so such a name
        # is ambiguous and is reported, never resolved to one of them silently.
        self.ambiguous: dict[str, list[str]] = {}
        for info in infos:
            key = info.filename.replace("\\", "/").lower()
            if key in self.members and not info.filename.endswith("/"):
                self.ambiguous.setdefault(key, [self.members[key].filename]).append(info.filename)
            self.members.setdefault(key, info)

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member called `name` (any case; ``Sources/`` or ``sources/``)."""
        return self.members.get(_key(name))

    def namesakes(self, name: str) -> list[str]:
        """The members whose names equal `name` but for case, when there are several."""
        return self.ambiguous.get(_key(name), [])

    @contextmanager
    def open(self, info: zipfile.ZipInfo, limit: int) -> Iterator[_Limited]:
        """Stream one member, failing past `limit` bytes whatever its header claims."""
        if info.file_size > limit:
            raise ImportFileError(
                f"{self.path.name}: {info.filename} is {info.file_size >> 20} MiB "
                f"uncompressed; kb reads members of at most {limit >> 20} MiB."
            )
        try:
            with self.zip.open(info) as stream:
                yield _Limited(stream, limit, f"{self.path.name}: {info.filename}")
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            zlib.error,  # a damaged deflate stream
            NotImplementedError,  # a compression method Python cannot read
        ) as e:
            raise ImportFileError(
                f"{self.path.name}: cannot read {info.filename} (damaged): {e}"
            ) from e

    def read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """The whole member, at most `limit` bytes."""
        with self.open(info, limit) as stream:
            return stream.read()

    def qde(self) -> zipfile.ZipInfo:
        """The project.qde member."""
        info = self.find(QDE)
        if info is None:
            found = [i for key, i in self.members.items() if key.endswith(".qde")]
            if len(found) != 1:
                raise ImportFileError(
                    f"{self.path.name} has no project.qde: is it a REFI-QDA project export (.qdpx)?"
                )
            info = found[0]
        if namesakes := self.namesakes(info.filename):
            raise ImportFileError(
                f"{self.path.name} holds {len(namesakes)} files named {QDE} but for case "
                f"({', '.join(namesakes)}); kb cannot tell which is the project."
            )
        return info


def _iterparse(stream: Any, root: str = PROJECT, name: str = QDE) -> Iterator[tuple[str, _Element]]:
    """Stream the XML safely: no DTD, no entity resolution, no network."""
    from lxml import etree

    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    checked = False
    try:
        for event, element in events:
            if not checked:
                checked = True
                info = element.getroottree().docinfo
                if info.internalDTD is not None or info.doctype:
                    raise ImportFileError(
                        f"{name} declares a DTD; REFI-QDA files have none, and kb refuses "
                        "DTDs (they carry XML entity attacks)."
                    )
                if element.tag != root:
                    raise ImportFileError(
                        f"{name}: the root element is {element.tag}, not {root}: not a "
                        "REFI-QDA file of that kind."
                    )
            yield event, element
    except etree.XMLSyntaxError as e:
        raise ImportFileError(f"{name}: line {e.lineno}: invalid XML: {e.msg}") from e


def _release(element: _Element) -> None:
    """Free an element that has been read, and its already-read siblings."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _done_with(tag: str, depth: int) -> bool:
    """Whether an element just ended can be freed: items of the Project's collections (Users/
    User, Sources/TextSource, Codes/Code at the top, ...) and selections and variable values,
    which are read whole at their end; their children are read through them."""
    return 0 < depth <= 3 or tag in (SELECTION, VARIABLE_VALUE)


def _text_of(element: _Element) -> str | None:
    text = element.text
    return text if text and text.strip() else None


def _description(element: _Element) -> str | None:
    for child in element:
        if child.tag == DESCRIPTION:
            return _text_of(child)
    return None


def _variable_value(element: _Element, variables: dict[str, str]) -> tuple[str, str] | None:
    name = value = None
    for child in element:
        if child.tag == VARIABLE_REF:
            name = variables.get(normalize_guid(child.get("targetGUID")) or "")
        elif child.tag in VALUE_TAGS and child.text is not None:
            value = child.text.strip()
    if name is None or not value:
        return None
    return name.strip().lower(), value


# --- the header pass ----------------------------------------------------------------------


def read_project(path: str | Path) -> Project:
    """Read a .qdpx's users, codebook, variables, cases and sources (not the passages).

    Raises:
        ImportFileError: not a readable .qdpx / REFI-QDA project, or over a size limit.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"No such file: {path}")
    archive = Archive(path)
    try:
        project = Project(path=path, name=path.stem)
        with archive.open(archive.qde(), MAX_QDE_BYTES) as stream:
            header = _HeaderReader(project)
            header.run(_iterparse(stream))
            header.apply_cases()
        _check_text_files(project, archive)
        return project
    finally:
        archive.close()


class _HeaderReader:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.variables: dict[str, str] = {}  # variable guid -> name
        self.code_stack: list[tuple[str, str]] = []  # (guid, name) of open codes
        self.code_lines: dict[str, tuple[int, str | None]] = {}
        self.children: dict[str, int] = {}
        self.codebook_depth = 0
        self.source: Source | None = None  # the text source being read
        self.pdf: tuple[str, str, int] | None = None  # (guid, name, line) of the open PDF
        self.case_sources: list[str] = []
        self.case_values: dict[str, str] = {}
        self.cases: list[tuple[str, list[str], dict[str, str]]] = []  # name, sources, values
        self.in_case = False
        self.seen_selections: set[str] = set()

    def run(self, events: Iterator[tuple[str, _Element]]) -> None:
        project = self.project
        depth = 0
        for event, element in events:
            tag = element.tag
            if event == "start":
                depth += 1
                self._start(tag, element)
                continue
            depth -= 1
            if tag == CODE and self.codebook_depth:
                self._end_code(element)
            elif tag == CODEBOOK:
                self.codebook_depth = 0
            elif tag == USER:
                guid = normalize_guid(element.get("guid"))
                if guid:
                    project.users[guid] = (element.get("name") or "").strip() or guid
            elif tag == VARIABLE:
                guid = normalize_guid(element.get("guid"))
                if guid and element.get("name"):
                    self.variables[guid] = element.get("name", "")
            elif tag == SELECTION:
                self._end_selection(element)
            elif tag == VARIABLE_VALUE:
                self._end_variable_value(element)
            elif tag == SOURCE_REF and self.in_case:
                guid = normalize_guid(element.get("targetGUID"))
                if guid:
                    self.case_sources.append(guid)
            elif tag == CASE:
                self._end_case(element)
            elif tag in (TEXT_SOURCE, REPRESENTATION):
                self.source = None
            elif tag == PDF_SOURCE:
                self.pdf = None
            elif tag in OTHER_SOURCES:
                self._end_other_source(element)
            if _done_with(tag, depth) and not self.code_stack:
                _release(element)

    def _start(self, tag: str, element: _Element) -> None:
        project = self.project
        if tag == PROJECT:
            project.name = (element.get("name") or "").strip() or project.name
            project.origin = (element.get("origin") or "").strip()
        elif tag == CODEBOOK:
            self.codebook_depth = 1
        elif tag == CODE and self.codebook_depth:
            guid = normalize_guid(element.get("guid"))
            name = (element.get("name") or "").strip()
            line = element.sourceline or 0
            if guid is None:
                project.issue(line, f"code {name!r} has no valid guid")
                guid = f"line-{line}"
            if self.code_stack:
                parent = self.code_stack[-1][0]
                self.children[parent] = self.children.get(parent, 0) + 1
            self.code_stack.append((guid, name))
            path = tuple(n for _, n in self.code_stack)
            if guid in project.codes:
                project.issue(line, f"code guid {guid} is used twice")
            project.codes[guid] = Code(guid, name, path, line)
        elif tag == TEXT_SOURCE:
            self._open_source(element, element.get("name"), "text")
        elif tag == PDF_SOURCE:
            guid = normalize_guid(element.get("guid")) or f"line-{element.sourceline}"
            self.pdf = (guid, (element.get("name") or "").strip(), element.sourceline or 0)
        elif tag == REPRESENTATION and self.pdf is not None:
            self._open_source(element, None, "pdf")
        elif tag == CASE:
            self.in_case = True
            self.case_sources = []
            self.case_values = {}

    def _open_source(self, element: _Element, name: str | None, kind: str) -> None:
        project = self.project
        line = element.sourceline or 0
        if kind == "pdf" and self.pdf is not None:
            guid, name, line = self.pdf
        else:
            guid = normalize_guid(element.get("guid")) or ""
            if not guid:
                project.issue(line, f"source {name!r} has no valid guid")
                guid = f"line-{line}"
        name = (name or "").strip() or guid
        if guid in project.sources:
            project.issue(line, f"source guid {guid} is used twice")
        source = Source(guid, name, line, kind, element.get("plainTextPath"))
        project.sources[guid] = source
        self.source = source

    def _end_code(self, element: _Element) -> None:
        guid, _ = self.code_stack.pop()
        code = self.project.codes[guid]
        self.project.codes[guid] = Code(
            code.guid,
            code.name,
            code.path,
            code.line,
            self.children.get(guid, 0),
            _description(element),
        )

    def _end_selection(self, element: _Element) -> None:
        source = self.source
        if source is None:
            return
        guid = normalize_guid(element.get("guid"))
        if guid is None:
            self.project.issue(element.sourceline, "a PlainTextSelection has no valid guid")
        elif guid in self.seen_selections:
            self.project.issue(element.sourceline, f"selection guid {guid} is used twice")
        else:
            self.seen_selections.add(guid)
        if any(child.tag == CODING for child in element):
            source.selections += 1

    def _end_variable_value(self, element: _Element) -> None:
        pair = _variable_value(element, self.variables)
        if pair is None:
            return
        if self.in_case:
            self.case_values.setdefault(*pair)
        elif self.source is not None:
            self.source.variables.setdefault(*pair)
        elif self.pdf is not None:
            # A PDF's variables sit on the PDFSource, after its Representation.
            source = self.project.sources.get(self.pdf[0])
            if source is not None:
                source.variables.setdefault(*pair)

    def _end_case(self, element: _Element) -> None:
        # The standard puts Cases before Sources: a case is applied once every source is read.
        self.in_case = False
        name = (element.get("name") or "").strip()
        self.cases.append((name, self.case_sources, self.case_values))
        self.case_sources = []
        self.case_values = {}

    def apply_cases(self) -> None:
        """Give each source the name and the variables of the cases referring to it (its
        own variables win)."""
        for name, guids, values in self.cases:
            for guid in guids:
                source = self.project.sources.get(guid)
                if source is None:
                    continue
                if name:
                    source.cases.append(name)
                for variable, value in values.items():
                    source.variables.setdefault(variable, value)

    def _end_other_source(self, element: _Element) -> None:
        codings = sum(1 for node in element.iter(CODING))
        if codings:
            name = (element.get("name") or "").strip() or "(unnamed)"
            self.project.skipped[name] = codings


def _check_text_files(project: Project, archive: Archive) -> None:
    for source in project.sources.values():
        path = source.text_path
        if path is None:
            continue
        if not path.lower().startswith("internal://"):
            if source.selections:
                project.issue(
                    source.line,
                    f"source {source.name!r} keeps its text outside the project ({path})",
                    "export the project with its sources embedded (internal://)",
                )
            continue
        info = _member(archive, path)
        if info is None:
            project.issue(
                source.line,
                f"source {source.name!r}: {path} is not in {project.path.name}",
                "the .qdpx is incomplete; export it again",
            )
        elif namesakes := archive.namesakes(info.filename):
            project.issue(
                source.line,
                f"source {source.name!r}: {path} matches {len(namesakes)} files of "
                f"{project.path.name} that differ only by case ({', '.join(namesakes)}); "
                "kb cannot tell which holds its text",
                "rename one of them, or export the project again",
            )


def _member(archive: Archive, internal: str) -> zipfile.ZipInfo | None:
    name = internal[len("internal://") :].lstrip("/")
    return archive.find(f"Sources/{name}") or archive.find(name)


# --- positions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counting:
    """How an exporter counted positions in a plain text.

    Attributes:
        bom: the byte-order mark counts as position 0.
        crlf_as_one: a CRLF line break counts as one character.
        utf16: positions are UTF-16 code units (a character beyond U+FFFF counts two).
    """

    bom: bool = False
    crlf_as_one: bool = False
    utf16: bool = False

    def describe(self) -> str:
        """The counting in words, for messages."""
        parts = []
        if self.bom:
            parts.append("counting the byte-order mark as a character")
        if self.crlf_as_one:
            parts.append("counting a CRLF line break as one character")
        if self.utf16:
            parts.append("counting UTF-16 units")
        return ", ".join(parts) or "in Unicode code points (the standard)"


class Text:
    """A source's plain text, sliced by positions under a counting."""

    def __init__(self, text: str, *, had_bom: bool) -> None:
        self.raw = text
        self.had_bom = had_bom
        self.has_crlf = "\r\n" in text
        self._views: dict[tuple[bool, bool], tuple[str, list[int]]] = {}

    def candidates(self, default: Counting) -> list[Counting]:
        """The countings that give different results on this text, the default first."""
        options = [default]
        for bom in {default.bom, self.had_bom} if self.had_bom else {False}:
            for crlf in (False, True) if self.has_crlf else (False,):
                for utf16 in (False, True) if self._has_astral() else (False,):
                    counting = Counting(bom, crlf, utf16)
                    if counting not in options:
                        options.append(counting)
        return options

    def _has_astral(self) -> bool:
        return any(ord(c) > 0xFFFF for c in self.raw) if not self.raw.isascii() else False

    def _view(self, counting: Counting) -> tuple[str, list[int]]:
        key = (counting.crlf_as_one, counting.utf16)
        if key not in self._views:
            text = self.raw.replace("\r\n", "\n") if counting.crlf_as_one else self.raw
            # UTF-16 offsets at which a character beyond U+FFFF starts (it takes two units).
            astral: list[int] = []
            if counting.utf16:
                extra = 0
                for index, char in enumerate(text):
                    if ord(char) > 0xFFFF:
                        astral.append(index + extra)
                        extra += 1
            self._views[key] = (text, astral)
        return self._views[key]

    def length(self, counting: Counting) -> int:
        """The text's length in the counting's units."""
        text, astral = self._view(counting)
        return len(text) + len(astral) + (1 if counting.bom else 0)

    def slice(self, start: int, end: int, counting: Counting) -> str | None:
        """The text between two positions, line breaks as ``\\n``; None if out of range."""
        text, astral = self._view(counting)
        if counting.bom:
            start, end = start - 1, end - 1
        if counting.utf16:
            start -= bisect.bisect_left(astral, start)
            end -= bisect.bisect_left(astral, end)
        if not 0 <= start <= end <= len(text):
            return None
        return text[start:end].replace("\r\n", "\n").replace("\r", "\n")


class TextDecodeError(ValueError):
    """A source's plain text cannot be read as text; ``offset`` is the byte where it fails."""

    def __init__(self, message: str, offset: int, hint: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.hint = hint


def decode_text(data: bytes) -> tuple[str, bool, str | None]:
    """Decode a plain-text source: (text without BOM, had a BOM, warning or None).

    UTF-8 is the standard; a UTF-16 file with its byte-order mark is read with a warning,
    and a file that is not UTF-8 at all as Windows-1252 with a warning. A file that claims
    an encoding by its byte-order mark but breaks it, or holds a NUL byte (UTF-16 written
    without a byte-order mark; no text file has one), is refused: its positions could not
    be trusted.

    Raises:
        TextDecodeError: the text cannot be read; the byte offset says where.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), True, None
        except UnicodeDecodeError as e:
            raise TextDecodeError(
                f"starts with a UTF-8 byte-order mark but byte {e.start + 3} "
                f"(0x{data[e.start + 3]:02x}) is not UTF-8",
                e.start + 3,
                "save the source as UTF-8 in the QDA program and export the project again",
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(data) % 2:
            raise TextDecodeError(
                f"is UTF-16 (byte-order mark) but has an odd number of bytes ({len(data)}): "
                f"byte {len(data) - 1} is half a character; the file is cut short",
                len(data) - 1,
                "export the project again",
            )
        try:
            return data.decode("utf-16"), True, "is UTF-16, not UTF-8 as REFI-QDA requires"
        except UnicodeDecodeError as e:
            raise TextDecodeError(
                f"is UTF-16 (byte-order mark) but the two bytes from byte {e.start} are not a "
                "character (a lone surrogate)",
                e.start,
                "export the project again",
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TextDecodeError(
            f"holds a NUL byte at byte {nul}: it looks like UTF-16 without a byte-order mark "
            "(or is not a text file)",
            nul,
            "save the source as UTF-8 in the QDA program and export the project again",
        )
    try:
        return data.decode("utf-8"), False, None
    except UnicodeDecodeError:
        return (
            data.decode("cp1252", errors="replace"),
            False,
            ("is not UTF-8 as REFI-QDA requires; read as Windows-1252"),
        )


def _normal(text: str) -> str:
    return " ".join(text.split())


def choose_counting(text: Text, selections: list[_Selection], default: Counting) -> Counting:
    """The counting under which most selections' names equal their text (else `default`)."""
    named = [s for s in selections if s.name]
    candidates = text.candidates(default)
    if len(candidates) == 1 or not named:
        return candidates[0]
    best, best_score = candidates[0], 0
    for counting in candidates:
        score = 0
        for selection in named:
            quote = text.slice(selection.start, selection.end, counting)
            if quote is not None and _normal(quote) == _normal(selection.name):
                score += 1
        if score > best_score:
            best, best_score = counting, score
    return best


# --- the passage pass -------------------------------------------------------------------------


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    line: int
    name: str
    user: str | None
    created: str | None
    note: str | None
    codes: list[tuple[str, str | None]]  # (code guid, coding's creating user)


def default_counting(origin: str) -> Counting:
    """How a program is known to count when its selections carry no text to check against."""
    return Counting(crlf_as_one="atlas" in origin.lower())


def read_passages(project: Project) -> Iterator[Passage]:
    """Stream the coded passages of every text source, in file order.

    Problems (unreadable text, positions outside it) are appended to ``project.issues``;
    non-standard position counting found in a source to ``project.warnings``.

    Raises:
        ImportFileError: the file cannot be read (it changed since `read_project`?).
    """
    archive = Archive(project.path)
    try:
        with archive.open(archive.qde(), MAX_QDE_BYTES) as stream:
            yield from _PassageReader(project, archive).run(_iterparse(stream))
    finally:
        archive.close()


class _PassageReader:
    def __init__(self, project: Project, archive: Archive) -> None:
        self.project = project
        self.archive = archive
        self.default = default_counting(project.origin)
        self.source: Source | None = None
        self.pdf: str | None = None
        self.inline: str | None = None
        self.selections: list[_Selection] = []

    def run(self, events: Iterator[tuple[str, _Element]]) -> Iterator[Passage]:
        depth = 0
        for event, element in events:
            tag = element.tag
            if event == "start":
                depth += 1
                if tag == PDF_SOURCE:
                    self.pdf = normalize_guid(element.get("guid")) or f"line-{element.sourceline}"
                elif tag == TEXT_SOURCE or (tag == REPRESENTATION and self.pdf):
                    guid = (
                        self.pdf
                        if tag == REPRESENTATION
                        else normalize_guid(element.get("guid")) or f"line-{element.sourceline}"
                    )
                    self.source = self.project.sources.get(guid or "")
                    self.inline = None
                    self.selections = []
                continue
            depth -= 1
            if tag == PLAIN_TEXT and self.source is not None:
                self.inline = element.text or ""
            elif tag == SELECTION and self.source is not None:
                self._selection(element)
            elif tag in (TEXT_SOURCE, REPRESENTATION) and self.source is not None:
                yield from self._passages()
                self.source = None
            elif tag == PDF_SOURCE:
                self.pdf = None
            if _done_with(tag, depth):
                _release(element)

    def _selection(self, element: _Element) -> None:
        codes: list[tuple[str, str | None]] = []
        for coding in element:
            if coding.tag != CODING:
                continue
            for ref in coding:
                if ref.tag == CODE_REF:
                    guid = normalize_guid(ref.get("targetGUID"))
                    if guid:
                        codes.append((guid, normalize_guid(coding.get("creatingUser"))))
        if not codes:
            return  # an annotation or a memo, not a coding
        line = element.sourceline or 0
        guid = normalize_guid(element.get("guid"))
        start, end = element.get("startPosition"), element.get("endPosition")
        try:
            first, last = int(start or ""), int(end or "")
        except ValueError:
            self.project.issue(
                line, f"selection {guid}: positions {start!r}-{end!r} are not whole numbers"
            )
            return
        if guid is None:
            return  # reported by the header pass
        self.selections.append(
            _Selection(
                guid,
                first,
                last,
                line,
                element.get("name") or "",
                normalize_guid(element.get("creatingUser") or element.get("modifyingUser")),
                element.get("creationDateTime") or element.get("modifiedDateTime"),
                _description(element),
                codes,
            )
        )

    def _load_text(self, source: Source) -> Text | None:
        if self.inline is not None:
            return Text(self.inline, had_bom=False)
        path = source.text_path
        if path is None:
            self.project.issue(source.line, f"source {source.name!r} has no plain text")
            return None
        info = _member(self.archive, path) if path.lower().startswith("internal://") else None
        if info is None or self.archive.namesakes(info.filename):
            return None  # reported by the header pass
        try:
            raw, had_bom, warning = decode_text(self.archive.read(info, MAX_SOURCE_BYTES))
        except TextDecodeError as e:
            self.project.issue(source.line, f"source {source.name!r} ({info.filename}) {e}", e.hint)
            return None
        if warning:
            self.project.warnings.append(f"Source {source.name!r} ({info.filename}) {warning}.")
        return Text(raw, had_bom=had_bom)

    def _passages(self) -> Iterator[Passage]:
        source = self.source
        assert source is not None
        selections = self.selections
        self.selections = []
        if not selections:
            return
        text = self._load_text(source)
        if text is None:
            return
        counting = choose_counting(text, selections, self.default)
        if counting != Counting():
            self.project.warnings.append(
                f"Source {source.name!r}: positions read {counting.describe()}."
            )
        # One passage per stretch of text and coder: selections of the same positions
        # by one coder are one passage (QualCoder writes one per code), but two coders'
        # selections stay apart, each their own evidence item, or the second coder would
        # vanish from inter-coder agreement (kb evidence agreement).
        groups: dict[tuple[int, int, str | None], list[_Selection]] = {}
        for selection in selections:
            user = selection.user or next((u for _, u in selection.codes if u), None)
            groups.setdefault((selection.start, selection.end, user), []).append(selection)
        users = self.project.users
        for (start, end, _), group in groups.items():
            first = group[0]
            quote = text.slice(start, end, counting)
            if quote is None:
                self.project.issue(
                    first.line,
                    f"selection {first.guid} in {source.name!r}: positions {start}-{end} are "
                    f"outside its text ({text.length(counting)} characters)",
                    "the text file and project.qde disagree; export the project again",
                )
                continue
            if start == end:
                self.project.warnings.append(
                    f"Selection {first.guid} in {source.name!r} (project.qde line "
                    f"{first.line}) is empty; skipped."
                )
                continue
            codes = tuple(dict.fromkeys(code for s in group for code, _ in s.codes))
            user = first.user or next((u for s in group for _, u in s.codes if u), None)
            notes = [s.note for s in group if s.note]
            yield Passage(
                guid=first.guid,
                source=source.guid,
                start=start,
                end=end,
                quote=quote,
                codes=codes,
                coder=users.get(user, user) if user else None,
                created=first.created,
                note="\n".join(dict.fromkeys(notes)) or None,
                line=first.line,
                guids=tuple(s.guid for s in group),
            )


def read_codebook(path: str | Path) -> list[Code]:
    """The codes of a REFI-QDA codebook file (.qdc), in file order, nested codes with their
    path.

    Raises:
        ImportFileError: not a readable codebook.
    """
    path = Path(path)
    code = f"{{{CODEBOOK_NS}}}Code"
    description = f"{{{CODEBOOK_NS}}}Description"
    codes: list[Code] = []
    stack: list[tuple[int, str]] = []  # (index in codes, name) of open codes
    children: dict[int, int] = {}
    try:
        stream = path.open("rb")
    except OSError as e:
        raise ImportFileError(f"Cannot read {path}: {e.strerror or e}") from e
    with stream:
        limited = _Limited(stream, MAX_QDE_BYTES, path.name)
        for event, element in _iterparse(limited, f"{{{CODEBOOK_NS}}}CodeBook", path.name):
            if element.tag != code:
                continue
            if event == "start":
                if stack:
                    children[stack[-1][0]] = children.get(stack[-1][0], 0) + 1
                name = (element.get("name") or "").strip()
                stack.append((len(codes), name))
                guid = normalize_guid(element.get("guid")) or ""
                path_names = tuple(n for _, n in stack)
                codes.append(Code(guid, name, path_names, element.sourceline or 0))
                continue
            index, _ = stack.pop()
            found = codes[index]
            text = next((_text_of(c) for c in element if c.tag == description), None)
            codes[index] = Code(
                found.guid, found.name, found.path, found.line, children.get(index, 0), text
            )
    return codes
