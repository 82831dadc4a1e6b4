"""Forecasting operator traces hours ahead, and acting on the forecast (chapter III.B.2).

The baselines a forecaster must beat (persistence, seasonal naive, Holt-Winters) live in
:mod:`qnetlab.ai.forecast_baselines`; forecasts are *aligned on the target* (``p[i]`` is
the forecast of ``y[i]`` made ``horizon`` steps earlier).

The learned forecasters (:class:`LagForecaster`) are a gradient-boosted tree ensemble and a
small neural network (a multilayer perceptron) on a window of the last ``n_lags`` values,
the direct strategy (one model per horizon) predicting the change y(t+h) − y(t).

:func:`forecast_study` scores every method on held-out traces with the mean absolute scaled
error (MASE, Hyndman & Koehler 2006): |error| divided by the in-sample mean absolute error
of the seasonal naive forecast on the trace's history, so 1 means "as good as yesterday's
value on the history". :meth:`ForecastStudy.interval` gives bootstrap intervals over days.
:func:`buffer_policy` turns forecasts into a proactive action: pre-generate entangled
pairs for the hour ``horizon`` ahead, forecast plus a safety margin calibrated for a
service target.

>>> y = 10 + np.sin(2 * np.pi * np.arange(96) / 24)
>>> p = seasonal_naive_forecast(y, 6)
>>> bool(np.allclose(p[24:], y[24:]))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_array,
    check_choice,
    check_in_range,
    check_integer,
    make_rng,
)
from .forecast_baselines import (
    HoltWinters,
    _horizon,
    _series,
    persistence_forecast,
    seasonal_naive_forecast,
)
from .forecast_traces import Trace

__all__ = [
    "BASELINES",
    "METHODS",
    "BufferOutcome",
    "ForecastStudy",
    "LagForecaster",
    "buffer_policy",
    "forecast_study",
]

#: Forecasting methods of :func:`forecast_study`, baselines first.
METHODS: tuple[str, ...] = ("persistence", "seasonal_naive", "holt_winters", "gbm", "mlp")
#: The classical baselines among :data:`METHODS`.
BASELINES: tuple[str, ...] = METHODS[:3]


def _as_trace(tr: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(tr, Trace):
        return tr.values, tr.hour
    y = _series(tr, name)
    return y, np.arange(y.size) % 24


def _lag_features(
    y: np.ndarray, hour: np.ndarray, horizon: int, n_lags: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows for the origins t = n_lags − 1, …, n − 1: [y(t), y(t−k) − y(t) for k < n_lags,
    sin and cos of the target's hour]; the target y(t+h) − y(t) (NaN past the end)."""
    n = y.size
    origin = np.arange(n_lags - 1, n)
    win = np.lib.stride_tricks.sliding_window_view(y, n_lags)  # row j: y[j : j + n_lags]
    last = win[:, -1:]
    ang = 2.0 * np.pi * ((hour[origin] + horizon) % 24) / 24.0
    x = np.column_stack([last, win[:, :-1] - last, np.sin(ang), np.cos(ang)])
    target = np.full(origin.size, np.nan)
    ok = origin + horizon < n
    target[ok] = y[origin[ok] + horizon] - y[origin[ok]]
    return x, target, origin


class LagForecaster:
    """A learned direct forecaster on lag windows: gradient boosting or a small MLP.

    Features at the origin t: y(t), the differences y(t−k) − y(t) for k = 1, …,
    ``n_lags`` − 1 (a day with the default 24: the same hour yesterday is in the window),
    and the hour of day of the target (sine, cosine); the model predicts y(t+h) − y(t).

    Parameters
    ----------
    model : str, optional
        ``"gbm"`` (scikit-learn ``HistGradientBoostingRegressor``) or ``"mlp"`` (a
        standardised ``MLPRegressor`` with one hidden layer of 32 units).
    horizon : int, optional
        Steps ahead h, at least 1.
    n_lags : int, optional
        Window length, at least 2.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the model.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> y = 10 + np.sin(2 * np.pi * np.arange(24 * 10) / 24)
    >>> f = LagForecaster("gbm", horizon=3, seed=0).fit([y])
    >>> bool(np.nanmax(np.abs(f.forecast(y) - y)) < 0.1)
    True
    """

    def __init__(
        self, model: str = "gbm", *, horizon: int = 1, n_lags: int = 24, seed: SeedLike = None
    ) -> None:
        self.model = check_choice(model, "model", ("gbm", "mlp"))
        self.horizon = _horizon(horizon)
        self.n_lags = check_integer(n_lags, "n_lags", minimum=2)
        self._seed = int(make_rng(seed).integers(2**31 - 1))
        self.estimator_: Any = None

    def __repr__(self) -> str:
        state = "fitted" if self.estimator_ is not None else "not fitted"
        return (
            f"LagForecaster(model={self.model!r}, horizon={self.horizon}, "
            f"n_lags={self.n_lags}, {state})"
        )

    def _make(self) -> Any:
        if self.model == "gbm":
            from sklearn.ensemble import HistGradientBoostingRegressor

            return HistGradientBoostingRegressor(
                max_iter=150, learning_rate=0.05, max_leaf_nodes=15, random_state=self._seed
            )
        from sklearn.compose import TransformedTargetRegressor
        from sklearn.neural_network import MLPRegressor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        mlp = MLPRegressor(
            hidden_layer_sizes=(32,),
            alpha=1e-2,
            learning_rate_init=3e-3,
            max_iter=300,
            early_stopping=True,
            n_iter_no_change=15,
            random_state=self._seed,
        )
        return TransformedTargetRegressor(
            regressor=make_pipeline(StandardScaler(), mlp), transformer=StandardScaler()
        )

    def fit(self, traces: Sequence[Trace | ArrayLike]) -> LagForecaster:
        """Fit on the pooled windows of several training traces.

        Parameters
        ----------
        traces : sequence of Trace or array_like
            Training series (arrays are taken to start at hour 0).

        Returns
        -------
        LagForecaster
            ``self``.

        Raises
        ------
        ValueError
            If no trace is long enough for one window and target.

        Examples
        --------
        >>> LagForecaster("gbm", seed=0).fit([np.arange(60.0)]).estimator_ is not None
        True
        """
        xs, ts = [], []
        for i, tr in enumerate(traces):
            y, hour = _as_trace(tr, f"traces[{i}]")
            if y.size < self.n_lags + self.horizon:
                continue
            x, t, _ = _lag_features(y, hour, self.horizon, self.n_lags)
            ok = np.isfinite(t)
            xs.append(x[ok])
            ts.append(t[ok])
        if not xs:
            raise ValueError(
                f"traces must hold a series of at least n_lags + horizon = "
                f"{self.n_lags + self.horizon} points"
            )
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from threadpoolctl import threadpool_limits

        est = self._make()  # imports scikit-learn (and its OpenMP) before the limit below
        # small data: one thread; more only contend with other work (and oversubscribe)
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(np.concatenate(xs), np.concatenate(ts))
        self.estimator_ = est
        return self

    def forecast(self, y: ArrayLike | Trace, hour: ArrayLike | None = None) -> np.ndarray:
        """Forecasts ``horizon`` ahead from every origin, aligned on the target.

        Parameters
        ----------
        y : array_like or Trace
            The series.
        hour : array_like, optional
            Hour of day of each point (default: the trace's, or ``arange(n) % 24``).

        Returns
        -------
        numpy.ndarray
            ``p[i]`` from the origin ``i − h`` (NaN where the origin has no full window).

        Raises
        ------
        RuntimeError
            If the forecaster is not fitted.

        Examples
        --------
        >>> f = LagForecaster("gbm", horizon=2, n_lags=3, seed=0).fit([np.arange(40.0)])
        >>> int(np.isnan(f.forecast(np.arange(10.0))).sum())
        4
        """
        if self.estimator_ is None:
            raise RuntimeError("call fit(traces) before forecast")
        yy, hh = _as_trace(y, "y")
        if hour is not None:
            hh = check_array(hour, "hour", shape=(yy.size,), low=0, high=23)
        out = np.full(yy.size, np.nan)
        if yy.size < self.n_lags:
            return out
        x, _, origin = _lag_features(yy, hh, self.horizon, self.n_lags)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            pred = yy[origin] + self.estimator_.predict(x)
        ok = origin + self.horizon < yy.size
        out[origin[ok] + self.horizon] = pred[ok]
        return out


@dataclass(frozen=True, eq=False)
class ForecastStudy:
    """Forecasts of every method on held-out traces, scored from ``history`` on.

    Parameters
    ----------
    methods : tuple of str
        The methods compared.
    horizons : tuple of int
        The horizons (steps ahead).
    history : int
        Points of each test trace that count as history (fits, MASE scale); the rest is
        the evaluation segment.
    period : int
        Season length m.
    values : numpy.ndarray
        (n_test, n) the test traces.
    scale : numpy.ndarray
        Per test trace, the mean |y(t) − y(t − m)| over its history (the MASE scale).
    predictions : dict
        ``(method, horizon)`` → (n_test, n) aligned forecasts.

    Examples
    --------
    >>> from qnetlab.ai.forecast_traces import request_trace
    >>> tr = [request_trace(24 * 6, seed=s) for s in range(3)]
    >>> st = forecast_study(tr[:2], tr[2:], horizons=(1,), history=96,
    ...                     methods=("persistence", "seasonal_naive"), seed=0)
    >>> st.mase("seasonal_naive", 1) < st.mase("persistence", 1)
    True
    """

    methods: tuple[str, ...]
    horizons: tuple[int, ...]
    history: int
    period: int
    values: np.ndarray
    scale: np.ndarray
    predictions: dict[tuple[str, int], np.ndarray]

    def __repr__(self) -> str:
        return (
            f"ForecastStudy(n_methods={len(self.methods)}, horizons={self.horizons}, "
            f"n_test={self.values.shape[0]}, history={self.history}, "
            f"evaluated={self.values.shape[1] - self.history})"
        )

    def _key(self, method: str, horizon: int) -> tuple[str, int]:
        check_choice(method, "method", self.methods)
        check_choice(horizon, "horizon", self.horizons)
        return method, horizon

    def scaled_errors(self, method: str, horizon: int) -> np.ndarray:
        """|y − ŷ| / scale on the evaluation segment, shape (n_test, n − history)."""
        p = self.predictions[self._key(method, horizon)][:, self.history :]
        return np.abs(self.values[:, self.history :] - p) / self.scale[:, None]

    def mase(self, method: str, horizon: int) -> float:
        """Mean absolute scaled error of ``method`` at ``horizon`` over all test traces."""
        return float(np.mean(self.scaled_errors(method, horizon)))

    def interval(
        self,
        method: str,
        horizon: int,
        *,
        relative_to: str | None = None,
        level: float = 0.9,
        n_boot: int = 2000,
        seed: SeedLike = None,
    ) -> tuple[float, float]:
        """Bootstrap interval of the MASE (or of the MASE ratio to ``relative_to``).

        Days (blocks of ``period`` points of every test trace's evaluation segment) are
        resampled with replacement; a ratio resamples the same days for both methods.

        Parameters
        ----------
        method : str
            One of :attr:`methods`.
        horizon : int
            One of :attr:`horizons`.
        relative_to : str, optional
            A second method: the interval is of MASE(method) / MASE(relative_to).
        level : float, optional
            Coverage, in (0, 1).
        n_boot : int, optional
            Bootstrap resamples, at least 10.
        seed : int, numpy.random.Generator or None, optional
            Randomness.

        Returns
        -------
        tuple of float
            (low, high).

        Raises
        ------
        ValueError
            If an argument is out of range.

        Examples
        --------
        >>> from qnetlab.ai.forecast_traces import request_trace
        >>> tr = [request_trace(24 * 6, seed=s) for s in range(3)]
        >>> st = forecast_study(tr[:2], tr[2:], horizons=(1,), history=96,
        ...                     methods=("persistence",), seed=0)
        >>> lo, hi = st.interval("persistence", 1, seed=0)
        >>> bool(lo <= st.mase("persistence", 1) <= hi)
        True
        """
        lev = check_in_range(level, "level", 0.0, 1.0, low_inclusive=False, high_inclusive=False)
        nb = check_integer(n_boot, "n_boot", minimum=10, maximum=10**6)
        rng = make_rng(seed)

        def blocks(meth: str) -> np.ndarray:
            e = self.scaled_errors(meth, horizon)
            d = e.shape[1] // self.period
            e = e[:, : d * self.period].reshape(e.shape[0] * d, self.period)
            return e.mean(axis=1)

        a = blocks(method)
        b = blocks(relative_to) if relative_to is not None else None
        idx = rng.integers(0, a.size, size=(nb, a.size))
        stat = a[idx].mean(axis=1)
        if b is not None:
            stat = stat / b[idx].mean(axis=1)
        q = (1.0 - lev) / 2.0
        return float(np.quantile(stat, q)), float(np.quantile(stat, 1.0 - q))

    def best(self, horizon: int, among: Sequence[str] = BASELINES) -> str:
        """The method with the lowest MASE at ``horizon`` among ``among`` (the baselines).

        Parameters
        ----------
        horizon : int
            One of :attr:`horizons`.
        among : sequence of str, optional
            Candidate methods of the study (default: :data:`BASELINES` present in it).

        Returns
        -------
        str
            The best method.

        Raises
        ------
        ValueError
            If no candidate is a method of the study.

        Examples
        --------
        >>> from qnetlab.ai.forecast_traces import request_trace
        >>> tr = [request_trace(24 * 6, seed=s) for s in range(3)]
        >>> st = forecast_study(tr[:2], tr[2:], horizons=(6,), history=96,
        ...                     methods=("persistence", "seasonal_naive"), seed=0)
        >>> st.best(6)
        'seasonal_naive'
        """
        cands = [m for m in among if m in self.methods]
        if not cands:
            raise ValueError(f"among must name methods of the study {self.methods}, got {among}")
        return min(cands, key=lambda m: self.mase(m, horizon))

    def table(self) -> str:
        """MASE of every method (rows) at every horizon (columns), as text.

        Examples
        --------
        >>> from qnetlab.ai.forecast_traces import request_trace
        >>> tr = [request_trace(24 * 6, seed=s) for s in range(3)]
        >>> st = forecast_study(tr[:2], tr[2:], horizons=(1, 6), history=96,
        ...                     methods=("persistence",), seed=0)
        >>> print(st.table().splitlines()[0])
        method              h=1     h=6
        """
        head = f"{'method':16s}" + "".join(f"{'h=' + str(h):>8s}" for h in self.horizons)
        rows = [head]
        for m in self.methods:
            rows.append(f"{m:16s}" + "".join(f"{self.mase(m, h):8.3f}" for h in self.horizons))
        return "\n".join(rows)


def forecast_study(
    train: Sequence[Trace],
    test: Sequence[Trace],
    *,
    horizons: Sequence[int] = (1, 6, 24),
    history: int = 24 * 14,
    methods: Sequence[str] = METHODS,
    n_lags: int = 24,
    seed: SeedLike = None,
) -> ForecastStudy:
    """Forecast held-out traces with every method at every horizon.

    The learned models train on the ``train`` traces only; Holt-Winters is fitted on each
    test trace's first ``history`` points and then runs over the whole trace with those
    parameters (forecasting online, as an operator would); the evaluation segment is the
    rest of each test trace.

    Parameters
    ----------
    train : sequence of Trace
        Training traces (for the learned models).
    test : sequence of Trace
        Held-out traces, all of one length, longer than ``history``.
    horizons : sequence of int, optional
        Steps ahead, each in [1, history].
    history : int, optional
        History points of each test trace, at least two seasons.
    methods : sequence of str, optional
        A subset of :data:`METHODS`.
    n_lags : int, optional
        Window of the learned models.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the learned models.

    Returns
    -------
    ForecastStudy
        The aligned forecasts and their scores.

    Raises
    ------
    ValueError
        If an argument is out of range or the test traces differ in length or period.

    Examples
    --------
    >>> from qnetlab.ai.forecast_traces import memory_trace
    >>> tr = [memory_trace(24 * 5, seed=s) for s in range(2)]
    >>> forecast_study(tr[:1], tr[1:], horizons=(1,), history=72, methods=("persistence",))
    ForecastStudy(n_methods=1, horizons=(1,), n_test=1, history=72, evaluated=48)
    """
    if not test or not all(isinstance(t, Trace) for t in test):
        raise TypeError("test must be a non-empty sequence of Trace")
    n = len(test[0])
    period = test[0].period
    if any(len(t) != n or t.period != period for t in test):
        raise ValueError("test traces must all have the same length and period")
    hist = check_integer(history, "history", minimum=2 * period, maximum=n - 1)
    hs = tuple(check_integer(h, "horizons", minimum=1, maximum=hist) for h in horizons)
    if not hs:
        raise ValueError("horizons must name at least one horizon")
    meths = tuple(check_choice(m, "methods", METHODS) for m in methods)
    rng = make_rng(seed)
    values = np.vstack([t.values for t in test])
    scale = np.array([np.mean(np.abs(v[period:hist] - v[: hist - period])) for v in values])
    if np.any(scale <= 0):
        raise ValueError("a test trace is exactly periodic on its history: MASE is undefined")
    hws = (
        [HoltWinters.fit(v[:hist], period=period) for v in values]
        if "holt_winters" in meths
        else []
    )
    preds: dict[tuple[str, int], np.ndarray] = {}
    for h in hs:
        for m in meths:
            if m == "persistence":
                p = [persistence_forecast(v, h) for v in values]
            elif m == "seasonal_naive":
                p = [seasonal_naive_forecast(v, h, period) for v in values]
            elif m == "holt_winters":
                p = [hw.forecast(v, h) for hw, v in zip(hws, values)]
            else:
                f = LagForecaster(m, horizon=h, n_lags=n_lags, seed=rng).fit(list(train))
                p = [f.forecast(t) for t in test]
            preds[(m, h)] = np.vstack(p)
    return ForecastStudy(
        methods=meths,
        horizons=hs,
        history=hist,
        period=period,
        values=values,
        scale=scale,
        predictions=preds,
    )


@dataclass(frozen=True)
class BufferOutcome:
    """A proactive entanglement buffer driven by one forecaster, on the evaluation segment.

    Parameters
    ----------
    method : str
        The forecaster.
    horizon : int
        Hours between ordering the pairs and the hour they serve.
    margin : float
        Safety margin added to every forecast (calibrated on the history).
    service_hours : float
        Fraction of hours in which the buffer covered the demand.
    unserved_fraction : float
        Requests not served / requests.
    spare_fraction : float
        Pairs generated but not used (they decohere) / requests.

    Examples
    --------
    >>> BufferOutcome("gbm", 6, 40.0, 0.95, 0.004, 0.25)
    BufferOutcome('gbm', h=6, service=0.950, unserved=0.0040, spare=0.250)
    """

    method: str
    horizon: int
    margin: float
    service_hours: float
    unserved_fraction: float
    spare_fraction: float

    def __repr__(self) -> str:
        return (
            f"BufferOutcome({self.method!r}, h={self.horizon}, "
            f"service={self.service_hours:.3f}, unserved={self.unserved_fraction:.4f}, "
            f"spare={self.spare_fraction:.3f})"
        )


def buffer_policy(
    study: ForecastStudy,
    method: str,
    horizon: int,
    *,
    service: float = 0.95,
    calibration: int = 24 * 7,
) -> BufferOutcome:
    """Pre-generate pairs for the hour ``horizon`` ahead: forecast + a calibrated margin.

    The margin is the ``service`` quantile of the forecast errors y − ŷ over the last
    ``calibration`` hours of the history of every test trace, so that the buffer covers
    the demand in about that fraction of hours. The provision is S = max(ŷ + margin, 0)
    per hour; the outcome is scored on the evaluation segment. With ``"persistence"`` this
    is the reactive policy (order what the last hour used, plus a margin).

    Parameters
    ----------
    study : ForecastStudy
        Forecasts of request counts (:func:`qnetlab.ai.forecast_traces.request_trace`).
    method : str
        One of the study's methods.
    horizon : int
        One of the study's horizons.
    service : float, optional
        Target fraction of hours covered, in (0, 1).
    calibration : int, optional
        Hours of history used to calibrate the margin, in [24, history − horizon].

    Returns
    -------
    BufferOutcome
        Service, unserved and spare fractions.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> from qnetlab.ai.forecast_traces import request_trace
    >>> tr = [request_trace(24 * 12, seed=s) for s in range(3)]
    >>> st = forecast_study(tr[:1], tr[1:], horizons=(1,), history=24 * 8,
    ...                     methods=("seasonal_naive",))
    >>> out = buffer_policy(st, "seasonal_naive", 1, calibration=72)
    >>> bool(out.service_hours > 0.7 and out.spare_fraction > 0)
    True
    """
    if not isinstance(study, ForecastStudy):
        raise TypeError(f"study must be a ForecastStudy, got {type(study).__name__}")
    key = study._key(method, horizon)
    q = check_in_range(service, "service", 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    cal = check_integer(calibration, "calibration", minimum=24, maximum=study.history - horizon)
    p = study.predictions[key]
    y = study.values
    h0 = study.history
    res = (y[:, h0 - cal : h0] - p[:, h0 - cal : h0]).ravel()
    res = res[np.isfinite(res)]
    margin = float(np.quantile(res, q))
    demand = y[:, h0:]
    supply = np.maximum(p[:, h0:] + margin, 0.0)
    total = float(demand.sum())
    return BufferOutcome(
        method=method,
        horizon=int(horizon),
        margin=margin,
        service_hours=float(np.mean(demand <= supply)),
        unserved_fraction=float(np.maximum(demand - supply, 0.0).sum() / total),
        spare_fraction=float(np.maximum(supply - demand, 0.0).sum() / total),
    )
