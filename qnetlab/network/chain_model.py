"""The network layer's repeater-chain model: swap as soon as every link holds a pair.

Routing (:mod:`qnetlab.network.routing`), link dynamics (:mod:`qnetlab.network.dynamics`)
and repeater placement (:mod:`qnetlab.network.placement`) all score a chain of n heralded
links the same way, here. Link i has elementary rate r_i (pairs/s) and Werner fidelity F_i;
every link is generated independently (waiting time X_i ~ Exp(r_i)), its pair waits in
memory until the last link is ready, and the repeaters swap at once. The end-to-end pair is
ready after T = max_i X_i, with

$$ \\mathbb E[T] = \\int_0^\\infty \\Big(1 - \\prod_i (1 - e^{-r_i t})\\Big)\\,dt
   = \\sum_{\\emptyset \\ne S} (-1)^{|S|+1} \\frac{1}{\\sum_{i\\in S} r_i}. $$

Link i's pair is stored for E[T] − 1/r_i on average and decays in memory
(:func:`qnetlab.repeaters.memory_fidelity`, coherence time T_c); the n − 1 swaps compose the
Werner fidelities (:func:`qnetlab.repeaters.swap_werner`); the end pair is stored while the
swap outcomes travel the chain (classical time L_total / c_fibre). Every swap succeeds with
probability p_s, and a failure restarts the attempt, so the delivered rate is

$$ R = \\frac{p_s^{\\,n-1}}{\\mathbb E[T] + L_\\text{total}/c}. $$

Memory decay uses the mean storage time (a mean-field approximation). In Werner parameters
w = (4F − 1)/3 the fidelity has a closed form, because a swap multiplies the w's and
depolarising storage multiplies w by e^(−t/T_c):
F_end = 1/4 + 3/4 · Π_i w_i e^(−t_i/T_c) · e^(−t_cc/T_c). :func:`chain_metrics` composes the
package's repeater functions one swap at a time; :func:`chain_metrics_batch` evaluates the
closed form for many chains at once (tested equal). :func:`path_fidelity` composes given
pairs of given ages (the event-driven simulator of :mod:`qnetlab.network.traffic` uses it).

>>> rate, fid = chain_metrics([100.0, 100.0], [0.98, 0.98], 0.0, coherence_time_s=np.inf)
>>> round(rate, 3), round(fid, 6)  # E[max] = 1.5/100 s; F1 F2 + (1-F1)(1-F2)/3
(66.667, 0.960533)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    check_array,
    check_in_range,
    check_non_negative,
    check_positive,
    check_probability,
)
from ..channels import C_FIBER_KM_PER_S
from ..repeaters import memory_fidelity, swap_werner
from .topologies import DEFAULT_COHERENCE_TIME_S

__all__ = [
    "chain_metrics",
    "chain_metrics_batch",
    "expected_max_waiting_time",
    "path_fidelity",
]

#: Most links for which E[max] is summed exactly over all 2ⁿ − 1 subsets.
_EXACT_MAX_LINKS = 12


@functools.lru_cache(maxsize=32)
def _subsets(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Membership matrix (2ⁿ − 1, n) of the non-empty subsets and their signs (−1)^(|S|+1)."""
    idx = np.arange(1, 2**n)
    members = ((idx[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    signs = np.where(members.sum(axis=1) % 2 == 1, 1.0, -1.0)
    return members, signs


def _expected_max(rates: np.ndarray) -> float:
    """E[max_i X_i] of one chain of positive ``rates`` (no validation)."""
    n = rates.size
    if n == 1:
        return float(1.0 / rates[0])
    if n <= _EXACT_MAX_LINKS:
        members, signs = _subsets(n)
        return float(np.sum(signs / (members @ rates)))
    from scipy.integrate import quad

    def survival(t: float) -> float:
        return 1.0 - float(np.prod(-np.expm1(-rates * t)))

    scale = float(np.sum(1.0 / rates))
    val, _ = quad(survival, 0.0, np.inf, limit=200, points=None, epsabs=1e-12 * scale, epsrel=1e-10)
    return float(val)


def _expected_max_rows(rates: np.ndarray) -> np.ndarray:
    """E[max_i X_i] for each row of ``rates`` (m, n); a row with a rate ≤ 0 gives inf."""
    m, n = rates.shape
    bad = np.any(rates <= 0, axis=1)
    if n > _EXACT_MAX_LINKS:  # 2ⁿ subsets would not fit: one integral per row
        out = np.full(m, np.inf)
        for i in np.flatnonzero(~bad):
            out[i] = _expected_max(rates[i])
        return out
    members, signs = _subsets(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sum(signs / (rates @ members.T), axis=1)
    return np.where(bad, np.inf, out)


def expected_max_waiting_time(rates: ArrayLike) -> float:
    """E[max_i X_i] for independent X_i ~ Exp(r_i): the time until every link is ready.

    Exact inclusion–exclusion up to 12 links, numerical integration beyond.

    Parameters
    ----------
    rates : array_like
        Positive, finite link rates r_i (1-D, at least one).

    Returns
    -------
    float
        The expected waiting time, in the inverse unit of ``rates``.

    Raises
    ------
    TypeError
        If ``rates`` is not a sequence of real numbers.
    ValueError
        If ``rates`` is empty, not 1-D, or holds a rate that is not positive and finite.

    Examples
    --------
    >>> round(expected_max_waiting_time([1.0, 1.0]), 6)  # 1 + 1/2 for two unit rates
    1.5
    """
    if isinstance(rates, (str, bytes)):
        raise TypeError(f"rates must be a sequence of link rates, got {type(rates).__name__}")
    try:
        r = np.asarray(rates, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError("rates must be a sequence of real link rates") from exc
    if r.ndim != 1 or r.size == 0:
        raise ValueError("rates must be a non-empty 1-D sequence of link rates")
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ValueError("rates must be positive (> 0) and finite")
    return _expected_max(r)


def _chain(
    rates: np.ndarray, fids: np.ndarray, total_length: float, tc: float, ps: float
) -> tuple[float, float, float, float]:
    """(E[T], classical time, rate, fidelity) of one chain, swap by swap (no validation)."""
    wait = _expected_max(rates)
    t_cc = total_length / C_FIBER_KM_PER_S
    rate = ps ** (rates.size - 1) / (wait + t_cc)
    f = None
    for r_i, f_i in zip(rates, fids):
        kept = memory_fidelity(float(f_i), max(wait - 1.0 / float(r_i), 0.0), tc)
        f = kept if f is None else swap_werner(f, kept)
    fid = float(memory_fidelity(float(f), t_cc, tc))
    return wait, t_cc, float(rate), fid


def _chain_fast(
    rates: np.ndarray, fids: np.ndarray, total_length: float, tc: float, ps: float
) -> tuple[float, float]:
    """(rate, fidelity) of one chain in closed form (no validation; the inner loop of
    routing's branch and bound: the same formula as :func:`_chain_rows`, on one chain)."""
    wait = _expected_max(rates)
    t_cc = total_length / C_FIBER_KM_PER_S
    rate = ps ** (rates.size - 1) / (wait + t_cc)
    stored = np.maximum(wait - 1.0 / rates, 0.0)
    w = np.prod((4.0 * fids - 1.0) / 3.0) * math.exp(-(float(stored.sum()) + t_cc) / tc)
    return float(rate), 0.25 + 0.75 * float(w)


def _chain_rows(
    rates: np.ndarray, fids: np.ndarray, total_length: np.ndarray, tc: float, ps: float
) -> tuple[np.ndarray, np.ndarray]:
    """(rate, fidelity) of each row, closed form (no validation).

    A row with a rate ≤ 0 delivers nothing: rate 0 and fidelity 1/4.
    """
    ok = np.all(rates > 0, axis=1)
    safe = np.where(rates > 0, rates, 1.0)
    wait = _expected_max_rows(safe)
    t_cc = np.asarray(total_length, dtype=float) / C_FIBER_KM_PER_S
    stored = np.maximum(wait[:, None] - 1.0 / safe, 0.0)
    w = (4.0 * fids - 1.0) / 3.0 * np.exp(-stored / tc)
    fid = 0.25 + 0.75 * np.prod(w, axis=1) * np.exp(-t_cc / tc)
    rate = np.where(ok, ps ** (rates.shape[1] - 1) / (wait + t_cc), 0.0)
    return rate, np.where(ok, fid, 0.25)


def _check_chain_physics(coherence_time_s: float, swap_success: float) -> tuple[float, float]:
    tc = (
        math.inf
        if coherence_time_s == math.inf
        else check_positive(coherence_time_s, "coherence_time_s")
    )
    return tc, check_probability(swap_success, "swap_success")


def chain_metrics(
    link_rates: ArrayLike,
    link_fidelities: ArrayLike,
    distance_km: float,
    *,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
    swap_success: float = 1.0,
) -> tuple[float, float]:
    """Rate and fidelity of a swap-asap chain of heralded links (see the module docstring).

    Composes :func:`qnetlab.repeaters.memory_fidelity` and
    :func:`qnetlab.repeaters.swap_werner` one link at a time.

    Parameters
    ----------
    link_rates : array_like
        Elementary rate r_i of each link (pairs/s), positive and finite.
    link_fidelities : array_like
        Werner fidelity F_i of each link's fresh pair, in [1/4, 1].
    distance_km : float
        End-to-end fibre length (the classical messages cross it once).
    coherence_time_s : float, optional
        Coherence time T_c of a stored pair (``np.inf``: perfect memories).
    swap_success : float, optional
        Success probability p_s of one swap.

    Returns
    -------
    rate : float
        Delivered end-to-end pairs per second, p_s^(n−1) / (E[T] + L/c).
    fidelity : float
        Fidelity of the delivered pair.

    Raises
    ------
    ValueError
        If the link lists differ in length or are empty, or a rate is not positive.

    Examples
    --------
    >>> rate, fid = chain_metrics([100.0, 100.0], [0.98, 0.98], 0.0, coherence_time_s=np.inf)
    >>> round(rate, 3), round(fid, 6)
    (66.667, 0.960533)
    """
    r = check_array(link_rates, "link_rates", ndim=1, low=np.nextafter(0.0, 1.0))
    f = check_array(link_fidelities, "link_fidelities", ndim=1, low=0.25, high=1.0)
    if r.shape != f.shape:
        raise ValueError(
            f"link_rates and link_fidelities must have one length, got {r.size} and {f.size}"
        )
    length = check_non_negative(distance_km, "distance_km")
    tc, ps = _check_chain_physics(coherence_time_s, swap_success)
    _, _, rate, fid = _chain(r, f, length, tc, ps)
    return rate, fid


def chain_metrics_batch(
    link_rates: ArrayLike,
    link_fidelities: ArrayLike,
    distance_km: ArrayLike,
    *,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
    swap_success: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`chain_metrics` for many chains of the same number of links, in closed form.

    Parameters
    ----------
    link_rates : array_like
        Rates, shape (m, n): one chain of n links per row. A row with a rate of 0 (a
        link that cannot be built) delivers nothing.
    link_fidelities : array_like
        Werner fidelities, shape (m, n), in [1/4, 1].
    distance_km : array_like
        End-to-end length of each chain, shape (m,).
    coherence_time_s, swap_success : float, optional
        As in :func:`chain_metrics`.

    Returns
    -------
    rate : numpy.ndarray
        Delivered rate of each chain, shape (m,) (0 for rows with a zero rate).
    fidelity : numpy.ndarray
        Delivered fidelity of each chain, shape (m,) (1/4 for rows with a zero rate).

    Raises
    ------
    ValueError
        If the shapes disagree or a rate is negative or not finite.

    Examples
    --------
    >>> rate, fid = chain_metrics_batch([[100.0, 100.0], [100.0, 0.0]], [[0.98, 0.98]] * 2,
    ...                                 [0.0, 0.0], coherence_time_s=np.inf)
    >>> rate.round(3).tolist(), fid.round(6).tolist()
    ([66.667, 0.0], [0.960533, 0.25])
    """
    r = check_array(link_rates, "link_rates", ndim=2)
    f = check_array(link_fidelities, "link_fidelities", ndim=2)
    length = check_array(distance_km, "distance_km", ndim=1)
    if r.ndim != 2 or r.shape[1] == 0 or r.shape != f.shape or length.shape != r.shape[:1]:
        raise ValueError(
            "link_rates and link_fidelities must have one shape (m, n) and distance_km "
            f"shape (m,); got {r.shape}, {f.shape} and {length.shape}"
        )
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("link_rates must be non-negative (>= 0) and finite")
    if not np.all((f >= 0.25) & (f <= 1.0)):
        raise ValueError("link_fidelities must lie in [0.25, 1]")
    if not np.all(np.isfinite(length)) or np.any(length < 0):
        raise ValueError("distance_km must be non-negative (>= 0) and finite")
    tc, ps = _check_chain_physics(coherence_time_s, swap_success)
    return _chain_rows(r, f, length, tc, ps)


def path_fidelity(link_fidelities: Sequence[float], ages_s: Sequence[float] | None = None,
                  coherence_time_s: float = np.inf) -> float:  # fmt: skip
    """End-to-end Werner fidelity after swapping along a path of stored pairs.

    Each pair first decays for its storage time (``memory_fidelity``), then the pairs are
    swapped left to right (``swap_werner``).

    Parameters
    ----------
    link_fidelities : sequence of float
        Werner fidelity of each link's pair, in [1/4, 1] (at least one).
    ages_s : sequence of float, optional
        Storage time of each pair (s); ``None``: fresh pairs.
    coherence_time_s : float, optional
        Coherence time of a stored pair (s); ``np.inf``: perfect memories.

    Returns
    -------
    float
        Fidelity of the end-to-end pair.

    Raises
    ------
    ValueError
        If ``link_fidelities`` is empty, a fidelity is out of range, or ``ages_s`` has
        another length.

    Examples
    --------
    >>> round(path_fidelity([0.95, 0.95]), 6)  # F1 F2 + (1 - F1)(1 - F2)/3
    0.903333
    """
    fs = [check_in_range(f, "link_fidelities", 0.25, 1.0) for f in link_fidelities]
    if not fs:
        raise ValueError("link_fidelities must not be empty")
    if ages_s is not None:
        if len(ages_s) != len(fs):
            raise ValueError("ages_s must have one storage time per link")
        fs = [memory_fidelity(f, a, coherence_time_s) for f, a in zip(fs, ages_s)]
    out = fs[0]
    for f in fs[1:]:
        out = swap_werner(out, f)
    return float(out)
