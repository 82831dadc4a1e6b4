"""Threshold over all distances (finite-size scaling) and logical error rates per round.

Near the threshold ``p_th`` the logical error rate of a code family depends on the physical
error rate ``p`` and the distance ``d`` only through the rescaled variable
``x = (p - p_th) d^(1/nu)`` (finite-size scaling, as for a phase transition; Wang, Harrington
and Preskill 2003, Eq. (26); Harrington's thesis 2004). Expanded to second order,

    p_L = A + B x + C x^2 ,

one model describes the curves of *all* distances at once, and ``p_th`` is a fitted
parameter: :func:`fit_threshold_finite_size` fits it by weighted least squares and gives a
parametric-bootstrap confidence interval. It uses every point of every distance, where
:func:`~qnetlab.qec.experiments.fit_threshold` uses the crossing of two curves.

A memory experiment of ``r`` rounds fails when its observable flipped an odd number of
times. If each round flips it independently with probability ``e``, the shot fails with
``p_L = (1 - (1 - 2 e)^r) / 2``; :func:`per_round_error_rate` inverts this,

    e = (1 - (1 - 2 p_L)^(1/r)) / 2 ,

the per-round logical error rate used by Google Quantum AI (Nature 614, 676, 2023,
supplement) and by sinter's ``shot_error_rate_to_piece_error_rate``.

>>> round(per_round_error_rate(0.1, 2), 6)
0.052786
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import SeedLike, check_array, check_in_range, check_integer, make_rng
from ..plotting_results import plot_curves, plot_threshold
from ..results import ResultMixin

__all__ = ["FiniteSizeThreshold", "fit_threshold_finite_size", "per_round_error_rate"]


def per_round_error_rate(rate: Any, rounds: int) -> Any:
    """Logical error rate per round from the rate per shot of an ``rounds``-round memory.

    ``e = (1 - (1 - 2 p_L)^(1/r)) / 2``: the flip probability per round that, XORed over
    ``r`` independent rounds, gives the shot's rate ``p_L``. A rate above 1/2 is mapped as
    ``1 - f(1 - p_L)`` (sinter's convention), so the function is defined on ``[0, 1]``.

    Parameters
    ----------
    rate : float or array_like
        Logical error rate per shot, in [0, 1].
    rounds : int
        Number of rounds (>= 1).

    Returns
    -------
    float or numpy.ndarray
        Per-round logical error rate, the shape of ``rate``.

    Raises
    ------
    ValueError
        If a rate is outside [0, 1] or not finite, or ``rounds`` < 1.
    TypeError
        If ``rounds`` is not an integer.

    Examples
    --------
    >>> per_round_error_rate(0.0, 5), per_round_error_rate(0.5, 5)
    (0.0, 0.5)
    >>> e = per_round_error_rate(0.2, 3)
    >>> round((1 - (1 - 2 * e) ** 3) / 2, 12)
    0.2
    """
    r = check_integer(rounds, "rounds", minimum=1)
    arr = check_array(rate, "rate", low=0.0, high=1.0)  # finite numbers in [0, 1]
    low = np.minimum(arr, 1 - arr)
    e = (1 - (1 - 2 * low) ** (1 / r)) / 2
    out = np.where(arr > 0.5, 1 - e, e)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class FiniteSizeThreshold(ResultMixin):
    """Finite-size scaling fit of :func:`fit_threshold_finite_size`.

    Parameters
    ----------
    p : float
        The fitted threshold ``p_th``.
    ci_low, ci_high : float
        Its bootstrap interval at ``confidence``.
    nu : float
        The fitted exponent (or the fixed one).
    nu_low, nu_high : float
        Its bootstrap interval (both ``nu`` when it was fixed).
    coefficients : tuple of float
        ``(A, B, C)`` of ``p_L = A + B x + C x^2``.
    chi2 : float
        Weighted sum of squared residuals; near ``dof`` when the model fits.
    dof : int
        Points minus fitted parameters.
    distances : tuple of int
        The distances fitted.
    points : int
        Number of points.
    n_bootstrap : int
        Bootstrap refits behind the intervals.
    confidence : float
        Level of the intervals.

    Examples
    --------
    >>> fit = FiniteSizeThreshold(0.1, 0.09, 0.11, 1.0, 1.0, 1.0, (0.2, 1.0, 0.0),
    ...                           0.0, 1, (3, 5), 6, 0, 0.95)
    >>> fit.ci_low < fit.p < fit.ci_high
    True
    """

    p: float
    ci_low: float
    ci_high: float
    nu: float
    nu_low: float
    nu_high: float
    coefficients: tuple[float, float, float]
    chi2: float
    dof: int
    distances: tuple[int, ...]
    points: int
    n_bootstrap: int
    confidence: float

    def rate(self, p: Any, distance: int) -> Any:
        """Fitted logical error rate at physical rate ``p`` and ``distance``.

        >>> fit = FiniteSizeThreshold(0.1, 0.09, 0.11, 1.0, 1.0, 1.0, (0.2, 1.0, 0.0),
        ...                           0.0, 1, (3, 5), 6, 0, 0.95)
        >>> round(fit.rate(0.1, 5), 6), round(fit.rate(0.11, 5), 6)
        (0.2, 0.25)
        """
        x = (np.asarray(p, dtype=float) - self.p) * float(distance) ** (1 / self.nu)
        a, b, c = self.coefficients
        out = a + b * x + c * x**2
        return float(out) if out.ndim == 0 else out

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fitted curves per distance near the threshold, with its band; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        p = np.linspace(0.7 * self.p, 1.3 * self.p, 61)
        fits = {f"fit d = {d}": self.rate(p, d) for d in self.distances}
        labels = {"xlabel": "physical error rate p", "ylabel": "logical error rate"}
        ax = plot_curves(fits, x=p, ax=ax, **labels, **kwargs)
        return plot_threshold(self.p, self.ci_low, self.ci_high, ax=ax)


def _model(theta: np.ndarray, p: np.ndarray, d: np.ndarray, nu: float | None) -> np.ndarray:
    p_th = theta[0]
    nu_ = theta[1] if nu is None else nu
    k = 2 if nu is None else 1
    x = (p - p_th) * d ** (1.0 / nu_)
    return theta[k] + theta[k + 1] * x + theta[k + 2] * x**2


def _fit(
    p: np.ndarray,
    d: np.ndarray,
    rate: np.ndarray,
    sigma: np.ndarray,
    nu: float | None,
    start: np.ndarray | None,
) -> tuple[np.ndarray, float]:
    """Weighted least squares of the scaling model; returns (parameters, chi2)."""
    from scipy.optimize import least_squares

    def linear(p_th: float, nu_: float) -> tuple[np.ndarray, float]:
        x = (p - p_th) * d ** (1.0 / nu_)
        design = np.stack([np.ones_like(x), x, x**2], axis=1) / sigma[:, None]
        coef, *_ = np.linalg.lstsq(design, rate / sigma, rcond=None)
        return coef, float(((design @ coef - rate / sigma) ** 2).sum())

    if start is None:  # coarse grid over (p_th, nu), the linear part solved exactly
        best = (math.inf, 0.0, 0.0, np.zeros(3))
        nus = [nu] if nu is not None else list(np.linspace(0.6, 3.0, 13))
        for p_th in np.linspace(p.min(), p.max(), 25):
            for nu_ in nus:
                coef, chi2 = linear(float(p_th), float(nu_))
                if chi2 < best[0]:
                    best = (chi2, float(p_th), float(nu_), coef)
        head = [best[1]] if nu is not None else [best[1], best[2]]
        start = np.array([*head, *best[3]])
    lower = [0.0] + ([0.05] if nu is None else []) + [-np.inf] * 3
    upper = [1.0] + ([20.0] if nu is None else []) + [np.inf] * 3
    res = least_squares(
        lambda th: (_model(th, p, d, nu) - rate) / sigma,
        np.clip(start, np.array(lower) + 1e-12, np.array(upper) - 1e-12),
        bounds=(lower, upper),
        x_scale="jac",
    )
    return res.x, float((res.fun**2).sum())


def fit_threshold_finite_size(
    results: Sequence[Any],
    *,
    nu: float | None = None,
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    scale_by_chi2: bool = False,
    seed: SeedLike = None,
) -> FiniteSizeThreshold:
    """Threshold from the curves of all distances: a finite-size scaling fit with interval.

    Fits ``p_L = A + B x + C x^2`` with ``x = (p - p_th) d^(1/nu)`` to every point by
    weighted least squares (weights from the binomial variances) and finds the interval of
    ``p_th`` by a parametric bootstrap: ``n_bootstrap`` times, every point's error count is
    redrawn from its binomial distribution at the observed rate and the model refitted; the
    interval holds the central ``confidence`` of the refitted thresholds (percentiles). Use
    points near the threshold, where the quadratic describes the curves; check ``chi2``
    against ``dof`` (small distances add finite-size corrections the quadratic misses:
    ``scale_by_chi2`` widens the intervals accordingly).

    Parameters
    ----------
    results : sequence of LogicalErrorRate
        Results with attributes ``p``, ``distance``, ``errors`` and ``shots`` (as returned
        by :func:`~qnetlab.qec.experiments.logical_error_curves` or
        :func:`~qnetlab.qec.sweeps.collect_logical_errors`), at >= 2 distances and at least
        two more points than fitted parameters.
    nu : float or None
        Fix the exponent (for example 1.5) instead of fitting it.
    n_bootstrap : int
        Bootstrap refits (0 skips the interval: ``ci_low = ci_high = p``); at most 10,000.
    confidence : float
        Level of the intervals, in (0, 1).
    scale_by_chi2 : bool
        When the model misses the points (``chi2 > dof``), widen both intervals about the
        estimates by the scale factor ``sqrt(chi2 / dof)`` (the Particle Data Group's
        recipe for inconsistent data), so the interval covers the misfit too.
    seed : int, numpy.random.Generator or None
        Seed of the bootstrap.

    Returns
    -------
    FiniteSizeThreshold
        The threshold, its interval, the exponent and the fit.

    Raises
    ------
    ValueError
        If fewer than two distances or too few points are given, a point has no shots, or
        ``nu``, ``n_bootstrap`` or ``confidence`` are out of range.
    TypeError
        If a result lacks ``p``, ``distance``, ``errors`` or ``shots``, or
        ``scale_by_chi2`` is not a bool.

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> pts = [R(p=p, distance=d, shots=10**6,
    ...          errors=round(1e6 * (0.2 + 2 * (p - 0.1) * d + 5 * ((p - 0.1) * d) ** 2)))
    ...        for d in (3, 5, 7) for p in (0.08, 0.09, 0.1, 0.11, 0.12)]
    >>> fit = fit_threshold_finite_size(pts, n_bootstrap=50, seed=1)
    >>> round(fit.p, 3), round(fit.nu, 2), fit.ci_low <= fit.p <= fit.ci_high
    (0.1, 1.0, True)
    """
    conf = check_in_range(
        confidence, "confidence", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    n_boot = check_integer(n_bootstrap, "n_bootstrap", minimum=0, maximum=10_000)
    if not isinstance(scale_by_chi2, bool):
        raise TypeError(f"scale_by_chi2 must be a bool, got {type(scale_by_chi2).__name__}")
    nu_fixed = None
    if nu is not None:
        nu_fixed = check_in_range(nu, "nu", 0.05, 20.0)
    rows = []
    for r in results:
        try:
            rows.append((float(r.p), int(r.distance), int(r.errors), int(r.shots)))
        except AttributeError as exc:
            raise TypeError(
                "results must hold objects with p, distance, errors and shots "
                f"(LogicalErrorRate), got {type(r).__name__}"
            ) from exc
    n_params = 5 if nu_fixed is None else 4
    if len(rows) < n_params + 2:
        raise ValueError(
            f"results must hold at least {n_params + 2} points to fit {n_params} parameters, "
            f"got {len(rows)}"
        )
    arr = np.array(rows, dtype=float)
    p, d, errors, shots = arr.T
    distances = tuple(sorted({int(x) for x in d}))
    if len(distances) < 2:
        raise ValueError(f"results must span at least two distances, got {list(distances)}")
    if np.any(shots < 1) or np.any(errors < 0) or np.any(errors > shots):
        raise ValueError("every result needs shots >= 1 and 0 <= errors <= shots")
    if np.any(p <= 0) or np.any(p >= 1):
        raise ValueError("every result needs 0 < p < 1")

    def sigma_of(err: np.ndarray) -> np.ndarray:
        smooth = (err + 0.5) / (shots + 1.0)  # no zero variance at 0 or all errors
        return np.sqrt(smooth * (1 - smooth) / shots)

    rate = errors / shots
    theta, chi2 = _fit(p, d, rate, sigma_of(errors), nu_fixed, None)
    p_boot, nu_boot = [], []
    rng = make_rng(seed)
    for _ in range(n_boot):
        err_b = rng.binomial(shots.astype(np.int64), rate).astype(float)
        th_b, _ = _fit(p, d, err_b / shots, sigma_of(err_b), nu_fixed, theta)
        p_boot.append(th_b[0])
        nu_boot.append(th_b[1] if nu_fixed is None else nu_fixed)
    nu_hat = float(theta[1]) if nu_fixed is None else float(nu_fixed)
    if n_boot:
        q = [50 * (1 - conf), 50 * (1 + conf)]
        ci = np.percentile(p_boot, q)
        nu_ci = np.percentile(nu_boot, q)
    else:
        ci = np.array([theta[0], theta[0]])
        nu_ci = np.array([nu_hat, nu_hat])
    dof = len(rows) - n_params
    if scale_by_chi2 and chi2 > dof:
        factor = math.sqrt(chi2 / dof)
        ci = theta[0] + factor * (ci - theta[0])
        nu_ci = nu_hat + factor * (nu_ci - nu_hat)
    coef = theta[-3:]
    return FiniteSizeThreshold(
        p=float(theta[0]),
        ci_low=float(min(ci[0], theta[0])),
        ci_high=float(max(ci[1], theta[0])),
        nu=nu_hat,
        nu_low=float(min(nu_ci[0], nu_hat)),
        nu_high=float(max(nu_ci[1], nu_hat)),
        coefficients=(float(coef[0]), float(coef[1]), float(coef[2])),
        chi2=chi2,
        dof=dof,
        distances=distances,
        points=len(rows),
        n_bootstrap=n_boot,
        confidence=conf,
    )
