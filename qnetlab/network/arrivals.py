"""Entanglement-request traffic: who asks for a pair, when, at what fidelity, how long.

Users ask the network for entangled pairs between two nodes. A **request** arrives in a
time slot, names a source and a destination, asks for a minimum end-to-end fidelity (the
application's threshold: about 0.8 for entanglement-based QKD, higher for teleportation
of data) and gives up after a deadline. Two arrival processes:

- :func:`poisson_traffic`: a Poisson number of requests per slot (mean ``rate``);
- :func:`bursty_traffic`: a two-state Markov-modulated Poisson process (MMPP; Fischer &
  Meier-Hellstern 1993). A hidden Markov chain switches between a quiet state and a burst
  state with per-slot probabilities ``p_qb`` and ``p_bq``; in each state arrivals are
  Poisson with that state's rate. The stationary burst probability is
  ``π_b = p_qb / (p_qb + p_bq)`` and the mean rate ``(1 − π_b) λ_q + π_b λ_b``
  (:func:`mmpp_mean_rate`).

Both return a :class:`Traffic` trace, which :class:`qnetlab.network.traffic.NetworkSimulator`
serves slot by slot.

>>> poisson_traffic([(0, 2)], 0.3, 200, seed=1)
Traffic(poisson, requests=...)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_memory,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
)

__all__ = [
    "Traffic",
    "bursty_traffic",
    "mmpp_mean_rate",
    "poisson_traffic",
]


@dataclass(frozen=True, eq=False)
class Traffic:
    """A trace of entanglement requests, sorted by arrival slot.

    Built by :func:`poisson_traffic` or :func:`bursty_traffic` (which check every value);
    served by :class:`qnetlab.network.traffic.NetworkSimulator`. The constructor stores its
    arguments as given; the property :attr:`arrivals_per_slot` counts the requests of each
    slot.

    Parameters
    ----------
    pairs : tuple of (hashable, hashable)
        The (source, destination) node pairs that requests can name.
    arrival : numpy.ndarray of int
        Arrival slot of each request, non-decreasing, in [0, ``n_slots``).
    pair_index : numpy.ndarray of int
        Index into ``pairs`` of each request, in [0, ``len(pairs)``).
    fidelity_threshold : numpy.ndarray of float
        Minimum end-to-end fidelity each request accepts, in [0.25, 1].
    deadline_slots : numpy.ndarray of int
        Slots after arrival at which each request gives up, at least 1.
    n_slots : int
        Length of the trace in slots, at least 1.
    burst_state : numpy.ndarray of int8 or None, optional
        For bursty traffic, 1 in burst slots and 0 in quiet ones (length ``n_slots``);
        None for Poisson traffic.

    Examples
    --------
    >>> t = poisson_traffic([(0, 2)], 0.5, 100, seed=0)
    >>> t.arrivals_per_slot.shape, int(t.arrivals_per_slot.sum()) == len(t)
    ((100,), True)
    """

    pairs: tuple[tuple[Hashable, Hashable], ...]
    arrival: np.ndarray
    pair_index: np.ndarray
    fidelity_threshold: np.ndarray
    deadline_slots: np.ndarray
    n_slots: int
    burst_state: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.arrival.size)

    @property
    def arrivals_per_slot(self) -> np.ndarray:
        """Number of requests arriving in each slot."""
        return np.bincount(self.arrival, minlength=self.n_slots)

    def __repr__(self) -> str:
        kind = "bursty" if self.burst_state is not None else "poisson"
        return (
            f"Traffic({kind}, requests={len(self)}, n_slots={self.n_slots}, "
            f"pairs={len(self.pairs)}, mean_rate={len(self) / self.n_slots:.3g}/slot)"
        )


def _check_pairs(pairs: Any) -> tuple[tuple[Hashable, Hashable], ...]:
    try:
        out = tuple((a, b) for a, b in pairs)
    except (TypeError, ValueError) as exc:
        raise TypeError("pairs must be a sequence of (source, destination) node pairs") from exc
    if not out:
        raise ValueError("pairs must contain at least one (source, destination) pair")
    for a, b in out:
        for node in (a, b):
            if isinstance(node, np.ndarray) or not isinstance(node, Hashable):
                raise TypeError(f"pairs must hold hashable node labels, got {node!r}")
            if isinstance(node, (float, np.floating)) and not np.isfinite(node):
                raise ValueError(f"pairs must hold valid node labels, got {node!r}")
        if a == b:
            raise ValueError(f"pairs must join two different nodes, got ({a!r}, {b!r})")
    return out


def _thresholds(value: float | Sequence[float], n: int, rng: np.random.Generator) -> np.ndarray:
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError("fidelity_threshold must be a number or a (low, high) pair")
        lo = check_in_range(value[0], "fidelity_threshold", 0.25, 1.0)
        hi = check_in_range(value[1], "fidelity_threshold", 0.25, 1.0)
        if hi < lo:
            raise ValueError("fidelity_threshold range must have low <= high")
        return rng.uniform(lo, hi, n)
    return np.full(n, check_in_range(value, "fidelity_threshold", 0.25, 1.0))


def _build_traffic(
    pairs: Any,
    counts: np.ndarray,
    *,
    n_slots: int,
    fidelity_threshold: float | Sequence[float],
    deadline_slots: int,
    pair_weights: Sequence[float] | None,
    rng: np.random.Generator,
    burst_state: np.ndarray | None,
) -> Traffic:
    pairs_t = _check_pairs(pairs)
    deadline = check_integer(deadline_slots, "deadline_slots", minimum=1)
    if pair_weights is None:
        w = np.full(len(pairs_t), 1.0 / len(pairs_t))
    else:
        w = np.asarray(pair_weights, dtype=float)
        if (
            w.shape != (len(pairs_t),)
            or not np.all(np.isfinite(w))
            or np.any(w < 0)
            or w.sum() <= 0
        ):
            raise ValueError(
                f"pair_weights must be {len(pairs_t)} non-negative numbers with a positive sum"
            )
        w = w / w.sum()
    arrival = np.repeat(np.arange(n_slots), counts)
    n = arrival.size
    pair_index = rng.choice(len(pairs_t), size=n, p=w)
    thr = _thresholds(fidelity_threshold, n, rng)
    return Traffic(
        pairs=pairs_t,
        arrival=arrival.astype(np.int64),
        pair_index=pair_index.astype(np.int64),
        fidelity_threshold=thr,
        deadline_slots=np.full(n, deadline, dtype=np.int64),
        n_slots=n_slots,
        burst_state=burst_state,
    )


def poisson_traffic(
    pairs: Sequence[tuple[Hashable, Hashable]],
    rate: float,
    n_slots: int,
    *,
    fidelity_threshold: float | Sequence[float] = 0.8,
    deadline_slots: int = 30,
    pair_weights: Sequence[float] | None = None,
    seed: SeedLike = None,
) -> Traffic:
    """Poisson request arrivals: a Poisson(``rate``) number of requests per slot.

    Each request picks a pair (uniformly or by ``pair_weights``) and a fidelity threshold
    (a number, or drawn uniformly from a ``(low, high)`` range).

    Parameters
    ----------
    pairs : sequence of (hashable, hashable)
        The (source, destination) node pairs that requests can name: at least one, each
        joining two different nodes.
    rate : float
        Mean number of requests per slot, in [0, 1e6].
    n_slots : int
        Length of the trace in slots, in [1, 1e7].
    fidelity_threshold : float or (float, float), optional
        Minimum end-to-end fidelity of every request, in [0.25, 1], or a ``(low, high)``
        range in [0.25, 1] with ``low <= high`` from which each request draws its own
        uniformly.
    deadline_slots : int, optional
        Slots after arrival at which a request gives up, at least 1.
    pair_weights : sequence of float or None, optional
        Relative frequency of each pair (``len(pairs)`` non-negative numbers with a
        positive sum); None picks pairs uniformly.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the arrivals, pairs and thresholds.

    Returns
    -------
    Traffic
        The requests, sorted by arrival slot (``burst_state`` is None).

    Raises
    ------
    TypeError
        If ``pairs`` is not a sequence of pairs of hashable nodes, or a number is not a
        real number (``n_slots``, ``deadline_slots``: an integer).
    ValueError
        If ``pairs`` is empty or a pair joins a node to itself, a value is outside its
        range, or ``rate × n_slots`` requests would not fit in memory.

    Examples
    --------
    >>> t = poisson_traffic([(0, 1), (0, 2)], 2.0, 1000, seed=0)
    >>> round(len(t) / 1000, 1)
    2.0
    """
    r = check_in_range(rate, "rate", 0.0, 1e6)
    n_slots = check_size(
        n_slots, "n_slots", minimum=1, maximum=10**7, hint="simulate several shorter horizons"
    )
    check_memory(64.0 * r * n_slots, "rate", r, hint=f"lower rate or n_slots (={n_slots})")
    rng = make_rng(seed)
    counts = rng.poisson(r, n_slots)
    return _build_traffic(
        pairs,
        counts,
        n_slots=n_slots,
        fidelity_threshold=fidelity_threshold,
        deadline_slots=deadline_slots,
        pair_weights=pair_weights,
        rng=rng,
        burst_state=None,
    )


def mmpp_mean_rate(rates: Sequence[float], switch_probabilities: Sequence[float]) -> float:
    """Mean arrivals per slot of the two-state MMPP of :func:`bursty_traffic`.

    The burst state has stationary probability ``π_b = p_qb / (p_qb + p_bq)``, so the mean
    rate is ``(1 − π_b) λ_quiet + π_b λ_burst`` (Fischer & Meier-Hellstern 1993).

    Parameters
    ----------
    rates : (float, float)
        ``(λ_quiet, λ_burst)``: mean requests per slot in each state, non-negative.
    switch_probabilities : (float, float)
        ``(p_qb, p_bq)``: per-slot probabilities of switching quiet → burst and
        burst → quiet, in [0, 1], not both 0.

    Returns
    -------
    float
        Mean number of requests per slot, non-negative.

    Raises
    ------
    TypeError
        If a value is not a real number.
    ValueError
        If an argument is not a pair, a value is outside its range, or both switch
        probabilities are 0.

    Examples
    --------
    >>> mmpp_mean_rate((0.5, 4.0), (0.02, 0.1))
    1.0833333333333333
    """
    lq, lb = _two(rates, "rates", check_non_negative)
    pqb, pbq = _two(switch_probabilities, "switch_probabilities", check_probability)
    if pqb + pbq == 0:
        raise ValueError("switch_probabilities must not both be 0")
    pi_b = pqb / (pqb + pbq)
    return (1.0 - pi_b) * lq + pi_b * lb


def _two(values: Any, name: str, check: Callable[[Any, str], float]) -> tuple[float, float]:
    try:
        a, b = values
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a pair (quiet, burst)") from exc
    return check(a, name), check(b, name)


def bursty_traffic(
    pairs: Sequence[tuple[Hashable, Hashable]],
    n_slots: int,
    *,
    rates: Sequence[float] = (0.3, 3.0),
    switch_probabilities: Sequence[float] = (0.02, 0.1),
    fidelity_threshold: float | Sequence[float] = 0.8,
    deadline_slots: int = 30,
    pair_weights: Sequence[float] | None = None,
    seed: SeedLike = None,
) -> Traffic:
    """Bursty requests: a two-state Markov-modulated Poisson process.

    A hidden chain starts in its stationary distribution and switches quiet → burst with
    probability ``p_qb`` and burst → quiet with ``p_bq`` per slot; arrivals in a slot are
    Poisson with the current state's rate ``rates = (λ_quiet, λ_burst)``; the mean rate is
    :func:`mmpp_mean_rate`.

    Parameters
    ----------
    pairs : sequence of (hashable, hashable)
        The (source, destination) node pairs that requests can name: at least one, each
        joining two different nodes.
    n_slots : int
        Length of the trace in slots, in [1, 1e7].
    rates : (float, float), optional
        ``(λ_quiet, λ_burst)``: mean requests per slot in each state, non-negative.
    switch_probabilities : (float, float), optional
        ``(p_qb, p_bq)``: per-slot switching probabilities, in [0, 1], not both 0.
    fidelity_threshold : float or (float, float), optional
        Minimum end-to-end fidelity of every request, in [0.25, 1], or a ``(low, high)``
        range in [0.25, 1] with ``low <= high`` from which each request draws its own
        uniformly.
    deadline_slots : int, optional
        Slots after arrival at which a request gives up, at least 1.
    pair_weights : sequence of float or None, optional
        Relative frequency of each pair (``len(pairs)`` non-negative numbers with a
        positive sum); None picks pairs uniformly.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the arrivals, pairs and thresholds.

    Returns
    -------
    Traffic
        The requests, sorted by arrival slot, with the hidden state of each slot in
        ``burst_state``.

    Raises
    ------
    TypeError
        If ``pairs`` is not a sequence of pairs of hashable nodes, or a number is not a
        real number (``n_slots``, ``deadline_slots``: an integer).
    ValueError
        If ``pairs`` is empty or a pair joins a node to itself, ``rates`` or
        ``switch_probabilities`` is not a pair, a value is outside its range, or both
        switch probabilities are 0.

    Examples
    --------
    >>> t = bursty_traffic([(0, 3)], 20000, seed=0)
    >>> round(len(t) / 20000, 1), round(mmpp_mean_rate((0.3, 3.0), (0.02, 0.1)), 2)
    (0.7, 0.75)
    """
    lq, lb = _two(rates, "rates", check_non_negative)
    pqb, pbq = _two(switch_probabilities, "switch_probabilities", check_probability)
    if pqb + pbq == 0:
        raise ValueError("switch_probabilities must not both be 0")
    n_slots = check_size(
        n_slots, "n_slots", minimum=1, maximum=10**7, hint="simulate several shorter horizons"
    )
    rng = make_rng(seed)
    state = np.empty(n_slots, dtype=np.int8)
    s = int(rng.random() < pqb / (pqb + pbq))
    u = rng.random(n_slots)
    for k in range(n_slots):
        state[k] = s
        s = (1 if u[k] < pqb else 0) if s == 0 else (0 if u[k] < pbq else 1)
    counts = rng.poisson(np.where(state == 1, lb, lq))
    return _build_traffic(
        pairs,
        counts,
        n_slots=n_slots,
        fidelity_threshold=fidelity_threshold,
        deadline_slots=deadline_slots,
        pair_weights=pair_weights,
        rng=rng,
        burst_state=state,
    )
