"""Elementary links: heralded entanglement generation over one fibre segment.

Two memory nodes a distance L apart each emit a photon entangled with their qubit towards
a station in the middle (L/2 of fibre each), where a beam splitter erases the which-path
information and detectors herald success. The herald travels back, so one attempt takes
L/c_fibre (plus any local preparation time). Each arm transmits η = η_fibre(L/2) η_det.

- **Single click** (Cabrillo et al. 1999): each node prepares √(1−α)|0⟩|vac⟩ + √α|1⟩|1ph⟩.
  Exactly one detector clicks with probability p = 1 − (1 − αη)² ≈ 2αη; the heralded
  state is Ψ± with weight a = α(1−α)η per detector, polluted by |11⟩ (both emitted, one
  photon lost or both bunched) with weight b = α²η(2−η)/2, so
  F = a(1+V)/2 / (a + b) → (1 − α) for small η. A larger α gives more rate and less
  fidelity: the fidelity/rate trade-off.
- **Double click** (Barrett & Kok 2005): two rounds with a spin flip in between; success
  needs one click in each round, p = η²/2, and the state is Ψ± with fidelity (1 + V)/2
  whatever the loss.

V is the visibility of the two-photon interference (photon indistinguishability).

**Dark counts** (``dark_count_prob`` p_d, per detector and per detection gate, as in
:class:`qnetlab.qkd.LinkModel`): the station has two detectors and accepts a gate in which
exactly one clicks. A dark count can stand in for a lost photon (a *false herald*, after
which the memories hold no entanglement) or spoil a good gate (both detectors click). Per
mode, with q = 1 − p_d:

- single click: true heralds p_t = [1 − (1 − αη)²] q, false ones p_f = (1 − αη)² · 2p_d q;
  after a false herald no photon was detected, which leaves the classical mixture of
  |00⟩, |01⟩, |10⟩, |11⟩ with weights (1−α)², α(1−α)(1−η) (twice), α²(1−η)²;
- double click: per round a genuine click a = ηq and a dark-only click b = (1 − η)·2p_d q,
  so p_t = a²/2 and p_f = [(a + b)² − a²]/2; a false herald leaves the memories in I/4.

The heralded state is the mixture (p_t ρ_true + p_f ρ_false)/(p_t + p_f) and the
attempt succeeds with 1 − (1 − p_t − p_f)^m. At small loss the false heralds are a
fraction ≈ 4p_d(1 − η)/η of the double-click heralds; at large loss (η → 0) the dark counts herald alone, with
p → 2p_d q (single click) or 2p_d² q² (double click) and no entanglement.
Multiplexing over m modes (Collins et al. 2007) succeeds when any mode does:
p_m = 1 − (1 − p)^m. The heralded state is mapped to Φ+ by local Paulis and written as
Bell-diagonal coefficients (its Bell-diagonal twirl, which keeps the fidelity).

>>> link = double_click_link(20.0, detector_efficiency=1.0)
>>> round(link.success_probability, 6)  # eta(10 km)^2 / 2
0.199054
>>> round(link.attempt_time * 1e6, 3)  # microseconds
98.068
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_probability,
)
from ..channels import fiber_delay, fiber_transmissivity
from ..states import check_bell_coefficients

__all__ = [
    "LINK_SCHEMES",
    "ElementaryLink",
    "double_click_link",
    "double_click_probability",
    "elementary_link",
    "heralded_link",
    "heralding_probability",
    "multiplexed_probability",
    "single_click_link",
]

#: Heralded generation schemes.
LINK_SCHEMES: tuple[str, str] = ("single_click", "double_click")


@dataclass(frozen=True)
class ElementaryLink:
    """One elementary link: how often it succeeds, what it delivers, how long it takes.

    Built by :func:`single_click_link`, :func:`double_click_link` or
    :func:`elementary_link`; the fields are validated on construction.

    Parameters
    ----------
    scheme : str
        ``"single_click"``, ``"double_click"`` or ``"abstract"``.
    length_km : float
        Segment length (km), non-negative.
    success_probability : float
        Success probability per attempt (all ``n_modes`` modes together), in [0, 1].
    coefficients : numpy.ndarray
        Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−) of the heralded pair.
    attempt_time : float
        Duration of one attempt in seconds (including the herald's return), non-negative.
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.

    Raises
    ------
    ValueError
        If a field is outside its range.
    TypeError
        If ``scheme`` is not a string.

    Examples
    --------
    >>> link = ElementaryLink("abstract", 0.0, 0.5, np.array([1.0, 0, 0, 0]), 2.0)
    >>> link.fidelity, link.rate
    (1.0, 0.25)
    """

    scheme: str
    length_km: float
    success_probability: float
    coefficients: np.ndarray
    attempt_time: float
    n_modes: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.scheme, str):
            raise TypeError(f"scheme must be a string, got {type(self.scheme).__name__}")
        set_ = object.__setattr__
        set_(self, "length_km", check_non_negative(self.length_km, "length_km"))
        set_(
            self,
            "success_probability",
            check_probability(self.success_probability, "success_probability"),
        )
        set_(self, "coefficients", check_bell_coefficients(self.coefficients, "coefficients"))
        set_(self, "attempt_time", check_non_negative(self.attempt_time, "attempt_time"))
        set_(self, "n_modes", check_integer(self.n_modes, "n_modes", minimum=1))

    @property
    def fidelity(self) -> float:
        """Fidelity of the heralded pair to Φ+."""
        return float(self.coefficients[0])

    @property
    def rate(self) -> float:
        """Heralded pairs per second, p / t_attempt."""
        if self.attempt_time == 0:
            return np.inf
        return self.success_probability / self.attempt_time

    def __repr__(self) -> str:
        return (
            f"ElementaryLink(scheme={self.scheme!r}, length_km={self.length_km:g}, "
            f"p={self.success_probability:.4g}, F={self.fidelity:.4f}, "
            f"attempt_time={self.attempt_time:.3g} s, n_modes={self.n_modes})"
        )


def multiplexed_probability(p: ArrayLike, n_modes: int) -> Any:
    """Success probability of an attempt over ``n_modes`` independent modes, 1 − (1 − p)^m.

    Parameters
    ----------
    p : float or array_like
        Success probability of one mode, in [0, 1].
    n_modes : int
        Number of independent modes, at least 1.

    Returns
    -------
    float or numpy.ndarray
        1 − (1 − p)^m (a float for a scalar ``p``).

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or ``n_modes`` < 1.

    Examples
    --------
    >>> round(multiplexed_probability(0.01, 100), 6)
    0.633968
    """
    m = check_integer(n_modes, "n_modes", minimum=1)
    if np.ndim(p) == 0:
        q = check_probability(p, "p")
        return float(-np.expm1(m * np.log1p(-q))) if q < 1 else 1.0
    a = np.asarray(p, dtype=float)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("p must be probabilities in [0, 1]")
    return 1.0 - (1.0 - a) ** m


def _arm_efficiency(length_km: float, detector_efficiency: float, attenuation: float) -> float:
    length = check_non_negative(length_km, "length_km")
    eta_d = check_probability(detector_efficiency, "detector_efficiency")
    return fiber_transmissivity(length / 2.0, attenuation) * eta_d


def _attempt_time(length_km: float, preparation_time: float) -> float:
    return fiber_delay(length_km) + check_non_negative(preparation_time, "preparation_time")


def single_click_link(
    length_km: float,
    *,
    bright_state_population: float = 0.1,
    detector_efficiency: float = 0.9,
    visibility: float = 1.0,
    n_modes: int = 1,
    attenuation_db_per_km: float = 0.2,
    preparation_time: float = 0.0,
    dark_count_prob: float = 0.0,
) -> ElementaryLink:
    """Single-click heralded link (Cabrillo et al. 1999) over ``length_km`` of fibre.

    ``bright_state_population`` α trades rate (p ≈ 2αη) against fidelity (F ≈ 1 − α).

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative; each photon crosses half of it.
    bright_state_population : float, optional
        Population α of the bright state, in (0, 1).
    detector_efficiency : float, optional
        Detector efficiency η_det, in [0, 1].
    visibility : float, optional
        Two-photon interference visibility V, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km).
    preparation_time : float, optional
        Time to prepare one attempt (s), added to the herald's round trip.
    dark_count_prob : float, optional
        Dark-count probability per detector and gate, in [0, 1] (see the module docstring:
        false heralds lower the fidelity and add to the success probability).

    Returns
    -------
    ElementaryLink
        The link: success probability, heralded state and attempt time.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> lossy = single_click_link(100.0, dark_count_prob=1e-5)
    >>> lossy.fidelity < single_click_link(100.0).fidelity
    True
    >>> link = single_click_link(0.0, bright_state_population=0.1, detector_efficiency=1.0)
    >>> round(link.success_probability, 6), round(link.fidelity, 6)
    (0.19, 0.947368)
    """
    alpha = check_in_range(
        bright_state_population,
        "bright_state_population",
        0.0,
        1.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    v = check_probability(visibility, "visibility")
    m = check_integer(n_modes, "n_modes", minimum=1)
    pd = check_probability(dark_count_prob, "dark_count_prob")
    eta = _arm_efficiency(length_km, detector_efficiency, attenuation_db_per_km)
    a = alpha * (1.0 - alpha) * eta
    b = alpha**2 * eta * (2.0 - eta) / 2.0
    p_true = (1.0 - (1.0 - alpha * eta) ** 2) * (1.0 - pd)
    p_false = (1.0 - alpha * eta) ** 2 * 2.0 * pd * (1.0 - pd)
    if a + b > 0:
        coeffs = np.array([a * (1 + v) / 2, b / 2, b / 2, a * (1 - v) / 2]) / (a + b)
    else:  # no light reaches the station: nothing is ever heralded
        coeffs = np.array([1.0 - alpha, alpha / 2, alpha / 2, 0.0])
        coeffs = coeffs / coeffs.sum()
    if p_false > 0:  # no photon detected: |00>, |01>, |10>, |11>, twirled, after the X map
        w_even = (1.0 - alpha) ** 2 + (alpha * (1.0 - eta)) ** 2
        w_odd = 2.0 * alpha * (1.0 - alpha) * (1.0 - eta)
        false_c = np.array([w_odd, w_even, w_even, w_odd]) / (2.0 * (w_even + w_odd))
        coeffs = (p_true * coeffs + p_false * false_c) / (p_true + p_false)
    return ElementaryLink(
        scheme="single_click",
        length_km=float(length_km),
        success_probability=multiplexed_probability(p_true + p_false, m),
        coefficients=coeffs,
        attempt_time=_attempt_time(length_km, preparation_time),
        n_modes=m,
    )


def double_click_link(
    length_km: float,
    *,
    detector_efficiency: float = 0.9,
    visibility: float = 1.0,
    n_modes: int = 1,
    attenuation_db_per_km: float = 0.2,
    preparation_time: float = 0.0,
    dark_count_prob: float = 0.0,
) -> ElementaryLink:
    """Double-click (Barrett–Kok 2005) heralded link over ``length_km`` of fibre.

    p = η²/2 with η = η_fibre(L/2) η_det per arm; fidelity (1 + V)/2 (without dark counts;
    with them, see the module docstring).

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative; each photon crosses half of it.
    detector_efficiency : float, optional
        Detector efficiency η_det, in [0, 1].
    visibility : float, optional
        Two-photon interference visibility V, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km).
    preparation_time : float, optional
        Time to prepare one attempt (s), added to the herald's round trip.
    dark_count_prob : float, optional
        Dark-count probability per detector and gate, in [0, 1]; a false herald leaves
        the memories in I/4.

    Returns
    -------
    ElementaryLink
        The link: success probability, heralded state and attempt time.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(double_click_link(400.0, dark_count_prob=1e-5).fidelity, 3)  # false heralds
    0.752
    >>> link = double_click_link(0.0, detector_efficiency=1.0, visibility=0.9)
    >>> link.success_probability, round(link.fidelity, 6)
    (0.5, 0.95)
    """
    v = check_probability(visibility, "visibility")
    m = check_integer(n_modes, "n_modes", minimum=1)
    pd = check_probability(dark_count_prob, "dark_count_prob")
    coeffs = np.array([(1 + v) / 2, 0.0, 0.0, (1 - v) / 2])
    eta = _arm_efficiency(length_km, detector_efficiency, attenuation_db_per_km)
    a, b = eta * (1.0 - pd), (1.0 - eta) * 2.0 * pd * (1.0 - pd)
    p_true, p_false = a * a / 2.0, ((a + b) ** 2 - a * a) / 2.0
    if p_false > 0:  # a false herald leaves the memories in I/4
        coeffs = (p_true * coeffs + p_false * np.full(4, 0.25)) / (p_true + p_false)
    p = multiplexed_probability(p_true + p_false, m)
    return ElementaryLink(
        scheme="double_click",
        length_km=float(length_km),
        success_probability=p,
        coefficients=coeffs,
        attempt_time=_attempt_time(length_km, preparation_time),
        n_modes=m,
    )


def heralding_probability(eta_a: ArrayLike, eta_b: ArrayLike, n_modes: int = 1) -> Any:
    """Double-click (Barrett–Kok) heralding probability of arms η_a, η_b: η_a η_b / 2.

    Both photons must reach the middle station and click in the right detector pair; the
    two arms may differ (e.g. extra loss on one side). With ``n_modes`` multiplexed modes
    the attempt succeeds with 1 − (1 − η_a η_b / 2)^m.

    Parameters
    ----------
    eta_a, eta_b : float or array_like
        End-to-end efficiency of each arm (fibre transmissivity times detector
        efficiency), in [0, 1]; arrays broadcast.
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.

    Returns
    -------
    float or numpy.ndarray
        The success probability of one attempt (a float for scalar inputs).

    Raises
    ------
    ValueError
        If an efficiency is outside [0, 1] or ``n_modes`` < 1.

    Examples
    --------
    >>> heralding_probability(0.5, 0.2)
    0.05
    >>> heralding_probability([1.0, 0.5], 0.5).tolist()
    [0.25, 0.125]
    """
    m = check_integer(n_modes, "n_modes", minimum=1)
    if np.ndim(eta_a) == 0 and np.ndim(eta_b) == 0:
        a = check_probability(eta_a, "eta_a")
        b = check_probability(eta_b, "eta_b")
        return multiplexed_probability(a * b / 2.0, m)
    arrays = []
    for value, name in ((eta_a, "eta_a"), (eta_b, "eta_b")):
        arr = np.asarray(value, dtype=float)
        if np.any(~((arr >= 0) & (arr <= 1))):
            raise ValueError(f"{name} must be efficiencies in [0, 1], got {value!r}")
        arrays.append(arr)
    return multiplexed_probability(arrays[0] * arrays[1] / 2.0, m)


def double_click_probability(
    length_km: float,
    *,
    detector_efficiency: float = 0.9,
    n_modes: int = 1,
    attenuation_db_per_km: float = 0.2,
) -> float:
    """Success probability of one double-click attempt: p = η²/2 per mode, multiplexed.

    The heralding probability of :func:`double_click_link` without building the link, for
    network models that need only the rate (η = η_fibre(L/2) η_det per arm).

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative; each photon crosses half of it.
    detector_efficiency : float, optional
        Detector efficiency η_det, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1: p_m = 1 − (1 − p)^m.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km).

    Returns
    -------
    float
        The success probability of one attempt.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(double_click_probability(20.0, detector_efficiency=1.0), 6)  # eta(10 km)^2 / 2
    0.199054
    """
    m = check_integer(n_modes, "n_modes", minimum=1)
    eta = _arm_efficiency(length_km, detector_efficiency, attenuation_db_per_km)
    return heralding_probability(eta, eta, m)


def heralded_link(scheme: str, length_km: float, **kwargs: Any) -> ElementaryLink:
    """Dispatch to :func:`single_click_link` or :func:`double_click_link` by name.

    Parameters
    ----------
    scheme : {"single_click", "double_click"}
        The heralding scheme.
    length_km : float
        Length of the link (km).
    **kwargs
        Keyword arguments of the scheme's function: ``detector_efficiency``,
        ``visibility``, ``n_modes``, ``attenuation_db_per_km``, ``preparation_time`` and
        ``dark_count_prob`` (both schemes), ``bright_state_population`` (single click).

    Returns
    -------
    ElementaryLink
        The link.

    Raises
    ------
    ValueError
        If ``scheme`` is unknown or an argument is outside its range.

    Examples
    --------
    >>> heralded_link("double_click", 50.0).scheme
    'double_click'
    """
    check_choice(scheme, "scheme", LINK_SCHEMES)
    if scheme == "single_click":
        return single_click_link(length_km, **kwargs)
    return double_click_link(length_km, **kwargs)


def elementary_link(
    success_probability: float,
    *,
    fidelity: float | None = None,
    coefficients: Any = None,
    attempt_time: float = 1.0,
    length_km: float = 0.0,
) -> ElementaryLink:
    """An abstract link with given success probability and state (for models and tests).

    Give either a Werner ``fidelity`` or Bell-diagonal ``coefficients`` (default: Φ+).
    With ``attempt_time=1`` times are measured in attempts.

    Parameters
    ----------
    success_probability : float
        Success probability per attempt, in (0, 1].
    fidelity : float, optional
        Werner fidelity of the pair, in [1/4, 1].
    coefficients : array_like, optional
        Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−); not together with ``fidelity``.
    attempt_time : float, optional
        Duration of one attempt, non-negative.
    length_km : float, optional
        Segment length (km), non-negative.

    Returns
    -------
    ElementaryLink
        The link, with ``scheme="abstract"``.

    Raises
    ------
    ValueError
        If both ``fidelity`` and ``coefficients`` are given or a value is out of range.

    Examples
    --------
    >>> elementary_link(0.1, fidelity=0.95).coefficients.round(4).tolist()
    [0.95, 0.0167, 0.0167, 0.0167]
    """
    p = check_in_range(success_probability, "success_probability", 0.0, 1.0, low_inclusive=False)
    if fidelity is not None and coefficients is not None:
        raise ValueError("give either fidelity or coefficients, not both")
    if coefficients is not None:
        c = check_bell_coefficients(coefficients)
    else:
        f = 1.0 if fidelity is None else check_in_range(fidelity, "fidelity", 0.25, 1.0)
        c = np.array([f, (1 - f) / 3, (1 - f) / 3, (1 - f) / 3])
    return ElementaryLink(
        scheme="abstract",
        length_km=check_non_negative(length_km, "length_km"),
        success_probability=p,
        coefficients=c,
        attempt_time=check_non_negative(attempt_time, "attempt_time"),
    )
