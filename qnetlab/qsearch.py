"""Quantum search for network data: Grover search and amplitude estimation, in Cirq.

- Grover search over :math:`2^n` candidates (e.g. paths meeting a fidelity target) with
  its success probability, resource counts and the classical random-search baseline
  (Grover 1996; Boyer, Brassard, Hoyer, Tapp 1998).
- Maximum-likelihood amplitude estimation without a QFT (Suzuki et al. 2020) for a
  network probability, against classical Monte Carlo at equal oracle calls.

>>> optimal_grover_iterations(32, 3)
2
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_integer,
    check_probability,
    check_size,
    make_rng,
)
from .results import ResultMixin

__all__ = [
    "AmplitudeEstimate",
    "GroverResources",
    "amplitude_estimation_probability",
    "classical_search_queries",
    "grover_circuit",
    "grover_resources",
    "grover_success_probability",
    "grover_theory",
    "ml_amplitude_estimation",
    "optimal_grover_iterations",
]


# --- Grover search -------------------------------------------------------------------


def _marked_items(marked: Any) -> list[int]:
    """The marked items as sorted distinct ints, else a ``ValueError`` naming ``marked``."""
    try:
        return sorted({check_integer(v, "marked") for v in np.ravel(marked).tolist()})
    except (TypeError, ValueError):
        raise ValueError(f"marked must be a set of integer items, got {marked!r}") from None


def _marked(n_qubits: int, marked: Any) -> list[int]:
    n_qubits = check_integer(n_qubits, "n_qubits", minimum=2, maximum=12)
    m = _marked_items(marked)
    if not m or m[0] < 0 or m[-1] >= 2**n_qubits:
        raise ValueError(f"marked must be a non-empty set of items in [0, {2**n_qubits - 1}]")
    return m


def _mcz_on(qs: list[Any], item: int) -> list[Any]:
    import cirq

    n = len(qs)
    flips = [cirq.X(q) for k, q in enumerate(qs) if not (item >> (n - 1 - k)) & 1]
    return [*flips, cirq.Z(qs[-1]).controlled_by(*qs[:-1]), *flips]


def grover_circuit(n_qubits: int, marked: Any, iterations: int) -> Any:
    """Grover's circuit: uniform superposition, then ``iterations`` x (oracle, diffusion).

    The oracle flips the phase of every marked item (one multi-controlled Z per item, with
    X gates on the zero bits); the diffusion operator is :math:`2|s\\rangle\\langle s| - 1`.

    Parameters
    ----------
    n_qubits : int
        Register size, 2..12 (a database of ``2**n_qubits`` items).
    marked : sequence of int
        Marked items (basis states, qubit 0 most significant).
    iterations : int
        Grover iterations, >= 0.

    Returns
    -------
    cirq.Circuit

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> c = grover_circuit(3, [5], 2)
    >>> len(c.all_qubits())
    3
    """
    import cirq

    m = _marked(n_qubits, marked)
    k = check_size(iterations, "iterations", minimum=0, maximum=10**4)
    qs = cirq.LineQubit.range(n_qubits)
    c = cirq.Circuit(cirq.H.on_each(*qs))
    for _ in range(k):
        for item in m:
            c.append(_mcz_on(qs, item))
        c.append(cirq.H.on_each(*qs))
        c.append(_mcz_on(qs, 0))
        c.append(cirq.H.on_each(*qs))
    return c


def grover_success_probability(n_qubits: int, marked: Any, iterations: int) -> float:
    """Probability that measuring Grover's register returns a marked item (Cirq, exact).

    Parameters
    ----------
    n_qubits, marked, iterations
        As in :func:`grover_circuit`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(grover_success_probability(2, [3], 1), 6)
    1.0
    """
    import cirq

    m = _marked(n_qubits, marked)
    qs = cirq.LineQubit.range(n_qubits)
    sim = cirq.Simulator(dtype=np.complex128)
    psi = sim.simulate(grover_circuit(n_qubits, m, iterations), qubit_order=qs)
    return float(np.sum(np.abs(psi.final_state_vector[m]) ** 2))


def grover_theory(n_items: int, n_marked: int, iterations: Any) -> Any:
    """Boyer et al. (1998): :math:`P_k = \\sin^2((2k+1)\\theta)`, :math:`\\sin\\theta = \\sqrt{M/N}`.

    Parameters
    ----------
    n_items : int
        Database size N >= 1.
    n_marked : int
        Marked items M in [1, N].
    iterations : int or array_like
        Iteration counts k.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If M is not in [1, N].

    Examples
    --------
    >>> round(float(grover_theory(4, 1, 1)), 6)
    1.0
    """
    n = check_integer(n_items, "n_items", minimum=1)
    m = check_integer(n_marked, "n_marked", minimum=1, maximum=n)
    theta = np.arcsin(np.sqrt(m / n))
    try:
        k = np.asarray(iterations, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"iterations must be a number or an array of numbers, got {iterations!r}"
        ) from None
    if not np.all(np.isfinite(k)) or np.any(k < 0):
        raise ValueError(f"iterations must be finite and non-negative, got {iterations!r}")
    return np.sin((2 * k + 1) * theta) ** 2


def optimal_grover_iterations(n_items: int, n_marked: int) -> int:
    """The iteration count :math:`\\lfloor \\pi/(4\\theta) \\rfloor \\approx (\\pi/4)\\sqrt{N/M}`.

    Parameters
    ----------
    n_items, n_marked : int
        N and M, with 1 <= M <= N.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If M is not in [1, N].

    Examples
    --------
    >>> optimal_grover_iterations(64, 1)
    6
    """
    n = check_integer(n_items, "n_items", minimum=1)
    m = check_integer(n_marked, "n_marked", minimum=1, maximum=n)
    return int(np.floor(np.pi / (4 * np.arcsin(np.sqrt(m / n)))))


@dataclass(frozen=True)
class GroverResources(ResultMixin):
    """Cost of a Grover circuit.

    ``multi_controlled_z`` counts the n-qubit controlled-Z gates (one per marked item per
    oracle call, one per diffusion); ``two_qubit_gates`` is that count times the CZ count
    of one such gate compiled by Cirq to CZ plus single-qubit gates (no ancillas), and
    ``depth`` the number of moments with each multi-controlled Z counted as one.

    Parameters
    ----------
    oracle_queries : int
        Oracle calls (Grover iterations).
    multi_controlled_z : int
        n-qubit controlled-Z gates.
    cz_per_mcz : int
        CZ gates of one compiled multi-controlled Z.
    two_qubit_gates : int
        ``multi_controlled_z * cz_per_mcz``.
    depth : int
        Moments, each multi-controlled Z counted as one.
    success_probability : float
        Probability of measuring a marked item.

    Examples
    --------
    >>> r = grover_resources(3, [5], 2)
    >>> r.multi_controlled_z, r.two_qubit_gates, round(r.success_probability, 4)
    (4, 32, 0.9453)
    """

    oracle_queries: int
    multi_controlled_z: int
    cz_per_mcz: int
    two_qubit_gates: int
    depth: int
    success_probability: float


@cache
def _cz_per_mcz(n_qubits: int) -> int:
    import cirq

    qs = cirq.LineQubit.range(n_qubits)
    c = cirq.Circuit(cirq.Z(qs[-1]).controlled_by(*qs[:-1]))
    compiled = cirq.optimize_for_target_gateset(c, gateset=cirq.CZTargetGateset())
    return sum(1 for op in compiled.all_operations() if cirq.num_qubits(op) == 2)


def grover_resources(n_qubits: int, marked: Any, iterations: int) -> GroverResources:
    """Oracle queries, multi-controlled gates, two-qubit gates, depth and success.

    Parameters
    ----------
    n_qubits, marked, iterations
        As in :func:`grover_circuit`.

    Returns
    -------
    GroverResources

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> r = grover_resources(2, [3], 1)
    >>> r.oracle_queries, r.multi_controlled_z, r.cz_per_mcz, round(r.success_probability, 6)
    (1, 2, 1, 1.0)
    """
    m = _marked(n_qubits, marked)
    k = check_size(iterations, "iterations", minimum=0, maximum=10**4)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        per = _cz_per_mcz(n_qubits)
    n_mcz = k * (len(m) + 1)
    return GroverResources(
        oracle_queries=k,
        multi_controlled_z=n_mcz,
        cz_per_mcz=per,
        two_qubit_gates=n_mcz * per,
        depth=len(grover_circuit(n_qubits, m, k)),
        success_probability=grover_success_probability(n_qubits, m, k),
    )


def classical_search_queries(
    n_items: int, marked: Any, *, trials: int = 1000, seed: SeedLike = None
) -> np.ndarray:
    """Oracle queries a classical random search (without repetition) needs to hit a marked item.

    The expected count is :math:`(N+1)/(M+1)`.

    Parameters
    ----------
    n_items : int
        Database size N >= 1.
    marked : sequence of int
        Marked items in [0, N-1].
    trials : int, optional
        Independent searches, >= 1.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    numpy.ndarray
        Queries used by each trial.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> q = classical_search_queries(16, [3], trials=4000, seed=1)
    >>> bool(abs(q.mean() - 17 / 2) < 0.5)
    True
    """
    n = check_size(n_items, "n_items", minimum=1, maximum=10**7)
    m = np.array(_marked_items(marked))
    if m.size == 0 or m[0] < 0 or m[-1] >= n:
        raise ValueError(f"marked must be a non-empty set of items in [0, {n - 1}]")
    trials = check_size(trials, "trials", minimum=1, maximum=10**6)
    rng = make_rng(seed)
    is_marked = np.zeros(n, bool)
    is_marked[m] = True
    orders = np.argsort(rng.random((trials, n)), axis=1)
    return np.argmax(is_marked[orders], axis=1) + 1


# --- Amplitude estimation ------------------------------------------------------------


def amplitude_estimation_probability(a: float, iterations: int) -> float:
    """Probability of the good outcome after ``iterations`` amplitude-amplification steps (Cirq).

    One qubit: :math:`A = R_y(2\\theta_a)` loads :math:`a = \\sin^2\\theta_a` as the probability
    of :math:`|1\\rangle`; each Grover step is :math:`Q = A S_0 A^\\dagger S_\\chi`. The result
    equals :math:`\\sin^2((2k+1)\\theta_a)` (Brassard et al. 2002).

    Parameters
    ----------
    a : float
        Probability of the good outcome, in [0, 1].
    iterations : int
        Applications k >= 0 of Q.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(amplitude_estimation_probability(0.25, 1), 6)
    1.0
    """
    import cirq

    a = check_probability(a, "a")
    k = check_size(iterations, "iterations", minimum=0, maximum=10**6)
    q = cirq.LineQubit(0)
    load = cirq.ry(2 * np.arcsin(np.sqrt(a))).on(q)
    c = cirq.Circuit(load)
    for _ in range(k):
        c.append([cirq.Z(q), cirq.inverse(load), cirq.Z(q), load])
    psi = cirq.Simulator(dtype=np.complex128).simulate(c).final_state_vector
    return float(abs(psi[1]) ** 2)


def _loglik(grid: np.ndarray, ks: np.ndarray, hits: np.ndarray, shots: int) -> np.ndarray:
    p = np.clip(np.sin(np.outer(2 * ks + 1, grid)) ** 2, 1e-15, 1 - 1e-15)
    return hits @ np.log(p) + (shots - hits) @ np.log(1 - p)


@dataclass(frozen=True)
class AmplitudeEstimate(ResultMixin):
    """Result of maximum-likelihood amplitude estimation (:func:`ml_amplitude_estimation`).

    Parameters
    ----------
    estimate : float
        The maximum-likelihood estimate of the probability a.
    oracle_queries : int
        Calls of A over all circuits, ``shots * sum(2k + 1)``.
    powers : tuple of int
        The Grover powers k of the schedule.

    Examples
    --------
    >>> r = ml_amplitude_estimation(0.1, max_power=4, shots=100, seed=1)
    >>> r.powers, r.oracle_queries
    ((0, 1, 2, 4, 8), 3500)
    """

    estimate: float
    oracle_queries: int
    powers: tuple[int, ...]


def ml_amplitude_estimation(
    a: float, *, max_power: int, shots: int = 100, seed: SeedLike = None
) -> AmplitudeEstimate:
    """Maximum-likelihood amplitude estimation without a QFT (Suzuki et al. 2020).

    Runs the circuits with k = 0, 1, 2, 4, ..., 2**(max_power-1) Grover steps, ``shots``
    times each (outcomes drawn from the exact probabilities
    :func:`amplitude_estimation_probability`), and maximises the likelihood over
    :math:`\\theta_a` on a fine grid. Oracle queries count calls of A:
    ``shots * sum(2k + 1)``.

    Parameters
    ----------
    a : float
        True probability, in [0, 1].
    max_power : int
        Number of k > 0 in the schedule, 0..12.
    shots : int, optional
        Shots per circuit, >= 1.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    AmplitudeEstimate

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> r = ml_amplitude_estimation(0.1, max_power=4, shots=100, seed=1)
    >>> r.oracle_queries, bool(abs(r.estimate - 0.1) < 0.01)
    (3500, True)
    """
    a = check_probability(a, "a")
    m = check_integer(max_power, "max_power", minimum=0, maximum=12)
    shots = check_integer(shots, "shots", minimum=1)
    rng = make_rng(seed)
    ks = np.array([0] + [2**j for j in range(m)])
    theta = np.arcsin(np.sqrt(a))
    hits = rng.binomial(shots, np.sin((2 * ks + 1) * theta) ** 2)
    grid = np.linspace(0.0, np.pi / 2, 20_001)
    best = grid[np.argmax(_loglik(grid, ks, hits, shots))]
    step = grid[1] - grid[0]
    fine = np.linspace(max(best - step, 0.0), min(best + step, np.pi / 2), 2001)
    best = fine[np.argmax(_loglik(fine, ks, hits, shots))]
    return AmplitudeEstimate(
        estimate=float(np.sin(best) ** 2),
        oracle_queries=int(shots * np.sum(2 * ks + 1)),
        powers=tuple(int(k) for k in ks),
    )
