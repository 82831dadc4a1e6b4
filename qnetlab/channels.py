"""Noise in quantum networks: fibre loss and qubit channels, as Cirq channels and formulas.

Two views of every channel: a Cirq channel (for circuits run on Cirq's simulators, the
ground truth) and a closed formula (for curves, fits and fast paths). Tests check that
both give the same state.

Conventions:

- ``depolarize(p)`` is Cirq's ``cirq.depolarize(p)``: X, Y and Z each with probability
  p/3. It shrinks the Bloch vector by 1 − 4p/3 and flips a BB84 bit with probability 2p/3.
- ``dephase(p)`` is a phase flip (Z) with probability p.
- ``amplitude_damp(gamma)`` relaxes |1⟩ to |0⟩ with probability γ.
- ``memory_decoherence(t, t1, t2)`` is amplitude damping with γ = 1 − exp(−t/T1) followed
  by pure dephasing, so that coherences decay as exp(−t/T2) (requires T2 ≤ 2 T1).

>>> round(fiber_transmissivity(100.0), 6)
0.01
>>> round(transmissivity_to_db(0.01), 6)
20.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import (
    check_bloch_vector,
    check_kraus,
    check_non_negative,
    check_positive,
    check_probability,
    to_density_matrix,
)

__all__ = [
    "C_FIBER_KM_PER_S",
    "MemoryDecoherenceChannel",
    "amplitude_damp",
    "apply_kraus",
    "bloch_after_amplitude_damping",
    "bloch_after_dephasing",
    "bloch_after_depolarizing",
    "dephase",
    "depolarize",
    "fiber_delay",
    "fiber_transmissivity",
    "kraus_operators",
    "memory_decoherence",
    "memory_decoherence_parameters",
    "pure_loss",
    "transmissivity_to_db",
]

#: Speed of light in standard single-mode fibre, c / n with n ≈ 1.47 (km per second).
C_FIBER_KM_PER_S: float = 299_792.458 / 1.47


def fiber_transmissivity(length_km: Any, attenuation_db_per_km: float = 0.2) -> Any:
    """Transmissivity η = 10^(−α L / 10) of a fibre of length ``length_km``.

    Parameters
    ----------
    length_km : float or array_like of float
        Fibre length(s) L in km, ≥ 0. A scalar returns a float, an array an array.
    attenuation_db_per_km : float, default 0.2
        Attenuation α in dB/km, ≥ 0 (0.2 dB/km for telecom fibre at 1550 nm, so 50 km
        keep 10 % of the photons and 100 km keep 1 %).

    Returns
    -------
    float or numpy.ndarray
        The transmissivity η in (0, 1].

    Raises
    ------
    TypeError
        If ``length_km`` is not numeric.
    ValueError
        If a length or the attenuation is negative or not finite.

    Examples
    --------
    >>> round(fiber_transmissivity(50.0), 6)
    0.1
    >>> fiber_transmissivity([0, 100], 0.2).round(6).tolist()
    [1.0, 0.01]
    """
    alpha = check_non_negative(attenuation_db_per_km, "attenuation_db_per_km")
    if np.ndim(length_km) == 0:
        length = check_non_negative(length_km, "length_km")
        return float(10.0 ** (-alpha * length / 10.0))
    lengths = _non_negative_array(length_km, "length_km")
    return 10.0 ** (-alpha * lengths / 10.0)


def _non_negative_array(values: Any, name: str) -> np.ndarray:
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be real numbers") from exc
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    if np.any(a < 0):
        raise ValueError(f"{name} must be non-negative (>= 0), got minimum {a.min():g}")
    return a


def transmissivity_to_db(eta: float) -> float:
    """Loss in dB of a channel of transmissivity ``eta`` in (0, 1]: −10 log₁₀ η.

    Parameters
    ----------
    eta : float
        Transmissivity, in (0, 1].

    Returns
    -------
    float
        The loss in dB, ≥ 0.

    Raises
    ------
    ValueError
        If ``eta`` is outside (0, 1] (η = 0 has no finite loss).

    Examples
    --------
    >>> transmissivity_to_db(1.0)
    0.0
    >>> round(transmissivity_to_db(0.01), 6)
    20.0
    """
    e = check_probability(eta, "eta")
    if e == 0.0:
        raise ValueError("eta must be in (0, 1] to have a finite loss in dB, got 0")
    return float(-10.0 * np.log10(e)) + 0.0


def fiber_delay(length_km: float) -> float:
    """One-way travel time (seconds) of light through ``length_km`` of fibre.

    Light travels at c / 1.47 in silica (:data:`C_FIBER_KM_PER_S`).

    Parameters
    ----------
    length_km : float
        Fibre length in km, ≥ 0.

    Returns
    -------
    float
        The delay in seconds.

    Raises
    ------
    ValueError
        If ``length_km`` is negative or not finite.

    Examples
    --------
    >>> round(fiber_delay(200.0) * 1e3, 4)  # milliseconds
    0.9807
    """
    return check_non_negative(length_km, "length_km") / C_FIBER_KM_PER_S


# --- Cirq channels -----------------------------------------------------------------------


def depolarize(p: float) -> Any:
    """Cirq's single-qubit depolarising channel: X, Y, Z each with probability p/3.

    Parameters
    ----------
    p : float
        Total error probability, in [0, 1].

    Returns
    -------
    cirq.DepolarizingChannel
        The channel, to apply with ``.on(qubit)``.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1].

    Examples
    --------
    >>> depolarize(0.3)
    cirq.depolarize(p=0.3)
    """
    import cirq

    return cirq.depolarize(check_probability(p, "p"))


def dephase(p: float) -> Any:
    """Phase-flip (dephasing) channel: Z with probability ``p``.

    Parameters
    ----------
    p : float
        Phase-flip probability, in [0, 1].

    Returns
    -------
    cirq.PhaseFlipChannel
        The channel, to apply with ``.on(qubit)``.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1].

    Examples
    --------
    >>> dephase(0.1)
    cirq.phase_flip(p=0.1)
    """
    import cirq

    return cirq.phase_flip(check_probability(p, "p"))


def amplitude_damp(gamma: float) -> Any:
    """Amplitude-damping channel with decay probability ``gamma``.

    Parameters
    ----------
    gamma : float
        Probability that |1⟩ decays to |0⟩, in [0, 1].

    Returns
    -------
    cirq.AmplitudeDampingChannel
        The channel, to apply with ``.on(qubit)``.

    Raises
    ------
    ValueError
        If ``gamma`` is outside [0, 1].

    Examples
    --------
    >>> amplitude_damp(0.2)
    cirq.amplitude_damp(gamma=0.2)
    """
    import cirq

    return cirq.amplitude_damp(check_probability(gamma, "gamma"))


def pure_loss(eta: float) -> Any:
    """Photon loss of transmissivity ``eta`` on a single-rail qubit (|0⟩ vacuum, |1⟩ photon).

    A photon survives with probability η, so the channel is amplitude damping with
    γ = 1 − η.

    Parameters
    ----------
    eta : float
        Transmissivity, in [0, 1].

    Returns
    -------
    cirq.AmplitudeDampingChannel
        Amplitude damping with γ = 1 − η.

    Raises
    ------
    ValueError
        If ``eta`` is outside [0, 1].

    Examples
    --------
    >>> round(pure_loss(0.9).gamma, 6)
    0.1
    """
    import cirq

    return cirq.amplitude_damp(1.0 - check_probability(eta, "eta"))


def _is_pos_inf(x: Any) -> bool:
    return isinstance(x, (float, np.floating)) and bool(np.isposinf(x))


def _survivals(t: float, t1: float, t2: float) -> tuple[float, float]:
    """Return (e^(−t/T1), e^(−(2/T2 − 1/T1) t)) after validating the memory parameters."""
    t = check_non_negative(t, "t")
    t1 = np.inf if _is_pos_inf(t1) else check_positive(t1, "t1")
    t2 = np.inf if _is_pos_inf(t2) else check_positive(t2, "t2")
    if t2 > 2 * t1:
        raise ValueError(f"t2 must satisfy t2 <= 2*t1 (physical memories), got t1={t1}, t2={t2}")
    keep_ad = 1.0 if np.isinf(t1) else float(np.exp(-t / t1))
    rate = (0.0 if np.isinf(t2) else 2.0 / t2) - (0.0 if np.isinf(t1) else 1.0 / t1)
    keep_pd = float(np.exp(-max(rate, 0.0) * t))
    return keep_ad, keep_pd


def memory_decoherence_parameters(t: float, t1: float, t2: float) -> tuple[float, float]:
    """Return (γ_amplitude, γ_phase) for storage time ``t`` in a memory with T1, T2.

    γ_amplitude = 1 − e^(−t/T1); the extra phase damping γ_phase makes the coherence decay
    as e^(−t/T2) in total: 1 − γ_phase = e^(−2t/T2 + t/T1).

    Parameters
    ----------
    t : float
        Storage time, ≥ 0 (same unit as ``t1`` and ``t2``).
    t1 : float
        Relaxation time T1, > 0, or ``float("inf")`` (no amplitude damping).
    t2 : float
        Coherence time T2, > 0 and ≤ 2 T1, or ``float("inf")``.

    Returns
    -------
    tuple of float
        (γ_amplitude, γ_phase), each in [0, 1].

    Raises
    ------
    ValueError
        If ``t`` is negative, a time is not positive, or T2 > 2 T1.

    Examples
    --------
    >>> g1, g2 = memory_decoherence_parameters(1.0, 1.0, 2.0)
    >>> round(g1, 6), round(g2, 6)
    (0.632121, 0.0)
    """
    keep_ad, keep_pd = _survivals(t, t1, t2)
    return 1.0 - keep_ad, 1.0 - keep_pd


def _kraus_amplitude(keep: float) -> list[np.ndarray]:
    """Amplitude damping written with the survival 1 − γ (precise when γ → 1)."""
    return [
        np.array([[1, 0], [0, np.sqrt(keep)]], dtype=complex),
        np.array([[0, np.sqrt(1.0 - keep)], [0, 0]], dtype=complex),
    ]


def _kraus_phase(keep: float) -> list[np.ndarray]:
    """Phase damping written with the survival 1 − γ."""
    return [
        np.array([[1, 0], [0, np.sqrt(keep)]], dtype=complex),
        np.array([[0, 0], [0, np.sqrt(1.0 - keep)]], dtype=complex),
    ]


class MemoryDecoherenceChannel:
    """Cirq channel of a quantum memory that stores a qubit for ``t`` (T1, T2 decay).

    Build it with :func:`memory_decoherence`; its ``gate`` attribute is a one-qubit
    ``cirq.Gate`` with Kraus operators (phase damping after amplitude damping).

    Parameters
    ----------
    t : float
        Storage time, ≥ 0.
    t1 : float
        Relaxation time T1, > 0, or ``float("inf")``.
    t2 : float
        Coherence time T2, > 0 and ≤ 2 T1, or ``float("inf")``.

    Raises
    ------
    ValueError
        If ``t`` is negative, a time is not positive, or T2 > 2 T1.

    Examples
    --------
    >>> ch = MemoryDecoherenceChannel(1.0, 10.0, 2.0)
    >>> ch
    MemoryDecoherenceChannel(t=1, t1=10, t2=2)
    >>> len(ch.kraus())
    4
    >>> round(float(ch.kraus()[0][1, 1].real), 4)  # exp(-t/T2)
    0.6065
    """

    def __init__(self, t: float, t1: float, t2: float) -> None:
        import cirq

        self._keep_ad, self._keep_pd = _survivals(t, t1, t2)
        self.t, self.t1, self.t2 = float(t), float(t1), float(t2)

        outer = self

        class _Gate(cirq.Gate):
            def _num_qubits_(self) -> int:
                return 1

            def _kraus_(self) -> list[np.ndarray]:
                return outer.kraus()

            def _has_kraus_(self) -> bool:
                return True

            def _circuit_diagram_info_(self, args: Any) -> str:
                return f"Mem(t={outer.t:g})"

            def __repr__(self) -> str:
                return repr(outer)

        self.gate = _Gate()

    def kraus(self) -> list[np.ndarray]:
        """Kraus operators: phase damping after amplitude damping."""
        return [p @ a for p in _kraus_phase(self._keep_pd) for a in _kraus_amplitude(self._keep_ad)]

    def __repr__(self) -> str:
        return f"MemoryDecoherenceChannel(t={self.t:g}, t1={self.t1:g}, t2={self.t2:g})"


def memory_decoherence(t: float, t1: float, t2: float) -> Any:
    """Cirq gate for storing a qubit ``t`` seconds in a memory with relaxation T1 and T2.

    Parameters
    ----------
    t : float
        Storage time in seconds, ≥ 0.
    t1 : float
        Relaxation time T1 in seconds, > 0, or ``float("inf")``.
    t2 : float
        Coherence time T2 in seconds, > 0 and ≤ 2 T1, or ``float("inf")``.

    Returns
    -------
    cirq.Gate
        A one-qubit gate with Kraus operators (the ``gate`` of a
        :class:`MemoryDecoherenceChannel`).

    Raises
    ------
    ValueError
        If ``t`` is negative, a time is not positive, or T2 > 2 T1.

    Examples
    --------
    >>> import cirq
    >>> q = cirq.LineQubit(0)
    >>> c = cirq.Circuit(cirq.H(q), memory_decoherence(1.0, 10.0, 2.0).on(q))
    >>> rho = cirq.DensityMatrixSimulator().simulate(c).final_density_matrix
    >>> round(float(2 * abs(rho[0, 1])), 4)  # coherence exp(-t/T2)
    0.6065
    """
    return MemoryDecoherenceChannel(t, t1, t2).gate


def kraus_operators(channel: Any) -> list[np.ndarray]:
    """Return the Kraus operators of a Cirq channel or gate.

    Parameters
    ----------
    channel : cirq.Gate or channel
        Any Cirq object with Kraus operators (``cirq.has_kraus``).

    Returns
    -------
    list of numpy.ndarray
        The complex Kraus matrices.

    Raises
    ------
    TypeError
        If ``channel`` has no Kraus operators.

    Examples
    --------
    >>> len(kraus_operators(depolarize(0.1)))
    4
    """
    import cirq

    if not cirq.has_kraus(channel):
        raise TypeError(
            f"channel must be a Cirq channel or gate with Kraus operators, "
            f"got {type(channel).__name__}"
        )
    return [np.asarray(k, dtype=complex) for k in cirq.kraus(channel)]


def apply_kraus(rho: Any, kraus: Sequence[Any] | Any) -> np.ndarray:
    """Apply a channel (Kraus list or Cirq channel) to a density matrix: Σ K ρ K†.

    Parameters
    ----------
    rho : array_like
        The input state, ket or density matrix of dimension d.
    kraus : sequence of array_like or Cirq channel
        Kraus matrices (d x d, Σ K†K = I) or a Cirq channel acting on d dimensions.

    Returns
    -------
    numpy.ndarray
        The output density matrix.

    Raises
    ------
    TypeError
        If ``kraus`` is neither a list of matrices nor a Cirq channel.
    ValueError
        If ``rho`` is not a state or the Kraus operators are not trace preserving or
        have the wrong dimension.

    Examples
    --------
    >>> out = apply_kraus([[0, 0], [0, 1]], amplitude_damp(0.3))
    >>> out.real.round(3).tolist()
    [[0.3, 0.0], [0.0, 0.7]]
    """
    m = to_density_matrix(rho, "rho")
    if isinstance(kraus, (list, tuple, np.ndarray)):
        ks = check_kraus(kraus, "kraus", dim=m.shape[0])
    else:
        try:
            ks = kraus_operators(kraus)
        except TypeError as exc:
            raise TypeError(
                f"kraus must be a list of Kraus matrices or a Cirq channel, "
                f"got {type(kraus).__name__}"
            ) from exc
        ks = check_kraus(ks, "kraus", dim=m.shape[0])
    return sum(k @ m @ k.conj().T for k in ks)


# --- Closed formulas on the Bloch vector --------------------------------------------------


def _bloch(r: Sequence[float]) -> np.ndarray:
    return check_bloch_vector(r, "r")


def bloch_after_depolarizing(r: Sequence[float], p: float) -> np.ndarray:
    """Bloch vector after ``cirq.depolarize(p)``: r → (1 − 4p/3) r.

    Parameters
    ----------
    r : sequence of float
        Input Bloch vector (x, y, z), of norm at most 1.
    p : float
        Depolarising probability, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The output Bloch vector.

    Raises
    ------
    ValueError
        If ``r`` is not a Bloch vector or ``p`` is outside [0, 1].

    Examples
    --------
    >>> bloch_after_depolarizing([0, 0, 1], 0.75).round(6).tolist()
    [0.0, 0.0, 0.0]
    """
    return (1.0 - 4.0 * check_probability(p, "p") / 3.0) * _bloch(r)


def bloch_after_dephasing(r: Sequence[float], p: float) -> np.ndarray:
    """Bloch vector after a phase flip with probability p: x, y → (1 − 2p) x, y.

    Parameters
    ----------
    r : sequence of float
        Input Bloch vector (x, y, z), of norm at most 1.
    p : float
        Phase-flip probability, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The output Bloch vector (z unchanged).

    Raises
    ------
    ValueError
        If ``r`` is not a Bloch vector or ``p`` is outside [0, 1].

    Examples
    --------
    >>> bloch_after_dephasing([1, 0, 0], 0.25).tolist()
    [0.5, 0.0, 0.0]
    """
    v = _bloch(r).copy()
    f = 1.0 - 2.0 * check_probability(p, "p")
    v[:2] *= f
    return v


def bloch_after_amplitude_damping(r: Sequence[float], gamma: float) -> np.ndarray:
    """Bloch vector after amplitude damping γ: x, y → √(1−γ) x, y; z → γ + (1−γ) z.

    Parameters
    ----------
    r : sequence of float
        Input Bloch vector (x, y, z), of norm at most 1.
    gamma : float
        Decay probability, in [0, 1].

    Returns
    -------
    numpy.ndarray
        The output Bloch vector.

    Raises
    ------
    ValueError
        If ``r`` is not a Bloch vector or ``gamma`` is outside [0, 1].

    Examples
    --------
    >>> bloch_after_amplitude_damping([0, 0, -1], 1.0).tolist()
    [0.0, 0.0, 1.0]
    """
    g = check_probability(gamma, "gamma")
    v = _bloch(r).copy()
    v[:2] *= np.sqrt(1.0 - g)
    v[2] = g + (1.0 - g) * v[2]
    return v
