"""The RO-Crate 1.1 metadata of a published package (``ro-crate-metadata.json``).

The root data set carries DataCite's required properties (title as ``name``, creators as
``author`` with their ORCID iD as ``@id`` where known, ``publisher``, the publication year
as ``datePublished``, the resource type as ``additionalType``), the licence, keywords and
description; every file of the package is a ``File`` entity with its ``encodingFormat``,
``contentSize`` and ``sha256`` (schema.org's property for the checksum); how it was made is
a ``CreateAction`` whose instrument is kb, with its version, the command and the data
version (`kb.journal.head`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kb.publish.record import CaseRecord, Creator

METADATA_FILE = "ro-crate-metadata.json"
RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
RO_CRATE_SPEC = "https://w3id.org/ro/crate/1.1"
KB_ID = "#kb"
ACTION_ID = "#publish"
PUBLISHER_ID = "#publisher"


@dataclass(frozen=True)
class PackageFile:
    """One file of the package, as the crate and the README describe it.

    Attributes:
        path: relative to the package folder, ``/``-separated.
        encoding_format: its media type.
        description: what it is and what opens it.
        size: in bytes.
        sha256: hex digest of its bytes.
    """

    path: str
    encoding_format: str
    description: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Making:
    """How the package was made.

    Attributes:
        kb_version: kb's version.
        command: the command line that made it.
        data_version: the journal's data version of the case (`kb.journal.head`).
        fingerprint: the case's content fingerprint at that version.
        made_at: when, ISO 8601 with the time zone.
    """

    kb_version: str
    command: str
    data_version: int
    fingerprint: str
    made_at: str


def _id(value: str) -> dict[str, str]:
    return {"@id": value}


def _creator_entities(creators: Sequence[Creator]) -> tuple[list[dict[str, str]], list[Any]]:
    """(references for ``author``, the Person and Organization entities)."""
    refs: list[dict[str, str]] = []
    entities: list[Any] = []
    affiliations: dict[str, str] = {}
    for n, creator in enumerate(creators, start=1):
        person: dict[str, Any] = {
            "@id": creator.orcid or f"#creator-{n}",
            "@type": "Person",
            "name": creator.name,
        }
        if creator.orcid:
            person["identifier"] = creator.orcid
        if creator.affiliation:
            if creator.affiliation not in affiliations:
                affiliations[creator.affiliation] = f"#affiliation-{len(affiliations) + 1}"
                entities.append(
                    {
                        "@id": affiliations[creator.affiliation],
                        "@type": "Organization",
                        "name": creator.affiliation,
                    }
                )
            person["affiliation"] = _id(affiliations[creator.affiliation])
        refs.append(_id(person["@id"]))
        entities.append(person)
    return refs, entities


def _folders(files: Sequence[PackageFile]) -> dict[str, list[str]]:
    """Folder (``data/``) -> the files directly in it; ``./`` for the package's top."""
    folders: dict[str, list[str]] = {"./": []}
    for each in files:
        folder, _, _ = each.path.rpartition("/")
        if folder:
            key = folder + "/"
            if key not in folders:
                folders[key] = []
                folders["./"].append(key)
            folders[key].append(each.path)
        else:
            folders["./"].append(each.path)
    return folders


def crate_metadata(
    record: CaseRecord,
    files: Sequence[PackageFile],
    making: Making,
    *,
    folder_descriptions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The RO-Crate 1.1 JSON-LD document describing the package.

    Args:
        record: the checked case record (`kb.publish.record.case_record`).
        files: every file of the package but the metadata file itself.
        making: how the package was made.
        folder_descriptions: what each sub-folder (``data/``) holds.
    """
    folders = _folders(files)
    authors, people = _creator_entities(record.creators)
    root: dict[str, Any] = {
        "@id": "./",
        "@type": "Dataset",
        "identifier": record.id,
        "name": record.title,
        "description": record.description,
        "datePublished": record.publication_year,
        "author": authors,
        "creator": authors,
        "publisher": _id(PUBLISHER_ID),
        "license": _id(record.licence),
        "additionalType": record.resource_type,
        "version": str(making.data_version),
        "hasPart": [_id(p) for p in folders["./"]],
    }
    if record.keywords:
        root["keywords"] = list(record.keywords)
    graph: list[Any] = [
        {
            "@id": METADATA_FILE,
            "@type": "CreativeWork",
            "conformsTo": _id(RO_CRATE_SPEC),
            "about": _id("./"),
        },
        root,
    ]
    for folder, parts in folders.items():
        if folder != "./":
            entity = {
                "@id": folder,
                "@type": "Dataset",
                "name": folder.rstrip("/"),
                "hasPart": [_id(p) for p in parts],
            }
            if folder_descriptions and folder in folder_descriptions:
                entity["description"] = folder_descriptions[folder]
            graph.append(entity)
    for each in files:
        graph.append(
            {
                "@id": each.path,
                "@type": "File",
                "name": each.path.rpartition("/")[2],
                "description": each.description,
                "encodingFormat": each.encoding_format,
                "contentSize": str(each.size),
                "sha256": each.sha256,
            }
        )
    graph.extend(people)
    graph.append({"@id": PUBLISHER_ID, "@type": "Organization", "name": record.publisher})
    licence: dict[str, Any] = {
        "@id": record.licence,
        "@type": "CreativeWork",
        "name": record.licence_id or record.licence,
        "description": f"The licence of this data set: {record.licence_id or record.licence}.",
    }
    if record.licence_id:
        licence["identifier"] = record.licence_id
    graph.append(licence)
    graph.append(
        {
            "@id": KB_ID,
            "@type": "SoftwareApplication",
            "name": "kb",
            "version": making.kb_version,
            "description": "A knowledge base for longitudinal network studies, over Neo4j.",
        }
    )
    graph.append(
        {
            "@id": ACTION_ID,
            "@type": "CreateAction",
            "name": "kb publish",
            "description": (
                f"Made by `{making.command}` with kb {making.kb_version} from data version "
                f"{making.data_version} of case {record.id}"
                + (f" (fingerprint {making.fingerprint})." if making.fingerprint else ".")
            ),
            "instrument": _id(KB_ID),
            "object": _id(f"#case-{record.id}"),
            "result": _id("./"),
            "endTime": making.made_at,
        }
    )
    case: dict[str, Any] = {
        "@id": f"#case-{record.id}",
        "@type": "Dataset",
        "name": f"case {record.id} in kb, data version {making.data_version}",
        "version": str(making.data_version),
    }
    if making.fingerprint:  # the case's content fingerprint (kb.journal.head)
        case["identifier"] = making.fingerprint
    graph.append(case)
    return {"@context": RO_CRATE_CONTEXT, "@graph": graph}


def crate_json(metadata: dict[str, Any]) -> str:
    """The metadata as the file holds it: indented, keys in the order built, UTF-8 text."""
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
