"""The Helstrom bound: the best possible success probability for telling two states apart.

Given one copy of a state that is ρ₀ with prior p₀ or ρ₁ with prior p₁ = 1 − p₀, no
measurement guesses right more often than (Helstrom 1976)

    P_succ = ½ (1 + ‖p₀ρ₀ − p₁ρ₁‖₁),

reached by the projective measurement onto the positive and negative eigenspaces of
Γ = p₀ρ₀ − p₁ρ₁. A quantum neural network that classifies single copies is held against
this ceiling. NumPy only (no TensorFlow).

>>> round(helstrom_bound([1, 0], [2**-0.5, 2**-0.5]), 4)
0.8536
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_probability, to_density_matrix

__all__ = ["helstrom_bound", "helstrom_measurement", "trace_distance"]


def _pair(rho0: Any, rho1: Any) -> tuple[np.ndarray, np.ndarray]:
    r0 = to_density_matrix(rho0, "rho0")
    r1 = to_density_matrix(rho1, "rho1")
    if r0.shape != r1.shape:
        n0 = int(np.log2(r0.shape[0]))
        n1 = int(np.log2(r1.shape[0]))
        raise ValueError(
            f"rho0 and rho1 must act on the same number of qubits, got {n0} and {n1} qubits"
        )
    return r0, r1


def _gamma(rho0: Any, rho1: Any, prior0: float) -> np.ndarray:
    p0 = check_probability(prior0, "prior0")
    r0, r1 = _pair(rho0, rho1)
    g = p0 * r0 - (1.0 - p0) * r1
    return (g + g.conj().T) / 2


def trace_distance(rho0: Any, rho1: Any) -> float:
    """Trace distance T(ρ₀, ρ₁) = ½‖ρ₀ − ρ₁‖₁ between two states (kets or density matrices).

    Parameters
    ----------
    rho0, rho1 : array_like
        The two states, kets or density matrices on the same number of qubits.

    Returns
    -------
    float
        The trace distance, in [0, 1].

    Raises
    ------
    ValueError
        If a state is not valid or the two act on different numbers of qubits.

    Examples
    --------
    >>> round(trace_distance([1, 0], [0, 1]), 6)
    1.0
    >>> round(trace_distance([1, 0], [2**-0.5, 2**-0.5]), 6)
    0.707107
    """
    g = _gamma(rho0, rho1, 0.5)
    return float(np.abs(np.linalg.eigvalsh(g)).sum())


def helstrom_bound(rho0: Any, rho1: Any, prior0: float = 0.5) -> float:
    """Optimal probability of identifying one copy of ρ₀ (prior ``prior0``) or ρ₁.

    P = ½ (1 + ‖p₀ρ₀ − (1 − p₀)ρ₁‖₁) (Helstrom 1976, ch. IV).

    Parameters
    ----------
    rho0, rho1 : array_like
        The two states, kets or density matrices on the same number of qubits
        (Hermitian, positive, unit trace).
    prior0 : float, default 0.5
        Prior probability of ρ₀, in [0, 1].

    Returns
    -------
    float
        The Helstrom success probability, in [max(p₀, p₁), 1].

    Raises
    ------
    ValueError
        If a state is not valid, the two act on different numbers of qubits, or
        ``prior0`` is outside [0, 1].

    Examples
    --------
    >>> round(helstrom_bound([1, 0], [0, 1]), 6)
    1.0
    >>> round(helstrom_bound([[0.5, 0], [0, 0.5]], [1, 0], prior0=0.9), 6)
    0.9
    >>> helstrom_bound([1, 0], [1, 0, 0, 0])
    Traceback (most recent call last):
    ...
    ValueError: rho0 and rho1 must act on the same number of qubits, got 1 and 2 qubits
    """
    g = _gamma(rho0, rho1, prior0)
    norm1 = float(np.abs(np.linalg.eigvalsh(g)).sum())
    return float(np.clip(0.5 * (1.0 + norm1), 0.0, 1.0))


def helstrom_measurement(rho0: Any, rho1: Any, prior0: float = 0.5) -> np.ndarray:
    """Projector Π₀ onto the positive eigenspace of p₀ρ₀ − p₁ρ₁ (guess ρ₀ on outcome Π₀).

    Its success probability p₀ tr(Π₀ρ₀) + p₁ tr((1 − Π₀)ρ₁) equals :func:`helstrom_bound`.

    Parameters
    ----------
    rho0, rho1 : array_like
        The two states, kets or density matrices on the same number of qubits.
    prior0 : float, default 0.5
        Prior probability of ρ₀, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The projector Π₀ (complex, same dimension as the states).

    Raises
    ------
    ValueError
        If a state is not valid, the two act on different numbers of qubits, or
        ``prior0`` is outside [0, 1].

    Examples
    --------
    >>> helstrom_measurement([1, 0], [0, 1]).real.round(6).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    g = _gamma(rho0, rho1, prior0)
    w, v = np.linalg.eigh(g)
    pos = v[:, w > 0]
    return pos @ pos.conj().T
