"""The case record a published package is described with (the case table's publication
columns, docs/ethics.md, Publishing a package), read and checked before anything is written.

DataCite requires a title, creators, a publisher, a publication year and a resource type;
RO-Crate 1.1 requires a description and a licence for the root data set. Every problem is
collected, so the researcher fixes the case record once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.errors import ValidationError
from kb.store import Reader

DEFAULT_RESOURCE_TYPE = "Dataset"
# DataCite Metadata Schema 4.5, resourceTypeGeneral.
RESOURCE_TYPES = (
    "Audiovisual",
    "Book",
    "BookChapter",
    "Collection",
    "ComputationalNotebook",
    "ConferencePaper",
    "ConferenceProceeding",
    "DataPaper",
    "Dataset",
    "Dissertation",
    "Event",
    "Image",
    "Instrument",
    "InteractiveResource",
    "Journal",
    "JournalArticle",
    "Model",
    "OutputManagementPlan",
    "PeerReview",
    "PhysicalObject",
    "Preprint",
    "Report",
    "Service",
    "Software",
    "Sound",
    "Standard",
    "StudyRegistration",
    "Text",
    "Workflow",
    "Other",
)
# The case columns publishing cannot do without, in the order the refusal lists them.
REQUIRED = ("title", "description", "creators", "publisher", "publication_year", "licence")

ORCID_PREFIX = "https://orcid.org/"
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
# "Name <ORCID> (Affiliation)", both parts optional, in that order.
_CREATOR = re.compile(
    r"^(?P<name>[^<>()]+?)\s*(?:<(?P<orcid>[^<>]*)>)?\s*(?:\((?P<aff>[^()]*)\))?$"
)
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
SPDX_PREFIX = "https://spdx.org/licenses/"


@dataclass(frozen=True)
class Creator:
    """A creator of the data set: a person or an organisation.

    Attributes:
        name: as it should be cited (``Marie Tremblay``).
        orcid: the ORCID iD as a URL (``https://orcid.org/0000-...``), when known.
        affiliation: the creator's institution, when given.
    """

    name: str
    orcid: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    """What a published package says about itself, from the Case node.

    Attributes:
        id: the case's id.
        title: the data set's title.
        description: what the data set holds.
        creators: in citation order.
        publisher: who makes it available (the repository or institution).
        publication_year: four digits.
        licence: a URL (an SPDX id ``CC-BY-4.0`` becomes its spdx.org URL).
        licence_id: the SPDX id when one was given, else None.
        keywords: in the order given.
        resource_type: DataCite resourceTypeGeneral (``Dataset`` unless the record says).
    """

    id: str
    title: str
    description: str
    creators: tuple[Creator, ...]
    publisher: str
    publication_year: str
    licence: str
    licence_id: str | None
    keywords: tuple[str, ...]
    resource_type: str


def _orcid_checksum_ok(digits: str) -> bool:
    """ISO 7064 MOD 11-2, ORCID's check character."""
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[-1].upper() == ("X" if check == 10 else str(check))


def parse_orcid(text: str) -> str:
    """The ORCID URL of ``0000-0002-1825-0097`` or its URL form.

    Raises:
        ValueError: not an ORCID iD, or a wrong check character.
    """
    match = _ORCID.match(text.strip())
    if not match:
        raise ValueError(f"{text.strip()!r} is not an ORCID iD (0000-0002-1825-0097)")
    number = match.group(1).upper()
    if not _orcid_checksum_ok(number.replace("-", "")):
        raise ValueError(f"{number} is not an ORCID iD: its check character is wrong")
    return ORCID_PREFIX + number


def parse_creators(text: str) -> tuple[Creator, ...]:
    """Creators written ``Name <ORCID> (Affiliation); Name (Affiliation); Name``.

    Raises:
        ValueError: a creator without a name, or a malformed ORCID iD.
    """
    creators = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        match = _CREATOR.match(part)
        if not match:
            raise ValueError(
                f"creator {part!r} is not written Name <ORCID> (Affiliation), the ORCID and "
                "affiliation being optional"
            )
        orcid = match.group("orcid")
        affiliation = (match.group("aff") or "").strip()
        creators.append(
            Creator(
                name=match.group("name").strip(),
                orcid=parse_orcid(orcid) if orcid and orcid.strip() else None,
                affiliation=affiliation or None,
            )
        )
    return tuple(creators)


def parse_licence(text: str) -> tuple[str, str | None]:
    """(URL, SPDX id or None) of a licence written as an SPDX id or a URL.

    Raises:
        ValueError: neither an http(s) URL nor an SPDX-like id.
    """
    text = text.strip()
    if text.startswith(("https://", "http://")):
        if text.startswith(SPDX_PREFIX):
            return text, text.removeprefix(SPDX_PREFIX).removesuffix(".html")
        return text, None
    if _SPDX_ID.match(text):
        return SPDX_PREFIX + text, text
    raise ValueError(f"{text!r} is neither an SPDX licence id (CC-BY-4.0) nor a URL")


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def case_record(record: Mapping[str, Any] | None) -> CaseRecord:
    """Check the Case node's properties and give the record a package is described with.

    Args:
        record: the Case node's properties (None: the database has no Case node).

    Raises:
        ValidationError: fields are missing or malformed; the message lists every one.
    """
    if record is None:
        raise ValidationError(
            "The case has no case record (no row in case.csv): publishing needs "
            + ", ".join(REQUIRED)
            + " (docs/ethics.md, Publishing a package)."
        )
    problems = [f"{key} is missing" for key in REQUIRED if not _text(record, key)]
    creators: tuple[Creator, ...] = ()
    licence, licence_id = "", None
    try:
        creators = parse_creators(_text(record, "creators"))
    except ValueError as e:
        problems.append(f"creators: {e}")
    if _text(record, "licence"):
        try:
            licence, licence_id = parse_licence(_text(record, "licence"))
        except ValueError as e:
            problems.append(f"licence: {e}")
    year = _text(record, "publication_year")
    if year and not re.fullmatch(r"\d{4}", year):
        problems.append(f"publication_year: {year!r} is not a year of four digits")
    resource_type = _text(record, "resource_type") or DEFAULT_RESOURCE_TYPE
    if resource_type not in RESOURCE_TYPES:
        problems.append(
            f"resource_type: {resource_type!r} is not a DataCite resourceTypeGeneral "
            f"({', '.join(RESOURCE_TYPES)})"
        )
    if problems:
        raise ValidationError(
            f"Cannot publish case {_text(record, 'id') or '?'}: its case record (case.csv) "
            "lacks what a deposit needs:\n  "
            + "\n  ".join(problems)
            + "\n(docs/ethics.md, Publishing a package)"
        )
    keywords = tuple(k.strip() for k in _text(record, "keywords").split(";") if k.strip())
    return CaseRecord(
        id=_text(record, "id"),
        title=_text(record, "title"),
        description=_text(record, "description"),
        creators=creators,
        publisher=_text(record, "publisher"),
        publication_year=year,
        licence=licence,
        licence_id=licence_id,
        keywords=keywords,
        resource_type=resource_type,
    )


def read_case_record(db: Reader) -> CaseRecord:
    """The checked case record of the case in ``db``.

    Raises:
        ValidationError: fields are missing or malformed (all of them listed).
    """
    row = db.read_optional("case/record")
    return case_record(None if row is None else row["record"])
