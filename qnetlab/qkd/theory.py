"""Key-rate theory: entropies, protocol key rates and the limits of point-to-point QKD.

- Shor–Preskill (PRL 85, 441, 2000): BB84 keeps r = 1 − 2 h(e) secret bits per sifted bit
  with one-way post-processing, zero above e ≈ 11.0 %.
- Six-state, one-way (Lo, QIC 1, 81, 2001): r = 1 + (1 − 3e/2) log₂(1 − 3e/2) + (3e/2)
  log₂(e/2), zero above e ≈ 12.6 %.
- GLLP (Gottesman, Lo, Lütkenhaus, Preskill 2004) for weak coherent pulses, and the
  decoy-state rates of Lo, Ma, Chen (PRL 94, 230504, 2005; infinite decoys) and Ma, Qi,
  Zhao, Lo (PRA 72, 012326, 2005; vacuum + weak decoy, with statistical fluctuations),
  with error-correction inefficiency f and basis-sifting factor q.

- The repeaterless PLOB and TGW bounds live in :mod:`qnetlab.qkd.bounds`, the secret
  fractions per sifted bit (entropies, Shor–Preskill, six-state, BBM92 with Werner pairs)
  in :mod:`qnetlab.qkd.secret_fractions`; both are re-exported here.
- Every link-level rate takes the distance from ``distance_km`` or, when it is omitted,
  from ``link.length_km``; a link of non-zero length and a different ``distance_km`` raise.

Functions accept a scalar (and return a float) or an array (and return an array).

>>> round(binary_entropy(0.11), 4)
0.4999
>>> round(tgw_bound(0.5) / plob_bound(0.5), 6)
1.584963
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_choice,
    check_in_range,
    check_non_negative,
    check_positive,
    check_probability,
)
from ..channels import fiber_transmissivity
from .bounds import (
    DEFAULT_ATTENUATION_DB_PER_KM,
    _link,
    _link_distances,
    _out,
    _probabilities,
    plob_bound,
    repeaterless_bound,
    tgw_bound,
)
from .link import GYS, LinkModel
from .secret_fractions import (
    bbm92_werner_rate,
    binary_entropy,
    shor_preskill_rate,
    six_state_privacy_cost,
    six_state_rate,
)

__all__ = [
    "DEFAULT_ATTENUATION_DB_PER_KM",
    "bbm92_werner_rate",
    "binary_entropy",
    "decoy_bb84_key_rate",
    "decoy_rate_from_bounds",
    "decoy_vacuum_weak_key_rate",
    "entangled_key_rate",
    "finite_decoy_key_rate",
    "gllp_key_rate",
    "maximum_distance",
    "plob_bound",
    "repeaterless_bound",
    "shor_preskill_rate",
    "single_photon_key_rate",
    "six_state_privacy_cost",
    "six_state_rate",
    "tgw_bound",
    "vacuum_weak_bounds",
]


#: Largest mean photon number accepted for a weak coherent pulse (e^mu stays finite).
MAX_MEAN_PHOTON_NUMBER = 100.0
#: Largest number of standard deviations for finite-size fluctuations.
MAX_N_SIGMA = 100.0


def _mean_photon(value: Any, name: str) -> float:
    return check_in_range(value, name, 0.0, MAX_MEAN_PHOTON_NUMBER, low_inclusive=False)


# --- Weak coherent pulses and decoy states -------------------------------------------------


def _eta(link: Any, d: np.ndarray) -> np.ndarray:
    return link.detector_efficiency * fiber_transmissivity(d, link.attenuation_db_per_km)


def _check_q(q: float) -> float:
    return check_in_range(q, "q", 0.0, 1.0, low_inclusive=False)


def _wcp(link: Any, eta: np.ndarray, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Gain Q_μ and QBER E_μ of coherent pulses at transmittance η (arrays)."""
    y0, e_sig = link.dark_count_prob, link.signal_error
    click = -np.expm1(-eta * mu)
    q = y0 + click
    e = np.where(q > 0, (0.5 * y0 + e_sig * click) / np.where(q > 0, q, 1.0), 0.5)
    return q, e


def decoy_bb84_key_rate(
    distance_km: Any = None, mu: float = 0.48, *, link: LinkModel = GYS, q: float = 0.5
) -> Any:
    """Decoy-state BB84 key rate with infinitely many decoys (GLLP), bits per pulse.

    Lo, Ma, Chen PRL 94, 230504 (2005): the GLLP rate with the single-photon yield and
    error known exactly (the infinite-decoy limit):

    R = q { −Q_μ f h(E_μ) + Q₁ [1 − h(e₁)] },  Q₁ = Y₁ μ e^(−μ),  Y₁ = Y₀ + η,
    e₁ = (Y₀/2 + e_sig η) / Y₁,

    with η = η_Bob 10^(−αL/10). Negative values are clipped to 0. With the GYS preset the
    rate reaches zero near 142 km, the maximum distance Lo–Ma–Chen report.

    Parameters
    ----------
    distance_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    mu : float, optional
        Signal mean photon number, in (0, 100].
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    q : float, optional
        Basis-sifting factor in (0, 1] (1/2 for BB84).

    Returns
    -------
    float or numpy.ndarray
        Secret bits per pulse (per trigger), >= 0, shaped like ``distance_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> rate = decoy_bb84_key_rate(50.0)
    >>> 1e-4 < rate < 1e-3
    True
    >>> decoy_bb84_key_rate(160.0)
    0.0
    """
    link = _link(link)
    mu = _mean_photon(mu, "mu")
    qf = _check_q(q)
    d, scalar = _link_distances(distance_km, link)
    eta = _eta(link, d)
    q_mu, e_mu = _wcp(link, eta, mu)
    y1 = link.dark_count_prob + eta
    e1 = np.where(
        y1 > 0,
        (0.5 * link.dark_count_prob + link.signal_error * eta) / np.where(y1 > 0, y1, 1.0),
        0.5,
    )
    q1 = y1 * mu * np.exp(-mu)
    r = qf * (
        -q_mu * link.ec_efficiency * np.asarray(binary_entropy(e_mu))
        + q1 * (1.0 - np.asarray(binary_entropy(np.clip(e1, 0, 1))))
    )
    return _out(np.clip(r, 0.0, None), scalar)


def gllp_key_rate(
    distance_km: Any = None, mu: float = 0.1, *, link: LinkModel = GYS, q: float = 0.5
) -> Any:
    """BB84 with weak coherent pulses and no decoys (GLLP), bits per pulse.

    Gottesman, Lo, Lütkenhaus, Preskill, QIC 4, 325 (2004): all multi-photon clicks are
    assumed insecure. With Δ = [1 − (1 + μ) e^(−μ)] / Q_μ the fraction of clicks that may
    come from multi-photon pulses (Eve lets them all through),

    R = q Q_μ { (1 − Δ) [1 − h(E_μ / (1 − Δ))] − f h(E_μ) },  clipped at 0.

    Parameters
    ----------
    distance_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    mu : float, optional
        Mean photon number, in (0, 100].
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    q : float, optional
        Basis-sifting factor in (0, 1] (1/2 for BB84).

    Returns
    -------
    float or numpy.ndarray
        Secret bits per pulse (per trigger), >= 0, shaped like ``distance_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> gllp_key_rate(50.0) < decoy_bb84_key_rate(50.0)
    True
    """
    link = _link(link)
    mu = _mean_photon(mu, "mu")
    qf = _check_q(q)
    d, scalar = _link_distances(distance_km, link)
    eta = _eta(link, d)
    q_mu, e_mu = _wcp(link, eta, mu)
    p_multi = -np.expm1(-mu) - mu * np.exp(-mu)
    frac1 = np.clip(1.0 - p_multi / q_mu, 0.0, 1.0)
    e1 = np.clip(np.where(frac1 > 0, e_mu / np.where(frac1 > 0, frac1, 1.0), 0.5), 0.0, 0.5)
    h = np.asarray(binary_entropy(e1))
    r = qf * q_mu * (frac1 * (1.0 - h) - link.ec_efficiency * np.asarray(binary_entropy(e_mu)))
    return _out(np.clip(r, 0.0, None), scalar)


def vacuum_weak_bounds(
    q_mu: Any,
    q_nu: Any,
    en_q_nu: Any,
    y0: Any,
    mu: float,
    nu: float,
    *,
    y0_error: Any = None,
) -> tuple[Any, Any]:
    """Single-photon yield lower bound and error upper bound from vacuum + weak decoys.

    Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005), vacuum + weak decoy protocol:

    Y₁ᴸ = μ / (μν − ν²) [ Q_ν e^ν − Q_μ e^μ ν²/μ² − (μ² − ν²)/μ² Y₀ ],
    e₁ᵁ = (E_ν Q_ν e^ν − Y₀/2) / (Y₁ᴸ ν),

    from the measured signal gain ``q_mu``, decoy gain ``q_nu``, decoy error-gain product
    ``en_q_nu`` = E_ν Q_ν and vacuum yield ``y0`` (all in [0, 1]). Needs 0 < ν < μ.
    Returns (Y₁ᴸ, e₁ᵁ); where Y₁ᴸ ≤ 0 the error bound is 0.5.

    With statistical fluctuations Y₀ enters the two bounds with opposite signs: the
    worst case of Y₁ᴸ needs the *upper* bound on Y₀ (pass it as ``y0``), the worst case of
    e₁ᵁ the *lower* bound Y₀ᴸ (pass it as ``y0_error``; by default ``y0`` is used in both).

    Parameters
    ----------
    q_mu, q_nu : float or array_like of float
        Measured gains of the signal and the weak decoy, in [0, 1].
    en_q_nu : float or array_like of float
        The decoy's error-gain product E_ν Q_ν, in [0, 1].
    y0 : float or array_like of float
        Vacuum yield Y₀ (its upper bound with fluctuations), in [0, 1].
    mu, nu : float
        Mean photon numbers of signal and decoy, 0 < ν < μ <= 100.
    y0_error : float or array_like of float, optional
        Y₀ used in the error bound (its lower bound with fluctuations); default ``y0``.

    Returns
    -------
    tuple of (float or numpy.ndarray)
        (Y₁ᴸ, e₁ᵁ); floats when every input is a scalar.

    Raises
    ------
    ValueError
        If ``mu`` or ``nu`` is outside (0, 100] or ``nu >= mu``, or a gain or yield is
        not a probability.
    TypeError
        If an input is not a real number.

    Examples
    --------
    >>> from qnetlab.qkd.link import GYS
    >>> link = GYS.with_length(50.0)
    >>> y1, e1 = vacuum_weak_bounds(link.gain(0.48), link.gain(0.05),
    ...     link.gain(0.05) * link.error_rate(0.05), link.dark_count_prob, 0.48, 0.05)
    >>> y1 <= link.dark_count_prob + link.transmissivity
    True
    """

    mu = _mean_photon(mu, "mu")
    nu = _mean_photon(nu, "nu")
    if not nu < mu:
        raise ValueError(f"nu must be smaller than mu (0 < nu < mu), got nu={nu}, mu={mu}")
    qm, qn, eqn, y = (
        _probabilities(v, name)[0]
        for v, name in ((q_mu, "q_mu"), (q_nu, "q_nu"), (en_q_nu, "en_q_nu"), (y0, "y0"))
    )
    y_err = y if y0_error is None else _probabilities(y0_error, "y0_error")[0]
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (qn * np.exp(nu) - qm * np.exp(mu) * nu**2 / mu**2 - (mu**2 - nu**2) / mu**2 * y)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = np.where(
            y1 > 0, (eqn * np.exp(nu) - 0.5 * y_err) / (np.where(y1 > 0, y1, 1.0) * nu), 0.5
        )
    e1 = np.clip(e1, 0.0, 0.5)
    scalar = all(np.ndim(v) == 0 for v in (q_mu, q_nu, en_q_nu, y0, y_err))
    return (float(y1), float(e1)) if scalar else (y1, e1)


def decoy_rate_from_bounds(
    q_mu: Any, e_mu: Any, y1_low: Any, e1_up: Any, mu: float, *, f: float = 1.22, q: float = 0.5
) -> Any:
    """GLLP key rate per pulse from a single-photon yield bound and error bound.

    R = q { −Q_μ f h(E_μ) + Q₁ᴸ [1 − h(e₁ᵁ)] },  Q₁ᴸ = Y₁ᴸ μ e^(−μ); not clipped (a negative
    value means no key).

    Parameters
    ----------
    q_mu, e_mu : float or array_like of float
        The signal's gain Q_μ and error rate E_μ (E_μ is clipped to [0, 0.5]).
    y1_low, e1_up : float or array_like of float
        Single-photon yield lower bound Y₁ᴸ (negative values count as 0) and error upper
        bound e₁ᵁ (clipped to [0, 0.5]), as from :func:`vacuum_weak_bounds`.
    mu : float
        Signal mean photon number, in (0, 100].
    f : float, optional
        Error-correction inefficiency, in [1, 10].
    q : float, optional
        Basis-sifting factor, in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        Key rate per pulse (may be negative).

    Raises
    ------
    ValueError
        If ``mu``, ``f`` or ``q`` is out of its range.
    TypeError
        If ``mu``, ``f`` or ``q`` is not a real number.

    Examples
    --------
    >>> round(decoy_rate_from_bounds(0.01, 0.03, 0.02, 0.03, 0.5), 6)
    0.001257
    """
    qf = _check_q(q)
    mu = _mean_photon(mu, "mu")
    f = check_in_range(f, "f", 1.0, 10.0)
    qm, em, y1, e1 = (np.asarray(v, dtype=float) for v in (q_mu, e_mu, y1_low, e1_up))
    q1 = np.clip(y1, 0.0, None) * mu * np.exp(-mu)
    r = qf * (
        -qm * f * np.asarray(binary_entropy(np.clip(em, 0, 0.5)))
        + q1 * (1.0 - np.asarray(binary_entropy(np.clip(e1, 0, 0.5))))
    )
    return float(r) if np.ndim(r) == 0 else r


def decoy_vacuum_weak_key_rate(
    distance_km: Any = None,
    mu: float = 0.48,
    nu: float = 0.05,
    *,
    link: LinkModel = GYS,
    q: float = 0.5,
) -> Any:
    """Decoy BB84 key rate with one vacuum and one weak decoy (asymptotic), bits per pulse.

    The expected gains and errors of the link are fed into :func:`vacuum_weak_bounds`
    (Ma et al. 2005); as ν → 0 the rate approaches the infinite-decoy rate.

    Parameters
    ----------
    distance_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    mu, nu : float, optional
        Signal and weak-decoy mean photon numbers, 0 < ν < μ <= 100.
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    q : float, optional
        Basis-sifting factor in (0, 1] (1/2 for BB84).

    Returns
    -------
    float or numpy.ndarray
        Secret bits per pulse (per trigger), >= 0, shaped like ``distance_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> r_inf, r_vw = decoy_bb84_key_rate(80.0), decoy_vacuum_weak_key_rate(80.0)
    >>> 0.8 < r_vw / r_inf <= 1.0
    True
    """
    link = _link(link)
    d, scalar = _link_distances(distance_km, link)
    mu = _mean_photon(mu, "mu")
    nu = _mean_photon(nu, "nu")
    if not nu < mu:
        raise ValueError(f"intensities must satisfy 0 < nu < mu, got mu={mu}, nu={nu}")
    eta = _eta(link, d)
    q_mu, e_mu = _wcp(link, eta, mu)
    q_nu, e_nu = _wcp(link, eta, nu)
    y1, e1 = vacuum_weak_bounds(
        q_mu, q_nu, e_nu * q_nu, np.full_like(eta, link.dark_count_prob), mu, nu
    )
    r = decoy_rate_from_bounds(q_mu, e_mu, y1, e1, mu, f=link.ec_efficiency, q=q)
    return _out(np.clip(np.asarray(r, dtype=float), 0.0, None), scalar)


def finite_decoy_key_rate(
    distance_km: float | None,
    mu: float,
    nu: float,
    decoy_fraction: float,
    *,
    n_pulses: float = 1e10,
    n_sigma: float = 5.0,
    link: LinkModel = GYS,
    q: float = 0.5,
) -> float:
    """Vacuum + weak decoy BB84 rate per pulse with statistical fluctuations.

    A fraction ``decoy_fraction`` of the ``n_pulses`` pulses is spent on estimation, half
    as weak decoys ν and half as vacuum; the rest are signals μ and carry the key. The
    measured gains are replaced by their ``n_sigma`` worst-case values as in Ma et al.
    (2005), statistical fluctuations: Q_ν → Q_ν (1 − u/√(N_ν Q_ν)), Q_μ → Q_μ (1 + u/√(N_μ Q_μ)),
    Y₀ → Y₀ (1 ± u/√(N₀ Y₀)) and E_ν Q_ν → E_νQ_ν (1 + u/√(N_ν E_ν Q_ν)). The rate per pulse is
    (1 − decoy_fraction) times the signal rate, clipped at 0. More decoys tighten the
    bounds but leave fewer signals: the trade-off an optimiser tunes.

    Parameters
    ----------
    distance_km : float or None
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    mu, nu : float
        Signal and weak-decoy mean photon numbers (rate 0 unless ν < μ).
    decoy_fraction : float
        Fraction of pulses spent on decoys, in (0, 1).
    n_pulses : float, optional
        Pulses sent, > 0.
    n_sigma : float, optional
        Width of the fluctuation margins, in [0, 100].
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    q : float, optional
        Basis-sifting factor in (0, 1] (1/2 for BB84).

    Returns
    -------
    float
        Secret bits per pulse, >= 0.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> r = finite_decoy_key_rate(50.0, 0.48, 0.05, 0.2, n_pulses=1e10)
    >>> 0 < r < decoy_bb84_key_rate(50.0)
    True
    """
    link = _link(link)
    if distance_km is not None:
        check_non_negative(distance_km, "distance_km")
    d = float(_link_distances(distance_km, link)[0])
    mu = _mean_photon(mu, "mu")
    nu = _mean_photon(nu, "nu")
    fd = check_in_range(
        decoy_fraction, "decoy_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    n = check_positive(n_pulses, "n_pulses")
    u = check_in_range(n_sigma, "n_sigma", 0.0, MAX_N_SIGMA)
    if not nu < mu:
        return 0.0
    eta = _eta(link, np.asarray(d))
    q_mu, e_mu = _wcp(link, eta, mu)
    q_nu, e_nu = _wcp(link, eta, nu)
    y0 = link.dark_count_prob
    n_mu, n_nu, n_0 = (1.0 - fd) * n, fd * n / 2.0, fd * n / 2.0

    def rel(x: float, count: float) -> float:
        return u / np.sqrt(max(count * x, 1e-300))

    q_nu_l = q_nu * (1.0 - rel(q_nu, n_nu))
    q_mu_u = q_mu * (1.0 + rel(q_mu, n_mu))
    y0_u = y0 * (1.0 + rel(y0, n_0)) if y0 > 0 else 0.0
    y0_l = max(y0 * (1.0 - rel(y0, n_0)), 0.0) if y0 > 0 else 0.0
    eq_nu_u = e_nu * q_nu * (1.0 + rel(e_nu * q_nu, n_nu))
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (
            q_nu_l * np.exp(nu)
            - q_mu_u * np.exp(mu) * nu**2 / mu**2
            - (mu**2 - nu**2) / mu**2 * y0_u
        )
    )
    if y1 <= 0:
        return 0.0
    e1 = min((eq_nu_u * np.exp(nu) - 0.5 * y0_l) / (y1 * nu), 0.5)
    r = decoy_rate_from_bounds(q_mu, e_mu, y1, e1, mu, f=link.ec_efficiency, q=q)
    return float(max((1.0 - fd) * r, 0.0))


# --- Single-photon and entangled-photon links (for the protocol selector) ------------------


def single_photon_key_rate(
    distance_km: Any = None,
    *,
    link: LinkModel = GYS,
    protocol: str = "bb84",
    source_efficiency: float = 1.0,
) -> Any:
    """Key rate per trigger of BB84 or six-state with a single-photon source, bits per pulse.

    The source emits one photon with probability ``source_efficiency`` (else nothing).
    Clicks: Q = p_s (Y₀ + η) + (1 − p_s) Y₀; error E = (Y₀/2 + p_s e_sig η)/Q. As in GLLP,
    only the single-photon clicks Q₁ = p_s (Y₀ + η) are credited with secrecy:

    R = q { Q₁ [1 − c(e₁)] − f Q h(E) },

    with c(e) = h(e) for BB84 (q = 1/2) and c(e) = H(λ(e)) − h(e) for the six-state protocol
    (q = 1/3, Lo 2001).

    Parameters
    ----------
    distance_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    protocol : {"bb84", "six_state"}, optional
        The protocol (sifting 1/2 or 1/3, its privacy cost).
    source_efficiency : float, optional
        Probability p_s in [0, 1] that a trigger emits a photon.

    Returns
    -------
    float or numpy.ndarray
        Secret bits per pulse (per trigger), >= 0, shaped like ``distance_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> r_bb84 = single_photon_key_rate(50.0, protocol="bb84", source_efficiency=0.5)
    >>> r_six = single_photon_key_rate(50.0, protocol="six_state", source_efficiency=0.5)
    >>> r_bb84 > r_six > 0
    True
    """
    link = _link(link)
    check_choice(protocol, "protocol", ("bb84", "six_state"))
    ps = check_probability(source_efficiency, "source_efficiency")
    d, scalar = _link_distances(distance_km, link)
    eta = _eta(link, d)
    y0 = link.dark_count_prob
    y1 = y0 + eta
    q1 = ps * y1
    qt = q1 + (1.0 - ps) * y0
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = np.where(y1 > 0, (0.5 * y0 + link.signal_error * eta) / y1, 0.5)
        e_tot = np.where(
            qt > 0, (0.5 * y0 + ps * link.signal_error * eta) / np.where(qt > 0, qt, 1.0), 0.5
        )
    e1 = np.clip(e1, 0.0, 0.5)
    e_tot = np.clip(e_tot, 0.0, 0.5)
    if protocol == "bb84":
        qf, cost = 0.5, np.asarray(binary_entropy(e1))
    else:
        qf, cost = 1.0 / 3.0, np.asarray(six_state_privacy_cost(e1))
    r = qf * (q1 * (1.0 - cost) - link.ec_efficiency * qt * np.asarray(binary_entropy(e_tot)))
    return _out(np.clip(r, 0.0, None), scalar)


def entangled_key_rate(
    distance_km: Any = None, *, link: LinkModel = GYS, source_efficiency: float = 1.0
) -> Any:
    """BBM92 key rate per trigger with a pair source in the middle of the link.

    Each photon crosses half the fibre (transmittance η_h each, detector included). A pair
    is emitted with probability p_s; a coincidence needs a click on both sides:
    Q = p_s (η_h + Y₀)² + (1 − p_s) Y₀², and E = [p_s (e_sig η_h² + (Q_pair − η_h²)/2) +
    (1 − p_s) Y₀²/2] / Q where Q_pair = (η_h + Y₀)², i.e. any coincidence involving a dark count
    is random. The Shor–Preskill rate then gives R = q Q [1 − h(E) − f h(E)], q = 1/2.
    Dark counts matter only in coincidence, which is why the source in the middle reaches
    further than prepare-and-measure BB84 on noisy detectors.

    Parameters
    ----------
    distance_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0. None takes ``link.length_km``; a link whose
        ``length_km`` is > 0 fixes the distance and a different value raises.
    link : LinkModel, optional
        Fibre loss, detector, dark counts, misalignment and f (default :data:`GYS`).
    source_efficiency : float, optional
        Probability p_s in [0, 1] that a trigger emits a pair.

    Returns
    -------
    float or numpy.ndarray
        Secret bits per pulse (per trigger), >= 0, shaped like ``distance_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``distance_km`` disagrees with
        ``link.length_km``.
    TypeError
        If ``link`` is not a LinkModel.

    Examples
    --------
    >>> entangled_key_rate(100.0, source_efficiency=0.5) > 0
    True
    """
    link = _link(link)
    ps = check_probability(source_efficiency, "source_efficiency")
    d, scalar = _link_distances(distance_km, link)
    eta_h = _eta(link, d / 2.0)
    y0 = link.dark_count_prob
    q_pair = (eta_h + y0) ** 2
    qt = ps * q_pair + (1.0 - ps) * y0**2
    err = ps * (link.signal_error * eta_h**2 + 0.5 * (q_pair - eta_h**2)) + (1.0 - ps) * 0.5 * y0**2
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.clip(np.where(qt > 0, err / np.where(qt > 0, qt, 1.0), 0.5), 0.0, 0.5)
    h = np.asarray(binary_entropy(e))
    r = 0.5 * qt * (1.0 - h - link.ec_efficiency * h)
    return _out(np.clip(r, 0.0, None), scalar)


def maximum_distance(rate: Any, *, d_max: float = 500.0, tol: float = 1e-3) -> float:
    """Largest distance (km) at which ``rate(distance_km)`` is still positive (bisection).

    ``rate`` must be positive at 0 km and non-increasing. Returns ``d_max`` when the rate
    is still positive there.

    Parameters
    ----------
    rate : callable
        ``rate(distance_km) -> float``, non-increasing in the distance.
    d_max : float, optional
        Largest distance searched, km (>= 0).
    tol : float, optional
        Width of the final bracket, km (> 0).

    Returns
    -------
    float
        The distance where the rate reaches 0 (0 if it is not positive at 0 km,
        ``d_max`` if it is still positive there).

    Raises
    ------
    TypeError
        If ``rate`` is not callable.
    ValueError
        If ``d_max`` is negative or ``tol`` is not positive.

    Examples
    --------
    >>> round(maximum_distance(lambda d: max(100.0 - d, 0.0)), 2)
    100.0
    """
    if not callable(rate):
        raise TypeError("rate must be callable")
    hi = check_non_negative(d_max, "d_max")
    tol = check_positive(tol, "tol")
    if rate(0.0) <= 0:
        return 0.0
    if rate(hi) > 0:
        return hi
    lo = 0.0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if rate(mid) > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
