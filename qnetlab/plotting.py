"""The book's shared figures and style.

Chapters call these helpers so that every figure of the book looks alike: one style, one
palette, log-scaled rate axes, shaded confidence bands.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> fig, ax = new_figure()
>>> plot_band(ax, [0, 1], [1, 2], [0.5, 1.5], [1.5, 2.5], label="demo")
>>> len(ax.lines)
1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .qkd.theory import repeaterless_bound

__all__ = [
    "PALETTE",
    "apply_style",
    "new_figure",
    "plot_band",
    "plot_rate_vs_distance",
]

#: Colour-blind safe palette (Okabe–Ito).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)


def apply_style() -> None:
    """Set the book's matplotlib style (sizes, grid, palette)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 110,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "legend.frameon": False,
            "font.size": 10,
        }
    )


def new_figure(ncols: int = 1, nrows: int = 1, **kwargs: Any) -> tuple[Any, Any]:
    """Create a figure in the book's style; returns ``(fig, axes)`` like ``plt.subplots``."""
    import matplotlib.pyplot as plt

    apply_style()
    if "figsize" not in kwargs:
        kwargs["figsize"] = (6.4 * ncols if ncols > 1 else 6.4, 4.0 * nrows if nrows > 1 else 4.0)
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def plot_band(
    ax: Any,
    x: Sequence[float],
    y: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    label: str | None = None,
    color: str | None = None,
    marker: str = "o",
) -> None:
    """Plot ``y`` against ``x`` with a shaded band from ``low`` to ``high``."""
    (line,) = ax.plot(x, y, marker=marker, label=label, color=color)
    ax.fill_between(np.asarray(x), low, high, alpha=0.25, color=line.get_color(), linewidth=0)


def plot_rate_vs_distance(
    ax: Any,
    distance_km: Sequence[float],
    curves: dict[str, Sequence[float]],
    *,
    attenuation_db_per_km: float = 0.2,
    show_plob: bool = True,
    ylabel: str = "secret key rate (bits per channel use)",
) -> None:
    """Log-scale rate-versus-distance plot with the PLOB bound for reference.

    ``curves`` maps a label to rates (zeros are left out of the log plot).
    """
    d = np.asarray(distance_km, dtype=float)
    for label, rates in curves.items():
        r = np.asarray(rates, dtype=float)
        mask = r > 0
        ax.plot(d[mask], r[mask], label=label)
    if show_plob:
        ax.plot(
            d,
            repeaterless_bound(d, attenuation_db_per_km),
            "k--",
            label="PLOB bound (repeaterless)",
        )
    ax.set_yscale("log")
    ax.set_xlabel("distance (km)")
    ax.set_ylabel(ylabel)
    ax.legend()
