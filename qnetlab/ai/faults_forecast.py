"""Predictive analytics for a repeater chain: alarm before a link crosses its threshold.

A degrading component (a memory whose T₂ shortens, a slowly misaligning interferometer)
lowers a link's fidelity gradually. :func:`reactive_alarms` is the naive policy: alarm
when the smoothed estimate is already below the service threshold.
:func:`forecast_alarms` fits a trend (linear, or exponential towards the depolarised
floor 1/4) to recent estimates and alarms when the forecast ``horizon`` windows ahead
falls below it. Both return a :class:`ForecastResult` scored against the noise-free truth
(lead time, false alarms); the telemetry comes from :func:`qnetlab.ai.faults.network_telemetry`.

>>> y = np.linspace(1.0, 0.8, 41)
>>> forecast_alarms(y, 0.9, history=10, horizon=5, truth=y).lead_windows > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_array, check_choice, check_in_range, check_integer
from ..plotting_results import plot_curves
from ..results import ResultMixin

__all__ = [
    "ForecastResult",
    "forecast_alarms",
    "reactive_alarms",
]


@dataclass(frozen=True)
class ForecastResult(ResultMixin):
    """Alarms of a monitoring policy on one series.

    Parameters
    ----------
    alarms : numpy.ndarray
        Boolean per window: the policy raises an alarm.
    first_alarm : int
        The first alarm window (−1 if none).
    crossing : int
        The window the true series first falls below ``threshold`` (−1 if never, or no
        truth given).
    lead_windows : float
        ``crossing − first_alarm`` (positive: warned ahead; NaN when either is missing).
    false_alarms : int
        Alarm episodes (runs of consecutive alarm windows) that start more than
        ``horizon`` windows before the crossing (all episodes if it never crosses).
    threshold : float
        The service threshold.

    Examples
    --------
    >>> r = reactive_alarms([0.95, 0.95, 0.85, 0.85], 0.9, smoothing=1, truth=[1, 1, 0.8, 0.8])
    >>> r.alarms.tolist(), r.first_alarm, r.crossing, r.lead_windows
    ([False, False, True, True], 2, 2, 0.0)
    """

    alarms: np.ndarray
    first_alarm: int
    crossing: int
    lead_windows: float
    false_alarms: int
    threshold: float

    def __repr__(self) -> str:
        return (
            f"ForecastResult(first_alarm={self.first_alarm}, crossing={self.crossing}, "
            f"lead_windows={self.lead_windows}, false_alarms={self.false_alarms})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Alarm per window, first alarm and crossing; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        marks = {"first alarm": self.first_alarm, "threshold crossing": self.crossing}
        marks = {k: v for k, v in marks.items() if v >= 0}
        labels = {"xlabel": "window", "ylabel": "alarm (1) or none (0)"}
        alarms = {"alarm": self.alarms.astype(float)}
        return plot_curves(
            alarms, x=np.arange(self.alarms.size), ax=ax, vlines=marks, **labels, **kwargs
        )


def _result(
    alarms: np.ndarray, truth: ArrayLike | None, threshold: float, horizon: int
) -> ForecastResult:
    first = int(np.argmax(alarms)) if alarms.any() else -1
    crossing = -1
    if truth is not None:
        tr = np.asarray(truth, dtype=float)
        if tr.shape != alarms.shape:
            raise ValueError(f"truth must have the series' shape {alarms.shape}, got {tr.shape}")
        below = tr < threshold
        crossing = int(np.argmax(below)) if below.any() else -1
    lead = float(crossing - first) if (first >= 0 and crossing >= 0) else float("nan")
    early = alarms[: max(crossing - horizon, 0)] if crossing >= 0 else alarms
    # count alarm episodes (a run of consecutive alarm windows is one alarm)
    false = int(np.sum(early[1:] & ~early[:-1]) + (early[0] if early.size else 0))
    return ForecastResult(
        alarms=alarms,
        first_alarm=first,
        crossing=crossing,
        lead_windows=lead,
        false_alarms=false,
        threshold=threshold,
    )


def _check_series(series: ArrayLike, threshold: float) -> tuple[np.ndarray, float]:
    y = check_array(series, "series", ndim=1, min_size=2)
    return y, float(check_in_range(threshold, "threshold", 0.0, 1.0))


def reactive_alarms(
    series: ArrayLike,
    threshold: float,
    *,
    smoothing: int = 5,
    truth: ArrayLike | None = None,
    horizon: int = 0,
) -> ForecastResult:
    """The naive policy: alarm when the mean of the last ``smoothing`` estimates is below
    ``threshold`` (react when it happens).

    Parameters
    ----------
    series : array_like
        The monitored estimates, one per window (1-D, finite, at least 2).
    threshold : float
        The service threshold, in [0, 1] (a fidelity).
    smoothing : int, optional
        Number of recent estimates averaged, at least 1.
    truth : array_like, optional
        The noise-free series (same shape) the alarms are scored against.
    horizon : int, optional
        Alarms more than ``horizon`` windows before the crossing count as false.

    Returns
    -------
    ForecastResult
        The alarms and their score.

    Raises
    ------
    ValueError
        If ``series`` is not a finite 1-D series or an argument is out of range.

    Examples
    --------
    >>> r = reactive_alarms(np.linspace(1.0, 0.8, 21), 0.9, smoothing=1, truth=np.linspace(1.0, 0.8, 21))
    >>> r.first_alarm, r.crossing, r.lead_windows
    (11, 11, 0.0)
    """
    y, thr = _check_series(series, threshold)
    k = check_integer(smoothing, "smoothing", minimum=1, maximum=y.size)
    h = check_integer(horizon, "horizon", minimum=0, maximum=y.size)
    csum = np.concatenate([[0.0], np.cumsum(y)])
    idx = np.arange(y.size)
    lo = np.maximum(idx + 1 - k, 0)
    avg = (csum[idx + 1] - csum[lo]) / (idx + 1 - lo)
    alarms = (avg < thr) & (idx + 1 >= k)
    return _result(alarms, truth, thr, h)


def forecast_alarms(
    series: ArrayLike,
    threshold: float,
    *,
    history: int = 30,
    horizon: int = 15,
    model: str = "linear",
    confirm: int = 3,
    truth: ArrayLike | None = None,
) -> ForecastResult:
    """Predictive policy: fit a trend to the last ``history`` estimates and alarm when the
    forecast ``horizon`` windows ahead falls below ``threshold`` for ``confirm`` windows
    in a row.

    ``model`` ``"linear"`` fits y = a + b t by least squares; ``"exponential"`` fits
    log(y − floor) linearly with floor = 1/4 (a depolarised pair's fidelity), the shape of
    memory decay. Only a downward trend (b < 0) raises an alarm, so a noisy flat series
    does not. Pass the noise-free ``truth`` to score lead time and false alarms.

    Parameters
    ----------
    series : array_like
        The monitored estimates, one per window (1-D, finite, at least 2).
    threshold : float
        The service threshold, in [0, 1] (a fidelity).
    history : int, optional
        Number of recent estimates the trend is fitted to, at least 3.
    horizon : int, optional
        How many windows ahead the forecast looks (and the false-alarm allowance).
    model : str, optional
        ``"linear"`` or ``"exponential"``.
    confirm : int, optional
        Consecutive windows the forecast must stay below ``threshold``, at least 1.
    truth : array_like, optional
        The noise-free series (same shape) the alarms are scored against.

    Returns
    -------
    ForecastResult
        The alarms and their score.

    Raises
    ------
    ValueError
        If ``series`` is not a finite 1-D series or an argument is out of range.

    Examples
    --------
    >>> y = np.r_[np.full(50, 0.95), np.linspace(0.95, 0.80, 100)]
    >>> r = forecast_alarms(y, 0.9, history=20, horizon=20, truth=y)
    >>> r.crossing, r.first_alarm < r.crossing
    (84, True)
    """
    y, thr = _check_series(series, threshold)
    hist = check_integer(history, "history", minimum=3, maximum=max(y.size, 3))
    h = check_integer(horizon, "horizon", minimum=0, maximum=y.size)
    check_choice(model, "model", ("linear", "exponential"))
    conf = check_integer(confirm, "confirm", minimum=1, maximum=y.size)
    n = y.size
    raw = np.zeros(n, dtype=bool)
    t = np.arange(hist, dtype=float)
    tc = t - t.mean()
    for i in range(hist - 1, n):
        win = y[i - hist + 1 : i + 1]
        if model == "exponential":
            v = np.log(np.clip(win - 0.25, 1e-6, None))
            slope = float(tc @ (v - v.mean()) / (tc @ tc))
            pred = 0.25 + np.exp(v.mean() + slope * (hist - 1 - t.mean() + h))
        else:
            slope = float(tc @ (win - win.mean()) / (tc @ tc))
            pred = win.mean() + slope * (hist - 1 - t.mean() + h)
        raw[i] = slope < 0 and pred < thr
    run = np.zeros(n, dtype=int)
    for i in range(n):
        run[i] = run[i - 1] + 1 if raw[i] and i > 0 else int(raw[i])
    return _result(run >= conf, truth, thr, h)
