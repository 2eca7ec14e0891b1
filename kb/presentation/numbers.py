"""How kb writes numbers for people: one p-value format for the CLI's tables and the report.

R's convention (``format.pval``), which the researchers who check kb against R read every
day: four significant digits, scientific below 1e-4, and ``< 2.2e-16`` below the machine
epsilon, where a smaller value says nothing more (a p-value is never printed as 0).
"""

from __future__ import annotations

import re

# The smallest p-value worth printing: R's .Machine$double.eps (format.pval's eps).
P_FLOOR = 2.220446049250313e-16

# Names of the fields and columns that hold p-values in kb's results and tables:
# p, ph_p, p_greater, p_less, p_<role>, "p>=", "p<=", "PH p", "p≥", "p≤".
_P_NAME = re.compile(r"^(?:p|ph_p|p_[a-z_]+|p[<>≤≥]=?|.*[ _]p)$", re.IGNORECASE)


def is_p_value(name: str) -> bool:
    """Whether a field or column of that name holds a p-value."""
    return bool(_P_NAME.match(name))


def p_value(p: float | None, *, draws: int | None = None) -> str:
    """A p-value as text: ``0.01777``, ``1.2e-05``, ``< 2.2e-16``; None as an empty string.

    Args:
        p: the p-value.
        draws: for a Monte Carlo p-value, the number of random draws: below one draw's
            share the p-value says only that (``< 0.001`` for 1000 draws, where the share
            of draws is 0).

    Examples:
        >>> p_value(0.0177731), p_value(0.00001234), p_value(0.0), p_value(0.0, draws=1000)
        ('0.01777', '1.2e-05', '< 2.2e-16', '< 0.001')
    """
    if p is None:
        return ""
    if p != p:  # NaN: no test
        return "n/a"
    if draws and p < 1 / draws:
        return f"< {1 / draws:.2g}"
    if p < P_FLOOR:
        return "< 2.2e-16"
    if p < 1e-4:
        return f"{p:.2g}"
    return f"{p:.4g}"
