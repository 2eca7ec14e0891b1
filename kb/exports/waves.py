"""The network in waves for longitudinal models: RSiena (SAOMs) and networkDynamic (R).

For each period of ``--by stage|year|quarter`` a wave is the network of the ties whose
spell overlaps the period (kb's one time rule, as ``--at`` selects it), written as an
adjacency matrix over **one fixed actor order**. Following RSiena's coding of structural
values (Ripley et al., RSiena manual, "structural zeros and ones"), a cell is ``10`` (a
structural zero: the tie was impossible) when either actor is not yet present; an actor is
present from the first wave in which it has a tie or a membership on. Files (plain text
that base R reads):

- ``actors.csv``: ``index, id, name, kind, sector, labels, territory, first_wave``;
- ``waves.csv``: ``wave, label, first, last, file, actors_present, arcs``;
- ``wave-01.txt`` …: the matrices, space-separated, no header, row i -> column j;
- ``memberships.csv``: per actor (rows) and wave (columns), the number of organizations
  the person is a member of (a changing covariate, ``varCovar``);
- ``waves.R``: builds the RSiena data object and a networkDynamic object from them.

Waves stop at the end of observation, the day survival analysis censors at
(`kb.analyses.survival.observation_end`): a tie recorded as ending after it does not add
years of waves the case never observed; the last wave ends that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kb.analyses.network import case_periods
from kb.analyses.selection import ALL_TIES, Selection
from kb.analyses.survival import observation_end
from kb.case_files import case_file, case_folder, write_case_file
from kb.errors import ValidationError
from kb.exports.files import ExportResult
from kb.exports.network import ActorNetwork, actor_network
from kb.exports.pseudonymise import (
    Pseudonymisation,
    attach_risk_report,
    pseudonymise_network,
)
from kb.periods import Period
from kb.provenance import write_sidecar
from kb.store import Reader

STRUCTURAL_ZERO = 10

R_SCRIPT = """# Build RSiena and networkDynamic objects from kb's waves (kb export waves).
# Needs the R packages RSiena and networkDynamic: install.packages(c("RSiena", "networkDynamic"))
actors <- read.csv("actors.csv", stringsAsFactors = FALSE)
waves <- read.csv("waves.csv", stringsAsFactors = FALSE)
n <- nrow(actors)
nets <- lapply(waves$file, function(f) as.matrix(read.table(f)))
members <- as.matrix(read.csv("memberships.csv", check.names = FALSE)[, -1, drop = FALSE])

# RSiena: 10 marks a structural zero (an actor not yet present); see RSiena's manual.
library(RSiena)
ties <- sienaDependent(array(unlist(nets), dim = c(n, n, length(nets))))
sector <- coCovar(as.integer(factor(actors$sector)))
kind <- coCovar(as.integer(factor(actors$kind)))
# A changing covariate has one column fewer than there are waves.
membership <- varCovar(members[, -ncol(members), drop = FALSE])
siena_data <- sienaDataCreate(ties, sector, kind, membership)
print(siena_data)

# networkDynamic: one network per wave (structural zeros read as no tie), onsets 0, 1, ...
library(networkDynamic)
wave_nets <- lapply(nets, function(m) {
  m[m == 10] <- 0
  network(m, directed = TRUE, matrix.type = "adjacency")
})
dynamic <- networkDynamic(network.list = wave_nets, vertex.pid = NULL)
network::set.vertex.attribute(dynamic, "kb_id", actors$id)
print(dynamic)
"""


def write_waves(
    kb: Reader,
    folder: str | Path,
    selection: Selection = ALL_TIES,
    *,
    by: str = "stage",
    pseudonymise: Pseudonymisation | None = None,
) -> ExportResult:
    """Write one adjacency matrix per period, the actor covariates and an R script.

    Args:
        kb: the knowledge base to read.
        folder: created if needed; files of an earlier export are replaced.
        selection: the ties (`kb.analyses.selection.Selection`; its period is left aside:
            the waves are the periods); the waves span the same periods whatever its
            evidence rule.
        by: ``stage``, ``year`` or ``quarter``.
        pseudonymise: rename people (and organisations), mask and coarsen as it says
            (`kb.exports.pseudonymise`), and write a risk report beside the export.

    Returns:
        Waves, actors and arcs written.

    Raises:
        ValidationError: unknown ``by``, no stages, no dated ties, a bad type, or an
            evidence selection that is malformed or keeps no tie.
        KBError: the folder cannot be written.
    """
    selection = selection.during(None)
    end = observation_end(kb)
    spanned = case_periods(kb, by, types=selection.types)
    periods = observed_periods(spanned, end["observed_until"])
    notes = []
    if periods != spanned:  # dates in the data lie after the end of observation
        notes.append(
            f"The waves stop at the end of observation, {end['observed_until']} "
            f"({end['set_by']}); later dates in the data are not waves."
        )
    network = actor_network(kb, selection)
    pseudonymiser = None
    if pseudonymise is not None:
        network, pseudonymiser = pseudonymise_network(kb, network, pseudonymise, folder)
    matrices, present, members = wave_matrices(network, periods)
    out = Path(folder)
    case_folder(out)
    ids = [node.id for node in network.nodes]
    first_wave = {
        node: next((k + 1 for k, alive in enumerate(present) if node in alive), None)
        for node in ids
    }
    rows = [["index", "id", "name", "kind", "sector", "labels", "territory", "first_wave"]]
    for k, node in enumerate(network.nodes):
        a = node.attributes
        rows.append(
            [
                str(k + 1),
                node.id,
                node.label,
                a.get("kind", ""),
                a.get("sector", ""),
                a.get("labels", ""),
                a.get("territory", ""),
                str(first_wave[node.id] or ""),
            ]
        )
    _write_csv(out / "actors.csv", rows)
    wave_rows = [["wave", "label", "first", "last", "file", "actors_present", "arcs"]]
    arcs_total = 0
    for k, (period, matrix) in enumerate(zip(periods, matrices, strict=True)):
        name = f"wave-{k + 1:02d}.txt"
        arcs = sum(row.count(1) for row in matrix)
        arcs_total += arcs
        write_case_file(out / name, "".join(" ".join(str(v) for v in row) + "\n" for row in matrix))
        wave_rows.append(
            [
                str(k + 1),
                period.label,
                _day(period.first),
                _day(period.last),
                name,
                str(len(present[k])),
                str(arcs),
            ]
        )
    _write_csv(out / "waves.csv", wave_rows)
    header = ["id", *[p.label for p in periods]]
    _write_csv(
        out / "memberships.csv", [header, *[[i, *(str(c) for c in members[i])] for i in ids]]
    )
    write_case_file(out / "waves.R", R_SCRIPT)
    write_sidecar(out, kb)
    result = ExportResult(
        str(out),
        "waves",
        {"waves": len(periods), "actors": len(ids), "arcs": arcs_total},
        notes,
    )
    if pseudonymiser is not None:
        attach_risk_report(result, network, pseudonymiser, out)
    return result


def observed_periods(periods: Sequence[Period], until: date) -> list[Period]:
    """The periods cut at the end of observation ``until``: a period that starts after it
    is left out, the one that holds it ends on it.

    Raises:
        ValidationError: every period starts after ``until``.
    """
    kept = [
        replace(p, last=until) if p.last is None or p.last > until else p
        for p in periods
        if p.first is None or p.first <= until
    ]
    if not kept:
        raise ValidationError(
            f"Observation ends on {until}, before the first period ({periods[0].label}) "
            "begins: there is no wave to write."
        )
    return kept


def wave_matrices(
    network: ActorNetwork, periods: Sequence[Period]
) -> tuple[list[list[list[int]]], list[set[str]], dict[str, list[int]]]:
    """Adjacency matrices (10 for a pair with an absent actor), the actors present in each
    wave, and the memberships each actor holds per wave."""
    ids = [node.id for node in network.nodes]
    index = {node: k for k, node in enumerate(ids)}
    present: list[set[str]] = []
    seen: set[str] = set()
    members = {node: [0] * len(periods) for node in ids}
    matrices = []
    for k, period in enumerate(periods):
        active = [e for e in network.edges if period.overlaps(e.start, e.end)]
        for edge in active:
            seen.update((edge.source, edge.target))
            if edge.relation == "membership":
                members[edge.source][k] += 1
        present.append(set(seen))
        n = len(ids)
        matrix = [
            [
                0 if i == j else (0 if ids[i] in seen and ids[j] in seen else STRUCTURAL_ZERO)
                for j in range(n)
            ]
            for i in range(n)
        ]
        for edge in active:
            if edge.relation != "tie" or edge.source == edge.target:
                continue
            i, j = index[edge.source], index[edge.target]
            matrix[i][j] = 1
            if not edge.directed:
                matrix[j][i] = 1
        matrices.append(matrix)
    return matrices, present, members


def _day(value: Any) -> str:
    return "" if value is None else str(value)


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    import csv

    with case_file(path, newline="") as stream:
        csv.writer(stream).writerows(rows)
