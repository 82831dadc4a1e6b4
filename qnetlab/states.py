"""Quantum states for networks: Bell, Werner and Bell-diagonal states, and figures of merit.

Conventions: qubit 0 is the most significant bit (Cirq's big-endian order), kets are 1-D
complex arrays, density matrices are 2-D. Bell-diagonal coefficients are ordered
(Φ+, Ψ−, Ψ+, Φ−) as in Deutsch et al. (1996), the order the purification maps use.

>>> import numpy as np
>>> rho = werner_state(0.9)
>>> round(fidelity(rho, bell_state("phi+")), 6)
0.9
>>> round(concurrence(bell_state("psi-")), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import (
    check_bloch_vector,
    check_density_matrix,
    check_integer,
    check_probability,
    to_density_matrix,
)

__all__ = [
    "BELL_ORDER",
    "bell_diagonal_coefficients",
    "bell_diagonal_state",
    "bell_state",
    "bloch_vector",
    "check_bell_coefficients",
    "concurrence",
    "density_matrix_from_cirq",
    "fidelity",
    "ket",
    "partial_trace",
    "purity",
    "state_from_bloch",
    "von_neumann_entropy",
    "werner_state",
]

#: Order of the Bell basis used for Bell-diagonal coefficients (Deutsch et al. 1996).
BELL_ORDER: tuple[str, str, str, str] = ("phi+", "psi-", "psi+", "phi-")

_S = 1.0 / np.sqrt(2.0)
_BELL_KETS: dict[str, np.ndarray] = {
    "phi+": np.array([_S, 0, 0, _S], dtype=complex),
    "phi-": np.array([_S, 0, 0, -_S], dtype=complex),
    "psi+": np.array([0, _S, _S, 0], dtype=complex),
    "psi-": np.array([0, _S, -_S, 0], dtype=complex),
}
_ALIASES = {
    "phi_plus": "phi+",
    "phi_minus": "phi-",
    "psi_plus": "psi+",
    "psi_minus": "psi-",
    "Φ+": "phi+",
    "Φ-": "phi-",
    "Ψ+": "psi+",
    "Ψ-": "psi-",
    "Φ−": "phi-",
    "Ψ−": "psi-",
}


def ket(bits: str | Sequence[int]) -> np.ndarray:
    """Return the computational-basis ket of a bit string (qubit 0 first).

    Parameters
    ----------
    bits : str or sequence of int
        The bits, ``"0"``/``"1"`` characters or 0/1 integers, 1 to 24 of them; qubit 0 is
        the most significant bit.

    Returns
    -------
    numpy.ndarray
        Complex ket of length ``2 ** len(bits)`` with a single 1 at the bit string's index.

    Raises
    ------
    TypeError
        If ``bits`` is neither a string nor a sequence of integers.
    ValueError
        If ``bits`` is empty, holds anything but 0 and 1, or has more than 24 qubits.

    Examples
    --------
    >>> ket("10").real.tolist()
    [0.0, 0.0, 1.0, 0.0]
    >>> ket([1, 1]).real.tolist()
    [0.0, 0.0, 0.0, 1.0]
    """
    if isinstance(bits, str):
        if not bits or set(bits) - {"0", "1"}:
            raise ValueError(f"bits must be a non-empty string of 0s and 1s, got {bits!r}")
        values = [int(b) for b in bits]
    else:
        if isinstance(bits, (bytes, dict)) or not hasattr(bits, "__iter__"):
            raise TypeError(
                f"bits must be a string or a sequence of 0s and 1s, got {type(bits).__name__}"
            )
        try:
            values = [int(b) for b in bits]
        except (TypeError, ValueError) as exc:
            raise TypeError(f"bits must be a sequence of 0s and 1s, got {bits!r}") from exc
        if not values or set(values) - {0, 1}:
            raise ValueError(f"bits must be a non-empty sequence of 0s and 1s, got {bits!r}")
    if len(values) > 24:
        raise ValueError(f"bits must hold at most 24 qubits (a dense ket), got {len(values)}")
    index = int("".join(str(b) for b in values), 2)
    out = np.zeros(2 ** len(values), dtype=complex)
    out[index] = 1.0
    return out


def bell_state(name: str = "phi+", *, density: bool = False) -> np.ndarray:
    """Return a Bell state as a ket (default) or a density matrix.

    Parameters
    ----------
    name : str, default "phi+"
        One of ``"phi+"``, ``"phi-"``, ``"psi+"``, ``"psi-"`` (aliases such as
        ``"phi_plus"`` or ``"Ψ-"`` are accepted).
    density : bool, default False
        Return the 4x4 density matrix instead of the ket.

    Returns
    -------
    numpy.ndarray
        The ket (shape ``(4,)``) or the density matrix (shape ``(4, 4)``), complex.

    Raises
    ------
    ValueError
        If ``name`` is not a Bell-state name.

    Examples
    --------
    >>> bell_state("phi+").real.round(4).tolist()
    [0.7071, 0.0, 0.0, 0.7071]
    >>> bell_state("psi-", density=True).shape
    (4, 4)
    """
    key = _ALIASES.get(name, name)
    if key not in _BELL_KETS:
        raise ValueError(f"name must be one of 'phi+', 'phi-', 'psi+', 'psi-'; got {name!r}")
    k = _BELL_KETS[key].copy()
    return np.outer(k, k.conj()) if density else k


def werner_state(fidelity: float) -> np.ndarray:
    """Return the two-qubit Werner state with fidelity ``fidelity`` to Φ+.

    ρ_W(F) = F |Φ+⟩⟨Φ+| + (1 − F)/3 (I − |Φ+⟩⟨Φ+|) (Werner 1989, in the Φ+ convention
    used by Bennett et al. 1996). It is entangled exactly when F > 1/2.

    Parameters
    ----------
    fidelity : float
        Fidelity F to Φ+, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The 4x4 density matrix ρ_W(F).

    Raises
    ------
    ValueError
        If ``fidelity`` is outside [0, 1] or not finite.

    Examples
    --------
    >>> rho = werner_state(0.25)
    >>> bool(np.allclose(rho, np.eye(4) / 4))
    True
    >>> round(float(werner_state(0.9)[0, 0].real), 4)
    0.4667
    """
    f = check_probability(fidelity, "fidelity")
    phi = bell_state("phi+", density=True)
    return f * phi + (1.0 - f) / 3.0 * (np.eye(4) - phi)


def bell_diagonal_state(coefficients: Sequence[float]) -> np.ndarray:
    """Return Σ λ_i |B_i⟩⟨B_i| with coefficients ordered (Φ+, Ψ−, Ψ+, Φ−).

    Parameters
    ----------
    coefficients : sequence of float
        Four probabilities λ_i ≥ 0 summing to 1, in the order (Φ+, Ψ−, Ψ+, Φ−).

    Returns
    -------
    numpy.ndarray
        The 4x4 Bell-diagonal density matrix.

    Raises
    ------
    TypeError
        If ``coefficients`` are not four real numbers.
    ValueError
        If they are negative, not finite, not four, or do not sum to 1.

    Examples
    --------
    >>> rho = bell_diagonal_state([0.7, 0.1, 0.1, 0.1])
    >>> bool(np.allclose(rho, werner_state(0.7)))
    True
    """
    c = check_bell_coefficients(coefficients)
    return sum(c[i] * bell_state(name, density=True) for i, name in enumerate(BELL_ORDER))


def check_bell_coefficients(
    coefficients: Sequence[float], name: str = "coefficients"
) -> np.ndarray:
    """Return Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−) as an array after checking them.

    Parameters
    ----------
    coefficients : sequence of float
        Four probabilities in [0, 1] summing to 1 (to 1e-9).
    name : str, default "coefficients"
        The argument named in the error (the caller's public parameter).

    Returns
    -------
    numpy.ndarray
        The four coefficients as floats, clipped to [0, 1].

    Raises
    ------
    TypeError
        If ``coefficients`` is a string or not numeric.
    ValueError
        If there are not four entries, one is outside [0, 1], or they do not sum to 1.

    Examples
    --------
    >>> check_bell_coefficients([0.7, 0.1, 0.1, 0.1]).tolist()
    [0.7, 0.1, 0.1, 0.1]
    >>> check_bell_coefficients([0.7, 0.4, -0.1, 0.0], "c1")
    Traceback (most recent call last):
    ...
    ValueError: c1 must be non-negative probabilities (Φ+, Ψ−, Ψ+, Φ−), got [0.7, 0.4, -0.1, 0.0]
    """
    if isinstance(coefficients, (str, bytes)):
        raise TypeError(f"{name} must be four real numbers, got {type(coefficients).__name__}")
    try:
        c = np.asarray(coefficients, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be four real numbers") from exc
    if c.shape != (4,):
        raise ValueError(f"{name} must have 4 entries (Φ+, Ψ−, Ψ+, Φ−), got shape {c.shape}")
    if np.any(~np.isfinite(c)) or np.any(c < -1e-12) or np.any(c > 1 + 1e-12):
        raise ValueError(
            f"{name} must be non-negative probabilities (Φ+, Ψ−, Ψ+, Φ−), got {c.tolist()}"
        )
    if abs(c.sum() - 1.0) > 1e-9:
        raise ValueError(f"{name} must sum to 1, got {c.sum():.6g}")
    return np.clip(c, 0.0, 1.0)


def bell_diagonal_coefficients(rho: Any) -> np.ndarray:
    """Return ⟨B_i|ρ|B_i⟩ for the Bell states ordered (Φ+, Ψ−, Ψ+, Φ−).

    For a Bell-diagonal state these are its coefficients; for any other two-qubit state
    they are the coefficients of its Bell-diagonal twirl.

    Parameters
    ----------
    rho : array_like
        A two-qubit state, ket (length 4) or density matrix (4x4).

    Returns
    -------
    numpy.ndarray
        The four real coefficients, summing to 1.

    Raises
    ------
    ValueError
        If ``rho`` is not a valid two-qubit state.

    Examples
    --------
    >>> bell_diagonal_coefficients(werner_state(0.85)).round(4).tolist()
    [0.85, 0.05, 0.05, 0.05]
    """
    m = to_density_matrix(rho, "rho")
    if m.shape != (4, 4):
        raise ValueError(f"rho must be a two-qubit state (4x4), got shape {m.shape}")
    return np.array(
        [np.real(np.vdot(_BELL_KETS[n], m @ _BELL_KETS[n])) for n in BELL_ORDER], dtype=float
    )


def _psd_sqrt(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.conj().T) / 2)
    w = np.clip(w, 0.0, None)
    return (v * np.sqrt(w)) @ v.conj().T


def fidelity(rho: Any, sigma: Any) -> float:
    """Uhlmann fidelity F(ρ, σ) = (tr √(√ρ σ √ρ))² between two states.

    Either argument may be a ket or a density matrix; for a pure state it reduces to
    ⟨ψ|σ|ψ⟩ (Jozsa 1994).

    Parameters
    ----------
    rho : array_like
        First state, ket or density matrix.
    sigma : array_like
        Second state, of the same dimension.

    Returns
    -------
    float
        The fidelity, in [0, 1].

    Raises
    ------
    ValueError
        If either is not a valid state or their dimensions differ.

    Examples
    --------
    >>> round(fidelity([1, 0], [[0.5, 0.5], [0.5, 0.5]]), 6)
    0.5
    >>> round(fidelity(werner_state(0.9), bell_state("phi+")), 6)
    0.9
    """
    r = to_density_matrix(rho, "rho")
    s = to_density_matrix(sigma, "sigma")
    if r.shape != s.shape:
        raise ValueError(f"rho and sigma must have the same dimension, got {r.shape} and {s.shape}")
    # A pure state makes the formula a simple overlap: exact and fast.
    for a, b in ((r, s), (s, r)):
        if abs(np.trace(a @ a).real - 1.0) < 1e-10:
            w, v = np.linalg.eigh(a)
            psi = v[:, np.argmax(w)]
            return float(np.clip(np.real(np.vdot(psi, b @ psi)), 0.0, 1.0))
    sr = _psd_sqrt(r)
    ev = np.linalg.eigvalsh(sr @ s @ sr)
    return float(np.clip(np.sum(np.sqrt(np.clip(ev, 0.0, None))) ** 2, 0.0, 1.0))


def partial_trace(rho: Any, keep: Sequence[int], n_qubits: int | None = None) -> np.ndarray:
    """Trace out every qubit not in ``keep`` (qubit 0 first) and return the reduced state.

    Parameters
    ----------
    rho : array_like
        An n-qubit state, ket or density matrix.
    keep : sequence of int
        Distinct qubit indices in [0, n − 1] to keep, in the order of the output.
    n_qubits : int, optional
        The number of qubits n, checked against the dimension of ``rho``.

    Returns
    -------
    numpy.ndarray
        The reduced density matrix on the kept qubits.

    Raises
    ------
    ValueError
        If ``rho`` is not a state, ``n_qubits`` does not match it, or ``keep`` has an
        index out of range or a repeated one.

    Examples
    --------
    >>> partial_trace(bell_state("phi+", density=True), [0]).real.round(3).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    m = to_density_matrix(rho, "rho")
    n = m.shape[0].bit_length() - 1
    if n_qubits is not None and check_integer(n_qubits, "n_qubits", minimum=1) != n:
        raise ValueError(f"n_qubits={n_qubits} does not match rho of dimension {m.shape[0]}")
    keep = [check_integer(k, "keep", minimum=0, maximum=n - 1) for k in keep]
    if len(set(keep)) != len(keep):
        raise ValueError(f"keep must not repeat a qubit, got {keep}")
    traced = [q for q in range(n) if q not in keep]
    t = m.reshape([2] * (2 * n))
    # Move kept axes first (in the order given), traced axes last, then contract.
    order = keep + traced
    t = t.transpose(order + [n + q for q in order])
    k, r = len(keep), len(traced)
    t = t.reshape(2**k, 2**r, 2**k, 2**r)
    return np.einsum("ajbj->ab", t)


def purity(rho: Any) -> float:
    """Return tr(ρ²), which is 1 for pure states and 1/d for the maximally mixed state.

    Parameters
    ----------
    rho : array_like
        A state, ket or density matrix.

    Returns
    -------
    float
        The purity, in [1/d, 1].

    Raises
    ------
    ValueError
        If ``rho`` is not a valid state.

    Examples
    --------
    >>> round(purity(np.eye(2) / 2), 6)
    0.5
    >>> round(purity(werner_state(1.0)), 6)
    1.0
    """
    m = to_density_matrix(rho, "rho")
    return float(np.real(np.trace(m @ m)))


def von_neumann_entropy(rho: Any) -> float:
    """Return S(ρ) = −tr ρ log₂ ρ in bits.

    Parameters
    ----------
    rho : array_like
        A state, ket or density matrix.

    Returns
    -------
    float
        The entropy in bits, in [0, log₂ d].

    Raises
    ------
    ValueError
        If ``rho`` is not a valid state.

    Examples
    --------
    >>> round(von_neumann_entropy(np.eye(4) / 4), 6)
    2.0
    >>> round(von_neumann_entropy(bell_state("phi+")), 6)
    0.0
    """
    m = to_density_matrix(rho, "rho")
    w = np.linalg.eigvalsh(m)
    w = w[w > 1e-12]
    return float(-np.sum(w * np.log2(w)) + 0.0)


_SY2 = np.array([[0, 0, 0, -1], [0, 0, 1, 0], [0, 1, 0, 0], [-1, 0, 0, 0]], dtype=complex)


def concurrence(rho: Any) -> float:
    """Wootters concurrence of a two-qubit state (0 for separable, 1 for a Bell state).

    C = max(0, λ₁ − λ₂ − λ₃ − λ₄) with λ_i the decreasing square roots of the eigenvalues
    of ρ (σ_y⊗σ_y) ρ* (σ_y⊗σ_y) (Wootters 1998). For a Werner state C = max(0, 2F − 1).

    Parameters
    ----------
    rho : array_like
        A two-qubit state, ket (length 4) or density matrix (4x4).

    Returns
    -------
    float
        The concurrence, in [0, 1].

    Raises
    ------
    ValueError
        If ``rho`` is not a valid two-qubit state.

    Examples
    --------
    >>> round(concurrence(werner_state(0.8)), 6)
    0.6
    >>> round(concurrence(bell_state("psi-")), 6)
    1.0
    """
    m = to_density_matrix(rho, "rho")
    if m.shape != (4, 4):
        raise ValueError(f"rho must be a two-qubit state (4x4), got shape {m.shape}")
    rt = _SY2 @ m.conj() @ _SY2
    ev = np.linalg.eigvals(m @ rt)
    lam = np.sort(np.sqrt(np.clip(ev.real, 0.0, None)))[::-1]
    return float(max(0.0, lam[0] - lam[1] - lam[2] - lam[3]))


_PAULIS = (
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
)


def bloch_vector(rho: Any) -> np.ndarray:
    """Return the Bloch vector (⟨X⟩, ⟨Y⟩, ⟨Z⟩) of a single-qubit state.

    Parameters
    ----------
    rho : array_like
        A single-qubit state, ket (length 2) or density matrix (2x2).

    Returns
    -------
    numpy.ndarray
        The three real expectation values, of norm at most 1.

    Raises
    ------
    ValueError
        If ``rho`` is not a valid single-qubit state.

    Examples
    --------
    >>> bloch_vector([1, 0]).round(6).tolist()
    [0.0, 0.0, 1.0]
    """
    m = to_density_matrix(rho, "rho")
    if m.shape != (2, 2):
        raise ValueError(f"rho must be a single-qubit state (2x2), got shape {m.shape}")
    return np.array([np.real(np.trace(m @ p)) for p in _PAULIS])


def state_from_bloch(vector: Sequence[float]) -> np.ndarray:
    """Return the single-qubit density matrix (I + r·σ)/2 for a Bloch vector with |r| ≤ 1.

    Parameters
    ----------
    vector : sequence of float
        The Bloch vector (x, y, z), of norm at most 1.

    Returns
    -------
    numpy.ndarray
        The 2x2 density matrix.

    Raises
    ------
    ValueError
        If ``vector`` does not have three finite entries or its norm exceeds 1.

    Examples
    --------
    >>> state_from_bloch([0, 0, -1]).real.tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    r = check_bloch_vector(vector, "vector")
    return 0.5 * (np.eye(2) + sum(r[i] * _PAULIS[i] for i in range(3)))


def density_matrix_from_cirq(result: Any, keep: Sequence[int] | None = None) -> np.ndarray:
    """Turn a Cirq simulation result (or a final state) into a (reduced) density matrix.

    Parameters
    ----------
    result : object
        A ``cirq.DensityMatrixTrialResult``, a ``cirq.StateVectorTrialResult``, a ket or a
        density matrix; simulator output is renormalised (single precision).
    keep : sequence of int, optional
        Qubit indices (in the simulator's qubit order) to keep; the others are traced out.
        ``None`` keeps every qubit.

    Returns
    -------
    numpy.ndarray
        The (reduced) density matrix.

    Raises
    ------
    ValueError
        If ``result`` is not a valid state or ``keep`` is out of range.

    Examples
    --------
    >>> import cirq
    >>> a, b = cirq.LineQubit.range(2)
    >>> res = cirq.DensityMatrixSimulator().simulate(cirq.Circuit(cirq.H(a), cirq.CNOT(a, b)))
    >>> round(fidelity(density_matrix_from_cirq(res), bell_state("phi+")), 6)
    1.0
    """
    if hasattr(result, "final_density_matrix"):
        m = np.asarray(result.final_density_matrix, dtype=complex)
    elif hasattr(result, "final_state_vector"):
        v = np.asarray(result.final_state_vector, dtype=complex)
        m = np.outer(v, v.conj())
    else:
        m = to_density_matrix(result, "result")
    # Simulators work in single precision: renormalise before validating.
    m = (m + m.conj().T) / 2
    m = m / np.trace(m).real
    m = check_density_matrix(m, "result", atol=1e-5)
    if keep is None:
        return m
    return partial_trace(m, list(keep))
