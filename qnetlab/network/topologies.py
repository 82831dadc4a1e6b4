"""Quantum network topologies: networkx graphs whose links carry entanglement physics.

Every generator returns an undirected :class:`networkx.Graph` with

- node attributes ``pos`` (x, y in km) and ``memory_qubits`` (quantum memories at the node);
- link attributes ``length_km``, ``rate`` (elementary entangled pairs per second) and
  ``fidelity`` (fidelity of the elementary pair with the Bell state |Φ+⟩, Werner model);
- graph attributes ``coherence_time_s`` (memory coherence time T of a stored pair) and
  ``swap_success`` (success probability of one entanglement swap).

The elementary link is heralded at a station midway between the two nodes (Barrett–Kok
double click): each node sends a photon over L/2 of fibre, both must arrive and be detected,
and the Bell-state measurement succeeds half of the time, so one attempt succeeds with

$$ p = \\tfrac12\\, \\eta_d^2\\, \\eta(L/2)^2 = \\tfrac12\\, \\eta_d^2\\, 10^{-\\alpha L/10}. $$

An attempt lasts a round trip to the station, ``L / c_fibre``, and ``n_modes`` multiplexed modes
are tried in parallel, so the link delivers ``rate = (1 - (1 - p)^m) c / L`` pairs per second.
While the herald travels back, the memory qubits decay (depolarising model), which lowers the
link fidelity from the source fidelity.

>>> g = metro_ring(6, circumference_km=120.0, seed=1)
>>> g.number_of_nodes(), g.number_of_edges()
(6, 6)
>>> round(g.edges[0, 1]["length_km"], 1)
20.0
>>> validate_topology(g) is g
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
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
from ..channels import C_FIBER_KM_PER_S, fiber_delay
from ..repeaters import double_click_probability, memory_fidelity

__all__ = [
    "DEFAULT_COHERENCE_TIME_S",
    "MAX_AREA_KM",
    "MAX_GRID_SIDE",
    "MAX_NODES",
    "MIN_AREA_KM",
    "annotate_links",
    "check_graph",
    "connected_geometric_graph",
    "elementary_link_fidelity",
    "elementary_link_rate",
    "grid_network",
    "metro_mesh",
    "metro_ring",
    "segment_long_links",
    "validate_topology",
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

#: Default coherence time of a stored entangled pair (seconds): a good trapped-ion or
#: NV-centre memory with dynamical decoupling.
DEFAULT_COHERENCE_TIME_S: float = 0.05


def elementary_link_rate(
    length_km: float,
    *,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 0.9,
    n_modes: int = 100,
) -> float:
    """Elementary entangled pairs per second over a heralded link of ``length_km``.

    Success per mode ``p = ½ η_d² η(L)`` (midpoint station, double click:
    :func:`qnetlab.repeaters.double_click_probability`), ``n_modes`` multiplexed modes per
    attempt, one attempt per round trip ``L / c_fibre`` to the station.
    A zero-length link is limited by a 1 µs minimum attempt time.

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative.
    attenuation_db_per_km : float, optional
        Fibre attenuation α (dB/km).
    detector_efficiency : float, optional
        Detector efficiency η_d at the station, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.

    Returns
    -------
    float
        Heralded pairs per second.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(elementary_link_rate(50.0))
    4013
    >>> elementary_link_rate(100.0) < elementary_link_rate(50.0)
    True
    """
    length = check_non_negative(length_km, "length_km")
    p = double_click_probability(
        length,
        detector_efficiency=detector_efficiency,
        n_modes=n_modes,
        attenuation_db_per_km=attenuation_db_per_km,
    )
    return float(p / max(fiber_delay(length), 1e-6))


def elementary_link_fidelity(
    length_km: float,
    *,
    source_fidelity: float = 0.97,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
) -> float:
    """Fidelity of a heralded elementary pair: source fidelity after the herald wait.

    The memories hold their qubits for one round trip ``L / c_fibre`` to the midpoint station,
    under depolarising decay (:func:`qnetlab.repeaters.memory_fidelity`).

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative.
    source_fidelity : float, optional
        Werner fidelity of the emitted pair, in [1/4, 1].
    coherence_time_s : float, optional
        Coherence time of a stored pair (s), positive.

    Returns
    -------
    float
        Fidelity of the heralded pair.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(elementary_link_fidelity(0.0, source_fidelity=0.97), 6)
    0.97
    >>> elementary_link_fidelity(100.0) < 0.97
    True
    """
    length = check_non_negative(length_km, "length_km")
    f0 = check_in_range(source_fidelity, "source_fidelity", 0.25, 1.0)
    tc = check_positive(coherence_time_s, "coherence_time_s")
    return float(memory_fidelity(f0, length / C_FIBER_KM_PER_S, tc))


def _missing_attribute(where: str, key: str) -> str:
    """The message of a missing node or link attribute: which call adds it."""
    if key == "length_km":
        fix = (
            "set the fibre length of every link first (graph.edges[u, v]['length_km'] = ... "
            "or networkx.set_edge_attributes(graph, lengths, 'length_km')), then call "
            "qnetlab.network.annotate_links(graph)"
        )
    else:
        fix = (
            "qnetlab.network.annotate_links(graph) adds it (node 'memory_qubits', link "
            "'rate' and 'fidelity' from each link's 'length_km')"
        )
    return f"{where} has no {key!r} attribute: {fix}"


def _draw(
    value: float | Sequence[float], name: str, rng: np.random.Generator, low: float, high: float
) -> Any:
    """A fixed value or a value drawn uniformly from a (low, high) range."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"{name} must be a number or a (low, high) pair, got {value!r}")
        lo = check_in_range(value[0], name, low, high)
        hi = check_in_range(value[1], name, low, high)
        if hi < lo:
            raise ValueError(f"{name} range must have low <= high, got {value!r}")
        return lambda: float(rng.uniform(lo, hi))
    v = check_in_range(value, name, low, high)
    return lambda: v


def annotate_links(
    graph: nx.Graph,
    *,
    source_fidelity: float | Sequence[float] = (0.95, 0.99),
    memory_qubits: int | Sequence[int] = 4,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 0.9,
    n_modes: int = 100,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
    swap_success: float = 1.0,
    seed: SeedLike = None,
) -> nx.Graph:
    """Fill in link and node physics on a graph whose links already have ``length_km``.

    Parameters
    ----------
    graph : networkx.Graph
        The network; every link has a ``length_km`` attribute.
    source_fidelity : float or (float, float), optional
        Werner fidelity of the link sources: a number or a ``(low, high)`` range drawn
        per link.
    memory_qubits : int or (int, int), optional
        Memory qubits per node: an int or an inclusive ``(low, high)`` range drawn per node.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km).
    detector_efficiency : float, optional
        Detector efficiency at the heralding stations, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    coherence_time_s : float, optional
        Coherence time of a stored pair (s), positive.
    swap_success : float, optional
        Success probability of one swap, in (0, 1].
    seed : int, Generator or None, optional
        Randomness of the draws.

    Returns
    -------
    networkx.Graph
        The same graph, modified in place.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> nx.set_edge_attributes(g, 30.0, "length_km")
    >>> g = annotate_links(g, source_fidelity=0.98, seed=0)
    >>> sorted(g.edges[0, 1])
    ['fidelity', 'length_km', 'rate']
    """
    if not isinstance(graph, nx.Graph) or graph.is_directed():
        raise TypeError("graph must be an undirected networkx.Graph")
    rng = make_rng(seed)
    tc = check_positive(coherence_time_s, "coherence_time_s")
    ps = check_in_range(swap_success, "swap_success", 0.0, 1.0, low_inclusive=False)
    draw_f = _draw(source_fidelity, "source_fidelity", rng, 0.25, 1.0)
    if isinstance(memory_qubits, Sequence):
        if len(memory_qubits) != 2:
            raise ValueError(
                f"memory_qubits must be an int or a (low, high) pair, got {memory_qubits!r}"
            )
        lo = check_integer(memory_qubits[0], "memory_qubits", minimum=0)
        hi = check_integer(memory_qubits[1], "memory_qubits", minimum=lo)

        def draw_m() -> int:
            return int(rng.integers(lo, hi + 1))
    else:
        m = check_integer(memory_qubits, "memory_qubits", minimum=0)

        def draw_m() -> int:
            return m

    for node in graph.nodes:
        graph.nodes[node]["memory_qubits"] = draw_m()
    for u, v, data in graph.edges(data=True):
        if "length_km" not in data:
            raise ValueError(_missing_attribute(f"link ({u!r}, {v!r})", "length_km"))
        length = check_non_negative(data["length_km"], f"length_km of link ({u!r}, {v!r})")
        data["rate"] = elementary_link_rate(
            length,
            attenuation_db_per_km=attenuation_db_per_km,
            detector_efficiency=detector_efficiency,
            n_modes=n_modes,
        )
        data["fidelity"] = elementary_link_fidelity(
            length, source_fidelity=draw_f(), coherence_time_s=tc
        )
    graph.graph["coherence_time_s"] = tc
    graph.graph["swap_success"] = ps
    graph.graph["link_physics"] = {
        "attenuation_db_per_km": float(attenuation_db_per_km),
        "detector_efficiency": float(detector_efficiency),
        "n_modes": int(n_modes),
    }
    return graph


def _source_fidelity(fidelity: float, length_km: float, coherence_time_s: float) -> float:
    """Invert :func:`elementary_link_fidelity`: the source fidelity of a heralded link."""
    decay = math.exp(-(length_km / C_FIBER_KM_PER_S) / coherence_time_s)
    return min(0.25 + (float(fidelity) - 0.25) / decay, 1.0)


def segment_long_links(
    graph: nx.Graph,
    max_length_km: float,
    *,
    memory_qubits: int = 2,
    source_fidelity: float | None = None,
) -> nx.Graph:
    """A copy of ``graph`` with repeater nodes placed along every link longer than a bound.

    In the routing model (:mod:`qnetlab.network.routing`) every edge is **one** heralded
    link: a 392 km fibre gives about 3e-4 pairs/s, and a pair on a neighbouring link
    decays while it waits. Each link of length L > ``max_length_km`` is split into
    n = ⌈L / max_length_km⌉ equal segments joined by n − 1 repeater nodes, annotated with
    the graph's physics (``graph.graph["link_physics"]`` of :func:`annotate_links`).

    Parameters
    ----------
    graph : networkx.Graph
        An annotated network (see :func:`validate_topology`); it is not modified.
    max_length_km : float
        Longest elementary link kept (km), positive.
    memory_qubits : int, optional
        Memory qubits of every new repeater node, at least 2 (one pair each side).
    source_fidelity : float, optional
        Werner fidelity of the sources of the new links, in [1/4, 1]. By default each new
        link keeps the source fidelity of the link it replaces (recovered from that link's
        fidelity and length by inverting :func:`elementary_link_fidelity`).

    Returns
    -------
    networkx.Graph
        A new graph: the old nodes and short links unchanged; each long link (u, v) replaced
        by the path u, (u, v, 1), …, (u, v, n − 1), v. New nodes have ``memory_qubits``,
        ``repeater=True`` and, when u and v have ``pos``, an interpolated ``pos``; new links
        have ``length_km`` = L / n, ``rate``, ``fidelity`` and ``segment_of=(u, v)``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``graph`` is not an annotated network.

    Examples
    --------
    >>> g = nx.Graph([("Berlin", "Paris")])
    >>> g.edges["Berlin", "Paris"]["length_km"] = 392.0
    >>> g = annotate_links(g, source_fidelity=0.99, seed=0)
    >>> h = segment_long_links(g, 100.0)
    >>> h.number_of_nodes(), sorted({round(d, 1) for *_, d in h.edges(data="length_km")})
    (5, [98.0])
    >>> h.edges["Berlin", ("Berlin", "Paris", 1)]["rate"] > 1e5 * g.edges["Berlin", "Paris"]["rate"]
    True
    """
    validate_topology(graph)
    cap = check_positive(max_length_km, "max_length_km")
    mem = check_integer(memory_qubits, "memory_qubits", minimum=2)
    f_src = (
        None
        if source_fidelity is None
        else check_in_range(source_fidelity, "source_fidelity", 0.25, 1.0)
    )
    tc = float(graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S))
    physics = dict(graph.graph.get("link_physics", {}))
    out = graph.copy()
    for u, v, data in graph.edges(data=True):
        length = float(data["length_km"])
        n = math.ceil(length / cap)
        if n <= 1:
            continue
        f0 = _source_fidelity(data["fidelity"], length, tc) if f_src is None else f_src
        seg = length / n
        rate = elementary_link_rate(seg, **physics)
        fid = elementary_link_fidelity(seg, source_fidelity=f0, coherence_time_s=tc)
        chain = [u, *((u, v, k) for k in range(1, n)), v]
        pu, pv = graph.nodes[u].get("pos"), graph.nodes[v].get("pos")
        out.remove_edge(u, v)
        for k, node in enumerate(chain[1:-1], start=1):
            out.add_node(node, memory_qubits=mem, repeater=True)
            if pu is not None and pv is not None:
                out.nodes[node]["pos"] = tuple(a + (b - a) * k / n for a, b in zip(pu, pv))
        for a, b in itertools.pairwise(chain):
            out.add_edge(a, b, length_km=seg, rate=rate, fidelity=fid, segment_of=(u, v))
    return out


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


def check_graph(graph: Any) -> nx.Graph:
    """Check that ``graph`` is a non-empty, simple, undirected networkx graph; return it.

    The minimal check every network function makes; :func:`validate_topology` adds the
    link and node attributes.

    Parameters
    ----------
    graph : networkx.Graph
        The object to check.

    Returns
    -------
    networkx.Graph
        ``graph`` itself.

    Raises
    ------
    TypeError
        For a non-graph, a directed graph or a multigraph.
    ValueError
        For an empty graph.

    Examples
    --------
    >>> check_graph(nx.path_graph(2)).number_of_nodes()
    2
    >>> check_graph([(0, 1)])
    Traceback (most recent call last):
    ...
    TypeError: graph must be a networkx.Graph, got list
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx.Graph, got {type(graph).__name__}")
    if graph.is_directed() or graph.is_multigraph():
        raise TypeError("graph must be a simple undirected networkx.Graph")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph must have at least one node (got an empty graph)")
    return graph


def validate_topology(graph: Any) -> nx.Graph:
    """Check that ``graph`` is a usable quantum network; return it unchanged.

    Parameters
    ----------
    graph : networkx.Graph
        The network to check.

    Returns
    -------
    networkx.Graph
        ``graph`` itself.

    Raises
    ------
    TypeError
        For a non-graph or a directed graph.
    ValueError
        For an empty graph, negative or non-finite lengths, non-positive rates,
        fidelities outside [0.25, 1] or negative memory counts.

    Examples
    --------
    >>> validate_topology(nx.Graph())
    Traceback (most recent call last):
    ...
    ValueError: graph must have at least one node (got an empty graph)
    """
    check_graph(graph)
    for node, data in graph.nodes(data=True):
        mem = data.get("memory_qubits")
        if mem is None:
            raise ValueError(_missing_attribute(f"node {node!r}", "memory_qubits"))
        check_integer(mem, f"memory_qubits of node {node!r}", minimum=0)
    for u, v, data in graph.edges(data=True):
        where = f"link ({u!r}, {v!r})"
        for key in ("length_km", "rate", "fidelity"):
            if key not in data:
                raise ValueError(_missing_attribute(where, key))
        check_non_negative(data["length_km"], f"length_km of {where}")
        check_positive(data["rate"], f"rate of {where}")
        check_in_range(data["fidelity"], f"fidelity of {where}", 0.25, 1.0)
    check_positive(
        graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S), "coherence_time_s"
    )
    check_in_range(
        graph.graph.get("swap_success", 1.0), "swap_success", 0.0, 1.0, low_inclusive=False
    )
    return graph


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
