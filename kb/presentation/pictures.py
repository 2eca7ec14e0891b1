"""kb's pictures as objects a notebook displays inline (docs/python.md).

`kb plot ...` writes the bytes of `kb.presentation.plots` to a file; in Jupyter the same
pictures are `Picture` values, which the notebook shows through ``_repr_svg_`` or
``_repr_png_`` and which ``save(path)`` writes as a case file, as `kb plot` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.presentation import plots

if TYPE_CHECKING:
    from kb.analyses.selection import EvidenceSelection
    from kb.analyses.snapshot import Snapshot
    from kb.analyses.stages import Stage
    from kb.analyses.survival import Survival


@dataclass(frozen=True)
class Picture:
    """A picture: its bytes and format (``svg`` or ``png``); Jupyter shows it inline."""

    data: bytes
    fmt: str

    def _repr_svg_(self) -> str | None:
        return self.data.decode("utf-8") if self.fmt == "svg" else None

    def _repr_png_(self) -> bytes | None:
        return self.data if self.fmt == "png" else None

    def save(self, path: str | Path) -> None:
        """Write the picture (a private case file, as `kb plot` writes it)."""
        suffix = plots.format_of(path)
        if suffix != self.fmt:
            raise ValueError(f"{str(path)!r}: this picture is {self.fmt}, not {suffix}.")
        plots.save(self.data, path)


def network(shot: Snapshot, *, fmt: str = "svg") -> Picture:
    """The network of one period with its top brokers (`KnowledgeBase.network_snapshot`;
    ``kb plot network``)."""
    return Picture(plots.network_picture(shot, fmt=fmt), fmt)


def evolution(
    rows: Sequence[Mapping[str, Any]],
    *,
    stages: Sequence[Stage] = (),
    reforms: Sequence[Mapping[str, Any]] = (),
    by: str = "stage",
    group_by: str | None = "sector",
    types: list[str] | None = None,
    evidence: EvidenceSelection | None = None,
    fmt: str = "svg",
) -> Picture:
    """The evolution metrics over time (`KnowledgeBase.evolution`; ``kb plot evolution``)."""
    data = plots.evolution_picture(
        rows,
        stages=stages,
        reforms=reforms,
        by=by,
        group_by=group_by,
        types=types,
        evidence=evidence,
        fmt=fmt,
    )
    return Picture(data, fmt)


def survival(result: Survival, *, fmt: str = "svg") -> Picture:
    """The Kaplan-Meier curves of a `KnowledgeBase.tie_survival` result (``kb plot
    survival``)."""
    from kb.presentation.survival_plot import survival_chart

    return Picture(survival_chart(result, fmt=fmt), fmt)
