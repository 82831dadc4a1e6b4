"""Entanglement-request traffic and a time-slotted network simulator.

Users ask the network for entangled pairs between two nodes. A **request** arrives in a
time slot, names a source and a destination, asks for a minimum end-to-end fidelity (the
application's threshold: about 0.8 for entanglement-based QKD, higher for teleportation
of data) and gives up after a deadline. Two arrival processes:

- :func:`poisson_traffic`: a Poisson number of requests per slot (mean ``rate``);
- :func:`bursty_traffic`: a two-state Markov-modulated Poisson process (MMPP; Fischer &
  Meier-Hellstern 1993). A hidden Markov chain switches between a quiet state and a burst
  state with per-slot probabilities ``p_qb`` and ``p_bq``; in each state arrivals are
  Poisson with that state's rate. The stationary burst probability is
  ``π_b = p_qb / (p_qb + p_bq)`` and the mean rate ``(1 − π_b) λ_q + π_b λ_b``.

The :class:`NetworkSimulator` serves the requests on a graph (node attribute
``memory_qubits``, link attribute ``length_km``, optionally link ``fidelity`` and graph
attributes ``coherence_time_s`` and ``swap_success``, as built by
:mod:`qnetlab.network.topologies`). Each request uses the shortest path by length. In
every slot:

1. new requests join the queue; requests past their deadline leave it and free their
   memory qubits;
2. an allocation policy admits waiting requests: an admitted request holds one memory
   qubit at each end node and two at each intermediate node of its path until it is
   served or expires;
3. every link of an admitted request that has no stored pair makes ``attempts`` heralded
   attempts (as many fibre round trips ``L/c`` as fit in the slot, each with success
   ``p = ½ η_d² 10^(−αL/10)``, :func:`qnetlab.channels.fiber_transmissivity`);
4. stored pairs decay in memory (:func:`qnetlab.repeaters.memory_fidelity`); when every
   link holds a pair, the intermediate nodes swap (:func:`qnetlab.repeaters.swap_werner`,
   success ``swap_success`` each). If the end-to-end fidelity meets the threshold the
   request is served; otherwise the oldest pair is discarded and regenerated.

It reports served requests, latency and fidelity; policies: :mod:`qnetlab.network.allocation`.

>>> poisson_traffic([(0, 2)], 0.3, 200, seed=1)
Traffic(poisson, requests=...)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_memory,
    check_non_negative,
    check_positive,
    check_probability,
    check_size,
    make_rng,
)
from ..channels import C_FIBER_KM_PER_S
from ..repeaters import double_click_probability, multiplexed_probability
from ..results import ResultMixin
from .chain_model import path_fidelity
from .topologies import DEFAULT_COHERENCE_TIME_S, _missing_attribute, check_graph

__all__ = [
    "NetworkSimulator",
    "QueueView",
    "SimulationResult",
    "Traffic",
    "bursty_traffic",
    "link_success_per_slot",
    "mmpp_mean_rate",
    "poisson_traffic",
]

# --- traffic ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Traffic:
    """A trace of entanglement requests, sorted by arrival slot.

    Attributes:
        pairs: the (source, destination) node pairs that requests can name.
        arrival: arrival slot of each request.
        pair_index: index into ``pairs`` of each request.
        fidelity_threshold: minimum end-to-end fidelity each request accepts.
        deadline_slots: slots after arrival at which each request gives up.
        n_slots: length of the trace in slots.
        burst_state: for bursty traffic, 1 in burst slots and 0 in quiet ones (None for
            Poisson traffic).

    Examples
    --------
    >>> poisson_traffic([(0, 2)], 0.5, 100, seed=0).arrivals_per_slot.shape
    (100,)
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

    ``rates = (λ_quiet, λ_burst)``, ``switch_probabilities = (p_qb, p_bq)``; the burst
    state has stationary probability ``π_b = p_qb / (p_qb + p_bq)``.

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
    Poisson with the current state's rate ``rates = (λ_quiet, λ_burst)``.

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


# --- physics helpers -------------------------------------------------------------------


def link_success_per_slot(
    length_km: float,
    slot_s: float,
    *,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 0.9,
    n_modes: int = 1,
) -> float:
    """Probability that a heralded link of ``length_km`` delivers a pair within one slot.

    One attempt (midpoint station, double click: :func:`qnetlab.repeaters.double_click_probability`)
    succeeds with
    ``p = ½ η_d² η(L)`` where ``η(L) = 10^(−αL/10)`` is the transmissivity of the whole
    link (each photon crosses L/2); an attempt takes a round trip ``L/c`` to the station,
    so ``k = max(1, floor(slot_s · c / L))`` attempts fit in a slot, each over ``n_modes``
    modes: ``P = 1 − (1 − p)^(k·m)``.

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative.
    slot_s : float
        Slot duration (s), positive.
    attenuation_db_per_km : float, optional
        Fibre attenuation α (dB/km).
    detector_efficiency : float, optional
        Detector efficiency η_d at the station, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.

    Returns
    -------
    float
        Probability that the link holds a fresh pair at the end of the slot.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(link_success_per_slot(50.0, 1e-3), 4)
    0.1524
    """
    length = check_non_negative(length_km, "length_km")
    slot = check_positive(slot_s, "slot_s")
    m = check_integer(n_modes, "n_modes", minimum=1)
    p = double_click_probability(
        length, detector_efficiency=detector_efficiency, attenuation_db_per_km=attenuation_db_per_km
    )
    k = max(1, math.floor(slot * C_FIBER_KM_PER_S / length)) if length > 0 else 1
    return float(multiplexed_probability(p, k * m))


# --- simulator --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class QueueView:
    """What an allocation policy sees in one slot: the waiting requests and free memory.

    Per waiting request (arrays of equal length, in arrival order): ``request`` (index in
    the traffic trace), ``pair_index``, ``hops``, ``qubits`` (memory qubits it needs),
    ``age`` and ``slack`` (slots since arrival and until the deadline),
    ``threshold``, ``best_fidelity`` (end-to-end fidelity with fresh pairs on its path),
    ``success_per_slot`` (probability that all its links succeed in one slot) and
    ``fits`` (its qubits are free now). Plus ``free_memory`` per node (in the order of
    ``NetworkSimulator.nodes``), ``active_per_pair`` and the current ``slot``.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> sim = NetworkSimulator(metro_ring(4, seed=0), [(0, 2)])
    >>> sim.reset(poisson_traffic([(0, 2)], 1.0, 50, seed=0), seed=0); _ = sim.step()
    >>> len(sim.view()), sim.view().hops.tolist()
    (1, [2])
    """

    request: np.ndarray
    pair_index: np.ndarray
    hops: np.ndarray
    qubits: np.ndarray
    age: np.ndarray
    slack: np.ndarray
    threshold: np.ndarray
    best_fidelity: np.ndarray
    success_per_slot: np.ndarray
    fits: np.ndarray
    free_memory: np.ndarray
    active_per_pair: np.ndarray
    slot: int

    def __len__(self) -> int:
        return int(self.request.size)


@dataclass(frozen=True, eq=False)
class SimulationResult(ResultMixin):
    """Outcome of serving a traffic trace.

    Attributes:
        policy: name of the allocation policy.
        n_requests, n_served, n_expired: counts (expired = deadline passed unserved).
        served: per request, True if served.
        latency_slots: per request, slots from arrival to delivery; a masked array, masked
            where the request was not served (its mean is over served requests).
        fidelity: per request, delivered end-to-end fidelity; masked where not served.
        served_per_slot: deliveries in each slot.
        queue_length: waiting requests at the start of each slot.
        memory_utilisation: fraction of all memory qubits held in each slot.

    Examples
    --------
    >>> from qnetlab.network import GreedyPolicy, metro_ring
    >>> sim = NetworkSimulator(metro_ring(4, seed=0), [(0, 2)])
    >>> res = sim.run(poisson_traffic([(0, 2)], 1.0, 50, seed=0), GreedyPolicy(), seed=0)
    >>> res.n_served <= res.n_requests and int(res.served.sum()) == res.n_served
    True
    """

    policy: str
    n_requests: int
    n_served: int
    n_expired: int
    served: np.ndarray
    latency_slots: np.ma.MaskedArray
    fidelity: np.ma.MaskedArray
    served_per_slot: np.ndarray
    queue_length: np.ndarray
    memory_utilisation: np.ndarray

    @property
    def served_fraction(self) -> float:
        return self.n_served / self.n_requests if self.n_requests else float("nan")

    @property
    def mean_latency_slots(self) -> float:
        """Mean latency of the served requests (NaN when none was served)."""
        return float(self.latency_slots.mean()) if self.n_served else float("nan")

    @property
    def mean_fidelity(self) -> float:
        """Mean delivered fidelity of the served requests (NaN when none was served)."""
        return float(self.fidelity.mean()) if self.n_served else float("nan")

    def __repr__(self) -> str:
        return (
            f"SimulationResult(policy={self.policy!r}, served={self.n_served}/{self.n_requests} "
            f"({self.served_fraction:.1%}), mean_latency={self.mean_latency_slots:.3g} slots, "
            f"mean_fidelity={self.mean_fidelity:.4g})"
        )


@dataclass
class _Active:
    request: int
    pair: int
    links: list[int]  # link indices along the path
    born: list[int | None] = field(default_factory=list)  # slot each stored pair was made


class NetworkSimulator:
    """Time-slotted simulator of entanglement requests competing for memory qubits.

    Args:
        graph: networkx graph with node ``memory_qubits`` and link ``length_km`` (link
            ``fidelity``, graph ``coherence_time_s`` and ``swap_success`` are optional).
        pairs: the request pairs the traffic will use (paths are computed once).
        slot_s: slot duration in seconds.
        link_fidelity: fresh elementary-pair fidelity for links without ``fidelity``.
        coherence_time_s: memory coherence time T (default: graph attribute or 0.05 s).
        swap_success: success probability of one swap (default: graph attribute or 1).
        detector_efficiency, n_modes, attenuation_db_per_km: link physics.

    Use :meth:`run` with a policy, or :meth:`reset`/:meth:`view`/:meth:`step` to drive it
    slot by slot (as :class:`qnetlab.network.allocation.AllocationEnv` does).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(4); nx.set_edge_attributes(g, 25.0, "length_km")
    >>> nx.set_node_attributes(g, 2, "memory_qubits")
    >>> sim = NetworkSimulator(g, [(0, 3), (1, 2)])
    >>> sim.qubits_needed.tolist(), sim.hops.tolist()
    ([[1, 2, 2, 1], [0, 1, 1, 0]], [3, 1])
    """

    def __init__(
        self,
        graph: nx.Graph,
        pairs: Sequence[tuple[Hashable, Hashable]],
        *,
        slot_s: float = 1e-3,
        link_fidelity: float = 0.97,
        coherence_time_s: float | None = None,
        swap_success: float | None = None,
        detector_efficiency: float = 0.9,
        n_modes: int = 1,
        attenuation_db_per_km: float = 0.2,
    ) -> None:
        check_graph(graph)
        self.graph = graph
        self.pairs = _check_pairs(pairs)
        self.slot_s = check_positive(slot_s, "slot_s")
        f_default = check_in_range(link_fidelity, "link_fidelity", 0.25, 1.0)
        tc = (
            graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S)
            if coherence_time_s is None
            else coherence_time_s
        )
        self.coherence_time_s = check_positive(tc, "coherence_time_s")
        ps = graph.graph.get("swap_success", 1.0) if swap_success is None else swap_success
        self.swap_success = check_probability(ps, "swap_success")
        self.nodes = list(graph.nodes)
        node_id = {n: i for i, n in enumerate(self.nodes)}
        mem = []
        for n in self.nodes:
            q = graph.nodes[n].get("memory_qubits")
            if q is None:
                raise ValueError(_missing_attribute(f"node {n!r}", "memory_qubits"))
            mem.append(check_integer(q, f"memory_qubits of node {n!r}", minimum=0))
        self.memory = np.array(mem, dtype=np.int64)
        # links used by the pairs' shortest paths
        self.link_index: dict[tuple[Hashable, Hashable], int] = {}
        link_p, link_f = [], []
        paths = []
        for s, d in self.pairs:
            for x in (s, d):
                if x not in graph:
                    raise ValueError(f"pairs name node {x!r}, which is not in the graph")
            try:
                path = nx.shortest_path(graph, s, d, weight="length_km")
            except nx.NetworkXNoPath as exc:
                raise ValueError(f"nodes {s!r} and {d!r} are not connected") from exc
            links = []
            for u, v in itertools.pairwise(path):
                key = (u, v) if (u, v) in self.link_index else (v, u)
                if key not in self.link_index:
                    attrs = graph.edges[u, v]
                    if "length_km" not in attrs:
                        raise ValueError(_missing_attribute(f"link ({u!r}, {v!r})", "length_km"))
                    length = check_non_negative(attrs["length_km"], "length_km")
                    self.link_index[(u, v)] = len(link_p)
                    key = (u, v)
                    link_p.append(
                        link_success_per_slot(
                            length,
                            self.slot_s,
                            attenuation_db_per_km=attenuation_db_per_km,
                            detector_efficiency=detector_efficiency,
                            n_modes=n_modes,
                        )
                    )
                    link_f.append(
                        check_in_range(attrs.get("fidelity", f_default), "link fidelity", 0.25, 1.0)
                    )
                links.append(self.link_index[key])
            paths.append((path, links))
        self.paths = [p for p, _ in paths]
        self.path_links = [lk for _, lk in paths]
        self.link_p = np.array(link_p)
        self.link_f = np.array(link_f)
        self.hops = np.array([len(lk) for lk in self.path_links], dtype=np.int64)
        need = np.zeros((len(self.pairs), len(self.nodes)), dtype=np.int64)
        for i, path in enumerate(self.paths):
            for j, n in enumerate(path):
                need[i, node_id[n]] = 1 if j in (0, len(path) - 1) else 2
        self.qubits_needed = need
        self.best_fidelity = np.array([path_fidelity(self.link_f[lk]) for lk in self.path_links])
        self.success_per_slot = np.array(
            [float(np.prod(self.link_p[lk])) for lk in self.path_links]
        )
        self.traffic: Traffic | None = None

    def __repr__(self) -> str:
        return (
            f"NetworkSimulator(nodes={len(self.nodes)}, pairs={len(self.pairs)}, "
            f"memory={int(self.memory.sum())} qubits, slot={self.slot_s:g} s)"
        )

    # -- slot-by-slot interface --------------------------------------------------------

    def reset(self, traffic: Traffic, *, seed: SeedLike = None) -> None:
        """Start serving ``traffic`` (its pairs must be this simulator's pairs)."""
        if not isinstance(traffic, Traffic):
            raise TypeError(f"traffic must be a Traffic trace, got {type(traffic).__name__}")
        if tuple(traffic.pairs) != self.pairs:
            raise ValueError("traffic.pairs must equal the simulator's pairs")
        self.traffic = traffic
        self.rng = make_rng(seed)
        self.slot = 0
        self._next = 0
        self.waiting: list[int] = []
        self.active: list[_Active] = []
        self.free = self.memory.copy()
        n = len(traffic)
        self.status = np.zeros(n, dtype=np.int8)  # 0 pending, 1 served, 2 expired
        self.latency = np.full(n, np.nan)
        self.delivered = np.full(n, np.nan)
        self.served_per_slot = np.zeros(traffic.n_slots, dtype=np.int64)
        self.queue_length = np.zeros(traffic.n_slots, dtype=np.int64)
        self.utilisation = np.zeros(traffic.n_slots)
        self.feedback: list[tuple[int, bool, float]] = []
        self._arrive_and_expire()

    @property
    def done(self) -> bool:
        return self.traffic is None or self.slot >= self.traffic.n_slots

    def _arrive_and_expire(self) -> None:
        t = self.traffic
        assert t is not None
        while self._next < len(t) and t.arrival[self._next] <= self.slot:
            self.waiting.append(self._next)
            self._next += 1
        keep = []
        for r in self.waiting:
            if self.slot >= t.arrival[r] + t.deadline_slots[r]:
                self.status[r] = 2
            else:
                keep.append(r)
        self.waiting = keep
        still = []
        for a in self.active:
            if self.slot >= t.arrival[a.request] + t.deadline_slots[a.request]:
                self.status[a.request] = 2
                self.free += self.qubits_needed[a.pair]
                self.feedback.append((a.pair, False, float(t.fidelity_threshold[a.request])))
            else:
                still.append(a)
        self.active = still
        if self.slot < t.n_slots:
            self.queue_length[self.slot] = len(self.waiting)

    def view(self) -> QueueView:
        """The waiting requests and the free memory in the current slot."""
        t = self.traffic
        if t is None:
            raise RuntimeError("call reset(traffic) first")
        w = np.asarray(self.waiting, dtype=np.int64)
        pi = t.pair_index[w]
        fits = np.all(self.qubits_needed[pi] <= self.free, axis=1) if w.size else np.zeros(0, bool)
        active = np.bincount([a.pair for a in self.active], minlength=len(self.pairs))
        return QueueView(
            request=w,
            pair_index=pi,
            hops=self.hops[pi],
            qubits=self.qubits_needed[pi].sum(axis=1),
            age=self.slot - t.arrival[w],
            slack=t.arrival[w] + t.deadline_slots[w] - self.slot,
            threshold=t.fidelity_threshold[w],
            best_fidelity=self.best_fidelity[pi],
            success_per_slot=self.success_per_slot[pi],
            fits=fits,
            free_memory=self.free.copy(),
            active_per_pair=active,
            slot=self.slot,
        )

    def admit(self, requests: Sequence[int]) -> int:
        """Admit waiting requests (trace indices) in order, skipping any that do not fit.

        Returns the number admitted.
        """
        t = self.traffic
        if t is None:
            raise RuntimeError("call reset(traffic) first")
        waiting = set(self.waiting)
        admitted = []
        for r in requests:
            r = int(r)
            if r not in waiting:
                continue
            p = int(t.pair_index[r])
            need = self.qubits_needed[p]
            if np.all(need <= self.free):
                self.free -= need
                self.active.append(_Active(r, p, self.path_links[p], [None] * self.hops[p]))
                admitted.append(r)
                waiting.discard(r)
        if admitted:
            done = set(admitted)
            self.waiting = [r for r in self.waiting if r not in done]
        return len(admitted)

    def step(self) -> int:
        """Run link attempts, swaps and deliveries for this slot, then advance one slot.

        Returns the number of requests served in the slot.
        """
        t = self.traffic
        if t is None:
            raise RuntimeError("call reset(traffic) first")
        if self.done:
            raise RuntimeError("the traffic trace is finished; call reset")
        served = 0
        still = []
        total = max(int(self.memory.sum()), 1)
        self.utilisation[self.slot] = 1.0 - self.free.sum() / total
        for a in self.active:
            for j, link in enumerate(a.links):
                if a.born[j] is None and self.rng.random() < self.link_p[link]:
                    a.born[j] = self.slot
            if all(b is not None for b in a.born):
                n_swaps = len(a.links) - 1
                ok = n_swaps == 0 or self.rng.random() < self.swap_success**n_swaps
                if ok:
                    ages = [(self.slot - b) * self.slot_s for b in a.born]
                    f = path_fidelity(self.link_f[a.links], ages, self.coherence_time_s)
                    if f >= t.fidelity_threshold[a.request]:
                        self.status[a.request] = 1
                        self.latency[a.request] = self.slot + 1 - t.arrival[a.request]
                        self.delivered[a.request] = f
                        self.free += self.qubits_needed[a.pair]
                        self.feedback.append((a.pair, True, float(t.fidelity_threshold[a.request])))
                        served += 1
                        continue
                    oldest = int(np.argmin(a.born))
                    a.born[oldest] = None
                else:
                    a.born = [None] * len(a.links)
            still.append(a)
        self.active = still
        self.served_per_slot[self.slot] = served
        self.slot += 1
        if not self.done:
            self._arrive_and_expire()
        return served

    def finish(self, policy_name: str = "") -> SimulationResult:
        """Close the run: requests still open count as expired. Returns the result."""
        t = self.traffic
        if t is None:
            raise RuntimeError("call reset(traffic) first")
        status = self.status.copy()
        status[status == 0] = 2
        return SimulationResult(
            policy=policy_name,
            n_requests=len(t),
            n_served=int(np.sum(status == 1)),
            n_expired=int(np.sum(status == 2)),
            served=status == 1,
            latency_slots=np.ma.masked_array(self.latency.copy(), mask=status != 1),
            fidelity=np.ma.masked_array(self.delivered.copy(), mask=status != 1),
            served_per_slot=self.served_per_slot.copy(),
            queue_length=self.queue_length.copy(),
            memory_utilisation=self.utilisation.copy(),
        )

    def run(
        self, traffic: Traffic, policy: Any, *, seed: SeedLike = None, progress: bool = False
    ) -> SimulationResult:
        """Serve ``traffic`` under ``policy`` (an allocation policy object) to the end.

        The policy gets ``policy.order(view, rng)`` each slot and, if it has one,
        ``policy.feedback(pair_index, served, threshold)`` for each admitted request that
        was served or expired.
        """
        if not hasattr(policy, "order"):
            raise TypeError("policy must have an order(view, rng) method (an AllocationPolicy)")
        rng = make_rng(seed)
        self.reset(traffic, seed=rng)
        if hasattr(policy, "start"):
            policy.start(self)
        slots = range(traffic.n_slots)
        if progress:
            from tqdm.auto import tqdm

            slots = tqdm(slots, desc=getattr(policy, "name", "policy"))
        for _ in slots:
            self._deliver_feedback(policy)
            if self.waiting:
                self.admit(policy.order(self.view(), rng))
            self.step()
        self._deliver_feedback(policy)
        return self.finish(getattr(policy, "name", type(policy).__name__))

    def _deliver_feedback(self, policy: Any) -> None:
        if self.feedback and hasattr(policy, "feedback"):
            for pair, ok, threshold in self.feedback:
                policy.feedback(pair, ok, threshold)
        self.feedback = []
