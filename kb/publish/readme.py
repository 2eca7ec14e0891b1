"""The README of a published package: what it holds, who made it, how to cite and re-use it.

Built from the case record and the files already written, so it says nothing the crate does
not; the crate's metadata file is named, not listed (it describes the README too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kb.publish.crate import METADATA_FILE, Making, PackageFile
from kb.publish.record import CaseRecord, Creator


def _creator(creator: Creator) -> str:
    parts = [creator.name]
    if creator.affiliation:
        parts.append(f"({creator.affiliation})")
    if creator.orcid:
        parts.append(creator.orcid)
    return " ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def readme_text(
    record: CaseRecord,
    files: Sequence[PackageFile],
    making: Making,
    *,
    pseudonymised: str | None = None,
    left_out: Mapping[str, str] | None = None,
) -> str:
    """The package's README.md (Markdown).

    Args:
        pseudonymised: what pseudonymisation did (`Pseudonymisation.describe`), if any.
        left_out: the files a pseudonymised package leaves out, and why.
    """
    left_out = left_out or {}
    names = "; ".join(c.name for c in record.creators)
    lines = [
        f"# {record.title}",
        "",
        record.description,
        "",
        f"- Creators: {'; '.join(_creator(c) for c in record.creators)}",
        f"- Publisher: {record.publisher}",
        f"- Publication year: {record.publication_year}",
        f"- Resource type: {record.resource_type}",
        f"- Licence: {record.licence_id or record.licence} ({record.licence})",
    ]
    if record.keywords:
        lines.append(f"- Keywords: {', '.join(record.keywords)}")
    if pseudonymised:
        lines += [
            "",
            "## Pseudonymisation",
            "",
            f"Every file of this package is pseudonymised: {pseudonymised}. The people "
            "(participants) appear under stable pseudonyms; the creators above are the "
            "researchers. `risk-report.md` says how many actors could still be re-identified "
            "from their attributes or their place in the network.",
        ]
        if left_out:
            lines += ["", *(f"- `{name}` is left out: {why}." for name, why in left_out.items())]
    lines += [
        "",
        "## How to cite",
        "",
        f"{names} ({record.publication_year}). *{record.title}* "
        f"[{record.resource_type}]. {record.publisher}.",
        "",
        "## Files",
        "",
        f"`{METADATA_FILE}` describes the package as an RO-Crate 1.1, with each file's "
        "format, size and SHA-256 checksum.",
        "",
        "| file | format | bytes | what it is |",
        "|---|---|---:|---|",
    ]
    for each in files:
        lines.append(
            f"| `{each.path}` | {each.encoding_format} | {each.size} | {_cell(each.description)} |"
        )
    lines += [
        "| `README.md` | text/markdown | | This file. |",
        "",
        "## Re-use",
        "",
        "With the kb command line and an empty Neo4j database, from this folder:",
        "",
        "```bash",
        "kb import data    # the import-format tables rebuild the same graph",
        "kb report --out report.html",
        "```",
        "",
        '`network.graphml` opens in R (`igraph::read_graph("network.graphml", '
        'format = "graphml")`), `network.gexf` in Gephi, '
        + ("" if "codebook.qdc" in left_out else "`codebook.qdc` in a QDA program, ")
        + "and the HTML pages in any web browser, offline.",
        "",
        "## How it was made",
        "",
        f"- Command: `{making.command}`",
        f"- kb version: {making.kb_version}",
        f"- Data version: {making.data_version} (case {record.id}"
        + (f", fingerprint {making.fingerprint})" if making.fingerprint else ")"),
        f"- Made at: {making.made_at}",
        "",
    ]
    return "\n".join(lines)
