"""Do the findings depend on who coded? Each coder's network beside the pooled one
(``kb robustness --by coder``, the report's "Robustness by coder").

The **pooled** network is every tie the selection keeps (whoever coded it, and ties without
a coded item too). A **coder's** network is the ties that coder's evidence items support
(the same selection with ``coders=(coder,)``: ``--min-evidence`` and ``--triangulated``
then count only that coder's items, `kb.analyses.selection`). For each coder, beside the
pooled result:

- **rank correlation** (Spearman's rho, ties ranked by their mean rank as R's
  ``cor(method = "spearman")`` does) of the actors' total Gould-Fernandez brokerage, and
  of their betweenness, over the actors the coder's network has a tie for (their pooled
  scores against their scores in the coder's network). It needs `MIN_ACTORS` such actors
  and scores that are not all equal on either side; otherwise a ``*_problem`` says why
  and the rho is None: a number from three actors would only look like a finding.
- **top brokers**: the coder's top `TOP` brokers and how many are among the pooled top.
- **headline findings** and whether each holds in the coder's network (`FINDINGS`):

  ``top_broker``
      the pooled network's top broker (every actor tied at the highest total brokerage)
      is also a top broker of the coder's network.
  ``top_betweenness``
      the same for betweenness.
  ``reaches``
      one per ``from_group`` actor that reaches a ``to_group`` actor within ``max_hops``
      in the pooled network (a legitimacy path, following tie direction): it reaches one
      in the coder's network too.

  A finding holds **for every coder** when it holds in each coder's network. A coder
  whose network has no tie (or no broker, for the first two) cannot confirm it:
  ``holds`` is None for that coder, and the finding does not hold for every coder.

Nothing is random: the same data gives the same comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kb.analyses.brokerage import TOP_BROKERS, brokerage_result, top_brokers
from kb.analyses.legitimacy import _reach_rows
from kb.analyses.network import Network, fetch
from kb.analyses.selection import ALL_TIES, Selection, resolve_coders
from kb.analyses.vocabulary import check_group
from kb.results import Records, Result
from kb.store import Reader

MIN_ACTORS = 5  # actors with ties a coder's network needs for a rank correlation
TOP = TOP_BROKERS
FINDINGS = ("top_broker", "top_betweenness", "reaches")


@dataclass(frozen=True, eq=False, kw_only=True)
class CoderRobustness(Result):
    """`robustness_by_coder`'s answer.

    Attributes:
        at, types, min_evidence, triangulated: the selection compared.
        group_by, from_group, to_group, max_hops: brokerage groups and legitimacy paths.
        mode: betweenness over ``directed`` or ``undirected`` pairs (the pooled network's).
        pooled: ``{"ties", "actors"}`` (actors with a tie), ``top`` (the top brokers,
            ``{"id", "name", "total"}``), ``top_betweenness`` (ids tied at the highest),
            ``reaching`` (ids of ``from_group`` actors reaching ``to_group``).
        coders: per coder: ``coder``, ``ties``, ``actors``, ``brokerage_rho`` and
            ``brokerage_problem``, ``betweenness_rho`` and ``betweenness_problem``, ``top``
            (as pooled's), ``top_shared`` (how many are on the pooled top list),
            ``reaching`` (how many pooled reaching actors reach in this network).
        findings: per headline finding: ``finding`` (`FINDINGS`), ``subject`` (actor id),
            ``name``, ``holds`` (coder -> True, False or None: cannot say),
            ``every_coder`` (it holds for each one).
    """

    RECORDS = Records(key="coders")

    at: str | None
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    group_by: str
    from_group: str
    to_group: str
    max_hops: int
    mode: str
    pooled: dict[str, Any]
    coders: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def case_coders(db: Reader) -> list[str]:
    """The coders of the case's evidence items, by name."""
    return [str(row["coder"]) for row in db.read("vocabulary/coders")]


def robustness_by_coder(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    group_by: str = "sector",
    from_group: str = "community",
    to_group: str = "public",
    max_hops: int = 6,
) -> CoderRobustness:
    """Each coder's brokerage, betweenness and legitimacy paths beside the pooled ones
    (see the module docstring for what is compared and when a finding holds).

    Args:
        db: the knowledge base.
        selection: the ties; its ``coders``, if any, are the coders compared (else every
            coder of the case).
        group_by: the actor property whose groups brokerage and legitimacy use.
        from_group: legitimacy's source group.
        to_group: legitimacy's target group.
        max_hops: legitimacy's longest path.

    Raises:
        ValidationError: a group, coder or selection value the case does not have; a case
            without coders.
    """
    from kb.errors import ValidationError

    selection = resolve_coders(db, selection)
    pooled_selection = replace(selection, coders=None)
    names = list(selection.coders) if selection.coders else case_coders(db)
    if not names:
        raise ValidationError(
            "No evidence item names a coder, so there is nothing to compare by coder; give "
            "evidence a coder column (kb add evidence --coder NAME, or a REFI-QDA project)."
        )
    pooled = fetch(db, pooled_selection, group_by=group_by)
    check_group(pooled.groups.values(), from_group, group_by=group_by, parameter="from_group")
    check_group(pooled.groups.values(), to_group, group_by=group_by, parameter="to_group")
    mode = "undirected" if pooled.all_undirected else "directed"
    base = _Scores.of(pooled, group_by, selection.type_list, mode, from_group, to_group, max_hops)
    coders = []
    scores = {}
    for name in names:
        network = fetch_or_empty(db, replace(pooled_selection, coders=(name,)), pooled, group_by)
        scores[name] = _Scores.of(
            network, group_by, selection.type_list, mode, from_group, to_group, max_hops
        )
        coders.append(_compare(name, base, scores[name]))
    return CoderRobustness(
        at=selection.at,
        types=selection.type_list,
        min_evidence=selection.min_evidence,
        triangulated=selection.triangulated,
        group_by=group_by,
        from_group=from_group,
        to_group=to_group,
        max_hops=max_hops,
        mode=mode,
        pooled={
            "ties": base.ties,
            "actors": len(base.actors),
            "top": base.top,
            "top_betweenness": base.top_betweenness,
            "reaching": sorted(base.reaching),
        },
        coders=coders,
        findings=_findings(pooled, base, scores),
    )


def fetch_or_empty(db: Reader, selection: Selection, pooled: Network, group_by: str) -> Network:
    """The coder's network; with no tie of the selection, the pooled actors without ties
    (`fetch` refuses a selection that keeps nothing, which here is a result: this coder,
    known to the case, coded none of these ties)."""
    from kb.errors import ParameterError

    try:
        return fetch(db, selection, group_by=group_by)
    except ParameterError as error:
        if "coders" in error.parameters:
            return replace(pooled, ties=[], selection=selection)
        raise


@dataclass(frozen=True)
class _Scores:
    """What one network (pooled or a coder's) gives the comparison."""

    ties: int
    actors: frozenset[str]  # actors with a tie
    brokerage: dict[str, float]  # total raw brokerage
    betweenness: dict[str, float]
    top: list[dict[str, Any]]
    top_betweenness: list[str]  # every actor at the highest betweenness (> 0)
    reaching: frozenset[str]  # from_group actors reaching a to_group actor

    @classmethod
    def of(
        cls,
        network: Network,
        group_by: str,
        types: list[str] | None,
        mode: str,
        from_group: str,
        to_group: str,
        max_hops: int,
    ) -> _Scores:
        from kb.measures.centrality import centrality

        brokerage = brokerage_result(network, group_by, types, None)
        totals = {a["id"]: float(a["roles"]["total"]["raw"]) for a in brokerage["actors"]}
        between = {
            node: float(s.betweenness)
            for node, s in centrality(network.nodes, network.arcs, mode=mode).items()
        }
        highest = max(between.values(), default=0.0)
        sources = [n for n in network.nodes if network.groups[n] == from_group]
        targets = [n for n in network.nodes if network.groups[n] == to_group]
        rows = _reach_rows(network, sources, targets, max_hops, None, None)
        return cls(
            ties=len(network.ties),
            actors=frozenset(t.source for t in network.ties)
            | frozenset(t.target for t in network.ties),
            brokerage=totals,
            betweenness=between,
            top=[
                {"id": b["id"], "name": b["name"], "total": b["total"]}
                for b in top_brokers(brokerage, TOP)
            ],
            top_betweenness=sorted(n for n, v in between.items() if v == highest and v > 0),
            reaching=frozenset(r["source"] for r in rows if r["reached"]),
        )

    @property
    def top_brokers(self) -> list[str]:
        """Every actor tied at the highest total brokerage (none without brokerage)."""
        highest = max(self.brokerage.values(), default=0.0)
        return sorted(n for n, v in self.brokerage.items() if v == highest and v > 0)


def _compare(name: str, base: _Scores, coder: _Scores) -> dict[str, Any]:
    row: dict[str, Any] = {"coder": name, "ties": coder.ties, "actors": len(coder.actors)}
    for measure in ("brokerage", "betweenness"):
        rho, problem = _rank_correlation(
            sorted(coder.actors), getattr(base, measure), getattr(coder, measure)
        )
        row[f"{measure}_rho"], row[f"{measure}_problem"] = rho, problem
    pooled_top = {b["id"] for b in base.top}
    row["top"] = coder.top
    row["top_shared"] = sum(1 for b in coder.top if b["id"] in pooled_top)
    row["reaching"] = len(base.reaching & coder.reaching)
    return row


def _rank_correlation(
    actors: list[str], pooled: dict[str, float], coder: dict[str, float]
) -> tuple[float | None, str | None]:
    """Spearman's rho of the two scores over ``actors``, or why there is none."""
    from kb.measures.correlation import spearman

    if len(actors) < MIN_ACTORS:
        return None, f"too small: {len(actors)} actors with ties (a rank needs {MIN_ACTORS})"
    x, y = [pooled[a] for a in actors], [coder[a] for a in actors]
    if len(set(y)) == 1:
        return None, f"every actor scores {y[0]:g} in this coder's network"
    if len(set(x)) == 1:
        return None, f"these actors all score {x[0]:g} in the pooled network"
    return spearman(x, y), None


def _findings(pooled: Network, base: _Scores, scores: dict[str, _Scores]) -> list[dict[str, Any]]:
    findings = []

    def add(finding: str, subject: str, holds: dict[str, bool | None]) -> None:
        findings.append(
            {
                "finding": finding,
                "subject": subject,
                "name": pooled.names.get(subject),
                "holds": holds,
                "every_coder": all(h is True for h in holds.values()),
            }
        )

    for subject in base.top_brokers:
        add(
            "top_broker",
            subject,
            {c: subject in s.top_brokers if s.top_brokers else None for c, s in scores.items()},
        )
    for subject in base.top_betweenness:
        add(
            "top_betweenness",
            subject,
            {
                c: subject in s.top_betweenness if s.top_betweenness else None
                for c, s in scores.items()
            },
        )
    for subject in sorted(base.reaching):
        add(
            "reaches",
            subject,
            {c: subject in s.reaching if s.ties else None for c, s in scores.items()},
        )
    return findings
