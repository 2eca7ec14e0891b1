#!/usr/bin/env python3
"""Generate ``entretiens.qdpx``: interviews and field notes of the example case, coded in a
QDA program under kb's coding convention (docs/qda.md), as a REFI-QDA 1.5 project.

The transcripts are French and fictional, like the persons of the case. Each passage to code
is marked in the text below as ``[[label|code;code;...]]passage[[/]]``; the script strips the
marks, computes the positions (Unicode code points of the text as written, end exclusive,
as the standard says) and writes:

- ``project.qde``: users (two coders), the codebook (``actors`` by sector, ``ties``, and
  thematic codes), the source variables ``kind`` and ``date``, the sources and their coded
  passages;
- ``Sources/<guid>.txt``: the plain texts, UTF-8; the field notes with CRLF line breaks
  (as written on Windows) and one interview with a byte-order mark.

What the project exercises: accents and typographic apostrophes, line breaks inside quotes,
a CRLF source, codes naming actors by name (any case or accents) and by id, a passage naming
two actors and a tie type kb has (linked), one kb lacks (proposed-ties.csv), a code under
``actors`` naming nobody in kb (listed in the report), thematic codes (listed, not used),
a passage coded by both coders (one selection with two codings), and the two interviews
coded by a second coder too (`SECOND_CODINGS`: his own selections). GUIDs are derived
from names, so running the script twice writes the same bytes.

Usage:
    python examples/quebec-wg/qda/generate.py

Standard library only.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
OUT = HERE / "entretiens.qdpx"
NAMESPACE = uuid.UUID("3f1d5c9e-0b7a-4e52-8a61-6c2f9d0e4b17")
STAMP = (2018, 6, 30, 12, 0, 0)


def guid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


USERS = {"JL": "Julie Lavallée", "SB": "Samuel Bédard"}

# The codebook: (path, description). Actor codes use kb's names (any case or accent) or ids.
CODES: list[tuple[str, str]] = [
    ("actors", "Acteurs du cas (codes = noms ou identifiants kb)"),
    ("actors/community", ""),
    ("actors/community/Louise Simard", "p-lsimard"),
    ("actors/community/Daniel Lavoie", "p-dlavoie"),
    ("actors/community/nathalie beaulieu", "écrit en minuscules : kb compare sans casse"),
    ("actors/community/Helene Dumont", "écrit sans accents : kb compare sans accents"),
    ("actors/community/Jean Tremblay", "personne absente de kb : listée dans le rapport"),
    ("actors/public", ""),
    ("actors/public/Martine Gagnon", "p-mgagnon"),
    ("actors/public/Denis Mercier", "p-dmercier"),
    ("actors/public/Lucie Poirier", "p-lpoirier"),
    ("actors/public/ciusss-cn", "code nommé par l'identifiant kb"),
    ("ties", "Types de liens"),
    ("ties/COLLABORATION", ""),
    ("ties/INFORMATION", ""),
    ("ties/ADVICE", ""),
    ("thèmes", ""),
    ("thèmes/accès aux services", ""),
    ("thèmes/effets de la loi 10", ""),
]


@dataclass
class SourceSpec:
    name: str
    kind: str
    date: str
    coder: str
    text: str
    crlf: bool = False
    bom: bool = False


SIMARD = SourceSpec(
    name="Entretien avec Louise Simard",
    kind="interview",
    date="2016-03-14",
    coder="JL",
    bom=True,
    text="""\
Entretien semi-dirigé — Louise Simard, agente de développement à la CDC de la Rivière
Date : 14 mars 2016. Lieu : bureau de la CDC. Durée : 1 h 10.

Q. : Comment le groupe de travail s'est-il formé ?

L. S. : Au départ, c'était une idée de la table des aînés. [[collaboration Gagnon|Louise Simard;Martine Gagnon;COLLABORATION]]Martine Gagnon, l'organisatrice communautaire du CLSC, et moi, on travaille ensemble depuis 2009. Quand elle a su qu'on voulait réunir les organismes, elle a tout de suite offert de monter l'ordre du jour avec nous.[[/]]

Q. : Et depuis la loi 10 ?

L. S. : [[mercier|Louise Simard;Denis Mercier;INFORMATION;effets de la loi 10]]C'est M. Mercier, au CIUSSS, qui nous tient au courant des changements de programmes. Il nous envoie les notes de service, mais c'est toujours après coup.
On l'apprend souvent par les usagers eux-mêmes.[[/]]

[[accès|accès aux services]]Les gens ne savent plus à quelle porte frapper : le CLSC n'a plus de guichet, et l'accueil psychosocial a déménagé.[[/]]

Q. : Avez-vous des liens avec la Ville ?

L. S. : [[ville|Louise Simard;Lucie Poirier;COLLABORATION]]Oui : Lucie Poirier, au développement social, on prépare ensemble le portrait des besoins des aînés ; c'est récent, depuis l'automne.[[/]] [[tremblay|Louise Simard;Jean Tremblay]]J'en ai aussi parlé avec Jean Tremblay, du comité de citoyens, qui voulait s'impliquer.[[/]]
""",
)

NOTES = SourceSpec(
    name="Notes de terrain — réunion du groupe de travail",
    kind="notes de terrain",
    date="2016-05-10",
    coder="SB",
    crlf=True,
    text="""\
Réunion du groupe de travail, 10 mai 2016, salle communautaire de l'église Saint-Joseph.
Présents : 14 personnes (9 organismes, 3 citoyens, 2 intervenantes du CIUSSS).

19 h 05 — [[ouverture|Louise Simard;Martine Gagnon;COLLABORATION]]Louise Simard ouvre la réunion ; Martine Gagnon présente avec elle le bilan
de la consultation. Elles se relaient au micro, visiblement habituées à travailler ensemble.[[/]]

19 h 40 — [[lavoie|Daniel Lavoie;Martine Gagnon;COLLABORATION]]Daniel Lavoie (CDC) rappelle que la CDC et le CLSC ont « toujours monté
les dossiers ensemble » ; Martine Gagnon acquiesce.[[/]]

20 h 10 — [[beaulieu|nathalie beaulieu;Denis Mercier;INFORMATION]]Nathalie Beaulieu lit le courriel de Denis Mercier annonçant la révision
du programme de soutien à domicile.[[/]] Discussion animée.

20 h 30 — [[dumont|Helene Dumont;accès aux services]]Hélène Dumont (Le Phare) : « les jeunes qu'on réfère attendent six mois ».[[/]]
""",
)

GAGNON = SourceSpec(
    name="Entretien avec Martine Gagnon",
    kind="interview",
    date="2017-02",
    coder="JL",
    text="""\
Entretien — Martine Gagnon, organisatrice communautaire (CLSC de la Rivière, puis CIUSSS)
Février 2017.

Q. : Qu'est-ce qui a changé pour vous avec la fusion ?

M. G. : [[ciusss|Martine Gagnon;ciusss-cn;effets de la loi 10]]Depuis la création du CIUSSS, je relève d'une direction régionale. Mes mandats viennent d'en haut ; l'organisation communautaire n'est plus une priorité.[[/]]

Q. : Et le groupe de travail ?

M. G. : [[louise|Martine Gagnon;Louise Simard;COLLABORATION]]Avec Louise, on continue comme avant : on se voit chaque semaine pour préparer les rencontres.[[/]] [[conseil|Martine Gagnon;Denis Mercier;ADVICE]]Je demande conseil à Denis Mercier pour savoir comment faire remonter les demandes du groupe.[[/]]
""",
)

SOURCES = [SIMARD, NOTES, GAGNON]

# The second coder: Samuel Bédard codes the two interviews too, independently (his own
# selections of the same passages). He agrees with Julie Lavallée on three ties and leaves
# out the collaboration with the Ville (Lucie Poirier): `kb evidence agreement` shows it.
SECOND_CODER = "SB"
SECOND_CODINGS: dict[str, dict[str, list[str]]] = {
    SIMARD.name: {
        "collaboration Gagnon": ["Louise Simard", "Martine Gagnon", "COLLABORATION"],
        "mercier": ["Louise Simard", "Denis Mercier", "INFORMATION"],
    },
    GAGNON.name: {"louise": ["Martine Gagnon", "Louise Simard", "COLLABORATION"]},
}
_MARK = re.compile(r"\[\[(?P<label>[^|\]]+)\|(?P<codes>[^\]]+)\]\](?P<text>.*?)\[\[/\]\]", re.S)


def code_guids() -> dict[str, str]:
    """Code leaf name (and full path) -> guid."""
    found: dict[str, str] = {}
    for path, _ in CODES:
        found[path] = guid("code", path)
        found.setdefault(path.rsplit("/", 1)[-1], found[path])
    return found


def parse(spec: SourceSpec) -> tuple[str, list[tuple[str, int, int, list[str]]]]:
    """The plain text (line breaks as the file will have them) and its marked passages."""
    text = spec.text.replace("\n", "\r\n") if spec.crlf else spec.text
    out: list[str] = []
    passages = []
    position = 0
    last = 0
    for match in _MARK.finditer(text):
        out.append(text[last : match.start()])
        position += match.start() - last
        passage = match.group("text")
        passages.append(
            (
                match.group("label"),
                position,
                position + len(passage),
                match.group("codes").split(";"),
            )
        )
        out.append(passage)
        position += len(passage)
        last = match.end()
    out.append(text[last:])
    return "".join(out), passages


def codebook_xml(codes: dict[str, str]) -> str:
    lines: list[str] = []

    def emit(prefix: str, depth: int) -> None:
        children = [
            (p, d)
            for p, d in CODES
            if p.rsplit("/", 1)[0] == prefix
            and p != prefix
            and p.count("/") == prefix.count("/") + 1
        ]
        for path, description in children:
            name = path.rsplit("/", 1)[-1]
            pad = "  " * depth
            sub = [p for p, _ in CODES if p.startswith(path + "/")]
            attrs = f'guid="{codes[path]}" name={quoteattr(name)} isCodable="true"'
            if not description and not sub:
                lines.append(f"{pad}<Code {attrs}/>")
                continue
            lines.append(f"{pad}<Code {attrs}>")
            if description:
                lines.append(f"{pad}  <Description>{escape(description)}</Description>")
            emit(path, depth + 1)
            lines.append(f"{pad}</Code>")

    for path, description in CODES:
        if "/" in path:
            continue
        attrs = f'guid="{codes[path]}" name={quoteattr(path)} isCodable="false"'
        lines.append(f"      <Code {attrs}>")
        if description:
            lines.append(f"        <Description>{escape(description)}</Description>")
        emit(path, 4)
        lines.append("      </Code>")
    return "\n".join(lines)


def project_xml() -> tuple[str, dict[str, str]]:
    codes = code_guids()
    users = {key: guid("user", key) for key in USERS}
    kind_var, date_var = guid("variable", "kind"), guid("variable", "date")
    texts: dict[str, str] = {}
    sources: list[str] = []
    for spec in SOURCES:
        source_guid = guid("source", spec.name)
        text, passages = parse(spec)
        file = f"{source_guid}.txt"
        texts[file] = ("\ufeff" if spec.bom else "") + text
        body = [
            f'    <TextSource guid="{source_guid}" name={quoteattr(spec.name)} '
            f'plainTextPath="internal://{file}" creatingUser="{users[spec.coder]}" '
            f'creationDateTime="2018-01-15T10:00:00Z">'
        ]
        for label, start, end, names in passages:
            selection = guid("selection", spec.name, label)
            body.append(
                f'      <PlainTextSelection guid="{selection}" name={quoteattr(label)} '
                f'startPosition="{start}" endPosition="{end}" '
                f'creatingUser="{users[spec.coder]}" creationDateTime="2018-02-01T14:30:00Z">'
            )
            if label == "ouverture":
                body.append("        <Description>Codé par les deux codeurs.</Description>")
            for name in names:
                coder = "JL" if label == "ouverture" and name == "COLLABORATION" else spec.coder
                body.append(
                    f'        <Coding guid="{guid("coding", spec.name, label, name)}" '
                    f'creatingUser="{users[coder]}">\n'
                    f'          <CodeRef targetGUID="{codes[name]}"/>\n'
                    "        </Coding>"
                )
            body.append("      </PlainTextSelection>")
            second = SECOND_CODINGS.get(spec.name, {}).get(label)
            if second:
                user = users[SECOND_CODER]
                body.append(
                    f'      <PlainTextSelection guid="{guid("selection", spec.name, label, SECOND_CODER)}" '
                    f'name={quoteattr(label)} startPosition="{start}" endPosition="{end}" '
                    f'creatingUser="{user}" creationDateTime="2018-03-01T09:00:00Z">'
                )
                for name in second:
                    coding = guid("coding", spec.name, label, name, SECOND_CODER)
                    body.append(
                        f'        <Coding guid="{coding}" creatingUser="{user}">\n'
                        f'          <CodeRef targetGUID="{codes[name]}"/>\n'
                        "        </Coding>"
                    )
                body.append("      </PlainTextSelection>")
        for var, value, element in (
            (kind_var, spec.kind, "TextValue"),
            (date_var, spec.date, "TextValue"),
        ):
            body.append(
                f'      <VariableValue>\n        <VariableRef targetGUID="{var}"/>\n'
                f"        <{element}>{escape(value)}</{element}>\n      </VariableValue>"
            )
        body.append("    </TextSource>")
        sources.append("\n".join(body))
    user_lines = "\n".join(
        f'    <User guid="{users[key]}" name={quoteattr(name)}/>' for key, name in USERS.items()
    )
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="GT accès aux services — entretiens"
    origin="kb example generator (REFI-QDA 1.5)" creationDateTime="2018-06-30T12:00:00Z">
  <Users>
{user_lines}
  </Users>
  <CodeBook>
    <Codes>
{codebook_xml(codes)}
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{kind_var}" name="kind" typeOfVariable="Text"/>
    <Variable guid="{date_var}" name="date" typeOfVariable="Text"/>
  </Variables>
  <Sources>
{chr(10).join(sources)}
  </Sources>
</Project>
"""
    return xml, texts


def write(path: Path = OUT) -> None:
    xml, texts = project_xml()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("project.qde", STAMP), xml.encode("utf-8"), zipfile.ZIP_DEFLATED
        )
        for name, text in sorted(texts.items()):
            archive.writestr(
                zipfile.ZipInfo(f"Sources/{name}", STAMP),
                text.encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )


if __name__ == "__main__":
    write()
    print(f"wrote {OUT.relative_to(HERE.parent.parent.parent)}")
