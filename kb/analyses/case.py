"""Every analysis of the case at once, as the HTML report shows them (`kb report`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kb.analyses.brokerage import TOP_BROKERS, BrokerageResult, brokerage_result, top_brokers
from kb.analyses.by_coder import CoderRobustness, case_coders, robustness_by_coder
from kb.analyses.consensus import Consensus, consensus
from kb.analyses.evolution import Evolution, evolution
from kb.analyses.inference import as_data
from kb.analyses.legitimacy import Legitimacy, legitimacy, legitimacy_summary
from kb.analyses.network import Network, check_attribute, fetch
from kb.analyses.reforms import BrokenTies, broken_ties, reforms
from kb.analyses.robustness import Robustness, robustness
from kb.analyses.selection import ALL_TIES, Selection
from kb.analyses.snapshot import Snapshot, actor_kinds, snapshot_of
from kb.analyses.stages import Stage, stages
from kb.analyses.vocabulary import check_group
from kb.errors import ValidationError
from kb.periods import Period, parse_window
from kb.store import Reader

if TYPE_CHECKING:
    from kb.analyses.survival import Survival

LEGITIMACY_MAX_HOPS = 6


@dataclass
class ReformBreaks:
    """The ties one reform broke (`kb.analyses.reforms.broken_ties`); None without a date."""

    reform: dict[str, Any]
    ties: BrokenTies | None


@dataclass
class CaseResults:
    """What `kb report` shows, computed; kb/presentation/report.py only renders it."""

    group_by: str
    from_group: str
    to_group: str
    types: list[str] | None
    window: str
    top: int
    database: dict[str, Any]
    stages: list[Stage]
    stage_rows: list[dict[str, Any]]
    reforms: list[dict[str, Any]]
    actors_by_group: list[dict[str, Any]]
    ties_by_type: list[dict[str, Any]]
    snapshots: list[Snapshot]
    brokerage: list[BrokerageResult]
    top_brokers: list[list[dict[str, Any]]]
    legitimacy_max_hops: int
    legitimacy: Legitimacy
    legitimacy_summary: list[dict[str, Any]]
    broken_ties: list[ReformBreaks]
    evolution_by_stage: Evolution
    evolution_by_year: Evolution
    evolution_by_year_problem: str | None = None
    consensus: Consensus = field(default_factory=Consensus)
    survival: list[Survival] = field(default_factory=list)
    survival_problems: list[str] = field(default_factory=list)
    brokerage_test: dict[str, Any] | None = None
    evidence: Selection = ALL_TIES
    robustness: Robustness | None = None
    by_coder: CoderRobustness | None = None
    by_coder_problem: str | None = None

    def stage_title(self, label: str | None) -> str:
        """A period's name for people: the stage's name, or "All time"."""
        if label is None:
            return "All time"
        return next((s.name for s in self.stages if s.id == label), label)


def database_summary(db: Reader) -> dict[str, Any]:
    """Server version and edition, the database's name and the size of the case."""
    info = db.read_one("meta/server_info")
    counts = db.read_one("meta/counts")
    return {
        "database": info["database"],
        "server_version": info["version"],
        "edition": info["edition"],
        "nodes": counts["nodes"],
        "relationships": counts["relationships"],
        "schema_version": counts["schema_version"],
    }


def case_results(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    group_by: str = "sector",
    from_group: str = "community",
    to_group: str = "public",
    window: str = "12m",
    top: int = TOP_BROKERS,
) -> CaseResults:
    """Every analysis the report shows, on the same selection of ties, and the comparison
    of the main results on all ties and on triangulated ties (`kb.analyses.robustness`).

    ``selection`` (`kb.analyses.selection.Selection`; its period is left aside, the
    sections having their own) selects the ties of every section but the comparison,
    which always sets all ties of its types against the triangulated ones.

    Raises:
        ValidationError: a malformed ``group_by``, ``types``, ``window`` or
            ``min_evidence``, ``from_group`` / ``to_group`` matches no actor while the
            case has actors, or the evidence selection keeps no tie.
    """
    selection = selection.during(None)
    check_attribute(group_by)
    parse_window(window)  # before the slow part: a bad window fails fast
    chosen = selection.type_list
    whole = fetch(db, selection, group_by=group_by)
    if whole.nodes:
        check_group(whole.groups.values(), from_group, group_by=group_by, parameter="from_group")
        check_group(whole.groups.values(), to_group, group_by=group_by, parameter="to_group")
    case_stages = stages(db)
    periods: list[Period | None] = [s.period for s in case_stages] or [None]
    brokerages = [
        brokerage_result(whole.during(p), group_by, chosen, p.label if p else None) for p in periods
    ]
    if case_stages:
        brokerages.insert(0, brokerage_result(whole, group_by, chosen, None))
    by_label = {b.at: b for b in brokerages}
    kinds = actor_kinds(db)
    snapshots = [
        snapshot_of(
            db,
            whole,
            p,
            p.label if p else "All time",
            group_by=group_by,
            types=chosen,
            top=top,
            brokerage=by_label[p.label if p else None],
            kinds=kinds,
        )
        for p in periods
    ]
    legitimacy_rows = (
        legitimacy(
            db,
            selection,
            from_group=from_group,
            to_group=to_group,
            group_by=group_by,
            by="stage" if case_stages else None,
            max_hops=LEGITIMACY_MAX_HOPS,
            brokers=None,
        )
        if whole.nodes
        else Legitimacy()
    )
    case_reforms = list(reforms(db))
    broken = [
        ReformBreaks(
            r,
            broken_ties(db, selection, reform=r["id"], window=window) if r.get("date") else None,
        )
        for r in case_reforms
    ]
    directed = {t.id: t.directed for t in whole.ties}
    for item in broken:
        for tie in item.ties or []:
            tie["directed"] = directed.get(tie["tie"], True)
    try:
        by_year = evolution(db, selection, by="year", group_by=group_by)
        year_problem = None
    except ValidationError as error:
        by_year, year_problem = Evolution(), str(error)
    by_group: dict[str, Counter[str]] = {}
    for node in whole.nodes:
        by_group.setdefault(whole.groups[node], Counter())[kinds.get(node, "person")] += 1
    type_counts = Counter((t.type, t.directed) for t in whole.ties)
    summary = legitimacy_summary(
        legitimacy_rows,
        targets_total=sum(1 for g in whole.groups.values() if g == to_group),
        top=top,
    )
    compared = (
        robustness(
            db,
            selection,
            group_by=group_by,
            from_group=from_group,
            to_group=to_group,
            periods=periods if not case_stages else [None, *periods],
            max_hops=LEGITIMACY_MAX_HOPS,
            top=top,
            all_ties=None if selection.active else whole,
            legitimacy_all=None if selection.active else summary,
        )
        if whole.nodes
        else None
    )
    by_coder, by_coder_problem = _by_coder(db, selection, group_by, from_group, to_group)
    return CaseResults(
        group_by=group_by,
        from_group=from_group,
        to_group=to_group,
        types=chosen,
        window=window,
        top=top,
        database=database_summary(db),
        stages=case_stages,
        stage_rows=db.read("network/stages") if case_stages else [],
        reforms=case_reforms,
        actors_by_group=[
            {
                "group": g,
                "persons": c["person"],
                "organizations": c["organization"],
                "actors": c["person"] + c["organization"],
            }
            for g, c in sorted(by_group.items())
        ],
        ties_by_type=[
            {"type": t, "direction": "directed" if d else "undirected", "ties": n}
            for (t, d), n in sorted(type_counts.items())
        ],
        snapshots=snapshots,
        brokerage=brokerages,
        top_brokers=[top_brokers(b, top) for b in brokerages],
        legitimacy_max_hops=LEGITIMACY_MAX_HOPS,
        legitimacy=legitimacy_rows,
        legitimacy_summary=summary,
        broken_ties=broken,
        evolution_by_stage=(
            evolution(db, selection, by="stage", group_by=group_by) if case_stages else Evolution()
        ),
        evolution_by_year=by_year,
        evolution_by_year_problem=year_problem,
        consensus=consensus(db, by="stage" if case_stages else None, group_by=group_by),
        **_inference(db, whole, case_reforms, group_by=group_by),
        evidence=selection,
        robustness=compared,
        by_coder=by_coder,
        by_coder_problem=by_coder_problem,
    )


def _by_coder(
    db: Reader, selection: Selection, group_by: str, from_group: str, to_group: str
) -> tuple[CoderRobustness | None, str | None]:
    """Robustness by coder for a case with more than one coder (else nothing): every coder
    of the case on the report's selection, all time."""
    if len(case_coders(db)) < 2:
        return None, None
    try:
        compared = robustness_by_coder(
            db,
            replace(selection, coders=None, period=None),
            group_by=group_by,
            from_group=from_group,
            to_group=to_group,
            max_hops=LEGITIMACY_MAX_HOPS,
        )
    except ValidationError as error:
        return None, str(error)
    return compared, None


REPORT_PERMUTATIONS = 1000
REPORT_SEED = 20150401  # fixed, so the report is the same for the same data


def _inference(
    db: Reader,
    whole: Network,
    case_reforms: list[dict[str, Any]],
    *,
    group_by: str,
) -> dict[str, Any]:
    """The report's inference sections: tie survival across each dated reform, and the
    brokerage roles of all ties against label permutations (fixed seed)."""
    from kb.analyses.survival import tie_survival
    from kb.measures.permutation import brokerage_test

    results, problems = [], []
    for reform in case_reforms:
        if not reform.get("date"):
            continue
        try:
            results.append(
                tie_survival(db, whole.selection, reform=reform["id"], group_by=group_by)
            )
        except ValidationError as error:
            problems.append(f"{reform['id']}: {error}")
    test = None
    if len(set(whole.groups.values())) > 1 and whole.ties:
        test = as_data(
            brokerage_test(
                whole.nodes,
                whole.arcs,
                groups=whole.groups,
                draws=REPORT_PERMUTATIONS,
                seed=REPORT_SEED,
            )
        )
    return {"survival": results, "survival_problems": problems, "brokerage_test": test}
