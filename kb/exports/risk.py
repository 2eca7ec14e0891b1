"""The re-identification risk of a pseudonymised export (docs/ethics.md).

Three measures over the renamed actors of the exported network:

- **k-anonymity of the quasi-identifiers kept**: actors grouped by the combination of the
  attributes the export still holds (kind, sector, territory, labels, extra properties);
  k is the size of the smallest group; an actor alone in its group is unique.
- **unique by degree and attributes**: the same with the actor's degree (distinct
  neighbours over ties and memberships, any type or spell) added, what someone who knows
  how many contacts a person has can match.
- **unique by 1-hop neighbourhood** (Romanini, Lehmann & Kivelä 2021, Sci. Rep. 11:16004):
  the actor's neighbourhood (the actor, its neighbours and the ties among them, as an
  undirected simple graph rooted at the actor) compared up to isomorphism with every
  other actor's; an actor whose neighbourhood no other actor shares is unique. Their
  finding: uniqueness rises steeply with the mean degree (above about 10, nearly everyone).

The report itself holds counts and shares only. The actors at risk (unique or in a group
smaller than ``threshold``) are listed, with their real ids and names, in a separate file
for the researcher (`write_risk_report`), never inside the export.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kb.case_files import case_file, write_case_file
from kb.exports.network import ActorNetwork, NetworkNode
from kb.settings import kb_home

THRESHOLD = 5
RESEARCHER_FOLDER = "researcher-only"
# Network node fields that are not attributes an outsider could know.
_NOT_QUASI = frozenset({"description", "note", "quote", "aliases"})


@dataclass
class AtRisk:
    """One renamed actor at risk: its pseudonym and why (the real id is added only in the
    researcher's file)."""

    pseudonym: str
    reasons: list[str]


@dataclass
class RiskReport:
    """What `assess` measures (see the module docstring).

    Attributes:
        pseudonymisation: what was done, in one line.
        actors: the renamed actors assessed.
        quasi_identifiers: the attributes kept, whose combinations are counted.
        k: the smallest group of actors sharing one combination (0: no actor).
        groups_below_threshold: groups smaller than ``threshold``.
        unique_by_attributes: share of actors alone in their combination.
        unique_by_degree_and_attributes: the same with the degree added.
        unique_by_neighbourhood: share whose 1-hop neighbourhood is unique.
        mean_degree: the mean degree of the whole network (Romanini et al.'s predictor).
        threshold: a group smaller than this puts its actors at risk.
        at_risk: the actors at risk (pseudonyms only).
    """

    pseudonymisation: str
    actors: int
    quasi_identifiers: list[str]
    k: int
    groups_below_threshold: int
    unique_by_attributes: float
    unique_by_degree_and_attributes: float
    unique_by_neighbourhood: float
    mean_degree: float
    threshold: int = THRESHOLD
    at_risk: list[AtRisk] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The report as JSON data (the at-risk list as a count only)."""
        found = asdict(self)
        found["at_risk"] = len(self.at_risk)
        return found

    def summary(self) -> str:
        """A few lines for the terminal."""
        share = "{:.0%}".format
        return (
            f"Re-identification risk of {self.actors} renamed actor(s): k = {self.k} on "
            f"{', '.join(self.quasi_identifiers) or 'no attribute'}; unique by attributes "
            f"{share(self.unique_by_attributes)}, by degree and attributes "
            f"{share(self.unique_by_degree_and_attributes)}, by 1-hop neighbourhood "
            f"{share(self.unique_by_neighbourhood)} (mean degree {self.mean_degree:.1f}); "
            f"{len(self.at_risk)} at risk."
        )

    def markdown(self) -> str:
        """The readable report."""
        share = "{:.1%}".format
        return "\n".join(
            [
                "# Re-identification risk report",
                "",
                f"Pseudonymisation: {self.pseudonymisation}.",
                "",
                "| measure | value |",
                "|---|---|",
                f"| renamed actors assessed | {self.actors} |",
                f"| quasi-identifiers kept | {', '.join(self.quasi_identifiers) or '(none)'} |",
                f"| k-anonymity (smallest group) | {self.k} |",
                f"| groups smaller than {self.threshold} | {self.groups_below_threshold} |",
                f"| unique by attributes | {share(self.unique_by_attributes)} |",
                "| unique by degree and attributes | "
                f"{share(self.unique_by_degree_and_attributes)} |",
                f"| unique by 1-hop neighbourhood | {share(self.unique_by_neighbourhood)} |",
                f"| mean degree | {self.mean_degree:.2f} |",
                f"| actors at risk | {len(self.at_risk)} |",
                "",
                "k-anonymity: every actor shares its combination of the attributes kept with at "
                "least k - 1 others. Unique by degree and attributes: someone who knows an "
                "actor's attributes and number of contacts finds them. Unique by 1-hop "
                "neighbourhood (Romanini, Lehmann & Kivelä 2021, Sci. Rep. 11:16004): "
                "someone who knows who an actor's contacts are and which of them know each "
                "other finds them, names or not; the risk rises steeply with the mean degree.",
                "",
                "The actors at risk are listed for the researcher only, outside the export "
                "(kb prints where). Lower the risk with --generalise, --dates, or by leaving "
                "attributes out before sharing.",
                "",
            ]
        )


def assess(
    network: ActorNetwork,
    renamed: set[str],
    *,
    description: str = "",
    threshold: int = THRESHOLD,
) -> RiskReport:
    """Measure the risk of the renamed actors of a (pseudonymised) network.

    Args:
        network: the network as exported.
        renamed: the node ids (pseudonyms) to assess.
        description: what the pseudonymisation did.
        threshold: a group smaller than this puts its actors at risk.
    """
    neighbours: dict[str, set[str]] = {node.id: set() for node in network.nodes}
    for edge in network.edges:
        if edge.source != edge.target:
            neighbours.setdefault(edge.source, set()).add(edge.target)
            neighbours.setdefault(edge.target, set()).add(edge.source)
    assessed = [node for node in network.nodes if node.id in renamed]
    quasi = sorted(
        {name for node in assessed for name in node.attributes if name not in _NOT_QUASI}
    )

    def combination(node: NetworkNode) -> tuple[str, ...]:
        return tuple(node.attributes.get(name, "") for name in quasi)

    def with_degree(node: NetworkNode) -> tuple[str, ...]:
        return (*combination(node), str(len(neighbours[node.id])))

    by_attributes = Counter(combination(n) for n in assessed)
    by_degree = Counter(with_degree(n) for n in assessed)
    shapes = {node_id: neighbourhood_shape(node_id, neighbours) for node_id in neighbours}
    shape_counts = Counter(shapes.values())
    at_risk: list[AtRisk] = []
    unique_attr = unique_degree = unique_shape = 0
    for node in assessed:
        reasons = []
        group = by_attributes[combination(node)]
        if group == 1:
            unique_attr += 1
        if group < threshold:
            reasons.append(f"shares its attributes with {group - 1} other(s)")
        if by_degree[with_degree(node)] == 1:
            unique_degree += 1
            reasons.append("unique by degree and attributes")
        if shape_counts[shapes[node.id]] == 1:
            unique_shape += 1
            reasons.append("unique 1-hop neighbourhood")
        if reasons:
            at_risk.append(AtRisk(node.id, reasons))
    count = len(assessed)
    degrees = [len(found) for found in neighbours.values()]
    return RiskReport(
        pseudonymisation=description,
        actors=count,
        quasi_identifiers=quasi,
        k=min(by_attributes.values()) if by_attributes else 0,
        groups_below_threshold=sum(1 for n in by_attributes.values() if n < threshold),
        unique_by_attributes=unique_attr / count if count else 0.0,
        unique_by_degree_and_attributes=unique_degree / count if count else 0.0,
        unique_by_neighbourhood=unique_shape / count if count else 0.0,
        mean_degree=sum(degrees) / len(degrees) if degrees else 0.0,
        threshold=threshold,
        at_risk=at_risk,
    )


def neighbourhood_shape(node_id: str, neighbours: Mapping[str, set[str]]) -> tuple[Any, ...]:
    """The 1-hop neighbourhood of ``node_id`` up to isomorphism: a canonical form of the
    undirected graph on the node and its neighbours, the node marked (igraph's canonical
    labelling, bliss)."""
    import igraph

    members = [node_id, *sorted(neighbours[node_id])]
    index = {member: i for i, member in enumerate(members)}
    edges = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a in members
        for b in neighbours[a]
        if b in index and a != b
    }
    graph = igraph.Graph(n=len(members), edges=sorted(edges))
    colours = [1] + [0] * (len(members) - 1)
    permutation = graph.canonical_permutation(color=colours)
    canonical = graph.permute_vertices(permutation)
    return (
        len(members),
        permutation[0],
        tuple(sorted(tuple(sorted(e)) for e in canonical.get_edgelist())),
    )


def write_risk_report(
    report: RiskReport,
    beside: Path,
    *,
    originals: Mapping[str, tuple[str, str]],
    home: Path | None = None,
    label: str | None = None,
) -> tuple[list[Path], Path]:
    """Write ``risk-report.json`` and ``risk-report.md`` beside an export, and the actors at
    risk for the researcher only, in ``$KB_HOME/researcher-only/``.

    Args:
        report: what `assess` measured.
        beside: the export's folder, or its file (the reports then take its name).
        originals: pseudonym -> (real id, real name), for the researcher's file.
        home: where the researcher's file goes (default ``$KB_HOME``).
        label: names the researcher's file (default: the export's name).

    Returns:
        The report files, and the researcher's file.
    """
    if beside.is_dir():
        stem = beside / "risk-report"
        default_label = beside.resolve().name
    else:
        stem = beside.with_name(f"{beside.name}.risk-report")
        default_label = beside.name
    json_path = stem.with_name(stem.name + ".json")
    md_path = stem.with_name(stem.name + ".md")
    write_case_file(json_path, json.dumps(report.data(), indent=2, ensure_ascii=False) + "\n")
    write_case_file(md_path, report.markdown())
    label = label or default_label
    private = (home or kb_home()) / RESEARCHER_FOLDER / f"{label}.at-risk.RESEARCHER-ONLY.csv"
    with case_file(private, encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["pseudonym", "id", "name", "reasons"])
        for actor in report.at_risk:
            real_id, name = originals.get(actor.pseudonym, ("", ""))
            writer.writerow([actor.pseudonym, real_id, name, "; ".join(actor.reasons)])
    return [json_path, md_path], private
