"""Build small .qdpx files shaped like those the QDA programs write, for tests.

Each builder call writes a real zip with a project.qde and its sources. What varies between
programs is chosen by the caller: the origin attribute, the Sources folder's case, BOMs,
line endings, what a selection's name holds, one selection per coding (QualCoder) or
several codings per selection (NVivo, the standard's examples).
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

NS = uuid.UUID("0f5d2c1a-9a8b-4c7d-8e6f-5a4b3c2d1e0f")


def guid(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


@dataclass
class Sel:
    """A selection: positions, code paths, and optionally its name and coder."""

    start: int
    end: int
    codes: list[str]
    name: str = ""
    user: str = "u1"
    key: str = ""


@dataclass
class Src:
    name: str
    text: str
    selections: list[Sel] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    bom: bool = False
    crlf: bool = False
    inline: bool = False
    pdf: bool = False
    key: str = ""


def code_tree(paths: list[str]) -> str:
    """Nested Code elements for code paths such as ``actors/Louise Simard``."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})

    def emit(node: dict[str, Any], prefix: str) -> str:
        out = []
        for name, children in node.items():
            path = f"{prefix}/{name}" if prefix else name
            attrs = f'guid="{guid("code", path)}" name={quoteattr(name)} isCodable="true"'
            if children:
                out.append(f"<Code {attrs}>{emit(children, path)}</Code>")
            else:
                out.append(f"<Code {attrs}/>")
        return "".join(out)

    return emit(tree, "")


def build(
    path: Path,
    sources: list[Src],
    *,
    origin: str = "test",
    name: str = "Test project",
    folder: str = "Sources",
    users: dict[str, str] | None = None,
    extra_codes: list[str] = (),  # type: ignore[assignment]
    doctype: str = "",
    cases: dict[str, list[str]] | None = None,  # case name -> names of its sources
) -> Path:
    users = users or {"u1": "Coder One", "u2": "Coder Two"}
    paths = sorted(
        {c for s in sources for sel in s.selections for c in sel.codes} | set(extra_codes)
    )
    variables = sorted({v for s in sources for v in s.variables})
    files: dict[str, bytes] = {}
    xml_sources = []
    for index, src in enumerate(sources):
        key = src.key or src.name
        source_guid = guid("source", key)
        text = src.text.replace("\n", "\r\n") if src.crlf else src.text
        file = f"{guid('text', key)}.txt"
        if not src.inline:
            files[f"{folder}/{file}"] = (b"\xef\xbb\xbf" if src.bom else b"") + text.encode()
        selections = []
        for number, sel in enumerate(src.selections):
            codings = "".join(
                f'<Coding guid="{guid("coding", key, str(number), c)}" '
                f'creatingUser="{guid("user", sel.user)}"><CodeRef targetGUID="{guid("code", c)}"/>'
                "</Coding>"
                for c in sel.codes
            )
            selections.append(
                f'<PlainTextSelection guid="{guid("sel", key, sel.key or str(number))}" '
                f'name={quoteattr(sel.name)} startPosition="{sel.start}" '
                f'endPosition="{sel.end}" creatingUser="{guid("user", sel.user)}" '
                f'creationDateTime="2018-01-0{1 + index % 9}T10:00:00Z">{codings}'
                "</PlainTextSelection>"
            )
        values = "".join(
            f'<VariableValue><VariableRef targetGUID="{guid("var", v)}"/>'
            f"<TextValue>{escape(value)}</TextValue></VariableValue>"
            for v, value in src.variables.items()
        )
        inline = f"<PlainTextContent>{escape(text)}</PlainTextContent>" if src.inline else ""
        path_attr = "" if src.inline else f' plainTextPath="internal://{file}"'
        if src.pdf:
            xml_sources.append(
                f'<PDFSource guid="{source_guid}" name={quoteattr(src.name)} '
                f'path="internal://{guid("pdf", key)}.pdf">'
                f'<Representation guid="{guid("rep", key)}"{path_attr}>{inline}'
                f"{''.join(selections)}</Representation>{values}</PDFSource>"
            )
        else:
            xml_sources.append(
                f'<TextSource guid="{source_guid}" name={quoteattr(src.name)}{path_attr}>'
                f"{inline}{''.join(selections)}{values}</TextSource>"
            )
    user_xml = "".join(
        f'<User guid="{guid("user", k)}" name={quoteattr(v)}/>' for k, v in users.items()
    )
    variable_xml = "".join(
        f'<Variable guid="{guid("var", v)}" name={quoteattr(v)} typeOfVariable="Text"/>'
        for v in variables
    )
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name={quoteattr(name)} '
        f"origin={quoteattr(origin)}>\n"
        f"<Users>{user_xml}</Users>\n"
        f"<CodeBook><Codes>{code_tree(paths)}</Codes></CodeBook>\n"
        + (f"<Variables>{variable_xml}</Variables>\n" if variables else "")
        + _cases_xml(cases or {}, sources)
        + f"<Sources>\n{chr(10).join(xml_sources)}\n</Sources>\n</Project>\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode())
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def _cases_xml(cases: dict[str, list[str]], sources: list[Src]) -> str:
    """Cases (before Sources, as the standard orders them) referring to sources by name."""
    if not cases:
        return ""
    keys = {s.name: s.key or s.name for s in sources}
    body = "".join(
        f'<Case guid="{guid("case", name)}" name={quoteattr(name)}>'
        + "".join(f'<SourceRef targetGUID="{guid("source", keys[n])}"/>' for n in names)
        + "</Case>"
        for name, names in cases.items()
    )
    return f"<Cases>{body}</Cases>\n"


def span(text: str, passage: str) -> tuple[int, int]:
    """Code-point positions of `passage` in `text` (end exclusive)."""
    start = text.index(passage)
    return start, start + len(passage)
