"""kb's codebook as a REFI-QDA codebook (.qdc), for coders in any QDA program.

The codebook has two top-level codes, the coding convention of docs/qda.md: ``actors``
(kb's actors grouped by sector, each code named after the actor, its id in the
description) and ``ties`` (the case's tie types). GUIDs are derived from the ids
(`kb.imports.qda.code_guid`), so exporting twice gives the same codebook and a project
coded with it is matched on GUIDs first. The file is valid against Codebook.xsd of the
REFI-QDA standard 1.5 (namespace ``urn:QDA-XML:codebook:1.0``).

The codebook names people (a code per actor, its id in the description), so it is
pseudonymised like every export when asked: codes named by pseudonym, their GUIDs derived
from the pseudonym (a GUID derived from the id would confirm a guessed id: the namespace
is public), other names masked, generalised attributes (``sector``) left out, and a risk
report beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.analyses.vocabulary import require_case
from kb.exports.files import ExportResult, Target, opened, target_name, xml
from kb.imports.qda import ACTORS_CODE, TIES_CODE, code_guid
from kb.imports.refi import CODEBOOK_NS
from kb.model import SUGGESTED_TIE_TYPES
from kb.store import Reader

if TYPE_CHECKING:
    from kb.exports.pseudonymise import Pseudonymisation, Pseudonymiser

NO_SECTOR = "no sector"


def codebook_tree(actors: Sequence[Mapping[str, Any]], tie_types: Sequence[str]) -> ET.ElementTree:
    """The codebook XML of some actors (maps with id, name, sector) and tie types."""
    ET.register_namespace("", CODEBOOK_NS)

    def code(
        parent: ET.Element, guid: str, name: str, *, codable: bool, description: str | None = None
    ) -> ET.Element:
        element = ET.SubElement(
            parent,
            f"{{{CODEBOOK_NS}}}Code",
            {"guid": guid, "name": xml(name), "isCodable": "true" if codable else "false"},
        )
        if description:
            ET.SubElement(element, f"{{{CODEBOOK_NS}}}Description").text = xml(description)
        return element

    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": "kb export qdc"})
    codes = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    top = code(
        codes,
        code_guid("group", ACTORS_CODE),
        ACTORS_CODE,
        codable=False,
        description="kb actors: code a passage with every actor it names.",
    )
    names: dict[str, int] = {}
    for actor in actors:
        key = (actor.get("name") or actor["id"]).casefold()
        names[key] = names.get(key, 0) + 1
    by_sector: dict[str, list[Mapping[str, Any]]] = {}
    for actor in actors:
        by_sector.setdefault(actor.get("sector") or NO_SECTOR, []).append(actor)
    for sector in sorted(by_sector):
        group = code(top, code_guid("group", f"{ACTORS_CODE}/{sector}"), sector, codable=False)
        for actor in sorted(by_sector[sector], key=lambda a: ((a.get("name") or a["id"]), a["id"])):
            name = actor.get("name") or actor["id"]
            # Two actors with one name: the code names the id too, so each stays one actor.
            label = f"{name} ({actor['id']})" if names[name.casefold()] > 1 else name
            code(
                group,
                code_guid("actor", actor["id"]),
                label,
                codable=True,
                description=f"kb id: {actor['id']}",
            )
    ties = code(
        codes,
        code_guid("group", TIES_CODE),
        TIES_CODE,
        codable=False,
        description="kb tie types: code a passage naming two actors and how they are tied.",
    )
    for tie_type in tie_types:
        code(ties, code_guid("tie", tie_type), tie_type, codable=True)
    ET.indent(root)
    return ET.ElementTree(root)


def write_qdc(
    kb: Reader, target: Target, *, pseudonymise: Pseudonymisation | None = None
) -> ExportResult:
    """Write kb's actors and tie types as a REFI-QDA codebook (.qdc).

    Args:
        kb: the knowledge base to read.
        target: a file path, or a binary stream.
        pseudonymise: rename people (and organisations) and mask names as it says
            (`kb.exports.pseudonymise`), and write a risk report beside the codebook.

    Returns:
        Counts of actors, sectors and tie types written.

    Raises:
        ValidationError: pseudonymised to a stream (the risk report needs a place).
        KBError: the file cannot be written.
    """
    require_case(kb)
    actors = kb.read("export/actors")
    pseudonymiser = None
    if pseudonymise is not None:
        from kb.exports.network import actor_network
        from kb.exports.pseudonymise import pseudonymise_network

        network, pseudonymiser = pseudonymise_network(kb, actor_network(kb), pseudonymise, target)
        actors = pseudonymised_actors(actors, pseudonymiser)
    tie_types = [row["type"] for row in kb.read("qda/tie_types")] or list(SUGGESTED_TIE_TYPES)
    tree = codebook_tree(actors, tie_types)
    with opened(target) as out:
        tree.write(out, encoding="UTF-8", xml_declaration=True)
    sectors = {a.get("sector") or NO_SECTOR for a in actors}
    counts = {"actors": len(actors), "sectors": len(sectors), "tie types": len(tie_types)}
    result = ExportResult(target_name(target), "qdc", counts)
    if pseudonymiser is not None:
        from kb.exports.pseudonymise import attach_risk_report

        attach_risk_report(result, network, pseudonymiser, Path(target_name(target)))
    return result


def pseudonymised_actors(
    actors: Sequence[Mapping[str, Any]], pseudonymiser: Pseudonymiser
) -> list[dict[str, Any]]:
    """The codebook's actors renamed (id and name: the pseudonym), other names masked,
    the sector generalised or left out as the pseudonymisation says."""
    out = []
    for actor in actors:
        actor_id = str(actor["id"])
        renamed = actor_id in pseudonymiser.renamed
        name = str(actor.get("name") or "")
        sector = str(actor.get("sector") or "")
        out.append(
            {
                **{k: v for k, v in actor.items() if k in ("id", "name", "sector")},
                "id": pseudonymiser.rename(actor_id),
                "name": pseudonymiser.rename(actor_id) if renamed else pseudonymiser.text(name),
                "sector": pseudonymiser.attribute("sector", sector) if sector else None,
            }
        )
    return out
