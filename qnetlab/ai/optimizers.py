"""Metaheuristic optimisers: particle swarm, simulated annealing, genetic algorithm.

Three classic population or trajectory methods, generic over the objective, and an
exhaustive search that gives the true optimum on instances small enough to enumerate, so
that every heuristic can be measured against it. All of them **minimise** (like
``scipy.optimize``); to maximise a utility ``u``, minimise ``-u``.

- :func:`particle_swarm` (Kennedy & Eberhart 1995; inertia weight of Shi & Eberhart 1998):
  particles move in a box with velocity
  ``v ← w v + c₁ r₁ (p_best − x) + c₂ r₂ (g_best − x)``.
- :func:`simulated_annealing` (Kirkpatrick, Gelatt & Vecchi 1983): a random walk that
  accepts a worse neighbour with the Metropolis probability ``exp(−Δ/T)`` while the
  temperature ``T`` cools geometrically. Generic over the state space through a
  ``neighbour(x, rng)`` function; :func:`box_neighbour` builds one for box bounds.
- :func:`genetic_algorithm` (Holland 1975; Goldberg 1989): tournament selection,
  crossover, mutation and elitism on binary, integer or real chromosomes.
- :func:`random_search`: evaluates random candidates; the baseline at equal cost.
- :func:`exhaustive_search`: evaluates every candidate; the true optimum.

Every optimiser takes a keyword-only ``seed``, returns an :class:`OptimizeResult` with the
best point, its value, the best value after each iteration and after each objective
evaluation (for convergence plots at equal cost) and the number of objective evaluations,
and shows a tqdm bar with ``progress=True``. ``max_evaluations`` stops any of them after
that many objective evaluations, so that methods can be compared at the same budget.

>>> res = particle_swarm(lambda x: float(np.sum(x**2)), [(-5, 5)] * 2, seed=1)
>>> res.fun < 1e-6
True
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin

__all__ = [
    "OptimizeResult",
    "box_neighbour",
    "exhaustive_search",
    "genetic_algorithm",
    "particle_swarm",
    "random_search",
    "simulated_annealing",
]


@dataclass(frozen=True, eq=False)
class OptimizeResult(ResultMixin):
    """Result of an optimiser (minimisation).

    Parameters
    ----------
    x : numpy.ndarray
        the best point found.
    fun : float
        the objective at ``x`` (the lowest value seen).
    history : numpy.ndarray
        the best value found so far after each iteration (generation, sweep,
        annealing step, or candidate for :func:`exhaustive_search`).
    n_evaluations : int
        how many times the objective was called.
    method : str, default ""
        the optimiser's name.
    trace : numpy.ndarray, optional
        the best value found so far after each objective evaluation
        (``trace[-1] == fun``; None if not recorded).

    Examples
    --------
    >>> res = exhaustive_search(lambda b: float((b[0] - 2) ** 2), [(0, 4)], integer_bounds=True)
    >>> res.x.tolist(), res.fun, res.history.tolist()
    ([2], 0.0, [4.0, 1.0, 0.0, 0.0, 0.0])
    """

    x: np.ndarray
    fun: float
    history: np.ndarray
    n_evaluations: int
    method: str = ""
    trace: np.ndarray | None = None

    def __repr__(self) -> str:
        x = np.asarray(self.x)
        if x.size <= 8:
            xs = np.array2string(x, precision=4, separator=", ")
        else:
            xs = f"array of shape {x.shape}"
        name = self.method or "OptimizeResult"
        return (
            f"OptimizeResult(method={name!r}, fun={self.fun:.6g}, x={xs}, "
            f"n_iterations={len(self.history)}, n_evaluations={self.n_evaluations})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Best objective so far per iteration; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "iteration", "ylabel": "best objective so far"}
        return plot_curves({self.method or "best": self.history}, ax=ax, **labels, **kwargs)


# --- helpers ---------------------------------------------------------------------------


class _BudgetExhausted(Exception):
    """Raised by :class:`_Counter` when the evaluation budget is spent."""


class _Counter:
    """Wrap an objective: count calls, check that it returns a real, non-NaN number, and
    record the best point and the best value after each call (stops at ``limit`` calls)."""

    def __init__(self, objective: Callable[[Any], Any], limit: int | None = None) -> None:
        if not callable(objective):
            raise TypeError(f"objective must be callable, got {type(objective).__name__}")
        self.objective = objective
        self.limit = None if limit is None else check_integer(limit, "max_evaluations", minimum=1)
        self.n = 0
        self.best_x: Any = None
        self.best = math.inf
        self.trace: list[float] = []

    def __call__(self, x: Any) -> float:
        if self.limit is not None and self.n >= self.limit:
            raise _BudgetExhausted
        self.n += 1
        value = self.objective(x)
        try:
            out = float(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"objective must return a real number, got {type(value).__name__}"
            ) from exc
        if math.isnan(out):
            raise ValueError(f"objective returned NaN at x={x!r}")
        if self.best_x is None or out < self.best:
            self.best_x, self.best = np.array(x, copy=True), out
        self.trace.append(self.best)
        return out

    def result(self, history: Any, method: str) -> OptimizeResult:
        """The result from the best point seen (the optimisers' own best coincides)."""
        return OptimizeResult(
            self.best_x,
            float(self.best),
            np.asarray(history, dtype=float),
            self.n,
            method,
            np.asarray(self.trace),
        )


def _check_bounds(bounds: Any, name: str = "bounds") -> tuple[np.ndarray, np.ndarray]:
    """Return (low, high) arrays from ``[(lo, hi), ...]``; every lo < hi, all finite."""
    try:
        b = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a sequence of (low, high) pairs") from exc
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(
            f"{name} must be a non-empty sequence of (low, high) pairs, got shape {b.shape}"
        )
    if not np.all(np.isfinite(b)):
        raise ValueError(f"{name} must be finite")
    if np.any(b[:, 0] >= b[:, 1]):
        i = int(np.argmax(b[:, 0] >= b[:, 1]))
        raise ValueError(f"{name}[{i}] must satisfy low < high, got {tuple(b[i])}")
    return b[:, 0].copy(), b[:, 1].copy()


def _progress(iterable: Iterable[Any], progress: bool, desc: str, total: int | None = None):
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total)


# --- particle swarm ----------------------------------------------------------------------


def particle_swarm(
    objective: Callable[[np.ndarray], float],
    bounds: Sequence[tuple[float, float]],
    *,
    n_particles: int = 30,
    n_iterations: int = 100,
    inertia: float = 0.7,
    cognitive: float = 1.5,
    social: float = 1.5,
    max_evaluations: int | None = None,
    seed: SeedLike = None,
    progress: bool = False,
) -> OptimizeResult:
    """Minimise ``objective`` over a box with particle swarm optimisation.

    Each particle keeps a position ``x``, a velocity ``v`` and its own best point
    ``p``; the swarm shares its best point ``g``. Per iteration, with fresh uniform
    ``r₁, r₂ ∈ [0, 1)`` per coordinate,

    ``v ← w v + c₁ r₁ (p − x) + c₂ r₂ (g − x)``, ``x ← clip(x + v, low, high)``,

    where ``w`` is ``inertia``, ``c₁`` ``cognitive`` and ``c₂`` ``social``. Velocities are
    limited to the width of the box. For discrete problems, round or floor ``x`` inside
    the objective.

    Parameters
    ----------
    objective : Callable[[np.ndarray], float]
        maps a 1-D array of length ``len(bounds)`` to a real number.
    bounds : Sequence[tuple[float, float]]
        ``[(low, high), ...]`` per coordinate, ``low < high``.
    n_particles : int, optional
        swarm size (>= 1).
    n_iterations : int, optional
        number of swarm updates (>= 1).
    inertia : float, optional
        ``w`` in [0, 1].
    cognitive, social
        ``c₁, c₂ >= 0``.
    max_evaluations : int | None, optional
        stop after this many objective evaluations (None: no limit);
        the result is then the best point evaluated so far.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.
    progress : bool, optional
        show a tqdm bar.

    Examples
    --------
    >>> res = particle_swarm(lambda x: float((x[0] - 1) ** 2 + (x[1] + 2) ** 2),
    ...                      [(-5, 5), (-5, 5)], n_iterations=60, seed=0)
    >>> np.round(res.x, 3).tolist(), len(res.history), res.n_evaluations
    ([1.0, -2.0], 60, 1830)
    """
    f = _Counter(objective, max_evaluations)
    low, high = _check_bounds(bounds)
    n_particles = check_size(n_particles, "n_particles", minimum=1, maximum=10**5)
    n_iterations = check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
    w = check_in_range(inertia, "inertia", 0.0, 1.0)
    c1 = check_non_negative(cognitive, "cognitive")
    c2 = check_non_negative(social, "social")
    rng = make_rng(seed)

    d = low.size
    width = high - low
    x = low + rng.random((n_particles, d)) * width
    v = (rng.random((n_particles, d)) * 2.0 - 1.0) * width * 0.1
    p = x.copy()
    history: list[float] = []
    try:
        p_val = np.array([f(xi.copy()) for xi in x])
        g_idx = int(np.argmin(p_val))
        g, g_val = p[g_idx].copy(), float(p_val[g_idx])
        for _ in _progress(range(n_iterations), progress, "particle swarm"):
            r1 = rng.random((n_particles, d))
            r2 = rng.random((n_particles, d))
            v = w * v + c1 * r1 * (p - x) + c2 * r2 * (g - x)
            v = np.clip(v, -width, width)
            x = np.clip(x + v, low, high)
            vals = np.array([f(xi.copy()) for xi in x])
            better = vals < p_val
            p[better] = x[better]
            p_val[better] = vals[better]
            i = int(np.argmin(p_val))
            if p_val[i] < g_val:
                g, g_val = p[i].copy(), float(p_val[i])
            history.append(g_val)
    except _BudgetExhausted:
        return f.result(history, "particle_swarm")
    return OptimizeResult(g, g_val, np.asarray(history), f.n, "particle_swarm", np.asarray(f.trace))


# --- simulated annealing -----------------------------------------------------------------


def box_neighbour(
    bounds: Sequence[tuple[float, float]], step: float = 0.1
) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    """Neighbour function for a box: a Gaussian step of ``step`` × box width, clipped.

    Parameters
    ----------
    bounds : sequence of (float, float)
        (low, high) per coordinate, low < high.
    step : float, default 0.1
        Standard deviation of the step as a fraction of each box width, > 0.

    Returns
    -------
    callable
        ``neighbour(x, rng)``: a new point inside the box.

    Raises
    ------
    ValueError
        If the bounds are not increasing pairs or ``step`` is not positive.

    Examples
    --------
    >>> nb = box_neighbour([(0, 1), (0, 10)], step=0.05)
    >>> y = nb(np.array([0.5, 5.0]), np.random.default_rng(0))
    >>> bool(np.all((y >= 0) & (y <= [1, 10])))
    True
    """
    low, high = _check_bounds(bounds)
    s = check_positive(step, "step") * (high - low)

    def neighbour(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return np.clip(np.asarray(x, dtype=float) + s * rng.standard_normal(low.size), low, high)

    return neighbour


def simulated_annealing(
    objective: Callable[[Any], float],
    x0: Any,
    *,
    neighbour: Callable[[Any, np.random.Generator], Any] | None = None,
    bounds: Sequence[tuple[float, float]] | None = None,
    step: float = 0.1,
    n_iterations: int = 2000,
    initial_temperature: float | None = None,
    cooling: float | None = None,
    final_temperature_ratio: float = 1e-3,
    max_evaluations: int | None = None,
    seed: SeedLike = None,
    progress: bool = False,
) -> OptimizeResult:
    """Minimise ``objective`` by simulated annealing from ``x0``.

    At step ``k`` a neighbour ``y = neighbour(x, rng)`` of the current state replaces it
    if it is better, or else with the Metropolis probability ``exp(−(f(y) − f(x)) / T_k)``;
    the temperature cools geometrically, ``T_k = T_0 · cooling^k``.

    The state space is generic: ``x0`` and the states ``neighbour`` returns can be any
    NumPy array (bits, integers, a permutation, real numbers). Give either ``neighbour``
    or box ``bounds``: then the neighbour is a Gaussian step of ``step`` × box width
    (clipped to the box, as in :func:`box_neighbour`) that shrinks with the temperature
    as ``sqrt(T_k / T_0)``, so the walk explores first and refines at the end.

    Parameters
    ----------
    objective : Callable[[Any], float]
        maps a state to a real number.
    x0 : Any
        initial state (array-like).
    neighbour : Callable[[Any, np.random.Generator], Any] | None, optional
        ``neighbour(x, rng) -> y``; must not modify ``x`` in place.
    bounds : Sequence[tuple[float, float]] | None, optional
        box bounds, used when ``neighbour`` is None.
    step : float, optional
        Gaussian step as a fraction of the box width (with ``bounds``).
    n_iterations : int, optional
        number of proposals (>= 1).
    initial_temperature : float | None, optional
        ``T_0 > 0``; None estimates it from a 20-step random walk
        from ``x0``, so that a move of typical size ``|Δ|`` is first accepted with
        probability 1/2 (the walk's evaluations count, and its best state is kept).
    cooling : float | None, optional
        geometric factor in (0, 1]; None chooses it so that the temperature
        falls to ``final_temperature_ratio · T_0`` at the last step.
    final_temperature_ratio : float, optional
        see ``cooling``, in (0, 1].
    max_evaluations : int | None, optional
        stop after this many objective evaluations (None: no limit);
        the result is then the best point evaluated so far.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.
    progress : bool, optional
        show a tqdm bar.

    Examples
    --------
    >>> flip = lambda x, rng: np.where(np.arange(x.size) == rng.integers(x.size), 1 - x, x)
    >>> res = simulated_annealing(lambda x: float(abs(x.sum() - 3)), np.zeros(8, dtype=int),
    ...                           neighbour=flip, n_iterations=300, seed=0)
    >>> res.fun, int(res.x.sum())
    (0.0, 3)
    """
    f = _Counter(objective, max_evaluations)
    adaptive = False
    if neighbour is None:
        if bounds is None:
            raise ValueError("simulated_annealing needs a neighbour function or box bounds")
        box_low, box_high = _check_bounds(bounds)
        box_step = check_positive(step, "step") * (box_high - box_low)
        scale = [1.0]  # shrinks with the temperature: sqrt(T_k / T_0)

        def neighbour(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
            y = np.asarray(x, dtype=float) + scale[0] * box_step * rng.standard_normal(x.size)
            return np.clip(y, box_low, box_high)

        adaptive = True
    elif not callable(neighbour):
        raise TypeError(f"neighbour must be callable, got {type(neighbour).__name__}")
    n_iterations = check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
    ratio = check_in_range(
        final_temperature_ratio, "final_temperature_ratio", 0.0, 1.0, low_inclusive=False
    )
    rng = make_rng(seed)
    x = np.array(x0, copy=True)
    if x.size == 0:
        raise ValueError("x0 must be a non-empty array-like state")
    if x.dtype.kind in "fc" and not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must contain only finite numbers, got {x.tolist()}")
    if bounds is not None:
        low, _ = _check_bounds(bounds)
        if x.shape != low.shape:
            raise ValueError(f"x0 must have length {low.size} (one value per bound), got {x.shape}")
    history: list[float] = []
    try:
        fx = f(x.copy())
        best_val0: list[Any] = [x.copy(), fx]

        if initial_temperature is None:
            # A short random walk from x0 (every move accepted) samples typical |Δ|.
            deltas = []
            xw, fw = x.copy(), fx
            for _ in range(20):
                y = np.asarray(neighbour(xw.copy(), rng))
                fy = f(y.copy())
                if np.isfinite(fy) and np.isfinite(fw) and fy != fw:
                    deltas.append(abs(fy - fw))
                if np.isfinite(fy):
                    xw, fw = y, fy
                    if fw < best_val0[1]:
                        best_val0[0], best_val0[1] = xw.copy(), fw
            t0 = (float(np.mean(deltas)) / math.log(2.0)) if deltas else 1.0
        else:
            t0 = check_positive(initial_temperature, "initial_temperature")
        if cooling is None:
            alpha = ratio ** (1.0 / max(n_iterations - 1, 1))
        else:
            alpha = check_in_range(cooling, "cooling", 0.0, 1.0, low_inclusive=False)

        best, best_val = best_val0[0], float(best_val0[1])
        t = t0
        for _ in _progress(range(n_iterations), progress, "simulated annealing"):
            y = np.asarray(neighbour(x.copy(), rng))
            fy = f(y.copy())
            delta = fy - fx
            if delta <= 0 or (np.isfinite(delta) and rng.random() < math.exp(-delta / t)):
                x, fx = y, fy
                if fx < best_val:
                    best, best_val = x.copy(), fx
            history.append(best_val)
            t *= alpha
            if adaptive:
                scale[0] = math.sqrt(t / t0)
    except _BudgetExhausted:
        return f.result(history, "simulated_annealing")
    return OptimizeResult(
        best, float(best_val), np.asarray(history), f.n, "simulated_annealing", np.asarray(f.trace)
    )


# --- genetic algorithm ------------------------------------------------------------------

_GENE_TYPES = ("binary", "integer", "real")


def genetic_algorithm(
    objective: Callable[[np.ndarray], float],
    genes: int | Sequence[tuple[float, float]],
    *,
    gene_type: str = "binary",
    population_size: int = 50,
    n_generations: int = 100,
    crossover_rate: float = 0.9,
    mutation_rate: float | None = None,
    elitism: int = 2,
    tournament_size: int = 3,
    mutation_scale: float = 0.1,
    initial_population: Any = None,
    max_evaluations: int | None = None,
    seed: SeedLike = None,
    progress: bool = False,
) -> OptimizeResult:
    """Minimise ``objective`` with a genetic algorithm.

    Chromosomes are 1-D arrays. ``genes`` is the number of genes for ``gene_type="binary"``
    (bits 0/1) or, for every type, box bounds ``[(low, high), ...]``: integer genes take
    the values ``low, ..., high`` (inclusive), real genes lie in ``[low, high]``.

    One generation: the ``elitism`` best chromosomes are copied unchanged; the rest of the
    new population comes from parents chosen by tournament (the best of
    ``tournament_size`` random members), recombined with probability ``crossover_rate``
    (uniform crossover for binary and integer genes, blend crossover BLX-0.5 for real
    genes), and mutated gene by gene with probability ``mutation_rate`` (bit flip; a
    uniformly random new integer; a Gaussian step of ``mutation_scale`` × width, clipped).

    Parameters
    ----------
    objective : Callable[[np.ndarray], float]
        maps a chromosome to a real number.
    genes : int | Sequence[tuple[float, float]]
        int (binary only) or bounds.
    gene_type : str, optional
        "binary", "integer" or "real".
    population_size : int, optional
        >= 2.
    n_generations : int, optional
        >= 1.
    crossover_rate : float, optional
        probability in [0, 1].
    mutation_rate : float | None, optional
        per-gene probability in [0, 1]; None means ``1 / n_genes``.
    elitism : int, optional
        chromosomes copied to the next generation, in [0, population_size − 1].
    tournament_size : int, optional
        in [1, population_size].
    mutation_scale : float, optional
        Gaussian step (fraction of the box width) for real genes.
    initial_population : Any, optional
        optional array (population_size × n_genes) to start from.
    max_evaluations : int | None, optional
        stop after this many objective evaluations (None: no limit);
        the result is then the best point evaluated so far.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.
    progress : bool, optional
        show a tqdm bar.

    Examples
    --------
    >>> weights = np.array([3, 4, 5, 9, 4]); values = np.array([3, 4, 4, 10, 4])
    >>> knap = lambda b: -float(values @ b) if weights @ b <= 11 else 0.0
    >>> res = genetic_algorithm(knap, 5, n_generations=40, seed=0)
    >>> res.fun, res.x.tolist()
    (-11.0, [1, 1, 0, 0, 1])
    """
    f = _Counter(objective, max_evaluations)
    gene_type = check_choice(gene_type, "gene_type", _GENE_TYPES)
    if isinstance(genes, numbers.Integral) and not isinstance(genes, bool):
        if gene_type != "binary":
            raise ValueError(
                f"genes must be bounds [(low, high), ...] for gene_type={gene_type!r}; "
                "an integer number of genes is only allowed for binary genes"
            )
        n_genes = check_size(genes, "genes", minimum=1, maximum=10**5)
        low, high = np.zeros(n_genes), np.ones(n_genes)
    else:
        low, high = _check_bounds(genes, "genes")
        n_genes = low.size
        if gene_type == "binary" and not (np.all(low == 0) and np.all(high == 1)):
            raise ValueError("binary genes must have bounds (0, 1)")
        if gene_type == "integer":
            if not (np.all(low == np.round(low)) and np.all(high == np.round(high))):
                raise ValueError("integer genes need integer bounds (low, high), inclusive")
    population_size = check_size(population_size, "population_size", minimum=2, maximum=10**5)
    n_generations = check_size(n_generations, "n_generations", minimum=1, maximum=10**6)
    pc = check_probability(crossover_rate, "crossover_rate")
    pm = (
        1.0 / n_genes
        if mutation_rate is None
        else check_probability(mutation_rate, "mutation_rate")
    )
    elitism = check_integer(elitism, "elitism", minimum=0, maximum=population_size - 1)
    tournament_size = check_integer(
        tournament_size, "tournament_size", minimum=1, maximum=population_size
    )
    sigma = check_positive(mutation_scale, "mutation_scale") * (high - low)
    rng = make_rng(seed)

    def random_population(n: int) -> np.ndarray:
        if gene_type == "real":
            return low + rng.random((n, n_genes)) * (high - low)
        return rng.integers(low.astype(int), high.astype(int) + 1, size=(n, n_genes))

    if initial_population is None:
        pop = random_population(population_size)
    else:
        pop = np.array(initial_population, dtype=float if gene_type == "real" else int)
        if pop.shape != (population_size, n_genes):
            raise ValueError(
                f"initial_population must have shape ({population_size}, {n_genes}), "
                f"got {pop.shape}"
            )
        if np.any(pop < low) or np.any(pop > high):
            raise ValueError("initial_population must lie inside the gene bounds")
    history: list[float] = []
    try:
        fit = np.array([f(c.copy()) for c in pop])
        best_i = int(np.argmin(fit))
        best, best_val = pop[best_i].copy(), float(fit[best_i])

        def tournament() -> np.ndarray:
            idx = rng.integers(0, population_size, size=tournament_size)
            return pop[idx[int(np.argmin(fit[idx]))]]

        for _ in _progress(range(n_generations), progress, "genetic algorithm"):
            order = np.argsort(fit, kind="stable")
            children = [pop[i].copy() for i in order[:elitism]]
            while len(children) < population_size:
                a, b = tournament().copy(), tournament().copy()
                if rng.random() < pc:
                    if gene_type == "real":
                        lo_ab, hi_ab = np.minimum(a, b), np.maximum(a, b)
                        span = hi_ab - lo_ab
                        a = lo_ab - 0.5 * span + rng.random(n_genes) * 2.0 * span
                        b = lo_ab - 0.5 * span + rng.random(n_genes) * 2.0 * span
                    else:
                        mask = rng.random(n_genes) < 0.5
                        a, b = np.where(mask, a, b), np.where(mask, b, a)
                for c in (a, b):
                    m = rng.random(n_genes) < pm
                    if m.any():
                        if gene_type == "binary":
                            c[m] = 1 - c[m]
                        elif gene_type == "integer":
                            c[m] = rng.integers(low[m].astype(int), high[m].astype(int) + 1)
                        else:
                            c[m] = c[m] + sigma[m] * rng.standard_normal(int(m.sum()))
                    if gene_type == "real":
                        np.clip(c, low, high, out=c)
                    children.append(c)
            pop = np.array(children[:population_size])
            new_fit = np.empty(population_size)
            new_fit[:elitism] = fit[order[:elitism]]
            for i in range(elitism, population_size):
                new_fit[i] = f(pop[i].copy())
            fit = new_fit
            i = int(np.argmin(fit))
            if fit[i] < best_val:
                best, best_val = pop[i].copy(), float(fit[i])
            history.append(best_val)
    except _BudgetExhausted:
        return f.result(history, "genetic_algorithm")
    return OptimizeResult(
        best, best_val, np.asarray(history), f.n, "genetic_algorithm", np.asarray(f.trace)
    )


# --- exhaustive search ---------------------------------------------------------------


def exhaustive_search(
    objective: Callable[[np.ndarray], float],
    candidates: Iterable[Any] | Sequence[tuple[int, int]],
    *,
    integer_bounds: bool = False,
    max_candidates: int = 10_000_000,
    progress: bool = False,
) -> OptimizeResult:
    """Evaluate ``objective`` on every candidate and return the best (the true optimum).

    ``candidates`` is any finite iterable of states, e.g.
    ``itertools.combinations(range(10), 3)`` or ``itertools.product((0, 1), repeat=12)``.
    With ``integer_bounds=True`` it is instead a list of inclusive integer bounds
    ``[(low, high), ...]`` and every integer vector in the box is tried. Ties keep the
    first candidate. ``history[i]`` is the best value after ``i + 1`` candidates.

    Parameters
    ----------
    objective : callable
        Function of one candidate (as a NumPy array) returning a float, minimised.
    candidates : iterable or sequence of (int, int)
        The candidate states, or inclusive integer bounds with ``integer_bounds``.
    integer_bounds : bool, default False
        Read ``candidates`` as integer bounds of a box.
    max_candidates : int, default 10_000_000
        Refuse more candidates than this, ≥ 1.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    OptimizeResult
        The best candidate, its value and the history (``method="exhaustive_search"``).

    Raises
    ------
    TypeError
        If ``candidates`` is not iterable.
    ValueError
        If there are no candidates or more than ``max_candidates``, or the integer
        bounds are not integer pairs.

    Examples
    --------
    >>> res = exhaustive_search(lambda b: -float(sum(b)) if sum(b) <= 2 else 0.0,
    ...                         itertools.product((0, 1), repeat=4))
    >>> res.fun, res.x.tolist(), res.n_evaluations
    (-2.0, [0, 0, 1, 1], 16)
    """
    f = _Counter(objective)
    max_candidates = check_integer(max_candidates, "max_candidates", minimum=1)
    if integer_bounds:
        low, high = _check_bounds(candidates, "candidates")
        if not (np.all(low == np.round(low)) and np.all(high == np.round(high))):
            raise ValueError("candidates must be integer bounds (low, high) with integer_bounds")
        size = float(np.prod(high - low + 1))
        if size > max_candidates:
            raise ValueError(
                f"the box holds {size:.3g} candidates, more than max_candidates={max_candidates}"
            )
        ranges = [range(int(lo), int(hi) + 1) for lo, hi in zip(low, high)]
        iterator: Iterable[Any] = itertools.product(*ranges)
    else:
        if isinstance(candidates, str | bytes) or not isinstance(candidates, Iterable):
            raise TypeError("candidates must be an iterable of candidate states")
        iterator = candidates
    best: np.ndarray | None = None
    best_val = math.inf
    history: list[float] = []
    for c in _progress(iterator, progress, "exhaustive search"):
        if len(history) >= max_candidates:
            raise ValueError(f"more than max_candidates={max_candidates} candidates")
        x = np.array(c)
        val = f(x.copy())
        if best is None or val < best_val:
            best, best_val = x, val
        history.append(best_val)
    if best is None:
        raise ValueError("candidates must not be empty")
    return OptimizeResult(
        best, float(best_val), np.asarray(history), f.n, "exhaustive_search", np.asarray(history)
    )


# --- random search -------------------------------------------------------------------


def random_search(
    objective: Callable[[Any], float],
    sample: Callable[[np.random.Generator], Any],
    n_evaluations: int,
    *,
    seed: SeedLike = None,
    progress: bool = False,
) -> OptimizeResult:
    """Evaluate ``n_evaluations`` independent random candidates and keep the best.

    ``sample(rng)`` draws one candidate (with replacement: the same candidate may come
    twice). The baseline every heuristic must beat at the same number of evaluations: if a
    fraction ``q`` of the candidates is optimal, random search finds an optimum with
    probability ``1 − (1 − q)^n``. ``history`` and ``trace`` both hold the best value after
    each evaluation.

    Parameters
    ----------
    objective : Callable[[Any], float]
        maps a candidate to a real number.
    sample : Callable[[np.random.Generator], Any]
        ``sample(rng) -> candidate``.
    n_evaluations : int
        number of candidates drawn (>= 1).
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.
    progress : bool, optional
        show a tqdm bar.

    Examples
    --------
    >>> res = random_search(lambda b: float(abs(b.sum() - 3)),
    ...                     lambda r: r.integers(0, 2, 8), 200, seed=0)
    >>> res.fun, int(res.x.sum()), res.n_evaluations
    (0.0, 3, 200)
    """
    f = _Counter(objective)
    if not callable(sample):
        raise TypeError(f"sample must be callable, got {type(sample).__name__}")
    n = check_size(n_evaluations, "n_evaluations", minimum=1, maximum=10**7)
    rng = make_rng(seed)
    for _ in _progress(range(n), progress, "random search"):
        f(np.asarray(sample(rng)))
    return f.result(f.trace, "random_search")
