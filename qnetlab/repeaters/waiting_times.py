"""Waiting times of repeater chains: closed forms and exact distributions.

The waiting time of a chain is the number of attempt rounds until the end nodes share a
pair. With deterministic swaps it is the maximum of the n geometric link times, whose mean
:func:`expected_waiting_time` gives exactly and :func:`sample_waiting_times` samples; with
probabilistic swaps (success q, both blocks restart on failure), the nested protocol of
Briegel et al. (1998) on 2ⁿ segments has the distribution that
:func:`nested_waiting_time_pmf` computes level by level (Brand, Coopmans and Elkouss
2020) and whose mean is :func:`expected_waiting_time_nested`. The simulators of
:mod:`qnetlab.repeaters.chain` are checked against these formulas.

>>> round(expected_waiting_time(2, 0.5), 6)  # (3 - 2p) / (p (2 - p))
2.666667
>>> t = sample_waiting_times(4, 0.2, 20_000, seed=1)
>>> bool(abs(t.mean() - expected_waiting_time(4, 0.2)) < 0.15)
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_memory,
    make_rng,
)

__all__ = [
    "expected_waiting_time",
    "expected_waiting_time_nested",
    "nested_waiting_time_pmf",
    "sample_waiting_times",
]


# --- Deterministic swaps: maximum of geometric variables -------------------------------


def _check_p(p: Any) -> float:
    return check_in_range(p, "p", 0.0, 1.0, low_inclusive=False)


def expected_waiting_time(n_links: int, p: float) -> float:
    """Exact mean number of attempts until all ``n_links`` links are up.

    Swap-asap with deterministic swaps and perfect memories delivers the end-to-end pair
    when the last link succeeds, so the waiting time is the maximum of ``n_links``
    independent geometric variables of parameter ``p``:

    E[max] = Σ_{k=1}^{n} (−1)^{k+1} C(n, k) / (1 − (1 − p)^k)

    (inclusion–exclusion; e.g. Shchukin et al. 2019 for a = 1). For n > 16 the
    equivalent tail sum Σ_{t≥0} [1 − (1 − (1 − p)^t)^n] is used (no cancellation).

    Parameters
    ----------
    n_links : int
        Number of links, at least 1.
    p : float
        Success probability of one attempt, in (0, 1].

    Returns
    -------
    float
        The mean number of attempts.

    Raises
    ------
    ValueError
        If an argument is out of range or ``p`` is too small for the tail sum.

    Examples
    --------
    >>> expected_waiting_time(1, 0.25)
    4.0
    >>> round(expected_waiting_time(8, 0.01), 4)
    270.9245
    """
    n = check_integer(n_links, "n_links", minimum=1)
    q = _check_p(p)
    if q == 1.0:
        return 1.0
    if n > 16 and (math.log(n) + 40.0) / -math.log1p(-q) > 1e9:
        raise ValueError(
            f"p={q:g} is too small for n_links={n}: the tail sum would need more than 1e9 "
            "terms; use sample_waiting_times for an estimate"
        )
    if n <= 16:
        terms = [
            (-1) ** (k + 1) * math.comb(n, k) / -math.expm1(k * math.log1p(-q))
            for k in range(1, n + 1)
        ]
        return float(math.fsum(terms))
    log_fail = math.log1p(-q)
    total, start, chunk = 0.0, 0, 1 << 20
    while True:
        t = np.arange(start, start + chunk, dtype=float)
        with np.errstate(divide="ignore"):
            tail = -np.expm1(n * np.log1p(-np.exp(t * log_fail)))  # P(max > t)
        total += math.fsum(tail.tolist())
        if tail[-1] < 1e-17:
            return float(total)
        start += chunk


def sample_waiting_times(
    n_links: int, p: float, n_samples: int, *, seed: SeedLike = None
) -> np.ndarray:
    """Monte Carlo of the waiting time (attempts) of :func:`expected_waiting_time`.

    Each sample is the maximum of ``n_links`` geometric draws (numbers of attempts
    until success, ≥ 1).

    Parameters
    ----------
    n_links : int
        Number of links, at least 1.
    p : float
        Success probability of one attempt, in (0, 1].
    n_samples : int
        Number of samples, at least 1.
    seed : int, Generator or None, optional
        Randomness of the draws.

    Returns
    -------
    numpy.ndarray
        Integer waiting times (attempts), shape ``(n_samples,)``.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> sample_waiting_times(3, 1.0, 4, seed=0).tolist()
    [1, 1, 1, 1]
    """
    n = check_integer(n_links, "n_links", minimum=1)
    q = _check_p(p)
    m = check_integer(n_samples, "n_samples", minimum=1)
    check_memory(8.0 * n, "n_links", n)
    check_memory(8.0 * m, "n_samples", m, hint="draw the samples in several calls")
    rng = make_rng(seed)
    out = np.empty(m, dtype=np.int64)
    step = max(1, 4_000_000 // n)
    for start in range(0, m, step):
        stop = min(m, start + step)
        out[start:stop] = rng.geometric(q, size=(stop - start, n)).max(axis=1)
    return out


# --- Probabilistic swaps: exact distribution of the nested protocol ---------------------


def nested_waiting_time_pmf(
    n_segments: int, p: float, swap_probability: float = 1.0, *, tail: float = 1e-13
) -> np.ndarray:
    """Exact distribution of the waiting time (attempts) of the nested protocol.

    Perfect memories, no cut-off, no message delays. ``pmf[t]`` is P(T = t). Built
    level by level from the probability generating function of the recursion
    T_k = Σ_{j≤N} max(T_{k−1}, T'_{k−1}), N ~ Geometric(q):
    G_k(z) = q G_M(z) / (1 − (1 − q) G_M(z)) (the approach of Shchukin et al. 2019),
    evaluated with FFTs on a grid long enough that the neglected tail is below ``tail``.

    Parameters
    ----------
    n_segments : int
        Segments, a power of 2.
    p : float
        Success probability of one link attempt, in (0, 1].
    swap_probability : float, optional
        Success probability q of one swap, in (0, 1].
    tail : float, optional
        Probability mass the grid may leave out, in (0, 1e-3].

    Returns
    -------
    numpy.ndarray
        ``pmf[t]`` = P(T = t) for t = 0, 1, ….

    Raises
    ------
    ValueError
        If an argument is out of range or the grid would not fit in memory.

    Examples
    --------
    >>> pmf = nested_waiting_time_pmf(2, 0.5, 1.0)
    >>> round(float(np.dot(np.arange(pmf.size), pmf)), 6)
    2.666667
    """
    n_seg = check_integer(n_segments, "n_segments", minimum=1, maximum=2**20)
    check_in_range(tail, "tail", 0.0, 1e-3, low_inclusive=False)
    levels = n_seg.bit_length() - 1
    if 2**levels != n_seg:
        raise ValueError(f"n_segments must be a power of 2 for the nested protocol, got {n_seg}")
    q = _check_p(p)
    a = check_in_range(swap_probability, "swap_probability", 0.0, 1.0, low_inclusive=False)
    # Grid size from a generous estimate of the mean and the geometric tails.
    mean = 1.0 / q
    for _ in range(levels):
        mean = (1.5 * mean + 1.0) / a
    decay_scale = max(mean, 1.0 / q)
    if not decay_scale < 1e8:
        raise ValueError(
            f"p={q:g} and swap_probability={a:g} give a mean waiting time of about "
            f"{decay_scale:.3g} attempts: the exact distribution's grid would not fit in "
            "memory; use simulate_chain for an estimate"
        )
    size = 1 << math.ceil(math.log2(decay_scale * (math.log(1 / tail) + 8) + 16))
    check_memory(48.0 * size, "p", q, hint="the waiting-time grid grows as 1/p; raise p")
    t = np.arange(size)
    pmf = np.zeros(size)
    pmf[1:] = q * (1.0 - q) ** (t[1:] - 1)
    for _ in range(levels):
        cdf = np.cumsum(pmf)
        m_pmf = np.diff(np.concatenate([[0.0], cdf**2]))  # max of two independent copies
        f_m = np.fft.rfft(m_pmf)
        g = a * f_m / (1.0 - (1.0 - a) * f_m)
        pmf = np.clip(np.fft.irfft(g, n=size), 0.0, None)
    return pmf


def expected_waiting_time_nested(n_segments: int, p: float, swap_probability: float = 1.0) -> float:
    """Exact mean waiting time (attempts) of the nested protocol with swap probability q.

    For two segments this is (3 − 2p)/(q p (2 − p)) (Shchukin et al. 2019); for q = 1 it
    equals :func:`expected_waiting_time` with ``n_links = n_segments``.

    Parameters
    ----------
    n_segments : int
        Segments, a power of 2.
    p : float
        Success probability of one link attempt, in (0, 1].
    swap_probability : float, optional
        Success probability q of one swap, in (0, 1].

    Returns
    -------
    float
        The mean waiting time (attempts).

    Raises
    ------
    ValueError
        As :func:`nested_waiting_time_pmf`.

    Examples
    --------
    >>> round(expected_waiting_time_nested(2, 0.1, 0.5), 4)
    29.4737
    """
    pmf = nested_waiting_time_pmf(n_segments, p, swap_probability)
    return float(np.dot(np.arange(pmf.size), pmf))
