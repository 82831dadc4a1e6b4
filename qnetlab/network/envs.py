"""Gymnasium environment for entanglement routing that generalises across topologies.

:class:`RoutingEnv` draws a network and a (source, destination) request at every reset.
The observation never contains node ids, so a policy learned on some networks applies to
networks it has never seen. Each row of the observation describes one *action*; column 0 is
1 for a valid action and 0 for padding, so an agent can mask invalid actions.

``mode="path"`` (one decision per episode): the actions are up to ``n_candidates`` candidate
paths, the union of Yen's cheapest paths under the expected-link-time cost 1/r and under the
infidelity cost −ln w. Row features (scaled by the best candidate, so that they do not depend
on the size of the network):

(the names of the columns: :data:`PATH_FEATURE_NAMES`, also ``env.feature_names``)

====  ========================================================================
col   feature
====  ========================================================================
0     1 for a candidate, 0 for padding
1     hops / 10
2     ln(1 + Σ 1/r_i / τ), τ = the smallest Σ 1/r_i among the candidates
3     ln(1 + max 1/r_i / τ)
4     ln(1 + (L / c) / τ), the classical signalling time of the path
5     Werner fidelity of the path without memory decay, 1/4 + 3/4 Π w_i
6     10 × (that fidelity − threshold), clipped to [−5, 5]
7     ln(1 + hops · Σ 1/r_i / T_c), how much the memories decay while waiting
====  ========================================================================

The reward is the path's delivered rate divided by the best candidate's (so in [0, 1]);
``info`` holds the delivered rates of all candidates.

``mode="next_hop"``: the agent walks from the source, one neighbour per step. Rows describe
the up to ``max_degree`` neighbours of the current node (valid flag, is-destination, link
1/r and fidelity, the Dijkstra cost (Σ 1/r) to the destination through that neighbour, its hop
count to the destination, the no-decay fidelity of the path so far extended by that link, and
the hops walked so far); the row with the smallest cost through it is Dijkstra's next hop. Stepping to a visited or
padded neighbour, or exceeding ``max_steps``, ends the episode with reward 0; reaching the
destination ends it with the delivered rate of the walked path over the optimal one.

>>> from gymnasium.utils.env_checker import check_env
>>> env = RoutingEnv(seed=0)
>>> check_env(env, skip_render_check=True)
>>> obs, info = env.reset(seed=1)
>>> obs.shape
(8, 8)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar

import gymnasium as gym
import networkx as nx
import numpy as np
from gymnasium import spaces

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_probability,
    check_size,
    make_rng,
)
from ..channels import C_FIBER_KM_PER_S
from .routing import (
    _graph_params,
    _path_metrics,
    _routable,
    check_endpoints,
    k_shortest_paths,
    link_cost,
    optimal_path,
)
from .topologies import DEFAULT_COHERENCE_TIME_S, check_graph, validate_topology, waxman_network

__all__ = [
    "HOP_FEATURE_NAMES",
    "N_HOP_FEATURES",
    "N_PATH_FEATURES",
    "PATH_FEATURE_NAMES",
    "RoutingEnv",
    "candidate_paths",
    "default_network_factory",
    "path_features",
]

#: Column names of the path-mode observation (the table of the module docstring).
PATH_FEATURE_NAMES: tuple[str, ...] = (
    "valid",
    "hops",
    "log_total_link_time",
    "log_slowest_link_time",
    "log_classical_time",
    "fidelity_no_decay",
    "fidelity_margin",
    "log_memory_decay",
)
#: Column names of the next-hop observation (the table of :class:`RoutingEnv`).
HOP_FEATURE_NAMES: tuple[str, ...] = (
    "valid",
    "is_destination",
    "log_link_time",
    "link_fidelity",
    "log_cost_via",
    "hops_to_go",
    "fidelity_so_far",
    "nodes_walked",
)
N_PATH_FEATURES = len(PATH_FEATURE_NAMES)
N_HOP_FEATURES = len(HOP_FEATURE_NAMES)


def candidate_paths(
    graph: nx.Graph, source: Hashable, destination: Hashable, n_candidates: int = 8
) -> list[list[Hashable]]:
    """Up to ``n_candidates`` distinct paths: Yen under 1/r and under −ln w, interleaved.

    Parameters
    ----------
    graph : networkx.Graph
        The network.
    source, destination : hashable
        End nodes of the request.
    n_candidates : int, optional
        Most paths returned, at least 1.

    Returns
    -------
    list of list
        The distinct candidate paths.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_mesh
    >>> len(candidate_paths(metro_mesh(8, seed=0), 0, 4, 6))
    6
    """
    k = check_size(n_candidates, "n_candidates", minimum=1, maximum=1000)
    by_rate = k_shortest_paths(graph, source, destination, k, cost="inverse_rate")
    by_fid = k_shortest_paths(graph, source, destination, k, cost="infidelity")
    out: list[list[Hashable]] = []
    for pair in zip(by_rate + [None] * (k - len(by_rate)), by_fid + [None] * (k - len(by_fid))):
        for p in pair:
            if p is not None and p not in out and len(out) < k:
                out.append(p)
    return out


def path_features(
    graph: nx.Graph, paths: Sequence[Sequence[Hashable]], *, fidelity_threshold: float, n_rows: int
) -> np.ndarray:
    """The ``(n_rows, 8)`` feature matrix of candidate ``paths`` (see the module docstring).

    Parameters
    ----------
    graph : networkx.Graph
        The network.
    paths : sequence of sequence
        The candidate paths (at most ``n_rows``).
    fidelity_threshold : float
        The fidelity the request needs, in [0, 1].
    n_rows : int
        Rows of the matrix; rows past the last path are zero padding.

    Returns
    -------
    numpy.ndarray
        Float32 features, shape ``(n_rows, 8)``.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> g = metro_ring(6, seed=0)
    >>> path_features(g, [[0, 1, 2], [0, 5, 4, 3, 2]], fidelity_threshold=0.8, n_rows=3)[:, 1]
    array([0.2, 0.4, 0. ], dtype=float32)
    """
    check_graph(graph)
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    n_rows = check_size(n_rows, "n_rows", minimum=1, maximum=10**4)
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence | np.ndarray):
        raise TypeError(f"paths must be a sequence of node paths, got {type(paths).__name__}")
    tc = float(graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S))
    raw = []
    for p in paths:
        try:
            edges = [graph.edges[u, v] for u, v in itertools.pairwise(p)]
        except (KeyError, TypeError):
            raise ValueError(
                f"paths must be paths of graph (consecutive nodes joined by an edge), got {p!r}"
            ) from None
        if not edges:
            raise ValueError(f"paths must have at least one edge each, got {p!r}")
        inv = np.array([1.0 / e["rate"] for e in edges])
        w = np.prod([(4.0 * e["fidelity"] - 1.0) / 3.0 for e in edges])
        length = sum(e["length_km"] for e in edges)
        raw.append((len(edges), inv.sum(), inv.max(), length / C_FIBER_KM_PER_S, 0.25 + 0.75 * w))
    out = np.zeros((n_rows, N_PATH_FEATURES), dtype=np.float32)
    if not raw:
        return out
    tau = min(r[1] for r in raw)
    for i, (hops, s_inv, m_inv, t_cc, f0) in enumerate(raw[:n_rows]):
        out[i] = (
            1.0,
            hops / 10.0,
            math.log1p(s_inv / tau),
            math.log1p(m_inv / tau),
            math.log1p(t_cc / tau),
            f0,
            float(np.clip(10.0 * (f0 - thr), -5.0, 5.0)),
            math.log1p(hops * s_inv / tc),
        )
    return out


def default_network_factory(rng: np.random.Generator) -> nx.Graph:
    """A random 12–20 node Waxman network (the environment's default).

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the size and the network.

    Returns
    -------
    networkx.Graph
        An annotated, connected Waxman network.

    Examples
    --------
    >>> g = default_network_factory(np.random.default_rng(0))
    >>> 12 <= g.number_of_nodes() <= 20
    True
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return waxman_network(int(rng.integers(12, 21)), seed=rng)


class RoutingEnv(gym.Env):
    """Entanglement routing on random networks (a Gymnasium environment); see the module docstring.

    A request is redrawn until some candidate path meets the fidelity threshold. The
    observation has one row per action; ``env.feature_names`` names its columns
    (:data:`PATH_FEATURE_NAMES` or :data:`HOP_FEATURE_NAMES`). Path mode: the table of the
    module docstring. Next-hop mode: rows are the neighbours of the current node sorted
    by the Dijkstra cost through them (row 0 is Dijkstra's next hop), τ = the Dijkstra
    cost Σ 1/r from the source to the destination:

    ====  ======================  ==================================================
    col   name                    feature
    ====  ======================  ==================================================
    0     valid                   1 for an unvisited neighbour that can still reach
                                  the destination, 0 otherwise and for padding
    1     is_destination          1 if the neighbour is the destination
    2     log_link_time           ln(1 + (1/r of the link) / τ)
    3     link_fidelity           Werner fidelity F of the link
    4     log_cost_via            ln(1 + (1/r + Dijkstra cost from the neighbour) / τ),
                                  10 if the destination is unreachable through it
    5     hops_to_go              hops from the neighbour to the destination / 10
    6     fidelity_so_far         1/4 + 3/4 Π w_i of the walked path plus this link
                                  (no memory decay)
    7     nodes_walked            nodes of the walked path (source included) / 10
    ====  ======================  ==================================================

    Parameters
    ----------
    networks : sequence of networkx.Graph or callable or None, optional
        ``None`` (random Waxman networks), a sequence of graphs (one is drawn per episode)
        or a callable ``rng -> graph``.
    mode : {"path", "next_hop"}, optional
        Pick a whole candidate path, or walk hop by hop.
    n_candidates : int, optional
        Candidate paths per request (path mode), at least 1.
    max_degree : int, optional
        Neighbours observed per step (next-hop mode), at least 1.
    fidelity_threshold : float, optional
        The fidelity the requests need, in [0, 1].
    max_steps : int, optional
        Longest episode (next-hop mode), at least 1.
    compute_optimal : bool, optional
        ``False`` skips the exact optimum (reported in ``info["optimal_rate"]``, NaN when
        skipped) in path mode, to train faster.
    seed : int, Generator or None, optional
        Randomness of the networks and requests.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> env = RoutingEnv(seed=0)
    >>> obs, info = env.reset(seed=1)
    >>> obs.shape, int(env.action_space.n)
    ((8, 8), 8)
    >>> RoutingEnv(mode="next_hop", seed=0).feature_names[:2]
    ('valid', 'is_destination')
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": []}

    def __init__(
        self,
        networks: Sequence[nx.Graph] | Callable[[np.random.Generator], nx.Graph] | None = None,
        *,
        mode: str = "path",
        n_candidates: int = 8,
        max_degree: int = 8,
        fidelity_threshold: float = 0.8,
        max_steps: int = 20,
        compute_optimal: bool = True,
        seed: SeedLike = None,
    ) -> None:
        super().__init__()
        self.mode = check_choice(mode, "mode", ("path", "next_hop"))
        self.n_candidates = check_size(n_candidates, "n_candidates", minimum=1, maximum=1000)
        self.max_degree = check_integer(max_degree, "max_degree", minimum=1)
        self.fidelity_threshold = check_probability(fidelity_threshold, "fidelity_threshold")
        self.max_steps = check_integer(max_steps, "max_steps", minimum=1)
        self.compute_optimal = bool(compute_optimal) or self.mode == "next_hop"
        if networks is None:
            self._factory: Callable[[np.random.Generator], nx.Graph] = default_network_factory
        elif callable(networks):
            self._factory = networks
        else:
            graphs = list(networks)
            if not graphs:
                raise ValueError("networks must not be an empty sequence")
            for g in graphs:
                validate_topology(g)
            self._factory = lambda rng: graphs[int(rng.integers(len(graphs)))]
        self._rng = make_rng(seed)
        rows = self.n_candidates if self.mode == "path" else self.max_degree
        n_feat = N_PATH_FEATURES if self.mode == "path" else N_HOP_FEATURES
        self.feature_names = PATH_FEATURE_NAMES if self.mode == "path" else HOP_FEATURE_NAMES
        self.observation_space = spaces.Box(-10.0, 10.0, shape=(rows, n_feat), dtype=np.float32)
        self.action_space = spaces.Discrete(rows)
        self.graph: nx.Graph | None = None

    # ----------------------------------------------------------------------------------
    def _new_request(self) -> None:
        for _ in range(200):
            g = validate_topology(self._factory(self._rng))
            nodes = list(g.nodes)
            if len(nodes) < 2:
                continue
            i, j = self._rng.choice(len(nodes), size=2, replace=False)
            s, d = nodes[int(i)], nodes[int(j)]
            try:
                check_endpoints(g, s, d)
                if self.mode == "path":
                    cands = candidate_paths(g, s, d, self.n_candidates)
                    tc, ps = _graph_params(g, None, None)
                    thr = self.fidelity_threshold
                    rates = np.array(
                        [_path_metrics(g, p, thr, tc, ps).delivered_rate for p in cands]
                    )
                    if rates.max() <= 0.0:
                        continue
                    self.candidates, self.candidate_rates = cands, rates
                best = (
                    optimal_path(g, s, d, fidelity_threshold=self.fidelity_threshold)
                    if self.compute_optimal
                    else None
                )
            except ValueError:
                continue
            self.graph, self.source, self.destination, self.optimal = g, s, d, best
            return
        raise RuntimeError("could not draw a routable request with a feasible path in 200 tries")

    def _optimal_rate(self) -> float:
        """Delivered rate of the optimal path (NaN if ``compute_optimal`` is off)."""
        return float("nan") if self.optimal is None else self.optimal.delivered_rate

    def _path_obs(self) -> np.ndarray:
        obs = path_features(
            self.graph,
            self.candidates,
            fidelity_threshold=self.fidelity_threshold,
            n_rows=self.n_candidates,
        )
        return np.clip(obs, -10.0, 10.0)

    def _hop_obs(self) -> np.ndarray:
        g, d, node = self.graph, self.destination, self.path[-1]
        view = _routable(g, self.source, d)

        def via(v: Hashable) -> float:
            return link_cost(g.edges[node, v], "inverse_rate") + self._cost_to_go.get(v, math.inf)

        nbrs = sorted(view.neighbors(node), key=via)
        self._slots = nbrs[: self.max_degree]
        obs = np.zeros((self.max_degree, N_HOP_FEATURES), dtype=np.float32)
        tau = max(self._cost_to_go.get(self.source, 1.0), 1e-12)
        for i, v in enumerate(self._slots):
            e = g.edges[node, v]
            w = self._w_so_far * (4.0 * e["fidelity"] - 1.0) / 3.0
            ctg = via(v)
            obs[i] = (
                0.0 if v in self.path or not math.isfinite(ctg) else 1.0,
                1.0 if v == d else 0.0,
                math.log1p(link_cost(e, "inverse_rate") / tau),
                e["fidelity"],
                math.log1p(ctg / tau) if math.isfinite(ctg) else 10.0,
                self._hops_to_go.get(v, 10) / 10.0,
                0.25 + 0.75 * w,
                len(self.path) / 10.0,
            )
        return np.clip(obs, -10.0, 10.0)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict]:
        """Draw a network and a request; return the first observation and ``info``."""
        super().reset(seed=seed)
        if seed is not None:
            self._rng = make_rng(seed)
        self._new_request()
        info = {
            "source": self.source,
            "destination": self.destination,
            "optimal_rate": self._optimal_rate(),
        }
        if self.mode == "path":
            info["candidate_rates"] = self.candidate_rates.copy()
            return self._path_obs(), info
        view = _routable(self.graph, self.source, self.destination)
        w = lambda u, v, e: link_cost(e, "inverse_rate")  # noqa: E731
        self._cost_to_go = nx.single_source_dijkstra_path_length(view, self.destination, weight=w)
        self._hops_to_go = nx.single_source_shortest_path_length(view, self.destination)
        self.path = [self.source]
        self._w_so_far = 1.0
        info["node"] = self.source
        return self._hop_obs(), info

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Apply ``action`` (a row index); see the module docstring for the rewards."""
        a = int(action)
        if not self.action_space.contains(a):
            raise ValueError(f"action must be in [0, {self.action_space.n - 1}], got {action!r}")
        if self.mode == "path":
            if a < len(self.candidates):
                rate = float(self.candidate_rates[a])
                path = self.candidates[a]
            else:
                rate, path = 0.0, None
            best = float(self.candidate_rates.max())
            reward = rate / best if best > 0 else 0.0
            info = {
                "path": path,
                "delivered_rate": rate,
                "optimal_rate": self._optimal_rate(),
                "candidate_rates": self.candidate_rates.copy(),
            }
            return self._path_obs(), reward, True, False, info
        # next-hop mode
        info: dict[str, Any] = {"optimal_rate": self._optimal_rate()}
        if a >= len(self._slots) or self._slots[a] in self.path:
            info.update(node=self.path[-1], path=list(self.path), delivered_rate=0.0)
            return self._hop_obs(), 0.0, True, False, info
        v = self._slots[a]
        e = self.graph.edges[self.path[-1], v]
        self._w_so_far *= (4.0 * e["fidelity"] - 1.0) / 3.0
        self.path.append(v)
        info.update(node=v, path=list(self.path))
        if v == self.destination:
            tc, ps = _graph_params(self.graph, None, None)
            rate = _path_metrics(
                self.graph, self.path, self.fidelity_threshold, tc, ps
            ).delivered_rate
            info["delivered_rate"] = rate
            return self._hop_obs(), rate / self.optimal.delivered_rate, True, False, info
        truncated = len(self.path) - 1 >= self.max_steps
        obs = self._hop_obs()
        dead_end = not np.any(obs[:, 0] > 0.5)
        if truncated or dead_end:
            info["delivered_rate"] = 0.0
        return obs, 0.0, dead_end, truncated and not dead_end, info
