"""Anomaly detection on QKD link telemetry: windows, attacks, classical and ML detectors.

A QKD link is monitored in *windows* of ``window_pulses`` pulses of decoy-state BB84
(signal μ, weak decoy ν, vacuum) over fibre. Every window is a real simulation with the
photon layer of :func:`qnetlab.qkd.run_decoy_bb84` (Poisson pulses, fibre and detector
loss, dark counts) and the qubit layer of :mod:`qnetlab.qkd` (NumPy backend: exact
density-matrix outcome tables per round type). Per window the monitoring system records
what a real one has: the signal QBER in the Z and the X basis separately, the gains and
errors of signal, decoy and vacuum pulses, the decoy/signal gain ratio, the sifted-key
rate and the decoy bounds Y₁ᴸ, e₁ᵁ (Ma et al. 2005).

Normal operation drifts (Ornstein–Uhlenbeck processes over windows, :class:`LinkDrift`):
misalignment in each basis (timing jitter in Z, interferometer phase in X), fibre loss
(temperature) and detector efficiency. Attacks (:data:`ATTACKS`) act on a ``fraction``
of the pulses from ``attack_start`` on:

- ``"intercept-resend"`` — :class:`~qnetlab.qkd.InterceptResend` on a fraction f of the
  detected photons: QBER e₀ + f(1 − 2e₀)/4, Eve learns f/2 per sifted bit;
- ``"cloner"`` — :class:`~qnetlab.qkd.PhaseCovariantCloner` at disturbance D on a
  fraction f: QBER e₀ + fD(1 − 2e₀), Fuchs information on the cloned bits;
- ``"pns"`` — :class:`~qnetlab.qkd.PhotonNumberSplitting` on a fraction f of the pulses:
  no QBER change, signal gain kept, decoy gains fall;
- ``"beam-splitting"`` — a fibre tap that diverts a fraction f of the photons (an extra
  loss of −10 log₁₀(1 − f) dB): no QBER change, Eve keeps the tapped photons of
  multi-photon pulses (with a quantum memory she reads them in the announced basis).

Detectors: the protocol's own abort rule (QBER > 11 %), a QBER threshold calibrated on
normal windows, Page's (1954) CUSUM on the QBER, an Isolation Forest (Liu et al. 2008)
trained on normal windows and a supervised random forest (Breiman 2001); evaluation by
ROC AUC, detection rate at a fixed false-alarm rate, detection delay and the key Eve
learns before the alarm.

>>> tel = qkd_telemetry(4, window_pulses=200_000, attack="intercept-resend",
...                     attack_start=2, fraction=0.5, seed=1)
>>> tel.features.shape, tel.labels.tolist()
((4, 12), [0, 0, 1, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
)
from ..qkd._engine import X_AXIS, Z_AXIS, simulate_rounds
from ..qkd.attacks import (
    InterceptResend,
    PhaseCovariantCloner,
    PhotonNumberSplitting,
    fuchs_information,
)
from ..qkd.bb84 import THRESHOLDS
from ..qkd.decoy import _Split
from ..qkd.link import GYS, LinkModel
from ..qkd.theory import decoy_rate_from_bounds, vacuum_weak_bounds

__all__ = [
    "ATTACKS",
    "DETECTOR_FEATURES",
    "FEATURE_NAMES",
    "CUSUMDetector",
    "DetectionStudy",
    "DetectorEvaluation",
    "IsolationForestDetector",
    "LinkDrift",
    "QBERThreshold",
    "QKDTelemetry",
    "SupervisedDetector",
    "detection_at_false_alarm",
    "detection_delay",
    "detection_study",
    "evaluate_detector",
    "qkd_telemetry",
    "window_features",
]

#: Attacks that :func:`qkd_telemetry` can switch on.
ATTACKS: tuple[str, ...] = ("intercept-resend", "cloner", "pns", "beam-splitting")

#: Per-window telemetry features (columns of :attr:`QKDTelemetry.features`).
FEATURE_NAMES: tuple[str, ...] = (
    "qber",  # signal QBER, both bases
    "qber_z",
    "qber_x",
    "gain_signal",
    "gain_decoy",
    "gain_vacuum",
    "error_decoy",
    "decoy_signal_ratio",
    "sifted_rate",
    "y1_lower",
    "e1_upper",
    "key_rate",
)

#: The physics-informed subset the ML detectors use by default (the decoy bounds and the
#: key-rate estimate are noisy functions of these at one window's statistics).
DETECTOR_FEATURES: tuple[str, ...] = (
    "qber",
    "qber_z",
    "qber_x",
    "gain_signal",
    "decoy_signal_ratio",
    "error_decoy",
)

_OPTIMAL_CLONER = 0.5 - 0.5 / np.sqrt(2.0)


@dataclass(frozen=True)
class LinkDrift:
    """Benign drift of a QKD link between windows (unit-variance Ornstein–Uhlenbeck processes).

    Attributes:
        misalignment: standard deviation of the misalignment wander in each basis (Z and X
            drift independently: timing jitter vs interferometer phase), absolute.
        loss_db: standard deviation of the total fibre-loss wander (dB; temperature).
        efficiency: relative standard deviation of Bob's detector efficiency.
        correlation_windows: correlation time of the processes, in windows.

    >>> LinkDrift().misalignment, LinkDrift.none().loss_db
    (0.003, 0.0)
    """

    misalignment: float = 0.003
    loss_db: float = 0.2
    efficiency: float = 0.03
    correlation_windows: float = 20.0

    def __post_init__(self) -> None:
        check_in_range(self.misalignment, "misalignment", 0.0, 0.1)
        check_in_range(self.loss_db, "loss_db", 0.0, 10.0)
        check_in_range(self.efficiency, "efficiency", 0.0, 0.5)
        check_positive(self.correlation_windows, "correlation_windows")

    @classmethod
    def none(cls) -> LinkDrift:
        """No drift: every window sees the nominal link."""
        return cls(0.0, 0.0, 0.0, 1.0)

    def sample(self, n_windows: int, rng: np.random.Generator) -> np.ndarray:
        """Four unit-variance OU paths (e_Z, e_X, loss, efficiency), shape (n_windows, 4).

        >>> LinkDrift().sample(5, np.random.default_rng(0)).shape
        (5, 4)
        """
        rho = float(np.exp(-1.0 / self.correlation_windows))
        eps = rng.standard_normal((n_windows, 4))
        out = np.empty((n_windows, 4))
        out[0] = eps[0]
        for t in range(1, n_windows):
            out[t] = rho * out[t - 1] + np.sqrt(1.0 - rho**2) * eps[t]
        return out


@dataclass(frozen=True)
class QKDTelemetry:
    """Windowed telemetry of a monitored QKD link.

    Attributes:
        features: (n_windows, n_features) matrix; columns named by ``feature_names``.
        feature_names: :data:`FEATURE_NAMES`.
        labels: 1 for windows under attack, else 0.
        times: start time of each window in seconds (at ``repetition_rate_hz``).
        leak_bits: Eve's information on the window's sifted signal bits (bits, before
            privacy amplification), counted round by round: 1 bit per sifted signal bit
            whose photon Eve stored (PNS, tap) or measured in Alice's basis
            (intercept-resend), Fuchs' information per cloned bit (cloner).
        sifted_signal: sifted signal bits of each window.
        misalignment_z, misalignment_x, loss_db: the true drifting link parameters.
        attack, fraction, attack_start: the attack (``None`` if none).
        window_pulses: pulses per window.
    """

    features: np.ndarray
    feature_names: tuple[str, ...]
    labels: np.ndarray
    times: np.ndarray
    leak_bits: np.ndarray
    sifted_signal: np.ndarray
    misalignment_z: np.ndarray
    misalignment_x: np.ndarray
    loss_db: np.ndarray
    attack: str | None
    fraction: float
    attack_start: int | None
    window_pulses: int

    @property
    def n_windows(self) -> int:
        """Number of windows."""
        return int(self.features.shape[0])

    def column(self, name: str) -> np.ndarray:
        """The feature column ``name`` (one of :data:`FEATURE_NAMES`).

        >>> tel = qkd_telemetry(2, window_pulses=100_000, seed=0)
        >>> tel.column("qber").shape
        (2,)
        """
        check_choice(name, "name", self.feature_names)
        return self.features[:, self.feature_names.index(name)]

    def __repr__(self) -> str:
        q = self.column("qber")
        return (
            f"QKDTelemetry(n_windows={self.n_windows}, window_pulses={self.window_pulses}, "
            f"attack={self.attack!r}, fraction={self.fraction}, "
            f"attack_start={self.attack_start}, mean_qber={float(np.mean(q)):.4f}, "
            f"leak_bits={float(self.leak_bits.sum()):.1f})"
        )


def _signal_error(misalignment: float, depolarization: float) -> float:
    return LinkModel(misalignment=misalignment, depolarization=depolarization).signal_error


def _clicks_only(
    n: int,
    mus: np.ndarray,
    probs: np.ndarray,
    eta: float,
    y0: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pulses sent per intensity, and class and photon flag of every clicking pulse.

    Without a photon-number attack only the clicks matter. Per pulse the intensity class,
    the photon arrival (probability 1 − e^{−ημ}) and the dark count (Y₀) are independent,
    so the counts of (photon, dark-only) pulses per class are multinomial: the same law
    as drawing every pulse, at the cost of the clicks instead of the pulses.
    """
    sent = rng.multinomial(n, probs)
    cls_parts, ph_parts = [], []
    for k in range(3):
        p_ph = float(-np.expm1(-eta * mus[k]))
        c = rng.multinomial(sent[k], [p_ph, (1.0 - p_ph) * y0, (1.0 - p_ph) * (1.0 - y0)])
        cls_parts.append(np.full(c[0] + c[1], k, dtype=np.int64))
        ph_parts.append(np.r_[np.ones(c[0], dtype=bool), np.zeros(c[1], dtype=bool)])
    return sent.astype(float), np.concatenate(cls_parts), np.concatenate(ph_parts)


def _photon_pulses(
    n: int, mus: np.ndarray, probs: np.ndarray, link: LinkModel, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pulses sent per class; class and photon number of the pulses with photons; dark clicks
    of the empty pulses per class.

    Per class the number of non-empty pulses is binomial (1 − e^{−μ}) and their photon
    numbers are zero-truncated Poisson (inverse transform); an empty pulse matters only if
    it has a dark count (binomial). Same law as drawing every pulse.
    """
    sent = rng.multinomial(n, probs)
    cls_parts, ph_parts, empty_dark = [], [], np.zeros(3, dtype=np.int64)
    j = np.arange(1, 40)
    for k in range(3):
        mu = float(mus[k])
        p_pos = float(-np.expm1(-mu))
        n_pos = int(rng.binomial(sent[k], p_pos)) if mu > 0 else 0
        if n_pos:
            log_pmf = -mu + j * np.log(mu) - np.cumsum(np.log(j))
            cdf = np.cumsum(np.exp(log_pmf)) / p_pos
            cdf[-1] = 1.0
            idx = np.searchsorted(cdf, rng.random(n_pos), side="right")
            ph_parts.append(1 + np.minimum(idx, j.size - 1))
            cls_parts.append(np.full(n_pos, k, dtype=np.int64))
        empty_dark[k] = rng.binomial(sent[k] - n_pos, link.dark_count_prob)
    cls_p = np.concatenate(cls_parts) if cls_parts else np.zeros(0, dtype=np.int64)
    photons = np.concatenate(ph_parts) if ph_parts else np.zeros(0, dtype=np.int64)
    return sent.astype(float), cls_p, photons, empty_dark


def _window(
    link: LinkModel,
    e_z: float,
    e_x: float,
    n: int,
    mus: np.ndarray,
    probs: np.ndarray,
    attack: str | None,
    fraction: float,
    disturbance: float,
    n_sigma: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, float, int]:
    """One telemetry window: features, Eve's information (bits), sifted signal bits."""
    eta, eta_bob = link.transmissivity, link.detector_efficiency
    tapped_k = None
    if attack in ("pns", "beam-splitting"):
        # Photon numbers matter: draw them for the pulses that carry any (exact law).
        sent, cls_p, photons, n_empty_dark = _photon_pulses(n, mus, probs, link, rng)
        k = cls_p.size
        split = np.zeros(k, dtype=bool)
        tapped = None
        if attack == "pns":
            hit = rng.random(k) < fraction
            s1, sm = PhotonNumberSplitting().forwarding(eta, eta_bob, float(mus[0]))
            multi = photons >= 2
            fwd = (multi & (rng.random(k) < sm)) | ((photons == 1) & (rng.random(k) < s1))
            n_fwd = np.where(multi, photons - 1, photons) * fwd
            arrived = np.where(hit, rng.binomial(n_fwd, eta_bob), rng.binomial(photons, eta))
            split = hit & multi
        else:
            tapped = rng.binomial(photons, fraction)
            arrived = rng.binomial(photons - tapped, eta)
        photon = arrived >= 1
        click = photon | (rng.random(k) < link.dark_count_prob)
        keep = np.flatnonzero(click | split)
        n_dark = int(n_empty_dark.sum())
        ccls = np.r_[cls_p[keep], np.repeat(np.arange(3), n_empty_dark)]
        ph = np.r_[photon[keep], np.zeros(n_dark, dtype=bool)]
        ck = np.r_[click[keep], np.ones(n_dark, dtype=bool)]
        split_k = np.r_[split[keep], np.zeros(n_dark, dtype=bool)]
        if tapped is not None:
            tapped_k = np.r_[tapped[keep], np.zeros(n_dark, dtype=np.int64)]
    else:
        sent, ccls, ph = _clicks_only(n, mus, probs, eta, link.dark_count_prob, rng)
        ck = np.ones(ccls.size, dtype=bool)
        split_k = np.zeros(ccls.size, dtype=bool)
    m = ccls.size
    a_axis = rng.integers(0, 2, size=m)
    a_value = rng.integers(0, 2, size=m)
    b_axis = rng.integers(0, 2, size=m)
    bob = rng.integers(0, 2, size=m).astype(np.int8)  # dark counts: a random bit
    qubit_eve: Any = None
    choice = np.zeros(m, dtype=np.int64)
    if attack in ("intercept-resend", "cloner"):
        # Eve acts on a random fraction of the pulses; only those Bob detects matter.
        hit_k = rng.random(m) < fraction
        if attack == "intercept-resend":
            qubit_eve = InterceptResend(1.0)
            choice = hit_k * rng.integers(1, 3, size=m)  # Eve's basis: Z (1) or X (2)
        else:
            qubit_eve = PhaseCovariantCloner(disturbance)
            choice = hit_k.astype(np.int64)
    elif attack == "pns":
        qubit_eve, choice = _Split(), split_k.astype(np.int64)
    # The qubit layer, one call per Bob basis (the two bases drift independently).
    for basis, e_d in ((0, e_z), (1, e_x)):
        sel = np.flatnonzero((ph | (choice > 0)) & (b_axis == basis))
        if sel.size == 0:
            continue
        out = simulate_rounds(
            [Z_AXIS, X_AXIS],
            a_axis[sel],
            b_axis[sel],
            a_value[sel],
            depolarization=link.depolarization,
            misalignment=e_d,
            eve=qubit_eve,
            eve_axes=[0, 1],
            public_axis=a_axis[sel],
            entangled=False,
            backend="numpy",
            rng=rng,
            choice=choice[sel] if qubit_eve is not None else None,
        )
        bob[sel] = np.where(ph[sel], out.bob_value, bob[sel])
    sifted = ck & (a_axis == b_axis)
    err = a_value != bob
    clicks = np.bincount(ccls[ck], minlength=3).astype(float)
    gains = clicks / np.maximum(sent, 1.0)
    errs = []
    for k in range(3):
        s = sifted & (ccls == k)
        errs.append(float(err[s].mean()) if s.any() else 0.5)
    sig = sifted & (ccls == 0)
    qz = float(err[sig & (a_axis == 0)].mean()) if (sig & (a_axis == 0)).any() else 0.5
    qx = float(err[sig & (a_axis == 1)].mean()) if (sig & (a_axis == 1)).any() else 0.5
    mu, nu = float(mus[0]), float(mus[1])
    q_mu, q_nu, y0 = (float(g) for g in gains)

    def dev(x: float, count: float) -> float:
        return n_sigma * float(np.sqrt(max(x, 0.0) / max(count, 1.0)))

    y1, e1 = vacuum_weak_bounds(
        q_mu + dev(q_mu, sent[0]),
        max(q_nu - dev(q_nu, sent[1]), 0.0),
        errs[1] * q_nu + dev(errs[1] * q_nu, sent[1]),
        y0 + dev(y0, sent[2]),
        mu,
        nu,
    )
    rate = float(
        max(probs[0] * decoy_rate_from_bounds(q_mu, errs[0], y1, e1, mu, f=link.ec_efficiency), 0)
    )
    n_sig = int(sig.sum())
    # Eve's information on the sifted signal bits, round by round (no estimator bias):
    # a stored photon (PNS, tap) or a measurement in Alice's basis (intercept-resend) gives
    # the bit; a clone gives Fuchs' information I(D); other rounds give nothing.
    if attack == "beam-splitting":
        assert tapped_k is not None
        leak = float(np.sum(tapped_k[sig] >= 1))  # stored photon read in the announced basis
    elif attack == "pns":
        leak = float(np.sum(split_k[sig]))
    elif attack == "intercept-resend":
        leak = float(np.sum(choice[sig] == a_axis[sig] + 1))
    elif attack == "cloner":
        leak = float(np.sum(choice[sig] > 0)) * float(fuchs_information(disturbance))
    else:
        leak = 0.0
    feats = np.array(
        [
            errs[0],
            qz,
            qx,
            q_mu,
            q_nu,
            y0,
            errs[1],
            q_nu / q_mu if q_mu > 0 else 0.0,
            n_sig / n,
            float(y1),
            float(e1),
            rate,
        ]
    )
    return feats, leak, n_sig


def qkd_telemetry(
    n_windows: int,
    *,
    window_pulses: int = 1_000_000,
    link: LinkModel | None = None,
    attack: str | None = None,
    attack_start: int | None = None,
    fraction: float = 0.05,
    disturbance: float = _OPTIMAL_CLONER,
    drift: LinkDrift | None = None,
    intensities: tuple[float, float] = (0.48, 0.05),
    probabilities: tuple[float, float, float] = (0.8, 0.1, 0.1),
    n_sigma: float = 3.0,
    repetition_rate_hz: float = 1e9,
    seed: SeedLike = None,
) -> QKDTelemetry:
    """Simulate ``n_windows`` monitoring windows of a decoy-BB84 link, optionally attacked.

    Args:
        n_windows: number of windows (>= 1).
        window_pulses: pulses per window (>= 10⁴).
        link: the nominal :class:`~qnetlab.qkd.LinkModel` (default ``GYS.with_length(25)``).
        attack: None or one of :data:`ATTACKS`.
        attack_start: first attacked window (default ``n_windows // 2`` when ``attack``).
        fraction: attacked fraction of the pulses (in (0, 1]); for ``"beam-splitting"`` the
            tap ratio.
        disturbance: the cloner's QBER D on the photons it clones (in (0, 0.5]).
        drift: a :class:`LinkDrift` (default ``LinkDrift()``); ``LinkDrift.none()`` for a
            stationary link.
        intensities: (μ, ν) with 0 < ν < μ; the third intensity is the vacuum.
        probabilities: how often signal, decoy and vacuum are sent (positive, sum 1).
        n_sigma: fluctuation margin of the decoy bounds (as in ``run_decoy_bb84``).
        repetition_rate_hz: pulse rate, for the window times.
        seed: int, Generator or None.

    >>> tel = qkd_telemetry(3, window_pulses=100_000, attack="pns", attack_start=1, seed=2)
    >>> tel.labels.tolist(), tel.attack
    ([0, 1, 1], 'pns')
    >>> qkd_telemetry(3, attack="laser")
    Traceback (most recent call last):
    ...
    ValueError: attack must be None or one of 'intercept-resend', 'cloner', 'pns', 'beam-splitting'; got 'laser'
    """
    nw = check_integer(n_windows, "n_windows", minimum=1)
    npulse = check_integer(window_pulses, "window_pulses", minimum=10_000)
    link = GYS.with_length(25.0) if link is None else link
    if not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    if attack is not None and attack not in ATTACKS:
        allowed = ", ".join(repr(a) for a in ATTACKS)
        raise ValueError(f"attack must be None or one of {allowed}; got {attack!r}")
    frac = check_probability(fraction, "fraction")
    if attack is not None and frac == 0:
        raise ValueError("fraction must be in (0, 1] when an attack is set, got 0")
    dist = check_in_range(disturbance, "disturbance", 0.0, 0.5)
    if attack is None:
        if attack_start is not None:
            raise ValueError("attack_start needs an attack")
        start = None
    else:
        start = nw // 2 if attack_start is None else attack_start
        start = check_integer(start, "attack_start", minimum=0, maximum=nw - 1)
    drift = LinkDrift() if drift is None else drift
    if not isinstance(drift, LinkDrift):
        raise TypeError(f"drift must be a LinkDrift or None, got {type(drift).__name__}")
    if len(intensities) != 2 or len(probabilities) != 3:
        raise ValueError("intensities must hold (mu, nu) and probabilities three values")
    mu = check_positive(intensities[0], "intensities[0]")
    nu = check_positive(intensities[1], "intensities[1]")
    if not nu < mu:
        raise ValueError(f"intensities must satisfy 0 < nu < mu, got mu={mu}, nu={nu}")
    probs = np.array(
        [check_probability(x, f"probabilities[{i}]") for i, x in enumerate(probabilities)]
    )
    if abs(probs.sum() - 1.0) > 1e-9 or np.any(probs == 0):
        raise ValueError(f"probabilities must be positive and sum to 1, got {tuple(probabilities)}")
    u = check_non_negative(n_sigma, "n_sigma")
    rate_hz = check_positive(repetition_rate_hz, "repetition_rate_hz")
    rng = make_rng(seed)
    paths = drift.sample(nw, rng)
    e_z = np.clip(link.misalignment + drift.misalignment * paths[:, 0], 0.0, 0.5)
    e_x = np.clip(link.misalignment + drift.misalignment * paths[:, 1], 0.0, 0.5)
    extra_db = drift.loss_db * paths[:, 2]
    eff = np.clip(link.detector_efficiency * (1.0 + drift.efficiency * paths[:, 3]), 1e-6, 1.0)
    base_db = link.attenuation_db_per_km * link.length_km
    mus = np.array([mu, nu, 0.0])
    feats = np.empty((nw, len(FEATURE_NAMES)))
    leak = np.zeros(nw)
    nsig = np.zeros(nw, dtype=np.int64)
    labels = np.zeros(nw, dtype=np.int64)
    loss = np.maximum(base_db + extra_db, 0.0)
    for t in range(nw):
        on = start is not None and t >= start
        # The drifting fibre: same length, total loss base_db + extra_db.
        alpha = loss[t] / link.length_km if link.length_km > 0 else 0.0
        lk = link.replace(attenuation_db_per_km=alpha, detector_efficiency=float(eff[t]))
        feats[t], leak[t], nsig[t] = _window(
            lk,
            float(e_z[t]),
            float(e_x[t]),
            npulse,
            mus,
            probs,
            attack if on else None,
            frac,
            dist,
            u,
            rng,
        )
        labels[t] = int(on)
    return QKDTelemetry(
        feats,
        FEATURE_NAMES,
        labels,
        np.arange(nw) * npulse / rate_hz,
        leak,
        nsig,
        e_z,
        e_x,
        loss,
        attack,
        frac if attack is not None else 0.0,
        start,
        npulse,
    )


def window_features(
    data: Any, context: int = 0, columns: Sequence[str] | None = None
) -> np.ndarray:
    """Design matrix of a detector: per-window features, plus trailing means if ``context``.

    ``data`` is a :class:`QKDTelemetry` (or a (n_windows, n_features) array in time order) or
    a sequence of them (each run gets its own trailing means, then they are stacked). With
    ``context = L > 0`` the mean of every feature over the last L windows (the current one
    included; fewer at the start of a run) is appended: slow drift hardly moves it, the
    statistical noise of one window averages down by √L. ``columns`` selects features
    (names from :data:`FEATURE_NAMES`; default all).

    >>> tel = qkd_telemetry(3, window_pulses=50_000, seed=0)
    >>> window_features(tel).shape, window_features([tel, tel], context=2).shape
    ((3, 12), (6, 24))
    >>> window_features(tel, 4, columns=("qber_z", "qber_x")).shape
    (3, 4)
    """
    ctx = check_integer(context, "context", minimum=0)
    if columns is not None:
        for c in columns:
            check_choice(c, "columns", FEATURE_NAMES)
    if isinstance(data, QKDTelemetry | np.ndarray):
        x = _features(data)
        if columns is not None:
            x = x[:, [FEATURE_NAMES.index(c) for c in columns]]
        if ctx == 0:
            return x.copy()
        c = np.cumsum(np.vstack([np.zeros((1, x.shape[1])), x]), axis=0)
        hi = np.arange(1, x.shape[0] + 1)
        lo = np.maximum(hi - ctx, 0)
        return np.hstack([x, (c[hi] - c[lo]) / (hi - lo)[:, None]])
    parts = list(data) if isinstance(data, Sequence) and not isinstance(data, str | bytes) else []
    if not parts or not all(isinstance(p, QKDTelemetry | np.ndarray) for p in parts):
        raise TypeError(
            "data must be a QKDTelemetry, a feature array or a non-empty sequence of them, "
            f"got {type(data).__name__}"
        )
    return np.vstack([window_features(p, ctx, columns) for p in parts])


def _labels(data: Any) -> np.ndarray:
    if isinstance(data, QKDTelemetry):
        return data.labels
    if isinstance(data, Sequence) and data and all(isinstance(p, QKDTelemetry) for p in data):
        return np.concatenate([p.labels for p in data])
    raise TypeError("runs must be a QKDTelemetry or a non-empty sequence of QKDTelemetry")


def _features(data: Any) -> np.ndarray:
    x = data.features if isinstance(data, QKDTelemetry) else np.asarray(data, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(FEATURE_NAMES):
        raise ValueError(
            f"features must have shape (n_windows, {len(FEATURE_NAMES)}), got {x.shape}"
        )
    return x


_QBER = FEATURE_NAMES.index("qber")


class QBERThreshold:
    """The QKD protocol's own test: score = signal QBER of the window.

    ``alarm`` applies the abort threshold (Shor–Preskill 11 % by default); as a detector
    at a fixed false-alarm rate the threshold is instead calibrated on normal windows.

    >>> tel = qkd_telemetry(3, window_pulses=100_000, seed=0)
    >>> QBERThreshold().alarm(tel).tolist()
    [False, False, False]
    """

    name = "QBER threshold"

    def __init__(self, threshold: float = THRESHOLDS["bb84"]) -> None:
        self.threshold = check_in_range(threshold, "threshold", 0.0, 0.5)

    def fit(self, normal: Any) -> QBERThreshold:
        """Nothing to learn (kept for a uniform interface)."""
        window_features(normal)
        return self

    def score(self, data: Any) -> np.ndarray:
        """The QBER of every window."""
        return _features(data)[:, _QBER].copy()

    def alarm(self, data: Any) -> np.ndarray:
        """Abort decision per window: QBER above the threshold."""
        return self.score(data) > self.threshold


class CUSUMDetector:
    """Page's (1954) one-sided CUSUM on the window QBER.

    With the normal mean m and standard deviation s of the QBER (from training windows),
    S_t = max(0, S_{t−1} + (x_t − m)/s − k); the score is S_t. ``k`` is the reference
    value (half the shift, in standard deviations, the chart is tuned for).

    >>> det = CUSUMDetector(k=0.5).fit(np.tile([[0.03] * 12, [0.04] * 12], (5, 1)))
    >>> det.score(np.full((3, 12), 0.10)).round(1).tolist()
    [11.8, 23.7, 35.5]
    """

    name = "CUSUM"

    def __init__(self, k: float = 0.5, column: str = "qber") -> None:
        self.k = check_non_negative(k, "k")
        check_choice(column, "column", FEATURE_NAMES)
        self.column = FEATURE_NAMES.index(column)
        self.mean: float | None = None
        self.std: float | None = None

    def fit(self, normal: Any) -> CUSUMDetector:
        """Estimate the in-control mean and standard deviation from normal windows."""
        x = window_features(normal)[:, self.column]
        if x.size < 2:
            raise ValueError("normal must hold at least 2 windows")
        self.mean, self.std = float(np.mean(x)), float(np.std(x, ddof=1)) or 1e-12
        return self

    def score(self, data: Any) -> np.ndarray:
        """CUSUM statistic along the windows (in time order)."""
        if self.mean is None or self.std is None:
            raise ValueError("CUSUMDetector must be fitted before scoring")
        z = (_features(data)[:, self.column] - self.mean) / self.std - self.k
        s = np.empty_like(z)
        acc = 0.0
        for i, v in enumerate(z):
            acc = max(0.0, acc + v)
            s[i] = acc
        return s


class IsolationForestDetector:
    """Unsupervised: an Isolation Forest (Liu et al. 2008) trained on normal windows only.

    The score is the negated scikit-learn ``score_samples`` (higher = more anomalous) on
    :func:`window_features` with ``context`` trailing windows.

    >>> tel = qkd_telemetry(20, window_pulses=50_000, seed=0)
    >>> IsolationForestDetector(seed=0).fit(tel).score(tel).shape
    (20,)
    """

    name = "Isolation Forest"

    def __init__(
        self,
        n_estimators: int = 300,
        *,
        context: int = 10,
        columns: Sequence[str] = DETECTOR_FEATURES,
        seed: SeedLike = None,
    ) -> None:
        self.n_estimators = check_integer(n_estimators, "n_estimators", minimum=1)
        self.context = check_integer(context, "context", minimum=0)
        self.columns = tuple(check_choice(c, "columns", FEATURE_NAMES) for c in columns)
        self._rng = make_rng(seed)
        self.model: Any = None

    def fit(self, normal: Any) -> IsolationForestDetector:
        """Train on normal windows (a QKDTelemetry or a sequence of them)."""
        from sklearn.ensemble import IsolationForest

        x = window_features(normal, self.context, self.columns)
        self.model = IsolationForest(
            n_estimators=self.n_estimators,
            random_state=int(self._rng.integers(2**31 - 1)),
        ).fit(x)
        return self

    def score(self, data: Any) -> np.ndarray:
        """Anomaly score per window."""
        if self.model is None:
            raise ValueError("IsolationForestDetector must be fitted before scoring")
        return -self.model.score_samples(window_features(data, self.context, self.columns))


class SupervisedDetector:
    """Supervised: a random forest (Breiman 2001) trained on labelled telemetry runs.

    The score is the forest's probability of "attack" on :func:`window_features` of the
    ``columns`` with ``context`` trailing windows.

    >>> a = qkd_telemetry(20, window_pulses=50_000, attack="intercept-resend",
    ...                   fraction=0.5, attack_start=10, seed=0)
    >>> det = SupervisedDetector(seed=0).fit([a])
    >>> float(det.score(a)[-1]) > 0.5
    True
    """

    name = "Random forest"

    def __init__(
        self,
        n_estimators: int = 300,
        min_samples_leaf: int = 3,
        *,
        context: int = 5,
        columns: Sequence[str] = DETECTOR_FEATURES,
        seed: SeedLike = None,
    ) -> None:
        self.n_estimators = check_integer(n_estimators, "n_estimators", minimum=1)
        self.min_samples_leaf = check_integer(min_samples_leaf, "min_samples_leaf", minimum=1)
        self.context = check_integer(context, "context", minimum=0)
        self.columns = tuple(check_choice(c, "columns", FEATURE_NAMES) for c in columns)
        self._rng = make_rng(seed)
        self.model: Any = None

    def fit(self, runs: Any) -> SupervisedDetector:
        """Train on labelled telemetry runs (a QKDTelemetry or a sequence; both classes present)."""
        from sklearn.ensemble import RandomForestClassifier

        x = window_features(runs, self.context, self.columns)
        y = _labels(runs)
        if np.unique(y).size < 2:
            raise ValueError("labels must contain both normal (0) and attack (1) windows")
        self.model = RandomForestClassifier(
            n_estimators=self.n_estimators,
            min_samples_leaf=self.min_samples_leaf,
            random_state=int(self._rng.integers(2**31 - 1)),
            n_jobs=1,
        ).fit(x, y)
        return self

    def score(self, data: Any) -> np.ndarray:
        """Probability of attack per window."""
        if self.model is None:
            raise ValueError("SupervisedDetector must be fitted before scoring")
        return self.model.predict_proba(window_features(data, self.context, self.columns))[:, 1]


def detection_at_false_alarm(
    normal_scores: Any, attack_scores: Any, false_alarm: float = 0.01
) -> tuple[float, float]:
    """Detection rate of attacked windows at a threshold giving ``false_alarm`` on normal ones.

    The threshold is the (1 − false_alarm) quantile of ``normal_scores`` (held-out normal
    windows); returns (detection rate, threshold).

    >>> detection_at_false_alarm(np.arange(100.0), [50.0, 99.5, 120.0], 0.01)
    (0.6666666666666666, 98.01)
    """
    fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0)
    try:
        n = np.asarray(normal_scores, dtype=float).ravel()
        a = np.asarray(attack_scores, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError("normal_scores and attack_scores must be sequences of numbers") from None
    if n.size == 0 or a.size == 0:
        raise ValueError("normal_scores and attack_scores must be non-empty")
    thr = float(np.quantile(n, 1.0 - fa))
    return float(np.mean(a > thr)), thr


def detection_delay(scores: Any, threshold: float, attack_start: int) -> int | None:
    """Windows from ``attack_start`` to the first alarm (score > threshold); None if never.

    >>> detection_delay([0, 5, 0, 0, 3, 9], 2.0, 2)
    2
    """
    s = np.asarray(scores, dtype=float)
    start = check_integer(attack_start, "attack_start", minimum=0, maximum=max(s.size - 1, 0))
    hits = np.flatnonzero(s[start:] > threshold)
    return int(hits[0]) if hits.size else None


@dataclass(frozen=True)
class DetectorEvaluation:
    """A detector on held-out telemetry.

    Attributes: ``detector``; ``auc`` (ROC AUC, attacked vs normal windows);
    ``detection`` (detection rate at ``false_alarm`` on held-out normal windows) and the
    ``threshold`` used; ``delays`` (windows to the first alarm per attacked run; None
    when never), ``leaked_bits`` (Eve's information before and including the alarm
    window, per run; all attacked windows if never), ``roc`` = (false-alarm rates,
    detection rates); ``run_detection`` (detection rate per attacked run, at the same
    threshold: the unit for paired comparisons, since windows of one run share its drift).
    """

    detector: str
    auc: float
    detection: float
    false_alarm: float
    threshold: float
    delays: tuple[int | None, ...]
    leaked_bits: tuple[float, ...]
    roc: tuple[np.ndarray, np.ndarray] = field(repr=False)
    run_detection: tuple[float, ...] = field(default=(), repr=False)

    @property
    def mean_delay(self) -> float:
        """Mean delay over runs, counting a miss as the run's length after the start."""
        return float(np.mean([np.inf if d is None else d for d in self.delays]))

    def __repr__(self) -> str:
        return (
            f"DetectorEvaluation({self.detector!r}, auc={self.auc:.3f}, "
            f"detection@{self.false_alarm:g}={self.detection:.3f}, "
            f"delays={list(self.delays)}, leaked_bits={[round(b) for b in self.leaked_bits]})"
        )


def evaluate_detector(
    detector: Any,
    normal: QKDTelemetry | Sequence[QKDTelemetry],
    attacked: Sequence[QKDTelemetry],
    *,
    false_alarm: float = 0.01,
) -> DetectorEvaluation:
    """Score a fitted ``detector`` on held-out ``normal`` runs and ``attacked`` runs.

    The false-alarm threshold comes from the windows of the ``normal`` runs (pool several
    runs: the drift differs from run to run). Per-window metrics pool the attacked windows of all runs; delay and leak are per run
    (each run's own timeline, so CUSUM sees the attack start as it would in service).

    >>> n = qkd_telemetry(30, window_pulses=50_000, seed=1)
    >>> a = qkd_telemetry(10, window_pulses=50_000, attack="intercept-resend",
    ...                   fraction=1.0, attack_start=2, seed=2)
    >>> ev = evaluate_detector(QBERThreshold(), n, [a])
    >>> ev.detection, ev.delays
    (1.0, (0,))
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    normals = [normal] if isinstance(normal, QKDTelemetry) else list(normal)
    if not normals or not all(isinstance(t, QKDTelemetry) and not t.attack for t in normals):
        raise TypeError(
            "normal must be a QKDTelemetry or a sequence of QKDTelemetry without attack"
        )
    attacked = list(attacked)
    if not attacked or not all(isinstance(t, QKDTelemetry) and t.attack for t in attacked):
        raise ValueError("attacked must be a non-empty sequence of attacked QKDTelemetry")
    s_norm = np.concatenate([detector.score(t) for t in normals])
    scores = [np.asarray(detector.score(tel), dtype=float) for tel in attacked]
    pos = [s[tel.labels == 1] for s, tel in zip(scores, attacked)]
    s_pos = np.concatenate(pos)
    det, thr = detection_at_false_alarm(s_norm, s_pos, false_alarm)
    delays, leaks = [], []
    for s, tel in zip(scores, attacked):
        assert tel.attack_start is not None
        d = detection_delay(s, thr, tel.attack_start)
        delays.append(d)
        stop = tel.n_windows if d is None else tel.attack_start + d + 1
        leaks.append(float(tel.leak_bits[tel.attack_start : stop].sum()))
    y = np.r_[np.zeros(s_norm.size), np.ones(s_pos.size)]
    sc = np.r_[s_norm, s_pos]
    fpr, tpr, _ = roc_curve(y, sc)
    return DetectorEvaluation(
        getattr(detector, "name", type(detector).__name__),
        float(roc_auc_score(y, sc)),
        det,
        float(false_alarm),
        thr,
        tuple(delays),
        tuple(leaks),
        (fpr, tpr),
        tuple(float(np.mean(p > thr)) for p in pos),
    )


class _Memo:
    """A fitted detector whose scores are cached per telemetry run (by identity)."""

    def __init__(self, detector: Any) -> None:
        self.detector = detector
        self.name = getattr(detector, "name", type(detector).__name__)
        self._cache: dict[int, tuple[Any, np.ndarray]] = {}

    def score(self, data: Any) -> np.ndarray:
        hit = self._cache.get(id(data))
        if hit is None or hit[0] is not data:
            hit = (data, self.detector.score(data))
            self._cache[id(data)] = hit
        return hit[1]


@dataclass(frozen=True)
class DetectionStudy:
    """The standard experiment of :func:`detection_study`.

    Attributes:
        evaluations: ``{attack: {detector name: DetectorEvaluation}}`` on held-out runs.
        detectors: the fitted detectors (threshold, CUSUM, Isolation Forest, supervised).
        normal_test: the held-out normal runs; ``attacked_test``: ``{attack: runs}``.
        seen_attacks: attacks in the supervised training set (the others are unseen).
        fraction, false_alarm, window_pulses: the settings.
    """

    evaluations: dict[str, dict[str, DetectorEvaluation]] = field(repr=False)
    detectors: tuple[Any, ...] = field(repr=False)
    normal_test: tuple[QKDTelemetry, ...] = field(repr=False)
    attacked_test: dict[str, tuple[QKDTelemetry, ...]] = field(repr=False)
    seen_attacks: tuple[str, ...]
    fraction: float
    false_alarm: float
    window_pulses: int

    def detection(self, attack: str, detector: str) -> float:
        """Detection rate of ``detector`` on ``attack`` at the study's false-alarm rate."""
        check_choice(attack, "attack", tuple(self.evaluations))
        check_choice(detector, "detector", tuple(self.evaluations[attack]))
        return self.evaluations[attack][detector].detection

    def table(self) -> list[dict[str, Any]]:
        """One row per (attack, detector): AUC, detection, mean delay, mean leaked bits."""
        rows = []
        for att, evs in self.evaluations.items():
            for name, ev in evs.items():
                rows.append(
                    {
                        "attack": att,
                        "seen": att in self.seen_attacks,
                        "detector": name,
                        "auc": round(ev.auc, 3),
                        f"detection@{self.false_alarm:g}": round(ev.detection, 3),
                        "mean_delay": ev.mean_delay,
                        "leaked_bits": round(float(np.mean(ev.leaked_bits)), 1),
                    }
                )
        return rows


def detection_study(
    *,
    window_pulses: int = 200_000,
    n_runs: int = 8,
    run_windows: int = 40,
    attack_start: int = 10,
    fraction: float = 0.05,
    attack_fractions: dict[str, float] | None = None,
    seen_attacks: Sequence[str] = ("intercept-resend", "pns"),
    train_fractions: Sequence[float] = (0.02, 0.04, 0.06, 0.1),
    test_runs: int = 3,
    false_alarm: float = 0.01,
    link: LinkModel | None = None,
    drift: LinkDrift | None = None,
    n_estimators: int = 300,
    seed: SeedLike = None,
) -> DetectionStudy:
    """Train the four detectors and evaluate them on held-out runs of every attack.

    Training: ``n_runs`` normal runs of ``run_windows`` windows (threshold, CUSUM and
    Isolation Forest learn from these only); the supervised detector also sees one run
    per (seen attack, training fraction). Test: ``n_runs`` fresh normal runs set the
    false-alarm threshold; ``test_runs`` runs per attack in :data:`ATTACKS`, attacked
    from window ``attack_start`` on a ``fraction`` of the pulses (``attack_fractions``
    overrides it per attack). Attacks outside ``seen_attacks`` are unseen by the
    supervised detector. ``n_estimators`` trees in each forest.

    >>> st = detection_study(window_pulses=50_000, n_runs=2, run_windows=12, attack_start=4,
    ...                      fraction=0.5, train_fractions=(0.5,), test_runs=1, seed=3)
    >>> st.detection("intercept-resend", "QBER threshold") > 0.5
    True
    """
    npulse = check_integer(window_pulses, "window_pulses", minimum=10_000)
    nr = check_integer(n_runs, "n_runs", minimum=1)
    nw = check_integer(run_windows, "run_windows", minimum=4)
    start = check_integer(attack_start, "attack_start", minimum=1, maximum=nw - 1)
    nt = check_integer(test_runs, "test_runs", minimum=1)
    frac = check_probability(fraction, "fraction")
    fractions = {a: frac for a in ATTACKS}
    for a, f in (attack_fractions or {}).items():
        check_choice(a, "attack_fractions key", ATTACKS)
        fractions[a] = check_probability(f, f"attack_fractions[{a!r}]")
    seen = tuple(check_choice(a, "seen_attacks", ATTACKS) for a in seen_attacks)
    if not seen:
        raise ValueError("seen_attacks must name at least one attack")
    trees = check_integer(n_estimators, "n_estimators", minimum=1)
    tf = [check_probability(f, "train_fractions") for f in train_fractions]
    if not tf:
        raise ValueError("train_fractions must hold at least one fraction")
    rng = make_rng(seed)

    def run(attack: str | None = None, f: float = 0.0) -> QKDTelemetry:
        return qkd_telemetry(
            nw,
            window_pulses=npulse,
            link=link,
            attack=attack,
            attack_start=start if attack else None,
            fraction=f if attack else 0.05,
            drift=drift,
            seed=rng,
        )

    train_normal = [run() for _ in range(nr)]
    train_attacked = [run(a, f) for a in seen for f in tf]
    test_normal = tuple(run() for _ in range(nr))
    test_attacked = {a: tuple(run(a, fractions[a]) for _ in range(nt)) for a in ATTACKS}
    detectors = (
        QBERThreshold().fit(train_normal),
        CUSUMDetector().fit(train_normal),
        IsolationForestDetector(trees, seed=rng).fit(train_normal),
        SupervisedDetector(trees, seed=rng).fit(train_normal + train_attacked),
    )
    memo = [_Memo(d) for d in detectors]  # score every held-out run once per detector
    evaluations = {
        a: {d.name: evaluate_detector(d, test_normal, runs, false_alarm=false_alarm) for d in memo}
        for a, runs in test_attacked.items()
    }
    return DetectionStudy(
        evaluations,
        detectors,
        test_normal,
        test_attacked,
        seen,
        frac,
        float(false_alarm),
        npulse,
    )
