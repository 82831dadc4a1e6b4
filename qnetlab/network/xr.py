"""The budget of a 6G extended-reality session against what quantum links deliver.

The survey's Section III.C.3 imagines quantum networks powering VR/AR. Two numbers decide
what they can do for an XR session: the key bits per frame a QKD link supplies for
rekeying (:func:`xr_key_budget`, with the supply of
:func:`qnetlab.network.edge.qkd_key_supply_bps`), and the waiting time for a heralded
end-to-end entangled pair (:func:`entanglement_latency`, a repeater chain of double-click
links simulated by :func:`qnetlab.repeaters.simulate_chain`) beside the frame time, the
motion-to-photon budget and the 6G air latency of :class:`XRBudget`.

>>> out = xr_key_budget(1e6)  # 1 Mbit/s of key, 90 frames per second
>>> round(out["key_bits_per_frame"], 1), round(out["sessions"], 2)
(11111.1, 43.4)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
)
from ..channels import fiber_delay
from ..repeaters import double_click_link, simulate_chain

__all__ = ["EntanglementLatency", "XRBudget", "entanglement_latency", "xr_key_budget"]


@dataclass(frozen=True)
class XRBudget:
    """The latency and rate budget of one 6G extended-reality session.

    Defaults: 90 frames per second, a motion-to-photon budget of 20 ms, a 6G air-interface
    latency of 0.1 ms, 1 Gbit/s per user, AES-256 session keys.

    Parameters
    ----------
    frame_rate_hz : float, optional
        Frames per second, positive.
    motion_to_photon_s : float, optional
        Budget from head motion to the updated image, positive.
    air_latency_s : float, optional
        One-way latency of the radio link, non-negative.
    user_rate_bps : float, optional
        Data rate of the session, positive.
    key_bits : int, optional
        Bits of one session key.

    Raises
    ------
    ValueError
        If a field is out of range.

    Examples
    --------
    >>> round(XRBudget().frame_time_s * 1e3, 3)  # ms per frame at 90 Hz
    11.111
    """

    frame_rate_hz: float = 90.0
    motion_to_photon_s: float = 0.020
    air_latency_s: float = 1e-4
    user_rate_bps: float = 1e9
    key_bits: int = 256

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "frame_rate_hz", check_positive(self.frame_rate_hz, "frame_rate_hz"))
        set_(
            self,
            "motion_to_photon_s",
            check_positive(self.motion_to_photon_s, "motion_to_photon_s"),
        )
        set_(self, "air_latency_s", check_non_negative(self.air_latency_s, "air_latency_s"))
        set_(self, "user_rate_bps", check_positive(self.user_rate_bps, "user_rate_bps"))
        set_(self, "key_bits", check_integer(self.key_bits, "key_bits", minimum=1, maximum=2**20))

    @property
    def frame_time_s(self) -> float:
        """Seconds per frame, 1 / frame rate."""
        return 1.0 / self.frame_rate_hz

    @property
    def bits_per_frame(self) -> float:
        """Data bits of one frame, rate / frame rate."""
        return self.user_rate_bps / self.frame_rate_hz


def xr_key_budget(
    supply_bps: float, budget: XRBudget | None = None, *, rekeys_per_frame: float = 1.0
) -> dict[str, float]:
    """What a QKD key supply means for XR sessions of a given budget.

    Parameters
    ----------
    supply_bps : float
        Secret-key bits per second, non-negative.
    budget : XRBudget, optional
        The session's budget (defaults of :class:`XRBudget`).
    rekeys_per_frame : float, optional
        Fresh session keys per frame, positive (1: a new AES key for every frame).

    Returns
    -------
    dict
        ``key_bits_per_frame`` (supply / frame rate), ``sessions`` (sessions the supply
        rekeys at that pace, supply / (frame rate × rekeys × key bits)) and
        ``one_time_pad_fraction`` (supply / user data rate: the share of one session's
        stream a one-time pad could cover).

    Raises
    ------
    ValueError
        If a number is out of range.
    TypeError
        If ``budget`` is not an :class:`XRBudget`.

    Examples
    --------
    >>> out = xr_key_budget(23_040.0)  # 90 frames x 256 bits
    >>> out["sessions"], out["key_bits_per_frame"]
    (1.0, 256.0)
    """
    s = check_non_negative(supply_bps, "supply_bps")
    b = XRBudget() if budget is None else budget
    if not isinstance(b, XRBudget):
        raise TypeError(f"budget must be an XRBudget, got {type(b).__name__}")
    r = check_positive(rekeys_per_frame, "rekeys_per_frame")
    return {
        "key_bits_per_frame": s / b.frame_rate_hz,
        "sessions": s / (b.frame_rate_hz * r * b.key_bits),
        "one_time_pad_fraction": s / b.user_rate_bps,
    }


@dataclass(frozen=True, eq=False)
class EntanglementLatency:
    """Waiting times for heralded end-to-end pairs over a repeater chain.

    Parameters
    ----------
    distance_km : float
        End-to-end fibre length.
    n_segments : int
        Elementary links of the chain.
    waiting_time_s : numpy.ndarray
        Simulated waiting time of each delivered pair, seconds (classical messages
        included).
    fiber_delay_s : float
        One-way delay of a classical signal over the same fibre.

    Examples
    --------
    >>> lat = entanglement_latency(20.0, n_segments=1, n_samples=200, seed=0)
    >>> bool(lat.mean_s > lat.fiber_delay_s)
    True
    """

    distance_km: float
    n_segments: int
    waiting_time_s: np.ndarray = field(repr=False)
    fiber_delay_s: float

    @property
    def mean_s(self) -> float:
        """Mean waiting time."""
        return float(self.waiting_time_s.mean())

    def quantile_s(self, q: float) -> float:
        """The ``q`` quantile of the waiting time, q in [0, 1]."""
        return float(np.quantile(self.waiting_time_s, check_probability(q, "q")))

    def fraction_within(self, budget_s: float) -> float:
        """Fraction of pairs delivered within ``budget_s`` seconds (non-negative)."""
        return float(np.mean(self.waiting_time_s <= check_non_negative(budget_s, "budget_s")))

    def __repr__(self) -> str:
        return (
            f"EntanglementLatency(distance_km={self.distance_km:g}, "
            f"n_segments={self.n_segments}, mean={self.mean_s * 1e3:.4g} ms, "
            f"p99={self.quantile_s(0.99) * 1e3:.4g} ms, "
            f"fiber_delay={self.fiber_delay_s * 1e3:.4g} ms)"
        )


def entanglement_latency(
    distance_km: float,
    *,
    n_segments: int = 2,
    detector_efficiency: float = 0.9,
    n_modes: int = 1,
    n_samples: int = 2_000,
    seed: SeedLike = None,
) -> EntanglementLatency:
    """Waiting time for one heralded end-to-end pair over ``distance_km``.

    The chain has ``n_segments`` (a power of 2) double-click links (Barrett–Kok,
    :func:`qnetlab.repeaters.double_click_link`) of length distance / n_segments,
    swapped as soon as possible with perfect memories and deterministic swaps
    (:func:`qnetlab.repeaters.simulate_chain`, classical messages included).

    Parameters
    ----------
    distance_km : float
        End-to-end fibre length, positive.
    n_segments : int, optional
        Elementary links, a power of 2.
    detector_efficiency : float, optional
        Efficiency of emission, collection and detection per arm, in (0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    n_samples : int, optional
        Delivered pairs to simulate.
    seed : int, numpy.random.Generator or None, optional
        Seed of the simulation.

    Returns
    -------
    EntanglementLatency
        The waiting times and the fibre's one-way delay.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> lat = entanglement_latency(50.0, n_samples=500, seed=1)
    >>> 1e-4 < lat.mean_s < 1e-2  # milliseconds, against 0.25 ms of fibre delay
    True
    """
    d = check_in_range(distance_km, "distance_km", 0.0, 1e4, low_inclusive=False)
    n_seg = check_integer(n_segments, "n_segments", minimum=1, maximum=1024)
    if n_seg & (n_seg - 1):
        raise ValueError(f"n_segments must be a power of 2, got {n_seg}")
    eff = check_in_range(detector_efficiency, "detector_efficiency", 0.0, 1.0, low_inclusive=False)
    link = double_click_link(d / n_seg, detector_efficiency=eff, n_modes=n_modes)
    res = simulate_chain(n_seg, link, n_samples=n_samples, seed=seed, max_rounds=10**7)
    return EntanglementLatency(
        distance_km=d,
        n_segments=n_seg,
        waiting_time_s=res.waiting_time,
        fiber_delay_s=fiber_delay(d),
    )
