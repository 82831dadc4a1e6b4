"""QUBOs and Ising models: conversion, constraint penalties, exact and classical solvers, QAOA.

A quadratic unconstrained binary optimisation (QUBO) minimises ``E(x) = xᵀQx + c`` over
bit strings ``x ∈ {0,1}ⁿ``. With ``x_i = (1 − z_i)/2`` it is an Ising energy
``E(z) = Σ h_i z_i + Σ_{i<j} J_ij z_i z_j + c'`` over spins ``z ∈ {±1}ⁿ``, the form in which a
quantum computer sees it: ``z_i`` is the eigenvalue of Pauli ``Z`` on qubit ``i`` (``|0⟩`` ↔
``z = +1`` ↔ ``x = 0``). Constraints enter as penalties (Lucas 2014): one-hot,
``A (Σ_g x_i − 1)²``, and at-most-one, ``A Σ_{i<j ∈ g} x_i x_j``.

Solvers, all on the same energy: enumeration (:func:`brute_force_qubo`), single-flip
simulated annealing (:func:`anneal_qubo`, the annealer of :mod:`qnetlab.ai.optimizers`),
steepest-descent local search (:func:`local_search_qubo`), an exact minimum cut for
submodular QUBOs (:func:`min_cut_qubo`); :func:`samples_to_target` puts every solver in one
unit. QAOA for the Ising form is in :mod:`qnetlab.qnn.qaoa_ising`.

Bit strings are indexed as in Cirq: variable 0 is the most significant bit.

>>> q = np.array([[-1.0, 2.0], [0.0, -1.0]])  # E = -x0 - x1 + 2 x0 x1
>>> brute_force_qubo(q)
(-1.0, ['01', '10'])
>>> model = qubo_to_ising(q)
>>> np.allclose(model.energies(), qubo_energies(q))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_real,
    check_size,
    make_rng,
)
from ..ai.optimizers import simulated_annealing
from ..results import ResultMixin

__all__ = [
    "IsingModel",
    "QUBOSolution",
    "anneal_qubo",
    "at_most_one_penalty",
    "brute_force_qubo",
    "local_search_qubo",
    "min_cut_qubo",
    "one_hot_penalty",
    "penalty_weight",
    "qubo_energies",
    "qubo_energy",
    "qubo_to_ising",
    "samples_to_target",
]

MAX_ENUMERATION_BITS = 20


def _check_qubo(q: Any, name: str = "q") -> np.ndarray:
    try:
        m = np.asarray(q, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real square matrix") from exc
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must contain only finite numbers")
    return m


def _all_bits(n: int) -> np.ndarray:
    if n > MAX_ENUMERATION_BITS:
        raise ValueError(
            f"enumeration needs n <= {MAX_ENUMERATION_BITS} variables, got n = {n} "
            "(use anneal_qubo or local_search_qubo)"
        )
    return ((np.arange(2**n)[:, None] >> (n - 1 - np.arange(n))) & 1).astype(float)


def _bits_str(x: Any) -> str:
    return "".join(str(int(v)) for v in np.asarray(x).ravel())


def qubo_energy(q: Any, x: Any, offset: float = 0.0) -> Any:
    """QUBO energy ``xᵀQx + offset`` of one bit string or of each row of a batch.

    Parameters
    ----------
    q : array-like
        square matrix Q (need not be symmetric).
    x : array-like
        bits, shape (n,) or (m, n), entries 0 or 1.
    offset : float, optional
        the constant c.

    Returns
    -------
    float or numpy.ndarray
        the energy (a float for one bit string, an array of m energies for a batch).

    Raises
    ------
    ValueError
        if the shapes disagree or ``x`` holds values other than 0 and 1.

    Examples
    --------
    >>> qubo_energy([[1, -2], [0, 3]], [1, 1], offset=0.5)
    2.5
    """
    m = _check_qubo(q)
    xs = np.asarray(x, dtype=float)
    if xs.shape[-1:] != (m.shape[0],) or xs.ndim > 2:
        raise ValueError(f"x must have shape (n,) or (m, n) with n = {m.shape[0]}, got {xs.shape}")
    if not np.all((xs == 0) | (xs == 1)):
        raise ValueError("x must hold bits (0 or 1)")
    c = check_real(offset, "offset")
    e = np.einsum("...i,ij,...j->...", xs, m, xs) + c
    return float(e) if xs.ndim == 1 else e


def qubo_energies(q: Any, offset: float = 0.0) -> np.ndarray:
    """Energies of all ``2ⁿ`` bit strings, in Cirq's order (variable 0 most significant).

    Parameters
    ----------
    q : array-like
        square matrix Q, n <= 20.
    offset : float, optional
        the constant c.

    Returns
    -------
    numpy.ndarray
        ``2ⁿ`` energies; entry ``k`` is the energy of ``format(k, "0nb")``.

    Raises
    ------
    ValueError
        if n > 20.

    Examples
    --------
    >>> qubo_energies([[1, 0], [0, 2]]).tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    m = _check_qubo(q)
    bits = _all_bits(m.shape[0])
    return np.einsum("ki,ij,kj->k", bits, m, bits) + check_real(offset, "offset")


@dataclass(frozen=True)
class IsingModel:
    """Ising energy ``E(z) = Σ h_i z_i + Σ_{i<j} J_ij z_i z_j + offset``, ``z ∈ {±1}ⁿ``.

    ``j`` is strictly upper triangular. The spin of qubit ``i`` is the eigenvalue of its
    Pauli Z, so bit ``x_i = (1 − z_i)/2``.

    Parameters
    ----------
    h : numpy.ndarray
        local fields, shape (n,).
    j : numpy.ndarray
        couplings, shape (n, n), strictly upper triangular.
    offset : float
        the constant.

    Examples
    --------
    >>> m = IsingModel(np.array([1.0, 0.0]), np.array([[0.0, -1.0], [0.0, 0.0]]), 0.0)
    >>> m.energies().tolist()  # z = (+,+), (+,-), (-,+), (-,-)
    [0.0, 2.0, 0.0, -2.0]
    """

    h: np.ndarray = field(repr=False)
    j: np.ndarray = field(repr=False)
    offset: float = 0.0

    def __post_init__(self) -> None:
        h = np.asarray(self.h, dtype=float)
        j = np.asarray(self.j, dtype=float)
        if h.ndim != 1 or j.shape != (h.size, h.size):
            raise ValueError(f"h must have shape (n,) and j shape (n, n), got {h.shape}, {j.shape}")
        if not (np.all(np.isfinite(h)) and np.all(np.isfinite(j))):
            raise ValueError("h and j must contain only finite numbers")
        if np.any(np.tril(j) != 0):
            raise ValueError("j must be strictly upper triangular")
        object.__setattr__(self, "h", h)
        object.__setattr__(self, "j", j)
        object.__setattr__(self, "offset", check_real(self.offset, "offset"))

    @property
    def n(self) -> int:
        """Number of spins (qubits)."""
        return int(self.h.size)

    @property
    def couplings(self) -> list[tuple[int, int, float]]:
        """The non-zero couplings as (i, j, J_ij), i < j."""
        ii, jj = np.nonzero(self.j)
        return [(int(a), int(b), float(self.j[a, b])) for a, b in zip(ii, jj, strict=True)]

    def energies(self) -> np.ndarray:
        """Energies of all ``2ⁿ`` basis states (Cirq order), the diagonal of H."""
        z = 1.0 - 2.0 * _all_bits(self.n)
        return z @ self.h + np.einsum("ki,ij,kj->k", z, self.j, z) + self.offset

    def __repr__(self) -> str:
        return (
            f"IsingModel(n={self.n}, fields={int(np.count_nonzero(self.h))}, "
            f"couplings={len(self.couplings)}, offset={self.offset:g})"
        )


def qubo_to_ising(q: Any, offset: float = 0.0) -> IsingModel:
    """The Ising model with the same energy as the QUBO, under ``x_i = (1 − z_i)/2``.

    With ``S = (Q + Qᵀ)/2``: ``h_i = −(S_ii + Σ_{j≠i} S_ij)/2``, ``J_ij = S_ij/2`` (i < j),
    offset ``c + Σ_i S_ii/2 + Σ_{i<j} S_ij/2`` (Lucas 2014, section 2).

    Parameters
    ----------
    q : array-like
        square matrix Q.
    offset : float, optional
        the QUBO constant c.

    Returns
    -------
    IsingModel
        fields, couplings and constant with ``E_Ising(z) = E_QUBO(x)`` for every state.

    Raises
    ------
    ValueError
        if ``q`` is not a finite square matrix.

    Examples
    --------
    >>> m = qubo_to_ising([[-1, 2], [0, -1]])
    >>> m.h.tolist(), float(m.j[0, 1]), m.offset
    ([0.0, 0.0], 0.5, -0.5)
    """
    m = _check_qubo(q)
    s = (m + m.T) / 2
    diag = np.diag(s)
    off = s - np.diag(diag)
    h = -(diag + off.sum(axis=1)) / 2 + 0.0  # no negative zeros
    j = np.triu(off, 1) / 2
    const = check_real(offset, "offset") + diag.sum() / 2 + np.triu(off, 1).sum() / 2
    return IsingModel(h, j, float(const))


def _groups(n: int, groups: Any, name: str) -> list[list[int]]:
    out = []
    for g in groups:
        idx = [check_integer(i, f"{name} index", minimum=0, maximum=n - 1) for i in g]
        if len(set(idx)) != len(idx) or not idx:
            raise ValueError(f"each group in {name} must be non-empty without repeats, got {g}")
        out.append(idx)
    return out


def one_hot_penalty(n: int, groups: Any, weight: float) -> tuple[np.ndarray, float]:
    """QUBO of ``weight · Σ_g (Σ_{i∈g} x_i − 1)²``: exactly one bit of each group is 1.

    With ``x_i² = x_i``: diagonal ``−weight``, ``weight`` on each ordered pair (i, j) of a
    group, constant ``weight`` per group (Lucas 2014, eq. 8 pattern).

    Parameters
    ----------
    n : int
        number of variables.
    groups : iterable of iterables of int
        the index sets that must each hold exactly one 1.
    weight : float
        penalty ``A > 0``.

    Returns
    -------
    tuple of (numpy.ndarray, float)
        the matrix Q and the offset; zero energy exactly on assignments that satisfy
        every group, at least ``weight`` otherwise.

    Raises
    ------
    ValueError
        if an index is out of range, a group is empty or repeats an index, or
        ``weight <= 0``.

    Examples
    --------
    >>> q, c = one_hot_penalty(2, [[0, 1]], 1.0)
    >>> (qubo_energies(q, c)).tolist()
    [1.0, 0.0, 0.0, 1.0]
    """
    n = check_integer(n, "n", minimum=1)
    w = _check_weight(weight)
    q = np.zeros((n, n))
    gs = _groups(n, groups, "groups")
    for g in gs:
        for a in g:
            q[a, a] -= w
            for b in g:
                if b != a:
                    q[a, b] += w
    return q, w * len(gs)


def at_most_one_penalty(n: int, groups: Any, weight: float) -> tuple[np.ndarray, float]:
    """QUBO of ``weight · Σ_g Σ_{i<j ∈ g} x_i x_j``: at most one bit of each group is 1.

    Needs no slack variable: the pair terms vanish with zero or one 1 in the group and
    cost at least ``weight`` otherwise.

    Parameters
    ----------
    n : int
        number of variables.
    groups : iterable of iterables of int
        the index sets that may each hold at most one 1.
    weight : float
        penalty ``A > 0``.

    Returns
    -------
    tuple of (numpy.ndarray, float)
        the matrix Q (upper triangular) and the offset 0.

    Raises
    ------
    ValueError
        as :func:`one_hot_penalty`.

    Examples
    --------
    >>> q, c = at_most_one_penalty(2, [[0, 1]], 3.0)
    >>> qubo_energies(q, c).tolist()
    [0.0, 0.0, 0.0, 3.0]
    """
    n = check_integer(n, "n", minimum=1)
    w = _check_weight(weight)
    q = np.zeros((n, n))
    for g in _groups(n, groups, "groups"):
        for k, a in enumerate(g):
            for b in g[k + 1 :]:
                q[min(a, b), max(a, b)] += w
    return q, 0.0


def _check_weight(weight: Any) -> float:
    w = check_real(weight, "weight")
    if w <= 0:
        raise ValueError(f"weight must be > 0, got {weight}")
    return w


def penalty_weight(q: Any, *, margin: float = 0.1) -> float:
    """A penalty weight that makes every infeasible assignment worse than the best feasible one.

    For an objective ``xᵀQx`` every energy lies in an interval of width at most
    ``R = Σ_ij |Q_ij|``; a penalty that costs at least its weight ``A`` on every violated
    assignment (one-hot or at-most-one with integer coefficients) with ``A > R`` puts every
    infeasible energy above every feasible one. Returns ``(1 + margin) R`` (1 when Q = 0).
    Larger is safe but squeezes the objective into a small part of the energy range, which
    hurts annealers and QAOA (Lucas 2014, section 2.1).

    Parameters
    ----------
    q : array-like
        the objective's matrix Q.
    margin : float, optional
        relative margin above the bound, > 0.

    Returns
    -------
    float
        the weight A.

    Raises
    ------
    ValueError
        if ``margin <= 0``.

    Examples
    --------
    >>> penalty_weight([[1.0, -2.0], [0.0, 3.0]])
    6.6000000000000005
    """
    r = float(np.abs(_check_qubo(q)).sum())
    mg = check_real(margin, "margin")
    if mg <= 0:
        raise ValueError(f"margin must be > 0, got {margin}")
    return (1 + mg) * r if r > 0 else 1.0


def brute_force_qubo(q: Any, offset: float = 0.0) -> tuple[float, list[str]]:
    """Exact minimum by enumeration: (lowest energy, every optimal bit string).

    Parameters
    ----------
    q : array-like
        square matrix Q, n <= 20.
    offset : float, optional
        the constant c.

    Returns
    -------
    tuple of (float, list of str)
        the minimum energy and all minimisers (variable 0 first).

    Raises
    ------
    ValueError
        if n > 20.

    Examples
    --------
    >>> brute_force_qubo([[1, 0], [0, -2]], 1.0)
    (-1.0, ['01'])
    """
    m = _check_qubo(q)
    e = qubo_energies(m, offset)
    best = float(e.min())
    idx = np.flatnonzero(np.isclose(e, best, rtol=0, atol=1e-9 * max(1.0, abs(best))))
    return best, [format(int(k), f"0{m.shape[0]}b") for k in idx]


@dataclass(frozen=True)
class QUBOSolution(ResultMixin):
    """Best bit string a heuristic found, its energy and the energy evaluations it used.

    Parameters
    ----------
    bits : str
        the best bit string (variable 0 first).
    energy : float
        its energy.
    n_evaluations : int
        energy evaluations spent (the budget's unit).
    method : str
        the solver.

    Examples
    --------
    >>> QUBOSolution("01", -1.0, 10, "local search")
    QUBOSolution(bits='01', energy=-1, n_evaluations=10, method='local search')
    """

    bits: str
    energy: float
    n_evaluations: int
    method: str

    def __repr__(self) -> str:
        return (
            f"QUBOSolution(bits={self.bits!r}, energy={self.energy:g}, "
            f"n_evaluations={self.n_evaluations}, method={self.method!r})"
        )


def anneal_qubo(
    q: Any, offset: float = 0.0, *, n_evaluations: int = 1000, seed: SeedLike = None
) -> QUBOSolution:
    """Single-flip simulated annealing (Kirkpatrick et al. 1983) with an evaluation budget.

    Runs :func:`qnetlab.ai.simulated_annealing` from a random bit string: each proposal
    flips one random bit; the initial temperature comes from a short random walk and cools
    geometrically to 1/1000 of it over the budget. Every energy evaluation counts.

    Parameters
    ----------
    q : array-like
        square matrix Q.
    offset : float, optional
        the constant c.
    n_evaluations : int, optional
        the budget of energy evaluations, >= 30 (the temperature estimate takes 21).
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    QUBOSolution
        the best bit string seen, its energy and the evaluations used.

    Raises
    ------
    ValueError
        if ``n_evaluations < 30``.

    Examples
    --------
    >>> anneal_qubo([[1, 0], [0, -2]], n_evaluations=100, seed=1).bits
    '01'
    """
    m = _check_qubo(q)
    budget = check_size(n_evaluations, "n_evaluations", minimum=30, maximum=10**6)
    c = check_real(offset, "offset")
    rng = make_rng(seed)
    n = m.shape[0]

    def energy(x: np.ndarray) -> float:
        return float(x @ m @ x) + c

    def flip(x: np.ndarray, r: np.random.Generator) -> np.ndarray:
        y = x.copy()
        i = int(r.integers(n))
        y[i] = 1.0 - y[i]
        return y

    x0 = rng.integers(0, 2, n).astype(float)
    res = simulated_annealing(
        energy, x0, neighbour=flip, n_iterations=budget - 21, max_evaluations=budget, seed=rng
    )
    return QUBOSolution(_bits_str(res.x), float(res.fun), int(res.n_evaluations), "annealing")


def local_search_qubo(
    q: Any, offset: float = 0.0, *, n_starts: int = 5, seed: SeedLike = None
) -> QUBOSolution:
    """Steepest-descent single-flip local search from random starts.

    From a random bit string, flip the bit that lowers the energy most until no flip
    lowers it. Every tried flip counts as one energy evaluation (n per step).

    Parameters
    ----------
    q : array-like
        square matrix Q.
    offset : float, optional
        the constant c.
    n_starts : int, optional
        random restarts, >= 1.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    QUBOSolution
        the best local minimum found.

    Raises
    ------
    ValueError
        if ``n_starts < 1``.

    Examples
    --------
    >>> local_search_qubo([[1, 0], [0, -2]], n_starts=2, seed=0).energy
    -2.0
    """
    m = _check_qubo(q)
    starts = check_size(n_starts, "n_starts", minimum=1, maximum=10**4)
    c = check_real(offset, "offset")
    rng = make_rng(seed)
    n = m.shape[0]
    s = m + m.T
    best_e, best_x, evals = np.inf, None, 0
    for _ in range(starts):
        x = rng.integers(0, 2, n).astype(float)
        evals += 1
        while True:
            # ΔE of flipping i: (1 − 2x_i)(Q_ii + Σ_{j≠i} S_ij x_j)
            delta = (1 - 2 * x) * (np.diag(m) + s @ x - np.diag(s) * x)
            evals += n
            i = int(np.argmin(delta))
            if delta[i] >= -1e-12:
                break
            x[i] = 1.0 - x[i]
        e = float(x @ m @ x) + c
        if e < best_e:
            best_e, best_x = e, x.copy()
    return QUBOSolution(_bits_str(best_x), best_e, evals, "local search")


def min_cut_qubo(q: Any, offset: float = 0.0) -> QUBOSolution:
    """Exact minimum of a submodular QUBO (every ``Q_ij + Q_ji <= 0``) by one minimum cut.

    Polynomial in n (Kolmogorov & Zabih 2004): write each pair term ``−b x_i x_j``
    (b >= 0) as ``−b x_i + b x_i (1 − x_j)``, put positive unary costs on source edges and
    negative ones on sink edges; the cut value plus the constant is the minimum energy.
    ``x_i = 1`` for nodes on the sink side.

    Parameters
    ----------
    q : array-like
        square matrix Q with non-positive symmetric off-diagonal part.
    offset : float, optional
        the constant c.

    Returns
    -------
    QUBOSolution
        an optimal bit string; ``n_evaluations`` is 1 (one max-flow).

    Raises
    ------
    ValueError
        if some ``Q_ij + Q_ji > 0`` (not submodular).

    Examples
    --------
    >>> min_cut_qubo([[1, -3], [0, 1]]).bits
    '11'
    """
    import networkx as nx

    m = _check_qubo(q)
    n = m.shape[0]
    s = m + m.T
    pair = np.triu(s, 1)
    if np.any(pair > 1e-12):
        i, j = np.argwhere(pair > 1e-12)[0]
        raise ValueError(
            f"q must be submodular (Q_ij + Q_ji <= 0), got {pair[i, j]:g} at ({i}, {j})"
        )
    unary = np.diag(m).copy()
    const = check_real(offset, "offset")
    g = nx.DiGraph()
    g.add_nodes_from(["s", "t", *range(n)])
    for i, j in zip(*np.nonzero(pair), strict=True):
        b = -float(pair[i, j])  # −b x_i x_j = −b x_i + b x_i (1 − x_j)
        unary[i] -= b
        g.add_edge(int(j), int(i), capacity=b)  # cut when i in T (x_i=1), j in S (x_j=0)
    for i in range(n):
        a = float(unary[i])
        if a > 0:
            g.add_edge("s", i, capacity=a)  # pay a when x_i = 1
        elif a < 0:
            const += a
            g.add_edge(i, "t", capacity=-a)  # a x_i = a + |a| (1 − x_i)
    _, (_, sink) = nx.minimum_cut(g, "s", "t")
    x = np.array([1.0 if i in sink else 0.0 for i in range(n)])
    return QUBOSolution(_bits_str(x), float(x @ m @ x) + check_real(offset, "offset"), 1, "min cut")


def samples_to_target(
    success: float, cost: float, *, target: float = 0.99, fixed_cost: float = 0.0
) -> float:
    """Samples (energy evaluations or shots) to reach the optimum with probability ``target``.

    A solver whose independent runs each cost ``cost`` samples and each find the optimum
    with probability ``success`` needs ``ln(1 − target)/ln(1 − success)`` runs (at least
    one), plus a one-off ``fixed_cost`` (QAOA's angle optimisation). Infinite when
    ``success`` is 0. This is the time-to-solution measure of annealing benchmarks
    (Rønnow et al. 2014), counted in samples.

    Parameters
    ----------
    success : float
        per-run success probability in [0, 1].
    cost : float
        samples per run, > 0.
    target : float, optional
        the overall success probability, in (0, 1).
    fixed_cost : float, optional
        one-off samples before the first run, >= 0.

    Returns
    -------
    float
        ``fixed_cost + cost · max(1, ln(1 − target)/ln(1 − success))``.

    Raises
    ------
    ValueError
        if an argument is out of range.

    Examples
    --------
    >>> round(samples_to_target(0.5, 100), 1)
    664.4
    """
    s = check_in_range(success, "success", 0.0, 1.0)
    c = check_positive(cost, "cost")
    t = check_in_range(target, "target", 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    f = check_non_negative(fixed_cost, "fixed_cost")
    if s == 0:
        return float("inf")
    runs = 1.0 if s >= t else max(1.0, np.log1p(-t) / np.log1p(-s))
    return float(f + c * runs)
