"""AI-tuned decoy-state QKD: choose μ, ν and the decoy fraction per distance.

The finite-size decoy key rate (:func:`~qnetlab.qkd.theory.finite_decoy_key_rate`) depends
on the signal intensity μ, the weak-decoy intensity ν and the fraction of pulses spent
on decoys. Too bright a signal invites photon-number splitting, too dim a signal wastes
clicks; more decoys tighten the estimate but leave fewer signals. The best trade-off
moves with distance. :func:`optimize_decoy_parameters` searches it with particle swarm
optimisation from :mod:`qnetlab.ai.optimizers` (derivative-free: the rate has kinks where
bounds become active); :func:`grid_decoy_parameters` is the exhaustive baseline on a fine
grid.

>>> pso = optimize_decoy_parameters(50.0, n_pulses=1e10, seed=0, n_particles=12, n_iterations=25)
>>> grid = grid_decoy_parameters(50.0, n_pulses=1e10, resolution=20)
>>> pso.key_rate >= 0.99 * grid.key_rate
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_integer,
    check_non_negative,
    check_positive,
    check_size,
    make_rng,
)
from ..qkd.finite_key import finite_bb84_secret_fraction
from ..qkd.link import GYS, LinkModel
from ..qkd.theory import finite_decoy_key_rate
from ..results import ResultMixin, deprecated_alias
from .optimizers import particle_swarm

__all__ = [
    "DECOY_BOUNDS",
    "DecoyTuning",
    "SampleFractionTuning",
    "grid_decoy_parameters",
    "optimize_decoy_parameters",
    "optimize_sample_fraction",
    "polished_grid_decoy_parameters",
    "random_search_decoy_parameters",
    "tuning_curve",
]

#: Search box: μ ∈ [0.05, 1.0], ν ∈ [0.001, 0.3], decoy fraction ∈ [0.01, 0.7].
DECOY_BOUNDS: tuple[tuple[float, float], ...] = ((0.05, 1.0), (0.001, 0.3), (0.01, 0.7))


@dataclass(frozen=True)
class DecoyTuning(ResultMixin):
    """Best decoy parameters found at one distance, and how many rate evaluations it took.

    ``mu``, ``nu`` and ``decoy_fraction`` are NaN (explicitly) when no evaluated point gives
    a positive key rate (``key_rate`` is then 0): there is no working setting to report.

    Parameters
    ----------
    distance_km : float
        Link length.
    mu, nu : float
        Signal and decoy mean photon numbers.
    decoy_fraction : float
        Fraction of pulses sent as decoys.
    key_rate : float
        Finite-size key rate per pulse at this setting.
    n_evaluations : int
        Rate evaluations the search spent.
    method : str
        The search method.

    Examples
    --------
    >>> t = DecoyTuning(25.0, 0.5, 0.1, 0.2, 1e-3, 40, "pso")
    >>> t.mu > t.nu, t.n_evaluations
    (True, 40)
    """

    distance_km: float
    mu: float
    nu: float
    decoy_fraction: float
    key_rate: float
    n_evaluations: int
    method: str


def _objective(distance_km: float, n_pulses: float, n_sigma: float, link: LinkModel):
    def f(x: np.ndarray) -> float:
        mu, nu, fd = float(x[0]), float(x[1]), float(x[2])
        if nu >= mu:
            return 0.0
        return -finite_decoy_key_rate(
            distance_km, mu, nu, fd, n_pulses=n_pulses, n_sigma=n_sigma, link=link
        )

    return f


def optimize_decoy_parameters(
    distance_km: float,
    *,
    n_pulses: float = 1e10,
    n_sigma: float = 5.0,
    link: LinkModel = GYS,
    n_particles: int = 20,
    n_iterations: int = 40,
    seed: SeedLike = None,
    progress: bool = False,
) -> DecoyTuning:
    """Maximise the finite-size decoy key rate over (μ, ν, decoy fraction) with PSO.

    Uses :func:`qnetlab.ai.optimizers.particle_swarm` on :data:`DECOY_BOUNDS`.

    Parameters
    ----------
    distance_km : float
        Link length (km, >= 0).
    n_pulses : float, optional
        Pulses sent per run (the finite-size block).
    n_sigma : float, optional
        Fluctuation margin of the decoy estimates, in standard deviations.
    link : LinkModel, optional
        Detector and fibre of the link (its length is replaced by ``distance_km``).
    n_particles, n_iterations : int, optional
        Swarm size and number of swarm updates (``n_particles * (n_iterations + 1)`` rate
        evaluations).
    seed : int, Generator or None, optional
        Randomness of the swarm.
    progress : bool, optional
        Show a tqdm bar.

    Returns
    -------
    DecoyTuning
        The best (μ, ν, decoy fraction), its key rate and the number of evaluations.

    Raises
    ------
    ValueError
        If ``distance_km`` is negative or ``n_pulses`` not positive.
    TypeError
        If ``link`` is not a :class:`~qnetlab.qkd.LinkModel`.

    Examples
    --------
    >>> t = optimize_decoy_parameters(20.0, seed=1, n_particles=10, n_iterations=15)
    >>> 0.2 < t.mu < 1.0 and t.nu < t.mu and t.key_rate > 0
    True
    """
    d = check_non_negative(distance_km, "distance_km")
    n = check_positive(n_pulses, "n_pulses")
    if not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    res = particle_swarm(
        _objective(d, n, n_sigma, link),
        DECOY_BOUNDS,
        n_particles=n_particles,
        n_iterations=n_iterations,
        seed=seed,
        progress=progress,
    )
    return DecoyTuning(
        d,
        float(res.x[0]),
        float(res.x[1]),
        float(res.x[2]),
        float(-res.fun),
        int(res.n_evaluations),
        "particle_swarm",
    )


def grid_decoy_parameters(
    distance_km: float,
    *,
    n_pulses: float = 1e10,
    n_sigma: float = 5.0,
    link: LinkModel = GYS,
    resolution: int = 30,
) -> DecoyTuning:
    """Exhaustive search of :data:`DECOY_BOUNDS`, ``resolution`` points per axis (the baseline).

    Parameters
    ----------
    distance_km : float
        Link length (km, >= 0).
    n_pulses : float, optional
        Pulses sent per run.
    n_sigma : float, optional
        Fluctuation margin of the decoy estimates.
    link : LinkModel, optional
        Detector and fibre of the link.
    resolution : int, optional
        Grid points per axis (>= 2); ``resolution**3`` rate evaluations.

    Returns
    -------
    DecoyTuning
        The best grid point and its key rate (``method="grid"``).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> g = grid_decoy_parameters(20.0, resolution=8)
    >>> g.n_evaluations
    512
    """
    d = check_non_negative(distance_km, "distance_km")
    n = check_positive(n_pulses, "n_pulses")
    k = check_size(
        resolution,
        "resolution",
        minimum=2,
        maximum=60,
        hint="the grid has resolution**3 points; use optimize_decoy_parameters instead",
    )
    f = _objective(d, n, n_sigma, link)
    axes = [np.linspace(lo, hi, k) for lo, hi in DECOY_BOUNDS]
    best, best_x, count = 0.0, (np.nan, np.nan, np.nan), 0
    for mu in axes[0]:
        for nu in axes[1]:
            for fd in axes[2]:
                count += 1
                v = -f(np.array([mu, nu, fd]))
                if v > best:
                    best, best_x = v, (mu, nu, fd)
    return DecoyTuning(
        d, float(best_x[0]), float(best_x[1]), float(best_x[2]), float(best), count, "grid"
    )


class _Budget:
    """Counts rate evaluations and keeps the best point; refuses to evaluate past ``budget``."""

    def __init__(self, f: Any, budget: int) -> None:
        self.f, self.budget, self.n = f, budget, 0
        self.best, self.best_x = 0.0, np.array([np.nan, np.nan, np.nan])

    def __call__(self, x: np.ndarray) -> float:
        if self.n >= self.budget:
            return 0.0
        self.n += 1
        v = float(self.f(np.asarray(x, dtype=float)))
        if -v > self.best:
            self.best, self.best_x = -v, np.array(x, dtype=float)
        return v


def _result(d: float, b: _Budget, method: str) -> DecoyTuning:
    x = b.best_x
    return DecoyTuning(d, float(x[0]), float(x[1]), float(x[2]), float(b.best), b.n, method)


def random_search_decoy_parameters(
    distance_km: float,
    n_evaluations: int,
    *,
    n_pulses: float = 1e10,
    n_sigma: float = 5.0,
    link: LinkModel = GYS,
    seed: SeedLike = None,
) -> DecoyTuning:
    """Best of ``n_evaluations`` uniform random points of :data:`DECOY_BOUNDS` (a baseline).

    Parameters
    ----------
    distance_km : float
        Link length (km, >= 0).
    n_evaluations : int
        Random points evaluated (>= 1).
    n_pulses, n_sigma, link
        As in :func:`optimize_decoy_parameters`.
    seed : int, Generator or None, optional
        Randomness of the points.

    Returns
    -------
    DecoyTuning
        The best point found (``method="random_search"``).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> r = random_search_decoy_parameters(20.0, 50, seed=0)
    >>> r.n_evaluations, r.key_rate > 0
    (50, True)
    """
    d = check_non_negative(distance_km, "distance_km")
    n = check_positive(n_pulses, "n_pulses")
    k = check_integer(n_evaluations, "n_evaluations", minimum=1)
    rng = make_rng(seed)
    b = _Budget(_objective(d, n, n_sigma, link), k)
    lo = np.array([x[0] for x in DECOY_BOUNDS])
    hi = np.array([x[1] for x in DECOY_BOUNDS])
    for x in lo + rng.random((k, len(DECOY_BOUNDS))) * (hi - lo):
        b(x)
    return _result(d, b, "random_search")


def polished_grid_decoy_parameters(
    distance_km: float,
    n_evaluations: int,
    *,
    resolution: int = 4,
    n_pulses: float = 1e10,
    n_sigma: float = 5.0,
    link: LinkModel = GYS,
) -> DecoyTuning:
    """A coarse grid of ``resolution`` points per axis, then Nelder–Mead from its best point (a baseline).

    The classical recipe for a cheap, kinked objective: locate the basin on a coarse grid
    and polish with the derivative-free simplex method of Nelder & Mead (1965)
    (``scipy.optimize.minimize``, bounded), stopping at ``n_evaluations`` rate evaluations
    in total. Deterministic.

    Parameters
    ----------
    distance_km : float
        Link length (km, >= 0).
    n_evaluations : int
        Total rate evaluations (more than ``resolution**3``).
    resolution : int, optional
        Points per axis of the coarse grid (>= 2).
    n_pulses, n_sigma, link
        As in :func:`optimize_decoy_parameters`.

    Returns
    -------
    DecoyTuning
        The best point found (``method="grid+nelder_mead"``).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> p = polished_grid_decoy_parameters(20.0, 200)
    >>> p.n_evaluations <= 200 and p.key_rate >= grid_decoy_parameters(20.0, resolution=4).key_rate
    True
    """
    from scipy.optimize import minimize

    d = check_non_negative(distance_km, "distance_km")
    n = check_positive(n_pulses, "n_pulses")
    r = check_size(
        resolution,
        "resolution",
        minimum=2,
        maximum=60,
        hint="the grid has resolution**3 points; use optimize_decoy_parameters instead",
    )
    k = check_integer(n_evaluations, "n_evaluations", minimum=r**3 + 1)
    b = _Budget(_objective(d, n, n_sigma, link), k)
    axes = [np.linspace(lo, hi, r) for lo, hi in DECOY_BOUNDS]
    for mu in axes[0]:
        for nu in axes[1]:
            for fd in axes[2]:
                b(np.array([mu, nu, fd]))
    if b.best > 0:
        minimize(
            b,
            b.best_x.copy(),
            method="Nelder-Mead",
            bounds=DECOY_BOUNDS,
            options={"maxfev": k - b.n, "xatol": 1e-9, "fatol": 0.0},
        )
    return _result(d, b, "grid+nelder_mead")


def tuning_curve(
    distances_km: ArrayLike, *, n_pulses: float = 1e10, seed: SeedLike = None, **kwargs: Any
) -> list[DecoyTuning]:
    """PSO-tuned parameters at every distance (one seed stream for all).

    Parameters
    ----------
    distances_km : array_like
        Link lengths (km), a number or a 1-D sequence.
    n_pulses : float, optional
        Pulses sent per run.
    seed : int, Generator or None, optional
        One stream for all distances.
    **kwargs
        Passed to :func:`optimize_decoy_parameters`.

    Returns
    -------
    list of DecoyTuning
        One per distance, in order.

    Raises
    ------
    TypeError
        If ``distances_km`` is not numeric.
    ValueError
        If ``distances_km`` is empty or not 1-D.

    Examples
    --------
    >>> [round(t.distance_km) for t in tuning_curve([10, 20], n_particles=5, n_iterations=5, seed=0)]
    [10, 20]
    """
    try:
        ds = np.atleast_1d(np.asarray(distances_km, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(
            f"distances_km must be a number or a sequence of numbers, got {distances_km!r}"
        ) from None
    if ds.ndim != 1 or ds.size == 0:
        raise ValueError(f"distances_km must be a non-empty 1-D sequence, got shape {ds.shape}")
    if not np.all(np.isfinite(ds)) or np.any(ds < 0):
        raise ValueError(f"distances_km must be finite and non-negative, got {ds.tolist()}")
    rng = make_rng(seed)
    return [optimize_decoy_parameters(float(d), n_pulses=n_pulses, seed=rng, **kwargs) for d in ds]


@dataclass(frozen=True)
class SampleFractionTuning(ResultMixin):
    """Best fraction of sifted bits to publish for parameter estimation (BB84, finite key).

    Returned by :func:`optimize_sample_fraction`.

    Parameters
    ----------
    n_sifted : int
        Sifted bits of the block.
    qber : float
        Measured QBER.
    sample_fraction : float
        The best fraction found.
    secret_bits_per_sifted_bit : float
        Secret bits per sifted bit at that fraction (``secret_fraction`` is its deprecated
        old name).
    n_evaluations : int
        Objective evaluations of the swarm.

    Examples
    --------
    >>> t = optimize_sample_fraction(10**6, 0.02, seed=0)
    >>> t.n_sifted, 0.005 < t.sample_fraction < 0.2, 0 < t.secret_bits_per_sifted_bit < 1
    (1000000, True, True)
    """

    n_sifted: int
    qber: float
    sample_fraction: float
    secret_bits_per_sifted_bit: float
    n_evaluations: int

    secret_fraction = deprecated_alias("secret_bits_per_sifted_bit", "secret bits per sifted bit")


def optimize_sample_fraction(
    n_sifted: int,
    qber: float,
    *,
    ec_efficiency: float = 1.16,
    n_particles: int = 10,
    n_iterations: int = 25,
    seed: SeedLike = None,
) -> SampleFractionTuning:
    """Choose the estimation sample fraction that maximises the finite BB84 key (PSO).

    Parameters
    ----------
    n_sifted : int
        Sifted bits of the block (>= 2).
    qber : float
        Measured QBER.
    ec_efficiency : float, optional
        Error-correction inefficiency f.
    n_particles, n_iterations : int, optional
        Swarm size and updates.
    seed : int, Generator or None, optional
        Randomness of the swarm.

    Returns
    -------
    SampleFractionTuning
        The best fraction, its secret bits per sifted bit and the number of evaluations.

    Examples
    --------
    >>> t = optimize_sample_fraction(10**6, 0.02, seed=0)
    >>> 0.005 < t.sample_fraction < 0.2
    True
    """

    def objective(x: np.ndarray) -> float:
        return -finite_bb84_secret_fraction(
            n_sifted, qber, float(x[0]), ec_efficiency=ec_efficiency
        )

    check_integer(n_sifted, "n_sifted", minimum=2)
    res = particle_swarm(
        objective, [(1e-4, 0.5)], n_particles=n_particles, n_iterations=n_iterations, seed=seed
    )
    return SampleFractionTuning(
        int(n_sifted), float(qber), float(res.x[0]), float(-res.fun), int(res.n_evaluations)
    )
