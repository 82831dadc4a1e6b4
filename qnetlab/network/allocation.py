"""Dynamic allocation of memory qubits to entanglement requests: policies and a gym env.

When requests arrive faster than the network's quantum memories can serve them, someone
must decide which waiting request gets memory qubits now. Every policy here answers that
question slot by slot for :class:`qnetlab.network.traffic.NetworkSimulator`:

- :class:`GreedyPolicy`: first come, first served; admit every request that fits.
- :class:`StaticPolicy`: a fixed partition of every node's memory among the request pairs
  that use it (each pair gets a quota of concurrent requests, like TDMA slots).
- :class:`EarliestDeadlinePolicy` and :class:`ShortestFirstPolicy`: classic priority rules.
- :class:`ModelBasedPolicy`: knows the physics (fresh-pair fidelity of each path, per-slot
  success) and admits only requests its model says can meet their threshold. A reference:
  it needs a calibrated model of the network that a real controller may not have.
- :class:`BanditPolicy`: learns online, without a model, which request classes are worth
  memory: each class (node pair, optionally × fidelity-threshold band) is an arm of a
  bandit (:mod:`qnetlab.ai.bandits`); admitting a request pulls its arm and the reward is 1
  if it is served before its deadline. Requests are ranked by ``score / qubits`` and
  admitted only if their class's score reaches ``admission_threshold``
  (after Qureshi & Tekin 2019's fast online learning for dynamic resource allocation).

:class:`AllocationEnv` exposes the same decision as a gymnasium environment for
reinforcement learning.

>>> import networkx as nx
>>> from qnetlab.network.traffic import NetworkSimulator, bursty_traffic
>>> g = nx.path_graph(4); nx.set_edge_attributes(g, 30.0, "length_km")
>>> nx.set_node_attributes(g, 4, "memory_qubits")
>>> sim = NetworkSimulator(g, [(0, 3), (1, 2)])
>>> traffic = bursty_traffic(sim.pairs, 300, seed=2)
>>> sim.run(traffic, GreedyPolicy(), seed=3).n_served > 0
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import gymnasium as gym
import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_size,
    make_rng,
)
from ..ai.bandits import BANDITS, make_bandit
from .topologies import MAX_AREA_KM, MAX_NODES, MIN_AREA_KM, connected_geometric_graph
from .traffic import NetworkSimulator, QueueView, SimulationResult, Traffic, bursty_traffic

__all__ = [
    "AllocationEnv",
    "AllocationPolicy",
    "BanditPolicy",
    "EarliestDeadlinePolicy",
    "GreedyPolicy",
    "ModelBasedPolicy",
    "ShortestFirstPolicy",
    "StaticPolicy",
    "allocation_scenario",
    "compare_policies",
    "make_policy",
]


class AllocationPolicy:
    """Base class. ``order(view, rng)`` returns the waiting requests to admit, in order.

    The simulator admits them one by one and skips those that no longer fit. Optional
    hooks: ``start(simulator)`` before a run and ``feedback(pair_index, served, threshold)``
    when an admitted request is served (True) or expires (False).

    Examples
    --------
    >>> class Newest(AllocationPolicy):
    ...     name = "newest first"
    ...     def order(self, view, rng):
    ...         return view.request[::-1]
    >>> Newest()
    Newest()
    """

    name = "policy"

    def start(self, simulator: NetworkSimulator) -> None:
        """Called once before a run."""

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def feedback(self, pair_index: int, served: bool, threshold: float) -> None:
        """Called when an admitted request (its pair, its threshold) is served or expires."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class GreedyPolicy(AllocationPolicy):
    """First come, first served: admit every waiting request that fits, oldest first.

    Examples
    --------
    >>> GreedyPolicy().name
    'greedy (FCFS)'
    """

    name = "greedy (FCFS)"

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        return view.request


class EarliestDeadlinePolicy(AllocationPolicy):
    """Admit the requests closest to their deadline first.

    Examples
    --------
    >>> EarliestDeadlinePolicy().name
    'earliest deadline'
    """

    name = "earliest deadline"

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        return view.request[np.argsort(view.slack, kind="stable")]


class ShortestFirstPolicy(AllocationPolicy):
    """Admit the requests that need the fewest memory qubits (shortest paths) first.

    Examples
    --------
    >>> ShortestFirstPolicy().name
    'shortest first'
    """

    name = "shortest first"

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        return view.request[np.argsort(view.qubits, kind="stable")]


class StaticPolicy(AllocationPolicy):
    """Static partition: each node's memory is split equally among the pairs using it.

    Pair ``k`` may hold at most ``quota_k = min over its path nodes n of
    floor((memory_n / users_n) / need_{k,n})`` requests at once (at least 1 if it could
    ever fit), where ``users_n`` is the number of pairs whose path uses node ``n``.
    Within the quotas requests are served first come, first served.

    Examples
    --------
    >>> StaticPolicy().name
    'static partition'
    """

    name = "static partition"

    def __init__(self) -> None:
        self.quota: np.ndarray | None = None

    def start(self, simulator: NetworkSimulator) -> None:
        need = simulator.qubits_needed
        users = np.maximum((need > 0).sum(axis=0), 1)
        share = simulator.memory / users
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(need > 0, np.floor(share / np.maximum(need, 1)), np.inf).min(axis=1)
        fits_alone = np.all(need <= simulator.memory, axis=1)
        self.quota = np.where(fits_alone, np.maximum(q, 1), 0).astype(np.int64)

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        if self.quota is None:
            raise RuntimeError("StaticPolicy.start(simulator) must run first")
        used = view.active_per_pair.copy()
        out = []
        for r, p in zip(view.request, view.pair_index):
            if used[p] < self.quota[p]:
                used[p] += 1
                out.append(r)
        return np.asarray(out, dtype=np.int64)


class ModelBasedPolicy(AllocationPolicy):
    """Reference policy with a calibrated physical model of every path.

    Rejects requests whose path cannot reach their fidelity threshold even with fresh
    pairs (``best_fidelity < threshold + margin``), and ranks the rest by per-slot success
    probability per memory qubit.

    Parameters
    ----------
    margin : float, optional
        Fidelity margin above the threshold a fresh-pair path must reach, in [0, 0.75].

    Examples
    --------
    >>> ModelBasedPolicy().name
    'model-based'
    """

    name = "model-based"

    def __init__(self, margin: float = 0.0) -> None:
        self.margin = check_in_range(margin, "margin", 0.0, 0.75)

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        ok = view.best_fidelity >= view.threshold + self.margin
        score = view.success_per_slot / view.qubits
        idx = np.flatnonzero(ok)
        return view.request[idx[np.argsort(-score[idx], kind="stable")]]


class BanditPolicy(AllocationPolicy):
    """Learned allocation: a bandit per request class decides who gets memory.

    The bandit persists across runs (it keeps learning); call :meth:`reset` to forget.

    Parameters
    ----------
    kind : {"thompson", "ucb", "epsilon"}, optional
        The bandit (see :func:`qnetlab.ai.bandits.make_bandit`).
    admission_threshold : float, optional
        Admit a request only if its class's score is at least this, in [0, 1].
    threshold_bands : sequence of float, optional
        Increasing edges splitting fidelity thresholds into bands; then a class is
        (pair, band) instead of the pair alone.
    seed : int, Generator or None, optional
        Seed of the bandit's own randomness.
    **options : float
        Passed to the bandit (``epsilon=``, ``exploration=``, priors).

    Examples
    --------
    >>> BanditPolicy("ucb").name
    'bandit (UCB1)'
    """

    def __init__(
        self,
        kind: str = "thompson",
        *,
        admission_threshold: float = 0.3,
        threshold_bands: Sequence[float] | None = None,
        seed: SeedLike = None,
        **options: float,
    ) -> None:
        self.kind = check_choice(kind, "kind", tuple(BANDITS))
        self.admission_threshold = check_in_range(
            admission_threshold, "admission_threshold", 0.0, 1.0
        )
        if threshold_bands is None:
            self.bands = np.zeros(0)
        else:
            self.bands = np.asarray(threshold_bands, dtype=float)
            if self.bands.ndim != 1 or np.any(np.diff(self.bands) <= 0):
                raise ValueError("threshold_bands must be increasing band edges")
        self.seed = seed
        self.options = options
        self.bandit: Any = None
        self.name = f"bandit ({BANDITS[kind].name})"

    def reset(self) -> None:
        """Forget what was learned."""
        self.bandit = None

    def _arm(self, pair: np.ndarray, threshold: np.ndarray) -> np.ndarray:
        band = np.searchsorted(self.bands, threshold, side="right")
        return pair * (self.bands.size + 1) + band

    def start(self, simulator: NetworkSimulator) -> None:
        n_arms = len(simulator.pairs) * (self.bands.size + 1)
        if self.bandit is None or self.bandit.n_arms != n_arms:
            self.bandit = make_bandit(self.kind, n_arms, seed=self.seed, **self.options)

    def order(self, view: QueueView, rng: np.random.Generator) -> np.ndarray:
        if self.bandit is None:
            raise RuntimeError("BanditPolicy.start(simulator) must run first")
        arms = self._arm(view.pair_index, view.threshold)
        scores = np.asarray(self.bandit.scores(), dtype=float)[arms]
        ok = np.flatnonzero((scores >= self.admission_threshold) & view.fits)
        pri = np.where(np.isinf(scores[ok]), np.inf, scores[ok] / view.qubits[ok])
        return view.request[ok[np.argsort(-pri, kind="stable")]]

    def feedback(self, pair_index: int, served: bool, threshold: float) -> None:
        arm = int(self._arm(np.array([pair_index]), np.array([threshold]))[0])
        self.bandit.update(arm, 1.0 if served else 0.0)

    def __repr__(self) -> str:
        return f"BanditPolicy(kind={self.kind!r}, bandit={self.bandit!r})"


_POLICIES: dict[str, Callable[..., AllocationPolicy]] = {
    "greedy": GreedyPolicy,
    "static": StaticPolicy,
    "edf": EarliestDeadlinePolicy,
    "shortest": ShortestFirstPolicy,
    "model": ModelBasedPolicy,
    "thompson": lambda **kw: BanditPolicy("thompson", **kw),
    "ucb": lambda **kw: BanditPolicy("ucb", **kw),
    "epsilon": lambda **kw: BanditPolicy("epsilon", **kw),
}


def make_policy(name: str, **options: Any) -> AllocationPolicy:
    """Build a policy by name: greedy, static, edf, shortest, model, thompson, ucb, epsilon.

    Parameters
    ----------
    name : str
        The policy's short name (the bandit names build a :class:`BanditPolicy`).
    **options
        Passed to the policy's constructor.

    Returns
    -------
    AllocationPolicy
        The new policy.

    Raises
    ------
    ValueError
        If ``name`` is unknown.

    Examples
    --------
    >>> make_policy("static").name
    'static partition'
    """
    check_choice(name, "name", tuple(_POLICIES))
    return _POLICIES[name](**options)


def compare_policies(
    simulator: NetworkSimulator,
    traffic: Traffic,
    policies: Sequence[AllocationPolicy],
    *,
    seed: SeedLike = None,
) -> dict[str, SimulationResult]:
    """Serve the same traffic under each policy with the same link randomness.

    Every policy gets a simulator seeded identically (common random numbers), so
    differences come from the decisions, not from luck. The results are keyed by policy
    name; per-request ``fidelity`` and ``latency_slots`` are masked where a request was
    not served (it expired), so their means are over the served requests.

    Parameters
    ----------
    simulator : NetworkSimulator
        The network and its request pairs.
    traffic : Traffic
        The request trace every policy serves.
    policies : sequence of AllocationPolicy
        The policies to compare (at least one; distinct names).
    seed : int, numpy.random.Generator or None, optional
        Seed of the common link randomness.

    Returns
    -------
    dict of str to SimulationResult
        One result per policy, keyed by its name.

    Raises
    ------
    TypeError
        If ``simulator`` is not a :class:`NetworkSimulator` or a policy has no ``order``.
    ValueError
        If ``policies`` is empty or two policies share a name (one result would silently
        replace the other).

    Examples
    --------
    >>> import networkx as nx
    >>> from qnetlab.network.traffic import poisson_traffic
    >>> g = nx.path_graph(3); nx.set_edge_attributes(g, 20.0, "length_km")
    >>> nx.set_node_attributes(g, 3, "memory_qubits")
    >>> sim = NetworkSimulator(g, [(0, 2)])
    >>> res = compare_policies(sim, poisson_traffic(sim.pairs, 0.5, 200, seed=0),
    ...                        [GreedyPolicy(), StaticPolicy()], seed=1)
    >>> sorted(res)
    ['greedy (FCFS)', 'static partition']
    """
    if not isinstance(simulator, NetworkSimulator):
        raise TypeError(f"simulator must be a NetworkSimulator, got {type(simulator).__name__}")
    pols = list(policies)
    if not pols:
        raise ValueError("policies must hold at least one allocation policy, got none")
    for p in pols:
        if not hasattr(p, "order"):
            raise TypeError(f"policies must hold allocation policies, got {type(p).__name__}")
    names = [getattr(p, "name", type(p).__name__) for p in pols]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(
            f"policies must have distinct names (the keys of the result), got {repeated} twice"
        )
    rng = make_rng(seed)
    s = int(rng.integers(0, 2**63 - 1))
    return {n: simulator.run(traffic, p, seed=s) for n, p in zip(names, pols)}


def allocation_scenario(
    n_nodes: int = 10,
    n_pairs: int = 8,
    *,
    memory_qubits: int = 4,
    area_km: float = 80.0,
    radius: float = 0.5,
    long_pairs: int = 0,
    long_hops: int = 3,
    attempts: int = 200,
    seed: SeedLike = None,
) -> tuple[nx.Graph, list[tuple[int, int]]]:
    """A metro network and its request pairs for allocation experiments.

    Nodes are uniform in an ``area_km`` square, linked when closer than
    ``radius × area_km`` (redrawn until connected); fibre length is the distance plus
    5 km of access fibre; every node has ``memory_qubits``. ``n_pairs`` distinct node pairs
    are drawn at random, so paths of one to several hops compete for the same memories.

    **Contention by design.** With ``long_pairs = k > 0``, ``k`` of the pairs are drawn
    among the node pairs whose shortest (by fibre length) path has at least ``long_hops``
    hops, and networks without enough such pairs are redrawn (at most ``attempts`` times).
    Such requests hold ``2 × hops`` memory qubits for many slots and their best fidelity
    is the lowest, so the choice of which request gets memory matters on every draw, not
    only on lucky ones.

    Parameters
    ----------
    n_nodes, n_pairs : int
        Nodes of the network (>= 2) and distinct request pairs (1 to n(n-1)/2).
    memory_qubits : int
        Memory qubits per node (>= 1).
    area_km, radius : float
        Side of the square (> 0) and link radius as a fraction of it (0, 2].
    long_pairs : int
        Pairs that must have at least ``long_hops`` hops (0 to ``n_pairs``).
    long_hops : int
        Hop count of a long pair (>= 2).
    attempts : int
        Network draws before giving up on ``long_pairs`` (>= 1).
    seed : SeedLike
        Random seed or generator.

    Returns
    -------
    (networkx.Graph, list of (int, int))
        The network (edge attribute ``length_km``, node attribute ``memory_qubits``) and
        the request pairs ``(a, b)`` with ``a < b``.

    Raises
    ------
    ValueError
        On an argument out of range, or when no network with ``long_pairs`` pairs of
        ``long_hops`` hops is found in ``attempts`` draws (lower ``long_hops`` or
        ``radius``).

    Examples
    --------
    >>> g, pairs = allocation_scenario(seed=0)
    >>> g.number_of_nodes(), len(pairs), nx.is_connected(g)
    (10, 8, True)
    >>> g, pairs = allocation_scenario(memory_qubits=3, long_pairs=3, seed=8)
    >>> sum(len(nx.shortest_path(g, a, b, weight="length_km")) - 1 >= 3 for a, b in pairs)
    3
    """
    n = check_size(n_nodes, "n_nodes", minimum=2, maximum=MAX_NODES)
    n_pairs = check_integer(n_pairs, "n_pairs", minimum=1, maximum=n * (n - 1) // 2)
    mem = check_integer(memory_qubits, "memory_qubits", minimum=1)
    area = check_in_range(area_km, "area_km", MIN_AREA_KM, MAX_AREA_KM)
    rad = check_in_range(radius, "radius", 0.0, 2.0, low_inclusive=False)
    n_long = check_integer(long_pairs, "long_pairs", minimum=0, maximum=n_pairs)
    min_hops = check_integer(long_hops, "long_hops", minimum=2, maximum=n - 1)
    tries = check_integer(attempts, "attempts", minimum=1, maximum=10_000)
    rng = make_rng(seed)
    for _ in range(tries):
        g = connected_geometric_graph(n, area, rad, seed=rng, attempts=500, extra_length_km=5.0)
        long = []
        if n_long:
            paths = dict(nx.all_pairs_dijkstra_path(g, weight="length_km"))
            long = [
                (a, b)
                for a in range(n)
                for b in range(a + 1, n)
                if len(paths[a][b]) - 1 >= min_hops
            ]
            if len(long) < n_long:
                continue
        break
    else:
        raise ValueError(
            f"no network with long_pairs={n_long} pairs of at least long_hops={min_hops} "
            f"hops in attempts={tries} draws; lower long_hops or radius"
        )
    nx.set_node_attributes(g, mem, "memory_qubits")
    pairs: list[tuple[int, int]] = []
    if n_long:
        chosen = rng.choice(len(long), n_long, replace=False)
        pairs.extend(long[int(i)] for i in chosen)
    while len(pairs) < n_pairs:
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        if (a, b) not in pairs:
            pairs.append((a, b))
    return g, pairs


# --- gymnasium environment ---------------------------------------------------------------

_RULES = ("greedy", "edf", "shortest", "static")


class AllocationEnv(gym.Env):
    """Gymnasium environment: decide, slot by slot, which waiting requests get memory.

    One step is one time slot of a :class:`NetworkSimulator` serving fresh bursty traffic
    (a new trace per episode, drawn from the reset seed).

    - ``action_mode="mask"`` (default): action ``MultiBinary(window)``, admit (1) or not
      (0) each of the ``window`` oldest waiting requests (admitted in queue order while
      they fit).
    - ``action_mode="rule"``: action ``Discrete(4)`` picks this slot's rule among greedy,
      earliest deadline, shortest first and static partition.

    Observation (``Box`` in [0, 1], float32): per window slot six features (present,
    qubits needed / most needed, slack / deadline, fidelity margin
    ``(best_fidelity − threshold + 1)/2``, per-slot success, fits now), then the free
    memory fraction of every node, then the queue length / (4 × window) (clipped).
    Reward: requests served in the slot. Episodes are truncated after ``n_slots`` slots.

    Parameters
    ----------
    graph : networkx.Graph
        The network (node ``memory_qubits``, link ``length_km``).
    pairs : sequence of (hashable, hashable)
        The node pairs that requests name.
    window : int, optional
        Oldest waiting requests the agent sees and decides on, at least 1.
    n_slots : int, optional
        Slots per episode, at least 1.
    action_mode : {"mask", "rule"}, optional
        Admit per request, or pick a rule per slot.
    traffic : callable, optional
        ``traffic(pairs, n_slots, seed=..., **traffic_options)`` -> :class:`Traffic`;
        default :func:`bursty_traffic`.
    traffic_options : dict, optional
        Keywords of ``traffic``.
    **simulator_options
        Keywords of :class:`NetworkSimulator`: ``slot_s``, ``link_fidelity``,
        ``coherence_time_s``, ``swap_success``, ``detector_efficiency``, ``n_modes``,
        ``attenuation_db_per_km``.

    Examples
    --------
    >>> import networkx as nx
    >>> from gymnasium.utils.env_checker import check_env
    >>> g = nx.path_graph(3); nx.set_edge_attributes(g, 20.0, "length_km")
    >>> nx.set_node_attributes(g, 3, "memory_qubits")
    >>> env = AllocationEnv(g, [(0, 2), (0, 1)], n_slots=50)
    >>> check_env(env, skip_render_check=True)
    >>> obs, info = env.reset(seed=0)
    >>> obs.shape
    (28,)
    """

    metadata = {"render_modes": []}  # noqa: RUF012 - gymnasium convention

    def __init__(
        self,
        graph: nx.Graph,
        pairs: Sequence[tuple[Hashable, Hashable]],
        *,
        window: int = 4,
        n_slots: int = 200,
        action_mode: str = "mask",
        traffic: Callable[..., Traffic] | None = None,
        traffic_options: dict[str, Any] | None = None,
        **simulator_options: Any,
    ) -> None:
        super().__init__()
        self.sim = NetworkSimulator(graph, pairs, **simulator_options)
        self.window = check_size(window, "window", minimum=1, maximum=10**5)
        self.n_slots = check_size(
            n_slots, "n_slots", minimum=1, maximum=10**7, hint="simulate several shorter horizons"
        )
        self.action_mode = check_choice(action_mode, "action_mode", ("mask", "rule"))
        self.traffic_fn = bursty_traffic if traffic is None else traffic
        if not callable(self.traffic_fn):
            raise TypeError("traffic must be a callable like bursty_traffic")
        self.traffic_options = dict(traffic_options or {})
        n_nodes = len(self.sim.nodes)
        self.observation_space = gym.spaces.Box(
            0.0, 1.0, shape=(6 * self.window + n_nodes + 1,), dtype=np.float32
        )
        if self.action_mode == "mask":
            self.action_space: gym.Space = gym.spaces.MultiBinary(self.window)
        else:
            self.action_space = gym.spaces.Discrete(len(_RULES))
            self._rules = [make_policy(r) for r in _RULES]
        self._max_qubits = max(int(self.sim.qubits_needed.sum(axis=1).max()), 1)
        self._deadline = 1.0

    def _obs(self) -> np.ndarray:
        v = self.sim.view()
        k = min(len(v), self.window)
        feats = np.zeros((self.window, 6), dtype=np.float64)
        if k:
            feats[:k, 0] = 1.0
            feats[:k, 1] = v.qubits[:k] / self._max_qubits
            feats[:k, 2] = v.slack[:k] / self._deadline
            feats[:k, 3] = (v.best_fidelity[:k] - v.threshold[:k] + 1.0) / 2.0
            feats[:k, 4] = v.success_per_slot[:k]
            feats[:k, 5] = v.fits[:k]
        mem = np.divide(v.free_memory, np.maximum(self.sim.memory, 1))
        queue = min(len(v) / (4.0 * self.window), 1.0)
        obs = np.concatenate([feats.ravel(), mem, [queue]])
        return np.clip(obs, 0.0, 1.0).astype(np.float32)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        s_traffic, s_sim = (int(x) for x in self.np_random.integers(0, 2**31 - 1, 2))
        trace = self.traffic_fn(
            self.sim.pairs, self.n_slots, seed=s_traffic, **self.traffic_options
        )
        self._deadline = float(max(int(trace.deadline_slots.max()) if len(trace) else 1, 1))
        self.sim.reset(trace, seed=s_sim)
        if self.action_mode == "rule":
            for r in self._rules:
                r.start(self.sim)
        return self._obs(), {"slot": 0, "queue": len(self.sim.waiting)}

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        if self.sim.traffic is None:
            raise RuntimeError("call reset() before step()")
        if not self.action_space.contains(
            np.asarray(action) if self.action_mode == "mask" else action
        ):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        view = self.sim.view()
        if self.action_mode == "mask":
            a = np.asarray(action, dtype=bool)
            chosen = view.request[: self.window][a[: min(len(view), self.window)]]
        else:
            chosen = self._rules[int(action)].order(view, self.np_random)
        admitted = self.sim.admit(chosen) if len(view) else 0
        served = self.sim.step()
        truncated = self.sim.done
        obs = self._obs() if not truncated else np.zeros(self.observation_space.shape, np.float32)
        info = {"slot": self.sim.slot, "served": served, "admitted": admitted}
        return obs, float(served), False, truncated, info

    def result(self) -> SimulationResult:
        """The episode's :class:`SimulationResult` so far."""
        return self.sim.finish("env")
