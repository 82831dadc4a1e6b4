"""Quantum-assisted data processing: quantum kernels and Grover search, in Cirq.

- A link-telemetry data set (noisy loss, QBER, dark-count and detector-efficiency readings
  of QKD links, labelled "usable" when the link's BB84 key rate reaches a target).
- The ZZ feature map of Havlicek et al. (2019) as a Cirq circuit, its exact state vectors,
  the fidelity kernel :math:`|\\langle\\phi(x)|\\phi(x')\\rangle|^2` and the projected
  quantum kernel of Huang et al. (2021) (an RBF kernel on one-qubit reduced density
  matrices), and a kernel-concentration scan.
- Grover search over :math:`2^n` candidates (e.g. paths meeting a fidelity target) with
  its success probability, resource counts and the classical random-search baseline.

>>> X, y = link_telemetry_dataset(50, seed=1)
>>> X.shape, set(y.tolist()) <= {0, 1}
((50, 4), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_positive,
    check_probability,
    check_size,
    make_rng,
)
from .channels import fiber_transmissivity

__all__ = [
    "AmplitudeEstimate",
    "GroverResources",
    "amplitude_estimation_probability",
    "classical_search_queries",
    "feature_states",
    "fidelity_kernel",
    "grover_circuit",
    "grover_resources",
    "grover_success_probability",
    "grover_theory",
    "kernel_concentration",
    "link_telemetry_dataset",
    "ml_amplitude_estimation",
    "one_qubit_rdms",
    "optimal_grover_iterations",
    "projected_kernel",
    "zz_feature_map",
]

FEATURES = ("loss_db", "qber", "log10_dark", "det_eff")


def _h2(q: np.ndarray) -> np.ndarray:
    q = np.clip(q, 1e-12, 1 - 1e-12)
    return -q * np.log2(q) - (1 - q) * np.log2(1 - q)


def link_telemetry_dataset(
    n_samples: int,
    *,
    n_sift: int = 2000,
    rate_target: float = 3e-3,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy telemetry of random QKD links and whether each link is usable.

    Each link has a length in [0, 120] km (0.2 dB/km), a misalignment error in
    [0, 0.1], a dark-count probability log-uniform in [1e-7, 1e-4] and a detector
    efficiency in [0.1, 0.3]. Its single-photon BB84 rate per pulse is
    :math:`R = Y(1 - 2h(Q))` with yield :math:`Y = \\eta + p_d` and QBER
    :math:`Q = (e\\eta + p_d/2)/Y`; the label is 1 when :math:`R \\ge` ``rate_target``.
    The features are what a monitor reads: the loss in dB (noise 0.5 dB), the QBER
    estimated from ``n_sift`` sifted bits, log10 of the dark-count probability (noise
    0.1) and the detector efficiency (noise 0.01).

    Parameters
    ----------
    n_samples : int
        Number of links, at least 2.
    n_sift : int, optional
        Sifted bits behind each QBER estimate, at least 1.
    rate_target : float, optional
        Key rate per pulse (> 0) a usable link must reach.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    X : numpy.ndarray
        Shape (n_samples, 4): loss_db, qber, log10_dark, det_eff.
    y : numpy.ndarray
        Labels, 1 for usable.

    Raises
    ------
    ValueError, TypeError
        If an argument is out of range.

    Examples
    --------
    >>> X, y = link_telemetry_dataset(400, seed=3)
    >>> bool(0.3 < y.mean() < 0.7)
    True
    """
    n = check_size(n_samples, "n_samples", minimum=2, maximum=10**6)
    n_sift = check_integer(n_sift, "n_sift", minimum=1)
    rate_target = check_positive(rate_target, "rate_target")
    rng = make_rng(seed)
    length = rng.uniform(0.0, 120.0, n)
    mis = rng.uniform(0.0, 0.1, n)
    dark = 10.0 ** rng.uniform(-7.0, -4.0, n)
    eff = rng.uniform(0.1, 0.3, n)
    eta = fiber_transmissivity(length) * eff
    yield_ = eta + dark
    qber = (mis * eta + dark / 2) / yield_
    rate = yield_ * np.maximum(0.0, 1.0 - 2.0 * _h2(qber))
    y = (rate >= rate_target).astype(int)
    loss_db = 0.2 * length + rng.normal(0.0, 0.5, n)
    qber_hat = rng.binomial(n_sift, qber) / n_sift
    dark_hat = np.log10(dark) + rng.normal(0.0, 0.1, n)
    eff_hat = eff + rng.normal(0.0, 0.01, n)
    return np.column_stack([loss_db, qber_hat, dark_hat, eff_hat]), y


def zz_feature_map(x: Any, *, reps: int = 2) -> Any:
    """The ZZ feature map of Havlicek et al. (2019) for one data point, as a Cirq circuit.

    ``reps`` times: a Hadamard on every qubit, :math:`Z^{x_i/\\pi}` (phase :math:`x_i`),
    and for each pair :math:`i<j` the phase :math:`(\\pi - x_i)(\\pi - x_j)` on
    :math:`|11\\rangle` relative to the rest (CNOT, Z rotation, CNOT).

    Parameters
    ----------
    x : array_like
        Feature vector, one entry per qubit (at least 1 entry, finite).
    reps : int, optional
        Number of repetitions, at least 1.

    Returns
    -------
    cirq.Circuit

    Raises
    ------
    ValueError
        If ``x`` is empty or not finite, or ``reps`` < 1.

    Examples
    --------
    >>> len(zz_feature_map([0.1, 0.2], reps=1).all_qubits())
    2
    """
    import cirq

    try:
        x = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"x must be an array of numbers, got {type(x).__name__}") from None
    if x.size < 1 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must be a non-empty finite feature vector, got {x}")
    reps = check_size(reps, "reps", minimum=1, maximum=100)
    qs = cirq.LineQubit.range(x.size)
    circuit = cirq.Circuit()
    for _ in range(reps):
        circuit.append(cirq.H.on_each(*qs))
        circuit.append(cirq.ZPowGate(exponent=xi / np.pi).on(q) for xi, q in zip(x, qs))
        for i in range(x.size):
            for j in range(i + 1, x.size):
                phi = (np.pi - x[i]) * (np.pi - x[j])
                circuit.append(
                    [
                        cirq.CNOT(qs[i], qs[j]),
                        cirq.ZPowGate(exponent=phi / np.pi).on(qs[j]),
                        cirq.CNOT(qs[i], qs[j]),
                    ]
                )
    return circuit


def _zz_phases(X: np.ndarray) -> np.ndarray:
    q = X.shape[1]
    bits = (np.arange(2**q)[:, None] >> (q - 1 - np.arange(q))[None, :]) & 1
    phase = X @ bits.T
    for i in range(q):
        for j in range(i + 1, q):
            phi = (np.pi - X[:, i]) * (np.pi - X[:, j])
            phase += phi[:, None] * (bits[:, i] ^ bits[:, j])[None, :]
    return phase


def feature_states(X: Any, *, reps: int = 2, method: str = "numpy") -> np.ndarray:
    """Exact state vectors of the ZZ feature map for every row of ``X``.

    ``method="cirq"`` simulates :func:`zz_feature_map` with Cirq's state-vector simulator
    (the reference); ``method="numpy"`` applies the same diagonal phases and Hadamard
    layers directly (the fast path, tested to agree to 1e-10).

    Parameters
    ----------
    X : array_like
        Shape (n_points, n_qubits), 1 <= n_qubits <= 12.
    reps : int, optional
        Feature-map repetitions.
    method : {"numpy", "cirq"}, optional
        Simulation path.

    Returns
    -------
    numpy.ndarray
        Shape (n_points, 2**n_qubits), complex.

    Raises
    ------
    ValueError
        If ``X`` is not a 2-D array with 1 to 12 columns or ``method`` is unknown.

    Examples
    --------
    >>> s = feature_states([[0.0, 0.0]], reps=1)
    >>> np.allclose(np.abs(s) ** 2, 0.25)
    True
    """
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"X must be an array of numbers, got {type(X).__name__}") from None
    if X.ndim != 2 or not 1 <= X.shape[1] <= 12 or not np.all(np.isfinite(X)):
        raise ValueError(f"X must have shape (n_points, n_qubits) with 1..12 qubits, got {X.shape}")
    reps = check_size(reps, "reps", minimum=1, maximum=100)
    check_choice(method, "method", ("numpy", "cirq"))
    q = X.shape[1]
    if method == "cirq":
        import cirq

        sim = cirq.Simulator(dtype=np.complex128)
        qs = cirq.LineQubit.range(q)
        out = [
            sim.simulate(zz_feature_map(x, reps=reps), qubit_order=qs).final_state_vector for x in X
        ]
        return np.array(out)
    h1 = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2)
    hn = np.array([[1.0]])
    for _ in range(q):
        hn = np.kron(hn, h1)
    diag = np.exp(1j * _zz_phases(X))
    psi = np.zeros((len(X), 2**q), dtype=complex)
    psi[:, 0] = 1.0
    for _ in range(reps):
        psi = diag * (psi @ hn.T)
    return psi


def _states(a: Any, name: str) -> np.ndarray:
    try:
        a = np.asarray(a, dtype=complex)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of state vectors, got {type(a).__name__}"
        ) from None
    if a.ndim != 2 or a.shape[1] < 2 or a.shape[1] & (a.shape[1] - 1) or a.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n_points, 2**n_qubits), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must contain only finite amplitudes")
    return a


def fidelity_kernel(states_a: Any, states_b: Any | None = None) -> np.ndarray:
    """Fidelity kernel :math:`K_{ij} = |\\langle\\phi_i|\\phi_j\\rangle|^2`.

    Parameters
    ----------
    states_a, states_b : array_like
        State vectors, shape (n, 2**q); ``states_b`` defaults to ``states_a``.

    Returns
    -------
    numpy.ndarray
        Shape (len(states_a), len(states_b)).

    Raises
    ------
    ValueError
        If the inputs are not arrays of state vectors.

    Examples
    --------
    >>> s = feature_states([[0.3, 1.0], [2.0, 0.5]])
    >>> np.allclose(np.diag(fidelity_kernel(s)), 1.0)
    True
    """
    a = _states(states_a, "states_a")
    b = a if states_b is None else _states(states_b, "states_b")
    return np.abs(a.conj() @ b.T) ** 2


def one_qubit_rdms(states: Any) -> np.ndarray:
    """One-qubit reduced density matrices of every state.

    Parameters
    ----------
    states : array_like
        State vectors, shape (n, 2**q), qubit 0 the most significant bit (Cirq order).

    Returns
    -------
    numpy.ndarray
        Shape (n, q, 2, 2).

    Raises
    ------
    ValueError
        If the input is not an array of state vectors.

    Examples
    --------
    >>> r = one_qubit_rdms(np.array([[1, 0, 0, 0]], dtype=complex))
    >>> r[0, 1].real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    s = _states(states, "states")
    n, dim = s.shape
    q = dim.bit_length() - 1
    t = s.reshape((n,) + (2,) * q)
    out = np.empty((n, q, 2, 2), dtype=complex)
    for k in range(q):
        m = np.moveaxis(t, k + 1, 1).reshape(n, 2, -1)
        out[:, k] = m @ m.conj().transpose(0, 2, 1)
    return out


def projected_kernel(
    states_a: Any, states_b: Any | None = None, *, gamma: float = 1.0
) -> np.ndarray:
    """Projected quantum kernel of Huang et al. (2021).

    :math:`K(x, x') = \\exp(-\\gamma \\sum_k \\lVert\\rho_k(x) - \\rho_k(x')\\rVert_F^2)`
    with :math:`\\rho_k` the reduced state of qubit :math:`k`.

    Parameters
    ----------
    states_a, states_b : array_like
        State vectors; ``states_b`` defaults to ``states_a``.
    gamma : float, optional
        Bandwidth, > 0.

    Returns
    -------
    numpy.ndarray
        Kernel matrix.

    Raises
    ------
    ValueError
        If ``gamma`` <= 0 or the inputs are not state vectors.

    Examples
    --------
    >>> s = feature_states([[0.3, 1.0], [2.0, 0.5]])
    >>> k = projected_kernel(s, gamma=0.5)
    >>> np.allclose(np.diag(k), 1.0) and bool(np.all(k <= 1.0))
    True
    """
    gamma = check_positive(gamma, "gamma")
    sa = _states(states_a, "states_a")
    ra = one_qubit_rdms(sa).reshape(len(sa), -1)
    if states_b is None:
        rb = ra
    else:
        sb = _states(states_b, "states_b")
        rb = one_qubit_rdms(sb).reshape(len(sb), -1)
    d2 = (
        np.sum(np.abs(ra) ** 2, axis=1)[:, None]
        + np.sum(np.abs(rb) ** 2, axis=1)[None, :]
        - 2 * np.real(ra.conj() @ rb.T)
    )
    return np.exp(-gamma * np.maximum(d2, 0.0))


def kernel_concentration(
    n_qubits: Any, *, n_points: int = 30, reps: int = 2, seed: SeedLike = None
) -> np.ndarray:
    """Variance of the off-diagonal fidelity-kernel entries for uniform data in [0, 2pi]^n.

    Parameters
    ----------
    n_qubits : sequence of int
        Register sizes, each in 1..12.
    n_points : int, optional
        Random data points per size, at least 2.
    reps : int, optional
        Feature-map repetitions.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    numpy.ndarray
        One variance per register size.

    Raises
    ------
    ValueError
        If a size or ``n_points`` is out of range.

    Examples
    --------
    >>> v = kernel_concentration([2, 6], n_points=20, seed=1)
    >>> bool(v[1] < v[0])
    True
    """
    sizes = [check_integer(q, "n_qubits", minimum=1, maximum=12) for q in np.ravel(n_qubits)]
    n_points = check_size(n_points, "n_points", minimum=2, maximum=10**4)
    rng = make_rng(seed)
    out = []
    for q in sizes:
        k = fidelity_kernel(feature_states(rng.uniform(0, 2 * np.pi, (n_points, q)), reps=reps))
        out.append(np.var(k[np.triu_indices(n_points, 1)]))
    return np.array(out)


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
class GroverResources:
    """Cost of a Grover circuit.

    ``multi_controlled_z`` counts the n-qubit controlled-Z gates (one per marked item per
    oracle call, one per diffusion); ``two_qubit_gates`` is that count times the CZ count
    of one such gate compiled by Cirq to CZ plus single-qubit gates (no ancillas), and
    ``depth`` the number of moments with each multi-controlled Z counted as one.
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
class AmplitudeEstimate:
    """Result of maximum-likelihood amplitude estimation."""

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
