"""Eavesdroppers: intercept-resend, photon-number splitting and a phase-covariant cloner.

Each attack acts on the photon between Alice and the channel (Eve sits at Alice's door;
the fibre's own noise comes after her). Every attack exists twice, as Cirq operations
for the circuit backend and as an exact density-matrix map for the NumPy backend, and
carries its textbook QBER and information leak:

- :class:`InterceptResend` — Eve measures a ``fraction`` of the photons in a random
  basis of the protocol and resends what she saw. Full BB84 attack: QBER 1/4, Eve knows
  1/2 of the sifted key (she learns which bits after the basis announcement).
- :class:`PhaseCovariantCloner` — an entangling probe: the economical phase-covariant
  cloner of Bruß et al. (2000), rotated into the BB84 plane. Eve keeps her clone until
  the bases are announced and measures it in Alice's basis. At disturbance D it reaches
  Fuchs et al.'s (1997) optimal individual-attack information 1 − h(1/2 − √(D(1 − D))).
- :class:`PhotonNumberSplitting` — against weak coherent pulses: Eve keeps one photon of
  every multi-photon pulse, sends the rest over a lossless line and blocks single photons
  so that Bob's click rate looks normal. Decoy states expose it. Its qubit-level part,
  :class:`PhotonSplit`, gives Eve a copy of the photon of each split pulse.

>>> InterceptResend().expected_qber("bb84")
0.25
>>> round(PhaseCovariantCloner(0.1).information(), 4)
0.2781
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_in_range, check_positive, check_probability
from .theory import binary_entropy

__all__ = [
    "Attack",
    "InterceptResend",
    "PhaseCovariantCloner",
    "PhotonNumberSplitting",
    "PhotonSplit",
    "fuchs_information",
]

_I2 = np.eye(2, dtype=complex)


def _rx(theta: float) -> np.ndarray:
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -1j * s], [-1j * s, c]], dtype=complex)


def fuchs_information(disturbance: ArrayLike) -> Any:
    """Eve's optimal individual-attack information on BB84 at disturbance D (Fuchs et al. 1997).

    I_AE = 1 − h(1/2 − √(D(1 − D))) bits per sifted bit; equal to Bob's information
    1 − h(D) at D = (1 − 1/√2)/2 ≈ 14.6 %.

    Parameters
    ----------
    disturbance : float or array_like of float
        The QBER D Eve causes, in [0, 0.5]; a scalar returns a float, an array an array.

    Returns
    -------
    float or numpy.ndarray
        Eve's information in bits per sifted bit, in [0, 1].

    Raises
    ------
    ValueError
        If a disturbance is outside [0, 0.5] or not finite.

    Examples
    --------
    >>> round(fuchs_information(0.0), 6)
    0.0
    >>> round(fuchs_information(0.5 - 0.5 / np.sqrt(2)) - (1 - binary_entropy(0.5 - 0.5 / np.sqrt(2))), 9)
    0.0
    """
    if np.ndim(disturbance) == 0:
        d = np.asarray(check_in_range(disturbance, "disturbance", 0.0, 0.5))
        scalar = True
    else:
        d = np.asarray(disturbance, dtype=float)
        if not np.all(np.isfinite(d)) or np.any((d < 0) | (d > 0.5)):
            raise ValueError("disturbance must be in [0, 0.5]")
        scalar = False
    out = 1.0 - np.asarray(binary_entropy(np.clip(0.5 - np.sqrt(d * (1 - d)), 0.0, 1.0)))
    return float(out) if scalar else out


class Attack:
    """Base class of the qubit-level attacks used by the protocol runners.

    A round's attack is one of ``n_choices(n_axes)`` choices drawn with
    ``choice_probabilities``; choice 0 means "leave the photon alone". Subclasses
    implement ``choice_probabilities``, ``numpy_state`` and ``cirq_ops``.

    Examples
    --------
    >>> issubclass(InterceptResend, Attack), InterceptResend().name
    (True, 'intercept-resend')
    >>> Attack().probe_axis_is_public()
    False
    """

    name = "attack"

    def choice_probabilities(self, n_axes: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def numpy_state(
        self, rho: np.ndarray, choice: int, axes: list[np.ndarray]
    ) -> np.ndarray:  # pragma: no cover - abstract
        """Joint state (signal ⊗ Eve's register) after the attack, 4x4."""
        raise NotImplementedError

    def cirq_ops(
        self, signal: Any, probe: Any, choice: int, axes: list[Any], key: str
    ) -> tuple[list[Any], bool]:  # pragma: no cover - abstract
        """Cirq operations of the attack and whether they measure ``key`` already."""
        raise NotImplementedError

    def probe_axis_is_public(self) -> bool:
        """True when Eve reads her register in the publicly announced basis."""
        return False


def _random_register(rho: np.ndarray) -> np.ndarray:
    """Photon untouched; Eve's register maximally mixed (her guess is a coin toss)."""
    return np.kron(rho, np.eye(2, dtype=complex) / 2.0)


@dataclass(frozen=True)
class InterceptResend(Attack):
    """Intercept-resend on a ``fraction`` of the photons, in a random basis of the protocol.

    Parameters
    ----------
    fraction : float, default 1.0
        Probability in [0, 1] that Eve intercepts a photon.

    Raises
    ------
    ValueError
        If ``fraction`` is outside [0, 1].

    Examples
    --------
    >>> InterceptResend(fraction=0.5).expected_qber("bb84")
    0.125
    >>> InterceptResend(fraction=1.5)
    Traceback (most recent call last):
    ...
    ValueError: fraction must be a probability in [0, 1], got 1.5
    """

    fraction: float = 1.0
    name = "intercept-resend"

    def __post_init__(self) -> None:
        check_probability(self.fraction, "fraction")

    def choice_probabilities(self, n_axes: int) -> np.ndarray:
        return np.array([1.0 - self.fraction] + [self.fraction / n_axes] * n_axes)

    def numpy_state(self, rho: np.ndarray, choice: int, axes: list[np.ndarray]) -> np.ndarray:
        if choice == 0:
            return _random_register(rho)
        r = axes[choice - 1]
        out = np.zeros((4, 4), dtype=complex)
        for o in (0, 1):
            v = r[:, o]
            p = float(np.real(v.conj() @ rho @ v))
            reg = np.zeros((2, 2), dtype=complex)
            reg[o, o] = 1.0
            out += p * np.kron(np.outer(v, v.conj()), reg)
        return out

    def cirq_ops(
        self, signal: Any, probe: Any, choice: int, axes: list[Any], key: str
    ) -> tuple[list[Any], bool]:
        import cirq

        if choice == 0:
            return [], False
        gate = axes[choice - 1]
        ops: list[Any] = []
        if gate is not None:
            ops.append(cirq.inverse(gate).on(signal))
        ops.append(cirq.measure(signal, key=key))
        if gate is not None:
            ops.append(gate.on(signal))
        return ops, True

    def expected_qber(self, protocol: str = "bb84") -> float:
        """QBER caused on a noiseless single-photon link: f/4 (BB84, B92 axes), f/3 (six-state)."""
        per = {"bb84": 0.25, "bbm92": 0.25, "six_state": 1.0 / 3.0}
        if protocol not in per:
            raise ValueError(f"protocol must be one of {sorted(per)}; got {protocol!r}")
        return self.fraction * per[protocol]

    def information(self, protocol: str = "bb84") -> float:
        """Eve's information per sifted bit: f/2 (BB84: right basis half the time), f/3 (six-state)."""
        per = {"bb84": 0.5, "bbm92": 0.5, "six_state": 1.0 / 3.0}
        if protocol not in per:
            raise ValueError(f"protocol must be one of {sorted(per)}; got {protocol!r}")
        return self.fraction * per[protocol]


@dataclass(frozen=True)
class PhaseCovariantCloner(Attack):
    """Entangling probe: the economical phase-covariant cloner in the BB84 (X–Z) plane.

    Eve's probe starts in |0⟩; in a frame where the X–Z plane is the equator
    (Rx(−π/2) on the photon) she applies |10⟩ → cos θ |10⟩ + sin θ |01⟩ (a rotation in the
    one-excitation subspace), then rotates both qubits back. Bob's Bloch vector in the
    X–Z plane shrinks by cos θ, so the QBER is D = (1 − cos θ)/2; Eve's clone shrinks by
    sin θ = 2√(D(1 − D)), the optimum of Fuchs et al. (1997). θ = π/4 is the symmetric
    1 → 2 phase-covariant cloner (both fidelities 1/2 + 1/(2√2)).

    Parameters
    ----------
    disturbance : float, default (1 − 1/√2)/2
        The QBER D the cloner causes, in [0, 0.5].

    Raises
    ------
    ValueError
        If ``disturbance`` is outside [0, 0.5].

    Examples
    --------
    >>> att = PhaseCovariantCloner(disturbance=0.1)
    >>> round(att.angle, 6), att.expected_qber()
    (0.643501, 0.1)
    """

    disturbance: float = 0.5 - 0.5 / np.sqrt(2.0)
    name = "phase-covariant cloner"

    def __post_init__(self) -> None:
        check_in_range(self.disturbance, "disturbance", 0.0, 0.5)

    @property
    def angle(self) -> float:
        """Cloner angle θ with cos θ = 1 − 2D."""
        return float(np.arccos(1.0 - 2.0 * self.disturbance))

    def unitary(self) -> np.ndarray:
        """The 4x4 unitary on (photon, probe), photon the most significant qubit."""
        c, s = np.cos(self.angle), np.sin(self.angle)
        g = np.eye(4, dtype=complex)
        # basis order |00>, |01>, |10>, |11> (photon first)
        g[2, 2], g[1, 2] = c, s
        g[2, 1], g[1, 1] = -s, c
        pre = np.kron(_rx(-np.pi / 2), _I2)
        post = np.kron(_rx(np.pi / 2), _rx(np.pi / 2))
        return post @ g @ pre

    def choice_probabilities(self, n_axes: int) -> np.ndarray:
        return np.array([0.0, 1.0])

    def numpy_state(self, rho: np.ndarray, choice: int, axes: list[np.ndarray]) -> np.ndarray:
        if choice == 0:
            return _random_register(rho)
        u = self.unitary()
        zero = np.array([[1, 0], [0, 0]], dtype=complex)
        return u @ np.kron(rho, zero) @ u.conj().T

    def cirq_ops(
        self, signal: Any, probe: Any, choice: int, axes: list[Any], key: str
    ) -> tuple[list[Any], bool]:
        import cirq

        if choice == 0:
            return [], False
        return [cirq.MatrixGate(self.unitary(), name="Clone").on(signal, probe)], False

    def probe_axis_is_public(self) -> bool:
        return True

    def expected_qber(self, protocol: str = "bb84") -> float:
        """QBER in the Z and X bases: D."""
        return float(self.disturbance)

    def information(self, protocol: str = "bb84") -> float:
        """Eve's information per sifted bit, 1 − h(1/2 − √(D(1 − D))) (Fuchs et al. 1997)."""
        return fuchs_information(self.disturbance)


@dataclass(frozen=True)
class PhotonNumberSplitting:
    """Photon-number-splitting attack on weak coherent pulses (Brassard et al. 2000).

    Eve measures the photon number of each pulse (non-demolition), keeps one photon of
    every multi-photon pulse and forwards the rest over a lossless line; she forwards
    single photons (losslessly) only as far as needed to keep Bob's click rate on the
    *signal* intensity ``mu_target`` equal to the honest link's. After the basis
    announcement she measures her photons and knows those bits. Without decoys Alice and
    Bob see nothing wrong; with decoys the gains of the weak and vacuum pulses do not fit
    a single-photon yield, and the key-rate estimate collapses.

    Examples
    --------
    >>> PhotonNumberSplitting().name
    'photon-number splitting'
    """

    name = "photon-number splitting"

    def expected_qber(self, protocol: str = "bb84") -> float:
        """QBER caused: none (Eve never touches the polarisation)."""
        return 0.0

    def forwarding(self, eta_link: float, eta_bob: float, mu_target: float) -> tuple[float, float]:
        """Probabilities (single photons, multi-photon pulses) that Eve forwards.

        Chosen so that η_Bob [s₁ P(1) + s_m Σ_{n≥2} P(n)(1 − (1 − η_Bob)^(n−1))/η_Bob]
        matches the honest click probability 1 − e^(−η μ) of the signal pulses (dark
        counts aside): multi-photon pulses first, single photons only if needed.

        Examples
        --------
        >>> s1, sm = PhotonNumberSplitting().forwarding(1e-3, 0.045, 0.48)
        >>> s1, round(sm, 4)
        (0.0, 0.1088)
        """
        from scipy.stats import poisson

        eta_link = check_probability(eta_link, "eta_link")
        eta_bob = check_probability(eta_bob, "eta_bob")
        mu_target = check_positive(mu_target, "mu_target")
        honest = -np.expm1(-eta_link * mu_target)
        n = np.arange(2, 60)
        pm = poisson.pmf(n, mu_target)
        multi = float(np.sum(pm * (1.0 - (1.0 - eta_bob) ** (n - 1))))
        if multi >= honest:
            return 0.0, float(honest / multi)
        single = float(poisson.pmf(1, mu_target)) * eta_bob
        s1 = min((honest - multi) / single, 1.0) if single > 0 else 0.0
        return s1, 1.0


class PhotonSplit(Attack):
    """The qubit-level part of photon-number splitting: Eve keeps a photon of the pulse.

    Every photon of a weak coherent pulse carries the same polarisation, so a pulse that
    Eve splits (choice 1) leaves her register in Alice's state ρ, untouched for Bob
    (joint state ρ ⊗ ρ); on choice 0 she holds nothing (a maximally mixed register). She
    reads her photon in the announced basis, so on a split pulse she knows Alice's bit.
    Which pulses are split is decided by the photon layer
    (:meth:`PhotonNumberSplitting.forwarding`); the runners pass it as the round's choice.

    Examples
    --------
    >>> rho = np.diag([1.0, 0.0]).astype(complex)
    >>> out = PhotonSplit().numpy_state(rho, 1, [])
    >>> out.shape, round(float(out[0, 0].real), 3)
    ((4, 4), 1.0)
    """

    name = "photon-number splitting"
    copies_source = True

    def choice_probabilities(self, n_axes: int) -> np.ndarray:
        """Never split on its own: the photon layer sets the choice of every round."""
        return np.array([1.0, 0.0])

    def numpy_state(self, rho: np.ndarray, choice: int, axes: list[np.ndarray]) -> np.ndarray:
        """ρ ⊗ ρ for a split pulse (choice 1), else ρ ⊗ 1/2."""
        return np.kron(rho, rho) if choice else _random_register(rho)

    def cirq_ops(
        self, signal: Any, probe: Any, choice: int, axes: list[Any], key: str
    ) -> tuple[list[Any], bool]:
        """No operation on the signal: Eve's copy is prepared by the source (``copies_source``)."""
        return [], False

    def probe_axis_is_public(self) -> bool:
        """Eve reads her photon in the announced basis."""
        return True
