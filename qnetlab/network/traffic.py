"""A time-slotted simulator of entanglement requests competing for memory qubits.

Requests ask for an entangled pair between two nodes, with a fidelity threshold and a
deadline; their arrival processes (:class:`~qnetlab.network.arrivals.Traffic`, Poisson or
bursty) are in :mod:`qnetlab.network.arrivals` and importable from here as before. The
:class:`NetworkSimulator` serves the requests on a graph (node attribute
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

>>> import networkx as nx
>>> g = nx.path_graph(3); nx.set_edge_attributes(g, 20.0, "length_km")
>>> nx.set_node_attributes(g, 2, "memory_qubits")
>>> NetworkSimulator(g, [(0, 2)])
NetworkSimulator(nodes=3, pairs=1, memory=6 qubits, slot=0.001 s)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    make_rng,
)
from ..channels import C_FIBER_KM_PER_S
from ..plotting_results import plot_curves
from ..repeaters import double_click_probability, multiplexed_probability
from ..results import ResultMixin
from .arrivals import Traffic as Traffic  # re-exported: defined here before the split
from .arrivals import _check_pairs
from .arrivals import bursty_traffic as bursty_traffic
from .arrivals import mmpp_mean_rate as mmpp_mean_rate
from .arrivals import poisson_traffic as poisson_traffic
from .chain_model import path_fidelity
from .links import DEFAULT_COHERENCE_TIME_S, _missing_attribute, check_graph

__all__ = [
    "NetworkSimulator",
    "QueueView",
    "SimulationResult",
    "link_success_per_slot",
]

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

    Built by :meth:`NetworkSimulator.view`; the per-request arrays have equal length (one
    entry per waiting request, in arrival order).

    Parameters
    ----------
    request : numpy.ndarray of int
        Index of each waiting request in the traffic trace.
    pair_index : numpy.ndarray of int
        Index of its (source, destination) pair in ``NetworkSimulator.pairs``.
    hops : numpy.ndarray of int
        Links on its path, at least 1.
    qubits : numpy.ndarray of int
        Memory qubits it needs: one at each end node, two at each intermediate node.
    age : numpy.ndarray of int
        Slots since its arrival, non-negative.
    slack : numpy.ndarray of int
        Slots until its deadline, at least 1.
    threshold : numpy.ndarray of float
        The fidelity it needs, in [0.25, 1].
    best_fidelity : numpy.ndarray of float
        End-to-end fidelity on its path with fresh pairs, in [0.25, 1].
    success_per_slot : numpy.ndarray of float
        Probability that all its links succeed in one slot, in [0, 1].
    fits : numpy.ndarray of bool
        Whether its qubits are free now.
    free_memory : numpy.ndarray of int
        Free memory qubits per node, in the order of ``NetworkSimulator.nodes``.
    active_per_pair : numpy.ndarray of int
        Admitted, not yet served requests of each pair.
    slot : int
        The current slot, non-negative.

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
    """Outcome of serving a traffic trace (:meth:`NetworkSimulator.run` or ``finish``).

    The properties :attr:`served_fraction`, :attr:`mean_latency_slots` and
    :attr:`mean_fidelity` summarise it.

    Parameters
    ----------
    policy : str
        Name of the allocation policy.
    n_requests : int
        Requests in the trace, non-negative.
    n_served : int
        Requests delivered at their fidelity threshold before their deadline.
    n_expired : int
        Requests whose deadline passed unserved (``n_served + n_expired == n_requests``).
    served : numpy.ndarray of bool
        Per request, True if served.
    latency_slots : numpy.ma.MaskedArray
        Per request, slots from arrival to delivery, at least 1; masked where the request
        was not served (its mean is over served requests).
    fidelity : numpy.ma.MaskedArray
        Per request, delivered end-to-end fidelity in [0.25, 1]; masked where not served.
    served_per_slot : numpy.ndarray of int
        Deliveries in each slot.
    queue_length : numpy.ndarray of int
        Waiting requests at the start of each slot.
    memory_utilisation : numpy.ndarray of float
        Fraction of all memory qubits held in each slot, in [0, 1].

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
        """Fraction of the requests that were served (NaN for an empty trace)."""
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

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Waiting requests and deliveries per time slot; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        slots = np.arange(len(self.queue_length))
        curves = {
            f"{self.policy}: waiting requests": self.queue_length,
            f"{self.policy}: pairs delivered": self.served_per_slot,
        }
        labels = {"xlabel": "time slot", "ylabel": "requests per slot"}
        return plot_curves(curves, x=slots, ax=ax, **labels, **kwargs)


@dataclass
class _Active:
    request: int
    pair: int
    links: list[int]  # link indices along the path
    born: list[int | None] = field(default_factory=list)  # slot each stored pair was made


class NetworkSimulator:
    """Time-slotted simulator of entanglement requests competing for memory qubits.

    Each request pair is routed once, on its shortest path by ``length_km``. Use
    :meth:`run` with a policy, or :meth:`reset` / :meth:`view` / :meth:`admit` /
    :meth:`step` to drive it slot by slot (as
    :class:`qnetlab.network.allocation.AllocationEnv` does).

    Parameters
    ----------
    graph : networkx.Graph
        Simple undirected graph with node ``memory_qubits`` (integer, non-negative) and
        link ``length_km`` (non-negative) on the paths used; link ``fidelity`` and graph
        ``coherence_time_s`` and ``swap_success`` are optional.
    pairs : sequence of (hashable, hashable)
        The request pairs the traffic will use: at least one, each joining two different,
        connected nodes of ``graph``.
    slot_s : float, optional
        Slot duration (s), positive.
    link_fidelity : float, optional
        Fresh elementary-pair fidelity for links without ``fidelity``, in [0.25, 1].
    coherence_time_s : float or None, optional
        Memory coherence time T (s), positive; None takes the graph attribute (default
        0.05 s).
    swap_success : float or None, optional
        Success probability of one swap, in [0, 1]; None takes the graph attribute
        (default 1).
    detector_efficiency : float, optional
        Detector efficiency at each link's midpoint station, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km), non-negative.

    Raises
    ------
    TypeError
        If ``graph`` is not a simple undirected networkx graph, ``pairs`` is not a sequence
        of pairs of hashable nodes, or a number has the wrong type.
    ValueError
        If the graph is empty, a pair names a node not in the graph or two disconnected
        nodes, a node lacks ``memory_qubits`` or a link on a path lacks ``length_km``, or a
        value is outside its range.

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
