"""Distributed quantum sensing: GHZ phase estimation across N nodes against independent sensors.

N sensor nodes each pick up the same phase φ (a field, a clock offset). Independent sensors
each measure one qubit in |+⟩; an entangled network shares the GHZ state
(|0…0⟩ + |1…1⟩)/√2, on which the phases add up to Nφ (Giovannetti, Lloyd & Maccone 2004,
2011; Komar et al. 2014 for a network of clocks). With parity readout (every qubit in the X
basis, the product of the outcomes),

    P(parity +1) = (1 + V cos(Nφ)) / 2    (GHZ),     (1 + V cos φ) / 2 per qubit (product),

and the Fisher information of one shot at the best φ is N²V² for GHZ against N V₁² for N
independent qubits: the Heisenberg limit 1/N against the standard quantum limit 1/√N for
the standard deviation. The quantum Fisher information of the pure states is N² and N.

Noise erases the gain. Dephasing at rate γ for a time t multiplies each qubit's coherence by
e^{−γt}, so the GHZ visibility is V = e^{−Nγt} (one qubit: e^{−γt}); a GHZ state that must
reach N nodes over links of transmissivity η arrives whole with probability η^N (a lost
photon destroys it), while independent sensors need no link. Per attempt, the ratio of
Fisher informations is

    A(N) = η^N N e^{−2(N−1)γt},

larger than 1 only for a window of N; beyond :func:`crossover_nodes` independent sensors win.

Cirq is the ground truth (:func:`ghz_circuit`, :func:`sample_parity_cirq`); the estimator of
:func:`estimate_phase` samples the same parity distribution at scale with NumPy.

>>> round(ghz_quantum_fisher(4), 6), round(ghz_quantum_fisher(4, kind="product"), 6)
(16.0, 4.0)
>>> round(ghz_advantage(10, eta=1.0, gamma_t=0.0), 6)
10.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
)
from .plotting_results import plot_distribution
from .results import ResultMixin

__all__ = [
    "PhaseEstimate",
    "classical_fisher",
    "crossover_nodes",
    "dephased_ghz_state",
    "estimate_phase",
    "ghz_advantage",
    "ghz_circuit",
    "ghz_fidelity",
    "ghz_quantum_fisher",
    "ghz_visibility",
    "parity_probability",
    "quantum_fisher_information",
    "sample_parity_cirq",
]

_KINDS = ("ghz", "product")


def _n(n_nodes: Any, maximum: int = 10_000) -> int:
    return check_integer(n_nodes, "n_nodes", minimum=1, maximum=maximum)


def ghz_visibility(n_nodes: int, gamma_t: float = 0.0) -> float:
    """Parity visibility of an N-qubit GHZ state after dephasing: V = e^{−Nγt}.

    Each qubit's coherence decays as e^{−γt}; the GHZ coherence |0…0⟩⟨1…1| carries the
    product of all N factors.

    Parameters
    ----------
    n_nodes : int
        Qubits (nodes), >= 1.
    gamma_t : float
        Dephasing rate times interrogation time, >= 0.

    Returns
    -------
    float
        The visibility in [0, 1].

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(ghz_visibility(5, 0.1), 6)
    0.606531
    """
    n = _n(n_nodes)
    g = check_non_negative(gamma_t, "gamma_t")
    return float(np.exp(-n * g))


def ghz_fidelity(n_nodes: int, gamma_t: float = 0.0) -> float:
    """Fidelity of a dephased GHZ state with the ideal one: (1 + e^{−Nγt}) / 2.

    Parameters
    ----------
    n_nodes : int
        Qubits, >= 1.
    gamma_t : float
        Dephasing rate times time, >= 0.

    Returns
    -------
    float
        Fidelity in [1/2, 1].

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(ghz_fidelity(3, 0.0), 6), round(ghz_fidelity(200, 1.0), 6)
    (1.0, 0.5)
    """
    return 0.5 * (1.0 + ghz_visibility(n_nodes, gamma_t))


def dephased_ghz_state(n_nodes: int, phi: float = 0.0, gamma_t: float = 0.0) -> np.ndarray:
    """Density matrix of the GHZ state after phase φ and dephasing γt on every qubit.

    ρ = ½(|0…0⟩⟨0…0| + |1…1⟩⟨1…1| + V e^{−iNφ}|1…1⟩⟨0…0| + h.c.), V = e^{−Nγt}, with the
    phase convention R_z-like diag(1, e^{iφ}) per qubit (qubit 0 most significant).

    Parameters
    ----------
    n_nodes : int
        Qubits, 1 to 10.
    phi : float
        Phase per qubit.
    gamma_t : float
        Dephasing, >= 0.

    Returns
    -------
    numpy.ndarray
        The 2^N × 2^N density matrix.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> rho = dephased_ghz_state(2, 0.0, 0.0)
    >>> float(rho[0, 3].real), float(rho[3, 3].real)
    (0.5, 0.5)
    """
    n = _n(n_nodes, maximum=10)
    phi = check_in_range(phi, "phi")
    v = ghz_visibility(n, gamma_t)
    d = 2**n
    rho = np.zeros((d, d), dtype=complex)
    rho[0, 0] = rho[-1, -1] = 0.5
    rho[-1, 0] = 0.5 * v * np.exp(1j * n * phi)
    rho[0, -1] = np.conj(rho[-1, 0])
    return rho


def quantum_fisher_information(rho: Any, n_qubits: int) -> float:
    """Quantum Fisher information of ρ for the phase generated by G = Σ_i Z_i / 2.

    F_Q = 2 Σ_{k,l: λ_k+λ_l>0} (λ_k − λ_l)² / (λ_k + λ_l) |⟨k|G|l⟩|² (Braunstein & Caves
    1994), from the eigen-decomposition ρ = Σ λ_k |k⟩⟨k|; for a pure state 4 Var(G).

    Parameters
    ----------
    rho : array_like
        Density matrix (2^n × 2^n) or state vector (2^n).
    n_qubits : int
        Number of qubits n (1 to 10).

    Returns
    -------
    float
        F_Q (N² for the GHZ state, N for |+⟩^⊗N).

    Raises
    ------
    ValueError, TypeError
        On a state of the wrong shape.

    Examples
    --------
    >>> plus = np.ones(4) / 2
    >>> round(quantum_fisher_information(plus, 2), 6)
    2.0
    """
    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=10)
    a = np.asarray(rho, dtype=complex)
    d = 2**n
    if a.shape == (d,):
        a = np.outer(a, a.conj())
    if a.shape != (d, d):
        raise ValueError(
            f"rho must be a state of {n} qubits (shape ({d},) or ({d}, {d})), got {a.shape}"
        )
    bits = (np.arange(d)[:, None] >> np.arange(n - 1, -1, -1)) & 1
    g_diag = 0.5 * (1 - 2 * bits).sum(axis=1)  # eigenvalues of Σ Z_i / 2
    lam, vec = np.linalg.eigh(0.5 * (a + a.conj().T))
    lam = np.clip(lam, 0.0, None)
    g = vec.conj().T @ (g_diag[:, None] * vec)
    s = lam[:, None] + lam[None, :]
    diff2 = (lam[:, None] - lam[None, :]) ** 2
    mask = s > 1e-12
    return float(2.0 * np.sum(diff2[mask] / s[mask] * np.abs(g[mask]) ** 2))


def ghz_quantum_fisher(n_nodes: int, gamma_t: float = 0.0, *, kind: str = "ghz") -> float:
    """Closed-form quantum Fisher information per shot: N²e^{−2Nγt} (GHZ), N e^{−2γt} (product).

    Parameters
    ----------
    n_nodes : int
        Nodes, >= 1.
    gamma_t : float
        Dephasing, >= 0.
    kind : str
        ``"ghz"`` or ``"product"`` (independent sensors).

    Returns
    -------
    float
        The quantum Fisher information of one shot.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(ghz_quantum_fisher(3, 0.0), 6)
    9.0
    """
    n = _n(n_nodes)
    kind = check_choice(kind, "kind", _KINDS)
    if kind == "ghz":
        return float(n**2 * ghz_visibility(n, gamma_t) ** 2)
    return float(n * ghz_visibility(1, gamma_t) ** 2)


def parity_probability(
    n_nodes: int, phi: Any, *, visibility: float = 1.0, kind: str = "ghz"
) -> Any:
    """Probability of parity +1: (1 + V cos(Nφ))/2 for GHZ, (1 + V cos φ)/2 per product qubit.

    Parameters
    ----------
    n_nodes : int
        Nodes, >= 1.
    phi : float or array_like
        Phase per node.
    visibility : float
        V in [0, 1].
    kind : str
        ``"ghz"`` or ``"product"``.

    Returns
    -------
    float or numpy.ndarray
        The probability.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(parity_probability(4, np.pi / 8), 6)
    0.5
    """
    n = _n(n_nodes)
    v = check_probability(visibility, "visibility")
    kind = check_choice(kind, "kind", _KINDS)
    m = n if kind == "ghz" else 1
    p = 0.5 * (1.0 + v * np.cos(m * np.asarray(phi, dtype=float)))
    return float(p) if np.ndim(p) == 0 else p


def classical_fisher(n_nodes: int, phi: Any, *, visibility: float = 1.0, kind: str = "ghz") -> Any:
    """Fisher information of one parity shot (GHZ) or of N single-qubit shots (product).

    For p = (1 + V cos(mφ))/2: F = (∂p/∂φ)² / (p(1−p)) = m²V² sin²(mφ) / (1 − V² cos²(mφ)),
    with m = N for GHZ; N independent qubits (m = 1) add up to N times that.

    Parameters
    ----------
    n_nodes : int
        Nodes, >= 1.
    phi : float or array_like
        Phase per node.
    visibility : float
        V in [0, 1] (of the GHZ state, or of each product qubit).
    kind : str
        ``"ghz"`` or ``"product"``.

    Returns
    -------
    float or numpy.ndarray
        Fisher information (N²V² for GHZ at Nφ = π/2).

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(classical_fisher(5, np.pi / 10), 6), round(classical_fisher(5, np.pi / 2,
    ...     kind="product"), 6)
    (25.0, 5.0)
    """
    n = _n(n_nodes)
    v = check_probability(visibility, "visibility")
    kind = check_choice(kind, "kind", _KINDS)
    m = n if kind == "ghz" else 1
    x = m * np.asarray(phi, dtype=float)
    den = 1.0 - v**2 * np.cos(x) ** 2
    f = np.where(den > 0, m**2 * v**2 * np.sin(x) ** 2 / np.where(den > 0, den, 1.0), 0.0)
    if kind == "product":
        f = n * f
    return float(f) if np.ndim(f) == 0 else f


def ghz_circuit(n_nodes: int, phi: Any = None, *, dephasing: float = 0.0) -> Any:
    """The sensing circuit in Cirq: GHZ preparation, phase φ on every node, X-basis readout.

    H on node 0 and a CNOT chain prepare the GHZ state; each node's qubit picks up
    ``cirq.rz(φ)`` (diag(1, e^{iφ}) up to a global phase) (a symbol ``phi`` when None) and, optionally, a phase flip
    of probability ``dephasing`` (coherence factor 1 − 2p); H on every qubit and a
    measurement ``m`` read out the X basis. The parity of the outcomes estimates cos(Nφ).

    Parameters
    ----------
    n_nodes : int
        Nodes, 1 to 12.
    phi : float, sympy.Symbol or None
        The phase per node.
    dephasing : float
        Phase-flip probability per qubit, in [0, 1].

    Returns
    -------
    cirq.Circuit
        The circuit on ``cirq.LineQubit.range(n_nodes)``.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> c = ghz_circuit(3, 0.1)
    >>> len(c.all_qubits()), c.has_measurements()
    (3, True)
    """
    import cirq
    import sympy

    n = _n(n_nodes, maximum=12)
    p = check_probability(dephasing, "dephasing")
    if phi is None:
        phi = sympy.Symbol("phi")
    q = cirq.LineQubit.range(n)
    c = cirq.Circuit()
    c.append(cirq.H(q[0]))
    c.append(cirq.CNOT(q[i], q[i + 1]) for i in range(n - 1))
    c.append(cirq.rz(phi).on_each(*q), strategy=cirq.InsertStrategy.NEW_THEN_INLINE)
    if p > 0:
        c.append(cirq.phase_flip(p).on_each(*q))
    c.append(cirq.H.on_each(*q))
    c.append(cirq.measure(*q, key="m"))
    return c


def sample_parity_cirq(
    n_nodes: int, phi: float, shots: int, *, dephasing: float = 0.0, seed: SeedLike = None
) -> np.ndarray:
    """Parity outcomes (+1/−1) of :func:`ghz_circuit` on Cirq's density-matrix simulator.

    Parameters
    ----------
    n_nodes : int
        Nodes, 1 to 8.
    phi : float
        Phase per node.
    shots : int
        Repetitions, >= 1.
    dephasing : float
        Phase-flip probability per qubit.
    seed : int, Generator or None
        Randomness of the sampling.

    Returns
    -------
    numpy.ndarray
        ``shots`` parities in {+1, −1}.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> sample_parity_cirq(2, 0.0, 5, seed=1).tolist()
    [1, 1, 1, 1, 1]
    """
    import cirq

    n = _n(n_nodes, maximum=8)
    m = check_size(shots, "shots", maximum=10**6)
    phi = check_in_range(phi, "phi")
    rng = make_rng(seed)
    sim = cirq.DensityMatrixSimulator(seed=np.random.RandomState(rng.integers(2**31 - 1)))
    res = sim.run(ghz_circuit(n, phi, dephasing=dephasing), repetitions=m)
    bits = res.measurements["m"]
    return (1 - 2 * (bits.sum(axis=1) % 2)).astype(int)


@dataclass(frozen=True)
class PhaseEstimate(ResultMixin):
    """Repeated phase estimates from parity measurements.

    Parameters
    ----------
    estimates : numpy.ndarray
        One estimate of φ per repetition.
    phi : float
        The true phase.
    shots : int
        Shots per estimate (one shot uses the whole network once).
    fisher : float
        Fisher information of one shot at φ (:func:`classical_fisher`).

    Examples
    --------
    >>> est = PhaseEstimate(np.array([0.1, 0.3]), 0.2, 10, 4.0)
    >>> round(est.variance, 6), est.cramer_rao
    (0.02, 0.025)
    """

    estimates: np.ndarray = field(repr=False)
    phi: float
    shots: int
    fisher: float

    @property
    def variance(self) -> float:
        """Sample variance of the estimates."""
        return float(np.var(self.estimates, ddof=1))

    @property
    def cramer_rao(self) -> float:
        """Cramér–Rao bound 1 / (shots · F) on the variance."""
        return 1.0 / (self.shots * self.fisher)

    def __repr__(self) -> str:
        return (
            f"PhaseEstimate(phi={self.phi:.4f}, shots={self.shots}, "
            f"repetitions={self.estimates.size}, variance={self.variance:.3e}, "
            f"cramer_rao={self.cramer_rao:.3e})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Histogram of the estimates with the true phase; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_distribution`.
        """
        true = {"true phase": self.phi}
        return plot_distribution(
            self.estimates, ax=ax, xlabel="phase estimate (rad)", vlines=true, **kwargs
        )


def estimate_phase(
    n_nodes: int,
    phi: float,
    shots: int,
    *,
    kind: str = "ghz",
    visibility: float = 1.0,
    repetitions: int = 1000,
    seed: SeedLike = None,
) -> PhaseEstimate:
    """Estimate φ from ``shots`` parity shots, ``repetitions`` times (NumPy fast path).

    The maximum-likelihood estimator inverts the mean parity: mφ̂ = arccos(clip(⟨Π⟩/V)),
    with m = N (GHZ, one parity per shot) or m = 1 (product: the N nodes' single-qubit
    outcomes pooled, N·shots outcomes). It is unbiased to first order and its variance
    approaches the Cramér–Rao bound 1/(shots · F) for many shots, when mφ lies inside
    (0, π) (the phase is known to that window in advance).

    Parameters
    ----------
    n_nodes : int
        Nodes, >= 1.
    phi : float
        True phase per node, with mφ in (0, π).
    shots : int
        Uses of the network per estimate, >= 1.
    kind : str
        ``"ghz"`` or ``"product"``.
    visibility : float
        V in (0, 1] (known to the estimator).
    repetitions : int
        Independent estimates.
    seed : int, Generator or None
        Randomness of the outcomes.

    Returns
    -------
    PhaseEstimate
        The estimates and the bound.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range or mφ outside (0, π).

    Examples
    --------
    >>> est = estimate_phase(4, np.pi / 8, 400, repetitions=200, seed=3)
    >>> 0.5 < est.variance / est.cramer_rao < 2.0
    True
    """
    n = _n(n_nodes)
    kind = check_choice(kind, "kind", _KINDS)
    m_shots = check_size(shots, "shots", maximum=10**8)
    reps = check_size(repetitions, "repetitions", maximum=10**6)
    v = check_in_range(visibility, "visibility", 0.0, 1.0, low_inclusive=False)
    phi = check_in_range(phi, "phi")
    m = n if kind == "ghz" else 1
    if not 0.0 < m * phi < np.pi:
        raise ValueError(
            f"phi must satisfy 0 < {m}·phi < π for an unambiguous estimate, got phi={phi}"
        )
    rng = make_rng(seed)
    p = parity_probability(n, phi, visibility=v, kind=kind)
    trials = m_shots * (n if kind == "product" else 1)
    k = rng.binomial(trials, p, size=reps)
    mean_parity = 2.0 * k / trials - 1.0
    est = np.arccos(np.clip(mean_parity / v, -1.0, 1.0)) / m
    return PhaseEstimate(
        est, float(phi), m_shots, classical_fisher(n, phi, visibility=v, kind=kind)
    )


def ghz_advantage(n_nodes: Any, eta: float = 1.0, gamma_t: float = 0.0) -> Any:
    """Fisher information of the GHZ network over N independent sensors, per attempt.

    A(N) = η^N N² e^{−2Nγt} / (N e^{−2γt}) = η^N N e^{−2(N−1)γt}: the GHZ state reaches all
    N nodes with probability η^N and then has visibility e^{−Nγt}; independent sensors use
    local qubits.

    Parameters
    ----------
    n_nodes : int or array_like of int
        Nodes, >= 1.
    eta : float
        Transmissivity of each node's link, in (0, 1].
    gamma_t : float
        Dephasing, >= 0.

    Returns
    -------
    float or numpy.ndarray
        The ratio (> 1: entanglement helps).

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> round(ghz_advantage(4, eta=0.9), 4)
    2.6244
    """
    n = np.asarray(n_nodes)
    if not np.issubdtype(n.dtype, np.integer) or (n < 1).any():
        raise ValueError(f"n_nodes must be integers >= 1, got {n_nodes!r}")
    e = check_in_range(eta, "eta", 0.0, 1.0, low_inclusive=False)
    g = check_non_negative(gamma_t, "gamma_t")
    a = n * np.exp(n * np.log(e) - 2.0 * (n - 1) * g)
    return float(a) if a.ndim == 0 else a


def crossover_nodes(eta: float = 1.0, gamma_t: float = 0.0, *, n_max: int = 10**6) -> int:
    """Smallest N beyond the best network size at which independent sensors win (A(N) < 1).

    A(N) = η^N N e^{−2(N−1)γt} rises and then falls; this is the first N past its maximum
    with A(N) < 1 (N >= 2). It is 2 when A(N) < 1 for every N (entanglement never helps),
    and ``n_max`` + 1 when A stays above 1 up to ``n_max`` (no loss and no dephasing).

    Parameters
    ----------
    eta : float
        Link transmissivity, in (0, 1].
    gamma_t : float
        Dephasing, >= 0.
    n_max : int
        Largest N searched.

    Returns
    -------
    int
        The crossover N.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> crossover_nodes(eta=0.95), crossover_nodes(eta=0.5)
    (88, 2)
    """
    n_max = check_size(n_max, "n_max", minimum=2, maximum=10**7)
    ns = np.arange(2, n_max + 1)
    a = ghz_advantage(ns, eta, gamma_t)
    if a.max() < 1.0:
        return 2
    peak = int(np.argmax(a))
    below = np.nonzero(a[peak:] < 1.0)[0]
    if below.size == 0:
        return n_max + 1
    return int(ns[peak + below[0]])
