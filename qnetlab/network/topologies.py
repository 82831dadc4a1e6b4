"""Quantum network topologies: networkx graphs whose links carry entanglement physics.

Every generator returns an undirected :class:`networkx.Graph` with

- node attributes ``pos`` (x, y in km) and ``memory_qubits`` (quantum memories at the node);
- link attributes ``length_km``, ``rate`` (elementary entangled pairs per second) and
  ``fidelity`` (fidelity of the elementary pair with the Bell state |Φ+⟩, Werner model);
- graph attributes ``coherence_time_s`` (memory coherence time T of a stored pair) and
  ``swap_success`` (success probability of one entanglement swap).

The physics of the heralded elementary link (its rate and fidelity), the annotation of a
fibre graph with it and the graph checks are in :mod:`qnetlab.network.links`; their names
are importable from here as before.

>>> g = metro_ring(6, circumference_km=120.0, seed=1)
>>> g.number_of_nodes(), g.number_of_edges()
(6, 6)
>>> round(g.edges[0, 1]["length_km"], 1)
20.0
>>> validate_topology(g) is g
True
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_size,
    make_rng,
)
from .links import (  # re-exported: defined here before the split (issue 17)
    DEFAULT_COHERENCE_TIME_S as DEFAULT_COHERENCE_TIME_S,
)
from .links import annotate_links as annotate_links
from .links import check_graph as check_graph
from .links import elementary_link_fidelity as elementary_link_fidelity
from .links import elementary_link_rate as elementary_link_rate
from .links import segment_long_links as segment_long_links
from .links import validate_topology as validate_topology

__all__ = [
    "MAX_AREA_KM",
    "MAX_GRID_SIDE",
    "MAX_NODES",
    "MIN_AREA_KM",
    "connected_geometric_graph",
    "grid_network",
    "metro_mesh",
    "metro_ring",
    "waxman_network",
]

#: Largest ``n_nodes`` of a generated topology (pairwise distances grow as n_nodes²).
MAX_NODES = 5000
#: Largest ``rows`` / ``cols`` of :func:`grid_network`.
MAX_GRID_SIDE = 300
#: Range of ``area_km`` (km) of a generated topology: 1 m to 2.5 times the Earth's
#: circumference.
MIN_AREA_KM = 1e-3
MAX_AREA_KM = 1e5


def connected_geometric_graph(
    n_nodes: int,
    area_km: float,
    radius: float,
    *,
    seed: SeedLike = None,
    attempts: int = 500,
    extra_length_km: float = 0.0,
) -> nx.Graph:
    """A connected random geometric fibre graph: nodes uniform in a square of side ``area_km``.

    Two nodes are linked when they are closer than ``radius * area_km``; a link's
    ``length_km`` is their distance plus ``extra_length_km`` (fibre slack).

    Parameters
    ----------
    n_nodes : int
        Number of nodes, at least 1.
    area_km : float
        Side of the square (km), positive.
    radius : float
        Link radius as a fraction of ``area_km``, in (0, 2].
    seed : int, Generator or None, optional
        Randomness of the draws.
    attempts : int, optional
        Draws tried until the graph is connected, at least 1.
    extra_length_km : float, optional
        Fibre slack added to every link (km), non-negative.

    Returns
    -------
    networkx.Graph
        The graph, with node positions and link lengths only.

    Raises
    ------
    ValueError
        If an argument is out of range or no draw is connected within ``attempts``.

    Examples
    --------
    >>> g = connected_geometric_graph(8, 100.0, 0.6, seed=1)
    >>> nx.is_connected(g), all(d["length_km"] > 0 for _, _, d in g.edges(data=True))
    (True, True)
    """
    n = check_size(n_nodes, "n_nodes", minimum=1, maximum=MAX_NODES)
    area = check_in_range(area_km, "area_km", MIN_AREA_KM, MAX_AREA_KM)
    rad = check_in_range(radius, "radius", 0.0, 2.0, low_inclusive=False)
    tries = check_integer(attempts, "attempts", minimum=1)
    extra = check_non_negative(extra_length_km, "extra_length_km")
    rng = make_rng(seed)
    for _ in range(tries):
        pos = rng.uniform(0.0, area, size=(n, 2))
        g = nx.random_geometric_graph(n, rad * area, pos={i: tuple(p) for i, p in enumerate(pos)})
        if nx.is_connected(g):
            for u, v in g.edges:
                g.edges[u, v]["length_km"] = float(np.hypot(*(pos[u] - pos[v]))) + extra
            return g
    raise ValueError("could not draw a connected network; increase radius or attempts")


def _set_lengths_from_pos(
    graph: nx.Graph, jitter: float = 0.0, rng: np.random.Generator | None = None
) -> None:
    for u, v in graph.edges:
        (x1, y1), (x2, y2) = graph.nodes[u]["pos"], graph.nodes[v]["pos"]
        d = math.hypot(x1 - x2, y1 - y2)
        if jitter and rng is not None:
            d *= 1.0 + jitter * float(rng.uniform(0.0, 1.0))  # fibre follows roads: longer
        graph.edges[u, v]["length_km"] = float(d)


def metro_ring(
    n_nodes: int, *, circumference_km: float = 200.0, seed: SeedLike = None, **physics: Any
) -> nx.Graph:
    """A metropolitan ring of ``n_nodes`` equally spaced nodes.

    Parameters
    ----------
    n_nodes : int
        Number of nodes, at least 3.
    circumference_km : float, optional
        Length of the ring (km), positive.
    seed : int, Generator or None, optional
        Randomness of the draws.
    **physics
        Keywords of :func:`annotate_links`: ``source_fidelity``, ``memory_qubits``, ``n_modes``,
        ``attenuation_db_per_km``, ``detector_efficiency``, ``coherence_time_s``, ``swap_success``.

    Returns
    -------
    networkx.Graph
        The annotated network (links: ``length_km``, ``rate``, ``fidelity``).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = metro_ring(8, circumference_km=160.0, seed=0)
    >>> sorted(set(nx.get_edge_attributes(g, "length_km").values()))
    [20.0]
    """
    n = check_size(n_nodes, "n_nodes", minimum=3, maximum=MAX_NODES)
    c = check_positive(circumference_km, "circumference_km")
    rng = make_rng(seed)
    g = nx.cycle_graph(n)
    radius = c / (2 * math.pi)
    for i in g.nodes:
        a = 2 * math.pi * i / n
        g.nodes[i]["pos"] = (radius * math.cos(a), radius * math.sin(a))
    nx.set_edge_attributes(g, c / n, "length_km")  # the fibre follows the ring
    return annotate_links(g, seed=rng, **physics)


def metro_mesh(
    n_nodes: int,
    *,
    circumference_km: float = 200.0,
    chord_step: int = 2,
    seed: SeedLike = None,
    **physics: Any,
) -> nx.Graph:
    """A metro mesh: a ring plus chords from every node to the node ``chord_step`` ahead.

    Parameters
    ----------
    n_nodes : int
        Number of nodes, at least 4.
    circumference_km : float, optional
        Length of the ring (km), positive.
    chord_step : int, optional
        Each node is linked to the node ``chord_step`` ahead, in [2, n_nodes // 2].
    seed : int, Generator or None, optional
        Randomness of the draws.
    **physics
        Keywords of :func:`annotate_links`: ``source_fidelity``, ``memory_qubits``, ``n_modes``,
        ``attenuation_db_per_km``, ``detector_efficiency``, ``coherence_time_s``, ``swap_success``.

    Returns
    -------
    networkx.Graph
        The annotated network (links: ``length_km``, ``rate``, ``fidelity``).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = metro_mesh(8, chord_step=2, seed=0)
    >>> g.number_of_edges()
    16
    """
    n = check_size(n_nodes, "n_nodes", minimum=4, maximum=MAX_NODES)
    step = check_integer(chord_step, "chord_step", minimum=2, maximum=n // 2)
    c = check_positive(circumference_km, "circumference_km")
    rng = make_rng(seed)
    g = nx.cycle_graph(n)
    g.add_edges_from((i, (i + step) % n) for i in range(n))
    radius = c / (2 * math.pi)
    for i in g.nodes:
        a = 2 * math.pi * i / n
        g.nodes[i]["pos"] = (radius * math.cos(a), radius * math.sin(a))
    _set_lengths_from_pos(g)  # chords are straight
    for i in range(n):
        g.edges[i, (i + 1) % n]["length_km"] = c / n  # ring links follow the ring
    return annotate_links(g, seed=rng, **physics)


def grid_network(
    rows: int, cols: int, *, spacing_km: float = 25.0, seed: SeedLike = None, **physics: Any
) -> nx.Graph:
    """A ``rows`` × ``cols`` grid with ``spacing_km`` between neighbours; nodes 0..rows·cols−1.

    Parameters
    ----------
    rows, cols : int
        Grid size, at least 1 each.
    spacing_km : float, optional
        Fibre length between neighbours (km), positive.
    seed : int, Generator or None, optional
        Randomness of the draws.
    **physics
        Keywords of :func:`annotate_links`: ``source_fidelity``, ``memory_qubits``, ``n_modes``,
        ``attenuation_db_per_km``, ``detector_efficiency``, ``coherence_time_s``, ``swap_success``.

    Returns
    -------
    networkx.Graph
        The annotated network (links: ``length_km``, ``rate``, ``fidelity``).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = grid_network(3, 4, spacing_km=10.0, seed=0)
    >>> g.number_of_nodes(), g.number_of_edges(), g.edges[0, 1]["length_km"]
    (12, 17, 10.0)
    """
    r = check_size(rows, "rows", minimum=1, maximum=MAX_GRID_SIDE)
    c = check_size(cols, "cols", minimum=1, maximum=MAX_GRID_SIDE)
    if r * c < 2:
        raise ValueError(f"rows * cols must be at least 2, got {r * c}")
    s = check_positive(spacing_km, "spacing_km")
    rng = make_rng(seed)
    g = nx.grid_2d_graph(r, c)
    mapping = {(i, j): i * c + j for i, j in g.nodes}
    g = nx.relabel_nodes(g, mapping)
    for (i, j), k in mapping.items():
        g.nodes[k]["pos"] = (j * s, i * s)
    g = nx.Graph(g)
    _set_lengths_from_pos(g)
    return annotate_links(g, seed=rng, **physics)


def waxman_network(
    n_nodes: int,
    *,
    area_km: float = 200.0,
    alpha: float = 0.4,
    beta: float = 0.9,
    max_link_km: float | None = 90.0,
    road_factor: float = 0.2,
    seed: SeedLike = None,
    **physics: Any,
) -> nx.Graph:
    """A connected random geometric (Waxman) network in an ``area_km`` square.

    Nodes are placed uniformly; a pair at distance d is linked with probability
    β exp(−d / (α L)), L the largest distance (Waxman 1988). Links longer than
    ``max_link_km`` are dropped; the fibre is up to ``road_factor`` longer than the straight
    line. If the result is disconnected, each component is joined to the rest by its
    shortest possible link, so the network is always connected.

    Parameters
    ----------
    n_nodes : int
        Number of nodes, at least 2.
    area_km : float, optional
        Side of the square (km), positive.
    alpha, beta : float, optional
        Waxman parameters: α > 0 (length scale) and β in (0, 1] (link density).
    max_link_km : float or None, optional
        Longest link kept (km); None keeps all.
    road_factor : float, optional
        Fibre detour: each link is up to this fraction longer than the straight line.
    seed : int, Generator or None, optional
        Randomness of the draws.
    **physics
        Keywords of :func:`annotate_links`: ``source_fidelity``, ``memory_qubits``, ``n_modes``,
        ``attenuation_db_per_km``, ``detector_efficiency``, ``coherence_time_s``, ``swap_success``.

    Returns
    -------
    networkx.Graph
        The annotated network (links: ``length_km``, ``rate``, ``fidelity``).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = waxman_network(12, seed=3)
    >>> nx.is_connected(g), g.number_of_nodes()
    (True, 12)
    """
    n = check_size(n_nodes, "n_nodes", minimum=2, maximum=MAX_NODES)
    a = check_in_range(area_km, "area_km", MIN_AREA_KM, MAX_AREA_KM)
    al = check_positive(alpha, "alpha")
    be = check_in_range(beta, "beta", 0.0, 1.0, low_inclusive=False)
    rf = check_non_negative(road_factor, "road_factor")
    cap = None if max_link_km is None else check_positive(max_link_km, "max_link_km")
    rng = make_rng(seed)
    pos = rng.uniform(0.0, a, size=(n, 2))
    diff = pos[:, None, :] - pos[None, :, :]
    dist = np.hypot(diff[..., 0], diff[..., 1])
    big_l = float(dist.max()) or 1.0
    g = nx.Graph()
    for i in range(n):
        g.add_node(i, pos=(float(pos[i, 0]), float(pos[i, 1])))
    iu, ju = np.triu_indices(n, 1)
    u = rng.uniform(size=iu.size)
    keep = u < be * np.exp(-dist[iu, ju] / (al * big_l))
    if cap is not None:
        keep &= dist[iu, ju] <= cap
    g.add_edges_from(zip(iu[keep].tolist(), ju[keep].tolist()))
    comps = [sorted(c) for c in nx.connected_components(g)]
    while len(comps) > 1:
        first, rest = comps[0], [x for c in comps[1:] for x in c]
        sub = dist[np.ix_(first, rest)]
        i, j = np.unravel_index(int(np.argmin(sub)), sub.shape)
        g.add_edge(first[i], rest[j])
        comps = [sorted(c) for c in nx.connected_components(g)]
    _set_lengths_from_pos(g, jitter=rf, rng=rng)
    return annotate_links(g, seed=rng, **physics)
