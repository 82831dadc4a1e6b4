"""The book's shared figures and style.

Chapters call these helpers so that every figure of the book looks alike: one style, one
palette, log-scaled rate axes, shaded confidence bands, and Cirq circuits laid out so that
their text diagrams read one gate per column (:func:`drawable_circuit`).

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
    "drawable_circuit",
    "get_axes",
    "new_figure",
    "plot_band",
    "plot_heatmap",
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
    """Set the book's matplotlib style (sizes, grid, palette).

    Updates ``matplotlib.rcParams`` in place: 6.4 x 4 inch figures at 110 dpi, a light
    grid, no top or right spines, the colours of :data:`PALETTE`.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> apply_style()
    >>> mpl.rcParams["axes.grid"], mpl.rcParams["figure.dpi"]
    (True, 110.0)
    """
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
    """Create a figure in the book's style; returns ``(fig, axes)`` like ``plt.subplots``.

    Parameters
    ----------
    ncols, nrows : int, default 1
        Grid of axes; the default size grows by 6.4 x 4 inches per column and row.
    **kwargs
        Passed to ``plt.subplots`` (``figsize``, ``layout`` default to the book's).

    Returns
    -------
    tuple
        ``(fig, axes)``: the figure and one axes or an array of axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = new_figure(ncols=2)
    >>> axes.shape, fig.get_size_inches().tolist()
    ((2,), [12.8, 4.0])
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    apply_style()
    if "figsize" not in kwargs:
        kwargs["figsize"] = (6.4 * ncols if ncols > 1 else 6.4, 4.0 * nrows if nrows > 1 else 4.0)
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def get_axes(ax: Any = None) -> Any:
    """The axes to draw on: ``ax`` itself, or the axes of a new figure when it is None.

    The one place where a plot function of the package turns ``ax=None`` into a figure in
    the book's style (:func:`new_figure`) and refuses anything that is not an axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None
        Axes to draw on; None creates a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, or the axes of a new figure.

    Raises
    ------
    TypeError
        If ``ax`` is neither None nor a matplotlib ``Axes``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = get_axes()
    >>> get_axes(ax) is ax
    True
    >>> plt.close(ax.figure)
    """
    from matplotlib.axes import Axes

    if ax is None:
        return new_figure()[1]
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


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
    """Plot ``y`` against ``x`` with a shaded band from ``low`` to ``high``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    x, y : sequence of float
        The line.
    low, high : sequence of float
        Lower and upper edges of the band (e.g. a confidence interval), same length as x.
    label : str, optional
        Legend label of the line.
    color : str, optional
        Colour of line and band (default: the next colour of the cycle).
    marker : str, default "o"
        Marker of the line.

    Returns
    -------
    None
        The line and the band are added to ``ax``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure()
    >>> plot_band(ax, [1, 2, 3], [0.5, 0.4, 0.3], [0.4, 0.3, 0.2], [0.6, 0.5, 0.4], label="p")
    >>> len(ax.lines), len(ax.collections)
    (1, 1)
    >>> plt.close(fig)
    """
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
    bound: Sequence[float] | None = None,
) -> Any:
    """Log-scale rate-versus-distance plot with the PLOB bound for reference.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    distance_km : sequence of float
        Distances in km.
    curves : dict of str to sequence of float
        Label → rates at ``distance_km`` (zeros are left out of the log plot).
    attenuation_db_per_km : float, default 0.2
        Fibre attenuation of the PLOB bound.
    show_plob : bool, default True
        Draw the repeaterless (PLOB) bound as a dashed black line.
    ylabel : str, default "secret key rate (bits per channel use)"
        Label of the y axis.
    bound : sequence of float, optional
        The PLOB bound at ``distance_km`` as already computed (e.g. a result's ``plob``);
        computed from ``attenuation_db_per_km`` when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with the curves, the bound and a legend.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure()
    >>> ax = plot_rate_vs_distance(ax, [0, 50, 100], {"BB84": [0.5, 0.05, 0.0]})
    >>> len(ax.lines), ax.get_yscale(), len(ax.lines[0].get_xdata())  # the zero is left out
    (2, 'log', 2)
    >>> plt.close(fig)
    """
    d = np.asarray(distance_km, dtype=float)
    for label, rates in curves.items():
        r = np.asarray(rates, dtype=float)
        mask = r > 0
        ax.plot(d[mask], r[mask], label=label)
    if show_plob:
        plob = repeaterless_bound(d, attenuation_db_per_km) if bound is None else bound
        ax.plot(d, np.asarray(plob, dtype=float), "k--", label="PLOB bound (repeaterless)")
    ax.set_yscale("log")
    ax.set_xlabel("distance (km)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def plot_heatmap(
    table: Any,
    *,
    x: str,
    y: str,
    value: str,
    ax: Any = None,
    log: bool = False,
    cmap: str = "viridis",
) -> Any:
    """Heat map of one column of a sweep table over two of its swept parameters.

    Parameters
    ----------
    table : pandas.DataFrame
        A table as :func:`qnetlab.sweep.sweep` returns (indexed by the grid); ``x`` and
        ``y`` may be index levels or columns.
    x, y : str
        The parameters on the horizontal and vertical axis (one cell per value pair; the
        axes are categorical, labelled with the grid values).
    value : str
        The column coloured.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    log : bool, optional
        Logarithmic colour scale (cells <= 0 are left blank).
    cmap : str, optional
        Matplotlib colour map.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with a colour bar labelled ``value``.

    Raises
    ------
    ValueError
        If ``x``, ``y`` or ``value`` is not in the table, or a ``(x, y)`` pair occurs more
        than once (select the other swept parameters first, e.g. with ``table.xs``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qnetlab.sweep import table
    >>> t = table({"d": [3, 5], "p": [0.1, 0.2, 0.3]}, [{"rate": r} for r in range(6)])
    >>> ax = plot_heatmap(t, x="p", y="d", value="rate")
    >>> ax.images[0].get_array().shape
    (2, 3)
    """
    flat = table.reset_index()
    for name, label in ((x, "x"), (y, "y"), (value, "value")):
        if name not in flat.columns:
            raise ValueError(
                f"{label}={name!r} must be a swept parameter or a column of the table, "
                f"one of {list(flat.columns)}"
            )
    if flat.duplicated(subset=[x, y]).any():
        raise ValueError(
            f"every ({x}, {y}) pair must occur once in the table; select the other swept "
            "parameters first (e.g. table.xs(value, level=name))"
        )
    ax = get_axes(ax)
    grid = flat.pivot(index=y, columns=x, values=value)
    data = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    norm = None
    if log:
        from matplotlib.colors import LogNorm

        data = np.ma.masked_less_equal(data, 0.0)
        norm = LogNorm()
    image = ax.imshow(data, origin="lower", aspect="auto", cmap=cmap, norm=norm)
    ax.set_xticks(
        range(grid.shape[1]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.columns]
    )
    ax.set_yticks(
        range(grid.shape[0]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.index]
    )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, label=value)
    return ax


def drawable_circuit(circuit: Any) -> Any:
    """The same gates, re-laid so that no two gates of a moment overlap in the text drawing.

    Cirq packs gates on disjoint qubits into one moment, and its text diagram then draws
    crossing vertical lines inside a box. This places every operation, in order, in the
    earliest moment after the last one on its qubits in which its vertical span (from its
    top to its bottom qubit, in the drawing's order) crosses no other gate. The order of
    the gates on each qubit is kept, so the circuit acts the same.

    Parameters
    ----------
    circuit : cirq.Circuit or iterable of cirq.Operation
        The circuit to lay out.

    Returns
    -------
    cirq.Circuit
        The re-laid circuit (same unitary, more moments).

    Raises
    ------
    TypeError
        If ``circuit`` holds something that is not a Cirq operation.

    Examples
    --------
    >>> import cirq
    >>> a, b, c = cirq.LineQubit.range(3)
    >>> print(drawable_circuit(cirq.Circuit(cirq.CNOT(a, c), cirq.H(b))))
    0: ───@───────
          │
    1: ───┼───H───
          │
    2: ───X───────
    """
    import cirq

    if hasattr(circuit, "all_operations"):
        circuit = circuit.all_operations()
    try:
        ops = list(cirq.flatten_to_ops(circuit))
    except (TypeError, ValueError) as exc:
        raise TypeError("circuit must be a cirq.Circuit or a sequence of cirq operations") from exc
    rows = {q: i for i, q in enumerate(sorted({q for op in ops for q in op.qubits}))}
    moments: list[list[Any]] = []
    spans: list[list[tuple[int, int]]] = []
    last: dict[Any, int] = {}
    for op in ops:
        idx = [rows[q] for q in op.qubits]
        span = (min(idx), max(idx))
        m = max((last[q] + 1 for q in op.qubits if q in last), default=0)
        while m < len(moments) and any(a <= span[1] and span[0] <= b for a, b in spans[m]):
            m += 1
        if m == len(moments):
            moments.append([])
            spans.append([])
        moments[m].append(op)
        spans[m].append(span)
        for q in op.qubits:
            last[q] = m
    return cirq.Circuit(cirq.Moment(group) for group in moments)
