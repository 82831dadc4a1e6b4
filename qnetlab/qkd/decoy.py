"""Decoy-state BB84 with weak coherent pulses, and the photon-number-splitting attack.

Alice's laser emits coherent pulses: the photon number of a pulse of intensity μ is
Poisson(μ). Each pulse is a signal (μ), a weak decoy (ν) or a vacuum decoy (0), chosen at
random and announced only after Bob's detections (Hwang 2003; Lo, Ma, Chen 2005). Every
photon of a pulse carries the same BB84 polarisation (one qubit per pulse in the
simulation; on ``backend="cirq"`` a Cirq circuit per detected pulse, as in
:func:`~qnetlab.qkd.bb84.run_bb84`). Each photon survives fibre and detector with
probability η; dark counts click with probability Y₀ and give a random bit. Pulses that
do not click carry no data, so the photon layer counts them per intensity (one multinomial
draw) and only clicking pulses get bits and bases: 10⁸ pulses take a fraction of a second.

From the measured gains Q_μ, Q_ν, Y₀ and the decoy error E_ν, Alice and Bob bound the
single-photon yield and error (vacuum + weak decoy, Ma et al. 2005) and the secret key
rate. A photon-number-splitting Eve who keeps Bob's signal click rate unchanged cannot
also reproduce the decoys' click rates: the single-photon yield bound collapses and no
key is extracted.

**Finite-size regime.** The error bound e₁ᵁ rests on the errors among the sifted weak-decoy
clicks, about N p_ν ν η / 2 bits (N pulses, decoy probability p_ν): with the defaults on
the GYS link that is about 1000 bits per 10⁷ pulses at 25 km and 500 at 40 km, holding a
few tens of errors. With 3σ margins a key needs about 10⁷ pulses at 25 km and 3·10⁷ at
40 km; with 10⁸ pulses a run loses 5-40 % of the asymptotic vacuum + weak rate (the
least at short distance).

>>> from qnetlab.qkd import GYS
>>> r = run_decoy_bb84(20_000_000, link=GYS.with_length(25.0), seed=7)
>>> r.aborted, 0.3 < r.key_rate / r.expected_key_rate < 1.0
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_memory,
    check_non_negative,
    check_positive,
    check_probability,
    make_rng,
)
from ..results import ResultMixin
from ._engine import X_AXIS, Z_AXIS, mutual_information, simulate_rounds
from .attacks import Attack, InterceptResend, PhotonNumberSplitting, PhotonSplit
from .bb84 import BACKENDS
from .link import GYS, LinkModel
from .theory import (
    MAX_MEAN_PHOTON_NUMBER,
    MAX_N_SIGMA,
    decoy_rate_from_bounds,
    decoy_vacuum_weak_key_rate,
    vacuum_weak_bounds,
)

__all__ = ["DecoyBB84Result", "decoy_bounds", "run_decoy_bb84"]


@dataclass(frozen=True)
class DecoyBB84Result(ResultMixin):
    """Result of a decoy-state BB84 run (returned by :func:`run_decoy_bb84`).

    Parameters
    ----------
    backend : str
        ``"numpy"`` or ``"cirq"``.
    n_pulses : int
        Pulses sent, all intensities counted.
    intensities : tuple of float
        Mean photon numbers (signal, decoy, vacuum).
    sent : tuple of int
        Pulses sent per intensity.
    gains : tuple of float
        Clicks per pulse, per intensity.
    errors : tuple of float
        Error rates on sifted bits per intensity (0.5 where nothing was sifted).
    sifted_signal : int
        Sifted signal bits.
    y1_lower : float
        Lower bound on the single-photon yield (vacuum + weak decoy; 0 if negative).
    e1_upper : float
        Upper bound on the single-photon error rate.
    key_rate : float
        Estimated secret key rate in bits per pulse sent.
    expected_key_rate : float
        The rate the honest link would give asymptotically.
    aborted : bool
        True when ``key_rate`` is 0.
    eve_information : float
        Eve's information per sifted signal bit.
    eve : str, default ""
        The attack's name.
    sifted_counts, error_counts : tuple of int
        The counts behind ``errors``, per intensity.

    Examples
    --------
    >>> r = run_decoy_bb84(200_000, link=GYS.with_length(25.0), seed=7)
    >>> sum(r.sent) == r.n_pulses, r.gains[0] > r.gains[1] > r.gains[2]
    (True, True)
    """

    backend: str
    n_pulses: int
    intensities: tuple[float, float, float]
    sent: tuple[int, int, int]
    gains: tuple[float, float, float]
    errors: tuple[float, float, float]
    sifted_signal: int
    y1_lower: float
    e1_upper: float
    key_rate: float
    expected_key_rate: float
    aborted: bool
    eve_information: float
    eve: str = ""
    sifted_counts: tuple[int, int, int] = (0, 0, 0)
    error_counts: tuple[int, int, int] = (0, 0, 0)

    def __repr__(self) -> str:
        g = ", ".join(f"{x:.3g}" for x in self.gains)
        e = ", ".join(f"{x:.3g}" for x in self.errors)
        return (
            f"DecoyBB84Result(backend={self.backend!r}, n_pulses={self.n_pulses}, "
            f"gains=({g}), errors=({e}), y1_lower={self.y1_lower:.3g}, "
            f"e1_upper={self.e1_upper:.3g}, key_rate={self.key_rate:.3g}, "
            f"expected={self.expected_key_rate:.3g}, aborted={self.aborted}, "
            f"eve_information={self.eve_information:.3f})"
        )


def run_decoy_bb84(
    n_pulses: int,
    *,
    link: LinkModel = GYS,
    intensities: tuple[float, float, float] = (0.48, 0.05, 0.0),
    probabilities: tuple[float, float, float] = (0.6, 0.3, 0.1),
    eve: Any = None,
    backend: str = "numpy",
    n_sigma: float = 3.0,
    seed: SeedLike = None,
) -> DecoyBB84Result:
    """Run decoy-state BB84 (signal μ, weak decoy ν, vacuum) over ``link``.

    Parameters
    ----------
    n_pulses : int
        pulses sent (>= 1).
    link : LinkModel, optional
        the :class:`~qnetlab.qkd.link.LinkModel` (default :data:`GYS` at 0 km; use
        ``GYS.with_length(d)``).
    intensities : tuple[float, float, float], optional
        (μ, ν, 0) with 0 < ν < μ; the third must be 0 (vacuum).
    probabilities : tuple[float, float, float], optional
        how often each intensity is sent (sum 1). The default spends 30 %
        of the pulses on the weak decoy, whose error count limits e₁ᵁ (see the module
        docstring on the finite-size regime).
    eve : Any, optional
        None, :class:`~qnetlab.qkd.attacks.PhotonNumberSplitting` or
        :class:`~qnetlab.qkd.attacks.InterceptResend`.
    backend : str, optional
        ``"numpy"`` or ``"cirq"``.
    n_sigma : float, optional
        statistical fluctuations (Ma et al. 2005): every measured rate k/N is
        moved ``n_sigma`` standard deviations to its worst case,
        (k + u²/2 ± u √(k + u²/4))/N with u = ``n_sigma``, which is k/N ± u √k/N for
        many counts and stays a valid bound when k is 0. Q_μ and Y₀ go up for Y₁ᴸ,
        Q_ν goes down, E_ν Q_ν = 2 k_err/N_ν goes up (k_err errors among the sifted
        decoy bits; a click is sifted with probability 1/2) and Y₀ goes *down* for e₁ᵁ.
    seed : SeedLike, optional
        int, Generator or None.

    Examples
    --------
    >>> from qnetlab.qkd import PhotonNumberSplitting
    >>> r = run_decoy_bb84(2_000_000, link=GYS.with_length(60.0), eve=PhotonNumberSplitting(), seed=8)
    >>> r.aborted, r.key_rate
    (True, 0.0)
    """
    n = check_integer(n_pulses, "n_pulses", minimum=1)
    check_choice(backend, "backend", BACKENDS)
    if not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    if eve is not None and not isinstance(eve, PhotonNumberSplitting | InterceptResend):
        raise TypeError("eve must be None, PhotonNumberSplitting or InterceptResend")
    if len(intensities) != 3 or len(probabilities) != 3:
        raise ValueError(
            "intensities and probabilities must each hold three values (signal, decoy, vacuum)"
        )
    mu = check_in_range(
        intensities[0], "intensities[0]", 0.0, MAX_MEAN_PHOTON_NUMBER, low_inclusive=False
    )
    nu = check_in_range(
        intensities[1], "intensities[1]", 0.0, MAX_MEAN_PHOTON_NUMBER, low_inclusive=False
    )
    if not nu < mu:
        raise ValueError(f"intensities must satisfy 0 < nu < mu, got mu={mu}, nu={nu}")
    if intensities[2] != 0:
        raise ValueError(f"intensities[2] must be 0 (the vacuum decoy), got {intensities[2]}")
    probs = np.array(
        [check_probability(x, f"probabilities[{i}]") for i, x in enumerate(probabilities)]
    )
    if abs(probs.sum() - 1.0) > 1e-9 or np.any(probs == 0):
        raise ValueError(f"probabilities must be positive and sum to 1, got {tuple(probabilities)}")
    u = check_in_range(n_sigma, "n_sigma", 0.0, MAX_N_SIGMA)
    # about 100 bytes per clicking pulse (bases, values, classes, Cirq-free qubit layer)
    p_click = min(1.0, float(-np.expm1(-link.transmissivity * mu)) + link.dark_count_prob)
    check_memory(
        100.0 * n * max(p_click, 1e-3),
        "n_pulses",
        n,
        hint="split the pulses over several runs (seeds) and add their counts",
    )
    rng = make_rng(seed)
    mus = np.array([mu, nu, 0.0])
    sent_arr = rng.multinomial(n, probs / probs.sum())
    # The photon layer, pulse class by pulse class. A pulse is one of eight kinds: a photon
    # reached Bob's detector (ph), Eve kept a photon of it (split), a dark count (dark).
    # Only pulses that click matter for what Alice and Bob measure, so the kinds are
    # counted with one multinomial draw per class and only clicking pulses get bits and bases.
    cls_l, ph_l, split_l = [], [], []
    for k in range(3):
        p_ph_split, p_ph_only, p_split_only = _photon_kinds(mus[k], mu, link, eve)
        p_nothing = max(1.0 - p_ph_split - p_ph_only - p_split_only, 0.0)
        kinds = np.array([p_nothing, p_ph_only, p_split_only, p_ph_split])  # code ph + 2 split
        y0 = link.dark_count_prob
        p8 = np.concatenate([kinds * (1.0 - y0), kinds * y0])  # + 4 dark
        counts = rng.multinomial(int(sent_arr[k]), p8 / p8.sum())
        counts[[0, 2]] = 0  # neither a photon nor a dark count: no click
        code = np.repeat(np.arange(8), counts)
        cls_l.append(np.full(code.size, k))
        ph_l.append((code & 1).astype(bool))
        split_l.append(((code >> 1) & 1).astype(np.int64))
    cls = np.concatenate(cls_l)
    photon = np.concatenate(ph_l)
    split = np.concatenate(split_l)
    m = cls.size  # clicking pulses
    a_axis = rng.integers(0, 2, size=m)
    a_value = rng.integers(0, 2, size=m)
    b_axis = rng.integers(0, 2, size=m)
    # The qubit layer (Cirq circuits on backend="cirq") for every click with a photon, and
    # for Eve's split-off photon of a pulse that clicked only by a dark count.
    idx = np.flatnonzero(photon | (split == 1))
    qubit_eve: Attack | None
    choice = None
    if isinstance(eve, PhotonNumberSplitting):
        qubit_eve, choice = PhotonSplit(), split[idx]
    else:
        qubit_eve = eve
    out = simulate_rounds(
        [Z_AXIS, X_AXIS],
        a_axis[idx],
        b_axis[idx],
        a_value[idx],
        depolarization=link.depolarization,
        misalignment=link.misalignment,
        eve=qubit_eve,
        eve_axes=[0, 1],
        public_axis=a_axis[idx],
        entangled=False,
        backend=backend,
        rng=rng,
        choice=choice,
    )
    bob = rng.integers(0, 2, size=m).astype(np.int8)  # a dark count gives a random bit
    bob[idx] = np.where(photon[idx], out.bob_value, bob[idx])
    eve_val = np.zeros(m, dtype=np.int64)
    eve_ch = np.zeros(m, dtype=np.int64)
    eve_val[idx] = out.eve_value
    eve_ch[idx] = out.eve_choice
    sifted = a_axis == b_axis
    wrong = a_value != bob
    sent = tuple(int(x) for x in sent_arr)
    clicks = tuple(int(np.sum(cls == k)) for k in range(3))
    n_sift = tuple(int(np.sum(sifted & (cls == k))) for k in range(3))
    n_err = tuple(int(np.sum(sifted & wrong & (cls == k))) for k in range(3))
    gains = tuple(c / max(t, 1) for c, t in zip(clicks, sent))
    errs = tuple(e / s if s else 0.5 for e, s in zip(n_err, n_sift))
    q_mu = gains[0]
    y1, e1 = decoy_bounds(clicks, sent, n_err[1], mu, nu, n_sigma=u)
    r_sig = decoy_rate_from_bounds(q_mu, errs[0], y1, e1, mu, f=link.ec_efficiency, q=0.5)
    key_rate = float(max(probs[0] * r_sig, 0.0))
    expected = float(probs[0] * decoy_vacuum_weak_key_rate(link.length_km, mu, nu, link=link))
    sig_keep = sifted & (cls == 0)
    eve_info = 0.0
    if eve is not None and sig_keep.any():
        eve_info = mutual_information(
            a_value[sig_keep], eve_ch[sig_keep] * 2 + eve_val[sig_keep], a_axis[sig_keep]
        )
    return DecoyBB84Result(
        backend,
        n,
        (mu, nu, 0.0),
        sent,
        gains,
        errs,
        int(sig_keep.sum()),
        float(max(y1, 0.0)),
        float(e1),
        key_rate,
        expected,
        key_rate <= 0.0,
        eve_info,
        "" if eve is None else eve.name,
        n_sift,
        n_err,
    )


def decoy_bounds(
    clicks: ArrayLike,
    sent: ArrayLike,
    decoy_errors: int,
    mu: float,
    nu: float,
    *,
    n_sigma: float = 3.0,
) -> tuple[float, float]:
    """Single-photon yield and error bounds (Y₁ᴸ, e₁ᵁ) from the counts of one run.

    The vacuum + weak decoy estimator of Ma et al. (2005) with statistical fluctuations:
    every measured rate k/N is moved ``n_sigma`` standard deviations to its worst case,
    (k + u²/2 ± u √(k + u²/4))/N. Q_μ and Y₀ go up for Y₁ᴸ, Q_ν goes down;
    E_ν Q_ν = 2 k_err/N_ν goes up (a click is sifted with probability 1/2, the bases being
    independent coin flips) and Y₀ goes *down* for e₁ᵁ (it enters e₁'s numerator with a
    minus sign). The one implementation used by :func:`run_decoy_bb84` and by the
    monitoring windows of :mod:`qnetlab.qkd.telemetry`.

    Parameters
    ----------
    clicks, sent : sequence of three ints
        Clicking pulses and pulses sent per intensity (signal μ, weak decoy ν, vacuum).
    decoy_errors : int
        Errors among the sifted weak-decoy bits.
    mu, nu : float
        Signal and weak-decoy intensities, 0 < ν < μ.
    n_sigma : float, optional
        Width u of the fluctuation margins (0 gives the asymptotic bounds).

    Returns
    -------
    tuple of float
        (Y₁ᴸ, e₁ᵁ); Y₁ᴸ may be negative (no single-photon key).

    Raises
    ------
    ValueError
        If a count is negative, ``n_sigma`` is negative or the intensities are not
        0 < ν < μ.

    Examples
    --------
    >>> y1, e1 = decoy_bounds((48_000, 5_100, 20), (6 * 10**6, 3 * 10**6, 10**6), 150, 0.48, 0.05)
    >>> 0 < y1 < 0.1, 0 < e1 < 0.2
    (True, True)
    """
    u = check_non_negative(n_sigma, "n_sigma")
    clicks_l, sent_l = np.ravel(clicks).tolist(), np.ravel(sent).tolist()
    if len(clicks_l) != 3 or len(sent_l) != 3:
        raise ValueError("clicks and sent must each hold three counts (signal, decoy, vacuum)")
    c = [check_integer(x, "clicks", minimum=0) for x in clicks_l]
    n = [check_integer(x, "sent", minimum=0) for x in sent_l]
    k_err = check_integer(decoy_errors, "decoy_errors", minimum=0)
    mu = check_positive(mu, "mu")
    nu = check_positive(nu, "nu")
    if not nu < mu:
        raise ValueError(f"intensities must satisfy 0 < nu < mu, got mu={mu}, nu={nu}")
    q_mu_u = _upper(c[0], n[0], u)
    q_nu_l = _lower(c[1], n[1], u)
    y0_u = _upper(c[2], n[2], u)
    y0_l = _lower(c[2], n[2], u)
    eq_nu_u = min(2.0 * _upper(k_err, n[1], u), 1.0)
    y1, e1 = vacuum_weak_bounds(q_mu_u, q_nu_l, eq_nu_u, y0_u, mu, nu, y0_error=y0_l)
    return float(y1), float(e1)


def _upper(count: int, total: int, u: float) -> float:
    """``u``-sigma upper bound on a rate from ``count`` events in ``total`` trials.

    (k + u²/2 + u √(k + u²/4)) / N: for many events k/N + u √(k)/N, Ma et al.'s (2005)
    x + u √(x/N); for few events still a bound (u²/N at k = 0, where x + u √(x/N) gives 0).
    """
    if total <= 0:
        return 1.0
    return min((count + u * u / 2 + u * np.sqrt(count + u * u / 4)) / total, 1.0)


def _lower(count: int, total: int, u: float) -> float:
    """``u``-sigma lower bound, (k + u²/2 − u √(k + u²/4)) / N (>= 0); see :func:`_upper`."""
    if total <= 0:
        return 0.0
    return max((count + u * u / 2 - u * np.sqrt(count + u * u / 4)) / total, 0.0)


def _photon_kinds(m: float, mu: float, link: LinkModel, eve: Any) -> tuple[float, float, float]:
    """P(photon at Bob and split), P(photon at Bob only), P(split only) for intensity ``m``.

    Honest fibre: a Poisson(m) pulse thinned by η gives a photon with 1 − e^(−ηm). Under
    photon-number splitting (Eve cannot tell the classes apart, so she forwards as tuned for
    the signal μ) an n-photon pulse, n ≥ 2, is split, forwarded with probability s_m and
    n − 1 photons meet Bob's detector; single photons are forwarded with probability s₁.
    """
    eta, eta_b = link.transmissivity, link.detector_efficiency
    if not isinstance(eve, PhotonNumberSplitting):
        return 0.0, float(-np.expm1(-eta * m)), 0.0
    s1, sm = eve.forwarding(eta, eta_b, mu)
    p1 = m * np.exp(-m)
    p_multi = float(-np.expm1(-m) - p1)
    r = 1.0 - eta_b
    # Σ_{n≥2} P(n) r^(n−1) = e^(−m) (e^(mr) − 1 − mr) / r
    tail = 0.0 if r <= 0 else float(np.exp(-m) * (np.expm1(m * r) - m * r) / r)
    p_split_ph = sm * max(p_multi - tail, 0.0)
    return p_split_ph, float(s1 * eta_b * p1), max(p_multi - p_split_ph, 0.0)
