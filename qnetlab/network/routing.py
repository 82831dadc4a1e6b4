"""Entanglement routing: path finders over the path metrics with swapping and memory decay.

**Path model** (:mod:`qnetlab.network.paths`, whose names are importable from here as
before). A path is a repeater chain scored by :mod:`qnetlab.network.chain_model`
(swap as soon as possible, E[max] of exponential link times, memory decay over the mean
storage time, classical signalling time L_total / c_fibre, swap success p_s per swap):

$$ R = \\frac{p_s^{\\,n-1}}{\\mathbb E[\\max_i X_i] + L_\\text{total}/c}, \\qquad
   X_i \\sim \\mathrm{Exp}(r_i), $$

and pairs below a fidelity threshold are worth nothing (``delivered_rate`` is 0).

**One elementary link per edge.** Every edge is a single heralded link over its whole
``length_km``: a 392 km fibre is one link with no repeater along it (about 3e-4 pairs/s),
and the other pairs of the path decay in memory while they wait for it. Route on
``segment_long_links(graph, max_length_km=...)`` to place repeater nodes along long fibres.
When no path meets the threshold, the error names the best fidelity found, its path and the
binding limit (:func:`infeasibility_report`).

**Path finders.** Dijkstra on an additive link cost (``"inverse_rate"`` = expected link
time 1/r, ``"length"``, ``"hops"``, ``"infidelity"`` = −ln w with w = (4F − 1)/3), Yen's
k shortest paths, the first Yen path that meets a fidelity threshold, the exact optimal path
(branch and bound: rate and fidelity can only drop when a path is extended) and greedy
multipath routing that respects memory qubits. An intermediate node needs two free memory
qubits, an end node one.

>>> from qnetlab.network.topologies import metro_mesh
>>> g = metro_mesh(8, seed=1)
>>> m = path_metrics(g, [0, 2, 4])
>>> m.hops, round(m.distance_km, 1)
(2, 90.0)
>>> optimal_path(g, 0, 4).delivered_rate >= m.delivered_rate
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from .._validation import check_integer, check_probability
from ..results import ResultMixin
from .chain_model import _chain_fast
from .paths import COSTS as COSTS  # re-exported: defined here before the split (issue 17)
from .paths import PathMetrics as PathMetrics
from .paths import _graph_params, _path_metrics
from .paths import link_cost as link_cost
from .paths import path_metrics as path_metrics
from .topologies import validate_topology

__all__ = [
    "MultipathResult",
    "check_endpoints",
    "fidelity_constrained_path",
    "infeasibility_report",
    "k_shortest_paths",
    "multipath_routes",
    "optimal_path",
    "shortest_path",
]


def check_endpoints(graph: nx.Graph, source: Hashable, destination: Hashable) -> None:
    """Raise a clear ``ValueError`` unless ``source`` and ``destination`` can be routed.

    Parameters
    ----------
    graph : networkx.Graph
        The network.
    source, destination : hashable
        End nodes of the request.

    Raises
    ------
    ValueError
        If an endpoint is not a node, or they are equal or disconnected.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> check_endpoints(metro_ring(4, seed=0), 0, 9)
    Traceback (most recent call last):
    ...
    ValueError: destination 9 is not a node of the graph
    """
    validate_topology(graph)
    if source not in graph:
        raise ValueError(f"source {source!r} is not a node of the graph")
    if destination not in graph:
        raise ValueError(f"destination {destination!r} is not a node of the graph")
    if source == destination:
        raise ValueError(f"source and destination must differ, got {source!r} twice")
    for name, node in (("source", source), ("destination", destination)):
        if graph.nodes[node]["memory_qubits"] < 1:
            raise ValueError(f"{name} {node!r} has no free memory qubit")
    if not nx.has_path(_routable(graph, source, destination), source, destination):
        raise ValueError(
            f"source {source!r} and destination {destination!r} are disconnected "
            "(no path through nodes with at least two memory qubits)"
        )


def _routable(graph: nx.Graph, source: Hashable, destination: Hashable) -> nx.Graph:
    """View without the nodes that cannot relay (fewer than two memory qubits)."""

    keep = [n for n, m in graph.nodes(data="memory_qubits") if n in (source, destination) or m >= 2]
    if len(keep) == graph.number_of_nodes():
        return graph
    return graph.subgraph(keep).copy()


def _weight(
    cost: str | Callable[[Hashable, Hashable, dict[str, Any]], float],
) -> Callable[..., float]:
    if callable(cost):
        return cost
    if cost not in COSTS:
        raise ValueError(
            f"cost must be one of {', '.join(repr(c) for c in COSTS)} or a callable; got {cost!r}"
        )
    return lambda u, v, d: link_cost(d, cost)


def shortest_path(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    *,
    cost: str | Callable[[Hashable, Hashable, dict[str, Any]], float] = "inverse_rate",
) -> list[Hashable]:
    """Dijkstra's shortest path under an additive link ``cost`` (Dijkstra 1959).

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    source, destination : hashable
        End nodes of the request.
    cost : {"inverse_rate", "length", "hops", "infidelity"} or callable, optional
        Additive link cost (a callable takes ``(u, v, data)``).

    Returns
    -------
    list
        The nodes of the path, ``source`` first.

    Raises
    ------
    ValueError
        If an endpoint is not a node, or they are equal or disconnected.

    Examples
    --------
    >>> from qnetlab.network.topologies import grid_network
    >>> shortest_path(grid_network(1, 4, seed=0), 0, 3, cost="hops")
    [0, 1, 2, 3]
    """
    check_endpoints(graph, source, destination)
    return nx.dijkstra_path(
        _routable(graph, source, destination), source, destination, weight=_weight(cost)
    )


def k_shortest_paths(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    k: int,
    *,
    cost: str | Callable[[Hashable, Hashable, dict[str, Any]], float] = "inverse_rate",
) -> list[list[Hashable]]:
    """The ``k`` cheapest loop-free paths in order of cost (Yen 1971, via networkx).

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    source, destination : hashable
        End nodes of the request.
    k : int
        Number of paths, at least 1; fewer are returned if the graph has fewer.
    cost : {"inverse_rate", "length", "hops", "infidelity"} or callable, optional
        Additive link cost (a callable takes ``(u, v, data)``).

    Returns
    -------
    list of list
        The paths, cheapest first.

    Raises
    ------
    ValueError
        If an endpoint is not a node, or they are equal or disconnected.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> k_shortest_paths(metro_ring(6, seed=0), 0, 3, 3, cost="hops")
    [[0, 1, 2, 3], [0, 5, 4, 3]]
    """
    kk = check_integer(k, "k", minimum=1)
    check_endpoints(graph, source, destination)
    gen = nx.shortest_simple_paths(
        _routable(graph, source, destination), source, destination, weight=_weight(cost)
    )
    out = []
    for path in gen:
        out.append(path)
        if len(out) == kk:
            break
    return out


def fidelity_constrained_path(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    *,
    fidelity_threshold: float,
    cost: str = "inverse_rate",
    max_candidates: int = 50,
) -> PathMetrics:
    """The cheapest path (by ``cost``) whose delivered pairs reach ``fidelity_threshold``.

    Walks Yen's paths in order of cost and returns the first feasible one.

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    source, destination : hashable
        End nodes of the request.
    fidelity_threshold : float
        The fidelity the application needs, in [0, 1].
    cost : {"inverse_rate", "length", "hops", "infidelity"}, optional
        The additive link cost that orders the candidates.
    max_candidates : int, optional
        How many of Yen's paths to try, at least 1.

    Returns
    -------
    PathMetrics
        The first feasible path's figures.

    Raises
    ------
    ValueError
        If none of the first ``max_candidates`` paths is feasible, or as
        :func:`check_endpoints`.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> g = metro_ring(8, seed=0)
    >>> fidelity_constrained_path(g, 0, 4, fidelity_threshold=0.8).fidelity >= 0.8
    True
    """
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    n = check_integer(max_candidates, "max_candidates", minimum=1)
    tried = []
    for p in k_shortest_paths(graph, source, destination, n, cost=cost):
        m = path_metrics(graph, p, fidelity_threshold=thr)
        if m.feasible:
            return m
        tried.append(m)
    tc, ps = _graph_params(graph, None, None)
    raise ValueError(
        f"no path from {source!r} to {destination!r} among the {n} cheapest (cost={cost!r}) "
        f"reaches fidelity_threshold={thr}; "
        + infeasibility_report(graph, source, destination, thr, tc, ps, tried=tried)
    )


def optimal_path(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    *,
    fidelity_threshold: float = 0.5,
    max_hops: int | None = None,
) -> PathMetrics:
    """The path with the highest delivered rate, found exactly by branch and bound.

    Extending a path can only lengthen E[T] and the classical time, add a swap and lower the
    fidelity, so a partial path whose own rate is below the best complete path, or whose
    fidelity is already below the threshold, is pruned without loss.

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    source, destination : hashable
        End nodes of the request.
    fidelity_threshold : float, optional
        The fidelity the application needs, in [0, 1].
    max_hops : int, optional
        Longest path considered (links), at least 1; no limit by default.

    Returns
    -------
    PathMetrics
        The optimal path's figures.

    Raises
    ------
    ValueError
        If no path reaches the threshold, or as :func:`check_endpoints`.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> g = metro_ring(6, seed=0)
    >>> optimal_path(g, 0, 2).path
    (0, 1, 2)
    """
    check_endpoints(graph, source, destination)
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    limit = (
        graph.number_of_nodes() - 1
        if max_hops is None
        else check_integer(max_hops, "max_hops", minimum=1)
    )
    tc, ps = _graph_params(graph, None, None)
    view = _routable(graph, source, destination)
    # cost-to-go in hops, to skip branches that cannot reach the destination in time
    hops_to_d = nx.single_source_shortest_path_length(view, destination)
    best: list[Any] = [0.0, None]

    def dfs(path: list[Hashable], rates: list[float], fids: list[float], length: float) -> None:
        node = path[-1]
        nbrs = [v for v in view.neighbors(node) if v not in path and v in hops_to_d]
        nbrs.sort(key=lambda v: (hops_to_d[v], -view.edges[node, v]["rate"]))
        for v in nbrs:
            if len(path) + hops_to_d[v] > limit:  # hops of the shortest completion
                continue
            d = view.edges[node, v]
            r2, f2, l2 = (
                [*rates, float(d["rate"])],
                [*fids, float(d["fidelity"])],
                length + float(d["length_km"]),
            )
            rate, fid = _chain_fast(np.asarray(r2), np.asarray(f2), l2, tc, ps)
            if fid < thr or rate <= best[0]:
                continue
            if v == destination:
                best[0], best[1] = rate, [*path, v]
            else:
                dfs([*path, v], r2, f2, l2)

    dfs([source], [], [], 0.0)
    if best[1] is None:
        raise ValueError(
            f"no path from {source!r} to {destination!r} reaches fidelity_threshold={thr}"
            + ("" if max_hops is None else f" within max_hops={limit}")
            + "; "
            + infeasibility_report(graph, source, destination, thr, tc, ps, max_hops=max_hops)
        )
    return path_metrics(graph, best[1], fidelity_threshold=thr)


def infeasibility_report(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    fidelity_threshold: float,
    coherence_time_s: float | None = None,
    swap_success: float | None = None,
    *,
    tried: Sequence[PathMetrics] = (),
    max_hops: int | None = None,
    n_candidates: int = 5,
) -> str:
    """Why no path reaches the fidelity threshold: the best path found and its binding limit.

    Scores Yen's ``n_candidates`` cheapest paths under −ln w and under 1/r (and ``tried``),
    and names the best one's fidelity, rate and path, and what binds: *link fidelity after
    swapping* (F = 1/4 + 3/4 Π w_i is below the threshold even with perfect memories),
    *memory decoherence* (pairs decay while they wait for the slowest link, often a long
    fibre: :func:`~qnetlab.network.segment_long_links`) or *hop count* (``max_hops``).

    Parameters
    ----------
    graph : networkx.Graph
        The annotated network.
    source, destination : hashable
        End nodes of the request.
    fidelity_threshold : float
        The fidelity the application needs, in [0, 1].
    coherence_time_s, swap_success : float, optional
        Memory coherence time (s) and swap success; default: the graph's attributes.
    tried : sequence of PathMetrics, optional
        Paths already scored (they are considered too).
    max_hops : int, optional
        The hop limit of the search, if any.
    n_candidates : int, optional
        Paths drawn per cost, at least 1.

    Returns
    -------
    str
        One sentence for an error message.

    Examples
    --------
    >>> g = nx.Graph([("A", "B"), ("B", "C")])
    >>> nx.set_edge_attributes(g, 392.0, "length_km")
    >>> from qnetlab.network.topologies import annotate_links
    >>> g = annotate_links(g, source_fidelity=0.99, seed=0)
    >>> print(infeasibility_report(g, "A", "C", 0.7, 0.05))  # doctest: +ELLIPSIS
    best fidelity found 0.2500 ... binding limit: memory decoherence: ...
    """
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    tc, ps = _graph_params(graph, coherence_time_s, swap_success)
    k = check_integer(n_candidates, "n_candidates", minimum=1)
    check_endpoints(graph, source, destination)
    view = _routable(graph, source, destination)
    scored = {m.path: m for m in tried}
    for cost in ("infidelity", "inverse_rate"):
        gen = nx.shortest_simple_paths(view, source, destination, weight=_weight(cost))
        for p in itertools.islice(gen, k):
            if tuple(p) not in scored:
                scored[tuple(p)] = _path_metrics(graph, p, thr, tc, ps)
    within = [m for m in scored.values() if max_hops is None or m.hops <= max_hops]
    best = max(within or scored.values(), key=lambda m: m.fidelity)
    f_links = 0.25 + 0.75 * float(np.prod([(4.0 * f - 1.0) / 3.0 for f in best.link_fidelities]))
    head = (
        f"best fidelity found {best.fidelity:.4f} (rate {best.rate:.3g} pairs/s) on the "
        f"{best.hops}-hop path {list(best.path)}, of {len(scored)} candidate paths; "
        "binding limit: "
    )
    if longer := [m for m in scored.values() if m.feasible and m not in within]:
        m = min(longer, key=lambda m: m.hops)
        return head + (
            f"hop count: max_hops={max_hops} excludes the {m.hops}-hop path {list(m.path)}, "
            f"which reaches fidelity {m.fidelity:.4f}"
        )
    if f_links < thr:
        return head + (
            f"link fidelity after swapping: its {best.hops} link(s) (fidelities "
            f"{', '.join(f'{f:.3f}' for f in best.link_fidelities)}) give only {f_links:.4f} "
            f"after {best.hops - 1} swap(s) even with perfect memories; fewer hops or better "
            "sources (source_fidelity of annotate_links) are needed"
        )
    slow = int(np.argmin(best.link_rates))
    u, v = best.path[slow], best.path[slow + 1]
    return head + (
        f"memory decoherence: with perfect memories it would reach {f_links:.4f}, but the "
        f"pairs wait E[T] = {best.waiting_time_s:.3g} s for the slowest link ({u!r}, {v!r}) "
        f"({graph.edges[u, v]['length_km']:.4g} km, {best.link_rates[slow]:.3g} pairs/s) "
        f"with coherence_time_s={tc:g}; each edge is one elementary link, so place "
        "repeaters along long fibres (segment_long_links(graph, max_length_km=...)) or use "
        "longer-lived memories"
    )


@dataclass(frozen=True, slots=True)
class MultipathResult(ResultMixin):
    """Link-disjoint paths chosen greedily and their summed delivered rate.

    Returned by :func:`multipath_routes`.

    Parameters
    ----------
    paths : tuple of PathMetrics
        The chosen paths, in the order they were taken.
    total_rate : float
        Sum of their delivered rates (pairs/s).

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> res = multipath_routes(metro_ring(6, seed=0), 0, 3, n_paths=2)
    >>> len(res.paths), res.total_rate == sum(p.delivered_rate for p in res.paths)
    (2, True)
    """

    paths: tuple[PathMetrics, ...]
    total_rate: float

    def __repr__(self) -> str:
        return f"MultipathResult(n_paths={len(self.paths)}, total_rate={self.total_rate:.4g}/s)"


def multipath_routes(
    graph: nx.Graph,
    source: Hashable,
    destination: Hashable,
    *,
    n_paths: int = 2,
    fidelity_threshold: float = 0.5,
) -> MultipathResult:
    """Up to ``n_paths`` link-disjoint paths that share the memory qubits of the nodes.

    Greedy: take the optimal path, reserve its links and memories (two qubits at each
    repeater, one at each end), repeat on what is left. Stops early when no feasible path
    remains. The rates add because the paths share no link.

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    source, destination : hashable
        End nodes of the request.
    n_paths : int, optional
        Most paths to take, at least 1.
    fidelity_threshold : float, optional
        The fidelity the application needs, in [0, 1].

    Returns
    -------
    MultipathResult
    The paths and their total delivered rate (no path if none is feasible).

    Raises
    ------
    ValueError
        If an argument is out of range, or as :func:`check_endpoints`.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_mesh
    >>> res = multipath_routes(metro_mesh(8, seed=0), 0, 4, n_paths=3)
    >>> len(res.paths), res.total_rate > res.paths[0].delivered_rate
    (3, True)
    """
    k = check_integer(n_paths, "n_paths", minimum=1)
    thr = check_probability(fidelity_threshold, "fidelity_threshold")  # NaN raises here
    check_endpoints(graph, source, destination)
    g = graph.copy()
    chosen: list[PathMetrics] = []
    for _ in range(k):
        try:
            m = optimal_path(g, source, destination, fidelity_threshold=thr)
        except ValueError:  # no feasible path left (or the endpoints ran out of memories)
            break
        chosen.append(path_metrics(graph, list(m.path), fidelity_threshold=thr))
        for u, v in zip(m.path[:-1], m.path[1:]):
            g.remove_edge(u, v)
        for node in m.path:
            g.nodes[node]["memory_qubits"] -= 1 if node in (source, destination) else 2
    return MultipathResult(
        paths=tuple(chosen), total_rate=float(sum(p.delivered_rate for p in chosen))
    )
