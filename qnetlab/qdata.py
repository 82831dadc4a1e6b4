"""Quantum-assisted data processing: quantum kernels in Cirq (search: :mod:`qnetlab.qsearch`).

- A link-telemetry data set (noisy loss, QBER, dark-count and detector-efficiency readings
  of QKD links, labelled "usable" when the link's BB84 key rate reaches a target).
- The ZZ feature map of Havlicek et al. (2019) as a Cirq circuit, its exact state vectors,
  the fidelity kernel :math:`|\\langle\\phi(x)|\\phi(x')\\rangle|^2` and the projected
  quantum kernel of Huang et al. (2021) (an RBF kernel on one-qubit reduced density
  matrices), and a kernel-concentration scan.
- Grover search and amplitude estimation live in :mod:`qnetlab.qsearch`.

>>> X, y = link_telemetry_dataset(50, seed=1)
>>> X.shape, set(y.tolist()) <= {0, 1}
((50, 4), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_positive,
    check_size,
    make_rng,
)
from .channels import fiber_transmissivity

__all__ = [
    "feature_states",
    "fidelity_kernel",
    "kernel_concentration",
    "link_telemetry_dataset",
    "one_qubit_rdms",
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
        if np.iscomplexobj(X):  # a real cast would drop the imaginary part silently
            raise ValueError("complex")
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        got = "complex values" if str(exc) == "complex" else type(X).__name__
        raise TypeError(f"X must be an array of real numbers, got {got}") from None
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
