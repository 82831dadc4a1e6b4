"""Device (implementation) attacks on a BB84 link with two single-photon detectors.

Security proofs of BB84 assume a device model; real links break it. This module
simulates a decoy-free BB84 link with weak coherent pulses (mean photon number μ) and a
receiver with **two gated detectors** D0, D1 (bit 0 and bit 1, one pair for both bases
after an active basis choice), and four attacks on that receiver or on Alice's
modulator, each with its physical signature in the link's telemetry:

- ``"blinding"`` (Makarov 2009; Lydersen et al., Nat. Photon. 4, 686, 2010): bright
  light turns Bob's avalanche photodiodes into classical linear detectors; Eve measures
  Alice's photons in a random basis and resends a bright *trigger* pulse just above the
  threshold, so Bob clicks only when his basis equals hers, always on her bit. Eve learns
  the whole sifted key of the attacked pulses at **zero** added error. Signatures: the
  detectors' photocurrent rises, their dark counts and double clicks vanish and the click
  rate no longer follows the detector efficiency (random detector-efficiency test, Lim et
  al., IEEE JSTQE 21, 6601305, 2015).
- ``"time_shift"`` (Qi, Fung, Lo, Ma, QIC 7, 73, 2007): the two detectors' efficiency
  curves η_j(t) are offset in time; Eve delays each pulse by ±s so that one detector is
  favoured with efficiency ratio r = η_weak/η_strong. She measures nothing: the QBER does
  not move, but a click reveals Bob's bit with probability 1/(1+r), so Eve's information
  per sifted bit is I = 1 − h(1/(1 + r)). Signature: per-detector click times.
- ``"efficiency_mismatch"`` (faked states, Makarov, Anisimov, Skaar, PRA 74, 022313,
  2006; security with mismatch: Fung et al., QIC 9, 131, 2009): Eve intercepts in basis
  β, gets bit b, and resends b̄ in the *other* basis at the time where detector b̄ is
  suppressed by r. Counting the four cases gives QBER = 2r/(1 + 3r)
  (:func:`faked_state_qber`) with Eve's information on Bob's bit
  :func:`faked_state_information`; both tend to (0, 1) as r → 0.
- ``"trojan_horse"`` (Vakhitov, Makarov, Hjelme 2001; Gisin et al., PRA 73, 022320,
  2006; Lucamarini et al., PRX 5, 031030, 2015): Eve injects bright light into Alice's
  phase modulator and reads the back-reflection, a coherent state with μ_out photons
  whose phase is Alice's setting. Knowing the basis, Eve tells |α⟩ from |−α⟩ with the
  Helstrom error P = (1 − √(1 − e^{−4 μ_out}))/2, so I = 1 − h(P)
  (:func:`trojan_horse_information`). Bob's data do not change; only Alice's **watchdog**
  monitor sees the injected light.
- ``"intercept_resend"`` is the textbook reference: QBER +f(1 − 2e_d)/4, I = f/2.

:func:`device_telemetry` returns per-window telemetry (:data:`TELEMETRY_FEATURES`):
clicks per detector, double clicks, QBER per basis, mean click time per detector and the
spread, the click-rate ratio of Bob's randomly attenuated gates to the others, the
detectors' photocurrent and the watchdog counts, with the ground truth (attack label,
sifted bits, Eve's information) beside them. Everything is sampled pulse by pulse with
NumPy.

The device-independent alternative is measured by :func:`bell_test_with_detectors`
(CHSH with Bob's finite detection efficiency, fair sampling or not, optionally under
blinding; cf. Gerhardt et al., PRL 107, 170404, 2011) and :func:`di_key_rate`
(Acín et al., PRL 98, 230501, 2007; Pironio et al., NJP 11, 045021, 2009), which live in
:mod:`qnetlab.qkd.device_independent` and are re-exported here.

>>> t = device_telemetry(2, attack="blinding", fraction=1.0, seed=1)
>>> bool(t.column("qber_z").max() < 0.01), round(float(t.eve_information.sum() / t.sifted.sum()), 2)
(True, 1.0)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    make_rng,
    summary_block,
)
from .device_independent import bell_test_with_detectors, di_key_rate
from .theory import binary_entropy

__all__ = [
    "DEVICE_ATTACKS",
    "TELEMETRY_FEATURES",
    "DeviceTelemetry",
    "Receiver",
    "bell_test_with_detectors",
    "device_telemetry",
    "di_key_rate",
    "faked_state_information",
    "faked_state_qber",
    "time_shift_information",
    "trojan_horse_information",
]

#: Attack labels of :func:`device_telemetry` ("none" is normal operation).
DEVICE_ATTACKS: tuple[str, ...] = (
    "none",
    "intercept_resend",
    "blinding",
    "time_shift",
    "efficiency_mismatch",
    "trojan_horse",
)

#: Columns of :attr:`DeviceTelemetry.features`.
TELEMETRY_FEATURES: tuple[str, ...] = (
    "clicks_0",  # clicks of D0 per pulse
    "clicks_1",  # clicks of D1 per pulse
    "double_clicks",  # double clicks per click
    "qber_z",
    "qber_x",
    "time_0",  # mean click time of D0 (ns, gate centre = 0)
    "time_1",
    "time_spread",  # standard deviation of all click times (ns)
    "rde_ratio",  # click rate in attenuated gates / other gates, over the attenuation
    "photocurrent",  # mean detector photocurrent (units of its noise sd)
    "watchdog",  # watchdog counts per 10^4 pulses at Alice
)


@dataclass(frozen=True)
class Receiver:
    """Bob's receiver, Alice's source and monitors, as seen by the attacks.

    Parameters
    ----------
    mu, transmissivity : float, default 0.5, 0.4
        Mean photon number of Alice's pulses; fibre transmittance from Alice to Bob
        (0.2 dB/km × 20 km ≈ 0.40).
    efficiency, dark_count_prob : float, default 0.2, 5e-4
        Peak efficiency of each detector; dark-count probability per gate and detector.
    misalignment : float, default 0.02
        Optical error e_d of a detected photon.
    offset_ns, width_ns, jitter_ns : float, default 0.3, 0.25, 0.05
        The efficiency curves η_j(t) = η exp(−(t − c_j)²/2w²) peak at c_0 = −offset/2 and
        c_1 = +offset/2 (a real, small mismatch) with width w; the click time's standard
        deviation around the photon's arrival.
    rde_fraction, rde_factor : float, default 0.2, 0.5
        A fraction of the gates, chosen at random by Bob, has its efficiency multiplied
        by ``rde_factor`` (random detector efficiency).
    photocurrent_blind : float, default 20.0
        Photocurrent of fully blinded detectors, in units of the monitor's noise.
    watchdog_background, watchdog_gain : float, default 1e-3, 0.05
        Watchdog counts per pulse without Eve, and per unit of back-reflected μ_out (the
        tap ratio times the isolation Eve must overcome).

    Examples
    --------
    >>> r = Receiver(transmissivity=0.1)
    >>> r.mu, r.transmissivity, r.efficiency
    (0.5, 0.1, 0.2)
    """

    mu: float = 0.5
    transmissivity: float = 0.4
    efficiency: float = 0.2
    dark_count_prob: float = 5e-4
    misalignment: float = 0.02
    offset_ns: float = 0.3
    width_ns: float = 0.25
    jitter_ns: float = 0.05
    rde_fraction: float = 0.2
    rde_factor: float = 0.5
    photocurrent_blind: float = 20.0
    watchdog_background: float = 1e-3
    watchdog_gain: float = 0.05

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every parameter.

        >>> Receiver()
        Receiver(mu=0.5, transmissivity=0.4, efficiency=0.2, misalignment=0.02, ...)
        """
        return (
            f"Receiver(mu={self.mu:g}, transmissivity={self.transmissivity:g}, "
            f"efficiency={self.efficiency:g}, misalignment={self.misalignment:g}, ...)"
        )

    def summary(self) -> str:
        """Every parameter, one per line.

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> print(Receiver().summary())
        Receiver
          mu                   0.5
          transmissivity       0.4
        ...
          watchdog_gain        0.05
        """
        return summary_block("Receiver", [(f.name, getattr(self, f.name)) for f in fields(self)])

    def __post_init__(self) -> None:
        check_positive(self.mu, "mu")
        check_in_range(self.transmissivity, "transmissivity", 0.0, 1.0, low_inclusive=False)
        check_in_range(self.efficiency, "efficiency", 0.0, 1.0, low_inclusive=False)
        check_probability(self.dark_count_prob, "dark_count_prob")
        check_in_range(self.misalignment, "misalignment", 0.0, 0.5)
        check_non_negative(self.offset_ns, "offset_ns")
        check_positive(self.width_ns, "width_ns")
        check_non_negative(self.jitter_ns, "jitter_ns")
        check_in_range(self.rde_fraction, "rde_fraction", 0.0, 1.0, high_inclusive=False)
        check_in_range(self.rde_factor, "rde_factor", 0.0, 1.0, low_inclusive=False)
        check_non_negative(self.photocurrent_blind, "photocurrent_blind")
        check_non_negative(self.watchdog_background, "watchdog_background")
        check_non_negative(self.watchdog_gain, "watchdog_gain")

    def replace(self, **changes: Any) -> Receiver:
        """A copy with some fields changed.

        >>> Receiver().replace(mu=0.1).mu
        0.1
        """
        return dataclasses.replace(self, **changes)

    def detector_efficiency(self, detector: Any, time_ns: Any) -> np.ndarray:
        """η_j(t) of detector j (0 or 1) at arrival time t (ns).

        >>> r = Receiver()
        >>> bool(r.detector_efficiency(0, -0.05) > r.detector_efficiency(1, -0.05))
        True
        """
        j = np.asarray(detector)
        if not np.all((j == 0) | (j == 1)):
            raise ValueError(f"detector must be 0 or 1, got {detector}")
        c = np.where(j == 0, -0.5, 0.5) * self.offset_ns
        t = np.asarray(time_ns, dtype=float)
        return self.efficiency * np.exp(-((t - c) ** 2) / (2.0 * self.width_ns**2))

    def mismatch_ratio(self, shift_ns: float) -> float:
        """r = η_1(−s)/η_0(−s): D1's efficiency over D0's at a pulse delayed by −s.

        The curves are mirror images, so shifting by +s gives η_0/η_1 the same value.

        >>> round(Receiver(offset_ns=0.0).mismatch_ratio(0.3), 6)
        1.0
        """
        s = check_non_negative(shift_ns, "shift_ns")
        return float(self.detector_efficiency(1, -s) / self.detector_efficiency(0, -s))

    def shift_for_ratio(self, ratio: float) -> float:
        """The delay s ≥ 0 at which :meth:`mismatch_ratio` equals ``ratio`` (0 < r ≤ 1).

        ln r = −s·offset/w² for Gaussian curves, so s = −w² ln r / offset.

        >>> r = Receiver()
        >>> round(r.mismatch_ratio(r.shift_for_ratio(0.1)), 6)
        0.1
        """
        r = check_in_range(ratio, "ratio", 0.0, 1.0, low_inclusive=False)
        if self.offset_ns == 0:
            if r == 1.0:
                return 0.0
            raise ValueError("a receiver with offset_ns=0 has no efficiency mismatch to exploit")
        return float(-(self.width_ns**2) * np.log(r) / self.offset_ns)

    @property
    def arrival_probability(self) -> float:
        """P(at least one photon reaches Bob) = 1 − exp(−μ T)."""
        return float(1.0 - np.exp(-self.mu * self.transmissivity))


def time_shift_information(ratio: Any) -> Any:
    """Eve's information per sifted bit in the time-shift attack: 1 − h(1/(1 + r)).

    A click on the favoured detector happens with weight 1, on the other with r, so Bob's
    bit equals Eve's guess with probability 1/(1 + r) (Qi et al. 2007).

    Parameters
    ----------
    ratio : float or array_like of float
        Efficiency ratio r of the suppressed detector, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Bits per sifted bit, in [0, 1].

    Examples
    --------
    >>> round(float(time_shift_information(1.0)), 6), round(float(time_shift_information(0.0)), 6)
    (0.0, 1.0)
    """
    r = np.asarray(ratio, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0) or np.any(r > 1):
        raise ValueError(f"ratio must be in [0, 1], got {ratio}")
    out = 1.0 - binary_entropy(1.0 / (1.0 + r))
    return float(out) if np.ndim(out) == 0 else out


def faked_state_qber(ratio: Any) -> Any:
    """QBER of the faked-state attack on detectors with efficiency ratio r: 2r/(1 + 3r).

    Eve's basis equal to Alice's (half of the sifted cases): Bob clicks b with weight 1/2
    and b̄ (an error) with r/2. Unequal: Bob gets b̄ with weight r, wrong half the time.
    Errors r/4 + r/4 over sifted clicks (1 + 3r)/4.

    Parameters
    ----------
    ratio : float or array_like of float
        Efficiency ratio r of the suppressed detector, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        The QBER Bob sees, in [0, 1/2].

    Examples
    --------
    >>> round(float(faked_state_qber(1.0)), 6), float(faked_state_qber(0.0))
    (0.5, 0.0)
    """
    r = np.asarray(ratio, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0) or np.any(r > 1):
        raise ValueError(f"ratio must be in [0, 1], got {ratio}")
    out = 2.0 * r / (1.0 + 3.0 * r)
    return float(out) if np.ndim(out) == 0 else out


def faked_state_information(ratio: Any) -> Any:
    """Eve's information on Bob's sifted bit in the faked-state attack.

    After the basis announcement Eve knows which case happened: with her basis right
    (weight (1 + r)/4) Bob's bit is hers with probability 1/(1 + r); with it wrong
    (weight r/2) Bob's bit is certainly the one she sent. I = [(1 + r)/4 (1 − h(1/(1 + r)))
    + r/2] / ((1 + 3r)/4).

    Parameters
    ----------
    ratio : float or array_like of float
        Efficiency ratio r of the suppressed detector, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Bits per sifted bit, in [0, 1].

    Examples
    --------
    >>> round(float(faked_state_information(0.0)), 6)
    1.0
    """
    r = np.asarray(ratio, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0) or np.any(r > 1):
        raise ValueError(f"ratio must be in [0, 1], got {ratio}")
    right = (1.0 + r) / 4.0 * (1.0 - binary_entropy(1.0 / (1.0 + r)))
    out = (right + r / 2.0) / ((1.0 + 3.0 * r) / 4.0)
    return float(out) if np.ndim(out) == 0 else out


def trojan_horse_information(mean_photons_out: Any) -> Any:
    """Eve's information per sifted bit from a back-reflected coherent probe of μ_out.

    Knowing the basis, Eve discriminates |α⟩ from |−α⟩ (|⟨α|−α⟩|² = e^{−4μ}) with the
    Helstrom error P = (1 − √(1 − e^{−4μ}))/2; I = 1 − h(P) (Gisin et al. 2006).

    Parameters
    ----------
    mean_photons_out : float or array_like of float
        Back-reflected mean photon number μ_out, ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        Bits per sifted bit, in [0, 1].

    Examples
    --------
    >>> round(float(trojan_horse_information(0.0)), 6)
    0.0
    >>> bool(trojan_horse_information(2.0) > 0.99)
    True
    """
    m = np.asarray(mean_photons_out, dtype=float)
    if np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError(
            f"mean_photons_out must be non-negative and finite, got {mean_photons_out}"
        )
    p_err = 0.5 * (1.0 - np.sqrt(1.0 - np.exp(-4.0 * m)))
    out = 1.0 - binary_entropy(p_err)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class DeviceTelemetry:
    """Per-window telemetry of a two-detector BB84 receiver.

    ``features[w]`` holds :data:`TELEMETRY_FEATURES` of window w; ``labels[w]`` the
    attack active in it ("none" before ``attack_start``); ``sifted[w]`` its sifted bits;
    ``eve_information[w]`` the bits Eve knows about them (plug-in mutual information
    between her guesses and Bob's sifted bits, times their number). Built by
    :func:`device_telemetry`.

    Parameters
    ----------
    features, labels, sifted, errors, eve_information : numpy.ndarray
        Per-window arrays, as above (``errors``: sifted bits in error).
    window_pulses : int
        Pulses per window.
    attack : str
        The attack simulated.
    fraction : float
        Fraction of pulses attacked in an attacked window.

    Examples
    --------
    >>> t = device_telemetry(3, attack="blinding", attack_start=1, seed=0)
    >>> len(t), t.attack, list(t.labels)
    (3, 'blinding', ['none', 'blinding', 'blinding'])
    """

    features: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    sifted: np.ndarray = field(repr=False)
    errors: np.ndarray = field(repr=False)
    eve_information: np.ndarray = field(repr=False)
    window_pulses: int
    attack: str
    fraction: float

    def __len__(self) -> int:
        return int(self.features.shape[0])

    def column(self, name: str) -> np.ndarray:
        """One feature over the windows.

        >>> t = device_telemetry(3, seed=0)
        >>> t.column("qber_z").shape
        (3,)
        """
        check_choice(name, "name", TELEMETRY_FEATURES)
        return self.features[:, TELEMETRY_FEATURES.index(name)]

    @property
    def qber(self) -> float:
        """QBER over all windows (errors / sifted bits)."""
        return float(self.errors.sum() / max(int(self.sifted.sum()), 1))

    def __repr__(self) -> str:
        return (
            f"DeviceTelemetry(windows={len(self)}, attack={self.attack!r}, "
            f"fraction={self.fraction}, window_pulses={self.window_pulses}, "
            f"sifted/window={self.sifted.mean():.0f}, qber={self.qber:.4f}, "
            f"eve_bits/window={self.eve_information.mean():.1f})"
        )


def _plugin_information(x: np.ndarray, y: np.ndarray) -> float:
    """Plug-in mutual information (bits) between two binary arrays."""
    if x.size == 0:
        return 0.0
    joint = np.bincount(2 * x.astype(int) + y.astype(int), minlength=4) / x.size
    px, py = joint.reshape(2, 2).sum(1), joint.reshape(2, 2).sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = joint * np.log2(joint / np.outer(px, py).ravel())
    return float(np.nansum(terms))


_STRENGTH = {"time_shift": 0.2, "efficiency_mismatch": 0.2, "trojan_horse": 0.1}


def _window(
    n: int, attack: str, fraction: float, strength: float, rx: Receiver, rng: np.random.Generator
) -> tuple[np.ndarray, int, int, float]:
    """Simulate one window of ``n`` pulses; return (features, sifted, errors, eve bits)."""
    a_basis = rng.integers(0, 2, n)
    a_bit = rng.integers(0, 2, n)
    b_basis = rng.integers(0, 2, n)
    low = rng.random(n) < rx.rde_fraction
    scale = np.where(low, rx.rde_factor, 1.0)
    att = rng.random(n) < fraction if attack != "none" else np.zeros(n, bool)
    arrive = rng.random(n) < rx.arrival_probability
    t_arr = np.zeros(n)
    same = a_basis == b_basis
    # Honest optics: the photon leaves towards D(a_bit) in the right basis (flipped with
    # probability e_d) and towards a random detector in the wrong one.
    flip = np.where(same, rng.random(n) < rx.misalignment, rng.random(n) < 0.5)
    outcome = a_bit ^ flip
    eve_guess = np.full(n, -1)
    group = np.zeros(n, dtype=np.int64)  # what Eve knows she knows: 0 = nothing
    blinded = np.zeros(n, bool)
    forced = np.zeros(n, bool)
    if attack == "intercept_resend":
        e_basis = rng.integers(0, 2, n)
        e_bit = np.where(e_basis == a_basis, a_bit, rng.integers(0, 2, n))
        e_flip = np.where(b_basis == e_basis, rng.random(n) < rx.misalignment, rng.random(n) < 0.5)
        outcome = np.where(att, e_bit ^ e_flip, outcome)
        eve_guess = np.where(att & (e_basis == a_basis), e_bit, eve_guess)
        group = np.where(att & (e_basis == a_basis), 1, 0)
    elif attack == "blinding":
        # Eve measures (perfect detector at Alice's door) and resends a trigger with the
        # probability that keeps Bob's click rate where it was: 1/2 of her triggers click.
        eff0 = float(rx.detector_efficiency(0, 0.0))
        mean_scale = 1.0 - rx.rde_fraction * (1.0 - rx.rde_factor)
        honest_click = rx.arrival_probability * eff0 * mean_scale
        p_trigger = min(1.0, 2.0 * honest_click / (1.0 - np.exp(-rx.mu)))
        e_basis = rng.integers(0, 2, n)
        e_bit = np.where(e_basis == a_basis, a_bit, rng.integers(0, 2, n))
        trig = att & (rng.random(n) < (1.0 - np.exp(-rx.mu)) * p_trigger)
        blinded = att
        forced = trig & (b_basis == e_basis)
        outcome = np.where(forced, e_bit, outcome)
        eve_guess = np.where(att, e_bit, eve_guess)
        group = att.astype(np.int64)
    elif attack in ("time_shift", "efficiency_mismatch"):
        s = rx.shift_for_ratio(strength)
        if attack == "time_shift":
            fav = rng.integers(0, 2, n)  # the detector Eve favours
            eve_guess = np.where(att, fav, eve_guess)
            group = att.astype(np.int64)
        else:
            e_basis = rng.integers(0, 2, n)
            e_bit = np.where(e_basis == a_basis, a_bit, rng.integers(0, 2, n))
            sent = 1 - e_bit  # b̄, in the other basis, timed where D(b̄) is weak
            r_basis = 1 - e_basis
            e_flip = np.where(
                b_basis == r_basis, rng.random(n) < rx.misalignment, rng.random(n) < 0.5
            )
            outcome = np.where(att, sent ^ e_flip, outcome)
            fav = e_bit
            eve_guess = np.where(att, np.where(e_basis == a_basis, e_bit, sent), eve_guess)
            group = np.where(att, np.where(e_basis == a_basis, 1, 2), 0)
        # Favour detector f: arrive where D_f peaks relative to the other, t = c-side.
        t_arr = np.where(att, np.where(fav == 0, -s, s), 0.0)
    eff = rx.detector_efficiency(outcome, t_arr) * scale
    click_photon = arrive & (rng.random(n) < eff) & ~blinded
    click_photon |= forced
    dark0 = (rng.random(n) < rx.dark_count_prob) & ~blinded
    dark1 = (rng.random(n) < rx.dark_count_prob) & ~blinded
    c0 = (click_photon & (outcome == 0)) | dark0
    c1 = (click_photon & (outcome == 1)) | dark1
    any_click = c0 | c1
    double = c0 & c1
    bob_bit = np.where(double, rng.integers(0, 2, n), np.where(c1, 1, 0))
    # Click times: the photon's arrival plus jitter; dark counts anywhere in a 1 ns gate.
    t_click = np.where(click_photon, t_arr, rng.uniform(-0.5, 0.5, n)) + rx.jitter_ns * (
        rng.standard_normal(n)
    )
    sift = any_click & same
    err = sift & (bob_bit != a_bit)
    feats = np.empty(len(TELEMETRY_FEATURES))
    feats[0] = c0.sum() / n
    feats[1] = c1.sum() / n
    feats[2] = double.sum() / max(any_click.sum(), 1)
    for k, basis in ((3, 0), (4, 1)):
        m = sift & (a_basis == basis)
        feats[k] = err[m].sum() / max(m.sum(), 1)
    only0, only1 = c0 & ~c1, c1 & ~c0
    feats[5] = t_click[only0].mean() if only0.any() else 0.0
    feats[6] = t_click[only1].mean() if only1.any() else 0.0
    feats[7] = t_click[any_click].std() if any_click.sum() > 1 else 0.0
    rate_low = any_click[low].mean() if low.any() else 0.0
    rate_high = any_click[~low].mean() if (~low).any() else 0.0
    feats[8] = rate_low / max(rate_high, 1e-12) / rx.rde_factor
    feats[9] = rng.standard_normal() + rx.photocurrent_blind * blinded.mean()
    mu_out = strength if attack == "trojan_horse" else 0.0
    wd_mean = n * (rx.watchdog_background + rx.watchdog_gain * mu_out * att.mean())
    feats[10] = rng.poisson(wd_mean) / n * 1e4
    # Eve's knowledge.
    if attack == "trojan_horse":
        p_err = 0.5 * (1.0 - np.sqrt(1.0 - np.exp(-4.0 * mu_out)))
        guess = np.where(rng.random(n) < p_err, 1 - a_bit, a_bit)
        eve_guess = np.where(att, guess, eve_guess)
        group = att.astype(np.int64)
        target = a_bit
    elif attack == "intercept_resend":
        target = a_bit
    else:
        target = bob_bit
    # Eve knows which case each pulse fell into (attacked or not, her basis right or
    # not): her information is the mutual information within each case, summed.
    info = 0.0
    for g in range(1, 3):
        m = sift & (group == g)
        if m.any():
            info += _plugin_information(target[m], eve_guess[m]) * m.sum()
    return feats, int(sift.sum()), int(err.sum()), float(info)


def device_telemetry(
    n_windows: int,
    *,
    attack: str = "none",
    attack_start: int = 0,
    fraction: float = 1.0,
    strength: float | None = None,
    window_pulses: int = 50_000,
    receiver: Receiver | None = None,
    seed: SeedLike = None,
) -> DeviceTelemetry:
    """Simulate ``n_windows`` windows of a BB84 link, attacked from ``attack_start`` on.

    Parameters
    ----------
    n_windows : int
        Windows to simulate, ≥ 1.
    attack : str, default "none"
        One of :data:`DEVICE_ATTACKS`.
    attack_start : int, default 0
        First attacked window, in [0, n_windows].
    fraction : float, default 1.0
        Fraction of the pulses Eve attacks in an attacked window, in [0, 1].
    strength : float, optional
        The attack's parameter: the efficiency ratio r in (0, 1] for ``"time_shift"``
        and ``"efficiency_mismatch"`` (default 0.2), the back-reflected mean photon
        number μ_out ≥ 0 for ``"trojan_horse"`` (default 0.1); ignored by the others.
    window_pulses : int, default 50_000
        Pulses per window, ≥ 100.
    receiver : Receiver, optional
        The receiver (default ``Receiver()``).
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    DeviceTelemetry

    Raises
    ------
    ValueError
        For an unknown attack or a parameter out of range.

    Examples
    --------
    >>> t = device_telemetry(4, attack="trojan_horse", attack_start=2, strength=0.5, seed=3)
    >>> list(t.labels)
    ['none', 'none', 'trojan_horse', 'trojan_horse']
    """
    nw = check_integer(n_windows, "n_windows", minimum=1)
    check_choice(attack, "attack", DEVICE_ATTACKS)
    start = check_integer(attack_start, "attack_start", minimum=0, maximum=nw)
    f = check_probability(fraction, "fraction")
    n = check_integer(window_pulses, "window_pulses", minimum=100)
    rx = Receiver() if receiver is None else receiver
    if not isinstance(rx, Receiver):
        raise TypeError(f"receiver must be a Receiver, got {type(receiver).__name__}")
    if strength is None:
        strength = _STRENGTH.get(attack, 0.0)
    if attack in ("time_shift", "efficiency_mismatch"):
        strength = check_in_range(strength, "strength", 0.0, 1.0, low_inclusive=False)
        rx.shift_for_ratio(strength)  # raises when the receiver has no mismatch
    elif attack == "trojan_horse":
        strength = check_non_negative(strength, "strength")
    rng = make_rng(seed)
    feats = np.empty((nw, len(TELEMETRY_FEATURES)))
    sifted = np.empty(nw, dtype=np.int64)
    errors = np.empty(nw, dtype=np.int64)
    info = np.empty(nw)
    labels = np.array(["none"] * start + [attack] * (nw - start), dtype=object)
    for w in range(nw):
        kind = labels[w]
        feats[w], sifted[w], errors[w], info[w] = _window(n, kind, f, float(strength), rx, rng)
    return DeviceTelemetry(
        features=feats,
        labels=labels,
        sifted=sifted,
        errors=errors,
        eve_information=info,
        window_pulses=n,
        attack=attack,
        fraction=f,
    )
