"""Standard plots of the package's results: one function per kind of plot.

Every result class that has a standard plot draws itself with ``result.plot(ax=None,
**kwargs)``, a thin call to one of these functions, so a chapter can use either. Each
function takes plain arrays, draws on ``ax`` (a new figure in the book's style when it is
None, :func:`qnetlab.plotting.get_axes`), labels its axes with units, adds a legend when
there is more than one line, and returns the axes. matplotlib is imported only when a
figure is drawn.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = plot_curves({"loss": [1.0, 0.5, 0.25]}, ylabel="loss", logy=True)
>>> ax.lines[0].get_ydata().tolist(), ax.get_yscale()
([1.0, 0.5, 0.25], 'log')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .plotting import get_axes, plot_band

__all__ = [
    "plot_confusion",
    "plot_curves",
    "plot_distribution",
    "plot_logical_error_rates",
    "plot_roc",
    "plot_threshold",
]


def plot_curves(
    curves: Mapping[str, ArrayLike],
    *,
    x: ArrayLike | None = None,
    ax: Any = None,
    xlabel: str = "iteration",
    ylabel: str = "value",
    logx: bool = False,
    logy: bool = False,
    marker: str | None = None,
    hlines: Mapping[str, float] | None = None,
    vlines: Mapping[str, float] | None = None,
) -> Any:
    """Lines against a shared ``x`` or against their index: training and time curves.

    Parameters
    ----------
    curves : mapping of str to array_like
        Legend label → 1-D values.
    x : array_like, optional
        The common abscissa; by default each curve is drawn against 1, 2, ..., its length
        (iteration, epoch, episode or time slot).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    xlabel, ylabel : str
        Axis labels (with units).
    logx, logy : bool, default False
        Logarithmic axes.
    marker : str, optional
        Marker of the lines.
    hlines, vlines : mapping of str to float, optional
        Label → position of dashed horizontal (a reference value: exact energy, threshold)
        and dotted vertical (an event: first alarm) lines.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: one line per curve, then the horizontal, then the vertical lines.

    Raises
    ------
    ValueError
        If a curve is not 1-D or does not match the length of ``x``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_curves({"energy": [-0.5, -0.9, -1.1]}, ylabel="energy (Ha)",
    ...                  hlines={"exact": -1.137})
    >>> ax.lines[0].get_xdata().tolist(), len(ax.lines)
    ([1, 2, 3], 2)
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    xs = None if x is None else np.asarray(x, dtype=float)
    for label, values in curves.items():
        y = np.asarray(values, dtype=float)
        if y.ndim != 1 or (xs is not None and y.shape != xs.shape):
            shape = "" if xs is None else f" and of the length of x ({xs.size})"
            raise ValueError(f"curves[{label!r}] must be 1-D{shape}, got shape {y.shape}")
        ax.plot(np.arange(1, y.size + 1) if xs is None else xs, y, marker=marker, label=label)
    for label, value in (hlines or {}).items():
        ax.axhline(value, color="k", ls="--", lw=1, label=label)
    for i, (label, value) in enumerate((vlines or {}).items()):
        ax.axvline(value, color=f"C{i + 1}", ls=":", lw=1.2, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if len(ax.lines) > 1:
        ax.legend()
    return ax


def plot_roc(
    false_alarm: ArrayLike,
    detection: ArrayLike,
    *,
    ax: Any = None,
    label: str | None = None,
    operating_point: tuple[float, float] | None = None,
) -> Any:
    """Receiver operating characteristic: detection rate against false-alarm rate.

    Parameters
    ----------
    false_alarm, detection : array_like
        The curve's false-alarm and detection rates (same length, in [0, 1]).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    label : str, optional
        Legend label of the curve.
    operating_point : tuple of float, optional
        ``(false alarm, detection)`` of the chosen threshold, drawn as a point.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the curve (first line) and the chance diagonal (dashed).

    Raises
    ------
    ValueError
        If the two arrays differ in shape.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_roc([0.0, 0.1, 1.0], [0.0, 0.8, 1.0], label="detector")
    >>> ax.lines[0].get_ydata().tolist(), ax.get_xlabel()
    ([0.0, 0.8, 1.0], 'false-alarm rate')
    >>> plt.close(ax.figure)
    """
    fa = np.asarray(false_alarm, dtype=float)
    det = np.asarray(detection, dtype=float)
    if fa.shape != det.shape:
        raise ValueError(
            f"false_alarm and detection must have one shape, got {fa.shape} and {det.shape}"
        )
    ax = get_axes(ax)
    ax.plot(fa, det, label=label)
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="chance")
    if operating_point is not None:
        ax.plot(*operating_point, "o", color="k", label="operating point")
    ax.set_xlabel("false-alarm rate")
    ax.set_ylabel("detection rate")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend()
    return ax


def plot_distribution(
    samples: ArrayLike,
    *,
    ax: Any = None,
    bins: int = 40,
    xlabel: str = "value",
    label: str | None = None,
    vlines: Mapping[str, float] | None = None,
    logy: bool = False,
) -> Any:
    """Histogram (as a density) of samples, with marked values: waiting times, estimates.

    Parameters
    ----------
    samples : array_like
        The samples (finite values; others are left out).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    bins : int, default 40
        Number of bins.
    xlabel : str, default "value"
        Label (with unit) of the samples' axis.
    label : str, optional
        Legend label of the histogram.
    vlines : mapping of str to float, optional
        Label → position of dashed vertical lines (the mean, the true value).
    logy : bool, default False
        Logarithmic density axis (for geometric or heavy tails).

    Returns
    -------
    matplotlib.axes.Axes
        The axes: the bars are ``ax.patches``, the marked values ``ax.lines``.

    Raises
    ------
    ValueError
        If ``samples`` holds no finite value.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_distribution([1, 1, 2, 5], bins=4, xlabel="attempts", vlines={"mean": 2.25})
    >>> len(ax.patches), list(ax.lines[0].get_xdata())
    (4, [2.25, 2.25])
    >>> plt.close(ax.figure)
    """
    x = np.asarray(samples, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise ValueError("samples must hold at least one finite value")
    ax = get_axes(ax)
    ax.hist(x, bins=bins, density=True, alpha=0.7, label=label)
    for i, (name, value) in enumerate((vlines or {}).items()):
        ax.axvline(value, color=f"C{i + 1}", ls="--", lw=1.2, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("probability density")
    if logy:
        ax.set_yscale("log")
    if label is not None or vlines:
        ax.legend()
    return ax


def plot_confusion(
    confusion: ArrayLike,
    labels: Sequence[str] | None = None,
    *,
    ax: Any = None,
    normalise: bool = True,
) -> Any:
    """Confusion matrix: true class (rows) against predicted class (columns).

    Parameters
    ----------
    confusion : array_like
        Square matrix of counts, ``confusion[i, j]``: true ``i`` predicted ``j``.
    labels : sequence of str, optional
        Class names (default 0, 1, ...).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    normalise : bool, default True
        Show each row as fractions of its true class (empty rows stay 0).

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the matrix as ``ax.images[0]``, each cell's value written in it.

    Raises
    ------
    ValueError
        If ``confusion`` is not square or ``labels`` has the wrong length.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_confusion([[8, 2], [1, 9]], ["normal", "fault"])
    >>> ax.images[0].get_array().tolist()
    [[0.8, 0.2], [0.1, 0.9]]
    >>> plt.close(ax.figure)
    """
    m = np.asarray(confusion, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"confusion must be a square matrix, got shape {m.shape}")
    names = [str(i) for i in range(m.shape[0])] if labels is None else [str(s) for s in labels]
    if len(names) != m.shape[0]:
        raise ValueError(f"labels must name {m.shape[0]} classes, got {len(names)}")
    if normalise:
        rows = m.sum(axis=1, keepdims=True)
        m = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
    ax = get_axes(ax)
    image = ax.imshow(m, cmap="Blues", vmin=0)
    dark = 0.5 * m.max() if m.size else 0.0
    for (i, j), v in np.ndenumerate(m):
        text = f"{v:.2f}" if normalise else f"{v:g}"
        color = "white" if v > dark else "black"
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, label="fraction of true class" if normalise else "count")
    return ax


def plot_threshold(
    p: float,
    ci_low: float,
    ci_high: float,
    *,
    ax: Any = None,
    label: str = "threshold",
) -> Any:
    """A threshold estimate as a vertical line in a shaded confidence band.

    Parameters
    ----------
    p : float
        The estimate (physical error rate).
    ci_low, ci_high : float
        Its confidence interval.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on, typically one with logical error rates (a new figure in the book's
        style if omitted).
    label : str, default "threshold"
        Legend label.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the line (``ax.lines[-1]``) and the band (``ax.patches[-1]``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_threshold(0.0103, 0.0099, 0.0107)
    >>> list(ax.lines[-1].get_xdata()), ax.get_xlabel()
    ([0.0103, 0.0103], 'physical error rate p')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    ax.axvspan(ci_low, ci_high, color="grey", alpha=0.25, lw=0)
    ax.axvline(p, color="k", ls=":", lw=1.2, label=f"{label} {p:.4g} [{ci_low:.4g}, {ci_high:.4g}]")
    ax.set_xlabel("physical error rate p")
    if not ax.get_ylabel():
        ax.set_ylabel("logical error rate")
    ax.legend()
    return ax


def plot_logical_error_rates(
    results: Any,
    *,
    ax: Any = None,
    threshold: Any = None,
) -> Any:
    """Logical error rate against physical error rate, one line per distance (log-log).

    Parameters
    ----------
    results : mapping or sequence
        Results with attributes ``distance``, ``p``, ``rate``, ``ci_low`` and ``ci_high``
        (:class:`qnetlab.qec.LogicalErrorRate`): a flat sequence or the
        ``{distance: [result, ...]}`` of :func:`qnetlab.qec.logical_error_curves`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure in the book's style if omitted).
    threshold : object, optional
        A threshold estimate with ``p``, ``ci_low`` and ``ci_high`` (such as
        :class:`qnetlab.qec.ThresholdEstimate`), drawn as a band (:func:`plot_threshold`).

    Returns
    -------
    matplotlib.axes.Axes
        The axes: per distance (increasing) a line through the rates and a band over their
        confidence intervals (zero rates are left out of the log plot).

    Raises
    ------
    TypeError
        If a result lacks one of the attributes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from types import SimpleNamespace as R
    >>> rs = [R(distance=d, p=p, rate=p ** (d / 2), ci_low=0.0, ci_high=1.0)
    ...       for d in (3, 5) for p in (0.01, 0.1)]
    >>> ax = plot_logical_error_rates(rs)
    >>> [line.get_label() for line in ax.lines], ax.get_xscale()
    (['d = 3', 'd = 5'], 'log')
    >>> plt.close(ax.figure)
    """
    flat = [r for rs in results.values() for r in rs] if isinstance(results, Mapping) else results
    by_distance: dict[int, list[Any]] = {}
    for r in flat:
        if not all(hasattr(r, a) for a in ("distance", "p", "rate", "ci_low", "ci_high")):
            raise TypeError(
                "results must hold objects with distance, p, rate, ci_low and ci_high "
                f"(LogicalErrorRate), got {type(r).__name__}"
            )
        by_distance.setdefault(int(r.distance), []).append(r)
    ax = get_axes(ax)
    for d in sorted(by_distance):
        rs = sorted(by_distance[d], key=lambda r: r.p)
        arr = np.array([[r.p, r.rate, r.ci_low, r.ci_high] for r in rs], dtype=float)
        arr = arr[arr[:, 1] > 0]
        plot_band(ax, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], label=f"d = {d}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("physical error rate p")
    ax.set_ylabel("logical error rate")
    if threshold is not None:
        plot_threshold(threshold.p, threshold.ci_low, threshold.ci_high, ax=ax)
    ax.legend()
    return ax
