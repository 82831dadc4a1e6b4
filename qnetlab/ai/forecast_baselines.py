"""Forecasting baselines: persistence, seasonal naive and Holt-Winters smoothing.

Every forecaster returns forecasts *aligned on the target*: ``p[i]`` is the forecast of
``y[i]`` made at the origin ``i − horizon`` with the data ``y[: i − horizon + 1]`` (NaN
where no forecast exists).

- persistence: ŷ(t+h | t) = y(t);
- seasonal naive: ŷ(t+h | t) = y(t + h − m⌈h/m⌉), the same hour of the last observed day;
- :class:`HoltWinters`, additive level–(damped) trend–season exponential smoothing (Holt
  1957, Winters 1960; the error-correction form of Hyndman & Athanasopoulos, *Forecasting:
  principles and practice*, 2021, §8.3), parameters fitted by least squares on the
  one-step errors of the history. The tests check it against a hand computation and
  against statsmodels' ``ExponentialSmoothing``.

The learned forecasters and the evaluation live in :mod:`qnetlab.ai.forecasting`.

>>> persistence_forecast([1.0, 2.0, 4.0], 1).tolist()
[nan, 1.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_array, check_in_range, check_integer

__all__ = ["HoltWinters", "persistence_forecast", "seasonal_naive_forecast"]


def _series(y: ArrayLike, name: str = "y") -> np.ndarray:
    return check_array(y, name, ndim=1, min_size=2)


def _horizon(horizon: Any, n: int | None = None) -> int:
    return check_integer(horizon, "horizon", minimum=1, maximum=n)


def persistence_forecast(y: ArrayLike, horizon: int) -> np.ndarray:
    """Persistence forecast ŷ(t+h | t) = y(t), aligned on the target.

    Parameters
    ----------
    y : array_like
        The series (1-D, finite, at least 2 points).
    horizon : int
        Steps ahead h, at least 1.

    Returns
    -------
    numpy.ndarray
        ``p[i] = y[i − h]``; NaN for ``i < h``.

    Raises
    ------
    ValueError
        If ``y`` is not a finite 1-D series or ``horizon`` is out of range.

    Examples
    --------
    >>> persistence_forecast([1.0, 2.0, 3.0], 1).tolist()
    [nan, 1.0, 2.0]
    """
    y = _series(y)
    h = _horizon(horizon)
    out = np.full(y.size, np.nan)
    out[h:] = y[: y.size - h] if h < y.size else out[h:]
    return out


def seasonal_naive_forecast(y: ArrayLike, horizon: int, period: int = 24) -> np.ndarray:
    """Seasonal naive forecast ŷ(t+h | t) = y(t + h − m⌈h/m⌉), aligned on the target.

    Parameters
    ----------
    y : array_like
        The series (1-D, finite, at least 2 points).
    horizon : int
        Steps ahead h, at least 1.
    period : int, optional
        Season length m, at least 1.

    Returns
    -------
    numpy.ndarray
        ``p[i] = y[i − m⌈h/m⌉]``; NaN where that index is negative.

    Raises
    ------
    ValueError
        If ``y`` is not a finite 1-D series or an argument is out of range.

    Examples
    --------
    >>> seasonal_naive_forecast([1.0, 2.0, 3.0, 4.0, 5.0], 1, period=2).tolist()
    [nan, nan, 1.0, 2.0, 3.0]
    """
    y = _series(y)
    h = _horizon(horizon)
    m = check_integer(period, "period", minimum=1)
    lag = m * (-(-h // m))
    out = np.full(y.size, np.nan)
    if lag < y.size:
        out[lag:] = y[: y.size - lag]
    return out


def _hw_filter(
    y: np.ndarray,
    params: tuple[float, float, float],
    init: tuple[float, float, np.ndarray],
    damping: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Run the additive Holt-Winters recursions; return level, slope, season and the SSE.

    ``season`` has ``m + n`` entries: ``season[j]`` is s(j − m), the first m the initial
    seasonal state.
    """
    a, b, g = params
    level0, slope0, season0 = init
    m = season0.size
    n = y.size
    level = np.empty(n)
    slope = np.empty(n)
    season = np.empty(n + m)
    season[:m] = season0
    lv, sl, sse, phi = float(level0), float(slope0), 0.0, damping
    yl = y.tolist()
    s = season.tolist()
    for t in range(n):
        st = s[t]
        base = lv + phi * sl
        err = yl[t] - base - st
        sse += err * err
        new_l = a * (yl[t] - st) + (1.0 - a) * base
        sl = b * (new_l - lv) + (1.0 - b) * phi * sl
        s[t + m] = g * (yl[t] - base) + (1.0 - g) * st
        lv = new_l
        level[t] = lv
        slope[t] = sl
    return level, slope, np.asarray(s), sse


@dataclass(frozen=True)
class HoltWinters:
    """Additive Holt-Winters exponential smoothing (level, damped trend, season).

    With y the series, m the period, φ the damping and l, b, s the states:

    - forecast: ŷ(t+h | t) = l(t) + (φ + … + φʰ) b(t) + s(t + h − m(k+1)), k = ⌊(h−1)/m⌋;
    - level: l(t) = α (y(t) − s(t−m)) + (1 − α)(l(t−1) + φ b(t−1));
    - trend: b(t) = β (l(t) − l(t−1)) + (1 − β) φ b(t−1);
    - season: s(t) = γ (y(t) − l(t−1) − φ b(t−1)) + (1 − γ) s(t−m).

    Initial states: the mean of the first season, the mean change between the first two
    seasons per step (0 without a trend) and the first season minus its mean. Build one
    with :meth:`fit`.

    Parameters
    ----------
    alpha, beta, gamma : float
        Smoothing parameters of level, trend and season, in [0, 1].
    period : int
        Season length m.
    damping : float
        φ in (0, 1] (1: a linear trend; ``trend=False`` fits set β = 0 and b = 0).
    level0, slope0 : float
        Initial level and slope.
    season0 : tuple of float
        Initial seasonal states s(−m), …, s(−1).

    Examples
    --------
    >>> y = 5 + np.tile([0.0, 1.0, 0.0, -1.0], 6)
    >>> hw = HoltWinters.fit(y, period=4)
    >>> bool(np.allclose(hw.forecast(y, 2)[8:], y[8:], atol=1e-6))
    True
    """

    alpha: float
    beta: float
    gamma: float
    period: int
    damping: float
    level0: float
    slope0: float
    season0: tuple[float, ...]

    def __repr__(self) -> str:
        return (
            f"HoltWinters(alpha={self.alpha:.3g}, beta={self.beta:.3g}, "
            f"gamma={self.gamma:.3g}, period={self.period}, damping={self.damping:.3g})"
        )

    @staticmethod
    def initial_states(
        y: ArrayLike, period: int, trend: bool = True
    ) -> tuple[float, float, np.ndarray]:
        """The heuristic initial states (level, slope, season) of :class:`HoltWinters`.

        Parameters
        ----------
        y : array_like
            The series, at least two seasons long.
        period : int
            Season length m, at least 2.
        trend : bool, optional
            Estimate an initial slope (else 0).

        Returns
        -------
        tuple
            ``(level0, slope0, season0)``.

        Raises
        ------
        ValueError
            If the series is shorter than two seasons.

        Examples
        --------
        >>> lv, sl, s = HoltWinters.initial_states([1.0, 3.0, 3.0, 5.0], 2)
        >>> lv, sl, s.tolist()
        (2.0, 1.0, [-1.0, 1.0])
        """
        m = check_integer(period, "period", minimum=2)
        y = _series(y)
        if y.size < 2 * m:
            raise ValueError(
                f"y must hold at least two seasons (2 * period = {2 * m}), got {y.size}"
            )
        level0 = float(y[:m].mean())
        slope0 = float((y[m : 2 * m].mean() - level0) / m) if trend else 0.0
        return level0, slope0, y[:m] - level0

    @classmethod
    def fit(
        cls, y: ArrayLike, *, period: int = 24, trend: bool = True, damping: float = 0.98
    ) -> HoltWinters:
        """Fit α, β, γ by least squares on the one-step errors of ``y`` (L-BFGS-B).

        Parameters
        ----------
        y : array_like
            The history, at least two seasons long.
        period : int, optional
            Season length m, at least 2.
        trend : bool, optional
            Include the (damped) trend.
        damping : float, optional
            φ in (0, 1].

        Returns
        -------
        HoltWinters
            The fitted smoother.

        Raises
        ------
        ValueError
            If the series is too short or an argument is out of range.

        Examples
        --------
        >>> rng = np.random.default_rng(0)
        >>> y = np.tile(np.sin(np.arange(12) / 2), 8) + rng.normal(0, 0.1, 96)
        >>> 0 <= HoltWinters.fit(y, period=12).gamma <= 1
        True
        """
        from scipy.optimize import minimize

        y = _series(y)
        phi = check_in_range(damping, "damping", 0.0, 1.0, low_inclusive=False)
        init = cls.initial_states(y, period, trend)
        scale = float(np.var(y)) or 1.0

        def sse(p: np.ndarray) -> float:
            b = p[1] if trend else 0.0
            return _hw_filter(y, (p[0], b, p[2]), init, phi)[3] / (scale * y.size)

        best = minimize(sse, np.array([0.3, 0.02, 0.1]), method="L-BFGS-B", bounds=[(0.0, 1.0)] * 3)
        a, b, g = (float(np.clip(v, 0.0, 1.0)) for v in best.x)
        return cls(
            alpha=a,
            beta=b if trend else 0.0,
            gamma=g,
            period=int(period),
            damping=phi,
            level0=init[0],
            slope0=init[1],
            season0=tuple(float(v) for v in init[2]),
        )

    def forecast(self, y: ArrayLike, horizon: int) -> np.ndarray:
        """Run the smoother over ``y`` with the fitted parameters; forecasts ``horizon`` ahead.

        Parameters
        ----------
        y : array_like
            The series (its start must be where the smoother was initialised).
        horizon : int
            Steps ahead h, at least 1.

        Returns
        -------
        numpy.ndarray
            ``p[i]`` the forecast of ``y[i]`` from the origin ``i − h`` (NaN for ``i < h``;
            ``p`` at ``i < h`` would need the initial states: use :meth:`fitted`).

        Raises
        ------
        ValueError
            If ``y`` is not a finite 1-D series or ``horizon`` is out of range.

        Examples
        --------
        >>> hw = HoltWinters(0.5, 0.0, 0.0, 2, 1.0, 1.0, 0.0, (0.0, 0.0))
        >>> hw.forecast([1.0, 1.0, 1.0], 1).tolist()
        [nan, 1.0, 1.0]
        """
        y = _series(y)
        h = _horizon(horizon)
        m, phi = self.period, self.damping
        season0 = np.asarray(self.season0)
        level, slope, season, _ = _hw_filter(
            y, (self.alpha, self.beta, self.gamma), (self.level0, self.slope0, season0), phi
        )
        out = np.full(y.size, np.nan)
        if h >= y.size:
            return out
        origin = np.arange(y.size - h)
        damp = h if phi == 1.0 else float(np.sum(phi ** np.arange(1, h + 1)))
        k = (h - 1) // m
        # s(t + h − m(k+1)) sits at index t + h − m(k+1) + m of ``season``
        s_idx = origin + h - m * (k + 1) + m
        out[h:] = level[origin] + damp * slope[origin] + season[s_idx]
        return out

    def fitted(self, y: ArrayLike) -> np.ndarray:
        """One-step forecasts of every point of ``y``, the first from the initial states.

        Parameters
        ----------
        y : array_like
            The series.

        Returns
        -------
        numpy.ndarray
            ŷ(t | t−1) for t = 0, …, n−1.

        Raises
        ------
        ValueError
            If ``y`` is not a finite 1-D series.

        Examples
        --------
        >>> hw = HoltWinters(0.5, 0.0, 0.0, 2, 1.0, 1.0, 0.0, (0.0, 0.0))
        >>> hw.fitted([3.0, 1.0]).tolist()
        [1.0, 2.0]
        """
        y = _series(y)
        season0 = np.asarray(self.season0)
        level, slope, season, _ = _hw_filter(
            y,
            (self.alpha, self.beta, self.gamma),
            (self.level0, self.slope0, season0),
            self.damping,
        )
        prev_l = np.r_[self.level0, level[:-1]]
        prev_b = np.r_[self.slope0, slope[:-1]]
        return prev_l + self.damping * prev_b + season[: y.size]
