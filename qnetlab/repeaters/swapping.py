"""Entanglement swapping: the Bell-state measurement circuit and its closed forms.

A repeater node holding one half of pair (A, B₁) and one half of pair (B₂, C) measures
B₁B₂ in the Bell basis (CNOT, H, two Z measurements) and sends the two bits to C, which
applies X^m₂ Z^m₁: A and C now share a pair although they never interacted
(Żukowski et al. 1993). The Cirq circuit is the ground truth; the closed forms summarise it:

- **Werner inputs** (Briegel et al. 1998): the Werner parameters multiply, w = w₁ w₂ with
  w = (4F − 1)/3, i.e. F = F₁F₂ + (1 − F₁)(1 − F₂)/3 (:func:`swap_werner`).
- **Bell-diagonal inputs**: a Bell state is a Pauli error on Φ+ (Φ+ ↔ I, Ψ+ ↔ X,
  Φ− ↔ Z, Ψ− ↔ Y); swapping multiplies the errors, so the output coefficients are the
  convolution of the inputs over the Pauli group mod phases (:func:`swap_bell_diagonal`).
- **Noisy Bell measurement** (the Cirq convention of :mod:`qnetlab.protocols`): single-qubit
  depolarising noise of strength p on both qubits after the CNOT and bit flips of
  probability q on the two outcomes. A Z or Y error on B₁ flips m₁, an X or Y error on B₂
  flips m₂, so the output carries independent Z and X errors with probability
  e = 2p/3 + q − 2(2p/3)q each.

>>> round(swap_werner(0.9, 0.9), 6)
0.813333
>>> swap_bell_diagonal([0.9, 0, 0.1, 0], [1, 0, 0, 0]).round(6).tolist()
[0.9, 0.0, 0.1, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_in_range, check_probability, to_density_matrix
from ..states import check_bell_coefficients, partial_trace
from .bell_diagonal import PAULI_OF_BELL, convolve_rows

__all__ = [
    "PAULI_OF_BELL",
    "bsm_error_probabilities",
    "swap_bell_diagonal",
    "swap_circuit",
    "swap_cirq",
    "swap_werner",
]


def swap_werner(
    f1: float, f2: float, *, gate_noise: float = 0.0, measurement_noise: float = 0.0
) -> float:
    """Fidelity after swapping two Werner pairs of fidelities ``f1`` and ``f2``.

    Noiseless: F = F₁F₂ + (1 − F₁)(1 − F₂)/3 (Briegel et al. 1998; Werner parameters
    multiply). With ``gate_noise``/``measurement_noise`` the Φ+ coefficient of
    :func:`swap_bell_diagonal` is returned.

    Parameters
    ----------
    f1, f2 : float
        Werner fidelities of the two pairs, in [1/4, 1].
    gate_noise : float, optional
        Depolarising probability on both measured qubits after the CNOT, in [0, 1].
    measurement_noise : float, optional
        Flip probability of each Bell-measurement outcome, in [0, 1].

    Returns
    -------
    float
        Fidelity of the swapped pair to Φ+.

    Raises
    ------
    ValueError
        If a fidelity or a noise probability is out of range.

    Examples
    --------
    >>> swap_werner(1.0, 0.7)
    0.7
    >>> round(swap_werner(0.5, 0.5), 6)
    0.333333
    """
    a = check_in_range(f1, "f1", 0.25, 1.0)
    b = check_in_range(f2, "f2", 0.25, 1.0)
    if gate_noise == 0.0 and measurement_noise == 0.0:
        # Clip the rounding error: two pairs at F = 1/4 give exactly 1/4 (not 1/4 − 1 ulp).
        return float(max(0.25, a * b + (1.0 - a) * (1.0 - b) / 3.0))
    c1 = np.array([a, (1 - a) / 3, (1 - a) / 3, (1 - a) / 3])
    c2 = np.array([b, (1 - b) / 3, (1 - b) / 3, (1 - b) / 3])
    out = swap_bell_diagonal(c1, c2, gate_noise=gate_noise, measurement_noise=measurement_noise)
    return float(out[0])


def bsm_error_probabilities(gate_noise: float = 0.0, measurement_noise: float = 0.0) -> np.ndarray:
    """Distribution of the Pauli error a noisy Bell measurement adds, in Bell order.

    A Z or Y error on B₁ flips m₁ and an X or Y error on B₂ flips m₂, so the output
    carries independent X and Z errors with probability e = 2p/3 + q − 2(2p/3)q each.

    Parameters
    ----------
    gate_noise : float, optional
        Depolarising probability on both measured qubits after the CNOT, in [0, 1].
    measurement_noise : float, optional
        Flip probability of each Bell-measurement outcome, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Probabilities that the swapped pair suffers I, Y, X, Z, written as the Bell
        coefficients (Φ+, Ψ−, Ψ+, Φ−) of the error acting on a perfect Φ+.

    Examples
    --------
    >>> bsm_error_probabilities(0.0, 0.1).round(6).tolist()
    [0.81, 0.01, 0.09, 0.09]
    """
    p = check_probability(gate_noise, "gate_noise")
    q = check_probability(measurement_noise, "measurement_noise")
    e = 2.0 * p / 3.0 + q - 2.0 * (2.0 * p / 3.0) * q
    ex = ez = e
    return np.array([(1 - ex) * (1 - ez), ex * ez, ex * (1 - ez), (1 - ex) * ez])


def swap_bell_diagonal(
    c1: ArrayLike, c2: ArrayLike, *, gate_noise: float = 0.0, measurement_noise: float = 0.0
) -> np.ndarray:
    """Bell-diagonal coefficients after swapping two Bell-diagonal pairs.

    The Pauli-group convolution of :func:`qnetlab.repeaters.bell_diagonal.convolve_rows`,
    then the error of a noisy Bell measurement. The output is exact for the circuit of
    :func:`swap_circuit` with the same noise (tested against Cirq).

    Parameters
    ----------
    c1, c2 : array_like
        Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−) of the two pairs.
    gate_noise : float, optional
        Depolarising probability on both measured qubits after the CNOT, in [0, 1].
    measurement_noise : float, optional
        Flip probability of each Bell-measurement outcome, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Coefficients of the swapped pair.

    Raises
    ------
    ValueError
        If an input is not a Bell-diagonal state or a noise probability is out of range.

    Examples
    --------
    >>> swap_bell_diagonal([0.25] * 4, [1, 0, 0, 0]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    a = check_bell_coefficients(c1, "c1")
    b = check_bell_coefficients(c2, "c2")
    out = convolve_rows(a, b)
    noise = bsm_error_probabilities(gate_noise, measurement_noise)
    if noise[0] < 1.0:
        out = convolve_rows(out, noise)
    return out


def swap_circuit(
    *, gate_noise: float = 0.0, measurement_noise: float = 0.0, deferred: bool = True
) -> tuple[Any, tuple[Any, Any, Any, Any]]:
    """Cirq circuit of entanglement swapping and its qubits (A, B₁, B₂, C).

    Pairs sit on (A, B₁) and (B₂, C). The middle node applies CNOT(B₁, B₂) and H(B₁) and
    measures both; C applies X^m(B₂) Z^m(B₁). With ``deferred=True`` the corrections are
    controlled gates (no measurement: the average over outcomes in one simulation); with
    ``deferred=False`` the middle node measures and the corrections are classically
    controlled. ``gate_noise`` depolarises both qubits after the CNOT (``cirq.depolarize``
    convention); ``measurement_noise`` flips each outcome.

    Parameters
    ----------
    gate_noise : float, optional
        Depolarising probability on both measured qubits after the CNOT, in [0, 1].
    measurement_noise : float, optional
        Flip probability of each Bell-measurement outcome, in [0, 1].
    deferred : bool, optional
        Controlled corrections instead of measurements and classical control.

    Returns
    -------
    circuit : cirq.Circuit
        The swapping circuit (without state preparation).
    qubits : tuple of cirq.LineQubit
        The qubits (A, B₁, B₂, C).

    Examples
    --------
    >>> circuit, qubits = swap_circuit(deferred=False)
    >>> sorted(circuit.all_measurement_key_names())
    ['m1', 'm2']
    """
    import cirq

    p = check_probability(gate_noise, "gate_noise")
    q = check_probability(measurement_noise, "measurement_noise")
    a, b1, b2, c = cirq.LineQubit.range(4)
    ops: list[Any] = [cirq.CNOT(b1, b2)]
    if p:
        ops.append(cirq.depolarize(p).on_each(b1, b2))
    ops.append(cirq.H(b1))
    if q:
        ops.append(cirq.bit_flip(q).on_each(b1, b2))
    if deferred:
        ops += [cirq.CNOT(b2, c), cirq.CZ(b1, c)]
    else:
        ops += [cirq.measure(b1, key="m1"), cirq.measure(b2, key="m2")]
        ops += [cirq.X(c).with_classical_controls("m2"), cirq.Z(c).with_classical_controls("m1")]
    return cirq.Circuit(ops), (a, b1, b2, c)


def swap_cirq(
    rho1: ArrayLike, rho2: ArrayLike, *, gate_noise: float = 0.0, measurement_noise: float = 0.0
) -> np.ndarray:
    """Swap two two-qubit states with Cirq's density-matrix simulator; return ρ_AC.

    The deferred circuit of :func:`swap_circuit` averages over the measurement outcomes.

    Parameters
    ----------
    rho1, rho2 : array_like
        Two-qubit density matrices (or kets) of the pairs (A, B₁) and (B₂, C); use
        :func:`qnetlab.states.bell_diagonal_state` for coefficient vectors.
    gate_noise : float, optional
        Depolarising probability on both measured qubits after the CNOT, in [0, 1].
    measurement_noise : float, optional
        Flip probability of each Bell-measurement outcome, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The 4 × 4 density matrix of the pair (A, C).

    Raises
    ------
    ValueError
        If an input is not a two-qubit state or a noise probability is out of range.

    Examples
    --------
    >>> from qnetlab.states import fidelity, bell_state, werner_state
    >>> rho = swap_cirq(werner_state(0.9), werner_state(0.9))
    >>> round(fidelity(rho, bell_state("phi+")), 6)
    0.813333
    """
    import cirq

    r1, r2 = _as_pair(rho1, "rho1"), _as_pair(rho2, "rho2")
    circuit, qubits = swap_circuit(gate_noise=gate_noise, measurement_noise=measurement_noise)
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    res = sim.simulate(circuit, qubit_order=list(qubits), initial_state=np.kron(r1, r2))
    out = partial_trace(np.asarray(res.final_density_matrix), [0, 3])
    return (out + out.conj().T) / 2


def _as_pair(state: Any, name: str) -> np.ndarray:
    m = to_density_matrix(state, name)
    if m.shape != (4, 4):
        raise ValueError(f"{name} must be a two-qubit state, got dimension {m.shape[0]}")
    return m.astype(np.complex128)
