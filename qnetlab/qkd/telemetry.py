"""Monitoring telemetry of a QKD link: drifting windows of decoy BB84, optionally attacked.

A QKD link is monitored in *windows* of ``window_pulses`` pulses of decoy-state BB84
(signal μ, weak decoy ν, vacuum) over fibre. Every window is a real simulation with the
photon layer of :func:`qnetlab.qkd.run_decoy_bb84` (Poisson pulses, fibre and detector
loss, dark counts) and the qubit layer of :mod:`qnetlab.qkd` (NumPy backend: exact
density-matrix outcome tables per round type). Per window the monitoring system records
what a real one has: the signal QBER in the Z and the X basis separately, the gains and
errors of signal, decoy and vacuum pulses, the decoy/signal gain ratio, the sifted-key
rate and the decoy bounds Y₁ᴸ, e₁ᵁ (Ma et al. 2005, :func:`~qnetlab.qkd.decoy.decoy_bounds`).

Normal operation drifts (Ornstein–Uhlenbeck processes over windows, :class:`LinkDrift`):
misalignment in each basis (timing jitter in Z, interferometer phase in X), fibre loss
(temperature) and detector efficiency. Attacks (:data:`ATTACKS`) act on a ``fraction``
of the pulses from ``attack_start`` on:

- ``"intercept_resend"`` — :class:`~qnetlab.qkd.InterceptResend` on a fraction f of the
  detected photons: QBER e₀ + f(1 − 2e₀)/4, Eve learns f/2 per sifted bit;
- ``"cloner"`` — :class:`~qnetlab.qkd.PhaseCovariantCloner` at disturbance D on a
  fraction f: QBER e₀ + fD(1 − 2e₀), Fuchs information on the cloned bits;
- ``"pns"`` — :class:`~qnetlab.qkd.PhotonNumberSplitting` on a fraction f of the pulses
  (:class:`~qnetlab.qkd.PhotonSplit` at the qubit level):
  no QBER change, signal gain kept, decoy gains fall;
- ``"beam_splitting"`` — a fibre tap that diverts a fraction f of the photons (an extra
  loss of −10 log₁₀(1 − f) dB): no QBER change, Eve keeps the tapped photons of
  multi-photon pulses (with a quantum memory she reads them in the announced basis).

The detectors that read this telemetry live in :mod:`qnetlab.ai.anomaly`.

>>> tel = qkd_telemetry(4, window_pulses=200_000, attack="intercept_resend",
...                     attack_start=2, fraction=0.5, seed=1)
>>> tel.features.shape, tel.labels.tolist()
((4, 12), [0, 0, 1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_positive,
    check_probability,
    check_size,
    make_rng,
    summary_block,
)
from ._engine import X_AXIS, Z_AXIS, simulate_rounds
from .attacks import (
    InterceptResend,
    PhaseCovariantCloner,
    PhotonNumberSplitting,
    PhotonSplit,
    fuchs_information,
)
from .decoy import decoy_bounds
from .link import GYS, LinkModel
from .theory import decoy_rate_from_bounds

__all__ = ["ATTACKS", "FEATURE_NAMES", "LinkDrift", "QKDTelemetry", "qkd_telemetry"]

#: Attacks that :func:`qkd_telemetry` can switch on.
ATTACKS: tuple[str, ...] = ("intercept_resend", "cloner", "pns", "beam_splitting")

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

_OPTIMAL_CLONER = 0.5 - 0.5 / np.sqrt(2.0)


@dataclass(frozen=True)
class LinkDrift:
    """Benign drift of a QKD link between windows (unit-variance Ornstein–Uhlenbeck processes).

    Parameters
    ----------
    misalignment : float, default 0.003
        standard deviation of the misalignment wander in each basis (Z and X
        drift independently: timing jitter vs interferometer phase), absolute.
    loss_db : float, default 0.2
        standard deviation of the total fibre-loss wander (dB; temperature).
    efficiency : float, default 0.03
        relative standard deviation of Bob's detector efficiency.
    correlation_windows : float, default 20.0
        correlation time of the processes, in windows.

    Examples
    --------
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

        Examples
        --------
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
    """Windowed telemetry of a monitored QKD link (built by :func:`qkd_telemetry`).

    Parameters
    ----------
    features
        (n_windows, n_features) matrix; columns named by ``feature_names``.
    feature_names
        :data:`FEATURE_NAMES`.
    labels
        1 for windows under attack, else 0.
    times
        start time of each window in seconds (at ``repetition_rate_hz``).
    leak_bits
        Eve's information on the window's sifted signal bits (bits, before
        privacy amplification), counted round by round: 1 bit per sifted signal bit
        whose photon Eve stored (PNS, tap) or measured in Alice's basis
        (intercept-resend), Fuchs' information per cloned bit (cloner).
    sifted_signal
        sifted signal bits of each window.
    misalignment_z, misalignment_x, loss_db
        the true drifting link parameters.
    attack, fraction, attack_start
        the attack (``None`` if none).
    window_pulses
        pulses per window.

    Examples
    --------
    >>> tel = qkd_telemetry(3, window_pulses=100_000, attack="pns", attack_start=1, seed=2)
    >>> tel.n_windows, tel.labels.tolist(), tel.attack
    (3, [0, 1, 1], 'pns')
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

        Examples
        --------
        >>> tel = qkd_telemetry(2, window_pulses=100_000, seed=0)
        >>> tel.column("qber").shape
        (2,)
        """
        check_choice(name, "name", self.feature_names)
        return self.features[:, self.feature_names.index(name)]

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every field.

        >>> qkd_telemetry(4, window_pulses=100_000, attack="pns", fraction=0.5, seed=0)
        QKDTelemetry(n_windows=4, attack='pns', attack_start=2, mean_qber=0.0...)
        """
        q = float(np.mean(self.column("qber")))
        return (
            f"QKDTelemetry(n_windows={self.n_windows}, attack={self.attack!r}, "
            f"attack_start={self.attack_start}, mean_qber={q:.4f})"
        )

    def summary(self) -> str:
        """Every field, one per line (arrays by their mean or total).

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> tel = qkd_telemetry(4, window_pulses=100_000, attack="pns", fraction=0.5, seed=0)
        >>> print(tel.summary())
        QKDTelemetry
          n_windows             4
          window_pulses         100000
          attack                'pns'
          fraction              0.5
          attack_start          2
          windows_under_attack  2
          mean_qber             0.0...
          total_leak_bits       ...
          mean_loss_db          ...
          n_features            ...
        """
        return summary_block(
            "QKDTelemetry",
            [
                ("n_windows", self.n_windows),
                ("window_pulses", self.window_pulses),
                ("attack", self.attack),
                ("fraction", self.fraction),
                ("attack_start", self.attack_start),
                ("windows_under_attack", int(np.sum(self.labels))),
                ("mean_qber", float(np.mean(self.column("qber")))),
                ("total_leak_bits", float(np.sum(self.leak_bits))),
                ("total_sifted_signal", float(np.sum(self.sifted_signal))),
                ("mean_misalignment_z", float(np.mean(self.misalignment_z))),
                ("mean_misalignment_x", float(np.mean(self.misalignment_x))),
                ("mean_loss_db", float(np.mean(self.loss_db))),
                ("n_features", len(self.feature_names)),
            ],
        )


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
    *,
    e_z: float,
    e_x: float,
    n_pulses: int,
    mus: np.ndarray,
    probs: np.ndarray,
    attack: str | None,
    fraction: float,
    disturbance: float,
    n_sigma: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, float, int]:
    """One telemetry window: features, Eve's information (bits), sifted signal bits."""
    n = n_pulses
    eta, eta_bob = link.transmissivity, link.detector_efficiency
    tapped_k = None
    if attack in ("pns", "beam_splitting"):
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
    if attack in ("intercept_resend", "cloner"):
        # Eve acts on a random fraction of the pulses; only those Bob detects matter.
        hit_k = rng.random(m) < fraction
        if attack == "intercept_resend":
            qubit_eve = InterceptResend(1.0)
            choice = hit_k * rng.integers(1, 3, size=m)  # Eve's basis: Z (1) or X (2)
        else:
            qubit_eve = PhaseCovariantCloner(disturbance)
            choice = hit_k.astype(np.int64)
    elif attack == "pns":
        qubit_eve, choice = PhotonSplit(), split_k.astype(np.int64)
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
    y1, e1 = decoy_bounds(
        clicks.astype(np.int64),
        sent.astype(np.int64),
        int(np.sum(err[sifted & (ccls == 1)])),
        mu,
        nu,
        n_sigma=n_sigma,
    )
    rate = float(
        max(probs[0] * decoy_rate_from_bounds(q_mu, errs[0], y1, e1, mu, f=link.ec_efficiency), 0)
    )
    n_sig = int(sig.sum())
    # Eve's information on the sifted signal bits, round by round (no estimator bias):
    # a stored photon (PNS, tap) or a measurement in Alice's basis (intercept-resend) gives
    # the bit; a clone gives Fuchs' information I(D); other rounds give nothing.
    if attack == "beam_splitting":
        assert tapped_k is not None
        leak = float(np.sum(tapped_k[sig] >= 1))  # stored photon read in the announced basis
    elif attack == "pns":
        leak = float(np.sum(split_k[sig]))
    elif attack == "intercept_resend":
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

    Parameters
    ----------
    n_windows : int
        number of windows (>= 1).
    window_pulses : int, optional
        pulses per window (>= 10⁴).
    link : LinkModel | None, optional
        the nominal :class:`~qnetlab.qkd.LinkModel` (default ``GYS.with_length(25)``).
    attack : str | None, optional
        None or one of :data:`ATTACKS`.
    attack_start : int | None, optional
        first attacked window (default ``n_windows // 2`` when ``attack``).
    fraction : float, optional
        attacked fraction of the pulses (in (0, 1]); for ``"beam_splitting"`` the
        tap ratio.
    disturbance : float, optional
        the cloner's QBER D on the photons it clones (in (0, 0.5]).
    drift : LinkDrift | None, optional
        a :class:`LinkDrift` (default ``LinkDrift()``); ``LinkDrift.none()`` for a
        stationary link.
    intensities : tuple[float, float], optional
        (μ, ν) with 0 < ν < μ; the third intensity is the vacuum.
    probabilities : tuple[float, float, float], optional
        how often signal, decoy and vacuum are sent (positive, sum 1).
    n_sigma : float, optional
        fluctuation margin of the decoy bounds (as in ``run_decoy_bb84``).
    repetition_rate_hz : float, optional
        pulse rate, for the window times.
    seed : SeedLike, optional
        int, Generator or None.

    Examples
    --------
    >>> tel = qkd_telemetry(3, window_pulses=100_000, attack="pns", attack_start=1, seed=2)
    >>> tel.labels.tolist(), tel.attack
    ([0, 1, 1], 'pns')
    >>> qkd_telemetry(3, attack="laser")
    Traceback (most recent call last):
    ...
    ValueError: attack must be None or one of 'intercept_resend', 'cloner', 'pns', 'beam_splitting'; got 'laser'
    """
    nw = check_size(
        n_windows, "n_windows", minimum=1, maximum=10**6, hint="split the work over several calls"
    )
    npulse = check_size(
        window_pulses,
        "window_pulses",
        minimum=10_000,
        maximum=10**10,
        hint="use fewer pulses per window",
    )
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
    u = check_in_range(n_sigma, "n_sigma", 0.0, 50.0)
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
            e_z=float(e_z[t]),
            e_x=float(e_x[t]),
            n_pulses=npulse,
            mus=mus,
            probs=probs,
            attack=attack if on else None,
            fraction=frac,
            disturbance=dist,
            n_sigma=u,
            rng=rng,
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
